"""Web page latency (p50/p95) of `sarap serve` on a large store: search, document, entity, stats pages.

    .venv/bin/python bench/web_latency.py [--docs 100000] [--db PATH] [--pool 1500] [--reuse] [--json PATH]

The store is built like bench/search_latency.py's (real sentences from ../shared/data, recombined into
4-12-sentence documents with a source, a date and a kind), but with analysis: a pool of sentences is run
through the Analyzer once, and each document carries its sentences' entities, roles, quotes, dates,
amounts, events and tone, shifted to the document's offsets, with knowledge-base links.  So entity pages
have real co-mentions over many documents.  Pages are fetched over HTTP from uvicorn on 127.0.0.1, in the
mix an analyst would make: searches (with filters), documents, entity profiles (the most frequent entities
and random ones), entity lookups, stats, a source comparison and the timeline.  The app caches profiles and
aggregates per store version, so each entity's first visit is timed apart (and counted in the totals); the
corpus-wide aggregates' first computation after start is reported apart and left out of the totals (`sarap
serve` computes them in the background at start).  Target (issue 7 §6): p95 ≤ 200 ms.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SHARED, write_json
from bench.search_latency import FILTERED, QUERIES, SOURCES, load_sentences, percentile

TARGET_P95_MS = 200.0


def analyse_pool(sentences: list[str], size: int, seed: int, cache: Path) -> list:
    """``size`` random sentences, each analysed once (Analyzer.map), with its search index strings; kept in
    ``cache`` (a pickle beside the store) so a rebuild skips the analysis."""
    import pickle

    if cache.exists():
        pool = pickle.loads(cache.read_bytes())
        if len(pool) == size:
            return pool
    pool = analyse_sentences(sentences, size, seed)
    cache.write_bytes(pickle.dumps(pool))
    return pool


def analyse_sentences(sentences: list[str], size: int, seed: int) -> list:
    from sarap.analyzer import Analyzer
    from sarap.model import Document
    from sarap.search import index_text

    rng = random.Random(seed)
    picked = rng.sample(sentences, min(size, len(sentences)))
    analyzer = Analyzer()
    started = time.perf_counter()
    docs = list(analyzer.map([Document(text=s) for s in picked]))
    for doc in docs:   # working state, not needed to compose documents (and large to keep)
        doc.tokens, doc.ner_spans = [], []
    print(f"  analysed {len(docs):,} sentences in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return [(doc, index_text(doc.text)) for doc in docs]


def compose(parts: list, **meta):
    """One document from analysed sentences: text joined by spaces, every span shifted, entities merged by
    (type, name) so a name repeated in two sentences is one entity of the document."""
    from sarap.model import Document

    doc = Document(text=" ".join(p.text for p in parts), **meta)
    ids: dict[tuple[str, str], object] = {}
    offset = 0
    for part in parts:
        local = {}
        for ent in part.entities:
            merged = ids.get((ent.type, ent.name))
            if merged is None:
                merged = type(ent)(f"e{len(ids) + 1}", ent.type, ent.name, subtype=ent.subtype,
                                   sentiment=ent.sentiment)
                ids[(ent.type, ent.name)] = merged
                doc.entities.append(merged)
            local[ent.id] = merged.id
            merged.mentions += [type(m)(m.start + offset, m.end + offset, m.text, m.kind) for m in ent.mentions]
        for ent in part.entities:
            target = doc.entity(local[ent.id])
            target.roles += [type(r)(r.title, local.get(r.of or "", r.of), r.start + offset, r.end + offset)
                             for r in ent.roles]
        shift_items(doc, part, offset, local)
        offset += len(part.text) + 1
    return doc


def shift_items(doc, part, offset: int, local: dict[str, str]) -> None:
    from dataclasses import replace

    doc.sentences += [replace(s, start=s.start + offset, end=s.end + offset) for s in part.sentences]
    doc.quotes += [replace(q, speaker=local.get(q.speaker or "", q.speaker), about=[local.get(a, a) for a in q.about],
                           start=q.start + offset, end=q.end + offset) for q in part.quotes]
    doc.dates += [replace(d, start=d.start + offset, end=d.end + offset) for d in part.dates]
    doc.amounts += [replace(a, start=a.start + offset, end=a.end + offset) for a in part.amounts]
    doc.events += [replace(e, participants=[local.get(p, p) for p in e.participants],
                           location=local.get(e.location or "", e.location), start=e.start + offset,
                           end=e.end + offset) for e in part.events]


def link_cached(doc, cache: dict) -> list:
    """sarap.ingest.link_entities without alias look-ups (each (type, name) keeps its own key), memoised:
    transliterating the same names 100K times would dominate the build."""
    from sarap.ingest import link_entities

    links = []
    for ent in doc.entities:
        signature = (ent.type, ent.name, tuple(sorted({m.text for m in ent.mentions})))
        if signature not in cache:
            probe = type(doc)(text="", entities=[ent])
            cache[signature] = link_entities(probe, lambda type_, alias: [])[0]
        link = cache[signature]
        links.append(type(link)(ent.id, link.key, link.type, link.name, link.aliases))
    return links


def build_store(store, n_docs: int, pool: list, seed: int = 7) -> float:
    """Fill ``store`` with ``n_docs`` documents recombined from the analysed pool; returns seconds."""
    from sarap.store import StoredDocument

    rng, cache = random.Random(seed), {}
    started = time.perf_counter()
    for n in range(n_docs):
        picks = rng.sample(range(len(pool)), rng.randint(4, 12))
        day = 1 + rng.randrange(700)
        doc = compose([pool[i][0] for i in picks], title=pool[picks[0]][0].text[:80], source=rng.choice(SOURCES),
                      published=time.strftime("%Y-%m-%d", time.gmtime(1704067200 + day * 86400)),
                      kind="interview" if n % 10 == 0 else "article")
        store.add_document(StoredDocument(
            document=doc, hash=hashlib.sha256(doc.text.encode()).hexdigest(), path=f"bench:{n}",
            lemmas=" ".join(pool[i][1].lemmas for i in picks), forms=" ".join(pool[i][1].forms for i in picks),
            links=link_cached(doc, cache), ingested_at="2026-01-01T00:00:00+00:00"))
        if n % 10_000 == 9_999:
            print(f"  {n + 1:,} documents, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return time.perf_counter() - started


def page_mix(store, rounds: int, seed: int = 11) -> list[tuple[str, str]]:
    """(kind, path) of the pages to time, in a fixed random order."""
    from urllib.parse import urlencode

    rng = random.Random(seed)
    total = store.counts().documents
    top = [e.key for e in store.top_entities(limit=20)]
    rows = [r.id for r in store.list_documents(limit=500, offset=rng.randrange(max(total - 500, 1)))]
    others = [e.key for e in store.top_entities(limit=2000)[200:]]
    pages = []
    for _ in range(rounds):
        pages += [("search", "/search?" + urlencode({"q": q})) for q in rng.sample(QUERIES, 10)]
        pages += [("search+filter", "/search?" + urlencode({"q": q, **f})) for q, f in FILTERED]
        pages += [("document", f"/documents/{d}") for d in rng.sample(rows, 10)]
        pages += [("entity (top 20)", "/entities/" + quote(k, safe="")) for k in rng.sample(top, 3)]
        pages += [("entity (other)", "/entities/" + quote(k, safe="")) for k in rng.sample(others, 5)]
        pages += [("entity lookup", "/entities?" + urlencode({"name": "Россия"})),
                  ("stats", "/stats"), ("compare", "/compare?" + urlencode({"a": SOURCES[0], "b": SOURCES[1]})),
                  ("timeline", "/events?" + urlencode({"since": f"2025-{rng.randint(1, 12):02d}-01"}))]
    rng.shuffle(pages)
    return pages


def serve(db: str):
    """uvicorn with the app on a free loopback port, in a thread; returns (base URL, server)."""
    import socket

    import uvicorn

    from sarap.web.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, token="bench"), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def time_pages(base: str, pages: list[tuple[str, str]]) -> dict[str, list[float]]:
    import httpx

    times: dict[str, list[float]] = defaultdict(list)
    with httpx.Client(base_url=base, timeout=600) as client:
        for path in ("/stats", "/entities"):   # cold: corpus-wide aggregates, then cached per store version
            started = time.perf_counter()
            client.get(path)
            times[f"{path} cold (first after start)"].append((time.perf_counter() - started) * 1000)
        for kind in ("entity (top 20)", "entity (other)"):   # the first visit builds the profile; later ones hit
            for path in dict.fromkeys(p for k, p in pages if k == kind):   # the app's cache
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                times[f"{kind}, first visit"].append((time.perf_counter() - started) * 1000)
                times[f"cpu: {kind}, first visit"].append((time.process_time() - started_cpu) * 1000)
        for _, path in pages[:20]:   # warm the page cache and the lemma cache
            client.get(path)
        for kind, path in pages:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times[kind].append((time.perf_counter() - started) * 1000)
            # CPU time of this process (client and server threads; SQLite is in-process): a figure that
            # does not grow with the machine's load, beside the wall-clock one.
            times[f"cpu: {kind}"].append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    return times


def summarise(times: dict[str, list[float]]) -> dict:
    every = [t for kind, values in times.items() if "cold" not in kind and not kind.startswith("cpu") for t in values]
    cpu = [t for kind, values in times.items() if kind.startswith("cpu") for t in values]
    pages = {kind: {"n": len(v), "p50_ms": round(statistics.median(v), 1), "p95_ms": round(percentile(v, 0.95), 1),
                    "max_ms": round(max(v), 1)} for kind, v in sorted(times.items())}
    return {"pages": len(every), "p50_ms": round(statistics.median(every), 1),
            "p95_ms": round(percentile(every, 0.95), 1), "max_ms": round(max(every), 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
            "by_page": pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--db", default="bench/out/web_latency.db", help="SQLite path")
    parser.add_argument("--pool", type=int, default=1500, help="sentences analysed once and recombined")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the page mix (36 pages each)")
    parser.add_argument("--reuse", action="store_true", help="time an existing store instead of rebuilding it")
    parser.add_argument("--json", type=Path, help="write results here (e.g. bench/results/web_latency.json)")
    args = parser.parse_args()

    from sarap.store import open_store

    build_s = None
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        store = open_store(args.db)
        sentences = load_sentences(SHARED)
        print(f"{len(sentences):,} distinct sentences; analysing {args.pool:,}, building {args.docs:,} documents",
              file=sys.stderr)
        pool = analyse_pool(sentences, args.pool, seed=5, cache=Path(args.db + ".pool.pkl"))
        build_s = build_store(store, args.docs, pool)
        store.close()
    store = open_store(args.db)
    pages, counts = page_mix(store, args.rounds), store.counts()
    store.close()
    base, server = serve(args.db)
    try:
        result = {"backend": "sqlite", "documents": counts.documents, "entities": counts.entities,
                  "mentions": counts.mentions, "build_s": round(build_s, 1) if build_s else None,
                  **summarise(time_pages(base, pages)), "load_average": round(os.getloadavg()[0], 1),
                  "target_p95_ms": TARGET_P95_MS}
    finally:
        server.should_exit = True
    result["pass"] = result["p95_ms"] <= TARGET_P95_MS
    print(result)
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
