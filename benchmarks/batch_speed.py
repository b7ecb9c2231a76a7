"""Batch speed and memory, as ratios measured in one run.

Usage (from the repository root)::

    .venv/bin/python benchmarks/batch_speed.py            # 10,000 postings
    .venv/bin/python benchmarks/batch_speed.py --n 2000   # quicker

It writes a JSONL of ``--n`` postings (the dev postings in
``../shared/postings-dev/postings.jsonl``, repeated) into a temporary folder,
then measures, on the same texts:

1. ``spacy.blank("en").pipe`` (tokenising only: the floor any spaCy pipeline pays);
2. ``skillgap batch FILE --out DIR --jobs 1`` end to end, as a subprocess;
3. the same with ``--jobs 2``.

and prints the throughput ratio (2 vs 1, target >= 0.4), the speed-up of
``--jobs 2`` (target >= 1.6 on 2 cores), and the peak memory of each batch
run: the largest single process (``ru_maxrss``) and the sampled sum over the
process tree (parent + workers; shared pages are counted in each, so this
over-estimates), target < 500 MB. The CPU seconds of each run (parent and
workers) show the cost of parallelism itself; the wall-clock speed-up needs
two idle cores. Nothing from the dev postings is written
outside the temporary folder. Machines that run other work at the same time
give noisy figures; ratios taken in one run are the least affected.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from proc_memory import tree_rss_kb

DEV = Path(__file__).resolve().parents[2] / "shared" / "postings-dev" / "postings.jsonl"


def run_batch(source: Path, out: Path, jobs: int) -> dict[str, float]:
    """Run ``skillgap batch`` as a subprocess; wall time and memory."""
    command = [sys.executable, "-m", "analyzer", "batch", str(source), "--out", str(out)]
    peak = 0
    done = threading.Event()
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen([*command, "--jobs", str(jobs)], stderr=stderr)

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_kb(process.pid))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)  # usage covers its workers too
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        if process.returncode not in (0, 3):
            stderr.seek(0)
            raise SystemExit(f"batch failed ({process.returncode}): {stderr.read()[-2000:]!r}")
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "max_process_mb": usage.ru_maxrss / 1024,
        "tree_peak_mb": peak / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="postings (default 10,000)")
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev postings JSONL")
    args = parser.parse_args()
    if not args.dev.exists():
        raise SystemExit(f"{args.dev}: not found (needs ../shared/postings-dev)")
    rows = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if (r.get("description") or "").strip()]
    texts = [rows[i % len(rows)]["description"] for i in range(args.n)]

    with tempfile.TemporaryDirectory(prefix="skillgap-bench-") as tmp:
        source = Path(tmp) / "postings.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for i in range(args.n):
                row = rows[i % len(rows)]
                handle.write(
                    json.dumps({"id": f"{row['id']}-{i}", "title": row.get("title"),
                                "description": texts[i]}) + "\n"
                )  # fmt: skip

        import spacy

        nlp = spacy.blank("en")
        for _doc in nlp.pipe(texts[:200]):
            pass
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        blank = time.perf_counter() - start
        del nlp

        one = run_batch(source, Path(tmp) / "out1", 1)
        two = run_batch(source, Path(tmp) / "out2", 2)
        differ = [
            name
            for name in sorted(os.listdir(Path(tmp) / "out1"))
            if (Path(tmp) / "out1" / name).read_bytes() != (Path(tmp) / "out2" / name).read_bytes()
        ]

    n = args.n
    print(f"postings: {n:,}  cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}")
    print(f"spacy.blank('en').pipe : {blank:7.1f} s  {n / blank:8.0f} postings/s")
    for label, run in (("batch --jobs 1", one), ("batch --jobs 2", two)):
        print(
            f"{label:<23}: {run['seconds']:7.1f} s  {n / run['seconds']:8.0f} postings/s  "
            f"cpu {run['cpu_seconds']:.1f} s  "
            f"peak {run['max_process_mb']:.0f} MB/process, {run['tree_peak_mb']:.0f} MB tree"
        )
    print(f"throughput --jobs 1 / blank pipe : {blank / one['seconds']:.2f}  (target >= 0.4)")
    print(
        f"speed-up --jobs 2 / --jobs 1     : {one['seconds'] / two['seconds']:.2f}  (target >= 1.6)"
    )
    print(f"extra CPU of --jobs 2            : {two['cpu_seconds'] / one['cpu_seconds'] - 1:+.1%}")
    print(f"identical output for 1 and 2 jobs: {not differ} {' '.join(differ)}")


if __name__ == "__main__":
    main()
