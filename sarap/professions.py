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
from pathlib import Path

import numpy as np

from .clusters import shared_embedding, word_clusters
from .gazetteer import load_gazetteer
from .model import Document, Profession, Token

DATA_DIR = Path(__file__).parent / "data" / "professions"
MODEL_PROTOCOL = 1
LAYERS = ("inner", "outer")
LABELS = ("O", "B", "I")


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
NEIGHBOUR_KEYS = ("l", "pos", "ent", "case", "gaz", "c", "tl")  # what a word two either side contributes
NEAR_KEYS = ("w", "shape", "role")  # and what a next word adds


def word_features(token: Token, tag: str, role: str, titles) -> dict[str, str]:
    """What one token contributes, to itself and to its neighbours' feature lists."""
    text = token.text
    lower = text.lower().replace("ё", "е")
    shape = "punct" if not any(c.isalnum() for c in text) else "digit" if text[:1].isdigit() else \
        "upper" if text.isupper() and len(text) > 1 else "cap" if text[:1].isupper() else \
        "latin" if text[:1].isascii() else "low"
    title = titles.get(token.lemma.replace("ё", "е"))
    # navec clusters (256 and 1024) stand in for words NEREL train never shows: "егеря" is used like "лесника"
    coarse, fine = word_clusters(lower)
    return {"w": lower, "l": token.lemma, "pos": token.pos, "case": token.feats.get("Case", "-"),
            "num": token.feats.get("Number", "-"), "anim": token.feats.get("Animacy", "-"), "shape": shape,
            "ent": tag, "role": role, "gaz": title.group if title else "-", "c": coarse, "cc": fine,
            "tl": title_likeness(token.lemma)}


# How title-like a word is, read off its navec vector by a logistic regression over NEREL train lemmas
# (train/train_professions.py fits it): "стоматолог" and "швея" score high unseen.  Five bins of the
# probability (ten bins did no better on dev).
TITLE_BINS = 5


@lru_cache(maxsize=1)
def title_vector() -> tuple[np.ndarray, float]:
    data = json.loads((DATA_DIR / "title_vector.json").read_text(encoding="utf-8"))
    return np.asarray(data["weights"], dtype=np.float32), float(data["bias"])


@lru_cache(maxsize=200_000)
def title_likeness(lemma: str) -> str:
    """The bin (0 to TITLE_BINS - 1) of P(the word heads a profession), or "-" for words navec lacks."""
    word = lemma.lower().replace("ё", "е")
    embedding = shared_embedding()
    if word not in embedding.vocab.word_ids:
        return "-"
    weights, bias = title_vector()
    z = max(-30.0, min(30.0, float(embedding[word] @ weights) + bias))
    return str(min(int(TITLE_BINS / (1.0 + math.exp(-z))), TITLE_BINS - 1))


def sentence_features(words: list[dict[str, str]], tokens: list[Token]) -> list[list[str]]:
    """crfsuite attribute strings per token: the word itself, its affixes, lemma bigrams, and a window of two."""
    keys = [tuple(word.values()) for word in words]
    out = []
    for i, key in enumerate(keys):
        lemma = words[i]["l"]
        before = words[i - 1]["l"] if i else "^"
        after = words[i + 1]["l"] if i + 1 < len(words) else "$"
        head, tail = own_attributes(key)
        feats = [*head, f"lb={before}|{lemma}", f"la={lemma}|{after}", *tail]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            feats += neighbour_attributes(keys[j], offset) if 0 <= j < len(words) else (f"{offset}:edge",)
        out.append(feats)
    return out


# Words repeat within and across texts ("в", "и", "президент"), so each word's attribute strings are built
# once: formatting them was a third of the tagger's time.
@lru_cache(maxsize=200_000)
def own_attributes(key: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    word = dict(zip(WORD_KEYS, key))
    lower = word["w"]
    return (("bias", *(f"{k}={v}" for k, v in word.items())),
            (f"s2={lower[-2:]}", f"s3={lower[-3:]}", f"s4={lower[-4:]}", f"p3={lower[:3]}",
             f"hy={lower.split('-')[0]}" if "-" in lower[1:] else "hy=-"))


@lru_cache(maxsize=400_000)
def neighbour_attributes(key: tuple[str, ...], offset: int) -> tuple[str, ...]:
    other = dict(zip(WORD_KEYS, key))
    keys = NEIGHBOUR_KEYS + NEAR_KEYS if abs(offset) == 1 else NEIGHBOUR_KEYS
    return tuple(f"{offset}:{k}={other[k]}" for k in keys)


def role_flags(tokens: list[Token], spans: list[tuple[int, int]]) -> list[str]:
    """"B"/"I" where roles.py found a title with a named holder, "-" elsewhere."""
    tags = token_tags(tokens, [(s, e, "R") for s, e in spans])
    return [t[0] if t != "-" else "-" for t in tags]


def document_features(doc: Document) -> list[tuple[int, int, list[list[str]]]]:
    """(first token, end token, features) for every sentence of ``doc``."""
    # Role references ("Президента США" resolved to Трамп) are what we tag, not a person's name: left out.
    mentions = [(m.start, m.end, entity_type(e) + ("~adj" if m.kind == "adjective" else ""))
                for e in doc.entities for m in e.mentions if m.kind != "reference"]
    roles = [(r.start, r.end) for e in doc.entities for r in e.roles]
    return sentences_features(doc.tokens, doc.sentences, mentions, roles)


def sentences_features(tokens, sentences, mentions, roles) -> list[tuple[int, int, list[list[str]]]]:
    titles = load_gazetteer().titles
    tags, flags = token_tags(tokens, mentions), role_flags(tokens, roles)
    words = [word_features(t, tag, flag, titles) for t, tag, flag in zip(tokens, tags, flags)]
    out, i = [], 0
    for sent in sentences:
        j = i
        while j < len(tokens) and tokens[j].start < sent.end:
            j += 1
        if j > i:
            out.append((i, j, sentence_features(words[i:j], tokens[i:j])))
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

    def tag(self, feats: list[list[str]]) -> list[list[int]]:
        """The best label sequence of each CRF (Viterbi)."""
        unknown = len(self.vocab)
        rows = list(map(self.vocab.get, chain.from_iterable(feats), repeat(unknown)))
        offsets = np.cumsum([0] + [len(attrs) for attrs in feats[:-1]])
        emissions = np.add.reduceat(self.matrix[rows], offsets, axis=0)
        n = len(LABELS)
        return [viterbi(emissions[:, k * n:(k + 1) * n].tolist(), trans) for k, trans in enumerate(self.transitions)]


def compile_taggers(layers: list[Crf]) -> Taggers:
    vocab = {attr: k for k, attr in enumerate(sorted({a for crf in layers for a in crf.weights}))}
    n = len(LABELS)
    matrix = np.zeros((len(vocab) + 1, n * len(layers)), dtype=np.float32)
    for k, crf in enumerate(layers):
        for attr, weights in crf.weights.items():
            matrix[vocab[attr], k * n:(k + 1) * n] = weights
    return Taggers(vocab, matrix, [crf.transitions for crf in layers])


def viterbi(emissions: list[list[float]], transitions: list[list[float]]) -> list[int]:
    labels = range(len(transitions))
    incoming = [[transitions[a][b] for a in labels] for b in labels]
    score, back = emissions[0], []
    for row in emissions[1:]:
        pointers, nxt = [], []
        for b in labels:
            into = incoming[b]
            best, best_score = 0, score[0] + into[0]
            for a in labels[1:]:
                if score[a] + into[a] > best_score:  # strictly: the first best wins ties, as max() does
                    best, best_score = a, score[a] + into[a]
            pointers.append(best)
            nxt.append(best_score + row[b])
        back.append(pointers)
        score = nxt
    path = [max(labels, key=lambda b: score[b])]
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


def link_context(doc: Document) -> LinkContext:
    starts = [t.start for t in doc.tokens]
    sentence_of, k = [], 0
    for token in doc.tokens:
        while k + 1 < len(doc.sentences) and token.start >= doc.sentences[k].end:
            k += 1
        sentence_of.append(k)
    people = sorted((m.start, m.end, e.id, sentence_of[min(bisect_left(starts, m.start), len(starts) - 1)])
                    for e in doc.entities if e.type == "PER" for m in e.mentions) if doc.tokens else []
    return LinkContext(doc, starts, sentence_of, people,
                       {(r.start, r.end): e.id for e in doc.entities for r in e.roles},
                       {e.id: len(e.mentions) for e in doc.entities if e.type == "PER"})


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
    top = max(ctx.counts.values(), default=0)
    person = [f"rank={min(rank, 3)}", f"sdist={sentence - mention[3]}", f"top={ctx.counts[mention[2]] == top}",
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
        z = sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


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
    for first, end, feats in document_features(doc):
        for labels in taggers.tag(feats):
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
    for token in doc.tokens:
        if token.end <= span[0] or token.start >= span[1]:
            continue
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
