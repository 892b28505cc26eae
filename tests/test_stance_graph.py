"""`sarap stances`: document stances aggregated over knowledge-base entities."""
from __future__ import annotations

import json

import pytest

from sarap.ingest import ingest
from sarap.stance_graph import OUTLET, build_stance_graph, stance_gexf

# Two outlets quote one fictional minister about one fictional company, plus a reprint that must not count twice.
PRAISE = ("Министр экономики Альтании Олег Ветров заявил: «Компания Северсталь-Альта — надёжный и честный "
          "партнёр, её успехи радуют всю страну». Эксперты согласны, что это отличный результат.")
ATTACK = ("Министр экономики Альтании Олег Ветров заявил, что компания Северсталь-Альта провалила проект, "
          "обманула инвесторов и нанесла огромный ущерб. Это позорный провал.")


@pytest.fixture()
def kb(store, tmp_path, analyzer):
    rows = [{"text": PRAISE, "source": "Вестник", "published": "2024-01-10"},
            {"text": ATTACK, "source": "Эхо", "published": "2024-02-10"},
            {"text": ATTACK + " Подписывайтесь на канал.", "source": "Копия", "published": "2024-02-11"}]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    ingest([str(path)], store=store, analyzer=analyzer)
    return store


def test_graph_aggregates_stances_over_documents(kb, analyzer):
    edges = build_stance_graph(kb)
    expected = {}
    for text in (PRAISE, ATTACK):            # what the analyser says document by document
        doc = analyzer(text)
        names = {e.id: e.name for e in doc.entities}
        for s in doc.stances:
            key = (names.get(s.speaker, OUTLET), names[s.target])
            expected[key] = expected.get(key, 0) + 1
    assert expected, "the fixture texts should give stances"
    got = {(e.speaker_name, e.target_name): e.count for e in edges}
    assert got == expected                    # the reprint adds nothing
    assert all(-1 <= e.score <= 1 for e in edges)


def test_graph_filters_and_gexf(kb, tmp_path):
    import networkx as nx

    outlet_only = build_stance_graph(kb, speakers={OUTLET})
    assert all(e.speaker is None for e in outlet_only)
    edges = build_stance_graph(kb)
    stance_gexf(edges, tmp_path / "s.gexf")
    graph = nx.read_gexf(tmp_path / "s.gexf")
    assert graph.number_of_edges() == len(edges)
