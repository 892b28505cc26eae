"""The views behind the pages: each returns JSON-ready data (the /api/ twin); the HTML route renders it.

View methods are FastAPI dependencies, so their query parameters appear once, in the OpenAPI schema,
and the page and its twin cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..model import Document
from ..store.base import DocumentFilter
from ..views import EntityNames, compare_sources, corpus_stats, entity_profile, view_dict
from . import charts
from .highlight import build_blocks

TEMPLATES = Path(__file__).resolve().parent / "templates"
NAV = [("/search", "Search"), ("/entities", "Entities"), ("/events", "Timeline"), ("/threads", "Threads"),
       ("/narratives", "Narratives"), ("/stats", "Sources & stats"), ("/compare", "Compare"), ("/rejected", "Rejected")]
TIMELINE_LIMIT = 500
# Narratives and threads are computed when asked, over the newest documents: 300 take a few seconds.
GROUPING_DOCUMENTS = 300
# Cached views (aggregates, entity profiles and look-ups): a profile of a frequent entity costs ~0.7 s on a
# 100K-document store (bench/web_latency.py), a cached one a few milliseconds.
CACHE_SIZE = 512


class Renderer:
    """Jinja2 with autoescape always on; article text reaches templates only as plain strings."""

    def __init__(self) -> None:
        from jinja2 import Environment, FileSystemLoader

        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                               lstrip_blocks=True)
        self.env.globals.update(nav=NAV, entity_href=entity_href, safe_url=safe_url, doc_href=doc_href)
        self.env.filters["marks"] = split_marks

    def __call__(self, request: Request, template: str, data: dict, status_code: int = 200) -> HTMLResponse:
        extra = HTML_EXTRA.get(template)
        context = {**data, **(extra(data) if extra else {}), "path": request.url.path,
                   "href_path": quote(request.url.path, safe="/"), "params": request.query_params}
        return HTMLResponse(self.env.get_template(template).render(context), status_code=status_code)


def entity_href(key: str | None) -> str | None:
    return "/entities/" + quote(key, safe="") if key else None


def doc_href(doc_id: str, start: int | None = None) -> str:
    return f"/documents/{quote(doc_id, safe='')}" + (f"#at-{int(start)}" if start is not None else "")


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None: a stored ``javascript:`` link is shown as text, never linked."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def split_marks(snippet: str) -> list[tuple[str, bool]]:
    """A snippet with **hits** as (text, is_hit) parts, for the template to escape and mark."""
    return [(part, n % 2 == 1) for n, part in enumerate(snippet.split("**")) if part]


def optional_date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name} must be YYYY-MM-DD, got {value!r}") from None


class PageViews:
    """One method per page; ``state`` holds the store and its lock."""

    def __init__(self, state) -> None:
        self.state = state

    def cached(self, name, build):
        """Aggregates and profiles are rebuilt only when the number of documents changes (an ingest) or the
        entities were curated (the write routes clear the cache); the oldest entries go first past CACHE_SIZE."""
        version = self.state.store.count_documents()
        cache = self.state.stats_cache
        hit = cache.get(name)
        if hit and hit[0] == version:
            return hit[1]
        value = build()
        cache.pop(name, None)
        while len(cache) >= CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[name] = (version, value)
        return value

    def warm(self) -> None:
        """Fill the aggregate caches (on a large store the first stats page would otherwise wait for them)."""
        self.stats()
        self.entities(name="")

    def sources(self) -> list[str]:
        stats = self.cached("stats", lambda: view_dict(corpus_stats(self.state.store)))
        return sorted(s for s, _ in stats["by_source"] if s)

    def search(self, q: str = Query("", description="words in any inflection, \"phrases\", AND/OR/NOT"),
               entity: str = Query("", description="any known name of an entity"),
               source: str = Query("", description="outlet"), since: str = Query("", description="YYYY-MM-DD"),
               until: str = Query("", description="YYYY-MM-DD"),
               kind: str = Query("", description="article or interview"),
               limit: int = Query(20, ge=1, le=200)) -> dict:
        from ..cli.search import search_documents
        from ..search import QueryError

        filters = DocumentFilter(source=source or None, kind=kind or None, since=optional_date(since, "since"),
                                 until=optional_date(until, "until"))
        result: dict[str, Any] = {"query": q, "filters": {"entity": entity, **asdict(filters)}, "hits": [],
                                  "error": None}
        with self.state.lock:
            result["sources"] = self.sources()
            if entity:
                filters.entity_keys = [e.key for e in self.state.store.find_entities(entity)]
                if not filters.entity_keys:
                    result["error"] = f"no entity known as «{entity}»"
                    return result
            if not q.strip():
                rows = self.state.store.list_documents(filters, limit=limit)
                result["hits"] = [{**asdict(r), "score": None, "snippet": "", "hits": []} for r in rows]
                return result
            try:
                result["hits"] = search_documents(self.state.store, q, filters, limit)
            except QueryError as exc:
                result["error"] = str(exc)
        return result

    def document(self, doc_id: str) -> dict:
        with self.state.lock:
            doc = self.state.store.get_document(doc_id)
            row = self.state.store.get_row(doc_id)
            keys = self.state.store.document_entity_keys(doc_id) if doc else {}
        if doc is None or row is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return {"row": asdict(row), "document": doc.to_dict(), "entity_keys": keys}

    def entities(self, name: str = Query("", description="a name in any inflection or script")) -> dict:
        with self.state.lock:
            if name.strip():
                found = self.cached(("find", name.strip()), lambda: self.state.store.find_entities(name.strip()))
            else:
                found = self.cached("top100", lambda: self.state.store.top_entities(limit=100))
        return {"query": name, "entities": [asdict(e) for e in found]}

    def entity(self, key: str) -> dict:
        with self.state.lock:
            profile = self.cached(("entity", key), lambda: view_dict(entity_profile(self.state.store, key)))
        if profile is None:
            raise HTTPException(404, f"no entity {key!r}")
        return profile

    def events(self, since: str = Query("", description="event date from, YYYY-MM-DD"),
               until: str = Query("", description="event date until, YYYY-MM-DD"),
               type: str = Query("", description="event type"), limit: int = Query(TIMELINE_LIMIT, ge=1, le=5000)) -> dict:
        since, until = optional_date(since, "since"), optional_date(until, "until")
        with self.state.lock:
            events = timeline(self.state.store, since, until, type or None, limit)
        return {"filters": {"since": since, "until": until, "type": type or None}, "events": events}

    def stats(self) -> dict:
        with self.state.lock:
            return self.cached("stats", lambda: view_dict(corpus_stats(self.state.store)))

    def compare(self, a: str = Query("", description="first source"),
                b: str = Query("", description="second source")) -> dict:
        with self.state.lock:
            sources = self.sources()
            comparison = self.cached(("compare", a, b), lambda: view_dict(compare_sources(self.state.store, a, b))) \
                if a and b else None
        return {"a": a, "b": b, "sources": sources, "comparison": comparison}

    def narratives(self, since: str = Query("", description="members published from, YYYY-MM-DD"),
                   min_sources: int = Query(2, ge=1, le=20, description="distinct sources a narrative needs")) -> dict:
        from ..narrative_store import read_narratives

        since = optional_date(since, "since")
        with self.state.lock:
            # The stored narratives; documents ingested since the last read are folded in first (incrementally:
            # only their sentences are encoded), then the result is cached until the store changes.
            found = self.cached(("narratives", since, min_sources), lambda: [n.to_dict() for n in read_narratives(
                self.state.store, min_sources=min_sources, since=since or None)])
        return {"filters": {"since": since, "min_sources": min_sources}, "narratives": found}

    def threads(self, since: str = Query("", description="documents published from, YYYY-MM-DD"),
                limit: int = Query(GROUPING_DOCUMENTS, ge=1, le=2000, description="newest documents read")) -> dict:
        from ..threads import group_threads

        since = optional_date(since, "since")
        docs = self.newest_documents(since, limit)
        titles = {d.id: {"title": d.title, "source": d.source, "published": d.published} for d in docs}
        with self.state.lock:
            found = self.cached(("threads", since, limit), lambda: [t.to_dict() for t in group_threads(docs)])
        return {"filters": {"since": since, "limit": limit}, "documents": len(docs),
                "threads": [{**t, "members": [{"id": d, **titles.get(d, {})} for d in t["documents"]]}
                            for t in found]}

    def newest_documents(self, since: str | None, limit: int) -> list[Document]:
        """The newest originals (a reprint would count one text as two sources)."""
        with self.state.lock:
            rows = self.state.store.list_documents(DocumentFilter(since=since, originals_only=True), limit=limit)
            return [d for d in (self.state.store.get_document(r.id) for r in rows) if d is not None]

    def rejected(self) -> dict:
        with self.state.lock:
            return {"rejected": [asdict(r) for r in self.state.store.list_rejected()]}


def timeline(store, since: str | None, until: str | None, type_: str | None, limit: int) -> list[dict]:
    """Events by their own date (else the document's publication day), oldest first, entities named."""
    import json

    names, events = EntityNames(store), []
    for e in store.list_events(since, until, type_, limit):
        events.append({"day": e["day"], "dated_by": "event" if e["date_value"] else "publication",
                       "type": e["type"], "status": e["status"], "trigger": e["trigger"],
                       "participants": [names(k) or k for k in json.loads(e["participants"])],
                       "location": names(e["location"]), "doc_id": e["doc_id"], "title": e["title"],
                       "source": e["source"], "start": e["start_offset"], "end": e["end_offset"]})
    return events


def document_extra(data: dict) -> dict:
    """What only the HTML page needs: the text cut into highlighted blocks and the side lists."""
    doc = Document.from_dict(data["document"])
    keys = data["entity_keys"]
    name = {e.id: e.name for e in doc.entities}
    quotes = [{"speaker": name.get(q.speaker or "", q.speaker), "kind": q.kind, "start": q.start, "end": q.end,
               "text": doc.text[q.start:q.end], "about": [name.get(a, a) for a in q.about]} for q in doc.quotes]
    events = [{**asdict(e), "participants": [name.get(p, p) for p in e.participants],
               "location": name.get(e.location or "", e.location)} for e in doc.events]
    entities = sorted(doc.entities, key=lambda e: (e.type, -len(e.mentions), e.name))
    return {"blocks": build_blocks(doc, keys), "quotes": quotes, "events": events,
            "dates": [asdict(d) | {"text": doc.text[d.start:d.end]} for d in doc.dates],
            "amounts": [asdict(a) | {"text": doc.text[a.start:a.end]} for a in doc.amounts],
            "entity_list": [{"id": e.id, "type": e.type, "name": e.name, "key": keys.get(e.id),
                             "mentions": len(e.mentions), "first": min((m.start for m in e.mentions), default=0),
                             "roles": [r.title for r in e.roles],
                             "sentiment": e.sentiment.label if e.sentiment else None} for e in entities],
            "interviewees": [name.get(i.entity, i.entity) for i in doc.interviewees]}


def stats_extra(data: dict) -> dict:
    return {"chart": charts.attention_chart(data["per_source_day"])}


def compare_extra(data: dict) -> dict:
    if not data["comparison"]:
        return {}
    sides = data["comparison"]
    rows = [(sides["a"]["source"], day, n) for day, n in sides["a"]["by_day"]] + \
           [(sides["b"]["source"], day, n) for day, n in sides["b"]["by_day"]]
    return {"chart": charts.attention_chart(rows)}


def entity_extra(data: dict) -> dict:
    return {"tone_chart": charts.tone_chart(data["tone"])}


HTML_EXTRA = {"document.html": document_extra, "stats.html": stats_extra, "compare.html": compare_extra,
              "entity.html": entity_extra}
