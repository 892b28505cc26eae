"""`sarap batch`: the same records through analyze and batch, resumable output, Spark parity."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from sarap.batch import BatchOptions, run_batch
from sarap.kb_tables import KB_COLUMNS
from sarap.tables import TABLES, TABLE_COLUMNS

from conftest import SEEDS, require_shared

pq = pytest.importorskip("pyarrow.parquet")

ARTICLE = ("Министр финансов Республики Альтания Иван Сомов заявил, что бюджет вырастет на 5%. "
           "Об этом он сказал журналистам в столице 12 марта 2024 года.")
REPRINT = ARTICLE + " Подписывайтесь на наш канал."


def read_table(out: Path, name: str) -> list[dict]:
    parts = sorted((out / name).glob("part-*.parquet"))
    return [row for p in parts for row in pq.read_table(p).to_pylist()]


@pytest.fixture()
def corpus(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for path in sorted(require_shared(SEEDS).glob("*.txt")):
        shutil.copy(path, src / path.name)
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], src / "zz_exact_copy.txt")
    lines = [{"text": ARTICLE, "title": "Бюджет", "published": "2024-03-12", "source": "Вестник"},
             {"text": REPRINT, "title": "Бюджет (перепечатка)", "published": "2024-03-13", "source": "Эхо"},
             {"title": "без текста"}]
    (src / "feed.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{broken\n",
                                    encoding="utf-8")
    (src / "empty.txt").write_text("   \n", encoding="utf-8")
    (src / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    return src


def test_local_batch_tables_dedup_and_rejects(corpus, tmp_path, analyzer):
    out = tmp_path / "out"
    result = run_batch(str(corpus), str(out), BatchOptions(workers=1, chunk_size=2))
    docs = read_table(out, "documents")
    assert result.documents == len(docs) == 4          # two seeds + article + reprint; the exact copy dropped
    assert result.duplicates == 1
    by_title = {d["title"]: d for d in docs}
    assert by_title["Бюджет (перепечатка)"]["reprint_of"] == by_title["Бюджет"]["doc_id"]
    reasons = {Path(r["path"]).name: r["reason"] for r in read_table(out, "rejected")}
    assert set(reasons) == {"feed.jsonl:3", "feed.jsonl:4", "empty.txt", "photo.png"}
    assert "PNG image" in reasons["photo.png"]
    assert "invalid JSON" in reasons["feed.jsonl:4"]
    for name in TABLES:
        assert [f.name for f in pq.read_schema(next((out / name).glob("part-*.parquet")))] == \
            [c for c, _ in TABLE_COLUMNS[name]]
    # the batch rows are exactly what analyze gives for the same text
    seed = sorted(SEEDS.glob("*.txt"))[1]
    direct = analyzer(seed.read_text(encoding="utf-8"))
    stored = next(d for d in docs if d["doc_id"] == direct.id)
    assert json.loads(stored["document_json"]) == direct.to_dict()
    assert len([m for m in read_table(out, "mentions") if m["doc_id"] == direct.id]) == \
        sum(len(e.mentions) for e in direct.entities)


def test_local_batch_resumes_after_partial_run(corpus, tmp_path):
    out = tmp_path / "out"
    first = run_batch(str(corpus), str(out), BatchOptions(workers=1, chunk_size=2))
    staged = sorted((out / "_analysed").glob("part-*.parquet"))
    staged[-1].unlink()                                  # as if killed before the last chunk landed
    (out / "_analysed" / ".part-000099.tmp").write_bytes(b"half-written")
    again = run_batch(str(corpus), str(out), BatchOptions(workers=1, chunk_size=2))
    assert again.skipped_chunks == len(staged) - 1
    assert again.tables == first.tables
    ids = [d["doc_id"] for d in read_table(out, "documents")]
    assert len(ids) == len(set(ids))


@pytest.mark.slow
@pytest.mark.spark
def test_spark_batch_matches_local(corpus, tmp_path):
    pytest.importorskip("pyspark")
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        if os.environ.get("SARAP_REQUIRE_SERVICES"):
            pytest.fail("Java is required for the Spark tests here (SARAP_REQUIRE_SERVICES=1)")
        pytest.skip("no Java runtime: Spark tests need one (CI installs default-jre-headless)")
    local, spark = tmp_path / "local", tmp_path / "spark"
    run_batch(str(corpus), str(local), BatchOptions(workers=1))
    result = run_batch(str(corpus), str(spark), BatchOptions(engine="spark", master="local[2]", partitions=2))
    for name in TABLES + list(KB_COLUMNS):
        a = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in read_table(local, name))
        b = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in read_table(spark, name))
        assert a == b, name
    assert result.documents == 4 and result.duplicates == 1


def test_killed_batch_reruns_to_the_same_output(tmp_path):
    """SIGKILL a real `sarap batch` mid-run; the re-run completes it with nothing lost and nothing twice."""
    import signal
    import subprocess
    import sys
    import time

    src = tmp_path / "in.jsonl"
    rows = [{"text": f"{ARTICLE} Заметка номер {i} о событии {i * 7}.", "url": f"test://{i}"} for i in range(12)]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    cmd = [sys.executable, "-m", "sarap", "batch", str(src), str(killed), "--workers", "1", "--chunk-size", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while time.time() < deadline and len(list((killed / "_analysed").glob("part-*.parquet"))) < 2:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (killed / "_SUCCESS").exists(), "the batch finished before it could be killed"
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    run_batch(str(src), str(whole), BatchOptions(workers=1, chunk_size=2))
    for name in ("documents", "mentions", "rejected"):
        a = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in read_table(killed, name))
        b = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in read_table(whole, name))
        assert a == b, name
    assert len(read_table(killed, "documents")) == 12
