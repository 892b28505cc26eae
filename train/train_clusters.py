"""Rebuild sarap/data/clusters/: word clusters over natasha's navec news embeddings.

    .venv/bin/python train/train_clusters.py [--sizes 256 1024] [--seed 0]

Every word of navec's vocabulary (250,000 lower-cased news word forms, shipped inside natasha's wheel) gets
the id of its nearest k-means centroid, one clustering per size; the CRF taggers use the ids as features, so
a word never seen in training ("егеря") shares weights with the words it is used like ("лесника").
Spherical k-means (vectors normalised) with scikit-learn's MiniBatchKMeans: a few minutes on two cores.
Output: ``sizes.json`` and one ``k<size>.npy`` (uint16, in navec's vocabulary order) per size.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarap.clusters import DATA_DIR, shared_embedding  # noqa: E402


def all_vectors(navec) -> np.ndarray:
    """navec's product-quantised vectors, decoded and normalised: (words, 300) float32."""
    pq = navec.pq
    parts = [pq.codes[k][pq.indexes[:, k]] for k in range(pq.qdim)]
    vectors = np.concatenate(parts, axis=1).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-8)


def cluster(vectors: np.ndarray, size: int, seed: int) -> np.ndarray:
    from sklearn.cluster import MiniBatchKMeans
    kmeans = MiniBatchKMeans(n_clusters=size, batch_size=8192, n_init=3, max_iter=60, random_state=seed)
    return kmeans.fit_predict(vectors).astype(np.uint16)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 1024])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    vectors = all_vectors(shared_embedding())
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        started = time.time()
        ids = cluster(vectors, size, args.seed)
        np.save(DATA_DIR / f"k{size}.npy", ids)
        print(f"k={size}: {len(ids)} words in {time.time() - started:.0f} s; "
              f"largest cluster {np.bincount(ids).max()}")
    (DATA_DIR / "sizes.json").write_text(json.dumps({"sizes": args.sizes, "seed": args.seed}) + "\n")


if __name__ == "__main__":
    main()
