"""Is the priority score calibrated? Simulated programmes with known truth.

:func:`simulate_programme` draws the evidence that :func:`pledge_analysis.priorities.score_components`
reads (a ``themes`` table, survey ``scores`` against a benchmark, key ``drivers``) for a programme
of sites whose themes are **exchangeable** (every theme raised and criticised at the same rate,
every survey item exactly at its benchmark) unless one problem is planted: a theme that is more
often criticised at one site and whose survey items are below benchmark there.

:func:`top_theme_shares` repeats it and reports how often the #1 theme of a scope has survey items
(under the null that should be the share of themes that have items) and, with a planted
problem, how often it ranks first at its site (the power). The suite runs a few hundred
replicates (``tests/test_priority_calibration.py``); ``benchmarks/priority_calibration.py``
runs more and prints the figures in the README.

Simulation model (per site and group): ``n_respondents`` people write
``comments_per_person`` comments each; a comment raises each theme independently with
probability ``prevalence`` and is negative with probability ``negativity``; every survey item is
answered by each respondent, positive with probability equal to its benchmark (drawn once per
programme between 0.55 and 0.92). Key-driver shares are an even split with Dirichlet noise.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema

GROUPS = ("primary", "secondary")


def simulate_programme(rng: np.random.Generator, *, n_sites: int = 6, n_respondents: int = 250,
                       n_themes: int = 12, themes_with_items: int = 5, items_per_theme: int = 3,
                       comments_per_person: float = 2.0, prevalence: float = 0.15, negativity: float = 0.4,
                       planted: dict | None = None):
    """``(themes, codebook, scores, drivers)`` for one simulated programme.

    ``n_respondents`` is per site (split evenly between two groups). ``planted``:
    ``{"theme": "T01", "site": "S1", "negativity": 0.6, "gap": 0.08}`` makes that theme's comments
    negative with that probability at that site and its items ``gap`` below benchmark there.
    """
    themes = [f"T{i:02d}" for i in range(1, n_themes + 1)]
    sites = [f"S{i}" for i in range(1, n_sites + 1)]
    items = {t: [f"{t}_Q{j}" for j in range(1, items_per_theme + 1)] if i < themes_with_items else []
             for i, t in enumerate(themes)}
    codebook = pd.DataFrame({"code_id": themes, "name": themes, "parent_id": [None] * n_themes,
                             "survey_items": [items[t] for t in themes]})
    questions = [q for t in themes for q in items[t]]
    bench = dict(zip(questions, rng.uniform(0.55, 0.92, len(questions))))
    per_group = max(n_respondents // len(GROUPS), 1)
    n_seg = rng.poisson(comments_per_person * per_group, (n_sites, len(GROUPS)))
    seg = np.zeros((n_sites, len(GROUPS), n_themes), dtype=int)
    neg = np.zeros_like(seg)
    for si, s in enumerate(sites):
        for ti, t in enumerate(themes):
            q = negativity
            if planted and planted["theme"] == t and planted["site"] == s:
                q = planted.get("negativity", negativity)
            seg[si, :, ti] = rng.binomial(n_seg[si], prevalence)
            neg[si, :, ti] = rng.binomial(seg[si, :, ti], q)
    rows = []

    def add(scope_type, scope, sel_sites, sel_groups):
        n = seg[np.ix_(sel_sites, sel_groups)]
        k = neg[np.ix_(sel_sites, sel_groups)]
        total = int(n_seg[np.ix_(sel_sites, sel_groups)].sum())
        for ti, t in enumerate(themes):
            nt, kt = n[:, :, ti], k[:, :, ti]
            rows.append({"scope_type": scope_type, "scope": scope, "theme": t, "name": t,
                         "n_segments": int(nt.sum()), "n_respondents": int(nt.sum()),
                         "prevalence": nt.sum() / total if total else 0.0, "n_negative": int(kt.sum()),
                         "negativity": kt.sum() / nt.sum() if nt.sum() else 0.0,
                         "n_sites": int((nt.sum(axis=1) > 0).sum()), "n_groups": int((nt.sum(axis=0) > 0).sum()),
                         "n_sites_negative": int((kt.sum(axis=1) >= 3).sum()),
                         "n_groups_negative": int((kt.sum(axis=0) >= 3).sum()), "n_scope_segments": total})

    all_s, all_g = list(range(n_sites)), list(range(len(GROUPS)))
    add("all", "all", all_s, all_g)
    for gi, g in enumerate(GROUPS):
        add("group", g, all_s, [gi])
    for si, s in enumerate(sites):
        add("site", s, [si], all_g)
    theme_table = schema.conform(pd.DataFrame(rows), "themes")
    # survey: positives per site, group and item
    pos = {}
    for q in questions:
        owner = q.split("_")[0]
        for si, s in enumerate(sites):
            p = bench[q]
            if planted and planted["theme"] == owner and planted["site"] == s:
                p = max(p - planted.get("gap", 0.0), 0.01)
            pos[(s, q)] = rng.binomial(per_group, p, len(GROUPS))
    srows = []
    for q in questions:
        cells = [("all", "all", sum(pos[(s, q)].sum() for s in sites), per_group * len(GROUPS) * n_sites)]
        cells += [("all", g, sum(pos[(s, q)][gi] for s in sites), per_group * n_sites) for gi, g in enumerate(GROUPS)]
        cells += [(s, "all", pos[(s, q)].sum(), per_group * len(GROUPS)) for s in sites]
        for site, group, k, n in cells:
            srows.append({"site": site, "group": group, "question_id": q, "n": n, "positives": float(k),
                          "estimate": k / n, "suppressed": n < 21, "kind": "proportion",
                          "benchmark": bench[q], "benchmark_source": "national", "gap": bench[q] - k / n})
    scores = pd.DataFrame(srows)
    shares = rng.dirichlet(np.full(len(questions), 50.0)) if questions else np.array([])
    drivers = pd.DataFrame({"question_id": questions, "share": shares})
    return theme_table, codebook, scores, drivers


def top_theme_shares(n_rep: int = 200, *, random_state: int = 0, weights=None, missing: str = "calibrated",
                     **kwargs) -> dict:
    """Repeat :func:`simulate_programme` and summarise the #1 themes.

    ``missing``: the missing-evidence rule (:data:`pledge_analysis.priorities.MISSING`); other keyword
    arguments go to :func:`simulate_programme`. Returns ``{"expected": share of themes with items, "all": share of replicates whose #1 theme
    for everyone has items, "site": the same over every site scope, "group": over group scopes,
    "n_top": {theme: times #1 over all scopes}, "power": share of replicates in which the planted
    theme is #1 at its site (None without ``planted``), "replicates": n_rep}``.
    """
    from .priorities import score_components

    rng = np.random.default_rng(random_state)
    hits = {"all": [], "group": [], "site": []}
    n_top: dict = {}
    power = []
    planted = kwargs.get("planted")
    expected = None
    for _ in range(n_rep):
        themes, codebook, scores, drivers = simulate_programme(rng, **kwargs)
        with_items = {c for c, qs in zip(codebook["code_id"], codebook["survey_items"]) if qs}
        expected = len(with_items) / len(codebook)
        df = score_components(themes, codebook, scores, drivers, weights=weights, missing=missing)
        first = df[df["rank"] == 1]
        for st, th in zip(first["scope_type"], first["theme"]):
            hits[st].append(th in with_items)
            n_top[th] = n_top.get(th, 0) + 1
        if planted:
            at = first[(first["scope_type"] == "site") & (first["scope"] == planted["site"])]
            power.append(bool(len(at)) and at["theme"].iloc[0] == planted["theme"])
    return {"expected": expected, **{k: float(np.mean(v)) if v else None for k, v in hits.items()},
            "n_top": dict(sorted(n_top.items())), "power": float(np.mean(power)) if planted else None,
            "replicates": n_rep}
