"""`sarap export --format jsonl|csv|parquet|gexf --out DIR`: the whole knowledge base as files."""
from __future__ import annotations

from ..export import FORMATS


def register(subparsers) -> None:
    p = subparsers.add_parser("export", help="export the store as JSONL/CSV/Parquet tables or a GEXF graph")
    p.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default jsonl)")
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    p.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db, ./sarap.db)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..export import export_store
    from ..settings import Settings
    from ..store import open_store

    settings = Settings.load(args.settings)
    store = open_store(args.db or settings.db, settings)
    try:
        summary = export_store(store, args.out, args.format)
    finally:
        store.close()
    for name, count in summary.rows.items():
        print(f"{name}: {count}")
    print(f"wrote {len(summary.files)} file(s) to {args.out}")
    return 0
