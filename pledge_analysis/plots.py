"""Plots: pure functions from tidy tables to plotly figures (the notebook or report shows them)."""
from __future__ import annotations

import pandas as pd


def priority_bars(priorities: pd.DataFrame, *, scope: str = "all", top: int = 10):
    """Ranked priorities in one scope, each bar split into its weighted components."""
    import plotly.graph_objects as go

    from .prioritise import COMPONENTS

    p = priorities[priorities["scope"] == scope].nsmallest(top, "rank").iloc[::-1]
    fig = go.Figure()
    colours = {"prevalence": "#005EB8", "negativity": "#DA291C", "survey_gap": "#FFB81C"}
    for comp in COMPONENTS:
        fig.add_bar(y=p["name"], x=p[f"{comp}_norm"] / len(COMPONENTS), name=comp.replace("_", " "),
                    orientation="h", marker_color=colours[comp],
                    hovertext=p["reason"], hoverinfo="text+name")
    fig.update_layout(barmode="stack", title=f"Priorities ({scope})", xaxis_title="score (equal weights)",
                      height=120 + 32 * len(p), margin=dict(l=10, r=10, t=50, b=40), legend_orientation="h")
    return fig


def theme_heatmap(themes: pd.DataFrame, *, scope_type: str = "group", value: str = "negativity"):
    """Themes x scopes (groups or sites) heatmap of a themes column (default: negativity)."""
    import plotly.graph_objects as go

    t = themes[(themes["scope_type"] == scope_type) & (themes["n_segments"] > 0)]
    m = t.pivot_table(index="name", columns="scope", values=value, aggfunc="first")
    fig = go.Figure(go.Heatmap(z=m.values, x=list(m.columns), y=list(m.index), colorscale="Reds",
                               zmin=0, zmax=1 if value in ("negativity", "prevalence") else None,
                               hovertemplate="%{y} / %{x}: %{z:.0%}<extra></extra>"))
    fig.update_layout(title=f"{value.title()} by theme and {scope_type}", height=120 + 26 * len(m),
                      margin=dict(l=10, r=10, t=50, b=40))
    return fig


def survey_forest(scores: pd.DataFrame, *, site: str = "all", group: str = "all", questions: pd.DataFrame | None = None):
    """Dot-and-interval plot of percentage positive per question, with the benchmark if present."""
    import plotly.graph_objects as go

    s = scores[(scores["site"] == site) & (scores["group"] == group) & (scores["kind"] == "proportion")]
    labels = s["question_id"]
    fig = go.Figure()
    fig.add_scatter(x=100 * s["estimate"], y=labels, mode="markers", name="% positive",
                    error_x=dict(type="data", symmetric=False, array=100 * (s["ci_high"] - s["estimate"]),
                                 arrayminus=100 * (s["estimate"] - s["ci_low"])), marker_color="#005EB8")
    if "benchmark" in s.columns:
        fig.add_scatter(x=100 * s["benchmark"], y=labels, mode="markers", name="benchmark",
                        marker=dict(symbol="line-ns-open", size=14, color="#DA291C"))
    fig.update_layout(title=f"Survey: % positive with 95% Wilson intervals ({site}, {group})",
                      xaxis_title="% positive", height=140 + 24 * len(s), margin=dict(l=10, r=10, t=50, b=40))
    return fig
