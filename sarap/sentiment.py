"""Sentiment toward one marked entity in a sentence: features, the shipped linear model, batch prediction.

The model is a multinomial logistic regression over sparse lemma features centred on the entity
(``train/train_sentiment.py`` trains it on RuSentNE-2023).  It is stored as plain arrays plus a JSON
vocabulary in ``sarap/data/sentiment/`` so that inference needs only numpy and scipy, no pickles.
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "data" / "sentiment"
PROTOCOL = 1  # bump when the stored format or the feature function changes meaning
CLASSES = (-1, 0, 1)
LABEL_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}
TAGS = ("PERSON", "ORGANIZATION", "PROFESSION", "COUNTRY", "NATIONALITY")


@dataclass(slots=True)
class Target:
    """The classifier's input: a sentence's words and the indices of the words naming the entity.

    ``lemmas`` may come with the words (the pipeline passes natasha's, which agree with pymorphy3's first
    parse on 98 % of tokens and cost nothing more); when absent they are looked up here.
    """
    words: list[str]
    entity: range
    tag: str = "PERSON"
    lemmas: list[str] | None = None


@dataclass(slots=True)
class Prediction:
    label: int                       # -1 negative, 0 neutral, 1 positive
    probs: tuple[float, float, float]  # P(negative), P(neutral), P(positive)

    @property
    def name(self) -> str:
        return LABEL_NAMES[self.label]

    @property
    def tone(self) -> float:
        """Signed tone in [-1, 1]: P(positive) - P(negative)."""
        return self.probs[2] - self.probs[0]


@dataclass(slots=True)
class FeatureOptions:
    """How features are drawn from a target; saved with the model so training and inference agree."""
    window: int = 4          # words either side that count as the entity's immediate context
    bigrams: bool = True     # lemma bigrams over the sentence, the entity collapsed to <E>
    entity_words: bool = False  # the entity's own lemmas (off: they memorise names, dev F1 drops)


# --- words and lemmas ---------------------------------------------------------------------------------------

@lru_cache(maxsize=200_000)
def lemmatize_word(word: str) -> str:
    """pymorphy3's most likely normal form, lower-cased with ё→е; punctuation passes through."""
    word = word.lower().replace("ё", "е")
    if not re.search(r"\w", word):
        return word
    # the pymorphy3 analyser and its parse cache are the ones the NER repair and roles stages already hold
    from .gazetteer import parse_word
    return parse_word(word)[0].normal_form.replace("ё", "е")


def make_target(sentence: str, start: int, end: int, tag: str = "PERSON") -> Target:
    """Tokenise ``sentence`` with razdel and mark the words overlapping [start, end) as the entity."""
    from razdel import tokenize
    tokens = list(tokenize(sentence))
    inside = [i for i, t in enumerate(tokens) if t.start < end and t.stop > start]
    if not inside:
        raise ValueError(f"no word of {sentence!r} lies in [{start}, {end})")
    return Target([t.text for t in tokens], range(inside[0], inside[-1] + 1), tag)


# --- features -----------------------------------------------------------------------------------------------

def extract_features(target: Target, options: FeatureOptions) -> dict[str, float]:
    """Bag of lemmas of the sentence, of the left/right windows, of the next words, and 1/distance weights."""
    lemmas = target.lemmas if target.lemmas is not None else [lemmatize_word(w) for w in target.words]
    first, last = target.entity.start, target.entity.stop - 1
    feats = {"tag:" + target.tag: 1.0, "first": float(first == 0)}
    if options.entity_words:
        for i in target.entity:
            feats["e:" + lemmas[i]] = 1.0
    for i, lemma in enumerate(lemmas):
        if first <= i <= last:
            continue
        side, dist = ("L", first - i) if i < first else ("R", i - last)
        feats["w:" + lemma] = 1.0
        feats["n:" + lemma] = feats.get("n:" + lemma, 0.0) + 1.0 / dist
        if dist <= options.window:
            feats[f"{side}:{lemma}"] = 1.0
        if dist == 1:
            feats[f"{side}1:{lemma}"] = 1.0
    if options.bigrams:
        masked = lemmas[:first] + ["<E>"] + lemmas[last + 1:]
        for a, b in zip(masked, masked[1:]):
            feats[f"b:{a}_{b}"] = 1.0
    return feats


# --- the model ----------------------------------------------------------------------------------------------

@dataclass
class SentimentModel:
    """A linear model: scores = features @ weights + bias, softmax over CLASSES."""
    vocabulary: dict[str, int]
    weights: np.ndarray           # (n_features, 3) float32, columns in CLASSES order
    bias: np.ndarray              # (3,)
    options: FeatureOptions = field(default_factory=FeatureOptions)
    meta: dict = field(default_factory=dict)

    def featurize(self, targets: Sequence[Target]):
        """One sparse CSR matrix for a batch; features unseen in training are dropped."""
        from scipy import sparse
        indptr, indices, values = [0], [], []
        for target in targets:
            for name, value in extract_features(target, self.options).items():
                column = self.vocabulary.get(name)
                if column is not None:
                    indices.append(column)
                    values.append(value)
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(values, np.float32), indices, indptr),
                                 shape=(len(targets), len(self.vocabulary)))

    def predict(self, targets: Sequence[Target]) -> list[Prediction]:
        """Label a batch with one sparse matrix product."""
        if not targets:
            return []
        scores = self.featurize(targets) @ self.weights + self.bias
        scores = np.asarray(scores, dtype=np.float64)
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        return [Prediction(CLASSES[int(row.argmax())], tuple(round(float(p), 4) for p in row)) for row in probs]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocabulary, key=self.vocabulary.get)
        np.savez_compressed(directory / "weights.npz", weights=self.weights.astype(np.float32),
                            bias=self.bias.astype(np.float32))
        (directory / "vocabulary.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
        meta = dict(self.meta, protocol=PROTOCOL, classes=list(CLASSES), options=asdict(self.options))
        (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")


def load_model(directory: Path = MODEL_DIR) -> SentimentModel:
    """Read a model written by ``SentimentModel.save``; refuse one from another protocol."""
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("protocol") != PROTOCOL:
        raise ValueError(f"{directory}: sentiment model protocol {meta.get('protocol')}, this code reads {PROTOCOL}")
    names = json.loads((directory / "vocabulary.json").read_text(encoding="utf-8"))
    arrays = np.load(directory / "weights.npz")
    return SentimentModel({n: i for i, n in enumerate(names)}, arrays["weights"], arrays["bias"],
                          FeatureOptions(**meta["options"]), meta)


_shared: SentimentModel | None = None
_shared_lock = threading.Lock()


def shared_model() -> SentimentModel:
    """The shipped model, loaded on first use and kept for the process."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = load_model()
    return _shared


# --- scoring ------------------------------------------------------------------------------------------------

def score_labels(gold: Iterable[int], predicted: Iterable[int]) -> dict[str, float]:
    """RuSentNE's metrics: F1_PN (macro F1 over positive and negative) and F1_PN0 (macro over all three)."""
    from sklearn.metrics import f1_score
    gold, predicted = list(gold), list(predicted)
    return {
        "f1_pn": float(f1_score(gold, predicted, average="macro", labels=[1, -1], zero_division=0)),
        "f1_pn0": float(f1_score(gold, predicted, average="macro", labels=[-1, 0, 1], zero_division=0)),
    }


# --- RuSentNE rows ------------------------------------------------------------------------------------------

ROW_FIELDS = ("sentence", "entity", "entity_tag", "entity_pos_start_rel", "entity_pos_end_rel")


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a RuSentNE file: tab-separated with a header and standard CSV quoting."""
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        missing = [name for name in ROW_FIELDS if name not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: missing columns {missing}")
        return list(reader)


def target_from_row(row: dict[str, str]) -> Target:
    tag = row["entity_tag"] if row["entity_tag"] in TAGS else "PERSON"
    return make_target(row["sentence"], int(row["entity_pos_start_rel"]), int(row["entity_pos_end_rel"]), tag)
