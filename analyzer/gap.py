"""Gap analysis: from a posting (or many) and a candidate profile to a concrete plan.

Pure functions over :class:`~analyzer.analysis.Analysis`, :class:`~analyzer.profile.Profile`
and :class:`~analyzer.taxonomy.Taxonomy`; no spaCy, no I/O (a posting given as text
goes through :func:`analyzer.pipeline.analyze`, imported only then).

The rules, also documented in the README ("Gap analysis"):

* **Status.** A posting skill is *matched* when the candidate holds it. Holding a
  skill also means holding its ancestors (has PyTorch => has deep learning). It
  is *transferable* when the candidate holds a sibling in the same group (has
  Weaviate, the posting wants Pinecone) or named its parent directly (profile
  says "vector databases", the posting wants Pinecone). Otherwise it is *missing*.
  Held skills are the profile's skills, the skills of projects done and the
  ``covers`` of certifications held (also retired ones: the knowledge stays).
* **Weight.** ``requirement weight x (1 + emphasis)`` with required 3, preferred 2,
  mentioned 1, and ``emphasis`` the role family's ``roles.yaml`` value for the skill
  or its nearest listed parent (0 when none). Skills the posting only implies
  (PyTorch implies deep learning) are not scored again: the named skill carries it.
* **Coverage.** ``100 x sum(weight x credit) / sum(weight)`` with credit 1 matched,
  0.5 transferable, 0 missing; overall and per category.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import types
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from analyzer.analysis import REQUIREMENT_ORDER, Analysis
from analyzer.profile import Profile, infer_stage, profile_error
from analyzer.taxonomy_models import CATEGORIES, CATEGORY_NAMES

if TYPE_CHECKING:
    from analyzer.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

__all__ = [
    "CREDIT",
    "REQUIREMENT_WEIGHTS",
    "CategoryScore",
    "CertificationRec",
    "Coverage",
    "ExcludedCertification",
    "GapItem",
    "GapReport",
    "HeldCertification",
    "PlanStep",
    "ProjectRec",
    "candidate_skills",
    "classify",
    "coverage",
    "gap",
    "gap_items",
    "market_gap",
]

Status = Literal["matched", "transferable", "missing"]
REQUIREMENT_WEIGHTS: dict[str, float] = {"required": 3.0, "preferred": 2.0, "mentioned": 1.0}
CREDIT: dict[str, float] = {"matched": 1.0, "transferable": 0.5, "missing": 0.0}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GapItem:
    """One posting skill with its weight and its status against the profile.

    ``via`` names the held skills that make a skill transferable (a sibling or
    the parent); ``share`` is the fraction of postings naming it (market gap only).
    """

    id: str
    name: str
    category: str
    requirement: str
    weight: float
    emphasis: float
    status: Status
    via: tuple[str, ...] = ()
    note: str | None = None
    share: float | None = None
    postings: int | None = None
    alternatives: tuple[str, ...] = ()

    @property
    def credit(self) -> float:
        """Credit toward coverage: 1 matched, 0.5 transferable, 0 missing."""
        return CREDIT[self.status]

    @property
    def gap_weight(self) -> float:
        """The weight still open: ``weight x (1 - credit)``."""
        return self.weight * (1.0 - self.credit)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "requirement": self.requirement,
            "weight": round(self.weight, 3),
            "emphasis": round(self.emphasis, 3),
        }
        if self.status == "transferable":
            out["via"] = list(self.via)
        if self.note:
            out["note"] = self.note
        if self.share is not None:
            out["share"] = round(self.share, 4)
            out["postings"] = self.postings
        if self.alternatives:
            out["alternatives"] = list(self.alternatives)
        return out


@dataclass(frozen=True)
class CategoryScore:
    """Coverage of one category (or overall): ``score = 100 x earned / total``."""

    category: str
    name: str
    earned: float
    total: float

    @property
    def score(self) -> float | None:
        """0-100, or None when the posting has no skill in the category."""
        return round(100.0 * self.earned / self.total, 1) if self.total else None

    def explain(self) -> str:
        """``Core: 100 x 7.5 / 12.0 = 62.5`` or ``Core: no skills in the posting``."""
        if not self.total:
            return f"{self.name}: no skills of this category in the posting"
        earned, total = round(self.earned, 2), round(self.total, 2)
        return f"{self.name}: 100 x {earned:g} / {total:g} = {self.score:g}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "earned": round(self.earned, 3),
            "total": round(self.total, 3),
        }


@dataclass(frozen=True)
class Coverage:
    """Overall and per-category coverage with the arithmetic spelled out."""

    overall: CategoryScore
    categories: tuple[CategoryScore, ...]

    @property
    def score(self) -> float:
        """The overall score (0 when the posting names no skill)."""
        return self.overall.score or 0.0

    def explanation(self, family_name: str | None = None) -> tuple[str, ...]:
        """Human lines: the formula, then overall and per-category arithmetic."""
        family = f" for {family_name}" if family_name else ""
        return (
            "weight = requirement weight (required 3, preferred 2, mentioned 1) x "
            f"(1 + role emphasis{family}, 0-1 from roles.yaml; 0 when the skill is not listed)",
            "credit = 1 matched, 0.5 transferable, 0 missing; "
            "coverage = 100 x sum(weight x credit) / sum(weight)",
            "Overall: " + self.overall.explain().split(": ", 1)[1],
            *(c.explain() for c in self.categories),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.score if self.overall.total else 0.0,
            "earned": round(self.overall.earned, 3),
            "total": round(self.overall.total, 3),
            "categories": {c.category: c.to_dict() for c in self.categories},
        }


@dataclass(frozen=True)
class CertificationRec:
    """A recommended certification and why."""

    id: str
    name: str
    code: str | None
    provider: str
    ecosystem: str
    level: str
    kind: str
    status: str
    status_label: str
    covers: tuple[str, ...]
    gain: float
    score: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "code": self.code,
            "provider": self.provider,
            "ecosystem": self.ecosystem,
            "level": self.level,
            "kind": self.kind,
            "status": self.status,
            "status_label": self.status_label,
            "covers": list(self.covers),
            "gain": round(self.gain, 3),
            "score": round(self.score, 3),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ExcludedCertification:
    """A catalogue certification that would cover a gap but is not recommended, and why."""

    id: str
    name: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class HeldCertification:
    """A certification the candidate holds, with its status on the as-of date."""

    id: str
    name: str
    code: str | None
    status: str
    note: str
    successors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "code": self.code,
            "status": self.status,
            "note": self.note,
            "successors": list(self.successors),
        }


@dataclass(frozen=True)
class ProjectRec:
    """A recommended portfolio project and why."""

    id: str
    title: str
    covers: tuple[str, ...]
    deliverables: tuple[str, ...]
    effort_days: int
    gain: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "covers": list(self.covers),
            "deliverables": list(self.deliverables),
            "effort_days": self.effort_days,
            "gain": round(self.gain, 3),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PlanStep:
    """One step of the plan with the coverage expected before and after it."""

    number: int
    kind: Literal["certification", "project"]
    id: str
    title: str
    covers: tuple[str, ...]
    coverage_before: float
    coverage_after: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.number,
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "covers": list(self.covers),
            "coverage_before": self.coverage_before,
            "coverage_after": self.coverage_after,
            "text": self.text,
        }


@dataclass(frozen=True)
class GapReport:
    """Everything :func:`gap` (one posting) or :func:`market_gap` (many) finds.

    ``items`` holds every scored posting skill; :attr:`matched`,
    :attr:`transferable` and :attr:`missing` are views sorted by weight, then id.
    """

    scope: Literal["posting", "market"]
    source: str
    title: str | None
    profile: Profile
    role_family: str | None
    role_name: str | None
    stage: str
    stage_name: str
    stage_reason: str
    ecosystem: str | None
    ecosystem_reason: str
    as_of: dt.date
    items: tuple[GapItem, ...]
    coverage: Coverage
    certifications: tuple[CertificationRec, ...] = ()
    excluded_certifications: tuple[ExcludedCertification, ...] = ()
    held_certifications: tuple[HeldCertification, ...] = ()
    projects: tuple[ProjectRec, ...] = ()
    plan: tuple[PlanStep, ...] = ()
    advice: tuple[str, ...] = ()
    postings: int = 1
    notes: tuple[str, ...] = field(default=())

    def _view(self, status: Status) -> tuple[GapItem, ...]:
        if self.scope == "market":
            key = lambda i: (-(i.share or 0.0), -i.weight, i.id)  # noqa: E731
        else:
            key = lambda i: (-i.weight, i.id)  # noqa: E731
        return tuple(sorted((i for i in self.items if i.status == status), key=key))

    @property
    def matched(self) -> tuple[GapItem, ...]:
        return self._view("matched")

    @property
    def transferable(self) -> tuple[GapItem, ...]:
        return self._view("transferable")

    @property
    def missing(self) -> tuple[GapItem, ...]:
        return self._view("missing")

    def explanation(self) -> tuple[str, ...]:
        """The coverage arithmetic, line by line."""
        return self.coverage.explanation(self.role_name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stable key order, rounded numbers)."""
        coverage = self.coverage.to_dict()
        coverage["explanation"] = list(self.explanation())
        return {
            "scope": self.scope,
            "source": self.source,
            "title": self.title,
            "postings": self.postings,
            "as_of": self.as_of.isoformat(),
            "profile": {
                "name": self.profile.name,
                "source": self.profile.source,
                "kind": self.profile.kind,
            },
            "role_family": {"id": self.role_family, "name": self.role_name},
            "stage": {"id": self.stage, "name": self.stage_name, "reason": self.stage_reason},
            "ecosystem": {"id": self.ecosystem, "reason": self.ecosystem_reason},
            "coverage": coverage,
            "matched": [i.to_dict() for i in self.matched],
            "transferable": [i.to_dict() for i in self.transferable],
            "missing": [i.to_dict() for i in self.missing],
            "certifications": [c.to_dict() for c in self.certifications],
            "excluded_certifications": [c.to_dict() for c in self.excluded_certifications],
            "held_certifications": [c.to_dict() for c in self.held_certifications],
            "projects": [p.to_dict() for p in self.projects],
            "plan": [s.to_dict() for s in self.plan],
            "advice": list(self.advice),
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- skills held


def candidate_skills(profile: Profile, taxonomy: Taxonomy) -> dict[str, str]:
    """The skills a candidate holds explicitly, each with where the claim comes from.

    Parameters
    ----------
    profile : Profile
    taxonomy : Taxonomy

    Returns
    -------
    dict of str to str
        Skill id -> ``"profile"``, ``"resume"``, ``"project <title>"`` or
        ``"certification <name>"``, in insertion order.

    Raises
    ------
    ProfileError
        If the profile names an id the taxonomy does not know.
    """
    held: dict[str, str] = {}
    problems: list[str] = []
    for skill in profile.skills:
        held.setdefault(skill.id, skill.source)
    for project in profile.projects:
        for skill_id in project.skills:
            held.setdefault(skill_id, f"project {project.title}")
    for cert_id in profile.certifications:
        cert = taxonomy.certifications.get(cert_id)
        if cert is None:
            problems.append(f"{profile.source}: [certifications] unknown certification {cert_id!r}")
            continue
        for skill_id in cert.covers:
            held.setdefault(skill_id, f"certification {cert.name}")
    for skill_id in held:
        if skill_id not in taxonomy.skills:
            problems.append(f"{profile.source}: [skills] unknown skill id {skill_id!r}")
    if problems:
        raise profile_error(problems)
    return held


def _closure(explicit: Iterable[str], taxonomy: Taxonomy) -> set[str]:
    """Explicit skills plus every ancestor (parent chain and ``implies``)."""
    held: set[str] = set()
    for skill_id in explicit:
        held.add(skill_id)
        held.update(taxonomy.ancestors(skill_id))
    return held


def classify(
    skill_id: str, explicit: Iterable[str], taxonomy: Taxonomy, *, held: set[str] | None = None
) -> tuple[Status, tuple[str, ...]]:
    """Status of one posting skill against the skills a candidate holds.

    Parameters
    ----------
    skill_id : str
        The posting skill.
    explicit : iterable of str
        Skills the candidate holds explicitly (see :func:`candidate_skills`).
    taxonomy : Taxonomy
    held : set of str, optional
        The precomputed closure of ``explicit`` (explicit plus ancestors).

    Returns
    -------
    tuple
        ``(status, via)``: ``via`` lists the held siblings, or the parent, that
        make the skill transferable (empty otherwise).

    Examples
    --------
    >>> classify("pinecone", ["weaviate"], tax)  # doctest: +SKIP
    ('transferable', ('weaviate',))
    """
    explicit = set(explicit)
    held = held if held is not None else _closure(explicit, taxonomy)
    if skill_id in held:
        return "matched", ()
    skill = taxonomy.skills[skill_id]
    if skill.parent is None:
        return "missing", ()
    siblings = tuple(
        sid
        for sid in taxonomy.children(skill.parent)
        if sid != skill_id and sid in held and taxonomy.skills[sid].group == skill.group
    )
    if siblings:
        return "transferable", siblings
    if skill.parent in explicit:
        return "transferable", (skill.parent,)
    return "missing", ()


def _emphasis(skill_id: str, family: str | None, taxonomy: Taxonomy) -> float:
    """The role emphasis of a skill, or of its nearest parent the family lists; 0 if none."""
    role = taxonomy.roles.get(family) if family else None
    if role is None or not role.emphasis:
        return 0.0
    current: str | None = skill_id
    while current is not None:
        if current in role.emphasis:
            return float(role.emphasis[current])
        current = taxonomy.skills[current].parent
    return 0.0


def _years_note(item_id: str, asked: int | None, profile: Profile) -> str | None:
    if asked is None:
        return None
    claim = profile.get_skill(item_id)
    if claim is None or claim.years is None or claim.years >= asked:
        return None
    return f"the posting asks for {asked} years, the profile states {claim.years:g}"


def gap_items(
    analysis: Analysis,
    explicit: Iterable[str],
    taxonomy: Taxonomy,
    *,
    profile: Profile | None = None,
) -> tuple[GapItem, ...]:
    """Score every named skill of a posting against the candidate's held skills.

    Parameters
    ----------
    analysis : Analysis
        The analysed posting. Implied mentions (no evidence, only ``implied_by``) are skipped.
    explicit : iterable of str
        Skills the candidate holds explicitly.
    taxonomy : Taxonomy
    profile : Profile, optional
        Used only to note a shortfall in years.

    Returns
    -------
    tuple of GapItem
        Sorted by weight (descending), then id.
    """
    explicit = set(explicit)
    held = _closure(explicit, taxonomy)
    family = analysis.role.family if analysis.role else None
    items = []
    for mention in analysis.skills:
        if mention.implied or mention.id not in taxonomy.skills:
            continue
        emphasis = _emphasis(mention.id, family, taxonomy)
        status, via = classify(mention.id, explicit, taxonomy, held=held)
        note = _years_note(mention.id, mention.years, profile) if profile else None
        items.append(
            GapItem(
                id=mention.id,
                name=taxonomy.skills[mention.id].name,
                category=taxonomy.skills[mention.id].category,
                requirement=mention.requirement,
                weight=REQUIREMENT_WEIGHTS[mention.requirement] * (1.0 + emphasis),
                emphasis=emphasis,
                status=status,
                via=via,
                note=note if status == "matched" else None,
                alternatives=mention.alternatives,
            )
        )
    return tuple(sorted(_with_alternatives(items), key=lambda i: (-i.weight, i.id)))


_RANK: dict[str, int] = {"matched": 2, "transferable": 1, "missing": 0}
ALTERNATIVE_NOTE = "the posting accepts"


def _with_alternatives(items: Sequence[GapItem]) -> list[GapItem]:
    """Credit a skill the posting lists as an alternative ("LangChain or LlamaIndex").

    Holding one alternative satisfies the others: an item takes the best status
    among its alternatives, with ``via`` naming the alternative that gives it.
    """
    by_id = {item.id: item for item in items}
    out = []
    for item in items:
        best = item
        for alt in item.alternatives:
            other = by_id.get(alt)
            if other is not None and _RANK[other.status] > _RANK[best.status]:
                best = other
        if best is item:
            out.append(item)
        else:
            out.append(
                replace(
                    item,
                    status=best.status,
                    via=(best.id,),
                    note=f"{ALTERNATIVE_NOTE} {best.name} instead",
                )
            )
    return out


def restatus(
    items: Sequence[GapItem], explicit: Iterable[str], taxonomy: Taxonomy
) -> tuple[GapItem, ...]:
    """The same items re-classified against another set of explicit skills."""
    explicit = set(explicit)
    held = _closure(explicit, taxonomy)
    out = []
    for item in items:
        status, via = classify(item.id, explicit, taxonomy, held=held)
        note = None if (item.note or "").startswith(ALTERNATIVE_NOTE) else item.note
        out.append(replace(item, status=status, via=via, note=note))
    return tuple(_with_alternatives(out))


def coverage(items: Sequence[GapItem]) -> Coverage:
    """Overall and per-category coverage of scored items.

    Parameters
    ----------
    items : sequence of GapItem

    Returns
    -------
    Coverage
        ``score = 100 x sum(weight x credit) / sum(weight)``; 0 overall for no items.

    Examples
    --------
    >>> coverage([]).score
    0.0
    """

    def part(category: str, name: str, chosen: Iterable[GapItem]) -> CategoryScore:
        chosen = list(chosen)
        return CategoryScore(
            category,
            name,
            earned=round(sum(i.weight * i.credit for i in chosen), 6),
            total=round(sum(i.weight for i in chosen), 6),
        )

    return Coverage(
        overall=part("overall", "Overall", items),
        categories=tuple(
            part(cat, CATEGORY_NAMES[cat], (i for i in items if i.category == cat))
            for cat in CATEGORIES
        ),
    )


# --------------------------------------------------------------------------- report building


def _stage_info(profile: Profile, taxonomy: Taxonomy) -> tuple[str, str, str, tuple[str, ...]]:
    stage, reason = infer_stage(profile, taxonomy)
    record = taxonomy.stages.get(stage)
    name = (
        record.name
        if record
        else {"early": "Early career", "mid": "Mid-level", "leadership": "Leadership and hybrid"}[
            stage
        ]
    )
    advice = tuple(record.priorities) if record else ()
    return stage, name, reason, advice


def _resolve_as_of(as_of: dt.date | str | None) -> dt.date:
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, str):
        return dt.date.fromisoformat(as_of)
    return as_of


def _build_report(
    *,
    scope: Literal["posting", "market"],
    source: str,
    title: str | None,
    profile: Profile,
    family: str | None,
    items: tuple[GapItem, ...],
    explicit: dict[str, str],
    posting_ecosystem: str | None,
    taxonomy: Taxonomy,
    as_of: dt.date,
    include_beta: bool,
    postings: int,
    notes: tuple[str, ...] = (),
) -> GapReport:
    from analyzer.recommend import (
        build_plan,
        choose_projects,
        held_certifications,
        rank_certifications,
    )

    stage, stage_name, stage_reason, advice = _stage_info(profile, taxonomy)
    if posting_ecosystem:
        ecosystem: str | None = posting_ecosystem
        eco_reason = (
            "the posting's primary ecosystem"
            if scope == "posting"
            else "the ecosystem most of the postings name"
        )
    elif profile.preferred_ecosystem:
        ecosystem = profile.preferred_ecosystem
        eco_reason = "the profile's preferred ecosystem (the posting names none)"
    else:
        ecosystem, eco_reason = None, "neither the posting nor the profile names one"
    certs, excluded = rank_certifications(
        items,
        explicit,
        taxonomy,
        stage=stage,
        ecosystem=ecosystem,
        as_of=as_of,
        held=profile.certifications,
        include_beta=include_beta,
    )
    after_cert = set(explicit)
    if certs:
        after_cert.update(taxonomy.certifications[certs[0].id].covers)
    projects = choose_projects(
        items,
        after_cert,
        taxonomy,
        stage=stage,
        family=family,
        ecosystem=ecosystem,
        done=tuple(p.id for p in profile.projects if p.id),
    )
    plan = build_plan(items, explicit, taxonomy, certs[:1], projects)
    role = taxonomy.roles.get(family) if family else None
    return GapReport(
        scope=scope,
        source=source,
        title=title,
        profile=profile,
        role_family=family,
        role_name=role.name if role else None,
        stage=stage,
        stage_name=stage_name,
        stage_reason=stage_reason,
        ecosystem=ecosystem,
        ecosystem_reason=eco_reason,
        as_of=as_of,
        items=items,
        coverage=coverage(items),
        certifications=certs,
        excluded_certifications=excluded,
        held_certifications=held_certifications(profile.certifications, taxonomy, as_of),
        projects=projects,
        plan=plan,
        advice=advice,
        postings=postings,
        notes=notes,
    )


def _as_analysis(posting: Analysis | str, source: str = "-") -> Analysis:
    if isinstance(posting, Analysis):
        return posting
    from analyzer.pipeline import analyze

    return analyze(posting, source=source)


def gap(
    posting: Analysis | str,
    profile: Profile,
    *,
    as_of: dt.date | str | None = None,
    taxonomy: Taxonomy | None = None,
    include_beta: bool = True,
) -> GapReport:
    """Compare one posting with a candidate and recommend certifications, projects and a plan.

    Parameters
    ----------
    posting : Analysis or str
        An analysed posting, or posting text (analysed with :func:`analyzer.pipeline.analyze`).
    profile : Profile
        The candidate (see :func:`analyzer.profile.load_profile`).
    as_of : date or ISO string, optional
        The day certification statuses are evaluated on (default: today).
    taxonomy : Taxonomy, optional
        Defaults to the bundled taxonomy.
    include_beta : bool
        Whether certifications in beta may be recommended (always labelled).

    Returns
    -------
    GapReport

    Raises
    ------
    ProfileError
        If the profile refers to ids the taxonomy does not know.

    Examples
    --------
    >>> report = gap(analysis, profile, as_of="2026-09-01")  # doctest: +SKIP
    >>> report.coverage.score, [s.title for s in report.plan]  # doctest: +SKIP
    """
    if taxonomy is None:
        from analyzer.taxonomy import get_taxonomy

        taxonomy = get_taxonomy()
    analysis = _as_analysis(posting)
    explicit = candidate_skills(profile, taxonomy)
    items = gap_items(analysis, explicit, taxonomy, profile=profile)
    return _build_report(
        scope="posting",
        source=analysis.source,
        title=analysis.title,
        profile=profile,
        family=analysis.role.family if analysis.role else None,
        items=items,
        explicit=explicit,
        posting_ecosystem=analysis.primary_ecosystem,
        taxonomy=taxonomy,
        as_of=_resolve_as_of(as_of),
        include_beta=include_beta,
        postings=1,
    )


def _majority(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def market_items(
    analyses: Sequence[Analysis], explicit: Iterable[str], taxonomy: Taxonomy, profile: Profile
) -> tuple[GapItem, ...]:
    """Aggregate the items of many postings into one "average posting".

    Each skill's weight is the mean of its per-posting weights over *all*
    postings (0 where absent), ``share`` the fraction of postings naming it
    and ``requirement`` the firmest level seen.
    """
    explicit = set(explicit)
    per_skill: dict[str, list[GapItem]] = {}
    for analysis in analyses:
        for item in gap_items(analysis, explicit, taxonomy, profile=profile):
            per_skill.setdefault(item.id, []).append(item)
    count = len(analyses)
    out = []
    for seen in per_skill.values():
        first = seen[0]
        requirement = min((i.requirement for i in seen), key=lambda r: REQUIREMENT_ORDER[r])
        out.append(
            replace(
                first,
                requirement=requirement,
                weight=sum(i.weight for i in seen) / count,
                emphasis=max(i.emphasis for i in seen),
                note=None,
                share=len(seen) / count,
                postings=len(seen),
            )
        )
    return tuple(sorted(out, key=lambda i: (-(i.share or 0.0), -i.weight, i.id)))


def market_gap(
    postings: Iterable[Analysis | str],
    profile: Profile,
    *,
    role: str | None = None,
    as_of: dt.date | str | None = None,
    taxonomy: Taxonomy | None = None,
    include_beta: bool = True,
    source: str = "-",
) -> GapReport:
    """The gap between a candidate and a set of postings (a market), optionally of one family.

    Parameters
    ----------
    postings : iterable of Analysis or str
        Analysed postings (or texts, analysed on the way).
    profile : Profile
    role : str, optional
        Keep only postings whose predicted role family is ``role``.
    as_of : date or ISO string, optional
        Day for certification statuses (default: today).
    taxonomy : Taxonomy, optional
    include_beta : bool
        Whether beta certifications may be recommended.
    source : str
        A label for the set (the folder name).

    Returns
    -------
    GapReport
        With ``scope="market"``; each item carries ``share`` (fraction of
        postings naming the skill) and ``weight`` (mean weight per posting), and
        the recommendations close the most of the average posting's gap.

    Raises
    ------
    ProfileError
        If the profile refers to unknown ids.
    """
    if taxonomy is None:
        from analyzer.taxonomy import get_taxonomy

        taxonomy = get_taxonomy()
    analyses = [_as_analysis(p, source=f"{source}#{n}") for n, p in enumerate(postings)]
    total = len(analyses)
    if role is not None:
        analyses = [a for a in analyses if a.role and a.role.family == role]
    notes = []
    if role is not None:
        notes.append(f"{len(analyses)} of {total} postings are predicted {role}")
    explicit = candidate_skills(profile, taxonomy)
    items = market_items(analyses, explicit, taxonomy, profile) if analyses else ()
    family = role or _majority(a.role.family for a in analyses if a.role)
    return _build_report(
        scope="market",
        source=source,
        title=None,
        profile=profile,
        family=family,
        items=items,
        explicit=explicit,
        posting_ecosystem=_majority(a.primary_ecosystem for a in analyses),
        taxonomy=taxonomy,
        as_of=_resolve_as_of(as_of),
        include_beta=include_beta,
        postings=len(analyses),
        notes=tuple(notes),
    )


class _CallableModule(types.ModuleType):
    """``analyzer.gap`` names both this module and the :func:`gap` function.

    The package exports the function lazily, but once something imports the
    module ``analyzer.gap`` the import system binds the module to that name on
    the package. Making the module callable keeps ``analyzer.gap(posting,
    profile)`` working in every import order.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> GapReport:
        return gap(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
