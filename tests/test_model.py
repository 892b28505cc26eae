import json

import pytest

from sarap.cleaning import clean_text
from sarap.model import Document
from sarap.pipeline import Pipeline, Stage
from sarap.schema import validate_document


def test_document_json_round_trip(analyzer):
    doc = analyzer("Президент Казахстана Касым-Жомарт Токаев провел встречу в Астане.", published="2025-11-06")
    data = doc.to_dict()
    validate_document(data)
    again = Document.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data


def test_pipeline_names_the_failing_stage():
    def boom(doc):
        raise KeyError("x")
    pipe = Pipeline([Stage("boom", boom)])
    with pytest.raises(RuntimeError, match="stage 'boom' failed"):
        pipe(Document(text="a"))


def test_pipeline_checks_order():
    with pytest.raises(ValueError, match="requires"):
        Pipeline([Stage("late", lambda d: d, requires=("entities",))])


@pytest.mark.parametrize("raw, expected", [
    ("Текст\u00a0с  пробелами\r\nи строкой", "Текст с пробелами\nи строкой"),
    ("Абзац один.\n\n\n\nАбзац два.", "Абзац один.\n\nАбзац два."),
    ("Тело статьи.\nФото из открытых источников\n \n      \n", "Тело статьи."),
    ("Тело статьи.\nФото: Иван Петров / Агентство", "Тело статьи."),
    ("Фотография Петрова висела на стене, и никто не знал, откуда она взялась в этом доме.",
     "Фотография Петрова висела на стене, и никто не знал, откуда она взялась в этом доме."),
    ("co\u00adоперация\u200b", "coоперация"),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_validation_checks_profession_offsets(seed_c5):
    data = seed_c5.to_dict()
    validate_document(data)
    assert data["professions"], "seed 002 names offices (специальный посланник, президент)"
    data["professions"][0]["start"] += 1
    with pytest.raises(ValueError, match="profession text"):
        validate_document(data)
