"""Renamed modules: the old names still import for one release, warn, and hand out the new modules' objects.

``benchmark.py`` became ``cross_site.py`` (learning across hospitals; "benchmark" elsewhere means the
national comparator) and ``progress.py`` became ``rounds.py`` (progress between review rounds; not the
``progress=`` flag).
"""
import importlib
import re
import sys
import warnings

import pytest

import pledge_analysis.cross_site as cross_site
import pledge_analysis.rounds as rounds

RENAMED = [("pledge_analysis.benchmark", cross_site,
            ["site_theme_matrix", "survey_z", "alliance_rollup", "goal_library", "suggest_actions",
             "buddy_pairs", "GOAL_ORDER", "_solve"]),
           ("pledge_analysis.progress", rounds, ["plan_summary", "goal_progress", "_scope_filter"])]


def _fresh_import(name: str):
    sys.modules.pop(name, None)
    return importlib.import_module(name)


@pytest.mark.parametrize("old, new, names", RENAMED, ids=["benchmark", "progress"])
def test_old_module_name_warns_and_aliases(old, new, names):
    with pytest.warns(DeprecationWarning, match=rf"{old} was renamed {new.__name__}; import {new.__name__}"):
        shim = _fresh_import(old)
    for name in names:
        assert getattr(shim, name) is getattr(new, name), name
    assert set(dir(new)) <= set(dir(shim))
    with pytest.raises(AttributeError, match=rf"{old}.*now.*{new.__name__}.*no_such_thing"):
        shim.no_such_thing  # noqa: B018


def test_warning_points_at_the_importing_line():
    """Attributed to the caller's own line (not importlib's), so Python shows it by default in scripts
    and notebooks, where DeprecationWarnings raised by ``__main__`` code are shown."""
    sys.modules.pop("pledge_analysis.progress", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        from pledge_analysis.progress import goal_progress  # noqa: F401
    assert [(w.category, w.filename, w.lineno) for w in caught] == [(DeprecationWarning, __file__, line)]


def test_nothing_in_the_package_uses_the_old_names():
    from conftest import ROOT
    old = re.compile(r"pledge_analysis\.(benchmark|progress)\b|from \.+(benchmark|progress) import"
                     r"|from (pledge_analysis|\.+) import[^\n]*\b(benchmark|progress)\b(?!_| *=)")
    files = [p for d in ("pledge_analysis", "tests", "benchmarks", "notebooks")
             for p in (ROOT / d).rglob("*") if p.suffix in (".py", ".ipynb")
             and p.name not in ("benchmark.py", "progress.py", "test_renamed_modules.py")]
    hits = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in files for m in old.finditer(p.read_text(encoding="utf-8"))]
    assert hits == []
