"""Issue 12, bad-input corpus (init part): a survey workbook with several sheets holding rows.

``pledge-analysis init`` must never fail on it with advice about a project.yaml that does not exist yet:
it reads the sheet that looks like the survey and writes ``sheet:`` (saying so), or, when no sheet clearly
does, stops with a message listing the sheets and how to choose one (``--sheet``).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from test_scaffold import build_user_files
from pledge_analysis.cli import main
from pledge_analysis.errors import ConfigError
from pledge_analysis.io.yamlfile import load_yaml


@pytest.fixture()
def answers(tmp_path) -> pd.DataFrame:
    (tmp_path / "user").mkdir()
    files = build_user_files(tmp_path / "user")
    return pd.read_csv(files["exports"] / "patient_feedback.csv", encoding="cp1252", dtype=str, keep_default_na=False)


def workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    with pd.ExcelWriter(path) as w:
        for name, df in sheets.items():
            df.to_excel(w, sheet_name=name, index=False)
    return path


def test_init_reads_the_sheet_that_looks_like_the_survey(tmp_path, answers, capsys):
    book = workbook(tmp_path / "export.xlsx", {
        "About": pd.DataFrame({"Note": ["Exported 2027-03-01", "Survey version 2"]}),
        "Responses": answers, "Lookup": answers[["Ref", "Trust site"]].head(5)})
    assert main(["init", str(tmp_path / "p"), "--survey", str(book)]) == 0
    printed = capsys.readouterr().out
    assert "sheet 'Responses' was read as the survey" in printed and "not read: 'About', 'Lookup'" in printed
    survey = load_yaml(tmp_path / "p" / "project.yaml")["surveys"][0]
    assert survey["sheet"] == "Responses" and survey["columns"]["respondent_id"] == "Ref"
    assert f"({len(answers)} rows)" in printed  # the whole sheet read


def test_init_asks_which_sheet_when_several_look_like_a_survey(tmp_path, answers, capsys):
    book = workbook(tmp_path / "rounds.xlsx", {"Round 1": answers, "Round 2": answers.head(30)})
    assert main(["init", str(tmp_path / "p"), "--survey", str(book)]) == 2
    err = capsys.readouterr().err
    assert "rounds.xlsx has 2 sheets with rows ('Round 1' (57 rows" in err and "'Round 2' (30 rows" in err
    assert "--sheet" in err and "Traceback" not in err and not (tmp_path / "p" / "project.yaml").exists()
    with pytest.raises(ConfigError, match="init cannot tell which one holds the survey"):
        from pledge_analysis.scaffold import init_project

        init_project(tmp_path / "p", surveys=[book])
    assert main(["init", str(tmp_path / "p"), "--survey", str(book), "--sheet", "Round 2"]) == 0
    assert load_yaml(tmp_path / "p" / "project.yaml")["surveys"][0]["sheet"] == "Round 2"
    assert "(30 rows)" in capsys.readouterr().out
