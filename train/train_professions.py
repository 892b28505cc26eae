"""Rebuild sarap/data/professions/model.json: the profession taggers and the holder linker.

    .venv/bin/python train/train_professions.py [--shared ../shared] [--cache DIR] [--keep-taggers]

1. sarap's stages up to ``attach_roles`` run over NEREL train and dev (about 3 minutes on one core; ``--cache``
   keeps the result as JSON lines, offsets turned back into the corpus's raw ones).
2. A logistic regression over navec vectors learns which lemmas head PROFESSION spans on train
   (``title_vector.json``, the taggers' "tl" feature: how title-like an unseen word is).
3. Two CRFs (python-crfsuite, L-BFGS with elastic net) learn NEREL's PROFESSION spans on train: one the
   innermost spans, one the outermost ("Президент" and "Президент РФ"); their weights are exported to JSON and
   decoded by sarap.professions, so crfsuite is needed here only.
4. A logistic regression learns WORKS_AS over (outermost gold profession, person named in its sentence or
   the two before) pairs of train; its threshold is the dev-F1-best cut.
Scores on dev are printed and written into the model file.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import align_offsets, to_raw_span  # noqa: E402
from bench.eval_nerel import load_documents  # noqa: E402
from sarap.model import Document, Entity, Mention, Role, Span, Token  # noqa: E402
from sarap.professions import (  # noqa: E402
    DATA_DIR, LABELS, LAYERS, MODEL_PROTOCOL, Crf, Linker, compile_taggers, document_features, link_candidates,
    read_crf_model, tag_professions, title_likeness, title_vector, without_former,
)

# c1 picked on dev among 0.02 (c2 0.02), 0.05, 0.1, 0.2: PROFESSION F1 .810, .808, .811, .806
CRF_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
MIN_WEIGHT = 1e-4  # exported CRF weights smaller than this change no decision and are left out
TITLE_C = 0.1  # picked on dev: AUC over dev lemmas unseen in train .925 (C=1 .916, C=10 .914)
TITLE_SHARE = 0.3  # a lemma is a title when at least this share of its uses head a gold span
LINK_C = 0.3  # picked on dev among 0.1, 0.3, 1, 3 (WORKS_AS F1 .628, .629, .623, .621)


# ---------------------------------------------------------------------------------------------------
# 1. Annotate the corpus with sarap's own stages


def annotate_split(folder: Path, last_stage: str = "attach_roles", record=None) -> list[dict]:
    """One record per document: sarap's output up to ``last_stage`` in raw offsets (``record`` says which
    parts; by default tokens, sentences, entities and roles), and the gold."""
    from sarap.analyzer import Analyzer
    analyzer = Analyzer()
    names = analyzer.pipeline.names
    stages = analyzer.pipeline.stages[:names.index(last_stage) + 1]
    records = []
    for gold in load_documents(folder):
        doc = Document(text=gold.text)
        for stage in stages:
            doc = stage.run(doc)
        records.append((record or to_record)(doc, gold))
    return records


def to_record(doc: Document, gold) -> dict:
    mapping = align_offsets(gold.text, doc.text)

    def raw(start: int, end: int) -> list[int]:
        return list(to_raw_span(mapping, start, end))

    return {
        "name": gold.name, "text": gold.text,
        "tokens": [[*raw(t.start, t.end), t.text, t.pos, t.feats, t.lemma] for t in doc.tokens],
        "sents": [raw(s.start, s.end) for s in doc.sentences],
        "entities": [[e.id, e.type, e.subtype, [[*raw(m.start, m.end), m.kind] for m in e.mentions],
                      [[*raw(r.start, r.end), r.title] for r in e.roles]] for e in doc.entities],
        "gold": gold.entities, "rels": gold.relations,
    }


def from_record(rec: dict) -> Document:
    """A Document over the raw text, enough for the feature functions."""
    doc = Document(text=rec["text"])
    doc.tokens = [Token(s, e, text, pos, feats, lemma) for s, e, text, pos, feats, lemma in rec["tokens"]]
    doc.sentences = [Span(s, e) for s, e in rec["sents"]]
    doc.entities = [Entity(eid, etype, eid, [Mention(s, e, rec["text"][s:e], kind) for s, e, kind in mentions],
                           [Role(title, None, s, e) for s, e, title in roles], subtype=subtype)
                    for eid, etype, subtype, mentions, roles in rec["entities"]]
    return doc


def load_split(shared: Path, split: str, cache: Path | None, annotate=annotate_split) -> list[dict]:
    """The annotated split, from ``cache`` when it holds it (written there otherwise)."""
    path = cache / f"{split}.jsonl" if cache else None
    if path and path.exists():
        return [json.loads(line) for line in path.open(encoding="utf-8")]
    started = time.perf_counter()
    records = annotate(shared / "data" / "nerel" / split)
    print(f"annotated {split}: {len(records)} documents in {time.perf_counter() - started:.0f} s", flush=True)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return records


# ---------------------------------------------------------------------------------------------------
# 2. The taggers

def gold_professions(rec: dict) -> set[tuple[int, int]]:
    return {tuple(span) for etype, span in rec["gold"].values() if etype == "PROFESSION"}


def title_heads(rec: dict, doc: Document) -> set[int]:
    """Starts of the head tokens (first noun) of the gold spans."""
    heads = set()
    for start, end in gold_professions(rec):
        inside = [t for t in doc.tokens if start <= t.start and t.end <= end]
        head = next((t for t in inside if t.pos == "NOUN"), inside[0] if inside else None)
        if head:
            heads.add(head.start)
    return heads


def train_title_vector(records: list[dict], docs: list[Document]) -> dict:
    """Which lemmas (nouns, names, adjectives) head profession spans, learnt over their navec vectors, one
    example per lemma: weighting by use let "президент" drown the rare words the feature is for."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sarap.clusters import shared_embedding
    heads, uses = Counter(), Counter()
    for rec, doc in zip(records, docs):
        starts = title_heads(rec, doc)
        for t in doc.tokens:
            if t.pos in ("NOUN", "PROPN", "ADJ"):
                lemma = t.lemma.lower().replace("ё", "е")
                uses[lemma] += 1
                heads[lemma] += t.start in starts
    embedding = shared_embedding()
    known = [lemma for lemma in uses if lemma in embedding.vocab.word_ids]
    model = LogisticRegression(C=TITLE_C, max_iter=3000).fit(
        np.array([embedding[lemma] for lemma in known]), [heads[w] / uses[w] >= TITLE_SHARE for w in known])
    return {"weights": [round(float(w), 5) for w in model.coef_[0]], "bias": round(float(model.intercept_[0]), 5)}


def write_title_vector(vector: dict) -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    (DATA_DIR / "title_vector.json").write_text(json.dumps(vector), encoding="utf-8")
    title_vector.cache_clear()
    title_likeness.cache_clear()


def layer_spans(spans: set[tuple[int, int]], layer: str) -> set[tuple[int, int]]:
    """Innermost spans (holding no other) or outermost (held by none)."""
    def inside(a, b):
        return a != b and b[0] <= a[0] and a[1] <= b[1]
    if layer == "inner":
        return {s for s in spans if not any(inside(o, s) for o in spans)}
    return {s for s in spans if not any(inside(s, o) for o in spans)}


def bio(tokens: list[Token], spans: set[tuple[int, int]]) -> list[str]:
    """BIO labels; spans that do not fall on token boundaries (but for "экс-") are dropped."""
    labels = ["O"] * len(tokens)
    starts = {t.start + without_former(t.text, (0, len(t.text)))[0]: k for k, t in enumerate(tokens)}
    starts |= {t.start: k for k, t in enumerate(tokens)}
    ends = {t.end: k for k, t in enumerate(tokens)}
    for s, e in sorted(spans, key=lambda x: x[0] - x[1]):
        if s in starts and e in ends and all(label == "O" for label in labels[starts[s]:ends[e] + 1]):
            labels[starts[s]] = "B"
            for k in range(starts[s] + 1, ends[e] + 1):
                labels[k] = "I"
    return labels


def train_layer(records: list[dict], docs: list[Document], layer: str, workdir: Path) -> Crf:
    return train_crf(docs, [layer_spans(gold_professions(rec), layer) for rec in records], document_features,
                     CRF_PARAMS, workdir / f"{layer}.crfsuite")


def layers_of(records: list[dict], docs: list[Document], train_layer, names: tuple[str, ...],
              saved: tuple[Path, int] | None) -> dict[str, Crf]:
    """The CRF of each layer: read from ``saved`` (model path, protocol) when given, else trained."""
    if saved:
        return dict(zip(names, read_crf_model(saved[0], names, saved[1])[1]))
    with tempfile.TemporaryDirectory() as workdir:
        return {name: train_layer(records, docs, name, Path(workdir)) for name in names}


def train_crf(docs: list[Document], gold: list[set[tuple[int, int]]], features, params: dict, path: Path) -> Crf:
    """A CRF over every sentence of ``docs`` (``features(doc)`` gives them), labelled BIO from the gold spans."""
    import pycrfsuite
    trainer = pycrfsuite.Trainer(verbose=False)
    for doc, spans in zip(docs, gold):
        for first, end, feats in features(doc):
            trainer.append(feats, bio(doc.tokens[first:end], spans))
    trainer.set_params(params)
    started = time.perf_counter()
    trainer.train(str(path))
    print(f"trained {path.stem} in {time.perf_counter() - started:.0f} s", flush=True)
    return export_crf(path)


def export_crf(path: Path) -> Crf:
    """crfsuite's weights as plain lists: attribute -> weight per label, and the transition matrix."""
    import pycrfsuite
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    info = tagger.info()
    index = {label: k for k, label in enumerate(LABELS)}
    weights: dict[str, list[float]] = {}
    for (attr, label), w in info.state_features.items():
        if abs(w) >= MIN_WEIGHT:
            weights.setdefault(attr, [0.0] * len(LABELS))[index[label]] = round(w, 4)
    transitions = [[0.0] * len(LABELS) for _ in LABELS]
    for (a, b), w in info.transitions.items():
        transitions[index[a]][index[b]] = round(w, 4)
    return Crf(weights, transitions)


def prf(tp: int, gold: int, pred: int) -> dict:
    p, r = tp / pred if pred else 0.0, tp / gold if gold else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "gold": gold, "pred": pred}


# ---------------------------------------------------------------------------------------------------
# 3. The holder linker


def works_as(rec: dict) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    """Gold (person span, profession span) pairs."""
    ents = rec["gold"]
    return {(tuple(ents[h][1]), tuple(ents[t][1])) for r, h, t in rec["rels"]
            if r == "WORKS_AS" and h in ents and t in ents}


def link_examples(rec: dict, doc: Document, spans: list[tuple[int, int]]):
    """(features, is-a-gold-pair) per candidate pair: gold when any mention of the person heads a gold
    WORKS_AS to the span, as bench/eval_nerel.py scores it."""
    gold = works_as(rec)
    mentions = {e.id: {(m.start, m.end) for m in e.mentions} for e in doc.entities}
    for n, ent_id, feats in link_candidates(doc, spans):
        yield feats, any((m, spans[n]) in gold for m in mentions[ent_id])


def train_linker(records: list[dict], docs: list[Document]) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    rows, labels = [], []
    for rec, doc in zip(records, docs):
        spans = sorted(layer_spans(gold_professions(rec), "outer"))
        for feats, label in link_examples(rec, doc, spans):
            rows.append(dict.fromkeys(feats, 1))
            labels.append(label)
    vectorizer = DictVectorizer()
    model = LogisticRegression(C=LINK_C, max_iter=2000).fit(vectorizer.fit_transform(rows), labels)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.feature_names_, model.coef_[0]) if w}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    return weights


def score_links(records: list[dict], docs: list[Document], taggers, linker: Linker) -> dict:
    """WORKS_AS on predicted spans, scored as bench/eval_nerel.py does (any mention of the holder may match)."""
    from sarap.professions import link_holders
    tp = gold_n = pred_n = 0
    for rec, doc in zip(records, docs):
        gold = works_as(rec)
        gold_n += len(gold)
        spans = tag_professions(doc, taggers)
        holders = link_holders(doc, spans, linker)
        outer = layer_spans(set(spans), "outer")
        used = set()
        for span, holder in zip(spans, holders):
            if holder is None or span not in outer:
                continue
            pred_n += 1
            heads = {(m.start, m.end) for m in doc.entity(holder).mentions}
            hit = next((g for g in gold if g not in used and g[1] == span and g[0] in heads), None)
            if hit:
                used.add(hit)
                tp += 1
    return prf(tp, gold_n, pred_n)


# ---------------------------------------------------------------------------------------------------


def trainer_args(description: str, keep_taggers: str, argv: list[str] | None) -> argparse.Namespace:
    """The options both CRF trainers take; ``keep_taggers`` says what --keep-taggers still retrains."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cache", type=Path, help="keep the annotated corpus here (JSON lines) and reuse it")
    parser.add_argument("--keep-taggers", action="store_true", help=keep_taggers)
    return parser.parse_args(argv)


def load_corpus(args: argparse.Namespace, load=load_split, to_doc=from_record):
    """NEREL train and dev as records and as Documents: (train, dev, train documents, dev documents)."""
    train, dev = load(args.shared, "train", args.cache), load(args.shared, "dev", args.cache)
    return train, dev, [to_doc(r) for r in train], [to_doc(r) for r in dev]


def write_crf_model(path: Path, layers: dict[str, Crf], protocol: int, **fields) -> None:
    """A shipped CRF model file, as ``sarap.professions.read_crf_model`` reads it, with the trainer's fields."""
    model = {"protocol": protocol, "labels": list(LABELS),
             "layers": {name: {"weights": crf.weights, "transitions": crf.transitions} for name, crf in layers.items()},
             **fields}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print("wrote", path)


def main(argv: list[str] | None = None) -> None:
    args = trainer_args(__doc__.splitlines()[0], "retrain the linker only, keep the CRFs", argv)
    train, dev, train_docs, dev_docs = load_corpus(args)
    if not args.keep_taggers:
        write_title_vector(train_title_vector(train, train_docs))
    layers = layers_of(train, train_docs, train_layer, LAYERS,
                       (DATA_DIR / "model.json", MODEL_PROTOCOL) if args.keep_taggers else None)
    taggers = compile_taggers([layers[name] for name in LAYERS])
    tp = gold_n = pred_n = 0
    for rec, doc in zip(dev, dev_docs):
        gold, pred = gold_professions(rec), set(tag_professions(doc, taggers))
        tp, gold_n, pred_n = tp + len(gold & pred), gold_n + len(gold), pred_n + len(pred)
    spans_dev = prf(tp, gold_n, pred_n)
    print("dev PROFESSION exact", spans_dev, flush=True)
    weights = train_linker(train, train_docs)
    best = max(((score_links(dev, dev_docs, taggers, Linker(weights, t / 20)), t / 20) for t in range(2, 16)),
               key=lambda x: x[0]["f1"])
    print("dev WORKS_AS", best[0], "threshold", best[1])
    write_crf_model(DATA_DIR / "model.json", layers, MODEL_PROTOCOL, linker={"weights": weights, "threshold": best[1]},
                    dev={"PROFESSION": spans_dev, "WORKS_AS": best[0]}, crf_params=CRF_PARAMS)


if __name__ == "__main__":
    main()
