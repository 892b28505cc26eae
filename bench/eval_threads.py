"""Same-event threads on the tgcontest Toloka pools: pairwise precision, recall and F1 of the OK class.

    .venv/bin/python bench/eval_threads.py [--shared ../shared] [--cache /tmp/threads.json]

Every article of the three pools (392 distinct URLs, 215 labelled pairs) is analysed, ``group_threads``
runs once over all of them, and a labelled pair is predicted OK when both articles fall in one thread,
as the Dialogue-2021 scoring does for clusterings.  The pools carry no publication dates.  They are
control pairs, small and the only labelled same-event set with texts here: a dev set, not a benchmark.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarap.model import Document  # noqa: E402
from sarap.threads import ThreadOptions, group_threads  # noqa: E402

POOLS = ("ru_honey_pool.tsv", "ru_exam_pool.tsv", "ru_train_pool.tsv")


def read_pools(folder: Path) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, bool]]]:
    """Articles by URL (title, text) and labelled pairs (url, url, same event)."""
    articles, pairs = {}, []
    for name in POOLS:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                for side in ("first", "second"):
                    articles[row[f"INPUT:{side}_url"]] = (row[f"INPUT:{side}_title"], row[f"INPUT:{side}_text"])
                pairs.append((row["INPUT:first_url"], row["INPUT:second_url"], row["GOLDEN:quality"] == "OK"))
    return articles, pairs


def analyse_articles(articles: dict[str, tuple[str, str]], cache: Path | None) -> dict[str, Document]:
    if cache and cache.exists():
        return {url: Document.from_dict(d) for url, d in json.loads(cache.read_text(encoding="utf-8")).items()}
    from sarap import Analyzer

    analyzer = Analyzer()
    docs = {url: analyzer(text.strip() or title, title=title, url=url) for url, (title, text) in articles.items()}
    if cache:
        cache.write_text(json.dumps({u: d.to_dict() for u, d in docs.items()}, ensure_ascii=False), encoding="utf-8")
    return docs


def score_pairs(pairs, thread_of: dict[str, int]) -> dict[str, float]:
    tp = sum(1 for a, b, ok in pairs if ok and thread_of[a] == thread_of[b])
    fp = sum(1 for a, b, ok in pairs if not ok and thread_of[a] == thread_of[b])
    fn = sum(1 for a, b, ok in pairs if ok and thread_of[a] != thread_of[b])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(pairs), "tp": tp, "fp": fp, "fn": fn,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def evaluate(docs: dict[str, Document], pairs, options: ThreadOptions) -> dict[str, float]:
    options.min_documents = 1
    urls = list(docs)
    by_id = {}
    for url in urls:
        by_id.setdefault(docs[url].id, []).append(url)
    threads = group_threads([docs[u] for u in urls], options)
    thread_of = {}
    for number, thread in enumerate(threads):
        for doc_id in thread.documents:
            for url in by_id[doc_id]:
                thread_of[url] = number
    return score_pairs(pairs, thread_of)


def score_pair_decisions(docs: dict[str, Document], pairs, options: ThreadOptions) -> dict[str, float]:
    """The pair score thresholded directly: what clustering's transitivity costs or gains."""
    from sarap.similarity import shared_encoder
    from sarap.threads import thread_similarity, view_document

    encoder = shared_encoder()
    views = {url: view_document(doc, encoder, options) for url, doc in docs.items()}
    same = {(a, b): thread_similarity(views[a], views[b], encoder, options) >= options.threshold
            for a, b, _ in pairs}
    tp = sum(1 for a, b, ok in pairs if ok and same[a, b])
    fp = sum(1 for a, b, ok in pairs if not ok and same[a, b])
    fn = sum(1 for a, b, ok in pairs if ok and not same[a, b])
    precision, recall = tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / ((precision + recall) or 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cache", type=Path, help="JSON file keeping the analysed articles between runs")
    args = parser.parse_args(argv)
    articles, pairs = read_pools(args.shared / "data/ru_news_clustering/tgcontest_toloka_pools")
    docs = analyse_articles(articles, args.cache)
    result = evaluate(docs, pairs, ThreadOptions())
    pairwise = score_pair_decisions(docs, pairs, ThreadOptions())
    positives = sum(ok for *_, ok in pairs)
    print(f"tgcontest Toloka pools: {len(docs)} articles, {len(pairs)} labelled pairs ({positives} OK)")
    print(f"pairwise (OK = same thread): P {result['precision']:.3f} R {result['recall']:.3f} F1 {result['f1']:.3f} "
          f"(tp {result['tp']}, fp {result['fp']}, fn {result['fn']})")
    print(f"pair decisions alone (thread_similarity >= threshold, no clustering): P {pairwise['precision']:.3f} "
          f"R {pairwise['recall']:.3f} F1 {pairwise['f1']:.3f}")
    print(f"reference: every pair OK gives F1 {2 * positives / (positives + len(pairs)):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
