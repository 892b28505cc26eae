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
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
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
    facts: list[dict[str, list[str]]] = field(default_factory=list)


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
    return GoldDocument(name, base.with_suffix(".txt").read_text(encoding="utf-8"), tokens, spans, mentions,
                        load_coref(base.with_suffix(".coref")), load_facts(base.with_suffix(".facts")))


def load_coref(path: Path) -> dict[str, list[str]]:
    entities = {}
    if path.exists():
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            head = block.strip().splitlines()[:1]
            if head:
                parts = head[0].split()
                entities[parts[0]] = parts[1:]
    return entities


def load_facts(path: Path) -> list[dict[str, list[str]]]:
    """Each fact as ``{"type": [T], role: ["obj12", "span345", ...]}``; alternatives flattened."""
    facts = []
    if path.exists():
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            lines = block.strip().splitlines()
            if not lines:
                continue
            fact: dict[str, list[str]] = {"type": [lines[0].split()[-1]]}
            for line in lines[1:]:
                role, _, rest = line.partition(" ")
                refs = [alt.split()[0] for alt in rest.split(" | ") if alt.split()]
                fact.setdefault(role, []).extend(refs)
            facts.append(fact)
    return facts


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
# Occupation facts
#
# A simplified form of track 3 (the official task3 scorer matches normalised strings; we match tokens):
# a fact is (Who, Position, Where); ours come from entity roles (person, role span, role.of).  A predicted
# fact can pair with a gold one when their Who overlap; a pair scores matched arguments / (matched +
# unmatched gold + unmatched predicted), as the official argument quality; pairs are assigned one to one
# maximising the total.  ``occupation_exact`` counts only pairs with every argument right.

FACT_ARGS = ("who", "position", "where")


@dataclass
class Fact:
    args: dict[str, list[frozenset[int]]]  # argument -> alternative token sets (any overlap matches)
    text: str = ""


def tokens_in(gold: GoldDocument, start: int, end: int) -> frozenset[int]:
    return frozenset(t.index for t in gold.tokens if t.start >= start and t.end <= end and not t.ignored)


def gold_facts(gold: GoldDocument) -> list[Fact]:
    """The Occupation facts of a gold document, each argument as its mentions' token sets."""
    spans_of = {mid: span_ids for mid, _, span_ids in gold.mentions}

    def resolve(ref: str) -> list[frozenset[int]]:
        if ref.startswith("span"):
            return [frozenset(gold.spans[ref[4:]][1])] if ref[4:] in gold.spans else []
        if not ref.startswith("obj"):
            return []  # a bare string alternative: no tokens to match
        mentions = gold.entities.get(ref[3:], [])
        return [frozenset(t for s in spans_of.get(m, []) for t in gold.spans[s][1]) for m in mentions]

    facts = []
    for fact in gold.facts:
        if fact["type"] != ["Occupation"]:
            continue
        args = {arg: [ts for ref in fact.get(arg.capitalize(), []) for ts in resolve(ref)] for arg in FACT_ARGS}
        text = " | ".join(f"{a}={_tokens_text(gold, v[0])}" for a, v in args.items() if v)
        facts.append(Fact({a: v for a, v in args.items() if v}, text))
    return facts


def predicted_facts(doc, gold: GoldDocument) -> list[Fact]:
    """sarap's roles as facts: one per (person, title, of), its role spans as Position alternatives."""
    from bench.common import align_offsets, to_raw_span
    mapping = align_offsets(gold.text, doc.text)

    def token_sets(spans) -> list[frozenset[int]]:
        return [tokens_in(gold, *to_raw_span(mapping, s.start, s.end)) for s in spans]

    facts: dict[tuple[str, str, str | None], Fact] = {}
    for ent in doc.entities:
        if ent.type != "PER":
            continue
        for role in ent.roles:
            key = (ent.id, role.title, role.of)
            if key not in facts:
                args = {"who": token_sets(ent.mentions), "position": []}
                target = doc.entity(role.of)
                if target is not None:
                    args["where"] = token_sets(target.mentions)
                text = f"who={ent.name} | position={role.title}" + (f" | where={target.name}" if target else "")
                facts[key] = Fact(args, text)
            facts[key].args["position"].extend(token_sets([role]))
    return list(facts.values())


def _tokens_text(gold: GoldDocument, tokens: frozenset[int]) -> str:
    return " ".join(gold.tokens[t].text for t in sorted(tokens))


def argument_matches(g: list[frozenset[int]], p: list[frozenset[int]]) -> bool:
    return any(a & b for a in g for b in p)


def fact_quality(g: Fact, p: Fact) -> float:
    """Matched arguments over all arguments either side has; 0 unless the Who overlap."""
    if not argument_matches(g.args.get("who", []), p.args.get("who", [])):
        return 0.0
    matched = sum(1 for a in FACT_ARGS if argument_matches(g.args.get(a, []), p.args.get(a, [])))
    gold_only = sum(1 for a in g.args if not argument_matches(g.args[a], p.args.get(a, [])))
    pred_only = sum(1 for a in p.args if p.args[a] and not argument_matches(g.args.get(a, []), p.args[a]))
    return matched / (matched + gold_only + pred_only)


def score_facts(gold: list[Fact], pred: list[Fact]) -> tuple[Score, Score, list[tuple[Fact | None, Fact | None]]]:
    """(partial-credit score, exact score, unmatched or imperfect pairs) for one document."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    pairs = []
    if gold and pred:
        q = np.array([[fact_quality(g, p) for p in pred] for g in gold])
        rows, cols = linear_sum_assignment(-q)
        pairs = [(i, j, q[i, j]) for i, j in zip(rows, cols) if q[i, j] > 0]
    partial = Score(sum(x for _, _, x in pairs), len(gold), len(pred))
    exact = Score(sum(1 for _, _, x in pairs if x == 1), len(gold), len(pred))
    paired_g, paired_p = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    errors = [(gold[i], pred[j]) for i, j, x in pairs if x < 1]
    errors += [(g, None) for i, g in enumerate(gold) if i not in paired_g]
    errors += [(None, p) for j, p in enumerate(pred) if j not in paired_p]
    return partial, exact, errors


def score_occupation(golds: list[GoldDocument], docs: list) -> dict:
    partial, exact, errors = Score(), Score(), Counter()
    for i, gold in enumerate(golds):
        pred = predicted_facts(docs[i], gold) if docs else []
        p, e, errs = score_facts(gold_facts(gold), pred)
        partial.add(p)
        exact.add(e)
        for g, f in errs:
            errors[f"gold [{g.text if g else '-'}] got [{f.text if f else '-'}]"] += 1
    return {"scores": {"occupation": partial.to_dict(), "occupation_exact": exact.to_dict()},
            "errors": errors.most_common(25)}


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
    report = {"system": system, "split": str(folder), "documents": len(golds), "seconds": round(elapsed, 1)}
    for mode, locorg in (("track1", True), ("track1_locorg_as_loc", False)):
        res = score_track1(golds, spans, locorg)
        report[mode] = {tag: s.to_dict() for tag, s in res.scores.items()}
        if not locorg:
            report["error_totals"] = {k: sum(c.values()) for k, c in res.errors.items()}
            report["errors"] = {k: c.most_common(25) for k, c in res.errors.items()}
            report["worst_documents"] = sorted(res.per_document.items(), key=lambda kv: kv[1])[:10]
    occupation = score_occupation(golds, docs)
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
