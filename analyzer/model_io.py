"""Read and write role-model directories in the plain format (JSON + NPZ, never pickle).

A model directory holds exactly two files:

- ``model.json``: format name and version, the taxonomy version it was trained
  on, classes, parameters, vocabularies, taxonomy signals, block layout and the
  SHA-256 of ``weights.npz``;
- ``weights.npz``: float64 arrays (idf weights, coefficients, intercepts),
  written with fixed zip timestamps so retraining reproduces it byte for byte
  and read with ``allow_pickle=False``.

Anything else (a pickle, a missing or malformed file, a checksum mismatch, a
model of another taxonomy version) raises :class:`~analyzer.errors.ModelError`.
Imports numpy and the standard library only.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.errors import ModelError

logger = logging.getLogger(__name__)

__all__ = [
    "ARRAYS_FILE",
    "FORMAT",
    "FORMAT_VERSION",
    "META_FILE",
    "check_taxonomy_version",
    "read_model_dir",
    "write_model_dir",
]

FORMAT = "skillgap-role-model"
FORMAT_VERSION = 1
META_FILE = "model.json"
ARRAYS_FILE = "weights.npz"
_PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".sav", ".dill", ".cloudpickle")
_REQUIRED_META = {
    "format": str,
    "format_version": int,
    "taxonomy_version": str,
    "classes": list,
    "params": dict,
    "signals": dict,
    "blocks": list,
    "word_vocabulary": list,
    "title_vocabulary": list,
    "arrays_sha256": str,
}
_REQUIRED_ARRAYS = ("coef", "intercept", "word_idf", "title_idf")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """An NPZ archive with fixed timestamps and sorted members (reproducible bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            array = np.ascontiguousarray(arrays[name], dtype=np.float64)
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def write_model_dir(
    path: str | os.PathLike[str], meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
) -> Path:
    """Write ``model.json`` and ``weights.npz`` into ``path`` (created if needed).

    Parameters
    ----------
    path : path-like
        The model directory.
    meta : mapping
        JSON-serialisable metadata; ``format``, ``format_version`` and
        ``arrays_sha256`` are filled in here.
    arrays : mapping of str to numpy.ndarray
        Float arrays, stored as float64.

    Returns
    -------
    pathlib.Path
        The directory written.

    Raises
    ------
    ModelError
        If ``path`` exists and is not a directory, or holds files of another kind.
    """
    directory = Path(path)
    if directory.exists() and not directory.is_dir():
        raise ModelError(f"{directory}: exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    foreign = sorted(p.name for p in directory.iterdir() if p.name not in (META_FILE, ARRAYS_FILE))
    if foreign:
        raise ModelError(
            f"{directory}: refusing to write a model into a folder holding other files "
            f"({', '.join(foreign)}); use an empty or new folder"
        )
    blob = _npz_bytes(arrays)
    full = {
        **meta,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "arrays_sha256": hashlib.sha256(blob).hexdigest(),
    }
    text = json.dumps(full, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
    (directory / ARRAYS_FILE).write_bytes(blob)
    (directory / META_FILE).write_text(text + "\n", encoding="utf-8")
    logger.info("wrote role model to %s", directory)
    return directory


def _refuse_pickles(path: Path) -> None:
    candidates = [path] if path.is_file() else list(path.iterdir()) if path.is_dir() else []
    pickles = sorted(p.name for p in candidates if p.suffix.lower() in _PICKLE_SUFFIXES)
    if pickles:
        raise ModelError(
            f"{path}: refusing to load {', '.join(pickles)}: pickled models can run arbitrary "
            f"code and are never loaded; a model directory holds only {META_FILE} and "
            f"{ARRAYS_FILE} (retrain with 'skillgap train')"
        )


def read_model_dir(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read and check a model directory written by :func:`write_model_dir`.

    Parameters
    ----------
    path : path-like
        The model directory.

    Returns
    -------
    meta : dict
        The parsed ``model.json``.
    arrays : dict of str to numpy.ndarray
        The arrays of ``weights.npz``.

    Raises
    ------
    ModelError
        For a pickle, a missing directory or file, invalid JSON, a wrong format
        name or version, missing keys, a checksum mismatch or an unreadable NPZ.
    """
    directory = Path(path)
    if not directory.exists():
        raise ModelError(f"{directory}: model directory not found")
    _refuse_pickles(directory)
    if not directory.is_dir():
        raise ModelError(
            f"{directory}: not a model directory (expected a folder with {META_FILE} "
            f"and {ARRAYS_FILE})"
        )
    meta_path, arrays_path = directory / META_FILE, directory / ARRAYS_FILE
    for needed in (meta_path, arrays_path):
        if not needed.is_file():
            raise ModelError(f"{directory}: {needed.name} is missing; not a skillgap role model")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{meta_path}: not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{meta_path}: expected a JSON object")
    if meta.get("format") != FORMAT:
        raise ModelError(f"{meta_path}: format is {meta.get('format')!r}, expected {FORMAT!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{meta_path}: format_version {meta.get('format_version')!r} is not supported "
            f"(this skillgap reads version {FORMAT_VERSION}); retrain with 'skillgap train'"
        )
    for key, kind in _REQUIRED_META.items():
        if not isinstance(meta.get(key), kind):
            raise ModelError(f"{meta_path}: [{key}] missing or not a {kind.__name__}")
    blob = arrays_path.read_bytes()
    if hashlib.sha256(blob).hexdigest() != meta["arrays_sha256"]:
        raise ModelError(
            f"{arrays_path}: checksum does not match {META_FILE}; the model is damaged"
        )
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            arrays = {name: np.asarray(npz[name], dtype=np.float64) for name in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{arrays_path}: not a readable NPZ of plain arrays ({exc})") from None
    missing = [name for name in _REQUIRED_ARRAYS if name not in arrays]
    if missing:
        raise ModelError(f"{arrays_path}: missing arrays {', '.join(missing)}")
    return meta, arrays


def check_taxonomy_version(meta: Mapping[str, Any], current: str, *, source: str) -> None:
    """Refuse a model trained on another taxonomy version.

    Parameters
    ----------
    meta : mapping
        The model's metadata.
    current : str
        The version of the taxonomy in use.
    source : str
        Where the model came from (for the message).

    Raises
    ------
    ModelError
        When the versions differ.
    """
    trained = meta.get("taxonomy_version")
    if trained != current:
        raise ModelError(
            f"{source}: the model was trained on taxonomy version {trained!r} but the taxonomy "
            f"in use is {current!r}; retrain it with 'skillgap train ... --out {source}'"
        )
