"""Helpers shared by the benchmark and evaluation scripts: paths, offset alignment, scores, runners."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SARAP_SHARED", ROOT.parent / "shared"))
RESULTS = ROOT / "bench" / "results"

# The three coarse types every evaluation maps from; natasha and sarap share them.
COARSE_TYPES = ("PER", "LOC", "ORG")


@dataclass(slots=True)
class Score:
    """Micro-averaged counts; ``tp`` may be fractional (factRuEval gives partial credit)."""
    tp: float = 0.0
    n_gold: int = 0
    n_pred: int = 0

    @property
    def precision(self) -> float:
        # An empty response to an empty standard is right: both default to 1, as the official scorer does.
        return self.tp / self.n_pred if self.n_pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        if self.n_gold + self.n_pred == 0:
            return 1.0
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> "Score":
        self.tp += other.tp
        self.n_gold += other.n_gold
        self.n_pred += other.n_pred
        return self

    def to_dict(self) -> dict:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": round(self.tp, 2), "gold": self.n_gold, "pred": self.n_pred}


def align_offsets(raw: str, cleaned: str) -> list[int]:
    """Map every offset of ``cleaned`` (0..len inclusive) to an offset of ``raw``.

    sarap's cleaning only drops or collapses whitespace and invisible characters and NFC-composes,
    so a greedy walk that skips what was removed recovers the corpus offsets the gold standards use.
    """
    mapping = [0] * (len(cleaned) + 1)
    i = j = 0
    while i < len(cleaned):
        if j < len(raw) and cleaned[i] == raw[j]:
            mapping[i] = j
            i += 1
            j += 1
        elif j < len(raw) and (raw[j].isspace() or not raw[j].isprintable()):
            j += 1          # whitespace or an invisible character the cleaner removed
        elif cleaned[i].isspace():
            mapping[i] = j  # a space the cleaner put where raw had another separator
            i += 1
        else:
            mapping[i] = min(j, len(raw) - 1)  # a rewritten character (NFC): keep walking in step
            i += 1
            j += 1
    mapping[len(cleaned)] = min(j, len(raw))
    return mapping


def to_raw_span(mapping: list[int], start: int, end: int) -> tuple[int, int]:
    """A cleaned-text span (end exclusive) as a raw-text span (end exclusive)."""
    return mapping[start], mapping[end - 1] + 1 if end > start else mapping[start]


def analyze_texts(texts: list[str], analyzer=None) -> Iterator:
    """sarap's full analysis over ``texts`` with one public ``Analyzer`` (models load once; pass one to reuse)."""
    if analyzer is None:
        from sarap import Analyzer
        analyzer = Analyzer()
    return analyzer.map(texts)


def natasha_spans(texts: Iterable[str]) -> Iterator[list[tuple[int, int, str]]]:
    """natasha alone (segment + morph + NER) per text: ``(start, end, type)`` spans into the raw text."""
    from sarap.backends.natasha import NatashaModels
    models = NatashaModels().load()
    for text in texts:
        ndoc = models.annotate(text)
        yield [(s.start, s.stop, s.type) for s in ndoc.spans]


def sarap_spans(doc, raw: str) -> list[tuple[int, int, str]]:
    """Every named entity mention of a sarap Document as ``(start, end, type)`` in ``raw``'s offsets.

    Role references resolved to a person ("глава государства") are mentions of kind "reference", place
    adjectives ("российских") of kind "adjective"; factRuEval annotates names only, so those are left out here.
    """
    mapping = align_offsets(raw, doc.text)
    spans = []
    for ent in doc.entities:
        for m in named_mentions(ent):
            start, end = to_raw_span(mapping, m.start, m.end)
            spans.append((start, end, ent.type))
    return sorted(spans)


def named_mentions(ent, kinds: tuple[str, ...] = ("name",)) -> list:
    """The mentions of the given kinds: names by default (NEREL also counts place adjectives)."""
    return [m for m in ent.mentions if m.kind in kinds]


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def require_dir(path: Path) -> Path:
    """Exit with a one-line reason when a corpus folder is absent (scripts, not tests)."""
    if not path.is_dir():
        sys.exit(f"{path} is absent: the evaluation corpora live in ../shared/data beside the checkout")
    return path


def comparison_table(reports: dict[str, dict], sections: list[str]) -> str:
    """F1 of every type in ``sections``, one column per system: the side-by-side view of ``--compare``."""
    names = list(reports)
    rows = [["F1", *names]]
    first = reports[names[0]]
    for section in sections:
        for key in first.get(section, {}):
            rows.append([f"{section} {key}", *(f"{r[section][key]['f1']:.3f}" for r in reports.values())])
    return format_table(rows)


def format_table(rows: list[list[str]]) -> str:
    """Left-aligned first column, right-aligned others, two spaces between columns."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells))
    return "\n".join(lines)
