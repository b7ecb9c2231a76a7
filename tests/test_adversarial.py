"""An adversarial corpus, generated in code, through ``skillgap analyze``/``batch`` and the API.

Each bad input has one documented outcome (README, "Reliability and security"): analysed,
or refused with a one-line reason naming the file (``analyze``: exit status 1; ``batch``: a row
of ``errors.csv`` and exit status 3). None gives a traceback.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.batch import run_batch
from analyzer.cli import cli
from analyzer.errors import InputError
from analyzer.pipeline import analyze
from analyzer.reader import read_posting

POSTING = (
    "Machine Learning Engineer\n\nRequirements\n- 3+ years of Python and PyTorch\n- Kubernetes\n"
)
WEIRD_NAME = "job 'quoted' \"double\" ñame – ü.txt"


@dataclass(frozen=True)
class Case:
    """One corpus file and its documented outcome."""

    name: str
    data: bytes
    refused: str | None = None  # the reason fragment, or None when it is analysed
    batch_reason: str | None = None  # when batch words it differently from analyze
    skills: tuple[str, ...] = ()  # skills the analysis must find
    title: str | None = None


def _nested_html(depth: int) -> bytes:
    return (
        b"<html><body>" + b"<div><span>" * depth + b"<p>ML Engineer</p><p>Python and SQL</p>"
        + b"</span></div>" * depth + b"</body></html>"
    )  # fmt: skip


SCRIPTED_HTML = b"""<html><head><title>AI Engineer</title><script>var s = "Kubernetes";</script>
<style>.x{content:"Terraform"}</style></head>
<body onload="alert(1)"><h1 onclick="steal()">AI Engineer</h1>
<p>Requirements: <a href="javascript:alert(2)">Python</a> and LangChain.</p>
<img src=x onerror="alert(3)"><noscript>Docker</noscript><iframe src="javascript:alert(4)">
</iframe></body></html>"""

CASES = [
    Case("empty.txt", b"", refused="empty (no text to analyse)"),
    Case("whitespace.txt", " \n\t\r\n\u3000\u00a0 ".encode(), refused="empty (no text"),
    Case("binary.txt", bytes(range(256)) * 8, refused="looks like a binary file (contains NUL"),
    Case(
        "controls-only.txt",
        bytes([1, 2, 3, 4, 5, 6, 27, 14, 15, 16]) * 50,
        refused="looks like a binary file (control characters)",
    ),
    Case(
        "truncated-utf8.txt",
        (POSTING + "café").encode("utf-8")[:-1],
        skills=("python", "pytorch"),
        title="Machine Learning Engineer",
    ),
    Case(
        "mixed-encodings.txt",
        POSTING.encode("utf-8") + "naïve – “quotes”".encode("cp1252"),
        skills=("python", "kubernetes"),
    ),
    Case("utf16.txt", codecs.BOM_UTF16_LE + POSTING.encode("utf-16-le"), skills=("pytorch",)),
    Case("utf16-be.txt", codecs.BOM_UTF16_BE + POSTING.encode("utf-16-be"), skills=("python",)),
    Case(
        "utf16-no-bom.txt",
        POSTING.encode("utf-16-le"),
        refused="looks like a binary file (contains NUL bytes)",
    ),
    Case("nested.html", _nested_html(20_000), skills=("python", "sql"), title="ML Engineer"),
    Case("scripts.html", SCRIPTED_HTML, skills=("python", "langchain"), title="AI Engineer"),
    Case(
        "raw-html.md",
        b"# ML Engineer\n\n<div align='center' onclick='x()'>\n<script>alert(1)</script>\n\n"
        b'**Python** and <b>PyTorch</b>\n</div>\n<a href="javascript:alert(2)">Kubernetes</a>\n',
        skills=("python", "pytorch", "kubernetes"),
    ),
    Case(
        "formulas.txt",
        b'=HYPERLINK("http://evil.example","ML Engineer")\n+cmd|\'/C calc\'!A0\n-1+1\n'
        b"@SUM(A1)\n\t=1+1 Python\nRequirements: =Python, +SQL, @Docker\n",
        skills=("python", "sql"),
        title='=HYPERLINK("http://evil.example","ML Engineer")',
    ),
    Case(
        "controls.txt",
        b"ML Engineer\x1b[31m\x07\nRequirements:\x00"[:-1] + b" Python\x0b PyTorch\x0c SQL\x7f\n",
        skills=("python", "pytorch", "sql"),
        title="ML Engineer [31m",
    ),
    Case(
        "rtl-zero-width.txt",
        "ML Engineer \u202eenohtyP\u202c\nRequirements: \u200fPython\u200e, Py\u200btorch, "
        "\ufeffKubernetes, \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 SQL\n".encode(),
        skills=("python", "kubernetes", "sql"),
    ),
    Case(WEIRD_NAME, POSTING.encode(), skills=("python",), title="Machine Learning Engineer"),
    Case("one-line.txt", b"Python and PyTorch on Kubernetes. " * 62_000, refused="too large"),
]
BY_NAME = {case.name: case for case in CASES}
HUGE = 30 * 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case, plus a 30 MB file and symbolic-link loops (file and folder)."""
    folder = tmp_path_factory.mktemp("adversarial")
    for case in CASES:
        (folder / case.name).write_bytes(case.data)
    with (folder / "huge.txt").open("wb") as handle:
        handle.write(b"Python and SQL. " * (HUGE // 16))
    (folder / "loop-a.txt").symlink_to("loop-b.txt")
    (folder / "loop-b.txt").symlink_to("loop-a.txt")
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)
    return folder


def _analyze(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["analyze", str(path), "--format", "json", *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: fail with it
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_analyze_gives_the_documented_outcome(corpus: Path, case: Case) -> None:
    path = corpus / case.name
    status, output = _analyze(path)
    if case.refused:
        assert status == 1
        assert output.startswith(f"Error: {path}: ")
        assert case.refused in output
        assert output.count("\n") == 1  # one line
        with pytest.raises(InputError, match="^" + str(path).replace("(", r"\(")):
            read_posting(path)
        return
    assert status == 0, output
    data = json.loads(output)
    assert data["source"] == str(path)
    found = {s["id"] for s in data["skills"]}
    assert set(case.skills) <= found, found
    if case.title is not None:
        assert data["title"] == case.title
    posting = read_posting(path)
    assert not any(ord(c) < 32 and c not in "\t\n" for c in posting.text)  # no controls
    for skill in analyze(posting).skills:  # the API agrees: offsets slice the text as read
        for ev in skill.evidence:
            assert posting.text[ev.start : ev.end] == ev.text


def test_scripts_and_handlers_never_reach_the_text(corpus: Path) -> None:
    posting = read_posting(corpus / "scripts.html")
    assert posting.text == "AI Engineer\n\nRequirements: Python and LangChain."
    analysis = analyze(posting)
    assert {"kubernetes", "terraform", "docker"}.isdisjoint(s.id for s in analysis.skills)


def test_markdown_keeps_raw_html_as_text(corpus: Path) -> None:
    posting = read_posting(corpus / "raw-html.md")
    assert posting.format == "markdown"
    assert "<script>alert(1)</script>" in posting.text  # as read; reports escape it


def test_huge_file_is_refused_without_reading_it(corpus: Path) -> None:
    status, output = _analyze(corpus / "huge.txt")
    assert status == 1
    assert f"too large ({HUGE:,} bytes; the limit is 1,000,000 bytes, see --max-bytes)" in output


def test_one_line_of_two_megabytes_analyses_with_a_higher_limit(corpus: Path) -> None:
    path = corpus / "one-line.txt"
    assert path.stat().st_size > 2_000_000
    status, output = _analyze(path, "--max-bytes", "3000000")
    assert status == 0, output
    data = json.loads(output)
    assert {"python", "pytorch", "kubernetes"} <= {s["id"] for s in data["skills"]}


def test_symbolic_link_loop_is_refused(corpus: Path) -> None:
    status, output = _analyze(corpus / "loop-a.txt")
    assert status == 1
    assert output.startswith(f"Error: {corpus / 'loop-a.txt'}: cannot be read")
    status, output = _analyze(corpus / "dangling.txt")
    assert (status, output) == (1, f"Error: {corpus / 'dangling.txt'}: no such file\n")


def test_stdin_binary_and_empty_are_refused() -> None:
    for data, reason in ((b"", "empty"), (b"\x00\x01" * 50, "binary")):
        result = CliRunner().invoke(cli, ["analyze", "-"], input=data)
        assert result.exit_code == 1
        assert result.output.startswith("Error: -: ")
        assert reason in result.output


# --------------------------------------------------------------------------- batch


def _errors(out: Path) -> dict[str, str]:
    with (out / "errors.csv").open(encoding="utf-8", newline="") as handle:
        return {row["source"]: row["reason"] for row in csv.DictReader(handle)}


def _sources(out: Path) -> list[str]:
    with (out / "postings.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line)["source"] for line in handle]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_gives_every_input_its_documented_outcome(
    corpus: Path, tmp_path: Path, jobs: str
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(corpus), "--out", str(out), "--jobs", jobs])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 3, result.output
    errors, analysed = _errors(out), _sources(out)
    expected_errors = {
        str(corpus / c.name): c.batch_reason or c.refused for c in CASES if c.refused
    }
    expected_errors[str(corpus / "huge.txt")] = "too large"
    expected_errors[str(corpus / "loop-a.txt")] = "symbolic link loop"
    expected_errors[str(corpus / "loop-b.txt")] = "symbolic link loop"
    expected_errors[str(corpus / "dangling.txt")] = "broken symbolic link"
    expected_errors[str(corpus / "sub" / "up")] = "symbolic link loop (folder already visited)"
    assert sorted(errors) == sorted(expected_errors)
    for source, fragment in expected_errors.items():
        assert fragment in errors[source], (source, errors[source])
        assert "\n" not in errors[source]
    assert analysed == sorted(str(corpus / c.name) for c in CASES if not c.refused)
    assert f"{len(analysed)} postings analysed, {len(errors)} inputs not analysed" in result.output
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in report.lower()


def test_file_that_disappears_during_a_batch_is_an_error_row(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(6):
        (folder / f"p{k}.txt").write_text(f"ML Engineer {k}\nPython and SQL", encoding="utf-8")
    vanishing = folder / "p4.txt"

    def remove_once(stats: object) -> None:
        if vanishing.exists():
            vanishing.unlink()

    stats, _tables = run_batch(folder, tmp_path / "out", chunk_size=1, on_item=remove_once)
    assert (stats.postings, stats.errors, stats.exit_status) == (5, 1, 3)
    assert list(_errors(tmp_path / "out")) == [str(vanishing)]
    assert _errors(tmp_path / "out")[str(vanishing)].startswith("no such file")
    assert str(vanishing) not in _sources(tmp_path / "out")


def test_folder_that_disappears_mid_walk_is_an_error_row(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "b").mkdir(parents=True)
    (folder / "a.txt").write_text("ML Engineer\nPython", encoding="utf-8")
    (folder / "b" / "c.txt").write_text("ML Engineer\nSQL", encoding="utf-8")

    def remove_folder(stats: object) -> None:
        if (folder / "b").exists():
            (folder / "b" / "c.txt").unlink()
            os.rmdir(folder / "b")

    stats, _tables = run_batch(folder, tmp_path / "out", chunk_size=1, on_item=remove_folder)
    assert stats.postings == 1
    assert stats.postings + stats.errors <= 2  # the vanished folder is an error row or nothing
    assert _sources(tmp_path / "out") == [str(folder / "a.txt")]


def test_gap_over_the_corpus_refuses_with_one_line(corpus: Path) -> None:
    profile = Path(__file__).resolve().parent.parent / "samples" / "profiles" / "mid-level.json"
    result = CliRunner().invoke(cli, ["gap", str(corpus / "binary.txt"), "-p", str(profile)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {corpus / 'binary.txt'}: looks like a binary")
    result = CliRunner().invoke(cli, ["gap", str(corpus / "controls.txt"), "-p", str(profile)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
