"""``skillgap gap``: a candidate against one posting or a whole folder of postings."""

from __future__ import annotations

import datetime as dt

import click

from analyzer.cli.common import (
    CONTEXT_SETTINGS,
    format_option,
    library_errors,
    open_output,
    output_option,
    taxonomy_option,
)

__all__ = ["COMMANDS", "gap"]


@click.command("gap", context_settings=CONTEXT_SETTINGS)
@click.argument("postings", type=click.Path(allow_dash=True))
@click.option(
    "-p",
    "--profile",
    "profile_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Candidate profile (.yaml/.json) or resume (.txt/.md/.pdf/.docx).",
)
@format_option("text", "json", "markdown", "html", default="text")
@output_option
@taxonomy_option
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Evaluate certification statuses on this day (default: today).",
)
@click.option(
    "--role",
    default=None,
    metavar="FAMILY",
    help="With a folder: keep only postings of this role family (e.g. ai_engineer).",
)
@click.option(
    "--beta/--no-beta",
    "include_beta",
    default=True,
    show_default=True,
    help="Allow certifications whose exam is in beta (always labelled BETA).",
)
@library_errors
def gap(
    postings: str,
    profile_path: str,
    fmt: str,
    output: str,
    taxonomy_overlays: tuple[str, ...],
    as_of: dt.datetime | None,
    role: str | None,
    include_beta: bool,
) -> None:
    """Compare a candidate with POSTINGS and plan certifications and projects.

    POSTINGS is one posting (.txt, .md, .html, .pdf, .docx), - for standard
    input, or a folder (or .jsonl file) of postings for a market gap: the
    missing skills found in the largest share of postings, and the
    certifications and projects that close the most of them.

    \b
    Examples:
      skillgap gap samples/postings/ml-engineer-aws.txt --profile samples/profiles/mid-level.json
      skillgap gap samples/postings --profile samples/profiles/early-career.yaml --role ai_engineer
      skillgap gap posting.txt -p resume.pdf --format html -o plan.html --as-of 2026-09-01
    """
    from analyzer.gap import gap as run_gap
    from analyzer.gap import market_gap
    from analyzer.gap_inputs import analyze_postings, is_collection
    from analyzer.gap_render import WRITERS
    from analyzer.profile import load_profile
    from analyzer.taxonomy import get_taxonomy

    taxonomy = get_taxonomy(taxonomy_overlays)
    if role is not None and role not in taxonomy.roles:
        raise click.BadParameter(
            f"unknown role family {role!r} (one of: {', '.join(sorted(taxonomy.roles))})",
            param_hint="--role",
        )
    if role is not None and not is_collection(postings):
        raise click.BadParameter(
            "--role filters a folder or .jsonl file of postings", param_hint="--role"
        )
    profile = load_profile(profile_path, taxonomy=taxonomy)
    day = as_of.date() if as_of is not None else None
    analyses = analyze_postings(postings, taxonomy=taxonomy)
    if is_collection(postings):
        report = market_gap(
            analyses,
            profile,
            role=role,
            as_of=day,
            taxonomy=taxonomy,
            include_beta=include_beta,
            source=postings,
        )
    else:
        report = run_gap(
            analyses[0], profile, as_of=day, taxonomy=taxonomy, include_beta=include_beta
        )
    with open_output(output) as stream:
        WRITERS[fmt](report, stream)


COMMANDS = [gap]
