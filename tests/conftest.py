"""Shared fixtures: the sample project run once per test session."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
EXTERNAL = ROOT.parent / "shared" / "external"

# One embedding cache for the whole test run (both xdist workers and the notebook kernels they start):
# the package writes none unless told where (coding.embeddings.cache_dir); .cache/ is git-ignored.
os.environ.setdefault("PLEDGE_CACHE_DIR", str(ROOT / ".cache" / "embeddings"))
#: That cache folder. The static model distilled from MiniLM (135 s of CPU) is kept there too, so the
#: suite distils it once per cache, not once per run.
CACHE = Path(os.environ["PLEDGE_CACHE_DIR"])


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The whole pipeline on data_samples/, outputs written to a temporary folder."""
    from pledge_analysis.pipeline import run_project, write_outputs

    out = tmp_path_factory.mktemp("run")
    result = run_project(SAMPLES, store=out / "project.sqlite")
    write_outputs(result, out)
    return result, out
