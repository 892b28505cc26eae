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


def test_batch_reads_sidecar_metadata_like_ingest(tmp_path):
    # `sarap batch` used to read NAME.meta.json as an article (rejected: no text) and drop its metadata,
    # so `sarap load` built a different knowledge base from `sarap ingest` of the same folder.
    import json

    from sarap.batch import BatchOptions, iter_local_records

    (tmp_path / "bridge.txt").write_text("Мэр Покровска Андрей Зимин открыл новый мост.", encoding="utf-8")
    (tmp_path / "bridge.txt.meta.json").write_text(json.dumps(
        {"title": "Мост открыт", "source": "Покровский вестник", "published": "2025-10-01"}), encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("Черновик заметки о мосте.", encoding="utf-8")
    records = list(iter_local_records(str(tmp_path), BatchOptions()))
    assert [(r["title"], r["source"], r["published"]) for r in records] == [
        ("Мост открыт", "Покровский вестник", "2025-10-01")]


def test_past_weekday_named_on_that_weekday_is_the_publication_day(analyzer):
    # Published on Monday 2025-09-15: "в понедельник объявила" is that day, not 2025-09-08 (the sample
    # article_elections.html put the results a week before the election); "в минувший понедельник" is.
    doc = analyzer("Комиссия в понедельник объявила итоги выборов, которые прошли в минувшее воскресенье.",
                   published="2025-09-15")
    assert [d.value for d in doc.dates] == ["2025-09-15", "2025-09-14"]
    doc = analyzer("Комиссия в минувший понедельник объявила итоги.", published="2025-09-15")
    assert [d.value for d in doc.dates] == ["2025-09-08"]


def test_reading_a_store_that_does_not_exist_is_refused(tmp_path, monkeypatch):
    # A mistyped --db (or `sarap search` before any ingest) used to create an empty store and answer
    # "No documents match", leaving a stray file behind.
    from sarap.cli import main

    monkeypatch.chdir(tmp_path)
    for argv in (["search", "мост"], ["rejected"], ["timeline"], ["stances"], ["threads"], ["stats"],
                 ["entity", "Токаев"], ["serve", "--db", "typo.db"],
                 ["export", "--format", "csv", "--out", "x", "--db", "typo.db"]):
        assert main(argv) == 2, argv
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_statement_that_happened_is_not_dated_after_publication(analyzer):
    # "заявила, что бюджет на следующий год вырастет" was a statement dated 2026 on a timeline of 2025 news.
    doc = analyzer("Депутат Анна Крылова заявила, что бюджет города на следующий год вырастет на десять "
                   "процентов.", published="2025-10-02")
    [event] = [e for e in doc.events if e.type == "statement"]
    assert (event.status, event.date) == ("happened", None)
    doc = analyzer("Министр Игорь Волков посетил Берлин 20 октября.", published="2025-11-12")
    assert [(e.type, e.date.value) for e in doc.events] == [("visit", "2025-10-20")]


def test_impossible_dates_are_refused_by_timeline_and_narratives(tmp_path):
    # `sarap timeline --since 2025-13-01` answered with an unfiltered timeline; narratives with nothing.
    from sarap.cli import main
    from sarap.store import open_store

    db = str(tmp_path / "kb.db")
    open_store(db).close()
    for argv in (["timeline", "--since", "2025-13-01"], ["timeline", "--until", "2025-02-30"],
                 ["narratives", "--since", "2025-13-01"], ["threads", "--since", "2025-1-1"]):
        assert main([*argv, "--db", db]) == 2, argv
    assert main(["timeline", "--since", "2024-02-29", "--db", db]) == 0


def test_analyze_reads_the_sidecar_beside_the_file(tmp_path, capsys):
    # make demo and sarap ingest use NAME.meta.json; `sarap analyze NAME` ignored it, so the README's
    # sample left "в минувший четверг" unresolved.
    import json

    from sarap.cli import main

    path = tmp_path / "bridge.txt"
    path.write_text("Мэр Покровска Андрей Зимин в минувший четверг открыл новый мост.", encoding="utf-8")
    (tmp_path / "bridge.txt.meta.json").write_text(json.dumps(
        {"title": "Мост открыт", "source": "Покровский вестник", "published": "2025-10-17"}), encoding="utf-8")
    assert main(["analyze", str(path), "--source", "Другая газета"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["title"], doc["source"], doc["published"]) == ("Мост открыт", "Другая газета", "2025-10-17")
    assert [d["value"] for d in doc["dates"]] == ["2025-10-16"]       # Friday 17th: the Thursday before


def test_untitled_search_hit_shows_its_file_name(capsys):
    # Plain-text files have no title; every such hit used to read "(untitled) — ?, ?".
    from sarap.cli.search import print_hits

    print_hits([{"id": "b6bb", "title": None, "source": None, "published": None, "path": "/corpus/000_call.txt",
                 "reprint_of": None, "score": 1.0, "snippet": "…**переговоров**…"}])
    assert "1. (untitled: 000_call.txt) — no source, no date" in capsys.readouterr().out


def test_broken_alias_file_is_one_line(tmp_path, capsys):
    from sarap.cli import main
    from sarap.store import open_store

    db, aliases = str(tmp_path / "kb.db"), tmp_path / "aliases.yaml"
    open_store(db).close()
    aliases.write_text("merge: [\n", encoding="utf-8")
    assert main(["entities", "--db", db, "apply-aliases", str(aliases)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sarap entities: cannot read alias file") and err.count("\n") == 1


def test_a_folder_readme_is_not_ingested_as_an_article(tmp_path):
    # `sarap ingest examples/` stored examples/README.md as a tenth "article", which then formed narratives.
    from sarap.readers import expand_paths

    (tmp_path / "README.md").write_text("# Sample articles", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("MIT", encoding="utf-8")
    (tmp_path / "notes.md").write_text("Мэр открыл мост.", encoding="utf-8")
    assert [p.rsplit("/", 1)[-1] for p in expand_paths([str(tmp_path)])] == ["notes.md"]
    assert list(expand_paths([str(tmp_path / "README.md")])) == [str(tmp_path / "README.md")]


def test_search_refuses_an_unknown_kind():
    # `--kind interviews` (a plural) used to answer "no documents match".
    import pytest

    from sarap.cli import build_parser

    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["search", "переговоры", "--kind", "interviews"])
    assert exit_.value.code == 2
    assert build_parser().parse_args(["search", "x", "--kind", "interview"]).kind == "interview"


def test_entities_takes_db_after_the_action_too():
    # `sarap entities merge A B --db X` failed with "unrecognized arguments: --db" (every other command
    # takes --db at the end).
    from sarap.cli import build_parser

    parse = build_parser().parse_args
    assert parse(["entities", "merge", "A", "B", "--db", "x.db"]).db == "x.db"
    assert parse(["entities", "--db", "y.db", "merge", "A", "B"]).db == "y.db"
    assert parse(["entities", "apply-aliases", "f.yaml"]).db is None


def test_percentage_points_are_not_percent(analyzer):
    # The sample election report's "на 9 процентных пунктов выше" came out as 9 %.
    doc = analyzer("Явка составила 41,3%, что почти на 9 процентных пунктов выше, чем на прошлых выборах, "
                   "а расходы выросли на 5 процентов.")
    assert [(a.value, a.unit) for a in doc.amounts] == [(41.3, "%"), (9, "процентный пункт"), (5, "%")]
