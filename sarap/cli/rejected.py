"""`sarap rejected`: every input ingest could not use, with its path and reason."""
from __future__ import annotations

import sys

from . import add_db_argument, add_format_argument, opened_store, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("rejected", help="list rejected inputs with path and reason")
    add_db_argument(p)
    add_format_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from dataclasses import asdict

    with opened_store(args) as store:
        rows = store.list_rejected()
    if args.format == "json":
        print_json([asdict(r) for r in rows])
        return 0
    for row in rows:
        print(f"{row.path}\t{row.reason}\t{row.at}")
    print(f"{len(rows)} rejected inputs", file=sys.stderr)
    return 0
