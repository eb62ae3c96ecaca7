"""Fine-tuning the installed all-MiniLM-L6-v2 as a text classifier, on the CPU, offline.

:class:`FineTunedClassifier` adds a linear head to the mean-pooled MiniLM encoder and trains the
whole network with AdamW (warm-up then linear decay). Batches group texts of similar length, so
little time is spent on padding: two epochs over 8,000 short comments take about 4 minutes on 2
cores. Seeded (``random_state``), so a re-run on the same machine gives the same model.

When ``X`` is a DataFrame with a ``question_id`` column, the question a comment answers is one-hot
encoded and adds a learned shift to each class's logit (as pxtextmining's models take the question
type): "What could be improved?" and "What was good?" change what a neutral-sounding answer means.
Questions not seen in training count as unknown (all zeros).

Multi-label: when ``y`` is a DataFrame of 0/1 columns, one per code (as
:class:`~pledge_analysis.coding.classifier.ThemeClassifier` takes), the head gives one sigmoid per code
and is trained with binary cross-entropy (each code's bias starts at the log-odds of its share).
Each code's decision threshold (``thresholds_``) is tuned to maximise its F1 on a held-out slice of
the training rows (``threshold_fraction``, chosen by :func:`holdout_split`; ``validation_index_``
names them): the network is trained on the other rows only, since scores on rows it learned from
are too confident to set a threshold with. Codes with fewer than ``min_support`` positives in the
slice, or ``threshold_fraction=0``, keep 0.5. ``predict`` then returns a 0/1 DataFrame with the same
columns, ``predict_proba`` each code's probability (rows need not sum to 1).
"""
from __future__ import annotations

from functools import lru_cache
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval

from .estimator import ModelContract


#: Learning rate of the per-question logit shifts (the encoder's is ``learning_rate``).
CONTEXT_LEARNING_RATE = 1e-2


@lru_cache(maxsize=1)
def _network_class():
    """The network: the MiniLM encoder, mean pooling, a linear head, and a learned shift of the class
    logits per question (none without questions). Built on first use (torch is imported lazily) and
    reachable as this module's ``MiniLMClassifierNet``, so a fitted model pickles (``save``/``load``)."""
    import torch

    class MiniLMClassifierNet(torch.nn.Module):
        def __init__(self, encoder, n_classes: int, n_contexts: int):
            super().__init__()
            self.encoder = encoder
            self.head = torch.nn.Linear(encoder.config.hidden_size, n_classes)
            self.context = torch.nn.Linear(n_contexts, n_classes, bias=False) if n_contexts else None

        def forward(self, context, **batch):
            hidden = self.encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            logits = self.head((hidden * mask).sum(1) / mask.sum(1))
            return logits if self.context is None else logits + self.context(context)

    MiniLMClassifierNet.__module__, MiniLMClassifierNet.__qualname__ = __name__, "MiniLMClassifierNet"
    return MiniLMClassifierNet


def __getattr__(name: str):
    if name == "MiniLMClassifierNet":  # where pickle looks the network's class up
        return _network_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _class_shift(context: np.ndarray, onehot: np.ndarray) -> np.ndarray:
    """Per question (rows) and class: log share of the class among the question's texts minus overall."""
    counts = context.T @ onehot + 1.0
    return np.log(counts / counts.sum(1, keepdims=True)) - np.log(counts.sum(0) / counts.sum())


def _code_shift(context: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Per question (rows) and code: the code's log-odds among the question's texts minus overall."""
    pos, n = context.T @ Y + 0.5, context.sum(0)[:, None] + 1.0
    overall = (Y.sum(0) + 0.5) / (len(Y) + 1.0)
    return np.log(pos / (n - pos)) - np.log(overall / (1 - overall))


def holdout_split(n: int, fraction: float, random_state: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(train, held_out)`` of ``n`` rows: a seeded random ``fraction`` held out (none when
    ``fraction`` is 0 or fewer than 2 rows would be held out); both sorted."""
    k = int(round(fraction * n))
    if fraction <= 0 or k < 2 or k >= n:
        return np.arange(n), np.array([], dtype=int)
    held = np.sort(np.random.default_rng(random_state).permutation(n)[:k])
    return np.setdiff1d(np.arange(n), held), held


def label_table(y, n: int) -> pd.DataFrame:
    """``y`` as a 0/1 table of ``n`` rows and at least two codes, each with a positive; else :class:`InputError`."""
    from ..errors import InputError

    Y = y if isinstance(y, pd.DataFrame) else pd.DataFrame(np.asarray(y))
    if len(Y) != n:
        raise InputError(f"{n} texts but {len(Y)} label rows", hint="Pass one row of 0/1 labels per text.")
    if Y.shape[1] < 2:
        raise InputError(f"the label table has {Y.shape[1]} column(s); a multi-label model needs at least two codes",
                         hint="Pass one 0/1 column per code, or one label per text for a single-label model.")
    values = Y.to_numpy()
    if pd.isna(values).any() or not np.isin(values, (0, 1)).all():
        bad = [c for c in Y.columns if Y[c].isna().any() or not Y[c].isin((0, 1)).all()]
        raise InputError("the label table must hold only 0 and 1", column=str(bad[0]),
                         hint="Pass a DataFrame with one 0/1 column per code (no missing values).")
    Y = Y.astype(int).reset_index(drop=True)
    empty = [str(c) for c in Y.columns if Y[c].sum() == 0]
    if empty:
        raise InputError(f"code(s) {empty} have no positive example", column=empty[0],
                         hint="Drop those columns, or code some texts with them: a model cannot learn a code it never sees.")
    return Y


#: the thresholds tried when tuning one (0.05, 0.075, ..., 0.95)
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The threshold of :data:`THRESHOLD_GRID` that maximises the F1 of ``p >= t`` against 0/1 ``y``;
    of several equally good ones the middle one (a small, well separated slice otherwise gets the
    lowest threshold that separates it, and new texts just above it are all called positive)."""
    pred = p[None, :] >= THRESHOLD_GRID[:, None]
    tp = (pred & (y[None, :] == 1)).sum(1)
    denom = pred.sum(1) + y.sum()
    f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    return float(THRESHOLD_GRID[best[len(best) // 2]])


def tune_thresholds(Y: pd.DataFrame, P: pd.DataFrame, min_support: int) -> pd.Series:
    """Per-code thresholds (:func:`best_threshold`) of ``P`` against 0/1 ``Y`` (same columns); 0.5 for
    codes with fewer than ``min_support`` positives in ``Y``."""
    return pd.Series({c: (best_threshold(Y[c].to_numpy(), P[c].to_numpy()) if Y[c].sum() >= min_support else 0.5)
                      for c in Y.columns}, dtype=float)


class FineTunedClassifier(ModelContract, ClassifierMixin, BaseEstimator):
    """``fit(X, y)`` / ``predict_proba(X)`` with a fine-tuned MiniLM encoder; single-label (one label per
    text: ``predict`` gives a Series aligned to the input) or multi-label (``y`` a 0/1 DataFrame:
    ``predict`` gives a 0/1 DataFrame, see the module docstring); ``score`` the accuracy (multi-label:
    whole label sets), ``save``/``load`` keep it."""

    _fitted_attribute = "model_"
    _parameter_constraints = {"epochs": [Interval(Integral, 1, None, closed="left")],
                              "batch_size": [Interval(Integral, 1, None, closed="left")],
                              "learning_rate": [Interval(Real, 0, None, closed="neither")],
                              "max_length": [Interval(Integral, 8, 512, closed="both")],
                              "random_state": [Interval(Integral, 0, None, closed="left")], "progress": ["boolean"],
                              "threshold_fraction": [Interval(Real, 0, 0.5, closed="both")],
                              "min_support": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, *, epochs: int = 2, batch_size: int = 32, learning_rate: float = 5e-5, max_length: int = 128,
                 random_state: int = 0, progress: bool = False, threshold_fraction: float = 0.15,
                 min_support: int = 3):
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.max_length = max_length
        self.random_state = random_state
        self.progress = progress
        self.threshold_fraction = threshold_fraction
        self.min_support = min_support

    def _contexts(self, X, n: int) -> np.ndarray:
        """One-hot question_id rows (n x len(contexts_)); zeros when absent or unseen."""
        from .classifier import question_onehot

        has_q = isinstance(X, pd.DataFrame) and "question_id" in X.columns
        return question_onehot(X["question_id"].tolist() if has_q else [None] * n, self.contexts_)

    def _build(self, n_classes: int, n_contexts: int):
        import torch
        from transformers import AutoModel, AutoTokenizer

        from .embeddings import _offline, _quiet, minilm_path

        _offline()
        _quiet()
        torch.manual_seed(self.random_state)
        tokenizer = AutoTokenizer.from_pretrained(str(minilm_path()))
        encoder = AutoModel.from_pretrained(str(minilm_path()))
        return tokenizer, _network_class()(encoder, n_classes, n_contexts)

    def _batches(self, texts: list[str], rng: np.random.Generator | None):
        order = np.argsort([len(t) for t in texts], kind="stable")
        batches = [order[i:i + self.batch_size] for i in range(0, len(texts), self.batch_size)]
        return [batches[k] for k in rng.permutation(len(batches))] if rng is not None else batches

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        import torch

        from ..errors import InputError
        from .classifier import _texts

        texts = _texts(X)
        self.multi_label_ = isinstance(y, pd.DataFrame) or np.ndim(y) == 2
        if self.multi_label_:
            Y = label_table(y, len(texts))
            self.classes_ = np.array(Y.columns)
            train, held = holdout_split(len(texts), self.threshold_fraction, self.random_state)
            self.validation_index_ = held
            fit_X = X.iloc[train] if isinstance(X, pd.DataFrame) else [texts[i] for i in train]
            self._train(fit_X, torch.tensor(Y.to_numpy()[train], dtype=torch.float32))
            self.thresholds_ = pd.Series(0.5, index=Y.columns)
            if len(held):
                held_X = X.iloc[held] if isinstance(X, pd.DataFrame) else [texts[i] for i in held]
                P = self.predict_proba(held_X).reset_index(drop=True)
                self.validation_proba_ = P  # the held-out rows' probabilities (positions validation_index_)
                self.thresholds_ = tune_thresholds(Y.iloc[held].reset_index(drop=True), P, self.min_support)
            return self
        y = np.asarray(y).astype(str)
        if len(y) != len(texts) or len(set(y)) < 2:
            raise InputError(f"{len(texts)} texts and {len(y)} labels in {len(set(y))} classes",
                             hint="Pass one label per text, with at least two classes (or a 0/1 DataFrame, "
                                  "one column per code, for multi-label).")
        self.classes_ = np.unique(y)
        return self._train(X, torch.tensor(np.searchsorted(self.classes_, y)))

    def _train(self, X, target):
        """Fine-tune on ``X``: ``target`` class indices (single-label) or a float 0/1 matrix (multi-label)."""
        import torch

        from .classifier import _texts, question_categories

        texts = _texts(X)
        has_q = isinstance(X, pd.DataFrame) and "question_id" in X.columns
        self.contexts_ = question_categories(X["question_id"]) if has_q else []
        context = torch.tensor(self._contexts(X, len(texts)))
        self.tokenizer_, self.model_ = self._build(len(self.classes_), len(self.contexts_))
        multi = target.ndim == 2
        if multi:  # each code's bias starts at the log-odds of its share: the head need not learn the base rates
            share = (target.sum(0) + 0.5) / (len(target) + 1.0)
            with torch.no_grad():
                self.model_.head.bias.copy_(torch.log(share / (1 - share)))
        if len(self.contexts_):  # start each question's shift at its log-odds against the overall class mix
            shift = (_code_shift(context.numpy(), target.numpy()) if multi else
                     _class_shift(context.numpy(), np.eye(len(self.classes_))[target.numpy()]))
            with torch.no_grad():
                self.model_.context.weight.copy_(torch.tensor(shift.T, dtype=torch.float32))
        # The question shifts are a handful of weights that must move far in a few hundred steps: their own rate.
        groups = [{"params": [p for n, p in self.model_.named_parameters() if not n.startswith("context.")]}]
        if self.model_.context is not None:
            groups.append({"params": self.model_.context.parameters(), "lr": CONTEXT_LEARNING_RATE, "weight_decay": 0.0})
        opt = torch.optim.AdamW(groups, lr=self.learning_rate, weight_decay=0.01)
        steps = self.epochs * -(-len(texts) // self.batch_size)
        warm = max(1, int(0.1 * steps))
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / steps))
        bar = None
        if self.progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=steps, desc="fine-tuning", unit="batch")
        self.model_.train()
        for epoch in range(self.epochs):
            for idx in self._batches(texts, np.random.default_rng(self.random_state + epoch)):
                batch = self.tokenizer_([texts[i] for i in idx], padding=True, truncation=True,
                                        max_length=self.max_length, return_tensors="pt")
                logits = self.model_(context[idx], **batch)
                loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, target[idx]) if multi
                        else torch.nn.functional.cross_entropy(logits, target[idx]))
                loss.backward()
                opt.step()
                sched.step()
                opt.zero_grad()
                if bar is not None:
                    bar.update(1)
        if bar is not None:
            bar.close()
        self.model_.eval()
        return self

    def predict_proba(self, X) -> pd.DataFrame:
        import torch

        from .classifier import _index, _texts

        self._check_fitted()
        texts = _texts(X)
        out = np.zeros((len(texts), len(self.classes_)), dtype=np.float32)
        context = torch.tensor(self._contexts(X, len(texts)))
        with torch.no_grad():
            for idx in self._batches(texts, None):
                batch = self.tokenizer_([texts[i] for i in idx], padding=True, truncation=True,
                                        max_length=self.max_length, return_tensors="pt")
                logits = self.model_(context[idx], **batch)
                out[idx] = (torch.sigmoid(logits) if self._multi() else torch.softmax(logits, dim=1)).numpy()
        return pd.DataFrame(out, index=_index(X, len(texts)), columns=self.classes_)

    def _multi(self) -> bool:
        return getattr(self, "multi_label_", False)  # a model saved before multi-label existed: single-label

    def predict(self, X) -> pd.Series | pd.DataFrame:
        """Single-label: the most probable class per text (a Series). Multi-label: a 0/1 DataFrame, one
        column per code, each at its threshold (``thresholds_``). Aligned to the input's index."""
        P = self.predict_proba(X)
        if self._multi():
            return (P >= self.thresholds_[P.columns]).astype(int)
        return P.idxmax(axis=1)
