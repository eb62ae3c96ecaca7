"""Multi-label fine-tuned MiniLM theme head and its ensemble with the linear model (issue 17).

Real torch fine-tuning on a few dozen planted texts ("parking" -> code A, "nurse" -> code B, both
words -> both codes): a few seconds per fit. Kept apart from test_finetune.py so that pytest-xdist's
``--dist loadfile`` can put the two files on different workers."""
import numpy as np
import pandas as pd
import pytest

from pledge_analysis.errors import ConfigError, InputError

FILL = ["the visit", "my appointment", "on tuesday", "last week", "the clinic", "overall", "today", "again"]
BODY = {0: "parking was hard", 1: "the nurse was kind", 2: "parking was hard and the nurse was kind",
        3: "the letter came"}


def planted(n: int, fill=FILL) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [(f"{fill[i % len(fill)]} {BODY[i % 4]} {fill[(3 * i + 1) % len(fill)]}", int(i % 4 in (0, 2)),
             int(i % 4 in (1, 2))) for i in range(n)]
    X = pd.DataFrame(rows, columns=["text", "A", "B"])
    return X[["text"]], X[["A", "B"]]


TEST_X, TEST_Y = planted(16, ["at the ward", "this morning", "in march", "for my scan", "yesterday"])
TEST_X.index = TEST_X.index + 100  # predictions follow the input's index


@pytest.fixture(scope="module")
def head():
    from pledge_analysis.coding.finetune import FineTunedClassifier

    X, Y = planted(48)
    return FineTunedClassifier(epochs=3, batch_size=8, max_length=16, learning_rate=3e-4).fit(X, Y)


def test_multilabel_head_learns_a_planted_signal(head):
    P = head.predict_proba(TEST_X)
    assert list(P.columns) == ["A", "B"] and list(P.index) == list(TEST_X.index)
    assert ((P >= 0) & (P <= 1)).all().all() and not np.allclose(P.sum(axis=1), 1)  # sigmoids, not a softmax
    assert list(head.thresholds_.index) == ["A", "B"] and head.thresholds_.between(0, 1).all()
    assert len(head.validation_index_) == 7  # 15% of 48 held out to tune the thresholds on
    pred = head.predict(TEST_X)
    assert list(pred.columns) == ["A", "B"] and set(np.unique(pred)) <= {0, 1} and list(pred.index) == list(TEST_X.index)
    assert (pred.to_numpy() == TEST_Y.to_numpy()).mean() >= 0.9  # chance is 0.5 per cell
    assert (pred.sum(axis=1).to_numpy() == TEST_Y.sum(axis=1).to_numpy()).mean() >= 0.75  # both words: both codes
    assert 0.0 <= head.score(TEST_X, TEST_Y) <= 1.0


def test_multilabel_head_saves_and_loads(head, tmp_path):
    from pledge_analysis.coding.finetune import FineTunedClassifier

    head.save(tmp_path / "head.joblib")
    again = FineTunedClassifier.load(tmp_path / "head.joblib")
    assert np.allclose(again.predict_proba(TEST_X), head.predict_proba(TEST_X), atol=1e-6)
    assert again.thresholds_.equals(head.thresholds_) and again.predict(TEST_X).equals(head.predict(TEST_X))


@pytest.mark.parametrize("y, what", [
    (pd.DataFrame({"A": [1, 0] * 4}), "at least two codes"),
    (pd.DataFrame({"A": [1, 0] * 4, "B": [0] * 8}), "no positive example"),
    (pd.DataFrame({"A": [1, 0] * 3, "B": [0, 1] * 3}), "8 texts but 6 label rows"),
    (pd.DataFrame({"A": [1, 0] * 4, "B": [0, 2] * 4}), "only 0 and 1"),
    (pd.DataFrame({"A": [1, 0] * 4, "B": [0, None] * 4}), "only 0 and 1"),
])
def test_bad_multilabel_targets_are_refused_before_any_training(y, what):
    from pledge_analysis.coding.ensemble import FineTunedThemeClassifier
    from pledge_analysis.coding.finetune import FineTunedClassifier

    X = ["parking was hard", "the nurse was kind"] * 4
    for model in (FineTunedClassifier(), FineTunedThemeClassifier()):
        with pytest.raises(InputError, match=what) as err:
            model.fit(X, y)
        assert err.value.hint
    with pytest.raises(InputError) as err:
        FineTunedClassifier().fit(X, pd.DataFrame({"A": [1, 0] * 4, "B": [0] * 8}))
    assert err.value.context["column"] == "B"
    with pytest.raises(ConfigError, match="threshold_fraction"):
        FineTunedClassifier(threshold_fraction=0.7).fit(X, pd.DataFrame({"A": [1, 0] * 4, "B": [0, 1] * 4}))


def test_holdout_split_and_threshold_rule():
    from pledge_analysis.coding.finetune import best_threshold, holdout_split

    train, held = holdout_split(40, 0.15, 0)
    assert len(held) == 6 and len(train) == 34 and not set(train) & set(held)
    assert np.array_equal(held, holdout_split(40, 0.15, 0)[1]) and not np.array_equal(held, holdout_split(40, 0.15, 1)[1])
    assert len(holdout_split(40, 0.0, 0)[1]) == 0 and len(holdout_split(6, 0.15, 0)[1]) == 0
    # a perfectly separated slice: the middle of the thresholds that separate it, not the lowest
    y, p = np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9])
    assert 0.45 <= best_threshold(y, p) <= 0.55
    assert best_threshold(np.array([0, 1, 1]), np.array([0.5, 0.6, 0.3])) < 0.35  # recall wins: F1 0.8 at 0.3


def test_ensemble_multilabel_averages_the_two_models(tmp_path):
    from pledge_analysis.coding.classifier import ThemeClassifier
    from pledge_analysis.coding.ensemble import FineTunedThemeClassifier
    from pledge_analysis.coding.finetune import FineTunedClassifier

    X, Y = planted(48)
    model = FineTunedThemeClassifier(
        finetuned=FineTunedClassifier(epochs=3, batch_size=8, max_length=16, learning_rate=3e-4),
        linear=ThemeClassifier(embedding_model=None, cv=0), finetuned_weight=0.4).fit(X, Y)
    assert model.multi_label_ and list(model.classes_) == ["A", "B"]
    assert model.finetuned_.multi_label_ and model.linear_.multi_label_
    P = model.predict_proba(TEST_X)
    F, L = model.finetuned_.predict_proba(TEST_X), model.linear_.predict_proba(TEST_X)
    assert np.allclose(P, 0.4 * F + 0.6 * L) and list(P.index) == list(TEST_X.index)
    assert model.thresholds_.between(0, 1).all() and list(model.thresholds_.index) == ["A", "B"]
    held = model.finetuned_.validation_index_
    assert list(model.cv_report_["label"]) == ["A", "B"] and model.cv_report_["support"].sum() == Y.iloc[held].sum().sum()
    assert 0 <= model.cv_micro_["f1"] <= 1
    pred = model.predict(TEST_X)
    assert list(pred.columns) == ["A", "B"] and (pred.to_numpy() == TEST_Y.to_numpy()).mean() >= 0.9
    model.save(tmp_path / "ensemble.joblib")
    again = FineTunedThemeClassifier.load(tmp_path / "ensemble.joblib")
    assert np.allclose(again.predict_proba(TEST_X), P, atol=1e-6)


def test_ensemble_single_label():
    from pledge_analysis.coding.classifier import ThemeClassifier
    from pledge_analysis.coding.ensemble import FineTunedThemeClassifier
    from pledge_analysis.coding.finetune import FineTunedClassifier

    X, Y = planted(32)
    y = np.where(Y["A"] == 1, "parking", "other")
    model = FineTunedThemeClassifier(finetuned=FineTunedClassifier(epochs=1, batch_size=8, max_length=16),
                                     linear=ThemeClassifier(embedding_model=None, cv=0)).fit(X, y)
    assert not model.multi_label_ and list(model.classes_) == ["other", "parking"]
    P = model.predict_proba(TEST_X)
    assert np.allclose(P.sum(axis=1), 1, atol=1e-5)
    pred = model.predict(TEST_X)
    assert isinstance(pred, pd.Series) and list(pred.index) == list(TEST_X.index) and set(pred) <= {"other", "parking"}
    assert (pred.to_numpy() == np.where(TEST_Y["A"] == 1, "parking", "other")).mean() >= 0.75
