"""Writers for role predictions and evaluations: ``write_x(result, stream)``, never print."""

from __future__ import annotations

import json
import logging
from typing import TextIO

from analyzer.analysis import RolePrediction
from analyzer.role_training import Evaluation

logger = logging.getLogger(__name__)

__all__ = [
    "write_evaluation_json",
    "write_evaluation_text",
    "write_prediction_json",
    "write_prediction_text",
]


def write_prediction_text(prediction: RolePrediction, stream: TextIO) -> None:
    """Family, confidence, runner-up and evidence, one per line."""
    stream.write(f"family: {prediction.family}\n")
    stream.write(f"confidence: {prediction.confidence:.3f}\n")
    if prediction.runner_up is not None:
        runner = prediction.probabilities.get(prediction.runner_up, 0.0)
        stream.write(f"runner-up: {prediction.runner_up} ({runner:.3f})\n")
    stream.write("evidence:\n")
    for item in prediction.evidence:
        stream.write(f"  - {item}\n")


def write_prediction_json(prediction: RolePrediction, stream: TextIO) -> None:
    """The contract ``role`` object of the analysis JSON."""
    json.dump(prediction.to_dict(), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_evaluation_text(evaluation: Evaluation, stream: TextIO) -> None:
    """Per-class precision/recall/F1, macro-F1, calibration and the confusion matrix."""
    width = max(len(c) for c in evaluation.classes)
    stream.write(
        f"{evaluation.folds}-fold cross-validation on {evaluation.n_postings} postings\n\n"
    )
    stream.write(f"{'family':<{width}}  precision  recall     f1  support\n")
    for cls in evaluation.classes:
        row = evaluation.per_class[cls]
        stream.write(
            f"{cls:<{width}}  {row['precision']:9.3f}  {row['recall']:6.3f}  {row['f1']:5.3f}"
            f"  {row['support']:7d}\n"
        )
    stream.write(f"\nmacro-F1: {evaluation.macro_f1:.3f}\n")
    stream.write(f"accuracy: {evaluation.accuracy:.3f}\n")
    stream.write(f"Brier score: {evaluation.brier:.4f}\n")
    stream.write(f"log loss: {evaluation.log_loss:.4f}\n")
    stream.write("\nreliability (top prediction):\n")
    for row in evaluation.reliability:
        stream.write(
            f"  ({row['low']:.1f}, {row['high']:.1f}]  n={row['n']:<4d} "
            f"confidence={row['confidence']:.3f}  accuracy={row['accuracy']:.3f}\n"
        )
    stream.write("\nconfusion matrix (rows: true, columns: predicted):\n")
    short = [c[:6] for c in evaluation.classes]
    stream.write(" " * (width + 2) + " ".join(f"{s:>6}" for s in short) + "\n")
    for cls, row in zip(evaluation.classes, evaluation.confusion, strict=True):
        stream.write(f"{cls:<{width}}  " + " ".join(f"{n:>6d}" for n in row) + "\n")


def write_evaluation_json(evaluation: Evaluation, stream: TextIO) -> None:
    """:meth:`Evaluation.to_dict` as indented JSON."""
    json.dump(evaluation.to_dict(), stream, indent=2)
    stream.write("\n")
