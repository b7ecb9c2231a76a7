"""``skillgap gap`` through click's CliRunner: formats, stdin, folders, options and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from taxonomy_fixtures import write_taxonomy
from test_gap import gap_taxonomy_data, shipped_taxonomy

import analyzer.taxonomy
from analyzer.cli import cli
from analyzer.role_model import load_role_model
from analyzer.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent

POSTING = """ML Engineer <Platform> & Co

Requirements:
- 3+ years of SQL and Docker.
- Experience with MLOps on AWS.

Nice to have: Pinecone and Kubernetes.
"""

PROFILE = """name: Test Candidate
years_experience: 5
current_role: Software Engineer
skills: [SQL, Weaviate]
"""


@pytest.fixture(scope="module")
def tax(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    folder = write_taxonomy(tmp_path_factory.mktemp("cli-taxonomy"), gap_taxonomy_data())
    return load_taxonomy(folder)


@pytest.fixture
def files(tmp_path: Path, tax: Taxonomy, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A posting, a profile and a folder of postings; the CLI sees the small taxonomy."""
    # the shipped role model belongs to the bundled taxonomy: load it (once per process)
    # before the CLI sees the small one, so the test does not depend on test order
    load_role_model()
    monkeypatch.setattr(analyzer.taxonomy, "get_taxonomy", lambda overlays=(), **kw: tax)
    posting = tmp_path / "posting.txt"
    posting.write_text(POSTING, encoding="utf-8")
    profile = tmp_path / "me.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    folder = tmp_path / "postings"
    folder.mkdir()
    (folder / "a.txt").write_text(POSTING, encoding="utf-8")
    (folder / "b.md").write_text(
        "# Data Scientist\n\nRequirements: SQL, Docker and statistics.\n", encoding="utf-8"
    )
    (folder / "notes.csv").write_text("ignored\n", encoding="utf-8")
    return {"posting": posting, "profile": profile, "folder": folder}


def run(*args: str, input: str | None = None) -> object:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_json_output_has_the_documented_fields(files: dict[str, Path]) -> None:
    result = run(
        "gap",
        str(files["posting"]),
        "--profile",
        str(files["profile"]),
        "--format",
        "json",
        "--as-of",
        "2026-11-01",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scope"] == "posting"
    assert data["as_of"] == "2026-11-01"
    assert [i["id"] for i in data["matched"]] == ["sql"]
    assert [(i["id"], i["via"]) for i in data["transferable"]] == [("pinecone", ["weaviate"])]
    assert [(i["id"], i["requirement"], i["weight"]) for i in data["missing"]] == [
        ("aws", "required", 3.0),
        ("docker", "required", 3.0),
        ("mlops", "required", 3.0),
        ("kubernetes", "preferred", 2.0),
    ]
    # sql 3 + pinecone 2 x 0.5 of 3+3+3+3+2+2 = 4 / 16
    assert data["coverage"]["overall"] == 25.0
    assert data["stage"] == {
        "id": "mid",
        "name": "Mid",
        "reason": "5 years of experience (range 3-8)",
    }
    assert data["ecosystem"]["id"] == "aws"
    assert data["certifications"][0]["id"] == "aws_mla"
    assert data["certifications"][0]["reason"].startswith("covers AWS (required), MLOps (required)")
    assert [p["id"] for p in data["projects"]] == ["k8s_serving", "deploy_api"]
    assert [s["id"] for s in data["plan"]] == ["aws_mla", "k8s_serving", "deploy_api"]


def test_text_output(files: dict[str, Path]) -> None:
    result = run("gap", str(files["posting"]), "-p", str(files["profile"]), "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Gap: ML Engineer <Platform> & Co"
    assert "Coverage: 25 / 100" in lines
    assert "  - Overall: 100 x 4 / 16 = 25" in lines
    assert any(
        line.startswith("  - 1. Earn AWS ML Engineer Associate (MLA-C01): covers AWS, MLOps")
        for line in lines
    )


def test_markdown_output(files: dict[str, Path]) -> None:
    result = run("gap", str(files["posting"]), "-p", str(files["profile"]), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Gap: ML Engineer &lt;Platform> & Co\n")
    assert "| Skill | Id | Category | Requirement | Weight | Via |" in result.output
    assert "## Plan (Mid)" in result.output


def test_html_output_is_escaped_and_self_contained(files: dict[str, Path]) -> None:
    result = run("gap", str(files["posting"]), "-p", str(files["profile"]), "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.output
    assert page.startswith("<!DOCTYPE html>")
    assert "<h1>Gap: ML Engineer &lt;Platform&gt; &amp; Co</h1>" in page
    assert "<Platform>" not in page
    assert "<script" not in page
    assert "http://" not in page and "https://" not in page


def test_stdin_and_output_file(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = run(
        "gap",
        "-",
        "-p",
        str(files["profile"]),
        "--format",
        "json",
        "-o",
        str(out),
        input=POSTING,
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert json.loads(out.read_text(encoding="utf-8"))["coverage"]["overall"] == 25.0


def test_folder_is_a_market_gap(files: dict[str, Path]) -> None:
    result = run("gap", str(files["folder"]), "-p", str(files["profile"]), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scope"] == "market"
    assert data["postings"] == 2
    docker = next(i for i in data["missing"] if i["id"] == "docker")
    assert (docker["postings"], docker["share"]) == (2, 1.0)
    assert data["missing"][0]["id"] == "docker"


def test_jsonl_file_is_a_market_gap(files: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "postings.jsonl"
    rows = [{"id": "x1", "title": "ML", "description": POSTING}, {"id": "x2", "text": POSTING}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = run("gap", str(path), "-p", str(files["profile"]), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["postings"] == 2


def test_role_filter_and_unknown_role(files: dict[str, Path]) -> None:
    result = run(
        "gap",
        str(files["folder"]),
        "-p",
        str(files["profile"]),
        "--role",
        "ai_engineer",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["postings"] == 0
    assert data["notes"] == ["0 of 2 postings are predicted ai_engineer"]
    bad = CliRunner().invoke(
        cli, ["gap", str(files["folder"]), "-p", str(files["profile"]), "--role", "wizard"]
    )
    assert bad.exit_code == 2
    assert "unknown role family 'wizard'" in bad.output
    single = CliRunner().invoke(
        cli, ["gap", str(files["posting"]), "-p", str(files["profile"]), "--role", "ai_engineer"]
    )
    assert single.exit_code == 2
    assert "--role filters a folder or .jsonl file of postings" in single.output


def test_as_of_and_no_beta_change_the_recommendation(files: dict[str, Path]) -> None:
    args = ["gap", "-", "-p", str(files["profile"]), "--format", "json"]
    text = "ML Engineer\n\nRequirements: Retrieval-augmented generation and Python.\n"
    beta = json.loads(run(*args, "--as-of", "2026-01-15", input=text).output)
    assert [(c["id"], c["status"]) for c in beta["certifications"]] == [("aws_genai_pro", "beta")]
    active = json.loads(run(*args, "--as-of", "2026-05-01", input=text).output)
    assert [(c["id"], c["status"]) for c in active["certifications"]] == [
        ("aws_genai_pro", "active")
    ]
    none = json.loads(run(*args, "--as-of", "2026-01-15", "--no-beta", input=text).output)
    assert none["certifications"] == []
    assert none["excluded_certifications"] == [
        {
            "id": "aws_genai_pro",
            "name": "AWS GenAI Developer Professional",
            "reason": "in beta (beta exams excluded)",
        }
    ]


def test_invalid_profile_is_one_line_per_problem(files: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: A\nskills: [Pythn]\ncertifications: [NOPE-1]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["gap", str(files["posting"]), "-p", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {bad}: [skills[0]] unknown skill 'Pythn' (did you mean 'Python'?)",
        f"{bad}: [certifications[0]] unknown certification 'NOPE-1' "
        "(use a catalogue id, exam code or name; see `skillgap taxonomy`)",
    ]


def test_missing_posting_and_bad_date(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(cli, ["gap", "nope.txt", "-p", str(files["profile"])])
    assert result.exit_code == 1
    assert "nope.txt" in result.output
    result = CliRunner().invoke(
        cli, ["gap", str(files["posting"]), "-p", str(files["profile"]), "--as-of", "tomorrow"]
    )
    assert result.exit_code == 2


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help(flag: str) -> None:
    result = run("gap", flag)
    assert result.exit_code == 0
    assert "Compare a candidate with POSTINGS" in result.output
    assert "--as-of" in result.output and "--profile" in result.output


# --------------------------------------------------------------------------- shipped data


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_sample_posting_and_profile(fmt: str) -> None:
    shipped_taxonomy()
    result = run(
        "gap",
        str(ROOT / "samples" / "postings" / "ml-engineer-aws.txt"),
        "--profile",
        str(ROOT / "samples" / "profiles" / "mid-level.json"),
        "--format",
        fmt,
        "--as-of",
        "2026-11-01",
    )
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        assert data["ecosystem"]["id"] == "aws"
        assert data["certifications"][0]["ecosystem"] == "aws"
        assert data["held_certifications"][0]["id"] == "azure_dp_100"
        assert data["held_certifications"][0]["status"] == "retired"
        assert 2 <= len(data["projects"]) <= 3
        assert data["plan"][-1]["coverage_after"] > data["coverage"]["overall"]
