"""The pipeline's tokenizer, ``skillgap.tokenizer.v1``.

spaCy's English :class:`~spacy.tokenizer.Tokenizer` with extra prefix, suffix
and infix rules for Markdown residue and inline tags. Registered (and published
under the ``spacy_tokenizers`` entry point) so that ``spacy.blank`` builds it by
name and saved pipelines load it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

__all__ = ["create_tokenizer", "rules_tokenizer"]

V1 = "skillgap.tokenizer.v1"

_HTML_TAG = r"</?[A-Za-z][A-Za-z0-9]{0,9}/?>"
"""Inline tags left in Markdown or pasted text (``<b>Python</b>``) split off the word."""
_TAG_END = r"(?<=[\"'])>"
"""The end of an opening tag with attributes (``href="...">Python``)."""
_INVISIBLE = r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
"""Zero-width and bidirectional formatting characters pasted from web pages."""


def _tokenizer_exceptions(exceptions: dict[str, Any]) -> dict[str, Any]:
    """The English exceptions that matter for postings: abbreviations, whitespace and C++.

    Contractions ("don't" -> do n't) and emoticons do nothing for skills, and
    loading their thousand special cases is most of the cost of building the
    tokenizer. Abbreviations ("e.g.", "U.S.", "Sr.") stay whole, as in spaCy.
    """
    return {
        text: pieces
        for text, pieces in exceptions.items()
        if ("." in text and "'" not in text and "’" not in text)
        or not text.strip()
        or text == "C++"
    }


def rules_tokenizer(nlp: Language) -> Tokenizer:
    """The v1 tokenizer of ``nlp``: spaCy's English rules plus Markdown and tag splitting."""
    defaults = nlp.Defaults
    return Tokenizer(
        nlp.vocab,
        rules=_tokenizer_exceptions(defaults.tokenizer_exceptions),
        prefix_search=spacy.util.compile_prefix_regex(
            [r"\\", _HTML_TAG, _INVISIBLE, *defaults.prefixes]
        ).search,
        suffix_search=spacy.util.compile_suffix_regex(
            [r"\\", r"\*+", _HTML_TAG, _INVISIBLE, *defaults.suffixes]
        ).search,
        infix_finditer=spacy.util.compile_infix_regex(
            [r"\\(?=[\-_*#`])", _HTML_TAG, _TAG_END, _INVISIBLE, *defaults.infixes]
        ).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


@spacy.registry.tokenizers(V1)
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's English tokenizer that also splits Markdown residue and inline tags off words.

    Registered (and published under the ``spacy_tokenizers`` entry point) so that
    ``spacy.blank`` builds it once and a saved pipeline loads it by name.
    """
    return rules_tokenizer
