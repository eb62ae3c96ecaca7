"""Queries over coded text, as CAQDAS tools offer them: frequencies, co-occurrence, matrix coding, retrieval.

All take the ``codings`` and ``segments`` tables (rejected codings are left out) and return tidy
tables; :mod:`pledge_analysis.plots` draws them.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from .codebook import theme_of


def _coded(codings: pd.DataFrame, segments: pd.DataFrame, codebook: pd.DataFrame | None, level: str) -> pd.DataFrame:
    c = codings[codings["status"].fillna("suggested") != "rejected"]
    if level == "theme" and codebook is not None:
        c = c.assign(code_id=c["code_id"].map(theme_of(codebook)))
    return c.drop_duplicates(["segment_id", "code_id"]).merge(segments, on="segment_id", how="inner",
                                                              suffixes=("", "_segment"))


def code_frequencies(codings: pd.DataFrame, segments: pd.DataFrame, *, by: Sequence[str] = ("site", "group"),
                     codebook: pd.DataFrame | None = None, level: str = "code") -> pd.DataFrame:
    """Segments and respondents per code (or theme, with ``level="theme"``) and ``by`` cell."""
    d = _coded(codings, segments, codebook, level)
    return (d.groupby(["code_id", *by], dropna=False)
            .agg(n_segments=("segment_id", "nunique"), n_respondents=("respondent_id", "nunique"))
            .reset_index().sort_values(["code_id", *by]))


def cooccurrence(codings: pd.DataFrame, segments: pd.DataFrame, *, codebook: pd.DataFrame | None = None,
                 level: str = "code") -> pd.DataFrame:
    """Code x code matrix: the number of segments coded with both (the diagonal: with the code)."""
    d = _coded(codings, segments, codebook, level)
    x = pd.crosstab(d["segment_id"], d["code_id"]).clip(upper=1)
    return x.T @ x


def matrix_coding(codings: pd.DataFrame, segments: pd.DataFrame, attribute: str, *,
                  codebook: pd.DataFrame | None = None, level: str = "code") -> pd.DataFrame:
    """Code x attribute (e.g. ``group``) cells: segment count and one example quote (the coded span)."""
    d = _coded(codings, segments, codebook, level)
    d = d.assign(quote=[t[int(s):int(e)] if pd.notna(s) and pd.notna(e) else t
                        for t, s, e in zip(d["text"], d["start"], d["end"])])
    return (d.sort_values(["segment_id"]).groupby(["code_id", attribute])
            .agg(n_segments=("segment_id", "nunique"), example=("quote", "first")).reset_index())


def retrieve(codings: pd.DataFrame, segments: pd.DataFrame, code_id: str, *, context: int = 1,
             include_children: bool = True, codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """All text coded ``code_id`` with its context: the coded span, the whole segment, speaker, site,
    group, and for transcripts the ``context`` turns before and after."""
    codes = {code_id}
    if include_children and codebook is not None:
        top = theme_of(codebook)
        codes |= {c for c in codebook["code_id"] if c.startswith(code_id + ".") or top.get(c) == code_id}
    c = codings[codings["code_id"].isin(codes) & (codings["status"].fillna("suggested") != "rejected")]
    d = c.merge(segments, on="segment_id", how="inner", suffixes=("", "_segment"))
    by_source = {sid: g.sort_values("position") for sid, g in segments.groupby("source_id")}
    before, after = [], []
    for sid, pos, stype in zip(d["source_id"], d["position"], d["source_type"]):
        if stype == "survey" or sid not in by_source:
            before.append("")
            after.append("")
            continue
        g = by_source[sid]
        fmt = lambda rows: " / ".join(f"{s}: {t}" for s, t in zip(rows["speaker"], rows["text"]))  # noqa: E731
        before.append(fmt(g[(g["position"] < pos) & (g["position"] >= pos - context)]))
        after.append(fmt(g[(g["position"] > pos) & (g["position"] <= pos + context)]))
    d["coded_text"] = [t[int(s):int(e)] if pd.notna(s) and pd.notna(e) else t
                       for t, s, e in zip(d["text"], d["start"], d["end"])]
    d["before"], d["after"] = before, after
    return d[["segment_id", "code_id", "coder", "method", "status", "coded_text", "text", "speaker", "site", "group",
              "source_id", "before", "after"]].reset_index(drop=True)


def quotes_table(codings: pd.DataFrame, segments: pd.DataFrame, codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per coded span: ``code_id, code, quote, site, group, speaker, source_id, segment_id, coder, status``."""
    c = codings[codings["status"].fillna("suggested") != "rejected"]
    d = c.merge(segments, on="segment_id", how="inner", suffixes=("", "_segment"))
    names = dict(zip(codebook["code_id"], codebook["name"])) if codebook is not None else {}
    return pd.DataFrame({
        "code_id": d["code_id"], "code": d["code_id"].map(names).fillna(d["code_id"]),
        "quote": [t[int(s):int(e)] if pd.notna(s) and pd.notna(e) else t for t, s, e in zip(d["text"], d["start"], d["end"])],
        "site": d["site"], "group": d["group"], "speaker": d["speaker"], "source_id": d["source_id"],
        "segment_id": d["segment_id"], "coder": d["coder"], "status": d["status"],
    }).sort_values(["code_id", "site", "segment_id"]).reset_index(drop=True)
