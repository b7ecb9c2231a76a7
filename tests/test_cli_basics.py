"""Every registered command: ``--version``, ``-h``/``--help``, and an example in each help text.

The command tree is walked at collection time, so commands added later are covered
without touching this file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from analyzer.__about__ import __version__
from analyzer.cli import cli


def _walk(command: click.Command, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, name
            found.extend(_walk(sub, (*path, name)))
    return found


COMMAND_PATHS = _walk(cli, ())


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        sub = command.get_command(click.Context(command), name)
        assert sub is not None
        command = sub
    return command


def test_the_taxonomy_commands_are_registered() -> None:
    assert {("taxonomy", "list"), ("taxonomy", "show"), ("taxonomy", "search")} <= set(
        COMMAND_PATHS
    )
    assert ("taxonomy", "validate") in COMMAND_PATHS


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, f"skillgap, version {__version__}\n")


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        [str(Path(sys.executable).parent / "skillgap"), "--version"],
        [sys.executable, "-m", "analyzer", "--version"],
    ],
    ids=["script", "python-m"],
)
def test_version_subprocess(argv: list[str], tmp_path: Path) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"skillgap, version {__version__}\n",
        "",
    )


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "skillgap")
def test_help(path: tuple[str, ...], flag: str) -> None:
    result = CliRunner().invoke(cli, [*path, flag], prog_name="skillgap", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: {' '.join(('skillgap', *path))} ")
    assert "Example" in result.stdout


@pytest.mark.parametrize("path", COMMAND_PATHS[1:], ids=lambda p: " ".join(p))
def test_every_command_has_a_summary(path: tuple[str, ...]) -> None:
    command = _command(path)
    assert command.help and command.get_short_help_str().strip()


@pytest.mark.parametrize("path", COMMAND_PATHS[1:], ids=lambda p: " ".join(p))
def test_every_leaf_command_takes_taxonomy(path: tuple[str, ...]) -> None:
    command = _command(path)
    if isinstance(command, click.Group):
        return
    assert "--taxonomy" in {opt for param in command.params for opt in param.opts}


def test_quick_commands_run_without_cyclic_gc_and_the_others_with_it(tmp_path) -> None:
    import gc

    from analyzer.cli import QUICK_COMMANDS

    runner = CliRunner()
    posting = tmp_path / "p.txt"
    posting.write_text("ML Engineer\nPython and Docker.", encoding="utf-8")
    assert {"analyze", "classify"} == QUICK_COMMANDS
    try:
        gc.disable()  # as the console command starts
        assert runner.invoke(cli, ["analyze", str(posting), "--format", "json"]).exit_code == 0
        assert not gc.isenabled()
        assert (
            runner.invoke(cli, ["batch", str(tmp_path), "--out", str(tmp_path / "o")]).exit_code
            == 0
        )
        assert gc.isenabled()
    finally:
        gc.enable()


_HEAVY_CHECK = """
import sys
from click.testing import CliRunner
from analyzer.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
assert result.exit_code in (0, 3), result.output
print("heavy:" + ",".join(m for m in ("sklearn", "scipy", "pandas") if m in sys.modules))
"""


@pytest.mark.parametrize("command", ["analyze", "batch"])
def test_analyze_and_batch_never_import_scikit_learn_or_pandas(
    command: str, repo_root: Path, tmp_path: Path
) -> None:
    sample = repo_root / "samples" / "postings" / "ml-engineer-aws.txt"
    args = (
        [str(sample), "--format", "json"]
        if command == "analyze"
        else [
            str(sample.parent),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", _HEAVY_CHECK, command, *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "heavy:"


_YAML_CHECK = """
import sys
from click.testing import CliRunner
from analyzer.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
assert result.exit_code == 0, result.output
print("yaml:" + str("yaml" in sys.modules))
"""


def test_a_warm_analyze_reads_the_taxonomy_without_yaml(repo_root: Path) -> None:
    """Once the parse cache holds the taxonomy and contract files, no YAML is parsed."""
    sample = repo_root / "samples" / "postings" / "ml-engineer-aws.txt"
    runs = [
        subprocess.run(
            [sys.executable, "-c", _YAML_CHECK, "analyze", str(sample), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    assert runs[-1].stdout.strip().splitlines()[-1] == "yaml:False"
