"""Build small, valid taxonomy folders in ``tmp_path`` for error-case tests.

The skills are generated from the public contract (``analyzer/contract/skills.yaml``)
because the loader requires every contract skill and role. Tests take
:func:`taxonomy_data`, change one thing, and write it with :func:`write_taxonomy`.
"""

from __future__ import annotations

import copy
import functools
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

CONTRACT_DIR = Path(str(resources.files("analyzer").joinpath("contract")))

# Aliases and rules the tests rely on, added to the contract skills.
EXTRA_ALIASES: dict[str, list[str]] = {
    "kubernetes": ["k8s", "EKS"],
    "scikit_learn": ["sklearn"],
    "llms": ["LLM", "large language model"],
    "fine_tuning": ["fine-tuning", "LoRA"],
}
R_RULE: dict[str, Any] = {
    "text": "R",
    "case_sensitive": True,
    "context_any": ["python", "statistics", "sql"],
    "not_next": ["&"],
    "why": "a single letter; also R&D and list markers",
}
EXTRA_SKILLS: list[dict[str, Any]] = [
    {
        "id": "pyspark",
        "name": "PySpark",
        "category": "core",
        "group": "data",
        "parent": "spark",
        "implies": ["python"],
    },
    {
        "id": "qlora",
        "name": "QLoRA",
        "category": "genai",
        "group": "llm_ops",
        "parent": "fine_tuning",
        "aliases": ["qlora adapters"],
    },
]


@functools.cache
def _contract(name: str) -> dict[str, Any]:
    return yaml.safe_load((CONTRACT_DIR / name).read_text(encoding="utf-8"))


def _skills() -> dict[str, Any]:
    groups: dict[str, str] = {}
    skills = []
    for entry in _contract("skills.yaml")["skills"]:
        groups.setdefault(entry["group"], entry["category"])
        skill = {k: entry[k] for k in ("id", "name", "category", "group") if k in entry}
        if entry.get("parent"):
            skill["parent"] = entry["parent"]
        if entry["id"] in EXTRA_ALIASES:
            skill["aliases"] = list(EXTRA_ALIASES[entry["id"]])
        if entry["id"] == "r":
            skill["ambiguous"] = [dict(R_RULE)]
        skills.append(skill)
    skills.extend(copy.deepcopy(EXTRA_SKILLS))
    return {
        "version": "test-1",
        "groups": [
            {"id": gid, "name": gid.replace("_", " ").title(), "category": cat}
            for gid, cat in groups.items()
        ],
        "skills": skills,
    }


def _roles() -> dict[str, Any]:
    families = []
    for entry in _contract("roles.yaml")["families"]:
        families.append({"id": entry["id"], "name": entry["name"], "focus": entry["focus"]})
    families[0]["emphasis"] = {"python": 1.0, "model_deployment": 0.8}
    families[0]["next_roles"] = ["mlops_engineer"]
    return {"version": 1, "families": families}


def _cert(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "provider": "Amazon Web Services",
        "ecosystem": "aws",
        "level": "associate",
        "career_stages": ["mid"],
        "role_families": ["machine_learning_engineer"],
    }
    base.update(fields)
    return base


def _certifications() -> dict[str, Any]:
    return {
        "version": 1,
        "certifications": [
            _cert(
                id="aws_ml_specialty",
                name="AWS Certified Machine Learning - Specialty",
                code="MLS-C01",
                level="specialty",
                history=[
                    {"status": "active", "date": "2019-04-01"},
                    {"status": "retired", "date": "2026-03-31"},
                ],
                successors=["aws_ml_engineer_associate"],
                covers=["sagemaker", "machine_learning"],
            ),
            _cert(
                id="aws_ml_engineer_associate",
                name="AWS Certified Machine Learning Engineer - Associate",
                code="MLA-C01",
                history=[
                    {"status": "beta", "date": "2024-08-13"},
                    {"status": "active", "date": "2024-10-08"},
                ],
                covers=["sagemaker", "model_deployment", "mlops"],
                aliases=["AWS ML Engineer Associate"],
            ),
            _cert(
                id="gcp_genai_leader",
                name="Google Cloud Generative AI Leader",
                provider="Google Cloud",
                ecosystem="gcp",
                level="foundational",
                history=[{"status": "active", "date": "2025-05-14"}],
                covers=["llms", "gcp"],
                career_stages=["early", "leadership"],
                role_families=["ai_engineer"],
            ),
        ],
    }


def _projects() -> dict[str, Any]:
    return {
        "version": 1,
        "projects": [
            {
                "id": "rag_assistant",
                "title": "Document assistant with retrieval-augmented generation",
                "summary": "Answer questions over a document set with citations.",
                "skills": ["rag", "embeddings", "llm_evaluation"],
                "deliverables": ["repository", "evaluation report"],
                "effort_days": 10,
                "career_stages": ["early", "mid"],
                "role_families": ["ai_engineer"],
                "data_sourcing": "public documentation",
                "evaluation": "answer accuracy on 50 questions",
                "tradeoffs": "chunk size versus recall",
                "deployment": "a container behind an HTTP API",
            },
            {
                "id": "churn_model",
                "title": "Churn model with an experiment report",
                "summary": "Predict churn and explain the drivers.",
                "skills": ["python", "supervised_learning", "sagemaker"],
                "deliverables": ["notebook"],
                "effort_days": 5,
                "career_stages": ["early"],
                "role_families": ["data_scientist"],
                "data_sourcing": "a public telecom data set",
                "evaluation": "AUC on a held-out month",
                "tradeoffs": "recall versus precision",
                "deployment": "batch scoring job",
            },
        ],
    }


def _paths() -> dict[str, Any]:
    stages = []
    for sid, levels, years in (
        ("early", ["foundational", "associate"], (0, 3)),
        ("mid", ["associate", "professional"], (3, 8)),
        ("leadership", ["professional", "specialty"], (8, None)),
    ):
        stages.append(
            {
                "id": sid,
                "name": sid.title(),
                "summary": f"the {sid} career stage",
                "priorities": ["build projects"],
                "certification_levels": levels,
                "infer": {"min_years": years[0], "max_years": years[1]},
            }
        )
    return {"version": 1, "stages": stages}


def taxonomy_data() -> dict[str, dict[str, Any]]:
    """A fresh, valid taxonomy as plain data: file name -> YAML document."""
    return {
        "skills.yaml": _skills(),
        "roles.yaml": _roles(),
        "certifications.yaml": _certifications(),
        "projects.yaml": _projects(),
        "paths.yaml": _paths(),
    }


def write_yaml(path: Path, data: Any) -> Path:
    """Write ``data`` as YAML (keys in insertion order) and return ``path``."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_taxonomy(directory: Path, data: dict[str, Any] | None = None) -> Path:
    """Write a taxonomy folder (default: :func:`taxonomy_data`) and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, document in (data if data is not None else taxonomy_data()).items():
        write_yaml(directory / name, document)
    return directory


def skill_entry(data: dict[str, Any], skill_id: str) -> dict[str, Any]:
    """The mutable skill record ``skill_id`` inside :func:`taxonomy_data` output."""
    return next(s for s in data["skills.yaml"]["skills"] if s["id"] == skill_id)
