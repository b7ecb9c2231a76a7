"""Find and read the postings of a batch: folders, CSV, JSONL and JSON files.

:func:`iter_inputs` walks an input (a folder, recursively, or one file) and
yields, in a deterministic order, either a :class:`Task` (one posting to
analyse) or a :class:`Failure` (something that could not be read, with a
one-line reason). It never raises for a bad file: symlink loops, unreadable
folders, malformed tables and rows without text all become failures, and the
walk carries on.

Input kinds
-----------
- Documents (``.txt``, ``.md``, ``.markdown``, ``.html``, ``.htm``, ``.pdf``,
  ``.docx``): one posting per file, read by :func:`analyzer.reader.read_posting`
  when the task is loaded (in a worker process). ``source`` is the file path.
- ``.csv`` and ``.jsonl``/``.ndjson`` tables: one posting per row/line.
  ``source`` is ``FILE#N`` where ``N`` is the 1-based data row (CSV, header not
  counted) or line number (JSONL).
- ``.json``: one posting object, or a list of posting objects. A single object
  has ``source`` = the file path; list items are ``FILE#N`` (1-based).

Columns (CSV header names, JSON keys) are matched case-insensitively with
spaces and hyphens read as underscores: the text comes from the first of
:data:`TEXT_COLUMNS`, the title from :data:`TITLE_COLUMNS`, the posting id from
:data:`ID_COLUMNS`, unless :class:`ColumnSpec` names them. A CSV written by the
JobSpy scraper (``id``, ``title``, ``description``, ...) works as it is. Row
text that looks like HTML is converted to visible text; Markdown is kept.
"""

from __future__ import annotations

import codecs
import csv
import functools
import json
import logging
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.errors import InputError
from analyzer.reader import (
    DEFAULT_MAX_BYTES,
    Posting,
    guess_title,
    html_to_text,
    looks_like_html,
    read_posting,
)

logger = logging.getLogger(__name__)

__all__ = [
    "DOCUMENT_SUFFIXES",
    "ID_COLUMNS",
    "TABLE_SUFFIXES",
    "TEXT_COLUMNS",
    "TITLE_COLUMNS",
    "ColumnSpec",
    "Failure",
    "Task",
    "iter_inputs",
    "load_task",
]

TEXT_COLUMNS: tuple[str, ...] = ("description", "job_description", "text", "job_text", "body")
"""Column names read as the posting text, first match wins."""
TITLE_COLUMNS: tuple[str, ...] = ("title", "job_title", "position")
"""Column names read as the posting title, first match wins."""
ID_COLUMNS: tuple[str, ...] = ("id", "job_id", "job_url", "url")
"""Column names read as the posting id, first match wins."""

DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"})
"""File suffixes read as one posting each."""
TABLE_SUFFIXES = frozenset({".csv", ".jsonl", ".ndjson", ".json"})
"""File suffixes read as one or more postings (rows, lines or list items)."""

MAX_JSON_BYTES = 256 * 1024 * 1024
"""A ``.json`` file is parsed whole; larger ones are refused (use JSONL)."""
CSV_FIELD_LIMIT = 64 * 1024 * 1024
_SNIFF_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ColumnSpec:
    """Which columns (or JSON keys) hold the text, title and id; ``None`` detects them.

    Parameters
    ----------
    text, title, id : str, optional
        Column names as written in the header (matched case-insensitively).
    """

    text: str | None = None
    title: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Task:
    """One posting to analyse.

    Either ``path`` (a document file, read when the task is loaded) or ``text``
    (a table row's text) is set.
    """

    source: str
    path: str | None = None
    text: str | None = None
    title: str | None = None
    posting_id: str | None = None


@dataclass(frozen=True)
class Failure:
    """An input that could not be read; ``reason`` is one line."""

    source: str
    reason: str


Item = Task | Failure


# --------------------------------------------------------------------------- columns


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _pick(keys: Mapping[str, str], wanted: str | None, candidates: tuple[str, ...]) -> str | None:
    """The original key for ``wanted`` (or the first candidate present); ``keys`` maps norm->key."""
    if wanted is not None:
        return keys.get(_norm(wanted))
    for candidate in candidates:
        if candidate in keys:
            return keys[candidate]
    return None


@dataclass(frozen=True)
class _Columns:
    text: str
    title: str | None
    id: str | None


def _resolve(names: list[str], spec: ColumnSpec) -> _Columns:
    """Find the text/title/id columns among ``names``; raise InputError when text is missing."""
    keys: dict[str, str] = {}
    for name in names:
        keys.setdefault(_norm(name), name)
    found: dict[str, str | None] = {}
    for field, candidates in (("text", TEXT_COLUMNS), ("title", TITLE_COLUMNS), ("id", ID_COLUMNS)):
        wanted = getattr(spec, field)
        key = _pick(keys, wanted, candidates)
        if wanted is not None and key is None:
            shown = ", ".join(names[:20]) or "none"
            raise InputError(f"no column {wanted!r} (columns: {shown})")
        found[field] = key
    if found["text"] is None:
        raise InputError(
            f"no text column (looked for {', '.join(TEXT_COLUMNS)}; name it with --text-column)"
        )
    return _Columns(text=found["text"], title=found["title"], id=found["id"])  # type: ignore[arg-type]


@functools.lru_cache(maxsize=64)
def _resolve_keys(keys: tuple[str, ...], spec: ColumnSpec) -> _Columns:
    """:func:`_resolve` for JSON objects: the rows of one file mostly share their keys."""
    return _resolve(list(keys), spec)


def _cell(value: Any) -> str | None:
    """A table cell as text: strings stripped, numbers as written, empty -> None."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, int | float):
        return None if value != value else str(value)  # NaN
    if isinstance(value, str):
        return value.strip() or None
    return None


def _row_task(row: Mapping[str, Any], columns: _Columns, source: str) -> Item:
    text = row.get(columns.text)
    if text is not None and not isinstance(text, str):
        return Failure(source, f"the text field {columns.text!r} is not a string")
    title = _cell(row.get(columns.title)) if columns.title else None
    posting_id = _cell(row.get(columns.id)) if columns.id else None
    return Task(source=source, text=text or "", title=title, posting_id=posting_id)


# --------------------------------------------------------------------------- tables


def _sniff_encoding(path: str) -> str:
    """UTF-8 (with or without BOM), UTF-16, else Windows-1252/Latin-1, from the first MB."""
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _SNIFF_BYTES)
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:
            return "latin-1"
        return "cp1252"
    return "utf-8"


def _iter_csv(path: str, spec: ColumnSpec) -> Iterator[Item]:
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    encoding = _sniff_encoding(path)
    number = 0
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                yield Failure(path, "empty CSV (no header line)")
                return
            try:
                columns = _resolve(header, spec)
            except InputError as exc:
                yield Failure(path, str(exc))
                return
            for number, values in enumerate(reader, start=1):
                if not any(v.strip() for v in values):
                    continue
                row = dict(zip(header, values, strict=False))
                yield _row_task(row, columns, f"{path}#{number}")
    except csv.Error as exc:
        yield Failure(f"{path}#{number + 1}", f"malformed CSV, rest of file skipped ({exc})")


def _iter_jsonl(path: str, spec: ColumnSpec) -> Iterator[Item]:
    encoding = _sniff_encoding(path)
    with open(path, encoding=encoding, errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            source = f"{path}#{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Failure(source, f"not valid JSON ({exc.msg}, column {exc.colno})")
                continue
            yield _object_task(record, spec, source)


def _object_task(record: Any, spec: ColumnSpec, source: str) -> Item:
    if not isinstance(record, dict):
        return Failure(source, f"expected a JSON object, got {type(record).__name__}")
    try:
        columns = _resolve_keys(tuple(str(k) for k in record), spec)
    except InputError as exc:
        return Failure(source, str(exc))
    return _row_task(record, columns, source)


def _iter_json(path: str, spec: ColumnSpec) -> Iterator[Item]:
    size = os.stat(path).st_size
    if size > MAX_JSON_BYTES:
        yield Failure(path, f"too large for .json ({size:,} bytes); write JSONL instead")
        return
    encoding = _sniff_encoding(path)
    with open(path, encoding=encoding, errors="replace") as handle:
        try:
            data = json.load(handle)
        except json.JSONDecodeError as exc:
            yield Failure(path, f"not valid JSON ({exc.msg}, line {exc.lineno})")
            return
    if isinstance(data, list):
        for number, record in enumerate(data, start=1):
            yield _object_task(record, spec, f"{path}#{number}")
    else:
        yield _object_task(data, spec, path)


_TABLE_READERS = {
    ".csv": _iter_csv,
    ".jsonl": _iter_jsonl,
    ".ndjson": _iter_jsonl,
    ".json": _iter_json,
}


def _iter_file(path: str, spec: ColumnSpec) -> Iterator[Item]:
    suffix = Path(path).suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        yield Task(source=path, path=path)
        return
    reader = _TABLE_READERS.get(suffix)
    if reader is None:
        yield Failure(path, f"unsupported file type {suffix or '(no suffix)'!r}")
        return
    try:
        yield from reader(path, spec)
    except PermissionError:
        yield Failure(path, "permission denied")
    except OSError as exc:
        yield Failure(path, f"cannot be read ({exc.strerror or exc})")


# --------------------------------------------------------------------------- folders


def _walk(
    folder: str, spec: ColumnSpec, seen: set[tuple[int, int]], exclude: set[tuple[int, int]]
) -> Iterator[Item]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except PermissionError:
        yield Failure(folder, "permission denied (folder skipped)")
        return
    except OSError as exc:
        yield Failure(folder, f"folder cannot be read ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = entry.path
        try:
            info = os.stat(path)  # follows symlinks
        except FileNotFoundError:
            gone = "broken symbolic link" if entry.is_symlink() else "no such file (removed)"
            yield Failure(path, gone)
            continue
        except OSError as exc:
            if exc.errno == 40:  # ELOOP
                yield Failure(path, "symbolic link loop")
            else:
                yield Failure(path, f"cannot be read ({exc.strerror or exc})")
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in exclude:
                continue
            if key in seen:
                yield Failure(path, "symbolic link loop (folder already visited), skipped")
                continue
            seen.add(key)
            yield from _walk(path, spec, seen, exclude)
        elif stat.S_ISREG(info.st_mode):
            suffix = Path(entry.name).suffix.lower()
            if suffix in DOCUMENT_SUFFIXES or suffix in TABLE_SUFFIXES:
                yield from _iter_file(path, spec)
            else:
                logger.debug("%s: not a posting file type, skipped", path)


def _dir_key(path: str | os.PathLike[str] | None) -> set[tuple[int, int]]:
    if path is None:
        return set()
    try:
        info = os.stat(path)
    except OSError:
        return set()
    return {(info.st_dev, info.st_ino)}


def iter_inputs(
    path: str | os.PathLike[str],
    *,
    columns: ColumnSpec | None = None,
    exclude: str | os.PathLike[str] | None = None,
) -> Iterator[Task | Failure]:
    """Yield the postings of ``path`` in a deterministic order.

    Parameters
    ----------
    path : str or path-like
        A folder (walked recursively in name order; hidden entries skipped) or one
        file: a document, ``.csv``, ``.jsonl``/``.ndjson`` or ``.json``.
    columns : ColumnSpec, optional
        Column names for tables; detected by default.
    exclude : str or path-like, optional
        A folder not to walk into (the batch output folder).

    Yields
    ------
    Task or Failure
        Tasks to analyse, and failures to record, in input order.

    Raises
    ------
    InputError
        If ``path`` does not exist.

    Examples
    --------
    >>> [t.source for t in iter_inputs("samples/postings")]  # doctest: +SKIP
    ['samples/postings/ai-engineer-genai.md', ...]
    """
    name = os.fspath(path)
    spec = columns or ColumnSpec()
    if not os.path.exists(name):
        raise InputError(f"{name}: no such file or folder")
    if os.path.isdir(name):
        seen = _dir_key(name)
        yield from _walk(name, spec, seen, _dir_key(exclude))
    else:
        yield from _iter_file(name, spec)


# --------------------------------------------------------------------------- loading


def load_task(task: Task, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Posting:
    """Read a task into a :class:`~analyzer.reader.Posting`, refusing bad input.

    Parameters
    ----------
    task : Task
        A document path or a table row.
    max_bytes : int
        Size limit of one posting (UTF-8 bytes for a row's text).

    Returns
    -------
    Posting

    Raises
    ------
    InputError
        Empty, binary, oversize or unreadable input (one-line message).
    """
    if task.path is not None:
        posting = read_posting(task.path, max_bytes=max_bytes)
        return Posting(
            text=posting.text, source=task.source, title=posting.title, format=posting.format
        )
    text = (task.text or "").replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > max_bytes // 4 and len(text.encode("utf-8")) > max_bytes:
        raise InputError(f"{task.source}: too large (over the limit of {max_bytes:,} bytes)")
    fmt = "text"
    if looks_like_html(text):
        text, _html_title = html_to_text(text)
        fmt = "html"
    if not text.strip():
        raise InputError(f"{task.source}: empty (no text to analyse)")
    if "\x00" in text:
        raise InputError(f"{task.source}: looks binary (contains NUL characters), not a posting")
    title = task.title or guess_title(text)
    return Posting(text=text, source=task.source, title=title, format=fmt)
