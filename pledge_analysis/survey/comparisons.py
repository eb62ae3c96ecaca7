"""Comparing proportions between groups and sites, with explicit multiple-comparison control.

:func:`two_proportions` gives the difference with a Newcombe (hybrid Wilson score) interval,
the pooled two-proportion z test and Cohen's h. :func:`compare` runs it for every question
and pair of groups (or sites) in long scored data and adjusts p-values by Holm (family-wise
error) or Benjamini-Hochberg (false discovery rate), named in the ``p_adj_method`` column.
A pair in which either cell has fewer than ``min_n`` respondents (the suppression rule of
:mod:`pledge_analysis.survey.suppression`) is listed with its sizes and ``suppressed`` true but
not tested: no estimates, no p-value, and it is not counted in the multiplicity family.
"""
from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .. import schema
from .scoring import as_scored, wilson_ci
from .suppression import MIN_N, is_suppressed


def two_proportions(k1, n1, k2, n2, *, confidence: float = 0.95) -> dict:
    """Difference ``estimate = p1 - p2`` with Newcombe's interval, z-test p-value and Cohen's h.

    Returns ``{"estimate", "ci_low", "ci_high", "z", "p_val", "effect_size"}`` (the key was ``diff``
    in earlier releases). A missing count (NaN: a suppressed cell) gives NaN for each; a group without
    respondents, or with more positives than respondents, raises :class:`~pledge_analysis.errors.InputError`.

    >>> r = two_proportions(56, 70, 48, 80)
    >>> round(r["estimate"], 4), round(r["ci_low"], 4), round(r["ci_high"], 4)
    (0.2, 0.0524, 0.3339)
    """
    if any(pd.isna(v) for v in (k1, n1, k2, n2)):  # a missing count (a suppressed cell): no result, not a test
        return dict.fromkeys(("estimate", "ci_low", "ci_high", "z", "p_val", "effect_size"), float("nan"))
    for k, n, which in ((k1, n1, "first"), (k2, n2, "second")):
        if not (np.isfinite(k) and np.isfinite(n) and n >= 1 and 0 <= k <= n):
            from ..errors import InputError

            raise InputError(f"two_proportions: the {which} group has {k!r} positive out of {n!r}",
                             hint="Each group needs at least one respondent and 0 <= positives <= respondents "
                                  "(compare() leaves suppressed cells untested).")
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_ci(k1, n1, confidence)
    l2, u2 = wilson_ci(k2, n2, confidence)
    d = p1 - p2
    low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    pooled = (k1 + k2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = d / se if se > 0 else 0.0
    p_val = 2 * stats.norm.sf(abs(z)) if se > 0 else 1.0
    h = 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))
    return {"estimate": float(d), "ci_low": float(low), "ci_high": float(high), "z": float(z), "p_val": float(p_val),
            "effect_size": float(h)}


def holm(p: Sequence[float]) -> np.ndarray:
    """Holm step-down adjusted p-values (as ``statsmodels`` ``multipletests(method="holm")``)."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adj, 1)
    return out


def benjamini_hochberg(p: Sequence[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (as ``multipletests(method="fdr_bh")``)."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p)[::-1]
    ranks = m - np.arange(m)
    adj = np.minimum.accumulate(p[order] * m / ranks)
    out = np.empty(m)
    out[order] = np.minimum(adj, 1)
    return out


ADJUST = {"holm": holm, "fdr_bh": benjamini_hochberg}


def compare(scored: pd.DataFrame, *, by: str = "group", pairs: Sequence[tuple[str, str]] | None = None,
            questions: Sequence[str] | None = None, adjust: str = "holm", confidence: float = 0.95,
            min_n: int = MIN_N) -> pd.DataFrame:
    """Compare % positive between levels of ``by`` for each question (scored long data).

    Columns (:data:`pledge_analysis.schema.COMPARISONS`): ``question_id, a, b, n_a, n_b, estimate_a,
    estimate_b, estimate`` (the difference ``estimate_a - estimate_b``; ``diff`` in earlier releases)``,
    ci_low, ci_high, z, p_val, effect_size`` (Cohen's h)``, p_adj, p_adj_method, suppressed``.
    ``adjust`` is ``"holm"`` or ``"fdr_bh"``. Pairs with a cell below ``min_n`` respondents have
    ``suppressed`` true and empty statistics; the adjustment runs over the tested pairs only. No
    pair to compare gives an empty table with these columns. A level named in ``pairs`` that answered no
    scored question (a typo) raises :class:`~pledge_analysis.errors.InputError`, not an empty table; one
    missing from a single question only leaves that question's pair out.
    """
    if adjust not in ADJUST:
        from ..errors import ConfigError

        raise ConfigError(f"adjust must be one of {sorted(ADJUST)}, not {adjust!r}.")
    scored = as_scored(scored)
    d = scored[scored["scored_as"].isin(["positive", "negative"])]
    if questions is not None:
        d = d[d["question_id"].isin(questions)]
    counts = d.groupby(["question_id", by])["scored_as"].agg(n="size", k=lambda s: int((s == "positive").sum()))
    if pairs:
        known = set(counts.index.get_level_values(1)) if len(counts) else set()
        unknown = sorted({str(x) for pair in pairs for x in pair if x not in known})
        if unknown:
            from ..errors import InputError

            raise InputError(f"compare: {by} {unknown} named in pairs= answered no scored question "
                             f"({by}s with answers: {sorted(map(str, known))})",
                             hint=f"Check the spelling of the {by}s in pairs=.")
    rows = []
    for qid, sub in counts.groupby(level=0):
        sub = sub.droplevel(0)
        levels = list(sub.index)
        for a, b in (pairs or list(combinations(sorted(levels), 2))):
            if a not in sub.index or b not in sub.index:
                continue
            if is_suppressed(sub.at[a, "n"], min_n) or is_suppressed(sub.at[b, "n"], min_n):
                rows.append({"question_id": qid, "a": a, "b": b, "n_a": int(sub.at[a, "n"]),
                             "n_b": int(sub.at[b, "n"]), "suppressed": True})
                continue
            r = two_proportions(sub.at[a, "k"], sub.at[a, "n"], sub.at[b, "k"], sub.at[b, "n"], confidence=confidence)
            rows.append({"question_id": qid, "a": a, "b": b, "n_a": int(sub.at[a, "n"]), "n_b": int(sub.at[b, "n"]),
                         "estimate_a": sub.at[a, "k"] / sub.at[a, "n"], "estimate_b": sub.at[b, "k"] / sub.at[b, "n"],
                         **r, "suppressed": False})
    cols = [c for c in schema.COMPARISONS if c not in ("p_adj", "p_adj_method")]
    out = pd.DataFrame(rows, columns=cols)
    tested = ~out["suppressed"].astype(bool)
    out["p_adj"] = np.nan
    if tested.any():
        out.loc[tested, "p_adj"] = ADJUST[adjust](out.loc[tested, "p_val"].to_numpy(dtype=float))
    out["p_adj_method"] = adjust
    return schema.conform(out, "comparisons")
