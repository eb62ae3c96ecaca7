"""cpes_flags: CPES expected ranges and above / within / below ratings from a published-layout table."""
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from conftest import EXTERNAL
from pledge_analysis.errors import InputError
from pledge_analysis.survey import cpes_flags, unrounded_from_wilson, wilson_ci
from pledge_analysis.survey.cpes import agreement
from pledge_analysis.survey.funnels import dispersion

CPES = EXTERNAL / "cpes" / "ncpes_2015_2018_CentreForCancerOutcomes.csv.gz"


def published(trusts, question="Q1", year=2018):
    """Rows in the published layout from (code, n, k): Wilson interval to 6 decimals, score rounded."""
    rows = []
    for code, n, k in trusts:
        lo, hi = wilson_ci(k, n) if n >= 21 else (math.nan, math.nan)
        rows.append({"Geog": "Trust", "Trust.Code": code, "Trust.Name": f"Trust {code}", "Year": year,
                     "Cancer.Type": "All Cancers", "adjusted.unadjusted.yearonyear": "adjusted",
                     "Question.Number": question, "Number.of.responses": n,
                     "scored.percentage": round(100 * k / n) if n >= 21 else math.nan,
                     "Lower.95..confidence.interval": round(100 * lo, 6), "Upper.95..confidence.interval": round(100 * hi, 6)})
    return pd.DataFrame(rows)


def test_contract_by_hand():
    rng = np.random.default_rng(3)
    n = rng.integers(150, 600, 30)
    k = np.round(n * np.clip(rng.normal(0.8, 0.04, 30), 0, 1)).astype(int)
    k[0] = int(0.55 * n[0])  # one clearly below
    table = pd.concat([published(zip([f"T{i}" for i in range(30)], n, k)),
                       published([("SMALL", 12, 9)])], ignore_index=True)
    f = cpes_flags(table, year=2018).set_index("trust_code")
    ok = f.drop("SMALL")
    p = k / n
    assert ok["estimate"].to_numpy() == pytest.approx(p, abs=1e-7)  # unrounded, from the interval
    assert ok["published_score"].to_numpy() == pytest.approx(np.round(100 * p) / 100)
    p0 = np.sum(n * p) / np.sum(n)
    v = p0 * (1 - p0) / n
    _phi, tau2 = dispersion(p, np.sqrt(v), p0, winsorise=0.2)
    assert tau2 > 0 and ok["centre"].iloc[0] == pytest.approx(p0) and ok["tau2"].iloc[0] == pytest.approx(tau2)
    half = 1.96 * np.sqrt(v + tau2)
    assert ok["limit_low"].to_numpy() == pytest.approx(p0 - half)
    expected = np.where(p > p0 + half, "above", np.where(p < p0 - half, "below", "within"))
    assert ok["flag"].tolist() == expected.tolist() and ok.loc["T0", "flag"] == "below"
    assert f.loc["SMALL", "suppressed"] and pd.isna(f.loc["SMALL", "flag"])
    assert f["published_flag"].isna().all()  # no Performance.Rating column given
    with pytest.raises(InputError, match=r"no Trust rows for 2017.*years present: \[2018\]"):
        cpes_flags(table, year=2017)
    with pytest.raises(InputError, match="Lower.95"):
        cpes_flags(table.drop(columns="Lower.95..confidence.interval"))


def test_unrounded_from_wilson_inverts_it():
    k, n = np.array([0, 5, 37, 99, 100]), np.array([30, 40, 120, 100, 100])
    lo, hi = wilson_ci(k, n)
    assert unrounded_from_wilson(lo, hi, n) == pytest.approx(k / n, abs=1e-12)


def test_agreement_kappa_matches_sklearn():
    f = pd.DataFrame({"flag": ["above", "within", "within", "below", "within", None],
                      "published_flag": ["above", "within", "below", "below", "above", "within"]})
    a = agreement(f)
    assert a["n"] == 5 and a["agreement"] == pytest.approx(0.6)
    assert a["kappa"] == pytest.approx(cohen_kappa_score(f["flag"][:5], f["published_flag"][:5]))


@pytest.mark.skipif(not CPES.exists(), reason="national CPES results not available (../shared/external)")
def test_reproduces_published_2018_ratings():
    cols = ["Geog", "Trust.Code", "Trust.Name", "Year", "Cancer.Type", "adjusted.unadjusted.yearonyear",
            "Question.Number", "Number.of.responses", "scored.percentage", "Lower.95..confidence.interval",
            "Upper.95..confidence.interval", "Performance.Rating", "Expected.Range..lower."]
    raw = pd.read_csv(CPES, usecols=cols, low_memory=False)
    raw = raw[(raw["Year"] == 2018) & (raw["Geog"] == "Trust")]
    f = cpes_flags(raw, year=2018)
    a = agreement(f)
    assert a["n"] > 7300 and a["agreement"] >= 0.99 and a["kappa"] >= 0.98
    assert f["question_id"].nunique() == 52 and set(f.loc[f["question_id"] == "Q59", "kind"]) == {"mean"}
    adj = raw[raw["adjusted.unadjusted.yearonyear"] == "adjusted"]
    assert f["suppressed"].sum() == adj["Performance.Rating"].isna().sum() == 194  # exactly the rows published blank
    pub_low = adj.set_index(["Trust.Code", "Question.Number"])["Expected.Range..lower."]
    ours = f[f["kind"] == "proportion"].set_index(["trust_code", "question_id"])["limit_low"].dropna()
    assert np.median(np.abs(100 * ours - pub_low.reindex(ours.index))) < 0.05  # ranges, not only flags
