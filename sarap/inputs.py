"""Turning raw bytes from a file or stdin into article text, or a Rejected with a reason.

Every way an input can be unusable ends here as a ``Rejected`` value (never an exception), so the CLI can
print one line and exit 2, and ingest can store and count the reason.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .settings import Settings


@dataclass(slots=True)
class Rejected:
    """An input that cannot be analysed, with a reason a user can act on."""
    reason: str
    path: str | None = None


@dataclass(slots=True)
class InputText:
    """Article text ready for ``analyze``, with metadata found in the input and notes on how it was read."""
    text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None
    source: str | None = None
    notes: list[str] = field(default_factory=list)


_HTML_HINT = re.compile(r"<\s*(html|body|article|div|p|head|!doctype|br|span|meta|title)\b", re.IGNORECASE)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# Cyrillic letters that are frequent in Russian; a correct decoding has many of them.
_RUSSIAN_COMMON = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэф")
# Single-byte Cyrillic encodings tried when UTF-8 fails, most common in Russian-language web archives first.
_CYRILLIC_ENCODINGS = ("cp1251", "koi8-r", "iso8859-5", "mac-cyrillic")
# File signatures of formats people feed by mistake; naming the format makes the refusal actionable.
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (DOCX/XLSX are ZIP too)"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old MS Office document"),
)
# A correct single-byte decoding of Russian text has >= 0.6 of its letters among the common lowercase ones
# (0.75-0.85 on news text); a wrong Cyrillic codepage gives mostly capitals, below 0.3.
_MIN_RUSSIAN_SCORE = 0.3
# Up to one bad byte per thousand characters is a damaged UTF-8 file, not another encoding.
_MAX_BAD_UTF8_SHARE = 0.001


def read_path(path: str | Path, settings: Settings | None = None) -> InputText | Rejected:
    """Read one file; missing files, directories and oversized files are refused before reading."""
    settings = settings or Settings()
    p, name = Path(path), str(path)
    if not p.exists():
        return Rejected(f"no such file: {name}", name)
    if p.is_dir():
        return Rejected(f"{name} is a directory, not an article file (sarap ingest reads folders)", name)
    size = p.stat().st_size
    if size > settings.max_input_bytes:
        return Rejected(too_large(size, settings), name)
    try:
        data = p.read_bytes()
    except OSError as exc:
        return Rejected(f"cannot read {name}: {exc.strerror or exc}", name)
    return read_bytes(data, settings, name=name)


def read_stream(stream: BinaryIO, settings: Settings | None = None, name: str = "-") -> InputText | Rejected:
    """Read standard input (or any stream), never holding more than one byte over the limit."""
    settings = settings or Settings()
    data = stream.read(settings.max_input_bytes + 1)
    if len(data) > settings.max_input_bytes:
        return Rejected(f"input is over the limit of {settings.max_input_bytes:,} bytes (setting max_input_bytes)",
                        name)
    return read_bytes(data, settings, name=name)


def too_large(size: int, settings: Settings) -> str:
    return f"input is {size:,} bytes, over the limit of {settings.max_input_bytes:,} (setting max_input_bytes)"


def read_bytes(data: bytes, settings: Settings | None = None, name: str | None = None) -> InputText | Rejected:
    """Decode, sniff and extract article text from raw bytes."""
    settings = settings or Settings()
    if len(data) > settings.max_input_bytes:
        return Rejected(too_large(len(data), settings), name)
    kind = binary_kind(data)
    if kind:
        return Rejected(f"input is {kind}, not text", name)
    decoded = decode_text(data)
    if isinstance(decoded, Rejected):
        decoded.path = name
        return decoded
    text, notes = decoded
    return read_text(text, settings, name=name, notes=notes)


def read_text(text: str, settings: Settings | None = None, name: str | None = None,
              notes: list[str] | None = None) -> InputText | Rejected:
    """Extract HTML if it is HTML, then refuse texts that are empty or too long to analyse."""
    from .cleaning import clean_text

    settings = settings or Settings()
    got = InputText(text=text, notes=list(notes or []))
    if looks_html(text):
        extracted = extract_html(text)
        if isinstance(extracted, Rejected):
            extracted.path = name
            return extracted
        extracted.notes[:0] = got.notes
        got = extracted
    if not got.text.strip():
        return Rejected("input is empty or whitespace only", name)
    if len(got.text) > settings.max_text_chars:
        return Rejected(f"text is {len(got.text):,} characters, over the limit of {settings.max_text_chars:,} "
                        "for one article (setting max_text_chars)", name)
    if not clean_text(got.text):
        return Rejected("no article text left after removing boilerplate (credits, padding)", name)
    return got


def binary_kind(data: bytes) -> str | None:
    """What binary thing ``data`` is ("a PNG image", "binary data"), or None when it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a byte-order mark: NUL bytes are expected
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary data (contains NUL bytes)"
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and control / len(sample) > 0.05:
        return "binary data (control characters)"
    return None


def looks_binary(data: bytes) -> bool:
    return binary_kind(data) is not None


def looks_html(text: str) -> bool:
    """Markup near the start means a web page, not a plain article."""
    return bool(_HTML_HINT.search(text[:5000]))


def decode_text(data: bytes) -> tuple[str, list[str]] | Rejected:
    """UTF-8 (or UTF-16 with a BOM) first; otherwise the Cyrillic single-byte encoding that reads most like
    Russian.  Returns the text and notes saying how it was decoded."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ["decoded from UTF-16 (byte-order mark)"]
        except UnicodeDecodeError:
            return Rejected("input has a UTF-16 byte-order mark but is not valid UTF-16")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    declared = decode_declared(data)
    if declared is not None:
        return declared
    damaged = data.decode("utf-8", errors="replace")
    bad = damaged.count("\ufffd")
    if bad <= max(1, len(damaged) * _MAX_BAD_UTF8_SHARE) and russian_score(damaged) >= _MIN_RUSSIAN_SCORE:
        return damaged, [f"UTF-8 with {bad} undecodable byte sequence(s), replaced by U+FFFD"]
    return decode_cyrillic(data)


def decode_declared(data: bytes) -> tuple[str, list[str]] | None:
    """An HTML page that is not UTF-8 usually says what it is (``<meta charset=windows-1251>``); trust that
    before guessing, since markup and scripts dilute the letter statistics the guess relies on."""
    found = _CHARSET.search(data[:4096])
    if not found:
        return None
    name = found.group(1).decode("ascii").lower()
    try:
        return data.decode(name), [f"decoded from {name} (declared in the page)"]
    except (LookupError, UnicodeDecodeError):
        return None


def decode_cyrillic(data: bytes) -> tuple[str, list[str]] | Rejected:
    best, best_encoding, best_score = "", "", -1.0
    for encoding in _CYRILLIC_ENCODINGS:
        try:
            candidate = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = russian_score(candidate)
        if score > best_score:
            best, best_encoding, best_score = candidate, encoding, score
    if best_score < _MIN_RUSSIAN_SCORE or cyrillic_share(best) < 0.5:
        return Rejected("input is not UTF-8 and no Cyrillic encoding (cp1251, koi8-r, iso8859-5, mac-cyrillic) "
                        "decodes it as Russian text")
    return best, [f"decoded from {best_encoding} (not UTF-8)"]


def cyrillic_share(text: str) -> float:
    """Share of letters that are Cyrillic: a Latin-1 French text read as cp1251 has a few, Russian mostly."""
    letters = [c for c in _TAG.sub(" ", text[:20000]) if c.isalpha()]  # markup letters are not the text's
    return sum(1 for c in letters if "\u0400" <= c <= "\u04ff") / len(letters) if letters else 0.0


def russian_score(text: str) -> float:
    """Share of non-ASCII characters that are common lowercase Russian letters.  Counting every non-ASCII
    character, not only letters, is what separates cp1251 from mac-cyrillic: they share most lowercase
    letters, but the wrong one turns «я», «», capitals and dashes into symbols such as €, Ђ, ї."""
    wide = [c for c in text[:20000] if ord(c) > 127]
    if not wide:
        return 0.0
    return sum(1 for c in wide if c in _RUSSIAN_COMMON) / len(wide)


def extract_html(html: str) -> InputText | Rejected:
    """The article text and metadata of a web page (trafilatura); plain tag stripping when the page is too
    small or broken for trafilatura's main-content detection."""
    import trafilatura

    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                         include_tables=False)
    data = {}
    if result is not None:
        data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    note = "HTML: article text extracted with trafilatura"
    if not text.strip():
        # html2txt finds nothing in a fragment without <body>, so give it one.
        page = html if re.search(r"<\s*body\b", html, re.IGNORECASE) else f"<html><body>{html}</body></html>"
        text = trafilatura.html2txt(page) or ""
        note = "HTML: no main article block found, all page text kept"
    if not text.strip():
        return Rejected("HTML has no extractable article text")
    return InputText(text=text, title=data.get("title"), published=iso_date(data.get("date")),
                     author=data.get("author"), url=data.get("url"), source=data.get("sitename"), notes=[note])


def iso_date(value: str | None) -> str | None:
    """``value`` as YYYY-MM-DD when it starts with a valid calendar date, else None (page metadata can hold
    anything)."""
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat() if value else None
    except ValueError:
        return None
