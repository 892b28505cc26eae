"""`sarap analyze PATH|-`: one article in, one Document out (JSON or a readable summary)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from . import UsageError


def register(subparsers) -> None:
    p = subparsers.add_parser("analyze", help="analyse one article and print its document")
    p.add_argument("path", help="a text or HTML file, or - for standard input")
    p.add_argument("--published", help="publication date YYYY-MM-DD (resolves relative dates)")
    p.add_argument("--title", help="article title")
    p.add_argument("--source", help="outlet name")
    p.add_argument("--url", help="article URL")
    p.add_argument("--format", choices=("json", "text"), default="json", help="output format (default json)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..analyzer import analyze
    from ..inputs import Rejected, read_bytes
    from ..settings import Settings

    settings = Settings.load(args.settings)
    published = parse_date_arg(args.published)
    data = read_source_bytes(args.path)
    got = read_bytes(data, settings, name=args.path)
    if isinstance(got, Rejected):
        raise UsageError(got.reason)
    doc = analyze(got.text, title=args.title or got.title, published=published or got.published,
                  source=args.source, url=args.url or got.url)
    doc.notes[:0] = got.notes
    if not doc.text:
        raise UsageError("no text left after cleaning")
    if args.format == "json":
        json.dump(doc.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from ..summary import print_summary
        print_summary(doc)
    return 0


def read_source_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise UsageError(f"no such file: {path}")
    if p.is_dir():
        raise UsageError(f"{path} is a directory; use `sarap ingest` for many files")
    return p.read_bytes()


def parse_date_arg(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--published must be YYYY-MM-DD, got {value!r}") from None
