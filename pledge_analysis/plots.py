"""Plots: pure functions from tidy tables to plotly figures (the notebook or report shows them)."""
from __future__ import annotations

import pandas as pd


#: the legend entry that explains a hatched part of a priority bar
STAND_IN_LABEL = "hatched: no usable survey result, the comments stand in"


def priority_bars(priorities: pd.DataFrame, *, scope: str = "all", top: int = 10, weights: dict | None = None):
    """Ranked priorities in one scope, each bar split into its weighted components (they add up to
    the score, printed at the bar's end; a component standing in for missing survey evidence is drawn
    hatched; the legend lists only the components some bar has), with the bootstrap rank interval in the
    label when the table has one. The title names a group in words ("Priorities: Primary breast cancer
    patients", "Priorities: everyone")."""
    import plotly.graph_objects as go

    from .priorities import COMPONENTS, resolve_weights

    w = resolve_weights(weights)
    p = priorities[priorities["scope"] == scope].nsmallest(top, "rank").iloc[::-1]
    labels = p["name"].astype(str)
    # the reason as written for showing; a table of an earlier release (no reason_shown): its reason
    shown = p["reason_shown"] if "reason_shown" in p.columns else pd.Series(None, index=p.index, dtype=object)
    hover = [s if isinstance(s, str) else r for s, r in zip(shown, p["reason"])]
    if "rank_low" in p.columns and p["rank_low"].notna().any():
        labels = labels + ["" if pd.isna(lo) else f" (rank {lo:.0f})" if lo == hi else f" (rank {lo:.0f}-{hi:.0f})"
                           for lo, hi in zip(p["rank_low"], p["rank_high"])]
    used = {}
    for comp in COMPONENTS:
        imputed = p.get(f"{comp}_norm_imputed", pd.Series(float("nan"), index=p.index))
        used[comp] = (p[f"{comp}_norm"].fillna(imputed), p[f"{comp}_norm"].isna() & imputed.notna())
    total = sum(w[c] * used[c][0].notna() for c in COMPONENTS)
    fig = go.Figure()
    colours = {"prevalence": "#005EB8", "negativity": "#DA291C", "survey_gap": "#FFB81C", "breadth": "#768692",
               "driver": "#330072"}
    ends = pd.Series(0.0, index=p.index)
    for comp in COMPONENTS:
        if w[comp] == 0:
            continue
        value, stand_in = used[comp]
        part = (value.fillna(0) * w[comp] / total).round(4)
        ends = ends + part
        # a component no bar has (no survey result in this scope) is not listed in the legend
        fig.add_bar(y=labels, x=part, name=comp.replace("_", " "), showlegend=bool(value.notna().any()),
                    orientation="h", marker_color=colours[comp], marker_pattern_shape=["/" if s else "" for s in stand_in],
                    hovertext=hover, hoverinfo="text+name")
    # each area's score at the end of its bar (the parts add up to it), so the bar reads as a number
    score = p["priority_score"] if "priority_score" in p.columns else ends
    fig.add_scatter(y=labels, x=ends, mode="text", text=[f"{x:.2f}" if pd.notna(x) else "" for x in score],
                    textposition="middle right", textfont=dict(size=11, color="#212B32"), showlegend=False,
                    hoverinfo="skip", cliponaxis=False)
    if any(used[c][1].any() for c in COMPONENTS if w[c]):  # say what the hatching means
        fig.add_bar(y=[None], x=[None], name=STAND_IN_LABEL, orientation="h", marker_color="#ffffff",
                    marker_line_color="#425563", marker_line_width=1, marker_pattern_shape="/",
                    marker_pattern_fgcolor="#425563", hoverinfo="skip")
    # the 0.5 line's label sits above the plot area (not on a bar); the legend sits under the axis title
    fig.add_vline(x=0.5, line_dash="dot", line_color="#425563", annotation_text="0.5 = unremarkable",
                  annotation_position="top", annotation_yshift=2)
    height, top_margin, bottom_margin = 150 + 32 * len(p), 70, 110
    from .pledge import WHO

    who = "everyone" if scope == "all" else WHO.get(str(scope), str(scope))  # a group in words, a site's code
    fig.update_layout(barmode="stack", title=dict(text=f"Priorities: {who}", y=1, yanchor="top", yref="container",
                                                  pad=dict(t=12)),
                      xaxis_title=("priority score: the coloured parts add up to it (0.5 = no different from the "
                                   "reference)"),
                      xaxis_range=[0, 1], height=height,
                      margin=dict(l=10, r=40, t=top_margin, b=bottom_margin),
                      legend=dict(orientation="h", traceorder="normal", x=0, xanchor="left", yanchor="top",
                                  y=-60 / (height - top_margin - bottom_margin)))
    return fig


#: the count behind a share drawn by :func:`theme_heatmap`: a share of a hidden count is not drawn
_COUNT_OF = {"prevalence": ("n_segments", "comments"), "negativity": ("n_negative", "negative comments")}


def theme_heatmap(themes: pd.DataFrame, *, scope_type: str = "group", value: str = "negativity",
                  min_comments: int | None = None, suppress_below: int | None = None,
                  units: pd.DataFrame | None = None):
    """Themes x scopes (groups or sites) heatmap of a themes column (default: negativity).

    An empty cell says why: "no comments" (no comment about the theme there); with ``min_comments`` (the
    priorities' rule, ``priorities: min_comments``), "fewer than N comments": a negativity resting on fewer
    comments is not drawn, as the priorities table does not give it; with ``suppress_below`` (the project's
    suppression rule), a prevalence or negativity whose count (``n_segments``, ``n_negative``) is under it is
    not drawn either ("fewer than 21 comments", "fewer than 21 negative comments"): the share times the
    scope's total (or the comments) would give the hidden count back, nor one held back by secondary
    suppression (:func:`pledge_analysis.priorities.held_back`; with ``units``, the coded units, over the hospitals'
    counts by group too, as the reasons and the co-design pack hold them); with both, a cell of too few comments
    names the suppression rule's threshold only ("fewer than 21 comments", as the reasons). A legend line under
    the chart says so."""
    import plotly.graph_objects as go

    # every theme of the table is a row, in the order of its name from the top (a theme no comment raised
    # anywhere is a row of "no comments", not left out: the reader sees the codebook looked for it)
    t = themes[themes["scope_type"] == scope_type]
    n = t.pivot_table(index="name", columns="scope", values="n_segments", aggfunc="first", dropna=False)
    m = t.pivot_table(index="name", columns="scope", values=value, aggfunc="first", dropna=False).reindex_like(n)
    m = m.mask(n.fillna(0) <= 0)
    few = hidden = None
    if min_comments and value == "negativity":
        few = ((n > 0) & (n < min_comments)).to_numpy()
        m = m.mask(n < min_comments)
    text = held = None
    if suppress_below and suppress_below > 1 and value in _COUNT_OF and _COUNT_OF[value][0] in t.columns and len(t):
        # (no theme raised in this scope, e.g. a round whose comment cells are all empty: nothing to withhold)
        from .priorities import held_back

        col, noun = _COUNT_OF[value]
        c = t.pivot_table(index="name", columns="scope", values=col, aggfunc="first").reindex_like(m)
        hidden = ((c > 0) & (c < suppress_below) & m.notna()).to_numpy()
        # and the cell that would give a hidden one back as the theme's total minus the others (held_back)
        flag = held_back(themes[themes["n_segments"].fillna(0) > 0], suppress_below, [col], units=units)[col]
        kept = t.assign(_held=flag.reindex(t.index, fill_value=False).to_numpy())
        held = (kept.pivot_table(index="name", columns="scope", values="_held", aggfunc="first")
                .reindex_like(m).fillna(False).astype(bool).to_numpy() & m.notna().to_numpy())
        m = m.mask(hidden | held)
        text = f"fewer than {suppress_below} {noun}"
    # a cell with too few comments for a percentage has a count under the suppression rule too: it names that
    # one threshold, as the reasons do (a second, lower one would tell more than the rule lets out)
    one_rule = bool(suppress_below and suppress_below > 1 and min_comments and min_comments <= suppress_below)
    blank = f"fewer than {suppress_below if one_rule else min_comments} comments"
    keywords = _blank_text(m, few, blank)
    if hidden is not None and (hidden.any() or held.any()):  # the suppression rule's wording wins
        keywords["text"] = [[text if h else WITHHELD_CELL if w else cell for h, w, cell in zip(hrow, wrow, row)]
                            for hrow, wrow, row in zip(hidden, held, keywords["text"])]
    lines = _fit_cell_text(keywords, m)
    fig = go.Figure(go.Heatmap(z=m.values, x=list(m.columns), y=list(m.index), colorscale="Reds",
                               zmin=0, zmax=1 if value in ("negativity", "prevalence") else None,
                               hovertemplate="%{y} / %{x}: %{z:.0%}<extra></extra>", **keywords))
    fig.update_layout(title=f"{value.title()} by theme and {scope_type}", height=120 + _row_px(lines) * len(m),
                      margin=dict(l=10, r=10, t=50, b=40), yaxis_autorange="reversed")
    where = "hospital" if scope_type == "site" else scope_type
    why = f"“{BLANK_CELL}”: no comment about this theme in this {where}, so there is nothing to show (not a value of 0)"
    if few is not None and few.any():
        why += (f"; “{blank}”: too few for a reliable percentage" + (" and under the project's suppression rule"
                                                                     if one_rule else "") + ", so it is not shown")
    if hidden is not None and hidden.any():
        why += (f"; “{text}”: under the project's suppression rule, so its percentage is not shown either "
                "(it would give the number away)")
    if held is not None and held.any():
        why += (f"; “{WITHHELD_CELL}”: held back as well, so that a hidden number cannot be worked out from the "
                "theme's total")
    return _blank_legend(fig, m, why)


#: What an empty heatmap cell says in the cell itself.
BLANK_CELL = "no comments"
#: What a cell held back by secondary suppression says (:func:`pledge_analysis.priorities.held_back`).
WITHHELD_CELL = "withheld"


def _blank_text(m: pd.DataFrame, other=None, other_text: str = "", blank: str = BLANK_CELL) -> dict:
    """Heatmap keywords that write ``blank`` (:data:`BLANK_CELL`) in every empty cell of ``m`` (``other_text``
    where the boolean array ``other`` is true instead); nothing when no cell is empty, so full heatmaps are drawn
    as before."""
    empty = m.isna().to_numpy()
    if not empty.any():
        return {}
    other = other if other is not None else [[False] * m.shape[1]] * m.shape[0]
    return dict(text=[[(other_text if o else blank) if e else "" for e, o in zip(row, orow)]
                      for row, orow in zip(empty, other)], texttemplate="%{text}",
                textfont=dict(size=11, color="#4c6272"))


#: The figure width a heatmap's cell texts are fitted to (:func:`_fit_cell_text`): a narrow notebook column, or
#: a report read on a small laptop; wider figures have room to spare.
CELL_FIT_WIDTH = 700


def _fit_cell_text(keywords: dict, m: pd.DataFrame) -> int:
    """Break each cell text of a heatmap's ``keywords`` (from :func:`_blank_text`) into lines that fit its cell
    when the figure is :data:`CELL_FIT_WIDTH` px wide ("fewer than 21 comments" in six neighbouring cells ran
    into each other); return the most lines a cell has (0 without texts). The cell's width is estimated from
    the longest row label (12 px text, about 6.3 px a character, which plotly's margin makes room for) and the
    colour bar; the text is drawn at 10 px (about 5.6 px a character)."""
    import textwrap

    if not keywords.get("text"):
        return 0
    label = min(6.3 * max((len(str(i)) for i in m.index), default=0) + 20, 0.45 * CELL_FIT_WIDTH)
    cell = (CELL_FIT_WIDTH - label - 110) / max(1, m.shape[1])
    chars = max(7, int((cell - 8) / 5.6))
    lines = [[textwrap.wrap(t, chars, break_long_words=False) if t else [] for t in row] for row in keywords["text"]]
    keywords["text"] = [["<br>".join(c) for c in row] for row in lines]
    keywords["textfont"] = dict(keywords.get("textfont") or {}, size=10)
    return max((len(c) for row in lines for c in row), default=0)


def _row_px(lines: int, base: int = 26) -> int:
    """A heatmap row's height: ``base``, or room for ``lines`` lines of 10 px text."""
    return max(base, 12 * lines + 6)


#: The longest line of a legend note under a heatmap (:func:`_blank_legend`), in characters: the note starts at
#: the left edge of the cells, so on a figure 700 px wide whose rows are long theme names it still ends inside
#: the figure (a longer line ran off its right edge).
NOTE_LINE_CHARS = 60


def wrap_note(text: str, width: int = NOTE_LINE_CHARS) -> str:
    """``text`` broken into lines of at most ``width`` characters (at spaces, each further part of it
    after a ``;`` on a line of its own), joined by ``<br>`` for a plotly annotation.

    >>> wrap_note("“no comments”: none here; “fewer than 10 comments”: too few", width=30)
    '“no comments”: none here;<br>“fewer than 10 comments”: too<br>few'
    """
    import textwrap

    parts = [p.strip() for p in text.split("; ")]
    lines = [line for i, p in enumerate(parts)
             for line in textwrap.wrap(p + (";" if i < len(parts) - 1 else ""), width=width, break_long_words=False)]
    return "<br>".join(lines)


def _blank_legend(fig, m: pd.DataFrame, why: str):
    """Under a heatmap with empty cells, a legend note saying why they are empty (wrapped, so that it stays
    inside the figure: :data:`NOTE_LINE_CHARS`). An empty cell is drawn white, as the page around it: plotly's
    grey-blue plot background and its grid lines would otherwise show through it, which on a blue scale reads
    as a value."""
    fig.update_layout(plot_bgcolor="white")
    fig.update_xaxes(showgrid=False, zeroline=False)
    fig.update_yaxes(showgrid=False, zeroline=False)
    if not m.isna().to_numpy().any():
        return fig
    text = wrap_note(why)
    extra = 40 + 16 * text.count("<br>")  # one more line of 12 px text each
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, yshift=-34, xanchor="left", yanchor="top",
                       showarrow=False, font=dict(size=12, color="#4c6272"), align="left")
    fig.update_layout(margin=dict(b=(fig.layout.margin.b or 40) + extra), height=(fig.layout.height or 300) + extra)
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
    if "benchmark" in s.columns and s["benchmark"].notna().any():  # no legend entry for a marker not drawn
        fig.add_scatter(x=100 * s["benchmark"], y=labels, mode="markers", name="benchmark",
                        marker=dict(symbol="line-ns-open", size=14, color="#DA291C"))
    where = "all hospitals" if site == "all" else site
    who = "all respondents" if group == "all" else group
    fig.update_layout(title=f"Survey: % positive with 95% Wilson intervals ({where}, {who})",
                      xaxis_title="% positive", height=140 + 24 * len(s), margin=dict(l=10, r=10, t=50, b=40))
    return fig


#: funnel plot points: (legend name, colour, marker symbol) per flag; the symbol says it without the colour
FUNNEL_FLAGS = {"above": ("above the 95% limits", "#007F3B", "triangle-up"),
                "within": ("within the limits", "#768692", "circle"),
                "below": ("below the 95% limits", "#D5281B", "triangle-down")}
#: XmR chart points: (legend name, colour, marker symbol) per ``variation`` of :func:`pledge_analysis.survey.xmr`
#: (Making Data Count's reading; colours with at least 3:1 contrast on white, and a symbol each)
SPC_POINTS = {"common": ("common cause variation", "#768692", "circle"),
              "improvement": ("special cause: improvement", "#005EB8", "triangle-up"),
              "concern": ("special cause: concern", "#A85200", "triangle-down"),
              "neutral": ("special cause: neither better nor worse", "#7C2855", "diamond")}


#: A funnel plot names every unit beside its point when it has at most this many (hospitals of a programme);
#: with more (all the trusts of the national survey) only the focus units are named.
FUNNEL_NAMED_UNITS = 20


def _held_back_rows(t: pd.DataFrame) -> pd.Series:
    """A scores-like table's ``held_back`` column (secondary suppression) as booleans; all False without one."""
    if "held_back" not in t.columns:
        return pd.Series(False, index=t.index)
    return t["held_back"].fillna(False).astype(bool)


#: The longest line of the note under a funnel plot naming the hospitals it leaves out (:func:`funnel_plot`):
#: the note starts under the y axis title, so on a figure 700 px wide a line this long still ends inside it.
FUNNEL_NOTE_CHARS = 100


def funnel_plot(f: pd.DataFrame, *, label: str = "site", title: str = "Funnel plot"):
    """Units against their size with 95% and 99.8% limits (from :func:`pledge_analysis.survey.funnel`);
    each unit's flag is in the legend and in its marker's shape (not only its colour). Each point says
    which unit it is (its ``label``) beside it, not only on hover: every unit when there are at most
    :data:`FUNNEL_NAMED_UNITS`, else the focus units (``is_focus``). A unit with no result (``suppressed``, or
    no ``estimate``: too few respondents to publish) has no point, nor has one held back (``held_back``:
    secondary suppression, whose size would give a suppressed one back); a note under the chart names them,
    without their counts."""
    import numpy as np
    import plotly.graph_objects as go

    from .errors import InputError
    from .survey.funnels import funnel_limits

    gone = f["estimate"].isna() | (f["suppressed"].fillna(False).astype(bool) if "suppressed" in f.columns else False)
    # held back (secondary suppression, the scores' ``held_back``): its size would give a suppressed one back
    held = _held_back_rows(f) & ~gone
    left_out = f.loc[gone, label].astype(str).tolist() if label in f.columns else [f"{int(gone.sum())} units"]
    held_out = f.loc[held, label].astype(str).tolist() if label in f.columns else [f"{int(held.sum())} units"]
    gone = gone | held
    f = f[~gone]
    if f.empty:
        raise InputError("funnel_plot has no unit with a result to draw: every one is suppressed (too few "
                         "respondents) or has no estimate", hint="Plot a question or group with more respondents.")
    n_grid = np.linspace(max(5, f["n"].min() * 0.6), f["n"].max() * 1.2, 120)
    target, tau2 = float(f["target"].iloc[0]), float(f["tau2"].iloc[0])
    lim = funnel_limits(pd.DataFrame({"n": n_grid, "target": target, "tau2": tau2}))
    fig = go.Figure()
    for level, dash, name in ((0.95, "dash", "95% limits"), (0.998, "dot", "99.8% limits")):
        at = lim[lim["level"] == level]
        for side in ("limit_low", "limit_high"):
            fig.add_scatter(x=at["n"], y=100 * at[side], mode="lines", line=dict(color="#768692", dash=dash),
                            name=name, legendgroup=name, showlegend=side == "limit_low", hoverinfo="skip")
    fig.add_scatter(x=[n_grid[0], n_grid[-1]], y=[100 * target] * 2, mode="lines", line_color="#005EB8",
                    name=f"target ({100 * target:.0f}%)", hoverinfo="skip")
    focus = f["is_focus"].astype(bool) if "is_focus" in f.columns else pd.Series(True, index=f.index)
    named = focus if len(f) > FUNNEL_NAMED_UNITS else pd.Series(True, index=f.index)
    # a name sits on the side of its point facing the middle of the plot (so the plot edge does not cut it);
    # neighbours by % positive take turns above and below, and every third and fourth of them the other side
    # when it has room (so that the names of a cluster of close points fall in different corners)
    middle, span = (n_grid[0] + n_grid[-1]) / 2, n_grid[-1] - n_grid[0]
    order = f.sort_values("estimate", kind="mergesort").index
    updown = pd.Series(["top" if k % 2 == 0 else "bottom" for k in range(len(order))], index=order)
    towards = pd.Series(np.where(f["n"] > middle, "left", "right"), index=f.index)
    room = (f["n"] - n_grid[0] > 0.25 * span) & (n_grid[-1] - f["n"] > 0.25 * span)
    flip = pd.Series([k % 4 >= 2 for k in range(len(order))], index=order) & room
    side = towards.where(~flip, towards.map({"left": "right", "right": "left"}))
    for flag, (name, colour, symbol) in FUNNEL_FLAGS.items():
        d = f[f["flag"] == flag]
        if d.empty:
            continue
        who = d[label].astype(str) if label in d.columns else pd.Series("", index=d.index)
        fig.add_scatter(x=d["n"], y=100 * d["estimate"], mode="markers+text", name=name,
                        marker=dict(color=colour, symbol=symbol, size=np.where(focus[d.index], 14, 8),
                                    line=dict(color="#212B32", width=1)),
                        text=who.where(named[d.index], ""),
                        textposition=[f"{updown[i]} {side[i]}" for i in d.index],
                        textfont=dict(size=12, color="#212B32"), customdata=who,
                        hovertemplate="%{customdata}: %{y:.1f}% of %{x}<extra></extra>")
    fig.update_layout(title=title, xaxis_title="respondents", yaxis_title="% positive", height=450)
    left_out = [x for x in left_out if x != "0 units"]
    held_out = [x for x in held_out if x != "0 units"]
    if left_out or held_out:
        from .survey.suppression import HELD_BACK_WORDS

        def who(names):  # "MOR", "MOR and SAH", "MOR, SAH and VVH"
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

        # one sentence each, in lines as long as the figure has room for (the note starts under the y axis title)
        parts = []
        if left_out:
            one = len(left_out) == 1
            parts.append(f"{who(left_out)} {'is' if one else 'are'} not shown: too few respondents, so "
                         f"{'its result is' if one else 'their results are'} not published (suppressed)")
        if held_out:
            parts.append(f"{who(held_out)} {'is' if len(held_out) == 1 else 'are'}"
                         f"{' also' if left_out else ''} {HELD_BACK_WORDS}")
        text = wrap_note("; ".join(parts), width=FUNNEL_NOTE_CHARS)
        extra = 30 + 16 * text.count("<br>")
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, xshift=-50, yshift=-50, xanchor="left",
                           yanchor="top", showarrow=False, font=dict(size=12, color="#4c6272"), align="left")
        fig.update_layout(margin=dict(b=80 + extra), height=450 + extra)
    return fig


def spc_chart(t: pd.DataFrame, *, title: str = "XmR chart", y_title: str = "value", x_title: str | None = None,
              percent: bool = False):
    """An XmR chart from :func:`pledge_analysis.survey.xmr`: the values, the mean and the process limits,
    with special-cause points named in the legend and marked by shape as well as colour (:data:`SPC_POINTS`).
    ``percent=True``: the values are shares (0-1, such as an ``estimate`` of % positive), read on the axis
    and on hover as percentages (70%, not 0.7)."""
    import plotly.graph_objects as go

    x = list(t.index)
    fig = go.Figure()
    fig.add_scatter(x=x, y=t["x"], mode="lines", line_color="#768692", name="value", showlegend=False,
                    hoverinfo="skip")
    for variation, (name, colour, symbol) in SPC_POINTS.items():
        d = t[t["variation"] == variation]
        if len(d):
            fig.add_scatter(x=list(d.index), y=d["x"], mode="markers", name=name,
                            marker=dict(color=colour, symbol=symbol, size=10, line=dict(color="#212B32", width=1)))
    for col, dash, name in (("mean", "solid", "mean"), ("ucl", "dash", "process limits"), ("lcl", "dash", "process limits")):
        fig.add_scatter(x=x, y=t[col], mode="lines", line=dict(color="#231f20", dash=dash), name=name,
                        legendgroup=name, showlegend=col != "lcl")
    fig.update_layout(title=title, height=400, xaxis_title=x_title or (t.index.name or ""), yaxis_title=y_title)
    if percent:
        fig.update_layout(yaxis_tickformat=".0%", hovermode="x unified")
        fig.update_traces(hovertemplate="%{y:.1%}")
    return fig


def importance_performance(drivers: pd.DataFrame, *, title: str = "What drives the overall rating"):
    """Importance (share of R-squared) against performance (% positive), with median lines."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=100 * drivers["performance"], y=100 * drivers["share"], mode="markers+text",
                               text=drivers["question_id"], textposition="top center",
                               marker=dict(size=10, color="#005EB8"),
                               hovertext=drivers["quadrant"], hoverinfo="text"))
    fig.add_vline(x=100 * drivers["performance"].median(), line_dash="dot")
    fig.add_hline(y=100 * drivers["share"].median(), line_dash="dot")
    fig.update_layout(title=title, xaxis_title="performance (% positive)", yaxis_title="importance (% of R²)",
                      height=450)
    return fig


#: What a sites heatmap cell says when the result is suppressed (too few respondents to publish), and when
#: nobody there answered the question (a staff question at a hospital without staff answers).
SUPPRESSED_CELL = "too few"
NO_ANSWER_CELL = "none"


#: The longest line of question wording a sites heatmap label keeps (:func:`question_label`; longer wordings run
#: to a second line, then are cut at a word and end in "…"): "How do you feel about the length<br>of time you had
#: to wait before… (Q2)".
QUESTION_LABEL_CHARS = 34


def question_label(qid, wording: dict | None = None, limit: int = QUESTION_LABEL_CHARS, lines: int = 1) -> str:
    """A question's short label, its wording (cut at a word to ``limit`` characters) with its code, as the
    report says it ("wording (Q2)"); the bare code without wording. ``lines=2``: up to two lines of ``limit``
    characters joined by ``<br>`` (a plotly label), so that two questions that open with the same words
    ("Did hospital staff give you information about ...") do not read the same.

    >>> question_label("Q2", {"Q2": "How do you feel about the length of time you had to wait?"})
    'How do you feel about the length… (Q2)'
    >>> question_label("Q18", {"Q18": "Were you given a care plan?"}), question_label("S1")
    ('Were you given a care plan? (Q18)', 'S1')
    >>> question_label("Q2", {"Q2": "How do you feel about the length of time you had to wait?"}, lines=2)
    'How do you feel about the length<br>of time you had to wait? (Q2)'
    """
    import textwrap

    text = " ".join(str((wording or {}).get(str(qid)) or "").split())
    if not text:
        return str(qid)
    parts = textwrap.wrap(text, width=limit, break_long_words=False) if lines > 1 else [text]
    keep = parts[:lines]
    if len(parts) > lines or len(keep[-1]) > limit:
        last = keep[-1] + " " + parts[lines] if len(parts) > lines else keep[-1]
        keep[-1] = last[:limit + 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return "<br>".join(keep) + f" ({qid})"


def sites_heatmap(scores: pd.DataFrame, *, group: str = "all", wording: dict | None = None):
    """Questions x sites heatmap of % positive: one row per question, labelled with its short wording and code
    (:func:`question_label`, from ``wording``: ``question_id -> text``, e.g. the questions table's ``text``),
    one column per site. A suppressed cell (too few respondents) is blank and says :data:`SUPPRESSED_CELL`, one
    held back (``held_back``: secondary suppression) :data:`WITHHELD_CELL`; a
    site whose every result is suppressed is still a column (a small hospital is not left out), and a legend
    note under the chart says why. Every row keeps room for its label."""
    import plotly.graph_objects as go

    s = scores[(scores["group"] == group) & (scores["site"] != "all") & (scores["kind"] == "proportion")]
    hidden = s["suppressed"].astype(bool)
    # held back (the scores' held_back): its % with the others' would narrow a suppressed cell's answers down
    held = _held_back_rows(s) & ~hidden
    s = s.assign(pct=(100 * s["estimate"]).where(~hidden & ~held), hidden=hidden, held=held)
    order = list(dict.fromkeys(s["question_id"]))  # the questionnaire's order, top to bottom
    m = s.pivot_table(index="question_id", columns="site", values="pct", aggfunc="first", dropna=False)
    m = m.reindex(index=[q for q in order if q in m.index])
    few = s.pivot_table(index="question_id", columns="site", values="hidden", aggfunc="any",
                        dropna=False).reindex_like(m).fillna(False).astype(bool).to_numpy()
    kept = s.pivot_table(index="question_id", columns="site", values="held", aggfunc="any",
                         dropna=False).reindex_like(m).fillna(False).astype(bool).to_numpy()
    labels = [question_label(q, wording, lines=2) for q in m.index]
    row = 36 if any("<br>" in label for label in labels) else 30  # room for a label's two lines
    fig = go.Figure(go.Heatmap(z=m.values, x=list(m.columns), y=labels, colorscale="Blues", zmin=0, zmax=100,
                               colorbar=dict(title=dict(text="% positive")),
                               hovertemplate="%{x}, %{y}: %{z:.0f}%<extra></extra>",
                               **_blank_text(m, few, SUPPRESSED_CELL, blank=NO_ANSWER_CELL)))
    if kept.any():  # a held-back cell says so, not "too few" (it is not small itself)
        text = fig.data[0].text
        fig.data[0].text = [[WITHHELD_CELL if k else t for k, t in zip(krow, trow)] for krow, trow in zip(kept, text)]
    from .pledge import WHO

    who = "all respondents" if group == "all" else WHO.get(str(group), str(group))
    fig.update_layout(title=f"% positive by question and site ({who})", height=160 + row * len(m),
                      margin=dict(t=60, b=50), yaxis_autorange="reversed")
    # the note explains only the kinds of empty cell the chart has
    unanswered = (m.isna().to_numpy() & ~few & ~kept).any()
    why = "; ".join(([f"“{NO_ANSWER_CELL}”: nobody answered this question at this site"] if unanswered else [])
                    + ([f"“{SUPPRESSED_CELL}”: too few respondents, so the result is not published (suppressed)"]
                       if few.any() else [])
                    + ([f"“{WITHHELD_CELL}”: held back as well, so that a result from too few respondents cannot "
                        "be worked out from it"] if kept.any() else []))
    return _blank_legend(fig, m, why)


def site_priority_heatmap(matrix: pd.DataFrame, *, value: str = "priority_score", sites=None, themes=None):
    """Sites x themes heatmap of a column of :func:`pledge_analysis.cross_site.site_theme_matrix`: the
    priority score by default, or another (``value="negativity"``, ``"rank"``).

    The priority score is on a fixed scale (0.5 = no different from the reference), so its colours are
    fixed too (centred on 0.5, 0.2 to 0.8) and mean the same at every site. ``value="score"`` (its name
    in earlier releases) still works, with a FutureWarning.

    An empty cell (a theme no comment raised at that site has no priority there) says "no comments", and a
    legend line under the chart says why; ``sites`` (the project's site codes) adds a column for each hospital
    with no feedback in this run, every cell "no comments", instead of leaving it out; ``themes`` (the names of
    every theme, as :func:`theme_heatmap` shows them) adds a row for each theme no comment raised anywhere.
    Rows read A to Z from the top, as in :func:`theme_heatmap`."""
    import plotly.graph_objects as go

    from .schema import rename_legacy

    if value == "score":
        import warnings

        warnings.warn("site_priority_heatmap(value='score') is now value='priority_score' (the old name will "
                      "not be accepted after the next release)", FutureWarning, stacklevel=2)
        value = "priority_score"
    matrix = rename_legacy(matrix, "cross_site")
    m = matrix.pivot_table(index="name", columns="site", values=value, aggfunc="first")
    if sites is not None:
        m = m.reindex(columns=list(m.columns) + [str(s) for s in sites if str(s) not in set(map(str, m.columns))])
    if themes is not None:
        m = m.reindex(index=list(m.index) + [str(t) for t in themes if str(t) not in set(map(str, m.index))])
    m = m.sort_index()  # the order pivot_table gives theme_heatmap's rows
    fixed = (dict(zmid=0.5, zmin=0.2, zmax=0.8, colorscale="RdBu_r") if value == "priority_score"
             else dict(colorscale="OrRd"))
    keywords = _blank_text(m)
    lines = _fit_cell_text(keywords, m)
    fig = go.Figure(go.Heatmap(z=m.values, x=list(m.columns), y=list(m.index), **fixed,
                               hovertemplate="%{y} at %{x}: %{z:.2f}<extra></extra>", **keywords))
    title = "Priority score" if value == "priority_score" else f"Priority {value}"
    fig.update_layout(title=f"{title} by site and theme", height=120 + _row_px(lines) * len(m),
                      margin=dict(l=10, r=10, t=50, b=40), yaxis_autorange="reversed")
    return _blank_legend(fig, m, "“no comments”: no comment raised this theme at this hospital, so it has no "
                                 "priority there (not a score of 0.5)")


def ranks_with_intervals(intervals: pd.DataFrame, *, scope: str = "all", top: int = 8):
    """Bootstrap rank intervals (``priorities`` of a run, or :func:`pledge_analysis.uncertainty.rank_intervals`)."""
    import plotly.graph_objects as go

    d = intervals[intervals["scope"] == scope].nsmallest(top, "rank").iloc[::-1]
    label = d["name"] if "name" in d.columns else d["theme"]
    fig = go.Figure(go.Scatter(x=d["rank"], y=label, mode="markers", marker=dict(size=11, color="#005EB8"),
                               error_x=dict(type="data", symmetric=False, array=d["rank_high"] - d["rank"],
                                            arrayminus=d["rank"] - d["rank_low"])))
    fig.update_layout(title=f"Rank with 95% bootstrap interval ({scope})", xaxis_title="rank (1 = top priority)",
                      xaxis_autorange="reversed", height=120 + 30 * len(d))
    return fig


def code_frequency_bars(freq: pd.DataFrame, *, colour_by: str = "group"):
    """Stacked bars of segments per code, coloured by an attribute (from ``code_frequencies``)."""
    import plotly.express as px

    f = freq.groupby(["code_id", colour_by], as_index=False)["n_segments"].sum()
    fig = px.bar(f, x="n_segments", y="code_id", color=colour_by, orientation="h",
                 title=f"Coded segments by {colour_by}")
    fig.update_layout(height=140 + 22 * f["code_id"].nunique(), yaxis_title=None)
    return fig


def cooccurrence_heatmap(matrix: pd.DataFrame):
    """Code co-occurrence counts (from ``cooccurrence``)."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Heatmap(z=matrix.values, x=list(matrix.columns), y=list(matrix.index), colorscale="Blues",
                               hovertemplate="%{y} & %{x}: %{z} segments<extra></extra>"))
    fig.update_layout(title="Code co-occurrence (segments)", height=200 + 22 * len(matrix))
    return fig


def topic_bars(topic_info: pd.DataFrame, *, top: int = 20):
    """The largest topics (from ``TopicExplorer.topic_info_``)."""
    import plotly.graph_objects as go

    t = topic_info[topic_info["topic_id"] >= 0].nlargest(top, "n").iloc[::-1]
    fig = go.Figure(go.Bar(x=t["n"], y=t["label"], orientation="h", marker_color="#005EB8",
                           hovertext=t["representative"], hoverinfo="text+x"))
    fig.update_layout(title="Topics", xaxis_title="segments", height=140 + 24 * len(t))
    return fig


def topic_map(coords: pd.DataFrame):
    """A 2-D map of segments coloured by topic (from ``TopicExplorer.coordinates()``)."""
    import plotly.express as px

    fig = px.scatter(coords, x="x", y="y", color=coords["label"].astype(str), hover_data={"text": True},
                     title="Segments by topic (2-D UMAP)")
    fig.update_layout(showlegend=False, height=550)
    return fig


def topic_trends(over_time: pd.DataFrame, *, top: int = 6):
    """Share of each period's segments in the largest topics (from ``TopicExplorer.over_time``)."""
    import plotly.express as px

    keep = over_time.groupby("label")["n"].sum().nlargest(top).index
    d = over_time[over_time["label"].isin(keep)].sort_values("period")
    fig = px.line(d, x="period", y="share", color="label", markers=True, hover_data={"n": True},
                  title="Topics over time")
    fig.update_layout(yaxis_tickformat=".0%", xaxis_title=None, legend_title_text="topic", height=420)
    return fig


def topic_group_heatmap(by_group: pd.DataFrame, *, column: str = "group", top: int = 20):
    """Share of each group's segments in each topic (from ``TopicExplorer.by``)."""
    import plotly.graph_objects as go

    keep = by_group.groupby("label")["n"].sum().nlargest(top).index
    m = by_group[by_group["label"].isin(keep)].pivot_table(index="label", columns=column, values="share", fill_value=0)
    fig = go.Figure(go.Heatmap(z=m.values, x=list(m.columns), y=list(m.index), colorscale="Blues",
                               hovertemplate="%{y} / %{x}: %{z:.1%}<extra></extra>"))
    fig.update_layout(title=f"Topics by {column}", height=140 + 24 * len(m))
    return fig
