"""``skillgap analyze`` through click's CliRunner: formats, stdin, refusals."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from analyzer.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "postings"
SAMPLE = SAMPLES / "ml-engineer-aws.txt"


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, ["analyze", *args], input=input, catch_exceptions=False)


def schema() -> dict:
    return json.loads(
        resources.files("analyzer").joinpath("contract/analysis.schema.json").read_text()
    )


def test_json_output_validates_and_reads_the_sample() -> None:
    result = run(str(SAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, schema())
    assert data["source"] == str(SAMPLE)
    assert data["title"] == "Senior Machine Learning Engineer, AWS Platform"
    assert data["seniority"] == {"level": "senior", "min_years": 5}
    skills = {s["id"]: s for s in data["skills"]}
    assert skills["python"]["requirement"] == "required"
    assert skills["python"]["years"] == 3
    assert skills["pytorch"]["requirement"] == "preferred"
    assert skills["sagemaker"]["requirement"] == "required"
    # "No Kubernetes administration experience needed" is negated; EKS still implies it
    assert skills["kubernetes"]["evidence"] == []
    assert skills["kubernetes"]["implied_by"] == ["eks"]
    assert data["unknown_terms"] == []
    assert data["ecosystems"]["aws"] >= 5
    assert data["certifications"] == ["aws_mla_c01"]


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir()))
def test_every_sample_validates(sample: str) -> None:
    result = run(str(SAMPLES / sample), "--format", "json")
    assert result.exit_code == 0, result.output
    jsonschema.validate(json.loads(result.output), schema())


def test_text_format_groups_by_category() -> None:
    result = run(str(SAMPLE))
    assert result.exit_code == 0
    for heading in ("Core", "Cloud / MLOps", "Generative AI", "Role family", "Seniority"):
        assert heading in result.output
    assert "SageMaker Pipelines" in result.output


def test_markdown_format() -> None:
    result = run(str(SAMPLE), "--format", "markdown")
    assert result.output.startswith("# Senior Machine Learning Engineer, AWS Platform\n")
    assert "| Skill | Requirement | Years | Evidence |" in result.output


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_html_format_escapes_posting_text(tmp_path: Path) -> None:
    evil = tmp_path / "evil.txt"
    evil.write_text(
        "ML Engineer <script>alert(1)</script>\n\n"
        'Requirements: Python, <img src=x onerror="alert(2)"> SQL',
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    result = run(str(evil), "--format", "html", "--output", str(out))
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert not [name for name, _ in parser.attrs if name.startswith("on")]
    assert "&lt;script&gt;" in page or "&lt; script &gt;" in page
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")


def test_stdin_is_read_with_dash() -> None:
    result = run("-", "--format", "json", input="Data Scientist\n\nPython, SQL and A/B testing.")
    data = json.loads(result.output)
    assert data["source"] == "-"
    assert {"python", "sql", "experimentation"} <= {s["id"] for s in data["skills"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty (no text to analyse)"),
        (b"\x00\x01\x02binary", "looks like a binary file"),
    ],
)
def test_refusals_are_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["analyze", str(path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: {message}" + result.output.split(message, 1)[1]
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_oversize_refusal_and_limit_option(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Python " * 100, encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(path), "--max-bytes", "100"])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {path}: too large (700 bytes; the limit is 100 bytes, see --max-bytes)\n"
    )


def test_missing_file() -> None:
    result = CliRunner().invoke(cli, ["analyze", "no/such/file.txt"])
    assert result.exit_code == 1
    assert result.output == "Error: no/such/file.txt: no such file\n"


def test_taxonomy_overlay_adds_a_skill(tmp_path: Path) -> None:
    overlay = tmp_path / "extra.yaml"
    overlay.write_text(
        "skills:\n  - {id: acme_flow, name: AcmeFlow, category: cloud_mlops, group: ml_lifecycle,"
        " parent: ml_pipelines}\n",
        encoding="utf-8",
    )
    result = run(
        "-", "--format", "json", "--taxonomy", str(overlay), input="Role\n\nWe use AcmeFlow daily."
    )
    ids = {s["id"] for s in json.loads(result.output)["skills"]}
    assert {"acme_flow", "ml_pipelines"} <= ids
