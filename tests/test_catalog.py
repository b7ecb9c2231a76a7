"""The library behind ``skillgap taxonomy``: records, relations, spelling search, validation."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from taxonomy_fixtures import write_taxonomy, write_yaml

from analyzer.catalog import (
    KINDS,
    TABLE_COLUMNS,
    describe,
    list_records,
    search_spelling,
    taxonomy_counts,
    validate_taxonomy,
    write_records,
)
from analyzer.errors import TaxonomyError
from analyzer.taxonomy import Taxonomy, load_taxonomy


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    return load_taxonomy(write_taxonomy(tmp_path_factory.mktemp("catalog") / "taxonomy"))


def test_list_records_unknown_kind(mini: Taxonomy) -> None:
    with pytest.raises(ValueError, match=r"^unknown kind 'tools' \(choose from skills, roles,"):
        list_records(mini, "tools")


def test_list_records_default_day_is_today(mini: Taxonomy) -> None:
    [first, *_] = list_records(mini, "certifications")
    assert first["as_of"] == dt.date.today().isoformat()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_write_records_handles_no_rows(kind: str, fmt: str) -> None:
    out = io.StringIO()
    write_records([], fmt, out, kind=kind)
    if fmt == "json":
        assert json.loads(out.getvalue()) == []
    elif fmt == "csv":
        assert out.getvalue() == ",".join(TABLE_COLUMNS[kind]) + "\n"
    else:
        assert out.getvalue().splitlines()[0].strip() == f"0 {kind}"


def test_write_records_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        write_records([], "xml", io.StringIO())


def test_describe_unknown(mini: Taxonomy) -> None:
    with pytest.raises(LookupError) as info:
        describe(mini, "nope")
    assert info.value.args == (
        "no skill, role, certification, project or career stage is called 'nope'",
    )


def test_describe_is_plain_json_data(mini: Taxonomy) -> None:
    for ident in ("python", "r", "aws_ml_specialty", "ai_engineer", "churn_model", "early"):
        [detail] = describe(mini, ident, as_of=dt.date(2026, 1, 1))
        assert json.loads(json.dumps(detail)) == detail


@pytest.mark.parametrize(
    ("text", "match", "skill_id", "matched"),
    [
        ("Kubernetes", "exact", "kubernetes", "name"),
        ("k-8-s", "fuzzy", "kubernetes", "alias"),
        ("eks", "exact", "kubernetes", "alias"),
        ("machine_learning", "exact", "machine_learning", "name"),
        ("r", "ambiguous", "r", "ambiguous alias"),
        ("scikit-lern", "fuzzy", "scikit_learn", "name"),
    ],
)
def test_search_spelling(
    mini: Taxonomy, text: str, match: str, skill_id: str, matched: str
) -> None:
    result = search_spelling(mini, text)
    assert (result.match, result.hits[0].skill_id, result.hits[0].matched) == (
        match,
        skill_id,
        matched,
    )


def test_search_fuzzy_limit_and_order(mini: Taxonomy) -> None:
    result = search_spelling(mini, "learnings", limit=3)
    assert result.match == "fuzzy"
    assert len(result.hits) <= 3
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.skill_id for h in result.hits}) == len(result.hits)


def test_validate_taxonomy_and_counts(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    overlay = write_yaml(tmp_path / "o.yaml", {"extend": {"python": {"aliases": ["py3"]}}})
    assert taxonomy_counts(validate_taxonomy(directory, overlays=[overlay])) == {
        "skills": 81,
        "spellings": 117,
        "groups": 17,
        "roles": 7,
        "certifications": 3,
        "projects": 2,
        "stages": 3,
    }
    with pytest.raises(TaxonomyError, match="file not found"):
        validate_taxonomy(tmp_path / "missing.yaml")
