"""Batch output on one machine: analysed chunks staged atomically, then flattened into table folders.

``OUTPUT/_analysed/part-NNNNNN.parquet`` holds one row per input record (document JSON or a reason).
A chunk file is written under a temporary name and renamed, so after a kill a chunk either exists
whole or is redone on the next run; the final tables are rebuilt from the staged chunks each run.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterable

from .model import Document
from .tables import TABLES, arrow_table, document_rows

ANALYSED = "_analysed"


class ChunkWriter:
    def __init__(self, output: str | os.PathLike):
        self.root = Path(output)
        self.staging = self.root / ANALYSED
        self.staging.mkdir(parents=True, exist_ok=True)

    def path(self, index: int) -> Path:
        return self.staging / f"part-{index:06d}.parquet"

    def is_done(self, index: int) -> bool:
        return self.path(index).exists()

    def write_chunk(self, index: int, analysed: list[dict[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from .spark_engine import analysed_schema

        tmp = self.staging / f".part-{index:06d}.tmp"
        pq.write_table(pa.Table.from_pylist(analysed, schema=analysed_schema()), tmp)
        os.replace(tmp, self.path(index))

    def staged_rows(self) -> list[dict[str, Any]]:
        import pyarrow.parquet as pq

        rows: list[dict[str, Any]] = []
        for part in sorted(self.staging.glob("part-*.parquet")):
            rows.extend(pq.read_table(part).to_pylist())
        return rows


def write_tables(root: Path, analysed: Iterable[dict[str, Any]], part_rows: int = 500) -> dict[str, int]:
    """Flatten analysed rows into ``root/<table>/part-*.parquet``, replacing earlier table folders."""
    import pyarrow.parquet as pq

    counts = {name: 0 for name in TABLES}
    for name in TABLES:
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).mkdir(parents=True)
    batch: list[dict[str, Any]] = []
    part = 0

    def flush() -> None:
        nonlocal part
        for name, rows in rows_from_analysed(batch).items():
            pq.write_table(arrow_table(name, rows), root / name / f"part-{part:06d}.parquet")
            counts[name] += len(rows)
        part += 1
        batch.clear()

    for row in analysed:
        batch.append(row)
        if len(batch) >= part_rows:
            flush()
    flush()
    return counts


def rows_from_analysed(analysed: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per-table rows for analysed records (document JSON with optional ``reprint_of``, or a rejection)."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for item in analysed:
        if item["reason"] is not None:
            out["rejected"].append({"path": item["key"], "reason": item["reason"]})
            continue
        doc = Document.from_dict(json.loads(item["document_json"]))
        for name, rows in document_rows(doc).items():
            out[name].extend(rows)
        out["documents"][-1]["reprint_of"] = item.get("reprint_of")
    return out


def build_kb(analysed: Iterable[dict[str, Any]]):
    """The knowledge-base rows of analysed documents, fed in the order given (publication order)."""
    from .kb_tables import KbBuilder

    builder = KbBuilder()
    for item in analysed:
        if item["reason"] is None:
            builder.add(Document.from_dict(json.loads(item["document_json"])))
    return builder.rows()


def write_kb_tables(root: Path, analysed: Iterable[dict[str, Any]]) -> dict[str, int]:
    """``kb_entities``, ``kb_aliases`` and ``kb_links`` under ``root``, one part each."""
    import pyarrow.parquet as pq

    from .kb_tables import kb_arrow_table

    counts = {}
    for name, rows in build_kb(analysed).items():
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).mkdir(parents=True)
        pq.write_table(kb_arrow_table(name, rows), root / name / "part-000000.parquet")
        counts[name] = len(rows)
    return counts
