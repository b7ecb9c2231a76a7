"""Tokenisers shared by the role classifier's vectorizers and its numpy scorer.

The trained vectorizers (scikit-learn, :mod:`analyzer.features`) and the
numpy-only scorer (:mod:`analyzer.role_model`) call the same top-level
functions here, so a shipped model needs only its vocabulary, idf weights and
coefficients to reproduce the estimator's probabilities exactly.

The scorer reads the terms of a posting without building their strings: the
``hashed`` functions below find the same tokens with numpy over the bytes of
the text and give each term a 64-bit polynomial hash (:func:`term_hash`), which
is looked up among the hashes of a vocabulary (:class:`TermIndex`). A term
matches a vocabulary entry when both its hash and its length agree. This module
imports numpy and the standard library only.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from itertools import filterfalse
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

__all__ = [
    "STOP_WORDS",
    "TermIndex",
    "TITLE_MAX_CHARS",
    "fold_lowered",
    "hashed_word_terms",
    "hashed_title_terms_many",
    "hashed_word_terms_many",
    "normalize_text",
    "normalize_title",
    "resolve_titles",
    "run_spans",
    "span_hashes",
    "split_title",
    "term_hash",
    "text_groups",
    "text_offsets",
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


def _at_word_start(*repls: str):  # noqa: ANN202 - a re.sub callback factory
    """Replace a match only where it starts a word (the rule's implicit leading ``\\b``).

    With several replacements, the pattern's last matching group picks one.
    """

    def replace(match: re.Match[str]) -> str:
        text, start = match.string, match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            return match.group(0)
        return repls[(match.lastindex or 1) - 1]

    return replace


# Spelling variants that name the same thing, folded before tokenising so that
# "Machine Learning", "ML" and "machine-learning" share features. Applied in order, each
# only at the start of a word. The patterns carry no leading ``\b``: with one, ``re``
# cannot scan ahead for the literal first word, which makes the folds four times slower;
# :func:`_at_word_start` checks the boundary instead.
_FOLDS: tuple[tuple[str, str], ...] = (
    (r"machine[\s\-]+learning[\s\-]+operations?\b", "mlops"),
    (r"machine[\s\-]+learning\b", "ml"),
    (r"llm[\s\-/]*ops\b", "llmops"),
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


def _first_word(pattern: str) -> str:
    return re.match(r"[a-z]+", pattern).group(0)  # type: ignore[union-attr]


def _merged_folds(folds: Sequence[tuple[str, str]]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Neighbouring folds with the same first word as one pattern, one group per fold.

    ``data(?:([\\s\\-]+science\\b)|([\\s\\-]+scientists?\\b)|...)`` folds in one scan what the
    folds one after the other would: the folds of a group start at the same word and
    none matches the text another one writes, so where they match and what they
    write do not depend on their order.
    """
    groups: list[tuple[str, list[str], list[str]]] = []
    for pattern, repl in folds:
        word = _first_word(pattern)
        if groups and groups[-1][0] == word:
            groups[-1][1].append(pattern[len(word) :])
            groups[-1][2].append(repl)
        else:
            groups.append((word, [pattern[len(word) :]], [repl]))
    out = []
    for word, rests, repls in groups:
        if len(rests) == 1:
            out.append((word, word + rests[0], tuple(repls)))
        else:
            alternatives = "|".join(f"({rest})" for rest in rests)
            out.append((word, f"{word}(?:{alternatives})", tuple(repls)))
    return out


_CANONICAL: tuple[tuple[str, re.Pattern[str], Any], ...] = tuple(
    (word, re.compile(pattern), _at_word_start(*repls))
    for word, pattern, repls in _merged_folds(_FOLDS)
)
"""``(first word, pattern, replacement)``: a fold runs only where its first word occurs."""


def fold_lowered(low: str) -> str:
    """Fold the spelling variants of an already lower-cased text (any whitespace).

    The folds match ``[\\s\\-]`` between words, so whitespace runs need not be collapsed
    first: the tokens of ``fold_lowered(text.lower())`` are those of
    :func:`normalize_text`.
    """
    for trigger, pattern, repl in _CANONICAL:
        if trigger in low:  # a pattern can only match where its first word occurs
            low = pattern.sub(repl, low)
    return low


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
    return fold_lowered(" ".join(text.lower().split()))  # str.split and re's \s agree


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
    return _with_bigrams(_TOKEN.findall(fold_lowered(text.lower())))


def _with_bigrams(tokens: list[str]) -> list[str]:
    """The tokens that are not stop words, then each neighbouring pair of them."""
    kept = list(filterfalse(STOP_WORDS.__contains__, tokens))
    return kept + list(map(" ".join, zip(kept, kept[1:], strict=False)))


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
    out = fold_lowered(" ".join(out.split()))  # normalize_text of a lower-cased text
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
    return _title_words(normalize_title(title))


def _title_words(folded: str) -> list[str]:
    """:func:`title_words` of a title already folded by :func:`normalize_title`."""
    return ["w:" + term for term in _with_bigrams(folded.split())]


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
    folded = normalize_title(title)
    grams: list[str] = []
    for word in folded.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if n > len(padded):
                break
            grams.extend(f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1))
    return grams + _title_words(folded)


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
    size = 4 * TITLE_MAX_CHARS
    while True:  # the lines of the text's start, not all of them
        head = text[:size]
        lines = head.splitlines()
        if len(head) < len(text):
            del lines[-1:]  # may go on past the cut ("\r" then "\n", or more words)
        for line in lines:
            stripped = line.strip()
            if stripped:
                return (stripped if len(stripped) <= TITLE_MAX_CHARS else None), text
        if len(head) == len(text):
            return None, text
        size *= 4


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


# ---------------------------------------------------------------------- hashed terms

HASH_BASE = 0x9E3779B97F4A7C15
"""Odd base of the polynomial term hash (mod 2**64)."""
_MASK = (1 << 64) - 1
_INVERSE = pow(HASH_BASE, -1, 1 << 64)
_POW = np.ones(1, dtype=np.uint64)
_INV = np.ones(1, dtype=np.uint64)


def term_hash(term: str) -> int:
    """``sum(byte[k] * HASH_BASE**k) mod 2**64`` over the ASCII bytes of ``term``.

    Non-ASCII characters count as ``?`` (never part of a token).

    Examples
    --------
    >>> term_hash("ab") == (ord("a") + ord("b") * HASH_BASE) % 2**64
    True
    """
    h, power = 0, 1
    for byte in term.encode("ascii", "replace"):
        h = (h + byte * power) & _MASK
        power = (power * HASH_BASE) & _MASK
    return h


_POWERS_KEPT = 1 << 17
"""Powers kept between calls (1 MB each way); a longer text computes its own."""


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``HASH_BASE**k`` and ``HASH_BASE**-k`` (mod 2**64) for ``k`` in ``0..n`` at least."""
    global _POW, _INV  # noqa: PLW0603 - a table of powers that only grows
    if len(_POW) > n:
        return _POW, _INV
    size = max(n + 1, min(2 * len(_POW), _POWERS_KEPT), 4096)
    pw = np.full(size, HASH_BASE, dtype=np.uint64)
    pw[0] = 1
    inv = np.full(size, _INVERSE, dtype=np.uint64)
    inv[0] = 1
    powers = np.multiply.accumulate(pw), np.multiply.accumulate(inv)
    if size <= _POWERS_KEPT:
        _POW, _INV = powers
    return powers


def _table(chars: str, value: int = 1) -> bytes:
    """A ``bytes.translate`` table: ``value`` for the ASCII ``chars``, 0 for any other byte."""
    codes = set(chars.encode("ascii"))
    return bytes(value if c in codes else 0 for c in range(256))


_RUN_TABLE = _table("abcdefghijklmnopqrstuvwxyz0123456789+#")
_LETTER_TABLE = _table("abcdefghijklmnopqrstuvwxyz")
_SEPARATOR_TABLE = _table(".-/")


def _flags(data: bytes, table: bytes) -> np.ndarray:
    """A boolean array: which bytes of ``data`` the translate ``table`` marks."""
    return np.frombuffer(data.translate(table), dtype=np.bool_)


def _true_spans(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the runs of True in a boolean array."""
    padded = np.zeros(len(mask) + 2, dtype=np.int8)
    padded[1:-1] = mask
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return edges[0::2], edges[1::2]


def run_spans(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the maximal runs of ``[a-z0-9+#]`` in ``data``."""
    return _true_spans(_flags(data, _RUN_TABLE))


def span_hashes(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """:func:`term_hash` of ``data[start:end]`` for every span (uint64)."""
    return _hashes_of(_prefix_hashes(data), starts, ends)


def _prefix_hashes(data: bytes) -> np.ndarray:
    """``sum(data[k] * HASH_BASE**k for k < i)`` for every ``i`` (mod 2**64)."""
    power, _ = _powers(len(data) + 1)
    prefix = np.empty(len(data) + 1, dtype=np.uint64)
    prefix[0] = 0
    terms = prefix[1:]
    np.multiply(np.frombuffer(data, dtype=np.uint8), power[: len(data)], out=terms)
    np.cumsum(terms, out=terms)
    return prefix


def _hashes_of(prefix: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    _, inverse = _powers(len(prefix))
    return (prefix[ends] - prefix[starts]) * inverse[starts]


def join_hashes(
    left: np.ndarray, left_len: np.ndarray, right: np.ndarray, right_len: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Hash and length of ``left + " " + right`` from those of its parts."""
    power, _ = _powers(int(left_len.max(initial=0)) + 2)
    return (
        left + power[left_len] * np.uint64(32) + power[left_len + 1] * right,
        left_len + 1 + right_len,
    )


def _word_spans(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the :data:`_TOKEN` matches (two characters or more) in ``data``.

    A token is a chain of ``[a-z0-9+#]`` runs joined by single ``.``, ``-`` or ``/``,
    from its first letter to its end: ``re.findall`` can start a match only at a
    letter, and from there the match runs to the end of the chain.
    """
    run = _flags(data, _RUN_TABLE)
    chain = run.copy()
    if len(data) > 2:
        chain[1:-1] |= _flags(data[1:-1], _SEPARATOR_TABLE) & run[:-2] & run[2:]
    starts, ends = _true_spans(chain)
    letter = _flags(data, _LETTER_TABLE)
    late = np.flatnonzero(~letter[starts])  # chains that do not start with a letter
    if len(late):
        letters = np.flatnonzero(letter)
        if len(letters):
            at = np.minimum(np.searchsorted(letters, starts[late]), len(letters) - 1)
            first = letters[at]
            first[first < starts[late]] = ends[late][first < starts[late]]  # no letter after
        else:
            first = ends[late]
        starts = starts.copy()
        starts[late] = np.minimum(first, ends[late])  # no letter in the chain: empty
    keep = ends - starts >= 2
    return starts[keep], ends[keep]


def _term_hashes(terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`term_hash` and the length of every term, computed together over their bytes."""
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    data = "\n".join(terms).encode("ascii", "replace")  # one byte per character
    starts = np.zeros(len(terms), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    return span_hashes(data, starts, starts + lengths), lengths


class TermIndex:
    """The hashes of a list of terms, to find hashed terms among them.

    A term's hash picks a slot of a table (its top bits) that holds the id of the
    only term with those bits, or marks that several terms share them; a found id
    counts when the term's hash and length both agree.

    Parameters
    ----------
    terms : sequence of str
        Terms; a term's id is its position.

    Attributes
    ----------
    exact : bool
        False when two terms share a hash: then lookups cannot tell them apart and
        callers must use the strings.
    """

    _SHARED = -2

    def __init__(self, terms: Sequence[str]) -> None:
        n = len(terms)
        self.hashes, self.lengths = _term_hashes(terms)
        self.exact = len(set(self.hashes.tolist())) == n
        bits = max(10, (8 * n).bit_length())  # at most one slot in eight taken
        self._shift = np.uint64(64 - bits)
        slots = (self.hashes >> self._shift).astype(np.intp)
        self._table = np.full(1 << bits, -1, dtype=np.int64)
        used, first, count = np.unique(slots, return_index=True, return_counts=True)
        self._table[used] = np.where(count == 1, first, self._SHARED)
        shared = np.flatnonzero(count[np.searchsorted(used, slots)] > 1)  # ids in shared slots
        self._shared_ids = shared[np.argsort(self.hashes[shared], kind="stable")]
        self._shared_hashes = self.hashes[self._shared_ids]

    def find(self, hashes: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which hashed terms are in the index, and their ids.

        Returns
        -------
        positions : numpy.ndarray of int64
            Where the found terms are in ``hashes`` (not in order).
        ids : numpy.ndarray of int64
            The id of each found term.
        """
        candidates = self._table[(hashes >> self._shift).astype(np.intp)]
        at = np.flatnonzero(candidates >= 0)
        ids = candidates[at]
        good = self.hashes[ids] == hashes[at]
        good &= self.lengths[ids] == lengths[at]
        at, ids = at[good], ids[good]
        if len(self._shared_ids):  # a slot that several terms share: search their hashes
            shared = np.flatnonzero(candidates == self._SHARED)
            pos = np.searchsorted(self._shared_hashes, hashes[shared])
            np.minimum(pos, len(self._shared_ids) - 1, out=pos)
            more = self._shared_ids[pos]
            good = self.hashes[more] == hashes[shared]
            good &= self.lengths[more] == lengths[shared]
            at = np.concatenate([at, shared[good]])
            ids = np.concatenate([ids, more[good]])
        return at, ids


_STOP_INDEX = TermIndex(sorted(STOP_WORDS))


_GROUP_CHARS = 1 << 16
"""Texts hashed together, up to this many characters (a longer text goes alone)."""


def hashed_word_terms(low: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`term_hash` and length of every term of :func:`word_analyzer`, in its order.

    Parameters
    ----------
    low : str
        The lower-cased posting text (``text.lower()``).

    Returns
    -------
    hashes : numpy.ndarray of uint64
    lengths : numpy.ndarray of int64
    """
    hashes, lengths, _docs = hashed_word_terms_many([low])
    return hashes, lengths


def hashed_word_terms_many(lowered: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`hashed_word_terms` of many lower-cased texts at once, with the text each
    term is from.

    The folded texts are joined with newlines (no token crosses one) and hashed in one
    go, a group of texts at a time.

    Returns
    -------
    hashes : numpy.ndarray of uint64
    lengths : numpy.ndarray of int64
    docs : numpy.ndarray of int64
        The index in ``lowered`` of each term's text. The unigrams of every text come
        first, then the bigrams: the terms of one text are in its :func:`word_analyzer`
        order.
    """
    folded = [fold_lowered(low).encode("ascii", "replace") for low in lowered]
    return _in_groups(folded, _group_terms)


def text_groups(texts: Sequence[bytes]) -> list[tuple[int, int]]:
    """``(first, last)`` bounds of consecutive texts that, joined with newlines, take at
    most :data:`_GROUP_CHARS` characters (a longer text makes a group by itself)."""
    groups = []
    first = 0
    while first < len(texts):
        last, size = first + 1, len(texts[first])
        while last < len(texts) and size + len(texts[last]) + 1 <= _GROUP_CHARS:
            size += len(texts[last]) + 1
            last += 1
        groups.append((first, last))
        first = last
    return groups


def _in_groups(texts: Sequence[bytes], terms_of: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``terms_of(group, first)`` of the texts a group at a time, concatenated."""
    parts = [terms_of(texts[first:last], first) for first, last in text_groups(texts)]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty.astype(np.uint64), empty, empty
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))  # type: ignore[return-value]


def text_offsets(texts: Sequence[bytes]) -> np.ndarray:
    """Where each text starts in ``b"\\n".join(texts)``."""
    return np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])


def _docs_of(texts: Sequence[bytes], starts: np.ndarray, first: int) -> np.ndarray:
    """The text of each span of ``b"\\n".join(texts)`` (``first``: index of the first text)."""
    return np.searchsorted(text_offsets(texts), starts, side="right") - 1 + first


def _unigrams_and_bigrams(
    hashes: np.ndarray, lengths: np.ndarray, docs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokens without stop words, then the pairs of neighbouring ones within a text."""
    stop, _ = _STOP_INDEX.find(hashes, lengths)
    keep = np.ones(len(hashes), dtype=bool)
    keep[stop] = False
    hashes, lengths, docs = hashes[keep], lengths[keep], docs[keep]
    same = np.flatnonzero(docs[1:] == docs[:-1])  # bigrams within a text
    pairs, pair_lengths = join_hashes(
        hashes[same], lengths[same], hashes[same + 1], lengths[same + 1]
    )
    return (
        np.concatenate([hashes, pairs]),
        np.concatenate([lengths, pair_lengths]),
        np.concatenate([docs, docs[same]]),
    )


def _group_terms(folded: Sequence[bytes], first: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed terms of some folded texts (``first``: the index of the first one)."""
    data = b"\n".join(folded)
    starts, ends = _word_spans(data)
    hashes = span_hashes(data, starts, ends)
    return _unigrams_and_bigrams(hashes, ends - starts, _docs_of(folded, starts, first))


_BOUNDARY_TABLE = _table(" \n")
_C_PREFIX, _W_PREFIX = term_hash("c:"), term_hash("w:")


def hashed_title_terms_many(
    titles: Sequence[str | None], *, ngram_range: tuple[int, int] = (2, 5)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`term_hash`, length and title index of every term of :func:`title_analyzer`.

    The folded titles, padded with a space each side, are joined with newlines: the
    character n-grams of a title's words are its substrings without a space or newline
    inside and no newline at either end. The n-grams must be two characters or more.
    """
    if ngram_range[0] < 2:
        raise ValueError(f"n-grams of {ngram_range[0]} characters: use title_analyzer")
    padded = []
    for title in titles:
        folded = normalize_title(title)  # [a-z0-9+#] words, single spaces
        padded.append(f" {folded} ".encode("ascii") if folded else b"")
    return _in_groups(padded, functools.partial(_group_title_terms, ngram_range=ngram_range))


def _group_title_terms(
    padded: Sequence[bytes], first: int, *, ngram_range: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    data = b"\n".join(padded)
    prefix = _prefix_hashes(data)
    power, _ = _powers(len(data) + 4)
    boundary = _flags(data, _BOUNDARY_TABLE)
    newline = np.frombuffer(data, dtype=np.uint8) == 10
    inside = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(boundary, out=inside[1:])
    starts_of, lengths_of = [], []
    low, high = ngram_range
    for n in range(low, high + 1):
        if n > len(data):
            break
        starts = np.arange(len(data) - n + 1)
        ok = inside[starts + n - 1] == inside[starts + 1]  # no boundary inside the gram
        ok &= ~newline[: len(starts)]
        ok &= ~newline[n - 1 :]
        starts = starts[ok]
        starts_of.append(starts)
        lengths_of.append(np.full(len(starts), n, dtype=np.int64))
    gram_starts = np.concatenate(starts_of) if starts_of else np.zeros(0, dtype=np.int64)
    gram_lengths = np.concatenate(lengths_of) if lengths_of else gram_starts
    grams = _hashes_of(prefix, gram_starts, gram_starts + gram_lengths)
    word_starts, word_ends = _true_spans(~boundary)
    words, word_lengths, word_docs = _unigrams_and_bigrams(
        _hashes_of(prefix, word_starts, word_ends),
        word_ends - word_starts,
        _docs_of(padded, word_starts, first),
    )
    two = power[2]
    return (
        np.concatenate([np.uint64(_C_PREFIX) + two * grams, np.uint64(_W_PREFIX) + two * words]),
        np.concatenate([gram_lengths + 2, word_lengths + 2]),
        np.concatenate([_docs_of(padded, gram_starts, first), word_docs]),
    )
