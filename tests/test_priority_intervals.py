"""Rank intervals in every output: stratified by site, clustered by focus-group session, and the
site scopes computed with the site breakdown of the survey (issue 13)."""
import numpy as np
import pandas as pd

from pledge_analysis.priorities import score_components
from pledge_analysis.uncertainty import _Counts, rank_intervals


def test_priorities_csv_and_report_carry_rank_intervals(sample_run):
    result, out = sample_run
    csv = pd.read_csv(out / "priorities.csv")
    for c in ("rank_low", "rank_high", "p_top3"):
        assert csv[c].notna().all(), c
    assert ((csv["rank_low"] <= csv["rank"]) & (csv["rank"] <= csv["rank_high"])).all()
    assert csv["p_top3"].between(0, 1).all()
    # every scope's p_top3 adds up to 3 (each resample has three themes in its top 3)
    assert np.allclose(csv.groupby("scope")["p_top3"].sum(), 3)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "rank (95% interval)" in html and "three" not in html.split("Prioritised improvement areas")[1][:600]
    ri = result.run_log["priorities"]["rank_intervals"]
    assert f"{ri['n_boot']} bootstrap resamples" in html and "stratified by site" in html
    assert "survey gap 30%" in html and "driver 15%" in html  # the weights actually used


def test_site_scopes_use_the_site_breakdown(sample_run):
    """Before: the bootstrap scored the survey by group only, so a site's point ranks were built
    without its own survey scores and 36% of them differed from the published ranks. Now the point
    ranks of every scope equal the published ones (with_rank_intervals checks it on every run)."""
    result, _ = sample_run
    ri = rank_intervals(result.segments, result.units, result.codebook, result.scored, result.scores,
                        result.drivers, themes=result.themes, n_boot=2)
    merged = ri.merge(result.priorities, on=["scope_type", "scope", "theme"], suffixes=("_ri", ""))
    sites = merged[merged["scope_type"] == "site"]
    assert len(sites) == (result.priorities["scope_type"] == "site").sum()
    assert (merged["rank_ri"] == merged["rank"]).all()
    # the site breakdown matters: without it the site ranks differ
    no_sites = result.scores[result.scores["site"] == "all"]
    blind = score_components(result.themes[result.themes["scope_type"] == "site"], result.codebook, no_sites,
                             result.drivers).set_index(["scope", "theme"])["rank"]
    published = result.priorities[result.priorities["scope_type"] == "site"].set_index(["scope", "theme"])["rank"]
    # 18 of 72 (25%) on the sample since prevalence counts concerns only (session 7; 26 of 72 before)
    assert (blind.loc[published.index] != published).mean() > 0.2


def test_resamples_keep_each_sites_respondents_and_sessions_and_move_sessions_whole(sample_run):
    result, _ = sample_run
    counts = _Counts(result.segments, result.units, result.codebook, result.scored, 21)
    unit_site = counts.cell_site[counts.cell_of]
    sessions = counts.kind == "session"
    assert sessions.sum() == result.segments.loc[result.segments["source_type"] == "focus_group", "source_id"].nunique()
    rng = np.random.default_rng(0)
    for _ in range(3):
        w = counts.draw(rng)
        for site in counts.sites:
            for kind in (True, False):
                at = (unit_site == site) & (sessions == kind)
                assert w[at].sum() == at.sum()  # stratified: each site keeps its numbers
    # a session is one unit: all its speakers' turns carry the same weight
    w = counts.draw(rng)
    th = counts.themes_table(np.ones(len(counts.units)))
    point = result.themes[result.themes["scope_type"].isin(["all", "group", "site"])]
    keys = ["scope_type", "scope", "theme"]
    m = th.merge(point, on=keys, suffixes=("", "_run"))
    for c in ("n_segments", "n_negative", "n_scope_segments", "n_sites_negative", "n_groups_negative"):
        assert (m[c] == m[f"{c}_run"]).all(), c  # unit weights reproduce the run's themes table


def test_project_yaml_sets_the_resamples_and_the_minimum_count(tmp_path):
    """``priorities: {resamples, min_comments}`` reach the run: 0 resamples leave the intervals blank (not
    invented), the minimum count is the one the reasons and the methods paragraph use."""
    from userlike import edit, write_project
    from pledge_analysis.pipeline import run_project

    project = write_project(tmp_path / "hillside", resamples=None)
    edit(project / "project.yaml", "random_state: 7", "random_state: 7\npriorities: {resamples: 0, min_comments: 500}")
    result = run_project(project, store=None)
    pr = result.priorities
    assert len(pr) and pr[["rank_low", "rank_high", "p_top3"]].isna().all().all()
    assert result.run_log["priorities"]["min_comments"] == 500
    assert result.run_log["priorities"]["rank_intervals"]["n_boot"] == 0
    assert pr["reason"].str.contains("too few").all()  # every theme rests on fewer than 500 comments
