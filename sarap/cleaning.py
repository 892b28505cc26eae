"""Text cleaning: Unicode normalisation, whitespace, trailing boilerplate.

Every later offset indexes into the string this module returns, so cleaning happens once, first.
"""
from __future__ import annotations

import re
import unicodedata

# Characters that look like spaces or break nothing visible; news CMS exports are full of them.
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_MANY_SPACES = re.compile(r" {2,}")

# Trailing lines an outlet appends to the article body: photo credits, sources, share prompts.
_BOILERPLATE_LINE = re.compile(
    r"^\s*(фото|фотография|источник фото|photo|иллюстрац\w*|коллаж|видео)"
    r"(\s*(:|—|-|–|из|с|©)\s*.*)?$|^\s*(читайте также|подписывайтесь|поделиться|©).*$",
    re.IGNORECASE,
)


def clean_text(raw: str) -> str:
    """Return the normalised article text that all offsets index into."""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    lines = [_MANY_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = drop_trailing_boilerplate(lines)
    text = "\n".join(lines)
    return _MANY_BLANK_LINES.sub("\n\n", text).strip()


def drop_trailing_boilerplate(lines: list[str]) -> list[str]:
    """Remove empty padding and credit lines from the end, keeping the body intact."""
    end = len(lines)
    while end > 0 and (not lines[end - 1] or _is_boilerplate(lines[end - 1])):
        end -= 1
    return lines[:end]


def _is_boilerplate(line: str) -> bool:
    # A credit line is short; a long line starting with "Фото" is a sentence of the article.
    return len(line) <= 80 and bool(_BOILERPLATE_LINE.match(line))


def make_clean_stage():
    from .pipeline import Stage

    def clean(doc):
        doc.text = clean_text(doc.text)
        return doc

    return Stage("clean", clean, requires=("text",), assigns=("text",))
