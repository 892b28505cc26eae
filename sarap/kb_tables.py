"""Knowledge-base entities for batch output: the store's canonicalisation, run over documents in order.

``sarap ingest`` links each document's entities to knowledge-base keys with ``ingest.link_entities``
against the aliases stored so far, then stores the new aliases.  ``KbBuilder`` does exactly that with an
in-memory alias table, so ``sarap batch`` (local or Spark) writes the same ``kb_entities``, ``kb_aliases``
and ``kb_links`` rows — the columns of the store's ``entities``, ``aliases`` and ``document_entities``
tables, as ``sarap export`` writes them.
"""
from __future__ import annotations

from typing import Any

from .ingest import link_entities
from .model import Document

KB_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "kb_entities": [("key", "string"), ("type", "string"), ("name", "string")],
    "kb_aliases": [("key", "string"), ("type", "string"), ("alias", "string"), ("kind", "string")],
    "kb_links": [("doc_id", "string"), ("local_id", "string"), ("entity_key", "string"), ("name", "string"),
                 ("mentions", "int64"), ("sentiment", "string")],
}


class KbBuilder:
    """Feed documents in publication order; collects the knowledge-base rows as the store would write them."""

    def __init__(self) -> None:
        self.aliases: dict[tuple[str, str], list[tuple[str, str]]] = {}   # (type, alias) -> [(key, kind)]
        self.entities: dict[str, dict[str, Any]] = {}
        self.alias_rows: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []

    def lookup(self, type_: str, alias: str) -> list[tuple[str, str]]:
        return list(self.aliases.get((type_, alias), []))

    def add(self, doc: Document) -> None:
        links = link_entities(doc, self.lookup)          # against the aliases of earlier documents only
        keys = {link.local_id: link.key for link in links}
        for link in links:
            self.entities.setdefault(link.key, {"key": link.key, "type": link.type, "name": link.name})
            for alias, kind in link.aliases:
                known = self.aliases.setdefault((link.type, alias), [])
                if all(key != link.key for key, _ in known):
                    known.append((link.key, kind))
                    self.alias_rows.append({"key": link.key, "type": link.type, "alias": alias, "kind": kind})
        for ent in doc.entities:
            self.links.append({"doc_id": doc.id, "local_id": ent.id, "entity_key": keys[ent.id], "name": ent.name,
                               "mentions": len(ent.mentions),
                               "sentiment": ent.sentiment.label if ent.sentiment else None})

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        return {"kb_entities": list(self.entities.values()), "kb_aliases": self.alias_rows, "kb_links": self.links}


def kb_arrow_table(name: str, rows: list[dict[str, Any]]):
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64()}
    schema = pa.schema([(col, types[kind]) for col, kind in KB_COLUMNS[name]])
    return pa.Table.from_pylist(rows, schema=schema)
