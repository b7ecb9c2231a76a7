"""Candidate profiles: what a job seeker already has, read from a profile file or a resume.

A profile is either a structured YAML/JSON file (documented in the README,
section "Gap analysis") or a resume (``.txt``, ``.md``, ``.pdf``, ``.docx``)
that goes through the same skill extraction as a posting. Either way the
result is a :class:`Profile`: a plain, immutable record whose skill and
certification references are canonical taxonomy ids.

Validation collects every problem and raises one :class:`ProfileError` with
one ``file: [field] message`` line per problem; nothing is silently dropped.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analyzer.errors import InputError, ProfileError

if TYPE_CHECKING:
    from analyzer.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

__all__ = [
    "PROFILE_SUFFIXES",
    "RESUME_SUFFIXES",
    "Profile",
    "ProfileProject",
    "ProfileSkill",
    "infer_stage",
    "load_profile",
    "profile_error",
    "profile_from_dict",
    "profile_from_resume_text",
]

PROFILE_SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".json")
RESUME_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx")
SkillLevel = Literal["beginner", "intermediate", "advanced", "expert"]
StageName = Literal["early", "mid", "leadership"]
PROFILE_ECOSYSTEMS: tuple[str, ...] = ("aws", "azure", "gcp", "databricks")

#: Used when the taxonomy has no ``paths.yaml`` stages: (stage, min years, max years).
DEFAULT_STAGE_YEARS: tuple[tuple[str, float, float | None], ...] = (
    ("early", 0.0, 3.0),
    ("mid", 3.0, 10.0),
    ("leadership", 10.0, None),
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ProfileSkill:
    """One skill the candidate claims.

    Parameters
    ----------
    id : str
        Canonical taxonomy skill id.
    level : {"beginner", "intermediate", "advanced", "expert"} or None
        Self-assessed level, if given. Shown in reports; it does not change scores.
    years : float or None
        Years of use, if given; compared with the years a posting asks for.
    source : str
        Where the claim comes from: ``"profile"``, ``"resume"`` or ``"project <title>"``.
    """

    id: str
    level: str | None = None
    years: float | None = None
    source: str = "profile"


@dataclass(frozen=True)
class ProfileProject:
    """A project the candidate has done: a catalogue project id or a free title with skills."""

    title: str
    id: str | None = None
    skills: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Profile:
    """A candidate: experience, skills, certifications held, projects done, preferred ecosystem.

    Skill, certification and catalogue-project references are canonical
    taxonomy ids. Build one with :func:`load_profile` or by hand in tests.

    Examples
    --------
    >>> p = Profile(name="Ada", years_experience=2, skills=(ProfileSkill("python"),))
    >>> p.skill_ids
    ('python',)
    """

    name: str
    years_experience: float | None = None
    current_role: str | None = None
    skills: tuple[ProfileSkill, ...] = ()
    certifications: tuple[str, ...] = ()
    projects: tuple[ProfileProject, ...] = ()
    preferred_ecosystem: str | None = None
    stage: str | None = None
    source: str = "-"
    kind: Literal["profile", "resume"] = "profile"

    @property
    def skill_ids(self) -> tuple[str, ...]:
        """Skill ids named in ``skills`` and in done projects, deduplicated, in first-seen order."""
        seen: dict[str, None] = {}
        for skill in self.skills:
            seen.setdefault(skill.id, None)
        for project in self.projects:
            for skill_id in project.skills:
                seen.setdefault(skill_id, None)
        return tuple(seen)

    def get_skill(self, skill_id: str) -> ProfileSkill | None:
        """The claim for ``skill_id`` from ``skills``, or None."""
        for skill in self.skills:
            if skill.id == skill_id:
                return skill
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary of the profile (ids, not objects)."""
        return {
            "name": self.name,
            "source": self.source,
            "kind": self.kind,
            "years_experience": self.years_experience,
            "current_role": self.current_role,
            "stage": self.stage,
            "preferred_ecosystem": self.preferred_ecosystem,
            "skills": [
                {"id": s.id, "level": s.level, "years": s.years, "source": s.source}
                for s in self.skills
            ],
            "certifications": list(self.certifications),
            "projects": [
                {"title": p.title, "id": p.id, "skills": list(p.skills)} for p in self.projects
            ],
        }


# --------------------------------------------------------------------------- file schema


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _SkillEntry(_Strict):
    skill: str = Field(min_length=1)
    level: SkillLevel | None = None
    years: float | None = Field(default=None, ge=0, le=60)


class _ProjectEntry(_Strict):
    title: str | None = Field(default=None, min_length=1)
    id: str | None = Field(default=None, min_length=1)
    skills: list[str] = Field(default_factory=list)
    url: str | None = None


class _ProfileFile(_Strict):
    name: str = Field(min_length=1)
    years_experience: float | None = Field(default=None, ge=0, le=60)
    current_role: str | None = None
    stage: StageName | None = None
    preferred_ecosystem: str | None = None
    skills: list[str | _SkillEntry] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    projects: list[str | _ProjectEntry] = Field(default_factory=list)


_ENTRY_HINTS = {
    "skills": ("a skill name or a mapping with 'skill', 'level', 'years'", _SkillEntry),
    "projects": (
        "a project title, a catalogue id or a mapping with 'title', 'id', 'skills', 'url'",
        _ProjectEntry,
    ),
}


def _allowed(model: type[BaseModel]) -> str:
    return ", ".join(model.model_fields)


def _pydantic_problems(source: str, data: Mapping[str, Any], exc: ValidationError) -> list[str]:
    """One readable line per problem; union branches of list entries are folded into one."""
    problems: dict[str, None] = {}
    for err in exc.errors():
        loc = list(err["loc"])
        message = err["msg"]
        model: type[BaseModel] = _ProfileFile
        if len(loc) >= 3 and loc[0] in _ENTRY_HINTS and isinstance(loc[1], int):
            hint, model = _ENTRY_HINTS[loc[0]]
            entries = data.get(loc[0])
            entry = entries[loc[1]] if isinstance(entries, list) else None
            if not isinstance(entry, Mapping):
                message = f"expected {hint}"
                loc = loc[:2]
            elif not str(loc[2]).startswith("_"):
                continue  # the string branch failing on a mapping says nothing new
            else:
                loc = loc[:2] + loc[3:]
        if err["type"] == "extra_forbidden":
            message = f"unknown field (allowed: {_allowed(model)})"
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        problems.setdefault(f"{source}: [{where or 'top'}] {message}", None)
    return list(problems)


def profile_error(problems: list[str]) -> ProfileError:
    """A :class:`ProfileError` whose message has one problem per line (kept in ``.problems``)."""
    error = ProfileError("\n".join(problems))
    error.problems = list(problems)  # type: ignore[attr-defined]
    return error


def _suggest(text: str, taxonomy: Taxonomy) -> str:
    names = sorted({s.name for s in taxonomy.skills.values()} | set(taxonomy.skills))
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _resolve_skill(text: str, taxonomy: Taxonomy) -> str | None:
    try:
        return taxonomy.lookup(text).id
    except LookupError:
        return None


def profile_from_dict(data: Any, *, source: str = "-", taxonomy: Taxonomy | None = None) -> Profile:
    """Validate a parsed profile mapping and resolve its names to taxonomy ids.

    Parameters
    ----------
    data : Any
        The parsed YAML/JSON document.
    source : str
        File name used in error messages.
    taxonomy : Taxonomy, optional
        Defaults to :func:`analyzer.taxonomy.get_taxonomy`.

    Returns
    -------
    Profile

    Raises
    ------
    ProfileError
        With one ``source: [field] message`` line per problem.

    Examples
    --------
    >>> p = profile_from_dict({"name": "Ada", "skills": ["Python", {"skill": "k8s", "years": 2}]})
    >>> [s.id for s in p.skills]  # doctest: +SKIP
    ['python', 'kubernetes']
    """
    if taxonomy is None:
        from analyzer.taxonomy import get_taxonomy

        taxonomy = get_taxonomy()
    if not isinstance(data, Mapping):
        raise profile_error([f"{source}: [top] expected a mapping with at least a 'name' field"])
    try:
        raw = _ProfileFile.model_validate(dict(data))
    except ValidationError as exc:
        raise profile_error(_pydantic_problems(source, data, exc)) from None

    problems: list[str] = []
    if raw.preferred_ecosystem is not None and raw.preferred_ecosystem not in PROFILE_ECOSYSTEMS:
        problems.append(
            f"{source}: [preferred_ecosystem] unknown ecosystem {raw.preferred_ecosystem!r} "
            f"(one of: {', '.join(PROFILE_ECOSYSTEMS)})"
        )

    skills: list[ProfileSkill] = []
    seen_skills: set[str] = set()
    for index, entry in enumerate(raw.skills):
        spec = _SkillEntry(skill=entry) if isinstance(entry, str) else entry
        skill_id = _resolve_skill(spec.skill, taxonomy)
        if skill_id is None:
            problems.append(
                f"{source}: [skills[{index}]] unknown skill {spec.skill!r}"
                f"{_suggest(spec.skill, taxonomy)}"
            )
            continue
        if skill_id in seen_skills:
            problems.append(f"{source}: [skills[{index}]] skill {skill_id!r} is listed twice")
            continue
        seen_skills.add(skill_id)
        skills.append(ProfileSkill(skill_id, level=spec.level, years=spec.years))

    certs: list[str] = []
    for index, text in enumerate(raw.certifications):
        cert = taxonomy.certification_by_code(text)
        if cert is None:
            problems.append(
                f"{source}: [certifications[{index}]] unknown certification {text!r} "
                "(use a catalogue id, exam code or name; see `skillgap taxonomy`)"
            )
        elif cert.id in certs:
            problems.append(f"{source}: [certifications[{index}]] {cert.id!r} is listed twice")
        else:
            certs.append(cert.id)

    projects: list[ProfileProject] = []
    for index, entry in enumerate(raw.projects):
        spec = _ProjectEntry(id=entry) if isinstance(entry, str) else entry
        where = f"{source}: [projects[{index}]"
        catalogue = taxonomy.projects.get(spec.id) if spec.id else None
        if spec.id and catalogue is None and isinstance(entry, str):
            # a bare string that is not a catalogue id is a free title without skills
            projects.append(ProfileProject(title=entry))
            continue
        if spec.id and catalogue is None:
            problems.append(f"{where}.id] unknown catalogue project {spec.id!r}")
            continue
        if catalogue is None and not spec.title:
            problems.append(f"{where}] a project needs a 'title' or a catalogue 'id'")
            continue
        ids: list[str] = list(catalogue.skills) if catalogue else []
        for s_index, name in enumerate(spec.skills):
            skill_id = _resolve_skill(name, taxonomy)
            if skill_id is None:
                problems.append(
                    f"{where}.skills[{s_index}]] unknown skill {name!r}{_suggest(name, taxonomy)}"
                )
            elif skill_id not in ids:
                ids.append(skill_id)
        title = spec.title or (catalogue.title if catalogue else "")
        projects.append(
            ProfileProject(
                title=title, id=catalogue.id if catalogue else None, skills=tuple(ids), url=spec.url
            )
        )

    if problems:
        raise profile_error(problems)
    return Profile(
        name=raw.name,
        years_experience=raw.years_experience,
        current_role=raw.current_role,
        skills=tuple(skills),
        certifications=tuple(certs),
        projects=tuple(projects),
        preferred_ecosystem=raw.preferred_ecosystem,
        stage=raw.stage,
        source=source,
        kind="profile",
    )


# --------------------------------------------------------------------------- resumes

_YEARS = re.compile(
    r"\b(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)\b(?:\s+of)?(?:\s+\w+){0,4}?\s+experience",
    re.IGNORECASE,
)
_ROLE_LINE = re.compile(r"^(?:current\s+role|title|role|position)\s*[:\-]\s*(.+)$", re.IGNORECASE)


def _resume_years(text: str) -> float | None:
    values = [float(m.group(1)) for m in _YEARS.finditer(text)]
    return max(values) if values else None


def _resume_lines(text: str) -> list[str]:
    return [line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip()]


def profile_from_resume_text(
    text: str, *, source: str = "-", taxonomy: Taxonomy | None = None
) -> Profile:
    """Build a profile from resume text with the posting extraction pipeline.

    The first non-empty line is the name; a ``Role:``/``Title:`` line (else the
    second line) is the current role; the largest ``N years ... experience`` is
    the experience. Skills are every skill the pipeline finds; certifications
    are the catalogue certifications the resume names. Requirement levels are
    ignored: a resume only says that the candidate has a skill.

    Parameters
    ----------
    text : str
        The resume text.
    source : str
        The file name, kept on the profile.
    taxonomy : Taxonomy, optional
        Defaults to the bundled taxonomy.

    Returns
    -------
    Profile

    Raises
    ------
    InputError
        If the text is empty.
    """
    from analyzer.pipeline import analyze

    if not text.strip():
        raise InputError(f"{source}: the resume is empty")
    analysis = analyze(text, source=source, taxonomy=taxonomy)
    lines = _resume_lines(text)
    name = lines[0] if lines else Path(source).stem
    role = None
    for line in lines[1:]:
        match = _ROLE_LINE.match(line)
        if match:
            role = match.group(1).strip()
            break
    if role is None and len(lines) > 1 and len(lines[1]) <= 80:
        role = lines[1]
    skills = tuple(
        ProfileSkill(m.id, years=float(m.years) if m.years is not None else None, source="resume")
        for m in sorted(analysis.skills, key=lambda m: m.id)
        if not m.implied
    )
    return Profile(
        name=name,
        years_experience=_resume_years(text),
        current_role=role,
        skills=skills,
        certifications=tuple(sorted(set(analysis.certifications))),
        preferred_ecosystem=analysis.primary_ecosystem
        if analysis.primary_ecosystem in PROFILE_ECOSYSTEMS
        else None,
        source=source,
        kind="resume",
    )


# --------------------------------------------------------------------------- loading


def _parse_structured(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise profile_error([f"{path}: [line {exc.lineno}] invalid JSON: {exc.msg}"]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "top"
        problem = getattr(exc, "problem", None) or str(exc)
        raise profile_error([f"{path}: [{where}] invalid YAML: {problem}"]) from None


def load_profile(path: str | os.PathLike[str], *, taxonomy: Taxonomy | None = None) -> Profile:
    """Read a candidate profile (YAML/JSON) or a resume (txt, md, pdf, docx).

    Parameters
    ----------
    path : path-like
        ``.yaml``/``.yml``/``.json`` files are structured profiles; ``.txt``,
        ``.md``, ``.pdf`` and ``.docx`` files are resumes read by
        :func:`analyzer.reader.read_document` and the extraction pipeline.
    taxonomy : Taxonomy, optional
        Defaults to the bundled taxonomy.

    Returns
    -------
    Profile

    Raises
    ------
    ProfileError
        If a structured profile does not validate (one line per problem).
    InputError
        If the file is missing, unreadable or of an unsupported type.

    Examples
    --------
    >>> profile = load_profile("samples/profiles/mid-level.json")  # doctest: +SKIP
    >>> profile.preferred_ecosystem  # doctest: +SKIP
    'aws'
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if not file.is_file():
        raise InputError(f"{file}: profile file not found")
    if suffix in PROFILE_SUFFIXES:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{file}: cannot be read ({exc})") from None
        return profile_from_dict(_parse_structured(file, text), source=str(file), taxonomy=taxonomy)
    if suffix in RESUME_SUFFIXES:
        from analyzer.reader import read_document

        text, _title, _format = read_document(file)
        return profile_from_resume_text(text, source=str(file), taxonomy=taxonomy)
    raise InputError(
        f"{file}: unsupported profile type {suffix or '(none)'!r}; use one of "
        f"{', '.join(PROFILE_SUFFIXES + RESUME_SUFFIXES)}"
    )


# --------------------------------------------------------------------------- career stage


def _keyword_hit(keyword: str, role: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(keyword.lower())}(?![a-z0-9])", role) is not None


def infer_stage(profile: Profile, taxonomy: Taxonomy) -> tuple[str, str]:
    """The career stage of a profile and why.

    Rules, in order (stages as in ``paths.yaml``, in file order):

    1. an explicit ``stage`` in the profile wins;
    2. a role keyword of the last stage (leadership: lead, architect, manager, ...)
       in ``current_role`` wins over years, because the title states the job;
    3. else ``years_experience`` picks the stage whose ``[min_years, max_years)``
       range holds it (years win over generic keywords: a "senior data analyst"
       with six years is mid-level, a "data scientist" with one year is early);
    4. else the lowest stage whose role keyword occurs in ``current_role``;
    5. else ``mid``, reported as assumed.

    Parameters
    ----------
    profile : Profile
    taxonomy : Taxonomy

    Returns
    -------
    tuple of (str, str)
        The stage id and a one-line reason.

    Examples
    --------
    >>> infer_stage(Profile(name="A", years_experience=1), tax)  # doctest: +SKIP
    ('early', '1 years of experience (range 0-2)')
    """
    if profile.stage:
        return profile.stage, "stated in the profile"
    if taxonomy.stages:
        ranges = [
            (s.id, float(s.infer.min_years), s.infer.max_years, s.infer.role_keywords)
            for s in taxonomy.stages.values()
        ]
    else:
        ranges = [(sid, lo, hi, ()) for sid, lo, hi in DEFAULT_STAGE_YEARS]
    role = (profile.current_role or "").lower()
    hits = [(sid, kw) for sid, _, _, kws in ranges for kw in kws if role and _keyword_hit(kw, role)]
    top = ranges[-1][0]
    for sid, kw in hits:
        if sid == top:
            return sid, f"current role {profile.current_role!r} contains {kw!r}"
    years = profile.years_experience
    if years is not None:
        for sid, lo, hi, _ in ranges:
            if years >= lo and (hi is None or years < hi):
                upper = f"-{hi:g}" if hi is not None else "+"
                unit = "year" if years == 1 else "years"
                return sid, f"{years:g} {unit} of experience (range {lo:g}{upper})"
    if hits:
        sid, kw = hits[0]
        return sid, f"current role {profile.current_role!r} contains {kw!r} (no years given)"
    return "mid", "assumed: the profile gives neither years of experience nor a telling role"
