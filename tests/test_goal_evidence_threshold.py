"""A draft goal rests on an explicit amount of evidence, and an area that gets none says why.

Before, ``pledge._has_concern`` skipped only areas whose evidence said "not a priority": one negative comment
among praise ranked high on prevalence drafted "You said: ..." into a patient booklet. Now a goal needs at
least ``priorities: min_concerns`` negative comments about the area in its scope (default
:data:`pledge_analysis.pledge.MIN_CONCERNS`), or its survey questions below the benchmark; the areas passed
over are listed with the reason (:func:`pledge_analysis.pledge.areas_without_goal`)."""
from __future__ import annotations

import pandas as pd

from pledge_analysis import schema
from pledge_analysis.pledge import MIN_CONCERNS, areas_without_goal, draft_action_plan
from pledge_analysis.project_schema import Priorities


def _priorities(rows):
    cols = ["scope_type", "scope", "rank", "theme", "name", "reason", "quotes", "priority_score", "survey_gap",
            "n_negative"]
    return pd.DataFrame(rows, columns=cols)


def _units(theme_negatives: dict[str, int], praise: int = 20):
    rows = []
    for theme, k in theme_negatives.items():
        for i in range(k):
            rows.append({"segment_id": f"{theme}n{i}", "theme": theme, "codes": theme, "site": "S", "group": "primary",
                         "sentiment": "negative", "sentiment_score": -0.5, "text": f"bad {theme} {i}",
                         "respondent_id": f"r{theme}{i}", "source_id": "src"})
        for i in range(praise):
            rows.append({"segment_id": f"{theme}p{i}", "theme": theme, "codes": theme, "site": "S", "group": "primary",
                         "sentiment": "positive", "sentiment_score": 0.5, "text": f"good {theme} {i}",
                         "respondent_id": f"q{theme}{i}", "source_id": "src"})
    return schema.conform(pd.DataFrame(rows), "units", optional=tuple(c for c in schema.UNITS
                                                                      if c not in ("segment_id", "theme")))


CODEBOOK = pd.DataFrame({"code_id": ["waiting", "parking", "kindness"], "name": ["Waiting", "Parking", "Kindness"],
                         "parent_id": [None] * 3, "concern": ["People waited a long time.", "Parking was hard.",
                                                              "Some staff were abrupt."]})


def test_one_negative_comment_drafts_no_goal_and_the_plan_says_why():
    pr = _priorities([("all", "all", 1, "kindness", "Kindness", "r", "", 0.6, float("nan"), 1),
                      ("all", "all", 2, "waiting", "Waiting", "r", "", 0.6, float("nan"), 8),
                      ("all", "all", 3, "parking", "Parking", "r", "", 0.55, 0.04, 1)])
    units = _units({"kindness": 1, "waiting": 8, "parking": 1})
    plan = draft_action_plan(pr, units=units, codebook=CODEBOOK, scope_types=("all",))
    # kindness: 1 negative comment among 20 thanks; parking: 1 negative comment but its survey questions are
    # below the benchmark (survey evidence); waiting: 8 negative comments
    assert sorted(plan["theme"]) == ["parking", "waiting"], plan
    why = areas_without_goal(pr, units=units, codebook=CODEBOOK, scope_types=("all",))
    assert list(why.columns) == list(schema.NO_GOAL)
    (row,) = why.to_dict("records")
    assert row["theme"] == "kindness" and row["rank"] == 1
    assert f"at least {MIN_CONCERNS}" in row["why"] and "negative comment" in row["why"], row
    # the threshold is a setting: with 1 the single comment drafts a goal again
    loose = draft_action_plan(pr, units=units, codebook=CODEBOOK, scope_types=("all",), min_concerns=1)
    assert "kindness" in set(loose["theme"])
    assert areas_without_goal(pr, units=units, codebook=CODEBOOK, scope_types=("all",), min_concerns=1).empty


def test_without_units_the_rows_count_of_negative_comments_is_the_evidence():
    pr = _priorities([("all", "all", 1, "kindness", "Kindness", "r", "", 0.6, float("nan"), 2),
                      ("all", "all", 2, "waiting", "Waiting", "r", "", 0.6, float("nan"), 5)])
    assert draft_action_plan(pr, scope_types=("all",))["theme"].tolist() == ["waiting"]
    why = areas_without_goal(pr, scope_types=("all",))
    assert why["theme"].tolist() == ["kindness"]


def test_praise_only_and_not_a_priority_say_so():
    pr = _priorities([("all", "all", 1, "kindness", "Kindness", "r", "", 0.6, float("nan"), 0),
                      ("all", "all", 2, "waiting", "Waiting", "r", "", 0.2, float("nan"), 9)])
    why = areas_without_goal(pr, scope_types=("all",)).set_index("theme")["why"]
    assert "no negative comment" in why["kindness"] and "not a priority" in why["waiting"], why


def test_the_setting_has_a_documented_default():
    field = Priorities.model_fields["min_concerns"]
    assert field.default == MIN_CONCERNS == 3
    assert "negative comments" in field.description and "benchmark" in field.description


def test_the_run_logs_the_threshold_and_reports_the_areas_passed_over(tmp_path):
    """A user-like small project through the real run: the log names the threshold and how many areas got no
    goal; the report's draft-plan section lists them with why, when there are any."""
    from userlike import write_project

    from pledge_analysis.pipeline import run_project, write_outputs

    project = write_project(tmp_path / "p", n=12)
    result = run_project(project, store=False)
    log = result.run_log["plan"]
    assert log["min_concerns"] == MIN_CONCERNS and log["goals"] == len(result.action_plan)
    assert log["areas_without_goal"] == len(result.no_goal)
    assert list(result.no_goal.columns) == list(schema.NO_GOAL)
    write_outputs(result, tmp_path / "out")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    # 12 respondents: the secondary patients' top area rests on one or two negative comments
    few = result.no_goal[result.no_goal["why"].str.startswith("too few negative comments")]
    assert len(few) and ("group", "secondary") in set(zip(few["scope_type"], few["scope"])), result.no_goal
    assert "Top-ranked areas with no draft goal" in page and "too few negative comments about it here" in page
