"""Fixtures shared by the whole suite (keep generic; feature helpers live in their own modules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.taxonomy import Taxonomy, load_taxonomy

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("skillgap-cache")


@pytest.fixture(autouse=True)
def _no_user_taxonomy(monkeypatch: pytest.MonkeyPatch, _cache_folder: Path) -> None:
    """No test sees the developer's ``SKILLGAP_TAXONOMY`` overlays or cache folder."""
    monkeypatch.delenv("SKILLGAP_TAXONOMY", raising=False)
    monkeypatch.setenv("SKILLGAP_CACHE_DIR", str(_cache_folder))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's root folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    """The bundled taxonomy, loaded once per session."""
    return load_taxonomy()
