"""Narratives kept in the store and updated as documents are ingested.

The state is claim-level, because a sentence that belongs to no narrative today is tomorrow's second
source: every sentence ``sarap.narratives.extract_claims`` keeps is stored (``narrative_claims``) with its
member record, its content lemmas and the cluster it belongs to; each cluster of two or more documents
is a ``narratives`` row holding its Narrative record as JSON, recomputed whenever the cluster changes.
Reads are then one query; filters (``min_sources``, ``since``, entity names) apply on read.

An update with new original documents:
1. extracts their claims (the only sentences encoded from the documents' analysis);
2. marks as boilerplate any sentence a source now repeats verbatim in two documents, stored ones included
   (their clusters lose them, and dissolve below two documents);
3. picks the stored sentences worth comparing: those of the ``RECENT_DOCUMENTS`` newest documents in the
   state sharing two content lemmas, or one rare one, with a new claim (stored lemmas: no encoding), plus
   every member of the clusters they belong to; only these are re-encoded from their stored text, as
   ``sarap.narratives.claim_from_member`` does;
4. merges strongest first, exactly as ``sarap.narratives.cluster_claims`` does, the pairs (new, stored) and
   (new, new) at or above SAME_CLAIM_THRESHOLD, starting from the stored clusters, with the same
   average-linkage guard.

Documented differences from ``find_narratives`` over all documents at once: pairs of two stored sentences
are not scored again, so merges happen in ingest order rather than globally strongest first; sentences
older than the window only meet new ones through the clusters they are in; ``since`` drops members on
read instead of leaving older documents out before clustering.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Iterable

import numpy as np

from .model import Document
from .narratives import (BOILERPLATE_REPEATS, CANDIDATE_COSINE, CANDIDATE_SHARED_LEMMAS, Claim,
                         ClaimScorer, Narrative, NarrativeMember, claim_from_member, extract_claims,
                         finish_narratives, lemma_incidence, merge_linked)
from .similarity import SAME_CLAIM_THRESHOLD, ClaimEncoder, shared_encoder
from .store.base import NarrativeChanges, Store, StoredClaim, StoredNarrative

# New sentences are compared with the sentences of this many most recently added documents (and with
# every member of the clusters those belong to): the newest 500, as `sarap narratives` read before the
# state was kept.  An update's cost grows with it (see ENCODED_CACHE and the README's figures).
RECENT_DOCUMENTS = 500
# Encoded claims kept between updates in one process, newest last: an ingest's earlier batches are its
# later batches' stored sentences, so these are not parsed again.  About 15 KB each (the navec vectors
# of their words): 6,000 claims (500 news articles) take about 90 MB.
ENCODED_CACHE = 6000
# A stored sentence sharing one content lemma with a new one is re-encoded (to test the mean-vector
# cosine) only when that lemma is this rare: IDF 6.0 is a lemma in fewer than 1 in 400 news sentences.
# Re-encoding is what an update spends its time on (pymorphy parses); see the README for what this costs
# in agreement with recomputing.
RARE_IDF = 6.0
# Documents per update when catching up or rebuilding (bounded memory; one transaction each).
CHUNK = 64


@dataclass(slots=True)
class NarrativeUpdate:
    """What one update did."""
    documents: int = 0
    claims: int = 0            # new sentences stored
    compared: int = 0          # stored sentences compared with them (re-encoded unless cached)
    changed: int = 0           # clusters created or changed
    removed: int = 0           # clusters merged into others or dissolved


def update_stored_narratives(store: Store, docs: Iterable[Document],
                             encoder: ClaimEncoder | None = None) -> NarrativeUpdate:
    """Take new original documents into the store's narrative state (documents already in it are skipped)."""
    unique = {d.id: d for d in docs}
    known = store.known_narrative_documents(list(unique))
    new_docs = [d for d in unique.values() if d.id not in known]
    if not new_docs:
        return NarrativeUpdate()
    encoder = encoder or shared_encoder()
    fresh = [c for doc in new_docs for c in extract_claims(doc, encoder)]
    repeats = store.repeated_claims(sorted({k for k in map(verbatim_key, fresh) if k[0] is not None}))
    nearby = sharing_lemmas(store.recent_narrative_claims(RECENT_DOCUMENTS), fresh)
    cluster_ids = sorted({c.narrative_id for c in nearby + repeats if c.narrative_id})
    stored = {(c.doc_id, c.start): c for c in nearby + store.narrative_claims(cluster_ids)}
    changes = plan_changes(new_docs, fresh, list(stored.values()), repeats, encoder)
    store.save_narrative_changes(changes)
    remember_claims(fresh, encoder)
    return NarrativeUpdate(len(new_docs), len(changes.claims), len(stored), len(changes.narratives),
                           len(changes.removed))


def catch_up_narratives(store: Store, encoder: ClaimEncoder | None = None) -> NarrativeUpdate:
    """Add the stored originals the state lacks (stored before migration 3/5, or bulk-written), oldest first."""
    total = NarrativeUpdate()
    while docs := store.documents_without_narratives(CHUNK):
        done = update_stored_narratives(store, docs, encoder)
        if not done.documents:   # cannot happen (documents_without_narratives excludes known ones); no loop
            break
        for name in NarrativeUpdate.__slots__:
            setattr(total, name, getattr(total, name) + getattr(done, name))
    return total


def rebuild_narratives(store: Store, encoder: ClaimEncoder | None = None) -> NarrativeUpdate:
    """Forget the state and recompute it from every stored original, in ingest order."""
    store.clear_narratives()
    return catch_up_narratives(store, encoder)


def read_narratives(store: Store, *, min_sources: int = 2, since: str | None = None,
                    entity_names: set[str] | None = None, refresh: bool = True) -> list[Narrative]:
    """The persisted narratives, biggest first.  ``since`` keeps members published on or after it (a
    narrative left with fewer than two documents or ``min_sources`` sources goes); ``entity_names``
    (lower-cased) keeps narratives naming any of them; ``refresh`` first adds documents the state lacks."""
    if refresh:
        catch_up_narratives(store)
    found = [narrative_from_dict(d) for d in store.list_narratives(1 if since else min_sources)]
    if since:
        found = [n for n in (restrict_since(n, since) for n in found) if n and n.sources >= min_sources]
    if entity_names:
        found = [n for n in found if entity_names & {e.lower() for e in n.entities}]
    return found


def narrative_from_dict(data: dict) -> Narrative:
    fields = dict(data)
    fields["members"] = [NarrativeMember(**m) for m in data["members"]]
    return Narrative(**fields)


def restrict_since(narrative: Narrative, since: str) -> Narrative | None:
    """The narrative with only the members published on or after ``since``; None below two documents."""
    members = [m for m in narrative.members if m.published and m.published[:10] >= since[:10]]
    if len({m.document for m in members}) < 2:
        return None
    texts = [m.text for m in members]
    dates = sorted(m.published for m in members if m.published)
    return Narrative(
        # The medoid, if it survived; else the earliest remaining sentence (no re-scoring on read).
        representative=narrative.representative if narrative.representative in texts else texts[0],
        members=members, sources=len({m.source or f"document:{m.document}" for m in members}),
        speakers=len({m.speaker_name for m in members if m.speaker_name}),
        first_seen=dates[0], last_seen=dates[-1], entities=narrative.entities)


# -- the update, as a pure function of what was read ---------------------------------------------

def plan_changes(docs: list[Document], fresh: list[Claim], stored: list[StoredClaim], repeats: list[StoredClaim],
                 encoder: ClaimEncoder) -> NarrativeChanges:
    """The changes new documents' claims make to the stored clusters they may join."""
    boiler = boilerplate_keys(fresh, repeats)
    turning = [r for r in repeats if not r.boilerplate and (r.source, r.verbatim) in boiler]
    gone = {(r.doc_id, r.start) for r in turning}
    old = [s for s in stored if (s.doc_id, s.start) not in gone and not s.boilerplate]
    kept = [c for c in fresh if verbatim_key(c) not in boiler]
    claims = [claim_from_stored(s, encoder) for s in old] + kept
    ids = [s.narrative_id for s in old] + [None] * len(kept)
    groups = starting_groups(claims, ids)
    merged = merge_new_claims(claims, groups, set(range(len(old), len(claims))), encoder)
    changes = NarrativeChanges(documents=[d.id for d in docs], boilerplate=turning)
    touched = {r.narrative_id for r in turning if r.narrative_id}
    new_id: dict[int, str | None] = {}
    for group in merged:
        old_ids = [ids[k] for k in group if ids[k]]
        cluster_id = (max(set(old_ids), key=lambda i: (old_ids.count(i), i)) if old_ids
                      else min(claims[k].member.document + ":" + str(claims[k].member.start) for k in group))
        for k in group:
            new_id[k] = cluster_id
        changes.removed += sorted(set(old_ids) - {cluster_id})
        if len(old_ids) < len(group) or set(old_ids) != {cluster_id} or cluster_id in touched:
            changes.narratives.append(stored_narrative(cluster_id, [claims[k] for k in group], encoder))
    # Clusters that lost boilerplate members and were not re-formed above dissolve.
    changes.removed += sorted(touched - set(new_id.values()) - set(changes.removed))
    changes.moved = [replace(s, narrative_id=new_id.get(k)) for k, s in enumerate(old)
                     if s.narrative_id != new_id.get(k)]
    changes.claims = [stored_claim(c, new_id.get(len(old) + n)) for n, c in enumerate(kept)]
    changes.claims += [stored_claim(c, None, boilerplate=True) for c in fresh if verbatim_key(c) in boiler]
    return changes


def starting_groups(claims: list[Claim], ids: list[str | None]) -> list[list[int]]:
    """Stored clusters that still span two documents; every other claim on its own (a dissolved cluster's
    claims get None in ``ids``)."""
    by_id: dict[str, list[int]] = {}
    groups = []
    for k, cluster_id in enumerate(ids):
        if cluster_id:
            by_id.setdefault(cluster_id, []).append(k)
        else:
            groups.append([k])
    for members in by_id.values():
        if len({claims[k].member.document for k in members}) >= 2:
            groups.append(members)
        else:
            groups += [[k] for k in members]
            for k in members:
                ids[k] = None   # dissolved: what remains is a lone sentence again
    return groups


def merge_new_claims(claims: list[Claim], groups: list[list[int]], fresh: set[int], encoder: ClaimEncoder,
                     threshold: float = SAME_CLAIM_THRESHOLD) -> list[list[int]]:
    """cluster_claims' strongest-first merging with its linkage guard, over pairs involving a new claim;
    returns the groups of two or more claims."""
    scorer = ClaimScorer(encoder, threshold)
    edges = [(scorer(claims[i], claims[j]), i, j) for i, j in cross_candidates(claims, fresh)]
    edges = sorted((e for e in edges if e[0] >= threshold), reverse=True)
    return merge_linked(groups, edges, claims, scorer)


def cross_candidates(claims: list[Claim], fresh: set[int]) -> set[tuple[int, int]]:
    """Pairs (i < j, different documents, at least one new) passing sarap.narratives.candidate_pairs' rule:
    two shared content lemmas, or one and a mean-vector cosine of CANDIDATE_COSINE."""
    owner = np.array([i for i, c in enumerate(claims) for _ in c.units])
    units = [u for c in claims for u in c.units]
    rows_new = np.array([r for r, i in enumerate(owner) if i in fresh], dtype=int)
    if len(units) < 2 or not len(rows_new):
        return set()
    incidence = lemma_incidence(units)
    shared = (incidence[rows_new] @ incidence.T).tocoo()
    left, right, count = rows_new[shared.row], shared.col, shared.data
    means = np.vstack([u.mean for u in units]).astype(np.float32)
    cosine = np.einsum("ij,ij->i", means[left], means[right])
    close = (count >= CANDIDATE_SHARED_LEMMAS) | (cosine >= CANDIDATE_COSINE)
    documents = np.array([c.member.document for c in claims])
    a, b = owner[left[close]], owner[right[close]]
    keep = documents[a] != documents[b]
    return {(int(min(x, y)), int(max(x, y))) for x, y in zip(a[keep], b[keep])}


def sharing_lemmas(stored: list[StoredClaim], fresh: list[Claim]) -> list[StoredClaim]:
    """The stored claims that may be candidates for a new claim: sharing CANDIDATE_SHARED_LEMMAS content
    lemmas with it, or one rare one (IDF >= RARE_IDF).  Stored lemmas suffice: nothing is encoded here."""
    from scipy import sparse

    idf = {lemma: w for c in fresh for u in c.units for lemma, w in u.idf.items()}
    vocab = {lemma: n for n, lemma in enumerate(idf)}
    rare = np.array([idf[lemma] >= RARE_IDF for lemma in vocab])

    def incidence(lemma_sets: list) -> "sparse.csr_matrix":
        rows, cols = [], []
        for row, lemmas in enumerate(lemma_sets):
            for col in {vocab[lemma] for lemma in lemmas if lemma in vocab}:
                rows.append(row)
                cols.append(col)
        return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                 shape=(len(lemma_sets), len(vocab)))

    if not stored or not vocab:
        return []
    old = incidence([s.lemmas for s in stored])
    new = incidence([[lemma for u in c.units for lemma in u.lemmas] for c in fresh])
    shared = (old @ new.T).max(axis=1).toarray().ravel()
    shares_rare = np.asarray(old[:, rare].sum(axis=1)).ravel() > 0 if rare.any() else np.zeros(len(stored), bool)
    return [s for s, n, r in zip(stored, shared, shares_rare) if n >= CANDIDATE_SHARED_LEMMAS or r]


def boilerplate_keys(fresh: list[Claim], repeats: list[StoredClaim]) -> set[tuple[str | None, str]]:
    """(source, words) a source has now written in BOILERPLATE_REPEATS documents, as drop_boilerplate."""
    docs: dict[tuple[str | None, str], set[str]] = {}
    for claim in fresh:
        docs.setdefault(verbatim_key(claim), set()).add(claim.member.document)
    for claim in repeats:
        docs.setdefault((claim.source, claim.verbatim), set()).add(claim.doc_id)
    return {k for k, found in docs.items() if k[0] is not None and len(found) >= BOILERPLATE_REPEATS}


def verbatim_key(claim: Claim) -> tuple[str | None, str]:
    # The same key as sarap.narratives.drop_boilerplate: the sentence's words, lower-cased.
    return claim.member.source, " ".join(re.findall(r"\w+", claim.member.text.lower()))


_encoded: OrderedDict[tuple[int, str, int, str], Claim] = OrderedDict()
_encoded_lock = threading.Lock()


def remember_claims(claims: list[Claim], encoder: ClaimEncoder) -> None:
    with _encoded_lock:
        for claim in claims:
            key = (id(encoder), claim.member.document, claim.member.start, claim.member.text)
            _encoded[key] = claim
            _encoded.move_to_end(key)
        while len(_encoded) > ENCODED_CACHE:
            _encoded.popitem(last=False)


def claim_from_stored(stored: StoredClaim, encoder: ClaimEncoder) -> Claim:
    """A comparable claim: its encoded units from this process's cache, else re-encoded from its text."""
    member = NarrativeMember(stored.doc_id, stored.start, stored.end, stored.text, stored.source, stored.published,
                             stored.speaker, stored.speaker_name)
    with _encoded_lock:
        cached = _encoded.get((id(encoder), stored.doc_id, stored.start, stored.text))
    if cached is not None:
        return Claim(member, list(stored.entities), cached.units, stored.in_quote)
    claim = claim_from_member(member, stored.entities, encoder)
    claim.in_quote = stored.in_quote
    return claim


def stored_claim(claim: Claim, narrative_id: str | None, boilerplate: bool = False) -> StoredClaim:
    m = claim.member
    lemmas = sorted({lemma for u in claim.units for lemma in u.lemmas})
    return StoredClaim(m.document, m.start, m.end, m.text, m.source, m.published, m.speaker, m.speaker_name,
                       claim.in_quote, list(claim.entities), lemmas, verbatim_key(claim)[1], narrative_id,
                       boilerplate)


def stored_narrative(cluster_id: str, cluster: list[Claim], encoder: ClaimEncoder) -> StoredNarrative:
    """The row of one cluster: its Narrative (any number of sources; filtered on read) or None."""
    found = finish_narratives([cluster], encoder, min_sources=1)
    dates = sorted(c.member.published for c in cluster if c.member.published)
    sources = {c.member.source or f"document:{c.member.document}" for c in cluster}
    return StoredNarrative(cluster_id, len(sources), dates[0] if dates else None, dates[-1] if dates else None,
                           found[0].to_dict() if found else None)
