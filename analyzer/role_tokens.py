"""Tokenisers shared by the role classifier's vectorizers and its numpy scorer.

The trained vectorizers (scikit-learn, :mod:`analyzer.features`) and the
numpy-only scorer (:mod:`analyzer.role_model`) call the same top-level
functions here, so a shipped model needs only its vocabulary, idf weights and
coefficients to reproduce the estimator's probabilities exactly. This module
imports the standard library only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from itertools import filterfalse
from typing import Any

logger = logging.getLogger(__name__)

__all__ = [
    "STOP_WORDS",
    "TITLE_MAX_CHARS",
    "normalize_text",
    "normalize_title",
    "resolve_titles",
    "split_title",
    "title_analyzer",
    "title_words",
    "word_analyzer",
]

TITLE_MAX_CHARS = 160
"""A first line longer than this is prose, not a title."""

# Common English function words plus recruiting boilerplate that says nothing
# about the kind of work (benefits, equal-opportunity statements, locations).
STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above across after again against all almost also am among an and any are as at be
    because been before being below between both but by can could did do does doing down during
    each either else etc ever every few for from further had has have having he her here hers him
    his how however i if in into is it its itself just least less may me might more most much must
    my neither no nor not now of off often on once only or other others our ours out over own per
    please rather same shall she should since so some such than that the their theirs them then
    there these they this those though through thus to too under until up upon us very via was we
    well were what when where whether which while who whom whose why will with within without
    would yet you your yours yourself
    ability able apply applicant applicants applicants' benefits candidate candidates company
    compensation disability eeo employer employment equal gender including insurance job jobs
    location opportunity orientation paid pay race range religion remote role salary sex sexual
    status veteran veterans www http https com
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_TOKEN = re.compile(r"[a-z](?:[a-z0-9+#]+(?:[.\-/][a-z0-9+#]+)*|(?:[.\-/][a-z0-9+#]+)+)")
"""A word of two characters or more (a one-letter word never counts)."""
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9+#]+")


def _at_word_start(repl: str):  # noqa: ANN202 - a re.sub callback factory
    """Replace a match only where it starts a word (the rule's implicit leading ``\\b``)."""

    def replace(match: re.Match[str]) -> str:
        text, start = match.string, match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            return match.group(0)
        return repl

    return replace


# Spelling variants that name the same thing, folded before tokenising so that
# "Machine Learning", "ML" and "machine-learning" share features. Applied in order, each
# only at the start of a word. The patterns carry no leading ``\b``: with one, ``re``
# cannot scan ahead for the literal first word, which makes the folds four times slower;
# :func:`_at_word_start` checks the boundary instead.
_FOLDS: tuple[tuple[str, str], ...] = (
    (r"machine[\s\-]+learning[\s\-]+operations?\b", "mlops"),
    (r"llm[\s\-/]*ops\b", "llmops"),
    (r"machine[\s\-]+learning\b", "ml"),
    (r"ml[\s\-/]*ops\b", "mlops"),
    (r"artificial[\s\-]+intelligence\b", "ai"),
    (r"gen(?:erative)?[\s\-]*ai\b", "genai"),
    (r"large[\s\-]+language[\s\-]+models?\b", "llm"),
    (r"llms\b", "llm"),
    (r"natural[\s\-]+language[\s\-]+processing\b", "nlp"),
    (r"computer[\s\-]+vision\b", "cv"),
    (r"deep[\s\-]+learning\b", "dl"),
    (r"data[\s\-]+science\b", "datascience"),
    (r"data[\s\-]+scientists?\b", "datascientist"),
    (r"data[\s\-]+analysts?\b", "dataanalyst"),
    (r"data[\s\-]+engineers?\b", "dataengineer"),
    (r"data[\s\-]+engineering\b", "dataengineering"),
    (r"business[\s\-]+intelligence\b", "bi"),
    (r"research[\s\-]+scientists?\b", "researchscientist"),
    (r"applied[\s\-]+scientists?\b", "appliedscientist"),
    (r"sr\b\.?", "senior"),
    (r"jr\b\.?", "junior"),
)
_CANONICAL: tuple[tuple[str, re.Pattern[str], Any], ...] = tuple(
    (re.match(r"[a-z]+", pattern).group(0), re.compile(pattern), _at_word_start(repl))  # type: ignore[union-attr]
    for pattern, repl in _FOLDS
)
"""``(first word, pattern, replacement)``: a fold runs only where its first word occurs."""


def normalize_text(text: str) -> str:
    """Lower-case ``text`` and fold spelling variants (``machine learning`` -> ``ml``).

    Parameters
    ----------
    text : str
        Any posting text or title.

    Returns
    -------
    str
        The folded text with single spaces.

    Examples
    --------
    >>> normalize_text("Sr. Machine-Learning Ops Engineer")
    'senior mlops engineer'
    """
    out = " ".join(text.lower().split())  # str.split and re's \s agree on whitespace
    for trigger, pattern, repl in _CANONICAL:
        if trigger in out:  # a pattern can only match where its first word occurs
            out = pattern.sub(repl, out)
    return out


def word_analyzer(text: str) -> list[str]:
    """Word unigrams and bigrams of a posting, without stop words.

    Bigrams join neighbouring kept tokens. This is the ``analyzer`` of the
    word TF-IDF vectorizer and of the numpy scorer.

    Parameters
    ----------
    text : str
        The posting text.

    Returns
    -------
    list of str
        Terms in document order (duplicates kept; counts matter).

    Examples
    --------
    >>> word_analyzer("Build RAG pipelines with LangChain.")
    ['build', 'rag', 'pipelines', 'langchain', 'build rag', 'rag pipelines', 'pipelines langchain']
    """
    # a _TOKEN match ends in a letter, digit, "+" or "#": nothing to strip
    tokens = list(filterfalse(STOP_WORDS.__contains__, _TOKEN.findall(normalize_text(text))))
    return tokens + list(map(" ".join, zip(tokens, tokens[1:], strict=False)))


# Words of a title that say nothing about the family: seniority, contract
# terms, locations and aggregator artefacts.
_TITLE_NOISE = re.compile(
    r"\b(?:senior|junior|lead|staff|principal|intern(?:ship)?|new grad\w*|i{1,3}|iv|[1-5]|l[3-7]"
    r"|remote|hybrid|onsite|on site|contract|w2|c2c|full[\s\-]?time|part[\s\-]?time|jobs?"
    r"|usa?|us|20\d\d)\b"
)
_BRACKETS = re.compile(r"\[[^\]]*\]|\((?:usa?|remote|hybrid|onsite|[^)]*\d[^)]*)\)")


def normalize_title(title: str | None) -> str:
    """Fold a job title to the words that name the kind of work.

    Lower-cases, folds spelling variants (:func:`normalize_text`), drops
    requisition numbers, seniority, contract terms and punctuation.

    Parameters
    ----------
    title : str or None
        A job title as written by the employer.

    Returns
    -------
    str
        The folded title; empty when there is none.

    Examples
    --------
    >>> normalize_title("Sr. Machine Learning Engineer [28207] (Remote)")
    'ml engineer'
    """
    if not title:
        return ""
    out = _BRACKETS.sub(" ", title.lower())
    out = normalize_text(out)
    out = _NON_WORD.sub(" ", out)
    out = _TITLE_NOISE.sub(" ", out)
    return _SPACES.sub(" ", out).strip()


def title_words(title: str | None) -> list[str]:
    """Word unigrams and bigrams of the folded title (stop words removed).

    Parameters
    ----------
    title : str or None
        A job title.

    Returns
    -------
    list of str
        ``"w:word"`` and ``"w:word word"`` terms.

    Examples
    --------
    >>> title_words("Senior Data Scientist, Search")
    ['w:datascientist', 'w:search', 'w:datascientist search']
    """
    tokens = [t for t in normalize_title(title).split() if t not in STOP_WORDS]
    return [f"w:{t}" for t in tokens] + [
        f"w:{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)
    ]


def title_analyzer(title: str | None, *, ngram_range: tuple[int, int] = (2, 5)) -> list[str]:
    """Character n-grams (within word boundaries) plus words of the folded title.

    Character n-grams generalise to unseen spellings ("MLOps", "ML-Ops",
    "ML Ops Engineer II"); the words keep whole-title cues.

    Parameters
    ----------
    title : str or None
        A job title.
    ngram_range : tuple of int
        Smallest and largest character n-gram length.

    Returns
    -------
    list of str
        ``"c:..."`` character n-grams and ``"w:..."`` words.

    Examples
    --------
    >>> title_analyzer("AI Engineer", ngram_range=(3, 3))[:4]
    ['c: ai', 'c:ai ', 'c: en', 'c:eng']
    """
    low, high = ngram_range
    grams: list[str] = []
    for word in normalize_title(title).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if n > len(padded):
                break
            grams.extend(f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1))
    return grams + title_words(title)


def split_title(text: str) -> tuple[str | None, str]:
    """The title of a posting (its first non-empty line, when short) and the text.

    Parameters
    ----------
    text : str
        A posting whose first line may be its title.

    Returns
    -------
    title : str or None
        The first non-empty line, or None when it is longer than
        :data:`TITLE_MAX_CHARS` characters (then it is prose).
    text : str
        ``text`` unchanged (the title stays part of the words of the posting).

    Examples
    --------
    >>> split_title("ML Engineer\\nWe build models.")
    ('ML Engineer', 'ML Engineer\\nWe build models.')
    """
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            return (stripped if len(stripped) <= TITLE_MAX_CHARS else None), text
    return None, text


def resolve_titles(
    texts: Sequence[str], titles: Sequence[str | None] | None, *, use_title: bool
) -> list[str | None]:
    """The title of each posting: ``titles[i]`` when given, else the first line.

    Parameters
    ----------
    texts : sequence of str
        Posting texts.
    titles : sequence of (str or None), optional
        Explicit titles, one per text (None entries fall back to the first line).
    use_title : bool
        When false every title is None.

    Returns
    -------
    list of (str or None)
    """
    if not use_title:
        return [None] * len(texts)
    if titles is not None and len(titles) != len(texts):
        raise ValueError(f"got {len(titles)} titles for {len(texts)} texts")
    out: list[str | None] = []
    for i, text in enumerate(texts):
        given = titles[i] if titles is not None else None
        out.append(given.strip() or None if given else split_title(text)[0])
    return out
