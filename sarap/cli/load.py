"""`sarap load PARQUET_DIR`: bulk-load `sarap batch` output into the store."""
from __future__ import annotations

from . import UsageError, add_db_argument, opened_store


def register(subparsers) -> None:
    p = subparsers.add_parser("load", help="load `sarap batch` output (Parquet tables) into the store")
    p.add_argument("folder", metavar="PARQUET_DIR", help="the OUTPUT folder of `sarap batch`")
    add_db_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..load import load_batch_output

    with opened_store(args, create=True) as store:
        try:
            summary = load_batch_output(args.folder, store)
        except FileNotFoundError as exc:
            raise UsageError(str(exc)) from None
    print(f"loaded {summary.loaded} documents ({summary.reprints} reprints), {summary.already_stored} already "
          f"stored, {summary.rejected} new rejections recorded")
    return 0
