"""Quotes: answers, direct speech with attribution, reported speech — on short texts written for the test
(fictional people) and on the two seed interviews (expected values read off the texts)."""
from __future__ import annotations

import pytest

from sarap.quotes import quoted_spans

# Each case: (text, [(kind, speaker surname or None, the quoted words)]); an empty list means no quote.
CASES = [
    pytest.param("«Мы готовы к переговорам в любой день», — заявил министр иностранных дел Андрей Соболев.",
                 [("direct", "Соболев", "Мы готовы к переговорам в любой день")], id="«…», — заявил X"),
    pytest.param("Мэр города Игорь Кулагин сказал: «Ремонт закончится к зиме».",
                 [("direct", "Кулагин", "Ремонт закончится к зиме")], id="X сказал: «…»"),
    pytest.param("По словам Натальи Ветровой, «реформа провалилась ещё на старте».",
                 [("direct", "Ветров", "реформа провалилась ещё на старте")], id="по словам X, «…»"),
    pytest.param("„Это честная сделка“, — отметил банкир Сергей Мальцев.",
                 [("direct", "Мальцев", "Это честная сделка")], id="„…“, — отметил X"),
    pytest.param("«Мы знаем, где были ошибки», говорит инженер Пётр Сомов.",
                 [("direct", "Сомов", "Мы знаем, где были ошибки")], id="«…», говорит X (no dash)"),
    pytest.param("— Мы не отступим, — сказал Олег Дымов.",
                 [("direct", "Дымов", "Мы не отступим")], id="dashed direct speech"),
    pytest.param("Председатель комитета Максим Орлов заявил, что законопроект будет принят до конца года.",
                 [("indirect", "Орлов", "законопроект будет принят до конца года")], id="X заявил, что …"),
    pytest.param("Губернатор Виктор Зуев подчеркнул: бюджет области останется социальным.",
                 [("indirect", "Зуев", "бюджет области останется социальным")], id="X подчеркнул: …"),
    pytest.param("Депутат Игорь Лебедев сказал: Да, это так, но подробностей мы не знаем.",
                 [("direct", "Лебедев", "Да, это так, но подробностей мы не знаем")],
                 id="first person after a colon: direct speech without its quotation marks"),
    pytest.param("Как отметил директор завода Роман Белов, производство вырастет на треть.",
                 [("indirect", "Белов", "производство вырастет на треть")], id="Как отметил X, …"),
    pytest.param("По словам эксперта Алины Гусевой, цены на жильё снизятся весной.",
                 [("indirect", "Гусев", "цены на жильё снизятся весной")], id="по словам X, …"),
    pytest.param("По словам Алины Гусевой цены на жильё снизятся весной, но не везде.",
                 [("indirect", "Гусев", "цены на жильё снизятся весной, но не везде")],
                 id="по словам X without the comma"),
    pytest.param("Мост через Сурму закроют на ремонт\nРаботы начнутся в мае, сообщил мэр Игорь Кулагин.",
                 [("indirect", "Кулагин", "Работы начнутся в мае")], id="a headline line is not reported words"),
    pytest.param("Министр финансов Ирина Белова провела совещание. Министр подчеркнула, что дефицит бюджета "
                 "сократится.", [("indirect", "Белов", "дефицит бюджета сократится")], id="title as subject"),
    pytest.param("Депутат Иван Петров выступил в парламенте. Он добавил, что закон нужно доработать.",
                 [("indirect", "Петров", "закон нужно доработать")], id="pronoun subject"),
    pytest.param("Директор фонда Марина Лебедева уверена, что проект окупится за пять лет.",
                 [("indirect", "Лебедев", "проект окупится за пять лет")], id="X уверена, что …"),
    pytest.param("Завод начнёт выпуск электробусов в 2027 году. Об этом заявил директор предприятия Роман Белов.",
                 [("indirect", "Белов", "Завод начнёт выпуск электробусов в 2027 году")],
                 id="Об этом заявил X: the sentence before"),
    pytest.param("Переговоры продолжатся на следующей неделе, сообщил посол Андрей Громов.",
                 [("indirect", "Громов", "Переговоры продолжатся на следующей неделе")], id="…, сообщил X."),
    pytest.param("Министерство финансов сообщило, что дефицит бюджета сократился.",
                 [("indirect", None, "дефицит бюджета сократился")], id="organisation as speaker"),
    pytest.param("Историк Олег Крылов выпустил книгу о «холодной войне», а газета «Утренний вестник» "
                 "опубликовала отрывки.", [], id="«…» names and titles are not quotes"),
    pytest.param("Писатель Игорь Зимин выступил на митинге. «Такой человек, как Олег Дымов, не может руководить "
                 "городом», — заявил он.",
                 [("direct", "Зимин", "Такой человек, как Олег Дымов, не может руководить городом")],
                 id="'он' after a quote is not the man inside it"),
    pytest.param("«Это обычное правило, — пояснила Алла Бурова, — но мы о нём не знали».",
                 [("direct", "Буров", "Это обычное правило, — пояснила Алла Бурова, — но мы о нём не знали")],
                 id="quotation split by its attribution"),
    pytest.param("Инженер Билл Гарднер (Bill Gardner) высказался в том духе, что проблемы будут решены.",
                 [("indirect", "Гарднер", "проблемы будут решены")], id="a name with its spelling in brackets"),
    pytest.param("«Всё хорошо», говорит Вера Лунина: — «Но посадка была жёсткой».",
                 [("direct", "Лунин", "Всё хорошо"), ("direct", "Лунин", "Но посадка была жёсткой")],
                 id="X: — «…»"),
    pytest.param("Алла Бурова приехала в суд. По её словам, заседание будет техническим.",
                 [("indirect", "Буров", "заседание будет техническим")], id="по её словам"),
    pytest.param("По утверждению Сергея Лаврентьева, переговоры продолжатся.",
                 [("indirect", "Лаврентьев", "переговоры продолжатся")], id="по утверждению X"),
    pytest.param("Алла Бурова посетовала, что на свидание ей ничего не разрешили взять.",
                 [("indirect", "Буров", "на свидание ей ничего не разрешили взять")], id="X посетовала, что …"),
    pytest.param("Алла Бурова впервые увидит Виктора Бурова в суде. «Мы не виделись с ноября, — сказала она. — Но "
                 "мы готовы».", [("direct", "Алла Бурова", "Мы не виделись с ноября, — сказала она. — Но мы готовы")],
                 id="'она' is the last woman named"),
    pytest.param("По утверждению представителей агентства, это штатная ситуация. Представитель агентства Олег Ромов "
                 "ушёл в отпуск.", [], id="plural representatives are not the one named representative"),
    pytest.param("Семён Ларионов: «Театр не должен бояться пустого зала»",
                 [("direct", "Ларионов", "Театр не должен бояться пустого зала")], id="headline 'X: «…»'"),
    pytest.param("Представитель агентства Олег Ромов даёт своё объяснение: «Это происки конкурентов».",
                 [("direct", "Ромов", "Это происки конкурентов")], id="a person opening the sentence, then ': «…»'"),
    pytest.param("Газета перепечатала статью Олега Ромова: «Пять лет спустя».", [],
                 id="a genitive name before ': «…»' is no speaker"),
    pytest.param("Мэр Игорь Кулагин перечислил проекты: «Северный мост» и «Южный порт».", [],
                 id="names listed after a colon are not words said"),
    pytest.param("Депутат Иван Петров не сказал, что поддержит закон.", [], id="negated verb"),
    pytest.param("Адвокат Ивана Петрова заявил, что обжалует приговор.", [],
                 id="'адвокат X' is not X (and stays unattributed)"),
    pytest.param("Их первой жертвой, по словам сенатора Льва Воронова, станет налоговая реформа.",
                 [("indirect", "Воронов", "Их первой жертвой, по словам сенатора Льва Воронова, станет налоговая "
                   "реформа")], id="по словам X inside the sentence"),
    pytest.param("Депутат Иван Петров ответил на вопросы журналистов о новом законе.", [],
                 id="'ответил на вопросы' reports no words"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_quote_cases(analyzer, text, expected):
    doc = analyzer(text)
    got = [(q.kind, q.speaker, doc.text[q.start:q.end]) for q in doc.quotes]
    assert [(kind, said) for kind, _, said in got] == [(kind, said) for kind, _, said in expected]
    for (_, speaker, _), (_, surname, _) in zip(got, expected):
        assert speaker is not None, "speaker not resolved"
        entity = doc.entity(speaker)
        if surname is None:
            assert entity.type == "ORG"
        else:
            assert entity.type == "PER" and surname.lower() in entity.name.lower()


def test_names_in_quotation_marks_after_a_speech_verb_are_not_direct_speech(analyzer):
    doc = analyzer("Антимонопольная служба установила, что компании «Северный ветер» и «Южный берег» "
                   "завысили цены.")
    assert not [q for q in doc.quotes if q.kind == "direct"]


def test_about_lists_entities_inside_the_quote(analyzer):
    doc = analyzer("Посол Андрей Громов заявил, что Казахстан и Китай подпишут соглашение в Астане.")
    (quote,) = doc.quotes
    about = sorted(doc.entity(i).name for i in quote.about)
    assert about == ["Астана", "Казахстан", "Китай"]
    assert quote.speaker not in quote.about


def test_answer_quotes_leave_out_labels_but_not_a_first_word_with_a_colon(analyzer):
    doc = analyzer("Сегодня у нас в гостях композитор Илья Рябов.\n"
                   "Ведущий: Сколько времени заняла работа?\nГость: Почти год.\n"
                   "Ведущий: Будет ли альбом?\nГость: Да: он выйдет весной.\n"
                   "Ведущий: Спасибо!\nГость: Вам спасибо.")
    answers = [doc.text[q.start:q.end] for q in doc.quotes if q.kind == "answer"]
    assert answers == ["Почти год.", "Да: он выйдет весной.", "Вам спасибо."]


def test_you_in_a_question_is_the_interviewee(analyzer):
    doc = analyzer("Мы поговорили с экономистом Львом Гордеевым.\n\n"
                   "— Лев, весной вы заявили, что кризис закончится к осени. Вы всё ещё так считаете?\n\n"
                   "— Да, хотя осень может затянуться.\n\n— А что с ценами?\n\n— Они вырастут.")
    (quote,) = [q for q in doc.quotes if q.kind == "indirect"]
    assert doc.text[quote.start:quote.end] == "кризис закончится к осени"
    assert "гордеев" in doc.entity(quote.speaker).name.lower()


def test_answers_are_quotes_of_the_interviewee(analyzer):
    doc = analyzer("Фермер Григорий Степанов ответил на вопросы нашего корреспондента.\n\n"
                   "Вопрос: Каким был урожай?\n\nОтвет: Хорошим, но цены упали.\n\n"
                   "Вопрос: Что будете сеять весной?\n\nОтвет: Подсолнечник и горох.")
    answers = [q for q in doc.quotes if q.kind == "answer"]
    assert [doc.text[q.start:q.end] for q in answers] == ["Хорошим, но цены упали.", "Подсолнечник и горох."]
    assert {doc.entity(q.speaker).name for q in answers} == {"Григорий Степанов"}


@pytest.mark.parametrize("text, spans", [
    ("Он сказал: «Да».", ["Да"]),
    ("«Внешний „внутренний“ текст»", ["Внешний „внутренний“ текст"]),
    ("“Один” и “два”", ["Один", "два"]),
    ("«Незакрытая\nстрока»", []),
])
def test_quoted_spans(text, spans):
    assert [text[s:e] for s, e in quoted_spans(text)] == spans


# --- seeds: values read off the texts by a person ---------------------------------------------------------

def quote_starting(doc, words):
    for q in doc.quotes:
        if doc.text[q.start:q.end].startswith(words):
            return q
    raise AssertionError(f"no quote starting with {words!r}: {[doc.text[q.start:q.end][:40] for q in doc.quotes]}")


def is_tokayev(doc, entity_id):
    # Compared on the surname: the resolution may still keep "Токаев" and "Касым-Жомарт Токаев" apart.
    entity = doc.entity(entity_id)
    return entity is not None and entity.type == "PER" and "токаев" in entity.name.lower()


def test_seed_call_answers(seed_call):
    doc = seed_call
    answers = [q for q in doc.quotes if q.kind == "answer"]
    assert len(answers) == 6
    lee = doc.interviewees[0].entity
    assert all(q.speaker == lee for q in answers)
    assert doc.text[answers[0].start:].startswith("Да, и это укрепление")


@pytest.mark.parametrize("words", [
    "исключительную сложность украинского урегулирования",              # Глава государства подчеркнул …
    "конфликт имеет исключительную сложность",                         # Он (Токаев) … открыто говорил о том, что …
    "даже если путь к миру будет долгим",                              # Токаев последовательно подчеркивает: …
    "Казахстан не хочет быть посредником",                             # Президент четко обозначил: …
])
def test_seed_call_reported_speech_by_tokayev(seed_call, words):
    quote = quote_starting(seed_call, words)
    assert quote.kind == "indirect"
    assert is_tokayev(seed_call, quote.speaker)


def test_seed_call_cold_war_is_not_a_quote(seed_call):
    start = seed_call.text.index("холодной войны")
    assert not any(q.kind == "direct" and q.start <= start < q.end for q in seed_call.quotes)


def test_seed_c5_reported_speech_inside_a_question(seed_c5):
    doc = seed_c5
    quote = quote_starting(doc, "о намерении придать новый импульс")
    assert quote.kind == "indirect" and is_tokayev(doc, quote.speaker)
    question = next(t for t in doc.turns if t.start <= quote.start < t.end)
    assert question.role == "question"
    usa = next(e for e in doc.entities if e.name == "США")
    assert usa.id in quote.about


def test_seed_c5_answers(seed_c5):
    answers = [q for q in seed_c5.quotes if q.kind == "answer"]
    assert len(answers) == 7
    assert {seed_c5.entity(q.speaker).name.split()[-1] for q in answers} == {"Курамаев"}
