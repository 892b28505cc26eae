"""Files to records: text, HTML, JSON/JSONL, RSS/Atom feeds, WARC archives and stdin.

Every input yields ``Record``s or ``Rejected``s, one per article: a malformed line, feed entry or
WARC record is rejected on its own and the rest of the file is still read.  Decoding and HTML
extraction are sarap.inputs' job; this module only finds the articles inside containers.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .inputs import InputText, Rejected, read_bytes, read_text
from .settings import Settings

JSON_FIELDS = ("text", "title", "published", "source", "url")
_SUFFIX_FORMATS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html",
                   ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".rss": "feed", ".atom": "feed",
                   ".xml": "feed", ".warc": "warc"}


@dataclass(slots=True)
class Record:
    """One article found in an input, with what the input said about it."""
    text: str
    path: str                      # file, file:line, file#entry3, file@warc-offset, or "-"
    title: str | None = None
    published: str | None = None   # YYYY-MM-DD when the input gave a readable date
    author: str | None = None
    url: str | None = None
    source: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReaderOptions:
    """How to read inputs: JSON field names (ours -> the file's) and the size limit from settings."""
    fields: dict[str, str] = field(default_factory=lambda: {name: name for name in JSON_FIELDS})
    settings: Settings = field(default_factory=Settings)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files named, and every file under directories named (recursively, sorted, hidden ones skipped)."""
    for raw in paths:
        path = Path(raw)
        if raw == "-" or not path.is_dir():
            yield raw
            continue
        for child in sorted(path.rglob("*")):
            parts = child.relative_to(path).parts
            if (child.is_file() and not any(p.startswith(".") for p in parts) and not is_sidecar(child)
                    and not is_folder_notes(child)):
                yield str(child)


def is_folder_notes(path: Path) -> bool:
    """README/LICENSE/CHANGELOG files describe a corpus folder (examples/ has one); they are not articles.
    Named explicitly on the command line they are still read."""
    return path.name.split(".")[0].upper() in _FOLDER_NOTES


_FOLDER_NOTES = {"README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING"}


def is_sidecar(path: Path) -> bool:
    """``NAME.meta.json`` beside ``NAME`` holds metadata for it, not an article."""
    return path.name.endswith(".meta.json") and path.with_name(path.name[:-len(".meta.json")]).exists()


def read_sidecar(path: str) -> dict[str, str]:
    """Title, source, published and url from ``PATH.meta.json``, if there is one and it is valid."""
    sidecar = Path(path + ".meta.json")
    if path == "-" or not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    meta = {k: str(data[k]) for k in ("title", "source", "url") if data.get(k)}
    if normalize_date(data.get("published")):
        meta["published"] = normalize_date(data.get("published"))
    return meta


def iter_records(paths: Iterable[str], options: ReaderOptions | None = None) -> Iterator[Record | Rejected]:
    """Every article in ``paths`` (files, directories, or "-" for stdin), in order."""
    options = options or ReaderOptions()
    for path in expand_paths(paths):
        yield from read_path(path, options)


def read_path(path: str, options: ReaderOptions) -> Iterator[Record | Rejected]:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            yield Rejected(f"cannot read file: {exc.strerror or exc}", path)
            return
    meta = read_sidecar(path)
    for item in read_data(data, path, options):
        if isinstance(item, Record):
            for name, value in meta.items():
                setattr(item, name, value)
        yield item


def read_data(data: bytes, path: str, options: ReaderOptions) -> Iterator[Record | Rejected]:
    """Records from the bytes of one input, dispatched on its suffix or, failing that, its content."""
    fmt = detect_format(path, data)
    readers = {"jsonl": read_jsonl, "json": read_json, "feed": read_feed, "warc": read_warc}
    if fmt in readers:
        yield from readers[fmt](data, path, options)
    else:
        yield to_record(read_bytes(data, options.settings, name=path), path)


def detect_format(path: str, data: bytes) -> str:
    name = path.lower()
    if name.endswith(".warc.gz"):
        return "warc"
    fmt = _SUFFIX_FORMATS.get(Path(name).suffix)
    if fmt:
        return fmt
    head = data[:2048].lstrip()
    if head.startswith(b"WARC/") or head.startswith(b"\x1f\x8b"):
        return "warc"
    if head.startswith(b"{") or head.startswith(b"["):
        return "jsonl" if head.startswith(b"{") and b"\n{" in data[:200_000] else "json"
    if b"<rss" in head or b"<feed" in head or b"<rdf:RDF" in head:
        return "feed"
    return "text"


def to_record(got: InputText | Rejected, path: str, **meta) -> Record | Rejected:
    """Our record from what sarap.inputs extracted, metadata from the container winning when given."""
    if isinstance(got, Rejected):
        got.path = got.path or path
        return got
    values = {"title": got.title, "published": normalize_date(got.published), "author": got.author,
              "url": got.url, "source": got.source}
    values.update({k: v for k, v in meta.items() if v})
    return Record(text=got.text, path=path, notes=list(got.notes), **values)


def normalize_date(value) -> str | None:
    """YYYY-MM-DD from an ISO date/datetime or an RFC 822 date (feeds), else None."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def read_jsonl(data: bytes, path: str, options: ReaderOptions) -> Iterator[Record | Rejected]:
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(f"invalid JSON: {exc.msg} at column {exc.colno}", where)
            continue
        yield record_from_json(item, where, options)


def read_json(data: bytes, path: str, options: ReaderOptions) -> Iterator[Record | Rejected]:
    try:
        value = json.loads(data.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        yield Rejected(f"invalid JSON: {exc.msg} at line {exc.lineno}", path)
        return
    if isinstance(value, dict):
        # A single article, or a wrapper such as {"items": [...]} as many exporters write.
        lists = [v for v in value.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        items = lists[0] if options.fields["text"] not in value and len(lists) == 1 else [value]
        name = path if items == [value] else None
    else:
        items, name = (value if isinstance(value, list) else [value]), None
    for number, item in enumerate(items):
        yield record_from_json(item, name or f"{path}[{number}]", options)


def record_from_json(item, where: str, options: ReaderOptions) -> Record | Rejected:
    if not isinstance(item, dict):
        return Rejected(f"JSON item is a {type(item).__name__}, not an object", where)
    f = options.fields
    text = item.get(f["text"])
    if not isinstance(text, str) or not text.strip():
        return Rejected(f"JSON item has no text in field {f['text']!r}", where)
    if len(text.encode("utf-8")) > options.settings.max_input_bytes:
        return Rejected(f"text is over the limit of {options.settings.max_input_bytes:,} bytes "
                        "(setting max_input_bytes)", where)
    meta = {name: _as_str(item.get(f[name])) for name in ("title", "source", "url")}
    published = _as_str(item.get(f["published"]))
    got = read_text(text, options.settings, name=where)
    return to_record(got, where, published=normalize_date(published), **meta)


def _as_str(value) -> str | None:
    return str(value) if value not in (None, "") else None


def read_feed(data: bytes, path: str, options: ReaderOptions) -> Iterator[Record | Rejected]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f"malformed feed: {feed.bozo_exception}" if feed.bozo else "feed has no entries"
        yield Rejected(reason, path)
        return
    source = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, 1):
        yield record_from_entry(entry, f"{path}#entry{number}", source)


def record_from_entry(entry, where: str, source: str | None) -> Record | Rejected:
    contents = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    text = html_fragment_text(contents[0] or "")
    if not text.strip():
        return Rejected("feed entry has no content or summary", where)
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    published = dt.date(*parsed[:3]).isoformat() if parsed else normalize_date(entry.get("published"))
    return Record(text=text, path=where, title=entry.get("title"), published=published,
                  author=entry.get("author"), url=entry.get("link"), source=source)


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one line per block element."""
    if "<" not in fragment:
        return fragment
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for element in root.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote"):
        element.tail = "\n" + (element.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())


def read_warc(data: bytes, path: str, options: ReaderOptions) -> Iterator[Record | Rejected]:
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(io.BytesIO(data))
    iterator = iter(records)
    while True:
        try:
            record = next(iterator)
            if record.rec_type != "response":
                continue
            content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if "html" not in content_type.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            payload = record.content_stream().read()
            offset = records.get_record_offset()  # after reading: asking first skips the payload
        except StopIteration:
            return
        except Exception as exc:  # warcio raises many types; a broken archive stops here, recorded
            yield Rejected(f"malformed WARC: {type(exc).__name__}: {exc}", path)
            return
        where = f"{path}@{offset}"
        yield to_record(read_bytes(payload, options.settings, name=where), where, url=url)
