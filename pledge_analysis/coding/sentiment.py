"""Sentiment of feedback segments: positive, neutral (neutral or mixed) or negative.

The default needs no training data. It is VADER (Hutto & Gilbert 2014, a rule-based
lexicon with negation and intensifier handling, from the ``vaderSentiment`` package)
with a small lexicon of words that are negative in patient feedback about services
("delay", "chase", "unanswered" ...), and, when the question a comment answers is known,
a prior from the prompt: an answer to "What could be improved?" leans negative, an
answer to "What was good?" leans positive.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

LABELS = ("negative", "neutral", "positive")
#: Words whose polarity in patient feedback VADER's general lexicon misses (VADER's -4..+4 scale).
DOMAIN_LEXICON = {
    "delay": -1.6, "delays": -1.6, "delayed": -1.6, "waited": -0.8, "waiting": -0.5, "wait": -0.5,
    "late": -1.2, "chase": -1.3, "chased": -1.3, "chasing": -1.3, "rushed": -1.4, "cancelled": -1.6,
    "unanswered": -1.8, "confusing": -1.6, "nightmare": -2.4, "cramped": -1.4, "infected": -1.5,
    "afterthought": -1.8, "adrift": -1.8, "impersonal": -1.6, "struggle": -1.5, "stopped": -1.0,
    "nobody": -1.2, "dismissive": -2.0, "abrupt": -1.6, "uncaring": -2.4, "expensive": -1.2,
    "lifeline": 2.2, "joined": 0.8, "smoothly": 1.6, "clearly": 1.0, "quickly": 1.0,
}
PROMPT_PRIOR = {"improve": -0.35, "staff_improve": -0.35, "good": 0.35}
#: Scale of the one-hot question columns the trained modes add (a larger value is a weaker penalty).
PROMPT_FEATURE_WEIGHT = 3.0
THRESHOLD = 0.05


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(DOMAIN_LEXICON)
    return analyzer


LABELS_5 = ("very negative", "negative", "neutral", "positive", "very positive")


class SentimentClassifier(BaseEstimator):
    """A scikit-learn style sentiment model.

    ``method="lexicon"`` (default) needs no training data: VADER with the domain lexicon and the
    prompt prior described above. ``method="trained"`` learns from labelled examples with the
    theme classifier's features (TF-IDF and sentence embeddings) plus the VADER score, in one
    multinomial logistic regression (seconds). ``method="finetuned"`` also fine-tunes the MiniLM
    encoder (:class:`pledge_analysis.coding.finetune.FineTunedClassifier`, minutes on a CPU) and
    averages its probabilities with the trained model's, with equal weight. In both trained modes,
    when ``X`` has ``question_id`` (and ``use_prompt``), the question is an input too, so the model
    learns what each prompt does to the labels. ``scale=5`` gives very negative ... very positive
    (for the lexicon: compound beyond +/-0.5 is "very").

    ``predict(X)`` takes a list of texts, or a DataFrame with ``text`` and optionally
    ``question_id`` (the lexicon's prompt prior; an input of the trained modes), and returns a
    DataFrame with ``sentiment`` and ``score`` (-1 .. 1) aligned to the input.

    >>> SentimentClassifier().predict(["The staff were wonderful", "I waited weeks, the delay was awful"])["sentiment"].tolist()
    ['positive', 'negative']
    """

    def __init__(self, *, method: str = "lexicon", scale: int = 3, threshold: float = THRESHOLD,
                 use_prompt: bool = True, embedding_model: str | None = "minilm", C: float = 4.0,
                 epochs: int = 2, random_state: int = 0, progress: bool = False):
        self.method = method
        self.scale = scale
        self.threshold = threshold
        self.use_prompt = use_prompt
        self.embedding_model = embedding_model
        self.C = C
        self.epochs = epochs
        self.random_state = random_state
        self.progress = progress

    def _lexicon_scores(self, texts: Sequence[str], prompts: Sequence | None) -> np.ndarray:
        analyzer = _analyzer()
        scores = np.array([analyzer.polarity_scores(t or "")["compound"] for t in texts], dtype=float)
        if self.use_prompt and prompts is not None:
            scores = scores + np.array([PROMPT_PRIOR.get(p, 0.0) if isinstance(p, str) else 0.0 for p in prompts])
        return np.clip(scores, -1, 1)

    def _features(self, texts, prompts):
        from scipy import sparse

        F = self.features_.transform(texts)
        lex = self._lexicon_scores(texts, prompts)[:, None]
        parts = [F, sparse.csr_matrix(np.hstack([lex, lex ** 2]))]
        if self.prompts_:
            from .classifier import question_onehot

            questions = prompts if prompts is not None else [None] * len(texts)
            parts.append(sparse.csr_matrix(question_onehot(questions, self.prompts_, PROMPT_FEATURE_WEIGHT)))
        return sparse.hstack(parts, format="csr")

    def fit(self, X=None, y=None):
        if self.method == "lexicon":
            self.classes_ = np.array(LABELS if self.scale == 3 else LABELS_5)
            return self
        if self.method not in ("trained", "finetuned"):
            from ..errors import ConfigError

            raise ConfigError(f"method must be 'lexicon', 'trained' or 'finetuned', not {self.method!r}.")
        from sklearn.linear_model import LogisticRegression

        from .classifier import TextFeatures, question_categories

        texts, prompts, _ = _unpack(X)
        y = np.asarray(y).astype(str)
        use = self.use_prompt and prompts is not None
        self.prompts_ = question_categories(prompts) if use else []
        self.features_ = TextFeatures(embedding_model=self.embedding_model).fit(texts)
        self.model_ = LogisticRegression(C=self.C, max_iter=3000).fit(self._features(texts, prompts), y)
        self.classes_ = self.model_.classes_
        if self.method == "finetuned":
            from .finetune import FineTunedClassifier

            self.finetuned_ = FineTunedClassifier(epochs=self.epochs, random_state=self.random_state,
                                                  progress=self.progress).fit(X if use else texts, y)
        return self

    def predict_proba(self, X) -> pd.DataFrame:
        texts, prompts, index = _unpack(X)
        if self.method in ("trained", "finetuned") and self.prompts_ and prompts is None:
            import warnings

            warnings.warn("this sentiment model learned from question_id, but X has none: predictions ignore the "
                          "question. Pass a DataFrame with 'text' and 'question_id'.", UserWarning, stacklevel=2)
        if self.method in ("trained", "finetuned"):
            P = pd.DataFrame(self.model_.predict_proba(self._features(texts, prompts)), index=index,
                             columns=self.classes_)
            if self.method == "finetuned":
                F = self.finetuned_.predict_proba(X if prompts is not None else texts)
                P = (P + F[list(self.classes_)].set_index(index)) / 2
            return P
        labels = self.predict(X)["sentiment"]
        classes = LABELS if self.scale == 3 else LABELS_5
        return pd.DataFrame([[float(lab == c) for c in classes] for lab in labels], index=index, columns=classes)

    def predict(self, X) -> pd.DataFrame:
        texts, prompts, index = _unpack(X)
        if self.method in ("trained", "finetuned"):
            P = self.predict_proba(X)
            labels = P.idxmax(axis=1).to_numpy()
            neg = P[[c for c in P.columns if "negative" in c]].sum(axis=1)
            pos = P[[c for c in P.columns if "positive" in c]].sum(axis=1)
            return pd.DataFrame({"sentiment": labels, "score": (pos - neg).round(4).to_numpy()}, index=index)
        scores = self._lexicon_scores(texts, prompts)
        t = self.threshold
        if self.scale == 5:
            labels = np.select([scores <= -0.5, scores <= -t, scores < t, scores < 0.5],
                               list(LABELS_5[:4]), LABELS_5[4])
        else:
            labels = np.where(scores <= -t, "negative", np.where(scores >= t, "positive", "neutral"))
        return pd.DataFrame({"sentiment": labels, "score": scores.round(4)}, index=index)


def _unpack(X) -> tuple[list[str], list | None, pd.Index]:
    if isinstance(X, pd.DataFrame):
        texts = X["text"].fillna("").astype(str).tolist()
        prompts = X["question_id"].tolist() if "question_id" in X.columns else None
        return texts, prompts, X.index
    texts = ["" if t is None else str(t) for t in X]
    return texts, None, pd.RangeIndex(len(texts))


def score_segments(segments: pd.DataFrame, model: SentimentClassifier | None = None) -> pd.DataFrame:
    """The ``sentiment`` table: ``segment_id, sentiment, score`` for every segment."""
    model = model or SentimentClassifier().fit()
    pred = model.predict(segments)
    return pd.DataFrame({"segment_id": segments["segment_id"].values, "sentiment": pred["sentiment"].values,
                         "score": pred["score"].values})
