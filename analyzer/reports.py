"""Writers for the batch report: a self-contained HTML page and a Markdown file.

Each writer is ``write_x(report, stream)``: it never opens files. The input is
a :class:`BatchReport` (plain rows of the summary tables, computed by
:mod:`analyzer.batch`). The HTML page has no scripts and no external
resources: charts are inline SVG from :mod:`analyzer.charts`, a
Content-Security-Policy forbids everything but inline styles, and every piece
of text that came from a posting or a file name is escaped. Output is fully
deterministic (no timestamps, no absolute paths beyond the input as given).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from analyzer.charts import Bar, bar_chart, heatmap
from analyzer.taxonomy_models import CATEGORIES, CATEGORY_NAMES

logger = logging.getLogger(__name__)

__all__ = ["WRITERS", "BatchReport", "write_report_html", "write_report_markdown"]

CATEGORY_COLOURS = {"core": "#4c78a8", "cloud_mlops": "#54a24b", "genai": "#f58518"}
TOP_SKILLS_PER_CATEGORY = 15
HEATMAP_SKILLS = 25
TABLE_ROWS = 25

Rows = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class BatchReport:
    """What the batch report shows.

    Attributes
    ----------
    input : str
        The input folder or file, as given.
    postings, errors : int
        How many postings were analysed and how many inputs failed.
    tables : mapping of str to rows
        The summary tables (see :data:`analyzer.frames.SUMMARY_COLUMNS`).
    sample : rows
        The first ``postings.csv`` rows (for the postings table).
    error_sample : rows
        The first ``errors.csv`` rows.
    """

    input: str
    postings: int
    errors: int
    tables: Mapping[str, Rows] = field(default_factory=dict)
    sample: Rows = ()
    error_sample: Rows = ()

    def table(self, name: str) -> Rows:
        return self.tables.get(name, ())


# --------------------------------------------------------------------------- shared content


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


def _top_by_category(report: BatchReport) -> dict[str, list[Mapping[str, Any]]]:
    out: dict[str, list[Mapping[str, Any]]] = {c: [] for c in CATEGORIES}
    for row in report.table("skill_share"):
        bucket = out.setdefault(row["category"], [])
        if len(bucket) < TOP_SKILLS_PER_CATEGORY:
            bucket.append(row)
    return out


def _heatmap_data(
    report: BatchReport,
) -> tuple[list[str], list[str], list[list[float | None]], list[str]]:
    families = [row for row in report.table("families") if row["postings"]]
    skills = list(report.table("skill_share"))[:HEATMAP_SKILLS]
    share = {
        (r["family"], r["skill_id"]): r["share"] for r in report.table("skill_share_by_family")
    }
    values = [[share.get((f["family"], s["skill_id"]), 0.0) for f in families] for s in skills]
    return (
        [s["skill"] for s in skills],
        [f["name"] for f in families],
        values,  # type: ignore[return-value]
        [f"n={f['postings']}" for f in families],
    )


def _headline(report: BatchReport) -> list[tuple[str, str]]:
    families = report.table("families")
    ecosystems = {r["ecosystem"]: r for r in report.table("ecosystems")}
    cloud = 1.0 - ecosystems["none"]["share"] if "none" in ecosystems and report.postings else 0.0
    top_family = f"{families[0]['name']} ({_pct(families[0]['share'])})" if families else "-"
    return [
        ("Input", report.input),
        ("Postings analysed", str(report.postings)),
        ("Inputs not analysed", f"{report.errors} (see errors.csv)" if report.errors else "0"),
        ("Most common role family", top_family),
        ("Postings naming a cloud ecosystem", _pct(cloud)),
        ("Distinct skills named", str(len(report.table("skill_share")))),
        ("Certifications named", str(len(report.table("certifications")))),
    ]


# --------------------------------------------------------------------------- HTML


_PAGE_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222;
  padding: 0 1em; line-height: 1.4; }}
h1 {{ margin-bottom: 0.2em; }}
h2 {{ border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }}
td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.note {{ color: #555; font-size: 0.92em; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 1.5em; }}
figure {{ margin: 0; }}
figcaption {{ font-weight: 600; margin-bottom: 0.3em; }}
</style></head><body>
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _html_table(
    rows: Rows, columns: Sequence[tuple[str, str]], formats: Mapping[str, Callable[[Any], str]]
) -> str:
    out = ["<table>"]
    if any(label for _key, label in columns):
        out.append("<thead><tr>")
        out.extend(f"<th>{_e(label)}</th>" for _key, label in columns)
        out.append("</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>")
        for key, _label in columns:
            value = row.get(key)
            if key in formats:
                out.append(f'<td class="num">{_e(formats[key](value))}</td>')
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out.append(f'<td class="num">{_e(value)}</td>')
            else:
                out.append(f"<td>{_e(value)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _figure(caption: str, svg: str) -> str:
    return f"<figure><figcaption>{_e(caption)}</figcaption>\n{svg}\n</figure>"


def write_report_html(report: BatchReport, stream: TextIO) -> None:
    """The batch report as one self-contained HTML page (inline SVG charts, no scripts).

    Parameters
    ----------
    report : BatchReport
        The summary to show.
    stream : TextIO
        Where to write.

    Returns
    -------
    None

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_report_html(BatchReport(input="<x>", postings=0, errors=0), out)
    >>> "&lt;x&gt;" in out.getvalue() and "<x>" not in out.getvalue()
    True
    """
    title = f"Skill demand in {report.postings} postings"
    w = stream.write
    w(_PAGE_HEAD.format(title=_e(title)))
    w(f"<h1>{_e(title)}</h1>\n")
    w(
        '<p class="note">Made by <code>skillgap batch</code>. Shares are the fraction of postings '
        "that name a skill (or imply it through a more specific one). The data behind every "
        "chart is in the CSV files next to this report.</p>\n"
    )
    rows = [{"k": k, "v": v} for k, v in _headline(report)]
    w(_html_table(rows, [("k", ""), ("v", "")], {}) + "\n")

    w("<h2>Role families</h2>\n")
    families = report.table("families")
    bars = [Bar(f["name"], f["share"], str(f["postings"])) for f in families]
    w(_figure("Share of postings per role family", bar_chart(bars, title="Role families")) + "\n")

    w('<h2>Top skills per category</h2>\n<div class="charts">\n')
    for category, skills in _top_by_category(report).items():
        bars = [
            Bar(s["skill"], s["share"], str(s["postings"]), CATEGORY_COLOURS.get(category, "#888"))
            for s in skills
        ]
        name = CATEGORY_NAMES.get(category, category)
        w(_figure(name, bar_chart(bars, title=f"Top skills: {name}", max_value=1.0)) + "\n")
    w("</div>\n")

    w("<h2>Cloud ecosystems</h2>\n")
    eco = [r for r in report.table("ecosystems") if r["ecosystem"] != "none"]
    bars = [Bar(r["ecosystem"], r["share"], f"primary in {r['primary_postings']}") for r in eco]
    w(
        _figure(
            "Share of postings naming each ecosystem",
            bar_chart(bars, title="Ecosystems", max_value=1.0),
        )
        + "\n"
    )
    w(
        '<p class="note">A posting can name several ecosystems; its primary ecosystem is the one '
        "it names most (none on a tie).</p>\n"
    )

    w("<h2>Skills by role family</h2>\n")
    labels, columns, values, notes = _heatmap_data(report)
    w(
        _figure(
            f"Share of postings in each family naming the {len(labels)} most common skills",
            heatmap(labels, columns, values, title="Skills by role family", column_notes=notes),
        )
        + "\n"
    )

    w("<h2>Certifications named</h2>\n")
    certs = list(report.table("certifications"))[:TABLE_ROWS]
    if certs:
        w(
            _html_table(
                certs,
                [("certification", "Certification"), ("postings", "Postings"), ("share", "Share")],
                {"share": _pct},
            )
            + "\n"
        )
    else:
        w("<p>No posting names a certification from the catalogue.</p>\n")

    w("<h2>Seniority</h2>\n")
    w(
        _html_table(
            report.table("seniority"),
            [("seniority", "Level"), ("postings", "Postings"), ("share", "Share")],
            {"share": _pct},
        )
        + "\n"
    )

    w("<h2>Terms the taxonomy does not know</h2>\n")
    unknown = list(report.table("unknown_terms"))[:TABLE_ROWS]
    if unknown:
        w(
            '<p class="note">Tool-like words that no skill alias matched: candidates for the '
            "taxonomy.</p>\n"
        )
        w(
            _html_table(
                unknown,
                [("term", "Term"), ("postings", "Postings"), ("share", "Share")],
                {"share": _pct},
            )
            + "\n"
        )
    else:
        w("<p>None.</p>\n")

    w("<h2>Postings</h2>\n")
    if report.postings > len(report.sample):
        w(
            f'<p class="note">The first {len(report.sample)} of {report.postings}; '
            "all of them are in postings.csv.</p>\n"
        )
    w(_html_table(report.sample, _POSTING_TABLE, {"confidence": _pct}) + "\n")

    if report.errors:
        w("<h2>Inputs not analysed</h2>\n")
        if report.errors > len(report.error_sample):
            w(
                f'<p class="note">The first {len(report.error_sample)} of {report.errors}; '
                "all of them are in errors.csv.</p>\n"
            )
        w(_html_table(report.error_sample, [("source", "Source"), ("reason", "Reason")], {}) + "\n")
    w("</body></html>\n")


_POSTING_TABLE = [
    ("source", "Source"),
    ("title", "Title"),
    ("family", "Role family"),
    ("confidence", "Confidence"),
    ("seniority", "Seniority"),
    ("min_years", "Min. years"),
    ("primary_ecosystem", "Ecosystem"),
    ("skills", "Skills"),
]


# --------------------------------------------------------------------------- Markdown


def _md(value: Any) -> str:
    text = "" if value is None else str(value)
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _md_table(
    rows: Rows, columns: Sequence[tuple[str, str]], formats: Mapping[str, Callable[[Any], str]]
) -> str:
    lines = [
        "| " + " | ".join(label for _k, label in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for row in rows:
        cells = [
            _md(formats[k](row.get(k)) if k in formats else row.get(k)) for k, _label in columns
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_report_markdown(report: BatchReport, stream: TextIO) -> None:
    """The batch report as Markdown tables (the same sections as the HTML, without charts).

    Parameters
    ----------
    report : BatchReport
        The summary to show.
    stream : TextIO
        Where to write.

    Returns
    -------
    None
    """
    w = stream.write
    w(f"# Skill demand in {report.postings} postings\n\n")
    w(_md_table([{"k": k, "v": v} for k, v in _headline(report)], [("k", ""), ("v", "")], {}))
    w("\n## Role families\n\n")
    w(
        _md_table(
            report.table("families"),
            [("name", "Role family"), ("postings", "Postings"), ("share", "Share")],
            {"share": _pct},
        )
    )
    w("\n## Top skills per category\n")
    for category, skills in _top_by_category(report).items():
        w(f"\n### {CATEGORY_NAMES.get(category, category)}\n\n")
        w(
            _md_table(
                skills,
                [
                    ("skill", "Skill"),
                    ("postings", "Postings"),
                    ("share", "Share"),
                    ("required", "Required"),
                ],
                {"share": _pct},
            )
        )
    w("\n## Cloud ecosystems\n\n")
    w(
        _md_table(
            report.table("ecosystems"),
            [
                ("ecosystem", "Ecosystem"),
                ("postings", "Postings"),
                ("share", "Share"),
                ("primary_postings", "Primary"),
            ],
            {"share": _pct},
        )
    )
    w("\n## Skills by role family\n\n")
    labels, columns, values, _notes = _heatmap_data(report)
    rows = [
        {"skill": label, **{str(j): _pct(v) if v is not None else "" for j, v in enumerate(vals)}}
        for label, vals in zip(labels, values, strict=True)
    ]
    w(_md_table(rows, [("skill", "Skill"), *((str(j), c) for j, c in enumerate(columns))], {}))
    w("\n## Certifications named\n\n")
    certs = list(report.table("certifications"))[:TABLE_ROWS]
    w(
        _md_table(
            certs,
            [("certification", "Certification"), ("postings", "Postings"), ("share", "Share")],
            {"share": _pct},
        )
        if certs
        else "None.\n"
    )
    w("\n## Seniority\n\n")
    w(
        _md_table(
            report.table("seniority"),
            [("seniority", "Level"), ("postings", "Postings"), ("share", "Share")],
            {"share": _pct},
        )
    )
    w("\n## Terms the taxonomy does not know\n\n")
    unknown = list(report.table("unknown_terms"))[:TABLE_ROWS]
    w(
        _md_table(unknown, [("term", "Term"), ("postings", "Postings")], {})
        if unknown
        else "None.\n"
    )
    w("\n## Postings\n\n")
    if report.postings > len(report.sample):
        w(f"The first {len(report.sample)} of {report.postings}; all are in postings.csv.\n\n")
    w(_md_table(report.sample, _POSTING_TABLE, {"confidence": _pct}))
    if report.errors:
        w("\n## Inputs not analysed\n\n")
        w(_md_table(report.error_sample, [("source", "Source"), ("reason", "Reason")], {}))


WRITERS: dict[str, Callable[[BatchReport, TextIO], None]] = {
    "html": write_report_html,
    "markdown": write_report_markdown,
}
"""Report writers by format name."""
