"""Claim similarity on ParaPhraser (binary F1, 5-fold CV on its train file) and STS-B-ru dev (Spearman).

    .venv/bin/python bench/eval_paraphrase.py [--shared ../shared]

ParaPhraser: "same claim" = class >= 0 (near or precise paraphrase), the DeepPavlov convention; the pairs
are de-duplicated (7,202) and scored out-of-fold with the same recipe train/train_similarity.py ships,
at SAME_CLAIM_THRESHOLD and at the best cut.  The official test file is not in ../shared, so these are
cross-validation figures, not test figures (published test F1: RuBERT 87.9, mBERT 83.4, fastText 80.9).
STS-B-ru dev: Spearman between the shipped ``claim_similarity`` and the 0-5 gold score (1,500 pairs).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarap.similarity import SAME_CLAIM_THRESHOLD, shared_encoder  # noqa: E402
from train.train_similarity import (  # noqa: E402
    best_threshold, cross_validate, featurize, read_paraphraser, read_stsb,
)


def binary_scores(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    return {"accuracy": accuracy_score(y, predicted), "precision": precision_score(y, predicted),
            "recall": recall_score(y, predicted), "f1": f1_score(y, predicted)}


def narrative_links(encoder, pairs) -> np.ndarray:
    """The narratives' own decision (claim_similarity plus the shared-content gate) for each pair: what the
    gate costs in recall on real paraphrases (headlines are short, so this is its hardest case)."""
    out = []
    for a, b, *_ in pairs:
        out.append(encoder.link_score(encoder.encode(a), encoder.encode(b), SAME_CLAIM_THRESHOLD) >= SAME_CLAIM_THRESHOLD)
    return np.array(out, dtype=int)


def main(argv: list[str] | None = None) -> int:
    from scipy.stats import spearmanr

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    encoder = shared_encoder()

    pairs = read_paraphraser(args.shared / "data/paraphraser/paraphrases.xml")
    started = time.perf_counter()
    x = featurize(encoder, pairs)
    per_pair_ms = 1000 * (time.perf_counter() - started) / len(pairs)
    classes = np.array([c for *_, c in pairs])
    y = (classes >= 0).astype(int)
    prob = cross_validate(x, y)
    print(f"ParaPhraser train, {len(pairs)} de-duplicated pairs, 5-fold CV, class >= 0 positive "
          f"({y.mean():.1%}); every-pair-positive F1 {2 * y.mean() / (1 + y.mean()):.3f}")
    for label, cut in (("SAME_CLAIM_THRESHOLD", SAME_CLAIM_THRESHOLD), ("best cut", best_threshold(y, prob)[0])):
        s = binary_scores(y, prob >= cut)
        print(f"  {label} {cut:.2f}: F1 {s['f1']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}  "
              f"accuracy {s['accuracy']:.3f}")
    strict = binary_scores((classes == 1).astype(int), prob >= best_threshold((classes == 1).astype(int), prob)[0])
    print(f"  strict variant (class == 1 positive, its best cut): F1 {strict['f1']:.3f}")
    print(f"  Spearman(out-of-fold probability, class -1/0/1): {spearmanr(prob, classes).statistic:.3f}")
    print(f"  speed: {per_pair_ms:.2f} ms per pair (encoding both sentences and featurising, one CPU core)")

    link = narrative_links(encoder, pairs)
    s = binary_scores(y, link)
    print(f"  narrative link (shipped model, link_score >= {SAME_CLAIM_THRESHOLD:.2f}: evidence gate on top): "
          f"F1 {s['f1']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}  accuracy {s['accuracy']:.3f}")

    sts = read_stsb(args.shared / "data/stsb_ru/stsb-ru-dev.csv")
    predicted = [encoder.similarity(a, b) for a, b, _ in sts]
    rho = spearmanr(predicted, [s for *_, s in sts]).statistic
    print(f"STS-B-ru dev, {len(sts)} pairs: Spearman {rho:.3f} (shipped model; encodechka: LaBSE 0.79, "
          "rubert-tiny2 0.75, char-hashing baseline 0.70)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
