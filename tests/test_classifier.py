"""Behaviour of the role classifier, its plain model format and the numpy scorer."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline

from analyzer import ModelError, RoleClassifier
from analyzer.model_io import ARRAYS_FILE, META_FILE, read_model_dir
from analyzer.role_model import RoleModel, default_model_dir, load_role_model
from analyzer.role_tokens import normalize_title, resolve_titles, split_title, word_analyzer
from analyzer.role_training import load_labelled, train_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "postings-dev"

# A small labelled set written here: three families, titles on the first line.
POSTINGS = {
    "machine_learning_engineer": [
        "Machine Learning Engineer\nTrain and deploy PyTorch models; build feature pipelines.",
        "ML Engineer\nShip recommendation models to production with Python and Docker.",
        "Senior Machine Learning Engineer\nOwn model training, evaluation and deployment.",
        "Machine Learning Engineer, Search\nBuild ranking models in PyTorch; deploy them.",
        "ML Engineer II\nFeature engineering, supervised learning and model monitoring.",
        "Deep Learning Engineer\nTrain computer vision models and optimise inference.",
    ],
    "mlops_engineer": [
        "MLOps Engineer\nRun Kubeflow pipelines on Kubernetes; CI/CD for models.",
        "ML Platform Engineer\nOperate model serving, registries and Terraform infrastructure.",
        "Senior MLOps Engineer\nKubernetes, MLflow, monitoring and on-call for ML systems.",
        "ML Infrastructure Engineer\nGPU clusters, Kubernetes, model deployment pipelines.",
        "MLOps Engineer II\nAutomate training pipelines with Airflow and Docker on AWS.",
        "ML Platform Engineer, Serving\nScale inference services on Kubernetes with Terraform.",
    ],
    "data_analyst": [
        "Data Analyst\nBuild Tableau dashboards and write SQL reports for finance.",
        "Senior Data Analyst\nSQL analysis, Power BI dashboards and KPI reporting.",
        "BI Analyst\nMaintain Looker dashboards; reconcile numbers with SQL.",
        "Data Analyst, Marketing\nExcel and SQL reporting; weekly dashboards.",
        "Reporting Analyst\nRecurring reports, SQL queries and dashboard maintenance.",
        "Data Analyst II\nAd hoc SQL analysis and Tableau reporting for operations.",
    ],
}
TEXTS = [text for texts in POSTINGS.values() for text in texts]
LABELS = np.array([family for family, texts in POSTINGS.items() for _ in texts])
SKILLS = [
    ["python", "pytorch", "deep_learning", "machine_learning"]
    if y == "machine_learning_engineer"
    else ["kubernetes", "docker", "mlops", "ci_cd"]
    if y == "mlops_engineer"
    else ["sql", "data_visualization"]
    for y in LABELS
]
FAST = {"calibration_cv": 0, "use_skills": False}


@pytest.fixture(scope="module")
def fitted() -> RoleClassifier:
    return RoleClassifier(calibration_cv=3).fit(TEXTS, LABELS, skill_ids=SKILLS)


# ----------------------------------------------------------------------------- tokens


def test_normalize_title_folds_spellings_and_drops_noise() -> None:
    assert normalize_title("Sr. Machine Learning Engineer [28207] (Remote)") == "ml engineer"
    assert normalize_title("ML-Ops Engineer II") == "mlops engineer"
    assert normalize_title("Data Engineer Jobs") == "dataengineer"
    assert normalize_title(None) == ""


def test_word_analyzer_drops_stop_words_and_adds_bigrams() -> None:
    assert word_analyzer("We build the RAG pipelines") == [
        "build",
        "rag",
        "pipelines",
        "build rag",
        "rag pipelines",
    ]


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Senior Machine Learning Engineer", "machine_learning_engineer"),
        ("Software Engineer, Machine Learning", "machine_learning_engineer"),
        ("Software Engineer I-Machine Learning", "machine_learning_engineer"),
        ("Staff Software Engineer - Lead - Machine Learning", "machine_learning_engineer"),
        ("ML Platform Engineer", "mlops_engineer"),
        ("Senior ML Operations Engineer (MLOps)", "mlops_engineer"),
        ("Data Scientist, LLM Products", "data_scientist"),
        ("Applied Scientist", "ml_researcher"),
        ("ML Research Engineer", "ml_researcher"),
        ("Data Engineer", "other"),
        ("AI Engineer", "ai_engineer"),
        ("AI/ML Engineer", None),
        ("Machine Learning Engineer (LLM)", None),
        ("ML Engineer (MLOps)", None),
        ("Software Engineer, AI", None),
        ("AI Specialist", None),
        ("Data Scientist / ML Engineer", None),
        (None, None),
    ],
)
def test_title_gate_names_a_family_only_for_clear_titles(title: str | None, family) -> None:
    from analyzer.features import load_signals

    signals = load_signals()
    gate = signals.title_gate([title])
    assert gate.shape == (1, len(signals.families) + 1) and gate.sum() == 1.0
    named = [*signals.families, None][int(np.argmax(gate[0]))]
    assert named == family


def test_titles_come_from_argument_or_first_line() -> None:
    assert split_title("\n  ML Engineer \nbody") == ("ML Engineer", "\n  ML Engineer \nbody")
    assert split_title("x" * 200 + "\nbody")[0] is None
    texts = ["ML Engineer\nbody", "Data Analyst\nbody"]
    assert resolve_titles(texts, None, use_title=True) == ["ML Engineer", "Data Analyst"]
    assert resolve_titles(texts, ["MLOps", None], use_title=True) == ["MLOps", "Data Analyst"]
    assert resolve_titles(texts, ["MLOps", None], use_title=False) == [None, None]
    with pytest.raises(ValueError, match="1 titles for 2 texts"):
        resolve_titles(texts, ["x"], use_title=True)


# ----------------------------------------------------------------------------- estimator


def test_init_only_stores_parameters_and_clone_round_trips() -> None:
    clf = RoleClassifier(C=3.0, use_title=False, title_ngram_range=(3, 4))
    assert clf.get_params()["C"] == 3.0
    twin = clone(clf)
    assert twin.get_params() == clf.get_params()
    assert twin.set_params(C=7.0) is twin and twin.C == 7.0
    assert not hasattr(twin, "classes_")


def test_fit_returns_self_with_classes_and_probabilities(fitted: RoleClassifier) -> None:
    assert list(fitted.classes_) == ["data_analyst", "machine_learning_engineer", "mlops_engineer"]
    proba = fitted.predict_proba(TEXTS, skill_ids=SKILLS)
    assert proba.shape == (len(TEXTS), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)
    assert set(fitted.predict(TEXTS, skill_ids=SKILLS)) <= set(fitted.classes_)
    assert (fitted.predict(TEXTS, skill_ids=SKILLS) == LABELS).mean() == 1.0
    assert fitted.classifier_.temperature_ > 0
    assert [name for name, _ in fitted.blocks_] == [
        "words",
        "title",
        "title_patterns",
        "mentions",
        "skills",
        "title_gate",
        "ambiguous_words",
        "ambiguous_mentions",
        "ambiguous_skills",
    ]


def test_refuses_a_single_string_and_non_strings() -> None:
    clf = RoleClassifier(**FAST)
    with pytest.raises(ValueError, match="single string"):
        clf.fit("ML Engineer\nbody", ["machine_learning_engineer"])
    with pytest.raises(ValueError, match="posting 1 is a int"):
        clf.fit(["a", 3], ["x", "y"])


def test_works_in_pipeline_cross_val_score_and_grid_search() -> None:
    pipe = Pipeline([("role", RoleClassifier(**FAST))])
    scores = cross_val_score(pipe, TEXTS, LABELS, cv=3)
    assert scores.shape == (3,) and scores.min() >= 0.5
    search = GridSearchCV(RoleClassifier(**FAST), {"C": [1.0, 10.0]}, cv=3).fit(TEXTS, LABELS)
    assert search.best_params_["C"] in (1.0, 10.0)
    assert search.predict(["MLOps Engineer\nKubernetes pipelines"])[0] == "mlops_engineer"


def test_description_alone_needs_no_title() -> None:
    bodies = [t.split("\n", 1)[1] for t in TEXTS]
    clf = RoleClassifier(use_title=False, **FAST).fit(bodies, LABELS)
    assert [name for name, _ in clf.blocks_] == ["words", "mentions"]
    assert clf.predict(["Kubernetes and Terraform for model serving"])[0] == "mlops_engineer"


# ----------------------------------------------------------------------------- scorer


def test_scorer_probabilities_equal_the_estimator(fitted: RoleClassifier) -> None:
    model = fitted.to_role_model()
    queries = [*TEXTS, "Data Scientist\nExperiments and A/B tests", "no title at all", ""]
    skills = [*SKILLS, ["statistics"], [], []]
    expected = fitted.predict_proba(queries, skill_ids=skills)
    got = model.predict_proba_many(queries, skill_lists=skills)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_saved_directory_scores_like_the_estimator(fitted: RoleClassifier, tmp_path: Path) -> None:
    fitted.save(tmp_path / "model")
    model = load_role_model(tmp_path / "model")
    np.testing.assert_allclose(
        model.predict_proba_many(TEXTS, skill_lists=SKILLS),
        fitted.predict_proba(TEXTS, skill_ids=SKILLS),
        rtol=0,
        atol=1e-9,
    )
    reloaded = RoleClassifier.load(tmp_path / "model")
    np.testing.assert_allclose(
        reloaded.predict_proba(TEXTS, skill_ids=SKILLS),
        fitted.predict_proba(TEXTS, skill_ids=SKILLS),
        rtol=0,
        atol=1e-9,
    )


def test_prediction_has_all_families_runner_up_and_evidence(fitted: RoleClassifier) -> None:
    model = fitted.to_role_model()
    pred = model.predict(
        "MLOps Engineer\nRun Kubeflow pipelines on Kubernetes.", skill_ids=["kubernetes"]
    )
    assert pred.family == "mlops_engineer"
    assert set(pred.probabilities) == set(model.families)
    assert len(pred.probabilities) == 7
    assert pred.probabilities["ai_engineer"] == 0.0  # not a class of this small model
    assert pred.runner_up in fitted.classes_ and pred.runner_up != pred.family
    assert pred.confidence == pytest.approx(max(pred.probabilities.values()))
    assert pred.evidence[0] == "title: 'mlops engineer'"
    assert all(isinstance(e, str) for e in pred.evidence)


def test_retraining_reproduces_the_files_byte_for_byte(tmp_path: Path) -> None:
    data = tmp_path / "data.jsonl"
    data.write_text(
        "".join(
            json.dumps({"id": str(i), "text": t, "family": str(y)}) + "\n"
            for i, (t, y) in enumerate(zip(TEXTS, LABELS, strict=True))
        ),
        encoding="utf-8",
    )
    postings = load_labelled(data)
    first = Path(train_model(postings, tmp_path / "a", skill_ids=SKILLS))
    second = Path(train_model(postings, tmp_path / "b", skill_ids=SKILLS))
    for name in (META_FILE, ARRAYS_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes()


# ----------------------------------------------------------------------------- shipped model


def test_shipped_model_is_plain_data_and_loads() -> None:
    directory = default_model_dir()
    assert sorted(p.name for p in directory.iterdir()) == [META_FILE, ARRAYS_FILE]
    meta, arrays = read_model_dir(directory)
    assert meta["classes"] == sorted(meta["classes"]) and len(meta["classes"]) == 7
    model = load_role_model()
    assert isinstance(model, RoleModel)
    pred = model.predict("MLOps Engineer\nOperate Kubeflow and model serving on Kubernetes.")
    assert pred.family == "mlops_engineer"
    assert abs(sum(pred.probabilities.values()) - 1.0) < 1e-9


def test_pretrained_estimator_equals_the_shipped_scorer() -> None:
    clf = RoleClassifier.pretrained()
    model = load_role_model()
    texts = [
        "Machine Learning Engineer\nTrain PyTorch models.",
        "Data Analyst\nSQL dashboards.",
        "Prompt Engineer\nRAG with LangChain.",
    ]
    skills = [["pytorch", "python"], ["sql"], ["rag", "llm_frameworks", "llms"]]
    np.testing.assert_allclose(
        clf.predict_proba(texts, skill_ids=skills),
        model.predict_proba_many(texts, skill_lists=skills),
        rtol=0,
        atol=1e-9,
    )


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/postings-dev")
def test_shipped_scorer_equals_a_refitted_estimator_on_dev_postings() -> None:
    postings = load_labelled(SHARED / "postings.jsonl", SHARED / "roles.jsonl")
    subset = slice(0, 40)
    skills = [["python"]] * len(postings)
    clf = RoleClassifier(calibration_cv=2).fit(
        list(postings.texts), postings.labels, titles=postings.titles, skill_ids=skills
    )
    model = clf.to_role_model()
    texts = list(postings.texts[subset])
    np.testing.assert_allclose(
        model.predict_proba_many(texts, titles=postings.titles[subset], skill_lists=skills[subset]),
        clf.predict_proba(texts, titles=postings.titles[subset], skill_ids=skills[subset]),
        rtol=0,
        atol=1e-9,
    )


# ----------------------------------------------------------------------------- refusals


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    return target


def test_refuses_a_pickle_file(tmp_path: Path) -> None:
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"coef": [1.0]}))
    with pytest.raises(ModelError, match="refusing to load model.pkl: pickled models"):
        load_role_model(path)
    with pytest.raises(ModelError, match="pickled models"):
        RoleClassifier.load(path)


def test_refuses_a_directory_holding_a_pickle(model_copy: Path) -> None:
    (model_copy / "classifier.joblib").write_bytes(b"\x80\x04")
    with pytest.raises(ModelError, match="refusing to load classifier.joblib"):
        load_role_model(model_copy)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / META_FILE).write_text("{not json", encoding="utf-8"), "not valid JSON"),
        (lambda d: (d / ARRAYS_FILE).unlink(), "weights.npz is missing"),
        (lambda d: (d / ARRAYS_FILE).write_bytes(b"PK\x03\x04junk"), "checksum does not match"),
        (lambda d: _edit(d, format="sklearn-pickle"), "format is 'sklearn-pickle'"),
        (lambda d: _edit(d, format_version=99), "format_version 99 is not supported"),
        (lambda d: _edit(d, classes=["astronaut"] * 7), "not families of the taxonomy"),
        (lambda d: _edit(d, word_vocabulary=["x"]), "does not match its vocabulary"),
        (lambda d: _edit(d, params=None), r"\[params\] missing"),
    ],
    ids=["json", "missing", "checksum", "format", "version", "classes", "vocab", "params"],
)
def test_refuses_a_malformed_model_directory(model_copy: Path, damage, message: str) -> None:
    damage(model_copy)
    with pytest.raises(ModelError, match=message):
        load_role_model(model_copy)


def test_refuses_a_model_of_another_taxonomy_version(model_copy: Path) -> None:
    _edit(model_copy, taxonomy_version="1999.01")
    with pytest.raises(ModelError, match="taxonomy version '1999.01'"):
        load_role_model(model_copy)
    with pytest.raises(ModelError, match="retrain it with 'skillgap train"):
        RoleClassifier.load(model_copy)
    assert load_role_model(model_copy, check_taxonomy=False).taxonomy_version == "1999.01"


def test_refuses_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model directory not found"):
        load_role_model(tmp_path / "nowhere")


def test_export_refuses_labels_outside_the_families() -> None:
    clf = RoleClassifier(**FAST).fit(TEXTS, np.where(LABELS == "data_analyst", "astronaut", LABELS))
    with pytest.raises(ModelError, match=r"labels \['astronaut'\] are not role families"):
        clf.to_data()


def _edit(directory: Path, **changes: object) -> None:
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    meta.update(changes)
    (directory / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
