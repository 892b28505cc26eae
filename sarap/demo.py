"""`make demo` (`python -m sarap.demo`): walk a new user through sarap on the samples in ``examples/``.

The demo is a list of steps sharing one context; a later feature adds its step to ``build_steps`` (ingest
into a store, statistics, search, the web server) and reads what earlier steps left in the context.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.rule import Rule

from .model import Document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# Files in examples/ that are samples; anything else there (README, .meta.json sidecars) is not.
SAMPLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(slots=True)
class Sample:
    """One sample file and the metadata from its optional ``NAME.meta.json`` sidecar."""
    path: Path
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None


@dataclass(slots=True)
class DemoContext:
    """What the steps share: where the samples are, the console, and what earlier steps produced."""
    examples: Path
    console: Console
    workdir: Path
    samples: list[Sample] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


@dataclass(slots=True)
class DemoStep:
    title: str
    run: Callable[[DemoContext], None]


def build_steps() -> list[DemoStep]:
    """The demo, in order.  Add a step here to show a new feature."""
    return [
        DemoStep("Analyse each sample article (sarap analyze)", analyze_samples),
        DemoStep("Ingest the samples into a fresh SQLite store (sarap ingest)", ingest_samples),
        DemoStep("Corpus statistics (sarap stats)", show_stats),
        DemoStep("Search in Russian, any inflection (sarap search)", show_search),
        DemoStep("One entity across documents (sarap entity)", show_entity),
        DemoStep("The web workbench (sarap serve)", serve_store),
    ]


def list_samples(examples: Path) -> list[Sample]:
    """Every sample file in ``examples``, sorted by name, with its sidecar metadata."""
    samples = []
    for path in sorted(examples.iterdir()):
        if path.is_file() and path.suffix.lower() in SAMPLE_SUFFIXES:
            samples.append(read_sample_meta(path))
    return samples


def read_sample_meta(path: Path) -> Sample:
    meta_path = path.with_name(path.name + ".meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return Sample(path=path, title=meta.get("title"), source=meta.get("source"),
                  published=meta.get("published"), url=meta.get("url"))


def analyze_samples(ctx: DemoContext) -> None:
    """Read each sample the way `sarap analyze` does, analyse it, and print its summary."""
    from .analyzer import shared_analyzer
    from .inputs import Rejected, read_path
    from .summary import print_summary

    analyzer = shared_analyzer()
    for sample in ctx.samples:
        ctx.console.print(Rule(f"[bold]{sample.path.name}[/bold]", align="left"))
        got = read_path(sample.path)
        if isinstance(got, Rejected):
            ctx.console.print(f"[red]refused:[/red] {got.reason}")
            continue
        started = time.perf_counter()
        doc = analyzer(got.text, title=sample.title or got.title, published=sample.published or got.published,
                       source=sample.source or got.source, url=sample.url or got.url)
        doc.notes[:0] = got.notes
        print_summary(doc, ctx.console)
        ctx.console.print(f"[dim]analysed in {time.perf_counter() - started:.2f} s[/dim]\n")
        ctx.documents.append(doc)


def demo_db(ctx: DemoContext) -> str:
    """The demo's store: a fresh SQLite file in the demo's temporary folder."""
    return str(ctx.workdir / "demo.db")


def ingest_samples(ctx: DemoContext) -> None:
    from .ingest import ingest

    summary = ingest([str(s.path) for s in ctx.samples], demo_db(ctx))
    ctx.console.print(f"ingested {summary.ingested}, exact duplicates {summary.exact_duplicates}, reprints "
                      f"{summary.reprints}, rejected {sum(summary.rejected.values())} → {demo_db(ctx)}")


def show_stats(ctx: DemoContext) -> None:
    from .cli.stats import print_stats
    from .store import open_store
    from .views import corpus_stats

    store = open_store(demo_db(ctx))
    try:
        print_stats(corpus_stats(store, top=8))
    finally:
        store.close()


def show_search(ctx: DemoContext) -> None:
    from .cli.search import print_hits, search_documents
    from .store import open_store

    # «выборы» finds «выборов»: the index holds lemmas.
    ctx.console.print("$ sarap search выборы")
    store = open_store(demo_db(ctx))
    try:
        print_hits(search_documents(store, "выборы", None, 5))
    finally:
        store.close()


def show_entity(ctx: DemoContext) -> None:
    """The profile of the person in the most documents (ties: the most mentions)."""
    from .cli.entity import print_profile
    from .store import open_store
    from .views import entity_profile

    store = open_store(demo_db(ctx))
    try:
        people = sorted(store.top_entities("PER", limit=20), key=lambda e: (-e.documents, -e.mentions, e.key))
        if not people:
            ctx.console.print("no people found")
            return
        ctx.console.print(f"$ sarap entity \"{people[0].name}\"")
        print_profile(entity_profile(store, people[0].key))
    finally:
        store.close()


def serve_store(ctx: DemoContext) -> None:
    """Serve the demo store until Ctrl-C; skipped with SARAP_DEMO_NO_SERVE=1 or when not at a terminal."""
    import os

    if os.environ.get("SARAP_DEMO_NO_SERVE") == "1" or not sys.stdin.isatty():
        ctx.console.print("skipped (SARAP_DEMO_NO_SERVE=1 or no terminal): at a terminal, `make demo` ends by "
                          "serving the demo store at http://127.0.0.1:8000/")
        return
    from .cli import main as cli_main

    ctx.console.print("open the address below in a browser; Ctrl-C stops the server and ends the demo")
    with contextlib.suppress(KeyboardInterrupt):
        cli_main(["serve", "--db", demo_db(ctx)])


def run_demo(steps: list[DemoStep], ctx: DemoContext) -> None:
    for number, step in enumerate(steps, 1):
        ctx.console.print(Rule(f"[bold magenta]Step {number}/{len(steps)}: {step.title}[/bold magenta]"))
        step.run(ctx)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sarap.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, default=EXAMPLES, help="folder of sample articles")
    args = parser.parse_args(argv)
    console = Console()
    if not args.examples.is_dir():
        console.print(f"[red]no examples folder at {args.examples}[/red]")
        return 2
    with tempfile.TemporaryDirectory(prefix="sarap-demo-") as workdir:
        ctx = DemoContext(examples=args.examples, console=console, workdir=Path(workdir))
        ctx.samples = list_samples(args.examples)
        console.print(f"sarap demo: {len(ctx.samples)} sample articles in {args.examples}")
        run_demo(build_steps(), ctx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
