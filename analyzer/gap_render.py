"""Writers for :class:`~analyzer.gap.GapReport`: text, markdown, HTML and JSON.

The report is first laid out once as a list of neutral blocks (headings,
paragraphs, lists, tables) by :func:`report_blocks`; each writer only renders
those blocks, so the three human formats always say the same thing. Writers
take a stream and never open files or print. HTML is self-contained (inline
CSS, no scripts, no external resources) and escapes every piece of text.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from analyzer.gap import GapItem, GapReport
from analyzer.safety import terminal_safe

__all__ = [
    "WRITERS",
    "Block",
    "report_blocks",
    "write_html",
    "write_json",
    "write_markdown",
    "write_text",
]


@dataclass(frozen=True)
class Block:
    """One layout block: ``kind`` is ``h1``, ``h2``, ``p``, ``ul``, ``ol`` or ``table``."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}"


def _skill_rows(report: GapReport, items: Sequence[GapItem]) -> tuple[tuple[str, ...], ...]:
    rows = []
    for item in items:
        row = [item.name, item.id, item.category, item.requirement, f"{item.weight:.3g}"]
        if report.scope == "market":
            row.append(f"{item.postings}/{report.postings} ({100 * (item.share or 0):.0f}%)")
        extra = ""
        if item.via:
            extra = "via " + ", ".join(item.via)
        if item.note:
            extra = item.note
        row.append(extra)
        rows.append(tuple(row))
    return tuple(rows)


def report_blocks(report: GapReport) -> list[Block]:
    """Lay the report out as blocks, in reading order.

    Parameters
    ----------
    report : GapReport

    Returns
    -------
    list of Block
    """
    blocks: list[Block] = []
    if report.scope == "market":
        heading = f"Market gap: {report.postings} postings in {report.source}"
    else:
        heading = f"Gap: {report.title or report.source}"
    blocks.append(Block("h1", heading))
    role = report.role_name or report.role_family
    if role is None:
        role = "mixed (no single majority)" if report.scope == "market" else "unknown"
    blocks.append(
        Block(
            "ul",
            items=(
                f"Candidate: {report.profile.name} ({report.profile.kind} {report.profile.source})",
                f"Role family: {role}",
                f"Career stage: {report.stage_name} ({report.stage_reason})",
                f"Target ecosystem: {report.ecosystem or 'none'} ({report.ecosystem_reason})",
                f"Certification status as of {report.as_of.isoformat()}",
                *report.notes,
            ),
        )
    )

    blocks.append(Block("h2", f"Coverage: {_num(report.coverage.score)} / 100"))
    blocks.append(
        Block(
            "table",
            headers=("Part", "Score", "Earned", "Total"),
            rows=tuple(
                (c.name, _num(c.score), _num(round(c.earned, 2)), _num(round(c.total, 2)))
                for c in (report.coverage.overall, *report.coverage.categories)
            ),
        )
    )
    blocks.append(Block("p", "How the score is computed:"))
    blocks.append(Block("ul", items=report.explanation()))

    headers = ("Skill", "Id", "Category", "Requirement", "Weight")
    if report.scope == "market":
        headers += ("Postings",)
    for label, items, extra in (
        ("Missing", report.missing, "Note"),
        ("Transferable", report.transferable, "Via"),
        ("Matched", report.matched, "Note"),
    ):
        blocks.append(Block("h2", f"{label} ({len(items)})"))
        if items:
            blocks.append(
                Block("table", headers=(*headers, extra), rows=_skill_rows(report, items))
            )
        else:
            blocks.append(Block("p", "None."))

    blocks.append(Block("h2", "Certifications"))
    if report.certifications:
        blocks.append(
            Block(
                "ol",
                items=tuple(
                    f"{c.name}{f' ({c.code})' if c.code else ''}: {c.provider}, {c.level}, "
                    f"{c.status_label}. Why: {c.reason}"
                    for c in report.certifications
                ),
            )
        )
    else:
        blocks.append(Block("p", "No catalogue certification fits this stage and gap."))
    if report.held_certifications:
        blocks.append(Block("p", "Certifications held:"))
        blocks.append(
            Block("ul", items=tuple(f"{c.name}: {c.note}" for c in report.held_certifications))
        )
    if report.excluded_certifications:
        blocks.append(Block("p", "Not recommended, although they cover part of the gap:"))
        blocks.append(
            Block(
                "ul", items=tuple(f"{c.name}: {c.reason}" for c in report.excluded_certifications)
            )
        )

    blocks.append(Block("h2", "Projects"))
    if report.projects:
        blocks.append(
            Block(
                "ol",
                items=tuple(
                    f"{p.title} ({p.effort_days} days). Why: {p.reason}. "
                    f"Deliverables: {'; '.join(p.deliverables)}"
                    for p in report.projects
                ),
            )
        )
    else:
        blocks.append(Block("p", "No catalogue project fits this stage and gap."))

    blocks.append(Block("h2", f"Plan ({report.stage_name})"))
    if report.plan:
        blocks.append(Block("ul", items=tuple(step.text for step in report.plan)))
    else:
        blocks.append(Block("p", "Nothing to add: the profile already covers the posting."))
    if report.advice:
        blocks.append(Block("p", "What the guide advises at this stage:"))
        blocks.append(Block("ul", items=report.advice))
    return blocks


# --------------------------------------------------------------------------- text


def _text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  " + "  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        )
    return lines


def write_text(report: GapReport, stream: TextIO) -> None:
    """Plain text for a terminal."""
    lines: list[str] = []
    for block in report_blocks(report):
        if block.kind == "h1":
            lines += [block.text, "=" * len(block.text)]
        elif block.kind == "h2":
            lines += ["", block.text, "-" * len(block.text)]
        elif block.kind == "p":
            lines.append(block.text)
        elif block.kind == "ul":
            lines += [f"  - {item}" for item in block.items]
        elif block.kind == "ol":
            lines += [f"  {n}. {item}" for n, item in enumerate(block.items, start=1)]
        elif block.kind == "table":
            lines += _text_table(block.headers, block.rows)
    stream.write(terminal_safe("\n".join(lines)) + "\n")


# --------------------------------------------------------------------------- markdown


def _md(text: str) -> str:
    return _md_text(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_text(text: str) -> str:
    """Raw HTML in posting or profile text is shown as text, never rendered (no tag opens)."""
    return text.replace("<", "&lt;")


def write_markdown(report: GapReport, stream: TextIO) -> None:
    """GitHub-flavoured markdown."""
    out: list[str] = []
    for block in report_blocks(report):
        if block.kind == "h1":
            out += [f"# {_md_text(block.text)}", ""]
        elif block.kind == "h2":
            out += [f"## {_md_text(block.text)}", ""]
        elif block.kind == "p":
            out += [_md_text(block.text), ""]
        elif block.kind == "ul":
            out += [f"- {_md_text(item)}" for item in block.items] + [""]
        elif block.kind == "ol":
            out += [f"{n}. {_md_text(item)}" for n, item in enumerate(block.items, start=1)] + [""]
        elif block.kind == "table":
            out.append("| " + " | ".join(_md(h) for h in block.headers) + " |")
            out.append("|" + "---|" * len(block.headers))
            out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]
            out.append("")
    stream.write("\n".join(out).rstrip("\n") + "\n")


# --------------------------------------------------------------------------- html

_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#222}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;"
    "padding:.25rem .5rem;text-align:left}th{background:#f3f3f3}h2{margin-top:1.5rem}"
)


def write_html(report: GapReport, stream: TextIO) -> None:
    """A self-contained HTML page (inline CSS, no scripts, every text escaped)."""
    esc = html.escape
    title = report.title or report.source
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{esc('skillgap: ' + title)}</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    for block in report_blocks(report):
        if block.kind in ("h1", "h2", "p"):
            out.append(f"<{block.kind}>{esc(block.text)}</{block.kind}>")
        elif block.kind in ("ul", "ol"):
            items = "".join(f"<li>{esc(item)}</li>" for item in block.items)
            out.append(f"<{block.kind}>{items}</{block.kind}>")
        elif block.kind == "table":
            head = "".join(f"<th>{esc(h)}</th>" for h in block.headers)
            body = "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in block.rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    out.append("</body></html>")
    stream.write("\n".join(out) + "\n")


# --------------------------------------------------------------------------- json


def write_json(report: GapReport, stream: TextIO) -> None:
    """The :meth:`GapReport.to_dict` object as indented JSON."""
    json.dump(report.to_dict(), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


WRITERS: dict[str, Callable[[GapReport, TextIO], None]] = {
    "text": write_text,
    "json": write_json,
    "markdown": write_markdown,
    "html": write_html,
}
