"""Canonical names for knowledge-base entities: one key per real-world thing across documents.

Pure functions only, so the store, the ingest loop and the Spark job canonicalise the same way.
A key is ``TYPE:name`` where ``name`` is the folded, lower-cased, Cyrillic form of the entity's
normal form ("PER:касым жомарт токаев").  Aliases are the other strings that point to the same key:
inflected mention texts, Latin transliterations and, for people, the surname alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Kazakh (and a few Uzbek/Tajik/Kyrgyz) Cyrillic letters folded to the Russian letter a Russian outlet
# would print: "Тоқаев" -> "Токаев", "Әлихан" -> "Алихан".  ё -> е because Russian print omits the dots.
_FOLD = str.maketrans({
    "қ": "к", "Қ": "К", "ә": "а", "Ә": "А", "ғ": "г", "Ғ": "Г", "ү": "у", "Ү": "У", "ұ": "у", "Ұ": "У",
    "ө": "о", "Ө": "О", "һ": "х", "Һ": "Х", "і": "и", "І": "И", "ң": "н", "Ң": "Н", "ё": "е", "Ё": "Е",
    "ҳ": "х", "Ҳ": "Х", "ӯ": "у", "Ӯ": "У", "ӣ": "и", "Ӣ": "И", "ҷ": "ч", "Ҷ": "Ч", "ў": "у", "Ў": "У",
})
_NOT_NAME = re.compile(r"[^\w]+")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@dataclass(slots=True)
class Alias:
    """A normalised string that names a knowledge-base entity, and where it came from."""
    text: str
    kind: str  # name | mention | latin | surname


def fold_letters(text: str) -> str:
    """Fold Central Asian Cyrillic letters and ё to the plain Russian alphabet."""
    return text.translate(_FOLD)


def normalize_name(name: str) -> str:
    """Lower-case, letter-folded, punctuation-free form used for keys and alias lookups."""
    text = fold_letters(name).lower().replace("«", " ").replace("»", " ")
    return " ".join(_NOT_NAME.sub(" ", text).split())


def to_cyrillic(name: str) -> str:
    """A Latin-script name ("Tokayev") in Russian Cyrillic ("токаев"); other text unchanged."""
    if _LATIN.search(name) and not _CYRILLIC.search(name):
        import cyrtranslit

        return cyrtranslit.to_cyrillic(name.lower(), "ru")
    return name


def to_latin(name: str) -> str:
    """A Cyrillic name in Latin script (cyrtranslit's Russian table), for matching English-language text."""
    import cyrtranslit

    # cyrtranslit writes ы as "y'" and ь as "'"; names in English-language news drop the apostrophes.
    return normalize_name(cyrtranslit.to_latin(fold_letters(name).lower(), "ru").replace("'", ""))


def entity_key(type_: str, name: str) -> str:
    """The knowledge-base key for an entity of ``type_`` whose normal form is ``name``."""
    return f"{type_}:{normalize_name(to_cyrillic(name))}"


def entity_aliases(type_: str, name: str, mention_texts: list[str]) -> list[Alias]:
    """Every normalised string that should resolve to this entity, deduplicated, name first."""
    found: dict[str, Alias] = {}

    def add(text: str, kind: str) -> None:
        text = normalize_name(to_cyrillic(text)) if kind != "latin" else text
        if text and text not in found:
            found[text] = Alias(text, kind)

    add(name, "name")
    for mention in mention_texts:
        add(mention, "mention")
    latin = to_latin(name)
    if latin and latin not in found:
        found[latin] = Alias(latin, "latin")
    words = normalize_name(name).split()
    if type_ == "PER" and len(words) > 1:
        add(words[-1], "surname")
    return list(found.values())


def resolve_key(type_: str, name: str, mention_texts: list[str], lookup) -> str:
    """The key of the existing entity this one names, else its own new key.

    ``lookup(type_, alias_text)`` returns ``[(key, kind), ...]`` from the alias table.  A name or
    mention alias must point to exactly one entity; a lone surname matches a person's surname alias
    only when no other person shares it, so two Ивановs are never merged by accident.
    """
    own = entity_key(type_, name)
    candidates = [normalize_name(to_cyrillic(name))] + [normalize_name(to_cyrillic(m)) for m in mention_texts]
    for text in dict.fromkeys(candidates):
        keys = {key for key, kind in lookup(type_, text) if kind != "surname"}
        if own in keys:
            return own
        if len(keys) == 1:
            return keys.pop()
    words = candidates[0].split()
    if type_ == "PER" and len(words) == 1:
        keys = {key for key, kind in lookup(type_, words[0]) if kind == "surname"}
        if len(keys) == 1:
            return keys.pop()
    return own
