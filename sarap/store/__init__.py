"""Storage: one Store protocol (base.py), SQLite (default) and PostgreSQL implementations."""
from __future__ import annotations

from .base import (DocumentFilter, DocumentRow, EntityLink, KbEntity, KbRole, RejectedInput, SearchHit, Store,
                   StoreCounts, StoredDocument)


def open_store(url: str | None = None, settings=None, **options) -> Store:
    """Open (creating and migrating as needed) the store at ``url``: a SQLite path, ``sqlite:///path``,
    ``:memory:`` or a ``postgresql://`` URL; ``None`` means the ``db`` setting (./sarap.db)."""
    from ..settings import Settings

    settings = settings or Settings.load()
    url = url or settings.db
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore
        store = PostgresStore(url, **options)
    else:
        from .sqlite import SqliteStore
        store = SqliteStore(url.removeprefix("sqlite:///").removeprefix("sqlite://"), **options)
    store.rank_window = settings.search_rank_window
    return store


__all__ = ["open_store", "Store", "StoredDocument", "EntityLink", "DocumentFilter", "DocumentRow", "SearchHit",
           "KbEntity", "KbRole", "StoreCounts", "RejectedInput"]
