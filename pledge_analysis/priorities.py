"""Prioritised improvement areas: comments and survey evidence combined, per theme and scope.

What the score is for: ranking the themes of one scope (everyone; each group, so that secondary
breast cancer patients are never averaged away; each site) by how strongly the evidence says
"people here experience a problem with this", so that patients and staff can choose pledge goals.
Every component answers one question, is a column, and is on a **fixed scale** (it never
depends on the largest value in the scope), so a site whose themes are all unremarkable has no
theme near the top of the scale and the cross-site heatmap compares like with like.

Components (the magnitude, then its ``*_norm`` on the fixed 0-1 scale where **0.5 means "no
different from the reference"**, above 0.5 worse):

``prevalence`` - how often people raise it as a concern
    share of the scope's comments (segments) that raise the theme **negatively**, shrunk towards the
    scope's mean share per theme (empirical Bayes, :func:`pledge_analysis.shrinkage.beta_binomial_shrink`).
    ``prevalence_norm``: the odds of raising it as a concern relative to the average theme's, as
    odds / (1 + odds). Praise is not counted: a theme people talk about often but kindly ("the staff
    were lovely") is not a frequent concern, so volume of praise never pushes a theme up (before
    session 7 this counted every comment, and a praise-only theme could rank among the top areas).
``negativity`` - when they do, how negative
    share of the theme's comments that are negative, shrunk towards the scope's pooled share
    (beta-binomial empirical Bayes: the prior strength is estimated from the spread between
    themes, clipped to 2-400 pseudo-comments), with a 95% interval (``negativity_low``,
    ``negativity_high``). ``negativity_norm``: the odds ratio against the pooled share, as OR / (1 + OR).
``survey_gap`` - how far its survey items are below benchmark
    mean over the theme's usable items (codebook ``survey_items``; proportions, not suppressed,
    with a benchmark that is not these same respondents) of ``benchmark - estimate`` in points (a
    fraction; negative means above benchmark). Each item's log-odds gap is shrunk towards 0 ("at
    benchmark") by a normal prior whose spread is how much NHS trusts really differ
    (:data:`SURVEY_TAU`, from the 2018 national survey), so a gap within noise shrinks towards
    nothing instead of being clipped, and a small site's gap is shrunk more than a large one's;
    95% interval ``survey_gap_low``/``survey_gap_high`` (items taken as perfectly correlated: never
    narrower than the evidence). NaN, *missing*, when no item is usable (``survey_evidence`` says
    why each item was not used). ``survey_gap_norm``: the shrunk odds ratio benchmark / here, as
    OR / (1 + OR) (0.5 at benchmark; 0.6 is an odds ratio of 1.5, about 8 points below a benchmark
    of 80%).
``driver`` - how much its items matter to the overall rating
    the mean share of R-squared of its items in :func:`pledge_analysis.survey.key_drivers`.
    ``driver_norm`` is the survey gap weighted by that importance: 0.5 + (``survey_gap_norm`` - 0.5)
    x r within 0-1, where r is the share relative to an even share (r = 2: twice as important as
    the average item). So importance counts only where there is a gap (important *and*
    under-performing, as in importance-performance analysis), and the noise of the driver
    estimates does not move themes that are at benchmark. NaN, missing, without drivers or items.
``breadth`` - descriptive
    the mean of the share of sites and of groups in which at least 3 of its comments are
    negative. It counts the same negative comments again, so its default weight is **0** (no
    triple counting); give it a weight to use it (``breadth_norm`` = ``breadth``).

``priority_score`` (``score`` in earlier releases) is the weighted mean of the ``*_norm``, with weights :data:`DEFAULT_WEIGHTS`: negativity
and the survey gap (direct evidence of a problem) 0.3 each, prevalence 0.25, driver importance
0.15, breadth 0. So 0.5 is "unremarkable" and the scale is the same in every scope. **Missing
evidence is not counted as zero**: a theme without usable survey items is scored on its comments,
which take over the survey's weight (re-weighting) to the degree :data:`MISSING` ``"calibrated"``
sets: as far as makes its score vary as much as a theme's with both kinds of evidence, so that
neither kind of theme is favoured when there is nothing to find (``tests/test_priority_calibration.py``;
the value used is in ``survey_gap_norm_imputed``). ``rank`` orders themes within a scope by
``priority_score`` (rounded to 4 decimals), highest first; equal scores are ranked by theme id. ``reason`` says why in plain English;
percentages resting on fewer than ``min_comments`` comments (:data:`MIN_COMMENTS`) are not
given as percentages. Rank intervals (``rank_low``, ``rank_high``, ``p_top3``) come from
:func:`pledge_analysis.uncertainty.rank_intervals`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from . import schema
from .shrinkage import M_MAX, M_MIN, beta_binomial_shrink, normal_shrink_to_zero
# second_to_hold: re-exported here (it was defined in this module)
from .survey.suppression import HELD_BACK_WORDS, second_to_hold, with_held_back  # noqa: F401

DEFAULT_WEIGHTS = {"prevalence": 0.25, "negativity": 0.3, "survey_gap": 0.3, "breadth": 0.0, "driver": 0.15}
COMPONENTS = tuple(DEFAULT_WEIGHTS)
#: how a theme's missing survey evidence (no usable item, so no driver importance either) enters the
#: score. ``"calibrated"`` (default): the comments stand in for it with a share beta (0-1) of the
#: survey's weight (its norm is 0.5 + beta x the theme's comment evidence, the weighted deviation of
#: its comment components from 0.5), beta chosen per scope so that the theme's score varies as
#: much as those of the themes that have both (from the spread of the two kinds of evidence among
#: them: beta = (sqrt(a^2 + b^2 s_survey^2 / s_comments^2) - a) / b, a and b the comment and survey
#: shares of the weights); with fewer than 3 such themes, beta = 1. ``"reweight"``: beta = 1, the
#: weights of the components present re-normalised. ``"neutral"``: beta = 0, "at benchmark". Under
#: exchangeable themes ``"reweight"`` puts a theme without items first too often and ``"neutral"``
#: too rarely; ``benchmarks/priority_calibration.py`` prints the three.
MISSING = ("calibrated", "reweight", "neutral")
#: prior spread of a unit's true survey gap on the log-odds scale: in the 2018 national CPES the
#: between-trust standard deviation of case-mix adjusted scores (DerSimonian-Laird, sampling noise
#: removed) has a median of 0.17 over its 51 percentage questions (quartiles 0.13-0.23)
SURVEY_TAU = 0.17
#: fewer comments than this: the reason gives counts, not a percentage negative
MIN_COMMENTS = 10


@dataclass(frozen=True)
class CountWords:
    """How the reasons write a count of comments, people or answers. With ``suppress_below`` (the project's
    suppression rule, ``suppress_below:`` in project.yaml) a count under it and above 0 is written "fewer
    than N", as suppressed survey results are, so that a handful of people cannot be recognised; without it
    (None, the default) every count is written as it is. :func:`prioritise` writes ``reason`` and
    ``survey_evidence`` with the counts and ``reason_shown`` / ``survey_evidence_shown`` with this rule, so
    that every wording of the reasons is suppressed where it is written (not rewritten afterwards).

    >>> c = CountWords(21)
    >>> c.of(7, "comment"), c.of(1, "person", "people"), c.of(30, "comment"), c.number(0), CountWords().of(7, "comment")
    ('fewer than 21 comments', 'fewer than 21 people', '30 comments', '0', '7 comments')
    """

    suppress_below: int | None = None
    #: counts of this row held back (:func:`held_back`) whatever their size, written "a withheld number",
    #: so that a hidden count of a sibling scope cannot be worked out by subtraction
    held: tuple = ()

    def hides(self, n) -> bool:
        """Whether ``n`` is written "fewer than N" (or withheld)."""
        if int(n) > 0 and int(n) in self.held:
            return True
        return bool(self.suppress_below) and self.suppress_below > 1 and 0 < int(n) < self.suppress_below

    def number(self, n) -> str:
        """``n`` alone: ``"7"`` or ``"fewer than 21"``."""
        return self._hidden(n) if self.hides(n) else str(int(n))

    def of(self, n, one: str, many: str | None = None) -> str:
        """``n`` with its noun: ``"7 comments"``, ``"1 person"`` or ``"fewer than 21 people"``."""
        if not self.hides(n):
            return plural(int(n), one, many)
        return f"{self._hidden(n)}{' of' if self._withheld(n) else ''} {many or one + 's'}"

    def _withheld(self, n) -> bool:
        return int(n) in self.held and not (self.suppress_below and 0 < int(n) < self.suppress_below)

    def _hidden(self, n) -> str:
        return HELD_WORDS if self._withheld(n) else f"fewer than {self.suppress_below}"


#: how a count held back by :func:`held_back` is written ("a withheld number of comments")
HELD_WORDS = "a withheld number"

#: the counts of a themes or priorities row that the suppression rule hides
HIDDEN_COUNTS = ("n_segments", "n_negative", "n_respondents")


def held_back(table: pd.DataFrame, suppress_below: int | None, columns=HIDDEN_COUNTS,
              units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts (of a themes or priorities table) withheld although they are not small, so that no small count
    comes back by subtraction. The groups, and the hospitals, of a theme add up to its everyone row; when
    that row's count is shown and exactly one group's (or hospital's) is hidden ("fewer than 21"), the total
    minus the others gives it back. Then the smallest other one is held back too (secondary suppression,
    :func:`held_cells`). With ``units`` (the coded units) the hospitals' counts by group, which the co-design
    pack prints, are lines too: a hospital's groups add up to the hospital and a group's hospitals to the
    group. One boolean column per count in ``columns``, aligned to ``table``; all False without a rule.

    >>> t = pd.DataFrame({"scope_type": ["all", "group", "group"], "scope": ["all", "primary", "staff"],
    ...                   "theme": "w", "n_segments": [30, 25, 5]})
    >>> held_back(t, 21, ["n_segments"])["n_segments"].tolist()
    [False, True, False]
    """
    cols = [c for c in columns if c in table.columns]
    out = pd.DataFrame(False, index=table.index, columns=cols)
    if not suppress_below or suppress_below <= 1 or not len(table):
        return out
    held = held_cells(table, suppress_below, units, cols)
    for c in cols:
        out[c] = [_cell(st, sc) in held.get((th, c), ()) for th, st, sc in
                  zip(table["theme"], table["scope_type"].astype(str), table["scope"].astype(str))]
    return out


def _cell(scope_type: str, scope: str) -> tuple:
    """A scope as a (site, group) cell: everyone ``("all", "all")``, a group ``("all", g)``, a site ``(s, "all")``."""
    return ("all", "all") if scope_type == "all" else ("all", scope) if scope_type == "group" else (scope, "all")


def cell_counts(units: pd.DataFrame) -> pd.DataFrame:
    """Per theme, hospital and group: ``n_segments`` (comments), ``n_negative`` (those negative: a comment is
    negative about a theme when its most negative coded sentence is, as in the themes table) and
    ``n_respondents``, from the coded units; the cells the co-design pack's table by group prints."""
    cols = ["theme", "site", "group", "n_segments", "n_negative", "n_respondents"]
    if units is None or not len(units) or not {"theme", "site", "group", "segment_id"} <= set(units.columns):
        return pd.DataFrame(columns=cols)
    u = schema.rename_legacy(units, "units")
    if "sentiment_score" in u.columns:
        u = u.sort_values("sentiment_score", kind="stable")
    u = u.drop_duplicates(["segment_id", "theme"]).assign(site=lambda d: d["site"].astype(str),
                                                           group=lambda d: d["group"].astype(str))
    neg = u["sentiment"].eq("negative") if "sentiment" in u.columns else pd.Series(False, index=u.index)
    who = u["respondent_id"] if "respondent_id" in u.columns else pd.Series(None, index=u.index)
    g = u.assign(neg=neg, who=who).groupby(["theme", "site", "group"], sort=False)
    return g.agg(n_segments=("segment_id", "size"), n_negative=("neg", "sum"),
                 n_respondents=("who", "nunique")).reset_index()[cols]


def held_cells(table: pd.DataFrame, suppress_below: int, units: pd.DataFrame | None = None,
               columns=HIDDEN_COUNTS) -> dict:
    """``{(theme, count column): {(site, group), ...}}``: the cells of each theme held back by the one
    secondary-suppression rule (:func:`pledge_analysis.survey.suppression.hold_lines`), over the everyone, group
    and site rows of ``table`` and, with ``units``, each hospital's counts by group (:func:`cell_counts`)."""
    from .survey.suppression import hold_lines

    cols = [c for c in columns if c in table.columns]
    by_cell = cell_counts(units) if units is not None else None
    out: dict = {}
    for theme, rows in table.groupby("theme", sort=False):
        inner = by_cell[by_cell["theme"] == theme] if by_cell is not None and len(by_cell) else None
        for c in cols:
            values = {_cell(st, sc): v for st, sc, v in zip(rows["scope_type"].astype(str), rows["scope"].astype(str),
                                                            rows[c].fillna(0).astype(int))}
            if inner is not None:
                values.update({(s, g): int(v) for s, g, v in zip(inner["site"], inner["group"], inner[c])})
            sites = [s for s, g in values if s != "all" and g == "all"]
            groups = list(dict.fromkeys(g for s, g in values if g != "all"))  # also those only in the cells
            lines = [(("all", "all"), [(s, "all") for s in sites]), (("all", "all"), [("all", g) for g in groups])]
            if inner is not None:
                lines += [((s, "all"), [(s, g) for g in groups]) for s in sites]
                lines += [(("all", g), [(s, g) for s in sites]) for g in groups]
            out[(theme, c)] = hold_lines(values, lines, suppress_below)
    return out


def scope_scores(scores: pd.DataFrame, scope_type: str, scope: str) -> pd.DataFrame:
    """The rows of a scores table for one scope (everyone, a group or a site)."""
    if scope_type == "all":
        return scores[(scores["site"] == "all") & (scores["group"] == "all")]
    if scope_type == "group":
        return scores[(scores["site"] == "all") & (scores["group"] == scope)]
    return scores[(scores["site"] == scope) & (scores["group"] == "all")]


def _logit(p):
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _expit(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def _scope_keys(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` restricted to the rows a scope reads, with ``scope_type`` and ``scope`` columns."""
    site, group = scores["site"], scores["group"]
    scope_type = np.where((site == "all") & (group == "all"), "all",
                          np.where(site == "all", "group", np.where(group == "all", "site", "")))
    scope = np.where(scope_type == "group", group, site)
    out = scores.assign(scope_type=scope_type, scope=scope)
    return out[out["scope_type"] != ""]


def item_status(scores: pd.DataFrame) -> pd.DataFrame:
    """Every scope's survey rows with ``why``: empty when the row can measure a gap (a proportion,
    not suppressed, with an estimate from at least one answer, and a benchmark strictly between 0 and 1
    that is not these same respondents),
    else why not. Suppressed items are missing evidence, never a gap."""
    s = _scope_keys(scores)
    why = pd.Series("", index=s.index, dtype=object)
    if "gap" not in s.columns:
        return s.assign(why="no benchmark")
    why[s["suppressed"].fillna(False).astype(bool).to_numpy()] = "fewer answers than the suppression threshold"
    no_result = pd.to_numeric(s["estimate"], errors="coerce").isna() | ~(pd.to_numeric(s["n"], errors="coerce") > 0)
    why[(why == "") & no_result.to_numpy()] = "no result (an empty estimate or no answers)"
    bench = pd.to_numeric(s["benchmark"], errors="coerce")
    why[(why == "") & ~bench.between(0, 1, inclusive="neither")] = "no benchmark"
    why[(why == "") & (s["kind"] != "proportion")] = "not a proportion"
    same = (benchmark_kinds(s) == "all respondents") & (s["scope_type"] == "all")
    why[(why == "") & same] = "its benchmark is these same respondents"
    return s.assign(why=why)


def benchmark_kinds(scores: pd.DataFrame) -> pd.Series:
    """What each row's benchmark is: ``national``, ``all respondents`` or ``none`` (from
    ``benchmark_kind`` when the scores have it, else read from ``benchmark_source``)."""
    if "benchmark_kind" in scores.columns:
        return scores["benchmark_kind"].fillna("none").astype(str)
    src = (scores["benchmark_source"].fillna("none").astype(str) if "benchmark_source" in scores.columns
           else pd.Series("none", index=scores.index))
    return pd.Series(np.where(src.str.startswith("national"), "national",
                              np.where(src.str.startswith("all respondents"), "all respondents", "none")),
                     index=scores.index)


def item_gaps(scores: pd.DataFrame, items: list[str] | None = None) -> pd.DataFrame:
    """Per scope and usable item (of ``items``, default all): the log-odds gap to benchmark shrunk
    towards 0 (``d``, its posterior sd ``sd``), and the same in points: ``gap`` (benchmark minus the
    shrunk estimate, a fraction) and ``gap_sd``. The spread of the prior (``tau``) is estimated per
    scope from all its usable items."""
    cols = ["scope_type", "scope", "question_id", "d", "sd", "gap", "gap_sd", "tau"]
    s = item_status(scores)
    if items is not None:
        s = s[s["question_id"].isin(items)]
    s = s[s["why"] == ""]
    if s.empty:
        return pd.DataFrame(columns=cols)
    n = s["n"].to_numpy(float)
    pos = s["positives"].to_numpy(float) if "positives" in s.columns else s["estimate"].to_numpy(float) * n
    pos = np.where(np.isfinite(pos), pos, s["estimate"].to_numpy(float) * n)
    b = s["benchmark"].to_numpy(float)
    p = (pos + 0.5) / (n + 1)
    var = 1 / (n * p * (1 - p))
    # a subset compared with all respondents: the two overlap, so the difference varies less
    o = scores[(scores["site"] == "all") & (scores["group"] == "all")]
    n_all = s["question_id"].map(dict(zip(o["question_id"], o["n"]))).to_numpy(float)
    nested = (benchmark_kinds(s) == "all respondents").to_numpy() & np.isfinite(n_all) & (n_all > n)
    var = np.where(nested, var * (1 - n / np.where(nested, n_all, np.inf)), var)
    d = _logit(b) - _logit(p)
    post, sd, tau = np.empty_like(d), np.empty_like(d), np.empty_like(d)
    keys = s["scope_type"].astype(str).to_numpy() + "\x1f" + s["scope"].astype(str).to_numpy()
    for key in np.unique(keys):
        m = keys == key
        post[m], sd[m], tau[m] = normal_shrink_to_zero(d[m], np.sqrt(var[m]), tau=SURVEY_TAU)
    here = _expit(_logit(b) - post)
    return pd.DataFrame({"scope_type": s["scope_type"].to_numpy(), "scope": s["scope"].to_numpy(),
                         "question_id": s["question_id"].to_numpy(), "d": post, "sd": sd, "gap": b - here,
                         "gap_sd": sd * here * (1 - here), "tau": tau}, columns=cols)


def theme_gaps(themes: pd.DataFrame, codebook: pd.DataFrame, scores: pd.DataFrame | None) -> pd.DataFrame:
    """Per row of ``themes``: ``survey_gap`` (mean shrunk gap of its usable items, points as a
    fraction), ``survey_gap_low``/``survey_gap_high`` (95%, items taken as perfectly correlated),
    ``survey_gap_norm`` (the shrunk odds ratio as OR / (1 + OR)) and ``n_items`` (usable items)."""
    cols = ["survey_gap", "survey_gap_low", "survey_gap_high", "survey_gap_norm", "n_items"]
    pairs = [(c, q) for c, qs in zip(codebook["code_id"], codebook["survey_items"]) for q in (qs or [])]
    if scores is None or not len(scores) or not pairs:
        out = pd.DataFrame(np.nan, index=themes.index, columns=cols)
        out["n_items"] = 0
        return out
    items = {}
    for c, q in pairs:
        items.setdefault(c, []).append(q)
    g = item_gaps(scores, sorted({q for _, q in pairs}))
    at = {k: i for i, k in enumerate(zip(g["scope_type"], g["scope"], g["question_id"]))}
    gap, gap_sd, d = (g[c].to_numpy(float) for c in ("gap", "gap_sd", "d"))
    res = np.full((len(themes), 5), np.nan)
    res[:, 4] = 0
    for i, (st, sc, th) in enumerate(zip(themes["scope_type"], themes["scope"], themes["theme"])):
        rows = [at[k] for k in ((st, sc, q) for q in items.get(th, ())) if k in at]
        if rows:
            m, half = gap[rows].mean(), 1.96 * gap_sd[rows].mean()
            res[i] = (m, m - half, m + half, float(_expit(d[rows].mean())), len(rows))
    out = pd.DataFrame(res, index=themes.index, columns=cols)
    out["n_items"] = out["n_items"].fillna(0).astype(int)
    return out


def survey_evidence(themes: pd.DataFrame, codebook: pd.DataFrame, scores: pd.DataFrame | None,
                    counts: CountWords = CountWords()) -> pd.Series:
    """Per row of ``themes``: its survey items in plain text ("Q10 46% (benchmark 78%, n 120); Q13 not
    used: fewer answers than the suppression threshold (n 12)"); empty without items or scores. With a
    suppression rule in ``counts`` (:class:`CountWords`) a small number of answers reads "(fewer than 21
    answers)" instead of "(n 12)", and an item held back (the scores' ``held_back``: secondary suppression) reads
    "Q10 not shown, so that ..." (:data:`~pledge_analysis.survey.suppression.HELD_BACK_WORDS`)."""
    items = dict(zip(codebook["code_id"], codebook["survey_items"]))
    if scores is None or not len(scores):
        return pd.Series("", index=themes.index, dtype=object)
    status = item_status(scores)
    by_scope = {k: g.set_index("question_id") for k, g in status.groupby(["scope_type", "scope"])}
    texts = []
    for scope_type, scope, theme in zip(themes["scope_type"], themes["scope"], themes["theme"]):
        rows = by_scope.get((scope_type, scope))
        parts = []
        for q in items.get(theme) or []:
            if rows is None or q not in rows.index:
                continue
            r = rows.loc[q]
            n = int(r["n"]) if pd.notna(r["n"]) else 0
            answers = f"({counts.of(n, 'answer')})" if counts.hides(n) else f"(n {n})"
            if counts.suppress_below and not r["suppressed"] and bool(r.get("held_back", False)):
                parts.append(f"{q} {HELD_BACK_WORDS}")  # secondary suppression: neither its n nor its result
            elif r["why"]:
                parts.append(f"{q} not used: {r['why']} {answers}")
            else:
                parts.append(f"{q} {100 * r['estimate']:.0f}% (benchmark {100 * r['benchmark']:.0f}%, "
                             + (answers[1:] if counts.hides(n) else f"n {n})"))
        texts.append("; ".join(parts))
    return pd.Series(texts, index=themes.index, dtype=object)


def driver_importance(codebook: pd.DataFrame, drivers: pd.DataFrame | None) -> dict[str, float]:
    """Mean share of R-squared of each theme's survey items (from ``key_drivers``)."""
    if drivers is None or drivers.empty:
        return {}
    share = dict(zip(drivers["question_id"], drivers["share"]))
    out = {}
    for code, items in zip(codebook["code_id"], codebook["survey_items"]):
        vals = [share[i] for i in items or [] if i in share]
        if vals:
            out[code] = float(np.mean(vals))
    return out


def quote_key(text: str) -> str:
    """Quotes that differ only in case, spacing or punctuation are the same quote (shown once).

    >>> quote_key("After treatment I felt cut adrift.") == quote_key("after treatment i felt  cut adrift")
    True
    """
    return " ".join(re.sub(r"[^\w]+", " ", str(text).lower()).split())


#: Who said a quote, in its attribution ("... (primary patient, survey)"): a person of the group, not the group's
#: code (short, so that a co-design pack's area still fits its printed page); a project's own group reads as written.
QUOTE_WHO = {"primary": "primary patient", "secondary": "secondary patient", "staff": "staff member"}
#: Where a quote comes from, in its attribution within a hospital.
QUOTE_SOURCE = {"survey": "survey", "focus_group": "focus group", "interview": "interview"}


def quote_who(group: str, site: str, source_type: str, scope_type: str) -> str:
    """A quote's attribution in words: who (:data:`QUOTE_WHO`) and, within a hospital (``scope_type`` "site"),
    where it was said (:data:`QUOTE_SOURCE`), else at which hospital.

    >>> quote_who("primary", "NGU", "survey", "site"), quote_who("staff", "NGU", "focus_group", "group")
    ('primary patient, survey', 'staff member, NGU')
    """
    who = QUOTE_WHO.get(str(group), str(group).replace("_", " "))
    return f"{who}, " + (str(site) if scope_type != "site" else QUOTE_SOURCE.get(str(source_type), str(source_type).replace("_", " ")))


def _quotes(units: pd.DataFrame, scope_type: str, scope: str, theme: str, n: int) -> list[str]:
    u = units[(units["theme"] == theme) & (units["sentiment"] == "negative")]
    if scope_type != "all":
        u = u[u[scope_type] == scope]
    u = u.sort_values(["sentiment_score", "segment_id"])
    picked, seen, taken, voices = [], set(), set(), set()
    diversity = "source_id" if scope_type == "site" else "site"
    rows = list(zip(*(u[c].tolist() for c in (diversity, "text", "group", "site", "source_type", "segment_id"))
                    )) if len(u) else []
    for _pass in (0, 1):  # first from different sites (or sources), then fill up
        for first, text, group, site, source_type, segment in rows:
            if len(picked) >= n:
                break
            text = str(text).strip()
            key = quote_key(text)
            # one quote per comment: three sentences of one long comment are one person, not three
            if key in taken or segment in voices or (_pass == 0 and first in seen) or len(text) < 12:
                continue
            seen.add(first)
            taken.add(key)
            voices.add(segment)
            who = quote_who(group, site, source_type, scope_type)
            picked.append(f"“{text}” ({who})")
    return picked


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 comment"``, ``"2 comments"``; ``many`` for irregular plurals (``person``/``people``).

    >>> plural(1, "point"), plural(3, "point"), plural(1, "person", "people"), plural(0, "person", "people")
    ('1 point', '3 points', '1 person', '0 people')
    """
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _points(x: float) -> str:
    """A gap in percentage points, whole and pluralised: ``0.012`` -> ``"1 point"``."""
    return plural(int(round(abs(100 * x))), "point")


def _no_survey_gap(evidence) -> str:
    """Why a theme's place rests on its comments, from its ``survey_evidence``: no question measures it,
    or its questions were asked but cannot be used here (too few answers to show, no benchmark).

    >>> _no_survey_gap("")
    'no survey question measures it, so its place rests on the comments'
    >>> _no_survey_gap("Q2 not used: fewer answers than the suppression threshold (n 14)")
    'too few people answered its survey questions here for their results to be shown, so its place rests on the comments'
    """
    items = [x for x in str(evidence or "").split("; ") if x.strip()] if isinstance(evidence, str) else []
    if not items:
        return "no survey question measures it, so its place rests on the comments"
    if all("suppression threshold" in x for x in items):
        return ("too few people answered its survey questions here for their results to be shown, so its place "
                "rests on the comments")
    return "its survey questions cannot be compared with a benchmark here, so its place rests on the comments"


#: a score this far from 0.5 ("no different from the reference") reads as a priority, or as not one
VERDICT_MARGIN = 0.02
#: a theme with fewer than this share of its comments negative is "mostly praise or passing mentions"
MOSTLY_PRAISE = 0.2


def _num(r, name: str) -> float:
    v = getattr(r, name, np.nan)
    try:
        return float(v)
    except (TypeError, ValueError):
        return np.nan


#: What a reader is told instead of a rank in a scope where no area stands out (:func:`unranked_scopes`): the
#: view, the report and the co-design pack all say this, not "Ranked 1st ... probably among the top three"
#: beside reasons that each read "no clear sign of a problem".
NOT_RANKED = ("Too little feedback here to rank areas: no area's comments or survey results stand out from "
              "the others, so the order in which the areas are listed says nothing about which matters most.")


def unranked_scopes(priorities: pd.DataFrame) -> set[tuple[str, str]]:
    """The ``(scope_type, scope)`` pairs whose ranking says nothing: every area's ``priority_score`` lies
    within :data:`VERDICT_MARGIN` of 0.5, so :func:`verdict` finds none a priority and none not one (a
    hospital with a handful of respondents: its scores are pulled to 0.5). Their ranks stay in the table;
    readers are told :data:`NOT_RANKED` instead.

    >>> unranked_scopes(pd.DataFrame({"scope_type": "site", "scope": ["A", "A", "B", "B"],
    ...                               "priority_score": [0.51, 0.49, 0.7, 0.5]}))
    {('site', 'A')}
    """
    if priorities is None or not len(priorities) or "priority_score" not in priorities.columns:
        return set()
    score = pd.to_numeric(priorities["priority_score"], errors="coerce")
    clear = ((score - 0.5).abs() > VERDICT_MARGIN) | score.isna()
    keys = list(zip(priorities["scope_type"].astype(str), priorities["scope"].astype(str)))
    some = pd.Series(clear.to_numpy(), index=pd.MultiIndex.from_tuples(keys)).groupby(level=[0, 1]).any()
    return {k for k, v in some.items() if not v}


def verdict(r, min_comments: int = MIN_COMMENTS, counts: CountWords = CountWords()) -> str:
    """Whether the evidence makes a theme a priority, and what that rests on, in one clause (empty
    without a ``score``): "a priority: ..." (score above 0.5 + :data:`VERDICT_MARGIN`), "not a
    priority on this evidence: ..." (below 0.5 - the margin) or "no clear sign of a problem: ...".
    Only concerns count for a theme: criticisms, how many comments raise it as one, a survey gap;
    praise never makes it a priority, and a theme raised mostly in praise says so. Counts are written
    by ``counts`` (:class:`CountWords`: with a suppression rule, small ones read "fewer than N").

    >>> from types import SimpleNamespace as R
    >>> verdict(R(priority_score=0.42, n_segments=40, n_negative=2, negativity_low=0.02, negativity_high=0.15,
    ...           negativity_ref=0.4, prevalence_norm=0.3, survey_gap=float("nan")))
    'not a priority on this evidence: most of its comments are praise or passing mentions, not criticisms (2 of 40); it is raised as a concern less often than most areas'
    """
    score = _num(r, "priority_score")
    if not np.isfinite(score):
        return ""
    n, neg = int(_num(r, "n_segments")), int(_num(r, "n_negative"))
    lo, hi, ref = _num(r, "negativity_low"), _num(r, "negativity_high"), _num(r, "negativity_ref")
    up, down = [], []
    if n and neg / n < MOSTLY_PRAISE and not neg / n > ref:
        of = f"{counts.of(n, 'comment')} in all" if counts.hides(n) else f"{counts.number(neg)} of {n}"
        down.append(f"most of its comments are praise or passing mentions, not criticisms ({of})"
                    if neg else "none of its comments is a criticism")
    elif n < min_comments and neg * 2 >= n:
        # a hidden count: "all" when every one is (the reason's next sentence says "all of them negative")
        up.append(f"{'all' if neg == n else 'at least half'} of its comments ({counts.number(n)}) are criticisms"
                  if counts.hides(n) else
                  f"{counts.number(neg)} of its {plural(n, 'comment')} are criticisms" if n > 1 else "its one comment is a criticism")
    elif n >= min_comments and lo > ref:
        up.append("its comments are more often critical than those about other areas")
    elif n >= min_comments and hi < ref:
        down.append("its comments are less often critical than those about other areas")
    prev = _num(r, "prevalence_norm")
    if prev >= 0.6:
        up.append("it is raised as a concern more often than most areas")
    elif prev <= 0.4:
        down.append("it is raised as a concern less often than most areas")
    gap_lo, gap_hi = _num(r, "survey_gap_low"), _num(r, "survey_gap_high")
    if gap_lo > 0:
        up.append("its survey questions score below the benchmark")
    elif gap_hi < 0:
        down.append("its survey questions score above the benchmark")
    if score > 0.5 + VERDICT_MARGIN:
        return "a priority: " + ("; ".join(up) if up else "the evidence leans that way, though no single part of it "
                                 "stands out") + ("; against that, " + "; ".join(down) if down else "")
    if score < 0.5 - VERDICT_MARGIN:
        return ("not a priority on this evidence: " + ("; ".join(down) if down else "nothing in it points to a problem")
                + ("; against that, " + "; ".join(up) if up else ""))
    return "no clear sign of a problem: " + ("; ".join(up + down) if up + down else
                                             "its comments and survey results are much like those of other areas")


def _reason(r, min_comments: int, n_drivers: int = 0, counts: CountWords = CountWords()) -> str:
    """Why a theme is where it is, in words a patient representative can follow: first whether it is a
    priority and what that rests on (:func:`verdict`), then how many comments raise it and how many are
    negative, how its survey questions compare with the benchmark, at how many hospitals it was
    criticised, and how closely its questions go with the overall rating. Every count of comments or
    people is written by ``counts`` (:class:`CountWords`)."""
    people = counts.of(int(r.n_respondents), "person", "people")
    n, neg = int(r.n_segments), int(r.n_negative)
    if n < min_comments:
        hidden = counts.hides(n)
        if n == 1 and not hidden:
            which = "it was negative" if neg == 1 else "it was not negative"
        else:
            which = f"{'all' if neg == n and hidden else counts.number(neg)} of them negative" if neg \
                else "none of them negative"
        if not neg:  # a small round can rank praise high on prevalence alone: say it is not a concern
            which += " (raised in praise or in passing, not as a concern)"
        # one threshold per sentence: a hidden count says only "too few" (the percentage's own threshold
        # would tell more than the suppression rule lets out); a shown count says what a percentage needs
        need = "" if hidden else f" (that needs {min_comments} or more)"
        parts = [f"raised in {'' if hidden else 'only '}{counts.of(n, 'comment')} ({people}), {which}: too few "
                 f"for a reliable percentage{need}"]
    elif counts.hides(n):  # an exact share (or its interval) of a hidden count would give the count away:
        # the share of the scope's comments times the scope's total (the report prints it), the negativity
        # times the count; neither is printed
        share = ("none" if not neg else "all" if neg == n else "at least half" if neg * 2 >= n else "fewer than half")
        parts = [f"raised in {counts.of(n, 'comment')} (from {people})",
                 f"{share} of them negative, against {r.negativity_ref:.0%} for all areas together"]
    elif counts.hides(neg):  # the comments are shown, the negative ones are not: no exact share of them
        parts = [f"raised in {r.prevalence_raw:.0%} of comments ({counts.of(n, 'comment')} from {people})",
                 f"{counts.number(neg)} of them negative ({'at least' if neg * 2 >= n else 'fewer than'} half), "
                 f"against {r.negativity_ref:.0%} for all areas together"]
    else:
        parts = [f"raised in {r.prevalence_raw:.0%} of comments ({counts.of(n, 'comment')} from {people})",
                 f"about {r.negativity:.0%} of them negative (95% interval {r.negativity_low:.0%} to "
                 f"{r.negativity_high:.0%}), against {r.negativity_ref:.0%} for all areas together"]
    if pd.notna(r.survey_gap):
        gap, lo, hi = r.survey_gap, r.survey_gap_low, r.survey_gap_high
        if lo > 0:
            parts.append(f"its survey questions score {_points(gap)} below the benchmark on average "
                         f"(95% interval {_points(lo).split()[0]} to {_points(hi)})")
        elif hi < 0:
            parts.append(f"its survey questions score {_points(gap)} above the benchmark on average "
                         f"(95% interval {_points(hi).split()[0]} to {_points(lo)})")
        else:
            def side(x):
                return "at the benchmark" if round(100 * x) == 0 else f"{_points(x)} {'below' if x > 0 else 'above'}"
            parts.append(f"its survey questions score about the same as the benchmark (between {side(hi)} and "
                         f"{side(lo)})")
    else:
        parts.append(_no_survey_gap(getattr(r, "survey_evidence", "")))
    n_sites, n_bad = int(r.n_sites), int(r.n_sites_negative)
    if n_sites > 1:  # at one hospital (a site's own scope) this says nothing
        if n_sites == 2 and n_bad in (0, 2):  # never "all 2 hospitals"
            parts.append("3 or more negative comments at both hospitals" if n_bad else
                         "3 or more negative comments at neither hospital")
        else:
            where = (f"all {n_sites}" if n_bad == n_sites else f"none of the {n_sites}" if n_bad == 0
                     else f"{n_bad} of the {n_sites}")
            parts.append(f"3 or more negative comments at {where} hospitals")
    if pd.notna(r.driver) and r.driver > 0 and n_drivers and pd.notna(r.survey_gap):  # no gap: nothing it weights
        relative = r.driver * n_drivers  # 1 = an even share of what explains the overall rating
        how = ("more closely than most" if relative >= 1.5 else "less closely than most" if relative <= 2 / 3
               else "about as closely as most")
        parts.append(f"its survey questions are linked to how people rate their care overall {how} questions")
    why = verdict(r, min_comments, counts)
    return f"{r.name}: " + (f"{why}. " + parts[0][:1].upper() + parts[0][1:] if why else parts[0]) \
        + "".join("; " + p for p in parts[1:]) + "."


def resolve_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The default weights updated with ``weights`` (unknown names raise ConfigError)."""
    w = dict(DEFAULT_WEIGHTS, **(weights or {}))
    unknown = set(w) - set(COMPONENTS)
    if unknown:
        from .errors import ConfigError

        raise ConfigError(f"unknown priority weight(s) {sorted(unknown)}; use {list(COMPONENTS)}.")
    usable = all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                 and np.isfinite(v) and v >= 0 for v in w.values())
    if not usable or sum(w.values()) <= 0:
        from .errors import ConfigError

        raise ConfigError(f"priority weights must be numbers >= 0, finite and not all 0 (got {w}).",
                          hint="Set priorities: weights: in project.yaml to numbers such as 0.3.")
    return {k: float(v) for k, v in w.items()}


def _fill_missing(df: pd.DataFrame, w: Mapping[str, float], missing: str) -> pd.DataFrame:
    """Add ``survey_gap_norm_imputed`` and ``driver_norm_imputed`` for themes without them (see
    :data:`MISSING`)."""
    if missing not in MISSING:
        from .errors import ConfigError

        raise ConfigError(f"unknown missing-evidence rule {missing!r}; use one of {list(MISSING)}.")
    comment = [c for c in ("prevalence", "negativity", "breadth") if w[c] > 0]
    cw = np.array([w[c] for c in comment])
    dev = (df[[f"{c}_norm" for c in comment]].to_numpy(float) - 0.5) @ (cw / cw.sum()) if comment else np.zeros(len(df))
    df["survey_gap_norm_imputed"] = np.nan
    df["driver_norm_imputed"] = np.nan
    if missing == "reweight":
        return df
    survey = [c for c in ("survey_gap", "driver") if w[c] > 0]
    if not survey or not comment:
        return df
    sw = np.array([w[c] for c in survey])
    a, b = cw.sum() / (cw.sum() + sw.sum()), sw.sum() / (cw.sum() + sw.sum())
    norms = df[[f"{c}_norm" for c in survey]].to_numpy(float)
    have_all = np.isfinite(norms).all(axis=1)
    sdev = np.where(have_all, (np.nan_to_num(norms, nan=0.5) - 0.5) @ (sw / sw.sum()), np.nan)
    for idx in df.groupby(["scope_type", "scope"], sort=False).indices.values():
        have = have_all[idx]
        if have.all() or not have.any():
            continue
        x, y = dev[idx], sdev[idx]
        if missing == "neutral":
            fill = np.zeros(len(idx))
        else:
            beta = 1.0
            if missing == "calibrated" and have.sum() >= 3:
                sc, ss = np.std(x[have]), np.std(y[have])
                beta = float(np.clip((np.sqrt(a * a * sc * sc + b * b * ss * ss) / sc - a) / b, 0, 1)) if sc > 0 else 0.0
            fill = beta * x
        for comp in survey:
            col = df.columns.get_loc(f"{comp}_norm_imputed")
            df.iloc[idx[~have], col] = np.clip(0.5 + fill[~have], 0, 1)
    return df


def score_components(themes: pd.DataFrame, codebook: pd.DataFrame, scores: pd.DataFrame | None = None,
                     drivers: pd.DataFrame | None = None, *, weights: Mapping[str, float] | None = None,
                     prior_strength: float | None = None, missing: str = "calibrated") -> pd.DataFrame:
    """The components, their ``*_norm`` forms, ``priority_score`` and ``rank`` (no quotes or reasons).

    The fast core of :func:`prioritise`, also used by the bootstrap and the sensitivity table.
    ``prior_strength``: pseudo-comments of the negativity prior; None estimates it per scope
    (empirical Bayes). The prior strengths used are in ``negativity_prior`` (one value per scope).
    """
    w = resolve_weights(weights)
    df = themes.copy()
    df["negativity_raw"], df["prevalence_raw"] = df["negativity"], df["prevalence"]
    n_seg = df["n_segments"].to_numpy(float)
    n_neg = df["n_negative"].to_numpy(float)
    n_scope = df["n_scope_segments"].to_numpy(float)
    res = {k: np.full(len(df), np.nan) for k in ("prevalence", "prevalence_norm", "negativity", "negativity_low",
                                                "negativity_high", "negativity_ref", "negativity_prior",
                                                "negativity_norm")}
    for idx in df.groupby(["scope_type", "scope"], sort=False).indices.values():
        # how often it is raised as a concern: negative comments only (praise does not make a priority)
        prev, _, _, _ = beta_binomial_shrink(n_neg[idx], n_scope[idx])
        ref_prev = n_neg[idx].sum() / max(n_scope[idx].sum(), 1)
        neg, lo, hi, m = beta_binomial_shrink(n_neg[idx], n_seg[idx], m=prior_strength)
        ref_neg = n_neg[idx].sum() / max(n_seg[idx].sum(), 1)
        res["prevalence"][idx], res["prevalence_norm"][idx] = prev, _expit(_logit(prev) - _logit(ref_prev))
        res["negativity"][idx], res["negativity_low"][idx], res["negativity_high"][idx] = neg, lo, hi
        res["negativity_ref"][idx], res["negativity_prior"][idx] = ref_neg, m
        res["negativity_norm"][idx] = _expit(_logit(neg) - _logit(ref_neg))
    for k, v in res.items():
        df[k] = v
    if "survey_gap" not in df.columns:
        df = df.join(theme_gaps(df, codebook, scores))
    max_sites = df.groupby(["scope_type", "scope"])["n_sites"].transform("max").replace(0, np.nan)
    max_groups = df.groupby(["scope_type", "scope"])["n_groups"].transform("max").replace(0, np.nan)
    df["breadth"] = ((df["n_sites_negative"] / max_sites).fillna(0)
                     + (df["n_groups_negative"] / max_groups).fillna(0)) / 2
    df["breadth_norm"] = df["breadth"]
    imp = driver_importance(codebook, drivers)
    df["driver"] = df["theme"].map(imp).astype(float)
    relative = df["driver"] * (len(drivers) if drivers is not None else 0)  # 1 = an even share
    df["driver_norm"] = np.clip(0.5 + (df["survey_gap_norm"] - 0.5) * relative, 0, 1)
    df = _fill_missing(df, w, missing)
    num = sum(w[c] * df[f"{c}_norm"].fillna(df.get(f"{c}_norm_imputed", np.nan)).fillna(0) for c in COMPONENTS)
    den = sum(w[c] * (df[f"{c}_norm"].notna() | df.get(f"{c}_norm_imputed", pd.Series(np.nan, index=df.index)).notna())
              for c in COMPONENTS)
    df["priority_score"] = (num / den.replace(0, np.nan)).round(4)
    df = df[df["n_segments"] > 0].sort_values(["scope_type", "scope", "priority_score", "theme"],
                                              ascending=[True, True, False, True], na_position="last")
    df["rank"] = df.groupby(["scope_type", "scope"]).cumcount() + 1
    return df


def prioritise(themes: pd.DataFrame, units: pd.DataFrame, codebook: pd.DataFrame,
               scores: pd.DataFrame | None = None, drivers: pd.DataFrame | None = None, *,
               weights: Mapping[str, float] | None = None, prior_strength: float | None = None,
               n_quotes: int = 3, min_comments: int = MIN_COMMENTS, missing: str = "calibrated",
               suppress_below: int | None = None) -> pd.DataFrame:
    """Rank improvement areas within each scope (columns :data:`schema.PRIORITIES`).

    Parameters
    ----------
    themes : the table from :func:`pledge_analysis.coding.summarise_themes`.
    units : coded units (:func:`pledge_analysis.coding.coded_units`), for quotes.
    scores : survey scores with ``gap`` (:func:`pledge_analysis.survey.compare_to_benchmark`),
        scored by site and by group as well as overall.
    drivers : key drivers of the overall rating (:func:`pledge_analysis.survey.key_drivers`).
    weights : weights of the components (:data:`COMPONENTS`); only their ratios matter.
    prior_strength : pseudo-comments of the negativity prior (None: estimated, empirical Bayes).
    min_comments : below this many comments the reason gives counts, not percentages.
    missing : how missing survey evidence enters the score (:data:`MISSING`).
    suppress_below : the project's suppression rule: ``reason_shown`` and ``survey_evidence_shown`` write
        every count of comments, people or answers under it as "fewer than N" (:class:`CountWords`);
        ``reason`` and ``survey_evidence`` keep the counts. None: the shown columns equal the others.

    ``rank_low``, ``rank_high`` and ``p_top3`` are empty here: the run fills them with
    :func:`pledge_analysis.uncertainty.with_rank_intervals`.
    """
    units = schema.rename_legacy(units, "units")
    df = score_components(themes, codebook, scores, drivers, weights=weights, prior_strength=prior_strength,
                          missing=missing)
    counts = CountWords(suppress_below)
    df["survey_evidence"] = survey_evidence(df, codebook, scores)
    df["survey_evidence_shown"] = survey_evidence(df, codebook, with_held_back(scores, suppress_below), counts)
    n_drivers = len(drivers) if drivers is not None else 0
    rows = list(df.itertuples(index=False))
    df["reason"] = [_reason(r, min_comments, n_drivers) for r in rows]
    held = held_back(df, suppress_below, units=units)  # no small count of a group or hospital by subtraction
    held_counts = [tuple(int(getattr(r, c)) for c in held.columns if h[c]) for r, (_, h) in zip(rows, held.iterrows())]
    df["reason_shown"] = [_reason(r, min_comments, n_drivers, CountWords(suppress_below, held=h) if h else counts)
                          for r, h in zip(rows, held_counts)]
    # candidate quotes split by theme once (row order kept), not filtered out of every unit for each row
    negative = units[units["sentiment"] == "negative"] if len(units) else units
    by_theme = dict(tuple(negative.groupby("theme", sort=False))) if len(negative) else {}
    df["quotes"] = [" | ".join(_quotes(by_theme.get(th, negative.iloc[:0]), st, sc, th, n_quotes))
                    for st, sc, th in zip(df["scope_type"], df["scope"], df["theme"])]
    order = {"all": 0, "group": 1, "site": 2}
    df = df.sort_values(["scope_type", "scope", "rank"], key=lambda s: s.map(order) if s.name == "scope_type" else s)
    df = df.assign(rank_low=None, rank_high=None, p_top3=None)  # filled by uncertainty.with_rank_intervals
    return schema.conform(df.drop(columns=["negativity_raw", "prevalence_raw"]).reset_index(drop=True), "priorities")


def method(weights: Mapping[str, float] | None = None, prior_strength: float | None = None,
           min_comments: int = MIN_COMMENTS, missing: str = "calibrated") -> dict:
    """The scoring parameters, for the run log and the report's methods paragraph."""
    return {"weights": resolve_weights(weights), "components": list(COMPONENTS),
            "negativity_prior": "empirical Bayes (beta-binomial, method of moments), "
                                f"{M_MIN:g}-{M_MAX:g} pseudo-comments" if prior_strength is None
                                else f"fixed, {prior_strength:g} pseudo-comments",
            "survey_gap_shrinkage": f"normal prior centred on the benchmark, sd {SURVEY_TAU:g} on the log-odds "
                                    "scale (between-trust spread in the 2018 national survey)",
            "missing_evidence": missing,
            "min_comments": min_comments}
