"""Organisation spans: names in quotes after a noun that introduces them, special administrative regions."""
from __future__ import annotations

import pytest


def orgs(doc) -> set[str]:
    return {doc.text[m.start:m.end] for e in doc.entities if e.type == "ORG" for m in e.mentions}


@pytest.mark.parametrize("text, name", [
    ("Об этом пишет газета «Частный корреспондент».", "Частный корреспондент"),
    ("В концерте выступил ансамбль «Весёлые ребята».", "Весёлые ребята"),
])
def test_a_quoted_name_after_a_body_noun_is_an_org(analyzer, text, name):
    assert name in orgs(analyzer(text))


@pytest.mark.parametrize("name", ["Макао", "Гонконг"])
def test_special_administrative_regions_are_regions(analyzer, name):
    doc = analyzer(f"Власти {name}а заявили об этом." if name == "Гонконг" else f"Власти {name} заявили об этом.")
    assert [(e.name, e.subtype) for e in doc.entities if e.type == "LOC"] == [(name, "region")]


@pytest.mark.parametrize("text, name", [
    ("Пресс-служба ГУ МЧС России по Санкт-Петербургу сообщила о пожаре.", "ГУ МЧС России по Санкт-Петербургу"),
    ("Об этом сообщили в Следственном комитете по Москве.", "Следственном комитете по Москве"),
])
def test_a_field_after_po_is_part_of_the_body_name(analyzer, text, name):
    assert name in orgs(analyzer(text))


def test_by_the_words_of_is_no_field(analyzer):
    doc = analyzer("Представитель МВД по словам журналистов отказался от комментариев.")
    assert not any("словам" in name for name in orgs(doc))


def test_a_craft_name_is_no_org(analyzer):
    doc = analyzer("Шаттл «Дискавери» приземлился во Флориде. «Дискавери» совершил 39 полётов.")
    assert "Дискавери" not in orgs(doc)


def test_a_body_named_by_its_noun_is_a_nominal_mention_of_the_named_body(analyzer):
    doc = analyzer("Правительство Израиля одобрило план. Позже правительство отменило решение.")
    (body,) = [e for e in doc.entities if e.type == "ORG"]
    assert body.name == "правительство Израиля"
    assert [(m.text, m.kind) for m in body.mentions] == [("Правительство Израиля", "name"),
                                                         ("правительство", "nominal")]


def test_a_lone_body_noun_is_nominal(analyzer):
    doc = analyzer("Полиция задержала подозреваемого в Омске.")
    (body,) = [e for e in doc.entities if e.type == "ORG"]
    assert [m.kind for m in body.mentions] == ["nominal"]


@pytest.mark.parametrize("text, name", [
    ("Он окончил Институт иностранных языков имени Мориса Тореза.", "Институт иностранных языков имени Мориса Тореза"),
    ("Выставка прошла в Театре им. Йозефа Бойса.", "Театр им. Йозефа Бойса"),
])
def test_the_person_a_body_is_named_after_is_part_of_the_name(analyzer, text, name):
    assert name in {e.name for e in analyzer(text).entities if e.type == "ORG"}


def test_a_number_alone_is_no_org():
    from sarap.gazetteer import load_gazetteer
    from sarap.model import NerSpan, Token
    from sarap.ner import repair_spans
    text = "Звоните 911 сейчас"
    tokens = [Token(0, 7, "Звоните", "VERB", {}, "звонить"), Token(8, 11, "911", "NUM", {}, "911"),
              Token(12, 18, "сейчас", "ADV", {}, "сейчас")]
    assert repair_spans(text, tokens, [NerSpan(8, 11, "ORG", "911", "911")], load_gazetteer()) == []
