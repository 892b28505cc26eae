"""The web app through its HTTP API (FastAPI TestClient): every page and its JSON twin, escaping of
untrusted text, the Content-Security-Policy, the token on writes, and the pure helpers behind the pages.

The corpus is the fictional one of test_views.py, plus an event and a document full of script payloads.
"""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from sarap.model import Document, Entity, Mention
from test_views import TEXT_1, at, corpus

TOKEN = "test-token-1234"
PAYLOAD_TITLE = '<script>window.__pwned = 1</script>Заголовок'
PAYLOAD_SOURCE = '<img src=x onerror="window.__pwned = 2">'
PAYLOAD_URL = "javascript:window.__pwned = 3"
PAYLOAD_TEXT = ('Глава «<b onmouseover=alert(4)>Ромашки</b>» Пётр Кукушкин заявил: <script>alert(5)</script> '
                '<a href="javascript:alert(6)">ссылка</a> <img src=x onerror=alert(7)>.')


def payload_document() -> Document:
    doc = Document(PAYLOAD_TEXT, title=PAYLOAD_TITLE, source=PAYLOAD_SOURCE, url=PAYLOAD_URL,
                   published="2025-03-05")
    name_start = PAYLOAD_TEXT.index("Пётр Кукушкин")
    doc.entities = [Entity("e1", "PER", "Пётр Кукушкин",
                           [Mention(name_start, name_start + len("Пётр Кукушкин"), "Пётр Кукушкин")]),
                    Entity("e2", "ORG", '<b onmouseover=alert(4)>Ромашки</b>',
                           [Mention(*at(PAYLOAD_TEXT, '<b onmouseover=alert(4)>Ромашки</b>'),
                                    '<b onmouseover=alert(4)>Ромашки</b>')])]
    return doc


def web_corpus() -> list[Document]:
    return corpus() + [payload_document()]     # corpus()'s first document carries a meeting event


def fill_store(store, docs: list[Document]) -> None:
    from sarap.dedup import text_hash
    from sarap.ingest import build_stored, link_entities

    for doc in docs:
        store.add_document(build_stored(doc, text_hash(doc.text), link_entities(doc, store.lookup_alias),
                                        ingested_at="2025-03-06T00:00:00+00:00"))
    store.add_rejected("<script>alert(8)</script>.html", "no text left after cleaning")


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    from sarap.store import open_store

    path = str(tmp_path_factory.mktemp("web") / "web.db")
    store = open_store(path)
    fill_store(store, web_corpus())
    store.close()
    return path


@pytest.fixture(scope="module")
def client(db_url):
    from fastapi.testclient import TestClient

    from sarap.web.app import create_app

    with TestClient(create_app(db_url, token=TOKEN)) as test_client:
        yield test_client


SOMOV = "/entities/" + quote("PER:иван сомов", safe="")
PAGES = ["/search", "/search?q=решение", "/entities", "/entities?name=Сомов", SOMOV, "/events", "/stats",
         "/compare?a=Вестник Степи&b=Голос долины", "/rejected", "/threads", "/narratives?min_sources=3"]


@pytest.mark.parametrize("path", PAGES)
def test_page_and_its_json_twin(client, path):
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    twin = client.get("/api" + path)
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    assert f'href="/api{path.split("?")[0]}' in page.text   # each page links its twin


def test_openapi_lists_every_twin(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/search", "/api/documents/{doc_id}", "/api/entities", "/api/entities/{key}", "/api/events",
                 "/api/stats", "/api/compare", "/api/rejected", "/api/threads", "/api/narratives", "/api/ingest",
                 "/api/ingest/documents", "/api/entities/merge", "/api/entities/split"):
        assert path in paths
    assert {p["name"] for p in paths["/api/search"]["get"]["parameters"]} >= {"q", "entity", "source", "since",
                                                                             "until", "kind"}


def test_search_finds_inflected_form(client):
    hits = client.get("/api/search", params={"q": "решение"}).json()["hits"]
    assert [h["title"] for h in hits] == ["Разговор с Анной Лесной"]   # the text says «решений»
    assert "**решений**" in hits[0]["snippet"]
    page = client.get("/search", params={"q": "решение"}).text
    assert "<mark>решений</mark>" in page


@pytest.mark.parametrize("params, titles", [
    ({"q": "Озёрск", "source": "Голос долины"}, ["Разговор с Анной Лесной"]),
    ({"source": "Вестник Степи"}, ["Мост", "Сомов в Озёрске"]),
    ({"kind": "interview"}, ["Разговор с Анной Лесной"]),
    ({"since": "2025-03-02", "until": "2025-03-02"}, ["Разговор с Анной Лесной", "Мост"]),
    ({"entity": "Анна Лесная"}, ["Разговор с Анной Лесной", "Сомов в Озёрске"]),
])
def test_search_filters(client, params, titles):
    hits = client.get("/api/search", params=params).json()["hits"]
    assert sorted(h["title"] for h in hits) == sorted(titles)


def test_search_errors_are_shown_not_raised(client):
    assert "at least one word" in client.get("/api/search", params={"q": "NOT мост"}).json()["error"]
    assert "no entity known" in client.get("/api/search", params={"entity": "Никто"}).json()["error"]
    assert client.get("/api/search", params={"since": "03.02.2025"}).status_code == 422


def test_document_page_highlights_entities_and_links_them(client):
    doc_id = Document(TEXT_1).id
    page = client.get(f"/documents/{doc_id}").text
    assert re.search(r'<a class="ent ent-PER" href="/entities/PER%3A%D0%B8%D0%B2%D0%B0%D0%BD%20%D1%81%D0%BE%D0%BC'
                     r'%D0%BE%D0%B2"[^>]*>Иван Сомов</a>', page)
    assert '<a class="ent ent-LOC"' in page and ">Озёрске</a>" in page
    assert "Бюджет будет сбалансирован" in page and "meeting" in page      # quotes and events beside the text
    data = client.get(f"/api/documents/{doc_id}").json()
    assert data["entity_keys"]["e1"] == "PER:иван сомов" and data["document"]["text"] == TEXT_1


def test_interview_is_a_conversation(client):
    doc_id = corpus()[1].id
    page = client.get(f"/documents/{doc_id}").text
    answer = re.search(r'<div class="block block-answer">\s*<div class="speaker">([^<]*)</div>', page)
    assert answer and answer.group(1) == "Анна Лесная"


def test_entity_page(client):
    data = client.get("/api" + SOMOV).json()
    assert data["name"] == "Иван Сомов" and data["latin"] == "ivan somov"
    assert [c["name"] for c in data["co_mentions"]] == ["Озёрск", "Анна Лесная", "Прибой"]
    assert ["LOC:озерск", "PER:анна лесная", 2] in data["co_mention_pairs"]
    page = client.get(SOMOV).text
    assert f'data-api="/api{SOMOV}"' in page and '<script src="/static/graph.js">' in page
    assert "министр финансов" in page and "Иван Сомов слишком осторожен." in page


def test_timeline(client):
    events = client.get("/api/events").json()["events"]
    assert [(e["day"], e["type"], e["participants"], e["location"]) for e in events] == [
        ("2025-02-28", "meeting", ["Иван Сомов", "Анна Лесная"], "Озёрск")]
    assert client.get("/api/events", params={"since": "2025-03-01"}).json()["events"] == []


def test_stats_and_compare(client):
    stats = client.get("/api/stats").json()
    assert stats["counts"]["documents"] == 4 and stats["counts"]["rejected"] == 1
    assert "<rect" in client.get("/stats").text
    cmp = client.get("/api/compare", params={"a": "Вестник Степи", "b": "Голос долины"}).json()["comparison"]
    assert (cmp["a"]["documents"], cmp["b"]["documents"]) == (2, 1)


def test_narratives_are_the_stored_ones_and_threads_read_the_newest_originals(client):
    from sarap.narrative_store import read_narratives

    narratives = client.get("/api/narratives", params={"min_sources": 1}).json()
    assert narratives["filters"]["min_sources"] == 1
    stored = read_narratives(client.app.state.sarap.store, min_sources=1)
    assert [n["representative"] for n in narratives["narratives"]] == [n.representative for n in stored]
    threads = client.get("/api/threads").json()
    assert threads["documents"] == 4
    for thread in threads["threads"]:
        assert all(member["title"] for member in thread["members"])


def test_unknown_things_are_404(client):
    assert client.get("/api/documents/0000000000000000").status_code == 404
    assert client.get("/documents/0000000000000000").status_code == 404
    assert client.get("/api/entities/" + quote("PER:никто", safe="")).status_code == 404


@pytest.mark.parametrize("path", ["/search", "/documents/" + payload_document().id, "/rejected", "/stats",
                                  "/entities/" + quote("PER:петр кукушкин", safe="")])
def test_untrusted_text_is_escaped(client, path):
    page = client.get(path).text
    assert "<script>" not in page.replace('<script src="/static/', "")
    assert "<img" not in page and "<b " not in page and 'href="javascript:' not in page
    assert not re.search(r"<[^>]+\son\w+=", page)          # no event-handler attribute anywhere


def test_payload_url_is_shown_not_linked(client):
    page = client.get("/documents/" + payload_document().id).text
    assert '<span class="unsafe-url"' in page and "javascript:window.__pwned = 3" in page


def test_security_headers(client):
    response = client.get("/search")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    for path in PAGES:                                      # no inline script to allow
        assert not re.search(r"<script(?![^>]*\ssrc=)", client.get(path).text)


def test_writes_need_the_token(client):
    body = [{"text": "Короткий текст", "title": "t"}]
    assert client.post("/api/ingest/documents", json=body).status_code == 401
    assert client.post("/api/ingest/documents", json=body, headers={"X-Sarap-Token": "wrong"}).status_code == 401
    files = {"files": ("a.txt", "Текст".encode(), "text/plain")}
    assert client.post("/api/ingest", files=files).status_code == 401
    assert client.post("/api/ingest/documents", json=[{"title": "no text"}],
                       headers={"X-Sarap-Token": TOKEN}).status_code == 422


def test_ingest_with_token(analyzer, tmp_path):
    from fastapi.testclient import TestClient

    from sarap.web.app import WebSettings, create_app

    app = create_app(WebSettings(db=str(tmp_path / "w.db"), token=TOKEN, analyzer=analyzer))
    text = "Мэр Белогорска Олег Травин открыл новую школу. «Это важный день для города», — сказал Травин."
    with TestClient(app) as client:
        got = client.post("/api/ingest/documents", headers={"Authorization": f"Bearer {TOKEN}"},
                          json=[{"text": text, "title": "Школа", "source": "Белогорский вестник",
                                 "published": "2025-09-01"}]).json()
        assert got["ingested"] == 1 and got["changed"]
        files = {"files": ("school.txt", text.encode("utf-8"), "text/plain")}
        again = client.post("/api/ingest", files=files, headers={"X-Sarap-Token": TOKEN}).json()
        assert again["ingested"] == 0 and again["exact_duplicates"] == 1
        hits = client.get("/api/search", params={"q": "школа"}).json()["hits"]
        assert [h["title"] for h in hits] == ["Школа"]
        assert client.get("/api/entities", params={"name": "Травин"}).json()["entities"][0]["name"] == "Олег Травин"


def test_merge_and_split_with_token(tmp_path):
    from fastapi.testclient import TestClient

    from sarap.store import open_store
    from sarap.web.app import create_app

    path = str(tmp_path / "curate.db")
    store = open_store(path)
    fill_store(store, web_corpus())
    store.close()
    auth = {"X-Sarap-Token": TOKEN}
    with TestClient(create_app(path, token=TOKEN)) as client:
        body = {"name": "Прибой", "into": "Анна Лесная"}
        assert client.post("/api/entities/merge", json=body).status_code == 401
        assert client.post("/api/entities/merge", json=body, headers=auth).status_code == 409   # ORG into PER
        body = {"name": "Пётр Кукушкин", "into": "Иван Сомов"}
        assert client.post("/api/entities/merge", json=body, headers=auth).json() == {
            "merged": "PER:петр кукушкин", "into": "PER:иван сомов"}
        assert client.get("/api/entities/" + quote("PER:иван сомов", safe="")).json()["documents"] == 3
        split = client.post("/api/entities/split", headers=auth,
                            json={"entity": "PER:иван сомов", "alias": "Пётр Кукушкин", "into": "Пётр Кукушкин"})
        assert split.json() == {"new_key": "PER:петр кукушкин", "documents_moved": 1}
        assert client.get("/api/entities/" + quote("PER:иван сомов", safe="")).json()["documents"] == 2


def test_highlight_cuts_at_item_bounds():
    from sarap.web.highlight import build_blocks

    doc = corpus()[0]
    blocks = build_blocks(doc, {"e1": "PER:иван сомов"})
    assert len(blocks) == 1 and "".join(s.text for s in blocks[0].segments) == TEXT_1
    quote_start, quote_end = at(TEXT_1, "Бюджет будет сбалансирован")
    starts, ends = {s.start for s in blocks[0].segments}, {s.end for s in blocks[0].segments}
    assert quote_start in starts and quote_end in ends
    linked = [(s.text, s.entity_key) for s in blocks[0].segments if s.entity_key]
    assert linked == [("Иван Сомов", "PER:иван сомов"), ("Сомов", "PER:иван сомов")]


def test_highlight_turns():
    from sarap.web.highlight import build_blocks

    doc = corpus()[1]
    blocks = build_blocks(doc, {})
    assert [(b.role, b.speaker) for b in blocks] == [("text", None), ("answer", "Анна Лесная")]
    assert "".join(s.text for b in blocks for s in b.segments) == doc.text


def test_attention_chart_uses_months_for_long_spans():
    from sarap.web.charts import attention_chart

    rows = [("A", f"2025-{m:02d}-{d:02d}", 1) for m in range(1, 7) for d in range(1, 29)]
    chart = attention_chart(rows + [("B", "2025-01-01", 2), (None, None, 5)])
    assert [label["text"] for label in chart["labels"]] == ["2025-01", "2025-04", "2025-06"]
    assert chart["max"] == 30 and {item["source"] for item in chart["legend"]} == {"A", "B"}


def test_serve_refuses_a_bad_port():
    from sarap.cli import main

    assert main(["serve", "--port", "0"]) == 2


@pytest.mark.pg
def test_pages_on_postgres():
    """The same app over a PostgreSQL store (a fresh schema, chosen through the URL's search_path)."""
    import os

    from fastapi.testclient import TestClient

    from conftest import require_postgres
    from sarap.store import open_store
    from sarap.web.app import create_app

    url, schema = require_postgres(), f"test_web_{os.getpid()}"
    store = open_store(url, schema=schema)
    try:
        fill_store(store, web_corpus())
        joiner = "&" if "?" in url else "?"
        with TestClient(create_app(f"{url}{joiner}options=-csearch_path%3D{schema}", token=TOKEN)) as client:
            for path in PAGES:
                assert client.get(path).status_code == 200, path
            hits = client.get("/api/search", params={"q": "решение"}).json()["hits"]
            assert [h["title"] for h in hits] == ["Разговор с Анной Лесной"]
            data = client.get("/api" + SOMOV).json()
            assert [(c["name"], c["documents"]) for c in data["co_mentions"]] == [("Озёрск", 2), ("Анна Лесная", 2),
                                                                                 ("Прибой", 1)]
    finally:
        store.conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        store.close()
