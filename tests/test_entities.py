"""NER repair and entity resolution: short texts about fictional people, and the two seed interviews."""
from __future__ import annotations

import pytest

from conftest import entity_named
from sarap.gazetteer import fold_key, load_gazetteer
from sarap.model import Document, NerSpan, Token
from sarap.ner import guess_subtype, repair_spans


def names(doc, type_=None):
    return {e.name for e in doc.entities if type_ is None or e.type == type_}


def mention_texts(doc, name):
    return [m.text for m in entity_named(doc, name).mentions]


# (text, expected entities as (type, name, subtype or None), names that must NOT be entities)
REPAIR_CASES = [
    ("Президент Борисов провёл встречу с фермерами в Минске.",
     {("PER", "Борисов", None), ("LOC", "Минск", "city")}, {"Президент Борисов"}),
    ("Спецпредставитель прибыл в Ереван на переговоры.",
     {("LOC", "Ереван", "city")}, {"Спецпредставитель"}),
    ("Делегация обсудила ситуацию в Южной и Восточной Азии.",
     {("LOC", "Южная Азия", "other"), ("LOC", "Восточная Азия", "other")}, {"Южная", "Южной"}),
    ("Казахстан давно известен как площадка для переговоров: от Сирийского процесса до саммитов.",
     {("LOC", "Казахстан", "country")}, {"Сирийский", "Сирийского"}),
    ("В преддверии саммита C5+1 Астана укрепила свои позиции.",
     {("ORG", "C5+1", None), ("LOC", "Астана", "city")}, {"C5+1 Астана"}),
    ("Саммит С5+1 пройдёт в Вашингтоне в декабре.",  # Cyrillic С
     {("ORG", "C5+1", None), ("LOC", "Вашингтон", "city")}, set()),
    ("Решение поддержали в ОДКБ и ЕАЭС, а в ШОС промолчали.",
     {("ORG", "ОДКБ", None), ("ORG", "ЕАЭС", None), ("ORG", "ШОС", None)}, set()),
    ("Делегация из Бразилии посетила Новосибирск и Московскую область.",
     {("LOC", "Бразилия", "country"), ("LOC", "Новосибирск", "city"), ("LOC", "Московская область", "region")},
     set()),
    # a body with a place in the genitive is one ORG; the place is still mentioned on its own
    ("Об этом сообщили в МИД России и в Конгрессе США.",
     {("ORG", "МИД России", None), ("ORG", "Конгресс США", None), ("LOC", "Россия", "country"),
      ("LOC", "США", "country")}, {"МИД", "Конгресс"}),
    ("Правительство Израиля ответило мэрии Москвы.",
     {("ORG", "правительство Израиля", None), ("ORG", "мэрия Москвы", None), ("LOC", "Москва", "city")}, set()),
    ("Японское правительство ответило по данным японского МИДа.",
     {("ORG", "японское правительство", None), ("ORG", "японский МИД", None)}, {"МИД"}),
    ("Член Палаты представителей Конгресса США Эмили Роуз выступила в Сенате.",
     {("ORG", "Палата представителей Конгресса США", None), ("LOC", "США", "country")}, set()),
    ("Российские банки закрылись, сообщила американская компания Zettabit.",  # many banks; the name is the ORG
     {("ORG", "Zettabit", None)}, {"российские банки", "американская компания"}),
    ("Об этом заявили в Союзе координационных советов (СКС) и в ООН (ФАО).",
     {("ORG", "Союз координационных советов", None), ("ORG", "СКС", None), ("ORG", "ООН", None),
      ("ORG", "ФАО", None)}, {"ООН (ФАО)"}),
    ("Об этом сообщили СМИ со ссылкой на ПАО «Северный завод».", set(), {"СМИ", "ПАО"}),
    ("Власти Соединённых Штатов ответили не сразу, но позднее США согласились на встречу.",
     {("LOC", "США", "country")}, {"Соединенных Штаты", "Соединённые Штаты"}),
    # a state body named by its noun alone is an ORG; plural bodies and people of the body are not
    ("Правительство одобрило проект, а автора задержала полиция. Прокуратура проверит полицейских.",
     {("ORG", "правительство", None), ("ORG", "полиция", None), ("ORG", "прокуратура", None)},
     {"полицейские", "полицейский"}),
    ("Законопроект внесли в парламент, но кабмин и правительства соседей промолчали.",
     {("ORG", "парламент", None), ("ORG", "кабмин", None)}, {"правительства"}),
    # a name natasha cut short or split is widened to the gazetteer's longer name
    ("Депутат от партии «Единая Россия» Иван Сомов подал жалобу в Европейский суд по правам человека.",
     {("ORG", "Единая Россия", None), ("ORG", "ЕСПЧ", None), ("PER", "Иван Сомов", None)},
     {"Единая", "Европейский суд", "Россия"}),
    # a named body with its owner: an undeclined abbreviation too; the body noun inside is no second ORG
    ("Генеральная прокуратура ОАЭ ответила, Верховный суд Испании отказал.",
     {("ORG", "Генеральная прокуратура ОАЭ", None), ("ORG", "Верховный суд Испании", None),
      ("LOC", "ОАЭ", "country"), ("LOC", "Испания", "country")}, {"прокуратура ОАЭ", "суд Испании"}),
    # a ministry is named by its field: with a place adjective, alone, or with its country
    ("В испанском министерстве финансов и в министерстве обороны Перу ответили, министерство юстиции промолчало.",
     {("ORG", "испанское министерство финансов", None), ("ORG", "министерство обороны Перу", None),
      ("ORG", "министерство юстиции", None)}, {"испанское министерство", "министерство"}),
    # a name with its original spelling in brackets is one person, named in Russian
    ("Журналист Джоэл Ривз (Joel Reeves) заявил, что Ривз прав.", {("PER", "Джоэл Ривз", None)},
     {"Джоэл Ривз (Joel Reeves)", "Joel Reeves"}),
    # the space station is a facility, a place
    ("Экипаж МКС вернулся на Землю.", {("LOC", "МКС", "other")}, set()),
]


@pytest.mark.parametrize("text, expected, absent", REPAIR_CASES)
def test_repair_ner(analyzer, text, expected, absent):
    doc = analyzer(text)
    got = {(e.type, e.name, e.subtype) for e in doc.entities}
    assert expected <= got
    assert not names(doc) & absent


# (text, canonical name, the mentions it must have, in text order)
RESOLUTION_CASES = [
    ("Министр Аркадий Семёнов прибыл в Ташкент. Семёнов заявил, что визит важен. "
     "Позже Аркадий отметил успехи сторон.", "Аркадий Семенов", ["Аркадий Семёнов", "Семёнов", "Аркадий"]),
    ("Глеба Тарасова встретили в Казани. Тарасову вручили награду. Тарасов поблагодарил организаторов.",
     "Глеб Тарасов", ["Глеба Тарасова", "Тарасову", "Тарасов"]),
    ("Ирина Кольцова возглавила фонд. Ирина рассказала о планах фонда.", "Ирина Кольцова",
     ["Ирина Кольцова", "Ирина"]),
    ("Слово предоставили Гусеву. Позже Пётр Гусев рассказал о планах компании.", "Петр Гусев",
     ["Гусеву", "Пётр Гусев"]),
    # a surname that is also a title word stays a name once the person is named in full
    ("Тренер Олег Адвокат доволен, но болельщики ждут, что Адвокат ответит.", "Олег Адвокат",
     ["Олег Адвокат", "Адвокат"]),
    # role references resolved to the only holder of the role
    ("Президент Армении Левон Аганесян прибыл в Тбилиси. Глава государства провёл переговоры.",
     "Левон Аганесян", ["Левон Аганесян", "Глава государства"]),
    ("Президент Тимур Садыков выступил в парламенте. Позже наш президент ответил на вопросы журналистов.",
     "Тимур Садыков", ["Тимур Садыков", "наш президент"]),
    ("Государственный секретарь США Джеймс Уолтон прибыл в Берлин. Госсекретарь провёл встречу с коллегами.",
     "Джеймс Уолтон", ["Джеймс Уолтон", "Госсекретарь"]),
    ("Специальный представитель ООН Марк Дюваль прибыл в Женеву. Спецпредставитель провёл там два дня.",
     "Марк Дюваль", ["Марк Дюваль", "Спецпредставитель"]),
]


@pytest.mark.parametrize("text, name, mentions", RESOLUTION_CASES)
def test_resolve_entities(analyzer, text, name, mentions):
    doc = analyzer(text)
    assert [e.name for e in doc.entities if e.type == "PER"] == [name]
    assert mention_texts(doc, name) == mentions


def test_names_in_a_score_list(analyzer):
    """Bullets and a dash between two surnames: natasha's "• Гараев" and "Сомов — Гараев" are repaired."""
    doc = analyzer("Тимур Гараев и Олег Сомов сыграли матч.\n• Гараев — Сомов 1:0\n• Сомов — Гараев 0:1")
    assert names(doc, "PER") == {"Тимур Гараев", "Олег Сомов"}
    assert mention_texts(doc, "Тимур Гараев") == ["Тимур Гараев", "Гараев", "Гараев"]
    assert mention_texts(doc, "Олег Сомов") == ["Олег Сомов", "Сомов", "Сомов"]


def test_ambiguous_role_reference_stays_unresolved(analyzer):
    doc = analyzer("Президент Литвы Юрас Малинаускас и президент Латвии Карлис Озолс встретились в Риге. "
                   "Президент заявил о новых планах.")
    last = doc.text.rindex("Президент")
    assert all(m.start != last for e in doc.entities for m in e.mentions)
    assert names(doc, "PER") == {"Юрас Малинаускас", "Карлис Озолс"}


def test_entity_ids_follow_first_mention(analyzer):
    doc = analyzer("Пётр Гусев прибыл в Казань. Гусев встретился с мэром Казани.")
    assert [(e.id, e.name) for e in doc.entities] == [("e1", "Петр Гусев"), ("e2", "Казань")]
    assert [m.text for m in doc.entities[1].mentions] == ["Казань", "Казани"]


def test_repair_spans_without_models():
    """The repair is a pure function of text, tokens and spans: a title word alone tagged PER goes."""
    text = "Спецпредставитель прибыл в Ташкент"
    tokens = [Token(0, 17, "Спецпредставитель", "NOUN", {"Case": "Nom"}, "спецпредставитель"),
              Token(18, 24, "прибыл", "VERB", {}, "прибыть"), Token(25, 26, "в", "ADP", {}, "в"),
              Token(27, 34, "Ташкент", "PROPN", {"Case": "Acc"}, "ташкент")]
    spans = [NerSpan(0, 17, "PER", "Спецпредставитель", "Спецпредставитель")]
    repaired = repair_spans(text, tokens, spans, load_gazetteer())
    assert [(s.type, s.text, s.normal, s.subtype) for s in repaired] == [("LOC", "Ташкент", "Ташкент", "city")]


@pytest.mark.parametrize("name, subtype", [
    ("Ставропольский край", "region"), ("Республика Тыва", "region"), ("город Энск", "city"), ("Энск", "city"), ("река Рейн", "other"),
    ("Советский район", "other")])
def test_guess_subtype(name, subtype):
    assert guess_subtype(name) == subtype


@pytest.mark.parametrize("form, name", [
    ("Казахстана", "Казахстан"), ("Соединенных Штатах", "США"), ("Кыргызстане", "Кыргызстан"),
    ("Киргизии", "Кыргызстан"), ("С5+1", "C5+1"), ("Организации Объединённых Наций", "ООН"),
    ("Ростове-на-Дону", "Ростов-на-Дону"), ("Южной Кореей", "Южная Корея"), ("Франции", "Франция")])
def test_gazetteer_forms(form, name):
    assert load_gazetteer().lookup(form).name == name


def test_fold_key_folds_latin_lookalikes():
    assert fold_key("C5+1") == fold_key("С5+1") and fold_key("Ёлки  Палки") == "елки палки"


def test_document_round_trip_keeps_subtype(analyzer):
    doc = analyzer("Делегация из Бразилии посетила Новосибирск.")
    again = Document.from_dict(doc.to_dict())
    assert [(e.name, e.subtype) for e in again.entities] == [("Бразилия", "country"), ("Новосибирск", "city")]


# --- the seeds (real text from ../shared; expectations read off the articles) ---

def test_seed_call_tokayev_one_entity(seed_call):
    tokayev = entity_named(seed_call, "Касым-Жомарт Токаев")
    texts = {m.text for m in tokayev.mentions}
    assert {"Касым-Жомарта Токаева", "Токаев", "Токаева", "Глава государства"} <= texts
    text = seed_call.text
    full = text.index("Президента Казахстана Касым-Жомарта Токаева")
    assert any(m.start == full + len("Президента Казахстана ") for m in tokayev.mentions)
    # "Президент Токаев воспринимается в Вашингтоне" and "Президент четко обозначил"
    assert any(m.start == text.index("Президент Токаев") + len("Президент ") for m in tokayev.mentions)
    assert any(m.start == text.index("Президент четко") for m in tokayev.mentions)
    assert not [e for e in seed_call.entities if e.type == "PER" and "Токаев" in e.name and e is not tokayev]


def test_seed_call_places_and_people(seed_call):
    assert {"Касым-Жомарт Токаев", "Дональд Трамп", "Найджел Ли"} == names(seed_call, "PER")
    assert {("Казахстан", "country"), ("США", "country"), ("Вашингтон", "city"), ("Астана", "city"),
            ("Москва", "city"), ("Центральная Азия", "other"), ("Украина", "country")} <= \
        {(e.name, e.subtype) for e in seed_call.entities if e.type == "LOC"}
    trump = entity_named(seed_call, "Дональд Трамп")
    # "Возможный визит Президента США в Казахстан" refers to the only US president in the text
    assert "Президента США" in [m.text for m in trump.mentions]


def test_seed_c5_entities(seed_c5):
    assert not names(seed_c5) & {"Южная", "Сирийский", "Спецпредставитель", "C5+1 Астана"}
    assert entity_named(seed_c5, "C5+1").type == "ORG"
    assert entity_named(seed_c5, "Астана").type == "LOC"
    assert len(entity_named(seed_c5, "C5+1").mentions) == 4  # three with Latin C, one with Cyrillic С
    assert {"Серджио Гор", "Кристофер Ландау", "Касым-Жомарт Токаев", "Байкадам Курамаев",
            "Дональд Трамп"} == names(seed_c5, "PER")
    assert {"ООН", "МИД", "ExxonMobil"} <= names(seed_c5, "ORG")


def test_seed_c5_role_references(seed_c5):
    tokayev = entity_named(seed_c5, "Касым-Жомарт Токаев")
    assert {"наш президент", "глава государства", "Касым-Жомарта Токаева", "Токаев"} <= \
        {m.text for m in tokayev.mentions}
    assert "Спецпредставитель" in mention_texts(seed_c5, "Серджио Гор")
    assert mention_texts(seed_c5, "Байкадам Курамаев") == ["Байкадам Курамаев", "Байкадам"]
