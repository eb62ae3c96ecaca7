"""The one suppression rule: a survey result from fewer than ``min_n`` respondents is not shown or used.

CPES suppresses every result with fewer than 21 respondents; so do we, by default
(``suppress_below:`` in ``project.yaml`` changes it). The rule lives here, as a small pure
function, and every place that shows or uses a survey estimate calls it: the scores table
(:func:`~pledge_analysis.survey.score_questions`: estimate and interval blanked, ``suppressed``
true), funnel z-scores for buddy pairing (:func:`pledge_analysis.cross_site.survey_z`), the
group and site comparisons (:func:`~pledge_analysis.survey.compare`: no test on a suppressed
cell) and the report.

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
