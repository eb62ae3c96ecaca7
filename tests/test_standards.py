"""Issue 15: each hospital audited against a standards framework, with the evidence behind each verdict.

Before: there was no standards file, no audit table, nothing in the report or the co-design pack; the
priority reasons read "its survey items carry 5% each of what explains the overall rating", "1 points",
"raised negatively in 1 of 1 sites"; the co-design pack did not say how sure a ranking was.
"""
from __future__ import annotations

import html
import re
import shutil

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from conftest import SAMPLES
from pledge_analysis.errors import ProjectFileError
from pledge_analysis.standards import (AUDIT_COLUMNS, VERDICTS, read_standards, standards_audit, standards_table,
                                       verdict_matrix)
from pledge_analysis.validate import load_and_check


def _visible(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S)))


# ------------------------------------------------------------------------------ the sample's audit
def test_the_run_audits_every_hospital_and_shows_it_in_the_report_and_packs(sample_run):
    result, out = sample_run
    audit = pd.read_csv(out / "standards_audit.csv")
    assert tuple(audit.columns) == AUDIT_COLUMNS
    standards = read_standards(SAMPLES / "standards.yaml")
    assert "not the official" in standards.attrs["note"].lower()  # an example, clearly marked
    assert len(audit) == len(result.config.sites) * len(standards) and set(audit["verdict"]) <= set(VERDICTS)
    by = audit.set_index(["site", "standard_id"])
    # the planted signal: secondary patients get less support, so parity of support is never "met"
    assert (by.xs("PARITY", level="standard_id")["verdict"] != "met").all()
    # palliative care has a handful of secondary comments per hospital: the data cannot say
    assert (by.xs("PALLIATIVE", level="standard_id")["verdict"] == "insufficient evidence").any()
    # the comment figures are the hospital's coded comments, with statsmodels' Wilson interval
    rgh = by.loc[("RGH", "INFO")]
    u = result.units[(result.units["site"] == "RGH") & (result.units["theme"] == "information")]
    assert rgh["n_comments"] == u["segment_id"].nunique()
    assert rgh["n_negative"] == u.loc[u["sentiment"] == "negative", "segment_id"].nunique()
    lo, hi = proportion_confint(rgh["n_negative"], rgh["n_comments"], method="wilson")
    assert (rgh["negative_share_low"], rgh["negative_share_high"]) == pytest.approx((lo, hi))
    # a survey item falls short exactly when its whole interval is below what it is compared with
    sc = result.scores.set_index(["site", "group", "question_id"])
    hna = by.loc[("RGH", "HNA")]
    assert "target 75%" in hna["survey_figures"] and hna["items_short"] == int(sc.loc[("RGH", "all", "HNA"), "ci_high"] < 0.75)
    for r in audit.itertuples():
        assert r.reason.startswith(r.verdict.capitalize()), r.reason
    # the report: a section with the verdicts and the evidence
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "<h2 id='standards-audit'>Standards audit</h2>" in report and "href='#standards-audit'" in report
    text = _visible(report)
    assert standards.attrs["name"] in text and all(s in text for s in standards["statement"])
    # each hospital's co-design pack ends with its own audit page
    for site in result.config.sites:
        pack = _visible((out / "codesign" / f"{site}.html").read_text(encoding="utf-8"))
        assert "Standards: how this hospital measures up" in pack
        assert all(reason in pack for reason in audit.loc[audit["site"] == site, "reason_shown"])


def test_the_codesign_pack_says_how_sure_each_ranking_is(sample_run):
    from pledge_analysis.codesign import ordinal

    result, out = sample_run
    pack = _visible((out / "codesign" / "RGH.html").read_text(encoding="utf-8"))
    here = result.priorities[result.priorities["scope"] == "RGH"]
    assert pack.count("How sure is this ranking?") == 5
    for r in here.sort_values("rank").head(5).itertuples():
        assert f"Ranked {ordinal(r.rank)} of {len(here)} areas. In 100 resamples of the data it ranked " in pack
        assert (f"{ordinal(r.rank_low)} at least 95 times in 100" if r.rank_low == r.rank_high
                else f"between {ordinal(r.rank_low)} and {ordinal(r.rank_high)} (95 times in 100)") in pack
        top = round(100 * r.p_top3)
        assert f"in the top three {'every time' if top == 100 else 'never' if top == 0 else f'{top} times in 100'}" in pack


# ------------------------------------------------------------------------------ the rule, on small tables
def _scores(rows):
    cols = ["site", "group", "question_id", "n", "estimate", "ci_low", "ci_high", "suppressed", "kind", "benchmark",
            "benchmark_source", "benchmark_kind"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def _units(site, group, code, n, n_neg):
    return pd.DataFrame({"segment_id": [f"{site}{group}{code}{i}" for i in range(n)], "theme": code.split(".")[0],
                         "codes": code, "site": site, "group": group,
                         "sentiment": ["negative"] * n_neg + ["positive"] * (n - n_neg)})


def test_the_verdict_rule_met_partly_not_met_and_insufficient():
    codebook = pd.DataFrame({"code_id": ["support", "support.hna"], "parent_id": [None, "support"]})
    std = standards_table({"rule": {"min_comments": 10}, "standards": [
        {"id": "A", "statement": "Support.", "codes": ["support"], "survey_items": ["Q1", "Q2"]},
        {"id": "B", "statement": "Support for secondary patients.", "group": "secondary", "codes": ["support"]},
        {"id": "C", "statement": "Target.", "survey_items": ["Q3"], "targets": {"Q3": 0.9}}]})
    nat = ("national Q", "national")
    scores = _scores([
        ("X", "all", "Q1", 200, 0.60, 0.53, 0.67, False, "proportion", 0.80, *nat),    # wholly below: short
        ("X", "all", "Q2", 200, 0.79, 0.73, 0.84, False, "proportion", 0.80, *nat),    # straddles: no shortfall
        ("X", "all", "Q3", 200, 0.85, 0.79, 0.89, False, "proportion", 0.50, *nat),    # below its 0.9 target
        ("Y", "all", "Q1", 12, None, None, None, True, "proportion", 0.80, *nat),      # suppressed: not usable
        ("Y", "all", "Q2", 200, 0.60, 0.53, 0.67, False, "proportion", None, "none", "none"),  # nothing to compare
        ("Y", "all", "Q3", 200, 0.95, 0.91, 0.97, False, "proportion", 0.5, *nat)])
    units = pd.concat([_units("X", "primary", "support.hna", 40, 36),  # a sub-code counts for its parent
                       _units("X", "secondary", "support", 30, 6),
                       _units("Y", "secondary", "support", 4, 4)], ignore_index=True)
    audit = standards_audit(std, sites={"X": {"name": "Hospital X"}, "Y": {}}, units=units, scores=scores,
                            codebook=codebook).set_index(["site", "standard_id"])
    assert audit.loc[("X", "A"), "verdict"] == "partly met"  # comments and Q1 short, Q2 not
    assert audit.loc[("X", "A"), ["n_comments", "n_negative", "items_used", "items_short"]].tolist() == [70, 42, 2, 1]
    assert audit.loc[("X", "B"), ["verdict", "n_comments"]].tolist() == ["met", 30]  # secondary comments only
    assert audit.loc[("X", "C"), "verdict"] == "not met" and "target 90%" in audit.loc[("X", "C"), "survey_figures"]
    assert audit.loc[("Y", "A"), "verdict"] == "insufficient evidence"  # suppressed, no benchmark, no comments
    assert "too few answers" in audit.loc[("Y", "A"), "survey_figures"]
    assert audit.loc[("Y", "B"), ["verdict", "comments_finding"]].tolist() == ["insufficient evidence", "too few"]
    assert audit.loc[("Y", "C"), "verdict"] == "met" and audit.loc[("X", "A"), "site_name"] == "Hospital X"
    assert verdict_matrix(audit.reset_index()).loc["X"].tolist() == ["partly met", "met", "not met"]
    whole = standards_audit(std, sites={"all": {"name": "Programme"}}, units=units, scores=scores, codebook=codebook)
    assert whole.loc[0, ["site", "n_comments"]].tolist() == ["all", 74]  # no sites: the programme as a whole
    own = standards_table({"rule": {"negative_share": 0.3}, "standards": [
        {"id": "A", "statement": "S.", "codes": ["x"], "rule": {"min_comments": 3}}]})
    assert own.loc[0, ["negative_share", "min_comments"]].tolist() == [0.3, 3]  # its keys over the file's rule
    empty = standards_audit(std, sites={}, units=None, scores=None)
    assert empty.empty and tuple(empty.columns) == AUDIT_COLUMNS


def test_validate_locates_every_problem_in_a_standards_file(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    (project / "standards.yaml").write_text(
        "name: Ours\n"
        "standards:\n"
        "  - id: A\n"
        "    statment: Typo.\n"                     # line 4: did you mean
        "  - id: B\n"
        "    statement: Unknown evidence.\n"
        "    codes: [support, nosuch]\n"            # line 7: a code the codebook lacks
        "    survey_items: [Q17, Q99]\n"            # line 8: a question questions.yaml lacks
        "    group: metastatic\n", encoding="utf-8")  # line 9: not a group
    problems = load_and_check(project)[3]
    first = [str(p) for p in problems]
    assert any("standards.yaml, line 4, key 'standards[0].statment': unknown key. Did you mean 'statement'?" in p
               for p in first), first
    (project / "standards.yaml").write_text(
        "standards:\n  - id: B\n    statement: Unknown evidence.\n    codes: [support, nosuch]\n"
        "    survey_items: [Q17, Q99]\n    group: metastatic\n", encoding="utf-8")
    found = {(p.line, p.key): p.message for p in load_and_check(project)[3]}
    assert "['nosuch']" in found[(4, "standards[0].codes")]
    assert "['Q99']" in found[(5, "standards[0].survey_items")]
    assert "'metastatic'" in found[(6, "standards[0].group")]
    (project / "standards.yaml").unlink()
    with pytest.raises(ProjectFileError) as exc:
        load_and_check(project)
    missing = [p for p in exc.value.problems if p.key == "standards"]
    assert missing and "does not exist" in missing[0].message and missing[0].line == 20


# ------------------------------------------------------------------------------ plain-English reasons
JARGON = ("carry", "explains the overall rating", "shrunk", "within noise", "of 1 sites", "survey items")


def test_priority_reasons_are_plain_english_and_pluralise(sample_run):
    reasons = sample_run[0].priorities["reason"]
    for r in reasons:
        assert not [j for j in JARGON if j in r], r
        assert not re.search(r"\b1 (points|comments|people|hospitals)\b", r), r
        assert not re.search(r"(?<![\d.])(?:0|[2-9]|\d{2,}) (point|comment|person|hospital)\b", r), r
    site = sample_run[0].priorities[sample_run[0].priorities["scope_type"] == "site"]["reason"]
    assert not site.str.contains("hospitals").any()  # "of 1 hospitals" says nothing at one hospital
    assert reasons.str.contains("3 or more negative comments at").any()
    from pledge_analysis.priorities import _reason

    row = pd.DataFrame([{"name": "Parking", "n_respondents": 1, "n_segments": 1, "n_negative": 1,
                         "survey_gap": 0.012, "survey_gap_low": 0.006, "survey_gap_high": 0.02,
                         "n_sites": 2, "n_sites_negative": 1, "driver": float("nan")}]).itertuples(index=False)
    text = _reason(next(row), 10)
    assert text == ("Parking: raised in only 1 comment (1 person), it was negative: too few for a reliable "
                    "percentage (that needs 10 or more); its survey questions score 1 point below the benchmark on average (95% "
                    "interval 1 to 2 points); 3 or more negative comments at 1 of the 2 hospitals.")
