"""The JSON cache of parsed taxonomy YAML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analyzer.parse_cache import cache_dir, cached_parse


def test_second_parse_comes_from_the_cache_with_dates_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(tmp_path))
    calls = []

    def parse(data: bytes) -> dict:
        calls.append(data)
        return {"d": dt.date(2026, 6, 30), "items": [1, "x", None]}

    first = cached_parse(b"doc", parse)
    second = cached_parse(b"doc", parse)
    assert first == second == {"d": dt.date(2026, 6, 30), "items": [1, "x", None]}
    assert calls == [b"doc"]
    assert len(list(tmp_path.glob("*.json"))) == 1
    cached_parse(b"other doc", parse)
    assert len(calls) == 2


def test_errors_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(tmp_path))

    def parse(data: bytes) -> dict:
        raise ValueError("bad")

    for _ in range(2):
        with pytest.raises(ValueError, match="bad"):
            cached_parse(b"doc", parse)
    assert list(tmp_path.iterdir()) == []


def test_disabled_and_unwritable_caches_still_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", "off")
    assert cache_dir() is None
    assert cached_parse(b"x", lambda d: [1]) == [1]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(blocker / "sub"))
    assert cached_parse(b"x", lambda d: [2]) == [2]


def test_a_corrupt_cache_file_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(tmp_path))
    cached_parse(b"doc", lambda d: {"a": 1})
    (path,) = tmp_path.glob("*.json")
    path.write_text("{not json", encoding="utf-8")
    assert cached_parse(b"doc", lambda d: {"a": 2}) == {"a": 2}


def test_a_kind_keeps_only_its_newest_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(tmp_path))
    cached_parse(b"yaml", lambda raw: {"plain": 1})  # another kind is never pruned
    for i in range(5):
        cached_parse(f"v{i}".encode(), lambda raw: [raw.decode()], kind="patterns", keep=2)
        for path in tmp_path.glob("patterns-*.json"):  # distinct, increasing times
            os.utime(path, ns=(path.stat().st_mtime_ns - 10**9,) * 2)
    kept = sorted(p.name for p in tmp_path.glob("patterns-*.json"))
    assert len(kept) == 2
    assert cached_parse(b"v4", lambda raw: ["recomputed"], kind="patterns", keep=2) == ["v4"]
    assert cached_parse(b"v3", lambda raw: ["recomputed"], kind="patterns", keep=2) == ["v3"]
    assert cached_parse(b"v0", lambda raw: ["recomputed"], kind="patterns", keep=2) == [
        "recomputed"
    ]
    assert len(list(tmp_path.glob("[!p]*.json"))) == 1


def test_writable_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from analyzer.parse_cache import writable_cache_dir

    monkeypatch.setenv("SKILLGAP_CACHE_DIR", "off")
    assert writable_cache_dir() is None
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(tmp_path / "not" / "yet"))
    assert writable_cache_dir() == tmp_path / "not" / "yet"  # created on first write
    if os.geteuid() == 0:
        pytest.skip("root may write everywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(locked / "cache"))
    assert writable_cache_dir() is None
