"""The `sarap` command line: a thin shell over the library.

Each module in this package that defines ``register(subparsers)`` adds one command; modules are
discovered, so adding a command never means editing a shared list.
"""
from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from contextlib import contextmanager
from pathlib import Path


class UsageError(Exception):
    """Unusable input or arguments: printed as one line, exit code 2."""


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db, ./sarap.db)")


def add_format_argument(parser: argparse.ArgumentParser, *choices: str) -> None:
    choices = choices or ("text", "json")
    parser.add_argument("--format", choices=choices, default=choices[0],
                        help=f"output format (default {choices[0]})")


def require_existing_store(url: str) -> None:
    """Refuse a SQLite path that does not exist: opening it would create an empty store, so a mistyped
    ``--db`` (or a first ``sarap search`` before any ingest) would answer "nothing found" and leave a stray file."""
    if url.startswith(("postgresql://", "postgres://")) or url == ":memory:":
        return
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    if not Path(path).exists():
        raise UsageError(f"no store at {path}: ingest documents first (sarap ingest PATH --db {path}) "
                         "or name an existing store with --db")


@contextmanager
def opened_store(args, *, create: bool = False):
    """The store named by ``--db`` (or the ``db`` setting), closed afterwards; it must exist unless ``create``."""
    from ..settings import Settings
    from ..store import open_store

    settings = Settings.load(getattr(args, "settings", None))
    url = getattr(args, "db", None) or settings.db
    if not create:
        require_existing_store(url)
    store = open_store(url, settings)
    try:
        yield store
    finally:
        store.close()


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sarap", description="Who said what, about whom, when and with what "
                                     "tone, in Russian-language news.")
    parser.add_argument("--settings", help="YAML file overriding default settings (also $SARAP_SETTINGS)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except UsageError as exc:
        print(f"sarap {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
