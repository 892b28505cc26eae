"""The Store protocol, run against SQLite and PostgreSQL by the parametrised ``store`` fixture.

Documents are built by hand (fictional people and outlets) so these tests need no NLP models.
"""
from __future__ import annotations

import pytest

from sarap.dedup import text_hash
from sarap.ingest import build_stored, link_entities
from sarap.model import DateRef, Document, Entity, Mention, Quote, Role
from sarap.store import DocumentFilter


def make_doc(text: str, *, published: str, source: str = "Вестник Степи", kind: str = "article",
             people: dict[str, list[str]] | None = None, roles: dict[str, Role] | None = None) -> Document:
    """A document whose PER entities are given as {normal name: [mention texts]}; mentions located by find."""
    doc = Document(text=text, title=text[:20], source=source, published=published, kind=kind)
    for number, (name, mentions) in enumerate((people or {}).items(), 1):
        ent = Entity(id=f"e{number}", type="PER", name=name)
        for m in mentions:
            start = text.index(m)
            ent.mentions.append(Mention(start, start + len(m), m))
        if roles and name in roles:
            ent.roles.append(roles[name])
        doc.entities.append(ent)
    return doc


def put(store, doc: Document, reprint_of: str | None = None) -> bool:
    stored = build_stored(doc, text_hash(doc.text), link_entities(doc, store.lookup_alias),
                          reprint_of=reprint_of, path="test", ingested_at="2026-01-01T00:00:00+00:00")
    return store.add_document(stored)


TEXT_A = "Министр финансов Айдар Жақыпов заявил, что бюджет будет исполнен. Жақыпов добавил: «Рисков нет»."
TEXT_B = "Вчера Айдара Жакыпова спросили о налогах. Жакыпов ответил коротко."
TEXT_C = "Погода в Приозёрске испортилась к выходным."


def test_migrations_are_numbered_and_applied_once(store):
    from sarap.store.sql import MIGRATIONS

    numbers = sorted(int(p.name[:4]) for p in (MIGRATIONS / store.dialect).glob("[0-9][0-9][0-9][0-9]_*.sql"))
    latest = numbers[-1]
    assert numbers == list(range(1, latest + 1))   # no gaps, no two with one number
    assert latest >= {"sqlite": 2, "postgres": 4}[store.dialect]
    assert store.schema_version() == latest
    assert store.migrate() == latest


def test_document_round_trips_with_its_json(store):
    doc = make_doc(TEXT_A, published="2025-03-01", people={"Айдар Жақыпов": ["Айдар Жақыпов", "Жақыпов"]})
    doc.quotes.append(Quote(speaker="e1", kind="direct", start=TEXT_A.index("Рисков"), end=TEXT_A.index("»"),
                            about=[]))
    doc.dates.append(DateRef(0, 5, "2025-03-01"))
    assert put(store, doc)
    assert store.get_document(doc.id).to_dict() == doc.to_dict()
    assert store.get_row(doc.id).published == "2025-03-01"
    quotes = list(store.iter_rows("quotes"))
    assert [q["text"] for q in quotes] == ["Рисков нет"]
    assert len(list(store.iter_rows("mentions"))) == 2
    assert len(list(store.iter_rows("dates"))) == 1


def test_same_document_twice_is_stored_once(store):
    doc = make_doc(TEXT_C, published="2025-03-02")
    assert put(store, doc)
    assert not put(store, doc)
    assert store.counts().documents == 1
    assert store.has_hash(text_hash(TEXT_C))
    assert not store.has_hash(text_hash(TEXT_A))


def test_rejected_inputs_are_recorded_once(store):
    assert store.add_rejected("a.json:3", "invalid JSON")
    assert not store.add_rejected("a.json:3", "invalid JSON")
    assert store.add_rejected("b.html", "HTML has no extractable article text")
    assert [(r.path, r.reason) for r in store.list_rejected()] == [
        ("a.json:3", "invalid JSON"), ("b.html", "HTML has no extractable article text")]


def test_one_person_across_documents_inflections_and_kazakh_letters(store):
    put(store, make_doc(TEXT_A, published="2025-03-01", people={"Айдар Жақыпов": ["Айдар Жақыпов", "Жақыпов"]}))
    # The second outlet spells the name with Russian letters and mentions only the surname later.
    put(store, make_doc(TEXT_B, published="2025-03-05", people={"Айдар Жакыпов": ["Айдара Жакыпова", "Жакыпов"]}))
    put(store, make_doc("Жакыпов не пришёл на заседание.", published="2025-03-06", people={"Жакыпов": ["Жакыпов"]}))
    found = store.find_entities("Айдара Жакыпова")
    assert [e.key for e in found] == ["PER:айдар жакыпов"]
    person = found[0]
    assert (person.documents, person.mentions) == (3, 5)
    assert store.find_entities("Жақыпов")[0].key == person.key
    assert store.find_entities("Жакыпов", type_="PER")[0].key == person.key
    assert len(store.entity_documents(person.key)) == 3


def test_roles_over_time(store):
    texts = [("2025-03-01", TEXT_A), ("2025-06-20", "Министр финансов Озёрии Айдар Жакыпов ушёл в отставку."),
             ("2025-07-01", "Бывший министр Айдар Жакыпов возглавил банк.")]
    roles = [Role("министр финансов", "e2", 0, 16), Role("министр финансов", "e2", 0, 16),
             Role("председатель правления", None, 20, 30)]
    for (published, text), role in zip(texts, roles):
        name = "Айдар Жақыпов" if "Жақыпов" in text else "Айдар Жакыпов"
        doc = make_doc(text, published=published, people={name: [name]}, roles={name: role})
        doc.entities.append(Entity(id="e2", type="LOC", name="Озёрия"))
        put(store, doc)
    minister, chairman = store.entity_roles("PER:айдар жакыпов")
    assert (minister.title, minister.of, minister.first_seen, minister.last_seen, minister.documents) == (
        "министр финансов", "Озёрия", "2025-03-01", "2025-06-20", 2)
    assert (chairman.title, chairman.of, chairman.first_seen, chairman.documents) == (
        "председатель правления", None, "2025-07-01", 1)


def test_list_documents_filters(store):
    put(store, make_doc(TEXT_A, published="2025-03-01", people={"Айдар Жақыпов": ["Айдар Жақыпов"]}))
    put(store, make_doc(TEXT_B, published="2025-03-05T09:30:00", source="Озёрная правда", kind="interview"))
    put(store, make_doc(TEXT_C, published="2025-04-01"))
    ids = lambda f: {r.title for r in store.list_documents(f)}  # noqa: E731
    assert [r.published[:10] for r in store.list_documents()] == ["2025-04-01", "2025-03-05", "2025-03-01"]
    assert ids(DocumentFilter(source="Озёрная правда")) == {TEXT_B[:20]}
    assert ids(DocumentFilter(kind="interview")) == {TEXT_B[:20]}
    assert ids(DocumentFilter(since="2025-03-02", until="2025-03-05")) == {TEXT_B[:20]}
    assert ids(DocumentFilter(entity_keys=["PER:айдар жакыпов"])) == {TEXT_A[:20]}
    assert store.count_documents(DocumentFilter(since="2025-03-02")) == 2


def test_reprints_are_counted_both_ways(store):
    original = make_doc(TEXT_A, published="2025-03-01")
    put(store, original)
    put(store, make_doc(TEXT_A + " Подробности позже.", published="2025-03-02"), reprint_of=original.id)
    counts = store.counts()
    assert (counts.documents, counts.originals, counts.reprints) == (2, 1, 1)
    assert store.count_documents(DocumentFilter(originals_only=True)) == 1


def test_unknown_table_is_refused(store):
    with pytest.raises(ValueError):
        list(store.iter_rows("sqlite_master"))


def test_bulk_write_in_one_transaction(store):
    docs = [make_doc(TEXT_A, published="2025-03-01"), make_doc(TEXT_B, published="2025-03-02"),
            make_doc(TEXT_A, published="2025-03-01")]
    batch = [build_stored(d, text_hash(d.text), [], path="bulk", ingested_at="2026-01-01") for d in docs]
    assert store.add_documents(batch) == 2
    assert store.counts().documents == 2
