"""One suppression rule (n < 21 unless configured) wherever a survey estimate appears or is used,
and funnels that do not absorb a shortfall every local site shares as "overdispersion"."""
import numpy as np
import pandas as pd
import pytest

from pledge_analysis.cross_site import survey_z
from pledge_analysis.survey import compare, funnel, is_suppressed, score_questions, score_responses

QUESTIONS = pd.DataFrame([{"question_id": "Q1", "kind": "categorical", "options": ["Yes", "No"], "positive": ["Yes"],
                           "negative": ["No"], "national": None}])


def _responses(cells):
    rows = []
    for site, yes, no in cells:
        rows += [(f"{site}{i}", site, "primary", "Q1", "Yes" if i < yes else "No") for i in range(yes + no)]
    return pd.DataFrame(rows, columns=["respondent_id", "site", "group", "question_id", "value"])


def test_the_rule():
    assert is_suppressed([0, 20, 21, np.nan]).tolist() == [True, True, False, True]
    assert not is_suppressed(18, min_n=15)
    with pytest.raises(Exception, match="suppress_below"):
        is_suppressed(10, min_n=0)


def test_scores_blank_estimates_of_small_cells():
    """survey_scores.csv printed estimates for n 15-20."""
    scored = score_responses(_responses([("A", 12, 6), ("B", 30, 10)]), QUESTIONS)
    s = score_questions(scored, QUESTIONS, by=["site"]).set_index("site")
    assert s.loc["A", "n"] == 18 and s.loc["A", "suppressed"]
    assert s.loc["A", ["positives", "estimate", "ci_low", "ci_high"]].isna().all()
    assert s.loc["B", "estimate"] == 0.75 and not s.loc["B", "suppressed"]
    lax = score_questions(scored, QUESTIONS, by=["site"], min_n=10).set_index("site")
    assert lax.loc["A", "estimate"] == pytest.approx(12 / 18) and not lax.loc["A", "suppressed"]


def test_survey_z_leaves_out_suppressed_cells():
    """An n=8 cell (z about -3, "below") fed buddy strength."""
    sites = [("A", 200, 50), ("B", 190, 55), ("C", 205, 45), ("D", 198, 52), ("E", 195, 55), ("F", 2, 6)]
    scored = score_responses(_responses(sites), QUESTIONS)
    sc = score_questions(scored, QUESTIONS, by=["site"]).assign(group="all", benchmark=0.8)
    z = survey_z(sc)
    assert sorted(z["site"]) == list("ABCDE")
    raw = score_questions(scored, QUESTIONS, by=["site"], min_n=1).assign(group="all", benchmark=0.8)
    old = survey_z(raw, min_n=1).set_index("site")
    assert old.loc["F", "z"] < -3 and old.loc["F", "flag"] == "below"  # what used to reach the buddies
    unflagged = raw.drop(columns="suppressed")
    assert "F" not in set(survey_z(unflagged)["site"])  # the default rule applies to a table without its own flags


def test_compare_does_not_test_suppressed_cells():
    scored = score_responses(_responses([("A", 12, 6), ("B", 30, 10), ("C", 10, 30)]), QUESTIONS)
    c = compare(scored, by="site").set_index(["a", "b"])
    assert c["suppressed"].tolist() == [True, True, False]
    assert c.loc[("A", "B"), ["estimate", "p_val", "p_adj"]].isna().all() and c.loc[("A", "B"), "n_a"] == 18
    tested = c.loc[("B", "C")]
    assert tested["p_adj"] == pytest.approx(tested["p_val"])  # a family of one: the suppressed pairs do not count


def test_six_sites_sharing_a_shortfall_are_flagged():
    """Six sites 6-9 points below 0.80 at n ~240 all read "within" (tau^2 absorbed the shortfall)."""
    six = pd.DataFrame({"site": list("ABCDEF"), "n": [240, 236, 244, 238, 242, 240],
                        "estimate": [0.74, 0.73, 0.72, 0.71, 0.735, 0.715]})
    f = funnel(six, target=0.80)
    assert (f["flag"] == "below").all() and (f["tau2"] == 0).all()
    assert f["tau2_source"].iloc[0] == "none: 6 units, fewer than 20 (supply tau2)"
    assert f["headline"].iloc[0] == "95%" and (f["flag95"] == f["flag"]).all()
    assert f["flag998"].tolist() == ["within", "within", "within", "below", "within", "within"]  # 9 points below
    absorbed = funnel(six, target=0.80, overdispersion=True)  # the old default, FunnelPlotR's
    assert (absorbed["flag"] == "within").all() and absorbed["tau2"].iloc[0] > 0
    national = funnel(six, target=0.80, tau2=0.0005)  # e.g. from the national distribution of trusts
    assert national["tau2_source"].iloc[0] == "supplied" and national["flag"].tolist().count("below") == 5
    strict = funnel(six, target=0.80, headline=0.998)
    assert strict["headline"].iloc[0] == "99.8%" and (strict["flag"] == strict["flag998"]).all()
