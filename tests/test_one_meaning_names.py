"""One meaning per column name (issue 19, session 7).

Before: ``score`` was four things: a survey answer's scored form (positive / negative / excluded), a
text's sentiment (-1 .. 1), a theme's priority (0-1) and a recognizer's confidence in a redaction; and
the standards audit called the interval of ``negative_share`` ``negative_low`` / ``negative_high``. Now
each has a name that says what it is (``scored_as``, ``sentiment_score``, ``priority_score``,
``confidence``, ``negative_share_low`` / ``negative_share_high``). Each test checks that the new name is
produced and that a table, file or argument with the old name still works, with a FutureWarning.
"""
from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

from pledge_analysis import schema
from pledge_analysis.errors import MissingColumnError

RENAMES = [  # table, old name, new name
    ("scored_responses", "score", "scored_as"),
    ("sentiment", "score", "sentiment_score"),
    ("units", "score", "sentiment_score"),
    ("priorities", "score", "priority_score"),
    ("cross_site", "score", "priority_score"),
    ("redactions", "score", "confidence"),
    ("standards_audit", "negative_low", "negative_share_low"),
    ("standards_audit", "negative_high", "negative_share_high"),
]


def _old(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` as an earlier release wrote it: each renamed column of ``table`` under its old name."""
    back = {new: old for t, old, new in RENAMES if t == table}
    assert set(back) & set(df.columns), f"nothing to rename back in {table}"
    return df.rename(columns=back)


def _quiet(fn, *args, **kwargs):
    """``fn(...)``, failing on any FutureWarning (the new names must not warn)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        return fn(*args, **kwargs)


def test_no_contract_has_a_bare_score_and_every_old_name_maps_to_its_new_one():
    assert [t for t, cols in schema.TABLES.items() if "score" in cols] == []
    for table, old, new in RENAMES:
        assert schema.LEGACY_COLUMNS[table][old] == new and new in schema.TABLES[table] and old not in \
            schema.TABLES[table]


# ------------------------------------------------------------------------------ scored survey answers
QUESTIONS = pd.DataFrame([{"question_id": "Q1", "kind": "categorical", "options": ["Yes", "No", "Don't know"],
                           "positive": ["Yes"], "negative": ["No"], "national": None}])


@pytest.fixture(scope="module")
def answers():
    rows = [(f"{s}{i}", s, "primary", "Q1", "Yes" if i < yes else "Don't know" if i == yes else "No")
            for s, yes in (("A", 40), ("B", 25)) for i in range(50)]
    return pd.DataFrame(rows, columns=["respondent_id", "site", "group", "question_id", "value"])


def test_answers_are_scored_as_and_old_scored_tables_still_work(answers):
    from pledge_analysis.survey import casemix_adjust, compare, score_questions, score_responses

    scored = score_responses(answers, QUESTIONS)
    assert scored.columns.tolist() == list(schema.SCORED_RESPONSES)
    assert scored["scored_as"].value_counts().to_dict() == {"positive": 65, "negative": 33, "excluded": 2}
    people = pd.DataFrame({"respondent_id": answers["respondent_id"], "age_band": ["50-64", "65+"] * 50,
                           "ethnicity": "White", "imd_quintile": [1, 2, 3, 4, 5] * 20})
    old = _old(scored, "scored_responses")
    for fn, args in ((score_questions, (QUESTIONS,)), (compare, ()), (casemix_adjust, (people,))):
        kw = {"by": ["site"]} if fn is score_questions else {"by": "site"}
        new = _quiet(fn, scored, *args, **kw)
        assert len(new)
        with pytest.warns(FutureWarning, match="'score' -> 'scored_as'"):
            got = fn(old, *args, **kw)
        pd.testing.assert_frame_equal(got, new)
    assert compare(scored, by="site")["estimate"].iloc[0] == pytest.approx(40 / 49 - 25 / 49)
    with pytest.raises(MissingColumnError, match="not scored.*score_responses"):
        compare(answers, by="site")  # raw answers: a clear error, not a KeyError


# ------------------------------------------------------------------------------ sentiment
def test_sentiment_is_sentiment_score():
    from pledge_analysis.coding import SentimentClassifier, score_segments

    model = SentimentClassifier().fit()
    pred = model.predict(["The staff were wonderful", "I waited weeks, the delay was awful"])
    assert pred.columns.tolist() == ["sentiment", "sentiment_score"]
    assert pred["sentiment_score"].iloc[0] > 0 > pred["sentiment_score"].iloc[1]
    seg = pd.DataFrame({"segment_id": ["s1", "s2"], "text": ["The staff were wonderful", "The delay was awful"]})
    assert score_segments(seg, model).columns.tolist() == list(schema.SENTIMENT)


# ------------------------------------------------------------------------------ on the sample run
@pytest.fixture(scope="module")
def old_folder(sample_run, tmp_path_factory):
    """The sample run's output folder as an earlier release wrote it (old column names)."""
    _, out = sample_run
    folder = tmp_path_factory.mktemp("old_out")
    for name in ("run_log.json", "action_plan.xlsx"):
        shutil.copy(out / name, folder / name)
    for name, table in (("priorities.csv", "priorities"), ("redactions.csv", "redactions"),
                        ("standards_audit.csv", "standards_audit"), ("cross_site.csv", "cross_site")):
        _old(pd.read_csv(out / name), table).to_csv(folder / name, index=False)
    return folder


def test_coded_units_have_sentiment_score_and_old_units_still_work(sample_run):
    from pledge_analysis.coding import summarise_themes
    from pledge_analysis.pledge import draft_action_plan
    from pledge_analysis.priorities import prioritise

    result, _ = sample_run
    units = result.units
    assert units.columns.tolist() == list(schema.UNITS) and units["sentiment_score"].between(-1, 1).all()
    old = _old(units, "units")
    with pytest.warns(FutureWarning, match="units: .*'score' -> 'sentiment_score'"):
        themes = summarise_themes(result.segments, old, result.codebook)
    pd.testing.assert_frame_equal(themes, _quiet(summarise_themes, result.segments, units, result.codebook))
    args = (result.themes, units, result.codebook, result.scores, result.drivers)
    new = _quiet(prioritise, *args)
    with pytest.warns(FutureWarning, match="'score' -> 'sentiment_score'"):
        got = prioritise(*args[:1], old, *args[2:])
    pd.testing.assert_frame_equal(got, new)  # the same quotes: the most negative first
    plan = _quiet(draft_action_plan, new, units=units, codebook=result.codebook)
    with pytest.warns(FutureWarning, match="'score' -> 'sentiment_score'"):
        pd.testing.assert_frame_equal(draft_action_plan(new, units=old, codebook=result.codebook), plan)


def test_priority_score_in_the_run_and_an_old_output_folder_still_opens(sample_run, old_folder):
    from pledge_analysis.view import read_outputs, site_page

    result, out = sample_run
    assert "priority_score" in result.priorities.columns and "score" not in result.priorities.columns
    assert pd.read_csv(out / "priorities.csv").columns.tolist()[:6] == [
        "scope_type", "scope", "rank", "theme", "name", "priority_score"]
    new = _quiet(read_outputs, out)
    with pytest.warns(FutureWarning) as caught:
        old = read_outputs(old_folder)
    said = " ".join(str(w.message) for w in caught)
    assert "priorities: old column name(s) renamed: 'score' -> 'priority_score'" in said
    assert "'negative_low' -> 'negative_share_low'" in said
    assert old.priorities.columns.tolist() == new.priorities.columns.tolist()
    assert old.audit.columns.tolist() == new.audit.columns.tolist() == list(schema.STANDARDS_AUDIT)
    for site in ("RGH", "VVH"):
        assert site_page(old, site) == site_page(new, site)


def test_cross_site_matrix_rollup_and_heatmap_take_priority_score(sample_run, old_folder):
    from pledge_analysis import plots
    from pledge_analysis.cross_site import alliance_rollup, site_theme_matrix

    result, out = sample_run
    args = (result.themes, result.codebook, result.scores, result.config.sites)
    matrix = _quiet(site_theme_matrix, result.priorities, *args)
    assert matrix.columns.tolist() == list(schema.CROSS_SITE)
    assert pd.read_csv(out / "cross_site.csv").columns.tolist() == list(schema.CROSS_SITE)
    old_priorities = pd.read_csv(old_folder / "priorities.csv", dtype={"scope": str})
    with pytest.warns(FutureWarning, match="'score' -> 'priority_score'"):
        from_old = site_theme_matrix(old_priorities, *args)
    pd.testing.assert_frame_equal(from_old[["site", "theme", "rank", "priority_score"]],
                                  matrix[["site", "theme", "rank", "priority_score"]], check_dtype=False)
    rollup = _quiet(alliance_rollup, matrix)
    assert "mean_priority_score" in rollup.columns and "mean_score" not in rollup.columns
    with pytest.warns(FutureWarning, match="cross_site: .*'score' -> 'priority_score'"):
        pd.testing.assert_frame_equal(alliance_rollup(_old(matrix, "cross_site")), rollup)
    fig = _quiet(plots.site_priority_heatmap, matrix).to_dict()
    assert fig["data"][0]["zmid"] == 0.5 and fig["layout"]["title"]["text"] == "Priority score by site and theme"
    with pytest.warns(FutureWarning, match="value='priority_score'"):
        assert plots.site_priority_heatmap(matrix, value="score").to_dict() == fig
    with pytest.warns(FutureWarning, match="'score' -> 'priority_score'"):
        assert plots.site_priority_heatmap(_old(matrix, "cross_site")).to_dict() == fig


def test_redactions_have_confidence_and_an_old_redactions_csv_still_lists_the_least_certain(sample_run,
                                                                                           old_folder):
    from pledge_analysis.text import least_certain

    result, out = sample_run
    review = pd.read_csv(out / "redactions.csv")
    assert review.columns.tolist()[:len(schema.REDACTIONS)] == list(schema.REDACTIONS)
    assert result.redactions["confidence"].between(0, 1).all()
    new = _quiet(least_certain, review, 20, below=0.9)
    assert len(new) == 20 and new["confidence"].is_monotonic_increasing
    with pytest.warns(FutureWarning, match="redactions: .*'score' -> 'confidence'"):
        old = least_certain(pd.read_csv(old_folder / "redactions.csv"), 20, below=0.9)
    pd.testing.assert_frame_equal(old, new)


def test_standards_audit_interval_is_negative_share_low_high(sample_run):
    result, out = sample_run
    audit = pd.read_csv(out / "standards_audit.csv")
    assert {"negative_share_low", "negative_share_high"} <= set(audit.columns)
    assert not {"negative_low", "negative_high"} & set(audit.columns)
    usable = audit.dropna(subset=["negative_share"])
    assert len(usable) and (usable["negative_share_low"] <= usable["negative_share"]).all() and (
        usable["negative_share"] <= usable["negative_share_high"]).all()
