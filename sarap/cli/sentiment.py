"""`sarap sentiment FILE [--out PRED]`: tone toward the marked entity of each RuSentNE-format row."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from . import UsageError


def register(subparsers) -> None:
    p = subparsers.add_parser("sentiment", help="label the tone toward a marked entity in each row of a "
                              "RuSentNE-format file (-1/0/1)")
    p.add_argument("path", help="tab-separated file with sentence, entity, entity_tag, entity_pos_start_rel, "
                   "entity_pos_end_rel (a label column is ignored for prediction and used for scoring)")
    p.add_argument("--out", help="write the labelled rows here (default: standard output)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..sentiment import read_rows, score_labels, shared_model, target_from_row

    path = Path(args.path)
    if not path.is_file():
        raise UsageError(f"no such file: {args.path}")
    try:
        rows = read_rows(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(str(exc)) from None
    targets = []
    for number, row in enumerate(rows, 2):  # file line numbers: the header is line 1
        try:
            targets.append(target_from_row(row))
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}, line {number}: {exc}") from None
    predicted = [p.label for p in shared_model().predict(targets)]
    gold = gold_labels(rows)
    write_rows(rows, predicted, args.out)
    if gold is not None:
        scores = score_labels(gold, predicted)
        print(f"rows {len(rows)}  F1_PN {scores['f1_pn']:.3f}  F1_PN0 {scores['f1_pn0']:.3f}",
              file=sys.stdout if args.out else sys.stderr)
    return 0


def gold_labels(rows: list[dict[str, str]]) -> list[int] | None:
    """The input's labels when every row has one in -1/0/1; otherwise there is nothing to score against."""
    values = [(row.get("label") or "").strip() for row in rows]
    if not rows or any(v not in ("-1", "0", "1") for v in values):
        return None
    return [int(v) for v in values]


def write_rows(rows: list[dict[str, str]], labels: list[int], out: str | None) -> None:
    fieldnames = [name for name in (rows[0].keys() if rows else ()) if name != "label"] + ["label"]
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row, label in zip(rows, labels):
            writer.writerow({**row, "label": label})
    finally:
        if out:
            handle.close()
