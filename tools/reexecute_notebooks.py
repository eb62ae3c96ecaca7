#!/usr/bin/env python3
"""Re-execute notebooks in place the way they are committed: outputs refreshed, per-cell execution
metadata and saved widget state stripped, and cells that had no outputs (plotly figures) kept empty.
A notebook paired with a jupytext twin (``notebooks/jupytext.toml``: ``NN_name.py``) is synced first,
so an edit made in the twin is what runs, and the twin is rewritten from the executed notebook.

    .venv/bin/python tools/reexecute_notebooks.py notebooks/02_codebook_and_rule_coding.ipynb ...

Then check them with ``.venv/bin/python -m pytest notebooks/NN_x.ipynb -p no:xdist``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor


def _paired_formats(path: Path) -> str | None:
    """The jupytext ``formats`` that apply to ``path`` (from its folder's jupytext.toml), if any."""
    from jupytext.config import load_jupytext_config

    config = load_jupytext_config(str(path.resolve().parent))
    return config.formats if config is not None and config.formats else None


def _sync(path: Path) -> None:
    """``jupytext --sync``: the newer of the pair gives the cells, the notebook keeps its outputs."""
    from jupytext.cli import jupytext

    jupytext(["--sync", "--quiet", str(path)])


def reexecute(path: Path, timeout: int = 1200) -> None:
    paired = _paired_formats(path) is not None
    if paired:
        _sync(path)
    nb = nbformat.read(path, as_version=4)
    empty = {i for i, c in enumerate(nb.cells) if c.cell_type == "code" and not c.get("outputs")}
    ExecutePreprocessor(timeout=timeout, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(path.parent)}})
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if i in empty:
            cell.outputs = []
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    if paired:  # the notebook is now the newer file: its (unchanged) cells rewrite the twin
        _sync(path)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print("executing", name, flush=True)
        reexecute(Path(name))
