"""`sarap entity NAME`: one entity's profile gathered from every document in the store."""
from __future__ import annotations

from . import UsageError, opened_store, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("entity", help="profile of one entity: names, roles, documents, quotes, neighbours")
    p.add_argument("name", help="any known name or inflection (\"Петров\", \"Petrov\"), or a kb key \"PER:...\"")
    p.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..views import entity_profile, view_dict

    with opened_store(args) as store:
        profile = entity_profile(store, args.name)
        where = store.url
    if profile is None:
        raise UsageError(f"no entity known as {args.name!r} in {where}")
    if args.format == "json":
        print_json(view_dict(profile))
    else:
        print_profile(profile)
    return 0


def print_profile(profile) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    console.print(Text(f"{profile.name}  ({profile.type}, {profile.latin})", style="bold"))
    console.print(f"{profile.documents} documents ({profile.originals} originals), {profile.mentions} mentions")
    if profile.aliases:
        console.print(Text("aliases: " + ", ".join(profile.aliases)))
    for role in profile.roles:
        span = f"{role.first_seen or '?'} – {role.last_seen or '?'}"
        console.print(Text(f"role: {role.title}" + (f", {role.of}" if role.of else "") + f"  [{span}]"))
    _print_section(console, "documents", [f"{r.published or '?'}  {r.source or '?'}  {r.title or r.id}"
                                          for r in profile.document_rows])
    _print_section(console, "quotes by", [f"«{q.text}» — {q.title or q.doc_id}" for q in profile.quotes_by])
    _print_section(console, "quotes about", [f"{q.speaker or '?'}: «{q.text}»" for q in profile.quotes_about])
    _print_section(console, "co-mentioned", [f"{c.name} ({c.type}) — {c.documents} documents"
                                             for c in profile.co_mentions])
    _print_section(console, "tone by day", [f"{t.day or '?'}  +{t.positive} −{t.negative} ={t.neutral}"
                                            for t in profile.tone])
    if profile.documents > profile.recent_documents:
        console.print(Text(f"quotes and co-mentions from the {profile.recent_documents} most recently ingested "
                           "documents (tone from up to 5000)", style="dim"))
    if profile.also_known:
        console.print(Text("the same name may also mean: " + ", ".join(e.key for e in profile.also_known),
                           style="dim"))


def _print_section(console, title: str, lines: list[str]) -> None:
    from rich.text import Text

    if not lines:
        return
    console.print(Text(f"{title}:", style="bold cyan"))
    for line in lines:
        console.print(Text("  " + line))
