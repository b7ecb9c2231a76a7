"""Load test: 50,000 postings through ``skillgap batch --jobs 2``, memory sampled over time.

Usage (from the repository root)::

    .venv/bin/python benchmarks/stress.py                 # 50,000 postings, --jobs 2
    .venv/bin/python benchmarks/stress.py --n 5000        # quicker
    .venv/bin/python benchmarks/stress.py --synthetic     # generated postings only

It writes a JSONL of ``--n`` postings into a temporary folder: the dev postings
(``../shared/postings-dev/postings.jsonl``) repeated with fresh ids, or, with
``--synthetic`` or when they are absent, postings generated from a seed. It then
runs ``skillgap batch FILE --out DIR --jobs J --no-progress`` as a subprocess and
samples the resident memory of its process tree (parent + workers, Linux
``/proc``; shared pages count once per process, so this over-estimates) every
``--interval`` seconds. It prints:

- the throughput (postings per second, wall clock) and the exit status;
- the peak tree memory and the largest single process (``ru_maxrss``);
- the tree memory at each tenth of the run, which stays flat when memory is
  bounded (the journals are streamed, nothing grows with the input);
- a completeness check: every posting is in ``postings.jsonl`` or ``errors.csv``
  exactly once, and every line of ``postings.jsonl`` is complete JSON.

Nothing from the dev postings is written outside the temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from proc_memory import tree_rss_kb

DEV = Path(__file__).resolve().parents[2] / "shared" / "postings-dev" / "postings.jsonl"

_SKILLS = (
    "Python", "SQL", "PyTorch", "TensorFlow", "scikit-learn", "Kubernetes", "Docker", "AWS",
    "SageMaker", "Azure ML", "BigQuery", "Vertex AI", "Databricks", "Spark", "Airflow", "MLflow",
    "LangChain", "RAG", "vector databases", "Pinecone", "LLMs", "fine-tuning", "LoRA", "Terraform",
    "CI/CD", "Tableau", "Power BI", "statistics", "A/B testing", "deep learning", "NLP",
)  # fmt: skip
_TITLES = (
    "Machine Learning Engineer", "Senior Data Scientist", "AI Engineer", "MLOps Engineer",
    "Data Analyst", "Research Scientist, LLMs", "Staff ML Platform Engineer",
)  # fmt: skip


def synthetic_posting(rng: random.Random, number: int) -> dict[str, str]:
    """One generated posting (title, requirements, nice-to-haves, benefits)."""
    title = rng.choice(_TITLES)
    required = ", ".join(rng.sample(_SKILLS, 5))
    preferred = ", ".join(rng.sample(_SKILLS, 3))
    text = (
        f"{title}\n\nAbout the role\nYou will build and ship models for team {number}.\n\n"
        f"Requirements\n- {rng.randint(1, 8)}+ years of experience with {required}\n"
        f"- Experience deploying models to production\n\nNice to have\n- {preferred}\n\n"
        "Benefits\n- Health insurance and a learning budget\n"
    )
    return {"id": f"syn-{number}", "title": title, "description": text}


def write_postings(path: Path, n: int, *, synthetic: bool, seed: int = 7) -> str:
    """Write ``n`` postings as JSONL; return where they came from."""
    base: list[dict[str, object]] = []
    if not synthetic and DEV.exists():
        with DEV.open(encoding="utf-8") as handle:
            base = [json.loads(line) for line in handle if line.strip()]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            if base:
                record = dict(base[i % len(base)])
                record["id"] = f"{record.get('id')}-{i}"
            else:
                record = synthetic_posting(rng, i)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return f"dev postings ({len(base)}) repeated" if base else "synthetic postings"


def check_output(out: Path, n: int) -> dict[str, int]:
    """Every posting exactly once (postings.jsonl or errors.csv), no torn line."""
    sources: list[str] = []
    torn = 0
    with (out / "postings.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            try:
                sources.append(json.loads(line)["source"])
            except (json.JSONDecodeError, KeyError):
                torn += 1
    with (out / "errors.csv").open(encoding="utf-8", newline="") as handle:
        errors = [row[0] for row in list(csv.reader(handle))[1:]]
    every = sources + errors
    return {
        "analysed": len(sources),
        "errors": len(errors),
        "duplicates": len(every) - len(set(every)),
        "missing": n - len(set(every)),
        "torn_lines": torn,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50_000, help="postings (default 50,000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--interval", type=float, default=0.5, help="memory sampling period (s)")
    parser.add_argument("--synthetic", action="store_true", help="generated postings only")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="skillgap-stress-") as tmp:
        source, out = Path(tmp) / "postings.jsonl", Path(tmp) / "out"
        origin = write_postings(source, args.n, synthetic=args.synthetic)
        command = [sys.executable, "-m", "analyzer", "batch", str(source), "--out", str(out)]
        command += ["--jobs", str(args.jobs), "--no-progress"]
        samples: list[tuple[float, int]] = []
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append((time.perf_counter() - start, tree_rss_kb(process.pid)))
                stop.wait(args.interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, stderr = process.communicate()
        elapsed = time.perf_counter() - start
        stop.set()
        sampler.join()
        largest_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        checked = check_output(out, args.n) if (out / "postings.jsonl").exists() else {}

    live = [kb for _t, kb in samples if kb]
    tenths = []
    for k in range(1, 11):
        window = [kb for t, kb in samples if (k - 1) * elapsed / 10 <= t < k * elapsed / 10 and kb]
        tenths.append(round(max(window) / 1024) if window else None)
    figures = {
        "postings": args.n,
        "origin": origin,
        "jobs": args.jobs,
        "exit_status": process.returncode,
        "seconds": round(elapsed, 1),
        "postings_per_second": round(args.n / elapsed, 1),
        "peak_tree_mb": round(max(live) / 1024) if live else None,
        "largest_process_mb": round(largest_kb / 1024),
        "tree_mb_by_tenth": tenths,
        "samples": len(samples),
        **checked,
    }
    print(f"{args.n:,} postings ({origin}), --jobs {args.jobs}: exit {process.returncode}")
    print(f"  {elapsed:.1f} s, {figures['postings_per_second']} postings/s")
    print(
        f"  peak memory: process tree {figures['peak_tree_mb']} MB, "
        f"largest process {figures['largest_process_mb']} MB"
    )
    print(f"  tree memory (MB) at each tenth of the run: {tenths}")
    if checked:
        print(
            f"  {checked['analysed']:,} analysed, {checked['errors']} errors, "
            f"{checked['duplicates']} duplicates, {checked['missing']} missing, "
            f"{checked['torn_lines']} torn lines"
        )
    if process.returncode not in (0, 3):
        print(stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    ok = process.returncode in (0, 3) and checked.get("missing") == 0
    ok = ok and not checked.get("duplicates") and not checked.get("torn_lines")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
