"""`sarap ingest PATH...`: analyse files, directories or stdin into the knowledge base."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from . import UsageError


def register(subparsers) -> None:
    p = subparsers.add_parser("ingest", help="analyse files, directories or stdin into the store")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files (.txt .html .json .jsonl .rss/.atom/.xml .warc[.gz]), directories, or - for stdin")
    p.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db, ./sarap.db)")
    p.add_argument("--source", help="outlet name for inputs that do not name one")
    p.add_argument("--field", action="append", default=[], metavar="OURS=THEIRS",
                   help="JSON field name mapping, e.g. --field text=body --field published=date")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..ingest import ingest
    from ..settings import Settings
    from ..store import open_store

    settings = Settings.load(args.settings)
    fields = parse_fields(args.field)
    missing = [p for p in args.paths if p != "-" and not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    store = open_store(args.db or settings.db, settings)
    try:
        with ProgressBar(enabled=not args.quiet and sys.stderr.isatty()) as bar:
            summary = ingest(args.paths, store=store, source=args.source, settings=settings, fields=fields,
                             on_progress=bar.update)
        print_summary(summary, store)
    finally:
        store.close()
    return 0


def parse_fields(pairs: list[str]) -> dict[str, str]:
    from ..readers import JSON_FIELDS

    fields = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or ours not in JSON_FIELDS or not theirs:
            raise UsageError(f"--field wants OURS=THEIRS with OURS one of {', '.join(JSON_FIELDS)}; got {pair!r}")
        fields[ours] = theirs
    return fields


class ProgressBar:
    """A rich progress bar over files, with documents per second and ETA."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()

    def __enter__(self) -> "ProgressBar":
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn("ingest"), BarColumn(),
                                     TextColumn("{task.completed}/{task.total} files"),
                                     TextColumn("{task.fields[docs]} docs, {task.fields[rate]:.1f} docs/s"),
                                     TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                     transient=False)
            self.progress.__enter__()
            self.task = self.progress.add_task("ingest", total=None, docs=0, rate=0.0)
        return self

    def update(self, event) -> None:
        if not self.enabled:
            return
        docs = event.summary.seen
        rate = docs / max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, completed=event.files_done, total=event.files_total, docs=docs, rate=rate)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.progress.__exit__(*exc)


def print_summary(summary, store) -> None:
    rejected = sum(summary.rejected.values())
    if not summary.changed:
        print(f"nothing new: all {summary.seen} inputs from {summary.files} files are already in the store "
              f"({summary.exact_duplicates} exact duplicates, {rejected} rejected before)")
    print(f"ingested: {summary.ingested} (of which near-duplicates/reprints: {summary.reprints})")
    print(f"exact duplicates skipped: {summary.exact_duplicates}")
    print(f"rejected: {rejected}")
    for reason, count in summary.rejected.most_common():
        print(f"  {count:5d}  {reason}")
    counts = store.counts()
    print(f"store {redact_url(store.url)}: {counts.documents} documents ({counts.originals} originals, {counts.reprints} "
          f"reprints), {counts.entities} entities, {counts.rejected} rejected inputs")


def redact_url(url: str) -> str:
    """The store URL without its password, for printing."""
    import re

    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)
