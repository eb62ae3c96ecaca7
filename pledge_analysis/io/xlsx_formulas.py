"""Formula cells of an .xlsx worksheet that carry no saved value.

An .xlsx cell with a formula keeps two things: the formula (``<f>``) and, when the program that saved it
computed it, the result (``<v>``). Excel and LibreOffice always save the result; openpyxl, and macros
that save without recalculating, write the formula alone. A reader that takes saved values (pandas,
openpyxl's ``data_only=True``) then sees an empty cell, with no sign that anything was there.

:func:`unsaved_formulas` lists those cells of the first sheet (the one ``pandas.read_excel`` reads) as
:class:`UnsavedFormula` records, so a reader can refuse them instead of reading blanks. A formula whose
saved result is the empty text (``t="str"`` with an empty ``<v>``, as Excel writes ``=IF(A1="","",..)``)
has a value and is not listed.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class UnsavedFormula:
    """One formula cell without a saved value: ``sheet`` name, ``ref`` (``F2``), 1-based ``row`` and
    ``column`` numbers, and the ``formula`` text (without ``=``)."""

    sheet: str
    ref: str
    row: int
    column: int
    formula: str


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


def _first_sheet(z: zipfile.ZipFile) -> tuple[str, str] | None:
    """(name, member path) of the workbook's first sheet, or None when the workbook does not say."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    sheet = book.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        return None
    rid = sheet.get(f"{_REL}id")
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            return sheet.get("name", ""), member
    return None


def unsaved_formulas(path: str | Path) -> list[UnsavedFormula]:
    """Formula cells of the first sheet of ``path`` that have no saved value, in sheet order."""
    out: list[UnsavedFormula] = []
    with zipfile.ZipFile(path) as z:
        first = _first_sheet(z)
        if first is None or first[1] not in z.namelist():
            return out
        name, member = first
        with z.open(member) as f:
            for _, cell in ElementTree.iterparse(f):
                if cell.tag != f"{_MAIN}c":
                    continue
                formula = cell.find(f"{_MAIN}f")
                if formula is not None:
                    value = cell.find(f"{_MAIN}v")
                    empty = value is None or (value.text or "") == ""
                    if empty and not (value is not None and cell.get("t") == "str"):
                        ref = cell.get("r", "")
                        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
                        row, col = (int(m.group(2)), _column_number(m.group(1))) if m else (0, 0)
                        out.append(UnsavedFormula(name, ref, row, col, formula.text or ""))
                cell.clear()
    return out
