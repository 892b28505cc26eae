"""The Document JSON Schema shipped with the package, and a validator for it."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def document_schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("document.schema.json").read_text("utf-8"))


def validate_document(data: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError unless ``data`` is a valid schema_version 1 document,
    and ValueError when an offset falls outside the text."""
    import jsonschema

    jsonschema.validate(data, document_schema())
    check_offsets(data)


def check_text(text: str, span: dict[str, Any], what: str) -> None:
    if text[span["start"]:span["end"]] != span["text"]:
        raise ValueError(f"{what} text {span['text']!r} does not match the text at {span['start']}:{span['end']}")


def check_offsets(data: dict[str, Any]) -> None:
    n = len(data["text"])
    spans = list(data["sentences"]) + data["turns"] + data["quotes"] + data["dates"] + data["amounts"] + data["events"]
    spans += data.get("professions", [])
    for ent in data["entities"]:
        spans += ent["mentions"] + ent["roles"]
        for m in ent["mentions"]:
            check_text(data["text"], m, "mention")
    for p in data.get("professions", []):
        check_text(data["text"], p, "profession")
    for s in spans:
        if not 0 <= s["start"] <= s["end"] <= n:
            raise ValueError(f"span {s['start']}:{s['end']} outside text of length {n}")
