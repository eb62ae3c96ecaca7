"""Silent wrong results on a user's own survey files (session 8, a new-user trial): Likert answers exported as
numbers 1-5 read as a score, the same question given two ids in two surveys, a question reworded between
rounds compared as if unchanged, and the exports of Microsoft Forms and Google Forms. Each test builds the
user's files in tmp_path (synthetic answers, no real patient) and goes through the real command line
(`pledge-analysis init / validate / run`) where the user would."""
from __future__ import annotations

import csv
import warnings

import pytest

from pledge_analysis.cli import main

LIKERT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
GOOD = ["My breast care nurse was brilliant, always rang me back the same day",
        "The consultant took time to explain everything and drew me a diagram"]
BAD = ["Waited 3 hours in clinic with no explanation, nobody told us anything",
       "I had to chase my scan results myself, I rang six times"]


def _csv(path, header, rows, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding=encoding) as f:
        csv.writer(f).writerows([header] + rows)
    return path


def _finish(root, alliance="North Wales"):
    """What a user does after init: fill in the alliances (and, in tests, no rank intervals: fast)."""
    text = (root / "project.yaml").read_text(encoding="utf-8").replace("alliance: ''", f"alliance: {alliance}")
    (root / "project.yaml").write_text(text + "priorities: {resamples: 0}\n", encoding="utf-8")


def _likert_rows(n=30):
    """Codes 1-5: respondent i answers Q1 with 1 + i % 5 (so 12 of 30 agree: codes 4 and 5)."""
    return [[f"P{i + 1:03d}", ["Glan Clwyd", "Wrexham Maelor"][i % 2], ["Primary", "Secondary"][i % 3 == 0],
             str(1 + i % 5), str(1 + (i * 2) % 5), str(i % 11), GOOD[i % 2], BAD[i % 2]] for i in range(n)]


HEADER = ["Response ID", "Hospital site", "Diagnosis", "Q1 Staff explained things clearly (1 = Strongly disagree, "
          "5 = Strongly agree)", "Q2 I knew who to call", "Overall, how would you rate your care? (0-10)",
          "What was good about your care?", "What could be better?"]


# ------------------------------------------------------------------------------ 1. Likert answers as numbers
@pytest.fixture(scope="module")
def likert_project(tmp_path_factory):
    base = tmp_path_factory.mktemp("likert")
    survey = _csv(base / "files" / "survey.csv", HEADER, _likert_rows())
    assert main(["init", str(base / "proj"), "--survey", str(survey)]) == 0
    _finish(base / "proj")
    return base / "proj"


def test_numbers_with_a_legend_in_the_header_are_read_as_the_likert_scale(likert_project, capsys):
    """'Q1 ... (1 = Strongly disagree, 5 = Strongly agree)' answered 1-5 was written as `kind: rating, min: 1,
    max: 5` and scored as a mean of 1-5: never the % agreeing that the legend means. Now init reads it as the
    5-point agree/disagree scale: labels map each number to its words, 4 and 5 are positive."""
    from pledge_analysis.io.surveys import load_questions
    from pledge_analysis.pipeline import run_project

    q = load_questions(likert_project / "questions.yaml").set_index("question_id")
    assert q.loc["Q1", "kind"] == "categorical"
    assert q.loc["Q1", "labels"] == {str(i + 1): w for i, w in enumerate(LIKERT)}
    assert q.loc["Q1", "positive"] == ["Strongly agree", "Agree"]
    assert q.loc["Q1", "negative"] == ["Disagree", "Strongly disagree"]
    assert q.loc["overall_rate_care", "kind"] == "rating"  # a 0-10 rating stays a rating
    # Q2 (1-5, no legend anywhere, a statement): validate asks, with the file, column and lines to add
    assert main(["validate", str(likert_project)]) == 2
    err = capsys.readouterr().err
    assert "Q2 is read as a rating from 1 to 5" in err and "survey/survey.csv, column 'Q2 I knew who to call'" in err
    assert "PA216 " in err  # its own code in the error catalogue (docs/errors.md#pa216)
    assert "labels: {1: WORDS, 2: WORDS" in err and "likert: false" in err and "questions.yaml, line" in err
    assert "Q1 is read" not in err and "overall_rate_care" not in err
    # the user says Q2 is a score after all: validate stops asking, and the run scores Q1 as % agreeing
    text = (likert_project / "questions.yaml").read_text(encoding="utf-8")
    at = text.index("column: Q2 I knew who to call")
    text = text[:at] + "likert: false\n    " + text[at:]
    (likert_project / "questions.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", str(likert_project)]) == 0
    result = run_project(likert_project)
    q1 = result.scores[(result.scores["question_id"] == "Q1") & (result.scores["site"] == "all")
                       & (result.scores["group"] == "all")].iloc[0]
    assert q1["kind"] == "proportion" and (q1["positives"], q1["n"]) == (12, 24)  # 3s (neither) excluded
    assert set(result.responses.loc[result.responses["question_id"] == "Q1", "value"]) == set(LIKERT)


def test_a_key_sheet_names_the_codes_of_a_workbook(tmp_path):
    """A workbook whose 'Key' sheet says 1 = Very dissatisfied ... 5 = Very satisfied: every code is named."""
    from openpyxl import Workbook

    from pledge_analysis.io.surveys import load_questions

    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.append(["Response ID", "Hospital site", "Diagnosis", "Q4 Your care overall", "What could be better?"])
    for r in _likert_rows(20):
        ws.append([r[0], r[1], r[2], int(r[3]), r[7]])
    key = wb.create_sheet("Key")
    words = ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"]
    for row in [["Code", "Meaning"]] + [[i + 1, w] for i, w in enumerate(words)]:
        key.append(row)
    wb.save(tmp_path / "survey.xlsx")
    assert main(["init", str(tmp_path / "p"), "--survey", str(tmp_path / "survey.xlsx"), "--sheet", "Responses"]) == 0
    q = load_questions(tmp_path / "p" / "questions.yaml").set_index("question_id").loc["Q4"]
    assert q["kind"] == "categorical" and q["labels"]["5"] == "Very satisfied" and q["labels"]["1"] == words[0]
    assert q["positive"] == ["Very satisfied", "Satisfied"]
    _finish(tmp_path / "p")
    assert main(["validate", str(tmp_path / "p")]) == 0


def test_a_legend_that_does_not_settle_the_scale_is_asked_not_guessed(tmp_path, capsys):
    """'1 = Never, 7 = Every day': no known 7-point scale has those words, so init keeps the rating and says so,
    and validate asks with the words it found."""
    header = ["Response ID", "Hospital site", "Diagnosis", "Q5 How often did you feel anxious? (1 = Never, "
              "7 = Every day)", "What could be better?"]
    rows = [[r[0], r[1], r[2], str(1 + i % 7), r[7]] for i, r in enumerate(_likert_rows(21))]
    survey = _csv(tmp_path / "s.csv", header, rows)
    assert main(["init", str(tmp_path / "p"), "--survey", str(survey)]) == 0
    assert "MUST CHECK: numbers 1-7 may be a Likert scale" in capsys.readouterr().out
    _finish(tmp_path / "p")
    assert main(["validate", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    assert "the file gives a legend (1 = Never, 7 = Every day, in the header)" in err
    assert "labels: {1: Never, 2: WORDS" in err and "7: Every day}" in err


def test_labels_in_questions_yaml_read_excel_numbers(tmp_path):
    """Numbers as Excel writes them ('5.0') are read through labels:; a number without a label is set aside."""
    from pledge_analysis.io import read_survey
    from pledge_analysis.io.surveys import load_questions

    (tmp_path / "q.yaml").write_text(
        "questions:\n  - id: Q1\n    labels: {1: 'No', 2: 'Yes'}\n    options: ['Yes', 'No']\n"
        "    positive: ['Yes']\n    negative: ['No']\n", encoding="utf-8")
    p = _csv(tmp_path / "s.csv", ["id", "site", "group", "Q1"],
             [["1", "A", "primary", "2.0"], ["2", "A", "primary", "1"], ["3", "A", "primary", "3"]])
    got = read_survey(p, columns={"respondent_id": "id", "site": "site", "group": "group"},
                      questions=load_questions(tmp_path / "q.yaml"))
    assert got.responses["value"].tolist() == ["Yes", "No"]
    assert got.set_aside[["row", "value"]].values.tolist() == [[4, "3"]]
    (tmp_path / "q.yaml").write_text("questions:\n  - id: Q1\n    kind: rating\n    labels: {1: 'No'}\n",
                                     encoding="utf-8")
    from pledge_analysis.errors import ProjectFileError

    with pytest.raises(ProjectFileError, match="labels: .* is for a categorical question"):
        load_questions(tmp_path / "q.yaml")


# ------------------------------------------------------------------------------ 2. one question, one id
def test_the_same_question_in_a_patient_and_a_staff_survey_has_one_id(tmp_path, capsys):
    """init gave 'Q3. Did staff listen to you?' (patients) and 'Q7 did staff listen to you' (staff) the ids Q3
    and Q7: never compared. Same wording (case, punctuation, spaces aside): one id, asked of all; a nearly
    identical wording is listed to confirm, not merged."""
    from pledge_analysis.io.surveys import load_questions
    from pledge_analysis.pipeline import run_project

    yes = ["Yes, always", "Yes, sometimes", "No"]
    patients = _csv(tmp_path / "files" / "patients.csv",
                    ["Ref", "Hospital", "Cohort", "Q3. Did staff listen to you?",
                     "Q4 Were you given enough information about your treatment?", "What could be better?"],
                    [[f"P{i}", "Glan Clwyd", "Primary", yes[i % 3], ["Yes", "No"][i % 2], BAD[i % 2]]
                     for i in range(24)])
    staff = _csv(tmp_path / "files" / "staff_survey.csv",
                 ["Ref", "Hospital", "Job role", "Q7 did staff listen to you", "Q8 Were patients given enough "
                  "information about their treatment?", "What could be better?"],
                 [[f"S{i}", "Glan Clwyd", ["Nurse", "Doctor"][i % 2], yes[i % 3], ["Yes", "No"][i % 2], BAD[i % 2]]
                  for i in range(22)])
    assert main(["init", str(tmp_path / "p"), "--survey", str(patients), str(staff)]) == 0
    out = capsys.readouterr().out
    q = load_questions(tmp_path / "p" / "questions.yaml").set_index("question_id")
    assert "Q7" not in q.index and q.loc["Q3", "respondents"] == "all"
    assert q.loc["Q3", "other_columns"] == ["Q7 did staff listen to you"]
    assert {"Q4", "Q8"} <= set(q.index)  # nearly the same wording: two questions, listed for the user
    assert "questions Q4 (patient survey: 'Were you given enough information about your treatment?') and Q8 " \
           "(staff survey" in out and "are worded nearly the same" in out
    _finish(tmp_path / "p")
    assert main(["validate", str(tmp_path / "p")]) == 0
    result = run_project(tmp_path / "p")
    q3 = result.scores[(result.scores["question_id"] == "Q3") & (result.scores["site"] == "all")].set_index("group")
    assert q3.loc["staff", "n"] == 22 and q3.loc["primary", "n"] == 24  # both surveys, one question: compared


# ------------------------------------------------------------------------------ 3. a question reworded between rounds
@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory):
    """Round 1 asks 'Staff listened to me'; round 2 the same id with another question ('Staff had time to talk
    to me'), a rewording that goal progress compared by id alone."""
    from userlike import QUESTIONS_YAML, write_project

    from pledge_analysis.pipeline import run_project

    base = tmp_path_factory.mktemp("rounds")
    r1 = run_project(write_project(base / "r1", resamples=0))
    reworded = QUESTIONS_YAML.replace("    text: Staff listened to me\n", "    text: Staff had time to talk to me\n")
    root2 = write_project(base / "r2", seed=5, questions_yaml=reworded, resamples=0)
    return r1, run_project(root2), root2


def test_goal_progress_leaves_out_a_reworded_question_and_says_so(two_rounds, caplog):
    import dataclasses

    import pandas as pd

    from pledge_analysis.io.surveys import load_questions
    from pledge_analysis.rounds import goal_progress

    r1, r2, root2 = two_rounds
    goal = pd.DataFrame([{"goal_id": "G1", "scope": "all", "theme": "listening", "by": "", "status": "ongoing"}])
    with pytest.warns(UserWarning, match="listened is left out of the comparison between rounds: its question was "
                                         "reworded \\('Staff listened to me' before, 'Staff had time to talk to me' "
                                         "after\\)"):
        gp = goal_progress(goal, r1.codebook, r1, r2)
    assert "listened % positive" not in set(gp["measure"]) and "comment negativity" in set(gp["measure"])
    assert [x["question_id"] for x in gp.attrs["left_out"]] == ["listened"]
    assert "same_question_as: ['Staff listened to me']" in caplog.text
    # the same wording again (case and punctuation aside) is the same question: compared, no warning
    same = dataclasses.replace(r2, questions=r2.questions.assign(text="staff listened to me."))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "listened % positive" in set(goal_progress(goal, r1.codebook, r1, same)["measure"])
    # the user declares the two wordings the same question in round 2's questions.yaml: compared again
    text = (root2 / "questions.yaml").read_text(encoding="utf-8")
    (root2 / "questions.yaml").write_text(text.replace(
        "    text: Staff had time to talk to me\n",
        "    text: Staff had time to talk to me\n    same_question_as: Staff listened to me\n"), encoding="utf-8")
    declared = dataclasses.replace(r2, questions=load_questions(root2 / "questions.yaml"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = goal_progress(goal, r1.codebook, r1, declared).set_index("measure").loc["listened % positive"]
    assert 0 < row["before"] < 1 and 0 < row["after"] < 1


# ------------------------------------------------------------------------------ 4. Microsoft Forms and Google Forms
PEOPLE = ["Alice Jones", "Bob Smith", "", "Carol White"]


def _ms_forms(path, n=24):
    """A Microsoft Forms XLSX export: ID, Start time, Completion time, Email, Name (identifiers), Last modified
    time, then the questions; times are Excel datetimes; a multi-choice question is 'A;B;' in one cell."""
    import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
               "Which hospital do you attend?", "Which best describes your diagnosis?",
               "Did staff treat you with dignity and respect?", "Which treatments have you had?", "What went well?",
               "What could we improve?"])
    for i in range(n):
        t = datetime.datetime(2025, 3, 1 + i, 10, 2, 11)
        ws.append([i + 1, t, t + datetime.timedelta(minutes=7),
                   "anonymous" if i % 4 == 2 else f"patient{i}@example.org", PEOPLE[i % 4], None,
                   ["Glan Clwyd", "Wrexham Maelor"][i % 2], ["Primary breast cancer", "Secondary breast cancer"][i % 3 == 0],
                   ["Yes, always", "Yes, sometimes", "No"][i % 3],
                   ["Surgery;Chemotherapy;", "Surgery;", "Radiotherapy;Surgery;"][i % 3], GOOD[i % 2], BAD[i % 2]])
    wb.save(path)
    return path


def _google_forms(path, n=22):
    """A Google Forms CSV (US locale): Timestamp month first, no respondent id, the email collected, questions
    as headers, a checkbox question's answers joined by ', '."""
    rows = [[f"{i % 12 + 1}/{13 + i % 15}/2025 14:{i:02d}:05" if i % 2 else f"{i % 12 + 1}/{1 + i % 12}/2025 9:{i:02d}:00",
             f"p{i}@gmail.com", ["Glan Clwyd", "Wrexham Maelor"][i % 2], ["Primary", "Secondary"][i % 3 == 0],
             ["Very good", "Good", "Poor", "Very poor"][i % 4],
             ["Helpline, Support group", "Helpline", "Support group, Counselling, Helpline"][i % 3],
             BAD[i % 2] + ". " + GOOD[(i + 1) % 2]] for i in range(n)]
    return _csv(path, ["Timestamp", "Email Address", "Which hospital are you treated at?",
                       "Are you being treated for primary or secondary breast cancer?",
                       "How would you rate the information you were given?", "Which of these services did you use?",
                       "Is there anything else you would like to tell us?"], rows)


@pytest.fixture(scope="module")
def forms_project(tmp_path_factory):
    """init, validate and run through the command line on a Microsoft Forms and a Google Forms export."""
    import contextlib
    import io

    base = tmp_path_factory.mktemp("forms")
    (base / "files").mkdir()
    files = [_ms_forms(base / "files" / "Patient feedback(1-24).xlsx"),
             _google_forms(base / "files" / "Breast care survey (Responses) - Form responses 1.csv")]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["init", str(base / "p"), "--survey", *map(str, files)]) == 0
        _finish(base / "p")
        assert main(["validate", str(base / "p")]) == 0
        assert main(["run", str(base / "p"), "--out", str(base / "p" / "out")]) == 0
    return base / "p", printed.getvalue()


def test_forms_identifiers_are_never_read_or_shown(forms_project):
    """Email and Name (Microsoft Forms) and Email Address (Google Forms) are identifiers: not read, so in no
    output, also inside the workbooks, documents and the REFI-QDA archive."""
    import zipfile

    root, printed = forms_project
    assert "not read: 'Email' (looks like personal data" in printed and "not read: 'Name'" in printed
    assert "not read: 'Email Address' (looks like personal data" in printed
    secrets = ["@example.org", "@gmail.com"] + [p for p in PEOPLE if p]
    for path in (root / "out").rglob("*"):
        if not path.is_file():
            continue
        blobs = ([zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()]
                 if zipfile.is_zipfile(path) else [path.read_bytes()])
        for blob in blobs:
            text = blob.decode("utf-8", "ignore")
            assert not any(s in text for s in secrets), path
    for text in [(root / "project.yaml").read_text(encoding="utf-8"), (root / "questions.yaml").read_text(encoding="utf-8")]:
        assert not any(s in text for s in secrets)


def test_forms_exports_are_read_right(forms_project):
    """What broke silently: a multi-select cell ('Surgery;Chemotherapy;', 'Helpline, Support group') became
    answer options of a tick-box question; Google's month-first Timestamp ('3/4/2025') was read day first (4
    March as 3 April) and the rest set aside; Google Forms has no id column (init wrote CHANGE_ME); 'Is there
    anything else you would like to tell us?' was guessed a positive prompt ('like')."""
    from pledge_analysis.io.surveys import load_questions

    root, printed = forms_project
    q = load_questions(root / "questions.yaml")
    assert set(q["question_id"]) == {"staff_treat_dignity", "rate_information_given"}
    assert "not read: 'Which treatments have you had?' (a tick-all question (several answers joined by ';'" in printed
    assert "not read: 'Which of these services did you use?' (a tick-all question (several answers joined by ', '" in printed
    assert "are month first, as US exports" in printed and "respondent_id: (row)" in printed
    assert "there_anything_else" in (root / "questions.yaml").read_text(encoding="utf-8").split("polarity: neutral")[0]
    import pandas as pd

    out = root / "out"
    seg = pd.read_csv(out / "segments.csv", dtype=str, keep_default_na=False)
    seg = seg[seg["source_type"] == "survey"]
    google = seg[seg["source_id"].str.endswith(".csv")].drop_duplicates("respondent_id")
    assert len(google) == 22 and google["respondent_id"].str.match(r"r[0-9a-f]{6}-\d+$").all()
    month_first = [f"2025-{i % 12 + 1:02d}-{(13 + i % 15) if i % 2 else (1 + i % 12):02d}" for i in range(22)]
    assert sorted(google["timestamp"]) == sorted(month_first)  # '1/13/2025' and '3/4/2025' alike: month first
    ms = seg[seg["source_id"].str.endswith(".xlsx")].drop_duplicates("respondent_id")
    assert len(ms) == 24 and ms["timestamp"].min() == "2025-03-01" and ms["timestamp"].max() == "2025-03-24"
    assert pd.read_csv(out / "set_aside.csv").empty  # every row, answer and date read
    scores = pd.read_csv(out / "survey_scores.csv")
    all_ = scores[(scores["site"] == "all") & (scores["group"] == "all")].set_index("question_id")
    assert all_.loc["staff_treat_dignity", "positives"] == 8 and all_.loc["rate_information_given", "n"] == 22
