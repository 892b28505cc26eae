"""End-to-end golden test: both seed interviews through `sarap analyze --format json`, as a user runs it.

Expected values were read off the seed texts by a person (see ../shared/corpus/seeds/README.md); the
detailed per-stage checks live in each stage's own tests.
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from conftest import SEED_C5, SEED_CALL, require_shared
from sarap.cli import main
from sarap.schema import validate_document


def run_cli_json(path) -> dict:
    """`sarap analyze PATH --format json` in this process (models load once per session)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["analyze", str(require_shared(path)), "--format", "json"])
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def docs() -> dict[str, dict]:
    return {"call": run_cli_json(SEED_CALL), "c5": run_cli_json(SEED_C5)}


def entity(doc: dict, entity_id: str) -> dict:
    return next(e for e in doc["entities"] if e["id"] == entity_id)


@pytest.mark.parametrize("key", ["call", "c5"])
def test_output_is_a_valid_document(docs, key):
    doc = docs[key]
    validate_document(doc)  # schema, and every offset inside the text with mention texts matching
    assert doc["schema_version"] == 1 and doc["language"] == "ru"
    assert doc["published"] is None and doc["source"] is None  # the seeds carry no metadata


@pytest.mark.parametrize("key", ["call", "c5"])
def test_text_is_clean(docs, key):
    text = docs[key]["text"]
    assert text == text.strip()
    assert not [line for line in text.split("\n") if line != line.rstrip()], "a line keeps trailing whitespace"
    assert "\n\n\n" not in text


@pytest.mark.parametrize("key, surname, questions, answers", [
    ("call", "Ли", 6, 6),         # Найджел Ли; questions and answers open with "–"
    ("c5", "Курамаев", 7, 7),     # Байкадам Курамаев; questions and answers open with "—"
])
def test_interview_and_interviewee(docs, key, surname, questions, answers):
    doc = docs[key]
    assert doc["kind"] == "interview"
    assert len(doc["interviewees"]) == 1
    person = entity(doc, doc["interviewees"][0]["entity"])
    assert person["type"] == "PER"
    assert person["name"].split()[-1] == surname
    roles = [t["role"] for t in doc["turns"]]
    assert roles[0] == "lead"
    assert (roles.count("question"), roles.count("answer")) == (questions, answers)
    assert {t["speaker"] for t in doc["turns"] if t["role"] == "answer"} == {person["id"]}


def test_call_interviewee_description_as_written(docs):
    description = docs["call"]["interviewees"][0]["description"]
    assert "эксперт" in description and "Евразии" in description


def test_c5_interviewee_description_and_closing(docs):
    doc = docs["c5"]
    assert "эксперт по международным отношениям из Кыргызстана" in doc["interviewees"][0]["description"]
    assert doc["turns"][-1]["role"] == "closing"  # two outlet paragraphs after the last answer


def test_c5_photo_credit_is_not_in_the_text(docs):
    text = docs["c5"]["text"]
    assert "Фото из открытых источников" not in text
    assert text.endswith("политика прагматизма и открытости приносит реальные результаты.")


def test_call_text_keeps_the_whole_body(docs):
    text = docs["call"]["text"]
    assert text.startswith("Продолжительный телефонный разговор Президента Казахстана")
    assert text.endswith("как точки стабильности в условиях глобальной неопределенности.")


SAMPLES = sorted(p for p in (Path(__file__).resolve().parent.parent / "examples").iterdir()
                 if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_every_sample_gives_a_valid_document(path):
    """The demo's samples, as `sarap analyze` reads them (encodings, HTML), validate against the schema."""
    doc = run_cli_json(path)
    validate_document(doc)
    assert doc["text"] and doc["entities"], "a sample news text always names someone or something"
