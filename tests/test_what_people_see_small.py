"""What a patient, a staff member and a reviewer see when the project is small: a user-like project
(tests/userlike.py) with 12 respondents, long hospital names and a third hospital with no feedback (so no goals)
of its own, run through the real CLI once. The report, the view and the booklets are read back with lxml and
pandas' HTML reader (not string equality on whole pages): small counts read "fewer than N" (the project's
``suppress_below``), table headers are words, the heatmaps say why a cell is empty, and a booklet with no goals
of its own says plainly that the goals it shows are programme-wide."""
from __future__ import annotations

import base64
import io
import re

import lxml.html
import pandas as pd
import pytest

from pledge_analysis import plots
from pledge_analysis.cli import main

from userlike import PROJECT_YAML, write_project

LONG = {"HSH": "Hillside and Upper Valley University Hospitals NHS Foundation Trust Breast Unit",
        "LWC": "Lakeway Community Diagnostic Centre and Breast Screening Clinic",
        "MOR": "Moorland Cottage Hospital Outpatient Breast Care Service"}
#: a count under the suppression threshold (21) next to what it counts, as the reasons used to print them
SMALL = re.compile(r"(?<![\d,.%])(?:[1-9]|1\d|20) (?:comments?|people|person|of them negative|of its)\b|\(n (?:[1-9]|1\d|20)\)")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    yaml = PROJECT_YAML.replace("HSH: {name: Hillside Hospital, alliance: Upland Cancer Alliance}",
                                f"HSH: {{name: {LONG['HSH']}, alliance: Upland Cancer Alliance}}").replace(
        "LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}",
        f"LWC: {{name: {LONG['LWC']}, alliance: Upland Cancer Alliance}}\n"
        f"  MOR: {{name: {LONG['MOR']}, alliance: Upland Cancer Alliance}}")
    project = write_project(root / "project", n=12, project_yaml=yaml)
    csv = project / "exports" / "feedback_2027.csv"
    csv.write_bytes(csv.read_bytes().replace(b"Hillside Hospital", b"HSH"))  # the export's own codes
    out = root / "out"
    assert main(["run", str(project), "--out", str(out)]) == 0
    return project, out


def _section(page: str, heading_id: str):
    """The elements after ``<h2 id=heading_id>`` up to the next ``<h2>``."""
    doc = lxml.html.fromstring(page)
    h2 = doc.get_element_by_id(heading_id)
    out = []
    for el in h2.itersiblings():
        if el.tag == "h2":
            break
        out.append(el)
    return out


def _tables(elements) -> list[pd.DataFrame]:
    return [pd.read_html(io.StringIO(lxml.html.tostring(t, encoding="unicode")))[0]
            for el in elements for t in ([el] if el.tag == "table" else el.iter("table"))]


def test_reasons_and_survey_evidence_say_fewer_than_the_threshold_never_the_small_count(small_run):
    _, out = small_run
    page = (out / "report.html").read_text(encoding="utf-8")
    (prio,) = _tables(_section(page, "prioritised-improvement-areas"))
    text = " ".join(prio["reason"].astype(str)) + " " + " ".join(prio["survey evidence"].fillna("").astype(str))
    assert "fewer than 21 comments" in text and "fewer than 21 people" in text
    assert not SMALL.findall(text), SMALL.findall(text)[:5]
    assert "3 or more negative comments" in text  # a threshold, not a count: left as it is
    assert "all 2 hospitals" not in text and "none of the 2 hospitals" not in text  # "both" / "neither"
    # the project's own question ids (lower case) stand beside their wording, as Q2 does in the sample
    assert "Staff listened to me (listened) not used" in text and "; listened not used" not in text
    # the survey table: a suppressed question's respondents are "fewer than 21", not its n
    (survey,) = _tables(_section(page, "survey-scores-all-respondents"))
    suppressed = survey[survey["suppressed"].fillna("").astype(str).str.startswith("yes")]
    assert len(suppressed) and (suppressed["respondents"].astype(str) == "fewer than 21").all()
    # the view (Voila's page) prints the same reasons the same way
    from pledge_analysis.view import read_outputs, site_page

    html_page = site_page(read_outputs(out), "LWC")
    seen = lxml.html.fromstring(html_page).text_content()
    assert "fewer than 21" in seen and not SMALL.findall(seen), SMALL.findall(seen)[:5]


def test_report_headers_are_words_and_downloads_keep_machine_names(small_run):
    _, out = small_run
    page = (out / "report.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(page)
    headers = [th.text_content().strip() for th in doc.iter("th")]
    snake = [h for h in headers if "_" in h and not h.isupper()]  # redaction labels (NHS_NUMBER) stay as placeholders
    assert headers and not snake, snake
    assert {"level", "rows read", "respondents kept", "goal", "you said"} <= set(headers)
    # under each table, the CSV keeps the machine names, and the page says so
    links = doc.xpath("//a[@class='csv']")
    sources = pd.read_csv(io.StringIO(base64.b64decode(links[0].get("href").split(",", 1)[1]).decode("utf-8")))
    assert "rows_read" in sources.columns and "source_id" in sources.columns
    assert "keep the machine column names" in doc.text_content()


def test_heatmaps_say_why_a_cell_is_empty():
    matrix = pd.DataFrame({"site": ["A", "A", "B"], "theme": ["w", "i", "w"], "name": ["Waiting", "Info", "Waiting"],
                           "alliance": "", "rank": [1, 2, 1], "priority_score": [0.6, 0.4, 0.7],
                           "negativity": [0.5, 0.2, 0.6], "n_segments": [30, 22, 40], "survey_estimate": float("nan"),
                           "survey_z": float("nan")})
    fig = plots.site_priority_heatmap(matrix, sites=["A", "B", "C"])
    (hm,) = fig.data
    assert list(hm.x) == ["A", "B", "C"]  # the hospital with no feedback is shown, not left out
    cells = {(y, x): (z, t) for y, zrow, trow in zip(hm.y, hm.z, hm.text) for x, z, t in zip(hm.x, zrow, trow)}
    assert cells[("Info", "B")][1] == plots.BLANK_CELL and cells[("Waiting", "C")][1] == plots.BLANK_CELL
    assert cells[("Waiting", "A")][1] == ""
    (legend,) = [a.text.replace("<br>", " ") for a in fig.layout.annotations]  # wrapped to stay inside the figure
    assert "no comment" in legend and "not a score of 0.5" in legend
    full = plots.site_priority_heatmap(matrix[matrix["site"] == "A"])
    assert full.data[0].text is None and not full.layout.annotations  # nothing empty: drawn as before
    themes = pd.DataFrame({"scope_type": "group", "scope": ["primary", "primary", "staff"], "name": ["W", "I", "W"],
                           "n_segments": [5, 3, 2], "negativity": [0.5, 0.3, 1.0], "prevalence": [0.4, 0.2, 0.3]})
    fig = plots.theme_heatmap(themes)
    assert plots.BLANK_CELL in [t for row in fig.data[0].text for t in row]
    assert "no comment about this theme" in fig.layout.annotations[0].text.replace("<br>", " ")
    # with the priorities' rule, a negativity resting on fewer comments is not drawn, and the cell says so
    fig = plots.theme_heatmap(themes, min_comments=4)
    (hm,) = fig.data
    cells = {(y, x): (z, t) for y, zrow, trow in zip(hm.y, hm.z, hm.text) for x, z, t in zip(hm.x, zrow, trow)}
    assert cells[("W", "primary")] == (0.5, "")
    assert cells[("I", "primary")][1] == "fewer than 4 comments" and pd.isna(cells[("I", "primary")][0])
    assert cells[("I", "staff")][1] == plots.BLANK_CELL
    assert "“fewer than 4 comments”: too few" in fig.layout.annotations[0].text.replace("<br>", " ")


def test_a_hospital_with_no_goals_of_its_own_says_its_booklet_shows_programme_wide_goals(small_run):
    _, out = small_run
    plan = pd.read_excel(out / "action_plan.xlsx", sheet_name=0)
    doc = lxml.html.fromstring((out / "booklets" / "MOR.html").read_text(encoding="utf-8"))
    text = " ".join(doc.text_content().split())
    assert f"{LONG['MOR']} has no goals of its own in this plan yet" in text
    assert "programme-wide" in doc.xpath("//h2[@class='goals']")[0].text_content().lower()
    assert "Hillside breast service" in doc.xpath("//h2[@class='goals']")[0].text_content()
    assert f"at {LONG['MOR']} told us" not in text  # nobody there gave feedback: never "patients at MOR told us"
    assert "ask your breast care nurse" in text.lower()
    assert len(doc.xpath("//tbody/tr")) >= 1
    own = lxml.html.fromstring((out / "booklets" / "HSH.html").read_text(encoding="utf-8"))
    assert own.xpath("//h2[@class='goals']")[0].text_content().startswith("This hospital's own goals")
    assert not own.xpath("//p[@class='scope-note']")
    assert len(plan)  # the plan itself is unchanged: only the booklet's words
    # the DOCX twin says the same
    from docx import Document

    paras = [p.text for p in Document(str(out / "booklets" / "MOR.docx")).paragraphs]
    assert any("no goals of its own" in p for p in paras) and any(p.startswith("Programme-wide goals") for p in paras)


def test_codesign_pack_sentences_start_with_a_capital_when_counts_are_suppressed(small_run):
    _, out = small_run
    doc = lxml.html.fromstring((out / "codesign" / "LWC.html").read_text(encoding="utf-8"))
    said = [h.getnext().text_content() for h in doc.iter("h3") if h.text_content() == "What people said"]
    assert said and all(s.startswith("Fewer than 21 comments from fewer than 21 people") for s in said), said


def test_view_says_where_the_programme_goals_are_and_gives_dates_in_words(small_run):
    import dataclasses

    from pledge_analysis.view import plan_html, read_outputs

    _, out = small_run
    outputs = read_outputs(out)
    none = " ".join(lxml.html.fromstring(plan_html(outputs, "MOR")).text_content().split())
    assert "no goals of its own" in none and "programme-wide goals" in none
    plan = outputs.plan.copy()
    mine = plan.index[plan["scope"].astype(str) == "LWC"]
    plan.loc[mine, "by"] = "2027-03-31"
    page = lxml.html.fromstring(plan_html(dataclasses.replace(outputs, plan=plan), "LWC"))
    by = [tr.xpath("td")[2].text_content() for tr in page.xpath("//tbody/tr")]
    assert by and set(by) == {"March 2027"}, by


def test_learning_across_hospitals_names_each_site_code_of_its_chart(small_run):
    _, out = small_run
    page = (out / "report.html").read_text(encoding="utf-8")
    text = " ".join(" ".join(el.text_content() for el in _section(page, "learning-across-hospitals")).split())
    for code, name in LONG.items():
        assert f"{code} {name}" in text, code


def test_view_ranks_say_out_of_how_many_areas(small_run):
    from pledge_analysis.view import read_outputs, site_page

    _, out = small_run
    doc = lxml.html.fromstring(site_page(read_outputs(out), "LWC"))
    subs = [p.text_content() for p in doc.xpath("//section[@class='priority']/p[@class='sub']")]
    assert len(subs) == 3 and all(re.match(r"Ranked (1st|2nd|3rd) of 3 areas here", s) for s in subs), subs


def test_priorities_csv_publishes_the_shown_reasons_and_every_page_prints_them(small_run, tmp_path):
    """``reason_shown`` / ``survey_evidence_shown`` in priorities.csv carry no small count; the report (its
    table, the bars' hover text, the action plan's evidence) and the view print them. An output folder of
    an earlier release (no shown columns) still loads in the view, its small counts still suppressed."""
    import json
    import shutil

    from pledge_analysis.view import read_outputs, site_page

    _, out = small_run
    prio = pd.read_csv(out / "priorities.csv")
    assert SMALL.findall(" ".join(prio["reason"].astype(str)))  # the counts are kept in `reason` itself
    shown = " ".join(prio["reason_shown"].astype(str)) + " " + " ".join(prio["survey_evidence_shown"].fillna("").astype(str))
    assert "fewer than 21 comments" in shown and not SMALL.findall(shown), SMALL.findall(shown)[:5]
    page = (out / "report.html").read_text(encoding="utf-8")
    hover = [t for m in re.finditer(r'"hovertext":\[(.*?)\]', page) for t in json.loads(f"[{m[1]}]")]
    assert hover and not SMALL.findall(" ".join(hover)), SMALL.findall(" ".join(hover))[:5]
    for heading in ("prioritised-improvement-areas", "draft-action-plan"):
        text = re.sub(r"fewer than \d+", "", " ".join(el.text_content() for el in _section(page, heading)))
        assert not SMALL.findall(text), (heading, SMALL.findall(text)[:5])
    outputs = read_outputs(out)
    for site in outputs.sites:
        seen = lxml.html.fromstring(site_page(outputs, site)).text_content()
        assert not SMALL.findall(seen), (site, SMALL.findall(seen)[:5])
    old = tmp_path / "old"
    shutil.copytree(out, old, ignore=shutil.ignore_patterns("booklets", "codesign"))
    prio.drop(columns=["reason_shown", "survey_evidence_shown"]).to_csv(old / "priorities.csv", index=False)
    seen = lxml.html.fromstring(site_page(read_outputs(old), "LWC")).text_content()
    assert "fewer than 21 comments" in seen and not SMALL.findall(seen), SMALL.findall(seen)[:5]


def test_prevalence_by_site_chart_names_each_site_code_too(small_run):
    _, out = small_run
    doc = lxml.html.fromstring((out / "report.html").read_text(encoding="utf-8"))
    (h3,) = [h for h in doc.iter("h3") if h.text_content() == "Prevalence by theme and site"]
    after = []
    for el in h3.itersiblings():
        if el.tag in ("h2", "h3"):
            break
        after.append(" ".join(el.text_content().split()))
    text = " ".join(after)
    for code, name in LONG.items():
        assert f"{code} {name}" in text, code
