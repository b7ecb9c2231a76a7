"""Regenerate the sample resumes (txt, pdf, docx) from ``resume.md`` in this folder.

Run from anywhere: ``python samples/profiles/make_resumes.py``. The PDF is written
by hand (one Helvetica font, one text line per row, no dependencies) so that it
can be rebuilt anywhere; the DOCX uses python-docx, already a dependency of the
project. The outputs are committed; tests read them through ``load_profile``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "resume.md"
LINES_PER_PAGE = 52
_MARKUP = re.compile(r"^(#+\s*|-\s+)")


def plain_lines(markdown: str) -> list[str]:
    """The resume as plain lines: headings and bullets without markdown markers."""
    out = []
    for line in markdown.splitlines():
        stripped = line.rstrip()
        if stripped.startswith("- "):
            out.append("* " + stripped[2:])
        else:
            out.append(_MARKUP.sub("", stripped))
    return out


def wrap(line: str, width: int = 95) -> list[str]:
    """Wrap a long line at spaces (the PDF has no line breaking of its own)."""
    if len(line) <= width:
        return [line]
    words, rows, row = line.split(" "), [], ""
    for word in words:
        if row and len(row) + 1 + len(word) > width:
            rows.append(row)
            row = "  " + word
        else:
            row = f"{row} {word}" if row else word
    rows.append(row)
    return rows


def _pdf_string(text: str) -> str:
    data = text.encode("latin-1", "replace").decode("latin-1")
    return data.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(lines: list[str], path: Path) -> None:
    """A minimal, valid PDF 1.4: catalog, pages, one font, one content stream per page."""
    rows = [row for line in lines for row in wrap(line)]
    pages = [rows[i : i + LINES_PER_PAGE] for i in range(0, len(rows), LINES_PER_PAGE)] or [[]]
    font_id = 3
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
    }
    kids = []
    next_id = 4
    for page_rows in pages:
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        kids.append(f"{page_id} 0 R")
        body = ["BT", "/F1 10 Tf", "14 TL", "56 790 Td"]
        body += [f"({_pdf_string(row)}) Tj T*" for row in page_rows]
        body.append("ET")
        stream = "\n".join(body).encode("latin-1")
        objects[content_id] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        )
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
        ).encode()
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    count = max(objects) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode()
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def write_docx(markdown: str, path: Path) -> None:
    """A Word document with real headings and bullet paragraphs."""
    from docx import Document

    document = Document()
    for line in markdown.splitlines():
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            document.add_heading(text.lstrip("#").strip(), level=min(level - 1, 3))
        elif text.startswith("- "):
            document.add_paragraph(text[2:], style="List Bullet")
        else:
            document.add_paragraph(text)
    props = document.core_properties
    props.author = "skillgap samples"
    props.created = props.modified = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    document.save(str(path))


def main() -> None:
    """Write resume.txt, resume.pdf and resume.docx next to this script."""
    markdown = SOURCE.read_text(encoding="utf-8")
    lines = plain_lines(markdown)
    (HERE / "resume.txt").write_text("\n".join(lines).strip() + "\n", encoding="utf-8")
    write_pdf(lines, HERE / "resume.pdf")
    write_docx(markdown, HERE / "resume.docx")


if __name__ == "__main__":
    main()
