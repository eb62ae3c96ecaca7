"""Funnel flags on the real national Cancer Patient Experience Survey 2018: FunnelPlotR's rule and ours.

    python benchmarks/funnel_parity_benchmark.py

Needs ../shared/external/cpes/ (skips otherwise). Prints

1. on every breast-cancer question of 2018 (unadjusted trust results with 21 or more respondents; counts
   from the published whole percentages), how many trusts :func:`pledge_analysis.survey.funnel` flags at
   95% with FunnelPlotR's rule (``overdispersion=True, exact=False``: arcsine limits, 10% winsorised
   DerSimonian-Laird tau^2; ``tests/test_stats_session11.py`` checks it equals a translation of the R
   sources, trust by trust) and how many of those flags the exact binomial guard (the default,
   ``exact=True``) removes because binomial chance at the target explains them;
2. agreement with the published 2018 Performance.Rating (case-mix adjusted, All Cancers; the published
   file gives ratings for no tumour group) of: the funnel with FunnelPlotR's rule, the same with the
   exact guard, binomial limits only, and :func:`pledge_analysis.survey.cpes_flags` (CPES's own recipe).

No design choice was tuned on these figures: the exact guard is the textbook binomial tail test; the
FunnelPlotR rule is its R code. (cpes_flags' recipe was inferred from this file: its agreement is in-sample.)
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from pledge_analysis.survey import cpes_flags, funnel, unrounded_from_wilson
from pledge_analysis.survey.cpes import RATING, agreement

CPES = Path(__file__).resolve().parents[2] / "shared" / "external" / "cpes" / "ncpes_2015_2018_CentreForCancerOutcomes.csv.gz"


def breast(raw: pd.DataFrame) -> None:
    b = raw[(raw["Year"] == 2018) & (raw["Geog"] == "Trust") & (raw["Cancer.Type"] == "Breast")
            & (raw["adjusted.unadjusted.yearonyear"] == "unadjusted") & (raw["Question.Number"] != "Q59")]
    b = b.dropna(subset=["scored.percentage"])
    b = b[b["Number.of.responses"] >= 21]
    units = loose = strict = at_100 = 0
    for _, g in b.groupby("Question.Number"):
        n = g["Number.of.responses"].to_numpy(float)
        k = np.round(g["scored.percentage"].to_numpy() * n / 100)
        d = pd.DataFrame({"n": n, "estimate": k / n})
        a = funnel(d, overdispersion=True, exact=False)["flag95"].to_numpy()
        e = funnel(d, overdispersion=True)["flag95"].to_numpy()
        units += len(d)
        loose += int((a != "within").sum())
        strict += int((e != "within").sum())
        at_100 += int(((a != e) & (k == n)).sum())
    print(f"1. 2018 breast, {b['Question.Number'].nunique()} questions, {units:,} trust results: FunnelPlotR's rule "
          f"flags {loose} at 95%; the exact binomial guard keeps {strict} and removes {loose - strict} "
          f"({(loose - strict) / loose:.0%}), {at_100} of them trusts where every respondent was positive")


def ratings(raw: pd.DataFrame) -> None:
    a = raw[(raw["Year"] == 2018) & (raw["Geog"] == "Trust") & (raw["Cancer.Type"] == "All Cancers")
            & (raw["adjusted.unadjusted.yearonyear"] == "adjusted") & (raw["Question.Number"] != "Q59")]
    a = a[a["Number.of.responses"] >= 21].dropna(subset=["Lower.95..confidence.interval", "Performance.Rating"])
    methods = {"funnel, FunnelPlotR's rule (exact=False)": dict(overdispersion=True, exact=False),
               "funnel, FunnelPlotR's rule + exact guard (default)": dict(overdispersion=True),
               "funnel, binomial limits only": dict(overdispersion=False)}
    rows = []
    for _, g in a.groupby("Question.Number"):
        n = g["Number.of.responses"].to_numpy(float)
        p = np.clip(unrounded_from_wilson(g["Lower.95..confidence.interval"] / 100,
                                          g["Upper.95..confidence.interval"] / 100, n), 0, 1)
        for label, kw in methods.items():
            f = funnel(pd.DataFrame({"n": n, "estimate": p}), **kw)
            rows.append(pd.DataFrame({"method": label, "flag": f["flag95"].to_numpy(),
                                      "published_flag": g["Performance.Rating"].map(RATING).to_numpy()}))
    r = pd.concat(rows)
    print("2. agreement with the published 2018 ratings (All Cancers, case-mix adjusted, 95%):")
    for label in methods:
        ag = agreement(r[r["method"] == label])
        print(f"   {label}: {ag['agreement']:.1%} of {ag['n']:,}, kappa {ag['kappa']:.2f}")
    ag = agreement(cpes_flags(CPES).query("kind == 'proportion'"))
    print(f"   cpes_flags (CPES's recipe, in-sample): {ag['agreement']:.1%} of {ag['n']:,}, kappa {ag['kappa']:.2f}")


def main() -> int:
    if not CPES.exists():
        print(f"skipped: {CPES} not found")
        return 0
    raw = pd.read_csv(CPES, low_memory=False)
    breast(raw)
    ratings(raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
