"""Pydantic models of the taxonomy files (skills, roles, certifications, projects, paths).

The models only describe the shape of each record; cross-file checks (unknown
skill ids, duplicate aliases, parent cycles) live in :mod:`analyzer.taxonomy`.
All models forbid unknown keys and are frozen, so a loaded taxonomy is read-only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

Category = Literal["core", "cloud_mlops", "genai"]
Ecosystem = Literal["aws", "azure", "gcp", "databricks", "nvidia", "vendor-neutral"]
CertLevel = Literal["foundational", "associate", "professional", "specialty"]
CertKind = Literal["exam", "course"]
EventStatus = Literal["beta", "active", "retired", "closed"]
StageId = Literal["early", "mid", "leadership"]

CATEGORIES: tuple[str, ...] = ("core", "cloud_mlops", "genai")
CATEGORY_NAMES = {"core": "Core", "cloud_mlops": "Cloud / MLOps", "genai": "Generative AI"}
ECOSYSTEMS: tuple[str, ...] = ("aws", "azure", "gcp", "databricks")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"id {value!r} must be lower_snake_case (a-z, 0-9, _)")
    return value


Id = Annotated[str, AfterValidator(_check_id)]


class AliasRule(_Record):
    """An ambiguous alias and the rule that decides when it names the skill.

    A mention of ``text`` counts only if every condition holds: the exact case
    (``case_sensitive``, relaxed in all-lowercase postings where the context
    rules decide alone), at least one ``context_any`` word within ``window``
    tokens, no ``context_none`` word within the window, and neither the next
    token nor the previous token in ``not_next`` / ``not_prev``.
    """

    text: str = Field(min_length=1)
    case_sensitive: bool = False
    context_any: tuple[str, ...] = ()
    context_none: tuple[str, ...] = ()
    not_next: tuple[str, ...] = ()
    not_prev: tuple[str, ...] = ()
    window: int = Field(default=8, ge=1, le=50)
    why: str = Field(
        min_length=1, description="why the alias is ambiguous; shown by taxonomy search"
    )


class Skill(_Record):
    """One skill, tool or practice of the taxonomy."""

    id: Id
    name: str = Field(min_length=1)
    category: Category
    group: str
    parent: str | None = None
    implies: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[AliasRule, ...] = ()
    description: str | None = None
    plurals: bool = Field(default=True, description="also match the plural of each alias")


class SkillExtension(_Record):
    """What a user overlay may add to an existing skill under ``extend:``."""

    aliases: tuple[str, ...] = ()
    ambiguous: tuple[AliasRule, ...] = ()


class SkillGroup(_Record):
    """A group of skills inside one category (programming, rag, ml_lifecycle, ...)."""

    id: Id
    name: str
    category: Category


class RoleFamily(_Record):
    """A role family of the guide, with the skills it emphasises."""

    id: Id
    name: str
    focus: str
    day_to_day: tuple[str, ...] = ()
    label_when: str | None = None
    title_patterns: tuple[str, ...] = ()
    emphasis: dict[str, float] = Field(default_factory=dict)
    certification_fit: str | None = None
    next_roles: tuple[str, ...] = ()

    @field_validator("emphasis")
    @classmethod
    def _weights_in_range(cls, value: dict[str, float]) -> dict[str, float]:
        for skill_id, weight in value.items():
            if not 0.0 < weight <= 1.0:
                raise ValueError(f"emphasis of {skill_id!r} must be in (0, 1], got {weight}")
        return value


class StatusEvent(_Record):
    """A dated change of a certification's status (beta opened, GA, retired, closed)."""

    status: EventStatus
    date: dt.date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _end_needs_date(self) -> StatusEvent:
        if self.status in ("retired", "closed") and self.date is None:
            raise ValueError(f"a {self.status} status needs a date")
        return self


CertStatusName = Literal["announced", "beta", "active", "retiring", "retired", "closed"]


class CertStatus(_Record):
    """The status of a certification on a given day, derived from its history."""

    status: CertStatusName
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def available(self) -> bool:
        """Whether a candidate can still sit the exam (beta, active or retiring)."""
        return self.status in ("beta", "active", "retiring")

    def describe(self) -> str:
        """A short human label such as ``retiring on 2026-06-30``."""
        if self.status == "retiring" and self.until:
            return f"retiring on {self.until.isoformat()}"
        if self.status in ("retired", "closed") and self.since:
            return f"{self.status} on {self.since.isoformat()}"
        if self.status == "announced" and self.until:
            return f"announced (opens {self.until.isoformat()})"
        return self.status


class Certification(_Record):
    """A certification or certificate program of the catalogue."""

    id: Id
    name: str
    code: str | None = None
    provider: str
    ecosystem: Ecosystem
    level: CertLevel
    kind: CertKind = "exam"
    history: tuple[StatusEvent, ...] = Field(min_length=1)
    successors: tuple[str, ...] = ()
    cost_usd: float | None = None
    validity_years: float | None = Field(
        default=None, description="None: unknown; 0: never expires"
    )
    career_stages: tuple[StageId, ...] = Field(min_length=1)
    role_families: tuple[str, ...] = ()
    covers: tuple[str, ...] = Field(min_length=1)
    prerequisites: str | None = None
    unverified: tuple[str, ...] = Field(
        default=(), description="fields whose values are unverified"
    )
    sources: tuple[str, ...] = ()
    aliases: tuple[str, ...] = Field(default=(), description="other names postings use for it")

    @model_validator(mode="after")
    def _history_in_order(self) -> Certification:
        dates = [e.date for e in self.history if e.date is not None]
        if dates != sorted(dates):
            raise ValueError("history events must be in date order")
        return self

    def status_on(self, as_of: dt.date) -> CertStatus:
        """Evaluate the status on ``as_of`` from the dated history."""
        current: StatusEvent | None = None
        upcoming: StatusEvent | None = None
        for event in self.history:
            if event.date is None or event.date <= as_of:
                current = event
            elif upcoming is None:
                upcoming = event
        if current is None:
            return CertStatus(status="announced", until=upcoming.date if upcoming else None)
        ending = upcoming is not None and upcoming.status in ("retired", "closed")
        if current.status in ("active", "beta") and ending and upcoming is not None:
            return CertStatus(status="retiring", since=current.date, until=upcoming.date)
        return CertStatus(status=current.status, since=current.date)


class Project(_Record):
    """A portfolio project in the guide's sense: data, metrics, trade-offs, deployment."""

    id: Id
    title: str
    summary: str
    skills: tuple[str, ...] = Field(min_length=1)
    deliverables: tuple[str, ...] = Field(min_length=1)
    effort_days: int = Field(ge=1, le=120)
    career_stages: tuple[StageId, ...] = Field(min_length=1)
    role_families: tuple[str, ...] = Field(min_length=1)
    data_sourcing: str
    evaluation: str
    tradeoffs: str
    deployment: str


class StageInference(_Record):
    """How a career stage is recognised in a profile."""

    min_years: float = 0
    max_years: float | None = None
    role_keywords: tuple[str, ...] = ()


class CareerStage(_Record):
    """One of the guide's three career paths."""

    id: StageId
    name: str
    summary: str
    priorities: tuple[str, ...] = Field(min_length=1)
    certification_levels: tuple[CertLevel, ...] = Field(min_length=1)
    projects_min: int = Field(default=2, ge=1)
    projects_max: int = Field(default=3, ge=1)
    infer: StageInference
