"""Cut a document's text into segments for the document page: entity mentions become links, and every
extracted item (quote, date, amount, event) starts and ends on a segment boundary, so a click beside the
text can find and flash its span.

Segments carry plain text; the template escapes it (autoescape), so no markup is ever built from
article text by string concatenation.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Document


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    text: str
    entity_id: str | None = None     # the document-local id of the entity mentioned here
    entity_type: str | None = None
    entity_key: str | None = None    # its knowledge-base key, for the link


@dataclass(slots=True)
class Block:
    """A run of segments: the whole text of an article, or one interview turn."""
    role: str                 # text | lead | question | answer | closing
    speaker: str | None
    start: int
    end: int
    segments: list[Segment]


def item_bounds(doc: Document) -> set[int]:
    """Offsets where a quote, date, amount or event starts or ends."""
    bounds: set[int] = set()
    for items in (doc.quotes, doc.dates, doc.amounts, doc.events):
        for item in items:
            bounds.update((item.start, item.end))
    return bounds


def mention_spans(doc: Document) -> list[tuple[int, int, str, str]]:
    """(start, end, entity id, type) of every mention, leftmost-longest, without overlaps."""
    spans = sorted(((m.start, m.end, e.id, e.type) for e in doc.entities for m in e.mentions),
                   key=lambda s: (s[0], -s[1]))
    kept, last_end = [], -1
    for span in spans:
        if span[0] >= last_end and span[1] > span[0]:
            kept.append(span)
            last_end = span[1]
    return kept


def cut_segments(doc: Document, start: int, end: int, keys: dict[str, str],
                 mentions: list[tuple[int, int, str, str]], bounds: set[int]) -> list[Segment]:
    """The text between ``start`` and ``end`` as segments, split at mentions and item boundaries."""
    cuts = {start, end} | {b for b in bounds if start < b < end}
    inside = [m for m in mentions if m[1] > start and m[0] < end]
    for m in inside:
        cuts.update(c for c in (m[0], m[1]) if start < c < end)
    points = sorted(cuts)
    segments, cursor = [], 0
    for left, right in zip(points, points[1:]):
        while cursor < len(inside) and inside[cursor][1] <= left:
            cursor += 1
        mention = inside[cursor] if cursor < len(inside) and inside[cursor][0] <= left else None
        segment = Segment(left, right, doc.text[left:right])
        if mention:
            segment.entity_id, segment.entity_type = mention[2], mention[3]
            segment.entity_key = keys.get(mention[2])
        segments.append(segment)
    return segments


def build_blocks(doc: Document, keys: dict[str, str]) -> list[Block]:
    """Interview turns as blocks of a conversation; any other document as one block of text."""
    mentions, bounds = mention_spans(doc), item_bounds(doc)
    if not doc.turns:
        return [Block("text", None, 0, len(doc.text), cut_segments(doc, 0, len(doc.text), keys, mentions, bounds))]
    blocks, cursor = [], 0
    for turn in sorted(doc.turns, key=lambda t: t.start):
        if turn.start > cursor and doc.text[cursor:turn.start].strip():
            blocks.append(Block("text", None, cursor, turn.start,
                                cut_segments(doc, cursor, turn.start, keys, mentions, bounds)))
        speaker = doc.entity(turn.speaker)
        blocks.append(Block(turn.role, speaker.name if speaker else turn.speaker, turn.start, turn.end,
                            cut_segments(doc, turn.start, turn.end, keys, mentions, bounds)))
        cursor = max(cursor, turn.end)
    if doc.text[cursor:].strip():
        blocks.append(Block("text", None, cursor, len(doc.text),
                            cut_segments(doc, cursor, len(doc.text), keys, mentions, bounds)))
    return blocks
