"""The ``skillgap`` command line: a thin layer over the :mod:`analyzer` API.

Each command lives in its own module and only parses options, calls one
library function and hands the result to a writer. Library errors
(:class:`~analyzer.errors.AnalyzerError`) become one-line messages.
"""

from __future__ import annotations

import click

from analyzer.__about__ import __version__
from analyzer.cli.common import CONTEXT_SETTINGS, configure_logging

__all__ = ["cli"]


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


def _register() -> None:
    from analyzer.cli import commands

    for command in commands.ALL:
        cli.add_command(command)


_register()
