"""The numpy-only role-family scorer that reads a plain model directory.

``skillgap analyze`` classifies postings with :class:`RoleModel`, which needs
only numpy, the standard library and our light modules (never scikit-learn):
it rebuilds the features from the shared tokenisers
(:mod:`analyzer.role_tokens`), the taxonomy signals (:mod:`analyzer.role_signals`),
the stored vocabularies and idf weights, and applies the stored coefficients
and temperature. Its probabilities equal those of the fitted
:class:`analyzer.classifier.RoleClassifier` it was exported from.

Examples
--------
>>> model = load_role_model()  # doctest: +SKIP
>>> model.predict("MLOps Engineer\\nRun Kubeflow pipelines on Kubernetes.").family  # doctest: +SKIP
'mlops_engineer'
"""

from __future__ import annotations

import functools
import heapq
import itertools
import logging
import math
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.analysis import RolePrediction
from analyzer.errors import ModelError
from analyzer.model_io import check_taxonomy_version, read_model_dir
from analyzer.role_signals import RoleSignals
from analyzer.role_tokens import (
    TermIndex,
    hashed_title_terms_many,
    hashed_word_terms_many,
    resolve_titles,
    title_analyzer,
    word_analyzer,
)

logger = logging.getLogger(__name__)

__all__ = [
    "EVIDENCE_TOP",
    "RoleModel",
    "classify_posting",
    "default_model_dir",
    "load_role_model",
]

EVIDENCE_TOP = 5
"""How many evidence strings a prediction carries."""

BLOCKS = ("words", "title", "title_patterns", "mentions", "skills", "title_gate")

AMBIGUOUS_COPIES = ("words", "mentions", "skills")
"""Blocks repeated, as ``ambiguous_<name>``, in the rows whose title names no family clearly
(the title gate), so the description can weigh differently when it decides."""


def default_model_dir() -> Path:
    """The shipped model inside the package (``analyzer/models/role``)."""
    return Path(str(resources.files("analyzer").joinpath("models", "role")))


def _tfidf_rows(
    terms_of: list[list[str]], vocabulary: Mapping[str, int], idf: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Sublinear-tf, l2-normalised TF-IDF rows, as scikit-learn's TfidfVectorizer computes them,
    as ``(columns, values)`` of each row's non-zero entries (columns ascending)."""
    rows = []
    for terms in terms_of:
        # column of every term (-1: not in the vocabulary), looked up without Python frames
        ids = np.fromiter(
            map(vocabulary.get, terms, repeat(-1, len(terms))), dtype=np.int64, count=len(terms)
        )
        ids = ids[ids >= 0]
        if not len(ids):
            rows.append((ids, np.zeros(0)))
            continue
        cols, counts = np.unique(ids, return_counts=True)  # in column order: deterministic
        values = (np.log(counts) + 1.0) * idf[cols]
        rows.append((cols, values / np.sqrt(np.dot(values, values))))
    return rows


def _tfidf_counts(
    docs: np.ndarray, ids: np.ndarray, n_docs: int, idf: np.ndarray, weight: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`_tfidf_rows` (times ``weight``) from the column ``ids`` of in-vocabulary terms
    and the text each is from: the same numbers, computed for all texts at once but the
    norm, which each row sums by itself as before."""
    width = int(ids.max(initial=0)) + 1
    keys = np.sort(docs * width + ids)  # by text, then column
    first = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    distinct = keys[starts]
    counts = np.diff(starts, append=len(keys))
    cols = distinct % width
    values = (np.log(counts) + 1.0) * idf[cols]
    bounds = np.searchsorted(distinct, np.arange(n_docs + 1) * width).tolist()
    norms = np.ones(n_docs)
    for doc in range(n_docs):
        lo, hi = bounds[doc], bounds[doc + 1]
        if lo < hi:
            row = values[lo:hi]
            norms[doc] = np.sqrt(np.dot(row, row))
    values = values / np.repeat(norms, np.diff(bounds)) * weight
    return [(cols[lo:hi], values[lo:hi]) for lo, hi in itertools.pairwise(bounds)]


class RoleModel:
    """A trained role-family model in plain data, scored with numpy.

    Build one with :func:`load_role_model` or :meth:`from_data`.

    Attributes
    ----------
    classes : tuple of str
        The families the model was trained on (column order of the probabilities).
    families : tuple of str
        Every family of the taxonomy (keys of :attr:`RolePrediction.probabilities`).
    taxonomy_version : str
        The taxonomy version the model was trained on.
    source : str
        Where the model was read from.
    """

    def __init__(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray], *, source: str):
        try:
            self._setup(meta, arrays, source)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ModelError(f"{source}: malformed model ({exc!r})") from None

    def _setup(
        self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray], source: str
    ) -> None:
        self.source = source
        self.meta = dict(meta)
        params = meta["params"]
        self.use_title = bool(params["use_title"])
        self.use_skills = bool(params["use_skills"])
        self.title_ngram_range = (
            int(params["title_ngram_range"][0]),
            int(params["title_ngram_range"][1]),
        )
        self.weights = {
            "words": float(params["word_weight"]),
            "title": float(params["title_weight"]),
            "title_patterns": float(params["pattern_weight"]),
            "mentions": float(params["mention_weight"]),
            "skills": float(params["skill_weight"]),
            "title_gate": float(params.get("gate_weight", 0.0)),
        }
        self.ambiguous_weight = float(params.get("ambiguous_weight", 0.0))
        self.ambiguous_title_weight = float(params.get("ambiguous_title_weight", 1.0))
        self.signals = RoleSignals.from_dict(meta["signals"])
        self.taxonomy_version = str(meta["taxonomy_version"])
        self.classes = tuple(str(c) for c in meta["classes"])
        self.families = tuple(self.signals.families)
        unknown = [c for c in self.classes if c not in self.families]
        if unknown:
            raise ValueError(f"classes {unknown} are not families of the taxonomy")
        self.word_terms = [str(t) for t in meta["word_vocabulary"]]
        self.title_terms = [str(t) for t in meta["title_vocabulary"]]
        self.word_vocabulary = {t: i for i, t in enumerate(self.word_terms)}
        index = TermIndex(self.word_terms)
        self._word_index = index if index.exact else None  # else look the strings up
        index = TermIndex(self.title_terms)
        exact = index.exact and self.title_ngram_range[0] >= 2
        self._title_index = index if exact else None
        self.title_vocabulary = {t: i for i, t in enumerate(self.title_terms)}
        self.word_idf = np.asarray(arrays["word_idf"], dtype=np.float64).reshape(-1)
        self.title_idf = np.asarray(arrays["title_idf"], dtype=np.float64).reshape(-1)
        self.coef = np.asarray(arrays["coef"], dtype=np.float64)
        self.intercept = np.asarray(arrays["intercept"], dtype=np.float64).reshape(-1)
        self.temperature = float(meta.get("temperature", 1.0))
        self.blocks = [(str(name), int(size)) for name, size in meta["blocks"]]
        names = self.signals.block_names()
        expected = {
            "words": len(self.word_terms),
            "title": len(self.title_terms),
            "title_patterns": len(names["title"]),
            "mentions": len(names["mentions"]),
            "skills": len(names["skills"]),
            "title_gate": len(names["gate"]),
        }
        expected.update({f"ambiguous_{n}": expected[n] for n in AMBIGUOUS_COPIES})
        for name, size in self.blocks:
            if name not in expected or expected[name] != size:
                raise ValueError(f"block {name!r} of size {size} does not match its vocabulary")
        width = sum(size for _, size in self.blocks)
        if len(self.word_idf) != len(self.word_terms) or len(self.title_idf) != len(
            self.title_terms
        ):
            raise ValueError("idf lengths do not match the vocabularies")
        if self.coef.shape != (len(self.classes), width) or self.intercept.shape != (
            len(self.classes),
        ):
            raise ValueError(
                f"coefficients of shape {self.coef.shape} do not match "
                f"{len(self.classes)} classes x {width} features"
            )
        if not (math.isfinite(self.temperature) and self.temperature > 0):
            raise ValueError(f"temperature {self.temperature} must be a positive number")

    @classmethod
    def from_data(
        cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray], *, source: str = "<memory>"
    ) -> RoleModel:
        """A scorer over already-loaded plain data (``meta`` + ``arrays``)."""
        return cls(meta, arrays, source=source)

    # ------------------------------------------------------------------ features

    def features(
        self,
        texts: Sequence[str],
        *,
        titles: Sequence[str | None] | None = None,
        skill_lists: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """The weighted feature matrix of each posting (dense, float64)."""
        out = np.zeros((len(texts), self.coef.shape[1]), dtype=np.float64)
        for row, (cols, values) in enumerate(self._sparse_rows(texts, titles, skill_lists)):
            out[row, cols] = values
        return out

    def _sparse_rows(
        self,
        texts: Sequence[str],
        titles: Sequence[str | None] | None,
        skill_lists: Sequence[Sequence[str]] | None,
        resolved: list[str | None] | None = None,
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(columns, values)`` of the non-zero features of each posting (``resolved``:
        the titles :func:`resolve_titles` gives, when the caller has them).

        Most of the width is the word TF-IDF block, of which a posting uses a few hundred
        columns: scoring only those is what keeps classifying cheap.
        """
        if resolved is None:
            resolved = resolve_titles(texts, titles, use_title=self.use_title)
        n = len(texts)
        lowered = [t.lower() for t in texts]  # the words and the mentions both read these
        matches = self.signals.title_matches(resolved) if self.use_title else None
        gate = self.signals.title_gate(resolved, matches=matches) if self.use_title else None
        ambiguous = gate[:, -1] * self.ambiguous_weight if gate is not None else None
        built: dict[str, Any] = {}
        dense_parts: list[np.ndarray] = []
        dense_columns: list[np.ndarray] = []
        sparse_parts: list[tuple[int, list[tuple[np.ndarray, np.ndarray]], np.ndarray | None]] = []
        offset = 0
        for name, size in self.blocks:
            base = name.removeprefix("ambiguous_")
            scale = ambiguous if name != base else None
            if base not in built:
                built[base] = self._block(
                    base, texts, lowered, resolved, skill_lists, gate, matches
                )
            block = built[base]
            if isinstance(block, list):  # sparse TF-IDF rows
                sparse_parts.append((offset, block, scale))
            else:
                dense_parts.append(block if scale is None else block * scale[:, None])
                dense_columns.append(np.arange(offset, offset + size))
            offset += size
        small = np.hstack(dense_parts) if dense_parts else np.zeros((n, 0))
        small_columns = np.concatenate(dense_columns) if dense_columns else np.zeros(0, np.intp)
        rows = []
        for row in range(n):
            nonzero = np.flatnonzero(small[row])
            cols = [small_columns[nonzero]]
            values = [small[row, nonzero]]
            for start, block_rows, scale in sparse_parts:
                if scale is not None and not scale[row]:
                    continue
                c, v = block_rows[row]
                cols.append(c + start)
                values.append(v if scale is None else v * scale[row])
            rows.append((np.concatenate(cols), np.concatenate(values)))
        return rows

    def _block(
        self,
        name: str,
        texts: Sequence[str],
        lowered: Sequence[str],
        titles: Sequence[str | None],
        skill_lists: Sequence[Sequence[str]] | None,
        gate: np.ndarray | None,
        matches: Sequence[tuple[str, frozenset[int]] | None] | None = None,
    ) -> np.ndarray | list[tuple[np.ndarray, np.ndarray]]:
        """One weighted feature block: sparse rows for the TF-IDF blocks, else a dense matrix."""
        weight = self.weights[name]
        if name == "words" and self._word_index is not None:
            hashes, lengths, docs = hashed_word_terms_many(lowered)
            at, ids = self._word_index.find(hashes, lengths)
            return _tfidf_counts(docs[at], ids, len(texts), self.word_idf, weight)
        if name == "title" and self._title_index is not None:
            hashes, lengths, docs = hashed_title_terms_many(
                titles, ngram_range=self.title_ngram_range
            )
            at, ids = self._title_index.find(hashes, lengths)
            return _tfidf_counts(docs[at], ids, len(texts), self.title_idf, weight)
        if name in ("words", "title"):
            if name == "words":
                terms = [word_analyzer(t) for t in texts]
                vocabulary, idf = self.word_vocabulary, self.word_idf
            else:
                terms = [title_analyzer(t, ngram_range=self.title_ngram_range) for t in titles]
                vocabulary, idf = self.title_vocabulary, self.title_idf
            return [(cols, values * weight) for cols, values in _tfidf_rows(terms, vocabulary, idf)]
        if name == "title_gate":
            assert gate is not None
            block = gate
        elif name == "title_patterns":
            block = self.signals.title_block(titles, matches=matches)
        elif name == "mentions":
            block = self.signals.mention_block(texts, lowered=lowered)
        else:
            lists = skill_lists if skill_lists is not None else [()] * len(texts)
            block = self.signals.skill_block(lists)
        return block * weight

    def _sparse_logits(self, rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Logits of rows given as ``(columns, values)``."""
        # einsum, not ``@``: a BLAS product wakes OpenBLAS's threads, which spin on every
        # other core for no gain and halve the speed-up of parallel runs
        out = np.empty((len(rows), len(self.classes)), dtype=np.float64)
        for i, (cols, values) in enumerate(rows):
            out[i] = np.einsum("kj,j->k", self.coef[:, cols], values)
        return (out + self.intercept) / self.temperature

    def predict_proba_many(
        self,
        texts: Sequence[str],
        *,
        titles: Sequence[str | None] | None = None,
        skill_lists: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """Probabilities over :attr:`classes`, one row per posting.

        Parameters
        ----------
        texts : sequence of str
            Posting texts.
        titles : sequence of (str or None), optional
            Titles; missing ones fall back to the first line when the model uses titles.
        skill_lists : sequence of sequence of str, optional
            Taxonomy skill ids of each posting (e.g. from
            :func:`analyzer.pipeline.extract_skill_ids`); None means none found.

        Returns
        -------
        numpy.ndarray of shape (n_postings, n_classes)
        """
        return _softmax(self._sparse_logits(self._sparse_rows(texts, titles, skill_lists)))

    def predict(
        self, text: str, *, title: str | None = None, skill_ids: Sequence[str] = ()
    ) -> RolePrediction:
        """The role family of one posting, with probabilities, runner-up and evidence.

        Parameters
        ----------
        text : str
            The posting text.
        title : str, optional
            Its title; None falls back to the first line of ``text``.
        skill_ids : sequence of str
            The taxonomy skill ids found in the posting.

        Returns
        -------
        RolePrediction
        """
        return self.predict_many([text], titles=[title], skill_lists=[skill_ids])[0]

    def predict_many(
        self,
        texts: Sequence[str],
        *,
        titles: Sequence[str | None] | None = None,
        skill_lists: Sequence[Sequence[str]] | None = None,
    ) -> list[RolePrediction]:
        """:meth:`predict` for many postings at once (one matrix product)."""
        resolved = resolve_titles(texts, titles, use_title=self.use_title)
        rows = self._sparse_rows(texts, titles, skill_lists, resolved)
        probs = _softmax(self._sparse_logits(rows))
        out = []
        for row in range(len(texts)):
            order = np.argsort(-probs[row], kind="stable")
            best = int(order[0])
            runner = int(order[1]) if len(order) > 1 else None
            by_class = dict(zip(self.classes, probs[row].tolist(), strict=True))
            out.append(
                RolePrediction(
                    family=self.classes[best],
                    confidence=float(probs[row, best]),
                    probabilities={f: float(by_class.get(f, 0.0)) for f in self.families},
                    evidence=self._evidence(rows[row], best, resolved[row]),
                    runner_up=self.classes[runner] if runner is not None else None,
                )
            )
        return out

    # ------------------------------------------------------------------ evidence

    def contributions(self, features: np.ndarray, class_index: int) -> list[tuple[str, float]]:
        """How much each named feature moved ``class_index`` above the average class.

        Title n-grams are summed into one ``title`` entry. Sorted by decreasing
        contribution (ties by name).
        """
        cols = np.flatnonzero(features)
        names, sums = self._name_sums((cols, features[cols]), class_index)
        totals = [(names[i], float(sums[i])) for i in np.flatnonzero(sums).tolist()]
        return sorted(totals, key=lambda kv: (-kv[1], kv[0]))

    def _name_sums(
        self, row: tuple[np.ndarray, np.ndarray], class_index: int
    ) -> tuple[list[str], np.ndarray]:
        """The feature names and the contribution of each to ``class_index``, from a row
        given as ``(columns, values)``."""
        names, index, centered = self._named_columns
        cols, values = row
        contrib = values * centered[class_index, cols]
        return names, np.bincount(index[cols], weights=contrib, minlength=len(names))

    @functools.cached_property
    def _named_columns(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Feature names, the name index of every column, and the centred coefficients.

        Every title column (n-grams, patterns, gate) counts as one ``title`` feature and
        an ``ambiguous_`` copy adds to the names of its block. Built once per model.
        """
        names: list[str] = []
        position: dict[str, int] = {}

        def at(name: str) -> int:
            if name not in position:
                position[name] = len(names)
                names.append(name)
            return position[name]

        block_names = self.signals.block_names()
        index: list[int] = []
        of_block: dict[str, list[int]] = {}  # an ``ambiguous_`` copy shares its block's names
        for block_name, size in self.blocks:
            name = block_name.removeprefix("ambiguous_")
            if name not in of_block:
                if name == "words":
                    of_block[name] = [at(f"word:{term}") for term in self.word_terms]
                elif name in ("title", "title_patterns", "title_gate"):
                    of_block[name] = [at("title")] * size
                else:  # "mentions" or "skills"
                    of_block[name] = [at(n) for n in block_names[name]]
            index += of_block[name]
        centered = (self.coef - self.coef.mean(axis=0)) / self.temperature
        return names, np.asarray(index, dtype=np.intp), centered

    def evidence(
        self, features: np.ndarray, class_index: int, title: str | None, *, top: int = EVIDENCE_TOP
    ) -> tuple[str, ...]:
        """Short strings naming the features that pushed the decision most."""
        cols = np.flatnonzero(features)
        return self._evidence((cols, features[cols]), class_index, title, top=top)

    def _evidence(
        self,
        row: tuple[np.ndarray, np.ndarray],
        class_index: int,
        title: str | None,
        *,
        top: int = EVIDENCE_TOP,
    ) -> tuple[str, ...]:
        """:meth:`evidence` of a row given as ``(columns, values)``."""
        names, sums = self._name_sums(row, class_index)
        positive = np.flatnonzero(sums > 0)
        if len(positive) > top:  # only the names that can be among the top need sorting
            kth = np.partition(sums[positive], -top)[-top]
            positive = positive[sums[positive] >= kth]
        ranked = heapq.nsmallest(top, ((-float(sums[i]), names[i]) for i in positive.tolist()))
        return tuple(_describe(name, title) for _v, name in ranked)


def _describe(name: str, title: str | None) -> str:
    if name == "title":
        return f"title: {(title or '').strip().lower()!r}"
    kind, _, value = name.partition(":")
    if kind == "word":
        return f"word: {value}"
    if kind == "skill":
        return f"skill: {value}"
    if kind == "category_share":
        return f"skill category: {value}"
    if kind in ("emphasis", "emphasis_share"):
        return f"skills emphasised by {value}"
    if kind in ("mentions", "mention_head", "mention_share"):
        return f"text names a {value} title"
    return name


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def load_role_model(
    path: str | os.PathLike[str] | None = None, *, check_taxonomy: bool = True
) -> RoleModel:
    """Read a plain model directory (default: the shipped model), once per process.

    Parameters
    ----------
    path : path-like, optional
        A directory written by ``skillgap train`` or
        :meth:`analyzer.classifier.RoleClassifier.save`.
    check_taxonomy : bool
        Refuse a model trained on another taxonomy version than the one in use.

    Returns
    -------
    RoleModel

    Raises
    ------
    ModelError
        For a pickle, a malformed directory or a taxonomy-version mismatch.
    """
    directory = Path(path) if path is not None else default_model_dir()
    try:
        stamp = (directory / "model.json").stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _load(str(directory.resolve()), check_taxonomy, stamp)


@functools.lru_cache(maxsize=8)
def _load(directory: str, check_taxonomy: bool, stamp: int) -> RoleModel:
    """Cached by path, check flag and the modification time of ``model.json``."""
    meta, arrays = read_model_dir(directory)
    if check_taxonomy:
        from analyzer.taxonomy import get_taxonomy

        check_taxonomy_version(meta, str(get_taxonomy().version), source=directory)
    return RoleModel(meta, arrays, source=directory)


def classify_posting(
    text: str,
    *,
    title: str | None = None,
    model: str | os.PathLike[str] | None = None,
    taxonomy_overlays: Sequence[str | os.PathLike[str]] = (),
) -> RolePrediction:
    """Extract the skills of one posting and classify it with a plain model.

    Parameters
    ----------
    text : str
        The posting text.
    title : str, optional
        Its title (default: the first line).
    model : path-like, optional
        A model directory (default: the shipped model).
    taxonomy_overlays : sequence of path-like
        Taxonomy overlay files used when extracting the skills.

    Returns
    -------
    RolePrediction
    """
    role_model = load_role_model(model)
    skills: Sequence[str] = ()
    if role_model.use_skills:
        from analyzer.pipeline import extract_skill_ids

        taxonomy = None
        if taxonomy_overlays:
            from analyzer.taxonomy import get_taxonomy

            taxonomy = get_taxonomy(tuple(str(o) for o in taxonomy_overlays))
        skills = extract_skill_ids([text], taxonomy=taxonomy)[0]
    return role_model.predict(text, title=title, skill_ids=skills)
