"""Extraction speed and memory, as ratios against baselines measured in the same run.

Three measurements (machines here are noisy, so every figure is a ratio):

1. throughput: ``analyze_many`` over the dev postings vs ``spacy.blank("en").pipe``
   over the same texts (target: at least 0.5x), both in one process, the best of five
   alternating rounds each; for information, also ``analyze_many(n_process=2)`` in
   postings per second;
2. cold start: ``skillgap analyze FILE --format json`` in a fresh process vs
   ``python -c "import spacy"`` (target: at most 1.5x), median of several runs; measured
   with the package as found and again with its modules compiled to bytecode, as an
   installed package has them (see :func:`cold_start`);
3. memory: peak RSS while streaming N postings (default 10,000, the dev postings
   repeated) through ``analyze_many`` in a child process, sampled at 10%, 50% and
   100% of the stream (target: under 400 MB and flat).

``--stages`` prints instead where a posting's time goes (milliseconds per posting, best
of five rounds): spaCy's blank tokenizer, ours, the skill matcher, reading the posting
(structure, levels, years, seniority, certifications, unknown terms) and the role family.

Usage::

    .venv/bin/python benchmarks/extraction_speed.py [--dev PATH] [--n 10000] [--runs 5] [--stages]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "postings-dev"
SKILLGAP = Path(sys.executable).with_name("skillgap")


def dev_texts(dev: Path) -> list[str]:
    with (dev / "postings.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [f"{r['title']}\n\n{r['description']}" for r in rows]


def throughput(texts: list[str], rounds: int = 5) -> dict[str, float]:
    import spacy

    from analyzer import analyze_many

    blank = spacy.blank("en")
    list(blank.pipe(texts[:20]))
    list(analyze_many(texts[:20]))  # build and warm the pipeline outside the timing
    base, ours = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _doc in blank.pipe(texts):
            pass
        base.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _a in analyze_many(texts):
            pass
        ours.append(time.perf_counter() - t0)
    b, o = min(base), min(ours)
    t0 = time.perf_counter()
    for _a in analyze_many(texts, n_process=2):
        pass
    two = time.perf_counter() - t0
    return {
        "postings": len(texts),
        "blank_pipe_s": round(b, 3),
        "analyze_many_s": round(o, 3),
        "ratio": round(b / o, 3),
        "postings_per_s": round(len(texts) / o, 1),
        # for information: two worker processes (the target compares one with one)
        "n_process_2_postings_per_s": round(len(texts) / two, 1),
    }


def stages(texts: list[str], rounds: int = 5) -> dict[str, float]:
    """Milliseconds per posting of each stage of ``analyze_many`` (best of ``rounds``)."""
    import spacy

    from analyzer import pipeline

    taxonomy, nlp, certs = pipeline._engine(None)
    matcher = nlp.get_pipe("skillgap_skills")
    blank = spacy.blank("en")

    def best(run) -> float:  # noqa: ANN001 - a thunk
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        return round(min(times) * 1000 / len(texts), 3)

    docs = [nlp(t) for t in texts]

    def read() -> list[dict]:
        return [
            pipeline._read(d, taxonomy, source="-", title=None, certifications=certs, text=t)
            for d, t in zip(docs, texts, strict=True)
        ]

    readings = read()
    size = pipeline.DEFAULT_BATCH_SIZE
    tokenizer = best(lambda: [nlp.make_doc(t) for t in texts])
    return {
        "spacy_blank_tokenizer_ms": best(lambda: [blank.make_doc(t) for t in texts]),
        "our_tokenizer_ms": tokenizer,
        "skill_matcher_ms": round(
            best(lambda: [matcher(nlp.make_doc(t)) for t in texts]) - tokenizer, 3
        ),
        "reading_ms": best(read),
        "role_family_ms": best(
            lambda: [
                pipeline._with_roles(readings[i : i + size]) for i in range(0, len(readings), size)
            ]
        ),
    }


def _time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cold_start(runs: int) -> dict[str, float]:
    """``skillgap analyze`` from a cold start vs ``import spacy``, twice: with the package as
    found, then with its modules compiled to bytecode first, as ``pip install`` leaves an
    installed package (spaCy's own modules come compiled from its wheel). The two differ
    where Python may not write bytecode (``PYTHONDONTWRITEBYTECODE``) and the package is an
    editable install: then every run compiles our sources. The bytecode is written into the
    package's ``__pycache__`` folders, so a later run finds it ("as found" is then compiled
    too); delete those folders to time the sources again."""
    sample = ROOT / "samples" / "postings" / "ml-engineer-aws.txt"
    import_spacy = _time([sys.executable, "-c", "import spacy"], runs)
    command = [str(SKILLGAP), "analyze", str(sample), "--format", "json"]
    as_found = _time(command, runs)
    result = {
        "import_spacy_s": round(import_spacy, 3),
        "analyze_json_s": round(as_found, 3),
        "ratio": round(as_found / import_spacy, 3),
    }
    import analyzer

    package = Path(analyzer.__file__).parent
    if compileall.compile_dir(str(package), quiet=1):
        compiled = _time(command, runs)
        result["analyze_json_bytecode_s"] = round(compiled, 3)
        result["ratio_bytecode"] = round(compiled / import_spacy, 3)
    return result


_CHILD = r"""
import json, resource, sys
from analyzer import analyze_many
texts = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
marks = {max(1, n // 10): "10%", n // 2: "50%", n: "100%"}
def stream():
    for i in range(n):
        yield texts[i % len(texts)]
def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
out = {}
for i, _ in enumerate(analyze_many(stream()), 1):
    if i in marks:
        out[marks[i]] = round(rss_mb(), 1)
out["peak"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(out))
"""


def memory(texts: list[str], n: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(texts, fh)
        path = fh.name
    try:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, path, str(n)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(path)
    result = json.loads(out)
    result["postings"] = n
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--n", type=int, default=10_000, help="postings for the memory run")
    parser.add_argument("--runs", type=int, default=5, help="cold-start runs (median)")
    parser.add_argument(
        "--stages", action="store_true", help="only the time per posting of each stage"
    )
    args = parser.parse_args(argv)
    if not (args.dev / "postings.jsonl").exists():
        print(f"no dev set at {args.dev}", file=sys.stderr)
        return 2
    texts = dev_texts(args.dev)
    if args.stages:
        print(json.dumps(stages(texts), indent=2))
        return 0
    report = {
        "throughput (target ratio >= 0.5)": throughput(texts),
        "cold start (target ratio <= 1.5)": cold_start(args.runs),
        "memory (target peak < 400 MB, flat)": memory(texts, args.n),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
