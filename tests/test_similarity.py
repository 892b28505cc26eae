"""claim_similarity: paraphrases of one claim score above SAME_CLAIM_THRESHOLD, different claims below."""
from __future__ import annotations

import pytest

from sarap import SAME_CLAIM_THRESHOLD, claim_similarity

# Fictional people and places; each pair judged by hand.
SAME = [
    ("Мэр Покровска Иван Сомов открыл новый мост через реку.",
     "Новый мост через реку открыл глава Покровска Иван Сомов."),
    ("Правительство Заречья повысит пенсии на 10 процентов с января.",
     "С января пенсии в Заречье вырастут на 10 процентов, решило правительство."),
    ("Компания «Северный ветер» закрыла завод в Озёрске.",
     "В Озёрске закрылся завод компании «Северный ветер»."),
]
DIFFERENT = [
    ("Мэр Покровска Иван Сомов открыл новый мост через реку.",
     "Губернатор области Пётр Ласточкин закрыл старую больницу."),
    ("Правительство Заречья повысит пенсии на 10 процентов с января.",
     "Сборная Заречья по хоккею проиграла в финале турнира."),
    ("Компания «Северный ветер» закрыла завод в Озёрске.",
     "Учёные Озёрского университета открыли новый вид жуков."),
]


@pytest.mark.parametrize("a,b", SAME)
def test_paraphrases_reach_the_threshold(a, b):
    assert claim_similarity(a, b) >= SAME_CLAIM_THRESHOLD


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_claims_stay_below(a, b):
    assert claim_similarity(a, b) < SAME_CLAIM_THRESHOLD


def test_score_is_a_symmetric_probability():
    a, b = SAME[1]
    forward, backward = claim_similarity(a, b), claim_similarity(b, a)
    assert 0.0 <= forward <= 1.0
    assert forward == pytest.approx(backward)


def test_identical_sentences_score_highest():
    text = DIFFERENT[0][1]
    assert claim_similarity(text, text) > max(claim_similarity(a, b) for a, b in SAME + DIFFERENT if a != b) - 0.05


def test_different_numbers_lower_the_score():
    base = "Правительство Заречья повысит пенсии на 10 процентов с января."
    same = "С января пенсии в Заречье вырастут на 10 процентов."
    other = "С января пенсии в Заречье вырастут на 3 процента."
    assert claim_similarity(base, same) > claim_similarity(base, other)


def test_negation_lowers_the_score():
    base = "Правительство Заречья повысит пенсии с января."
    negated = "Правительство Заречья не будет повышать пенсии с января."
    assert claim_similarity(base, base) > claim_similarity(base, negated)


@pytest.mark.slow
def test_quality_floors_on_paraphraser_and_stsb():
    """Pinned floors (measured 0.859 and 0.750; bench/eval_paraphrase.py): never lower them silently."""
    import sys

    import numpy as np
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score

    from conftest import ROOT, SHARED, require_shared
    sys.path.insert(0, str(ROOT))
    from sarap.similarity import shared_encoder
    from train.train_similarity import cross_validate, featurize, read_paraphraser, read_stsb

    encoder = shared_encoder()
    pairs = read_paraphraser(require_shared(SHARED / "data/paraphraser/paraphrases.xml"))
    y = np.array([int(c >= 0) for *_, c in pairs])
    prob = cross_validate(featurize(encoder, pairs), y)
    assert f1_score(y, prob >= SAME_CLAIM_THRESHOLD) >= 0.85
    sts = read_stsb(require_shared(SHARED / "data/stsb_ru/stsb-ru-dev.csv"))
    rho = spearmanr([encoder.similarity(a, b) for a, b, _ in sts], [s for *_, s in sts]).statistic
    assert rho >= 0.74


@pytest.mark.parametrize("a,b", SAME)
def test_paraphrases_pass_the_narrative_link_gate(a, b):
    from sarap.similarity import shared_encoder

    encoder = shared_encoder()
    assert encoder.link_score(encoder.encode(a), encoder.encode(b), SAME_CLAIM_THRESHOLD) >= SAME_CLAIM_THRESHOLD


def test_narrative_link_needs_agreeing_figures_but_ignores_digits_in_names():
    from sarap.similarity import has_link_evidence, shared_encoder

    encoder = shared_encoder()
    base = encoder.encode("В Озёрской области за сутки выявили 37 новых случаев гриппа H1N1.")
    other_count = encoder.encode("В Озёрской области за сутки выявили 120 новых случаев гриппа H1N1.")
    same_count = encoder.encode("За сутки 37 новых случаев гриппа H1N1 выявили в Озёрской области.")
    assert not has_link_evidence(base, other_count)
    assert has_link_evidence(base, same_count)
    # "COVID-19" in both is a name, not a figure that "37" and "120" would have to share.
    assert not has_link_evidence(encoder.encode("Выявлено 37 случаев COVID-19 в Озёрске."),
                                 encoder.encode("Выявлено 120 случаев COVID-19 в Озёрске."))
    assert has_link_evidence(encoder.encode("Выявлено 37 случаев COVID-19 в Озёрске."),
                             encoder.encode("В Озёрске выявлено 37 случаев COVID-19."))
