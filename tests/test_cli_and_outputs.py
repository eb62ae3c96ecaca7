"""The command line runs the sample project and writes every promised output."""
import json
import subprocess
import sys

import pandas as pd

from conftest import ROOT, SAMPLES
from pledge_analysis.pipeline import OUTPUTS


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "pledge_analysis.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT)


def test_run_writes_every_output(tmp_path):
    proc = run_cli("run", SAMPLES, "--out", tmp_path, "--store", tmp_path / "store.sqlite")
    assert proc.returncode == 0, proc.stderr
    assert "[1/9] reading surveys and transcripts" in proc.stderr  # progress on long steps
    assert "top priority (secondary): Information and Open Access follow-up" in proc.stdout
    for name in OUTPUTS:
        assert (tmp_path / name).stat().st_size > 0, name
    log = json.loads((tmp_path / "run_log.json").read_text())
    assert log["rows"]["respondents_kept"] == 1650
    assert log["set_aside_by_reason"]["empty row"] == 1
    assert log["random_state"] == 0 and log["packages"]["spacy"]
    assert set(log["timings_s"]) >= {"reading surveys and transcripts", "writing outputs"}
    assert log["store"] == str(tmp_path / "store.sqlite") and log["store_update"]["suggestions"]["new"] > 0
    assert "Updated the project store" in proc.stdout
    assert "Model coding: The store holds 0 accepted codings" in proc.stdout  # and why no model was used
    report = (tmp_path / "report.html").read_text()
    assert report.count("plotly-graph-div") >= 4 and "Draft action plan" in report
    assert "<script src=\"http" not in report  # self-contained: no network needed to view it
    segs = pd.read_csv(tmp_path / "segments.csv")
    assert "text_original" not in segs.columns
    headers = {name: pd.read_csv(tmp_path / name, nrows=0).columns for name in OUTPUTS if name.endswith(".csv")}
    assert {n: [c for c in cols if not c.isidentifier()] for n, cols in headers.items()} == {n: [] for n in headers}
    # written whole (temporary files moved into place), CSV records as RFC 4180 says
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".") or ".tmp" in p.name]
    assert (tmp_path / "segments.csv").read_bytes().split(b"\n", 1)[0].endswith(b"\r")


def test_keep_original_text_is_explicit_and_warned(tmp_path):
    proc = run_cli("run", SAMPLES, "--out", tmp_path, "--quiet", "--keep-original-text",
                   "--store", tmp_path / "store.sqlite")
    assert proc.returncode == 0
    assert "original (not de-identified) text" in proc.stderr
    assert "text_original" in pd.read_csv(tmp_path / "segments.csv").columns
    assert json.loads((tmp_path / "run_log.json").read_text())["warnings"]


def test_help_version_and_clear_errors(tmp_path):
    assert "PROJECT_DIR" in run_cli("run", "--help").stdout
    assert "--debug" in run_cli("--help").stdout
    assert run_cli("--version").stdout.startswith("pledge-analysis 0.1.0")
    proc = run_cli("run", tmp_path / "missing", "--out", tmp_path / "o")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: PA101 project.yaml not found") and "Traceback" not in proc.stderr
    (tmp_path / "afile").write_text("x")
    proc = run_cli("run", SAMPLES, "--out", tmp_path / "afile", "--store", tmp_path / "s.sqlite")
    assert proc.returncode == 2 and "is a file, not a folder" in proc.stderr and "Traceback" not in proc.stderr
    # --debug (before or after the command) shows the traceback of the same error
    proc = run_cli("run", SAMPLES, "--out", tmp_path / "afile", "--store", tmp_path / "s.sqlite", "--debug")
    assert proc.returncode == 2 and "Traceback" in proc.stderr and "OutputError" in proc.stderr


def test_report_says_so_when_nothing_needed_redacting(tmp_path):
    from pledge_analysis.cli import main
    from userlike import edit, write_project

    project = write_project(tmp_path / "p")
    edit(project / "groups" / "hillside_primary.txt", "P1: Mr Pemberton listened to me, which helped.\n", "")
    assert main(["run", str(project), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "no identifier was found to replace" in report
    assert json.loads((tmp_path / "out" / "run_log.json").read_text())["redactions_by_label"] == {}
