"""Key drivers with skipped items: pairwise deletion against complete cases.

    python benchmarks/key_drivers_benchmark.py

1. 20 simulated surveys (1,500 respondents, 6 correlated yes/no items driving a 0-10 rating, seeds
   100-119): each answer blanked independently with probability 0.25 (missing completely at random);
   the largest error of any item's share of R-squared against the same survey before blanking, for
   ``missing="pairwise"`` (the default) and ``missing="complete"``, and the respondents each keeps;
2. the synthetic sample (data_samples/): respondents used and run time, both ways.

No design choice was tuned on these figures; the simulation's shape is fixed in ``survey()``.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from pledge_analysis.survey import key_drivers

ITEMS = [f"Q{j}" for j in range(6)]
ROOT = Path(__file__).resolve().parents[1]


def survey(seed: int, n: int = 1500, p_missing: float = 0.0) -> pd.DataFrame:
    """Long scored answers; each item answer blank with probability ``p_missing``."""
    rng = np.random.default_rng(seed)
    latent = 0.6 * rng.normal(size=(n, 1)) + 0.8 * rng.normal(size=(n, 6))
    pos = latent > np.array([-1.0, -0.5, 0.0, -0.8, -0.3, 0.2])
    rating = np.clip(np.round(5 + pos @ np.array([1.2, 0.9, 0.6, 0.4, 0.2, 0.1]) + rng.normal(0, 1.2, n)), 0, 10)
    i, j = np.nonzero(rng.random((n, 6)) >= p_missing)
    items = pd.DataFrame({"respondent_id": i, "question_id": np.array(ITEMS)[j], "value": "x",
                          "scored_as": np.where(pos[i, j], "positive", "negative")})
    overall = pd.DataFrame({"respondent_id": np.arange(n), "question_id": "overall",
                            "value": rating.astype(int).astype(str), "scored_as": None})
    return pd.concat([items, overall], ignore_index=True)


def simulation() -> None:
    rows = []
    for seed in range(100, 120):
        full = key_drivers(survey(seed), items=ITEMS, outcome="overall", n_boot=0).set_index("question_id")["share"]
        blank = survey(seed, p_missing=0.25)
        for how in ("pairwise", "complete"):
            kd = key_drivers(blank, items=ITEMS, outcome="overall", n_boot=0, missing=how).set_index("question_id")
            rows.append({"missing": how, "max_share_error": (kd["share"] - full[kd.index]).abs().max(),
                         "respondents": kd["n_respondents"].iloc[0]})
    r = pd.DataFrame(rows).groupby("missing").agg(mean_error=("max_share_error", "mean"),
                                                   max_error=("max_share_error", "max"),
                                                   respondents=("respondents", "mean"))
    print("1. 25% of answers missing at random, 20 surveys of 1,500 (largest share error per survey):")
    print(r.round(3).to_string())


def sample() -> None:
    import pledge_analysis as pa
    from pledge_analysis.pipeline import ingest
    from pledge_analysis.survey import score_responses

    cfg = pa.ProjectConfig.load(ROOT / "data_samples")
    questions = pa.load_questions(cfg.questions)
    scored = score_responses(ingest(cfg, questions).responses, questions)
    items = list(questions.query("respondents == 'patient' and kind == 'categorical'").question_id)
    print("2. data_samples/, 15 items, outcome Q59, 100 bootstrap resamples (as the run):")
    for how in ("pairwise", "complete"):
        t = time.perf_counter()
        kd = key_drivers(scored, items=items, outcome="Q59", n_boot=100, missing=how)
        print(f"   {how:9s} respondents {kd['n_respondents'].iloc[0]:,} (complete cases {kd['n_complete'].iloc[0]:,}), "
              f"per item {kd['n'].min():,}-{kd['n'].max():,}, R2 {kd['r2'].iloc[0]:.3f}, "
              f"{time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    simulation()
    sample()
