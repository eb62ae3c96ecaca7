"""Scoring survey answers the CPES way: percentage positive with Wilson intervals.

Each categorical question has a scoring map (in ``questions.yaml``): answers that count as
positive, answers that count as negative, and everything else (neutral, "don't know",
"not applicable") *excluded* from the denominator, as the national Cancer Patient
Experience Survey does. 0-10 ratings are scored as means with t intervals. Results with
fewer than ``min_n`` respondents (21, as CPES) are marked ``suppressed``, not dropped.
Proportions are fractions in [0, 1].
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .. import schema
from .suppression import MIN_N, check_min_n, suppress


#: the ``benchmark_source`` of a result compared with all of the programme's respondents (``fallback=
#: "all_respondents"``: there is no national figure for it)
ALL_RESPONDENTS_SOURCE = "all respondents (no national benchmark)"

def wilson_ci(k, n, confidence: float = 0.95):
    """Wilson score interval for ``k`` successes out of ``n`` (scalars or arrays).

    Matches ``statsmodels.stats.proportion.proportion_confint(k, n, method="wilson")``.

    With ``n`` = 0 (nobody answered) the interval is empty (NaN, NaN); a count below 0 or above ``n``
    raises :class:`~pledge_analysis.errors.InputError`.

    >>> [round(x, 4) for x in wilson_ci(81, 100)]
    [0.7222, 0.8749]
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = (n < 0) | (k < 0) | (k > n * (1 + 1e-12) + 1e-9)
    if np.any(bad):
        from ..errors import InputError

        kb, nb = np.broadcast_to(k, bad.shape)[bad][0], np.broadcast_to(n, bad.shape)[bad][0]
        raise InputError(f"wilson_ci: {kb:g} positive out of {nb:g} is not a proportion",
                         hint="Give counts with 0 <= positives <= respondents.")
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        low, high = centre - half, centre + half
        low = np.where((k == 0) & (n > 0), 0.0, low)  # exact ends, not 7e-18
        high = np.where((k == n) & (n > 0), 1.0, high)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def score_responses(responses: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Add ``scored_as`` (positive / negative / excluded; ``rating`` for 0-10 items) and ``rating``
    (:data:`pledge_analysis.schema.SCORED_RESPONSES`; ``scored_as`` was ``score`` in earlier releases).

    A blank rating is ``excluded`` (no answer: not counted in ``n``); a rating that is not a number raises
    :class:`~pledge_analysis.errors.InputError` at its row."""
    schema.require_columns(responses, ["question_id", "value"], table="responses")
    pos = {(q, v): "positive" for q, vs in zip(questions["question_id"], questions["positive"]) for v in vs}
    neg = {(q, v): "negative" for q, vs in zip(questions["question_id"], questions["negative"]) for v in vs}
    kind = dict(zip(questions["question_id"], questions["kind"]))
    scores, ratings = [], []
    for row, q, v in zip(responses.index, responses["question_id"], responses["value"]):
        if kind.get(q) == "rating":
            x = _rating(v, row, q)
            scores.append("excluded" if np.isnan(x) else "rating")  # a blank is no answer, not a respondent
            ratings.append(x)
        else:
            scores.append(pos.get((q, v)) or neg.get((q, v)) or "excluded")
            ratings.append(np.nan)
    return responses.assign(scored_as=scores, rating=ratings)


def _rating(value, row, question) -> float:
    """A 0-10 answer as a float; blank (None, NaN, spaces) is NaN; text that is not a number is an InputError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return np.nan
    try:
        x = float(value)
    except (TypeError, ValueError):
        from ..errors import InputError

        raise InputError(f"the rating {value!r} for {question} is not a number", row=row, column="value",
                         hint="Give ratings as numbers (e.g. 0-10), or leave the answer blank.") from None
    if np.isinf(x):
        from ..errors import InputError

        raise InputError(f"the rating {value!r} for {question} is not a finite number", row=row, column="value",
                         hint="Give ratings as numbers (e.g. 0-10), or leave the answer blank.")
    return x


def as_scored(responses: pd.DataFrame, questions: pd.DataFrame | None = None) -> pd.DataFrame:
    """``responses`` with ``scored_as``: as given when already scored (a table of an earlier release, whose
    column was ``score``, renamed with a ``FutureWarning``), else scored with ``questions``
    (:func:`score_responses`); unscored answers and no ``questions`` raise :class:`MissingColumnError`."""
    if "scored_as" not in responses.columns and "score" in responses.columns:
        return schema.rename_legacy(responses, "scored_responses")
    if "scored_as" in responses.columns:
        return responses
    if questions is None:
        from ..errors import MissingColumnError

        raise MissingColumnError(f"the survey answers are not scored: no 'scored_as' column (found "
                                 f"{list(responses.columns)[:20]})", table="scored_responses", missing=["scored_as"],
                                 hint="Pass survey.score_responses(responses, questions), not the raw answers.")
    return score_responses(responses, questions)


def score_questions(responses: pd.DataFrame, questions: pd.DataFrame, by: Sequence[str] = ("site", "group"),
                    *, min_n: int = MIN_N, confidence: float = 0.95) -> pd.DataFrame:
    """One row per ``by`` cell and question: n, positives, estimate and its interval.

    Columns: ``site, group, question_id, n, positives, estimate, ci_low, ci_high, suppressed, kind``
    (``site``/``group`` are ``"all"`` when not in ``by``). For ratings ``estimate`` is the mean
    and ``positives`` is empty. Cells with fewer than ``min_n`` respondents keep their row and
    ``n`` but have ``positives``, ``estimate`` and the interval blanked and ``suppressed`` true.
    """
    check_min_n(min_n)
    scored = as_scored(responses, questions)
    by = list(by)
    rows = []
    cat = scored[scored["scored_as"].isin(["positive", "negative"])]
    if len(cat):
        g = cat.groupby(by + ["question_id"], dropna=False)["scored_as"]
        agg = g.agg(n="size", positives=lambda s: int((s == "positive").sum())).reset_index()
        lo, hi = wilson_ci(agg["positives"].to_numpy(), agg["n"].to_numpy(), confidence)
        agg = agg.assign(estimate=agg["positives"] / agg["n"], ci_low=lo, ci_high=hi, kind="proportion")
        rows.append(agg)
    rat = scored[scored["scored_as"] == "rating"]
    if len(rat):
        g = rat.groupby(by + ["question_id"], dropna=False)["rating"]
        agg = g.agg(n="count", estimate="mean", sd="std").reset_index()
        t = stats.t.ppf(1 - (1 - confidence) / 2, np.maximum(agg["n"] - 1, 1))
        half = np.where(agg["n"] >= 2, t * agg["sd"] / np.sqrt(agg["n"]), np.nan)  # one rating: no interval
        agg = agg.assign(positives=np.nan, ci_low=agg["estimate"] - half, ci_high=agg["estimate"] + half,
                         kind="mean").drop(columns="sd")
        rows.append(agg)
    if not rows:
        return schema.empty("scores")
    out = pd.concat(rows, ignore_index=True)
    for col in ("site", "group"):
        if col not in out.columns:
            out[col] = "all"
    out = suppress(out, min_n)
    order = {q: i for i, q in enumerate(questions["question_id"])}
    out = out.sort_values(["site", "group"] + ["question_id"], key=lambda s: s.map(order) if s.name == "question_id" else s)
    return schema.conform(out.reset_index(drop=True), "scores")


def read_national(path) -> pd.DataFrame:
    """Read national results in the published CPES layout into a tidy table.

    The parsed table is kept for the process, keyed by the file's resolved path, size and
    modification time, so ``validate`` and the scoring step of one run parse a 4.7 MB national
    file once; each call returns its own copy, and a changed file is read again.

    Columns: ``geog, trust_code, trust_name, year, cancer_type, question_id, n, estimate,
    ci_low, ci_high, limit_low, limit_high, adjustment, sex, imd`` (:data:`pledge_analysis.schema.NATIONAL`:
    ``ci_low``/``ci_high`` the published 95% interval, ``limit_low``/``limit_high`` the published expected
    range, ``expected_low``/``expected_high`` in earlier releases) with proportions as
    fractions (ratings, such as Q59, keep their 0-10 scale). ``adjustment`` is the published
    ``adjusted.unadjusted.yearonyear`` (``adjusted``, ``unadjusted`` or ``yearonyear``), ``sex``
    and ``imd`` the published ``Gender`` and ``IMD`` breakdowns (``Both`` / ``All`` for the whole
    population); each is empty when the file has no such column.
    """
    try:
        st = Path(path).stat()
        key = (str(Path(path).resolve()), st.st_size, st.st_mtime_ns)
    except OSError:  # a missing file: let the reader raise its located error
        return _parse_national(path)
    return _parse_national_cached(*key).copy()


@functools.lru_cache(maxsize=2)
def _parse_national_cached(path: str, size: int, mtime_ns: int) -> pd.DataFrame:
    return _parse_national(path)


def _parse_national(path) -> pd.DataFrame:
    from ..io.files import read_text_file
    import io

    if str(path).endswith((".gz", ".zip", ".bz2", ".xz")):
        raw = pd.read_csv(path, low_memory=False, encoding="utf-8")
    else:
        text, _ = read_text_file(path)
        raw = pd.read_csv(io.StringIO(text), low_memory=False)
    schema.require_columns(raw, ["Geog", "Question.Number", "Number.of.responses", "scored.percentage"],
                           table="national results", path=path)
    is_rating = raw["Question.Number"].astype(str).eq("Q59")
    scale = np.where(is_rating, 1.0, 100.0)

    def col(name):
        return pd.to_numeric(raw[name], errors="coerce") if name in raw.columns else np.nan

    def text(name):
        return raw[name] if name in raw.columns else pd.Series(None, index=raw.index, dtype=object)

    return pd.DataFrame({
        "geog": raw["Geog"], "trust_code": raw.get("Trust.Code"), "trust_name": raw.get("Trust.Name"),
        "year": raw.get("Year"), "cancer_type": raw.get("Cancer.Type"),
        "question_id": raw["Question.Number"].astype(str), "n": col("Number.of.responses"),
        "estimate": col("scored.percentage") / scale, "ci_low": col("Lower.95..confidence.interval") / scale,
        "ci_high": col("Upper.95..confidence.interval") / scale,
        "limit_low": col("Expected.Range..lower.") / scale, "limit_high": col("Expected.Range..upper.") / scale,
        "adjustment": text("adjusted.unadjusted.yearonyear"), "sex": text("Gender"), "imd": text("IMD"),
    })


def compare_to_benchmark(scores: pd.DataFrame, questions: pd.DataFrame, national: pd.DataFrame | None, *,
                         year: int | None = None, cancer_type: str | None = None, adjustment: str | None = None,
                         fallback: str = "all_respondents", path=None) -> pd.DataFrame:
    """Add ``benchmark``, ``benchmark_source`` and ``gap`` to a scores table.

    ``gap = benchmark - estimate``: positive means *below* the benchmark (worse).

    The national benchmark is the one row per question that the selection names:
    ``year``, ``cancer_type`` and ``adjustment`` (``benchmark:`` in project.yaml; see
    :func:`pledge_analysis.survey.national.benchmark_rows`, which raises a located
    :class:`~pledge_analysis.errors.InputError` when the selection leaves several rows for a
    question or matches nothing). ``benchmark_source`` names the row used, e.g.
    ``"national Q1: 2018, Breast, unadjusted (n 9,046)"``, and ``benchmark_kind`` says what kind
    it is: ``national``, ``all respondents`` or ``none``.

    A question with no national row is compared with the mean over all respondents when
    ``fallback="all_respondents"`` (source ``"all respondents (no national benchmark)"``), except
    for the all-respondents row itself, and with nothing when ``fallback="none"``: there
    ``benchmark`` and ``gap`` are empty and ``benchmark_source`` is ``"none"``, never a gap of 0
    against one's own mean. A suppressed cell has an empty estimate, hence an empty gap.
    """
    from .national import benchmark_rows

    if fallback not in FALLBACKS:
        from ..errors import ConfigError

        raise ConfigError(f"benchmark fallback must be one of {list(FALLBACKS)}, not {fallback!r}. "
                          "Set benchmark: fallback: in project.yaml.")
    bench: dict[str, tuple[float, str]] = {}
    missing: dict[str, str] = {}
    if national is not None and len(national):
        rows = benchmark_rows(national, year=year, cancer_type=cancer_type, adjustment=adjustment, path=path)
        by_number = {q: (e, src) for q, e, src in zip(rows["question_id"], rows["estimate"], rows["benchmark_source"])}
        for qid, number in zip(questions["question_id"], questions["national"]):
            if number is None or pd.isna(number) or not str(number).strip():
                continue  # no national question named in questions.yaml: "none"
            if number in by_number and not pd.isna(by_number[number][0]):
                bench[qid] = (float(by_number[number][0]), by_number[number][1])
            else:
                missing[qid] = f"none: {number} not among the selected national rows"
    overall = scores[(scores["site"] == "all") & (scores["group"] == "all")]
    overall_est = dict(zip(overall["question_id"], overall["estimate"]))
    out = scores.copy()
    b, src, kind = [], [], []
    for qid, site, group in zip(out["question_id"], out["site"], out["group"]):
        if qid in bench:
            b.append(bench[qid][0])
            src.append(bench[qid][1])
            kind.append("national")
        elif (fallback == "all_respondents" and not (site == "all" and group == "all")
              and not pd.isna(overall_est.get(qid, np.nan))):
            b.append(float(overall_est[qid]))
            src.append(ALL_RESPONDENTS_SOURCE)
            kind.append("all respondents")
        else:
            b.append(np.nan)
            src.append(missing.get(qid, "none"))
            kind.append("none")
    out["benchmark"] = pd.Series(b, index=out.index, dtype=float)
    out["benchmark_source"] = pd.Series(src, index=out.index, dtype=object)
    out["benchmark_kind"] = pd.Series(kind, index=out.index, dtype=object)
    out["gap"] = out["benchmark"] - out["estimate"].astype(float)
    return out


FALLBACKS = ("all_respondents", "none")
