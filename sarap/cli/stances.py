"""`sarap stances`: the who-speaks-of-whom graph, weighted by count and tone."""
from __future__ import annotations

from . import UsageError, add_db_argument, add_format_argument, opened_store, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("stances", help="who speaks of whom with what tone, across the store")
    p.add_argument("--speaker", help="only this speaker (any name form; 'outlet' for the outlets' own voice)")
    p.add_argument("--target", help="only this target (any name form)")
    add_db_argument(p)
    add_format_argument(p, "text", "json", "gexf")
    p.add_argument("--out", help="file for --format gexf (default stances.gexf)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..stance_graph import OUTLET, build_stance_graph, stance_gexf

    with opened_store(args) as store:
        speakers = {OUTLET} if args.speaker == OUTLET else keys_for(store, args.speaker)
        edges = build_stance_graph(store, speakers=speakers, targets=keys_for(store, args.target))
    if args.format == "gexf":
        stance_gexf(edges, args.out or "stances.gexf")
        print(f"wrote {len(edges)} edges to {args.out or 'stances.gexf'}")
    elif args.format == "json":
        print_json([{"speaker": e.speaker, "speaker_name": e.speaker_name, "target": e.target,
                    "target_name": e.target_name, "documents": e.count, "score": round(e.score, 3),
                    "label": e.label, "labels": dict(e.labels), "document_ids": e.documents} for e in edges])
    else:
        print_table(edges)
    return 0


def keys_for(store, name: str | None) -> set[str] | None:
    if not name:
        return None
    found = store.find_entities(name)
    if not found:
        raise UsageError(f"no entity known as {name!r}")
    return {e.key for e in found}


def print_table(edges) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Stances: who speaks of whom")
    for col in ("speaker", "target", "tone", "score", "docs"):
        table.add_column(col)
    colour = {"positive": "green", "negative": "red", "neutral": "dim"}
    for e in edges:
        table.add_row(e.speaker_name, e.target_name, f"[{colour[e.label]}]{e.label}[/]", f"{e.score:+.2f}",
                      str(e.count))
    Console().print(table)
