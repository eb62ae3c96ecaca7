"""What people see, round 11 (found by rendering the sample and a user-like project with a 4-respondent
hospital to PNG and looking): a small area's reason named two thresholds in one sentence ("fewer than 21
comments ... too few (under 10)"), which also told more than the suppression rule lets out. Small inputs."""
from __future__ import annotations

from types import SimpleNamespace as R

import re

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


# --- a tiny hospital: no area stands out, so its order says nothing ---------------------------------------

def site_priorities() -> pd.DataFrame:
    """Two hospitals x 3 areas: at SAH (4 respondents) every score sits within the verdict margin of 0.5 (no
    area is, or is not, a priority there); at NGU one area clearly is. Rank intervals as a resampled run has."""
    from pledge_analysis import schema
    from pledge_analysis.priorities import verdict

    rows = []
    for site, scores in (("SAH", (0.518, 0.498, 0.497)), ("NGU", (0.71, 0.52, 0.41))):
        for rank, (theme, name, score) in enumerate(zip(("waiting", "information", "kindness"),
                                                        ("Waiting", "Information", "Kindness"), scores), 1):
            rows.append({c: None for c in schema.PRIORITIES} | dict(
                scope_type="site", scope=site, rank=rank, theme=theme, name=name, priority_score=score,
                n_segments=4, n_respondents=3, n_negative=2, negativity_low=0.1, negativity_high=0.9,
                negativity_ref=0.4, prevalence_norm=0.5, survey_gap=float("nan"), rank_low=1, rank_high=3,
                p_top3=0.8, quotes=""))
    out = pd.DataFrame(rows)
    out["reason_shown"] = [f"{n}: {verdict(r)}." for n, r in zip(out["name"], out.itertuples(index=False))]
    return out


def test_a_hospital_where_no_area_stands_out_is_not_ranked():
    from pledge_analysis.priorities import NOT_RANKED, unranked_scopes

    pr = site_priorities()
    assert unranked_scopes(pr) == {("site", "SAH")}
    assert "no clear sign of a problem" in pr["reason_shown"].iloc[0]  # what made "Ranked 1st" contradictory
    assert NOT_RANKED.startswith("Too little feedback here to rank areas")


def test_view_says_too_little_feedback_to_rank_instead_of_a_rank(tmp_path):
    from pledge_analysis.view import RunOutputs, priorities_html

    outputs = RunOutputs(folder=tmp_path, run_log={}, priorities=site_priorities(), plan=pd.DataFrame(),
                         audit=None, sites={"SAH": "St Aidan's", "NGU": "Northgate"})
    sah = priorities_html(outputs, "SAH")
    assert "Too little feedback here to rank areas" in sah, sah
    assert "Ranked" not in sah and "most important first" not in sah and "1. Waiting" not in sah, sah
    ngu = priorities_html(outputs, "NGU")
    assert "Ranked 1st of 3 areas here" in ngu and "Too little feedback" not in ngu, ngu


def test_codesign_pack_says_too_little_feedback_to_rank_instead_of_top_three():
    from pledge_analysis import schema
    from pledge_analysis.codesign import area_pages, codesign_html

    codebook = pd.DataFrame([{c: None for c in schema.empty("codebook").columns} | dict(code_id=t, name=t.title(),
                             survey_items=[]) for t in ("waiting", "information", "kindness")])
    kw = dict(priorities=site_priorities(), units=schema.empty("units"), codebook=codebook, n_boot=100)
    pages = area_pages("SAH", **kw)
    page = codesign_html(pages, hospital="St Aidan's")
    assert "Too little feedback here to rank areas" in page, page
    assert "top three" not in page and "Ranked 1st" not in page and "<h2>1. Waiting" not in page, page
    assert "put first" not in page and "in no order of importance" in page and "<ol>" not in page, page
    assert "top three" in codesign_html(area_pages("NGU", **kw), hospital="Northgate")


def test_report_rank_column_reads_not_ranked_for_such_a_hospital():
    from pledge_analysis.report import rank_columns

    top = rank_columns(site_priorities())
    sah, ngu = top[top["scope"] == "SAH"], top[top["scope"] == "NGU"]
    assert set(sah["rank (95% interval)"]) == {"not ranked"} and set(sah["in top 3"]) == {""}, sah
    # 3 areas: each is in the top three, so the column says so rather than a share (round 12)
    assert ngu["rank (95% interval)"].iloc[0] == "1 (1-3)" and ngu["in top 3"].iloc[0] == "only 3 areas"


# --- machine words the report still showed ------------------------------------------------------------------

def test_report_tables_show_words_not_machine_values_and_the_csv_keeps_them():
    import base64
    import re

    import lxml.html

    from pledge_analysis.report import _table

    sources = pd.DataFrame({"source_id": ["transcripts/NGU_primary.txt", "survey/a.csv"],
                            "kind": ["focus_group", "survey"], "rows_read": [26, 250]})
    redactions = pd.DataFrame({"label": ["PERSON", "PERSON"], "source": ["survey/a.csv", "transcripts/b.txt"],
                               "table": ["segments", "speakers"]})
    for df in (sources, redactions):
        page = _table(df)
        cells = [td.text_content() for td in lxml.html.fromstring(page).iter("td")]
        assert not {"focus_group", "segments", "speakers"} & set(cells), cells
        csv = base64.b64decode(re.search(r"base64,([^']+)'", page)[1]).decode()
        assert "focus_group" in csv or "segments" in csv  # the download keeps the machine values
    assert "focus group" in _table(sources) and "comments" in _table(redactions)


def test_report_standards_verdicts_say_what_each_standard_is():
    from pledge_analysis.report import standards_verdicts_table

    audit = pd.DataFrame({"site": ["NGU", "NGU"], "site_name": "Northgate", "standard_id": ["CNS", "HNA"],
                          "statement": ["Every patient has a named clinical nurse specialist (key worker).",
                                        "Every patient is offered a holistic needs assessment and care plan."],
                          "verdict": ["met", "not met"]})
    m = standards_verdicts_table(audit)
    heads = [c for c in m.columns if c not in ("site", "hospital")]
    assert all(re.search(r"\w+ .*\((CNS|HNA)\)$", h) for h in heads), heads
    assert any(h.startswith("Every patient has a named clinical nurse") for h in heads), heads


def test_report_priority_chart_headings_name_the_group_in_words():
    from pledge_analysis.report import priority_chart_title

    assert priority_chart_title("primary") == "Priorities: Primary breast cancer patients"
    assert priority_chart_title("staff") == "Priorities: Staff"
    assert priority_chart_title("all") == "Priorities: everyone"


def test_report_cross_site_note_says_why_a_tiny_hospitals_cells_sit_near_half():
    from pledge_analysis.report import unranked_sites_note

    note = unranked_sites_note(site_priorities(), {"SAH": "St Aidan's", "NGU": "Northgate"})
    assert "St Aidan's (SAH)" in note and "Northgate" not in note, note
    assert "too little feedback" in note.lower() and "0.5" in note, note
    assert unranked_sites_note(site_priorities()[lambda d: d["scope"] == "NGU"], {}) == ""
