"""`sarap load PARQUET_DIR`: bulk-load `sarap batch` output into the store."""
from __future__ import annotations

from . import UsageError


def register(subparsers) -> None:
    p = subparsers.add_parser("load", help="load `sarap batch` output (Parquet tables) into the store")
    p.add_argument("folder", metavar="PARQUET_DIR", help="the OUTPUT folder of `sarap batch`")
    p.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db, ./sarap.db)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..load import load_batch_output
    from ..settings import Settings
    from ..store import open_store

    settings = Settings.load(args.settings)
    store = open_store(args.db or settings.db, settings)
    try:
        summary = load_batch_output(args.folder, store, settings)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    finally:
        store.close()
    print(f"loaded {summary.loaded} documents ({summary.reprints} reprints), {summary.already_stored} already "
          f"stored, {summary.rejected} new rejections recorded")
    return 0
