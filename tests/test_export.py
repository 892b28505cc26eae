"""`sarap export`: every table, every format, no limit; GEXF opens as a graph."""
from __future__ import annotations

import csv
import json

import pytest

from sarap.export import export_store
from sarap.ingest import ingest
from sarap.tables import TABLE_COLUMNS, TABLES

from conftest import write_small_corpus


@pytest.fixture()
def filled(store, tmp_path, analyzer):
    folder = tmp_path / "corpus"
    folder.mkdir()
    ingest([str(write_small_corpus(folder))], store=store, analyzer=analyzer)
    return store


def test_export_parquet_has_batch_schema_and_every_row(filled, tmp_path):
    import pyarrow.parquet as pq

    summary = export_store(filled, tmp_path / "out", "parquet")
    counts = filled.counts()
    assert summary.rows["documents"] == counts.documents == 3
    assert summary.rows["mentions"] == counts.mentions
    assert summary.rows["rejected"] == counts.rejected == 1
    for name in TABLES:
        schema = pq.read_schema(tmp_path / "out" / f"{name}.parquet")
        assert schema.names == [c for c, _ in TABLE_COLUMNS[name]]
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    reprint = next(d for d in docs if d["title"] == "Бюджет (копия)")
    original = next(d for d in docs if d["title"] == "Бюджет")
    assert reprint["reprint_of"] == original["doc_id"]
    kb = pq.read_table(tmp_path / "out" / "kb_entities.parquet").to_pylist()
    assert any(e["name"] == "Касым-Жомарт Токаев" for e in kb)
    assert {"narratives", "narrative_members", "threads"} <= set(summary.rows)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_text_formats_round_trip(filled, tmp_path, fmt):
    summary = export_store(filled, tmp_path / fmt, fmt)
    path = tmp_path / fmt / f"quotes.{fmt}"
    if fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    assert len(rows) == summary.rows["quotes"] > 0
    assert all(r["text"] for r in rows)


def test_export_gexf_is_a_comention_graph(filled, tmp_path):
    import networkx as nx

    export_store(filled, tmp_path / "g", "gexf")
    graph = nx.read_gexf(tmp_path / "g" / "comentions.gexf")
    labels = {data["label"]: node for node, data in graph.nodes(data=True)}
    tokayev, kazakhstan = labels["Касым-Жомарт Токаев"], labels["Казахстан"]
    assert graph.has_edge(tokayev, kazakhstan)
    assert graph.nodes[tokayev]["type"] == "PER"


def test_export_cli(tmp_path, analyzer, capsys):
    from sarap.cli import main

    folder = tmp_path / "corpus"
    folder.mkdir()
    db = str(tmp_path / "kb.db")
    ingest([str(write_small_corpus(folder))], store=db, analyzer=analyzer)
    assert main(["export", "--format", "jsonl", "--out", str(tmp_path / "cli"), "--db", db]) == 0
    assert "documents: 3" in capsys.readouterr().out


def test_export_has_threads_across_outlets(store, tmp_path, analyzer):
    from test_timeline import VISIT_A, VISIT_B

    lines = [{"text": VISIT_A, "title": "Ветров прибыл в Берлин", "published": "2024-03-12", "source": "Вестник"},
             {"text": VISIT_B, "title": "Визит Ветрова в Берлин", "published": "2024-03-13", "source": "Эхо"}]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    ingest([str(path)], store=store, analyzer=analyzer)
    export_store(store, tmp_path / "out", "jsonl")
    threads = [json.loads(x) for x in (tmp_path / "out" / "threads.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(threads) == 1 and sorted(threads[0]["sources"]) == ["Вестник", "Эхо"]
