"""Organisation names found by a tagger trained on NEREL: recall and boundaries the NER rules miss.

NEREL marks an organisation with all its words, place and field included ("Министерства обороны России",
"пресс-служба МВД", "Совет Федерации"), and nests them ("МВД" inside "пресс-служба МВД").  Two linear-chain
CRFs over natasha tokens tag the outermost and the innermost ORGANIZATION spans; their features are the
word, lemma, morphology and shape (the profession tagger's ``word_features``) with the repaired NER spans as
tags, two words around, quotes, capitalised runs and body nouns.  All of the profession tagger's window
scored a little higher (NEREL dev ORGANIZATION 0.764 against 0.757, factRuEval ORG 0.853 against 0.852) at
twice the cost.  The stage adds a tagged span the NER missed and re-bounds an ORG span the tagger reads wider or
narrower, only where every token's marginal probability is high and no person or place name is cut.
Trained on NEREL train by ``train/train_org.py``; shipped as JSON in ``sarap/data/org/``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .gazetteer import load_gazetteer
from .model import Document, NerSpan, Token
from .professions import (LABELS, LEMMA, STRINGS, WORD, WORD_KEYS, Taggers, compile_taggers, label_spans, overlaps,
                          profession_lemma, read_crf_model, sentence_slices, token_tags, word_key)

DATA_DIR = Path(__file__).parent / "data" / "org"
MODEL_PROTOCOL = 3
LAYERS = ("outer", "inner")
QUOTES_OPEN, QUOTES_CLOSE = {"«", "„", "“"}, {"»", "“", "”"}


def ner_features(doc: Document, encode=STRINGS) -> list[tuple[int, int, list[list]]]:
    """(first token, end token, attributes) for every sentence, the NER spans as token tags; ``encode``
    spells them (strings to train, weight rows to tag)."""
    mentions = [(s.start, s.end, f"{s.type}.{s.subtype}" if s.subtype else s.type) for s in doc.ner_spans]
    keys = [word_key(t, tag, "-") for t, tag in zip(doc.tokens, token_tags(doc.tokens, mentions))]
    return [(i, j, sentence_features(keys[i:j], doc.tokens[i:j], encode))
            for i, j in sentence_slices(doc.tokens, doc.sentences)]


EDGE = tuple("^" for _ in WORD_KEYS)  # the word before the first and after the last: "^" in every feature
SHAPE = WORD_KEYS.index("shape")
OFFSETS = (-1, 1, -2, 2)


def sentence_features(keys: list[tuple[str, ...]], tokens: list[Token], encode=STRINGS) -> list[list]:
    """Half the profession tagger's attributes, for speed: the word, its lemma and morphology, lemma bigrams,
    lemmas and NER tags two words around, and what names an organisation beyond the word itself: inside
    quotes, in a run of capitalised words, a body noun ("правительство", "полиция")."""
    edge = encode.group(word_attributes, EDGE)
    words = [edge, edge, *(encode.group(word_attributes, key) for key in keys), edge, edge]
    lemmas = [EDGE[LEMMA], *(key[LEMMA] for key in keys), EDGE[LEMMA]]
    shapes = [EDGE[SHAPE], *(key[SHAPE] for key in keys)]
    before = encode.each([f"lb={a}|{b}" for a, b in zip(lemmas, lemmas[1:-1])])
    after = encode.each([f"la={a}|{b}" for a, b in zip(lemmas[1:-1], lemmas[2:])])
    quoted = encode.each([f"q={flag}" for flag in quote_flags(tokens)])
    caprun = encode.each([f"caprun={own}{previous}" for previous, own in zip(shapes, shapes[1:])])
    return [[*words[k + 2][0], before[k], after[k],
             *words[k + 1][1], *words[k + 3][2], *words[k][3], *words[k + 4][4],  # -1, 1, -2, 2 (OFFSETS)
             quoted[k], caprun[k], *words[k + 2][5]] for k in range(len(tokens))]


def quote_flags(tokens: list[Token]) -> list[bool]:
    """Per token, whether it lies between an opening and a closing quote (the quotes themselves not)."""
    quoted, flags = False, []
    for token in tokens:
        if token.text in QUOTES_CLOSE and quoted:
            quoted = False
        flags.append(quoted)
        if token.text in QUOTES_OPEN and not quoted:
            quoted = True
    return flags


def word_attributes(key: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """All that one word gives: its own attributes, what it gives the token at each of OFFSETS from it, and
    whether it is a body noun (the token's last attribute)."""
    own = ("bias", *(name + key[field] for name, field in OWN_NAMES), "s3=" + key[WORD][-3:])
    return (own, *(neighbour_attributes(key, offset) for offset in OFFSETS),
            ("body=" + str(key[LEMMA] in load_gazetteer().bodies),))


def neighbour_attributes(key: tuple[str, ...], offset: int) -> tuple[str, ...]:
    """What a word next to the token tells it (lemma, NER tag, shape, morphology); two away, lemma and tag."""
    return tuple(name + key[field] for name, field in NEIGHBOUR_NAMES[offset])


# Attribute names with their "=" per word field, built once (see professions.NEIGHBOUR_NAMES)
OWN_NAMES = tuple((f"{k}=", WORD_KEYS.index(k)) for k in ("w", "l", "pos", "case", "shape", "ent"))
NEIGHBOUR_NAMES = {offset: tuple((f"{offset}:{k}=", WORD_KEYS.index(k))
                                 for k in (("l", "ent", "shape", "pos", "case") if abs(offset) == 1 else ("l", "ent")))
                   for offset in OFFSETS}


# ---------------------------------------------------------------------------------------------------
# Decoding with confidences


def marginals(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Per sentence, token, CRF and label, the probability of that label: forward-backward with scaling over
    all sentences of a document at once (padded to the longest; ``transitions`` is block-diagonal, one
    block of exp-weights per CRF), so the loop runs once per token position, not per token."""
    count, longest, width = emissions.shape
    blocks = (count, width // len(LABELS), len(LABELS))
    scores = np.exp(emissions - emissions.max(axis=2, keepdims=True))

    def norm(x: np.ndarray) -> np.ndarray:
        x = x.reshape(blocks)
        return (x / x.sum(axis=2, keepdims=True)).reshape(count, width)

    alpha, beta = np.empty_like(scores), np.ones_like(scores)
    alpha[:, 0] = norm(scores[:, 0])
    for k in range(1, longest):
        alpha[:, k] = norm((alpha[:, k - 1] @ transitions) * scores[:, k])
    for k in range(longest - 2, -1, -1):
        step = norm((scores[:, k + 1] * beta[:, k + 1]) @ transitions.T)
        beta[:, k] = np.where((k + 1 < lengths)[:, None], step, 1.0)
    joint = (alpha * beta).reshape(count, longest, *blocks[1:])
    return joint / joint.sum(axis=3, keepdims=True)


def scored_spans(probs: np.ndarray, tokens: list[Token]) -> list[tuple[int, int, float]]:
    """Spans of the per-token likeliest labels, each with its weakest token's probability."""
    labels = probs.argmax(axis=1).tolist()
    best = probs.max(axis=1)
    out, k = [], 0
    for start, end in label_spans(labels, tokens):
        while tokens[k].start < start:
            k += 1
        j = k
        while j < len(tokens) and tokens[j].end <= end:
            j += 1
        # the token after must not be an I either, or the span is cut short
        after = probs[j, 0] if j < len(tokens) else 1.0
        out.append((start, end, float(min(best[k:j].min(), after))))
    return out


@dataclass(slots=True)
class Tagging:
    spans: dict[tuple[int, int], float]   # tagged span -> its confidence, the best over both CRFs
    outside: dict[int, float]             # token start -> the probability that no CRF puts it in an ORG


def tag_orgs(doc: Document, taggers: Taggers) -> Tagging:
    """Every tagged span of both CRFs with its confidence, and how sure they are each token is in none."""
    sentences = ner_features(doc, taggers.rows)
    tagging = Tagging({}, {})
    if not sentences:
        return tagging
    lengths = np.array([end - first for first, end, _ in sentences])
    emissions = np.zeros((len(sentences), lengths.max(), taggers.matrix.shape[1]))
    for n, rows in enumerate(taggers.emissions(sentences)):
        emissions[n, :lengths[n]] = rows
    probs = marginals(emissions, lengths, block_transitions(taggers))
    outside = probs[:, :, :, 0].min(axis=2)
    for n, (first, end, _) in enumerate(sentences):
        tokens = doc.tokens[first:end]
        tagging.outside.update(zip([t.start for t in tokens], outside[n, :len(tokens)].tolist()))
        for layer in range(probs.shape[2]):
            for s, e, p in scored_spans(probs[n, :lengths[n], layer], tokens):
                tagging.spans[(s, e)] = max(p, tagging.spans.get((s, e), 0.0))
    return tagging


def block_transitions(taggers: Taggers) -> np.ndarray:
    n = len(LABELS)
    out = np.zeros((n * len(taggers.transitions),) * 2)
    for k, trans in enumerate(taggers.transitions):
        out[k * n:(k + 1) * n, k * n:(k + 1) * n] = np.exp(np.asarray(trans))
    return out


# ---------------------------------------------------------------------------------------------------
# Merging into the NER spans


def crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Overlapping without one holding the other."""
    return overlaps(a, b) and not (a[0] <= b[0] and b[1] <= a[1]) and not (b[0] <= a[0] and a[1] <= b[1])


def merge_orgs(doc: Document, tagging: Tagging, add: float, drop: float) -> list[NerSpan]:
    """The NER spans with confident tagged ORG spans added; an ORG span the tagger does not tag goes when a
    confident tagged span re-bounds it (shares an edge or crosses it) or every token is confidently outside.
    A tagged span inside another ORG is not added: NEREL nests "Верховный суд" in "Верховный суд Испании",
    factRuEval does not (factRuEval dev ORG F1 .850 -> .837 with them, .854 without; NEREL dev .775, .762)."""
    names = {(s.start, s.end) for s in doc.ner_spans if s.type != "ORG"}
    confident = [span for span, p in tagging.spans.items() if p >= add and span not in names
                 and not any(crosses(span, n) for n in names)]
    kept = [s for s in doc.ner_spans if s.type != "ORG" or (s.start, s.end) in tagging.spans
            or not (rebound(s, confident) or outside(s, tagging, drop))]
    orgs = {(s.start, s.end) for s in kept if s.type == "ORG"} | set(confident)
    kept += [new_org(doc, span) for span in confident if not any(holds(o, span) for o in orgs)
             and not any((s.start, s.end) == span and s.type == "ORG" for s in kept)]
    kept.sort(key=lambda s: s.start)
    return kept


def holds(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer != inner and outer[0] <= inner[0] and inner[1] <= outer[1]


def rebound(span: NerSpan, confident: list[tuple[int, int]]) -> bool:
    """A confident span crosses this one or is it with words cut off ("Колумбийском университете." ->
    "Колумбийском университете"); one that holds it ("Пресс-служба" + "ГУ МЧС России") keeps it as a nested name."""
    own = (span.start, span.end)
    return any(crosses(own, c) or holds(own, c) and (c[0] == own[0] or c[1] == own[1]) for c in confident)


def outside(span: NerSpan, tagging: Tagging, drop: float) -> bool:
    """Every token confidently in no ORG, and the name is none the gazetteer knows ("С5+1", "ООН")."""
    gazetteer = load_gazetteer()
    if gazetteer.lookup(span.text) or gazetteer.lookup(span.normal):
        return False
    probs = [tagging.outside.get(k) for k in range(span.start, span.end)]
    probs = [p for p in probs if p is not None]
    return bool(probs) and min(probs) >= drop


def new_org(doc: Document, span: tuple[int, int]) -> NerSpan:
    """An ORG span; its normal form puts the words up to the head noun in the nominative, as written."""
    text = doc.text[span[0]:span[1]]
    normal = profession_lemma(doc, span)
    if text[:1].isupper():
        normal = normal[:1].upper() + normal[1:]
    return NerSpan(span[0], span[1], "ORG", text, normal)


# ---------------------------------------------------------------------------------------------------
# The stage


@dataclass(slots=True)
class OrgModel:
    taggers: Taggers
    add: float    # a tagged span this sure is added
    drop: float   # an untagged ORG span whose tokens are all this sure outside is dropped


@lru_cache(maxsize=1)
def load_model() -> OrgModel:
    data, layers = read_crf_model(DATA_DIR / "model.json", LAYERS, MODEL_PROTOCOL)
    return OrgModel(compile_taggers(layers), data["add"], data["drop"])


def tag_organisations(doc: Document) -> Document:
    model = load_model()
    doc.ner_spans = merge_orgs(doc, tag_orgs(doc, model.taggers), model.add, model.drop)
    return doc


def make_org_tagger_stage():
    """The stage; the model loads here, once."""
    from .pipeline import Stage
    load_model()
    return Stage("tag_organisations", tag_organisations, requires=("tokens", "sentences", "ner_spans"),
                 assigns=("ner_spans",))
