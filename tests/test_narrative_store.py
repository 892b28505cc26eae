"""Narratives kept in the store and updated by ingest, on SQLite and PostgreSQL, on texts written for the test.

Fictional outlets and people.  Read off the texts: A1 and A3 (one outlet, "Вестник Долины") and B1 (another,
"Северная газета") each say that the Долинская республика is becoming the region's main sea hub; A2 (kites)
and B2 (fish prices) share no claim with anything.  So after batch A the hub claim is one source's (two
documents), and it becomes a narrative only when B1, the second source, is ingested.
"""
from __future__ import annotations

import json

import pytest

from sarap.ingest import ingest
from sarap.narrative_store import (read_narratives, rebuild_narratives, restrict_since, update_stored_narratives)
from sarap.narratives import find_narratives
from sarap.store.base import DocumentFilter

HUB = "морским хабом"
BATCH_A = [
    {"source": "Вестник Долины", "published": "2024-05-02", "title": "Новый порт",
     "text": "Глава Долинской республики Пётр Ларин открыл новый порт в Светлогорске. "
             "Долинская республика должна стать главным морским хабом всего региона, заявил Ларин. "
             "Порт примет первые суда уже летом."},
    {"source": "Вестник Долины", "published": "2024-05-03", "title": "Фестиваль",
     "text": "В Светлогорске прошёл городской фестиваль воздушных змеев. "
             "Организаторы насчитали более двух тысяч участников. Следующий фестиваль пройдёт в августе."},
    {"source": "Вестник Долины", "published": "2024-05-04", "title": "Порт и регион",
     "text": "Аналитики уверены, что благодаря новым причалам Долинская республика станет главным морским "
             "хабом региона. Строительство второй очереди начнётся осенью."},
]
BATCH_B = [
    {"source": "Северная газета", "published": "2024-05-06", "title": "Интервью",
     "text": "Экономист Мария Орлова уверена, что у Долинской республики большое будущее. "
             "По её словам, Долинская республика превращается в главный морской хаб всего региона. "
             "Орлова также рассказала о ценах на рыбу."},
    {"source": "Курьер Заозерья", "published": "2024-05-08", "title": "Рыба",
     "text": "Рыбаки Заозерья жалуются на низкие цены на улов. "
             "Закупочные цены упали на треть за последний год."},
]


def write_batch(folder, name, records) -> str:
    path = folder / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return str(path)


def members(narratives) -> list[set[tuple[str, int]]]:
    return sorted((sorted((m.document, m.start) for m in n.members) for n in narratives), key=str)


def stored_documents(store) -> list:
    rows = store.list_documents(DocumentFilter(originals_only=True), limit=1000)
    return [store.get_document(r.id) for r in rows]


@pytest.fixture
def ingested(store, analyzer, tmp_path):
    """The store after batch A, with a function ingesting batch B."""
    ingest([write_batch(tmp_path, "a", BATCH_A)], store, analyzer=analyzer)
    return store, lambda: ingest([write_batch(tmp_path, "b", BATCH_B)], store, analyzer=analyzer)


def test_second_source_makes_the_narrative(ingested):
    store, ingest_b = ingested
    assert read_narratives(store) == []                       # one outlet only, so far
    one_source = read_narratives(store, min_sources=1)
    assert len(one_source) == 1 and one_source[0].sources == 1
    assert {m.source for m in one_source[0].members} == {"Вестник Долины"}
    assert all(HUB in m.text for m in one_source[0].members)
    assert len(one_source[0].members) == 2                    # A1 and A3

    assert ingest_b().ingested == 2
    found = read_narratives(store)
    assert len(found) == 1
    hub = found[0]
    assert hub.sources == 2 and len(hub.members) == 3
    assert {m.source for m in hub.members} == {"Вестник Долины", "Северная газета"}
    assert ("морск" in hub.members[-1].text and hub.members[-1].source == "Северная газета")
    assert (hub.first_seen, hub.last_seen) == ("2024-05-02", "2024-05-06")


def test_incremental_equals_recomputing(ingested):
    store, ingest_b = ingested
    ingest_b()
    docs = stored_documents(store)
    assert len(docs) == 5
    assert members(read_narratives(store)) == members(find_narratives(docs))
    assert members(read_narratives(store, min_sources=1)) == members(find_narratives(docs, min_sources=1))


def test_reingesting_changes_nothing(ingested, tmp_path, analyzer):
    store, ingest_b = ingested
    ingest_b()
    read_narratives(store)                                     # fold the ingested documents in
    before = store.list_narratives()
    again = ingest([write_batch(tmp_path, "a", BATCH_A), write_batch(tmp_path, "b", BATCH_B)], store,
                   analyzer=analyzer)
    assert again.ingested == 0 and again.exact_duplicates == 5
    assert update_stored_narratives(store, stored_documents(store)).documents == 0
    assert store.list_narratives() == before


def test_rebuild_gives_the_same_narratives(ingested):
    store, ingest_b = ingested
    ingest_b()
    before = members(read_narratives(store, min_sources=1))
    done = rebuild_narratives(store)
    assert done.documents == 5
    assert members(read_narratives(store, min_sources=1)) == before


def test_filters_on_read(ingested):
    store, ingest_b = ingested
    ingest_b()
    assert read_narratives(store, min_sources=3) == []
    assert len(read_narratives(store, entity_names={"долинская республика"})) == 1
    assert read_narratives(store, entity_names={"светлогорск", "заозерье"}) == []
    later = read_narratives(store, since="2024-05-04")          # A3 and B1 remain: still two sources
    assert [m.published for m in later[0].members] == ["2024-05-04", "2024-05-06"]
    assert later[0].first_seen == "2024-05-04"
    assert read_narratives(store, since="2024-05-05") == []     # B1 alone


def test_documents_stored_without_ingest_are_caught_up(store, analyzer):
    from sarap.dedup import text_hash
    from sarap.ingest import build_stored, link_entities

    for record in BATCH_A + BATCH_B:
        doc = analyzer(record["text"], source=record["source"], published=record["published"])
        store.add_document(build_stored(doc, text_hash(doc.text), link_entities(doc, store.lookup_alias),
                                        ingested_at="2026-01-01"))
    assert len(store.documents_without_narratives()) == 5
    assert [n.sources for n in read_narratives(store)] == [2]
    assert store.documents_without_narratives() == []


def test_boilerplate_repeated_later_leaves_the_narrative(store, analyzer, tmp_path):
    # "Вестник Долины" prints the same closing line in two documents; a first copy looked like a claim that
    # "Северная газета" shared, until the second copy showed it is that outlet's boilerplate.
    line = "Редакция благодарит читателей Долинской республики за доверие к независимой журналистике."
    first = [{"source": "Вестник Долины", "published": "2024-06-01", "text": "Мост через реку Светлую открыт. " + line},
             {"source": "Северная газета", "published": "2024-06-02", "text": "Цены на хлеб выросли. " + line}]
    ingest([write_batch(tmp_path, "first", first)], store, analyzer=analyzer)
    assert len(read_narratives(store)) == 1
    second = [{"source": "Вестник Долины", "published": "2024-06-03", "text": "Паром отменён до весны. " + line}]
    ingest([write_batch(tmp_path, "second", second)], store, analyzer=analyzer)
    assert read_narratives(store) == []
    assert find_narratives(stored_documents(store)) == []       # as the pure function says
    assert store.list_narratives(min_sources=1) == []


def test_restrict_since_keeps_the_medoid_when_it_survives():
    from sarap.narratives import Narrative, NarrativeMember

    n = Narrative("b", [NarrativeMember("d1", 0, 1, "a", "S1", "2024-01-01"),
                        NarrativeMember("d2", 0, 1, "b", "S2", "2024-02-01"),
                        NarrativeMember("d3", 0, 1, "c", "S2", "2024-03-01")], sources=2)
    assert restrict_since(n, "2024-01-15").representative == "b"
    assert restrict_since(n, "2024-01-15").sources == 1
    assert restrict_since(n, "2024-02-15") is None


def test_narratives_command_rebuild(analyzer, tmp_path, capsys):
    from sarap.cli import main

    db = str(tmp_path / "cli.db")
    ingest([write_batch(tmp_path, "a", BATCH_A), write_batch(tmp_path, "b", BATCH_B)], db, analyzer=analyzer)
    assert main(["narratives", "--db", db, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 1 and found[0]["sources"] == 2 and len(found[0]["members"]) == 3
    assert main(["narratives", "--db", db, "--rebuild", "--since", "2024-05-05"]) == 0
    assert capsys.readouterr().out.strip() == "no narratives"
    assert main(["narratives", "--db", db, "--min-sources", "1", "--format", "json"]) == 0
    assert [n["sources"] for n in json.loads(capsys.readouterr().out)] == [2]


def test_seed_talking_points_after_ingesting_one_interview_then_the_other(store, analyzer):
    # The "done when": the two interviews, given different outlets, ingested one after the other.
    from conftest import SEED_C5, SEED_CALL, require_shared
    from sarap.dedup import text_hash
    from sarap.ingest import build_stored, link_entities

    for path, source in ((SEED_CALL, "outlet-1"), (SEED_C5, "outlet-2")):
        doc = analyzer(require_shared(path).read_text(encoding="utf-8"), source=source)
        store.add_document(build_stored(doc, text_hash(doc.text), link_entities(doc, store.lookup_alias),
                                        ingested_at="2026-01-01"))
        update_stored_narratives(store, [doc])
    found = read_narratives(store, refresh=False)

    def spanning_both(*words):
        return [n for n in found if len({m.source for m in n.members if all(w in m.text for w in words)}) == 2]

    assert spanning_both("площадк", "переговор")         # Kazakhstan as a venue for negotiations
    assert spanning_both("партнер", "Центральной Азии")   # the United States' key partner in Central Asia
    assert members(found) == members(find_narratives(stored_documents(store)))


def test_deferred_update_folds_documents_in_on_read(store, analyzer, tmp_path):
    """With narratives_on_ingest false, ingest leaves the state alone and the next read catches up."""
    from sarap.settings import Settings

    settings = Settings(narratives_on_ingest=False)
    ingest([write_batch(tmp_path, "a", BATCH_A + BATCH_B)], store=store, analyzer=analyzer, settings=settings)
    assert read_narratives(store, refresh=False) == []
    found = read_narratives(store)
    assert any(HUB in n.representative or any(HUB in m.text for m in n.members) for n in found)
    assert members(found) == members(find_narratives(stored_documents(store)))


def test_update_during_ingest_when_asked(store, analyzer, tmp_path):
    """With narratives_on_ingest true, the state is current right after ingest, without a catch-up read."""
    from sarap.settings import Settings

    settings = Settings(narratives_on_ingest=True)
    ingest([write_batch(tmp_path, "a", BATCH_A + BATCH_B)], store=store, analyzer=analyzer, settings=settings)
    found = read_narratives(store, refresh=False)
    assert members(found) == members(find_narratives(stored_documents(store)))
    assert found and any(HUB in m.text for n in found for m in n.members)
