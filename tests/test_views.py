"""Entity profiles, corpus statistics and source comparison (sarap.views) on both store backends, and the
`sarap entity` / `sarap stats` commands.

The corpus is three short analysed documents written here about fictional people and places, so every
expected value can be checked by reading the texts below.
"""
from __future__ import annotations

import json

import pytest

from sarap.model import Document, Entity, Event, EventDate, Interviewee, Mention, Quote, Role, Sentiment, Turn
from sarap.views import compare_sources, corpus_stats, entity_profile, tone_by_day, view_dict

TEXT_1 = ("Министр финансов Иван Сомов встретился в Озёрске с главой банка «Прибой» Анной Лесной. "
          "«Бюджет будет сбалансирован», — заявил Сомов.")
TEXT_2 = "Анна Лесная: Иван Сомов слишком осторожен. Озёрск ждёт решений."
TEXT_3 = "В Озёрске открылся новый мост."


def at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def mention(text: str, part: str, last: bool = False) -> Mention:
    start = text.rindex(part) if last else text.index(part)
    return Mention(start, start + len(part), part)


def corpus() -> list[Document]:
    d1 = Document(TEXT_1, title="Сомов в Озёрске", source="Вестник Степи", published="2025-03-01")
    d1.entities = [
        Entity("e1", "PER", "Иван Сомов", [mention(TEXT_1, "Иван Сомов"), mention(TEXT_1, "Сомов", last=True)],
               roles=[Role("министр финансов", None, *at(TEXT_1, "Министр финансов"))],
               sentiment=Sentiment("positive", 0.8)),
        Entity("e2", "LOC", "Озёрск", [mention(TEXT_1, "Озёрске")]),
        Entity("e3", "PER", "Анна Лесная", [mention(TEXT_1, "Анной Лесной")]),
        Entity("e4", "ORG", "Прибой", [mention(TEXT_1, "Прибой")]),
    ]
    d1.quotes = [Quote("e1", "direct", *at(TEXT_1, "Бюджет будет сбалансирован"))]
    d1.events = [Event("meeting", ["e1", "e3"], "e2", EventDate("2025-02-28", "встретился"), "happened",
                       *at(TEXT_1, "встретился в Озёрске"), trigger="встретился")]
    d2 = Document(TEXT_2, title="Разговор с Анной Лесной", source="Голос долины", published="2025-03-02",
                  kind="interview")
    d2.entities = [Entity("e1", "PER", "Анна Лесная", [mention(TEXT_2, "Анна Лесная")]),
                   Entity("e2", "PER", "Иван Сомов", [mention(TEXT_2, "Иван Сомов")],
                          sentiment=Sentiment("negative", 0.7)),
                   Entity("e3", "LOC", "Озёрск", [mention(TEXT_2, "Озёрск")])]
    d2.turns = [Turn("answer", "e1", at(TEXT_2, "Иван")[0], len(TEXT_2))]
    d2.interviewees = [Interviewee("e1", "глава банка")]
    d2.quotes = [Quote("e1", "direct", *at(TEXT_2, "Иван Сомов слишком осторожен."), about=["e2"])]
    d3 = Document(TEXT_3, title="Мост", source="Вестник Степи", published="2025-03-02")
    d3.entities = [Entity("e1", "LOC", "Озёрск", [mention(TEXT_3, "Озёрске")])]
    return [d1, d2, d3]


def fill(store) -> list[Document]:
    from sarap.dedup import text_hash
    from sarap.ingest import build_stored, link_entities

    docs = corpus()
    for doc in docs:
        assert store.add_document(build_stored(doc, text_hash(doc.text), link_entities(doc, store.lookup_alias),
                                               ingested_at="2025-03-03T00:00:00+00:00"))
    return docs


@pytest.fixture
def filled(store):
    fill(store)
    return store


def test_profile_gathers_one_person_from_every_document(filled):
    profile = entity_profile(filled, "Сомов")
    assert (profile.key, profile.type, profile.name) == ("PER:иван сомов", "PER", "Иван Сомов")
    assert profile.latin == "ivan somov"
    assert profile.documents == 2 and profile.mentions == 3
    assert {"иван сомов", "сомов"} <= set(profile.aliases)
    assert [(r.title, r.first_seen, r.last_seen) for r in profile.roles] == [("министр финансов", "2025-03-01",
                                                                              "2025-03-01")]
    assert [r.title for r in profile.document_rows] == ["Разговор с Анной Лесной", "Сомов в Озёрске"]


def test_profile_quotes_by_and_about(filled):
    profile = entity_profile(filled, "Иван Сомов")
    assert [q.text for q in profile.quotes_by] == ["Бюджет будет сбалансирован"]
    assert [(q.speaker, q.text) for q in profile.quotes_about] == [("Анна Лесная", "Иван Сомов слишком осторожен.")]
    assert profile.quotes_about[0].about == ["Иван Сомов"]


def test_profile_co_mentions_and_tone(filled):
    profile = entity_profile(filled, "Somov")   # a Latin spelling finds the same person
    assert [(c.name, c.documents) for c in profile.co_mentions] == [("Озёрск", 2), ("Анна Лесная", 2), ("Прибой", 1)]  # ties by key
    assert [(t.day, t.positive, t.negative, t.neutral) for t in profile.tone] == [("2025-03-01", 1, 0, 0),
                                                                                 ("2025-03-02", 0, 1, 0)]


def test_profile_queries_read_the_most_recent_documents(filled):
    # Сомов is in two documents; the interview was ingested last.
    rows = filled.neighbour_rows("PER:иван сомов", recent=1)
    assert sorted(entity for _, entity in rows) == ["LOC:озерск", "PER:анна лесная", "PER:иван сомов"]
    assert [q.text for q in filled.entity_quotes("PER:иван сомов", recent=1)] == ["Иван Сомов слишком осторожен."]
    assert filled.entity_sentiments("PER:иван сомов", recent=1) == [("2025-03-02", "negative", 1)]


def test_profile_links_the_neighbours(filled):
    # Анна Лесная, Озёрск and Прибой all stand in the first text; Лесная and Озёрск in the interview too.
    assert entity_profile(filled, "Сомов").co_mention_pairs == [
        ("LOC:озерск", "ORG:прибой", 1), ("LOC:озерск", "PER:анна лесная", 2), ("ORG:прибой", "PER:анна лесная", 1)]


@pytest.mark.parametrize("rows, expected", [
    ([("d1", "K"), ("d1", "A"), ("d1", "B"), ("d2", "K"), ("d2", "A"), ("d2", "A")], [("A", 2), ("B", 1)]),
    ([("d1", "K")], []),
])
def test_count_co_mentions(rows, expected):
    from sarap.views import count_co_mentions

    got = count_co_mentions(rows, "K", 10, lambda keys: {k: k.lower() for k in keys})
    assert [(c.key, c.documents) for c in got] == expected and all(c.name == c.key.lower() for c in got)


def test_count_pairs():
    from sarap.views import count_pairs

    rows = [("d1", "B"), ("d1", "A"), ("d1", "C"), ("d2", "A"), ("d2", "B"), ("d3", "A")]
    assert count_pairs(rows, {"A", "B", "C"}) == [("A", "B", 2), ("A", "C", 1), ("B", "C", 1)]
    assert count_pairs(rows, {"A"}) == []


def test_profile_by_key_and_unknown_name(filled):
    assert entity_profile(filled, "LOC:озерск").documents == 3
    assert entity_profile(filled, "Никого Такого") is None


def test_profile_json_round_trips(filled):
    data = json.loads(json.dumps(view_dict(entity_profile(filled, "Озёрск")), ensure_ascii=False))
    assert data["name"] == "Озёрск" and data["documents"] == 3
    assert {c["name"] for c in data["co_mentions"]} == {"Иван Сомов", "Анна Лесная", "Прибой"}


def test_corpus_stats(filled):
    stats = corpus_stats(filled)
    assert stats.counts.documents == 3
    assert stats.by_source == [("Вестник Степи", 2), ("Голос долины", 1)]
    assert stats.by_day == [("2025-03-01", 1), ("2025-03-02", 2)]
    assert stats.top_entities[0].name == "Озёрск" and stats.top_entities[0].documents == 3
    assert stats.interview_count == 1
    assert [(i.title, i.interviewees) for i in stats.interviews] == [("Разговор с Анной Лесной",
                                                                      ["Анна Лесная (глава банка)"])]


def test_compare_sources(filled):
    cmp = compare_sources(filled, "Вестник Степи", "Голос долины")
    assert (cmp.a.documents, cmp.b.documents) == (2, 1)
    assert cmp.a.by_day == [("2025-03-01", 1), ("2025-03-02", 1)]
    assert cmp.a.top_entities[0].name == "Озёрск" and cmp.a.top_entities[0].documents == 2
    assert set(cmp.shared_entities) == {"Озёрск", "Иван Сомов", "Анна Лесная"}


@pytest.mark.parametrize("since, until, type_, expected", [
    (None, None, None, [("2025-02-28", "meeting", '["PER:иван сомов", "PER:анна лесная"]', "LOC:озерск")]),
    ("2025-03-01", None, None, []),
    (None, "2025-02-28", "meeting", [("2025-02-28", "meeting", '["PER:иван сомов", "PER:анна лесная"]',
                                      "LOC:озерск")]),
    (None, None, "visit", []),
])
def test_list_events(filled, since, until, type_, expected):
    events = filled.list_events(since, until, type_)
    assert [(e["day"], e["type"], e["participants"], e["location"]) for e in events] == expected
    assert all(e["title"] == "Сомов в Озёрске" for e in events)


def test_entity_names(filled):
    assert filled.entity_names(["PER:иван сомов", "LOC:нигде"]) == {"PER:иван сомов": "Иван Сомов"}
    assert filled.entity_names([]) == {}


def test_compare_unknown_source_is_empty(filled):
    cmp = compare_sources(filled, "Вестник Степи", "Нет такой газеты")
    assert cmp.b.documents == 0 and cmp.b.top_entities == [] and cmp.shared_entities == []


@pytest.mark.parametrize("rows, expected", [
    ([("2025-01-02", "negative", 2), ("2025-01-01", "positive", 1), ("2025-01-02", "neutral", 1)],
     [("2025-01-01", 1, 0, 0), ("2025-01-02", 0, 2, 1)]),
    ([], []),
])
def test_tone_by_day(rows, expected):
    assert [(t.day, t.positive, t.negative, t.neutral) for t in tone_by_day(rows)] == expected


@pytest.fixture
def db_path(tmp_path):
    from sarap.store import open_store

    path = str(tmp_path / "views.db")
    store = open_store(path)
    fill(store)
    store.close()
    return path


def test_cli_entity_json(db_path, capsys):
    from sarap.cli import main

    assert main(["entity", "Сомова", "--db", db_path, "--format", "json"]) == 2   # not a form seen in the texts
    assert main(["entity", "Сомов", "--db", db_path, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "Иван Сомов" and len(data["quotes_by"]) == 1


def test_cli_entity_text(db_path, capsys):
    from sarap.cli import main

    assert main(["entity", "Анна Лесная", "--db", db_path]) == 0
    out = capsys.readouterr().out
    assert "Анна Лесная" in out and "anna lesnaya" in out and "Бюджет" not in out
    assert "Иван Сомов слишком осторожен." in out


def test_cli_stats(db_path, capsys):
    from sarap.cli import main

    assert main(["stats", "--db", db_path, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_source"] == [["Вестник Степи", 2], ["Голос долины", 1]]
    assert main(["stats", "--db", db_path, "--compare", "Вестник Степи", "Голос долины"]) == 0
    out = capsys.readouterr().out
    assert "Вестник Степи: 2 documents" in out and "Голос долины: 1 documents" in out
    assert main(["stats", "--db", db_path, "--top", "0"]) == 2
