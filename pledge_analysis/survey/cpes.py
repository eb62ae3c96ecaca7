"""CPES expected ranges and above / within / below flags, reproduced from a table of published results.

The national Cancer Patient Experience Survey rates each trust's case-mix adjusted score on
each question against an *expected range*. :func:`cpes_flags` rebuilds those ranges from the
published table itself, with the package's own functions, by this recipe (it reproduces 99.8%
of the published 2018 ratings; ``benchmarks/cpes_benchmark.py`` measures it):

1. **Unrounded scores.** Scores are published as whole percentages, which is too coarse to
   place a trust near a limit. The published 95% interval is a Wilson interval with more
   decimals; its midpoint ``m = (p + z^2 / 2n) / (1 + z^2 / n)`` gives back
   ``p = m (1 + z^2 / n) - z^2 / 2n``. For the 0-10 rating (Q59) the interval is symmetric:
   the score is its midpoint and its standard error half its width over ``z``.
2. **Centre** ``p0``: the n-weighted mean of the trusts' (adjusted) scores on the question,
   not the national score.
3. **Between-trust variance** ``tau^2``: DerSimonian-Laird on the proportion scale, with
   z-scores ``(p - p0) / sqrt(v)`` winsorised at 20% / 80%, ``v = p0 (1 - p0) / n``
   (:func:`pledge_analysis.survey.dispersion`).
4. **Range** ``p0 +/- 1.96 sqrt(v + tau^2)``; a trust is ``above`` when its unrounded score
   is above the upper end, ``below`` when under the lower end, else ``within``.

Rows with fewer than 21 respondents (published blank) are kept, marked ``suppressed`` and
not rated, and take no part in the centre or tau^2.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from .. import schema
from ..errors import InputError
from .funnels import dispersion
from .suppression import MIN_N, is_suppressed

Z95 = 1.959963984540054
RATING = {1.0: "above", 2.0: "within", 3.0: "below"}
REQUIRED = ("Geog", "Year", "Question.Number", "Number.of.responses", "Lower.95..confidence.interval",
            "Upper.95..confidence.interval")
COLUMNS = schema.CPES_FLAGS  # limit_low / limit_high: the expected range


def unrounded_from_wilson(low, high, n, *, z: float = Z95):
    """The proportion whose Wilson interval has midpoint ``(low + high) / 2`` (fractions).

    >>> from pledge_analysis.survey import wilson_ci
    >>> lo, hi = wilson_ci(37, 120)
    >>> round(float(unrounded_from_wilson(lo, hi, 120)), 10) == round(37 / 120, 10)
    True
    """
    n = np.asarray(n, dtype=float)
    mid = (np.asarray(low, dtype=float) + np.asarray(high, dtype=float)) / 2
    return mid * (1 + z * z / n) - z * z / (2 * n)


def _question_flags(g: pd.DataFrame, kind: str, *, z: float, winsorise: float, min_n: int) -> pd.DataFrame:
    scale = 1.0 if kind == "mean" else 100.0
    n = g["Number.of.responses"].to_numpy(dtype=float)
    lo = pd.to_numeric(g["Lower.95..confidence.interval"], errors="coerce").to_numpy(dtype=float) / scale
    hi = pd.to_numeric(g["Upper.95..confidence.interval"], errors="coerce").to_numpy(dtype=float) / scale
    sup = is_suppressed(n, min_n) | np.isnan(lo) | np.isnan(hi)
    if kind == "mean":
        est = (lo + hi) / 2
        se_own = (hi - lo) / (2 * Z95)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            est = unrounded_from_wilson(lo, hi, n)
    est = np.where(sup, np.nan, est)
    ok = ~sup
    out = pd.DataFrame({"kind": kind, "n": n, "suppressed": sup, "estimate": est})
    out[["centre", "tau2", "limit_low", "limit_high"]] = np.nan
    out["flag"] = None
    if ok.sum() >= 3:
        p0 = float(np.sum(n[ok] * est[ok]) / np.sum(n[ok]))
        with np.errstate(divide="ignore", invalid="ignore"):
            v = se_own ** 2 if kind == "mean" else p0 * (1 - p0) / n
        _phi, tau2 = dispersion(est[ok], np.sqrt(v[ok]), p0, winsorise=winsorise)
        half = z * np.sqrt(v + tau2)
        low, high = p0 - half, p0 + half
        if kind == "proportion":
            low, high = np.clip(low, 0, 1), np.clip(high, 0, 1)
        out["centre"], out["tau2"] = p0, tau2
        out["limit_low"] = np.where(ok, low, np.nan)
        out["limit_high"] = np.where(ok, high, np.nan)
        out["flag"] = np.where(~ok, None, np.where(est > high, "above", np.where(est < low, "below", "within")))
    return out


def cpes_flags(results: pd.DataFrame | str | Path, *, year: int = 2018, geog: str = "Trust",
               adjustment: str | None = "adjusted", cancer_type: str | None = "All Cancers",
               questions: Sequence[str] | None = None, ratings: Sequence[str] = ("Q59",),
               winsorise: float = 0.2, z: float = 1.96, min_n: int = MIN_N) -> pd.DataFrame:
    """Expected range and above / within / below flag per trust and question, CPES-style.

    ``results`` is a table in the published CPES layout (column names as published:
    ``Geog, Trust.Code, Trust.Name, Year, Cancer.Type, Question.Number,
    adjusted.unadjusted.yearonyear, Number.of.responses, scored.percentage,
    Lower.95..confidence.interval, Upper.95..confidence.interval, Performance.Rating`` ...) or
    the path of such a CSV. Rows are those of ``year`` and ``geog`` (and ``adjustment``,
    ``cancer_type`` where the table has those columns; ``None`` = any); ``questions`` limits
    the questions; ``ratings`` names the 0-10 questions scored as means.

    Returns one row per trust and question, columns ``year, trust_code, trust_name,
    question_id, kind`` (``proportion`` or ``mean``)``, n, suppressed, estimate`` (unrounded,
    a fraction for proportions), ``published_score`` (as published), ``centre, tau2,
    limit_low, limit_high`` (the expected range; ``expected_low``/``expected_high`` in earlier
    releases)``, flag`` and ``published_flag`` (from ``Performance.Rating``
    when the table has it, else empty). The recipe is in the module docstring.

    >>> rows = [{"Geog": "Trust", "Year": 2018, "Trust.Code": c, "Question.Number": "Q1",
    ...          "Number.of.responses": n, "Lower.95..confidence.interval": 100 * lo,
    ...          "Upper.95..confidence.interval": 100 * hi}
    ...         for c, n, lo, hi in [("A", 400, .80, .87), ("B", 400, .81, .88), ("C", 400, .60, .69),
    ...                              ("D", 400, .79, .86), ("E", 12, float("nan"), float("nan"))]]
    >>> f = cpes_flags(pd.DataFrame(rows))
    >>> f["flag"].fillna("not rated").tolist(), f["suppressed"].tolist()
    (['within', 'within', 'below', 'within', 'not rated'], [False, False, False, False, True])
    """
    path = None
    if isinstance(results, (str, Path)):
        path = results
        if not Path(results).exists():
            from ..errors import MissingFileError

            raise MissingFileError("CPES results file not found", path=results,
                                   hint="Pass the published CPES results (CSV, optionally gzipped).")
        results = pd.read_csv(results, low_memory=False)
    missing = [c for c in REQUIRED if c not in results.columns]
    if missing:
        raise InputError(f"CPES results lack the published column(s) {missing}", path=path,
                         hint="Give a table in the published CPES layout (see cpes_flags' docstring).")
    d = results[(results["Geog"].astype(str).str.lower() == geog.lower())
                & (pd.to_numeric(results["Year"], errors="coerce") == year)]
    if adjustment is not None and "adjusted.unadjusted.yearonyear" in d.columns:
        d = d[d["adjusted.unadjusted.yearonyear"].astype(str).str.lower() == adjustment.lower()]
    if cancer_type is not None and "Cancer.Type" in d.columns:
        d = d[d["Cancer.Type"].astype(str).str.lower() == cancer_type.lower()]
    if questions is not None:
        d = d[d["Question.Number"].astype(str).isin([str(q) for q in questions])]
    if d.empty:
        years = sorted(pd.to_numeric(results["Year"], errors="coerce").dropna().astype(int).unique().tolist())
        raise InputError(f"no {geog} rows for {year} (adjustment {adjustment!r}, cancer type {cancer_type!r}"
                         f"{', questions ' + str(list(questions)) if questions is not None else ''}) in the CPES "
                         f"results; years present: {years}", path=path,
                         hint="Pass year=, adjustment= and cancer_type= values the table has.")
    dup = d.duplicated(["Trust.Code", "Question.Number"]) if "Trust.Code" in d.columns else None
    if dup is not None and dup.any():
        first = d[dup].iloc[0]
        raise InputError(f"several rows for trust {first['Trust.Code']} on {first['Question.Number']} after "
                         "selection: the table mixes breakdowns", path=path,
                         hint="Select one breakdown first (e.g. Gender 'Both', IMD 'All').")
    parts = []
    for q, g in d.groupby(d["Question.Number"].astype(str), sort=False):
        kind = "mean" if q in set(ratings) else "proportion"
        f = _question_flags(g, kind, z=z, winsorise=winsorise, min_n=min_n)
        f.insert(0, "question_id", q)
        f.insert(0, "trust_name", g["Trust.Name"].to_numpy() if "Trust.Name" in g.columns else None)
        f.insert(0, "trust_code", g["Trust.Code"].to_numpy() if "Trust.Code" in g.columns else None)
        f.insert(0, "year", year)
        scale = 1.0 if kind == "mean" else 100.0
        f["published_score"] = (pd.to_numeric(g["scored.percentage"], errors="coerce").to_numpy() / scale
                                if "scored.percentage" in g.columns else np.nan)
        f["published_flag"] = (g["Performance.Rating"].map(RATING).to_numpy()
                               if "Performance.Rating" in g.columns else None)
        parts.append(f)
    return pd.concat(parts, ignore_index=True)[list(COLUMNS)]


def agreement(flags: pd.DataFrame) -> dict:
    """Agreement of ``flag`` with ``published_flag`` where both exist: share and Cohen's kappa.

    Returns ``{"n", "agreement", "kappa", "confusion"}`` (``confusion``: published x ours counts).
    """
    both = flags.dropna(subset=["flag", "published_flag"])
    ours, pub = both["flag"].astype(str), both["published_flag"].astype(str)
    labels = ["above", "within", "below"]
    conf = pd.crosstab(pd.Categorical(pub, labels), pd.Categorical(ours, labels), dropna=False)
    conf.index.name, conf.columns.name = "published", "ours"
    n = len(both)
    po = float(np.trace(conf.to_numpy()) / n) if n else float("nan")
    pe = float((conf.sum(axis=1).to_numpy() @ conf.sum(axis=0).to_numpy()) / n ** 2) if n else float("nan")
    kappa = (po - pe) / (1 - pe) if n and pe < 1 else float("nan")
    return {"n": n, "agreement": po, "kappa": kappa, "confusion": conf}
