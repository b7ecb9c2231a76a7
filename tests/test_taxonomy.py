"""The taxonomy API: shipped data, validation errors, overlays, lookups, certification status."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml
from taxonomy_fixtures import skill_entry, taxonomy_data, write_taxonomy, write_yaml

import analyzer.taxonomy as taxonomy_module
from analyzer.errors import TaxonomyError
from analyzer.taxonomy import (
    Taxonomy,
    alias_key,
    contract_role_ids,
    contract_skill_ids,
    default_taxonomy_dir,
    get_taxonomy,
    load_taxonomy,
)
from analyzer.taxonomy_models import Certification

CONTRACT = yaml.safe_load(
    (Path(taxonomy_module.__file__).parent / "contract" / "skills.yaml").read_text("utf-8")
)["skills"]


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    """The small valid taxonomy of :mod:`taxonomy_fixtures`."""
    return load_taxonomy(write_taxonomy(tmp_path_factory.mktemp("mini") / "taxonomy"))


@pytest.fixture()
def use_mini_as_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the mini taxonomy the "bundled" one for ``get_taxonomy`` (cache cleared around)."""
    directory = write_taxonomy(tmp_path / "bundled")
    monkeypatch.setattr(taxonomy_module, "default_taxonomy_dir", lambda: directory)
    taxonomy_module._cached.cache_clear()
    yield directory
    taxonomy_module._cached.cache_clear()


def problems(tmp_path: Path, directory: Path, overlays: tuple[Path, ...] = ()) -> list[str]:
    """The problem lines of a failing load, with ``tmp_path`` shown as ``TMP``."""
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(directory, overlays=overlays)
    assert str(info.value) == "\n".join(info.value.problems)
    return [line.replace(str(tmp_path), "TMP") for line in info.value.problems]


# --------------------------------------------------------------------------- shipped data


def test_bundled_taxonomy_is_the_checkout_folder() -> None:
    assert default_taxonomy_dir() == Path(taxonomy_module.__file__).resolve().parent.parent / (
        "taxonomy"
    )


def test_shipped_taxonomy_sizes(taxonomy: Taxonomy) -> None:
    assert len(taxonomy.skills) >= 200
    assert len(taxonomy.certifications) >= 25
    assert len(taxonomy.projects) >= 15
    assert sorted(taxonomy.stages) == ["early", "leadership", "mid"]
    assert list(taxonomy.roles) == list(contract_role_ids())
    assert len(taxonomy.roles) == 7


@pytest.mark.parametrize("entry", CONTRACT, ids=[e["id"] for e in CONTRACT])
def test_shipped_taxonomy_has_contract_skill(taxonomy: Taxonomy, entry: dict[str, Any]) -> None:
    skill = taxonomy.skills[entry["id"]]
    assert (skill.category, skill.parent) == (entry["category"], entry.get("parent"))
    assert taxonomy.contract_id(skill.id) == skill.id


def test_shipped_skills_roll_up_to_the_contract(taxonomy: Taxonomy) -> None:
    contract = set(contract_skill_ids())
    for skill_id in taxonomy.skills:
        rolled = taxonomy.contract_id(skill_id)
        assert rolled is None or rolled in contract
        assert skill_id not in taxonomy.ancestors(skill_id)


def test_shipped_lookup_examples(taxonomy: Taxonomy) -> None:
    assert taxonomy.lookup("k8s").id == "kubernetes"
    assert taxonomy.lookup("PYTHON").id == "python"
    assert taxonomy.lookup("Scikit-Learn").id == "scikit_learn"


def test_shipped_certifications_have_a_status_today(taxonomy: Taxonomy) -> None:
    statuses = {c.status_on(dt.date.today()).status for c in taxonomy.certifications.values()}
    assert statuses <= {"announced", "beta", "active", "retiring", "retired", "closed"}
    assert "active" in statuses


# --------------------------------------------------------------------------- queries


def test_mini_counts(mini: Taxonomy) -> None:
    assert (len(mini.skills), len(mini.groups), len(mini.roles)) == (81, 17, 7)
    assert (len(mini.certifications), len(mini.projects), len(mini.stages)) == (3, 2, 3)
    assert mini.version == "test-1"


def test_skills_mapping_is_read_only(mini: Taxonomy) -> None:
    with pytest.raises(TypeError):
        mini.skills["x"] = mini.skills["python"]  # type: ignore[index]
    with pytest.raises(pydantic.ValidationError):
        mini.skills["python"].name = "Snake"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("python", "python"),
        ("Python", "python"),
        ("  PYTHON ", "python"),
        ("K8S", "kubernetes"),
        ("eks", "kubernetes"),
        ("sklearn", "scikit_learn"),
        ("scikit learn", "scikit_learn"),
        ("Scikit_Learn", "scikit_learn"),
        ("fine tuning", "fine_tuning"),
        ("Fine-Tuning", "fine_tuning"),
        ("LoRA", "fine_tuning"),
        ("Large Language Model", "llms"),
        ("ci/cd", "ci_cd"),
        ("R", "r"),
        ("QLoRA adapters", "qlora"),
    ],
)
def test_lookup(mini: Taxonomy, text: str, skill_id: str) -> None:
    assert mini.lookup(text).id == skill_id


def test_lookup_unknown_raises(mini: Taxonomy) -> None:
    with pytest.raises(LookupError, match=r"^no skill is spelled 'pytorhc'$"):
        mini.lookup("pytorhc")


def test_get(mini: Taxonomy) -> None:
    assert mini.get("python") is mini.skills["python"]
    assert mini.get("nope") is None
    assert mini.get("nope", mini.skills["r"]) is mini.skills["r"]


@pytest.mark.parametrize(
    ("skill_id", "expected"),
    [
        ("python", ()),
        ("qlora", ("fine_tuning", "llms")),
        ("pyspark", ("spark", "python")),
        ("tool_calling", ("agents", "llms")),
        ("gradient_boosting", ("supervised_learning", "machine_learning")),
        ("pytorch", ("deep_learning", "machine_learning")),
    ],
)
def test_ancestors(mini: Taxonomy, skill_id: str, expected: tuple[str, ...]) -> None:
    assert mini.ancestors(skill_id) == expected


def test_children_and_contract_id(mini: Taxonomy) -> None:
    assert mini.children("fine_tuning") == ("qlora",)
    assert mini.children("agents") == ("tool_calling",)
    assert mini.children("python") == ()
    assert mini.contract_id("qlora") == "fine_tuning"
    assert mini.contract_id("pyspark") == "spark"
    assert mini.contract_id("sagemaker") == "sagemaker"


@pytest.mark.parametrize(
    ("text", "cert_id"),
    [
        ("MLS-C01", "aws_ml_specialty"),
        ("mla c01", "aws_ml_engineer_associate"),
        ("aws ml engineer associate", "aws_ml_engineer_associate"),
        ("Google Cloud Generative AI Leader", "gcp_genai_leader"),
        ("gcp_genai_leader", "gcp_genai_leader"),
        ("XYZ-999", None),
    ],
)
def test_certification_by_code(mini: Taxonomy, text: str, cert_id: str | None) -> None:
    cert = mini.certification_by_code(text)
    assert (cert.id if cert else None) == cert_id


def test_alias_key() -> None:
    assert alias_key("  Fine-Tuning/LoRA_x ") == "fine tuning lora x"
    assert alias_key("C++") == "c++"


# --------------------------------------------------------------------------- errors

Mutation = Callable[[dict[str, Any]], None]


def _skills(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["skills.yaml"]["skills"]


def _certs(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["certifications.yaml"]["certifications"]


def _set(skill_id: str, key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        skill_entry(data, skill_id)[key] = value

    return mutate


def _duplicate_python(data: dict[str, Any]) -> None:
    _skills(data).append(
        {"id": "python", "name": "Python 3", "category": "core", "group": "programming"}
    )


def _drop_julia(data: dict[str, Any]) -> None:
    data["skills.yaml"]["skills"] = [s for s in _skills(data) if s["id"] != "julia"]


def _retired_without_date(data: dict[str, Any]) -> None:
    _certs(data)[0]["history"][1] = {"status": "retired"}


def _closed_without_date(data: dict[str, Any]) -> None:
    _certs(data)[2]["history"].append({"status": "closed", "note": "program ended"})


def _cert_covers_unknown(data: dict[str, Any]) -> None:
    _certs(data)[1]["covers"].append("sage_maker")


def _cert_unknown_successor(data: dict[str, Any]) -> None:
    _certs(data)[0]["successors"] = ["aws_mle"]


def _cert_unknown_role(data: dict[str, Any]) -> None:
    _certs(data)[2]["role_families"] = ["prompt_wizard"]


def _cert_history_unordered(data: dict[str, Any]) -> None:
    _certs(data)[1]["history"].reverse()


def _project_unknown_skill(data: dict[str, Any]) -> None:
    data["projects.yaml"]["projects"][0]["skills"].append("vectors")


def _role_unknown_emphasis(data: dict[str, Any]) -> None:
    data["roles.yaml"]["families"][2]["emphasis"] = {"pandas": 0.9, "excel": 0.5}


def _role_weight_out_of_range(data: dict[str, Any]) -> None:
    data["roles.yaml"]["families"][2]["emphasis"] = {"pandas": 1.5}


def _drop_role(data: dict[str, Any]) -> None:
    data["roles.yaml"]["families"].pop()


def _unknown_top_key(data: dict[str, Any]) -> None:
    data["skills.yaml"]["colours"] = ["red"]


def _duplicate_group(data: dict[str, Any]) -> None:
    data["skills.yaml"]["groups"].append({"id": "rag", "name": "RAG", "category": "genai"})


def _duplicate_stage(data: dict[str, Any]) -> None:
    data["paths.yaml"]["stages"].append(dict(data["paths.yaml"]["stages"][0]))


S = "TMP/t/skills.yaml"
C = "TMP/t/certifications.yaml"

ERROR_CASES: list[tuple[str, Mutation, list[str]]] = [
    (
        "unknown-key",
        _set("python", "colour", "green"),
        [f"{S}: [skills[0 id=python].colour] Extra inputs are not permitted"],
    ),
    (
        "unknown-top-key",
        _unknown_top_key,
        [f"{S}: [top.colours] unknown key (allowed: groups, skills, version)"],
    ),
    (
        "bad-id",
        _set("python", "id", "Python3"),
        [
            f"{S}: [skills[0 id=Python3].id] Value error, "
            "id 'Python3' must be lower_snake_case (a-z, 0-9, _)"
        ],
    ),
    (
        "bad-category",
        _set("python", "category", "languages"),
        [f"{S}: [skills[0 id=python].category] Input should be 'core', 'cloud_mlops' or 'genai'"],
    ),
    (
        "aliases-not-a-list",
        _set("python", "aliases", "py"),
        [f"{S}: [skills[0 id=python].aliases] Input should be a valid tuple"],
    ),
    ("duplicate-id", _duplicate_python, [f"{S}: [skills id=python] duplicate skill id"]),
    ("duplicate-group", _duplicate_group, [f"{S}: [groups id=rag] duplicate group id"]),
    (
        "alias-claimed-twice",
        _set("docker", "aliases", ["containers", "K8s"]),
        [f"{S}: [skills id=kubernetes.aliases] alias 'k8s' is already claimed by skill 'docker'"],
    ),
    (
        "alias-is-another-name",
        _set("pandas", "aliases", ["NumPy"]),
        [f"{S}: [skills id=numpy.aliases] alias 'numpy' is already claimed by skill 'pandas'"],
    ),
    (
        "ambiguous-also-plain",
        _set("r", "aliases", ["r"]),
        [
            f"{S}: [skills id=r.ambiguous] 'R' is also a plain alias; "
            "an ambiguous alias must only appear under 'ambiguous'"
        ],
    ),
    (
        "ambiguous-without-why",
        _set("r", "ambiguous", [{"text": "R"}]),
        [f"{S}: [skills[1 id=r].ambiguous.0.why] Field required"],
    ),
    (
        "unknown-parent",
        _set("qlora", "parent", "fine_tunning"),
        [f"{S}: [skills id=qlora.parent] unknown skill id 'fine_tunning'"],
    ),
    (
        "unknown-implies",
        _set("pyspark", "implies", ["python", "scala3"]),
        [f"{S}: [skills id=pyspark.implies] unknown skill id 'scala3'"],
    ),
    (
        "unknown-group",
        _set("python", "group", "languages"),
        [f"{S}: [skills id=python.group] unknown group 'languages'"],
    ),
    (
        "parent-cycle",
        _set("llms", "parent", "qlora"),
        [f"{S}: [skills id=llms.parent] cycle in parents: llms -> qlora -> fine_tuning -> llms"],
    ),
    (
        "self-parent",
        _set("python", "parent", "python"),
        [f"{S}: [skills id=python.parent] cycle in parents: python -> python"],
    ),
    (
        "contract-skill-missing",
        _drop_julia,
        [f"{S}: [skills] contract skill 'julia' is missing"],
    ),
    (
        "contract-category",
        _set("embeddings", "category", "core"),
        [
            f"{S}: [skills id=embeddings.group] group 'rag' belongs to category 'genai', "
            "not 'core'",
            f"{S}: [skills id=embeddings.category] contract says 'genai', taxonomy says 'core'",
        ],
    ),
    (
        "retired-without-date",
        _retired_without_date,
        [
            f"{C}: [certifications[0 id=aws_ml_specialty].history.1] "
            "Value error, a retired status needs a date"
        ],
    ),
    (
        "closed-without-date",
        _closed_without_date,
        [
            f"{C}: [certifications[2 id=gcp_genai_leader].history.1] "
            "Value error, a closed status needs a date"
        ],
    ),
    (
        "history-out-of-order",
        _cert_history_unordered,
        [
            f"{C}: [certifications[1 id=aws_ml_engineer_associate]] "
            "Value error, history events must be in date order"
        ],
    ),
    (
        "covers-unknown-skill",
        _cert_covers_unknown,
        [
            f"{C}: [certifications id=aws_ml_engineer_associate.covers] "
            "unknown skill id 'sage_maker'"
        ],
    ),
    (
        "unknown-successor",
        _cert_unknown_successor,
        [f"{C}: [certifications id=aws_ml_specialty.successors] unknown certification 'aws_mle'"],
    ),
    (
        "cert-unknown-role",
        _cert_unknown_role,
        [f"{C}: [certifications id=gcp_genai_leader.role_families] unknown role 'prompt_wizard'"],
    ),
    (
        "project-unknown-skill",
        _project_unknown_skill,
        [
            "TMP/t/projects.yaml: [projects id=rag_assistant.skills] unknown skill id 'vectors'",
        ],
    ),
    (
        "role-unknown-skill",
        _role_unknown_emphasis,
        ["TMP/t/roles.yaml: [families id=data_scientist.emphasis] unknown skill id 'excel'"],
    ),
    (
        "role-weight",
        _role_weight_out_of_range,
        [
            "TMP/t/roles.yaml: [families[2 id=data_scientist].emphasis] "
            "Value error, emphasis of 'pandas' must be in (0, 1], got 1.5"
        ],
    ),
    (
        "contract-role-missing",
        _drop_role,
        ["TMP/t/roles.yaml: [families] contract role 'other' is missing"],
    ),
    (
        "duplicate-stage",
        _duplicate_stage,
        ["TMP/t/paths.yaml: [stages id=early] duplicate id"],
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_validation_error(tmp_path: Path, mutate: Mutation, expected: list[str]) -> None:
    data = taxonomy_data()
    mutate(data)
    directory = write_taxonomy(tmp_path / "t", data)
    assert problems(tmp_path, directory) == expected


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    path = directory / "skills.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = lines.index("  name: Python\n")
    lines.insert(at + 1, "  name: Python 3\n")
    path.write_text("".join(lines), "utf-8")
    assert problems(tmp_path, directory) == [
        f"{S}: [line {at + 2}] invalid YAML: duplicate key 'name'"
    ]


def test_invalid_yaml(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    (directory / "roles.yaml").write_text("version: 1\nfamilies: [unclosed\n", "utf-8")
    [line] = problems(tmp_path, directory)
    # libyaml says "did not find expected ',' or ']'", the pure-Python parser
    # "expected ',' or ']', but got '<stream end>'"
    assert line.startswith("TMP/t/roles.yaml: [line 3] invalid YAML: ")
    assert "expected ',' or ']'" in line


def test_unsafe_yaml_tag_is_refused(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    (directory / "paths.yaml").write_text("stages: !!python/object/apply:os.getcwd []\n")
    [line] = problems(tmp_path, directory)
    assert line.startswith("TMP/t/paths.yaml: [line 1] invalid YAML: could not determine")


def test_missing_file(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    (directory / "projects.yaml").unlink()
    assert problems(tmp_path, directory) == ["TMP/t/projects.yaml: file not found"]


def test_not_a_folder(tmp_path: Path) -> None:
    assert problems(tmp_path, tmp_path / "nowhere") == ["TMP/nowhere: not a taxonomy folder"]


def test_file_not_a_mapping(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    (directory / "roles.yaml").write_text("- machine_learning_engineer\n", "utf-8")
    assert problems(tmp_path, directory) == [
        "TMP/t/roles.yaml: [top] expected a mapping with a 'families' list"
    ]


def test_every_problem_is_reported(tmp_path: Path) -> None:
    data = taxonomy_data()
    _set("python", "colour", "green")(data)
    _retired_without_date(data)
    directory = write_taxonomy(tmp_path / "t", data)
    assert len(problems(tmp_path, directory)) == 2


# --------------------------------------------------------------------------- overlays

OVERLAY: dict[str, Any] = {
    "version": 1,
    "skills": [
        {
            "id": "polars",
            "name": "Polars",
            "category": "core",
            "group": "data",
            "aliases": ["pola-rs"],
        }
    ],
    "extend": {
        "kubernetes": {"aliases": ["kube"]},
        "r": {
            "ambiguous": [{"text": "R lang", "context_any": ["statistics"], "why": "rare phrasing"}]
        },
    },
}


def test_overlay_merges(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    overlay = write_yaml(tmp_path / "extra.yaml", OVERLAY)
    tax = load_taxonomy(directory, overlays=[overlay])
    assert len(tax.skills) == 82
    assert list(tax.skills)[-1] == "polars"
    assert tax.lookup("Pola RS").id == "polars"
    assert tax.lookup("KUBE").id == "kubernetes"
    assert tax.skills["kubernetes"].aliases == ("k8s", "EKS", "kube")
    assert [r.text for r in tax.skills["r"].ambiguous] == ["R", "R lang"]
    assert tax.sources == (str(directory), str(overlay))


def test_overlays_apply_in_order(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    first = write_yaml(tmp_path / "one.yaml", {"extend": {"python": {"aliases": ["py3"]}}})
    second = write_yaml(
        tmp_path / "two.yaml",
        {
            "skills": [
                {
                    "id": "fastapi",
                    "name": "FastAPI",
                    "category": "cloud_mlops",
                    "group": "ml_lifecycle",
                    "parent": "model_deployment",
                    "implies": ["python"],
                }
            ],
            "extend": {"python": {"aliases": ["cpython"]}},
        },
    )
    tax = load_taxonomy(directory, overlays=[first, second])
    assert tax.skills["python"].aliases == ("py3", "cpython")
    assert tax.ancestors("fastapi") == ("model_deployment", "python")
    assert tax.children("model_deployment") == ("fastapi", "inference_optimization")


def _new_skill(**fields: Any) -> dict[str, Any]:
    return {"id": "polars", "name": "Polars", "category": "core", "group": "data", **fields}


OV = "TMP/extra.yaml"

OVERLAY_CASES: list[tuple[str, Any, list[str]]] = [
    (
        "alias-clash-extend",
        {"extend": {"docker": {"aliases": ["K8S"]}}},
        [f"{OV}: [extend.docker.aliases] alias 'K8S' is already claimed by skill 'kubernetes'"],
    ),
    (
        "alias-clash-new-skill",
        {"skills": [_new_skill(aliases=["sklearn"])]},
        [
            f"{OV}: [skills id=polars.aliases] alias 'sklearn' is already claimed "
            "by skill 'scikit_learn'"
        ],
    ),
    (
        "existing-id",
        {"skills": [_new_skill(id="python")]},
        [f"{OV}: [skills id=python] already in the taxonomy; use 'extend' to add aliases"],
    ),
    (
        "unknown-parent",
        {"skills": [_new_skill(parent="dataframes")]},
        [f"{OV}: [skills id=polars.parent] unknown skill id 'dataframes'"],
    ),
    (
        "cycle",
        {
            "skills": [
                _new_skill(parent="polars_lazy"),
                _new_skill(id="polars_lazy", name="Polars lazy API", parent="polars"),
            ]
        },
        [f"{OV}: [skills id=polars.parent] cycle in parents: polars -> polars_lazy -> polars"],
    ),
    (
        "unknown-key-in-skill",
        {"skills": [_new_skill(colour="blue")]},
        [f"{OV}: [skills[0 id=polars].colour] Extra inputs are not permitted"],
    ),
    (
        "unknown-top-key",
        {"skills": [_new_skill()], "replace": {"python": {}}},
        [f"{OV}: [top.replace] unknown key (allowed: extend, skills, version)"],
    ),
    (
        "extend-unknown-skill",
        {"extend": {"pytorhc": {"aliases": ["torch"]}}},
        [f"{OV}: [extend.pytorhc] unknown skill id 'pytorhc'"],
    ),
    (
        "extend-unknown-key",
        {"extend": {"python": {"name": "Snake"}}},
        [f"{OV}: [extend.python.name] Extra inputs are not permitted"],
    ),
    (
        "extend-aliases-not-a-list",
        {"extend": {"python": {"aliases": "py"}}},
        [f"{OV}: [extend.python.aliases] Input should be a valid tuple"],
    ),
    (
        "extend-rule-without-why",
        {"extend": {"python": {"ambiguous": [{"text": "py"}]}}},
        [f"{OV}: [extend.python.ambiguous.0.why] Field required"],
    ),
    (
        "extend-not-a-mapping",
        {"extend": ["python"]},
        [f"{OV}: [extend] expected a mapping of skill id to additions"],
    ),
    ("empty", None, [f"{OV}: [top] the overlay is empty"]),
    (
        "not-a-mapping",
        ["python"],
        [f"{OV}: [top] expected a mapping with 'skills' and/or 'extend'"],
    ),
]


@pytest.mark.parametrize(
    ("overlay", "expected"), [c[1:] for c in OVERLAY_CASES], ids=[c[0] for c in OVERLAY_CASES]
)
def test_overlay_error(tmp_path: Path, overlay: Any, expected: list[str]) -> None:
    directory = write_taxonomy(tmp_path / "t")
    path = tmp_path / "extra.yaml"
    if overlay is None:
        path.write_text("", "utf-8")
    else:
        write_yaml(path, overlay)
    assert problems(tmp_path, directory, (path,)) == expected


def test_overlay_duplicate_yaml_key(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    path = tmp_path / "extra.yaml"
    path.write_text("extend:\n  python: {aliases: [py]}\n  python: {aliases: [py3]}\n", "utf-8")
    assert problems(tmp_path, directory, (path,)) == [
        f"{OV}: [line 3] invalid YAML: duplicate key 'python'"
    ]


def test_overlay_missing_file(tmp_path: Path) -> None:
    directory = write_taxonomy(tmp_path / "t")
    assert problems(tmp_path, directory, (tmp_path / "extra.yaml",)) == [f"{OV}: file not found"]


def test_base_problems_come_before_overlay(tmp_path: Path) -> None:
    data = taxonomy_data()
    _set("python", "parent", "python")(data)
    directory = write_taxonomy(tmp_path / "t", data)
    overlay = write_yaml(tmp_path / "extra.yaml", {"extend": {"nope": {"aliases": ["x"]}}})
    assert problems(tmp_path, directory, (overlay,)) == [
        f"{S}: [skills id=python.parent] cycle in parents: python -> python"
    ]


# --------------------------------------------------------------------------- get_taxonomy


def test_get_taxonomy_loads_once(use_mini_as_bundled: Path) -> None:
    first = get_taxonomy()
    assert get_taxonomy() is first
    assert first.sources == (str(use_mini_as_bundled),)


def test_env_overlay(
    use_mini_as_bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = write_yaml(tmp_path / "one.yaml", OVERLAY)
    two = write_yaml(tmp_path / "two.yaml", {"extend": {"python": {"aliases": ["py3"]}}})
    monkeypatch.setenv("SKILLGAP_TAXONOMY", f"{one}{os.pathsep}{two}")
    tax = get_taxonomy()
    assert tax.lookup("pola-rs").id == "polars"
    assert tax.lookup("py3").id == "python"
    assert tax.sources == (str(use_mini_as_bundled), str(one), str(two))
    monkeypatch.delenv("SKILLGAP_TAXONOMY")
    assert "polars" not in get_taxonomy().skills


def test_env_and_argument_overlays_combine(
    use_mini_as_bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = write_yaml(tmp_path / "one.yaml", OVERLAY)
    two = write_yaml(tmp_path / "two.yaml", {"extend": {"polars": {"aliases": ["pl"]}}})
    monkeypatch.setenv("SKILLGAP_TAXONOMY", str(one))
    assert get_taxonomy([two]).lookup("pl").id == "polars"


def test_env_overlay_errors_name_the_file(
    use_mini_as_bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = write_yaml(tmp_path / "bad.yaml", {"extend": {"pytorhc": {"aliases": ["torch"]}}})
    monkeypatch.setenv("SKILLGAP_TAXONOMY", str(bad))
    with pytest.raises(TaxonomyError) as info:
        get_taxonomy()
    assert info.value.problems == [f"{bad}: [extend.pytorhc] unknown skill id 'pytorhc'"]


# --------------------------------------------------------------------------- certification status


def _cert(*history: tuple[str, str | None]) -> Certification:
    return Certification.model_validate(
        {
            "id": "c",
            "name": "C",
            "provider": "P",
            "ecosystem": "aws",
            "level": "associate",
            "history": [{"status": s, "date": d} for s, d in history],
            "career_stages": ["mid"],
            "covers": ["python"],
        }
    )


RETIRING = _cert(("active", "2019-04-01"), ("retired", "2026-03-31"))
BETA = _cert(("beta", "2024-08-13"), ("active", "2024-10-08"))
CLOSED = _cert(("beta", "2025-01-10"), ("closed", "2025-03-01"))


@pytest.mark.parametrize(
    ("cert", "day", "status", "label", "available"),
    [
        (RETIRING, "2019-03-31", "announced", "announced (opens 2019-04-01)", False),
        (RETIRING, "2019-04-01", "retiring", "retiring on 2026-03-31", True),
        (RETIRING, "2026-03-30", "retiring", "retiring on 2026-03-31", True),
        (RETIRING, "2026-03-31", "retired", "retired on 2026-03-31", False),
        (RETIRING, "2030-01-01", "retired", "retired on 2026-03-31", False),
        (BETA, "2024-08-12", "announced", "announced (opens 2024-08-13)", False),
        (BETA, "2024-09-01", "beta", "beta", True),
        (BETA, "2024-10-08", "active", "active", True),
        (CLOSED, "2025-02-01", "retiring", "retiring on 2025-03-01", True),
        (CLOSED, "2025-03-02", "closed", "closed on 2025-03-01", False),
    ],
)
def test_status_on(cert: Certification, day: str, status: str, label: str, available: bool) -> None:
    result = cert.status_on(dt.date.fromisoformat(day))
    assert (result.status, result.describe(), result.available) == (status, label, available)


def test_status_since_and_until() -> None:
    result = RETIRING.status_on(dt.date(2025, 1, 1))
    assert (result.since, result.until) == (dt.date(2019, 4, 1), dt.date(2026, 3, 31))
    assert _cert(("active", None)).status_on(dt.date(2000, 1, 1)).status == "active"


def test_retired_needs_a_date() -> None:
    with pytest.raises(pydantic.ValidationError, match="a retired status needs a date"):
        _cert(("active", "2019-04-01"), ("retired", None))


def test_contract_and_taxonomy_files_never_share_a_parse_cache_entry(tmp_path: Path) -> None:
    """The same bytes parsed as a contract file (safe loader) must not answer for a taxonomy
    file, whose loader refuses duplicate keys and reads ``no`` as a word."""
    from analyzer.parse_cache import cached_parse
    from analyzer.taxonomy import _parse_safe_yaml, _read_yaml

    data = b"a: no\nb: 1\nb: 2\n"
    assert cached_parse(data, _parse_safe_yaml, kind="contract") == {"a": False, "b": 2}
    path = tmp_path / "skills.yaml"
    path.write_bytes(data)
    with pytest.raises(TaxonomyError, match="duplicate key 'b'"):
        _read_yaml(path)
