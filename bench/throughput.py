"""Throughput of the full sarap Analyzer against natasha alone, over the seeds and the factRuEval devset.

    .venv/bin/python bench/throughput.py [--rounds 2] [--limit N] [--warm] [--json [PATH]]

natasha alone is what sarap starts from: segment + morph + NER + span normalisation.  Both run in this
one process, alternating round by round so that machine noise hits both alike; the ratio is sarap's
speed over natasha's.  Model init time and peak RSS are measured in a fresh child process per system
(``--child``, three alternating runs each: the fastest init, the largest RSS), so neither is flattered
by the other's imports or inflated by the other's models.
Targets (issue 2 §8): ratio ≥ 0.7, peak RSS ≤ 500 MB, init ≤ 3 s.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, SHARED, format_table, write_json

TARGETS = {"ratio": 0.7, "peak_rss_mb": 500, "init_s": 3.0}


def load_texts(shared: Path = SHARED) -> list[str]:
    """The two seed interviews plus every factRuEval devset text, in a fixed order."""
    paths = sorted((shared / "corpus" / "seeds").glob("*.txt"))
    paths += sorted((shared / "data" / "factru" / "devset").glob("book_*.txt"))
    if not paths:
        sys.exit(f"no texts under {shared}: the benchmark needs ../shared beside the checkout")
    return [p.read_text(encoding="utf-8") for p in paths]


def make_natasha():
    """natasha alone, as a user of natasha would run it: a callable text -> natasha Doc."""
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
    emb = NewsEmbedding()
    segmenter, morph, ner, vocab = Segmenter(), NewsMorphTagger(emb), NewsNERTagger(emb), MorphVocab()

    def run(text: str):
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.tag_ner(ner)
        for span in doc.spans:
            span.normalize(vocab)
        return doc

    return run


def make_sarap(stage_seconds: dict[str, float] | None = None):
    """The public Analyzer; with ``stage_seconds``, each stage's time is added up there."""
    from sarap import Analyzer
    analyzer = Analyzer()
    if stage_seconds is not None:
        for stage in analyzer.pipeline.stages:
            stage.run = timed(stage.run, stage.name, stage_seconds)
    return analyzer


def timed(run, name: str, seconds: dict[str, float]):
    def wrapper(doc):
        started = time.perf_counter()
        try:
            return run(doc)
        finally:
            seconds[name] += time.perf_counter() - started
    return wrapper


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# The child's pass only has to reach the working-set peak: the seeds (the longest texts) and a few more.
CHILD_TEXTS = 12
CHILD_REPEATS = 3


def run_child(system: str) -> dict:
    """In this fresh process: init time, a short pass over the texts, peak RSS; printed as JSON."""
    texts = load_texts()[:CHILD_TEXTS]
    started, cpu_started = time.perf_counter(), time.process_time()
    run = make_natasha() if system == "natasha" else make_sarap()
    init, init_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    started = time.perf_counter()
    for text in texts:
        run(text)
    # CPU seconds as well as wall: on a shared, loaded machine wall time mostly measures the neighbours
    return {"init_s": round(init, 2), "init_cpu_s": round(init_cpu, 2), "peak_rss_mb": round(peak_rss_mb(), 1)}


def measure_child(system: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", system], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_children(repeats: int) -> dict[str, dict]:
    """Alternate fresh child processes; the fastest init is the one least disturbed by other load."""
    runs: dict[str, list[dict]] = {"natasha": [], "sarap": []}
    for _ in range(repeats):
        for name in runs:
            runs[name].append(measure_child(name))
    return {name: {"init_s": min(r["init_s"] for r in rs), "init_cpu_s": min(r["init_cpu_s"] for r in rs),
                   "peak_rss_mb": max(r["peak_rss_mb"] for r in rs)} for name, rs in runs.items()}


def measure_throughput(texts: list[str], rounds: int, warm: bool = False) -> dict:
    """Alternate natasha and sarap passes over ``texts``; total seconds per system and sarap's stages.
    ``warm``: an untimed pass over every text first, so per-word caches hold these texts' words (the steady
    state of a long ingest, where few words are new); otherwise only three texts warm up, and the first timed
    pass meets most words for the first time."""
    stage_seconds: dict[str, float] = defaultdict(float)
    systems = {"natasha": make_natasha(), "sarap": make_sarap(stage_seconds)}
    for run in systems.values():  # warm-up: first calls allocate buffers and fill caches
        for text in texts if warm else texts[:3]:
            run(text)
    stage_seconds.clear()
    seconds = {name: 0.0 for name in systems}
    cpu = {name: 0.0 for name in systems}
    for _ in range(rounds):
        for name, run in systems.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            for text in texts:
                run(text)
            seconds[name] += time.perf_counter() - started
            cpu[name] += time.process_time() - cpu_started
    return {"seconds": seconds, "cpu": cpu, "stages": {k: round(v / rounds, 2) for k, v in stage_seconds.items()}}


def benchmark(rounds: int, limit: int | None = None, warm: bool = False) -> dict:
    texts = load_texts()[:limit]
    chars = sum(len(t) for t in texts)
    children = measure_children(CHILD_REPEATS)
    measured = measure_throughput(texts, rounds, warm)
    report = {"documents": len(texts), "chars": chars, "rounds": rounds, "warm": warm, "systems": {}}
    for name, total in measured["seconds"].items():
        per_pass = total / rounds
        report["systems"][name] = {"docs_per_s": round(len(texts) / per_pass, 2),
                                   "kchars_per_s": round(chars / 1000 / per_pass, 1),
                                   "seconds_per_pass": round(per_pass, 2),
                                   "cpu_seconds_per_pass": round(measured["cpu"][name] / rounds, 2), **children[name]}
    report["ratio"] = round(measured["seconds"]["natasha"] / measured["seconds"]["sarap"], 3)
    report["ratio_cpu"] = round(measured["cpu"]["natasha"] / measured["cpu"]["sarap"], 3)
    report["sarap_stage_seconds_per_pass"] = measured["stages"]
    sarap = report["systems"]["sarap"]
    report["targets"] = TARGETS
    report["meets"] = {"ratio": report["ratio"] >= TARGETS["ratio"],
                       "peak_rss_mb": sarap["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
                       "init_s": sarap["init_s"] <= TARGETS["init_s"]}
    return report


def print_report(report: dict) -> None:
    print(f"{report['documents']} documents, {report['chars']:,} characters, {report['rounds']} alternating rounds"
          + (" after a warm-up pass over all of them" if report.get("warm") else ""))
    rows = [["system", "docs/s", "Kchars/s", "s/pass", "CPU s/pass", "init s", "init CPU s", "peak RSS MB"]]
    for name, s in report["systems"].items():
        rows.append([name, f"{s['docs_per_s']:.1f}", f"{s['kchars_per_s']:.1f}", f"{s['seconds_per_pass']:.2f}",
                     f"{s['cpu_seconds_per_pass']:.2f}", f"{s['init_s']:.2f}", f"{s['init_cpu_s']:.2f}",
                     f"{s['peak_rss_mb']:.0f}"])
    print(format_table(rows))
    print(f"ratio sarap/natasha: {report['ratio']:.2f} wall, {report['ratio_cpu']:.2f} CPU time "
          f"(target ≥ {TARGETS['ratio']})")
    print("sarap stages, s per pass: " + ", ".join(f"{k} {v:.2f}" for k, v in
                                                   report["sarap_stage_seconds_per_pass"].items()))
    print("meets targets: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in report["meets"].items()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="alternating passes per system (default 2)")
    parser.add_argument("--limit", type=int, help="only the first N texts (quick checks)")
    parser.add_argument("--warm", action="store_true",
                        help="an untimed pass over all texts first: the steady state of a long run (warm caches)")
    parser.add_argument("--json", type=Path, nargs="?", const=RESULTS / "throughput.json",
                        help="also write the figures as JSON (default path bench/results/throughput.json)")
    parser.add_argument("--child", choices=["natasha", "sarap"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_child(args.child)))
        return
    report = benchmark(args.rounds, args.limit, args.warm)
    print_report(report)
    if args.json:
        write_json(args.json, report)


if __name__ == "__main__":
    main()
