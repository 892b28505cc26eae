"""`sarap narratives`: claims recurring across documents and sources in the store."""
from __future__ import annotations

import re

from . import UsageError, add_db_argument, add_format_argument, opened_store, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("narratives", help="claims that recur, in other words, across sources")
    add_db_argument(p)
    p.add_argument("--entity", help="only narratives naming this entity (any known name)")
    p.add_argument("--since", help="only documents published on or after YYYY-MM-DD")
    p.add_argument("--min-sources", type=int, default=2, help="distinct sources a narrative needs (default 2)")
    p.add_argument("--rebuild", action="store_true",
                   help="recompute the stored narratives from every original document (else the stored ones are "
                        "read, with documents ingested since folded in)")
    add_format_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..narrative_store import read_narratives, rebuild_narratives

    check_date(args.since, "--since")
    if args.min_sources < 1:
        raise UsageError("--min-sources must be at least 1")
    with opened_store(args) as store:
        names = entity_names(store, args.entity) if args.entity else None
        if args.rebuild:
            rebuild_narratives(store)
        # Documents the state lacks (stored before it existed, or bulk-written) are added first.
        narratives = read_narratives(store, min_sources=args.min_sources, since=args.since, entity_names=names)
    if args.format == "json":
        print_json([n.to_dict() for n in narratives])
    else:
        print_narratives(narratives)
    return 0


def check_date(value: str | None, option: str) -> None:
    """Refuse anything but a real calendar date: "2025-13-01" would silently filter everything out."""
    import datetime as dt

    try:
        valid = value is None or (re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and dt.date.fromisoformat(value))
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(f"{option} must be YYYY-MM-DD, got {value!r}")


def entity_names(store, name: str) -> set[str]:
    """Every name the knowledge base knows the entity by, lower-cased."""
    found = store.find_entities(name)
    if not found:
        raise UsageError(f"no entity known as {name!r} in {store.url}")
    return {n.lower() for e in found for n in [e.name, *(alias for alias, _ in e.aliases)]}


def load_documents(store, *, since: str | None, limit: int) -> list:
    """The newest ``limit`` original documents (reprints would count one text as several sources)."""
    from ..store import DocumentFilter

    if limit < 1:
        raise UsageError("--limit must be at least 1")
    rows = store.list_documents(DocumentFilter(since=since, originals_only=True), limit=limit)
    return [doc for doc in (store.get_document(r.id) for r in rows) if doc is not None]


def print_narratives(narratives) -> None:
    if not narratives:
        print("no narratives")
    for number, n in enumerate(narratives, 1):
        span = f"{n.first_seen or '?'} .. {n.last_seen or '?'}"
        print(f"{number}. {n.representative}")
        print(f"   {n.sources} sources, {n.speakers} speakers, {len(n.members)} sentences, {span}")
        if n.entities:
            print(f"   entities: {', '.join(n.entities[:8])}")
        for m in n.members:
            who = f" — {m.speaker_name}" if m.speaker_name else ""
            print(f"   - [{m.source or m.document} {m.published or ''}] {m.text}{who}".replace(" ]", "]"))
        print()
