"""Statistical process control: XmR charts with the rules of NHS-R's NHSRplotthedots (``ptd_spc``).

The calculations follow the package's R sources line by line (commit 050b07d; file and function named
in each helper below), so a series gives the same limits and the same point types here and in R:

- **limits** (``ptd_spc_standard``): centre = mean; moving ranges ``|x[i] - x[i-1]|``; with
  ``screen_outliers`` the moving ranges not below ``3.267 x`` their mean are dropped and the mean moving
  range recomputed; process limits ``mean +/- 2.66 x mean moving range``; "close to the limits" means
  beyond ``2/3`` of the way to a limit but not beyond it;
- **rules** (``ptd_special_cause_type``), in this order of precedence:
  1. *beyond limits*: a point above the upper or below the lower limit ("Above UCL" / "Below LCL");
  2. *trend*: 7 consecutive points each higher (or each lower) than the one before; a tie breaks it
     ("7 Point Trend (Increasing)" / "(Decreasing)"), on either side of the mean;
  3. *two in three*: in 3 consecutive points all on the same side of the mean, 2 or more close to the
     limits; only the close points are flagged ("2 in 3 Above CL" / "Below CL");
  4. *run*: 7 or more consecutive points on the same side of the mean; a point on the mean breaks it
     ("7 Points Above CL" / "Below CL");
- **point type** (``ptd_point_type``): the pattern's direction (above / increasing = up) read against
  ``improvement``: ``special_cause_improvement``, ``special_cause_concern``, ``common_cause``; with
  ``improvement="neutral"``: ``special_cause_neutral_high`` / ``special_cause_neutral_low``;
- **rebase** (``ptd_add_rebase_column``): a new baseline starts at each named point: every group has its
  own mean, limits and rules; **fix_after_n_points** (at least 12): limits from each group's first n points;
- **short series** (``ptd_add_short_group_warnings``): a group of fewer than 13 points is marked
  ``short_group_warning`` and :class:`ShortSeriesWarning` is raised (its limits are trial limits).

A missing value (NaN) is treated as R treats a month absent from the data: left out of the mean, the
moving ranges and the rules (the points either side of it are consecutive); its row is kept, marked
``point_type = "missing"``.

>>> t = xmr([50, 52, 49, 51, 50, 48, 51, 50, 49, 51, 50, 49, 52, 50, 48, 70])
>>> t["special_cause_type"].iloc[-1], round(float(t["ucl"].iloc[0]), 2), t["point_type"].iloc[-1]
('Above UCL', 56.19, 'special_cause_improvement')
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import ConfigError, InputError

LIMIT = 2.66  # 3 sigma in mean moving ranges (3 / 1.128)
CLOSE = 2 * LIMIT / 3  # "close to the limits": beyond 2 sigma
SCREEN = 3.267  # moving ranges not below SCREEN x their mean are screened out
SHORT = 13  # groups with fewer points get short_group_warning (ptd_spc.warning_threshold)
MIN_FIX = 12  # ptd_spc_options: fix_after_n_points >= 12
DIRECTIONS = {"increase": 1, "neutral": 0, "decrease": -1}

SPC_COLUMNS = ["x", "rebase_group", "short_group_warning", "mean", "mr", "lcl", "ucl", "beyond_limits",
               "relative_to_mean", "close_to_limits", "trend", "two_of_three", "run", "special_cause_type",
               "special_cause_flag", "point_type", "variation"]
"""Columns of :func:`xmr`, in order (R's ``ptd_spc`` name in brackets where it differs):

``x`` the value (R ``y``); ``rebase_group`` 0, 1, ... counting rebases; ``short_group_warning`` the group
has fewer than 13 points; ``mean`` (``mean_col``); ``mr`` the moving range from the previous observed point
of the group (before screening); ``lcl``/``ucl`` (``lpl``/``upl``); ``beyond_limits`` (``outside_limits``);
``relative_to_mean`` -1/0/1 (``<NA>`` when missing); ``close_to_limits``; ``trend``, ``two_of_three``,
``run``: the point belongs to that pattern (before precedence); ``special_cause_type`` R's label of the
rule that wins (``Missing`` for a missing value); ``special_cause_flag``; ``point_type`` R's point type, or ``"missing"``; ``variation`` a
short reading for charts: ``common``, ``improvement``, ``concern``, ``neutral`` or ``missing``.
"""


class ShortSeriesWarning(UserWarning):
    """An SPC group has fewer than 13 points: its limits are trial limits and will move with new points."""


class CollapsedLimitsWarning(UserWarning):
    """An SPC group's mean moving range is 0 although its values differ (nearly every period has the same value,
    and screening dropped the few moving ranges that were not 0): its limits collapse onto the mean, so every
    point off the mean reads as beyond them. R's ptd_spc gives the same table; the warning says not to read it."""


def _limits(y: np.ndarray, fix_after: int | None, screen: bool) -> tuple[float, float]:
    """Mean and mean moving range of one group (R: ptd_spc_standard)."""
    base = y[:fix_after] if fix_after else y
    if len(base) < 2:
        return (float(base.mean()) if len(base) else np.nan), np.nan
    mr = np.abs(np.diff(base))
    amr = mr.mean()
    if screen:
        kept = mr[mr < SCREEN * amr]  # strictly below, as R's case_when
        amr = kept.mean() if len(kept) else np.nan
    return float(base.mean()), float(amr)


def _part_of_seven(ends: np.ndarray) -> np.ndarray:
    """R ptd_part_of_seven_trend: a point is part of a pattern ending at it or at one of the next 6."""
    padded = np.r_[np.abs(ends) == 1, np.zeros(6, dtype=bool)]
    return np.array([padded[i:i + 7].any() for i in range(len(ends))], dtype=bool)


def _trend_ends(y: np.ndarray) -> np.ndarray:
    """R ptd_seven_point_trend: +1 / -1 where the last 7 points rise / fall at every step."""
    out = np.zeros(len(y))
    steps = np.sign(np.diff(y))
    for i in range(6, len(y)):
        window = steps[i - 6:i]
        if (window == 1).all():
            out[i] = 1
        elif (window == -1).all():
            out[i] = -1
    return out


def _run_ends(side: np.ndarray) -> np.ndarray:
    """R ptd_seven_point_one_side_mean: 1 where this point and the 6 before are on one side of the mean."""
    padded = np.r_[np.zeros(6), side]
    return np.array([float(padded[i + 6] != 0 and (padded[i:i + 7] == padded[i + 6]).all())
                     for i in range(len(side))])


def _two_in_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    """R ptd_two_in_three and ptd_part_of_two_in_three: close points of a 3-point window, all on one side
    of the mean, holding at least 2 close points."""
    c, s = np.r_[0, 0, close.astype(int), 0, 0], np.r_[0, 0, side, 0, 0]
    hit = np.array([any(c[i + k:i + k + 3].sum() >= 2 and abs(s[i + k:i + k + 3].sum()) == 3 for k in range(3))
                    for i in range(len(close))])
    return hit & close


def _group(y: np.ndarray, direction: int, fix_after: int | None, screen: bool) -> dict[str, np.ndarray]:
    """Every column of one rebase group's observed points (R: ptd_spc_standard + ptd_calculate_point_type)."""
    mean, amr = _limits(y, fix_after, screen)
    lcl, ucl = mean - LIMIT * amr, mean + LIMIT * amr
    beyond = (y > ucl) | (y < lcl)
    side = np.sign(y - mean)
    close = ~beyond & ((y < mean - CLOSE * amr) | (y > mean + CLOSE * amr))
    trend = _part_of_seven(_trend_ends(y))
    two3 = _two_in_three(close, side)
    run = _part_of_seven(_run_ends(side))
    # direction of a trend point: the step to the next point if that is in the trend too, else the step in
    sdy = np.sign(np.diff(y))
    right = np.r_[sdy, sdy[-1:]] if len(sdy) else np.zeros(len(y))
    left = np.r_[0, sdy]
    nxt = np.r_[trend[1:], False]
    sdy = np.where(trend & nxt, right, left)
    above = np.where(side > 0, "Above", "Below")
    kind = np.select(
        [beyond, trend, two3, run],
        [np.where(side == 1, "Above UCL", "Below LCL"),
         np.where(sdy == 1, "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"),
         np.char.add(np.char.add("2 in 3 ", above), " CL"), np.char.add(np.char.add("7 Points ", above), " CL")],
        "Common Cause")
    up = np.array([1 if ("Above" in k or "Increasing" in k) else -1 if ("Below" in k or "Decreasing" in k) else 0
                   for k in kind])
    if direction == 0:
        point = np.select([up > 0, up < 0], ["special_cause_neutral_high", "special_cause_neutral_low"],
                          "common_cause")
    else:
        v = up * direction
        point = np.select([v > 0, v < 0], ["special_cause_improvement", "special_cause_concern"], "common_cause")
    return {"mean": np.full(len(y), mean), "mr": np.r_[np.nan, np.abs(np.diff(y))][:len(y)],
            "lcl": np.full(len(y), lcl), "ucl": np.full(len(y), ucl), "beyond_limits": beyond,
            "relative_to_mean": side, "close_to_limits": close, "trend": trend, "two_of_three": two3, "run": run,
            "special_cause_type": kind, "point_type": point}


def _order(x: np.ndarray, index) -> tuple[np.ndarray, pd.Index]:
    """The values in index order (R arranges by date); duplicates refused (ptd_validate_spc_options)."""
    if index is None:
        return x, pd.RangeIndex(len(x))
    idx = pd.Index(index)
    if len(idx) != len(x):
        raise InputError(f"xmr: {len(x)} values but {len(idx)} index labels",
                         hint="Give one index label (a date or period) per value.")
    if idx.has_duplicates:
        dup = idx[idx.duplicated()].unique()[:3].tolist()
        raise InputError(f"xmr: duplicate index labels {dup}",
                         hint="Give one value per date (aggregate the series first, e.g. one value per month).")
    try:
        order = idx.argsort(kind="stable")
    except TypeError as exc:
        raise InputError("xmr: the index labels cannot be ordered",
                         hint="Use dates, periods or numbers of one type as the index.") from exc
    return x[order], idx[order]


def _values(values) -> np.ndarray:
    """The measure as floats; text that is not a number, or an infinite value, is an InputError at its position."""
    raw = pd.Series(list(values) if not isinstance(values, pd.Series) else values.to_numpy(), dtype=object)
    x = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero((np.isnan(x) & raw.notna().to_numpy()) | np.isinf(x))
    if len(bad):
        raise InputError(f"xmr: value {raw.iloc[bad[0]]!r} at position {bad[0]} is not a finite number",
                         row=int(bad[0]), hint="Give one number per period; leave a period without a value empty (NaN).")
    return x


def _rebase_groups(idx: pd.Index, rebase) -> np.ndarray:
    """0, 1, ... per point: cumulative count of rebase points up to and including it (R: cumsum(rebase))."""
    flags = np.zeros(len(idx), dtype=int)
    for label in rebase or ():
        where = idx.get_indexer([label])[0]
        if where < 0:
            raise InputError(f"xmr: rebase point {label!r} is not in the series' index",
                             hint=f"Name points of the index (from {idx[0]!r} to {idx[-1]!r}).")
        flags[where] = 1
    return np.cumsum(flags)


def xmr(values: Sequence[float], index: Sequence | None = None, *, improvement: str = "increase",
        rebase: Sequence | None = None, fix_after_n_points: int | None = None,
        screen_outliers: bool = True) -> pd.DataFrame:
    """An XmR table with NHSRplotthedots' rules: one row per value, columns :data:`SPC_COLUMNS`.

    Parameters
    ----------
    values : the measure, one value per period (NaN for a period without a value).
    index : one label per value (dates or periods); rows are put in its order. Default 0, 1, ...
    improvement : ``"increase"`` (higher is better), ``"decrease"`` or ``"neutral"``.
    rebase : index labels where a new baseline starts (e.g. the month a change was made).
    fix_after_n_points : compute each group's limits from its first n observed points only (n >= 12).
    screen_outliers : drop large moving ranges before computing the limits (R's default).

    Raises ``ConfigError`` for an unknown ``improvement`` or a ``fix_after_n_points`` below 12,
    ``InputError`` for duplicate index labels, a rebase point not in the index, or a value that is infinite or
    not a number; warns with :class:`ShortSeriesWarning` when a group has fewer than 13 observed points and
    with :class:`CollapsedLimitsWarning` when a group's limits collapse onto its mean.
    """
    if improvement not in DIRECTIONS:
        raise ConfigError(f"xmr: improvement must be one of {sorted(DIRECTIONS)}, not {improvement!r}")
    if fix_after_n_points is not None and not (isinstance(fix_after_n_points, (int, np.integer))
                                               and fix_after_n_points >= MIN_FIX):
        raise ConfigError(f"xmr: fix_after_n_points must be a whole number of at least {MIN_FIX} "
                          f"(as in NHSRplotthedots), not {fix_after_n_points!r}")
    x, idx = _order(_values(values), index)
    groups = _rebase_groups(idx, rebase)
    n = len(x)
    out = {"x": x, "rebase_group": groups, "short_group_warning": np.zeros(n, dtype=bool),
           "mean": np.full(n, np.nan), "mr": np.full(n, np.nan), "lcl": np.full(n, np.nan),
           "ucl": np.full(n, np.nan), "beyond_limits": np.zeros(n, dtype=bool),
           "relative_to_mean": np.full(n, np.nan), "close_to_limits": np.zeros(n, dtype=bool),
           "trend": np.zeros(n, dtype=bool), "two_of_three": np.zeros(n, dtype=bool), "run": np.zeros(n, dtype=bool),
           "special_cause_type": np.full(n, "Missing", dtype=object), "point_type": np.full(n, "missing", dtype=object)}
    short, collapsed = [], []
    for g in np.unique(groups):
        rows = np.flatnonzero((groups == g) & ~np.isnan(x))
        in_group = groups == g
        if len(rows) < SHORT:
            out["short_group_warning"][in_group] = True
            short.append((int(g), len(rows)))
        if not len(rows):
            continue
        cols = _group(x[rows], DIRECTIONS[improvement], fix_after_n_points, screen_outliers)
        if cols["ucl"][0] == cols["lcl"][0] and np.any(x[rows] != cols["mean"][0]):
            collapsed.append(int(g))
        for name, vals in cols.items():
            if name in ("mean", "lcl", "ucl"):
                out[name][in_group] = vals[0]  # the lines continue through a missing period
            else:
                out[name][rows] = vals
    t = pd.DataFrame(out, index=idx)
    t["relative_to_mean"] = t["relative_to_mean"].astype("Int64")
    t["special_cause_flag"] = ~t["special_cause_type"].isin(["Common Cause", "Missing"])
    t["variation"] = t["point_type"].map({"special_cause_improvement": "improvement",
                                          "special_cause_concern": "concern", "common_cause": "common",
                                          "special_cause_neutral_high": "neutral",
                                          "special_cause_neutral_low": "neutral", "missing": "missing"})
    if short:
        where = ", ".join(f"rebase group {g}: {k} points" if len(np.unique(groups)) > 1 else f"{k} points"
                          for g, k in short)
        warnings.warn(ShortSeriesWarning(
            f"SPC series with fewer than {SHORT} points ({where}): the limits are trial limits and will move "
            "as points are added; read special causes with care, or wait for more periods."), stacklevel=2)
    if collapsed:
        warnings.warn(CollapsedLimitsWarning(
            f"SPC limits collapse onto the mean (rebase group(s) {collapsed}): the moving ranges are all 0 once "
            "the large ones are screened out, so every point off the mean is 'beyond the limits'. The series "
            "barely varies (a count that is nearly always the same?): read it as a table, not as special causes, "
            "or try screen_outliers=False."), stacklevel=2)
    return t[SPC_COLUMNS]
