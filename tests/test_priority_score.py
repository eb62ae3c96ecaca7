"""The priority score: fixed scales, missing evidence, shrinkage of small counts, plain reasons.

Each test reproduces a failure of the earlier score (issue 13) on a simulated programme
(:mod:`pledge_analysis.calibration`) or a small table, then checks the behaviour that replaced it.
"""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pledge_analysis.calibration import simulate_programme
from pledge_analysis.errors import ConfigError
from pledge_analysis.priorities import MIN_COMMENTS, prioritise, score_components
from pledge_analysis.shrinkage import beta_binomial_shrink, normal_shrink_to_zero
from pledge_analysis.uncertainty import OLD_SCENARIO_NAMES, weight_sensitivity


def test_a_theme_without_survey_items_can_be_the_top_priority():
    """Before: no items counted as a zero gap, so such a theme scored at most 0.75 of the scale and
    lost to any theme with a noise-sized gap. Now its comments carry it."""
    themes, codebook, scores, drivers = simulate_programme(
        np.random.default_rng(1), n_respondents=250, planted={"theme": "T09", "site": "S1", "negativity": 0.7})
    df = score_components(themes, codebook, scores, drivers)
    s1 = df[df["scope"] == "S1"].set_index("theme")
    assert codebook.set_index("code_id").loc["T09", "survey_items"] == []
    assert s1.loc["T09", "rank"] == 1 and np.isnan(s1.loc["T09", "survey_gap_norm"])
    assert s1.loc["T09", "survey_gap_norm_imputed"] > 0.5  # its comments stand in for the survey
    # counting it "at benchmark" (0.5) would give a lower score
    neutral = score_components(themes, codebook, scores, drivers, missing="neutral")
    assert s1.loc["T09", "priority_score"] > neutral.set_index(["scope", "theme"]).loc[("S1", "T09"), "priority_score"]


def test_scores_are_on_a_fixed_scale_not_scaled_to_each_site():
    """Before: each component was divided by its maximum in the scope, so every site's top theme
    read ~0.7-0.9 whatever its evidence. Now a site with nothing to find scores near 0.5 and a site
    with a real problem stands out on the same scale."""
    themes, codebook, scores, drivers = simulate_programme(
        np.random.default_rng(2), n_respondents=250,
        planted={"theme": "T01", "site": "S1", "negativity": 0.6, "gap": 0.1})
    df = score_components(themes, codebook, scores, drivers)
    best = df[df["scope_type"] == "site"].groupby("scope")["priority_score"].max()
    assert best.drop("S1").max() < 0.56  # unremarkable sites stay near 0.5
    assert best["S1"] > best.drop("S1").max() + 0.015
    assert df.set_index(["scope", "theme"]).loc[("S1", "T01"), "rank"] == 1


def test_the_survey_gap_is_shrunk_noise_not_clipped_noise():
    """Before: gaps were clipped at 0 and scaled to the scope's largest, so a 2-point gap of pure
    noise became the full survey component. Now items at benchmark give gaps near 0 with an interval
    covering 0, and negative gaps (above benchmark) are kept."""
    themes, codebook, scores, drivers = simulate_programme(np.random.default_rng(3), n_respondents=150)
    df = score_components(themes, codebook, scores, drivers)
    has = df[df["n_items"] > 0]
    raw = scores[(scores["site"] != "all")].groupby("site")["gap"].apply(lambda g: g.abs().mean())
    assert has["survey_gap"].abs().max() < raw.max()  # shrunk
    assert (has["survey_gap"] < 0).any()  # not clipped
    covered = (has["survey_gap_low"] <= 0) & (has["survey_gap_high"] >= 0)
    assert covered.mean() > 0.9
    assert has["survey_gap_norm"].between(0.4, 0.6).all()


def test_negative_comments_are_not_counted_three_times():
    """Before: prevalence, negativity and breadth each rose with the same negative comments.
    Now breadth (which re-counts them) has weight 0 by default. Prevalence counts the comments that
    raise a theme as a concern (session 7: counting every comment ranked praise-only themes high), so
    negative comments enter twice, as volume and as share, a frequency-and-severity pair."""
    themes, codebook, scores, drivers = simulate_programme(np.random.default_rng(4), n_respondents=250)
    base = score_components(themes, codebook, scores, drivers)
    more_breadth = themes.copy()
    more_breadth["n_sites_negative"] = np.where(more_breadth["theme"] == "T12", 0, more_breadth["n_sites_negative"])
    again = score_components(more_breadth, codebook, scores, drivers)
    assert (base["priority_score"].to_numpy() == again["priority_score"].to_numpy()).all()


def test_small_counts_are_shrunk_with_an_interval_and_no_bare_percentage(sample_run):
    result, _ = sample_run
    pr = result.priorities
    few = pr[pr["n_segments"] < MIN_COMMENTS]
    assert len(few)
    for r in few.itertuples():
        assert "too few" in r.reason and "% of them negative" not in r.reason
    many = pr[pr["n_segments"] >= MIN_COMMENTS].iloc[0]
    assert "95% interval" in many["reason"]
    assert (pr["negativity_low"] <= pr["negativity"]).all() and (pr["negativity"] <= pr["negativity_high"]).all()
    # shrinkage moves small themes towards the scope's pooled share more than large ones
    moved = (pr["negativity"] - result.themes.set_index(["scope", "theme"]).loc[
        list(zip(pr["scope"], pr["theme"])), "negativity"].to_numpy()).abs()
    small, large = moved[pr["n_segments"] < 30], moved[pr["n_segments"] > 300]
    assert small.mean() > large.mean()


def test_beta_binomial_shrinkage_matches_its_formulas():
    x, n = np.array([2, 50, 140, 0]), np.array([2, 100, 200, 0])
    mean, low, high, m = beta_binomial_shrink(x, n, m=10)
    p0 = x.sum() / n.sum()
    a, b = x + 10 * p0, n - x + 10 * (1 - p0)
    assert np.allclose(mean, a / (a + b))
    assert np.allclose(low, stats.beta.ppf(0.025, a, b)) and np.allclose(high, stats.beta.ppf(0.975, a, b))
    assert mean[0] < 0.9 and mean[3] == pytest.approx(p0)  # 2 of 2 is not 100%; nothing gives the pool
    *_, m_hat = beta_binomial_shrink(x, n)
    assert 2 <= m_hat <= 400
    post, sd, tau = normal_shrink_to_zero(np.array([0.4, -0.1]), np.array([0.2, 0.05]), tau=0.17)
    shrink = 0.17 ** 2 / (0.17 ** 2 + np.array([0.2, 0.05]) ** 2)
    assert np.allclose(post, shrink * np.array([0.4, -0.1])) and np.allclose(sd, np.sqrt(shrink) * [0.2, 0.05])


def test_weights_and_missing_rule_are_validated_and_sensitivity_names_are_identifiers():
    themes, codebook, scores, drivers = simulate_programme(np.random.default_rng(5), n_respondents=100)
    with pytest.raises(ConfigError, match="missing-evidence rule"):
        score_components(themes, codebook, scores, drivers, missing="zero")
    with pytest.raises(ConfigError, match=">= 0"):
        score_components(themes, codebook, scores, drivers, weights={"negativity": -1})
    ws = weight_sensitivity(themes, codebook, scores, drivers, scope="S1")
    assert all(str(c).isidentifier() for c in ws.columns)
    assert {"without_prevalence", "negativity_x2", "with_breadth"} <= set(ws.columns)
    assert OLD_SCENARIO_NAMES["without prevalence"] == "without_prevalence"
