"""Session 11 audit of the survey statistics on real data and on edge cases.

1. Parity with NHS-R's FunnelPlotR (0.6.0, commit 9020d49, github.com/nhs-r-community/FunnelPlotR): the
   reference below is a line-by-line translation of its R sources for proportions (``data_type = "PR"``:
   ``R/od_adjustment.R`` transformed_zscore / winsorisation / phi_func / tau_func, ``R/calculate_limits.R``
   and ``R/build_limits_lookup.R`` for the limits on its grid of denominators with their truncation,
   ``R/funnel_plot.R`` for "phi <= 1 means unadjusted limits", ``R/outliers_func.R`` for the inclusive
   outlier rule), run on every breast-cancer question of the real 2018 national survey.
2. Edge cases (n = 0, 1, 2; p = 0 or 1; ties; one unit; suppressed rows; missing years; NaN; weights that
   cannot be used): a right answer or a named error, never a NaN read as "within" or ranked first.
3. Priorities from survey gaps: small samples shrunk, ties ranked by the documented rule, the ranking
   the same whatever the order of the input rows.

Random-input checks use seeded numpy generators (``hypothesis`` is not a dependency of the project).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import EXTERNAL
from pledge_analysis.errors import ConfigError, InputError
from pledge_analysis.survey import funnel, funnel_limits, read_national, trust_funnel, two_proportions, wilson_ci, xmr

CPES = EXTERNAL / "cpes" / "ncpes_2015_2018_CentreForCancerOutcomes.csv.gz"
needs_cpes = pytest.mark.skipif(not CPES.exists(), reason="national CPES results not available (../shared/external)")

# ----------------------------------------------------------------------------------------------------------------
# 1. FunnelPlotR, translated from R (constants as in its sources: 1.959964 and 3.090232)


def funnelplotr_pr(numerator, denominator, group, *, trim_by=0.1):
    """FunnelPlotR's ``funnel_plot(data_type = "PR", draw_adjusted = TRUE)``: its aggregated table with
    the limits at each unit's denominator, its ``outlier`` at 95% and 99.8%, and ``phi``, ``tau2``."""
    agg = (pd.DataFrame({"numerator": numerator, "denominator": denominator, "group": group})
           .groupby("group", as_index=False).sum())                                    # aggregate_func
    agg["rr"] = agg["numerator"] / agg["denominator"]
    target = agg["numerator"].sum() / agg["denominator"].sum()
    tt = math.asin(math.sqrt(target))                                                   # transformed_zscore
    s = 1 / (2 * np.sqrt(agg["denominator"].to_numpy(float)))
    u = (np.arcsin(np.sqrt(agg["rr"].to_numpy(float))) - tt) / s
    lz, uz = np.quantile(u, trim_by), np.quantile(u, 1 - trim_by)                       # R quantile type 7
    wz = np.where(u < lz, lz, np.where(u > uz, uz, u))                                  # winsorisation
    n = float(len(wz))
    phi = (1 / n) * np.sum(wz ** 2)                                                     # phi_func
    w = 1 / s ** 2                                                                      # tau_func
    tau2 = 0.0 if n * phi < n - 1 else max(0.0, (n * phi - (n - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    adjusted = phi > 1                                                  # funnel_plot: phi <= 1 -> unadjusted
    seq = np.sort(np.unique(np.r_[np.linspace(3, math.ceil(agg["denominator"].max()), 1000),
                                  agg["denominator"].to_numpy(float)]))                 # build_limits_lookup
    se = 1 / (2 * np.sqrt(seq))
    t2 = tau2 if adjusted else 0.0
    lim = {}
    for name, z, sign in (("ll95", 1.959964, -1), ("ul95", 1.959964, 1), ("ll998", 3.090232, -1),
                          ("ul998", 3.090232, 1)):                                      # calculate_limits, PR
        v = np.sin(tt + sign * z * np.sqrt(se ** 2 + t2)) ** 2
        v = np.where(v < 0, 0, v) if sign < 0 else np.where(v > 1, 1, v)
        if sign < 0:  # "arcsine trans at low denominators may not be monotonic, truncate if occurs"
            v[:-1] = np.where(v[:-1] > v[1:], 0, v[:-1])
        else:
            v[:-1] = np.where(v[:-1] < v[1:], 1, v[:-1])
        lim[name] = v
    agg = agg.merge(pd.DataFrame({"number_seq": seq, **lim}), left_on="denominator", right_on="number_seq")
    for level in ("95", "998"):                                                         # outliers_func
        agg[f"outlier{level}"] = ~((agg["rr"] <= agg[f"ul{level}"]) & (agg["rr"] >= agg[f"ll{level}"]))
    return agg.set_index("group"), {"phi": phi, "tau2": tau2, "adjusted": adjusted}


def breast_2018():
    """Every trust's unadjusted breast-cancer result of 2018 with 21 or more respondents, one table per
    question (published whole percentages: numerator = round(n x % / 100), as a FunnelPlotR user would)."""
    d = pd.read_csv(CPES, low_memory=False)
    b = d[(d["Year"] == 2018) & (d["Geog"] == "Trust") & (d["Cancer.Type"] == "Breast")
          & (d["adjusted.unadjusted.yearonyear"] == "unadjusted") & (d["Question.Number"] != "Q59")]
    b = b.dropna(subset=["scored.percentage", "Number.of.responses"])
    b = b[b["Number.of.responses"] >= 21]
    b = b.assign(k=np.round(b["scored.percentage"] * b["Number.of.responses"] / 100))
    return {q: g for q, g in b.groupby("Question.Number")}


@needs_cpes
def test_funnel_reproduces_funnelplotr_on_every_2018_breast_question():
    tables = breast_2018()
    assert len(tables) >= 45
    units = mismatches = adjusted = 0
    for q, g in tables.items():
        ref, info = funnelplotr_pr(g["k"].to_numpy(), g["Number.of.responses"].to_numpy(float),
                                   g["Trust.Code"].to_numpy())
        ours = funnel(pd.DataFrame({"trust": ref.index, "n": ref["denominator"].to_numpy(),
                                    "estimate": ref["rr"].to_numpy()}), overdispersion=True,
                      exact=False).set_index("trust")
        assert ours["phi"].iloc[0] == pytest.approx(info["phi"], rel=1e-9), q
        # FunnelPlotR computes a tau2 but draws unadjusted limits when phi <= 1; ours reports tau2 = 0 then
        assert ours["tau2"].iloc[0] == pytest.approx(info["tau2"] if info["adjusted"] else 0.0, rel=1e-9, abs=1e-15), q
        lim = funnel_limits(ours.reset_index(), unit="trust").set_index(["unit", "level"])
        for level, tag in ((0.95, "95"), (0.998, "998")):
            at = lim.xs(level, level="level").loc[ref.index]
            # within rounding: R's constants have 7 significant figures
            assert np.allclose(at["limit_low"], ref[f"ll{tag}"], atol=1e-5), (q, level)
            assert np.allclose(at["limit_high"], ref[f"ul{tag}"], atol=1e-5), (q, level)
            flagged = ours.loc[ref.index, f"flag{tag}"] != "within"
            mismatches += int((flagged != ref[f"outlier{tag}"]).sum())
        units += len(ref)
        adjusted += info["adjusted"]
    assert units > 5000 and adjusted > 30  # most questions are overdispersed: the adjusted branch is exercised
    assert mismatches == 0


@needs_cpes
def test_exact_binomial_guard_removes_flags_that_chance_explains_on_2018_breast():
    """FunnelPlotR's arcsine limits put every trust at 100% above its upper limit: on Q1 (94% nationally) a
    trust with 21 of 21 positive is "above", though 0.94^21 = 27% of such trusts score 100% by chance. By
    default a flag also needs the exact binomial tail (scipy) below (1 - level) / 2."""
    from scipy import stats

    removed = kept_flags = 0
    for q, g in breast_2018().items():
        n, k = g["Number.of.responses"].to_numpy(float), g["k"].to_numpy(float)
        d = pd.DataFrame({"n": n, "estimate": k / n})
        loose, strict = funnel(d, overdispersion=True, exact=False), funnel(d, overdispersion=True)
        p0 = strict["target"].iloc[0]
        for level, tag in ((0.95, "95"), (0.998, "998")):
            a, b = loose[f"flag{tag}"].to_numpy(), strict[f"flag{tag}"].to_numpy()
            chance_up = stats.binom.sf(k - 1, n, p0) >= (1 - level) / 2
            chance_down = stats.binom.cdf(k, n, p0) >= (1 - level) / 2
            expect = np.where((a == "above") & chance_up, "within", np.where((a == "below") & chance_down, "within", a))
            assert b.tolist() == expect.tolist(), (q, level)
            removed += int((a != b).sum())
            kept_flags += int((b != "within").sum())
    assert removed > 100 and kept_flags > 400
    q1 = breast_2018()["Q1"]
    d = pd.DataFrame({"n": [21.0], "estimate": [1.0]})
    p0 = float((q1["k"].sum()) / q1["Number.of.responses"].sum())
    assert funnel(d, target=p0, exact=False)["flag"].iloc[0] == "above"
    assert funnel(d, target=p0)["flag"].iloc[0] == "within" and p0 ** 21 > 0.25


def test_binomial_tails_equal_scipy_at_whole_counts_and_move_smoothly_between():
    from scipy import stats
    from pledge_analysis.survey.funnels import binomial_tails

    n = np.array([1, 2, 5, 21, 21, 21, 300, 300])
    k = np.array([0, 2, 3, 0, 21, 17, 250, 300])
    lo, hi = binomial_tails(k, n, 0.83)
    assert lo == pytest.approx(stats.binom.cdf(k, n, 0.83), abs=1e-12)
    assert hi == pytest.approx(stats.binom.sf(k - 1, n, 0.83), abs=1e-12)
    lo2, hi2 = binomial_tails([17.0, 17.4, 18.0], [21, 21, 21], 0.83)
    assert lo2[0] < lo2[1] < lo2[2] and hi2[0] > hi2[1] > hi2[2]


def test_funnelplotr_translation_is_not_trivially_ours():
    """The reference differs from ours where FunnelPlotR and we knowingly differ (so the parity test can fail):
    with few units we estimate no tau2 unless asked; FunnelPlotR always does."""
    rng = np.random.default_rng(3)
    n = rng.integers(40, 400, 8).astype(float)
    k = np.round(n * np.clip(rng.normal(0.8, 0.08, 8), 0, 1))
    ref, info = funnelplotr_pr(k, n, list("ABCDEFGH"))
    assert info["adjusted"] and info["tau2"] > 0
    default = funnel(pd.DataFrame({"n": ref["denominator"], "estimate": ref["rr"]}))
    asked = funnel(pd.DataFrame({"n": ref["denominator"], "estimate": ref["rr"]}), overdispersion=True)
    assert default["tau2"].iloc[0] == 0 and asked["tau2"].iloc[0] == pytest.approx(info["tau2"])


# ----------------------------------------------------------------------------------------------------------------
# 2. Edge cases of the funnel

def frame(n, estimate, **extra):
    return pd.DataFrame({"site": [chr(65 + i) for i in range(len(n))], "n": n, "estimate": estimate, **extra})


def test_a_site_with_no_respondents_is_not_rated_within():
    """n = 0 gave z = 0 and "within": a site nobody answered for read as "as expected"."""
    f = funnel(frame([0, 100, 120], [0.5, 0.6, 0.55]), target=0.5)
    assert f["flag"].isna().tolist() == [True, False, False]
    assert f["flag95"].isna().iloc[0] and f["flag998"].isna().iloc[0] and np.isnan(f["z"].iloc[0])
    assert len(f) == 3  # kept, not dropped


def test_a_missing_estimate_does_not_make_every_site_within():
    """One suppressed (NaN) estimate and no target: the target became NaN and every site read "within"."""
    f = funnel(frame([30, 400, 400], [np.nan, 0.6, 0.9]))
    assert f["target"].iloc[0] == pytest.approx((0.6 * 400 + 0.9 * 400) / 800)
    assert f["flag"].tolist()[1:] == ["below", "above"] and pd.isna(f["flag"].iloc[0])
    g = funnel(frame([np.nan, 400, 400], [0.5, 0.6, 0.9]))
    assert g["flag"].tolist()[1:] == ["below", "above"] and pd.isna(g["flag"].iloc[0])


def test_suppressed_rows_take_no_part_in_the_target_or_the_overdispersion():
    rng = np.random.default_rng(5)
    n = rng.integers(50, 500, 30).astype(float)
    p = np.clip(rng.normal(0.8, 0.06, 30), 0, 1)
    base = funnel(frame(n, p), overdispersion=True)
    extra = frame(np.r_[n, 12], np.r_[p, 0.2], suppressed=[False] * 30 + [True])
    f = funnel(extra, overdispersion=True)
    assert f["target"].iloc[0] == pytest.approx(base["target"].iloc[0])
    assert f["tau2"].iloc[0] == pytest.approx(base["tau2"].iloc[0]) and f["phi"].iloc[0] == pytest.approx(base["phi"].iloc[0])
    assert f["flag"].iloc[:30].tolist() == base["flag"].tolist() and pd.isna(f["flag"].iloc[30])


@pytest.mark.parametrize("n, estimate, column", [
    ([-5, 50], [0.8, 0.7], "n"),
    ([np.inf, 50], [0.8, 0.7], "n"),
    (["5", "fifty"], [0.8, 0.7], "n"),
    ([5, 50], [0.8, "x"], "estimate"),
    ([5, 50], [0.8, 1.2], "estimate"),
])
def test_unusable_values_are_named_errors_at_their_row(n, estimate, column):
    with pytest.raises(InputError) as err:
        funnel(frame(n, estimate))
    assert err.value.column == column and err.value.row is not None


@pytest.mark.parametrize("kwargs", [dict(target=1.2), dict(target=float("nan")), dict(target=-0.1),
                                    dict(tau2=-1.0), dict(tau2=float("nan")), dict(winsorise=0.6)])
def test_unusable_options_are_config_errors(kwargs):
    with pytest.raises(ConfigError):
        funnel(frame([50, 60, 70], [0.7, 0.8, 0.75]), **kwargs)


def test_proportions_of_0_and_1_and_tiny_samples():
    f = funnel(frame([50, 50, 50], [0.0, 1.0, 0.5]), target=0.5)
    assert f["flag"].tolist() == ["below", "above", "within"]
    # n = 1 and n = 2: a binomial funnel at 80% cannot call one answer unusual
    g = funnel(frame([1, 2], [0.0, 0.5]), target=0.8)
    assert g["flag"].tolist() == ["within", "within"]
    lim = funnel_limits(g, unit="site")
    assert ((lim["limit_low"] >= 0) & (lim["limit_high"] <= 1)).all()


def test_ties_and_one_unit():
    f = funnel(frame([50] * 4, [0.8] * 4), overdispersion=True)
    assert f["flag"].tolist() == ["within"] * 4 and (f["tau2"] == 0).all() and (f["z"] == 0).all()
    one = funnel(frame([50], [0.8]))
    assert one["flag"].tolist() == ["within"] and one["target"].iloc[0] == 0.8


def test_nothing_to_rate_gives_no_flags_not_an_error():
    f = funnel(frame([0, np.nan], [np.nan, 0.5]), target=0.8)
    assert f["flag"].isna().all() and len(f) == 2


@pytest.mark.parametrize("seed", range(12))
def test_funnel_flags_do_not_depend_on_row_order_and_match_the_limits(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 40))
    n = rng.integers(1, 600, k).astype(float)
    p = np.round(rng.uniform(0, 1, k) * n) / n
    d = frame(n, p)
    f = funnel(d, overdispersion=bool(seed % 2))
    g = funnel(d.sample(frac=1, random_state=seed), overdispersion=bool(seed % 2)).set_index("site").loc[d["site"]]
    assert f["flag"].tolist() == g["flag"].tolist()
    assert f["tau2"].iloc[0] == pytest.approx(g["tau2"].iloc[0])
    from scipy import stats

    lim = funnel_limits(f, unit="site")
    at = lim[lim["level"] == 0.95]
    p0, kk = f["target"].iloc[0], np.round(p * n)
    up = (p > at["limit_high"].to_numpy()) & (stats.binom.sf(kk - 1, n, p0) < 0.025)
    down = (p < at["limit_low"].to_numpy()) & (stats.binom.cdf(kk, n, p0) < 0.025)
    assert f["flag95"].tolist() == np.where(up, "above", np.where(down, "below", "within")).tolist()
    assert ((at["limit_low"] <= at["target"]) & (at["target"] <= at["limit_high"])).all()


# ----------------------------------------------------------------------------------------------------------------
# Wilson, two proportions, SPC

def test_wilson_refuses_impossible_counts_and_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    for k, n in ((0, 1), (1, 1), (0, 2), (1, 2), (2, 2), (0, 21), (21, 21), (7, 40)):
        assert wilson_ci(k, n) == pytest.approx(proportion_confint(k, n, method="wilson"), abs=1e-12)
    assert all(math.isnan(x) for x in wilson_ci(0, 0))  # nobody answered: no interval, not an error
    for k, n in ((5, 3), (-1, 10), (1, -2)):
        with pytest.raises(InputError):
            wilson_ci(k, n)


def test_two_proportions_with_an_empty_group_is_a_named_error():
    with pytest.raises(InputError):
        two_proportions(0, 0, 5, 10)
    with pytest.raises(InputError):
        two_proportions(12, 10, 5, 10)
    r = two_proportions(0, 10, 10, 10)  # p = 0 against p = 1: defined
    assert r["estimate"] == -1 and 0 <= r["p_val"] < 0.001


def test_spc_refuses_infinite_and_non_numeric_values():
    with pytest.raises(InputError) as err:
        xmr([1.0, 2.0, np.inf] + [3.0] * 12)
    assert "position" in str(err.value) or err.value.row is not None
    with pytest.raises(InputError):
        xmr(["1", "two", "3"])


# ----------------------------------------------------------------------------------------------------------------
# National funnels: missing years, breakdowns

@needs_cpes
def test_trust_funnel_for_a_year_or_question_not_in_the_file_is_an_error_not_an_empty_table():
    nat = read_national(CPES)
    with pytest.raises(InputError, match="2018"):  # names the years the file has
        trust_funnel(nat, "Q1", year=2017, cancer_type="Breast")
    with pytest.raises(InputError, match="Q99"):
        trust_funnel(nat, "Q99", year=2018, cancer_type="Breast")


@needs_cpes
def test_trust_funnel_uses_one_row_per_trust():
    """All Cancers 2018 has adjusted, unadjusted and year-on-year trust rows, and unadjusted ones by sex and
    deprivation: a funnel must use one of them per trust (the adjustment named), never all of them."""
    nat = read_national(CPES)
    f = trust_funnel(nat, "Q17", year=2018, cancer_type="All Cancers", adjustment="adjusted")
    assert f["trust_code"].is_unique and len(f) > 100
    assert set(f["adjustment"]) == {"adjusted"}
    u = trust_funnel(nat, "Q17", year=2018, cancer_type="All Cancers", adjustment="unadjusted")
    assert u["trust_code"].is_unique and set(u["sex"]) == {"Both"} and set(u["imd"]) == {"All"}
    assert u["target"].iloc[0] == pytest.approx(
        float(nat[(nat["geog"] == "National") & (nat["question_id"] == "Q17") & (nat["year"] == 2018)
                  & (nat["cancer_type"] == "All Cancers") & (nat["adjustment"] == "unadjusted")]["estimate"].iloc[0]))


def test_a_suppressed_count_gives_no_comparison_not_a_verdict():
    r = two_proportions(float("nan"), 14, 30, 40)
    assert all(math.isnan(v) for v in r.values())


def test_goal_progress_says_nothing_when_a_round_is_suppressed():
    """A suppressed round (positives blanked) read "improved: False", as if the goal had not worked."""
    from types import SimpleNamespace

    from pledge_analysis.rounds import goal_progress

    plan = pd.DataFrame({"goal_id": ["g1"], "theme": ["info"], "scope": ["all"], "status": ["ongoing"], "by": [None]})
    codebook = pd.DataFrame({"code_id": ["info"], "survey_items": [["Q1"]]})

    def run(n, positives):
        scores = pd.DataFrame({"site": ["all"], "group": ["all"], "question_id": ["Q1"], "n": [n],
                               "positives": [positives], "kind": ["proportion"]})
        themes = pd.DataFrame({"scope": ["all"], "theme": ["info"], "n_segments": [0], "n_negative": [0]})
        return SimpleNamespace(scores=scores, themes=themes)

    out = goal_progress(plan, codebook, run(14, float("nan")), run(60, 50))
    assert len(out) == 1 and out["improved"].iloc[0] is None and math.isnan(out["estimate"].iloc[0])
    ok = goal_progress(plan, codebook, run(60, 30), run(60, 50))
    assert ok["improved"].iloc[0] is True or ok["improved"].iloc[0] == True  # noqa: E712


# ----------------------------------------------------------------------------------------------------------------
# 3. Priorities from survey gaps

def _programme(seed, **kw):
    from pledge_analysis.calibration import simulate_programme

    return simulate_programme(np.random.default_rng(seed), n_respondents=kw.pop("n_respondents", 200), **kw)


def _ranks(df):
    return df.set_index(["scope_type", "scope", "theme"])["rank"].sort_index()


@pytest.mark.parametrize("seed", range(4))
def test_ranks_do_not_depend_on_the_order_of_the_input_rows(seed):
    from pledge_analysis.priorities import score_components

    themes, codebook, scores, drivers = _programme(seed, planted={"theme": "T02", "site": "S1", "gap": 0.08})
    base = _ranks(score_components(themes, codebook, scores, drivers))
    rng = np.random.default_rng(100 + seed)
    shuffled = score_components(themes.sample(frac=1, random_state=rng.integers(1 << 31)).reset_index(drop=True),
                                codebook.sample(frac=1, random_state=rng.integers(1 << 31)).reset_index(drop=True),
                                scores.sample(frac=1, random_state=rng.integers(1 << 31)).reset_index(drop=True),
                                drivers.sample(frac=1, random_state=rng.integers(1 << 31)).reset_index(drop=True))
    assert _ranks(shuffled).equals(base)


def test_equal_evidence_is_ranked_by_theme_id_whatever_the_row_order():
    from pledge_analysis.priorities import score_components

    themes, codebook, scores, drivers = _programme(7)
    everyone = themes[themes["scope_type"] == "all"].copy()
    twin = everyone.iloc[[0]].copy()
    first = everyone["theme"].iloc[0]
    twin["theme"], twin["name"] = first + "a", "twin"  # identical counts, so an identical score
    cb = pd.concat([codebook, codebook[codebook["code_id"] == first].assign(code_id=first + "a")], ignore_index=True)
    for rows in (pd.concat([everyone, twin]), pd.concat([twin, everyone])):
        df = score_components(rows.reset_index(drop=True), cb, scores, drivers).set_index("theme")
        assert df.loc[first, "priority_score"] == df.loc[first + "a", "priority_score"]
        assert df.loc[first, "rank"] + 1 == df.loc[first + "a", "rank"]  # the documented rule: theme id


def test_a_gap_on_few_answers_is_shrunk_more_than_the_same_gap_on_many():
    from pledge_analysis.priorities import item_gaps

    scores = pd.DataFrame({"site": ["all", "S1", "S2"], "group": "all", "question_id": "Q1", "n": [2000, 25, 400],
                           "positives": [1600, 15, 240], "kind": "proportion", "suppressed": False,
                           "benchmark": 0.8, "benchmark_kind": "national"})
    scores["estimate"] = scores["positives"] / scores["n"]
    scores["gap"] = scores["benchmark"] - scores["estimate"]
    g = item_gaps(scores).set_index("scope")
    raw = 0.8 - 0.6
    assert 0 < g.loc["S1", "gap"] < g.loc["S2", "gap"] < raw  # both shrunk towards 0, the small site more
    assert g.loc["S1", "gap_sd"] > g.loc["S2", "gap_sd"]


def test_a_survey_row_without_an_estimate_is_not_used_and_says_why():
    """An unsuppressed row with an empty estimate (an export with a blank cell) made the theme's gap NaN and
    silently dropped its other, usable items too."""
    from pledge_analysis.priorities import item_status, theme_gaps

    scores = pd.DataFrame({"site": "all", "group": "all", "question_id": ["Q1", "Q2"], "n": [300, 300],
                           "positives": [np.nan, 200.0], "estimate": [np.nan, 200 / 300], "kind": "proportion",
                           "suppressed": False, "benchmark": 0.8, "benchmark_kind": "national", "gap": [np.nan, 0.8 - 2 / 3]})
    st = item_status(scores).set_index("question_id")
    assert st.loc["Q1", "why"] != "" and st.loc["Q2", "why"] == ""
    themes = pd.DataFrame({"scope_type": ["all"], "scope": ["all"], "theme": ["T"]})
    codebook = pd.DataFrame({"code_id": ["T"], "survey_items": [["Q1", "Q2"]]})
    g = theme_gaps(themes, codebook, scores)
    assert g["n_items"].iloc[0] == 1 and g["survey_gap"].iloc[0] > 0


@pytest.mark.parametrize("weights", [{"negativity": float("nan")}, {"prevalence": float("inf")},
                                     {"negativity": "0.3"}, dict.fromkeys(("prevalence", "negativity", "survey_gap",
                                                                           "breadth", "driver"), 0.0)])
def test_unusable_weights_are_config_errors(weights):
    from pledge_analysis.priorities import resolve_weights

    with pytest.raises(ConfigError):
        resolve_weights(weights)


def test_a_question_reversed_in_polarity_is_scored_by_its_map():
    """"Did you feel ignored?": "No" is the positive answer. Its % positive is the share answering No, and a
    site where more people felt ignored has the larger gap."""
    from pledge_analysis.survey import compare_to_benchmark, score_questions

    questions = pd.DataFrame({"question_id": ["Q9"], "kind": ["categorical"], "positive": [["No"]],
                              "negative": [["Yes"]], "national": [None]})
    answers = (["No"] * 40 + ["Yes"] * 10) + (["No"] * 25 + ["Yes"] * 25)
    responses = pd.DataFrame({"respondent_id": range(100), "site": ["A"] * 50 + ["B"] * 50, "group": "g",
                              "question_id": "Q9", "value": answers})
    s = score_questions(responses, questions, by=("site",))
    est = s.set_index("site")["estimate"]
    assert est["A"] == pytest.approx(0.8) and est["B"] == pytest.approx(0.5)
    overall = score_questions(responses, questions, by=())
    both = compare_to_benchmark(pd.concat([overall, s], ignore_index=True), questions, None)
    gaps = both[both["site"] != "all"].set_index("site")["gap"]
    assert gaps["B"] > 0 > gaps["A"]


# ----------------------------------------------------------------------------------------------------------------
# Scoring 0-10 ratings

RATING_Q = pd.DataFrame({"question_id": ["Q59"], "kind": ["rating"], "positive": [[]], "negative": [[]],
                         "national": [None]})


def _ratings(values):
    return pd.DataFrame({"respondent_id": range(len(values)), "site": "A", "group": "g", "question_id": "Q59",
                         "value": values})


def test_blank_ratings_are_not_counted_as_respondents():
    """One rating and 22 blanks was n = 23, so it passed the suppression rule of 21 and was shown."""
    from pledge_analysis.survey import score_questions

    s = score_questions(_ratings([8] + [np.nan] * 22 + [None] * 3), RATING_Q, by=("site",))
    assert s["n"].iloc[0] == 1 and bool(s["suppressed"].iloc[0]) and np.isnan(s["estimate"].iloc[0])
    t = score_questions(_ratings([8, 9, np.nan, 7] * 8), RATING_Q, by=("site",))
    assert t["n"].iloc[0] == 24 and t["estimate"].iloc[0] == pytest.approx(8.0)
    from scipy import stats

    answered = np.array([8, 9, 7] * 8, dtype=float)
    lo, hi = stats.t.interval(0.95, len(answered) - 1, loc=answered.mean(), scale=stats.sem(answered))
    assert (t["ci_low"].iloc[0], t["ci_high"].iloc[0]) == pytest.approx((lo, hi))


def test_a_single_rating_has_no_interval_not_a_zero_width_one():
    from pledge_analysis.survey import score_questions

    s = score_questions(_ratings([8]), RATING_Q, by=("site",), min_n=1)
    assert s["estimate"].iloc[0] == 8 and np.isnan(s["ci_low"].iloc[0]) and np.isnan(s["ci_high"].iloc[0])


def test_a_rating_that_is_not_a_number_is_a_located_error():
    from pledge_analysis.survey import score_responses

    with pytest.raises(InputError) as err:
        score_responses(_ratings(["8", "ten", "9"]), RATING_Q)
    assert "ten" in str(err.value) and "Q59" in str(err.value)


# ----------------------------------------------------------------------------------------------------------------
# SPC: NHSRplotthedots 0.2.0 (commit 050b07d) translated from R/ptd_spc_standard.R and R/ptd_calculate_point_type.R

def ptd_reference(y, improvement=1, screen=True):
    """``special_cause_type`` and ``point_type`` of ``ptd_spc`` for one series without gaps or rebases."""
    y = np.asarray(y, dtype=float)
    mean = y.mean()
    mr = np.r_[np.nan, np.abs(np.diff(y))]
    amr = np.nanmean(mr)
    if screen:
        mr = np.where(mr < 3.267 * amr, mr, np.nan)  # case_when: NA (the first) stays NA
        amr = np.nanmean(mr) if np.any(~np.isnan(mr)) else np.nan
    lpl, upl = mean - 2.66 * amr, mean + 2.66 * amr
    nlpl, nupl = mean - 2 * (2.66 / 3) * amr, mean + 2 * (2.66 / 3) * amr
    outside = (y > upl) | (y < lpl)
    rtm = np.sign(y - mean)
    close = ~outside & ((y < nlpl) | (y > nupl))
    n = len(y)

    def part_of_seven(v):
        vp = np.r_[v, np.zeros(6)]
        return np.array([np.any(np.abs(vp[i:i + 7]) == 1) for i in range(n)], dtype=float)

    trend = np.zeros(n)
    if n >= 7:
        for i in range(6, n):
            d = np.sign(np.diff(y[i - np.arange(7)])) * -1
            trend[i] = 1 if np.all(d == 1) else -1 if np.all(d == -1) else 0
    vp, rp = np.r_[0, 0, close.astype(float), 0, 0], np.r_[0, 0, rtm, 0, 0]
    two3 = np.array([any(vp[i + a:i + a + 3].sum() >= 2 and abs(rp[i + a:i + a + 3].sum()) == 3 for a in range(3))
                     for i in range(n)], dtype=float)
    part_two3 = ((two3 == 1) & (np.abs(close.astype(float)) == 1)).astype(float)
    pad = np.r_[np.zeros(6), rtm]
    one_side = np.array([float(np.all(pad[i] == pad[i - np.arange(1, 7)]) and pad[i] != 0) for i in range(6, n + 6)])
    part_trend, part_side = part_of_seven(trend), part_of_seven(one_side)
    sdy = np.sign(np.diff(y))
    sdy = np.where((np.r_[part_trend[1:], 0] != 0) & (part_trend != 0), np.r_[sdy, sdy[-1:]], np.r_[0, sdy])
    ab = np.where(rtm > 0, "Above", "Below")
    kind = []
    for i in range(n):
        if outside[i]:
            kind.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif part_trend[i]:
            kind.append(f"7 Point Trend ({'In' if sdy[i] == 1 else 'De'}creasing)")
        elif part_two3[i]:
            kind.append(f"2 in 3 {ab[i]} CL")
        elif part_side[i]:
            kind.append(f"7 Points {ab[i]} CL")
        else:
            kind.append("Common Cause")
    v = np.array([1 if ("Above" in k or "Increasing" in k) else -1 if ("Below" in k or "Decreasing" in k) else 0
                  for k in kind]) * improvement
    point = np.where(v > 0, "special_cause_improvement", np.where(v < 0, "special_cause_concern", "common_cause"))
    return kind, point.tolist(), lpl, upl


@pytest.mark.parametrize("seed", range(40))
def test_spc_equals_a_translation_of_nhsrplotthedots_on_random_series(seed):
    import warnings

    rng = np.random.default_rng(seed)
    n = int(rng.integers(13, 60))
    kind = seed % 4
    if kind == 0:  # whole numbers: ties, points on the mean
        y = rng.integers(0, 6, n).astype(float)
    elif kind == 1:  # a shift
        y = np.r_[rng.normal(50, 3, n // 2), rng.normal(56, 3, n - n // 2)]
    elif kind == 2:  # a trend
        y = np.arange(n) * 0.8 + rng.normal(0, 1.5, n)
    else:  # a rate near a bound, with an outlier
        y = np.clip(rng.normal(0.92, 0.03, n), 0, 1)
        y[n // 3] = 0.6
    improvement = (1, -1)[seed % 2]
    ref_kind, ref_point, lpl, upl = ptd_reference(y, improvement, screen=bool(seed % 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = xmr(y, improvement=("increase", "decrease")[seed % 2], screen_outliers=bool(seed % 3))
    assert t["special_cause_type"].tolist() == ref_kind
    assert t["point_type"].tolist() == ref_point
    assert t["lcl"].iloc[0] == pytest.approx(lpl, nan_ok=True) and t["ucl"].iloc[0] == pytest.approx(upl, nan_ok=True)


def test_expected_range_of_no_respondents_is_empty_not_everything():
    from pledge_analysis.survey import expected_range

    lo, hi = expected_range(0.8, [0, 100])
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and lo[1] == pytest.approx(0.8 - 1.96 * math.sqrt(0.0016))
    with pytest.raises(InputError):
        expected_range(80, 100)  # a percentage


@pytest.mark.parametrize("seed", range(5))
def test_wilson_equals_statsmodels_on_random_counts_and_ends_exactly_at_0_and_1(seed):
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(seed)
    n = rng.integers(1, 2000, 200)
    k = np.minimum(rng.binomial(n, rng.uniform(0, 1, 200)), n)
    k[:5], k[5:10] = 0, n[5:10]
    lo, hi = wilson_ci(k, n)
    slo, shi = proportion_confint(k, n, method="wilson")
    assert np.allclose(lo, slo, atol=1e-12) and np.allclose(hi, shi, atol=1e-12)
    assert (lo[:5] == 0).all() and (hi[5:10] == 1).all() and ((0 <= lo) & (lo <= k / n) & (k / n <= hi) & (hi <= 1)).all()


def test_spc_limits_that_collapse_onto_the_mean_are_warned_about_and_still_equal_r():
    """14 months at 5 and one at 6: the one non-zero moving range is screened out, the mean moving range is 0 and
    R's limits equal the mean, so 14 perfectly ordinary months read "Below LCL". Same table, with a warning."""
    from pledge_analysis.survey import CollapsedLimitsWarning

    y = [5.0] * 14 + [6.0]
    with pytest.warns(CollapsedLimitsWarning):
        t = xmr(y)
    ref_kind, _, lpl, upl = ptd_reference(y)
    assert t["special_cause_type"].tolist() == ref_kind and ref_kind[0] == "Below LCL" and lpl == upl
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", CollapsedLimitsWarning)
        xmr([5.0] * 15)  # constant: no limits, nothing flagged, no warning
        xmr([50, 52, 49, 51, 50, 48, 51, 50, 49, 51, 50, 49, 52, 50, 48, 70])


def test_compare_with_a_misspelt_pair_is_an_error_not_an_empty_table():
    from pledge_analysis.survey import compare

    scored = pd.DataFrame({"respondent_id": range(60), "question_id": "Q1", "group": ["primary"] * 30 + ["secondary"] * 30,
                           "scored_as": (["positive"] * 20 + ["negative"] * 10) * 2})
    ok = compare(scored, pairs=[("primary", "secondary")])
    assert len(ok) == 1 and not ok["suppressed"].iloc[0]
    with pytest.raises(InputError, match="secondray"):
        compare(scored, pairs=[("primary", "secondray")])


def test_casemix_names_a_missing_covariate_or_unit_column():
    from pledge_analysis.errors import MissingColumnError
    from pledge_analysis.survey import casemix_adjust

    rng = np.random.default_rng(0)
    scored = pd.DataFrame({"respondent_id": range(200), "site": rng.choice(list("AB"), 200), "question_id": "Q1",
                           "scored_as": rng.choice(["positive", "negative"], 200)})
    respondents = pd.DataFrame({"respondent_id": range(200), "age_band": rng.choice(["<50", "50+"], 200)})
    with pytest.raises(MissingColumnError, match="ethnicity"):
        casemix_adjust(scored, respondents)
    with pytest.raises(MissingColumnError, match="hospital"):
        casemix_adjust(scored, respondents, covariates=("age_band",), by="hospital")
    out = casemix_adjust(scored, respondents, covariates=("age_band",))
    assert out["expected"].sum() == pytest.approx(out["observed"].sum(), rel=1e-4)  # indirect standardisation
