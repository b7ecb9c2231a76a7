"""``skillgap taxonomy`` list/show/search/validate on the small test taxonomy, every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from taxonomy_fixtures import taxonomy_data, write_taxonomy, write_yaml

import analyzer.taxonomy as taxonomy_module
from analyzer.cli import cli

COUNTS = "81 skills, 116 spellings, 17 groups, 7 roles, 3 certifications, 2 projects, 3 stages"


@pytest.fixture()
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The test taxonomy stands in for the bundled one (the load cache is cleared around)."""
    directory = write_taxonomy(tmp_path / "bundled")
    monkeypatch.setattr(taxonomy_module, "default_taxonomy_dir", lambda: directory)
    taxonomy_module._cached.cache_clear()
    yield directory
    taxonomy_module._cached.cache_clear()


@pytest.fixture()
def polars_overlay(tmp_path: Path) -> Path:
    """An overlay adding ``polars`` and the alias ``kube``."""
    return write_yaml(
        tmp_path / "extra.yaml",
        {
            "skills": [
                {
                    "id": "polars",
                    "name": "Polars",
                    "category": "core",
                    "group": "data",
                    "aliases": ["pola-rs"],
                }
            ],
            "extend": {"kubernetes": {"aliases": ["kube"]}},
        },
    )


def run(*args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["taxonomy", *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


# --------------------------------------------------------------------------- list


def test_list_skills_json(bundled: Path) -> None:
    rows = json.loads(run("list", "--kind", "skills", "--format", "json").stdout)
    assert len(rows) == 81
    assert rows[0] == {
        "id": "python",
        "name": "Python",
        "category": "core",
        "group": "programming",
        "parent": None,
        "implies": [],
        "aliases": [],
        "ambiguous": [],
        "description": None,
    }
    by_id = {row["id"]: row for row in rows}
    assert by_id["kubernetes"]["aliases"] == ["k8s", "EKS"]
    assert by_id["r"]["ambiguous"] == ["R"]
    assert by_id["pyspark"]["parent"] == "spark"
    assert by_id["pyspark"]["implies"] == ["python"]


def test_list_skills_json_by_category(bundled: Path) -> None:
    rows = json.loads(run("list", "--category", "genai", "--format", "json").stdout)
    assert [row["id"] for row in rows] == [
        "llms",
        "prompt_engineering",
        "llm_apis",
        "llm_frameworks",
        "llm_evaluation",
        "rag",
        "chunking",
        "embeddings",
        "vector_search",
        "vector_database",
        "agents",
        "tool_calling",
        "guardrails",
        "fine_tuning",
        "latency_cost_tuning",
        "llm_observability",
        "qlora",
    ]


def test_list_skills_csv(bundled: Path) -> None:
    lines = run("list", "--format", "csv").stdout.splitlines()
    assert len(lines) == 82
    assert lines[0] == "id,name,category,group,parent,implies,aliases,ambiguous,description"
    assert lines[1] == "python,Python,core,programming,,,,,"
    assert "kubernetes,Kubernetes,cloud_mlops,containers_iac,,,k8s; EKS,," in lines
    assert "pyspark,PySpark,core,data,spark,python,,," in lines
    assert "r,R,core,programming,,,,R," in lines


def test_list_skills_table(bundled: Path) -> None:
    out = run("list", "--category", "cloud_mlops").stdout
    assert out.splitlines()[0].strip() == "21 skills"
    assert "┃ id " in out and "┃ aliases " in out
    for skill_id in ("aws", "sagemaker", "kubernetes", "inference_optimization", "observability"):
        assert f"│ {skill_id} " in out
    assert "python" not in out


def test_csv_cells_are_neutralised(bundled: Path, tmp_path: Path) -> None:
    overlay = write_yaml(
        tmp_path / "evil.yaml",
        {
            "skills": [
                {
                    "id": "evil",
                    "name": '=HYPERLINK("http://x")',
                    "category": "core",
                    "group": "data",
                    "aliases": ["@SUM(A1)"],
                    "description": "-2+3",
                },
                {"id": "plus", "name": "+1", "category": "core", "group": "data"},
            ]
        },
    )
    out = run("list", "--format", "csv", "--taxonomy", str(overlay)).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    evil, plus = rows[-2], rows[-1]
    assert (evil["name"], evil["aliases"], evil["description"]) == (
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'-2+3",
    )
    assert plus["name"] == "'+1"
    assert out.splitlines()[-1] == "plus,'+1,core,data,,,,,"


def test_list_certifications_json_status_as_of(bundled: Path) -> None:
    out = run("list", "--kind", "certifications", "--as-of", "2026-01-01", "--format", "json")
    rows = json.loads(out.stdout)
    assert [(r["id"], r["status"], r["status_label"], r["available"]) for r in rows] == [
        ("aws_ml_specialty", "retiring", "retiring on 2026-03-31", True),
        ("aws_ml_engineer_associate", "active", "active", True),
        ("gcp_genai_leader", "active", "active", True),
    ]
    first = rows[0]
    assert first["as_of"] == "2026-01-01"
    assert first["history"] == [
        {"status": "active", "date": "2019-04-01", "note": None},
        {"status": "retired", "date": "2026-03-31", "note": None},
    ]
    assert first["covers"] == ["sagemaker", "machine_learning"]
    assert first["successors"] == ["aws_ml_engineer_associate"]
    assert first["code"] == "MLS-C01"
    later = json.loads(
        run("list", "--kind", "certifications", "--as-of", "2026-04-01", "--format", "json").stdout
    )
    assert [r["status_label"] for r in later][0] == "retired on 2026-03-31"


def test_list_certifications_csv(bundled: Path) -> None:
    out = run(
        "list",
        "--kind",
        "certifications",
        "--as-of",
        "2024-09-01",
        "--category",
        "genai",
        "--format",
        "csv",
    ).stdout
    assert out == (
        "id,name,code,provider,ecosystem,level,kind,history,successors,cost_usd,validity_years,"
        "career_stages,role_families,covers,prerequisites,unverified,sources,aliases,status,"
        "status_label,available,as_of\n"
        "gcp_genai_leader,Google Cloud Generative AI Leader,,Google Cloud,gcp,foundational,exam,"
        '"[{""status"":""active"",""date"":""2025-05-14"",""note"":null}]",,,,early; leadership,'
        "ai_engineer,llms; gcp,,,,,announced,announced (opens 2025-05-14),false,2024-09-01\n"
    )


def test_list_certifications_table(bundled: Path) -> None:
    out = run("list", "--kind", "certifications", "--as-of", "2024-09-01").stdout
    assert out.splitlines()[0].strip() == "3 certifications"
    assert "┃ status " in out
    assert "│ aws_ml_engineer_associate │ MLA-C01 │" in out
    assert "│ beta " in out


@pytest.mark.parametrize(
    ("category", "ids"),
    [
        (None, ["rag_assistant", "churn_model"]),
        ("genai", ["rag_assistant"]),
        ("cloud_mlops", ["churn_model"]),
    ],
)
def test_list_projects_json(bundled: Path, category: str | None, ids: list[str]) -> None:
    args = ["list", "--kind", "projects", "--format", "json"]
    if category:
        args += ["--category", category]
    rows = json.loads(run(*args).stdout)
    assert [r["id"] for r in rows] == ids
    assert rows[0]["effort_days"] == (10 if ids[0] == "rag_assistant" else 5)


def test_list_roles_and_paths(bundled: Path) -> None:
    roles = json.loads(run("list", "--kind", "roles", "--format", "json").stdout)
    assert [r["id"] for r in roles] == [
        "machine_learning_engineer",
        "ai_engineer",
        "data_scientist",
        "mlops_engineer",
        "ml_researcher",
        "data_analyst",
        "other",
    ]
    assert roles[0]["emphasis"] == {"python": 1.0, "model_deployment": 0.8}
    genai_roles = json.loads(
        run("list", "--kind", "roles", "--category", "cloud_mlops", "--format", "json").stdout
    )
    assert [r["id"] for r in genai_roles] == ["machine_learning_engineer"]
    stages = json.loads(run("list", "--kind", "paths", "--format", "json").stdout)
    assert [s["id"] for s in stages] == ["early", "mid", "leadership"]
    assert stages[0]["infer"] == {"min_years": 0.0, "max_years": 3.0, "role_keywords": []}
    lines = run("list", "--kind", "paths", "--format", "csv").stdout.splitlines()
    assert lines[0] == (
        "id,name,summary,priorities,certification_levels,projects_min,projects_max,infer"
    )
    assert lines[1] == (
        "early,Early,the early career stage,build projects,foundational; associate,2,3,"
        '"{""min_years"":0.0,""max_years"":3.0,""role_keywords"":[]}"'
    )


def test_list_paths_refuses_category(bundled: Path) -> None:
    result = run("list", "--kind", "paths", "--category", "genai", code=2)
    assert "a category filter does not apply to career stages (paths)" in result.stderr


def test_list_to_file(bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "skills.json"
    result = run("list", "--format", "json", "-o", str(target))
    assert result.stdout == ""
    assert len(json.loads(target.read_text("utf-8"))) == 81


def test_list_rejects_a_bad_date(bundled: Path) -> None:
    result = run("list", "--kind", "certifications", "--as-of", "01/02/2026", code=2)
    assert "Invalid value for '--as-of'" in result.stderr


# --------------------------------------------------------------------------- show


def test_show_skill_text(bundled: Path) -> None:
    assert yaml.safe_load(run("show", "qlora").stdout) == {
        "type": "skill",
        "id": "qlora",
        "name": "QLoRA",
        "category": "genai",
        "group": "llm_ops",
        "parent": "fine_tuning",
        "implies": [],
        "aliases": ["qlora adapters"],
        "ambiguous": [],
        "description": None,
        "plurals": True,
        "contract_id": "fine_tuning",
        "ancestors": ["fine_tuning", "llms"],
        "children": [],
        "certifications": [],
        "projects": [],
        "roles": {},
    }


def test_show_skill_json_relations(bundled: Path) -> None:
    [detail] = json.loads(run("show", "sagemaker", "--format", "json").stdout)
    assert detail["ancestors"] == ["aws"]
    assert detail["certifications"] == [
        {"id": "aws_ml_specialty", "name": "AWS Certified Machine Learning - Specialty"},
        {
            "id": "aws_ml_engineer_associate",
            "name": "AWS Certified Machine Learning Engineer - Associate",
        },
    ]
    assert detail["projects"] == [
        {"id": "churn_model", "title": "Churn model with an experiment report"}
    ]
    [python] = json.loads(run("show", "python", "--format", "json").stdout)
    assert python["roles"] == {"machine_learning_engineer": 1.0}
    assert python["children"] == []
    [llms] = json.loads(run("show", "llms", "--format", "json").stdout)
    assert llms["children"] == [
        "agents",
        "fine_tuning",
        "guardrails",
        "latency_cost_tuning",
        "llm_apis",
        "llm_evaluation",
        "llm_frameworks",
        "llm_observability",
        "prompt_engineering",
        "rag",
    ]


def test_show_skill_by_alias(bundled: Path) -> None:
    [detail] = json.loads(run("show", "k8s", "--format", "json").stdout)
    assert (detail["type"], detail["id"]) == ("skill", "kubernetes")


def test_show_certification_by_code(bundled: Path) -> None:
    out = run("show", "MLS-C01", "--as-of", "2026-01-01", "--format", "json").stdout
    [detail] = json.loads(out)
    assert (detail["type"], detail["id"], detail["kind"]) == (
        "certification",
        "aws_ml_specialty",
        "exam",
    )
    assert (detail["status"], detail["status_label"]) == ("retiring", "retiring on 2026-03-31")
    assert detail["successors"] == [
        {
            "id": "aws_ml_engineer_associate",
            "name": "AWS Certified Machine Learning Engineer - Associate",
            "status_label": "active",
        }
    ]
    assert detail["predecessors"] == []
    [successor] = json.loads(
        run("show", "aws_ml_engineer_associate", "--as-of", "2024-09-01", "--format", "json").stdout
    )
    assert successor["status_label"] == "beta"
    assert successor["predecessors"] == ["aws_ml_specialty"]


def test_show_certification_text_status_today(bundled: Path) -> None:
    detail = yaml.safe_load(run("show", "aws_ml_specialty").stdout)
    today = dt.date.today()
    expected = "retiring" if today < dt.date(2026, 3, 31) else "retired"
    assert (detail["type"], detail["as_of"], detail["status"]) == (
        "certification",
        today.isoformat(),
        expected,
    )


@pytest.mark.parametrize(
    ("ident", "kind", "extra"),
    [
        (
            "machine_learning_engineer",
            "role",
            (
                "certifications",
                [
                    {
                        "id": "aws_ml_specialty",
                        "name": "AWS Certified Machine Learning - Specialty",
                    },
                    {
                        "id": "aws_ml_engineer_associate",
                        "name": "AWS Certified Machine Learning Engineer - Associate",
                    },
                ],
            ),
        ),
        (
            "ai_engineer",
            "role",
            (
                "projects",
                [
                    {
                        "id": "rag_assistant",
                        "title": "Document assistant with retrieval-augmented generation",
                    },
                ],
            ),
        ),
        ("rag_assistant", "project", ("effort_days", 10)),
        ("mid", "stage", ("certification_levels", ["associate", "professional"])),
    ],
)
def test_show_other_kinds(bundled: Path, ident: str, kind: str, extra: tuple[str, Any]) -> None:
    [detail] = json.loads(run("show", ident, "--format", "json").stdout)
    assert (detail["type"], detail["id"]) == (kind, ident)
    assert detail[extra[0]] == extra[1]


def test_show_unknown_id(bundled: Path) -> None:
    result = run("show", "pytorhc", code=1)
    assert result.stdout == ""
    assert result.stderr == (
        "Error: no skill, role, certification, project or career stage is called 'pytorhc'; "
        "try: skillgap taxonomy search pytorhc\n"
    )


def test_show_with_overlay_and_env(
    bundled: Path, polars_overlay: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [detail] = json.loads(
        run("show", "polars", "--format", "json", "--taxonomy", str(polars_overlay)).stdout
    )
    assert detail["aliases"] == ["pola-rs"]
    run("show", "polars", code=1)
    monkeypatch.setenv("SKILLGAP_TAXONOMY", str(polars_overlay))
    assert yaml.safe_load(run("show", "kube").stdout)["id"] == "kubernetes"


# --------------------------------------------------------------------------- search


def test_search_exact(bundled: Path) -> None:
    assert run("search", "K8S").stdout == (
        "'K8S' -> kubernetes (Kubernetes)\nexact match on the alias 'k8s' (normalised: 'k8s')\n"
    )
    assert run("search", "fine", "tuning").stdout == (
        "'fine tuning' -> fine_tuning (LLM fine-tuning)\n"
        "exact match on the alias 'fine-tuning' (normalised: 'fine tuning')\n"
    )
    assert run("search", "Scikit-Learn").stdout.splitlines()[1] == (
        "exact match on the name 'scikit-learn' (normalised: 'scikit learn')"
    )
    assert run("search", "ci_cd").stdout.splitlines()[1] == (
        "exact match on the name 'CI/CD' (normalised: 'ci cd')"
    )
    assert run("search", "feature_store").stdout.splitlines()[1] == (
        "exact match on the name 'Feature store' (normalised: 'feature store')"
    )
    assert run("search", "julia").stdout.splitlines()[1] == (
        "exact match on the name 'Julia' (normalised: 'julia')"
    )
    assert run("search", "LLMS").stdout == (
        "'LLMS' -> llms (Large language models)\n"
        "exact match on the id 'llms' (normalised: 'llms')\n"
        "note: postings are matched on names and aliases, not on ids\n"
    )


def test_search_ambiguous(bundled: Path) -> None:
    assert run("search", "R").stdout == (
        "'R' -> r (R)\n"
        "ambiguous alias 'R': it counts only when its rule holds\n"
        "why: a single letter; also R&D and list markers\n"
        "  case_sensitive: true\n"
        "  window: 8\n"
        "  context_any: python, statistics, sql\n"
        "  not_next: &\n"
    )


def test_search_ambiguous_json(bundled: Path) -> None:
    assert json.loads(run("search", "r", "--format", "json").stdout) == {
        "query": "r",
        "key": "r",
        "match": "ambiguous",
        "hits": [
            {
                "skill_id": "r",
                "name": "R",
                "spelling": "R",
                "matched": "ambiguous alias",
                "score": 1.0,
                "rule": {
                    "text": "R",
                    "case_sensitive": True,
                    "context_any": ["python", "statistics", "sql"],
                    "context_none": [],
                    "not_next": ["&"],
                    "not_prev": [],
                    "window": 8,
                    "why": "a single letter; also R&D and list markers",
                },
            }
        ],
    }


def test_search_fuzzy(bundled: Path) -> None:
    assert run("search", "pytorhc").stdout == (
        "no skill is spelled 'pytorhc' (normalised: 'pytorhc')\n"
        "closest spellings by fuzzy similarity (difflib):\n"
        "  0.86  'PyTorch' (name) -> pytorch (PyTorch)\n"
        "  0.61  'Python' (name) -> python (Python)\n"
    )
    data = json.loads(run("search", "kubernets", "--format", "json", "--limit", "1").stdout)
    assert data["match"] == "fuzzy"
    assert [(h["skill_id"], h["spelling"], h["matched"]) for h in data["hits"]] == [
        ("kubernetes", "Kubernetes", "name")
    ]


def test_search_nothing_close(bundled: Path) -> None:
    result = run("search", "zzqqxx", code=1)
    assert result.stdout == (
        "no skill is spelled 'zzqqxx' (normalised: 'zzqqxx'), and no spelling is similar\n"
    )
    data = json.loads(run("search", "zzqqxx", "--format", "json", code=1).stdout)
    assert data == {"query": "zzqqxx", "key": "zzqqxx", "match": "none", "hits": []}


def test_search_with_overlay(bundled: Path, polars_overlay: Path) -> None:
    out = run("search", "Pola_RS", "--taxonomy", str(polars_overlay)).stdout
    assert out.splitlines()[0] == "'Pola_RS' -> polars (Polars)"


# --------------------------------------------------------------------------- validate


def test_validate_bundled(bundled: Path) -> None:
    assert run("validate").stdout == f"valid: {bundled}\n{COUNTS}\n"


def test_validate_folder(bundled: Path, tmp_path: Path) -> None:
    other = write_taxonomy(tmp_path / "other")
    assert run("validate", str(other)).stdout == f"valid: {other}\n{COUNTS}\n"


def test_validate_overlay_file(bundled: Path, polars_overlay: Path) -> None:
    assert run("validate", str(polars_overlay)).stdout == (
        f"valid: {bundled} + {polars_overlay}\n"
        "82 skills, 119 spellings, 17 groups, 7 roles, 3 certifications, 2 projects, 3 stages\n"
    )


def test_validate_with_taxonomy_option_and_env(
    bundled: Path, polars_overlay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = write_yaml(tmp_path / "second.yaml", {"extend": {"polars": {"aliases": ["pl"]}}})
    out = run("validate", "--taxonomy", str(polars_overlay), "--taxonomy", str(second)).stdout
    assert out.splitlines()[0] == f"valid: {bundled} + {polars_overlay} + {second}"
    monkeypatch.setenv("SKILLGAP_TAXONOMY", str(polars_overlay))
    out = run("validate", str(second)).stdout
    assert out.splitlines()[0] == f"valid: {bundled} + {polars_overlay} + {second}"


def test_validate_broken_folder(bundled: Path, tmp_path: Path) -> None:
    data = taxonomy_data()
    data["skills.yaml"]["skills"][0]["colour"] = "green"
    data["certifications.yaml"]["certifications"][0]["history"][1] = {"status": "retired"}
    broken = write_taxonomy(tmp_path / "broken", data)
    result = run("validate", str(broken), code=1)
    assert result.stdout == ""
    assert result.stderr == (
        "Error: invalid taxonomy (2 problems):\n"
        f"{broken}/skills.yaml: [skills[0 id=python].colour] Extra inputs are not permitted\n"
        f"{broken}/certifications.yaml: [certifications[0 id=aws_ml_specialty].history.1] "
        "Value error, a retired status needs a date\n"
    )


def test_validate_broken_overlay(bundled: Path, tmp_path: Path) -> None:
    overlay = write_yaml(tmp_path / "bad.yaml", {"extend": {"docker": {"aliases": ["k8s"]}}})
    assert run("validate", str(overlay), code=1).stderr == (
        "Error: invalid taxonomy (1 problem):\n"
        f"{overlay}: [extend.docker.aliases] alias 'k8s' is already claimed by skill 'kubernetes'\n"
    )


def test_validate_missing_path(bundled: Path, tmp_path: Path) -> None:
    assert run("validate", str(tmp_path / "nope.yaml"), code=1).stderr == (
        f"Error: invalid taxonomy (1 problem):\n{tmp_path / 'nope.yaml'}: file not found\n"
    )


def test_validate_invalid_yaml_overlay(bundled: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "bad.yaml"
    overlay.write_text("extend: {python: [\n", "utf-8")
    stderr = run("validate", str(overlay), code=1).stderr
    assert stderr.startswith(f"Error: invalid taxonomy (1 problem):\n{overlay}: [line 2] invalid")


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "args",
    [["list"], ["show", "python"], ["search", "python"], ["list", "--kind", "roles"]],
)
def test_broken_overlay_is_one_message_not_a_traceback(
    bundled: Path, tmp_path: Path, args: list[str]
) -> None:
    overlay = write_yaml(tmp_path / "bad.yaml", {"extend": {"pytorhc": {"aliases": ["torch"]}}})
    result = CliRunner().invoke(cli, ["taxonomy", *args, "--taxonomy", str(overlay)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {overlay}: [extend.pytorhc] unknown skill id 'pytorhc'\n"
    assert isinstance(result.exception, SystemExit)


def test_missing_overlay_file_is_a_usage_error(bundled: Path, tmp_path: Path) -> None:
    result = run("list", "--taxonomy", str(tmp_path / "nope.yaml"), code=2)
    assert "does not exist" in result.stderr
