"""Bad and unusual inputs through the real CLI: each is analysed correctly or refused with exit 2 and one
line on stderr, never a traceback (issue 2 §6)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sarap.cli import main
from sarap.inputs import Rejected, read_bytes, russian_score
from sarap.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Fictional people and places, written for these tests.
ARTICLE = ("Губернатор Северной области Олег Трофимов в минувший вторник заявил, что новая дорога будет открыта "
           "в декабре. «Мы закончим работы вовремя», — сказал Трофимов.\n")
HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Дорогу откроют в декабре</title>
<meta property="article:published_time" content="2024-10-03T09:00:00Z"></head><body>
<nav><a href="/">Главная</a> <a href="/news">Новости</a> <a href="/sport">Спорт</a></nav>
<article><h1>Дорогу откроют в декабре</h1>
<p>Губернатор Северной области Олег Трофимов в минувший вторник заявил, что новая дорога между Озёрском и
Береговым будет открыта в декабре. Строительство обошлось бюджету в 2,3 млрд рублей.</p>
<p>«Мы закончим работы вовремя, несмотря на дожди», — сказал Трофимов журналистам после совещания.</p>
<p>Депутат областного собрания Инна Дергачёва заявила, что подрядчик уже дважды срывал сроки.</p>
</article><footer>© Северный вестник. Подписывайтесь на наш канал</footer></body></html>"""


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, err: str, reason: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {err!r}"
    assert lines[0].startswith("sarap analyze: ")
    assert reason in lines[0]
    assert "Traceback" not in err


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\n   \r\n", "empty"),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PNG image"),
    ("nul.txt", ARTICLE.encode() + b"\x00\x00\x00" + ARTICLE.encode(), "NUL bytes"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ("latin1.txt", "Ceci n'est pas du russe: café, déjà, où, très élevé.".encode("latin-1"), "not UTF-8"),
    ("credit.txt", "Фото: пресс-служба\n\n  \n".encode(), "boilerplate"),
    ("nav.html", b"<html><body><script>var a = 1;</script><nav></nav></body></html>", "no extractable"),
])
def test_unusable_file_is_refused(tmp_path, capsys, name, data, reason):
    code, out, err = run_cli(capsys, "analyze", write(tmp_path, name, data))
    assert_refused(code, err, reason)
    assert out == ""


def test_missing_file_and_directory_are_refused(tmp_path, capsys):
    code, _, err = run_cli(capsys, "analyze", str(tmp_path / "nope.txt"))
    assert_refused(code, err, "no such file")
    code, _, err = run_cli(capsys, "analyze", str(tmp_path))
    assert_refused(code, err, "is a directory")


@pytest.mark.parametrize("value", ["2025-13-01", "10.11.2025", "yesterday", "20251110", "2025-02-30", ""])
def test_bad_published_date_is_refused(tmp_path, capsys, value):
    code, _, err = run_cli(capsys, "analyze", write(tmp_path, "a.txt", ARTICLE.encode()), "--published", value)
    assert_refused(code, err, "--published must be a date YYYY-MM-DD")


def test_huge_file_is_refused_before_reading(tmp_path, capsys):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # 20 MB, sparse: the refusal must come from the size, not from reading it
        f.truncate(20_000_000)
    code, _, err = run_cli(capsys, "analyze", str(path))
    assert_refused(code, err, "max_input_bytes")


def test_five_megabyte_text_is_refused_as_too_long_for_one_article(tmp_path, capsys):
    data = (ARTICLE * (5_000_000 // len(ARTICLE.encode()))).encode()
    assert 4_900_000 < len(data) <= Settings().max_input_bytes
    code, _, err = run_cli(capsys, "analyze", write(tmp_path, "long.txt", data))
    assert_refused(code, err, "max_text_chars")


def test_settings_file_lowers_the_text_limit(tmp_path, capsys):
    settings = tmp_path / "settings.yaml"
    settings.write_text("max_text_chars: 50\n", encoding="utf-8")
    path = write(tmp_path, "a.txt", ARTICLE.encode())
    code, _, err = run_cli(capsys, "--settings", str(settings), "analyze", path)
    assert_refused(code, err, "over the limit of 50")


def test_bad_settings_file_is_refused(tmp_path, capsys):
    settings = tmp_path / "settings.yaml"
    settings.write_text("max_text_chars: 50\nno_such_setting: 1\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--settings", str(settings), "analyze", write(tmp_path, "a.txt", b"x"))
    assert_refused(code, err, "no_such_setting")


def test_stdin_empty_is_refused(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(b""))
    code, _, err = run_cli(capsys, "analyze", "-")
    assert_refused(code, err, "empty")


class FakeStdin:
    def __init__(self, data: bytes):
        import io
        self.buffer = io.BytesIO(data)


# --- inputs that must be analysed -------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-16"])
def test_non_utf8_text_is_decoded_and_noted(tmp_path, capsys, encoding):
    text = ARTICLE.replace("«", '"').replace("»", '"').replace("—", "-")  # koi8-r has no «» or em dash
    code, out, err = run_cli(capsys, "analyze", write(tmp_path, "a.txt", text.encode(encoding)))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["text"] == text.strip()
    label = "UTF-16" if encoding == "utf-16" else encoding
    assert any(label in note for note in doc["notes"])
    assert f"note: decoded from {label}" in err


def test_cp1251_example_decodes_to_russian(capsys):
    code, out, err = run_cli(capsys, "analyze", str(EXAMPLES / "article_water_cp1251.txt"))
    assert code == 0, err
    text = json.loads(out)["text"]
    assert text.startswith("Министры сельского хозяйства пяти стран региона соберутся в Бишкеке")
    assert "«Вода — это не предмет торга" in text
    assert "cp1251" in err


def test_damaged_utf8_keeps_the_text(tmp_path, capsys):
    data = ARTICLE.encode()
    code, out, err = run_cli(capsys, "analyze", write(tmp_path, "a.txt", data[:40] + b"\xff" + data[40:]))
    assert code == 0, err
    assert "Олег Трофимов" in json.loads(out)["text"]
    assert "undecodable" in err


def test_html_page_yields_the_article_and_its_metadata(tmp_path, capsys):
    code, out, err = run_cli(capsys, "analyze", write(tmp_path, "page.html", HTML_PAGE.encode()))
    assert code == 0, err
    doc = json.loads(out)
    assert "Строительство обошлось бюджету в 2,3 млрд рублей." in doc["text"]
    assert "Инна Дергачёва" in doc["text"]
    for chrome in ("Главная", "Подписывайтесь", "Северный вестник", "<p>"):
        assert chrome not in doc["text"]
    assert doc["title"] == "Дорогу откроют в декабре"
    assert doc["published"] == "2024-10-03"
    assert "trafilatura" in err


def test_published_option_overrides_html_metadata(tmp_path, capsys):
    path = write(tmp_path, "page.html", HTML_PAGE.encode())
    code, out, _ = run_cli(capsys, "analyze", path, "--published", "2024-10-05", "--title", "Т", "--source", "С")
    assert code == 0
    doc = json.loads(out)
    assert (doc["published"], doc["title"], doc["source"]) == ("2024-10-05", "Т", "С")


@pytest.mark.parametrize("html", [
    "<p>Мэр Приозёрска Антон Лисицын заявил, что мост <b>построят в следующем году.<div>Стоимость — 3 млрд рублей",
    "<html><body><div><p>Мэр Приозёрска Антон Лисицын заявил, что мост построят в следующем году.</span>"
    "<p>Стоимость — 3 млрд рублей</div></table></html>",
])
def test_malformed_html_is_analysed(tmp_path, capsys, html):
    code, out, err = run_cli(capsys, "analyze", write(tmp_path, "broken.html", html.encode()))
    assert code == 0, err
    text = json.loads(out)["text"]
    assert "Антон Лисицын" in text and "3 млрд рублей" in text
    assert "<" not in text


def test_stdin_text_is_analysed(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(ARTICLE.encode()))
    code, out, _ = run_cli(capsys, "analyze", "-", "--published", "2024-10-03")
    assert code == 0
    doc = json.loads(out)
    assert doc["text"] == ARTICLE.strip() and doc["published"] == "2024-10-03"


# --- the decoding rules themselves ------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "iso8859-5", "mac-cyrillic"])
def test_each_cyrillic_encoding_is_told_apart(encoding):
    text = "Министр заявил, что переговоры продолжатся на следующей неделе в столице."
    got = read_bytes(text.encode(encoding))
    assert not isinstance(got, Rejected)
    assert got.text == text
    assert got.notes == [f"decoded from {encoding} (not UTF-8)"]


def test_russian_score_separates_right_and_wrong_codepage():
    data = "Председатель комиссии сообщил, что явка составила 41%.".encode("koi8-r")
    assert russian_score(data.decode("koi8-r")) > 0.8
    assert russian_score(data.decode("cp1251")) < 0.3


def test_cli_process_prints_no_traceback(tmp_path):
    """The installed entry point, as a user runs it: exit 2 and one line for a binary file."""
    path = write(tmp_path, "x.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    proc = subprocess.run([sys.executable, "-m", "sarap", "analyze", path], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "sarap analyze: input is a PNG image, not text"
    assert proc.stdout == ""


def test_stage_failure_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch):
    """A bug inside a stage is not the user's fault (exit 1, not 2), but still no traceback."""
    import sarap.analyzer
    from sarap.pipeline import StageError

    def broken(text, **kwargs):
        raise StageError("quotes", ValueError("boom"))

    monkeypatch.setattr(sarap.analyzer, "shared_analyzer", lambda tone_model="lexical": broken)
    code, out, err = run_cli(capsys, "analyze", write(tmp_path, "a.txt", ARTICLE.encode()))
    assert code == 1 and out == ""
    assert err.strip() == ("sarap analyze: internal error, please report: "
                           "stage 'quotes' failed: ValueError: boom")


@pytest.mark.parametrize("declared, note", [
    ("windows-1251", "decoded from windows-1251 (declared in the page)"),
    (None, "decoded from cp1251 (not UTF-8)"),
])
def test_cp1251_html_page(tmp_path, capsys, declared, note):
    page = HTML_PAGE.replace('<meta charset="utf-8">', f'<meta charset="{declared}">' if declared else "")
    code, out, err = run_cli(capsys, "analyze", write(tmp_path, "page.html", page.encode("cp1251")))
    assert code == 0, err
    doc = json.loads(out)
    assert "Строительство обошлось бюджету в 2,3 млрд рублей." in doc["text"]
    assert doc["notes"][:2] == [note, "HTML: article text extracted with trafilatura"]
