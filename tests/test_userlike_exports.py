"""Problems a new user met with exports as survey tools really write them (session 7, a hospital
researcher's own files written by hand, not the sample generator): a workbook whose first row holds merged
section titles above the header, a SurveyMonkey CSV with its second header row ("Response",
"Open-Ended Response"), a main patient survey and a shorter SurveyMonkey one for secondary patients asking
other questions, comments that repeat, a site asked as a question. Each test reproduces one."""
from __future__ import annotations

import csv

import pytest

from pledge_analysis.io.files import read_table

GOOD = ["My breast care nurse was brilliant, always rang me back the same day",
        "The consultant took time to explain everything and drew me a diagram",
        "Being able to ring the helpline any time was a lifeline"]
BAD = ["Waited 3 hours in clinic with no explanation, nobody told us anything",
       "I had to chase my scan results myself, I rang six times",
       "Parking is a nightmare, I was late for my appointment twice"]


def _workbook(path, n=12):
    """Row 1: merged section titles ('About you' over A1:D1 ...); row 2: the header; then the answers."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.append(["About you", None, None, None, "Your care (1 = Strongly disagree, 5 = Strongly agree)", None,
               "In your own words", None])
    ws.merge_cells("A1:D1")
    ws.merge_cells("E1:F1")
    ws.merge_cells("G1:H1")
    ws.append(["Response ID", "Hospital site", "Diagnosis", "Age", "Q1 Staff explained things clearly",
               "Q2 I knew who to call", "What was good about your care?", "What could be better?"])
    for i in range(n):
        ws.append([f"PX{i + 1:03d}", ["Glan Clwyd", "Wrexham Maelor"][i % 2], ["Primary", "Secondary"][i % 3 == 0],
                   "50-59", 1 + i % 5, 1 + (i * 3) % 5, GOOD[i % 3], BAD[i % 3]])
    key = wb.create_sheet("Key")
    for row in [["Code", "Meaning"], [1, "Strongly disagree"], [5, "Strongly agree"]]:
        key.append(row)
    wb.save(path)
    return path


def _surveymonkey(path, n=10):
    """SurveyMonkey's CSV: questions in row 1, 'Response' / 'Open-Ended Response' / options in row 2."""
    rows = [["Respondent ID", "Collector ID", "Email Address", "Which hospital are you treated at?",
             "Which best describes you?", "How much do you agree: my team explained things clearly",
             "Which of these did you have?", "", "What one thing would you change?"],
            ["", "", "", "Response", "Response", "Response", "Surgery", "Chemotherapy", "Open-Ended Response"]]
    for i in range(n):
        rows.append([str(11400000000 + i * 7), "4321", "", ["Glan Clwyd", "Wrexham Maelor"][i % 2],
                     "I have secondary breast cancer", ["Strongly agree", "Agree", "Disagree"][i % 3],
                     "Surgery" if i % 2 else "", "Chemotherapy", BAD[i % 3]])
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


# ------------------------------------------------------------------------------ reading
def test_merged_section_titles_above_the_header_are_not_the_header(tmp_path):
    """Row 1's merged titles ('About you', ...) were read as the header ('Unnamed: 1' ...), the real header
    became respondent 'Response ID' and init found no id, site or question."""
    t = read_table(_workbook(tmp_path / "survey.xlsx"), sheet="Responses")
    assert list(t.frame.columns)[:3] == ["Response ID", "Hospital site", "Diagnosis"]
    assert t.frame["Response ID"].iloc[0] == "PX001" and t.rows[0] == 3  # the spreadsheet's own row numbers
    assert t.title_rows and t.title_rows[0][0] == "About you"


def test_a_title_line_above_a_csv_header(tmp_path):
    """'Patient survey export, March 2027' on line 1 made the header one column wide: every row was refused."""
    p = tmp_path / "export.csv"
    p.write_text("Patient survey export, March 2027\nRef,Site,Group,Comment\nR1,GC,primary,Fine\n", encoding="utf-8")
    t = read_table(p)
    assert list(t.frame.columns) == ["Ref", "Site", "Group", "Comment"] and t.rows == [3]


def test_surveymonkey_second_header_row_is_not_a_respondent(tmp_path):
    """SurveyMonkey's 'Response' row was read as a respondent: 'Response' became an answer of every scale
    and a site; a tick-all question's options ('Chemotherapy' under a blank header) had no name."""
    t = read_table(_surveymonkey(tmp_path / "sm.csv"))
    assert t.subheader_row == 2 and t.rows[0] == 3 and len(t.frame) == 10
    assert "Response" not in set(t.frame["Which hospital are you treated at?"])
    assert {"Which of these did you have? - Surgery", "Which of these did you have? - Chemotherapy"} <= set(t.frame.columns)


def test_an_ordinary_header_is_still_row_one(tmp_path):
    p = tmp_path / "plain.csv"
    p.write_text("Ref,Site,Q1\nR1,GC,Yes\nR2,,No\n", encoding="utf-8")
    t = read_table(p)
    assert list(t.frame.columns) == ["Ref", "Site", "Q1"] and t.rows == [2, 3] and not t.title_rows


# ------------------------------------------------------------------------------ init, validate, run
@pytest.fixture(scope="module")
def two_surveys(tmp_path_factory):
    from pledge_analysis.scaffold import format_report, init_project

    base = tmp_path_factory.mktemp("exports")
    files = [_workbook(base / "Breast_Patient_Survey.xlsx"), _surveymonkey(base / "SM_secondary.csv")]
    report = init_project(base / "proj", surveys=files, sheet="Responses")
    root = base / "proj"
    yaml = (root / "project.yaml").read_text(encoding="utf-8").replace("alliance: ''", "alliance: North Wales")
    (root / "project.yaml").write_text(yaml + "priorities: {resamples: 0}\n", encoding="utf-8")
    return report, format_report(report), root


def test_init_reads_both_exports_as_their_tools_wrote_them(two_surveys):
    report, text, root = two_surveys
    main, sm = report.surveys
    assert main.columns["respondent_id"] == "Response ID" and main.columns["site"] == "Hospital site"
    assert sm.columns["site"] == "Which hospital are you treated at?"  # a site asked as a question
    assert "Collector ID" in sm.ignored  # one value in every row: not a question
    assert "MUST FILL IN: no" not in text
    assert "the header is row 2" in text and "row 2 is a second header row" in text  # said, to be checked


def test_repeated_comments_are_comments_not_a_tick_box_question(two_surveys):
    """Three comments repeated over 12 rows were guessed a tick-box question: the comments were not coded and
    their words (a nurse's name among them) were copied into questions.yaml as answer options."""
    report, _text, root = two_surveys
    main = report.surveys[0]
    assert set(main.comments.values()) == {"What was good about your care?", "What could be better?"}
    assert GOOD[0] not in (root / "questions.yaml").read_text(encoding="utf-8")


def test_patient_surveys_asking_different_questions_are_one_project(two_surveys):
    """init said 'split them into separate projects' and validate refused both files (each lacked the other's
    question columns): the secondary patients' SurveyMonkey could not sit beside the main survey."""
    from pledge_analysis.pipeline import run_project
    from pledge_analysis.validate import validate_project

    report, text, root = two_surveys
    assert "separate projects" not in text
    v = validate_project(root)
    assert v.ok, v.problems
    result = run_project(root)
    asked = result.responses.groupby("question_id")["respondent_id"].nunique()
    sm_q = next(q.id for q in report.surveys[1].questions)
    assert asked[sm_q] == 10 and asked["Q1"] == 12  # each survey's answers scored, none refused


def test_a_survey_naming_a_question_that_does_not_exist_is_located(two_surveys, tmp_path):
    import shutil

    from pledge_analysis.validate import validate_project

    _report, _text, root = two_surveys
    copy = tmp_path / "proj"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("project.sqlite*", "out"))
    yaml = (copy / "project.yaml").read_text(encoding="utf-8")
    (copy / "project.yaml").write_text(yaml.replace("questions: [Q1, Q2]", "questions: [Q1, Q22]"), encoding="utf-8")
    v = validate_project(copy)
    found = [p for p in v.problems if "Q22" in str(p)]
    assert found and "surveys[0].questions" in str(found[0]) and "line" in str(found[0])
