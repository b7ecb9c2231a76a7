"""Reading a posting like a hiring manager: requirement levels, negation, years, seniority."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer import analyze, analyze_many
from analyzer.errors import InputError
from analyzer.pipeline import extract_skill_ids
from analyzer.reader import Posting
from analyzer.taxonomy import Taxonomy, load_taxonomy
from tests.taxonomy_fixtures import skill_entry, taxonomy_data, write_taxonomy

POSTING = """Senior Machine Learning Engineer

About us
We are an AI-first company building tools for retailers.

Responsibilities
- Deploy models with Docker and Kubernetes on AWS.
- Build RAG pipelines on SageMaker.

Requirements
- 5+ years of Python and 3 years of SQL experience.
- No Spark experience needed.
- Familiarity with PyTorch is a plus.

Nice to have
- TensorFlow, Azure.

Benefits
- Free Julia lessons and an equal opportunity workplace.
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    data = taxonomy_data()
    for skill_id, aliases in {
        "sagemaker": ["SageMaker"],
        "azure": ["Azure"],
        "rag": ["RAG"],
    }.items():
        skill_entry(data, skill_id)["aliases"] = aliases
    return load_taxonomy(write_taxonomy(tmp_path_factory.mktemp("tax"), data))


@pytest.fixture(scope="module")
def result(small: Taxonomy):
    return analyze(POSTING, source="p.txt", taxonomy=small)


def levels(analysis) -> dict[str, str]:
    return {s.id: s.requirement for s in analysis.skills}


def test_requirement_levels_follow_sections_and_cues(result) -> None:
    assert levels(result) == {
        "python": "required",
        "sql": "required",
        "machine_learning": "required",
        "pytorch": "preferred",
        "deep_learning": "preferred",
        "aws": "required",
        "docker": "required",
        "kubernetes": "required",
        "sagemaker": "required",
        "azure": "preferred",
        "rag": "required",
        "llms": "required",
        "tensorflow": "preferred",
    }


def test_negated_and_boilerplate_mentions_are_dropped(result) -> None:
    assert result.get("spark") is None  # "No Spark experience needed"
    assert result.get("julia") is None  # benefits section
    assert result.get("llms").implied_by == ("rag",)  # "AI-first" is not a skill


def test_years_attach_to_the_skills_of_their_clause(result) -> None:
    assert result.get("python").years == 5
    assert result.get("sql").years == 3
    assert result.get("docker").years is None


def test_seniority_ecosystems_title_and_sections(result) -> None:
    assert result.title == "Senior Machine Learning Engineer"
    assert result.seniority.level == "senior"
    assert result.seniority.min_years == 3
    assert result.ecosystems == {"aws": 2, "azure": 1, "gcp": 0, "databricks": 0}
    assert result.primary_ecosystem == "aws"
    assert [s[0] for s in result.sections] == [
        "intro", "about", "responsibilities", "required", "preferred", "benefits",
    ]  # fmt: skip


def test_evidence_points_into_the_text(result) -> None:
    for skill in result.skills:
        for ev in skill.evidence:
            assert result.text[ev.start : ev.end] == ev.text
    sagemaker = result.get("sagemaker")
    assert [(e.text, e.section) for e in sagemaker.evidence] == [("SageMaker", "responsibilities")]


def test_implied_parents_carry_the_strongest_child_level(result) -> None:
    assert result.get("deep_learning").implied_by == ("pytorch", "tensorflow")
    assert result.get("deep_learning").evidence == ()


def test_certifications_named_in_the_posting(small: Taxonomy) -> None:
    text = "Requirements: the MLA-C01 certification, or AWS ML Engineer Associate."
    assert analyze(text, taxonomy=small).certifications == ("aws_ml_engineer_associate",)


@pytest.mark.parametrize(
    ("title", "text", "level", "min_years"),
    [
        ("Junior Data Analyst", "SQL", "entry", None),
        ("Staff ML Engineer", "Python", "lead", None),
        ("ML Engineer II", "Python", "mid", None),
        ("Data Scientist", "Requires 7+ years of experience in statistics.", "senior", 7),
        ("Data Scientist", "At least three years of professional experience.", "mid", 3),
        ("Data Scientist", "Great for recent graduates.", "entry", None),
        ("Data Scientist", "An early-career role in Python.", "entry", None),
        ("Data Scientist", "For a seasoned modeller.", "senior", None),
        ("Data Scientist", "Unseasoned takes on Sentry-level alerting.", "unknown", None),
        ("Data Scientist", "Python", "unknown", None),
    ],
)
def test_seniority(small: Taxonomy, title: str, text: str, level: str, min_years) -> None:
    result = analyze(f"{title}\n\n{text}", taxonomy=small)
    assert (result.seniority.level, result.seniority.min_years) == (level, min_years)


@pytest.mark.parametrize(
    "sentence",
    [
        "No Kubernetes experience needed.",
        "Kubernetes experience is not required.",
        "You don't need to know Kubernetes.",
    ],
)
def test_negation(small: Taxonomy, sentence: str) -> None:
    assert (
        analyze(f"Role\n\n{sentence} Python is required.", taxonomy=small).get("kubernetes") is None
    )


def test_not_required_but_a_plus_is_preferred(small: Taxonomy) -> None:
    result = analyze("Role\n\nKubernetes is not required but a plus.", taxonomy=small)
    assert result.get("kubernetes").requirement == "preferred"


def test_flattened_one_line_posting_still_finds_sections(small: Taxonomy) -> None:
    text = (
        "we are hiring an ml engineer. " * 30
        + "requirements: python and sql. preferred qualifications: pytorch. benefits: julia club."
    )
    result = analyze(text, taxonomy=small)
    assert levels(result)["python"] == "required"
    assert levels(result)["pytorch"] == "preferred"
    assert result.get("julia") is None


def test_cue_inside_a_heading_opens_no_section(small: Taxonomy) -> None:
    # a long line makes the inline cues count too; "qualifications:" inside the
    # "Preferred Qualifications:" heading must not reopen the required section
    text = (
        "ML Engineer\n" + "We build models for customers. " * 25 + "\n"
        "Minimum Qualifications:\n- Python\nPreferred Qualifications:\n- PyTorch\n- Docker\n"
    )
    result = analyze(text, taxonomy=small)
    assert [s[0] for s in result.sections] == ["intro", "required", "preferred"]
    assert levels(result)["python"] == "required"
    assert levels(result)["pytorch"] == "preferred"
    assert levels(result)["docker"] == "preferred"


def test_empty_text_is_refused(small: Taxonomy) -> None:
    with pytest.raises(InputError, match="empty"):
        analyze("   \n", taxonomy=small)


def test_analyze_many_preserves_order_and_sources(small: Taxonomy) -> None:
    postings = [
        Posting(text=t, source=f"s{i}") for i, t in enumerate(["Python", "SQL", "Docker"] * 5)
    ]
    results = list(analyze_many(postings, taxonomy=small, batch_size=4))
    assert [r.source for r in results] == [f"s{i}" for i in range(15)]
    assert [r.skill_ids[0] for r in results[:3]] == ["python", "sql", "docker"]


def test_analyze_many_with_two_processes_matches_one(small: Taxonomy) -> None:
    texts = [POSTING, "Python and PyTorch", "Azure ML and Docker"] * 2
    one = [r.to_dict() for r in analyze_many(texts, taxonomy=small)]
    two = [r.to_dict() for r in analyze_many(texts, taxonomy=small, n_process=2, batch_size=1)]
    assert two == one
    # the parent compiled every pattern before forking: the workers share them
    from analyzer.matcher import FACTORY
    from analyzer.pipeline import _engine

    assert not _engine(small)[1].get_pipe(FACTORY)._pending


def test_two_processes_keep_order_over_many_chunks_and_name_an_empty_text(
    small: Taxonomy,
) -> None:
    postings = [Posting(text=f"Role {i}\nPython and SQL", source=f"s{i}") for i in range(40)]
    results = list(analyze_many(postings, taxonomy=small, n_process=2, batch_size=3))
    assert [r.source for r in results] == [f"s{i}" for i in range(40)]
    assert [r.title for r in results] == [f"Role {i}" for i in range(40)]
    with pytest.raises(InputError, match=r"^-#5: empty"):
        list(analyze_many(["Python"] * 5 + ["  "], taxonomy=small, n_process=2, batch_size=2))


def test_extract_skill_ids_matches_analyze(small: Taxonomy) -> None:
    assert extract_skill_ids([POSTING], taxonomy=small) == [
        sorted(analyze(POSTING, taxonomy=small).skill_ids)
    ]


def test_output_validates_against_the_contract_schema(result) -> None:
    schema = json.loads(
        resources.files("analyzer").joinpath("contract/analysis.schema.json").read_text()
    )
    jsonschema.validate(result.to_dict(), schema)
    assert result.to_dict()["categories"] == {"core": 6, "cloud_mlops": 5, "genai": 2}


def test_analysis_is_deterministic(small: Taxonomy) -> None:
    assert analyze(POSTING, taxonomy=small).to_dict() == analyze(POSTING, taxonomy=small).to_dict()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                ["Python", "k8s", "RAG", "fine-tuning", "CI/CD", "R", "no", "needed", "5+ years"]
            ),
            st.text(min_size=1, max_size=12),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_evidence_offsets_always_slice_to_the_evidence(small: Taxonomy, words: list[str]) -> None:
    text = " ".join(words)
    if not text.strip():
        return
    result = analyze(text, taxonomy=small)
    for skill in result.skills:
        for ev in skill.evidence:
            assert text[ev.start : ev.end] == ev.text


def test_markdown_escaped_years_as_written_by_scrapers(small: Taxonomy) -> None:
    result = analyze("Role\n\n\\- 5\\+ years of Python\n\\- 2\\-4 years of SQL", taxonomy=small)
    assert (result.get("python").years, result.get("sql").years) == (5, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "AWS, Azure or Google Cloud",
            {"aws": ("azure", "gcp"), "azure": ("aws", "gcp"), "gcp": ("aws", "azure")},
        ),
        ("PyTorch/TensorFlow", {"pytorch": ("tensorflow",), "tensorflow": ("pytorch",)}),
        ("Python, SQL and Docker", {}),
        ("Python and Docker or SQL", {"docker": ("sql",), "sql": ("docker",)}),
    ],
)
def test_alternatives_in_lists(small: Taxonomy, text: str, expected: dict) -> None:
    result = analyze(f"Role\n\nRequirements: {text}.", taxonomy=small)
    assert {s.id: s.alternatives for s in result.skills if s.alternatives} == expected


def test_years_of_software_engineering_are_general_experience(small: Taxonomy) -> None:
    result = analyze(
        "Role\n\nRequirements: 3+ years of software engineering in Python.", taxonomy=small
    )
    assert (result.seniority.level, result.seniority.min_years) == ("mid", 3)


def test_skill_years_in_requirements_give_min_years(small: Taxonomy) -> None:
    text = "Role\n\nWhat you need\n- 4+ years of python; docker.\n\nAbout us\nFounded 10 years ago."
    result = analyze(text, taxonomy=small)
    assert (result.seniority.min_years, result.get("python").years) == (4, 4)


def test_a_range_from_zero_years_is_entry_level(small: Taxonomy) -> None:
    result = analyze("Analyst\n\nRequirements: 0-2 years of experience with SQL.", taxonomy=small)
    assert (result.seniority.level, result.seniority.min_years) == ("entry", 0)
    assert result.get("sql").years is None


def test_inline_cues_in_a_flattened_posting_with_a_dotted_capital_i(small: Taxonomy) -> None:
    text = "İstanbul office. " * 40 + "Requirements: Python. Preferred qualifications: PyTorch."
    result = analyze(text, taxonomy=small)
    assert (result.get("python").requirement, result.get("pytorch").requirement) == (
        "required",
        "preferred",
    )
