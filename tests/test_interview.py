"""Interview structure: kind, turns, interviewees, speakers — on short texts written for the test and on
the two seed interviews (expected values read off the texts)."""
from __future__ import annotations

import pytest

from sarap.interview import detect_structure, split_paragraphs

# Each case: (text, title, expected turn roles in order, interviewee surname or None, words of the description)
CASES = [
    pytest.param(
        "Городской парк закрыли на реконструкцию до весны.\n\n"
        "О том, что изменится, мы поговорили с Ольгой Черновой, главным архитектором проекта.\n\n"
        "— Ольга Николаевна, зачем понадобилась реконструкция?\n\n"
        "— Дорожкам больше тридцати лет, а освещение давно не работает.\n\n"
        "— Когда парк откроется?\n\n"
        "— Мы рассчитываем открыть его в мае.\n\n"
        "Напомним, что на реконструкцию парка из бюджета выделено 120 млн рублей.",
        None, ["lead", "question", "answer", "question", "answer", "closing"], "Чернов", "главный архитектор проекта",
        id="em-dash, lead 'поговорили с', closing 'Напомним'"),
    pytest.param(
        "Вчера в Озёрске открылась выставка северной графики. Её куратор Павел Лаптев рассказал о ней.\n\n"
        "– Павел, сколько работ привезли?\n\n"
        "– Около двухсот. Это самая большая выставка графики за десять лет.\n\n"
        "Многие листы публикуются впервые: их хранили в частных собраниях.\n\n"
        "– Кто авторы?\n\n"
        "– В основном художники семидесятых годов.\n\n"
        "Часть из них до сих пор работает в нашем городе.",
        None, ["lead", "question", "answer", "question", "answer"], "Лаптев", "куратор",
        id="en-dash, multi-paragraph answers, no closing"),
    pytest.param(
        "Начальник порта Тимур Байсаров дал интервью нашему изданию.\n"
        "- Тимур Асланович, с чем связан рост грузооборота?\n"
        "- С новым терминалом, он заработал весной.\n"
        "- Что будет через пять лет?\n"
        "- Я уверен, что мы удвоим грузооборот.",
        None, ["lead", "question", "answer", "question", "answer"], "Байсаров", "начальник порта",
        id="hyphen dashes, 'дал интервью'"),
    pytest.param(
        "Фермер Григорий Степанов ответил на вопросы нашего корреспондента.\n\n"
        "Вопрос: Каким был урожай?\n\n"
        "Ответ: Хорошим, но цены упали.\n\n"
        "Вопрос: Что будете сеять весной?\n\n"
        "Ответ: Подсолнечник и горох.\n\n"
        "Беседовала Ольга Кравец",
        None, ["lead", "question", "answer", "question", "answer", "closing"], "Степанов", "фермер",
        id="Вопрос/Ответ labels, interviewer credit"),
    pytest.param(
        "Режиссёр Семён Ларионов рассказал о новом сезоне театра.\n"
        "Корр.: Что изменилось за полгода?\n"
        "С.Л.: Мы обновили репертуар.\n"
        "Корр.: Куда поедете на гастроли?\n"
        "С.Л.: В Приозёрск и Нижнереченск.",
        None, ["lead", "question", "answer", "question", "answer"], "Ларионов", "режиссёр",
        id="speaker initials and 'Корр.' labels"),
    pytest.param(
        "Сегодня у нас в гостях композитор Илья Рябов, автор музыки к фильму «Северный ветер».\n"
        "Ведущий: Илья, сколько времени заняла работа над музыкой?\n"
        "Гость: Почти год. Половину этого времени я провёл на съёмках.\n"
        "Ведущий: Будет ли альбом?\n"
        "Гость: Да: он выйдет весной.",
        None, ["lead", "question", "answer", "question", "answer"], "Рябов", "композитор",
        id="'Ведущий:'/'Гость:' labels; the guest is the person the lead introduces"),
    pytest.param(
        "Гость нашей рубрики Вера Лукина — социолог, руководитель лаборатории городских исследований.\n\n"
        "— Вера, что изменилось в городе за десять лет?\n\n"
        "— Люди стали больше ходить пешком.\n\n"
        "— Почему?\n\n"
        "— Появились удобные тротуары.",
        None, ["lead", "question", "answer", "question", "answer"], "Лукин",
        "социолог, руководитель лаборатории городских исследований", id="'X — социолог, …' description"),
    pytest.param(
        "Глеб Сомов — о новом сезоне и старых обидах.\n\n"
        "— Чего ждать от сезона?\n\n— Побед, конечно.\n\n— А обиды остались?\n\n— Нет, всё в прошлом.",
        None, ["lead", "question", "answer", "question", "answer"], "Сомов", None,
        id="a lead naming one person and no cue"),
    pytest.param(
        "О деле Петра Гаврилова мы поговорили с его адвокатом Сергеем Лукиным.\n\n"
        "— Сергей Петрович, когда начнётся суд?\n\n"
        "— Заседание назначено на декабрь. Мой подзащитный Гаврилов вину не признаёт.\n\n"
        "— Чего вы ждёте от суда?\n\n"
        "— Оправдательного приговора.",
        None, ["lead", "question", "answer", "question", "answer"], "Лукин", "адвокат",
        id="the person talked about is not the interviewee"),
    pytest.param(
        "— Как прошёл сезон?\n"
        "— Лучше, чем мы ждали: туристов стало больше на треть.\n"
        "— А что с ценами?\n"
        "— Цены мы не поднимали.\n"
        "Сезон в горах продлится до конца октября.\n"
        "Виктор Ганин руководит курортом «Белая гора» с 2019 года.",
        "Виктор Ганин — о туристическом сезоне", ["question", "answer", "question", "answer", "closing"],
        "Ганин", None, id="no lead, interviewee from the title, single-paragraph answers then closing"),
    pytest.param(
        "Ирина Котова: Андрей, почему вы ушли из сборной?\n"
        "Андрей Лисин: Я хотел больше времени проводить с семьёй.\n"
        "Ирина Котова: Вернётесь?\n"
        "Андрей Лисин: Пока не думаю об этом.",
        None, ["question", "answer", "question", "answer"], "Лисин", None,
        id="full-name speaker labels; the first speaker asks"),
    pytest.param(
        "Фонд «Чистый берег» за год убрал мусор с сорока километров побережья. Об этом мы побеседовали с Анной "
        "Беловой, директором и основателем фонда, живущей в Приморске.\n\n"
        "— Анна, с чего всё началось?\n\n"
        "— С одной субботней уборки пляжа, на которую пришли двенадцать человек.\n\n"
        "— Кто вам помогает?\n\n"
        "— Волонтёры и несколько местных компаний.",
        None, ["lead", "question", "answer", "question", "answer"], "Белов",
        "директор и основатель фонда, живущая в Приморске", id="description put in the nominative"),
    pytest.param(
        "Экономист Лев Гордеев, автор книги о малом бизнесе, ответил на вопросы нашего издания.\n\n"
        "Почему малый бизнес закрывается чаще, чем год назад?\n\n"
        "Главная причина — кредиты. Ставки выросли вдвое, и многим предпринимателям нечем платить.\n\n"
        "Помогают ли льготные программы?\n\n"
        "Помогают, но до них трудно добраться.\n\n"
        "Это можно исправить, если банки будут объяснять требования заранее.\n\n"
        "Что вы посоветуете тем, кто только открывает дело?\n\n"
        "Не брать кредит в первый год.\n\n"
        "Книга Льва Гордеева выйдет в издательстве «Северный свет» в декабре.",
        None, ["lead", "question", "answer", "question", "answer", "question", "answer", "closing"], "Гордеев",
        "автор книги о малом бизнесе",
        id="unmarked questions (bold lost); a paragraph naming the interviewee is closing"),
    pytest.param(
        "Цены на бензин выросли за месяц на 4%.\n\n"
        "Почему это происходит?\n\n"
        "Нефтяные компании ссылаются на ремонт заводов.\n\n"
        "Надолго ли?\n\n"
        "Ремонт закончится в октябре.\n\n"
        "Что делать водителям?\n\n"
        "Заправляться на крупных сетях, где цены растут медленнее.",
        None, [], None, None, id="rhetorical questions without an announced interview are an article"),
    pytest.param(
        "Министр транспорта Олег Дымов объявил о запуске новой линии метро.\n\n"
        "— Мы откроем восемь станций к 2027 году, — заявил Дымов журналистам.\n\n"
        "— Это самый большой проект за двадцать лет, — добавил он.\n\n"
        "Строительство обойдётся в 90 млрд рублей.",
        None, [], None, None, id="article with dashed quotations is not an interview"),
    pytest.param(
        "Почему дорожает хлеб? Эксперты называют три причины.\n\n"
        "Первая — рост цен на зерно. Вторая — подорожание энергии.\n\n"
        "Что будет дальше? По прогнозу аналитиков, цены вырастут ещё на 5%.",
        None, [], None, None, id="article with questions is not an interview"),
]


@pytest.mark.parametrize("text, title, roles, surname, description", CASES)
def test_interview_cases(analyzer, text, title, roles, surname, description):
    doc = analyzer(text, title=title)
    assert doc.kind == ("interview" if roles else "article")
    assert [t.role for t in doc.turns] == roles
    if not roles:
        assert doc.interviewees == []
    if surname is None:
        return
    assert doc.interviewees, "no interviewee found"
    person = doc.entity(doc.interviewees[0].entity)
    assert surname.lower() in person.name.lower()
    if description:
        assert description in (doc.interviewees[0].description or "")
    assert all(t.speaker == person.id for t in doc.turns if t.role == "answer")
    assert all(t.speaker is None for t in doc.turns if t.role in ("lead", "closing"))


def test_turns_cover_paragraphs_in_order(analyzer):
    text = CASES[0].values[0]
    doc = analyzer(text)
    assert [doc.text[t.start:t.end][:1] for t in doc.turns[1:-1]] == ["—"] * 4
    assert doc.text[doc.turns[-1].start:].startswith("Напомним")
    ends = [t.end for t in doc.turns]
    assert ends == sorted(ends) and all(a.end < b.start for a, b in zip(doc.turns, doc.turns[1:]))


def test_interviewer_named_by_credit_speaks_the_questions(analyzer):
    doc = analyzer(CASES[3].values[0])
    asker = {t.speaker for t in doc.turns if t.role == "question"}
    assert len(asker) == 1 and "кравец" in doc.entity(asker.pop()).name.lower()


def test_labels_become_speakers(analyzer):
    doc = analyzer(next(c for c in CASES if c.id.startswith("full-name")).values[0])
    speakers = {t.role: doc.entity(t.speaker).name.lower() for t in doc.turns if t.speaker}
    assert "котова" in speakers["question"] and "лисин" in speakers["answer"]


@pytest.mark.parametrize("line, marker", [
    ("— Как дела?", "dash"), ("– Как дела?", "dash"), ("- Как дела?", "dash"),
    ("Вопрос: Как дела?", "qa"), ("Ответ: Хорошо.", "qa"), ("А.П.: Хорошо.", "label"),
    ("Корр.: Как дела?", "label"), ("Иван Петров: Хорошо.", "label"), ("«Вестник»: Как дела?", "label"),
    ("— Хорошо, — ответил он.", ""), ("Президент четко обозначил: мы готовы.", ""),
    ("Обычный абзац статьи.", ""),
])
def test_paragraph_markers(line, marker):
    assert split_paragraphs(line)[0].marker == marker


def test_structure_without_models():
    text = "Вопрос: Раз?\nОтвет: Да.\nВопрос: Два?\nОтвет: Нет."
    assert [t.role for t in detect_structure(text).turns] == ["question", "answer"] * 2


# --- seeds: values read off the texts by a person ---------------------------------------------------------

def paragraphs_of(doc, turn):
    return [p for p in doc.text[turn.start:turn.end].split("\n") if p.strip()]


def test_seed_call_structure(seed_call):
    doc = seed_call
    assert doc.kind == "interview"
    roles = [t.role for t in doc.turns]
    assert roles == ["lead"] + ["question", "answer"] * 6
    lead = doc.turns[0]
    assert len(paragraphs_of(doc, lead)) == 3 and lead.start == 0
    # Five of the six answers run over two paragraphs without a dash; the last one too, so no closing.
    answers = [t for t in doc.turns if t.role == "answer"]
    assert [len(paragraphs_of(doc, t)) for t in answers] == [2, 2, 2, 2, 2, 2]
    assert answers[-1].end == len(doc.text) and doc.text.endswith("глобальной неопределенности.")


def test_seed_call_interviewee(seed_call):
    doc = seed_call
    assert len(doc.interviewees) == 1
    lee = doc.entity(doc.interviewees[0].entity)
    assert lee.name.lower().split()[-1] == "ли" and "найджел" in lee.name.lower()
    # Written "экспертом …, базирующимся в Вашингтоне"; the head words are put in the nominative, the rest
    # (including "над вооружениями", governed by a preposition) stays as written.
    assert doc.interviewees[0].description == ("эксперт по геополитическим процессам в Евразии и вопросам "
                                               "контроля над вооружениями, базирующийся в Вашингтоне")
    assert all(t.speaker == lee.id for t in doc.turns if t.role == "answer")


def test_seed_c5_structure(seed_c5):
    doc = seed_c5
    assert doc.kind == "interview"
    assert [t.role for t in doc.turns] == ["lead"] + ["question", "answer"] * 7 + ["closing"]
    assert len(paragraphs_of(doc, doc.turns[0])) == 2
    closing = doc.turns[-1]
    assert len(paragraphs_of(doc, closing)) == 2
    assert doc.text[closing.start:].startswith("Визит американской делегации")
    assert "Фото" not in doc.text[closing.start:]


def test_seed_c5_interviewee(seed_c5):
    doc = seed_c5
    assert len(doc.interviewees) == 1
    person = doc.entity(doc.interviewees[0].entity)
    assert "курамаев" in person.name.lower()
    assert doc.interviewees[0].description == "дипломат и эксперт по международным отношениям из Кыргызстана"
    assert all(t.speaker == person.id for t in doc.turns if t.role == "answer")
    assert all(t.speaker is None for t in doc.turns if t.role != "answer")


def test_extra_dashed_paragraph_inside_an_answer_does_not_flip_later_turns():
    text = ("Мы поговорили с фермером Иваном Петровым.\n"
            "— Как прошёл год?\n"
            "— Трудно. Мы потеряли двух партнёров.\n"
            "— Один из них сказал мне тогда: держись.\n"
            "И я держался, хотя было непросто.\n"
            "— Что изменилось весной?\n"
            "— Пришли новые заказы.\n"
            "— Каким будет следующий год?\n"
            "— Лучше этого.")
    turns = detect_structure(text).turns
    assert [t.role for t in turns] == ["lead"] + ["question", "answer"] * 3
    assert text[turns[2].start:turns[2].end].endswith("хотя было непросто.")


def test_requests_without_question_marks_still_alternate():
    text = ("— Расскажите о себе.\n— Я инженер.\n— Над чем вы работаете?\n— Над мостом.\n"
            "— Опишите его.\n— Он вантовый.\n— Когда его откроют?\n— Весной.")
    assert [t.role for t in detect_structure(text).turns] == ["question", "answer"] * 4


def test_title_can_announce_an_interview_with_unmarked_questions():
    text = ("Засуха изменила планы фермеров.\nПочему урожай упал?\nНе было дождей.\n"
            "Что будет с ценами?\nОни вырастут.\nКак помочь хозяйствам?\nДать кредиты.")
    assert detect_structure(text).kind == "article"
    roles = [t.role for t in detect_structure(text, "Интервью с агрономом: чем грозит засуха").turns]
    assert roles == ["lead"] + ["question", "answer"] * 3


def test_round_table_has_an_interviewee_per_label(analyzer):
    doc = analyzer("О будущем города мы побеседовали с экономистом Иваном Петровым и социологом Анной Сидоровой.\n"
                   "Корр.: Город растёт или стареет?\nИ.П.: Растёт, но медленно.\n"
                   "А.С.: И стареет тоже: молодёжь уезжает.\nКорр.: Что с этим делать?\n"
                   "И.П.: Строить жильё.\nА.С.: Открывать университеты.")
    people = {doc.entity(i.entity).name.split()[-1]: i.description for i in doc.interviewees}
    assert people == {"Петров": "экономист", "Сидорова": "социолог"}
    speakers = [doc.entity(t.speaker).name.split()[-1] for t in doc.turns if t.role == "answer"]
    assert speakers == ["Петров", "Сидорова", "Петров", "Сидорова"]
