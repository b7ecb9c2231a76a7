"""Exceptions raised by the analyzer library.

Every error a user can cause derives from :class:`AnalyzerError`; the CLI turns
those into a one-line message and a non-zero exit status, never a traceback.
"""

from __future__ import annotations


class AnalyzerError(Exception):
    """Base class of every error the library raises on purpose."""


class TaxonomyError(AnalyzerError):
    """A taxonomy file is missing, malformed or inconsistent.

    ``problems`` holds one ``file: [location] message`` line per problem.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class InputError(AnalyzerError):
    """A posting, profile or resume cannot be read (empty, binary, too large, ...)."""


class ModelError(AnalyzerError):
    """A model directory is missing, malformed, untrusted or from another taxonomy."""


class ProfileError(AnalyzerError):
    """A candidate profile does not validate."""
