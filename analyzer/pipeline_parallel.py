"""``analyze_many(..., n_process=N)``: whole analyses in worker processes.

spaCy's own ``n_process`` runs only the tokenizer and the skill matcher in its
workers and ships every Doc back to be read in the parent, which is slower
than one process here: most of an analysis happens after the matcher. So the
workers run the whole analysis on chunks of postings and send back the
results, in input order, with a bounded number of chunks in flight (memory
stays flat on any stream). Workers are forked from a parent that has built the
pipeline, so they start with it.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analyzer.analysis import Analysis
    from analyzer.reader import Posting
    from analyzer.taxonomy import Taxonomy

__all__ = ["IN_FLIGHT_PER_PROCESS", "analyze_in_processes", "can_fork"]

IN_FLIGHT_PER_PROCESS = 3
"""Chunks queued per worker: enough to keep each busy, few enough to bound memory."""

_taxonomy: Taxonomy | None = None


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def _init(taxonomy: Taxonomy) -> None:
    global _taxonomy
    _taxonomy = taxonomy


def _analyze_chunk(chunk: list[Posting]) -> list[Analysis]:
    from analyzer.pipeline import analyze_many

    return list(analyze_many(chunk, taxonomy=_taxonomy, batch_size=len(chunk)))


def _chunks(postings: Iterable[Posting], size: int) -> Iterator[list[Posting]]:
    chunk: list[Posting] = []
    for posting in postings:
        chunk.append(posting)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyze_in_processes(
    postings: Iterable[Posting], *, processes: int, batch_size: int, taxonomy: Taxonomy
) -> Iterator[Analysis]:
    """Analyses of ``postings`` from ``processes`` forked workers, in input order."""
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, _init, (taxonomy,)) as pool:
        pending: deque[Any] = deque()
        for chunk in _chunks(postings, max(1, batch_size)):
            pending.append(pool.apply_async(_analyze_chunk, (chunk,)))
            while len(pending) >= processes * IN_FLIGHT_PER_PROCESS:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
