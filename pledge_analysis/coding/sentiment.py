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
THRESHOLD = 0.05


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(DOMAIN_LEXICON)
    return analyzer


class SentimentClassifier:
    """A scikit-learn style sentiment model; the default (``method="lexicon"``) needs no fit.

    ``predict(X)`` takes a list of texts, or a DataFrame with ``text`` and optionally
    ``question_id`` (used for the prompt prior), and returns a DataFrame with
    ``sentiment`` and ``score`` (-1 .. 1) aligned to the input.

    >>> SentimentClassifier().predict(["The staff were wonderful", "I waited weeks, the delay was awful"])["sentiment"].tolist()
    ['positive', 'negative']
    """

    def __init__(self, *, method: str = "lexicon", threshold: float = THRESHOLD, use_prompt: bool = True):
        self.method = method
        self.threshold = threshold
        self.use_prompt = use_prompt

    def fit(self, X=None, y=None):
        self.classes_ = np.array(LABELS)
        return self

    def _scores(self, texts: Sequence[str], prompts: Sequence | None) -> np.ndarray:
        analyzer = _analyzer()
        scores = np.array([analyzer.polarity_scores(t or "")["compound"] for t in texts], dtype=float)
        if self.use_prompt and prompts is not None:
            scores = scores + np.array([PROMPT_PRIOR.get(p, 0.0) if isinstance(p, str) else 0.0 for p in prompts])
        return np.clip(scores, -1, 1)

    def predict(self, X) -> pd.DataFrame:
        texts, prompts, index = _unpack(X)
        scores = self._scores(texts, prompts)
        labels = np.where(scores <= -self.threshold, "negative", np.where(scores >= self.threshold, "positive", "neutral"))
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
