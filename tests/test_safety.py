"""CSV injection guard shared by every CSV writer."""

from __future__ import annotations

import io

import pytest

from analyzer.safety import csv_line, neutralise_cell, row_writer, write_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("python", "python"),
        ("", ""),
        (" =x", " =x"),
        ("a=b", "a=b"),
        ("'=already", "'=already"),
    ],
)
def test_neutralise_cell(value: str, expected: str) -> None:
    assert neutralise_cell(value) == expected


def test_write_csv() -> None:
    out = io.StringIO()
    rows = [
        {"id": "a", "score": 0.5, "ok": True, "note": None, "ignored": "x"},
        {"id": "=b", "score": -1, "ok": False, "note": 'say "hi", then =go'},
    ]
    write_csv(rows, ["id", "score", "ok", "note"], out)
    assert out.getvalue() == (
        'id,score,ok,note\na,0.5,true,\n\'=b,\'-1,false,"say ""hi"", then =go"\n'
    )


def test_write_csv_no_rows() -> None:
    out = io.StringIO()
    write_csv([], ["id", "name"], out)
    assert out.getvalue() == "id,name\n"


class _Text(str):
    """A str subclass: takes the slow path of the cell conversion."""


def test_row_writer_and_csv_line_convert_every_kind_of_cell() -> None:
    values = ["a", "=b", _Text("-c"), _Text("d"), None, True, False, 3, -4, 0.5, -0.5, "\tx"]
    expected = "a,'=b,'-c,d,,true,false,3,'-4,0.5,'-0.5,'\tx\n"
    out = io.StringIO()
    row_writer(out)(values)
    assert out.getvalue() == expected
    assert csv_line(values) == expected
