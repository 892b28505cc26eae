"""The web workbench in real headless Chromium (Debian's, driven by Playwright): search → document →
highlighted entity → entity page → the graph renders; and untrusted payloads never execute.

Screenshots of each page go to test-output/browser/.  Skips when Chromium is absent, except where
SARAP_REQUIRE_SERVICES=1 (CI), where that is a failure.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from test_web import payload_document, web_corpus, fill_store

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "test-output" / "browser"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium():
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is absent (apt-get install -y chromium; .ci/services.sh installs it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is missing (pip install -e '.[test]')"
    if reason and os.environ.get("SARAP_REQUIRE_SERVICES") == "1":
        pytest.fail(f"browser tests are mandatory here (SARAP_REQUIRE_SERVICES=1): {reason}")
    if reason:
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    import uvicorn

    from sarap.store import open_store
    from sarap.web.app import create_app

    path = str(tmp_path_factory.mktemp("browser") / "browser.db")
    store = open_store(path)
    fill_store(store, web_corpus())
    store.close()
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(path, token="browser-token"), host="127.0.0.1", port=port,
                                       log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_document_entity_graph(server, page):
    page.goto(f"{server}/search")
    page.fill("form.search input[name=q]", "решение")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("li.hit mark")
    assert page.inner_text("li.hit mark") == "решений"       # the query's inflection found
    shot(page, "1-search")

    page.fill("form.search input[name=q]", "Озёрск")
    page.click("form.search button[type=submit]")
    page.click("li.hit a.hit-title >> text=Сомов в Озёрске")
    page.wait_for_selector("#doc-text a.ent-PER")
    person = page.locator("#doc-text a.ent-PER").first
    assert person.inner_text() == "Иван Сомов"
    colour = person.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")   # highlighted by type
    page.click("aside .item >> text=Бюджет будет сбалансирован")
    page.wait_for_selector("#doc-text .flash")
    assert "Бюджет будет сбалансирован" in " ".join(page.locator("#doc-text .flash").all_inner_texts())
    shot(page, "2-document")

    person.click()
    page.wait_for_selector("h1 >> text=Иван Сомов")
    page.wait_for_selector("#graph svg g.node", timeout=10_000)
    assert page.locator("#graph svg g.node").count() == 4     # Сомов and his three co-mentioned entities
    assert page.locator("#graph svg line.main").count() == 3      # to the centre
    assert page.locator("#graph svg line.minor").count() == 3     # between neighbours named together
    shot(page, "3-entity")

    page.locator("#graph svg g.node:not(.center)").first.click()   # a node opens its own profile
    page.wait_for_url("**/entities/**")
    assert "Иван Сомов" not in page.inner_text("h1")


def test_interview_and_other_pages(server, page):
    page.goto(f"{server}/search?kind=interview")
    page.click("li.hit a.hit-title")
    page.wait_for_selector(".block-answer .speaker")
    assert page.text_content(".block-answer .speaker") == "Анна Лесная"
    shot(page, "4-interview")
    for name, path in (("5-stats", "/stats"), ("6-timeline", "/events"), ("7-entities", "/entities"),
                       ("8-compare", "/compare?a=Вестник Степи&b=Голос долины"), ("9-rejected", "/rejected"),
                       ("11-threads", "/threads"), ("12-narratives", "/narratives?min_sources=1")):
        page.goto(server + path)
        assert page.locator("main h1").count() == 1
        shot(page, name)
    page.goto(f"{server}/stats")
    assert page.locator(".chart svg rect").count() >= 2


def test_payloads_never_execute(server, page):
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    doc_id = payload_document().id
    for path in (f"/documents/{doc_id}", "/search?q=Кукушкин", "/search", "/stats", "/rejected", "/entities",
                 "/entities?name=Кукушкин"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        for element in page.locator("main a, main span.ent").all()[:40]:
            element.hover()                                   # mouseover handlers would fire here
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.evaluate("document.querySelectorAll('main script, main img, main b[onmouseover]').length") == 0
    assert page.dialogs == []
    page.goto(f"{server}/documents/{doc_id}")
    assert page.inner_text("h1") == payload_document().title    # shown as text, not run
    assert page.locator("a[href^='javascript:']").count() == 0
    shot(page, "10-payloads")
    assert blocked == []   # nothing even tried to run inline: the payloads are plain text


def test_ingested_payloads_never_execute(server, page):
    """The same payloads through the real write path: POST /api/ingest/documents (with the token), analysed,
    stored, then every page that shows the document."""
    import httpx

    text = ('Мэр Заречного <img src=x onerror="window.__pwned = 9"> Игорь Ветров заявил: «Мост откроем в мае». '
            '<script>window.__pwned = 10</script> Подробнее: <a href="javascript:window.__pwned = 11">здесь</a>.')
    body = [{"text": text, "title": '<svg onload="window.__pwned = 12">Мост</svg>',
             "source": '"><script>window.__pwned = 13</script>', "url": "javascript:window.__pwned = 14",
             "published": "2025-04-01"}]
    response = httpx.post(f"{server}/api/ingest/documents", json=body, headers={"X-Sarap-Token": "browser-token"},
                          timeout=300)
    assert response.json()["ingested"] == 1
    hits = httpx.get(f"{server}/api/search", params={"q": "мост Ветров"}).json()["hits"]
    doc_id = next(h["id"] for h in hits if h["published"] == "2025-04-01")
    for path in (f"/documents/{doc_id}", "/search?q=мост", "/stats", "/search?source=%22%3E%3Cscript%3Ewindow"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        for element in page.locator("main a, main span.ent").all()[:40]:
            element.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.evaluate("document.querySelectorAll('main script, main img, main svg[onload]').length") == 0
    assert page.dialogs == []
    page.goto(f"{server}/documents/{doc_id}")
    assert page.inner_text("h1") == body[0]["title"]
    shot(page, "13-ingested-payloads")
