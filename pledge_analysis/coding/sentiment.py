"""Sentiment of feedback segments: positive, neutral (neutral or mixed) or negative.

The default needs no training data. It is VADER (Hutto & Gilbert 2014, a rule-based
lexicon with negation and intensifier handling, from the ``vaderSentiment`` package)
with a small lexicon of words that are negative in patient feedback about services
("delay", "chase", "unanswered" ...), and, when the question a comment answers is known,
a prior from the prompt: an answer to "What could be improved?" leans negative, an
answer to "What was good?" leans positive. How each question leans is data, the
``polarity:`` of its entry under ``free_text:`` in questions.yaml (``negative_prompt``,
``positive_prompt``, ``neutral``; read by :func:`pledge_analysis.io.load_prompt_polarity`),
passed as ``SentimentClassifier(prompt_polarity=...)``; nothing is keyed on question ids.
"""
from __future__ import annotations

import os
from functools import lru_cache
from numbers import Integral, Real
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval, Options, StrOptions

from .estimator import ModelContract

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
#: The shift of the lexicon score for an answer to a question of each polarity (questions.yaml ``polarity:``).
POLARITY_PRIOR = {"negative_prompt": -0.35, "positive_prompt": 0.35, "neutral": 0.0}
#: Deprecated: the prior keyed on the synthetic sample's own question ids, used only when no
#: ``prompt_polarity`` is given (with a ``FutureWarning``); declare ``polarity:`` in questions.yaml instead.
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


class SentimentClassifier(ModelContract, ClassifierMixin, BaseEstimator):
    """A scikit-learn sentiment model.

    ``method="lexicon"`` (default) needs no training data: VADER with the domain lexicon and the
    prompt prior described above. ``method="trained"`` learns from labelled examples with the
    theme classifier's features (TF-IDF and sentence embeddings) plus the VADER score, in one
    multinomial logistic regression (seconds). ``method="finetuned"`` also fine-tunes the MiniLM
    encoder (:class:`pledge_analysis.coding.finetune.FineTunedClassifier`, minutes on a CPU; texts cut
    at ``max_length`` tokens) and averages its probabilities with the trained model's,
    ``finetuned_weight * F + (1 - finetuned_weight) * L`` (equal weight by default; on real NHS feedback,
    text only, neither a chosen weight nor stacking with more members beat the equal average:
    benchmarks/sentiment_benchmark.py). ``raw_chars=True``:
    the character n-grams keep case and run across words (:class:`~pledge_analysis.coding.classifier.TextFeatures`;
    it helps where a source's way of writing goes with its labels, and will not transfer). In both trained modes,
    when ``X`` has ``question_id`` (and ``use_prompt``), the question is an input too, so the model
    learns what each prompt does to the labels. ``scale=5`` gives very negative ... very positive
    (for the lexicon: compound beyond +/-0.5 is "very").

    ``scale`` (3 or 5) is also the scale the labels of the trained modes must be on.

    ``prompt_polarity``: how each free-text question leans its answers, ``{question_id: polarity}``
    with ``negative_prompt``, ``positive_prompt`` or ``neutral`` (questions.yaml's ``polarity:``,
    :func:`pledge_analysis.io.load_prompt_polarity`); the lexicon score of an answer moves by
    :data:`POLARITY_PRIOR` (questions not named: no shift). ``None`` (deprecated) falls back on
    :data:`PROMPT_PRIOR`, keyed on the synthetic sample's question ids, with a ``FutureWarning``.

    ``fit`` comes first in every mode (``fit()`` with no data for the lexicon); parameters are
    checked there (:class:`~pledge_analysis.errors.ConfigError`), and a model used before ``fit``
    raises :class:`~pledge_analysis.errors.NotFittedError`. ``predict(X)`` takes a list of texts,
    or a DataFrame with ``text`` and optionally ``question_id`` (the lexicon's prompt prior; an
    input of the trained modes), and returns a DataFrame with ``sentiment`` and ``sentiment_score``
    (-1 .. 1; ``score`` in earlier releases) aligned to the input; ``score(X, y)`` is the accuracy of its ``sentiment`` column
    (so ``GridSearchCV`` and ``cross_val_score`` work); ``save(path)`` / ``SentimentClassifier.load(path)``
    keep a fitted model. ``cache_dir``: where embeddings are kept on disk (none by default).

    >>> model = SentimentClassifier().fit()
    >>> model.predict(["The staff were wonderful", "I waited weeks, the delay was awful"])["sentiment"].tolist()
    ['positive', 'negative']
    """

    _parameter_constraints = {
        "method": [StrOptions({"lexicon", "trained", "finetuned"})], "scale": [Options(Integral, {3, 5})],
        "threshold": [Interval(Real, 0, 1, closed="left")], "use_prompt": ["boolean"],
        "embedding_model": [StrOptions({"minilm", "static"}), None], "C": [Interval(Real, 0, None, closed="neither")],
        "epochs": [Interval(Integral, 1, None, closed="left")], "random_state": [Interval(Integral, 0, None, closed="left")],
        "progress": ["boolean"], "cache_dir": [str, os.PathLike, None], "prompt_polarity": [dict, None],
        "raw_chars": ["boolean"], "max_length": [Interval(Integral, 8, 512, closed="both")],
        "finetuned_weight": [Interval(Real, 0, 1, closed="both")]}

    def __init__(self, *, method: str = "lexicon", scale: int = 3, threshold: float = THRESHOLD,
                 use_prompt: bool = True, embedding_model: str | None = "minilm", C: float = 4.0,
                 epochs: int = 2, random_state: int = 0, progress: bool = False,
                 cache_dir: str | os.PathLike | None = None, prompt_polarity: dict | None = None,
                 raw_chars: bool = False, max_length: int = 128, finetuned_weight: float = 0.5):
        self.method = method
        self.scale = scale
        self.threshold = threshold
        self.use_prompt = use_prompt
        self.embedding_model = embedding_model
        self.C = C
        self.epochs = epochs
        self.random_state = random_state
        self.progress = progress
        self.cache_dir = cache_dir
        self.prompt_polarity = prompt_polarity
        self.raw_chars = raw_chars
        self.max_length = max_length
        self.finetuned_weight = finetuned_weight

    def _prompt_shift(self, prompts: Sequence) -> np.ndarray:
        """The lexicon score's shift for each text from how its question leans (``prompt_polarity``)."""
        if self.prompt_polarity is None:  # deprecated: the sample's own question ids
            legacy = sorted({p for p in prompts if isinstance(p, str) and p in PROMPT_PRIOR})
            if legacy:
                import warnings

                warnings.warn(f"sentiment: the prompt prior for question(s) {legacy} comes from their ids, which "
                              "only fits the synthetic sample; declare each free-text question's polarity: under "
                              "free_text: in questions.yaml, or pass SentimentClassifier(prompt_polarity={id: "
                              "'negative_prompt' | 'positive_prompt' | 'neutral'}). The id-keyed prior will be "
                              "removed.", FutureWarning, stacklevel=4)
            return np.array([PROMPT_PRIOR.get(p, 0.0) if isinstance(p, str) else 0.0 for p in prompts])
        lean = self.polarity_
        return np.array([POLARITY_PRIOR[lean[p]] if isinstance(p, str) and p in lean else 0.0 for p in prompts])

    def _lexicon_scores(self, texts: Sequence[str], prompts: Sequence | None) -> np.ndarray:
        analyzer = _analyzer()
        scores = np.array([analyzer.polarity_scores(t or "")["compound"] for t in texts], dtype=float)
        if self.use_prompt and prompts is not None:
            scores = scores + self._prompt_shift(prompts)
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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Learn from texts ``X`` and labels ``y`` (trained modes), or nothing (lexicon); returns ``self``."""
        from ..errors import InputError

        labels = LABELS if self.scale == 3 else LABELS_5
        self.polarity_ = _check_polarity(self.prompt_polarity)
        self.method_ = self.method
        if self.method == "lexicon":
            self.prompts_ = []
            self.classes_ = np.array(labels)
            return self
        from sklearn.linear_model import LogisticRegression

        from .classifier import TextFeatures, question_categories

        if X is None or y is None:
            raise InputError(f"method={self.method!r} learns from examples: fit(X, y) needs texts and their labels",
                             hint="Pass fit(texts, labels), or use method='lexicon' (no training data).")
        texts, prompts, _ = _unpack(X)
        y = np.asarray(y).astype(str)
        if len(y) != len(texts):
            raise InputError(f"{len(texts)} texts but {len(y)} labels", hint="Pass one label per text.")
        off = sorted(set(y) - set(labels))
        if off:
            other = "5-point" if self.scale == 3 else "3-point"
            fits = "" if set(y) <= set(LABELS_5 if self.scale == 3 else LABELS) else " or map them onto it"
            raise InputError(f"labels {off} are not on the {self.scale}-point scale {list(labels)}",
                             hint=f"Use scale={5 if self.scale == 3 else 3} for the {other} scale{fits}.")
        use = self.use_prompt and prompts is not None
        self.prompts_ = question_categories(prompts) if use else []
        self.features_ = TextFeatures(embedding_model=self.embedding_model, cache_dir=self.cache_dir,
                                      raw_chars=self.raw_chars).fit(texts)
        self.model_ = LogisticRegression(C=self.C, max_iter=3000).fit(self._features(texts, prompts), y)
        self.classes_ = self.model_.classes_
        if self.method == "finetuned":
            from .finetune import FineTunedClassifier

            self.finetuned_ = FineTunedClassifier(epochs=self.epochs, max_length=self.max_length,
                                                  random_state=self.random_state,
                                                  progress=self.progress).fit(X if use else texts, y)
        return self

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy of ``predict(X)["sentiment"]`` against ``y`` (the scorer GridSearchCV uses by default)."""
        from sklearn.metrics import accuracy_score

        return float(accuracy_score(np.asarray(y).astype(str), self.predict(X)["sentiment"].to_numpy(),
                                    sample_weight=sample_weight))

    def predict_proba(self, X) -> pd.DataFrame:
        """Probability of each label (``classes_``), aligned to the input; one-hot for the lexicon."""
        self._check_fitted()
        texts, prompts, index = _unpack(X)
        if self.method_ in ("trained", "finetuned") and self.prompts_ and prompts is None:
            import warnings

            warnings.warn("this sentiment model learned from question_id, but X has none: predictions ignore the "
                          "question. Pass a DataFrame with 'text' and 'question_id'.", UserWarning, stacklevel=2)
        if self.method_ in ("trained", "finetuned"):
            P = pd.DataFrame(self.model_.predict_proba(self._features(texts, prompts)), index=index,
                             columns=self.classes_)
            if self.method_ == "finetuned":
                F = self.finetuned_.predict_proba(X if prompts is not None else texts)
                w = getattr(self, "finetuned_weight", 0.5)  # a model saved before the weight existed: 0.5
                P = (1 - w) * P + w * F[list(self.classes_)].set_index(index)
            return P
        labels = self.predict(X)["sentiment"].to_numpy()
        return pd.DataFrame((labels[:, None] == self.classes_[None, :]).astype(float), index=index,
                            columns=self.classes_)

    def predict(self, X) -> pd.DataFrame:
        """``sentiment`` (a label of ``classes_``) and ``sentiment_score`` (-1 .. 1) per text, aligned to the input."""
        self._check_fitted()
        texts, prompts, index = _unpack(X)
        if self.method_ in ("trained", "finetuned"):
            P = self.predict_proba(X)
            labels = P.idxmax(axis=1).to_numpy()
            neg = P[[c for c in P.columns if "negative" in c]].sum(axis=1)
            pos = P[[c for c in P.columns if "positive" in c]].sum(axis=1)
            return pd.DataFrame({"sentiment": labels, "sentiment_score": (pos - neg).round(4).to_numpy()}, index=index)
        scores = self._lexicon_scores(texts, prompts)
        t = self.threshold
        if len(self.classes_) == 5:
            labels = np.select([scores <= -0.5, scores <= -t, scores < t, scores < 0.5],
                               list(LABELS_5[:4]), LABELS_5[4])
        else:
            labels = np.where(scores <= -t, "negative", np.where(scores >= t, "positive", "neutral"))
        return pd.DataFrame({"sentiment": labels, "sentiment_score": scores.round(4)}, index=index)


def _check_polarity(prompt_polarity: dict | None) -> dict[str, str]:
    """``{question_id: polarity}`` with every polarity one of :data:`POLARITY_PRIOR`'s keys, else ConfigError."""
    from ..errors import ConfigError

    lean = {str(k): str(v) for k, v in (prompt_polarity or {}).items()}
    wrong = {k: v for k, v in lean.items() if v not in POLARITY_PRIOR}
    if wrong:
        raise ConfigError(f"prompt_polarity: {wrong} is not one of {list(POLARITY_PRIOR)} (for each question id); "
                          "fix the polarity: of these free_text: entries in questions.yaml.")
    return lean


def _unpack(X) -> tuple[list[str], list | None, pd.Index]:
    from .classifier import _index, _texts

    texts = _texts(X)
    prompts = X["question_id"].tolist() if isinstance(X, pd.DataFrame) and "question_id" in X.columns else None
    return texts, prompts, _index(X, len(texts))


def score_segments(segments: pd.DataFrame, model: SentimentClassifier | None = None) -> pd.DataFrame:
    """The ``sentiment`` table (:data:`pledge_analysis.schema.SENTIMENT`): ``segment_id, sentiment,
    sentiment_score`` for every segment."""
    model = model or SentimentClassifier().fit()
    pred = model.predict(segments)
    return pd.DataFrame({"segment_id": segments["segment_id"].values, "sentiment": pred["sentiment"].values,
                         "sentiment_score": pred["sentiment_score"].values})
