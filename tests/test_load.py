"""`sarap load`: batch output loads into the store as the knowledge base `sarap ingest` builds, idempotently."""
from __future__ import annotations

import pytest

from sarap.batch import BatchOptions, run_batch
from sarap.ingest import ingest
from sarap.load import load_batch_output
from sarap.store import open_store

from conftest import write_small_corpus

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_small_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def batch_output(corpus, tmp_path_factory, analyzer):
    out = tmp_path_factory.mktemp("batch")
    run_batch(str(corpus), str(out), BatchOptions(workers=1))
    return out


def kb_snapshot(store):
    counts = store.counts()
    entities = sorted((e.key, e.mentions, e.documents) for e in store.top_entities(limit=1000))
    docs = sorted((r.id, r.title, r.source, r.published, r.reprint_of is not None) for r in store.list_documents(limit=100))
    return counts.documents, counts.reprints, counts.rejected, entities, docs


def test_load_equals_ingest_and_is_idempotent(store, corpus, batch_output, analyzer, tmp_path):
    first = load_batch_output(batch_output, store)
    assert (first.loaded, first.reprints, first.rejected) == (3, 1, 1)
    again = load_batch_output(batch_output, store)
    assert (again.loaded, again.already_stored, again.rejected) == (0, 3, 0)

    reference = open_store(str(tmp_path / "ingested.db"))
    try:
        ingest([str(corpus)], store=reference, analyzer=analyzer)
        assert kb_snapshot(store) == kb_snapshot(reference)
    finally:
        reference.close()
    doc = store.get_document(store.search("Токаев", limit=1)[0].row.id)
    assert doc.kind == "interview"


def test_load_refuses_a_folder_that_is_not_batch_output(tmp_path):
    from sarap.cli import main

    assert main(["load", str(tmp_path), "--db", str(tmp_path / "x.db")]) == 2


def test_batch_knowledge_base_tables_match_the_loaded_store(store, batch_output):
    """`sarap batch` resolves entities across documents with the store's rules: its kb_links are the
    store's document_entities once the same output is loaded."""
    import pyarrow.parquet as pq

    load_batch_output(batch_output, store)
    batch_links = {(r["doc_id"], r["local_id"], r["entity_key"])
                   for p in (batch_output / "kb_links").glob("*.parquet") for r in pq.read_table(p).to_pylist()}
    stored_links = {(r["doc_id"], r["local_id"], r["entity_key"]) for r in store.iter_rows("document_entities")}
    assert batch_links == stored_links and len(batch_links) > 20
    batch_keys = {r["key"] for p in (batch_output / "kb_entities").glob("*.parquet")
                  for r in pq.read_table(p).to_pylist()}
    assert batch_keys == {r["key"] for r in store.iter_rows("entities")}
