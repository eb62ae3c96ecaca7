"""Case-mix adjustment (indirect standardisation) and key-driver analysis.

:func:`casemix_adjust` fits one logistic regression per question of "positive" on respondent
characteristics (not on site), sums each site's predicted probabilities to get its *expected*
positives, and reports observed / expected and the indirectly standardised percentage
``overall rate x O / E``, with an interval from the Wilson interval of the observed rate.

:func:`key_drivers` explains the overall rating by the items: Pearson correlations and
Johnson's (2000) relative weights (each item's share of R-squared, which sums to R-squared),
with bootstrap intervals, and importance-performance quadrants.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .scoring import wilson_ci


def _design(frame: pd.DataFrame, covariates: Sequence[str]) -> np.ndarray:
    x = pd.get_dummies(frame[list(covariates)].astype("string").fillna("missing"), drop_first=True, dtype=float)
    return x.to_numpy()


def casemix_adjust(scored: pd.DataFrame, respondents: pd.DataFrame, *, covariates: Sequence[str] = (
        "age_band", "ethnicity", "imd_quintile"), by: str = "site", questions: Sequence[str] | None = None,
        confidence: float = 0.95) -> pd.DataFrame:
    """Observed vs expected positives per ``by`` unit and question, and the adjusted estimate.

    Columns: ``question_id, <by>, n, observed, expected, ratio, estimate, adjusted, ci_low, ci_high``.
    """
    from sklearn.linear_model import LogisticRegression

    d = scored[scored["score"].isin(["positive", "negative"])]
    if questions is not None:
        d = d[d["question_id"].isin(questions)]
    cols = ["respondent_id"] + [c for c in covariates if c not in d.columns]
    d = d.merge(respondents[cols].drop_duplicates("respondent_id"), on="respondent_id", how="left")
    rows = []
    for qid, q in d.groupby("question_id"):
        y = (q["score"] == "positive").to_numpy(dtype=int)
        if y.min() == y.max():
            continue
        x = _design(q, covariates)
        model = LogisticRegression(C=1e6, max_iter=2000).fit(x, y)  # effectively unpenalised
        q = q.assign(p_hat=model.predict_proba(x)[:, 1], y=y)
        overall = y.mean()
        for unit, g in q.groupby(by):
            o, e, n = g["y"].sum(), g["p_hat"].sum(), len(g)
            lo, hi = wilson_ci(o, n, confidence)
            scale = overall / (e / n)
            rows.append({"question_id": qid, by: unit, "n": n, "observed": int(o), "expected": float(e),
                         "ratio": float(o / e), "estimate": o / n, "adjusted": float(min(1, o / n * scale)),
                         "ci_low": float(min(1, lo * scale)), "ci_high": float(min(1, hi * scale))})
    return pd.DataFrame(rows)


def respondent_matrix(scored: pd.DataFrame, items: Sequence[str], outcome: str) -> pd.DataFrame:
    """One row per respondent: items as 1 (positive) / 0 (negative) / NaN, and the outcome rating."""
    d = scored[scored["question_id"].isin(list(items) + [outcome])]
    item_vals = d[d["question_id"].isin(items)].assign(
        v=lambda f: np.where(f["score"] == "positive", 1.0, np.where(f["score"] == "negative", 0.0, np.nan)))
    wide = item_vals.pivot_table(index="respondent_id", columns="question_id", values="v", aggfunc="first")
    out = d[d["question_id"] == outcome].set_index("respondent_id")["value"].astype(float).rename(outcome)
    return wide.join(out, how="inner")


def relative_weights(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's relative weights: each predictor's share of R-squared (they sum to R-squared)."""
    xs = (x - x.mean(0)) / x.std(0, ddof=1)
    ys = (y - y.mean()) / y.std(ddof=1)
    rxx = np.atleast_2d(np.corrcoef(xs, rowvar=False))  # one predictor: corrcoef gives a scalar
    rxy = np.array([np.corrcoef(xs[:, j], ys)[0, 1] for j in range(xs.shape[1])])
    evals, evecs = np.linalg.eigh(rxx)
    lam = evecs @ np.diag(np.sqrt(np.clip(evals, 0, None))) @ evecs.T
    beta = np.linalg.solve(lam, rxy)
    return (lam ** 2) @ (beta ** 2)


def key_drivers(scored: pd.DataFrame, *, items: Sequence[str], outcome: str = "Q59", n_boot: int = 200,
                random_state: int = 0, confidence: float = 0.95) -> pd.DataFrame:
    """Drivers of ``outcome`` among ``items`` (respondents with every item answered).

    Columns: ``question_id, n, r`` (Pearson correlation with the outcome), ``weight`` (relative
    weight), ``share`` (of R-squared), ``ci_low``/``ci_high`` (bootstrap percentile interval of
    the share), ``performance`` (% positive), ``quadrant`` and ``r2`` (of the full model).
    """
    m = respondent_matrix(scored, items, outcome).dropna()
    items = [i for i in items if i in m.columns and m[i].std() > 0]
    if not items or len(m) < len(items) + 2 or m[outcome].std() == 0:  # nothing to explain, or too few people
        return pd.DataFrame(columns=["question_id", "n", "r", "weight", "share", "ci_low", "ci_high",
                                     "performance", "r2", "quadrant"])
    x, y = m[items].to_numpy(), m[outcome].to_numpy()
    w = relative_weights(x, y)
    rng = np.random.default_rng(random_state)
    boots = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(y), len(y))
        xb = x[idx]
        if np.any(xb.std(0) == 0) or y[idx].std() == 0:  # a resample with nothing to explain
            continue
        boots.append(relative_weights(xb, y[idx]))
    boots = np.array(boots).reshape(-1, len(items))
    boots = boots[boots.sum(axis=1) > 0]
    shares = boots / boots.sum(axis=1, keepdims=True) if len(boots) else np.full((1, len(items)), np.nan)
    alpha = (1 - confidence) / 2
    perf = m[items].mean().to_numpy()
    out = pd.DataFrame({
        "question_id": items, "n": len(m), "r": [np.corrcoef(x[:, j], y)[0, 1] for j in range(len(items))],
        "weight": w, "share": w / w.sum(), "ci_low": np.quantile(shares, alpha, axis=0),
        "ci_high": np.quantile(shares, 1 - alpha, axis=0), "performance": perf, "r2": w.sum(),
    })
    hi_imp = out["share"] >= out["share"].median()
    hi_perf = out["performance"] >= out["performance"].median()
    out["quadrant"] = np.select([hi_imp & ~hi_perf, hi_imp & hi_perf, ~hi_imp & ~hi_perf],
                                ["priority: important, under-performing", "strength: keep it up",
                                 "secondary: low importance, under-performing"], "possible over-investment")
    return out.sort_values("share", ascending=False).reset_index(drop=True)
