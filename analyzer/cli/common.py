"""Options and helpers shared by every command (defined once, stacked on each)."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import click

from analyzer.errors import AnalyzerError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def configure_logging(verbose: int) -> None:
    """Only the CLI configures logging: warnings by default, more with -v."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def taxonomy_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--taxonomy PATH`` (repeatable): overlay files adding skills and aliases."""
    return click.option(
        "--taxonomy",
        "taxonomy_overlays",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="Overlay YAML adding skills/aliases (repeatable; also $SKILLGAP_TAXONOMY).",
    )(func)


def format_option(*choices: str, default: str) -> Callable[[Callable[..., Any]], Any]:
    """``--format`` with the command's choices."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def max_bytes_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-bytes N``: refuse postings larger than N bytes (default 1 MB)."""
    from analyzer.reader import DEFAULT_MAX_BYTES

    return click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_BYTES,
        show_default=True,
        help="Refuse postings larger than this.",
    )(func)


def output_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``-o/--output FILE`` (default: standard output)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True),
        default="-",
        help="Write to FILE instead of standard output.",
    )(func)


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """Standard output for ``-``, else the file (UTF-8)."""
    if path == "-":
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            yield handle


def library_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn :class:`AnalyzerError` into a one-line :class:`click.ClickException`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AnalyzerError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper
