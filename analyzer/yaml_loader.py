"""Safe YAML loading for the taxonomy and contract files.

Imported only when a file really has to be parsed: a cold start reads those files
from the parse cache (:mod:`analyzer.parse_cache`), and importing ``yaml`` alone
costs about a hundredth of a second.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["YAMLError", "load_safe", "load_unique_keys"]

YAMLError = yaml.YAMLError

# The C parser (libyaml) when available: about ten times faster on the shipped files.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """Safe YAML loader that refuses duplicate mapping keys instead of keeping the last."""


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# YAML 1.2 booleans only: in YAML 1.1 the words yes/no/on/off are booleans, which silently
# turns context words such as ``no`` or ``on`` into True/False. Only true/false are booleans here.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_unique_keys(text: str) -> Any:
    """Parse a taxonomy file: safe, duplicate keys refused, only true/false as booleans."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def load_safe(text: str) -> Any:
    """Parse a YAML document with the safe loader."""
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
