"""Dates: absolute and relative expressions, normalised against the publication date.

Expected values are worked out by hand from the sentences (2025-11-12, the anchor, is a Wednesday in
ISO week 46).
"""
from __future__ import annotations

import pytest

from sarap.dates import find_date_matches, normalise_date

PUB = "2025-11-12"

CASES = [
    # text, published, [(surface, value)]
    ("Встреча прошла 6 ноября.", None, [("6 ноября", "--11-06")]),
    ("Встреча прошла 6 ноября.", PUB, [("6 ноября", "2025-11-06")]),
    ("Форум пройдет 6 ноября 2026 года.", PUB, [("6 ноября 2026 года", "2026-11-06")]),
    ("Документ подписан 06.11.2025.", None, [("06.11.2025", "2025-11-06")]),
    ("В ноябре министр Петров посетил Омск.", None, [("ноябре", "--11")]),
    ("В декабре министр Петров посетил Омск.", PUB, [("декабре", "2024-12")]),
    ("В декабре министр Петров посетит Омск.", PUB, [("декабре", "2025-12")]),
    ("В феврале министр Петров посетит Омск.", PUB, [("феврале", "2026-02")]),
    ("В ноябре 2024 года завод остановили.", PUB, [("ноябре 2024 года", "2024-11")]),
    ("В 2024 году завод открылся.", None, [("2024 году", "2024")]),
    ("В 2024-м году завод открылся.", None, [("2024-м году", "2024")]),
    ("В прошлом году завод открылся.", PUB, [("в прошлом году", "2024")]),
    ("В прошлом году завод открылся.", None, []),
    ("В минувший четверг мэр Сидоров выступил.", PUB, [("В минувший четверг", "2025-11-06")]),
    ("В пятницу мэр Сидоров выступит.", PUB, [("В пятницу", "2025-11-14")]),
    ("Вчера мэр Сидоров выступил в думе.", PUB, [("Вчера", "2025-11-11")]),
    ("На прошлой неделе мэр Сидоров выступил.", PUB, [("На прошлой неделе", "2025-W45")]),
    ("В следующем месяце мэр Сидоров уйдет в отпуск.", PUB, [("В следующем месяце", "2025-12")]),
    ("В начале 1990-х годов завод закрылся.", None, [("1990-х годов", "199X")]),
    ("В 90-е годы завод закрылся.", None, [("90-е годы", "199X")]),
    ("В XX веке здесь был порт.", None, [("XX веке", "19XX")]),
    ("Ноябрьский визит министра прошел успешно.", None, [("Ноябрьский", "--11")]),
    ("Ноябрьский визит министра прошел успешно.", PUB, [("Ноябрьский", "2025-11")]),
    ("Выставка пройдет 5–6 ноября 2025 года.", None, [("5–6 ноября 2025 года", "2025-11-05/2025-11-06")]),
    ("В 2020–2024 годах цены росли.", None, [("2020–2024 годах", "2020/2024")]),
    ("Сделку закрыли 28 декабря.", "2026-01-05", [("28 декабря", "2025-12-28")]),
    ("Он родился в 1976, а уехал в 1985—1990 годах.", None, [("в 1976", "1976"), ("1985—1990 годах", "1985/1990")]),
    ("В 1976 завод закрыли.", None, [("В 1976", "1976")]),
    ("Лекции пройдут 17 и 21 апреля 2026 года.", None, [("17", "2026-04-17"), ("21 апреля 2026 года", "2026-04-21")]),
    ("Матчи сыграют 5, 6 и 8 мая.", None, [("5", "--05-05"), ("6", "--05-06"), ("8 мая", "--05-08")]),
    ("Группа выпустила альбом «Север» (1997).", None, [("1997", "1997")]),
    ("В 2014 случаях врачи ошиблись.", None, []),
    ("Завод закрыли три года назад.", PUB, [("три года назад", "2022")]),
    ("Отчет вышел 5 дней назад.", PUB, [("5 дней назад", "2025-11-07")]),
    ("Склад принял 2024 вагона и 15 машин.", PUB, []),
    ("Встреча прошла 31 ноября.", None, []),
]


@pytest.mark.parametrize("text, published, expected", CASES)
def test_dates(analyzer, text, published, expected):
    doc = analyzer(text, published=published)
    got = [(doc.text[d.start:d.end], d.value) for d in doc.dates]
    # The span may or may not include a leading preposition; compare case-insensitively without it.
    assert [(_core(s), v) for s, v in got] == [(_core(s), v) for s, v in expected]


def _core(surface: str) -> str:
    words = surface.split()
    return " ".join(words[1:] if words and words[0].lower() in ("в", "во", "на") else words).lower()


def test_tense_free_match_without_tokens():
    # The regex layer works on bare text; without an anchor a relative day has no value.
    matches = find_date_matches("Вчера и 7 марта")
    assert [m.kind for m in matches] == ["day_word", "day_month"]
    assert [normalise_date(m, None, 0) for m in matches] == [None, "--03-07"]


def test_seed_dates(seed_call, seed_c5):
    call = {(seed_call.text[d.start:d.end], d.value) for d in seed_call.dates}
    assert ("ноябрьского", "--11") in call
    assert ("1990-х годов", "199X") in call
    c5 = {(seed_c5.text[d.start:d.end], d.value) for d in seed_c5.dates}
    assert ("6 ноября", "--11-06") in c5


def test_dates_serialise(seed_c5):
    from sarap.model import Document
    assert Document.from_dict(seed_c5.to_dict()).dates == seed_c5.dates
