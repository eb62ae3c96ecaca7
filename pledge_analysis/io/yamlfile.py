"""YAML reading that keeps survey answers such as ``Yes`` and ``No`` as text.

PyYAML follows YAML 1.1, where ``Yes``, ``No``, ``On`` and ``Off`` are booleans, so a list
of answer options ``[Yes, No]`` would silently become ``[True, False]``. Here only
``true``/``false`` are booleans, as in YAML 1.2.

>>> import io
>>> load_yaml_text("options: [Yes, No, true]")
{'options': ['Yes', 'No', True]}
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml


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
