"""Unknown terms: tool-like spellings the taxonomy does not know yet.

The fast path remembers each whitespace-free chunk's candidate words; a property test
keeps it equal to the plain definition (one regular-expression scan of the whole text).
"""

from __future__ import annotations

import bisect
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analyzer import analyze
from analyzer.mentions import _NAME, _SKIP, _WORD, ChunkWords, _word_kind
from analyzer.pipeline import _engine, _skill_spans
from analyzer.taxonomy import Taxonomy, get_taxonomy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CamelCase and letters with digits count anywhere, most frequent first
        ("We ship with QuillStack and Zorb9 daily; QuillStack again.", ("QuillStack", "Zorb9")),
        # a capitalised name counts only as a list item next to known skills
        ("Skills: Python, Polaris, SQL", ("Polaris",)),
        ("Python and Polaris", ()),
        ("Polaris is great. Python, Polaris, SQL.", ("Polaris",)),
        ("Polaris SQL x, Polaris", ("Polaris",)),  # the same chunk, passed over, then a list item
        (
            "Python, Kubernetes\n\nPolaris, Zephyr/ SQL (Quasar) and Docker Nimbus, Go",
            ("Polaris", "Zephyr", "Quasar", "Nimbus"),
        ),
        # separators count only when one space follows them
        ("Python,  Polaris", ()),
        ("Python,\nPolaris", ()),
        ("Python/Polaris", ()),
        # known skills, common words and unit-like spellings are never unknown
        ("PyTorch, LangSmith, Python, Experience, 5yrs, H1B", ()),
        # ties keep the order of first appearance
        ("Zorb9 QuillStack QuillStack Zorb9", ("Zorb9", "QuillStack")),
    ],
)  # fmt: skip
def test_unknown_terms(text: str, expected: tuple[str, ...]) -> None:
    assert analyze(text).unknown_terms == expected


def test_unknown_terms_are_capped_at_the_limit() -> None:
    text = " ".join(f"Tool{i}x" for i in range(40))
    assert analyze(text).unknown_terms == tuple(f"Tool{i}x" for i in range(25))


def test_chunk_words_forget_everything_when_full() -> None:
    memo = ChunkWords(max_size=2)
    assert memo["QuillStack,"] == ((0, 10, "QuillStack", 1, False),)
    assert memo["hello"] == ()
    assert len(memo) == 2
    assert memo["(Polaris)"] == ((1, 8, "Polaris", _NAME, False),)
    assert list(memo) == ["(Polaris)"]


def _plain_unknown_terms(
    text: str, taxonomy: Taxonomy, spans: list[tuple[int, int]], limit: int = 25
) -> tuple[str, ...]:
    """The definition: one scan of the text, every word judged in place."""
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in _WORD.finditer(text):
        word, kind = _word_kind(m.group())
        pos, end = m.span()
        if kind == _SKIP:
            continue
        before = text[pos - 1 : pos]
        in_list = (
            text[end : end + 1] in (",", "/", ")")
            or before in ("/", "(")
            or (before == " " and pos >= 2 and text[pos - 2] in (",", "/"))
        )
        if kind == _NAME and not in_list:
            continue
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and spans[i][0] <= pos < spans[i][1]:
            continue
        near = (i >= 0 and pos - spans[i][1] < 40) or (
            i + 1 < len(spans) and spans[i + 1][0] - end < 40
        )
        if kind == _NAME and not near:
            continue
        if taxonomy.find(word) is None:
            counts[word] += 1
            first.setdefault(word, pos)
    return tuple(sorted(counts, key=lambda t: (-counts[t], first[t]))[:limit])


PIECES = [
    "Python", "SQL", "Docker", "Polaris", "Zephyr", "QuillStack", "Zorb9", "GPT-4o", "k8s",
    "Foo.js", "C++Quasar", "x+Nimbus", "+Nimbus", "(", ")", ",", ", ", "/", "/ ", " ", "  ",
    "\n", "\t", "-", ".", "@", "#", "Polaris,", "(Polaris)", "Experience", "\u00a0", "é",
    "x", "2024",
]  # fmt: skip
MIXED_TEXT = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@given(text=MIXED_TEXT)
@example(text="Polaris SQL x, Polaris")
@example(text="Polaris C++Quasar Polaris, Zorb9 Polaris")
@settings(max_examples=300, deadline=None)
def test_chunk_memo_finds_what_the_plain_scan_finds(text: str) -> None:
    from analyzer.mentions import CERTIFICATIONS_KEY, unknown_terms

    taxonomy, nlp, certifications = _engine(None)
    doc = nlp(text)
    certifications(doc)
    covered = [(a, b) for a, b, _id in _skill_spans(doc)]
    every = covered + [(s.start_char, s.end_char) for s in doc.spans[CERTIFICATIONS_KEY]]
    assert unknown_terms(doc, taxonomy, text=text, covered=covered) == _plain_unknown_terms(
        text, get_taxonomy(), every
    )
