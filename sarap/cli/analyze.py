"""`sarap analyze PATH|-`: one article in, one Document out (JSON or a readable summary)."""
from __future__ import annotations

import json
import sys

from . import UsageError


def register(subparsers) -> None:
    p = subparsers.add_parser("analyze", help="analyse one article and print its document")
    p.add_argument("path", help="a text or HTML file (any Cyrillic encoding), or - for standard input")
    p.add_argument("--published", help="publication date YYYY-MM-DD (resolves relative dates)")
    p.add_argument("--title", help="article title")
    p.add_argument("--source", help="outlet name")
    p.add_argument("--url", help="article URL")
    p.add_argument("--format", choices=("json", "text"), default="json",
                   help="json: the Document JSON; text: a readable summary (default json)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..inputs import Rejected, read_path, read_stream
    from ..analyzer import shared_analyzer
    from ..pipeline import StageError
    from ..readers import read_sidecar

    settings = load_settings(args.settings)
    published = parse_date_arg(args.published)
    got = read_stream(sys.stdin.buffer, settings) if args.path == "-" else read_path(args.path, settings)
    if isinstance(got, Rejected):
        raise UsageError(got.reason)
    # A NAME.meta.json beside the file names its title, source and date, as in `sarap ingest`; flags win.
    meta = read_sidecar(args.path)
    if meta:
        got.notes.append(f"metadata from {args.path}.meta.json")
    for note in got.notes:
        print(f"sarap analyze: note: {note}", file=sys.stderr)
    try:
        doc = shared_analyzer(settings.tone_model)(got.text, title=args.title or meta.get("title") or got.title,
                                                   published=published or meta.get("published") or got.published,
                                                   source=args.source or meta.get("source") or got.source,
                                                   url=args.url or meta.get("url") or got.url)
    except StageError as exc:  # a bug, not bad input: one line the user can paste into an issue
        print(f"sarap analyze: internal error, please report: {exc}", file=sys.stderr)
        return 1
    doc.notes[:0] = got.notes
    if args.format == "json":
        json.dump(doc.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from ..summary import print_summary
        print_summary(doc)
    return 0


def load_settings(path: str | None):
    from ..settings import Settings

    try:
        return Settings.load(path)
    except (ValueError, OSError) as exc:
        raise UsageError(f"bad settings file: {exc}") from None
    except Exception as exc:  # yaml.YAMLError and friends: a broken file is the user's to fix
        raise UsageError(f"bad settings file {path}: {type(exc).__name__}") from None


def parse_date_arg(value: str | None) -> str | None:
    from ..inputs import iso_date

    if value is None:
        return None
    date = iso_date(value) if len(value) == 10 else None
    if date is None or date != value:
        raise UsageError(f"--published must be a date YYYY-MM-DD, got {value!r}")
    return date

