"""Resident memory of a process tree, read from Linux ``/proc`` (shared by the benchmarks)."""

from __future__ import annotations

from pathlib import Path


def tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, in kB (shared pages counted per process)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total
