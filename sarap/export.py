"""Exports of the knowledge base: per-table JSONL, CSV or Parquet, and a GEXF co-mention graph.

The per-document tables are ``sarap.tables`` (the same schema ``sarap batch`` writes); the
knowledge-base tables (``kb_entities``, ``kb_aliases``, ``kb_links``) are the store's own rows; the
cross-document ones (``narratives``, ``narrative_members``, ``threads``) are computed on export.
Everything streams: memory does not grow with the corpus, and nothing is cut at a limit.
"""
from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Iterator

from .store.base import Store
from .tables import TABLE_COLUMNS, TABLES, arrow_table, document_rows

FORMATS = ("jsonl", "csv", "parquet", "gexf")
KB_TABLES = {"kb_entities": "entities", "kb_aliases": "aliases", "kb_links": "document_entities"}


@dataclass(slots=True)
class ExportSummary:
    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def export_store(store: Store, out: str | Path, fmt: str) -> ExportSummary:
    """Write the whole store to ``out`` in ``fmt`` (jsonl, csv, parquet or gexf)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "gexf":
        return write_gexf(store, out / "comentions.gexf")
    summary = ExportSummary()
    with TableSinks(out, fmt) as sinks:
        for rows in iter_document_rows(store):
            for name, table_rows in rows.items():
                sinks.write(name, table_rows)
        for name, table in KB_TABLES.items():
            sinks.write(name, list(store.iter_rows(table)))
        for name, rows in cross_document_rows(store).items():
            sinks.write(name, rows)
        summary.files, summary.rows = sinks.paths(), dict(sinks.counts)
    return summary


# Threads compare documents pairwise, so they are computed over the newest originals, as
# `sarap threads` does by default.
THREAD_WINDOW = 500


def cross_document_rows(store: Store, window: int = THREAD_WINDOW) -> dict[str, list[dict[str, Any]]]:
    """Rows of the stored narratives (with their member sentences) and of same-event threads."""
    from .narrative_store import read_narratives
    from .store.base import DocumentFilter
    from .threads import group_threads

    out: dict[str, list[dict[str, Any]]] = {"narratives": [], "narrative_members": [], "threads": []}
    for number, n in enumerate(read_narratives(store, min_sources=2), 1):
        out["narratives"].append({"narrative_id": number, "representative": n.representative, "sources": n.sources,
                                  "speakers": n.speakers, "first_seen": n.first_seen, "last_seen": n.last_seen,
                                  "entities": list(n.entities)})
        out["narrative_members"].extend({"narrative_id": number, "doc_id": m.document, "start": m.start,
                                         "end": m.end, "text": m.text, "source": m.source,
                                         "published": m.published, "speaker": m.speaker_name}
                                        for m in n.members)
    rows = store.list_documents(DocumentFilter(originals_only=True), limit=window)
    docs = [d for d in (store.get_document(r.id) for r in rows) if d is not None]
    for number, t in enumerate(group_threads(docs) if docs else [], 1):
        out["threads"].append({"thread_id": number, **t.to_dict()})
    return out


def iter_document_rows(store: Store) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Per-table rows of every stored document, oldest first, with ``reprint_of`` from the store."""
    for row in store.iter_rows("documents"):
        doc = store.get_document(row["id"])
        if doc is None:
            continue
        rows = document_rows(doc)
        rows["documents"][0]["reprint_of"] = row.get("reprint_of")
        rows["rejected"] = []
        yield rows
    yield {"rejected": [{"path": r.path, "reason": r.reason} for r in store.list_rejected()]}


class TableSinks:
    """One output file per table, opened on first write, in the chosen format."""

    def __init__(self, out: Path, fmt: str) -> None:
        self.out, self.fmt = out, fmt
        self.files: dict[str, Any] = {}
        self.counts: Counter = Counter()

    def __enter__(self) -> "TableSinks":
        for name in TABLES:          # every document table exists, even when empty
            self.write(name, [])
        return self

    def __exit__(self, *exc) -> None:
        for handle in self.files.values():
            handle.close()

    def paths(self) -> list[str]:
        return [str(self.out / f"{name}.{self.fmt}") for name in self.files]

    def write(self, name: str, rows: list[dict[str, Any]]) -> None:
        if name not in self.files:
            self.files[name] = self._open(name, rows)
        if rows:
            self.files[name].write(rows)
            self.counts[name] += len(rows)
        else:
            self.counts.setdefault(name, 0)

    def _open(self, name: str, rows: list[dict[str, Any]]):
        path = self.out / f"{name}.{self.fmt}"
        columns = [c for c, _ in TABLE_COLUMNS[name]] if name in TABLE_COLUMNS else list(rows[0]) if rows else []
        if self.fmt == "parquet":
            return ParquetSink(path, name, columns)
        if self.fmt == "csv":
            return CsvSink(path, columns)
        return JsonlSink(path)


class JsonlSink:
    def __init__(self, path: Path) -> None:
        self.handle = path.open("w", encoding="utf-8")

    def write(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.handle.close()


class CsvSink:
    """CSV with a header; list values as JSON so they survive a round trip."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.handle, fieldnames=columns, extrasaction="ignore")
        self.writer.writeheader()

    def write(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                                  for k, v in row.items()})

    def close(self) -> None:
        self.handle.close()


class ParquetSink:
    def __init__(self, path: Path, name: str, columns: list[str]) -> None:
        self.path, self.name, self.columns = path, name, columns
        self.writer = None
        if name in TABLE_COLUMNS:
            import pyarrow.parquet as pq
            from .tables import arrow_schema
            self.writer = pq.ParquetWriter(path, arrow_schema(name))

    def write(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = arrow_table(self.name, rows) if self.name in TABLE_COLUMNS else pa.Table.from_pylist(rows)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, table.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def comention_graph(store: Store):
    """A networkx graph: knowledge-base entities as nodes, edges weighted by documents mentioning both."""
    import networkx as nx

    names = {r["key"]: (r["name"], r["type"]) for r in store.iter_rows("entities")}
    by_doc: dict[str, set[str]] = {}
    for link in store.iter_rows("document_entities"):
        by_doc.setdefault(link["doc_id"], set()).add(link["entity_key"])
    graph = nx.Graph()
    doc_counts: Counter = Counter(key for keys in by_doc.values() for key in keys)
    for key, count in doc_counts.items():
        name, type_ = names.get(key, (key, ""))
        graph.add_node(key, label=name, type=type_, documents=count)
    for keys in by_doc.values():
        for a, b in combinations(sorted(keys), 2):
            weight = graph[a][b]["weight"] + 1 if graph.has_edge(a, b) else 1
            graph.add_edge(a, b, weight=weight)
    return graph


def write_gexf(store: Store, path: Path) -> ExportSummary:
    import networkx as nx

    graph = comention_graph(store)
    nx.write_gexf(graph, path)
    return ExportSummary(files=[str(path)], rows={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()})
