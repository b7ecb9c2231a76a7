"""Read the postings a gap analysis runs against: a file, stdin, a folder or a JSONL file.

This is the only I/O of the gap feature besides the profile loader: it turns a
path into :class:`~analyzer.reader.Posting` records and analyses them with the
pipeline. A folder is read non-recursively in name order; a ``.jsonl`` file
holds one posting per line with a ``text`` or ``description`` field (and
optional ``id`` and ``title``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.errors import InputError

if TYPE_CHECKING:
    from analyzer.analysis import Analysis
    from analyzer.reader import Posting
    from analyzer.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

__all__ = ["POSTING_SUFFIXES", "analyze_postings", "is_collection", "iter_postings"]

POSTING_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


def is_collection(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names many postings (a folder or a ``.jsonl`` file)."""
    name = os.fspath(path)
    return name != "-" and (Path(name).is_dir() or name.lower().endswith(".jsonl"))


def _jsonl_postings(path: Path) -> Iterator[Posting]:
    from analyzer.reader import Posting

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: [line {number}] invalid JSON: {exc.msg}") from None
        text = record.get("text") or record.get("description") if isinstance(record, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{path}: [line {number}] needs a non-empty 'text' or 'description'")
        ident = record.get("id", number)
        yield Posting(text=text, source=f"{path}#{ident}", title=record.get("title"))


def iter_postings(path: str | os.PathLike[str]) -> Iterator[Posting]:
    """The postings a path names, in a stable order.

    Parameters
    ----------
    path : path-like
        A posting file, ``-`` (standard input), a folder (its posting files,
        non-recursive, sorted by name) or a ``.jsonl`` file.

    Yields
    ------
    Posting

    Raises
    ------
    InputError
        If the path does not exist or a folder holds no posting file.
    """
    from analyzer.reader import read_posting

    name = os.fspath(path)
    if name == "-":
        yield read_posting(name)
        return
    file = Path(name)
    if file.is_dir():
        files = sorted(
            (
                p
                for p in file.iterdir()
                if p.is_file()
                and not p.name.startswith(".")
                and p.suffix.lower() in POSTING_SUFFIXES
            ),
            key=lambda p: p.name,
        )
        if not files:
            raise InputError(
                f"{file}: no posting files ({', '.join(POSTING_SUFFIXES)}) in this folder"
            )
        for item in files:
            yield read_posting(item)
        return
    if not file.exists():
        raise InputError(f"{file}: no such file or folder")
    if file.suffix.lower() == ".jsonl":
        yield from _jsonl_postings(file)
        return
    yield read_posting(file)


def analyze_postings(
    path: str | os.PathLike[str], *, taxonomy: Taxonomy | None = None
) -> list[Analysis]:
    """Read and analyse every posting a path names (see :func:`iter_postings`).

    Parameters
    ----------
    path : path-like
    taxonomy : Taxonomy, optional

    Returns
    -------
    list of Analysis
        In the order of :func:`iter_postings`.
    """
    from analyzer.pipeline import analyze_many

    return list(analyze_many(iter_postings(path), taxonomy=taxonomy))
