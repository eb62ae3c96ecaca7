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


def test_an_edited_goal_whose_code_was_merged_away_is_listed_and_not_drafted_twice(tmp_path, capsys):
    """A co-design group edited the hospital's goal on scan waits (code waiting.scan); the researcher then merged
    waiting.scan into waiting in codebook.yaml and ran again. The edited goal was kept, still naming the code
    that had left the codebook, with nothing said, and the run drafted a second goal on waiting for the same
    hospital beside it (the edited goal covered only its own, vanished, code)."""
    import json

    from userlike import CODEBOOK_YAML, edit, write_project

    from pledge_analysis.cli import main
    from pledge_analysis.project import Project

    codebook = CODEBOOK_YAML.replace("    keywords: [wait, waited, delay, weeks]\n",
                                     "    keywords: [wait, waited, delay, weeks]\n  - id: waiting.scan\n"
                                     "    name: Waiting for scans\n    parent: waiting\n    keywords: [scan]\n")
    project = write_project(tmp_path / "hillside", codebook_yaml=codebook)
    assert main(["run", str(project), "--out", str(tmp_path / "out1"), "--quiet"]) == 0
    store = project / "project.sqlite"
    with Project.open(store) as p:
        plan = p.action_plan()
        hsh = plan.index[(plan["scope"] == "HSH") & (plan["theme"] == "waiting")][0]
        goal = plan.at[hsh, "goal_id"]
        plan.loc[hsh, ["we_plan_to", "status", "code_id"]] = ["Scan results by phone within a week", "ongoing",
                                                            "waiting.scan"]
        p.save_action_plan(plan, actor="co-design group")
    edit(project / "codebook.yaml", "    keywords: [wait, waited, delay, weeks]\n  - id: waiting.scan\n"
         "    name: Waiting for scans\n    parent: waiting\n    keywords: [scan]\n",
         "    keywords: [wait, waited, delay, weeks, scan]\n")
    capsys.readouterr()
    assert main(["run", str(project), "--out", str(tmp_path / "out2")]) == 0
    said = capsys.readouterr().out
    with Project.open(store) as p:
        plan = p.action_plan()
    mine = plan[plan["goal_id"] == goal].iloc[0]
    assert (mine["we_plan_to"], mine["status"], mine["origin"]) == ("Scan results by phone within a week",
                                                                    "ongoing", "edited")
    assert ((plan["scope"] == "HSH") & (plan["theme"] == "waiting")).sum() == 1, plan[["goal_id", "scope", "theme",
                                                                                        "code_id", "origin"]]
    log = json.loads((tmp_path / "out2" / "run_log.json").read_text(encoding="utf-8"))
    assert log["store_update"]["plan"]["edited_goals_without_code"] == [
        {"goal_id": goal, "scope": "HSH", "code_id": "waiting.scan"}]
    assert f"{goal} (HSH): 'waiting.scan'" in said and "no longer in the codebook" in said
    # the person gives the goal a code of the codebook (only the code changes): stored, and no longer listed
    with Project.open(store) as p:
        plan = p.action_plan()
        plan.loc[plan["goal_id"] == goal, "code_id"] = "waiting"
        changes = p.save_action_plan(plan, actor="researcher")
    assert changes[["goal_id", "field", "after"]].values.tolist() == [[goal, "code_id", "waiting"]]
    assert main(["run", str(project), "--out", str(tmp_path / "out3"), "--quiet"]) == 0
    log = json.loads((tmp_path / "out3" / "run_log.json").read_text(encoding="utf-8"))
    assert log["store_update"]["plan"]["edited_goals_without_code"] == []


def test_memos_keep_their_identity_through_an_import_and_a_re_export(tmp_path):
    """A project exported to NVivo, imported back (`read_project_qdpx`) and exported again gave every memo a new
    GUID (made from the imported GUID as if it were a store id), so a program merging the second export saw each
    memo twice; codings, codes and memo texts came through."""
    import pandas as pd

    from pledge_analysis.coding.codebook import codebook_from_records
    from pledge_analysis.io.refi import read_project_qdpx, write_project_qdpx

    segs = pd.DataFrame({"segment_id": ["s1", "s2"], "source_id": ["t.txt"] * 2, "site": ["A"] * 2,
                         "group": ["primary"] * 2, "source_type": ["focus_group"] * 2,
                         "respondent_id": ["t.txt:P1", "t.txt:P2"], "speaker": ["P1", "P2"], "position": [0, 1],
                         "text": ["The nurses were kind \U0001F60A", "I waited six weeks &amp; nobody rang"]})
    cb = codebook_from_records([{"id": "kind", "name": "Kindness"}, {"id": "wait", "name": "Waiting"}])
    c = pd.DataFrame([{"segment_id": "s1", "code_id": "kind", "coder": "alice", "method": "manual",
                       "status": "accepted", "start": 4, "end": 10},
                      {"segment_id": "s2", "code_id": "wait", "coder": "bob", "method": "rules", "status": "accepted"}])
    memos = pd.DataFrame([{"memo_id": 1, "segment_id": "s1", "code_id": None, "coder": "alice", "text": "lovely",
                           "created_at": "2026-03-01T10:00:00+00:00"},
                          {"memo_id": 2, "segment_id": None, "code_id": "wait", "coder": "bob",
                           "text": "mostly results", "created_at": "2026-03-02T10:00:00+00:00"}])
    write_project_qdpx(tmp_path / "one.qdpx", segments=segs, codebook=cb, codings=c, memos=memos)
    first = read_project_qdpx(tmp_path / "one.qdpx")
    write_project_qdpx(tmp_path / "two.qdpx", segments=first["segments"], codebook=first["codebook"],
                       codings=first["codings"], respondents=first["respondents"], memos=first["memos"])
    second = read_project_qdpx(tmp_path / "two.qdpx")
    for table in ("segments", "codebook", "codings", "memos", "note_links"):
        pd.testing.assert_frame_equal(first[table], second[table], check_dtype=False, obj=table)
    assert sorted(second["memos"]["text"]) == ["lovely", "mostly results"]
    assert second["segments"]["text"].tolist() == segs["text"].tolist()


def test_a_project_declaring_no_sites_says_its_hospitals_are_read_as_written(tmp_path, capsys):
    """After init found no site column (the 'Hospital name' above), the user wrote `site: Hospital name` but left
    `sites: {}`: validate said 'no problems', and the run took each spelling as a hospital of its own and wrote
    no hospital booklet, with nothing said."""
    from userlike import PROJECT_YAML, edit, write_project

    from pledge_analysis.cli import main
    from pledge_analysis.validate import validate_project

    yaml_text = PROJECT_YAML.replace("sites:\n  HSH: {name: Hillside Hospital, alliance: Upland Cancer Alliance}\n"
                                     "  LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}\n", "sites: {}\n")
    yaml_text = yaml_text.replace("transcripts:\n  - {path: groups/hillside_primary.txt, site: HSH, group: primary}\n",
                                  "transcripts: []\n")
    project = write_project(tmp_path / "p", project_yaml=yaml_text)
    report = validate_project(project)
    assert report.ok
    note = next(n for n in report.notes if "declares no sites" in n)
    assert "'Hillside Hospital'" in note and "'LWC'" in note and "no hospital booklet" in note
    assert main(["validate", str(project)]) == 0
    assert "declares no sites" in capsys.readouterr().out
    edit(project / "project.yaml", "sites: {}\n", "sites:\n  HSH: {name: Hillside Hospital, alliance: Upland}\n"
         "  LWC: {name: Lakeway Clinic, alliance: Upland}\n")
    assert not any("declares no sites" in n for n in validate_project(project).notes)


def test_a_status_the_plan_does_not_have_is_refused_when_saved_not_when_imported_back(tmp_path):
    """A researcher set goals to 'in progress' and 'Done' in a notebook (Project.save_action_plan): the store took
    them, the next run wrote them into action_plan.xlsx, and `import-plan` of that very workbook, unedited,
    then refused every such row ('in progress' is not one of ['not started', 'ongoing', 'achieved'])."""
    import pandas as pd
    import pytest

    from pledge_analysis.errors import InputError
    from pledge_analysis.pledge import read_action_plan_xlsx, write_action_plan_xlsx
    from pledge_analysis.project import Project

    draft = pd.DataFrame([{"goal_id": f"G0{i}", "scope": "all", "theme": t, "you_said": f"You said {t}",
                           "we_plan_to": "", "by": "", "owner": "", "status": "not started", "evidence": "",
                           "code_id": t} for i, t in enumerate(["waiting", "information"], 1)])
    with Project.open(tmp_path / "project.sqlite") as p:
        p._insert_rows("action_plan", draft.assign(origin="draft"))
        plan = p.action_plan()
        plan.loc[0, "status"], plan.loc[1, "status"] = "in progress", "Done"
        with pytest.raises(InputError) as err:
            p.save_action_plan(plan, actor="researcher")
        assert "goal G01: status 'in progress'" in str(err.value) and "goal G02: status 'Done'" in str(err.value)
        assert p.action_plan()["status"].tolist() == ["not started", "not started"]  # nothing saved
        plan.loc[0, "status"], plan.loc[1, "status"] = "Ongoing ", "ACHIEVED"
        p.save_action_plan(plan, actor="researcher")
        stored = p.action_plan()
    assert stored["status"].tolist() == ["ongoing", "achieved"]
    write_action_plan_xlsx(stored, tmp_path / "plan.xlsx")
    back, _ = read_action_plan_xlsx(tmp_path / "plan.xlsx")
    assert back["status"].tolist() == ["ongoing", "achieved"]


def test_a_renamed_or_merged_code_takes_peoples_work_with_it_when_the_codebook_says_so(tmp_path, capsys):
    """Renaming a code's id in codebook.yaml (listening -> being_heard) or merging one into another left every
    accepted coding, manual coding, memo and goal of the old id orphaned: listed, but no longer counted, and the
    only way to carry them over was to redo each by hand. `formerly: [old ids]` on the code now says what became
    of them, and the run moves that work (and only it), saying how much."""
    import json

    from userlike import edit, write_project

    from pledge_analysis.cli import main
    from pledge_analysis.project import Project

    project = write_project(tmp_path / "hillside")
    assert main(["run", str(project), "--out", str(tmp_path / "out1"), "--quiet"]) == 0
    store = project / "project.sqlite"
    with Project.open(store) as p:
        c = p.codings()
        listening = c[c["code_id"] == "listening"].iloc[0]
        info = c[c["code_id"] == "information"].iloc[0]
        waiting = c[c["code_id"] == "waiting"].iloc[0]
        p.decide(int(listening["coding_id"]), "accepted", coder="alice", memo="heard")
        p.decide(int(info["coding_id"]), "rejected", coder="alice")
        p.add_manual_coding(waiting["segment_id"], "information", coder="alice", memo="no leaflet either")
        p.add_memo("listening matters most to secondary patients", coder="alice", code_id="listening")
        plan = p.action_plan()
        row = plan.index[plan["code_id"] == "listening"][0]
        goal = plan.at[row, "goal_id"]
        plan.loc[row, "we_plan_to"] = "A named nurse at every visit"
        p.save_action_plan(plan, actor="co-design group")
        before = p.codings()
    # rename listening -> being_heard; merge information into waiting? no: into a new code 'info_and_listening'
    edit(project / "codebook.yaml", "  - id: listening\n    name: Being listened to\n",
         "  - id: being_heard\n    name: Being listened to\n    formerly: [listening]\n")
    edit(project / "codebook.yaml", "  - id: information\n    name: Information\n    keywords: [leaflet, explained, "
         "information]\n", "")
    edit(project / "codebook.yaml", "    keywords: [wait, waited, delay, weeks]\n",
         "    keywords: [wait, waited, delay, weeks, leaflet, explained, information]\n    formerly: [information]\n")
    capsys.readouterr()
    assert main(["run", str(project), "--out", str(tmp_path / "out2")]) == 0
    said = capsys.readouterr().out
    with Project.open(store) as p:
        after = p.codings().set_index("coding_id")
        memos, plan, orphans = p.memos(), p.action_plan(), p.orphans()
    assert after.at[int(listening["coding_id"]), "code_id"] == "being_heard"
    assert (after.at[int(listening["coding_id"]), "status"], after.at[int(listening["coding_id"]), "memo"]) == (
        "accepted", "heard")
    assert after.at[int(info["coding_id"]), "code_id"] == "waiting"  # a rejection follows the merge too
    manual = after[(after["method"] == "manual")]
    assert manual["code_id"].tolist() == ["waiting"] and manual["memo"].tolist() == ["no leaflet either"]
    assert memos["code_id"].tolist() == ["being_heard"]
    mine = plan[plan["goal_id"] == goal].iloc[0]
    assert (mine["code_id"], mine["theme"], mine["we_plan_to"]) == ("being_heard", "being_heard",
                                                                   "A named nurse at every visit")
    assert orphans.empty, orphans
    # machine suggestions of the old ids are this run's to redo, not people's work: none is left under them
    assert not after["code_id"].isin(["listening", "information"]).any()
    assert len(after[after["method"] == "rules"]) > 0 and set(before["coding_id"]) & set(after.index)
    log = json.loads((tmp_path / "out2" / "run_log.json").read_text(encoding="utf-8"))
    moved = log["store_update"]["codebook"]["moved"]
    assert moved == {"listening": {"to": "being_heard", "codings": 1, "memos": 1, "goals": 1},
                     "information": {"to": "waiting", "codings": 2, "memos": 0, "goals": 0}}
    assert "listening -> being_heard" in said


def test_formerly_naming_a_code_still_in_the_codebook_is_refused(tmp_path):
    import pytest

    from pledge_analysis.coding.codebook import read_codebook
    from pledge_analysis.errors import PledgeError

    (tmp_path / "codebook.yaml").write_text("codes:\n  - id: a\n    name: A\n  - id: b\n    name: B\n"
                                            "    formerly: [a]\n", encoding="utf-8")
    with pytest.raises(PledgeError, match="'a'.*still in the codebook"):
        read_codebook(tmp_path / "codebook.yaml")
    (tmp_path / "codebook.yaml").write_text("codes:\n  - id: a\n    name: A\n    formerly: [x]\n  - id: b\n"
                                            "    name: B\n    formerly: [x]\n", encoding="utf-8")
    with pytest.raises(PledgeError, match="both name 'x'"):
        read_codebook(tmp_path / "codebook.yaml")


def test_an_output_folder_of_a_run_killed_while_writing_is_not_taken_for_a_complete_one(tmp_path):
    """A run killed while writing its outputs (kill -9 after 'updating the project store') left OUT with this
    run's segments.csv, codings.csv and priorities.csv beside the previous run's report.html, action_plan.xlsx
    and run_log.json: `serve OUT` showed the mix as one run. A note (RUN_NOT_FINISHED.txt) is now written before the
    first file is replaced and removed after the new run_log.json, so a half-written folder is refused until a run
    completes."""
    import pytest

    from userlike import write_project

    from pledge_analysis.cli import main
    from pledge_analysis.errors import InputError
    from pledge_analysis.io.safe import safe_to_csv
    from pledge_analysis.view import read_outputs

    project = write_project(tmp_path / "p", n=12)
    out = tmp_path / "out"
    assert main(["run", str(project), "--out", str(out), "--quiet"]) == 0
    assert read_outputs(out).run_log["project"]

    import pledge_analysis.io.safe as safe

    calls = []

    def dies_on_the_third_table(df, path, **kw):  # the process dies while the outputs are being written
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return safe_to_csv(df, path, **kw)

    original = safe.safe_to_csv
    safe.safe_to_csv = dies_on_the_third_table
    try:
        assert main(["run", str(project), "--out", str(out), "--quiet"]) == 130
    finally:
        safe.safe_to_csv = original
    assert (out / "RUN_NOT_FINISHED.txt").exists()
    with pytest.raises(InputError, match="stopped while writing"):
        read_outputs(out)
    assert main(["run", str(project), "--out", str(out), "--quiet"]) == 0
    assert read_outputs(out).run_log["project"]
    assert not (out / "RUN_NOT_FINISHED.txt").exists() and "RUN_NOT_FINISHED.txt" not in read_outputs(out).run_log["outputs"]


def test_a_new_spelling_of_a_declared_hospital_is_told_how_to_map_it(tmp_path):
    """Round 2's export named 'The Royal Marsden' where round 1 said 'Royal Marsden Chelsea': validate said to
    add it under sites: (a second hospital) or correct the data, not that `values: site:` maps a spelling to a
    declared hospital, so users added a duplicate site."""
    from userlike import write_project

    from pledge_analysis.validate import validate_project

    project = write_project(tmp_path / "p", n=12)
    csv_path = project / "exports" / "feedback_2027.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b",LWC,", b",The Lakeway,"))
    problems = [str(p) for p in validate_project(project).problems]
    assert len(problems) == 1 and "'The Lakeway'" in problems[0]
    assert "values: site: {'The Lakeway': CODE}" in problems[0] and "add it under sites:" in problems[0]


def test_a_new_rounds_export_numbering_its_respondents_again_is_a_problem_not_a_silent_drop(tmp_path, capsys):
    """The September export (its own file under the same survey's files:) numbered its respondents from R001
    again, as survey tools do for each export: validate said 'no problems' and listed fifteen lines of 'duplicate
    respondent id (first seen in ... row N)', and a run read 0 of its rows: the whole new round was set aside."""
    from userlike import write_project

    from pledge_analysis.cli import main
    from pledge_analysis.validate import validate_project

    project = write_project(tmp_path / "p", n=20)
    write_project(tmp_path / "r2", n=12, seed=9)  # the same tool's next export: R001 ... R012 again
    (project / "exports" / "feedback_2027_sept.csv").write_bytes(
        (tmp_path / "r2" / "exports" / "feedback_2027.csv").read_bytes())
    text = (project / "project.yaml").read_text(encoding="utf-8")
    (project / "project.yaml").write_text(text.replace("files: [exports/feedback_2027.csv]",
                                                       "files: [exports/feedback_2027.csv, exports/feedback_2027_sept.csv]"),
                                          encoding="utf-8")
    report = validate_project(project)
    assert not report.ok
    problem = next(str(p) for p in report.problems if "feedback_2027_sept.csv" in str(p))
    assert "12 of its 12 rows" in problem and "exports/feedback_2027.csv" in problem
    assert "survey of its own" in problem
    assert main(["run", str(project), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    # a few repeated ids (someone who sent the form twice) stay what they were: rows set aside, listed
    few = (tmp_path / "r2" / "exports" / "feedback_2027.csv").read_bytes().replace(b"\r\nR0", b"\r\nS0").replace(
        b"S001,", b"R001,", 1)
    (project / "exports" / "feedback_2027_sept.csv").write_bytes(few)
    report = validate_project(project)
    assert report.ok, report.problems
    assert report.set_aside.loc[report.set_aside["reason"].str.startswith("duplicate respondent id"), "rows"].sum() == 1


def test_two_surveys_numbering_their_respondents_alike_are_different_people(tmp_path):
    """Told to give the September export a survey of its own, the user did; both exports number respondents from
    R001, and the run merged them: 32 respondents read, 20 distinct ids, so 'raised by N people' counted a
    September respondent and a March one as one person, and the REFI-QDA export had 20 cases with one site each
    for people at two hospitals. Ids that another survey already uses are now read with the survey's name."""
    from userlike import write_project

    from pledge_analysis.validate import read_inputs, load_and_check, validate_project

    project = write_project(tmp_path / "p", n=20)
    write_project(tmp_path / "r2", n=12, seed=9)
    (project / "exports" / "feedback_2027_sept.csv").write_bytes(
        (tmp_path / "r2" / "exports" / "feedback_2027.csv").read_bytes())
    text = (project / "project.yaml").read_text(encoding="utf-8")
    block = text[text.index("  - name: patient survey"):text.index("transcripts:")]
    september = block.replace("name: patient survey", "name: September survey").replace(
        "exports/feedback_2027.csv", "exports/feedback_2027_sept.csv")
    (project / "project.yaml").write_text(text.replace(block, block + september), encoding="utf-8")
    cfg, questions, _, problems = load_and_check(project)
    assert not problems
    data = read_inputs(cfg, questions)
    r = data.respondents
    assert len(r) == 32 and r["respondent_id"].nunique() == 32
    sept = r[r["respondent_id"].str.startswith("September survey: ")]
    assert len(sept) == 12 and sorted(sept["respondent_id"])[0] == "September survey: R001"
    assert "R001" in set(r["respondent_id"])  # the first survey's ids are as written
    survey_segments = data.segments[data.segments["source_type"] == "survey"]
    assert set(survey_segments["respondent_id"]) <= set(r["respondent_id"])
    assert set(data.responses["respondent_id"]) <= set(r["respondent_id"])
    note = next(n for n in validate_project(project).notes if "September survey" in n)
    assert "'patient survey'" in note and "'R001'" in note


def test_init_reads_the_visible_survey_sheet_not_a_hidden_old_copy(tmp_path, capsys):
    """A workbook with the responses, a hidden sheet holding last year's export (the same columns) and a notes
    sheet: init stopped with 'init cannot tell which one holds the survey' (not saying that one was hidden).
    The visible sheet is now read, and init says the hidden one was not."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    header = ["ID", "Site", "Patient group", "The team explained things clearly", "Any other comments?"]
    old = wb.create_sheet("Old export")
    old.sheet_state = "hidden"
    for sheet, comment in ((ws, "The nurse rang me back the same day"), (old, "OLD DATA")):
        sheet.append(header)
        for i in range(20):
            sheet.append([f"P{i}", ["Northgate General", "Eastmere"][i % 2], ["Primary", "Secondary"][i % 3 == 0],
                          ["Yes, definitely", "Yes, to some extent", "No"][i % 3], f"{comment} {i}"])
    wb.create_sheet("Notes").append(["Exported 2026-03-01"])
    wb.save(tmp_path / "multi.xlsx")
    from pledge_analysis.cli import main

    assert main(["init", str(tmp_path / "proj"), "--survey", str(tmp_path / "multi.xlsx")]) == 0
    said = " ".join(capsys.readouterr().out.split())
    project = yaml.safe_load((tmp_path / "proj" / "project.yaml").read_text(encoding="utf-8"))
    assert project["surveys"][0]["sheet"] == "Responses"
    assert "'Old export' (hidden)" in said and "not read: 'Old export'" in said


def test_a_project_whose_comments_are_all_blank_says_why_nothing_is_ranked(tmp_path):
    """Every comment cell empty or 'N/A' (a survey whose free-text boxes were optional and skipped): validate said
    'no problems', the run printed 'Read 30 respondents and 0 segments' and wrote a report, booklets and a plan with
    no area and no goal, without saying why."""
    import json

    from userlike import PROJECT_YAML, write_project

    from pledge_analysis.cli import main
    from pledge_analysis.validate import validate_project

    yaml_text = PROJECT_YAML.replace("transcripts:\n  - {path: groups/hillside_primary.txt, site: HSH, group: primary}\n",
                                     "transcripts: []\n")
    project = write_project(tmp_path / "p", n=12, project_yaml=yaml_text, good=["", "N/A"], bad=["-", ""])
    report = validate_project(project)
    assert report.ok
    note = next(n for n in report.notes if "no comment" in n)
    assert "12 respondents" in note and "survey_items" in note
    assert main(["run", str(project), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    log = json.loads((tmp_path / "out" / "run_log.json").read_text(encoding="utf-8"))
    assert any("no comment" in w for w in log["warnings"])
