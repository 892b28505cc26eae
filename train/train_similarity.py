"""Rebuild sarap/data/similarity: the lemma IDF table and the claim-similarity combiner.

    .venv/bin/python train/train_similarity.py [--shared ../shared]

1. IDF: sentence-level document frequency of content lemmas over Russian news text in ../shared/data
   (NEREL train, factRuEval devset, RuSentNE train sentences).  Sentences, not articles, because claims
   are sentences.
2. Combiner: logistic regression on ``sarap.similarity.pair_features`` over ParaPhraser's training file
   (de-duplicated, class >= 0 = same claim).  The decision threshold is the 5-fold cross-validated
   F1-optimal cut, written into the JSON and reported so SAME_CLAIM_THRESHOLD can be checked against it.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarap.similarity import (  # noqa: E402
    COMBINER_PROTOCOL, DATA_DIR, FEATURE_NAMES, ClaimEncoder, pair_features,
)

MIN_DF = 2  # lemmas seen once are left out of the table; they get the "#unseen" IDF anyway


def read_paraphraser(path: Path) -> list[tuple[str, str, int]]:
    """(text_1, text_2, class) pairs, de-duplicated on the lower-cased pair as DeepPavlov does."""
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text.split("?>", 1)[1])  # expat rejects the "UTF8" declaration
    pairs, seen = [], set()
    for item in root.iter("paraphrase"):
        values = {v.get("name"): v.text or "" for v in item.iter("value")}
        key = (values["text_1"].lower().strip(), values["text_2"].lower().strip())
        if key in seen:
            continue
        seen.add(key)
        pairs.append((values["text_1"].strip(), values["text_2"].strip(), int(values["class"])))
    return pairs


def read_stsb(path: Path) -> list[tuple[str, str, float]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row[0], row[1], float(row[2])) for row in csv.reader(handle)]


def news_sentences(shared: Path) -> list[str]:
    from razdel import sentenize

    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "data/nerel/train").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((shared / "data/factru/devset").glob("*.txt"))]
    with (shared / "data/rusentne/train.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        texts += sorted({row["sentence"] for row in reader})
    return [s.text for text in texts for s in sentenize(text)]


def build_idf(encoder: ClaimEncoder, sentences: list[str]) -> tuple[dict[str, float], float]:
    df: Counter[str] = Counter()
    for sentence in sentences:
        df.update(set(encoder.encode(sentence).lemmas))
    total = len(sentences)
    idf = {lemma: round(math.log(total / count), 3) for lemma, count in df.items() if count >= MIN_DF}
    return idf, round(math.log(total), 3)


def write_idf(path: Path, idf: dict[str, float], unseen: float, sentences: int) -> None:
    lines = [f"# sentence-level IDF of content lemmas over {sentences} news sentences; "
             "rebuilt by train/train_similarity.py", f"#unseen={unseen}"]
    lines += [f"{lemma}\t{value}" for lemma, value in sorted(idf.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def featurize(encoder: ClaimEncoder, pairs) -> np.ndarray:
    return np.vstack([pair_features(encoder.encode(a), encoder.encode(b)) for a, b, _ in pairs])


def fit_combiner(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(scaler.transform(x), y)
    return scaler, model


def cross_validate(x: np.ndarray, y: np.ndarray, folds: int = 5, seed: int = 13) -> np.ndarray:
    """Out-of-fold probabilities from the same recipe as the shipped combiner."""
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros(len(y))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        scaler, model = fit_combiner(x[train], y[train])
        out[test] = model.predict_proba(scaler.transform(x[test]))[:, 1]
    return out


def best_threshold(y: np.ndarray, prob: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import f1_score

    cuts = np.round(np.arange(0.2, 0.81, 0.01), 2)
    scores = [f1_score(y, prob >= cut) for cut in cuts]
    index = int(np.argmax(scores))
    return float(cuts[index]), float(scores[index])


def print_curve(y: np.ndarray, prob: np.ndarray) -> None:
    """Precision/recall/F1 by threshold: the plateau SAME_CLAIM_THRESHOLD is chosen from."""
    from sklearn.metrics import precision_recall_fscore_support

    for cut in (0.2, 0.3, 0.4, 0.5, 0.6):
        p, r, f, _ = precision_recall_fscore_support(y, prob >= cut, average="binary")
        print(f"  threshold {cut:.1f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    DATA_DIR.mkdir(parents=True, exist_ok=True)

    encoder = ClaimEncoder(idf={})
    sentences = news_sentences(args.shared)
    idf, unseen = build_idf(encoder, sentences)
    write_idf(DATA_DIR / "idf.tsv", idf, unseen, len(sentences))
    print(f"idf: {len(idf)} lemmas from {len(sentences)} sentences")

    encoder = ClaimEncoder()  # reload with the new IDF
    pairs = read_paraphraser(args.shared / "data/paraphraser/paraphrases.xml")
    x = featurize(encoder, pairs)
    y = np.array([int(c >= 0) for _, _, c in pairs])
    prob = cross_validate(x, y)
    cut, f1 = best_threshold(y, prob)
    print(f"paraphraser 5-fold CV: best F1 {f1:.3f} at threshold {cut}")
    print_curve(y, prob)
    scaler, model = fit_combiner(x, y)
    payload = {
        "protocol": COMBINER_PROTOCOL, "features": list(FEATURE_NAMES),
        "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
        "coef": model.coef_[0].tolist(), "intercept": float(model.intercept_[0]),
        "threshold": cut, "cv_f1": round(f1, 4), "trained_on": f"ParaPhraser train, {len(pairs)} de-duplicated pairs",
    }
    (DATA_DIR / "combiner.json").write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print("coefficients:", dict(zip(FEATURE_NAMES, np.round(model.coef_[0], 2).tolist())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
