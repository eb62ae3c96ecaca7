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
negativity (standardised across sites, lower is better). Ties between equally good
assignments are broken by a documented rule (see :func:`buddy_pairs`), so that the pairs do
not depend on the row order of the input or on the scipy version.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from . import schema
from .survey.funnels import funnel


def _site_scores(scores: pd.DataFrame) -> pd.DataFrame:
    return scores[(scores["group"] == "all") & (scores["site"] != "all") & (scores["kind"] == "proportion")]


def site_theme_matrix(priorities: pd.DataFrame, themes: pd.DataFrame, codebook: pd.DataFrame,
                      scores: pd.DataFrame | None, sites: Mapping[str, Mapping[str, str]] | None = None) -> pd.DataFrame:
    """Long table (:data:`pledge_analysis.schema.CROSS_SITE`) ``site, alliance, theme, name, rank,
    priority_score, negativity, n_segments, survey_estimate, survey_z``, ordered by site code and rank.
    ``priorities`` saved by an earlier release (``score``) are read with a FutureWarning."""
    items = dict(zip(codebook["code_id"], codebook["survey_items"]))
    priorities = schema.rename_legacy(priorities, "priorities")
    pr = priorities[priorities["scope_type"] == "site"][["scope", "theme", "name", "rank", "priority_score"]]
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
    return m[list(schema.CROSS_SITE)].sort_values(["site", "rank"]).reset_index(drop=True)


def survey_z(scores: pd.DataFrame, *, min_n: int | None = None,
             tau2: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Funnel z-score of every site on every question (target: the benchmark where known).

    Columns ``site, question_id, n, estimate, z, flag, tau2_source``. Suppressed cells (fewer
    than ``min_n`` respondents, or the scores table's ``suppressed`` column when ``min_n`` is not
    given: :func:`pledge_analysis.survey.suppression.suppressed_mask`) are left out, so they
    never feed buddy strength. With a handful of sites the limits are binomial (no
    overdispersion estimated from the sites themselves) unless ``tau2`` gives a between-unit
    variance per question, e.g. from the national distribution of trusts.
    """
    from .survey.suppression import suppressed_mask

    cols = ["site", "question_id", "n", "estimate", "z", "flag", "tau2_source"]
    site = _site_scores(scores)
    site = site[~suppressed_mask(site, min_n)]
    site = site[site["estimate"].notna()]
    out = []
    for q, g in site.groupby("question_id"):
        target = g["benchmark"].dropna().iloc[0] if "benchmark" in g.columns and g["benchmark"].notna().any() else None
        if target is not None and not 0 < target < 1:
            target = None
        out.append(funnel(g, target=target, tau2=(tau2 or {}).get(q))[cols])
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=cols)


def alliance_rollup(matrix: pd.DataFrame) -> pd.DataFrame:
    """Mean priority score and survey estimate per alliance and theme (weighted by comments): ``alliance,
    theme, sites, mean_priority_score`` (``mean_score`` in earlier releases)``, negativity, survey_estimate``."""
    matrix = schema.rename_legacy(matrix, "cross_site")

    def agg(g):
        w = g["n_segments"].fillna(0)
        return pd.Series({"sites": g["site"].nunique(),
                          "mean_priority_score": np.average(g["priority_score"], weights=w) if w.sum() else np.nan,
                          "negativity": np.average(g["negativity"], weights=w) if w.sum() else np.nan,
                          "survey_estimate": g["survey_estimate"].mean()})
    return matrix.groupby(["alliance", "theme"]).apply(agg, include_groups=False).reset_index()


GOAL_ORDER = ["theme", "site", "we_plan_to", "you_said", "by"]


def goal_library(plans: pd.DataFrame) -> pd.DataFrame:
    """Achieved goals from many sites' plans (a ``site`` column is required) by theme.

    Ordered by :data:`GOAL_ORDER` (theme, site code, then the text of the goal), whatever the
    order in which the plans were put together.
    """
    done = plans[plans["status"] == "achieved"]
    cols = ["site", "theme", "you_said", "we_plan_to", "by"]
    return done[cols].sort_values(GOAL_ORDER, kind="mergesort").reset_index(drop=True)


def suggest_actions(theme: str, library: pd.DataFrame, *, exclude_site: str | None = None, n: int = 5) -> pd.DataFrame:
    """"We plan to" ideas for ``theme`` from goals other services achieved: the first ``n`` in
    the library's order (:data:`GOAL_ORDER`)."""
    lib = library[(library["theme"] == theme) & (library["site"] != exclude_site)]
    return lib.head(n).reset_index(drop=True)


def theme_strength(matrix: pd.DataFrame, *, min_comments: int = 10) -> pd.Series:
    """Strength of each (site, theme): the mean of its survey z and its standardised low negativity
    (higher = stronger); NaN when it has neither.

    A negativity resting on fewer than ``min_comments`` comments is no evidence (the priorities' rule,
    ``priorities: min_comments``): one critical comment at a small hospital would otherwise make it the
    weakest service on the theme (-1 on two sites) and a service whose top concern it is its "strong" buddy.
    """
    m = matrix.copy()
    neg = m["negativity"].where(m["n_segments"].fillna(0) >= min_comments)
    neg_z = neg.groupby(m["theme"]).transform(lambda s: (s - s.mean()) / (s.std(ddof=0) or 1))
    strength = pd.concat([m["survey_z"], -neg_z], axis=1).mean(axis=1)  # NaN when both are missing
    return pd.Series(strength.to_numpy(), index=pd.MultiIndex.from_frame(m[["site", "theme"]]), name="strength")


#: Strengths are compared in steps of this size: differences below it (floating-point noise
#: from summation order or library versions) count as ties.
STRENGTH_RESOLUTION = 1e-6


def _solve(cost: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Optimal column of every row and the total cost, or None if no assignment is feasible."""
    from scipy.optimize import linear_sum_assignment

    try:
        rows, cols = linear_sum_assignment(cost)
    except ValueError:  # "cost matrix is infeasible": the forced choices cannot all be met
        return None
    out = np.empty(len(rows), dtype=int)
    out[rows] = cols
    return out, float(cost[rows, cols].sum())


def _canonical_assignment(gain: np.ndarray, capacity: int, need_order: list[int]) -> list[int]:
    """Mentor (column of ``gain``) of each need, or -1 for unpaired: the optimal assignment, with
    ties broken in ``need_order`` by each need's best option (largest gain, then lowest column).

    ``gain`` holds integers (strength in :data:`STRENGTH_RESOLUTION` steps) and NaN where a
    mentor is not allowed. Optimal means the most needs paired, then the largest total gain.
    """
    n_needs, n_mentors = gain.shape
    if n_needs == 0:
        return []
    slot_mentor = np.repeat(np.arange(n_mentors), capacity)
    big = 1.0 + float(np.abs(np.nan_to_num(gain)).max(axis=1, initial=0).sum())  # unpaired: worse than any pairing
    # columns: every mentor's places, then one "unpaired" place per need (always feasible);
    # integer costs keep every total exact in float64, so ties are exact ties
    cost = np.full((n_needs, len(slot_mentor) + n_needs), big)
    cost[:, :len(slot_mentor)] = np.where(np.isnan(gain), np.inf, -gain)[:, slot_mentor]
    column_mentor = np.concatenate([slot_mentor, np.full(n_needs, -1)])
    solution = _solve(cost)
    assert solution is not None
    cols, best = solution
    forced = cost.copy()
    for i in need_order:
        options = sorted((j for j in range(n_mentors) if not np.isnan(gain[i, j])), key=lambda j: (-gain[i, j], j))
        for option in options + [-1]:
            if column_mentor[cols[i]] != option:
                trial = forced.copy()
                trial[i, column_mentor != option] = np.inf
                found = _solve(trial)
                if found is None or found[1] != best:
                    continue
                cols = found[0]
            forced[i, column_mentor != option] = np.inf
            break
    return [int(column_mentor[c]) for c in cols]


def in_sentence(name: str) -> str:
    """A theme's name inside a sentence: its first letter in lower case, unless its first word is an
    abbreviation; the rest as written (a lower-cased "IT / patient portal" read "it / patient portal").

    >>> in_sentence("Coordination of care and IT / patient portal"), in_sentence("IT systems")
    ('coordination of care and IT / patient portal', 'IT systems')
    """
    name = str(name)
    first = name.split(" ", 1)[0]
    if not name or (len(first) > 1 and first.isupper()):
        return name
    return name[0].lower() + name[1:]


def buddy_pairs(matrix: pd.DataFrame, *, weakest: int = 2, capacity: int = 2, region_bonus: float = 0.5,
                min_strength: float = 0.0, min_comments: int = 10) -> pd.DataFrame:
    """Pair each site's ``weakest`` top-priority themes with a strong buddy site (optimal assignment).

    Columns: ``site, theme, name, buddy, same_region, buddy_strength, site_strength, reason``,
    one row per need, ordered by site, rank and theme.
    A need is left unpaired (``buddy`` empty) when no other site is stronger than ``min_strength``
    and than the site itself. Strength is :func:`theme_strength` (``min_comments``: fewer comments on a
    theme at a site are not evidence of its negativity there).

    The assignment pairs as many needs as possible and, among those assignments, maximises the
    total strength of the buddies (plus ``region_bonus`` for each buddy in the same region).
    Strengths are compared in steps of :data:`STRENGTH_RESOLUTION`. When several assignments are
    equally good (two services needing help on the same theme can often swap their buddies),
    the weakest service on the theme chooses first: needs are taken in order of the site's own
    strength on the theme (weakest first; then by site code and rank), and each gets its best
    buddy that still leaves an optimal assignment for the others: the strongest (region bonus
    included), then the alphabetically first site code; unpaired last. The result does not
    depend on the row order of ``matrix`` or on how scipy breaks ties.
    """
    strength = theme_strength(matrix, min_comments=min_comments)
    alliance = dict(zip(matrix["site"], matrix["alliance"]))
    names = dict(zip(matrix["theme"], matrix["name"]))
    step = STRENGTH_RESOLUTION
    level = {k: (np.nan if pd.isna(v) else round(v / step)) for k, v in strength.items()}
    needs = list(matrix[matrix["rank"] <= weakest].sort_values(["site", "rank", "theme"], kind="mergesort")
                 [["site", "theme"]].itertuples(index=False, name=None))
    mentors = sorted(matrix["site"].unique())
    floor, bonus_steps = round(min_strength / step), round(region_bonus / step)
    gain = np.full((len(needs), len(mentors)), np.nan)
    for i, (site, theme) in enumerate(needs):
        own = level.get((site, theme), np.nan)
        for j, mentor in enumerate(mentors):
            s = level.get((mentor, theme), np.nan)
            if mentor == site or np.isnan(s) or s <= floor or (not np.isnan(own) and s <= own):
                continue
            bonus = bonus_steps if alliance.get(mentor) == alliance.get(site) and alliance.get(site) else 0
            gain[i, j] = s + bonus
    order = sorted(range(len(needs)), key=lambda i: (np.isnan(level.get(needs[i], np.nan)),
                                                     np.nan_to_num(level.get(needs[i], np.nan)), needs[i][0], i))
    choice = _canonical_assignment(gain, capacity, order)
    out = []
    for (site, theme), j in zip(needs, choice):
        buddy = mentors[j] if j >= 0 else ""
        bs, ss = strength.get((buddy, theme), np.nan), strength.get((site, theme), np.nan)
        same = bool(buddy) and alliance.get(buddy) == alliance.get(site)
        versus = (f" vs {ss:+.2f} at {site}" if pd.notna(ss)
                  else f"; {site} has no usable evidence on it: too few comments and no survey result")
        reason = (f"{buddy} is strong on {in_sentence(names.get(theme, theme))} (strength {bs:+.2f}{versus})"
                  + ("; same region" if same else "; other region: no stronger service nearby with capacity")
                  if buddy else "no other service is clearly stronger on this theme")
        out.append({"site": site, "theme": theme, "name": names.get(theme, theme), "buddy": buddy,
                    "same_region": same, "buddy_strength": bs, "site_strength": ss, "reason": reason})
    return pd.DataFrame(out, columns=["site", "theme", "name", "buddy", "same_region", "buddy_strength",
                                      "site_strength", "reason"])
