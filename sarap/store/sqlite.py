"""The default store: one SQLite file in WAL mode, with an FTS5 index over lemmas."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from .base import StoredDocument
from .sql import SqlStore

# bm25 column weights: a hit on a word's primary lemma counts more than one on an alternative lemma.
_BM25 = "bm25(search_index, 1.0, 0.5)"


class SqliteStore(SqlStore):
    """A Store in one SQLite file (``:memory:`` for a throwaway one)."""

    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.url = path
        # Autocommit mode: every write goes through _transaction's explicit BEGIN IMMEDIATE/COMMIT.
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process (the WAL holds committed transactions); it can
        # only lose the last commits on power loss, and never corrupts.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    def _execute(self, sql: str, params: tuple | list = ()):
        return self.conn.execute(sql, params)

    @contextmanager
    def _transaction(self):
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _apply_migration(self, version: int, sql: str, applied_at: str) -> None:
        try:
            self.conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nINSERT INTO schema_migrations VALUES "
                                    f"({version}, '{applied_at}');\nCOMMIT;")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _insert_index(self, seq: int, stored: StoredDocument) -> None:
        self.conn.execute("INSERT INTO search_index (rowid, lemmas, forms) VALUES (?, ?, ?)",
                          (seq, stored.lemmas, stored.forms))

    def _match(self, node, join: bool) -> tuple[str, str, str, str, str]:
        from ..search import to_fts5

        # The covering index (migration 2) keeps the join off the wide rows that hold text and JSON.
        source = "search_index JOIN documents d INDEXED BY documents_facets ON d.seq = search_index.rowid" \
            if join else "search_index"
        return source, "search_index MATCH ?", f"-{_BM25}", "search_index.rowid", to_fts5(node)

    def close(self) -> None:
        self.conn.close()
