"""Ingest: read inputs, skip exact copies, analyse in batches, link reprints and entities, store.

Each document is written in its own transaction, so an interrupted ingest leaves only whole
documents behind and re-running it adds exactly what is missing (already stored texts are exact
duplicates of themselves).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .canonical import entity_aliases, resolve_key
from .dedup import ReprintIndex, make_minhash, minhash_bytes, minhash_from_bytes, text_hash
from .inputs import Rejected
from .model import Document
from .readers import ReaderOptions, Record, expand_paths, read_path
from .settings import Settings
from .store.base import EntityLink, Store, StoredDocument


@dataclass(slots=True)
class IngestSummary:
    """What one ingest did; ``changed`` is False when re-running it found nothing new."""
    files: int = 0
    ingested: int = 0
    reprints: int = 0                  # ingested documents linked as near-duplicates of an earlier one
    exact_duplicates: int = 0          # skipped: the same normalised text is already stored
    rejected: Counter = field(default_factory=Counter)   # reason -> count, this run
    new_rejections: int = 0            # rejections not recorded by an earlier run

    @property
    def seen(self) -> int:
        return self.ingested + self.exact_duplicates + sum(self.rejected.values())

    @property
    def changed(self) -> bool:
        return bool(self.ingested or self.new_rejections)


@dataclass(slots=True)
class IngestProgress:
    files_done: int
    files_total: int
    summary: IngestSummary


@dataclass(slots=True)
class _Pending:
    record: Record
    hash: str
    minhash: object


def ingest(paths: Iterable[str], store: Store | str | None = None, source: str | None = None, *,
           analyzer=None, settings: Settings | None = None, fields: dict[str, str] | None = None,
           on_progress: Callable[[IngestProgress], None] | None = None) -> IngestSummary:
    """Ingest files, directories (recursively) or "-" (stdin) into ``store`` (a Store, URL or the default).

    ``source`` names the outlet for inputs that do not say; ``fields`` renames JSON fields
    ({"text": "body"}).  Returns counts of ingested, reprints, exact duplicates and rejections.
    """
    from .store import open_store

    settings = settings or Settings.load()
    if store is None or isinstance(store, str):
        opened = open_store(store, settings)
        try:
            return ingest(paths, opened, source, analyzer=analyzer, settings=settings, fields=fields,
                          on_progress=on_progress)
        finally:
            opened.close()
    if analyzer is None:
        from .analyzer import shared_analyzer
        analyzer = shared_analyzer(settings.tone_model)
    options = ReaderOptions(settings=settings)
    options.fields.update(fields or {})
    run = _IngestRun(store, analyzer, settings, source, load_reprint_index(store, settings))
    files = list(expand_paths(paths))

    def report() -> None:
        if on_progress:
            on_progress(IngestProgress(run.summary.files, len(files), run.summary))

    run.after_batch = report  # a big JSONL or WARC file moves the bar batch by batch
    report()
    for done, path in enumerate(files, 1):
        for item in read_path(path, options):
            run.take(item)
        run.summary.files = done
        report()
    run.flush()
    report()
    return run.summary


def load_reprint_index(store: Store, settings: Settings) -> ReprintIndex:
    """The near-duplicate index over everything already stored."""
    index = ReprintIndex(settings.near_duplicate_threshold)
    for doc_id, reprint_of, signature in store.iter_minhashes():
        index.add(doc_id, minhash_from_bytes(signature), reprint_of)
    return index


class _IngestRun:
    """The state of one ingest: the pending batch, the reprint index and the running summary."""

    def __init__(self, store: Store, analyzer, settings: Settings, source: str | None,
                 reprints: ReprintIndex) -> None:
        self.store, self.analyzer, self.settings, self.source = store, analyzer, settings, source
        self.reprints = reprints
        self.pending: list[_Pending] = []
        self.pending_hashes: set[str] = set()
        self.written: list[Document] = []   # originals stored since the last flush, for the narratives
        self.summary = IngestSummary()
        self.after_batch: Callable[[], None] = lambda: None

    def take(self, item: Record | Rejected) -> None:
        if isinstance(item, Rejected):
            self.reject(item.path or "-", item.reason)
            return
        digest = text_hash(item.text)
        if digest in self.pending_hashes or self.store.has_hash(digest):
            self.summary.exact_duplicates += 1
            return
        self.pending.append(_Pending(item, digest, make_minhash(item.text)))
        self.pending_hashes.add(digest)
        if len(self.pending) >= self.settings.batch_size:
            self.flush()

    def reject(self, path: str, reason: str) -> None:
        self.summary.rejected[reason] += 1
        self.summary.new_rejections += self.store.add_rejected(path, reason)

    def flush(self) -> None:
        batch, self.pending, self.pending_hashes = self.pending, [], set()
        docs = [to_document(p.record, self.source) for p in batch]
        for pending, result in zip(batch, analyse_batch(self.analyzer, docs)):
            if isinstance(result, Rejected):
                self.reject(pending.record.path, result.reason)
            else:
                self.write(pending, result)
        self.after_write()
        self.after_batch()

    def after_write(self) -> None:
        """Post-ingest hook: the batch's new originals join the store's narrative state.  Documents are
        committed first, so a failure here leaves them stored and the next read of the narratives adds them."""
        from .narrative_store import update_stored_narratives

        written, self.written = self.written, []
        if written and self.settings.narratives_on_ingest:
            update_stored_narratives(self.store, written)

    def write(self, pending: _Pending, doc: Document) -> None:
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        reprint_of = self.reprints.find_original(pending.minhash)
        stored = build_stored(doc, pending.hash, link_entities(doc, self.store.lookup_alias),
                              reprint_of=reprint_of, path=pending.record.path, ingested_at=now,
                              minhash=minhash_bytes(pending.minhash) if pending.minhash is not None else None)
        if not self.store.add_document(stored):
            # Different raw inputs that clean to an already stored text.
            self.summary.exact_duplicates += 1
            return
        self.reprints.add(doc.id, pending.minhash, reprint_of)
        if reprint_of is None:  # a reprint would count one text as two sources
            self.written.append(doc)
        self.summary.ingested += 1
        self.summary.reprints += reprint_of is not None


def to_document(record: Record, source: str | None) -> Document:
    doc = Document(text=record.text, title=record.title, source=record.source or source, url=record.url,
                   published=record.published)
    doc.notes = list(record.notes)
    return doc


def analyse_batch(analyzer, docs: list[Document]) -> list[Document | Rejected]:
    """``Analyzer.map`` over the batch; if a stage fails, redo it one by one so only that text is rejected."""
    from .pipeline import StageError

    try:
        results: list[Document | Rejected] = list(analyzer.map(docs))
    except StageError:
        results = []
        for doc in docs:
            try:
                results.append(analyzer.pipeline(doc))
            except StageError as exc:
                results.append(Rejected(f"analysis failed: {exc}"))
    return [Rejected("no text left after cleaning") if isinstance(r, Document) and not r.text.strip() else r
            for r in results]


def link_entities(doc: Document, lookup) -> list[EntityLink]:
    """Resolve each document entity to a knowledge-base key (see sarap.canonical.resolve_key)."""
    links = []
    for ent in doc.entities:
        # Role references ("глава государства", "президент") name whoever holds the role in this document;
        # as aliases they would merge every head of state across the store into one entity.  Place adjectives
        # ("российских") are no names of the place either.
        mentions = [m.text for m in ent.mentions if m.kind == "name"]
        key = resolve_key(ent.type, ent.name, mentions, lookup)
        aliases = [(a.text, a.kind) for a in entity_aliases(ent.type, ent.name, mentions)]
        links.append(EntityLink(ent.id, key, ent.type, ent.name, aliases))
    return links


def build_stored(doc: Document, digest: str, links: list[EntityLink], **extra) -> StoredDocument:
    """The record a store writes for an analysed document, with its lemma index strings."""
    from .search import index_text

    indexed = index_text(doc.text)
    return StoredDocument(document=doc, hash=digest, lemmas=indexed.lemmas, forms=indexed.forms, links=links,
                          **extra)
