"""``skillgap train``, ``classify`` and ``evaluate`` through click's CliRunner."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.role_model import load_role_model

ROWS = [
    (
        "Machine Learning Engineer",
        "Train and deploy PyTorch models; build feature pipelines.",
        "machine_learning_engineer",
    ),
    (
        "ML Engineer",
        "Ship recommendation models to production with Python and Docker.",
        "machine_learning_engineer",
    ),
    (
        "Senior Machine Learning Engineer",
        "Own model training, evaluation and deployment.",
        "machine_learning_engineer",
    ),
    (
        "Machine Learning Engineer, Search",
        "Build ranking models in PyTorch and deploy them.",
        "machine_learning_engineer",
    ),
    ("MLOps Engineer", "Run Kubeflow pipelines on Kubernetes; CI/CD for models.", "mlops_engineer"),
    ("ML Platform Engineer", "Operate model serving, registries and Terraform.", "mlops_engineer"),
    (
        "Senior MLOps Engineer",
        "Kubernetes, MLflow, monitoring and on-call for ML systems.",
        "mlops_engineer",
    ),
    (
        "ML Infrastructure Engineer",
        "GPU clusters, Kubernetes and deployment pipelines.",
        "mlops_engineer",
    ),
    ("Data Analyst", "Build Tableau dashboards and write SQL reports.", "data_analyst"),
    ("Senior Data Analyst", "SQL analysis, Power BI dashboards and KPI reporting.", "data_analyst"),
    ("BI Analyst", "Maintain Looker dashboards; reconcile numbers with SQL.", "data_analyst"),
    ("Reporting Analyst", "Recurring reports, SQL queries and dashboards.", "data_analyst"),
]


@pytest.fixture
def labelled(tmp_path: Path) -> tuple[Path, Path]:
    data, labels = tmp_path / "postings.jsonl", tmp_path / "roles.jsonl"
    with data.open("w", encoding="utf-8") as d, labels.open("w", encoding="utf-8") as lab:
        for i, (title, text, family) in enumerate(ROWS):
            d.write(json.dumps({"id": f"p{i}", "title": title, "description": text}) + "\n")
            lab.write(json.dumps({"id": f"p{i}", "family": family}) + "\n")
    return data, labels


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_train_then_classify_round_trip(labelled: tuple[Path, Path], tmp_path: Path) -> None:
    data, labels = labelled
    out = tmp_path / "model"
    result = run("train", str(data), "--labels", str(labels), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["model.json", "weights.npz"]
    assert "trained on 12 postings; model written to" in result.output
    posting = tmp_path / "posting.txt"
    posting.write_text("MLOps Engineer\n\nRun Kubeflow on Kubernetes.\n", encoding="utf-8")
    result = run("classify", str(posting), "--model", str(out))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "family: mlops_engineer"
    assert lines[1].startswith("confidence: 0.")
    assert lines[2].startswith("runner-up: ")
    assert lines[3] == "evidence:"
    assert lines[4] == "  - title: 'mlops engineer'"


def test_train_with_inline_labels_from_csv(tmp_path: Path) -> None:
    data = tmp_path / "labelled.csv"
    lines = ["title,text,family"] + [f'"{t}","{x}",{f}' for t, x, f in ROWS]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("train", str(data), "--out", str(tmp_path / "m"))
    assert result.exit_code == 0, result.output
    assert load_role_model(tmp_path / "m").classes == (
        "data_analyst",
        "machine_learning_engineer",
        "mlops_engineer",
    )


def test_evaluate_json_has_per_class_scores_and_confusion(labelled: tuple[Path, Path]) -> None:
    data, labels = labelled
    result = run("evaluate", str(data), "--labels", str(labels), "--cv", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n_postings"] == 12 and report["folds"] == 2
    assert report["classes"] == ["data_analyst", "machine_learning_engineer", "mlops_engineer"]
    assert set(report["per_class"]["mlops_engineer"]) == {"precision", "recall", "f1", "support"}
    assert sum(map(sum, report["confusion_matrix"])) == 12
    assert 0.0 <= report["macro_f1"] <= 1.0 and 0.0 <= report["brier"] <= 2.0


def test_evaluate_text_layout(labelled: tuple[Path, Path]) -> None:
    data, labels = labelled
    result = run("evaluate", str(data), "--labels", str(labels), "--cv", "2", "--no-title")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2-fold cross-validation on 12 postings"
    assert lines[2].split() == ["family", "precision", "recall", "f1", "support"]
    assert any(line.startswith("macro-F1: ") for line in lines)
    assert "confusion matrix (rows: true, columns: predicted):" in lines


def test_classify_shipped_model_from_stdin_as_json() -> None:
    result = run(
        "classify",
        "-",
        "--format",
        "json",
        input="Data Analyst\n\nBuild Tableau dashboards and SQL reports for finance.\n",
    )
    assert result.exit_code == 0
    role = json.loads(result.output)
    assert role["family"] == "data_analyst"
    assert set(role) == {"family", "confidence", "probabilities", "evidence", "runner_up"}
    assert len(role["probabilities"]) == 7


def test_classify_refuses_a_pickled_model(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "model.pkl").write_bytes(pickle.dumps([1, 2]))
    posting = tmp_path / "p.txt"
    posting.write_text("ML Engineer\nModels.\n", encoding="utf-8")
    result = run("classify", str(posting), "--model", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}: refusing to load model.pkl: pickled models")


def test_train_refuses_unknown_families(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(
        json.dumps({"text": "a", "family": "astronaut"})
        + "\n"
        + json.dumps({"text": "b", "family": "data_analyst"})
        + "\n",
        encoding="utf-8",
    )
    result = run("train", str(data), "--out", str(tmp_path / "m"))
    assert result.exit_code == 1
    assert "Error: labels astronaut are not role families" in result.output


@pytest.mark.parametrize("command", ["train", "classify", "evaluate"])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help(command: str, flag: str) -> None:
    result = run(command, flag)
    assert result.exit_code == 0
    assert "Examples:" in result.output
