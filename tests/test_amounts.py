"""Amounts: value with multiplier applied, the counted noun's lemma or a currency code, approximate flag.

Expected values are read off the sentences by hand.
"""
from __future__ import annotations

import pytest

CASES = [
    # text, [(surface, value, unit, approximate)]
    ("Регион — это почти 80 миллионов человек.", [("почти 80 миллионов человек", 80_000_000, "человек", True)]),
    ("Сделка на $1,5 млрд закрыта.", [("$1,5 млрд", 1.5e9, "USD", False)]),
    ("Доля выросла на 30%.", [("30%", 30, "%", False)]),
    ("Завод выпустил около 2 тыс. тонн стали.", [("около 2 тыс. тонн", 2000, "тонна", True)]),
    ("Бюджет составил 10 млрд тенге.", [("10 млрд тенге", 1e10, "KZT", False)]),
    ("Компания «Северный ветер» вложила 5 млн долларов.", [("5 млн долларов", 5e6, "USD", False)]),
    ("Расходы достигли 1,2 трлн рублей.", [("1,2 трлн рублей", 1.2e12, "RUB", False)]),
    ("Город посетили два миллиона туристов.", [("два миллиона туристов", 2e6, "турист", False)]),
    ("На митинг вышли десятки тысяч людей.", [("десятки тысяч людей", 10_000, "человек", True)]),
    ("В 2024 году на заводе работали более 300 сотрудников.", [("более 300 сотрудников", 300, "сотрудник", True)]),
    ("Штраф составил 15 000 рублей.", [("15 000 рублей", 15_000, "RUB", False)]),
    ("За реформу выступили свыше 40 процентов жителей.", [("свыше 40 процентов", 40, "%", True)]),
    ("Фонд получил €20 млн.", [("€20 млн", 2e7, "EUR", False)]),
    ("Экспорт вырос в 1,5 раза.", [("1,5 раза", 1.5, "раз", False)]),
    ("Саммит C5+1 пройдет 6 ноября 2025 года.", []),
    ("Справки по телефону +7 701 123 45 67.", []),
    ("Команда заняла 5-е место в третий раз.", []),
    ("Он один из лучших игроков.", []),
    ("Один полицейский пострадал.", []),
    ("Он провел в тюрьме два года, ему 52 года.", []),
    ("Дело возбуждено по части 2 статьи 282 УК.", []),
    ("До 2000 человек вышли на площадь.", [("2000 человек", 2000, "человек", False)]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_amounts(analyzer, text, expected):
    doc = analyzer(text)
    got = [(doc.text[a.start:a.end], a.value, a.unit, a.approximate) for a in doc.amounts]
    assert got == [(s, pytest.approx(v), u, ap) for s, v, u, ap in expected]


def test_seed_amount(seed_c5):
    got = [(seed_c5.text[a.start:a.end], a.value, a.unit, a.approximate) for a in seed_c5.amounts]
    assert ("почти 80 миллионов человек", 80_000_000, "человек", True) in got


def test_amounts_serialise(seed_c5):
    from sarap.model import Document
    assert Document.from_dict(seed_c5.to_dict()).amounts == seed_c5.amounts
