"""What people see, round 11 (found by rendering the sample and a user-like project with a 4-respondent
hospital to PNG and looking): a small area's reason named two thresholds in one sentence ("fewer than 21
comments ... too few (under 10)"), which also told more than the suppression rule lets out. Small inputs."""
from __future__ import annotations

from types import SimpleNamespace as R

import pandas as pd

from pledge_analysis.priorities import CountWords, _reason


def small_area(n=4, neg=4):
    return R(name="Waits", priority_score=0.7, n_segments=n, n_negative=neg, n_respondents=n,
             negativity_low=0.3, negativity_high=0.9, negativity_ref=0.3, prevalence_norm=0.5,
             survey_gap=float("nan"), survey_gap_low=float("nan"), survey_gap_high=float("nan"),
             survey_evidence="", n_sites=1, n_sites_negative=0, driver=float("nan"), prevalence_raw=0.1,
             negativity=1.0)


def test_a_suppressed_small_area_names_one_threshold_only():
    text = _reason(small_area(), 10, counts=CountWords(21))
    assert "fewer than 21 comments" in text, text
    assert "under 10" not in text and "10" not in text, text  # no second threshold, nothing under 21 given away
    assert "too few for a reliable percentage" in text, text


def test_a_shown_small_area_says_how_many_a_percentage_needs_in_one_clause():
    text = _reason(small_area(7, 5), 10)
    assert "raised in only 7 comments" in text.lower(), text
    assert "too few for a reliable percentage (that needs 10 or more)" in text, text
    assert "(under 10)" not in text, text


def test_an_old_reason_rewritten_for_suppression_drops_the_second_threshold():
    from pledge_analysis.codesign import small_counts_in_text

    old = ("Waits: a priority. Raised in only 4 comments (1 person), 4 of them negative: too few (under 10) for a "
           "reliable percentage.")
    text = small_counts_in_text(old, 21)
    assert "fewer than 21 comments" in text and "under 10" not in text, text
    assert "too few for a reliable percentage" in text, text
    assert small_counts_in_text("Raised in only 40 comments: too few (under 50) for a reliable percentage", 21) \
        == "Raised in only 40 comments: too few (under 50) for a reliable percentage"  # nothing hidden: kept
