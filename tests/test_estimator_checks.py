"""scikit-learn API compliance of the role classifier's numeric parts, plus SkillFeatures.

``parametrize_with_checks`` runs the full scikit-learn suite on
:class:`TemperatureLogisticRegression` (with and without the calibration
folds). It needs no expected failures: every check passes.

It does not apply to :class:`RoleClassifier` (its samples are posting texts,
while the common checks feed numeric 2-d arrays) nor to :class:`SkillFeatures`
(samples are lists of skill ids); those get behavioural tests here and in
``test_classifier.py`` (clone, get/set_params, Pipeline, cross_val_score,
GridSearchCV, shapes, probabilities).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from analyzer.classifier import TemperatureLogisticRegression
from analyzer.features import SkillFeatures

# No check is expected to fail; an entry here would need a written reason.
EXPECTED_FAILED_CHECKS: dict[str, str] = {}


@parametrize_with_checks(
    [
        TemperatureLogisticRegression(calibration_cv=0),
        TemperatureLogisticRegression(calibration_cv=3, random_state=0),
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible(estimator, check) -> None:
    check(estimator)


def test_temperature_is_fitted_on_out_of_fold_logits() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 5))
    y = (X[:, 0] + 0.8 * rng.normal(size=120) > 0).astype(int)
    plain = TemperatureLogisticRegression(C=1e4, calibration_cv=0).fit(X, y)
    scaled = TemperatureLogisticRegression(C=1e4, calibration_cv=5, random_state=0).fit(X, y)
    assert plain.temperature_ == 1.0
    assert scaled.temperature_ != 1.0
    np.testing.assert_array_equal(plain.predict(X), scaled.predict(X))  # decisions unchanged
    np.testing.assert_allclose(scaled.predict_proba(X).sum(axis=1), 1.0)


def test_skill_features_shape_names_and_unknown_ids() -> None:
    features = SkillFeatures().fit([["python"], ["rag"]])
    names = list(features.get_feature_names_out())
    out = features.transform([["python", "not_a_skill"], [], ["rag", "rag"]])
    assert out.shape == (3, len(names))
    assert out[0, names.index("skill:python")] == 1.0
    assert out[1].sum() == 0.0
    assert out[2, names.index("skill:rag")] == 1.0
    assert "category_share:genai" in names and "emphasis:ai_engineer" in names
    assert out[2, names.index("category_share:genai")] == 1.0
    assert out[2, names.index("emphasis_share:ai_engineer")] == pytest.approx(
        out[2, [i for i, n in enumerate(names) if n.startswith("emphasis_share:")]].max()
    )
    same = features.transform([["not_a_skill"]])
    assert same.sum() == 0.0


def test_skill_features_refuse_bare_strings_and_clone() -> None:
    features = SkillFeatures()
    with pytest.raises(ValueError, match="not a string"):
        features.fit(["python", "rag"])
    assert clone(features).get_params() == {"taxonomy": None}
