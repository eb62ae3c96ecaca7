"""Case-mix adjustment (indirect standardisation) and key-driver analysis.

:func:`casemix_adjust` fits one logistic regression per question of "positive" on respondent
characteristics (not on site), sums each site's predicted probabilities to get its *expected*
positives, and reports observed / expected and the indirectly standardised percentage
``overall rate x O / E``, with an interval from the Wilson interval of the observed rate.

:func:`key_drivers` explains the overall rating by the items: Pearson correlations and
Johnson's (2000) relative weights (each item's share of R-squared, which sums to R-squared),
with bootstrap intervals, and importance-performance quadrants. Skipped items are handled by
pairwise deletion (each correlation on the respondents who answered both), not by dropping every
respondent who skipped one item; the sample sizes used are columns of the result.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .. import schema
from ..errors import ConfigError
from .scoring import as_scored, wilson_ci


def _design(frame: pd.DataFrame, covariates: Sequence[str]) -> np.ndarray:
    x = pd.get_dummies(frame[list(covariates)].astype("string").fillna("missing"), drop_first=True, dtype=float)
    return x.to_numpy()


def casemix_adjust(scored: pd.DataFrame, respondents: pd.DataFrame, *, covariates: Sequence[str] = (
        "age_band", "ethnicity", "imd_quintile"), by: str = "site", questions: Sequence[str] | None = None,
        confidence: float = 0.95) -> pd.DataFrame:
    """Observed vs expected positives per ``by`` unit and question, and the adjusted estimate.

    Columns (:data:`pledge_analysis.schema.CASEMIX`, with ``site`` standing for ``<by>``): ``question_id,
    <by>, n, observed, expected, ratio, estimate`` (crude ``observed / n``)``, adjusted, adjusted_low,
    adjusted_high`` (the interval of ``adjusted``: ``ci_low``/``ci_high`` in earlier releases). Nothing to
    adjust (every answer the same) gives an empty table with these columns.
    """
    from sklearn.linear_model import LogisticRegression

    scored = as_scored(scored)
    d = scored[scored["scored_as"].isin(["positive", "negative"])]
    if questions is not None:
        d = d[d["question_id"].isin(questions)]
    if by not in d.columns:
        schema.require_columns(d, [by], table="the scored answers (by=)")
    cols = ["respondent_id"] + [c for c in covariates if c not in d.columns]
    schema.require_columns(respondents, cols, table="the respondents table (case-mix covariates)")
    d = d.merge(respondents[cols].drop_duplicates("respondent_id"), on="respondent_id", how="left")
    rows = []
    for qid, q in d.groupby("question_id"):
        y = (q["scored_as"] == "positive").to_numpy(dtype=int)
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
                         "adjusted_low": float(min(1, lo * scale)), "adjusted_high": float(min(1, hi * scale))})
    cols = [by if c == "site" else c for c in schema.CASEMIX]
    return pd.DataFrame(rows, columns=cols)


def respondent_matrix(scored: pd.DataFrame, items: Sequence[str], outcome: str) -> pd.DataFrame:
    """One row per respondent: items as 1 (positive) / 0 (negative) / NaN, and the outcome rating."""
    scored = as_scored(scored)
    d = scored[scored["question_id"].isin(list(items) + [outcome])]
    item_vals = d[d["question_id"].isin(items)].assign(
        v=lambda f: np.where(f["scored_as"] == "positive", 1.0, np.where(f["scored_as"] == "negative", 0.0, np.nan)))
    wide = item_vals.pivot_table(index="respondent_id", columns="question_id", values="v", aggfunc="first")
    out = d[d["question_id"] == outcome].set_index("respondent_id")["value"].astype(float).rename(outcome)
    return wide.join(out, how="inner")


MISSING = ("pairwise", "complete")
DRIVER_COLUMNS = list(schema.DRIVERS)


def pairwise_correlations(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pearson correlations of the columns of ``z`` (NaN = missing), each pair on the rows where both are
    present (pairwise deletion, as ``pandas.DataFrame.corr``), and the number of those rows per pair.

    A pair with fewer than 2 shared rows, or constant on them, has correlation NaN.
    """
    seen = ~np.isnan(z)
    m = seen.astype(float)
    z0 = np.where(seen, z, 0.0)
    n = m.T @ m  # n[j, k]: rows with both j and k
    s1 = z0.T @ m  # s1[j, k]: sum of z_j over rows with both
    s2 = (z0 ** 2).T @ m
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = z0.T @ z0 - s1 * s1.T / n
        var_j, var_k = s2 - s1 ** 2 / n, (s2 - s1 ** 2 / n).T
        flat = (var_j <= 1e-12 * np.abs(s2)) | (var_k <= 1e-12 * np.abs(s2.T)) | (n < 2)
        r = np.where(flat, np.nan, cov / np.sqrt(var_j * var_k))
    np.fill_diagonal(r, np.where(np.isnan(np.diag(r)), np.nan, 1.0))
    return np.clip(r, -1, 1), n.astype(int)


def weights_from_correlations(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights from the predictors' correlation matrix and their correlations
    with the outcome. A pairwise matrix may be slightly indefinite: negative eigenvalues count as 0 and the
    system is then solved by pseudo-inverse."""
    rxx = np.atleast_2d(rxx)
    evals, evecs = np.linalg.eigh(rxx)
    lam = evecs @ np.diag(np.sqrt(np.clip(evals, 0, None))) @ evecs.T
    if evals.min() > 1e-10:
        beta = np.linalg.solve(lam, rxy)
    else:
        beta = np.linalg.pinv(lam) @ rxy
    return (lam ** 2) @ (beta ** 2)


def relative_weights(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's relative weights: each predictor's share of R-squared (they sum to R-squared)."""
    r = np.atleast_2d(np.corrcoef(np.column_stack([x, y]), rowvar=False))
    return weights_from_correlations(r[:-1, :-1], r[:-1, -1])


def _estimable(z: np.ndarray, items: list[str]) -> list[str]:
    """Items left once those without a defined correlation (never answered with another item or with the
    outcome, or constant where they were) are removed, worst first."""
    items = list(items)
    while items:
        r, _ = pairwise_correlations(z)  # items' columns, then the outcome's
        bad = np.isnan(r).sum(axis=0)[:-1]
        if not bad.any():
            return items
        worst = int(np.argmax(bad))
        items.pop(worst)
        z = np.delete(z, worst, axis=1)
    return items


def key_drivers(scored: pd.DataFrame, *, items: Sequence[str], outcome: str = "Q59", n_boot: int = 200,
                random_state: int = 0, confidence: float = 0.95, missing: str = "pairwise") -> pd.DataFrame:
    """Drivers of ``outcome`` among ``items``: Johnson's relative weights with bootstrap intervals.

    Missing items (a respondent who skipped a question, or was routed past it) are handled by
    ``missing="pairwise"`` (default): every correlation, item-item and item-outcome, uses the respondents who
    answered both, and the relative weights are computed from that correlation matrix, so nobody is dropped
    for skipping one item. With no missing answers this is exactly the complete-case result.
    ``missing="complete"`` keeps only respondents who answered every item (listwise deletion).
    Respondents without the outcome are never used. Items answered the same way by everyone, or without a
    defined correlation with the others, are left out (no row). Bootstrap resamples respondents.

    Columns (:data:`DRIVER_COLUMNS`): ``question_id``; ``n`` respondents who answered this item and the
    outcome (the sample behind ``r``); ``r`` Pearson correlation with the outcome; ``weight`` relative
    weight; ``share`` of R-squared; ``share_low``/``share_high`` bootstrap percentile interval of the share
    (``ci_low``/``ci_high`` in earlier releases);
    ``performance`` % positive (fraction) among the respondents used; ``r2`` of the full model;
    ``quadrant``; ``n_respondents`` respondents used (outcome and at least one item answered);
    ``n_complete`` of them who answered every item; ``missing`` the method.
    """
    if missing not in MISSING:
        raise ConfigError(f"key_drivers: missing must be one of {list(MISSING)}, not {missing!r}")
    m = respondent_matrix(scored, items, outcome)
    if missing == "complete":
        m = m.dropna()
    items = [i for i in items if i in m.columns and m[i].std() > 0]
    items = _estimable(m[items + [outcome]].to_numpy(dtype=float), items) if items else []
    m = m[m[items].notna().any(axis=1)] if items else m.iloc[:0]
    z = m[items + [outcome]].to_numpy(dtype=float)
    r, pairs = pairwise_correlations(z) if len(m) else (None, np.zeros((1, 1), dtype=int))
    if not items or pairs.min() < len(items) + 2 or m[outcome].std() == 0:  # nothing to explain, or too few
        return pd.DataFrame(columns=DRIVER_COLUMNS)
    w = weights_from_correlations(r[:-1, :-1], r[:-1, -1])
    rng = np.random.default_rng(random_state)
    boots = []
    for _ in range(n_boot):
        rb, _ = pairwise_correlations(z[rng.integers(0, len(z), len(z))])
        if np.isnan(rb).any():  # a resample with nothing to explain
            continue
        boots.append(weights_from_correlations(rb[:-1, :-1], rb[:-1, -1]))
    boots = np.array(boots).reshape(-1, len(items))
    boots = boots[boots.sum(axis=1) > 0]
    shares = boots / boots.sum(axis=1, keepdims=True) if len(boots) else np.full((1, len(items)), np.nan)
    alpha = (1 - confidence) / 2
    out = pd.DataFrame({
        "question_id": items, "n": pairs[:-1, -1], "r": r[:-1, -1],
        "weight": w, "share": w / w.sum(), "share_low": np.quantile(shares, alpha, axis=0),
        "share_high": np.quantile(shares, 1 - alpha, axis=0), "performance": m[items].mean().to_numpy(),
        "r2": w.sum(),
    })
    hi_imp = out["share"] >= out["share"].median()
    hi_perf = out["performance"] >= out["performance"].median()
    out["quadrant"] = np.select([hi_imp & ~hi_perf, hi_imp & hi_perf, ~hi_imp & ~hi_perf],
                                ["priority: important, under-performing", "strength: keep it up",
                                 "secondary: low importance, under-performing"], "possible over-investment")
    out["n_respondents"] = len(m)
    out["n_complete"] = int(m[items].notna().all(axis=1).sum())
    out["missing"] = missing
    return out.sort_values("share", ascending=False).reset_index(drop=True)[DRIVER_COLUMNS]
