"""Same-event threads: documents about one real-world happening, grouped across outlets.

Two documents are about the same happening when their headlines (or opening sentences) state the same
thing (``claim_similarity``), their leads read alike (IDF-weighted navec cosine), and they name the same
entities, events and dates; documents published more than ``max_days`` apart never share a thread.
Pairs are scored after a vectorised pre-filter and merged strongest first with an average-linkage guard,
as in ``sarap.narratives``.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .model import Document
from .similarity import ClaimEncoder, ClaimText, shared_encoder


@dataclass(slots=True)
class ThreadOptions:
    """Weights of the pair score and the cut; tuned on the tgcontest Toloka pools (bench/eval_threads.py)."""
    # Weights: a logistic regression on the three parts over the 215 labelled pairs gave coefficients of
    # about 2.0 / 2.6 / 2.2 (intercept -2.0); rounded and rescaled to sum to 1.
    threshold: float = 0.3
    headline_weight: float = 0.3
    entity_weight: float = 0.4
    text_weight: float = 0.3
    shared_event_bonus: float = 0.1
    shared_date_bonus: float = 0.05
    max_days: int = 3
    lead_sentences: int = 6
    linkage_share: float = 0.7
    candidate_cosine: float = 0.55
    min_documents: int = 2


@dataclass(slots=True)
class Thread:
    title: str
    documents: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    entities: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ThreadView:
    """What the pair score reads from one document, built once."""
    doc: Document
    headline: ClaimText
    lead: ClaimText                # the first sentence(s)
    text: dict[str, float]         # content lemma -> IDF over the first ``lead_sentences`` sentences
    entities: frozenset[str]
    events: frozenset[tuple[str, ...]]
    dates: frozenset[str]
    day: date | None


def group_threads(docs: list[Document], options: ThreadOptions | None = None,
                  encoder: ClaimEncoder | None = None) -> list[Thread]:
    """Threads of at least ``options.min_documents`` documents, biggest first."""
    options = options or ThreadOptions()
    encoder = encoder or shared_encoder()
    views = [view_document(d, encoder, options) for d in docs]
    clusters = cluster_views(views, encoder, options)
    threads = [build_thread([views[i] for i in c]) for c in clusters if len(c) >= options.min_documents]
    threads.sort(key=lambda t: (-len(t.documents), t.first_published or "", t.title))
    return threads


def view_document(doc: Document, encoder: ClaimEncoder, options: ThreadOptions) -> ThreadView:
    sentences = [doc.text[s.start:s.end] for s in doc.sentences[:options.lead_sentences]] or [doc.text[:500]]
    headline = doc.title or sentences[0]
    body = encoder.encode(" ".join(sentences))
    return ThreadView(
        doc=doc, headline=encoder.encode(headline), lead=encoder.encode(" ".join(sentences[:2])),
        text=dict(zip(body.lemmas, body.weights.tolist())),
        entities=frozenset(e.name.lower() for e in doc.entities),
        events=frozenset(_event_key(doc, e) for e in doc.events),
        dates=frozenset(d.value for d in doc.dates),
        day=_parse_day(doc.published),
    )


def _event_key(doc: Document, event) -> tuple[str, ...]:
    names = sorted((doc.entity(p).name if doc.entity(p) else p).lower() for p in event.participants)
    return (event.type, *names)


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def thread_similarity(a: ThreadView, b: ThreadView, encoder: ClaimEncoder,
                      options: ThreadOptions | None = None) -> float:
    """Weighted sum of headline claim similarity, entity overlap and lead-text cosine, plus bonuses for
    shared events and dates; 0 when the documents were published more than ``max_days`` apart."""
    options = options or ThreadOptions()
    if a.day and b.day and abs((a.day - b.day).days) > options.max_days:
        return 0.0
    headline = max(encoder.score(a.headline, b.headline), encoder.score(a.headline, b.lead),
                   encoder.score(a.lead, b.headline))
    entities = len(a.entities & b.entities) / len(a.entities | b.entities) if a.entities and b.entities else 0.0
    score = (options.headline_weight * headline + options.entity_weight * entities
             + options.text_weight * weighted_cosine(a.text, b.text))
    if a.events & b.events:
        score += options.shared_event_bonus
    if a.dates & b.dates:
        score += options.shared_date_bonus
    return score


def weighted_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two IDF-weighted lemma sets (TF ignored: news leads rarely repeat a word to matter)."""
    shared = sum(a[k] * b[k] for k in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return shared / norm if norm else 0.0


def candidate_pairs(views: list[ThreadView], options: ThreadOptions) -> list[tuple[int, int]]:
    """Pairs worth a full score: close leads or headlines, or any shared entity (one matrix product)."""
    if len(views) < 2:
        return []
    leads = np.vstack([v.lead.mean for v in views]).astype(np.float32)
    heads = np.vstack([v.headline.mean for v in views]).astype(np.float32)
    close = (leads @ leads.T >= options.candidate_cosine) | (heads @ heads.T >= options.candidate_cosine)
    apart = days_apart(views) > options.max_days  # such pairs score 0 anyway: skip them before scoring
    close &= ~apart
    pairs = set(zip(*np.nonzero(np.triu(close, 1))))
    by_entity: dict[str, list[int]] = {}
    for i, view in enumerate(views):
        for name in view.entities:
            by_entity.setdefault(name, []).append(i)
    for members in by_entity.values():
        if len(members) <= 50:  # an entity in every document ("Россия") says nothing about the event
            pairs.update((i, j) for k, i in enumerate(members) for j in members[k + 1:] if not apart[i, j])
    return sorted((int(i), int(j)) for i, j in pairs)


def days_apart(views: list[ThreadView]) -> np.ndarray:
    """Matrix of publication-day distances; 0 where either date is unknown."""
    days = np.array([v.day.toordinal() if v.day else np.nan for v in views], dtype=np.float64)
    gap = np.abs(days[:, None] - days[None, :])
    return np.nan_to_num(gap, nan=0.0)


def cluster_views(views: list[ThreadView], encoder: ClaimEncoder, options: ThreadOptions) -> list[list[int]]:
    """Strongest-first merging with an average-linkage guard; returns index lists."""
    cache: dict[tuple[int, int], float] = {}

    def score(i: int, j: int) -> float:
        key = (min(i, j), max(i, j))
        if key not in cache:
            cache[key] = thread_similarity(views[key[0]], views[key[1]], encoder, options)
        return cache[key]

    edges = sorted(((score(i, j), i, j) for i, j in candidate_pairs(views, options)), reverse=True)
    cluster_of = {i: [i] for i in range(len(views))}
    for value, i, j in edges:
        if value < options.threshold:
            break
        left, right = cluster_of[i], cluster_of[j]
        if left is right:
            continue
        if np.mean([score(x, y) for x in left for y in right]) < options.linkage_share * options.threshold:
            continue
        left.extend(right)
        for k in right:
            cluster_of[k] = left
    return [sorted(c) for c in {id(c): c for c in cluster_of.values()}.values()]


def build_thread(views: list[ThreadView]) -> Thread:
    dated = sorted(v.doc.published for v in views if v.doc.published)
    earliest = min(views, key=lambda v: (v.doc.published or "9999", v.doc.id))
    counts: dict[str, int] = {}
    for view in views:
        for ent in view.doc.entities:
            counts[ent.name] = counts.get(ent.name, 0) + 1
    shared = [n for n in sorted(counts, key=lambda n: (-counts[n], n)) if counts[n] > 1]
    return Thread(
        title=earliest.doc.title or earliest.headline.text,
        documents=[v.doc.id for v in views],
        sources=sorted({v.doc.source for v in views if v.doc.source}),
        first_published=dated[0] if dated else None, last_published=dated[-1] if dated else None,
        entities=shared,
    )
