"""``with_rank_intervals`` keeps the probability of being in the top k for any k, not only 3.

``rank_intervals(..., top=5)`` gives ``p_top5``; joining it to the priorities kept only ``rank_low``,
``rank_high`` and ``p_top3``, so ``p_top5`` silently vanished from a notebook's table."""
from __future__ import annotations

import pandas as pd
import pytest

from pledge_analysis.coding import code_segments, coded_units, summarise_themes
from pledge_analysis.coding.codebook import read_codebook
from pledge_analysis.priorities import prioritise
from pledge_analysis.uncertainty import rank_intervals, with_rank_intervals

from .conftest import SAMPLES

TEXTS = ["I waited three hours in clinic.", "The nurse was kind and caring.", "Parking was impossible.",
         "Nobody explained the side effects.", "The waiting room was cramped.", "My results took weeks.",
         "The surgeon explained the operation.", "The breast care nurse never rang me back.",
         "The patient portal never worked.", "Staff were rude and dismissive."]


@pytest.fixture(scope="module")
def inputs():
    codebook = read_codebook(SAMPLES / "codebook.yaml")
    rows = [{"segment_id": f"s{i:03d}", "source_id": "src", "site": ["A", "B", "C"][i % 3],
             "group": ["primary", "secondary"][i % 2], "source_type": "survey", "question_id": "Q9",
             "respondent_id": f"r{i}", "speaker": None, "role": "participant", "position": i,
             "text": TEXTS[(i * 7) % len(TEXTS)]} for i in range(90)]
    segments = pd.DataFrame(rows)
    units = coded_units(segments, code_segments(segments, codebook), codebook)
    themes = summarise_themes(segments, units, codebook)
    return segments, units, codebook, themes


@pytest.mark.parametrize("k", [3, 5])
def test_with_rank_intervals_keeps_p_top_k(inputs, k):
    segments, units, codebook, themes = inputs
    priorities = prioritise(themes, units, codebook)
    ri = rank_intervals(segments, units, codebook, themes=themes, n_boot=20, top=k, random_state=1)
    assert f"p_top{k}" in ri.columns
    joined = with_rank_intervals(priorities, ri)
    assert f"p_top{k}" in joined.columns, joined.columns.tolist()
    keys = ["scope_type", "scope", "theme"]
    both = joined[keys + [f"p_top{k}"]].merge(ri[keys + [f"p_top{k}"]], on=keys, suffixes=("", "_ri"))
    assert len(both) == len(ri) > 0
    pd.testing.assert_series_equal(both[f"p_top{k}"], both[f"p_top{k}_ri"], check_names=False)
    # joining again (a notebook re-run) replaces the column, never p_top5_x / p_top5_y
    again = with_rank_intervals(joined, ri)
    assert [c for c in again.columns if c.startswith(f"p_top{k}")] == [f"p_top{k}"]
