"""Gazetteers and lexicons shipped in ``sarap/data``: places, international and government bodies, titles.

Loaded once per process by ``load_gazetteer()``; lookups are plain dict reads keyed by ``fold_key``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

# Latin letters that look like Cyrillic ones: "C5+1" is typed with either С, so keys fold both to Cyrillic.
_HOMOGLYPHS = str.maketrans("aceopxykmthbACEOPXYKMTHB", "асеорхукмтнвАСЕОРХУКМТНВ")
_SPACE = re.compile(r"\s+")
# Longest gazetteer entry in tokens ("Организация Договора о коллективной безопасности" is 5; "C5+1" is 3).
MAX_TOKENS = 7


@lru_cache(maxsize=50_000)  # called for most tokens (surnames, title and place lookups), on repeated words
def fold_key(text: str) -> str:
    """The lookup key of a name or a span of text: lower case, ё -> е, homoglyphs folded, spaces collapsed."""
    key = _SPACE.sub(" ", text.strip()).lower().replace("ё", "е")
    return key.translate(_HOMOGLYPHS)


@dataclass(slots=True)
class Place:
    """One gazetteer entry: a place (LOC) or a body (ORG), under its canonical Russian name."""
    name: str
    type: str  # LOC | ORG
    subtype: str | None  # LOC: country | city | region


@dataclass(slots=True)
class Title:
    lemma: str
    group: str  # head_of_state | official | military | profession
    same_as: str | None = None  # the long form a short form stands for


@dataclass(slots=True)
class Gazetteer:
    entries: dict[str, Place] = field(default_factory=dict)  # fold_key(form) -> entry
    titles: dict[str, Title] = field(default_factory=dict)  # lemma -> title
    place_types: dict[str, str] = field(default_factory=dict)  # fold_key(form) -> subtype, from NEREL train
    bodies: frozenset[str] = frozenset()  # lemmas of nouns that name a body before a place ("правительство")
    lone_bodies: frozenset[str] = frozenset()  # of those, the ones that name a state body alone ("полиция")
    place_adjectives: dict[str, str] = field(default_factory=dict)  # "японский" -> "Япония"
    adjective_places: dict[str, Place] = field(default_factory=dict)  # "японский" -> Place("Япония") and more

    def lookup(self, text: str) -> Place | None:
        return self.entries.get(fold_key(text))

    def title(self, lemma: str) -> Title | None:
        return self.titles.get(lemma.lower().replace("ё", "е"))

    def place_type(self, text: str) -> str | None:
        return self.place_types.get(fold_key(text))

    def adjective_place(self, lemma: str) -> Place | None:
        """The place an adjective is made from ("российский" -> Россия), from both adjective lists."""
        return self.adjective_places.get(lemma.lower().replace("ё", "е"))

    def is_head_of_state(self, lemma: str) -> bool:
        found = self.title(lemma)
        return found is not None and found.group == "head_of_state"


def read_rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a data file, without comments and blank lines."""
    text = resources.files("sarap.data").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def parse_titles(rows: list[list[str]]) -> dict[str, Title]:
    titles = {}
    for row in rows:
        lemma = row[0].strip().replace("ё", "е")
        titles[lemma] = Title(lemma, row[1].strip(), row[2].strip() if len(row) > 2 and row[2].strip() else None)
    return titles


def parse_entries(rows: list[list[str]]) -> dict[str, Place]:
    """Rows of gazetteer.tsv (form, type, subtype, canonical name); the first row for a form wins."""
    entries: dict[str, Place] = {}
    for form, type_, subtype, name in rows:
        entries.setdefault(fold_key(form), Place(name, type_, subtype or None))
    return entries


def parse_adjectives(hand: dict[str, str], learned: list[list[str]], entries: dict[str, Place]) -> dict[str, Place]:
    """Adjective lemma -> place: the hand list (its places are gazetteer names) over the ones learned from NEREL
    train (adjectives.tsv: lemma, subtype, place, count)."""
    places = {lemma: Place(name, "LOC", subtype) for lemma, subtype, name, *_ in learned}
    for lemma, name in hand.items():
        known = entries.get(fold_key(name))
        places[lemma] = Place(name, "LOC", known.subtype if known else "country")
    return places


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer (built by scripts/build_gazetteer.py) and titles lexicon, read once."""
    entries = parse_entries(read_rows("gazetteer.tsv"))
    hand_adjectives = {r[0]: r[1] for r in read_rows("place_adjectives.tsv")}
    return Gazetteer(entries=entries, titles=parse_titles(read_rows("titles.tsv")),
                     place_types={fold_key(r[0]): r[1] for r in read_rows("place_types.tsv")},
                     bodies=frozenset(r[0].strip() for r in read_rows("bodies.tsv")),
                     lone_bodies=frozenset(r[0].strip() for r in read_rows("bodies.tsv")
                                           if len(r) > 1 and r[1].strip() == "alone"),
                     place_adjectives=hand_adjectives,
                     adjective_places=parse_adjectives(hand_adjectives, read_rows("adjectives.tsv"), entries))


@lru_cache(maxsize=200_000)
def parse_word(word: str) -> tuple:
    """pymorphy3's parses of a word, cached: news repeats its words, and parsing is most of the cost."""
    return tuple(load_morph().parse(word))


@lru_cache(maxsize=1)
def load_morph():
    """pymorphy3's analyser, shared by the NER repair and roles stages (about 0.25 s to load)."""
    import pymorphy3
    return pymorphy3.MorphAnalyzer()
