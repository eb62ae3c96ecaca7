"""Fine-tuning the local MiniLM (the slowest tests of the suite: kept in their own file so that
``--dist loadfile`` can run them on one worker while test_machine_coding.py runs on the other)."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pledge_analysis.coding.sentiment import STACK_CS, SentimentClassifier


def test_finetuned_sentiment_learns_on_a_small_set(sample_run):
    from pledge_analysis.coding.finetune import FineTunedClassifier

    r = sample_run[0]
    s = r.segments[r.segments["question_id"].isin(["good", "improve"])].reset_index(drop=True)
    s = s.drop_duplicates("text").head(240).reset_index(drop=True)
    y = np.where(s["question_id"] == "good", "positive", "negative")
    train = np.arange(len(s)) % 2 == 0
    net = FineTunedClassifier(epochs=3, batch_size=16, learning_rate=1e-4).fit(s.loc[train, ["text"]], y[train])
    P = net.predict_proba(s.loc[~train, ["text"]])
    assert np.allclose(P.sum(axis=1), 1, atol=1e-5) and list(P.columns) == ["negative", "positive"]
    assert (P.idxmax(axis=1).to_numpy() == y[~train]).mean() > 0.8  # the fine-tuned network alone learned
    model = SentimentClassifier(method="finetuned", epochs=1, max_length=32).fit(s.loc[train, ["text"]], y[train])
    assert hasattr(model, "finetuned_") and model.finetuned_.max_length == 32
    test = s.loc[~train, ["text"]]
    assert (model.predict(test)["sentiment"].to_numpy() == y[~train]).mean() > 0.85
    # finetuned_weight: the share of the fine-tuned network in the averaged probabilities
    both = model.predict_proba(test)
    linear = pd.DataFrame(model.model_.predict_proba(model._features(test["text"].tolist(), None)),
                          index=test.index, columns=model.classes_)
    network = model.finetuned_.predict_proba(test["text"].tolist())[list(model.classes_)].set_index(test.index)
    assert np.allclose(both, (linear + network) / 2, atol=1e-6)
    assert np.allclose(model.set_params(finetuned_weight=1.0).predict_proba(test), network, atol=1e-6)
    assert np.allclose(model.set_params(finetuned_weight=0.0).predict_proba(test), linear, atol=1e-6)


def test_sentiment_learns_from_the_question_a_comment_answers():
    """Identical wording means praise under "What was good?" and a complaint under "What could be
    improved?": with question_id the trained and fine-tuned models learn it, without it they cannot."""
    from pledge_analysis.coding.finetune import FineTunedClassifier

    topics = ["the clinic", "the car park", "the letters", "the phone line", "the waiting room", "the nurses",
              "the scan", "the ward", "the food", "the leaflets"]
    rows = [(f"{t} visit number {i}", q) for i in range(12) for t in topics for q in ("good", "improve")]
    X = pd.DataFrame(rows, columns=["text", "question_id"])
    y = np.where(X["question_id"] == "good", "positive", "negative")
    train = np.arange(len(X)) % 4 != 0
    with_q = SentimentClassifier(method="trained").fit(X[train], y[train])
    assert (with_q.predict(X[~train])["sentiment"].to_numpy() == y[~train]).mean() == 1.0
    text_only = SentimentClassifier(method="trained", use_prompt=False).fit(X[train], y[train])
    assert (text_only.predict(X[~train])["sentiment"].to_numpy() == y[~train]).mean() < 0.75
    unseen = with_q.predict(X[~train].assign(question_id="other"))  # an unseen question counts as unknown
    assert len(unseen) == (~train).sum()
    net = FineTunedClassifier(epochs=2, batch_size=16, learning_rate=1e-4).fit(X[train], y[train])
    assert net.contexts_ == ["good", "improve"]
    assert (net.predict(X[~train]).to_numpy() == y[~train]).mean() > 0.9


PXTEXTMINING = Path(__file__).resolve().parents[2] / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"


def _real_feedback(n: int) -> pd.DataFrame:
    """``n`` real NHS comments (pxtextmining phase 1), 3-class sentiment from their criticality, seeded."""
    d = pd.read_csv(PXTEXTMINING).dropna(subset=["feedback"])
    d = d[d["feedback"].str.strip() != ""].assign(c=lambda x: pd.to_numeric(x["criticality"], errors="coerce"))
    d = d.dropna(subset=["c"]).sample(n, random_state=3).reset_index(drop=True)
    return d.assign(y=np.where(d["c"] < 0, "negative", np.where(d["c"] > 0, "positive", "neutral")))


@pytest.mark.skipif(not PXTEXTMINING.exists(), reason="../shared/external/pxtextmining is not on this machine")
def test_stacked_sentiment_fits_and_predicts_on_real_feedback():
    """ensemble="stack": both models learn from 80% of the examples, a logistic regression over their
    log-probabilities from the other 20%; predictions come from that stacker."""
    d = _real_feedback(500)
    train = np.arange(len(d)) < 400
    X, y = d.loc[train, "feedback"].tolist(), d.loc[train, "y"].to_numpy()
    model = SentimentClassifier(method="finetuned", ensemble="stack", embedding_model=None, epochs=1,
                                max_length=32).fit(X, y)
    assert model.stacker_.n_features_in_ == 6 and model.stacker_.C in STACK_CS
    assert len(model.finetuned_.classes_) == 3
    test = d.loc[~train, "feedback"].tolist()
    P = model.predict_proba(test)
    assert list(P.columns) == ["negative", "neutral", "positive"] and np.allclose(P.sum(axis=1), 1)
    assert np.allclose(P, model.stacker_.predict_proba(model._stack_inputs(test, None)))  # the stacker decides
    accuracy = model.score(test, d.loc[~train, "y"])
    majority = (d.loc[~train, "y"] == pd.Series(y).mode()[0]).mean()
    assert accuracy > majority + 0.1, (accuracy, majority)




def test_stack_needs_examples_of_each_label_to_hold_out():
    """Too few examples of a label to hold some out for the stacker: a clear InputError before any fitting."""
    from pledge_analysis.errors import InputError

    texts = [f"comment {i}" for i in range(23)]
    y = ["positive"] * 20 + ["negative"] * 3
    with pytest.raises(InputError) as e:
        SentimentClassifier(method="finetuned", ensemble="stack", embedding_model=None).fit(texts, y)
    assert "negative" in str(e.value) and "ensemble='average'" in str(e.value.hint)
