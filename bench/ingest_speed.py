"""Ingest speed against bare ``Analyzer.map`` on the same texts.

    .venv/bin/python bench/ingest_speed.py [--texts 60] [--rounds 2] [--db sqlite|postgresql://...] [--json PATH]

The texts are NEREL's Wikinews articles (../shared/data/nerel/train), written as .txt files.  One
Analyzer serves both sides, and the two alternate round by round so machine noise hits both alike.
``ingest`` does everything ``sarap ingest`` does (read, hash, MinHash, analyse in batches, link
entities, lemmatise for search, one transaction per document) into a fresh store each round.
The ratio is ingest's speed over bare analysis's.  Target (issue 3 §10): ratio ≥ 0.6.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SHARED, require_dir, write_json

TARGET_RATIO = 0.6


def load_texts(count: int) -> list[str]:
    paths = sorted(require_dir(SHARED / "data" / "nerel" / "train").glob("*.txt"))[:count]
    return [p.read_text(encoding="utf-8") for p in paths]


def time_bare(analyzer, texts: list[str]) -> float:
    started = time.perf_counter()
    docs = list(analyzer.map(texts))
    assert len(docs) == len(texts)
    return time.perf_counter() - started


def time_ingest(analyzer, folder: Path, db: str) -> tuple[float, int]:
    from sarap.ingest import ingest
    from sarap.store import open_store

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    if db == "sqlite":
        store = open_store(str(folder.parent / f"{schema}.db"))
    else:
        store = open_store(db, schema=schema)
    started = time.perf_counter()
    summary = ingest([str(folder)], store=store, analyzer=analyzer)
    elapsed = time.perf_counter() - started
    if db != "sqlite":
        store.conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    store.close()
    return elapsed, summary.ingested


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--db", default="sqlite", help="sqlite (a fresh temporary file) or a postgresql:// URL")
    parser.add_argument("--json", type=Path, help="write results here (e.g. bench/results/ingest_speed.json)")
    args = parser.parse_args()

    from sarap import Analyzer

    texts = load_texts(args.texts)
    analyzer = Analyzer()
    time_bare(analyzer, texts[:2])  # warm-up: first-call costs belong to neither side
    bare, ingested = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "texts"
        folder.mkdir()
        for n, text in enumerate(texts):
            (folder / f"{n:04d}.txt").write_text(text, encoding="utf-8")
        for _ in range(args.rounds):
            bare.append(time_bare(analyzer, texts))
            seconds, count = time_ingest(analyzer, folder, args.db)
            ingested.append(seconds)
    chars = sum(len(t) for t in texts)
    result = {"texts": len(texts), "characters": chars, "documents_ingested": count,
              "backend": args.db.split(":")[0], "bare_docs_per_s": round(len(texts) / min(bare), 2),
              "ingest_docs_per_s": round(len(texts) / min(ingested), 2),
              "ratio": round(min(bare) / min(ingested), 3), "target_ratio": TARGET_RATIO}
    result["pass"] = result["ratio"] >= TARGET_RATIO
    print(result)
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
