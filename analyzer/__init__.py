"""skillgap: read ML/AI job postings like a hiring manager.

The public API is re-exported here and imported lazily, so ``import analyzer``
is cheap: spaCy, scikit-learn and pandas load only when a function needs them.

Examples
--------
>>> import analyzer
>>> result = analyzer.analyze("Senior ML Engineer. Requirements: 5+ years of Python and PyTorch.")
>>> [s.id for s in result.skills][:3]  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

from analyzer.__about__ import __version__
from analyzer.errors import AnalyzerError, InputError, ModelError, ProfileError, TaxonomyError

_LAZY = {
    # taxonomy
    "Taxonomy": "analyzer.taxonomy",
    "load_taxonomy": "analyzer.taxonomy",
    "get_taxonomy": "analyzer.taxonomy",
    # reading and extraction
    "read_posting": "analyzer.reader",
    "Posting": "analyzer.reader",
    "Analysis": "analyzer.analysis",
    "SkillMention": "analyzer.analysis",
    "Evidence": "analyzer.analysis",
    "analyze": "analyzer.pipeline",
    "analyze_many": "analyzer.pipeline",
    "build_nlp": "analyzer.pipeline",
    # role classification
    "RoleClassifier": "analyzer.classifier",
    # gap analysis
    "Profile": "analyzer.profile",
    "load_profile": "analyzer.profile",
    "GapReport": "analyzer.gap",
    "gap": "analyzer.gap",
    "market_gap": "analyzer.gap",
    # batch
    "BatchResult": "analyzer.batch",
    "analyze_folder": "analyzer.batch",
}

__all__ = [
    "AnalyzerError",
    "InputError",
    "ModelError",
    "ProfileError",
    "TaxonomyError",
    "__version__",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'analyzer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
