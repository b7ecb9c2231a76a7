"""``skillgap batch``: analyse a folder or table of postings into tables and a report."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from analyzer.cli.common import library_errors, max_bytes_option, taxonomy_option

if TYPE_CHECKING:
    from analyzer.taxonomy import Taxonomy


def _start_up(overlays: tuple[str, ...]) -> Taxonomy:
    """Load the taxonomy and build the pipeline, then keep cyclic collection off them.

    These objects (spaCy, the taxonomy, the skill patterns, the role model) live as
    long as the process and hold no garbage worth finding, so they are built with
    collection off and then frozen (:func:`gc.freeze`): the run's collections, full
    ones included, look only at the objects made during the run, and forked workers
    do not copy the pages a collection would touch. The caller unfreezes when done.
    """
    from analyzer.batch import warm_up
    from analyzer.taxonomy import get_taxonomy

    enabled = gc.isenabled()
    gc.disable()
    try:
        taxonomy = get_taxonomy(overlays)
        warm_up(taxonomy)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    return taxonomy


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[Any], None] | None]:
    """A rich progress line on standard error when it is a terminal; else nothing."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        auto_refresh=False,  # no refresh thread: worker processes are forked
        transient=True,
    )
    task = progress.add_task("starting", total=None)
    last = [0.0]

    def update(stats: Any) -> None:
        now = time.monotonic()
        if now - last[0] < 0.1:
            return
        last[0] = now
        progress.update(
            task,
            description=f"{stats.analysed} analysed, {stats.failed} errors"
            + (f", {stats.skipped} already done" if stats.skipped else ""),
        )
        progress.refresh()

    with progress:
        yield update


@click.command("batch")
@click.argument("source", metavar="INPUT", type=click.Path(exists=True))
@click.option(
    "--out",
    "-o",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Output folder (created if needed); only the batch files are written there.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes (0: one per CPU). The output is the same for any value.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted run into --out, skipping inputs already written.",
)
@click.option("--text-column", help="Column/key holding the posting text (default: detected).")
@click.option("--title-column", help="Column/key holding the title (default: detected).")
@click.option("--id-column", help="Column/key holding the posting id (default: detected).")
@max_bytes_option
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress line on standard error (default: when it is a terminal).",
)
@taxonomy_option
@library_errors
def batch(
    source: str,
    out: str,
    jobs: int,
    resume: bool,
    text_column: str | None,
    title_column: str | None,
    id_column: str | None,
    max_bytes: int,
    progress: bool | None,
    taxonomy_overlays: tuple[str, ...],
) -> None:
    """Analyse every posting in INPUT and write tables and a report into --out.

    INPUT is a folder (searched recursively for .txt, .md, .html, .pdf, .docx,
    .json, .jsonl and .csv files) or one CSV/JSONL/JSON file with a posting per
    row (a CSV written by JobSpy works as it is).

    Exit status: 0 when every posting was analysed, 3 when some inputs could
    not be (listed in errors.csv), 130 when interrupted (run again with
    --resume), 1 on other errors.

    \b
    Examples:
      skillgap batch samples/postings --out reports/example
      skillgap batch jobs.csv --out out/q3 --jobs 4
      skillgap batch jobs.csv --out out/q3 --jobs 4 --resume
    """
    import os

    from analyzer.batch import EXIT_INTERRUPTED, run_batch
    from analyzer.batch_input import ColumnSpec

    columns = ColumnSpec(text=text_column, title=title_column, id=id_column)
    show = sys.stderr.isatty() if progress is None else progress
    taxonomy = _start_up(taxonomy_overlays)
    try:
        with _progress(show) as update:
            stats, _tables = run_batch(
                source,
                out,
                jobs=jobs or os.cpu_count() or 1,
                resume=resume,
                taxonomy=taxonomy,
                columns=columns,
                max_bytes=max_bytes,
                on_item=update,
            )
    except KeyboardInterrupt:
        click.echo(
            f"interrupted: complete results so far are in {out}; "
            "run the same command with --resume to continue",
            err=True,
        )
        click.get_current_context().exit(EXIT_INTERRUPTED)
    finally:
        gc.unfreeze()
    message = f"{stats.postings} postings analysed"
    if stats.skipped:
        message += f" ({stats.skipped} from the previous run)"
    if stats.errors:
        message += f", {stats.errors} inputs not analysed (see errors.csv)"
    if not stats.postings and not stats.errors:
        message = f"no postings found in {source}"
    click.echo(f"{message}; report: {os.path.join(out, 'report.html')}", err=True)
    click.get_current_context().exit(stats.exit_status)


COMMANDS = [batch]
