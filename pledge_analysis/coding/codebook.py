"""The codebook: hierarchical codes read from YAML and validated.

A codebook is a tidy table (columns :data:`pledge_analysis.schema.CODEBOOK`). Codes may
have a ``parent_id``; the top-level ancestor of a code is its *theme*, the unit that
priorities are computed on.

>>> cb = codebook_from_records([{"id": "wait", "name": "Waiting", "keywords": ["wait"]},
...                             {"id": "wait.clinic", "name": "Clinic", "parent": "wait"}])
>>> theme_of(cb)["wait.clinic"]
'wait'
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from .. import schema
from ..schema import present as _present
from ..errors import CodebookError, MissingFileError

PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def codebook_from_records(records: list[dict], *, source: str = "codebook") -> pd.DataFrame:
    """Build and validate a codebook table from a list of dicts (YAML style keys accepted)."""
    rows = []
    for i, r in enumerate(records):
        if not isinstance(r, dict) or not r.get("id"):
            raise CodebookError(f"{source}: code number {i + 1} has no 'id'. Give every code a unique id.")
        rows.append({
            "code_id": str(r["id"]), "name": str(r.get("name") or r["id"]),
            "parent_id": (str(r.get("parent", r.get("parent_id"))) if r.get("parent", r.get("parent_id")) else None),
            "description": r.get("description", "") or "", "include": r.get("include", "") or "",
            "exclude": r.get("exclude", "") or "", "keywords": [str(k) for k in r.get("keywords") or []],
            "examples": [str(k) for k in r.get("examples") or []], "colour": r.get("colour"),
            "survey_items": [str(k) for k in r.get("survey_items") or []],
            "concern": str(r.get("concern") or "").strip(),
        })
    cb = pd.DataFrame(rows, columns=schema.CODEBOOK, dtype=object)
    validate_codebook(cb, source=source)
    top = theme_of(cb)
    colours = {c: cb.set_index("code_id").at[c, "colour"] for c in cb["code_id"]}
    themes = sorted(set(top.values()), key=list(cb["code_id"]).index)
    for k, t in enumerate(themes):
        if not _present(colours.get(t)):
            colours[t] = PALETTE[k % len(PALETTE)]
    cb["colour"] = [colours[c] if _present(colours.get(c)) else colours[top[c]] for c in cb["code_id"]]
    return cb.astype(object)


def validate_codebook(cb: pd.DataFrame, *, source: str = "codebook") -> None:
    """Raise :class:`CodebookError` for duplicate ids, unknown parents or cycles."""
    schema.require_columns(cb, ["code_id", "name", "parent_id"], table=source)
    dup = cb["code_id"][cb["code_id"].duplicated()].tolist()
    if dup:
        raise CodebookError(f"{source}: duplicate code id(s) {dup}. Each code needs a unique id.", code="PA302")
    ids = set(cb["code_id"])
    for code, parent in zip(cb["code_id"], cb["parent_id"]):
        if _present(parent) and parent not in ids:
            raise CodebookError(f"{source}: code {code!r} has parent {parent!r}, which is not in the codebook. "
                                "Add the parent code or fix the parent id.")
    parents = dict(zip(cb["code_id"], cb["parent_id"]))
    for code in cb["code_id"]:  # in codebook order, so that the message is the same on every run
        seen, cur = [code], parents.get(code)
        while _present(cur):
            if cur in seen:
                raise CodebookError(f"{source}: codes form a cycle {' -> '.join(seen + [cur])}. "
                                    "A code cannot be its own ancestor.")
            seen.append(cur)
            cur = parents.get(cur)


def read_codebook(path: str | Path) -> pd.DataFrame:
    """Read a codebook: YAML (a list under ``codes:``, checked against the typed schema of
    :class:`pledge_analysis.project_schema.CodebookFile`, errors with their line) or Excel
    (:func:`pledge_analysis.coding.codebook_ops.read_codebook_xlsx`)."""
    from ..io.yamlfile import load_yaml_located
    from ..project_schema import CodebookFile, parse

    path = Path(path)
    if not path.exists():
        raise MissingFileError("codebook not found", path=path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from .codebook_ops import read_codebook_xlsx

        return read_codebook_xlsx(path)
    data, where = load_yaml_located(path)
    if isinstance(data, list):  # a bare list of codes
        data = {"codes": data}
        where = None
    model = parse(CodebookFile, data, where, path)
    records = [c.model_dump(exclude_defaults=True) | {"id": c.id} for c in model.codes]
    cb = codebook_from_records(records, source=str(path))
    if any(c.retired for c in model.codes):
        cb["retired"] = [c.retired for c in model.codes]
    cb.attrs["formerly"] = _former_ids(model.codes, path)
    return cb


def _former_ids(codes, path) -> dict[str, str]:
    """``{old id: code}`` from each code's ``formerly:``; an old id still in the codebook, or claimed by two
    codes, is refused (people's work cannot go to both)."""
    ids = {c.id for c in codes}
    out: dict[str, str] = {}
    for c in codes:
        for old in c.formerly:
            if old in ids:
                raise CodebookError(f"{path}: code {c.id!r} names {old!r} under formerly:, but {old!r} is still in the "
                                    f"codebook. Delete code {old!r} (its codings then move to {c.id!r}) or take it "
                                    "out of formerly:.")
            if old in out and out[old] != c.id:
                raise CodebookError(f"{path}: codes {out[old]!r} and {c.id!r} both name {old!r} under formerly:; "
                                    f"people's codings of {old!r} can move to one code only. Keep it under one.")
            out[old] = c.id
    return out


def former_ids(cb: pd.DataFrame) -> dict[str, str]:
    """``{old id: code}``: the ids a codebook read by :func:`read_codebook` says its codes had before (``formerly:``,
    a rename or a merge), for the project store to move people's work (:mod:`pledge_analysis.project_sync`)."""
    return dict(cb.attrs.get("formerly") or {})


def write_codebook(cb: pd.DataFrame, path: str | Path) -> None:
    """Write a codebook table to YAML (the format :func:`read_codebook` reads)."""
    codes = []
    for r in cb.to_dict("records"):
        d = {"id": r["code_id"], "name": r["name"]}
        if _present(r.get("parent_id")):
            d["parent"] = r["parent_id"]
        for k in ("description", "include", "exclude", "keywords", "examples", "colour", "survey_items", "concern"):
            if r.get(k):
                d[k] = r[k]
        codes.append(d)
    Path(path).write_text(yaml.safe_dump({"codes": codes}, sort_keys=False, allow_unicode=True), encoding="utf-8")


def theme_of(cb: pd.DataFrame) -> dict[str, str]:
    """Map every code id to its top-level ancestor (its theme)."""
    parents = dict(zip(cb["code_id"], cb["parent_id"]))
    out = {}
    for code in cb["code_id"]:
        cur = code
        while _present(parents.get(cur)):
            cur = parents[cur]
        out[code] = cur
    return out
