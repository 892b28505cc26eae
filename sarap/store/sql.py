"""The SQL shared by the SQLite and PostgreSQL stores: writes, reads and migrations.

Statements use ``?`` placeholders; the PostgreSQL store rewrites them to ``%s``.  What differs
between the backends (connections, transactions, the search index) lives in the subclasses.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..model import Document
from .base import (TABLES, DocumentFilter, DocumentRow, KbEntity, KbQuote, KbRole, NarrativeChanges,
                   RejectedInput, SearchHit, StoreCounts, StoredClaim, StoredDocument)

MIGRATIONS = Path(__file__).parent / "migrations"
_ROW_COLUMNS = "d.id, d.title, d.source, d.url, d.published, d.kind, d.path, d.ingested_at, d.reprint_of, " \
               "LENGTH(d.text)"
_ENTITY_SELECT = (
    "SELECT e.key, e.type, e.name, COALESCE(SUM(de.mentions), 0), COUNT(DISTINCT de.doc_id), "
    "COUNT(DISTINCT CASE WHEN d.reprint_of IS NULL THEN de.doc_id END) FROM entities e "
    "LEFT JOIN document_entities de ON de.entity_key = e.key LEFT JOIN documents d ON d.id = de.doc_id ")


class SqlStore:
    """Common implementation of the Store protocol; subclasses supply the dialect."""

    url: str
    dialect: str = ""
    rank_window: int = 1000   # see _rank; open_store sets it from the search_rank_window setting

    # -- dialect hooks -------------------------------------------------------------------------
    def _execute(self, sql: str, params: tuple | list = ()):
        raise NotImplementedError

    @contextmanager
    def _transaction(self):
        raise NotImplementedError
        yield

    def _apply_migration(self, version: int, sql: str, applied_at: str) -> None:
        raise NotImplementedError

    def _insert_index(self, seq: int, stored: StoredDocument) -> None:
        raise NotImplementedError

    def _match(self, node, join: bool) -> tuple[str, str, str, str, str]:
        """(FROM clause, match condition, score expression, seq column, match parameter) for a query
        tree; with ``join`` the FROM clause joins ``documents d`` for the filters."""
        raise NotImplementedError

    # -- migrations ----------------------------------------------------------------------------
    def migrate(self) -> int:
        """Apply every numbered migration not yet applied, each in its own transaction; returns the version."""
        import datetime as dt

        self._execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
        current = self.schema_version()
        for path in sorted((MIGRATIONS / self.dialect).glob("[0-9][0-9][0-9][0-9]_*.sql")):
            version = int(path.name[:4])
            if version > current:
                now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
                self._apply_migration(version, path.read_text(encoding="utf-8"), now)
                current = version
        return current

    def schema_version(self) -> int:
        row = self._execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- writing -------------------------------------------------------------------------------
    def add_document(self, stored: StoredDocument) -> bool:
        with self._transaction():
            return self._write_document(stored)

    def add_documents(self, batch: list[StoredDocument]) -> int:
        with self._transaction():
            return sum(self._write_document(stored) for stored in batch)

    def _write_document(self, stored: StoredDocument) -> bool:
        doc = stored.document
        row = self._execute(
            "INSERT INTO documents (id, hash, title, source, url, published, kind, text, path, ingested_at, "
            "reprint_of, minhash, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING seq",
            (doc.id, stored.hash, doc.title, doc.source, doc.url, doc.published, doc.kind, doc.text,
             stored.path, stored.ingested_at, stored.reprint_of, stored.minhash,
             json.dumps(doc.to_dict(), ensure_ascii=False))).fetchone()
        if row is None:
            return False
        self._insert_index(row[0], stored)
        keys = self._insert_entities(stored)
        self._insert_analysis(doc, keys)
        return True

    def _insert_entities(self, stored: StoredDocument) -> dict[str, str]:
        doc, keys = stored.document, {}
        for link in stored.links:
            keys[link.local_id] = link.key
            self._execute("INSERT INTO entities (key, type, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                          (link.key, link.type, link.name))
            for alias, kind in link.aliases:
                self._execute("INSERT INTO aliases (key, type, alias, kind) VALUES (?, ?, ?, ?) "
                              "ON CONFLICT DO NOTHING", (link.key, link.type, alias, kind))
        for ent in doc.entities:
            key = keys[ent.id]
            self._execute("INSERT INTO document_entities (doc_id, local_id, entity_key, name, mentions, sentiment) "
                          "VALUES (?, ?, ?, ?, ?, ?)", (doc.id, ent.id, key, ent.name, len(ent.mentions),
                                                        ent.sentiment.label if ent.sentiment else None))
            for m in ent.mentions:
                self._execute("INSERT INTO mentions (doc_id, local_id, entity_key, start_offset, end_offset, text) "
                              "VALUES (?, ?, ?, ?, ?, ?)", (doc.id, ent.id, key, m.start, m.end, m.text))
            for r in ent.roles:
                self._execute("INSERT INTO roles (doc_id, entity_key, title, of, published, start_offset, "
                              "end_offset) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (doc.id, key, r.title, keys.get(r.of or "", r.of), doc.published, r.start, r.end))
        return keys

    def _insert_analysis(self, doc: Document, keys: dict[str, str]) -> None:
        for n, q in enumerate(doc.quotes):
            about = json.dumps([keys.get(a, a) for a in q.about], ensure_ascii=False)
            self._execute("INSERT INTO quotes (doc_id, n, speaker_key, kind, start_offset, end_offset, text, about) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (doc.id, n, keys.get(q.speaker or "", q.speaker),
                                                              q.kind, q.start, q.end, doc.text[q.start:q.end], about))
        for d in doc.dates:
            self._execute("INSERT INTO dates (doc_id, start_offset, end_offset, value) VALUES (?, ?, ?, ?)",
                          (doc.id, d.start, d.end, d.value))
        for a in doc.amounts:
            self._execute("INSERT INTO amounts (doc_id, start_offset, end_offset, value, unit, approximate) "
                          "VALUES (?, ?, ?, ?, ?, ?)", (doc.id, a.start, a.end, a.value, a.unit, a.approximate))
        for n, e in enumerate(doc.events):
            participants = json.dumps([keys.get(p, p) for p in e.participants], ensure_ascii=False)
            self._execute("INSERT INTO events (doc_id, n, type, status, participants, location, date_value, "
                          "start_offset, end_offset, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (doc.id, n, e.type, e.status, participants, keys.get(e.location or "", e.location),
                           e.date.value if e.date else None, e.start, e.end, e.trigger))

    def add_rejected(self, path: str, reason: str) -> bool:
        import datetime as dt

        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._transaction():
            row = self._execute("INSERT INTO rejected (path, reason, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING "
                                "RETURNING path", (path, reason, now)).fetchone()
        return row is not None

    def has_hash(self, text_hash: str) -> bool:
        return self._execute("SELECT 1 FROM documents WHERE hash = ?", (text_hash,)).fetchone() is not None

    def iter_minhashes(self) -> Iterator[tuple[str, str | None, bytes]]:
        for doc_id, reprint_of, sig in self._execute(
                "SELECT id, reprint_of, minhash FROM documents WHERE minhash IS NOT NULL ORDER BY seq"):
            yield doc_id, reprint_of, bytes(sig)

    def lookup_alias(self, type_: str, alias: str) -> list[tuple[str, str]]:
        return [(k, kind) for k, kind in self._execute(
            "SELECT key, kind FROM aliases WHERE type = ? AND alias = ?", (type_, alias)).fetchall()]

    # -- reading -------------------------------------------------------------------------------
    def get_document(self, doc_id: str) -> Document | None:
        row = self._execute("SELECT json FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return Document.from_dict(json.loads(row[0])) if row else None

    def get_row(self, doc_id: str) -> DocumentRow | None:
        row = self._execute(f"SELECT {_ROW_COLUMNS} FROM documents d WHERE d.id = ?", (doc_id,)).fetchone()
        return DocumentRow(*row) if row else None

    def list_documents(self, filters: DocumentFilter | None = None, limit: int = 100,
                       offset: int = 0) -> list[DocumentRow]:
        where, params = filter_sql(filters)
        rows = self._execute(f"SELECT {_ROW_COLUMNS} FROM documents d WHERE {where} "
                             "ORDER BY d.published DESC, d.seq LIMIT ? OFFSET ?", params + [limit, offset])
        return [DocumentRow(*r) for r in rows.fetchall()]

    def count_documents(self, filters: DocumentFilter | None = None) -> int:
        where, params = filter_sql(filters)
        return int(self._execute(f"SELECT COUNT(*) FROM documents d WHERE {where}", params).fetchone()[0])

    def search(self, query: str, filters: DocumentFilter | None = None, limit: int = 20,
               window: int | None = None) -> list[SearchHit]:
        from ..search import parse_query

        node = parse_query(query)  # QueryError for an unusable query, before touching the database
        ranked = self._rank(node, filters, limit, window or self.rank_window)
        if not ranked:
            return []
        # Rank on (seq, score) only, then fetch the few winning rows with their text.
        marks = ", ".join("?" for _ in ranked)
        rows = {r[0]: r[1:] for r in self._execute(
            f"SELECT d.seq, {_ROW_COLUMNS}, d.text FROM documents d WHERE d.seq IN ({marks})",
            [seq for seq, _ in ranked]).fetchall()}
        return [SearchHit(DocumentRow(*rows[seq][:10]), float(score), rows[seq][10]) for seq, score in ranked]

    def _rank(self, node, filters: DocumentFilter | None, limit: int, window: int) -> list[tuple[int, float]]:
        """(seq, score) of the best matches, ties to the newest.  Scoring costs microseconds per match,
        so when more than ``window`` documents match, only the ``window`` most recently ingested of
        them are scored: the inner query walks the index newest first and stops there.  A common word
        on a 100K-document store still answers in milliseconds, and the same cut on both backends
        keeps their results identical."""
        where, params = filter_sql(filters)
        filtered = bool(params) or where != "1 = 1"
        source, condition, score, seq, match = self._match(node, join=filtered)
        newest = (f"SELECT {seq} AS seq, {score} AS score FROM {source} WHERE {condition}"
                  + (f" AND {where}" if filtered else "") + f" ORDER BY {seq} DESC LIMIT ?")
        rows = self._execute(f"SELECT seq, score FROM ({newest}) newest ORDER BY score DESC, seq DESC LIMIT ?",
                             [match] + params + [window, limit]).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def find_entities(self, name: str, type_: str | None = None) -> list[KbEntity]:
        from ..canonical import entity_key, normalize_name, to_cyrillic

        alias = normalize_name(to_cyrillic(name))
        sql = "SELECT DISTINCT key FROM aliases WHERE alias = ?" + (" AND type = ?" if type_ else "")
        keys = {k for (k,) in self._execute(sql, (alias, type_) if type_ else (alias,)).fetchall()}
        if type_:
            keys.add(entity_key(type_, name))
        found = [e for e in (self.get_entity(k) for k in sorted(keys)) if e is not None]
        return sorted(found, key=lambda e: (-e.documents, e.key))

    def get_entity(self, key: str) -> KbEntity | None:
        row = self._execute(_ENTITY_SELECT + "WHERE e.key = ? GROUP BY e.key, e.type, e.name", (key,)).fetchone()
        if row is None:
            return None
        aliases = self._execute("SELECT alias, kind FROM aliases WHERE key = ? ORDER BY kind, alias", (key,))
        return KbEntity(*row, aliases=[(a, k) for a, k in aliases.fetchall()])

    def top_entities(self, type_: str | None = None, limit: int = 20) -> list[KbEntity]:
        where = "WHERE e.type = ? " if type_ else ""
        rows = self._execute(_ENTITY_SELECT + where + "GROUP BY e.key, e.type, e.name "
                             "ORDER BY COUNT(DISTINCT de.doc_id) DESC, e.key LIMIT ?",
                             ([type_] if type_ else []) + [limit])
        return [KbEntity(*r) for r in rows.fetchall()]

    def entity_roles(self, key: str) -> list[KbRole]:
        # ``of`` is stored as the organisation's kb key; shown by its name.
        rows = self._execute("SELECT r.title, COALESCE(o.name, r.of), MIN(r.published), MAX(r.published), "
                             "COUNT(DISTINCT r.doc_id) FROM roles r LEFT JOIN entities o ON o.key = r.of "
                             "WHERE r.entity_key = ? GROUP BY r.title, COALESCE(o.name, r.of) "
                             "ORDER BY MIN(r.published), r.title", (key,))
        return [KbRole(*r) for r in rows.fetchall()]

    def entity_documents(self, key: str, limit: int = 100) -> list[DocumentRow]:
        return self.list_documents(DocumentFilter(entity_keys=[key]), limit=limit)

    # -- views: profiles and statistics (sarap.views) --------------------------------------------
    def _recent_documents(self, recent: int) -> str:
        """A subquery (parameters: key, ``recent``) for the entity's most recently ingested documents.  Walking
        the entity_key index backwards is cheap however many documents name the entity, so profile queries stay
        fast for "Россия" in a 100K-document store."""
        if self.dialect == "postgres":   # no rowid: order by the documents' ingest sequence
            return ("SELECT de.doc_id FROM document_entities de JOIN documents d ON d.id = de.doc_id "
                    "WHERE de.entity_key = ? ORDER BY d.seq DESC LIMIT ?")
        return "SELECT doc_id FROM document_entities WHERE entity_key = ? ORDER BY rowid DESC LIMIT ?"

    def entity_quotes(self, key: str, limit: int = 200, recent: int = 2000) -> list[KbQuote]:
        # ``about`` is a JSON list of keys: LIKE narrows in SQL, the parsed list decides.
        pattern = "%" + json.dumps(key, ensure_ascii=False).replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        cursor = self._execute(
            "SELECT q.doc_id, d.title, d.source, d.published, q.speaker_key, q.kind, q.text, q.about, "
            "q.start_offset, q.end_offset, s.name FROM quotes q JOIN documents d ON d.id = q.doc_id "
            "LEFT JOIN entities s ON s.key = q.speaker_key "
            f"WHERE q.doc_id IN ({self._recent_documents(recent)}) "
            "AND (q.speaker_key = ? OR q.about LIKE ? ESCAPE '\\') ORDER BY d.published DESC, q.doc_id, q.n LIMIT ?",
            (key, recent, key, pattern, limit))
        quotes = [KbQuote(*r[:7], json.loads(r[7]), *r[8:]) for r in cursor.fetchall()]
        return [q for q in quotes if q.speaker_key == key or key in q.about]

    def document_entity_keys(self, doc_id: str) -> dict[str, str]:
        return {local: key for local, key in self._execute(
            "SELECT local_id, entity_key FROM document_entities WHERE doc_id = ?", (doc_id,)).fetchall()}

    def neighbour_rows(self, key: str, recent: int = 2000) -> list[tuple[str, str]]:
        return [(doc, entity) for doc, entity in self._execute(
            "SELECT doc_id, entity_key FROM document_entities "
            f"WHERE doc_id IN ({self._recent_documents(recent)})", (key, recent)).fetchall()]

    def entity_sentiments(self, key: str, recent: int = 5000) -> list[tuple[str | None, str, int]]:
        rows = self._execute(
            "SELECT SUBSTR(d.published, 1, 10), de.sentiment, COUNT(DISTINCT de.doc_id) FROM document_entities de "
            "JOIN documents d ON d.id = de.doc_id WHERE de.entity_key = ? AND de.sentiment IS NOT NULL "
            f"AND de.doc_id IN ({self._recent_documents(recent)}) "
            "GROUP BY SUBSTR(d.published, 1, 10), de.sentiment", (key, key, recent)).fetchall()
        # Sorted here: the backends place NULL days differently.
        return sorted(((r[0], r[1], int(r[2])) for r in rows), key=lambda r: (r[0] or "", r[1]))

    def entity_names(self, keys: list[str]) -> dict[str, str]:
        if not keys:
            return {}
        marks = ", ".join("?" for _ in keys)
        return dict(self._execute(f"SELECT key, name FROM entities WHERE key IN ({marks})", list(keys)).fetchall())

    def list_events(self, since: str | None = None, until: str | None = None, type_: str | None = None,
                    limit: int = 500) -> list[dict]:
        day = "COALESCE(SUBSTR(e.date_value, 1, 10), SUBSTR(d.published, 1, 10))"
        clauses, params = [f"{day} IS NOT NULL"], []
        for clause, value in ((f"{day} >= ?", since), (f"{day} <= ?", until), ("e.type = ?", type_)):
            if value:
                clauses.append(clause)
                params.append(value)
        cursor = self._execute(
            f"SELECT {day} AS day, e.date_value, e.type, e.status, e.trigger, e.participants, e.location, e.doc_id, "
            f"d.title, d.source, e.start_offset, e.end_offset FROM events e JOIN documents d ON d.id = e.doc_id "
            f"WHERE {' AND '.join(clauses)} ORDER BY day, e.doc_id, e.n LIMIT ?", params + [limit])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def documents_per_day(self, filters: DocumentFilter | None = None) -> list[tuple[str | None, str | None, int]]:
        where, params = filter_sql(filters)
        rows = self._execute(f"SELECT d.source, SUBSTR(d.published, 1, 10), COUNT(*) FROM documents d "
                             f"WHERE {where} GROUP BY d.source, SUBSTR(d.published, 1, 10)", params).fetchall()
        return sorted(((r[0], r[1], int(r[2])) for r in rows), key=lambda r: (r[1] or "", r[0] or ""))

    def filtered_top_entities(self, filters: DocumentFilter, limit: int = 20) -> list[KbEntity]:
        where, params = filter_sql(filters)
        rows = self._execute(
            "SELECT e.key, e.type, e.name, SUM(de.mentions), COUNT(DISTINCT de.doc_id), "
            "COUNT(DISTINCT CASE WHEN d.reprint_of IS NULL THEN de.doc_id END) FROM document_entities de "
            f"JOIN entities e ON e.key = de.entity_key JOIN documents d ON d.id = de.doc_id WHERE {where} "
            "GROUP BY e.key, e.type, e.name ORDER BY COUNT(DISTINCT de.doc_id) DESC, e.key LIMIT ?", params + [limit])
        return [KbEntity(r[0], r[1], r[2], int(r[3] or 0), int(r[4]), int(r[5])) for r in rows.fetchall()]

    def counts(self) -> StoreCounts:
        one = lambda sql: int(self._execute(sql).fetchone()[0] or 0)  # noqa: E731
        documents = one("SELECT COUNT(*) FROM documents")
        reprints = one("SELECT COUNT(*) FROM documents WHERE reprint_of IS NOT NULL")
        return StoreCounts(documents, documents - reprints, reprints, one("SELECT COUNT(*) FROM entities"),
                           one("SELECT COUNT(*) FROM mentions"), one("SELECT COUNT(*) FROM rejected"))

    def list_rejected(self) -> list[RejectedInput]:
        rows = self._execute("SELECT path, reason, at FROM rejected ORDER BY at, path").fetchall()
        return [RejectedInput(*r) for r in rows]

    def iter_rows(self, table: str) -> Iterator[dict]:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; tables are {', '.join(TABLES)}")
        columns = "id, title, source, url, published, kind, text, path, ingested_at, reprint_of, hash" \
            if table == "documents" else "*"
        cursor = self._execute(f"SELECT {columns} FROM {table}")
        names = [c[0] for c in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))


    # -- the narrative state (sarap.narrative_store) ---------------------------------------------
    def known_narrative_documents(self, doc_ids: list[str]) -> set[str]:
        if not doc_ids:
            return set()
        marks = ", ".join("?" for _ in doc_ids)
        return {r[0] for r in self._execute(f"SELECT doc_id FROM narrative_documents WHERE doc_id IN ({marks})",
                                            list(doc_ids)).fetchall()}

    def documents_without_narratives(self, limit: int = 1000) -> list[Document]:
        rows = self._execute("SELECT d.json FROM documents d WHERE d.reprint_of IS NULL AND NOT EXISTS "
                             "(SELECT 1 FROM narrative_documents n WHERE n.doc_id = d.id) ORDER BY d.seq LIMIT ?",
                             (limit,)).fetchall()
        return [Document.from_dict(json.loads(r[0])) for r in rows]

    def recent_narrative_claims(self, documents: int) -> list[StoredClaim]:
        # The documents' seq bound, then a range scan of the claims' seq index.
        row = self._execute("SELECT MIN(seq) FROM (SELECT seq FROM narrative_documents ORDER BY seq DESC LIMIT ?) "
                            "newest", (documents,)).fetchone()
        if row[0] is None:
            return []
        return self._claims("seq >= ? AND boilerplate = 0", [row[0]])

    def narrative_claims(self, narrative_ids: list[str]) -> list[StoredClaim]:
        if not narrative_ids:
            return []
        marks = ", ".join("?" for _ in narrative_ids)
        return self._claims(f"narrative_id IN ({marks})", list(narrative_ids))

    def repeated_claims(self, keys: list[tuple[str, str]]) -> list[StoredClaim]:
        found: list[StoredClaim] = []
        for source, verbatim in sorted(set(keys)):
            found += self._claims("source = ? AND verbatim = ?", [source, verbatim])
        return found

    def _claims(self, where: str, params: list) -> list[StoredClaim]:
        rows = self._execute(
            "SELECT doc_id, start_offset, end_offset, text, source, published, speaker, speaker_name, in_quote, "
            f"entities, lemmas, verbatim, narrative_id, boilerplate FROM narrative_claims WHERE {where} "
            "ORDER BY seq, start_offset", params).fetchall()
        return [StoredClaim(*r[:8], bool(r[8]), json.loads(r[9]), r[10].split(), r[11], r[12], bool(r[13]))
                for r in rows]

    def save_narrative_changes(self, changes: NarrativeChanges) -> None:
        import datetime as dt

        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._transaction():
            for doc_id in changes.documents:
                self._execute("INSERT INTO narrative_documents (doc_id, seq) SELECT id, seq FROM documents "
                              "WHERE id = ? ON CONFLICT DO NOTHING", (doc_id,))
            for c in changes.claims:
                self._execute(
                    "INSERT INTO narrative_claims (doc_id, start_offset, end_offset, seq, text, source, published, "
                    "speaker, speaker_name, in_quote, entities, lemmas, verbatim, boilerplate, narrative_id) "
                    "SELECT ?, ?, ?, seq, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM documents WHERE id = ? "
                    "ON CONFLICT DO NOTHING",
                    (c.doc_id, c.start, c.end, c.text, c.source, c.published, c.speaker, c.speaker_name,
                     int(c.in_quote), json.dumps(c.entities, ensure_ascii=False), " ".join(c.lemmas), c.verbatim,
                     int(c.boilerplate), c.narrative_id, c.doc_id))
            for c in changes.moved:
                self._execute("UPDATE narrative_claims SET narrative_id = ? WHERE doc_id = ? AND start_offset = ?",
                              (c.narrative_id, c.doc_id, c.start))
            for c in changes.boilerplate:
                self._execute("UPDATE narrative_claims SET boilerplate = 1, narrative_id = NULL "
                              "WHERE doc_id = ? AND start_offset = ?", (c.doc_id, c.start))
            for narrative_id in changes.removed:
                self._execute("DELETE FROM narratives WHERE id = ?", (narrative_id,))
            for n in changes.narratives:
                self._execute("DELETE FROM narratives WHERE id = ?", (n.id,))
                self._execute("INSERT INTO narratives (id, sources, first_seen, last_seen, narrative, updated_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (n.id, n.sources, n.first_seen, n.last_seen,
                               json.dumps(n.narrative, ensure_ascii=False) if n.narrative else None, now))

    def list_narratives(self, min_sources: int = 1) -> list[dict]:
        rows = self._execute("SELECT narrative FROM narratives WHERE narrative IS NOT NULL AND sources >= ?",
                             (min_sources,)).fetchall()
        found = [json.loads(r[0]) for r in rows]
        # The order of sarap.narratives.find_narratives: most sources, then most sentences, then oldest.
        return sorted(found, key=lambda n: (-n["sources"], -len(n["members"]), n["first_seen"] or "",
                                            n["representative"]))

    def clear_narratives(self) -> None:
        with self._transaction():
            for table in ("narratives", "narrative_claims", "narrative_documents"):
                self._execute(f"DELETE FROM {table}")


def filter_sql(filters: DocumentFilter | None) -> tuple[str, list]:
    """A WHERE clause over ``documents d`` and its parameters."""
    f = filters or DocumentFilter()
    clauses, params = ["1 = 1"], []
    for column, value in (("source", f.source), ("kind", f.kind)):
        if value is not None:
            clauses.append(f"d.{column} = ?")
            params.append(value)
    if f.since:
        clauses.append("d.published >= ?")
        params.append(f.since)
    if f.until:
        # published may carry a time; "until 2025-11-06" includes the whole day.
        clauses.append("d.published < ?")
        params.append(next_day(f.until))
    if f.entity_keys is not None:
        marks = ", ".join("?" for _ in f.entity_keys) or "NULL"
        clauses.append(f"d.id IN (SELECT doc_id FROM document_entities WHERE entity_key IN ({marks}))")
        params.extend(f.entity_keys)
    if f.originals_only:
        clauses.append("d.reprint_of IS NULL")
    return " AND ".join(clauses), params


def next_day(date: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=1)).isoformat()

