"""Fine-tuning the local MiniLM (the slowest tests of the suite: kept in their own file so that
``--dist loadfile`` can run them on one worker while test_machine_coding.py runs on the other)."""
import numpy as np
import pandas as pd

from pledge_analysis.coding.sentiment import SentimentClassifier


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


def test_finetuned_model_saves_and_loads(tmp_path):
    """A fitted fine-tuned model is kept with save/load (issue 17): its network was a class local to a
    method, which pickle cannot find, so save raised PicklingError."""
    from pledge_analysis.coding.finetune import FineTunedClassifier

    X = pd.DataFrame({"text": ["kind staff", "rude staff", "lovely nurses", "long wait", "great care", "lost letters"] * 4,
                      "question_id": ["good", "improve"] * 12})
    y = np.where(X["question_id"] == "good", "positive", "negative")
    net = FineTunedClassifier(epochs=1, batch_size=8, max_length=16).fit(X, y)
    net.save(tmp_path / "net.joblib")
    again = FineTunedClassifier.load(tmp_path / "net.joblib")
    assert np.allclose(again.predict_proba(X), net.predict_proba(X), atol=1e-6)
    model = SentimentClassifier(method="finetuned", embedding_model=None, epochs=1, max_length=16,
                                prompt_polarity={"good": "positive_prompt", "improve": "negative_prompt"}).fit(X, y)
    model.save(tmp_path / "sentiment.joblib")
    assert np.allclose(SentimentClassifier.load(tmp_path / "sentiment.joblib").predict_proba(X),
                       model.predict_proba(X), atol=1e-6)
