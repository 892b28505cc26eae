"""`sarap export --format jsonl|csv|parquet|gexf --out DIR`: the whole knowledge base as files."""
from __future__ import annotations

from ..export import FORMATS
from . import add_db_argument, opened_store


def register(subparsers) -> None:
    p = subparsers.add_parser("export", help="export the store as JSONL/CSV/Parquet tables or a GEXF graph")
    p.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default jsonl)")
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    add_db_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..export import export_store

    with opened_store(args) as store:
        summary = export_store(store, args.out, args.format)
    for name, count in summary.rows.items():
        print(f"{name}: {count}")
    print(f"wrote {len(summary.files)} file(s) to {args.out}")
    return 0
