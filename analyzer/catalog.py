"""Browse the taxonomy: flat records per kind, one record with its relations, spelling search.

This module holds everything behind ``skillgap taxonomy``: turning the loaded
:class:`~analyzer.taxonomy.Taxonomy` into plain records (dicts of JSON values),
explaining which skill a spelling maps to, validating a folder or overlay, and
the writers that render those records as JSON, CSV (through
:func:`analyzer.safety.write_csv`), a ``rich`` table or text.

Examples
--------
>>> from analyzer.taxonomy import get_taxonomy
>>> tax = get_taxonomy()
>>> search_spelling(tax, "K8s").hits[0].skill_id  # doctest: +SKIP
'kubernetes'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from analyzer.errors import TaxonomyError
from analyzer.safety import write_csv
from analyzer.taxonomy import Taxonomy, alias_key, env_overlays, load_taxonomy
from analyzer.taxonomy_models import AliasRule, Certification, Skill

logger = logging.getLogger(__name__)

Kind = Literal["skills", "roles", "certifications", "projects", "paths"]
KINDS: tuple[str, ...] = ("skills", "roles", "certifications", "projects", "paths")
LIST_FORMATS: tuple[str, ...] = ("table", "json", "csv")
DETAIL_FORMATS: tuple[str, ...] = ("text", "json")

#: The columns of ``taxonomy list --format table`` per kind (JSON and CSV hold every field).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "skills": ("id", "name", "category", "group", "parent", "aliases"),
    "roles": ("id", "name", "focus"),
    "certifications": ("id", "code", "name", "level", "ecosystem", "status_label"),
    "projects": ("id", "title", "effort_days", "career_stages", "role_families"),
    "paths": ("id", "name", "certification_levels", "projects_min", "projects_max"),
}
_SINGULAR = {
    "skills": "skill",
    "roles": "role",
    "certifications": "certification",
    "projects": "project",
    "paths": "stage",
}

__all__ = [
    "DETAIL_FORMATS",
    "KINDS",
    "LIST_FORMATS",
    "TABLE_COLUMNS",
    "SearchResult",
    "SpellingHit",
    "certification_record",
    "describe",
    "list_records",
    "search_spelling",
    "skill_record",
    "taxonomy_counts",
    "validate_taxonomy",
    "write_details",
    "write_records",
    "write_search",
]


# --------------------------------------------------------------------------- records


def skill_record(skill: Skill) -> dict[str, Any]:
    """The flat listing record of a skill.

    Parameters
    ----------
    skill : Skill
        A skill of the taxonomy.

    Returns
    -------
    dict
        ``id``, ``name``, ``category``, ``group``, ``parent``, ``implies``,
        ``aliases``, ``ambiguous`` (the ambiguous alias texts) and ``description``.
    """
    return {
        "id": skill.id,
        "name": skill.name,
        "category": skill.category,
        "group": skill.group,
        "parent": skill.parent,
        "implies": list(skill.implies),
        "aliases": list(skill.aliases),
        "ambiguous": [rule.text for rule in skill.ambiguous],
        "description": skill.description,
    }


def certification_record(cert: Certification, as_of: dt.date) -> dict[str, Any]:
    """The full record of a certification plus its status on ``as_of``.

    Parameters
    ----------
    cert : Certification
        A certification of the taxonomy.
    as_of : datetime.date
        The day the status is evaluated on.

    Returns
    -------
    dict
        Every field of the record (dates as ISO strings), then ``status``
        (``beta``, ``active``, ``retiring``, ...), ``status_label`` (such as
        ``retiring on 2026-03-31``), ``available`` and ``as_of``.
    """
    status = cert.status_on(as_of)
    record = cert.model_dump(mode="json")
    record.update(
        status=status.status,
        status_label=status.describe(),
        available=status.available,
        as_of=as_of.isoformat(),
    )
    return record


def _covers_category(taxonomy: Taxonomy, skill_ids: Iterable[str], category: str) -> bool:
    return any(
        (skill := taxonomy.get(sid)) is not None and skill.category == category for sid in skill_ids
    )


def list_records(
    taxonomy: Taxonomy,
    kind: str,
    *,
    category: str | None = None,
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Every record of one kind as plain data, in taxonomy file order.

    Parameters
    ----------
    taxonomy : Taxonomy
        The loaded taxonomy.
    kind : {"skills", "roles", "certifications", "projects", "paths"}
        Which catalogue to list (``paths`` lists the career stages).
    category : {"core", "cloud_mlops", "genai"}, optional
        Keep skills of this category; roles that emphasise, and certifications
        and projects that cover, at least one skill of it.
    as_of : datetime.date, optional
        The day certification statuses are evaluated on (default: today).

    Returns
    -------
    list of dict
        Skills as :func:`skill_record`, certifications as
        :func:`certification_record`, every other kind as its full record.

    Raises
    ------
    ValueError
        If ``kind`` is unknown, or ``category`` is given for ``paths``.

    Examples
    --------
    >>> from analyzer.taxonomy import get_taxonomy
    >>> rows = list_records(get_taxonomy(), "skills", category="genai")
    >>> {row["category"] for row in rows}
    {'genai'}
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (choose from {', '.join(KINDS)})")
    day = as_of or dt.date.today()
    if kind == "skills":
        return [
            skill_record(s)
            for s in taxonomy.skills.values()
            if category is None or s.category == category
        ]
    if kind == "certifications":
        return [
            certification_record(c, day)
            for c in taxonomy.certifications.values()
            if category is None or _covers_category(taxonomy, c.covers, category)
        ]
    if kind == "roles":
        return [
            r.model_dump(mode="json")
            for r in taxonomy.roles.values()
            if category is None or _covers_category(taxonomy, r.emphasis, category)
        ]
    if kind == "projects":
        return [
            p.model_dump(mode="json")
            for p in taxonomy.projects.values()
            if category is None or _covers_category(taxonomy, p.skills, category)
        ]
    if category is not None:
        raise ValueError("a category filter does not apply to career stages (paths)")
    return [s.model_dump(mode="json") for s in taxonomy.stages.values()]


# --------------------------------------------------------------------------- one record


def _named(items: Iterable[Any], label: str = "name") -> list[dict[str, Any]]:
    return [{"id": item.id, label: getattr(item, label)} for item in items]


def _skill_detail(taxonomy: Taxonomy, skill: Skill) -> dict[str, Any]:
    sid = skill.id
    detail = {"type": "skill", **skill.model_dump(mode="json")}
    detail.update(
        contract_id=taxonomy.contract_id(sid),
        ancestors=list(taxonomy.ancestors(sid)),
        children=list(taxonomy.children(sid)),
        certifications=_named(c for c in taxonomy.certifications.values() if sid in c.covers),
        projects=_named((p for p in taxonomy.projects.values() if sid in p.skills), "title"),
        roles={r.id: r.emphasis[sid] for r in taxonomy.roles.values() if sid in r.emphasis},
    )
    return detail


def _cert_detail(taxonomy: Taxonomy, cert: Certification, day: dt.date) -> dict[str, Any]:
    detail = {"type": "certification", **certification_record(cert, day)}
    detail["successors"] = [
        {
            "id": sid,
            "name": taxonomy.certifications[sid].name,
            "status_label": taxonomy.certifications[sid].status_on(day).describe(),
        }
        for sid in cert.successors
    ]
    detail["predecessors"] = [
        c.id for c in taxonomy.certifications.values() if cert.id in c.successors
    ]
    return detail


def _role_detail(taxonomy: Taxonomy, role_id: str) -> dict[str, Any]:
    detail = {"type": "role", **taxonomy.roles[role_id].model_dump(mode="json")}
    detail["certifications"] = _named(
        c for c in taxonomy.certifications.values() if role_id in c.role_families
    )
    detail["projects"] = _named(
        (p for p in taxonomy.projects.values() if role_id in p.role_families), "title"
    )
    return detail


def describe(
    taxonomy: Taxonomy, ident: str, *, as_of: dt.date | None = None
) -> list[dict[str, Any]]:
    """Every record called ``ident``, with its relations.

    An exact id is looked up among skills, roles, certifications, projects and
    career stages (an id may name records of several kinds). Failing that, a
    skill alias (``k8s``) or a certification's exam code (``MLS-C01``) is accepted.

    Parameters
    ----------
    taxonomy : Taxonomy
        The loaded taxonomy.
    ident : str
        An id, skill alias or certification code.
    as_of : datetime.date, optional
        The day certification statuses are evaluated on (default: today).

    Returns
    -------
    list of dict
        One dict per record, starting with ``type`` (``skill``, ``role``,
        ``certification``, ``project`` or ``stage``). A skill adds ``contract_id``,
        ``ancestors``, ``children`` and the ``certifications``, ``projects`` and
        ``roles`` that cover it; a certification adds its status and its
        ``successors`` and ``predecessors``; a role adds the certifications and
        projects aimed at it.

    Raises
    ------
    LookupError
        If nothing is called ``ident``.

    Examples
    --------
    >>> from analyzer.taxonomy import get_taxonomy
    >>> describe(get_taxonomy(), "python")[0]["type"]
    'skill'
    """
    day = as_of or dt.date.today()
    found: list[dict[str, Any]] = []
    if ident in taxonomy.skills:
        found.append(_skill_detail(taxonomy, taxonomy.skills[ident]))
    if ident in taxonomy.roles:
        found.append(_role_detail(taxonomy, ident))
    if ident in taxonomy.certifications:
        found.append(_cert_detail(taxonomy, taxonomy.certifications[ident], day))
    if ident in taxonomy.projects:
        found.append({"type": "project", **taxonomy.projects[ident].model_dump(mode="json")})
    if ident in taxonomy.stages:
        found.append({"type": "stage", **taxonomy.stages[ident].model_dump(mode="json")})
    if found:
        return found
    with contextlib.suppress(LookupError):
        found.append(_skill_detail(taxonomy, taxonomy.lookup(ident)))
    cert = taxonomy.certification_by_code(ident)
    if cert is not None:
        found.append(_cert_detail(taxonomy, cert, day))
    if not found:
        raise LookupError(
            f"no skill, role, certification, project or career stage is called {ident!r}"
        )
    return found


# --------------------------------------------------------------------------- search

Matched = Literal["id", "name", "alias", "ambiguous alias"]


@dataclass(frozen=True)
class SpellingHit:
    """One skill a spelling maps to (or is close to), and through which spelling.

    Attributes
    ----------
    skill_id, name : str
        The skill.
    spelling : str
        The taxonomy spelling that matched, as written in the taxonomy.
    matched : {"id", "name", "alias", "ambiguous alias"}
        What kind of spelling it is.
    score : float
        1.0 for an exact hit, else the difflib similarity of the normalised forms.
    rule : AliasRule or None
        For an ambiguous alias, the rule that decides when it names the skill.
    """

    skill_id: str
    name: str
    spelling: str
    matched: Matched
    score: float = 1.0
    rule: AliasRule | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the rule as a dict, or ``None``)."""
        return {
            "skill_id": self.skill_id,
            "name": self.name,
            "spelling": self.spelling,
            "matched": self.matched,
            "score": self.score,
            "rule": self.rule.model_dump(mode="json") if self.rule else None,
        }


@dataclass(frozen=True)
class SearchResult:
    """What :func:`search_spelling` found.

    Attributes
    ----------
    query : str
        The text searched for.
    key : str
        ``query`` after normalisation (:func:`~analyzer.taxonomy.alias_key`).
    match : {"exact", "ambiguous", "fuzzy", "none"}
        ``exact``: the key is a skill's id, name or alias; ``ambiguous``: it is an
        ambiguous alias (counted only when its rule holds); ``fuzzy``: no skill
        is spelled so, ``hits`` are the closest spellings; ``none``: nothing is close.
    hits : tuple of SpellingHit
        One hit for ``exact``/``ambiguous``; up to ``limit`` skills for ``fuzzy``.
    """

    query: str
    key: str
    match: Literal["exact", "ambiguous", "fuzzy", "none"]
    hits: tuple[SpellingHit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "query": self.query,
            "key": self.key,
            "match": self.match,
            "hits": [hit.to_dict() for hit in self.hits],
        }


def _spellings(taxonomy: Taxonomy) -> dict[str, list[SpellingHit]]:
    """Normalised spelling -> the skill spellings with that key (ambiguous rules first)."""
    index: dict[str, list[SpellingHit]] = {}
    for skill in taxonomy.skills.values():
        entries: list[SpellingHit] = [
            SpellingHit(skill.id, skill.name, rule.text, "ambiguous alias", rule=rule)
            for rule in skill.ambiguous
        ]
        entries.append(SpellingHit(skill.id, skill.name, skill.name, "name"))
        entries.extend(SpellingHit(skill.id, skill.name, a, "alias") for a in skill.aliases)
        entries.append(SpellingHit(skill.id, skill.name, skill.id, "id"))
        for entry in entries:
            index.setdefault(alias_key(entry.spelling), []).append(entry)
    return index


def search_spelling(taxonomy: Taxonomy, text: str, *, limit: int = 5) -> SearchResult:
    """Which skill ``text`` maps to, and why.

    The text is normalised with :func:`~analyzer.taxonomy.alias_key` (case,
    hyphens, slashes and underscores do not matter). An exact hit on an id, name
    or alias wins; an ambiguous alias is reported with its rule; otherwise the
    closest spellings by ``difflib`` similarity (cut-off 0.6) are returned.

    Parameters
    ----------
    taxonomy : Taxonomy
        The loaded taxonomy.
    text : str
        The spelling to explain.
    limit : int, default 5
        At most this many skills for a fuzzy answer.

    Returns
    -------
    SearchResult

    Examples
    --------
    >>> from analyzer.taxonomy import get_taxonomy
    >>> search_spelling(get_taxonomy(), "Scikit Learn").match
    'exact'
    """
    key = alias_key(text)
    index = _spellings(taxonomy)
    entries = index.get(key)
    if entries:
        hit = entries[0]
        match: Literal["exact", "ambiguous"] = (
            "ambiguous" if hit.matched == "ambiguous alias" else "exact"
        )
        return SearchResult(text, key, match, (hit,))
    hits: list[SpellingHit] = []
    seen: set[str] = set()
    for candidate in difflib.get_close_matches(key, list(index), n=limit * 4, cutoff=0.6):
        score = round(difflib.SequenceMatcher(None, key, candidate).ratio(), 3)
        for entry in index[candidate]:
            if entry.skill_id in seen:
                continue
            seen.add(entry.skill_id)
            hits.append(
                SpellingHit(
                    entry.skill_id, entry.name, entry.spelling, entry.matched, score, entry.rule
                )
            )
    hits.sort(key=lambda h: (-h.score, h.skill_id))
    if not hits:
        return SearchResult(text, key, "none")
    return SearchResult(text, key, "fuzzy", tuple(hits[:limit]))


# --------------------------------------------------------------------------- validation


def validate_taxonomy(
    path: str | os.PathLike[str] | None = None,
    *,
    overlays: Sequence[str | os.PathLike[str]] = (),
) -> Taxonomy:
    """Load and fully check a taxonomy folder, or an overlay file on the bundled taxonomy.

    Unlike :func:`~analyzer.taxonomy.get_taxonomy` nothing is cached, so the
    files are read again. Overlays named by ``SKILLGAP_TAXONOMY`` are applied too.

    Parameters
    ----------
    path : path-like, optional
        A taxonomy folder, or an overlay YAML file applied on the bundled
        taxonomy. Default: the bundled taxonomy.
    overlays : sequence of path-like
        More overlay files, applied after ``SKILLGAP_TAXONOMY`` and ``path``.

    Returns
    -------
    Taxonomy

    Raises
    ------
    TaxonomyError
        With one ``file: [location] message`` line per problem.
    """
    extra = [*env_overlays(), *overlays]
    if path is None:
        return load_taxonomy(None, overlays=extra)
    target = Path(path)
    if target.is_dir():
        return load_taxonomy(target, overlays=extra)
    if not target.exists():
        raise TaxonomyError(f"{target}: file not found")
    return load_taxonomy(None, overlays=[*env_overlays(), target, *overlays])


def taxonomy_counts(taxonomy: Taxonomy) -> dict[str, int]:
    """How many records of each kind the taxonomy holds.

    Parameters
    ----------
    taxonomy : Taxonomy
        The loaded taxonomy.

    Returns
    -------
    dict of str to int
        ``skills``, ``spellings`` (distinct normalised ids, names and aliases),
        ``groups``, ``roles``, ``certifications``, ``projects``, ``stages``.
    """
    return {
        "skills": len(taxonomy.skills),
        "spellings": len(_spellings(taxonomy)),
        "groups": len(taxonomy.groups),
        "roles": len(taxonomy.roles),
        "certifications": len(taxonomy.certifications),
        "projects": len(taxonomy.projects),
        "stages": len(taxonomy.stages),
    }


# --------------------------------------------------------------------------- writers


def _flat(value: Any) -> Any:
    """A CSV cell: lists of scalars joined with ``; ``, other containers as compact JSON."""
    if isinstance(value, list | tuple):
        if all(isinstance(v, str | int | float) for v in value):
            return "; ".join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def _table_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def write_records(
    rows: Sequence[dict[str, Any]], fmt: str, stream: TextIO, *, kind: str = "skills"
) -> None:
    """Render listing records as ``json``, ``csv`` or a ``table``.

    Parameters
    ----------
    rows : sequence of dict
        Records from :func:`list_records`.
    fmt : {"table", "json", "csv"}
        JSON is an array of the full records; CSV has one column per field
        (lists joined with ``; ``, nested values as JSON, formula-like cells
        neutralised); the table shows :data:`TABLE_COLUMNS` of ``kind``.
    stream : TextIO
        Where to write.
    kind : str, default "skills"
        The kind of the records (chooses the table columns and title).

    Raises
    ------
    ValueError
        If ``fmt`` is unknown.
    """
    if fmt == "json":
        json.dump(list(rows), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    elif fmt == "csv":
        fields: dict[str, None] = {}
        for row in rows:
            fields.update(dict.fromkeys(row))
        if not fields:
            fields = dict.fromkeys(TABLE_COLUMNS[kind])
        write_csv(({k: _flat(v) for k, v in row.items()} for row in rows), list(fields), stream)
    elif fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(rows)} {kind}", title_justify="left")
        for column in TABLE_COLUMNS[kind]:
            header = "status" if column == "status_label" else column
            table.add_column(header, no_wrap=column == "id", overflow="fold")
        for row in rows:
            table.add_row(*(_table_cell(row.get(c)) for c in TABLE_COLUMNS[kind]))
        Console(file=stream, width=max(100, _terminal_width())).print(table)
    else:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(LIST_FORMATS)})")


def _terminal_width() -> int:
    """The terminal's width; 160 when the output is not a terminal (a file or a pipe)."""
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 160


def write_details(details: Sequence[dict[str, Any]], fmt: str, stream: TextIO) -> None:
    """Render :func:`describe` output as readable ``text`` (YAML) or ``json``.

    Parameters
    ----------
    details : sequence of dict
        Records from :func:`describe`.
    fmt : {"text", "json"}
        ``text`` writes one YAML document per record (``---`` between records);
        ``json`` writes an array.
    stream : TextIO
        Where to write.
    """
    if fmt == "json":
        json.dump(list(details), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        return
    import yaml

    for number, detail in enumerate(details):
        if number:
            stream.write("---\n")
        stream.write(yaml.safe_dump(detail, sort_keys=False, allow_unicode=True, width=100))


def write_search(result: SearchResult, fmt: str, stream: TextIO) -> None:
    """Render a :class:`SearchResult` as a short explanation (``text``) or ``json``.

    Parameters
    ----------
    result : SearchResult
        From :func:`search_spelling`.
    fmt : {"text", "json"}
        Output format.
    stream : TextIO
        Where to write.
    """
    if fmt == "json":
        json.dump(result.to_dict(), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        return
    lines: list[str] = []
    if result.match in ("exact", "ambiguous"):
        hit = result.hits[0]
        lines.append(f"{result.query!r} -> {hit.skill_id} ({hit.name})")
        if result.match == "exact":
            lines.append(
                f"exact match on the {hit.matched} {hit.spelling!r} (normalised: {result.key!r})"
            )
            if hit.matched == "id":
                lines.append("note: postings are matched on names and aliases, not on ids")
        elif hit.rule is not None:
            lines.append(f"ambiguous alias {hit.spelling!r}: it counts only when its rule holds")
            lines.append(f"why: {hit.rule.why}")
            lines.extend(f"  {line}" for line in _rule_lines(hit.rule))
    elif result.match == "fuzzy":
        lines.append(f"no skill is spelled {result.query!r} (normalised: {result.key!r})")
        lines.append("closest spellings by fuzzy similarity (difflib):")
        lines.extend(
            f"  {hit.score:.2f}  {hit.spelling!r} ({hit.matched}) -> {hit.skill_id} ({hit.name})"
            for hit in result.hits
        )
    else:
        lines.append(
            f"no skill is spelled {result.query!r} (normalised: {result.key!r}), "
            "and no spelling is similar"
        )
    stream.write("\n".join(lines) + "\n")


def _rule_lines(rule: AliasRule) -> list[str]:
    lines = [f"case_sensitive: {str(rule.case_sensitive).lower()}", f"window: {rule.window}"]
    for name in ("context_any", "context_none", "not_next", "not_prev"):
        values = getattr(rule, name)
        if values:
            lines.append(f"{name}: {', '.join(values)}")
    return lines
