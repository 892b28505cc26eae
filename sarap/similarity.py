"""Claim similarity: are two Russian sentences stating the same thing, in other words?

A sentence becomes a ``ClaimText`` (content lemmas, their IDF weights, navec vectors, numbers, names,
negation); a pair of them becomes a dozen features (weighted lemma overlap, soft vector alignment,
number and name agreement, ...), and a logistic regression trained on ParaPhraser
(``train/train_similarity.py``) turns those into a probability.  Everything runs on CPU from files
shipped in ``sarap/data/similarity`` plus natasha's navec news embeddings: no downloads.
"""
from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data" / "similarity"
COMBINER_PATH = DATA_DIR / "combiner.json"
IDF_PATH = DATA_DIR / "idf.tsv"
COMBINER_PROTOCOL = 1

# The narratives' decision threshold on ``claim_similarity``.  ParaPhraser's 5-fold CV F1 (class >= 0) is
# flat between 0.3 and 0.5 (0.859 at 0.3, best 0.865 at 0.45; train/train_similarity.py prints the curve),
# and sentences in articles are two to three times longer than headlines, which dilutes every overlap
# feature; so the narratives take the recall end of that plateau.
SAME_CLAIM_THRESHOLD = 0.3

# Parts of speech that carry no claim content (pymorphy tags); pronominal adjectives ("который",
# "этот", "свой") are dropped by their Apro tag.
_FUNCTION_POS = {"PREP", "CONJ", "PRCL", "NPRO", "INTJ"}
_NEGATIONS = {"не", "нет", "ни", "никогда", "ничто", "никто"}
_WORD_RE = re.compile(r"[\w\-+]+", re.UNICODE)
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")

# A narrative link (``link_score``) needs more than a high ``claim_similarity``: the two sentences must
# share specific content.  News repeats stock frames ("возбуждено уголовное дело", "в пресс-службе
# уточнили, что", "стало известно", "за сутки выявлено ... случаев") that the paraphrase model rightly
# finds alike but that are no shared claim.  Evidence is the IDF mass of the content stems both share,
# leaving out the reporting frame below and numerals (number agreement alone is no claim).
MIN_SHARED_IDF = 12.0
# ... of which this much must come from words other than names: the same governor or team in both
# sentences is a shared topic, the claim is what is said of them ("построит больницы" / "уволил министра").
MIN_SHARED_WORD_IDF = 8.0
# Stems (STEM_LENGTH letters) of attribution and reporting words: general Russian news vocabulary.
FRAME_STEMS = frozenset(s[:5] for s in (
    "сообщить", "сообщать", "заявить", "заявлять", "уточнить", "рассказать", "отметить", "подчеркнуть",
    "напомнить", "известный", "стать", "данные", "информация", "пресс-служба", "ранее", "сказать",
    "добавить", "пояснить", "говорить", "словам", "считать", "также", "однако", "время", "являться",
    "который", "это", "такой", "весь", "свой", "мочь", "год", "день", "сутки", "неделя", "месяц",
))
# Units this short (content lemmas) say little, so alike-sounding short clauses need a stronger score.
SHORT_UNIT_LEMMAS = 5
# Figures for the clash test: stand-alone numbers, not the digits of a name like "COVID-19" or "С5+1".
_FIGURE_RE = re.compile(r"(?<![\w\-+])\d+(?:[.,]\d+)?(?![\w\-+]*[^\W\d_])")
SHORT_THRESHOLD_BONUS = 0.15


@dataclass(slots=True)
class ClaimText:
    """One sentence prepared for comparison; built once, compared many times."""
    text: str
    lemmas: tuple[str, ...]        # content lemmas, in order, without repeats
    weights: np.ndarray            # IDF of each lemma
    vectors: np.ndarray            # unit navec vector per lemma (zeros when unknown)
    mean: np.ndarray               # IDF-weighted mean of ``vectors``, unit length
    numbers: frozenset[str]
    names: frozenset[str]          # lemmas of capitalised words not opening the sentence
    negated: bool
    stems: tuple[str, ...] = ()    # STEM_LENGTH-letter prefix of each lemma
    stem_pairs: frozenset[tuple[str, str]] = frozenset()  # nearby content words, unordered
    idf: dict[str, float] = field(default_factory=dict)   # lemma -> IDF, for fast pair features
    stem_idf: dict[str, float] = field(default_factory=dict)
    total_idf: float = 0.0
    numerals: frozenset[str] = frozenset()  # stems of number words ("десять", "двадцатый")


FEATURE_NAMES = (
    "jaccard", "idf_overlap", "idf_containment", "mean_cosine", "align_min", "align_max",
    "numbers_clash", "numbers_shared", "names_jaccard", "names_clash", "negation_clash", "length_ratio",
    "pair_containment", "pair_jaccard", "best_shared_pair", "best_shared_word",
)
# Russian derivation mostly changes endings: a 5-letter prefix of the lemma makes "переговорный" meet
# "переговоры" and "ключевой" meet "ключ..." at the cost of rare collisions, which the combiner weighs.
STEM_LENGTH = 5
# Content words at most this far apart (in content words) form a pair: "площадка для переговоров" and
# "переговорная площадка" share the pair {перег, площа}.
PAIR_WINDOW = 2


class ClaimEncoder:
    """Holds the morphology, embeddings, IDF table and combiner; loads them on first use."""

    def __init__(self, data_dir: Path = DATA_DIR, idf: dict[str, float] | None = None) -> None:
        self.data_dir = data_dir
        self._given_idf = idf  # only train_similarity.py passes one, to build the IDF table itself
        self._lock = threading.Lock()
        self._loaded = False

    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            import pymorphy3
            from natasha import NewsEmbedding

            self.morph = pymorphy3.MorphAnalyzer()
            self.navec = NewsEmbedding()
            if self._given_idf is None:
                self.idf, self.default_idf = load_idf(self.data_dir / IDF_PATH.name)
            else:
                self.idf, self.default_idf = self._given_idf, 1.0
            self.combiner: Combiner | None = None
            self._parse = lru_cache(maxsize=200_000)(self._parse_word)
            self._loaded = True

    def _parse_word(self, word: str) -> tuple[str, bool, bool]:
        """(lemma, is_content, is_numeral) for a lower-cased word."""
        parse = self.morph.parse(word)[0]
        tag = parse.tag
        content = tag.POS not in _FUNCTION_POS and "Apro" not in tag and parse.normal_form != "быть"
        return parse.normal_form, content, tag.POS == "NUMR" or "Anum" in tag

    def _vector(self, word: str, lemma: str) -> np.ndarray | None:
        for key in (word, lemma):
            if key in self.navec:
                vec = np.asarray(self.navec[key], dtype=np.float32)
                norm = float(np.linalg.norm(vec))
                return vec / norm if norm else None
        return None

    def encode(self, text: str) -> ClaimText:
        """Turn one sentence into its comparable form."""
        if not self._loaded:
            self._load()
        words = _WORD_RE.findall(text)
        lemmas: list[str] = []
        vectors: list[np.ndarray] = []
        names: set[str] = set()
        numerals: set[str] = set()
        negated = False
        for index, word in enumerate(words):
            lower = word.lower().replace("ё", "е")
            if lower in _NEGATIONS:
                negated = True
            lemma, content, numeral = self._parse(lower)
            if numeral:
                numerals.add(lemma[:STEM_LENGTH])
            if index > 0 and word[:1].isupper():
                names.add(lemma)
            if not content or lemma in lemmas or _NUMBER_RE.fullmatch(lower):
                continue
            lemmas.append(lemma)
            vec = self._vector(lower, lemma)
            vectors.append(vec if vec is not None else np.zeros(300, dtype=np.float32))
        claim = self._assemble(text, lemmas, vectors, names, negated)
        claim.numerals = frozenset(numerals)
        return claim

    def _assemble(self, text, lemmas, vectors, names, negated) -> ClaimText:
        weights = np.array([self.idf.get(l, self.default_idf) for l in lemmas], dtype=np.float32)
        matrix = np.vstack(vectors) if vectors else np.zeros((0, 300), dtype=np.float32)
        mean = (weights[:, None] * matrix).sum(axis=0) if lemmas else np.zeros(300, dtype=np.float32)
        norm = float(np.linalg.norm(mean))
        stems = tuple(lemma[:STEM_LENGTH] for lemma in lemmas)
        return ClaimText(
            text=text, lemmas=tuple(lemmas), weights=weights, vectors=matrix,
            mean=mean / norm if norm else mean,
            numbers=frozenset(n.replace(",", ".") for n in _NUMBER_RE.findall(text)),
            names=frozenset(names), negated=negated, stems=stems, stem_pairs=stem_pairs(stems),
            idf=dict(zip(lemmas, weights.tolist())), stem_idf=dict(zip(stems, weights.tolist())),
            total_idf=sum(weights.tolist()),
        )

    def score(self, a: ClaimText, b: ClaimText) -> float:
        """claim_similarity of two encoded sentences."""
        return self.get_combiner().predict(pair_features(a, b))

    def link_score(self, a: ClaimText, b: ClaimText, threshold: float) -> float:
        """``score`` when the pair is evidence enough for a narrative link at ``threshold``, else 0."""
        score = self.score(a, b)
        if min(len(a.lemmas), len(b.lemmas)) < SHORT_UNIT_LEMMAS and score < threshold + SHORT_THRESHOLD_BONUS:
            return 0.0
        return score if has_link_evidence(a, b) else 0.0

    def get_combiner(self) -> "Combiner":
        if not self._loaded:
            self._load()
        if self.combiner is None:
            self.combiner = load_combiner(self.data_dir / COMBINER_PATH.name)
        return self.combiner

    def similarity(self, a: str, b: str) -> float:
        return self.score(self.encode(a), self.encode(b))


def pair_features(a: ClaimText, b: ClaimText) -> np.ndarray:
    """The combiner's input for one pair (order of FEATURE_NAMES); symmetric in a and b."""
    shared = a.idf.keys() & b.idf.keys()
    union = a.idf.keys() | b.idf.keys()
    shared_w = sum(b.idf[l] for l in shared)
    union_w = (a.total_idf + b.total_idf - shared_w) or 1.0
    min_w = min(a.total_idf, b.total_idf) or 1.0
    align_ab, align_ba = align_words(a, b)
    shared_pairs = a.stem_pairs & b.stem_pairs
    return np.array([
        len(shared) / (len(union) or 1),
        shared_w / union_w,
        min(shared_w / min_w, 1.0),
        float(a.mean @ b.mean),
        min(align_ab, align_ba),
        max(align_ab, align_ba),
        float(bool(a.numbers and b.numbers and a.numbers != b.numbers)),
        float(bool(a.numbers & b.numbers)),
        _jaccard(a.names, b.names),
        float(bool(a.names and b.names and not a.names & b.names)),
        float(a.negated != b.negated),
        min(len(a.lemmas), len(b.lemmas)) / (max(len(a.lemmas), len(b.lemmas)) or 1),
        len(shared_pairs) / (min(len(a.stem_pairs), len(b.stem_pairs)) or 1),
        len(shared_pairs) / len(a.stem_pairs | b.stem_pairs) if shared_pairs else 0.0,
        _best_shared_pair(a, shared_pairs),
        max((b.idf[l] for l in shared), default=0.0) / 10.0,
    ], dtype=np.float64)


def shared_evidence(a: ClaimText, b: ClaimText, leave_out: frozenset[str] = frozenset()) -> float:
    """IDF mass of the specific content stems both sentences share (no frame words, no numerals, none
    of ``leave_out``)."""
    shared = set(a.stems) & set(b.stems) - FRAME_STEMS - a.numerals - b.numerals - leave_out
    return sum(min(a.stem_idf[s], b.stem_idf[s]) for s in shared)


def has_link_evidence(a: ClaimText, b: ClaimText) -> bool:
    """Enough shared specific content, and no disagreement on figures (different counts, dates or sums
    make different claims even in the same words)."""
    figures_a, figures_b = set(_FIGURE_RE.findall(a.text)), set(_FIGURE_RE.findall(b.text))
    if figures_a and figures_b and not figures_a & figures_b:
        return False
    names = {n[:STEM_LENGTH] for n in a.names | b.names}
    return (shared_evidence(a, b) >= MIN_SHARED_IDF
            and shared_evidence(a, b, frozenset(names)) >= MIN_SHARED_WORD_IDF)


def _best_shared_pair(a: ClaimText, shared: frozenset[tuple[str, str]]) -> float:
    """IDF of the rarest word pair both sentences share (scaled ~[0, 1]): a shared phrase like
    "переговорная площадка" says more than the same two words scattered."""
    if not shared:
        return 0.0
    return max(a.stem_idf.get(x, 0.0) + a.stem_idf.get(y, 0.0) for x, y in shared) / 20.0


def stem_pairs(stems: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """Unordered pairs of different stems at most PAIR_WINDOW content words apart."""
    out = set()
    for i, left in enumerate(stems):
        for right in stems[i + 1:i + 1 + PAIR_WINDOW]:
            if left != right:
                out.add((left, right) if left < right else (right, left))
    return frozenset(out)


def align_words(a: ClaimText, b: ClaimText) -> tuple[float, float]:
    """IDF-weighted mean over a's words of their best match in b (1 for the same stem, else the cosine),
    and the same from b to a; one matrix product serves both directions."""
    if not a.lemmas or not b.lemmas:
        return 0.0, 0.0
    sims = a.vectors @ b.vectors.T
    stems_a, stems_b = set(a.stems), set(b.stems)
    best_ab = np.clip(sims.max(axis=1), 0.0, 1.0)
    best_ba = np.clip(sims.max(axis=0), 0.0, 1.0)
    best_ab[[stem in stems_b for stem in a.stems]] = 1.0
    best_ba[[stem in stems_a for stem in b.stems]] = 1.0
    return (float((best_ab * a.weights).sum() / a.weights.sum()),
            float((best_ba * b.weights).sum() / b.weights.sum()))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(slots=True)
class Combiner:
    """Standardise the features, then a logistic regression: p = sigmoid(w . z + b)."""
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def predict(self, features: np.ndarray) -> float:
        z = (features - self.mean) / self.scale
        return 1.0 / (1.0 + math.exp(-float(z @ self.coef + self.intercept)))

    def predict_many(self, features: np.ndarray) -> np.ndarray:
        z = (features - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))


def load_combiner(path: Path) -> Combiner:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("protocol") != COMBINER_PROTOCOL or tuple(data["features"]) != FEATURE_NAMES:
        raise ValueError(f"{path}: combiner protocol/features do not match this sarap; rerun train/train_similarity.py")
    return Combiner(np.array(data["mean"]), np.array(data["scale"]), np.array(data["coef"]), float(data["intercept"]))


def load_idf(path: Path) -> tuple[dict[str, float], float]:
    """Lemma -> IDF, and the IDF given to unseen lemmas (that of a lemma seen once)."""
    idf: dict[str, float] = {}
    default = 1.0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                default = float(line.split("=", 1)[1]) if line.startswith("#unseen=") else default
                continue
            lemma, value = line.rstrip("\n").split("\t")
            idf[lemma] = float(value)
    return idf, default


_encoder: ClaimEncoder | None = None
_encoder_lock = threading.Lock()


def shared_encoder() -> ClaimEncoder:
    """The process-wide encoder (models load on first use)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = ClaimEncoder()
    return _encoder


def claim_similarity(a: str, b: str) -> float:
    """Probability in [0, 1] that sentences ``a`` and ``b`` state the same claim (paraphrase-aware)."""
    return shared_encoder().similarity(a, b)
