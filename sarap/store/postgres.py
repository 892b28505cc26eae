"""The team store: PostgreSQL through psycopg 3, full-text search over the same lemma strings."""
from __future__ import annotations

from contextlib import contextmanager

from .base import DocumentFilter, StoredDocument
from .sql import SqlStore, filter_sql

# ts_rank weights {D, C, B, A}: alternative lemmas (D) count half as much as primary ones (A), as in the
# SQLite store's bm25 column weights.
_RANK = "ts_rank('{0.5, 0.5, 0.5, 1.0}', s.tsv, q)"
# Documents per ingest bucket (seq / BUCKET; migration 0003 uses the same number), and how many of the
# newest buckets each probe of _bucket_ranges covers: 4 (about 4,000 documents), then up to 32.
BUCKET = 1024
_PROBES = (4, 32)
# Plans measured on 100K documents: the planner takes a tsvector match for cheap, while each one reads a
# ~3 KB toasted value, so it prefers the whole table and testing every row (20 times slower than the GIN
# index); a primary-key walk is kept out by "seq + 0"; hash and merge joins read every document row where a few
# thousand index lookups do; parallel workers cost more to start than the query takes on one core; and
# the disabled plans' cost penalty would otherwise switch on JIT compilation (50+ ms).
_PLANNER_SETTINGS = ("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
                     "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off")


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
        self.conn.execute("INSERT INTO search_index (seq, tsv, bucket) VALUES "
                          "(%s, setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s), "
                          "('#' || (%s::bigint / %s))::tsvector)", (seq, stored.lemmas, stored.forms, seq, BUCKET))

    def _match(self, node, join: bool) -> tuple[str, str, str, str, str]:
        from ..search import to_tsquery

        source = "to_tsquery('simple', ?) q, search_index s" + (" JOIN documents d ON d.seq = s.seq" if join else "")
        return source, "s.tsv @@ q", _RANK, "s.seq", to_tsquery(node)

    def _rank(self, node, filters: DocumentFilter | None, limit: int, window: int) -> list[tuple[int, float]]:
        """The same cut as SqlStore._rank, planned for PostgreSQL: the newest ``window`` matches are
        gathered bucket range by bucket range, newest first (see _newest_matches), and only they are
        ranked, reading their tsvectors once."""
        from ..search import to_tsquery

        query = to_tsquery(node)
        with self._transaction():
            self.conn.execute(_PLANNER_SETTINGS)
            newest: list[int] = []
            for condition, args in self._bucket_ranges():
                newest += self._newest_matches(node, filters, condition, args, window - len(newest))
                if len(newest) >= window:
                    break
            if not newest:
                return []
            rows = self._execute(f"SELECT s.seq, {_RANK} AS score FROM search_index s, to_tsquery('simple', ?) q "
                                 "WHERE s.seq = ANY(?) ORDER BY score DESC, s.seq DESC LIMIT ?",
                                 [query, newest, limit]).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def _bucket_ranges(self):
        """(condition on search_index s, parameters) for disjoint ranges of ingest buckets, newest first: the
        newest buckets in the GIN index itself, then everything older by seq (a word reaching that range is
        rare, so visiting all its matching rows is cheap)."""
        top = self._execute("SELECT MAX(seq) FROM search_index").fetchone()[0]
        if top is None:
            return
        newest, low = top // BUCKET, top // BUCKET + 1
        for size in _PROBES:
            high, low = low - 1, max(0, newest - size + 1)
            if high < low:
                return
            yield "s.bucket @@ ?::tsquery", [" | ".join(f"'#{b}'" for b in range(high, low - 1, -1))]
        if low > 0:  # "+ 0": a walk of the primary key would read every older tsvector
            yield "s.seq + 0 < ?", [low * BUCKET]

    def _newest_matches(self, node, filters: DocumentFilter | None, condition: str, args: list,
                        need: int) -> list[int]:
        """Seqs of the ``need`` newest documents matching the query and filters within one bucket range.
        Candidates come from the GIN index alone (no word positions); for phrases the exact query is then
        checked one candidate at a time, newest first, until enough are found."""
        from ..search import to_loose_tsquery, to_tsquery

        where, params = filter_sql(filters)
        query, loose = to_tsquery(node), to_loose_tsquery(node)
        join = " JOIN documents d ON d.seq = s.seq" if params or where != "1 = 1" else ""
        candidates = (f"SELECT s.seq + 0 AS key FROM search_index s{join} WHERE s.tsv @@ to_tsquery('simple', ?) "
                      f"AND {condition} AND {where} ORDER BY key DESC")
        if loose == query:
            sql, values = f"{candidates} LIMIT ?", [query] + args + params + [need]
        else:
            sql = (f"SELECT c.key FROM ({candidates}) c JOIN search_index e ON e.seq = c.key "
                   "WHERE e.tsv @@ to_tsquery('simple', ?) ORDER BY c.key DESC LIMIT ?")
            values = [loose] + args + params + [query, need]
        return [r[0] for r in self._execute(sql, values).fetchall()]

    def close(self) -> None:
        self.conn.close()
