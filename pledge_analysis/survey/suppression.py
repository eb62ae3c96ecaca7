"""The one suppression rule: a survey result from fewer than ``min_n`` respondents is not shown or used.

CPES suppresses every result with fewer than 21 respondents; so do we, by default
(``suppress_below:`` in ``project.yaml`` changes it). The rule lives here, as a small pure
function, and every place that shows or uses a survey estimate calls it: the scores table
(:func:`~pledge_analysis.survey.score_questions`: estimate and interval blanked, ``suppressed``
true), funnel z-scores for buddy pairing (:func:`pledge_analysis.cross_site.survey_z`), the
group and site comparisons (:func:`~pledge_analysis.survey.compare`: no test on a suppressed
cell) and the report.

Secondary suppression (:func:`hold_lines`, the one rule for every table whose cells add up): a cell that is not
small but would give a suppressed one back by subtraction (the programme's n minus the other hospitals') is
held back too, :func:`held_back_scores` for a scores table (its ``held_back`` column), and not shown wherever
survey figures are shown (:data:`HELD_BACK_WORDS`); the analysis still uses it.

>>> is_suppressed([8, 20, 21, 300]).tolist()
[True, True, False, False]
>>> is_suppressed(15, min_n=10)
False
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ConfigError

MIN_N = 21

#: How a page writes a survey figure held back by secondary suppression (:func:`held_back_scores`): not the
#: number of answers, not the result.
HELD_BACK_WORDS = "not shown, so that a result from too few answers cannot be worked out from it"

#: Columns of a scores table that are blanked when its cell is suppressed (``n`` is kept).
BLANKED = ("positives", "estimate", "ci_low", "ci_high")


def check_min_n(min_n) -> int:
    """``min_n`` as a whole number >= 1, or a :class:`ConfigError` saying what to write."""
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ConfigError(f"the suppression threshold must be a whole number of respondents >= 1, not {min_n!r}. "
                          "Set suppress_below: in project.yaml (CPES uses 21).")
    return int(min_n)


def is_suppressed(n, min_n: int = MIN_N):
    """True where fewer than ``min_n`` respondents answered (a missing ``n`` counts as suppressed).

    Scalars give a bool, arrays and Series a boolean array of the same shape.
    """
    min_n = check_min_n(min_n)
    arr = np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(n)), errors="coerce"), dtype=float)
    out = ~(arr >= min_n)  # NaN compares False: suppressed
    if np.ndim(n) == 0:
        return bool(out[0])
    return out


def suppressed_mask(table: pd.DataFrame, min_n: int | None = None) -> np.ndarray:
    """Which rows of a scores-like table are suppressed.

    With ``min_n`` given, the rule is applied to ``n``. Without it, a ``suppressed`` column (set
    by :func:`~pledge_analysis.survey.score_questions` with the project's threshold) is trusted,
    and a table without one gets the default rule on ``n``.
    """
    if min_n is None and "suppressed" in table.columns:
        return table["suppressed"].fillna(True).astype(bool).to_numpy()
    return is_suppressed(table["n"], MIN_N if min_n is None else min_n)


def suppress(scores: pd.DataFrame, min_n: int = MIN_N) -> pd.DataFrame:
    """``scores`` with ``suppressed`` set by the rule and the estimate columns blanked where true."""
    out = scores.copy()
    mask = is_suppressed(out["n"], min_n)
    out["suppressed"] = mask
    for col in BLANKED:
        if col in out.columns:
            out[col] = out[col].astype(float).where(~mask)
    return out


def hold_lines(values: dict, lines, min_n: int, hidden=None) -> set:
    """Secondary suppression, the one rule for every table whose cells add up (a total and its parts): the
    keys of ``values`` (cell -> count) to hold back although their count is not small, so that no count under
    ``min_n`` (and above 0) comes back by arithmetic. ``lines``: ``(total_key, [part_keys])`` pairs, each
    meaning total = sum of parts. A line with exactly one hidden cell gives it back (the total minus the shown
    parts, or the parts added up), so the smallest other shown non-zero part is held back too (the first of
    equal ones), or, when there is none, the total; repeated until no line has exactly one hidden cell, since a
    cell held in one line can be the single hidden cell of another (a hospital's row and a group's column).
    ``hidden``: the cells hidden to begin with, when not every small one is (a count printed exactly on purpose
    can still be held back).

    >>> sorted(hold_lines({"all": 30, "primary": 25, "staff": 5}, [("all", ["primary", "staff"])], 21))
    ['primary']

    Hospital C's 15 is hidden, so B (the smallest other) is held; B's groups (22 and 23, both shown) would add up
    to it, so one of them is held too:

    >>> v = {"all": 110, "A": 50, "B": 45, "C": 15, "B1": 22, "B2": 23}
    >>> sorted(hold_lines(v, [("all", ["A", "B", "C"]), ("B", ["B1", "B2"])], 21))
    ['B', 'B1']
    """
    min_n = check_min_n(min_n)
    count = {k: int(v) if pd.notna(v) else 0 for k, v in values.items()}
    hidden = {k for k, v in count.items() if 0 < v < min_n} if hidden is None else set(hidden)
    held: set = set()
    lines = [(t, [p for p in parts if count.get(p, 0) > 0]) for t, parts in lines if t in count]
    order = {k: i for i, k in enumerate(values)}
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            if not parts or sum(c in hidden or c in held for c in [total, *parts]) != 1:
                continue
            shown = [p for p in parts if p not in hidden and p not in held]
            pick = (min(shown, key=lambda p: (count[p], order[p])) if shown
                    else total if total not in hidden and total not in held else None)
            if pick is not None:
                held.add(pick)
                changed = True
    return held


def second_to_hold(counts: list[int], suppress_below: int) -> int | None:
    """:func:`hold_lines` for one list of counts that add up to a shown total: when exactly one of ``counts`` is
    hidden (under ``suppress_below``), the position of the smallest other non-zero one (the first of equal
    ones), which must be held back too; None when none or two or more are hidden (only their sum comes back).

    >>> second_to_hold([25, 5, 40], 21), second_to_hold([25, 5, 3], 21), second_to_hold([25, 40], 21)
    (0, None, None)
    """
    counts = [int(c) if pd.notna(c) else 0 for c in counts]
    values = {("total",): max(sum(counts), suppress_below), **dict(enumerate(counts))}  # the total is shown
    held = hold_lines(values, [(("total",), list(range(len(counts))))], suppress_below)
    return next((i for i in range(len(counts)) if i in held), None)


def held_back_scores(scores: pd.DataFrame, min_n: int = MIN_N) -> np.ndarray:
    """Secondary suppression of a scores table by site and group (the run's ``survey_scores.csv``): which rows
    are not suppressed themselves but must not be shown either, because with them a suppressed cell's number of
    answers (and so its positives) would come back by subtraction. For each question the hospitals add up to the
    programme, the groups to the programme, a hospital's groups to the hospital and a group's hospitals to the
    group (:func:`hold_lines`). A boolean array aligned to ``scores`` (the ``held_back`` column; all False
    when no cell is suppressed). Whatever shows a survey figure to a person hides these rows as it hides
    suppressed ones (:func:`with_held_back` gives a table its column).

    >>> s = pd.DataFrame({"site": ["all", "A", "B", "C"], "group": "all", "question_id": "Q1",
    ...                   "n": [100, 40, 45, 15]})
    >>> held_back_scores(s, 21).tolist()
    [False, True, False, False]
    """
    min_n = check_min_n(min_n)
    out = np.zeros(len(scores), bool)
    if not len(scores) or not {"site", "group", "question_id", "n"} <= set(scores.columns):
        return out
    keys = list(zip(scores["question_id"].astype(str), scores["site"].astype(str), scores["group"].astype(str)))
    for q in dict.fromkeys(k[0] for k in keys):
        values = {k[1:]: n for k, n in zip(keys, scores["n"]) if k[0] == q}
        sites = [s for s in dict.fromkeys(s for s, _ in values) if s != "all"]
        groups = [g for g in dict.fromkeys(g for _, g in values) if g != "all"]
        lines = [(("all", "all"), [(s, "all") for s in sites]), (("all", "all"), [("all", g) for g in groups])]
        lines += [((s, "all"), [(s, g) for g in groups]) for s in sites]
        lines += [(("all", g), [(s, g) for s in sites]) for g in groups]
        held = hold_lines(values, lines, min_n)
        out |= np.array([k[0] == q and k[1:] in held for k in keys], bool)
    return out


def with_held_back(scores: pd.DataFrame | None, min_n: int | None) -> pd.DataFrame | None:
    """``scores`` with its ``held_back`` column: as the run wrote it, or found by :func:`held_back_scores` for a
    table without one (a scores table built in Python, the ``survey_scores.csv`` of an earlier release). Every
    function that writes survey figures for a person to read starts from this, so the rule is applied however
    the scores were made; without a rule (``min_n`` None or 1) the table as it is."""
    if scores is None or not len(scores) or "held_back" in scores.columns or not min_n or min_n <= 1:
        return scores
    return scores.assign(held_back=held_back_scores(scores, min_n))
