"""Entity resolution inside one document: NER spans -> entities with mentions and a canonical name."""
from __future__ import annotations

from .model import Document, Entity, Mention, NerSpan


def resolve_entities(doc: Document) -> Document:
    """Group spans that name the same thing: same normal form, or a person's surname/first name alone."""
    entities: list[Entity] = []
    by_key: dict[tuple[str, str], Entity] = {}
    for span in sorted(doc.ner_spans, key=lambda s: -len(s.normal.split())):
        ent = by_key.get((span.type, span.normal.lower())) or _match_person_part(span, entities)
        if ent is None:
            ent = Entity(id="", type=span.type, name=span.normal)
            entities.append(ent)
            by_key[(span.type, span.normal.lower())] = ent
        ent.mentions.append(Mention(span.start, span.end, span.text))
    for ent in entities:
        ent.mentions.sort(key=lambda m: m.start)
    entities.sort(key=lambda e: e.mentions[0].start)
    for number, ent in enumerate(entities, 1):
        ent.id = f"e{number}"
    doc.entities = entities
    return doc


def _match_person_part(span: NerSpan, entities: list[Entity]) -> Entity | None:
    if span.type != "PER" or len(span.normal.split()) != 1:
        return None
    word = span.normal.lower()
    found = [e for e in entities if e.type == "PER" and word in e.name.lower().split()]
    return found[0] if len(found) == 1 else None


def make_resolve_stage():
    from .pipeline import Stage
    return Stage("resolve_entities", resolve_entities, requires=("ner_spans",), assigns=("entities",))
