"""Narratives: recurring claims across documents and sources, on texts written for the test and the seeds."""
from __future__ import annotations

import pytest

from sarap.model import Document, Entity, Mention, Quote, Span
from sarap.narratives import find_narratives, split_units, update_narratives

# Fictional outlets and people.  Expected narratives are read off the texts: A, B and D each say, in their
# own words, that Заречье is becoming the main transit hub between North and South; C says nothing of it.
TEXT_A = ("Министр транспорта Заречной республики Олег Воронцов провёл совещание в Лесногорске. "
          "Заречье должно стать главным транзитным узлом между Севером и Югом, сказал министр. "
          "На совещании обсуждали ремонт дорог и закупку автобусов для области. "
          "Фото: пресс-служба министерства. Подписывайтесь на наш канал в Telegram.")
TEXT_B = ("Эксперт Анна Белова считает, что у Заречной республики хорошие перспективы. "
          "По её словам, Заречье превращается в главный транзитный узел между Севером и Югом. "
          "Также Белова рассказала о росте цен на зерно в этом сезоне.")
TEXT_C = ("В Лесногорске открылся новый автовокзал для междугородних автобусов. "
          "Его строительство обошлось городскому бюджету в 40 миллионов рублей. "
          "Мэр Лесногорска Сергей Жуков пообещал пустить новые автобусы до конца года. "
          "Подписывайтесь на наш канал в Telegram.")
TEXT_D = ("Транзит грузов через Заречье растёт третий год подряд. "
          "Аналитики агентства уверены, что Заречная республика станет главным транзитным узлом между Севером и Югом.")


@pytest.fixture(scope="module")
def fiction(analyzer):
    return {
        "A": analyzer(TEXT_A, source="Вестник Заречья", published="2024-03-01"),
        "B": analyzer(TEXT_B, source="Северный курьер", published="2024-03-05"),
        "C": analyzer(TEXT_C, source="Южные ведомости", published="2024-03-07"),
        "D": analyzer(TEXT_D, source="Голос Приречья", published="2024-03-09"),
    }


def member_texts(narrative):
    return [m.text for m in narrative.members]


def test_finds_the_shared_claim_across_outlets(fiction):
    found = find_narratives([fiction["A"], fiction["B"], fiction["C"]])
    assert len(found) == 1
    narrative = found[0]
    assert narrative.sources == 2
    assert {m.document for m in narrative.members} == {fiction["A"].id, fiction["B"].id}
    assert all("транзит" in t for t in member_texts(narrative))
    assert (narrative.first_seen, narrative.last_seen) == ("2024-03-01", "2024-03-05")
    member = next(m for m in narrative.members if m.document == fiction["A"].id)
    assert fiction["A"].text[member.start:member.end].startswith("Заречье должно стать")


def test_unrelated_documents_share_no_narrative(fiction):
    # A and C share a town, buses and the same call to subscribe, but no claim.
    assert find_narratives([fiction["A"], fiction["C"]]) == []


def test_one_source_is_not_enough(fiction):
    same_outlet = Document.from_dict(fiction["B"].to_dict())
    same_outlet.source = fiction["A"].source
    same_outlet.sentences = fiction["B"].sentences
    assert find_narratives([fiction["A"], same_outlet]) == []
    assert len(find_narratives([fiction["A"], same_outlet], min_sources=1)) == 1


def test_since_and_entity_filters(fiction):
    docs = [fiction["A"], fiction["B"], fiction["D"]]
    assert len(find_narratives(docs)[0].members) == 3
    later = find_narratives(docs, since="2024-03-04")
    assert [m.document for m in later[0].members] == [fiction["B"].id, fiction["D"].id]
    assert find_narratives(docs, entity="Заречье")
    assert find_narratives(docs, entity="Лесногорск") == []


def test_update_adds_new_documents_to_existing_narratives(fiction):
    first = find_narratives([fiction["A"], fiction["B"]])
    updated = update_narratives(first, [fiction["C"], fiction["D"]])
    assert len(updated) == 1
    assert updated[0].sources == 3
    assert fiction["D"].id in {m.document for m in updated[0].members}
    assert update_narratives(first, [fiction["C"]])[0].sources == 2


def statement_doc(text: str, source: str) -> Document:
    """A hand-built document whose only sentence is a direct quote of one (fictional) minister."""
    start = text.index("«")
    return Document(
        text=text, source=source, sentences=[Span(0, len(text))],
        entities=[Entity("e1", "PER", "Олег Воронцов", mentions=[Mention(0, 14, "Олег Воронцов:")])],
        quotes=[Quote(speaker="e1", kind="direct", start=start, end=len(text))],
    )


def test_same_statement_quoted_verbatim_is_kept_apart():
    quote = "«Заречье построит новую железную дорогу к северной границе за три года»."
    docs = [statement_doc(f"Олег Воронцов: {quote}", "Вестник Заречья"),
            statement_doc(f"Олег Воронцов: {quote}", "Северный курьер")]
    assert find_narratives(docs) == []


def test_boilerplate_repeated_by_a_source_is_dropped():
    closing = "Редакция газеты «Лесной край» благодарит читателей за многолетнюю поддержку издания."
    docs = [Document(text=closing, source="Лесной край", sentences=[Span(0, len(closing))]),
            Document(text=closing + " ", source="Лесной край", sentences=[Span(0, len(closing))]),
            Document(text=closing + "  ", source="Озёрный вестник", sentences=[Span(0, len(closing))]),
            Document(text=closing + "   ", source="Горный голос", sentences=[Span(0, len(closing))])]
    found = find_narratives(docs)
    assert len(found) == 1
    assert {m.source for m in found[0].members} == {"Озёрный вестник", "Горный голос"}


@pytest.mark.parametrize("sentence,units", [
    ("Казна пуста.", ["Казна пуста."]),
    ("Министр сказал: дорогу построят к осени.", ["Министр сказал: дорогу построят к осени.", "Министр сказал",
                                                   "дорогу построят к осени."]),
    ("Завод закрыт, но рабочих переведут в новый цех.",
     ["Завод закрыт, но рабочих переведут в новый цех.", "Завод закрыт", "но рабочих переведут в новый цех."]),
])
def test_split_units(sentence, units):
    assert split_units(sentence) == units


def test_seed_talking_points_span_both_interviews(analyzer):
    from conftest import SEED_C5, SEED_CALL, require_shared

    call = analyzer(require_shared(SEED_CALL).read_text(encoding="utf-8"), source="outlet-1")
    c5 = analyzer(require_shared(SEED_C5).read_text(encoding="utf-8"), source="outlet-2")
    found = find_narratives([call, c5])

    def spanning_both(*words):
        for narrative in found:
            docs = {m.document for m in narrative.members if all(w in m.text for w in words)}
            if docs == {call.id, c5.id}:
                return narrative
        return None

    venue = spanning_both("площадк", "переговор")         # Astana / Kazakhstan as a venue for negotiations
    assert venue is not None
    assert spanning_both("партнер", "Центральной Азии")   # Kazakhstan, key partner of the US in Central Asia
    # Both venue sentences are the experts' answers: Kuramaev in one interview, Nigel Lee in the other.
    assert venue.speakers == 2
    assert len(found) <= 6                               # talking points, not every shared word


def store_of(tmp_path, docs) -> str:
    from sarap.dedup import text_hash
    from sarap.ingest import build_stored, link_entities
    from sarap.store import open_store

    path = str(tmp_path / "narratives.db")
    store = open_store(path)
    for doc in docs:
        store.add_document(build_stored(doc, text_hash(doc.text), link_entities(doc, store.lookup_alias),
                                        path=doc.source, ingested_at="2026-01-01"))
    store.close()
    return path


def test_narratives_command(fiction, tmp_path, capsys):
    import json

    from sarap.cli import main

    path = store_of(tmp_path, [fiction["A"], fiction["B"], fiction["C"]])
    assert main(["narratives", "--db", path, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 1 and found[0]["sources"] == 2
    assert main(["narratives", "--db", path, "--since", "2024-03-04"]) == 0
    assert capsys.readouterr().out.strip() == "no narratives"
    assert main(["narratives", "--db", path, "--min-sources", "3"]) == 0
    assert "no narratives" in capsys.readouterr().out
    assert main(["narratives", "--db", path, "--entity", "Заречье", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["narratives", "--db", path, "--entity", "Лесногорск", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["narratives", "--db", path, "--entity", "Никто Неизвестный"]) == 2
    assert main(["narratives", "--db", path, "--since", "March"]) == 2
    assert main(["narratives", "--db", path, "--min-sources", "0"]) == 2


# Precision: pairs of short claims from different fictional outlets that sound alike (same frame, same
# place, person or team, same kind of figure) but state different things; none may form a narrative.
UNRELATED_CLAIMS = [
    ("Бюджет Приозёрского района в следующем году вырастет на десять процентов.",
     "Мост через Сурму нужен Нижнереченску уже двадцать лет."),
    ("В Лесногорске возбуждено уголовное дело о краже трактора.",
     "В Заречье возбуждено уголовное дело о поджоге склада."),
    ("За сутки в Приозёрской области выявили 37 новых случаев гриппа.",
     "За сутки в Северной области выявили 120 новых случаев гриппа."),
    ("В пресс-службе мэрии Лесногорска уточнили, что ремонт школы закончат в августе.",
     "В пресс-службе полиции Заречья уточнили, что задержанный дал признательные показания."),
    ("Синоптики обещают жителям Приозёрья тёплые выходные без осадков.",
     "Фермеры Приозёрья жалуются на засуху и неурожай картофеля."),
    ("Губернатор Павел Ерёмин пообещал построить в области три новые больницы.",
     "Губернатор Павел Ерёмин отправил в отставку министра транспорта."),
    ("Цены на бензин в Заречной республике выросли на 5% за месяц.",
     "Цены на хлеб в Заречной республике выросли на 12% за год."),
    ("Стало известно, что завод «Северсталь-Заречье» сократит двести рабочих.",
     "Стало известно, что театр Лесногорска откроет новый сезон премьерой."),
    ("Министр финансов Елена Сафонова заявила, что денег на новые дороги в бюджете нет.",
     "Министр образования Игорь Лапин заявил, что учителям повысят зарплату с сентября."),
    ("Сборная Заречья по футболу проиграла в финале со счётом 0:2.",
     "Сборная Заречья по хоккею выиграла турнир в Лесногорске."),
    ("Автобусный маршрут номер 12 в Лесногорске закроют с первого июня.",
     "Трамвайный маршрут номер 3 в Нижнереченске продлят до вокзала."),
    ("Депутаты областного совета утвердили программу строительства жилья на пять лет.",
     "Депутаты городского совета отклонили проект нового парка на набережной."),
]


def one_sentence_doc(text: str, source: str) -> Document:
    return Document(text=text, source=source, sentences=[Span(0, len(text))])


@pytest.mark.parametrize("first,second", UNRELATED_CLAIMS)
def test_unrelated_short_claims_form_no_narrative(first, second):
    docs = [one_sentence_doc(first, "Вестник Заречья"), one_sentence_doc(second, "Северный курьер")]
    assert find_narratives(docs) == []


def test_same_short_claim_in_other_words_is_a_narrative():
    # The positive control for the precision cases: one claim, reworded, in two outlets.
    docs = [one_sentence_doc("Губернатор Павел Ерёмин пообещал построить в области три новые больницы.",
                             "Вестник Заречья"),
            one_sentence_doc("Павел Ерёмин обещает, что в области построят три новых больницы.", "Северный курьер")]
    assert len(find_narratives(docs)) == 1
