"""Issue 15: "You said" statements are concerns, and each hospital gets its own A4 booklet.

Observed before: the same quote filled several rows (G01/G06/G09 on the sample), "You said" was a raw
quote with a prefix, "Patients and staff" was printed with no staff survey, staff-only goals were in the
patient booklet, "together we agreed" stood above "to be agreed" rows, and the booklet was US Letter,
one for all hospitals, with no repeating header and rows split across pages.
"""
from __future__ import annotations

import html
import re
import sqlite3
import zipfile
import zlib
from datetime import date

import pandas as pd
import pytest
from docx import Document

from userlike import write_project
from pledge_analysis.booklet import booklet_html, patient_goals, plan_state, write_booklet_docx
from pledge_analysis.cli import main
from pledge_analysis.pledge import concern_statement
from pledge_analysis.project import SCHEMA_VERSION, Project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pdf_pages(path) -> list[tuple[float, ...]]:
    """The MediaBox of every page of a PDF, read from the file itself (object streams inflated)."""
    raw = path.read_bytes()
    chunks = [raw.decode("latin-1")]
    for m in re.finditer(rb"stream\r?\n", raw):  # inflate from each stream's start: zlib stops at its own end,
        try:                                        # whatever bytes the compressed data happens to hold
            chunks.append(zlib.decompressobj().decompress(raw[m.end():]).decode("latin-1"))
        except zlib.error:
            pass
    n_pages = sum(len(re.findall(r"/Type\s*/Page(?![s\w])", c)) for c in chunks)
    boxes = [tuple(float(x) for x in b.split()) for c in chunks for b in re.findall(r"/MediaBox\s*\[([^\]]+)\]", c)]
    assert n_pages >= 1 and len(boxes) >= 1
    return boxes


def docx_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def visible(page: str) -> str:
    """The text of an HTML booklet, without its style sheet and tags."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S)))


def test_you_said_is_a_concern_statement_never_a_quote_and_never_repeated(sample_run):
    result, _ = sample_run
    plan, cb = result.action_plan, result.codebook.set_index("code_id")
    assert set(plan["wording"]) == {"codebook"}  # every sample code has its concern
    assert (plan["you_said"] == plan["code_id"].map(cb["concern"])).all()
    texts = {" ".join(t.lower().split()) for t in result.segments["text"]}
    assert not any("“" in s or " ".join(s.lower().split()) in texts for s in plan["you_said"])
    # G01/G06/G09 used to share one quote: within each part of the plan (the programme's goals for
    # patients, for staff, each hospital's) a statement appears once, and so does each quote
    part = [(s if s in result.config.sites else "") + ("/staff" if s == "staff" else "") for s in plan["scope"]]
    assert not plan.assign(part=part).duplicated(["part", "you_said"]).any()
    quotes = [(p, q) for p, qs in zip(part, plan["quotes"]) for q in str(qs).split(" | ") if q]
    assert len(quotes) == len(set(quotes)) and len(quotes) >= 2 * len(plan)
    programme = plan[(plan["scope"] == "all")]
    sites = {q.rsplit(", ", 1)[-1] for qs in programme["quotes"] for q in qs.split(" | ")}
    assert len(sites) >= 4  # from different hospitals
    # the staff group's goals are for the staff plan; every hospital has goals of its own
    assert set(plan.loc[plan["scope"] == "staff", "audience"]) == {"staff"}
    assert set(result.config.sites) <= set(plan["scope"])


def test_a_concern_left_out_is_drafted_from_the_definition_and_marked():
    text, wording = concern_statement({"code_id": "support.hna", "name": "Holistic Needs Assessment",
                                       "description": "Being offered a structured assessment of needs."})
    assert wording == "draft" and text == ("People raised concerns about holistic Needs Assessment: being offered "
                                           "a structured assessment of needs.")
    assert concern_statement({"code_id": "x", "name": "IT systems", "concern": "  Portal down.  "}) == \
        ("Portal down.", "codebook")


def _goals(we_plan_to=("", ""), by=("2026-09-30", ""), audience=("patients", "patients")):
    return pd.DataFrame({"goal_id": ["G01", "G02", "G03"], "scope": ["all", "secondary", "staff"],
                         "theme": ["waiting", "support", "staffing"],
                         "you_said": ["Clinics ran late.", "Nobody offered a needs assessment.",
                                      "Rotas leave no time for training."],
                         "we_plan_to": [*we_plan_to, "Protected training time"], "by": [*by, ""],
                         "owner": "", "status": ["ongoing", "not started", "not started"],
                         "audience": [*audience, "staff"]})


@pytest.mark.parametrize("we_plan_to, by, state", [
    (("", ""), ("2026-09-30", ""), "draft"),
    (("Staggered slots", "Offer one at diagnosis"), ("2026-09-30", ""), "partly agreed"),  # a "By" to be agreed
    (("Staggered slots", "Offer one at diagnosis"), ("2026-09-30", "March 2027"), "agreed")])
def test_booklet_text_follows_the_state_of_the_plan_and_leaves_staff_goals_out(we_plan_to, by, state, tmp_path):
    goals = _goals(we_plan_to, by)
    assert plan_state(patient_goals(goals)) == state
    page = visible(booklet_html(goals, hospital="Hillside Hospital", took_part=["primary", "secondary", "staff"],
                                today=date(2026, 9, 1)))
    assert ("Together we agreed" in page) == (state == "agreed")
    assert ("To be agreed" in page) == (state != "agreed") and ("draft" in page.lower()) == (state == "draft")
    assert "Rotas leave no time" not in page and "Protected training" not in page  # staff plan only
    assert "Raised by secondary breast cancer patients" in page and "Hillside Hospital" in page
    write_booklet_docx(goals, tmp_path / "b.docx", hospital="Hillside Hospital", today=date(2026, 9, 1))
    doc = Document(tmp_path / "b.docx")
    assert len(doc.tables[0].rows) == 3 and "Rotas leave no time" not in docx_text(tmp_path / "b.docx")
    assert ("Together we agreed" in docx_text(tmp_path / "b.docx")) == (state == "agreed")
    assert "September 2026" in doc.tables[0].rows[1].cells[2].text and "◐ Ongoing" in doc.tables[0].rows[1].cells[2].text


def test_the_run_writes_one_a4_booklet_per_hospital(sample_run):
    result, out = sample_run
    plan, sites = result.action_plan, result.config.sites
    # the round in words, from the survey's completion dates: never the internal id "2026-R1" (reviewers, session 6)
    done = pd.to_datetime(result.respondents["completed"]).dropna()
    months = f"{done.min():%B %Y} to {done.max():%B %Y}"
    assert sorted(p for p in result.run_log["booklets"] if p.startswith("booklets/")) == sorted(
        f"booklets/{s}.{ext}" for s in sites for ext in ("docx", "html", "pdf"))
    for site, info in sites.items():
        own = plan[(plan["scope"] == site) & (plan["audience"] == "patients")]
        page = (out / "booklets" / f"{site}.html").read_text(encoding="utf-8")
        text = visible(page)
        assert info["name"] in text and f"In our latest round of feedback ({months})" in text and "contact" in page
        assert result.config.round not in text and result.config.round not in docx_text(out / "booklets" / f"{site}.docx")
        pack = visible((out / "codesign" / f"{site}.html").read_text(encoding="utf-8"))
        assert months in pack and result.config.round not in pack
        assert all(s in text for s in own["you_said"]) and text.count("To be agreed") >= len(own)
        assert "Together we agreed" not in text  # nothing is agreed yet
        assert "thead { display: table-header-group; }" in page and "break-inside: avoid" in page
        for width, height in [b[2:] for b in pdf_pages(out / "booklets" / f"{site}.pdf")]:
            assert (round(width), round(height)) == (595, 842)  # A4 in points, not US Letter (612 x 792)
    doc = Document(out / "booklets" / "RGH.docx")
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    rows = doc.tables[0].rows
    assert rows[0]._tr.trPr.find(f"{W}tblHeader") is not None  # the header row repeats on every page
    assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in rows)  # no row splits across pages
    own = plan[plan["scope"] == "RGH"]
    shown = plan[(plan["scope"] == "RGH") | (~plan["scope"].isin(list(sites)) & ~plan["you_said"].isin(own["you_said"]))]
    assert [c.text for c in rows[0].cells] == ["You said", "We plan to", "By"] and len(rows) == 1 + int(
        (shown["audience"] != "staff").sum())
    assert docx_text(out / "booklets" / "RGH.docx").count("For every hospital in") == int(
        ((shown["scope"] != "RGH") & (shown["audience"] != "staff")).sum())


def test_the_run_writes_a_codesign_pack_one_printed_page_per_area(sample_run, truth, tmp_path):
    from pledge_analysis.booklet import write_booklet_pdf
    from pledge_analysis.codesign import area_pages, codesign_html

    result, out = sample_run
    questions = dict(zip(result.questions["question_id"], result.questions["text"]))
    for site in result.config.sites:
        page = (out / "codesign" / f"{site}.html").read_text(encoding="utf-8")
        assert page.count("<section class='area'>") == 5 and page.count("<h3>We plan to</h3>") == 5
        assert questions["Q2"] in html.unescape(page) and "95% interval" in page and page.count("<blockquote>") >= 10
        for folder in ("codesign", "booklets"):  # quotes are de-identified: no planted identifier gets through
            text = html.unescape((out / folder / f"{site}.html").read_text(encoding="utf-8"))
            assert [i["value"] for i in truth["identifiers"] if i["value"] in text] == []
    pages = area_pages("RGH", priorities=result.priorities, units=result.units, codebook=result.codebook,
                       plan=result.action_plan, scores=result.scores, questions=result.questions, top=2)
    assert [p["theme"] for p in pages] == ["waiting", "information"]  # the planted weakness first
    assert pages[0]["concerns"] and len({q.rsplit("(", 1)[-1] for q in pages[0]["quotes"]}) >= 2  # diverse
    write_booklet_pdf(codesign_html(pages, hospital="Riverside General Hospital"), tmp_path / "pack.pdf")
    boxes = pdf_pages(tmp_path / "pack.pdf")
    assert len(boxes) == 3 and {(round(b[2]), round(b[3])) for b in boxes} == {(595, 842)}  # cover + one A4 each


def test_no_staff_survey_no_staff_wording_and_edited_goals_survive_a_rerun(tmp_path):
    project = write_project(tmp_path / "hillside")
    (project / "logo.png").write_bytes(_PNG)
    with open(project / "project.yaml", "a", encoding="utf-8") as f:
        f.write("booklet: {contact: 'Breast unit, 01632 960 000', logo: logo.png, round: Spring 2027,\n"
                "          alliance_booklets: true}\n")
    assert main(["run", str(project), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    # one booklet per Cancer Alliance on request: its hospitals' goals, each row naming its hospital
    out = tmp_path / "out"
    assert all((out / "booklets" / f"alliance_Upland_Cancer_Alliance.{ext}").stat().st_size for ext in
               ("docx", "html", "pdf"))
    alliance = visible((out / "booklets" / "alliance_Upland_Cancer_Alliance.html").read_text(encoding="utf-8"))
    with Project.open(project / "project.sqlite") as p:
        goals = patient_goals(p.action_plan(), site=["HSH", "LWC"])
    assert set(goals["scope"]) == {"HSH", "LWC"} and all(g in alliance for g in goals["you_said"])
    assert alliance.count("At Hillside Hospital") == (goals["scope"] == "HSH").sum() > 0
    assert "Upland Cancer Alliance" in alliance and "covers Hillside Hospital and Lakeway Clinic" in alliance
    # a project without a standards file: no audit, no report section, no pack page, no error
    assert not (out / "standards_audit.csv").exists() and "Standards audit" not in (out / "report.html").read_text()
    assert "Standards: how this hospital" not in (out / "codesign" / "HSH.html").read_text(encoding="utf-8")
    for site in ("HSH", "LWC"):
        page = (tmp_path / "out" / "booklets" / f"{site}.html").read_text(encoding="utf-8")
        words = visible(page) + docx_text(tmp_path / "out" / "booklets" / f"{site}.docx")
        assert "staff" not in words.lower()  # no staff survey: patients told us, not "patients and staff"
        assert "Spring 2027" in words and "Breast unit, 01632 960 000" in words and "data:image/png;base64," in page
    assert "staff" not in docx_text(tmp_path / "out" / "action_plan.docx").lower()
    with Project.open(project / "project.sqlite") as p:
        plan = p.action_plan()
        goal = plan[plan["scope"] == "HSH"].iloc[0]
        plan.loc[plan["goal_id"] == goal["goal_id"], ["you_said", "we_plan_to"]] = [
            "Results letters came weeks after the scan.", "Results by phone within 7 days"]
        p.save_action_plan(plan, actor="co-design group")
    assert main(["run", str(project), "--out", str(tmp_path / "out2"), "--quiet"]) == 0
    with Project.open(project / "project.sqlite") as p:
        kept = p.action_plan().set_index("goal_id").loc[goal["goal_id"]]
    assert (kept["you_said"], kept["wording"], kept["origin"], kept["code_id"], kept["audience"]) == (
        "Results letters came weeks after the scan.", "edited", "edited", goal["code_id"], "patients")
    page = visible((tmp_path / "out2" / "booklets" / "HSH.html").read_text(encoding="utf-8"))
    assert "Results letters came weeks after the scan." in page and "Results by phone within 7 days" in page


def test_a_schema_2_store_gains_the_plan_columns_and_keeps_its_goals(tmp_path):
    store = tmp_path / "project.sqlite"
    con = sqlite3.connect(store)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    con.execute('CREATE TABLE action_plan ("goal_id" PRIMARY KEY, "scope", "theme", "you_said", "we_plan_to", "by", '
                '"owner", "status", "evidence", "origin", "updated_at", "updated_by")')
    con.execute("INSERT INTO action_plan VALUES ('G01', 'all', 'waiting', 'Clinics ran late.', 'Staggered slots', "
                "'2026-09-30', '', 'ongoing', '', 'edited', '2026-01-01', 'alice')")
    con.execute('CREATE TABLE codebook ("code_id" PRIMARY KEY, "name", "parent_id", "description", "include", '
                '"exclude", "keywords", "examples", "colour", "survey_items")')
    con.commit()
    con.close()
    with Project.open(store) as p:
        assert p.schema_version == SCHEMA_VERSION == 3 and p.backup is not None and p.backup.exists()
        plan = p.action_plan()
        assert {"code_id", "audience", "wording", "quotes"} <= set(plan.columns)
        assert plan[["goal_id", "we_plan_to", "origin"]].values.tolist() == [["G01", "Staggered slots", "edited"]]
        assert "concern" in p.read_table("codebook").columns
        page = visible(booklet_html(plan))  # an old goal (no audience) is a patients' goal
        assert "Clinics ran late." in page and "Staggered slots" in page


def test_plan_editor_edits_you_said_refuses_bad_dates_and_saves_to_the_store(tmp_path):
    from pledge_analysis.widgets import PlanEditor

    with Project.open(tmp_path / "project.sqlite") as p:
        p.save_action_plan(_goals().assign(wording="codebook", code_id="waiting"), actor="run")
        editor = PlanEditor(project=p, editor="erin")
        editor.goal.value = "G02"
        editor.by.value = "soon-ish"
        assert editor.commit() is False and "soon-ish" in editor.message.value and "Not saved" in editor.message.value
        editor.you_said.value = "Nobody offered me a holistic needs assessment."
        editor.by.value = "March 2027"
        assert editor.commit(today=date(2026, 10, 1)) is True
        row = p.action_plan().set_index("goal_id").loc["G02"]
        assert (row["you_said"], row["wording"], row["by"], row["updated_by"]) == (
            "Nobody offered me a holistic needs assessment.", "edited", "March 2027", "erin")
        editor.you_said.value = "   "
        assert editor.commit() is False and "empty" in editor.message.value


def test_the_workbook_drop_downs_cover_new_rows_and_refuse_other_entries(tmp_path):
    from openpyxl import load_workbook

    from pledge_analysis.pledge import EXTRA_ROWS, write_action_plan_xlsx

    write_action_plan_xlsx(_goals(), tmp_path / "plan.xlsx")
    ws = load_workbook(tmp_path / "plan.xlsx")["Action plan"]
    checks = {dv.formula1: dv for dv in ws.data_validations.dataValidation}
    assert set(checks) == {'"not started,ongoing,achieved"', '"patients,staff"'}
    for dv in checks.values():
        assert dv.showErrorMessage and dv.errorStyle == "stop"  # Excel refuses "finished", not only warns
        assert str(dv.sqref).endswith(str(3 + 1 + EXTRA_ROWS))  # rows the group adds are checked too


def _png() -> bytes:
    """A valid 2 x 2 blue PNG, built here (no image library needed)."""
    import struct

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + b"\x00\x5e\xb8" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


_PNG = _png()


def test_the_booklet_api_names_the_round_in_words_from_the_run(sample_run, tmp_path):
    """Notebook 08 passed round=result.config.round and printed the internal id '2026-R1' to patients: the
    API takes the run itself (round=result) and names the round as the run does."""
    from pledge_analysis import booklet

    result, out = sample_run
    words = booklet.round_of(result)
    assert words and result.config.round not in words
    content = booklet.booklet_content(result.action_plan, hospital="Riverside", site="RGH",
                                      sites=tuple(result.config.sites), round=result, today=date(2027, 1, 10))
    assert f"In our latest round of feedback ({words})" in content["intro"][0]
    assert words in content["dated"] and result.config.round not in str(content)
    paths = booklet.write_booklets(result.action_plan, tmp_path, sites={"RGH": result.config.sites["RGH"]},
                                   round=result, formats=("html",))
    page = visible(paths[0].read_text(encoding="utf-8"))
    assert f"({words})" in page and result.config.round not in page
    with pytest.raises(TypeError, match="round"):
        booklet.booklet_content(result.action_plan, round=3)


def test_a_hospital_booklet_keeps_the_programme_goals_after_its_own():
    """New-user trial (session 9): a hospital with goals of its own got only those, so Eastbrook's booklet left out
    G01, agreed for every hospital (Northfield's, with no goals of its own, showed it). Its own goals come first,
    then the programme's, each marked as for every hospital; another hospital's goal is never shown."""
    from pledge_analysis import booklet

    plan = pd.DataFrame({"goal_id": ["G01", "G02", "G03", "G04"], "scope": ["all", "EAST", "NORTH", "secondary"],
                         "theme": ["waiting", "parking", "food", "parity"],
                         "you_said": ["Clinics ran late.", "Parking was hard.", "Food was cold.", "Secondary left out."],
                         "we_plan_to": ["Text when late.", "", "", "Same support."], "by": ["", "", "", ""],
                         "status": ["not started"] * 4, "audience": ["patients"] * 4})
    c = booklet.booklet_content(plan, hospital="Eastbrook", site="EAST", sites=("EAST", "NORTH"), programme="P",
                                today=date(2026, 4, 1))
    said = [r["you_said"] for r in c["rows"]]
    assert said == ["Parking was hard.", "Clinics ran late.", "Secondary left out."], said
    assert c["rows"][0]["raised_by"] == ""
    assert all(r["raised_by"].startswith("For every hospital in P") for r in c["rows"][1:]), c["rows"]
    assert "secondary" in c["rows"][2]["raised_by"].lower()
    assert "every hospital" in c["heading"] and not c["programme_wide"], c["heading"]
    page = booklet_html(plan, hospital="Eastbrook", site="EAST", sites=("EAST", "NORTH"), programme="P",
                        today=date(2026, 4, 1))
    assert "For every hospital in P" in page and "Food was cold." not in page
    twice = pd.concat([plan, plan.iloc[[1]].assign(goal_id="G05", scope="all")], ignore_index=True)
    c = booklet.booklet_content(twice, hospital="Eastbrook", site="EAST", sites=("EAST", "NORTH"), programme="P")
    assert [r["you_said"] for r in c["rows"]].count("Parking was hard.") == 1  # its own goal, not the programme's too
    c = booklet.booklet_content(plan, hospital="Programme", sites=("EAST", "NORTH"), today=date(2026, 4, 1))
    assert [r["you_said"] for r in c["rows"]] == ["Clinics ran late.", "Secondary left out."]  # not twice
