"""Funnel limits, expected ranges, comparisons, case-mix, key drivers and SPC rules."""
import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from conftest import EXTERNAL
from pledge_analysis.survey import (benjamini_hochberg, casemix_adjust, compare, expected_range, funnel,
                                    funnel_limits, holm, key_drivers, read_national, respondent_matrix, score_responses, trust_funnel,
                                    two_proportions, xmr)

SMALL = pd.DataFrame({"unit": list("ABCDE"), "n": [50, 100, 200, 400, 800], "k": [30, 70, 144, 300, 640]})
SMALL["estimate"] = SMALL["k"] / SMALL["n"]


def test_funnel_limits_by_hand_without_overdispersion():
    f = funnel(SMALL, target=0.5, overdispersion=False)
    lim = funnel_limits(f, unit="unit")
    at95 = lim[lim["level"] == 0.95].set_index("unit")
    assert at95.index.tolist() == list("ABCDE") and (at95["n"] == SMALL["n"].to_numpy()).all()
    # by hand: y0 = asin(sqrt(0.5)) = pi/4; s = 1/(2 sqrt(n)); limit = sin^2(pi/4 +/- 1.959964 s)
    #         = (1 +/- sin(2 * 1.959964 s)) / 2
    for n, lo, hi in zip(at95["n"], at95["limit_low"], at95["limit_high"]):
        half = 1.959963984540054 / (2 * math.sqrt(n))
        assert hi == pytest.approx((1 + math.sin(2 * half)) / 2, abs=1e-12)
        assert lo == pytest.approx((1 - math.sin(2 * half)) / 2, abs=1e-12)
    assert at95.loc["B", "limit_high"] == pytest.approx(0.597372, abs=1e-6)
    assert f["flag"].tolist() == ["within", "above", "above", "above", "above"]
    # the flags are the limits: above exactly when the estimate is over limit_high
    assert f["flag95"].tolist() == np.where(SMALL["estimate"].to_numpy() > at95["limit_high"].to_numpy(), "above",
                                            np.where(SMALL["estimate"].to_numpy() < at95["limit_low"].to_numpy(),
                                                     "below", "within")).tolist()


def test_funnel_overdispersion_matches_the_published_formulas():
    f = funnel(SMALL, overdispersion=True)  # 5 units: estimated only when asked (default needs 20)
    # by hand, step by step (FunnelPlotR, Spiegelhalter 2005)
    p0 = SMALL["k"].sum() / SMALL["n"].sum()
    y0 = math.asin(math.sqrt(p0))
    y = np.arcsin(np.sqrt(SMALL["estimate"]))
    s = 1 / (2 * np.sqrt(SMALL["n"]))
    z = (y - y0) / s
    q10, q90 = np.quantile(z, [0.1, 0.9])
    phi = np.mean(np.clip(z, q10, q90) ** 2)
    w = 1 / s ** 2
    tau2 = max(0, (5 * phi - 4) / (w.sum() - (w ** 2).sum() / w.sum()))
    assert phi > 1 and f["phi"].iloc[0] == pytest.approx(phi) and f["tau2"].iloc[0] == pytest.approx(tau2)
    upper998 = math.sin(y0 + 3.090232306167813 * math.sqrt(s[0] ** 2 + tau2)) ** 2
    lim = funnel_limits(f, unit="unit").set_index(["unit", "level"])
    assert lim.loc[("A", 0.998), "limit_high"] == pytest.approx(upper998)
    assert f["target"].iloc[0] == pytest.approx(p0)


def test_funnel_overrides_and_errors():
    f = funnel(SMALL, target=0.7, tau2=0.001)
    assert (f["target"] == 0.7).all() and (f["tau2"] == 0.001).all()
    with pytest.raises(Exception, match="fractions"):
        funnel(SMALL.assign(estimate=SMALL["estimate"] * 100))


def test_expected_range_cpes_form_is_clipped():
    lo, hi = expected_range(0.8, 100, tau=0.05)
    half = 1.96 * math.sqrt(0.8 * 0.2 / 100 + 0.05 ** 2)
    assert (lo, hi) == pytest.approx((0.8 - half, 0.8 + half))
    assert expected_range(0.99, 10)[1] == 1.0


def test_two_proportions_against_statsmodels():
    r = two_proportions(56, 70, 48, 80)
    lo, hi = confint_proportions_2indep(56, 70, 48, 80, method="newcomb", compare="diff")
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi), abs=1e-10)
    _z, p = proportions_ztest([56, 48], [70, 80])
    assert r["p_val"] == pytest.approx(p)
    assert r["effect_size"] == pytest.approx(2 * math.asin(math.sqrt(0.8)) - 2 * math.asin(math.sqrt(0.6)))


@pytest.mark.parametrize("ours,method", [(holm, "holm"), (benjamini_hochberg, "fdr_bh")])
def test_multiplicity_against_statsmodels(ours, method):
    p = np.array([0.001, 0.04, 0.03, 0.5, 0.012, 0.2, 0.049])
    assert ours(p) == pytest.approx(multipletests(p, method=method)[1])


def test_compare_states_its_adjustment(sample_run):
    result, _ = sample_run
    scored = score_responses(result.responses, result.questions)
    c = compare(scored, by="group", pairs=[("primary", "secondary")], adjust="fdr_bh")
    assert set(c["p_adj_method"]) == {"fdr_bh"}
    info = c[c["question_id"].isin(["Q10", "Q11", "HNA"])]
    assert (info["estimate"] == info["estimate_a"] - info["estimate_b"]).all()
    assert (info["estimate"] > 0.15).all() and (info["p_adj"] < 0.001).all()


def test_casemix_expected_totals_equal_observed(sample_run):
    result, _ = sample_run
    scored = score_responses(result.responses, result.questions)
    cm = casemix_adjust(scored, result.respondents, questions=["Q2", "Q18"])
    for _q, g in cm.groupby("question_id"):
        assert g["expected"].sum() == pytest.approx(g["observed"].sum(), rel=1e-3)  # logistic MLE property
    q2 = cm[cm["question_id"] == "Q2"].set_index("site")
    assert q2.loc["RGH", "adjusted"] < q2.drop("RGH")["adjusted_low"].min()


def test_key_drivers_relative_weights_sum_to_r2(sample_run):
    result, _ = sample_run
    scored = score_responses(result.responses, result.questions)
    items = ["Q10", "Q11", "Q16", "Q18", "Q54", "Q57"]
    kd = key_drivers(scored, items=items, outcome="Q59", n_boot=50, missing="complete")  # OLS on complete cases
    m = respondent_matrix(scored, items, "Q59").dropna()
    x = np.c_[np.ones(len(m)), m[items].to_numpy()]
    y = m["Q59"].to_numpy()
    resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    r2 = 1 - resid.var() / y.var()
    assert kd["weight"].sum() == pytest.approx(r2, rel=1e-6)
    assert kd["share"].sum() == pytest.approx(1.0)
    assert ((kd["share_low"] <= kd["share"]) & (kd["share"] <= kd["share_high"])).mean() >= 0.8  # percentile CIs
    assert set(kd["quadrant"]) <= {"priority: important, under-performing", "strength: keep it up",
                                   "secondary: low importance, under-performing", "possible over-investment"}


def test_spc_rules():
    flat = [50, 51, 49, 50, 52, 48, 50, 51, 49, 50]
    assert xmr(flat)["variation"].eq("common").all()
    run = xmr(flat + [53, 52, 54, 53, 52, 53, 54])
    assert run["run"].iloc[-7:].all() and not run["run"].iloc[:5].any()
    trend = xmr([50, 51, 49, 50, 52, 48, 50, 49, 50, 51, 52, 53, 54, 55, 56])
    assert trend["trend"].iloc[-8:].all() and not trend["trend"].iloc[:7].any()  # 49 -> 56: 8 rising points
    two3 = xmr([49, 51] * 10 + [55, 54.8, 50])  # two points between 2 and 3 sigma above the mean
    assert two3["two_of_three"].iloc[-3:].tolist() == [True, True, False]
    assert not two3["beyond_limits"].any() and not two3["two_of_three"].iloc[:-3].any()
    down = xmr(flat + [30], improvement="decrease")
    assert down["beyond_limits"].iloc[-1] and down["variation"].iloc[-1] == "improvement"


CPES = EXTERNAL / "cpes" / "ncpes_2015_2018_CentreForCancerOutcomes.csv.gz"


@pytest.mark.skipif(not CPES.exists(), reason="national CPES results not available (../shared/external)")
def test_funnel_flags_agree_with_published_cpes_ratings():
    import importlib.util
    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("cpes_benchmark", ROOT / "benchmarks" / "cpes_benchmark.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    r = bench.ratings(bench.load())
    assert np.average(r["agree_funnel_dl"], weights=r["trusts"]) > 0.88
    f = trust_funnel(read_national(CPES), "Q17", year=2018, focus="RA9")
    assert f["is_focus"].sum() == 1 and len(f) > 100


def test_key_drivers_with_one_item_is_its_squared_correlation():
    """A user's survey with a single tick-box item crashed the run (numpy LinAlgError on a 0-d matrix)."""
    import numpy as np
    import pandas as pd
    from pledge_analysis.survey.adjust import key_drivers

    rng = np.random.default_rng(1)
    pos = rng.random(60) < 0.6
    rating = np.where(pos, 8, 5) + rng.integers(-2, 3, 60)
    rows = [{"respondent_id": i, "question_id": "listened", "value": "x", "scored_as": "positive" if p else "negative"}
            for i, p in enumerate(pos)]
    rows += [{"respondent_id": i, "question_id": "overall", "value": str(r), "scored_as": None}
             for i, r in enumerate(rating)]
    out = key_drivers(pd.DataFrame(rows), items=["listened"], outcome="overall", n_boot=20)
    r = np.corrcoef(pos.astype(float), rating)[0, 1]
    assert out["question_id"].tolist() == ["listened"]
    assert abs(out.loc[0, "weight"] - r ** 2) < 1e-9 and out.loc[0, "share"] == 1.0
    empty = key_drivers(pd.DataFrame(rows[:2] + rows[60:62]), items=["listened"], outcome="overall", n_boot=5)
    assert empty.empty and "share" in empty.columns
