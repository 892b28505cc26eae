"""Throughput of `sarap batch` at 1, 2, 4, ... workers against one worker, measured in the same run.

    .venv/bin/python bench/scaling.py [--docs N] [--max-workers W] [--engine local|spark] [--json OUT]

Texts: the seeds, the factRuEval devset and NEREL train (../shared/data): --docs distinct documents (repeats,
if more are asked for, get a numbered line so duplicate detection keeps them).  Each run is a fresh process.  Efficiency at W workers =
throughput(W) / (W × throughput(1)).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SARAP_SHARED", ROOT.parent / "shared"))


def corpus_texts() -> list[str]:
    files = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
    files += sorted((SHARED / "data" / "factru" / "devset").glob("*.txt"))
    files += sorted((SHARED / "data" / "nerel" / "train").glob("*.txt"))
    if not files:
        sys.exit(f"no texts under {SHARED}: this benchmark needs ../shared")
    return [f.read_text(encoding="utf-8") for f in files]


def write_input(folder: Path, texts: list[str], n: int) -> Path:
    path = folder / "input.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            # Distinct texts while they last; repeats get a numbered line so they are not exact duplicates.
            text = texts[i % len(texts)] + (f"\nМатериал номер {i}." if i >= len(texts) else "")
            handle.write(json.dumps({"text": text, "url": f"bench://{i}"}, ensure_ascii=False) + "\n")
    return path


def measure(input_path: Path, workers: int, engine: str, docs: int) -> float:
    """Documents per second of one `sarap batch` run in a fresh process: model loading in every worker,
    cold caches and the final table writing are all counted, as a user pays them."""
    import subprocess

    out = Path(tempfile.mkdtemp(prefix="sarap-scale-"))
    cmd = [sys.executable, "-m", "sarap", "batch", str(input_path), str(out), "--engine", engine,
           "--workers", str(workers), "--chunk-size", "8", "--master", f"local[{workers}]",
           "--partitions", str(workers * 2)]
    try:
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        elapsed = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return docs / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--max-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--engine", choices=("local", "spark"), default="local")
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting; the best counts (default 1)")
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sarap-scale-in-"))
    input_path = write_input(tmp, corpus_texts(), args.docs)
    counts = [1]
    while counts[-1] * 2 <= args.max_workers:
        counts.append(counts[-1] * 2)
    if counts[-1] != args.max_workers:
        counts.append(args.max_workers)
    def best(w: int, engine: str) -> float:
        return max(measure(input_path, w, engine, args.docs) for _ in range(args.repeat))

    base = best(1, "local")                     # the baseline: the local engine with one worker
    rows = []
    for w in counts:
        rate = base if (w == 1 and args.engine == "local") else best(w, args.engine)
        rows.append({"workers": w, "docs_per_s": round(rate, 2), "speedup": round(rate / base, 2),
                     "efficiency": round(rate / (w * base), 2)})
    print(f"engine={args.engine} docs={args.docs} cpus={os.cpu_count()} baseline(local,1)={base:.2f} docs/s")
    print(f"{'workers':>8} {'docs/s':>8} {'speedup':>8} {'efficiency':>10}")
    for r in rows:
        print(f"{r['workers']:>8} {r['docs_per_s']:>8} {r['speedup']:>8} {r['efficiency']:>10}")
    if args.json:
        Path(args.json).write_text(json.dumps({"engine": args.engine, "docs": args.docs, "cpus": os.cpu_count(),
                                               "rows": rows}, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
