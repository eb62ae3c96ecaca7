"""Formula cells of an .xlsx worksheet that carry no saved value.

An .xlsx cell with a formula keeps two things: the formula (``<f>``) and, when the program that saved it
computed it, the result (``<v>``). Excel and LibreOffice always save the result; openpyxl, and macros
that save without recalculating, write the formula alone. A reader that takes saved values (pandas,
openpyxl's ``data_only=True``) then sees an empty cell, with no sign that anything was there.

:func:`unsaved_formulas` lists those cells of one sheet (by default the first, the one ``pandas.read_excel``
reads) as :class:`UnsavedFormula` records, and :func:`refuse_unsaved_formulas` turns them into one
:class:`~pledge_analysis.errors.InputError` (PA115) naming each cell, so a reader (the survey reader,
``import-plan``) refuses them instead of reading blanks. A formula whose
saved result is the empty text (``t="str"`` with an empty ``<v>``, as Excel writes ``=IF(A1="","",..)``)
has a value and is not listed.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: a formula element (``<f>``, ``<f t="shared" ...>``, with or without a namespace prefix) in a sheet's XML
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


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


def unsaved_formulas(path: str | Path, *, member: str | None = None, sheet: str = "") -> list[UnsavedFormula]:
    """Formula cells of one sheet of ``path`` that have no saved value, in sheet order: the sheet stored at
    ``member`` (its path inside the workbook, e.g. ``xl/worksheets/sheet2.xml``, named ``sheet``), or by
    default the first sheet."""
    out: list[UnsavedFormula] = []
    with zipfile.ZipFile(path) as z:
        first = (sheet, member.lstrip("/")) if member else _first_sheet(z)
        if first is None or first[1] not in z.namelist():
            return out
        name, member = first
        data = z.read(member)
    if not _FORMULA_TAG.search(data):  # no formula in the sheet (the usual case): nothing to parse
        return out
    for _, cell in ElementTree.iterparse(io.BytesIO(data)):
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


def refuse_unsaved_formulas(path: str | Path, header: list[str], *, member: str | None = None, sheet: str = "",
                            nothing: str = "nothing was imported") -> None:
    """Raise one :class:`~pledge_analysis.errors.InputError` (PA115) naming each formula cell of the sheet
    (see :func:`unsaved_formulas`) that has no saved value: sheet, cell, row and its column's ``header``
    name. Read as it is, such a cell would come back empty and what a person wrote there would be lost
    without a word. ``nothing`` ends the hint (what was not done)."""
    from ..errors import InputError

    path = Path(path)
    cells = unsaved_formulas(path, member=member, sheet=sheet)
    if not cells:
        return
    shown = []
    for cell in cells[:20]:
        column = header[cell.column - 1] if 0 < cell.column <= len(header) else cell.ref.rstrip("0123456789")
        shown.append(f"sheet {cell.sheet!r}, cell {cell.ref} (row {cell.row}, column {column!r}): "
                     f"formula ={cell.formula or '(shared formula)'} has no saved value")
    more = f"; and {len(cells) - 20} more" if len(cells) > 20 else ""
    raise InputError(f"{len(cells)} formula cell(s) in {path.name} have no saved value, so their content "
                     "cannot be read: " + "; ".join(shown) + more, path=path, code="PA115",
                     hint="Open the workbook in Excel or LibreOffice and save it (that stores each formula's "
                          f"result), or type the value itself in place of the formula; {nothing}.")
