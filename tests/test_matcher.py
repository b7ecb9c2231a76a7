"""The ``skillgap_skills`` spaCy component, on a small hand-written taxonomy."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy import displacy

from analyzer.matcher import (
    FACTORY,
    SkillMatcher,
    activation_word,
    alias_variants,
    patterns_from_taxonomy,
)
from analyzer.pipeline import build_nlp
from analyzer.taxonomy import Taxonomy, load_taxonomy
from tests.taxonomy_fixtures import skill_entry, taxonomy_data, write_taxonomy

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "postings"


@pytest.fixture(scope="module")
def small_taxonomy(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    data = taxonomy_data()
    skill_entry(data, "ci_cd")["aliases"] = ["CI/CD", "continuous integration"]
    skill_entry(data, "fine_tuning")["aliases"] = ["fine-tuning", "LoRA"]
    skill_entry(data, "hugging_face")["aliases"] = ["hugging face transformers"]
    skill_entry(data, "transformer_models")["ambiguous"] = [
        {"text": "transformers", "context_none": ["electrical", "substation"], "why": "power grid"}
    ]
    skill_entry(data, "azure_ml")["aliases"] = ["azure machine learning"]
    skill_entry(data, "vector_database")["aliases"] = ["vector database"]
    skill_entry(data, "java")["ambiguous"] = [
        {"text": "Java", "not_next": ["script"], "why": "JavaScript written apart"}
    ]
    skill_entry(data, "rag")["ambiguous"] = [
        {
            "text": "RAG",
            "not_next": ["status", "rating"],
            "context_any": ["llm", "llms", "retrieval", "embeddings", "vector"],
            "window": 10,
            "why": "RAG status in project reports",
        }
    ]
    skill_entry(data, "agents")["ambiguous"] = [
        {
            "text": "agents",
            "context_any": ["ai", "llm", "llms", "tool", "autonomous"],
            "context_none": ["customer service", "real estate"],
            "why": "people who are agents",
        }
    ]
    return load_taxonomy(write_taxonomy(tmp_path_factory.mktemp("tax"), data))


@pytest.fixture(scope="module")
def nlp(small_taxonomy: Taxonomy) -> spacy.language.Language:
    return build_nlp(small_taxonomy)


def found(nlp: spacy.language.Language, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(s.text, s.id_) for s in doc.spans["skills"]]


def test_spans_carry_category_label_and_skill_id(nlp) -> None:
    doc = nlp("We use Python, Kubernetes and LLMs.")
    assert [(s.text, s.label_, s.id_) for s in doc.spans["skills"]] == [
        ("Python", "core", "python"),
        ("Kubernetes", "cloud_mlops", "kubernetes"),
        ("LLMs", "genai", "llms"),
    ]
    assert doc._.skills == ("python", "kubernetes", "llms")


@pytest.mark.parametrize(
    "text",
    ["fine-tuning", "fine tuning", "finetuning", "Fine-Tuning", "FINE TUNING", "fine - tuning"],
)
def test_hyphen_space_and_joined_variants(nlp, text: str) -> None:
    assert found(nlp, f"Experience with {text} of models") == [(text, "fine_tuning")]


@pytest.mark.parametrize("text", ["CI/CD", "CI / CD", "ci-cd", "CICD", "ci cd"])
def test_slash_variants(nlp, text: str) -> None:
    assert found(nlp, f"Own {text} for models") == [(text, "ci_cd")]


def test_plurals_and_lowercased_text(nlp) -> None:
    assert found(nlp, "vector databases and large language models") == [
        ("vector databases", "vector_database"),
        ("large language models", "llms"),
    ]
    assert found(nlp, "python, pytorch and kubernetes") == [
        ("python", "python"),
        ("pytorch", "pytorch"),
        ("kubernetes", "kubernetes"),
    ]


def test_markdown_residue_is_split_off(nlp) -> None:
    assert found(nlp, "**Python** and `SQL`, \\- Docker") == [
        ("Python", "python"),
        ("SQL", "sql"),
        ("Docker", "docker"),
    ]


def test_longest_match_wins_on_overlaps(nlp) -> None:
    assert found(nlp, "Hugging Face Transformers and Azure Machine Learning") == [
        ("Hugging Face Transformers", "hugging_face"),
        ("Azure Machine Learning", "azure_ml"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Python or R for statistics",
            [("Python", "python"), ("R", "r"), ("statistics", "statistics")],
        ),
        (
            "python or r for statistics",
            [("python", "python"), ("r", "r"), ("statistics", "statistics")],
        ),
        ("Our R&D team uses Python", [("Python", "python")]),
        ("R & D with Python", [("Python", "python")]),
        ("Grade r in school", []),
        ("Java and JavaScript", [("Java", "java")]),
        ("Java Script developers", []),
        ("Report the RAG status weekly", []),
        ("Build RAG over LLMs", [("RAG", "rag"), ("LLMs", "llms")]),
        ("rag with vector search", [("rag", "rag"), ("vector search", "vector_search")]),
        ("customer service agents answer calls", []),
        ("build AI agents with tool use", [("agents", "agents")]),
        ("electrical transformers at the substation", []),
        ("fine-tune transformers", [("transformers", "transformer_models")]),
    ],
)
def test_ambiguous_aliases_follow_their_rules(nlp, text: str, expected) -> None:
    assert found(nlp, text) == expected


def test_empty_doc(nlp) -> None:
    doc = nlp("")
    assert list(doc.spans["skills"]) == []
    assert doc._.skills == ()


def test_alias_variants() -> None:
    assert alias_variants("fine-tuning") == ["fine-tuning", "fine tuning", "finetuning"]
    assert alias_variants("vector database") == [
        "vector database",
        "vector-database",
        "vector databases",
        "vector-databases",
    ]
    assert alias_variants("CI/CD") == ["CI/CD", "CI CD", "CI-CD", "CICD"]
    assert alias_variants("LLM") == ["LLM", "LLMs"]
    assert alias_variants("Pandas", plurals=False) == ["Pandas"]


def test_factory_in_a_fresh_pipeline_uses_the_bundled_taxonomy() -> None:
    nlp = spacy.blank("en")
    component = nlp.add_pipe(FACTORY)
    assert isinstance(component, SkillMatcher)
    doc = nlp("Deploy PyTorch models on Kubernetes")
    assert {"pytorch", "kubernetes"} <= set(doc._.skills)


def test_annotate_returns_the_offsets_of_the_spans_it_writes(nlp) -> None:
    text = "Python, CI/CD and fine-tuning"
    doc = nlp.make_doc(text)
    offsets = nlp.get_pipe(FACTORY).annotate(doc)
    assert offsets == [(0, 6, "python"), (8, 13, "ci_cd"), (18, 29, "fine_tuning")]
    assert offsets == [(s.start_char, s.end_char, s.id_) for s in doc.spans["skills"]]


def test_annotate_without_overwrite_returns_the_merged_spans(nlp) -> None:
    component = SkillMatcher(nlp, "merge", overwrite=False)
    component.add_patterns(nlp.get_pipe(FACTORY).patterns)
    doc = nlp.make_doc("Python and CI/CD")
    doc.spans["skills"] = [doc.char_span(11, 16, label="mine", span_id="ci_cd_mine")]
    offsets = component.annotate(doc)
    assert offsets == [(0, 6, "python"), (11, 16, "ci_cd")]
    assert offsets == [(s.start_char, s.end_char, s.id_) for s in doc.spans["skills"]]


def test_entry_point_is_published() -> None:
    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert names[FACTORY] == "analyzer.matcher:make_skill_matcher"


def test_to_disk_from_disk_round_trip(nlp, small_taxonomy: Taxonomy, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    text = "fine tuning LLMs, CI / CD and R with Python"
    assert found(loaded, text) == found(nlp, text)
    component = loaded.get_pipe(FACTORY)
    assert component.taxonomy_version == small_taxonomy.version
    assert len(component.patterns) == len(nlp.get_pipe(FACTORY).patterns)


def test_from_disk_of_a_missing_directory_raises(nlp, tmp_path: Path) -> None:
    component = SkillMatcher(nlp, FACTORY)
    with pytest.raises(ValueError, match="no such directory"):
        component.from_disk(tmp_path / "missing")


def test_to_bytes_from_bytes_round_trip(nlp) -> None:
    component = SkillMatcher(nlp, "copy")
    component.from_bytes(nlp.get_pipe(FACTORY).to_bytes())
    assert component.patterns == nlp.get_pipe(FACTORY).patterns


def test_multiprocessing_gives_the_same_spans(nlp) -> None:
    texts = ["Python and SQL", "fine-tuning LLMs on Kubernetes", "R&D", "CI/CD with Docker"] * 3
    single = [[(s.text, s.id_) for s in d.spans["skills"]] for d in nlp.pipe(texts)]
    multi = [[(s.text, s.id_) for s in d.spans["skills"]] for d in nlp.pipe(texts, n_process=2)]
    assert multi == single


def test_displacy_renders_the_spans(nlp) -> None:
    doc = nlp("Python & <b>SQL</b>")
    markup = displacy.render(doc, style="span", options={"spans_key": "skills"})
    assert "core" in markup
    assert "<b>" not in markup


def test_every_shipped_pattern_holds_its_activation_word(taxonomy) -> None:
    nlp = spacy.blank("en")
    for pattern in patterns_from_taxonomy(taxonomy):
        pieces = set()
        for token in nlp.make_doc(pattern.text):
            pieces.update(re.findall(r"[^\W\d_]+|\d+", token.lower_))
        word = activation_word(pattern.text)
        assert word == "" or word in pieces, pattern


def test_lazy_compilation_finds_what_full_compilation_finds(taxonomy) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.iterdir())]
    lazy = build_nlp(taxonomy)
    full = build_nlp(taxonomy)
    full.get_pipe(FACTORY).compile_all()
    for text in texts:
        a, b = lazy(text), full(text)
        assert [(s.start, s.end, s.id_) for s in a.spans["skills"]] == [
            (s.start, s.end, s.id_) for s in b.spans["skills"]
        ]


def test_a_long_stream_compiles_the_rest_at_once(taxonomy, monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.matcher as matcher_module

    monkeypatch.setattr(matcher_module, "COMPILE_ALL_AFTER", 2)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.iterdir())]
    texts += [text.lower() for text in texts]
    stream = build_nlp(taxonomy)
    lazy = build_nlp(taxonomy)
    component = stream.get_pipe(FACTORY)
    for n, text in enumerate(texts, start=1):
        a = stream(text)
        assert bool(component._pending) is (n <= 2)  # pending until the third Doc
        monkeypatch.setattr(matcher_module, "COMPILE_ALL_AFTER", 10**9)
        b = lazy(text)
        monkeypatch.setattr(matcher_module, "COMPILE_ALL_AFTER", 2)
        assert [(s.start, s.end, s.id_) for s in a.spans["skills"]] == [
            (s.start, s.end, s.id_) for s in b.spans["skills"]
        ]


def test_patterns_added_later_still_activate_on_known_words(nlp) -> None:
    from analyzer.matcher import Pattern

    component = SkillMatcher(nlp, "late")
    component.add_patterns([Pattern("python", "python", "core", "python")])
    doc = nlp.make_doc("python and zork tooling")
    assert [s.id_ for s in component.match(doc)] == ["python"]
    component.add_patterns([Pattern("zork tooling", "docker", "cloud_mlops", "zork tooling")])
    assert [s.id_ for s in component.match(doc)] == ["python", "docker"]


TRICKY = (
    "Fine-tuning LLMs; CI/CD with GitHub Actions, scikit-learn, C++ and Node.js on k8s "
    "(U.S.-based), e.g. PyTorch/TensorFlow, **Docker**, \\-Kubernetes."
)


def _spans(nlp, text: str) -> list[tuple[int, int, str]]:
    doc = nlp(text)
    return [(s.start_char, s.end_char, s.id_) for s in doc.spans["skills"]]


def test_pattern_cache_matches_what_tokenising_matches(
    taxonomy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(tmp_path))
    writes = build_nlp(taxonomy)
    assert len(list(tmp_path.glob("*.json"))) == 1
    reads = build_nlp(taxonomy)
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", "off")
    plain = build_nlp(taxonomy)
    found = _spans(plain, TRICKY)
    assert {"fine_tuning", "ci_cd", "scikit_learn", "pytorch", "docker", "kubernetes"} <= {
        skill for _s, _e, skill in found
    }
    assert _spans(writes, TRICKY) == found
    assert _spans(reads, TRICKY) == found


def test_cached_pattern_tokens_are_the_tokenizers(
    taxonomy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(tmp_path))
    build_nlp(taxonomy)
    nlp = build_nlp(taxonomy)  # tokens from the cache
    matcher = nlp.get_pipe("skillgap_skills")
    assert len(matcher._pieces) == len(matcher.patterns)  # else the loop tests nothing
    for pattern in matcher.patterns:
        cached = matcher._pattern_doc(pattern)
        made = nlp.make_doc(pattern.text)
        assert [(t.text, t.whitespace_) for t in cached] == [(t.text, t.whitespace_) for t in made]


def test_a_case_sensitive_alias_with_a_double_space_still_matches() -> None:
    from analyzer.matcher import Pattern
    from analyzer.pipeline import TOKENIZER

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    component = nlp.add_pipe(FACTORY)
    component.add_patterns([Pattern("xY  z", "xyz", "core", "xY  z", {"case_sensitive": True})])
    doc = nlp("Some Text With xY  z Here And More Normal Words")
    assert [(s.text, s.id_) for s in doc.spans["skills"]] == [("xY  z", "xyz")]
