"""Merging and splitting knowledge-base entities by hand, on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest

from sarap.curation import CurationError, apply_alias_file, merge_entities, resolve_one, split_entity
from sarap.ingest import ingest

TEXTS = [
    # A misspelt first name the automatic resolution keeps apart from the right one.
    ("Президент Алмаз Токаев провёл встречу с делегацией. Он заявил, что встреча была полезной.", "Первый"),
    ("Президент Алмас Токаев посетил Берлин. Токаев обсудил торговлю с канцлером.", "Второй"),
    # Two different men called Ли: a painter and an economist.
    ("Художник Ли открыл выставку в Вене. Ли показал сорок картин.", "Третий"),
    ("Экономист Пётр Ли выступил в Осло. Ли рассказал о ценах на нефть.", "Четвёртый"),
]


@pytest.fixture()
def kb(store, tmp_path, analyzer):
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps({"text": t, "source": s}, ensure_ascii=False) for t, s in TEXTS),
                    encoding="utf-8")
    ingest([str(path)], store=store, analyzer=analyzer)
    return store


def person_keys(store, name):
    return {e.key for e in store.find_entities(name, "PER")}


def test_merge_moves_every_row_and_alias(kb):
    a, b = resolve_one(kb, "Алмаз Токаев"), resolve_one(kb, "Алмас Токаев")
    assert a != b
    before = kb.get_entity(a).mentions + kb.get_entity(b).mentions
    merge_entities(kb, a, b)
    assert kb.get_entity(a) is None
    merged = kb.get_entity(b)
    assert merged.documents == 2 and merged.mentions == before
    assert resolve_one(kb, "Алмаз Токаев") == b       # the moved alias resolves to the survivor
    rows = [r for r in kb.iter_rows("mentions") if r["entity_key"] == a]
    assert rows == []


def test_split_moves_only_the_documents_with_that_alias(kb):
    key = resolve_one(kb, "Пётр Ли")
    new_key, moved = split_entity(kb, key, "Пётр Ли", "Пётр Ли (экономист)")
    assert moved == 1
    assert kb.get_entity(new_key).documents == 1
    assert resolve_one(kb, "Пётр Ли") == new_key


def test_merge_refuses_different_types(kb):
    person = resolve_one(kb, "Алмас Токаев")
    place = next(e.key for e in kb.find_entities("Берлин"))
    with pytest.raises(CurationError, match="cannot merge"):
        merge_entities(kb, person, place)


def test_alias_file_applies_once(kb, tmp_path):
    target = resolve_one(kb, "Алмас Токаев")
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("merge:\n  - into: Алмас Токаев\n    names: [Алмаз Токаев, Неизвестный Человек]\n",
                       encoding="utf-8")
    report = apply_alias_file(kb, aliases)
    assert report.unresolved == ["Неизвестный Человек"]
    assert person_keys(kb, "Алмаз Токаев") == {target}
    again = apply_alias_file(kb, aliases)
    assert again.merged == [] and again.split == []


def test_cli_reports_unknown_names(tmp_path, capsys):
    from sarap.cli import main

    db = str(tmp_path / "kb.db")
    assert main(["entities", "--db", db, "merge", "Никто Никакой", "Алмас Токаев"]) == 2
    assert "no store at" in capsys.readouterr().err          # nothing ingested there yet
    from sarap.store import open_store
    open_store(db).close()
    assert main(["entities", "--db", db, "merge", "Никто Никакой", "Алмас Токаев"]) == 2
    assert "no entity is known" in capsys.readouterr().err
