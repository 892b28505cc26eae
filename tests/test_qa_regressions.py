"""Regressions found by following README.md as a new user would (fictional people and outlets)."""
from __future__ import annotations

from sarap.ingest import ingest


def test_role_references_do_not_merge_two_heads_of_state(analyzer, tmp_path):
    # "Глава государства" names a different president in each text; as a knowledge-base alias it used to
    # fold the second president into the first.
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Президент Озерии Глеб Старков прибыл в Тбилиси. "
                                  "Глава государства провёл переговоры с премьером.", encoding="utf-8")
    (folder / "b.txt").write_text("Президент Армении Левон Аганесян прибыл в Берлин. "
                                  "Глава государства провёл переговоры с канцлером.", encoding="utf-8")
    from sarap.store import open_store

    store = open_store(str(tmp_path / "kb.db"))
    try:
        ingest([str(folder)], store=store, analyzer=analyzer)
        assert [e.name for e in store.find_entities("Левон Аганесян")] == ["Левон Аганесян"]
        assert [e.name for e in store.find_entities("Старков")] == ["Глеб Старков"]
        assert store.find_entities("глава государства") == []
    finally:
        store.close()
