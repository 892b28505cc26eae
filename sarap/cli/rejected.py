"""`sarap rejected`: every input ingest could not use, with its path and reason."""
from __future__ import annotations

import json
import sys

from . import require_existing_store


def register(subparsers) -> None:
    p = subparsers.add_parser("rejected", help="list rejected inputs with path and reason")
    p.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.set_defaults(func=run)


def run(args) -> int:
    from dataclasses import asdict

    from ..settings import Settings
    from ..store import open_store

    settings = Settings.load(args.settings)
    require_existing_store(args.db or settings.db)
    store = open_store(args.db or settings.db, settings)
    try:
        rows = store.list_rejected()
    finally:
        store.close()
    if args.format == "json":
        json.dump([asdict(r) for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        print(f"{row.path}\t{row.reason}\t{row.at}")
    print(f"{len(rows)} rejected inputs", file=sys.stderr)
    return 0
