"""Prioritised improvement areas: comments and survey evidence combined, per theme and scope.

For every scope (everyone; each group, so that secondary breast cancer patients are never
averaged away; each site) and theme, five components, each a column:

``prevalence``
    share of participants' comments (segments) in the scope that raise the theme.
``negativity``
    share of those comments that are negative, shrunk towards the scope's overall share with
    ``prior_strength`` pseudo-comments, so that a theme raised twice, both times negatively,
    does not outrank one raised 200 times, 70% negatively.
``survey_gap``
    mean shortfall of the theme's survey items (``survey_items`` in the codebook) below their
    benchmark (the national score where there is one, else all respondents), as a fraction;
    0 when the items meet the benchmark or the theme has no items.
``breadth``
    how widely the theme is raised *as a problem*: the mean of the share of sites and the share
    of groups (within the scope) in which at least 3 of its comments are negative.
``driver``
    how much the theme's survey items drive the overall care rating: the mean share of R-squared
    of its items in :func:`pledge_analysis.survey.key_drivers` (0 without drivers or items).

Each is divided by its maximum within the scope (``*_norm``, 0..1). ``score`` is the weighted
mean of the normalised components. Default weights (:data:`DEFAULT_WEIGHTS`): the three kinds of
direct evidence (how many, how negative, how far below benchmark) weigh equally; breadth and
driver importance are modifiers with half that weight each. ``rank`` orders themes within a
scope by ``score`` (rounded to 4 decimals, so that floating-point noise does not reorder them),
highest first; equal scores are ranked by theme id (the codebook's ``code_id``, alphabetical),
whatever the row order of the input. ``reason`` says why in plain English.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from . import schema

DEFAULT_WEIGHTS = {"prevalence": 0.25, "negativity": 0.25, "survey_gap": 0.25, "breadth": 0.125, "driver": 0.125}
COMPONENTS = tuple(DEFAULT_WEIGHTS)


def scope_scores(scores: pd.DataFrame, scope_type: str, scope: str) -> pd.DataFrame:
    """The rows of a scores table for one scope (everyone, a group or a site)."""
    if scope_type == "all":
        return scores[(scores["site"] == "all") & (scores["group"] == "all")]
    if scope_type == "group":
        return scores[(scores["site"] == "all") & (scores["group"] == scope)]
    return scores[(scores["site"] == scope) & (scores["group"] == "all")]


def _theme_items(scope_scores: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    s = scope_scores[scope_scores["question_id"].isin(items) & ~scope_scores["suppressed"].astype(bool)]
    return s[s["gap"].notna()] if "gap" in s.columns else s.iloc[0:0]


def survey_evidence(themes: pd.DataFrame, codebook: pd.DataFrame, scores: pd.DataFrame | None
                    ) -> tuple[pd.Series, pd.Series]:
    """Per row of ``themes``: the mean shortfall of the theme's items below benchmark, and a
    plain-text summary of those items ("Q10 46% (benchmark 78%); ...")."""
    items = dict(zip(codebook["code_id"], codebook["survey_items"]))
    gaps, texts = [], []
    cache: dict = {}
    for scope_type, scope, theme in zip(themes["scope_type"], themes["scope"], themes["theme"]):
        qs = list(items.get(theme) or [])
        if scores is None or not qs:
            gaps.append(np.nan)
            texts.append("")
            continue
        key = (scope_type, scope)
        if key not in cache:
            cache[key] = scope_scores(scores, scope_type, scope)
        s = _theme_items(cache[key], qs)
        gaps.append(float(np.clip(s["gap"], 0, None).mean()) if len(s) else np.nan)
        texts.append("; ".join(f"{q} {100 * e:.0f}% (benchmark {100 * b:.0f}%)"
                               for q, e, b in zip(s["question_id"], s["estimate"], s["benchmark"])))
    return pd.Series(gaps, index=themes.index, dtype=float), pd.Series(texts, index=themes.index, dtype=object)


def driver_importance(codebook: pd.DataFrame, drivers: pd.DataFrame | None) -> dict[str, float]:
    """Mean share of R-squared of each theme's survey items (from ``key_drivers``)."""
    if drivers is None or drivers.empty:
        return {}
    share = dict(zip(drivers["question_id"], drivers["share"]))
    out = {}
    for code, items in zip(codebook["code_id"], codebook["survey_items"]):
        vals = [share[i] for i in items or [] if i in share]
        if vals:
            out[code] = float(np.mean(vals))
    return out


def _quotes(units: pd.DataFrame, scope_type: str, scope: str, theme: str, n: int) -> list[str]:
    u = units[(units["theme"] == theme) & (units["sentiment"] == "negative")]
    if scope_type != "all":
        u = u[u[scope_type] == scope]
    u = u.sort_values(["score", "segment_id"])
    picked, seen, taken = [], set(), set()
    diversity = "source_id" if scope_type == "site" else "site"
    rows = list(zip(*(u[c].tolist() for c in (diversity, "text", "group", "site", "source_type")))) if len(u) else []
    for _pass in (0, 1):  # first from different sites (or sources), then fill up
        for first, text, group, site, source_type in rows:
            if len(picked) >= n:
                break
            text = str(text).strip()
            if text.lower() in taken or (_pass == 0 and first in seen) or len(text) < 12:
                continue
            seen.add(first)
            taken.add(text.lower())
            who = group + (f", {site}" if scope_type != "site" else f", {source_type.replace('_', ' ')}")
            picked.append(f"“{text}” ({who})")
    return picked


def _reason(r) -> str:
    parts = [f"raised in {r.prevalence:.0%} of comments ({r.n_segments} comments, {r.n_respondents} people)",
             f"{r.negativity_raw:.0%} of them negative"]
    if pd.notna(r.survey_gap):
        parts.append(f"its survey items are {100 * r.survey_gap:.0f} points below benchmark on average"
                     if r.survey_gap > 0.005 else "its survey items meet their benchmark")
    else:
        parts.append("no survey items measure it")
    parts.append(f"raised negatively in {r.n_sites_negative} of {r.n_sites} sites")
    if r.driver > 0:
        parts.append(f"its survey items carry {100 * r.driver:.0f}% each of what explains the overall rating")
    return f"{r.name}: " + "; ".join(parts) + "."


def score_components(themes: pd.DataFrame, codebook: pd.DataFrame, scores: pd.DataFrame | None = None,
                     drivers: pd.DataFrame | None = None, *, weights: Mapping[str, float] | None = None,
                     prior_strength: float = 10.0) -> pd.DataFrame:
    """The components, their normalised forms, ``score`` and ``rank`` (no quotes or reasons).

    The fast core of :func:`prioritise`, also used by the bootstrap and the sensitivity table.
    """
    w = dict(DEFAULT_WEIGHTS, **(weights or {}))
    unknown = set(w) - set(COMPONENTS)
    if unknown:
        from .errors import ConfigError

        raise ConfigError(f"unknown priority weight(s) {sorted(unknown)}; use {list(COMPONENTS)}.")
    total = sum(w.values()) or 1.0
    w = {k: v / total for k, v in w.items()}
    df = themes.copy()
    df["negativity_raw"] = df["negativity"]
    keys = [df["scope_type"], df["scope"]]
    base = df.groupby(["scope_type", "scope"])[["n_negative", "n_segments"]].transform("sum")
    p0 = (base["n_negative"] / base["n_segments"].replace(0, np.nan)).fillna(0)
    df["negativity"] = (df["n_negative"] + prior_strength * p0) / (df["n_segments"] + prior_strength)
    if "survey_gap" not in df.columns:
        df["survey_gap"], df["survey_evidence"] = survey_evidence(df, codebook, scores)
    max_sites = df.groupby(["scope_type", "scope"])["n_sites"].transform("max").replace(0, np.nan)
    max_groups = df.groupby(["scope_type", "scope"])["n_groups"].transform("max").replace(0, np.nan)
    df["breadth"] = ((df["n_sites_negative"] / max_sites).fillna(0)
                     + (df["n_groups_negative"] / max_groups).fillna(0)) / 2
    imp = driver_importance(codebook, drivers)
    df["driver"] = df["theme"].map(imp).fillna(0.0)
    for comp in COMPONENTS:
        values = df[comp].fillna(0)
        peak = values.groupby(keys).transform("max")
        df[f"{comp}_norm"] = (values / peak.replace(0, np.nan)).fillna(0)
    df["score"] = sum(w[c] * df[f"{c}_norm"] for c in COMPONENTS).round(4)
    df = df[df["n_segments"] > 0].sort_values(["scope_type", "scope", "score", "theme"],
                                              ascending=[True, True, False, True])
    df["rank"] = df.groupby(["scope_type", "scope"]).cumcount() + 1
    return df


def prioritise(themes: pd.DataFrame, units: pd.DataFrame, codebook: pd.DataFrame,
               scores: pd.DataFrame | None = None, drivers: pd.DataFrame | None = None, *,
               weights: Mapping[str, float] | None = None, prior_strength: float = 10.0,
               n_quotes: int = 3) -> pd.DataFrame:
    """Rank improvement areas within each scope (columns :data:`schema.PRIORITIES`).

    Parameters
    ----------
    themes : the table from :func:`pledge_analysis.coding.summarise_themes`.
    units : coded units (:func:`pledge_analysis.coding.coded_units`), for quotes.
    scores : survey scores with ``gap`` (:func:`pledge_analysis.survey.compare_to_benchmark`),
        scored by site and by group as well as overall.
    drivers : key drivers of the overall rating (:func:`pledge_analysis.survey.key_drivers`).
    weights : weights of the components (:data:`COMPONENTS`), normalised to sum 1.
    """
    df = score_components(themes, codebook, scores, drivers, weights=weights, prior_strength=prior_strength)
    df["reason"] = [_reason(r) for r in df.itertuples(index=False)]
    # candidate quotes split by theme once (row order kept), not filtered out of every unit for each row
    negative = units[units["sentiment"] == "negative"] if len(units) else units
    by_theme = dict(tuple(negative.groupby("theme", sort=False))) if len(negative) else {}
    df["quotes"] = [" | ".join(_quotes(by_theme.get(th, negative.iloc[:0]), st, sc, th, n_quotes))
                    for st, sc, th in zip(df["scope_type"], df["scope"], df["theme"])]
    order = {"all": 0, "group": 1, "site": 2}
    df = df.sort_values(["scope_type", "scope", "rank"], key=lambda s: s.map(order) if s.name == "scope_type" else s)
    return schema.conform(df.drop(columns=["negativity_raw"]).reset_index(drop=True), "priorities")
