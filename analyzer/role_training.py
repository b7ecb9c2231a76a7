"""Train and evaluate the role classifier from labelled posting files.

Labelled data is JSONL or CSV with a text column (``text`` or
``description``), an optional ``title`` column, an optional ``company``
column (its name is blanked out of the text so the model learns the work,
not the employer) and the family either inline (``family``, ``label`` or
``role``) or in a second file of ``{"id", "family"}`` rows joined on ``id``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.errors import InputError, ModelError

logger = logging.getLogger(__name__)

__all__ = [
    "Evaluation",
    "LabelledPostings",
    "cross_validate",
    "load_labelled",
    "train_model",
]

TEXT_COLUMNS = ("text", "description")
LABEL_COLUMNS = ("family", "label", "role")
SEED = 0


@dataclass(frozen=True)
class LabelledPostings:
    """Postings with their role family, ready for training.

    ``texts`` are title + text when a title column exists (a title is the
    first line of a posting), with the company name blanked out.
    """

    ids: tuple[str, ...]
    texts: tuple[str, ...]
    titles: tuple[str | None, ...]
    labels: tuple[str, ...]
    sha256: str = ""

    def __len__(self) -> int:
        return len(self.ids)


def _read_rows(path: Path) -> list[dict[str, Any]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    if path.suffix.lower() == ".csv":
        return [dict(row) for row in csv.DictReader(raw.splitlines())]
    rows = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{path}: line {number}: expected a JSON object")
        rows.append(row)
    return rows


def _first(row: dict[str, Any], names: Sequence[str]) -> Any:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    return None


def _strip_company(text: str, company: str | None) -> str:
    if not company or len(company.strip()) < 3:
        return text
    return re.sub(re.escape(company.strip()), " ", text, flags=re.IGNORECASE)


def load_labelled(
    data: str | os.PathLike[str], labels: str | os.PathLike[str] | None = None
) -> LabelledPostings:
    """Read labelled postings from JSONL or CSV (labels inline or in a second file).

    Parameters
    ----------
    data : path-like
        JSONL or CSV rows with ``text``/``description``, optional ``title``,
        ``company`` and ``id``, and the family inline unless ``labels`` is given.
    labels : path-like, optional
        JSONL or CSV rows ``{"id", "family"}`` joined on ``id``.

    Returns
    -------
    LabelledPostings

    Raises
    ------
    InputError
        For unreadable files, missing columns, unlabelled or unknown ids.
    """
    data_path = Path(data)
    rows = _read_rows(data_path)
    if not rows:
        raise InputError(f"{data_path}: no postings")
    by_id: dict[str, str] = {}
    if labels is not None:
        for row in _read_rows(Path(labels)):
            family = _first(row, LABEL_COLUMNS)
            if row.get("id") in (None, "") or family is None:
                raise InputError(f"{labels}: every row needs 'id' and 'family'")
            by_id[str(row["id"])] = str(family)
    ids, texts, titles, families = [], [], [], []
    for number, row in enumerate(rows, start=1):
        ident = str(row.get("id") or number)
        text = _first(row, TEXT_COLUMNS)
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{data_path}: row {number} ({ident}): no 'text' or 'description'")
        family = by_id.get(ident) if labels is not None else _first(row, LABEL_COLUMNS)
        if family is None:
            where = f"in {labels}" if labels is not None else "(no 'family' column)"
            raise InputError(f"{data_path}: row {number} ({ident}) has no label {where}")
        title = _first(row, ("title",))
        title = str(title).strip() if title is not None else None
        text = _strip_company(text, row.get("company"))
        if title and not text.lstrip().startswith(title):
            text = f"{title}\n{text}"
        ids.append(ident)
        texts.append(text)
        titles.append(title)
        families.append(str(family))
    digest = hashlib.sha256()
    for ident, text, family in zip(ids, texts, families, strict=True):
        digest.update(f"{ident}\0{family}\0{text}\0".encode())
    return LabelledPostings(
        tuple(ids), tuple(texts), tuple(titles), tuple(families), digest.hexdigest()
    )


def _check_families(data: LabelledPostings, families: Sequence[str]) -> None:
    unknown = sorted(set(data.labels) - set(families))
    if unknown:
        raise InputError(
            f"labels {', '.join(unknown)} are not role families (expected one of "
            f"{', '.join(families)})"
        )
    if len(set(data.labels)) < 2:
        raise InputError("training needs postings of at least two role families")


def train_model(
    data: LabelledPostings,
    out: str | os.PathLike[str],
    *,
    skill_ids: Sequence[Sequence[str]] | None = None,
    taxonomy_overlays: Sequence[str | os.PathLike[str]] = (),
    **params: Any,
) -> str:
    """Fit a :class:`~analyzer.classifier.RoleClassifier` and write it in the plain format.

    Seeded and deterministic: the same data gives the same files, byte for byte.

    Parameters
    ----------
    data : LabelledPostings
        From :func:`load_labelled`.
    out : path-like
        Model directory to write.
    skill_ids : sequence of sequence of str, optional
        Precomputed skill ids (default: extracted).
    taxonomy_overlays : sequence of path-like
        Taxonomy overlay files used when extracting the skills.
    **params
        :class:`RoleClassifier` parameters.

    Returns
    -------
    str
        The directory written.
    """
    from analyzer.classifier import RoleClassifier
    from analyzer.features import load_signals

    _check_families(data, load_signals(params.get("taxonomy")).families)
    if skill_ids is None and taxonomy_overlays and params.get("use_skills", True):
        skill_ids = _extract_skills(list(data.texts), taxonomy_overlays)
    clf = RoleClassifier(random_state=SEED, **params)
    clf.fit(list(data.texts), np.asarray(data.labels), titles=data.titles, skill_ids=skill_ids)
    counts = {f: data.labels.count(f) for f in sorted(set(data.labels))}
    training = {"n_postings": len(data), "class_counts": counts, "data_sha256": data.sha256}
    try:
        return clf.save(out, training=training)
    except ModelError:
        raise
    except OSError as exc:
        raise ModelError(f"{out}: cannot write the model ({exc})") from None


@dataclass(frozen=True)
class Evaluation:
    """Cross-validated quality of the role classifier on labelled postings."""

    classes: tuple[str, ...]
    per_class: dict[str, dict[str, float]]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]
    brier: float
    log_loss: float
    reliability: list[dict[str, float]]
    folds: int
    n_postings: int
    predictions: tuple[str, ...] = field(default=(), repr=False)
    probabilities: np.ndarray | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (without the per-posting predictions)."""
        return {
            "n_postings": self.n_postings,
            "folds": self.folds,
            "classes": list(self.classes),
            "per_class": self.per_class,
            "macro_f1": round(self.macro_f1, 6),
            "accuracy": round(self.accuracy, 6),
            "confusion_matrix": self.confusion,
            "brier": round(self.brier, 6),
            "log_loss": round(self.log_loss, 6),
            "reliability": self.reliability,
        }


def reliability_table(
    confidence: np.ndarray, correct: np.ndarray, *, bins: int = 5
) -> list[dict[str, float]]:
    """Mean confidence against accuracy of the top prediction, in equal-width bins."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        mask = (confidence > low) & (confidence <= high)
        if mask.any():
            rows.append(
                {
                    "low": round(float(low), 2),
                    "high": round(float(high), 2),
                    "n": int(mask.sum()),
                    "confidence": round(float(confidence[mask].mean()), 4),
                    "accuracy": round(float(correct[mask].mean()), 4),
                }
            )
    return rows


def summarize(
    labels: Sequence[str], probabilities: np.ndarray, classes: Sequence[str], *, folds: int
) -> Evaluation:
    """Per-class precision/recall/F1, macro-F1, confusion matrix and calibration figures."""
    from sklearn.metrics import confusion_matrix, log_loss, precision_recall_fscore_support

    classes = list(classes)
    y = np.asarray(labels)
    predicted = np.asarray(classes, dtype=object)[np.argmax(probabilities, axis=1)].astype(str)
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predicted, labels=classes, zero_division=0
    )
    per_class = {
        c: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for c, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
    }
    onehot = (y[:, None] == np.asarray(classes)[None, :]).astype(float)
    confidence = probabilities.max(axis=1)
    return Evaluation(
        classes=tuple(classes),
        per_class=per_class,
        macro_f1=float(np.mean(f1)),
        accuracy=float(np.mean(predicted == y)),
        confusion=confusion_matrix(y, predicted, labels=classes).tolist(),
        brier=float(np.mean(np.sum((probabilities - onehot) ** 2, axis=1))),
        log_loss=float(log_loss(y, probabilities, labels=classes)),
        reliability=reliability_table(confidence, predicted == y),
        folds=folds,
        n_postings=len(y),
        predictions=tuple(predicted),
        probabilities=probabilities,
    )


def cross_validate(
    data: LabelledPostings,
    *,
    cv: int = 5,
    use_title: bool = True,
    skill_ids: Sequence[Sequence[str]] | None = None,
    taxonomy_overlays: Sequence[str | os.PathLike[str]] = (),
    **params: Any,
) -> Evaluation:
    """Stratified, seeded ``cv``-fold cross-validation of the role classifier.

    Parameters
    ----------
    data : LabelledPostings
        From :func:`load_labelled`.
    cv : int
        Number of folds (at least 2, at most the size of the smallest class).
    use_title : bool
        False evaluates on the description alone (title line removed, no titles).
    skill_ids : sequence of sequence of str, optional
        Precomputed skill ids (default: extracted once, before splitting).
    taxonomy_overlays : sequence of path-like
        Taxonomy overlay files used when extracting the skills.
    **params
        :class:`RoleClassifier` parameters.

    Returns
    -------
    Evaluation
    """
    from sklearn.model_selection import StratifiedKFold

    from analyzer.classifier import RoleClassifier

    y = np.asarray(data.labels)
    smallest = min(data.labels.count(c) for c in set(data.labels))
    if cv < 2 or cv > smallest:
        raise InputError(
            f"--cv must be between 2 and {smallest} (the smallest class) for this data"
        )
    texts = (
        list(data.texts)
        if use_title
        else [_without_title(t, s) for t, s in zip(data.texts, data.titles, strict=True)]
    )
    titles = list(data.titles) if use_title else None
    if skill_ids is None and params.get("use_skills", True):
        skill_ids = _extract_skills(texts, taxonomy_overlays)
    classes = sorted(set(data.labels))
    probabilities = np.zeros((len(y), len(classes)))
    splitter = StratifiedKFold(cv, shuffle=True, random_state=SEED)
    for train, test in splitter.split(np.zeros(len(y)), y):
        clf = RoleClassifier(use_title=use_title, random_state=SEED, **params)

        def pick(seq: Sequence[Any] | None, idx: np.ndarray) -> list[Any] | None:
            return None if seq is None else [seq[i] for i in idx]

        clf.fit(
            pick(texts, train),
            y[train],
            titles=pick(titles, train),
            skill_ids=pick(skill_ids, train),
        )
        proba = clf.predict_proba(
            pick(texts, test), titles=pick(titles, test), skill_ids=pick(skill_ids, test)
        )
        cols = [classes.index(c) for c in clf.classes_]
        probabilities[np.ix_(test, cols)] = proba
    return summarize(data.labels, probabilities, classes, folds=cv)


def _extract_skills(
    texts: Sequence[str], overlays: Sequence[str | os.PathLike[str]] = ()
) -> list[list[str]]:
    """Skill ids of each text, with the bundled taxonomy plus ``overlays``."""
    from analyzer.pipeline import extract_skill_ids

    taxonomy = None
    if overlays:
        from analyzer.taxonomy import get_taxonomy

        taxonomy = get_taxonomy(tuple(str(o) for o in overlays))
    return extract_skill_ids(texts, taxonomy=taxonomy)


def _without_title(text: str, title: str | None) -> str:
    if title and text.startswith(title):
        return text[len(title) :].lstrip("\n")
    return text
