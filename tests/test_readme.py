"""The README's quick start stays true: CI runs its test command, its sample file exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

FENCE = re.compile(r"^```(?:bash|sh|console)?\n(.*?)^```", re.S | re.M)


def _quick_start_commands(readme: str) -> list[str]:
    """The command lines of the code blocks in the README's "Quick start" section."""
    match = re.search(r"^## Quick start\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert match, "README has no '## Quick start' section"
    commands = []
    for block in FENCE.findall(match.group(1)):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
        assert len(lines) == 1, f"a quick-start block should hold one command line: {lines}"
        commands.append(lines[0])
    return commands


@pytest.fixture(scope="module")
def commands(repo_root: Path) -> list[str]:
    return _quick_start_commands((repo_root / "README.md").read_text("utf-8"))


def test_quick_start_has_two_commands(commands: list[str]) -> None:
    assert len(commands) == 2


def test_ci_runs_the_readme_test_command(commands: list[str], repo_root: Path) -> None:
    script = (repo_root / ".ci" / "run").read_text("utf-8").splitlines()
    ci_lines = [
        line for line in script if line.strip() and not line.startswith(("#", "set ", "cd "))
    ]
    assert ci_lines == [commands[1]]


def test_first_command_analyses_a_shipped_sample(commands: list[str], repo_root: Path) -> None:
    samples = [word for word in shlex.split(commands[0]) if word.startswith("samples/postings/")]
    assert samples == ["samples/postings/ml-engineer-aws.txt"]
    assert (repo_root / samples[0]).is_file()
    assert "skillgap analyze" in commands[0]


def test_taxonomy_section_mentions_every_subcommand(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text("utf-8")
    match = re.search(r"<!-- section:taxonomy -->\n(.*?)(?=<!-- section:|\Z)", readme, re.S)
    assert match
    section = match.group(1)
    for needle in (
        "skillgap taxonomy list",
        "skillgap taxonomy show",
        "skillgap taxonomy search",
        "skillgap taxonomy validate",
        "SKILLGAP_TAXONOMY",
        "--taxonomy",
        "extend:",
    ):
        assert needle in section, needle
