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


def _in_a_list(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is an item of a list: after ", ", "/", "/ " or "(", or
    before ",", "/" or ")" ("Python, Polaris, SQL")."""
    if text[end : end + 1] in _LIST_AFTER:
        return True
    before = text[start - 1 : start] if start else ""
    if before in _LIST_OPEN:
        return True
    return before == " " and start >= 2 and text[start - 2] in _LIST_SEPARATORS


_LIST_AFTER = frozenset({",", "/", ")"})
_LIST_OPEN = frozenset({"/", "("})
_LIST_SEPARATORS = frozenset({",", "/"})


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
    for m in _WORD.finditer(text):
        word, kind = _word_kind(m.group())
        if kind == _SKIP:
            continue
        pos = m.start()
        if kind == _NAME and not _in_a_list(text, pos, m.end()):
            continue
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and spans[i][0] <= pos < spans[i][1]:
            continue  # inside a skill span
        if kind == _NAME:
            near = (i >= 0 and pos - spans[i][1] < 40) or (
                i + 1 < len(spans) and spans[i + 1][0] - m.end() < 40
            )
            if not near:
                continue
        if taxonomy.find(word) is not None:
            continue
        counts[word] += 1
        first.setdefault(word, pos)
    ranked = sorted(counts, key=lambda t: (-counts[t], first[t]))
    return tuple(ranked[:limit])
