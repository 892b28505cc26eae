"""Batch analysis of a corpus into Parquet tables, on one machine or on Apache Spark.

The same worker function analyses a batch of input records in both engines; models load once per
worker process (``worker_analyzer``).  Output: one folder per table (``sarap.tables``), the same schema
as ``sarap export --format parquet``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .inputs import Rejected
from .model import Document
from .settings import Settings

# Input records are plain dicts so they cross process and Arrow boundaries unchanged.
RECORD_FIELDS = ("key", "content", "text", "title", "published", "source", "url", "reason")
ANALYSED_COLUMNS = ("key", "doc_id", "reason", "document_json")


@dataclass(slots=True)
class BatchOptions:
    engine: str = "local"          # local | spark
    workers: int = 1               # local: processes
    master: str | None = None      # spark: master URL (default local[*])
    partitions: int | None = None  # spark: input partitions
    chunk_size: int = 64           # local: records per resumable chunk
    source: str | None = None      # source name for records that carry none
    settings: Settings = field(default_factory=Settings)


@dataclass(slots=True)
class BatchResult:
    documents: int = 0
    rejected: int = 0
    duplicates: int = 0
    skipped_chunks: int = 0
    tables: dict[str, int] = field(default_factory=dict)


_worker: Any = None


def worker_analyzer(tone_model: str = "lexical"):
    """One Analyzer per worker process, created on first use (never per row or per batch)."""
    global _worker
    if _worker is None or _worker.tone_model != tone_model:
        from threadpoolctl import threadpool_limits

        from .analyzer import Analyzer

        # A batch worker is one core: parallelism comes from worker processes (or Spark tasks), and
        # BLAS threads inside each worker would only fight over the same cores.
        threadpool_limits(1)
        _worker = Analyzer(tone_model)
    return _worker


def expand_rows(rows: Iterable[dict[str, Any]], settings: Settings) -> Iterator[dict[str, Any]]:
    """Raw input rows (a file's bytes, or a record with text) as one record per article.

    A file's bytes go through sarap.readers, so a WARC file becomes its HTML responses and a JSONL
    file its lines exactly as in ``sarap ingest``; an unreadable article becomes a record with a reason.
    """
    from .readers import ReaderOptions, read_data, read_sidecar

    options = ReaderOptions(settings=settings)
    for row in rows:
        if row.get("content") is None:
            yield {k: row.get(k) for k in RECORD_FIELDS if k != "content"}
            continue
        # A NAME.meta.json beside a local file names its title, source and date, as in `sarap ingest`.
        meta = read_sidecar(row["key"])
        for got in read_data(row["content"], row["key"], options):
            if isinstance(got, Rejected):
                yield {"key": got.path or row["key"], "reason": got.reason}
            else:
                yield {"key": got.path, "text": got.text, "title": got.title, "published": got.published,
                       "source": got.source, "url": got.url, "notes": got.notes, **meta}


def prepare_document(record: dict[str, Any]) -> Document | Rejected:
    """An unanalysed Document from one record, or a Rejected with the reason."""
    key = record.get("key")
    if record.get("reason"):
        return Rejected(record["reason"], key)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Rejected("input is empty or whitespace only", key)
    doc = Document(text=text, title=record.get("title"), source=record.get("source"), url=record.get("url"),
                   published=_iso_date(record.get("published")))
    doc.notes.extend(record.get("notes") or [])
    return doc


def analyse_records(records: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    """Analyse a batch of records; one output row per record (document JSON or a rejection reason)."""
    analyzer = worker_analyzer(settings.tone_model)
    out = []
    for record in records:
        prepared = prepare_document(record)
        if isinstance(prepared, Rejected):
            out.append({"key": record.get("key"), "doc_id": None, "reason": prepared.reason, "document_json": None})
            continue
        try:
            doc = analyzer.pipeline(prepared)
        except Exception as exc:  # one bad document must not sink the batch; the reason is kept
            out.append({"key": record.get("key"), "doc_id": None, "reason": str(exc), "document_json": None})
            continue
        if not doc.text:
            out.append({"key": record.get("key"), "doc_id": None, "reason": "no text left after cleaning",
                        "document_json": None})
            continue
        out.append({"key": record.get("key"), "doc_id": doc.id, "reason": None,
                    "document_json": json.dumps(doc.to_dict(), ensure_ascii=False)})
    return out


def _iso_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = str(value)[:10]
    import datetime as dt
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ---------------------------------------------------------------- local engine

def run_local(records: Iterable[dict[str, Any]], output: str, options: BatchOptions) -> BatchResult:
    """Analyse with a process pool in resumable chunks, then dedupe and write the tables."""
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    from .batch_dedup import dedupe_local
    from .parquet_out import ChunkWriter, write_kb_tables, write_tables

    staging = ChunkWriter(output)
    result = BatchResult()
    todo = iter_todo(chunked(records, options.chunk_size), staging, result)
    if options.workers <= 1:
        for index, chunk in todo:
            staging.write_chunk(index, analyse_records(chunk, options.settings))
    else:
        with ProcessPoolExecutor(options.workers) as pool:
            # A bounded window of chunks in flight keeps memory flat however large the input.
            window: list = []
            for index, chunk in todo:
                window.append((index, pool.submit(analyse_records, chunk, options.settings)))
                if len(window) >= 2 * options.workers:
                    done_index, future = window.pop(0)
                    staging.write_chunk(done_index, future.result())
            for done_index, future in window:
                staging.write_chunk(done_index, future.result())
    rows, result.duplicates = dedupe_local(staging.staged_rows(), options.settings)
    result.tables = write_tables(Path(output), rows)
    result.tables.update(write_kb_tables(Path(output), rows))   # rows are in publication order
    result.documents = result.tables["documents"]
    result.rejected = result.tables["rejected"]
    (Path(output) / "_SUCCESS").write_text("")
    return result


def iter_todo(chunks: Iterable[list], staging, result: BatchResult) -> Iterator[tuple[int, list]]:
    """The numbered chunks still to analyse; chunks staged by an earlier run are counted and skipped."""
    for index, chunk in enumerate(chunks):
        if staging.is_done(index):
            result.skipped_chunks += 1
        else:
            yield index, chunk


def iter_local_records(path: str, options: BatchOptions) -> Iterator[dict[str, Any]]:
    """Input records from a local file or folder, in a stable order (so chunk numbers survive a restart)."""
    from pathlib import Path

    from .readers import expand_paths

    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"no such input: {path}")
    # The files `sarap ingest` would read (hidden files, sidecars and folder notes left out), in order.
    files = [Path(p) for p in expand_paths([path])]
    for file in files:
        if file.name.lower().endswith(".parquet"):
            rows = _parquet_rows(file)
        else:
            rows = [{"key": str(file), "content": file.read_bytes()}]
        for record in expand_rows(rows, options.settings):
            if options.source and not record.get("source"):
                record["source"] = options.source
            yield record


def _parquet_rows(file) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for number, row in enumerate(pq.read_table(file).to_pylist()):
        yield {"key": row.get("key") or row.get("url") or f"{file}:{number}", "text": row.get("text"),
               **{k: row.get(k) for k in ("title", "published", "source", "url")}}


def run_batch(input_path: str, output: str, options: BatchOptions) -> BatchResult:
    """Analyse everything under ``input_path`` into Parquet tables under ``output``."""
    if options.engine == "spark":
        from .spark_engine import run_spark
        return run_spark(input_path, output, options)
    if options.engine != "local":
        raise ValueError(f"unknown engine {options.engine!r} (local or spark)")
    return run_local(iter_local_records(input_path, options), output, options)
