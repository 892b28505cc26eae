"""Readers: each container format yields one record per article and rejects bad items one by one."""
from __future__ import annotations

import io
import json

import pytest

from sarap.inputs import Rejected
from sarap.readers import ReaderOptions, Record, detect_format, expand_paths, iter_records, read_data

# Fictional articles (people, places and outlets are invented).
ARTICLE = ("Губернатор Озёрной области Пётр Самойлов открыл новый мост через реку Сурму. "
           "По его словам, строительство обошлось в два миллиарда рублей и заняло три года.")
ARTICLE_2 = ("Депутаты Приозёрского городского совета утвердили бюджет на следующий год. "
             "Расходы на образование вырастут на десять процентов, сообщил председатель совета.")
HTML = f"<html><head><title>Мост открыт</title></head><body><article><h1>Мост открыт</h1><p>{ARTICLE}</p>" \
       f"<p>{ARTICLE_2}</p></article></body></html>"


def read(data: bytes, path: str, **fields) -> list[Record | Rejected]:
    options = ReaderOptions()
    options.fields.update(fields)
    return list(read_data(data, path, options))


def test_jsonl_rejects_bad_lines_one_by_one():
    lines = [json.dumps({"text": ARTICLE, "title": "Мост", "published": "2025-10-17T08:00:00+05:00",
                         "source": "Вестник Приречья", "url": "https://example.org/most"}, ensure_ascii=False),
             "{not json", json.dumps({"title": "без текста"}), "", json.dumps([1, 2]),
             json.dumps({"text": ARTICLE_2}, ensure_ascii=False)]
    got = read("\n".join(lines).encode(), "news.jsonl")
    assert [type(g).__name__ for g in got] == ["Record", "Rejected", "Rejected", "Rejected", "Record"]
    first = got[0]
    assert (first.title, first.published, first.source, first.url) == (
        "Мост", "2025-10-17", "Вестник Приречья", "https://example.org/most")
    assert [g.path for g in got] == ["news.jsonl:1", "news.jsonl:2", "news.jsonl:3", "news.jsonl:5", "news.jsonl:6"]
    assert got[1].reason.startswith("invalid JSON")
    assert "no text in field 'text'" in got[2].reason


def test_json_field_names_are_configurable():
    data = json.dumps({"items": [{"body": ARTICLE, "headline": "Мост", "date": "17.10.2025"},
                                 {"body": ARTICLE_2, "headline": "Бюджет", "date": "2025-10-18"}]},
                      ensure_ascii=False).encode()
    got = read(data, "export.json", text="body", title="headline", published="date")
    assert [(g.title, g.published) for g in got] == [("Мост", None), ("Бюджет", "2025-10-18")]
    assert [g.path for g in got] == ["export.json[0]", "export.json[1]"]


def test_broken_json_file_is_one_rejection():
    [got] = read(b'[{"text": "\xd0\x9c', "broken.json")
    assert isinstance(got, Rejected) and got.reason.startswith("invalid JSON")


RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Вестник Приречья</title>
<item><title>Мост открыт</title><link>https://example.org/1</link>
<pubDate>Fri, 17 Oct 2025 09:00:00 +0500</pubDate><description>&lt;p&gt;{ARTICLE}&lt;/p&gt;</description></item>
<item><title>Пустая</title><link>https://example.org/2</link></item>
<item><title>Бюджет</title><link>https://example.org/3</link><description>{ARTICLE_2}</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Озёрная правда</title>
<entry><title>Бюджет</title><link href="https://example.org/a"/><updated>2025-10-18T10:00:00Z</updated>
<content type="html">&lt;p&gt;{ARTICLE_2}&lt;/p&gt;&lt;p&gt;Второй абзац.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_with_dates_links_and_one_empty_entry_rejected():
    got = read(RSS.encode(), "feed.rss")
    assert [type(g).__name__ for g in got] == ["Record", "Rejected", "Record"]
    assert (got[0].title, got[0].published, got[0].url, got[0].source) == (
        "Мост открыт", "2025-10-17", "https://example.org/1", "Вестник Приречья")
    assert got[0].text == ARTICLE
    assert got[1].path == "feed.rss#entry2"


def test_atom_content_keeps_paragraphs():
    [got] = read(ATOM.encode(), "feed.xml")
    assert got.text == ARTICLE_2 + "\nВторой абзац."
    assert (got.published, got.url, got.source) == ("2025-10-18", "https://example.org/a", "Озёрная правда")


def test_malformed_feed_is_rejected():
    [got] = read(b"<rss><channel><item><title>", "bad.rss")
    assert isinstance(got, Rejected)


def write_warc(records: list[tuple[str, str, bytes]], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, content_type, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return out.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses(gz):
    data = write_warc([("https://example.org/most", "text/html; charset=utf-8", HTML.encode()),
                       ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n"),
                       ("https://example.org/empty", "text/html", b"<html><body></body></html>")], gz)
    got = read(data, "crawl.warc.gz" if gz else "crawl.warc")
    assert [type(g).__name__ for g in got] == ["Record", "Rejected"]
    assert got[0].url == "https://example.org/most"
    assert ARTICLE in got[0].text
    assert "@" in got[1].path


def test_warc_broken_after_a_good_record_keeps_the_good_one():
    data = write_warc([("https://example.org/most", "text/html", HTML.encode())], gz=False)
    got = read(data + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntruncated", "cut.warc")
    assert isinstance(got[0], Record) and isinstance(got[-1], Rejected)
    assert got[-1].reason.startswith("malformed WARC")


def test_plain_text_in_cp1251():
    [got] = read(ARTICLE.encode("cp1251"), "old.txt")
    assert got.text.startswith("Губернатор Озёрной области")
    assert any("cp1251" in note for note in got.notes)


@pytest.mark.parametrize("name, head, fmt", [
    ("a.txt", b"text", "text"), ("a.HTM", b"<p>", "html"), ("a.ndjson", b"{}", "jsonl"),
    ("a.atom", b"<feed", "feed"), ("a.warc.gz", b"\x1f\x8b", "warc"), ("-", b'{"text": 1}\n{"text": 2}', "jsonl"),
    ("-", b'[{"text": 1}]', "json"), ("-", b"<?xml version='1.0'?><rss>", "feed"), ("-", b"WARC/1.0", "warc"),
    ("noext", "Просто текст".encode(), "text"),
])
def test_detect_format(name, head, fmt):
    assert detect_format(name, head) == fmt


def test_directories_are_walked_recursively_with_sidecar_metadata(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a" / "b" / "one.txt.meta.json").write_text(
        json.dumps({"title": "Мост", "source": "Вестник Приречья", "published": "2025-10-17"}), encoding="utf-8")
    (tmp_path / "two.html").write_text(HTML, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE_2, encoding="utf-8")
    assert [p.replace(str(tmp_path), "") for p in expand_paths([str(tmp_path)])] == ["/a/b/one.txt", "/two.html"]
    got = list(iter_records([str(tmp_path)]))
    assert (got[0].title, got[0].source, got[0].published) == ("Мост", "Вестник Приречья", "2025-10-17")
    assert got[1].title == "Мост открыт"


def test_html_page_names_its_outlet():
    # Regression: `sarap analyze` took the outlet from og:site_name but `sarap ingest` dropped it.
    page = HTML.replace("<title>", '<meta property="og:site_name" content="Озёрная правда"><title>')
    [got] = read(page.encode(), "page.html")
    assert got.source == "Озёрная правда"
