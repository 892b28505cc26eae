"""The tone_model setting: the encoder sentiment model in the analysis, opt-in, and bad values refused."""
from __future__ import annotations

import pytest

from conftest import SEED_CALL, entity_named, require_shared
from sarap.analyzer import Analyzer, shared_analyzer
from sarap.cli import main
from sarap.settings import Settings


@pytest.fixture(scope="module")
def encoder_analyzer():
    return Analyzer(tone_model="encoder")


def test_encoder_model_tones_the_seed(encoder_analyzer, monkeypatch):
    import sarap.sentiment

    calls = []
    real = sarap.sentiment.encode_views
    monkeypatch.setattr(sarap.sentiment, "encode_views", lambda *a, **k: calls.append(1) or real(*a, **k))
    doc = encoder_analyzer(require_shared(SEED_CALL).read_text(encoding="utf-8"))
    assert calls, "the encoder model embeds the mentions' contexts"
    assert entity_named(doc, "Касым-Жомарт Токаев").sentiment.label == "positive"


def test_shared_analyzer_keeps_one_per_tone_model():
    assert shared_analyzer("lexical").tone_model == "lexical"
    assert shared_analyzer("lexical") is shared_analyzer()


def test_unknown_tone_model_is_refused(tmp_path, capsys):
    settings = tmp_path / "settings.yaml"
    settings.write_text("tone_model: bert\n", encoding="utf-8")
    with pytest.raises(ValueError, match="tone_model must be one of encoder, lexical"):
        Settings.load(settings)
    article = tmp_path / "a.txt"
    article.write_text("Президент Казахстана провёл переговоры.", encoding="utf-8")
    assert main(["--settings", str(settings), "analyze", str(article)]) == 2
    assert "tone_model must be one of" in capsys.readouterr().err
