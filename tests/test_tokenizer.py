"""skillgap.tokenizer.v2: v1's tokens, exact text and offsets, serialisation."""

from __future__ import annotations

import functools
import pickle
from unittest import mock

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

import analyzer.tokenizer
from analyzer.pipeline import TOKENIZER, build_nlp
from analyzer.tokenizer import FastTokenizer


@functools.cache
def blank(name: str = "skillgap.tokenizer.v2", **options: int) -> Language:
    tokenizer = {"@tokenizers": name, **options}
    return spacy.blank("en", config={"nlp": {"tokenizer": tokenizer}})


def v1_tokens(text: str) -> list[tuple[str, int, str]]:
    return [(t.text, t.idx, t.whitespace_) for t in blank("skillgap.tokenizer.v1").tokenizer(text)]


def v2_tokens(text: str) -> list[tuple[str, int, str]]:
    """The tokens of v2 through its memo: learnt, then remembered (the same both times)."""
    tokenizer = blank().tokenizer
    tokenizer.clear()  # the first pass learns every piece
    with mock.patch.object(analyzer.tokenizer, "_SHORT", 0):
        learnt, remembered = (
            [(t.text, t.idx, t.whitespace_) for t in tokenizer(text)] for _ in range(2)
        )
    assert learnt == remembered
    return learnt


def words(text: str) -> list[str]:
    return [t.text for t in blank().tokenizer(text)]


def test_pipeline_uses_v2() -> None:
    assert TOKENIZER == "skillgap.tokenizer.v2"
    assert isinstance(build_nlp().tokenizer, FastTokenizer)


CASES = {
    "Python 3.5, 10,000 users": ["Python", "3.5", ",", "10,000", "users"],
    "fine-tuning end-to-end": ["fine", "-", "tuning", "end", "-", "to", "-", "end"],
    "scikit-learn": ["scikit", "-", "learn"],
    "CI/CD, ML/AI, A/B testing": [
        *["CI", "/", "CD", ",", "ML", "/", "AI", ",", "A", "/", "B", "testing"]
    ],
    "5+ years": ["5", "+", "years"],
    "3-5 years": ["3", "-", "5", "years"],
    "2-3+ years": ["2", "-", "3", "+", "years"],
    "C++ and C# on .NET": ["C++", "and", "C", "#", "on", ".NET"],
    "(C++)": ["(", "C++", ")"],
    "Node.js, e.g. React; i.e. TS": ["Node.js", ",", "e.g.", "React", ";", "i.e.", "TS"],
    "e.g., U.S.-based": ["e.g.", ",", "U.S.-based"],
    "Sr. engineer, etc.)": ["Sr", ".", "engineer", ",", "etc", ".", ")"],
    "Go. AWS. R. C.": ["Go", ".", "AWS", ".", "R.", "C."],
    "see https://example.com/jobs?id=3. or jobs@example.com.": [
        *["see", "https://example.com/jobs?id=3", ".", "or", "jobs@example.com", "."]
    ],
    "**bold** **Python**,": ["*", "*", "bold", "**", "*", "*", "Python", "**", ","],
    "\\- \\_x\\_ `code`": ["\\", "-", "\\", "_", "x", "\\", "_", "`", "code", "`"],
    "### Requirements\n# Skills": ["#", "#", "#", "Requirements", "\n", "#", "Skills"],
    '<b>Python</b> <a href="x">SQL</a><br/>': [
        *["<b>", "Python", "</b>", "<", "a", 'href="x"', ">", "SQL", "</a>", "<br/>"]
    ],
    "(PyTorch) [TF] \"LLMs\" 'RAG'": [
        *["(", "PyTorch", ")", "[", "TF", "]", '"', "LLMs", '"', "'", "RAG", "'"]
    ],
    "Python, SQL; Spark: yes! no?": [
        *["Python", ",", "SQL", ";", "Spark", ":", "yes", "!", "no", "?"]
    ],
    "don't can't Hugging Face's": ["don't", "can't", "Hugging", "Face", "'s"],
    "x\u200bPython\ufeff": ["x", "\u200b", "Python", "\ufeff"],
    "10km 5GB $100k 40%": ["10", "km", "5", "GB", "$", "100k", "40", "%"],
    "k8s PhD/MS": ["k8s", "PhD", "/", "MS"],
}


@pytest.mark.parametrize("text", list(CASES))
def test_tokens(text: str) -> None:
    assert words(text) == CASES[text]
    assert v2_tokens(text) == v1_tokens(text)
    assert words(text.lower()) == [t.text for t in blank("skillgap.tokenizer.v1")(text.lower())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        (" ", [(" ", 0, "")]),
        ("  a", [("  ", 0, ""), ("a", 2, "")]),
        ("\na", [("\n", 0, ""), ("a", 1, "")]),
        ("a ", [("a", 0, " ")]),
        ("a  b", [("a", 0, " "), (" ", 2, ""), ("b", 3, "")]),
        ("a \n b", [("a", 0, " "), ("\n ", 2, ""), ("b", 4, "")]),
        ("a\tb", [("a", 0, ""), ("\t", 1, ""), ("b", 2, "")]),
        ("a\u00a0b", [("a", 0, ""), ("\u00a0", 1, ""), ("b", 2, "")]),
        ("ab.\n\nc ", [("ab", 0, ""), (".", 2, ""), ("\n\n", 3, ""), ("c", 5, " ")]),
        # cut at single spaces: pieces holding other whitespace, a space before a line break
        ("a\n\nb c", [("a", 0, ""), ("\n\n", 1, ""), ("b", 3, " "), ("c", 5, "")]),
        ("a \nb", [("a", 0, " "), ("\n", 2, ""), ("b", 3, "")]),
        ("a\n b", [("a", 0, ""), ("\n ", 1, ""), ("b", 3, "")]),
        ("a b  ", [("a", 0, " "), ("b", 2, " "), (" ", 4, "")]),
    ],
)
def test_whitespace(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert v2_tokens(text) == expected == v1_tokens(text)
    assert blank().tokenizer(text).text == text


def test_offsets_in_pipeline() -> None:
    text = "ML Engineer\n\n**Requirements**\n- 3+ years of Python  and fine-tuning LLMs (e.g. LoRA)"
    doc = build_nlp()(text)
    assert doc.text == text
    spans = doc.spans["skills"]
    assert spans
    for span in spans:
        assert text[span.start_char : span.end_char] == span.text


FRAGMENTS = [
    *[" ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u2009", "\u3000", "\x0b", "\x1c"],
    *["\u200b", "\ufeff", "\u202e", "-", "/", ".", ",", "+", "#", "*", "**", "\\", "_", "`"],
    *["<b>", "</b>", '">', "(", ")", "[", "]", '"', "'", "’", ":", ";", "!", "?", "%", "$"],
    *["C++", "C#", ".NET", "Node.js", "e.g.", "i.e.", "U.S.", "Sr.", "etc.", "don't", "3.5"],
    *["10,000", "https://x.io/a?b=1", "a@b.com", "fine-tuning", "CI/CD", "5+", "3-5", "km"],
    *["Python", "python", "LLM", "é", "ß", "İ", "ǅ", "١٢", "日本", "🙂", "x"],
]
texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=25).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_text_and_offsets_exact(text: str) -> None:
    expected = v1_tokens(text)
    with mock.patch.object(analyzer.tokenizer, "_SHORT", 0):  # short texts use the memo too
        for _ in range(2):  # unseen chunks, then the same chunks from the memo
            doc = blank().tokenizer(text)
            assert doc.text == text
            for token in doc:
                assert text[token.idx : token.idx + len(token.text)] == token.text
                assert token.text
            assert [(t.text, t.idx, t.whitespace_) for t in doc] == expected
    assert v2_tokens(text) == expected


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(texts, min_size=1, max_size=4))
def test_small_memo_same_tokens(parts: list[str]) -> None:
    """Emptying the memo when it is full changes nothing."""
    tokenizer = blank(max_cache=4).tokenizer
    with mock.patch.object(analyzer.tokenizer, "_SHORT", 0):
        for text in parts:
            assert [(t.text, t.idx, t.whitespace_) for t in tokenizer(text)] == v1_tokens(text)


def test_long_text_uses_memo() -> None:
    tokenizer = blank(max_cache=10_000).tokenizer
    text = "Requirements: 3+ years of Python, fine-tuning (LoRA) and CI/CD.\n\n" * 5
    tokenizer.clear()
    assert [(t.text, t.idx, t.whitespace_) for t in tokenizer(text)] == v1_tokens(text)
    assert "fine-tuning" in tokenizer._piece_orths  # cut at single spaces
    assert "and" in tokenizer._orths
    assert [(t.text, t.idx, t.whitespace_) for t in tokenizer(text)] == v1_tokens(text)


def test_memory_zone() -> None:
    nlp = blank()
    text = "Qwertzuiop-asdf frobnicates (C++) e.g. Plonk"
    with nlp.memory_zone():
        assert nlp(text).text == text
    assert [t.text for t in nlp(text)] == [t.text for t in blank("skillgap.tokenizer.v1")(text)]


def test_bytes_round_trip() -> None:
    nlp = build_nlp()
    text = "Deploy models on k8s; fine-tuning LLMs (PyTorch)."
    loaded = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    loaded.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert [t.text for t in loaded(text)] == [t.text for t in nlp(text)]
    assert len(nlp.tokenizer.to_bytes()) < 100


def test_disk_round_trip(tmp_path) -> None:
    nlp = build_nlp()
    text = "Deploy models on k8s; fine-tuning LLMs (PyTorch)."
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert isinstance(loaded.tokenizer, FastTokenizer)
    assert [t.text for t in loaded(text)] == [t.text for t in nlp(text)]
    assert loaded(text)._.skills == nlp(text)._.skills
    again = build_nlp().from_bytes(nlp.to_bytes())
    assert again(text)._.skills == nlp(text)._.skills


def test_pickle() -> None:
    nlp = blank()
    nlp("warm the memo: fine-tuning")
    copy = pickle.loads(pickle.dumps(nlp))
    assert isinstance(copy.tokenizer, FastTokenizer)
    assert [t.text for t in copy("fine-tuning CI/CD")] == ["fine", "-", "tuning", "CI", "/", "CD"]


@pytest.mark.slow
def test_pipe_two_processes() -> None:
    nlp = build_nlp()
    texts = [f"Posting {i}: Python, fine-tuning and CI/CD on k8s.\n\n  e.g. AWS" for i in range(8)]
    one = [(d.text, [t.text for t in d], d._.skills) for d in nlp.pipe(texts)]
    two = [(d.text, [t.text for t in d], d._.skills) for d in nlp.pipe(texts, n_process=2)]
    assert one == two
    assert [text for text, _, _ in two] == texts
