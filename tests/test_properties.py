"""Properties that always hold, checked with hypothesis on generated input.

- The reader: any bytes either decode to a posting or are refused with :class:`InputError`.
- The pipeline: any unicode text either analyses or is refused with :class:`InputError`
  (whitespace only); evidence offsets slice the text to the evidence text; the output
  validates against ``analyzer/contract/analysis.schema.json``; analysis is deterministic.
- The gap: adding a skill to a profile never lowers coverage.
- Batch summary and market gap: a superset of postings never lowers a skill's count.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.analysis import Analysis
from analyzer.batch import Tally, record_line
from analyzer.errors import InputError
from analyzer.gap import candidate_skills, coverage, gap, gap_items, market_items
from analyzer.pipeline import analyze, analyze_many
from analyzer.profile import Profile, ProfileSkill
from analyzer.reader import decode_bytes, html_to_text, read_posting
from analyzer.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(
    resources.files("analyzer").joinpath("contract/analysis.schema.json").read_text("utf-8")
)
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Words that make the pipeline do real work: skills, cues, sections, years, negation, markup.
VOCABULARY = [
    "Python", "PyTorch", "k8s", "Kubernetes", "AWS", "SageMaker", "RAG", "LLMs", "R", "Go",
    "Spark", "fine-tuning", "CI/CD", "SQL", "Terraform", "MLflow", "Pinecone", "vector",
    "databases", "Requirements", "Requirements:", "Nice to have:", "Benefits", "preferred",
    "is a plus", "must", "not required", "no", "experience", "5+ years of", "3 years",
    "Senior", "Engineer", "ML Engineer", "AWS Certified Machine Learning", "MLA-C01", "\n",
    "\n\n", "- ", "* ", "**", "#", ":", ",", ".", "(", ")", "/", "&", "<b>", "</p>", "é",
    "\u200b", "\u202e", "\u05e9\u05dc\u05d5\u05dd", "\ufeff", "\t", "  ", "🙂", "\u0301",
]  # fmt: skip
posting_texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(VOCABULARY), max_size=80).map(" ".join),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=6)), max_size=60).map("".join),
)


def check_analysis(result: Analysis, text: str) -> None:
    """Offsets slice the text to the evidence; the contract schema holds."""
    assert result.text == text
    for skill in result.skills:
        for ev in skill.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
            assert text[ev.start : ev.end] == ev.text
    jsonschema.validate(result.to_dict(), SCHEMA)


def test_the_offset_check_can_fail() -> None:
    result = analyze("ML Engineer\nRequirements: Python and Kubernetes.")
    assert result.skills
    with pytest.raises(AssertionError):
        check_analysis(result, "ml engineer\nrequirements: python and kubernetes!")
    bad = result.to_dict()
    bad["skills"][0]["requirement"] = "sometimes"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)


@PROPERTY
@given(text=posting_texts)
def test_any_text_analyses_or_is_refused(text: str) -> None:
    try:
        result = analyze(text)
    except InputError as exc:
        assert not text.strip()
        assert "empty (no text to analyse)" in str(exc)
        return
    assert text.strip()
    check_analysis(result, text)
    again = analyze(text)
    assert again.to_dict() == result.to_dict()  # deterministic


@settings(max_examples=15, deadline=None)
@given(texts=st.lists(posting_texts.filter(str.strip), min_size=1, max_size=5))
def test_analyze_many_equals_analyze(texts: list[str]) -> None:
    many = [a.to_dict() for a in analyze_many(texts, batch_size=2)]
    assert many == [analyze(t).to_dict() for t in texts]


@PROPERTY
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".md", ".html", ""]))
def test_any_bytes_read_or_are_refused(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"posting{suffix}"
    path.write_bytes(data)
    try:
        posting = read_posting(path)
    except InputError as exc:
        assert str(exc).startswith(f"{path}: ")
        assert "\n" not in str(exc)
        return
    assert posting.text.strip()
    assert "\r" not in posting.text
    assert not any(ord(c) < 32 and c not in "\t\n" for c in posting.text)  # no controls
    check_analysis(analyze(posting), posting.text)


@PROPERTY
@given(data=st.binary(max_size=400))
def test_decode_bytes_returns_text_or_refuses(data: bytes) -> None:
    try:
        text = decode_bytes(data, source="x")
    except InputError as exc:
        assert str(exc).startswith("x: ")
        return
    assert isinstance(text, str)


@PROPERTY
@given(
    markup=st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiplscrt!-&;#x0123\n")), max_size=300)
)
def test_html_to_text_never_raises(markup: str) -> None:
    text, title = html_to_text(markup)
    assert isinstance(text, str)
    assert title is None or isinstance(title, str)


# --------------------------------------------------------------------------- gap

POSTING = (ROOT / "samples" / "postings" / "ml-engineer-aws.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def aws_posting() -> Analysis:
    return analyze(POSTING, source="ml-engineer-aws.txt")


def _skill_pool(analysis: Analysis, taxonomy: Taxonomy) -> list[str]:
    """Posting skills, their parents and siblings: the ids that move coverage."""
    pool: set[str] = set()
    for skill in analysis.skills:
        pool.add(skill.id)
        pool.update(taxonomy.ancestors(skill.id))
        record = taxonomy.get(skill.id)
        if record is not None:
            pool.update(s.id for s in taxonomy.skills.values() if s.group == record.group)
    return sorted(pool)


@PROPERTY
@given(data=st.data())
def test_adding_a_skill_never_lowers_coverage(
    aws_posting: Analysis, taxonomy: Taxonomy, data: st.DataObject
) -> None:
    pool = _skill_pool(aws_posting, taxonomy)
    held = data.draw(st.lists(st.sampled_from(pool), max_size=12, unique=True))
    extra = data.draw(st.sampled_from(pool))
    before = Profile(name="A", skills=tuple(ProfileSkill(s) for s in held))
    after = Profile(name="A", skills=tuple(ProfileSkill(s) for s in [*held, extra]))
    low = gap(aws_posting, before, as_of="2026-11-01", taxonomy=taxonomy).coverage
    high = gap(aws_posting, after, as_of="2026-11-01", taxonomy=taxonomy).coverage
    assert high.score >= low.score
    assert high.overall.earned >= low.overall.earned
    for lo, hi in zip(low.categories, high.categories, strict=True):
        assert hi.earned >= lo.earned, lo.category


def test_the_coverage_property_can_fail(aws_posting: Analysis, taxonomy: Taxonomy) -> None:
    full = Profile(name="A", skills=tuple(ProfileSkill(s.id) for s in aws_posting.skills))
    empty = Profile(name="A")
    scores = [
        coverage(gap_items(aws_posting, candidate_skills(p, taxonomy), taxonomy, profile=p)).score
        for p in (empty, full)
    ]
    assert scores[0] < scores[1] == 100.0


# --------------------------------------------------------------------------- supersets

POOL_TEXTS = [
    "ML Engineer\nRequirements: Python, PyTorch and Kubernetes on AWS (SageMaker).",
    "Data Scientist\nRequirements: SQL, statistics, Python. Nice to have: Spark.",
    "AI Engineer\nBuild RAG with LangChain and Pinecone; fine-tuning LLMs is a plus.",
    "MLOps Engineer\n5+ years of Terraform, Docker, Kubernetes, MLflow and CI/CD on GCP.",
    "Data Analyst\nTableau, Power BI and SQL. No Python experience needed.",
    "Research Scientist\nPyTorch, deep learning, NLP; publications at NeurIPS.",
    "Platform Engineer\nAzure ML, Databricks, Spark and Airflow.",
    "ML Engineer\nAWS Certified Machine Learning Engineer - Associate (MLA-C01) preferred.",
]


@pytest.fixture(scope="module")
def pool(taxonomy: Taxonomy) -> list[Analysis]:
    return [analyze(t, source=f"p{i}", taxonomy=taxonomy) for i, t in enumerate(POOL_TEXTS)]


def _batch_counts(analyses: list[Analysis]) -> dict[str, int]:
    tally = Tally()
    for analysis in analyses:
        tally.add(json.loads(record_line(analysis)))
    return {row["skill_id"]: row["postings"] for row in tally.tables()["skill_share"]}


def _market_counts(analyses: list[Analysis], taxonomy: Taxonomy) -> dict[str, int]:
    profile = Profile(name="A", skills=(ProfileSkill("python"),))
    items = market_items(analyses, candidate_skills(profile, taxonomy), taxonomy, profile)
    return {item.id: item.postings or 0 for item in items}


subsets = st.lists(st.integers(0, len(POOL_TEXTS) - 1), min_size=1, unique=True)


@PROPERTY
@given(small=subsets, more=subsets)
def test_a_superset_never_lowers_a_skill_count(
    pool: list[Analysis], taxonomy: Taxonomy, small: list[int], more: list[int]
) -> None:
    big = sorted(set(small) | set(more))
    for counts in (_batch_counts, lambda a: _market_counts(a, taxonomy)):
        low = counts([pool[i] for i in small])
        high = counts([pool[i] for i in big])
        assert low  # every pool posting names a skill
        for skill_id, count in low.items():
            assert high.get(skill_id, 0) >= count, skill_id


def test_the_superset_property_can_fail(pool: list[Analysis]) -> None:
    low, high = _batch_counts(pool[:1]), _batch_counts(pool[1:2])
    assert any(high.get(k, 0) < v for k, v in low.items())


# --------------------------------------------------------------------------- fast paths
# Speed rewrites of text rules must find exactly what the plain rules find.

NEGATION_TEXT = st.lists(
    st.sampled_from(
        ["no", "not", "never", "nothing", "don't", "can't", "isn't", "knot", "Not", "N'T", "nt"]
        + ["dont", "DoesNt", "isnt", "wont", "won't", "client", "a", "do", "is", "does", "wo"]
        + ["note", "snow", "piano", " ", ", ", "\n", "-", "'", "x", "n", "t"]
    ),
    max_size=30,
).map("".join)


@given(text=NEGATION_TEXT)
@settings(max_examples=200, deadline=None)
def test_negation_scan_on_lower_case_text_finds_what_the_plain_rule_finds(text: str) -> None:
    import re

    from analyzer.structure import _NEGATION_WORD, lower_same_length

    plain_rule = re.compile(r"\b(no|not|never|dont|doesnt|isnt|wont)\b|n't\b", re.I)
    lowered = lower_same_length(text)
    # the plain rule reports a word's start; the fast scan its "n"
    plain = [m.start() + m.group(0).lower().index("n") for m in plain_rule.finditer(text)]
    assert [m.start() for m in _NEGATION_WORD.finditer(lowered)] == plain


def test_whitespace_constant_is_what_re_calls_whitespace() -> None:
    import re

    from analyzer.structure import WHITESPACE

    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(WHITESPACE) == spaces
    assert all(re.fullmatch(r"\s", c) for c in spaces)


WORDY_TEXT = st.lists(
    st.sampled_from(
        ["a", "ab", "x-y", "a.b", "c++", "c#", "node.js", "ci/cd", "ml", "the", "and", "i"]
        + ["Machine Learning", "LLMs", "3d", "k8s", " ", "-", ".", "/", ", ", "\n", "Sr."]
    ),
    max_size=40,
).map("".join)


@given(text=WORDY_TEXT)
@settings(max_examples=200, deadline=None)
def test_word_analyzer_keeps_its_plain_definition(text: str) -> None:
    import re

    from analyzer.role_tokens import STOP_WORDS, normalize_text, word_analyzer

    plain = re.compile(r"[a-z][a-z0-9+#]*(?:[.\-/][a-z0-9+#]+)*")
    words = plain.findall(normalize_text(text))
    tokens = [w.rstrip(".-/") for w in words if len(w) > 1 and w not in STOP_WORDS]
    tokens = [w for w in tokens if w and w not in STOP_WORDS]
    bigrams = [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    assert word_analyzer(text) == tokens + bigrams


SPAN_TRIPLES = st.lists(
    st.tuples(st.integers(0, 12), st.integers(1, 5), st.sampled_from(["a", "b", "c"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=25,
)


@given(found=SPAN_TRIPLES)
@settings(max_examples=300, deadline=None)
def test_overlap_sweep_keeps_exactly_the_spans_no_other_contains(found) -> None:
    from analyzer.matcher import _longest

    def contains(outer, inner) -> bool:
        same = outer[:2] == inner[:2]
        inside = outer[0] <= inner[0] and inner[1] <= outer[1]
        return inside and (not same or outer[2] < inner[2])

    plain = sorted({f for f in found if not any(contains(o, f) for o in found)})
    assert _longest(found, key=str) == plain
