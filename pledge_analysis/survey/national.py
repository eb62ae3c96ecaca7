"""National benchmark: published CPES results, a trust's breast cancer rows, and its funnel position."""
from __future__ import annotations

import pandas as pd

from .funnel import funnel


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
                 cancer_type: str | None = "Breast", focus: str | None = None, tau2: float | None = None) -> pd.DataFrame:
    """Every trust's score on one question on a funnel whose target is the national score.

    ``focus`` (a trust code) is marked in an ``is_focus`` column. Suppressed rows are left out.
    """
    rows = select(national, geog="Trust", cancer_type=cancer_type, year=year, question_id=question_id)
    rows = rows.dropna(subset=["n", "estimate"])
    nat = select(national, geog="National", cancer_type=cancer_type, year=year, question_id=question_id)
    target = float(nat["estimate"].iloc[0]) if len(nat) else None
    out = funnel(rows.reset_index(drop=True), target=target, tau2=tau2)
    out["is_focus"] = out["trust_code"] == focus if focus else False
    return out
