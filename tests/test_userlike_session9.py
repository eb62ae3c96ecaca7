"""Problems a new user met in session 9 with their own hand-written exports (not the sample generator):
a Qualtrics-like CSV in Windows-1252, ... Each test builds its files in tmp_path and reproduces one."""
from __future__ import annotations

import csv
import io

import pytest

from pledge_analysis.io.files import read_table

LIKERT = ["Strongly agree", "agree ", "AGREE", "Neither agree nor disagree", "Disagree", "strongly disagree ",
          "Prefer not to say"]
GOOD = ["Sister O\u2019Brien explained everything", "The ward staff \u201cwent the extra mile\u201d",
        "Parking cost me \u00a312 a day", "Waiting times were short"]


def _qualtrics(path, *, short_names=False, n=12):
    """A Qualtrics-like export in Windows-1252: question text, then the import-id row (and, with
    ``short_names``, Qualtrics' row of short names above the text), then the answers."""
    text = ["Response ID", "Recorded Date", "Which hospital did you attend?",
            "The staff treated me with dignity and respect", "What was good about your care?"]
    ids = ['{"ImportId":"_recordId"}', '{"ImportId":"recordedDate","timeZone":"Z"}', '{"ImportId":"QID1"}',
           '{"ImportId":"QID4"}', '{"ImportId":"QID8_TEXT"}']
    rows = ([["ResponseId", "RecordedDate", "Q1", "Q4", "Q8"]] if short_names else []) + [text, ids]
    for i in range(n):
        rows.append([f"R_{i:05d}", f"2025-04-{1 + i:02d}T10:22:00Z", ["Riverside General", "St Bede's"][i % 2],
                     LIKERT[i % len(LIKERT)], GOOD[i % len(GOOD)]])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("cp1252"))
    return path


@pytest.mark.parametrize("short_names", [False, True])
def test_qualtrics_import_id_row_is_not_a_respondent(tmp_path, short_names):
    """Qualtrics' '{"ImportId":"QID4"}' row was read as a respondent: init declared a site 'IQ' named
    '{"ImportId":"QID1"}', listed the import ids as answers of every scale (so no scale was recognised)
    and asked to map group '{"ImportId":"QID2"}'."""
    t = read_table(_qualtrics(tmp_path / "export.csv", short_names=short_names))
    assert list(t.frame.columns) == ["Response ID", "Recorded Date", "Which hospital did you attend?",
                                     "The staff treated me with dignity and respect", "What was good about your care?"]
    assert len(t.frame) == 12 and t.frame["Response ID"].iloc[0] == "R_00000"
    assert t.rows[0] == (4 if short_names else 3) and t.subheader_row == t.rows[0] - 1
    assert not any("ImportId" in v for col in t.frame.columns for v in t.frame[col])
    assert t.frame["What was good about your care?"].iloc[2] == "Parking cost me \u00a312 a day"


def test_one_comment_at_a_tiny_hospital_does_not_make_a_buddy():
    """A trust with a big hospital (26 comments on waiting, 77% negative: its top concern) and a tiny one (one
    comment on waiting, negative). Buddy pairing read the tiny site's 1/1 as the weakest and named the big
    hospital, whose first priority is waiting, as 'strong on waiting and delays (strength +1.00 vs -1.00)'."""
    import pandas as pd

    from pledge_analysis.cross_site import buddy_pairs

    cols = ["site", "alliance", "theme", "name", "rank", "priority_score", "negativity", "n_segments",
            "survey_estimate", "survey_z"]
    m = pd.DataFrame([["RGH", "North", "waiting", "Waiting and delays", 1, 0.80, 0.77, 26, None, None],
                      ["RGH", "North", "environment", "Environment", 2, 0.72, 0.73, 15, None, None],
                      ["SBCH", "North", "waiting", "Waiting and delays", 1, 0.51, 1.0, 1, None, None],
                      ["SBCH", "North", "environment", "Environment", 2, 0.50, 0.0, 1, None, None]], columns=cols)
    pairs = buddy_pairs(m)
    assert (pairs["buddy"] == "").all(), pairs[["site", "theme", "buddy", "reason"]].to_string()
    # enough comments at both: the less negative service is the buddy, as before
    m.loc[m["site"] == "SBCH", "n_segments"] = 12
    pairs = buddy_pairs(m).set_index(["site", "theme"])
    assert pairs.at[("SBCH", "waiting"), "buddy"] == "RGH" and pairs.at[("RGH", "environment"), "buddy"] == "SBCH"


def _comments_of(site, source_type, source_id, people, texts):
    """Segments and coded units (theme, sentiment) of one source: ``people[i]`` said ``texts[i]``."""
    segs, units = [], []
    for i, (who, (theme, sentiment)) in enumerate(zip(people, texts)):
        sid = f"{source_id}#{i}"
        segs.append({"segment_id": sid, "source_id": source_id, "site": site, "group": "primary",
                     "source_type": source_type, "respondent_id": who, "role": "participant"})
        units.append({"segment_id": sid, "theme": theme, "sentiment": sentiment,
                      "sentiment_score": -0.8 if sentiment == "negative" else 0.6, "site": site, "group": "primary",
                      "source_type": source_type, "source_id": source_id, "respondent_id": who})
    return segs, units


def test_one_focus_group_at_a_small_hospital_claims_no_certainty():
    """St Bede's (6 respondents, no survey comments) had one focus group: every resample holds that one
    session again, so its ranks never moved and the view and co-design pack said 'Ranked 1st of 5 areas here,
    and 1st with every resample of the same people' / 'almost certainly among the top three' on one comment."""
    import pandas as pd

    from pledge_analysis.codesign import rank_certainty
    from pledge_analysis.uncertainty import rank_intervals
    from pledge_analysis.view import _rank_text

    codebook = pd.DataFrame({"code_id": ["waiting", "parking", "kindness"], "parent_id": [None, None, None],
                             "name": ["Waiting", "Parking", "Kindness"], "survey_items": [[], [], []]})
    themes = [("waiting", "negative"), ("parking", "negative"), ("kindness", "positive")]
    s1, u1 = _comments_of("RGH", "survey", "survey/rgh.csv", [f"R{i}" for i in range(30)], themes * 10)
    s2, u2 = _comments_of("SBCH", "focus_group", "transcripts/sbch.txt", ["P1", "P2", "P1"], themes)
    iv = rank_intervals(pd.DataFrame(s1 + s2), pd.DataFrame(u1 + u2), codebook, n_boot=20, random_state=0)
    sbch, rgh = iv[iv["scope"] == "SBCH"], iv[iv["scope"] == "RGH"]
    assert len(sbch) and sbch[["rank_low", "rank_high", "p_top3"]].isna().all().all(), sbch.to_string()
    assert rgh[["rank_low", "rank_high", "p_top3"]].notna().all().all()  # 30 respondents: an interval
    r = sbch.iloc[0].to_dict()
    view_text, pack_text = _rank_text(r, len(sbch), resampled=True), rank_certainty(int(r["rank"]), n_boot=20)
    for text in (view_text, pack_text):
        assert "every resample" not in text and "one person or one focus group" in text
    assert "resamples is 0" not in pack_text


def test_a_few_repeated_short_comments_under_an_open_prompt_are_comments(tmp_path):
    """A small PALS workbook (a notes sheet first): 'Anything else you would like to tell us?' held five
    different sentences repeated over 25 rows; init made it a tick-box question whose 'options' were the
    comments themselves (MUST FILL IN positive/negative: answers ['Food was lovely', 'Great team', ...]),
    so the comments would be neither de-identified nor coded."""
    from openpyxl import Workbook

    from pledge_analysis.scaffold import init_project

    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Exported by the PALS team on 3 June 2025"])
    ws = wb.create_sheet("Responses")
    ws.append(["Patient ref", "Hospital", "Patient group", "Were you told who your key worker was?",
               "Anything else you would like to tell us?"])
    texts = ["The food was cold every day", "Nobody told me who my key worker was", "Food was lovely",
             "I didn't know who to ring", "Great team", ""]
    for i in range(30):
        ws.append([f"NF{i:03d}", ["Northfield Hospital", "Eastbrook Hospital"][i % 2], ["Primary", "Secondary"][i % 3 == 0],
                   ["Yes", "No", "Not sure"][i % 3], texts[i % len(texts)]])
    src = tmp_path / "pals.xlsx"
    wb.save(src)
    init_project(tmp_path / "proj", surveys=[src], codebook="service-pledge")
    import yaml

    project = yaml.safe_load((tmp_path / "proj" / "project.yaml").read_text(encoding="utf-8"))
    questions = yaml.safe_load((tmp_path / "proj" / "questions.yaml").read_text(encoding="utf-8"))
    assert "Anything else you would like to tell us?" in project["surveys"][0]["comments"].values()
    assert [q["column"] for q in questions["questions"]] == ["Were you told who your key worker was?"]


def test_comments_that_match_no_theme_are_counted_and_listed():
    """With the starter codebook, 15 of the 25 PALS comments ('The food was cold every day', 'Nobody told me
    who my key worker was') matched no theme: they were in segments.csv, behind no priority, and neither the
    run's summary nor the report said so, so the ranking silently rested on 40% of the feedback."""
    from types import SimpleNamespace

    import pandas as pd

    from pledge_analysis.machine_coding import no_theme
    from pledge_analysis.report import _no_theme_part

    segs = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "t1"], "source_id": ["pals.xlsx"] * 3 + ["fg.txt"],
                         "site": ["NH"] * 4, "group": ["primary"] * 4, "question_id": ["else"] * 3 + [None],
                         "role": ["participant"] * 3 + ["facilitator"],
                         "text": ["The food was cold every day", "Waited three hours", "Nobody told me who my key "
                                  "worker was", "Welcome everyone"]})
    units = pd.DataFrame({"segment_id": ["s2"], "theme": ["waiting"]})
    lost = no_theme(segs, units)
    assert lost["segment_id"].tolist() == ["s1", "s3"]  # the facilitator's welcome is not feedback
    html = "".join(_no_theme_part(SimpleNamespace(segments=segs, units=units, run_log={"no_theme": {"of": 3}})))
    assert "2 of 3 comments and turns (67%) matched no theme" in html and "The food was cold every day" in html
    assert _no_theme_part(SimpleNamespace(segments=segs.iloc[1:2], units=units, run_log={})) == []


def test_answers_spelt_with_other_capitals_or_spaces_are_their_option(tmp_path):
    """Next month's export wrote 'AGREE', 'agree ' and 'Strongly  Agree' where questions.yaml (from an
    earlier export) says 'Agree' and 'Strongly agree': each was set aside as 'not one of its options', so the
    % positive silently rested on the answers whose capitals happened to match."""
    from pledge_analysis.io import read_survey
    from pledge_analysis.io.surveys import load_questions
    from pledge_analysis.survey.scoring import score_responses

    (tmp_path / "questions.yaml").write_text(
        "questions:\n  - id: dignity\n    column: The staff treated me with dignity\n    text: Dignity\n"
        "    kind: categorical\n    options: [Strongly agree, Agree, Disagree, Strongly disagree, Prefer not to say]\n"
        "    positive: [Strongly agree, Agree]\n    negative: [Disagree, Strongly disagree]\n", encoding="utf-8")
    answers = ["AGREE", "agree ", "Strongly  Agree", "disagree", "Agree", "prefer not to say", "Agreed"]
    rows = ["Ref,Site,Group,The staff treated me with dignity"] + [f"R{i},RGH,primary,{a}" for i, a in enumerate(answers)]
    (tmp_path / "may.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    questions = load_questions(tmp_path / "questions.yaml")
    got = read_survey(tmp_path / "may.csv", columns={"respondent_id": "Ref", "site": "Site", "group": "Group"},
                      questions=questions)
    assert got.responses["value"].tolist() == ["Agree", "Agree", "Strongly agree", "Disagree", "Agree",
                                               "Prefer not to say"]
    assert got.set_aside["value"].tolist() == ["Agreed"]  # not an option however it is spelt: listed, not guessed
    scored = score_responses(got.responses, questions)
    assert scored["scored_as"].tolist().count("positive") == 4


def test_init_lists_each_option_once_whatever_its_capitals(tmp_path):
    """init listed 'agree', 'AGREE' and 'Strongly agree' as three options (AGREE after 'strongly disagree',
    out of scale order): the same answer twice in questions.yaml and in every chart of the answers."""
    import yaml

    from pledge_analysis.scaffold import init_project

    src = _qualtrics(tmp_path / "export.csv", n=21)
    init_project(tmp_path / "proj", surveys=[src], codebook="service-pledge")
    q = yaml.safe_load((tmp_path / "proj" / "questions.yaml").read_text(encoding="utf-8"))["questions"][0]
    assert q["options"] == ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree",
                            "Prefer not to say"], q["options"]
    assert q["positive"] == ["Strongly agree", "Agree"] and q["negative"] == ["Disagree", "Strongly disagree"]
