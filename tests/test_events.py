"""Events: trigger, participants, place, date and status, on sentences about fictional people, plus seeds.

Expected values are read off each sentence by hand.  2025-11-12, the anchor, is a Wednesday.
"""
from __future__ import annotations

import pytest

from sarap.model import Document

PUB = "2025-11-12"
VOLKOV, LEBEDEV = "Игорь Волков", "Марк Лебедев"

CASES = [
    # text, [(type, status, participant names, location name, date value)]
    ("Вчера Игорь Волков провел телефонный разговор с Марком Лебедевым.",
     [("phone_call", "happened", {VOLKOV, LEBEDEV}, None, "2025-11-11")]),
    ("Игорь Волков и Марк Лебедев поговорили по телефону.",
     [("phone_call", "happened", {VOLKOV, LEBEDEV}, None, None)]),
    ("В минувший четверг Игорь Волков посетил Берлин.",
     [("visit", "happened", {VOLKOV}, "Берлин", "2025-11-06")]),
    ("Игорь Волков посетит Берлин 20 ноября.",
     [("visit", "planned", {VOLKOV}, "Берлин", "2025-11-20")]),
    ("Возможный визит Игоря Волкова в Берлин обсуждают дипломаты.",
     [("visit", "possible", {VOLKOV}, "Берлин", None)]),
    ("Игорь Волков может посетить Берлин в декабре.",
     [("visit", "possible", {VOLKOV}, "Берлин", "2025-12")]),
    ("Визит Игоря Волкова в Берлин стал бы важным шагом.",
     [("visit", "possible", {VOLKOV}, "Берлин", None)]),
    ("Игорь Волков принял в Москве Марка Лебедева.",
     [("meeting", "happened", {VOLKOV, LEBEDEV}, "Москва", None)]),
    ("На юбилей Анны Смирновой в Омск прибыл Игорь Волков.",
     [("visit", "happened", {VOLKOV}, "Омск", None)]),
    ("После встречи с Анной Смирновой Марк Лебедев посетил Берлин.",
     [("meeting", "happened", {"Анна Смирнова"}, None, None), ("visit", "happened", {LEBEDEV}, "Берлин", None)]),
    ("Встреча в Омске\n\nИгорь Волков и Марк Лебедев подписали соглашение.",
     [("meeting", "happened", set(), "Омск", None), ("agreement", "happened", {VOLKOV, LEBEDEV}, None, None)]),
    ("Игорь Волков встретился с Марком Лебедевым в Париже.",
     [("meeting", "happened", {VOLKOV, LEBEDEV}, "Париж", None)]),
    ("Встреча Игоря Волкова и Марка Лебедева состоится в Вене 5 декабря.",
     [("meeting", "planned", {VOLKOV, LEBEDEV}, "Вена", "2025-12-05")]),
    ("Саммит НАТО пройдет в Гааге в июне.",
     [("summit", "planned", {"НАТО"}, "Гаага", "2026-06")]),
    ("В прошлом году саммит НАТО прошел в Вильнюсе.",
     [("summit", "happened", {"НАТО"}, "Вильнюс", "2024")]),
    ("Игорь Волков и Марк Лебедев провели переговоры в Минске.",
     [("negotiations", "happened", {VOLKOV, LEBEDEV}, "Минск", None)]),
    ("Переговоры России и Китая начнутся на следующей неделе.",
     [("negotiations", "planned", {"Россия", "Китай"}, None, "2025-W47")]),
    ("Игорь Волков и Марк Лебедев подписали соглашение о сотрудничестве.",
     [("agreement", "happened", {VOLKOV, LEBEDEV}, None, None)]),
    ("Казахстан и Китай достигли договоренности о поставках газа.",
     [("agreement", "happened", {"Казахстан", "Китай"}, None, None)]),
    ("Марк Лебедев заявил, что цены на хлеб не вырастут.",
     [("statement", "happened", {LEBEDEV}, None, None)]),
    ("Завтра Игорь Волков сделает заявление для прессы.",
     [("statement", "planned", {VOLKOV}, None, "2025-11-13")]),
    # No event: generic plural, a purpose, a conversation that is not a phone call, no argument at all.
    ("Государственные визиты такого уровня очень важны.", []),
    ("Страна остается удобной площадкой для переговоров.", []),
    ("Разговор Игоря Волкова с Марком Лебедевым был долгим.", []),
    ("Встреча прошла спокойно.", []),
    ("Визит.", []),
    ("Встреча в Омске завершилась без подписания соглашения в Омске.",
     [("meeting", "happened", set(), "Омск", None)]),
    ("Игорь Волков принял участие в выставке.", []),
    ("Игорь Волков отменил визит в Берлин.", []),
    ("Встреча Игоря Волкова и Марка Лебедева в Вене не состоялась.", []),
    ("Визит Игоря Волкова в Берлин перенесли на декабрь.",
     [("visit", "planned", {VOLKOV}, "Берлин", "2025-12")]),
    ("Участники подобной встречи в Омске пошли к мэрии.", []),
]


def summarise(doc: Document) -> list[tuple]:
    names = {e.id: e.name for e in doc.entities}
    return [(ev.type, ev.status, {names[p] for p in ev.participants}, names.get(ev.location),
             ev.date.value if ev.date else None) for ev in doc.events]


@pytest.mark.parametrize("text, expected", CASES)
def test_events(analyzer, text, expected):
    doc = analyzer(text, published=PUB)
    assert summarise(doc) == expected


def test_repeated_mentions_merge(analyzer):
    doc = analyzer("Игорь Волков посетил Берлин. Визит Игоря Волкова в Берлин длился два дня.", published=PUB)
    assert summarise(doc) == [("visit", "happened", {VOLKOV}, "Берлин", None)]
    assert doc.events[0].trigger == "посетил"
    assert doc.text[doc.events[0].start:doc.events[0].end] == "Игорь Волков посетил Берлин."


def test_events_serialise(analyzer):
    doc = analyzer("Игорь Волков посетит Берлин 20 ноября.", published=PUB)
    assert Document.from_dict(doc.to_dict()).events == doc.events


def _events(doc, kind):
    names = {e.id: e.name for e in doc.entities}
    return [(ev, {names[p] for p in ev.participants}, names.get(ev.location)) for ev in doc.events
            if ev.type == kind]


def test_seed_call_events(seed_call):
    calls = _events(seed_call, "phone_call")
    assert len(calls) == 1
    event, people, _ = calls[0]
    assert event.status == "happened"
    assert any("Токаев" in p for p in people) and any("Трамп" in p for p in people)
    visits = {(ev.status, place): ev for ev, _, place in _events(seed_call, "visit")}
    november = visits[("happened", "Вашингтон")]
    assert (november.date.value, november.date.text) == ("--11", "ноябрьского")
    possible = [(people, place) for ev, people, place in _events(seed_call, "visit") if ev.status == "possible"]
    assert len(possible) == 1
    people, place = possible[0]
    # "Возможный визит Президента США в Казахстан": the US, or its president when roles resolve him.
    assert place == "Казахстан" and people and people <= {"США", "Дональд Трамп"}


def test_seed_c5_events(seed_c5):
    visits = _events(seed_c5, "visit")
    assert len(visits) == 1
    event, people, place = visits[0]
    assert event.status == "happened" and place == "Астана"
    assert any("Гор" in p for p in people) and any("Ландау" in p for p in people)
    summits = _events(seed_c5, "summit")
    assert len(summits) == 1
    event, _, place = summits[0]
    assert (event.status, place, event.date.value, event.date.text) == ("planned", "Вашингтон", "--11-06", "6 ноября")


def _event(participants, location=None, status="happened"):
    from sarap.model import Event
    return Event("visit", list(participants), location, None, status, 0, 1, "визит")


@pytest.mark.parametrize("first, second, merged", [
    (_event(["p1", "p2"], "berlin"), _event(["delegation"]), True),    # an organisation stands for the persons
    (_event(["p1"], "berlin"), _event(["p2"], "berlin"), False),       # two different visitors
    (_event(["p1"], "berlin"), _event(["p1"], "paris"), False),        # two places
    (_event(["p1"], "berlin"), _event(["p1"], "berlin", "possible"), False),
    (_event(["russia"]), _event(["china"]), False),                    # two countries, no person on either side
    (_event([], "berlin"), _event(["p1"]), True),
])
def test_merge_events(first, second, merged):
    from sarap.events import merge_events
    assert len(merge_events([first, second], {"p1", "p2"})) == (1 if merged else 2)


@pytest.mark.slow
def test_events_quality_gate():
    """Quality floors on the gold documents that hold Meeting facts (factRuEval) or diplomatic EVENTs (NEREL).

    Floors are the figures measured when the gate was set (bench/eval_events.py on these documents);
    raise them when the scores improve, never lower them silently."""
    import sys
    from conftest import ROOT, SHARED, require_shared
    sys.path.insert(0, str(ROOT))
    from bench.eval_events import DIPLOMATIC_STEMS, read_nerel, score_factru, score_nerel
    factru = [p for p in sorted((require_shared(SHARED / "data" / "factru" / "devset")).glob("*.txt"))
              if " Meeting" in p.with_suffix(".facts").read_text(encoding="utf-8")]
    nerel = [p for p in sorted((require_shared(SHARED / "data" / "nerel" / "dev")).glob("*.txt"))
             if any(any(s in g.text.lower() for s in DIPLOMATIC_STEMS) for g in read_nerel(p)[0])]
    factru_scores = score_factru(factru, [])
    nerel_scores = score_nerel(nerel, [])
    assert factru_scores["meeting_facts"]["f1"] >= FLOORS["factru_meeting_f1"]
    assert nerel_scores["recall_diplomatic_events"]["r"] >= FLOORS["nerel_diplomatic_recall"]
    assert nerel_scores["trigger_precision_without_statements"] >= FLOORS["nerel_precision_without_statements"]
    assert nerel_scores["participants"]["f1"] >= FLOORS["nerel_participants_f1"]


# Measured when the gate was last raised: 0.889, 0.800, 0.722, 0.786 (5 factRuEval and 9 NEREL documents).
FLOORS = {"factru_meeting_f1": 0.85, "nerel_diplomatic_recall": 0.75, "nerel_precision_without_statements": 0.70,
          "nerel_participants_f1": 0.75}


def test_seed_dates_follow_published(analyzer):
    """With a publication date the summit "который состоится 6 ноября" is dated in the coming November,
    and the past "ноябрьский визит" in the last one."""
    from conftest import SEED_C5, SEED_CALL, require_shared
    c5 = analyzer(require_shared(SEED_C5).read_text(encoding="utf-8"), published="2025-11-03")
    summit = [e for e in c5.events if e.type == "summit"]
    assert [(e.status, e.date.value) for e in summit] == [("planned", "2025-11-06")]
    call = analyzer(require_shared(SEED_CALL).read_text(encoding="utf-8"), published="2026-01-15")
    visit = [e for e in call.events if e.type == "visit" and e.status == "happened"]
    assert [e.date.value for e in visit] == ["2025-11"]


def test_place_adjectives_take_part_only_as_the_events_own_modifiers(analyzer):
    def participants(text):
        doc = analyzer(text)
        names = {e.id: e.name for e in doc.entities}
        return [sorted(names[p] for p in ev.participants) for ev in doc.events]

    assert participants("В Женеве прошли российско-американские переговоры по стратегической стабильности.") \
        == [["Россия", "США"]]
    # the adjectives belong to the troops, not to the meeting
    assert ["СССР", "США"] not in participants(
        "Историческая встреча американских и советских войск произошла на Эльбе в 1945 году.")
