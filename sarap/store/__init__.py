"""Storage: one Store protocol (base.py), SQLite (default) and PostgreSQL implementations."""
from __future__ import annotations

from .base import (DocumentFilter, DocumentRow, EntityLink, KbEntity, KbRole, RejectedInput, SearchHit, Store,
                   StoreCounts, StoredDocument)


def open_store(url: str | None = None, **options) -> Store:
    """Open (creating and migrating as needed) the store at ``url``: a SQLite path, ``sqlite:///path``,
    ``:memory:`` or a ``postgresql://`` URL; ``None`` means the ``db`` setting (./sarap.db)."""
    if url is None:
        from ..settings import Settings
        url = Settings.load().db
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore
        return PostgresStore(url, **options)
    from .sqlite import SqliteStore
    return SqliteStore(url.removeprefix("sqlite:///").removeprefix("sqlite://"), **options)


__all__ = ["open_store", "Store", "StoredDocument", "EntityLink", "DocumentFilter", "DocumentRow", "SearchHit",
           "KbEntity", "KbRole", "StoreCounts", "RejectedInput"]
