"""Duplicates: exact copies (hash of the normalised text) and reprints (MinHash/LSH near-duplicates).

Exact copies are skipped at ingest; reprints are stored and linked to the earliest stored copy, so
counts can be given with and without them.
"""
from __future__ import annotations

import hashlib
import re

from .canonical import fold_letters

_WORD = re.compile(r"[^\W_]+")
NUM_PERM = 128
# Pinned so signatures stored by one datasketch version still compare under the next.
SCHEME = "affine32"
# Word 3-shingles: long enough that two unrelated news texts share few, short enough that a reprint
# with a changed lead paragraph or a dropped photo caption still shares most.
SHINGLE_WORDS = 3


def normalize_text(text: str) -> str:
    """Lower-case folded words separated by single spaces: what two copies of one text have in common."""
    return " ".join(_WORD.findall(fold_letters(text).lower()))


def text_hash(text: str) -> str:
    """The exact-duplicate key of a text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def make_minhash(text: str):
    """The MinHash signature of a text's word shingles, or None for a text too short to compare."""
    from datasketch import MinHash

    words = normalize_text(text).split()
    if len(words) < SHINGLE_WORDS * 2:
        return None
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch([" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")
                          for i in range(len(words) - SHINGLE_WORDS + 1)])
    return minhash


def minhash_bytes(minhash) -> bytes:
    return minhash.hashvalues.astype("<u8").tobytes()


def minhash_from_bytes(data: bytes):
    import numpy as np
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME,
                   hashvalues=np.frombuffer(data, dtype="<u8").astype(np.uint64))


class ReprintIndex:
    """In-memory LSH over the stored documents' signatures; finds the original a new text reprints."""

    def __init__(self, threshold: float) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.order: dict[str, int] = {}          # doc id -> insertion order (earliest first)
        self.original: dict[str, str] = {}       # doc id -> the original it reprints (itself if none)
        self.signatures: dict[str, object] = {}

    def add(self, doc_id: str, minhash, reprint_of: str | None = None) -> None:
        if doc_id in self.order or minhash is None:
            return
        self.lsh.insert(doc_id, minhash)
        self.order[doc_id] = len(self.order)
        self.original[doc_id] = reprint_of or doc_id
        self.signatures[doc_id] = minhash

    def find_original(self, minhash) -> str | None:
        """The earliest stored original this signature is a near-duplicate of, or None."""
        if minhash is None:
            return None
        similar = [d for d in self.lsh.query(minhash) if self.signatures[d].jaccard(minhash) >= self.threshold]
        if not similar:
            return None
        originals = {self.original[d] for d in similar}
        return min(originals, key=lambda d: self.order.get(d, -1))
