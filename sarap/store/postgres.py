"""The team store: PostgreSQL through psycopg 3, full-text search over the same lemma strings."""
from __future__ import annotations

import dataclasses
import math
from contextlib import contextmanager

from .base import DocumentFilter, StoredDocument
from .sql import SqlStore, filter_sql, next_day

# ts_rank weights {D, C, B, A}: alternative lemmas (D) count half as much as primary ones (A), as in the
# SQLite store's bm25 column weights.
_RANK = "ts_rank('{0.5, 0.5, 0.5, 1.0}', s.tsv, q)"
# Documents per ingest bucket (seq / BUCKET; migrations 3 and 4 use the same number); _rank reads the
# newest _FIRST_PROBE buckets first, and falls back to every older row once a range would exceed _MAX_PROBE.
BUCKET = 1024
_FIRST_PROBE = 2
_MAX_PROBE = 48
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
        gathered and scored range by range of ingest buckets, newest first (see _newest_matches), each
        range sized from the matches per bucket met so far, so few rows beyond the window are visited."""
        with self._transaction():
            self.conn.execute(_PLANNER_SETTINGS)
            top = self._execute("SELECT MAX(seq) FROM search_index").fetchone()[0]
            facets = facet_query(filters, self._filter_months(filters))
            scored: list[tuple[int, float]] = []
            high, size = (-1 if top is None else top // BUCKET), _FIRST_PROBE
            while high >= 0 and len(scored) < window:
                if size > _MAX_PROBE:   # a rare match: every older row that may match, by seq
                    narrowing, below, low = " & ".join(facets), (high + 1) * BUCKET, 0
                else:
                    low, below = max(0, high - size + 1), None
                    buckets = "(" + " | ".join(f"'#{b}'" for b in range(high, low - 1, -1)) + ")"
                    narrowing = " & ".join([buckets] + facets)
                scored += self._newest_matches(node, filters, narrowing, below, window - len(scored))
                per_bucket = len(scored) / (top // BUCKET - low + 1)
                size = math.ceil(1.25 * (window - len(scored)) / per_bucket) + 1 if per_bucket else size * 8
                high = low - 1
        # Ties to the newest, as SqlStore._rank's ORDER BY score DESC, seq DESC.
        return sorted(scored, key=lambda r: (-r[1], -r[0]))[:limit]

    def _filter_months(self, filters: DocumentFilter | None) -> list[str] | None:
        """The months (YYYY-MM) a date-filtered document may be published in; None when not worth it."""
        if filters is None or not (filters.since or filters.until):
            return None
        iso = "FROM documents WHERE published >= '0' AND published < ':'"  # starts with a digit
        first = filters.since or self._execute(f"SELECT MIN(published) {iso}").fetchone()[0]
        last = self._execute(f"SELECT MAX(published) {iso}").fetchone()[0] if not filters.until else \
            self._until_month(filters.until)
        months = months_between(first or "", last or "")
        return months if months is not None and len(months) <= _MAX_MONTHS else None

    def _until_month(self, until: str) -> str:
        """The last month an ``until`` filter admits.  "published < next day" admits the following month
        only through values such as a bare "2025-06" after until=2025-05-31; looked up, as they are rare."""
        end = next_day(until)
        if end[:7] == until[:7]:
            return until
        spill = self._execute("SELECT 1 FROM documents WHERE published >= ? AND published < ? LIMIT 1",
                              (end[:7], end)).fetchone()
        return end if spill else until

    def _newest_matches(self, node, filters: DocumentFilter | None, narrowing: str, below: int | None,
                        need: int) -> list[tuple[int, float]]:
        """(seq, score) of the ``need`` newest documents matching the query and filters among the rows whose
        facets match ``narrowing`` (and older than ``below``).  Candidates come from the GIN index alone (no
        word positions); only the newest are then read, checked against the exact query when it has
        phrases, and scored."""
        from ..search import to_loose_tsquery, to_tsquery

        # kind and source are exact in the facets (the source by md5); the join checks what they only narrow.
        where, params = filter_sql(dataclasses.replace(filters, kind=None, source=None) if filters else None)
        query, loose = to_tsquery(node), to_loose_tsquery(node)
        join = " JOIN documents d ON d.seq = s.seq" if params or where != "1 = 1" else ""
        # "seq + 0": a walk of the primary key would read every older tsvector
        narrow = ([("s.facets @@ ?::tsquery", narrowing)] if narrowing else []) + \
            ([("s.seq + 0 < ?", below)] if below is not None else [])
        candidates = (f"SELECT s.seq + 0 AS key FROM search_index s{join} WHERE s.tsv @@ to_tsquery('simple', ?) "
                      + "".join(f"AND {c} " for c, _ in narrow) + f"AND {where} ORDER BY key DESC")
        values = [loose] + [a for _, a in narrow] + params
        score = _RANK.replace("s.tsv", "e.tsv")
        if loose == query:
            sql = (f"SELECT c.key, {score} FROM ({candidates} LIMIT ?) c JOIN search_index e ON e.seq = c.key, "
                   "to_tsquery('simple', ?) q")
        else:  # the phrase check stops once ``need`` candidates passed it
            sql = (f"SELECT c.key, {score} FROM ({candidates}) c JOIN search_index e ON e.seq = c.key, "
                   "to_tsquery('simple', ?) q WHERE e.tsv @@ q ORDER BY c.key DESC LIMIT ?")
        values += [need, query] if loose == query else [query, need]
        return [(r[0], float(r[1])) for r in self._execute(sql, values).fetchall()]

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
