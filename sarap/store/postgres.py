"""The team store: PostgreSQL through psycopg 3, full-text search over the same lemma strings."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from .base import DocumentFilter, StoredDocument
from .sql import SqlStore, filter_sql, next_day

# ts_rank weights {D, C, B, A}: alternative lemmas (D) count half as much as primary ones (A), as in the
# SQLite store's bm25 column weights.
_RANK = "ts_rank('{0.5, 0.5, 0.5, 1.0}', s.tsv, q)"
# Documents per ingest bucket (seq / BUCKET; migrations 3 and 4 use the same number), and how many of the
# newest buckets each probe of _bucket_ranges covers: 4 (about 4,000 documents), then up to 32.
BUCKET = 1024
_PROBES = (4, 32)
# The facets tsvector of a row (migrations 3 and 4; parameters seq, BUCKET, kind, source, published).
_FACETS = ("array_to_tsvector(ARRAY['#' || (%s::bigint / %s), 'k:' || %s, 's:' || md5(COALESCE(%s, '')), "
           "'m:' || COALESCE(substring(%s from '^[0-9]{4}-[0-9]{2}'), '?')])")
_MAX_MONTHS = 60   # a longer date range narrows too little to be worth spelling out month by month
# Plans measured on 100K documents: the planner takes a tsvector match for cheap, while each one reads a
# ~3 KB toasted value, so it prefers the whole table and testing every row (20 times slower than the GIN
# index); a primary-key walk is kept out by "seq + 0"; hash and merge joins read every document row where
# a few thousand index lookups do; parallel workers cost more to start than the query takes on one core;
# and the disabled plans' cost penalty would otherwise switch on JIT compilation (50+ ms).
_PLANNER_SETTINGS = ("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; "
                     "SET LOCAL enable_mergejoin = off; SET LOCAL max_parallel_workers_per_gather = 0; "
                     "SET LOCAL jit = off")


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
        doc = stored.document
        self.conn.execute("INSERT INTO search_index (seq, tsv, facets) VALUES "
                          "(%s, setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s), "
                          f"{_FACETS})", (seq, stored.lemmas, stored.forms, seq, BUCKET, doc.kind, doc.source,
                                          doc.published))

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
            facets = facet_query(filters, self._filter_months(filters))
            newest: list[int] = []
            for buckets, below in self._bucket_ranges():
                narrowing = " & ".join(p for p in [buckets] + facets if p)
                newest += self._newest_matches(node, filters, narrowing, below, window - len(newest))
                if len(newest) >= window:
                    break
            if not newest:
                return []
            rows = self._execute(f"SELECT s.seq, {_RANK} AS score FROM search_index s, to_tsquery('simple', ?) q "
                                 "WHERE s.seq = ANY(?) ORDER BY score DESC, s.seq DESC LIMIT ?",
                                 [query, newest, limit]).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def _bucket_ranges(self) -> Iterator[tuple[str | None, int | None]]:
        """Disjoint ranges of ingest buckets, newest first, as (tsquery over the facets, None): the newest
        buckets, answered in the GIN index itself; then (None, seq) for everything older than seq (a word
        reaching that range is rare, so visiting all its matching rows is cheap)."""
        top = self._execute("SELECT MAX(seq) FROM search_index").fetchone()[0]
        if top is None:
            return
        newest, low = top // BUCKET, top // BUCKET + 1
        for size in _PROBES:
            high, low = low - 1, max(0, newest - size + 1)
            if high < low:
                return
            yield "(" + " | ".join(f"'#{b}'" for b in range(high, low - 1, -1)) + ")", None
        if low > 0:
            yield None, low * BUCKET

    def _filter_months(self, filters: DocumentFilter | None) -> list[str] | None:
        """The months (YYYY-MM) a date-filtered document may be published in; None when not worth it."""
        if filters is None or not (filters.since or filters.until):
            return None
        iso = "FROM documents WHERE published >= '0' AND published < ':'"  # starts with a digit
        first = filters.since or self._execute(f"SELECT MIN(published) {iso}").fetchone()[0]
        # "published < next day" lets a bare "YYYY-MM" of the following month through.
        last = next_day(filters.until) if filters.until else \
            self._execute(f"SELECT MAX(published) {iso}").fetchone()[0]
        months = months_between(first or "", last or "")
        return months if months is not None and len(months) <= _MAX_MONTHS else None

    def _newest_matches(self, node, filters: DocumentFilter | None, narrowing: str, below: int | None,
                        need: int) -> list[int]:
        """Seqs of the ``need`` newest documents matching the query and filters among the rows whose facets
        match ``narrowing`` (and older than ``below``).  Candidates come from the GIN index alone (no word
        positions); for phrases the exact query is then checked one candidate at a time, newest first."""
        from ..search import to_loose_tsquery, to_tsquery

        where, params = filter_sql(filters)
        query, loose = to_tsquery(node), to_loose_tsquery(node)
        join = " JOIN documents d ON d.seq = s.seq" if params or where != "1 = 1" else ""
        # "seq + 0": a walk of the primary key would read every older tsvector
        narrow = ([("s.facets @@ ?::tsquery", narrowing)] if narrowing else []) + \
            ([("s.seq + 0 < ?", below)] if below is not None else [])
        candidates = (f"SELECT s.seq + 0 AS key FROM search_index s{join} WHERE s.tsv @@ to_tsquery('simple', ?) "
                      + "".join(f"AND {c} " for c, _ in narrow) + f"AND {where} ORDER BY key DESC")
        args = [a for _, a in narrow]
        if loose == query:
            sql, values = f"{candidates} LIMIT ?", [query] + args + params + [need]
        else:
            sql = (f"SELECT c.key FROM ({candidates}) c JOIN search_index e ON e.seq = c.key "
                   "WHERE e.tsv @@ to_tsquery('simple', ?) ORDER BY c.key DESC LIMIT ?")
            values = [loose] + args + params + [query, need]
        return [r[0] for r in self._execute(sql, values).fetchall()]

    def close(self) -> None:
        self.conn.close()


def facet_query(filters: DocumentFilter | None, months: list[str] | None) -> list[str]:
    """tsquery groups over the facets column that every document passing ``filters`` satisfies (a superset:
    the SQL filter still decides), to be ANDed with the bucket range."""
    import hashlib

    f = filters or DocumentFilter()
    groups = []
    if f.kind is not None:
        groups.append(lexeme("k:" + f.kind))
    if f.source is not None:
        groups.append(lexeme("s:" + hashlib.md5(f.source.encode("utf-8")).hexdigest()))
    if months:
        groups.append("(" + " | ".join(lexeme("m:" + m) for m in months + ["?"]) + ")")
    return groups


def months_between(first: str, last: str) -> list[str] | None:
    """Every YYYY-MM from ``first``'s month to ``last``'s, or None if either does not start YYYY-MM."""
    import re

    if not all(re.match(r"[0-9]{4}-(0[1-9]|1[0-2])", d) for d in (first, last)):
        return None
    year, month, end = int(first[:4]), int(first[5:7]), (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end and len(months) <= _MAX_MONTHS:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def lexeme(text: str) -> str:
    """``text`` as one quoted tsquery lexeme."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
