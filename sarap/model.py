"""The document model: plain dataclasses that every stage reads and enriches.

Every span is a pair of Python string offsets (end exclusive) into ``Document.text``,
the cleaned text.  ``Document.to_dict()`` is the JSON contract (schema_version 1).
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1


@dataclass(slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    # name; reference (a role reference such as "глава государства", resolved to the holder);
    # adjective (a place adjective: "российских" of Россия); nominal (a body by its noun: "правительство")
    kind: str = "name"


@dataclass(slots=True)
class Role:
    title: str
    of: str | None
    start: int
    end: int


@dataclass(slots=True)
class Profession:
    """A phrase naming an office, rank or occupation ("министр иностранных дел", "журналиста"), with the
    person it names when the text says who ("Сергей Лавров, министр ..."), else None."""
    start: int
    end: int
    text: str
    lemma: str
    holder: str | None = None  # entity id


@dataclass(slots=True)
class Sentiment:
    label: str  # positive | negative | neutral
    score: float


@dataclass(slots=True)
class Entity:
    id: str
    type: str  # PER | ORG | LOC
    name: str
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    sentiment: Sentiment | None = None
    subtype: str | None = None  # LOC: country | city | region | other


@dataclass(slots=True)
class Turn:
    role: str  # lead | question | answer | closing
    speaker: str | None
    start: int
    end: int


@dataclass(slots=True)
class Interviewee:
    entity: str
    description: str | None


@dataclass(slots=True)
class Quote:
    speaker: str | None
    kind: str  # answer | direct | indirect
    start: int
    end: int
    about: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DateRef:
    start: int
    end: int
    value: str


@dataclass(slots=True)
class Amount:
    start: int
    end: int
    value: float
    unit: str | None
    approximate: bool


@dataclass(slots=True)
class EventDate:
    value: str
    text: str


@dataclass(slots=True)
class Event:
    type: str
    participants: list[str]
    location: str | None
    date: EventDate | None
    status: str  # happened | planned | possible
    start: int
    end: int
    trigger: str | None = None


@dataclass(slots=True)
class Stance:
    speaker: str | None
    target: str
    label: str
    score: float
    evidence: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Token:
    """A word with its morphology; kept in memory for stages, not serialised."""
    start: int
    end: int
    text: str
    pos: str
    feats: dict[str, str]
    lemma: str


@dataclass(slots=True)
class NerSpan:
    """A raw entity span from the NER backend, before repair and resolution."""
    start: int
    end: int
    type: str
    text: str
    normal: str
    subtype: str | None = None  # LOC: country | city | region | other (set by the NER repair stage)


@dataclass(slots=True)
class Document:
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str = "ru"
    kind: str = "article"
    sentences: list[Span] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    interviewees: list[Interviewee] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    professions: list[Profession] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Working state shared between stages; never serialised.
    tokens: list[Token] = field(default_factory=list, repr=False)
    ner_spans: list[NerSpan] = field(default_factory=list, repr=False)

    @property
    def id(self) -> str:
        return document_id(self.text)

    def entity(self, entity_id: str | None) -> Entity | None:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "id": self.id}
        for f in fields(self):
            if f.name in _PRIVATE:
                continue
            value = getattr(self, f.name)
            out[f.name] = [asdict(v) for v in value] if isinstance(value, list) and f.name != "notes" else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        doc = cls(text=data["text"])
        for name in ("title", "source", "url", "published", "language", "kind"):
            setattr(doc, name, data.get(name, getattr(doc, name)))
        doc.notes = list(data.get("notes", []))
        doc.sentences = [Span(**s) for s in data.get("sentences", [])]
        doc.turns = [Turn(**t) for t in data.get("turns", [])]
        doc.interviewees = [Interviewee(**i) for i in data.get("interviewees", [])]
        doc.entities = [_entity_from_dict(e) for e in data.get("entities", [])]
        doc.quotes = [Quote(**q) for q in data.get("quotes", [])]
        doc.dates = [DateRef(**d) for d in data.get("dates", [])]
        doc.amounts = [Amount(**a) for a in data.get("amounts", [])]
        doc.events = [_event_from_dict(e) for e in data.get("events", [])]
        doc.stances = [_stance_from_dict(s) for s in data.get("stances", [])]
        doc.professions = [Profession(**p) for p in data.get("professions", [])]
        return doc


_PRIVATE = {"tokens", "ner_spans"}


def document_id(text: str) -> str:
    """Stable id: the first 16 hex digits of the SHA-256 of the cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _entity_from_dict(data: dict[str, Any]) -> Entity:
    sentiment = data.get("sentiment")
    return Entity(
        id=data["id"], type=data["type"], name=data["name"],
        mentions=[Mention(**m) for m in data.get("mentions", [])],
        roles=[Role(**r) for r in data.get("roles", [])],
        sentiment=Sentiment(**sentiment) if sentiment else None,
        subtype=data.get("subtype"),
    )


def _event_from_dict(data: dict[str, Any]) -> Event:
    date = data.get("date")
    kwargs = {k: v for k, v in data.items() if k != "date"}
    return Event(date=EventDate(**date) if date else None, **kwargs)


def _stance_from_dict(data: dict[str, Any]) -> Stance:
    kwargs = {k: v for k, v in data.items() if k != "evidence"}
    return Stance(evidence=[Span(**s) for s in data.get("evidence", [])], **kwargs)
