"""Word clusters: each word form's k-means cluster over natasha's navec news embeddings.

Taggers trained on a few hundred documents never see most words; a cluster id says which seen words a new
one is used like ("егеря" beside "лесника").  ``train/train_clusters.py`` builds the ids.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).parent / "data" / "clusters"


@lru_cache(maxsize=1)
def shared_embedding():
    """natasha's navec news embedding, loaded once per process (the analyzer's models use this one too)."""
    from natasha import NewsEmbedding
    return NewsEmbedding()


@lru_cache(maxsize=1)
def cluster_tables() -> tuple[dict[str, int], tuple[np.ndarray, ...]]:
    """navec's word ids, and per clustering size the cluster id of each word id."""
    sizes = json.loads((DATA_DIR / "sizes.json").read_text())["sizes"]
    tables = tuple(np.load(DATA_DIR / f"k{size}.npy") for size in sizes)
    return shared_embedding().vocab.word_ids, tables


@lru_cache(maxsize=50_000)
def word_clusters(word: str) -> tuple[str, ...]:
    """The word's cluster id at each size, coarse to fine ("-" for words navec does not know)."""
    ids, tables = cluster_tables()
    lower = word.lower()
    k = ids.get(lower)
    if k is None:
        k = ids.get(lower.replace("ё", "е"))
    return tuple("-" if k is None else str(table[k]) for table in tables)
