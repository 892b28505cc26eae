"""Profession mentions (Document.professions): NEREL-style spans, nested and unnamed ones too, and holders.

Expected spans were read off the sentences by a person following NEREL's conventions (every office or
occupation word, its complement included, the owner country or body as an outer span).
"""
from __future__ import annotations

import pytest

from conftest import entity_named
from sarap.model import Document, Profession


def spans(doc) -> set[str]:
    return {p.text for p in doc.professions}


def holder_name(doc, text: str) -> str | None:
    found = [p for p in doc.professions if p.text == text]
    assert found, f"no profession {text!r}; have {sorted(spans(doc))}"
    ent = doc.entity(found[0].holder)
    return ent.name if ent else None


@pytest.mark.parametrize("text, expected", [
    ("Президент России Владимир Путин провёл встречу с журналистами в Кремле.",
     {"Президент России", "Президент", "журналистами"}),
    ("Судья отклонил ходатайство адвоката.", {"Судья", "адвоката"}),
    ("Полицейские задержали двух студентов у здания мэрии.", {"Полицейские", "студентов"}),
    ("На пресс-конференции выступил министр иностранных дел Сергей Лавров.", {"министр иностранных дел"}),
    ("Депутаты считают, что генералов отправят в отставку.", {"Депутаты", "генералов"}),
])
def test_spans_in_sentences(analyzer, text, expected):
    assert expected <= spans(analyzer(text))


def test_former_holders_title_leaves_out_eks(analyzer):
    """NEREL marks "президент Перу" in "Экс-президент Перу": the title without "экс-"."""
    doc = analyzer("Экс-президент Перу Алан Гарсия скончался в больнице.")
    assert {"президент Перу", "президент"} <= spans(doc)
    assert holder_name(doc, "президент Перу") == "Алан Гарсия"
    assert {p.lemma for p in doc.professions} == {"президент Перу", "президент"}


@pytest.mark.parametrize("word, likely", [
    ("искусствовед", True), ("литературовед", True), ("психолог", True),
    ("стол", False), ("москва", False), ("сказать", False),
])
def test_title_likeness_from_word_vectors(word, likely):
    """How title-like a word is comes from its navec vector, so words NEREL train never marks score too."""
    from sarap.professions import TITLE_BINS, title_likeness
    assert (int(title_likeness(word)) >= TITLE_BINS // 2) == likely


def test_unseen_occupation_words(analyzer):
    """Occupations NEREL train never shows ("искусствовед", "литературовед") are found by their word vectors."""
    doc = analyzer("Известный искусствовед Ирина Петрова и литературовед Олег Смирнов открыли выставку.")
    assert {"искусствовед", "литературовед"} <= spans(doc)


@pytest.mark.parametrize("text, profession, holder", [
    ("Президент России Владимир Путин провёл встречу с журналистами в Кремле.", "Президент России",
     "Владимир Путин"),
    ("Сергей Лавров, министр иностранных дел России, прибыл в Анкару.", "министр иностранных дел России",
     "Сергей Лавров"),
    ("Об этом заявил премьер-министр Израиля Биньямин Нетаньяху.", "премьер-министр Израиля",
     "Биньямин Нетаньяху"),
])
def test_holders(analyzer, text, profession, holder):
    assert holder_name(analyzer(text), profession) == holder


def test_unnamed_professions_have_no_holder(analyzer):
    doc = analyzer("Судья отклонил ходатайство адвоката.")
    assert holder_name(doc, "Судья") is None


def test_lemma_is_the_dictionary_form(analyzer):
    doc = analyzer("Президент России Владимир Путин провёл встречу с журналистами в Кремле.")
    lemmas = {p.text: p.lemma for p in doc.professions}
    assert lemmas["журналистами"] == "журналист"
    assert lemmas["Президент России"] == "президент России"


def test_seed_c5_special_envoy(seed_c5):
    """"специального представителя президента США по Южной и Центральной Азии Серджио Гора": the title with
    its complement is one profession, held by Гор; "президента США" inside it is another."""
    gor = entity_named(seed_c5, "Серджио Гор")
    envoy = [p for p in seed_c5.professions if p.text.startswith("специального представителя")]
    assert envoy and envoy[0].holder == gor.id
    assert "президента США" in spans(seed_c5)


def test_round_trip_and_old_documents(seed_c5):
    again = Document.from_dict(seed_c5.to_dict())
    assert again.professions == seed_c5.professions and all(isinstance(p, Profession) for p in again.professions)
    old = seed_c5.to_dict()
    del old["professions"]  # a schema_version 1 document written before professions existed
    assert Document.from_dict(old).professions == []


def test_text_summary_lists_professions_with_holders(analyzer):
    from rich.console import Console
    from sarap.summary import print_summary
    console = Console(record=True, width=120)
    print_summary(analyzer("Президент России Владимир Путин провёл встречу с журналистами в Кремле."), console)
    text = console.export_text()
    assert "Professions" in text and "президент России → Владимир Путин" in text and "журналист" in text
