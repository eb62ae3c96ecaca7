"""docs/architecture.md draws the package as it is: every module in it, each in the layer the import rule uses.

The layer order itself is enforced by tests/test_layers.py (no stage imports a later one); this test keeps
the written picture from drifting away from it: a module added, renamed or moved fails here until the page
says so.
"""
from __future__ import annotations

import re
from pathlib import Path

from test_layers import LAYERS, PACKAGE

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def _documented_layers() -> dict[str, set[str]]:
    """{layer name: the backticked module names of its row} from the page's layer table."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("layer", "---"):
            rows[cells[0]] = set(re.findall(r"`([a-z_]+)`", cells[1]))
    return rows


def _package_members() -> set[str]:
    """The top-level modules and subpackages of pledge_analysis (what a layer can hold)."""
    out = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    out |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    return out


def test_the_page_lists_the_layers_in_order_with_their_modules():
    doc = _documented_layers()
    assert list(doc) == [name for name, _ in LAYERS]
    for name, members in LAYERS:
        assert doc[name] == members - {"", "__version__"}, f"layer {name!r}: page and tests/test_layers.py differ"


def test_every_module_of_the_package_is_on_the_page():
    documented = set().union(*_documented_layers().values())
    assert _package_members() - documented == set(), "modules missing from docs/architecture.md"
    assert documented - _package_members() == set(), "docs/architecture.md names modules that do not exist"
