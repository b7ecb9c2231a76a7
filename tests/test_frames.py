"""Tidy frames of batch records: columns, dtypes, order, empty input, summary tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analyzer.batch import Tally
from analyzer.frames import (
    ERROR_COLUMNS,
    POSTING_COLUMNS,
    SKILL_COLUMNS,
    SUMMARY_COLUMNS,
    errors_frame,
    posting_row,
    postings_frame,
    skill_rows,
    skills_frame,
    summary_frames,
)


def skill(skill_id: str, category: str, requirement: str, **extra) -> dict:
    out = {
        "id": skill_id,
        "name": skill_id.replace("_", " ").title(),
        "category": category,
        "requirement": requirement,
        "years": None,
        "evidence": [{"text": skill_id, "start": 0, "end": 1, "section": None}],
    }
    out.update(extra)
    return out


def record(source: str, family: str, skills: list[dict], **extra) -> dict:
    categories = {"core": 0, "cloud_mlops": 0, "genai": 0}
    for s in skills:
        categories[s["category"]] += 1
    out = {
        "schema_version": "1",
        "source": source,
        "posting_id": None,
        "primary_ecosystem": None,
        "title": f"{family} role",
        "role": {"family": family, "confidence": 0.8, "probabilities": {}, "evidence": []},
        "seniority": {"level": "mid", "min_years": None},
        "ecosystems": {"aws": 0, "azure": 0, "gcp": 0, "databricks": 0},
        "skills": skills,
        "categories": categories,
        "certifications": [],
        "unknown_terms": [],
    }
    out.update(extra)
    return out


RECORDS = [
    record(
        "b.txt",
        "ml",
        [
            skill("python", "core", "required", years=3),
            skill("sagemaker", "cloud_mlops", "required"),
            {
                **skill("aws", "cloud_mlops", "required"),
                "evidence": [],
                "implied_by": ["sagemaker"],
            },
        ],
        posting_id="id-1",
        primary_ecosystem="aws",
        seniority={"level": "senior", "min_years": 5},
        ecosystems={"aws": 2, "azure": 0, "gcp": 0, "databricks": 0},
        certifications=["aws_mla_c01"],
        unknown_terms=["FooDB"],
    ),
    record(
        "a.txt",
        "analyst",
        [skill("sql", "core", "preferred"), skill("python", "core", "mentioned")],
    ),
    record("c.txt", "ml", [], unknown_terms=["FooDB", "BarKit"]),
]


def test_posting_row_flattens_a_record() -> None:
    row = posting_row(RECORDS[0])
    assert tuple(row) == POSTING_COLUMNS
    assert row["family"] == "ml" and row["seniority"] == "senior" and row["min_years"] == 5
    assert (row["skills"], row["core"], row["cloud_mlops"], row["genai"]) == (3, 1, 2, 0)
    assert (row["required"], row["certifications"], row["unknown_terms"]) == (3, 1, 1)
    assert row["primary_ecosystem"] == "aws" and row["posting_id"] == "id-1"


def test_skill_rows_keep_record_order_and_mark_implied() -> None:
    rows = skill_rows(RECORDS[0])
    assert [r["skill_id"] for r in rows] == ["python", "sagemaker", "aws"]
    assert all(tuple(r) == SKILL_COLUMNS for r in rows)
    assert [r["implied"] for r in rows] == [False, False, True]
    assert rows[0]["years"] == 3 and rows[2]["evidence"] is None and rows[2]["mentions"] == 0


def test_postings_frame_dtypes_and_input_order() -> None:
    frame = postings_frame(RECORDS)
    assert list(frame.columns) == list(POSTING_COLUMNS)
    assert frame["source"].tolist() == ["b.txt", "a.txt", "c.txt"]  # input order, not sorted
    assert isinstance(frame["family"].dtype, pd.CategoricalDtype)
    assert list(frame["family"].cat.categories) == ["analyst", "ml"]
    assert list(frame["seniority"].cat.categories) == ["entry", "mid", "senior", "lead", "unknown"]
    assert list(frame["primary_ecosystem"].cat.categories) == ["aws", "azure", "gcp", "databricks"]
    assert str(frame["min_years"].dtype) == "Int64" and frame["min_years"].isna().sum() == 2
    assert frame["confidence"].dtype == "float64"
    for column in ("skills", "core", "cloud_mlops", "genai", "required"):
        assert frame[column].dtype == "int64"
    assert pd.api.types.is_string_dtype(frame["source"])
    assert frame["posting_id"].isna().tolist() == [False, True, True]


def test_skills_frame_is_tidy() -> None:
    frame = skills_frame(RECORDS)
    assert list(frame.columns) == list(SKILL_COLUMNS)
    assert len(frame) == 5
    assert frame[["source", "skill_id"]].duplicated().sum() == 0
    assert list(frame["requirement"].cat.categories) == ["required", "preferred", "mentioned"]
    assert list(frame["category"].cat.categories) == ["core", "cloud_mlops", "genai"]
    assert frame["implied"].dtype == "bool" and str(frame["years"].dtype) == "Int64"
    assert frame["mentions"].dtype == "int64"


@pytest.mark.parametrize(
    ("build", "columns"),
    [(postings_frame, POSTING_COLUMNS), (skills_frame, SKILL_COLUMNS)],
)
def test_empty_input_gives_empty_frames_with_the_columns(build, columns) -> None:
    frame = build([])
    assert frame.empty and list(frame.columns) == list(columns)
    assert str(frame["source"].dtype) == str(build(RECORDS)["source"].dtype)


def test_errors_frame() -> None:
    frame = errors_frame([{"source": "x.txt", "reason": "empty"}])
    assert list(frame.columns) == list(ERROR_COLUMNS) and frame.iloc[0]["reason"] == "empty"
    assert errors_frame([]).empty


def test_tally_tables_and_summary_frames() -> None:
    tally = Tally()
    for r in RECORDS:
        tally.add(r)
    tables = tally.tables(
        family_names={"ml": "ML Engineer"},
        certification_names={"aws_mla_c01": "AWS MLA"},
        ecosystems=("aws", "azure", "gcp", "databricks"),
    )
    assert set(tables) == set(SUMMARY_COLUMNS)
    share = tables["skill_share"]
    assert [r["skill_id"] for r in share] == ["python", "aws", "sagemaker", "sql"]  # count, id
    assert share[0] == {
        "skill_id": "python",
        "skill": "Python",
        "category": "core",
        "postings": 2,
        "share": 0.6667,
        "named": 2,
        "required": 1,
        "preferred": 0,
        "mentioned": 1,
    }
    assert share[1]["named"] == 0  # aws is only implied
    by_family = {(r["family"], r["skill_id"]): r for r in tables["skill_share_by_family"]}
    assert (
        by_family["ml", "python"]["share"] == 0.5
        and by_family["ml", "python"]["family_postings"] == 2
    )
    assert [r["family"] for r in tables["families"]] == ["ml", "analyst"]
    assert tables["families"][0]["name"] == "ML Engineer"
    assert tables["families"][1]["name"] == "analyst"
    ecosystems = {r["ecosystem"]: r for r in tables["ecosystems"]}
    assert list(ecosystems) == ["aws", "azure", "gcp", "databricks", "none"]
    assert ecosystems["aws"]["postings"] == 1 and ecosystems["none"]["postings"] == 2
    assert ecosystems["none"]["primary_postings"] == 2
    assert tables["certifications"] == [
        {
            "certification_id": "aws_mla_c01",
            "certification": "AWS MLA",
            "postings": 1,
            "share": 0.3333,
        }
    ]
    assert [r["term"] for r in tables["unknown_terms"]] == ["FooDB", "BarKit"]
    assert [r["seniority"] for r in tables["seniority"]] == ["mid", "senior"]

    frames = summary_frames(tables)
    for name, frame in frames.items():
        assert list(frame.columns) == list(SUMMARY_COLUMNS[name])
    assert frames["skill_share"]["postings"].dtype == "int64"
    assert frames["skill_share"]["share"].dtype == "float64"
    assert list(frames["ecosystems"]["ecosystem"].cat.categories)[-1] == "none"


def test_summary_frames_of_nothing() -> None:
    frames = summary_frames(Tally().tables())
    assert all(frame.empty for name, frame in frames.items() if name != "ecosystems")
    assert frames["ecosystems"]["ecosystem"].tolist() == ["none"]


@pytest.mark.parametrize(
    "module", ["analyzer.frames", "analyzer.charts", "analyzer.reports", "analyzer.batch"]
)
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
