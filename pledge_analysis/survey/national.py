"""National benchmark: published CPES results, a trust's breast cancer rows, and its funnel position.

:func:`benchmark_rows` picks the one national row per question that a project compares with.
The published file holds many per question (years 2016-2018, all cancers and each tumour group,
adjusted / unadjusted / year-on-year series, breakdowns by sex and deprivation), so the choice
is named explicitly (``benchmark:`` in project.yaml: ``year``, ``cancer_type``, ``adjustment``)
and anything left ambiguous is an error, never "the last row wins".
"""
from __future__ import annotations

import pandas as pd

from ..errors import InputError
from .funnels import funnel

#: Values of the published breakdown columns that mean "the whole population".
WHOLE_POPULATION = {"sex": ("both", "all", ""), "imd": ("all", "")}


def select(national: pd.DataFrame, *, geog: str | None = "Trust", cancer_type: str | None = "Breast",
           year: int | None = None, question_id: str | None = None, trust_code: str | None = None) -> pd.DataFrame:
    """Rows of a :func:`read_national` table matching every filter given (``None`` = any)."""
    m = pd.Series(True, index=national.index)
    for col, val in (("geog", geog), ("cancer_type", cancer_type), ("year", year), ("question_id", question_id),
                     ("trust_code", trust_code)):
        if val is not None:
            m &= national[col] == val
    return national[m]


def trust_funnel(national: pd.DataFrame, question_id: str, *, year: int | None = None,
                 cancer_type: str | None = "Breast", adjustment: str | None = None, focus: str | None = None,
                 tau2: float | None = None) -> pd.DataFrame:
    """Every trust's score on one question on a funnel whose target is the national score.

    The trust rows are those of ``question_id``, ``year``, ``cancer_type`` and ``adjustment`` (``None`` =
    any; the published ``adjusted``, ``unadjusted`` or ``yearonyear`` series), whole population only (no
    breakdown by sex or deprivation). Each trust must then have one row: several (two years, or two
    series) raise :class:`~pledge_analysis.errors.InputError` naming what differs, as does a selection
    that matches nothing (naming the years, cancer types, series and questions the file has).
    ``focus`` (a trust code) is marked in an ``is_focus`` column. Suppressed rows are left out.
    The target is the one national row of that selection (:func:`benchmark_rows`: several rows are an
    error); without one (the published file has no national row of the adjusted series), the trusts'
    n-weighted mean.
    """
    trusts = national[national["geog"].astype(str).str.lower() == "trust"]
    for col, keep in WHOLE_POPULATION.items():
        if col in trusts.columns:
            trusts = trusts[trusts[col].fillna("").astype(str).str.strip().str.lower().isin(keep)]
    chosen = {"question_id": question_id, "year": year, "cancer_type": cancer_type, "adjustment": adjustment}
    rows = trusts
    for col, val in chosen.items():
        if val is None or col not in rows.columns:
            continue
        if col == "year":
            rows = rows[pd.to_numeric(rows[col], errors="coerce") == int(val)]
        else:
            rows = rows[rows[col].fillna("").astype(str).str.strip().str.lower() == str(val).strip().lower()]
    asked = ", ".join(f"{k.replace('_', ' ')} {v!r}" for k, v in chosen.items() if v is not None)
    if rows.empty:
        have = "; ".join(f"{c.replace('_', ' ')}s: {_listing(trusts[c])}" for c in chosen if c in trusts.columns)
        raise InputError(f"no trust rows match {asked}. The file's trust rows have {have}",
                         hint="Pass question_id, year=, cancer_type= and adjustment= values the file has.")
    several = rows[rows.duplicated("trust_code", keep=False)] if "trust_code" in rows.columns else rows.iloc[:0]
    if len(several):
        first = several[several["trust_code"] == several["trust_code"].iloc[0]]
        differ = [c for c in ("year", "cancer_type", "adjustment") if c in first.columns
                  and first[c].astype(str).nunique() > 1]
        detail = "; ".join(f"{c.replace('_', ' ')}s {_listing(first[c])}" for c in differ) or "identical labels"
        raise InputError(f"the trust rows are ambiguous: trust {first['trust_code'].iloc[0]} has {len(first)} rows "
                         f"for {asked} ({detail}), and a funnel places each trust once",
                         hint="Name the one to use with " + (", ".join(f"{c}=" for c in differ) or "year=, adjustment=")
                              + " (e.g. adjustment='adjusted' for the published case-mix adjusted scores).")
    rows = rows.dropna(subset=["n", "estimate"])
    nat = national[national["geog"].astype(str).str.lower() == "national"]
    nat = nat[nat["question_id"].astype(str) == str(question_id)]
    if adjustment is not None and "adjustment" in nat.columns:
        nat = nat[nat["adjustment"].fillna("").astype(str).str.strip().str.lower() == adjustment.strip().lower()]
    if cancer_type is not None and "cancer_type" in nat.columns:
        nat = nat[nat["cancer_type"].fillna("").astype(str).str.strip().str.lower() == cancer_type.strip().lower()]
    if year is not None and "year" in nat.columns:
        nat = nat[pd.to_numeric(nat["year"], errors="coerce") == int(year)]
    # the national score of that selection: one row, or a located error (never the first of several)
    target = (float(benchmark_rows(nat, year=year, cancer_type=cancer_type, adjustment=adjustment)["estimate"].iloc[0])
              if len(nat) else None)
    out = funnel(rows.reset_index(drop=True), target=target, tau2=tau2)
    out["is_focus"] = out["trust_code"] == focus if focus else False
    return out


def _listing(values) -> str:
    vals = sorted({str(v) for v in values if not pd.isna(v) and str(v) != ""})
    return ", ".join(vals) if vals else "(none given)"


def _label(row) -> str:
    parts = [str(row[c]) for c in ("year", "cancer_type", "adjustment") if c in row and not pd.isna(row[c])
             and str(row[c]) != ""]
    n = row.get("n")
    size = f" (n {int(n):,})" if n is not None and not pd.isna(n) else ""
    return f"national {row['question_id']}" + (": " + ", ".join(parts) if parts else "") + size


def benchmark_rows(national: pd.DataFrame, *, year: int | None = None, cancer_type: str | None = None,
                   adjustment: str | None = None, geog: str = "National", path=None) -> pd.DataFrame:
    """The one national row per question named by ``year``, ``cancer_type`` and ``adjustment``.

    ``national`` is a :func:`~pledge_analysis.survey.read_national` table. Rows are kept when
    ``geog`` matches (case-insensitive) and each filter given matches (``None`` = any;
    ``cancer_type`` and ``adjustment`` case-insensitive); breakdowns by sex or deprivation are
    left out (only whole-population rows are benchmarks). Returns the rows with a
    ``benchmark_source`` label such as ``"national Q1: 2018, Breast, unadjusted (n 9,046)"``.

    Raises :class:`~pledge_analysis.errors.InputError` when nothing matches (naming the years,
    cancer types and adjustments the file has) or when a question still has several rows (naming
    the values that differ and the ``benchmark:`` key to set). ``path`` names the file in messages.

    >>> nat = pd.DataFrame({"geog": "National", "question_id": ["Q1", "Q1"], "year": [2017, 2018],
    ...                     "cancer_type": "Breast", "adjustment": "unadjusted", "estimate": [0.93, 0.94],
    ...                     "n": [9000, 9046]})
    >>> benchmark_rows(nat, year=2018)["benchmark_source"].tolist()
    ['national Q1: 2018, Breast, unadjusted (n 9,046)']
    """
    where = ""  # the file is named by the error itself (path=)
    nat = national[national["geog"].astype(str).str.lower() == geog.lower()]
    if nat.empty:
        raise InputError(f"the national results{where} have no {geog!r} rows (geographies: "
                         f"{_listing(national['geog'])})",
                         hint="Give a file in the CPES layout with national rows (Geog = National).", path=path)
    for col, keep in WHOLE_POPULATION.items():
        if col in nat.columns:
            nat = nat[nat[col].fillna("").astype(str).str.strip().str.lower().isin(keep)]
    chosen = {"year": year, "cancer_type": cancer_type, "adjustment": adjustment}
    m = pd.Series(True, index=nat.index)
    for col, val in chosen.items():
        if val is None:
            continue
        if col not in nat.columns:
            raise InputError(f"benchmark {col} {val!r} was asked for but the national results{where} have no "
                             f"{col} column", hint=f"Remove {col}: from benchmark: in project.yaml.", path=path)
        if col == "year":
            m &= pd.to_numeric(nat[col], errors="coerce") == int(val)
        else:
            m &= nat[col].fillna("").astype(str).str.strip().str.lower() == str(val).strip().lower()
    picked = nat[m]
    asked = ", ".join(f"{k.replace('_', ' ')} {v!r}" for k, v in chosen.items() if v is not None) or "no filter"
    if picked.empty:
        have = "; ".join(f"{col.replace('_', ' ')}s: {_listing(nat[col])}" for col in chosen if col in nat.columns)
        raise InputError(f"no national benchmark rows{where} match {asked}. The file has {have}",
                         hint="Set benchmark: year:, cancer_type: and adjustment: in project.yaml to values "
                              "the file has.", path=path)
    counts = picked.groupby("question_id").size()
    several = counts[counts > 1]
    if len(several):
        q = several.index[0]
        rows = picked[picked["question_id"] == q]
        differ = [c for c in chosen if c in rows.columns and rows[c].astype(str).nunique() > 1]
        detail = "; ".join(f"{c.replace('_', ' ')}s {_listing(rows[c])}" for c in differ) or "identical labels"
        keys = ", ".join(f"{c}:" for c in differ) or "year:, cancer_type:, adjustment:"
        raise InputError(f"the national benchmark is ambiguous{where}: {len(several)} question(s) have several "
                         f"rows after selecting {asked} (e.g. {q}: {int(several.iloc[0])} rows, {detail})",
                         hint=f"Name the one to use with {keys} under benchmark: in project.yaml (in Python: "
                              "the year=, cancer_type=, adjustment= arguments).", path=path)
    out = picked.copy()
    out["benchmark_source"] = [_label(r) for _, r in out.iterrows()]
    return out.reset_index(drop=True)
