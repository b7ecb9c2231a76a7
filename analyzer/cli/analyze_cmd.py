"""``skillgap analyze``: one posting, from a file or standard input."""

from __future__ import annotations

import click

from analyzer.cli.common import (
    format_option,
    library_errors,
    max_bytes_option,
    open_output,
    output_option,
    taxonomy_option,
)


@click.command("analyze")
@click.argument("posting", type=click.Path(dir_okay=False, allow_dash=True))
@format_option("text", "json", "markdown", "html", default="text")
@output_option
@taxonomy_option
@click.option("--title", help="The posting's title, if its first line is not the title.")
@max_bytes_option
@library_errors
def analyze(
    posting: str,
    fmt: str,
    output: str,
    taxonomy_overlays: tuple[str, ...],
    title: str | None,
    max_bytes: int,
) -> None:
    """Extract skills, requirement levels, seniority and role family from POSTING.

    POSTING is a .txt, .md or .html file, or - to read a pasted posting from
    standard input.

    \b
    Examples:
      skillgap analyze samples/postings/ml-engineer-aws.txt
      skillgap analyze posting.html --format json -o analysis.json
      pbpaste | skillgap analyze - --format markdown
    """
    from analyzer.analysis_render import WRITERS
    from analyzer.pipeline import analyze as run
    from analyzer.reader import read_posting
    from analyzer.taxonomy import get_taxonomy

    taxonomy = get_taxonomy(taxonomy_overlays)
    read = read_posting(posting, max_bytes=max_bytes)
    result = run(read, source=posting, title=title, taxonomy=taxonomy)
    with open_output(output) as stream:
        WRITERS[fmt](result, stream)


COMMANDS = [analyze]
