"""Candidate profiles: the YAML/JSON format, validation errors, resumes in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from taxonomy_fixtures import write_taxonomy
from test_gap import gap_taxonomy_data, shipped_taxonomy

from analyzer.errors import InputError, ProfileError
from analyzer.profile import (
    Profile,
    ProfileProject,
    ProfileSkill,
    load_profile,
    profile_from_dict,
)
from analyzer.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "samples" / "profiles"


@pytest.fixture(scope="module")
def tax(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    folder = write_taxonomy(tmp_path_factory.mktemp("profile-taxonomy"), gap_taxonomy_data())
    return load_taxonomy(folder)


def problems_of(data: object, tax: Taxonomy) -> list[str]:
    with pytest.raises(ProfileError) as info:
        profile_from_dict(data, source="p.yaml", taxonomy=tax)
    lines = str(info.value).split("\n")
    assert info.value.problems == lines  # type: ignore[attr-defined]
    return lines


# --------------------------------------------------------------------------- valid files


def test_yaml_profile_resolves_names_aliases_codes_and_projects(
    tmp_path: Path, tax: Taxonomy
) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(
        "\n".join(
            [
                "name: Ada Example",
                "years_experience: 2.5",
                "current_role: Data Analyst",
                "preferred_ecosystem: aws",
                "stage: early",
                "skills:",
                "  - Python",
                "  - {skill: k8s, level: intermediate, years: 1.5}",
                "  - scikit-learn",
                "certifications: [MLA-C01, az_fundamentals]",
                "projects:",
                "  - rag_app",
                "  - My first notebook",
                "  - {title: Churn study, skills: [supervised learning, pandas]}",
            ]
        ),
        encoding="utf-8",
    )
    profile = load_profile(path, taxonomy=tax)
    assert profile == Profile(
        name="Ada Example",
        years_experience=2.5,
        current_role="Data Analyst",
        skills=(
            ProfileSkill("python"),
            ProfileSkill("kubernetes", level="intermediate", years=1.5),
            ProfileSkill("scikit_learn"),
        ),
        certifications=("aws_mla", "az_fundamentals"),
        projects=(
            ProfileProject(
                title="Rag app", id="rag_app", skills=("rag", "vector_database", "llm_evaluation")
            ),
            ProfileProject(title="My first notebook"),
            ProfileProject(title="Churn study", skills=("supervised_learning", "pandas")),
        ),
        preferred_ecosystem="aws",
        stage="early",
        source=str(path),
        kind="profile",
    )
    assert profile.skill_ids == (
        "python",
        "kubernetes",
        "scikit_learn",
        "rag",
        "vector_database",
        "llm_evaluation",
        "supervised_learning",
        "pandas",
    )


def test_json_profile_with_minimal_fields(tmp_path: Path, tax: Taxonomy) -> None:
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"name": "B", "skills": ["SQL"]}), encoding="utf-8")
    profile = load_profile(path, taxonomy=tax)
    assert profile.skills == (ProfileSkill("sql"),)
    assert profile.to_dict()["skills"] == [
        {"id": "sql", "level": None, "years": None, "source": "profile"}
    ]


# --------------------------------------------------------------------------- validation errors


def test_schema_problems_one_line_each(tax: Taxonomy) -> None:
    data = {
        "years_experience": -1,
        "stage": "senior",
        "skills": [{"skill": "python", "level": "guru"}, 3, {"name": "x"}],
        "certifications": "AWS",
        "projects": [5],
        "hobbies": "chess",
    }
    assert problems_of(data, tax) == [
        "p.yaml: [name] Field required",
        "p.yaml: [years_experience] Input should be greater than or equal to 0",
        "p.yaml: [stage] Input should be 'early', 'mid' or 'leadership'",
        "p.yaml: [skills[0].level] Input should be 'beginner', 'intermediate', 'advanced' "
        "or 'expert'",
        "p.yaml: [skills[1]] expected a skill name or a mapping with 'skill', 'level', 'years'",
        "p.yaml: [skills[2].skill] Field required",
        "p.yaml: [skills[2].name] unknown field (allowed: skill, level, years)",
        "p.yaml: [certifications] Input should be a valid list",
        "p.yaml: [projects[0]] expected a project title, a catalogue id or a mapping with "
        "'title', 'id', 'skills', 'url'",
        "p.yaml: [hobbies] unknown field (allowed: name, years_experience, current_role, stage, "
        "preferred_ecosystem, skills, certifications, projects)",
    ]


def test_reference_problems_name_the_field_and_suggest(tax: Taxonomy) -> None:
    data = {
        "name": "A",
        "preferred_ecosystem": "oracle",
        "skills": ["PyTorchh", "python", "Python"],
        "certifications": ["XYZ-999", "MLA-C01", "aws_mla"],
        "projects": [{"id": "nope"}, {"title": "x", "skills": ["kubernetis"]}, {"url": "u"}],
    }
    assert problems_of(data, tax) == [
        "p.yaml: [preferred_ecosystem] unknown ecosystem 'oracle' "
        "(one of: aws, azure, gcp, databricks)",
        "p.yaml: [skills[0]] unknown skill 'PyTorchh' (did you mean 'PyTorch'?)",
        "p.yaml: [skills[2]] skill 'python' is listed twice",
        "p.yaml: [certifications[0]] unknown certification 'XYZ-999' "
        "(use a catalogue id, exam code or name; see `skillgap taxonomy`)",
        "p.yaml: [certifications[2]] 'aws_mla' is listed twice",
        "p.yaml: [projects[0].id] unknown catalogue project 'nope'",
        "p.yaml: [projects[1].skills[0]] unknown skill 'kubernetis' (did you mean 'kubernetes'?)",
        "p.yaml: [projects[2]] a project needs a 'title' or a catalogue 'id'",
    ]


def test_not_a_mapping(tax: Taxonomy) -> None:
    assert problems_of([1, 2], tax) == [
        "p.yaml: [top] expected a mapping with at least a 'name' field"
    ]


def test_invalid_yaml_and_json_name_the_line(tmp_path: Path, tax: Taxonomy) -> None:
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("name: A\nskills: [python\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"bad\.yaml: \[line 3\] invalid YAML"):
        load_profile(bad_yaml, taxonomy=tax)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"name": "A",\n}', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"bad\.json: \[line 2\] invalid JSON"):
        load_profile(bad_json, taxonomy=tax)


def test_missing_and_unsupported_files(tmp_path: Path, tax: Taxonomy) -> None:
    with pytest.raises(InputError, match="profile file not found"):
        load_profile(tmp_path / "nope.yaml", taxonomy=tax)
    odd = tmp_path / "me.csv"
    odd.write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"unsupported profile type '\.csv'"):
        load_profile(odd, taxonomy=tax)


# --------------------------------------------------------------------------- samples and resumes


@pytest.mark.parametrize("name", ["early-career.yaml", "mid-level.json", "senior-architect.yaml"])
def test_sample_profiles_load(name: str) -> None:
    profile = load_profile(PROFILES / name, taxonomy=shipped_taxonomy())
    assert profile.kind == "profile"
    assert len(profile.skills) >= 7


def test_sample_mid_level_holds_a_retired_certification() -> None:
    profile = load_profile(PROFILES / "mid-level.json", taxonomy=shipped_taxonomy())
    assert profile.certifications == ("azure_dp_100",)
    assert profile.stage is None
    assert profile.preferred_ecosystem == "aws"


RESUME_SKILLS = {
    "python",
    "sql",
    "scikit_learn",
    "pytorch",
    "pandas",
    "spark",
    "aws",
    "sagemaker",
    "docker",
    "experiment_tracking",
    "ci_tools",
    "prompt_engineering",
    "feature_engineering",
    "time_series",
}


@pytest.mark.parametrize("suffix", ["txt", "md", "pdf", "docx"])
def test_resume_in_every_format(suffix: str) -> None:
    profile = load_profile(PROFILES / f"resume.{suffix}", taxonomy=shipped_taxonomy())
    assert profile.kind == "resume"
    assert profile.name == "Sam Rivera"
    assert profile.current_role == "Machine Learning Engineer"
    assert profile.years_experience == 4
    assert RESUME_SKILLS - set(profile.skill_ids) == set()
    assert profile.certifications == ("aws_aif_c01",)
    assert all(s.source == "resume" for s in profile.skills)


def test_resume_formats_agree() -> None:
    shipped = shipped_taxonomy()
    ids = {
        suffix: load_profile(PROFILES / f"resume.{suffix}", taxonomy=shipped).skill_ids
        for suffix in ("txt", "md", "pdf", "docx")
    }
    assert ids["txt"] == ids["md"] == ids["pdf"] == ids["docx"]


def test_empty_resume_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "cv.txt"
    empty.write_text("   \n", encoding="utf-8")
    with pytest.raises(InputError):
        load_profile(empty, taxonomy=shipped_taxonomy())


def test_make_resumes_is_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_resumes", PROFILES / "make_resumes.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    markdown = (PROFILES / "resume.md").read_text(encoding="utf-8")
    lines = module.plain_lines(markdown)
    assert (PROFILES / "resume.txt").read_text(encoding="utf-8") == "\n".join(lines).strip() + "\n"
    module.write_pdf(lines, tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").read_bytes() == (PROFILES / "resume.pdf").read_bytes()
