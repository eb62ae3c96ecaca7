"""YAML reading that keeps survey answers such as ``Yes`` and ``No`` as text, and knows lines.

PyYAML follows YAML 1.1, where ``Yes``, ``No``, ``On`` and ``Off`` are booleans, so a list
of answer options ``[Yes, No]`` would silently become ``[True, False]``. Here only
``true``/``false`` are booleans, as in YAML 1.2 (the typed project schema then reads
``no``/``yes`` as false/true where a key *is* a yes/no switch, such as ``pseudonyms``).

:func:`load_yaml_located` also returns a :class:`Locator` that turns a key path such as
``("surveys", 0, "comments")`` into the line it is on, so errors can name the line.

>>> load_yaml_text("options: [Yes, No, true]")
{'options': ['Yes', 'No', True]}
>>> data, where = load_yaml_located_text("a: 1\\nb:\\n  - x\\n  - y: 2\\n")
>>> where.line(("b", 1, "y")), where.line(("b", 1, "z")), where.line(("c",))
(4, 4, None)
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import Problem, ProjectFileError


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def load_yaml_text(text: str):
    return yaml.load(text, Loader=_Loader)


def load_yaml(path: str | Path):
    return load_yaml_text(Path(path).read_text(encoding="utf-8"))


class Locator:
    """Line numbers (1-based) of the keys and items of a YAML document."""

    def __init__(self, node):
        self.node = node

    def line(self, loc) -> int | None:
        """The line of the deepest part of ``loc`` that exists (None if not even the first part does)."""
        node, found = self.node, None
        for part in loc:
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if str(key.value) == str(part):
                        found, nxt = key.start_mark.line + 1, value
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                nxt = node.value[part]
                found = nxt.start_mark.line + 1
            if nxt is None:
                break
            node = nxt
        return found


def load_yaml_located_text(text: str, *, source: str = "YAML"):
    """``(data, Locator)`` for a YAML text; a syntax error becomes a :class:`ProjectFileError` with its line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = load_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProjectFileError([Problem(
            source, mark.line + 1 if mark else None, None,
            f"not valid YAML ({problem}{f' at column {mark.column + 1}' if mark else ''}). Check the "
            "indentation and quote text that contains ': ' or starts with a symbol.", code="PA215")]) from None
    return data, Locator(node)


def load_yaml_located(path: str | Path):
    """``(data, Locator)`` for a YAML file (UTF-8, with or without a byte-order mark)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectFileError([Problem(path, None, None, f"not UTF-8 text (byte {exc.start}). Save it as UTF-8.", code="PA215")]) from None
    return load_yaml_located_text(text, source=str(path))
