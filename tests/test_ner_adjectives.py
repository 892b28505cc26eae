"""Place adjectives ("российских", "московского") as mentions of their place (Mention.kind "adjective")."""
from __future__ import annotations

import pytest

from bench.common import named_mentions
from sarap.gazetteer import load_gazetteer


def adjectives(doc) -> dict[str, list[str]]:
    return {e.name: [m.text for m in e.mentions if m.kind == "adjective"] for e in doc.entities
            if any(m.kind == "adjective" for m in e.mentions)}


# (text, {place: adjective mentions}) — read off the text
CASES = [
    ("Российские и японские дипломаты встретились в Москве.",
     {"Россия": ["Российские"], "Япония": ["японские"]}),
    ("Британское правительство опровергло сообщения московских газет.",
     {"Великобритания": ["Британское"], "Москва": ["московских"]}),
    ("Стороны обсудили российско-американские отношения.", {"Россия": ["российско"], "США": ["американские"]}),
    ("Архивы советских спецслужб открыты.", {"СССР": ["советских"]}),
    ("Выставка прошла в шанхайском музее.", {"Шанхай": ["шанхайском"]}),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_place_adjectives_are_mentions_of_the_place(analyzer, text, expected):
    assert adjectives(analyzer(text)) == expected


def test_the_adjective_joins_the_named_place(analyzer):
    doc = analyzer("Власти Украины заявили о поддержке украинских фермеров.")
    (ukraine,) = [e for e in doc.entities if e.name == "Украина"]
    assert [(m.text, m.kind) for m in ukraine.mentions] == [("Украины", "name"), ("украинских", "adjective")]
    assert ukraine.subtype == "country"
    assert [m.text for m in named_mentions(ukraine)] == ["Украины"]  # factRuEval scores names only


@pytest.mark.parametrize("text", [
    "Он свободно говорит на английском языке.",            # a language
    "Актёр американского происхождения приехал в Рим.",    # an origin
    "Известный французский писатель приехал в Рим.",        # a profession: the writer's nationality
    "Казахстан известен как площадка от Сирийского процесса до саммитов.",  # a capital mid-sentence: a name
])
def test_adjectives_that_do_not_mention_a_place(analyzer, text):
    assert adjectives(analyzer(text)) == {}


def test_adjective_lexicon_maps_to_gazetteer_names():
    gazetteer = load_gazetteer()
    assert gazetteer.adjective_place("китайский").name == "Китай"  # the hand list's name, not the ISO one
    assert gazetteer.adjective_place("нью-йоркский").subtype == "city"
    assert gazetteer.adjective_place("русский") is None  # a people and a language, not the state


def test_a_place_inside_an_org_name_is_mentioned(analyzer):
    doc = analyzer("Лидер партии «Движение за развитие Мали» выступил в столице.")
    assert "Мали" in {e.name for e in doc.entities if e.type == "LOC"}
    doc = analyzer("Сторонники партии «Единая Россия» собрались в Омске.")
    assert "Россия" not in {e.name for e in doc.entities}  # the name's own word, in the nominative


def test_every_hand_listed_adjective_names_a_gazetteer_place():
    gazetteer = load_gazetteer()
    missing = [f"{lemma} = {name}" for lemma, name in gazetteer.place_adjectives.items()
               if gazetteer.lookup(name) is None]
    assert missing == []
