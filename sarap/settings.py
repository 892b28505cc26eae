"""Settings, declared once with name, default and help; a user file overrides only what it sets."""
from __future__ import annotations

from dataclasses import dataclass, fields, field
from pathlib import Path
from typing import Any


def setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass
class Settings:
    max_input_bytes: int = setting(10_000_000, "Largest input accepted by analyze and ingest, in bytes.")
    # Measured on 2 cores: 133k chars take 5 s and 470 MB, 500k chars 31 s and 990 MB (superlinear), so a
    # 5 MB text would need minutes and several GB; 200k chars is about twice the longest long-read.
    max_text_chars: int = setting(200_000, "Longest article text (after decoding and HTML extraction) analysed, "
                                  "in characters; longer texts are refused.")
    batch_size: int = setting(32, "Documents analysed per batch during ingest.")
    near_duplicate_threshold: float = setting(0.8, "MinHash Jaccard similarity above which a document is a reprint.")
    db: str = setting("sarap.db", "Default store: a SQLite path or a postgresql:// URL.")
    # Off by default: updating narratives costs about as much as the analysis itself (measured: ingest at
    # 0.35x bare analysis with it, 0.68x without), and the next read folds new documents in incrementally.
    narratives_on_ingest: bool = setting(False, "Update the stored narratives while ingesting and loading; when "
                                         "false, the next read of the narratives folds the new documents in.")
    # Opt-in: the encoder model scores RuSentNE dev F1_PN 0.457 against 0.421, but its USE encoding of each
    # mention adds about half of the whole analysis time (measured on 40 factRuEval texts).
    tone_model: str = setting("lexical", "Sentiment model behind entity tone and stances: 'lexical' (fast) or "
                              "'encoder' (more accurate, about 1.5x the analysis time).")
    search_rank_window: int = setting(1000, "Search ranks at most this many matches, the most recently "
                                      "ingested, so common words stay fast on large stores.")

    @classmethod
    def describe(cls) -> list[tuple[str, Any, str]]:
        return [(f.name, f.default, f.metadata["help"]) for f in fields(cls)]

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Settings":
        """Defaults, overridden by the YAML file at ``path`` (or $SARAP_SETTINGS) if it exists."""
        import os
        import yaml

        path = path or os.environ.get("SARAP_SETTINGS")
        settings = cls()
        if path and Path(path).exists():
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            known = {f.name for f in fields(cls)}
            unknown = set(data) - known
            if unknown:
                raise ValueError(f"unknown settings in {path}: {sorted(unknown)}")
            for key, value in data.items():
                setattr(settings, key, value)
        settings.check()
        return settings

    def check(self) -> None:
        from .sentiment import MODEL_KINDS
        if self.tone_model not in MODEL_KINDS:
            raise ValueError(f"tone_model must be one of {', '.join(MODEL_KINDS)}, not {self.tone_model!r}")
