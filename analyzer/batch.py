"""Analyse a folder or table of postings into files people and pandas can read.

:func:`run_batch` streams the postings of an input (see
:mod:`analyzer.batch_input`) through the extraction pipeline and writes, into
one output folder:

- ``postings.jsonl``: one analysis per line, appended as results arrive;
- ``errors.csv``: one line per input that could not be analysed, appended too;
- ``postings.csv`` and ``skills.csv``, rows written as each analysis (or, with
  ``resume``, each earlier line of ``postings.jsonl``) goes into the journal;
- then the summary tables (``skill_share.csv``, ...) and
  ``report.html``/``report.md``. Every file but the two journals is written to a
  temporary file and renamed when complete.

Memory stays bounded: analyses are never collected; only counters (skills x
role families, ecosystems, certifications, unknown terms) and the set of
sources already written (for ``resume``) are kept. With ``jobs > 1`` worker
processes analyse chunks of postings while at most a few chunks per worker are
in flight, and results are written in input order, so the files are identical
to a ``jobs=1`` run. An interrupt leaves only complete lines; ``resume=True``
truncates a torn last line and skips sources already in ``postings.jsonl`` or
``errors.csv``. A lock file refuses a second run into the same folder.

:func:`analyze_folder` is the library entry point; it returns a
:class:`BatchResult` with pandas frames.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import multiprocessing
import os
import signal
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TextIO

from analyzer.analysis import Analysis
from analyzer.batch_input import ColumnSpec, Failure, Task, iter_inputs, load_task
from analyzer.errors import AnalyzerError, InputError
from analyzer.frames import (
    ERROR_COLUMNS,
    POSTING_COLUMNS,
    SKILL_COLUMNS,
    SUMMARY_COLUMNS,
    posting_values,
    skill_values,
)
from analyzer.pipeline_parallel import can_fork, chunked, ordered_results, prepare_to_fork
from analyzer.reader import DEFAULT_MAX_BYTES, Posting
from analyzer.safety import FORMULA_PREFIXES, csv_line, row_writer, write_csv

if TYPE_CHECKING:
    import pandas as pd

    from analyzer.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "OUTPUT_FILES",
    "BatchError",
    "BatchResult",
    "BatchStats",
    "Tally",
    "analyze_folder",
    "read_errors",
    "read_records",
    "run_batch",
    "warm_up",
]

EXIT_OK = 0
"""Exit status: every posting found was analysed."""
EXIT_PARTIAL = 3
"""Exit status: some inputs could not be analysed (see ``errors.csv``)."""
EXIT_INTERRUPTED = 130
"""Exit status: interrupted (Ctrl-C); run again with ``--resume``."""

POSTINGS_JSONL = "postings.jsonl"
ERRORS_CSV = "errors.csv"
LOCK_FILE = ".skillgap-batch.lock"
REPORT_FILES = ("report.html", "report.md")
OUTPUT_FILES: tuple[str, ...] = (
    POSTINGS_JSONL,
    "postings.csv",
    "skills.csv",
    *(f"{name}.csv" for name in SUMMARY_COLUMNS),
    ERRORS_CSV,
    *REPORT_FILES,
)
"""Every file a batch writes into its output folder."""

DEFAULT_CHUNK = 16
"""Postings per unit of work handed to a worker process: small, so workers stay evenly loaded."""
IN_PROCESS_CHUNK = 64
"""Postings analysed together with ``jobs=1``: the per-call cost of ``analyze_many``
(batching the role model) is shared by more postings."""
SAMPLE_ROWS = 100
UNKNOWN_TERMS_KEPT = 100


class BatchError(AnalyzerError):
    """The output folder cannot be used (locked, not a folder, corrupt journal)."""


@dataclass
class BatchStats:
    """Counts of one run; ``postings`` and ``errors`` are totals in the output folder."""

    analysed: int = 0
    failed: int = 0
    skipped: int = 0
    postings: int = 0
    errors: int = 0

    @property
    def done(self) -> int:
        """Inputs handled by this run (analysed or failed)."""
        return self.analysed + self.failed

    @property
    def exit_status(self) -> int:
        """:data:`EXIT_PARTIAL` when ``errors.csv`` has rows, else :data:`EXIT_OK`."""
        return EXIT_PARTIAL if self.errors else EXIT_OK


# --------------------------------------------------------------------------- workers


class SummaryRows(NamedTuple):
    """What the summary takes from one record, prepared by a worker process: the
    ``postings.csv`` cells, the ``skills.csv`` lines already written out, and the fields
    the tally counts (:func:`tally_fields`). The parent then neither decodes the
    JSON line again nor formats the skill rows, which keeps it from slowing the workers."""

    posting: tuple[Any, ...]
    skills_csv: str
    tally: dict[str, Any]


Outcome = tuple[bool, str, str, dict[str, Any] | SummaryRows | None]
"""``(ok, source, payload, record)``: payload is the JSON line, or the failure reason;
record is the line's object when the worker ran in this process, its
:class:`SummaryRows` when it ran in a worker process, and None for a failure."""

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
"""Compact JSON for ``postings.jsonl``; records are trees built here, so no cycle check."""


def _record(analysis: Analysis, posting_id: str | None) -> dict[str, Any]:
    """The object of :func:`record_line`."""
    data = analysis.to_dict()
    return {
        "schema_version": data.pop("schema_version"),
        "source": data.pop("source"),
        "posting_id": posting_id,
        "primary_ecosystem": analysis.primary_ecosystem,
        **data,
    }


def record_line(analysis: Analysis, posting_id: str | None = None) -> str:
    """The ``postings.jsonl`` line of an analysis (without the newline).

    Parameters
    ----------
    analysis : Analysis
        One analysed posting.
    posting_id : str, optional
        The posting's id from the input's id column.

    Returns
    -------
    str
        The contract object of :meth:`Analysis.to_dict` as compact JSON, with two
        more keys after ``source``: ``posting_id`` (null without an id column) and
        ``primary_ecosystem``.
    """
    return _ENCODER.encode(_record(analysis, posting_id))


def _reason(exc: BaseException, source: str) -> str:
    return str(exc).removeprefix(f"{source}: ").replace("\n", " ").strip() or type(exc).__name__


class _Worker:
    """Reads and analyses chunks of items; built once per process."""

    def __init__(self, taxonomy: Taxonomy, max_bytes: int) -> None:
        self.taxonomy = taxonomy
        self.max_bytes = max_bytes

    def __call__(self, chunk: list[Task | Failure]) -> list[Outcome]:
        from analyzer.pipeline import analyze_many

        slots: list[Outcome | None] = []
        ready: list[tuple[int, Posting, str | None]] = []
        for item in chunk:
            if isinstance(item, Failure):
                slots.append((False, item.source, item.reason, None))
                continue
            try:
                posting = load_task(item, max_bytes=self.max_bytes)
            except AnalyzerError as exc:
                slots.append((False, item.source, _reason(exc, item.source), None))
                continue
            except Exception as exc:
                logger.exception("%s: cannot be read", item.source)
                reason = f"cannot be read ({type(exc).__name__}: {exc})"
                slots.append((False, item.source, reason, None))
                continue
            ready.append((len(slots), posting, item.posting_id))
            slots.append(None)
        try:
            analyses = list(
                analyze_many(
                    [p for _i, p, _id in ready], taxonomy=self.taxonomy, batch_size=len(chunk)
                )
            )
        except Exception:
            analyses = None
        for k, (index, posting, posting_id) in enumerate(ready):
            slots[index] = self._one(posting, posting_id, analyses[k] if analyses else None)
        return [slot for slot in slots if slot is not None]

    def _one(self, posting: Posting, posting_id: str | None, analysis: Analysis | None) -> Outcome:
        from analyzer.pipeline import analyze

        try:
            if analysis is None:  # the chunk failed as a whole: find the culprit
                analysis = analyze(posting, taxonomy=self.taxonomy)
            record = _record(analysis, posting_id)
            return True, posting.source, _ENCODER.encode(record), record
        except AnalyzerError as exc:
            return False, posting.source, _reason(exc, posting.source), None
        except Exception as exc:
            logger.exception("%s: analysis failed", posting.source)
            return False, posting.source, f"analysis failed ({type(exc).__name__}: {exc})", None


_process_worker: _Worker | None = None


def _init_process(taxonomy: Taxonomy, max_bytes: int) -> None:
    """Pool initializer: ignore Ctrl-C (the parent handles it) and build the worker."""
    global _process_worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _process_worker = _Worker(taxonomy, max_bytes)


def _run_chunk(chunk: list[Task | Failure]) -> list[Outcome]:
    assert _process_worker is not None
    return [
        (ok, source, payload, summary_rows(record) if isinstance(record, dict) else None)
        for ok, source, payload, record in _process_worker(chunk)
    ]


def _execute(
    items: Iterable[Task | Failure],
    worker: _Worker,
    *,
    jobs: int,
    chunk_size: int,
) -> Iterator[Outcome]:
    """Outcomes in input order; ``jobs > 1`` uses a process pool with bounded work in flight."""
    chunks = chunked(items, chunk_size)
    if jobs <= 1 or not can_fork():
        if jobs > 1:
            logger.warning("worker processes need the 'fork' start method; using one process")
        for chunk in chunks:
            yield from worker(chunk)
        return
    # The first chunk is analysed here before the workers are forked: they start with
    # what it taught the pipeline (lexemes and tokens of common words) instead of each
    # learning it again. Its outcomes are handed on only after the fork, so no caller's
    # code (a progress callback) runs in the parent before it.
    first = next(chunks, None)
    if first is None:
        return
    primed = worker(first)
    second = next(chunks, None)
    if second is None:  # one chunk in all: no workers needed
        yield from primed
        return
    prepare_to_fork(worker.taxonomy)
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, _init_process, (worker.taxonomy, worker.max_bytes)) as pool:
        yield from primed
        rest = chain([second], chunks)
        yield from ordered_results(pool, _run_chunk, rest, processes=jobs)


# --------------------------------------------------------------------------- output folder


def _unneutralise(cell: str) -> str:
    if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def _truncate_torn(path: Path) -> None:
    """Cut a last line that has no newline (a write torn by a crash)."""
    with open(path, "rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        end = size
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            block = handle.read(end - start)
            cut = block.rfind(b"\n")
            if cut >= 0:
                handle.truncate(start + cut + 1)
                break
            end = start
        else:
            handle.truncate(0)
    logger.warning("%s: removed an incomplete last line", path)


def read_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Decoded lines of a ``postings.jsonl``, streamed.

    Raises
    ------
    BatchError
        If a line is not valid JSON.
    """
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise BatchError(
                    f"{path}: line {number} is not valid JSON ({exc.msg}); "
                    "run again without --resume"
                ) from None


def read_errors(path: str | os.PathLike[str]) -> Iterator[dict[str, str]]:
    """Rows of an ``errors.csv`` (``source``, ``reason``), with the formula guard undone."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        for row in reader:
            if len(row) >= 2:
                yield {"source": _unneutralise(row[0]), "reason": _unneutralise(row[1])}


class _OutputFolder:
    """The output folder: its lock, the two journals and atomic final files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock: int | None = None
        self._postings: IO[str] | None = None
        self._errors: IO[str] | None = None

    def path(self, name: str) -> Path:
        return self.folder / name

    # -- lifecycle
    def open(self, *, resume: bool) -> set[str]:
        """Lock the folder, prepare the journals; return the sources already done."""
        if self.folder.exists() and not self.folder.is_dir():
            raise BatchError(f"{self.folder}: exists and is not a folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._acquire_lock()
        try:
            for name in OUTPUT_FILES:
                if self.path(name).is_symlink():
                    raise BatchError(
                        f"{self.path(name)}: is a symbolic link; refusing to write through it"
                    )
            done: set[str] = set()
            if resume:
                done = self._done_sources()
            self._postings = self._journal(POSTINGS_JSONL, fresh=not resume)
            self._errors = self._journal(ERRORS_CSV, fresh=not resume)
            if self._errors.tell() == 0:
                self._errors.write(csv_line(ERROR_COLUMNS))
                self._errors.flush()
        except BaseException:
            self.close()
            raise
        return done

    def _acquire_lock(self) -> None:
        path = self.path(LOCK_FILE)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no locking
            fcntl = None  # type: ignore[assignment]
        for _attempt in range(5):
            if path.is_symlink():
                raise BatchError(f"{path}: is a symbolic link; refusing to write through it")
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
            if fcntl is None:  # pragma: no cover
                self._lock = fd
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise BatchError(
                    f"{self.folder}: another skillgap batch is writing here ({LOCK_FILE}); "
                    "wait for it to finish or choose another --out"
                ) from None
            # A finishing run unlinks the lock file: if ours is no longer the file at the
            # path, another run could lock a new one, so take the lock again.
            try:
                same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._lock = fd
                return
            os.close(fd)
        raise BatchError(f"{self.folder}: could not take the batch lock ({LOCK_FILE})")

    def _journal(self, name: str, *, fresh: bool) -> IO[str]:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        if fresh:
            flags |= os.O_TRUNC
        fd = os.open(self.path(name), flags, 0o644)
        return os.fdopen(fd, "a", encoding="utf-8", newline="")

    def _done_sources(self) -> set[str]:
        done: set[str] = set()
        postings, errors = self.path(POSTINGS_JSONL), self.path(ERRORS_CSV)
        if postings.exists():
            _truncate_torn(postings)
            done.update(r["source"] for r in read_records(postings))
        if errors.exists():
            _truncate_torn(errors)
            done.update(row["source"] for row in read_errors(errors))
        logger.info("resuming: %d sources already done", len(done))
        return done

    def close(self) -> None:
        for handle in (self._postings, self._errors):
            if handle is not None:
                handle.close()
        self._postings = self._errors = None
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self.path(LOCK_FILE).unlink()
            os.close(self._lock)
            self._lock = None

    # -- writing
    def add_posting(self, line: str) -> None:
        assert self._postings is not None
        self._postings.write(line + "\n")
        self._postings.flush()

    def add_error(self, source: str, reason: str) -> None:
        assert self._errors is not None
        self._errors.write(csv_line([source.replace("\n", " "), reason.replace("\n", " ")]))
        self._errors.flush()

    def end_journals(self) -> None:
        for handle in (self._postings, self._errors):
            if handle is not None:
                handle.close()
        self._postings = self._errors = None

    @contextlib.contextmanager
    def atomic(self, name: str) -> Iterator[TextIO]:
        """Write ``name`` through a temporary file in the folder, renamed when complete."""
        final = self.path(name)
        temporary = self.path(f".{name}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        handle = os.fdopen(os.open(temporary, flags, 0o644), "w", encoding="utf-8", newline="")
        try:
            with handle:
                yield handle
            os.replace(temporary, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            raise


# --------------------------------------------------------------------------- summaries


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


@dataclass
class Tally:
    """Counters behind the summary tables, fed one ``postings.jsonl`` record at a time.

    Memory grows with the number of distinct skills, families, certifications
    and unknown terms, never with the number of postings.

    Examples
    --------
    >>> tally = Tally()
    >>> tally.add({"source": "a", "role": {"family": "x", "confidence": 1.0},
    ...            "skills": [{"id": "python", "name": "Python", "category": "core",
    ...                        "requirement": "required", "evidence": [{"text": "Python"}]}]})
    >>> tally.tables()["skill_share"][0]["share"]
    1.0
    """

    postings: int = 0
    families: Counter[str] = field(default_factory=Counter)
    confidence: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    seniority: Counter[str] = field(default_factory=Counter)
    skills: Counter[str] = field(default_factory=Counter)
    named: Counter[str] = field(default_factory=Counter)
    levels: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_family: Counter[tuple[str, str]] = field(default_factory=Counter)
    skill_info: dict[str, tuple[str, str]] = field(default_factory=dict)
    ecosystems: Counter[str] = field(default_factory=Counter)
    primary: Counter[str] = field(default_factory=Counter)
    certifications: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)

    def add(self, record: Mapping[str, Any]) -> None:
        """Count one posting record."""
        self.add_fields(tally_fields(record))

    def add_fields(self, record: Mapping[str, Any]) -> None:
        """Count the :func:`tally_fields` of a record (what a worker process sends)."""
        self.postings += 1
        role = record.get("role") or {}
        family = role.get("family") or "other"
        self.families[family] += 1
        self.confidence[family] += float(role.get("confidence") or 0.0)
        self.seniority[(record.get("seniority") or {}).get("level") or "unknown"] += 1
        for skill in record.get("skills") or []:
            skill_id = skill["id"]
            self.skills[skill_id] += 1
            if skill.get("evidence"):
                self.named[skill_id] += 1
            self.levels[skill_id, skill.get("requirement") or "mentioned"] += 1
            self.by_family[family, skill_id] += 1
            self.skill_info.setdefault(
                skill_id, (skill.get("name") or skill_id, skill.get("category") or "")
            )
        named_ecosystems = [e for e, n in (record.get("ecosystems") or {}).items() if n]
        self.ecosystems.update(named_ecosystems or ["none"])
        self.primary[record.get("primary_ecosystem") or "none"] += 1
        self.certifications.update(set(record.get("certifications") or []))
        self.unknown.update(set(record.get("unknown_terms") or []))

    def tables(
        self,
        *,
        family_names: Mapping[str, str] | None = None,
        certification_names: Mapping[str, str] | None = None,
        ecosystems: Iterable[str] = (),
        unknown_limit: int = UNKNOWN_TERMS_KEPT,
    ) -> dict[str, list[dict[str, Any]]]:
        """The summary tables as sorted rows, keyed like :data:`~analyzer.frames.SUMMARY_COLUMNS`.

        Parameters
        ----------
        family_names, certification_names : mapping, optional
            Display names by id (the taxonomy's); ids are used when missing.
        ecosystems : iterable of str
            Ecosystems to list even when no posting names them.
        unknown_limit : int
            How many unknown terms to keep (most frequent first).
        """
        n = self.postings
        family_names = family_names or {}
        certification_names = certification_names or {}
        skill_share = [
            {
                "skill_id": skill_id,
                "skill": self.skill_info[skill_id][0],
                "category": self.skill_info[skill_id][1],
                "postings": count,
                "share": _share(count, n),
                "named": self.named[skill_id],
                **{level: self.levels[skill_id, level] for level in _LEVELS},
            }
            for skill_id, count in sorted(self.skills.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        by_family = [
            {
                "family": family,
                "skill_id": skill_id,
                "skill": self.skill_info[skill_id][0],
                "category": self.skill_info[skill_id][1],
                "postings": count,
                "family_postings": self.families[family],
                "share": _share(count, self.families[family]),
            }
            for (family, skill_id), count in sorted(
                self.by_family.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])
            )
        ]
        families = [
            {
                "family": family,
                "name": family_names.get(family, family),
                "postings": count,
                "share": _share(count, n),
                "mean_confidence": round(self.confidence[family] / count, 4),
            }
            for family, count in sorted(self.families.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        seniority = [
            {"seniority": level, "postings": self.seniority[level], "share": _share(count, n)}
            for level, count in sorted(self.seniority.items(), key=lambda kv: _SENIORITY[kv[0]])
        ]
        names = list(dict.fromkeys([*ecosystems, *sorted(self.ecosystems), *sorted(self.primary)]))
        names = [e for e in names if e != "none"] + ["none"]
        ecosystem_rows = [
            {
                "ecosystem": eco,
                "postings": self.ecosystems[eco],
                "share": _share(self.ecosystems[eco], n),
                "primary_postings": self.primary[eco],
                "primary_share": _share(self.primary[eco], n),
            }
            for eco in names
        ]
        certifications = [
            {
                "certification_id": cert,
                "certification": certification_names.get(cert, cert),
                "postings": count,
                "share": _share(count, n),
            }
            for cert, count in sorted(self.certifications.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        unknown = [
            {"term": term, "postings": count, "share": _share(count, n)}
            for term, count in sorted(self.unknown.items(), key=lambda kv: (-kv[1], kv[0]))[
                :unknown_limit
            ]
        ]
        return {
            "skill_share": skill_share,
            "skill_share_by_family": by_family,
            "families": families,
            "seniority": seniority,
            "ecosystems": ecosystem_rows,
            "certifications": certifications,
            "unknown_terms": unknown,
        }


_LEVELS = ("required", "preferred", "mentioned")
_SENIORITY = defaultdict(
    lambda: 99, {k: i for i, k in enumerate(("entry", "mid", "senior", "lead", "unknown"))}
)


class _Summary:
    """``postings.csv``, ``skills.csv`` and the summary counters, fed one record at a time.

    Records are added in ``postings.jsonl`` order (a resumed run's earlier records
    first) as they are written there, so the journal is decoded again only for the
    records of an earlier run and those sent by worker processes.
    """

    def __init__(self, postings_csv: TextIO, skills_csv: TextIO) -> None:
        self._write_posting = row_writer(postings_csv)
        self._write_skill = row_writer(skills_csv)
        self._skills_csv = skills_csv
        self._write_posting(POSTING_COLUMNS)
        self._write_skill(SKILL_COLUMNS)
        self.tally = Tally()
        self.sample: list[dict[str, Any]] = []

    def add(self, record: Mapping[str, Any]) -> None:
        """Write the rows of one ``postings.jsonl`` record and count it."""
        values = posting_values(record)
        self._write_posting(values)
        for skill in skill_values(record):
            self._write_skill(skill)
        self.tally.add(record)
        self._keep_sample(values)

    def add_rows(self, rows: SummaryRows) -> None:
        """:meth:`add` for a record whose rows a worker process prepared."""
        self._write_posting(rows.posting)
        self._skills_csv.write(rows.skills_csv)
        self.tally.add_fields(rows.tally)
        self._keep_sample(rows.posting)

    def _keep_sample(self, values: tuple[Any, ...]) -> None:
        if len(self.sample) < SAMPLE_ROWS:
            self.sample.append(dict(zip(POSTING_COLUMNS, values, strict=True)))


def summary_rows(record: Mapping[str, Any]) -> SummaryRows:
    """The :class:`SummaryRows` of a ``postings.jsonl`` record."""
    buffer = io.StringIO()
    write = row_writer(buffer)
    for skill in skill_values(record):
        write(skill)
    return SummaryRows(posting_values(record), buffer.getvalue(), tally_fields(record))


def tally_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a record that :class:`Tally` counts (each skill's evidence as whether
    there is any); :meth:`Tally.add` counts a record through it."""
    return {
        "role": {k: (record.get("role") or {}).get(k) for k in ("family", "confidence")},
        "seniority": {"level": (record.get("seniority") or {}).get("level")},
        "skills": [
            {
                "id": skill["id"],
                "evidence": bool(skill.get("evidence")),
                "requirement": skill.get("requirement"),
                "name": skill.get("name"),
                "category": skill.get("category"),
            }
            for skill in record.get("skills") or []
        ],
        "ecosystems": record.get("ecosystems"),
        "primary_ecosystem": record.get("primary_ecosystem"),
        "certifications": record.get("certifications"),
        "unknown_terms": record.get("unknown_terms"),
    }


def _finalise(
    output: _OutputFolder, summary: _Summary, input_name: str, taxonomy: Taxonomy
) -> tuple[dict[str, list[dict[str, Any]]], int, int]:
    """Summary tables and reports. Returns (tables, postings, errors)."""
    from analyzer.reports import BatchReport, write_report_html, write_report_markdown
    from analyzer.taxonomy_models import ECOSYSTEMS

    tally = summary.tally
    tables = tally.tables(
        family_names={f.id: f.name for f in taxonomy.roles.values()},
        certification_names={c.id: c.name for c in taxonomy.certifications.values()},
        ecosystems=ECOSYSTEMS,
    )
    for name, columns in SUMMARY_COLUMNS.items():
        with output.atomic(f"{name}.csv") as stream:
            write_csv(tables[name], columns, stream)
    error_count, error_sample = 0, []
    for row in read_errors(output.path(ERRORS_CSV)):
        error_count += 1
        if len(error_sample) < SAMPLE_ROWS:
            error_sample.append(row)
    report = BatchReport(
        input=input_name,
        postings=tally.postings,
        errors=error_count,
        tables=tables,
        sample=summary.sample,
        error_sample=error_sample,
    )
    with output.atomic("report.html") as stream:
        write_report_html(report, stream)
    with output.atomic("report.md") as stream:
        write_report_markdown(report, stream)
    return tables, tally.postings, error_count


# --------------------------------------------------------------------------- public API


def warm_up(taxonomy: Taxonomy) -> None:
    """Build the pipeline (and load the role model) for ``taxonomy``; :func:`run_batch`
    does it before any worker forks, callers may do it earlier (cheap the second time)."""
    from analyzer.pipeline import analyze

    analyze("Machine Learning Engineer\nPython", taxonomy=taxonomy)


def run_batch(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    jobs: int = 1,
    resume: bool = False,
    taxonomy: Taxonomy | None = None,
    columns: ColumnSpec | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    chunk_size: int | None = None,
    on_item: Callable[[BatchStats], None] | None = None,
) -> tuple[BatchStats, dict[str, list[dict[str, Any]]]]:
    """Analyse every posting of ``source`` and write the batch files into ``out``.

    Parameters
    ----------
    source : str or path-like
        A folder (recursive) or a ``.csv``/``.jsonl``/``.json`` file of postings,
        or a single document.
    out : str or path-like
        The output folder (created if needed). Only the files in
        :data:`OUTPUT_FILES` (and a lock file while running) are written there.
    jobs : int
        Worker processes; the output is identical for any value.
    resume : bool
        Continue a previous, interrupted run into ``out``: inputs whose source
        is already in ``postings.jsonl`` or ``errors.csv`` are skipped. Without
        it, those journals start empty.
    taxonomy : Taxonomy, optional
        Defaults to the bundled taxonomy plus overlays.
    columns : ColumnSpec, optional
        Column names of tables; detected by default.
    max_bytes : int
        Size limit of one posting.
    chunk_size : int, optional
        Postings analysed together, as one unit of work handed to a worker
        (default :data:`DEFAULT_CHUNK`; :data:`IN_PROCESS_CHUNK` with ``jobs=1``).
    on_item : callable, optional
        Called with the running :class:`BatchStats` after each input is written
        (progress bars; raising ``KeyboardInterrupt`` there stops the run cleanly).

    Returns
    -------
    (BatchStats, dict)
        The counts and the summary tables' rows.

    Raises
    ------
    InputError
        If ``source`` does not exist.
    BatchError
        If ``out`` is not usable (not a folder, locked by another run).
    KeyboardInterrupt
        Re-raised after the journals are closed with only complete lines.
    """
    from analyzer.taxonomy import get_taxonomy

    name = os.fspath(source)
    if not os.path.exists(name):
        raise InputError(f"{name}: no such file or folder")
    outputs = {(Path(out) / f).resolve() for f in OUTPUT_FILES}
    if Path(name).resolve() in outputs:
        raise BatchError(f"{name}: is one of the files this run would write; choose another --out")
    taxonomy = taxonomy or get_taxonomy()
    warm_up(taxonomy)
    jobs = max(1, jobs)
    chunk_size = chunk_size or (DEFAULT_CHUNK if jobs > 1 else IN_PROCESS_CHUNK)
    output = _OutputFolder(Path(out))
    try:
        done = output.open(resume=resume)
    except OSError as exc:
        raise BatchError(f"{out}: cannot write here ({exc.strerror or exc})") from None
    stats = BatchStats()
    try:

        def todo() -> Iterator[Task | Failure]:
            for item in iter_inputs(name, columns=columns, exclude=out):
                if item.source in done:
                    stats.skipped += 1
                    continue
                yield item

        worker = _Worker(taxonomy, max_bytes)
        with (
            output.atomic("postings.csv") as postings_csv,
            output.atomic("skills.csv") as skills_csv,
            contextlib.closing(
                _execute(todo(), worker, jobs=jobs, chunk_size=chunk_size)
            ) as outcomes,
        ):
            summary = _Summary(postings_csv, skills_csv)
            if resume:
                for record in read_records(output.path(POSTINGS_JSONL)):
                    summary.add(record)
            for ok, item_source, payload, record in outcomes:
                if ok:
                    output.add_posting(payload)
                    if isinstance(record, SummaryRows):
                        summary.add_rows(record)
                    else:
                        summary.add(record if record is not None else json.loads(payload))
                    stats.analysed += 1
                else:
                    output.add_error(item_source, payload)
                    stats.failed += 1
                if on_item is not None:
                    on_item(stats)
        output.end_journals()
        tables, stats.postings, stats.errors = _finalise(output, summary, name, taxonomy)
    except OSError as exc:
        where = exc.filename or out
        raise BatchError(f"{where}: cannot write ({exc.strerror or exc})") from None
    finally:
        output.close()
    logger.info(
        "%s: %d analysed, %d failed, %d already done",
        name,
        stats.analysed,
        stats.failed,
        stats.skipped,
    )
    return stats, tables


class BatchResult:
    """The files of a batch run, with pandas views.

    Attributes
    ----------
    out_dir : pathlib.Path
        The folder holding the batch files.
    stats : BatchStats
        Counts of the run.

    Examples
    --------
    >>> result = analyze_folder("samples/postings")  # doctest: +SKIP
    >>> result.postings[["title", "family"]]  # doctest: +SKIP
    >>> result.summary()["skill_share"].head()  # doctest: +SKIP
    """

    def __init__(
        self,
        out_dir: Path,
        stats: BatchStats,
        tables: dict[str, list[dict[str, Any]]],
        *,
        temporary: tempfile.TemporaryDirectory[str] | None = None,
    ) -> None:
        self.out_dir = out_dir
        self.stats = stats
        self._tables = tables
        self._temporary = temporary

    def records(self) -> Iterator[dict[str, Any]]:
        """The ``postings.jsonl`` records, streamed."""
        return read_records(self.out_dir / POSTINGS_JSONL)

    @cached_property
    def postings(self) -> pd.DataFrame:
        """One row per posting (columns :data:`analyzer.frames.POSTING_COLUMNS`)."""
        from analyzer.frames import postings_frame

        return postings_frame(self.records())

    @cached_property
    def skills(self) -> pd.DataFrame:
        """One row per posting and skill (columns :data:`analyzer.frames.SKILL_COLUMNS`)."""
        from analyzer.frames import skills_frame

        return skills_frame(self.records())

    @cached_property
    def errors(self) -> pd.DataFrame:
        """One row per input that could not be analysed (``source``, ``reason``)."""
        from analyzer.frames import errors_frame

        return errors_frame(read_errors(self.out_dir / ERRORS_CSV))

    def summary(self) -> dict[str, pd.DataFrame]:
        """The summary tables as frames (skill shares overall and per family, ...).

        Returns
        -------
        dict of str to pandas.DataFrame
            Keyed like :data:`analyzer.frames.SUMMARY_COLUMNS`.
        """
        from analyzer.frames import summary_frames

        return summary_frames(self._tables)

    def close(self) -> None:
        """Delete the output folder when it was a temporary one."""
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    def __enter__(self) -> BatchResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        s = self.stats
        return f"BatchResult({str(self.out_dir)!r}, postings={s.postings}, errors={s.errors})"


def analyze_folder(
    path: str | os.PathLike[str],
    *,
    jobs: int = 1,
    out: str | os.PathLike[str] | None = None,
    resume: bool = False,
    taxonomy: Taxonomy | None = None,
    columns: ColumnSpec | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_item: Callable[[BatchStats], None] | None = None,
) -> BatchResult:
    """Analyse a folder (or table file) of postings; return frames and summaries.

    Parameters
    ----------
    path : str or path-like
        A folder of postings (walked recursively), or a ``.csv``/``.jsonl``/
        ``.json`` file with one posting per row.
    jobs : int
        Worker processes (same results for any value).
    out : str or path-like, optional
        Where to write the batch files (see :func:`run_batch`); by default a
        temporary folder, deleted by :meth:`BatchResult.close` or when the
        result is garbage-collected.
    resume, taxonomy, columns, max_bytes, on_item
        As for :func:`run_batch`.

    Returns
    -------
    BatchResult

    Examples
    --------
    >>> with analyze_folder("samples/postings") as result:  # doctest: +SKIP
    ...     print(result.postings[["source", "family"]])
    ...     print(result.summary()["skill_share"].head())
    """
    temporary = None
    if out is None:
        temporary = tempfile.TemporaryDirectory(prefix="skillgap-batch-")
        out = temporary.name
    try:
        stats, tables = run_batch(
            path,
            out,
            jobs=jobs,
            resume=resume,
            taxonomy=taxonomy,
            columns=columns,
            max_bytes=max_bytes,
            on_item=on_item,
        )
    except BaseException:
        if temporary is not None:
            temporary.cleanup()
        raise
    return BatchResult(Path(out), stats, tables, temporary=temporary)
