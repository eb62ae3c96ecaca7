"""Statistical process control: XmR charts with the NHS "Making Data Count" rules.

As in NHS-R's NHSRplotthedots: the centre line is the mean, the process limits are
``mean +/- 2.66 x mean moving range`` (moving ranges above 3.267 x their mean are screened
out before the limits are computed, NHSRplotthedots' default), and each point is tested for special-cause variation:

- ``beyond_limits``: a point outside the process limits;
- ``run``: a run of 7 or more consecutive points on one side of the mean;
- ``trend``: 7 or more consecutive points all increasing or all decreasing;
- ``two_of_three``: 2 of 3 consecutive points beyond 2 sigma (``2/3`` of the way to a limit) on the same side.

>>> t = xmr([50, 52, 49, 51, 50, 48, 51, 50, 49, 51, 50, 49, 52, 50, 48, 70])
>>> t["beyond_limits"].tolist()[-1], round(float(t["ucl"].iloc[0]), 2), t["variation"].iloc[-1]
(True, 56.19, 'improvement')
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

RUN = 7
TREND = 7


def _run_flags(signs: np.ndarray, length: int) -> np.ndarray:
    flags = np.zeros(len(signs), dtype=bool)
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start] or signs[start] == 0:
            if signs[start] != 0 and i - start >= length:
                flags[start:i] = True
            start = i
    return flags


def xmr(values: Sequence[float], index: Sequence | None = None, *, improvement: str = "increase",
        screen_outliers: bool = True) -> pd.DataFrame:
    """An XmR table: ``x, mean, mr, lcl, ucl`` and a column per rule; ``variation`` summarises
    each point as ``common``, ``improvement`` or ``concern`` (given the ``improvement`` direction).
    """
    x = np.asarray(values, dtype=float)
    mr = np.abs(np.diff(x))
    mr_bar = mr.mean() if len(mr) else 0.0
    if screen_outliers and len(mr):
        kept = mr[mr <= 3.267 * mr_bar]
        mr_bar = kept.mean() if len(kept) else mr_bar
    mean = x.mean()
    ucl, lcl = mean + 2.66 * mr_bar, mean - 2.66 * mr_bar
    sigma = 2.66 * mr_bar / 3
    beyond = (x > ucl) | (x < lcl)
    side = np.sign(x - mean)
    run = _run_flags(side, RUN)
    steps = np.sign(np.diff(x))
    trend = np.zeros(len(x), dtype=bool)
    step_runs = _run_flags(steps, TREND - 1)  # 6 consecutive steps = 7 points
    for i in np.flatnonzero(step_runs):
        trend[i] = trend[i + 1] = True
    near_hi, near_lo = x > mean + 2 * sigma, x < mean - 2 * sigma
    two3 = np.zeros(len(x), dtype=bool)
    for i in range(len(x) - 2):
        for near in (near_hi, near_lo):
            if near[i:i + 3].sum() >= 2:
                two3[i:i + 3] |= near[i:i + 3]
    special = beyond | run | trend | two3
    up = x > mean if improvement == "increase" else x < mean
    out = pd.DataFrame({"x": x, "mean": mean, "mr": np.r_[np.nan, mr], "lcl": lcl, "ucl": ucl,
                        "beyond_limits": beyond, "run": run, "trend": trend, "two_of_three": two3})
    out["variation"] = np.where(~special, "common", np.where(up, "improvement", "concern"))
    if index is not None:
        out.index = pd.Index(index)
    return out
