"""NER span repair: natasha's typical failures on Russian news fixed by morphology and dictionaries.

- a title inside a PER span ("Президенту Токаеву" -> PER "Токаеву"; the title is left for the roles stage),
  bullets cut off ("• Гараев"), two names across a dash split ("Сомов — Гараев");
- a title word alone tagged PER ("Спецпредставитель") -> dropped (the roles stage reads it as a role reference),
  unless it is the surname of someone named in full ("Дик Адвокат" ... "Адвоката");
- surnames of people named in full, where natasha missed them;
- an adjective alone tagged LOC: "Южной" of "Южной и Центральной Азии" -> LOC "Южная Азия" (the shared head
  noun is restored); "Сирийского процесса" -> dropped;
- an ORG swallowing a following place in the nominative ("C5+1 Астана") -> ORG "C5+1" + LOC "Астана";
- a body with a place or body in the genitive is one ORG ("МИД России", "правительство Израиля"), so is a
  place adjective with a body ("японское правительство"); "Name (ABBR)" is two names; "СМИ" is none;
- places and bodies natasha missed, from the gazetteer (countries, capitals, ООН, ОДКБ, C5+1 ...);
- a state body named by its noun alone ("правительство одобрило", "задержан полицией") is an ORG, a ministry
  with its field ("министерство обороны");
- a place inside an ORG name, not in the nominative, is mentioned too ("Движение за развитие Мали");
- a span natasha cut short is widened to the gazetteer's name ("Единая" + "Россия" -> "Единая Россия");
- a person's original spelling in brackets is cut off ("Джоэл Саймон (Joel Simon)");
- each LOC gets a subtype: country | city | region | other.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .gazetteer import MAX_TOKENS, Gazetteer, fold_key, load_gazetteer, load_morph, parse_word
from .model import Document, NerSpan, Token

# Head nouns that say what kind of place a multi-word name is ("Московская область", "штат Техас").
REGION_WORDS = {"область", "край", "республика", "округ", "штат", "провинция", "регион", "автономия", "губерния",
                "земля", "кантон", "графство", "префектура", "эмират"}
CITY_WORDS = {"город", "станица", "посёлок", "поселок", "село", "деревня", "аул"}
# Places that are neither settlements nor administrative regions: districts, streets, buildings, nature.
OTHER_WORDS = {"район", "улица", "проспект", "площадь", "переулок", "бульвар", "набережная", "шоссе", "кладбище",
               "дворец", "дом", "замок", "парк", "сквер", "мост", "аэропорт", "вокзал", "порт", "залив", "река",
               "озеро", "море", "океан", "остров", "острова", "гора", "горы", "хребет", "пролив", "канал",
               "полуостров", "побережье", "пустыня", "долина", "ущелье", "лес", "материк", "континент"}
# Words natasha tags ORG that name no organisation: "СМИ" (the media at large) and bare legal forms.
NOT_ORGS = {"сми", "пао", "оао", "зао", "ооо", "ао", "нко", "ип"}
DASHES = {"—", "–", "-"}
MINISTRY = {"министерство"}
# Nouns that introduce an organisation's name in quotes: "газета «Частный корреспондент»", "партия «Яблоко»".
NAMED_BODIES = {"газета", "журнал", "издание", "агентство", "телеканал", "радиостанция", "компания", "банк",
                "партия", "движение", "фонд", "организация", "клуб", "корпорация", "холдинг", "концерн",
                "ансамбль", "театр", "киностудия", "издательство", "объединение", "союз", "институт",
                "общество", "ассоциация", "группировка", "коалиция", "блок", "завод", "комбинат"}
# Craft that news name ("шаттл «Дискавери»"): natasha tags the names ORG.
VEHICLES = {"шаттл", "корабль", "судно", "самолет", "самолёт", "лайнер", "спутник", "ракета", "крейсер", "танкер",
            "авианосец", "ледокол", "яхта", "паром", "подлодка", "истребитель", "бомбардировщик", "вертолет",
            "вертолёт", "зонд", "марсоход", "луноход", "модуль", "космоплан"}
QUOTES_OPEN, QUOTES_CLOSE = {"«", "\"", "„", "“"}, {"»", "\"", "“", "”"}
BRACKETED = re.compile(r"^(.*\S)\s*\((\w[^()]*\S|\w)\)$")
COORDINATION = re.compile(r"\s*(?:и|или|,)\s*$")


@dataclass(slots=True)
class SpanContext:
    """The text and tokens a repair looks at, with token starts for bisecting."""
    text: str
    tokens: list[Token]
    starts: list[int]
    gazetteer: Gazetteer
    surnames: set[str] = field(default_factory=set)  # later words of full names: "Дик Адвокат" -> "адвокат"

    def tokens_in(self, start: int, end: int) -> list[Token]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.tokens) and self.tokens[i].end <= end:
            out.append(self.tokens[i])
            i += 1
        return out

    def is_surname(self, token: Token) -> bool:
        return fold_key(token.text) in self.surnames or fold_key(token.lemma) in self.surnames


def repair_spans(text: str, tokens: list[Token], spans: list[NerSpan], gazetteer: Gazetteer) -> list[NerSpan]:
    """Repaired, gazetteer-completed NER spans in text order, LOC spans with a subtype."""
    ctx = SpanContext(text, tokens, [t.start for t in tokens], gazetteer)
    ctx.surnames = {fold_key(w) for s in spans if s.type == "PER" and len(s.text.split()) > 1
                    for w in s.text.split()[1:] + s.normal.split()[1:]}
    spans = sorted(spans, key=lambda s: s.start)
    repaired: list[NerSpan] = []
    for index, span in enumerate(spans):
        following = spans[index + 1] if index + 1 < len(spans) else None
        repaired.extend(repair_span(ctx, span, following))
    repaired = drop_vehicle_names(ctx, widen_to_gazetteer(ctx, repaired))
    repaired += find_missed_spans(ctx, repaired)
    repaired += find_repeated_surnames(ctx, repaired)
    for span in repaired:
        apply_gazetteer(ctx, span)
    repaired += find_bodies_of_places(ctx, repaired)
    repaired.sort(key=lambda s: s.start)
    extend_orgs_over_places(ctx, repaired)
    repaired += find_bodies_of_adjectives(ctx, repaired)
    repaired += find_lone_bodies(ctx, repaired)
    repaired += find_quoted_names(ctx, repaired)
    repaired.sort(key=lambda s: s.start)
    extend_orgs_over_places(ctx, repaired)  # "министерство обороны" + "Индии"
    extend_orgs_over_fields(ctx, repaired)
    extend_orgs_over_eponyms(ctx, repaired)
    repaired += find_places_in_orgs(ctx, repaired)
    repaired.sort(key=lambda s: s.start)
    return repaired


def extend_orgs_over_fields(ctx: SpanContext, spans: list[NerSpan]) -> None:
    """"Совета при Президенте РФ" + "по развитию информационного общества", "Главное управление МВД" + "по
    Нижегородской области": a body's field or district after "по" is part of its name (both corpora say so).
    The phrase runs over lower-case adjectives and nouns in the dative and over a place; a place it takes in
    stays a mention of its own."""
    loc_at = {s.start: s for s in spans if s.type == "LOC"}
    outermost = {}  # of nested ORGs ending at one place, only the outermost takes the field
    for org in spans:
        if org.type == "ORG" and (org.end not in outermost or org.start < outermost[org.end].start):
            outermost[org.end] = org
    for org in outermost.values():
        i = bisect_left(ctx.starts, org.end)
        if i + 1 >= len(ctx.tokens) or ctx.tokens[i].text != "по" or ctx.tokens[i].start != org.end + 1 \
                or org.text.islower() and " " not in org.text or ctx.tokens[i + 1].lemma in NOT_FIELDS \
                or after_title(ctx, org) and ctx.tokens[i + 1].start not in loc_at:
            continue
        end, j = None, i + 1
        while j < min(len(ctx.tokens), i + 7):
            token = ctx.tokens[j]
            if token.start in loc_at:
                place = loc_at[token.start]
                end, j = place.end, bisect_left(ctx.starts, place.end)
                break  # "по Москве": the district ends the name
            if token.pos not in ("ADJ", "NOUN") or not token.text[:1].islower() and token.pos == "NOUN":
                break
            if token.pos == "NOUN" and not (j == i + 1 or ctx.tokens[j - 1].pos == "ADJ" or is_oblique(token)):
                break
            j += 1
            end = token.end if token.pos == "NOUN" else end
        if end is not None and end > org.end:
            org.normal = f"{org.normal} {ctx.text[ctx.tokens[i].start:end]}"
            org.end, org.text = end, ctx.text[org.start:end]


# "по" phrases that say how or why, not a field: "полиции по делу", "по словам", "по данным".
NOT_FIELDS = {"дело", "слово", "данные", "мнение", "итог", "причина", "повод", "сравнение", "отношение", "случай",
              "информация", "сведение", "оценка", "подсчет", "результат", "время", "телефон", "просьба",
              "приглашение", "требование", "приказ", "решение", "указание", "инициатива", "линия"}


def extend_orgs_over_eponyms(ctx: SpanContext, spans: list[NerSpan]) -> None:
    """"Института иностранных языков" + "имени М. Тореза", "Театра им." + "Йозефа Бойса": the person a body is
    named after is part of its name (both corpora say so); the person stays a mention of its own.  A dash
    left at a name's end ("Новый Регион —") is cut off."""
    person_at = {s.start: s for s in spans if s.type == "PER"}
    for org in spans:
        if org.type != "ORG":
            continue
        if org.text[-1:] in DASHES and " " in org.text:
            org.text = org.text[:-1].rstrip()
            org.end = org.start + len(org.text)
            org.normal = org.normal.rstrip(" —–-")
        i = bisect_left(ctx.starts, org.end)
        words = ctx.text[org.end:org.end + 8]
        link = re.match(r"\s*(?:имени|им\.)\s*", words) if not org.text.endswith("им.") else re.match(r"\s*", words)
        person = person_at.get(org.end + link.end()) if link else None
        if person is not None and i < len(ctx.tokens):
            org.normal += ctx.text[org.end:person.end]
            org.end, org.text = person.end, ctx.text[org.start:person.end]
        org.normal = eponym_as_written(org)


def eponym_as_written(org: NerSpan) -> str:
    """The words from "имени"/"им." on as written: "Институт ... имени Мориса Тореза", not "имя Морис Торез"."""
    match = re.search(r"\s(?:имени|им\.)\s", org.text)
    words = org.normal.split()
    if not match or len(words) != len(org.text.split()):
        return org.normal
    head = len(org.text[:match.start()].split())
    return " ".join(words[:head]) + org.text[match.start():]


def after_title(ctx: SpanContext, org: NerSpan) -> bool:
    """"заместитель администратора НАСА по космическим полётам": a field is the office's, not the body's (a
    district, "начальник ГУ МВД по Москве", is still the body's)."""
    i = bisect_left(ctx.starts, org.start)
    return i > 0 and is_title_token(ctx, ctx.tokens[i - 1])


def is_oblique(token: Token) -> bool:
    """A noun in the genitive or dative: "по развитию информационного общества", "по правам человека"."""
    return token.feats.get("Case") in ("Gen", "Dat")


def find_places_in_orgs(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """"Движение за развитие Мали", "Сеть поддержки выборов в Зимбабве": a gazetteer place inside an ORG name,
    not at its start and not in the nominative, is the place mentioned (as in "МИД России"); the Россия of
    "Единая Россия" is the name's own word, in the nominative."""
    taken = {(s.start, s.end) for s in spans}
    blocked = [True] * len(ctx.tokens)  # match_gazetteer's "covered": all but the words of one ORG
    found = []
    for org in spans:
        tokens = ctx.tokens_in(org.start, org.end)
        if org.type != "ORG" or len(tokens) < 2:
            continue
        first, last = bisect_left(ctx.starts, tokens[1].start), bisect_left(ctx.starts, tokens[-1].start) + 1
        blocked[first:last] = [False] * (last - first)
        i = first
        while i < last:
            match = match_gazetteer(ctx, i, blocked)
            if match and match[0].type == "LOC" and not is_nominative(ctx.tokens[i]) \
                    and (match[0].start, match[0].end) not in taken:
                found.append(match[0])
            i += match[1] if match else 1
        blocked[first:last] = [True] * (last - first)
    return found


def drop_vehicle_names(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """"шаттл «Дискавери»", "корабль «Союз ТМА-12»": a name given to a craft is no organisation, there or
    wherever the text repeats it ("«Дискавери» и «Индевор»" after "шаттлы")."""
    names = set()
    for i, token in enumerate(ctx.tokens[:-1]):
        if token.lemma in VEHICLES:
            j = i + 2 if ctx.tokens[i + 1].text in QUOTES_OPEN else i + 1
            words = []
            while j < len(ctx.tokens) and ctx.tokens[j].text[:1].isupper() and len(words) < 4:
                words.append(ctx.tokens[j])
                j += 1
            if words:
                names.add(fold_key(ctx.text[words[0].start:words[-1].end]))
    return [s for s in spans if not (s.type == "ORG" and {fold_key(s.text), fold_key(s.normal)} & names)]


def find_quoted_names(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """"газета «Частный корреспондент»": a capitalised name in quotes after a noun that introduces an
    organisation's name is an ORG, where natasha tagged none of its words."""
    covered = {t.start for s in spans for t in ctx.tokens_in(s.start, s.end)}
    found = []
    for i, token in enumerate(ctx.tokens[:-2]):
        if token.lemma not in NAMED_BODIES or ctx.tokens[i + 1].text not in QUOTES_OPEN:
            continue
        end = next((j for j in range(i + 2, min(i + 8, len(ctx.tokens))) if ctx.tokens[j].text in QUOTES_CLOSE), None)
        words = ctx.tokens[i + 2:end] if end else []
        if words and words[0].text[:1].isupper() and not any(w.start in covered for w in words):
            start, stop = words[0].start, words[-1].end
            found.append(NerSpan(start, stop, "ORG", ctx.text[start:stop], ctx.text[start:stop]))
    return found


def find_lone_bodies(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """"правительство одобрило", "задержан полицией": a state body named by its noun alone is an ORG.

    Only the nouns marked "alone" in bodies.tsv, in the singular, where no other span covers them: a place or
    a place adjective beside them has already made a longer ORG ("правительство Израиля").
    """
    covered = {t.start for s in spans for t in ctx.tokens_in(s.start, s.end)}
    found = [NerSpan(t.start, t.end, "ORG", t.text, nominative(t)) for t in ctx.tokens
             if t.lemma in ctx.gazetteer.lone_bodies and t.start not in covered and is_one_body(t)]
    for i, token in enumerate(ctx.tokens):  # "министерство обороны": a ministry is named by its field
        if token.lemma in MINISTRY and token.start not in covered and is_one_body(token):
            end = genitive_tail(ctx, i + 1)
            if end > i + 1:
                last = ctx.tokens[end - 1].end
                tail = ctx.text[ctx.tokens[i + 1].start:last]
                found.append(NerSpan(token.start, last, "ORG", ctx.text[token.start:last],
                                     f"{nominative(token)} {tail}"))
    widen_ministries(ctx, spans)
    return found


def genitive_tail(ctx: SpanContext, i: int, limit: int = 3) -> int:
    """The end of a lower-case genitive noun phrase from token i ("иностранных дел", "финансов"), or i."""
    end = j = i
    while j < min(len(ctx.tokens), i + limit):
        token = ctx.tokens[j]
        if not token.text[:1].islower() or token.feats.get("Case") != "Gen" or token.pos not in ("ADJ", "NOUN") \
                or not can_be_genitive(token.text):
            break
        j += 1
        if token.pos == "NOUN":
            end = j
    return end


def can_be_genitive(word: str) -> bool:
    """pymorphy3 agrees that the word can be a genitive noun or adjective (natasha may tag a verb so)."""
    return any("gent" in p.tag and ("NOUN" in p.tag or "ADJF" in p.tag) for p in parse_word(word))


def widen_ministries(ctx: SpanContext, spans: list[NerSpan]) -> None:
    """"российском министерстве" + "финансов": an ORG ending in a ministry takes the field it is named by."""
    for span in spans:
        tokens = ctx.tokens_in(span.start, span.end)
        if span.type != "ORG" or not tokens or tokens[-1].lemma not in MINISTRY:
            continue
        i = bisect_left(ctx.starts, span.end)
        end = genitive_tail(ctx, i) if i < len(ctx.tokens) and ctx.tokens[i].start == span.end + 1 else i
        if end > i:
            last = ctx.tokens[end - 1].end
            span.normal = f"{span.normal} {ctx.text[ctx.tokens[i].start:last]}"
            span.end, span.text = last, ctx.text[span.start:last]


def widen_to_gazetteer(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """"«Единая» + «Россия»" -> ORG "Единая Россия", "Европейский суд" + "по правам человека" -> "ЕСПЧ": a span
    that starts with an adjective and starts a longer gazetteer name is widened to it; spans inside the widened
    one are dropped (the Россия of "Единая Россия" is no mention of the country).  Names headed by a noun
    ("Конгресс США") are left to ``extend_orgs_over_places``, which keeps the place as a mention."""
    spans = sorted(spans, key=lambda s: s.start)
    out: list[NerSpan] = []
    for span in spans:
        if out and span.end <= out[-1].end and span.start >= out[-1].start:
            continue  # swallowed by the span before
        i = bisect_left(ctx.starts, span.start)
        if i >= len(ctx.tokens) or not is_adjective(ctx.tokens[i]):
            out.append(span)
            continue
        for n in range(min(MAX_TOKENS, len(ctx.tokens) - i), 1, -1):
            end = ctx.tokens[i + n - 1].end
            if end <= span.end:
                break
            place = ctx.gazetteer.lookup(ctx.text[span.start:end])
            if place is not None and place.type == "ORG":
                span = NerSpan(span.start, end, "ORG", ctx.text[span.start:end], place.name)
                break
        out.append(span)
    return out


def find_bodies_of_adjectives(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """"японское правительство", "японского МИДа": a place adjective before a body is part of its name.

    An ORG span right after the adjective is widened; a body noun alone ("правительство") becomes an ORG.
    """
    org_at = {s.start: s for s in spans if s.type == "ORG"}
    covered = {t.start for s in spans for t in ctx.tokens_in(s.start, s.end)}
    found = []
    for i, adj in enumerate(ctx.tokens[:-1]):
        nxt = ctx.tokens[i + 1]
        if adj.pos != "ADJ" or adj.lemma not in ctx.gazetteer.place_adjectives or adj.end + 1 != nxt.start \
                or adj.feats.get("Case") != nxt.feats.get("Case") or adj.start in covered:
            continue
        if nxt.start in org_at:
            org = org_at[nxt.start]
            adjective = agree_adjective(adj.text, org.normal.split()[0]) or adj.text
            org.start, org.text, org.normal = adj.start, ctx.text[adj.start:org.end], f"{adjective} {org.normal}"
        elif nxt.lemma in ctx.gazetteer.bodies and nxt.start not in covered and is_one_body(nxt) \
                and not starts_name(ctx, i + 2, spans):
            plural = nxt.feats.get("Number") == "Plur"
            adjective = agree_adjective(adj.text, nominative(nxt), plural) or adj.lemma
            found.append(NerSpan(adj.start, nxt.end, "ORG", ctx.text[adj.start:nxt.end],
                                 f"{adjective.lower()} {nominative(nxt)}"))
    return found


def is_one_body(token: Token) -> bool:
    """"российские банки" are many bodies, not one; "власти" is plural in form only."""
    return token.feats.get("Number") != "Plur" or token.lemma == "власть"


def starts_name(ctx: SpanContext, i: int, spans: list[NerSpan]) -> bool:
    """"американская компания Google": the body noun introduces a name, which is the ORG."""
    return i < len(ctx.tokens) and any(s.start == ctx.tokens[i].start for s in spans)


def find_bodies_of_places(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """"правительство Израиля", "мэрии Москвы": a body noun before a place in the genitive is an ORG.

    The place keeps its own span (nested), as in "МИД России".
    """
    # a head inside another span ("Верховный суд" + "Испании") is left to ``extend_orgs_over_places``
    taken = {t.start for s in spans for t in ctx.tokens_in(s.start, s.end)}
    found = []
    for place in spans:
        i = bisect_left(ctx.starts, place.start)
        if place.type != "LOC" or i == 0 or ctx.tokens[i].feats.get("Case") != "Gen":
            continue
        head = ctx.tokens[i - 1]
        if head.lemma not in ctx.gazetteer.bodies or head.start in taken or head.end + 1 != place.start:
            continue
        found.append(NerSpan(head.start, place.end, "ORG", ctx.text[head.start:place.end],
                             f"{nominative(head)} {place.text}"))
    return found


def nominative(token: Token) -> str:
    """The word in the nominative, its number kept ("властям" -> "власти"), lower case."""
    parse = next((p for p in parse_word(token.text) if "NOUN" in p.tag), None)
    number = "plur" if token.feats.get("Number") == "Plur" else "sing"
    form = parse.inflect({"nomn", number}) if parse else None
    return form.word if form else token.lemma


def extend_orgs_over_places(ctx: SpanContext, spans: list[NerSpan]) -> None:
    """"МИД России", "Палаты представителей Конгресса США": a body followed by a place or another body in the
    genitive is one ORG name.

    The ORG span is widened in place; the inner span stays as its own (nested) one, so Россия is still
    mentioned.  Pairs are taken right to left, so "Конгресса" takes "США" before "Палаты ..." takes both.
    """
    for org, place in reversed(list(zip(spans, spans[1:]))):
        if org.type != "ORG" or place.type not in ("LOC", "ORG") or ctx.text[org.end:place.start] != " ":
            continue
        first = ctx.tokens_in(place.start, place.end)[:1]
        # an abbreviation ("ОАЭ", "США") does not decline, so its tagged case says nothing: a place written in
        # capitals right after a body is its owner ("Генеральная прокуратура ОАЭ")
        owner = first and (first[0].feats.get("Case") == "Gen" or place.type == "LOC" and place.text.isupper())
        if owner and org.end - org.start < 60:
            org.normal = f"{org.normal} {place.text}"
            org.end, org.text = place.end, ctx.text[org.start:place.end]


def repair_span(ctx: SpanContext, span: NerSpan, following: NerSpan | None) -> list[NerSpan]:
    if span.type == "PER":
        return strip_titles(ctx, span)
    if span.type == "LOC":
        return repair_adjective_loc(ctx, span, following)
    if span.type == "ORG":
        if fold_key(span.text) in NOT_ORGS or span.text.isdigit():  # "911", "5": a number names no body
            return []
        return [piece for part in split_brackets(ctx, span) for piece in split_org_place(ctx, part)]
    return [span]


def split_brackets(ctx: SpanContext, span: NerSpan) -> list[NerSpan]:
    """"Союз координационных советов (СКС)": the name and the abbreviation in brackets are two names."""
    match = BRACKETED.match(span.text)
    if not match:
        return [span]
    name_end = span.start + match.end(1)
    inner_start, inner_end = span.start + match.start(2), span.start + match.end(2)
    name = sub_span(ctx, span, span.start, name_end)
    name.normal = name.normal if len(name.normal.split()) == len(name.text.split()) else name.text
    inner = ctx.text[inner_start:inner_end]
    return [name, NerSpan(inner_start, inner_end, span.type, inner, inner)]


def is_title_token(ctx: SpanContext, token: Token) -> bool:
    if ctx.gazetteer.title(token.lemma):
        return True
    return any(ctx.gazetteer.title(p.normal_form) for p in parse_word(token.text)[:1])


def is_title_or_modifier(ctx: SpanContext, token: Token) -> bool:
    # Lower-case adjectives ("бывший", "новый") go too; lower-case name particles ("фон", "де") are not adjectives.
    return is_title_token(ctx, token) or token.text[:1].islower() and is_adjective(token)


def strip_titles(ctx: SpanContext, span: NerSpan) -> list[NerSpan]:
    """Drop title words ("Президент", "бывший") before a name; nothing left -> not a person, unless the word is
    a surname of someone named in full in the text ("Дик Адвокат" ... "Адвоката")."""
    tokens = ctx.tokens_in(span.start, span.end)
    bracket = next((i for i, t in enumerate(tokens) if t.text == "("), None)
    if bracket:  # "Джоэл Саймон (Joel Simon)": the name as spelled in the original is no second person
        return strip_titles(ctx, sub_span(ctx, span, span.start, tokens[bracket - 1].end))
    dashes = [i for i, t in enumerate(tokens) if t.text in DASHES]
    if dashes:  # "Сомов — Гараев": two people
        parts = [tokens[a + 1:b] for a, b in zip([-1] + dashes, dashes + [len(tokens)])]
        return [piece for part in parts if part
                for piece in strip_titles(ctx, sub_span(ctx, span, part[0].start, part[-1].end))]
    keep = list(tokens)
    while keep and (not keep[0].text[:1].isalnum() or is_title_or_modifier(ctx, keep[0])
                    and not ctx.is_surname(keep[0])):
        keep.pop(0)  # "• Гараев", "Президент Токаев"
    while keep and not keep[-1].text[-1:].isalnum() and keep[-1].text not in (".",):
        keep.pop()
    if not keep:
        return []
    if len(keep) == len(tokens):
        return [span]
    return [sub_span(ctx, span, keep[0].start, keep[-1].end)]


def sub_span(ctx: SpanContext, span: NerSpan, start: int, end: int, type_: str | None = None) -> NerSpan:
    """The part [start, end) of a span, its normal form cut from the span's normal form word by word."""
    text = ctx.text[start:end]
    words, normal_words = span.text.split(), span.normal.split()
    if len(words) == len(normal_words):
        skip = len(ctx.text[span.start:start].split())
        normal = " ".join(normal_words[skip:skip + len(text.split())])
    else:
        normal = text
    return NerSpan(start, end, type_ or span.type, text, normal)


def is_adjective(token: Token) -> bool:
    if token.pos == "ADJ":
        return True
    top = parse_word(token.text)[0]
    return "ADJF" in top.tag and "Geox" not in top.tag


def repair_adjective_loc(ctx: SpanContext, span: NerSpan, following: NerSpan | None) -> list[NerSpan]:
    """A lone adjective tagged LOC: restore an elided head noun from a coordinated place, or drop it."""
    tokens = ctx.tokens_in(span.start, span.end)
    if len(tokens) != 1 or not is_adjective(tokens[0]) or ctx.gazetteer.lookup(span.text):
        return [span]
    if following and following.type == "LOC" and COORDINATION.match(ctx.text[span.end:following.start]):
        head = following.normal.split()[-1]
        if len(following.normal.split()) > 1 and (adjective := agree_adjective(tokens[0].text, head)):
            return [NerSpan(span.start, span.end, "LOC", span.text, f"{adjective} {head}")]
    return []


def agree_adjective(adjective: str, noun: str, plural: bool = False) -> str | None:
    """``adjective`` in the nominative, agreeing with ``noun`` (its gender, or plural), capitalised as written."""
    gender = next((g for g in ("masc", "femn", "neut") if g in parse_word(noun)[0].tag), "masc")
    parse = next((p for p in parse_word(adjective) if "ADJF" in p.tag), None)
    form = parse.inflect({"nomn", "plur"} if plural else {"nomn", "sing", gender}) if parse else None
    if form is None:
        return None
    return form.word[:1].upper() + form.word[1:] if adjective[:1].isupper() else form.word


def is_nominative(token: Token) -> bool:
    case = token.feats.get("Case")
    if case:
        return case == "Nom"
    return any("nomn" in p.tag for p in parse_word(token.text)[:2])


def split_org_place(ctx: SpanContext, span: NerSpan) -> list[NerSpan]:
    """"C5+1 Астана" -> ORG + LOC: a known place in the nominative after an org name starts a new phrase.

    A place in the genitive stays inside ("МИД России", "Университет Москвы"): that is the org's own name.
    """
    tokens = ctx.tokens_in(span.start, span.end)
    for cut in range(1, len(tokens)):
        place = ctx.gazetteer.lookup(ctx.text[tokens[cut].start:span.end])
        if place and place.type == "LOC" and is_nominative(tokens[cut]):
            org = sub_span(ctx, span, span.start, tokens[cut - 1].end)
            loc = NerSpan(tokens[cut].start, span.end, "LOC", ctx.text[tokens[cut].start:span.end], place.name)
            return [org, loc]
    return [span]


def find_repeated_surnames(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """A surname of a person named in full, seen again where natasha tagged nothing ("• Топалов — Нисипяну")."""
    covered = {t.start for s in spans for t in ctx.tokens_in(s.start, s.end)}
    found = []
    for token in ctx.tokens:
        if ctx.is_surname(token) and token.start not in covered and token.text[:1].isupper() \
                and len(token.text) > 2 and is_name_word(token.text):
            found.append(NerSpan(token.start, token.end, "PER", token.text, token.text))
    return found


def is_name_word(word: str) -> bool:
    """pymorphy3 reads it as a surname or name, or does not know it: not a common word at a sentence start."""
    parses = parse_word(word)
    return not parses[0].is_known or any({"Surn", "Name"} & set(str(p.tag).replace(" ", ",").split(",")) for p in parses)


def find_missed_spans(ctx: SpanContext, spans: list[NerSpan]) -> list[NerSpan]:
    """Gazetteer names in the text that no NER span covers, longest match first, capitalised as names are."""
    covered = [False] * len(ctx.tokens)
    for span in spans:
        i = bisect_left(ctx.starts, span.start)
        while i < len(ctx.tokens) and ctx.tokens[i].start < span.end:
            covered[i] = True
            i += 1
    found, i = [], 0
    while i < len(ctx.tokens):
        match = None if covered[i] else match_gazetteer(ctx, i, covered)
        if match:
            found.append(match[0])
            i += match[1]
        else:
            i += 1
    return found


def match_gazetteer(ctx: SpanContext, i: int, covered: list[bool]) -> tuple[NerSpan, int] | None:
    first = ctx.tokens[i].text[:1]
    if not (first.isupper() or first.isdigit()):  # names start with a capital: most tokens are skipped here
        return None
    for n in range(min(MAX_TOKENS, len(ctx.tokens) - i), 0, -1):
        if any(covered[i:i + n]):
            continue
        start, end = ctx.tokens[i].start, ctx.tokens[i + n - 1].end
        surface = ctx.text[start:end]
        place = ctx.gazetteer.lookup(surface)
        if place and looks_like_name(surface, place.name):
            return NerSpan(start, end, place.type, surface, place.name, place.subtype), n
    return None


def looks_like_name(surface: str, name: str) -> bool:
    """Names start with a capital; an abbreviation must be written in capitals ("ЕС", not "ес")."""
    if not (surface[:1].isupper() or surface[:1].isdigit()):
        return False
    letters = [c for c in name if c.isalpha()]
    return not (letters and all(c.isupper() for c in letters)) or surface.upper() == surface


def apply_gazetteer(ctx: SpanContext, span: NerSpan) -> None:
    """Canonical names and types from the gazetteer; a subtype for every LOC."""
    place = ctx.gazetteer.lookup(span.text) or ctx.gazetteer.lookup(span.normal)
    if place and not (span.type == "PER"):
        span.type, span.normal = place.type, place.name
        span.subtype = place.subtype if place.type == "LOC" else None
    elif span.type == "LOC":
        span.subtype = ctx.gazetteer.place_type(span.text) or guess_subtype(span.normal)
    elif span.type == "ORG":
        span.normal = keep_genitives(ctx, span)


def keep_genitives(ctx: SpanContext, span: NerSpan) -> str:
    """natasha puts every word of a name in the nominative ("Палаты представителей" -> "Палата представители");
    words after the first that stand in the genitive belong as written ("Палата представителей")."""
    tokens = ctx.tokens_in(span.start, span.end)
    words = span.normal.split()
    if len(words) != len(tokens) or len(words) < 2:
        return span.normal
    return " ".join([words[0]] + [t.text if t.feats.get("Case") == "Gen" and t.text[:1].islower() else w
                                  for t, w in zip(tokens[1:], words[1:])])


def guess_subtype(normal: str) -> str:
    """By the kind word in the name; a bare unknown name is most often a town (NEREL train: of one-word place
    mentions our gazetteers do not list, 591 are CITY, 189 STATE_OR_PROVINCE, 147 LOCATION/DISTRICT, 133 COUNTRY)."""
    words = {w.lower() for w in normal.replace("-", " ").split()}
    if words & REGION_WORDS:
        return "region"
    if words & CITY_WORDS:
        return "city"
    if words & OTHER_WORDS or len(words) > 1:
        return "other"
    return "city"


def repair_ner(doc: Document) -> Document:
    doc.ner_spans = repair_spans(doc.text, doc.tokens, doc.ner_spans, load_gazetteer())
    return doc


def make_repair_ner_stage():
    """The stage; gazetteer and pymorphy3 load here, once, not per document."""
    from .pipeline import Stage
    load_gazetteer()
    load_morph()
    return Stage("repair_ner", repair_ner, requires=("tokens", "ner_spans"), assigns=("ner_spans",))
