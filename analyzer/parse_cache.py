"""A small on-disk cache of parsed YAML documents, stored as JSON and keyed by content hash.

Parsing the taxonomy YAML is the slowest part of a cold start; the parsed
documents are cached as JSON (never pickle) under the user's cache folder,
keyed by the SHA-256 of the file's bytes, so an edited file is simply parsed
again. Dates survive the round trip. Only successfully parsed documents are
cached, so every error is still raised from the YAML itself.

The folder is ``$SKILLGAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/skillgap``, else
``~/.cache/skillgap``; set ``SKILLGAP_CACHE_DIR=off`` to disable the cache. A
folder that cannot be written is silently not used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

CACHE_ENV = "SKILLGAP_CACHE_DIR"
FORMAT = "yaml-json-1"

__all__ = ["cache_dir", "cached_parse", "writable_cache_dir"]


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is disabled."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "none") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "skillgap"


def writable_cache_dir() -> Path | None:
    """The cache folder when entries can be written to it (it or its nearest parent is
    writable), else None."""
    folder = cache_dir()
    if folder is None:
        return None
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return folder if os.access(probe, os.W_OK) else None


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "__date__" in obj:
        return dt.date.fromisoformat(obj["__date__"])
    return obj


def cached_parse(
    data: bytes, parse: Callable[[bytes], Any], *, kind: str = "", keep: int | None = None
) -> Any:
    """``parse(data)``, served from the JSON cache when the same bytes were parsed before.

    ``kind`` prefixes the file name; with ``keep``, writing an entry removes all but the
    ``keep`` newest entries of that kind (for large entries that a new version replaces).
    """
    folder = cache_dir()
    if folder is None:
        return parse(data)
    digest = hashlib.sha256(FORMAT.encode() + b"\0" + data).hexdigest()
    prefix = f"{kind}-" if kind else ""
    path = folder / f"{prefix}{digest}.json"
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle, object_hook=_decode)
    except (OSError, ValueError):
        pass
    result = parse(data)
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(result, handle, default=_encode)
        os.replace(tmp, path)
        if kind and keep is not None:
            _prune(folder, prefix, keep)
    except (OSError, TypeError, ValueError) as exc:
        logger.debug("not caching %s: %s", path, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return result


def _prune(folder: Path, prefix: str, keep: int) -> None:
    """Remove all but the ``keep`` most recently written ``prefix*.json`` entries."""
    entries = sorted(
        folder.glob(f"{prefix}*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True
    )
    for old in entries[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
