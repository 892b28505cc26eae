"""`sarap batch INPUT OUTPUT`: analyse a corpus into Parquet tables, locally or on Spark."""
from __future__ import annotations

import os

from . import UsageError


def register(subparsers) -> None:
    p = subparsers.add_parser("batch", help="analyse a corpus into Parquet tables (local process pool or Spark)")
    p.add_argument("input", help="JSONL, Parquet, or a folder of text/HTML/WARC files (any path Spark reads)")
    p.add_argument("output", help="output folder: one Parquet folder per table")
    p.add_argument("--engine", choices=("local", "spark"), default="local", help="execution engine (default local)")
    p.add_argument("--master", help="Spark master URL (default local[*])")
    p.add_argument("--partitions", type=int, help="Spark: number of input partitions")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="local engine: worker processes (default: CPU count)")
    p.add_argument("--chunk-size", type=int, default=64,
                   help="local engine: records per resumable chunk (default 64)")
    p.add_argument("--source", help="source name for records that carry none")
    p.set_defaults(func=run)


def run(args) -> int:
    from rich.console import Console

    from ..batch import BatchOptions, run_batch
    from ..settings import Settings

    options = BatchOptions(engine=args.engine, workers=max(1, args.workers), master=args.master,
                           partitions=args.partitions, source=args.source, chunk_size=max(1, args.chunk_size),
                           settings=Settings.load(args.settings))
    try:
        result = run_batch(args.input, args.output, options)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    console = Console(stderr=True)
    console.print(f"[bold]{result.documents}[/bold] documents, {result.duplicates} exact duplicates dropped, "
                  f"{result.rejected} rejected"
                  + (f", {result.skipped_chunks} chunks already done" if result.skipped_chunks else ""))
    for name, count in result.tables.items():
        console.print(f"  {name}: {count} rows")
    return 0
