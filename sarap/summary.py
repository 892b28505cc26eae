"""A readable summary of one Document for the terminal (rich)."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .model import Document


def print_summary(doc: Document, console: Console | None = None) -> None:
    console = console or Console()
    names = {e.id: e.name for e in doc.entities}
    head = f"[bold]{escape(doc.title or doc.text[:80])}[/bold]"
    console.print(f"{head}\n[dim]{doc.kind} · {len(doc.text):,} chars · {len(doc.sentences)} sentences"
                  f"{' · ' + escape(doc.source) if doc.source else ''}"
                  f"{' · ' + doc.published if doc.published else ''}[/dim]")
    for note in doc.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    for iv in doc.interviewees:
        desc = f" — {escape(iv.description)}" if iv.description else ""
        console.print(f"[bold cyan]Interviewee:[/bold cyan] {escape(names.get(iv.entity, iv.entity))}{desc}")
    if doc.turns:
        counts = {r: sum(1 for t in doc.turns if t.role == r) for r in ("lead", "question", "answer", "closing")}
        console.print("[dim]turns: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v) + "[/dim]")
    console.print(_entities_table(doc, names))
    _print_quotes(doc, names, console)
    _print_list(console, "Dates", [f"{escape(doc.text[d.start:d.end])} → {d.value}" for d in doc.dates])
    _print_list(console, "Amounts", [
        f"{escape(doc.text[a.start:a.end])} → {a.value:g}{' ' + escape(a.unit) if a.unit else ''}"
        f"{' (approx.)' if a.approximate else ''}" for a in doc.amounts])
    _print_list(console, "Events", [
        f"{e.type} [{e.status}] {', '.join(escape(names.get(p, p)) for p in e.participants)}"
        f"{' @ ' + escape(names.get(e.location, e.location)) if e.location else ''}"
        f"{' · ' + e.date.value if e.date else ''}" for e in doc.events])


def _entities_table(doc: Document, names: dict[str, str]) -> Table:
    table = Table(title="Entities", show_lines=False, expand=False)
    for col in ("id", "type", "name", "mentions", "roles", "tone"):
        table.add_column(col)
    for e in doc.entities:
        roles = "; ".join(f"{r.title}{' (' + names.get(r.of, r.of) + ')' if r.of else ''}" for r in e.roles)
        tone = e.sentiment.label if e.sentiment else ""
        table.add_row(e.id, e.type + (f"/{e.subtype}" if e.subtype else ""), escape(e.name),
                      str(len(e.mentions)), escape(roles), tone)
    return table


def _print_quotes(doc: Document, names: dict[str, str], console: Console) -> None:
    if not doc.quotes:
        return
    console.print("[bold]Quotes[/bold]")
    for q in doc.quotes:
        text = doc.text[q.start:q.end]
        short = text if len(text) <= 160 else text[:157] + "…"
        speaker = names.get(q.speaker, "outlet") if q.speaker else "unknown"
        console.print(f"  [cyan]{escape(speaker)}[/cyan] [dim]({q.kind})[/dim]: {escape(short)}")


def _print_list(console: Console, title: str, items: list[str]) -> None:
    if items:
        console.print(f"[bold]{title}[/bold]")
        for item in items:
            console.print(f"  {item}")
