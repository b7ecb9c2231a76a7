"""Reading a posting's structure: inline section cues, clause breaks and negation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.structure import (
    clause_bounds,
    find_sections,
    is_negated,
    read_structure,
    requirement_cue,
)

FILLER = "we build models for customers. " * 25  # a long line: inline cues count


def labels(text: str) -> list[tuple[str, str | None]]:
    return [(s.label, s.heading) for s in find_sections(text)]


@pytest.mark.parametrize(
    ("cue", "label"),
    [
        ("Preferred Qualifications:", "preferred"),
        ("nice-to-have -", "preferred"),
        ("Nice to haves –", "preferred"),
        ("bonus points:", "preferred"),
        ("Minimum qualifications:", "required"),
        ("What you'll need:", "required"),
        ("what youll need:", "required"),
        ("What we're looking for -", "required"),
        ("must-haves:", "required"),
        ("Key Responsibilities:", "responsibilities"),
        ("In this role, you will:", "responsibilities"),
        ("what you will do -", "responsibilities"),
        ("Salary range:", "benefits"),
        ("Perks:", "benefits"),
    ],
)
def test_inline_cue_opens_its_section_in_a_flattened_posting(cue: str, label: str) -> None:
    text = FILLER + cue + " python and sql."
    assert labels(text) == [("intro", None), (label, cue)]


def test_the_longest_cue_wins_and_a_cue_inside_it_opens_nothing() -> None:
    text = FILLER + "preferred qualifications : pytorch."
    assert labels(text) == [("intro", None), ("preferred", "preferred qualifications :")]


def test_a_cue_inside_a_word_opens_nothing() -> None:
    assert labels(FILLER + "prerequirements: none.") == [("intro", None)]


def test_legal_cue_needs_no_colon() -> None:
    text = FILLER + "Acme is an equal opportunity employer and values you."
    assert labels(text) == [
        ("intro", None),
        ("legal", "is an equal opportunity employer"),
    ]


def test_clause_breaks_at_lines_sentences_and_list_items() -> None:
    text = "Python. SQL; Spark\n- Docker - Kubernetes • Airflow e.g. Kafka state-of-the-art"
    starts = clause_bounds(text)
    clauses = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert clauses == [
        "Python.",
        " SQL;",
        " Spark\n",
        "- Docker - ",
        "Kubernetes • ",
        "Airflow e.g.",
        " Kafka state-of-the-art",
    ]


@pytest.mark.parametrize(
    ("clause", "mention", "negated"),
    [
        ("No Kubernetes experience needed.", "Kubernetes", True),
        ("Kubernetes is not required.", "Kubernetes", True),
        ("You don't need Kubernetes to apply.", "Kubernetes", True),
        ("Kubernetes is not needed.", "Kubernetes", True),
        ("Kubernetes is not required but a plus.", "Kubernetes", False),
        ("Not afraid of Kubernetes.", "Kubernetes", False),
        ("Kubernetes, not Docker, is needed.", "Kubernetes", False),
        ("Kubernetes and Docker.", "Kubernetes", False),
    ],
)
def test_negation_in_a_clause(clause: str, mention: str, negated: bool) -> None:
    start = clause.index(mention)
    end = start + len(mention)
    assert is_negated(clause, start, end) is negated
    # the structure's fast path (one negation scan of the text) agrees
    text = "Role\n" + clause + "\nMore text."
    structure = read_structure(text)
    offset = text.index(clause)
    c_start, c_end = structure.clause_at(offset + start)
    assert structure.negated(offset + start, offset + end, c_start, c_end) is negated


def test_heading_lines_and_headings_before_a_colon() -> None:
    text = (
        "ML Engineer\n## What you'll do\nShip models.\nRequirements: Python, SQL\n"
        "Nice to have:\n- Rust\n" + "x" * 80 + " benefits\n"
    )
    assert labels(text) == [
        ("intro", None),
        ("responsibilities", "## What you'll do"),
        ("required", "Requirements:"),
        ("preferred", "Nice to have:"),
    ]


def test_a_colon_after_sixty_characters_opens_no_section() -> None:
    text = "About the team\n" + "a" * 55 + " requirements: python\n"
    assert labels(text) == [("about", "About the team")]
    assert labels("intro\nRequirements: python\n")[1] == ("required", "Requirements:")


def test_words_ending_in_nt_are_not_negations() -> None:
    text = "Role\nClient development environment: Kubernetes not needed; Docker is not required.\n"
    structure = read_structure(text)
    for word, negated in (("Kubernetes", True), ("Docker", True)):
        start = text.index(word)
        c_start, c_end = structure.clause_at(start)
        assert structure.negated(start, start + len(word), c_start, c_end) is negated
    text = "Role\nOur client wants Kubernetes; the development team needs Docker.\n"
    structure = read_structure(text)
    for word in ("Kubernetes", "Docker"):
        start = text.index(word)
        c_start, c_end = structure.clause_at(start)
        assert structure.negated(start, start + len(word), c_start, c_end) is False


CUE_PIECES = [
    "Python", "a plus", "plus", "nice to have", "nice-to-have", "required", "must", "strong",
    "5+ years", "3 yrs", "ideally", "preferred", "bonus", "x", "apreferred", "requiredx", " ",
    ". ", "; ", "!", "\n", " - ", " • ", "-", "•", "(", ")", ",", "e.g.", "İ", "é",
]  # fmt: skip


@given(text=st.lists(st.sampled_from(CUE_PIECES), max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_clause_cues_searched_in_place_equal_the_cue_of_the_clause_alone(text: str) -> None:
    structure = read_structure(text)
    bounds = [*structure.clause_starts, len(text)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        alone = requirement_cue(text[start:end])
        assert structure.preferred(start, end) == (alone == "preferred")
        assert structure.cue(start, end) == alone
