"""Amounts: numbers with what they count ("почти 80 миллионов человек", "$1,5 млрд", "30%").

``value`` is the number with its multiplier applied (80000000); ``unit`` is a currency code (ISO 4217),
"%" or the lemma of the counted noun ("человек", "тонна"); ``approximate`` is true when the text does not
give the exact quantity: hedges (почти, около, примерно, приблизительно, порядка, ориентировочно), bounds
(более, свыше, больше, менее, меньше, не менее, не более) and vague plurals ("десятки тысяч", "сотни").

Skipped, for precision: numbers inside dates (the dates stage runs first), years, ordinals ("5-й"), numbers
glued to letters or signs ("C5+1", "№ 3"), phone numbers, bare numbers with neither a multiplier,
a currency nor a counted noun ("счёт 3:1"), spans of time and ages ("два года", "52 лет"), references into
laws ("2 статьи 282 УК") and a lone "один" ("один полицейский").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .model import Amount, Document, Token

_MULTIPLIERS = {"тыс": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6, "млрд": 1e9, "миллиард": 1e9,
                "трлн": 1e12, "триллион": 1e12}
# An abbreviation's full stop belongs to it only when the sentence goes on in lower case ("2 тыс. тонн").
_ABBR_DOT = r"(?:\.(?=\s*(?-i:[а-яё$€])))?"
_MULT_RX = (r"(?:(?:тыс|млн|млрд|трлн)" + _ABBR_DOT + r"|тысяч[а-яё]*|миллион[а-яё]*|миллиард[а-яё]*"
            r"|триллион[а-яё]*)")
# Currency words by stem -> ISO 4217 code; "рубл" covers "рублей", "рубля"; "долл." is the news abbreviation.
_CURRENCY_WORDS = {"доллар": "USD", "долл": "USD", "евро": "EUR", "рубл": "RUB", "руб": "RUB", "тенге": "KZT",
                   "юан": "CNY", "фунт": "GBP", "иен": "JPY", "гривн": "UAH", "сом": "KGS", "сум": "UZS",
                   "лари": "GEL", "драм": "AMD", "франк": "CHF"}
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "¥": "CNY", "₸": "KZT"}
_CUR_RX = (r"(?:%|процентн[а-яё]*\s+пункт[а-яё]*|процент[а-яё]*|[$€£₽¥₸]|долл(?:ар[а-яё]*|" + _ABBR_DOT + r")|евро|рубл[а-яё]*"
           r"|руб" + _ABBR_DOT + r"|тенге|юан[а-яё]*|фунт[а-яё]*|иен[а-яё]*|гривн[а-яё]*|сом(?:а|ов|ы)?|сум(?:а|ов|ы)?|лари|драм(?:а|ов|ы)?"
           r"|франк[а-яё]*)(?![а-яё])")
_NUM_RX = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_AMOUNT = re.compile(
    r"(?<![\w.,+№#/-])(?P<pre>[$€£₽¥₸]\s?)?(?P<num>" + _NUM_RX + r")(?![\w+]|[.,]\d|-[а-яё])"
    r"(?:\s*(?P<mult>" + _MULT_RX + r")(?![а-яё]))?"
    r"(?:\s*(?P<cur>" + _CUR_RX + r"))?", re.IGNORECASE)
_PHONE = re.compile(r"(?:\+\d{1,3}|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b")
_APPROX = re.compile(r"(?:почти|около|примерно|приблизительно|порядка|ориентировочно|свыше|более|больше"
                     r"|менее|меньше)(?:\s+чем)?\s+$", re.IGNORECASE)

_WORD_NUMBERS = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
    "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200, "триста": 300, "четыреста": 400,
    "пятьсот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900, "полтора": 1.5,
}
_WORD_MULTIPLIERS = {"тысяча": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}
# "десятки тысяч", "сотни человек": a vague plural stands for its round number, approximately.
_VAGUE = {"десяток": 10, "сотня": 100, "тысяча": 1e3, "миллион": 1e6, "миллиард": 1e9}
# Not amounts: month names (dates), spans of time and ages ("два года", "52 лет": NEREL calls them DATE and
# AGE, and they are durations rather than quantities), and references into laws ("2 статьи 282 УК").
_NOT_UNITS = {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
              "ноябрь", "декабрь", "год", "месяц", "неделя", "день", "сутки", "час", "минута", "секунда", "век",
              "десятилетие", "статья", "часть", "пункт", "подпункт", "глава", "раздел", "том", "ук", "коап",
              "кодекс", "апк", "гк", "гпк", "нк", "упк"}


@dataclass(slots=True)
class NumberSpan:
    """A number found in the text before its unit is looked up."""
    start: int
    end: int
    value: float
    unit: str | None
    scaled: bool = False  # a multiplier ("млн", "тысяч") was applied
    vague: bool = False


def extract_amounts(doc: Document) -> Document:
    """Fill ``doc.amounts`` from digits (with multipliers and currencies) and from number words."""
    taken = [(d.start, d.end) for d in doc.dates] + [m.span() for m in _PHONE.finditer(doc.text)]
    spans = [n for n in find_digit_numbers(doc.text) if not _overlaps(n.start, n.end, taken)]
    taken += [(n.start, n.end) for n in spans]
    spans += [n for n in find_word_numbers(doc.tokens) if not _overlaps(n.start, n.end, taken)]
    amounts = [a for a in (attach_unit(n, doc) for n in spans) if a is not None]
    doc.amounts = sorted(amounts, key=lambda a: a.start)
    return doc


def find_digit_numbers(text: str) -> list[NumberSpan]:
    """Numbers written in digits, with an optional multiplier ("млрд") and currency or percent sign."""
    out = []
    for m in _AMOUNT.finditer(text):
        number = float(re.sub(r"\s", "", m.group("num")).replace(",", "."))
        if m.group("mult"):
            number *= _multiplier_of(m.group("mult"))
        unit = _currency_of(m.group("pre")) or _currency_of(m.group("cur"))
        end = m.end() if (m.group("mult") or unit) else m.end("num")
        out.append(NumberSpan(m.start(), end, number, unit, scaled=bool(m.group("mult"))))
    return out


def find_word_numbers(tokens: list[Token]) -> list[NumberSpan]:
    """Numbers in words ("два миллиона", "двадцать пять тысяч") and vague plurals ("десятки тысяч")."""
    out: list[NumberSpan] = []
    i = 0
    while i < len(tokens):
        j, value, scaled, vague = _read_number_words(tokens, i)
        if j > i:
            out.append(NumberSpan(tokens[i].start, tokens[j - 1].end, value, None, scaled, vague))
            i = j
        else:
            i += 1
    return out


def _read_number_words(tokens: list[Token], i: int) -> tuple[int, float, bool, bool]:
    """Read number words from ``tokens[i]``; return (end index, value, scaled, vague)."""
    total, current, j, scaled, vague = 0.0, 0.0, i, False, False
    while j < len(tokens):
        tok = tokens[j]
        lemma = tok.lemma
        if lemma in _WORD_NUMBERS and tok.pos in ("NUM", "ADJ", "NOUN") and tok.text.isalpha():
            current += _WORD_NUMBERS[lemma]
        elif lemma in _VAGUE and tok.feats.get("Number") == "Plur" and total == current == 0:
            current, vague = _VAGUE[lemma], True
        elif lemma in _WORD_MULTIPLIERS and (current or total):
            total += (current or 1) * _WORD_MULTIPLIERS[lemma]
            current, scaled = 0, True
        else:
            break
        j += 1
    return j, total + current, scaled or vague, vague


def attach_unit(number: NumberSpan, doc: Document) -> Amount | None:
    """Find what the number counts; drop bare numbers that count nothing we can name."""
    end, unit = number.end, number.unit
    if unit is None:
        noun = _counted_noun(doc, number.end)
        if noun is not None:
            end, unit = noun.end, noun.lemma
    if unit is None and not number.scaled:
        return None
    if unit is None and _NOT_UNITS.intersection(_following_lemmas(doc, number.end)):
        return None
    if number.value == 1 and not number.scaled and doc.text[number.start:number.end].isalpha():
        return None  # "один полицейский", "одна из стран": a determiner more than a count
    start, approximate = _hedge_before(doc.text, number.start)
    value = int(number.value) if float(number.value).is_integer() else number.value
    return Amount(start, end, value, unit, approximate or number.vague)


def _counted_noun(doc: Document, end: int) -> Token | None:
    """The noun right after the number, allowing one adjective between ("80 крупных компаний")."""
    first = bisect.bisect_left(doc.tokens, end, key=lambda t: t.start)
    following = doc.tokens[first:first + 2]
    if not following or doc.text[end:following[0].start].strip():
        return None
    for tok in following:
        if tok.lemma in _NOT_UNITS:
            return None
        if tok.pos == "NOUN" and tok.text.isalpha():
            return tok
        if tok.pos != "ADJ":
            return None
    return None


def _following_lemmas(doc: Document, end: int) -> set[str]:
    first = bisect.bisect_left(doc.tokens, end, key=lambda t: t.start)
    return {t.lemma for t in doc.tokens[first:first + 2] if t.start < end + 3}


def _hedge_before(text: str, start: int) -> tuple[int, bool]:
    m = _APPROX.search(text[max(0, start - 20):start])
    if not m:
        return start, False
    return start - (len(text[max(0, start - 20):start]) - m.start()), True


def _multiplier_of(word: str) -> float:
    word = word.lower().rstrip(".")
    for stem, factor in _MULTIPLIERS.items():
        if word.startswith(stem):
            return factor
    return 1.0


def _currency_of(word: str | None) -> str | None:
    if not word:
        return None
    word = word.strip().lower()
    if word.startswith("процентн") and "пункт" in word:
        return "процентный пункт"  # "на 9 процентных пунктов выше" is a difference of shares, not 9 %
    if word == "%" or word.startswith("процент"):
        return "%"
    if word in _CURRENCY_SIGNS:
        return _CURRENCY_SIGNS[word]
    for stem, code in _CURRENCY_WORDS.items():
        if word.startswith(stem):
            return code
    return None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def make_amounts_stage():
    from .pipeline import Stage
    return Stage("amounts", extract_amounts, requires=("tokens", "dates"), assigns=("amounts",))
