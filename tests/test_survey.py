"""Survey scoring: Wilson intervals against statsmodels, scoring maps, suppression, benchmark gaps."""
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from conftest import EXTERNAL
from pledge_analysis.survey import compare_to_benchmark, read_national, score_questions, score_responses, wilson_ci


@pytest.mark.parametrize("k,n", [(0, 10), (1, 21), (81, 100), (999, 1000), (57, 57), (1234, 5678)])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_wilson_matches_statsmodels(k, n, confidence):
    ours = wilson_ci(k, n, confidence)
    ref = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert ours == pytest.approx(ref, abs=1e-12)


def questions():
    return pd.DataFrame([
        {"question_id": "Q1", "kind": "categorical", "options": ["Yes", "Some", "No", "DK"], "positive": ["Yes"],
         "negative": ["Some", "No"], "national": "Q1"},
        {"question_id": "R", "kind": "rating", "options": [], "positive": [], "negative": [], "national": None},
    ])


def test_scoring_excludes_neutral_and_suppresses_small_cells():
    rows = [("a", "S1", "primary", "Q1", v) for v in ["Yes"] * 30 + ["No"] * 10 + ["DK"] * 5]
    rows += [("b", "S2", "primary", "Q1", v) for v in ["Yes"] * 5 + ["Some"] * 5]
    rows += [("c", "S1", "primary", "R", str(v)) for v in [8, 9, 10, 7] * 6]
    resp = pd.DataFrame(rows, columns=["respondent_id", "site", "group", "question_id", "value"])
    scored = score_responses(resp, questions())
    assert (scored["scored_as"] == "excluded").sum() == 5
    s = score_questions(scored, questions(), by=["site"]).set_index(["site", "question_id"])
    assert s.loc[("S1", "Q1"), "n"] == 40 and s.loc[("S1", "Q1"), "estimate"] == 0.75
    assert not s.loc[("S1", "Q1"), "suppressed"] and s.loc[("S2", "Q1"), "suppressed"]
    assert s.loc[("S1", "R"), "estimate"] == pytest.approx(8.5)
    assert s.loc[("S1", "R"), "kind"] == "mean"
    assert (s.loc[("S1", "Q1"), "ci_low"], s.loc[("S1", "Q1"), "ci_high"]) == pytest.approx(wilson_ci(30, 40))


def test_benchmark_gap_uses_national_where_available():
    scores = pd.DataFrame({"site": ["all", "all"], "group": ["all", "all"], "question_id": ["Q1", "R"],
                           "estimate": [0.7, 8.0], "n": [100, 100], "suppressed": [False, False]})
    national = pd.DataFrame({"geog": ["National"], "question_id": ["Q1"], "estimate": [0.8]})
    out = compare_to_benchmark(scores, questions(), national).set_index("question_id")
    assert out.loc["Q1", "gap"] == pytest.approx(0.1) and out.loc["Q1", "benchmark_kind"] == "national"
    assert out.loc["Q1", "benchmark_source"].startswith("national Q1")
    # no national row: the all-respondents row is not its own benchmark (it used to read gap 0)
    assert out.loc["R", "benchmark_kind"] == "none" and np.isnan(out.loc["R", "gap"])


CPES = EXTERNAL / "cpes" / "ncpes_2015_2018_CentreForCancerOutcomes.csv.gz"


@pytest.mark.skipif(not CPES.exists(), reason="national CPES results not available (../shared/external)")
def test_published_2018_trust_intervals_are_wilson():
    raw = pd.read_csv(CPES, low_memory=False, usecols=["Geog", "Year", "adjusted.unadjusted.yearonyear",
                                                        "Number.of.responses", "scored.percentage",
                                                        "Lower.95..confidence.interval", "Upper.95..confidence.interval",
                                                        "Question.Number"])
    d = raw[(raw["Geog"] == "Trust") & (raw["Year"] == 2018) & (raw["adjusted.unadjusted.yearonyear"] == "unadjusted")
            & (raw["Question.Number"] != "Q59")].dropna(subset=["Lower.95..confidence.interval"]).head(3000)
    n = d["Number.of.responses"].to_numpy()
    k = np.round(d["scored.percentage"].to_numpy() / 100 * n)
    lo, hi = wilson_ci(k, n)
    # published to whole percentages: the recomputed interval matches within rounding
    assert np.mean(np.abs(100 * lo - d["Lower.95..confidence.interval"]) <= 1.01) > 0.97
    assert np.mean(np.abs(100 * hi - d["Upper.95..confidence.interval"]) <= 1.01) > 0.97


def test_sample_survey_recovers_planted_effects(sample_run, truth):
    result, _ = sample_run
    s = result.scores
    grp = s[(s["site"] == "all")].set_index(["group", "question_id"])["estimate"]
    for item in truth["planted"][0]["survey_items"]:
        assert grp[("primary", item)] - grp[("secondary", item)] > 0.12, item
    site = s[(s["group"] == "all")].set_index(["site", "question_id"])["estimate"]
    others = ["NGU", "SAH", "MDH", "VVH", "WRI"]
    for item in ("Q2", "Q57"):
        assert site[("RGH", item)] < min(site[(o, item)] for o in others) - 0.1
    for item in ("Q16", "Q18"):
        assert site[("VVH", item)] > max(site[(o, item)] for o in ["NGU", "RGH", "SAH", "MDH", "WRI"])


def test_read_national_sample_layout():
    from conftest import SAMPLES

    nat = read_national(SAMPLES / "national_benchmark.csv")
    row = nat[(nat["geog"] == "National") & (nat["question_id"] == "Q17")].iloc[0]
    assert 0 < row["estimate"] < 1 and row["ci_low"] < row["estimate"] < row["ci_high"]


def test_read_national_parses_a_file_once_per_process_and_rereads_a_changed_one(tmp_path):
    """`run` parsed the national file twice (validate, then scoring): 1.3 s on the real CPES file."""
    import os
    import shutil

    from conftest import SAMPLES
    from pledge_analysis.survey.scoring import _parse_national_cached

    f = tmp_path / "national.csv"
    shutil.copy(SAMPLES / "national_benchmark.csv", f)
    before = _parse_national_cached.cache_info()
    a = read_national(f)
    a.loc[0, "estimate"] = -1.0                          # a caller changing its table ...
    b = read_national(f)                                 # ... does not change the next caller's
    after = _parse_national_cached.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
    assert b.loc[0, "estimate"] != -1.0
    text = f.read_text(encoding="utf-8").replace(",Q17,", ",Q17x,", 1)
    f.write_text(text, encoding="utf-8")
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    assert "Q17x" in set(read_national(f)["question_id"])


def test_sample_outputs_show_suppression_and_benchmark_rows(sample_run):
    """survey_scores.csv printed estimates for n 15-20; outputs did not say which benchmark rows were used."""
    result, out = sample_run
    csv = pd.read_csv(out / "survey_scores.csv")
    small = csv[csv["n"] < 21]
    assert len(small) and small["suppressed"].all() and small[["estimate", "ci_low", "ci_high", "gap"]].isna().all().all()
    assert not csv.loc[csv["n"] >= 21, "suppressed"].any()
    q2 = csv[(csv["question_id"] == "Q2") & (csv["site"] == "all") & (csv["group"] == "all")].iloc[0]
    assert q2["benchmark_kind"] == "national" and q2["benchmark_source"] == "national Q2: 2024, Breast (n 10,533)"
    hna = csv[(csv["question_id"] == "HNA") & (csv["site"] == "all") & (csv["group"] == "all")].iloc[0]
    assert hna["benchmark_kind"] == "none" and np.isnan(hna["gap"])  # no national row: no gap of 0 to itself
    report = (out / "report.html").read_text(encoding="utf-8")
    n_sup = int(result.scores["suppressed"].sum())
    assert "fewer than 21 respondents are suppressed" in report and f"({n_sup:,} of {len(result.scores):,} cells" in report
    assert "Benchmark: national rows 2024, Breast." in report
    log = result.run_log["survey"]
    assert log["suppress_below"] == 21 and log["benchmark_file"] == "national_benchmark.csv"
    assert "national Q2: 2024, Breast (n 10,533)" in log["benchmark_rows"]
