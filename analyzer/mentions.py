"""Secondary mentions in a posting: certifications it names and tool-like unknown terms.

Certifications are matched by name, exam code and alias against the catalogue;
unknown terms are spellings that look like tools or products (CamelCase,
letters mixed with digits, capitalised names inside a list of skills) that the
taxonomy does not know yet, so the taxonomy can grow.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from analyzer.taxonomy import Taxonomy, alias_key

__all__ = ["CertificationFinder", "unknown_terms"]


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
        """Certification ids in order of first mention."""
        found: dict[str, None] = {}
        strings = doc.vocab.strings
        for match_id, _start, _end in sorted(self.matcher(doc), key=lambda m: (m[1], -m[2])):
            found.setdefault(strings[match_id], None)
        return tuple(found)


_CAMEL = re.compile(r"^[A-Z]?[a-z]+(?:[A-Z][a-z0-9]+)+$|^[a-z]+[A-Z][A-Za-z0-9]*$")
_ALNUM = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)[A-Za-z][A-Za-z0-9.+-]{2,}$")
_CAPITALISED = re.compile(r"^[A-Z][A-Za-z0-9.+#-]{2,}$")
_LIST_SEPARATORS = {",", "/", "and", "or", "(", ")", "&", "|", ";"}
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
    "bachelors", "plus", "preferred", "required", "years", "year", "work", "working",
}  # fmt: skip


def unknown_terms(doc: Doc, taxonomy: Taxonomy, *, limit: int = 25) -> tuple[str, ...]:
    """Tool-like spellings outside every skill span, most frequent first.

    Parameters
    ----------
    doc : Doc
        A Doc already processed by the skill matcher (``doc.spans['skills']``).
    taxonomy : Taxonomy
        Used to drop spellings the taxonomy already knows.
    limit : int
        At most this many terms.
    """
    covered = [False] * len(doc)
    for span in doc.spans.get("skills", []):
        for i in range(span.start, span.end):
            covered[i] = True
    near_skill = [False] * len(doc)
    for span in doc.spans.get("skills", []):
        for i in range(max(0, span.start - 6), min(len(doc), span.end + 6)):
            near_skill[i] = True
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for token in doc:
        if (
            covered[token.i]
            or token.is_space
            or token.is_punct
            or token.like_url
            or token.like_email
        ):
            continue
        text = token.text.strip(".,;:")
        if len(text) < 3 or text.lower() in _NOT_TOOLS:
            continue
        tool_like = bool(_CAMEL.match(text) or _ALNUM.match(text))
        if (
            not tool_like
            and _CAPITALISED.match(text)
            and near_skill[token.i]
            and not token.is_sent_start
        ):
            prev_tok = doc[token.i - 1].lower_ if token.i > 0 else ""
            next_tok = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
            tool_like = (prev_tok in _LIST_SEPARATORS or next_tok in _LIST_SEPARATORS) and not (
                text.isupper() and len(text) <= 3
            )
            if tool_like and token.i > 0 and doc[token.i - 1].text in {".", "\n", ":"}:
                tool_like = False
        if not tool_like:
            continue
        if re.fullmatch(r"\d+[A-Za-z]{1,3}|[A-Za-z]\d{1,2}", text):  # 10x, 5k, Q3, H1
            continue
        try:
            taxonomy.lookup(text)
            continue
        except LookupError:
            pass
        key = alias_key(text)
        counts[text] += 1
        first.setdefault(text, token.i)
        del key
    ranked = sorted(counts, key=lambda t: (-counts[t], first[t]))
    return tuple(ranked[:limit])
