"""``skillgap taxonomy``: list, show, search and validate the skills taxonomy.

Thin commands: the records, relations, spelling search and renderers live in
:mod:`analyzer.catalog`.
"""

from __future__ import annotations

import datetime as dt
import logging
import shlex

import click

from analyzer.catalog import (
    DETAIL_FORMATS,
    KINDS,
    LIST_FORMATS,
    describe,
    list_records,
    search_spelling,
    taxonomy_counts,
    validate_taxonomy,
    write_details,
    write_records,
    write_search,
)
from analyzer.cli.common import (
    CONTEXT_SETTINGS,
    format_option,
    library_errors,
    open_output,
    output_option,
    taxonomy_option,
)
from analyzer.errors import TaxonomyError
from analyzer.taxonomy import get_taxonomy
from analyzer.taxonomy_models import CATEGORIES

logger = logging.getLogger(__name__)

__all__ = ["COMMANDS", "taxonomy"]


def _as_of_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--as-of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        metavar="YYYY-MM-DD",
        help="Evaluate certification statuses on this day (default: today).",
    )(func)


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


@click.group(context_settings=CONTEXT_SETTINGS)
def taxonomy() -> None:
    """Browse, search and validate the skills taxonomy.

    \b
    Examples:
      skillgap taxonomy list --kind skills --category genai
      skillgap taxonomy show python
      skillgap taxonomy search "k8s"
      skillgap taxonomy validate my-skills.yaml
    """


@taxonomy.command("list", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="skills",
    show_default=True,
    help="Which catalogue to list (paths = career stages).",
)
@click.option(
    "--category",
    type=click.Choice(CATEGORIES),
    default=None,
    help="Only skills of this category (roles/certifications/projects: touching it).",
)
@_as_of_option
@format_option(*LIST_FORMATS, default="table")
@output_option
@taxonomy_option
@library_errors
def list_command(
    kind: str,
    category: str | None,
    as_of: dt.datetime | None,
    fmt: str,
    output: str,
    taxonomy_overlays: tuple[str, ...],
) -> None:
    """List the records of one kind: skills, roles, certifications, projects or paths.

    JSON and CSV hold every field; certifications carry their status on --as-of.

    \b
    Examples:
      skillgap taxonomy list --kind skills --category genai
      skillgap taxonomy list --kind certifications --as-of 2026-07-01 --format csv -o certs.csv
    """
    tax = get_taxonomy(taxonomy_overlays)
    try:
        rows = list_records(tax, kind, category=category, as_of=_day(as_of))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    with open_output(output) as stream:
        write_records(rows, fmt, stream, kind=kind)


@taxonomy.command("show", context_settings=CONTEXT_SETTINGS)
@click.argument("ident", metavar="ID")
@_as_of_option
@format_option(*DETAIL_FORMATS, default="text")
@output_option
@taxonomy_option
@library_errors
def show_command(
    ident: str,
    as_of: dt.datetime | None,
    fmt: str,
    output: str,
    taxonomy_overlays: tuple[str, ...],
) -> None:
    """Show one record by id (a skill alias or an exam code works too).

    A skill also lists its ancestors, children and the certifications, projects
    and roles that cover it; a certification its status and successors.

    \b
    Examples:
      skillgap taxonomy show python
      skillgap taxonomy show MLS-C01 --format json
    """
    tax = get_taxonomy(taxonomy_overlays)
    try:
        details = describe(tax, ident, as_of=_day(as_of))
    except LookupError as exc:
        hint = shlex.quote(ident)
        raise click.ClickException(f"{exc.args[0]}; try: skillgap taxonomy search {hint}") from None
    with open_output(output) as stream:
        write_details(details, fmt, stream)


@taxonomy.command("search", context_settings=CONTEXT_SETTINGS)
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(1, 50), default=5, show_default=True, help="Fuzzy answers."
)
@format_option(*DETAIL_FORMATS, default="text")
@output_option
@taxonomy_option
@library_errors
def search_command(
    text: tuple[str, ...], limit: int, fmt: str, output: str, taxonomy_overlays: tuple[str, ...]
) -> None:
    """Explain which skill a spelling maps to, and why.

    An exact id/name/alias hit (case, hyphens and slashes ignored), an ambiguous
    alias with its rule, or else the closest spellings. Exit status 1 when
    nothing is even close.

    \b
    Examples:
      skillgap taxonomy search k8s
      skillgap taxonomy search "fine tuning" --format json
    """
    tax = get_taxonomy(taxonomy_overlays)
    result = search_spelling(tax, " ".join(text), limit=limit)
    with open_output(output) as stream:
        write_search(result, fmt, stream)
    if result.match == "none":
        raise click.exceptions.Exit(1)


@taxonomy.command("validate", context_settings=CONTEXT_SETTINGS)
@click.argument("path", required=False, type=click.Path(dir_okay=True, file_okay=True))
@taxonomy_option
@library_errors
def validate_command(path: str | None, taxonomy_overlays: tuple[str, ...]) -> None:
    """Check the bundled taxonomy, a taxonomy folder, or an overlay file on the bundled one.

    Prints the record counts, or every problem as "file: [location] message"
    and exits with status 1.

    \b
    Examples:
      skillgap taxonomy validate
      skillgap taxonomy validate my-skills.yaml
      skillgap taxonomy validate ./taxonomy
    """
    try:
        tax = validate_taxonomy(path, overlays=taxonomy_overlays)
    except TaxonomyError as exc:
        count = len(exc.problems)
        head = f"invalid taxonomy ({count} problem{'s' if count != 1 else ''}):"
        raise click.ClickException("\n".join([head, *exc.problems])) from None
    counts = taxonomy_counts(tax)
    click.echo("valid: " + " + ".join(tax.sources))
    click.echo(", ".join(f"{number} {name}" for name, number in counts.items()))


COMMANDS: list[click.Command] = [taxonomy]
