"""`sarap stats`: documents by source and by day, top entities, interviews and their interviewees."""
from __future__ import annotations

from . import UsageError, opened_store, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("stats", help="corpus statistics: sources, days, top entities, interviews")
    p.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db)")
    p.add_argument("--compare", nargs=2, metavar=("SOURCE_A", "SOURCE_B"),
                   help="instead: two sources side by side (volume, days, top entities)")
    p.add_argument("--top", type=int, default=20, help="how many top entities to list (default 20)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..views import compare_sources, corpus_stats, view_dict

    if args.top < 1:
        raise UsageError("--top must be at least 1")
    with opened_store(args) as store:
        view = compare_sources(store, *args.compare, top=args.top) if args.compare \
            else corpus_stats(store, top=args.top)
    if args.format == "json":
        print_json(view_dict(view))
    elif args.compare:
        print_comparison(view)
    else:
        print_stats(view)
    return 0


def print_stats(stats) -> None:
    c = stats.counts
    print(f"{c.documents} documents ({c.originals} originals, {c.reprints} reprints), {c.entities} entities, "
          f"{c.mentions} mentions, {c.rejected} rejected inputs")
    print("\nby source:")
    for source, count in stats.by_source:
        print(f"  {count:6d}  {source or '(no source)'}")
    print("\nby day:")
    for day, count in stats.by_day:
        print(f"  {day or '(no date)':10s}  {count:6d}  {'#' * min(count, 60)}")
    print("\ntop entities (documents):")
    for e in stats.top_entities:
        print(f"  {e.documents:6d}  {e.name} ({e.type})")
    print(f"\ninterviews: {stats.interview_count}")
    for row in stats.interviews:
        people = ", ".join(row.interviewees) or "(interviewee not found)"
        print(f"  {row.published or '?'}  {row.source or '?'}: {people} — {row.title or row.doc_id}")


def print_comparison(cmp) -> None:
    for side in (cmp.a, cmp.b):
        print(f"{side.source}: {side.documents} documents, {len(side.by_day)} days")
        for e in side.top_entities:
            print(f"  {e.documents:6d}  {e.name} ({e.type})")
    print("both write about: " + (", ".join(cmp.shared_entities) or "(no shared top entities)"))
