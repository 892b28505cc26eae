"""The analysis' fast paths compute what the plain ones do, on real text: natasha's lemmas through sarap's
lemma cache, and the CRF taggers' weight rows (cached per word) against the attribute strings the trainers
give crfsuite, looked up one by one."""
from __future__ import annotations

import pytest

from conftest import SEED_C5, SEED_CALL, require_shared
from sarap import org_tagger, professions
from sarap.model import Document


def text_of(path) -> str:
    return require_shared(path).read_text(encoding="utf-8")


def document_before(analyzer, text: str, stage: str) -> Document:
    """The document as the named stage receives it."""
    doc = Document(text=text)
    for step in analyzer.pipeline.stages:
        if step.name == stage:
            return doc
        doc = step.run(doc)
    raise AssertionError(f"no stage {stage}")


def looked_up(taggers, sentences) -> list[list[list[int]]]:
    unknown = len(taggers.vocab)
    return [[[taggers.vocab.get(attr, unknown) for attr in attrs] for attrs in feats] for _, _, feats in sentences]


@pytest.mark.parametrize("seed", [SEED_CALL, SEED_C5])
@pytest.mark.parametrize("stage, features, load_model, sample", [
    ("find_professions", professions.document_features, professions.load_model, "-1:w=президент"),
    ("tag_organisations", org_tagger.ner_features, org_tagger.load_model, "caprun=capcap"),  # a two-word name
])
def test_tagger_rows_are_the_trained_attributes(analyzer, seed, stage, features, load_model, sample):
    doc = document_before(analyzer, text_of(seed), stage)
    taggers = load_model().taggers
    strings, rows = features(doc), features(doc, taggers.rows)
    assert sum(len(feats) for _, _, feats in strings) == len(doc.tokens)
    assert [feats for _, _, feats in rows] == looked_up(taggers, strings)
    assert any(sample in attrs for _, _, feats in strings for attrs in feats)


def test_cached_lemmas_are_natashas(analyzer):
    models = analyzer.models
    from natasha import Doc
    ndoc = Doc(text_of(SEED_C5))
    ndoc.segment(models.segmenter)
    ndoc.tag_morph(models.morph_tagger)
    cached = [models.lemma_of(token) for token in ndoc.tokens]
    for token in ndoc.tokens:
        token.lemmatize(models.morph_vocab)
    assert cached == [token.lemma for token in ndoc.tokens]
    assert "заявить" in cached


@pytest.mark.parametrize("seed", range(20))
def test_viterbi_finds_a_best_path(seed):
    """The unrolled Viterbi's path scores as high as the best of every path (3 labels, ties included)."""
    import itertools
    import random
    rng = random.Random(seed)
    draw = lambda: rng.choice([0.0, 1.0, round(rng.gauss(0, 2), 1)])  # noqa: E731  (repeated values: ties)
    emissions = [[draw() for _ in range(3)] for _ in range(rng.randint(1, 6))]
    transitions = [[draw() for _ in range(3)] for _ in range(3)]

    def score(path):
        return sum(emissions[k][label] for k, label in enumerate(path)) + \
            sum(transitions[a][b] for a, b in zip(path, path[1:]))
    best = max(score(p) for p in itertools.product(range(3), repeat=len(emissions)))
    assert score(professions.viterbi(emissions, transitions)) == pytest.approx(best)


@pytest.mark.parametrize("seed", [SEED_CALL, SEED_C5])
def test_morph_and_ner_on_natasha_tokens_match_natashas_own_path(analyzer, seed):
    """natasha's Doc.tag_morph and Doc.tag_ner give the tags and spans sarap's token-fed paths give."""
    from natasha import Doc

    models, text = analyzer.models, text_of(seed)
    ours, theirs = Doc(text), Doc(text)
    for doc in (ours, theirs):
        doc.segment(models.segmenter)
    models.tag_morph(ours)
    models.tag_ner(ours)
    theirs.tag_morph(models.morph_tagger)
    theirs.tag_ner(models.ner_tagger)
    assert [(t.pos, t.feats) for t in ours.tokens] == [(t.pos, t.feats) for t in theirs.tokens]
    assert [(s.start, s.stop, s.type, s.text) for s in ours.spans] == \
        [(s.start, s.stop, s.type, s.text) for s in theirs.spans]
    assert any(s.type == "PER" for s in ours.spans) and any(t.feats for t in ours.tokens)
    assert [[t.text for t in s.tokens] for s in ours.spans] == [[t.text for t in s.tokens] for s in theirs.spans]


def test_blank_text_has_no_spans(analyzer):
    from natasha import Doc

    doc = Doc("   \n ")
    doc.segment(analyzer.models.segmenter)
    analyzer.models.tag_morph(doc)
    analyzer.models.tag_ner(doc)
    assert doc.spans == []
