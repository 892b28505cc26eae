"""The ORG tagger stage: NEREL-style organisation spans the NER rules miss, decoded with confidences.

Expected spans were read off the sentences following NEREL's conventions (a body's unit with the body's
name: "пресс-служба ...", "факультет ...", "комитет ...").
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from sarap.model import Document, NerSpan, Token
from sarap.org_tagger import DATA_DIR, Tagging, block_transitions, load_model, marginals, merge_orgs


def orgs(doc) -> set[str]:
    return {doc.text[m.start:m.end] for e in doc.entities if e.type == "ORG" for m in e.mentions}


@pytest.mark.parametrize("text, name", [
    ("Об этом сообщила пресс-служба Национальной футбольной лиги США.",
     "пресс-служба Национальной футбольной лиги США"),
    ("Решение принял комитет Совета Федерации по экономической политике.",
     "комитет Совета Федерации по экономической политике"),
    ("Студенты философского факультета МГУ вышли на акцию.", "философского факультета МГУ"),
])
def test_a_unit_of_a_body_is_one_org_with_it(analyzer, text, name):
    assert name in orgs(analyzer(text))


def test_the_stage_runs_before_resolution(analyzer):
    names = analyzer.pipeline.names
    assert names.index("repair_ner") < names.index("tag_organisations") < names.index("resolve_entities")


def test_marginals_match_brute_force():
    """Forward-backward over two CRFs at once equals summing over every label sequence of each."""
    rng = np.random.default_rng(0)
    emissions = rng.normal(size=(1, 4, 6))
    trans = [rng.normal(size=(3, 3)).tolist() for _ in range(2)]

    class Fake:
        transitions = trans
    probs = marginals(emissions, np.array([4]), block_transitions(Fake))
    for layer in range(2):
        scores = {}
        for path in itertools.product(range(3), repeat=4):
            s = sum(emissions[0, k, layer * 3 + path[k]] for k in range(4))
            s += sum(trans[layer][a][b] for a, b in zip(path, path[1:]))
            scores[path] = np.exp(s)
        total = sum(scores.values())
        for k in range(4):
            for label in range(3):
                expected = sum(v for p, v in scores.items() if p[k] == label) / total
                assert probs[0, k, layer, label] == pytest.approx(expected, abs=1e-6)


def test_a_span_cutting_a_name_is_not_added():
    text = "Иван Петров из Газпрома"
    doc = Document(text=text)
    doc.tokens = [Token(0, 4, "Иван", "PROPN", {}, "иван"), Token(5, 11, "Петров", "PROPN", {}, "петров"),
                  Token(12, 14, "из", "ADP", {}, "из"), Token(15, 23, "Газпрома", "PROPN", {}, "газпром")]
    doc.ner_spans = [NerSpan(0, 11, "PER", "Иван Петров", "Иван Петров")]
    tagging = Tagging({(5, 23): 0.99, (15, 23): 0.99}, {})
    spans = [(s.start, s.end, s.type) for s in merge_orgs(doc, tagging, 0.8, 1.01)]
    assert spans == [(0, 11, "PER"), (15, 23, "ORG")]


def test_the_model_ships_as_plain_json():
    path = DATA_DIR / "model.json"
    assert path.stat().st_size < 50 * 2 ** 20
    model = load_model()
    assert 0.5 <= model.add <= 1.0 and model.taggers.matrix.shape[1] == 6
