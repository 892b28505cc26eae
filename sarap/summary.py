"""A readable summary of one Document for the terminal (rich): what a reader wants without the JSON."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .model import Document, Entity

# Quotes and mention lists are cut so one article fits on a screen or two; the JSON has everything.
QUOTE_CHARS = 200
MENTION_FORMS = 4


def print_summary(doc: Document, console: Console | None = None) -> None:
    """Print kind, interviewees, entities with roles, quotes with speakers, professions, dates, amounts and
    events."""
    console = console or Console()
    names = {e.id: e.name for e in doc.entities}
    print_header(doc, console)
    print_interview(doc, names, console)
    print_entities(doc, names, console)
    print_quotes(doc, names, console)
    print_items(console, "Professions", format_professions(doc, names))
    print_items(console, "Dates", [f"{escape(quote_span(doc, d.start, d.end))} → [green]{d.value}[/green]"
                                   for d in doc.dates])
    print_items(console, "Amounts", [format_amount(doc, a) for a in doc.amounts])
    print_items(console, "Events", [format_event(e, names) for e in doc.events])
    print_items(console, "Stances", [
        f"{escape(names.get(s.speaker, 'outlet') if s.speaker else 'outlet')} → "
        f"{escape(names.get(s.target, s.target))}: {s.label} ({s.score:.2f})" for s in doc.stances])


def print_header(doc: Document, console: Console) -> None:
    title = doc.title or first_line(doc.text)
    console.print(f"[bold]{escape(title)}[/bold]")
    facts = [doc.source, doc.published, doc.url, f"{len(doc.text):,} chars", f"{len(doc.sentences)} sentences",
             f"id {doc.id}"]
    console.print(f"[bold magenta]{doc.kind}[/bold magenta] [dim]· " + " · ".join(escape(f) for f in facts if f)
                  + "[/dim]")
    for note in doc.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")


def print_interview(doc: Document, names: dict[str, str], console: Console) -> None:
    for iv in doc.interviewees:
        desc = f" — {escape(iv.description)}" if iv.description else ""
        console.print(f"[bold cyan]Interviewee:[/bold cyan] {escape(names.get(iv.entity, iv.entity))}{desc}")
    if doc.turns:
        counts = {r: sum(1 for t in doc.turns if t.role == r) for r in ("lead", "question", "answer", "closing")}
        console.print("Turns: " + ", ".join(f"{v} {k}{'s' if v > 1 else ''}" for k, v in counts.items() if v))


def print_entities(doc: Document, names: dict[str, str], console: Console) -> None:
    """People get a row each (roles matter most); organisations and places a compact line each kind."""
    ranked = sorted(doc.entities, key=lambda e: (-len(e.mentions), e.id))
    people = [e for e in ranked if e.type == "PER"]
    if people:
        console.print(f"[bold]People[/bold] ({len(people)})")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", max_width=26, overflow="fold")
        grid.add_column(justify="right", style="dim")
        grid.add_column(overflow="fold")
        for e in people:
            roles = escape(format_roles(e, names))
            grid.add_row(escape(e.name), f"{len(e.mentions)}×",
                         "\n".join(x for x in (roles, f"[dim]as: {escape(format_forms(e))}[/dim]",
                                                format_sentiment(e)) if x))
        console.print(grid)
    for kind, title in (("ORG", "Organisations"), ("LOC", "Places")):
        found = [e for e in ranked if e.type == kind]
        if found:
            console.print(f"[bold]{title}[/bold] ({len(found)}): " + ", ".join(format_thing(e, names) for e in found))


def format_thing(entity: Entity, names: dict[str, str]) -> str:
    """"Казахстан (country, 14×)": an organisation or place on one line with what little it carries."""
    facts = [entity.subtype if entity.subtype and entity.subtype != "other" else "",
             f"{len(entity.mentions)}×" if len(entity.mentions) > 1 else "", format_roles(entity, names)]
    tone = format_sentiment(entity)
    details = ", ".join(escape(f) for f in facts if f) + (f", {tone}" if tone and any(facts) else tone)
    return f"{escape(entity.name)}" + (f" [dim]({details})[/dim]" if details else "")


def format_roles(entity: Entity, names: dict[str, str]) -> str:
    # "президент (Казахстан)" already says "президент": a bare repeat of a title adds nothing.
    with_of = {r.title for r in entity.roles if r.of}
    titles: list[str] = []
    for r in entity.roles:
        title = r.title + (f" ({names.get(r.of, r.of)})" if r.of else "")
        if title not in titles and (r.of or r.title not in with_of):
            titles.append(title)
    return "; ".join(titles)


def format_forms(entity: Entity) -> str:
    """The distinct forms the entity is mentioned in: "Токаева, Токаев, глава государства, …"."""
    forms: list[str] = []
    for m in entity.mentions:
        if m.text not in forms:
            forms.append(m.text)
    return ", ".join(forms[:MENTION_FORMS]) + (", …" if len(forms) > MENTION_FORMS else "")


def format_sentiment(entity: Entity) -> str:
    s = entity.sentiment
    if s is None:
        return ""
    colour = {"positive": "green", "negative": "red"}.get(s.label, "dim")
    return f"[{colour}]{s.label} {s.score:.2f}[/{colour}]"


def print_quotes(doc: Document, names: dict[str, str], console: Console) -> None:
    """One row per quote: speaker and kind on the left, the words (shortened) and what they are about."""
    if not doc.quotes:
        return
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="cyan", max_width=24, overflow="fold")
    grid.add_column(overflow="fold")
    for q in doc.quotes:
        speaker = names.get(q.speaker, q.speaker) if q.speaker else "unattributed"
        about = ", ".join(names.get(a, a) for a in q.about)
        words = escape(shorten(quote_span(doc, q.start, q.end), QUOTE_CHARS))
        grid.add_row(f"{escape(speaker)} [dim]({q.kind})[/dim]",
                     words + (f"\n[dim]about: {escape(about)}[/dim]" if about else ""))
    console.print(f"[bold]Quotes[/bold] ({len(doc.quotes)})")
    console.print(grid)


def format_amount(doc, a) -> str:
    unit = f" {escape(a.unit)}" if a.unit else ""
    approx = " [dim](approx.)[/dim]" if a.approximate else ""
    value = f"{int(a.value):,}" if float(a.value).is_integer() else f"{a.value:,}"
    return f"{escape(quote_span(doc, a.start, a.end))} → [green]{value}{unit}[/green]{approx}"


def format_professions(doc: Document, names: dict[str, str]) -> list[str]:
    """Each profession once per holder, with how often it is mentioned: "министр обороны → Иван Петров (2×)"."""
    counts: dict[tuple[str, str | None], int] = {}
    for p in doc.professions:
        counts[(p.lemma, p.holder)] = counts.get((p.lemma, p.holder), 0) + 1
    return [escape(lemma) + (f" → [bold]{escape(names.get(holder, holder))}[/bold]" if holder else "")
            + (f" [dim]({n}×)[/dim]" if n > 1 else "") for (lemma, holder), n in counts.items()]


def format_event(e, names: dict[str, str]) -> str:
    who = ", ".join(escape(names.get(p, p)) for p in e.participants)
    where = f"in {escape(names.get(e.location, e.location))}" if e.location else ""
    when = f"on {e.date.value}" if e.date else ""
    parts = [f"[bold]{escape(e.type)}[/bold] [dim]({e.status})[/dim]", who, where, when]
    return " ".join(p for p in parts if p)


def print_items(console: Console, title: str, items: list[str]) -> None:
    if items:
        console.print(f"[bold]{title}[/bold] ({len(items)})")
        for item in items:
            console.print(f"  {item}")


def quote_span(doc: Document, start: int, end: int) -> str:
    """The text of a span on one line (turns and quotes can cross paragraph breaks)."""
    return " ".join(doc.text[start:end].split())


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def first_line(text: str) -> str:
    # 72 characters keep the fallback title on one line of an 80-column terminal.
    return shorten(text.split("\n", 1)[0], 72) if text else "(empty)"
