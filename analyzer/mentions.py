"""Secondary mentions in a posting: certifications it names and tool-like unknown terms.

Certifications are matched by name, exam code and alias against the catalogue;
unknown terms are spellings that look like tools or products (CamelCase,
letters mixed with digits, capitalised names inside a list of skills) that the
taxonomy does not know yet, so the taxonomy can grow.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from itertools import compress

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from analyzer.taxonomy import Taxonomy

__all__ = ["CERTIFICATIONS_KEY", "CertificationFinder", "unknown_terms"]

CERTIFICATIONS_KEY = "certifications"


class CertificationFinder:
    """Find catalogue certifications named in a Doc (by name, exam code or alias)."""

    def __init__(self, nlp: Language, taxonomy: Taxonomy) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for cert in taxonomy.certifications.values():
            spellings = {cert.name, *cert.aliases}
            if cert.code and len(cert.code) >= 3:
                spellings.add(cert.code)
            self.matcher.add(cert.id, [nlp.make_doc(s) for s in sorted(spellings)])

    def __call__(self, doc: Doc) -> tuple[str, ...]:
        """Certification ids in order of first mention (spans kept in ``doc.spans``)."""
        found: dict[str, None] = {}
        strings = doc.vocab.strings
        spans = []
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], -m[2])):
            found.setdefault(strings[match_id], None)
            spans.append(Span(doc, start, end, label="certification", span_id=strings[match_id]))
        doc.spans[CERTIFICATIONS_KEY] = filter_spans(spans)
        return tuple(found)


# words holding a capital or a digit after their first letter or starting with a capital:
# the only shapes that can be tool-like, so plain lower-case words never reach Python
_WORD = re.compile(
    r"(?<![\w.@/#-])(?:[A-Z][A-Za-z0-9.+#-]*[A-Za-z0-9+#]"
    r"|[a-z][a-z.+#-]*+[A-Z0-9][A-Za-z0-9.+#-]*[A-Za-z0-9+#]?)"
)
"""(``*+`` takes its run whole: giving back a lower-case letter could never match ``[A-Z0-9]``,
and not trying saves a fifth of the scan.)"""
_CAMEL = re.compile(r"^[A-Z]?[a-z]+(?:[A-Z][a-z0-9]+)+$|^[a-z]+[A-Z][A-Za-z0-9]*$")
_ALNUM = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)[A-Za-z][A-Za-z0-9.+-]{2,}$")
_CAPITALISED = re.compile(r"^[A-Z][A-Za-z0-9.+#-]{2,}$")
_UNIT_LIKE = re.compile(r"^(\d+[A-Za-z]{1,3}|[A-Za-z]\d{1,2}|[A-Za-z]{1,2}\d{1,4})$")
_NOT_TOOLS = {
    # common capitalised words and abbreviations that are not tools
    "the", "and", "our", "you", "we", "your", "this", "with", "for", "inc", "llc", "ltd", "usa",
    "us", "eeo", "ada", "ceo", "cto", "cfo", "vp", "hr", "pto", "ms", "phd", "bs", "ba", "mba",
    "bsc", "msc", "remote", "hybrid", "onsite", "english", "spanish", "french", "german",
    "monday", "tuesday", "wednesday", "thursday", "friday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "covid", "covid19", "h1b", "w2", "401k", "q1", "q2", "q3", "q4", "2fa", "24x7", "b2b",
    "b2c", "saas", "paas", "iaas", "api", "apis", "sdk", "sdks", "ui", "ux", "it", "ai", "ml",
    "experience", "knowledge", "strong", "excellent", "ability", "familiarity", "proficiency",
    "understanding", "including", "such", "other", "etc", "e.g", "i.e", "skills", "tools",
    "frameworks", "libraries", "languages", "platforms", "technologies", "degree", "bachelor",
    "master", "masters", "science", "engineering", "computer", "mathematics", "statistics",
    "physics", "related", "field", "data", "team", "teams", "cloud", "web", "mobile",
    "bachelors", "plus", "preferred", "required", "years", "year", "work", "working", "using",
    "building", "build", "design", "develop", "deploy", "good", "solid", "deep",
    "hands-on", "expertise", "proven", "systems", "services", "solutions", "products",
    # job-title words
    "engineer", "engineers", "scientist", "scientists", "analyst", "analysts", "developer",
    "developers", "manager", "architect", "researcher", "specialist", "consultant", "lead",
    "senior", "junior", "staff", "principal", "platform", "intern", "associate", "director",
}  # fmt: skip


_SKIP, _TOOL, _NAME = 0, 1, 2


@functools.lru_cache(maxsize=2**16)
def _word_kind(raw: str) -> tuple[str, int]:
    """The word without trailing dots and hyphens, and whether it is tool-like (CamelCase,
    letters with digits), a capitalised name (tool-like only inside a list) or neither."""
    word = raw.rstrip(".-")
    if len(word) < 3 or word.lower() in _NOT_TOOLS or _UNIT_LIKE.match(word):
        return word, _SKIP
    if _CAMEL.match(word) or _ALNUM.match(word):
        return word, _TOOL
    if word.isupper() or not _CAPITALISED.match(word):
        return word, _SKIP
    return word, _NAME


_LIST_AFTER = frozenset({",", "/", ")"})
_LIST_OPEN = frozenset({"/", "("})
_LIST_SEPARATORS = frozenset({",", "/"})
MAX_CHUNKS = 50_000
"""Distinct chunks :data:`CHUNK_WORDS` remembers; it starts afresh when it would hold more."""

ChunkWord = tuple[int, int, str, int, bool]
"""``(start, end, word, kind, needs_separator)`` of a tool-like word inside a chunk."""


class ChunkWords(dict[str, tuple[ChunkWord, ...]]):
    """Whitespace-free chunk -> the words in it that may be unknown terms, worked out once.

    ``_WORD`` never matches whitespace and its look-behind only looks at characters of the
    chunk (or the whitespace before it), so a chunk's words are the same wherever it
    stands. Words that are never tool-like are left out, and so are capitalised names
    that cannot be list items: the characters around them inside the chunk decide that,
    except for a name that opens the chunk, which is a list item only after ", " or "/ "
    (``needs_separator``: checked in the text).
    """

    def __init__(self, max_size: int = MAX_CHUNKS) -> None:
        super().__init__()
        self.max_size = max_size

    def __missing__(self, chunk: str) -> tuple[ChunkWord, ...]:
        found: list[ChunkWord] = []
        for m in _WORD.finditer(chunk):
            word, kind = _word_kind(m.group())
            if kind == _SKIP:
                continue
            start, end = m.span()
            needs_separator = False
            if kind == _NAME and not (
                chunk[end : end + 1] in _LIST_AFTER or chunk[start - 1 : start] in _LIST_OPEN
            ):
                if start:
                    continue  # inside the chunk, with no list around it
                needs_separator = True
            found.append((start, end, word, kind, needs_separator))
        if len(self) >= self.max_size:
            self.clear()
        words = self[chunk] = tuple(found)
        return words


CHUNK_WORDS = ChunkWords()


def _chunk_offset(text: str, chunk: str, cursor: int, *, skip: int = 0) -> int:
    """Offset of the first whole occurrence of ``chunk`` (whitespace or an end around it)
    at or after ``cursor``, passing over ``skip`` whole occurrences first."""
    size = len(text)
    pos = cursor - 1
    for _ in range(skip + 1):
        pos = text.find(chunk, pos + 1)
        while (pos > 0 and not text[pos - 1].isspace()) or (
            pos + len(chunk) < size and not text[pos + len(chunk)].isspace()
        ):
            pos = text.find(chunk, pos + 1)
    return pos


def unknown_terms(
    doc: Doc,
    taxonomy: Taxonomy,
    *,
    text: str | None = None,
    limit: int = 25,
    covered: Sequence[tuple[int, int]] | None = None,
) -> tuple[str, ...]:
    """Tool-like spellings outside every skill span, most frequent first.

    A word is tool-like when it is CamelCase (``LangSmith``), mixes letters and
    digits (``GPT-4o``), or is a capitalised name inside a list next to known
    skills (``Python, Polaris, SQL``). Words the taxonomy knows are skipped.

    Parameters
    ----------
    doc : Doc
        A Doc already processed by the skill matcher (``doc.spans['skills']``).
    taxonomy : Taxonomy
        Used to drop spellings the taxonomy already knows.
    text : str, optional
        ``doc.text``, if the caller has it.
    covered : sequence of (int, int), optional
        Character offsets of the skill spans, if the caller has read them
        (certification spans are always read from the Doc).
    limit : int
        At most this many terms.
    """
    text = doc.text if text is None else text
    if covered is None:
        covered = [(s.start_char, s.end_char) for s in doc.spans.get("skills", ())]
    spans = sorted(
        [*covered, *((s.start_char, s.end_char) for s in doc.spans.get(CERTIFICATIONS_KEY, ()))]
    )
    starts = [s for s, _ in spans]
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    chunks = text.split()
    words_of = list(map(CHUNK_WORDS.__getitem__, chunks))
    cursor = 0  # the end of the last chunk whose offset is known
    passed: dict[str, int] = {}  # chunks since then whose offsets were not needed
    # only chunks holding a candidate word, in order
    for index in compress(range(len(chunks)), words_of):
        chunk = chunks[index]
        words = words_of[index]
        if words[0][4] and not (index and chunks[index - 1][-1] in "/,"):
            # a name opening the chunk, with no separator before it, is not a list item
            if len(words) == 1:
                passed[chunk] = passed.get(chunk, 0) + 1
                continue
            words = words[1:]
        offset = _chunk_offset(text, chunk, cursor, skip=passed.get(chunk, 0))
        cursor = offset + len(chunk)
        if passed:
            passed.clear()
        for rel_start, rel_end, word, kind, needs_separator in words:
            pos = offset + rel_start
            if needs_separator and not (
                pos >= 2 and text[pos - 1] == " " and text[pos - 2] in _LIST_SEPARATORS
            ):
                continue  # a capitalised name that is not a list item
            i = bisect.bisect_right(starts, pos) - 1
            if i >= 0 and spans[i][0] <= pos < spans[i][1]:
                continue  # inside a skill span
            if kind == _NAME:
                end = offset + rel_end
                near = (i >= 0 and pos - spans[i][1] < 40) or (
                    i + 1 < len(spans) and spans[i + 1][0] - end < 40
                )
                if not near:
                    continue
            if taxonomy.find(word) is not None:
                continue
            counts[word] += 1
            first.setdefault(word, pos)
    ranked = sorted(counts, key=lambda t: (-counts[t], first[t]))
    return tuple(ranked[:limit])
