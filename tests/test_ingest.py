"""Survey and transcript readers: encodings, column mappings, accounting and located errors."""
import pandas as pd
import pytest

from conftest import SAMPLES
from pledge_analysis.config import ProjectConfig
from pledge_analysis.errors import (ConfigError, EmptyInputError, InputError, MissingColumnError, MissingFileError,
                                    TranscriptFormatError)
from pledge_analysis.io import accounting, load_questions, read_survey, read_table, read_text_file, read_transcript
from pledge_analysis.pipeline import ingest

COLUMNS = {"respondent_id": "id", "site": "hospital", "group": "group"}


@pytest.fixture
def questions(tmp_path):
    p = tmp_path / "q.yaml"
    p.write_text("questions:\n"
                 "  - {id: Q1, column: Q1, kind: categorical, options: [Yes, No, Not sure], positive: [Yes], negative: [No]}\n"
                 "  - {id: R, column: R, kind: rating, min: 0, max: 10}\n", encoding="utf-8")
    return load_questions(p)


def write(tmp_path, text, encoding="utf-8", name="s.csv"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_reads_every_encoding_and_delimiter_excel_writes(tmp_path, questions, encoding, sep):
    text = "id,hospital,group,Q1,R,comment\n1,A,primary,Yes,9,Café parking cost £12\n".replace(",", sep)
    p = write(tmp_path, text.replace("£12", "£12, no less") if sep != "," else text, encoding)
    got = read_survey(p, columns=COLUMNS, questions=questions, comments={"c": "comment"})
    assert got.segments["text"].tolist() == ["Café parking cost £12" + (", no less" if sep != "," else "")]
    assert got.respondents["respondent_id"].tolist() == ["1"]
    assert got.responses["value"].tolist() == ["Yes", "9"]


def test_text_files_that_are_not_text_are_named_for_what_they_are(tmp_path):
    from openpyxl import Workbook

    p = tmp_path / "export.csv"
    Workbook().save(p)
    with pytest.raises(InputError, match="is an Excel workbook.*Rename it to .xlsx"):
        read_text_file(p)
    p.write_bytes(b"%PDF-1.7 ...")
    with pytest.raises(InputError, match="is a PDF"):
        read_text_file(p)
    with pytest.raises(InputError, match="folder"):
        read_text_file(tmp_path)


def test_csv_rows_are_spreadsheet_rows_even_with_multiline_answers(tmp_path):
    p = write(tmp_path, 'id,hospital,group,comment\n1,A,primary,"two\nlines"\n\n2,A,primary,"x"\n\n\n')
    t = read_table(p)
    assert t.rows == [2, 3, 4] and t.frame["comment"].tolist() == ["two\nlines", "", "x"]
    got = read_survey(p, columns=COLUMNS, comments={"c": "comment"})
    assert got.set_aside[["row", "reason"]].values.tolist() == [[3, "empty row"]]
    assert got.sources[0] | {} == {"source_id": "s.csv", "path": "s.csv", "kind": "survey", "rows_read": 3,
                                   "respondents_kept": 2, "rows_kept": 2, "rows_set_aside": 1}


def test_parse_errors_name_the_line(tmp_path):
    with pytest.raises(InputError, match="line 3 has 5 values but the header has 4 columns"):
        read_table(write(tmp_path, "id,hospital,group,c\n1,A,primary,ok\n2,A,primary,a,b\n"))
    with pytest.raises(InputError, match="line 2: a quote"):
        read_table(write(tmp_path, 'id,hospital,group,c\n1,A,primary,"open\n2,A,primary,x\n'))


def test_every_row_is_kept_or_set_aside_with_its_reason(tmp_path, questions):
    p = write(tmp_path, "id,hospital,group,Q1,R,comment\n"
                        "1,A,primary,Yes,9,Lovely\n"
                        "1,A,primary,No,3,Duplicate\n"
                        ",,,,,\n"
                        "2,A,secondary,Yess,12,N/A\n"
                        ",A,primary,Yes,5,no id\n")
    got = read_survey(p, columns=COLUMNS, questions=questions, comments={"c": "comment"})
    aside = got.set_aside.set_index("row")
    assert got.respondents["respondent_id"].tolist() == ["1", "2"]
    assert aside.loc[3, "reason"].startswith("duplicate respondent id (first seen at row 2)")
    assert aside.loc[4, "reason"] == "empty row"
    reasons = set(got.set_aside.loc[got.set_aside["row"] == 5, "reason"])
    assert reasons == {"answer to Q1 is not one of its options", "answer to R out of range 0 to 10",
                       "placeholder answer with no content to code"}
    assert aside.loc[6, "reason"] == "no respondent id"
    assert got.responses["value"].tolist() == ["Yes", "9"]  # respondent 2's bad answers are set aside
    assert got.sources[0]["rows_read"] == 5
    assert (got.sources[0]["rows_kept"], got.sources[0]["rows_set_aside"]) == (2, 3)
    assert accounting(got).to_dict("records") == [{"source_id": "s.csv", "kind": "survey", "rows_read": 5,
                                                   "rows_kept": 2, "rows_set_aside": 3, "balanced": True}]


def test_missing_value_text_is_never_an_answer(tmp_path, questions):
    p = write(tmp_path, "id,hospital,group,Q1,R\n1,A,primary,nan,NaN\n2,A,primary,#N/A,1e1\n3,A,primary,No,٣\n"
                        "4,A,primary,Yes,10.0\n")
    got = read_survey(p, columns=COLUMNS, questions=questions)
    reasons = got.set_aside.set_index(["row", "column"])["reason"].to_dict()
    assert reasons == {(2, "Q1"): "answer to Q1 is not an answer ('nan' is a missing-value marker)",
                       (2, "R"): "answer to R is not an answer ('NaN' is a missing-value marker)",
                       (3, "Q1"): "answer to Q1 is not an answer ('#N/A' is a missing-value marker)",
                       (3, "R"): "answer to R is not a number", (4, "R"): "answer to R is not a number"}
    assert got.responses["value"].tolist() == ["No", "Yes", "10.0"]


def test_duplicate_ids_across_files_and_the_sheet_to_read(tmp_path, questions):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Summary"
    wb.active.append(["Total", "2"])
    ws = wb.create_sheet("Responses")
    for r in (["id", "hospital", "group", "Q1", "R"], ["7", "A", "primary", "Yes", 9], ["8", "A", "primary", "No", 3]):
        ws.append(r)
    wb.create_sheet("More").append(["id", "hospital"])
    wb["More"].append(["9", "A"])
    book = tmp_path / "late.xlsx"
    wb.save(book)
    first = write(tmp_path, "id,hospital,group,Q1,R\n8,A,primary,Yes,5\n")
    with pytest.raises(InputError, match=r"2 sheets with rows \('Responses', 'More'\)") as e:  # Summary: header only
        read_survey(book, columns=COLUMNS)
    assert e.value.key == "sheet"
    with pytest.raises(InputError, match="no sheet 'Answers'"):
        read_survey(book, columns=COLUMNS, sheet="Answers")
    seen = {}
    a = read_survey(first, columns=COLUMNS, questions=questions, seen_ids=seen)
    b = read_survey(book, columns=COLUMNS, questions=questions, sheet="Responses", seen_ids=seen, source_id="late.xlsx")
    assert a.respondents["respondent_id"].tolist() == ["8"] and b.respondents["respondent_id"].tolist() == ["7"]
    assert b.set_aside[["row", "reason"]].values.tolist() == [[3, "duplicate respondent id (first seen in s.csv row 2)"]]
    assert b.sources[0]["sheet"] == "Responses" and b.responses["value"].tolist() == ["Yes", "9"]


def test_missing_column_error_names_file_columns_and_fix(tmp_path, questions):
    p = write(tmp_path, "id,hospital,Q1,R\n1,A,Yes,3\n")
    with pytest.raises(MissingColumnError) as e:
        read_survey(p, columns=COLUMNS, questions=questions)
    msg = str(e.value)
    assert "s.csv" in msg and "['group']" in msg and "project.yaml" in msg


def test_missing_and_empty_files(tmp_path, questions):
    with pytest.raises(MissingFileError, match="nope.csv"):
        read_survey(tmp_path / "nope.csv", columns=COLUMNS)
    with pytest.raises(EmptyInputError):
        read_survey(write(tmp_path, ""), columns=COLUMNS)
    with pytest.raises(EmptyInputError, match="no rows"):
        read_survey(write(tmp_path, "id,hospital,group\n"), columns=COLUMNS)


def test_xlsx_export_reads_like_csv():
    cfg = ProjectConfig.load(SAMPLES)
    spec = cfg.surveys[0]
    q = load_questions(cfg.questions)
    got = read_survey(SAMPLES / "survey" / "patients_WRI.xlsx", columns=spec.columns, questions=q,
                      comments=spec.comments, values=spec.values, sites=cfg.site_lookup())
    assert len(got.respondents) == 250
    assert set(got.respondents["site"]) == {"WRI"}
    assert set(got.respondents["group"]) == {"primary", "secondary"}


def test_transcripts_txt_docx_vtt_give_turns_roles_and_timestamps():
    vtt = read_transcript(SAMPLES / "transcripts" / "MDH_primary.vtt", site="MDH", group="primary").segments
    assert vtt["timestamp"].iloc[0] == "00:00:02.000"
    assert vtt["role"].iloc[0] == "facilitator" and set(vtt["role"]) == {"facilitator", "participant"}
    docx = read_transcript(SAMPLES / "transcripts" / "SAH_secondary.docx", site="SAH", group="secondary").segments
    assert docx["speaker"].iloc[0] == "Facilitator" and len(docx) > 10
    txt = read_transcript(SAMPLES / "transcripts" / "NGU_primary.txt", site="NGU", group="primary").segments
    assert txt["speaker"].str.match(r"^(Facilitator|P\d)$").all()
    assert txt.loc[txt["role"] == "participant", "respondent_id"].str.startswith("NGU_primary.txt:P").all()


def test_captions_every_cue_kept_or_set_aside_with_its_line(tmp_path):
    p = tmp_path / "t.srt"
    p.write_text("1\n00:00:01,000 --> 00:00:02,500\nFacilitator: Hello\n\n2\n00:00:03,000 --> 00:00:04\nP1: Hi\n\n"
                 "3\n00:00:05,000 --> 00:00:06,000\n<i>[laughter]</i>\n\n4\n00:00:07,000 --> 00:00:09,000\n"
                 "P2: Yes &amp; no\n", encoding="utf-8")
    got = read_transcript(p, site="A", group="primary")
    assert got.segments[["speaker", "text", "timestamp"]].values.tolist() == [
        ["Facilitator", "Hello", "00:00:01.000"], ["P2", "Yes & no", "00:00:07.000"]]
    assert got.set_aside[["row", "reason"]].values.tolist() == [
        [6, "malformed cue timing '00:00:03,000 --> 00:00:04' (expected e.g. 00:00:05.000 --> 00:00:09.500)"],
        [11, "cue has no speaker (give it as '<v Name>' or 'Name: ')"]]
    assert accounting(got)["balanced"].all() and got.sources[0]["rows_read"] == 4


def test_transcript_line_without_speaker_is_located(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("just some text\nFacilitator: hello\n", encoding="utf-8")
    got = read_transcript(p, site="A", group="primary")  # a title line is set aside, with its line
    assert got.set_aside[["row", "value"]].values.tolist() == [[1, "just some text"]]
    assert accounting(got)["balanced"].all()
    with pytest.raises(TranscriptFormatError) as e:
        read_transcript(p, site="A", group="primary", strict=True)
    assert "row 1" in str(e.value) and "speaker" in str(e.value)
    p.write_text("just some text\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError, match="row 1"):
        read_transcript(p, site="A", group="primary")
    p.write_text("Facilitator: hello\nwrapped line\nP1: hi\n", encoding="utf-8")
    turns = read_transcript(p, site="A", group="primary").segments
    assert turns["text"].tolist() == ["hello wrapped line", "hi"]
    with pytest.raises(TranscriptFormatError, match="row 2"):
        read_transcript(p, site="A", group="primary", strict=True)


def test_project_config_errors(tmp_path):
    with pytest.raises(MissingFileError, match="project.yaml"):
        ProjectConfig.load(tmp_path)
    (tmp_path / "project.yaml").write_text("surveys:\n  - files: [a.csv]\n    columns: {respondent_id: id, site: h}\n")
    (tmp_path / "a.csv").write_text("id,h\n1,A\n")
    with pytest.raises(ConfigError, match="group"):
        ProjectConfig.load(tmp_path)


def test_sample_ingest_accounts_for_planted_anomalies(truth):
    cfg = ProjectConfig.load(SAMPLES)
    data = ingest(cfg, load_questions(cfg.questions))
    reasons = data.set_aside["reason"]
    assert reasons.str.startswith("duplicate respondent id").sum() == 1
    assert (reasons == "empty row").sum() == 1
    assert reasons.str.contains("out of range").sum() == 1
    assert reasons.str.contains("not one of its options").sum() == 1
    assert len(truth["anomalies"]) == 4
    rows_read = sum(s["rows_read"] for s in data.sources if s["kind"] == "survey")
    row_level = data.set_aside[data.set_aside["reason"].isin(["empty row"]) | reasons.str.startswith("duplicate")]
    assert rows_read == len(data.respondents) + len(row_level)
    assert len(data.respondents) == 1650 and 2700 <= (data.segments["source_type"] == "survey").sum() <= 3200
