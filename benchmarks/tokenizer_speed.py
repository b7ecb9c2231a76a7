"""Tokenizer speed: skillgap.tokenizer.v2 vs v1 vs ``spacy.blank("en")``, as ratios.

All three tokenise the dev postings (``title\\n\\ndescription``, as-is and lowercased)
in the same run; each figure is the best of several rounds (machines here are noisy).
v2 remembers how each chunk splits, so its first pass over texts it has never
seen ("cold") is reported on its own, from a freshly built tokenizer.

Usage::

    .venv/bin/python benchmarks/tokenizer_speed.py [--dev PATH] [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import spacy

import analyzer.tokenizer  # noqa: F401  (registers the tokenizers)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "postings-dev"


def dev_texts(dev: Path) -> list[str]:
    with (dev / "postings.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    texts = [f"{r['title']}\n\n{r['description']}" for r in rows]
    return texts + [t.lower() for t in texts]


def tokenizer(name: str | None) -> Callable[[str], object]:
    config = {"nlp": {"tokenizer": {"@tokenizers": name}}} if name else {}
    return spacy.blank("en", config=config).tokenizer


def one_pass(tok: Callable[[str], object], texts: list[str]) -> float:
    t0 = time.perf_counter()
    for text in texts:
        tok(text)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    texts = dev_texts(args.dev)

    cold_v2 = min(one_pass(tokenizer("skillgap.tokenizer.v2"), texts) for _ in range(3))
    cold_v1 = min(one_pass(tokenizer("skillgap.tokenizer.v1"), texts) for _ in range(3))
    toks = {
        "v2": tokenizer("skillgap.tokenizer.v2"),
        "v1": tokenizer("skillgap.tokenizer.v1"),
        "blank": tokenizer(None),
    }
    best = dict.fromkeys(toks, float("inf"))
    for _ in range(args.rounds):
        for name, tok in toks.items():  # interleaved, so load changes hit all three
            best[name] = min(best[name], one_pass(tok, texts))

    per_text = {name: 1000 * seconds / len(texts) for name, seconds in best.items()}
    chars = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} texts, {chars:.0f} chars on average; best of {args.rounds} rounds")
    for name, ms in per_text.items():
        print(f"  {name:<6} {ms:.3f} ms/text")
    print(f"v2 / v1             {best['v2'] / best['v1']:.2f}")
    print(f"v2 / blank('en')    {best['v2'] / best['blank']:.2f}")
    print(f"v1 / blank('en')    {best['v1'] / best['blank']:.2f}")
    print(f"cold v2 / cold v1   {cold_v2 / cold_v1:.2f}  (first pass, fresh tokenizers)")


if __name__ == "__main__":
    main()
