"""Prioritised improvement areas: comments and survey evidence combined, per theme and scope.

For every scope (everyone; each group, so that secondary breast cancer patients are never
averaged away; each site) and theme, three components, each a column:

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

Each is divided by its maximum within the scope (``*_norm``, 0..1). ``score`` is the weighted
mean of the normalised components (default weights equal: no component is privileged without
a reason), ``rank`` orders themes within a scope, and ``reason`` says why in plain English.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from . import schema

DEFAULT_WEIGHTS = {"prevalence": 1 / 3, "negativity": 1 / 3, "survey_gap": 1 / 3}
COMPONENTS = tuple(DEFAULT_WEIGHTS)


def _scope_scores(scores: pd.DataFrame, scope_type: str, scope: str) -> pd.DataFrame:
    if scope_type == "all":
        return scores[(scores["site"] == "all") & (scores["group"] == "all")]
    if scope_type == "group":
        return scores[(scores["site"] == "all") & (scores["group"] == scope)]
    return scores[(scores["site"] == scope) & (scores["group"] == "all")]


def survey_gaps(themes: pd.DataFrame, codebook: pd.DataFrame, scores: pd.DataFrame | None) -> pd.Series:
    """Mean shortfall below benchmark of each theme's survey items, per row of ``themes``."""
    items = dict(zip(codebook["code_id"], codebook["survey_items"]))
    out = []
    for scope_type, scope, theme in zip(themes["scope_type"], themes["scope"], themes["theme"]):
        qs = items.get(theme) or []
        if scores is None or not qs:
            out.append(np.nan)
            continue
        s = _scope_scores(scores, scope_type, scope)
        s = s[s["question_id"].isin(qs) & ~s["suppressed"].astype(bool) & s["gap"].notna()]
        out.append(float(np.clip(s["gap"], 0, None).mean()) if len(s) else np.nan)
    return pd.Series(out, index=themes.index, dtype=float)


def _quotes(units: pd.DataFrame, scope_type: str, scope: str, theme: str, n: int) -> list[str]:
    u = units[(units["theme"] == theme) & (units["sentiment"] == "negative")]
    if scope_type != "all":
        u = u[u[scope_type] == scope]
    u = u.sort_values(["score", "segment_id"])
    picked, seen = [], set()
    diversity = "source_id" if scope_type == "site" else "site"
    for _pass in (0, 1):  # first from different sites/sources, then fill up
        for rec in u.itertuples(index=False):
            if len(picked) >= n:
                break
            key = getattr(rec, diversity)
            text = str(rec.text).strip()
            if text.lower() in {p[0].lower() for p in picked} or (_pass == 0 and key in seen) or len(text) < 12:
                continue
            seen.add(key)
            who = rec.group + (f", {rec.site}" if scope_type != "site" else f", {rec.source_type.replace('_', ' ')}")
            picked.append((text, f"“{text}” ({who})"))
    return [p[1] for p in picked]


def _reason(r) -> str:
    parts = [f"raised in {r.prevalence:.0%} of comments ({r.n_segments} comments, {r.n_respondents} people)"]
    parts.append(f"{r.negativity_raw:.0%} of them negative")
    if pd.notna(r.survey_gap):
        parts.append(f"its survey items are {100 * r.survey_gap:.0f} points below benchmark on average"
                     if r.survey_gap > 0.005 else "its survey items meet their benchmark")
    else:
        parts.append("no survey items measure it")
    return f"{r.name}: " + "; ".join(parts) + "."


def prioritise(themes: pd.DataFrame, units: pd.DataFrame, codebook: pd.DataFrame,
               scores: pd.DataFrame | None = None, *, weights: Mapping[str, float] | None = None,
               prior_strength: float = 10.0, n_quotes: int = 3) -> pd.DataFrame:
    """Rank improvement areas within each scope (columns :data:`schema.PRIORITIES`).

    Parameters
    ----------
    themes : the table from :func:`pledge_analysis.coding.summarise_themes`.
    units : coded units (:func:`pledge_analysis.coding.coded_units`), for quotes.
    scores : survey scores with ``gap`` (:func:`pledge_analysis.survey.compare_to_benchmark`),
        scored by site and by group as well as overall.
    weights : weights of ``prevalence``, ``negativity`` and ``survey_gap`` (normalised to sum 1).
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
    base = df.groupby(["scope_type", "scope"])[["n_negative", "n_segments"]].transform("sum")
    p0 = (base["n_negative"] / base["n_segments"].replace(0, np.nan)).fillna(0)
    df["negativity"] = (df["n_negative"] + prior_strength * p0) / (df["n_segments"] + prior_strength)
    df["survey_gap"] = survey_gaps(df, codebook, scores)
    for comp in COMPONENTS:
        values = df[comp].fillna(0)
        peak = values.groupby([df["scope_type"], df["scope"]]).transform("max")
        df[f"{comp}_norm"] = (values / peak.replace(0, np.nan)).fillna(0)
    df["score"] = sum(w[c] * df[f"{c}_norm"] for c in COMPONENTS).round(4)
    df = df[df["n_segments"] > 0].sort_values(["scope_type", "scope", "score", "theme"],
                                              ascending=[True, True, False, True])
    df["rank"] = df.groupby(["scope_type", "scope"]).cumcount() + 1
    df["reason"] = [_reason(r) for r in df.itertuples(index=False)]
    df["quotes"] = [" | ".join(_quotes(units, st, sc, th, n_quotes))
                    for st, sc, th in zip(df["scope_type"], df["scope"], df["theme"])]
    order = {"all": 0, "group": 1, "site": 2}
    df = df.sort_values(["scope_type", "scope", "rank"], key=lambda s: s.map(order) if s.name == "scope_type" else s)
    return schema.conform(df.drop(columns=["negativity_raw"]).reset_index(drop=True), "priorities")
