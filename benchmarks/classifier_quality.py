"""Role classifier quality: 5-fold cross-validated macro-F1 on the dev postings.

Run from the repository root (needs ../shared/postings-dev)::

    .venv/bin/python benchmarks/classifier_quality.py [--folds 5] [--json]

Reports, on the same seeded stratified folds:

- ``RoleClassifier()`` with titles (target: macro-F1 >= 0.88);
- ``RoleClassifier(use_title=False, C=10, skill_weight=0.15)`` on the description
  alone (target: >= 0.75);
- three baselines: a title-keyword rule (taxonomy ``title_patterns``), word
  TF-IDF + logistic regression (with and without titles), and character n-grams
  of the title + word TF-IDF of the description + logistic regression;

with per-class precision/recall/F1, the confusion matrix and calibration
(Brier score, reliability table) of the classifier's out-of-fold probabilities.
Not a unit test: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from analyzer.role_render import write_evaluation_text
from analyzer.role_signals import pattern_key
from analyzer.role_training import SEED, _without_title, cross_validate, load_labelled
from analyzer.taxonomy import get_taxonomy

SHARED = Path(__file__).resolve().parents[2] / "shared" / "postings-dev"
DESCRIPTION_ONLY = {"C": 10.0, "skill_weight": 0.15}


def title_rule(titles: list[str | None]) -> list[str]:
    """Baseline 1: the family whose title pattern matches (longest wins; ML families beat other)."""
    roles = get_taxonomy().roles
    out = []
    for title in titles:
        key = pattern_key(title or "")
        best: tuple[int, int, str] = (-1, -1, "other")
        for fam, role in roles.items():
            for pattern in role.title_patterns:
                pkey = pattern_key(pattern)
                if pkey in key:
                    rank = (int(fam != "other"), len(pkey), fam)
                    best = max(best, rank)
        out.append(best[2])
    return out


def _lr_predict(train_x, train_y, test_x) -> np.ndarray:
    model = LogisticRegression(max_iter=5000, C=10.0, class_weight="balanced")
    return model.fit(train_x, train_y).predict(test_x)


def baselines(data, folds) -> dict[str, float]:
    y = np.asarray(data.labels)
    texts = list(data.texts)
    bodies = [_without_title(t, s) for t, s in zip(data.texts, data.titles, strict=True)]
    titles = [t or "" for t in data.titles]
    preds = {k: np.empty(len(y), dtype=object) for k in ("words", "words_no_title", "chars")}
    for train, test in folds:
        for name, source in (("words", texts), ("words_no_title", bodies)):
            vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
            xtr = vec.fit_transform([source[i] for i in train])
            preds[name][test] = _lr_predict(xtr, y[train], vec.transform([source[i] for i in test]))
        cvec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        wvec = TfidfVectorizer(sublinear_tf=True, min_df=2)
        xtr = sparse.hstack(
            [
                cvec.fit_transform([titles[i] for i in train]),
                wvec.fit_transform([bodies[i] for i in train]),
            ]
        ).tocsr()
        xte = sparse.hstack(
            [cvec.transform([titles[i] for i in test]), wvec.transform([bodies[i] for i in test])]
        ).tocsr()
        preds["chars"][test] = _lr_predict(xtr, y[train], xte)
    rule = np.asarray(title_rule(list(data.titles)))
    return {
        "title keyword rule": f1_score(y, rule, average="macro"),
        "word TF-IDF + LR (with title)": f1_score(y, preds["words"].astype(str), average="macro"),
        "word TF-IDF + LR (description only)": f1_score(
            y, preds["words_no_title"].astype(str), average="macro"
        ),
        "title char n-grams + word TF-IDF + LR": f1_score(
            y, preds["chars"].astype(str), average="macro"
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"needs {SHARED}", file=sys.stderr)
        return 2
    data = load_labelled(SHARED / "postings.jsonl", SHARED / "roles.jsonl")
    y = np.asarray(data.labels)
    splitter = StratifiedKFold(args.folds, shuffle=True, random_state=SEED)
    folds = list(splitter.split(np.zeros(len(y)), y))
    start = time.perf_counter()
    with_title = cross_validate(data, cv=args.folds)
    without_title = cross_validate(data, cv=args.folds, use_title=False, **DESCRIPTION_ONLY)
    base = baselines(data, folds)
    elapsed = time.perf_counter() - start
    if args.json:
        print(
            json.dumps(
                {
                    "with_title": with_title.to_dict(),
                    "description_only": without_title.to_dict(),
                    "baselines": {k: round(v, 4) for k, v in base.items()},
                },
                indent=2,
            )
        )
        return 0
    print("== RoleClassifier, with titles ==")
    write_evaluation_text(with_title, sys.stdout)
    print("\n== RoleClassifier, description only ==")
    write_evaluation_text(without_title, sys.stdout)
    print("\n== baselines (same folds) ==")
    for name, score in base.items():
        print(f"{name:<40} macro-F1 {score:.3f}")
    print(
        f"\nRoleClassifier: {with_title.macro_f1:.3f} with titles (target 0.88), "
        f"{without_title.macro_f1:.3f} description only (target 0.75); {elapsed:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
