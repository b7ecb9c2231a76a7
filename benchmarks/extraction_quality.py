"""Skill-extraction quality on the dev gold: micro precision, recall and F1 over contract ids.

Reads ``../shared/postings-dev`` (postings.jsonl and skills-gold-*.jsonl), rolls the
gold's most specific ids up to their contract parents (as the annotation rules say),
runs :func:`analyzer.analyze_many` over each posting (title + description) and over
the same text lower-cased, and reports micro P/R/F1 overall and per category, plus
the most frequent false positives and false negatives.

Usage::

    .venv/bin/python benchmarks/extraction_quality.py [--dev PATH] [--errors 25] [--detail]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import yaml

from analyzer import analyze_many
from analyzer.reader import Posting
from analyzer.taxonomy import contract_skill_ids, default_taxonomy_dir

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "postings-dev"


def load_dev(dev: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """Postings by id and gold records by id."""
    postings = {}
    with (dev / "postings.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            postings[row["id"]] = row
    gold = {}
    for path in sorted(dev.glob("skills-gold-*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                gold[row["id"]] = row
    return postings, gold


def contract_parents() -> dict[str, str | None]:
    path = ROOT / "analyzer" / "contract" / "skills.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {s["id"]: s.get("parent") for s in data["skills"]}


def roll_up(ids: set[str], parents: dict[str, str | None]) -> set[str]:
    out = set()
    for sid in ids:
        while sid is not None:
            out.add(sid)
            sid = parents.get(sid)
    return out


def posting_text(row: dict) -> str:
    title = (row.get("title") or "").strip()
    desc = row["description"]
    if title and not desc.lstrip().lower().startswith(title.lower()[:40]):
        return f"{title}\n\n{desc}"
    return desc


def score(pairs: list[tuple[set[str], set[str]]], category_of: dict[str, str]) -> dict:
    """Micro P/R/F1 overall and per category, from (gold, predicted) sets."""

    def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }

    out = {}
    for cat in (None, "core", "cloud_mlops", "genai"):
        tp = fp = fn = 0
        for gold, pred in pairs:
            g = {s for s in gold if cat is None or category_of[s] == cat}
            p = {s for s in pred if cat is None or category_of[s] == cat}
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
        out[cat or "all"] = prf(tp, fp, fn)
    return out


def run(dev: Path, *, lowercase: bool) -> tuple[dict, Counter, Counter, list]:
    postings, gold = load_dev(dev)
    parents = contract_parents()
    contract = set(contract_skill_ids())
    data = yaml.safe_load(
        (ROOT / "analyzer" / "contract" / "skills.yaml").read_text(encoding="utf-8")
    )
    category_of = {s["id"]: s["category"] for s in data["skills"]}
    ids = sorted(gold)
    texts = []
    for pid in ids:
        text = posting_text(postings[pid])
        texts.append(Posting(text=text.lower() if lowercase else text, source=pid))
    pairs, fps, fns, detail = [], Counter(), Counter(), []
    for pid, analysis in zip(ids, analyze_many(texts), strict=True):
        g = roll_up(set(gold[pid]["skills"]), parents)
        p = {s.id for s in analysis.skills if s.id in contract}
        pairs.append((g, p))
        for s in p - g:
            fps[s] += 1
            ev = analysis.get(s)
            detail.append(("FP", pid, s, [e.text for e in ev.evidence][:3] if ev else []))
        for s in g - p:
            fns[s] += 1
            detail.append(("FN", pid, s, []))
    return score(pairs, category_of), fps, fns, detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--errors", type=int, default=25, help="how many frequent errors to list")
    parser.add_argument("--detail", action="store_true", help="list every error with its evidence")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if not (args.dev / "postings.jsonl").exists():
        print(f"no dev set at {args.dev}", file=sys.stderr)
        return 2
    report = {"taxonomy": str(default_taxonomy_dir())}
    for name, lower in (("original", False), ("lowercased", True)):
        scores, fps, fns, detail = run(args.dev, lowercase=lower)
        report[name] = {
            "scores": scores,
            "false_positives": fps.most_common(args.errors),
            "false_negatives": fns.most_common(args.errors),
        }
        if args.detail:
            report[name]["detail"] = detail
    if args.format == "json":
        json.dump(report, sys.stdout, indent=2)
        print()
        return 0
    for name in ("original", "lowercased"):
        print(f"== {name} text ==")
        for cat, s in report[name]["scores"].items():
            print(
                f"  {cat:<12} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
                f"  (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"
            )
        print(
            "  frequent false positives:",
            ", ".join(f"{k} {v}" for k, v in report[name]["false_positives"]),
        )
        print(
            "  frequent false negatives:",
            ", ".join(f"{k} {v}" for k, v in report[name]["false_negatives"]),
        )
        if args.detail:
            for kind, pid, sid, ev in report[name]["detail"]:
                print(f"    {kind} {pid} {sid} {ev}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
