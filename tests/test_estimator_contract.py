"""The scikit-learn contract of our text estimators, checked on real estimators with real small data.

Modelled on sklearn's ``parametrize_with_checks``, which cannot be used as it is: its checks feed
numeric arrays, and our estimators take text. Three kinds of check:

- sklearn's own data-free checks (parameters, cloning, repr, tags), called directly;
- the text versions of its data checks (fit returns self, not-fitted error, fit idempotence,
  pickling, parameters untouched by fit, learned state ending in ``_``, declared parameter
  constraints enforced, feature names);
- the observed failures of issue 19 and the save/load of issue 17, each as its own test.

Data: the free-text answers of one sample hospital's survey (``data_samples/survey/patients_NGU.csv``)
with labels that come from the survey's structure (which question a comment answers), not from
any model. TF-IDF-only settings keep the suite fast; the features case also runs with the real
MiniLM embeddings (loading the model is most of this file's time when no other test loaded it).
"""
from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.utils import estimator_checks as sk
from sklearn.utils._param_validation import generate_invalid_param_val, make_constraint

from pledge_analysis.coding.classifier import TextFeatures, ThemeClassifier
from pledge_analysis.coding.finetune import FineTunedClassifier
from pledge_analysis.coding.sentiment import SentimentClassifier
from pledge_analysis.errors import ConfigError, ModelUnavailableError, NotFittedError, PledgeError

SURVEY = Path(__file__).resolve().parents[1] / "data_samples" / "survey" / "patients_NGU.csv"
QUESTIONS = {"What was good about your care?": "good", "What could be improved?": "improve",
             "Anything else you would like to tell us?": "other"}


@pytest.fixture(scope="module")
def data():
    """90 real sample comments: text, the question answered, and a second, overlapping label."""
    d = pd.read_csv(SURVEY)
    rows = [(t, q) for col, q in QUESTIONS.items() for t in d[col].dropna().head(30)]
    X = pd.DataFrame(rows, columns=["text", "question_id"])
    X.index = [f"r{i}" for i in range(len(X))]  # a non-default index, to check alignment
    staff = X["text"].str.contains("staff|nurse|doctor", case=False).astype(int)
    Y = pd.DataFrame({"good": (X["question_id"] == "good").astype(int),
                      "improve": (X["question_id"] == "improve").astype(int), "staff": staff})
    sentiment = np.where(X["question_id"] == "good", "positive",
                         np.where(X["question_id"] == "improve", "negative", "neutral"))
    return X, Y, pd.Series(sentiment, index=X.index)


# name -> (estimator, which target it learns)
CASES = {
    "themes multi-label": (lambda: ThemeClassifier(embedding_model=None, cv=2), "Y"),
    "themes single-label": (lambda: ThemeClassifier(embedding_model=None, cv=2), "question"),
    "sentiment lexicon": (lambda: SentimentClassifier(), "sentiment"),
    "sentiment trained": (lambda: SentimentClassifier(method="trained", embedding_model=None), "sentiment"),
    "sentiment trained, raw chars": (lambda: SentimentClassifier(method="trained", embedding_model=None,
                                                                 raw_chars=True), "sentiment"),
    "text features": (lambda: TextFeatures(embedding_model=None), None),
    "text features with MiniLM": (lambda: TextFeatures(), None),
}
DATA_FREE = [("fine-tuned", FineTunedClassifier)] + [(k, f) for k, (f, _) in CASES.items()]


def target(data, which):
    X, Y, sentiment = data
    return {"Y": Y, "question": X["question_id"], "sentiment": sentiment, None: None}[which]


def outputs(est, X) -> np.ndarray:
    """What a fitted estimator computes, as one comparable array."""
    if isinstance(est, TextFeatures):
        return est.transform(X).toarray()
    return np.asarray(est.predict_proba(X), dtype=float)


# --- sklearn's own checks that need no data ---------------------------------------------------------
@pytest.mark.parametrize("check", [sk.check_no_attributes_set_in_init, sk.check_parameters_default_constructible,
                                   sk.check_get_params_invariance, sk.check_set_params, sk.check_estimator_cloneable,
                                   sk.check_estimator_repr, sk.check_do_not_raise_errors_in_init_or_set_params,
                                   sk.check_valid_tag_types, sk.check_estimator_tags_renamed, sk.check_mixin_order],
                         ids=lambda c: c.__name__)
@pytest.mark.parametrize("name,make", DATA_FREE, ids=[n for n, _ in DATA_FREE])
def test_sklearn_data_free_checks(name, make, check):
    est = make()
    check(type(est).__name__, est)


# --- the text versions of sklearn's data checks ------------------------------------------------------
@pytest.mark.parametrize("case", list(CASES))
def test_text_estimator_checks(case, data):
    make, which = CASES[case]
    X = data[0][["text"]]
    y = target(data, which)
    est = make()
    params = est.get_params()
    with pytest.raises(NotFittedError) as unfitted:  # check_estimators_unfitted
        outputs(est, X)
    assert isinstance(unfitted.value, (ValueError, AttributeError)) and type(est).__name__ in str(unfitted.value)

    assert est.fit(X, y) is est  # check_estimators_fit_returns_self
    assert est.get_params() == params  # check_dont_overwrite_parameters: fit changes no parameter ...
    learned = set(vars(est)) - set(params)
    assert learned and all(k.endswith("_") for k in learned)  # ... and its state ends in "_"
    first = outputs(est, X)
    assert len(first) == len(X) and np.isfinite(first).all()

    assert np.allclose(outputs(est.fit(X, y), X), first)  # check_fit_idempotent
    again = pickle.loads(pickle.dumps(est))  # check_estimators_pickle
    assert np.allclose(outputs(again, X), first)
    with pytest.raises(NotFittedError):  # a clone is unfitted
        outputs(clone(est), X)

    if isinstance(est, TextFeatures):  # check_transformer_get_feature_names_out
        names = est.get_feature_names_out()
        assert len(names) == first.shape[1] == len(set(names)) and all(isinstance(n, str) for n in names)
    else:  # predictions are labels of the classes learned, aligned to the input
        pred = est.predict(X)
        assert pred.index.equals(X.index)
        if isinstance(y, pd.DataFrame):
            assert list(pred.columns) == list(y.columns) == list(est.classes_)
        elif isinstance(est, ThemeClassifier):
            assert pred.ndim == 1 and set(pred) <= set(est.classes_)
        assert 0 <= est.score(X, y) <= 1


@pytest.mark.parametrize("case", [c for c in CASES if "MiniLM" not in c])
def test_declared_parameter_constraints_are_enforced_at_fit(case, data):
    """check_param_validation, with text: every parameter refuses a value of a foreign type and a
    value outside each of its declared constraints, at fit, naming the parameter."""
    make, which = CASES[case]
    X, y = data[0][["text"]], target(data, which)
    est = make()
    assert set(est._parameter_constraints) == set(est.get_params())
    bad_type = type("BadType", (), {})()
    for param, constraints in est._parameter_constraints.items():
        invalid = [bad_type]
        for c in map(make_constraint, constraints):
            try:
                invalid.append(generate_invalid_param_val(c))
            except NotImplementedError:
                pass
        for value in invalid:
            if any(make_constraint(c).is_satisfied_by(value) for c in constraints):
                continue  # valid for another of the constraints
            with pytest.raises(ConfigError, match=param):
                clone(est).set_params(**{param: value}).fit(X, y)


# --- the observed failures of issue 19 ---------------------------------------------------------------
def test_theme_classifier_fit_takes_y_and_keeps_the_old_keyword(data):
    X, Y, _ = data
    a = ThemeClassifier(embedding_model=None, cv=2).fit(X[["text"]], y=Y)
    with pytest.warns(FutureWarning, match="y="):
        b = ThemeClassifier(embedding_model=None, cv=2).fit(X[["text"]], labels=Y)
    assert np.allclose(a.predict_proba(X), b.predict_proba(X))


def test_single_label_predictions_are_labels_so_score_and_cross_validation_work(data):
    X, _, _ = data
    y = X["question_id"]
    model = ThemeClassifier(embedding_model=None, cv=2).fit(X[["text"]], y)
    pred = model.predict(X[["text"]])
    assert isinstance(pred, pd.Series) and pred.index.equals(X.index) and set(pred) <= {"good", "improve", "other"}
    assert model.score(X[["text"]], y) > 0.8  # in-sample
    two = y != "other"  # praise or complaint: learnable from 60 comments
    scores = cross_val_score(ThemeClassifier(embedding_model=None, cv=0), X.loc[two, ["text"]], y[two], cv=3)
    assert np.isfinite(scores).all() and scores.mean() > 0.7  # chance is 1/2
    ints = ThemeClassifier(embedding_model=None, cv=0).fit(X[["text"]], y.map({"good": 1, "improve": 2, "other": 3}))
    assert ints.predict(X[["text"]]).isin([1, 2, 3]).all()  # labels keep their type
    multi = cross_val_score(ThemeClassifier(embedding_model=None, cv=0), X[["text"]], data[1], cv=2, scoring="f1_micro")
    assert np.isfinite(multi).all()


def test_invalid_parameters_are_refused_at_fit(data):
    X, Y, sentiment = data
    with pytest.raises(ConfigError, match="'cv' parameter of ThemeClassifier"):
        ThemeClassifier(cv=-3).fit(X[["text"]], Y)
    with pytest.raises(ConfigError, match="'scale' parameter of SentimentClassifier"):
        SentimentClassifier(scale=4).fit()
    with pytest.raises(ConfigError, match="'method' parameter"):
        SentimentClassifier(method="bogus").fit()
    with pytest.raises(NotFittedError, match="SentimentClassifier"):  # no silent lexicon at predict time
        SentimentClassifier(method="bogus").predict(["fine"])
    with pytest.raises(PledgeError, match="5-point"):  # labels on the 5-point scale with scale=3
        SentimentClassifier(method="trained", embedding_model=None).fit(X, sentiment.replace("positive", "very positive"))


def test_sentiment_has_score_and_works_in_grid_search(data):
    X, _, sentiment = data
    search = GridSearchCV(SentimentClassifier(method="trained", embedding_model=None), {"C": [0.5, 4.0]}, cv=2)
    search.fit(X[["text"]], sentiment)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all() and search.best_score_ > 0.5
    lexicon = SentimentClassifier().fit()
    assert lexicon.score(X[["text"]], sentiment) == (lexicon.predict(X[["text"]])["sentiment"] == sentiment).mean()
    with pytest.raises(NotFittedError):
        SentimentClassifier(method="trained").predict(["fine"])


def test_text_features_name_their_columns(data):
    X = data[0][["text"]]
    f = TextFeatures(embedding_model=None).fit(X)
    names = f.get_feature_names_out()
    assert names.dtype == object and names[0].startswith("words__") and names[-1].startswith("chars__")
    assert "words__nurse" in set(names)


def test_embedding_cache_is_only_written_where_asked(data, tmp_path, monkeypatch):
    """No hidden side effect: without a cache folder nothing is written (not in the home folder);
    with ``cache_dir`` the vectors are kept there."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("PLEDGE_CACHE_DIR", raising=False)
    X = data[0][["text"]].head(12)
    f = TextFeatures().fit(X)
    plain = f.transform(X).toarray()
    assert not any(home.rglob("*pledge*")) and not any(home.rglob("*.sqlite"))
    cached = TextFeatures(cache_dir=tmp_path / "cache").fit(X)
    assert np.allclose(cached.transform(X).toarray(), plain)
    assert (tmp_path / "cache" / "embeddings.sqlite").exists()


# --- saving a fitted model (issue 17) --------------------------------------------------------------------
def test_save_and_load_a_fitted_model(data, tmp_path):
    import joblib

    import pledge_analysis
    from pledge_analysis.coding.codebook import codebook_from_records
    from pledge_analysis.coding.estimator import codebook_hash

    X, Y, sentiment = data
    codebook = codebook_from_records([{"id": c, "name": c} for c in Y.columns])
    model = ThemeClassifier(embedding_model=None, cv=2).fit(X[["text"]], Y)
    path = model.save(tmp_path / "themes.joblib", codebook=codebook)
    back = ThemeClassifier.load(path, codebook=codebook)
    assert np.allclose(back.predict_proba(X), model.predict_proba(X))
    stored = joblib.load(path)
    assert stored["pledge_analysis"] == pledge_analysis.__version__
    assert stored["codebook_hash"] == codebook_hash(codebook) and len(stored["codebook_hash"]) == 64

    stored["pledge_analysis"] = "0.0.1"
    joblib.dump(stored, tmp_path / "old.joblib")
    with pytest.warns(UserWarning, match="0.0.1"):
        ThemeClassifier.load(tmp_path / "old.joblib")
    other = codebook_from_records([{"id": c, "name": c} for c in ["good", "improve"]])
    with pytest.raises(ModelUnavailableError, match="staff") as e:  # the model predicts a code this codebook lacks
        ThemeClassifier.load(path, codebook=other)
    assert e.value.code == "PA702"
    with pytest.raises(ModelUnavailableError, match="SentimentClassifier") as e:
        SentimentClassifier.load(path)
    assert e.value.code == "PA701"
    with pytest.raises(NotFittedError):
        ThemeClassifier(embedding_model=None).save(tmp_path / "unfitted.joblib")
    lexicon = SentimentClassifier(method="trained", embedding_model=None).fit(X[["text"]], sentiment)
    again = SentimentClassifier.load(lexicon.save(tmp_path / "sentiment.joblib"))
    assert (again.predict(X[["text"]]) == lexicon.predict(X[["text"]])).all().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ThemeClassifier.load(path)  # same version, no codebook given: no warning
