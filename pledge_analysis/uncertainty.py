"""How sure are the priorities? Bootstrap rank intervals and a weight-sensitivity table.

:func:`rank_intervals` resamples *respondents* (survey respondents and focus-group speakers,
with all their comments and answers) with replacement, recomputes themes, survey scores and
priorities, and reports each theme's rank interval and how often it lands in the top ``k``.

:func:`weight_sensitivity` re-ranks under other defensible weightings (each component dropped,
each doubled, all equal) and marks the priorities that stay in the top ``k`` under every one.

Every ranking here is :func:`pledge_analysis.prioritise.score_components`'s: equal scores are
ranked by theme id, so a resample or a weighting that makes two themes tie ranks them the same
way every time.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .coding.themes import summarise_themes
from .prioritise import COMPONENTS, DEFAULT_WEIGHTS, score_components


def _replicate(frame: pd.DataFrame, weights: pd.Series, key: Sequence[str]) -> pd.DataFrame:
    """Repeat each row by its respondent's bootstrap weight; suffix ids so that copies stay distinct."""
    w = frame["respondent_id"].map(weights).fillna(0).astype(int).to_numpy()
    rep = frame.loc[frame.index.repeat(w)].copy()
    copy = rep.groupby(list(key), sort=False).cumcount().astype(str)
    rep["segment_id"] = rep["segment_id"].astype(str) + "#" + copy.values
    return rep


def rank_intervals(segments: pd.DataFrame, units: pd.DataFrame, codebook: pd.DataFrame,
                   scored: pd.DataFrame | None = None, questions: pd.DataFrame | None = None,
                   national: pd.DataFrame | None = None, drivers: pd.DataFrame | None = None, *,
                   n_boot: int = 100, top: int = 3, scope_types: Sequence[str] = ("all", "group"),
                   weights: Mapping[str, float] | None = None, random_state: int = 0,
                   confidence: float = 0.95, progress: bool = False) -> pd.DataFrame:
    """Bootstrap over respondents: columns ``scope_type, scope, theme, rank, rank_low, rank_high,
    p_top`` (share of resamples with the theme in the top ``top``) and ``n_boot``."""
    from .survey import compare_to_benchmark, score_questions

    rng = np.random.default_rng(random_state)
    participants = segments[segments["role"].fillna("participant") != "facilitator"]
    people = pd.Index(sorted(set(participants["respondent_id"].dropna())
                             | (set(scored["respondent_id"]) if scored is not None else set())))

    def ranks(seg, un, sc) -> pd.DataFrame:
        themes = summarise_themes(seg, un, codebook)
        themes = themes[themes["scope_type"].isin(scope_types)]
        scores = None
        if sc is not None and questions is not None:
            scores = pd.concat([score_questions(sc, questions, by=b) for b in ([], ["group"])], ignore_index=True)
            scores = compare_to_benchmark(scores, questions, national)
        df = score_components(themes, codebook, scores, drivers, weights=weights)
        return df[["scope_type", "scope", "theme", "rank"]]

    point = ranks(participants, units, scored)
    draws = []
    iterator = range(n_boot)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, desc="bootstrap", unit="resample")
    for b in iterator:
        w = pd.Series(rng.multinomial(len(people), np.full(len(people), 1 / len(people))), index=people)
        seg = _replicate(participants, w, ["segment_id"])
        un = _replicate(units, w, ["segment_id", "theme", "start", "end"])
        sc = None
        if scored is not None:
            sw = scored["respondent_id"].map(w).fillna(0).astype(int).to_numpy()
            sc = scored.loc[scored.index.repeat(sw)]
        draws.append(ranks(seg, un, sc).assign(b=b))
    d = pd.concat(draws, ignore_index=True)
    alpha = (1 - confidence) / 2
    summary = d.groupby(["scope_type", "scope", "theme"])["rank"].agg(
        rank_low=lambda r: int(np.floor(np.quantile(r, alpha))), rank_high=lambda r: int(np.ceil(np.quantile(r, 1 - alpha))),
        p_top=lambda r: float(np.mean(r <= top))).reset_index()
    out = point.merge(summary, on=["scope_type", "scope", "theme"], how="left")
    out["n_boot"] = n_boot
    return out.sort_values(["scope_type", "scope", "rank"]).reset_index(drop=True)


def weight_scenarios() -> dict[str, dict[str, float]]:
    """The default weights, each component dropped, each doubled, and all equal."""
    out = {"default": dict(DEFAULT_WEIGHTS), "equal": {c: 1.0 for c in COMPONENTS}}
    for c in COMPONENTS:
        out[f"without {c}"] = dict(DEFAULT_WEIGHTS, **{c: 0.0})
        out[f"{c} x2"] = dict(DEFAULT_WEIGHTS, **{c: 2 * DEFAULT_WEIGHTS[c]})
    return out


def weight_sensitivity(themes: pd.DataFrame, codebook: pd.DataFrame, scores: pd.DataFrame | None = None,
                       drivers: pd.DataFrame | None = None, *, scope: str = "all", top: int = 3,
                       scenarios: Mapping[str, Mapping[str, float]] | None = None) -> pd.DataFrame:
    """Rank of each theme in one scope under each weighting (one column per scenario), with
    ``share_top`` (share of scenarios with the theme in the top ``top``) and ``stable``."""
    scenarios = scenarios or weight_scenarios()
    t = themes[themes["scope"] == scope]
    cols = {}
    for name, w in scenarios.items():
        df = score_components(t, codebook, scores, drivers, weights=w)
        cols[name] = df.set_index("theme")["rank"]
    out = pd.DataFrame(cols)
    out["share_top"] = (out <= top).mean(axis=1)
    out["stable"] = out["share_top"] == 1.0
    return out.sort_values(["default"]).reset_index()
