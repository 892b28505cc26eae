"""Curating knowledge-base entities by hand: merge two entities, split an alias off, apply an alias file.

Analysts correct what automatic resolution got wrong ("Тоқаев" left apart from "Токаев"; two people
called "Ли" merged).  Changes move every row that names the entity — links, mentions, roles, quotes,
events — in one transaction, and move the aliases too, so later ingests resolve the same way.
Everything goes through the store's SQL layer (``_execute``/``_transaction``), shared by SQLite and
PostgreSQL.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .canonical import entity_key, normalize_name, to_cyrillic

# (table, column) pairs that hold a knowledge-base key directly.
KEY_COLUMNS = (("document_entities", "entity_key"), ("mentions", "entity_key"), ("roles", "entity_key"),
               ("roles", "of"), ("quotes", "speaker_key"), ("events", "location"))
# (table, column, row id columns) pairs that hold a JSON list of keys.
JSON_COLUMNS = (("quotes", "about", ("doc_id", "n")), ("events", "participants", ("doc_id", "n")))


class CurationError(ValueError):
    """A merge or split that cannot be done, with the reason."""


@dataclass(slots=True)
class CurationReport:
    merged: list[tuple[str, str]] = field(default_factory=list)      # (from key, into key)
    split: list[tuple[str, str, str]] = field(default_factory=list)  # (alias, from key, new key)
    unresolved: list[str] = field(default_factory=list)              # names no entity is known by


def resolve_one(store, name: str) -> str:
    """The key of the entity known as ``name`` (a key, or any alias); ambiguity is an error."""
    if store.get_entity(name) is not None:
        return name
    found = store.find_entities(name)
    if not found:
        raise CurationError(f"no entity is known as {name!r}")
    if len(found) > 1:
        raise CurationError(f"{name!r} names several entities: {', '.join(e.key for e in found)}; use a key")
    return found[0].key


def merge_entities(store, source: str, target: str) -> None:
    """Fold entity ``source`` into ``target`` (both keys): every row and alias moves; ``source`` is gone."""
    if source == target:
        return
    src, dst = store.get_entity(source), store.get_entity(target)
    if src is None or dst is None:
        raise CurationError(f"unknown entity key: {source if src is None else target}")
    if src.type != dst.type:
        raise CurationError(f"cannot merge {src.type} {source!r} into {dst.type} {target!r}")
    with store._transaction():
        _repoint(store, source, target, doc_ids=None)
        store._execute("INSERT INTO aliases (key, type, alias, kind) SELECT ?, type, alias, kind FROM aliases "
                       "WHERE key = ? ON CONFLICT DO NOTHING", (target, source))
        store._execute("DELETE FROM aliases WHERE key = ?", (source,))
        store._execute("DELETE FROM entities WHERE key = ?", (source,))


def split_entity(store, key: str, alias: str, new_name: str) -> tuple[str, int]:
    """Move the documents in which entity ``key`` is named by ``alias`` to a new entity ``new_name``;
    returns the new key and how many documents moved."""
    ent = store.get_entity(key)
    if ent is None:
        raise CurationError(f"unknown entity key: {key}")
    wanted = normalize_name(to_cyrillic(alias))
    new_key = entity_key(ent.type, new_name)
    if new_key == key:
        raise CurationError(f"{new_name!r} is the entity's own name; choose another name for the split")
    docs = sorted({doc for doc, text in store._execute(
        "SELECT doc_id, text FROM mentions WHERE entity_key = ?", (key,)).fetchall()
        if normalize_name(to_cyrillic(text)) == wanted})
    with store._transaction():
        store._execute("INSERT INTO entities (key, type, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                       (new_key, ent.type, new_name))
        for text in {wanted, normalize_name(new_name)}:
            store._execute("DELETE FROM aliases WHERE key = ? AND alias = ?", (key, text))
            store._execute("INSERT INTO aliases (key, type, alias, kind) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT DO NOTHING", (new_key, ent.type, text, "curated"))
        if docs:
            _repoint(store, key, new_key, doc_ids=docs)
    return new_key, len(docs)


def _repoint(store, old: str, new: str, doc_ids: list[str] | None) -> None:
    """Replace key ``old`` by ``new`` in every key column, in all documents or only ``doc_ids``."""
    docs_sql = "" if doc_ids is None else f" AND doc_id IN ({', '.join('?' * len(doc_ids))})"
    docs_params = list(doc_ids or [])
    for table, column in KEY_COLUMNS:
        store._execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?{docs_sql}", [new, old] + docs_params)
    for table, column, ids in JSON_COLUMNS:
        pattern = "%" + json.dumps(old, ensure_ascii=False) + "%"
        rows = store._execute(f"SELECT {', '.join(ids)}, {column} FROM {table} WHERE {column} LIKE ?{docs_sql}",
                              [pattern] + docs_params).fetchall()
        for *row_id, value in rows:
            keys = [new if k == old else k for k in json.loads(value)]
            where = " AND ".join(f"{c} = ?" for c in ids)
            store._execute(f"UPDATE {table} SET {column} = ? WHERE {where}",
                           [json.dumps(list(dict.fromkeys(keys)), ensure_ascii=False)] + list(row_id))


def apply_alias_file(store, path: str | Path) -> CurationReport:
    """Apply an alias file (YAML): ``merge: [{into: NAME, names: [NAME, ...]}]`` and
    ``split: [{entity: NAME, alias: TEXT, into: NEW NAME}]``.  Re-applying it changes nothing."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        # YAML errors span several lines (a caret under the spot); the CLI promises one line.
        reason = " ".join(str(exc).split())
        raise CurationError(f"cannot read alias file {path}: {reason}") from None
    if not isinstance(data, dict) or set(data) - {"merge", "split"}:
        raise CurationError("an alias file has only `merge:` and `split:` lists")
    report = CurationReport()
    for item in data.get("merge") or []:
        target = resolve_one(store, str(item["into"]))
        for name in item.get("names") or []:
            for ent in store.find_entities(str(name)):
                if ent.key != target:
                    merge_entities(store, ent.key, target)
                    report.merged.append((ent.key, target))
            if not store.find_entities(str(name)):
                report.unresolved.append(str(name))
    for item in data.get("split") or []:
        try:
            key = resolve_one(store, str(item["entity"]))
        except CurationError:
            report.unresolved.append(str(item["entity"]))
            continue
        new_key, moved = split_entity(store, key, str(item["alias"]), str(item["into"]))
        if moved:
            report.split.append((str(item["alias"]), key, new_key))
    return report
