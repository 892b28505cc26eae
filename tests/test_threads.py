"""Same-event threads on texts written for the test (fictional places, people and outlets)."""
from __future__ import annotations

import pytest

from sarap.threads import ThreadOptions, group_threads

# Two outlets report the opening of one bus station; a third reports a flood elsewhere; a fourth reports
# the opening of a bus station in the same town a month later (a different happening).
STATION_1 = ("Новый автовокзал открылся в Лесногорске",
             "В субботу в Лесногорске открылся новый автовокзал. Мэр города Сергей Жуков перерезал ленточку "
             "и сообщил, что строительство обошлось бюджету в 40 миллионов рублей. Первые автобусы "
             "отправятся в Озёрск и Заречье уже в понедельник.")
STATION_2 = ("В Лесногорске заработал автовокзал за 40 миллионов",
             "Мэр Лесногорска Сергей Жуков открыл в субботу новый автовокзал. На строительство потратили "
             "40 миллионов рублей из городского бюджета. С понедельника отсюда пойдут автобусы в Озёрск.")
FLOOD = ("Паводок подтопил десятки домов в Озёрске",
         "Из-за весеннего паводка в Озёрске подтоплены 36 жилых домов. Спасатели эвакуировали 120 жителей, "
         "сообщил глава районной службы спасения Виктор Ершов.")


@pytest.fixture(scope="module")
def docs(analyzer):
    return {
        "station_1": analyzer(STATION_1[1], title=STATION_1[0], source="Лесной край", published="2024-04-06"),
        "station_2": analyzer(STATION_2[1], title=STATION_2[0], source="Озёрный вестник", published="2024-04-07"),
        "flood": analyzer(FLOOD[1], title=FLOOD[0], source="Горный голос", published="2024-04-07"),
        "station_later": analyzer(STATION_2[1], title=STATION_2[0], source="Горный голос", published="2024-05-20"),
    }


def test_same_happening_across_outlets_is_one_thread(docs):
    threads = group_threads([docs["station_1"], docs["flood"], docs["station_2"]])
    assert len(threads) == 1
    thread = threads[0]
    assert set(thread.documents) == {docs["station_1"].id, docs["station_2"].id}
    assert thread.sources == ["Лесной край", "Озёрный вестник"]
    assert (thread.first_published, thread.last_published) == ("2024-04-06", "2024-04-07")
    assert thread.title == STATION_1[0]
    assert "Сергей Жуков" in thread.entities


def test_documents_far_apart_in_time_are_not_joined(docs):
    assert group_threads([docs["station_1"], docs["station_later"]]) == []


def test_undated_documents_are_grouped_by_content(analyzer):
    a = analyzer(STATION_1[1], title=STATION_1[0])
    b = analyzer(STATION_2[1], title=STATION_2[0])
    flood = analyzer(FLOOD[1], title=FLOOD[0])
    threads = group_threads([a, b, flood])
    assert [set(t.documents) for t in threads] == [{a.id, b.id}]
    assert threads[0].first_published is None


def test_single_documents_are_threads_when_asked(docs):
    threads = group_threads([docs["station_1"], docs["flood"]], ThreadOptions(min_documents=1))
    assert sorted(len(t.documents) for t in threads) == [1, 1]


def test_thread_round_trips_to_dict(docs):
    thread = group_threads([docs["station_1"], docs["station_2"]])[0]
    data = thread.to_dict()
    assert data["title"] == STATION_1[0] and len(data["documents"]) == 2


def test_threads_command(docs, tmp_path, capsys):
    import json

    from sarap.cli import main
    from sarap.dedup import text_hash
    from sarap.ingest import build_stored, link_entities
    from sarap.store import open_store

    path = str(tmp_path / "threads.db")
    store = open_store(path)
    for doc in (docs["station_1"], docs["station_2"], docs["flood"]):
        store.add_document(build_stored(doc, text_hash(doc.text), link_entities(doc, store.lookup_alias),
                                        path=doc.source, ingested_at="2026-01-01"))
    store.close()
    assert main(["threads", "--db", path, "--format", "json"]) == 0
    threads = json.loads(capsys.readouterr().out)
    assert [t["title"] for t in threads] == [STATION_1[0]]
    assert main(["threads", "--db", path, "--min-documents", "1"]) == 0
    out = capsys.readouterr().out
    assert f"1. {STATION_1[0]}" in out and f"2. {FLOOD[0]}" in out
    assert main(["threads", "--db", path, "--since", "2024-04-07"]) == 0
    assert capsys.readouterr().out.strip() == "no threads"
    assert main(["threads", "--db", path, "--since", "7 April"]) == 2
