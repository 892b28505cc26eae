"""Score sarap's events on factRuEval devset Meeting facts and on NEREL dev EVENT entities.

    .venv/bin/python bench/eval_events.py [--factru DIR] [--nerel DIR] [--worst N] [--json PATH]

**factRuEval Meeting** (5 facts in the devset, document level, no spans): a predicted event of a
meeting-like type (meeting, negotiations, summit, phone_call) with two or more participants matches
a gold fact when it covers at least two of the fact's participants (all of them when there are fewer); a
participant is covered when a word of its gold name (firstname/lastname/name) is a word of our entity's
name.  Precision is reported over all 122 documents and over the 5 documents that have Meeting facts,
because the devset annotates facts sparsely (a correct meeting elsewhere counts as a false positive).

**NEREL dev** (94 documents): EVENT entities are the gold triggers (all kinds of events: wars, elections,
deals...; ours are diplomatic actions only).  A predicted trigger is correct when its token overlaps a gold
EVENT span.  Recall is given over all EVENT spans and over the *diplomatic* ones, those whose text has a
stem of our lexicon (визит, встреч, саммит, переговор, ...) — that subset is defined by our own lexicon,
so it measures what the argument and plural filters lose, not lexicon coverage.  For matched triggers,
participants are scored against the PARTICIPANT_IN and AGENT heads of the gold event, locations against
TAKES_PLACE_IN tails; our entity matches a gold argument when one of its mentions overlaps the argument's
span or shares a word stem (first 5 letters) with it.  Events are scored before the per-document merge,
one per trigger, because NEREL annotates every mention.

The same NEREL run also scores the dates and amounts stages by character overlap against DATE and
MONEY+PERCENT+NUMBER spans (NEREL texts carry no publication date, so relative dates are not emitted;
NEREL's NUMBER includes bare numbers, which we skip on purpose).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, SHARED, Score, align_offsets, analyze_texts, format_table, require_dir, \
    to_raw_span, write_json

FACTRU_DIR = SHARED / "data" / "factru" / "devset"
NEREL_DIR = SHARED / "data" / "nerel" / "dev"
# A visit is not a Meeting in factRuEval's model (its facts name who met whom).
MEETING_TYPES = {"meeting", "negotiations", "summit", "phone_call"}
DIPLOMATIC_STEMS = ("визит", "посет", "посещ", "встреч", "встрет", "саммит", "переговор", "соглашени", "договор",
                    "подпис", "заявлени", "заяв", "разговор", "созвон", "меморандум")
PARTICIPANT_RELATIONS = ("PARTICIPANT_IN", "AGENT")

Span = tuple[int, int]


@dataclass(slots=True)
class PredictedEvent:
    """One trigger's event before merging, with offsets in the raw corpus text."""
    type: str
    status: str
    trigger: Span
    participants: list[tuple[str, list[Span]]]   # (entity name, mention spans in the sentence)
    location: tuple[str, list[Span]] | None
    sentence: str


@dataclass(slots=True)
class Counts:
    """Precision and recall counted separately (a predicted item may match several gold ones)."""
    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0

    def add(self, pred_hits: list[bool], gold_hits: list[bool]) -> None:
        self.tp_pred += sum(pred_hits)
        self.n_pred += len(pred_hits)
        self.tp_gold += sum(gold_hits)
        self.n_gold += len(gold_hits)

    def to_dict(self) -> dict:
        p = self.tp_pred / self.n_pred if self.n_pred else 1.0
        r = self.tp_gold / self.n_gold if self.n_gold else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), "gold": self.n_gold, "pred": self.n_pred}


@dataclass(slots=True)
class GoldEvent:
    span: Span
    text: str
    participants: list[tuple[Span, str]] = field(default_factory=list)
    places: list[tuple[Span, str]] = field(default_factory=list)


def predicted_events(doc, raw: str) -> list[PredictedEvent]:
    """Every emitted event of ``doc``, one per trigger (unmerged), in ``raw``'s offsets."""
    from sarap.events import build_event, find_triggers, sentence_views
    mapping = align_offsets(raw, doc.text)
    out = []
    for view in sentence_views(doc):
        for trigger in find_triggers(view):
            event = build_event(doc, view, trigger)
            if event is None:
                continue
            tok = trigger.token
            out.append(PredictedEvent(
                event.type, event.status, to_raw_span(mapping, tok.start, tok.end),
                [_entity_in(doc, view, p, mapping) for p in event.participants],
                _entity_in(doc, view, event.location, mapping) if event.location else None,
                doc.text[view.span.start:view.span.end]))
    return out


def _entity_in(doc, view, entity_id: str, mapping: list[int]) -> tuple[str, list[Span]]:
    ent = doc.entity(entity_id)
    spans = [to_raw_span(mapping, m.start, m.end) for m in ent.mentions
             if view.span.start <= m.start < view.span.end]
    return ent.name, spans


# --- factRuEval ---------------------------------------------------------------------------------------

def read_factru_meetings(path: Path) -> list[list[set[str]]]:
    """Meeting facts of one document: for each fact, each participant's set of lower-case name words."""
    coref = _read_coref_names(path.with_suffix(".coref"))
    facts = []
    for record in path.with_suffix(".facts").read_text(encoding="utf-8").split("\n\n"):
        lines = record.strip().splitlines()
        if not lines or not lines[0].endswith(" Meeting"):
            continue
        people = []
        for line in lines[1:]:
            role, _, rest = line.partition(" ")
            if role != "Participant":
                continue
            ref = rest.split()[0]
            words = coref.get(ref[3:], set()) if ref.startswith("obj") else set()
            people.append(words or {w.lower() for w in rest.split()[1:]})
        facts.append(people)
    return facts


def _read_coref_names(path: Path) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for record in path.read_text(encoding="utf-8").split("\n\n"):
        lines = record.strip().splitlines()
        if not lines:
            continue
        words = set()
        for line in lines[1:]:
            key, _, value = line.partition(" ")
            if key in ("firstname", "lastname", "surname", "patronymic", "nickname", "name"):
                words.update(w.lower() for w in value.split())
        names[lines[0].split()[0]] = words
    return names


def score_factru(paths: list[Path], worst: list) -> dict:
    """Meeting facts over the given factRuEval ``.txt`` files (their .facts/.coref beside them)."""
    texts = [p.read_text(encoding="utf-8") for p in paths]
    overall, with_facts, people = Counts(), Counts(), Score()
    for path, raw, doc in zip(paths, texts, analyze_texts(texts)):
        gold = read_factru_meetings(path)
        pred = [e for e in predicted_events(doc, raw) if e.type in MEETING_TYPES and len(e.participants) >= 2]
        names = [{w.lower() for w in name.split()} for name, _ in (p for e in pred for p in e.participants)]
        matched_gold = [any(_covers(e, fact) for e in pred) for fact in gold]
        matched_pred = [any(_covers(e, fact) for fact in gold) for e in pred]
        overall.add(matched_pred, matched_gold)
        if gold:
            with_facts.add(matched_pred, matched_gold)
            for fact in gold:
                people.add(Score(sum(any(p & n for n in names) for p in fact), len(fact), 0))
        worst += [("factru FP", path.name, e.sentence, _describe(e)) for e, ok in zip(pred, matched_pred) if not ok]
        worst += [("factru FN", path.name, f"Meeting {fact}", "") for fact, ok in zip(gold, matched_gold) if not ok]
    return {"meeting_facts": overall.to_dict(), "meeting_facts_docs_with_facts": with_facts.to_dict(),
            "participant_recall": round(people.recall, 4)}


def _covers(event: PredictedEvent, fact: list[set[str]]) -> bool:
    names = [{w.lower() for w in name.split()} for name, _ in event.participants]
    covered = sum(any(person & n for n in names) for person in fact)
    return covered >= min(2, len(fact))


# --- NEREL --------------------------------------------------------------------------------------------

def read_nerel(txt: Path) -> tuple[list[GoldEvent], dict[str, list[Span]]]:
    """Gold EVENTs with their arguments, and the spans of every entity type (DATE, MONEY ...)."""
    entities: dict[str, tuple[str, Span, str]] = {}
    relations = []
    for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            etype, *offsets = parts[1].replace(";", " ").split()
            numbers = [int(x) for x in offsets]
            entities[parts[0]] = (etype, (numbers[0], numbers[-1]), parts[2])
        elif line.startswith("R") and len(parts) >= 2:
            rtype, arg1, arg2 = parts[1].split()
            relations.append((rtype, arg1[5:], arg2[5:]))
    events = {tid: GoldEvent(span, text) for tid, (etype, span, text) in entities.items() if etype == "EVENT"}
    for rtype, head, tail in relations:
        if rtype in PARTICIPANT_RELATIONS and tail in events and head in entities:
            events[tail].participants.append(entities[head][1:])
        if rtype == "TAKES_PLACE_IN" and head in events and tail in entities:
            events[head].places.append(entities[tail][1:])
    spans: dict[str, list[Span]] = defaultdict(list)
    for etype, span, _ in entities.values():
        spans[etype].append(span)
    return list(events.values()), spans


def score_nerel(paths: list[Path], worst: list) -> dict:
    """Triggers, arguments, dates and amounts over the given NEREL ``.txt`` files (.ann beside them)."""
    texts = [p.read_text(encoding="utf-8") for p in paths]
    triggers, all_recall, diplomatic = Score(), Score(), Score()
    participants, places = Counts(), Counts()
    by_type: dict[str, Score] = defaultdict(Score)
    dates, amounts = Counts(), Counts()
    for path, raw, doc in zip(paths, texts, analyze_texts(texts)):
        gold, spans = read_nerel(path)
        pred = predicted_events(doc, raw)
        mapping = align_offsets(raw, doc.text)
        _score_spans(dates, [to_raw_span(mapping, d.start, d.end) for d in doc.dates], spans["DATE"])
        _score_spans(amounts, [to_raw_span(mapping, a.start, a.end) for a in doc.amounts],
                     spans["MONEY"] + spans["PERCENT"] + spans["NUMBER"])
        for event in pred:
            match = next((g for g in gold if _overlap(event.trigger, g.span)), None)
            triggers.add(Score(1 if match else 0, 0, 1))
            by_type[event.type].add(Score(1 if match else 0, 0, 1))
            if match is None:
                worst.append(("nerel trigger FP", path.name, event.sentence, _describe(event)))
                continue
            _score_arguments(event, match, participants, places, worst, path.name)
        for g in gold:
            found = any(_overlap(e.trigger, g.span) for e in pred)
            all_recall.add(Score(1 if found else 0, 1, 0))
            if any(stem in g.text.lower() for stem in DIPLOMATIC_STEMS):
                diplomatic.add(Score(1 if found else 0, 1, 0))
                if not found:
                    worst.append(("nerel trigger FN", path.name, _sentence_of(raw, g.span), g.text))
    # NEREL does not annotate speech acts ("заявил") as EVENTs, so statements are also left out once.
    no_statements = Score()
    for kind, score in by_type.items():
        if kind != "statement":
            no_statements.add(score)
    return {"trigger_precision": round(triggers.precision, 4), "trigger_pred": triggers.n_pred,
            "trigger_precision_without_statements": round(no_statements.precision, 4),
            "trigger_pred_without_statements": no_statements.n_pred,
            "recall_all_events": all_recall.to_dict(), "recall_diplomatic_events": diplomatic.to_dict(),
            "precision_by_type": {k: round(v.precision, 4) for k, v in sorted(by_type.items())},
            "participants": participants.to_dict(), "locations": places.to_dict(),
            "dates_vs_DATE": dates.to_dict(), "amounts_vs_MONEY_PERCENT_NUMBER": amounts.to_dict()}


def _score_spans(counts: Counts, predicted: list[Span], gold: list[Span]) -> None:
    """Overlap matching: a prediction is right when it shares a character with a gold span, and back."""
    counts.add([any(_overlap(p, g) for g in gold) for p in predicted],
               [any(_overlap(p, g) for p in predicted) for g in gold])


def _score_arguments(event: PredictedEvent, gold: GoldEvent, participants: Counts, places: Counts,
                     worst: list, name: str) -> None:
    hits = [any(_argument_matches(p, g) for g in gold.participants) for p in event.participants]
    found = [any(_argument_matches(p, g) for p in event.participants) for g in gold.participants]
    participants.add(hits, found)
    if not all(hits) or not all(found):
        worst.append(("nerel participants", name, event.sentence,
                      f"{_describe(event)} gold={[t for _, t in gold.participants]}"))
    predicted = [event.location] if event.location else []
    if gold.places or predicted:
        right = bool(predicted) and any(_argument_matches(predicted[0], g) for g in gold.places)
        if not right:
            worst.append(("nerel location", name, event.sentence,
                          f"{_describe(event)} gold={[t for _, t in gold.places]}"))
    places.add([any(_argument_matches(p, g) for g in gold.places) for p in predicted],
               [any(_argument_matches(p, g) for p in predicted) for g in gold.places])


def _argument_matches(entity: tuple[str, list[Span]], gold: tuple[Span, str]) -> bool:
    name, spans = entity
    span, text = gold
    if any(_overlap(s, span) for s in spans):
        return True
    return bool(_stems(name) & _stems(text))


def _stems(text: str) -> set[str]:
    return {w[:5].lower() for w in re.findall(r"\w{3,}", text)}


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _sentence_of(raw: str, span: Span) -> str:
    start = max(raw.rfind(".", 0, span[0]), raw.rfind("\n", 0, span[0])) + 1
    end = min([i for i in (raw.find(".", span[1]), raw.find("\n", span[1])) if i >= 0] or [len(raw)])
    return raw[start:end + 1].strip()


def _describe(event: PredictedEvent) -> str:
    where = f" @{event.location[0]}" if event.location else ""
    return f"{event.type}/{event.status} {[n for n, _ in event.participants]}{where}"


def texts_in(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.txt"), key=lambda p: p.name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--factru", type=Path, default=FACTRU_DIR)
    parser.add_argument("--nerel", type=Path, default=NEREL_DIR)
    parser.add_argument("--worst", type=int, default=15, help="how many errors of each kind to print")
    parser.add_argument("--json", type=Path, default=RESULTS / "events_sarap.json")
    args = parser.parse_args(argv)
    worst: list = []
    result = {"factru": score_factru(texts_in(require_dir(args.factru)), worst),
              "nerel": score_nerel(texts_in(require_dir(args.nerel)), worst)}
    print_report(result, worst, args.worst)
    write_json(args.json, result)


def print_report(result: dict, worst: list, n: int) -> None:
    f, r = result["factru"], result["nerel"]
    rows = [["measure", "P", "R", "F1", "gold", "pred"]]
    for label, s in (("factRuEval Meeting facts (all docs)", f["meeting_facts"]),
                     ("factRuEval Meeting facts (docs with facts)", f["meeting_facts_docs_with_facts"]),
                     ("NEREL participants of matched triggers", r["participants"]),
                     ("NEREL locations of matched triggers", r["locations"]),
                     ("NEREL dates vs DATE (overlap)", r["dates_vs_DATE"]),
                     ("NEREL amounts vs MONEY+PERCENT+NUMBER (overlap)", r["amounts_vs_MONEY_PERCENT_NUMBER"])):
        rows.append([label, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f1']:.3f}", str(s["gold"]), str(s["pred"])])
    print(format_table(rows))
    print(f"factRuEval Meeting participant recall: {f['participant_recall']:.3f}")
    print(f"NEREL trigger precision {r['trigger_precision']:.3f} over {r['trigger_pred']} triggers; "
          f"recall {r['recall_all_events']['r']:.3f} of all {r['recall_all_events']['gold']} EVENTs, "
          f"{r['recall_diplomatic_events']['r']:.3f} of {r['recall_diplomatic_events']['gold']} diplomatic ones")
    print(f"NEREL trigger precision without statements {r['trigger_precision_without_statements']:.3f} "
          f"over {r['trigger_pred_without_statements']} triggers; by type: {r['precision_by_type']}")
    kinds = defaultdict(list)
    for kind, name, sentence, what in worst:
        kinds[kind].append((name, sentence, what))
    for kind, items in kinds.items():
        print(f"\n== worst: {kind} ({len(items)})")
        for name, sentence, what in items[:n]:
            print(f"- {name}: {what} | {sentence[:160]}")


if __name__ == "__main__":
    main()
