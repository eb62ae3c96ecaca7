"""From codings to themes: the coded evidence units and the per-theme summary.

A *coded unit* is one coded sentence of one segment, rolled up to its theme (the code's
top-level ancestor), with the sentiment of that sentence. The ``themes`` table summarises
units per scope: everyone (``scope_type="all"``), each group and each site.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from .codebook import theme_of
from .sentiment import SentimentClassifier


def coded_units(segments: pd.DataFrame, codings: pd.DataFrame, codebook: pd.DataFrame,
                model: SentimentClassifier | None = None) -> pd.DataFrame:
    """One row per (segment, theme, coded span) with the span's text and sentiment.

    Rejected codings are left out. Columns (:data:`pledge_analysis.schema.UNITS`): ``segment_id, theme,
    codes, start, end, text, sentiment, sentiment_score, site, group, source_type, source_id, question_id,
    respondent_id, speaker`` (``sentiment_score`` was ``score`` in earlier releases).

    Every other coding counts: a coding whose ``code_id`` is not in ``codebook`` raises
    :class:`~pledge_analysis.errors.CodebookError` naming the codes (it has no theme to count under,
    and leaving it out would change the themes without a word).
    """
    from ..errors import CodebookError

    top = theme_of(codebook)
    c = codings[codings["status"].fillna("suggested") != "rejected"].copy()
    if c.empty:
        return pd.DataFrame(columns=list(schema.UNITS))
    c["theme"] = c["code_id"].map(top)
    unknown = c.loc[c["theme"].isna(), "code_id"]
    if len(unknown):
        counts = unknown.astype(str).value_counts().sort_index()
        raise CodebookError(f"{len(unknown)} coding(s) use code(s) that are not in the codebook: "
                            + ", ".join(f"{code!r} ({n})" for code, n in counts.items())
                            + ". Add the codes to the codebook (or mark them retired: true), or leave these codings "
                              "out on purpose; Project.orphans() lists human codings whose code left the codebook.", code="PA301")
    units = _units(c)
    seg_cols = ["segment_id", "site", "group", "source_type", "source_id", "question_id", "respondent_id", "speaker", "text"]
    units = units.merge(segments[seg_cols], on="segment_id", how="inner")
    spans = []
    for text, s, e in zip(units["text"], units["start"], units["end"]):
        spans.append(text[int(s):int(e)] if pd.notna(s) and pd.notna(e) else text)
    units["text"] = spans
    # each distinct (text, question) is scored once: a sentence coded under several themes shares its sentiment
    first: dict = {}
    inverse = np.array([first.setdefault((t, q if isinstance(q, str) else None), i)
                        for i, (t, q) in enumerate(zip(units["text"], units["question_id"]))], dtype=np.int64)
    distinct = np.unique(inverse)
    pred = (model or SentimentClassifier().fit()).predict(units.iloc[distinct][["text", "question_id"]])
    at = np.searchsorted(distinct, inverse)
    units["sentiment"] = pred["sentiment"].to_numpy()[at]
    units["sentiment_score"] = pred["sentiment_score"].to_numpy()[at]
    return schema.conform(units, "units")  # the contract's order, as when there are no units


def _units(c: pd.DataFrame) -> pd.DataFrame:
    """One row per (segment, theme, start, end), in sorted key order, with its distinct codes joined in ``codes``
    (sorted, ``;``-separated): a vectorised ``groupby(...).agg(lambda s: ";".join(sorted(set(s))))``."""
    keys = ["segment_id", "theme", "start", "end"]
    if c.empty:
        return pd.DataFrame(columns=keys + ["codes"])
    c = c[keys + ["code_id"]].drop_duplicates().sort_values("code_id", kind="stable")
    gid = c.groupby(keys, dropna=False, sort=True).ngroup().to_numpy()
    order = np.argsort(gid, kind="stable")
    bounds = np.flatnonzero(np.diff(gid[order])) + 1
    codes = [";".join(g) for g in np.split(c["code_id"].to_numpy()[order], bounds)]
    return c.iloc[order].iloc[np.r_[0, bounds]][keys].reset_index(drop=True).assign(codes=codes)


def _scopes(segments: pd.DataFrame):
    yield "all", "all", segments
    for col in ("group", "site"):
        for value in sorted(segments[col].dropna().unique()):
            yield col, value, segments[segments[col] == value]


def summarise_themes(segments: pd.DataFrame, units: pd.DataFrame, codebook: pd.DataFrame, *,
                     min_negative: int = 3) -> pd.DataFrame:
    """The ``themes`` table (columns :data:`schema.THEMES`): per scope and theme, how many
    segments and people raise it, the share of segments (``prevalence``), the share of its
    coded segments that are negative (``negativity``), across how many sites and groups, and in
    how many sites and groups it is raised negatively at least ``min_negative`` times."""
    names = dict(zip(codebook["code_id"], codebook["name"]))
    themes = [c for c, p in zip(codebook["code_id"], codebook["parent_id"]) if p is None or p != p]
    participants = segments[segments["role"].fillna("participant") != "facilitator"]
    units = schema.rename_legacy(units, "units")
    # one row per (segment, theme): negative if its most negative coded sentence is negative
    per_seg = (units.sort_values("sentiment_score").drop_duplicates(["segment_id", "theme"])
               if len(units) else units)
    rows = []
    for scope_type, scope, segs in _scopes(participants):
        n_total = len(segs)
        u = per_seg[per_seg["segment_id"].isin(segs["segment_id"])] if len(per_seg) else per_seg
        for theme in themes:
            t = u[u["theme"] == theme] if len(u) else u
            n = len(t)
            n_neg = int((t["sentiment"] == "negative").sum()) if n else 0
            neg = t[t["sentiment"] == "negative"] if n else t
            rows.append({
                "n_sites_negative": int((neg["site"].value_counts() >= min_negative).sum()) if n else 0,
                "n_groups_negative": int((neg["group"].value_counts() >= min_negative).sum()) if n else 0,
                "scope_type": scope_type, "scope": scope, "theme": theme, "name": names.get(theme, theme),
                "n_segments": n, "n_respondents": int(t["respondent_id"].nunique()) if n else 0,
                "prevalence": n / n_total if n_total else 0.0, "n_negative": n_neg,
                "negativity": n_neg / n if n else 0.0, "n_sites": int(t["site"].nunique()) if n else 0,
                "n_groups": int(t["group"].nunique()) if n else 0, "n_scope_segments": n_total,
            })
    return schema.conform(pd.DataFrame(rows, columns=list(schema.THEMES)), "themes")  # fixed columns when empty
