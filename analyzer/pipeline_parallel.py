"""Work on chunks in worker processes, results in input order; and
``analyze_many(..., n_process=N)`` built on it.

spaCy's own ``n_process`` runs only the tokenizer and the skill matcher in its
workers and ships every Doc back to be read in the parent, which is slower
than one process here: most of an analysis happens after the matcher. So the
workers run the whole analysis on chunks of postings and send back the
results. :func:`ordered_results` keeps a bounded number of chunks in flight
(memory stays flat on any stream); ``skillgap batch --jobs`` uses it too.
Workers are forked from a parent that has built the pipeline, so they start
with it.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import Pool
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from analyzer.analysis import Analysis
    from analyzer.reader import Posting
    from analyzer.taxonomy import Taxonomy

__all__ = [
    "IN_FLIGHT_PER_PROCESS",
    "analyze_in_processes",
    "can_fork",
    "chunked",
    "ordered_results",
    "prepare_to_fork",
]

IN_FLIGHT_PER_PROCESS = 3
"""Chunks queued per worker: enough to keep each busy, few enough to bound memory."""

T = TypeVar("T")
R = TypeVar("R")

_taxonomy: Taxonomy | None = None


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), consumed lazily."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ordered_results(
    pool: Pool,
    work: Callable[[list[T]], list[R]],
    chunks: Iterable[list[T]],
    *,
    processes: int,
) -> Iterator[R]:
    """``work(chunk)`` for every chunk in ``pool``, flattened in input order, with at most
    :data:`IN_FLIGHT_PER_PROCESS` chunks per process queued at a time."""
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(work, (chunk,)))
        while len(pending) >= processes * IN_FLIGHT_PER_PROCESS:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def prepare_to_fork(taxonomy: Taxonomy | None) -> None:
    """Compile every pattern of the pipeline for ``taxonomy`` before workers are forked:
    done once in the parent, the workers share it instead of each compiling its own."""
    from analyzer.matcher import FACTORY, SkillMatcher
    from analyzer.pipeline import _engine

    matcher = _engine(taxonomy)[1].get_pipe(FACTORY)
    assert isinstance(matcher, SkillMatcher)
    matcher.compile_all()


def _init(taxonomy: Taxonomy) -> None:
    global _taxonomy
    _taxonomy = taxonomy


def _analyze_chunk(chunk: list[Posting]) -> list[Analysis]:
    from analyzer.pipeline import analyze_many

    return list(analyze_many(chunk, taxonomy=_taxonomy, batch_size=len(chunk)))


def analyze_in_processes(
    postings: Iterable[Posting], *, processes: int, batch_size: int, taxonomy: Taxonomy
) -> Iterator[Analysis]:
    """Analyses of ``postings`` from ``processes`` forked workers, in input order."""
    prepare_to_fork(taxonomy)
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, _init, (taxonomy,)) as pool:
        yield from ordered_results(
            pool, _analyze_chunk, chunked(postings, max(1, batch_size)), processes=processes
        )
