"""Profession mentions: every word or phrase naming an office, rank or occupation, and who holds it.

NEREL marks every such phrase, named holder or not ("президент", "журналиста", "министр иностранных дел",
"генералов"), and nests them: "Президент РФ" holds "Президент".  Two linear-chain CRFs over natasha tokens
tag them, one the innermost spans and one the outermost (a layered tagging of nested spans); a logistic
regression over (profession, person mention) pairs in one sentence picks the holder.  All three are trained
on NEREL train by ``train/train_professions.py`` and ship as JSON in ``sarap/data/professions/``.
"""
from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path

import numpy as np

from .clusters import shared_embedding, word_clusters
from .gazetteer import load_gazetteer
from .model import Document, Profession, Token

DATA_DIR = Path(__file__).parent / "data" / "professions"
MODEL_PROTOCOL = 1
LAYERS = ("inner", "outer")
LABELS = ("O", "B", "I")  # viterbi is written out for these three


# ---------------------------------------------------------------------------------------------------
# Features (the training script calls the same functions)


def token_tags(tokens: list[Token], mentions: list[tuple[int, int, str]]) -> list[str]:
    """Per token, "B-<type>"/"I-<type>" for an entity mention (type with subtype: "LOC.country") or "-"."""
    tags = ["-"] * len(tokens)
    i = 0
    for start, end, etype in sorted(mentions):
        while i < len(tokens) and tokens[i].end <= start:
            i += 1
        j = i
        while j < len(tokens) and tokens[j].start < end:
            tags[j] = ("B-" if j == i else "I-") + etype
            j += 1
    return tags


WORD_KEYS = ("w", "l", "pos", "case", "num", "anim", "shape", "ent", "role", "gaz", "c", "cc", "tl")
LEMMA, WORD = WORD_KEYS.index("l"), WORD_KEYS.index("w")
NEIGHBOUR_KEYS = ("l", "pos", "ent", "case", "gaz", "c", "tl")  # what a word two either side contributes
NEAR_KEYS = ("w", "shape", "role")  # and what a next word adds


def word_key(token: Token, tag: str, role: str) -> tuple[str, ...]:
    """The token's ``word_features``: what the attribute caches below are keyed by."""
    feats = token.feats
    return word_features(token.text, token.lemma, token.pos, feats.get("Case", "-"), feats.get("Number", "-"),
                         feats.get("Animacy", "-"), tag, role)


# Words repeat within and across texts ("в", "и", "президент"), so a word's features, and the attribute strings
# (and weight rows) built from them, are computed once per distinct word, not per token.
@lru_cache(maxsize=50_000)
def word_features(text: str, lemma: str, pos: str, case: str, num: str, anim: str, tag: str,
                  role: str) -> tuple[str, ...]:
    """What one token contributes, to itself and to its neighbours' feature lists, in WORD_KEYS order."""
    lower = text.lower().replace("ё", "е")
    shape = "punct" if not any(c.isalnum() for c in text) else "digit" if text[:1].isdigit() else \
        "upper" if text.isupper() and len(text) > 1 else "cap" if text[:1].isupper() else \
        "latin" if text[:1].isascii() else "low"
    title = load_gazetteer().titles.get(lemma.replace("ё", "е"))
    # navec clusters (256 and 1024) stand in for words NEREL train never shows: "егеря" is used like "лесника"
    coarse, fine = word_clusters(lower)
    word = {"w": lower, "l": lemma, "pos": pos, "case": case, "num": num, "anim": anim, "shape": shape,
            "ent": tag, "role": role, "gaz": title.group if title else "-", "c": coarse, "cc": fine,
            "tl": title_likeness(lemma)}
    return tuple(word[k] for k in WORD_KEYS)


# How title-like a word is, read off its navec vector by a logistic regression over NEREL train lemmas
# (train/train_professions.py fits it): "стоматолог" and "швея" score high unseen.  Five bins of the
# probability (ten bins did no better on dev).
TITLE_BINS = 5


@lru_cache(maxsize=1)
def title_vector() -> tuple[np.ndarray, float]:
    data = json.loads((DATA_DIR / "title_vector.json").read_text(encoding="utf-8"))
    return np.asarray(data["weights"], dtype=np.float32), float(data["bias"])


@lru_cache(maxsize=50_000)
def title_likeness(lemma: str) -> str:
    """The bin (0 to TITLE_BINS - 1) of P(the word heads a profession), or "-" for words navec lacks."""
    word = lemma.lower().replace("ё", "е")
    embedding = shared_embedding()
    if word not in embedding.vocab.word_ids:
        return "-"
    weights, bias = title_vector()
    return str(min(int(TITLE_BINS * sigmoid(float(embedding[word] @ weights) + bias)), TITLE_BINS - 1))


def sigmoid(z: float) -> float:
    """The logistic function, clipped so that exp cannot overflow."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class AttributeStrings:
    """How the feature functions spell a token's attributes for crfsuite (training): as the strings.
    ``group(make, key)`` is ``make(key)``, a word's attribute strings (tuples of them), kept per word;
    ``each(attrs)`` are strings built per token."""
    LIMIT = 30_000  # words kept (~0.8 KB each as rows); past it the cache starts afresh (a long run meets new words)

    def __init__(self):
        self.cache = {}

    def group(self, make, key):
        found = self.cache.get((make, key))
        if found is None:
            if len(self.cache) >= self.LIMIT:
                self.cache.clear()
            found = self.cache[(make, key)] = self.spell(make(key))
        return found

    def spell(self, attrs):
        return attrs

    def each(self, attrs: list[str]) -> list:
        return attrs


STRINGS = AttributeStrings()


OFFSETS = (-2, -1, 1, 2)  # the window: two words either side (sentence_features reads it so)


def sentence_features(keys: list[tuple[str, ...]], encode=STRINGS) -> list[list]:
    """crfsuite attributes per token: the word itself, its affixes, lemma bigrams, and a window of two;
    ``encode`` spells them (strings to train, weight rows to tag)."""
    # Past the sentence's ends stand edge words that give "-2:edge" ... "2:edge" at those offsets
    edges = [(edge,) for edge in encode.each([f"{offset}:edge" for offset in OFFSETS])]
    left = ((), (), edges[0], edges[1], (), ())
    right = ((), (), (), (), edges[2], edges[3])
    words = [left, left, *(encode.group(word_attributes, key) for key in keys), right, right]
    lemmas = ["^", *(key[LEMMA] for key in keys), "$"]
    before = encode.each([f"lb={a}|{b}" for a, b in zip(lemmas, lemmas[1:-1])])
    after = encode.each([f"la={a}|{b}" for a, b in zip(lemmas[1:-1], lemmas[2:])])
    return [[*words[i + 2][0], before[i], after[i], *words[i + 2][1],
             *words[i][2], *words[i + 1][3], *words[i + 3][4], *words[i + 4][5]] for i in range(len(keys))]


def word_attributes(key: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """All that one word gives: its own attributes (two parts: the lemma bigrams go between them), then what
    it gives the token at each of OFFSETS from it."""
    return (*own_attributes(key), *(neighbour_attributes(key, offset) for offset in OFFSETS))


# Attribute names with their "=" per word field, built once: a new word's strings are then plain concatenations
# (formatting them was most of the cost of the first sight of a word).
OWN_NAMES = tuple(f"{k}=" for k in WORD_KEYS)
NEIGHBOUR_NAMES = {offset: tuple((f"{offset}:{k}=", WORD_KEYS.index(k)) for k in
                                 NEIGHBOUR_KEYS + (NEAR_KEYS if abs(offset) == 1 else ()))
                   for offset in OFFSETS}


def own_attributes(key: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    lower = key[WORD]
    return (("bias", *map(str.__add__, OWN_NAMES, key)),
            ("s2=" + lower[-2:], "s3=" + lower[-3:], "s4=" + lower[-4:], "p3=" + lower[:3],
             "hy=" + lower.split("-")[0] if "-" in lower[1:] else "hy=-"))


def neighbour_attributes(key: tuple[str, ...], offset: int) -> tuple[str, ...]:
    """The lemma, POS, NER tag, case, title group, coarse cluster and title-likeness of a word two away; next
    to the token, also the word, its shape and role flag."""
    return tuple(name + key[field] for name, field in NEIGHBOUR_NAMES[offset])


def role_flags(tokens: list[Token], spans: list[tuple[int, int]]) -> list[str]:
    """"B"/"I" where roles.py found a title with a named holder, "-" elsewhere."""
    tags = token_tags(tokens, [(s, e, "R") for s, e in spans])
    return [t[0] if t != "-" else "-" for t in tags]


def document_features(doc: Document, encode=STRINGS) -> list[tuple[int, int, list[list]]]:
    """(first token, end token, attributes) for every sentence of ``doc``."""
    # Role references ("Президента США" resolved to Трамп) are what we tag, not a person's name: left out.
    mentions = [(m.start, m.end, entity_type(e) + ("~adj" if m.kind == "adjective" else ""))
                for e in doc.entities for m in e.mentions if m.kind != "reference"]
    roles = [(r.start, r.end) for e in doc.entities for r in e.roles]
    return sentences_features(doc.tokens, doc.sentences, mentions, roles, encode)


def sentences_features(tokens, sentences, mentions, roles, encode=STRINGS) -> list[tuple[int, int, list[list]]]:
    tags, flags = token_tags(tokens, mentions), role_flags(tokens, roles)
    keys = [word_key(t, tag, flag) for t, tag, flag in zip(tokens, tags, flags)]
    return [(i, j, sentence_features(keys[i:j], encode)) for i, j in sentence_slices(tokens, sentences)]


def sentence_slices(tokens: list[Token], sentences) -> list[tuple[int, int]]:
    """(first token, end token) of every sentence that has tokens."""
    out, i = [], 0
    for sent in sentences:
        j = i
        while j < len(tokens) and tokens[j].start < sent.end:
            j += 1
        if j > i:
            out.append((i, j))
        i = j
    return out


def entity_type(ent) -> str:
    return f"{ent.type}.{ent.subtype}" if ent.subtype else ent.type


# ---------------------------------------------------------------------------------------------------
# The tagger: weights exported from crfsuite, decoded here with Viterbi


@dataclass(slots=True)
class Crf:
    """A linear-chain CRF over LABELS: per-attribute emission weights and a label transition matrix."""
    weights: dict[str, list[float]]
    transitions: list[list[float]]


@dataclass(slots=True)
class Taggers:
    """Several CRFs compiled into one matrix: a row per attribute (the last row, zeros, for unknown ones) and
    LABELS columns per CRF, so a sentence's emissions are one gather and one sum for all of them."""
    vocab: dict[str, int]
    matrix: np.ndarray
    transitions: list[list[list[float]]]
    rows: "AttributeRows" = None  # the feature functions' ``encode`` for tagging

    def __post_init__(self):
        self.rows = AttributeRows(self.vocab)

    def emissions(self, sentences: list[tuple[int, int, list[list[int]]]]) -> list[np.ndarray]:
        """Per sentence (as the feature functions give them, in weight rows) and token, the summed weights of its
        attributes, LABELS columns per CRF: one gather and one sum for all, in attribute order (the same float32
        sums as crfsuite's strings looked up one by one)."""
        if not sentences:
            return []
        feats = [rows for _, _, sentence in sentences for rows in sentence]
        offsets = np.cumsum([0] + [len(rows) for rows in feats[:-1]])
        rows = np.fromiter(chain.from_iterable(feats), dtype=np.intp, count=sum(map(len, feats)))
        summed = np.add.reduceat(self.matrix[rows], offsets, axis=0)
        return np.split(summed, np.cumsum([len(sentence) for _, _, sentence in sentences[:-1]]))

    def tag(self, emissions: np.ndarray) -> list[list[int]]:
        """The best label sequence of each CRF (Viterbi) for a sentence's emissions."""
        rows, n = emissions.tolist(), len(LABELS)
        return [viterbi([row[k * n:(k + 1) * n] for row in rows], trans) for k, trans in enumerate(self.transitions)]


class AttributeRows(AttributeStrings):
    """The feature functions' attributes as rows of a Taggers' matrix (for tagging): a word's rows are looked up
    once and kept (not its strings: ~4 KB a word), the per-token ones each time."""

    def __init__(self, vocab: dict[str, int]):
        super().__init__()
        self.vocab, self.unknown = vocab, len(vocab)

    def spell(self, attrs):
        """Rows of a tuple of strings, or of a tuple of such tuples."""
        if attrs and isinstance(attrs[0], tuple):
            return tuple(self.spell(part) for part in attrs)
        return tuple(map(self.vocab.get, attrs, repeat(self.unknown)))

    def each(self, attrs: list[str]) -> list[int]:
        return list(map(self.vocab.get, attrs, repeat(self.unknown)))


def compile_taggers(layers: list[Crf]) -> Taggers:
    vocab = {attr: k for k, attr in enumerate(sorted({a for crf in layers for a in crf.weights}))}
    n = len(LABELS)
    matrix = np.zeros((len(vocab) + 1, n * len(layers)), dtype=np.float32)
    for k, crf in enumerate(layers):
        for attr, weights in crf.weights.items():
            matrix[vocab[attr], k * n:(k + 1) * n] = weights
    return Taggers(vocab, matrix, [crf.transitions for crf in layers])


def viterbi(emissions: list[list[float]], transitions: list[list[float]]) -> list[int]:
    """The best path over the three LABELS, unrolled (3x faster than loops over labels); the first best
    label wins ties."""
    (t00, t01, t02), (t10, t11, t12), (t20, t21, t22) = transitions
    s0, s1, s2 = emissions[0]
    back = []
    for e0, e1, e2 in emissions[1:]:
        a, b, c = s0 + t00, s1 + t10, s2 + t20
        p0, n0 = (0, a) if a >= b and a >= c else (1, b) if b >= c else (2, c)
        a, b, c = s0 + t01, s1 + t11, s2 + t21
        p1, n1 = (0, a) if a >= b and a >= c else (1, b) if b >= c else (2, c)
        a, b, c = s0 + t02, s1 + t12, s2 + t22
        p2, n2 = (0, a) if a >= b and a >= c else (1, b) if b >= c else (2, c)
        back.append((p0, p1, p2))
        s0, s1, s2 = n0 + e0, n1 + e1, n2 + e2
    score = [s0, s1, s2]
    path = [score.index(max(score))]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    return path[::-1]


def label_spans(labels: list[int], tokens: list[Token]) -> list[tuple[int, int]]:
    """Character spans of B I* runs (a stray I starts a span too)."""
    spans, start = [], None
    for k, label in enumerate([*labels, 0]):
        if start is not None and label != 2:
            spans.append((tokens[start].start, tokens[k - 1].end))
            start = None
        if label in (1, 2) and start is None:
            start = k
    return spans


# ---------------------------------------------------------------------------------------------------
# The holder: a logistic regression over (profession, person mention) pairs in one sentence


# Sentences before a profession's own where its holder may be named: "Андрей Варичев умер ... Forbes уточняет,
# что менеджер скончался" (NEREL links 19% of WORKS_AS across sentences; 2 back covers most of them).
SENTENCES_BACK = 2


@dataclass(slots=True)
class LinkContext:
    """What the linker needs of one document, indexed once."""
    doc: Document
    starts: list[int]                    # token starts, for bisect
    sentence_of: list[int]               # per token, its sentence index
    people: list[tuple[int, int, str, int]]  # PER mentions: start, end, entity id, sentence index
    role_holders: dict[tuple[int, int], str]
    counts: dict[str, int]               # person entity id -> mentions
    top: int                             # the most mentions any person has


def link_context(doc: Document) -> LinkContext:
    starts = [t.start for t in doc.tokens]
    sentence_of, k = [], 0
    for token in doc.tokens:
        while k + 1 < len(doc.sentences) and token.start >= doc.sentences[k].end:
            k += 1
        sentence_of.append(k)
    people = sorted((m.start, m.end, e.id, sentence_of[min(bisect_left(starts, m.start), len(starts) - 1)])
                    for e in doc.entities if e.type == "PER" for m in e.mentions) if doc.tokens else []
    counts = {e.id: len(e.mentions) for e in doc.entities if e.type == "PER"}
    return LinkContext(doc, starts, sentence_of, people,
                       {(r.start, r.end): e.id for e in doc.entities for r in e.roles},
                       counts, max(counts.values(), default=0))


def span_words(ctx: LinkContext, span: tuple[int, int]) -> list[Token]:
    """The tokens the span touches (a gold span may start inside a token)."""
    return ctx.doc.tokens[max(0, bisect_right(ctx.starts, span[0]) - 1):bisect_left(ctx.starts, span[1])] or \
        ctx.doc.tokens[-1:]


def span_head(ctx: LinkContext, span: tuple[int, int]) -> Token:
    words = span_words(ctx, span)
    return next((t for t in words if t.pos == "NOUN"), words[0])


def span_features(ctx: LinkContext, span: tuple[int, int], sentence: int) -> list[str]:
    """The profession's own: its head's case and number, whether a person or "он"/"она" comes before it in
    its sentence ("он является руководителем ..." names the person of the sentences before)."""
    head = span_head(ctx, span)
    first = bisect_left(ctx.starts, span[0])
    start = ctx.sentence_of.index(sentence)
    pronoun = any(t.lemma == "он" and t.feats.get("Person") == "3" for t in ctx.doc.tokens[start:first])
    return [f"case={head.feats.get('Case', '-')}", f"num={head.feats.get('Number', '-')}",
            f"sent_per={any(p[3] == sentence for p in ctx.people)}", f"first={first == start}",
            f"pronoun={pronoun}"]


def same_sentence_features(ctx: LinkContext, span: tuple[int, int], mention: tuple[int, int, str, int]) -> list[str]:
    """A person in the profession's sentence: direction, distance, the words between, and whether the name
    agrees in case with the title, as an apposition does ("президента России Владимира Путина"; in "тренер
    Дадашева" the genitive name is someone else)."""
    after = mention[0] >= span[1]
    d = "a" if after else "b"
    lo, hi = (span[1], mention[0]) if after else (mention[1], span[0])
    between = ctx.doc.tokens[bisect_left(ctx.starts, lo):bisect_left(ctx.starts, hi)]
    others = sum(1 for p in ctx.people if lo <= p[0] and p[1] <= hi)
    words = [t.text.lower() for t in between]
    title_case = span_head(ctx, span).feats.get("Case", "-")
    name_case = span_words(ctx, mention[:2])[0].feats.get("Case", "-")
    feats = ["same", f"dir={d}", f"gap={min(len(between), 8)}", f"dir_gap={d}{min(len(between), 5)}",
             f"others={min(others, 3)}", f"agree={d}{title_case == name_case}{min(len(between), 2)}",
             f"cases={d}{title_case}|{name_case}"]
    if len(between) <= 4:
        feats.append(f"between={d}:{' '.join(words)}")
    feats += [f"bw={d}:{t.lemma}" for t in between[:6]] + [f"bpos={d}:{t.pos}" for t in between[:6]]
    return feats


def cross_sentence_features(ctx: LinkContext, mention, sentence: int, rank: int, own: list[str]) -> list[str]:
    """A person named in a sentence before: how far back, how many people were named since, and whether
    they are the text's main person; each also paired with the profession's own features (a bare
    nominative "менеджер скончался" with no one named beside it is the person just spoken of)."""
    person = [f"rank={min(rank, 3)}", f"sdist={sentence - mention[3]}", f"top={ctx.counts[mention[2]] == ctx.top}",
              *person_features(ctx, mention)]
    return ["cross", *person, *(f"{p}&{o}" for p in person for o in own)]


def person_features(ctx: LinkContext, mention: tuple[int, int, str, int]) -> list[str]:
    """The person mention's case and whether it is the first person its sentence names: a sentence's
    subject is who the next sentences go on about ("63-летний Сумаила Сиссе ... В 2002 году политик ...")."""
    case = span_words(ctx, mention[:2])[0].feats.get("Case", "-")
    first = next(p for p in ctx.people if p[3] == mention[3]) == mention
    return [f"pcase={case}", f"pfirst={first}"]


def link_candidates(doc: Document, spans: list[tuple[int, int]], ctx: LinkContext | None = None):
    """(span index, entity id, features) for every person named in a span's sentence or just before it;
    the person's nearest such mention stands for it."""
    ctx = ctx or link_context(doc)
    for n, span in enumerate(spans):
        first = bisect_left(ctx.starts, span[0])
        if first >= len(ctx.starts):
            continue
        sentence = ctx.sentence_of[first]
        own = span_features(ctx, span, sentence)
        nearest: dict[str, tuple[int, tuple]] = {}
        for mention in ctx.people:
            if not sentence - SENTENCES_BACK <= mention[3] <= sentence or overlaps(mention[:2], span):
                continue
            distance = abs(mention[0] - span[0]) + (10_000 * (sentence - mention[3]))
            if mention[2] not in nearest or distance < nearest[mention[2]][0]:
                nearest[mention[2]] = (distance, mention)
        earlier = sorted((m[0] for _, m in nearest.values() if m[3] < sentence), reverse=True)
        for ent_id, (_, mention) in nearest.items():
            if mention[3] == sentence:
                pair = same_sentence_features(ctx, span, mention)
            else:
                pair = cross_sentence_features(ctx, mention, sentence, earlier.index(mention[0]), own)
            role = any(h == ent_id and overlaps(r, span) for r, h in ctx.role_holders.items())
            yield n, ent_id, ["bias", *own, *pair, f"role={role}",
                              f"mentions={min(ctx.counts.get(ent_id, 0), 5)}"]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(slots=True)
class Linker:
    weights: dict[str, float]
    threshold: float

    def probability(self, feats: list[str]) -> float:
        return sigmoid(sum(self.weights.get(f, 0.0) for f in feats))


# ---------------------------------------------------------------------------------------------------
# The stage


@dataclass(slots=True)
class ProfessionModel:
    taggers: Taggers
    linker: Linker


def read_crf_model(path: Path, layers: tuple[str, ...], protocol: int) -> tuple[dict, list[Crf]]:
    """A shipped CRF model file (this one or the ORG tagger's): its JSON and its CRFs in ``layers`` order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("protocol") != protocol:
        raise ValueError(f"{path}: model protocol {data.get('protocol')}, expected {protocol}")
    return data, [Crf(data["layers"][name]["weights"], data["layers"][name]["transitions"]) for name in layers]


@lru_cache(maxsize=1)
def load_model() -> ProfessionModel:
    data, layers = read_crf_model(DATA_DIR / "model.json", LAYERS, MODEL_PROTOCOL)
    linker = Linker(data["linker"]["weights"], data["linker"]["threshold"])
    return ProfessionModel(compile_taggers(layers), linker)


def tag_professions(doc: Document, taggers: Taggers) -> list[tuple[int, int]]:
    """Profession spans from both layers, in text order, each once."""
    spans = set()
    sentences = document_features(doc, taggers.rows)
    for (first, end, _), emissions in zip(sentences, taggers.emissions(sentences)):
        for labels in taggers.tag(emissions):
            spans.update(without_former(doc.text, s) for s in label_spans(labels, doc.tokens[first:end]))
    return sorted(spans)


# NEREL leaves "экс-" out of a former holder's title: "экс-президента США" holds "президента США" (90 of 90
# in train).
FORMER = "экс-"


def without_former(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span less a leading "экс-"."""
    start, end = span
    if end - start > len(FORMER) and text[start:start + len(FORMER)].lower() == FORMER:
        return start + len(FORMER), end
    return span


def link_holders(doc: Document, spans: list[tuple[int, int]], linker: Linker) -> list[str | None]:
    """The likeliest person for each outermost span, when likely enough; nested spans get their outer's."""
    best: dict[int, tuple[float, str]] = {}
    outer = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
    for n, ent_id, feats in link_candidates(doc, outer):
        p = linker.probability(feats)
        if p >= linker.threshold and p > best.get(n, (0.0, ""))[0]:
            best[n] = (p, ent_id)
    holder_of = {outer[n]: ent_id for n, (_, ent_id) in best.items()}
    return [holder_of.get(s) or next((h for o, h in holder_of.items() if o[0] <= s[0] and s[1] <= o[1]), None)
            for s in spans]


def profession_lemma(doc: Document, span: tuple[int, int]) -> str:
    """Words up to the first noun in their dictionary form, the rest as written: "министра обороны России" ->
    "министр обороны России"."""
    words, head_seen, cursor = [], False, span[0]
    first = bisect_right(doc.tokens, span[0], key=attrgetter("end"))  # the tokens the span touches
    for token in doc.tokens[first:bisect_left(doc.tokens, span[1], lo=first, key=attrgetter("start"))]:
        words.append(doc.text[cursor:token.start] if words else "")
        form, cut = token.text if head_seen else token.lemma, span[0] - token.start
        if cut > 0 and form[:cut].lower() == token.text[:cut].lower():  # "президента" in "экс-президента"
            form = form[cut:]
        words.append(form)
        head_seen = head_seen or token.pos in ("NOUN", "PROPN")
        cursor = token.end
    return "".join(words)


def find_professions(doc: Document) -> Document:
    model = load_model()
    spans = tag_professions(doc, model.taggers)
    holders = link_holders(doc, spans, model.linker)
    doc.professions = [Profession(s, e, doc.text[s:e], profession_lemma(doc, (s, e)), h)
                       for (s, e), h in zip(spans, holders)]
    return doc


def make_professions_stage():
    """The stage; the model loads here, once."""
    from .pipeline import Stage
    load_model()
    return Stage("find_professions", find_professions, requires=("tokens", "sentences", "entities"),
                 assigns=("professions",))
