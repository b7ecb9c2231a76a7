"""Output safety helpers shared by every writer that produces spreadsheet files.

A CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some programs skip first) is read as a formula by spreadsheet
programs (CSV injection). Job postings and user overlays are
untrusted text, so every CSV writer goes through :func:`write_csv`, which
prefixes such cells with a single quote.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TextIO

logger = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

__all__ = [
    "FORMULA_PREFIXES",
    "csv_line",
    "neutralise_cell",
    "row_writer",
    "terminal_safe",
    "write_csv",
]

_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(value: str) -> str:
    """``value`` with every control character but tab and newline shown as ``\\ufffd``.

    Posting text given to the library may hold escape sequences; a text report
    printed on a terminal must not run them (colour changes, cursor moves, titles).

    Examples
    --------
    >>> terminal_safe("ML\x1b[31m Engineer")
    'ML\ufffd[31m Engineer'
    """
    return _TERMINAL_CONTROLS.sub("\ufffd", value)


def neutralise_cell(value: str) -> str:
    """Make a CSV cell safe to open in a spreadsheet.

    Parameters
    ----------
    value : str
        The cell text.

    Returns
    -------
    str
        ``value`` prefixed with a single quote when it starts with ``=``, ``+``,
        ``-``, ``@``, a tab or a carriage return; otherwise ``value`` unchanged.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> neutralise_cell("python")
    'python'
    """
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise_cell(str(value))


def _cells(values: Iterable[Any]) -> list[str]:
    """``[_cell(v) for v in values]``; strings that need nothing done skip the call."""
    return [
        value if value.__class__ is str and not value.startswith(FORMULA_PREFIXES) else _cell(value)
        for value in values
    ]


def write_csv(rows: Iterable[Mapping[str, Any]], fieldnames: Sequence[str], stream: TextIO) -> None:
    """Write ``rows`` as CSV with a header line, every cell neutralised.

    Parameters
    ----------
    rows : iterable of mapping
        One mapping per line; keys missing from a row are written as empty cells,
        keys not in ``fieldnames`` are ignored.
    fieldnames : sequence of str
        The columns, in order (the header is written as given).
    stream : TextIO
        Where to write; opened by the caller (use ``newline=""`` for files).

    Returns
    -------
    None

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_csv([{"id": "x", "note": "-1"}], ["id", "note"], out)
    >>> out.getvalue().splitlines()
    ['id,note', "x,'-1"]
    """
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(list(fieldnames))
    for row in rows:
        writer.writerow(_cells([row.get(name) for name in fieldnames]))


def row_writer(stream: TextIO) -> Callable[[Sequence[Any]], None]:
    """A function that writes one CSV row to ``stream``, every cell neutralised.

    For tables written row by row into a file that is renamed into place when complete
    (cheaper than :func:`csv_line` per row).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write = row_writer(out)
    >>> write(["a.txt", "=1+1", None])
    >>> out.getvalue()
    "a.txt,'=1+1,\\n"
    """
    writer = csv.writer(stream, lineterminator="\n")

    def write(values: Sequence[Any]) -> None:
        writer.writerow(_cells(values))

    return write


def csv_line(values: Sequence[Any]) -> str:
    """One CSV line (with its ``\\n``), every cell neutralised like :func:`write_csv`.

    For writers that append rows one at a time and need each row written whole.

    Parameters
    ----------
    values : sequence
        The cells, in column order (``None`` is written as an empty cell).

    Returns
    -------
    str

    Examples
    --------
    >>> csv_line(["a.txt", "=1+1", None])
    "a.txt,'=1+1,\\n"
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(_cells(values))
    return buffer.getvalue()
