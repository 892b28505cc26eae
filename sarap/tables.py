"""Documents flattened into relational tables: one schema for export, batch output and bulk load.

Every table carries ``doc_id``; ``documents.document_json`` keeps the whole Document so a loader can
rebuild it exactly.  Column types are pinned as pyarrow schemas so Parquet written by the local
engine, by Spark and by ``sarap export`` is the same.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from .model import Document

TABLE_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "documents": [("doc_id", "string"), ("title", "string"), ("source", "string"), ("url", "string"),
                  ("published", "string"), ("kind", "string"), ("language", "string"), ("n_chars", "int64"),
                  ("text", "string"), ("reprint_of", "string"), ("document_json", "string")],
    "turns": [("doc_id", "string"), ("idx", "int64"), ("role", "string"), ("speaker", "string"),
              ("start", "int64"), ("end", "int64")],
    "interviewees": [("doc_id", "string"), ("entity_id", "string"), ("name", "string"),
                     ("description", "string")],
    "entities": [("doc_id", "string"), ("entity_id", "string"), ("type", "string"), ("subtype", "string"),
                 ("name", "string"), ("n_mentions", "int64"), ("sentiment_label", "string"),
                 ("sentiment_score", "double")],
    "mentions": [("doc_id", "string"), ("entity_id", "string"), ("start", "int64"), ("end", "int64"),
                 ("text", "string")],
    "roles": [("doc_id", "string"), ("entity_id", "string"), ("title", "string"), ("of_entity_id", "string"),
              ("start", "int64"), ("end", "int64")],
    "quotes": [("doc_id", "string"), ("idx", "int64"), ("speaker", "string"), ("kind", "string"),
               ("start", "int64"), ("end", "int64"), ("about", "list<string>"), ("text", "string")],
    "dates": [("doc_id", "string"), ("start", "int64"), ("end", "int64"), ("value", "string"),
              ("text", "string")],
    "amounts": [("doc_id", "string"), ("start", "int64"), ("end", "int64"), ("value", "double"),
                ("unit", "string"), ("approximate", "bool"), ("text", "string")],
    "events": [("doc_id", "string"), ("idx", "int64"), ("type", "string"), ("participants", "list<string>"),
               ("location", "string"), ("date_value", "string"), ("date_text", "string"),
               ("status", "string"), ("start", "int64"), ("end", "int64"), ("trigger", "string")],
    "stances": [("doc_id", "string"), ("speaker", "string"), ("target", "string"), ("label", "string"),
                ("score", "double"), ("evidence_starts", "list<int64>"), ("evidence_ends", "list<int64>")],
    "rejected": [("path", "string"), ("reason", "string")],
}

TABLES = list(TABLE_COLUMNS)


def document_rows(doc: Document, doc_id: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """All rows that one analysed document contributes, by table name."""
    did = doc_id or doc.id
    text = doc.text
    names = {e.id: e.name for e in doc.entities}
    return {
        "documents": [{"doc_id": did, "title": doc.title, "source": doc.source, "url": doc.url,
                       "published": doc.published, "kind": doc.kind, "language": doc.language,
                       "n_chars": len(text), "text": text, "reprint_of": None,
                       "document_json": json.dumps(doc.to_dict(), ensure_ascii=False)}],
        "turns": [{"doc_id": did, "idx": i, "role": t.role, "speaker": t.speaker, "start": t.start, "end": t.end}
                  for i, t in enumerate(doc.turns)],
        "interviewees": [{"doc_id": did, "entity_id": iv.entity, "name": names.get(iv.entity),
                          "description": iv.description} for iv in doc.interviewees],
        "entities": [_entity_row(did, e) for e in doc.entities],
        "mentions": [{"doc_id": did, "entity_id": e.id, "start": m.start, "end": m.end, "text": m.text}
                     for e in doc.entities for m in e.mentions],
        "roles": [{"doc_id": did, "entity_id": e.id, "title": r.title, "of_entity_id": r.of,
                   "start": r.start, "end": r.end} for e in doc.entities for r in e.roles],
        "quotes": [{"doc_id": did, "idx": i, "speaker": q.speaker, "kind": q.kind, "start": q.start,
                    "end": q.end, "about": list(q.about), "text": text[q.start:q.end]}
                   for i, q in enumerate(doc.quotes)],
        "dates": [{"doc_id": did, "start": d.start, "end": d.end, "value": d.value, "text": text[d.start:d.end]}
                  for d in doc.dates],
        "amounts": [{"doc_id": did, "start": a.start, "end": a.end, "value": float(a.value), "unit": a.unit,
                     "approximate": a.approximate, "text": text[a.start:a.end]} for a in doc.amounts],
        "events": [_event_row(did, i, ev) for i, ev in enumerate(doc.events)],
        "stances": [{"doc_id": did, "speaker": s.speaker, "target": s.target, "label": s.label,
                     "score": float(s.score), "evidence_starts": [e.start for e in s.evidence],
                     "evidence_ends": [e.end for e in s.evidence]} for s in doc.stances],
        "rejected": [],
    }


def _entity_row(did: str, e) -> dict[str, Any]:
    return {"doc_id": did, "entity_id": e.id, "type": e.type, "subtype": e.subtype, "name": e.name,
            "n_mentions": len(e.mentions),
            "sentiment_label": e.sentiment.label if e.sentiment else None,
            "sentiment_score": float(e.sentiment.score) if e.sentiment else None}


def _event_row(did: str, idx: int, ev) -> dict[str, Any]:
    return {"doc_id": did, "idx": idx, "type": ev.type, "participants": list(ev.participants),
            "location": ev.location, "date_value": ev.date.value if ev.date else None,
            "date_text": ev.date.text if ev.date else None, "status": ev.status,
            "start": ev.start, "end": ev.end, "trigger": ev.trigger}


def rows_for(docs: Iterable[Document]) -> dict[str, list[dict[str, Any]]]:
    """Rows of many documents, concatenated per table."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for doc in docs:
        for name, rows in document_rows(doc).items():
            out[name].extend(rows)
    return out


def arrow_schema(table: str):
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "double": pa.float64(), "bool": pa.bool_(),
             "list<string>": pa.list_(pa.string()), "list<int64>": pa.list_(pa.int64())}
    return pa.schema([(name, types[kind]) for name, kind in TABLE_COLUMNS[table]])


def arrow_table(table: str, rows: list[dict[str, Any]]):
    import pyarrow as pa

    schema = arrow_schema(table)
    return pa.Table.from_pylist(rows, schema=schema)


def document_from_row(row: dict[str, Any]) -> Document:
    """Rebuild the analysed Document from a ``documents`` row."""
    return Document.from_dict(json.loads(row["document_json"]))
