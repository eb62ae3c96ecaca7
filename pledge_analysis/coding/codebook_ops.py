"""Codebook files beyond YAML (Excel, the NHS feedback framework) and the edits a researcher needs.

Edits are pure functions returning new tables: :func:`add_code`, :func:`rename_code`,
:func:`move_code`, :func:`merge_codes` (the codings of the merged code follow it) and
:func:`retire_code` (kept for history, no longer applied). Each validates the result.

>>> from pledge_analysis.coding.codebook import codebook_from_records
>>> cb = codebook_from_records([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}])
>>> merge_codes(cb, None, "b", into="a")[0]["code_id"].tolist()
['a']
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import schema
from ..io.safe import safe_to_excel, unneutralise_frame
from ..errors import CodebookError, MissingFileError
from ..schema import present as _present
from .codebook import PALETTE, codebook_from_records, validate_codebook

_LIST_COLUMNS = ("keywords", "examples", "survey_items")


def write_codebook_xlsx(cb: pd.DataFrame, path: str | Path) -> None:
    """Write the codebook to Excel (lists one item per line within a cell)."""
    out = cb.copy()
    for c in _LIST_COLUMNS:
        out[c] = out[c].map(lambda v: "\n".join(v) if isinstance(v, list) else "")
    safe_to_excel(out, path, sheet_name="Codebook")  # no cell a spreadsheet would run as a formula


def read_codebook_xlsx(path: str | Path) -> pd.DataFrame:
    """Read a codebook written by :func:`write_codebook_xlsx` (or made by hand with those columns)."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError("codebook workbook not found", path=path)
    raw = unneutralise_frame(pd.read_excel(path, dtype=str).fillna(""))  # drop write_codebook_xlsx's guard quote
    schema.require_columns(raw, ["code_id", "name"], table="codebook workbook", path=path)
    records = []
    for rec in raw.to_dict("records"):
        r = {"id": rec["code_id"], "name": rec["name"], "parent": rec.get("parent_id") or None}
        for k in ("description", "include", "exclude", "colour", "concern"):
            r[k] = rec.get(k) or None
        for k in _LIST_COLUMNS:
            cell = str(rec.get(k, ""))
            r[k] = [x.strip() for x in cell.split("\n" if "\n" in cell else ";") if x.strip()]
        records.append(r)
    return codebook_from_records(records, source=str(path))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def read_nhs_framework(path: str | Path) -> pd.DataFrame:
    """Import the NHS patient-feedback "qualitative data categorisation" framework (v7 CSV):
    categories become parent codes, sub-categories their children, with descriptions and examples."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError("framework file not found", path=path)
    raw = pd.read_csv(path).fillna("")
    schema.require_columns(raw, ["Category", "Sub-category", "Sub-category description", "Examples"],
                           table="framework", path=path)
    records, seen = [], set()
    for rec in raw.to_dict("records"):
        cat = rec["Category"].strip()
        cat_id = _slug(cat)
        if cat_id not in seen:
            seen.add(cat_id)
            records.append({"id": cat_id, "name": cat, "description": f"NHS feedback framework category: {cat}"})
        sub = rec["Sub-category"].strip()
        examples = []
        for line in str(rec["Examples"]).splitlines():  # "POSITIVE: 'a', 'b'" / "NEGATIVE/ WISHLIST: ..."
            line = re.sub(r"^\s*[A-Za-z /]+:\s*", "", line)
            examples += [e.strip(" ‘’'\"") for e in re.split(r"['‘’]\s*,\s*['‘’]", line) if e.strip(" ‘’'\"")]
        records.append({"id": f"{cat_id}.{_slug(sub)}", "name": sub, "parent": cat_id,
                        "description": rec["Sub-category description"].strip(), "examples": examples[:8]})
    return codebook_from_records(records, source=str(path))


def add_code(cb: pd.DataFrame, code_id: str, name: str, *, parent: str | None = None, **fields) -> pd.DataFrame:
    """A new code (fields as in YAML: description, keywords, colour, survey_items ...)."""
    if code_id in set(cb["code_id"]):
        raise CodebookError(f"code id {code_id!r} already exists; choose another id or edit that code.")
    row = {"code_id": code_id, "name": name, "parent_id": parent, "description": "", "include": "", "exclude": "",
           "keywords": [], "examples": [], "colour": None, "survey_items": [], "concern": ""}
    row.update(fields)
    if not _present(row.get("colour")):  # a child takes its parent's colour, a new theme the next in the palette
        n_top = int((~cb["parent_id"].map(_present)).sum())
        row["colour"] = (cb.set_index("code_id").at[parent, "colour"] if parent in set(cb["code_id"])
                         else PALETTE[n_top % len(PALETTE)])
    out = pd.concat([cb, pd.DataFrame([row], dtype=object)], ignore_index=True)
    validate_codebook(out)
    return out


def _index(cb: pd.DataFrame, code_id: str) -> int:
    hits = cb.index[cb["code_id"] == code_id]
    if not len(hits):
        raise CodebookError(f"no code {code_id!r} in the codebook (codes: {sorted(cb['code_id'])[:12]} ...).", code="PA301")
    return hits[0]


def rename_code(cb: pd.DataFrame, code_id: str, name: str) -> pd.DataFrame:
    out = cb.copy()
    out.at[_index(out, code_id), "name"] = name
    return out


def move_code(cb: pd.DataFrame, code_id: str, parent: str | None) -> pd.DataFrame:
    """Give a code a new parent (``None``: make it a top-level theme); cycles are refused."""
    out = cb.copy()
    out.at[_index(out, code_id), "parent_id"] = parent
    validate_codebook(out)
    return out


def merge_codes(cb: pd.DataFrame, codings: pd.DataFrame | None, code_id: str, *, into: str
                ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Merge ``code_id`` into ``into``: its keywords and examples join, its children and codings move."""
    i, j = _index(cb, code_id), _index(cb, into)
    out = cb.copy()
    for c in ("keywords", "examples", "survey_items"):
        merged = list(dict.fromkeys(list(out.at[j, c] or []) + list(out.at[i, c] or [])))
        out.at[j, c] = merged
    out.loc[out["parent_id"] == code_id, "parent_id"] = into
    out = out.drop(index=i).reset_index(drop=True)
    validate_codebook(out)
    if codings is not None:
        codings = codings.copy()
        codings.loc[codings["code_id"] == code_id, "code_id"] = into
    return out, codings


def retire_code(cb: pd.DataFrame, code_id: str) -> pd.DataFrame:
    """Mark a code retired (``retired=True``): kept so old codings stay readable, not applied by rules."""
    out = cb.copy()
    if "retired" not in out.columns:
        out["retired"] = False
    out.at[_index(out, code_id), "retired"] = True
    out.at[_index(out, code_id), "keywords"] = []
    return out


def active(cb: pd.DataFrame) -> pd.DataFrame:
    """Codes that are not retired."""
    return cb[~cb["retired"].map(_present_true)] if "retired" in cb.columns else cb


def _present_true(v) -> bool:
    return bool(v) if _present(v) else False
