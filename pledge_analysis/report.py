"""A self-contained HTML report of a run (plotly.js is embedded once; no network needed).

All user text is escaped: tables through ``DataFrame.to_html(escape=True)``, titles and notes
through :func:`html.escape`; plotly writes its figures' text as JSON with ``<`` as ``\\u003c``.
"""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from . import plots
from .io.safe import write_text

CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:1100px;margin:2em auto;color:#212b32;line-height:1.45}
h1{color:#005eb8}h2{border-bottom:3px solid #005eb8;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.9em;margin:1em 0}th,td{border:1px solid #d8dde0;padding:.35em .6em;vertical-align:top}
th{background:#f0f4f5;text-align:left}.note{color:#4c6272;font-size:.9em}.warn{background:#fff9c4;padding:.6em}
"""


def _table(df: pd.DataFrame, columns: list[str] | None = None, max_rows: int = 50) -> str:
    df = df[columns] if columns else df
    return df.head(max_rows).to_html(index=False, escape=True, border=0, na_rep="",
                                     float_format=lambda x: f"{x:.3g}")  # a blank cell, not "NaN"


def priority_methods(run_log: dict) -> str:
    """The methods paragraph of the priorities, generated from the parameters the run used
    (``run_log["priorities"]``, written by :func:`pledge_analysis.pipeline.run_project`)."""
    m = run_log.get("priorities") or {}
    if not m:
        return ""
    w = {k: v for k, v in m["weights"].items()}
    total = sum(w.values()) or 1
    used = [f"{k.replace('_', ' ')} {v / total:.0%}" for k, v in w.items() if v > 0]
    unused = [k.replace("_", " ") for k, v in w.items() if v == 0]
    missing = {"calibrated": "its comments stand in for it with the share of the survey's weight that makes its "
                             "score vary as much as a theme's with both kinds of evidence (so neither kind is "
                             "favoured by construction)",
               "reweight": "the weights of the components present are re-normalised",
               "neutral": "it counts as at benchmark (0.5)"}.get(m.get("missing_evidence"), "")
    text = (f"Each theme's score is the weighted mean of {len(used)} components, each on a fixed 0-1 scale on which "
            f"0.5 means no different from the reference (so scores compare across scopes and sites): "
            f"{', '.join(used)}" + (f" ({', '.join(unused)}: weight 0, shown but not scored)" if unused else "") + ". "
            "Prevalence and negativity are compared with the scope's average theme on the odds scale; negativity is "
            f"shrunk towards the scope's pooled share by a beta prior ({m.get('negativity_prior')}); the survey gap "
            f"is each usable item's log-odds gap to its benchmark shrunk towards 0 ({m.get('survey_gap_shrinkage')}); "
            "driver importance weights the survey gap by the items' share of what explains the overall rating. "
            f"A theme without usable survey items is not scored as at benchmark: {missing}. ")
    ri = m.get("rank_intervals")
    if ri:
        text += (f"Rank intervals ({ri['confidence']:.0%}) and the probability of being in the top {ri['top']} come from "
                 f"{ri['n_boot']} bootstrap resamples of {ri['units']}, stratified by {ri['strata']} "
                 f"(random state {ri['random_state']}; {ri['held_fixed']} held fixed). ")
    text += (f"Percentages negative resting on fewer than {m.get('min_comments')} comments are not given; the others "
             "carry a 95% interval.")
    return text


def _survey_note(result) -> str:
    """The suppression rule and the benchmark rows used, in words."""
    sc, cfg = result.scores, result.config
    min_n = getattr(cfg, "suppress_below", 21)
    n_sup = int(sc["suppressed"].astype(bool).sum()) if "suppressed" in sc.columns else 0
    note = (f"Results from fewer than {min_n} respondents are suppressed: shown blank and not used in gaps, "
            f"z-scores, buddy pairing or comparisons ({n_sup:,} of {len(sc):,} cells in this run).")
    if "benchmark_source" in sc.columns:
        src = sc["benchmark_source"].dropna().astype(str)
        national = sorted({x.split(": ", 1)[1].rsplit(" (n", 1)[0] for x in src if x.startswith("national ") and ": " in x})
        sel = {k: v for k, v in (getattr(cfg, "benchmark_select", None) or {}).items() if v and k != "fallback"}
        if national:
            note += (" Benchmark: national rows " + "; ".join(national)
                     + (" (selected by " + ", ".join(f"{k} {v}" for k, v in sel.items()) + ")" if sel else "") + ".")
        other = src[~src.str.startswith("national ")].value_counts()
        if len(other):
            note += " Other cells: " + "; ".join(f"{k} ({v:,})" for k, v in other.items()) + "."
    return note


def write_report(result, path: str | Path) -> None:
    """Write ``report.html`` for a :class:`pledge_analysis.pipeline.RunResult`."""
    figs = []
    pr = result.priorities
    if len(pr):
        figs.append(("Priorities: everyone", plots.priority_bars(pr, scope="all")))
        for g in sorted(pr.loc[pr["scope_type"] == "group", "scope"].unique()):
            figs.append((f"Priorities: {g}", plots.priority_bars(pr, scope=g)))
    if len(result.themes):
        figs.append(("Negativity by theme and group", plots.theme_heatmap(result.themes, scope_type="group")))
        figs.append(("Prevalence by theme and site", plots.theme_heatmap(result.themes, scope_type="site", value="prevalence")))
    if len(result.scores):
        figs.append(("Survey", plots.survey_forest(result.scores)))
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(result.config.name)}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>{html.escape(result.config.name)}</h1>",
             f"<p class='note'>Round {html.escape(result.config.round)} · pledge_analysis "
             f"{result.run_log.get('pledge_analysis')} · text pipeline: {html.escape(str(result.run_log.get('nlp_pipeline')))}</p>"]
    for w in result.run_log.get("warnings", []):
        parts.append(f"<p class='warn'>Warning: {html.escape(w)}</p>")
    rows = result.run_log["rows"]
    parts.append("<h2>What was read</h2><p>"
                 f"{rows['respondents_kept']:,} respondents, {rows['answers_kept']:,} survey answers and "
                 f"{rows['segments_kept']:,} comments and transcript turns kept; {rows['set_aside']:,} rows or answers "
                 "set aside (listed in <code>set_aside.csv</code>).</p>")
    parts.append(_table(pd.DataFrame(result.run_log["sources"])))
    if result.run_log.get("set_aside_by_reason"):
        parts.append(_table(pd.Series(result.run_log["set_aside_by_reason"], name="rows").rename_axis("reason").reset_index()))
    counts = result.run_log.get("redactions_by_label", {})
    if counts:
        parts.append("<h2>De-identification</h2><p>Identifiers were replaced before coding or export "
                     "(review them in <code>redactions.csv</code>, which never shows the original values).</p>")
        parts.append(_table(pd.Series(counts, name="redactions").rename_axis("label").reset_index()))
    else:
        parts.append("<h2>De-identification</h2><p>Every comment, turn, speaker label and set-aside value was "
                     "checked; no identifier was found to replace.</p>")
    parts.append("<h2>Prioritised improvement areas</h2>"
                 f"<p class='note'>{html.escape(priority_methods(result.run_log))}</p>")
    first = True
    for title, fig in figs:
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(fig.to_html(full_html=False, include_plotlyjs=True if first else False,
                                 config={"displaylogo": False}, div_id=f"fig{len(parts)}"))
        first = False
    if len(pr):
        top = pr[pr["rank"] <= 5].copy()
        if "rank_low" in top.columns and top["rank_low"].notna().any():
            top["rank (95% interval)"] = [f"{r} ({lo:.0f}-{hi:.0f})" if pd.notna(lo) else str(r)
                                          for r, lo, hi in zip(top["rank"], top["rank_low"], top["rank_high"])]
            top["in top 3"] = [f"{p:.0%}" if pd.notna(p) else "" for p in top["p_top3"]]
            cols = ["scope_type", "scope", "rank (95% interval)", "in top 3", "name", "score", "reason", "quotes"]
        else:
            cols = ["scope_type", "scope", "rank", "name", "score", "reason", "quotes"]
        parts.append(_table(top, cols, 80))
    parts.append("<h2>Draft action plan</h2><p class='note'>“You said” is drawn from de-identified comments; "
                 "the co-design group fills “We plan to” and “By” (edit <code>action_plan.xlsx</code>).</p>")
    if len(result.action_plan):
        parts.append(_table(result.action_plan, ["goal_id", "scope", "theme", "you_said", "we_plan_to", "by", "status"]))
    if result.cross_site is not None and len(result.cross_site):
        parts.append("<h2>Learning across hospitals</h2><p class='note'>Priority score of each theme at each "
                     "site (fixed scale: 0.5 = unremarkable, the same meaning at every site); "
                     "buddy pairs match a site's weakest themes with a service strong on them "
                     "(optimal assignment, each mentor helps at most two others, same region preferred).</p>")
        parts.append(plots.site_priority_heatmap(result.cross_site).to_html(full_html=False, include_plotlyjs=False,
                                                                           div_id="cross_site"))
        if result.buddies is not None and len(result.buddies):
            parts.append(_table(result.buddies, ["site", "name", "buddy", "same_region", "reason"]))
    if len(result.scores):
        parts.append("<h2>Survey scores (all respondents)</h2>")
        s = result.scores[(result.scores["site"] == "all") & (result.scores["group"] == "all")]
        parts.append(f"<p class='note'>{html.escape(_survey_note(result))}</p>")
        parts.append(_table(s, [c for c in ["question_id", "n", "estimate", "ci_low", "ci_high", "benchmark", "gap",
                                           "benchmark_source", "suppressed"] if c in s.columns]))
    parts.append("</body></html>")
    write_text(path, "\n".join(parts))  # complete, or not at all
