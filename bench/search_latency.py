"""Search latency (p50/p95) on a large store built from real Russian sentences, recombined.

    .venv/bin/python bench/search_latency.py [--docs 100000] [--db PATH|postgresql://...] [--schema S]
                                             [--reuse] [--rounds 5] [--json PATH]

Build once, then iterate with --reuse (the store is kept: bench/out/search_latency.db, or the PostgreSQL schema).

Sentences come from NEREL's Wikinews texts and RuSentNE's news sentences (../shared/data).  Each
sentence is lemmatised once (sarap.search.index_text); a document is 4-12 random sentences, so its
text, lemma string and form string are joined from the parts without running NLP per document.  Documents
are written through ``Store.add_documents`` (500 per transaction) with a source, a date in 2024-2025 and a
kind, so filters have something to filter.  Each query runs as ``sarap search`` does it:
parse, search (limit 20), and build the marked snippets.  Target (issue 3 §10): p95 ≤ 50 ms.  Besides
wall-clock percentiles it reports this process's CPU time per query and, for a local PostgreSQL server, the
backend's (from /proc/PID/schedstat): on a shared, loaded machine those show what the queries cost without
the wait for a core.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SHARED, require_dir, write_json

TARGET_P95_MS = 50.0
SOURCES = ("Вестник Степи", "Озёрная правда", "Приречье сегодня", "Северный курьер", "Голос долины")
QUERIES = [
    "переговоры", "переговорах", "президент", "Россия", "выборы", "правительство", "компания", "суд",
    "нефть", "Украина", "США", "министр", "полиция", "футбол", "банк", "Москва", "Китай", "заявил",
    '"премьер-министр"', '"Государственная дума"', '"по словам"', '"Белый дом"',
    "президент AND выборы", "нефть OR газ", "суд NOT полиция", "(Россия OR Китай) AND переговоры",
    "министр иностранных дел", "экономика кризис", "землетрясение", "олимпийские игры",
]
FILTERED = [("переговоры", {"source": "Вестник Степи"}), ("президент", {"since": "2025-06-01"}),
            ("выборы", {"kind": "interview"}), ("суд", {"since": "2024-03-01", "until": "2024-04-30"})]


def load_sentences(shared: Path) -> list[str]:
    """Real news sentences: NEREL texts split with razdel, plus RuSentNE's sentence column."""
    from razdel import sentenize

    sentences = []
    for path in sorted(require_dir(shared / "data" / "nerel" / "train").glob("*.txt")):
        sentences += [s.text for s in sentenize(path.read_text(encoding="utf-8")) if len(s.text) > 30]
    with open(require_dir(shared / "data" / "rusentne") / "train.csv", encoding="utf-8") as f:
        sentences += [row["sentence"] for row in csv.DictReader(f, delimiter="\t") if len(row["sentence"]) > 30]
    return list(dict.fromkeys(sentences))


def build_store(store, n_docs: int, sentences: list[str], seed: int = 7) -> float:
    """Fill ``store`` with ``n_docs`` recombined documents; returns the seconds it took."""
    from sarap.model import Document
    from sarap.search import index_text
    from sarap.store import StoredDocument

    rng = random.Random(seed)
    indexed = [index_text(s) for s in sentences]
    started = time.perf_counter()
    batch = []
    for n in range(n_docs):
        picks = rng.sample(range(len(sentences)), rng.randint(4, 12))
        text = " ".join(sentences[i] for i in picks)
        day = 1 + rng.randrange(700)
        published = time.strftime("%Y-%m-%d", time.gmtime(1704067200 + day * 86400))
        doc = Document(text=text, title=sentences[picks[0]][:80], source=rng.choice(SOURCES), published=published,
                       kind="interview" if n % 10 == 0 else "article")
        batch.append(StoredDocument(
            document=doc, hash=hashlib.sha256(text.encode()).hexdigest(), path=f"bench:{n}",
            lemmas=" ".join(indexed[i].lemmas for i in picks), forms=" ".join(indexed[i].forms for i in picks),
            ingested_at="2026-01-01T00:00:00+00:00"))
        if len(batch) == 500 or n == n_docs - 1:
            store.add_documents(batch)  # bulk transactions: the build is setup, not what is measured
            batch = []
        if n % 10_000 == 9_999:
            print(f"  {n + 1:,} documents, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return time.perf_counter() - started


def time_queries(store, rounds: int) -> tuple[list[float], list[float], list[float] | None]:
    """Milliseconds per query: wall-clock, CPU time of this process, and for a PostgreSQL server on this
    machine the CPU time of its backend process (None otherwise), each query run as `sarap search` runs it.
    On a loaded machine the wall-clock time includes waiting for a core; the CPU times do not."""
    from sarap.cli.search import search_documents
    from sarap.store import DocumentFilter

    server_ns = backend_cpu_reader(store)
    cases = [(q, DocumentFilter()) for q in QUERIES] + [(q, DocumentFilter(**f)) for q, f in FILTERED]
    for query, filters in cases:  # warm the page cache and the lemma cache once
        search_documents(store, query, filters, 20)
    wall, cpu, server = [], [], []
    for _ in range(rounds):
        for query, filters in cases:
            started_server = server_ns() if server_ns else 0
            started, started_cpu = time.perf_counter(), time.process_time()
            search_documents(store, query, filters, 20)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if server_ns:
                server.append((server_ns() - started_server) / 1e6)
    return wall, cpu, (server if server_ns else None)


def backend_cpu_reader(store):
    """A function returning the CPU nanoseconds used so far by the store's PostgreSQL backend process, read
    from /proc/PID/schedstat when the server runs on this machine; None for SQLite or a remote server."""
    if getattr(store, "dialect", "") != "postgres":
        return None
    path = Path(f"/proc/{store.conn.execute('SELECT pg_backend_pid()').fetchone()[0]}/schedstat")
    try:
        path.read_text()
    except OSError:
        return None
    return lambda: int(path.read_text().split()[0])


def server_figures(cpu: list[float], server: list[float] | None) -> dict:
    """The PostgreSQL backend's CPU per query, and client + server CPU per query: what the query costs
    without the wait for a core on a loaded machine."""
    if server is None:
        return {}
    both = [c + s for c, s in zip(cpu, server)]
    return {"server_cpu_p50_ms": round(statistics.median(server), 2),
            "server_cpu_p95_ms": round(percentile(server, 0.95), 2),
            "total_cpu_p50_ms": round(statistics.median(both), 2), "total_cpu_p95_ms": round(percentile(both, 0.95), 2)}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--db", default="bench/out/search_latency.db", help="SQLite path or postgresql:// URL")
    parser.add_argument("--schema", help="PostgreSQL schema to build in (dropped first)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="query an existing store instead of rebuilding it")
    parser.add_argument("--json", type=Path, help="write results here (e.g. bench/results/search_latency.json)")
    args = parser.parse_args()

    from sarap.store import open_store

    postgres = args.db.startswith("postgres")
    if not postgres and not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    if postgres and args.schema and not args.reuse:
        import psycopg
        with psycopg.connect(args.db, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE')
    store = open_store(args.db, **({"schema": args.schema} if args.schema else {}))
    build_s = None
    if not args.reuse:
        sentences = load_sentences(SHARED)
        print(f"{len(sentences):,} distinct sentences; building {args.docs:,} documents", file=sys.stderr)
        build_s = build_store(store, args.docs, sentences)
        if postgres:  # what autovacuum does soon after a bulk load: statistics and the visibility map
            store.conn.execute("VACUUM ANALYZE")
    times, cpu, server = time_queries(store, args.rounds)
    result = {"backend": "postgres" if postgres else "sqlite", "documents": store.counts().documents,
              "queries": len(times), "build_s": round(build_s, 1) if build_s else None,
              "p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 0.95), 2),
              "max_ms": round(max(times), 2), "cpu_p50_ms": round(statistics.median(cpu), 2),
              "cpu_p95_ms": round(percentile(cpu, 0.95), 2), "load_average": round(os.getloadavg()[0], 1),
              **server_figures(cpu, server),
              "target_p95_ms": TARGET_P95_MS}
    result["pass"] = result["p95_ms"] <= TARGET_P95_MS
    print(result)
    if args.json:
        write_json(args.json, result)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
