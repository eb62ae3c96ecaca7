"""Fine-tuning the installed all-MiniLM-L6-v2 as a text classifier, on the CPU, offline.

:class:`FineTunedClassifier` adds a linear head to the mean-pooled MiniLM encoder and trains the
whole network with AdamW (warm-up then linear decay). Batches group texts of similar length, so
little time is spent on padding: two epochs over 8,000 short comments take about 4 minutes on 2
cores. Seeded (``random_state``), so a re-run on the same machine gives the same model.

When ``X`` is a DataFrame with a ``question_id`` column, the question a comment answers is one-hot
encoded and adds a learned shift to each class's logit (as pxtextmining's models take the question
type): "What could be improved?" and "What was good?" change what a neutral-sounding answer means.
Questions not seen in training count as unknown (all zeros).
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


class FineTunedClassifier(ModelContract, ClassifierMixin, BaseEstimator):
    """``fit(X, y)`` / ``predict_proba(X)`` with a fine-tuned MiniLM encoder; ``predict`` gives one label
    per text (a Series aligned to the input), ``score`` the accuracy, ``save``/``load`` keep it."""

    _fitted_attribute = "model_"
    _parameter_constraints = {"epochs": [Interval(Integral, 1, None, closed="left")],
                              "batch_size": [Interval(Integral, 1, None, closed="left")],
                              "learning_rate": [Interval(Real, 0, None, closed="neither")],
                              "max_length": [Interval(Integral, 8, 512, closed="both")],
                              "random_state": [Interval(Integral, 0, None, closed="left")], "progress": ["boolean"]}

    def __init__(self, *, epochs: int = 2, batch_size: int = 32, learning_rate: float = 5e-5, max_length: int = 128,
                 random_state: int = 0, progress: bool = False):
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.max_length = max_length
        self.random_state = random_state
        self.progress = progress

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
        from .classifier import _texts, question_categories

        texts = _texts(X)
        y = np.asarray(y).astype(str)
        if len(y) != len(texts) or len(set(y)) < 2:
            raise InputError(f"{len(texts)} texts and {len(y)} labels in {len(set(y))} classes",
                             hint="Pass one label per text, with at least two classes.")
        self.classes_ = np.unique(y)
        target = torch.tensor(np.searchsorted(self.classes_, y))
        has_q = isinstance(X, pd.DataFrame) and "question_id" in X.columns
        self.contexts_ = question_categories(X["question_id"]) if has_q else []
        context = torch.tensor(self._contexts(X, len(texts)))
        self.tokenizer_, self.model_ = self._build(len(self.classes_), len(self.contexts_))
        if len(self.contexts_):  # start each question's shift at its log-odds against the overall class mix
            counts = context.numpy().T @ np.eye(len(self.classes_))[target.numpy()] + 1.0
            shift = np.log(counts / counts.sum(1, keepdims=True)) - np.log(counts.sum(0) / counts.sum())
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
                loss = torch.nn.functional.cross_entropy(self.model_(context[idx], **batch), target[idx])
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
                out[idx] = torch.softmax(self.model_(context[idx], **batch), dim=1).numpy()
        return pd.DataFrame(out, index=_index(X, len(texts)), columns=self.classes_)

    def predict(self, X) -> pd.Series:
        P = self.predict_proba(X)
        return P.idxmax(axis=1)
