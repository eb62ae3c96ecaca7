"""Benchmark selection: one named national row per question, located errors, explicit "no benchmark".

The published CPES file holds 17 national rows for Q1 (2016-2018, all cancers and each tumour
group, unadjusted and year-on-year); the old code kept the last one (2016, all cancers, 77%) so a
breast service at 90% read 13 points *above* benchmark when it is 4 below (2018 breast: 94%).
"""
import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import EXTERNAL, SAMPLES
from pledge_analysis.errors import InputError, ProjectFileError
from pledge_analysis.survey import benchmark_rows, compare_to_benchmark, read_national

CPES = EXTERNAL / "cpes" / "ncpes_2015_2018_CentreForCancerOutcomes.csv.gz"


def questions():
    return pd.DataFrame([
        {"question_id": "info", "kind": "categorical", "positive": ["Yes"], "negative": ["No"], "national": "Q1"},
        {"question_id": "local", "kind": "categorical", "positive": ["Yes"], "negative": ["No"], "national": None},
    ])


def national():
    """Several national rows per question, in the order the published file has them (2016 last)."""
    rows = [(2018, "All Cancers", "unadjusted", "Both", "All", 0.77), (2018, "Breast", "unadjusted", "Both", "All", 0.94),
            (2018, "All Cancers", "unadjusted", "Female", "All", 0.78), (2018, "All Cancers", "yearonyear", "Both", "All", 0.77),
            (2017, "All Cancers", "yearonyear", "Both", "All", 0.77), (2016, "All Cancers", "yearonyear", "Both", "All", 0.77)]
    return pd.DataFrame([{"geog": "National", "question_id": "Q1", "year": y, "cancer_type": c, "adjustment": a, "sex": s,
                          "imd": i, "estimate": e, "n": 9000} for y, c, a, s, i, e in rows])


def scores():
    return pd.DataFrame({"site": ["all", "all", "BRS", "BRS"], "group": "all", "question_id": ["info", "local"] * 2,
                         "n": [400, 400, 200, 200], "estimate": [0.9, 0.7, 0.9, 0.6], "suppressed": False})


def test_several_national_rows_per_question_are_an_error_not_the_last_row():
    with pytest.raises(InputError, match=r"ambiguous.*Q1: 5 rows.*years 2016, 2017, 2018") as err:
        compare_to_benchmark(scores(), questions(), national(), path="national.csv")
    assert "national.csv" in str(err.value) and "benchmark: in project.yaml" in str(err.value)
    with pytest.raises(InputError, match="no national benchmark rows match year 2019.*years: 2016, 2017, 2018"):
        compare_to_benchmark(scores(), questions(), national(), year=2019)


def test_named_selection_picks_the_one_row_and_says_which():
    out = compare_to_benchmark(scores(), questions(), national(), year=2018, cancer_type="breast",
                               adjustment="unadjusted")
    info = out[out["question_id"] == "info"]
    assert info["benchmark"].tolist() == [0.94, 0.94] and info["gap"].to_numpy() == pytest.approx([0.04, 0.04])
    assert set(info["benchmark_source"]) == {"national Q1: 2018, Breast, unadjusted (n 9,000)"}
    # a sex breakdown is never the benchmark, even when it is the only 2018 "All Cancers" unadjusted row left
    rows = benchmark_rows(national(), year=2018, cancer_type="All Cancers", adjustment="unadjusted")
    assert rows["estimate"].tolist() == [0.77]


def test_no_benchmark_is_explicit():
    out = compare_to_benchmark(scores(), questions(), national(), year=2018, cancer_type="Breast",
                               adjustment="unadjusted").set_index(["site", "question_id"])
    own = out.loc[("all", "local")]
    assert own["benchmark_kind"] == "none" and np.isnan(own["gap"])  # never its own mean with gap 0
    site = out.loc[("BRS", "local")]
    assert site["benchmark_kind"] == "all respondents" and site["gap"] == pytest.approx(0.1)
    assert site["benchmark_source"] == "all respondents (no national benchmark)"
    none = compare_to_benchmark(scores(), questions(), None, fallback="none")
    assert (none["benchmark_kind"] == "none").all() and none["gap"].isna().all()


def test_project_yaml_benchmark_block(tmp_path):
    from pledge_analysis.config import ProjectConfig

    proj = tmp_path / "p"
    shutil.copytree(SAMPLES, proj, ignore=shutil.ignore_patterns("*.sqlite", "out"))
    text = (proj / "project.yaml").read_text(encoding="utf-8")
    (proj / "project.yaml").write_text(text.replace(
        "benchmark: national_benchmark.csv",
        "benchmark: {file: national_benchmark.csv, year: 2024, cancer_type: Breast}\nsuppress_below: 30"),
        encoding="utf-8")
    cfg = ProjectConfig.load(proj)
    assert cfg.benchmark.name == "national_benchmark.csv" and cfg.suppress_below == 30
    assert cfg.benchmark_select == {"year": 2024, "cancer_type": "Breast", "adjustment": None,
                                    "fallback": "all_respondents"}
    assert ProjectConfig.load(SAMPLES).benchmark_select["year"] is None  # the short form still works
    (proj / "project.yaml").write_text(text.replace(
        "benchmark: national_benchmark.csv", "benchmark: {file: national_benchmark.csv, yeer: 2018, adjustment: "
                                             "adjustd}\nsuppress_below: 0"), encoding="utf-8")
    with pytest.raises(ProjectFileError) as err:
        ProjectConfig.load(proj)
    msg = str(err.value)
    assert "benchmark.yeer': unknown key. Did you mean 'year'?" in msg and "benchmark.adjustment" in msg
    assert "suppress_below': must be at least 1" in msg


@pytest.mark.skipif(not CPES.exists(), reason="national CPES results not available (../shared/external)")
def test_real_cpes_breast_service_is_below_its_benchmark():
    nat = read_national(CPES)
    q = pd.DataFrame([{"question_id": "Q1", "kind": "categorical", "positive": [], "negative": [], "national": "Q1"}])
    sc = pd.DataFrame({"site": ["all"], "group": ["all"], "question_id": ["Q1"], "n": [300], "estimate": [0.90],
                       "suppressed": [False]})
    with pytest.raises(InputError, match="ambiguous"):
        compare_to_benchmark(sc, q, nat)
    out = compare_to_benchmark(sc, q, nat, year=2018, cancer_type="Breast", adjustment="unadjusted")
    assert out["benchmark"].iloc[0] == pytest.approx(0.94) and out["gap"].iloc[0] == pytest.approx(0.04)
    assert out["benchmark_source"].iloc[0] == "national Q1: 2018, Breast, unadjusted (n 9,046)"
    with pytest.raises(InputError, match="adjustments: unadjusted, yearonyear"):  # no adjusted national rows exist
        compare_to_benchmark(sc, q, nat, year=2018, cancer_type="Breast", adjustment="adjusted")
    from pledge_analysis.survey import trust_funnel

    with pytest.raises(InputError, match="ambiguous"):  # the funnel's target was the first of 4 national rows
        trust_funnel(nat, "Q17", cancer_type="All Cancers")


def test_validate_reports_an_ambiguous_benchmark_at_its_line(tmp_path):
    """``validate`` (and so ``run``, before any work) names the benchmark: line when the rows are ambiguous."""
    from pledge_analysis.validate import validate_project

    proj = tmp_path / "p"
    shutil.copytree(SAMPLES, proj, ignore=shutil.ignore_patterns("*.sqlite", "out"))
    raw = pd.read_csv(proj / "national_benchmark.csv")  # the published layout: a second year of rows
    pd.concat([raw, raw.assign(Year=2025)]).to_csv(proj / "national_benchmark.csv", index=False)
    report = validate_project(proj)
    found = [p for p in report.problems if p.key == "benchmark"]
    assert found and "ambiguous" in found[0].message and "year:" in found[0].message
    text = (proj / "project.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[found[0].line - 1].startswith("benchmark:")
    (proj / "project.yaml").write_text(text.replace("benchmark: national_benchmark.csv",
                                                    "benchmark: {file: national_benchmark.csv, year: 2025}"))
    assert not [p for p in validate_project(proj).problems if p.key == "benchmark"]


def test_a_question_without_a_national_number_reads_none_not_nan():
    q = questions().assign(national=["Q1", np.nan])  # as pandas reads a questions table with a blank national
    out = compare_to_benchmark(scores(), q, national(), year=2018, cancer_type="Breast", adjustment="unadjusted")
    own = out[(out["question_id"] == "local") & (out["site"] == "all")].iloc[0]
    assert own["benchmark_source"] == "none" and "nan" not in " ".join(out["benchmark_source"])
