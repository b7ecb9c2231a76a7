"""The ``skillgap_skills`` spaCy component: taxonomy skills as spans.

Like spaCy's ``SpanRuler``, the component keeps settings (constructor) and data
(patterns, added by :meth:`SkillMatcher.add_taxonomy` or ``initialize``) apart,
and serialises the patterns with ``to_disk``/``to_bytes``. Matching is a
``PhraseMatcher`` on lower-cased tokens over every spelling of every skill,
with hyphen/space/slash/joined variants and plurals generated from each
alias. Ambiguous aliases are kept only where their rule holds (case, context
words, neighbouring tokens). On overlaps the longest span wins.

Results go to ``doc.spans[spans_key]`` (label = category, id = skill id) and
the read-only extension ``doc._.skills`` (skill ids in order of appearance).

Examples
--------
>>> import spacy
>>> import analyzer.matcher  # registers the factory (spaCy also finds it by entry point)
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("skillgap_skills")
>>> nlp("Experience with k8s and fine-tuning LLMs")._.skills  # doctest: +SKIP
('kubernetes', 'fine_tuning', 'llms')
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import spacy
import srsly
from spacy.attrs import IS_ALPHA, IS_LOWER, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import from_bytes as util_from_bytes
from spacy.util import from_disk as util_from_disk
from spacy.util import to_bytes as util_to_bytes
from spacy.util import to_disk as util_to_disk

from analyzer.errors import TaxonomyError
from analyzer.parse_cache import cached_parse, writable_cache_dir
from analyzer.taxonomy import Taxonomy, get_taxonomy

T = TypeVar("T")

logger = logging.getLogger(__name__)

FACTORY = "skillgap_skills"
PATTERNS_FILE = "patterns.jsonl"
_WORD_SPLIT = re.compile(r"[\s\-/]+")
_PLURAL_OK = re.compile(r"^[A-Za-z][A-Za-z]+$")

__all__ = ["FACTORY", "Pattern", "SkillMatcher", "alias_variants", "make_skill_matcher"]


@dataclass
class _Key:
    """What one matcher key stands for: a skill, its category, its rule and spellings."""

    skill_id: str
    category: str
    rule: PreparedRule | None
    forms: set[str]
    skill_hash: int = 0
    """``skill_id`` and ``category`` in the pipeline's string store (spans take the hashes)."""
    category_hash: int = 0


@dataclass(frozen=True)
class Pattern:
    """One spelling to match: the text, its skill, and the ambiguity rule if any."""

    text: str
    skill_id: str
    category: str
    alias: str
    rule: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "id": self.skill_id,
            "label": self.category,
            "alias": self.alias,
        }
        if self.rule is not None:
            out["rule"] = self.rule
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pattern:
        return cls(data["text"], data["id"], data["label"], data["alias"], data.get("rule"))


_WORD_PIECE = re.compile(r"[^\W\d_]+|\d+")


def activation_word(text: str) -> str:
    """The first word piece (letters only or digits only) of a pattern, lower-cased.

    A Doc can only match the pattern if one of its tokens holds this piece;
    patterns without any letter or digit get ``""``, which every Doc activates.
    """
    match = _WORD_PIECE.search(text.lower())
    return match.group(0) if match else ""


def _plural(word: str) -> str | None:
    if not _PLURAL_OK.match(word) or len(word) < 3 or word.lower().endswith(("s", "ing")):
        return None
    if word.isupper():
        return word + "s"
    if word.endswith("y") and word[-2:-1].lower() not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh", "x", "z")):
        return word + "es"
    return word + "s"


def alias_variants(alias: str, *, plurals: bool = True) -> list[str]:
    """The spellings one alias stands for: separator variants and plurals.

    ``"fine-tuning"`` gives ``fine-tuning``, ``fine tuning`` and ``finetuning``;
    ``"CI/CD"`` adds ``CI CD``, ``CI-CD`` and ``CICD``; ``"vector database"``
    adds ``vector databases``.
    """
    alias = alias.strip()
    out = [alias]
    words = [w for w in _WORD_SPLIT.split(alias) if w]
    if len(words) > 1:
        out += [" ".join(words), "-".join(words)]
        if "/" in alias:
            out.append("/".join(words))
        if ("-" in alias or "/" in alias) and len(words) <= 3 and all(w.isalnum() for w in words):
            out.append("".join(words))
    if plurals:
        for form in [f for f in out if " " in f or "-" in f or f == alias]:
            head, _, last = form.rpartition(" ") if " " in form else ("", "", form)
            if "-" in last and " " not in form:
                head, _, last = form.rpartition("-")
                sep = "-"
            else:
                sep = " "
            plural = _plural(last)
            if plural:
                out.append(f"{head}{sep}{plural}" if head else plural)
    seen: set[str] = set()
    unique = []
    for form in out:
        if form.lower() not in seen:
            seen.add(form.lower())
            unique.append(form)
    return unique


def patterns_from_taxonomy(taxonomy: Taxonomy) -> list[Pattern]:
    """Every spelling of every skill; explicit aliases win over generated variants."""
    explicit: dict[str, Pattern] = {}
    generated: list[Pattern] = []
    for skill in taxonomy.skills.values():
        spellings = [skill.name, *skill.aliases]
        for spelling in spellings:
            for i, form in enumerate(alias_variants(spelling, plurals=skill.plurals)):
                pattern = Pattern(form, skill.id, skill.category, spelling)
                if i == 0:
                    explicit.setdefault(form.lower(), pattern)
                else:
                    generated.append(pattern)
        for rule in skill.ambiguous:
            rule_data = rule.model_dump(mode="json")
            short = len(rule.text) <= 2
            for i, form in enumerate(
                alias_variants(rule.text, plurals=skill.plurals and not short)
            ):
                pattern = Pattern(form, skill.id, skill.category, rule.text, rule_data)
                if i == 0:
                    explicit[form.lower()] = pattern
                else:
                    generated.append(pattern)
    table = dict(explicit)
    for pattern in generated:
        table.setdefault(pattern.text.lower(), pattern)
    return sorted(table.values(), key=lambda p: (p.skill_id, p.text.lower()))


_PATTERN_CACHE_FORMAT = "skillgap-patterns-2"


def _taxonomy_patterns(
    taxonomy: Taxonomy, nlp: Language
) -> tuple[list[Pattern], dict[str, tuple[list[str], list[bool]]]]:
    """The taxonomy's patterns and, for our own tokenizer, the tokens of each one.

    Generating the spellings and tokenising the ones a posting activates are most of
    the cost of a cold start, so both come from the parse cache (JSON, never pickle)
    when the same skills, code, spaCy version and language produced them before.
    Without a cache folder that can be written (or with another tokenizer) the patterns
    are generated and tokenised as they are needed.
    """
    from analyzer.tokenizer import FastTokenizer

    if writable_cache_dir() is None or not isinstance(nlp.tokenizer, FastTokenizer):
        return patterns_from_taxonomy(taxonomy), {}
    skills = [
        [
            skill.id,
            skill.category,
            skill.name,
            list(skill.aliases),
            skill.plurals,
            [rule.model_dump(mode="json") for rule in skill.ambiguous],
        ]
        for skill in taxonomy.skills.values()
    ]
    key = [_PATTERN_CACHE_FORMAT, _code_digest(), spacy.__version__, nlp.lang, skills]

    def build(_key: bytes) -> list[list[Any]]:
        rows = []  # flat lists: decoding them is several times faster than dicts
        for p in patterns_from_taxonomy(taxonomy):
            doc = nlp.make_doc(p.text)
            words = [t.text for t in doc]
            spaces = [int(bool(t.whitespace_)) for t in doc]
            rows.append([p.text, p.skill_id, p.category, p.alias, p.rule, words, spaces])
        return rows

    rows = cached_parse(
        json.dumps(key, sort_keys=True).encode("utf-8"), build, kind="patterns", keep=4
    )
    patterns = [Pattern(*row[:5]) for row in rows]
    return patterns, {row[0]: (row[5], [bool(s) for s in row[6]]) for row in rows}


@functools.cache
def _code_digest() -> str:
    """SHA-256 of the code that generates and tokenises patterns (ties cache entries to it)."""
    digest = hashlib.sha256()
    for module in ("matcher.py", "tokenizer.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()


def _is_lowercased(doc: Doc) -> bool:
    """True for postings typed or scraped in lower case (under 1% of words carry a capital)."""
    if len(doc) == 0:
        return False
    flags = doc.to_array([IS_ALPHA, IS_LOWER])
    alpha = flags[:, 0] == 1
    words = int(alpha.sum())
    not_lower = int((alpha & (flags[:, 1] == 0)).sum())
    if words < 8:
        return words > 0 and not_lower == 0
    return not_lower / words < 0.01


_SEPARATORS = frozenset({"-", "/", "–", "—"})


class WindowWords(dict):
    """Lower-case token hash -> the word as context windows compare it ("" for whitespace
    and separators), filled on first use and shared by every Doc of a vocabulary."""

    def __init__(self, strings: Any) -> None:
        super().__init__()
        self._strings = strings

    def __missing__(self, key: int) -> str:
        text = self._strings[key]
        word = self[key] = "" if text.isspace() or text in _SEPARATORS else text
        return word


class _TokenView:
    """Lower-case token texts of a Doc, looked up as the context windows of rules need them."""

    def __init__(self, doc: Doc, lowers: Any = None, words: WindowWords | None = None) -> None:
        self._strings = doc.vocab.strings
        if lowers is None:
            lowers = doc.to_array(LOWER)
        self._hashes: list[int] = lowers.tolist()
        self._lowers: dict[int, str] = {}
        self._words = WindowWords(self._strings) if words is None else words

    def lower(self, i: int) -> str:
        """The lower-case text of token ``i`` ("" for whitespace, which rules skip)."""
        text = self._lowers.get(i)
        if text is None:
            text = self._strings[self._hashes[i]]
            text = self._lowers[i] = "" if text.isspace() else text  # spaCy's IS_SPACE
        return text

    def window(self, start: int, end: int) -> str:
        """Tokens ``start:end`` joined by spaces, without whitespace or separators."""
        words = map(self._words.__getitem__, self._hashes[max(0, start) : max(0, end)])
        return " " + " ".join(filter(None, words)) + " "

    def neighbour(self, index: int, step: int) -> str:
        """The nearest non-space token from ``index`` in direction ``step``."""
        i = index
        while 0 <= i < len(self._hashes):
            if self.lower(i):
                return self.lower(i)
            i += step
        return ""


_SIMPLE_TOKEN = re.compile(r"\w+(?:[+#]+)?|[^\w\s]")


def context_phrase(text: str) -> str:
    """A context phrase as compared with the window: lower-case words, no hyphens or slashes."""
    words = [w for w in _SIMPLE_TOKEN.findall(text.lower()) if w not in _SEPARATORS]
    return " " + " ".join(words) + " "


@dataclass(frozen=True)
class PreparedRule:
    """An ambiguity rule with its word lists normalised once, ready to test matches."""

    case_sensitive: bool
    context_any: tuple[str, ...]
    context_none: tuple[str, ...]
    not_next: frozenset[str]
    not_prev: frozenset[str]
    window: int

    @classmethod
    def from_rule(cls, rule: dict[str, Any]) -> PreparedRule:
        return cls(
            case_sensitive=bool(rule.get("case_sensitive")),
            context_any=tuple(context_phrase(w) for w in rule.get("context_any", ())),
            context_none=tuple(context_phrase(w) for w in rule.get("context_none", ())),
            not_next=frozenset(w.lower() for w in rule.get("not_next", ())),
            not_prev=frozenset(w.lower() for w in rule.get("not_prev", ())),
            window=int(rule.get("window", 8)),
        )


def _case_fits(surface: str, forms: set[str]) -> bool:
    """A case-sensitive alias: the exact spelling, or the same capital initial and not all
    lower case ("BedRock" for "Bedrock", never "bedrock"). ``surface`` has no spaces."""
    if surface in forms:
        return True
    return not surface.islower() and any(
        form[:1].isupper() and form[:1] == surface[:1] for form in forms
    )


def _surface(doc: Doc, start: int, end: int) -> str:
    """The text of tokens ``start:end`` without any spaces (a whitespace token keeps its
    spaces in ``token.text``: they go too)."""
    if end - start == 1:
        return doc[start].text
    return "".join([token.text for token in doc[start:end]]).replace(" ", "")


def rule_holds(
    rule: PreparedRule,
    forms: set[str],
    doc: Doc,
    start: int,
    end: int,
    *,
    lowercased: bool | Callable[[], bool],
    view: _TokenView | None = None,
) -> bool:
    """Whether an ambiguous alias at ``doc[start:end]`` names its skill under ``rule``.

    ``forms`` are the alias spellings (spaces removed) that must match exactly
    when the rule is case-sensitive and the posting is normally cased. The
    context window counts ``rule.window`` tokens on each side of the match;
    context phrases are compared as lower-case words, hyphens and slashes ignored.
    ``view`` is the Doc's token view when the caller already has one. ``lowercased`` may be
    a function, called only when a case-sensitive alias is spelled differently.
    """
    if (
        rule.case_sensitive
        and not _case_fits(_surface(doc, start, end), forms)
        and not (lowercased() if callable(lowercased) else lowercased)
    ):
        return False
    if not (rule.not_next or rule.not_prev or rule.context_any or rule.context_none):
        return True
    view = view or _TokenView(doc)
    if rule.not_next and view.neighbour(end, 1) in rule.not_next:
        return False
    if rule.not_prev and view.neighbour(start - 1, -1) in rule.not_prev:
        return False
    if rule.context_any or rule.context_none:
        context = (
            view.window(start - rule.window, start) + "|" + view.window(end, end + rule.window)
        )
        if any(phrase in context for phrase in rule.context_none):
            return False
        if rule.context_any and not any(phrase in context for phrase in rule.context_any):
            return False
    return True


COMPILE_ALL_AFTER = 500
"""Docs after which the matcher compiles every pattern still pending (see ``add_patterns``)."""


class SkillMatcher(Pipe):
    """Find taxonomy skills in a Doc and write them to ``doc.spans``.

    Parameters
    ----------
    nlp : Language
        The pipeline; only its tokenizer is used, to tokenise the patterns.
    name : str
        The component name.
    spans_key : str
        ``doc.spans`` key to write (default ``"skills"``).
    overwrite : bool
        Replace existing spans under the key (else add to them).
    """

    def __init__(
        self,
        nlp: Language,
        name: str = FACTORY,
        *,
        spans_key: str = "skills",
        overwrite: bool = True,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.overwrite = overwrite
        self.taxonomy_version: str | None = None
        self._patterns: list[Pattern] = []
        self._keys: dict[str, _Key] = {}
        self._key_of_id: dict[int, _Key] = {}  # the same, by the PhraseMatcher's match id
        self._pending: dict[str, list[int]] = {}
        self._seen: set[int] = set()  # LOWER hashes of every token form seen so far
        self._docs_checked = 0  # Docs checked for pending patterns since patterns were added
        self._pieces: dict[str, tuple[list[str], list[bool]]] = {}  # pattern -> its tokens
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._window_words = WindowWords(nlp.vocab.strings)
        if not Doc.has_extension("skills"):
            Doc.set_extension("skills", getter=_doc_skills)

    # ------------------------------------------------------------------ data
    @property
    def patterns(self) -> list[Pattern]:
        """The patterns in use (a copy)."""
        return list(self._patterns)

    @property
    def ids(self) -> tuple[str, ...]:
        """The skill ids that have patterns, sorted."""
        return tuple(sorted({p.skill_id for p in self._patterns}))

    @property
    def labels(self) -> tuple[str, ...]:
        """The span labels (categories), sorted."""
        return tuple(sorted({p.category for p in self._patterns}))

    def clear(self) -> None:
        """Remove every pattern."""
        self._patterns = []
        self._keys = {}
        self._key_of_id = {}
        self._pending = {}
        self._pieces = {}
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.taxonomy_version = None

    def add_taxonomy(self, taxonomy: Taxonomy) -> None:
        """Replace the patterns with every spelling of ``taxonomy``'s skills."""
        self.clear()
        patterns, self._pieces = _taxonomy_patterns(taxonomy, self.nlp)
        self.add_patterns(patterns)
        self.taxonomy_version = taxonomy.version

    def add_patterns(self, patterns: Iterable[Pattern]) -> None:
        """Add patterns; they are tokenised lazily, the first time a Doc could hold them.

        A pattern is compiled (tokenised and handed to the ``PhraseMatcher``)
        when a Doc contains the pattern's first word, so analysing one posting
        compiles only the few hundred patterns that could match it, and a
        stream of postings compiles each pattern at most once; after
        :data:`COMPILE_ALL_AFTER` Docs, the rest are compiled at once. Patterns of one
        skill (and one ambiguity rule) share a matcher key.
        """
        self._seen = set()  # new patterns: every token form may activate them again
        self._docs_checked = 0
        for pattern in patterns:
            index = len(self._patterns)
            self._patterns.append(pattern)
            key = self._key_name(pattern)
            entry = self._keys.get(key)
            if entry is None:
                prepared = None if pattern.rule is None else PreparedRule.from_rule(pattern.rule)
                strings = self.nlp.vocab.strings
                entry = self._keys[key] = _Key(
                    pattern.skill_id,
                    pattern.category,
                    prepared,
                    set(),
                    skill_hash=strings.add(pattern.skill_id),
                    category_hash=strings.add(pattern.category),
                )
                self._key_of_id[strings.add(key)] = entry  # the id PhraseMatcher reports
            entry.forms.add(pattern.text.replace(" ", ""))
            self._pending.setdefault(activation_word(pattern.text), []).append(index)

    @staticmethod
    def _key_name(pattern: Pattern) -> str:
        if pattern.rule is None:
            return pattern.skill_id
        return pattern.skill_id + "|" + srsly.json_dumps(pattern.rule, sort_keys=True)

    def compile_all(self) -> None:
        """Compile every pending pattern now (e.g. before timing a batch)."""
        self._compile(list(self._pending))

    def _compile(self, words: Iterable[str]) -> None:
        by_key: dict[str, list[Doc]] = {}
        for word in sorted(words):
            for index in self._pending.pop(word, ()):
                pattern = self._patterns[index]
                by_key.setdefault(self._key_name(pattern), []).append(self._pattern_doc(pattern))
        for key, docs in by_key.items():
            self.matcher.add(key, docs)

    def _pattern_doc(self, pattern: Pattern) -> Doc:
        pieces = self._pieces.get(pattern.text)
        if pieces is None:
            return self.nlp.make_doc(pattern.text)
        return Doc(self.nlp.vocab, words=pieces[0], spaces=pieces[1])

    def _activate(self, doc: Doc, lowers: Any = None) -> None:
        """Compile the pending patterns whose first word occurs in ``doc``.

        ``lowers`` may pass ``doc.to_array(LOWER)``.
        """
        if not self._pending:
            return
        self._docs_checked += 1
        if self._docs_checked > COMPILE_ALL_AFTER:
            # a long stream: checking each Doc for new words costs more than compiling the
            # rest once (a tenth of a second)
            self.compile_all()
            return
        # Only token forms never seen before can activate anything: every pattern whose
        # first word an earlier Doc held is already compiled.
        if lowers is None:
            lowers = doc.to_array(LOWER)
        new = set(lowers.tolist()) - self._seen
        if not new and self._seen:
            return
        self._seen |= new
        strings = doc.vocab.strings
        words: set[str] = {""}
        for lower in new:
            words.update(_WORD_PIECE.findall(strings[lower]))
        ready = self._pending.keys() & words
        if ready:
            self._compile(ready)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        taxonomy_path: str | None = None,
        overlays: list[str] | None = None,
    ) -> None:
        """Load patterns from a taxonomy folder (default: the bundled taxonomy)."""
        from analyzer.taxonomy import load_taxonomy

        taxonomy = load_taxonomy(taxonomy_path, overlays=overlays or [])
        self.add_taxonomy(taxonomy)

    def _ensure_patterns(self) -> None:
        if not self._patterns:
            logger.info("%s: no patterns yet; loading the bundled taxonomy", self.name)
            self.add_taxonomy(get_taxonomy())

    # ------------------------------------------------------------------ matching
    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self.annotate(doc)
            return doc
        except TaxonomyError:
            raise
        except Exception as exc:  # noqa: BLE001 - spaCy's error-handler protocol
            error_handler(self.name, self, [doc], exc)
            return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def annotate(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Match ``doc`` and write its spans (what calling the component does); return
        ``(start_char, end_char, skill id)`` of every span now under the spans key.

        Reading the offsets back from ``doc.spans`` would build every Span again.
        """
        self._ensure_patterns()
        kept = self._kept(doc)
        spans = _spans(doc, kept)
        merged = not self.overwrite and self.spans_key in doc.spans
        self.set_annotations(doc, spans)
        if merged:  # with spans that were there before
            return [(s.start_char, s.end_char, s.id_) for s in doc.spans[self.spans_key]]
        return [
            (span.start_char, span.end_char, key.skill_id)
            for span, (_start, _end, key) in zip(spans, kept, strict=True)
        ]

    def match(self, doc: Doc) -> list[Span]:
        """Skill spans of ``doc``: rules applied, overlaps resolved, sorted."""
        return _spans(doc, self._kept(doc))

    def _kept(self, doc: Doc) -> list[tuple[int, int, _Key]]:
        """``(start, end, key)`` of the skill spans of ``doc``, as :meth:`match` gives them."""
        lowers = doc.to_array(LOWER)
        self._activate(doc, lowers)
        lowercased: list[bool] = []  # read only when a case-sensitive alias is spelled otherwise

        def is_lowercased() -> bool:
            if not lowercased:
                lowercased.append(_is_lowercased(doc))
            return lowercased[0]

        view: _TokenView | None = None
        candidates: list[tuple[int, int, _Key]] = []
        key_of_id = self._key_of_id
        for match_id, start, end in self.matcher(doc):
            key = key_of_id[match_id]
            rule = key.rule
            if rule is not None:
                view = view or _TokenView(doc, lowers, self._window_words)
                if not rule_holds(
                    rule, key.forms, doc, start, end, lowercased=is_lowercased, view=view
                ):
                    continue
            candidates.append((start, end, key))
        return _longest(candidates)

    def set_annotations(self, doc: Doc, spans: list[Span]) -> None:
        """Write ``spans`` to ``doc.spans[self.spans_key]``."""
        if self.overwrite or self.spans_key not in doc.spans:
            doc.spans[self.spans_key] = spans
        else:
            existing = list(doc.spans[self.spans_key])
            doc.spans[self.spans_key] = resolve_overlaps(existing + spans)

    # ------------------------------------------------------------------ serialisation
    def _cfg(self) -> dict[str, Any]:
        return {
            "spans_key": self.spans_key,
            "overwrite": self.overwrite,
            "taxonomy_version": self.taxonomy_version,
        }

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        serializers = {
            "cfg": lambda: srsly.json_dumps(self._cfg()),
            "patterns": lambda: srsly.msgpack_dumps([p.to_json() for p in self._patterns]),
        }
        return util_to_bytes(serializers, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> SkillMatcher:
        self.clear()
        data: dict[str, Any] = {}
        deserializers = {
            "cfg": lambda b: data.__setitem__("cfg", srsly.json_loads(b)),
            "patterns": lambda b: data.__setitem__("patterns", srsly.msgpack_loads(b)),
        }
        util_from_bytes(bytes_data, deserializers, exclude)
        self._load(data.get("cfg", {}), data.get("patterns", []))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        serializers = {
            "cfg": lambda p: srsly.write_json(p, self._cfg()),
            PATTERNS_FILE: lambda p: srsly.write_jsonl(p, (x.to_json() for x in self._patterns)),
        }
        util_to_disk(path, serializers, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SkillMatcher:
        path = Path(path)
        if not path.is_dir():
            raise ValueError(f"{path}: no such directory for the {self.name} component")
        self.clear()
        data: dict[str, Any] = {}
        deserializers = {
            "cfg": lambda p: data.__setitem__("cfg", srsly.read_json(p)),
            PATTERNS_FILE: lambda p: data.__setitem__("patterns", list(srsly.read_jsonl(p))),
        }
        util_from_disk(path, deserializers, exclude)
        self._load(data.get("cfg", {}), data.get("patterns", []))
        return self

    def _load(self, cfg: dict[str, Any], patterns: list[dict[str, Any]]) -> None:
        self.spans_key = cfg.get("spans_key", self.spans_key)
        self.overwrite = cfg.get("overwrite", self.overwrite)
        self.add_patterns(Pattern.from_json(p) for p in patterns)
        self.taxonomy_version = cfg.get("taxonomy_version")


def _spans(doc: Doc, kept: list[tuple[int, int, _Key]]) -> list[Span]:
    return [
        Span(doc, start, end, label=key.category_hash, span_id=key.skill_hash)
        for start, end, key in kept
    ]


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Drop every span that lies inside a longer one; keep crossing spans; sort by position.

    "Azure Machine Learning" hides the "Machine Learning" inside it, while
    "Generative AI models" and "models in production" share a word and both stay.
    On equal spans of two skills, the one whose id sorts first is kept.
    """
    return [span for _s, _e, span in _longest([(s.start, s.end, s) for s in spans], key=_span_id)]


def _span_id(span: Span) -> str:
    return span.id_


def _key_id(key: _Key) -> str:
    return key.skill_id


def _longest(
    found: list[tuple[int, int, T]], key: Callable[[T], str] = _key_id
) -> list[tuple[int, int, T]]:
    """:func:`resolve_overlaps` over ``(start, end, item)`` triples; ``key`` gives the skill id.

    Ordered by start, longest first, a span lies inside another exactly when an earlier
    one reaches its end: one sweep keeps the rest, already in position order.
    """
    kept: list[tuple[int, int, T]] = []
    reach = -1
    for found_span in sorted(found, key=lambda f: (f[0], -f[1], key(f[2]))):
        if found_span[1] > reach:
            kept.append(found_span)
            reach = found_span[1]
    return kept


def _doc_skills(doc: Doc) -> tuple[str, ...]:
    """Skill ids of ``doc.spans['skills']`` in order of first appearance."""
    if "skills" not in doc.spans:
        return ()
    seen: dict[str, None] = {}
    for span in doc.spans["skills"]:
        seen.setdefault(span.id_, None)
    return tuple(seen)


@Language.factory(
    FACTORY,
    assigns=["doc.spans", "doc._.skills"],
    default_config={"spans_key": "skills", "overwrite": True},
)
def make_skill_matcher(nlp: Language, name: str, spans_key: str, overwrite: bool) -> SkillMatcher:
    """Build the skill matcher (patterns come later: ``initialize``, ``add_taxonomy`` or lazily)."""
    return SkillMatcher(nlp, name, spans_key=spans_key, overwrite=overwrite)
