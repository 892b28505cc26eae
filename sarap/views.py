"""Read-only views over the knowledge base, shared by the CLI (`sarap entity`, `sarap stats`) and the web app.

Each view takes a Store and returns one plain record; ``view_dict`` turns it into the JSON the API serves,
so a page and its JSON twin always show the same thing.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from .store.base import CoMention, DocumentFilter, DocumentRow, KbEntity, KbQuote, KbRole, Store, StoreCounts

# How much one page shows; the JSON twin shows the same.
PROFILE_DOCUMENTS = 50
PROFILE_QUOTES = 100
PROFILE_NEIGHBOURS = 30
# Quotes and co-mentions are read from the entity's most recently ingested documents: exact for nearly every
# entity, and bounded time for "Россия" in 100K documents (bench/web_latency.py: fetching the 10 entities of
# each of 1000 documents takes ~50 ms, of 2000 twice that).  Tone over time reaches further back.
PROFILE_RECENT = 1000
TONE_RECENT = 5000
STATS_INTERVIEWS = 50


@dataclass(slots=True)
class QuoteView:
    """A quote with its speaker and subjects named, and where it stands."""
    doc_id: str
    title: str | None
    source: str | None
    published: str | None
    speaker: str | None
    speaker_key: str | None
    kind: str
    text: str
    about: list[str]
    start: int
    end: int


@dataclass(slots=True)
class ToneDay:
    """Documents on one publication day in which the entity's tone was positive, negative or neutral."""
    day: str | None
    positive: int = 0
    negative: int = 0
    neutral: int = 0


@dataclass(slots=True)
class EntityProfile:
    key: str
    type: str
    name: str
    latin: str
    mentions: int
    documents: int
    originals: int
    aliases: list[str]
    roles: list[KbRole]
    document_rows: list[DocumentRow]
    quotes_by: list[QuoteView]
    quotes_about: list[QuoteView]
    co_mentions: list[CoMention]
    tone: list[ToneDay]
    also_known: list[KbEntity] = field(default_factory=list)   # other entities answering to the same name
    recent_documents: int = 0      # how many documents the quotes, co-mentions and tone were read from
    co_mention_pairs: list[tuple[str, str, int]] = field(default_factory=list)   # edges between neighbours


@dataclass(slots=True)
class InterviewRow:
    doc_id: str
    title: str | None
    source: str | None
    published: str | None
    interviewees: list[str]


@dataclass(slots=True)
class CorpusStats:
    counts: StoreCounts
    by_source: list[tuple[str | None, int]]
    by_day: list[tuple[str | None, int]]
    per_source_day: list[tuple[str | None, str | None, int]]
    top_entities: list[KbEntity]
    interviews: list[InterviewRow]
    interview_count: int


@dataclass(slots=True)
class SourceSide:
    source: str
    documents: int
    by_day: list[tuple[str | None, int]]
    top_entities: list[KbEntity]


@dataclass(slots=True)
class SourceComparison:
    a: SourceSide
    b: SourceSide
    shared_entities: list[str]   # names of top entities both sources write about


def view_dict(view: Any) -> Any:
    """A view record as JSON-ready data (tuples become lists)."""
    return asdict(view) if hasattr(view, "__dataclass_fields__") else view


def find_entity(store: Store, name: str) -> tuple[KbEntity | None, list[KbEntity]]:
    """The entity a user means by ``name`` (a kb key such as "PER:иван петров" or any known name), and
    the other entities the same name could mean."""
    if ":" in name:
        exact = store.get_entity(name)
        if exact is not None:
            return exact, []
    found = store.find_entities(name)
    return (found[0], found[1:]) if found else (None, [])


def entity_profile(store: Store, name: str) -> EntityProfile | None:
    """Everything the store knows about one entity, gathered from every document; None if unknown."""
    from .canonical import to_latin

    entity, others = find_entity(store, name)
    if entity is None:
        return None
    names = EntityNames(store)
    names.known[entity.key] = entity.name
    quotes = [quote_view(q, names) for q in store.entity_quotes(entity.key, PROFILE_QUOTES, PROFILE_RECENT)]
    rows = store.neighbour_rows(entity.key, PROFILE_RECENT)
    neighbours = count_co_mentions(rows, entity.key, PROFILE_NEIGHBOURS, store.entity_names)
    return EntityProfile(
        key=entity.key, type=entity.type, name=entity.name, latin=to_latin(entity.name),
        mentions=entity.mentions, documents=entity.documents, originals=entity.originals,
        aliases=sorted({alias for alias, _ in entity.aliases}), roles=store.entity_roles(entity.key),
        document_rows=store.entity_documents(entity.key, PROFILE_DOCUMENTS),
        quotes_by=[q for q in quotes if q.speaker_key == entity.key],
        quotes_about=[q for q in quotes if q.speaker_key != entity.key],
        co_mentions=neighbours,
        co_mention_pairs=count_pairs(rows, {c.key for c in neighbours}),
        tone=tone_by_day(store.entity_sentiments(entity.key, TONE_RECENT)), also_known=others,
        recent_documents=min(entity.documents, PROFILE_RECENT))


def count_co_mentions(rows: list[tuple[str, str]], key: str, limit: int, names) -> list[CoMention]:
    """Entities sharing documents with ``key`` in (document, entity) rows, most shared first (ties by key);
    ``names(keys)`` gives their display names."""
    named = {(doc, entity) for doc, entity in rows if entity != key}   # once per document
    shared = Counter(entity for _, entity in named)
    top = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    known = names([k for k, _ in top])
    return [CoMention(k, k.split(":", 1)[0], known.get(k, k), n) for k, n in top]


def count_pairs(rows: list[tuple[str, str]], keys: set[str]) -> list[tuple[str, str, int]]:
    """(a, b, documents) for pairs of ``keys`` named in the same document, a < b."""
    from itertools import combinations

    by_doc: dict[str, set[str]] = defaultdict(set)
    for doc, entity in rows:
        if entity in keys:
            by_doc[doc].add(entity)
    pairs = Counter(pair for named in by_doc.values() for pair in combinations(sorted(named), 2))
    return sorted((a, b, n) for (a, b), n in pairs.items())


class EntityNames:
    """Display names of kb keys, looked up once each."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.known: dict[str, str] = {}

    def __call__(self, key: str | None) -> str | None:
        if key is None:
            return None
        if key not in self.known:
            self.known[key] = self.store.entity_names([key]).get(key, key)
        return self.known[key]


def quote_view(quote: KbQuote, names: EntityNames) -> QuoteView:
    if quote.speaker_key and quote.speaker_name:
        names.known[quote.speaker_key] = quote.speaker_name   # joined by the store: no look-up per quote
    return QuoteView(doc_id=quote.doc_id, title=quote.title, source=quote.source, published=quote.published,
                     speaker=names(quote.speaker_key), speaker_key=quote.speaker_key, kind=quote.kind,
                     text=quote.text, about=[names(k) or k for k in quote.about], start=quote.start, end=quote.end)


def tone_by_day(rows: list[tuple[str | None, str, int]]) -> list[ToneDay]:
    """(day, label, documents) rows folded into one record per day, oldest first."""
    days: dict[str | None, ToneDay] = {}
    for day, label, count in rows:
        tone = days.setdefault(day, ToneDay(day))
        if label in ("positive", "negative", "neutral"):
            setattr(tone, label, getattr(tone, label) + count)
    return sorted(days.values(), key=lambda t: t.day or "")


def corpus_stats(store: Store, filters: DocumentFilter | None = None, top: int = 20) -> CorpusStats:
    """Documents by source and by day, top entities, interviews and their interviewees."""
    per_source_day = store.documents_per_day(filters)
    by_source, by_day = Counter(), Counter()
    for source, day, count in per_source_day:
        by_source[source] += count
        by_day[day] += count
    interview_filter = DocumentFilter(**{**asdict(filters or DocumentFilter()), "kind": "interview"})
    tops = store.filtered_top_entities(filters, top) if filters else store.top_entities(limit=top)
    return CorpusStats(
        counts=store.counts(),
        by_source=sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0] or "")),
        by_day=sorted(by_day.items(), key=lambda kv: kv[0] or ""),
        per_source_day=per_source_day, top_entities=tops,
        interviews=list_interviews(store, interview_filter, STATS_INTERVIEWS),
        interview_count=store.count_documents(interview_filter))


def list_interviews(store: Store, filters: DocumentFilter, limit: int) -> list[InterviewRow]:
    """The newest interviews with the names of their interviewees."""
    rows = []
    for row in store.list_documents(filters, limit=limit):
        doc = store.get_document(row.id)
        people = []
        for person in doc.interviewees if doc else []:
            entity = doc.entity(person.entity)
            name = entity.name if entity else person.entity
            people.append(f"{name} ({person.description})" if person.description else name)
        rows.append(InterviewRow(row.id, row.title, row.source, row.published, people))
    return rows


def compare_sources(store: Store, a: str, b: str, top: int = 15) -> SourceComparison:
    """Two outlets side by side: volume, attention over time and the entities each writes about."""
    sides = [source_side(store, name, top) for name in (a, b)]
    names_a = {e.key: e.name for e in sides[0].top_entities}
    shared = [names_a[e.key] for e in sides[1].top_entities if e.key in names_a]
    return SourceComparison(sides[0], sides[1], shared)


def source_side(store: Store, source: str, top: int) -> SourceSide:
    filters = DocumentFilter(source=source)
    by_day: dict[str | None, int] = defaultdict(int)
    for _, day, count in store.documents_per_day(filters):
        by_day[day] += count
    return SourceSide(source=source, documents=sum(by_day.values()),
                      by_day=sorted(by_day.items(), key=lambda kv: kv[0] or ""),
                      top_entities=store.filtered_top_entities(filters, top))
