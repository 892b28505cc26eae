"""`sarap serve`: the web workbench and JSON API over a store (read-only, except with the token)."""
from __future__ import annotations

from . import UsageError, require_existing_store


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="web UI and JSON API over the store")
    p.add_argument("--db", help="store: SQLite path or postgresql:// URL (default: setting db)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", help="token for the write endpoints (default: $SARAP_TOKEN, else a new random one)")
    p.set_defaults(func=run)


def run(args) -> int:
    import os
    import secrets

    import uvicorn

    from ..settings import Settings
    from ..web.app import WebSettings, create_app

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be 1-65535, got {args.port}")
    settings = Settings.load(args.settings)
    require_existing_store(args.db or settings.db)
    token = args.token or os.environ.get("SARAP_TOKEN") or secrets.token_urlsafe(24)
    app = create_app(WebSettings(db=args.db or settings.db, token=token, settings=settings, warm=True))
    print(f"sarap: serving {args.db or settings.db} at http://{args.host}:{args.port}/", flush=True)
    print(f"sarap: write token (ingest): {token}", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"sarap: warning: bound to {args.host}, reachable from other machines", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
