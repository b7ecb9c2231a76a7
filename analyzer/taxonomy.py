"""Load, validate and query the skills taxonomy and its companion catalogues.

The YAML files in the top-level ``taxonomy/`` folder are the source of truth;
the wheel carries a copy as ``analyzer/_taxonomy``. :func:`default_taxonomy_dir`
is the only function that knows where they live. Loading is "read + safe YAML
+ pydantic schema + cross-checks" and raises :class:`TaxonomyError` with one
``file: [location] message`` line per problem; nothing is silently repaired.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ValidationError

from analyzer.errors import TaxonomyError
from analyzer.parse_cache import cached_parse
from analyzer.taxonomy_models import (
    CareerStage,
    Certification,
    Project,
    RoleFamily,
    Skill,
    SkillExtension,
    SkillGroup,
)

logger = logging.getLogger(__name__)

TAXONOMY_ENV = "SKILLGAP_TAXONOMY"
FILES = ("skills.yaml", "roles.yaml", "certifications.yaml", "projects.yaml", "paths.yaml")
_SEPARATORS = re.compile(r"[\s\-/_]+")

__all__ = [
    "Taxonomy",
    "alias_key",
    "contract_skill_ids",
    "default_taxonomy_dir",
    "get_taxonomy",
    "load_taxonomy",
]


def alias_key(text: str) -> str:
    """Normalise a spelling for comparison: lower case, hyphens/slashes/underscores as spaces."""
    return _SEPARATORS.sub(" ", text.strip().lower()).strip()


def default_taxonomy_dir() -> Path:
    """Where the bundled taxonomy lives: the wheel's copy, else the checkout's ``taxonomy/``."""
    bundled = resources.files("analyzer").joinpath("_taxonomy")
    if bundled.is_dir():
        return Path(str(bundled))
    checkout = Path(__file__).resolve().parent.parent / "taxonomy"
    if checkout.is_dir():
        return checkout
    raise TaxonomyError(f"{checkout}: the bundled taxonomy folder is missing")


@functools.cache
def _contract(name: str) -> Any:
    """A contract YAML file, parsed once (served from the parse cache when it can be)."""
    data = resources.files("analyzer").joinpath("contract", name).read_bytes()
    # its own kind: taxonomy files are parsed with a stricter loader, never shared entries
    return cached_parse(data, _parse_safe_yaml, kind="contract")


def _parse_safe_yaml(data: bytes) -> Any:
    from analyzer.yaml_loader import load_safe

    return load_safe(data.decode("utf-8"))


@functools.cache
def contract_skill_ids() -> tuple[str, ...]:
    """The skill ids of the public contract (``analyzer/contract/skills.yaml``), in file order."""
    data = _contract("skills.yaml")
    return tuple(entry["id"] for entry in data["skills"])


@functools.cache
def _contract_skills() -> dict[str, dict[str, Any]]:
    data = _contract("skills.yaml")
    return {entry["id"]: entry for entry in data["skills"]}


@functools.cache
def contract_role_ids() -> tuple[str, ...]:
    """The role family ids of the public contract, in file order."""
    data = _contract("roles.yaml")
    return tuple(entry["id"] for entry in data["families"])


# --------------------------------------------------------------------------- reading


def _read_yaml(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found") from None
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot be read ({exc})") from None
    return cached_parse(data, lambda raw: _parse_yaml(path, raw))


def _parse_yaml(path: Path, data: bytes) -> Any:
    # imported only when a file is not in the parse cache: a cold start rarely needs YAML
    from analyzer.yaml_loader import YAMLError, load_unique_keys

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path}: cannot be read ({exc})") from None
    try:
        return load_unique_keys(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        problem = getattr(exc, "problem", None) or str(exc)
        raise TaxonomyError(f"{path}: [{where}] invalid YAML: {problem}") from None


def _entry_label(items: list[Any], index: Any) -> str:
    if isinstance(index, int) and 0 <= index < len(items) and isinstance(items[index], dict):
        ident = items[index].get("id")
        if ident is not None:
            return f"{index} id={ident}"
    return str(index)


def _parse_list(
    path: Path, data: Any, key: str, model: type[BaseModel], problems: list[str]
) -> list[Any]:
    """Validate ``data[key]`` as a list of ``model`` records, collecting readable problems."""
    if not isinstance(data, dict):
        problems.append(f"{path}: [top] expected a mapping with a '{key}' list")
        return []
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(f"{path}: [{key}] expected a list")
        return []
    records = []
    for index, item in enumerate(items):
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                where = f"{key}[{_entry_label(items, index)}]" + (f".{loc}" if loc else "")
                problems.append(f"{path}: [{where}] {err['msg']}")
    return records


def _check_top_keys(path: Path, data: Any, allowed: set[str], problems: list[str]) -> None:
    if isinstance(data, dict):
        for key in sorted(set(data) - allowed, key=str):
            problems.append(
                f"{path}: [top.{key}] unknown key (allowed: {', '.join(sorted(allowed))})"
            )


# --------------------------------------------------------------------------- taxonomy


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """A validated, read-only taxonomy with its lookup indices.

    Build one with :func:`load_taxonomy`; do not construct it by hand.
    """

    version: str
    skills: Mapping[str, Skill]
    groups: Mapping[str, SkillGroup]
    roles: Mapping[str, RoleFamily]
    certifications: Mapping[str, Certification]
    projects: Mapping[str, Project]
    stages: Mapping[str, CareerStage]
    sources: tuple[str, ...] = ()
    _aliases: Mapping[str, str] = field(default_factory=dict, repr=False)
    _children: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def get(self, skill_id: str, default: Skill | None = None) -> Skill | None:
        """The skill with ``skill_id``, or ``default``."""
        return self.skills.get(skill_id, default)

    def find(self, text: str) -> Skill | None:
        """The skill a spelling names (id, name or alias, any case), or None."""
        skill_id = self._aliases.get(alias_key(text))
        return None if skill_id is None else self.skills[skill_id]

    def lookup(self, text: str) -> Skill:
        """The skill a spelling names (id, name or alias, any case); raises ``LookupError``."""
        skill = self.find(text)
        if skill is None:
            raise LookupError(f"no skill is spelled {text!r}")
        return skill

    def ancestors(self, skill_id: str) -> tuple[str, ...]:
        """Every skill that a mention of ``skill_id`` implies (parents and ``implies``)."""
        cached = self._ancestors.get(skill_id)
        if cached is not None:
            return cached
        out: list[str] = []
        stack = [skill_id]
        while stack:
            skill = self.skills[stack.pop()]
            for nxt in (skill.parent, *skill.implies):
                if nxt and nxt not in out and nxt != skill_id:
                    out.append(nxt)
                    stack.append(nxt)
        result = self._ancestors[skill_id] = tuple(out)
        return result

    def children(self, skill_id: str) -> tuple[str, ...]:
        """The skills whose parent is ``skill_id``."""
        return self._children.get(skill_id, ())

    def contract_id(self, skill_id: str) -> str | None:
        """The nearest contract id at or above ``skill_id`` (itself, else its closest ancestor)."""
        contract = set(contract_skill_ids())
        if skill_id in contract:
            return skill_id
        current = self.skills[skill_id].parent
        while current is not None:
            if current in contract:
                return current
            current = self.skills[current].parent
        return None

    def certification_by_code(self, text: str) -> Certification | None:
        """Find a certification by id, exam code, name or alias (case-insensitive)."""
        key = alias_key(text)
        for cert in self.certifications.values():
            names = [cert.id, cert.name, *(cert.aliases)]
            if cert.code:
                names.append(cert.code)
            if any(alias_key(n) == key for n in names):
                return cert
        return None


def _build(parts: dict[str, list[Any]], version: str, sources: tuple[str, ...]) -> Taxonomy:
    skills = {s.id: s for s in parts["skills"]}
    aliases: dict[str, str] = {}
    for skill in skills.values():
        for spelling in _spellings(skill):
            aliases.setdefault(alias_key(spelling), skill.id)
    children: dict[str, list[str]] = {}
    for skill in skills.values():
        if skill.parent:
            children.setdefault(skill.parent, []).append(skill.id)
    return Taxonomy(
        version=version,
        skills=MappingProxyType(skills),
        groups=MappingProxyType({g.id: g for g in parts["groups"]}),
        roles=MappingProxyType({r.id: r for r in parts["roles"]}),
        certifications=MappingProxyType({c.id: c for c in parts["certifications"]}),
        projects=MappingProxyType({p.id: p for p in parts["projects"]}),
        stages=MappingProxyType({s.id: s for s in parts["stages"]}),
        sources=sources,
        _aliases=MappingProxyType(aliases),
        _children=MappingProxyType({k: tuple(sorted(v)) for k, v in children.items()}),
    )


def _spellings(skill: Skill) -> list[str]:
    """Id, name, aliases and ambiguous alias texts of a skill."""
    return [skill.id, skill.name, *skill.aliases, *(r.text for r in skill.ambiguous)]


def _cross_check(parts: dict[str, list[Any]], files: dict[str, Path], problems: list[str]) -> None:
    """Every cross-record rule; appends ``file: [loc] message`` lines."""
    sk = files["skills"]
    skill_ids: dict[str, Skill] = {}
    for skill in parts["skills"]:
        if skill.id in skill_ids:
            problems.append(f"{sk}: [skills id={skill.id}] duplicate skill id")
        skill_ids[skill.id] = skill
    groups = {}
    for group in parts["groups"]:
        if group.id in groups:
            problems.append(f"{sk}: [groups id={group.id}] duplicate group id")
        groups[group.id] = group

    owner: dict[str, str] = {}
    for skill in parts["skills"]:
        if groups and skill.group not in groups:
            problems.append(f"{sk}: [skills id={skill.id}.group] unknown group {skill.group!r}")
        elif groups and groups[skill.group].category != skill.category:
            problems.append(
                f"{sk}: [skills id={skill.id}.group] group {skill.group!r} belongs to category "
                f"{groups[skill.group].category!r}, not {skill.category!r}"
            )
        for ref_name, refs in (("parent", [skill.parent]), ("implies", list(skill.implies))):
            for ref in refs:
                if ref is not None and ref not in skill_ids:
                    problems.append(
                        f"{sk}: [skills id={skill.id}.{ref_name}] unknown skill id {ref!r}"
                    )
        seen_here: set[str] = set()
        for spelling in _spellings(skill):
            key = alias_key(spelling)
            if not key:
                problems.append(f"{sk}: [skills id={skill.id}.aliases] empty alias")
                continue
            if key in seen_here:
                continue
            seen_here.add(key)
            other = owner.get(key)
            if other is not None and other != skill.id:
                problems.append(
                    f"{sk}: [skills id={skill.id}.aliases] alias {spelling!r} is already "
                    f"claimed by skill {other!r}"
                )
            else:
                owner[key] = skill.id
        for rule in skill.ambiguous:
            if alias_key(rule.text) in {alias_key(a) for a in skill.aliases}:
                problems.append(
                    f"{sk}: [skills id={skill.id}.ambiguous] {rule.text!r} is also a plain alias; "
                    "an ambiguous alias must only appear under 'ambiguous'"
                )

    reported: set[frozenset[str]] = set()
    for skill in parts["skills"]:  # parent cycles: once per cycle, at its first member in file
        path = [skill.id]
        current = skill.parent
        while current is not None and current in skill_ids:
            if current in path:
                members = frozenset(path[path.index(current) :])
                if current == skill.id and members not in reported:
                    reported.add(members)
                    cycle = " -> ".join([*path, current])
                    problems.append(
                        f"{sk}: [skills id={skill.id}.parent] cycle in parents: {cycle}"
                    )
                break
            path.append(current)
            current = skill_ids[current].parent

    contract = _contract_skills()
    for cid, entry in contract.items():
        skill = skill_ids.get(cid)
        if skill is None:
            if parts["skills"]:
                problems.append(f"{sk}: [skills] contract skill {cid!r} is missing")
        elif skill.category != entry["category"]:
            problems.append(
                f"{sk}: [skills id={cid}.category] contract says {entry['category']!r}, "
                f"taxonomy says {skill.category!r}"
            )

    def need_skill(file_key: str, where: str, ids: Iterable[str]) -> None:
        for ref in ids:
            if ref not in skill_ids:
                problems.append(f"{files[file_key]}: [{where}] unknown skill id {ref!r}")

    role_ids = set()
    for role in parts["roles"]:
        if role.id in role_ids:
            problems.append(f"{files['roles']}: [families id={role.id}] duplicate role id")
        role_ids.add(role.id)
        need_skill("roles", f"families id={role.id}.emphasis", role.emphasis)
    if parts["roles"]:
        for rid in contract_role_ids():
            if rid not in role_ids:
                problems.append(f"{files['roles']}: [families] contract role {rid!r} is missing")
    for role in parts["roles"]:
        for nxt in role.next_roles:
            if nxt not in role_ids:
                problems.append(
                    f"{files['roles']}: [families id={role.id}.next_roles] unknown role {nxt!r}"
                )

    cert_ids: set[str] = set()
    for cert in parts["certifications"]:
        if cert.id in cert_ids:
            problems.append(
                f"{files['certifications']}: [certifications id={cert.id}] duplicate id"
            )
        cert_ids.add(cert.id)
    for cert in parts["certifications"]:
        where = f"certifications id={cert.id}"
        need_skill("certifications", f"{where}.covers", cert.covers)
        for succ in cert.successors:
            if succ not in cert_ids:
                problems.append(
                    f"{files['certifications']}: [{where}.successors] "
                    f"unknown certification {succ!r}"
                )
        for rid in cert.role_families:
            if role_ids and rid not in role_ids:
                problems.append(
                    f"{files['certifications']}: [{where}.role_families] unknown role {rid!r}"
                )

    project_ids: set[str] = set()
    for project in parts["projects"]:
        where = f"projects id={project.id}"
        if project.id in project_ids:
            problems.append(f"{files['projects']}: [{where}] duplicate id")
        project_ids.add(project.id)
        need_skill("projects", f"{where}.skills", project.skills)
        for rid in project.role_families:
            if role_ids and rid not in role_ids:
                problems.append(
                    f"{files['projects']}: [{where}.role_families] unknown role {rid!r}"
                )

    stage_ids: set[str] = set()
    for stage in parts["stages"]:
        if stage.id in stage_ids:
            problems.append(f"{files['paths']}: [stages id={stage.id}] duplicate id")
        stage_ids.add(stage.id)


def _parse_dir(directory: Path, problems: list[str]) -> tuple[dict[str, list[Any]], dict, str]:
    files = {
        "skills": directory / "skills.yaml",
        "roles": directory / "roles.yaml",
        "certifications": directory / "certifications.yaml",
        "projects": directory / "projects.yaml",
        "paths": directory / "paths.yaml",
    }
    parts: dict[str, list[Any]] = {}
    skills_data = _read_yaml(files["skills"])
    _check_top_keys(files["skills"], skills_data, {"version", "groups", "skills"}, problems)
    parts["groups"] = _parse_list(files["skills"], skills_data, "groups", SkillGroup, problems)
    parts["skills"] = _parse_list(files["skills"], skills_data, "skills", Skill, problems)
    version = str(skills_data.get("version", "")) if isinstance(skills_data, dict) else ""
    spec = (
        ("roles", "families", RoleFamily),
        ("certifications", "certifications", Certification),
        ("projects", "projects", Project),
        ("paths", "stages", CareerStage),
    )
    for name, key, model in spec:
        data = _read_yaml(files[name])
        _check_top_keys(files[name], data, {"version", key}, problems)
        target = "roles" if name == "roles" else ("stages" if name == "paths" else name)
        parts[target] = _parse_list(files[name], data, key, model, problems)
    return parts, files, version


def _apply_overlay(parts: dict[str, list[Any]], path: Path, problems: list[str]) -> None:
    """Merge a user overlay: new ``skills`` and ``extend`` entries adding aliases to existing ones.

    Spellings the overlay adds are checked here against the taxonomy it extends,
    so a clash names the overlay file and the overlay entry.
    """
    data = _read_yaml(path)
    if data is None:
        problems.append(f"{path}: [top] the overlay is empty")
        return
    if not isinstance(data, dict):
        problems.append(f"{path}: [top] expected a mapping with 'skills' and/or 'extend'")
        return
    _check_top_keys(path, data, {"version", "skills", "extend"}, problems)
    new_skills = _parse_list(path, data, "skills", Skill, problems)
    existing = {s.id: s for s in parts["skills"]}
    owner = {alias_key(sp): s.id for s in parts["skills"] for sp in _spellings(s)}

    def claim(skill_id: str, spelling: str, where: str) -> None:
        key = alias_key(spelling)
        other = owner.get(key)
        if other is not None and other != skill_id:
            problems.append(
                f"{path}: [{where}] alias {spelling!r} is already claimed by skill {other!r}"
            )
        else:
            owner[key] = skill_id

    for skill in new_skills:
        if skill.id in existing:
            problems.append(
                f"{path}: [skills id={skill.id}] already in the taxonomy; "
                "use 'extend' to add aliases"
            )
            continue
        for spelling in _spellings(skill):
            claim(skill.id, spelling, f"skills id={skill.id}.aliases")
    extend = data.get("extend")
    if extend is None:
        extend = {}
    if not isinstance(extend, dict):
        problems.append(f"{path}: [extend] expected a mapping of skill id to additions")
        extend = {}
    replaced: dict[str, Skill] = {}
    for skill_id, addition in extend.items():
        where = f"extend.{skill_id}"
        if skill_id not in existing:
            problems.append(f"{path}: [{where}] unknown skill id {skill_id!r}")
            continue
        try:
            ext = SkillExtension.model_validate(addition)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                problems.append(
                    f"{path}: [{where}" + (f".{loc}" if loc else "") + f"] {err['msg']}"
                )
            continue
        for spelling in (*ext.aliases, *(r.text for r in ext.ambiguous)):
            claim(skill_id, spelling, f"{where}.aliases")
        base = existing[skill_id]
        replaced[skill_id] = base.model_copy(
            update={
                "aliases": base.aliases + ext.aliases,
                "ambiguous": base.ambiguous + ext.ambiguous,
            }
        )
    parts["skills"] = [replaced.get(s.id, s) for s in parts["skills"]] + new_skills


def load_taxonomy(
    path: str | os.PathLike[str] | None = None,
    *,
    overlays: Iterable[str | os.PathLike[str]] = (),
) -> Taxonomy:
    """Read, validate and cross-check a taxonomy folder plus optional overlay files.

    Parameters
    ----------
    path : path-like, optional
        A folder holding ``skills.yaml``, ``roles.yaml``, ``certifications.yaml``,
        ``projects.yaml`` and ``paths.yaml``. Defaults to the bundled taxonomy.
    overlays : iterable of path-like
        User files adding skills (``skills:``) or aliases (``extend:``), applied in order.

    Returns
    -------
    Taxonomy

    Raises
    ------
    TaxonomyError
        With one ``file: [location] message`` line per problem found.

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> tax.lookup("k8s").id
    'kubernetes'
    """
    directory = Path(path) if path is not None else default_taxonomy_dir()
    if not directory.is_dir():
        raise TaxonomyError(f"{directory}: not a taxonomy folder")
    problems: list[str] = []
    parts, files, version = _parse_dir(directory, problems)
    if not problems:
        _cross_check(parts, files, problems)
    if problems:
        raise TaxonomyError(problems)
    overlay_paths = [Path(o) for o in overlays]
    for overlay in overlay_paths:
        # The base is valid, so whatever fails now is the overlay's doing: name its file.
        _apply_overlay(parts, overlay, problems)
        if not problems:
            _cross_check(parts, {**files, "skills": overlay}, problems)
        if problems:
            raise TaxonomyError(problems)
    sources = (str(directory), *(str(o) for o in overlay_paths))
    return _build(parts, version, sources)


def env_overlays() -> tuple[str, ...]:
    """Overlay files named by ``SKILLGAP_TAXONOMY`` (separated by the OS path separator)."""
    value = os.environ.get(TAXONOMY_ENV, "")
    return tuple(p for p in value.split(os.pathsep) if p.strip())


_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _cached(path: str | None, overlays: tuple[str, ...]) -> Taxonomy:
    return load_taxonomy(path, overlays=overlays)


def get_taxonomy(
    overlays: Iterable[str | os.PathLike[str]] = (), *, path: str | None = None
) -> Taxonomy:
    """The taxonomy loaded once per process (bundled + ``SKILLGAP_TAXONOMY`` + ``overlays``)."""
    key = tuple(str(Path(o).resolve()) for o in (*env_overlays(), *overlays))
    with _lock:
        return _cached(path, key)
