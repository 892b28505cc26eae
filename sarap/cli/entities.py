"""`sarap entities merge|split|apply-aliases`: correct the knowledge base's entities by hand."""
from __future__ import annotations

import argparse

from . import UsageError, add_db_argument, opened_store


def register(subparsers) -> None:
    p = subparsers.add_parser("entities", help="merge or split knowledge-base entities; apply an alias file")
    add_db_argument(p)
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    merge = sub.add_parser("merge", help="fold entity NAME into entity INTO")
    merge.add_argument("name", help="the entity to fold in (a key or any name it is known by)")
    merge.add_argument("into", help="the entity that remains")
    split = sub.add_parser("split", help="move the documents naming ENTITY by --alias to a new entity")
    split.add_argument("entity", help="the entity to split (a key or any name it is known by)")
    split.add_argument("--alias", required=True, help="the name form whose documents move")
    split.add_argument("--into", required=True, help="canonical name of the new entity")
    apply = sub.add_parser("apply-aliases", help="apply a YAML alias file (merge: / split: lists)")
    apply.add_argument("file", help="the alias file")
    for action in (merge, split, apply):
        # Every other command takes --db at the end; accept it there too, without hiding one given before.
        action.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..curation import CurationError

    with opened_store(args) as store:
        try:
            act(store, args)
        except CurationError as exc:
            raise UsageError(str(exc)) from None
    return 0


def act(store, args) -> None:
    from ..curation import merge_entities, resolve_one, split_entity

    if args.action == "merge":
        source, target = resolve_one(store, args.name), resolve_one(store, args.into)
        merge_entities(store, source, target)
        print(f"merged {source} into {target}")
    elif args.action == "split":
        new_key, moved = split_entity(store, resolve_one(store, args.entity), args.alias, args.into)
        print(f"{moved} document(s) moved to {new_key}")
    else:
        print_report(store, args.file)


def print_report(store, path: str) -> None:
    from ..curation import apply_alias_file

    report = apply_alias_file(store, path)
    for a, b in report.merged:
        print(f"merged {a} into {b}")
    for alias, a, b in report.split:
        print(f"split {alias!r} off {a} into {b}")
    for name in report.unresolved:
        print(f"no entity known as {name!r} (skipped)")
    if not (report.merged or report.split):
        print("nothing to change")
