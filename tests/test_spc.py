"""SPC (XmR) parity with NHS-R's NHSRplotthedots ``ptd_spc``.

Every expected flag below is derived by hand from the R sources of NHSRplotthedots (commit 050b07d,
github.com/nhs-r-community/NHSRplotthedots), cited per test: ``R/ptd_spc_standard.R`` (mean, moving
ranges, outlier screening, limits, near-limits), ``R/ptd_calculate_point_type.R`` (the special-cause
rules, their precedence and the point types), ``R/ptd_add_rebase_column.R`` (rebase groups) and
``R/ptd_add_short_group_warnings.R`` (the short-series warning).
"""
import warnings

import numpy as np
import pandas as pd
import pytest

from pledge_analysis.errors import ConfigError, InputError
from pledge_analysis.survey import ShortSeriesWarning, xmr
from pledge_analysis.survey.spc import SPC_COLUMNS

# R: set.seed(123); rnorm(20), the series of tests/testthat/test-ptd_spc_standard.R
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
             -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
             -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141]
BASE = [45.0, 55.0] * 5  # mean 50, every moving range 10: wide limits, no rule fires


def test_limits_equal_the_packages_own_snapshots():
    """tests/testthat/_snaps/ptd_spc_standard.md: r1 (mean_col 0.1416238, lpl -3.01138, upl 3.294627),
    r2 (y[15] = 10, outliers screened: 0.6694159, -2.383666, 3.722497) and r3 (not screened: -4.596625,
    5.935457); relative_to_mean of r1 as printed; _snaps/ptd_spc.md: all 20 points common cause."""
    r1 = xmr(RNORM_123)
    assert r1["mean"].iloc[0] == pytest.approx(0.1416238, abs=5e-8)
    assert (r1["lcl"].iloc[0], r1["ucl"].iloc[0]) == pytest.approx((-3.01138, 3.294627), abs=5e-6)
    assert r1["relative_to_mean"].tolist()[:15] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    assert r1["point_type"].eq("common_cause").all()  # _snaps/ptd_spc.md: 20 of 20 common cause
    # the 18th point (-1.967) lies beyond mean - 2/3 (mean - lpl) = -1.960: close, but alone
    assert r1["close_to_limits"].tolist() == [False] * 17 + [True, False, False]
    y = list(RNORM_123)
    y[14] = 10
    r2, r3 = xmr(y), xmr(y, screen_outliers=False)
    assert (r2["mean"].iloc[0], r2["lcl"].iloc[0], r2["ucl"].iloc[0]) == pytest.approx(
        (0.6694159, -2.383666, 3.722497), abs=5e-6)
    assert (r3["lcl"].iloc[0], r3["ucl"].iloc[0]) == pytest.approx((-4.596625, 5.935457), abs=5e-6)
    assert r2["special_cause_type"].iloc[14] == "Above UCL" and list(r2.columns) == SPC_COLUMNS


def test_a_rise_below_the_mean_is_an_improvement_trend():
    """Observed: 7 rising points below the mean were "concern". R (ptd_special_cause_type): a 7-point trend
    (ptd_seven_point_trend: 6 steps of the same sign) outranks the run rule and is labelled by its
    direction ("7 Point Trend (Increasing)"), so with improvement "increase" it is an improvement,
    whatever side of the mean it lies on (ptd_point_type)."""
    s = BASE + [40, 41, 42, 43, 44, 45, 46]  # mean 47.1: all seven below it, within the limits
    t = xmr(s)
    assert t["special_cause_type"].tolist() == ["Common Cause"] * 10 + ["7 Point Trend (Increasing)"] * 7
    assert t["point_type"].tolist() == ["common_cause"] * 10 + ["special_cause_improvement"] * 7
    assert t["run"].iloc[10:].all() and t["trend"].iloc[10:].all()  # both patterns; the trend wins
    assert xmr(s, improvement="decrease")["point_type"].iloc[10:].eq("special_cause_concern").all()
    down = xmr([-v for v in s], improvement="decrease")  # mirror image: a fall above the mean
    assert down["special_cause_type"].iloc[10:].eq("7 Point Trend (Decreasing)").all()
    assert down["point_type"].iloc[10:].eq("special_cause_improvement").all()


def test_two_in_three_needs_all_three_on_one_side_and_ignores_points_beyond_the_limits():
    """Observed: the rule counted points beyond the limits and ignored the third point's side.
    R (ptd_spc_standard: close_to_limits = !outside_limits & beyond 2/3 of the limit; ptd_two_in_three:
    >= 2 close points in a window of 3 whose relative_to_mean sums to +/-3; ptd_part_of_two_in_three:
    only the close points are flagged)."""
    base = [49.0, 51.0] * 10
    t = xmr(base + [49, 55, 54.8, 49])  # two close points above, but each window has a point below
    assert t.loc[21:22, "close_to_limits"].all() and t.loc[21:22, "relative_to_mean"].eq(1).all()
    assert t["relative_to_mean"].iloc[20] == -1 and t["relative_to_mean"].iloc[23] == -1
    assert not t["two_of_three"].any() and t["point_type"].eq("common_cause").all()
    same_side = xmr(base + [52, 55, 54.8, 49])  # the third point (52) above the mean: the rule fires
    assert same_side["two_of_three"].tolist() == [False] * 21 + [True, True, False]
    assert same_side["special_cause_type"].iloc[21:23].eq("2 in 3 Above CL").all()
    beyond = xmr(base + [52, 56, 80, 52])  # one close point and one beyond the limit: not 2-in-3
    assert beyond["close_to_limits"].iloc[21] and beyond["beyond_limits"].iloc[22]
    assert beyond["special_cause_type"].iloc[21:24].tolist() == ["Common Cause", "Above UCL", "Common Cause"]


def test_a_missing_month_is_left_out_not_everything_common():
    """Observed: one NaN made every point "common" (the mean became NaN). R computes on the rows present
    (mean(..., na.rm = TRUE); rules over consecutive rows), so a month with no value is treated as a month
    absent from the data: the flags of the other points are those of the series without it."""
    s = BASE + [40, 41, 42, 43, 44, 45, 46]
    gap = s[:13] + [np.nan] + s[13:]
    t, ref = xmr(gap), xmr(s)
    kept = t.drop(index=13).reset_index(drop=True)
    for col in ("mean", "lcl", "ucl", "special_cause_type", "point_type", "trend"):
        assert kept[col].tolist() == ref[col].tolist(), col
    assert t.loc[13, "point_type"] == "missing" and not t.loc[13, "special_cause_flag"]
    assert t["point_type"].iloc[10:].value_counts().to_dict() == {"special_cause_improvement": 7, "missing": 1}


def test_neutral_direction_is_neither_improvement_nor_concern():
    """Observed: improvement="neutral" was treated as "decrease". R (ptd_point_type, improvement_direction
    0): special causes are "special_cause_neutral_high" / "special_cause_neutral_low"."""
    t = xmr(BASE + [150, 50, -50], improvement="neutral")  # mean 50, limits 50 +/- 85
    assert t["special_cause_type"].iloc[10:].tolist() == ["Above UCL", "Common Cause", "Below LCL"]
    assert t["point_type"].iloc[10:].tolist() == ["special_cause_neutral_high", "common_cause",
                                                   "special_cause_neutral_low"]
    assert t["variation"].iloc[10:].tolist() == ["neutral", "common", "neutral"]
    with pytest.raises(ConfigError, match="improvement"):
        xmr(BASE, improvement="up")


def test_rebase_starts_a_new_baseline_at_the_named_point():
    """R (ptd_add_rebase_column; ptd_spc_standard groups by cumsum(rebase)): each rebase group has its own
    mean and limits and its own rules. A step from 50 to 70 is a long run below then above one mean; after
    a rebase at the step both halves are common cause around their own means."""
    months = pd.period_range("2024-01", periods=28, freq="M")
    s = [49.0, 51.0] * 7 + [69.0, 71.0] * 7
    one = xmr(s, index=months)  # one mean (60); the step's moving range is screened out: limits 60 +/- 5.3
    assert one["special_cause_type"].tolist() == ["Below LCL"] * 14 + ["Above UCL"] * 14
    two = xmr(s, index=months, rebase=[months[14]])
    assert two["rebase_group"].tolist() == [0] * 14 + [1] * 14
    assert two["mean"].iloc[0] == pytest.approx(50) and two["mean"].iloc[-1] == pytest.approx(70)
    assert two["point_type"].eq("common_cause").all() and list(two.index) == list(months)
    with pytest.raises(InputError, match="rebase"):
        xmr(s, index=months, rebase=[pd.Period("2030-01", "M")])


def test_fix_after_n_points_freezes_the_limits():
    """R (ptd_spc_standard: fix_y keeps the first fix_after_n_points values of each group for the mean and
    moving ranges; ptd_spc_options: fix_after_n_points >= 12)."""
    s = [49.0, 51.0] * 7 + [57.0, 58.0] * 4
    t = xmr(s, fix_after_n_points=14)
    assert t["mean"].iloc[0] == pytest.approx(50) and t["ucl"].iloc[0] == pytest.approx(50 + 2.66 * 2)
    assert t["special_cause_type"].iloc[14:].eq("Above UCL").all()
    assert xmr(s)["mean"].iloc[0] > 50
    with pytest.raises(ConfigError, match="fix_after_n_points"):
        xmr(s, fix_after_n_points=8)


def test_short_series_warn_and_are_marked():
    """R (ptd_add_short_group_warnings, threshold 13): a group of fewer than 13 points gets
    short_group_warning = TRUE and a warning that its limits are trial limits."""
    with pytest.warns(ShortSeriesWarning, match="12 points"):
        t = xmr(BASE + [50, 50])
    assert t["short_group_warning"].all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not xmr(BASE + [50, 50, 50])["short_group_warning"].any()
    with pytest.warns(ShortSeriesWarning, match="rebase group 1"):
        r = xmr(BASE * 2 + [50, 51, 50, 51, 50], rebase=[20])  # no index: positions
    assert r["short_group_warning"].tolist() == [False] * 20 + [True] * 5


def test_index_is_ordered_and_duplicates_refused():
    """R (ptd_spc_standard arranges by date; ptd_validate_spc_options refuses duplicate dates)."""
    months = pd.period_range("2024-01", periods=17, freq="M")
    s = BASE + [40, 41, 42, 43, 44, 45, 46]
    shuffled = np.random.default_rng(0).permutation(17)
    t = xmr([s[i] for i in shuffled], index=months[shuffled])
    assert list(t.index) == list(months) and t["point_type"].tolist() == xmr(s)["point_type"].tolist()
    with pytest.raises(InputError, match="duplicate"):
        xmr(s, index=[months[0]] * 17)
