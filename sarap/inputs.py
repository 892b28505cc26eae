"""Turning raw bytes from a file or stdin into article text, or a Rejected with a reason."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .settings import Settings


@dataclass(slots=True)
class Rejected:
    """An input that cannot be analysed, with a reason a user can act on."""
    reason: str
    path: str | None = None


@dataclass(slots=True)
class InputText:
    text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None
    notes: list[str] = field(default_factory=list)


_HTML_HINT = re.compile(r"<\s*(html|body|article|div|p|head|!doctype)\b", re.IGNORECASE)
# Cyrillic letters that are frequent in Russian; a correct decoding has many of them.
_RUSSIAN_COMMON = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэф")


def read_bytes(data: bytes, settings: Settings | None = None, name: str | None = None) -> InputText | Rejected:
    """Decode, sniff and extract article text from raw bytes."""
    settings = settings or Settings()
    if len(data) > settings.max_input_bytes:
        return Rejected(f"input is {len(data):,} bytes, over the limit of {settings.max_input_bytes:,} "
                        "(setting max_input_bytes)", name)
    if looks_binary(data):
        return Rejected("input looks binary (not text)", name)
    decoded = decode_text(data)
    if isinstance(decoded, Rejected):
        decoded.path = name
        return decoded
    text, notes = decoded
    return read_text(text, name=name, notes=notes)


def read_text(text: str, name: str | None = None, notes: list[str] | None = None) -> InputText | Rejected:
    notes = list(notes or [])
    if _HTML_HINT.search(text[:5000]):
        extracted = extract_html(text)
        if isinstance(extracted, Rejected):
            extracted.path = name
            return extracted
        extracted.notes = notes + ["HTML: article text extracted with trafilatura"]
        return extracted
    if not text.strip():
        return Rejected("input is empty or whitespace only", name)
    return InputText(text=text, notes=notes)


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and control / len(sample) > 0.05


def decode_text(data: bytes) -> tuple[str, list[str]] | Rejected:
    """UTF-8 first; otherwise the Cyrillic single-byte encoding whose result reads most like Russian."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    best, best_score = None, -1.0
    for encoding in ("cp1251", "koi8-r", "iso8859-5", "mac-cyrillic"):
        try:
            candidate = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = russian_score(candidate)
        if score > best_score:
            best, best_score = (candidate, encoding), score
    if best is None or best_score < 0.3:
        return Rejected("input is not UTF-8 and no Cyrillic encoding decodes it as Russian text")
    return best[0], [f"decoded from {best[1]} (not UTF-8)"]


def russian_score(text: str) -> float:
    """Share of letters that are common lowercase Russian letters."""
    letters = [c for c in text[:20000] if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if c in _RUSSIAN_COMMON) / len(letters)


def extract_html(html: str) -> InputText | Rejected:
    import trafilatura

    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if result is None:
        return Rejected("HTML has no extractable article text")
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    if not text.strip():
        return Rejected("HTML has no extractable article text")
    return InputText(text=text, title=data.get("title"), published=data.get("date"),
                     author=data.get("author"), url=data.get("url"))
