"""Progress between review rounds: goals achieved and overdue, and whether each goal's theme improved.

For every goal, the change between two rounds in the theme's survey items (% positive) and in
the negativity of its comments, each with a Newcombe 95% interval for the difference, within
the goal's scope (everyone, a group or a site).
"""
from __future__ import annotations

import logging
import warnings
from datetime import date

import numpy as np
import pandas as pd

from . import schema
from .pledge import effective_status
from .priorities import scope_scores
from .survey.comparisons import two_proportions

log = logging.getLogger(__name__)


def reworded(before, after) -> dict[str, tuple[str, str]]:
    """``{question_id: (wording before, wording after)}`` for each question of both rounds whose wording
    (``text``, else ``column``, ignoring case, punctuation and spacing) changed between them and that neither
    round declares the same question (``same_question_as:`` in questions.yaml naming the other wording).
    Rounds without a ``questions`` table (or without ``text``) give ``{}``: nothing to compare."""
    from .io.detect import wording_key

    def wordings(run) -> dict[str, tuple[str, set[str]]]:
        q = getattr(run, "questions", None)
        if q is None or not len(q) or "text" not in q.columns:
            return {}
        same = q["same_question_as"] if "same_question_as" in q.columns else [[]] * len(q)
        cols = q["column"] if "column" in q.columns else q["question_id"]
        return {qid: (str(text or col), {wording_key(x) for x in (also or [])})
                for qid, text, col, also in zip(q["question_id"], q["text"], cols, same)}

    w0, w1 = wordings(before), wordings(after)
    out = {}
    for qid in sorted(w0.keys() & w1.keys()):
        (a, also0), (b, also1) = w0[qid], w1[qid]
        ka, kb = wording_key(a), wording_key(b)
        if ka != kb and ka not in also1 and kb not in also0:
            out[qid] = (a, b)
    return out


def _scope_filter(df: pd.DataFrame, scope: str) -> pd.DataFrame:
    scope_type = "all" if scope == "all" else "group" if scope in set(df["group"]) else "site"
    return scope_scores(df, scope_type, scope)


def plan_summary(plan: pd.DataFrame, today: date | None = None) -> dict:
    """``{"goals", "achieved", "share_achieved", "ongoing", "overdue"}``."""
    eff = effective_status(plan, today)
    n = len(plan)
    return {"goals": n, "achieved": int((eff == "achieved").sum()),
            "share_achieved": float((eff == "achieved").mean()) if n else 0.0,
            "ongoing": int((eff == "ongoing").sum()), "overdue": int((eff == "overdue").sum())}


def goal_progress(plan: pd.DataFrame, codebook: pd.DataFrame, before, after, *,
                  today: date | None = None) -> pd.DataFrame:
    """One row per goal and measure (:data:`pledge_analysis.schema.GOAL_PROGRESS`): ``goal_id, theme,
    scope, status, measure, before, after, estimate`` (``after - before``; ``change`` in earlier
    releases)``, ci_low, ci_high, improved`` (None, not False, when a round's result is suppressed: too few
    answers to tell). ``before``/``after`` have ``scores`` and ``themes``
    tables (e.g. two :class:`pledge_analysis.pipeline.RunResult`). A plan with no measurable goal
    gives an empty table with these columns.

    A survey item whose question was reworded between the rounds (:func:`reworded`; ``questions`` tables
    of the two runs) is left out, with a :class:`UserWarning` and a log line naming both wordings, also kept
    in ``attrs["left_out"]`` of the table; ``same_question_as:`` in questions.yaml declares two wordings the
    same question, and it is compared again."""
    items = dict(zip(codebook["code_id"], codebook["survey_items"]))
    eff = effective_status(plan, today)
    rows = []
    changed, left_out = reworded(before, after), []
    for (_, g), status in zip(plan.iterrows(), eff):
        base = {"goal_id": g["goal_id"], "theme": g["theme"], "scope": g["scope"], "status": status}
        s0, s1 = _scope_filter(before.scores, g["scope"]), _scope_filter(after.scores, g["scope"])
        for q in items.get(g["theme"]) or []:
            a, b = s0[s0["question_id"] == q], s1[s1["question_id"] == q]
            if a.empty or b.empty or a["kind"].iloc[0] != "proportion":
                continue
            if q in changed:  # not the same question: a change in its % positive would mean nothing
                if q not in {x["question_id"] for x in left_out}:
                    w0, w1 = changed[q]
                    line = (f"goal progress: {q} is left out of the comparison between rounds: its question was "
                            f"reworded ({w0!r} before, {w1!r} after). If both ask the same thing, add "
                            f"same_question_as: [{w0!r}] to {q} in the later round's questions.yaml")
                    left_out.append({"question_id": q, "before": w0, "after": w1, "note": line})
                    warnings.warn(line, UserWarning, stacklevel=2)
                    log.warning(line)
                continue
            k0, n0, k1, n1 = a["positives"].iloc[0], a["n"].iloc[0], b["positives"].iloc[0], b["n"].iloc[0]
            d = two_proportions(k1, n1, k0, n0)
            rows.append(base | {"measure": f"{q} % positive", "before": k0 / n0, "after": k1 / n1,
                                "estimate": d["estimate"], "ci_low": d["ci_low"], "ci_high": d["ci_high"],
                                "improved": bool(d["ci_low"] > 0) if not np.isnan(d["ci_low"]) else None})
        t0 = before.themes[(before.themes["scope"] == g["scope"]) & (before.themes["theme"] == g["theme"])]
        t1 = after.themes[(after.themes["scope"] == g["scope"]) & (after.themes["theme"] == g["theme"])]
        if len(t0) and len(t1) and t0["n_segments"].iloc[0] and t1["n_segments"].iloc[0]:
            k0, n0 = t0["n_negative"].iloc[0], t0["n_segments"].iloc[0]
            k1, n1 = t1["n_negative"].iloc[0], t1["n_segments"].iloc[0]
            d = two_proportions(k1, n1, k0, n0)
            rows.append(base | {"measure": "comment negativity", "before": k0 / n0, "after": k1 / n1,
                                "estimate": d["estimate"], "ci_low": d["ci_low"], "ci_high": d["ci_high"],
                                "improved": bool(d["ci_high"] < 0) if not np.isnan(d["ci_high"]) else None})
    out = schema.conform(pd.DataFrame(rows, columns=list(schema.GOAL_PROGRESS)), "goal_progress")
    out.attrs["left_out"] = left_out  # the questions not compared (reworded), each with its note
    return out
