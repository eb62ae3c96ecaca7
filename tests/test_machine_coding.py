"""Embeddings (offline, cached), the theme classifier, trained sentiment, active learning, BERTopic topics."""
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from pledge_analysis.coding.classifier import (ThemeClassifier, model_codings, suggest_for_review, training_data)
from pledge_analysis.coding.codebook import theme_of
from pledge_analysis.coding.embeddings import embed
from pledge_analysis.coding.sentiment import SentimentClassifier
from pledge_analysis.errors import NotFittedError

from .conftest import CACHE


@pytest.fixture(scope="module")
def labelled(sample_run):
    """Sample segments with theme labels from the rule coder (the machine must learn to generalise them)."""
    r = sample_run[0]
    segs = r.segments[r.segments["role"] != "facilitator"].reset_index(drop=True)
    c = r.codings.assign(theme=r.codings["code_id"].map(theme_of(r.codebook)))
    Y = pd.crosstab(c["segment_id"], c["theme"]).clip(upper=1).reindex(segs["segment_id"], fill_value=0)
    return segs, Y.reset_index(drop=True)


def test_embed_offline_cached_float32(tmp_path, monkeypatch):
    monkeypatch.setenv("PLEDGE_CACHE_DIR", str(tmp_path))
    texts = ["The staff were lovely", "I waited three hours", "The staff were lovely"]
    a = embed(texts)
    assert a.shape == (3, 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-5) and np.array_equal(a[0], a[2])
    assert (tmp_path / "embeddings.sqlite").exists()
    import sqlite3

    assert sqlite3.connect(tmp_path / "embeddings.sqlite").execute("SELECT count(*) FROM vectors_minilm").fetchone()[0] == 2
    assert np.array_equal(embed(texts), a)  # from the cache
    sims = a @ embed(["Everyone was kind and caring", "The clinic ran hours late"]).T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]  # real semantics, not noise
    # the real distilled model, kept in the suite's cache folder (distilled there once: 135 s of CPU)
    s = embed(texts, model="static", cache_dir=CACHE)
    assert s.shape == (3, 256) and s.dtype == np.float32
    assert (CACHE / "static-minilm-256" / "model.safetensors").exists()


def test_theme_classifier_follows_sklearn_conventions():
    model = ThemeClassifier(C=2.0, cv=2)
    assert clone(model).get_params() == model.get_params()
    sentiment = SentimentClassifier(method="trained", C=2.0)
    assert clone(sentiment).get_params() == sentiment.get_params() and not [k for k in vars(sentiment) if k.endswith("_")]
    with pytest.raises(NotFittedError):
        model.predict_proba(["text"])
    assert not [k for k in vars(model) if k.endswith("_")]  # __init__ only stores parameters


def _split_by_text(texts: pd.Series, seed: int) -> np.ndarray:
    """A random half of the *distinct* texts for training (True), the rest for evaluation: a sentence
    repeated in the sample is never on both sides, so the evaluation texts are unseen in training."""
    distinct = texts.str.strip().str.lower()
    keys = distinct.unique()
    chosen = set(keys[np.random.default_rng(seed).random(len(keys)) < 0.5])
    return distinct.isin(chosen).to_numpy()


def test_theme_classifier_learns_and_generalises(labelled):
    segs, Y = labelled
    Y = Y[[c for c in Y.columns if Y[c].sum() >= 30]]
    train = _split_by_text(segs["text"], seed=0)
    seen = set(segs.loc[train, "text"].str.strip().str.lower())
    assert not any(t in seen for t in segs.loc[~train, "text"].str.strip().str.lower())  # unseen in training
    model = ThemeClassifier(cv=3, random_state=0).fit(segs.loc[train, ["text"]], Y[train])
    assert model.fit(segs.loc[train, ["text"]], Y[train]) is not None
    P = model.predict_proba(segs.loc[~train, ["text"]])
    pred = model.predict(segs.loc[~train, ["text"]])
    assert list(pred.columns) == list(Y.columns) and P.index.equals(segs.index[~train])
    assert P.to_numpy().min() >= 0 and P.to_numpy().max() <= 1
    truth = Y[~train].to_numpy()
    tp = (pred.to_numpy() & truth).sum()
    micro_f1 = 2 * tp / (pred.to_numpy().sum() + truth.sum())
    assert micro_f1 > 0.8
    report = model.cv_report_.set_index("label")
    assert set(report.columns) == {"precision", "recall", "f1", "support"} and (report["support"] > 0).all()
    assert ((model.thresholds_ > 0) & (model.thresholds_ < 1)).all()


def test_single_label_confidence_is_temperature_scaled(labelled):
    """Out-of-fold temperature scaling softens the multinomial model's confidence without changing a
    single prediction. A fifth of the labels are swapped at random, as coders disagree, so no model
    can be sure of them. (Whether it calibrates better is measured on real feedback in
    benchmarks/machine_coding_benchmark.py: ECE 0.088 -> 0.045.)"""
    segs, Y = labelled
    one = Y.sum(axis=1) == 1
    segs, y = segs[one].reset_index(drop=True), Y[one].idxmax(axis=1).reset_index(drop=True)
    rng = np.random.default_rng(1)
    noisy = rng.random(len(y)) < 0.2
    y[noisy] = rng.choice(sorted(y.unique()), noisy.sum())
    train = rng.random(len(segs)) < 0.5
    scaled = ThemeClassifier(multi_label=False, cv=3).fit(segs.loc[train, ["text"]], y[train])
    raw = ThemeClassifier(multi_label=False, cv=0).fit(segs.loc[train, ["text"]], y[train])
    assert raw.temperature_ == 1.0 and scaled.temperature_ > 1.2
    Ps, Pr = scaled.predict_proba(segs.loc[~train, ["text"]]), raw.predict_proba(segs.loc[~train, ["text"]])
    assert np.allclose(Ps.sum(axis=1), 1) and (Ps.idxmax(axis=1) == Pr.idxmax(axis=1)).all()
    assert (Ps.max(axis=1) < Pr.max(axis=1) + 1e-9).all() and Ps.max(axis=1).mean() < Pr.max(axis=1).mean() - 0.02


def test_active_learning_suggestions_enter_the_review_queue(labelled, tmp_path):
    from pledge_analysis.project import Project

    segs, Y = labelled
    Y = Y[[c for c in Y.columns if Y[c].sum() >= 30]]
    model = ThemeClassifier(cv=2).fit(segs.head(600)[["text"]], Y.head(600))
    sugg = suggest_for_review(model, segs, n=25, exclude=segs["segment_id"].head(600))
    assert len(sugg) == 25 and set(sugg["method"]) == {"model"} and set(sugg["status"]) == {"suggested"}
    assert not set(sugg["segment_id"]) & set(segs["segment_id"].head(600))
    margins = (sugg["confidence"] - sugg["code_id"].map(model.thresholds_)).abs()
    assert margins.max() < 0.5
    with Project.open(tmp_path / "p.sqlite") as p:
        p.write_table("segments", segs)
        p.add_codings(sugg)
        assert len(p.review_queue("alice", method="model")) == 25
    all_model = model_codings(model, segs.head(50))
    assert (all_model["confidence"] >= all_model["code_id"].map(model.thresholds_)).all()


def test_training_data_from_reviewed_codings(sample_run):
    r = sample_run[0]
    reviewed = pd.DataFrame({"segment_id": ["a", "a", "b"], "code_id": ["waiting.clinic", "kindness", "kindness"],
                             "method": "manual", "status": ["accepted", "accepted", "rejected"]})
    segs = pd.DataFrame({"segment_id": ["a", "b"], "text": ["Waited 3 hours, staff kind", "Rude receptionist"]})
    texts, Y = training_data(reviewed, segs, r.codebook)
    assert texts == ["Waited 3 hours, staff kind", "Rude receptionist"]
    assert Y.to_dict("list") == {"kindness": [1, 0], "waiting": [1, 0]}


def test_sentiment_trained_and_five_point(sample_run):
    r = sample_run[0]
    s = r.segments[r.segments["question_id"].isin(["good", "improve"])].reset_index(drop=True)
    y = np.where(s["question_id"] == "good", "positive", "negative")
    rng = np.random.default_rng(1)
    train = rng.random(len(s)) < 0.5
    model = SentimentClassifier(method="trained").fit(s.loc[train, ["text"]], y[train])
    pred = model.predict(s.loc[~train, ["text"]])
    assert (pred["sentiment"].to_numpy() == y[~train]).mean() > 0.9
    assert set(model.predict_proba(s.loc[~train, ["text"]]).columns) == {"negative", "positive"}
    five = SentimentClassifier(scale=5).fit().predict(["Absolutely wonderful, amazing staff", "The appointment was on Tuesday",
                                                       "Terrible, awful, rude and dismissive"])
    assert five["sentiment"].tolist() == ["very positive", "neutral", "very negative"]


@pytest.fixture(scope="module")
def topics(sample_run):
    from pledge_analysis.coding.topics import TopicExplorer

    r = sample_run[0]
    segs = r.segments[r.segments["source_type"] == "survey"].head(900)
    return TopicExplorer(random_state=0, codebook=r.codebook).fit(segs), segs, r


def test_topic_explorer_reproducible_tidy_and_mapped(topics):
    from pledge_analysis.coding.topics import TopicExplorer, accept_proposals

    te, segs, r = topics
    info = te.topic_info_
    assert list(info.columns) == ["topic_id", "label", "n", "top_terms", "representative"]
    assert len(info) >= 5 and info["n"].sum() == len(te.segment_topics_)
    assert (te.segment_topics_["topic_id"] >= 0).all()  # outliers reassigned
    import logging

    bertopic_level = logging.getLogger("BERTopic").level
    logging.disable(logging.DEBUG)  # the user's own process-wide setting: fit must leave it as it was
    try:
        again = TopicExplorer(random_state=0, codebook=r.codebook).fit(segs)
        assert logging.root.manager.disable == logging.DEBUG
        assert logging.getLogger("BERTopic").level == bertopic_level
    finally:
        logging.disable(logging.NOTSET)
    assert np.array_equal(again.topics_, te.topics_)  # same input, same topics
    by = te.by("group")
    assert np.allclose(by.groupby("group")["share"].sum(), 1)
    over = te.over_time()  # from the survey's completion dates, carried on each comment
    assert np.allclose(over.groupby("period")["share"].sum(), 1)
    assert over["period"].min() >= "2025-04" and over["period"].max() <= "2026-03"
    assert over["n"].sum() == segs["timestamp"].notna().sum() > 0.9 * len(segs)
    mapping = te.map_to_codebook(r.codebook, min_similarity=0.5)
    assert mapping["similarity"].between(-1, 1).all() and mapping["code_id"].isin(r.codebook["code_id"]).all()
    waiting = mapping[mapping["top_terms"].str.contains("wait")]
    assert waiting["code_id"].str.startswith("waiting").mean() >= 0.5
    new = mapping.head(1)["topic_id"].tolist()
    cb = accept_proposals(r.codebook, mapping, new)
    assert len(cb) == len(r.codebook) + 1
    xy = te.coordinates()
    assert {"x", "y", "topic_id"} <= set(xy.columns) and len(xy) == len(te.segment_topics_)


def test_raw_chars_keep_how_a_source_writes():
    """A transcription mark (a capital I for i, as one NHS trust's comments carry) and the n-grams across
    words are lost in lower-cased character n-grams within words, and kept with raw_chars=True (runs of
    white space count as one space in both); words stay lower-cased."""
    from pledge_analysis.coding.classifier import TextFeatures

    texts = ["Excellent servIce, thIs tIme.  Thank you", "Excellent service, this time. Thank you",
             "The wait was too long", "Staff were kind and quick"]
    default = TextFeatures(embedding_model=None, min_df=1).fit(texts)
    raw = TextFeatures(embedding_model=None, min_df=1, raw_chars=True).fit(texts)
    same = default.transform(texts[:2]).toarray()
    assert np.allclose(same[0], same[1])  # the default cannot tell the two apart
    kept = raw.transform(texts[:2]).toarray()
    assert not np.allclose(kept[0], kept[1])
    names = set(raw.get_feature_names_out())
    assert {"chars__vIc", "chars__e. T", "chars__rvIce"} <= names and "words__service" in names
    assert "chars__e. t" not in set(default.get_feature_names_out())
    assert not any(n.startswith("words__") and n != n.lower() for n in names)


def test_over_time_says_which_segments_it_left_out_and_why(caplog):
    """over_time() dropped segments with no date or a refused one without a word."""
    import logging

    from pledge_analysis.coding.topics import TopicExplorer

    from .userlike import BAD, GOOD

    texts = [(GOOD + BAD)[i % 8] + f" Visit {i}." for i in range(60)]
    dates = ["2025-05-%02d" % (1 + i % 28) for i in range(60)]
    dates[3], dates[7], dates[11] = "next Tuesday", None, "31/02/2025"
    segs = pd.DataFrame({"segment_id": [f"s{i}" for i in range(60)], "text": texts, "timestamp": dates})
    te = TopicExplorer(random_state=0).fit(segs)
    with caplog.at_level(logging.WARNING, logger="pledge_analysis.coding.topics"):
        over = te.over_time()
    assert over["n"].sum() == 57
    left = pd.DataFrame(over.attrs["left_out"])
    assert left["segment_id"].tolist() == ["s3", "s7", "s11"]
    assert list(left.columns) == ["segment_id", "date", "reason"]
    assert left.set_index("segment_id").loc["s7", "reason"] == "no date"
    assert "next Tuesday" in left.set_index("segment_id").loc["s3", "reason"]
    assert over.attrs["n_left_out"] == 3
    # logged (a dependency of BERTopic ignores every UserWarning process-wide: warnings.warn would never show)
    (msg,) = [r.getMessage() for r in caplog.records if "over_time" in r.getMessage()]
    assert r"3 of 60 segments" in msg and "1 with no date" in msg and "2 whose date" in msg and "attrs['left_out']" in msg
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pledge_analysis.coding.topics"):  # every date read: no warning
        full = te.over_time(pd.Series(["2025-06-01"] * 60, index=segs["segment_id"]))
    assert not caplog.records
    assert full["n"].sum() == 60 and full.attrs["n_left_out"] == 0 and full.attrs["left_out"] == []
    from pledge_analysis import plots

    plots.topic_trends(over, top=3)  # the table with its attrs goes on through pandas and plotly
