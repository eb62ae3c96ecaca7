"""Tidy statistical contracts (issue 19): one naming rule for estimates and intervals, identifier-safe
names, the contract's columns on empty results, funnel limits in long form, and the legacy names."""
import types
import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from pledge_analysis import schema
from pledge_analysis.cross_site import survey_z
from pledge_analysis.errors import InputError
from pledge_analysis.rounds import goal_progress
from pledge_analysis.survey import (casemix_adjust, compare, funnel, funnel_limits, key_drivers, score_questions,
                                    score_responses)

QUESTIONS = pd.DataFrame([{"question_id": "Q1", "kind": "categorical", "options": ["Yes", "No"], "positive": ["Yes"],
                           "negative": ["No"], "national": None}])


@pytest.fixture(scope="module")
def tiny():
    """A tiny hospital: 3 respondents, all suppressed."""
    resp = pd.DataFrame([(f"T{i}", "TINY", "primary", "Q1", v) for i, v in enumerate(["Yes", "No", "Yes"])],
                        columns=["respondent_id", "site", "group", "question_id", "value"])
    scored = score_responses(resp, QUESTIONS)
    return scored, score_questions(scored, QUESTIONS, by=["site"])


def test_every_contract_column_is_an_identifier():
    bad = {t: [c for c in cols if not c.isidentifier()] for t, cols in schema.TABLES.items()}
    assert not any(bad.values()), bad
    for table, legacy in schema.LEGACY_COLUMNS.items():
        assert table in schema.TABLES
        assert all(new in schema.TABLES[table] for new in legacy.values() if new is not None)


def test_tiny_hospital_gives_the_contract_columns_with_no_rows(tiny):
    scored, scores = tiny
    assert scores["suppressed"].all()
    for by in ("site", "group"):  # one level: nothing to compare
        c = compare(scored, by=by)
        assert c.empty and c.columns.tolist() == list(schema.COMPARISONS)
    usable = scores[~scores["suppressed"]]
    f = funnel(usable)
    assert f.empty and set(schema.FUNNEL) <= set(f.columns) and f.columns[:len(usable.columns)].tolist() == list(
        usable.columns)
    lim = funnel_limits(f)
    assert lim.empty and lim.columns.tolist() == list(schema.FUNNEL_LIMITS)
    z = survey_z(scores.assign(group="all", benchmark=0.8))
    assert z.empty and z.columns.tolist() == ["site", "question_id", "n", "estimate", "z", "flag", "tau2_source"]
    rnd = types.SimpleNamespace(scores=scores, themes=schema.empty("themes"))
    codebook = pd.DataFrame({"code_id": ["waiting", "parking"], "survey_items": [["Q1"], None]})
    plan = pd.DataFrame([{"goal_id": "G1", "scope": "TINY", "theme": "parking", "by": "", "status": "ongoing"}])
    gp = goal_progress(plan, codebook, rnd, rnd)  # a theme with no survey items and no comments
    assert gp.empty and gp.columns.tolist() == list(schema.GOAL_PROGRESS)
    kept = goal_progress(plan.assign(theme="waiting"), codebook, rnd, rnd)  # the suppressed item is listed, empty
    assert kept.columns.tolist() == list(schema.GOAL_PROGRESS) and len(kept) == 1
    assert kept[["estimate", "ci_low", "ci_high"]].isna().all(axis=None) and not kept["improved"].any()
    kd = key_drivers(scored, items=["Q1"], outcome="Q59", n_boot=5)  # no outcome answered
    assert kd.empty and kd.columns.tolist() == list(schema.DRIVERS)


def test_casemix_interval_is_the_adjusted_ones_and_empty_keeps_columns(tiny):
    scored, _ = tiny
    people = pd.DataFrame({"respondent_id": scored["respondent_id"], "age_band": ["50-64", "65+", "50-64"],
                           "ethnicity": "White", "imd_quintile": [1, 2, 3]})
    cm = casemix_adjust(scored, people)
    assert cm.columns.tolist() == list(schema.CASEMIX) and len(cm) == 1
    r = cm.iloc[0]
    assert r["estimate"] == pytest.approx(2 / 3) and r["adjusted_low"] <= r["adjusted"] <= r["adjusted_high"]
    same = scored.assign(scored_as="positive")  # every answer positive: nothing to adjust
    by_group = casemix_adjust(same, people, by="group")
    assert by_group.empty and by_group.columns.tolist() == [
        "group" if c == "site" else c for c in schema.CASEMIX]


def test_compare_estimate_is_the_difference_with_its_interval():
    resp = pd.DataFrame([(f"{s}{i}", s, "primary", "Q1", "Yes" if i < yes else "No")
                         for s, yes, no in (("A", 40, 10), ("B", 25, 25)) for i in range(yes + no)],
                        columns=["respondent_id", "site", "group", "question_id", "value"])
    c = compare(score_responses(resp, QUESTIONS), by="site")
    assert c.columns.tolist() == list(schema.COMPARISONS)
    r = c.iloc[0]
    assert r["estimate"] == pytest.approx(0.8 - 0.5) and r["ci_low"] < r["estimate"] < r["ci_high"]


def test_funnel_keeps_one_row_per_unit_with_its_own_interval():
    units = pd.DataFrame({"site": list("ABC"), "n": [40, 120, 300], "estimate": [0.75, 0.6, 0.7]})
    f = funnel(units, target=0.7)
    assert len(f) == 3 and f.columns.tolist() == ["site", *schema.FUNNEL]
    lo, hi = proportion_confint(units["estimate"] * units["n"], units["n"], method="wilson")
    assert f["ci_low"].to_numpy() == pytest.approx(lo) and f["ci_high"].to_numpy() == pytest.approx(hi)
    given = funnel(units.assign(ci_low=0.1, ci_high=0.9), target=0.7)  # e.g. published intervals: kept
    assert (given["ci_low"] == 0.1).all() and (given["ci_high"] == 0.9).all()
    assert not any(c.startswith(("lower", "upper")) for c in f.columns)


def test_funnel_limits_are_long_and_row_wise():
    a = funnel(pd.DataFrame({"site": list("AB"), "n": [50, 200], "estimate": [0.6, 0.7]}), target=0.5)
    b = funnel(pd.DataFrame({"site": list("AB"), "n": [50, 200], "estimate": [0.6, 0.7]}), target=0.8, tau2=0.001)
    both = pd.concat([a, b], ignore_index=True)
    lim = funnel_limits(both.assign(unit=["A/Q1", "B/Q1", "A/Q2", "B/Q2"]), unit="unit")
    assert lim["unit"].tolist() == ["A/Q1", "A/Q1", "B/Q1", "B/Q1", "A/Q2", "A/Q2", "B/Q2", "B/Q2"]
    assert lim["level"].tolist() == [0.95, 0.998] * 4
    wide = (lim["limit_high"] - lim["limit_low"]).to_numpy()
    assert (wide[1::2] > wide[::2]).all()  # 99.8% wider than 95% for every unit
    q2 = lim[lim["unit"] == "A/Q2"]
    assert (q2["target"] == 0.8).all() and (q2["tau2"] == 0.001).all()  # each row its own funnel
    grid = funnel_limits(pd.DataFrame({"n": [25, 100, 400], "target": 0.8, "tau2": 0.0}), levels=(0.95,))
    assert grid["unit"].tolist() == [0, 1, 2] and np.all(np.diff(grid["limit_high"]) < 0)  # the funnel narrows
    with pytest.raises(InputError, match=r"needs column\(s\) \['target', 'tau2'\]"):
        funnel_limits(pd.DataFrame({"n": [10]}))
    with pytest.raises(InputError, match=r"\['site'\]"):
        funnel_limits(a.drop(columns="site"), unit="site")


def test_rename_legacy_maps_old_names_with_a_future_warning():
    old = pd.DataFrame({"question_id": ["Q1"], "diff": [0.2], "ci_low": [0.1], "ci_high": [0.3]})
    with pytest.warns(FutureWarning, match="'diff' -> 'estimate'"):
        new = schema.rename_legacy(old, "comparisons")
    assert new.columns.tolist() == ["question_id", "estimate", "ci_low", "ci_high"]
    with pytest.warns(FutureWarning, match="funnel_limits"):
        kept = schema.rename_legacy(pd.DataFrame({"n": [10], "lower95": [0.4]}), "funnel")
    assert kept.columns.tolist() == ["n", "lower95"]  # no one-to-one successor: left, and the warning says how
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert schema.rename_legacy(new, "comparisons").columns.tolist() == new.columns.tolist()  # no warning
    with pytest.raises(InputError, match="both old and new"):
        schema.rename_legacy(old.assign(estimate=0.2), "comparisons")


def test_rank_intervals_of_a_survey_without_comments_keep_their_columns(tiny):
    """A tiny hospital whose 3 respondents left no comment: rank_intervals raised numpy's UFuncTypeError."""
    from pledge_analysis.coding.themes import coded_units, summarise_themes
    from pledge_analysis.uncertainty import rank_intervals

    scored, scores = tiny
    codebook = pd.DataFrame([{"code_id": "waiting", "name": "Waiting", "parent_id": None, "description": "",
                              "include": "", "exclude": "", "keywords": ["wait"], "examples": [], "colour": "",
                              "survey_items": ["Q1"], "concern": "Waits were long."}])
    segments = schema.empty("segments")
    units = coded_units(segments, schema.empty("codings"), codebook)
    themes = summarise_themes(segments, units, codebook)
    ri = rank_intervals(segments, units, codebook, scored, scores, themes=themes, n_boot=5)
    assert ri.empty and ri.columns.tolist() == ["scope_type", "scope", "theme", "rank", "rank_low", "rank_high",
                                                "p_top3", "n_boot"]
