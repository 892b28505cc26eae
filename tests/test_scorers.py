"""The evaluation scorers on tiny hand-made cases; every expected value is worked out by hand in a comment."""
from __future__ import annotations

import pytest

from bench.common import Score, align_offsets, to_raw_span
from bench.eval_factru import (TokenSet, find_parents, load_gold, match_document, score_track1)

# A fictional sentence.  Tokens (start, end):  0 Мэр(0,3) 1 Заречья(4,11) 2 Иван(12,16) 3 Петров(17,23)
# 4 посетил(24,31) 5 завод(32,37) 6 «(38,39) 7 Заря(39,43) 8 »(43,44) 9 .(44,45)
TEXT = "Мэр Заречья Иван Петров посетил завод «Заря»."
WORDS = ["Мэр", "Заречья", "Иван", "Петров", "посетил", "завод", "«", "Заря", "»", "."]
SPANS = [  # id, type, token numbers
    ("1", "job", [0]), ("2", "loc_name", [1]), ("3", "name", [2]), ("4", "surname", [3]),
    ("5", "org_descr", [5]), ("6", "org_name", [6, 7, 8]),
]
MENTIONS = [("11", "LocOrg", ["2"]), ("12", "Person", ["3", "4"]), ("13", "Org", ["5", "6"])]


@pytest.fixture
def gold(tmp_path):
    """The sentence written in the factRuEval file formats, read back by the evaluation's loader."""
    starts, pos = [], 0
    for w in WORDS:
        pos = TEXT.index(w, pos)
        starts.append(pos)
        pos += len(w)
    (tmp_path / "book_1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "book_1.tokens").write_text(
        "".join(f"{100 + i} {s} {len(w)} {w}\n" for i, (s, w) in enumerate(zip(starts, WORDS))), encoding="utf-8")
    (tmp_path / "book_1.spans").write_text("".join(
        f"{sid} {typ} {starts[toks[0]]} 1 {100 + toks[0]} {len(toks)}  # "
        + " ".join(str(100 + t) for t in toks) + " " + " ".join(WORDS[t] for t in toks) + "\n"
        for sid, typ, toks in SPANS), encoding="utf-8")
    (tmp_path / "book_1.objects").write_text(
        "".join(f"{mid} {typ} {' '.join(spans)} # x\n" for mid, typ, spans in MENTIONS), encoding="utf-8")
    (tmp_path / "book_1.coref").write_text(
        "1 12\nfirstname Иван\nlastname Петров\n\n2 11\nname Заречье\n", encoding="utf-8")
    (tmp_path / "book_1.facts").write_text(
        "1-0 Occupation\nWho obj1 Петров Иван\nPosition span1 мэр | span5 завод\nWhere obj2 Заречье\n",
        encoding="utf-8")
    return load_gold(tmp_path, "book_1")


def score(gold, spans, locorg=False):
    return score_track1([gold], [spans], locorg).scores


def test_loader_reads_tokens_and_marks_glued_punctuation(gold):
    assert [t.text for t in gold.tokens] == WORDS
    # «, » and the full stop touch a word, so a response never contains them
    assert [t.index for t in gold.tokens if t.ignored] == [6, 8, 9]


def test_exact_response_scores_one(gold):
    s = score(gold, [(4, 11, "loc"), (12, 23, "per"), (32, 44, "org")])
    assert (s["overall"].tp, s["overall"].n_gold, s["overall"].n_pred) == (3, 3, 3)
    assert s["overall"].f1 == 1.0


def test_descriptor_tokens_weigh_nothing(gold):
    # gold org = завод(descriptor, weight 0) + «Заря»(name); answering «Заря» alone: tp 1, fn 0, fp 0 -> 1
    s = score(gold, [(39, 43, "org")])
    assert s["org"].tp == 1.0 and s["org"].f1 == 1.0


def test_half_a_name_gets_half_credit(gold):
    # per gold {Иван, Петров}, answer {Петров}: tp 1 / (tp 1 + fn 1 + fp 0) = 0.5
    s = score(gold, [(4, 11, "loc"), (17, 23, "per"), (32, 44, "org")])
    assert s["per"].tp == 0.5
    # overall: tp 2.5 of 3 gold and 3 answers -> P = R = F1 = 0.8333
    assert s["overall"].f1 == pytest.approx(2.5 / 3)


def test_extra_tokens_cost_precision(gold):
    # answer "Мэр Заречья Иван Петров" as per: tp 2 / (2 + fn 0 + fp 2) = 0.5
    s = score(gold, [(0, 23, "per")])
    assert s["per"].tp == 0.5
    assert (s["overall"].n_gold, s["overall"].n_pred) == (3, 1)


def test_wrong_type_is_a_miss_and_a_false_alarm(gold):
    # Заречья is LocOrg; answered as org it matches nothing: gold 3, answers 1, tp 0
    s = score(gold, [(4, 11, "org")])
    assert (s["overall"].tp, s["overall"].n_gold, s["overall"].n_pred) == (0, 3, 1)
    assert s["overall"].precision == 0.0


def test_locorg_counts_as_loc_only_with_the_switch(gold):
    answer = [(4, 11, "loc")]
    assert score(gold, answer, locorg=False)["loc"].tp == 1.0
    strict = score(gold, answer, locorg=True)
    assert strict["loc"].tp == 0.0 and strict["locorg"].n_gold == 1


def test_empty_response_has_full_precision_and_no_recall(gold):
    s = score(gold, [])["overall"]
    assert (s.precision, s.recall, s.f1) == (1.0, 0.0, 0.0)


def test_embedded_and_unnamed_gold_mentions_are_not_counted():
    org = TokenSet("org", frozenset({1, 2, 3}), marks={1: 1, 2: 1, 3: 1}, id="1")
    loc = TokenSet("loc", frozenset({3}), marks={3: 1}, id="2")          # inside the org: embedded
    descr = TokenSet("org", frozenset({7}), marks={7: 0}, id="3")         # only a descriptor: unnamed
    for ts in (org, loc, descr):
        find_parents(ts, [org, loc, descr])
    assert loc.parents == [org]
    answer = [TokenSet("org", frozenset({1, 2, 3})), TokenSet("org", frozenset({7}))]
    s = match_document([org, loc, descr], answer).score()
    # the org pair counts (tp 1); the unnamed pair vanishes from both sides; the embedded loc is not owed
    assert (s.tp, s.n_gold, s.n_pred) == (1.0, 1, 1)


def test_perfect_match_wins_over_partial():
    a = TokenSet("per", frozenset({1, 2}), marks={1: 1, 2: 1}, id="1")
    b = TokenSet("per", frozenset({2}), marks={2: 1}, id="2")
    for ts in (a, b):
        find_parents(ts, [a, b])
    answer = [TokenSet("per", frozenset({2}))]
    m = match_document([a, b], answer)
    # the answer {2} fits b exactly, so it goes to b; a is missed: tp 1, gold 2, answers 1
    assert [(m.gold[i].id, j) for i, j in m.pairs] == [("2", 0)]
    assert (m.score().tp, m.score().n_gold) == (1.0, 2)


def test_score_arithmetic():
    s = Score(tp=3, n_gold=4, n_pred=6)
    assert (s.precision, s.recall) == (0.5, 0.75)
    assert s.f1 == pytest.approx(0.6)  # 2 * .5 * .75 / 1.25
    assert Score().f1 == 1.0           # nothing owed and nothing answered


# --- Track 3 (Occupation): argument strings, cluster quality and the grouping search


@pytest.mark.parametrize("a, b, same", [
    ("мэра", "мэр", True),                                          # length 4: one edit allowed
    ("министра иностранных дел", "министр иностранных дел", True),  # 9 or more: two
    ("генерального директора", "генеральный директор", False),      # four edits
    ("а", "б", False),                                              # one character: exact only
])
def test_argument_strings_match_within_a_few_edits(a, b, same):
    from bench.eval_factru import same_string
    assert same_string(a, b) is same


def occupation_answer(**args):
    return ["Occupation"] + [f"{name} : {value}" for name, value in args.items()]


def test_gold_occupation_offers_names_mentions_and_spans(gold):
    from bench.eval_factru import gold_t3_facts
    [fact] = gold_t3_facts(gold)
    values = {a.name: a.values for a in fact.args}
    # Who: the fact line, the mention, the name combinations; Where: the coref name and the mention as written
    assert {"петров иван", "иван петров", "петров", "иван"} <= set(values["who"])
    assert values["position"] == ["мэр", "завод"]
    assert {"заречье", "заречья"} <= set(values["where"])


@pytest.mark.parametrize("answer, expected", [
    (dict(who="Иван Петров", position="Мэр", where="Заречье"), 1.0),
    # Where missing: A = (1 + 0.5) / (1.5 + 1) = 0.6, one response so I = 1: (0.6 + 0.6) / 2
    (dict(who="Петрова", position="мэра"), 0.6),
    # Where wrong: A = 1.5 / (1.5 + 1 + 1)
    (dict(who="Иван Петров", position="мэр", where="Москва"), 1.5 / 3.5),
])
def test_cluster_quality(gold, answer, expected):
    from bench.eval_factru import cluster_quality, gold_t3_facts, response_fact
    [fact] = gold_t3_facts(gold)
    assert cluster_quality(fact, [response_fact(occupation_answer(**answer), 0)]) == pytest.approx(expected)


def test_split_answers_group_to_one_fact(gold):
    from bench.eval_factru import gold_t3_facts, response_fact, score_fact_document
    facts = gold_t3_facts(gold)
    answers = [response_fact(occupation_answer(who="Иван Петров", position="мэр"), 0),
               response_fact(occupation_answer(who="Иван Петров", where="Заречье"), 1)]
    score, errors = score_fact_document(facts, answers, hard=False)
    # both go to the gold fact: A = 1; argument pairs found in one answer: who-position, who-where of 3,
    # so I = 2/3 and the quality (1 + 2/3) / 2 counts once for recall and twice for precision
    assert (score.n_gold, score.n_pred) == (1, 2)
    assert score.recall == pytest.approx(5 / 6) and score.precision == pytest.approx(5 / 6)
    assert len(errors) == 1


def test_hard_facts_are_ignored_in_easy_mode(gold):
    from bench.eval_factru import gold_t3_facts, response_fact, score_fact_document
    gold.facts_text = gold.facts_text.rstrip("\n") + "\nСложность повышенная\n"
    facts = gold_t3_facts(gold)
    answer = [response_fact(occupation_answer(who="Иван Петров", position="завод"), 0)]
    easy, _ = score_fact_document(facts, answer, hard=False)
    hard, _ = score_fact_document(facts, answer, hard=True)
    assert (easy.n_gold, easy.n_pred) == (0, 0)  # the answer grouped with an ignored fact is not counted
    assert (hard.n_gold, hard.n_pred) == (1, 1)


def test_offsets_map_back_through_cleaning():
    from sarap.cleaning import clean_text
    raw = "  Иван\u00a0\u00a0Петров\u200b сказал.\n\n\n\nЗавод «Заря» "
    cleaned = clean_text(raw)
    mapping = align_offsets(raw, cleaned)
    for word in ("Петров", "сказал", "Заря"):
        start = cleaned.index(word)
        s, e = to_raw_span(mapping, start, start + len(word))
        assert raw[s:e] == word


# --- NEREL ------------------------------------------------------------------------------------------

ANN = (
    "T1\tPERSON 0 10\tИван Петров\n"
    "T2\tPROFESSION 13 20;25 30\tминистр ... связи\n"   # discontinuous: first start to last end
    "R1\tWORKS_AS Arg1:T1 Arg2:T2\t\n"
    "N1\tReference T1 Wikidata:Q1\tИван Петров\n"
    "a stray fragment that is not a record\n"
)


def test_parse_ann_reads_entities_and_relations():
    from bench.eval_nerel import parse_ann
    entities, relations = parse_ann(ANN)
    assert entities == {"T1": ("PERSON", (0, 10)), "T2": ("PROFESSION", (13, 30))}
    assert relations == [("WORKS_AS", "T1", "T2")]


def test_span_scores_exact_and_overlap():
    from bench.eval_nerel import score_spans
    gold = {(0, 10), (20, 30), (40, 50)}
    pred = {(0, 10), (22, 30), (60, 70)}
    # exact: only (0, 10) -> tp 1 of 3 gold and 3 predicted
    exact = score_spans(gold, pred, exact=True)
    assert (exact.tp, exact.n_gold, exact.n_pred) == (1, 3, 3)
    # overlap: (22, 30) also pairs with (20, 30) -> tp 2; P = R = F1 = 2/3
    loose = score_spans(gold, pred, exact=False)
    assert loose.tp == 2 and loose.f1 == pytest.approx(2 / 3)


def test_overlap_pairs_one_to_one():
    from bench.eval_nerel import score_spans
    # one long prediction over two gold spans earns one hit, not two
    assert score_spans({(0, 5), (6, 10)}, {(0, 10)}, exact=False).tp == 1


def test_relations_match_any_mention_of_the_person():
    from bench.eval_nerel import score_relations
    gold = [((30, 40), (20, 29)), ((100, 110), (90, 99))]
    # our person has mentions at (0, 10) and (30, 40); its role span is (20, 29): matches the first gold
    pred = [([(0, 10), (30, 40)], (20, 29)), ([(0, 10), (30, 40)], (90, 99))]
    s = score_relations(gold, pred, exact=True)
    # the second prediction has the right tail but its person has no mention at (100, 110): tp 1 of 2 and 2
    assert (s.tp, s.n_gold, s.n_pred) == (1, 2, 2)


def test_role_references_are_not_scored_as_names():
    from bench.common import sarap_spans
    from sarap.model import Document, Entity, Mention
    if "kind" not in Mention.__dataclass_fields__:
        pytest.skip("Mention.kind (name | reference) is not in this checkout's model yet")
    text = "Президент Зареченской республики Иван Петров приехал. Глава государства выступил."
    doc = Document(text=text, entities=[Entity("e1", "PER", "Иван Петров", mentions=[
        Mention(33, 44, "Иван Петров"), Mention(54, 71, "Глава государства", kind="reference")])])
    # only the name counts for NER; the raw text equals the cleaned one, so offsets are unchanged
    assert sarap_spans(doc, text) == [(33, 44, "PER")]


# --- The upstream scorer's own track-1 cases (scripts/dialent/tests/test_list.txt), rebuilt on devset
# documents with the same gold objects and responses; the expected F1 are upstream's.

UPSTREAM_CASES = [
    # name, document, gold objects (id type span ids), response lines, expected F1
    ("embedded_org_1", "book_100", ["10455 Org 22793 22794", "10456 Org 22793 22794 22795 22808"],
     ["ORG 1473 23"], 0.0),
    ("embedded_org_2", "book_100", ["10455 Org 22793 22794", "10456 Org 22793 22794 22795 22808"],
     ["ORG 1451 45"], 1.0),
    ("embedded_org_3", "book_100", ["10455 Org 22793 22794", "10456 Org 22793 22794 22795 22808"],
     ["ORG 1473 23", "ORG 1451 45"], 1.0),
    ("embedded_org_4", "book_100",
     ["10455 Org 22793 22794", "10456 Org 22793 22794 22795 22808", "10435 Person 22767 22768"],
     ["PER 313 12"], 0.66),
    ("org_loc_duality_4", "book_369",
     ["13929 Location 28201 28202 28207", "22022 Org 28201 28202 28207", "13924 Person 28199 28200"],
     ["PER 487 20"], 0.66),
]


@pytest.mark.parametrize("name, book, objects, lines, expected", UPSTREAM_CASES, ids=[c[0] for c in UPSTREAM_CASES])
def test_upstream_track1_cases(tmp_path, name, book, objects, lines, expected):
    from conftest import SHARED, require_shared
    from bench.eval_factru import read_responses
    devset = require_shared(SHARED / "data" / "factru" / "devset")
    for ext in ("txt", "tokens", "spans"):
        (tmp_path / f"{book}.{ext}").write_bytes((devset / f"{book}.{ext}").read_bytes())
    (tmp_path / f"{book}.objects").write_text("\n".join(f"{o} # x" for o in objects) + "\n", encoding="utf-8")
    (tmp_path / f"{book}.task1").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = load_gold(tmp_path, book)
    s = score_track1([gold], [read_responses(tmp_path / f"{book}.task1")], locorg=True).scores["overall"]
    assert s.f1 == pytest.approx(expected, abs=0.01)  # upstream lists 2/3 as 0.66


def test_occupation_from_roles_end_to_end(gold, analyzer):
    from bench.eval_factru import response_facts, score_occupation
    doc = analyzer(TEXT)
    # the role "Мэр Заречья" gives Position "Мэр" and Where its owner's mention "Заречья"
    assert response_facts(doc) == [["Occupation", "Who : Иван Петров", "Position : Мэр", "Where : Заречья"]]
    scores = score_occupation([gold], [response_facts(doc)])["scores"]
    assert scores["occupation"]["f1"] == 1.0
