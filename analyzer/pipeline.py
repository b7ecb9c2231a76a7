"""Build the spaCy pipeline and analyse postings: ``analyze``, ``analyze_many``.

The pipeline starts from ``spacy.blank("en")`` (nothing is downloaded), adds
the ``skillgap_skills`` matcher loaded with the taxonomy, and is built once per
taxonomy and cached. :func:`analyze` reads a posting like a hiring manager:
which skills, how firmly (required, preferred, mentioned), how many years,
the seniority, the cloud ecosystems, certifications named, and terms the
taxonomy does not know yet; the role family comes from the role classifier.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from analyzer.analysis import (
    REQUIREMENT_ORDER,
    Analysis,
    Evidence,
    Seniority,
    SkillMention,
)
from analyzer.errors import InputError
from analyzer.matcher import FACTORY, SkillMatcher
from analyzer.mentions import CertificationFinder, unknown_terms
from analyzer.pipeline_parallel import analyze_in_processes, can_fork
from analyzer.reader import Posting, guess_title
from analyzer.structure import (
    Section,
    Structure,
    read_structure,
    seniority_from,
)
from analyzer.taxonomy import Taxonomy, contract_skill_ids, get_taxonomy
from analyzer.taxonomy_models import CATEGORIES, ECOSYSTEMS
from analyzer.tokenizer import create_tokenizer as create_tokenizer  # registers v1 and v2

if TYPE_CHECKING:
    from analyzer.role_model import RoleModel

logger = logging.getLogger(__name__)

TOKENIZER = "skillgap.tokenizer.v2"
BOILERPLATE_SECTIONS = frozenset({"benefits", "legal"})
MAX_EVIDENCE = 10
DEFAULT_BATCH_SIZE = 32
MAX_TEXT_CHARS = 2**31 - 1
"""spaCy's length guard, lifted: the blank pipeline needs no parser memory per character."""

__all__ = ["analyze", "analyze_many", "build_nlp", "extract_skill_ids", "interpret"]


def build_nlp(taxonomy: Taxonomy | None = None) -> Language:
    """A blank English pipeline with the skill matcher loaded from ``taxonomy``.

    Parameters
    ----------
    taxonomy : Taxonomy, optional
        Defaults to :func:`analyzer.taxonomy.get_taxonomy` (bundled + overlays).

    Examples
    --------
    >>> nlp = build_nlp()
    >>> [s.id_ for s in nlp("Deploy models on k8s").spans["skills"]]  # doctest: +SKIP
    ['model_deployment', 'kubernetes']
    """
    taxonomy = taxonomy or get_taxonomy()
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    # No parser or NER: the reader's --max-bytes, not spaCy's 1M-character guard, limits size.
    nlp.max_length = MAX_TEXT_CHARS
    matcher = nlp.add_pipe(FACTORY)
    assert isinstance(matcher, SkillMatcher)
    matcher.add_taxonomy(taxonomy)
    return nlp


@functools.lru_cache(maxsize=4)
def _cached_engine(taxonomy: Taxonomy) -> tuple[Language, CertificationFinder]:
    nlp = build_nlp(taxonomy)
    return nlp, CertificationFinder(nlp, taxonomy)


_engine_lock = threading.Lock()


def _engine(taxonomy: Taxonomy | None) -> tuple[Taxonomy, Language, CertificationFinder]:
    taxonomy = taxonomy or get_taxonomy()
    with _engine_lock:
        nlp, certs = _cached_engine(taxonomy)
    return taxonomy, nlp, certs


# --------------------------------------------------------------------------- interpretation


def _title_end(text: str, title: str | None) -> int:
    """Offset where the title line ends, if the text starts with the title."""
    if not title:
        return 0
    first = text.lstrip()
    offset = len(text) - len(first)
    line = first.split("\n", 1)[0]
    return offset + len(line) if title in line else 0


def interpret(
    doc: Doc,
    taxonomy: Taxonomy,
    *,
    source: str = "-",
    title: str | None = None,
    certifications: CertificationFinder | None = None,
    text: str | None = None,
    spans: list[tuple[int, int, str]] | None = None,
) -> Analysis:
    """Turn a Doc processed by the skill matcher into an :class:`Analysis`.

    ``text`` may pass ``doc.text`` when the caller has it (rebuilding it is costly), and
    ``spans`` what :meth:`SkillMatcher.annotate` returned for the Doc (else its skill
    spans are read from ``doc.spans``).
    """
    reading = _read(
        doc,
        taxonomy,
        source=source,
        title=title,
        certifications=certifications,
        text=text,
        spans=spans,
    )
    return _with_roles([reading])[0]


def _read(
    doc: Doc,
    taxonomy: Taxonomy,
    *,
    source: str,
    title: str | None,
    certifications: CertificationFinder | None,
    text: str | None,
    spans: list[tuple[int, int, str]] | None = None,
) -> dict[str, Any]:
    """Every field of the :class:`Analysis` of ``doc`` but its role (``spans``: the skill
    spans as :meth:`SkillMatcher.annotate` returns them, when the caller has them)."""
    text = doc.text if text is None else text
    title = title if title is not None else guess_title(text)
    structure = read_structure(text)
    title_end = _title_end(text, title)
    years_found = structure.years()
    years_by_clause: dict[int, list[tuple[int, int, int]]] = {}

    found: dict[str, dict[str, Any]] = {}
    ecosystems = dict.fromkeys(ECOSYSTEMS, 0)
    ecosystem_of = _ecosystem_index(taxonomy)
    spans = _skill_spans(doc) if spans is None else spans
    listed: list[tuple[int, int, str]] = []  # kept mentions, for "A or B" alternatives
    for start, end, skill_id, section, c_start, c_end in _kept_spans(spans, structure, title_end):
        listed.append((start, end, skill_id))
        if start < title_end:
            level = "required"
        elif section.label == "preferred":
            level = "preferred"
        elif section.label in ("required", "responsibilities"):
            # required unless the clause itself says otherwise ("Kafka is a plus")
            level = "preferred" if structure.preferred(c_start, c_end) else "required"
        else:
            level = structure.cue(c_start, c_end) or "mentioned"
        clause_years = years_by_clause.get(c_start)
        if clause_years is None:
            clause_years = [y for y in years_found if c_start <= y[0] < c_end]
            years_by_clause[c_start] = clause_years
        years = _years_for(clause_years, start, c_start, c_end) if clause_years else None
        entry = found.get(skill_id)
        if entry is None:
            entry = found[skill_id] = {"level": level, "years": None, "evidence": []}
        elif REQUIREMENT_ORDER[level] < REQUIREMENT_ORDER[entry["level"]]:
            entry["level"] = level
        if years is not None and (entry["years"] is None or years > entry["years"]):
            entry["years"] = years
        if len(entry["evidence"]) < MAX_EVIDENCE:
            entry["evidence"].append(Evidence(text[start:end], start, end, section.label))
        eco = ecosystem_of.get(skill_id)
        if eco:
            ecosystems[eco] += 1

    for skill_id, others in alternatives(text, listed).items():
        found[skill_id]["alternatives"] = others
    mentions = _with_implied(found, taxonomy)
    # certification spans first: unknown_terms skips them
    certs_named = certifications(doc) if certifications else ()
    min_years = structure.min_years()
    level, _why = seniority_from(title, text, min_years, lowered=structure.lowered)
    return {
        "source": source,
        "text": text,
        "title": title,
        "skills": mentions,
        "seniority": Seniority(level=level, min_years=min_years, evidence=_why),  # type: ignore[arg-type]
        "ecosystems": ecosystems,
        "certifications": certs_named,
        "unknown_terms": unknown_terms(
            doc, taxonomy, text=text, covered=[(a, b) for a, b, _id in spans]
        ),
        "sections": tuple((s.label, s.start, s.end) for s in structure.sections),
    }


def _with_roles(readings: Sequence[dict[str, Any]]) -> list[Analysis]:
    """Complete readings with their role families, classified together (one matrix product)."""
    if not readings:
        return []
    roles = _role_model().predict_many(
        [r["text"] for r in readings],
        titles=[r["title"] for r in readings],
        skill_lists=[tuple(m.id for m in r["skills"]) for r in readings],
    )
    return [Analysis(role=role, **r) for r, role in zip(readings, roles, strict=True)]


_ALTERNATIVE_GAP = re.compile(r"\s*(?:,\s*(?:or\s+)?|/\s*|or\s+|and/or\s+|\(\s*or\s+)", re.I)


def alternatives(text: str, mentions: Sequence[tuple[int, int, str]]) -> dict[str, tuple[str, ...]]:
    """Skills a posting accepts in place of each other: "LangChain or LlamaIndex",
    "AWS, Azure or GCP", "Python/R".

    Neighbouring mentions joined only by commas, slashes or "or" form a list; the
    list is a set of alternatives when an "or" or a slash joins two of them
    ("Python, SQL and Spark" is not). Returns each skill's alternatives.
    """
    out: dict[str, set[str]] = {}
    run: list[str] = []
    has_or = False

    def close() -> None:
        if not has_or or len(run) < 2:
            return
        ids = list(dict.fromkeys(run))
        if len(ids) > 1:
            for skill_id in ids:
                out.setdefault(skill_id, set()).update(i for i in ids if i != skill_id)

    previous_end = -1
    for start, end, skill_id in sorted(mentions):
        near = 0 <= previous_end <= start <= previous_end + 12  # gaps are a few characters
        between = text[previous_end:start] if near else None
        if between is not None and _ALTERNATIVE_GAP.fullmatch(between):
            run.append(skill_id)
            has_or = has_or or "/" in between or "or" in between.lower()
        else:
            close()
            run, has_or = [skill_id], False
        previous_end = max(previous_end, end)
    close()
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _skill_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """``(start_char, end_char, skill id)`` of the matcher's spans, read once."""
    return [(s.start_char, s.end_char, s.id_) for s in doc.spans.get("skills", ())]


def _kept_spans(
    spans: Iterable[tuple[int, int, str]], structure: Structure, title_end: int
) -> Iterator[tuple[int, int, str, Section, int, int]]:
    """Skill spans that count: not in boilerplate (benefits, legal) and not negated.

    Yields ``(start, end, skill id, section, clause start, clause end)``.
    """
    for start, end, skill_id in spans:
        section = structure.section_at(start)
        if section.label in BOILERPLATE_SECTIONS and start >= title_end:
            continue
        c_start, c_end = structure.clause_at(start)
        if structure.negated(start, end, c_start, c_end):
            continue
        yield start, end, skill_id, section, c_start, c_end


def _years_for(
    years_found: list[tuple[int, int, int]], start: int, c_start: int, c_end: int
) -> int | None:
    """The "N years" of the clause that goes with a mention: nearest before it, else just after.

    ``years_found`` may hold only the expressions that start inside the clause.
    """
    if not years_found:
        return None
    before = [y for s, e, y in years_found if c_start <= s and e <= start]
    after = [y for s, _e, y in years_found if start < s < min(c_end, start + 40)]
    found = before[-1] if before else after[0] if after else None
    return found or None  # "0-2 years of SQL" says nothing about SQL


@functools.lru_cache(maxsize=4)
def _ecosystem_index(taxonomy: Taxonomy) -> dict[str, str]:
    index = {}
    for skill_id in taxonomy.skills:
        for candidate in (skill_id, *taxonomy.ancestors(skill_id)):
            if candidate in ECOSYSTEMS:
                index[skill_id] = candidate
                break
    return index


def _with_implied(found: dict[str, dict[str, Any]], taxonomy: Taxonomy) -> tuple[SkillMention, ...]:
    contract = _contract_ids()
    implied: dict[str, dict[str, Any]] = {}
    for skill_id, entry in found.items():
        for parent in taxonomy.ancestors(skill_id):
            if parent in found:
                continue
            slot = implied.setdefault(parent, {"level": entry["level"], "by": []})
            if REQUIREMENT_ORDER[entry["level"]] < REQUIREMENT_ORDER[slot["level"]]:
                slot["level"] = entry["level"]
            slot["by"].append(skill_id)

    def mention(skill_id: str, level: str, **extra: Any) -> SkillMention:
        skill = taxonomy.skills[skill_id]
        return SkillMention(
            id=skill_id,
            name=skill.name,
            category=skill.category,
            requirement=level,  # type: ignore[arg-type]
            contract=skill_id in contract,
            **extra,
        )

    mentions = [
        mention(
            skill_id,
            entry["level"],
            years=entry["years"],
            evidence=tuple(entry["evidence"]),
            alternatives=entry.get("alternatives", ()),
        )
        for skill_id, entry in found.items()
    ]
    mentions += [
        mention(skill_id, slot["level"], implied_by=tuple(sorted(set(slot["by"]))))
        for skill_id, slot in implied.items()
    ]
    return tuple(
        sorted(
            mentions,
            key=lambda m: (
                _CATEGORY_ORDER[m.category],
                REQUIREMENT_ORDER[m.requirement],
                m.implied,
                m.id,
            ),
        )
    )


_CATEGORY_ORDER = {c: i for i, c in enumerate(CATEGORIES)}


@functools.cache
def _contract_ids() -> frozenset[str]:
    return frozenset(contract_skill_ids())


@functools.cache
def _role_model() -> RoleModel:
    from analyzer.role_model import load_role_model

    return load_role_model()


# --------------------------------------------------------------------------- public API


def _as_posting(item: str | Posting) -> Posting:
    if isinstance(item, Posting):
        return item
    if not isinstance(item, str):
        raise InputError(f"expected posting text (str) or Posting, got {type(item).__name__}")
    return Posting(text=item)


def analyze(
    text: str | Posting,
    *,
    source: str = "-",
    title: str | None = None,
    taxonomy: Taxonomy | None = None,
) -> Analysis:
    """Analyse one posting.

    Parameters
    ----------
    text : str or Posting
        The posting text (or a :class:`~analyzer.reader.Posting` from ``read_posting``).
    source : str
        Where it came from (a path, ``-`` or ``FILE#ROW``); copied to the result.
    title : str, optional
        The posting's title; by default the first line when it looks like one.
    taxonomy : Taxonomy, optional
        Defaults to the bundled taxonomy plus overlays.

    Returns
    -------
    Analysis

    Raises
    ------
    InputError
        If the text is empty or only whitespace.

    Examples
    --------
    >>> a = analyze("ML Engineer\\nRequirements: 3+ years of Python; RAG experience a plus.")
    >>> [(s.id, s.requirement, s.years) for s in a.skills if s.id in ("python", "rag")]
    [('python', 'required', 3), ('rag', 'preferred', None)]
    """
    posting = _as_posting(text)
    if not posting.text.strip():
        raise InputError(
            f"{posting.source if source == '-' else source}: empty (no text to analyse)"
        )
    taxonomy, nlp, certs = _engine(taxonomy)
    doc, spans = _parse(nlp, posting.text)
    return interpret(
        doc,
        taxonomy,
        source=source if source != "-" else posting.source,
        title=title if title is not None else posting.title,
        certifications=certs,
        text=posting.text,
        spans=spans,
    )


def _parse(nlp: Language, text: str) -> tuple[Doc, list[tuple[int, int, str]]]:
    """``nlp(text)`` and the offsets of its skill spans, from the pipeline's own components
    (the tokenizer and the skill matcher; :func:`build_nlp` adds nothing else)."""
    doc = nlp.make_doc(text)
    matcher = nlp.get_pipe(FACTORY)
    assert isinstance(matcher, SkillMatcher)
    return doc, matcher.annotate(doc)


def analyze_many(
    texts: Iterable[str | Posting],
    *,
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    taxonomy: Taxonomy | None = None,
) -> Iterator[Analysis]:
    """Analyse many postings as a stream, in input order.

    Parameters
    ----------
    texts : iterable of str or Posting
        Consumed lazily; memory stays flat however many there are.
    n_process : int
        Worker processes, each running whole analyses on chunks of ``batch_size``
        postings (forked; where processes cannot be forked, spaCy's own ``n_process``
        runs the tokenizer and matcher in them). Output order is preserved.
    batch_size : int
        Postings whose role families are classified together (one matrix product), and
        postings per chunk sent to a worker process.

    Yields
    ------
    Analysis
        One per input. An empty text raises :class:`InputError` when reached.
    """
    taxonomy, nlp, certs = _engine(taxonomy)  # built before any worker is forked

    def postings() -> Iterator[Posting]:
        for index, item in enumerate(texts):
            posting = _as_posting(item)
            if not posting.text.strip():
                raise InputError(f"{posting.source}#{index}: empty (no text to analyse)")
            yield posting

    if n_process > 1 and can_fork():
        yield from analyze_in_processes(
            postings(), processes=n_process, batch_size=batch_size, taxonomy=taxonomy
        )
        return

    pending: list[dict[str, Any]] = []
    for doc, posting, spans in _parsed(nlp, postings(), n_process, batch_size):
        pending.append(
            _read(
                doc,
                taxonomy,
                source=posting.source,
                title=posting.title,
                certifications=certs,
                text=posting.text,
                spans=spans,
            )
        )
        if len(pending) >= batch_size:
            yield from _with_roles(pending)
            pending = []
    yield from _with_roles(pending)


def _parsed(
    nlp: Language, postings: Iterable[Posting], n_process: int, batch_size: int
) -> Iterator[tuple[Doc, Posting, list[tuple[int, int, str]] | None]]:
    """``(doc, posting, skill span offsets)`` of each posting, in order; in one process the
    offsets come with the spans, from spaCy's worker processes they are read from the Doc."""
    if n_process == 1:
        for posting in postings:
            doc, spans = _parse(nlp, posting.text)
            yield doc, posting, spans
        return
    pairs = ((posting.text, posting) for posting in postings)
    for doc, posting in nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
        yield doc, posting, None


def extract_skill_ids(
    texts: Iterable[str], *, taxonomy: Taxonomy | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> list[list[str]]:
    """Skill ids of each text (negation and boilerplate applied, implied parents included).

    Cheaper than :func:`analyze_many`: no role prediction. Used for classifier features.
    """
    taxonomy, nlp, _certs = _engine(taxonomy)
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append(sorted(_skill_ids_of(doc, taxonomy)))
    return out


def _skill_ids_of(doc: Doc, taxonomy: Taxonomy) -> set[str]:
    text = doc.text
    structure = read_structure(text)
    title_end = _title_end(text, guess_title(text))
    ids = {kept[2] for kept in _kept_spans(_skill_spans(doc), structure, title_end)}
    for skill_id in list(ids):
        ids.update(taxonomy.ancestors(skill_id))
    return ids
