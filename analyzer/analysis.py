"""The result of analysing one posting, and its contract JSON form.

:class:`Analysis` is a plain, immutable record; :meth:`Analysis.to_dict` gives
exactly the object described by ``analyzer/contract/analysis.schema.json``
(the JSON that ``skillgap analyze --format json`` prints and batch writes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1"
Requirement = Literal["required", "preferred", "mentioned"]
REQUIREMENT_ORDER: dict[str, int] = {"required": 0, "preferred": 1, "mentioned": 2}
SeniorityLevel = Literal["entry", "mid", "senior", "lead", "unknown"]


@dataclass(frozen=True)
class Evidence:
    """Where a skill was seen: ``text == posting_text[start:end]``."""

    text: str
    start: int
    end: int
    section: str | None = None
    alias: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "section": self.section}


@dataclass(frozen=True)
class SkillMention:
    """One skill of a posting with its requirement level, years and evidence.

    ``implied`` is true when the skill was not named itself but follows from a
    more specific one (``Pinecone`` implies ``vector_database``); ``implied_by``
    names those skills. ``alternatives`` are the skills the posting accepts
    instead ("LangChain or LlamaIndex", "AWS, Azure or GCP").
    """

    id: str
    name: str
    category: str
    requirement: Requirement
    years: int | None = None
    evidence: tuple[Evidence, ...] = ()
    implied_by: tuple[str, ...] = ()
    contract: bool = True
    alternatives: tuple[str, ...] = ()

    @property
    def implied(self) -> bool:
        return not self.evidence and bool(self.implied_by)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "requirement": self.requirement,
            "years": self.years,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.implied_by:
            out["implied_by"] = list(self.implied_by)
        if self.alternatives:
            out["alternatives"] = list(self.alternatives)
        return out


@dataclass(frozen=True)
class RolePrediction:
    """The role family of a posting with calibrated probabilities."""

    family: str
    confidence: float
    probabilities: dict[str, float]
    evidence: tuple[str, ...] = ()
    runner_up: str | None = None
    method: str = "model"

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "confidence": round(self.confidence, 6),
            "probabilities": {k: round(v, 6) for k, v in self.probabilities.items()},
            "evidence": list(self.evidence),
            "runner_up": self.runner_up,
        }


@dataclass(frozen=True)
class Seniority:
    """Seniority level and the minimum years of experience a posting asks for."""

    level: SeniorityLevel = "unknown"
    min_years: int | None = None
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "min_years": self.min_years}


@dataclass(frozen=True)
class Analysis:
    """Everything ``analyze`` finds in one posting.

    ``text`` is the posting text as read (after decoding and, for HTML, tag
    stripping); every evidence offset refers to it.
    """

    source: str
    text: str
    title: str | None
    role: RolePrediction
    skills: tuple[SkillMention, ...]
    seniority: Seniority = field(default_factory=Seniority)
    ecosystems: dict[str, int] = field(default_factory=dict)
    certifications: tuple[str, ...] = ()
    unknown_terms: tuple[str, ...] = ()
    sections: tuple[tuple[str, int, int], ...] = ()

    @property
    def skill_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.skills)

    def get(self, skill_id: str) -> SkillMention | None:
        """The mention of ``skill_id``, or None."""
        for skill in self.skills:
            if skill.id == skill_id:
                return skill
        return None

    @property
    def categories(self) -> dict[str, int]:
        counts = {"core": 0, "cloud_mlops": 0, "genai": 0}
        for skill in self.skills:
            counts[skill.category] = counts.get(skill.category, 0) + 1
        return counts

    @property
    def primary_ecosystem(self) -> str | None:
        """The cloud ecosystem the posting names most (ties: none)."""
        ranked = sorted(self.ecosystems.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] == 0:
            return None
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None
        return ranked[0][0]

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON object (``analysis.schema.json``, schema_version 1)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "title": self.title,
            "role": self.role.to_dict(),
            "seniority": self.seniority.to_dict(),
            "ecosystems": dict(self.ecosystems),
            "skills": [s.to_dict() for s in self.skills],
            "categories": self.categories,
            "certifications": list(self.certifications),
            "unknown_terms": list(self.unknown_terms),
        }
