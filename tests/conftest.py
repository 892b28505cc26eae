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


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """An empty store per test, on SQLite and on PostgreSQL (a fresh schema in $SARAP_TEST_PG)."""
    from sarap.store import open_store

    if request.param == "sqlite":
        opened = open_store(str(tmp_path / "store.db"))
        yield opened
        opened.close()
        return
    url = require_postgres()
    schema = f"test_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**9}"
    opened = open_store(url, schema=schema)
    yield opened
    opened.conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    opened.close()


def require_postgres() -> str:
    """$SARAP_TEST_PG, or a skip saying why (a failure where SARAP_REQUIRE_SERVICES=1, as in CI)."""
    url = os.environ.get("SARAP_TEST_PG")
    if url:
        return url
    if os.environ.get("SARAP_REQUIRE_SERVICES") == "1":
        pytest.fail("SARAP_TEST_PG is unset but SARAP_REQUIRE_SERVICES=1: PostgreSQL tests are mandatory here")
    pytest.skip("PostgreSQL tests need SARAP_TEST_PG=postgresql://... (.ci/services.sh sets it up)")


SMALL_ARTICLE = ("Министр финансов Республики Альтания Иван Сомов заявил, что бюджет страны вырастет на 5% в "
                 "будущем году. Об этом он сказал журналистам в столице 12 марта 2024 года после заседания "
                 "правительства.")


def write_small_corpus(folder: Path) -> Path:
    """A seed interview, a fictional article, its reprint and one unusable JSON line, in ``folder``."""
    import json
    import shutil

    shutil.copy(require_shared(SEED_C5), folder / SEED_C5.name)
    lines = [{"text": SMALL_ARTICLE, "title": "Бюджет", "published": "2024-03-12", "source": "Вестник"},
             {"text": SMALL_ARTICLE + " Подписывайтесь на наш канал.", "title": "Бюджет (копия)",
              "published": "2024-03-13", "source": "Эхо"},
             {"title": "без текста"}]
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines),
                                       encoding="utf-8")
    return folder
