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


def _headers_and_cells(page: str):
    import lxml.html

    doc = lxml.html.fromstring(page)
    return [th.text_content() for th in doc.iter("th")], [td.text_content() for td in doc.iter("td")]


def test_report_plan_names_each_area_not_its_theme_code():
    from pledge_analysis.report import plan_table_html

    plan = pd.DataFrame({"goal_id": ["G01", "G02"], "scope": ["all", "MOR"], "theme": ["waiting", "listening"],
                         "you_said": ["People raised concerns about waiting times.", "Nobody listened."],
                         "we_plan_to": "", "by": "", "status": "not started"})
    codebook = pd.DataFrame({"code_id": ["waiting", "listening"], "name": ["Waiting times", "Being listened to"]})
    heads, cells = _headers_and_cells(plan_table_html(plan, codebook))
    assert "waiting" not in cells and "listening" not in cells, cells
    assert "Waiting times" in cells and "Being listened to" in cells, cells
    assert "area" in heads and "theme" not in heads, heads


def test_report_coding_table_counts_comments_and_turns_not_segments():
    from types import SimpleNamespace

    from pledge_analysis.report import coding_section

    counts = pd.DataFrame({"theme": ["waiting", "listening"], "name": ["Waiting times", "Being listened to"],
                           "n_segments": [65, 4], "human": [0, 0], "rules": [65, 4], "model": [0, 0],
                           "rejected_by_people": [0, 0]})
    result = SimpleNamespace(machine_coding=SimpleNamespace(message="No model yet.", quality=pd.DataFrame()),
                             coder_counts=counts, units=pd.DataFrame(), segments=pd.DataFrame())
    page = "".join(coding_section(result, suppress_below=21))
    heads, cells = _headers_and_cells(page)
    assert not [h for h in heads if "segment" in h], heads
    assert "comments and turns" in heads, heads
    assert "fewer than 21" in cells  # the small theme's count is still written as the reasons write it


def bars_table(survey: bool) -> pd.DataFrame:
    """3 areas of one scope; without ``survey`` no area has a usable survey result or stand-in (the scope
    'all' of a project without a benchmark), so no bar has a survey gap or driver part."""
    nan = float("nan")
    return pd.DataFrame({"scope": "all", "rank": [1, 2, 3], "rank_low": [1, 2, 2], "rank_high": [1, 3, 3],
                         "name": ["Waiting times", "Being listened to", "Information"],
                         "reason": "why", "priority_score": [0.82, 0.52, 0.27],
                         "prevalence_norm": [0.9, 0.6, 0.5], "negativity_norm": [0.8, 0.5, 0.1],
                         "survey_gap_norm": [0.6, 0.5, 0.4] if survey else nan, "survey_gap_norm_imputed": nan,
                         "breadth_norm": 0.5, "driver_norm": [0.5, 0.4, 0.6] if survey else nan,
                         "driver_norm_imputed": nan})


def test_priority_bars_legend_lists_only_the_parts_a_bar_has():
    from pledge_analysis import plots

    names = [t.name for t in plots.priority_bars(bars_table(survey=False)).data if t.showlegend is not False]
    assert "survey gap" not in names and "driver" not in names, names
    assert names[:2] == ["prevalence", "negativity"], names
    full = [t.name for t in plots.priority_bars(bars_table(survey=True)).data if t.showlegend is not False]
    assert {"survey gap", "driver"} <= set(full), full


def test_priority_bars_print_each_areas_score_and_name_the_group_in_words():
    from pledge_analysis import plots

    fig = plots.priority_bars(bars_table(survey=True).assign(scope="primary"), scope="primary")
    scores = [t for t in fig.data if t.type == "scatter"]
    assert len(scores) == 1 and list(scores[0].text) == ["0.27", "0.52", "0.82"], scores  # bottom to top
    assert "parts add up" in fig.layout.xaxis.title.text, fig.layout.xaxis.title.text
    assert fig.layout.title.text == "Priorities: Primary breast cancer patients", fig.layout.title.text
    assert plots.priority_bars(bars_table(survey=True)).layout.title.text == "Priorities: everyone"


def test_priority_bars_scores_are_drawn_inside_the_figure_beside_their_bars(tmp_path):
    import shutil

    import pytest

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from pledge_analysis import plots

    table = bars_table(survey=True)
    table.loc[0, ["prevalence_norm", "negativity_norm", "survey_gap_norm", "driver_norm"]] = 1.0  # a full bar
    table.loc[0, "priority_score"] = 1.0
    fig = plots.priority_bars(table)
    fig.write_html(tmp_path / "bars.html", include_plotlyjs=True, full_html=True, default_width="700px",
                   default_height=f"{fig.layout.height}px", config={"responsive": False})
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        pg = b.new_page(viewport={"width": 740, "height": 900})
        pg.goto((tmp_path / "bars.html").as_uri())
        pg.wait_for_selector(".plotly-graph-div .main-svg")
        m = pg.evaluate("""() => { const gd = document.querySelector('.plotly-graph-div');
            const r = gd.getBoundingClientRect();
            const t = [...gd.querySelectorAll('.textpoint text')].map(e => { const b = e.getBoundingClientRect();
                return {text: e.textContent, left: b.left - r.left, right: b.right - r.left}; });
            return {width: r.width, texts: t}; }""")
        b.close()
    assert sorted(t["text"] for t in m["texts"]) == ["0.27", "0.52", "1.00"], m
    assert all(0 <= t["left"] and t["right"] <= m["width"] for t in m["texts"]), m


def test_sites_heatmap_note_explains_only_the_empty_cells_it_has_and_names_the_group_in_words():
    from pledge_analysis import plots

    rows = [{"site": s, "group": "all", "question_id": q, "kind": "proportion", "n": n,
             "estimate": float("nan") if n < 21 else 0.7, "suppressed": n < 21}
            for s, n in (("HSH", 40), ("MOR", 4)) for q in ("Q1", "Q2")]
    fig = plots.sites_heatmap(pd.DataFrame(rows))
    note = " ".join(a.text for a in fig.layout.annotations)
    assert "too few" in note and "none" not in note, note  # every empty cell here is suppressed, none unanswered
    assert fig.layout.title.text == "% positive by question and site (all respondents)", fig.layout.title.text
    rows.append({"site": "MOR", "group": "all", "question_id": "Q3", "kind": "proportion", "n": 0,
                 "estimate": float("nan"), "suppressed": False})  # nobody at MOR answered Q3 ...
    rows.append({"site": "HSH", "group": "all", "question_id": "Q3", "kind": "proportion", "n": 30,
                 "estimate": 0.6, "suppressed": False})
    both = " ".join(a.text for a in plots.sites_heatmap(pd.DataFrame(rows)).layout.annotations)
    assert "“none”: nobody answered" in both and "too few" in both, both
    assert plots.sites_heatmap(pd.DataFrame(rows).assign(group="staff"), group="staff").layout.title.text \
        == "% positive by question and site (Staff)"


def test_codesign_benchmark_of_all_respondents_reads_without_nested_brackets():
    from pledge_analysis.codesign import _survey_line

    s = pd.Series({"kind": "proportion", "estimate": 0.66, "ci_low": 0.5, "ci_high": 0.8, "n": 35,
                   "suppressed": False, "benchmark": 0.62, "benchmark_source": "all respondents (no national benchmark)"})
    line = _survey_line("listened", "Staff listened to me", s)
    assert line["benchmark"] == "62% (all respondents in this programme; there is no national figure)", line


def test_report_survey_note_counts_cells_in_words():
    from types import SimpleNamespace

    from pledge_analysis.report import _survey_note

    sc = pd.DataFrame({"suppressed": [True, False, False, False],
                       "benchmark_source": [None, "all respondents (no national benchmark)",
                                            "all respondents (no national benchmark)", "none"]})
    note = _survey_note(SimpleNamespace(scores=sc, config=SimpleNamespace(suppress_below=21)))
    assert "(no national benchmark) (" not in note, note
    assert "Other results: 2 compared with all respondents in this programme (there is no national figure); " \
           "1 with no benchmark." in note, note


def test_negativity_heatmap_names_one_threshold_for_a_small_hidden_count():
    """The reasons say "fewer than 21 comments" of a group with 5; the heatmap said "fewer than 10 comments",
    a second threshold that also told more than the suppression rule lets out (round 11 fixed the reasons)."""
    from pledge_analysis import plots

    themes = pd.DataFrame({"scope_type": "group", "scope": ["primary", "primary", "staff", "staff"],
                           "theme": ["waiting", "information"] * 2, "name": ["Waiting", "Information"] * 2,
                           "n_segments": [60, 40, 30, 5], "n_negative": [40, 25, 24, 3],
                           "negativity": [0.67, 0.62, 0.8, 0.6], "prevalence": [0.4, 0.3, 0.5, 0.1]})
    fig = plots.theme_heatmap(themes, min_comments=10, suppress_below=21)
    (hm,) = fig.data
    cells = {(y, x): t for y, trow in zip(hm.y, hm.text) for x, t in zip(hm.x, trow)}
    assert cells[("Information", "staff")] == "fewer than 21 comments", cells
    note = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    assert "fewer than 10" not in note and "fewer than 10 comments" not in cells.values(), (note, cells)
    assert "“fewer than 21 comments”: too few for a reliable percentage" in note, note
    # without a suppression rule the priorities' own threshold is what the cell says
    plain = plots.theme_heatmap(themes, min_comments=10)
    assert "fewer than 10 comments" in [t for row in plain.data[0].text for t in row]


def test_report_no_goal_note_names_both_reasons_an_area_gets_no_draft_goal():
    from pledge_analysis.report import no_goal_note

    note = no_goal_note(3)
    assert "not a priority" in note and "at least 3 negative comments" in note, note
    assert "these areas had less" not in note, note  # an area ruled out on its evidence had more than 3


def test_codesign_pack_says_in_words_when_an_area_has_no_draft_goal_and_why():
    from pledge_analysis import schema
    from pledge_analysis.codesign import area_pages, codesign_html

    pr = pd.DataFrame([{c: None for c in schema.PRIORITIES} | dict(
        scope_type="site", scope="MOR", rank=k, theme=t, name=n, priority_score=s, n_segments=4, n_respondents=4,
        n_negative=neg, survey_gap=float("nan"), rank_low=1, rank_high=3, p_top3=1.0, quotes="")
        for k, t, n, s, neg in ((1, "waiting", "Waiting times", 0.69, 4), (2, "listening", "Being listened to", 0.39, 3))])
    codebook = pd.DataFrame([{c: None for c in schema.empty("codebook").columns} | dict(code_id=t, name=n, survey_items=[])
                             for t, n in (("waiting", "Waiting times"), ("listening", "Being listened to"))])
    plan = pd.DataFrame({"goal_id": ["G09"], "scope": ["MOR"], "theme": ["waiting"],
                         "you_said": ["People raised concerns about waiting times."], "audience": ["patients"]})
    page = codesign_html(area_pages("MOR", priorities=pr, units=schema.empty("units"), codebook=codebook, plan=plan,
                                    n_boot=100), hospital="Moorland Cottage Hospital")
    first, second = page.split("<section class='area'>")[1:]
    assert "You said: People raised concerns about waiting times." in first and "No draft goal" not in first
    assert "No draft goal for this area: its evidence as a whole says it is not a priority" in second, second
    assert "The group may still agree one" in second, second


def test_view_reason_does_not_repeat_the_areas_name_and_survey_lines_have_no_question_codes(tmp_path):
    from pledge_analysis.view import RunOutputs, priorities_html

    pr = pd.DataFrame({"scope_type": "site", "scope": "MOR", "rank": [1], "rank_low": [1], "rank_high": [2],
                       "name": ["Waiting times"], "quotes": [""], "reason": ["why"],
                       "reason_shown": ["Waiting times: a priority: all of its comments (fewer than 21) are criticisms."],
                       "survey_evidence": ["listened not used: fewer answers than the suppression threshold (n 4)"]})
    log = {"survey": {"suppress_below": 21, "questions": {"listened": "Staff listened to me"}}}
    page = priorities_html(RunOutputs(folder=tmp_path, run_log=log, priorities=pr, plan=pd.DataFrame(), audit=None,
                                      sites={"MOR": "Moorland"}), "MOR")
    assert "<h3>1. Waiting times</h3>" in page, page
    assert "<p>A priority: all of its comments (fewer than 21) are criticisms.</p>" in page, page
    assert "“Staff listened to me”: not shown, because fewer than 21 people answered it here" in page, page
    assert "(listened)" not in page, page
    assert "1 areas" not in page and "The only area raised here" in page, page  # one area: no rank among others
    from pledge_analysis.codesign import rank_certainty

    assert rank_certainty(1, 1, 2, 1.0, n_boot=100, n_areas=1) == "The only area raised here, so it has no rank among others."


def test_review_widget_says_comment_not_segment(tmp_path):
    from test_review_keys import small_store

    from pledge_analysis.coding.review import ReviewWidget
    from pledge_analysis.project import Project

    with Project.open(small_store(tmp_path / "p.sqlite")) as p:
        w = ReviewWidget(p, "alice")
        assert "segment" not in w.memo.placeholder and "comment" in w.memo.placeholder, w.memo.placeholder


def test_a_question_without_text_is_worded_by_its_column_header_not_its_id(tmp_path):
    """The user-like project's rating had no `text:`; the report's survey table read "overall"."""
    from pledge_analysis import load_questions

    (tmp_path / "questions.yaml").write_text(
        "questions:\n  - id: overall\n    column: Overall rating (0-10)\n    kind: rating\n    min: 0\n    max: 10\n"
        "  - id: listened\n    column: Staff listened\n    text: Staff listened to me\n    options: [Yes, No]\n"
        "    positive: [Yes]\n    negative: [No]\n", encoding="utf-8")
    q = load_questions(tmp_path / "questions.yaml").set_index("question_id")
    assert q.at["overall", "text"] == "Overall rating (0-10)", q.at["overall", "text"]
    assert q.at["listened", "text"] == "Staff listened to me"


def test_survey_forest_lists_a_benchmark_only_when_one_is_drawn():
    from pledge_analysis import plots

    s = pd.DataFrame({"site": "all", "group": "all", "kind": "proportion", "question_id": ["listened", "info"],
                      "estimate": [0.62, 0.7], "ci_low": [0.5, 0.6], "ci_high": [0.72, 0.8],
                      "benchmark": [float("nan"), float("nan")]})
    assert [t.name for t in plots.survey_forest(s).data] == ["% positive"]
    with_one = plots.survey_forest(s.assign(benchmark=[0.65, float("nan")]))
    assert [t.name for t in with_one.data] == ["% positive", "benchmark"]


def test_codesign_pack_says_an_area_below_the_plans_goals_has_none_because_the_plan_is_full():
    from pledge_analysis import schema
    from pledge_analysis.codesign import area_pages, codesign_html

    names = ["Waiting", "Information", "Parking", "Kindness"]
    pr = pd.DataFrame([{c: None for c in schema.PRIORITIES} | dict(
        scope_type="site", scope="SAH", rank=k + 1, theme=n.lower(), name=n, priority_score=0.8 - 0.02 * k,
        n_segments=40, n_respondents=30, n_negative=20, survey_gap=float("nan"), quotes="") for k, n in enumerate(names)])
    codebook = pd.DataFrame([{c: None for c in schema.empty("codebook").columns} | dict(code_id=n.lower(), name=n,
                             survey_items=[]) for n in names])
    plan = pd.DataFrame({"goal_id": ["G1", "G2", "G3"], "scope": "SAH", "theme": ["waiting", "information", "parking"],
                         "you_said": ["Waits.", "Leaflets.", "Parking."], "audience": "patients"})
    page = codesign_html(area_pages("SAH", priorities=pr, units=schema.empty("units"), codebook=codebook, plan=plan),
                         hospital="St Aidan's")
    last = page.split("<section class='area'>")[4]
    assert "No draft goal for this area: the draft plan holds 3 goals for each hospital, taken from the areas " \
           "ranked above it." in last, last
