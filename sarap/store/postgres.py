"""The team store: PostgreSQL through psycopg 3, full-text search over the same lemma strings."""
from __future__ import annotations

from contextlib import contextmanager

from .base import DocumentFilter, StoredDocument
from .sql import SqlStore, filter_sql

# ts_rank weights {D, C, B, A}: alternative lemmas (D) count half as much as primary ones (A), as in the
# SQLite store's bm25 column weights.
_RANK = "ts_rank('{0.5, 0.5, 0.5, 1.0}', s.tsv, q)"



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
        return source, "s.tsv @@ q", _RANK, "s.seq", to_tsquery(node)

    def _rank(self, node, filters: DocumentFilter | None, limit: int, window: int) -> list[tuple[int, float]]:
        """The same cut as SqlStore._rank, planned for PostgreSQL: the GIN index finds the matches, the
        newest ``window`` are kept by seq alone (``seq + 0`` keeps the planner from walking the primary
        key backwards and testing every row's tsvector), and only those are ranked."""
        from ..search import to_loose_tsquery, to_tsquery

        where, params = filter_sql(filters)
        query, loose = to_tsquery(node), to_loose_tsquery(node)
        join = " JOIN documents d ON d.seq = s.seq" if params or where != "1 = 1" else ""
        # Candidates come from the index alone (no word positions), newest first; the exact query (phrases)
        # is then checked one candidate at a time until the window is full, instead of on every candidate.
        candidates = (f"SELECT s.seq + 0 AS key FROM search_index s{join} "
                      f"WHERE s.tsv @@ to_tsquery('simple', ?) AND {where} ORDER BY key DESC")
        if loose == query:
            newest, args = f"SELECT key AS seq FROM ({candidates}) c LIMIT ?", [query] + params + [window]
        else:
            newest = (f"SELECT c.key AS seq FROM ({candidates}) c JOIN search_index e ON e.seq = c.key "
                      "WHERE e.tsv @@ to_tsquery('simple', ?) ORDER BY c.key DESC LIMIT ?")
            args = [loose] + params + [query, window]
        sql = (f"SELECT s.seq, {_RANK} AS score FROM ({newest}) newest JOIN search_index s ON s.seq = newest.seq, "
               "to_tsquery('simple', ?) q ORDER BY score DESC, s.seq DESC LIMIT ?")
        with self._transaction():
            # Plans measured on 100K documents: for a common word the planner prefers a sequential scan
            # testing every tsvector (2.3 s against 0.1 s through the GIN index); a merge join for the
            # phrase check walks every document in the range instead of the candidates only; parallel
            # workers cost more to start than the query takes on one core.
            pinned = ["enable_seqscan"] + (["enable_mergejoin", "enable_hashjoin"] if loose != query else [])
            for setting in pinned:
                self.conn.execute(f"SET LOCAL {setting} = off")
            self.conn.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            rows = self._execute(sql, args + [query, limit]).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def close(self) -> None:
        self.conn.close()
