"""Tone toward entities: the targeted classifier, the stances stage, `sarap sentiment`, the dev-set floor.

The sentences below are written for these tests about fictional people and companies; their labels were
read off the sentences by a person.
"""
from __future__ import annotations

import csv
import json

import pytest

from conftest import SHARED, entity_named, require_shared
from sarap.cli import main
from sarap.model import Document, Entity, Mention, Quote, Span, Token, Turn
from sarap.sentiment import (MODEL_DIR, MODEL_KINDS, MODELS_DIR, FeatureOptions, Prediction, encode_views,
                             extract_features, load_model, make_target, score_labels, shared_model, view_text)
from sarap.stances import MentionTone, aggregate_tone, attach_stances, evidence_of, voice_of

RUSENTNE = SHARED / "data" / "rusentne"
# Pinned from the shipped models (dev F1_PN 0.457 encoder, 0.421 lexical when trained); never lower them silently.
DEV_F1_PN_FLOOR = {"encoder": 0.44, "lexical": 0.40}

LABELLED = [
    ("Суд приговорил Петра Ковалёва к восьми годам заключения за мошенничество и взятки.",
     "Петра Ковалёва", "PERSON", -1),
    ("Оппозиция обвинила Петра Ковалёва в коррупции и потребовала его отставки.", "Петра Ковалёва", "PERSON", -1),
    ("Жители области горячо поддержали губернатора Анну Ветрову и поблагодарили её за новую больницу.",
     "Анну Ветрову", "PERSON", 1),
    ("Анна Ветрова получила престижную премию за выдающийся вклад в развитие науки.", "Анна Ветрова", "PERSON", 1),
    ("Министр Олег Дронов успешно провёл переговоры и добился подписания выгодного соглашения.",
     "Олег Дронов", "PERSON", 1),
    ("Как сообщил Олег Дронов, заседание перенесено на следующую неделю.", "Олег Дронов", "PERSON", 0),
    ("Компания «Северный ветер» открыла новый офис на улице Ленина.", "Северный ветер", "ORGANIZATION", 0),
    ("Компания «Северный ветер» обанкротилась, оставив тысячи вкладчиков без денег.", "Северный ветер",
     "ORGANIZATION", -1),
    ("Боевики группировки «Чёрный рассвет» совершили теракт, погибли десять человек.", "Чёрный рассвет",
     "ORGANIZATION", -1),
    ("Совещание с участием Петра Ковалёва пройдёт в среду в здании администрации.", "Петра Ковалёва", "PERSON", 0),
]


def predict_one(sentence: str, entity: str, tag: str) -> Prediction:
    start = sentence.index(entity)
    return shared_model().predict([make_target(sentence, start, start + len(entity), tag)])[0]


# --- the classifier -----------------------------------------------------------------------------------------

def test_make_target_marks_the_entity_words():
    target = make_target("Вчера Анна Ветрова выступила.", 6, 18)
    assert target.words == ["Вчера", "Анна", "Ветрова", "выступила", "."]
    assert list(target.entity) == [1, 2]


def test_make_target_refuses_an_empty_span():
    with pytest.raises(ValueError):
        make_target("Вчера Анна выступила.", 5, 6)


def test_features_leave_the_entity_out_and_mark_its_neighbours():
    feats = extract_features(make_target("Суд оправдал Анну Ветрову полностью.", 13, 25), FeatureOptions())
    assert "L1:оправдать" in feats and "R1:полностью" in feats
    assert not any(k.endswith(":ветров") or k.endswith(":анна") for k in feats)
    assert "b:оправдать_<E>" in feats


def test_hand_labelled_sentences_mostly_right():
    predicted = [predict_one(s, e, tag).label for s, e, tag, _ in LABELLED]
    gold = [y for *_, y in LABELLED]
    right = sum(p == g for p, g in zip(predicted, gold))
    assert right >= 7, list(zip(gold, predicted))


@pytest.mark.parametrize("praise, praised, blame, blamed", [
    ("Анна Ветрова получила премию за блестящую работу и искреннюю заботу о людях.", "Анна Ветрова",
     "Анна Ветрова арестована по обвинению в мошенничестве и хищении бюджетных средств.", "Анна Ветрова"),
    ("Избиратели благодарны Олегу Дронову за честность и успешные реформы.", "Олегу Дронову",
     "Избиратели возмущены: Олегу Дронову предъявлены обвинения в коррупции и взятках.", "Олегу Дронову"),
])
def test_praise_reads_warmer_than_blame(praise, praised, blame, blamed):
    assert predict_one(praise, praised, "PERSON").tone > 0 > predict_one(blame, blamed, "PERSON").tone


def test_batch_equals_one_by_one():
    targets = [make_target(s, s.index(e), s.index(e) + len(e), tag) for s, e, tag, _ in LABELLED]
    batch = shared_model().predict(targets)
    assert batch == [shared_model().predict([t])[0] for t in targets]
    assert all(abs(sum(p.probs) - 1) < 1e-3 for p in batch)
    assert shared_model().predict([]) == []


def test_context_view_masks_the_entity_and_keeps_eight_words_a_side():
    words = "Раз два три четыре пять шесть семь восемь девять Анна Ветрова десять".split()
    target = make_target(" ".join(words), len(" ".join(words[:9])) + 1, len(" ".join(words[:11])))
    assert view_text(target, "context") == "два три четыре пять шесть семь восемь девять X десять"
    assert view_text(target, "entity") == "Анна Ветрова"
    with pytest.raises(ValueError):
        view_text(target, "sentence")


def test_encoder_views_embed_each_distinct_text_once_in_column_blocks():
    one = make_target("Суд оправдал Анну Ветрову.", 13, 25)
    other = make_target("Анна Ветрова арестована.", 0, 12)
    got = encode_views([one, other, one], ("context", "entity"))
    assert got.shape == (3, 1024)
    assert (got[0] == got[2]).all() and not (got[0, :512] == got[1, :512]).all()
    # the two mentions differ in case only: USE sees them as close, not as the same text
    assert 0.5 < float(got[0, 512:] @ got[1, 512:]) < 0.999


def test_shipped_model_is_small_and_versioned(tmp_path):
    size = sum(p.stat().st_size for p in MODELS_DIR.rglob("*") if p.is_file())
    assert size <= 50 * 2**20
    assert load_model(MODELS_DIR / "lexical").options.encoder_views == ()
    assert shared_model().options.encoder_views == ("context", "entity")
    with pytest.raises(ValueError):
        shared_model("navec")
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    meta["protocol"] = 0
    for p in MODEL_DIR.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="protocol"):
        load_model(tmp_path)


def test_scores_are_rusentne_f1():
    # positive: P 1/1, R 1/2 -> F1 2/3; negative: P 1/3, R 1/1 -> 1/2; neutral: P 1/1, R 1/2 -> 2/3
    scores = score_labels([1, 1, -1, 0, 0], [1, -1, -1, 0, -1])
    assert scores["f1_pn"] == pytest.approx((2 / 3 + 1 / 2) / 2)
    assert scores["f1_pn0"] == pytest.approx((2 / 3 + 1 / 2 + 2 / 3) / 3)


@pytest.mark.parametrize("kind", MODEL_KINDS)
def test_dev_f1_pn_floor(kind):
    from sarap.sentiment import read_rows, target_from_row
    rows = read_rows(require_shared(RUSENTNE / "dev.csv"))
    predicted = [p.label for p in shared_model(kind).predict([target_from_row(r) for r in rows])]
    scores = score_labels([int(r["label"]) for r in rows], predicted)
    assert scores["f1_pn"] >= DEV_F1_PN_FLOOR[kind], scores


# --- voices and aggregation (hand-built documents, no models) -------------------------------------------------

def interview_doc() -> Document:
    text = "Вопрос о Ветровой. Ответ Дронова: Ветрова права. Кто-то сказал: «Ветрова ошиблась»."
    doc = Document(text=text)
    doc.entities = [Entity("e1", "PER", "Анна Ветрова", [Mention(9, 17, "Ветровой"), Mention(34, 41, "Ветрова"),
                                                          Mention(66, 73, "Ветрова")]),
                    Entity("e2", "PER", "Олег Дронов", [Mention(25, 32, "Дронова")])]
    doc.turns = [Turn("question", None, 0, 18), Turn("answer", "e2", 19, 48)]
    doc.quotes = [Quote("e2", "answer", 34, 48), Quote(None, "direct", 66, 82)]
    return doc


@pytest.mark.parametrize("start, end, voice", [
    (9, 17, None),       # the interviewer's question: the outlet's voice
    (34, 41, "e2"),      # inside Дронов's answer
    (66, 73, "?"),       # inside a quote whose speaker is unknown
])
def test_voice_of_mention(start, end, voice):
    assert voice_of(interview_doc(), start, end) == voice


def tone(label: int, pos: float, neg: float) -> MentionTone:
    return MentionTone("e1", Span(0, 1), None, Prediction(label, (neg, 1 - pos - neg, pos)))


def test_aggregate_tone_votes_and_averages():
    got = aggregate_tone([tone(1, 0.7, 0.1), tone(0, 0.2, 0.2), tone(1, 0.5, 0.3)])
    assert got.label == "positive" and got.score == pytest.approx((0.6 + 0.0 + 0.2) / 3, abs=1e-3)
    assert aggregate_tone([tone(1, 0.6, 0.2), tone(-1, 0.1, 0.7)]).label == "neutral"
    assert aggregate_tone([tone(0, 0.1, 0.1), tone(-1, 0.1, 0.6)]).label == "negative"


def test_evidence_keeps_the_sentences_that_carry_the_label():
    tones = [MentionTone("e1", Span(0, 10), None, Prediction(1, (0.1, 0.2, 0.7))),
             MentionTone("e1", Span(11, 20), None, Prediction(0, (0.1, 0.8, 0.1))),
             MentionTone("e1", Span(0, 10), None, Prediction(1, (0.1, 0.3, 0.6)))]
    assert evidence_of(tones, "positive") == [Span(0, 10)]
    assert evidence_of(tones, "neutral") == [Span(0, 10), Span(11, 20)]


def test_attach_stances_groups_by_voice_and_skips_self_and_unknown_voices():
    doc = interview_doc()
    doc.sentences = [Span(0, 18), Span(19, 48), Span(49, 83)]
    doc.tokens = [Token(m.start(), m.end(), m.group(), "X", {}, m.group().lower())
                  for m in __import__("re").finditer(r"\w+|[^\w\s]", doc.text)]
    attach_stances(doc, shared_model())
    pairs = {(s.speaker, s.target) for s in doc.stances}
    # Дронов named in his own answer turn is no stance of his; the unknown voice's «Ветрова ошиблась» gives none
    assert pairs == {(None, "e1"), ("e2", "e1")}
    assert doc.entity("e2").sentiment is not None          # yet every mention counts toward the entity's tone
    assert all(s.evidence for s in doc.stances)


# --- the full analyzer --------------------------------------------------------------------------------------

def test_quoted_praise_is_the_speakers_stance(analyzer):
    doc = analyzer("Мэр Северогорска Иван Сорокин заявил: «Анна Ветрова сделала для области больше, чем "
                   "кто-либо, я благодарен ей за поддержку».")
    speaker, target = entity_named(doc, "Иван Сорокин"), entity_named(doc, "Анна Ветрова")
    stance = [s for s in doc.stances if s.target == target.id and s.speaker == speaker.id]
    assert stance and stance[0].label == "positive"
    assert target.sentiment.label == "positive"
    assert Document.from_dict(doc.to_dict()).stances == doc.stances


def test_the_analyzer_tones_mentions_without_the_encoder(analyzer, monkeypatch):
    # the stances stage runs the lexical model: a USE pass per mention would cost half again the analysis
    import sarap.sentiment

    def refuse(*args):
        raise AssertionError("the analyzer called the sentence encoder")
    monkeypatch.setattr(sarap.sentiment, "encode_views", refuse)
    doc = analyzer("Анна Ветрова получила премию за блестящую работу.")
    assert entity_named(doc, "Анна Ветрова").sentiment is not None


def test_seed_call_tone_toward_tokayev_is_positive(seed_call):
    assert entity_named(seed_call, "Касым-Жомарт Токаев").sentiment.label == "positive"


def test_seed_c5_tone_toward_tokayev_is_positive(seed_c5):
    assert entity_named(seed_c5, "Касым-Жомарт Токаев").sentiment.label == "positive"


def test_seed_stances_validate_against_the_schema(seed_c5):
    import jsonschema
    from importlib.resources import files
    schema = json.loads(files("sarap.schema").joinpath("document.schema.json").read_text(encoding="utf-8"))
    data = seed_c5.to_dict()
    jsonschema.validate(data, schema)
    assert data["stances"] and {s["speaker"] for s in data["stances"]} - {None}
    ids = {e["id"] for e in data["entities"]}
    assert all(s["target"] in ids and (s["speaker"] is None or s["speaker"] in ids) for s in data["stances"])


# --- `sarap sentiment` --------------------------------------------------------------------------------------

def write_rows(path, rows, with_label=True):
    header = ["sentence", "entity", "entity_tag", "entity_pos_start_rel", "entity_pos_end_rel"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(header + (["label"] if with_label else []))
        for sentence, entity, tag, label in rows:
            start = sentence.index(entity)
            writer.writerow([sentence, entity, tag, start, start + len(entity)] + ([label] if with_label else []))


def test_cli_labels_rows_and_scores_when_gold_is_present(tmp_path, capsys):
    src, out = tmp_path / "rows.csv", tmp_path / "pred.csv"
    write_rows(src, LABELLED)
    assert main(["sentiment", str(src), "--out", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as f:
        got = list(csv.DictReader(f, delimiter="\t"))
    assert [r["sentence"] for r in got] == [s for s, *_ in LABELLED]
    assert {r["label"] for r in got} <= {"-1", "0", "1"}
    printed = capsys.readouterr().out
    assert "F1_PN" in printed and "F1_PN0" in printed


def test_cli_without_labels_writes_tsv_to_stdout(tmp_path, capsys):
    src = tmp_path / "rows.csv"
    write_rows(src, LABELLED[:3], with_label=False)
    assert main(["sentiment", str(src)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split("\t")[-1] == "label" and len(lines) == 4
    assert "F1_PN" not in captured.err


def test_cli_rejects_a_file_without_the_columns(tmp_path, capsys):
    src = tmp_path / "bad.csv"
    src.write_text("text\tlabel\nПривет\t0\n", encoding="utf-8")
    assert main(["sentiment", str(src)]) == 2
    assert main(["sentiment", str(tmp_path / "absent.csv")]) == 2


def test_cli_names_the_line_of_a_bad_offset(tmp_path, capsys):
    src = tmp_path / "rows.csv"
    write_rows(src, LABELLED[:2])
    lines = src.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split("\t")
    cells[3] = "x"                                  # entity_pos_start_rel is not a number
    src.write_text("\n".join(lines[:2] + ["\t".join(cells)]) + "\n", encoding="utf-8")
    assert main(["sentiment", str(src)]) == 2
    assert "line 3" in capsys.readouterr().err
