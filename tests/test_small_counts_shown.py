"""Small counts are suppressed where the reasons are written, not rewritten afterwards.

``prioritise`` and ``standards_audit`` write ``reason_shown`` (and the shown survey texts) with
:class:`pledge_analysis.priorities.CountWords`, which knows the project's ``suppress_below``; the report,
the view and the co-design pack print those columns. Before, they rewrote ``reason`` with a regex
(``codesign.small_counts_in_text``), and a wording it did not know (the audit's "too few answers (12) to
use", "4 of 4 comments ... are negative") printed the small count."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import numpy as np
import pandas as pd

from pledge_analysis import schema
from pledge_analysis.calibration import simulate_programme
from pledge_analysis.codesign import small_counts_in_text
from pledge_analysis.priorities import CountWords, prioritise
from pledge_analysis.standards import standards_audit, standards_table

#: numbers in a reason that are not counts of comments, people or answers: thresholds, percentages,
#: survey points, hospitals, survey questions
NOT_COUNTS = re.compile(r"\d+ or more|under \d+|\d+%|\d+ points?|\d+ of the \d+ hospitals|\d+ hospitals|"
                        r"\d+ of \d+ survey questions?|fewer than \d+")
#: a number standing alone (not part of an id such as T09 or Q2)
NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*(?![\w%])")


def _numbers_left(text: str) -> list[str]:
    return NUMBER.findall(NOT_COUNTS.sub("", text))


def test_a_small_hospitals_reasons_show_no_count_whatever_the_wording():
    """Every number left in ``reason_shown`` once thresholds, percentages, points and hospitals are taken
    out would be a count: at hospitals where every count is under the threshold there must be none, in any
    wording (not only the ones a regex knows)."""
    themes, codebook, scores, drivers = simulate_programme(np.random.default_rng(1), n_respondents=40)
    few = scores["site"] == scores.loc[scores["site"] != "all", "site"].iloc[0]  # one site's survey: 12 answers
    scores.loc[few, ["n", "suppressed"]] = [12, True]
    p = prioritise(themes, schema.empty("units"), codebook, scores, drivers, suppress_below=21)
    small = p[(p["scope_type"] == "site") & (p["n_segments"] < 21) & (p["n_respondents"] < 21)]
    assert len(small) > 20
    assert all(_numbers_left(r) for r in small["reason"])  # the counts are there to hide (the test can fail)
    left = {r: _numbers_left(r) for r in small["reason_shown"] if _numbers_left(r)}
    assert not left, list(left.items())[:3]
    assert small["reason_shown"].str.contains("fewer than 21 comments").all()
    assert " ".join(small["survey_evidence"]).count("(n 12)") > 0
    shown = " ".join(small["survey_evidence_shown"])
    assert "(n 12)" not in shown and "threshold (fewer than 21 answers)" in shown
    # without a rule (the default) the shown texts are the texts
    plain = prioritise(themes, schema.empty("units"), codebook, scores, drivers)
    assert plain["reason_shown"].equals(plain["reason"])
    assert plain["survey_evidence_shown"].equals(plain["survey_evidence"])


def test_count_words_pluralise_and_leave_zero_and_large_counts():
    c = CountWords(21)
    assert [c.of(n, "comment") for n in (0, 1, 20, 21, 1500)] == [
        "0 comments", "fewer than 21 comments", "fewer than 21 comments", "21 comments", "1500 comments"]
    assert c.number(3) == "fewer than 21" and CountWords(None).number(3) == "3" and not CountWords(1).hides(0)


def _audit(suppress_below=21):
    std = standards_table({"rule": {"min_comments": 10}, "standards": [
        {"id": "A", "statement": "Support.", "codes": ["support"], "survey_items": ["Q1", "Q2"]}]})
    cols = ["site", "group", "question_id", "n", "estimate", "ci_low", "ci_high", "suppressed", "kind", "benchmark",
            "benchmark_source", "benchmark_kind"]
    scores = pd.DataFrame([("Y", "all", "Q1", 12, None, None, None, True, "proportion", 0.8, "national Q", "national"),
                           ("Y", "all", "Q2", 17, 0.6, 0.4, 0.8, False, "proportion", 0.8, "national Q", "national")],
                          columns=cols)
    units = pd.DataFrame({"segment_id": [f"s{i}" for i in range(14)], "theme": "support", "codes": "support",
                          "site": "Y", "group": "primary", "sentiment": ["negative"] * 13 + ["positive"]})
    return standards_audit(std, sites={"Y": {"name": "Hospital Y"}}, units=units, scores=scores,
                           codebook=pd.DataFrame({"code_id": ["support"], "parent_id": [None]}),
                           suppress_below=suppress_below)


def test_the_audit_writes_small_counts_as_fewer_than_the_threshold_where_the_regex_did_not():
    audit = _audit()
    (row,) = audit.to_dict("records")
    # what the report and the view printed before: the regex left these counts in
    old = small_counts_in_text(row["reason"], 21) + " " + small_counts_in_text(row["survey_figures"], 21)
    assert "(12) to use" in old and "13 of fewer than 21 comments" in old
    shown = row["reason_shown"] + " " + row["survey_figures_shown"]
    assert not _numbers_left(shown), shown
    assert "fewer than 21 comments" in row["reason_shown"] and "fewer than 21 answers" in row["survey_figures_shown"]
    assert row["reason"].count("13 of 14") == 1  # the counts themselves are kept in the table
    # the report's audit section, the view's and the co-design pack's print the shown texts
    from pledge_analysis.codesign import standards_page
    from pledge_analysis.report import standards_section
    from pledge_analysis.view import RunOutputs, audit_html

    report = "".join(standards_section(SimpleNamespace(standards_audit=audit, standards=None), 21))
    outputs = RunOutputs(Path("."), {}, schema.empty("priorities"), pd.DataFrame(), audit, {"Y": "Hospital Y"})
    for page in (report, audit_html(outputs, "Y"), standards_page(audit)):
        text = lxml.html.fromstring(page).text_content()
        assert "fewer than 21" in text and "(12)" not in text and "13 of" not in text, text
