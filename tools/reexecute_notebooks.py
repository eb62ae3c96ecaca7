#!/usr/bin/env python3
"""Re-execute notebooks in place the way they are committed: outputs refreshed, per-cell execution
metadata and saved widget state stripped, and cells that had no outputs (plotly figures) kept empty.

    .venv/bin/python tools/reexecute_notebooks.py notebooks/02_codebook_and_rule_coding.ipynb ...

Then check them with ``.venv/bin/python -m pytest notebooks/NN_x.ipynb -p no:xdist``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor


def reexecute(path: Path, timeout: int = 1200) -> None:
    nb = nbformat.read(path, as_version=4)
    empty = {i for i, c in enumerate(nb.cells) if c.cell_type == "code" and not c.get("outputs")}
    ExecutePreprocessor(timeout=timeout, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(path.parent)}})
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if i in empty:
            cell.outputs = []
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print("executing", name, flush=True)
        reexecute(Path(name))
