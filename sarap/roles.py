"""Roles: which person holds which title, and of what ("Президента Казахстана Касым-Жомарта Токаева").

A title phrase is [agreeing adjectives] HEAD [complement]: HEAD is a noun from the titles lexicon
(sarap/data/titles.tsv), the complement is genitive words, places and bodies, and "по/в/из/при ..." phrases.
It belongs to a person when the person's name follows it ("посол Казахстана в США Иван Петров") or when it
follows the name after a comma or dash ("Иван Петров, министр ..."); titles coordinated with "и" share the
name.  The title is put in the nominative with pymorphy3; ``of`` is the first place or body in the complement.
Titles with no name beside them are role references, resolved by ``resolution.link_role_references``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import Gazetteer, load_gazetteer, load_morph, parse_word
from .model import Document, Entity, Role, Token
from .ner import QUOTES_CLOSE, QUOTES_OPEN

# Prepositions that continue a title: "по Южной и Центральной Азии", "в США", "из Кыргызстана", "при президенте".
OPEN_PREPOSITIONS = {"по", "над"}  # any noun phrase may follow
# Only a place or body may follow, and the words after them name where an office is held, not the office
# ("посол на Украине", "посол Японии в Чехии").
PLACE_PREPOSITIONS = {"в", "во", "из", "при", "на"}
HYPHEN_PREFIXES = ("экс-", "вице-", "и.о.")
POSSESSIVES = {"наш", "наша", "нашего", "нашему", "нашим", "нашем", "ваш", "ваша", "вашего", "вашему", "вашим",
               "вашем"}
# Adjectives that praise or date a person rather than name an office ("опытный дипломат").
EVALUATIVE = {"опытный", "известный", "знаменитый", "популярный", "молодой", "пожилой", "талантливый",
              "выдающийся", "именитый", "влиятельный", "авторитетный", "уважаемый", "нынешний", "новый",
              "действующий", "легендарный", "скандальный", "опальный", "покойный", "тогдашний", "будущий"}
# "X назначен министром", "X является послом", "X стал президентом": the title is X's.
OFFICE_VERBS = {"являться", "стать", "становиться", "назначить", "назначать", "избрать", "избирать", "работать",
                "служить", "оставаться", "остаться", "переизбрать", "утвердить"}
# Modifiers that date or place the holder, not the office: the role's span starts after them, as NEREL's
# PROFESSION spans do ("бывший президент США" -> "президент США", "аргентинский футболист" -> "футболист").
FORMER = {"бывший", "прежний", "отставной", "местный", "сам"}
# -ский adjectives that qualify the office itself, not the holder's country or town.
OFFICE_ADJECTIVES = {"президентский", "парламентский", "министерский", "депутатский", "генеральский",
                     "губернаторский", "городской", "райский", "штатский"}
AGE = re.compile(r"^\d+-летн")
# Nouns naming a kind of organisation: in "редактор ежемесячной газеты X" or "лидер фракции X" they describe
# the organisation the office is held in, not the office (factRuEval's Position is "редактор", "лидер").
ORG_KINDS = {"газета", "еженедельник", "журнал", "издание", "агентство", "телеканал", "радиостанция", "фракция",
             "партия", "движение", "отдел", "отделение", "департамент", "управление", "служба", "пресс-служба",
             "президиум", "клуб", "команда", "сборная", "компания", "корпорация", "концерн", "холдинг", "банк",
             "фонд", "центр", "институт", "университет", "кафедра", "проект", "группа", "театр", "организация",
             "объединение", "ассоциация", "союз", "делегация", "представительство", "ведомство", "цех", "завод",
             "фирма", "лаборатория", "палата", "собрание", "парламент", "комитет", "комиссия", "совет",
             "министерство", "администрация", "правительство", "мэрия", "суд", "прокуратура", "федерация",
             "коллегия", "штаб", "редакция", "оркестр", "коллектив", "школа", "академия", "музей", "больница",
             "сила"}
MAX_COMPLEMENT = 14  # tokens; longer runs are clauses, not titles


@dataclass(slots=True)
class TitlePhrase:
    """Tokens [start, end) of the phrase, the head token index, and where the complement starts."""
    start: int
    head: int
    end: int
    title: str = ""
    of: str | None = None
    skip: range = range(0)  # tokens left out of the title: the owner ("президент США" -> "президент")


@dataclass(slots=True)
class TokenView:
    """The tokens of a document with, per token, the entity mention it lies in."""
    text: str
    tokens: list[Token]
    entity_at: list[Entity | None]
    mention_start: list[bool]
    gazetteer: Gazetteer

    def title_lemma(self, i: int) -> str | None:
        """The lexicon lemma when token i is a singular title noun, else None."""
        token = self.tokens[i]
        if self.entity_at[i] is not None or token.feats.get("Number") == "Plur":
            return None
        return lexicon_title(token.lemma, token.text, token.pos in ("NOUN", "PROPN"))


@lru_cache(maxsize=50_000)  # per word: most tokens are asked once per document, and words repeat
def lexicon_title(lemma: str, text: str, noun: bool) -> str | None:
    """The titles lexicon's lemma for a word, by natasha's lemma or, for a noun, pymorphy's."""
    gazetteer = load_gazetteer()
    lemmas = [lemma]
    if noun:  # natasha's lemma of a capitalised title may be off
        lemmas.append(parse_word(text)[0].normal_form)
    for lemma in lemmas:
        lemma = lemma.replace("ё", "е")
        for prefix in HYPHEN_PREFIXES:
            if lemma.startswith(prefix) and gazetteer.title(lemma[len(prefix):]) and not gazetteer.title(lemma):
                return lemma
        if gazetteer.title(lemma):
            return lemma
    return None


def build_view(doc: Document) -> TokenView:
    entity_at: list[Entity | None] = [None] * len(doc.tokens)
    mention_start = [False] * len(doc.tokens)
    # a place adjective ("московского") qualifies a title or body; adjective_owner reads it from the lexicon
    spans = sorted(((m.start, m.end, e) for e in doc.entities for m in e.mentions
                    if m.kind != "adjective"), key=lambda x: x[0])
    i = 0
    for start, end, ent in spans:
        while i < len(doc.tokens) and doc.tokens[i].end <= start:
            i += 1
        j = i
        while j < len(doc.tokens) and doc.tokens[j].start < end:
            entity_at[j] = ent
            mention_start[j] = j == i
            j += 1
    return TokenView(doc.text, doc.tokens, entity_at, mention_start, load_gazetteer())


def find_title_phrases(view: TokenView) -> list[TitlePhrase]:
    phrases, i = [], 0
    while i < len(view.tokens):
        if view.title_lemma(i):
            phrase = TitlePhrase(extend_left(view, i), i, extend_right(view, i))
            phrases.append(phrase)
            i = phrase.end
        else:
            i += 1
    return phrases


def extend_left(view: TokenView, head: int) -> int:
    """Adjectives agreeing with the head in case ("первого заместителя", "специального представителя")."""
    case = CASES.get(view.tokens[head].feats.get("Case", ""))
    start = head
    while start > 0 and view.entity_at[start - 1] is None and agrees(view.tokens[start - 1], case):
        start -= 1
    return start


def office_start(view: TokenView, phrase: TitlePhrase) -> int:
    """The first token of the office words: leading "бывший", ages and place adjectives are left out."""
    k = phrase.start
    while k < phrase.head and (view.tokens[k].lemma in FORMER or AGE.match(view.tokens[k].text)
                               or is_place_adjective(view, view.tokens[k])):
        k += 1
    return k


def is_place_adjective(view: TokenView, token: Token) -> bool:
    """"российский", "брюссельского", "российско-британской": the holder's country or town."""
    lemma = token.lemma.replace("ё", "е")
    if lemma in view.gazetteer.place_adjectives:
        return True
    return lemma.endswith("ский") and not lemma.endswith("ческий") and lemma not in OFFICE_ADJECTIVES


def agrees(token: Token, case: str | None) -> bool:
    """An adjective that can stand in the head's case (natasha may tag "первого" Acc where the head is Gen)."""
    if token.pos not in ("ADJ", "PROPN", "NOUN") or token.lemma in EVALUATIVE or AGE.match(token.text):
        return False
    parses = [p for p in parse_word(token.text) if "ADJF" in p.tag]
    return bool(parses) and (case is None or any(case in p.tag for p in parses))


def extend_right(view: TokenView, head: int) -> int:
    """The complement: genitives, places and bodies, nested titles, and prepositional phrases.

    After a place or body only a preposition continues it: in "главы ФБР республиканца Джеймса Коми" the
    genitive "республиканца" describes the person, not the office."""
    j, limit = head + 1, min(len(view.tokens), head + 1 + MAX_COMPLEMENT)
    after_prep, open_phrase, after_entity = None, False, False
    while j < limit:
        token, ent = view.tokens[j], view.entity_at[j]
        word = token.text.lower()
        if ent is not None:
            if ent.type == "PER":
                break
            j, after_entity = j + 1, True
        elif word in QUOTES_OPEN and j + 1 < limit and view.entity_at[j + 1] is not None \
                and view.entity_at[j + 1].type == "ORG":
            j += 1  # "лидер московского «Центра»": the quoted name is the body
        elif word in QUOTES_CLOSE and j > head + 1 and view.entity_at[j - 1] is not None:
            j += 1
        elif word in OPEN_PREPOSITIONS | PLACE_PREPOSITIONS and j + 1 < limit and prep_object_ok(view, j + 1, word):
            j, after_prep, after_entity = j + 1, word, False
            open_phrase = open_phrase or word in OPEN_PREPOSITIONS
        elif word == "и" and after_prep and j + 1 < limit and is_nominal(view.tokens[j + 1]):
            j += 1
        elif is_nominal(token) and token.text[:1].islower() and \
                (open_phrase or is_genitive(token) and not after_entity):
            j += 1
        else:
            break
    # A phrase never ends on a dangling preposition or conjunction.
    while j > head + 1 and view.tokens[j - 1].text.lower() in OPEN_PREPOSITIONS | PLACE_PREPOSITIONS | {"и"}:
        j -= 1
    return j


def prep_object_ok(view: TokenView, j: int, prep: str) -> bool:
    ent = view.entity_at[j]
    if prep in PLACE_PREPOSITIONS:
        # "посол в США" (where) belongs to the title; "визит президента в Казахстан" (where to) does not.
        return ent is not None and ent.type in ("LOC", "ORG") and view.tokens[j].feats.get("Case") != "Acc"
    return (ent is not None and ent.type != "PER") or is_nominal(view.tokens[j])


def is_nominal(token: Token) -> bool:
    return token.pos in ("NOUN", "ADJ", "PROPN")


def is_genitive(token: Token) -> bool:
    return token.feats.get("Case") == "Gen"


def nominative_title(view: TokenView, phrase: TitlePhrase, skip: range = range(0)) -> str:
    """Modifiers and head in the nominative singular, lower case; the complement as written."""
    head = view.tokens[phrase.head]
    head_parse = best_parse(parse_word(head.text), "NOUN", head)
    head_nom = head_parse.inflect({"nomn", "sing"}) if head_parse else None
    gender = next((g for g in ("masc", "femn", "neut") if head_parse and g in head_parse.tag), "masc")
    words = []
    for k in range(phrase.start, phrase.head):
        if k in skip:
            continue
        tok = view.tokens[k]
        parse = best_parse(parse_word(tok.text), "ADJF", tok)
        form = parse.inflect({"nomn", "sing", gender}) if parse else None
        words.append(form.word if form else tok.text.lower())
    words.append(head_nom.word if head_nom else head.lemma)
    return " ".join(words) + complement_text(view, phrase, skip)


def complement_text(view: TokenView, phrase: TitlePhrase, skip: range) -> str:
    """The complement as written without the ``skip`` tokens; common words lower-cased, names kept."""
    out, cursor = [], view.tokens[phrase.head].end
    for k in range(phrase.head + 1, phrase.end):
        tok = view.tokens[k]
        if k in skip:
            cursor = tok.end
            continue
        out.append(view.text[cursor:tok.start] if out else " ")
        keep_case = view.entity_at[k] is not None or tok.pos == "PROPN" or tok.text.isupper()
        out.append(tok.text if keep_case else tok.text.lower())
        cursor = tok.end
    return "".join(out).rstrip()


def best_parse(parses, pos: str, token: Token):
    """The pymorphy3 parse of ``pos`` whose case matches natasha's tag for the token, else the likeliest."""
    case = CASES.get(token.feats.get("Case", ""))
    candidates = [p for p in parses if pos in p.tag]
    for p in candidates:
        if case and case in p.tag:
            return p
    return candidates[0] if candidates else None


CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}


def adjective_owner(view: TokenView, phrase: TitlePhrase, places: dict[str, Entity]) -> tuple[Entity | None, range]:
    """"российский президент" -> Россия, when the text names Россия too (an adjective is no mention of it)."""
    for k in range(phrase.start, phrase.head):
        place = places.get(view.gazetteer.place_adjectives.get(view.tokens[k].lemma, ""))
        if place is not None:
            return place, range(k, k + 1)
    return None, range(0)


def find_owner(view: TokenView, phrase: TitlePhrase) -> tuple[Entity | None, range]:
    """The place or body the title belongs to: the first one in the genitive complement, before any
    preposition ("президент США", "глава МИД России", "посол Казахстана в США"; "эксперт из Кыргызстана" has
    none).  Also the tokens to leave out of the title: the owner, unless a nested title owns it
    ("представитель президента США" keeps "президента США")."""
    nested, after_open = False, False
    for k in range(phrase.head + 1, phrase.end):
        ent, word = view.entity_at[k], view.tokens[k].text.lower()
        if ent is None and word in PLACE_PREPOSITIONS:
            break
        if ent is None and word in OPEN_PREPOSITIONS:
            after_open = True  # "министр по государственным сборам Новой Зеландии": a genitive may follow
            continue
        if ent is not None and ent.type in ("LOC", "ORG"):
            if after_open and not genitive_after_noun(view, k):
                continue  # "по Южной Азии" is the object of "по"
            start, end = k, k
            while end < phrase.end and view.entity_at[end] is not None and view.entity_at[end].type != "PER":
                end += 1  # the owner and places that qualify it: "глава МИД России" -> "глава"
            if view.tokens[start - 1].text in QUOTES_OPEN and end < phrase.end and \
                    view.tokens[end].text in QUOTES_CLOSE:
                start, end = start - 1, end + 1  # the quotes around a name go with it
            return ent, range(k, k) if nested else range(start, end)
        nested = nested or view.title_lemma(k) is not None
    return None, range(0)


def genitive_after_noun(view: TokenView, k: int) -> bool:
    return is_genitive(view.tokens[k]) and view.entity_at[k - 1] is None and is_nominal(view.tokens[k - 1]) \
        and view.tokens[k - 1].text.lower() not in OPEN_PREPOSITIONS


def parenthesised_body(view: TokenView, phrase: TitlePhrase, person: Entity) -> Entity | None:
    """"архиепископ Лонгин Клинский (РПЦ МП)": the body in brackets right after the holder's name."""
    k = next((j for j in range(phrase.end, min(len(view.tokens), phrase.end + 3)) if view.entity_at[j] is person),
             None)
    if k is None:
        return None
    while k < len(view.tokens) and view.entity_at[k] is person:
        k += 1
    if k + 2 < len(view.tokens) and view.tokens[k].text == "(" and view.entity_at[k + 1] is not None \
            and view.entity_at[k + 1].type == "ORG":
        body = view.entity_at[k + 1]
        end = k + 1
        while end < len(view.tokens) and view.entity_at[end] is body:
            end += 1
        return body if end < len(view.tokens) and view.tokens[end].text == ")" else None
    return None


def person_after(view: TokenView, phrase: TitlePhrase) -> Entity | None:
    """The person named right after the title, or after a lower-case apposition ("главы ФБР республиканца X")."""
    k = phrase.end
    while k < min(len(view.tokens), phrase.end + 2) and view.entity_at[k] is None \
            and is_nominal(view.tokens[k]) and view.tokens[k].text[:1].islower():
        k += 1
    if k < len(view.tokens) and view.mention_start[k] and view.entity_at[k].type == "PER":
        return view.entity_at[k]
    return None


def person_before(view: TokenView, phrase: TitlePhrase) -> Entity | None:
    """"Иван Петров, министр ...", "Иван Петров — министр ...", "Иван Петров назначен министром ...":
    the person right before a comma, a dash or a verb of holding an office."""
    k = phrase.start - 1
    while k > 0 and k >= phrase.start - 3 and view.tokens[k].pos == "ADJ" and view.tokens[k].text[:1].islower():
        k -= 1  # "Иван Петров — опытный дипломат": evaluative adjectives are not part of the title
    if k < 1 or not (view.tokens[k].text in {",", "—", "–", "-"} or view.tokens[k].lemma in OFFICE_VERBS):
        return None
    ent = view.entity_at[k - 1]
    return ent if ent is not None and ent.type == "PER" else None


def link_coordinated(view: TokenView, phrases: list[TitlePhrase], owners: list[Entity | None]) -> None:
    """"дипломат и эксперт ... Иван Петров", "лидер Меджлиса, народный депутат Украины Иван Петров": a title
    followed by "и" or a comma and a linked title shares its person."""
    for n in range(len(phrases) - 2, -1, -1):
        cur, nxt = phrases[n], phrases[n + 1]
        if owners[n] is None and owners[n + 1] is not None and nxt.start == cur.end + 1 \
                and view.tokens[cur.end].text.lower() in {"и", ","}:
            owners[n] = owners[n + 1]


def attach_roles(doc: Document) -> Document:
    from .resolution import link_role_references
    view = build_view(doc)
    phrases = find_title_phrases(view)
    owners = [person_after(view, p) for p in phrases]
    link_coordinated(view, phrases, owners)
    owners = [o or person_before(view, p) for p, o in zip(phrases, owners)]
    holders = []
    places = {e.name: e for e in doc.entities if e.type == "LOC"}
    for phrase, owner in zip(phrases, owners):
        owner_of, phrase.skip = find_owner(view, phrase)
        if owner_of is None:
            owner_of, phrase.skip = adjective_owner(view, phrase, places)
        if owner_of is None and owner is not None:
            owner_of = parenthesised_body(view, phrase, owner)
        phrase.title, phrase.of = nominative_title(view, phrase, phrase.skip), owner_of.id if owner_of else None
        if owner is not None:
            start, end = view.tokens[office_start(view, phrase)].start, view.tokens[phrase.end - 1].end
            role = Role(phrase.title, phrase.of, start, end)
            if role not in owner.roles:
                owner.roles.append(role)
            holders.append((owner, phrase))
    link_role_references(view, holders, [p for p, o in zip(phrases, owners) if o is None])
    countries = country_mentions(doc)
    for ent in doc.entities:
        complete_role_owners(ent)  # the person's own owner first: "президент Армении ... президент"
        for role in ent.roles:
            if role.of is None and is_national_title(view, role.title) and not after_possessive(doc, role):
                role.of = country_nearby(doc, countries, role.start)
        complete_role_owners(ent)
    return doc


def after_possessive(doc: Document, role: Role) -> bool:
    """"наш президент" is the speaker's country's, which the nearest country name need not be."""
    before = doc.text[max(0, role.start - 12):role.start].split()
    return bool(before) and before[-1].lower() in POSSESSIVES


# Offices held of a country, besides the head_of_state group: "премьер-министр Иван Петров" is some country's.
NATIONAL_TITLES = {"премьер-министр", "премьер", "канцлер", "вице-президент"}
# Ministers are a government's: "министр финансов Иван Петров" in a sentence about one country is its.
MINISTERIAL = {"министр", "замминистра", "госсекретарь", "вице-премьер", "генпрокурор"}


def is_national_title(view: TokenView, title: str) -> bool:
    """A bare national office: "президент", "премьер-министр" (no modifiers, no complement)."""
    return title in NATIONAL_TITLES or (" " not in title and view.gazetteer.is_head_of_state(title)) \
        or title.split()[0] in MINISTERIAL


def country_mentions(doc: Document) -> list[tuple[int, str]]:
    """(start, entity id) of every mention of a country, in text order."""
    return sorted((m.start, e.id) for e in doc.entities if e.type == "LOC" and e.subtype == "country"
                  for m in e.mentions)


def country_nearby(doc: Document, countries: list[tuple[int, str]], offset: int) -> str | None:
    """The one country named in the sentence of ``offset``, else in the sentence before: "Премьер-министр
    Иван Петров" in a sentence about Италия is Италия's.  Two countries there, or none: no owner."""
    index = next((i for i, s in enumerate(doc.sentences) if s.start <= offset < s.end), None)
    if index is None:
        return None
    for sentence in (doc.sentences[index], doc.sentences[index - 1] if index else None):
        if sentence is None:
            break
        named = {cid for start, cid in countries if sentence.start <= start < sentence.end}
        if len(named) == 1:
            return named.pop()
        if named:
            break
    return None


def complete_role_owners(person: Entity) -> None:
    """"президент Украины Виктор Янукович" ... "Янукович, президент, ...": a title said again without its owner
    is the same office, so it takes the owner the person's other mention of that title names.  One office is
    one fact (factRuEval counts one Occupation per person, position and organisation).  A title held of two
    different owners stays as written."""
    owners: dict[str, set[str]] = {}
    for role in person.roles:
        if role.of is not None:
            owners.setdefault(role.title, set()).add(role.of)
    for role in person.roles:
        if role.of is None and len(owners.get(role.title, ())) == 1:
            role.of = next(iter(owners[role.title]))


def make_roles_stage():
    """The stage; the titles lexicon and pymorphy3 load here, once."""
    from .pipeline import Stage
    load_gazetteer()
    load_morph()
    return Stage("attach_roles", attach_roles, requires=("tokens", "entities"), assigns=("entities",))


def title_core(view: TokenView, phrase: TitlePhrase) -> str:
    """Modifiers and head of a nominative title, short forms spelled out: "спецпредставитель" ->
    "специальный представитель", so a reference matches the full title it stands for."""
    modifiers = sum(1 for k in range(phrase.start, phrase.head) if k not in phrase.skip)
    words = phrase.title.split()[:modifiers + 1]
    out = []
    for word in words:
        title = view.gazetteer.title(word)
        out.append(title.same_as if title and title.same_as else word)
    return " ".join(out).replace("ё", "е")


def is_head_of_state_reference(view: TokenView, phrase: TitlePhrase) -> bool:
    """"глава государства" names whoever holds the head-of-state title in the text."""
    return view.title_lemma(phrase.head) == "глава" and phrase.title.split()[1:2] == ["государства"] \
        and phrase.end == phrase.head + 2


def holds_head_of_state(view: TokenView, phrase: TitlePhrase) -> bool:
    lemma = view.title_lemma(phrase.head)
    return lemma is not None and view.gazetteer.is_head_of_state(lemma) and phrase.start == phrase.head


def office_words(doc: Document, role: Role) -> tuple[str, str | None]:
    """The words of a role that name the office, as written, and those that name where it is held:
    "редактор" and "ежемесячной газеты" of "редактор ежемесячной газеты", "лидер" and "фракции КПРФ" of
    "лидер фракции КПРФ", "министр обороны" and "России" of "министр обороны России"; else the owner's
    mention nearest the title; None when there is no owner.  Leading place adjectives ("российского
    президента") name the owner, not the office."""
    first = next((n for n, t in enumerate(doc.tokens) if t.start >= role.start), len(doc.tokens))
    while first > 0 and is_place_word(doc.tokens[first - 1]):
        first -= 1  # "британский премьер": the role may start after the adjective
    tokens = [t for t in doc.tokens[first:] if t.end <= role.end]
    if not tokens:
        return doc.text[role.start:role.end], None
    owner = doc.entity(role.of) if role.of else None
    inside = [(m.start, m.end) for e in doc.entities if e.type != "PER" for m in e.mentions
              if role.start <= m.start < role.end and m.kind == "name"]
    k = 0
    while k < len(tokens) - 1 and is_place_word(tokens[k]):
        k += 1
    office, end, cut = office_text(doc, tokens, k, inside)
    where = where_words(doc, tokens, end, cut, owner, inside)
    if where is not None or title_group(role.title) == "profession":
        return office, where  # "немецкий режиссёр", "тбилисский врач": a nationality, not an employer
    names = [m for m in owner.mentions if m.kind == "name"] if owner else []
    if names:  # the owner named elsewhere: its mention nearest the title, as written
        return office, min(names, key=lambda m: abs(m.start - role.start)).text
    if k:  # the adjective is the place's only mention: "британский"
        return office, doc.text[tokens[0].start:tokens[k - 1].end]
    if owner is not None and owner.mentions:  # named by adjectives only: factRuEval marks those too
        return office, min(owner.mentions, key=lambda m: abs(m.start - role.start)).text
    return office, owner.name if owner else None


def title_group(title: str) -> str | None:
    """The lexicon group of a nominative title's head: "official", "profession" ..."""
    for word in title.split():
        found = load_gazetteer().title(word.replace("ё", "е"))
        if found:
            return found.group
    return None


def is_title_word(token: Token) -> bool:
    """A title noun natasha may tag as an adjective ("Экс-председатель")."""
    lemma = token.lemma.lower().replace("ё", "е")
    for prefix in HYPHEN_PREFIXES:
        lemma = lemma[len(prefix):] if lemma.startswith(prefix) else lemma
    return load_gazetteer().title(lemma) is not None


def is_place_word(token: Token) -> bool:
    """A place adjective: "российского", "Британский", "подмосковного"."""
    lemma = token.lemma.lower().replace("ё", "е")
    return token.pos == "ADJ" and (
        lemma in load_gazetteer().place_adjectives
        or lemma.endswith("ский") and not lemma.endswith("ческий") and lemma not in OFFICE_ADJECTIVES)


def office_text(doc: Document, tokens: list[Token], k: int, inside: list[tuple[int, int]]) -> tuple[str, int, int]:
    """The office words from token k; also where they end and where the cut was made."""
    head = next((n for n in range(k, len(tokens)) if tokens[n].pos in ("NOUN", "PROPN") or is_title_word(tokens[n])),
                k)
    end = head + 1
    while end < len(tokens) and not (any(s <= tokens[end].start < e for s, e in inside)
                                     or tokens[end].lemma in ORG_KINDS
                                     or tokens[end].text.lower() in PLACE_PREPOSITIONS):
        end += 1
    cut = end
    while end > head + 1 and (tokens[end - 1].pos == "ADJ" or tokens[end - 1].text.lower() in
                              OPEN_PREPOSITIONS | {"и"} or not tokens[end - 1].text[:1].isalnum()):
        end -= 1  # adjectives of a cut-off organisation: "глава синодального [отдела]"
    return doc.text[tokens[k].start:tokens[end - 1].end], end, cut


def where_words(doc: Document, tokens: list[Token], end: int, cut: int, owner: Entity | None,
                inside: list[tuple[int, int]]) -> str | None:
    """The words after the office up to the end of the owner's mention (and names right after it); with
    no owner, an organisation kind and its words ("ежемесячной газеты")."""
    if cut >= len(tokens) or tokens[cut].text.lower() in PLACE_PREPOSITIONS:
        return None
    while end < cut and tokens[end].lemma in EVALUATIVE | {"влиятельный"}:
        end += 1  # "влиятельного комитета": praise, not the name
    if owner is not None:
        mention = next((m for m in owner.mentions if tokens[cut].start <= m.start < tokens[-1].end), None)
        if mention is None:
            return None
        stop = mention.end
        for s, e in sorted(inside):
            if s >= stop and not doc.text[stop:s].strip():
                stop = e
        if doc.text[stop:stop + 1] in QUOTES_CLOSE:
            stop += 1
        return doc.text[tokens[end].start:stop]
    if tokens[cut].lemma in ORG_KINDS and end < len(tokens) - 1:  # "руководитель группы" names no body
        last = cut
        while last + 1 < len(tokens) and tokens[last + 1].text.lower() not in PLACE_PREPOSITIONS \
                and not is_title_word(tokens[last + 1]):
            last += 1  # "вооружённых сил [генерал-лейтенанта]": another title starts
        return doc.text[tokens[end].start:tokens[last].end]
    return None
