"""DESIGN.md's data flow holds in the code: no stage imports a later one.

Every ``import`` of a ``pledge_analysis`` module (at module level or inside a function) is read with
``ast`` and checked against the layer order below, which is DESIGN.md's picture made explicit. A module may
import its own layer or an earlier one. The few deliberate exceptions are listed with their reason; a new
backward import fails this test until it is either moved or listed here (and in DESIGN.md).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pledge_analysis"

#: earliest first: (layer name, the top-level modules or subpackages in it)
LAYERS = [
    ("foundations", {"errors", "error_catalogue", "schema", "_renamed", "__version__", "benchmark", "progress",
                     "prioritise"}),
    ("files", {"project_schema", "io"}),
    ("project", {"config", "project", "project_sync"}),
    ("text", {"text"}),
    ("coding", {"coding", "kernel_thread"}),
    ("scale", {"machine_coding", "model_cache", "coding_job", "aggregates", "engine"}),
    ("survey", {"survey", "shrinkage"}),
    ("priorities", {"priorities", "uncertainty", "calibration", "standards"}),
    ("plan", {"pledge", "booklet", "codesign", "rounds", "cross_site"}),
    ("presentation", {"plots", "report", "view", "widgets"}),
    ("entry points", {"validate", "scaffold", "scaffold_yaml", "pipeline", "serve", "cli", "__main__", ""}),
]

#: (importing module, imported module): why this backward import is allowed
EXCEPTIONS = {
    ("pledge_analysis.text.components", "pledge_analysis.coding.rules"):
        "the one module that registers every spaCy component, the theme ruler included",
    ("pledge_analysis.io.refi_import", "pledge_analysis.coding.codebook"):
        "an imported codebook is checked by the codebook's own validation (inside the function)",
    ("pledge_analysis.io.refi_export", "pledge_analysis.coding.codebook"):
        "the exported code tree uses the codebook's theme_of (inside the function)",
    ("pledge_analysis.pledge", "pledge_analysis.booklet"):
        "ActionPlan.to_docx and friends delegate to the booklet writers (inside the method)",
}


def _layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else ""
    for i, (_, members) in enumerate(LAYERS):
        if top in members:
            return i
    raise AssertionError(f"{module}: not in any layer of tests/test_layers.py (add it where DESIGN.md puts it)")


def _imports(path: Path) -> list[tuple[str, int]]:
    """``(imported module, line)`` for every pledge_analysis import in ``path``."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    module = ".".join(rel.parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "pledge_analysis":
                continue
            if node.module is None or target == "pledge_analysis":  # from . import x / from pledge_analysis import x
                found += [(f"{target}.{a.name}", node.lineno) for a in node.names]
            else:
                found.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "pledge_analysis"]
    return found


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "resources" not in p.parts)


def test_every_module_is_in_a_layer():
    for path in _modules():
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        _layer_of(module)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_stage_imports_a_later_one(path):
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
    if module == "pledge_analysis":
        return  # the package's __init__ re-exports the public API of every stage
    mine = _layer_of(module)
    later = []
    for target, line in _imports(path):
        theirs = _layer_of(target)
        if theirs > mine and not any(module == a and target.startswith(b) for a, b in EXCEPTIONS):
            later.append(f"line {line}: {target} ({LAYERS[theirs][0]}, after {LAYERS[mine][0]})")
    assert not later, f"{module} imports a later stage: " + "; ".join(later)


def test_the_exceptions_are_still_needed():
    """An exception nobody uses any more is removed (the list stays an honest picture)."""
    used = set()
    for path in _modules():
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        used |= {(module, b) for a, b in EXCEPTIONS for t, _ in _imports(path) if module == a and t.startswith(b)}
    assert used == set(EXCEPTIONS)


@pytest.mark.parametrize("package", ["pledge_analysis", "pledge_analysis.survey", "pledge_analysis.coding",
                                     "pledge_analysis.text", "pledge_analysis.io"])
def test_no_exported_name_is_also_a_submodule(package):
    """A package that re-exports a function under the name of one of its submodules (``survey.funnel`` was
    both) hands out the module instead once anything imports that submodule by path, as pytest's doctest
    collection does: ``from pledge_analysis.survey import funnel`` then gave a module ("not callable")."""
    import importlib
    import pkgutil
    import types

    pkg = importlib.import_module(package)
    for sub in pkgutil.iter_modules(pkg.__path__):
        if not sub.ispkg and _is_shim(Path(pkg.__path__[0]) / f"{sub.name}.py"):
            continue  # a renamed module's old name: importing it warns, and its exported function is meant
        value = pkg.__dict__.get(sub.name)
        assert value is None or isinstance(value, types.ModuleType), (
            f"{package}.{sub.name} is both a submodule and a {type(value).__name__}: rename the module")


def _is_shim(path: Path) -> bool:
    return "from ._renamed import alias" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("package", ["pledge_analysis", "pledge_analysis.survey", "pledge_analysis.coding",
                                     "pledge_analysis.text", "pledge_analysis.io"])
def test_no_lazily_exported_name_is_a_submodule(package):
    """The same clash, whatever ran before: a lazily exported name (``_EXPORTS`` / ``__all__``) that is also a
    submodule's name becomes the module once a run imports it by path (``pa.run_project(...)`` then
    ``pa.prioritise(...)``: 'module' object is not callable). Only a deprecation shim of a renamed module may
    keep such a name (importing it by its old path warns)."""
    import importlib
    import pkgutil

    pkg = importlib.import_module(package)
    exported = set(getattr(pkg, "_EXPORTS", {})) | set(getattr(pkg, "__all__", []))
    folder = Path(pkg.__path__[0])
    clashes = [s.name for s in pkgutil.iter_modules(pkg.__path__) if s.name in exported
               and not (not s.ispkg and _is_shim(folder / f"{s.name}.py"))]
    assert not clashes, f"{package}: exported names that are also submodules: {clashes}; rename the modules"


def test_a_run_leaves_pa_prioritise_the_function():
    """Found in session 9: after anything imported the priorities stage by path, ``pa.prioritise`` was the module."""
    import subprocess
    import sys

    code = ("import pledge_analysis as pa, pledge_analysis.priorities, pledge_analysis.pipeline; "
            "print(callable(pa.prioritise))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
