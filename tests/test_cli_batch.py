"""``skillgap batch`` through click's CliRunner, and the committed example report."""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.batch import EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, OUTPUT_FILES
from analyzer.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples" / "postings"
EXAMPLE = REPO / "reports" / "example"
REGENERATE = "skillgap batch samples/postings --out reports/example"


def run(*args: str):
    return CliRunner().invoke(cli, ["batch", *args], catch_exceptions=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUT_FILES}


@pytest.fixture
def jobs_csv(tmp_path: Path) -> Path:
    path = tmp_path / "jobs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "headline", "body"])
        for i in range(12):
            writer.writerow(
                [
                    f"r{i}",
                    "ML Engineer" if i % 2 else "Data Analyst",
                    ""
                    if i == 7
                    else f"Role {i}\nRequirements: Python, SQL, Docker and MLflow; {i}+ years.",
                ]
            )
    return path


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_has_an_example(flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert "skillgap batch samples/postings --out reports/example" in result.output
    assert "--resume" in result.output and "--jobs" in result.output


def test_folder_run_exits_zero(tmp_path: Path) -> None:
    result = run(str(SAMPLES), "--out", str(tmp_path / "out"))
    assert result.exit_code == EXIT_OK, result.output
    assert "3 postings analysed" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(OUTPUT_FILES)
    assert result.stdout == ""  # nothing on stdout, no progress bar when not a terminal


def test_errors_give_status_three(jobs_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(str(jobs_csv), "--out", str(out), "--text-column", "BODY", "--id-column", "ref")
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "1 inputs not analysed (see errors.csv)" in result.stderr
    with (out / "errors.csv").open(encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["source", "reason"],
            [f"{jobs_csv}#8", "empty (no text to analyse)"],
        ]
    rows = list(csv.DictReader((out / "postings.csv").open(encoding="utf-8")))
    assert [r["posting_id"] for r in rows] == [f"r{i}" for i in range(12) if i != 7]
    assert rows[0]["title"] == "Role 0"  # no title column given or detected: first line


def test_title_column_option(jobs_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(str(jobs_csv), "-o", str(out), "--text-column", "body", "--title-column", "headline")
    titles = [json.loads(line)["title"] for line in (out / "postings.jsonl").open()]
    assert titles[:2] == ["Data Analyst", "ML Engineer"]


def test_missing_text_column_is_an_error_row(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("ref,notes\nr1,Python and SQL\n", encoding="utf-8")
    result = run(str(tmp_path / "notes.csv"), "--out", str(tmp_path / "out"))
    assert result.exit_code == EXIT_PARTIAL
    assert "no text column" in (tmp_path / "out" / "errors.csv").read_text()


def test_jobs_two_same_files(jobs_csv: Path, tmp_path: Path) -> None:
    args = ["--text-column", "body"]
    run(str(jobs_csv), "--out", str(tmp_path / "one"), *args)
    result = run(str(jobs_csv), "--out", str(tmp_path / "two"), "--jobs", "2", *args)
    assert result.exit_code == EXIT_PARTIAL
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_interrupt_then_resume(
    jobs_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analyzer.cli import batch_cmd

    args = ["--text-column", "body"]
    run(str(jobs_csv), "--out", str(tmp_path / "straight"), *args)

    @contextlib.contextmanager
    def stop_after_four(enabled: bool) -> Iterator:
        def update(stats) -> None:
            if stats.done >= 4:
                raise KeyboardInterrupt

        yield update

    monkeypatch.setattr(batch_cmd, "_progress", stop_after_four)
    out = tmp_path / "out"
    result = run(str(jobs_csv), "--out", str(out), *args)
    assert result.exit_code == EXIT_INTERRUPTED
    assert "--resume" in result.stderr
    assert len((out / "postings.jsonl").read_text().splitlines()) == 4
    monkeypatch.undo()
    result = run(str(jobs_csv), "--out", str(out), "--resume", *args)
    assert result.exit_code == EXIT_PARTIAL
    assert "(4 from the previous run)" in result.stderr
    assert tree(out) == tree(tmp_path / "straight")


def test_empty_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run(str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert result.exit_code == EXIT_OK and "no postings found" in result.stderr


def test_out_must_not_be_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run(str(SAMPLES), "--out", str(tmp_path / "file"))
    assert result.exit_code != 0 and "file" in result.output


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_example_report_is_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``reports/example`` is exactly what the documented command writes today."""
    monkeypatch.chdir(REPO)
    out = tmp_path / "example"
    result = CliRunner().invoke(
        cli, ["batch", "samples/postings", "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == EXIT_OK, result.output
    committed = sorted(p.name for p in EXAMPLE.iterdir())
    assert committed == sorted(OUTPUT_FILES), f"regenerate with: {REGENERATE}"
    stale = [
        name for name in OUTPUT_FILES if (out / name).read_bytes() != (EXAMPLE / name).read_bytes()
    ]
    assert not stale, (
        f"reports/example is stale ({', '.join(stale)}); regenerate with: {REGENERATE}"
    )
