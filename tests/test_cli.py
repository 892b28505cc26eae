"""The `sarap` command line and `make demo` as a user meets them: arguments, text output, the demo steps."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED_C5, SEED_CALL, require_shared
from sarap.cli import main
from sarap.demo import DemoContext, build_steps, list_samples
from sarap.demo import main as demo_main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["analyze", "x.txt", "--format", "xml"])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_analyze_help_lists_its_options(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["analyze", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in ("--published", "--title", "--source", "--url", "--format"):
        assert option in out


def text_summary(capsys, *argv: str) -> str:
    code = main(["analyze", *argv, "--format", "text"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_text_format_on_call_seed(capsys):
    out = text_summary(capsys, str(require_shared(SEED_CALL)))
    lines = out.splitlines()
    assert lines[0].startswith("Продолжительный телефонный разговор")
    assert lines[1].startswith("interview ·")
    assert any(line.startswith("Interviewee: Найджел Ли — эксперт") for line in lines)
    assert "Turns: 1 lead, 6 questions, 6 answers" in out
    assert "People (" in out and "Касым-Жомарт Токаев" in out and "Places (" in out
    assert "Quotes (" in out and "Найджел Ли (answer)" in out


def test_text_format_on_c5_seed(capsys):
    out = text_summary(capsys, str(require_shared(SEED_C5)), "--published", "2025-10-30")
    assert "interview · 2025-10-30 ·" in out
    assert "Interviewee: Байкадам Курамаев — дипломат и эксперт по международным отношениям" in out
    assert "Turns: 1 lead, 7 questions, 7 answers, 1 closing" in out
    assert "6 ноября → 2025-11-06" in out  # the summit date, resolved with the publication year


def test_text_format_on_sample_article(capsys):
    # Published on Friday 17 October 2025, so "в минувший четверг" is 16 October.
    out = text_summary(capsys, str(EXAMPLES / "article_bridge.txt"), "--published", "2025-10-17",
                       "--title", "Второй мост через Сурму")
    # The flags win over the sample's .meta.json, which still names the outlet.
    assert out.startswith("Второй мост через Сурму\narticle · Вестник Приречья · 2025-10-17 ·")
    assert "в минувший четверг → 2025-10-16" in out
    assert "Олег Вершинин" in out and "Ирина Ладыгина" in out
    assert "Фото: пресс-служба" not in out  # the trailing credit is cleaned away


def test_stdin_through_the_real_entry_point():
    text = "Мэр Приозёрска Антон Лисицын заявил, что мост построят в следующем году.\n"
    proc = subprocess.run([sys.executable, "-m", "sarap", "analyze", "-", "--published", "2025-03-01"],
                          input=text.encode(), capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert doc["text"] == text.strip() and doc["published"] == "2025-03-01"
    assert b"Traceback" not in proc.stderr


def test_samples_are_listed_with_their_metadata():
    samples = list_samples(EXAMPLES)
    names = [s.path.name for s in samples]
    assert {"article_bridge.txt", "article_water_cp1251.txt", "article_elections.html"} <= set(names)
    assert not [n for n in names if n.endswith(".json") or n.lower() == "readme.md"]
    assert names == sorted(names)
    bridge = next(s for s in samples if s.path.name == "article_bridge.txt")
    assert (bridge.published, bridge.source) == ("2025-10-17", "Вестник Приречья")


def test_demo_steps_share_a_context(tmp_path):
    from rich.console import Console

    steps = build_steps()
    assert steps[0].title.startswith("Analyse")
    ctx = DemoContext(examples=EXAMPLES, console=Console(file=open(tmp_path / "out.txt", "w")), workdir=tmp_path)
    ctx.samples = [s for s in list_samples(EXAMPLES) if s.path.name == "article_water_cp1251.txt"]
    steps[0].run(ctx)
    assert len(ctx.documents) == 1
    doc = ctx.documents[0]
    assert doc.published == "2025-02-10" and doc.source == "Степной курьер"
    assert doc.notes[0] == "decoded from cp1251 (not UTF-8)"


def test_demo_analyses_every_sample(capsys):
    assert demo_main(["--examples", str(EXAMPLES)]) == 0
    out = capsys.readouterr().out
    samples = list_samples(EXAMPLES)
    assert f"sarap demo: {len(samples)} sample articles" in out
    for sample in samples:
        assert sample.path.name in out
    assert "refused:" not in out
    assert out.count("analysed in") == len(samples)


def render_summary(doc) -> str:
    import io

    from rich.console import Console

    from sarap.summary import print_summary

    buffer = io.StringIO()
    print_summary(doc, Console(file=buffer, width=100))
    return buffer.getvalue()


def test_summary_of_a_hand_made_document():
    from sarap.model import Amount, DateRef, Document, Entity, Mention, Quote, Role

    text = "Мэр Озёрска Иван Петров заявил: «Мост откроют 1 мая». Проект стоит около 3 млрд рублей."

    def span(part: str) -> tuple[int, int]:
        return text.index(part), text.index(part) + len(part)

    doc = Document(text=text, published="2025-04-01", source="Озёрные новости")
    doc.entities = [
        Entity("e1", "PER", "Иван Петров", [Mention(*span("Иван Петров"), "Иван Петров")],
               [Role("мэр", "e2", *span("Мэр Озёрска")), Role("мэр", None, *span("Мэр"))]),
        Entity("e2", "LOC", "Озёрск", [Mention(*span("Озёрска"), "Озёрска")], subtype="city"),
    ]
    doc.quotes = [Quote("e1", "direct", *span("Мост откроют 1 мая"), ["e2"])]
    doc.dates = [DateRef(*span("1 мая"), "2025-05-01")]
    doc.amounts = [Amount(*span("около 3 млрд рублей"), 3e9, "RUB", True)]
    lines = [line.rstrip() for line in render_summary(doc).splitlines()]
    assert lines[1].startswith("article · Озёрные новости · 2025-04-01 · 87 chars")
    assert "Иван Петров 1× мэр (Озёрск)" in lines  # the bare "мэр" repeats the title with its place
    assert "Places (1): Озёрск (city)" in lines
    assert "Иван Петров (direct) Мост откроют 1 мая" in lines
    assert "  1 мая → 2025-05-01" in lines
    assert "  около 3 млрд рублей → 3,000,000,000 RUB (approx.)" in lines


def test_summary_of_an_empty_document():
    from sarap.model import Document

    out = render_summary(Document(text=""))
    assert out.splitlines()[:2] == ["(empty)", "article · 0 chars · 0 sentences · id e3b0c44298fc1c14"]
