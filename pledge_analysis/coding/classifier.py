"""The theme classifier: lexical and semantic features, per-label thresholds, active learning.

:class:`TextFeatures` turns texts into TF-IDF word and character n-grams side by side with
sentence embeddings (:func:`pledge_analysis.coding.embeddings.embed`); TF-IDF is strong on
frequent themes, embeddings on rare ones, and together they beat either.

:class:`ThemeClassifier` is a scikit-learn estimator. ``fit(X, y)`` takes texts (a list, a Series
or a DataFrame with ``text``) and either a DataFrame of 0/1 columns, one per code (multi-label:
``predict`` returns a 0/1 DataFrame with the same columns), or one label per text (single-label:
``predict`` returns a Series of labels), each aligned to the input's index; ``predict_proba``
returns the probabilities (one column per class) and ``score`` the accuracy (for multi-label,
the share of texts whose whole label set is right, as scikit-learn's). Parameters are checked
when ``fit`` starts (:class:`~pledge_analysis.errors.ConfigError`); an unfitted model raises
:class:`~pledge_analysis.errors.NotFittedError`; ``save(path)`` / ``ThemeClassifier.load(path)``
keep a fitted model (:mod:`pledge_analysis.coding.estimator`). Multi-label: one logistic regression per code, each with
its own decision threshold tuned by cross-validation to maximise F1 (codes with fewer than
``min_support`` examples keep 0.5); the probabilities are those of an unweighted logistic
regression, which are well calibrated per code. ``cv_report_`` holds precision, recall, F1 and
support per code from the cross-validated predictions (``cv_micro_``: their micro average; the
thresholds are tuned on the same out-of-fold scores, so both are slightly optimistic). Single-label (``multi_label=False``, or
the default ``"auto"`` with one label per text): one
multinomial model picks one code per text; its scores are temperature-scaled on the
cross-validated predictions (``temperature_``), since a weakly regularised multinomial model is
overconfident (real feedback: 0.83 mean confidence at 0.74 accuracy before scaling).

:func:`suggest_for_review` proposes the next segments a researcher should look at (the model's
least certain decisions, rare codes first) as ``codings`` rows with ``method="model"`` and
``status="suggested"``, so they appear in the review queue.
"""
from __future__ import annotations

import os
from numbers import Integral, Real
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, Options, StrOptions

from .. import schema
from .estimator import ModelContract

_EMBEDDINGS = [StrOptions({"minilm", "static"}), None]
_CACHE = [str, os.PathLike, None]


def _texts(X) -> list[str]:
    """The texts of ``X``: a DataFrame's ``text`` column, or the items of a list or Series."""
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            from ..errors import MissingColumnError

            raise MissingColumnError("the texts table has no 'text' column", column="text",
                                     hint=f"Pass a DataFrame with a 'text' column (it has {list(X.columns)[:8]}), "
                                          "or a list of texts.")
        X = X["text"]
    elif isinstance(X, (str, bytes)) or not hasattr(X, "__iter__"):
        from ..errors import InputError

        raise InputError(f"expected a list of texts, got {type(X).__name__}",
                         hint="Pass a list, a Series, or a DataFrame with a 'text' column (one text: [text]).")
    return ["" if t is None or t is pd.NA or (isinstance(t, float) and t != t) else str(t) for t in X]


def _index(X, n: int) -> pd.Index:
    """The index predictions are aligned to: the input's (DataFrame or Series), else 0..n-1."""
    return X.index if isinstance(X, (pd.DataFrame, pd.Series)) else pd.RangeIndex(n)


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


class TextFeatures(ModelContract, TransformerMixin, BaseEstimator):
    """TF-IDF (words 1-2, characters 2-5 within words) and sentence embeddings, side by side.

    ``raw_chars=True`` takes the character n-grams (1-5) from the raw text instead: letter case and
    the n-grams across words (punctuation, the next word's start) are kept; runs of white space still
    count as one space, and words stay lower-cased. How a source writes then
    counts as a feature too. On real NHS feedback (pxtextmining phase 1, validation rows) it raised
    text-only 3-class sentiment from 0.830 to 0.854 accuracy (``SentimentClassifier(method="trained")``).
    Case is what helps (words + raw n-grams with TF-IDF + LR: 0.810 lower-cased, 0.839 cased), much of
    it from one trust's transcription mark, a capital ``I`` for ``i`` in 35% of its comments (undoing
    the mark: 0.821), and that trust alone labels comments neutral: a feature of the source, which
    will not transfer to another.

    ``transform`` returns a sparse matrix whose columns ``get_feature_names_out()`` names:
    ``words__<term>``, ``chars__<n-gram>``, then ``<model>__<i>`` for the embedding dimensions.
    Embeddings are kept in memory for the process, and on disk only in ``cache_dir`` (or
    ``$PLEDGE_CACHE_DIR``) when given (:func:`pledge_analysis.coding.embeddings.embed`).

    With ``embedding_model="static"``, ``fit`` keeps the distilled model2vec model in
    ``static_model_`` and ``transform`` encodes with it directly (no cache: a static model is cheaper
    than a cache look-up). A saved classifier carries that model, so ``pledge-analysis code --model``
    loads it once per worker and distils nothing (distilling took 135 s of CPU here).
    """

    _fitted_attribute = "words_"
    _parameter_constraints = {"embedding_model": _EMBEDDINGS, "embedding_weight": [Interval(Real, 0, None, closed="left")],
                              "max_features": [Interval(Integral, 1, None, closed="left")],
                              "min_df": [Interval(Integral, 1, None, closed="left")], "cache_dir": _CACHE,
                              "raw_chars": ["boolean"]}

    def __init__(self, *, embedding_model: str | None = "minilm", embedding_weight: float = 1.0,
                 max_features: int = 100_000, min_df: int = 2, cache_dir: str | os.PathLike | None = None,
                 raw_chars: bool = False):
        self.embedding_model = embedding_model
        self.embedding_weight = embedding_weight
        self.max_features = max_features
        self.min_df = min_df
        self.cache_dir = cache_dir
        self.raw_chars = raw_chars

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = _texts(X)
        if not texts:
            from ..errors import EmptyInputError

            raise EmptyInputError("no texts to learn from", hint="Pass at least a few texts.")
        # with fewer texts than min_df no term could pass: keep every term instead of failing
        min_df = self.min_df if len(texts) >= 2 * self.min_df else 1
        self.words_ = TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True, strip_accents="unicode",
                                      max_features=self.max_features).fit(texts)
        chars = dict(analyzer="char", ngram_range=(1, 5), lowercase=False) if self.raw_chars else \
            dict(analyzer="char_wb", ngram_range=(2, 5))
        self.chars_ = TfidfVectorizer(min_df=min_df, sublinear_tf=True, max_features=self.max_features,
                                      **chars).fit(texts)
        if self.embedding_model == "static":
            from .embeddings import cache_dir, load_model

            self.static_model_ = load_model("static", cache_dir(self.cache_dir))
        return self

    def transform(self, X):
        self._check_fitted()
        texts = _texts(X)
        parts = [self.words_.transform(texts), self.chars_.transform(texts)]
        static = getattr(self, "static_model_", None) if self.embedding_model == "static" else None
        if static is not None:  # the model it was fitted with (a file saved before static_model_ existed: embed)
            from .embeddings import encode_static

            parts.append(sparse.csr_matrix(self.embedding_weight * encode_static(static, texts)))
        elif self.embedding_model:
            from .embeddings import embed

            vectors = embed(texts, self.embedding_model, cache_dir=self.cache_dir)
            parts.append(sparse.csr_matrix(self.embedding_weight * vectors))
        return sparse.hstack(parts, format="csr")

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The name of every column ``transform`` returns, in order (an object array of str)."""
        from .embeddings import DIMENSIONS

        self._check_fitted()
        names = [f"words__{t}" for t in self.words_.get_feature_names_out()]
        names += [f"chars__{t}" for t in self.chars_.get_feature_names_out()]
        if self.embedding_model:
            static = getattr(self, "static_model_", None) if self.embedding_model == "static" else None
            dims = DIMENSIONS[self.embedding_model] if static is None else static.embedding.shape[1]
            names += [f"{self.embedding_model}__{i}" for i in range(dims)]
        return np.asarray(names, dtype=object)


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


def _micro(Y: pd.DataFrame, P: pd.DataFrame) -> dict:
    """Micro-averaged precision, recall and F1 over every (text, label) pair of 0/1 tables."""
    y, p = Y.to_numpy(), P.to_numpy()
    tp, n_pred, n_true = int(((p == 1) & (y == 1)).sum()), int(p.sum()), int(y.sum())
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_true if n_true else 0.0
    return {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
            "support": n_true}


class ThemeClassifier(ModelContract, ClassifierMixin, BaseEstimator):
    """Theme classifier, multi-label or single-label (scikit-learn estimator; see the module docstring).

    ``multi_label="auto"`` (default) follows ``y``: a DataFrame of 0/1 columns is multi-label, one
    label per text single-label. ``cv`` is the number of folds for the thresholds, the report and
    the temperature (0 or None: no cross-validation). ``cache_dir``: where embeddings are kept on
    disk (none by default; see :class:`TextFeatures`). ``min_df``: a TF-IDF term must occur in at least
    this many texts. ``class_weight="balanced"``: each class (or each code's 0 and 1) weighted by the
    inverse of its frequency (scikit-learn's), which raises recall on rare codes; the default ``None``
    keeps the probabilities calibrated.
    """

    _classes_are_codes = True
    _parameter_constraints = {
        "embedding_model": _EMBEDDINGS, "embedding_weight": [Interval(Real, 0, None, closed="left")],
        "C": [Interval(Real, 0, None, closed="neither")], "multi_label": ["boolean", StrOptions({"auto"})],
        "tune_thresholds": ["boolean"], "cv": [Interval(Integral, 2, None, closed="left"), Options(Integral, {0}), None],
        "min_support": [Interval(Integral, 1, None, closed="left")], "random_state": ["random_state"],
        "max_iter": [Interval(Integral, 1, None, closed="left")], "cache_dir": _CACHE,
        "min_df": [Interval(Integral, 1, None, closed="left")], "class_weight": [StrOptions({"balanced"}), None]}

    def __init__(self, *, embedding_model: str | None = "minilm", embedding_weight: float = 1.0, C: float = 8.0,
                 multi_label: bool | str = "auto", tune_thresholds: bool = True, cv: int | None = 3,
                 min_support: int = 5, random_state: int | None = 0, max_iter: int = 2000,
                 cache_dir: str | os.PathLike | None = None, min_df: int = 2, class_weight: str | None = None):
        self.embedding_model = embedding_model
        self.embedding_weight = embedding_weight
        self.C = C
        self.multi_label = multi_label
        self.tune_thresholds = tune_thresholds
        self.cv = cv
        self.min_support = min_support
        self.random_state = random_state
        self.max_iter = max_iter
        self.cache_dir = cache_dir
        self.min_df = min_df
        self.class_weight = class_weight

    def _lr(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, max_iter=self.max_iter, solver="liblinear" if self.multi_label_ else "lbfgs",
                                  random_state=self.random_state, class_weight=self.class_weight)

    def _targets(self, y, n: int) -> tuple[pd.DataFrame, np.ndarray | None]:
        """0/1 columns, one per class, and (single-label) each text's class index."""
        from ..errors import InputError

        if y is None:
            raise InputError("no labels given", hint="Call fit(X, y) with y a DataFrame of 0/1 columns, one per "
                                                     "code, or one label per text.")
        two_d = isinstance(y, pd.DataFrame) or np.ndim(y) == 2
        self.multi_label_ = two_d if self.multi_label == "auto" else bool(self.multi_label)
        if two_d:
            Y = pd.DataFrame(y) if not isinstance(y, pd.DataFrame) else y
            if len(Y) != n:
                raise InputError(f"{n} texts but {len(Y)} label rows", hint="Pass one label row per text.")
            values = Y.to_numpy()
            if Y.shape[1] == 0 or pd.isna(values).any() or not np.isin(values, (0, 1)).all():
                raise InputError("the label table must have at least one column, with only 0 and 1 in it",
                                 hint="Pass a DataFrame with one 0/1 column per code (no missing values).")
            Y = Y.astype(int).reset_index(drop=True)
            self.classes_ = np.array(Y.columns)
            if self.multi_label_:
                return Y, None
            empty = np.flatnonzero(Y.sum(axis=1).to_numpy() == 0)
            if len(empty):
                raise InputError(f"{len(empty)} texts have no label (the first is row {empty[0]}), and a single-label "
                                 "model must give each text one", hint="Drop them, or use multi_label=True.")
            return Y, Y.to_numpy().argmax(axis=1)
        labels = pd.Series(np.asarray(y, dtype=object) if np.ndim(y) == 1 else y)
        if len(labels) != n:
            raise InputError(f"{n} texts but {len(labels)} labels", hint="Pass one label per text.")
        if labels.isna().any():
            first = int(np.flatnonzero(labels.isna().to_numpy())[0])
            raise InputError(f"{int(labels.isna().sum())} labels are missing (the first is row {first})",
                             hint="Drop those texts, or give them a label.")
        self.classes_, index = np.unique(np.asarray(y), return_inverse=True)
        Y = pd.DataFrame(np.eye(len(self.classes_), dtype=int)[index], columns=self.classes_)
        if len(self.classes_) < 2 and not self.multi_label_:
            raise InputError(f"only one class ({self.classes_[0]!r}) in the labels",
                             hint="A classifier needs at least two classes to learn from.")
        return Y, (None if self.multi_label_ else index)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, **kwargs):
        """Learn from texts ``X`` and labels ``y`` (see the class docstring); returns ``self``.

        ``fit(X, labels=...)``, the old keyword, still works and warns (``FutureWarning``).
        """
        from sklearn.model_selection import KFold, StratifiedKFold

        if "labels" in kwargs:
            import warnings

            warnings.warn("ThemeClassifier.fit(X, labels=...) is deprecated: pass fit(X, y=...) (scikit-learn's "
                          "name).", FutureWarning, stacklevel=3)
            y = kwargs.pop("labels") if y is None else y
        if kwargs:
            raise TypeError(f"ThemeClassifier.fit() got unexpected arguments {sorted(kwargs)}")
        texts = _texts(X)
        Y, single = self._targets(y, len(texts))
        self.features_ = TextFeatures(embedding_model=self.embedding_model, embedding_weight=self.embedding_weight,
                                      min_df=self.min_df, cache_dir=self.cache_dir).fit(texts)
        F = self.features_.transform(texts)
        self.thresholds_ = pd.Series(0.5, index=Y.columns)
        cv = self.cv or 0
        if self.multi_label_:
            oof = pd.DataFrame(0.0, index=Y.index, columns=Y.columns)
            if cv > 1 and len(texts) >= 2 * cv:
                for train, test in KFold(cv, shuffle=True, random_state=self.random_state).split(F):
                    for c in Y.columns:
                        y_c = Y[c].to_numpy()[train]
                        if y_c.min() == y_c.max():
                            oof.iloc[test, Y.columns.get_loc(c)] = float(y_c[0])
                            continue
                        oof.iloc[test, Y.columns.get_loc(c)] = self._lr().fit(F[train], y_c).predict_proba(F[test])[:, 1]
                if self.tune_thresholds:
                    for c in Y.columns:
                        if Y[c].sum() >= self.min_support:
                            self.thresholds_[c] = _best_threshold(Y[c].to_numpy(), oof[c].to_numpy())
                pred = (oof >= self.thresholds_).astype(int)
                self.cv_report_ = _report(Y, pred)
                self.cv_micro_ = _micro(Y, pred)
            self.models_ = {}
            for c in Y.columns:
                y_c = Y[c].to_numpy()
                self.models_[c] = float(y_c[0]) if y_c.min() == y_c.max() else self._lr().fit(F, y_c)
        else:
            self.temperature_ = 1.0
            if cv > 1:
                from sklearn.model_selection import cross_val_predict

                folds = StratifiedKFold(cv, shuffle=True, random_state=self.random_state)
                counts = np.bincount(single)
                if counts[counts > 0].min() >= cv:
                    Z = _two_d(cross_val_predict(self._lr(), F, single, cv=folds, method="decision_function"))
                    present = np.flatnonzero(counts)  # the columns of Z, in order
                    pred = present[Z.argmax(axis=1)]
                    self.cv_report_ = _report(Y, pd.DataFrame(np.eye(Y.shape[1], dtype=int)[pred], columns=Y.columns))
                    self.temperature_ = _temperature(Z, np.searchsorted(present, single))
            self.model_ = self._lr().fit(F, single)
        return self

    def predict_proba(self, X) -> pd.DataFrame:
        """Probabilities, one column per class (``classes_``), aligned to the input's index."""
        self._check_fitted()
        F = self.features_.transform(_texts(X))
        index = _index(X, F.shape[0])
        if self.multi_label_:
            cols = {c: (np.full(F.shape[0], m) if isinstance(m, float) else m.predict_proba(F)[:, 1])
                    for c, m in self.models_.items()}
            return pd.DataFrame(cols, index=index)[list(self.classes_)]
        from scipy.special import softmax

        proba = np.zeros((F.shape[0], len(self.classes_)))
        proba[:, self.model_.classes_] = softmax(_two_d(self.model_.decision_function(F)) / self.temperature_, axis=1)
        return pd.DataFrame(proba, index=index, columns=self.classes_)

    def predict(self, X) -> pd.DataFrame | pd.Series:
        """Multi-label: a 0/1 DataFrame (one column per class, each at its threshold). Single-label:
        a Series with the most probable class of each text. Both aligned to the input's index."""
        P = self.predict_proba(X)
        if self.multi_label_:
            return (P >= self.thresholds_[P.columns]).astype(int)
        return pd.Series(self.classes_[P.to_numpy().argmax(axis=1)], index=P.index, name="label")

    def predict_top(self, X) -> pd.Series:
        """The most probable code per text (in multi-label use too)."""
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


def model_codings(model: ThemeClassifier, segments: pd.DataFrame, *, coder: str = "model") -> pd.DataFrame:
    """Every predicted (segment, code) as a suggested ``codings`` row with its probability (``coder`` names
    who made it: ``pledge-analysis run`` uses :data:`pledge_analysis.machine_coding.RUN_CODER`)."""
    segs = segments[segments["role"].fillna("participant") != "facilitator"] if "role" in segments.columns else segments
    P = model.predict_proba(segs.reset_index(drop=True)[["text"]])
    thresholds = getattr(model, "thresholds_", None)  # a single-label ensemble has none: 0.5, as a single-label ThemeClassifier
    thresholds = pd.Series(0.5, index=P.columns) if thresholds is None else thresholds
    hits = (P >= thresholds[P.columns]).to_numpy()
    r, c = np.nonzero(hits)
    out = pd.DataFrame({"segment_id": segs["segment_id"].to_numpy()[r], "code_id": P.columns[c], "coder": coder,
                        "method": "model", "confidence": P.to_numpy()[r, c].round(4), "start": None, "end": None,
                        "status": "suggested", "created_at": None, "memo": None, "evidence": None, "negated": None})
    return schema.conform(out, "codings")
