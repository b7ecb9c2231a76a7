"""Taxonomy signals of a posting for the role classifier, as plain data and numpy.

:class:`RoleSignals` holds what the classifier takes from the taxonomy (the
title patterns and skill emphasis of each role family, the skill vocabulary
and categories) as plain, JSON-serialisable data, and turns postings into a
dense feature block. The trained estimator (:mod:`analyzer.classifier`) and
the numpy scorer (:mod:`analyzer.role_model`) call the same
:meth:`RoleSignals.transform`, so their features agree exactly. Imports numpy
and the standard library only.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from analyzer.role_tokens import (
    HASH_BASE,
    TermIndex,
    join_hashes,
    run_spans,
    span_hashes,
    term_hash,
    text_groups,
    text_offsets,
)

if TYPE_CHECKING:
    from analyzer.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

__all__ = ["HEAD_CHARS", "TITLE_CUES", "RoleSignals", "pattern_key", "pattern_words", "title_key"]

HEAD_CHARS = 600
"""A family phrase within the first characters of a posting usually names the role itself."""

_ALNUM_RUN = re.compile(r"[a-z0-9+#]+")
_RUN_SPACES = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789+#" else ord(" ") for c in range(256)
)
"""A ``bytes.translate`` table keeping the bytes of :data:`_ALNUM_RUN`, the rest as spaces."""

TITLE_CUES: dict[str, tuple[str, ...]] = {
    "machine_learning_engineer": (
        "ml", "machine learning", "deep learning", "nlp", "computer vision", "perception",
    ),
    "ai_engineer": (
        "genai", "gen ai", "generative", "llm", "llms", "gpt", "agentic", "agent", "agents",
        "prompt", "conversational", "chatbot",
    ),
    "data_scientist": ("data science", "data scientist", "decision science", "statistics"),
    "mlops_engineer": (
        "mlops", "ml ops", "ml operations", "machine learning operations", "llmops", "modelops",
        "platform", "infrastructure", "infra",
    ),
    "ml_researcher": ("research", "researcher", "scientist"),
    "data_analyst": ("analyst", "analytics", "bi", "business intelligence", "reporting"),
    "other": ("software", "data engineer", "developer", "full stack", "backend", "frontend"),
}  # fmt: skip
"""Words of a title that point at a family beyond its ``title_patterns``.

A title is *clear* (the annotation rule: the title decides) when the title
patterns of exactly one family match (a generic ``other`` phrase yields to an
ML-family one: "Software Engineer, Machine Learning") and, outside the matched
phrase, the title carries no cue of another family: "Machine Learning Engineer
(LLM)", "ML Engineer (MLOps)" and "AI Specialist" (no pattern) are ambiguous,
and their description decides. ``other`` cues only count against ``other``
titles.
"""

TITLE_FIELD_CUES: tuple[str, ...] = ("ai", "artificial intelligence", "ml", "machine learning")
"""Field words that make only ``other`` and ``data_analyst`` titles ambiguous
("Software Engineer, AI"); in an ML family's title they just name the field."""

TITLE_AMBIGUOUS_PHRASES: tuple[str, ...] = (
    "ai ml", "ml ai", "ai and ml", "ml and ai", "ai machine learning", "machine learning ai",
)  # fmt: skip
"""Phrases that make any title ambiguous ("AI/ML Engineer")."""

TITLE_DOMINANT: tuple[str, ...] = ("data_scientist", "ml_researcher")
"""Families whose single matching title pattern decides whatever else the title says
("Data Scientist, LLM", "ML Research Engineer"), as the annotation rules have it."""


def pattern_key(text: str) -> str:
    """Lower-case ``text`` with punctuation as single spaces, padded with one space each side.

    Title patterns are matched as whole-word phrases: ``pattern_key(p) in pattern_key(title)``.

    Examples
    --------
    >>> pattern_key("Software Engineer, Machine-Learning")
    ' software engineer machine learning '
    """
    return _padded(pattern_words(text))


def pattern_words(text: str) -> list[str]:
    """The words of :func:`pattern_key` (lower-case runs of letters, digits, ``+`` and ``#``)."""
    return _ALNUM_RUN.findall(text.lower())


def _padded(words: list[str]) -> str:
    return " " + " ".join(words) + " "


TITLE_LEVEL_WORDS = frozenset(
    ["i", "ii", "iii", "iv", "sr", "senior", "jr", "junior", "staff", "principal", "lead"]
)
"""Seniority words, dropped before matching title patterns: they never name a family, and
between two words of a pattern they hide it ("Software Engineer I - Machine Learning")."""


def title_key(title: str) -> str:
    """:func:`pattern_key` of a title without its seniority words.

    Examples
    --------
    >>> title_key("Software Engineer I-Machine Learning")
    ' software engineer machine learning '
    """
    return _padded([w for w in pattern_words(title) if w not in TITLE_LEVEL_WORDS])


@dataclass(frozen=True, eq=False)
class _PhraseHashes:
    """The family title phrases hashed, to count them in many texts at once.

    A phrase occurrence is a run of as many words of the text (runs of
    ``[a-z0-9+#]``) whose hash is the phrase's. ``str.count`` in :func:`pattern_key`
    counts occurrences that do not share a word or the space between two words: after
    one at word ``i`` of ``k`` words, the next starts at word ``i + k + 1`` or later.
    """

    index: TermIndex
    words: np.ndarray
    """Phrase id -> how many words it has."""
    lookup: dict[tuple[int, int], int]
    """``(term_hash, length)`` of each phrase -> its id."""
    families: list[list[tuple[int, int]]]
    """Phrase id -> ``(family, how many of the family's patterns are that phrase)``."""

    def count(self, lowered: Sequence[str], n_fam: int) -> tuple[np.ndarray, np.ndarray]:
        """Phrase counts and early flags of each family (rows: texts), read from the
        lower-cased texts: the early flags of a text whose lower-casing changes its
        length are the caller's to redo (its head is not ``low[:HEAD_CHARS]``)."""
        counts = np.zeros((len(lowered), n_fam), dtype=np.int64)
        early = np.zeros((len(lowered), n_fam), dtype=np.float64)
        data = [low.encode("ascii", "replace") for low in lowered]
        for first, last in text_groups(data):
            self._count_group(data[first:last], first, counts, early)
        return counts, early

    def _count_group(
        self, chunk: Sequence[bytes], first: int, counts: np.ndarray, early: np.ndarray
    ) -> None:
        data = b"\n".join(chunk)
        offsets = text_offsets(chunk)
        starts, ends = run_spans(data)
        hashes, lengths = span_hashes(data, starts, ends), ends - starts
        docs = np.searchsorted(offsets, starts, side="right") - 1
        found_at, found_ids = [], []
        grams, gram_lengths = hashes, lengths
        for k in range(1, int(self.words.max()) + 1):
            if k > 1:
                if len(grams) < 2:
                    break
                grams, gram_lengths = join_hashes(
                    grams[:-1], gram_lengths[:-1], hashes[k - 1 :], lengths[k - 1 :]
                )
            at, ids = self.index.find(grams, gram_lengths)
            keep = self.words[ids] == k
            keep &= docs[at] == docs[at + k - 1]  # all the words in one text
            found_at.append(at[keep])
            found_ids.append(ids[keep])
        at = np.concatenate(found_at) if found_at else np.zeros(0, dtype=np.int64)
        ids = np.concatenate(found_ids) if found_ids else at
        size = self.words[ids]
        doc = docs[at]
        head_end = offsets + HEAD_CHARS
        is_early = ends[at + size - 1] <= head_end[doc]
        order = np.lexsort((at, ids, doc))
        previous, free = (-1, -1), 0
        for d, pid, i, k, e in zip(
            doc[order].tolist(),
            ids[order].tolist(),
            at[order].tolist(),
            size[order].tolist(),
            is_early[order].tolist(),
            strict=True,
        ):
            if (d, pid) != previous:
                previous, free = (d, pid), 0
            if i >= free:  # str.count: an occurrence takes the space after it
                free = i + k + 1
                for f, times in self.families[pid]:
                    counts[first + d, f] += times
            if e:
                for f, _times in self.families[pid]:
                    early[first + d, f] = 1.0
        cut = np.searchsorted(ends, head_end, side="right").tolist()  # first run past the head
        for d in range(len(chunk)):
            j = cut[d]
            if j < len(starts) and docs[j] == d and starts[j] < head_end[d]:
                for pid in self._cut_phrases(data, starts, hashes, lengths, docs, j, head_end[d]):
                    for f, _times in self.families[pid]:
                        early[first + d, f] = 1.0

    def _cut_phrases(
        self,
        data: bytes,
        starts: np.ndarray,
        hashes: np.ndarray,
        lengths: np.ndarray,
        docs: np.ndarray,
        cut: int,
        head_end: int,
    ) -> list[int]:
        """Phrases that end in word ``cut`` as the head's end cuts it short."""
        piece = data[int(starts[cut]) : int(head_end)].decode("ascii")
        h, n = term_hash(piece), len(piece)
        out = []
        for k in range(1, int(self.words.max()) + 1):
            if k > 1:
                word = cut - k + 1
                if word < 0 or docs[word] != docs[cut]:
                    break
                size = int(lengths[word])
                h = (
                    int(hashes[word])
                    + pow(HASH_BASE, size, 1 << 64) * 32
                    + pow(HASH_BASE, size + 1, 1 << 64) * h
                ) % (1 << 64)
                n = size + 1 + n
            pid = self.lookup.get((h, n))
            if pid is not None and self.words[pid] == k:
                out.append(pid)
        return out


@dataclass(frozen=True)
class RoleSignals:
    """What the role classifier reads from the taxonomy, and the features it derives.

    Parameters
    ----------
    families : tuple of str
        Role family ids, in taxonomy order.
    title_patterns : tuple of tuple of str
        The title phrases of each family (same order as ``families``).
    skill_ids : tuple of str
        The skill vocabulary (sorted taxonomy skill ids).
    skill_categories : tuple of str
        The category of each skill in ``skill_ids``.
    categories : tuple of str
        The skill categories, in taxonomy order.
    emphasis : tuple of tuple of float
        ``emphasis[f][s]``: the weight family ``f`` gives skill ``skill_ids[s]`` (0 if none).
    taxonomy_version : str
        The version of the taxonomy these signals came from.
    """

    families: tuple[str, ...]
    title_patterns: tuple[tuple[str, ...], ...]
    skill_ids: tuple[str, ...]
    skill_categories: tuple[str, ...]
    categories: tuple[str, ...]
    emphasis: tuple[tuple[float, ...], ...]
    taxonomy_version: str
    title_cues: tuple[tuple[str, ...], ...] = ()
    title_field_cues: tuple[str, ...] = TITLE_FIELD_CUES
    title_ambiguous_phrases: tuple[str, ...] = TITLE_AMBIGUOUS_PHRASES
    title_dominant: tuple[str, ...] = TITLE_DOMINANT

    def __post_init__(self) -> None:
        if not self.title_cues:
            cues = tuple(TITLE_CUES.get(f, ()) for f in self.families)
            object.__setattr__(self, "title_cues", cues)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> RoleSignals:
        """Collect the signals of a loaded taxonomy.

        Parameters
        ----------
        taxonomy : Taxonomy
            A validated taxonomy (:func:`analyzer.taxonomy.get_taxonomy`).

        Returns
        -------
        RoleSignals
        """
        from analyzer.taxonomy_models import CATEGORIES

        families = tuple(taxonomy.roles)
        skill_ids = tuple(sorted(taxonomy.skills))
        column = {sid: i for i, sid in enumerate(skill_ids)}
        emphasis = []
        for fam in families:
            row = [0.0] * len(skill_ids)
            for sid, weight in taxonomy.roles[fam].emphasis.items():
                row[column[sid]] = float(weight)
            emphasis.append(tuple(row))
        return cls(
            families=families,
            title_patterns=tuple(tuple(taxonomy.roles[f].title_patterns) for f in families),
            skill_ids=skill_ids,
            skill_categories=tuple(taxonomy.skills[s].category for s in skill_ids),
            categories=tuple(CATEGORIES),
            emphasis=tuple(emphasis),
            taxonomy_version=str(taxonomy.version),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form (inverse of :meth:`from_dict`)."""
        return {
            "families": list(self.families),
            "title_patterns": [list(p) for p in self.title_patterns],
            "skill_ids": list(self.skill_ids),
            "skill_categories": list(self.skill_categories),
            "categories": list(self.categories),
            "emphasis": {
                fam: {sid: w for sid, w in zip(self.skill_ids, row, strict=True) if w}
                for fam, row in zip(self.families, self.emphasis, strict=True)
            },
            "taxonomy_version": self.taxonomy_version,
            "title_cues": [list(c) for c in self.title_cues],
            "title_field_cues": list(self.title_field_cues),
            "title_ambiguous_phrases": list(self.title_ambiguous_phrases),
            "title_dominant": list(self.title_dominant),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoleSignals:
        """Rebuild from :meth:`to_dict` output; raises ``ValueError`` on a malformed dict."""
        try:
            families = tuple(str(f) for f in data["families"])
            skill_ids = tuple(str(s) for s in data["skill_ids"])
            column = {sid: i for i, sid in enumerate(skill_ids)}
            emphasis = []
            for fam in families:
                row = [0.0] * len(skill_ids)
                for sid, weight in dict(data["emphasis"].get(fam, {})).items():
                    row[column[sid]] = float(weight)
                emphasis.append(tuple(row))
            signals = cls(
                families=families,
                title_patterns=tuple(
                    tuple(str(p) for p in pats) for pats in data["title_patterns"]
                ),
                skill_ids=skill_ids,
                skill_categories=tuple(str(c) for c in data["skill_categories"]),
                categories=tuple(str(c) for c in data["categories"]),
                emphasis=tuple(emphasis),
                taxonomy_version=str(data["taxonomy_version"]),
                title_cues=tuple(
                    tuple(str(c) for c in cues) for cues in data.get("title_cues", ())
                ),
                title_field_cues=tuple(
                    str(c) for c in data.get("title_field_cues", TITLE_FIELD_CUES)
                ),
                title_ambiguous_phrases=tuple(
                    str(c) for c in data.get("title_ambiguous_phrases", TITLE_AMBIGUOUS_PHRASES)
                ),
                title_dominant=tuple(str(c) for c in data.get("title_dominant", TITLE_DOMINANT)),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed role signals: {exc!r}") from None
        if (
            len(signals.title_patterns) != len(families)
            or len(signals.skill_categories) != len(skill_ids)
            or len(signals.title_cues) != len(families)
        ):
            raise ValueError("malformed role signals: list lengths disagree")
        return signals

    # ------------------------------------------------------------------ features

    def block_names(self) -> dict[str, list[str]]:
        """Column names of each feature block (``title``, ``mentions``, ``skills``), in order."""
        fams = self.families
        return {
            "title": [*(f"title_pattern:{f}" for f in fams), "title_present"],
            "gate": [*(f"title_gate:{f}" for f in fams), "title_ambiguous"],
            "mentions": [
                *(f"mentions:{f}" for f in fams),
                *(f"mention_head:{f}" for f in fams),
                *(f"mention_share:{f}" for f in fams),
            ],
            "skills": [
                *(f"skill:{s}" for s in self.skill_ids),
                *(f"category_share:{c}" for c in self.categories),
                *(f"emphasis:{f}" for f in fams),
                *(f"emphasis_share:{f}" for f in fams),
            ],
        }

    @functools.cached_property
    def _pattern_keys(self) -> list[tuple[str, ...]]:
        """Title patterns as :func:`pattern_key` strings, computed once per instance."""
        return [tuple(pattern_key(p) for p in pats) for pats in self.title_patterns]

    @functools.cached_property
    def _gate_keys(
        self,
    ) -> tuple[list[tuple[str, ...]], tuple[str, ...], tuple[str, ...]]:
        """Title cues, field cues and ambiguous phrases as pattern keys, computed once."""
        cues = [tuple(pattern_key(c) for c in fam_cues) for fam_cues in self.title_cues]
        field = tuple(pattern_key(c) for c in self.title_field_cues)
        phrases = tuple(pattern_key(c) for c in self.title_ambiguous_phrases)
        return cues, field, phrases

    def title_block(
        self,
        titles: Sequence[str | None],
        *,
        matches: Sequence[tuple[str, frozenset[int]] | None] | None = None,
    ) -> np.ndarray:
        """Which families' title patterns each title contains, plus a "has a title" flag.

        Parameters
        ----------
        titles : sequence of (str or None)
            Posting titles; None gives a row of zeros.
        matches : sequence, optional
            :meth:`title_matches` of ``titles``, when the caller has them already.

        Returns
        -------
        numpy.ndarray of shape (n_postings, n_families + 1)
        """
        n_fam = len(self.families)
        out = np.zeros((len(titles), n_fam + 1), dtype=np.float64)
        for row, found in enumerate(self.title_matches(titles) if matches is None else matches):
            if found is not None:
                out[row, sorted(found[1])] = 1.0
                out[row, n_fam] = 1.0
        return out

    def title_matches(
        self, titles: Sequence[str | None]
    ) -> list[tuple[str, frozenset[int]] | None]:
        """:func:`title_key` of each title and the families whose title patterns it contains
        (None for no title); :meth:`title_block` and :meth:`title_gate` read them."""
        keys = self._pattern_keys
        out: list[tuple[str, frozenset[int]] | None] = []
        for title in titles:
            if not title:
                out.append(None)
                continue
            tkey = title_key(title)
            out.append(
                (tkey, frozenset(f for f, pats in enumerate(keys) if any(p in tkey for p in pats)))
            )
        return out

    def title_gate(
        self,
        titles: Sequence[str | None],
        *,
        matches: Sequence[tuple[str, frozenset[int]] | None] | None = None,
    ) -> np.ndarray:
        """The family a title clearly names (one-hot), else an "ambiguous" flag.

        Parameters
        ----------
        titles : sequence of (str or None)
            Posting titles; a missing title is ambiguous (the description decides).
        matches : sequence, optional
            :meth:`title_matches` of ``titles``, when the caller has them already.

        Returns
        -------
        numpy.ndarray of shape (n_postings, n_families + 1)
            Row ``i`` has a single 1: in the column of the family its title
            clearly names (see :data:`TITLE_CUES`), or in the last column.
        """
        n_fam = len(self.families)
        out = np.zeros((len(titles), n_fam + 1), dtype=np.float64)
        keys = self._pattern_keys
        cues, field, phrases = self._gate_keys
        if matches is None:
            matches = self.title_matches(titles)
        for row, found in enumerate(matches):
            out[row, self._clear_family(found, keys, cues, field, phrases)] = 1.0
        return out

    def _clear_family(
        self,
        found: tuple[str, frozenset[int]] | None,
        keys: list[tuple[str, ...]],
        cues: list[tuple[str, ...]],
        field: tuple[str, ...],
        phrases: tuple[str, ...],
    ) -> int:
        """Index of the family a title (its :meth:`title_matches` entry) clearly names,
        else ``len(families)`` (ambiguous)."""
        ambiguous = len(self.families)
        if found is None:
            return ambiguous
        other = self.families.index("other") if "other" in self.families else -1
        tkey, families = found
        matched = set(families)
        if other in matched and len(matched) > 1:
            matched.discard(other)  # "Software Engineer, Machine Learning"
        if len(matched) != 1:
            return ambiguous
        (family,) = matched
        name = self.families[family]
        if name in self.title_dominant:
            return family
        if any(p in tkey for p in phrases):
            return ambiguous
        rest = tkey
        for phrase in sorted((*keys[family], *cues[family]), key=len, reverse=True):
            rest = rest.replace(phrase, "  ")  # the matched phrase says nothing more
        if name in ("other", "data_analyst") and any(c in rest for c in field):
            return ambiguous
        for f, fam_cues in enumerate(cues):
            if f == family or (f == other and family != other):
                continue
            if any(c in rest for c in fam_cues):
                return ambiguous
        return family

    def mention_block(
        self, texts: Sequence[str], *, lowered: Sequence[str] | None = None
    ) -> np.ndarray:
        """How often the text names each family's title phrases, early and in share.

        Parameters
        ----------
        texts : sequence of str
            Posting texts.
        lowered : sequence of str, optional
            ``text.lower()`` of each text, when the caller has it already.

        Returns
        -------
        numpy.ndarray of shape (n_postings, 3 * n_families)
            ``log1p(count)``, "named within the first :data:`HEAD_CHARS` characters",
            and the share of all family phrases, for each family. A phrase is counted
            as ``str.count`` counts it in :func:`pattern_key` of the text, and is early
            when it occurs in :func:`pattern_key` of the first :data:`HEAD_CHARS`
            characters.
        """
        n_fam = len(self.families)
        out = np.zeros((len(texts), 3 * n_fam), dtype=np.float64)
        if not len(texts):
            return out
        if lowered is None:
            lowered = [t.lower() for t in texts]
        hashed = self._phrase_hashes
        if hashed is not None:
            counts, early = hashed.count(lowered, n_fam)
            for row, (text, low) in enumerate(zip(texts, lowered, strict=True)):
                if len(low) != len(text):  # the head is not low[:HEAD_CHARS]
                    early[row] = self._early_by_strings(text, low)
        else:
            counts = np.zeros((len(texts), n_fam), dtype=np.int64)
            early = np.zeros((len(texts), n_fam), dtype=np.float64)
            for row, (text, low) in enumerate(zip(texts, lowered, strict=True)):
                counts[row], early[row] = self._mentions_by_strings(text, low)
        total = counts.sum(axis=1)
        out[:, :n_fam] = np.reshape([math.log1p(c) for c in counts.ravel().tolist()], counts.shape)
        out[:, n_fam : 2 * n_fam] = early
        named = total > 0
        out[named, 2 * n_fam :] = counts[named] / total[named, None]
        return out

    def _mentions_by_strings(self, text: str, low: str) -> tuple[list[int], list[float]]:
        """Phrase counts and early flags of each family, from the strings of the text."""
        # pattern_words(text) as bytes: every byte outside [a-z0-9+#] becomes a space
        runs = low.encode("ascii", "replace").translate(_RUN_SPACES).split()
        counts = [0] * len(self.families)
        body = b" " + b" ".join(runs) + b" "  # pattern_key(text)
        for phrase, families in self._candidate_phrases(runs):
            found = body.count(phrase)
            for f, times in families:
                counts[f] += times * found
        return counts, self._early_by_strings(text, low)

    def _early_by_strings(self, text: str, low: str) -> list[float]:
        """Which families' phrases :func:`pattern_key` of ``text[:HEAD_CHARS]`` contains."""
        if len(low) == len(text):  # then text[:HEAD_CHARS].lower() == low[:HEAD_CHARS]
            head_runs = low[:HEAD_CHARS].encode("ascii", "replace").translate(_RUN_SPACES).split()
        else:
            head_runs = [w.encode("ascii") for w in pattern_words(text[:HEAD_CHARS])]
        flags = [0.0] * len(self.families)
        head = b" " + b" ".join(head_runs) + b" "  # pattern_key(text[:HEAD_CHARS])
        for phrase, families in self._candidate_phrases(head_runs):
            if phrase in head:
                for f, _times in families:
                    flags[f] = 1.0
        return flags

    def _candidate_phrases(
        self, runs: list[bytes]
    ) -> Iterator[tuple[bytes, list[tuple[int, int]]]]:
        """The distinct pattern keys (with their ``(family, times)``) whose words all are
        among the words ``runs`` of a text: the only ones its pattern key can contain."""
        by_word, all_words = self._phrase_index
        # pattern_key("") is two spaces: only a pattern without words is in it
        present = all_words.intersection(runs) if runs else frozenset([b""])
        for word in present:
            for phrase, words, families in by_word.get(word, ()):
                if words <= present:
                    yield phrase, families

    @functools.cached_property
    def _phrase_times(self) -> dict[str, dict[int, int]]:
        """How many of each family's patterns every distinct pattern key is."""
        times: dict[str, dict[int, int]] = {}
        for f, pats in enumerate(self._pattern_keys):
            for p in pats:
                times.setdefault(p, {}).setdefault(f, 0)
                times[p][f] += 1
        return times

    @functools.cached_property
    def _phrase_hashes(self) -> _PhraseHashes | None:
        """The distinct pattern keys, hashed; None when they cannot be told apart by their
        hashes or one has no words (then :meth:`_mentions_by_strings` counts)."""
        times = self._phrase_times
        distinct = sorted(times)
        phrases = [" ".join(p.split()) for p in distinct]
        if not all(phrases) or not all(p.isascii() for p in phrases):
            return None
        index = TermIndex(phrases)
        if not index.exact:
            return None
        return _PhraseHashes(
            index=index,
            words=np.asarray([len(p.split()) for p in phrases], dtype=np.int64),
            lookup={(term_hash(p), len(p)): i for i, p in enumerate(phrases)},
            families=[sorted(times[p].items()) for p in distinct],
        )

    @functools.cached_property
    def _phrase_index(
        self,
    ) -> tuple[
        dict[bytes, list[tuple[bytes, frozenset[bytes], list[tuple[int, int]]]]], frozenset[bytes]
    ]:
        """The distinct pattern keys (as bytes), each filed under one of its words, and
        every word of a pattern.

        A key comes with its words and ``(family, times)``: how many of the family's
        patterns it is. It is filed under its word that fewest keys share, so that a
        posting looks only at the keys whose rarest word it contains.
        """
        times = self._phrase_times
        phrases = [
            (p.encode("ascii", "replace"), frozenset(p.encode("ascii", "replace").split()))
            for p in sorted(times)
        ]
        share: dict[bytes, int] = {}
        for _p, words in phrases:
            for w in words:
                share[w] = share.get(w, 0) + 1
        by_word: dict[bytes, list[tuple[bytes, frozenset[bytes], list[tuple[int, int]]]]] = {}
        for (phrase, words), key in zip(phrases, sorted(times), strict=True):
            rarest = min(words, key=lambda w: (share[w], w), default=b"")
            by_word.setdefault(rarest, []).append((phrase, words, sorted(times[key].items())))
        return by_word, frozenset(share) | {b""}

    def skill_block(self, skill_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Skill indicators, category shares and role-emphasis coverage of each posting.

        Parameters
        ----------
        skill_lists : sequence of sequence of str
            Taxonomy skill ids found in each posting; ids outside the vocabulary are ignored.

        Returns
        -------
        numpy.ndarray of shape (n_postings, n_skills + n_categories + 2 * n_families)
            For each family, ``emphasis`` is the share of the family's total emphasis
            weight that the posting's skills cover, and ``emphasis_share`` that coverage
            divided by the coverage summed over families.
        """
        n_fam, n_skill = len(self.families), len(self.skill_ids)
        n_cat = len(self.categories)
        out = np.zeros((len(skill_lists), n_skill + n_cat + 2 * n_fam), dtype=np.float64)
        column = {sid: i for i, sid in enumerate(self.skill_ids)}
        cat_index = {c: i for i, c in enumerate(self.categories)}
        skill_cat = np.array([cat_index.get(c, -1) for c in self.skill_categories], dtype=np.int64)
        emphasis = np.asarray(self.emphasis, dtype=np.float64).reshape(n_fam, n_skill)
        emphasis_total = emphasis.sum(axis=1)
        for row, skills in enumerate(skill_lists):
            present = sorted({column[s] for s in skills if s in column})
            if not present:
                continue
            idx = np.asarray(present, dtype=np.int64)
            out[row, idx] = 1.0
            cats = skill_cat[idx]
            cats = cats[cats >= 0]
            out[row, n_skill : n_skill + n_cat] = np.bincount(cats, minlength=n_cat) / len(idx)
            cover = np.divide(
                emphasis[:, idx].sum(axis=1),
                emphasis_total,
                out=np.zeros(n_fam),
                where=emphasis_total > 0,
            )
            start = n_skill + n_cat
            out[row, start : start + n_fam] = cover
            cover_total = cover.sum()
            if cover_total > 0:
                out[row, start + n_fam : start + 2 * n_fam] = cover / cover_total
        return out
