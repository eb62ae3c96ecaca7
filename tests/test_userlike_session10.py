"""Problems a new user met in session 10 with their own hand-written exports and a project's life
(reviews, codebook edits, a second round, a REFI-QDA round trip). Each test builds its files in tmp_path
and reproduces one problem."""
from __future__ import annotations

import csv
import io

import yaml

EURO_HEADER = ["Respondent No.", "Date completed", "Hospital name", "Type of breast cancer",
               "I was given enough information about my treatment", "Travel cost (\u00a3)", "What could be improved?"]
AGREE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]


def _euro_csv(path, n=24):
    """A European Excel export: semicolons, decimal commas, Windows-1252 ('\u00a3', curly quotes), a dash
    or 'N/A' where a respondent gave no answer, and the hospital under a 'Hospital name' header."""
    rows = [EURO_HEADER]
    for i in range(n):
        answer = (AGREE + ["-", "N/A"])[i % 7]
        rows.append([str(1000 + i), f"{1 + i:02d}.03.2026", ["Royal Marsden Chelsea", "St Anne\u2019s"][i % 2],
                     ["Primary", "Secondary (metastatic)"][i % 3 == 0], answer, f"{i},{i:02d}",
                     ["I waited 3 weeks for results", "The nurse said \u201cyou\u2019ll be fine\u201d", "-"][i % 3]])
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("cp1252"))
    return path


def _init(tmp_path, src):
    from pledge_analysis.scaffold import init_project

    init_project(tmp_path / "proj", surveys=[src], codebook="service-pledge")
    project = yaml.safe_load((tmp_path / "proj" / "project.yaml").read_text(encoding="utf-8"))
    questions = yaml.safe_load((tmp_path / "proj" / "questions.yaml").read_text(encoding="utf-8"))
    return project, questions


def test_a_hospital_name_column_is_the_site_not_personal_data(tmp_path):
    """'Hospital name' was read as personal data (the word 'name') and left out: init wrote `site: CHANGE_ME`
    and `sites: {}`, so the user had to find the site column themselves (and a run with `sites: {}` reads
    every spelling as a hospital of its own)."""
    project, _ = _init(tmp_path, _euro_csv(tmp_path / "euro.csv"))
    survey = project["surveys"][0]
    assert survey["columns"]["site"] == "Hospital name"
    assert sorted(v["name"] for v in project["sites"].values()) == ["Royal Marsden Chelsea", "St Anne\u2019s"]


def test_names_of_people_are_still_personal_data():
    from pledge_analysis.io.detect import header_role

    assert header_role("Patient name") == "personal"
    assert header_role("Name") == "personal"
    assert header_role("Your name and email") == "personal"
    assert header_role("Hospital name") == "site"
    assert header_role("Name of trust") == "site"


def test_a_dash_for_no_answer_does_not_hide_a_known_scale(tmp_path):
    """A dash in the cells of respondents who skipped the question (Excel exports write '-') made init list
    '-' as an answer option, so the agree/disagree scale was 'not a scale init knows' and positive/negative
    were left to fill in by hand."""
    _, questions = _init(tmp_path, _euro_csv(tmp_path / "euro.csv"))
    q = questions["questions"][0]
    assert q["column"] == "I was given enough information about my treatment"
    assert q["positive"] == ["Strongly agree", "Agree"] and q["negative"] == ["Disagree", "Strongly disagree"]
    assert "-" not in q["options"]


def test_a_dash_answer_is_set_aside_as_no_answer(tmp_path):
    """The reader set a '-' aside as 'not one of its options', as if the respondent had written something
    the questions did not foresee."""
    from pledge_analysis.io import read_survey
    from pledge_analysis.io.surveys import load_questions

    (tmp_path / "questions.yaml").write_text(
        "questions:\n  - id: info\n    column: Info\n    text: Info\n    kind: categorical\n"
        "    options: [Agree, Disagree]\n    positive: [Agree]\n    negative: [Disagree]\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("Ref,Site,Group,Info\nR1,RGH,primary,Agree\nR2,RGH,primary,-\n"
                                    "R3,RGH,primary,--\n", encoding="utf-8")
    got = read_survey(tmp_path / "s.csv", columns={"respondent_id": "Ref", "site": "Site", "group": "Group"},
                      questions=load_questions(tmp_path / "questions.yaml"))
    assert got.responses["value"].tolist() == ["Agree"]
    assert got.set_aside["value"].tolist() == ["-", "--"]
    assert all("not an answer" in r for r in got.set_aside["reason"])


def test_html_from_a_web_survey_is_read_as_the_text_a_patient_typed(tmp_path):
    """A web form's export kept its rich-text markup: 'Waiting room was too cold &amp; cramped' and
    '<p>Staff were <b>kind</b></p>' went into segments, quotes and booklets as written (the report escapes
    them, so a patient reader saw '&amp;amp;' and the tags). Text that only looks like markup stays."""
    from pledge_analysis.io import read_survey

    texts = ["Waiting room was too cold &amp; cramped", "<p>Staff were <b>kind</b></p><p>Thank you</p>",
             "Nurse was kind<br/>Doctor was rushed", "I &lt;3 the team", "Pain score went from 8 to <5 in a day",
             "Tea &amp coffee were free", "It's fine"]
    rows = ["Ref,Site,Group,Comments"] + [f"R{i},RGH,primary,\"{t}\"" for i, t in enumerate(texts)]
    (tmp_path / "web.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    got = read_survey(tmp_path / "web.csv", columns={"respondent_id": "Ref", "site": "Site", "group": "Group"},
                      comments={"comments": "Comments"})
    assert got.segments["text"].tolist() == [
        "Waiting room was too cold & cramped", "Staff were kind\nThank you", "Nurse was kind\nDoctor was rushed",
        "I <3 the team", "Pain score went from 8 to <5 in a day", "Tea &amp coffee were free", "It's fine"]


def test_code_reads_html_comments_as_run_does():
    from pledge_analysis.io.safe import markup_removed

    assert markup_removed("<div>Great&nbsp;care</div>") == "Great care"
    assert markup_removed("a <b>bold</b> claim &amp; more") == "a bold claim & more"
    assert markup_removed("x < y and y > z") == "x < y and y > z"
