"""Quality gate: sarap's scores on fixed dev subsets must not fall below the floors pinned in
bench/eval_baseline.json (trafilatura's eval_gate model).  Floors are only ever raised."""
from __future__ import annotations

import json

import pytest

from bench import eval_factru, eval_nerel
from bench.common import ROOT
from conftest import SHARED, require_shared

BASELINE = json.loads((ROOT / "bench" / "eval_baseline.json").read_text(encoding="utf-8"))
EVALUATORS = {"factru": eval_factru.evaluate, "nerel": eval_nerel.evaluate}


@pytest.fixture(scope="module")
def reports(request):
    """Each corpus scored once for all the floors that read it (the subset is every ``step``-th document)."""
    cache: dict[str, dict] = {}

    def report(corpus: str) -> dict:
        if corpus not in cache:
            spec = BASELINE[corpus]
            folder = require_shared(SHARED / spec["dir"])  # before the models load: a skip costs nothing
            analyzer = request.getfixturevalue("analyzer")
            cache[corpus] = EVALUATORS[corpus](folder, step=spec["step"], analyzer=analyzer)
        return cache[corpus]

    return report


def measured_f1(report: dict, key: str) -> float:
    section, _, name = key.partition(".")
    return report[section][name]["f1"]


GATES = [(corpus, key, floor) for corpus in EVALUATORS for key, floor in BASELINE[corpus]["floors"].items()]


@pytest.mark.parametrize("corpus, key, floor", GATES, ids=[f"{c}:{k}" for c, k, _ in GATES])
def test_f1_stays_above_floor(reports, corpus, key, floor):
    f1 = measured_f1(reports(corpus), key)
    assert f1 >= floor - BASELINE["tolerance"], (
        f"{corpus} {key}: F1 {f1:.4f} fell below the pinned floor {floor:.2f} "
        f"(bench/eval_baseline.json); run bench/eval_{corpus}.py --step {BASELINE[corpus]['step']} "
        f"to see the worst errors")


def test_floors_are_real_bars():
    """A floor of 0 or a missing subset would make the gate unable to fail."""
    for corpus in EVALUATORS:
        assert BASELINE[corpus]["step"] >= 1
        assert all(0 < floor <= 1 for floor in BASELINE[corpus]["floors"].values()), corpus
