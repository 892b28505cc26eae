"""The timeline: events from every stored document in date order, the same event told by several
documents merged into one item with all its sources."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .store.base import Store

_FULL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(slots=True)
class TimelineItem:
    date: str | None               # best known calendar date (YYYY, YYYY-MM or YYYY-MM-DD)
    type: str
    status: str
    participants: list[str]        # knowledge-base entity names
    location: str | None
    documents: list[str] = field(default_factory=list)   # document ids, earliest first
    evidence: list[dict] = field(default_factory=list)   # {doc_id, start, end, text}


def event_date(value: str | None, published: str | None) -> str | None:
    """A sortable date: the event's own when complete, its month-day with the publication year, or None."""
    if value and _FULL.match(value):
        return value
    if value and value.startswith("--") and published:
        return published[:4] + value[1:]
    return None


def build_timeline(store: Store, *, entity_keys: list[str] | None = None, since: str | None = None,
                   until: str | None = None) -> list[TimelineItem]:
    """Events across the store, filtered to those involving ``entity_keys`` and dated within [since, until]."""
    names = {r["key"]: r["name"] for r in store.iter_rows("entities")}
    rows = {}
    items: dict[tuple, TimelineItem] = {}
    for ev in store.iter_rows("events"):
        participants = json.loads(ev["participants"]) if isinstance(ev["participants"], str) else ev["participants"]
        if entity_keys and not (set(entity_keys) & (set(participants) | {ev["location"]})):
            continue
        row = rows.get(ev["doc_id"]) or rows.setdefault(ev["doc_id"], store.get_row(ev["doc_id"]))
        date = event_date(ev["date_value"], row.published if row else None)
        if (since and (date or "") < since) or (until and date and date[:len(until)] > until):
            continue
        key = (ev["type"], tuple(sorted(participants)), ev["location"], date)
        item = items.get(key)
        if item is None:
            item = items[key] = TimelineItem(date, ev["type"], ev["status"],
                                             [names.get(p, p) for p in participants],
                                             names.get(ev["location"], ev["location"]))
        if ev["doc_id"] not in item.documents:
            item.documents.append(ev["doc_id"])
        item.status = _stronger(item.status, ev["status"])
        item.evidence.append({"doc_id": ev["doc_id"], "start": ev["start_offset"], "end": ev["end_offset"]})
    return sorted(items.values(), key=lambda i: (i.date or "9999", i.type))


def _stronger(a: str, b: str) -> str:
    """Across sources, a report that it happened outranks a plan, and a plan a possibility."""
    rank = {"happened": 2, "planned": 1, "possible": 0}
    return a if rank.get(a, 0) >= rank.get(b, 0) else b
