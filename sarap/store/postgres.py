"""The team store: PostgreSQL through psycopg 3, full-text search over the same lemma strings."""
from __future__ import annotations

from contextlib import contextmanager

from .base import StoredDocument
from .sql import SqlStore



class PostgresStore(SqlStore):
    """A Store in a PostgreSQL database; ``schema`` keeps several stores (or test runs) in one database."""

    dialect = "postgres"

    def __init__(self, url: str, schema: str | None = None) -> None:
        try:
            import psycopg
        except ImportError:
            raise RuntimeError("PostgreSQL needs psycopg: pip install 'sarap[pg]'") from None
        self.url = url
        self.conn = psycopg.connect(url, autocommit=True)
        if schema:
            self.conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            self.conn.execute(f'SET search_path TO "{schema}"')
        # Two processes opening a fresh database must not both run the migrations.
        with self._transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(727270)")
            self.migrate()

    def _execute(self, sql: str, params: tuple | list = ()):
        return self.conn.execute(sql.replace("?", "%s"), params or None)

    @contextmanager
    def _transaction(self):
        with self.conn.transaction():
            yield

    def _apply_migration(self, version: int, sql: str, applied_at: str) -> None:
        with self.conn.transaction():
            self.conn.execute(sql)
            self.conn.execute("INSERT INTO schema_migrations VALUES (%s, %s)", (version, applied_at))

    def _insert_index(self, seq: int, stored: StoredDocument) -> None:
        # Primary lemmas first so phrase (<->) positions follow the text; tsvector positions stop at 16383.
        self.conn.execute("INSERT INTO search_index (seq, tsv) VALUES "
                          "(%s, setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s))",
                          (seq, stored.lemmas, stored.forms))

    def _match(self, node, join: bool) -> tuple[str, str, str, str, str]:
        from ..search import to_tsquery

        source = "to_tsquery('simple', ?) q, search_index s" + (" JOIN documents d ON d.seq = s.seq" if join else "")
        # ts_rank weights {D, C, B, A}: alternative lemmas (D) count half as much as primary ones (A),
        # as in the SQLite store's bm25 column weights.
        return source, "s.tsv @@ q", "ts_rank('{0.5, 0.5, 0.5, 1.0}', s.tsv, q)", "s.seq", to_tsquery(node)

    def close(self) -> None:
        self.conn.close()
