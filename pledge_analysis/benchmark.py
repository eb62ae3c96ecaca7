"""Learning across hospitals: the sites x themes picture, a library of goals, and buddy pairing.

:func:`site_theme_matrix` puts every site's priority score, rank, comment negativity and survey
score for each theme side by side (with its region / Cancer Alliance); :func:`alliance_rollup`
aggregates it. :func:`goal_library` collects goals achieved elsewhere so that
:func:`suggest_actions` can offer "we plan to" ideas for a theme.

:func:`buddy_pairs` pairs each service's weakest themes with a service that is strong on that
theme, as an optimal assignment (Hungarian algorithm, scipy's ``linear_sum_assignment``):
each strong service mentors at most ``capacity`` others, nobody mentors itself, and a buddy in
the same region is preferred by ``region_bonus``. Strength on a theme combines the survey
position (mean funnel z-score of the theme's items against the benchmark) and comment
negativity (standardised across sites, lower is better).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from .survey.funnel import funnel


def _site_scores(scores: pd.DataFrame) -> pd.DataFrame:
    return scores[(scores["group"] == "all") & (scores["site"] != "all") & (scores["kind"] == "proportion")]


def site_theme_matrix(priorities: pd.DataFrame, themes: pd.DataFrame, codebook: pd.DataFrame,
                      scores: pd.DataFrame | None, sites: Mapping[str, Mapping[str, str]] | None = None) -> pd.DataFrame:
    """Long table ``site, alliance, theme, name, rank, score, negativity, survey_estimate, survey_z``."""
    items = dict(zip(codebook["code_id"], codebook["survey_items"]))
    pr = priorities[priorities["scope_type"] == "site"][["scope", "theme", "name", "rank", "score"]]
    th = themes[themes["scope_type"] == "site"][["scope", "theme", "negativity", "n_segments"]]
    m = pr.merge(th, on=["scope", "theme"], how="left").rename(columns={"scope": "site"})
    est, zs = [], []
    z_table = survey_z(scores) if scores is not None and len(scores) else None
    for site, theme in zip(m["site"], m["theme"]):
        qs = items.get(theme) or []
        if z_table is None or not qs:
            est.append(np.nan)
            zs.append(np.nan)
            continue
        z = z_table[(z_table["site"] == site) & z_table["question_id"].isin(qs)]
        est.append(z["estimate"].mean() if len(z) else np.nan)
        zs.append(z["z"].mean() if len(z) else np.nan)
    m["survey_estimate"], m["survey_z"] = est, zs
    m["alliance"] = m["site"].map(lambda s: (sites or {}).get(s, {}).get("alliance", "") if sites else "")
    return m[["site", "alliance", "theme", "name", "rank", "score", "negativity", "n_segments",
              "survey_estimate", "survey_z"]].sort_values(["site", "rank"]).reset_index(drop=True)


def survey_z(scores: pd.DataFrame) -> pd.DataFrame:
    """Funnel z-score of every site on every question (target: the benchmark where known)."""
    out = []
    for q, g in _site_scores(scores).groupby("question_id"):
        target = g["benchmark"].dropna().iloc[0] if "benchmark" in g.columns and g["benchmark"].notna().any() else None
        if target is not None and not 0 < target < 1:
            target = None
        out.append(funnel(g, target=target)[["site", "question_id", "n", "estimate", "z", "flag"]])
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["site", "question_id", "z"])


def alliance_rollup(matrix: pd.DataFrame) -> pd.DataFrame:
    """Mean priority score and survey estimate per alliance and theme (weighted by comments)."""
    def agg(g):
        w = g["n_segments"].fillna(0)
        return pd.Series({"sites": g["site"].nunique(), "mean_score": np.average(g["score"], weights=w) if w.sum() else np.nan,
                          "negativity": np.average(g["negativity"], weights=w) if w.sum() else np.nan,
                          "survey_estimate": g["survey_estimate"].mean()})
    return matrix.groupby(["alliance", "theme"]).apply(agg, include_groups=False).reset_index()


def goal_library(plans: pd.DataFrame) -> pd.DataFrame:
    """Achieved goals from many sites' plans (a ``site`` column is required) by theme."""
    done = plans[plans["status"] == "achieved"]
    return done[["site", "theme", "you_said", "we_plan_to", "by"]].sort_values(["theme", "site"]).reset_index(drop=True)


def suggest_actions(theme: str, library: pd.DataFrame, *, exclude_site: str | None = None, n: int = 5) -> pd.DataFrame:
    """"We plan to" ideas for ``theme`` from goals other services achieved."""
    lib = library[(library["theme"] == theme) & (library["site"] != exclude_site)]
    return lib.head(n).reset_index(drop=True)


def theme_strength(matrix: pd.DataFrame) -> pd.Series:
    """Strength of each (site, theme): survey z plus standardised low negativity (higher = stronger)."""
    m = matrix.copy()
    neg_z = m.groupby("theme")["negativity"].transform(lambda s: (s - s.mean()) / (s.std(ddof=0) or 1))
    survey = m["survey_z"].fillna(0)
    strength = np.where(m["survey_z"].notna(), (survey - neg_z) / 2, -neg_z)
    return pd.Series(strength, index=pd.MultiIndex.from_frame(m[["site", "theme"]]), name="strength")


def buddy_pairs(matrix: pd.DataFrame, *, weakest: int = 2, capacity: int = 2, region_bonus: float = 0.5,
                min_strength: float = 0.0) -> pd.DataFrame:
    """Pair each site's ``weakest`` top-priority themes with a strong buddy site (optimal assignment).

    Columns: ``site, theme, name, buddy, same_region, buddy_strength, site_strength, reason``.
    A need is left unpaired (``buddy`` empty) when no other site is stronger than ``min_strength``.
    """
    from scipy.optimize import linear_sum_assignment

    strength = theme_strength(matrix)
    alliance = dict(zip(matrix["site"], matrix["alliance"]))
    names = dict(zip(matrix["theme"], matrix["name"]))
    needs = matrix[matrix["rank"] <= weakest][["site", "theme"]].to_records(index=False).tolist()
    mentors = sorted(matrix["site"].unique())
    slots = [m for m in mentors for _ in range(capacity)]
    big = 1e6
    cost = np.full((len(needs), len(slots)), big)
    for i, (site, theme) in enumerate(needs):
        for j, mentor in enumerate(slots):
            s = strength.get((mentor, theme), np.nan)
            if mentor == site or np.isnan(s) or s <= min_strength or s <= strength.get((site, theme), -np.inf):
                continue
            bonus = region_bonus if alliance.get(mentor) == alliance.get(site) and alliance.get(site) else 0.0
            cost[i, j] = -(s + bonus)
    rows_i, cols_j = linear_sum_assignment(cost)
    assigned = {i: slots[j] for i, j in zip(rows_i, cols_j) if cost[i, j] < big}
    out = []
    for i, (site, theme) in enumerate(needs):
        buddy = assigned.get(i, "")
        bs, ss = strength.get((buddy, theme), np.nan), strength.get((site, theme), np.nan)
        same = bool(buddy) and alliance.get(buddy) == alliance.get(site)
        reason = (f"{buddy} is strong on {names.get(theme, theme).lower()} (strength {bs:+.2f} vs {ss:+.2f} at {site})"
                  + ("; same region" if same else "; other region: no stronger service nearby with capacity")
                  if buddy else "no other service is clearly stronger on this theme")
        out.append({"site": site, "theme": theme, "name": names.get(theme, theme), "buddy": buddy,
                    "same_region": same, "buddy_strength": bs, "site_strength": ss, "reason": reason})
    return pd.DataFrame(out)
