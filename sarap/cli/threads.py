"""`sarap threads`: documents about the same real-world happening, grouped across outlets."""
from __future__ import annotations

from . import UsageError, add_db_argument, add_format_argument, opened_store, print_json
from .narratives import check_date, load_documents


def register(subparsers) -> None:
    p = subparsers.add_parser("threads", help="group documents about the same happening across outlets")
    add_db_argument(p)
    p.add_argument("--since", help="only documents published on or after YYYY-MM-DD")
    p.add_argument("--min-documents", type=int, default=2, help="documents a thread needs (default 2)")
    p.add_argument("--limit", type=int, default=2000, help="newest documents to read (default 2000)")
    add_format_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..threads import ThreadOptions, group_threads

    check_date(args.since, "--since")
    if args.min_documents < 1:
        raise UsageError("--min-documents must be at least 1")
    with opened_store(args) as store:
        docs = load_documents(store, since=args.since, limit=args.limit)
    titles = {d.id: d.title or d.text[:80] for d in docs}
    threads = group_threads(docs, ThreadOptions(min_documents=args.min_documents))
    if args.format == "json":
        print_json([t.to_dict() for t in threads])
        return 0
    if not threads:
        print("no threads")
    for number, t in enumerate(threads, 1):
        span = f"{t.first_published or '?'} .. {t.last_published or '?'}"
        print(f"{number}. {t.title}")
        print(f"   {len(t.documents)} documents, sources: {', '.join(t.sources) or '-'}, {span}")
        for doc_id in t.documents:
            print(f"   - {doc_id} {titles[doc_id]}")
        print()
    return 0
