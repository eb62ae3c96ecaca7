"""Theme prevalence and negativity by site, group and month, computed where the comments are.

:func:`theme_aggregates` takes the comments table of :mod:`pledge_analysis.coding_job` as a pandas
DataFrame *or* a dask DataFrame and runs only group-bys on it (dask computes them on its workers,
partition by partition, and brings back one small series per measure), so a national run never
collects the comments in one process. The result is the ``themes`` table
(:data:`pledge_analysis.schema.THEMES`), with the meaning :func:`pledge_analysis.coding.summarise_themes`
gives it, ready for :func:`pledge_analysis.priorities.score_components` and the cross-site functions:

- scopes: everyone (``scope_type="all"``), each ``group``, each ``site`` and each ``month`` (``YYYY-MM``);
- the denominator of a scope (``n_scope_segments``) is its comments that were coded (``status`` other
  than ``not coded``: empty texts and placeholders are not comments about anything);
- ``n_segments`` is how many of them raise the theme, ``n_negative`` how many of those raise it
  negatively (the theme's most negative coded sentence is negative); ``n_respondents`` counts distinct
  ``respondent_id`` (a comment without one counts as its own respondent);
- ``n_sites_negative`` (``n_groups_negative``): in how many sites (groups) the theme is raised
  negatively at least ``min_negative`` times within the scope.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema

SCOPES = ("group", "site", "month")
NEEDED = ("comment_id", "status", "themes", "negative_themes", "site", "group", "month", "respondent_id")


def _blank_to_none(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna() & (s.astype(str) != ""), None)


def _coded(part: pd.DataFrame) -> pd.DataFrame:
    """The coded comments of a partition, once per scope: ``scope_type``, ``scope`` (rows whose scope
    value is blank are left out of that scope), ``site``, ``group``, ``respondent`` and ``_row`` (the
    comment's position in the partition)."""
    part = part.reset_index(drop=True)
    coded = (part["status"] != "not coded").to_numpy()
    site, group = _blank_to_none(part["site"]), _blank_to_none(part["group"])
    resp = _blank_to_none(part["respondent_id"])
    resp = resp.where(resp.notna(), "comment " + part["comment_id"].astype(str))
    frames = []
    for scope_type in ("all",) + SCOPES:
        scope = pd.Series("all", index=part.index, dtype=object) if scope_type == "all" else \
            _blank_to_none(part[scope_type])
        keep = np.flatnonzero(coded & scope.notna().to_numpy())
        frames.append(pd.DataFrame({"scope_type": scope_type, "scope": scope.to_numpy()[keep],
                                    "site": site.to_numpy()[keep], "group": group.to_numpy()[keep],
                                    "respondent": resp.to_numpy()[keep], "_row": keep}))
    return pd.concat(frames, ignore_index=True).astype(
        {"scope_type": object, "scope": object, "site": object, "group": object, "respondent": object,
         "_row": "int64"})


def _units(part: pd.DataFrame) -> pd.DataFrame:
    """One row per (scope, coded comment, theme it raises) with ``negative`` (bool)."""
    coded = _coded(part)
    rows_at = coded["_row"].to_numpy()
    all_themes, all_negative = part["themes"].to_numpy(), part["negative_themes"].to_numpy()
    themes = [all_themes[i] for i in rows_at]
    negative = [all_negative[i] for i in rows_at]
    lengths = np.fromiter((len(t) for t in themes), dtype=np.int64, count=len(themes))
    rows = np.repeat(np.arange(len(coded)), lengths)
    out = coded.drop(columns="_row").iloc[rows].reset_index(drop=True)
    out["theme"] = pd.Series([t for ts in themes for t in ts], dtype=object)
    out["negative"] = np.asarray([t in set(ns) for ts, ns in zip(themes, negative) for t in ts], dtype=bool)
    return out


_COLS = ("scope_type", "scope", "site", "group", "respondent")
_CODED_META = pd.DataFrame({c: pd.Series(dtype=object) for c in _COLS}).assign(_row=pd.Series(dtype="int64"))
_UNITS_META = pd.DataFrame({c: pd.Series(dtype=object) for c in _COLS + ("theme",)}).assign(
    negative=pd.Series(dtype=bool))


def theme_aggregates(comments, codebook: pd.DataFrame, *, min_negative: int = 3) -> pd.DataFrame:
    """The ``themes`` table by scope (all, group, site, month) from a comments table (pandas or dask).

    >>> from pledge_analysis.coding.codebook import codebook_from_records
    >>> cb = codebook_from_records([{"id": "waiting", "name": "Waiting"}, {"id": "staff", "name": "Staff"}])
    >>> comments = pd.DataFrame({"comment_id": ["1", "2", "3"], "status": ["coded", "coded", "no codes"],
    ...     "themes": [["waiting"], ["staff", "waiting"], []], "negative_themes": [["waiting"], [], []],
    ...     "site": ["A", "B", "A"], "group": ["p", "p", "p"], "month": ["2025-01"] * 3, "respondent_id": ["", "", ""]})
    >>> t = theme_aggregates(comments, cb)
    >>> t[t.scope_type == "site"][["scope", "theme", "n_segments", "prevalence", "negativity"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['A', 'waiting', 1, 0.5, 1.0], ['A', 'staff', 0, 0.0, 0.0],
     ['B', 'waiting', 1, 1.0, 0.0], ['B', 'staff', 1, 1.0, 0.0]]
    """
    schema.require_columns(comments, NEEDED, table="comments")
    lazy = hasattr(comments, "map_partitions")
    if lazy:
        coded = comments.map_partitions(_coded, meta=_CODED_META)
        units = comments.map_partitions(_units, meta=_UNITS_META)
    else:
        coded, units = _coded(comments), _units(comments)
    keys = ["scope_type", "scope", "theme"]
    g = units.groupby(keys)
    neg = units[units["negative"]]
    parts = {
        "denominator": coded.groupby(["scope_type", "scope"]).size(), "n": g.size(),
        "n_negative": g["negative"].sum(), "n_respondents": g["respondent"].nunique(),
        "n_sites": g["site"].nunique(), "n_groups": g["group"].nunique(),
        "neg_site": neg.groupby(keys + ["site"]).size(), "neg_group": neg.groupby(keys + ["group"]).size(),
    }
    if lazy:
        import dask

        (parts,) = dask.compute(parts)
    return _assemble(parts, codebook, min_negative)


def _assemble(parts: dict, codebook: pd.DataFrame, min_negative: int) -> pd.DataFrame:
    """The themes table from the computed series: every scope with every top-level theme (zeros included)."""
    names = dict(zip(codebook["code_id"], codebook["name"]))
    themes = [c for c, p in zip(codebook["code_id"], codebook["parent_id"]) if not schema.present(p)]
    denominator = parts["denominator"]
    frames = []
    for scope_type in ("all",) + SCOPES:
        if scope_type not in denominator.index.get_level_values(0):
            continue
        scopes = sorted(denominator.loc[scope_type].index)
        index = pd.MultiIndex.from_product([[scope_type], scopes, themes], names=["scope_type", "scope", "theme"])

        def col(s):
            s = s.copy()
            s.index = s.index.set_names(["scope_type", "scope", "theme"])
            return s.reindex(index).fillna(0).astype("int64").to_numpy()

        def negative_in(s):
            if not len(s):
                return np.zeros(len(index), dtype="int64")
            return col((s >= min_negative).groupby(level=[0, 1, 2]).sum())

        df = pd.DataFrame({"scope_type": scope_type, "scope": index.get_level_values(1),
                           "theme": index.get_level_values(2)})
        df["name"] = df["theme"].map(names)
        for c in ("n", "n_negative", "n_respondents", "n_sites", "n_groups"):
            df["n_segments" if c == "n" else c] = col(parts[c])
        df["n_sites_negative"] = negative_in(parts["neg_site"])
        df["n_groups_negative"] = negative_in(parts["neg_group"])
        denom = denominator.loc[scope_type].reindex(scopes).to_numpy()
        df["n_scope_segments"] = np.repeat(denom, len(themes)).astype("int64")
        df["prevalence"] = np.where(df["n_scope_segments"] > 0,
                                    df["n_segments"] / df["n_scope_segments"].clip(lower=1), 0.0)
        df["negativity"] = np.where(df["n_segments"] > 0, df["n_negative"] / df["n_segments"].clip(lower=1), 0.0)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True) if frames else schema.empty("themes")
    return schema.conform(out, "themes")
