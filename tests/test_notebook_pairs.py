"""Notebooks and their py:percent twins (jupytext): same cells, and no saved widget state committed.

``notebooks/jupytext.toml`` pairs every ``notebooks/NN_name.ipynb`` with ``notebooks/NN_name.py`` so that
review reads plain-Python diffs. A pair is in sync when jupytext reads the same cells (type and source,
in order) from both files. Saved widget state (``metadata.widgets``) is machine-specific noise that
``tools/reexecute_notebooks.py`` strips.
"""
import json
import subprocess

import pytest

from conftest import ROOT

jupytext = pytest.importorskip("jupytext")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _cells(path):
    nb = jupytext.read(path, config=jupytext.config.load_jupytext_config(str(path.parent)))
    return [(c.cell_type, c.source) for c in nb.cells]


def test_every_notebook_has_a_twin_and_every_twin_a_notebook():
    assert NOTEBOOKS, "no notebooks found"
    config = (ROOT / "notebooks" / "jupytext.toml").read_text()
    assert 'formats = "ipynb,py:percent"' in config
    twins = {p.stem for p in (ROOT / "notebooks").glob("*.py")}
    assert twins == {p.stem for p in NOTEBOOKS}, "run `jupytext --sync notebooks/*.ipynb`"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_pair_is_in_sync(notebook):
    twin = notebook.with_suffix(".py")
    assert twin.read_text(encoding="utf-8").startswith("# %%"), f"{twin.name} is not in py:percent format"
    assert _cells(twin) == _cells(notebook), (
        f"{notebook.name} and {twin.name} differ: edit one, then run `jupytext --sync notebooks/{notebook.name}`")


def test_no_saved_widget_state_in_committed_notebooks():
    listed = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True)
    notebooks = ([ROOT / name for name in listed.stdout.split()] if listed.returncode == 0
                 else [*NOTEBOOKS, *(ROOT / "pledge_analysis").rglob("*.ipynb")])  # not a git checkout
    with_state = [str(p.relative_to(ROOT)) for p in notebooks
                  if "widgets" in json.loads(p.read_text(encoding="utf-8")).get("metadata", {})]
    assert len(notebooks) >= len(NOTEBOOKS) and with_state == [], "strip with tools/reexecute_notebooks.py"
