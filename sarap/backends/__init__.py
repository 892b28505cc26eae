"""Adapters: third-party NLP output becomes sarap records here and nowhere else."""
