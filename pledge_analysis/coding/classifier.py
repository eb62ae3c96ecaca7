"""The theme classifier: lexical and semantic features, per-label thresholds, active learning.

:class:`TextFeatures` turns texts into TF-IDF word and character n-grams side by side with
sentence embeddings (:func:`pledge_analysis.coding.embeddings.embed`); TF-IDF is strong on
frequent themes, embeddings on rare ones, and together they beat either.

:class:`ThemeClassifier` is a scikit-learn estimator. ``fit(texts, labels)`` takes a DataFrame
of 0/1 columns (one per code); ``predict`` returns a 0/1 DataFrame with the same columns and
``predict_proba`` the probabilities. Multi-label: one logistic regression per code, each with
its own decision threshold tuned by cross-validation to maximise F1 (codes with fewer than
``min_support`` examples keep 0.5); the probabilities are those of an unweighted logistic
regression, which are well calibrated per code. ``cv_report_`` holds precision, recall, F1 and
support per code from the cross-validated predictions. With ``multi_label=False`` one
multinomial model picks one code per text; its scores are temperature-scaled on the
cross-validated predictions (``temperature_``), since a weakly regularised multinomial model is
overconfident (real feedback: 0.83 mean confidence at 0.74 accuracy before scaling).

:func:`suggest_for_review` proposes the next segments a researcher should look at (the model's
least certain decisions, rare codes first) as ``codings`` rows with ``method="model"`` and
``status="suggested"``, so they appear in the review queue.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .. import schema


def _texts(X) -> list[str]:
    if isinstance(X, pd.DataFrame):
        X = X["text"]
    return ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in X]


def question_categories(questions) -> list[str]:
    """The distinct question ids a model learns from (missing ones left out), sorted."""
    return sorted({q for q in questions if isinstance(q, str)})


def question_onehot(questions, categories: Sequence[str], weight: float = 1.0) -> np.ndarray:
    """One row per text, one column per known question; unknown or missing questions are all zeros."""
    out = np.zeros((len(questions), len(categories)), dtype=np.float32)
    pos = {c: i for i, c in enumerate(categories)}
    for row, q in enumerate(questions):
        if q in pos:
            out[row, pos[q]] = weight
    return out


class TextFeatures(TransformerMixin, BaseEstimator):
    """TF-IDF (words 1-2, characters 2-5 within words) and sentence embeddings, side by side."""

    def __init__(self, *, embedding_model: str | None = "minilm", embedding_weight: float = 1.0,
                 max_features: int = 100_000, min_df: int = 2):
        self.embedding_model = embedding_model
        self.embedding_weight = embedding_weight
        self.max_features = max_features
        self.min_df = min_df

    def fit(self, X, y=None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = _texts(X)
        self.words_ = TfidfVectorizer(ngram_range=(1, 2), min_df=self.min_df, sublinear_tf=True, strip_accents="unicode",
                                      max_features=self.max_features).fit(texts)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=self.min_df, sublinear_tf=True,
                                      max_features=self.max_features).fit(texts)
        return self

    def transform(self, X):
        check_is_fitted(self, "words_")
        texts = _texts(X)
        parts = [self.words_.transform(texts), self.chars_.transform(texts)]
        if self.embedding_model:
            from .embeddings import embed

            parts.append(sparse.csr_matrix(self.embedding_weight * embed(texts, self.embedding_model)))
        return sparse.hstack(parts, format="csr")


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    best, best_f = 0.5, -1.0
    for t in np.arange(0.05, 0.951, 0.025):
        pred = p >= t
        tp = np.sum(pred & (y == 1))
        f = 2 * tp / (pred.sum() + y.sum()) if (pred.sum() + y.sum()) else 0.0
        if f > best_f + 1e-12:
            best, best_f = float(t), f
    return best


def _two_d(z: np.ndarray) -> np.ndarray:
    """Class scores as columns; a binary model's single score z becomes [0, z] (softmax = sigmoid)."""
    return np.column_stack([np.zeros_like(z), z]) if z.ndim == 1 else z


def _temperature(Z: np.ndarray, y: np.ndarray) -> float:
    """Temperature scaling (Guo et al. 2017): the T that minimises the log loss of softmax(Z / T)
    on out-of-fold scores. Keeps every prediction. T >= 1: it only softens, since on a small,
    easily separated training set the out-of-fold fit would sharpen every probability to 1."""
    from scipy.optimize import minimize_scalar
    from scipy.special import softmax

    def loss(log_t: float) -> float:
        P = softmax(Z / np.exp(log_t), axis=1)
        return -np.log(np.clip(P[np.arange(len(y)), y], 1e-12, None)).mean()

    best = minimize_scalar(loss, bounds=(0.0, 3.0), method="bounded")
    return float(np.exp(best.x)) if best.fun < loss(0.0) else 1.0


def _report(Y: pd.DataFrame, P: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for c in Y.columns:
        y, p = Y[c].to_numpy(), P[c].to_numpy()
        tp = int(np.sum((p == 1) & (y == 1)))
        prec = tp / p.sum() if p.sum() else 0.0
        rec = tp / y.sum() if y.sum() else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows.append({"label": c, "precision": prec, "recall": rec, "f1": f1, "support": int(y.sum())})
    return pd.DataFrame(rows)


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label theme classifier (scikit-learn estimator; see the module docstring)."""

    def __init__(self, *, embedding_model: str | None = "minilm", embedding_weight: float = 1.0, C: float = 8.0,
                 multi_label: bool = True, tune_thresholds: bool = True, cv: int = 3, min_support: int = 5,
                 random_state: int = 0, max_iter: int = 2000):
        self.embedding_model = embedding_model
        self.embedding_weight = embedding_weight
        self.C = C
        self.multi_label = multi_label
        self.tune_thresholds = tune_thresholds
        self.cv = cv
        self.min_support = min_support
        self.random_state = random_state
        self.max_iter = max_iter

    def _lr(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, max_iter=self.max_iter, solver="liblinear" if self.multi_label else "lbfgs",
                                  random_state=self.random_state)

    def _labels(self, labels) -> pd.DataFrame:
        if isinstance(labels, pd.DataFrame):
            Y = labels.astype(int)
        else:
            y = pd.Series(np.asarray(labels)).astype(str)
            Y = pd.get_dummies(y, dtype=int)
        if Y.shape[1] == 0:
            from ..errors import InputError

            raise InputError("no labels to learn from", hint="Pass a DataFrame with one 0/1 column per code.")
        return Y

    def fit(self, X, labels):
        from sklearn.model_selection import KFold, StratifiedKFold

        texts = _texts(X)
        Y = self._labels(labels)
        if len(texts) != len(Y):
            from ..errors import InputError

            raise InputError(f"{len(texts)} texts but {len(Y)} label rows", hint="Pass one label row per text.")
        self.classes_ = np.array(Y.columns)
        self.features_ = TextFeatures(embedding_model=self.embedding_model,
                                      embedding_weight=self.embedding_weight).fit(texts)
        F = self.features_.transform(texts)
        self.thresholds_ = pd.Series(0.5, index=Y.columns)
        if self.multi_label:
            oof = pd.DataFrame(0.0, index=Y.index, columns=Y.columns)
            if self.cv and self.cv > 1 and len(texts) >= 2 * self.cv:
                for train, test in KFold(self.cv, shuffle=True, random_state=self.random_state).split(F):
                    for c in Y.columns:
                        y = Y[c].to_numpy()[train]
                        if y.min() == y.max():
                            oof.iloc[test, Y.columns.get_loc(c)] = float(y[0])
                            continue
                        oof.iloc[test, Y.columns.get_loc(c)] = self._lr().fit(F[train], y).predict_proba(F[test])[:, 1]
                if self.tune_thresholds:
                    for c in Y.columns:
                        if Y[c].sum() >= self.min_support:
                            self.thresholds_[c] = _best_threshold(Y[c].to_numpy(), oof[c].to_numpy())
                self.cv_report_ = _report(Y, (oof >= self.thresholds_).astype(int))
            self.models_ = {}
            for c in Y.columns:
                y = Y[c].to_numpy()
                self.models_[c] = float(y[0]) if y.min() == y.max() else self._lr().fit(F, y)
        else:
            y = Y.to_numpy().argmax(axis=1)
            self.temperature_ = 1.0
            if self.cv and self.cv > 1:
                from sklearn.model_selection import cross_val_predict

                folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
                counts = np.bincount(y)
                if counts[counts > 0].min() >= self.cv:
                    Z = _two_d(cross_val_predict(self._lr(), F, y, cv=folds, method="decision_function"))
                    present = np.flatnonzero(counts)  # the columns of Z, in order
                    pred = present[Z.argmax(axis=1)]
                    self.cv_report_ = _report(Y, pd.DataFrame(np.eye(Y.shape[1], dtype=int)[pred], columns=Y.columns))
                    self.temperature_ = _temperature(Z, np.searchsorted(present, y))
            self.model_ = self._lr().fit(F, y)
        return self

    def predict_proba(self, X) -> pd.DataFrame:
        check_is_fitted(self, "classes_")
        F = self.features_.transform(_texts(X))
        index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(F.shape[0])
        if self.multi_label:
            cols = {c: (np.full(F.shape[0], m) if isinstance(m, float) else m.predict_proba(F)[:, 1])
                    for c, m in self.models_.items()}
            return pd.DataFrame(cols, index=index)[list(self.classes_)]
        from scipy.special import softmax

        proba = np.zeros((F.shape[0], len(self.classes_)))
        proba[:, self.model_.classes_] = softmax(_two_d(self.model_.decision_function(F)) / self.temperature_, axis=1)
        return pd.DataFrame(proba, index=index, columns=self.classes_)

    def predict(self, X) -> pd.DataFrame:
        P = self.predict_proba(X)
        if self.multi_label:
            return (P >= self.thresholds_[P.columns]).astype(int)
        return pd.DataFrame(np.eye(len(self.classes_), dtype=int)[P.to_numpy().argmax(axis=1)], index=P.index,
                            columns=P.columns)

    def predict_top(self, X) -> pd.Series:
        """The most probable code per text (single-label use)."""
        P = self.predict_proba(X)
        return P.idxmax(axis=1)


def training_data(codings: pd.DataFrame, segments: pd.DataFrame, codebook: pd.DataFrame | None = None, *,
                  level: str = "theme", statuses: Sequence[str] = ("accepted",)) -> tuple[list[str], pd.DataFrame]:
    """Texts and 0/1 labels from a project's reviewed codings (default: accepted ones), per theme or code.

    Segments a reviewer saw (any decision) but did not accept for a code count as 0 for it.
    """
    from .codebook import theme_of

    reviewed = codings[codings["method"] == "manual"] if "method" in codings.columns else codings
    c = reviewed[reviewed["status"].isin(statuses)]
    if level == "theme" and codebook is not None:
        c = c.assign(code_id=c["code_id"].map(theme_of(codebook)))
    seg_ids = sorted(set(reviewed["segment_id"]))
    Y = pd.crosstab(c["segment_id"], c["code_id"]).clip(upper=1).reindex(seg_ids, fill_value=0)
    text = segments.set_index("segment_id")["text"]
    return [text[s] for s in seg_ids], Y.reset_index(drop=True)


def suggest_for_review(model: ThemeClassifier, segments: pd.DataFrame, *, n: int = 50,
                       exclude: Sequence[str] = (), rare_boost: float = 1.0) -> pd.DataFrame:
    """The next ``n`` (segment, code) decisions to review: closest to the code's threshold first,
    rare codes boosted; returned as ``codings`` rows (``method="model"``, ``status="suggested"``)."""
    segs = segments[~segments["segment_id"].isin(set(exclude))]
    if "role" in segs.columns:
        segs = segs[segs["role"].fillna("participant") != "facilitator"]
    P = model.predict_proba(segs.reset_index(drop=True)[["text"]])
    thresholds = model.thresholds_[P.columns].to_numpy()
    margin = np.abs(P.to_numpy() - thresholds)
    support = (model.cv_report_.set_index("label")["support"].reindex(P.columns).fillna(0).to_numpy()
               if hasattr(model, "cv_report_") else np.ones(P.shape[1]))
    rarity = 1 + rare_boost * (1 - support / max(support.max(), 1))
    score = margin / rarity
    flat = np.argsort(score, axis=None, kind="stable")[:n]
    rows, cols = np.unravel_index(flat, score.shape)
    ids = segs["segment_id"].to_numpy()
    out = pd.DataFrame({"segment_id": ids[rows], "code_id": P.columns[cols], "coder": "model", "method": "model",
                        "confidence": P.to_numpy()[rows, cols].round(4), "start": None, "end": None,
                        "status": "suggested", "created_at": None, "memo": None,
                        "evidence": [f"p={p:.2f}, threshold {t:.2f}" for p, t in zip(P.to_numpy()[rows, cols],
                                                                                      thresholds[cols])],
                        "negated": None})
    return schema.conform(out, "codings")


def model_codings(model: ThemeClassifier, segments: pd.DataFrame) -> pd.DataFrame:
    """Every predicted (segment, code) as a suggested ``codings`` row with its probability."""
    segs = segments[segments["role"].fillna("participant") != "facilitator"] if "role" in segments.columns else segments
    P = model.predict_proba(segs.reset_index(drop=True)[["text"]])
    hits = (P >= model.thresholds_[P.columns]).to_numpy()
    r, c = np.nonzero(hits)
    out = pd.DataFrame({"segment_id": segs["segment_id"].to_numpy()[r], "code_id": P.columns[c], "coder": "model",
                        "method": "model", "confidence": P.to_numpy()[r, c].round(4), "start": None, "end": None,
                        "status": "suggested", "created_at": None, "memo": None, "evidence": None, "negated": None})
    return schema.conform(out, "codings")
