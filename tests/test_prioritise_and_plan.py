"""Priorities recover the planted themes; the action plan is drafted and written to Excel."""
import pandas as pd
import pytest
from openpyxl import load_workbook

from pledge_analysis.errors import ConfigError
from pledge_analysis.pledge import STATUSES, draft_action_plan, write_action_plan_xlsx
from pledge_analysis.priorities import prioritise


def top(priorities, scope, k):
    return priorities[priorities["scope"] == scope].nsmallest(k, "rank")["theme"].tolist()


def test_priorities_recover_planted_signal(sample_run, truth):
    result, _ = sample_run
    pr = result.priorities
    secondary, weak_site, strong_site = truth["planted"]
    # the planted group effect is a contrast with primary patients: both themes are in secondary
    # patients' top 3 (waiting, criticised by everyone, is the other) and carry the largest survey gaps
    sec = pr[pr["scope"] == "secondary"]
    assert set(secondary["themes"]) <= set(top(pr, "secondary", 3))
    assert set(sec.nlargest(2, "survey_gap")["theme"]) == set(secondary["themes"])
    assert top(pr, weak_site["scope"], 1) == weak_site["themes"]
    strong = pr[(pr["scope"] == strong_site["scope"]) & (pr["theme"] == "communication")].iloc[0]
    others = pr[(pr["scope_type"] == "site") & (pr["scope"] != strong_site["scope"]) & (pr["theme"] == "communication")]
    assert strong["rank"] > 3  # a strength, not a priority
    assert strong["negativity"] < others["negativity"].min()
    assert strong["survey_gap_high"] < 0  # above benchmark, beyond noise


def test_priority_components_are_documented_columns(sample_run):
    result, _ = sample_run
    pr = result.priorities
    for c in ("prevalence_norm", "negativity_norm", "survey_gap_norm", "driver_norm", "priority_score"):
        assert pr[c].dropna().between(0, 1).all()
    assert (pr["survey_gap_norm"].isna() == (pr["n_items"] == 0)).all()  # missing, never a gap of 0
    first = pr[pr["scope"] == "secondary"].iloc[0]
    assert first["reason"].startswith(first["name"]) and "negative" in first["reason"]
    assert first["quotes"].count("“") >= 2  # several quotes, from different sites
    assert pr.groupby("scope")["rank"].apply(lambda r: list(r) == list(range(1, len(r) + 1))).all()


def test_weights_change_the_ranking_and_are_validated(sample_run):
    result, _ = sample_run
    only_gap = prioritise(result.themes, result.units, result.codebook, result.scores,
                          weights={"prevalence": 0, "negativity": 0, "survey_gap": 1})
    everyone = only_gap[only_gap["scope"] == "all"]
    first = everyone.iloc[0]
    assert first["survey_gap_norm"] == everyone["survey_gap_norm"].max()
    with pytest.raises(ConfigError, match="popularity"):
        prioritise(result.themes, result.units, result.codebook, weights={"popularity": 1})


def test_action_plan_drafted_as_concerns_with_quotes_as_evidence(sample_run, tmp_path):
    result, out = sample_run
    plan = result.action_plan
    assert plan["goal_id"].is_unique and set(plan["status"]) == {"not started"}
    row = plan[plan["scope"] == "secondary"].iloc[0]
    # the secondary group's top area is information; its evidence points to Open Access follow-up
    assert (row["theme"], row["code_id"]) == ("information", "information.open_access")
    assert row["you_said"].startswith("Patients didn't understand how Open Access") and "“" not in row["you_said"]
    assert row["quotes"].count("“") >= 2 and "(secondary patient, " in row["quotes"]
    wb = load_workbook(out / "action_plan.xlsx")
    ws = wb["Action plan"]
    assert [c.value for c in ws[1]][:5] == ["Goal", "Who", "Theme", "You said", "We plan to"]
    assert {"Quotes", "For", "Code", "Wording"} <= {c.value for c in ws[1]}
    assert ws.max_row == len(plan) + 1
    assert ws.data_validations.dataValidation[0].formula1 == '"' + ",".join(STATUSES) + '"'


def test_empty_priorities_give_an_empty_plan():
    assert draft_action_plan(pd.DataFrame(columns=["scope_type", "scope", "rank", "theme", "name", "reason", "quotes"])).empty
