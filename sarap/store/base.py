"""The Store protocol and the records that cross it.

A store keeps every ingested document (its full JSON plus normalised tables), the knowledge-base
entities with their aliases, rejected inputs and a lemma search index.  SQLite and PostgreSQL
implement the same protocol and pass the same tests; callers (CLI, web app, Spark loader, exports)
depend only on this module.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol

from ..model import Document


@dataclass(slots=True)
class EntityLink:
    """One document entity resolved to a knowledge-base entity, with the aliases it contributes."""
    local_id: str          # the entity's id inside its document ("e3")
    key: str               # the knowledge-base key ("PER:касым жомарт токаев")
    type: str
    name: str
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias text, kind)


@dataclass(slots=True)
class StoredDocument:
    """Everything written for one document, in one transaction."""
    document: Document
    hash: str                       # exact-duplicate key: hash of the normalised raw text
    lemmas: str                     # one primary lemma per word, space-separated (phrase search)
    forms: str                      # the other lemmas and surface forms of the words (term search)
    links: list[EntityLink] = field(default_factory=list)
    reprint_of: str | None = None   # id of the earliest near-duplicate copy
    minhash: bytes | None = None    # MinHash signature, to rebuild the LSH index on the next run
    path: str | None = None         # where the input came from (file, file:line, warc record)
    ingested_at: str = ""


@dataclass(slots=True)
class DocumentRow:
    """A document's metadata as listed by the store (the text and analysis via ``get_document``)."""
    id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    kind: str
    path: str | None
    ingested_at: str
    reprint_of: str | None
    length: int


@dataclass(slots=True)
class DocumentFilter:
    """Restrictions shared by listing and search; ``None`` means no restriction."""
    source: str | None = None
    kind: str | None = None
    since: str | None = None        # ISO date, inclusive, on ``published``
    until: str | None = None        # ISO date, inclusive
    entity_keys: list[str] | None = None   # documents mentioning any of these kb entities
    originals_only: bool = False    # leave out reprints


@dataclass(slots=True)
class SearchHit:
    row: DocumentRow
    score: float                    # higher is better (negated bm25 on SQLite, ts_rank on PostgreSQL)
    text: str = ""                  # the document text, for snippets


@dataclass(slots=True)
class KbEntity:
    key: str
    type: str
    name: str
    mentions: int = 0
    documents: int = 0
    originals: int = 0              # documents that are not reprints
    aliases: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class KbRole:
    """A title an entity held, with the span of publication dates it was seen in."""
    title: str
    of: str | None                  # the organisation or country's name
    first_seen: str | None
    last_seen: str | None
    documents: int


@dataclass(slots=True)
class KbQuote:
    """A stored quote with its document's metadata; ``about`` holds kb keys (or unresolved local ids)."""
    doc_id: str
    title: str | None
    source: str | None
    published: str | None
    speaker_key: str | None
    kind: str
    text: str
    about: list[str]
    start: int
    end: int
    speaker_name: str | None = None


@dataclass(slots=True)
class CoMention:
    """An entity seen in the same documents as another, with how many documents they share."""
    key: str
    type: str
    name: str
    documents: int


@dataclass(slots=True)
class StoreCounts:
    documents: int
    originals: int
    reprints: int
    entities: int
    mentions: int
    rejected: int


@dataclass(slots=True)
class RejectedInput:
    path: str
    reason: str
    at: str


@dataclass(slots=True)
class StoredClaim:
    """A sentence that can join a narrative, as the narrative state keeps it (see sarap.narrative_store)."""
    doc_id: str
    start: int
    end: int
    text: str
    source: str | None = None
    published: str | None = None
    speaker: str | None = None
    speaker_name: str | None = None
    in_quote: bool = False
    entities: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)   # content lemmas of its units: a pre-filter
    verbatim: str = ""              # its lower-cased words: a source repeating them is boilerplate
    narrative_id: str | None = None
    boilerplate: bool = False


@dataclass(slots=True)
class StoredNarrative:
    """A cluster of claims from two or more documents; ``narrative`` is its Narrative as a dict, or None
    when the cluster is not a narrative (one speaker's statement quoted verbatim)."""
    id: str
    sources: int
    first_seen: str | None
    last_seen: str | None
    narrative: dict | None


@dataclass(slots=True)
class NarrativeChanges:
    """One update of the narrative state, written in one transaction."""
    documents: list[str] = field(default_factory=list)         # originals now taken into account
    claims: list[StoredClaim] = field(default_factory=list)    # their sentences
    moved: list[StoredClaim] = field(default_factory=list)     # stored sentences with a new narrative id
    boilerplate: list[StoredClaim] = field(default_factory=list)  # stored sentences now boilerplate
    narratives: list[StoredNarrative] = field(default_factory=list)  # new or changed clusters
    removed: list[str] = field(default_factory=list)           # ids of clusters merged away or dissolved


class Store(Protocol):
    """What every backend offers.  Writes are per document and atomic; reads never see half a document."""

    url: str

    # -- writing -------------------------------------------------------------------------------
    def add_document(self, stored: StoredDocument) -> bool:
        """Write one document and all its rows in one transaction; False if its id or hash is already stored."""
    def add_documents(self, batch: list[StoredDocument]) -> int:
        """Write many documents in one transaction (bulk loads: Spark, benchmarks); returns how many were new."""
    def add_rejected(self, path: str, reason: str) -> bool:
        """Record an input that could not be ingested; False if this path was already rejected for this reason."""
    def has_hash(self, text_hash: str) -> bool:
        """Whether a document with this normalised-text hash is stored (exact duplicate)."""
    def iter_minhashes(self) -> Iterator[tuple[str, str | None, bytes]]:
        """(id, reprint_of, signature) of every stored document, oldest first, to rebuild near-duplicate search."""
    def lookup_alias(self, type_: str, alias: str) -> list[tuple[str, str]]:
        """(entity key, alias kind) of the entities of ``type_`` known by this normalised alias."""

    # -- reading -------------------------------------------------------------------------------
    def get_document(self, doc_id: str) -> Document | None:
        """The full Document as ingested (its JSON), or None."""
    def get_row(self, doc_id: str) -> DocumentRow | None:
        """A document's metadata row, or None."""
    def list_documents(self, filters: DocumentFilter | None = None, limit: int = 100,
                       offset: int = 0) -> list[DocumentRow]:
        """Documents matching ``filters``, newest publication first."""
    def count_documents(self, filters: DocumentFilter | None = None) -> int:
        """How many documents match ``filters`` (no limit)."""
    def search(self, query: str, filters: DocumentFilter | None = None, limit: int = 20,
               window: int | None = None) -> list[SearchHit]:
        """Full-text search over lemmas (see sarap.search for the query language), best first.
        When more than ``window`` documents match (default: setting search_rank_window), only the
        most recently ingested ``window`` of them are ranked."""
    def find_entities(self, name: str, type_: str | None = None) -> list[KbEntity]:
        """Knowledge-base entities known by ``name`` (any alias, any inflection seen), most documents first."""
    def get_entity(self, key: str) -> KbEntity | None:
        """One knowledge-base entity with its counts and aliases."""
    def top_entities(self, type_: str | None = None, limit: int = 20) -> list[KbEntity]:
        """Entities with the most documents."""
    def entity_roles(self, key: str) -> list[KbRole]:
        """Titles the entity held, with first/last publication dates they were seen."""
    def entity_documents(self, key: str, limit: int = 100) -> list[DocumentRow]:
        """Documents mentioning the entity, newest first."""
    def entity_quotes(self, key: str, limit: int = 200, recent: int = 2000) -> list[KbQuote]:
        """Quotes the entity said or that are about it, newest publication first, from its ``recent`` most
        recently ingested documents."""
    def document_entity_keys(self, doc_id: str) -> dict[str, str]:
        """The kb key of each of a document's entities, by its local id ("e3")."""
    def neighbour_rows(self, key: str, recent: int = 2000) -> list[tuple[str, str]]:
        """(document id, entity key) of every entity named in the entity's ``recent`` most recently ingested
        documents: co-mentions and the edges between them are counted from these (sarap.views)."""
    def entity_sentiments(self, key: str, recent: int = 5000) -> list[tuple[str | None, str, int]]:
        """(publication day, sentiment label, documents) for the entity's document-level tone, over its
        ``recent`` most recently ingested documents."""
    def entity_names(self, keys: list[str]) -> dict[str, str]:
        """The canonical name of each known key (a cheap look-up, no counts)."""
    def list_events(self, since: str | None = None, until: str | None = None, type_: str | None = None,
                    limit: int = 500) -> list[dict]:
        """Events by their own date, else their document's publication day (``day``), oldest first, with the
        document's title and source; ``since``/``until`` bound that day (inclusive); undated events are left out."""
    def documents_per_day(self, filters: DocumentFilter | None = None) -> list[tuple[str | None, str | None, int]]:
        """(source, publication day, documents), by day then source."""
    def filtered_top_entities(self, filters: DocumentFilter, limit: int = 20) -> list[KbEntity]:
        """Entities with the most documents among those matching ``filters`` (counts within them)."""
    def counts(self) -> StoreCounts:
        """Totals, with reprints counted both ways."""
    def list_rejected(self) -> list[RejectedInput]:
        """Every rejected input with its path and reason, oldest first."""
    def iter_rows(self, table: str) -> Iterator[dict]:
        """Raw rows of a normalised table (documents, mentions, entities, aliases, document_entities,
        roles, quotes, dates, amounts, events, rejected) for exports."""
    def known_narrative_documents(self, doc_ids: list[str]) -> set[str]:
        """Which of these documents the narrative state already took into account."""
    def documents_without_narratives(self, limit: int = 1000) -> list[Document]:
        """Up to ``limit`` stored originals the narrative state has not taken into account, oldest first."""
    def recent_narrative_claims(self, documents: int) -> list[StoredClaim]:
        """The sentences (boilerplate left out) of the ``documents`` most recently added to the narrative state."""
    def narrative_claims(self, narrative_ids: list[str]) -> list[StoredClaim]:
        """Every sentence of these narrative clusters."""
    def repeated_claims(self, keys: list[tuple[str, str]]) -> list[StoredClaim]:
        """Stored sentences with these (source, verbatim) keys, boilerplate included."""
    def save_narrative_changes(self, changes: NarrativeChanges) -> None:
        """Write one update of the narrative state in one transaction."""
    def list_narratives(self, min_sources: int = 1) -> list[dict]:
        """The persisted narratives (Narrative records as dicts) spanning ``min_sources`` sources, biggest first."""
    def clear_narratives(self) -> None:
        """Forget the narrative state (before a rebuild)."""
    def migrate(self) -> int:
        """Apply the numbered migrations not yet applied (each in one transaction); returns the version."""
    def schema_version(self) -> int:
        """The number of the last migration applied."""
    def close(self) -> None:
        """Release the connection."""


TABLES = ("documents", "mentions", "entities", "aliases", "document_entities", "roles", "quotes", "dates",
          "amounts", "events", "rejected")
