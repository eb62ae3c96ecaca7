"""How sure are the priorities? Bootstrap rank intervals and a weight-sensitivity table.

:func:`rank_intervals` is a stratified cluster bootstrap. The units resampled are the
independent ones: a survey respondent (all their comments and answers together) and a
focus-group or interview **session** (every speaker in it: people in one room influence each
other, so their turns are not independent). Units are resampled with replacement **within
their site** (and within kind: respondents and sessions separately), so every resample keeps
each site's number of respondents and sessions; the theme counts and survey scores of every
scope (everyone, each group, each site, with the site breakdown of the survey) are recomputed
from the resample and ranked by :func:`pledge_analysis.priorities.score_components` exactly as
the published ranks are. Key-driver importance is held fixed (it has its own bootstrap in
:func:`pledge_analysis.survey.key_drivers`). Resampling works on counts (each unit's
contribution is added with its bootstrap weight), so nothing is copied.

Output per scope and theme: the point ``rank`` (equal to ``priorities.csv``), ``rank_low`` and
``rank_high`` (the 2.5% and 97.5% quantiles of the resampled ranks), ``p_top3`` (share of
resamples with the theme in the top 3) and ``n_boot``. :func:`with_rank_intervals` adds them to
the priorities table. A scope whose comments all come from one unit (one focus group at a small hospital,
one respondent) gets no interval: every resample holds that unit's comments again, so the ranks never
move and "1st in every resample" would claim a certainty the data cannot give (:data:`ONE_UNIT`).

:func:`weight_sensitivity` re-ranks under other defensible weightings (each component dropped,
each doubled, all equal) and marks the priorities that stay in the top ``k`` under every one.
Its scenario columns are identifier-safe (``without_prevalence``, ``prevalence_x2``); the old
names ("without prevalence", "prevalence x2") are mapped by :data:`OLD_SCENARIO_NAMES`.
"""
from __future__ import annotations

import re

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from . import schema
from .priorities import COMPONENTS, DEFAULT_WEIGHTS, benchmark_kinds, resolve_weights, score_components

#: resamples used by a run (``pledge-analysis run``)
N_BOOT = 100
_SESSION_TYPES = ("focus_group", "interview")
#: why a scope has no rank interval although resamples ran (its comments come from one unit), in plain words
ONE_UNIT = ("How sure this is cannot be measured: the comments here come from one person or one focus group, "
            "so resampling them changes nothing.")


class _Counts:
    """Each resampling unit's contribution to the theme counts and survey scores, by cell
    (site x group), so that a resample is a weighted sum."""

    def __init__(self, segments, units, codebook, scored, min_n):
        self.themes = [c for c, p in zip(codebook["code_id"], codebook["parent_id"]) if p is None or p != p]
        self.names = dict(zip(codebook["code_id"], codebook["name"]))
        part = segments[segments["role"].fillna("participant") != "facilitator"]
        session = part["source_type"].isin(_SESSION_TYPES).to_numpy()
        unit = np.where(session, "session:" + part["source_id"].astype(str),
                        "person:" + part["respondent_id"].astype(str).where(part["respondent_id"].notna(),
                                                                            part["segment_id"].astype(str)))
        seg_unit = pd.Series(unit, index=part["segment_id"].to_numpy())
        unit_site = dict(zip(unit, part["site"]))
        unit_group = dict(zip(unit, part["group"]))
        survey = None
        if scored is not None and len(scored):
            survey = scored[scored["scored_as"].isin(["positive", "negative"])]
            r_unit = "person:" + survey["respondent_id"].astype(str)
            for u, s, g in zip(r_unit, survey["site"], survey["group"]):
                unit_site.setdefault(u, s)
                unit_group.setdefault(u, g)
        self.units = pd.Index(sorted(unit_site))
        self.unit_site = np.array([unit_site[u] for u in self.units], dtype=object)
        self.unit_group = np.array([unit_group[u] for u in self.units], dtype=object)
        self.kind = np.array([u.split(":", 1)[0] for u in self.units])
        self.sites = sorted({unit_site[u] for u in self.units})
        self.groups = sorted({unit_group[u] for u in self.units})
        cells = pd.MultiIndex.from_product([self.sites, self.groups])
        self.cell_of = cells.get_indexer(list(zip([unit_site[u] for u in self.units],
                                                  [unit_group[u] for u in self.units])))
        self.n_cells = len(cells)
        self.cell_site = np.array([s for s, _ in cells])
        self.cell_group = np.array([g for _, g in cells])
        # segments: per unit, count and per theme raised / negative (a segment counts once per theme)
        uid = self.units.get_indexer(seg_unit.to_numpy())
        self.seg = np.bincount(uid, minlength=len(self.units)).astype(float)
        per_seg = (units.sort_values("sentiment_score").drop_duplicates(["segment_id", "theme"]) if len(units) else units)
        per_seg = per_seg[per_seg["segment_id"].isin(seg_unit.index) & per_seg["theme"].isin(self.themes)]
        k = len(self.themes)
        self.raised = np.zeros((len(self.units), k))
        self.negative = np.zeros((len(self.units), k))
        if len(per_seg):
            u = self.units.get_indexer(seg_unit.loc[per_seg["segment_id"]].to_numpy())
            t = pd.Index(self.themes).get_indexer(per_seg["theme"])
            np.add.at(self.raised, (u, t), 1)
            np.add.at(self.negative, (u, t), (per_seg["sentiment"] == "negative").to_numpy(float))
        # survey answers: per unit and question, answers counted and positives
        self.min_n = min_n
        self.questions = []
        if survey is not None and len(survey):
            self.questions = sorted(survey["question_id"].unique())
            u = self.units.get_indexer("person:" + survey["respondent_id"].astype(str))
            q = pd.Index(self.questions).get_indexer(survey["question_id"])
            self.answered = np.zeros((len(self.units), len(self.questions)))
            self.positive = np.zeros_like(self.answered)
            np.add.at(self.answered, (u, q), 1)
            np.add.at(self.positive, (u, q), (survey["scored_as"] == "positive").to_numpy(float))

    def comment_units(self, scope_type: str, scope: str) -> int:
        """How many resampling units hold comments in a scope (``all``, a group or a site)."""
        has = self.seg > 0
        if scope_type == "group":
            has &= self.unit_group.astype(str) == str(scope)
        elif scope_type == "site":
            has &= self.unit_site.astype(str) == str(scope)
        return int(has.sum())

    def draw(self, rng) -> np.ndarray:
        """Bootstrap weights per unit: within each site and kind, as many draws as units."""
        w = np.zeros(len(self.units))
        for key in np.unique(self.cell_site[self.cell_of] + "\x1f" + self.kind):
            idx = np.flatnonzero(self.cell_site[self.cell_of] + "\x1f" + self.kind == key)
            w[idx] = rng.multinomial(len(idx), np.full(len(idx), 1 / len(idx)))
        return w

    def _by_cell(self, w, matrix):
        out = np.zeros((self.n_cells,) + matrix.shape[1:])
        np.add.at(out, self.cell_of, w[:, None] * matrix if matrix.ndim > 1 else w * matrix)
        return out

    @staticmethod
    def _collapse(matrix, labels):
        """Rows of ``matrix`` summed by label."""
        _, inv = np.unique(labels, return_inverse=True)
        out = np.zeros((inv.max() + 1, matrix.shape[1]))
        np.add.at(out, inv, matrix)
        return out

    def themes_table(self, w) -> pd.DataFrame:
        """The ``themes`` table of :func:`pledge_analysis.coding.summarise_themes` for weights ``w``
        (``n_respondents`` is the number of comments: it is not used in scoring)."""
        seg, raised, neg = (self._by_cell(w, m) for m in (self.seg, self.raised, self.negative))
        rows = []
        scopes = [("all", "all", np.ones(self.n_cells, bool))]
        scopes += [("group", g, self.cell_group == g) for g in self.groups]
        scopes += [("site", s, self.cell_site == s) for s in self.sites]
        for scope_type, scope, m in scopes:
            total = seg[m].sum()
            if total <= 0:
                continue
            r, n = raised[m], neg[m]
            site_r, site_n = self._collapse(r, self.cell_site[m]), self._collapse(n, self.cell_site[m])
            grp_r, grp_n = self._collapse(r, self.cell_group[m]), self._collapse(n, self.cell_group[m])
            n_seg, n_neg = r.sum(axis=0), n.sum(axis=0)
            rows.append(pd.DataFrame({
                "scope_type": scope_type, "scope": scope, "theme": self.themes,
                "name": [self.names.get(t, t) for t in self.themes], "n_segments": n_seg.astype(int),
                "n_respondents": n_seg.astype(int), "prevalence": n_seg / total, "n_negative": n_neg.astype(int),
                "negativity": np.divide(n_neg, n_seg, out=np.zeros_like(n_neg), where=n_seg > 0),
                "n_sites": (site_r > 0).sum(axis=0), "n_groups": (grp_r > 0).sum(axis=0),
                "n_sites_negative": (site_n >= 3).sum(axis=0), "n_groups_negative": (grp_n >= 3).sum(axis=0),
                "n_scope_segments": int(total)}))
        return schema.conform(pd.concat(rows, ignore_index=True), "themes")

    def scores_table(self, w, benchmarks: pd.DataFrame) -> pd.DataFrame | None:
        """Survey proportions per scope and question for weights ``w``, with the benchmark of the
        point estimate (a national one is fixed; one over all respondents is recomputed)."""
        if not self.questions:
            return None
        n, pos = self._by_cell(w, self.answered), self._by_cell(w, self.positive)
        rows = []
        scopes = [("all", "all", np.ones(self.n_cells, bool))]
        scopes += [("all", g, self.cell_group == g) for g in self.groups]
        scopes += [(s, "all", self.cell_site == s) for s in self.sites]
        for site, group, m in scopes:
            nn, pp = n[m].sum(axis=0), pos[m].sum(axis=0)
            rows.append(pd.DataFrame({"site": site, "group": group, "question_id": self.questions, "n": nn,
                                      "positives": pp, "kind": "proportion"}))
        s = pd.concat(rows, ignore_index=True)
        s["suppressed"] = s["n"] < self.min_n
        s["estimate"] = np.where(s["n"] > 0, s["positives"] / s["n"].where(s["n"] > 0, 1), np.nan)
        s = s.merge(benchmarks, on="question_id", how="left")
        overall = s[(s["site"] == "all") & (s["group"] == "all")].set_index("question_id")["estimate"]
        own = (s["benchmark_kind"] == "all respondents").to_numpy()
        everyone = ((s["site"] == "all") & (s["group"] == "all")).to_numpy()
        fixed = pd.to_numeric(s["benchmark"], errors="coerce").to_numpy(float)
        s["benchmark"] = np.where(own, np.where(everyone, np.nan, s["question_id"].map(overall).to_numpy(float)), fixed)
        s["gap"] = s["benchmark"] - s["estimate"]
        return s


def _benchmarks(scores: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["question_id", "benchmark", "benchmark_kind"]
    if scores is None or not len(scores) or "benchmark" not in scores.columns:
        return pd.DataFrame(columns=cols)
    s = scores.assign(benchmark_kind=benchmark_kinds(scores))
    s = s[(s["kind"] == "proportion") & s["benchmark"].notna()]
    return s.drop_duplicates("question_id")[cols]


def rank_intervals(segments: pd.DataFrame, units: pd.DataFrame, codebook: pd.DataFrame,
                   scored: pd.DataFrame | None = None, scores: pd.DataFrame | None = None,
                   drivers: pd.DataFrame | None = None, *, themes: pd.DataFrame | None = None,
                   n_boot: int = N_BOOT, top: int = 3, scope_types: Sequence[str] = ("all", "group", "site"),
                   weights: Mapping[str, float] | None = None, min_n: int | None = None,
                   random_state: int = 0, confidence: float = 0.95, progress: bool = False) -> pd.DataFrame:
    """Stratified cluster bootstrap of the ranks (see the module docstring).

    ``scores`` are the run's survey scores with their benchmark (the point ranks are computed from
    them and ``themes`` exactly as :func:`pledge_analysis.priorities.prioritise` does; ``themes``
    defaults to :func:`pledge_analysis.coding.summarise_themes` of the inputs). ``min_n``: the
    suppression threshold of the resampled scores (default: the smallest unsuppressed ``n`` rule,
    21). Columns ``scope_type, scope, theme, rank, rank_low, rank_high, p_top{top}, n_boot``; the interval
    is empty (NaN) in a scope whose comments come from fewer than two units (see :data:`ONE_UNIT`).
    """
    from .coding.themes import summarise_themes
    from .survey.scoring import MIN_N, as_scored

    units = schema.rename_legacy(units, "units")
    scored = as_scored(scored) if scored is not None and len(scored) else scored
    w_used = resolve_weights(weights)
    if themes is None:
        themes = summarise_themes(segments, units, codebook)
    keep = list(scope_types)
    point = score_components(themes[themes["scope_type"].isin(keep)], codebook, scores, drivers, weights=w_used)
    point = point[["scope_type", "scope", "theme", "rank"]]
    col = f"p_top{top}"
    if point.empty:  # nothing to rank (e.g. a survey with no comments): the columns, no rows
        return point.assign(rank_low=np.nan, rank_high=np.nan, **{col: np.nan}, n_boot=0)
    counts = _Counts(segments, units, codebook, scored, MIN_N if min_n is None else min_n)
    bench = _benchmarks(scores)
    rng = np.random.default_rng(random_state)
    iterator = range(n_boot)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, desc="rank intervals", unit="resample")
    draws = []
    for b in iterator:
        w = counts.draw(rng)
        th = counts.themes_table(w)
        df = score_components(th[th["scope_type"].isin(keep)], codebook, counts.scores_table(w, bench), drivers,
                              weights=w_used)
        draws.append(df[["scope_type", "scope", "theme", "rank"]].assign(b=b))
    if not draws:
        return point.assign(rank_low=np.nan, rank_high=np.nan, **{col: np.nan}, n_boot=0)
    d = pd.concat(draws, ignore_index=True)
    alpha = (1 - confidence) / 2
    g = d.groupby(["scope_type", "scope", "theme"])["rank"]
    summary = pd.DataFrame({"rank_low": np.floor(g.quantile(alpha)).astype(int),
                            "rank_high": np.ceil(g.quantile(1 - alpha)).astype(int),
                            col: g.apply(lambda r: float(np.mean(r <= top)))}).reset_index()
    out = point.merge(summary, on=["scope_type", "scope", "theme"], how="left")
    one = np.array([counts.comment_units(t, s) < 2 for t, s in zip(out["scope_type"], out["scope"])], dtype=bool)
    out.loc[one, ["rank_low", "rank_high", col]] = np.nan  # resampling one unit moves nothing: no interval
    out["n_boot"] = n_boot
    return out.sort_values(["scope_type", "scope", "rank"]).reset_index(drop=True)


def with_rank_intervals(priorities: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """``priorities`` with ``rank_low``, ``rank_high`` and ``p_top{k}`` from ``intervals`` (``p_top3`` by default;
    whatever ``top`` :func:`rank_intervals` was given, its ``p_top{top}`` is kept, and joining again replaces it).

    Raises ValueError if the intervals' point ranks differ from the priorities' (they must be
    computed from the same inputs). A ``priorities.csv`` of an earlier release (no ``reason_shown``,
    ``survey_evidence_shown``) is accepted: those columns are added empty."""
    keys = ["scope_type", "scope", "theme"]
    priorities = schema.rename_legacy(priorities, "priorities")
    cols = [c for c in intervals.columns if c in ("rank_low", "rank_high") or re.fullmatch(r"p_top\d+", str(c))]
    m = priorities.drop(columns=[c for c in cols if c in priorities.columns]).merge(
        intervals[keys + ["rank"] + cols].rename(columns={"rank": "_point"}), on=keys, how="left")
    differ = m["_point"].notna() & (m["_point"] != m["rank"])
    if differ.any():
        raise ValueError(f"rank intervals were computed from other inputs: {int(differ.sum())} point ranks differ "
                         "from the priorities'. Pass the run's themes and scores to rank_intervals.")
    # a priorities table of an earlier release has no shown texts: left empty, the report, the view and the
    # plan write them from ``reason`` (codesign.shown_texts)
    return schema.conform(m.drop(columns="_point"), "priorities", optional=("reason_shown", "survey_evidence_shown"))


#: old weight-sensitivity column names -> the identifier-safe ones
OLD_SCENARIO_NAMES = {**{f"without {c}": f"without_{c}" for c in COMPONENTS},
                      **{f"{c} x2": f"{c}_x2" for c in COMPONENTS}}


def weight_scenarios() -> dict[str, dict[str, float]]:
    """The default weights, each component dropped, each doubled (a component whose default
    weight is 0 is given the smallest non-zero default instead), and all equal."""
    smallest = min(v for v in DEFAULT_WEIGHTS.values() if v > 0)
    out = {"default": dict(DEFAULT_WEIGHTS), "equal": {c: 1.0 for c in COMPONENTS}}
    for c in COMPONENTS:
        if DEFAULT_WEIGHTS[c] > 0:
            out[f"without_{c}"] = dict(DEFAULT_WEIGHTS, **{c: 0.0})
            out[f"{c}_x2"] = dict(DEFAULT_WEIGHTS, **{c: 2 * DEFAULT_WEIGHTS[c]})
        else:
            out[f"with_{c}"] = dict(DEFAULT_WEIGHTS, **{c: smallest})
    return out


def weight_sensitivity(themes: pd.DataFrame, codebook: pd.DataFrame, scores: pd.DataFrame | None = None,
                       drivers: pd.DataFrame | None = None, *, scope: str = "all", top: int = 3,
                       scenarios: Mapping[str, Mapping[str, float]] | None = None) -> pd.DataFrame:
    """Rank of each theme in one scope under each weighting (one column per scenario), with
    ``share_top`` (share of scenarios with the theme in the top ``top``) and ``stable``."""
    scenarios = scenarios or weight_scenarios()
    t = themes[themes["scope"] == scope]
    cols = {}
    for name, w in scenarios.items():
        df = score_components(t, codebook, scores, drivers, weights=w)
        cols[OLD_SCENARIO_NAMES.get(name, name)] = df.set_index("theme")["rank"]
    out = pd.DataFrame(cols)
    out["share_top"] = (out <= top).mean(axis=1)
    out["stable"] = out["share_top"] == 1.0
    return out.sort_values(["default"]).reset_index()
