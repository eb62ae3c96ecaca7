"""Issue 12, the readers: a corpus of bad input files, each generated in tmp_path (synthetic text only).

Each case builds the user-like project of ``userlike.py``, spoils or replaces one input file and checks

- the exit code of the real CLI: ``validate`` (and ``run`` where it matters) exit 2 on an unreadable
  file and 0 when bad rows are merely set aside;
- for an unreadable file, the exception class (a ``PledgeError`` subclass, never a pandas, zipfile or
  python-docx error) and a message that names the file and, where it applies, the line or row,
  column and key;
- that nothing reaches stderr as a traceback;
- the accounting: for every source, rows read = respondents kept + rows set aside (surveys) and
  turns read = segments kept + turns set aside (transcripts), each set-aside row with its row/line
  and reason.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from userlike import edit, write_project
from pledge_analysis.cli import main
from pledge_analysis.errors import EmptyInputError, InputError, PledgeError, TranscriptFormatError
from pledge_analysis.io import accounting, is_row_set_aside
from pledge_analysis.validate import load_and_check, read_inputs

SURVEY = "exports/feedback_2027.csv"
TRANSCRIPT = "groups/hillside_primary.txt"
HEADER = ["Ref", "Trust site", "Cohort", "Staff listened to me", "Overall rating (0-10)", "What went well",
          "What could be better"]
#: row-level reasons (a whole respondent set aside), as opposed to one answer of a kept respondent
ROW_REASONS = ("empty row", "no respondent id", "duplicate respondent id", "no site", "no group")


# ------------------------------------------------------------------------------------------- builders
COMMENT = 'Staff were kind, and the café was calm (£0, "no fuss").'


def rows(n: int = 6, start: int = 1) -> list[list[str]]:
    """``n`` synthetic respondents; the comments hold commas, quotes and non-ASCII text."""
    sites, cohorts = ["Hillside Hospital", "LWC"], ["Early breast cancer", "Metastatic"]
    answers = ["Agree", "Disagree", "Strongly agree"]
    return [[f"R{i:03d}", sites[i % 2], cohorts[(i // 2) % 2], answers[i % 3], str(3 + i % 8), COMMENT,
             "I waited six weeks for results."] for i in range(start, start + n)]


def delimited(table: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buf.getvalue()


def utf16(text: str, order: str = "le", bom: bool = True) -> bytes:
    return ((b"\xff\xfe" if order == "le" else b"\xfe\xff") if bom else b"") + text.encode(f"utf-16-{order}")


def put(root: Path, rel: str, data: bytes | str, *, replaces: str | None = SURVEY) -> None:
    """Write an input file; when its name differs from ``replaces``, point project.yaml at it."""
    p = root / rel
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    if replaces and rel != replaces:
        edit(root / "project.yaml", replaces, rel)


def survey(data: bytes | str, rel: str = SURVEY) -> Callable[[Path], None]:
    return lambda root: put(root, rel, data)


def workbook(*sheets: tuple[str, list[list]], merge: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, table in sheets:
        ws = wb.create_sheet(name)
        for r in table:
            ws.append(r)
    if merge:
        wb[sheets[0][0]].merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx(*sheets, merge=None, rel="exports/feedback_2027.xlsx", yaml_extra: str = "") -> Callable[[Path], None]:
    def build(root: Path) -> None:
        put(root, rel, workbook(*sheets, merge=merge) if sheets and isinstance(sheets[0], tuple) else sheets[0])
        if yaml_extra:
            anchor = "    columns:\n      respondent_id: Ref"
            edit(root / "project.yaml", anchor, yaml_extra + anchor)
    return build


def numeric(table):
    """Ratings as numbers, as Excel stores them (the header row stays text)."""
    return table[:1] + [r[:4] + [int(r[4])] + r[5:] for r in table[1:]]


def with_cell(table, row: int, col: int, value):
    """A copy of ``table`` (header first) with the cell at spreadsheet ``row`` (header = 1) changed."""
    t = [list(r) for r in table]
    t[row - 1][col] = value
    return t


VTT_OK = ["WEBVTT", "", "1", "00:00:01.000 --> 00:00:04.000", "<v Facilitator>What stood out for you?", "",
          "2", "00:00:05.000 --> 00:00:09.500", "<v P1>Honestly the wait. I waited weeks.", "",
          "3", "00:00:10.000 --> 00:00:14.000", "<v P2>The leaflet explained nothing.", ""]


def vtt(lines: list[str], rel: str = "groups/hillside_primary.vtt", raw: bytes | None = None) -> Callable[[Path], None]:
    return lambda root: put(root, rel, raw if raw is not None else "\n".join(lines) + "\n", replaces=TRANSCRIPT)


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    from docx import Document

    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=0, cols=len(table[0]))
        for r in table:
            cells = t.add_row().cells
            for c, v in zip(cells, r):
                c.text = v
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def transcript(data: bytes | str, rel: str) -> Callable[[Path], None]:
    return lambda root: put(root, rel, data, replaces=TRANSCRIPT)


def two_files(first: list[list[str]], second: list[list[str]]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / SURVEY).write_text(delimited([HEADER] + first), encoding="utf-8")
        (root / "exports/feedback_late.csv").write_text(delimited([HEADER] + second), encoding="utf-8")
        edit(root / "project.yaml", f"files: [{SURVEY}]", f"files: [{SURVEY}, exports/feedback_late.csv]")
    return build


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


# ------------------------------------------------------------------------------------------- the cases
@dataclass
class Case:
    id: str
    build: Callable[[Path], None]
    error: type | None = None  #: the exception a direct read raises; None: the file is read
    words: tuple[str, ...] = ()  #: in the message (error) or in the set-aside reasons
    file: str | None = None  #: the file the message must name
    line: int | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None  #: project.yaml key the message must name
    read: dict[str, int] = field(default_factory=dict)  #: source -> rows (or turns) read
    kept: dict[str, int] = field(default_factory=dict)  #: source -> respondents (or segments) kept
    aside: tuple[tuple[str, int, str | None, str], ...] = ()  #: (source, row or line, column, words in reason)
    run: bool = False  #: also run the whole analysis (exit 0) and check its tables
    speakers: tuple[str, ...] = ()  #: the transcript's speakers, turn by turn


GOOD = [HEADER] + rows(6)
SIX = {SURVEY: 6}
VTT_SRC = "groups/hillside_primary.vtt"

CASES = [
    # ---- encodings and delimiters: read correctly, whatever Excel called the file
    Case("utf16-le-bom-comma", survey(utf16(delimited(GOOD))), read=SIX, kept=SIX),
    Case("utf16-be-bom-comma", survey(utf16(delimited(GOOD), "be")), read=SIX, kept=SIX),
    Case("utf16-le-no-bom", survey(utf16(delimited(GOOD), bom=False)), read=SIX, kept=SIX),
    Case("excel-unicode-text-tab-as-csv", survey(utf16(delimited(GOOD, "\t"))), read=SIX, kept=SIX, run=True),
    Case("excel-unicode-text-tab-as-txt", survey(utf16(delimited(GOOD, "\t")), "exports/feedback_2027.txt"),
         read={"exports/feedback_2027.txt": 6}, kept={"exports/feedback_2027.txt": 6}),
    Case("utf8-bom-semicolon", survey(b"\xef\xbb\xbf" + delimited(GOOD, ";").encode()), read=SIX, kept=SIX),
    Case("cp1252-tab", survey(delimited(GOOD, "\t").encode("cp1252")), read=SIX, kept=SIX),
    Case("utf8-tsv", survey(delimited(GOOD, "\t"), "exports/feedback_2027.tsv"),
         read={"exports/feedback_2027.tsv": 6}, kept={"exports/feedback_2027.tsv": 6}),
    Case("trailing-delimiters", survey(delimited(GOOD).replace("\r\n", ",,\r\n").replace(",,\r\n", "\r\n", 1)),
         read=SIX, kept=SIX),
    Case("blank-lines-keep-row-numbers", survey(delimited(GOOD[:3]) + "\r\n" + delimited(GOOD[3:]) + "\r\n"),
         read={SURVEY: 7}, kept=SIX, aside=((SURVEY, 4, None, "empty row"),)),
    # ---- CSV that cannot be parsed: located errors, never a pandas ParserError
    Case("unquoted-comma-shifts-columns", survey(delimited(GOOD[:4]) + "R099,LWC,Metastatic,Agree,7,Kind, calm,Slow\r\n"
                                                 + delimited(GOOD[4:])),
         InputError, ("8 values", "header has 7 columns"), SURVEY, line=5),
    Case("unterminated-quote", survey(delimited(GOOD[:3]) + 'R099,LWC,Metastatic,Agree,7,"Kind and calm,Slow\r\n'
                                      + delimited(GOOD[3:])),
         InputError, ("quote", "never closes"), SURVEY, line=4),
    Case("nul-bytes-binary", survey(b"Ref,Trust site\x00\x00\x01\x02" * 40), InputError, ("binary",), SURVEY),
    Case("undecodable-bytes", survey(delimited(GOOD[:3]).encode() + b"R099,LWC,Metastatic,Agree,7,caf\x81,x\r\n"),
         InputError, ("cannot decode", "line 4"), SURVEY),
    Case("xlsx-renamed-csv", survey(workbook(("Responses", GOOD))), InputError, ("Excel workbook", ".xlsx"), SURVEY),
    Case("empty-csv", survey(b""), EmptyInputError, ("empty",), SURVEY),
    Case("header-only-csv", survey(delimited([HEADER])), EmptyInputError, ("no rows",), SURVEY),
    Case("mapped-header-twice", survey(delimited([HEADER + ["Trust site"]] + [r + ["LWC"] for r in rows(3)])),
         InputError, ("Trust site", "twice"), SURVEY, column="Trust site"),
    # ---- XLSX
    Case("xlsx-truncated", xlsx(truncated(workbook(("Responses", numeric(GOOD))))), InputError,
         ("truncated or corrupt",), "exports/feedback_2027.xlsx"),
    Case("xlsx-that-is-a-csv", xlsx(delimited(GOOD).encode()), InputError, ("CSV", ".csv"), "exports/feedback_2027.xlsx"),
    Case("xlsx-old-xls-or-encrypted", xlsx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), InputError,
         ("Excel 97-2003", "password"), "exports/feedback_2027.xlsx"),
    Case("xlsx-that-is-a-docx", xlsx(docx_bytes(["Not a workbook"])), InputError, ("not an Excel workbook",),
         "exports/feedback_2027.xlsx"),
    Case("xlsx-empty-sheet", xlsx(("Responses", [])), EmptyInputError, ("empty",), "exports/feedback_2027.xlsx"),
    Case("xlsx-header-only", xlsx(("Responses", [HEADER])), EmptyInputError, ("no rows",), "exports/feedback_2027.xlsx"),
    Case("xlsx-two-sheets-need-sheet-key", xlsx(("Responses", numeric(GOOD)), ("Late", numeric([HEADER] + rows(2, 50)))),
         InputError, ("2 sheets", "'Responses'", "'Late'", "sheet:"), "exports/feedback_2027.xlsx", key="surveys[0].sheet"),
    Case("xlsx-sheet-key-names-missing-sheet", xlsx(("Responses", numeric(GOOD)), ("Late", numeric(GOOD)),
                                                    yaml_extra="    sheet: Answers\n"),
         InputError, ("no sheet 'Answers'", "'Responses'"), "exports/feedback_2027.xlsx", key="surveys[0].sheet"),
    Case("xlsx-sheet-key-picks-a-sheet", xlsx(("Summary", [["Total", 8]]), ("Responses", numeric(GOOD)),
                                              yaml_extra="    sheet: Responses\n"),
         read={"exports/feedback_2027.xlsx": 6}, kept={"exports/feedback_2027.xlsx": 6}),
    Case("xlsx-one-data-sheet-and-empty-ones", xlsx(("Notes", []), ("Responses", numeric(GOOD)), ("Blank", [])),
         read={"exports/feedback_2027.xlsx": 6}, kept={"exports/feedback_2027.xlsx": 6}),
    Case("xlsx-merged-site-cells", xlsx(("Responses", numeric(GOOD)), merge="B3:B5"),
         read={"exports/feedback_2027.xlsx": 6}, kept={"exports/feedback_2027.xlsx": 4},
         aside=(("exports/feedback_2027.xlsx", 4, "Trust site", "no site"),
                ("exports/feedback_2027.xlsx", 5, "Trust site", "merged")), run=True),
    Case("xlsx-blank-group-and-nbsp-site", xlsx(("Responses", with_cell(with_cell(numeric(GOOD), 3, 2, None),
                                                                        6, 1, "\u00a0\u200b")),),
         read={"exports/feedback_2027.xlsx": 6}, kept={"exports/feedback_2027.xlsx": 4},
         aside=(("exports/feedback_2027.xlsx", 3, "Cohort", "no group"),
                ("exports/feedback_2027.xlsx", 6, "Trust site", "no site"))),
    Case("xlsx-error-cell-in-rating", xlsx(("Responses", with_cell(numeric(GOOD), 4, 4, "#N/A")),),
         read={"exports/feedback_2027.xlsx": 6}, kept={"exports/feedback_2027.xlsx": 6},
         aside=(("exports/feedback_2027.xlsx", 4, "Overall rating (0-10)", "missing-value marker"),)),
    # ---- missing-value text is not an answer
    *[Case(f"text-{marker}-in-{kind}", survey(delimited(with_cell(GOOD, 3, col, marker))), read=SIX, kept=SIX,
           aside=((SURVEY, 3, HEADER[col], "missing-value marker"),), run=(marker == "nan" and kind == "rating"))
      for marker in ("nan", "NaN", "None", "#N/A", "NULL")
      for kind, col in (("rating", 4), ("option", 3))],
    Case("rating-not-plain-number", survey(delimited(with_cell(with_cell(GOOD, 3, 4, "1_0"), 4, 4, "inf"))),
         read=SIX, kept=SIX, aside=((SURVEY, 3, HEADER[4], "not a number"), (SURVEY, 4, HEADER[4], "not a number"))),
    Case("nan-as-id-and-site", survey(delimited(with_cell(with_cell(GOOD, 3, 0, "nan"), 5, 1, "#N/A"))),
         read=SIX, kept={SURVEY: 4}, aside=((SURVEY, 3, "Ref", "no respondent id"), (SURVEY, 5, "Trust site", "no site"))),
    # ---- duplicate respondent ids
    Case("duplicate-id-across-files", two_files(rows(4), rows(3, start=4)),
         read={SURVEY: 4, "exports/feedback_late.csv": 3}, kept={SURVEY: 4, "exports/feedback_late.csv": 2},
         aside=(("exports/feedback_late.csv", 2, "Ref", f"duplicate respondent id (first seen in {SURVEY} row 5)"),),
         run=True),
    Case("duplicate-id-within-file", survey(delimited(GOOD + rows(1, start=2))), read={SURVEY: 7}, kept=SIX,
         aside=((SURVEY, 8, "Ref", "duplicate respondent id (first seen at row 3)"),)),
    # ---- WebVTT and SRT: every cue kept or set aside with its line
    Case("vtt-srt-style-timestamps", vtt([x.replace(".", ",") if "-->" in x else x for x in VTT_OK]),
         read={VTT_SRC: 3}, kept={VTT_SRC: 3}),
    Case("srt-file", transcript("\n".join(["1", "00:00:01,000 --> 00:00:04,000", "Facilitator: What stood out?", "",
                                           "2", "00:00:05,000 --> 00:00:09,500", "P1: The wait.", ""]),
                                "groups/hillside_primary.srt"),
         read={"groups/hillside_primary.srt": 2}, kept={"groups/hillside_primary.srt": 2}),
    Case("vtt-malformed-timestamp", vtt(VTT_OK[:7] + ["00:00:05.000 -> 00:00:09.500"] + VTT_OK[8:]),
         read={VTT_SRC: 3}, kept={VTT_SRC: 2}, aside=((VTT_SRC, 8, None, "malformed cue timing"),)),
    Case("vtt-cue-without-speaker", vtt(VTT_OK[:8] + ["Honestly the wait."] + VTT_OK[9:]),
         read={VTT_SRC: 3}, kept={VTT_SRC: 2}, aside=((VTT_SRC, 9, None, "no speaker"),)),
    Case("vtt-text-without-timing", vtt(VTT_OK + ["<v P3>A stray line with no timing", ""]),
         read={VTT_SRC: 4}, kept={VTT_SRC: 3}, aside=((VTT_SRC, 15, None, "no cue timing"),)),
    Case("vtt-two-voices-in-one-cue", vtt(VTT_OK[:8] + ["<v P1>The wait.</v>", "<v P2>And the parking.</v>"] + VTT_OK[9:]),
         read={VTT_SRC: 4}, kept={VTT_SRC: 4}, speakers=("Facilitator", "P1", "P2", "P2")),
    Case("vtt-notes-and-styles-are-not-cues", vtt(VTT_OK[:2] + ["NOTE exported by a tool", "", "STYLE", "::cue {}", ""]
                                                  + VTT_OK[2:]),
         read={VTT_SRC: 3}, kept={VTT_SRC: 3}),
    Case("vtt-without-header", vtt(VTT_OK[2:]), TranscriptFormatError, ("WEBVTT",), VTT_SRC, row=1),
    Case("vtt-no-cue-has-a-speaker", vtt([x.split(">", 1)[-1] if x.startswith("<v") else x for x in VTT_OK]),
         EmptyInputError, ("no speaker", "3 cues"), VTT_SRC),
    Case("vtt-utf16", vtt([], raw=utf16("\n".join(VTT_OK))), read={VTT_SRC: 3}, kept={VTT_SRC: 3}),
    # ---- Word and plain-text transcripts
    Case("docx-that-is-a-txt", transcript("Facilitator: Hello\nP1: Hi\n", "groups/hillside_primary.docx"), InputError,
         ("not a Word document", ".txt"), "groups/hillside_primary.docx"),
    Case("docx-truncated", transcript(truncated(docx_bytes(["Facilitator: Hello", "P1: Hi"])),
                                      "groups/hillside_primary.docx"),
         InputError, ("truncated or corrupt",), "groups/hillside_primary.docx"),
    Case("docx-turns-in-a-table", transcript(docx_bytes(["Focus group, Hillside"],
                                                        [["Facilitator", "What stood out?"], ["P1", "The wait."],
                                                         ["P2", "The leaflet."]]), "groups/hillside_primary.docx"),
         read={"groups/hillside_primary.docx": 3}, kept={"groups/hillside_primary.docx": 3},
         speakers=("Facilitator", "P1", "P2")),
    Case("txt-is-a-docx", transcript(docx_bytes(["Facilitator: Hello"]), TRANSCRIPT), InputError,
         ("Word document", ".docx"), TRANSCRIPT),
    Case("txt-utf16-le", transcript(utf16("Facilitator: What stood out?\nP1: The wait.\n"), TRANSCRIPT),
         read={TRANSCRIPT: 2}, kept={TRANSCRIPT: 2}),
    Case("txt-holding-webvtt", transcript("\n".join(VTT_OK), TRANSCRIPT), read={TRANSCRIPT: 3}, kept={TRANSCRIPT: 3}),
]


# ------------------------------------------------------------------------------------------- checks
def assert_accounted(data) -> None:
    """For every source: rows read = kept + set aside (surveys: respondents; transcripts: segments)."""
    aside = data.set_aside
    for s in data.sources:
        mine = aside[aside["source_id"] == s["source_id"]]
        if s["kind"] == "survey":
            kept = int((data.respondents["source_id"] == s["source_id"]).sum())
            row_level = mine[mine["reason"].map(is_row_set_aside).astype(bool)]
            assert row_level["reason"].str.startswith(ROW_REASONS).all()
            assert not row_level["row"].duplicated().any(), row_level
            assert s["respondents_kept"] == kept
        else:
            kept = int((data.segments["source_id"] == s["source_id"]).sum())
            row_level = mine
        assert s["rows_read"] == kept + len(row_level), (s, kept, row_level)
        assert s["rows_set_aside"] == len(row_level) and s["rows_kept"] == kept, s
    assert accounting(data)["balanced"].all()


def declared_only(out: Path) -> None:
    """No phantom site or group (empty, NaN, a marker) in any output table."""
    allowed_sites, allowed_groups = {"HSH", "LWC", "all"}, {"primary", "secondary", "all"}
    for name, col, allowed in (("survey_scores.csv", "site", allowed_sites), ("survey_scores.csv", "group", allowed_groups),
                               ("cross_site.csv", "site", allowed_sites), ("segments.csv", "site", allowed_sites),
                               ("segments.csv", "group", allowed_groups)):
        df = pd.read_csv(out / name, dtype=str, keep_default_na=False)
        assert set(df[col]) <= allowed, (name, col, set(df[col]) - allowed)
    themes = pd.read_csv(out / "themes.csv", dtype=str, keep_default_na=False)
    assert set(themes["scope"]) <= allowed_sites | allowed_groups


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path, capsys):
    root = write_project(tmp_path / "p")
    case.build(root)
    rc = main(["validate", str(root)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    cfg, questions, _codebook, problems = load_and_check(root)
    assert not problems, problems
    if case.error:
        assert rc == 2, out + err
        with pytest.raises(PledgeError) as exc:
            read_inputs(cfg, questions)
        assert isinstance(exc.value, case.error), repr(exc.value)
        message = str(exc.value)
        for text, where in ((message, "exception"), (err, "validate stderr")):
            assert Path(case.file).name in text, (where, text)
            for w in case.words:
                assert w in text, (where, w, text)
            if case.line:
                assert f"line {case.line}" in text, (where, text)
            if case.row:
                assert f"row {case.row}" in text, (where, text)
            if case.column:
                assert repr(case.column) in text, (where, text)
        assert case.file in err  # the CLI names the file by its path in the project
        if case.key:
            assert f"key {case.key!r}" in err and "project.yaml" in err, err
        assert main(["run", str(root), "--out", str(tmp_path / "out"), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert Path(case.file).name in err and "Traceback" not in err
        assert not (tmp_path / "out" / "segments.csv").exists()
        return
    assert rc == 0, err
    data = read_inputs(cfg, questions)
    assert_accounted(data)
    by_source = {s["source_id"]: s for s in data.sources}
    for source, n in case.read.items():
        assert by_source[source]["rows_read"] == n, by_source[source]
    for source, n in case.kept.items():
        assert by_source[source]["rows_kept"] == n, by_source[source]
    aside = data.set_aside
    for source, row, column, words in case.aside:
        hit = aside[(aside["source_id"] == source) & (aside["row"] == row) & aside["reason"].str.contains(words, regex=False)]
        assert len(hit) == 1, (source, row, words, aside.to_string())
        assert hit["column"].iloc[0] == column or (column is None and not isinstance(hit["column"].iloc[0], str))
    reasons = set(aside["reason"])
    assert len(aside) == len(case.aside), aside.to_string()
    for r in reasons:  # the validate report lists every reason
        assert r[:40] in out, (r, out)
    sites = set(data.respondents["site"]) | set(data.segments["site"])
    assert sites <= {"HSH", "LWC"}, sites
    # what was read is read right: the text intact whatever the encoding, every answer of a kept
    # respondent kept or set aside, clean speakers and HH:MM:SS.mmm cue times
    survey_texts = data.segments.loc[data.segments["source_type"] == "survey", "text"]
    if case.id.startswith(("utf", "excel", "cp1252", "trailing", "blank-lines", "xlsx-sheet-key", "xlsx-one")):
        assert (survey_texts == COMMENT).sum() == 6, survey_texts.tolist()
    turns = data.segments[data.segments["source_type"] != "survey"]
    assert not turns["speaker"].str.contains("[<>:]").any() and not turns["text"].str.contains("<v").any()
    stamps = turns["timestamp"].dropna()
    assert stamps.str.fullmatch(r"\d{2}:\d{2}:\d{2}\.\d{3}").all(), stamps.tolist()
    if case.id.startswith(("vtt", "srt")):
        assert len(stamps) == len(turns)
    if case.speakers:
        assert tuple(turns["speaker"]) == case.speakers
    answered = len(data.respondents) * 2  # both questions answered by every synthetic respondent
    bad_answers = aside[aside["reason"].str.startswith("answer to")]
    if case.id.startswith(("text-", "rating-", "xlsx-error")):
        assert len(data.responses) + len(bad_answers) == answered
    if case.run:
        assert main(["run", str(root), "--out", str(tmp_path / "out"), "--quiet"]) == 0
        err = capsys.readouterr().err
        assert "Traceback" not in err
        declared_only(tmp_path / "out")
        written = pd.read_csv(tmp_path / "out" / "set_aside.csv", dtype=str, keep_default_na=False)
        assert len(written) == len(aside)


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


def test_text_never_becomes_nan_and_back(tmp_path):
    """A cell holding the text 'nan' (or 'NULL', 'None') keeps its text in comments and attributes."""
    from pledge_analysis.io.files import read_table

    p = tmp_path / "s.csv"
    p.write_text("a,b,c\nnan,NULL,None\n,,\n#N/A,,x\n", encoding="utf-8")
    t = read_table(p)
    assert t.frame.values.tolist() == [["nan", "NULL", "None"], ["", "", ""], ["#N/A", "", "x"]]
    assert t.rows == [2, 3, 4]
    assert t.frame.map(type).eq(str).all().all()
