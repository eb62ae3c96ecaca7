"""Action plan tracking, Excel round trip, booklets, progress between rounds, cross-site learning."""
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest
from docx import Document

from conftest import SAMPLES
from pledge_analysis.cross_site import alliance_rollup, buddy_pairs, goal_library, site_theme_matrix, suggest_actions
from pledge_analysis.errors import InputError
from pledge_analysis.pledge import (booklet_html, effective_status, plan_markdown, read_action_plan_xlsx,
                                    record_status, write_action_plan_xlsx, write_booklet_docx)
from pledge_analysis.rounds import goal_progress, plan_summary
from pledge_analysis.uncertainty import rank_intervals, weight_sensitivity


@pytest.fixture
def plan(sample_run):
    p = sample_run[0].action_plan.copy()
    p["we_plan_to"] = "Offer every patient a named contact"
    p["by"] = "September 2026"
    return p


def test_status_history_and_overdue(plan):
    plan, history = record_status(plan, None, "G01", "achieved", on="2026-05-01", note="new clinic rota")
    plan, history = record_status(plan, history, "G02", "ongoing", on="2026-06-01")
    assert history[["goal_id", "status"]].values.tolist() == [["G01", "achieved"], ["G02", "ongoing"]]
    eff = effective_status(plan, today=date(2026, 10, 1))
    assert eff.iloc[0] == "achieved" and eff.iloc[1] == "overdue"  # September 2026 has passed
    assert effective_status(plan, today=date(2026, 9, 30)).iloc[1] == "ongoing"
    assert plan_summary(plan, today=date(2026, 10, 1))["overdue"] == len(plan) - 1
    with pytest.raises(InputError, match="done"):
        record_status(plan, history, "G01", "done")


def test_excel_round_trip_reports_changes_and_validates(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    write_action_plan_xlsx(plan, path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    ws["E2"] = "Open a nurse-led results clinic"   # We plan to, goal G01
    ws["H3"] = "Ongoing"                           # Status, goal G02 (case-insensitive)
    wb.save(path)
    new, changes = read_action_plan_xlsx(path, previous=plan)
    assert new.loc[0, "we_plan_to"] == "Open a nurse-led results clinic" and new.loc[1, "status"] == "ongoing"
    assert changes.to_dict("records") == [
        {"goal_id": "G01", "field": "we_plan_to", "before": "Offer every patient a named contact",
         "after": "Open a nurse-led results clinic"},
        {"goal_id": "G02", "field": "status", "before": "not started", "after": "ongoing"}]
    ws["H4"] = "finished"
    ws["F5"] = "soonish"
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_action_plan_xlsx(path, previous=plan)
    msg = str(e.value)
    assert "2 problem(s)" in msg and "row 4, column 'Status'" in msg and "row 5, column 'By'" in msg


def test_booklets(plan, tmp_path):
    plan, _ = record_status(plan, None, "G01", "achieved")
    write_booklet_docx(plan, tmp_path / "b.docx", hospital="Riverside")
    doc = Document(tmp_path / "b.docx")
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["You said", "We plan to", "By"]
    patients = (plan["audience"] != "staff").sum()  # staff-only goals stay in the staff plan
    assert len(table.rows) == patients + 1 and "✓ Achieved" in table.rows[1].cells[2].text
    assert doc.styles["Normal"].font.size.pt >= 14  # large, readable type
    html = booklet_html(plan)
    assert html.count("<tr>") == patients + 1 and "lang='en'" in html
    md = plan_markdown(plan)
    assert md.count("\n") == len(plan) + 2 and "✓ Achieved" in md


def test_progress_between_rounds_sees_the_planted_improvement(sample_run, tmp_path):
    from pledge_analysis.pipeline import run_project

    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--round2", "--out", str(tmp_path)], check=True,
                   capture_output=True)
    # goal_progress reads each round's scores and themes only: round 2 skips the rank-interval bootstrap
    # (100 resamples of the whole sample, most of this run's CPU), which nothing here looks at
    with open(tmp_path / "project.yaml", "a", encoding="utf-8") as f:
        f.write("priorities: {resamples: 0}\n")
    r1, r2 = sample_run[0], run_project(tmp_path)
    goal = pd.DataFrame([{"goal_id": "G1", "scope": "RGH", "theme": "waiting", "by": "", "status": "achieved"}])
    gp = goal_progress(goal, r1.codebook, r1, r2).set_index("measure")
    assert gp.loc["Q2 % positive", "improved"] and gp.loc["Q2 % positive", "ci_low"] > 0.1
    unchanged = pd.DataFrame([{"goal_id": "G2", "scope": "NGU", "theme": "information", "by": "", "status": "ongoing"}])
    assert not goal_progress(unchanged, r1.codebook, r1, r2)["improved"].any()


def test_rank_intervals_and_sensitivity(sample_run):
    r = sample_run[0]
    ri = rank_intervals(r.segments, r.units, r.codebook, r.scored, r.scores, r.drivers, themes=r.themes,
                        n_boot=10, random_state=1)
    top = ri[(ri["scope"] == "secondary") & (ri["rank"] == 1)].iloc[0]
    assert top["theme"] == "information" and top["rank_low"] <= 1 <= top["rank_high"] and top["p_top3"] >= 0.9
    assert (ri["rank_low"] <= ri["rank"]).all() and (ri["rank"] <= ri["rank_high"]).all()
    ws = weight_sensitivity(r.themes, r.codebook, r.scores, r.drivers, scope="secondary")
    assert ws.set_index("theme").at["information", "stable"]
    assert len(ws.columns) == 1 + 11 + 2  # theme, 11 scenarios (breadth has weight 0: one "with_breadth"), share_top, stable


def test_cross_site_matrix_library_and_buddies(sample_run):
    r = sample_run[0]
    m = site_theme_matrix(r.priorities, r.themes, r.codebook, r.scores, r.config.sites)
    assert set(m["site"]) == set(r.config.sites) and m["alliance"].str.contains("Cancer Alliance").all()
    waiting = m[m["theme"] == "waiting"].set_index("site")
    assert waiting["survey_z"].idxmin() == "RGH"
    roll = alliance_rollup(m)
    assert set(roll["alliance"]) == {"North Coast Cancer Alliance", "Vale and Moor Cancer Alliance"}
    pairs = buddy_pairs(m, weakest=2, capacity=2)
    assert (pairs["buddy"] != pairs["site"]).all()
    assert pairs[pairs["buddy"] != ""].groupby("buddy").size().max() <= 2  # capacity respected
    rgh = pairs[(pairs["site"] == "RGH") & (pairs["theme"] == "waiting")].iloc[0]
    assert rgh["buddy"] and rgh["buddy_strength"] > rgh["site_strength"]
    comm = m[m["theme"] == "communication"].set_index("site")["survey_z"]
    assert comm.idxmax() == "VVH"
    plans = pd.DataFrame([{"site": "VVH", "theme": "communication", "you_said": "x", "we_plan_to": "Call-back within 24h",
                           "by": "2026", "status": "achieved"},
                          {"site": "NGU", "theme": "waiting", "you_said": "y", "we_plan_to": "z", "by": "", "status": "ongoing"}])
    lib = goal_library(plans)
    assert suggest_actions("communication", lib, exclude_site="RGH")["we_plan_to"].tolist() == ["Call-back within 24h"]
    assert suggest_actions("communication", lib, exclude_site="VVH").empty
