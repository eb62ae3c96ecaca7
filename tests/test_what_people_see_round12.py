"""What people see, round 12 (found by rendering a user-like project, 3 hospitals, one of 4 respondents, patients
and staff, and the sample to PNG and looking, /tmp/see11): with 3 areas, every area was "in the top three every
time: it is almost certainly among the top three", also the one the report calls "not a priority"; a small
area's reason said "at least half of its comments are criticisms" and then "all of them negative"; the report's
plan showed theme codes and its coding table "segments"; priority bars listed components no bar had; the sites
heatmap cut two questions to the same words. Small inputs, no pipeline run."""
from __future__ import annotations

import pandas as pd

from pledge_analysis.codesign import rank_certainty


def test_with_three_areas_or_fewer_the_top_three_is_not_called_a_finding():
    text = rank_certainty(3, 1, 3, 1.0, n_boot=100, n_areas=3)
    assert "almost certainly among the top three" not in text, text
    assert "only 3 areas" in text, text
    assert "ranked between 1st and 3rd" in text, text  # the interval still says how sure the rank is
    two = rank_certainty(1, 1, 2, 1.0, n_boot=100, n_areas=2)
    assert "among the top three" not in two and "only 2 areas" in two, two
    # with more areas the top three means something and is still said
    assert "almost certainly among the top three" in rank_certainty(1, 1, 2, 0.97, n_boot=100, n_areas=8)


def test_report_in_top_3_column_is_blank_words_where_a_scope_has_three_areas_or_fewer():
    from pledge_analysis.report import rank_columns

    p = pd.DataFrame({"scope_type": "site", "scope": ["MOR"] * 3 + ["HSH"] * 4, "rank": [1, 2, 3, 1, 2, 3, 4],
                      "priority_score": [0.8, 0.7, 0.2, 0.9, 0.8, 0.3, 0.2],
                      "rank_low": [1, 1, 2, 1, 1, 2, 3], "rank_high": [2, 3, 3, 1, 3, 4, 4],
                      "p_top3": [1.0, 1.0, 1.0, 1.0, 0.9, 0.6, 0.4]})
    shown = rank_columns(p)
    mor = shown[shown["scope"] == "MOR"]["in top 3"].tolist()
    assert "100%" not in mor, mor
    assert all(v == "only 3 areas" for v in mor), mor
    assert shown[shown["scope"] == "HSH"]["in top 3"].tolist() == ["100%", "90%", "60%", "40%"]


def small_area(n=4, neg=4):
    from types import SimpleNamespace as R

    return R(name="Waiting times", priority_score=0.7, n_segments=n, n_negative=neg, n_respondents=n,
             negativity_low=0.3, negativity_high=0.9, negativity_ref=0.3, prevalence_norm=0.7,
             survey_gap=float("nan"), survey_gap_low=float("nan"), survey_gap_high=float("nan"),
             survey_evidence="", n_sites=1, n_sites_negative=0, driver=float("nan"), prevalence_raw=0.1,
             negativity=neg / n)


def test_a_small_area_whose_comments_are_all_negative_does_not_also_say_at_least_half():
    from pledge_analysis.priorities import CountWords, _reason

    text = _reason(small_area(4, 4), 10, counts=CountWords(21))
    assert "at least half" not in text, text
    assert text.startswith("Waiting times: a priority: all of its comments (fewer than 21) are criticisms"), text
    assert "all of them negative" in text, text
    some = _reason(small_area(4, 3), 10, counts=CountWords(21))  # 3 of 4: "at least half" is all it may say
    assert "at least half of its comments (fewer than 21) are criticisms" in some and "all of them" not in some, some
