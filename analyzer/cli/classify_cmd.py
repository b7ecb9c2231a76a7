"""``skillgap train``, ``classify`` and ``evaluate``: the role-family classifier."""

from __future__ import annotations

import click

from analyzer.cli.common import (
    format_option,
    library_errors,
    open_output,
    output_option,
    taxonomy_option,
)

_DATA = click.Path(exists=True, dir_okay=False)
_LABELS = click.option(
    "--labels",
    type=click.Path(exists=True, dir_okay=False),
    help="JSONL/CSV of {id, family} rows (default: a 'family' column in DATA).",
)


@click.command("train")
@click.argument("data", type=_DATA)
@_LABELS
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Model directory to write (model.json + weights.npz).",
)
@click.option("--no-title", is_flag=True, help="Train on the description alone.")
@taxonomy_option
@library_errors
def train(
    data: str, labels: str | None, out: str, no_title: bool, taxonomy_overlays: tuple[str, ...]
) -> None:
    """Train the role classifier on labelled postings and write a plain model.

    DATA is JSONL or CSV with a 'text' (or 'description') column, optional
    'title' and 'company' columns, and the family inline or in --labels.
    Training is seeded: the same data writes the same files, byte for byte.

    \b
    Examples:
      skillgap train postings.jsonl --labels roles.jsonl --out analyzer/models/role
      skillgap train labelled.csv --out my-model
    """
    from analyzer.role_training import load_labelled, train_model

    postings = load_labelled(data, labels)
    written = train_model(
        postings, out, use_title=not no_title, taxonomy_overlays=taxonomy_overlays
    )
    click.echo(f"trained on {len(postings)} postings; model written to {written}", err=True)


@click.command("classify")
@click.argument("posting", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--model",
    type=click.Path(exists=True),
    help="Model directory written by 'skillgap train' (default: the shipped model).",
)
@click.option("--title", help="The posting's title, if its first line is not the title.")
@format_option("text", "json", default="text")
@output_option
@taxonomy_option
@library_errors
def classify(
    posting: str,
    model: str | None,
    title: str | None,
    fmt: str,
    output: str,
    taxonomy_overlays: tuple[str, ...],
) -> None:
    """Print the role family of POSTING with confidence, runner-up and evidence.

    POSTING is a .txt, .md or .html file, or - for standard input.

    \b
    Examples:
      skillgap classify samples/postings/ml-engineer-aws.txt
      cat posting.txt | skillgap classify - --format json
    """
    from analyzer.reader import read_posting
    from analyzer.role_model import classify_posting
    from analyzer.role_render import write_prediction_json, write_prediction_text

    read = read_posting(posting)
    prediction = classify_posting(
        read.text, title=title or read.title, model=model, taxonomy_overlays=taxonomy_overlays
    )
    writer = write_prediction_json if fmt == "json" else write_prediction_text
    with open_output(output) as stream:
        writer(prediction, stream)


@click.command("evaluate")
@click.argument("data", type=_DATA)
@_LABELS
@click.option("--cv", type=click.IntRange(min=2), default=5, show_default=True, help="Folds.")
@click.option("--no-title", is_flag=True, help="Evaluate on the description alone.")
@format_option("text", "json", default="text")
@output_option
@taxonomy_option
@library_errors
def evaluate(
    data: str,
    labels: str | None,
    cv: int,
    no_title: bool,
    fmt: str,
    output: str,
    taxonomy_overlays: tuple[str, ...],
) -> None:
    """Cross-validate the role classifier on labelled postings.

    Prints per-class precision, recall and F1, macro-F1, calibration (Brier
    score, reliability) and the confusion matrix. Seeded stratified folds.

    \b
    Examples:
      skillgap evaluate postings.jsonl --labels roles.jsonl --cv 5
      skillgap evaluate labelled.csv --format json --no-title
    """
    from analyzer.role_render import write_evaluation_json, write_evaluation_text
    from analyzer.role_training import cross_validate, load_labelled

    postings = load_labelled(data, labels)
    result = cross_validate(
        postings, cv=cv, use_title=not no_title, taxonomy_overlays=taxonomy_overlays
    )
    writer = write_evaluation_json if fmt == "json" else write_evaluation_text
    with open_output(output) as stream:
        writer(result, stream)


COMMANDS = [train, classify, evaluate]
