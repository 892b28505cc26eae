"""`make demo` (`python -m sarap.demo`): walk a new user through sarap on the samples in ``examples/``.

The demo is a list of steps sharing one context; a later feature adds its step to ``build_steps`` (ingest
into a store, statistics, search, the web server) and reads what earlier steps left in the context.
"""
from __future__ import annotations

import argparse
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
