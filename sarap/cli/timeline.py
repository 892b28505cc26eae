"""`sarap timeline`: events in date order with participants, status and source documents."""
from __future__ import annotations

from dataclasses import asdict

from . import UsageError, add_db_argument, add_format_argument, opened_store, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("timeline", help="events across the store in date order")
    p.add_argument("--entity", help="only events with this participant or place (any name form)")
    p.add_argument("--since", help="from this date (YYYY-MM-DD)")
    p.add_argument("--until", help="up to this date (YYYY-MM-DD)")
    add_db_argument(p)
    add_format_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from rich.console import Console
    from rich.markup import escape

    from ..timeline import build_timeline

    from .narratives import check_date

    check_date(args.since, "--since")
    check_date(args.until, "--until")
    with opened_store(args) as store:
        keys = None
        if args.entity:
            found = store.find_entities(args.entity)
            if not found:
                raise UsageError(f"no entity known as {args.entity!r}")
            keys = [e.key for e in found]
        items = build_timeline(store, entity_keys=keys, since=args.since, until=args.until)
        titles = {d: (store.get_row(d).title or d) for i in items for d in i.documents}
    if args.format == "json":
        print_json([asdict(i) for i in items])
        return 0
    console = Console()
    for i in items:
        where = f" @ {escape(i.location)}" if i.location else ""
        console.print(f"[bold]{i.date or 'undated'}[/bold]  {i.type} [dim]({i.status})[/dim] "
                      f"{escape(', '.join(i.participants))}{where}")
        for d in i.documents:
            console.print(f"    [dim]{escape(titles[d])}[/dim]")
    if not items:
        console.print("no events")
    return 0
