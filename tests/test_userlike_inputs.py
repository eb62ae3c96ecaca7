"""Problems a new user met with their own files (session 6, a hospital researcher's exports written by
hand: semicolon CSV in Windows-1252, header case and spaces that differ between exports, a site spelt
three ways, focus-group transcripts with the labels people really type). Each test reproduces one."""
from __future__ import annotations

import pandas as pd
import pytest

from pledge_analysis.errors import TranscriptFormatError
from pledge_analysis.io import accounting, read_transcript


def _docx(path, paragraphs):
    from docx import Document

    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(path)
    return path


# ------------------------------------------------------------------------------ transcripts
def test_dash_labels_in_a_docx_are_turns_not_the_moderators_words(tmp_path):
    """'Patient A - text' lines were joined to the MODERATOR's turn above: facilitator turns are not coded, so
    every patient's words in the focus group were silently lost from the analysis."""
    path = _docx(tmp_path / "StMarys_secondary_FG.docx", [
        "St Mary's secondary breast cancer focus group, 14 May 2025",
        "MODERATOR: What has your experience been since your diagnosis?",
        "Patient A - I feel like I fell off a cliff after primary treatment ended.",
        "Patient B – The CNS is lovely but she's stretched thin.",
        "MODERATOR: What would make the biggest difference?",
        "Patient C (Linda) - Being able to get through on the phone.",
    ])
    got = read_transcript(path, site="SM", group="secondary")
    segs = got.segments
    assert segs["speaker"].tolist() == ["MODERATOR", "Patient A", "Patient B", "MODERATOR", "Patient C (Linda)"]
    assert segs["role"].tolist() == ["facilitator", "participant", "participant", "facilitator", "participant"]
    assert not segs.loc[segs["role"] == "facilitator", "text"].str.contains("cliff|CNS|phone").any()
    assert got.set_aside.empty and accounting(got)["balanced"].all()  # the title paragraph is not a turn


def test_bracket_labels_and_a_title_line_in_a_txt(tmp_path):
    """'[Facilitator] ...' / '[P1] ...' with a title line made the whole transcript unreadable, and the hint
    told a command-line user to 'pass strict=False' (which was already the default)."""
    path = tmp_path / "riverside_primary_fg.txt"
    path.write_text("Riverside primary focus group - 20/05/2025\n[Facilitator] Can you tell us about your diagnosis?\n"
                    "[P1] It was quick, seen in a week.\n[00:04:10] [P2] I came out with no idea what grade 2 meant.\n"
                    "Sue (facilitator): And information afterwards?\n", encoding="utf-8")
    got = read_transcript(path, site="RG", group="primary")
    assert got.segments[["speaker", "role"]].values.tolist() == [
        ["Facilitator", "facilitator"], ["P1", "participant"], ["P2", "participant"],
        ["Sue (facilitator)", "facilitator"]]
    assert got.segments["text"].iloc[2] == "I came out with no idea what grade 2 meant."
    assert got.set_aside["value"].tolist() == ["Riverside primary focus group - 20/05/2025"]


def test_unknown_label_after_the_facilitator_is_an_error_not_a_silent_join(tmp_path):
    path = tmp_path / "fg.txt"
    path.write_text("Facilitator: What stood out?\nLinda - the wait for results.\nP2: The parking.\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError) as e:
        read_transcript(path, site="RG", group="primary")
    msg = str(e.value)
    assert "row 2" in msg and "facilitator" in msg and "strict" not in msg
    # a wrapped line after a participant's turn still continues it
    path.write_text("P1: What stood out was\nthe wait - weeks of it.\n", encoding="utf-8")
    assert read_transcript(path, site="RG", group="primary").segments["text"].tolist() == [
        "What stood out was the wait - weeks of it."]


def test_no_label_at_all_is_still_an_error_with_a_cli_hint(tmp_path):
    path = tmp_path / "fg.txt"
    path.write_text("Focus group\nWe talked about waiting.\nAnd parking.\nAnd phones.\nFacilitator: ok\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError) as e:
        read_transcript(path, site="RG", group="primary")
    assert "row 4" in str(e.value) and "strict" not in str(e.value) and "'P1: '" in str(e.value)
    path.write_text("Focus group notes\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError, match="row 1"):
        read_transcript(path, site="RG", group="primary")


# ------------------------------------------------------------------------------ a whole user project
HEADER = ["RESPONDENT ID", "Hospital ", "Patient type", "Date completed", "Age",
          "Were you given the name of a Clinical Nurse Specialist?", "Did staff treat you with dignity and respect?",
          "Were you offered a Holistic Needs Assessment?",
          "Overall, how would you rate your care? (0 = very poor, 10 = very good)",
          "What was good about your care?", "What could have been better?"]
ROWS = [  # tiny hospitals, a site spelt three ways, comments with line breaks; 'kind' only ever in praise
    ["1001", "St Mary's", "Primary", "03/04/2025", "45-54", "Yes", "Yes, always", "", "9",
     "The radiographers were kind.\nShe rang me back the same day.", "Waiting for results after the biopsy took two weeks."],
    ["1002", "St Mary’s", "Primary", "12/04/2025", "55-64", "No", "Yes, sometimes", "", "6",
     "Kind receptionist", "I waited three weeks for my results."],
    ["1003", "st marys", "Secondary (metastatic)", "13/04/2025", "65-74", "Yes", "No", "", "3",
     "n/a", "Appointments cancelled twice, parking is a nightmare £8 a day."],
    ["1004", "St Mary's", "Secondary (metastatic)", "28/04/2025", "45-54", "No", "Yes, always", "", "10",
     "Everyone was so kind and compassionate.", "-"],
    ["1005", "Riverside General", "Primary", "02/05/2025", "55-64", "Yes", "Yes, sometimes", "", "8",
     "The nurses were kind to me.", "The wait in clinic was two hours."],
    ["1006", "Riverside General", "Secondary (metastatic)", "05/05/2025", "75+", "No", "No", "", "4",
     "Kind staff on the day unit.", "I waited weeks for my scan, nobody rang."],
]
LATE = [["1007", "Riverside General", "Primary", "10/05/2025", "45-54", "Yes", "Yes, always", "", "8",
         "The nurses were amazing and kind 😊 thank you!!", "Waited ages 🙏\nfor the scan."]]


def _user_files(root):
    import csv
    import io

    (root / "exports").mkdir(parents=True)
    (root / "fg").mkdir()
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows([HEADER] + ROWS)  # Excel, European locale
    (root / "exports" / "patients_2025.csv").write_bytes(buf.getvalue().encode("cp1252"))
    buf = io.StringIO()  # typed in later: other header case and spaces, UTF-8 with BOM, emoji
    late_header = ["Respondent ID", "hospital"] + HEADER[2:]
    csv.writer(buf, lineterminator="\r\n").writerows([late_header] + LATE)
    (root / "exports" / "late_returns.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    _docx(root / "fg" / "StMarys_secondary_FG.docx", [
        "St Mary's secondary breast cancer focus group",
        "MODERATOR: What has your experience been since your diagnosis?",
        "Patient A - I waited weeks for a scan and nobody rang me back.",
        "Patient B - The parking is impossible and the waiting room is cramped.",
    ])
    return [root / "exports" / "patients_2025.csv", root / "exports" / "late_returns.csv"], root / "fg"


@pytest.fixture(scope="module")
def user_project(tmp_path_factory):
    """init on the user's files, the checks a user does (alliances), then a run (no rank intervals: fast)."""
    from pledge_analysis.pipeline import run_project
    from pledge_analysis.scaffold import format_report, init_project

    base = tmp_path_factory.mktemp("userlike")
    surveys, fg = _user_files(base / "my_files")
    report = init_project(base / "stmarys", surveys=surveys, transcripts=fg)
    project = base / "stmarys" / "project.yaml"
    text = project.read_text(encoding="utf-8").replace("alliance: ''", "alliance: Thames Valley")
    project.write_text(text + "priorities: {resamples: 0}\n", encoding="utf-8")
    return report, format_report(report), run_project(base / "stmarys")


def test_one_hospital_spelt_three_ways_is_one_site(user_project):
    """'St Mary's', 'St Mary’s' and 'st marys' became three hospitals (SM, SMS, SM2), each with 1-3
    respondents; with one site declared, 'St Mary’s' was an undeclared site."""
    report, printed, result = user_project
    assert report.sites == {"RG": "Riverside General", "SM": "St Mary's"}
    assert "also written 'St Mary’s', 'st marys'" in printed
    assert result.respondents.groupby("site").size().to_dict() == {"RG": 3, "SM": 4}


def test_two_exports_of_one_survey_with_other_header_case_are_one_survey(user_project):
    """'RESPONDENT ID'/'Hospital ' in one export and 'Respondent ID'/'hospital' in the other made two surveys
    with every question twice (given_name_clinical and given_name_clinical_2, ...)."""
    report, _, result = user_project
    assert [len(g.files) for g in report.surveys] == [2]
    qids = set(result.scores["question_id"])
    assert not any(q.endswith("_2") for q in qids) and "given_name_clinical" in qids
    assert result.run_log["rows"]["respondents_kept"] == len(ROWS) + len(LATE)
    assert "😊" in " ".join(result.segments["text"])


def test_yes_sometimes_is_not_positive_as_in_cpes(user_project):
    """'Yes, sometimes' was guessed positive: CPES counts only 'Yes, always' (2018 Q37, national 89%), so the
    site's percentage was inflated against the benchmark."""
    report, _, result = user_project
    q = next(q for q in report.surveys[0].questions if q.column.startswith("Did staff treat"))
    assert q.positive == ["Yes, always"] and set(q.negative) == {"Yes, sometimes", "No"}


def test_focus_group_patients_are_coded(user_project):
    _, _, result = user_project
    fg = result.segments[result.segments["source_type"] == "focus_group"]
    assert fg["role"].tolist() == ["facilitator", "participant", "participant"]
    coded = set(result.units["segment_id"])
    assert set(fg.loc[fg["role"] == "participant", "segment_id"]) <= coded


def test_no_goal_from_an_area_raised_only_in_praise(user_project):
    """Kindness, raised only in praise ('Kind receptionist'), ranked high on prevalence in a tiny round and became
    the goal "You said: Some staff were abrupt or dismissive" in the patients' plan. Prevalence counts concerns
    now (session 7), so it ranks last."""
    _, _, result = user_project
    plan, units = result.action_plan, result.units
    kindness = result.priorities[(result.priorities["theme"] == "kindness")]
    assert len(kindness) and (kindness["n_negative"] == 0).all()  # the situation this test is about
    sizes = result.priorities.groupby("scope").size()
    assert (kindness["rank"] == kindness["scope"].map(sizes)).all()  # ranked last in every scope (it was in the top 3)
    assert "kindness" not in set(plan["theme"])
    # where it is still listed among the ranked areas, its reason says it is not a concern
    assert kindness["reason"].str.contains("none of them negative (raised in praise or in passing, not as a concern)",
                                           regex=False).all()
    for g in plan.itertuples(index=False):  # every goal rests on a negative comment in its scope
        neg = units[(units["theme"] == g.theme) & (units["sentiment"] == "negative")]
        if g.scope != "all":
            neg = neg[(neg["group"] == g.scope) | (neg["site"] == g.scope)]
        assert len(neg), g


def test_uk_dates_are_read_day_first_as_iso(user_project, tmp_path):
    """'03/04/2025' was kept as text: topic trends (ISO only) silently dropped every comment, while
    `pledge-analysis code` read the same dates day first."""
    from pledge_analysis.io import read_survey

    report, printed, result = user_project
    assert result.respondents.set_index("respondent_id").loc["1001", "completed"] == "2025-04-03"
    assert set(result.segments.loc[result.segments["source_type"] == "survey", "timestamp"]) <= {
        f"2025-{m:02d}-{d:02d}" for m in (4, 5) for d in range(1, 32)}
    assert "'03/04/2025' is 2025-04-03" in printed
    p = tmp_path / "s.csv"
    p.write_text("id,site,group,done\n1,A,primary,04/13/2025\n2,A,primary,\n", encoding="utf-8")
    got = read_survey(p, columns={"respondent_id": "id", "site": "site", "group": "group", "completed": "done"})
    assert got.respondents["respondent_id"].tolist() == ["1", "2"]  # kept, without the impossible date
    assert got.set_aside[["row", "column", "value"]].values.tolist() == [[2, "done", "04/13/2025"]]
    assert accounting(got)["balanced"].all()


# ------------------------------------------------------------------------------ praise is not a priority
PRAISE_CODEBOOK = """\
codes:
  - id: kindness
    name: Kindness of staff
    keywords: [lovely, kind, caring, friendly, rude]
  - id: waiting
    name: Waiting times
    keywords: [wait, waited, delay, weeks]
  - id: listening
    name: Being listened to
    keywords: [listen, listened, ignored]
    survey_items: [listened]
  - id: information
    name: Information
    keywords: [leaflet, explained, information]
  - id: parking
    name: Parking
    keywords: [parking, car park]
"""
#: nearly every patient praises the staff, in both comments; the concerns are spread over three areas
PRAISE_GOOD = ["The staff were lovely.", "Everyone was so kind and caring.", "Lovely friendly nurses.",
               "The staff were lovely and kind to me."]
PRAISE_BAD = ["The staff were lovely, nothing to improve.", "Kind people, no complaints.",
              "Lovely caring team, I would not change a thing.", "Everyone was kind, nothing to add.",
              "I waited six weeks for my scan results.", "I waited six weeks for my scan results.",
              "Nobody listened when I said the pain was worse.",
              "The information about side effects came far too late.", "The parking is awful and far too expensive.",
              "One receptionist was rude to me."]


@pytest.fixture(scope="module")
def praise_run(tmp_path_factory):
    from userlike import write_project

    from pledge_analysis.pipeline import run_project

    root = write_project(tmp_path_factory.mktemp("praise") / "p", n=60, codebook_yaml=PRAISE_CODEBOOK,
                         good=PRAISE_GOOD, bad=PRAISE_BAD, resamples=0)
    return run_project(root)


def test_a_theme_raised_mostly_in_praise_is_not_ranked_as_an_improvement_area(praise_run):
    """Reviewers (session 6): a theme whose comments are nearly all praise ("staff were lovely") was ranked among
    the top improvement areas, because prevalence counted every comment. Priority rests on concerns now."""
    pr = praise_run.priorities
    kind = pr[pr["theme"] == "kindness"]
    everyone = kind[kind["scope"] == "all"].iloc[0]
    # the situation: the most talked-about theme by far, and nearly all of it praise
    assert everyone["n_segments"] == pr[pr["scope"] == "all"]["n_segments"].max()
    assert 0 < everyone["n_negative"] / everyone["n_segments"] < 0.2
    for scope, rows in pr.groupby("scope"):
        k = rows[rows["theme"] == "kindness"]
        if not len(k):
            continue
        concerns = rows[(rows["n_negative"] / rows["n_segments"] >= 0.5) & (rows["n_negative"] >= 2)]
        assert (k["rank"].iloc[0] > concerns["rank"]).all(), (scope, rows[["theme", "rank", "priority_score"]])
        assert k["priority_score"].iloc[0] < 0.5  # below "unremarkable": the evidence says it is not a problem
    # the reason says why it is not a priority, and why the concerns are
    assert everyone["reason"].startswith("Kindness of staff: not a priority on this evidence: most of its comments "
                                         "are praise or passing mentions, not criticisms")
    first = pr[pr["scope"] == "all"].iloc[0]
    assert first["theme"] != "kindness" and ": a priority: " in first["reason"]
    assert "kindness" not in set(praise_run.action_plan["theme"])


# ------------------------------------------------------------------------------ `code` reads files as `run` does
def test_code_reads_the_users_exports_as_run_does(user_project, tmp_path):
    """`pledge-analysis code` was stricter than `run` on the same files (reviewers, session 6): an exact header
    match ('Respondent ID' is 'RESPONDENT ID' in one export, 'hospital' is 'Hospital '), one encoding and
    delimiter for every file, a hospital spelt three ways counted as three sites, and an Excel "\\r\\n" kept
    inside a comment. Now both read through the same rules (io.surveys.header_key and site_key)."""
    from pledge_analysis.engine import code_comments

    _, _, result = user_project
    exports = result.config.root.parent / "my_files" / "exports"  # the user's own two exports, as given to init
    got = code_comments(exports, result.codebook, tmp_path / "coded", text_column="What could have been better?",
                        id_column="Respondent ID", columns={"site": "hospital", "date": "date completed"})
    coded = pd.read_parquet(tmp_path / "coded").set_index("comment_id")
    assert sorted(coded.index) == sorted(result.respondents["respondent_id"])  # both files, every row once
    # one hospital spelt three ways is one site, as in the run's respondents (RG 3, SM 4)
    names = {code: info["name"] for code, info in result.config.sites.items()}
    by_site = result.respondents.groupby("site").size().rename(index=names).to_dict()
    assert coded.groupby("site").size().to_dict() == by_site
    assert got.site_spellings == {"St Mary’s": "St Mary's", "st marys": "St Mary's"}
    assert "'st marys': read as one site" in got.summary()
    # the same comment text as the run's segments (line breaks as one "\n"), and the same months
    better = result.segments[result.segments["source_type"] == "survey"]
    run_texts = better.groupby("respondent_id")["text"].apply(set)
    for rid, row in coded.iterrows():
        if row["status"] != "not coded":
            assert row["text"] in run_texts[rid] and "\r" not in row["text"], rid
    completed = result.respondents.set_index("respondent_id")["completed"].str[:7]
    assert (coded["month"] == completed.loc[coded.index]).all()


def test_dask_reads_comments_typed_over_several_lines_whole(tmp_path):
    """The dask engine cut CSVs into byte blocks at line ends, also inside a quoted cell: a comment typed over
    two lines became two broken rows. A file holding such cells is now read whole (blocksize None)."""
    import csv

    from pledge_analysis.engine import dask_frame, find_inputs, resolve_columns

    path = tmp_path / "comments.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["comment_id", "text"])
        for i in range(3000):
            w.writerow([f"c{i}", f"Line one of comment {i}, about the wait.\r\nLine two; the parking."])
    inputs = find_inputs(path)
    resolve_columns(inputs, id_column="comment_id", text_column="text")
    df = dask_frame(inputs, workers=2).compute(scheduler="synchronous")
    assert df["comment_id"].tolist() == [f"c{i}" for i in range(3000)]
    assert df["text"].str.contains("Line two; the parking.", regex=False).all()
