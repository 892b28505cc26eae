"""Dates: absolute and relative expressions normalised to ISO-style partial values.

Values are ISO 8601 with unknown parts left out, so that they sort and compare as text:

- ``2025-11-06`` full date; ``--11-06`` day and month, year unknown; ``2025-11`` month of a year;
  ``--11`` month only; ``2024`` year; ``2025-W45`` an ISO week;
- ``199X`` a decade and ``19XX`` a century (EDTF "unspecified digit" notation, ISO 8601-2);
- ``2020/2024`` and ``2025-11-05/2025-11-06`` ranges (ISO 8601 intervals); a list of days sharing a month
  ("17 и 21 апреля") gives one date per day.

Relative expressions ("вчера", "на прошлой неделе", "в минувший четверг") need ``Document.published``;
without it they are left out, because no part of their value is known.  A month or day without a year
("в ноябре", "6 ноября") gets its year from ``published`` and the tense of the nearest verb: past tense
picks the latest such date on or before publication, future the earliest on or after it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .model import DateRef, Document, Span, Token

# Month stems and the endings Russian adds to them (ноябрь, ноября, ноябре, ноябрю, ноябрём).
_MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август",
                "сентябр", "октябр", "ноябр", "декабр")
_MONTH_WORD = (r"(?P<month>январ[ьяею]|феврал[ьяею]|март[аеу]?|апрел[ьяею]|ма[йяею]|июн[ьяею]|июл[ьяею]"
               r"|август[аеу]?|сентябр[ьяею]|октябр[ьяею]|ноябр[ьяею]|декабр[ьяею])")
# "ноябрьский визит", "майские праздники": the adjective names the month.
_MONTH_ADJ = (r"(?P<madj>январск|февральск|мартовск|апрельск|майск|июньск|июльск|августовск|сентябрьск"
              r"|октябрьск|ноябрьск|декабрьск)[а-яё]*")
_YEAR_WORD = r"(?:год[а-яё]*|г\.|гг\.)"
_ROMAN = {"I": 1, "V": 5, "X": 10}

_COUNT_WORDS = {"один": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6,
                "семь": 7, "восемь": 8, "девять": 9, "десять": 10}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in [
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    ("numeric", r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})\b(?:\s*г\.)?"),
    ("day_list", r"\b(?P<days>\d{1,2}(?:\s*(?:,|и)\s*\d{1,2})+)\s+" + _MONTH_WORD
     + r"\b(?:\s+(?P<y>\d{4})(?:\s*" + _YEAR_WORD + r")?)?"),
    ("day_month", r"\b(?P<d>\d{1,2})(?:\s*[-–—]\s*(?P<d2>\d{1,2}))?\s+" + _MONTH_WORD
     + r"\b(?:\s+(?P<y>\d{4})(?:\s*" + _YEAR_WORD + r")?)?"),
    ("month_year", r"\b" + _MONTH_WORD + r"\s+(?P<y>\d{4})(?:\s*" + _YEAR_WORD + r")?"),
    ("decade", r"\b(?P<dec>\d{3}0)\s*-?\s*(?:х|е|ых|ые|ми)\b(?:\s+" + _YEAR_WORD + r")?"),
    ("decade", r"\b(?P<dec>\d0)\s*-?\s*(?:х|е|ых|ые|ми)\s+" + _YEAR_WORD),
    ("century", r"\b(?P<cent>[IVX]{1,5}|\d{1,2})(?:\s*-?(?:м|го|й))?\s+(?:век[а-яё]*|в\.)"),
    ("year_range", r"\b(?P<y>\d{4})\s*[-–—]\s*(?P<y2>\d{4})\s*" + _YEAR_WORD),
    ("year", r"\b(?P<y>\d{4})(?:\s*-?(?:м|го|й))?\s*" + _YEAR_WORD),
    # "в 1976", "с 1985—1990": a bare year after a preposition (``extract_dates`` drops it when a noun
    # agreeing with the preposition follows: "в 2014 случаях", "до 2000 человек").
    ("bare_year_range", r"\b[вс]\s+(?P<y>(?:19|20)\d{2})\s*[-–—]\s*(?P<y2>(?:19|20)\d{2})\b(?![.,]?\d|-|\s*%)"),
    ("bare_year", r"\b(?:в|с|до|к|по|от)\s+(?P<y>(?:19|20)\d{2})\b(?![.,]?\d|-|\s*%)"),
    ("year", r"(?<=\()(?P<y>(?:19|20)\d{2})(?=\))"),  # "The Fat Of The Land (1997)"
    ("ago", r"\b(?P<n>\d{1,3}|" + "|".join(_COUNT_WORDS) + r")\s+(?P<unit>дн|недел|месяц|год|лет)[а-яё]*"
     r"\s+(?:тому\s+)?назад\b"),
    ("month", r"\b" + _MONTH_WORD + r"\b"),
    ("month_adj", r"\b" + _MONTH_ADJ),
    ("day_word", r"\b(?P<dw>позавчера|вчера|сегодня|завтра|послезавтра)\b"),
    ("weekday", r"\bв[о]?\s+(?:(?P<rel>минувш|прошл|прошедш|эт|нынешн|следующ|будущ|ближайш)[а-яё]*\s+)?"
     r"(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b"),
    ("relative", r"\b(?:на|в)\s+(?P<rel>позапрошл|прошл|минувш|прошедш|предыдущ|эт|текущ|нынешн|следующ|"
     r"будущ|наступающ)[а-яё]*\s+(?P<unit>недел|месяц|год)[еюиуа]?\b"),
]]

_DAY_WORDS = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
_WEEKDAYS = {"понедельник": 0, "вторник": 1, "среду": 2, "четверг": 3, "пятницу": 4, "субботу": 5,
             "воскресенье": 6}
_PAST_CUES = ("позапрошл", "прошл", "минувш", "прошедш", "предыдущ")
_FUTURE_CUES = ("следующ", "будущ", "ближайш", "наступающ")
# Words next to a date that say which side of publication it lies on, when no verb does.
# natasha lemmatises the participle "предстоящего" to the verb "предстоять".  A postponement points to
# the future whatever its tense ("визит перенесли на декабрь").
_FUTURE_WORDS = {"предстоящий", "предстоять", "грядущий", "запланированный", "планируемый", "ожидаемый",
                 "перенести", "переносить", "отложить", "откладывать"}


@dataclass(slots=True)
class DateMatch:
    """One recognised expression before it is anchored: its kind and the regex groups."""
    kind: str
    start: int
    end: int
    groups: dict[str, str | None]


def extract_dates(doc: Document) -> Document:
    """Fill ``doc.dates`` with every date expression in the text, normalised against ``doc.published``."""
    anchor = parse_published(doc.published)
    found: list[DateRef] = []
    for match in find_date_matches(doc.text):
        if match.kind.startswith("bare_") and _counts_something(doc.tokens, match.end):
            continue
        tense = tense_near(doc.tokens, doc.sentences, match.start, match.end)
        value = normalise_date(match, anchor, tense)
        if value:
            found.append(DateRef(match.start, match.end, value))
    doc.dates = found
    return doc


def _counts_something(tokens: list[Token], end: int) -> bool:
    """A noun in an oblique case right after the number: "в 2014 случаях" counts cases, it is no year."""
    first = bisect.bisect_left(tokens, end, key=lambda t: t.start)
    following = tokens[first] if first < len(tokens) else None
    if following is None or following.start - end > 1:
        return False
    return following.pos == "NOUN" and following.feats.get("Case") not in (None, "Nom", "Acc")


def parse_published(published: str | None) -> date | None:
    """``YYYY-MM-DD`` (or a longer ISO timestamp) -> date; anything else -> None."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def find_date_matches(text: str) -> list[DateMatch]:
    """All date expressions, longest first, never overlapping (patterns are tried in priority order)."""
    taken: list[tuple[int, int]] = []
    out: list[DateMatch] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if kind == "month" and _is_name_not_month(text, m):
                continue
            taken.append((m.start(), m.end()))
            if kind == "day_list":
                out.extend(split_day_list(m))
            else:
                out.append(DateMatch(kind, m.start(), m.end(), m.groupdict()))
    return sorted(out, key=lambda d: d.start)


def split_day_list(m: re.Match[str]) -> list[DateMatch]:
    """"5, 6 и 7 ноября" -> three dates; each earlier day is its number alone, the last one spans the month."""
    days = list(re.finditer(r"\d{1,2}", m.group("days")))
    out = []
    for k, day in enumerate(days):
        start = m.start("days") + day.start()
        end = m.end() if k == len(days) - 1 else m.start("days") + day.end()
        groups = {"d": day.group(), "d2": None, "month": m.group("month"), "y": m.group("y")}
        out.append(DateMatch("day_month", start, end, groups))
    return out


def _is_name_not_month(text: str, m: re.Match[str]) -> bool:
    # "Март"/"Май" capitalised mid-sentence are more often names than months.
    word = m.group(0)
    return word[0].isupper() and m.start() > 0 and text[max(0, m.start() - 2):m.start()].strip() not in ("", ".")


def normalise_date(match: DateMatch, anchor: date | None, tense: int) -> str | None:
    """The ISO-style value of one match, or None when nothing of it is known (e.g. "вчера" without anchor)."""
    g = match.groups
    kind = match.kind
    if kind in ("iso", "numeric"):
        return _full_date(_year(g["y"]), int(g["m"]), int(g["d"]))
    if kind == "day_month":
        return _day_month(g, anchor, tense)
    if kind == "month_year":
        return f"{int(g['y']):04d}-{_month_number(g['month']):02d}"
    if kind in ("month", "month_adj"):
        month = _month_number(g.get("month") or g["madj"])
        year = _year_for_month(month, anchor, tense)
        return f"{year:04d}-{month:02d}" if year else f"--{month:02d}"
    if kind in ("year", "bare_year"):
        return g["y"] if 1000 <= int(g["y"]) <= 2999 else None
    if kind in ("year_range", "bare_year_range"):
        return f"{g['y']}/{g['y2']}"
    if kind == "decade":
        return _decade(g["dec"])
    if kind == "century":
        return _century(g["cent"])
    return _relative(match, anchor, tense)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _full_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(word: str) -> int:
    word = word.lower()
    for number, stem in enumerate(_MONTH_STEMS, 1):
        if word.startswith(stem) and not (stem == "ма" and word.startswith("март")):
            return number
    raise ValueError(word)


def _day_month(g: dict[str, str | None], anchor: date | None, tense: int) -> str | None:
    month, day = _month_number(g["month"] or ""), int(g["d"] or 0)
    if _full_date(2000, month, day) is None:  # 2000 is a leap year, so 29 February passes
        return None
    year = int(g["y"]) if g["y"] else _year_for_day(month, day, anchor, tense)
    first = _full_date(year, month, day) if year else f"--{month:02d}-{day:02d}"
    if not g["d2"]:
        return first
    second = _full_date(year, month, int(g["d2"])) if year else f"--{month:02d}-{int(g['d2']):02d}"
    return f"{first}/{second}" if first and second else first


def _year_for_month(month: int, anchor: date | None, tense: int) -> int | None:
    if anchor is None:
        return None
    if tense < 0 and month > anchor.month:
        return anchor.year - 1
    if tense > 0 and month < anchor.month:
        return anchor.year + 1
    return anchor.year


def _year_for_day(month: int, day: int, anchor: date | None, tense: int) -> int | None:
    if anchor is None:
        return None
    if tense < 0 and (month, day) > (anchor.month, anchor.day):
        return anchor.year - 1
    if tense > 0 and (month, day) < (anchor.month, anchor.day):
        return anchor.year + 1
    if tense == 0:
        # No verb to go by: the reading nearest to publication (a December date in a January article
        # is last year's).
        candidates = [anchor.year - 1, anchor.year, anchor.year + 1]
        return min(candidates, key=lambda y: abs((_safe_date(y, month, day) - anchor).days))
    return anchor.year


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year
        return date(year, month, 28)


def _decade(text: str) -> str:
    # "90-х годов" means the 1990s in Russian news; two-digit decades are read in the 20th century.
    if len(text) == 2:
        text = "19" + text
    return text[:3] + "X"


def _century(text: str) -> str | None:
    number = _roman_to_int(text) if text[0] in _ROMAN else int(text)
    if not 1 <= number <= 30:
        return None
    return f"{number - 1:02d}XX"


def _roman_to_int(text: str) -> int:
    values = [_ROMAN[c] for c in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _relative(match: DateMatch, anchor: date | None, tense: int) -> str | None:
    if anchor is None:
        return None
    g = match.groups
    if match.kind == "day_word":
        return (anchor + timedelta(days=_DAY_WORDS[g["dw"].lower()])).isoformat()
    if match.kind == "ago":
        return _ago(anchor, g["n"].lower(), g["unit"].lower())
    shift = _shift_of(g.get("rel"))
    if match.kind == "weekday":
        weekday = _WEEKDAYS[g["wd"].lower()]
        # A Monday paper's "в понедельник объявила" is that very Monday; only "в минувший понедельник"
        # reaches back a week.
        if not shift and tense < 0 and anchor.weekday() == weekday:
            return anchor.isoformat()
        # "в четверг" alone: the tense says whether it is the last or the next Thursday.
        return _weekday_date(anchor, weekday, shift or tense).isoformat()
    unit = g["unit"].lower()
    if unit == "год":
        return f"{anchor.year + shift:04d}"
    if unit == "месяц":
        month_index = anchor.year * 12 + anchor.month - 1 + shift
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    year, week, _ = (anchor + timedelta(weeks=shift)).isocalendar()
    return f"{year:04d}-W{week:02d}"


def _ago(anchor: date, count: str, unit: str) -> str:
    """"три года назад" -> the year; "два месяца назад" -> the month; days and weeks -> the day / ISO week."""
    n = int(count) if count.isdigit() else _COUNT_WORDS[count]
    if unit in ("год", "лет"):
        return f"{anchor.year - n:04d}"
    if unit == "месяц":
        month_index = anchor.year * 12 + anchor.month - 1 - n
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if unit == "недел":
        year, week, _ = (anchor - timedelta(weeks=n)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    return (anchor - timedelta(days=n)).isoformat()


def _shift_of(rel: str | None) -> int:
    if not rel:
        return 0
    rel = rel.lower()
    if rel == "позапрошл":
        return -2
    if rel in _PAST_CUES:
        return -1
    return 1 if rel in _FUTURE_CUES else 0


def _weekday_date(anchor: date, weekday: int, shift: int) -> date:
    """The named weekday: before publication for "минувший"/"в четверг" told in the past, after for "следующий"."""
    back = (anchor.weekday() - weekday) % 7 or 7
    if shift < 0:
        return anchor - timedelta(days=back)
    forward = (weekday - anchor.weekday()) % 7 or 7
    if shift > 0:
        return anchor + timedelta(days=forward)
    # "в четверг" alone: the nearest Thursday in this week, relative to publication.
    return anchor - timedelta(days=anchor.weekday() - weekday)


def tense_near(tokens: list[Token], sentences: list[Span], start: int, end: int) -> int:
    """-1 past, +1 future, 0 unknown: the tense of the finite verb nearest to [start, end) in its sentence."""
    k = bisect.bisect_right(sentences, start, key=lambda s: s.start) - 1
    sentence = sentences[k] if k >= 0 and start < sentences[k].end else Span(start, end)
    lo = bisect.bisect_left(tokens, sentence.start, key=lambda t: t.start)
    hi = bisect.bisect_left(tokens, sentence.end, key=lambda t: t.start)
    best: tuple[int, int] | None = None
    for token in tokens[lo:hi]:
        sign = token_tense(token)
        if sign == 0:
            continue
        distance = start - token.end if token.end <= start else token.start - end
        if best is None or abs(distance) < best[0]:
            best = (abs(distance), sign)
    return best[1] if best else 0


def token_tense(token: Token) -> int:
    """-1 for a past-tense verb or participle, +1 for future (incl. "предстоящий"), 0 otherwise."""
    if token.lemma in _FUTURE_WORDS:
        return 1
    if token.pos not in ("VERB", "AUX"):
        return 0
    tense = token.feats.get("Tense")
    if tense == "Past":
        return -1
    if tense == "Fut":
        return 1
    return 0


def make_dates_stage():
    from .pipeline import Stage
    return Stage("dates", extract_dates, requires=("tokens", "sentences"), assigns=("dates",))
