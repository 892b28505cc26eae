"""`sarap search QUERY`: Russian full-text search over the store, with filters and marked snippets."""
from __future__ import annotations

import json
import sys

from . import UsageError, opened_store


def register(subparsers) -> None:
    p = subparsers.add_parser("search", help="search the store (any inflection, \"phrases\", AND/OR/NOT)")
    p.add_argument("query", help='words in any inflection, "exact phrases", AND, OR, NOT, parentheses')
    p.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db)")
    p.add_argument("--entity", help="only documents mentioning this entity (any known name or inflection)")
    p.add_argument("--source", help="only documents from this outlet")
    p.add_argument("--since", help="published on or after YYYY-MM-DD")
    p.add_argument("--until", help="published on or before YYYY-MM-DD")
    p.add_argument("--kind", choices=("article", "interview"), help="only documents of this kind")
    p.add_argument("--originals", action="store_true", help="leave out reprints (near-duplicates)")
    p.add_argument("--limit", type=int, default=20, help="most results to show (default 20)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..search import QueryError
    with opened_store(args) as store:
        filters = build_filter(args, store)
        try:
            hits = search_documents(store, args.query, filters, args.limit)
        except QueryError as exc:
            raise UsageError(str(exc)) from None
    if args.format == "json":
        json.dump(hits, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_hits(hits)
    return 0


def build_filter(args, store):
    from ..store import DocumentFilter

    for name in ("since", "until"):
        value = getattr(args, name)
        if value and not _is_date(value):
            raise UsageError(f"--{name} must be YYYY-MM-DD, got {value!r}")
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    keys = None
    if args.entity:
        keys = [e.key for e in store.find_entities(args.entity)]
        if not keys:
            raise UsageError(f"no entity known as {args.entity!r} in {store.url}")
    return DocumentFilter(source=args.source, kind=args.kind, since=args.since, until=args.until,
                          entity_keys=keys, originals_only=args.originals)


def search_documents(store, query: str, filters, limit: int) -> list[dict]:
    """Hits as JSON-ready dicts: the document row, score, snippet with **marked** hits and hit offsets."""
    from dataclasses import asdict

    from ..search import make_snippet, parse_query, positive_lemmas

    lemmas = positive_lemmas(parse_query(query))
    results = []
    for hit in store.search(query, filters, limit):
        snippet = make_snippet(hit.text, lemmas)
        results.append({**asdict(hit.row), "score": round(hit.score, 6), "snippet": snippet.text,
                        "hits": [list(h) for h in snippet.hits]})
    return results


def print_hits(hits: list[dict]) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for number, hit in enumerate(hits, 1):
        # A plain-text file has no title: its file name tells the seeds apart better than "(untitled)".
        title = hit["title"] or f"(untitled: {(hit.get('path') or hit['id']).rsplit('/', 1)[-1]})"
        header = f"{number}. {title} — {hit['source'] or 'no source'}, {hit['published'] or 'no date'}"
        reprint = f" [reprint of {hit['reprint_of']}]" if hit["reprint_of"] else ""
        console.print(Text(header + reprint, style="bold"))
        console.print(Text(f"   id {hit['id']}  score {hit['score']:.3f}", style="dim"))
        console.print(Text("   ").append(marked_text(hit["snippet"])))
    if not hits:
        console.print("no documents match")


def marked_text(snippet: str):
    """The snippet with **hits** shown in bold yellow instead of asterisks."""
    from rich.text import Text

    text = Text()
    for n, part in enumerate(snippet.split("**")):
        text.append(part, style="bold yellow" if n % 2 else None)
    return text


def _is_date(value: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
        return True
    except ValueError:
        return False
