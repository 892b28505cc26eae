"""Search: the query language, Russian morphology, ranking and snippets — on SQLite and PostgreSQL alike."""
from __future__ import annotations

import hashlib
import os

import pytest

from sarap.dedup import text_hash
from sarap.ingest import build_stored
from sarap.model import Document
from sarap.search import (And, Not, Phrase, QueryError, Term, make_snippet, parse_query, positive_lemmas,
                          to_fts5, word_lemmas)
from sarap.store import DocumentFilter

# Fictional news lines; the expected matches below were read off these texts by hand.
TEXTS = {
    "talks": "Президент Вымышляндии провёл переговоры с премьер-министром Озёрии в Приозёрске.",
    "results": "Итоги переговоров обсудили эксперты, но о переговорах в марте никто не говорил.",
    "economy": "Эксперты обсудили экономику и торговлю двух стран.",
    "person": "Встреча с Айдаром Сапаровым прошла в Приозёрске. Сапаров был краток.",
    "many": "Переговоры, переговоры и ещё раз переговоры: о переговорах говорили весь день.",
}


@pytest.fixture
def filled(store):
    return fill(store)


def fill(store):
    for n, (name, text) in enumerate(TEXTS.items()):
        doc = Document(text=text, title=name, source="Озёрная правда" if name == "economy" else "Вестник Степи",
                       published=f"2025-0{n + 1}-15")
        store.add_document(build_stored(doc, text_hash(text), [], path=name, ingested_at="2026-01-01"))
    return store


def titles(hits) -> set[str]:
    return {h.row.title for h in hits}


EXPECTED = [
    ("переговоры", {"talks", "results", "many"}),
    ("переговорах", {"talks", "results", "many"}),    # another case of the same word
    ("переговоров", {"talks", "results", "many"}),
    ("эксперт", {"results", "economy"}),
    ("Сапаров", {"person"}),                           # the text has "Сапаровым" and "Сапаров"
    ("Сапарова", {"person"}),
    ('"провёл переговоры"', {"talks"}),
    ('"провести переговоры"', {"talks"}),              # a phrase matches inflected words in order
    ('"переговоры провёл"', set()),                    # ... and not out of order
    ("эксперты AND NOT переговоры", {"economy"}),
    ("эксперты -переговоры", {"results"}),             # "-" is not an operator: both words are required
    ("экономика OR Приозёрск", {"economy", "talks", "person"}),
    ("(экономика OR Сапаров) Приозёрск", {"person"}),
    ("приозерск", {"talks", "person"}),                # ё written as е
    ("Вашингтон", set()),
]


@pytest.mark.parametrize("query, expected", EXPECTED)
def test_search_finds_inflected_forms_phrases_and_booleans(filled, query, expected):
    assert titles(filled.search(query)) == expected


def test_ranking_puts_the_document_repeating_the_word_first(filled):
    hits = filled.search("переговоры")
    assert hits[0].row.title == "many"
    assert hits[0].score > hits[-1].score


def test_search_filters(filled):
    assert titles(filled.search("эксперты", DocumentFilter(source="Озёрная правда"))) == {"economy"}
    assert titles(filled.search("переговоры", DocumentFilter(since="2025-02-01", until="2025-02-28"))) == {"results"}
    assert titles(filled.search("переговоры", limit=1)) == {"many"}


@pytest.mark.parametrize("query", ["", "NOT переговоры", "(переговоры", "переговоры)", '""', "AND OR"])
def test_unusable_queries_are_refused(query):
    with pytest.raises(QueryError):
        parse_query(query)


def test_query_tree():
    tree = parse_query('переговорах NOT "Белый дом"')
    assert isinstance(tree, And)
    assert isinstance(tree.nodes[0], Term) and tree.nodes[0].lemmas[0] == "переговоры"
    assert isinstance(tree.nodes[1], Not) and isinstance(tree.nodes[1].node, Phrase)
    assert tree.nodes[1].node.lemmas == ("белый", "дом")
    assert positive_lemmas(tree) >= {"переговоры"} and "дом" not in positive_lemmas(tree)
    assert to_fts5(tree).endswith('NOT lemmas : "белый дом")')


@pytest.mark.parametrize("word, lemma", [
    ("переговорах", "переговоры"), ("Токаева", "токаев"), ("Тоқаев", "токаев"), ("встречи", "встреча"),
    ("заявил", "заявить"),
])
def test_word_lemmas_include_the_dictionary_form(word, lemma):
    assert lemma in word_lemmas(word)


def test_snippet_marks_the_original_words():
    text = "Вчера в столице начались переговоры. " + "Слово " * 60 + "Итоги переговоров подведут завтра."
    snippet = make_snippet(text, positive_lemmas(parse_query("переговоры")))
    assert "**переговоры**" in snippet.text
    assert [text[s:e] for s, e in snippet.hits] == ["переговоры"]    # the second is outside the passage
    assert not snippet.text.startswith("…")
    assert snippet.text.endswith("…")
    later = make_snippet("Слово " * 100 + "Итоги переговоров подведут завтра.", {"переговоры"})
    assert later.text.startswith("…") and "**переговоров**" in later.text


def test_rank_window_scores_only_the_newest_matches(filled):
    # "переговоры" matches talks, results and many (ingested in that order); a window of 2 ranks the last two.
    assert titles(filled.search("переговоры", window=2)) == {"results", "many"}
    assert titles(filled.search("переговоры", DocumentFilter(until="2025-02-28"), window=2)) == {"talks", "results"}


def test_facet_query_narrows_by_kind_source_and_month():
    from sarap.store.postgres import facet_query, months_between

    assert months_between("2024-11-20", "2025-02-01") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months_between("2025-03-01", "2025-03-31") == ["2025-03"]
    assert months_between("вчера", "2025-03-31") is None
    assert months_between("2025-13-01", "2025-03-31") is None
    source = hashlib.md5("Вестник Степи".encode()).hexdigest()
    assert facet_query(DocumentFilter(kind="it's", source="Вестник Степи"), ["2025-03"]) == \
        ["'k:it''s'", f"'s:{source}'", "('m:2025-03' | 'm:?')"]
    assert facet_query(None, None) == []


def test_postgres_gathers_the_newest_matches_bucket_by_bucket(monkeypatch):
    """One document per ingest bucket, a first probe of one bucket and none over three: a search reads the
    newest bucket, then as many as the matches so far suggest, or every older document when that is more
    than three; it finds what one probe over all of them finds."""
    import sarap.store.postgres as pg
    from conftest import require_postgres
    from sarap.store import open_store

    url = require_postgres()
    monkeypatch.setattr(pg, "BUCKET", 1)
    monkeypatch.setattr(pg, "_FIRST_PROBE", 1)
    monkeypatch.setattr(pg, "_MAX_PROBE", 3)
    schema = f"test_buckets_{os.getpid()}"
    store = fill(open_store(url, schema=schema))
    try:
        facets = [r for (r,) in store.conn.execute("SELECT facets::text FROM search_index ORDER BY seq")]
        source = hashlib.md5("Вестник Степи".encode()).hexdigest()
        assert facets[0] == f"'#1' 'k:article' 'm:2025-01' 's:{source}'"     # talks, published 2025-01-15
        assert [f.split()[0] for f in facets] == ["'#1'", "'#2'", "'#3'", "'#4'", "'#5'"]
        for query, expected in EXPECTED:
            assert titles(store.search(query)) == expected, query
        # talks (seq 1), results (2) and many (5) match: "many" is alone in the newest bucket; one more match
        # needed at one per bucket asks for 3 buckets (4 to 2, where "results" is); two more ask for 4, so
        # every older row is read.
        assert titles(store.search("переговоры", window=2)) == {"results", "many"}
        assert titles(store.search("переговоры", window=3)) == {"talks", "results", "many"}
        assert titles(store.search("переговоры", DocumentFilter(until="2025-02-28"), window=2)) == {"talks", "results"}
        assert titles(store.search('"провести переговоры"', window=1)) == {"talks"}
        # Filters narrow inside the index (kind, source, months) and are then checked exactly.
        assert titles(store.search("эксперт", DocumentFilter(source="Озёрная правда"))) == {"economy"}
        assert titles(store.search("эксперт", DocumentFilter(since="2025-02-01", until="2025-03-31"))) == \
            {"results", "economy"}
        assert titles(store.search("эксперт", DocumentFilter(since="2025-02-16"))) == {"economy"}
        assert titles(store.search("эксперт", DocumentFilter(kind="interview"))) == set()
        # "2025-06" < "2025-06-01": a bare month passes until=2025-05-31 on both backends (string order).
        doc = Document(text="Эксперты подвели итоги.", title="bare", published="2025-06")
        store.add_document(build_stored(doc, text_hash(doc.text), [], path="bare", ingested_at="2026-01-01"))
        assert titles(store.search("эксперт", DocumentFilter(until="2025-05-31"))) == {"results", "economy", "bare"}
        assert titles(store.search("эксперт", DocumentFilter(since="2025-02-01", until="2025-03-31"))) == \
            {"results", "economy"}
        assert titles(store.search("эксперт", DocumentFilter(kind="article", source="Вестник Степи"))) == {"results"}
    finally:
        store.conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        store.close()


@pytest.fixture
def sqlite_path(tmp_path):
    from sarap.store import open_store

    path = str(tmp_path / "cli.db")
    store = open_store(path)
    for name, text in TEXTS.items():
        doc = Document(text=text, title=name, source="Вестник Степи", published="2025-03-01")
        store.add_document(build_stored(doc, text_hash(text), [], path=name, ingested_at="2026-01-01"))
    store.add_rejected("bad.jsonl:2", "invalid JSON")
    store.close()
    return path


def test_search_command_json(sqlite_path, capsys):
    import json

    from sarap.cli import main

    assert main(["search", "переговорах", "--db", sqlite_path, "--format", "json", "--limit", "2"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["title"] for h in hits] == ["many", "results"]
    assert "**Переговоры**" in hits[0]["snippet"]


def test_search_command_refuses_bad_input(sqlite_path, capsys):
    from sarap.cli import main

    assert main(["search", "NOT переговоры", "--db", sqlite_path]) == 2
    assert main(["search", "переговоры", "--db", sqlite_path, "--since", "March"]) == 2
    assert main(["search", "переговоры", "--db", sqlite_path, "--entity", "Никто Неизвестный"]) == 2
    assert "no entity known" in capsys.readouterr().err


def test_rejected_command(sqlite_path, capsys):
    from sarap.cli import main

    assert main(["rejected", "--db", sqlite_path]) == 0
    assert capsys.readouterr().out.startswith("bad.jsonl:2\tinvalid JSON\t")


QUERIES = ["переговоры", "эксперт", "Сапаров", '"провести переговоры"', "эксперты AND NOT переговоры",
           "экономика OR Приозёрск", "(экономика OR Сапаров) Приозёрск", "приозерск", "встреча OR итог"]


def test_sqlite_and_postgres_give_the_same_results(tmp_path):
    from conftest import require_postgres
    from sarap.store import open_store

    url = require_postgres()
    schema = f"test_same_{os.getpid()}"
    stores = [open_store(str(tmp_path / "same.db")), open_store(url, schema=schema)]
    try:
        for store in stores:
            for name, text in TEXTS.items():
                doc = Document(text=text, title=name, published="2025-03-01")
                store.add_document(build_stored(doc, text_hash(text), [], path=name, ingested_at="2026-01-01"))
        for query in QUERIES:
            sqlite_hits, pg_hits = ([h.row.title for h in s.search(query)] for s in stores)
            assert set(sqlite_hits) == set(pg_hits), query
        # BM25 (with IDF) and ts_rank (without) may order mixed hits differently; a clear case agrees.
        assert [s.search("переговоры")[0].row.title for s in stores] == ["many", "many"]
    finally:
        stores[1].conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        for store in stores:
            store.close()


@pytest.mark.parametrize("query, loose", [
    ('"Белый дом"', "('белый' & 'дом')"),
    ('переговоры NOT "Белый дом"', "(('переговоры'))"),
    ("переговоры NOT дом", "(('переговоры') & !('дом'))"),
])
def test_loose_tsquery_is_a_superset_without_positions(query, loose):
    from sarap.search import to_loose_tsquery

    assert to_loose_tsquery(parse_query(query)) == loose
