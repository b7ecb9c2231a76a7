"""Build the wheel, install it into a fresh virtual environment, run it from another folder.

The new environment gets the wheel only (``--no-deps``); the dependencies are
borrowed from the running environment through a ``.pth`` file that lists its
``site-packages``. A ``.pth`` line only adds a folder to ``sys.path``, it does not
process the ``.pth`` files inside it, so the editable install of the checkout stays
invisible: the test asserts that ``analyzer`` and its taxonomy come from the wheel.
This keeps the test offline-friendly and fast (a few seconds) while still proving
that the wheel carries the package, the taxonomy data and the console script.
"""

from __future__ import annotations

import importlib.util
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TAXONOMY_FILES = ("skills.yaml", "roles.yaml", "certifications.yaml", "projects.yaml", "paths.yaml")


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the checkout (isolated build unless hatchling is installed)."""
    out = tmp_path_factory.mktemp("dist")
    argv = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(repo_root)]
    if importlib.util.find_spec("hatchling") is not None:
        argv.append("--no-isolation")
    _run(argv, cwd=out)
    [built] = out.glob("skillgap-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel (dependencies via a ``.pth`` file)."""
    root = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(root)], cwd=root.parent)
    python = root / "bin" / "python"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        cwd=root.parent,
    )
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=root,
        ).strip()
    )
    ours = {
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        *site.getsitepackages(),
    }
    (purelib / "_skillgap_test_deps.pth").write_text(
        "".join(f"{p}\n" for p in sorted(ours)), encoding="utf-8"
    )
    return root


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SKILLGAP_TAXONOMY")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def test_wheel_carries_package_and_taxonomy(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in TAXONOMY_FILES:
        assert f"analyzer/_taxonomy/{name}" in names
    assert "analyzer/contract/skills.yaml" in names
    assert "analyzer/cli/taxonomy_cmd.py" in names
    assert not any(n.startswith(("tests/", "taxonomy/", "samples/")) for n in names)


def test_installed_wheel_is_used(venv: Path, tmp_path: Path) -> None:
    code = (
        "import analyzer, analyzer.taxonomy as t, sysconfig; "
        "print(sysconfig.get_paths()['purelib']); print(analyzer.__file__); "
        "print(t.default_taxonomy_dir())"
    )
    purelib, module_file, taxonomy_dir = _run(
        [str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, env=_env()
    ).splitlines()
    assert Path(module_file) == Path(purelib) / "analyzer" / "__init__.py"
    assert Path(taxonomy_dir) == Path(purelib) / "analyzer" / "_taxonomy"
    assert str(venv) in purelib


def test_installed_command_validates_and_shows(venv: Path, tmp_path: Path) -> None:
    skillgap = str(venv / "bin" / "skillgap")
    out = _run([skillgap, "taxonomy", "validate"], cwd=tmp_path, env=_env())
    first, counts = out.splitlines()
    assert first.startswith("valid: " + str(venv))
    assert first.endswith("/site-packages/analyzer/_taxonomy")
    assert " skills, " in counts and " certifications, " in counts
    shown = _run([skillgap, "taxonomy", "show", "python"], cwd=tmp_path, env=_env())
    assert shown.startswith("type: skill\nid: python\nname: Python\n")
