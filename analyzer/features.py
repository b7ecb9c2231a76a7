"""scikit-learn feature makers of the role classifier.

- :func:`make_word_vectorizer` / :func:`make_title_vectorizer`: TF-IDF over the
  shared tokenisers of :mod:`analyzer.role_tokens` (no lambdas, so estimators
  stay cloneable and the numpy scorer can reproduce them from vocabulary + idf).
- :class:`SkillFeatures`: a transformer over *lists of taxonomy skill ids*
  (skill indicators, category shares and role-emphasis coverage).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from analyzer.role_signals import RoleSignals
from analyzer.role_tokens import title_analyzer, word_analyzer

logger = logging.getLogger(__name__)

__all__ = ["SkillFeatures", "load_signals", "make_title_vectorizer", "make_word_vectorizer"]


def make_word_vectorizer(*, min_df: int | float = 5, max_df: float = 0.9) -> TfidfVectorizer:
    """TF-IDF over the word unigrams and bigrams of a posting.

    Parameters
    ----------
    min_df : int or float
        Ignore terms found in fewer postings (keeps company names and one-off
        boilerplate out of the vocabulary).
    max_df : float
        Ignore terms found in more than this share of postings.

    Returns
    -------
    sklearn.feature_extraction.text.TfidfVectorizer
        With sublinear tf, smooth idf and l2 rows; ``analyzer`` is
        :func:`analyzer.role_tokens.word_analyzer`.
    """
    return TfidfVectorizer(
        analyzer=word_analyzer,
        min_df=min_df,
        max_df=max_df,
        sublinear_tf=True,
        dtype=np.float64,
    )


def make_title_vectorizer(
    *, min_df: int | float = 2, ngram_range: tuple[int, int] = (2, 5)
) -> TfidfVectorizer:
    """TF-IDF over the character n-grams and words of the folded title.

    Parameters
    ----------
    min_df : int or float
        Ignore n-grams found in fewer titles.
    ngram_range : tuple of int
        Character n-gram lengths.

    Returns
    -------
    sklearn.feature_extraction.text.TfidfVectorizer
        ``analyzer`` is :func:`analyzer.role_tokens.title_analyzer` (a
        ``functools.partial`` with ``ngram_range``).
    """
    return TfidfVectorizer(
        analyzer=functools.partial(title_analyzer, ngram_range=tuple(ngram_range)),
        min_df=min_df,
        sublinear_tf=True,
        dtype=np.float64,
    )


def load_signals(taxonomy: str | None = None) -> RoleSignals:
    """The :class:`RoleSignals` of the taxonomy folder ``taxonomy`` (None: the bundled one).

    Parameters
    ----------
    taxonomy : str, optional
        A taxonomy folder; None uses :func:`analyzer.taxonomy.get_taxonomy`.

    Returns
    -------
    RoleSignals
    """
    from analyzer.taxonomy import get_taxonomy, load_taxonomy

    tax = get_taxonomy() if taxonomy is None else load_taxonomy(taxonomy)
    return RoleSignals.from_taxonomy(tax)


class SkillFeatures(TransformerMixin, BaseEstimator):
    """Skill-id lists to skill indicators, category shares and role-emphasis coverage.

    Parameters
    ----------
    taxonomy : str, optional
        A taxonomy folder whose skills, categories and role emphasis define the
        columns; None uses the bundled taxonomy. Read in :meth:`fit`.

    Attributes
    ----------
    signals_ : RoleSignals
        The taxonomy data the columns come from.
    n_features_in_ : int
        Always 1: each sample is one list of skill ids.

    Examples
    --------
    >>> features = SkillFeatures().fit([["python"], ["rag", "llms"]])  # doctest: +SKIP
    >>> features.transform([["python", "not_a_skill"]]).shape  # doctest: +SKIP
    (1, 240)
    """

    def __init__(self, taxonomy: str | None = None) -> None:
        self.taxonomy = taxonomy

    def fit(self, X: Sequence[Sequence[str]], y: Any = None) -> SkillFeatures:
        """Read the taxonomy; the skill lists themselves are not needed.

        Parameters
        ----------
        X : sequence of sequence of str
            Skill ids of each posting.
        y : ignored

        Returns
        -------
        self
        """
        _check_skill_lists(X)
        self.signals_ = load_signals(self.taxonomy)
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        """Dense features of each skill list (ids outside the taxonomy are ignored).

        Parameters
        ----------
        X : sequence of sequence of str

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self, "signals_")
        _check_skill_lists(X)
        return self.signals_.skill_block(X)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``skill:<id>``, ``category_share:<category>``, ``emphasis[_share]:<family>``."""
        check_is_fitted(self, "signals_")
        return np.asarray(self.signals_.block_names()["skills"], dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags


def _check_skill_lists(X: Any) -> None:
    if isinstance(X, str) or not hasattr(X, "__len__"):
        raise ValueError("expected a sequence of skill-id lists, one per posting")
    for row in X:
        if isinstance(row, str):
            raise ValueError(
                "each sample must be a list of skill ids, not a string; wrap it: [['python']]"
            )
