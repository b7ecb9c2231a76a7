"""Read postings and documents: decoding, format detection, HTML to text, refusals.

The text a reader returns is "the text as read": for plain text and Markdown it
is the decoded file unchanged (line endings normalised to ``\\n``, other control
characters replaced by a space or, for vertical tab and form feed, a line break); for HTML it
is the visible text, with scripts, styles and tags removed, entities decoded
and block elements (paragraphs, list items, headings, table rows, ``<br>``)
kept as line breaks. Every evidence offset of an analysis refers to that text.

Bad input raises :class:`~analyzer.errors.InputError` with a one-line message
that names the file: empty or whitespace-only, binary, over the size limit,
or undecodable.
"""

from __future__ import annotations

import codecs
import html
import logging
import os
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from analyzer.errors import InputError

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 1_000_000
"""Default size limit of one posting (1 MB); ``max_bytes`` changes it."""

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".rst", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Posting",
    "decode_bytes",
    "guess_title",
    "html_to_text",
    "read_document",
    "read_posting",
    "read_text",
]


@dataclass(frozen=True)
class Posting:
    """A posting as read: its text, its title (if any) and where it came from."""

    text: str
    source: str = "-"
    title: str | None = None
    format: str = "text"


# --------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes, *, source: str = "-") -> str:
    """Decode a posting: BOM-marked UTF-8/UTF-16/UTF-32, UTF-8, else Windows-1252/Latin-1.

    Raises
    ------
    InputError
        If the bytes look binary (NUL bytes or mostly control characters).
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{source}: not valid {encoding.upper()} ({exc.reason})") from None
            _refuse_binary_text(text, source)
            return text
    if b"\x00" in data:
        raise InputError(f"{source}: looks like a binary file (contains NUL bytes), not a posting")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = (
            data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")
        )
        logger.info("%s: not UTF-8, read as Windows-1252/Latin-1", source)
    _refuse_binary_text(text, source)
    return text


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _refuse_binary_text(text: str, source: str) -> None:
    sample = text[:20000]
    if not sample:
        return
    controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > max(8, len(sample) // 20):
        raise InputError(f"{source}: looks like a binary file (control characters), not a posting")


# Control characters never reach the text as read (nor a terminal or report that shows it):
# vertical tab, form feed and the Unicode line breaks become line breaks, the rest spaces.
_CONTROL_MAP = {
    **{c: " " for c in [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]},
    0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n",
}  # fmt: skip


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL_MAP)


# --------------------------------------------------------------------------- HTML


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul", "title",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _TextExtractor(HTMLParser):
    """Collects visible text; block elements become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
            return
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li" and not self.skip_depth:
            self.parts.append("- ")
        if tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self.skip_depth:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in _BLOCK_TAGS and not self.skip_depth:
            self.parts.append("\n")
        if tag in _HEADING_TAGS and not self.skip_depth:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text of an HTML document and its ``<title>``.

    Scripts, styles and other non-content elements are dropped, entities are
    decoded, and block structure is kept as line breaks (runs of blank lines
    collapse to one, spaces within a line collapse to one).
    """
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # pragma: no cover - HTMLParser is lenient
        logger.warning("malformed HTML; using the text found so far")
    raw = _normalise_newlines("".join(parser.parts))  # entities such as &#27; decode to controls
    lines = [re.sub(r"[ \t\f\v\u00a0]+", " ", line).strip() for line in raw.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = re.sub(r"\s+", " ", _normalise_newlines(html.unescape("".join(parser.title))))
    title = title.strip() or None
    return text, title


def looks_like_html(text: str) -> bool:
    """True when a text is an HTML document or fragment rather than prose with a stray tag."""
    head = text[:4096]
    if re.match(r"^\s*(<!doctype\s+html|<html[\s>])", head, re.I):
        return True
    return (
        len(re.findall(r"</?(p|div|li|ul|ol|br|h[1-6]|span|strong|b|em|table|tr|td)\b", head, re.I))
        >= 3
    )


# --------------------------------------------------------------------------- files


def _read_bytes(path: str, max_bytes: int) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        p = Path(path)
        try:
            if p.is_dir():
                raise InputError(f"{path}: is a folder, not a posting file")
            size = p.stat().st_size
            if size > max_bytes:
                raise InputError(
                    f"{path}: too large ({size:,} bytes; the limit is {max_bytes:,} bytes, "
                    "see --max-bytes)"
                )
            with p.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(
            f"{path}: too large (over the limit of {max_bytes:,} bytes, see --max-bytes)"
        )
    return data


def read_text(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read and decode a text file (or ``-`` for standard input), refusing bad input."""
    name = os.fspath(path)
    text = _normalise_newlines(decode_bytes(_read_bytes(name, max_bytes), source=name))
    if not text.strip():
        raise InputError(f"{name}: empty (no text to analyse)")
    return text


def _pdf_text(path: str, data: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"{path}: not a readable PDF ({exc})") from None
    return "\n\n".join(p.strip() for p in pages)


def _docx_text(path: str, data: bytes) -> str:
    import io
    import zipfile

    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError(f"{path}: reading .docx needs python-docx ({exc})") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{path}: not a readable .docx file ({exc})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def read_document(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str, str | None, str]:
    """Text, title and format of a posting or resume file: txt, md, html, pdf or docx.

    Returns
    -------
    (text, title, format)
        ``format`` is one of ``text``, ``markdown``, ``html``, ``pdf``, ``docx``.
    """
    name = os.fspath(path)
    suffix = Path(name).suffix.lower() if name != "-" else ""
    if suffix in (".pdf", ".docx"):
        data = _read_bytes(name, max(max_bytes, 20 * max_bytes if suffix == ".pdf" else max_bytes))
        text = _pdf_text(name, data) if suffix == ".pdf" else _docx_text(name, data)
        text = _normalise_newlines(text)
        if not text.strip():
            raise InputError(f"{name}: no text could be extracted")
        return text, None, suffix[1:]
    text = read_text(name, max_bytes=max_bytes)
    if suffix in HTML_SUFFIXES or (suffix not in (".md", ".markdown") and looks_like_html(text)):
        body, title = html_to_text(text)
        if not body.strip():
            raise InputError(f"{name}: the HTML has no visible text")
        return body, title, "html"
    return text, None, "markdown" if suffix in (".md", ".markdown") else "text"


_TITLE_NOISE = re.compile(r"^[#*\s>_-]+|[*_\s]+$")


def guess_title(text: str) -> str | None:
    """The posting's title: its first non-empty line when that line is short and heading-like."""
    for line in text.split("\n"):
        stripped = _TITLE_NOISE.sub("", line).strip()
        if not stripped:
            continue
        if (
            len(stripped) <= 120
            and not stripped.endswith((".", ",", ";"))
            and len(stripped.split()) <= 14
        ):
            return stripped.removeprefix("Job Title:").removeprefix("Title:").strip() or None
        return None
    return None


def read_posting(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Posting:
    """Read one posting from a file or ``-`` (standard input).

    Examples
    --------
    >>> posting = read_posting("samples/postings/ml-engineer-aws.txt")  # doctest: +SKIP
    >>> posting.title  # doctest: +SKIP
    'Machine Learning Engineer, AWS Platform'
    """
    name = os.fspath(path)
    text, html_title, fmt = read_document(name, max_bytes=max_bytes)
    title = guess_title(text) or html_title
    return Posting(text=text, source=name, title=title, format=fmt)
