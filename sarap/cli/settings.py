"""`sarap settings`: every setting with its default, its value in effect and its help."""
from __future__ import annotations

import json
import sys

from . import UsageError


def register(subparsers) -> None:
    p = subparsers.add_parser("settings", help="list the settings, their defaults and what they do")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: a table; json: a list of {name, default, value, help} (default text)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..settings import Settings

    try:
        settings = Settings.load(args.settings)
    except Exception as exc:  # ValueError for unknown names, yaml errors for broken files
        raise UsageError(f"bad settings file: {exc}") from None
    rows = [{"name": name, "default": default, "value": getattr(settings, name), "help": help}
            for name, default, help in Settings.describe()]
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_settings(rows)
    return 0


def print_settings(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="sarap settings (override in a YAML file: --settings FILE or $SARAP_SETTINGS)",
                  title_justify="left")
    for col in ("name", "default", "value", "help"):
        table.add_column(col, overflow="fold")
    for row in rows:
        changed = row["value"] != row["default"]
        value = f"[bold yellow]{escape(repr(row['value']))}[/bold yellow]" if changed else "[dim]default[/dim]"
        table.add_row(row["name"], escape(repr(row["default"])), value, escape(row["help"]))
    Console().print(table)
