"""Alias coverage of the skills taxonomy against the gold postings of postings-dev.

For every gold (posting, contract skill) pair - gold ids rolled up to their contract
parents - check whether any spelling of that skill or of any skill that rolls up to it
(name, aliases, ambiguous texts, with the generated hyphen/space/slash/joined variants
and plurals) occurs in the posting (title + "\\n" + description) as a whole-word,
case-insensitive match. Report the share found per category and the gold skills that
no spelling finds, with the annotator's note.

A second pass approximates the matcher: overlapping matches keep the longest one and
ambiguous spellings must pass their rule (case, context_any/context_none within the
window, not_next/not_prev). It reports the recall under those rules and the spellings
that fire where the gold does NOT have the skill (potential false positives).

This is a curation aid, not the evaluation: the real matcher tokenises with spaCy.

Usage (from the repository root)::

    .venv/bin/python benchmarks/alias_coverage.py
    .venv/bin/python benchmarks/alias_coverage.py --dev ../shared/postings-dev --top 50
    .venv/bin/python benchmarks/alias_coverage.py --format json > coverage.json
    .venv/bin/python benchmarks/alias_coverage.py --corpus-top 40   # most frequent spellings
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analyzer.errors import TaxonomyError  # noqa: E402
from analyzer.taxonomy import alias_key, contract_skill_ids, load_taxonomy  # noqa: E402

_SPLIT = re.compile(r"[\s\-/_]+")
_SEP = r"[\s\-/_]*"
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.&']*[A-Za-z0-9+#]|[A-Za-z0-9]|[^\sA-Za-z0-9]")
_EDGE_BEFORE = r"(?<![a-z0-9+#])"
_EDGE_AFTER = r"(?![a-z0-9+#])"


@dataclass(frozen=True)
class Spelling:
    """One spelling of a skill, compiled to a variant-tolerant regex."""

    text: str
    skill: str
    pattern: re.Pattern[str]
    rule: object | None  # an AliasRule for ambiguous spellings
    probe: str  # a lowercase prefix every match contains


def _compile(text: str, plurals: bool) -> re.Pattern[str]:
    words = [w for w in _SPLIT.split(text.strip()) if w]
    body = _SEP.join(re.escape(w.lower()) for w in words)
    if plurals and words and words[-1][-1:].isalpha():
        body += "(?:s|es)?"
    return re.compile(_EDGE_BEFORE + body + _EDGE_AFTER)  # matched against lowercased text


def build_spellings(tax) -> list[Spelling]:
    """Every spelling of every skill (name, aliases, ambiguous texts)."""
    out: list[Spelling] = []
    for skill in tax.skills.values():
        rules = {alias_key(r.text): r for r in skill.ambiguous}
        seen: set[str] = set()
        for text in (skill.name, *skill.aliases, *(r.text for r in skill.ambiguous)):
            key = alias_key(text)
            if not key or key in seen:
                continue
            seen.add(key)
            probe = _SPLIT.split(text.strip().lower())[0][:3]
            out.append(
                Spelling(text, skill.id, _compile(text, skill.plurals), rules.get(key), probe)
            )
    return out


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def rolled_up(tax, contract: set[str], ids: list[str]) -> set[str]:
    """Gold ids plus their contract ancestors."""
    out: set[str] = set()
    for sid in ids:
        out.add(sid)
        if sid in tax.skills:
            out.update(a for a in tax.ancestors(sid) if a in contract)
    return out


def covering_skills(tax, contract_id: str) -> set[str]:
    """The skill and every skill whose mention implies it (descendants and implies)."""
    return {sid for sid in tax.skills if sid == contract_id or contract_id in tax.ancestors(sid)}


# --------------------------------------------------------------------------- rule approximation


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0).lower()) for m in _TOKEN.finditer(text)]


def _has_phrase(window_text: str, phrase: str) -> bool:
    key = " ".join(t.lower() for t in _SPLIT.split(phrase) if t)
    if not key:
        return False
    return re.search(_EDGE_BEFORE + re.escape(key) + _EDGE_AFTER, window_text) is not None


def rule_passes(rule, text: str, tokens, start: int, end: int, lowercase_doc: bool) -> bool:
    """Approximate an AliasRule on one regex match."""
    if rule.case_sensitive and not lowercase_doc:
        variants = {rule.text, rule.text + "s", rule.text + "es"}
        if text[start:end] not in variants and rule.text not in text[start:end]:
            return False
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    first = bisect.bisect_right(ends, start)
    last = max(first, bisect.bisect_left(starts, end) - 1)
    prev_tok = tokens[first - 1][2] if first > 0 else ""
    next_tok = tokens[last + 1][2] if last + 1 < len(tokens) else ""
    if prev_tok and prev_tok in {p.lower() for p in rule.not_prev}:
        return False
    if next_tok and next_tok in {n.lower() for n in rule.not_next}:
        return False
    lo = max(0, first - rule.window)
    hi = min(len(tokens), last + 1 + rule.window)
    around = [t[2] for t in tokens[lo:first]] + [t[2] for t in tokens[last + 1 : hi]]
    window_text = " ".join(" ".join(_SPLIT.split(t)) for t in around)
    if any(_has_phrase(window_text, c) for c in rule.context_none):
        return False
    return not (rule.context_any and not any(_has_phrase(window_text, c) for c in rule.context_any))


def _occurrences(haystack: str, needle: str) -> list[int]:
    out, i = [], haystack.find(needle)
    while i >= 0:
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out


def matches(text: str, spellings: list[Spelling], apply_rules: bool):
    """All spelling matches; with ``apply_rules`` keep the longest and check ambiguity rules."""
    found = []
    lowered = text.lower()
    if len(lowered) != len(text):  # rare non-ASCII case changes; keep offsets aligned
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    positions: dict[str, list[int]] = {}
    for sp in spellings:
        starts = positions.get(sp.probe)
        if starts is None:
            starts = positions[sp.probe] = _occurrences(lowered, sp.probe)
        for pos in starts:
            m = sp.pattern.match(lowered, pos)
            if m:
                found.append((m.start(), m.end(), sp))
    if not apply_rules:
        return found
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    tokens = _tokens(text)
    lowercase_doc = not any(c.isupper() for c in text)
    taken: list[tuple[int, int]] = []
    kept = []
    for start, end, sp in found:
        if any(start < e and s < end for s, e in taken):
            continue
        if sp.rule is not None and not rule_passes(
            sp.rule, text, tokens, start, end, lowercase_doc
        ):
            continue
        taken.append((start, end))
        kept.append((start, end, sp))
    return kept


# --------------------------------------------------------------------------- report


def analyse(dev: Path, tax, top: int, corpus_top: int) -> dict:
    contract = set(contract_skill_ids())
    postings = {p["id"]: p for p in load_jsonl(dev / "postings.jsonl")}
    gold_rows = []
    for part in sorted(dev.glob("skills-gold-part*.jsonl")):
        gold_rows.extend(load_jsonl(part))
    spellings = build_spellings(tax)
    by_skill: dict[str, list[Spelling]] = defaultdict(list)
    for sp in spellings:
        by_skill[sp.skill].append(sp)
    cover = {cid: covering_skills(tax, cid) for cid in contract}
    rollup_cache = {
        sid: {a for a in (sid, *tax.ancestors(sid)) if a in contract} for sid in tax.skills
    }

    per_cat: dict[str, Counter] = defaultdict(Counter)
    missed, missed_rules = [], []
    fp = Counter()
    fp_where: dict[tuple, list[str]] = defaultdict(list)
    for row in gold_rows:
        post = postings.get(row["id"])
        if post is None:
            continue
        text = f"{post.get('title') or ''}\n{post.get('description') or ''}"
        gold = rolled_up(tax, contract, row["skills"])
        plain = matches(text, spellings, apply_rules=False)
        ruled = matches(text, spellings, apply_rules=True)
        plain_skills = {sp.skill for _, _, sp in plain}
        ruled_skills = {sp.skill for _, _, sp in ruled}
        for cid in sorted(gold):
            cat = tax.skills[cid].category if cid in tax.skills else "?"
            per_cat[cat]["gold"] += 1
            hit = bool(cover.get(cid, {cid}) & plain_skills)
            hit_r = bool(cover.get(cid, {cid}) & ruled_skills)
            per_cat[cat]["found"] += hit
            per_cat[cat]["found_rules"] += hit_r
            note = row.get("notes") or ""
            if not hit:
                missed.append({"posting": row["id"], "skill": cid, "note": note})
            elif not hit_r:
                missed_rules.append({"posting": row["id"], "skill": cid, "note": note})
        seen_here: set[tuple] = set()
        for start, end, sp in ruled:
            wrong = sorted(rollup_cache[sp.skill] - gold)
            if not wrong:
                continue
            key = (alias_key(text[start:end]), sp.skill, ",".join(wrong))
            if (key, row["id"]) in seen_here:
                continue
            seen_here.add((key, row["id"]))
            fp[key] += 1
            fp_where[key].append(row["id"])

    corpus = Counter()
    if corpus_top:
        for post in postings.values():
            text = f"{post.get('title') or ''}\n{post.get('description') or ''}"
            for key in {
                (alias_key(text[s:e]), sp.skill) for s, e, sp in matches(text, spellings, True)
            }:
                corpus[key] += 1

    cats = {}
    total = Counter()
    for cat in ("core", "cloud_mlops", "genai"):
        c = per_cat.get(cat, Counter())
        total.update(c)
        cats[cat] = dict(c)
    return {
        "dev": str(dev),
        "skills": len(tax.skills),
        "spellings": len(spellings),
        "gold_postings": len(gold_rows),
        "categories": cats,
        "total": dict(total),
        "missed": missed,
        "missed_under_rules": missed_rules,
        "false_positives": [
            {
                "spelling": k[0],
                "skill": k[1],
                "not_in_gold": k[2],
                "count": n,
                "postings": fp_where[k],
            }
            for k, n in fp.most_common(top)
        ],
        "corpus_top": [
            {"spelling": k[0], "skill": k[1], "postings": n}
            for k, n in corpus.most_common(corpus_top)
        ],
    }


def show(dev: Path, tax, spelling: str) -> None:
    """Print each match of ``spelling`` over the whole corpus with 70 characters of context."""
    key = alias_key(spelling)
    spellings = build_spellings(tax)
    for post in load_jsonl(dev / "postings.jsonl"):
        text = f"{post.get('title') or ''}\n{post.get('description') or ''}"
        for start, end, sp in matches(text, spellings, apply_rules=True):
            if (
                alias_key(text[start:end]) in (key, key + "s", key + "es")
                or alias_key(sp.text) == key
            ):
                snippet = text[max(0, start - 70) : end + 70].replace("\n", " ")
                print(f"{post['id']:<8} {sp.skill:<22} ...{snippet}...")


def _pct(c: dict, key: str) -> str:
    gold = c.get("gold", 0)
    return f"{c.get(key, 0)}/{gold} = {100 * c.get(key, 0) / gold:.1f}%" if gold else "n/a"


def print_text(report: dict) -> None:
    print(f"taxonomy: {report['skills']} skills, {report['spellings']} spellings")
    print(f"gold: {report['gold_postings']} postings from {report['dev']}\n")
    print(f"{'category':<12} {'any spelling (case-insensitive)':<34} with rules + longest match")
    for cat, c in (*report["categories"].items(), ("TOTAL", report["total"])):
        print(f"{cat:<12} {_pct(c, 'found'):<34} {_pct(c, 'found_rules')}")
    print(f"\ngold skills that no spelling finds ({len(report['missed'])}):")
    for m in report["missed"]:
        print(f"  {m['posting']:<8} {m['skill']:<24} note: {m['note'][:160]}")
    only_plain = report["missed_under_rules"]
    print(f"\ngold skills found only when ambiguity rules are ignored ({len(only_plain)}):")
    for m in report["missed_under_rules"]:
        print(f"  {m['posting']:<8} {m['skill']}")
    print("\nspellings firing where the gold lacks the skill (rules applied), top by count:")
    for f in report["false_positives"]:
        where = ", ".join(f["postings"][:6])
        label = f"{f['spelling']!r:<32} {f['skill']:<24}"
        print(f"  {f['count']:>3}  {label} -> {f['not_in_gold']}  [{where}]")
    if report["corpus_top"]:
        print("\nmost frequent spellings in the whole corpus (postings):")
        for c in report["corpus_top"]:
            print(f"  {c['postings']:>4}  {c['spelling']!r:<32} {c['skill']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dev",
        type=Path,
        default=REPO.parent / "shared" / "postings-dev",
        help="postings-dev folder (default: ../shared/postings-dev)",
    )
    parser.add_argument(
        "--taxonomy", type=Path, default=None, help="taxonomy folder (default: the bundled one)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--top", type=int, default=30, help="false positives to list (default 30)")
    parser.add_argument(
        "--corpus-top",
        type=int,
        default=0,
        help="also list the N most frequent spellings over all postings",
    )
    parser.add_argument(
        "--show",
        metavar="SPELLING",
        default=None,
        help="print every corpus match of one spelling (rules applied) in context",
    )
    args = parser.parse_args(argv)
    if not (args.dev / "postings.jsonl").is_file():
        parser.error(f"{args.dev}: no postings.jsonl")
    try:
        tax = load_taxonomy(args.taxonomy)
    except TaxonomyError as exc:
        print(f"taxonomy does not load:\n{exc}", file=sys.stderr)
        return 2
    if args.show:
        show(args.dev, tax, args.show)
        return 0
    report = analyse(args.dev, tax, args.top, args.corpus_top)
    if args.format == "json":
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        print_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
