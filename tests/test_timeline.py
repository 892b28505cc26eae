"""`sarap timeline` over the store: the same event from two outlets is one item with both sources."""
from __future__ import annotations

import json

import pytest

from sarap.ingest import ingest
from sarap.timeline import build_timeline, event_date

VISIT_A = ("Премьер-министр Альтании Олег Ветров 12 марта 2024 года прибыл с официальным визитом в Берлин. "
           "В ходе визита стороны подписали соглашение о транспортном коридоре.")
VISIT_B = ("Как сообщает агентство «Северные новости», глава правительства Альтании Олег Ветров 12 марта 2024 года "
           "прибыл с официальным визитом в Берлин, где обсудил вопросы энергетики.")


@pytest.mark.parametrize("value, published, expected", [
    ("2024-03-12", None, "2024-03-12"),
    ("--03-12", "2024-05-01", "2024-03-12"),
    ("--03-12", None, None),
    ("2024-03", "2025-01-01", "2024-03"),
    ("199X", "2024-01-01", None),
    (None, "2024-01-01", None),
])
def test_event_date(value, published, expected):
    assert event_date(value, published) == expected


def test_timeline_merges_one_event_across_outlets(store, tmp_path, analyzer):
    lines = [{"text": VISIT_A, "title": "Визит", "published": "2024-03-12", "source": "Вестник"},
             {"text": VISIT_B, "title": "Ветров в Берлине", "published": "2024-03-13", "source": "Эхо"}]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    ingest([str(path)], store=store, analyzer=analyzer)
    items = build_timeline(store)
    visits = [i for i in items if i.type == "visit"]
    assert len(visits) == 1, items
    assert visits[0].date == "2024-03-12" and visits[0].status == "happened"
    assert len(visits[0].documents) == 2
    assert any("Ветров" in p for p in visits[0].participants)
    assert visits[0].location == "Берлин"
    keys = [e.key for e in store.find_entities("Ветров")]
    assert build_timeline(store, entity_keys=keys) == [i for i in items if any("Ветров" in p for p in i.participants)]
    assert build_timeline(store, since="2025-01-01") == []
