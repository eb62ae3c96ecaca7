"""What people see, checked from the rendered outputs (found by rendering the sample run to PNG and
looking): priority plots whose labels do not collide, reasons that do not contradict themselves, quotes
not shown twice, a co-design pack that names the project's own suppression rule, and a DOCX booklet
laid out as its HTML twin. Small inputs, no pipeline run."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd
from docx import Document

from pledge_analysis import plots
from pledge_analysis.priorities import _quotes, _reason

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def priorities(imputed: bool) -> pd.DataFrame:
    rows = []
    for i, name in enumerate(["Waiting and delays", "Information", "Parking"]):
        rows.append({"scope": "all", "rank": i + 1, "rank_low": 1 if i == 0 else i, "rank_high": 1 if i == 0 else i + 2,
                     "name": name, "reason": "why", "prevalence_norm": 0.6, "negativity_norm": 0.7,
                     "survey_gap_norm": float("nan") if imputed and i == 2 else 0.55,
                     "survey_gap_norm_imputed": 0.5 if imputed and i == 2 else float("nan"),
                     "breadth_norm": 0.5, "driver_norm": 0.5, "driver_norm_imputed": float("nan")})
    return pd.DataFrame(rows)


def test_priority_bars_keep_legend_axis_title_and_reference_label_apart():
    fig = plots.priority_bars(priorities(imputed=True))
    layout = fig.layout
    plot_height = layout.height - layout.margin.t - layout.margin.b
    # the legend hangs at least 55 px under the plot area: below the tick labels and the axis title
    assert layout.legend.yanchor == "top" and layout.legend.y * plot_height <= -55
    assert layout.margin.b >= 100  # and the bottom margin has room for it
    # the 0.5 line's label sits above the plot area, not over the top bar
    (note,) = layout.annotations
    assert note.text == "0.5 = unremarkable" and note.yanchor == "bottom" and note.y == 1
    # the legend reads in the order the bars are stacked, and explains the hatching
    names = [t.name for t in fig.data]
    assert names[:2] == ["prevalence", "negativity"] and layout.legend.traceorder == "normal"
    assert plots.STAND_IN_LABEL in names
    labels = list(fig.data[0].y)
    assert "Waiting and delays (rank 1)" in labels and "Parking (rank 2-4)" in labels  # never "rank 1-1"


def test_priority_bars_without_stand_ins_have_no_hatching_entry():
    fig = plots.priority_bars(priorities(imputed=False))
    assert plots.STAND_IN_LABEL not in [t.name for t in fig.data]


def row(**kw):
    base = dict(name="Waiting and delays", n_respondents=13, n_segments=15, n_negative=8, prevalence_raw=0.52,
                negativity=0.53, negativity_low=0.48, negativity_high=0.58, negativity_ref=0.52,
                survey_gap=float("nan"), survey_gap_low=float("nan"), survey_gap_high=float("nan"),
                n_sites=1, n_sites_negative=1, driver=0.05, survey_evidence="")
    return SimpleNamespace(**dict(base, **kw))


def test_a_reason_without_a_survey_gap_says_why_and_never_talks_about_its_survey_questions():
    suppressed = "Q2 not used: fewer answers than the suppression threshold (n 14)"
    text = _reason(row(survey_evidence=suppressed), min_comments=10, n_drivers=15)
    assert "too few people answered its survey questions here" in text
    assert "no survey question measures it" not in text  # it does: the results are only too few to show
    assert "linked to how people rate their care" not in text  # no gap, so nothing for the driver to weigh
    text = _reason(row(), min_comments=10, n_drivers=15)
    assert "no survey question measures it" in text and "survey questions are linked" not in text
    text = _reason(row(survey_gap=0.05, survey_gap_low=0.02, survey_gap_high=0.08), min_comments=10, n_drivers=15)
    assert "below the benchmark" in text and "linked to how people rate their care overall" in text


def test_quotes_differing_only_in_case_or_punctuation_are_shown_once():
    units = pd.DataFrame({
        "theme": "information", "sentiment": "negative", "sentiment_score": [-0.9, -0.8, -0.7],
        "segment_id": ["a", "b", "c"], "site": ["NGU", "WRI", "RGH"], "group": "primary", "source_type": "survey",
        "text": ["After treatment I felt cut adrift, I didn't understand how open access worked.",
                 "after treatment i felt cut adrift, i didn't understand how open access worked",
                 "My scan was delayed twice and nobody explained why."]})
    quotes = _quotes(units, "all", "all", "information", 3)
    assert len(quotes) == 2 and sum("cut adrift" in q for q in quotes) == 1


def test_codesign_pack_names_the_projects_suppression_threshold_and_groups_in_words():
    from pledge_analysis.codesign import _survey_line, codesign_html

    line = _survey_line("Q2", "How long did you wait?", pd.Series(
        {"kind": "proportion", "suppressed": True, "estimate": float("nan"), "n": 25, "benchmark": 0.9,
         "benchmark_source": "national Q2: 2024, Breast (n 10,533)"}), suppress_below=30)
    assert line["result"] == "not shown: fewer than 30 answers"  # not "(25)": a count under the rule is not printed
    assert line["benchmark"] == "90% (national, 2024, Breast; 10,533 answers)"
    page = codesign_html([{"rank": 1, "theme": "waiting", "name": "Waiting", "concerns": [], "comments": 3,
                           "people": 3, "negative": 2, "by_group": [{"group": "secondary", "comments": 3,
                                                                     "negative": 2}],
                           "quotes": [], "survey": [line], "certainty": ""}], hospital="X", today=date(2026, 1, 1))
    assert "<td>Secondary breast cancer patients</td>" in page and "<td>secondary</td>" not in page
    # counts under the project's rule are not printed (reviewers saw "Staff 2/2"): "fewer than N" instead
    page = codesign_html([{"rank": 1, "theme": "waiting", "name": "Waiting", "concerns": [], "comments": 40,
                           "people": 35, "negative": 22, "by_group": [{"group": "staff", "comments": 2, "negative": 2},
                                                                      {"group": "primary", "comments": 38,
                                                                       "negative": 20}],
                           "quotes": [], "survey": [line], "certainty": ""}], hospital="X", today=date(2026, 1, 1),
                         suppress_below=30)
    assert "<td>Staff</td><td>fewer than 30</td><td>fewer than 30</td>" in page
    # 40 comments in all, so 38 beside "fewer than 30" would give the staff's 2 back: held back too
    assert "<td>not shown</td><td>fewer than 30</td>" in page and "40 comments from 35 people" in page
    assert "<td>38</td>" not in page
    assert "<td>2</td>" not in page


def test_docx_booklet_has_fixed_column_widths_a_blue_header_and_one_contact_line(tmp_path):
    from pledge_analysis.booklet import write_booklet_docx

    plan = pd.DataFrame({"goal_id": ["G01"], "scope": ["RGH"], "you_said": ["Clinics ran late."],
                         "we_plan_to": [""], "by": [""], "status": ["not started"], "audience": ["patients"],
                         "theme": ["waiting"]})
    write_booklet_docx(plan, tmp_path / "b.docx", hospital="Riverside", site="RGH", sites=("RGH",),
                       contact="Call the breast unit.", today=date(2026, 1, 1))
    doc = Document(tmp_path / "b.docx")
    table = doc.tables[0]
    grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
    assert [round(g / 56.7) for g in grid] == [76, 68, 36]  # millimetres (twips / 56.7), not three equal columns
    assert table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    header = table.rows[0].cells[0]._tc.tcPr.find(f"{W}shd")
    assert header is not None and header.get(f"{W}fill") == "005EB8"
    body = [p.text for p in doc.paragraphs]
    assert "Call the breast unit." not in body  # printed once, in the footer of every page
    assert doc.sections[0].footer.paragraphs[0].text == "Call the breast unit."


def test_view_gives_survey_evidence_in_words_with_the_question_and_the_projects_threshold(tmp_path):
    from pledge_analysis.view import read_outputs, site_page
    from pledge_analysis.pledge import write_action_plan_xlsx

    (tmp_path / "run_log.json").write_text(
        '{"project": "P", "round": "R1", "sites": {"VVH": {"name": "Valeview"}}, '
        '"survey": {"suppress_below": 30, "questions": {"Q2": "How long did you wait?"}}}', encoding="utf-8")
    pd.DataFrame({"scope_type": ["site"], "scope": ["VVH"], "rank": [1], "rank_low": [1], "rank_high": [3],
                  "name": ["Waiting"], "reason": ["why"], "quotes": [""],
                  "survey_evidence": ["Q2 not used: fewer answers than the suppression threshold (n 14)"]}
                 ).to_csv(tmp_path / "priorities.csv", index=False)
    write_action_plan_xlsx(pd.DataFrame({"goal_id": ["G01"], "scope": ["VVH"], "theme": ["waiting"],
                                         "you_said": ["Clinics ran late."], "we_plan_to": [""], "by": [""],
                                         "status": ["not started"], "audience": ["patients"]}),
                           tmp_path / "action_plan.xlsx")
    page = site_page(read_outputs(tmp_path), "VVH")
    # the wording names the question; no code for patient representatives since round 12
    assert "“How long did you wait?”: not shown, because fewer than 30 people answered it here" in page
    assert "(14)" not in page  # the small count itself is not shown
    assert "suppression threshold" not in page and "(n 14)" not in page  # no jargon for patient representatives
    assert "<td><i>To be agreed</i></td><td><i>To be agreed</i></td>" in page  # "By" as the booklet says it


def test_spc_and_funnel_say_what_each_point_means_without_relying_on_colour():
    import numpy as np

    from pledge_analysis.survey import funnel, xmr

    s = pd.Series([0.8, 0.82, 0.79, 0.81, 0.8, 0.83, 0.6, 0.81, 0.8, 0.84, 0.85, 0.86, 0.87, 0.88, 0.9],
                  index=pd.Index([f"2025-{i:02d}" for i in range(1, 16)], name="month"))
    t = xmr(s, index=s.index, improvement="increase")
    fig = plots.spc_chart(t, title="t", y_title="share positive")
    assert fig.layout.xaxis.title.text == "month" and fig.layout.yaxis.title.text == "share positive"
    shown = {tr.name: tr for tr in fig.data if tr.showlegend is not False}
    assert {"special cause: concern", "special cause: improvement", "mean", "process limits"} <= set(shown)
    symbols = {tr.marker.symbol for name, tr in shown.items() if name.startswith(("special", "common"))}
    assert len(symbols) == len([n for n in shown if n.startswith(("special", "common"))])  # one shape each
    f = funnel(pd.DataFrame({"site": list("ABCD"), "n": [200, 220, 240, 260],
                             "estimate": [0.5, 0.9, 0.91, 0.99]}), target=0.9)
    fig = plots.funnel_plot(f)
    names = [tr.name for tr in fig.data if "markers" in (tr.mode or "")]
    assert "below the 95% limits" in names and "within the limits" in names
    marks = {tr.name: tr.marker.symbol for tr in fig.data if "markers" in (tr.mode or "")}
    assert len(set(marks.values())) == len(marks)
    assert np.isclose(fig.data[4].y[0], 90)  # the target line is in the legend with its value
    assert fig.data[4].name == "target (90%)"


def contrast(a: str, b: str = "#ffffff") -> float:
    def lum(h):
        r, g, b_ = (int(h.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
        f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b_)
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_colours_pass_wcag_aa_and_point_colours_3_to_1():
    import re

    from pledge_analysis import booklet, codesign, report, view

    for css in (report.CSS, booklet._CSS, codesign._CSS, view.STYLE):
        for colour in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", css):
            assert contrast(colour) >= 4.5, colour  # text on white (or paler) backgrounds
    for name, colour, _ in list(plots.SPC_POINTS.values()) + list(plots.FUNNEL_FLAGS.values()):
        assert contrast(colour) >= 3, name  # graphical objects (WCAG 1.4.11)


def test_patients_read_the_round_in_words_never_the_internal_round_id(tmp_path):
    """Reviewers (session 6): the booklet said "In our latest round of feedback (2026-R1)", an id only the research
    team uses. Patients and staff now read the booklet's round label, or the months of the feedback."""
    from pledge_analysis.booklet import booklet_content, round_in_words
    from pledge_analysis.pledge import write_action_plan_xlsx
    from pledge_analysis.view import read_outputs, site_page

    assert round_in_words(None, ["2026-01-14", "2026-03-02"]) == "January to March 2026"
    assert round_in_words("Spring 2026", ["2026-01-14"]) == "Spring 2026"
    plan = pd.DataFrame({"goal_id": ["G01"], "scope": ["VVH"], "theme": ["waiting"], "you_said": ["Clinics ran late."],
                         "we_plan_to": [""], "by": [""], "status": ["not started"], "audience": ["patients"]})
    content = booklet_content(plan, hospital="Valeview", site="VVH", sites=("VVH",),
                              round=round_in_words(None, ["2026-01-14", "2026-03-02"]), today=date(2026, 4, 1))
    assert content["intro"][0].startswith("In our latest round of feedback (January to March 2026), patients")
    (tmp_path / "run_log.json").write_text(
        '{"project": "P", "round": "2026-R1", "round_label": "January to March 2026", '
        '"sites": {"VVH": {"name": "Valeview"}}}', encoding="utf-8")
    pd.DataFrame({"scope_type": ["site"], "scope": ["VVH"], "rank": [1], "name": ["Waiting"], "reason": ["why"],
                  "quotes": [""]}).to_csv(tmp_path / "priorities.csv", index=False)
    write_action_plan_xlsx(plan, tmp_path / "action_plan.xlsx")
    page = site_page(read_outputs(tmp_path), "VVH")
    assert "January to March 2026" in page and "2026-R1" not in page
