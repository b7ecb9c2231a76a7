"""Tidy pandas frames of batch results (the only module that imports pandas, and only
when a frame is built).

A batch writes one JSON record per posting (``postings.jsonl``: the contract
object of :meth:`analyzer.analysis.Analysis.to_dict` plus ``posting_id`` and
``primary_ecosystem``). This module turns those records into rows and frames:

- :func:`posting_row` / :func:`postings_frame`: one row per posting
  (:data:`POSTING_COLUMNS`).
- :func:`skill_rows` / :func:`skills_frame`: one row per posting and skill
  (:data:`SKILL_COLUMNS`).
- :func:`summary_frames`: the summary tables (:data:`SUMMARY_COLUMNS`).

The row builders are plain Python; :func:`posting_values` and
:func:`skill_values` give the same cells as tuples in column order (the CSV
writers use them without building a dict or a frame). Frames have their columns
in the order of the module constants, explicit dtypes (``category`` for
enumerations, nullable ``Int64`` for years), a stable sort, and an empty input
gives an empty frame with the same columns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from analyzer.analysis import REQUIREMENT_ORDER
from analyzer.taxonomy_models import CATEGORIES, ECOSYSTEMS

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

__all__ = [
    "ERROR_COLUMNS",
    "POSTING_COLUMNS",
    "SKILL_COLUMNS",
    "SUMMARY_COLUMNS",
    "errors_frame",
    "posting_row",
    "posting_values",
    "postings_frame",
    "skill_rows",
    "skill_values",
    "skills_frame",
    "summary_frames",
]

SENIORITY_LEVELS: tuple[str, ...] = ("entry", "mid", "senior", "lead", "unknown")
REQUIREMENTS: tuple[str, ...] = tuple(REQUIREMENT_ORDER)

POSTING_COLUMNS: tuple[str, ...] = (
    "source",
    "posting_id",
    "title",
    "family",
    "confidence",
    "seniority",
    "min_years",
    "primary_ecosystem",
    "skills",
    *CATEGORIES,  # "core", "cloud_mlops", "genai"
    "required",
    "certifications",
    "unknown_terms",
)
"""``postings.csv``: one row per posting. ``skills`` counts every skill (named or
implied); ``core``, ``cloud_mlops``, ``genai`` count them per category;
``required`` counts required skills; the last two count certifications named
and unknown terms."""

SKILL_COLUMNS: tuple[str, ...] = (
    "source",
    "skill_id",
    "skill",
    "category",
    "requirement",
    "years",
    "implied",
    "mentions",
    "evidence",
)
"""``skills.csv``: one row per posting and skill. ``implied`` is true when the
skill was not named but follows from a more specific one; ``mentions`` counts
the evidence spans kept; ``evidence`` is the first one's text."""

ERROR_COLUMNS: tuple[str, ...] = ("source", "reason")
"""``errors.csv``: one row per input that could not be analysed."""

SUMMARY_COLUMNS: dict[str, tuple[str, ...]] = {
    "skill_share": (
        "skill_id",
        "skill",
        "category",
        "postings",
        "share",
        "named",
        "required",
        "preferred",
        "mentioned",
    ),
    "skill_share_by_family": (
        "family",
        "skill_id",
        "skill",
        "category",
        "postings",
        "family_postings",
        "share",
    ),
    "families": ("family", "name", "postings", "share", "mean_confidence"),
    "seniority": ("seniority", "postings", "share"),
    "ecosystems": ("ecosystem", "postings", "share", "primary_postings", "primary_share"),
    "certifications": ("certification_id", "certification", "postings", "share"),
    "unknown_terms": ("term", "postings", "share"),
}
"""The summary tables (each written as ``<name>.csv``) and their columns."""

_INT = "int64"
_STR = "str"

_DTYPES: dict[str, str] = {
    "source": _STR,
    "posting_id": _STR,
    "title": _STR,
    "family": "category",
    "name": _STR,
    "confidence": "float64",
    "mean_confidence": "float64",
    "min_years": "Int64",
    "years": "Int64",
    "implied": "bool",
    "skill_id": _STR,
    "skill": _STR,
    "evidence": _STR,
    "reason": _STR,
    "term": _STR,
    "certification_id": _STR,
    "certification": _STR,
    "share": "float64",
    "primary_share": "float64",
}
_ENUMS: dict[str, tuple[str, ...]] = {
    "seniority": SENIORITY_LEVELS,
    "category": CATEGORIES,
    "requirement": REQUIREMENTS,
    "primary_ecosystem": ECOSYSTEMS,
    "ecosystem": (*ECOSYSTEMS, "none"),
}


# --------------------------------------------------------------------------- rows


def posting_values(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """The ``postings.csv`` cells of a ``postings.jsonl`` record, in :data:`POSTING_COLUMNS` order.

    Parameters
    ----------
    record : mapping
        A decoded line of ``postings.jsonl``.

    Returns
    -------
    tuple
        One value per column of :data:`POSTING_COLUMNS`.
    """
    role = record.get("role") or {}
    seniority = record.get("seniority") or {}
    categories = record.get("categories") or {}
    skills = record.get("skills") or []
    return (
        record["source"],
        record.get("posting_id"),
        record.get("title"),
        role.get("family"),
        role.get("confidence"),
        seniority.get("level"),
        seniority.get("min_years"),
        record.get("primary_ecosystem"),
        len(skills),
        *[int(categories.get(c, 0)) for c in CATEGORIES],
        sum(1 for s in skills if s.get("requirement") == "required"),
        len(record.get("certifications") or []),
        len(record.get("unknown_terms") or []),
    )


def posting_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """One ``postings.csv`` row from a ``postings.jsonl`` record.

    Parameters
    ----------
    record : mapping
        A decoded line of ``postings.jsonl``.

    Returns
    -------
    dict
        Keys :data:`POSTING_COLUMNS`.
    """
    return dict(zip(POSTING_COLUMNS, posting_values(record), strict=True))


def skill_values(record: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The ``skills.csv`` cells of one ``postings.jsonl`` record, a tuple per skill in the
    record's order, each in :data:`SKILL_COLUMNS` order.

    Parameters
    ----------
    record : mapping
        A decoded line of ``postings.jsonl``.

    Returns
    -------
    list of tuple
        One value per column of :data:`SKILL_COLUMNS` in each.
    """
    source = record["source"]
    rows = []
    for skill in record.get("skills") or []:
        evidence = skill.get("evidence") or []
        rows.append(
            (
                source,
                skill["id"],
                skill.get("name"),
                skill.get("category"),
                skill.get("requirement"),
                skill.get("years"),
                not evidence and bool(skill.get("implied_by")),
                len(evidence),
                evidence[0]["text"] if evidence else None,
            )
        )
    return rows


def skill_rows(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``skills.csv`` rows of one ``postings.jsonl`` record, in the record's order.

    Parameters
    ----------
    record : mapping
        A decoded line of ``postings.jsonl``.

    Returns
    -------
    list of dict
        Keys :data:`SKILL_COLUMNS`.
    """
    return [dict(zip(SKILL_COLUMNS, values, strict=True)) for values in skill_values(record)]


# --------------------------------------------------------------------------- frames


def _frame(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A frame with exactly ``columns`` (in order) and explicit dtypes, even when empty."""
    import pandas as pd  # only when a frame is asked for: a batch run writes CSV without it

    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    for column in columns:
        if column in _ENUMS:
            dtype: Any = pd.CategoricalDtype(list(_ENUMS[column]))
        elif column in _DTYPES:
            dtype = _DTYPES[column]
            if dtype == "category":
                dtype = pd.CategoricalDtype(sorted(frame[column].dropna().unique()))
        else:
            dtype = _INT
        frame[column] = frame[column].astype(dtype)
    return frame.reset_index(drop=True)


def postings_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per posting, in input order (columns :data:`POSTING_COLUMNS`).

    Parameters
    ----------
    records : iterable of mapping
        Decoded ``postings.jsonl`` lines.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> postings_frame([]).columns.tolist() == list(POSTING_COLUMNS)
    True
    """
    return _frame((posting_row(r) for r in records), POSTING_COLUMNS)


def skills_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per posting and skill (columns :data:`SKILL_COLUMNS`).

    Rows follow the postings' input order, and within a posting the analysis
    order (category, requirement, skill id).

    Parameters
    ----------
    records : iterable of mapping
        Decoded ``postings.jsonl`` lines.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> list(skills_frame([])["requirement"].cat.categories)
    ['required', 'preferred', 'mentioned']
    """
    return _frame((row for r in records for row in skill_rows(r)), SKILL_COLUMNS)


def errors_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per input that could not be analysed (columns :data:`ERROR_COLUMNS`)."""
    return _frame(rows, ERROR_COLUMNS)


def summary_frames(tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, pd.DataFrame]:
    """The summary tables as frames, keyed like :data:`SUMMARY_COLUMNS`.

    Parameters
    ----------
    tables : mapping of str to rows
        Rows of each summary table, already sorted (missing tables are empty).

    Returns
    -------
    dict of str to pandas.DataFrame

    Examples
    --------
    >>> frames = summary_frames({})
    >>> sorted(frames) == sorted(SUMMARY_COLUMNS)
    True
    >>> frames["skill_share"].empty
    True
    """
    return {
        name: _frame(tables.get(name, ()), columns) for name, columns in SUMMARY_COLUMNS.items()
    }
