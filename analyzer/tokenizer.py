"""Tokenizers of the pipeline: ``skillgap.tokenizer.v1`` (spaCy rules) and ``.v2`` (fast).

``skillgap.tokenizer.v1`` is spaCy's English :class:`~spacy.tokenizer.Tokenizer`
with extra prefix, suffix and infix rules for Markdown residue and inline tags.
``skillgap.tokenizer.v2`` (:class:`FastTokenizer`) gives exactly the same
tokens at about a quarter of the cost once warm: ``str.split(" ")`` cuts the
text at its single spaces (a text with a space after other whitespace, rare,
is cut by a regular expression into chunks and whitespace runs instead), each
distinct piece is split once by the v1 rules and remembered as vocabulary ids,
and the Doc is built from those ids. spaCy's tokenizer treats every
whitespace-delimited chunk on its own, so the memo cannot change the result; it
only skips the per-chunk work and spaCy's per-character loop. Short texts with
an unseen piece (taxonomy phrases) go to the v1 rules directly.

Both are registered (and published under the ``spacy_tokenizers`` entry point)
so that ``spacy.blank`` builds them by name and saved pipelines load them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["FastTokenizer", "create_fast_tokenizer", "create_tokenizer"]

V1 = "skillgap.tokenizer.v1"
V2 = "skillgap.tokenizer.v2"
DEFAULT_MAX_CACHE = 100_000
"""Distinct pieces, and distinct chunks, each memo remembers before it starts afresh (about
300 bytes an entry)."""

_HTML_TAG = r"</?[A-Za-z][A-Za-z0-9]{0,9}/?>"
"""Inline tags left in Markdown or pasted text (``<b>Python</b>``) split off the word."""
_TAG_END = r"(?<=[\"'])>"
"""The end of an opening tag with attributes (``href="...">Python``)."""
_INVISIBLE = r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
"""Zero-width and bidirectional formatting characters pasted from web pages."""

_SHORT = 32
"""Texts of at most this many chunks and spaces that hold an unseen chunk go to v1 directly
(taxonomy phrases, titles): two Docs per call would cost more than the memo saves."""
_ITEMS = re.compile(r"\S+ ?|\s+")
"""A chunk with the single space after it (spaCy's ``whitespace_``), or a whitespace run.

``\\s`` and spaCy's tokenizer agree on what is whitespace (``str.isspace``).
"""
_SPACE_AFTER_WHITESPACE = re.compile(r" (?<=\s )")
"""A space that follows whitespace: where a text is not cut at its single spaces (a literal
space first, fast to scan for)."""


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


class FastTokenizer:
    """The v1 tokens, from a memo of how each piece of text between single spaces splits.

    ``doc.text == text`` for every text: a chunk followed by exactly one space
    gets ``whitespace_ == " "``, any other whitespace becomes a token, as in spaCy.

    Parameters
    ----------
    vocab : Vocab
        The pipeline's vocabulary.
    splitter : Tokenizer
        Splits chunks never seen before (the v1 rules); its tokens are the result.
    max_cache : int
        Distinct pieces (and chunks) remembered; a memo is emptied when it would grow
        past this.
    """

    def __init__(self, vocab: Vocab, splitter: Tokenizer, *, max_cache: int = DEFAULT_MAX_CACHE):
        self.vocab = vocab
        self.splitter = splitter
        self.max_cache = max_cache
        # item (a chunk with its trailing space, if any, or a whitespace run) -> token orth
        # ids / whitespace flags; Doc() looks ids up much faster than it hashes strings
        self._orths: dict[str, tuple[int, ...]] = {}
        self._spaces: dict[str, tuple[bool, ...]] = {}
        # piece (the text between two single spaces) -> token orth ids / whitespace flags
        # of the piece followed by a space
        self._piece_orths: dict[str, tuple[int, ...]] = {}
        self._piece_spaces: dict[str, tuple[bool, ...]] = {}

    def clear(self) -> None:
        """Forget how chunks split (the tokens do not change)."""
        self._orths.clear()
        self._spaces.clear()
        self._piece_orths.clear()
        self._piece_spaces.clear()

    def __call__(self, text: str) -> Doc:
        """Tokenise ``text``."""
        try:
            if text[:1] == " " or _SPACE_AFTER_WHITESPACE.search(text):
                return self._tokenize(text)
            return self._tokenize_pieces(text)
        except KeyError:
            # A remembered string left the vocabulary (a memory zone ended, or the
            # vocabulary was reloaded), or a memo filled up while learning this text and
            # forgot pieces it had known: forget everything and tokenise afresh (slower
            # once, never different).
            self.clear()
            return self._tokenize(text)

    def _tokenize_pieces(self, text: str) -> Doc:
        """Tokenise a text in which every space follows a non-space: cut at single spaces.

        Each piece but the last is followed by exactly one space, its last token's
        ``whitespace_``; a piece may hold other whitespace ("line\nNext").
        """
        pieces = text.split(" ")
        words = self._remembered(pieces, self._piece_orths, self._learn_pieces)
        if words is None:
            return self.splitter(text)  # cheaper than learning for a phrase
        spaces = list(chain.from_iterable(map(self._piece_spaces.__getitem__, pieces)))
        if pieces[-1]:
            spaces[-1] = False  # the last piece has no space after it
        return Doc(self.vocab, words=words, spaces=spaces)

    def _learn_pieces(self, pieces: set[str]) -> None:
        """Remember the tokens of each piece: those of its chunks and whitespace runs."""
        if len(self._piece_orths) + len(pieces) > self.max_cache:
            self._piece_orths.clear()
            self._piece_spaces.clear()
        items_of = {piece: _ITEMS.findall(piece) for piece in pieces}
        self._learn(set(chain.from_iterable(items_of.values())).difference(self._orths))
        orths_of = self._orths
        for piece, items in items_of.items():
            orths = tuple(chain.from_iterable(map(orths_of.__getitem__, items)))
            self._piece_orths[piece] = orths
            self._piece_spaces[piece] = _flags(len(orths), True)

    def _tokenize(self, text: str) -> Doc:
        """Tokenise any text: cut into chunks with their single trailing space and
        whitespace runs."""
        items = _ITEMS.findall(text)
        words = self._remembered(items, self._orths, self._learn)
        if words is None:
            return self.splitter(text)  # cheaper than learning for a phrase
        spaces = list(chain.from_iterable(map(self._spaces.__getitem__, items)))
        return Doc(self.vocab, words=words, spaces=spaces)

    @staticmethod
    def _remembered(
        keys: list[str], memo: dict[str, tuple[int, ...]], learn: Callable[[set[str]], None]
    ) -> list[int] | None:
        """The orth ids of ``keys`` from ``memo``, after learning the unseen ones; None
        for a short text with an unseen key (a phrase: the rules are cheaper)."""
        try:
            return list(chain.from_iterable(map(memo.__getitem__, keys)))
        except KeyError:
            if len(keys) <= _SHORT:
                return None
            learn(set(keys).difference(memo))
            return list(chain.from_iterable(map(memo.__getitem__, keys)))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenise a stream of texts (``batch_size`` is accepted for spaCy's API)."""
        for text in texts:
            yield self(text)

    def _learn(self, items: set[str]) -> None:
        """Split the chunks in ``items`` with the v1 rules and remember the pieces."""
        if len(self._orths) + len(items) > self.max_cache:
            self.clear()
        chunks = sorted({item.removesuffix(" ") for item in items if not item[0].isspace()})
        pieces = self._split_all(chunks)
        add = self.vocab.strings.add
        for item in items:
            if item[0].isspace():
                words = tuple(t.text for t in self.splitter(item))
                spaced = False
            else:
                spaced = item.endswith(" ")
                words = pieces[item.removesuffix(" ")]
            self._orths[item] = tuple(add(word) for word in words)
            self._spaces[item] = _flags(len(words), spaced)

    def _split_all(self, chunks: list[str]) -> dict[str, tuple[str, ...]]:
        """The v1 pieces of each chunk, from one pass over the chunks joined by spaces."""
        out: dict[str, tuple[str, ...]] = {}
        if not chunks:
            return out
        doc = self.splitter(" ".join(chunks))
        current: list[str] = []
        index = 0
        for token in doc:
            current.append(token.text)
            if token.whitespace_ or token.i == len(doc) - 1:
                if index < len(chunks):
                    out[chunks[index]] = tuple(current)
                index += 1
                current = []
        if index != len(chunks) or any("".join(out[c]) != c for c in chunks):
            # a special case spanning the joins (none in the shipped rules): one at a time
            out = {c: tuple(t.text for t in self.splitter(c)) for c in chunks}
        return out

    # ------------------------------------------------------------------ serialisation

    def _config(self) -> dict[str, Any]:
        return {"tokenizer": V2, "max_cache": self.max_cache}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """A small config; the rules come from the pipeline's language defaults."""
        return srsly.msgpack_dumps(self._config())

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> FastTokenizer:
        """Read the config written by :meth:`to_bytes`."""
        data = srsly.msgpack_loads(bytes_data)
        self.clear()  # the vocabulary may have been reloaded with it
        self.max_cache = int(data.get("max_cache", self.max_cache))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write :meth:`to_bytes` to the file ``path``."""
        Path(path).write_bytes(self.to_bytes(exclude=exclude))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> FastTokenizer:
        """Read the file written by :meth:`to_disk`."""
        return self.from_bytes(Path(path).read_bytes(), exclude=exclude)

    def __reduce__(self) -> tuple[Any, ...]:
        # the memo stays behind: a worker process learns its own
        return (_unpickle, (self.vocab, self.splitter, self.max_cache))


@functools.cache
def _flags(n_tokens: int, spaced: bool) -> tuple[bool, ...]:
    """The whitespace flags of a chunk's tokens (shared tuples)."""
    return (False,) * (n_tokens - 1) + (spaced,) if n_tokens else ()


def _unpickle(vocab: Vocab, splitter: Tokenizer, max_cache: int) -> FastTokenizer:
    return FastTokenizer(vocab, splitter, max_cache=max_cache)


@spacy.registry.tokenizers(V2)
def create_fast_tokenizer(
    max_cache: int = DEFAULT_MAX_CACHE,
) -> Callable[[Language], FastTokenizer]:
    """The fast tokenizer: the v1 tokens, cut by a regular expression and a memo.

    Registered (and published under the ``spacy_tokenizers`` entry point) so that
    ``spacy.blank`` builds it by name and a saved pipeline loads it.
    """

    def make(nlp: Language) -> FastTokenizer:
        return FastTokenizer(nlp.vocab, rules_tokenizer(nlp), max_cache=max_cache)

    return make
