"""Writers for one :class:`~analyzer.analysis.Analysis`: json, text, markdown, html.

Each writer is ``write_x(analysis, stream)``: it never opens files. The JSON
writer imports nothing heavy (it is on the cold-start path); the text writer
uses ``rich``; the HTML writer produces a self-contained page (no external
resources) where every piece of posting text is escaped, with the posting
highlighted by displaCy's span renderer.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import TextIO

from analyzer.analysis import Analysis, SkillMention
from analyzer.taxonomy_models import CATEGORIES, CATEGORY_NAMES

__all__ = ["WRITERS", "write_html", "write_json", "write_markdown", "write_text"]

CATEGORY_COLOURS = {"core": "#9ecae1", "cloud_mlops": "#a1d99b", "genai": "#fdae6b"}


def write_json(analysis: Analysis, stream: TextIO) -> None:
    """The contract JSON object, indented, with a trailing newline."""
    json.dump(analysis.to_dict(), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _by_category(analysis: Analysis) -> dict[str, list[SkillMention]]:
    groups: dict[str, list[SkillMention]] = {c: [] for c in CATEGORIES}
    for skill in analysis.skills:
        groups[skill.category].append(skill)
    return groups


def _evidence_line(skill: SkillMention, limit: int = 2) -> str:
    if skill.implied:
        return "implied by " + ", ".join(skill.implied_by)
    quotes = []
    for ev in skill.evidence[:limit]:
        quotes.append(f'"{ev.text}" ({ev.section or "?"}, @{ev.start})')
    more = len(skill.evidence) - limit
    return "; ".join(quotes) + (f" +{more} more" if more > 0 else "")


def _headline(analysis: Analysis) -> list[tuple[str, str]]:
    role = analysis.role
    eco = ", ".join(f"{k} {v}" for k, v in analysis.ecosystems.items() if v) or "none named"
    rows = [
        ("Source", analysis.source),
        ("Title", analysis.title or "(none found)"),
        (
            "Role family",
            f"{role.family} ({role.confidence:.0%}; runner-up {role.runner_up or '-'})",
        ),
        (
            "Seniority",
            analysis.seniority.level
            + (f", {analysis.seniority.min_years}+ years" if analysis.seniority.min_years else ""),
        ),
        (
            "Ecosystems",
            eco
            + (f" (primary: {analysis.primary_ecosystem})" if analysis.primary_ecosystem else ""),
        ),
        ("Skills", ", ".join(f"{CATEGORY_NAMES[c]} {n}" for c, n in analysis.categories.items())),
    ]
    if analysis.certifications:
        rows.append(("Certifications named", ", ".join(analysis.certifications)))
    if analysis.unknown_terms:
        rows.append(("Unknown terms", ", ".join(analysis.unknown_terms[:12])))
    return rows


def write_text(analysis: Analysis, stream: TextIO) -> None:
    """A readable terminal view grouped by category (rich tables; colour only on a terminal)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from analyzer.safety import terminal_safe

    console = Console(file=stream, width=110, highlight=False, soft_wrap=False)
    for label, value in _headline(analysis):
        console.print(Text.assemble((f"{label:<22}", "bold"), Text(terminal_safe(value))))
    for category, skills in _by_category(analysis).items():
        if not skills:
            continue
        table = Table(title=CATEGORY_NAMES[category], title_justify="left", expand=False)
        table.add_column("Skill", no_wrap=True)
        table.add_column("Requirement")
        table.add_column("Years", justify="right")
        table.add_column("Evidence", overflow="fold")
        for skill in skills:
            table.add_row(
                Text(f"{skill.name} ({skill.id})"),
                Text(skill.requirement),
                Text(str(skill.years) if skill.years else ""),
                Text(terminal_safe(_evidence_line(skill))),
            )
        console.print(table)
    if analysis.role.evidence:
        console.print(Text("Role evidence: " + "; ".join(analysis.role.evidence)))


def _md_cell(value: str) -> str:
    return html.escape(value, quote=False).replace("|", "\\|").replace("\n", " ")


def write_markdown(analysis: Analysis, stream: TextIO) -> None:
    """A Markdown report: headline table and one skills table per category."""
    stream.write(f"# {_md_cell(analysis.title or analysis.source)}\n\n")
    stream.write("| | |\n|---|---|\n")
    for label, value in _headline(analysis):
        stream.write(f"| {label} | {_md_cell(value)} |\n")
    for category, skills in _by_category(analysis).items():
        if not skills:
            continue
        stream.write(f"\n## {CATEGORY_NAMES[category]}\n\n")
        stream.write("| Skill | Requirement | Years | Evidence |\n|---|---|---|---|\n")
        for skill in skills:
            stream.write(
                f"| {_md_cell(skill.name)} (`{skill.id}`) | {skill.requirement} | "
                f"{skill.years or ''} | {_md_cell(_evidence_line(skill))} |\n"
            )


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
.posting {{ border: 1px solid #ddd; padding: 1em; white-space: normal; }}
.legend span {{ padding: 2px 6px; margin-right: 8px; border-radius: 3px; }}
</style></head><body>
<h1>{title}</h1>
<table>{headline}</table>
<p class="legend">{legend}</p>
{tables}
<h2>Posting</h2>
<div class="posting">{posting}</div>
</body></html>
"""


def _highlighted(analysis: Analysis) -> str:
    """The posting as displaCy span markup (displaCy escapes every token)."""
    import spacy
    from spacy import displacy
    from spacy.tokens import Span

    nlp = spacy.blank("en")
    nlp.max_length = max(nlp.max_length, len(analysis.text) + 1)  # no parser: no memory guard
    doc = nlp.make_doc(analysis.text)
    spans, colours = [], {}
    for skill in analysis.skills:
        for ev in skill.evidence:
            span = doc.char_span(ev.start, ev.end, label=skill.id, alignment_mode="expand")
            if span is not None:
                spans.append(Span(doc, span.start, span.end, label=skill.id, span_id=skill.id))
                colours[skill.id] = CATEGORY_COLOURS[skill.category]
    doc.spans["skills"] = spans
    return displacy.render(
        doc, style="span", page=False, options={"spans_key": "skills", "colors": colours}
    )


def write_html(analysis: Analysis, stream: TextIO) -> None:
    """A self-contained HTML page: headline, skill tables and the highlighted posting."""
    esc = html.escape
    headline = "".join(
        f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in _headline(analysis)
    )
    legend = "".join(
        f'<span style="background:{CATEGORY_COLOURS[c]}">{esc(CATEGORY_NAMES[c])}</span>'
        for c in CATEGORIES
    )
    tables = []
    for category, skills in _by_category(analysis).items():
        if not skills:
            continue
        rows = "".join(
            f"<tr><td>{esc(s.name)} <code>{esc(s.id)}</code></td><td>{esc(s.requirement)}</td>"
            f"<td>{s.years or ''}</td><td>{esc(_evidence_line(s))}</td></tr>"
            for s in skills
        )
        tables.append(
            f"<h2>{esc(CATEGORY_NAMES[category])}</h2><table><tr><th>Skill</th><th>Requirement</th>"
            f"<th>Years</th><th>Evidence</th></tr>{rows}</table>"
        )
    stream.write(
        _PAGE.format(
            title=esc(analysis.title or analysis.source),
            headline=headline,
            legend=legend,
            tables="\n".join(tables),
            posting=_highlighted(analysis),
        )
    )


WRITERS: dict[str, Callable[[Analysis, TextIO], None]] = {
    "json": write_json,
    "text": write_text,
    "markdown": write_markdown,
    "html": write_html,
}
