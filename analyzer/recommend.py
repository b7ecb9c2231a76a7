"""Recommendation rules of the gap engine: certifications, projects and the ordered plan.

Pure functions over scored :class:`~analyzer.gap.GapItem` records and the
taxonomy. Every gain is measured the same way: add the skills a certification
or project covers to the candidate's explicit skills, re-classify the posting's
skills and take the increase in ``sum(weight x credit)``, so coverage after a
step is exactly what :func:`analyzer.gap.coverage` would report.

Certification rules (README, "Gap analysis"):

* exams and course certificates whose status on the as-of date is ``active``;
  ``beta`` ones too (``include_beta``), labelled BETA and scored x0.9;
  ``retiring`` ones only while at least 180 days remain before retirement
  (labelled); ``announced``, ``retired`` and ``closed`` ones are excluded, with
  the reason;
* course certificates (``kind: course``) are learning pathways, not exams:
  recommended at the early stage only (the guide's "reputable ML foundation track");
* the level must be one the career stage lists (``paths.yaml``) and the
  catalogue must list the stage in ``career_stages``;
* at the leadership stage a foundational (business-level) credential is only a
  fallback: it is excluded when a professional or specialty one closes part of
  the gap (the guide pairs leaders with one advanced technical credential);
* certifications the candidate holds are excluded;
* score = gain x ecosystem factor: 1 for the target ecosystem (the posting's
  primary one, else the profile's), 0.75 for vendor-neutral or NVIDIA
  credentials, 0.25 for another cloud; 1 for every certification when there is
  no target. Ties: higher gain, then id.

Projects: greedy weighted set cover of the gaps left after the top
certification, among catalogue projects that list the stage and that the
candidate has not done; a project built on another cloud than the target
ecosystem counts x0.25, one outside the posting's role family x0.5; ties go
to larger gain, the posting's role family, less effort, then id.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from analyzer.gap import (
    CertificationRec,
    ExcludedCertification,
    GapItem,
    HeldCertification,
    PlanStep,
    ProjectRec,
    coverage,
    restatus,
)
from analyzer.taxonomy_models import ECOSYSTEMS

if TYPE_CHECKING:
    from analyzer.taxonomy import Taxonomy
    from analyzer.taxonomy_models import Certification, CertStatus, Project

logger = logging.getLogger(__name__)

__all__ = [
    "BETA_FACTOR",
    "COURSE_STAGES",
    "ECOSYSTEM_FACTORS",
    "OFF_FAMILY_FACTOR",
    "RETIRING_WINDOW_DAYS",
    "build_plan",
    "choose_projects",
    "held_certifications",
    "rank_certifications",
    "stage_levels",
]

#: Score multipliers by how a certification's ecosystem relates to the target ecosystem.
ECOSYSTEM_FACTORS: dict[str, float] = {"target": 1.0, "neutral": 0.75, "other": 0.25}
#: Beta exams may change before general availability; they lose ties against active ones.
BETA_FACTOR = 0.9
NEUTRAL_ECOSYSTEMS = frozenset({"vendor-neutral", "nvidia"})
#: Used when the taxonomy has no stages (``paths.yaml`` empty).
DEFAULT_STAGE_LEVELS: dict[str, tuple[str, ...]] = {
    "early": ("foundational", "associate"),
    "mid": ("associate", "professional", "specialty"),
    "leadership": ("professional", "specialty"),
}
#: Projects outside the posting's role family count half: proof of work should match the role.
OFF_FAMILY_FACTOR = 0.5
#: Stages where a foundational credential is only a fallback when no advanced one fits.
ADVANCED_FIRST_STAGES: tuple[str, ...] = ("leadership",)
ADVANCED_LEVELS = frozenset({"professional", "specialty"})
#: Course certificates (no proctored exam) are learning pathways, suggested to these stages only.
COURSE_STAGES: tuple[str, ...] = ("early",)
#: A retiring certification is still recommended when it retires later than this after as-of.
RETIRING_WINDOW_DAYS = 180
_EPS = 1e-9
MAX_CERTIFICATIONS = 3


def _retires_soon(status: CertStatus, as_of: dt.date) -> bool:
    if status.status != "retiring" or status.until is None:
        return False
    return (status.until - as_of).days < RETIRING_WINDOW_DAYS


def stage_levels(stage: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """Certification levels that suit a career stage (``paths.yaml``, else the defaults)."""
    record = taxonomy.stages.get(stage)
    return tuple(record.certification_levels) if record else DEFAULT_STAGE_LEVELS[stage]


def _earned(items: Sequence[GapItem]) -> float:
    return sum(i.weight * i.credit for i in items)


def _gain(
    items: Sequence[GapItem], explicit: set[str], adds: Iterable[str], taxonomy: Taxonomy
) -> tuple[float, tuple[GapItem, ...], tuple[GapItem, ...]]:
    """(gain, items after, items whose credit increased) when ``adds`` join ``explicit``."""
    before = {i.id: i for i in items}
    after = restatus(items, explicit | set(adds), taxonomy)
    improved = tuple(i for i in after if i.credit > before[i.id].credit + _EPS)
    return _earned(after) - _earned(items), after, improved


def _describe_covers(improved: Sequence[GapItem], before: Sequence[GapItem]) -> str:
    was = {i.id: i.status for i in before}
    ranked = sorted(improved, key=lambda i: (-i.weight, i.id))
    parts = []
    for item in ranked:
        change = (
            ""
            if (was[item.id], item.status) == ("missing", "matched")
            else (f", {was[item.id]} -> {item.status}")
        )
        parts.append(f"{item.name} ({item.requirement}{change})")
    return ", ".join(parts)


def _names(cert_ids: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    certs = taxonomy.certifications
    return [certs[c].name if c in certs else c for c in cert_ids]


def _ecosystem_factor(cert: Certification, target: str | None) -> tuple[float, str]:
    if target is None:
        return ECOSYSTEM_FACTORS["target"], ""
    if cert.ecosystem == target:
        return ECOSYSTEM_FACTORS["target"], f"{cert.ecosystem} is the target ecosystem"
    if cert.ecosystem in NEUTRAL_ECOSYSTEMS:
        return ECOSYSTEM_FACTORS["neutral"], f"{cert.ecosystem} credential, not tied to {target}"
    return ECOSYSTEM_FACTORS["other"], f"{cert.ecosystem}, not the target ecosystem {target}"


def rank_certifications(
    items: Sequence[GapItem],
    explicit: Iterable[str],
    taxonomy: Taxonomy,
    *,
    stage: str,
    ecosystem: str | None,
    as_of: dt.date,
    held: Iterable[str] = (),
    include_beta: bool = True,
    limit: int = MAX_CERTIFICATIONS,
) -> tuple[tuple[CertificationRec, ...], tuple[ExcludedCertification, ...]]:
    """Rank catalogue certifications by the weighted gap they close.

    Parameters
    ----------
    items : sequence of GapItem
        The scored posting skills.
    explicit : iterable of str
        Skills the candidate holds explicitly.
    taxonomy : Taxonomy
    stage : str
        Career stage id.
    ecosystem : str or None
        The target ecosystem.
    as_of : date
        Day the statuses are evaluated on.
    held : iterable of str
        Certification ids the candidate holds (never recommended).
    include_beta : bool
        Whether beta exams may be recommended.
    limit : int
        How many to return.

    Returns
    -------
    tuple
        ``(recommendations, excluded)``. ``excluded`` lists only certifications
        that would have closed part of the gap, each with the rule that removed it.
    """
    explicit = set(explicit)
    held = set(held)
    levels = stage_levels(stage, taxonomy)
    ranked: list[CertificationRec] = []
    excluded: list[ExcludedCertification] = []
    for cert in sorted(taxonomy.certifications.values(), key=lambda c: c.id):
        gain, _, improved = _gain(items, explicit, cert.covers, taxonomy)
        if gain <= _EPS:
            continue
        status = cert.status_on(as_of)
        why_not = None
        if cert.id in held:
            why_not = "already held"
        elif status.status not in ("active", "beta", "retiring") or _retires_soon(status, as_of):
            why_not = f"{status.describe()} (as of {as_of.isoformat()})"
            if status.status == "retiring":
                why_not += f": less than {RETIRING_WINDOW_DAYS} days left to sit it"
            if cert.successors:
                why_not += f"; successor: {', '.join(_names(cert.successors, taxonomy))}"
        elif status.status == "beta" and not include_beta:
            why_not = "in beta (beta exams excluded)"
        elif cert.kind == "course" and stage not in COURSE_STAGES:
            why_not = (
                "a course certificate (a learning pathway, not an exam); "
                f"recommended only at the {', '.join(COURSE_STAGES)} stage"
            )
        elif cert.level not in levels:
            why_not = f"{cert.level} level does not suit the {stage} stage ({', '.join(levels)})"
        elif stage not in cert.career_stages:
            why_not = f"the catalogue lists it for {', '.join(cert.career_stages)}, not {stage}"
        if why_not:
            excluded.append(ExcludedCertification(cert.id, cert.name, why_not))
            continue
        eco_factor, eco_reason = _ecosystem_factor(cert, ecosystem)
        beta = status.status == "beta"
        score = gain * eco_factor * (BETA_FACTOR if beta else 1.0)
        if beta:
            since = f" since {status.since.isoformat()}" if status.since else ""
            label = f"BETA{since}: the exam may change before it is generally available"
        else:
            label = status.describe()
        reasons = [f"covers {_describe_covers(improved, items)}"]
        if eco_reason:
            reasons.append(eco_reason)
        reasons.append(f"{cert.level} level suits the {stage} stage")
        if cert.kind == "course":
            reasons.append("course certificate (learning pathway, no proctored exam)")
        if beta:
            reasons.append("BETA exam")
        if status.status == "retiring":
            reasons.append(f"{status.describe()}: finish it before then")
        ranked.append(
            CertificationRec(
                id=cert.id,
                name=cert.name,
                code=cert.code,
                provider=cert.provider,
                ecosystem=cert.ecosystem,
                level=cert.level,
                kind=cert.kind,
                status=status.status,
                status_label=label,
                covers=tuple(i.id for i in sorted(improved, key=lambda i: (-i.weight, i.id))),
                gain=gain,
                score=score,
                reason="; ".join(reasons),
            )
        )
    if stage in ADVANCED_FIRST_STAGES and any(r.level in ADVANCED_LEVELS for r in ranked):
        for rec in [r for r in ranked if r.level == "foundational"]:
            ranked.remove(rec)
            excluded.append(
                ExcludedCertification(
                    rec.id,
                    rec.name,
                    f"foundational level: at the {stage} stage the guide asks for one advanced "
                    "credential, and a professional or specialty one closes part of this gap",
                )
            )
    ranked.sort(key=lambda r: (-round(r.score, 9), -round(r.gain, 9), r.id))
    excluded.sort(key=lambda e: e.id)
    return tuple(ranked[:limit]), tuple(excluded)


def held_certifications(
    cert_ids: Iterable[str], taxonomy: Taxonomy, as_of: dt.date
) -> tuple[HeldCertification, ...]:
    """Status of each certification a candidate holds, naming successors of retired ones.

    Parameters
    ----------
    cert_ids : iterable of str
        Catalogue ids of the certifications held.
    taxonomy : Taxonomy
    as_of : date

    Returns
    -------
    tuple of HeldCertification
        In id order. ``note`` says what to do: nothing for active ones; for
        retiring or retired ones, the successor to move to.
    """
    out = []
    for cert_id in sorted(set(cert_ids)):
        cert = taxonomy.certifications[cert_id]
        status = cert.status_on(as_of)
        names = _names(cert.successors, taxonomy)
        if status.status in ("retired", "closed", "retiring"):
            note = f"{status.describe()}; it still counts for its skills"
            note += (
                f"; successor: {', '.join(names)}" if names else "; no successor in the catalogue"
            )
        else:
            note = f"{status.describe()}; counts toward the skills it covers"
        out.append(
            HeldCertification(
                id=cert.id,
                name=cert.name,
                code=cert.code,
                status=status.status,
                note=note,
                successors=tuple(cert.successors),
            )
        )
    return tuple(out)


def _project_ecosystem(
    project: Project, target: str | None, taxonomy: Taxonomy
) -> tuple[float, str]:
    """Score factor and note for a project built on a cloud other than the target."""
    if target is None:
        return 1.0, ""
    reach: set[str] = set()
    for skill_id in project.skills:
        reach |= {skill_id, *taxonomy.ancestors(skill_id)}
    clouds = sorted(e for e in ECOSYSTEMS if e in reach)
    if not clouds or target in clouds:
        return 1.0, ""
    return ECOSYSTEM_FACTORS["other"], f"built on {', '.join(clouds)}, not {target}"


def choose_projects(
    items: Sequence[GapItem],
    explicit: Iterable[str],
    taxonomy: Taxonomy,
    *,
    stage: str,
    family: str | None,
    ecosystem: str | None = None,
    done: Iterable[str] = (),
) -> tuple[ProjectRec, ...]:
    """Pick 2-3 catalogue projects by greedy weighted set cover of the remaining gaps.

    Each round takes the eligible project with the largest score: its gain (see
    the module docstring), x0.25 when the project is built on another cloud than
    the target ecosystem (x1 for cloud-neutral projects), x0.5 when it does not
    list the posting's role family; ties broken by larger gain, role-family fit,
    lower ``effort_days``, then id. Rounds stop at the
    stage's ``projects_max`` (default 3) or when no project closes anything.
    When fewer than ``projects_min`` (default 2) close a gap, the rest are
    filled with the eligible projects that exercise the most posting weight, as
    proof of work for skills already claimed.

    Parameters
    ----------
    items : sequence of GapItem
    explicit : iterable of str
        Skills held explicitly (after the recommended certification).
    taxonomy : Taxonomy
    stage : str
    family : str or None
        The posting's role family.
    ecosystem : str or None
        The target ecosystem; projects on another cloud are scored down.
    done : iterable of str
        Catalogue project ids the candidate has done.

    Returns
    -------
    tuple of ProjectRec
    """
    record = taxonomy.stages.get(stage)
    most = record.projects_max if record else 3
    least = record.projects_min if record else 2
    current = set(explicit)
    state = restatus(items, current, taxonomy)
    done = set(done)
    pool = [
        p
        for p in sorted(taxonomy.projects.values(), key=lambda p: p.id)
        if p.id not in done and stage in p.career_stages
    ]
    chosen: list[ProjectRec] = []
    while pool and len(chosen) < most:
        best = None
        for project in pool:
            gain, after, improved = _gain(state, current, project.skills, taxonomy)
            factor, _ = _project_ecosystem(project, ecosystem, taxonomy)
            fit = 0 if not family or family in project.role_families else 1
            factor *= OFF_FAMILY_FACTOR if fit else 1.0
            key = (-round(gain * factor, 9), -round(gain, 9), fit, project.effort_days, project.id)
            if best is None or key < best[0]:
                best = (key, project, gain, after, improved)
        assert best is not None
        _, project, gain, after, improved = best
        if gain <= _EPS:
            break
        reason = f"closes {_describe_covers(improved, state)}"
        if family and family in project.role_families:
            reason += f"; fits the {family} role family"
        eco_note = _project_ecosystem(project, ecosystem, taxonomy)[1]
        if eco_note:
            reason += f"; {eco_note}"
        chosen.append(
            ProjectRec(
                id=project.id,
                title=project.title,
                covers=tuple(i.id for i in sorted(improved, key=lambda i: (-i.weight, i.id))),
                deliverables=tuple(project.deliverables),
                effort_days=project.effort_days,
                gain=gain,
                reason=reason,
            )
        )
        current |= set(project.skills)
        state = after
        pool.remove(project)
    if len(chosen) < least and pool:

        def exercised(project_skills: Iterable[str]) -> list[GapItem]:
            reach = set(project_skills)
            for skill_id in list(reach):
                reach.update(taxonomy.ancestors(skill_id))
            return [i for i in state if i.id in reach]

        fillers = sorted(
            pool,
            key=lambda p: (
                -round(
                    sum(i.weight for i in exercised(p.skills))
                    * _project_ecosystem(p, ecosystem, taxonomy)[0],
                    9,
                ),
                0 if family and family in p.role_families else 1,
                p.effort_days,
                p.id,
            ),
        )
        for project in fillers[: least - len(chosen)]:
            used = sorted(exercised(project.skills), key=lambda i: (-i.weight, i.id))
            if not used:
                break
            chosen.append(
                ProjectRec(
                    id=project.id,
                    title=project.title,
                    covers=(),
                    deliverables=tuple(project.deliverables),
                    effort_days=project.effort_days,
                    gain=0.0,
                    reason="proof of work for skills the posting wants and the profile claims: "
                    + ", ".join(i.name for i in used),
                )
            )
    return tuple(chosen)


def build_plan(
    items: Sequence[GapItem],
    explicit: Iterable[str],
    taxonomy: Taxonomy,
    certifications: Sequence[CertificationRec],
    projects: Sequence[ProjectRec],
) -> tuple[PlanStep, ...]:
    """The ordered steps: the targeted certification first, then the projects.

    Coverage after each step is recomputed from the cumulative skills, so the
    last step's ``coverage_after`` is the expected coverage once the plan is done.
    """
    current = set(explicit)
    state = restatus(items, current, taxonomy)
    before = coverage(state).score
    steps: list[PlanStep] = []
    sequence: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = []
    for cert in certifications:
        label = f"{cert.name} ({cert.code})" if cert.code else cert.name
        if cert.status == "beta":
            label += " [BETA]"
        sequence.append(
            (
                "certification",
                cert.id,
                label,
                cert.covers,
                tuple(taxonomy.certifications[cert.id].covers),
            )
        )
    for project in projects:
        sequence.append(
            (
                "project",
                project.id,
                project.title,
                project.covers,
                tuple(taxonomy.projects[project.id].skills),
            )
        )
    for number, (kind, ident, label, covers, adds) in enumerate(sequence, start=1):
        current |= set(adds)
        state = restatus(items, current, taxonomy)
        after = coverage(state).score
        names = ", ".join(taxonomy.skills[c].name for c in covers) or "proof of work"
        verb = "earn" if kind == "certification" else "build"
        text = (
            f"{number}. {verb.capitalize()} {label}: covers {names}; "
            f"coverage {before:g} -> {after:g}"
        )
        steps.append(
            PlanStep(
                number=number,
                kind=kind,  # type: ignore[arg-type]
                id=ident,
                title=label,
                covers=covers,
                coverage_before=before,
                coverage_after=after,
                text=text,
            )
        )
        before = after
    return tuple(steps)
