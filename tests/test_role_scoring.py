"""The role scorer's fast paths give exactly what the plain definitions give.

The numpy scorer finds word and title terms as 64-bit hashes and counts the family
phrases of a batch at once; these tests compare every fast path with the plain string
definition it replaces (the trained estimator uses the plain ones).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import role_tokens
from analyzer.role_model import RoleModel, _tfidf_counts, _tfidf_rows, load_role_model
from analyzer.role_signals import HEAD_CHARS, RoleSignals, pattern_key, pattern_words
from analyzer.role_tokens import (
    TermIndex,
    hashed_title_terms_many,
    hashed_word_terms,
    hashed_word_terms_many,
    term_hash,
    title_analyzer,
    word_analyzer,
)

REPO_ROOT = Path(__file__).resolve().parent.parent

ATOMS = [
    *("machine", "learning", "operations", "ops", "llm", "llms", "ml", "gen", "generative"),
    *("ai", "artificial", "intelligence", "large", "language", "models", "natural", "deep"),
    *("processing", "computer", "vision", "data", "science", "scientists", "analyst"),
    *("engineer", "engineers", "engineering", "business", "research", "applied", "sr", "jr"),
    *("software", "full", "stack", "power", "bi", "developer", "the", "a", "i", "x", "3d"),
    *("c++", "c#", "+", "#", "_", "node.js", "ci/cd", "2024-ml", "a..b", "Sr.", "ML-Ops"),
    *(" ", "  ", "-", "/", ".", ", ", "\n", "\t", "\x1c", "\xa0", "\u202f", "•", "’"),
    *("é", "İ", "K", "ΣΑ", "Machine Learning", "LLMs", "Data Scientist"),
]
TEXTS = st.lists(st.sampled_from(ATOMS), max_size=60).map("".join)
SEPARATORS = st.sampled_from(["", " ", "-", "/", ".", "\t", "\n"])
PHRASE_TEXTS = st.lists(st.tuples(st.sampled_from(ATOMS), SEPARATORS), max_size=40).map(
    lambda parts: "".join(a + b for a, b in parts)
)


def _hashed(terms: list[str]) -> list[tuple[int, int]]:
    return [(term_hash(t), len(t)) for t in terms]


@pytest.fixture(scope="module")
def model() -> RoleModel:
    return load_role_model()


def _samples() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO_ROOT / "samples").rglob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO_ROOT / "samples").rglob("*.md"))]
    assert texts
    return texts + [t.upper() for t in texts] + [t[HEAD_CHARS - 20 :] for t in texts]


# ---------------------------------------------------------------------- folds and words


def _sequential_folds(text: str, folds: list[tuple[str, str]]) -> str:
    out = " ".join(text.lower().split())
    for pattern, repl in folds:
        out = re.compile(pattern).sub(role_tokens._at_word_start(repl), out)
    return out


@settings(max_examples=300, deadline=None)
@given(text=PHRASE_TEXTS)
def test_merged_folds_fold_as_the_rules_one_after_the_other(text: str) -> None:
    folds = list(role_tokens._FOLDS)
    assert role_tokens.normalize_text(text) == _sequential_folds(text, folds)
    # "machine learning" was listed after "llm ops"; the two never touch each other's text
    swapped = [folds[0], folds[2], folds[1], *folds[3:]]
    assert role_tokens.normalize_text(text) == _sequential_folds(text, swapped)


@settings(max_examples=300, deadline=None)
@given(text=PHRASE_TEXTS)
def test_folding_without_collapsing_whitespace_keeps_the_tokens(text: str) -> None:
    tokens = role_tokens._TOKEN.findall
    folded = role_tokens.fold_lowered(text.lower())
    assert tokens(folded) == tokens(role_tokens.normalize_text(text))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(TEXTS, PHRASE_TEXTS, st.text(max_size=80)))
def test_hashed_word_terms_are_the_word_analyzer_terms(text: str) -> None:
    hashes, lengths = hashed_word_terms(text.lower())
    assert list(zip(hashes.tolist(), lengths.tolist(), strict=True)) == _hashed(word_analyzer(text))


def test_hashed_word_terms_of_many_texts_keep_each_text_apart() -> None:
    texts = [t.lower() for t in _samples()] + ["", "ml", "data science"]
    hashes, lengths, docs = hashed_word_terms_many(texts)
    for i, text in enumerate(texts):
        mine = docs == i
        got = list(zip(hashes[mine].tolist(), lengths[mine].tolist(), strict=True))
        assert got == _hashed(word_analyzer(text))


def test_hashed_word_terms_in_several_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [t.lower() for t in _samples()]
    whole = hashed_word_terms_many(texts)
    monkeypatch.setattr(role_tokens, "_GROUP_CHARS", 500)  # most texts alone
    split = hashed_word_terms_many(texts)
    for a, b in zip(whole, split, strict=True):
        assert sorted(a.tolist()) == sorted(b.tolist())


# ---------------------------------------------------------------------- titles


TITLE_ATOMS = ["ml", "ai", "engineer", "the", "a", "i", "senior", "ii", "data", "scientist"]
TITLE_ATOMS += ["(remote)", "[123]", "-", "/", ",", "é", "c++", "machine learning", "x"]
TITLES = st.one_of(
    st.none(),
    st.lists(st.sampled_from(TITLE_ATOMS), max_size=8).map(" ".join),
    st.text(max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(titles=st.lists(TITLES, max_size=5), low=st.integers(2, 4), extra=st.integers(0, 3))
def test_hashed_title_terms_are_the_title_analyzer_terms(
    titles: list[str | None], low: int, extra: int
) -> None:
    ngram_range = (low, low + extra)
    hashes, lengths, docs = hashed_title_terms_many(titles, ngram_range=ngram_range)
    for i, title in enumerate(titles):
        mine = docs == i
        got = Counter(zip(hashes[mine].tolist(), lengths[mine].tolist(), strict=True))
        assert got == Counter(_hashed(title_analyzer(title, ngram_range=ngram_range)))


def test_hashed_title_terms_need_two_characters() -> None:
    with pytest.raises(ValueError, match="title_analyzer"):
        hashed_title_terms_many(["ML Engineer"], ngram_range=(1, 3))


# ---------------------------------------------------------------------- term index


def test_term_index_finds_terms_also_in_shared_slots() -> None:
    terms = [f"t{i}" for i in range(3000)]  # enough terms that some share a slot
    index = TermIndex(terms)
    assert index.exact and len(index._shared_ids)
    queries = [*terms[::7], "nope", "t", "t30000", "t1 t2"]
    hashes = np.asarray([term_hash(q) for q in queries], dtype=np.uint64)
    lengths = np.asarray([len(q) for q in queries], dtype=np.int64)
    at, ids = index.find(hashes, lengths)
    assert sorted(zip(at.tolist(), ids.tolist(), strict=True)) == [
        (i, terms.index(q)) for i, q in enumerate(queries) if q in terms
    ]


@given(terms=st.lists(st.text(max_size=12), max_size=8))
def test_term_index_hashes_each_term_as_term_hash(terms: list) -> None:
    index = TermIndex(terms)
    assert index.hashes.tolist() == [term_hash(t) for t in terms]
    assert index.lengths.tolist() == [len(t.encode("ascii", "replace")) for t in terms]


def test_term_index_is_not_exact_with_a_repeated_term() -> None:
    assert not TermIndex(["a", "b", "a"]).exact
    assert TermIndex([]).exact


# ---------------------------------------------------------------------- mentions


def _plain_mentions(signals: RoleSignals, texts: list[str]) -> np.ndarray:
    """The definition: ``str.count`` of each pattern key in the text's pattern key."""
    n_fam = len(signals.families)
    out = np.zeros((len(texts), 3 * n_fam))
    keys = [tuple(pattern_key(p) for p in pats) for pats in signals.title_patterns]
    for row, text in enumerate(texts):
        body, head = pattern_key(text), pattern_key(text[:HEAD_CHARS])
        counts = [sum(body.count(p) for p in pats) for pats in keys]
        total = sum(counts)
        for f, count in enumerate(counts):
            out[row, f] = math.log1p(count)
            out[row, n_fam + f] = float(any(p in head for p in keys[f]))
            out[row, 2 * n_fam + f] = count / total if total else 0.0
    return out


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(
        st.tuples(st.integers(HEAD_CHARS - 30, HEAD_CHARS + 5), PHRASE_TEXTS, SEPARATORS),
        max_size=4,
    )
)
def test_mention_block_is_the_plain_count(model: RoleModel, texts: list) -> None:
    # phrases around the head's end: some are cut short by it, some end just before
    postings = [
        "y" * (cut - len(lead)) + sep + lead
        for cut, lead, sep in [(c, t[:30], s) for c, t, s in texts]
    ] + [t for _c, t, _s in texts]
    signals = model.signals
    assert np.array_equal(signals.mention_block(postings), _plain_mentions(signals, postings))


def test_mention_block_of_the_samples(model: RoleModel) -> None:
    texts = [*_samples(), "", "ML engineer", "İ" * 10 + " data scientist", "data scientist " * 50]
    signals = model.signals
    expected = _plain_mentions(signals, texts)
    assert np.array_equal(signals.mention_block(texts), expected)
    strings_only = RoleSignals.from_dict(signals.to_dict())
    strings_only.__dict__["_phrase_hashes"] = None  # as when hashes cannot tell phrases apart
    assert np.array_equal(strings_only.mention_block(texts), expected)
    assert pattern_words("İ") == ["i"]  # why a lower-casing that changes length is special


# ---------------------------------------------------------------------- the scorer


def test_batched_tfidf_is_the_row_by_row_tfidf(model: RoleModel) -> None:
    texts = [*_samples(), "", "the and of"]
    terms = [word_analyzer(t) for t in texts]
    expected = _tfidf_rows(terms, model.word_vocabulary, model.word_idf)
    docs = np.asarray([i for i, ts in enumerate(terms) for _ in ts], dtype=np.int64)
    ids = np.asarray([model.word_vocabulary.get(t, -1) for ts in terms for t in ts])
    known = ids >= 0
    got = _tfidf_counts(docs[known], ids[known], len(texts), model.word_idf, 1.0)
    for (cols, values), (want_cols, want_values) in zip(got, expected, strict=True):
        assert np.array_equal(cols, want_cols) and np.array_equal(values, want_values)


def test_the_hashed_scorer_gives_the_string_scorer_probabilities(model: RoleModel) -> None:
    texts = _samples()
    plain = RoleModel.from_data(model.meta, _arrays(model))
    plain._word_index = plain._title_index = None
    plain.signals.__dict__["_phrase_hashes"] = None
    assert np.array_equal(model.predict_proba_many(texts), plain.predict_proba_many(texts))
    a, b = model.predict_many(texts), plain.predict_many(texts)
    assert [p.evidence for p in a] == [p.evidence for p in b]


def _arrays(model: RoleModel) -> dict[str, np.ndarray]:
    return {
        "word_idf": model.word_idf,
        "title_idf": model.title_idf,
        "coef": model.coef,
        "intercept": model.intercept,
    }


LINE_ATOMS = ["", " ", "\n", "\r", "\r\n", "\x0b", "\x1c", "\x85", "\u2028", "\t", "Title"]
LINE_ATOMS += ["x" * 150, "y" * 700]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(LINE_ATOMS), max_size=12).map("".join))
def test_split_title_takes_the_first_non_empty_line(text: str) -> None:
    first = next((line.strip() for line in text.splitlines() if line.strip()), None)
    expected = first if first is None or len(first) <= role_tokens.TITLE_MAX_CHARS else None
    assert role_tokens.split_title(text) == (expected, text)
