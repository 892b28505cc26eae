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


def check_offsets(data: dict[str, Any]) -> None:
    n = len(data["text"])
    spans = list(data["sentences"]) + data["turns"] + data["quotes"] + data["dates"] + data["amounts"] + data["events"]
    for ent in data["entities"]:
        spans += ent["mentions"] + ent["roles"]
        for m in ent["mentions"]:
            if data["text"][m["start"]:m["end"]] != m["text"]:
                raise ValueError(f"mention text {m['text']!r} does not match the text at {m['start']}:{m['end']}")
    for s in spans:
        if not 0 <= s["start"] <= s["end"] <= n:
            raise ValueError(f"span {s['start']}:{s['end']} outside text of length {n}")
