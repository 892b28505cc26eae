"""The web workbench: server-rendered pages, each with a JSON twin under /api/ built from the same view.

``create_app`` is the only entry point (no work at import time).  Everything is read-only except the
ingest endpoints, which need the token (``SARAP_TOKEN`` or one generated and printed by `sarap serve`).
Article text, titles, sources and URLs are untrusted: templates autoescape, highlighted text is built
from escaped segments, and a strict Content-Security-Policy allows only our own static scripts.
"""
from __future__ import annotations

import hmac
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel

from ..settings import Settings
from . import pages

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


@dataclass(slots=True)
class WebSettings:
    """What the app needs: the store, the write token, and (for ingest) an analyzer made on first use."""
    db: str | None = None
    token: str | None = None
    settings: Settings = field(default_factory=Settings)
    analyzer: Any = None
    warm: bool = False    # compute the corpus-wide aggregates (stats, top entities) in the background at start


class AppState:
    """The open store behind a lock: one connection serves every request, one at a time."""

    def __init__(self, web: WebSettings) -> None:
        from ..store import open_store

        self.web = web
        self.store = open_store(web.db or web.settings.db, web.settings)
        self.lock = threading.RLock()
        self.token = web.token or os.environ.get("SARAP_TOKEN") or secrets.token_urlsafe(24)
        self.stats_cache: dict[tuple, tuple[int, Any]] = {}

    def analyzer(self):
        if self.web.analyzer is None:
            from ..analyzer import shared_analyzer
            self.web.analyzer = shared_analyzer(self.web.settings.tone_model)
        return self.web.analyzer


def create_app(web: WebSettings | str | None = None, token: str | None = None) -> FastAPI:
    """The FastAPI app over the store at ``web`` (WebSettings, or a store URL; None means the ``db`` setting)."""
    from fastapi.staticfiles import StaticFiles

    if not isinstance(web, WebSettings):
        web = WebSettings(db=web, token=token)
    state = AppState(web)
    app = FastAPI(title="sarap", version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="Who said what, about whom, when: the knowledge base as JSON. Every page of the "
                              "web UI has its twin here.")
    app.state.sarap = state
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def add_security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.on_event("shutdown")
    def close_store() -> None:
        state.store.close()

    views = add_read_routes(app, state)
    add_write_routes(app, state)
    if web.warm:
        threading.Thread(target=views.warm, name="sarap-warm", daemon=True).start()
    return app


def add_read_routes(app: FastAPI, state: AppState) -> "pages.PageViews":
    """Each view once; the HTML route renders it, the /api/ route returns it as JSON."""
    render = pages.Renderer()

    def twin(path: str, view, template: str, name: str) -> None:
        def api(data: dict = Depends(view)) -> JSONResponse:
            return JSONResponse(data)

        def html(request: Request, data: dict = Depends(view)) -> HTMLResponse:
            return render(request, template, data)

        app.add_api_route("/api" + path, api, methods=["GET"], name=f"api_{name}", summary=f"{name} (JSON)")
        app.add_api_route(path, html, methods=["GET"], name=name, include_in_schema=False,
                          response_class=HTMLResponse)

    views = pages.PageViews(state)
    twin("/search", views.search, "search.html", "search")
    twin("/documents/{doc_id}", views.document, "document.html", "document")
    twin("/entities", views.entities, "entities.html", "entities")
    twin("/entities/{key}", views.entity, "entity.html", "entity")
    twin("/events", views.events, "events.html", "events")
    twin("/stats", views.stats, "stats.html", "stats")
    twin("/compare", views.compare, "compare.html", "compare")
    twin("/threads", views.threads, "threads.html", "threads")
    twin("/narratives", views.narratives, "narratives.html", "narratives")
    twin("/rejected", views.rejected, "rejected.html", "rejected")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/search", status_code=307)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return render(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                      status_code=exc.status_code)

    return views


def add_write_routes(app: FastAPI, state: AppState) -> None:
    def require_token(request: Request) -> None:
        given = request.headers.get("x-sarap-token") or \
            request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not given or not hmac.compare_digest(given.encode(), state.token.encode()):
            raise HTTPException(401, "this endpoint needs the token: header X-Sarap-Token or Authorization: Bearer")

    @app.post("/api/ingest", dependencies=[Depends(require_token)], summary="ingest uploaded files")
    def ingest_files(files: list[UploadFile] = File(...), source: str | None = Form(None)) -> dict:
        with tempfile.TemporaryDirectory(prefix="sarap-upload-") as tmp:
            paths = []
            for n, upload in enumerate(files):
                # Only the base name survives: an upload cannot choose where it is written.
                name = Path(upload.filename or f"upload-{n}.txt").name or f"upload-{n}.txt"
                path = Path(tmp) / f"{n:04d}-{name}"
                path.write_bytes(upload.file.read())
                paths.append(str(path))
            return run_ingest(state, paths, source)

    @app.post("/api/ingest/documents", dependencies=[Depends(require_token)],
              summary="ingest JSON documents (text, title, published, source, url)")
    def ingest_documents(documents: list[dict], source: str | None = None) -> dict:
        import json

        if not all(isinstance(d.get("text"), str) for d in documents):
            raise HTTPException(422, "every document needs a string field 'text'")
        with tempfile.TemporaryDirectory(prefix="sarap-upload-") as tmp:
            path = Path(tmp) / "documents.jsonl"
            path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
            return run_ingest(state, [str(path)], source)

    add_curation_routes(app, state, require_token)


class MergeRequest(BaseModel):
    name: str       # the entity folded in: a kb key or any name it is known by
    into: str       # the entity that remains


class SplitRequest(BaseModel):
    entity: str     # the entity to split: a kb key or any name it is known by
    alias: str      # the name form whose documents move
    into: str       # canonical name of the new entity


def add_curation_routes(app: FastAPI, state: AppState, require_token) -> None:
    """Entity merge and split (sarap.curation), with the token; a refusal is a 409 with its reason."""
    from ..curation import CurationError, merge_entities, resolve_one, split_entity

    @app.post("/api/entities/merge", dependencies=[Depends(require_token)], summary="fold one entity into another")
    def merge(body: MergeRequest) -> dict:
        with state.lock:
            try:
                source, target = resolve_one(state.store, body.name), resolve_one(state.store, body.into)
                merge_entities(state.store, source, target)
            except CurationError as exc:
                raise HTTPException(409, str(exc)) from None
            state.stats_cache.clear()
        return {"merged": source, "into": target}

    @app.post("/api/entities/split", dependencies=[Depends(require_token)],
              summary="move the documents naming an entity by one alias to a new entity")
    def split(body: SplitRequest) -> dict:
        with state.lock:
            try:
                new_key, moved = split_entity(state.store, resolve_one(state.store, body.entity), body.alias,
                                              body.into)
            except CurationError as exc:
                raise HTTPException(409, str(exc)) from None
            state.stats_cache.clear()
        return {"new_key": new_key, "documents_moved": moved}


def run_ingest(state: AppState, paths: list[str], source: str | None) -> dict:
    from ..ingest import ingest

    analyzer = state.analyzer()
    with state.lock:
        summary = ingest(paths, state.store, source, analyzer=analyzer, settings=state.web.settings)
        state.stats_cache.clear()
    return {"ingested": summary.ingested, "reprints": summary.reprints,
            "exact_duplicates": summary.exact_duplicates, "rejected": dict(summary.rejected),
            "changed": summary.changed}
