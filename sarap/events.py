"""Events: diplomatic actions (CAMEO 01/04/05/06-style) found from a trigger lexicon.

Types: phone_call, visit, meeting, summit, negotiations, agreement, statement.  Precision first: an event
needs a trigger word from the lexicon below and at least one argument (a participant, a place or a date);
a statement needs a participant.  Plural trigger nouns ("государственные визиты такого уровня") are generic
talk about a kind of event, not an event, and are skipped (except the plural-only "переговоры"); so are
triggers after "для" (a purpose), "без" (an absence) and "подобный/любой/каждый" (a kind).

How arguments are found, per sentence:
- the sentence is cut into clauses at ; : dashes brackets, and at commas that do not start an entity
  mention (so "Гора, Ландау и Трампа" stays whole); a clause that opens with "который" belongs to the
  clause before it ("саммит, который состоится 6 ноября");
- within a clause each trigger owns the words up to the next trigger of another type, and the first
  trigger also owns the words before it (its subject);
- participants: PER mentions in that scope, or, when there is none, ORG/LOC (a country may stand for its
  government); a country named after a title ("визит Президента США") becomes the person who holds that
  title when the roles stage knows one;
- location: a LOC after "в/во/на" in the scope (after a verb trigger such as "посетить" the object itself);
- date: a date from the dates stage in the scope, else the nearest in the sentence within 60 characters;
- status: "possible" from возможный/может/бы/если…, "planned" from предстоящий/в преддверии/планировать,
  a postponement or a future-tense verb, "happened" from a past-tense verb, and by default; an event called
  off ("отменил визит", "встреча не состоялась") is not reported.

Repeated mentions of one event in a document are merged: same type and status, no conflicting place or
date, and no conflicting participants (two disjoint sets of persons, or of organisations/places when
neither names a person, are two events).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .dates import token_tense
from .model import Document, Entity, Event, EventDate, Mention, Span, Token

# Lemma -> event type.  Nouns and verbs are both triggers; phone calls need "телефон…" nearby (below).
_TRIGGERS = {
    "визит": "visit", "посетить": "visit", "посещать": "visit", "посещение": "visit", "приезд": "visit",
    "прибыть": "visit", "побывать": "visit",
    "встреча": "meeting", "встретиться": "meeting", "встречаться": "meeting",
    "саммит": "summit",
    "переговоры": "negotiations", "переговор": "negotiations",
    "соглашение": "agreement", "договор": "agreement", "меморандум": "agreement", "подписать": "agreement",
    "подписание": "agreement", "договориться": "agreement",
    "заявление": "statement", "заявить": "statement",
    "созвониться": "phone_call",
}
# "разговор", "беседа", "переговоры" are a phone call with "телефонный" before or "по телефону" after.
_PHONE_HEADS = {"разговор", "беседа", "переговоры", "переговор", "поговорить", "переговорить", "разговаривать"}
_PLURAL_ONLY = {"переговоры", "переговор"}
# "договоренность" is an agreement only when reached ("достигнутые договоренности").
_REACHED = {"достичь", "достигнуть", "достигнутый"}
_VERB_OBJECT_PLACE = {"посетить", "посещать", "посещение", "побывать"}

_POSSIBLE = {"возможный", "возможно", "потенциальный", "вероятный", "вероятно", "мочь", "бы", "если",
             "гипотетический", "исключать"}
_PLANNED = {"предстоящий", "предстоять", "грядущий", "будущий", "планируемый", "запланированный",
            "ожидаемый", "планировать", "намереваться", "собираться", "преддверие", "накануне",
            "намерение", "запланировать"}
# Called off: no event is reported.  Put off: still planned.
_CANCELLED = {"отменить", "отменять", "отмена", "сорвать", "срывать", "срыв"}
_POSTPONED = {"перенести", "переносить", "отложить", "откладывать", "перенос"}
_PREPOSITIONS = {"в", "во", "на"}
_ANY_PREPOSITION = {"в", "во", "на", "с", "со", "из", "к", "ко", "от", "до", "по", "о", "об", "у", "для", "за",
                    "между", "при", "под", "над", "через", "после", "перед"}
_TAKE_PLACE = {"состояться", "пройти", "проходить", "проводиться", "начаться", "начинаться", "завершиться",
               "открыться", "провести", "проводить", "прибыть", "быть"}
_SUPPORT_VERBS = {"провести", "проводить", "совершить", "совершать", "сделать", "делать", "подписать",
                  "подписывать", "заключить", "заключать", "достичь", "достигнуть", "прибыть", "приехать",
                  "находиться", "начать", "продолжить", "вести", "участвовать", "принять", "выступить",
                  "отправиться", "состояться", "пройти", "договориться"}
# "принимать" is a meeting when its object is a guest: a named person or one of these nouns (not
# "принять беженцев").
_HOST_VERBS = {"принимать", "принять"}
_GUESTS = {"коллега", "гость", "президент", "премьер-министр", "министр", "посол", "лидер", "глава",
           "канцлер", "король", "премьер", "спецпредставитель", "представитель", "госсекретарь"}
# "площадка для переговоров" is a purpose and "без подписания" an absence, not an event.
_NOT_OCCURRING = {"для", "без"}
_GENERIC = {"подобный", "любой", "каждый", "всякий"}
# ORG/LOC participants must stand next to the trigger: within 4 tokens after ("переговоры России и
# Украины") or 5 before as its subject; farther away they are usually about something else.
_ORG_WINDOW_AFTER = 4
_ORG_WINDOW_BEFORE = 5
_CLAUSE_PUNCT = {";", ":", "—", "–", "-", "(", ")", "?", "!"}


@dataclass(slots=True)
class Trigger:
    """A trigger word and the token range (its scope) it takes arguments from."""
    type: str
    token: Token
    index: int
    scope: tuple[int, int] = (0, 0)  # token indices, end exclusive


@dataclass(slots=True)
class SentenceView:
    """One sentence's tokens and the entity mentions inside it."""
    span: Span
    tokens: list[Token]
    mentions: list[tuple[Mention, Entity]] = field(default_factory=list)
    line_ends: set[int] = field(default_factory=set)  # token indices followed by a line break


def extract_events(doc: Document) -> Document:
    """Fill ``doc.events`` with the events triggered in each sentence, merged across the document."""
    events: list[Event] = []
    for view in sentence_views(doc):
        for trigger in find_triggers(view):
            event = build_event(doc, view, trigger)
            if event is not None:
                events.append(event)
    doc.events = merge_events(events, {e.id for e in doc.entities if e.type == "PER"})
    return doc


def sentence_views(doc: Document) -> list[SentenceView]:
    starts = [t.start for t in doc.tokens]
    mentions = sorted(((m, e) for e in doc.entities for m in e.mentions), key=lambda p: p[0].start)
    mention_starts = [m.start for m, _ in mentions]
    views = []
    for sent in doc.sentences:
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        m_lo, m_hi = bisect.bisect_left(mention_starts, sent.start), bisect.bisect_left(mention_starts, sent.end)
        tokens = doc.tokens[lo:hi]
        # A title without a full stop runs into the next paragraph as one "sentence"; a line break still
        # ends a clause.
        line_ends = {i for i in range(len(tokens) - 1) if "\n" in doc.text[tokens[i].end:tokens[i + 1].start]}
        views.append(SentenceView(sent, tokens, mentions[m_lo:m_hi], line_ends))
    return views


def find_triggers(view: SentenceView) -> list[Trigger]:
    """Triggers in the sentence, each with the token scope it owns (see the module docstring)."""
    triggers: list[Trigger] = []
    for lo, hi in clause_ranges(view):
        in_clause = []
        for i in range(lo, hi):
            kind = trigger_type(view.tokens, i)
            if kind and not (in_clause and in_clause[-1].type == kind):
                in_clause.append(Trigger(kind, view.tokens[i], i))
        splits = [_subject_split(view, in_clause[k - 1], trig) for k, trig in enumerate(in_clause) if k > 0]
        for k, trig in enumerate(in_clause):
            start = _subject_start(view.tokens, lo, trig) if k == 0 else splits[k - 1]
            end = splits[k] if k < len(splits) else hi
            trig.scope = (start, end)
        triggers.extend(in_clause)
    return triggers


def _subject_start(tokens: list[Token], lo: int, trigger: Trigger) -> int:
    """Where a clause's first trigger starts taking arguments: the clause start, unless a noun trigger
    follows a verb of its own ("Кан осудил визит Медведева": Кан did not visit); support verbs
    ("провели переговоры", "совершил визит", "подписали соглашение") pass their subject on."""
    if trigger.token.pos == "VERB":
        return lo
    verbs = [k for k in range(lo, trigger.index) if tokens[k].pos == "VERB"]
    if verbs and tokens[verbs[-1]].lemma not in _SUPPORT_VERBS:
        return trigger.index
    return lo


def _subject_split(view: SentenceView, previous: Trigger, trigger: Trigger) -> int:
    """Where the previous trigger's words end: at the subject of a verb trigger ("В ходе визита X в Москву
    Y и Z подписали соглашение": Y and Z sign, X visits), else at the trigger itself."""
    if trigger.token.pos != "VERB":
        return trigger.index
    low, high = view.tokens[previous.index].end, view.tokens[trigger.index].start
    for mention, _ in view.mentions:
        if not low <= mention.start < high:
            continue
        inside = [j for j, t in enumerate(view.tokens) if mention.start <= t.start < mention.end]
        # Any word of the name in the nominative: the tagger often misses case on the first name.
        if inside and any(view.tokens[j].feats.get("Case") == "Nom" for j in inside):
            return inside[0]
    return trigger.index


def clause_ranges(view: SentenceView) -> list[tuple[int, int]]:
    """Token ranges of the clauses; a "который" clause is glued to the clause before it."""
    starts = {m.start for m, _ in view.mentions}
    ranges, lo = [], 0
    for i, tok in enumerate(view.tokens):
        nxt = view.tokens[i + 1] if i + 1 < len(view.tokens) else None
        is_punct = tok.text in _CLAUSE_PUNCT or (tok.text == "," and nxt is not None and nxt.start not in starts)
        if (is_punct or i in view.line_ends) and not (nxt is not None and nxt.lemma == "который"):
            ranges.append((lo, i if is_punct else i + 1))  # a punctuation mark belongs to neither clause
            lo = i + 1
    ranges.append((lo, len(view.tokens)))
    return [(a, b) for a, b in ranges if b > a]


def trigger_type(tokens: list[Token], i: int) -> str | None:
    """The event type that ``tokens[i]`` triggers, or None."""
    tok = tokens[i]
    if i > 0 and _not_an_occurrence(tokens[i - 1]):
        return None
    if i > 1 and tokens[i - 1].lemma in _TRIGGERS and _not_an_occurrence(tokens[i - 2]):
        return None  # "без подписания соглашения": the absence covers both words
    if tok.lemma in _PHONE_HEADS and _mentions_phone(tokens, i):
        return "phone_call"
    if tok.lemma in _HOST_VERBS:
        return "meeting" if _hosts_guest(tokens, i) else None
    if tok.lemma == "договоренность":
        window = tokens[max(0, i - 3):i + 4]
        return "agreement" if any(t.lemma in _REACHED for t in window) and _is_singular_event(tok) else None
    kind = _TRIGGERS.get(tok.lemma)
    if kind is None or tok.pos not in ("NOUN", "VERB", "PROPN"):
        return None
    if tok.pos != "VERB" and tok.lemma not in _PLURAL_ONLY and not _is_singular_event(tok):
        return None
    return kind


def _not_an_occurrence(before: Token) -> bool:
    """"площадка для переговоров" (a purpose), "завершилась без подписания" (an absence) and "подобной
    встречи" (a kind) do not report an event.
    A remembered one ("75-летие встречи на Эльбе") does: it happened, and NEREL annotates it."""
    return before.lemma in _NOT_OCCURRING or before.lemma in _GENERIC


def _hosts_guest(tokens: list[Token], i: int) -> bool:
    """"принял в Москве Марка Лебедева", "принимает своего коллегу": a host receiving a guest (an animate
    object), not "принял закон" or "принял участие"."""
    for tok in tokens[i + 1:i + 8]:
        if tok.feats.get("Animacy") == "Anim" and tok.feats.get("Case") == "Acc" and tok.pos in ("NOUN", "PROPN"):
            return tok.pos == "PROPN" or tok.lemma in _GUESTS
    return False


def _mentions_phone(tokens: list[Token], i: int) -> bool:
    before = tokens[max(0, i - 2):i]
    after = tokens[i + 1:i + 4]
    return any(t.lemma == "телефонный" for t in before) or any(t.lemma == "телефон" for t in after)


def _is_singular_event(tok: Token) -> bool:
    return tok.feats.get("Number") != "Plur"


def build_event(doc: Document, view: SentenceView, trigger: Trigger) -> Event | None:
    """Participants, place, date and status for one trigger; None when it has no argument at all."""
    lo, hi = trigger.scope
    scope_start, scope_end = view.tokens[lo].start, view.tokens[hi - 1].end
    location = find_location(view, trigger)
    participants = find_participants(doc, view, trigger, location)
    date = find_date(doc, view, scope_start, scope_end, trigger.token)
    if trigger.type == "statement" and not participants:
        return None
    status = find_status(view.tokens, trigger)
    if status == "happened" and date and _after_publication(date.value, doc.published):
        date = None  # a date after publication is what was said or planned, not when this happened
    if not (participants or location or date) or status is None:
        return None
    return Event(type=trigger.type, participants=participants, location=location, date=date,
                 status=status, start=view.span.start, end=view.span.end,
                 trigger=trigger.token.text)


def _after_publication(value: str, published: str | None) -> bool:
    """True for a calendar date, month or year ("2026", "2025-12") that starts after ``published``."""
    if not published or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return False
    return value > published[:len(value)]


def find_location(view: SentenceView, trigger: Trigger) -> str | None:
    """A LOC after в/во/на in the trigger's scope, nearest to the trigger (after it first)."""
    lo, hi = trigger.scope
    # The trigger's phrase ends at a finite verb other than "состояться/пройти…": "Визит X в Астану стал …",
    # "Саммит пройдет в Гааге", but not "В преддверии саммита Астана укрепила статус … в Центральной Азии".
    hi = next((k for k in range(trigger.index + 1, hi) if view.tokens[k].feats.get("VerbForm") == "Fin"
               and view.tokens[k].lemma not in _TAKE_PLACE), hi)
    token_at = {t.start: k for k, t in enumerate(view.tokens)}
    candidates = []
    for mention, entity in view.mentions:
        k = token_at.get(mention.start)
        if entity.type != "LOC" or k is None or not lo <= k < hi or k == trigger.index:
            continue
        prev = view.tokens[k - 1].lemma if k > 0 else ""
        # "посетил Берлин", "Муром посетят …": the object of a visiting verb is the place.
        direct_object = trigger.token.lemma in _VERB_OBJECT_PLACE and prev not in _ANY_PREPOSITION \
            and view.tokens[k].feats.get("Case") in ("Acc", "Nom")
        if prev in _PREPOSITIONS or direct_object:
            after = k > trigger.index
            if after or trigger.index - k <= 4:
                candidates.append((0 if after else 1, abs(k - trigger.index), entity.id))
    return min(candidates)[2] if candidates else None


def find_participants(doc: Document, view: SentenceView, trigger: Trigger, location: str | None) -> list[str]:
    """People in the scope when there are any, else organisations and places next to the trigger."""
    lo, hi = trigger.scope
    start, end = view.tokens[lo].start, view.tokens[hi - 1].end
    people, others = [], []
    for mention, entity in view.mentions:
        if not (start <= mention.start and mention.end <= end) or entity.id == location:
            continue
        if mention.start < trigger.token.end and trigger.token.start < mention.end:
            continue  # the trigger word itself mistaken for a name
        modifier = mention.kind == "adjective" and _modifies_trigger(view, mention, trigger)
        if mention.kind == "adjective" and not modifier:
            continue  # "встреча американских и советских войск": the troops meet, the adjectives are theirs
        holder = title_holder(doc, view, mention, entity, trigger)
        if holder is None and entity.type != "PER" and not (modifier or _next_to_trigger(view, mention, trigger)):
            continue
        if entity.type == "LOC" and _preposition_before(view, mention) in _PREPOSITIONS:
            continue  # "в Гааге" is a place, not a participant
        if entity.type == "PER" and _is_possessor(view, mention, trigger):
            continue  # "на юбилей Анны Смирновой прибыл …": Смирнова is not the visitor
        target = people if (holder or entity).type == "PER" else others
        ident = (holder or entity).id
        if ident not in target:
            target.append(ident)
    return people or others


def _modifies_trigger(view: SentenceView, mention: Mention, trigger: Trigger) -> bool:
    """A place adjective in the trigger's own modifiers ("российско-американские переговоры")."""
    between = [t for t in view.tokens if mention.end <= t.start and t.end <= trigger.token.start]
    return mention.end <= trigger.token.start and all(t.pos in ("ADJ", "CCONJ", "PUNCT") for t in between)


def _is_possessor(view: SentenceView, mention: Mention, trigger: Trigger) -> bool:
    """A genitive name hanging on another common noun of a different case ("юбилей Анны", "жена Игоря")."""
    k = next((n for n, t in enumerate(view.tokens) if t.start >= mention.start), None)
    if k is None or k == 0 or k - 1 == trigger.index:
        return False
    head, name = view.tokens[k - 1], view.tokens[k]
    return (name.feats.get("Case") == "Gen" and head.pos == "NOUN" and head.lemma not in _GUESTS
            and head.feats.get("Case") not in (None, "Gen"))


def _preposition_before(view: SentenceView, mention: Mention) -> str:
    before = [t for t in view.tokens if t.end <= mention.start]
    return before[-1].lemma if before else ""


def _next_to_trigger(view: SentenceView, mention: Mention, trigger: Trigger) -> bool:
    """An ORG/LOC takes part when it is in the trigger's phrase ("визит США") or its subject
    ("Россия подписала", "Казахстан и Китай достигли договоренности")."""
    k = next((n for n, t in enumerate(view.tokens) if t.start >= mention.start), trigger.index)
    if k > trigger.index:
        return k - trigger.index <= _ORG_WINDOW_AFTER
    is_subject = view.tokens[k].feats.get("Case") == "Nom"
    return (is_subject or trigger.token.pos == "VERB") and trigger.index - k <= _ORG_WINDOW_BEFORE


def title_holder(doc: Document, view: SentenceView, mention: Mention, entity: Entity,
                 trigger: Trigger) -> Entity | None:
    """"визит Президента США" -> the person whose role is президент of США in this document, if just one.

    Only when the title belongs to the trigger's phrase: in "визит представителя президента США" the
    president is not the visitor."""
    if entity.type not in ("LOC", "ORG"):
        return None
    before = [(k, t) for k, t in enumerate(view.tokens) if t.end <= mention.start]
    if not before:
        return None
    k, title_token = before[-1]
    head = view.tokens[k - 1] if k > 0 else None
    if head is None or (head.pos in ("NOUN", "PROPN") and k - 1 != trigger.index):
        return None
    title = title_token.lemma
    holders = [p for p in doc.entities if p.type == "PER"
               and any(r.of == entity.id and title in r.title.split() for r in p.roles)]
    return holders[0] if len(holders) == 1 else None


def find_date(doc: Document, view: SentenceView, start: int, end: int, trigger: Token) -> EventDate | None:
    """A date in the trigger's scope, else the nearest one in its sentence (within 60 characters)."""
    in_sentence = [d for d in doc.dates if view.span.start <= d.start < view.span.end]
    in_scope = [d for d in in_sentence if start <= d.start and d.end <= end]
    near = in_scope or [d for d in in_sentence if _distance(d.start, d.end, trigger) <= 60]
    if not near:
        return None
    best = min(near, key=lambda d: _distance(d.start, d.end, trigger))
    return EventDate(best.value, doc.text[best.start:best.end])


def _distance(start: int, end: int, tok: Token) -> int:
    return max(tok.start - end, start - tok.end, 0)


def find_status(tokens: list[Token], trigger: Trigger) -> str | None:
    """possible > planned > the tense of the nearest verb in the scope > happened; None for an event that
    was called off ("визит отменили", "встреча не состоялась"), which the contract has no status for."""
    lo, hi = trigger.scope
    scope = tokens[lo:hi]
    if any(t.lemma in _CANCELLED for t in scope + _words_before(tokens, trigger)):
        return None
    modifiers = _words_before(tokens, trigger)  # "возможный", "в преддверии"
    if any(t.lemma in _POSSIBLE for t in scope) or any(t.feats.get("Mood") == "Cnd" for t in scope):
        return "possible"
    if any(t.lemma in _PLANNED for t in modifiers) or any(t.lemma in _PLANNED and t.pos == "VERB" for t in scope):
        return "planned"
    if any(t.lemma in _POSTPONED for t in scope):
        return "planned"
    verbs = [(abs(k - trigger.index), token_tense(t), k) for k, t in enumerate(tokens[lo:hi], lo)
             if k != trigger.index or t.pos == "VERB"]
    verbs = [v for v in verbs if v[1] != 0]
    if not verbs:
        return "happened"
    _, tense, k = min(verbs)
    if tense < 0 and k > 0 and tokens[k - 1].lemma == "не":
        return None  # "встреча не состоялась"
    return "planned" if tense > 0 else "happened"


def _words_before(tokens: list[Token], trigger: Trigger, count: int = 3) -> list[Token]:
    """Up to ``count`` words before the trigger in its clause ("возможный визит", "отменил визит")."""
    words = []
    for tok in reversed(tokens[max(0, trigger.index - count):trigger.index]):
        if tok.text in _CLAUSE_PUNCT or tok.text == ",":
            break
        words.append(tok)
    return words


def merge_events(events: list[Event], people: set[str] | frozenset[str] = frozenset()) -> list[Event]:
    """Merge repeated mentions of one event; the first mention keeps the evidence span.

    ``people`` are the ids of persons: two different sets of persons are two events, while an
    organisation or a country ("американская делегация", "США") may stand for the persons of the other."""
    merged: list[Event] = []
    for event in events:
        same = next((m for m in merged if _same_event(m, event, people)), None)
        if same is None:
            merged.append(event)
            continue
        same.participants += [p for p in event.participants if p not in same.participants]
        same.location = same.location or event.location
        same.date = same.date or event.date
    return merged


def _same_event(a: Event, b: Event, people: set[str] | frozenset[str]) -> bool:
    if a.type != b.type or a.status != b.status:
        return False
    if a.location and b.location and a.location != b.location:
        return False
    if a.date and b.date and a.date.value != b.date.value:
        return False
    # Two different groups of persons are two events; a side naming no person is the same event told again
    # ("саммит C5+1 в Вашингтоне … в преддверии саммита", "визит Гора и Ландау … визит американской делегации").
    persons_a, persons_b = set(a.participants) & people, set(b.participants) & people
    if persons_a and persons_b:
        return bool(persons_a & persons_b)
    if a.participants and b.participants and not (persons_a or persons_b):
        return bool(set(a.participants) & set(b.participants))
    return True


def make_events_stage():
    from .pipeline import Stage
    return Stage("events", extract_events, requires=("tokens", "sentences", "entities", "dates"),
                 assigns=("events",))
