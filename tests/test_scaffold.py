"""`pledge-analysis init` on a user's own files: what it guesses, writes, refuses and what then runs.

The user-like project below shares nothing with data_samples/: other headers ("Ref", "Trust
site", "Cohort"), other sites, agree/disagree statements, a cp1252 export with £ and é, a staff
pulse survey, and transcripts in a separate folder named like ``hospA_primary.txt``.
"""
from __future__ import annotations

import csv
import io
import os
import random
import subprocess
from pathlib import Path

import pytest

from conftest import EXTERNAL, ROOT
from pledge_analysis.cli import main
from pledge_analysis.io.detect import reading_of, site_codes
from pledge_analysis.io.yamlfile import load_yaml

FRAMEWORK = EXTERNAL / "pxtextmining" / "framework_v7_details.csv"
CLI = ROOT / ".venv" / "bin" / "pledge-analysis"
AGREE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
Q1 = "Q1 Overall, how would you rate your care? (0-10)"
Q2 = "Q2 Staff listened to me"
Q3 = "Q3 I was given enough information about my treatment"
Q4 = "Q4 Did you have a named nurse?"
Q5 = "Q5 How would you rate the waiting area?"
HOW = "How did you receive this survey?"
WELL, BETTER = "What went well?", "What could we do better?"
GOOD = ["The nurse listened to every worry I had.", "The café volunteers were lovely and calm.",
        "Parking cost me £2 but the clinic ran on time.", "My surgeon explained the operation clearly.",
        "The leaflet about side effects was really helpful.", "I was seen within two weeks of my referral.",
        "Reception staff were kind and patient with me.", "The support group put me in touch with others."]
BAD = ["I waited six weeks for my scan results.", "Nobody listened when I said the pain was worse.",
       "The information about side effects came far too late.", "There was a long delay in clinic, two hours.",
       "Phone calls to the team went unanswered for days.", "I had to repeat my story to every doctor.",
       "The waiting room was cramped with nowhere private.", "Letters arrived after the appointment date."]
TRANSCRIPT = """Facilitator: What stood out for you about your care?
P1: Honestly the wait. I waited weeks for results and nobody rang me back.
P2: The leaflet explained nothing about what happens after surgery.
Facilitator: Anything else you want to say?
P1: The breast care nurse listened to me, which helped a lot.
P3: I would have liked more support once the treatment finished.
"""
N_PATIENTS, N_STAFF = 56, 12  # 56 = 8 x 7 distinct pairs of sentences


def _csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def build_user_files(base: Path) -> dict:
    """Write the user's exports and transcripts under ``base``; return what a run should keep."""
    rng = random.Random(11)
    good = rng.sample([f"{a} {b}" for a in GOOD for b in GOOD if a != b], N_PATIENTS)
    bad = rng.sample([f"{a} {b}" for a in BAD for b in BAD if a != b], N_PATIENTS)
    rows, n_comments = [], 0
    for i in range(N_PATIENTS):
        well, better = (good[i] if i % 5 else ""), (bad[i] if i % 3 else "N/A")
        n_comments += bool(well) + (better != "N/A")
        rows.append({
            "Ref": f"R{1000 + i}", "Trust site": ["Hospital A", "Hospital B"][i % 2],
            "Cohort": ["Early breast cancer", "Metastatic"][(i // 2) % 2], "Age group": rng.choice(["35-54", "55-74"]),
            "Gender": rng.choice(["Female", "Male"]), "Date returned": f"2027-0{1 + i % 6}-{10 + i % 18}",
            Q1: str(rng.randint(3, 10)), Q2: rng.choice(AGREE), Q3: rng.choice(AGREE[:4]),
            Q4: rng.choice(["Yes", "Yes", "No", "Don't know"]), Q5: rng.choice(["Very good", "Good", "Poor", "Very poor"]),
            HOW: rng.choice(["Post", "Email", "In clinic"]), WELL: well, BETTER: better,
            "Email address": f"patient{i}@example.org",
        })
    rows.append(dict(rows[0]))  # a duplicate Ref: set aside, not kept
    exports = base / "exports"
    exports.mkdir()
    (exports / "patient_feedback.csv").write_bytes(_csv(rows).encode("cp1252"))
    staff = [{"Staff number": f"S{i:02d}", "Hospital": ["Hospital A", "Hospital B"][i % 2],
              "Job role": rng.choice(["Breast care nurse", "Surgeon", "Radiographer"]),
              "My team has time to support patients": rng.choice(AGREE),
              "Any suggestions?": f"Suggestion {i}: more clinic slots and a quiet room for bad news."}
             for i in range(N_STAFF)]
    (exports / "staff_pulse.csv").write_text("\ufeff" + _csv(staff), encoding="utf-8")
    groups = base / "focus_groups"
    groups.mkdir()
    for name in ("hospA_primary.txt", "hospB_metastatic.txt"):
        (groups / name).write_text(TRANSCRIPT, encoding="utf-8")
    turns = 2 * len(TRANSCRIPT.strip().splitlines())
    return {"exports": exports, "groups": groups, "respondents": N_PATIENTS + N_STAFF,
            "segments": n_comments + N_STAFF + turns}


@pytest.fixture()
def user(tmp_path):
    files = build_user_files(tmp_path)
    files["surveys"] = [files["exports"] / "patient_feedback.csv", files["exports"] / "staff_pulse.csv"]
    files["project"] = tmp_path / "my_project"
    return files


def init_args(user, *extra) -> list[str]:
    return ["init", str(user["project"]), "--survey", *map(str, user["surveys"]),
            "--transcripts", str(user["groups"]), *extra]


def by_id(questions: list[dict]) -> dict:
    return {q["id"]: q for q in questions}


def test_init_guesses_a_users_project_and_it_runs(user, capsys):
    from pledge_analysis.config import ProjectConfig
    from pledge_analysis.io.surveys import load_questions
    from pledge_analysis.pipeline import run_project

    assert main(init_args(user)) == 0
    printed = capsys.readouterr().out
    p = user["project"]
    project, questions = load_yaml(p / "project.yaml"), load_yaml(p / "questions.yaml")["questions"]
    assert project["sites"] == {"HA": {"name": "Hospital A", "alliance": ""}, "HB": {"name": "Hospital B", "alliance": ""}}
    patients, staff = project["surveys"]
    assert patients["files"] == ["survey/patient_feedback.csv"]
    assert (p / "survey" / "patient_feedback.csv").read_bytes() == user["surveys"][0].read_bytes()  # cp1252 kept
    assert patients["columns"] == {"respondent_id": "Ref", "site": "Trust site", "group": "Cohort",
                                   "age_band": "Age group", "sex": "Gender", "completed": "Date returned"}
    assert patients["values"] == {"group": {"Early breast cancer": "primary", "Metastatic": "secondary"}}
    assert sorted(patients["comments"].values()) == [BETTER, WELL]
    assert "Email address" not in str(project) and "'Email address' (looks like personal data" in printed
    assert staff["group"] == "staff" and staff["columns"] == {"respondent_id": "Staff number", "site": "Hospital",
                                                              "role": "Job role"}
    assert list(staff["comments"].values()) == ["Any suggestions?"]
    assert project["transcripts"] == [
        {"path": "transcripts/hospA_primary.txt", "site": "HA", "group": "primary"},
        {"path": "transcripts/hospB_metastatic.txt", "site": "HB", "group": "secondary"}]
    assert project["allow_paths_outside"] is False and project["groups"] == ["primary", "secondary", "staff"]

    q = by_id(questions)
    assert q["Q1"] == {"id": "Q1", "column": Q1, "text": Q1[3:], "kind": "rating", "min": 0, "max": 10,
                       "respondents": "patient"}
    assert q["Q2"]["options"] == AGREE and q["Q2"]["positive"] == AGREE[:2] and q["Q2"]["negative"] == AGREE[3:]
    assert q["Q3"]["options"] == AGREE  # the full scale, though nobody strongly disagreed
    assert (q["Q4"]["options"], q["Q4"]["positive"], q["Q4"]["negative"]) == (["Yes", "No", "Don't know"], ["Yes"], ["No"])
    assert q["Q5"]["options"] == ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"]
    assert q["Q5"]["positive"] == ["Very good", "Good"] and q["Q5"]["negative"] == ["Poor", "Very poor"]
    unknown = next(x for x in questions if x["column"] == HOW)
    assert unknown["positive"] == [] and unknown["negative"] == []
    text = (p / "questions.yaml").read_text(encoding="utf-8")
    # each free-text question with the polarity its wording suggests, for the sentiment model
    free = {f["text"]: f["polarity"] for f in load_yaml(p / "questions.yaml")["free_text"]}
    assert free == {WELL: "positive_prompt", BETTER: "negative_prompt", "Any suggestions?": "neutral"}
    assert text.count("to be confirmed") == len(questions) + len(free) == 10 and "MUST FILL IN" in text
    assert next(x for x in questions if x["respondents"] == "staff")["options"] == AGREE
    for line in ("questions.yaml: fill in positive/negative where it says MUST FILL IN",
                 "fill in each alliance", "question Q2 (categorical, to be confirmed)"):
        assert line in printed
    # the starter codebook keeps only survey items that name a question of this project
    codebook = load_yaml(p / "codebook.yaml")["codes"]
    assert {i for c in codebook for i in c.get("survey_items", [])} <= set(q)
    assert "survey_items" in printed and "link your questions" in printed

    cfg = ProjectConfig.load(p)
    assert [s.name for s in cfg.surveys] == ["patient survey", "staff survey"] and len(cfg.transcripts) == 2
    assert len(load_questions(p / "questions.yaml")) == 7
    result = run_project(p)
    rows = result.run_log["rows"]
    assert rows["respondents_kept"] == user["respondents"]
    assert rows["segments_kept"] == user["segments"]
    assert "£2" in " ".join(result.segments["text"]) and "café" in " ".join(result.segments["text"])


def test_init_never_overwrites_without_force(user, capsys):
    assert main(init_args(user)) == 0
    p = user["project"]
    (p / "project.yaml").write_text((p / "project.yaml").read_text() + "# my edits\n")
    before = {n: (p / n).read_bytes() for n in ("project.yaml", "questions.yaml", "codebook.yaml")}
    capsys.readouterr()
    assert main(init_args(user)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "already holds project.yaml, questions.yaml, codebook.yaml" in err
    assert "--force" in err and "Traceback" not in err
    assert {n: (p / n).read_bytes() for n in before} == before
    assert main(init_args(user, "--force")) == 0
    assert "# my edits" not in (p / "project.yaml").read_text()


def test_init_then_validate_through_the_installed_command(user):
    if not CLI.exists():
        pytest.skip("no .venv/bin/pledge-analysis")
    proc = subprocess.run([str(CLI), *init_args(user, "--no-copy")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "You must check:" in proc.stdout
    project = load_yaml(user["project"] / "project.yaml")
    assert project["allow_paths_outside"] is True
    assert project["surveys"][0]["files"] == ["../exports/patient_feedback.csv"]
    assert project["transcripts"][0]["path"] == "../focus_groups/hospA_primary.txt"
    assert not (user["project"] / "survey").exists()
    if "validate" not in subprocess.run([str(CLI), "--help"], capture_output=True, text=True).stdout:
        pytest.skip("no validate command yet")
    proc = subprocess.run([str(CLI), "validate", str(user["project"])], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_clear_errors(user, capsys, monkeypatch):
    monkeypatch.delenv("PLEDGE_NHS_FRAMEWORK", raising=False)
    cases = [
        (init_args(user, "--codebook", "nhs-framework"), "pxtextmining"),
        (init_args(user, "--codebook", "no_such_codebook.yaml"), "service-pledge or nhs-framework"),
        (["init", str(user["project"]), "--survey", "missing.csv"], "survey file not found"),
        (["init", str(user["project"])], "needs survey files"),
    ]
    for args, message in cases:
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and message in err, err
    assert not user["project"].exists()  # nothing written before every input was read


@pytest.mark.skipif(not FRAMEWORK.exists(), reason="NHS framework v7 CSV not in ../shared/external")
def test_nhs_framework_codebook(user, monkeypatch, capsys):
    from pledge_analysis.coding.codebook import read_codebook

    monkeypatch.setenv("PLEDGE_NHS_FRAMEWORK", str(FRAMEWORK))
    assert main(init_args(user, "--codebook", "nhs-framework")) == 0
    cb = read_codebook(user["project"] / "codebook.yaml")
    themes = set(cb.loc[cb["parent_id"].isna(), "code_id"])
    assert "general" in themes and len(cb) > 20
    out = capsys.readouterr().out
    assert "NHS patient feedback framework v7" in out and "no keywords" in out


def test_own_codebook_yaml_and_xlsx(user, tmp_path, capsys):
    from pledge_analysis.coding.codebook import codebook_from_records, read_codebook
    from pledge_analysis.coding.codebook_ops import write_codebook_xlsx

    mine = tmp_path / "our_codes.yaml"
    mine.write_text("# our codebook\ncodes:\n  - {id: waits, name: Waiting, keywords: [wait], survey_items: [Q5, Q99]}\n"
                    "  - {id: info, name: Information, keywords: [leaflet]}\n", encoding="utf-8")
    assert main(init_args(user, "--codebook", str(mine))) == 0
    cb = read_codebook(user["project"] / "codebook.yaml")
    assert list(cb["code_id"]) == ["waits", "info"] and cb.loc[0, "survey_items"] == ["Q5"]
    assert "survey_items ['Q99'] name no question" in capsys.readouterr().out
    book = tmp_path / "codes.xlsx"
    write_codebook_xlsx(codebook_from_records([{"id": "care", "name": "Care", "keywords": ["kind"]}]), book)
    assert main(init_args(user, "--codebook", str(book), "--force")) == 0
    assert list(read_codebook(user["project"] / "codebook.yaml")["code_id"]) == ["care"]


def test_scale_readings_and_site_codes():
    r = reading_of(["Yes, definitely", "No", "I did not need an explanation", "Yes, definitely"])
    assert r["options"] == ["Yes, definitely", "Yes, to some extent", "No", "I did not need an explanation"]
    assert (r["positive"], r["negative"]) == (["Yes, definitely"], ["Yes, to some extent", "No"])
    r = reading_of(["It was a little too long", "It was about right", "Not applicable"])
    assert r["positive"] == ["It was about right"] and "Not applicable" not in r["positive"] + r["negative"]
    assert reading_of(["Always", "Never", "Sometimes"])["negative"] == ["Sometimes", "Rarely", "Never"]
    assert reading_of(["Red", "Blue"])["positive"] is None  # unknown scale: the user fills it in
    assert site_codes(["Northgate University Hospital", "RGH", "St Aidan's Hospital", "Northgate Urgent Hub"]) == {
        "Northgate University Hospital": "NUH", "RGH": "RGH", "St Aidan's Hospital": "SAH",
        "Northgate Urgent Hub": "NUH2"}


def test_init_takes_a_microsoft_forms_completion_time_over_its_start_time(tmp_path, capsys):
    """Microsoft Forms writes Start time, then Completion time: init took the first as the completion date
    (a form started before midnight and sent after it was dated the day before)."""
    rows = [{"ID": str(i + 1), "Start time": f"{1 + i}/04/2025 23:5{i % 10}:00", "Completion time":
             f"{2 + i}/04/2025 00:0{i % 10}:00", "Email": "anonymous", "Name": "", "Last modified time": "",
             "Which hospital do you attend?": ["Glan Clwyd", "Wrexham Maelor"][i % 2],
             "Which best describes your diagnosis?": ["Primary breast cancer", "Secondary breast cancer"][i % 3 == 0],
             "What could we improve?": "The wait was long."} for i in range(20)]
    (tmp_path / "forms.csv").write_text(_csv(rows), encoding="utf-8")
    assert main(["init", str(tmp_path / "p"), "--survey", str(tmp_path / "forms.csv")]) == 0
    printed = capsys.readouterr().out
    cfg = load_yaml(tmp_path / "p" / "project.yaml")
    assert cfg["surveys"][0]["columns"]["completed"] == "Completion time"
    assert "'Start time' (also looks like a completed column; 'Completion time' was used" in printed


def test_init_reads_google_forms_timestamps_with_pm_and_gmt(tmp_path, capsys):
    """'3/13/2025 2:05:07 PM GMT' (Google Forms, US locale) was not a date: no completion column was guessed."""
    rows = [{"Timestamp": f"{1 + i % 12}/{13 + i % 15}/2025 {1 + i % 12}:05:07 {'AP'[i % 2]}M GMT",
             "Which hospital are you treated at?": ["Glan Clwyd", "Wrexham Maelor"][i % 2],
             "Are you being treated for primary or secondary breast cancer?": ["Primary", "Secondary"][i % 3 == 0],
             "Is there anything else you would like to tell us?": "The wait was long."} for i in range(20)]
    (tmp_path / "google.csv").write_text(_csv(rows), encoding="utf-8")
    assert main(["init", str(tmp_path / "p"), "--survey", str(tmp_path / "google.csv")]) == 0
    printed = capsys.readouterr().out
    assert load_yaml(tmp_path / "p" / "project.yaml")["surveys"][0]["columns"]["completed"] == "Timestamp"
    assert "are month first, as US exports" in printed


def test_init_never_copies_identifiers_into_questions_yaml(tmp_path, capsys):
    """A small survey whose few comments repeat word for word looked like a tick-box question: init wrote its
    answers, a phone number and a doctor's name among them, into questions.yaml as answer options and printed
    them. A column whose values hold identifiers is free text: it is read as comments (and de-identified)."""
    said = ["Call me on 07700 900123 about my letters", "Nothing, Dr Patel was great", "Waited 3 hours in clinic",
            "Parking was awful"]
    rows = [{"Respondent": str(i + 1), "Hospital": ["Glan Clwyd", "Wrexham Maelor"][i % 2],
             "Diagnosis": ["Primary", "Secondary"][i % 3 == 0], "Did staff listen to you?": ["Yes", "No"][i % 4 == 0],
             "Anything we could improve?": said[i % 4]} for i in range(24)]
    (tmp_path / "small.csv").write_text(_csv(rows), encoding="utf-8")
    assert main(["init", str(tmp_path / "p"), "--survey", str(tmp_path / "small.csv")]) == 0
    printed = capsys.readouterr().out
    written = (tmp_path / "p" / "questions.yaml").read_text(encoding="utf-8")
    for identifier in ("07700 900123", "Patel"):
        assert identifier not in written and identifier not in printed
    comments = load_yaml(tmp_path / "p" / "project.yaml")["surveys"][0]["comments"]
    assert "Anything we could improve?" in comments.values()
    assert "'Anything we could improve?'" in printed and "names or numbers" in printed
