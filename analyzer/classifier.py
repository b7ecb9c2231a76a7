"""The role-family classifier: scikit-learn estimators over posting texts.

- :class:`TemperatureLogisticRegression`: a numeric classifier (multinomial
  logistic regression whose logits are divided by a temperature fitted on
  out-of-fold predictions, for calibrated probabilities).
- :class:`RoleClassifier`: the estimator over raw posting texts that users
  import. Features: word TF-IDF of the posting, character n-grams and words of
  the title, the taxonomy title patterns of each family (in the title, and as
  mentions in the text), the posting's skills with their categories and role
  emphasis, and a title gate: the family a title clearly names, or an
  "ambiguous" flag that switches on copies of the description features (the
  labels follow the title when it is clear, the description otherwise). It
  exports itself as plain data (:meth:`RoleClassifier.save`) that the numpy
  scorer :mod:`analyzer.role_model` reads.

Examples
--------
>>> from analyzer import RoleClassifier
>>> clf = RoleClassifier.pretrained()  # doctest: +SKIP
>>> clf.predict(["MLOps Engineer\\nOperate Kubeflow and model serving on EKS."])  # doctest: +SKIP
array(['mlops_engineer'], dtype=object)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from analyzer.__about__ import __version__
from analyzer.errors import ModelError
from analyzer.features import load_signals, make_title_vectorizer, make_word_vectorizer
from analyzer.role_model import AMBIGUOUS_COPIES, RoleModel, default_model_dir
from analyzer.role_tokens import resolve_titles

logger = logging.getLogger(__name__)

__all__ = ["RoleClassifier", "TemperatureLogisticRegression"]


class TemperatureLogisticRegression(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression with temperature-scaled probabilities.

    The temperature ``T`` divides the logits; it is chosen to minimise the
    log-loss of out-of-fold logits (``calibration_cv`` stratified folds), which
    corrects the over-confidence of a weakly regularised model without
    changing its decisions.

    Parameters
    ----------
    C : float
        Inverse L2 regularisation strength.
    class_weight : dict, "balanced" or None
        Class weights of the logistic loss.
    calibration_cv : int
        Folds for fitting the temperature; below 2 (or when a class has fewer
        members than folds) the temperature stays 1.
    max_iter : int
        L-BFGS iterations.
    tol : float
        L-BFGS tolerance.
    random_state : int or None
        Seed of the calibration folds.

    Attributes
    ----------
    classes_ : numpy.ndarray of shape (n_classes,)
        Class labels.
    coef_ : numpy.ndarray of shape (n_classes, n_features)
        One row of logit weights per class (also for two classes).
    intercept_ : numpy.ndarray of shape (n_classes,)
        Logit intercepts.
    temperature_ : float
        The fitted temperature.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [0.2], [0.9], [1.0]]); y = np.array([0, 0, 1, 1])
    >>> clf = TemperatureLogisticRegression(C=10.0, calibration_cv=0).fit(X, y)
    >>> clf.predict([[0.95]]).tolist()
    [1]
    """

    def __init__(
        self,
        C: float = 1.0,
        class_weight: dict | str | None = None,
        calibration_cv: int = 5,
        max_iter: int = 5000,
        tol: float = 1e-6,
        random_state: int | None = None,
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.calibration_cv = calibration_cv
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _logistic(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, tol=self.tol
        )

    @staticmethod
    def _full_rows(model: LogisticRegression) -> tuple[np.ndarray, np.ndarray]:
        coef, intercept = np.asarray(model.coef_), np.asarray(model.intercept_)
        if coef.shape[0] == 1:  # binary: softmax([-d/2, d/2]) == sigmoid(d)
            coef = np.vstack([-coef / 2.0, coef / 2.0])
            intercept = np.array([-intercept[0] / 2.0, intercept[0] / 2.0])
        return coef, intercept

    def fit(self, X: Any, y: Any) -> TemperatureLogisticRegression:
        """Fit the logistic regression, then the temperature.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"needs samples of at least 2 classes; got 1 class ({self.classes_[0]!r})"
            )
        model = self._logistic().fit(X, y_index)
        self.coef_, self.intercept_ = self._full_rows(model)
        self.n_iter_ = np.asarray(model.n_iter_)
        self.temperature_ = self._fit_temperature(X, y_index)
        return self

    def _fit_temperature(self, X: Any, y_index: np.ndarray) -> float:
        folds = int(self.calibration_cv or 0)
        if folds < 2 or np.bincount(y_index).min() < folds:
            return 1.0
        logits = np.zeros((X.shape[0], len(self.classes_)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        for train, test in splitter.split(np.zeros(len(y_index)), y_index):
            if len(np.unique(y_index[train])) < len(self.classes_):
                return 1.0
            model = self._logistic().fit(X[train], y_index[train])
            coef, intercept = self._full_rows(model)
            logits[test] = safe_sparse_dot(X[test], coef.T, dense_output=True) + intercept
        rows = np.arange(len(y_index))

        def loss(log_t: float) -> float:
            return float(-log_softmax(logits / np.exp(log_t), axis=1)[rows, y_index].mean())

        result = minimize_scalar(loss, bounds=(-4.0, 4.0), method="bounded")
        return float(np.exp(result.x))

    def logits(self, X: Any) -> np.ndarray:
        """Temperature-scaled logits of every class, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        logits = safe_sparse_dot(X, self.coef_.T, dense_output=True) + self.intercept_
        return np.asarray(logits) / self.temperature_

    def decision_function(self, X: Any) -> np.ndarray:
        """Logits (n_samples, n_classes); for two classes the 1-d margin of ``classes_[1]``."""
        logits = self.logits(X)
        if logits.shape[1] == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities, columns in the order of ``classes_``; rows sum to 1."""
        return softmax(self.logits(X), axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each sample."""
        logits = self.logits(X)
        return self.classes_[np.argmax(logits, axis=1)]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _as_texts(X: Any) -> list[str]:
    if isinstance(X, str | bytes):
        raise ValueError(
            "expected a list of posting texts, got a single string; wrap it: clf.predict([text])"
        )
    try:
        texts = list(X)
    except TypeError:
        raise ValueError(f"expected a list of posting texts, got {type(X).__name__}") from None
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(f"posting {i} is a {type(text).__name__}, expected str")
    return texts


class RoleClassifier(ClassifierMixin, BaseEstimator):
    """Role family of job postings from their raw text (and title).

    ``X`` is a list of posting texts. The title of each posting is the
    ``titles=`` argument of :meth:`fit` / :meth:`predict` when given, else the
    first line of the text (short lines only). Skills are extracted with
    :func:`analyzer.pipeline.extract_skill_ids` unless passed as ``skill_ids=``.

    Parameters
    ----------
    use_title : bool
        Use the title (character n-grams, words and taxonomy title patterns).
    use_skills : bool
        Use the extracted skills, their categories and the role emphasis.
    word_min_df, word_max_df : int or float
        Document-frequency limits of the word vocabulary.
    title_min_df : int or float
        Minimum document frequency of title n-grams.
    title_ngram_range : tuple of int
        Character n-gram lengths of the title.
    word_weight, title_weight, pattern_weight, mention_weight, skill_weight : float
        Multipliers of each feature block (relative importance under one L2 penalty).
    gate_weight : float
        Weight of the title gate (:meth:`RoleSignals.title_gate`): a one-hot of the
        family the title clearly names, or an "ambiguous" flag (0 disables).
    ambiguous_weight : float
        Weight of the copies of the word, mention and skill blocks that are non-zero
        only where the title is ambiguous, so the description can weigh differently
        where it decides the label (0 disables).
    ambiguous_title_weight : float
        Multiplier of the title blocks in rows with an ambiguous title (1 keeps them).
    C : float
        Inverse regularisation strength of the logistic regression.
    class_weight : dict, "balanced" or None
        Class weights (``"balanced"`` helps the rarer families).
    calibration_cv : int
        Folds used to fit the probability temperature (0 disables).
    max_iter : int
        Solver iterations.
    taxonomy : str, optional
        A taxonomy folder (None: the bundled taxonomy).
    random_state : int or None
        Seed of the calibration folds.

    Attributes
    ----------
    classes_ : numpy.ndarray of shape (n_classes,)
        Family ids.
    word_vectorizer_ : TfidfVectorizer
        Fitted word TF-IDF.
    title_vectorizer_ : TfidfVectorizer or None
        Fitted title TF-IDF (None without titles).
    signals_ : RoleSignals
        Taxonomy signals (title patterns, skills, emphasis).
    classifier_ : TemperatureLogisticRegression
        The fitted numeric classifier.
    blocks_ : list of (str, int)
        Feature blocks and their widths, in column order.
    taxonomy_version_ : str
        Version of the taxonomy used.

    Examples
    --------
    >>> from sklearn.model_selection import cross_val_score
    >>> clf = RoleClassifier(use_skills=False, calibration_cv=0)
    >>> clf.get_params()["use_title"]
    True
    """

    def __init__(
        self,
        *,
        use_title: bool = True,
        use_skills: bool = True,
        word_min_df: int | float = 5,
        word_max_df: float = 0.9,
        title_min_df: int | float = 2,
        title_ngram_range: tuple[int, int] = (2, 5),
        word_weight: float = 1.0,
        title_weight: float = 1.0,
        pattern_weight: float = 1.0,
        mention_weight: float = 0.3,
        skill_weight: float = 0.3,
        gate_weight: float = 1.0,
        ambiguous_weight: float = 1.0,
        ambiguous_title_weight: float = 1.0,
        C: float = 30.0,
        class_weight: dict | str | None = "balanced",
        calibration_cv: int = 5,
        max_iter: int = 5000,
        taxonomy: str | None = None,
        random_state: int | None = 0,
    ) -> None:
        self.use_title = use_title
        self.use_skills = use_skills
        self.word_min_df = word_min_df
        self.word_max_df = word_max_df
        self.title_min_df = title_min_df
        self.title_ngram_range = title_ngram_range
        self.word_weight = word_weight
        self.title_weight = title_weight
        self.pattern_weight = pattern_weight
        self.mention_weight = mention_weight
        self.skill_weight = skill_weight
        self.gate_weight = gate_weight
        self.ambiguous_weight = ambiguous_weight
        self.ambiguous_title_weight = ambiguous_title_weight
        self.C = C
        self.class_weight = class_weight
        self.calibration_cv = calibration_cv
        self.max_iter = max_iter
        self.taxonomy = taxonomy
        self.random_state = random_state

    # ------------------------------------------------------------------ inputs

    def _skills(
        self, texts: list[str], skill_ids: Sequence[Sequence[str]] | None
    ) -> list[Sequence[str]] | None:
        if not self.use_skills:
            return None
        if skill_ids is not None:
            if len(skill_ids) != len(texts):
                raise ValueError(f"got {len(skill_ids)} skill lists for {len(texts)} texts")
            return list(skill_ids)
        from analyzer.pipeline import extract_skill_ids

        taxonomy = None
        if self.taxonomy is not None:
            from analyzer.taxonomy import load_taxonomy

            taxonomy = load_taxonomy(self.taxonomy)
        return extract_skill_ids(texts, taxonomy=taxonomy)

    def _features(
        self,
        texts: list[str],
        titles: Sequence[str | None] | None,
        skill_ids: Sequence[Sequence[str]] | None,
        *,
        fit: bool = False,
    ) -> sparse.csr_matrix:
        resolved = resolve_titles(texts, titles, use_title=self.use_title)
        skills = self._skills(texts, skill_ids)
        if fit:
            self.word_vectorizer_ = make_word_vectorizer(
                min_df=_small_data_df(self.word_min_df, len(texts)), max_df=self.word_max_df
            )
            self.word_vectorizer_.fit(texts)
            self.title_vectorizer_ = None
            if self.use_title:
                self.title_vectorizer_ = make_title_vectorizer(
                    min_df=_small_data_df(self.title_min_df, len(texts)),
                    ngram_range=tuple(self.title_ngram_range),
                )
                try:
                    self.title_vectorizer_.fit(resolved)
                except ValueError:
                    raise ValueError(
                        "no title features: the postings have no titles (give titles= or put "
                        "the title on the first line), or use RoleClassifier(use_title=False)"
                    ) from None
        blocks: list[tuple[str, Any]] = [
            ("words", self.word_vectorizer_.transform(texts) * self.word_weight)
        ]
        gate = self.signals_.title_gate(resolved) if self.use_title else None
        if self.use_title:
            assert self.title_vectorizer_ is not None and gate is not None
            # the title counts less where it names no family clearly
            rows = sparse.diags(1.0 + (self.ambiguous_title_weight - 1.0) * gate[:, -1])
            title = self.title_vectorizer_.transform(resolved) * self.title_weight
            blocks.append(("title", sparse.csr_matrix(rows @ title)))
            title_block = self.signals_.title_block(resolved) * self.pattern_weight
            blocks.append(("title_patterns", sparse.csr_matrix(rows @ title_block)))
        mentions = self.signals_.mention_block(texts) * self.mention_weight
        blocks.append(("mentions", sparse.csr_matrix(mentions)))
        if self.use_skills:
            assert skills is not None
            skill_block = self.signals_.skill_block(skills) * self.skill_weight
            blocks.append(("skills", sparse.csr_matrix(skill_block)))
        if gate is not None:
            if self.gate_weight:
                blocks.append(("title_gate", sparse.csr_matrix(gate * self.gate_weight)))
            if self.ambiguous_weight:
                ambiguous = sparse.diags(gate[:, -1] * self.ambiguous_weight, format="csr")
                for name in AMBIGUOUS_COPIES:
                    base = next((b for n, b in blocks if n == name), None)
                    if base is not None:
                        blocks.append((f"ambiguous_{name}", sparse.csr_matrix(ambiguous @ base)))
        if fit:
            self.blocks_ = [(name, int(block.shape[1])) for name, block in blocks]
        return sparse.hstack([block for _, block in blocks], format="csr", dtype=np.float64)

    # ------------------------------------------------------------------ estimator API

    def fit(
        self,
        X: Sequence[str],
        y: Any,
        *,
        titles: Sequence[str | None] | None = None,
        skill_ids: Sequence[Sequence[str]] | None = None,
    ) -> RoleClassifier:
        """Fit the vectorizers and the classifier on labelled postings.

        Parameters
        ----------
        X : sequence of str
            Posting texts.
        y : array-like of str
            Role family of each posting.
        titles : sequence of (str or None), optional
            Titles (default: first line of each text).
        skill_ids : sequence of sequence of str, optional
            Skill ids of each posting (default: extracted from the text).

        Returns
        -------
        self
        """
        texts = _as_texts(X)
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(texts):
            raise ValueError(f"y must be 1-d with one label per text; got shape {y.shape}")
        check_classification_targets(y)
        self.signals_ = load_signals(self.taxonomy)
        self.taxonomy_version_ = self.signals_.taxonomy_version
        features = self._features(texts, titles, skill_ids, fit=True)
        self.classifier_ = TemperatureLogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            calibration_cv=self.calibration_cv,
            max_iter=self.max_iter,
            random_state=self.random_state,
        ).fit(features, y)
        self.classes_ = self.classifier_.classes_
        return self

    def decision_function(
        self,
        X: Sequence[str],
        *,
        titles: Sequence[str | None] | None = None,
        skill_ids: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """Temperature-scaled logits (for two classes, the 1-d margin of ``classes_[1]``)."""
        return self.classifier_.decision_function(self._transform(X, titles, skill_ids))

    def _transform(
        self,
        X: Sequence[str],
        titles: Sequence[str | None] | None,
        skill_ids: Sequence[Sequence[str]] | None,
    ) -> sparse.csr_matrix:
        check_is_fitted(self, "classifier_")
        return self._features(_as_texts(X), titles, skill_ids)

    def predict_proba(
        self,
        X: Sequence[str],
        *,
        titles: Sequence[str | None] | None = None,
        skill_ids: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """Calibrated probabilities over ``classes_``; each row sums to 1."""
        return self.classifier_.predict_proba(self._transform(X, titles, skill_ids))

    def predict(
        self,
        X: Sequence[str],
        *,
        titles: Sequence[str | None] | None = None,
        skill_ids: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """The most probable family of each posting."""
        return self.classifier_.predict(self._transform(X, titles, skill_ids))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.non_deterministic = False
        return tags

    # ------------------------------------------------------------------ plain export

    def to_data(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """The fitted model as plain data: JSON-able metadata and float arrays.

        Returns
        -------
        meta : dict
        arrays : dict of str to numpy.ndarray

        Raises
        ------
        ModelError
            If a class is not a role family of the taxonomy.
        """
        check_is_fitted(self, "classifier_")
        unknown = [str(c) for c in self.classes_ if str(c) not in self.signals_.families]
        if unknown:
            raise ModelError(
                f"labels {unknown} are not role families of taxonomy "
                f"{self.taxonomy_version_!r} ({', '.join(self.signals_.families)})"
            )
        params = self.get_params()
        params["title_ngram_range"] = list(params["title_ngram_range"])
        params.pop("taxonomy")

        def vocab(vectorizer: Any) -> tuple[list[str], np.ndarray]:
            if vectorizer is None:
                return [], np.zeros(0)
            terms = [""] * len(vectorizer.vocabulary_)
            for term, col in vectorizer.vocabulary_.items():
                terms[col] = term
            return terms, np.asarray(vectorizer.idf_, dtype=np.float64)

        word_terms, word_idf = vocab(self.word_vectorizer_)
        title_terms, title_idf = vocab(self.title_vectorizer_)
        meta = {
            "skillgap_version": __version__,
            "taxonomy_version": self.taxonomy_version_,
            "classes": [str(c) for c in self.classes_],
            "params": params,
            "signals": self.signals_.to_dict(),
            "blocks": [[name, size] for name, size in self.blocks_],
            "word_vocabulary": word_terms,
            "title_vocabulary": title_terms,
            "temperature": float(self.classifier_.temperature_),
        }
        arrays = {
            "coef": self.classifier_.coef_,
            "intercept": self.classifier_.intercept_,
            "word_idf": word_idf,
            "title_idf": title_idf,
        }
        return meta, arrays

    def to_role_model(self) -> RoleModel:
        """The numpy scorer of this fitted estimator (same probabilities)."""
        meta, arrays = self.to_data()
        return RoleModel.from_data(meta, arrays, source="<fitted RoleClassifier>")

    def save(self, path: str | os.PathLike[str], *, training: dict[str, Any] | None = None) -> str:
        """Write the fitted model as a plain model directory (``model.json`` + ``weights.npz``).

        Parameters
        ----------
        path : path-like
            Output directory (created; must be empty or a previous model).
        training : dict, optional
            JSON-able facts about the training data to record.

        Returns
        -------
        str
            The directory written.
        """
        from analyzer.model_io import write_model_dir

        meta, arrays = self.to_data()
        if training is not None:
            meta["training"] = training
        return str(write_model_dir(path, meta, arrays))

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, check_taxonomy: bool = True) -> RoleClassifier:
        """A fitted estimator rebuilt from a plain model directory (never a pickle).

        Parameters
        ----------
        path : path-like
            A directory written by :meth:`save` or ``skillgap train``.
        check_taxonomy : bool
            Refuse a model trained on another taxonomy version.

        Returns
        -------
        RoleClassifier

        Raises
        ------
        ModelError
            For a pickle, a malformed directory or a taxonomy-version mismatch.
        """
        from analyzer.model_io import check_taxonomy_version, read_model_dir

        meta, arrays = read_model_dir(path)
        model = RoleModel(meta, arrays, source=str(path))  # validates shapes
        signals_version = model.signals.taxonomy_version
        if check_taxonomy:
            check_taxonomy_version(meta, load_signals(None).taxonomy_version, source=str(path))
        params = dict(meta["params"])
        params["title_ngram_range"] = tuple(params["title_ngram_range"])
        for name in ("gate_weight", "ambiguous_weight"):  # models from before the title gate
            params.setdefault(name, 0.0)
        try:
            clf = cls(**params)
        except TypeError as exc:
            raise ModelError(f"{path}: unknown parameters in model.json ({exc})") from None
        clf.signals_ = model.signals
        clf.taxonomy_version_ = signals_version
        clf.blocks_ = list(model.blocks)
        clf.word_vectorizer_ = _fitted_vectorizer(
            make_word_vectorizer(min_df=1), model.word_terms, model.word_idf
        )
        clf.title_vectorizer_ = None
        if clf.use_title:
            clf.title_vectorizer_ = _fitted_vectorizer(
                make_title_vectorizer(ngram_range=model.title_ngram_range),
                model.title_terms,
                model.title_idf,
            )
        inner = TemperatureLogisticRegression(
            C=clf.C, class_weight=clf.class_weight, calibration_cv=clf.calibration_cv
        )
        inner.classes_ = np.asarray(model.classes, dtype=object)
        inner.coef_ = model.coef
        inner.intercept_ = model.intercept
        inner.temperature_ = model.temperature
        inner.n_iter_ = np.zeros(1, dtype=np.int32)
        inner.n_features_in_ = model.coef.shape[1]
        clf.classifier_ = inner
        clf.classes_ = inner.classes_
        return clf

    @classmethod
    def pretrained(cls) -> RoleClassifier:
        """The shipped model (``analyzer/models/role``), trained on the dev postings.

        Returns
        -------
        RoleClassifier
            A fitted estimator; refit it or use it as is.
        """
        return cls.load(default_model_dir())


def _fitted_vectorizer(vectorizer: Any, terms: list[str], idf: np.ndarray) -> Any:
    vectorizer.vocabulary_ = {term: i for i, term in enumerate(terms)}
    vectorizer.idf_ = idf
    return vectorizer


def _small_data_df(min_df: int | float, n_postings: int) -> int | float:
    """An integer ``min_df`` capped at 5% of the postings (at least 1), so small sets train."""
    if isinstance(min_df, float):
        return min_df
    return max(1, min(int(min_df), n_postings // 20))
