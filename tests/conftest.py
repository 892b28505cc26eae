"""Shared fixtures: heavy models load once per session; ../shared data is optional (skips say why)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SARAP_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "corpus" / "seeds"
SEED_CALL = SEEDS / "000_d2ff9ce2aee6b039.txt"   # Nigel Lee interview after the Tokayev–Trump call
SEED_C5 = SEEDS / "002_e1b74993565602bf.txt"     # Baikadam Kuramaev interview before the C5+1 summit


def require_shared(path: Path = SHARED) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: real-text tests need ../shared beside the checkout (CI has it)")
    return path


@pytest.fixture(scope="session")
def analyzer():
    from sarap import Analyzer
    return Analyzer()


@pytest.fixture(scope="session")
def seed_call(analyzer):
    return analyzer(require_shared(SEED_CALL).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_c5(analyzer):
    return analyzer(require_shared(SEED_C5).read_text(encoding="utf-8"))


def entity_named(doc, name):
    found = [e for e in doc.entities if e.name == name]
    assert found, f"no entity named {name!r}; have {[e.name for e in doc.entities]}"
    return found[0]
