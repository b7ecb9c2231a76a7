"""Nothing lost: real ``skillgap batch`` processes killed at a random moment, then resumed.

Each test runs ``python -m analyzer batch`` as a subprocess (its own process group, so the
workers of ``--jobs 2`` die with it) on a generated folder of 200 small postings and two bad
files, kills it with SIGINT or SIGKILL once a random number of postings is written, resumes
with ``--resume`` and checks that every input is in ``postings.jsonl`` or ``errors.csv``
exactly once, that no line is torn, and that the files equal an uninterrupted run's.
A second run into the same ``--out`` while one is going stops with status 1.
"""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.batch import LOCK_FILE, OUTPUT_FILES, run_batch
from analyzer.cli import cli

pytestmark = pytest.mark.slow

N_POSTINGS = 200
SEED = int(os.environ.get("SKILLGAP_KILL_SEED", "20261124"))
SKILLS = ["Python", "SQL", "PyTorch", "Kubernetes", "AWS", "Docker", "Spark", "RAG", "MLflow"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kill") / "postings"
    root.mkdir()
    rng = random.Random(SEED)
    for k in range(N_POSTINGS):
        skills = ", ".join(rng.sample(SKILLS, 3))
        text = f"ML Engineer {k}\nRequirements: {rng.randint(1, 6)}+ years of {skills}.\n"
        (root / f"p{k:03d}.txt").write_text(text, encoding="utf-8")
    (root / "bad-empty.txt").write_bytes(b"")
    (root / "bad-binary.txt").write_bytes(b"\x00\x01\x02" * 40)
    return root


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of one uninterrupted run (in-process)."""
    out = tmp_path_factory.mktemp("reference") / "out"
    stats, _tables = run_batch(str(folder), out)
    assert (stats.postings, stats.errors) == (N_POSTINGS, 2)
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES}


def _command(folder: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "analyzer", "batch", str(folder), "--out", str(out)] + [
        "--jobs",
        str(jobs),
        "--no-progress",
        *extra,
    ]


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _start(folder: Path, out: Path, jobs: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        _command(folder, out, jobs),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the workers are killed with it
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def _wait_for_lines(process: subprocess.Popen[bytes], journal: Path, count: int) -> None:
    deadline = time.monotonic() + 60
    while _lines(journal) < count:
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "no progress within 60 s"
        time.sleep(0.005)


def check_complete(out: Path, folder: Path) -> None:
    """Every input exactly once, in postings.jsonl or errors.csv; no torn line."""
    raw = (out / "postings.jsonl").read_bytes()
    assert raw.endswith(b"\n")
    sources = [json.loads(line)["source"] for line in raw.decode("utf-8").splitlines()]
    with (out / "errors.csv").open(encoding="utf-8", newline="") as handle:
        errors = [row["source"] for row in csv.DictReader(handle)]
    everything = sources + errors
    assert len(everything) == len(set(everything)), "an input was written twice"
    expected = {str(p) for p in folder.iterdir()}
    assert set(everything) == expected
    assert sorted(errors) == [str(folder / "bad-binary.txt"), str(folder / "bad-empty.txt")]


def test_the_completeness_check_can_fail(tmp_path: Path, folder: Path, reference) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in reference.items():
        (out / name).write_bytes(data)
    check_complete(out, folder)
    lines = reference["postings.jsonl"].splitlines(keepends=True)
    (out / "postings.jsonl").write_bytes(b"".join(lines + lines[:1]))
    with pytest.raises(AssertionError, match="twice"):
        check_complete(out, folder)
    (out / "postings.jsonl").write_bytes(b"".join(lines[1:]))
    with pytest.raises(AssertionError):
        check_complete(out, folder)


@pytest.mark.parametrize(
    ("signum", "jobs", "torn"),
    [
        (signal.SIGINT, 1, False),
        (signal.SIGKILL, 1, True),
        (signal.SIGKILL, 2, False),
        (signal.SIGINT, 2, False),
    ],
    ids=["sigint-jobs1", "sigkill-jobs1-torn", "sigkill-jobs2", "sigint-jobs2"],
)
def test_killed_then_resumed_loses_nothing(
    folder: Path,
    reference: dict[str, bytes],
    tmp_path: Path,
    signum: signal.Signals,
    jobs: int,
    torn: bool,
) -> None:
    rng = random.Random(f"{SEED}-{signum}-{jobs}")
    at = rng.randint(1, N_POSTINGS - 40)
    out = tmp_path / "out"
    process = _start(folder, out, jobs)
    try:
        _wait_for_lines(process, out / "postings.jsonl", at)
        os.killpg(process.pid, signum)
        _stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if signum == signal.SIGINT:
        assert process.returncode == 130, stderr.decode()
        assert b"run the same command with --resume" in stderr
        assert b"Traceback" not in stderr
        assert (out / "postings.jsonl").read_bytes().endswith(b"\n")
    else:
        assert process.returncode == -signal.SIGKILL
    written = _lines(out / "postings.jsonl")
    assert at <= written < N_POSTINGS, f"killed after {written} postings (seed {SEED})"
    if torn:  # a write cut by the crash
        with (out / "postings.jsonl").open("ab") as handle:
            handle.write(b'{"schema_version":"1","source":"' + str(folder).encode() + b"/p1")
    resumed = subprocess.run(
        _command(folder, out, jobs, "--resume"), capture_output=True, timeout=120, check=False
    )
    assert resumed.returncode == 3, resumed.stderr.decode()  # the two bad files
    assert b"from the previous run" in resumed.stderr
    check_complete(out, folder)
    for name, data in reference.items():
        assert (out / name).read_bytes() == data, name
    assert not (out / LOCK_FILE).exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


def test_concurrent_run_into_the_same_out_is_refused(
    folder: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _start(folder, out, 1)
    try:
        _wait_for_lines(first, out / "postings.jsonl", 5)
        second = CliRunner().invoke(cli, ["batch", str(folder), "--out", str(out)])
        resumed = CliRunner().invoke(cli, ["batch", str(folder), "--out", str(out), "--resume"])
        _stdout, stderr = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    for other in (second, resumed):
        assert other.exit_code == 1
        assert "another skillgap batch is writing here" in other.output
        assert other.exception is None or isinstance(other.exception, SystemExit)
    assert first.returncode == 3, stderr.decode()
    check_complete(out, folder)
    for name, data in reference.items():
        assert (out / name).read_bytes() == data, name
