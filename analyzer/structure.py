"""How a posting is built: sections, clauses, requirement cues, negation, years, seniority.

Pure functions over the posting text (no spaCy), so they are cheap and easy to
test. Sections come from heading lines ("Requirements", "Nice to have:",
"## What you'll do") and, for postings flattened onto one line by a scraper,
from strong cue phrases inside the text ("preferred qualifications:").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = [
    "Section",
    "Structure",
    "clause_bounds",
    "find_sections",
    "is_negated",
    "read_structure",
    "requirement_cue",
    "seniority_from",
    "years_expressions",
]

SECTION_LABELS = (
    "intro",
    "required",
    "preferred",
    "responsibilities",
    "about",
    "benefits",
    "legal",
)

_HEADINGS: list[tuple[str, str]] = [
    # order matters: preferred before required ("preferred qualifications")
    (
        "preferred",
        r"(preferred|desired|desirable|bonus|additional|nice[\s-]to[\s-]haves?|good[\s-]to[\s-]haves?"
        r"|pluses|extra credit|it'?s a plus|ideally|it would be great|even better|"
        r"what (would|will) make you stand out|stand out|optional)"
        r"(\s+(qualifications?|skills?|experience|requirements?|points?|if you have))?",
    ),
    (
        "required",
        r"(minimum|basic|required|key|essential|must[\s-]have|core|technical|mandatory)?\s*"
        r"(qualifications?|requirements?|skills?( and| &) (experience|qualifications)|"
        r"skills?|experience|competencies|must[\s-]haves?|what (you'?ll|you will|you) (need|bring)|"
        r"what we'?re looking for|what we are looking for|who you are|about you|you have|"
        r"your (profile|background|experience|skills)|you (should|will) have|you bring|"
        r"(education|experience) (and|&) (skills|experience|qualifications)|"
        r"to be successful|we'?re looking for|we are looking for|ideal candidate|"
        r"who we'?re looking for|requirements and qualifications|tech(nical)? stack|our stack)",
    ),
    (
        "responsibilities",
        r"(key |main |core |primary |essential )?(responsibilities|duties|"
        r"what (you'?ll|you will) (do|be doing|work on)|what you'?ll be doing|the role|"
        r"your role|role (overview|summary|description)|job (description|summary|duties)|"
        r"in this role(,)? you will|day[\s-]to[\s-]day|your impact|the opportunity|"
        r"about the (role|job|position|opportunity)|position (summary|overview)|"
        r"what the job involves|your mission|the job|overview|summary)",
    ),
    (
        "benefits",
        r"(benefits|perks|what we offer|why (join|work)|compensation|salary|pay range|"
        r"total rewards|our benefits|we offer|base pay|pay transparency)",
    ),
    (
        "legal",
        r"(equal (employment )?opportunity|eeo|diversity|accommodations?|disclaimer|"
        r"legal|privacy notice|e-verify|notice to (candidates|applicants)|"
        r"recruitment fraud|reasonable accommodation)",
    ),
    (
        "about",
        r"(about (us|the company|our company|the team|[a-z0-9&.' -]{2,40})|who we are|"
        r"our (mission|story|company|team|culture)|company (overview|description)|"
        r"the team|life at [a-z0-9 ]+)",
    ),
]

_HEADING_RE = re.compile(
    "|".join(rf"(?P<{label}>^(?:{pattern})\s*[:\-–—!.]?\s*$)" for label, pattern in _HEADINGS)
)
"""Heading lines, matched in lower case (faster than ``re.I``)."""
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character ``re`` counts as ``\\s`` (and ``str.isspace`` as whitespace)."""
_LINE_PREFIX = WHITESPACE + "#>*_`|=-•·–—"
"""Markup a heading line may open with (Markdown hashes, quotes, bullets, rules)."""
_LINE_SUFFIX = WHITESPACE + "*_`|=:"

# Cue phrases that open a section even inside a flattened one-line posting, when a colon
# or a dash follows them ("preferred qualifications:"). Each phrase is a sequence of
# characters and character classes, each optionally followed by "?".
_INLINE_CUE_PHRASES: dict[str, tuple[str, ...]] = {
    "preferred": (
        "preferred qualifications", "preferred skills", "preferred experience",
        r"nice[\s-]to[\s-]haves?", "bonus points", "desired qualifications", "desired skills",
        "additional qualifications",
    ),
    "required": (
        "minimum qualifications", "basic qualifications", "required qualifications",
        "requirements", "qualifications", "what you'?ll need", "what you bring",
        "what we'?re looking for", "required skills", r"must[\s-]haves?", "who you are",
    ),
    "responsibilities": (
        "responsibilities", "key responsibilities", "what you'?ll do", "what you will do",
        "duties", "in this role,? you will",
    ),
    "benefits": (
        "benefits", "perks", "what we offer", "compensation", "pay range", "salary range",
    ),
}  # fmt: skip
_ATOM = re.compile(r"(?:\[[^\]]*\]|\\.|[^\\\[])\??")


def _reversed_phrase(phrase: str) -> str:
    """The regex of ``phrase`` read backwards (its atoms in reverse order)."""
    return "".join(reversed(_ATOM.findall(phrase)))


# Searched in the reversed lower-cased text: every match then starts with the colon or
# dash, which ``re`` scans for in C (five times faster than the phrases read forwards).
# Longer phrases first, so the one reaching furthest back wins ("preferred qualifications:",
# not "qualifications:").
_INLINE_CUES_REVERSED = re.compile(
    r"[:\-–]\s*(?:"
    + "|".join(
        f"(?P<{label}>"
        + "|".join(_reversed_phrase(p) for p in sorted(phrases, key=len, reverse=True))
        + ")"
        for label, phrases in _INLINE_CUE_PHRASES.items()
    )
    + ")"
)
_LEGAL_CUE = re.compile(
    r"(is an equal (employment )?opportunity employer|equal opportunity employer|"
    r"eeo statement|without regard to (race|sex|age))"
)
_LEGAL_CUE_STARTS = ("is an equal", "equal opportunity", "eeo statement", "without regard to")
"""Every match of :data:`_LEGAL_CUE` starts with one of these: the scan starts at the first."""


def _inline_cues(lowered: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, label)`` of the cue phrases of a lower-cased text that start a word."""
    backwards, size = lowered[::-1], len(lowered)
    for m in _INLINE_CUES_REVERSED.finditer(backwards):
        start = size - m.end()
        if not (start and lowered[start - 1].isalnum()):
            yield start, size - m.start(), str(m.lastgroup)
    starts = [i for i in map(lowered.find, _LEGAL_CUE_STARTS) if i >= 0]
    if starts:
        for m in _LEGAL_CUE.finditer(lowered, min(starts)):
            if not (m.start() and lowered[m.start() - 1].isalnum()):
                yield m.start(), m.end(), "legal"


@dataclass(frozen=True)
class Section:
    """A region of the posting text with a label and the heading that opened it."""

    label: str
    start: int
    end: int
    heading: str | None = None


def _heading_label(line: str) -> str | None:
    stripped = line.lstrip(_LINE_PREFIX).rstrip(_LINE_SUFFIX)
    if not stripped or len(stripped) > 70 or len(stripped.split()) > 9:
        return None
    m = _HEADING_RE.match(stripped.lower())
    return m.lastgroup if m else None


MAX_HEADING_LINE = 90
"""A line longer than this is not a heading."""
MAX_HEAD_BEFORE_COLON = 60
"""A heading that opens its line ("Requirements: Python, SQL") is at most this long."""
FLATTENED_LINE = 600
"""A posting with a line this long was flattened by a scraper: inline cues open sections."""


def lower_same_length(text: str) -> str:
    """``text`` lower-cased, offset for offset (the few characters that grow, "İ", stay)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered


def find_sections(text: str, lowered: str | None = None) -> list[Section]:
    """Split a posting into labelled sections, covering the whole text in order.

    ``lowered`` may pass :func:`lower_same_length` of the text when the caller has it.
    """
    marks: list[tuple[int, str, str]] = []  # (offset, label, heading)
    offset = longest = 0
    for line in text.split("\n"):
        size = len(line)
        longest = max(longest, size)
        if 0 < size <= MAX_HEADING_LINE:  # only short lines can be headings
            label = _heading_label(line)
            if label:
                marks.append((offset, label, line.strip()))
        colon = line.find(":", 0, MAX_HEAD_BEFORE_COLON + 1)
        if colon > 0:  # "Requirements: Python, SQL" (the line's first colon)
            label = _heading_label(line[:colon])
            if label:
                marks.append((offset, label, line[: colon + 1].strip()))
        offset += size + 1
    if not marks or longest >= FLATTENED_LINE:
        lowered = lowered if lowered is not None else lower_same_length(text)
        for start, end, label in _inline_cues(lowered):
            marks.append((start, label, text[start:end].strip()))
    marks.sort(key=lambda m: (m[0], -len(m[2])))
    deduped: list[tuple[int, str, str]] = []
    for mark in marks:
        # a cue inside the previous heading ("qualifications:" in "preferred qualifications:")
        # opens nothing
        if deduped and mark[0] < deduped[-1][0] + max(3, len(deduped[-1][2])):
            continue
        deduped.append(mark)
    sections: list[Section] = []
    start, label, heading = 0, "intro", None
    for pos, lab, head in deduped:
        if pos > start:
            sections.append(Section(label, start, pos, heading))
        start, label, heading = pos, lab, head
    sections.append(Section(label, start, len(text), heading))
    return [s for s in sections if s.end > s.start] or [Section("intro", 0, len(text))]


# A clause ends at a line break, at sentence punctuation before a space, and before a
# list item (a bullet or a dash between spaces, not at a line start: the line break ends
# that clause). Every alternative starts with one character of a set, which ``re`` scans
# for in C; the conditions are look-arounds (twice as fast as ``\s(?:[•]\s|...)``).
_CLAUSE_BREAK = re.compile(
    r"[\n.!?;•·▪●-](?:(?<=\n)|(?<=[.!?;])(?=\s)"
    r"|(?<=[^\S\n][•·▪●])\s|(?<=[^\S\n]-)\s(?=[A-Za-z]))"
)


def clause_bounds(text: str) -> list[int]:
    """Sorted start offsets of the clauses (sentence or list item) of a text."""
    return [0, *map(re.Match.end, _CLAUSE_BREAK.finditer(text))]


# Cues of a clause, searched in its lower-cased text (three times faster than re.I).
_PREFERRED_CUE = re.compile(
    r"\b(nice[\s-]to[\s-]have|preferred|preferably|a (big |huge )?plus|are pluses|bonus|ideally|"
    r"desir(ed|able)|advantageous|an advantage|would be great|good to have|not required|"
    r"helpful|beneficial|optional|is welcome|are welcome|would be nice|familiarity with)\b"
)
_REQUIRED_CUE = re.compile(
    r"\b(required|requires?|requirements?|must|mandatory|essential|you have|you'?ll need|"
    r"need(s)? to have|strong|proficien(t|cy)|expert(ise)?|solid|extensive|proven|demonstrated|"
    r"deep (knowledge|understanding|expertise)|hands[\s-]on|experience (with|in|using|building)|"
    r"\d+\+?\s*(years|yrs)|degree in|fluen(t|cy)|mastery|track record|knowledge of)\b"
)


def _cue_of_lowered(lowered: str, start: int = 0, end: int | None = None) -> str | None:
    """The cue of ``lowered[start:end]``, searched in place (see :meth:`Structure.cue`)."""
    end = len(lowered) if end is None else end
    if _PREFERRED_CUE.search(lowered, start, end):
        return "preferred"
    if _REQUIRED_CUE.search(lowered, start, end):
        return "required"
    return None


def requirement_cue(clause: str) -> str | None:
    """``preferred`` or ``required`` when the clause itself says so, else None."""
    return _cue_of_lowered(lower_same_length(clause))


_NEG_BEFORE = re.compile(
    r"(\b(no|not|don'?t|do not|doesn'?t|does not|never)\b[\w\s,/+#.-]{0,40}$)", re.I
)
_NEED_WORD = re.compile(
    r"\b(need(ed)?|required?|necessary|expected|mandatory|prerequisite|a must)\b", re.I
)
_NEG_AFTER = re.compile(
    r"^[\w\s,/+#.()-]{0,40}?\b((is|are)\s+)?(not|n't)\s+(required|needed|necessary|expected|"
    r"a requirement|mandatory|a prerequisite)\b",
    re.I,
)
_NEGATION_WORD = re.compile(
    r"n(?:(?<!\wn)(?:ot?|ever)\b|'t\b|(?:(?<=\bdon)|(?<=\bdoesn)|(?<=\bisn)|(?<=\bwon))t\b)"
)
"""The negation words the rules below need (no, not, never, n't, dont, doesnt, isnt, wont; not
every word ending in "nt", such as "client"), in lower-cased text, found at their "n". The
pattern starts with its literal "n", fast to scan for; ``(?<!\\wn)`` after it is the ``\\b``
before the word."""
_PLUS_WORDS = re.compile(r"\b(plus|bonus|nice to have|preferred|welcome)\b")
"""Words that call a skill a plus, in lower-cased text."""
_NOT_A_ROLE = re.compile(
    r"\b(not|isn'?t|is not)\s+(a|an|the)\s+(\w+\s+){0,2}(role|position|job)\b", re.I
)
_DONT_NEED = re.compile(r"\b(don'?t|do not|won'?t|will not)\s+need\b[\w\s,/+#.-]{0,40}$", re.I)


def is_negated(clause: str, start: int, end: int) -> bool:
    """Whether the mention at ``clause[start:end]`` is negated ("no Kubernetes experience needed").

    A negation word shortly before the mention counts only together with a need
    word in the clause ("no ... needed/required"); a trailing "is not required"
    counts on its own; a clause that says the skill is a plus is never negated.
    """
    lowered = lower_same_length(clause)
    if not _NEGATION_WORD.search(lowered) or _PLUS_WORDS.search(lowered):
        return False
    return _negated_around(clause, start, end, before=True, after=True)


def _negated_around(clause: str, start: int, end: int, *, before: bool, after: bool) -> bool:
    """:func:`is_negated` without its clause-wide checks; ``before`` and ``after`` say
    whether a negation word can occur before or after the mention at all."""
    head, tail = clause[:start], clause[end:]
    if before and (_DONT_NEED.search(head) or _NOT_A_ROLE.search(head)):
        return True
    if after and _NEG_AFTER.search(tail):
        return True
    if not before:
        return False
    neg = _NEG_BEFORE.search(head)
    if neg and _NEED_WORD.search(tail[:60]):
        words_between = head[neg.start() :].split()
        if len(words_between) <= 6:
            return True
    return False


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
}  # fmt: skip
_RANGE = re.compile(r"\d\s*(?:\\?-|–|to)\s*\d")
_YEAR_UNIT = re.compile(r"y(?:ears?|rs?)\b")
"""The unit of a years expression, in lower-cased text (a literal "y" to scan for)."""
_YEARS = re.compile(
    r"\b(?P<n>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s*(?:\\?\+|plus)?\s*"
    r"(?:(?:\\?-|–|to)\s*\d{1,2}\s*\\?\+?\s*)?(?:\(\d+\)\s*)?(?:years?|yrs?)\b",
    re.I,
)


def years_expressions(text: str, lowered: str | None = None) -> list[tuple[int, int, int]]:
    """``(start, end, years)`` of every "N+ years" expression (lower bound of a range;
    0 only as the start of a range, "0-2 years").

    ``lowered`` may pass :func:`lower_same_length` of the text when the caller has it.
    """
    out = []
    lowered = lowered if lowered is not None else lower_same_length(text)
    for unit in _YEAR_UNIT.finditer(lowered):  # cheap literal scan, then look back
        m = _YEARS.search(text, max(0, unit.start() - 40), unit.end())
        while m is not None and m.end() != unit.end():
            m = _YEARS.search(text, m.start() + 1, unit.end())
        if m is None:
            continue
        raw = m.group("n").lower()
        value = _NUMBER_WORDS.get(raw) or int(raw)
        if 0 < value <= 30 or (value == 0 and _RANGE.search(m.group(0))):  # "0-2 years"
            out.append((m.start(), m.end(), value))
    return out


_GENERAL_EXPERIENCE = re.compile(
    r"\s*(?:\)\s*)?(?:of\s+|in\s+|with\s+)?(?:[\w/&+#.-]+\s+){0,3}?"
    r"(?:experience|exp\b|work(?:ing)?\b|industry|employment"
    r"|(?:software|data|ml|machine learning|ai)\s+(?:engineering|development)\b)",
    re.I,
)
_OF_SOMETHING = re.compile(r"\s+(?:of|in|with|using)\s+\w")  # "4+ years of Python"
_EXPERIENCE_NEAR = re.compile(r"experience|exp\b|background|working|industry|professional", re.I)

_TITLE_LEVELS: list[tuple[str, re.Pattern[str]]] = [
    ("lead", re.compile(r"\b(lead|principal|staff|head|director|manager|vp|chief)\b", re.I)),
    ("senior", re.compile(r"\b(senior|sr\.?|snr|iii|iv|level 3)\b", re.I)),
    (
        "entry",
        re.compile(
            r"\b(junior|jr\.?|entry[\s-]level|intern(ship)?|graduate|new grad|trainee|apprentice"
            r"|associate|i)\b",
            re.I,
        ),
    ),
    ("mid", re.compile(r"\b(mid[\s-]level|intermediate|ii)\b", re.I)),
]
_TEXT_LEVELS: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    (
        "entry",
        ("entry", "new grad", "recent grad", "early", "internship"),
        re.compile(
            r"(entry[\s-]level|new grad(uate)?s?|recent graduates?|early[\s-]career"
            r"|internship)\b"
        ),
    ),
    ("senior", ("senior", "seasoned"), re.compile(r"(senior[\s-]level|seasoned)\b")),
]
"""Seniority phrases of the text, searched in its lower-cased form (faster than re.I), each
with the words one of its phrases starts with (no word, no search) and without a leading
``\\b`` (with one, ``re`` cannot skip ahead to a possible first letter): a match must start
a word."""


def _phrase_at_word_start(
    lowered: str, starts: tuple[str, ...], regex: re.Pattern[str]
) -> re.Match[str] | None:
    """The first match of ``regex`` in ``lowered`` that starts a word, if it can occur."""
    if not any(word in lowered for word in starts):
        return None
    for m in regex.finditer(lowered):
        before = lowered[m.start() - 1 : m.start()]
        if not (before.isalnum() or before == "_"):
            return m
    return None


def seniority_from(
    title: str | None, text: str, min_years: int | None, *, lowered: str | None = None
) -> tuple[str, str | None]:
    """Seniority level (entry, mid, senior, lead, unknown) and what decided it.

    ``lowered`` may pass :func:`lower_same_length` of ``text`` when the caller has it.
    """
    if title:
        for level, regex in _TITLE_LEVELS:
            m = regex.search(title)
            if m and not (level == "entry" and m.group(0).lower() == "i" and "ii" in title.lower()):
                if (
                    level == "entry"
                    and m.group(0).lower() == "associate"
                    and re.search(r"associate (director|partner|principal)", title, re.I)
                ):
                    continue
                return level, f"title: {m.group(0)!r}"
    if min_years is not None:
        level = "entry" if min_years <= 1 else "mid" if min_years <= 4 else "senior"
        return level, f"{min_years}+ years of experience"
    head = (lowered if lowered is not None else lower_same_length(text))[:5000]
    for level, starts, regex in _TEXT_LEVELS:
        m = _phrase_at_word_start(head, starts, regex)
        if m:
            return level, f"text: {text[m.start() : m.end()]!r}"
    return "unknown", None


@dataclass(frozen=True)
class Structure:
    """Sections and clauses of a text, with offset lookups."""

    text: str
    sections: tuple[Section, ...]
    clause_starts: tuple[int, ...]
    section_starts: tuple[int, ...] = ()
    lowered: str = ""
    """:func:`lower_same_length` of the text (computed when not given)."""
    _cues: dict[int, str | None] = field(default_factory=dict, repr=False, compare=False)
    _preferred: dict[int, bool] = field(default_factory=dict, repr=False, compare=False)
    _negations: dict[int, list[int]] = field(default_factory=dict, repr=False, compare=False)
    _pluses: dict[int, bool] = field(default_factory=dict, repr=False, compare=False)
    _years: list[tuple[int, int, int]] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "section_starts", tuple(s.start for s in self.sections))
        if not self.lowered:
            object.__setattr__(self, "lowered", lower_same_length(self.text))

    def section_at(self, offset: int) -> Section:
        """The section that holds character ``offset``."""
        return self.sections[max(0, bisect.bisect_right(self.section_starts, offset) - 1)]

    def clause_at(self, offset: int) -> tuple[int, int]:
        """``(start, end)`` of the clause that holds character ``offset``."""
        i = bisect.bisect_right(self.clause_starts, offset) - 1
        start = self.clause_starts[max(0, i)]
        end = self.clause_starts[i + 1] if i + 1 < len(self.clause_starts) else len(self.text)
        return start, end

    def cue(self, c_start: int, c_end: int) -> str | None:
        """:func:`requirement_cue` of the clause ``text[c_start:c_end]`` (cached per clause).

        ``c_start, c_end`` must be a clause's bounds (:meth:`clause_at`). The cues are
        searched in place: the character before a clause is never part of a word, so
        ``\\b`` at its start reads as at the start of the clause on its own.
        """
        if c_start not in self._cues:
            self._cues[c_start] = _cue_of_lowered(self.lowered, c_start, c_end)
        return self._cues[c_start]

    def preferred(self, c_start: int, c_end: int) -> bool:
        """Whether :meth:`cue` of the clause is ``preferred`` (cached; cheaper than the cue
        where only a preferred cue matters, as in a requirements section). ``c_start,
        c_end`` must be a clause's bounds, as for :meth:`cue`."""
        found = self._preferred.get(c_start)
        if found is None:
            found = _PREFERRED_CUE.search(self.lowered, c_start, c_end) is not None
            self._preferred[c_start] = found
        return found

    def negated(self, start: int, end: int, c_start: int, c_end: int) -> bool:
        """:func:`is_negated` for the mention ``text[start:end]`` of clause ``c_start:c_end``.

        Clauses without a negation word (almost all) are ruled out by one scan of the clause.
        """
        negations = self._negations.get(c_start)
        if negations is None:
            found = _NEGATION_WORD.finditer(self.lowered, c_start, c_end)
            negations = self._negations[c_start] = [m.start() for m in found]
        if not negations:
            return False
        # each rule needs a whole negation word before the mention or after it
        before = negations[0] < start
        after = negations[-1] >= end
        if not (before or after) or self._plus_clause(c_start, c_end):
            return False
        return _negated_around(
            self.text[c_start:c_end], start - c_start, end - c_start, before=before, after=after
        )

    def _plus_clause(self, c_start: int, c_end: int) -> bool:
        """Whether the clause calls something a plus (then nothing in it is negated); cached."""
        if c_start not in self._pluses:
            self._pluses[c_start] = bool(_PLUS_WORDS.search(self.lowered, c_start, c_end))
        return self._pluses[c_start]

    def years(self) -> list[tuple[int, int, int]]:
        """:func:`years_expressions` of the text (found once)."""
        if self._years is None:
            object.__setattr__(self, "_years", years_expressions(self.text, self.lowered))
        assert self._years is not None
        return self._years

    def min_years(self) -> int | None:
        """The minimum years of experience a posting asks for, outside nice-to-haves.

        General requirements ("5+ years of professional experience") decide: the
        smallest of them (alternative paths such as "PhD and 2 years, or MS and
        5 years" give 2). Skill-specific ones ("3+ years of Python") count only
        when the posting states no general one.
        """
        general, specific = [], []
        for start, end, years in self.years():
            section = self.section_at(start).label
            if section in ("preferred", "benefits", "legal", "about"):
                continue
            c_start, c_end = self.clause_at(start)
            if self.cue(c_start, c_end) == "preferred":
                continue
            if _GENERAL_EXPERIENCE.match(self.text, end, min(c_end, end + 60)):
                general.append(years)
            elif (section == "required" and _OF_SOMETHING.match(self.text, end)) or (
                _EXPERIENCE_NEAR.search(self.text, max(c_start, start - 60), min(c_end, end + 80))
            ):
                specific.append(years)
        found = general or specific
        return min(found) if found else None


def read_structure(text: str) -> Structure:
    """Sections and clause boundaries of a posting text."""
    lowered = lower_same_length(text)
    return Structure(
        text,
        tuple(find_sections(text, lowered)),
        tuple(clause_bounds(text)),
        lowered=lowered,
    )
