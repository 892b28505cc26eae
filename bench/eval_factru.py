"""Score sarap (or natasha alone) on a factRuEval-2016 split: track 1 (NER) and Occupation facts.

    .venv/bin/python bench/eval_factru.py [DIR] [--baseline natasha | --score RESPONSES | --compare] [--json PATH]
                                          [--responses DIR] [--step N] [--limit N]

Track 1 is a reimplementation of the official scorer (dialogue-evaluation/factRuEval-2016,
scripts/dialent/task1/eval.py with common/evalmatrix.py, written for this project from reading it):
gold mentions and response intervals become sets of corpus tokens; a pair's quality is the weighted
token overlap (only name spans weigh, descriptors like "мэрии" or "президент" weigh 0); the matching
that maximises the document's overall F1 is searched the same way; embedded and unnamed gold mentions
are not counted.  Response files in the official format (``tag start length`` per line) are written
to ``--responses`` so the official ``t1_eval.py`` can check them too.

Occupation facts are scored as track 3 (scripts/dialent/task3/eval.py): the comment above
``score_occupation`` says what is reproduced and what is not.  ``occupation`` is the easy mode of the 2016
table, ``occupation_hard`` the ``-m`` mode; ``book_N.task3`` response files go to ``--responses`` as well,
and ``--score`` reads them back.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (RESULTS, SHARED, Score, analyze_texts, comparison_table, format_table, natasha_spans,
                          require_dir, sarap_spans, write_json)

DEFAULT_DIR = SHARED / "data" / "factru" / "devset"
TAGS = ("per", "loc", "org", "locorg")
SARAP_TO_FACTRU = {"PER": "per", "LOC": "loc", "ORG": "org"}
GOLD_TAGS = {"Person": "per", "Org": "org", "Organization": "org", "LocOrg": "locorg", "Location": "loc"}

# Which gold span types carry weight inside a mention of each tag (official config.py, Tables.QUALITY):
# descriptors (org_descr, loc_descr, job, geo_adj) weigh 0, so "мэрии Москвы" is matched on "Москвы".
SPAN_WEIGHTS = {
    "per": {"none", "name", "patronymic", "nickname", "surname"},
    "loc": {"none", "org_name", "loc_name"},
    "org": {"none", "loc_name", "org_name"},
    "locorg": {"none", "org_name", "loc_name"},
}
# A mention of tag KEY nested in one of tag VALUE is "embedded" and not counted (official PARENT_TAGS).
PARENT_TAGS = {"per": ("loc", "org", "locorg"), "loc": ("loc", "org", "locorg"),
               "org": ("org", "locorg"), "locorg": ("org", "locorg")}


# ---------------------------------------------------------------------------------------------------
# Gold standard


@dataclass(slots=True)
class CorpusToken:
    index: int
    start: int
    end: int          # exclusive
    text: str
    punctuation: bool = False  # one non-letter character (digits included, as upstream)
    ignored: bool = False      # punctuation glued to a neighbour: left out of response token sets


@dataclass(eq=False)
class TokenSet:
    """A gold mention or a response interval, as the corpus tokens it covers."""
    tag: str
    tokens: frozenset[int]
    marks: dict[int, int] = field(default_factory=dict)  # gold only: token -> 1 if it sits in a name span
    punct: frozenset[int] = frozenset()  # gold only: its one-character non-letter tokens
    id: str = ""
    text: str = ""
    parents: list["TokenSet"] = field(default_factory=list)
    siblings: list["TokenSet"] = field(default_factory=list)
    ignored_sibling: bool = False

    def mark(self, token: int) -> int:
        return self.marks.get(token, 0)

    @property
    def unnamed(self) -> bool:
        return not any(self.marks.values())


@dataclass
class GoldDocument:
    name: str
    text: str
    tokens: list[CorpusToken]
    spans: dict[str, tuple[str, list[int]]]         # span id -> (span type, token indexes)
    mentions: list[tuple[str, str, list[str]]]       # (mention id, gold type, span ids)
    entities: dict[str, list[str]] = field(default_factory=dict)  # coref entity id -> mention ids
    coref_text: str = ""       # the .coref and .facts files as written, for track 3
    facts_text: str = ""
    has_facts: bool = False


def load_tokens(path: Path) -> list[CorpusToken]:
    tokens = []
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter=" ", quotechar="|"):
            if len(row) == 4:
                start, length = int(row[1]), int(row[2])
                tokens.append(CorpusToken(0, start, start + length, row[3]))
    tokens.sort(key=lambda t: t.start)
    for i, tok in enumerate(tokens):
        tok.index = i
        tok.punctuation = len(tok.text) == 1 and tok.text.lower() == tok.text.upper()
        glued_left = i > 0 and tokens[i - 1].end == tok.start
        glued_right = i + 1 < len(tokens) and tokens[i + 1].start == tok.end
        tok.ignored = tok.end - tok.start == 1 and tok.punctuation and (glued_left or glued_right)
    return tokens


def load_gold(folder: Path, name: str) -> GoldDocument:
    """Read book_N.{txt,tokens,spans,objects,coref,facts} (formats in ../shared/data/factru/README.md)."""
    base = folder / name
    tokens = load_tokens(base.with_suffix(".tokens"))
    by_corpus_id = {}
    with base.with_suffix(".tokens").open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter=" ", quotechar="|"):
            if len(row) == 4:
                by_corpus_id[row[0]] = int(row[1])
    index_at = {t.start: t.index for t in tokens}
    spans = {}
    for line in base.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
        left, _, right = line.partition("  # ")
        parts, ids = left.split(), right.split()
        if len(parts) >= 6:
            n = int(parts[5])
            spans[parts[0]] = (parts[1], [index_at[by_corpus_id[t]] for t in ids[:n]])
    mentions = []
    for line in base.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
        parts = line.split("#")[0].split()
        if len(parts) > 2:
            mentions.append((parts[0], parts[1], parts[2:]))
    coref, facts = base.with_suffix(".coref"), base.with_suffix(".facts")
    return GoldDocument(name, base.with_suffix(".txt").read_text(encoding="utf-8"), tokens, spans, mentions,
                        load_coref(coref), coref.read_text(encoding="utf-8") if coref.exists() else "",
                        facts.read_text(encoding="utf-8") if facts.exists() else "", facts.exists())


def load_coref(path: Path) -> dict[str, list[str]]:
    entities = {}
    if path.exists():
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            head = block.strip().splitlines()[:1]
            if head:
                parts = head[0].split()
                entities[parts[0]] = parts[1:]
    return entities


def gold_token_sets(gold: GoldDocument, locorg: bool = True) -> list[TokenSet]:
    """Gold mentions as token sets with name-span marks; embedded ones get parents (standard.py)."""
    result = []
    for mention_id, gold_type, span_ids in gold.mentions:
        tag = GOLD_TAGS.get(gold_type)
        if tag is None:
            continue  # Project, Facility: not scored in track 1
        if tag == "locorg" and not locorg:
            tag = "loc"
        ts = TokenSet(tag, frozenset(t for s in span_ids for t in gold.spans[s][1]), id=mention_id)
        for s in span_ids:
            span_type, toks = gold.spans[s]
            for t in toks:
                ts.marks[t] = max(ts.marks.get(t, 0), int(span_type in SPAN_WEIGHTS[tag]))
        ts.text = " ".join(gold.tokens[t].text for t in sorted(ts.tokens))
        ts.punct = frozenset(t for t in ts.tokens if gold.tokens[t].punctuation)
        result.append(ts)
    for ts in result:
        find_parents(ts, result)
    return result


def find_parents(ts: TokenSet, others: list[TokenSet]) -> None:
    ts.parents = [o for o in others if o is not ts and o.tag in PARENT_TAGS[ts.tag] and ts.tokens < o.tokens]
    ts.siblings = [o for o in others if o is not ts and o.tag in PARENT_TAGS[ts.tag] and ts.tokens == o.tokens]


def response_token_sets(gold: GoldDocument, spans: list[tuple[int, int, str]], locorg: bool = True
                        ) -> list[TokenSet]:
    """Response intervals ``(start, end, tag)`` as the non-ignored corpus tokens inside them (task1/test.py)."""
    result = []
    for start, end, tag in spans:
        toks = frozenset(t.index for t in gold.tokens if t.start >= start and t.end <= end and not t.ignored)
        tag = "loc" if tag == "locorg" and not locorg else tag
        result.append(TokenSet(tag, toks, text=gold.text[start:end]))
    return result


# ---------------------------------------------------------------------------------------------------
# Matching and scoring (common/evalmatrix.py + task1/eval.py TokenSetQualityCalculator)


def pair_priority(s: TokenSet, t: TokenSet) -> float:
    """The preliminary score that drives the search: plain token Jaccard, 0 across tags."""
    if s.tag != t.tag:
        return 0.0
    inter = len(s.tokens & t.tokens)
    union = len(s.tokens | t.tokens)
    return inter / union if union else 0.0


def pair_quality(s: TokenSet, t: TokenSet) -> float:
    """Partial credit of a matched pair: weighted hits / (weighted hits + misses + extra tokens)."""
    if s.tag != t.tag:
        return 0.0
    tp = sum(s.mark(tok) for tok in s.tokens & t.tokens)
    # gold punctuation never counts as missed: responses cannot contain glued punctuation
    fn = sum(s.mark(tok) for tok in s.tokens - t.tokens - s.punct)
    fp = len(t.tokens - s.tokens)
    total = tp + fn + fp
    return tp / total if total else pair_priority(s, t)


def gold_ignored(s: TokenSet, matching: dict[int, TokenSet]) -> bool:
    """Unnamed and embedded gold mentions never count; of two identical ones the org counts (eval.py)."""
    if s.unnamed or s.parents:
        return True
    for sib in s.siblings[:1]:
        s_in, sib_in = id(s) in matching, id(sib) in matching
        if s_in == sib_in:
            if sib.tag == s.tag:
                if s.ignored_sibling:
                    return True
                sib.ignored_sibling = True  # upstream keeps this flag across evaluations; so do we
                return False
            return s.tag != "org"
        return not s_in
    return False


def evaluate_pairs(pairs: list[tuple[TokenSet, TokenSet]], unmatched_gold: list[TokenSet],
                   unmatched_pred: list[TokenSet]) -> Score:
    """Counts for one matching: pairs with an ignored gold side vanish from both denominators."""
    matching = {id(s): t for s, t in pairs}
    tp, relevant, counted = 0.0, 0, set()
    for s, t in pairs:
        if not gold_ignored(s, matching):
            tp += pair_quality(s, t)
            counted.add(id(s))
            relevant += 1
    n_gold = relevant + sum(1 for s in unmatched_gold if id(s) not in counted and not gold_ignored(s, matching))
    return Score(tp, n_gold, relevant + len(unmatched_pred))


@dataclass
class Matching:
    gold: list[TokenSet]
    pred: list[TokenSet]
    pairs: list[tuple[int, int]]

    def score(self, tag: str | None = None) -> Score:
        pairs = [(self.gold[i], self.pred[j]) for i, j in self.pairs if tag is None or self.gold[i].tag == tag]
        matched_g = {i for i, _ in self.pairs}
        matched_p = {j for _, j in self.pairs}
        ug = [g for i, g in enumerate(self.gold) if i not in matched_g and (tag is None or g.tag == tag)]
        up = [p for j, p in enumerate(self.pred) if j not in matched_p and (tag is None or p.tag == tag)]
        return evaluate_pairs(pairs, ug, up)


def match_document(gold: list[TokenSet], pred: list[TokenSet]) -> Matching:
    """Search the gold-to-response matching with the best overall F1, as upstream's recursive search."""
    order = {tag: i for i, tag in enumerate(TAGS)}
    gold = sorted(gold, key=lambda g: (order[g.tag], g.id))
    pred = sorted(pred, key=lambda p: order[p.tag])  # stable: file order within a tag
    prio = [[pair_priority(g, p) for p in pred] for g in gold]
    best = _search(Matching(gold, pred, []), prio, list(range(len(gold))), list(range(len(pred))), [])
    return Matching(gold, pred, best[1])


def _search(m: Matching, prio, gold_left: list[int], pred_left: list[int], pairs: list[tuple[int, int]]):
    if not gold_left or not pred_left:
        return Matching(m.gold, m.pred, pairs).score().f1, pairs
    cur = gold_left[0]
    perfect = [t for t in pred_left if prio[cur][t] == 1]
    candidates = perfect or [t for t in pred_left if prio[cur][t] > 0]  # a perfect fit must be taken
    best, n_possible, max_alternatives = None, 0, 0
    for t in candidates:
        alternatives, taken_elsewhere = 0, False
        for k in gold_left[1:]:
            # a response that fits another gold mention perfectly must go to it
            taken_elsewhere |= prio[k][t] == 1 and prio[cur][t] < 1
            alternatives += prio[k][t] != 0
            max_alternatives = max(max_alternatives, alternatives)
        if taken_elsewhere:
            continue
        n_possible += 1
        rest = [p for p in pred_left if p != t]
        res = _search(m, prio, gold_left[1:], rest, pairs + [(cur, t)])
        if best is None or res[0] > best[0]:
            best = res
    # leaving this gold mention unmatched is only worth trying when it has no choice, or one imperfect
    # choice that another gold mention could also take
    if n_possible == 0 or (n_possible == 1 and max_alternatives > 0 and not perfect):
        res = _search(m, prio, gold_left[1:], pred_left, pairs)
        if best is None or res[0] > best[0]:
            best = res
    return best


# ---------------------------------------------------------------------------------------------------
# Running a system over the split


@dataclass
class Track1Result:
    scores: dict[str, Score]
    errors: dict[str, Counter]
    per_document: dict[str, float]


def score_track1(golds: list[GoldDocument], responses: list[list[tuple[int, int, str]]], locorg: bool
                 ) -> Track1Result:
    """Micro-average over documents of the official per-document counts, per tag and overall."""
    tags = TAGS if locorg else TAGS[:3]
    scores = {tag: Score() for tag in (*tags, "overall")}
    errors = {k: Counter() for k in ("missed", "spurious", "partial", "wrong_type")}
    per_doc = {}
    for gold, spans in zip(golds, responses):
        g_sets = gold_token_sets(gold, locorg)
        p_sets = response_token_sets(gold, spans, locorg)
        matching = match_document(g_sets, p_sets)
        for tag in tags:
            scores[tag].add(matching.score(tag))
        overall = matching.score()
        scores["overall"].add(overall)
        per_doc[gold.name] = overall.f1
        collect_errors(matching, errors)
    return Track1Result(scores, errors, per_doc)


def collect_errors(m: Matching, errors: dict[str, Counter]) -> None:
    """Count missed, spurious, partly matched and wrongly typed mentions by their text."""
    matched_g = {i for i, _ in m.pairs}
    matched_p = {j for _, j in m.pairs}
    for i, j in m.pairs:
        g, p = m.gold[i], m.pred[j]
        if not g.parents and not g.unnamed and pair_quality(g, p) < 1:
            errors["partial"][f"{g.tag}: gold «{g.text}» got «{p.text}»"] += 1
    for j, p in enumerate(m.pred):
        if j in matched_p:
            continue
        other = [g for g in m.gold if g.tokens & p.tokens and g.tag != p.tag]
        if other:
            errors["wrong_type"][f"«{p.text}» {other[0].tag}→{p.tag}"] += 1
        else:
            errors["spurious"][f"{p.tag}: «{p.text}»"] += 1
    for i, g in enumerate(m.gold):
        if i not in matched_g and not g.parents and not g.unnamed:
            if not any(g.tokens & p.tokens for p in m.pred):
                errors["missed"][f"{g.tag}: «{g.text}»"] += 1


def write_responses(folder: Path, golds: list[GoldDocument], responses: list[list[tuple[int, int, str]]]
                    ) -> None:
    """One ``book_N.task1`` per document, ``tag start length`` per line: the official response format."""
    folder.mkdir(parents=True, exist_ok=True)
    for gold, spans in zip(golds, responses):
        lines = [f"{tag} {start} {end - start}" for start, end, tag in spans]
        (folder / f"{gold.name}.task1").write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_responses(path: Path) -> list[tuple[int, int, str]]:
    """One official ``book_N.task1`` file: ``TAG START LENGTH`` per line, tags in any case."""
    spans = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        parts = line.split()
        if len(parts) == 3:
            start = int(parts[1])
            spans.append((start, start + int(parts[2]), parts[0].lower()))
    return spans


def list_documents(folder: Path) -> list[str]:
    return sorted((p.stem for p in folder.glob("book_*.txt")), key=lambda n: int(n.split("_")[1]))


def run_system(system: str, golds: list[GoldDocument], analyzer=None
               ) -> tuple[list[list[tuple[int, int, str]]], list]:
    """Mentions ``(start, end, tag)`` for each document, plus sarap's Documents (empty for natasha)."""
    texts = [g.text for g in golds]
    if system.startswith("responses:"):  # another system's official response files: score them as given
        folder = Path(system.partition(":")[2])
        return [read_responses(folder / f"{g.name}.task1") if (folder / f"{g.name}.task1").exists() else []
                for g in golds], []
    if system == "natasha":
        spans = [[(s, e, SARAP_TO_FACTRU[t]) for s, e, t in doc] for doc in natasha_spans(texts)]
        return spans, []
    docs = list(analyze_texts(texts, analyzer))
    spans = [[(s, e, SARAP_TO_FACTRU[t]) for s, e, t in sarap_spans(doc, g.text) if t in SARAP_TO_FACTRU]
             for doc, g in zip(docs, golds)]
    return spans, docs


# ---------------------------------------------------------------------------------------------------
# Occupation facts: track 3 (task3/eval.py with objects/fact.py, argument.py, attribute.py, entity.py,
# mention.py, span.py and common/util.py, reimplemented from reading them)
#
# Gold arguments are sets of strings: a Who or Where entity offers the fact line's text, every mention's
# tokens and its text interval, the coref names (a person's first/last/patronymic combinations, an org's
# names with and without descriptors and quotes); a Position offers its span's text.  A response
# argument is one string, and it matches a gold argument when some value is within a small Levenshtein
# distance (0 up to 1 character, 1 up to 8, else 2) after lower-casing, ё→е and quote/dash unification.
# Response facts are grouped into clusters, one gold fact and any number of responses each; a cluster's
# quality is (A + A·I) / 2, A = matched gold argument weight / (matched + unmatched gold + unmatched
# response weight), Position weighing 0.5, I the share of matched argument pairs found in one response.
# The grouping that maximises the document's F1 is searched, recall summing cluster quality over gold
# facts and precision over responses; documents add up.  Easy mode (the default, the 2016 table's):
# "Сложность повышенная" facts are ignored, along with responses grouped to them, and "Фаза" is dropped;
# hard mode (``occupation_hard``) drops the facts of modality возможность/будущее/отрицание instead.
# Not reproduced: the position normal-form table (scripts/dialent/jobs_processed.txt) is not shipped, so a
# response Position in the nominative matches only within the edit distance; sarap answers with the
# words as written, which the table does not affect.  The isPartOf expansion of Where is a no-op upstream
# (it pairs values of one argument, and those hold one entity each), so it is left out.  When a
# document's groupings number more than SEARCH_LIMIT, a greedy pass replaces the exhaustive search (sarap's
# devset answers need at most 4,536, so there the search is exact).  Only Occupation is scored: sarap
# answers no other fact type, and upstream scores each type on its own before summing.

ARG_WEIGHTS = {"position": 0.5, "фаза": 0.5}
DISTANCE_THRESHOLDS = (0, 0, 1, 1, 1, 1, 1, 1, 1, 2)  # by the longer string's length; 2 beyond
EASY_MODALITIES = {"возможность", "будущее", "отрицание"}
PERSON_FORMS = ("lfp", "fpl", "fp", "fl", "lf", "n", "f", "p", "l", "fn")
PERSON_ATTRS = {"f": "firstname", "l": "lastname", "p": "patronymic", "n": "nickname"}
MENTION_TAGS = {"Person": "per", "Organization": "org", "Org": "org", "LocOrg": "locorg", "Location": "loc",
                "Project": "project"}
SEARCH_LIMIT = 20000


def normalize_string(text: str, spacing: bool = True) -> str:
    """util.safeNormalize (case, ё, quotes, dashes) and, with ``spacing``, util.normalize's space fixes."""
    res = text.lower().strip(" \r\n\t")
    for s in "«»“”„":
        res = res.replace(s, '"')
    for s in "’`":
        res = res.replace(s, "'")
    res = res.replace("ё", "е")
    for s in "-‐−‒–—―":
        res = res.replace(s, "-")
    if spacing:
        for a, b in ((" ,", ","), (" .", "."), (" -", "-"), ("- ", "-"), ("( ", "("), (" )", ")")):
            res = res.replace(a, b)
    return res


@lru_cache(maxsize=200_000)
def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(cur[j - 1] + 1, prev[j] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def same_string(a: str, b: str) -> bool:
    longest = max(len(a), len(b))
    threshold = DISTANCE_THRESHOLDS[min(longest, len(DISTANCE_THRESHOLDS) - 1)]
    return abs(len(a) - len(b)) <= threshold and levenshtein(a, b) <= threshold


@dataclass(eq=False)
class Argument:
    name: str
    values: list[str]          # gold: every acceptable string; response: its one string
    fact: int = 0              # which response fact it came from (identification quality)

    @property
    def weight(self) -> float:
        return ARG_WEIGHTS.get(self.name, 1.0)

    def matches(self, answer: "Argument") -> bool:
        return self.name == answer.name and any(same_string(v, w) for v in self.values for w in answer.values)


@dataclass(eq=False)
class Fact:
    tag: str
    args: list[Argument]
    ignored: bool = False      # easy mode: "Сложность повышенная"
    modality: str = ""
    difficulty: str = ""
    text: str = ""

    def can_match(self, answer: "Fact") -> bool:
        return self.tag == answer.tag and any(a.matches(b) for a in self.args for b in answer.args)


class BrokenStandard(Exception):
    """The upstream loader would fail on this document; it then scores it with no facts."""


def gold_t3_facts(gold: GoldDocument) -> list[Fact]:
    """The document's facts as upstream's Standard loads them (every type); [] when that load fails."""
    try:
        entities = coref_entities(gold)
        return [parse_fact(block, entities, gold) for block in blocks(gold.facts_text)]
    except (BrokenStandard, KeyError, IndexError):
        return []


def blocks(text: str) -> list[list[str]]:
    out, cur = [], []
    for raw in text.splitlines():
        line = raw.strip(" \t\n\r")
        if line:
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    return out + [cur] if cur else out


@dataclass
class CorefEntity:
    tag: str
    mentions: list[str]                 # mention ids
    spans: list[str]                    # span ids listed directly
    attrs: dict[str, set[str]]


def coref_entities(gold: GoldDocument) -> dict[str, CorefEntity]:
    mention_tags = {}
    for mid, gold_type, _ in gold.mentions:
        if gold_type not in MENTION_TAGS:
            raise BrokenStandard(gold_type)
        mention_tags[mid] = MENTION_TAGS[gold_type]
    entities = {}
    for lines in blocks(gold.coref_text):
        ids = lines[0].split(" ")
        mentions = [i for i in ids[1:] if i in mention_tags]
        spans = [i for i in ids[1:] if i not in mention_tags and i in gold.spans]
        tags = {mention_tags[m] for m in mentions}
        if len(tags) > 1 and tags & {"locorg", "loc"}:
            tag = "loc"
        elif len(tags) == 1:
            tag = tags.pop().replace("locorg", "loc")
        else:
            raise BrokenStandard(ids[0])  # upstream asserts one tag
        ent = CorefEntity(tag, mentions, spans, {})
        ent.attrs = entity_attributes(gold, ent, lines[1:])
        entities[ids[0]] = ent
    return entities


def entity_attributes(gold: GoldDocument, ent: CorefEntity, lines: list[str]) -> dict[str, set[str]]:
    """Entity.processAttributes: names with quotes, every attribute with and without descriptors."""
    raw = [(line.split(" ")[0].strip().lower(), normalize_string(" ".join(line.split(" ")[1:]))) for line in lines]
    attrs: dict[str, set[str]] = {}
    descriptors: set[str] = set()
    for name, value in raw:
        if name.endswith("descr") or name.endswith("descriptor"):
            descriptors.add(value)
        elif name != "wikidata":
            attrs.setdefault(name, set()).add(value)
            if name == "name" and ent.tag != "per":
                quoted = quoted_name(gold, ent, value)
                if quoted:
                    attrs[name].add(quoted)
    if descriptors:
        for name, values in attrs.items():
            attrs[name] = {v for x in values for y in descriptors
                           for v in ((x,) if f" {y} " in f" {x} " else (x, f"{x} {y}", f"{y} {x}"))}
    trimmed: dict[str, set[str]] = {}
    for name, values in attrs.items():
        trimmed.setdefault(name.strip("1234567890"), set()).update(values)
    return trimmed


def quoted_name(gold: GoldDocument, ent: CorefEntity, value: str) -> str | None:
    """Attribute.tryPutInQoutes: the name in the quotes around a name span that spells it."""
    spans = ent.spans + [s for mid, _, span_ids in gold.mentions if mid in ent.mentions for s in span_ids]
    for sid in spans:
        tag, toks = gold.spans[sid]
        if "name" not in tag or span_text(gold, sid).replace("ё", "е") != value:
            continue
        first, last = min(toks), max(toks)
        left = token_text(gold, first - 1) if first > 0 else ""
        right = token_text(gold, last + 1) if last + 1 < len(gold.tokens) else ""
        left = left if left in ('"', "'", "«") else ""
        right = right if right in ('"', "'", "»") else ""
        if left + right in ('""', "''", "«»"):
            return left + value + right
    return None


def token_text(gold: GoldDocument, index: int) -> str:
    return normalize_string(gold.tokens[index].text)


def span_text(gold: GoldDocument, sid: str) -> str:
    return normalize_string(" ".join(gold.tokens[t].text for t in sorted(gold.spans[sid][1]))).replace("\n", "")


def mention_strings(gold: GoldDocument, mention_id: str) -> list[str]:
    """Mention.setText: its tokens joined by spaces, and its text interval (quotes around it included,
    the last character cut off, as upstream's inclusive end used as a slice end does)."""
    span_ids = next(s for mid, _, s in gold.mentions if mid == mention_id)
    toks = sorted({t for s in span_ids for t in gold.spans[s][1]})
    first, last = toks[0], toks[-1]
    while first > 0 and token_text(gold, first - 1) == '"':
        first -= 1
    while last + 1 < len(gold.tokens) and token_text(gold, last + 1) == '"':
        last += 1
    text = normalize_string(gold.text, spacing=False)
    shift = len(gold.text) - len(gold.text.lstrip(" \r\n\t"))  # the document is stripped before slicing
    interval = text[gold.tokens[first].start - shift:gold.tokens[last].end - 1 - shift]
    return [" ".join(token_text(gold, t) for t in toks), interval]


def entity_values(gold: GoldDocument, ent: CorefEntity, descr: str) -> list[str]:
    values = {descr.strip(" \n\r\t").lower()}
    for mid in ent.mentions:
        values.update(mention_strings(gold, mid))
    if ent.tag == "per":
        for form in PERSON_FORMS:
            options = [""]
            for symbol in form:
                options = [f"{o} {v}" if o else v for v in ent.attrs.get(PERSON_ATTRS[symbol], ()) if v
                           for o in options]
            values.update(options)
    elif ent.tag in ("org", "loc"):
        values.update(ent.attrs.get("name", ()))
    return sorted({v.lower().strip(" \n\r\t").replace("ё", "е") for v in values})


def parse_fact(lines: list[str], entities: dict[str, CorefEntity], gold: GoldDocument) -> Fact:
    """Fact.fromStandard + finalize: arguments, then modality and difficulty taken out as flags."""
    fact = Fact(lines[0].split(" ")[1].strip(" :\n\t\r").lower(), [], text=" | ".join(lines[1:]))
    for line in lines[1:]:
        parts = line.split(" ")
        name = parts[0].strip(" \n\r\t").lower()
        name = "position" if name == "job" else name
        alternatives = " ".join(parts[1:]).split("|")
        if parts[1].startswith("span"):
            values = [span_text(gold, alt.split()[0][4:]) for alt in alternatives]
        elif parts[1].startswith("obj"):
            values = entity_values(gold, entities[parts[1][3:]], " ".join(parts[2:]))
        else:
            values = [normalize_string(alt, spacing=False) for alt in alternatives]
        if name == "модальность":
            fact.modality = values[0]
        elif name == "сложность":
            fact.difficulty = values[0]
        else:
            fact.args.append(Argument(name, [v.lower().strip(" \n\r\t").replace("ё", "е") for v in values]))
    return fact


def response_fact(lines: list[str], index: int) -> Fact:
    """Fact.fromTest after Test.load's normalisation: ``tag`` then ``name : value`` lines."""
    lines = [normalize_string(line) for line in lines]
    args = []
    for line in lines[1:]:
        name, value = line.split(":")  # upstream asserts exactly one colon
        args.append(Argument(name.strip(" \n\r\t").lower(), [value.strip(" \n\r\t").lower()], index))
    return Fact(lines[0].strip(" :\n\t\r").lower(), args, text=" | ".join(lines[1:]))


def cluster_quality(std: Fact | None, tests: list[Fact]) -> float:
    """Cluster.calculateQuality: (A + A·I) / 2 over the responses grouped to one gold fact."""
    if std is None or not tests or std.ignored:
        return 0.0
    t_args = [a for t in tests for a in t.args]
    by_std: dict[int, list[Argument]] = {id(s): [] for s in std.args}
    unmatched_t = 0.0
    for t in t_args:
        s = next((s for s in std.args if s.matches(t)), None)
        if s is None:
            unmatched_t += t.weight
        else:
            by_std[id(s)].append(t)
    matched = [s for s in std.args if by_std[id(s)]]
    n = sum(s.weight for s in matched)
    fn = sum(s.weight for s in std.args if not by_std[id(s)])
    arg_quality = n / (n + unmatched_t + fn) if n + unmatched_t + fn else 0.0
    if len(tests) == 1:
        id_quality = 1.0
    else:
        pairs = len(matched) * (len(matched) - 1) / 2
        # upstream counts pairs among the first len(matched) gold arguments, matched or not: kept as is
        first = std.args[:len(matched)]
        edges = sum(1 for i, x in enumerate(first) for y in first[i + 1:]
                    if any(a.fact == b.fact for a in by_std[id(x)] for b in by_std[id(y)]))
        id_quality = edges / pairs if pairs else 1.0
    return (arg_quality + id_quality * arg_quality) / 2


@dataclass
class FactScore(Score):
    """Track 3's metrics: recall's true positives (over gold facts) and precision's (over responses)."""
    tp_pred: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 1.0

    def add(self, other: "FactScore") -> "FactScore":
        Score.add(self, other)
        self.tp_pred += other.tp_pred
        return self

    def to_dict(self) -> dict:
        return {**Score.to_dict(self), "tp_pred": round(self.tp_pred, 2)}


def grouping_score(std: list[Fact], tests: list[Fact], choice: list[int]) -> FactScore:
    """Optimizer.evaluate: ``choice[i]`` is the gold fact response i is grouped with, -1 for none."""
    groups: dict[int, list[Fact]] = {}
    for t, c in zip(tests, choice):
        groups.setdefault(c, []).append(t)
    tp_std = tp_test = 0.0
    n_std, n_test = 0, len(groups.get(-1, []))
    for k, s in enumerate(std):
        q = cluster_quality(s, groups.get(k, []))
        tp_std += q
        tp_test += q * len(groups.get(k, []))
        if not s.ignored:
            n_std += 1
            n_test += len(groups.get(k, []))
    return FactScore(tp_std, n_std, n_test, tp_test)


def best_grouping(std: list[Fact], tests: list[Fact]) -> tuple[FactScore, list[int]]:
    """Optimizer.recursiveSearch: every response to one of the gold facts it can match, or to none;
    the first grouping with the highest F1 in upstream's order wins."""
    options = [[k for k, s in enumerate(std) if s.can_match(t)] + [-1] for t in tests]
    if math.prod(len(o) for o in options) > SEARCH_LIMIT:
        return greedy_grouping(std, tests, options)
    best: tuple[FactScore, list[int]] | None = None
    for choice in itertools.product(*options):
        score = grouping_score(std, tests, list(choice))
        if best is None or best[0].f1 < score.f1:
            best = (score, list(choice))
    return best if best else (grouping_score(std, tests, []), [])


def greedy_grouping(std: list[Fact], tests: list[Fact], options: list[list[int]]) -> tuple[FactScore, list[int]]:
    choice = [-1] * len(tests)
    for _ in range(2):
        for i, opts in enumerate(options):
            choice[i] = max(opts, key=lambda c: grouping_score(std, tests, choice[:i] + [c] + choice[i + 1:]).f1)
    return grouping_score(std, tests, choice), choice


def score_fact_document(std: list[Fact], tests: list[Fact], hard: bool, tag: str = "occupation"
                        ) -> tuple[FactScore, list[str]]:
    """One document, one fact type, as Evaluator.evaluateDocument; plus its imperfect clusters."""
    std = [s for s in std if s.tag == tag]
    tests = [t for t in tests if t.tag == tag]
    if hard:
        std = [s for s in std if s.modality not in EASY_MODALITIES]
    else:
        std = [Fact(s.tag, [a for a in s.args if a.name != "фаза"], s.difficulty == "повышенная",
                    s.modality, s.difficulty, s.text) for s in std]
    score, choice = best_grouping(std, tests)
    errors = []
    for k, s in enumerate(std):
        group = [t for t, c in zip(tests, choice) if c == k]
        q = cluster_quality(s, group)
        if q < 1 and not s.ignored:
            errors.append(f"{q:.2f} gold [{s.text}] got [{'; '.join(t.text for t in group) or '-'}]")
    errors += [f"0.00 gold [-] got [{t.text}]" for t, c in zip(tests, choice) if c == -1]
    return score, errors


def response_facts(doc) -> list[list[str]]:
    """sarap's roles as track-3 response facts: Who the person's name, Position the office words as written
    (``sarap.roles.office_words``), Where the words naming the body or place it is held in, else the owner's
    mention nearest the title; one per person, title and owner.  A role with no Where gives no fact: the
    annotation model's Occupation is work in an organisation (210 of the devset's 211 have a Where)."""
    from sarap.roles import office_words
    facts: dict[tuple[str, str, str | None], list[str]] = {}
    for ent in doc.entities:
        if ent.type != "PER":
            continue
        for role in ent.roles:
            key = (ent.id, role.title, role.of)
            if key in facts:
                continue
            office, where = office_words(doc, role)
            lines = ["Occupation", f"Who : {clean_value(ent.name)}", f"Position : {clean_value(office)}"]
            if where:  # an Occupation is held somewhere: the annotation has no fact without Where
                facts[key] = lines + [f"Where : {clean_value(where)}"]
    return list(facts.values())


def clean_value(text: str) -> str:
    return " ".join(text.replace(":", " ").split())


def write_fact_responses(folder: Path, golds: list[GoldDocument], docs: list) -> None:
    """One ``book_N.task3`` per document in the official response format."""
    folder.mkdir(parents=True, exist_ok=True)
    for gold, doc in zip(golds, docs):
        text = "\n\n".join("\n".join(lines) for lines in response_facts(doc))
        (folder / f"{gold.name}.task3").write_text(text + "\n", encoding="utf-8")


def read_fact_responses(path: Path) -> list[list[str]]:
    """One official ``book_N.task3`` file: facts separated by blank lines."""
    return blocks(path.read_text(encoding="utf-8-sig")) if path.exists() else []


def score_occupation(golds: list[GoldDocument], answers: list[list[list[str]]]) -> dict:
    """Occupation in easy mode (the 2016 table's) and hard mode, micro-summed over documents with facts;
    ``answers`` holds each document's response facts as lines."""
    scores = {"occupation": FactScore(), "occupation_hard": FactScore()}
    errors: list[str] = []
    for i, gold in enumerate(golds):
        if not gold.has_facts:
            continue  # upstream skips documents with no .facts file
        tests = [response_fact(lines, k) for k, lines in enumerate(answers[i])] if answers else []
        for mode, hard in (("occupation", False), ("occupation_hard", True)):
            score, errs = score_fact_document(gold_t3_facts(gold), tests, hard)
            scores[mode].add(score)
            if not hard:
                errors += [f"{gold.name} {e}" for e in errs]
    return {"scores": {k: s.to_dict() for k, s in scores.items()},
            "errors": [(e, 1) for e in sorted(errors, key=lambda e: e.split(" ", 2)[1])[:40]]}


# ---------------------------------------------------------------------------------------------------
# The report


def evaluate(folder: Path, system: str = "sarap", responses: Path | None = None, limit: int | None = None,
             *, step: int = 1, analyzer=None) -> dict:
    """Run ``system`` over the split (every ``step``-th document) and return every figure as one dict."""
    names = list_documents(folder)[:limit:step]
    golds = [load_gold(folder, n) for n in names]
    started = time.perf_counter()
    spans, docs = run_system(system, golds, analyzer)
    elapsed = time.perf_counter() - started
    if responses is not None:
        write_responses(responses, golds, spans)
        if docs:
            write_fact_responses(responses, golds, docs)
    report = {"system": system, "split": str(folder), "documents": len(golds), "seconds": round(elapsed, 1)}
    for mode, locorg in (("track1", True), ("track1_locorg_as_loc", False)):
        res = score_track1(golds, spans, locorg)
        report[mode] = {tag: s.to_dict() for tag, s in res.scores.items()}
        if not locorg:
            report["error_totals"] = {k: sum(c.values()) for k, c in res.errors.items()}
            report["errors"] = {k: c.most_common(25) for k, c in res.errors.items()}
            report["worst_documents"] = sorted(res.per_document.items(), key=lambda kv: kv[1])[:10]
    if system.startswith("responses:"):
        answers = [read_fact_responses(Path(system.partition(":")[2]) / f"{g.name}.task3") for g in golds]
    else:
        answers = [response_facts(doc) for doc in docs]
    occupation = score_occupation(golds, answers)
    report["occupation"] = occupation["scores"]
    report["errors"]["occupation"] = occupation["errors"]
    return report


def print_report(report: dict) -> None:
    print(f"{report['system']} on {report['documents']} documents of {report['split']} "
          f"({report['seconds']} s)")
    for mode in ("track1_locorg_as_loc", "track1", "occupation"):
        if mode not in report:
            continue
        rows = [[mode, "P", "R", "F1", "TP", "gold", "pred"]]
        for tag, s in report[mode].items():
            rows.append([tag, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f1']:.3f}", f"{s['tp']:.1f}",
                         str(s["gold"]), str(s["pred"])])
        print("\n" + format_table(rows))
    print("\nerrors (locorg as loc): " + ", ".join(f"{k} {v}" for k, v in report["error_totals"].items()))
    for kind, items in report.get("errors", {}).items():
        print(f"\nworst {kind}:")
        for text, count in items[:10]:
            print(f"  {count:3d}  {text}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help="a factRuEval split folder")
    parser.add_argument("--baseline", choices=["natasha"], help="score natasha alone instead of sarap")
    parser.add_argument("--score", type=Path, metavar="RESPONSES",
                        help="score the official book_N.task1 files in RESPONSES instead of running a system")
    parser.add_argument("--json", type=Path, help="where to write the report "
                        "(default bench/results/factru_<system>.json)")
    parser.add_argument("--responses", type=Path, help="also write official book_N.task1 response files here")
    parser.add_argument("--limit", type=int, help="only the first N documents (quick checks)")
    parser.add_argument("--step", type=int, default=1, help="every N-th document (the quality gate uses 3)")
    parser.add_argument("--compare", action="store_true", help="run sarap and natasha alone, side by side")
    args = parser.parse_args(argv)
    if args.compare:
        reports = {name: evaluate(require_dir(args.dir), name, None, args.limit, step=args.step)
                   for name in ("sarap", "natasha")}
        for name, report in reports.items():
            if args.limit is None and args.step == 1:  # bench/results holds full-split figures only
                write_json(RESULTS / f"factru_{name}.json", report)
        print_report(reports["sarap"])
        print("\n" + comparison_table(reports, ["track1_locorg_as_loc", "track1", "occupation"]))
        return
    system = f"responses:{args.score}" if args.score else args.baseline or "sarap"
    report = evaluate(require_dir(args.dir), system, args.responses, args.limit, step=args.step)
    if args.json or (args.limit is None and args.step == 1):  # bench/results holds full-split figures only
        write_json(args.json or RESULTS / f"factru_{system.split(':')[0]}.json", report)
    print_report(report)


if __name__ == "__main__":
    main()
