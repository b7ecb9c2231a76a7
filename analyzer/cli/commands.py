"""The commands the ``skillgap`` group registers, one module per command group.

To add a command group, write ``analyzer/cli/<name>_cmd.py`` exposing ``COMMANDS``
and list its module name in ``_MODULES``.
"""

from __future__ import annotations

import importlib

import click

_MODULES: list[str] = [
    "analyze_cmd",
    "batch_cmd",
    "classify_cmd",
    "gap_cmd",
    "taxonomy_cmd",
]

ALL: list[click.Command] = [
    command
    for name in _MODULES
    for command in importlib.import_module(f"analyzer.cli.{name}").COMMANDS
]
