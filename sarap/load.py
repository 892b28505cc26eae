"""Bulk-loading ``sarap batch`` output (Parquet tables) into a store, idempotently.

Each document goes through the same steps as ``sarap ingest`` after analysis (exact-duplicate check,
reprint link, knowledge-base entity links, lemma index), so a corpus loaded from batch output is the
knowledge base ingest would have built.  Documents already stored are skipped: loading twice adds nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .dedup import make_minhash, minhash_bytes, text_hash
from .ingest import build_stored, link_entities, load_reprint_index
from .narrative_store import CHUNK, update_stored_narratives
from .settings import Settings
from .store.base import Store
from .tables import document_from_row


@dataclass(slots=True)
class LoadSummary:
    loaded: int = 0
    already_stored: int = 0
    reprints: int = 0
    rejected: int = 0


def iter_table(folder: str | Path, table: str, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Rows of one table of batch output, part by part (bounded memory)."""
    import pyarrow.parquet as pq

    path = Path(folder) / table
    if not path.exists():
        return
    for part in sorted(path.glob("*.parquet")):
        for batch in pq.ParquetFile(part).iter_batches(batch_size=256, columns=columns):
            yield from batch.to_pylist()


def load_batch_output(folder: str | Path, store: Store, settings: Settings | None = None) -> LoadSummary:
    """Load ``folder`` (written by ``sarap batch``) into ``store``; returns what was added."""
    settings = settings or Settings.load()
    if not (Path(folder) / "documents").exists():
        raise FileNotFoundError(f"{folder} has no documents/ table: is it the output of `sarap batch`?")
    summary = LoadSummary()
    index = load_reprint_index(store, settings)
    rows = sorted(iter_table(folder, "documents", ["doc_id", "published", "reprint_of", "document_json"]),
                  key=lambda r: (r["published"] or "9999-99-99", r["doc_id"]))
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    originals = []  # loaded originals waiting to join the narrative state, CHUNK at a time
    for row in rows:
        doc = document_from_row(row)
        digest = text_hash(doc.text)
        if store.has_hash(digest):
            summary.already_stored += 1
            continue
        minhash = make_minhash(doc.text)
        reprint_of = row["reprint_of"] or index.find_original(minhash)
        stored = build_stored(doc, digest, link_entities(doc, store.lookup_alias), reprint_of=reprint_of,
                              path=f"batch:{row['doc_id']}", ingested_at=now,
                              minhash=minhash_bytes(minhash) if minhash is not None else None)
        if store.add_document(stored):
            index.add(doc.id, minhash, reprint_of)
            summary.loaded += 1
            summary.reprints += reprint_of is not None
            if reprint_of is None and settings.narratives_on_ingest:
                originals.append(doc)
            if len(originals) >= CHUNK:
                update_stored_narratives(store, originals)
                originals = []
        else:
            summary.already_stored += 1
    update_stored_narratives(store, originals)
    for row in iter_table(folder, "rejected"):
        summary.rejected += store.add_rejected(row["path"], row["reason"])
    return summary
