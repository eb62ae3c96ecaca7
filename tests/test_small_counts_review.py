"""Review of the small-counts change (session 9): counts the shown texts still printed, and an old
priorities.csv (no ``reason_shown``) passed to ``uncertainty.with_rank_intervals`` from a notebook."""
from __future__ import annotations

import warnings
from types import SimpleNamespace as R

import pandas as pd

from pledge_analysis import schema
from pledge_analysis.priorities import CountWords, verdict
from pledge_analysis.standards import standards_audit, standards_table


def _audit(n: int, n_neg: int, suppress_below=21):
    std = standards_table({"rule": {"min_comments": 10}, "standards": [
        {"id": "A", "statement": "Support.", "codes": ["support"], "survey_items": []}]})
    units = pd.DataFrame({"segment_id": [f"s{i}" for i in range(n)], "theme": "support", "codes": "support",
                          "site": "Y", "group": "primary",
                          "sentiment": ["negative"] * n_neg + ["positive"] * (n - n_neg)})
    return standards_audit(std, sites={"Y": {"name": "Hospital Y"}}, units=units,
                           codebook=pd.DataFrame({"code_id": ["support"], "parent_id": [None]}),
                           suppress_below=suppress_below)


def test_the_audit_hides_a_small_number_of_negative_comments_among_many():
    """40 comments (shown), 13 of them negative: the 13 is under the threshold and must not be printed (the
    report's own 'negative' column already reads 'fewer than 21')."""
    (row,) = _audit(40, 13).to_dict("records")
    assert "13 of 40" in row["reason"]  # the table keeps the count
    assert "13" not in row["reason_shown"] and "fewer than 21 of 40 comments" in row["reason_shown"], row
    (row,) = _audit(40, 25).to_dict("records")  # at or over the threshold: as it is
    assert "25 of 40 comments" in row["reason_shown"]
    (row,) = _audit(40, 13, suppress_below=None).to_dict("records")
    assert row["reason_shown"] == row["reason"]


def test_a_verdict_hides_criticisms_under_the_threshold_when_min_comments_is_higher():
    """``priorities: min_comments: 30`` with ``suppress_below: 21``: 25 comments (shown), 13 criticisms."""
    r = R(priority_score=0.8, n_segments=25, n_negative=13, negativity_low=0.3, negativity_high=0.7,
          negativity_ref=0.3, survey_gap=float("nan"), prevalence_norm=0.9, survey_gap_norm=0.5)
    assert "13 of its 25 comments" in verdict(r, 30)
    shown = verdict(r, 30, CountWords(21))
    assert "13" not in shown and "fewer than 21 of its 25 comments are criticisms" in shown, shown


def _old_priorities() -> pd.DataFrame:
    """A priorities.csv of the release before the shown columns."""
    old = schema.empty("priorities").drop(columns=["reason_shown", "survey_evidence_shown"])
    row = {c: None for c in old.columns}
    row.update({c: 0.5 for c in old.columns if c.endswith("_norm")})
    row.update(scope_type="all", scope="all", rank=1, theme="waiting", name="Waiting", priority_score=0.7,
               n_segments=7, n_respondents=7, n_negative=7, quotes="",
               reason="Waiting: a priority. Raised in only 7 comments (7 people), 7 of them negative: too few "
                      "(under 10) for a reliable percentage.",
               survey_evidence="Q2 not used: fewer answers than the suppression threshold (n 12)")
    return pd.DataFrame([row], columns=old.columns)


def test_rank_intervals_join_an_old_priorities_table_and_its_reason_is_printed_suppressed():
    from pledge_analysis.plots import priority_bars
    from pledge_analysis.pledge import draft_action_plan
    from pledge_analysis.uncertainty import with_rank_intervals

    intervals = pd.DataFrame({"scope_type": ["all"], "scope": ["all"], "theme": ["waiting"], "rank": [1],
                              "rank_low": [1], "rank_high": [2], "p_top3": [0.9]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        joined = with_rank_intervals(_old_priorities(), intervals)
    assert list(joined.columns[:len(schema.PRIORITIES)]) == list(schema.PRIORITIES)
    assert joined["rank_high"].tolist() == [2]
    # nothing downstream prints an empty shown text: the reason is kept, and printed suppressed where a
    # threshold is known
    hover = [t for bar in priority_bars(joined).data for t in (bar.hovertext or [])]
    assert hover and all(isinstance(t, str) and "Raised in" in t for t in hover), hover
    plan = draft_action_plan(joined, top=1, scope_types=("all",))
    assert plan.empty or plan["evidence"].map(lambda x: isinstance(x, str) and "Raised in" in x).all()
    from pledge_analysis.codesign import shown_texts

    shown = shown_texts(joined, 21)
    assert shown["reason_shown"].str.contains("fewer than 21 comments").all() and not shown["reason_shown"].str.contains(
        r"\b7\b").any(), shown["reason_shown"].tolist()
    assert shown["survey_evidence_shown"].str.contains("fewer than 21 answers").all()
    assert shown["reason"].equals(joined["reason"])  # the counts kept
    # the report prints them so
    import lxml.html

    from pledge_analysis.report import priorities_table_html

    text = lxml.html.fromstring(priorities_table_html(joined, 21, {})).text_content()
    assert "fewer than 21 comments" in text and "(7 people)" not in text and "None" not in text, text


def test_the_audit_gives_no_exact_share_of_a_hidden_number_of_comments():
    """14 comments, 13 negative, threshold 21: '93% of them' would give the hidden count away (13 of 14 is the
    only split under 21 that rounds to 93%); the shown text says only which side of the rule's share it is."""
    (row,) = _audit(14, 13).to_dict("records")
    shown = row["reason_shown"]
    assert "fewer than 21 comments" in shown and "%" in row["reason"], row
    assert "93%" not in shown and "14" not in shown and "13" not in shown, shown
    assert "more than 50% of them are negative" in shown, shown


def test_a_priority_reason_gives_no_exact_share_of_a_hidden_number_of_comments():
    """15 comments (min_comments 10, threshold 21), 14 negative: 'about 93% of them negative (95% interval ...)'
    would give the hidden 14 of 15 away; the shown reason says only 'at least half', the table keeps the share."""
    from pledge_analysis.priorities import _reason

    r = R(name="Waiting", priority_score=0.8, n_segments=15, n_respondents=15, n_negative=14, negativity=14 / 15,
          negativity_low=0.7, negativity_high=0.99, negativity_ref=0.3, prevalence_raw=0.3, prevalence_norm=0.9,
          survey_gap=float("nan"), survey_gap_norm=0.5, survey_evidence="", n_sites=1, n_sites_negative=1,
          driver=float("nan"))
    assert "93%" in _reason(r, 10)
    shown = _reason(r, 10, counts=CountWords(21))
    assert "93%" not in shown and "70%" not in shown and "99%" not in shown, shown
    assert "at least half of them negative" in shown and "fewer than 21 comments" in shown, shown
