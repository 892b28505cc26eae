"""Ingest: canonical entity keys, duplicates and reprints, re-runs, and a kill -9 in the middle."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import SEED_C5, SEED_CALL, SHARED, require_shared
from sarap.canonical import entity_aliases, entity_key, fold_letters, normalize_name, resolve_key
from sarap.dedup import ReprintIndex, make_minhash, text_hash
from sarap.ingest import ingest


@pytest.mark.parametrize("type_, name, key", [
    ("PER", "Касым-Жомарт Токаев", "PER:касым жомарт токаев"),
    ("PER", "Тоқаев", "PER:токаев"),               # Kazakh letter folded
    ("PER", "Tokayev", "PER:токаев"),              # Latin transliterated
    ("LOC", "Алматы", "LOC:алматы"),
    ("ORG", "«Самрук-Казына»", "ORG:самрук казына"),
    ("PER", "Пётр Семёнов", "PER:петр семенов"),   # ё as е
])
def test_entity_key(type_, name, key):
    assert entity_key(type_, name) == key


def test_fold_and_normalize():
    assert fold_letters("Әлихан Бөкейхан ұлы") == "Алихан Бокейхан улы"
    assert normalize_name("  Шавкат   Мирзиёев ") == "шавкат мирзиеев"


def test_aliases_carry_inflections_latin_and_surname():
    aliases = {a.text: a.kind for a in entity_aliases("PER", "Айдар Сапаров", ["Айдара Сапарова", "Сапаровым"])}
    assert aliases["айдар сапаров"] == "name"
    assert aliases["айдара сапарова"] == "mention" and aliases["сапаровым"] == "mention"
    assert aliases["сапаров"] == "surname"
    assert "sapar" in [t for t, k in aliases.items() if k == "latin"][0]


def test_resolve_key_joins_a_lone_surname_only_when_unambiguous():
    table = {("PER", "сапаров"): [("PER:айдар сапаров", "surname")],
             ("PER", "иванов"): [("PER:петр иванов", "surname"), ("PER:иван иванов", "surname")],
             ("PER", "айдара сапарова"): [("PER:айдар сапаров", "mention")]}
    lookup = lambda t, a: table.get((t, a), [])  # noqa: E731
    assert resolve_key("PER", "Сапаров", ["Сапаров"], lookup) == "PER:айдар сапаров"
    assert resolve_key("PER", "Иванов", ["Иванов"], lookup) == "PER:иванов"
    assert resolve_key("PER", "Айдара Сапарова", ["Айдара Сапарова"], lookup) == "PER:айдар сапаров"
    assert resolve_key("LOC", "Сапаров", [], lookup) == "LOC:сапаров"


LEAD = ("Правительство Озёрной области утвердило программу ремонта дорог на три года. Губернатор Пётр Самойлов "
        "сообщил, что первые работы начнутся весной, а на программу выделено четыре миллиарда рублей. "
        "Подрядчиков выберут на открытом конкурсе, итоги которого опубликуют в апреле.")


def test_exact_copies_hash_alike_and_reprints_are_near():
    assert text_hash(LEAD) == text_hash(LEAD.upper().replace(",", " ,"))
    index = ReprintIndex(threshold=0.8)
    index.add("orig", make_minhash(LEAD))
    reprint = LEAD + " Об этом сообщает пресс-служба."
    assert index.find_original(make_minhash(reprint)) == "orig"
    other = "Депутаты Приозёрского совета утвердили бюджет: расходы на школы вырастут на десять процентов."
    assert index.find_original(make_minhash(other)) is None
    assert make_minhash("Коротко.") is None


def build_corpus(tmp_path):
    """A folder of mixed inputs: two real interviews, a reprint of one, an exact copy, JSONL and bad files."""
    seeds = [require_shared(SEED_CALL), require_shared(SEED_C5)]
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    shutil.copy(seeds[0], corpus / "call.txt")
    shutil.copy(seeds[1], corpus / "sub" / "c5.txt")
    shutil.copy(seeds[0], corpus / "sub" / "call-copy.txt")                    # exact duplicate
    text = seeds[1].read_text(encoding="utf-8")
    (corpus / "sub" / "reprint-c5.txt").write_text(text + "\nПерепечатка: Вестник Приречья.", encoding="utf-8")
    lines = [json.dumps({"body": LEAD, "date": "2025-10-17", "outlet": "Вестник Приречья"}, ensure_ascii=False),
             "{oops", json.dumps({"body": ""})]
    (corpus / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (corpus / "image.bin").write_bytes(b"\x00\x01binary" * 50)
    return corpus


def test_ingest_twice_gives_exact_counts(store, analyzer, tmp_path):
    corpus = build_corpus(tmp_path)
    fields = {"text": "body", "published": "date", "source": "outlet"}
    first = ingest([str(corpus)], store=store, analyzer=analyzer, fields=fields, source="Test")
    assert (first.ingested, first.reprints, first.exact_duplicates) == (4, 1, 1)
    assert sum(first.rejected.values()) == 3 and first.changed
    counts = store.counts()
    assert (counts.documents, counts.originals, counts.reprints, counts.rejected) == (4, 3, 1, 3)
    second = ingest([str(corpus)], store=store, analyzer=analyzer, fields=fields, source="Test")
    assert (second.ingested, second.exact_duplicates, second.new_rejections) == (0, 5, 0)
    assert not second.changed
    assert store.counts() == counts
    reprint = [r for r in store.list_documents() if r.reprint_of]
    assert reprint[0].path.endswith("reprint-c5.txt")
    assert store.get_row(reprint[0].reprint_of).path.endswith("c5.txt")
    lead = [r for r in store.list_documents() if r.published == "2025-10-17"][0]
    assert lead.source == "Вестник Приречья"        # the file's own source wins over --source
    # One person across both interviews, however each text inflects the name.
    tokayev = store.find_entities("Токаева")
    assert tokayev and tokayev[0].documents >= 3 and tokayev[0].originals >= 2
    assert store.find_entities("Tokayev")[0].key == tokayev[0].key
    assert {h.row.path.rsplit("/", 1)[-1] for h in store.search("переговоры Токаев")} >= {"call.txt", "c5.txt"}


def nerel_texts(count: int):
    folder = require_shared(SHARED / "data" / "nerel" / "train")
    return sorted(folder.glob("*.txt"))[:count]


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = nerel_texts(40)
    for path in texts:
        shutil.copy(path, corpus / path.name)
    expected = len({text_hash(p.read_text(encoding="utf-8")) for p in texts})
    db = tmp_path / "kb.db"
    settings = tmp_path / "settings.yaml"
    settings.write_text("batch_size: 2\n", encoding="utf-8")
    command = [sys.executable, "-m", "sarap", "--settings", str(settings), "ingest", str(corpus), "--db", str(db),
               "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = wait_for_documents(db, at_least=3, process=process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 3 <= stored < expected, "the ingest must be killed part-way"
    check_consistent(db)
    partial = count(db, "documents")
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"exact duplicates skipped: {partial}" in rerun.stdout
    assert count(db, "documents") == expected
    check_consistent(db)
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert "nothing new" in again.stdout and count(db, "documents") == expected


def wait_for_documents(db, at_least: int, process, timeout: float = 300) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {process.stderr.read().decode()[-2000:]}")
        try:
            if count(db, "documents") >= at_least:
                return count(db, "documents")
        except sqlite3.OperationalError:
            pass  # the file or its tables do not exist yet
        time.sleep(0.05)
    pytest.fail("ingest stored nothing in time")


def count(db, table: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def check_consistent(db) -> None:
    """Every stored document is whole: indexed, with its entities and mentions as its JSON says."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = conn.execute("SELECT id, seq, json FROM documents").fetchall()
        indexed = {r[0] for r in conn.execute("SELECT rowid FROM search_index")}
        assert indexed == {seq for _, seq, _ in docs}
        for doc_id, _, raw in docs:
            data = json.loads(raw)
            linked = conn.execute("SELECT COUNT(*) FROM document_entities WHERE doc_id = ?", (doc_id,)).fetchone()
            mentions = conn.execute("SELECT COUNT(*) FROM mentions WHERE doc_id = ?", (doc_id,)).fetchone()
            assert linked[0] == len(data["entities"])
            assert mentions[0] == sum(len(e["mentions"]) for e in data["entities"])
    finally:
        conn.close()


@pytest.mark.slow
def test_ingest_reads_stdin(tmp_path):
    db = tmp_path / "kb.db"
    env = {**os.environ, "SARAP_SETTINGS": ""}
    text = require_shared(SEED_C5).read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sarap", "ingest", "-", "--db", str(db), "--source", "Stdin"],
                          input=text, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    assert "ingested: 1" in done.stdout
    assert count(db, "documents") == 1


@pytest.mark.parametrize("url, shown", [
    ("postgresql://sarap:secret@127.0.0.1:5432/news", "postgresql://sarap:***@127.0.0.1:5432/news"),
    ("postgresql://reader@db.example/news", "postgresql://reader@db.example/news"),
    ("sarap.db", "sarap.db"),
])
def test_summary_never_prints_a_password(url, shown):
    from sarap.cli.ingest import redact_url

    assert redact_url(url) == shown
