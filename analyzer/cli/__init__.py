"""The ``skillgap`` command line: a thin layer over the :mod:`analyzer` API.

Each command lives in its own module and only parses options, calls one
library function and hands the result to a writer. Library errors
(:class:`~analyzer.errors.AnalyzerError`) become one-line messages.
"""

from __future__ import annotations

import gc

import click

from analyzer.__about__ import __version__
from analyzer.cli.common import CONTEXT_SETTINGS, configure_logging

__all__ = ["cli", "main"]

QUICK_COMMANDS = frozenset({"analyze", "classify"})
"""Commands that read one posting and exit: they run without cyclic garbage collection."""


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="skillgap")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Read ML/AI job postings like a hiring manager.

    \b
    Examples:
      skillgap analyze samples/postings/ml-engineer-aws.txt
      skillgap taxonomy search "fine tuning"
    """
    configure_logging(verbose)
    if click.get_current_context().invoked_subcommand not in QUICK_COMMANDS:
        gc.enable()  # long runs (batch, folders, training) collect as usual


def _register() -> None:
    from analyzer.cli import commands

    for command in commands.ALL:
        cli.add_command(command)


_register()


def main() -> None:
    """The ``skillgap`` console command.

    Starting up builds many long-lived objects (spaCy, the taxonomy, the skill
    patterns) and frees few, so collecting reference cycles meanwhile is wasted work:
    about a tenth of a cold start. Collection stays off for the commands that read
    one posting and exit (:data:`QUICK_COMMANDS`) and is back on for every other.
    """
    gc.disable()
    cli(prog_name="skillgap")
