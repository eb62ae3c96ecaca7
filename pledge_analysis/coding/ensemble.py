"""The fine-tuned MiniLM head and the theme classifier's linear model, averaged.

:class:`FineTunedThemeClassifier` is a scikit-learn estimator with the contract of
:class:`~pledge_analysis.coding.classifier.ThemeClassifier`: ``fit(X, y)`` with one label per text
(single-label: ``predict`` gives a Series) or a 0/1 DataFrame, one column per code (multi-label:
``predict`` gives a 0/1 DataFrame). ``predict_proba`` is
``finetuned_weight * F + (1 - finetuned_weight) * L``: ``F`` from a
:class:`~pledge_analysis.coding.finetune.FineTunedClassifier` (softmax or per-code sigmoid), ``L``
from a ``ThemeClassifier`` (TF-IDF + MiniLM features, logistic regression) fitted on every row.

Multi-label thresholds: the fine-tuned network holds out ``threshold_fraction`` of the rows and is
trained on the rest (:func:`~pledge_analysis.coding.finetune.holdout_split`); a second linear model
fitted on those same other rows scores the held-out slice, and each code's threshold is the one
that maximises its F1 on the averaged probabilities there (codes with fewer than ``min_support``
positives in the slice keep 0.5). The thresholds belong to the weight given at ``fit``. As
``ThemeClassifier``'s, ``cv_report_`` (precision, recall, F1, support per code) and ``cv_micro_``
describe the held-out slice at those thresholds (tuned on the same rows, so slightly optimistic).

Fine-tuning is the slow part (minutes per thousand comments on 2 cores; ``progress=True`` shows a
bar); the linear models take seconds once embeddings are cached.
"""
from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods, Interval

from .estimator import ModelContract


def blend(finetuned: pd.DataFrame, linear: pd.DataFrame, weight: float) -> pd.DataFrame:
    """``weight * finetuned + (1 - weight) * linear``, on ``finetuned``'s index and columns."""
    return weight * finetuned + (1 - weight) * linear[list(finetuned.columns)].set_axis(finetuned.index)


def _rows(X, positions: np.ndarray):
    """The rows of ``X`` (a DataFrame, Series or list of texts) at ``positions``."""
    if isinstance(X, (pd.DataFrame, pd.Series)):
        return X.iloc[positions]
    items = list(X)
    return [items[i] for i in positions]


class FineTunedThemeClassifier(ModelContract, ClassifierMixin, BaseEstimator):
    """Fine-tuned MiniLM head + linear theme model, averaged (see the module docstring).

    ``finetuned`` / ``linear``: unfitted ``FineTunedClassifier`` / ``ThemeClassifier`` to copy
    (``None``: their defaults); this estimator's ``random_state``, ``progress``, ``threshold_fraction``
    and ``min_support`` override theirs.
    """

    _classes_are_codes = True
    _fitted_attribute = "finetuned_"
    _parameter_constraints = {"finetuned": [HasMethods(["fit", "predict_proba"]), None],
                              "linear": [HasMethods(["fit", "predict_proba"]), None],
                              "finetuned_weight": [Interval(Real, 0, 1, closed="both")],
                              "threshold_fraction": [Interval(Real, 0, 0.5, closed="both")],
                              "min_support": [Interval(Integral, 1, None, closed="left")],
                              "random_state": [Interval(Integral, 0, None, closed="left")], "progress": ["boolean"]}

    def __init__(self, *, finetuned=None, linear=None, finetuned_weight: float = 0.5, threshold_fraction: float = 0.15,
                 min_support: int = 3, random_state: int = 0, progress: bool = False):
        self.finetuned = finetuned
        self.linear = linear
        self.finetuned_weight = finetuned_weight
        self.threshold_fraction = threshold_fraction
        self.min_support = min_support
        self.random_state = random_state
        self.progress = progress

    def _components(self):
        from .classifier import ThemeClassifier
        from .finetune import FineTunedClassifier

        ft = clone(self.finetuned) if self.finetuned is not None else FineTunedClassifier()
        ft.set_params(random_state=self.random_state, progress=self.progress,
                      threshold_fraction=self.threshold_fraction, min_support=self.min_support)
        return ft, clone(self.linear) if self.linear is not None else ThemeClassifier()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        from .classifier import _micro, _report, _texts
        from .finetune import label_table, tune_thresholds

        n = len(_texts(X))
        ft, linear = self._components()
        self.multi_label_ = isinstance(y, pd.DataFrame) or np.ndim(y) == 2
        if not self.multi_label_:
            self.finetuned_ = ft.fit(X, y)
            self.linear_ = linear.set_params(multi_label=False).fit(X, np.asarray(y).astype(str))
            self.classes_ = self.finetuned_.classes_
            return self
        Y = label_table(y, n)
        linear.set_params(multi_label=True)
        self.finetuned_ = ft.fit(X, Y)
        self.classes_ = self.finetuned_.classes_
        held = self.finetuned_.validation_index_
        self.thresholds_ = pd.Series(0.5, index=Y.columns)
        if len(held):
            rest = np.setdiff1d(np.arange(n), held)
            L = clone(linear).fit(_rows(X, rest), Y.iloc[rest].reset_index(drop=True)).predict_proba(_rows(X, held))
            P = blend(self.finetuned_.validation_proba_, L, self.finetuned_weight)
            Y_held = Y.iloc[held].reset_index(drop=True)
            self.thresholds_ = tune_thresholds(Y_held, P, self.min_support)
            pred = (P >= self.thresholds_[P.columns]).astype(int).reset_index(drop=True)
            self.cv_report_, self.cv_micro_ = _report(Y_held, pred), _micro(Y_held, pred)
        self.linear_ = linear.fit(X, Y)
        if not len(held) and hasattr(self.linear_, "cv_report_"):  # no slice to judge on: the linear model's figures
            self.cv_report_, self.cv_micro_ = self.linear_.cv_report_, self.linear_.cv_micro_
        return self

    def predict_proba(self, X) -> pd.DataFrame:
        """The averaged probabilities, one column per class or code (``classes_``), aligned to the input."""
        self._check_fitted()
        return blend(self.finetuned_.predict_proba(X), self.linear_.predict_proba(X), self.finetuned_weight)

    def predict(self, X) -> pd.Series | pd.DataFrame:
        """Multi-label: a 0/1 DataFrame (each code at its threshold). Single-label: a Series of labels."""
        P = self.predict_proba(X)
        if self.multi_label_:
            return (P >= self.thresholds_[P.columns]).astype(int)
        return pd.Series(np.asarray(self.classes_)[P.to_numpy().argmax(axis=1)], index=P.index, name="label")
