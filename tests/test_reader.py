"""Reading postings: encodings, HTML to text, and every refusal."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from analyzer.errors import InputError
from analyzer.reader import decode_bytes, guess_title, html_to_text, read_document, read_posting

TEXT = "Machine Learning Engineer\nRequirements: Python, SQL – café résumé"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252"],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "posting.txt"
    path.write_bytes(data)
    assert read_posting(path).text == TEXT


def test_latin1_fallback_for_bytes_cp1252_does_not_define() -> None:
    assert decode_bytes(b"caf\xe9 \x81") == "café \x81"


def test_crlf_line_endings_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(b"Title\r\nPython\rSQL\r\n")
    assert read_posting(path).text == "Title\nPython\nSQL\n"


def test_html_is_reduced_to_visible_text_with_line_breaks() -> None:
    markup = (
        "<html><head><title>ML Engineer</title><style>p{color:red}</style>"
        "<script>alert('x')</script></head><body><h1>ML&nbsp;Engineer</h1>"
        "<p>Python &amp; SQL<br>PyTorch</p><ul><li>Docker</li><li>K8s</li></ul>"
        "<noscript>enable js</noscript></body></html>"
    )
    text, title = html_to_text(markup)
    assert title == "ML Engineer"
    assert text == "ML Engineer\n\nPython & SQL\nPyTorch\n\n- Docker\n\n- K8s"


def test_html_file_is_detected_by_suffix_and_by_content(tmp_path: Path) -> None:
    by_suffix = tmp_path / "a.html"
    by_suffix.write_text("<p>Python</p>", encoding="utf-8")
    sniffed = tmp_path / "b.txt"
    sniffed.write_text("<!DOCTYPE html><html><body><p>Python</p></body></html>", encoding="utf-8")
    assert read_document(by_suffix)[0] == "Python"
    assert read_document(sniffed)[2] == "html"


def test_markdown_is_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Data Scientist\n\n**Python** and <b>SQL</b>\n", encoding="utf-8")
    posting = read_posting(path)
    assert posting.format == "markdown"
    assert posting.text == "# Data Scientist\n\n**Python** and <b>SQL</b>\n"
    assert posting.title == "Data Scientist"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty (no text to analyse)"),
        (b"  \n\t \n", "empty (no text to analyse)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file (contains NUL bytes)"),
        (bytes(range(1, 32)) * 40, "looks like a binary file (control characters)"),
    ],
    ids=["empty", "whitespace", "nul-bytes", "control-chars"],
)
def test_bad_content_is_refused_with_the_file_named(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad posting.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_posting(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_oversize_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("python " * 200, encoding="utf-8")
    with pytest.raises(InputError, match=r"too large \(1,400 bytes; the limit is 1,000 bytes"):
        read_posting(path, max_bytes=1000)


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_posting(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_posting(tmp_path)


def test_bad_pdf_and_docx_are_refused(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4 garbage")
    docx = tmp_path / "x.docx"
    docx.write_bytes(b"PK not a zip")
    with pytest.raises(InputError, match="x.pdf: "):
        read_document(pdf)
    with pytest.raises(InputError, match=r"x.docx: not a readable \.docx file"):
        read_document(docx)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Senior ML Engineer\n\nWe are hiring.", "Senior ML Engineer"),
        ("## **Data Scientist**\ntext", "Data Scientist"),
        ("We are a company that does many things, and we are hiring now.\nMore", None),
        ("\n\n  MLOps Engineer  \nbody", "MLOps Engineer"),
    ],
)
def test_guess_title(text: str, title: str | None) -> None:
    assert guess_title(text) == title
