"""The figures as a reader sees them: each one drawn by plotly.js in headless Chromium (Playwright, as
tests/test_review_browser.py) at the width of a narrow notebook column, and its drawn text measured.

Found by rendering the figures of a user-like project (3 hospitals with long names, one with 4 respondents,
no comment about one theme) to PNG and looking: the heatmaps' legend note ran off the right edge, a theme no
comment raised vanished from the heatmap, the sites heatmap of 2-3 hospitals was too short to draw its row
labels and dropped a hospital whose results are all suppressed, funnel points did not say which hospital
they are, and an SPC chart of a percentage read "value" on a 0-1 axis. Skips when Playwright or Debian's
chromium is missing."""
from __future__ import annotations

import re
import shutil

import numpy as np
import pandas as pd
import pytest

from pledge_analysis import plots

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)")

WIDTH = 700  # px: a narrow notebook column or a report read on a small laptop
THEMES = ["Waiting and delays", "Information and Open Access follow-up", "Coordination of care and IT / patient portal",
          "Parity of support for secondary breast cancer", "Palliative care"]

#: every drawn text of the figure with its box relative to the figure, and the figure's size
MEASURE = """() => {
  const gd = document.querySelector('.plotly-graph-div');
  const r = gd.getBoundingClientRect();
  const texts = [...gd.querySelectorAll('text')].filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => { const b = t.getBoundingClientRect();
      return {text: t.textContent, cls: t.getAttribute('class') || t.parentNode.getAttribute('class') || '',
              left: b.left - r.left, right: b.right - r.left, top: b.top - r.top, bottom: b.bottom - r.top}; });
  const yticks = [...gd.querySelectorAll('.ytick text')].filter(t => t.getBBox().width > 0)
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map(t => t.textContent);
  const xticks = [...gd.querySelectorAll('.xtick text')].filter(t => t.getBBox().width > 0)
    .sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left).map(t => t.textContent);
  const bg = gd.querySelector('.nsewdrag') || gd.querySelector('.bglayer rect');
  const p = bg ? bg.getBoundingClientRect() : r;
  const plot = {left: p.left - r.left, right: p.right - r.left, top: p.top - r.top, bottom: p.bottom - r.top};
  return {width: r.width, height: r.height, texts: texts, yticks: yticks, xticks: xticks, plot: plot};  // yticks: top to bottom
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def opened(browser, fig, tmp_path, width: int = WIDTH):
    """A new browser page showing the figure drawn at ``width`` px (its own height); the caller closes it."""
    page = tmp_path / "fig.html"
    fig.write_html(page, include_plotlyjs=True, full_html=True, default_width=f"{width}px",
                   default_height=f"{fig.layout.height or 450}px", config={"responsive": False})
    pg = browser.new_page(viewport={"width": width + 40, "height": 900})
    pg.goto(page.as_uri())
    pg.wait_for_selector(".plotly-graph-div .main-svg")
    return pg


def drawn(browser, fig, tmp_path, width: int = WIDTH, plot_area: bool = False) -> dict:
    """The figure drawn at ``width`` px (its own height), measured with :data:`MEASURE` (``plot`` is the box of
    the plot area, where plotly clips the points' texts)."""
    pg = opened(browser, fig, tmp_path, width)
    try:
        return pg.evaluate(MEASURE)
    finally:
        pg.close()


def outside(m: dict, tol: float = 1.0) -> list[str]:
    """Texts drawn (partly) outside the figure."""
    return [f"{t['text'][:60]!r} ({t['left']:.0f}-{t['right']:.0f} of {m['width']:.0f} px wide, "
            f"{t['top']:.0f}-{t['bottom']:.0f} of {m['height']:.0f} px high)"
            for t in m["texts"] if t["left"] < -tol or t["right"] > m["width"] + tol
            or t["top"] < -tol or t["bottom"] > m["height"] + tol]


def themes_table() -> pd.DataFrame:
    """Themes x 3 groups: staff made few comments, nobody raised palliative care (0 comments everywhere)."""
    rows = []
    for i, name in enumerate(THEMES):
        for scope, n in (("primary", 40 + i), ("secondary", 30 + i), ("staff", 3 if i % 2 else 0)):
            n = 0 if name == "Palliative care" else n
            rows.append({"scope_type": "group", "scope": scope, "theme": f"t{i}", "name": name, "n_segments": n,
                         "negativity": 0.4 + 0.05 * i if n else 0.0, "prevalence": 0.1 * (i + 1) if n else 0.0})
    return pd.DataFrame(rows)


def test_heatmap_legend_note_stays_inside_the_figure_and_every_theme_is_a_row(browser, tmp_path):
    fig = plots.theme_heatmap(themes_table(), min_comments=10)
    m = drawn(browser, fig, tmp_path)
    assert outside(m) == []
    note = " ".join(t["text"] for t in m["texts"] if "no comments" in t["text"] or "too few" in t["text"]
                    or "not a value" in t["text"])
    assert "“fewer than 10 comments”: too few for a reliable percentage" in note  # the note is there, whole
    assert "not a value of 0" in note
    # a theme nobody raised is a row saying so (not left out), and the rows read A to Z from the top
    assert m["yticks"] == sorted(THEMES)
    (hm,) = fig.data
    assert list(hm.y) == sorted(THEMES) and fig.layout.yaxis.autorange == "reversed"
    assert [t for t in hm.text[list(hm.y).index("Palliative care")]] == [plots.BLANK_CELL] * 3


def test_site_priority_heatmap_note_stays_inside_the_figure(browser, tmp_path):
    matrix = pd.DataFrame({"site": ["A", "A", "B"], "theme": ["w", "i", "w"], "name": THEMES[:2] + THEMES[:1],
                           "alliance": "", "rank": [1, 2, 1], "priority_score": [0.6, 0.4, 0.7],
                           "negativity": [0.5, 0.2, 0.6], "n_segments": [30, 22, 40], "survey_estimate": np.nan,
                           "survey_z": np.nan})
    m = drawn(browser, plots.site_priority_heatmap(matrix, sites=["A", "B", "C"]), tmp_path)
    assert outside(m) == []
    assert any("not a score of 0.5" in t["text"] for t in m["texts"])


def site_scores() -> pd.DataFrame:
    """% positive of 3 sites x 4 questions; every result of the small site (4 respondents) is suppressed."""
    rows = []
    for site, n in (("NGU", 250), ("RGH", 240), ("SAH", 4)):
        for j, q in enumerate(["Q2", "Q10", "Q17", "Q18"]):
            rows.append({"site": site, "group": "all", "question_id": q, "kind": "proportion", "n": n,
                         "estimate": np.nan if n < 21 else 0.6 + 0.05 * j, "suppressed": n < 21})
    return pd.DataFrame(rows)


def test_sites_heatmap_draws_every_sites_label_and_keeps_a_small_site(browser, tmp_path):
    fig = plots.sites_heatmap(site_scores())
    m = drawn(browser, fig, tmp_path)
    assert m["xticks"] == ["NGU", "RGH", "SAH"]  # all three labels drawn (sites are columns since round 11)
    assert m["yticks"] == ["Q2", "Q10", "Q17", "Q18"]  # every question's label, in the questionnaire's order
    assert outside(m) == []
    (hm,) = fig.data
    sah = list(hm.x).index("SAH")
    assert [row[sah] for row in hm.text] == [plots.SUPPRESSED_CELL] * 4
    # a question nobody at a site answered (a staff question) says "none", not "no comments", and fits its cell
    staff = site_scores().iloc[:2].assign(question_id="S1", site=["NGU", "RGH"], estimate=0.5, suppressed=False)
    fig = plots.sites_heatmap(pd.concat([site_scores(), staff]))
    (hm,) = fig.data
    assert hm.text[list(hm.y).index("S1")][list(hm.x).index("SAH")] == plots.NO_ANSWER_CELL
    assert plots.BLANK_CELL not in str(fig.layout.annotations[0].text)
    assert hm.colorbar.title.text == "% positive"
    assert any("too few respondents" in t["text"] for t in m["texts"])


def test_funnel_points_say_which_hospital_they_are(browser, tmp_path):
    from pledge_analysis.survey import funnel

    f = funnel(pd.DataFrame({"site": ["NGU", "RGH", "SAH", "WRI"], "n": [250, 240, 60, 200],
                             "estimate": [0.93, 0.5, 0.88, 0.9]}), target=0.9)
    m = drawn(browser, plots.funnel_plot(f, title="Q2"), tmp_path)
    points = {t["text"] for t in m["texts"] if "textpoint" in t["cls"] or t["text"] in {"NGU", "RGH", "SAH", "WRI"}}
    assert {"NGU", "RGH", "SAH", "WRI"} <= points  # in a printed or pasted figure, not only on hover
    assert outside(m) == []
    # among all the trusts of the national survey only the focus trust is named
    many = funnel(pd.DataFrame({"trust_name": [f"Trust {i}" for i in range(40)], "n": np.linspace(80, 400, 40),
                                "estimate": np.linspace(0.8, 0.95, 40)}), target=0.9).assign(is_focus=False)
    many.loc[7, "is_focus"] = True
    m = drawn(browser, plots.funnel_plot(many, label="trust_name"), tmp_path)
    assert [t["text"] for t in m["texts"] if t["text"].startswith("Trust ")] == ["Trust 7"]
    # a focus unit at the right edge (the largest) is named inside the plot area, not cut off by its edge
    many.loc[7, "is_focus"], many.loc[39, "is_focus"] = False, True
    many = many.assign(trust_name=many["trust_name"].replace("Trust 39", "Riverside General Hospital NHS Trust"))
    m = drawn(browser, plots.funnel_plot(many, label="trust_name"), tmp_path, plot_area=True)
    (label,) = [t for t in m["texts"] if t["text"].startswith("Riverside")]
    assert m["plot"]["left"] <= label["left"] and label["right"] <= m["plot"]["right"], (label, m["plot"])
    # names of close points do not overlap
    # (the sample's four hospitals within the limits, as they lie on Q2)
    close = funnel(pd.DataFrame({"site": ["MDH", "SAH", "VVH", "WRI", "RGH"], "n": [236, 238, 238, 238, 241],
                                 "estimate": [0.882, 0.87, 0.875, 0.879, 0.51]}), target=0.9)
    m = drawn(browser, plots.funnel_plot(close), tmp_path)
    boxes = [t for t in m["texts"] if t["text"] in ("MDH", "SAH", "VVH", "WRI")]
    assert len(boxes) == 4
    for a in boxes:
        for b in boxes:
            if a is not b:
                assert (a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"]
                        or b["bottom"] <= a["top"]), (a, b)


def test_spc_chart_of_a_percentage_reads_in_percent(browser, tmp_path):
    from pledge_analysis.survey import xmr

    s = pd.Series([0.92, 0.91, 0.87, 0.84, 0.7, 0.77, 0.82, 0.87, 0.86, 0.75, 0.84, 0.9, 0.88],
                  index=pd.Index([f"2025-{i:02d}" for i in range(1, 14)], name="month"))
    m = drawn(browser, plots.spc_chart(xmr(s, index=s.index), title="Q18 % positive by month", y_title="% positive",
                                       percent=True), tmp_path)
    yticks = [t["text"] for t in m["texts"] if "ytick" in t["cls"]] or m["yticks"]
    assert yticks and all(t.endswith("%") for t in yticks), yticks
    assert outside(m) == []


def test_funnel_plot_names_a_hospital_whose_result_is_suppressed(browser, tmp_path):
    """Round 11: a hospital with too few respondents was left out of the funnel without a word."""
    from pledge_analysis.survey import funnel

    scores = pd.DataFrame({"site": ["NGU", "RGH", "SAH"], "n": [250, 240, 4], "estimate": [0.93, 0.5, np.nan],
                           "suppressed": [False, False, True]})
    fig = plots.funnel_plot(funnel(scores, target=0.9), title="Q2")
    m = drawn(browser, fig, tmp_path)
    assert outside(m) == []
    note = " ".join(t["text"] for t in m["texts"])
    assert "SAH is not shown" in note and "too few respondents" in note, note
    assert "4" not in " ".join(a.text for a in fig.layout.annotations)  # the suppressed count is not given away


def test_cross_site_heatmap_keeps_a_theme_nobody_raised(browser, tmp_path):
    """Round 11: the theme heatmap showed a theme no comment raised as a row, the cross-site one left it out."""
    matrix = pd.DataFrame({"site": ["A", "A", "B"], "theme": ["w", "i", "w"], "name": THEMES[:2] + THEMES[:1],
                           "alliance": "", "rank": [1, 2, 1], "priority_score": [0.6, 0.4, 0.7],
                           "negativity": [0.5, 0.2, 0.6], "n_segments": [30, 22, 40], "survey_estimate": np.nan,
                           "survey_z": np.nan})
    fig = plots.site_priority_heatmap(matrix, sites=["A", "B"], themes=["Palliative care"] + THEMES[:2])
    m = drawn(browser, fig, tmp_path)
    assert m["yticks"] == sorted(["Palliative care"] + THEMES[:2])  # A to Z from the top, as the theme heatmap
    (hm,) = fig.data
    assert list(hm.text[list(hm.y).index("Palliative care")]) == [plots.BLANK_CELL] * 2
    assert outside(m) == []


def test_sites_heatmap_labels_questions_with_short_wording_and_code(browser, tmp_path):
    """Round 11: the questions were labelled Q2, S1 only; the report elsewhere says "wording (Q2)"."""
    wording = {"Q2": "How do you feel about the length of time you had to wait before your first appointment?",
               "Q10": "Did you understand the explanation of what was wrong with you?",
               "Q17": "Were you involved in decisions?", "Q18": "Were you given a care plan?"}
    fig = plots.sites_heatmap(site_scores(), wording=wording)
    m = drawn(browser, fig, tmp_path)
    labels = [t["text"] for t in m["texts"] if re.search(r"\((Q2|Q10|Q17|Q18)\)$", t["text"])]
    assert len(labels) == 4, [t["text"] for t in m["texts"]]
    assert "Were you given a care plan? (Q18)" in labels
    # cut, code kept (two lines of wording at most since round 12: their text runs on here)
    assert all(len(t) <= 2 * plots.QUESTION_LABEL_CHARS + len("… (Q10)") for t in labels), labels
    assert outside(m) == []
    assert m["xticks"] == ["NGU", "RGH", "SAH"]


def empty_cell_colour(browser, fig, tmp_path, row: int, col: int) -> tuple[int, int, int]:
    """The colour drawn inside the heatmap cell (``row`` from the top, ``col`` from the left), in a corner
    away from its text, read from a screenshot of the figure in Chromium."""
    import io

    from PIL import Image

    pg = opened(browser, fig, tmp_path)
    try:
        m = pg.evaluate(MEASURE)
        shot = Image.open(io.BytesIO(pg.locator(".plotly-graph-div").screenshot())).convert("RGB")
    finally:
        pg.close()
    (hm,) = fig.data
    p = m["plot"]
    w, h = (p["right"] - p["left"]) / len(hm.x), (p["bottom"] - p["top"]) / len(hm.y)
    return shot.getpixel((round(p["left"] + (col + 0.2) * w), round(p["top"] + (row + 0.2) * h)))


def test_an_empty_heatmap_cell_is_drawn_blank_not_in_a_colour_of_the_scale(browser, tmp_path):
    """Session 10: "no comments" cells of the cross-site heatmap were drawn pale blue (plotly's grey-blue plot
    background, with its grid lines through them), which on a red-blue scale reads as "a bit below 0.5"."""
    matrix = pd.DataFrame({"site": ["A", "A", "B"], "theme": ["w", "i", "w"], "name": THEMES[:2] + THEMES[:1],
                           "alliance": "", "rank": [1, 2, 1], "priority_score": [0.6, 0.4, 0.7],
                           "negativity": [0.5, 0.2, 0.6], "n_segments": [30, 22, 40], "survey_estimate": np.nan,
                           "survey_z": np.nan})
    fig = plots.site_priority_heatmap(matrix, sites=["A", "B"])
    (hm,) = fig.data
    row, col = list(hm.y).index(THEMES[1]), list(hm.x).index("B")
    assert hm.text[row][col] == plots.BLANK_CELL
    assert min(empty_cell_colour(browser, fig, tmp_path, row, col)) >= 245  # white, as the page around it
    fig = plots.theme_heatmap(themes_table(), min_comments=10)
    (hm,) = fig.data
    row = list(hm.y).index("Palliative care")
    assert min(empty_cell_colour(browser, fig, tmp_path, row, 0)) >= 245


def test_sites_heatmap_labels_two_questions_with_the_same_opening_apart(browser, tmp_path):
    """Round 12 (the sample's questions): a label cut at 34 characters read "Did hospital staff give you… (Q20)"
    and "… (Q22)", the same words for two questions; labels now run to two lines, every row still drawn apart."""
    wording = {"Q20": "Did hospital staff give you information about support or self-help groups for people with cancer?",
               "Q22": "Did hospital staff give you information about how to get financial help or any benefits you "
                      "might be entitled to?",
               "Q15": "Before you started your treatment(s), were you also told about any side effects of the "
                      "treatment that could affect you in the future rather than straight away?",
               "Q17": "Were you involved in decisions?", "Q18": "Were you given a care plan?"}
    rows = [{"site": s, "group": "all", "question_id": q, "kind": "proportion", "n": 200, "estimate": 0.7,
             "suppressed": False} for s in ("NGU", "RGH", "SAH") for q in wording]
    fig = plots.sites_heatmap(pd.DataFrame(rows), wording=wording)
    pg = opened(browser, fig, tmp_path)
    try:
        ticks = pg.evaluate("""() => [...document.querySelectorAll('.ytick text')].map(t => {
            const b = t.getBoundingClientRect();
            return {lines: [...t.querySelectorAll('tspan.line')].map(s => s.textContent), text: t.textContent,
                    top: b.top, bottom: b.bottom}; }).sort((a, b) => a.top - b.top)""")
        m = pg.evaluate(MEASURE)
    finally:
        pg.close()
    words = [re.sub(r"\s*\(Q\d+\)$", "", " ".join(t["lines"] or [t["text"]])) for t in ticks]
    assert len(set(words)) == len(words) == 5, words  # no two questions read the same
    assert all(len(line) <= plots.QUESTION_LABEL_CHARS + len("… (Q20)") for t in ticks for line in t["lines"]), ticks
    assert all(a["bottom"] <= b["top"] + 1 for a, b in zip(ticks, ticks[1:])), ticks  # rows' labels do not overlap
    assert outside(m) == []


def test_funnel_note_reads_as_one_sentence_in_full_lines(browser, tmp_path):
    """Round 12: the note read "Not shown: MOR: too few respondents, so the result is not" and broke to a
    second line at 60 characters though the figure had room; it names the hospitals first, once."""
    from pledge_analysis.survey import funnel

    scores = pd.DataFrame({"site": ["HSH", "LWC", "MOR", "SAH"], "n": [35, 26, 4, 6],
                           "estimate": [0.66, 0.62, np.nan, np.nan], "suppressed": [False, False, True, True]})
    fig = plots.funnel_plot(funnel(scores, target=0.64), title="Staff listened to me")
    pg = opened(browser, fig, tmp_path)
    try:
        lines = pg.evaluate("""() => [...document.querySelectorAll('.annotation-text')].flatMap(t => {
            const l = [...t.querySelectorAll('tspan.line')]; return (l.length ? l : [t]).map(s => s.textContent); })""")
        m = pg.evaluate(MEASURE)
    finally:
        pg.close()
    assert outside(m) == []
    note = " ".join(lines)
    assert note.startswith("MOR and SAH are not shown: too few respondents"), lines
    assert note.count(":") == 1 and len(lines) == 1, lines  # one sentence, on one line at 700 px
    one = plots.funnel_plot(funnel(scores.iloc[:3], target=0.64)).layout.annotations[0].text
    assert one.startswith("MOR is not shown: too few respondents, so its result is not published"), one


#: each heatmap cell's text box, and the cells' width (the plot area over the number of columns)
CELL_TEXTS = """() => {
  const gd = document.querySelector('.plotly-graph-div');
  const bg = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const cols = gd._fullData[0].z[0].length, rows = gd._fullData[0].z.length;
  const t = [...gd.querySelectorAll('g.heatmap-label text')].filter(e => e.textContent.trim()).map(e => {
    const b = e.getBoundingClientRect(); return {text: e.textContent, left: b.left, right: b.right, top: b.top,
                                                 bottom: b.bottom}; });
  return {cell: bg.width / cols, row: bg.height / rows, texts: t};
}"""


def test_heatmap_cell_texts_fit_their_cells_in_a_narrow_column(browser, tmp_path):
    """Round 12 (the sample's prevalence by site, 6 hospitals, 700 px): "fewer than 21 comments" in six
    neighbouring cells ran into each other, one smear across the row; each cell's words now fit the cell."""
    rows = []
    for site in ("MDH", "NGU", "RGH", "SAH", "VVH", "WRI"):
        for theme, name, n in (("pall", "Palliative care", 8), ("wait", THEMES[0], 90), ("parity", THEMES[3], 12),
                               ("info", THEMES[1], 60)):
            rows.append({"scope_type": "site", "scope": site, "theme": theme, "name": name, "n_segments": n,
                         "n_negative": n // 2, "negativity": 0.5, "prevalence": n / 300})
    for value, kw in (("prevalence", {}), ("negativity", {"min_comments": 10})):
        fig = plots.theme_heatmap(pd.DataFrame(rows), scope_type="site", value=value, suppress_below=21, **kw)
        pg = opened(browser, fig, tmp_path)
        try:
            m = pg.evaluate(CELL_TEXTS)
            whole = pg.evaluate(MEASURE)
        finally:
            pg.close()
        assert m["texts"], m
        too_wide = [t["text"] for t in m["texts"] if t["right"] - t["left"] > m["cell"] - 2]
        assert too_wide == [], (value, m["cell"], too_wide)
        too_tall = [t["text"] for t in m["texts"] if t["bottom"] - t["top"] > m["row"]]
        assert too_tall == [], (value, m["row"], too_tall)
        assert outside(whole) == []
