"""Small inline SVG charts for the batch report: horizontal bars and a heatmap.

The charts are plain strings of SVG markup, drawn in Python so the report is
one self-contained, offline HTML file (no JavaScript, no external resources).
Every label is escaped with :func:`html.escape`, so text taken from postings
can never become markup. Output is deterministic: coordinates and values are
formatted with fixed precision.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass

logger = logging.getLogger(__name__)

__all__ = ["Bar", "bar_chart", "heatmap"]

FONT = 'font-family="system-ui, sans-serif" font-size="12"'
LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (a share in 0..1 by default) and an optional note."""

    label: str
    value: float
    note: str = ""
    colour: str = "#4c78a8"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    max_value: float | None = None,
    width: int = 640,
    value_label: str = "percent",
) -> str:
    """A horizontal bar chart as an ``<svg>`` element.

    Parameters
    ----------
    bars : sequence of Bar
        Drawn top to bottom in the given order.
    title : str
        The accessible title (``<title>`` and ``aria-label``).
    max_value : float, optional
        The value of a full-width bar; default the largest value (at least 1e-9).
    width : int
        Width in pixels.
    value_label : {"percent", "count"}
        How values are written at the end of each bar.

    Returns
    -------
    str

    Examples
    --------
    >>> svg = bar_chart([Bar("Python", 0.5)], title="Top skills")
    >>> svg.startswith("<svg") and "50%" in svg
    True
    """
    label_w, value_w, row_h, pad = 230, 90, 20, 4
    plot_w = width - label_w - value_w
    height = max(1, len(bars)) * row_h + 2 * pad
    top = max_value if max_value is not None else max((b.value for b in bars), default=0.0)
    top = max(top, 1e-9)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_esc(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" {FONT}>',
        f"<title>{_esc(title)}</title>",
    ]
    if not bars:
        parts.append(f'<text x="{pad}" y="{row_h - 6}" fill="#666">nothing to show</text>')
    for index, bar in enumerate(bars):
        y = pad + index * row_h
        w = plot_w * max(0.0, min(bar.value, top)) / top
        text = _percent(bar.value) if value_label == "percent" else _num(bar.value)
        if bar.note:
            text += f" ({bar.note})"
        parts.append(
            f"<g><title>{_esc(bar.label)}: {_esc(text)}</title>"
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">'
            f"{_esc(_short(bar.label))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{_num(w)}" height="{row_h - 6}" '
            f'fill="{_esc(bar.colour)}"/>'
            f'<text x="{_num(label_w + w + 4)}" y="{y + 14}" fill="#333">{_esc(text)}</text></g>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _cell_colour(value: float) -> str:
    """White (0) to dark blue (1)."""
    v = max(0.0, min(1.0, value))
    r = round(255 - v * (255 - 8))
    g = round(255 - v * (255 - 69))
    b = round(255 - v * (255 - 148))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    column_notes: Sequence[str] = (),
) -> str:
    """A heatmap of shares (0..1) as an ``<svg>`` element, one cell per row and column.

    Parameters
    ----------
    rows, columns : sequence of str
        Row labels (left) and column labels (top, slanted).
    values : sequence of sequences
        ``values[i][j]`` is the share for ``rows[i]`` and ``columns[j]``;
        ``None`` draws an empty cell.
    title : str
        The accessible title.
    column_notes : sequence of str, optional
        Extra text for each column's tooltip (e.g. ``"n=12"``).

    Returns
    -------
    str

    Examples
    --------
    >>> svg = heatmap(["python"], ["ml_engineer"], [[0.75]], title="Skills by family")
    >>> "75" in svg
    True
    """
    label_w, cell_w, cell_h, head_h = 230, 46, 20, 130
    width = label_w + max(1, len(columns)) * cell_w + head_h
    height = head_h + max(1, len(rows)) * cell_h + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_esc(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" {FONT}>',
        f"<title>{_esc(title)}</title>",
    ]
    for j, column in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        note = f" ({column_notes[j]})" if j < len(column_notes) and column_notes[j] else ""
        parts.append(
            f"<g><title>{_esc(column)}{_esc(note)}</title>"
            f'<text transform="translate({_num(x)},{head_h - 6}) rotate(-45)">'
            f"{_esc(_short(column, 24))}</text></g>"
        )
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_esc(_short(row))}</text>'
        )
        for j, column in enumerate(columns):
            value = values[i][j] if j < len(values[i]) else None
            x = label_w + j * cell_w
            if value is None:
                fill, text = "#f7f7f7", ""
            else:
                fill, text = _cell_colour(value), f"{100 * value:.0f}"
            ink = "#fff" if value is not None and value > 0.55 else "#222"
            parts.append(
                f"<g><title>{_esc(row)} / {_esc(column)}: "
                f"{_esc(_percent(value) if value is not None else 'n/a')}</title>"
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}"/>'
                f'<text x="{_num(x + (cell_w - 2) / 2)}" y="{y + 14}" text-anchor="middle" '
                f'fill="{ink}">{text}</text></g>'
            )
    parts.append("</svg>")
    return "\n".join(parts)
