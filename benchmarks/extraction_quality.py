"""Skill-extraction quality on a gold set: micro precision, recall and F1 over contract ids.

Reads ``../shared/postings-dev/postings.jsonl`` and one or more gold files (default: the
dev gold ``skills-gold-*.jsonl`` next to it), rolls the gold's most specific ids up to
their contract parents (as the annotation rules say), runs :func:`analyzer.analyze_many`
over each posting (title + description) and over the same text lower-cased, and reports
micro P/R/F1 overall and per category, plus the most frequent false positives and false
negatives.

The role classifier is irrelevant here: when :func:`analyzer.analyze_many` cannot load
the role model (``ModelError``, e.g. "model directory not found" while it is being
rebuilt, or a taxonomy-version mismatch), the skills come from
:func:`analyzer.pipeline.extract_skill_ids` instead, which gives the same contract ids
without role prediction (``--engine skills`` forces that path; its evidence lists are
empty).

Usage::

    .venv/bin/python benchmarks/extraction_quality.py [--dev PATH] [--gold PATH_OR_GLOB ...]
        [--engine auto|analyze|skills] [--errors 25] [--detail]

``--gold`` may be repeated and may be a glob (quote it), e.g.
``--gold benchmarks/heldout/skills-heldout.jsonl`` or
``--gold '../shared/postings-dev/skills-gold-*.jsonl'``.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from collections import Counter
from pathlib import Path

import yaml

from analyzer import analyze_many
from analyzer.errors import ModelError
from analyzer.reader import Posting
from analyzer.taxonomy import contract_skill_ids, default_taxonomy_dir

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "postings-dev"


def gold_files(dev: Path, patterns: list[str] | None) -> list[Path]:
    """The gold files: each pattern is a path or a glob; default the dev gold parts."""
    if not patterns:
        return sorted(dev.glob("skills-gold-*.jsonl"))
    out: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise FileNotFoundError(f"--gold {pattern}: no file matches")
        for m in matches:
            path = Path(m)
            if not path.is_file():
                raise FileNotFoundError(f"--gold {m}: not a file")
            if path not in out:
                out.append(path)
    return out


def load_dev(
    dev: Path, gold_paths: list[Path] | None = None
) -> tuple[dict[str, dict], dict[str, dict]]:
    """Postings by id and gold records by id (from ``gold_paths``, default the dev gold)."""
    postings = {}
    with (dev / "postings.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            postings[row["id"]] = row
    gold = {}
    for path in gold_paths if gold_paths is not None else gold_files(dev, None):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row = json.loads(line)
                if row["id"] not in postings:
                    raise KeyError(f"{path}: {row['id']} is not in {dev / 'postings.jsonl'}")
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


def predict(
    texts: list[Posting], contract: set[str], engine: str
) -> tuple[list[tuple[set[str], dict[str, list[str]]]], str]:
    """Predicted contract ids (with up to three evidence texts each) per posting.

    Returns the predictions and the engine actually used ("analyze" or "skills").
    """
    if engine in ("auto", "analyze"):
        try:
            out = []
            for analysis in analyze_many(texts):
                found = {s.id: s for s in analysis.skills if s.id in contract}
                out.append(
                    (set(found), {k: [e.text for e in v.evidence][:3] for k, v in found.items()})
                )
            return out, "analyze"
        except ModelError as exc:
            if engine == "analyze":
                raise
            print(
                f"note: role model unavailable ({exc}); scoring with extract_skill_ids",
                file=sys.stderr,
            )
    from analyzer.pipeline import extract_skill_ids

    return [
        ({s for s in found if s in contract}, {})
        for found in extract_skill_ids([t.text for t in texts])
    ], "skills"


def run(
    dev: Path,
    *,
    lowercase: bool,
    gold_paths: list[Path] | None = None,
    engine: str = "auto",
) -> tuple[dict, Counter, Counter, list]:
    postings, gold = load_dev(dev, gold_paths)
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
    predictions, _used = predict(texts, contract, engine)
    pairs, fps, fns, detail = [], Counter(), Counter(), []
    for pid, (p, evidence) in zip(ids, predictions, strict=True):
        g = roll_up(set(gold[pid]["skills"]), parents)
        pairs.append((g, p))
        for s in sorted(p - g):
            fps[s] += 1
            detail.append(("FP", pid, s, evidence.get(s, [])))
        for s in sorted(g - p):
            fns[s] += 1
            detail.append(("FN", pid, s, []))
    return score(pairs, category_of), fps, fns, detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="folder of postings.jsonl")
    parser.add_argument(
        "--gold",
        action="append",
        metavar="PATH",
        help="gold file or glob (repeatable); default: DEV/skills-gold-*.jsonl",
    )
    parser.add_argument(
        "--engine",
        choices=["auto", "analyze", "skills"],
        default="auto",
        help="analyze_many (auto falls back to extract_skill_ids without a role model)",
    )
    parser.add_argument("--errors", type=int, default=25, help="how many frequent errors to list")
    parser.add_argument("--detail", action="store_true", help="list every error with its evidence")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if not (args.dev / "postings.jsonl").exists():
        print(f"no dev set at {args.dev}", file=sys.stderr)
        return 2
    try:
        paths = gold_files(args.dev, args.gold)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not paths:
        print(f"no gold files (looked for {args.dev}/skills-gold-*.jsonl)", file=sys.stderr)
        return 2
    report = {"taxonomy": str(default_taxonomy_dir()), "gold": [str(p) for p in paths]}
    for name, lower in (("original", False), ("lowercased", True)):
        try:
            scores, fps, fns, detail = run(
                args.dev, lowercase=lower, gold_paths=paths, engine=args.engine
            )
        except KeyError as exc:
            print(exc.args[0], file=sys.stderr)
            return 2
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
