"""A formula cell of action_plan.xlsx without a saved value is refused, never read as a blank.

Excel and LibreOffice save each formula's result next to it; openpyxl (and macros that save without
recalculating) save the formula alone, and a reader of saved values then sees an empty cell, so the
person's edit would be lost without a word. The workbooks here are real: written by
``write_action_plan_xlsx``, edited with openpyxl, and, for the "as Excel saves it" cases, given the saved
value in the sheet XML the way Excel writes it.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLES
from pledge_analysis.cli import main
from pledge_analysis.errors import InputError
from pledge_analysis.pledge import read_action_plan_xlsx, write_action_plan_xlsx


def _plan() -> pd.DataFrame:
    return pd.DataFrame([
        {"goal_id": "G01", "scope": "Site A", "theme": "information", "you_said": "I did not know who to call",
         "we_plan_to": "", "by": "", "owner": "", "status": "not started"},
        {"goal_id": "G02", "scope": "Site A", "theme": "environment", "you_said": "The waiting room was cold",
         "we_plan_to": "", "by": "", "owner": "", "status": "not started"}])


def _edit_with_openpyxl(path: Path, cells: dict[str, str]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ref, value in cells.items():
        wb.active[ref] = value
    wb.save(path)


def _set_saved_value(path: Path, ref: str, value: str) -> None:
    """Give formula cell ``ref`` a saved text result as Excel writes it: ``<c t="str"><f>..</f><v>..</v>``."""
    tmp = path.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml, n = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v></v></c>',
                                 lambda m: f'<c r="{ref}"{m.group(1)} t="str"><f>{m.group(2)}</f><v>{value}</v></c>',
                                 data.decode("utf-8"))
                assert n == 1, f"formula cell {ref} not found in the sheet XML"
                data = xml.encode("utf-8")
            dst.writestr(item, data)
    tmp.replace(path)


def test_formula_cells_without_saved_value_are_refused_naming_sheet_cell_row_and_column(tmp_path):
    path = tmp_path / "action_plan.xlsx"
    write_action_plan_xlsx(_plan(), path)
    # E = We plan to, F = By: a script typed formulas and saved without computing them
    _edit_with_openpyxl(path, {"E2": '="Open a nurse-led "&"results clinic"', "F3": "=DATE(2026,9,30)"})
    with pytest.raises(InputError) as e:
        read_action_plan_xlsx(path, previous=_plan())
    msg = str(e.value)
    assert e.value.code == "PA115", msg
    assert "2 formula cell(s)" in msg
    assert "sheet 'Action plan', cell E2 (row 2, column 'We plan to')" in msg
    assert "sheet 'Action plan', cell F3 (row 3, column 'By')" in msg
    assert "=DATE(2026,9,30)" in msg
    assert "save it" in msg and "type the value" in msg and "nothing was imported" in msg


def test_import_plan_command_reports_the_unsaved_formula_without_traceback(tmp_path, capsys):
    path = tmp_path / "action_plan.xlsx"
    write_action_plan_xlsx(_plan(), path)
    _edit_with_openpyxl(path, {"E2": '=UPPER("open a clinic")'})
    project = tmp_path / "project"
    shutil.copytree(SAMPLES, project)
    store = tmp_path / "store.sqlite"
    code = main(["import-plan", str(project), str(path), "--store", str(store)])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    assert err.startswith("error: PA115") and "cell E2 (row 2, column 'We plan to')" in err, err


def test_formula_with_a_saved_value_reads_as_that_value(tmp_path):
    path = tmp_path / "action_plan.xlsx"
    write_action_plan_xlsx(_plan(), path)
    _edit_with_openpyxl(path, {"E2": '="Open a nurse-led "&"results clinic"', "E3": '=IF(1=1,"","x")'})
    _set_saved_value(path, "E2", "Open a nurse-led results clinic")
    _set_saved_value(path, "E3", "")          # Excel saves an empty text result as an empty <v> of type str
    plan, changes = read_action_plan_xlsx(path, previous=_plan())
    assert plan.loc[0, "we_plan_to"] == "Open a nurse-led results clinic"
    assert plan.loc[1, "we_plan_to"] == ""
    assert changes["goal_id"].tolist() == ["G01"]


def test_a_survey_workbook_whose_comment_is_a_formula_without_a_saved_value_is_refused(tmp_path):
    """Session 10 (plan helper's left item): the survey reader took saved values too, so a comment written as a
    formula by a script came back blank and the patient's words were lost without a word. The sheet read is
    the survey's own (here the second sheet, named with `sheet:`), not only the first."""
    from openpyxl import Workbook

    from pledge_analysis.io import read_table

    path = tmp_path / "survey.xlsx"
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "read me"
    ws = wb.create_sheet("Answers")
    ws.append(["respondent_id", "site", "Any other comments?"])
    ws.append(["r1", "RGH", "The nurses were kind."])
    ws.append(["r2", "RGH", '="The parking was " & "awful"'])  # a formula, saved by openpyxl without its value
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_table(path, sheet="Answers")
    msg = str(err.value)
    assert err.value.code == "PA115" and "sheet 'Answers', cell C3" in msg and "'Any other comments?'" in msg
    ws["C3"] = "The parking was awful"  # typed as a value: read as it is
    wb.save(path)
    assert read_table(path, sheet="Answers").frame["Any other comments?"].tolist() == [
        "The nurses were kind.", "The parking was awful"]


def test_init_is_not_stopped_by_a_formula_on_a_sheet_it_does_not_read(tmp_path):
    """A hidden old copy holding a formula without its value does not stop init finding the visible survey
    sheet; the sheet it reads is still checked (test above)."""
    from openpyxl import Workbook

    from pledge_analysis.scaffold import init_project

    path = tmp_path / "survey.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Survey"
    ws.append(["respondent_id", "Hospital", "Any other comments?"])
    for i in range(30):
        ws.append([f"r{i}", "RGH", "The nurses were kind."])
    old = wb.create_sheet("Old copy")
    old.append(["respondent_id", "Hospital", "Any other comments?"])
    for i in range(30):
        old.append([f"r{i}", "RGH", '="Parking " & "awful"'])
    old.sheet_state = "hidden"
    wb.save(path)
    init_project(tmp_path / "proj", surveys=[path])
    assert "sheet: Survey" in (tmp_path / "proj" / "project.yaml").read_text(encoding="utf-8")
