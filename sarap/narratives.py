"""Narratives: claims that recur, in other words, across documents and sources.

Method (pure functions over analysed Documents):
1. every sentence becomes a claim; boilerplate (photo credits, calls to subscribe, "Об этом сообщили..."
   attributions, a sentence a source repeats verbatim in several of its documents) is dropped;
2. a claim is compared through its units: the whole sentence and its clauses (split at ":", ";" and
   before ", но", ", а", ", что" ...), because an interview answer often carries the talking point in one clause;
3. candidate pairs from different documents come from one vectorised pass (IDF-weighted navec means and
   shared content lemmas); each candidate gets its link score (``ClaimEncoder.link_score``):
   ``claim_similarity``, or 0 without shared specific content or with clashing figures;
4. pairs at or above SAME_CLAIM_THRESHOLD are merged, strongest first, into clusters with an average-linkage
   guard that also needs half the cross pairs linked, so one loose link cannot chain two talking points;
5. a cluster is a narrative when it spans ``min_sources`` sources and is not just one speaker's statement
   quoted verbatim by several outlets (that is a report of a statement, kept apart).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import numpy as np

from .model import Document, Span
from .similarity import SAME_CLAIM_THRESHOLD, ClaimEncoder, ClaimText, shared_encoder

# A clause needs this many content lemmas to stand as a claim on its own ("Это очень важное событие."
# has two and says nothing checkable).
MIN_UNIT_LEMMAS = 4
# Merging two clusters also needs the mean similarity over all their cross pairs to reach this share of
# the threshold: the guard that stops chaining (A~B, B~C, A and C unrelated).  At 0.6, 200 tgcontest news
# articles chained daily COVID figures of different regions into clusters of 18; at 1.0 the largest is 14
# and the seeds' talking points are unchanged.
LINKAGE_SHARE = 1.0
# ... and this share of the cross pairs must be links in their own right.  Over 150 tgcontest articles,
# daily COVID counts of different regions chained through single strong pairs without it.
LINKED_SHARE = 0.5
# Vectorised pre-filter before the exact score: two shared content lemmas, or one and a mean-vector
# cosine of 0.5.  Over 200 tgcontest articles it keeps 55% of the cross-document pairs and 98.6% of those
# scoring >= SAME_CLAIM_THRESHOLD (the rest share no content word at all).
CANDIDATE_COSINE = 0.5
CANDIDATE_SHARED_LEMMAS = 2
# A sentence repeated verbatim in this many documents of the same source is that source's boilerplate.
BOILERPLATE_REPEATS = 2
VERBATIM = 0.9  # claim_similarity at which two quoted sentences are the same statement

_CLAUSE_SPLIT = re.compile(r"\s*[:;]\s+|,\s+(?=(?:но|а|однако|зато|поскольку|что|так как|потому что)\s)")
_LEADING = re.compile(r"^[\s\-–—«»\"“”„']+")
_BOILERPLATE = re.compile(
    r"^(фото|видео|иллюстрац|источник|читайте также|подписывайтесь|подпишитесь|реклама|©|об этом\b)"
    r"|подписывайтесь|подпишитесь на наш|в нашем telegram|все права защищены", re.IGNORECASE)


@dataclass(slots=True)
class NarrativeMember:
    """One sentence of a narrative, pointing into its document."""
    document: str
    start: int
    end: int
    text: str
    source: str | None = None
    published: str | None = None
    speaker: str | None = None        # entity id inside that document
    speaker_name: str | None = None   # its canonical name, comparable across documents


@dataclass(slots=True)
class Narrative:
    representative: str
    members: list[NarrativeMember] = field(default_factory=list)
    sources: int = 0
    speakers: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    entities: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Claim:
    """A sentence under comparison: its member record, entity names and encoded units."""
    member: NarrativeMember
    entities: list[str]
    units: list[ClaimText]
    in_quote: bool = False


def find_narratives(docs: list[Document], *, min_sources: int = 2, entity: str | None = None,
                    since: str | None = None, encoder: ClaimEncoder | None = None) -> list[Narrative]:
    """Claims recurring across ``min_sources`` sources, biggest first.

    ``entity`` keeps narratives naming that entity (canonical name, case-insensitive); ``since`` (ISO date)
    keeps members of documents published on or after it (undated documents are then left out).
    """
    encoder = encoder or shared_encoder()
    claims = [c for doc in select_documents(docs, since) for c in extract_claims(doc, encoder)]
    claims = drop_boilerplate(claims)
    clusters = cluster_claims(claims, encoder)
    return finish_narratives(clusters, encoder, min_sources=min_sources, entity=entity)


def update_narratives(existing: list[Narrative], new_docs: list[Document], *, min_sources: int = 2,
                      encoder: ClaimEncoder | None = None) -> list[Narrative]:
    """Add new documents: their claims join existing narratives or form new ones among themselves.

    Old documents are not re-read; their sentences that belonged to no narrative are not revisited, so
    keep ``min_sources=1`` results as the state when those must stay candidates.
    """
    encoder = encoder or shared_encoder()
    clusters = [[claim_from_member(m, n.entities, encoder) for m in n.members] for n in existing]
    known = {m.document for n in existing for m in n.members}
    fresh = [c for doc in new_docs if doc.id not in known for c in extract_claims(doc, encoder)]
    fresh = drop_boilerplate(fresh)
    leftover = [c for c in fresh if not assign_claim(c, clusters, encoder)]
    clusters += cluster_claims(leftover, encoder)
    return finish_narratives(clusters, encoder, min_sources=min_sources)


def select_documents(docs: Iterable[Document], since: str | None) -> list[Document]:
    if not since:  # None or "" (an empty form field) means no restriction
        return list(docs)
    return [d for d in docs if d.published and d.published[:10] >= since[:10]]


def extract_claims(doc: Document, encoder: ClaimEncoder) -> list[Claim]:
    """Every sentence of ``doc`` with enough content, with its speaker and entity names."""
    claims = []
    for span in doc.sentences or [Span(0, len(doc.text))]:
        text = _LEADING.sub("", doc.text[span.start:span.end]).strip()
        if not text or _BOILERPLATE.search(text):
            continue
        units = [u for u in (encoder.encode(t) for t in split_units(text)) if len(u.lemmas) >= MIN_UNIT_LEMMAS]
        if not units:
            continue
        speaker, in_quote = speaker_at(doc, span)
        member = NarrativeMember(
            document=doc.id, start=span.start, end=span.end, text=doc.text[span.start:span.end].strip(),
            source=doc.source, published=doc.published, speaker=speaker,
            speaker_name=_entity_name(doc, speaker),
        )
        claims.append(Claim(member, entities_in(doc, span), units, in_quote))
    return claims


def split_units(text: str) -> list[str]:
    """The sentence itself, then its clauses when it has more than one."""
    parts = [p.strip() for p in _CLAUSE_SPLIT.split(text) if p.strip()]
    return [text] + (parts if len(parts) > 1 else [])


def speaker_at(doc: Document, span: Span) -> tuple[str | None, bool]:
    """Who says the sentence: a quote covering it, else the answer turn it sits in."""
    for quote in doc.quotes:
        if quote.start <= span.start and span.end <= quote.end + 1 or span.start <= quote.start < span.end:
            return quote.speaker, quote.speaker is not None
    for turn in doc.turns:
        if turn.start <= span.start < turn.end and turn.role == "answer":
            return turn.speaker, turn.speaker is not None
    return None, False


def entities_in(doc: Document, span: Span) -> list[str]:
    return [e.name for e in doc.entities if any(span.start <= m.start < span.end for m in e.mentions)]


def _entity_name(doc: Document, entity_id: str | None) -> str | None:
    ent = doc.entity(entity_id)
    return ent.name if ent else None


def drop_boilerplate(claims: list[Claim]) -> list[Claim]:
    """Drop sentences a source repeats verbatim across BOILERPLATE_REPEATS or more of its documents."""
    docs_by_key: dict[tuple[str | None, str], set[str]] = {}
    for claim in claims:
        docs_by_key.setdefault(_verbatim_key(claim), set()).add(claim.member.document)
    return [c for c in claims if c.member.source is None
            or len(docs_by_key[_verbatim_key(c)]) < BOILERPLATE_REPEATS]


def _verbatim_key(claim: Claim) -> tuple[str | None, str]:
    return claim.member.source, " ".join(re.findall(r"\w+", claim.member.text.lower()))


def claim_from_member(member: NarrativeMember, entities: list[str], encoder: ClaimEncoder) -> Claim:
    """Rebuild a comparable claim from a stored member (entity names: the narrative's)."""
    text = _LEADING.sub("", member.text)
    units = [u for u in (encoder.encode(t) for t in split_units(text)) if len(u.lemmas) >= MIN_UNIT_LEMMAS]
    return Claim(member, list(entities), units or [encoder.encode(text)], member.speaker_name is not None)


class ClaimScorer:
    """The narrative link score between claims (best pair of units), computed once per pair.

    It is ``ClaimEncoder.link_score``: claim_similarity, or 0 when the pair lacks shared specific content
    or disagrees on figures.  find_narratives, update_narratives and the store all decide through it."""

    def __init__(self, encoder: ClaimEncoder, threshold: float = SAME_CLAIM_THRESHOLD) -> None:
        self.encoder = encoder
        self.threshold = threshold
        self.cache: dict[tuple[int, int], float] = {}

    def __call__(self, a: Claim, b: Claim) -> float:
        key = (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))
        if key not in self.cache:
            self.cache[key] = max(self.encoder.link_score(x, y, self.threshold) for x in a.units for y in b.units)
        return self.cache[key]

    def linkage(self, left: list[Claim], right: list[Claim]) -> float:
        """Mean similarity over all cross pairs of two clusters."""
        return float(np.mean([self(a, b) for a in left for b in right]))

    def may_join(self, left: list[Claim], right: list[Claim]) -> bool:
        """The merge guard: mean link score over all cross pairs at LINKAGE_SHARE of the threshold, and
        at least LINKED_SHARE of those pairs links themselves (one strong pair cannot carry the rest)."""
        return passes_guard([self(a, b) for a in left for b in right], self.threshold)


def passes_guard(scores: list[float], threshold: float) -> bool:
    linked = sum(score >= threshold for score in scores)
    return float(np.mean(scores)) >= LINKAGE_SHARE * threshold and linked >= LINKED_SHARE * len(scores)


def lemma_incidence(units: list):
    """A units × lemmas 0/1 matrix: its product with its transpose counts shared content lemmas."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for row, unit in enumerate(units):
        for lemma in unit.lemmas:
            rows.append(row)
            cols.append(vocab.setdefault(lemma, len(vocab)))
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(units), len(vocab)))


def candidate_pairs(claims: list[Claim]) -> set[tuple[int, int]]:
    """Claim index pairs (i < j, different documents) worth an exact score: one vectorised pass."""
    owner = np.array([i for i, c in enumerate(claims) for _ in c.units])
    units = [u for c in claims for u in c.units]
    if len(units) < 2:
        return set()
    means = np.vstack([u.mean for u in units]).astype(np.float32)
    incidence = lemma_incidence(units)
    documents = np.array([claims[i].member.document for i in owner])
    pairs: set[tuple[int, int]] = set()
    for lo in range(0, len(units), 1024):
        hi = min(lo + 1024, len(units))
        shared = (incidence[lo:hi] @ incidence.T).toarray()
        close = (shared >= CANDIDATE_SHARED_LEMMAS) | ((shared >= 1) & (means[lo:hi] @ means.T >= CANDIDATE_COSINE))
        close &= documents[lo:hi, None] != documents[None, :]
        for r, c in zip(*np.nonzero(close)):
            a, b = int(owner[lo + r]), int(owner[c])
            if a < b:
                pairs.add((a, b))
    return pairs


def cluster_claims(claims: list[Claim], encoder: ClaimEncoder,
                   threshold: float = SAME_CLAIM_THRESHOLD) -> list[list[Claim]]:
    """Strongest-first merging of claims linked at ``threshold``, with the average-linkage guard."""
    scorer = ClaimScorer(encoder, threshold)
    edges = [(scorer(claims[i], claims[j]), i, j) for i, j in candidate_pairs(claims)]
    edges = sorted((e for e in edges if e[0] >= threshold), reverse=True)
    groups = merge_linked([[i] for i in range(len(claims))], edges, claims, scorer)
    return [[claims[k] for k in group] for group in groups]


def merge_linked(groups: list[list[int]], edges: list[tuple[float, int, int]], claims: list[Claim],
                 scorer: "ClaimScorer") -> list[list[int]]:
    """Join the groups of claim indices along ``edges``, strongest first, where the linkage guard allows;
    returns the groups of two or more claims, each sorted."""
    cluster_of = {k: group for group in groups for k in group}
    for _, i, j in edges:
        left, right = cluster_of[i], cluster_of[j]
        if left is right or not scorer.may_join([claims[k] for k in left], [claims[k] for k in right]):
            continue
        left.extend(right)
        for k in right:
            cluster_of[k] = left
    unique = {id(g): g for g in cluster_of.values() if len(g) > 1}
    return [sorted(g) for g in unique.values()]


def assign_claim(claim: Claim, clusters: list[list[Claim]], encoder: ClaimEncoder,
                 threshold: float = SAME_CLAIM_THRESHOLD) -> bool:
    """Put ``claim`` into the existing cluster it fits best, if any passes the threshold and the guard."""
    scorer = ClaimScorer(encoder, threshold)
    best, best_score = None, threshold
    for cluster in clusters:
        scores = [scorer(claim, other) for other in cluster if other.member.document != claim.member.document]
        if scores and max(scores) >= best_score and passes_guard(scores, threshold):
            best, best_score = cluster, max(scores)
    if best is None:
        return False
    best.append(claim)
    return True


def finish_narratives(clusters: list[list[Claim]], encoder: ClaimEncoder, *, min_sources: int,
                      entity: str | None = None) -> list[Narrative]:
    """Clusters -> Narrative records, keeping those that recur across sources and voices."""
    scorer = ClaimScorer(encoder)
    out = []
    for cluster in clusters:
        if len({c.member.document for c in cluster}) < 2 or len(_source_keys(cluster)) < min_sources:
            continue
        if is_one_statement(cluster, scorer):
            continue
        names = _entity_counts(cluster)
        if entity and entity.lower() not in {n.lower() for n in names}:
            continue
        out.append(build_narrative(cluster, scorer, names))
    out.sort(key=lambda n: (-n.sources, -len(n.members), n.first_seen or "", n.representative))
    return out


def is_one_statement(cluster: list[Claim], scorer: ClaimScorer) -> bool:
    """All members are one speaker's words quoted (near) verbatim: a reported statement, not a narrative."""
    speakers = {c.member.speaker_name for c in cluster}
    if len(speakers) != 1 or None in speakers or not all(c.in_quote for c in cluster):
        return False
    return all(scorer(a, b) >= VERBATIM for i, a in enumerate(cluster) for b in cluster[i + 1:])


def build_narrative(cluster: list[Claim], scorer: ClaimScorer, names: dict[str, int]) -> Narrative:
    centre = max(cluster, key=lambda c: (sum(scorer(c, o) for o in cluster if o is not c), -c.member.start))
    dates = sorted(c.member.published for c in cluster if c.member.published)
    members = sorted((c.member for c in cluster), key=lambda m: (m.published or "", m.document, m.start))
    return Narrative(
        representative=centre.member.text, members=members, sources=len(_source_keys(cluster)),
        speakers=len({c.member.speaker_name for c in cluster if c.member.speaker_name}),
        first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
        entities=sorted(names, key=lambda n: (-names[n], n)),
    )


def _source_keys(cluster: list[Claim]) -> set[str]:
    # A document without a source counts as its own source.
    return {c.member.source or f"document:{c.member.document}" for c in cluster}


def _entity_counts(cluster: list[Claim]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for claim in cluster:
        for name in set(claim.entities):
            counts[name] = counts.get(name, 0) + 1
    return counts
