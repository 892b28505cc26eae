"""Dev-set quality and CPU cost of the targeted sentiment model (issue 5).

    .venv/bin/python bench/sentiment_cost.py [--data ../shared/data/rusentne] [--repeat 3] [--kind KIND ...]

For each shipped model (encoder, lexical) prints F1_PN / F1_PN0 on RuSentNE dev.csv and the seconds per
1,000 rows: cold (first call, lemma cache empty: the cost on new text) and warm (lemmas cached), with the
model already loaded; plus the load time (model files, imports, pymorphy3's dictionaries, the USE weights).
The lemma cache is shared, so only the first kind measured has a truly cold run.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarap import sentiment  # noqa: E402

SHARED = Path(os.environ.get("SARAP_SHARED", ROOT.parent / "shared"))


def time_rows(rows, model) -> tuple[float, list[int]]:
    """Seconds to turn RuSentNE rows into labels: tokenising, lemmas, features, the matrix product."""
    start = time.perf_counter()
    labels = [p.label for p in model.predict([sentiment.target_from_row(r) for r in rows])]
    return time.perf_counter() - start, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "rusentne")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs; the best is reported")
    parser.add_argument("--kind", nargs="*", choices=sentiment.MODEL_KINDS, default=list(sentiment.MODEL_KINDS),
                        help="which shipped models to measure (default: all)")
    args = parser.parse_args(argv)

    rows = sentiment.read_rows(args.data / "dev.csv")
    for kind in args.kind:
        measure(kind, rows, args.repeat)
    return 0


def measure(kind: str, rows, repeat: int) -> None:
    start = time.perf_counter()
    model = sentiment.shared_model(kind)
    model.predict([sentiment.make_target("Мир.", 0, 3)])  # imports razdel, scipy, pymorphy3's dictionaries, USE
    load_s = time.perf_counter() - start
    cold_s, labels = time_rows(rows, model)
    warm_s = min(time_rows(rows, model)[0] for _ in range(repeat))
    scores = sentiment.score_labels([int(r["label"]) for r in rows], labels)
    print(f"{kind}: RuSentNE dev {len(rows)} rows  F1_PN {scores['f1_pn']:.3f}  F1_PN0 {scores['f1_pn0']:.3f}")
    print(f"  model load {load_s:.2f} s; per 1,000 rows: cold {1000 * cold_s / len(rows):.2f} s, "
          f"warm {1000 * warm_s / len(rows):.2f} s  (CPU cores on this machine: {os.cpu_count()})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
