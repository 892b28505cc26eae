"""Russian full-text search: lemma indexing, the query language, and snippets.

Documents are indexed as two strings: one primary lemma per word (so phrases keep word order) and
the word's other lemmas and its surface form (so "Токаев", which pymorphy3 mis-lemmatises, still
meets "Токаева").  A query word matches any of its own lemmas in either string.

Query language: words (any inflection), "exact phrases", AND (also implied by a space), OR, NOT,
and parentheses.  ``parse_query`` returns a small tree that each backend compiles: ``to_fts5`` for
SQLite FTS5, ``to_tsquery`` for PostgreSQL (``simple`` configuration over the same lemma strings).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .canonical import fold_letters

_WORD = re.compile(r"[^\W_]+")
_QUERY_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')


@dataclass(slots=True)
class Term:
    lemmas: tuple[str, ...]        # primary lemma first


@dataclass(slots=True)
class Phrase:
    lemmas: tuple[str, ...]        # one primary lemma per word, in order


@dataclass(slots=True)
class Not:
    node: "Node"


@dataclass(slots=True)
class And:
    nodes: list["Node"] = field(default_factory=list)


@dataclass(slots=True)
class Or:
    nodes: list["Node"] = field(default_factory=list)


Node = Term | Phrase | Not | And | Or


class QueryError(ValueError):
    """A query that cannot be searched for, with a message for the user."""


@dataclass(slots=True)
class IndexedText:
    lemmas: str
    forms: str


@dataclass(slots=True)
class Snippet:
    text: str                      # the passage with hits marked **like this**
    hits: list[tuple[int, int]]    # offsets into the document text of the hits inside the passage


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def word_lemmas(word: str) -> tuple[str, ...]:
    """The lemmas a word may have, the most probable first, then its folded lower-case form."""
    folded = fold_letters(word).lower()
    if not folded.isalpha():
        return (folded,)
    lemmas = [fold_letters(p.normal_form) for p in _morph().parse(folded)]
    return tuple(dict.fromkeys(lemmas + [folded]))


def index_text(text: str) -> IndexedText:
    """The two search strings for a document text."""
    primary, other = [], []
    for match in _WORD.finditer(text):
        lemmas = word_lemmas(match.group())
        primary.append(lemmas[0])
        other.extend(lemmas[1:])
    return IndexedText(" ".join(primary), " ".join(other))


def parse_query(query: str) -> Node:
    """Parse the query language into a tree; raises QueryError on an empty or unbalanced query."""
    tokens = _QUERY_TOKEN.findall(query)
    node, rest = _parse_or(tokens)
    if rest:
        raise QueryError(f"unexpected {rest[0]!r} in the query")
    if node is None:
        raise QueryError("the query has no words")
    _check_positive(node)
    return node


def _parse_or(tokens: list[str]) -> tuple[Node | None, list[str]]:
    nodes = []
    node, tokens = _parse_and(tokens)
    nodes.append(node)
    while tokens and tokens[0] == "OR":
        node, tokens = _parse_and(tokens[1:])
        nodes.append(node)
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None, tokens
    return (nodes[0] if len(nodes) == 1 else Or(nodes)), tokens


def _parse_and(tokens: list[str]) -> tuple[Node | None, list[str]]:
    nodes = []
    while tokens and tokens[0] not in ("OR", ")"):
        if tokens[0] == "AND":
            tokens = tokens[1:]
            continue
        node, tokens = _parse_unary(tokens)
        if node is not None:
            nodes.append(node)
    if not nodes:
        return None, tokens
    return (nodes[0] if len(nodes) == 1 else And(nodes)), tokens


def _parse_unary(tokens: list[str]) -> tuple[Node | None, list[str]]:
    head, rest = tokens[0], tokens[1:]
    if head == "NOT":
        if not rest:
            raise QueryError("NOT needs a word after it")
        node, rest = _parse_unary(rest)
        return (Not(node) if node is not None else None), rest
    if head == "(":
        node, rest = _parse_or(rest)
        if not rest or rest[0] != ")":
            raise QueryError("a '(' is never closed")
        return node, rest[1:]
    words = _WORD.findall(head)
    if head.startswith('"'):
        return (Phrase(tuple(word_lemmas(w)[0] for w in words)) if words else None), rest
    nodes: list[Node] = [Term(word_lemmas(w)) for w in words]  # "Касым-Жомарт" is two words
    if not nodes:
        return None, rest
    return (nodes[0] if len(nodes) == 1 else Phrase(tuple(t.lemmas[0] for t in nodes))), rest


def _check_positive(node: Node) -> None:
    if isinstance(node, Not):
        raise QueryError("a query needs at least one word that is not negated")
    if isinstance(node, And) and all(isinstance(n, Not) for n in node.nodes):
        raise QueryError("a query needs at least one word that is not negated")
    if isinstance(node, Or):
        for n in node.nodes:
            _check_positive(n)


def to_fts5(node: Node) -> str:
    """The SQLite FTS5 MATCH expression for a query tree (columns ``lemmas`` and ``forms``)."""
    if isinstance(node, Term):
        return "{lemmas forms} : (" + " OR ".join(f'"{lemma}"' for lemma in node.lemmas) + ")"
    if isinstance(node, Phrase):
        return 'lemmas : "' + " ".join(node.lemmas) + '"'
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(n) for n in node.nodes) + ")"
    if isinstance(node, And):
        positive = [to_fts5(n) for n in node.nodes if not isinstance(n, Not)]
        negative = [to_fts5(n.node) for n in node.nodes if isinstance(n, Not)]
        return "(" + " AND ".join(positive) + "".join(f" NOT {n}" for n in negative) + ")"
    raise QueryError("NOT must follow another word")


def to_tsquery(node: Node) -> str:
    """The PostgreSQL tsquery text (for ``to_tsquery('simple', ...)``) for a query tree."""
    if isinstance(node, Term):
        return "(" + " | ".join(f"'{lemma}'" for lemma in node.lemmas) + ")"
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(f"'{lemma}'" for lemma in node.lemmas) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(to_tsquery(n) for n in node.nodes) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(to_tsquery(n) for n in node.nodes) + ")"
    return "!" + to_tsquery(node.node)


def to_loose_tsquery(node: Node) -> str:
    """A tsquery matching a superset of ``to_tsquery(node)`` without word positions (phrases become
    AND, negated phrases are dropped), which PostgreSQL's GIN index answers without re-reading tsvectors."""
    return _loose(node) or to_tsquery(node)


def _loose(node: Node) -> str | None:
    if isinstance(node, Phrase):
        return "(" + " & ".join(f"'{lemma}'" for lemma in node.lemmas) + ")"
    if isinstance(node, Term):
        return to_tsquery(node)
    if isinstance(node, Not):
        inner = _loose(node.node)
        return None if inner is None or inner != to_tsquery(node.node) else "!" + inner
    parts = [p for p in (_loose(n) for n in node.nodes) if p is not None]
    if isinstance(node, Or) and len(parts) < len(node.nodes):
        return None
    return "(" + (" & " if isinstance(node, And) else " | ").join(parts) + ")"


def positive_lemmas(node: Node) -> set[str]:
    """Lemmas whose words should be marked in snippets (everything not under NOT)."""
    if isinstance(node, (Term, Phrase)):
        return set(node.lemmas)
    if isinstance(node, (And, Or)):
        return set().union(*(positive_lemmas(n) for n in node.nodes))
    return set()


def make_snippet(text: str, lemmas: set[str], width: int = 240) -> Snippet:
    """The passage around the first hit with its hits marked, and their offsets in the document text.

    Only the words up to the first hit and inside the passage are lemmatised: a snippet costs
    the same for a long document as for a short one."""
    first = next((m for m in _WORD.finditer(text) if not lemmas.isdisjoint(word_lemmas(m.group()))), None)
    start = max(0, first.start() - width // 3) if first else 0
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    hits = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)
            if not lemmas.isdisjoint(word_lemmas(m.group()))]
    parts, cursor = [], start
    for hit_start, hit_end in hits:
        parts += [text[cursor:hit_start], "**", text[hit_start:hit_end], "**"]
        cursor = hit_end
    parts.append(text[cursor:end])
    body = "".join(parts).replace("\n", " ")
    return Snippet(("…" if start else "") + body + ("…" if end < len(text) else ""), hits)
