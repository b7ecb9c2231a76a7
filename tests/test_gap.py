"""Gap engine rules on a small hand-built taxonomy, plus a few checks on the shipped data."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from taxonomy_fixtures import taxonomy_data, write_taxonomy

from analyzer.analysis import Analysis, RolePrediction, SkillMention
from analyzer.gap import (
    GapItem,
    candidate_skills,
    classify,
    coverage,
    gap,
    gap_items,
    market_gap,
)
from analyzer.profile import Profile, ProfileProject, ProfileSkill, infer_stage
from analyzer.recommend import choose_projects, held_certifications
from analyzer.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 1)


# --------------------------------------------------------------------------- fixtures


def _cert(ident: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": ident,
        "name": ident.replace("_", " ").title(),
        "provider": "Provider",
        "ecosystem": "aws",
        "level": "associate",
        "history": [{"status": "active", "date": "2024-01-01"}],
        "career_stages": ["early", "mid"],
        "covers": ["python"],
    }
    base.update(fields)
    return base


def _project(ident: str, skills: list[str], **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": ident,
        "title": ident.replace("_", " ").capitalize(),
        "summary": "s",
        "skills": skills,
        "deliverables": ["repository", "write-up"],
        "effort_days": 10,
        "career_stages": ["early", "mid", "leadership"],
        "role_families": ["machine_learning_engineer"],
        "data_sourcing": "d",
        "evaluation": "e",
        "tradeoffs": "t",
        "deployment": "an API",
    }
    base.update(fields)
    return base


CERTS = [
    _cert(
        "aws_mla",
        name="AWS ML Engineer Associate",
        code="MLA-C01",
        covers=["sagemaker", "model_deployment", "mlops"],
    ),
    _cert(
        "gcp_mle",
        name="Google ML Engineer",
        provider="Google Cloud",
        ecosystem="gcp",
        level="professional",
        career_stages=["mid", "leadership"],
        covers=["vertex_ai", "model_deployment", "mlops"],
    ),
    _cert(
        "aws_genai_pro",
        name="AWS GenAI Developer Professional",
        code="AIP-C01",
        level="professional",
        career_stages=["mid", "leadership"],
        history=[
            {"status": "beta", "date": "2025-11-18"},
            {"status": "active", "date": "2026-04-14"},
        ],
        covers=["rag", "vector_database", "llm_apis"],
    ),
    _cert(
        "az_fundamentals",
        name="Azure AI Fundamentals",
        code="AI-900",
        provider="Microsoft",
        ecosystem="azure",
        level="foundational",
        career_stages=["early"],
        history=[
            {"status": "active", "date": "2021-01-01"},
            {"status": "retired", "date": "2026-06-30"},
        ],
        successors=["az_fundamentals_new"],
        covers=["machine_learning", "responsible_ai", "azure"],
    ),
    _cert(
        "az_fundamentals_new",
        name="Azure AI Fundamentals (new exam)",
        code="AI-901",
        provider="Microsoft",
        ecosystem="azure",
        level="foundational",
        career_stages=["early"],
        history=[
            {"status": "beta", "date": "2026-04-01"},
            {"status": "active", "date": "2026-09-01"},
        ],
        covers=["machine_learning", "responsible_ai", "azure"],
    ),
    _cert(
        "k8s_admin",
        name="Kubernetes Administrator",
        code="CKA",
        provider="CNCF",
        ecosystem="vendor-neutral",
        level="professional",
        career_stages=["mid", "leadership"],
        covers=["kubernetes", "docker"],
    ),
]

PROJECTS = [
    _project(
        "rag_app", ["rag", "vector_database", "llm_evaluation"], role_families=["ai_engineer"]
    ),
    _project("deploy_api", ["model_deployment", "docker", "ci_cd"]),
    _project("drift_monitor", ["model_monitoring", "observability"], effort_days=5),
    _project("k8s_serving", ["kubernetes", "docker", "model_deployment"], effort_days=15),
    _project("intro_notebook", ["python", "pandas"], career_stages=["early"], effort_days=3),
    _project("vertex_forecast", ["time_series", "vertex_ai"], effort_days=8),
    _project("sagemaker_forecast", ["time_series", "sagemaker"], effort_days=12),
]


def gap_taxonomy_data() -> dict[str, dict[str, Any]]:
    """The shared test taxonomy with vector databases, role emphasis, certs and projects."""
    data = taxonomy_data()
    data["skills.yaml"]["skills"] += [
        {
            "id": "pinecone",
            "name": "Pinecone",
            "category": "genai",
            "group": "rag",
            "parent": "vector_database",
        },
        {
            "id": "weaviate",
            "name": "Weaviate",
            "category": "genai",
            "group": "rag",
            "parent": "vector_database",
        },
    ]
    for family in data["roles.yaml"]["families"]:
        if family["id"] == "ai_engineer":
            family["emphasis"] = {"rag": 1.0, "llms": 0.5}
    data["certifications.yaml"]["certifications"] = CERTS
    data["projects.yaml"]["projects"] = PROJECTS
    return data


@pytest.fixture(scope="module")
def tax(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    folder = write_taxonomy(tmp_path_factory.mktemp("gap-taxonomy"), gap_taxonomy_data())
    return load_taxonomy(folder)


def make_posting(
    tax: Taxonomy,
    skills: dict[str, str],
    *,
    family: str = "machine_learning_engineer",
    ecosystems: dict[str, int] | None = None,
    implied: dict[str, str] | None = None,
    years: dict[str, int] | None = None,
    source: str = "posting.txt",
) -> Analysis:
    """A hand-built analysis: skill id -> requirement; ``implied`` mentions have no evidence."""
    mentions = []
    for skill_id, requirement in skills.items():
        skill = tax.skills[skill_id]
        mentions.append(
            SkillMention(
                skill_id,
                skill.name,
                skill.category,
                requirement,  # type: ignore[arg-type]
                years=(years or {}).get(skill_id),
            )
        )
    for skill_id, by in (implied or {}).items():
        skill = tax.skills[skill_id]
        mentions.append(
            SkillMention(skill_id, skill.name, skill.category, "required", implied_by=(by,))
        )
    return Analysis(
        source=source,
        text="(hand-built)",
        title="Test posting",
        role=RolePrediction(family=family, confidence=1.0, probabilities={family: 1.0}),
        skills=tuple(mentions),
        ecosystems=dict(ecosystems or {}),
    )


def profile_with(*skills: str, **fields: Any) -> Profile:
    fields.setdefault("name", "Test Candidate")
    fields.setdefault("years_experience", 5.0)
    return Profile(skills=tuple(ProfileSkill(s) for s in skills), **fields)


# --------------------------------------------------------------------------- status and weights


def test_child_skill_implies_parent(tax: Taxonomy) -> None:
    assert classify("deep_learning", ["pytorch"], tax) == ("matched", ())
    assert classify("machine_learning", ["pytorch"], tax) == ("matched", ())


def test_sibling_in_same_group_is_transferable(tax: Taxonomy) -> None:
    assert classify("pinecone", ["weaviate"], tax) == ("transferable", ("weaviate",))
    assert classify("tensorflow", ["pytorch"], tax) == ("transferable", ("pytorch",))


def test_named_parent_is_transferable_not_matched(tax: Taxonomy) -> None:
    assert classify("pinecone", ["vector_database"], tax) == ("transferable", ("vector_database",))
    assert classify("pytorch", ["deep_learning"], tax) == ("transferable", ("deep_learning",))


def test_sibling_in_other_group_is_missing(tax: Taxonomy) -> None:
    # scikit-learn (frameworks) and NLP (ml_domains) share the parent machine_learning only
    assert classify("nlp", ["scikit_learn"], tax) == ("missing", ())
    assert classify("python", ["r"], tax) == ("missing", ())


def test_weights_use_requirement_and_role_emphasis(tax: Taxonomy) -> None:
    posting = make_posting(
        tax,
        {
            "python": "required",  # emphasis 1.0 -> 3 x 2 = 6
            "inference_optimization": "required",  # parent model_deployment 0.8 -> 5.4
            "docker": "preferred",  # 2
            "sql": "mentioned",  # 1
        },
    )
    items = {i.id: i for i in gap_items(posting, [], tax)}
    assert items["python"].weight == pytest.approx(6.0)
    assert items["inference_optimization"].weight == pytest.approx(5.4)
    assert items["inference_optimization"].emphasis == pytest.approx(0.8)
    assert items["docker"].weight == pytest.approx(2.0)
    assert items["sql"].weight == pytest.approx(1.0)
    assert [i.id for i in gap_items(posting, [], tax)] == [
        "python",
        "inference_optimization",
        "docker",
        "sql",
    ]


def test_implied_mentions_are_not_scored_twice(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"pytorch": "required"}, implied={"deep_learning": "pytorch"})
    assert [i.id for i in gap_items(posting, [], tax)] == ["pytorch"]


def test_coverage_arithmetic_overall_and_per_category(tax: Taxonomy) -> None:
    posting = make_posting(
        tax, {"python": "required", "pinecone": "preferred", "kubernetes": "required"}
    )
    report = gap(posting, profile_with("python", "weaviate"), as_of=DAY, taxonomy=tax)
    # python 6 x 1 + pinecone 2 x 0.5 + kubernetes 3 x 0 = 7 of 11
    assert report.coverage.overall.earned == pytest.approx(7.0)
    assert report.coverage.overall.total == pytest.approx(11.0)
    assert report.coverage.score == 63.6
    scores = {c.category: c.score for c in report.coverage.categories}
    assert scores == {"core": 100.0, "cloud_mlops": 0.0, "genai": 50.0}
    assert report.explanation()[2] == "Overall: 100 x 7 / 11 = 63.6"
    assert report.explanation()[3] == "Core: 100 x 6 / 6 = 100"
    assert [i.id for i in report.matched] == ["python"]
    assert [(i.id, i.via) for i in report.transferable] == [("pinecone", ("weaviate",))]
    assert [i.id for i in report.missing] == ["kubernetes"]


def test_empty_category_scores_none(tax: Taxonomy) -> None:
    cov = coverage(gap_items(make_posting(tax, {"python": "required"}), ["python"], tax))
    assert {c.category: c.score for c in cov.categories} == {
        "core": 100.0,
        "cloud_mlops": None,
        "genai": None,
    }
    assert coverage(()).score == 0.0


def test_years_shortfall_is_noted_on_a_match(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"python": "required"}, years={"python": 5})
    profile = Profile(name="A", skills=(ProfileSkill("python", years=2),))
    (item,) = gap_items(posting, ["python"], tax, profile=profile)
    assert item.status == "matched"
    assert item.note == "the posting asks for 5 years, the profile states 2"


def test_held_certifications_and_projects_count_as_skills(tax: Taxonomy) -> None:
    profile = Profile(
        name="A",
        certifications=("az_fundamentals",),
        projects=(ProfileProject(title="My RAG", skills=("rag",)),),
    )
    held = candidate_skills(profile, tax)
    assert held["responsible_ai"] == "certification Azure AI Fundamentals"
    assert held["rag"] == "project My RAG"


# --------------------------------------------------------------------------- certifications


def _cert_ids(report: Any) -> list[str]:
    return [c.id for c in report.certifications]


def test_posting_ecosystem_is_preferred(tax: Taxonomy) -> None:
    posting = make_posting(
        tax,
        {"model_deployment": "required", "mlops": "required"},
        ecosystems={"gcp": 3, "aws": 1},
    )
    report = gap(posting, profile_with("python"), as_of=DAY, taxonomy=tax)
    assert report.ecosystem == "gcp"
    assert report.ecosystem_reason == "the posting's primary ecosystem"
    assert _cert_ids(report) == ["gcp_mle", "aws_mla"]
    # model_deployment 3 x 1.8 + mlops 3 = 8.4; the AWS exam counts a quarter
    assert report.certifications[0].score == pytest.approx(8.4)
    assert report.certifications[1].score == pytest.approx(8.4 * 0.25)


def test_profile_ecosystem_is_used_when_posting_names_none(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"model_deployment": "required", "mlops": "required"})
    report = gap(
        posting, profile_with("python", preferred_ecosystem="aws"), as_of=DAY, taxonomy=tax
    )
    assert report.ecosystem == "aws"
    assert _cert_ids(report) == ["aws_mla", "gcp_mle"]
    assert report.certifications[0].reason == (
        "covers Model deployment and serving (required), MLOps (required); "
        "aws is the target ecosystem; associate level suits the mid stage"
    )


def test_vendor_neutral_scores_between_target_and_other_cloud(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"kubernetes": "required"}, ecosystems={"aws": 2})
    report = gap(posting, profile_with("python"), as_of=DAY, taxonomy=tax)
    (cka,) = report.certifications
    assert cka.id == "k8s_admin"
    assert cka.score == pytest.approx(3 * 0.75)
    assert "vendor-neutral credential, not tied to aws" in cka.reason


def test_stage_fit_excludes_foundational_for_mid_and_professional_for_early(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"responsible_ai": "required", "mlops": "preferred"})
    mid = gap(posting, profile_with("python", years_experience=5), as_of=DAY, taxonomy=tax)
    excluded = {c.id: c.reason for c in mid.excluded_certifications}
    assert "az_fundamentals_new" not in _cert_ids(mid)
    assert excluded["az_fundamentals_new"] == (
        "foundational level does not suit the mid stage (associate, professional)"
    )
    early = gap(posting, profile_with("python", years_experience=1), as_of=DAY, taxonomy=tax)
    assert early.stage == "early"
    assert _cert_ids(early) == ["az_fundamentals_new", "aws_mla"]
    early_excluded = {c.id: c.reason for c in early.excluded_certifications}
    assert early_excluded["gcp_mle"] == (
        "professional level does not suit the early stage (foundational, associate)"
    )


def test_leadership_gets_foundational_only_as_a_fallback(tmp_path: Path) -> None:
    data = gap_taxonomy_data()
    data["certifications.yaml"]["certifications"] = [
        *CERTS,
        _cert(
            "genai_leader",
            name="GenAI Leader",
            ecosystem="gcp",
            level="foundational",
            career_stages=["early", "leadership"],
            covers=["llms", "guardrails"],
        ),
    ]
    for stage in data["paths.yaml"]["stages"]:
        if stage["id"] == "leadership":
            stage["certification_levels"] = ["foundational", "professional", "specialty"]
    local = load_taxonomy(write_taxonomy(tmp_path / "t", data))
    lead = profile_with("python", years_experience=12)
    both = make_posting(local, {"llms": "required", "guardrails": "required", "rag": "required"})
    report = gap(both, lead, as_of=DAY, taxonomy=local)
    assert report.stage == "leadership"
    assert _cert_ids(report) == ["aws_genai_pro"]
    assert {c.id: c.reason for c in report.excluded_certifications}["genai_leader"] == (
        "foundational level: at the leadership stage the guide asks for one advanced "
        "credential, and a professional or specialty one closes part of this gap"
    )
    only = make_posting(local, {"guardrails": "required"})
    assert _cert_ids(gap(only, lead, as_of=DAY, taxonomy=local)) == ["genai_leader"]


def test_as_of_decides_retired_and_beta(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"responsible_ai": "required"})
    early = profile_with("python", years_experience=1)

    def run(day: str, **kw: Any) -> Any:
        return gap(posting, early, as_of=day, taxonomy=tax, **kw)

    # the old exam retires 2026-06-30 (under 180 days away); the new one is not open yet
    before = run("2026-03-01")
    assert _cert_ids(before) == []
    reasons = {c.id: c.reason for c in before.excluded_certifications}
    assert reasons["az_fundamentals"] == (
        "retiring on 2026-06-30 (as of 2026-03-01): less than 180 days left to sit it; "
        "successor: Azure AI Fundamentals (new exam)"
    )
    assert reasons["az_fundamentals_new"].startswith("announced (opens 2026-04-01)")
    # a year earlier the old exam is still worth taking, labelled
    far = run("2025-06-01")
    assert _cert_ids(far) == ["az_fundamentals"]
    assert far.certifications[0].status == "retiring"
    assert "retiring on 2026-06-30: finish it before then" in far.certifications[0].reason
    # beta: recommended with a label, or excluded on request
    beta = run("2026-05-01")
    assert _cert_ids(beta) == ["az_fundamentals_new"]
    assert beta.certifications[0].status_label.startswith("BETA since 2026-04-01")
    assert beta.certifications[0].reason.endswith("BETA exam")
    assert beta.plan[0].title == "Azure AI Fundamentals (new exam) (AI-901) [BETA]"
    no_beta = run("2026-05-01", include_beta=False)
    assert _cert_ids(no_beta) == []
    assert {c.id: c.reason for c in no_beta.excluded_certifications}["az_fundamentals_new"] == (
        "in beta (beta exams excluded)"
    )
    # after the switch: the old one is retired, the new one active
    after = run("2026-10-01")
    assert _cert_ids(after) == ["az_fundamentals_new"]
    assert after.certifications[0].status_label == "active"
    assert {c.id: c.reason for c in after.excluded_certifications}["az_fundamentals"] == (
        "retired on 2026-06-30 (as of 2026-10-01); successor: Azure AI Fundamentals (new exam)"
    )


def test_beta_score_is_discounted(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"rag": "required"}, family="ai_engineer")
    report = gap(posting, profile_with("python"), as_of="2026-01-15", taxonomy=tax)
    (rec,) = report.certifications
    assert rec.id == "aws_genai_pro"
    assert rec.status == "beta"
    assert rec.score == pytest.approx(rec.gain * 0.9)
    assert rec.gain == pytest.approx(3 * 2.0)


def test_held_certification_is_not_recommended(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"sagemaker": "required", "feature_store": "required"})
    profile = profile_with("python", preferred_ecosystem="aws", certifications=("aws_mla",))
    report = gap(posting, profile, as_of=DAY, taxonomy=tax)
    assert "aws_mla" not in _cert_ids(report)
    assert [i.id for i in report.matched] == ["sagemaker"]


def test_held_retired_certification_reports_its_successor(tax: Taxonomy) -> None:
    held = held_certifications(("az_fundamentals", "aws_mla"), tax, DAY)
    assert [(h.id, h.status) for h in held] == [
        ("aws_mla", "active"),
        ("az_fundamentals", "retired"),
    ]
    assert held[1].note == (
        "retired on 2026-06-30; it still counts for its skills; "
        "successor: Azure AI Fundamentals (new exam)"
    )
    assert held[1].successors == ("az_fundamentals_new",)
    posting = make_posting(tax, {"responsible_ai": "required"})
    report = gap(
        posting, profile_with(certifications=("az_fundamentals",)), as_of=DAY, taxonomy=tax
    )
    assert [i.id for i in report.matched] == ["responsible_ai"]
    assert report.held_certifications[0].status == "retired"


# --------------------------------------------------------------------------- projects


def _item(tax: Taxonomy, skill_id: str, weight: float) -> GapItem:
    skill = tax.skills[skill_id]
    return GapItem(skill_id, skill.name, skill.category, "required", weight, 0.0, "missing")


def _brute_force_best(tax: Taxonomy, items: list[GapItem], k: int) -> float:
    best = 0.0
    for combo in itertools.combinations(tax.projects.values(), k):
        reach: set[str] = set()
        for project in combo:
            for skill_id in project.skills:
                reach |= {skill_id, *tax.ancestors(skill_id)}
        best = max(best, sum(i.weight for i in items if i.id in reach))
    return best


def test_set_cover_picks_the_known_best_pair(tax: Taxonomy) -> None:
    items = [
        _item(tax, "model_deployment", 6),
        _item(tax, "docker", 4),
        _item(tax, "kubernetes", 5),
        _item(tax, "model_monitoring", 3),
        _item(tax, "observability", 2),
    ]
    chosen = choose_projects(items, set(), tax, stage="leadership", family=None)
    # k8s_serving closes 6+4+5=15, then drift_monitor 3+2=5; nothing else is left
    assert [p.id for p in chosen] == ["k8s_serving", "drift_monitor"]
    assert [p.gain for p in chosen] == [15.0, 5.0]
    assert sum(p.gain for p in chosen) == _brute_force_best(tax, items, 2)
    assert chosen[0].covers == ("model_deployment", "kubernetes", "docker")
    assert chosen[0].reason == (
        "closes Model deployment and serving (required), Kubernetes (required), Docker (required)"
    )


def test_set_cover_tie_breaks_on_family_then_effort_then_id(tax: Taxonomy) -> None:
    items = [_item(tax, "docker", 4)]
    # deploy_api and k8s_serving both close docker (gain 4); both fit the family;
    # deploy_api needs 10 days, k8s_serving 15
    chosen = choose_projects(items, set(), tax, stage="mid", family="machine_learning_engineer")
    assert [p.id for p in chosen][:1] == ["deploy_api"]
    # with no family preference, effort still decides
    chosen = choose_projects(items, set(), tax, stage="mid", family=None)
    assert chosen[0].id == "deploy_api"


def test_set_cover_respects_stage_and_done_projects(tax: Taxonomy) -> None:
    items = [_item(tax, "pandas", 3), _item(tax, "docker", 2)]
    early = choose_projects(items, set(), tax, stage="early", family=None)
    assert [p.id for p in early][:2] == ["intro_notebook", "deploy_api"]
    mid = choose_projects(items, set(), tax, stage="mid", family=None)
    assert "intro_notebook" not in [p.id for p in mid]
    done = choose_projects(items, set(), tax, stage="early", family=None, done=("intro_notebook",))
    assert "intro_notebook" not in [p.id for p in done]


def test_projects_on_another_cloud_count_a_quarter(tax: Taxonomy) -> None:
    items = [_item(tax, "time_series", 3)]

    def first(ecosystem: str | None) -> tuple[str, str]:
        chosen = choose_projects(items, set(), tax, stage="mid", family=None, ecosystem=ecosystem)
        return chosen[0].id, chosen[0].reason

    assert first("aws") == ("sagemaker_forecast", "closes Time series and forecasting (required)")
    assert first("gcp")[0] == "vertex_forecast"
    assert first(None)[0] == "vertex_forecast"  # less effort
    # on Azure both are on another cloud: equal score, less effort wins, and the reason says so
    assert first("azure") == (
        "vertex_forecast",
        "closes Time series and forecasting (required); built on gcp, not azure",
    )


def test_projects_fill_to_minimum_with_proof_of_work(tax: Taxonomy) -> None:
    items = [_item(tax, "docker", 4)]
    chosen = choose_projects(items, {"python"}, tax, stage="mid", family=None)
    assert [p.id for p in chosen] == ["deploy_api", "k8s_serving"]
    assert chosen[1].gain == 0.0
    assert chosen[1].reason == (
        "proof of work for skills the posting wants and the profile claims: Docker"
    )


# --------------------------------------------------------------------------- plan and report


def test_plan_orders_certification_then_projects_with_rising_coverage(tax: Taxonomy) -> None:
    posting = make_posting(
        tax,
        {
            "model_deployment": "required",
            "mlops": "required",
            "docker": "required",
            "model_monitoring": "preferred",
            "rag": "preferred",
        },
        ecosystems={"aws": 2},
    )
    report = gap(posting, profile_with("python"), as_of=DAY, taxonomy=tax)
    assert [(s.kind, s.id) for s in report.plan] == [
        ("certification", "aws_mla"),
        ("project", "deploy_api"),
        ("project", "drift_monitor"),  # ties with rag_app on gain 2; fits the family
        ("project", "rag_app"),
    ]
    afters = [s.coverage_after for s in report.plan]
    assert afters == sorted(afters)
    assert report.plan[0].coverage_before == report.coverage.score
    assert report.plan[-1].coverage_after == 100.0
    assert report.plan[0].text == (
        "1. Earn AWS ML Engineer Associate (MLA-C01): covers Model deployment and serving, "
        f"MLOps; coverage {report.coverage.score:g} -> {report.plan[0].coverage_after:g}"
    )
    assert report.plan[1].text.startswith("2. Build Deploy api: covers Docker;")


def test_to_dict_is_json_and_has_the_contract_keys(tax: Taxonomy) -> None:
    posting = make_posting(
        tax,
        {"python": "required", "mlops": "required", "docker": "preferred"},
        ecosystems={"aws": 1},
    )
    data = gap(posting, profile_with("pytorch"), as_of=DAY, taxonomy=tax).to_dict()
    json.dumps(data)
    for key in ("coverage", "matched", "missing", "transferable", "certifications", "projects"):
        assert key in data
    assert data["missing"][0] == {
        "id": "python",
        "name": "Python",
        "category": "core",
        "requirement": "required",
        "weight": 6.0,
        "emphasis": 1.0,
    }
    assert set(data["certifications"][0]) >= {
        "id",
        "name",
        "code",
        "provider",
        "level",
        "status",
        "covers",
        "reason",
    }
    assert set(data["projects"][0]) >= {
        "id",
        "title",
        "covers",
        "deliverables",
        "effort_days",
        "reason",
    }
    assert data["plan"][0]["step"] == 1
    assert data["coverage"]["explanation"][0].startswith("weight = requirement weight")


def test_report_is_deterministic(tax: Taxonomy) -> None:
    posting = make_posting(
        tax, {"rag": "required", "docker": "preferred", "kubernetes": "required"}
    )
    first = gap(posting, profile_with("python"), as_of=DAY, taxonomy=tax).to_dict()
    second = gap(posting, profile_with("python"), as_of=DAY, taxonomy=tax).to_dict()
    assert first == second


# --------------------------------------------------------------------------- stage


def test_stage_inference_rules(tmp_path: Path) -> None:
    data = gap_taxonomy_data()
    keywords = {
        "early": ["junior", "analyst"],
        "mid": ["engineer", "senior", "developer"],
        "leadership": ["lead", "architect"],
    }
    for entry in data["paths.yaml"]["stages"]:
        entry["infer"]["role_keywords"] = keywords[entry["id"]]
    local = load_taxonomy(write_taxonomy(tmp_path / "t", data))
    cases = [
        (1, "Data Analyst", "early"),
        (6, "Senior Data Analyst", "mid"),
        (5, "Lead ML Engineer", "leadership"),
        (4, "Junior Developer", "mid"),
        (12, None, "leadership"),
        (None, "Junior data engineer", "early"),
        (None, None, "mid"),
    ]
    got = [
        infer_stage(Profile(name="x", years_experience=y, current_role=r), local)[0]
        for y, r, _ in cases
    ]
    assert got == [c[2] for c in cases]
    assert infer_stage(Profile(name="x", years_experience=4), local)[1] == (
        "4 years of experience (range 3-8)"
    )
    assert infer_stage(Profile(name="x"), local)[1].startswith("assumed")


# --------------------------------------------------------------------------- market gap


def test_market_gap_shares_and_role_filter(tax: Taxonomy) -> None:
    postings = [
        make_posting(tax, {"docker": "required", "rag": "preferred"}, ecosystems={"aws": 1}),
        make_posting(tax, {"docker": "required", "kubernetes": "preferred"}, ecosystems={"aws": 2}),
        make_posting(tax, {"rag": "required", "python": "required"}, family="ai_engineer"),
    ]
    report = market_gap(postings, profile_with("python"), as_of=DAY, taxonomy=tax, source="dir")
    assert report.scope == "market"
    assert report.postings == 3
    assert report.ecosystem == "aws"
    assert report.role_family == "machine_learning_engineer"
    missing = [(i.id, i.postings, round(i.share or 0, 4)) for i in report.missing]
    assert missing == [("rag", 2, 0.6667), ("docker", 2, 0.6667), ("kubernetes", 1, 0.3333)]
    rag = next(i for i in report.missing if i.id == "rag")
    # mean weight over the 3 postings: (2 + 3 x 2 [ai_engineer emphasis 1.0] + 0) / 3
    assert rag.weight == pytest.approx(8 / 3)
    assert rag.requirement == "required"
    only_ai = market_gap(
        postings, profile_with("python"), role="ai_engineer", as_of=DAY, taxonomy=tax
    )
    assert only_ai.postings == 1
    assert only_ai.notes == ("1 of 3 postings are predicted ai_engineer",)
    assert [i.id for i in only_ai.missing] == ["rag"]
    assert only_ai.projects[0].id == "rag_app"


def test_market_gap_of_no_postings_is_empty(tax: Taxonomy) -> None:
    report = market_gap([], profile_with("python"), as_of=DAY, taxonomy=tax)
    assert report.postings == 0
    assert report.items == ()
    assert report.coverage.score == 0.0
    assert report.plan == ()


# --------------------------------------------------------------------------- shipped data


def shipped_taxonomy() -> Taxonomy:
    """The bundled taxonomy (skips while the data does not load)."""
    try:
        return load_taxonomy()
    except Exception as exc:  # pragma: no cover - only while the data is being written
        pytest.skip(f"shipped taxonomy does not load yet: {exc}")


def test_package_level_api_is_callable_in_any_import_order(tax: Taxonomy) -> None:
    import analyzer
    import analyzer.gap  # binds the module to the name; it must still be callable

    posting = make_posting(tax, {"python": "required"})
    report = analyzer.gap(posting, profile_with("python"), as_of=DAY, taxonomy=tax)
    assert isinstance(report, analyzer.GapReport)
    assert report.coverage.score == 100.0
    assert analyzer.load_profile.__module__ == "analyzer.profile"
    assert analyzer.market_gap.__module__ == "analyzer.gap"


def test_projects_outside_the_role_family_count_half(tax: Taxonomy) -> None:
    items = [_item(tax, "rag", 2), _item(tax, "model_monitoring", 3)]
    # drift_monitor (machine_learning_engineer) closes 3, rag_app (ai_engineer) closes 2
    neutral = choose_projects(items, set(), tax, stage="mid", family=None)
    assert [p.id for p in neutral] == ["drift_monitor", "rag_app"]
    ai = choose_projects(items, set(), tax, stage="mid", family="ai_engineer")
    assert [p.id for p in ai] == ["rag_app", "drift_monitor"]  # 2 x 1 beats 3 x 0.5
    assert ai[0].reason == (
        "closes Retrieval-augmented generation (required); fits the ai_engineer role family"
    )


def test_writers_render_market_shares_and_mixed_family(tax: Taxonomy) -> None:
    import io

    from analyzer.gap_render import WRITERS

    postings = [
        make_posting(tax, {"docker": "required"}),
        make_posting(tax, {"docker": "required"}, family="ai_engineer"),
        make_posting(tax, {"sql": "required"}, family="data_scientist"),
    ]
    report = market_gap(postings, profile_with("python"), as_of=DAY, taxonomy=tax, source="d")
    assert report.role_family is None
    out = {}
    for name, writer in WRITERS.items():
        stream = io.StringIO()
        writer(report, stream)
        out[name] = stream.getvalue()
    assert out["text"].splitlines()[0] == "Market gap: 3 postings in d"
    assert "  - Role family: mixed (no single majority)" in out["text"]
    assert "| Docker | docker | cloud_mlops | required | 2 | 2/3 (67%) |  |" in out["markdown"]
    assert "<td>2/3 (67%)</td>" in out["html"]
    assert json.loads(out["json"])["missing"][0]["share"] == 0.6667


def test_holding_one_alternative_satisfies_the_others(tax: Taxonomy) -> None:
    posting = make_posting(tax, {"azure": "required", "gcp": "required", "docker": "required"})
    posting = Analysis(
        **{
            **posting.__dict__,
            "skills": tuple(
                SkillMention(
                    m.id,
                    m.name,
                    m.category,
                    m.requirement,
                    alternatives=(("gcp",) if m.id == "azure" else ("azure",))
                    if m.id in ("azure", "gcp")
                    else (),
                )
                for m in posting.skills
            ),
        }
    )
    items = {i.id: i for i in gap_items(posting, ["gcp"], tax)}
    assert (items["gcp"].status, items["azure"].status, items["docker"].status) == (
        "matched",
        "matched",
        "missing",
    )
    assert items["azure"].via == ("gcp",)
    assert items["azure"].note == "the posting accepts Google Cloud instead"
    assert items["azure"].to_dict()["alternatives"] == ["gcp"]
    # without the alternative, holding GCP does nothing for Azure
    plain = {i.id: i for i in gap_items(make_posting(tax, {"azure": "required"}), ["gcp"], tax)}
    assert plain["azure"].status == "missing"
