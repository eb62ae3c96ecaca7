"""Our survey statistics against the published national Cancer Patient Experience Survey 2018.

    python benchmarks/cpes_benchmark.py

Needs ../shared/external/cpes/ (skips otherwise). Prints
1. how many published 2018 trust 95% intervals ``wilson_ci`` reproduces within rounding;
2. how often ``funnel`` flags (target = national score, DerSimonian-Laird tau^2 estimated per
   question) agree with the published above / within / below ratings of the case-mix adjusted
   trust scores, and the same for ``expected_range`` with tau = 0 and with the tau implied by
   the published ranges;
3. one trust's breast cancer rows placed among all trusts on a funnel;
4. how often :func:`pledge_analysis.survey.cpes_flags` (centre = n-weighted mean of the adjusted
   trust scores, unrounded scores from the published Wilson intervals, DerSimonian-Laird tau^2
   with 20% winsorising on the proportion scale) agrees with the published 2018 ratings, with
   Cohen's kappa and the confusion table;
5. what the benchmark selection changes for a breast service at 90% on Q1.

The recipe of 4 was inferred from this same file (the published ranges), so its agreement is an
in-sample reproduction figure, not a held-out one.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from pledge_analysis.survey import (benchmark_rows, cpes_flags, expected_range, funnel, read_national, trust_funnel,
                                    wilson_ci)
from pledge_analysis.survey.cpes import agreement

CPES = Path(__file__).resolve().parents[2] / "shared" / "external" / "cpes" / "ncpes_2015_2018_CentreForCancerOutcomes.csv.gz"
RATING = {1.0: "above", 2.0: "within", 3.0: "below"}


def load() -> pd.DataFrame:
    return pd.read_csv(CPES, low_memory=False)


def intervals(raw: pd.DataFrame) -> None:
    d = raw[(raw["Geog"] == "Trust") & (raw["Year"] == 2018) & (raw["adjusted.unadjusted.yearonyear"] == "unadjusted")
            & (raw["Question.Number"] != "Q59")].dropna(subset=["Lower.95..confidence.interval", "scored.percentage"])
    n = d["Number.of.responses"].to_numpy()
    k = np.round(d["scored.percentage"].to_numpy() / 100 * n)
    lo, hi = wilson_ci(k, n)
    ok = (np.abs(100 * lo - d["Lower.95..confidence.interval"]) <= 1.0) & (np.abs(100 * hi - d["Upper.95..confidence.interval"]) <= 1.0)
    print(f"1. Wilson intervals: {ok.mean():.1%} of {len(d):,} published 2018 trust intervals reproduced within "
          f"1 point (scores are published as whole percentages)")


def ratings(raw: pd.DataFrame) -> pd.DataFrame:
    adj = raw[(raw["Year"] == 2018) & (raw["Geog"] == "Trust") & (raw["adjusted.unadjusted.yearonyear"] == "adjusted")
              & raw["Performance.Rating"].notna() & (raw["Question.Number"] != "Q59")]
    nat = raw[(raw["Year"] == 2018) & (raw["Geog"] == "National") & (raw["Cancer.Type"] == "All Cancers")
              & (raw["adjusted.unadjusted.yearonyear"] == "unadjusted")]
    p0 = dict(zip(nat["Question.Number"], nat["scored.percentage"] / 100))
    rows = []
    for q, g in adj.groupby("Question.Number"):
        if q not in p0:
            continue
        g = g.assign(n=g["Number.of.responses"], estimate=g["scored.percentage"] / 100)
        f = funnel(g, target=p0[q])
        f0 = funnel(g, target=p0[q], overdispersion=False)
        half = (g["Expected.Range..upper."] / 100 - p0[q]) / 1.96
        tau2_pub = float(np.nanmedian(np.clip(half ** 2 - p0[q] * (1 - p0[q]) / g["n"], 0, None)))
        lo, hi = expected_range(p0[q], g["n"].to_numpy(), tau=np.sqrt(tau2_pub))
        flag_er = np.where(g["estimate"] > hi, "above", np.where(g["estimate"] < lo, "below", "within"))
        published = g["Performance.Rating"].map(RATING).to_numpy()
        rows.append({"question": q, "trusts": len(g), "tau2_dl": f["tau2"].iloc[0], "tau2_published": tau2_pub,
                     "agree_funnel_dl": np.mean(f["flag"].to_numpy() == published),
                     "agree_no_overdispersion": np.mean(f0["flag"].to_numpy() == published),
                     "agree_expected_range_published_tau": np.mean(flag_er == published),
                     "range_width_ratio": float(np.nanmedian((hi - lo) / ((g["Expected.Range..upper."] - g["Expected.Range..lower."]) / 100)))})
    return pd.DataFrame(rows)


def main() -> int:
    if not CPES.exists():
        print(f"skipped: {CPES} not found")
        return 0
    raw = load()
    intervals(raw)
    r = ratings(raw)
    w = r["trusts"]
    print(f"2. Ratings of {w.sum():,} case-mix adjusted trust scores on {len(r)} questions (2018):")
    for col, what in (("agree_funnel_dl", "funnel(), DerSimonian-Laird tau^2 estimated"),
                      ("agree_no_overdispersion", "funnel(), no overdispersion"),
                      ("agree_expected_range_published_tau", "expected_range() with the tau implied by published ranges")):
        print(f"   {what:<62} agrees with the published rating for {np.average(r[col], weights=w):.1%}")
    print(f"   median width of our expected range / published range (published tau): {r['range_width_ratio'].median():.3f}")
    print(f"   DL tau^2 vs published tau^2, median over questions: {r['tau2_dl'].median():.5f} vs {r['tau2_published'].median():.5f}")
    nat = read_national(CPES)
    f = trust_funnel(nat, "Q17", year=2018, cancer_type="Breast", focus="RA9")
    focus = f[f["is_focus"]]
    print(f"3. Breast cancer, Q17 (named CNS), 2018: {len(f)} trusts on the funnel; trust RA9 "
          f"{100 * focus['estimate'].iloc[0]:.0f}% of {int(focus['n'].iloc[0])}: {focus['flag'].iloc[0]} the 95% limits"
          if len(focus) else f"3. Breast cancer Q17 2018: {len(f)} trusts on the funnel")
    flags = cpes_flags(raw, year=2018)
    a, ap = agreement(flags), agreement(flags[flags["kind"] == "proportion"])
    print(f"4. cpes_flags(), 2018: {a['agreement']:.2%} of {a['n']:,} published ratings reproduced, Cohen's kappa "
          f"{a['kappa']:.4f} ({flags['question_id'].nunique()} questions incl. the Q59 rating; proportions only: "
          f"{ap['agreement']:.2%} of {ap['n']:,}, kappa {ap['kappa']:.4f}); {int(flags['suppressed'].sum())} "
          "suppressed rows not rated")
    print("   published (rows) x ours (columns):")
    print("   " + a["confusion"].to_string().replace("\n", "\n   "))
    choices = ({"year": 2018, "cancer_type": "Breast", "adjustment": "unadjusted"},
               {"year": 2016, "adjustment": "yearonyear"})
    pick = {}
    for kw in choices:
        r = benchmark_rows(nat, **kw)
        pick[kw["year"]] = r.loc[r["question_id"] == "Q1", "estimate"].iloc[0]
    print(f"5. A breast service at 90% on Q1 is {100 * (pick[2018] - 0.90):.0f} points below the 2018 breast benchmark "
          f"({100 * pick[2018]:.0f}%); the old last-row-wins choice (2016, all cancers, {100 * pick[2016]:.0f}%) read "
          f"{100 * (0.90 - pick[2016]):.0f} points above")
    return 0


if __name__ == "__main__":
    sys.exit(main())
