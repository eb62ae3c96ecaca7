"""Machine coding on real NHS patient feedback (pxtextmining phase 1): themes and sentiment.

    python benchmarks/machine_coding_benchmark.py

Reads ../shared/external/pxtextmining/phase1_text_data.csv (skips when absent): 10,334 real,
anonymised comments, one theme per comment (``label``: 9 themes; ``code``: sub-categories) and a
criticality score. 80/20 split, seed 42 (stratified by theme). Sentiment mapping: criticality < 0
negative, 0 neutral, > 0 positive; rows with unreadable criticality ("-o", "SS" ...) are left out
and counted. Prints accuracy, macro-F1, fit and predict times for an in-run TF-IDF + LinearSVC
baseline and for ours (TF-IDF + MiniLM features; with the expected calibration error, ECE, of its
top-label confidence), the static-embedding option, and sentiment
(lexicon default, TF-IDF baseline, trained, fine-tuned).

Sentiment is measured twice: from the comment's text alone, and from the text and the question it
answers (the ``question`` column: five trust/question pairs), as pxtextmining's own sentiment
models take the question type. The baseline gets the same inputs (question one-hot). The question
matters on this data because the neutral class is one trust's convention: 2,563 of its 2,566
comments answer "Trust B - Q1".
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.svm import LinearSVC

from pledge_analysis.coding.classifier import ThemeClassifier
from pledge_analysis.coding.embeddings import embed
from pledge_analysis.coding.sentiment import SentimentClassifier

DATA = Path(__file__).resolve().parents[2] / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"


def load() -> pd.DataFrame:
    d = pd.read_csv(DATA).dropna(subset=["feedback"])
    d = d[d["feedback"].str.strip() != ""]
    crit = pd.to_numeric(d["criticality"], errors="coerce")
    d = d.assign(criticality_num=crit)
    return d


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: the confidence-weighted gap between confidence and accuracy."""
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    return float(sum((which == b).mean() * abs(confidence[which == b].mean() - correct[which == b].mean())
                     for b in range(bins) if (which == b).any()))


def themes(d: pd.DataFrame, target: str) -> list[dict]:
    counts = d[target].value_counts()
    d = d[d[target].isin(counts[counts >= 10].index)]
    tr, te = train_test_split(d, test_size=0.2, random_state=42, stratify=d[target])
    rows = []
    base = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), LinearSVC(C=0.5))
    _, fit_t = timed(lambda: base.fit(tr["feedback"], tr[target]))
    pred, pred_t = timed(lambda: base.predict(te["feedback"]))
    rows.append({"target": target, "model": "baseline TF-IDF + LinearSVC", "accuracy": accuracy_score(te[target], pred),
                 "macro_f1": f1_score(te[target], pred, average="macro"), "fit_s": fit_t, "predict_s": pred_t})
    for name, emb, cv in (("ours: TF-IDF + MiniLM, multinomial LR (defaults)", "minilm", 3),
                          ("ours, no cross-validation: no temperature scaling", "minilm", 0),
                          ("ours with static embeddings", "static", 3), ("ours, TF-IDF only", None, 3)):
        model = ThemeClassifier(multi_label=False, embedding_model=emb, cv=cv)
        _, fit_t = timed(lambda: model.fit(tr["feedback"].tolist(), tr[target].tolist()))
        P, pred_t = timed(lambda: model.predict_proba(te["feedback"].tolist()))
        pred = P.idxmax(axis=1)
        rows.append({"target": target, "model": name, "accuracy": accuracy_score(te[target], pred),
                     "macro_f1": f1_score(te[target], pred, average="macro"),
                     "ECE": ece(P.max(axis=1).to_numpy(), (pred == te[target].to_numpy()).to_numpy()),
                     "fit_s": fit_t, "predict_s": pred_t})
    return rows


def sentiment(d: pd.DataFrame) -> list[dict]:
    d = d.dropna(subset=["criticality_num"])
    y = np.where(d["criticality_num"] < 0, "negative", np.where(d["criticality_num"] > 0, "positive", "neutral"))
    d = d.assign(y=y)
    tr, te = train_test_split(d, test_size=0.2, random_state=42, stratify=d["y"])
    rows = []

    def row(model: str, inputs: str, pred, fit_t: float, pred_t: float) -> None:
        rows.append({"target": f"sentiment, {inputs}", "model": model, "accuracy": accuracy_score(te["y"], pred),
                     "macro_f1": f1_score(te["y"], pred, average="macro"), "fit_s": fit_t, "predict_s": pred_t})

    lex = SentimentClassifier().fit()
    pred, pred_t = timed(lambda: lex.predict(te["feedback"].tolist())["sentiment"])
    row("default: lexicon (VADER + domain words), no training", "text", pred, 0.0, pred_t)
    for inputs in ("text", "text + question"):
        q = inputs != "text"
        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        cols = make_column_transformer((words, "text"), *([(OneHotEncoder(handle_unknown="ignore"), ["question_id"])] if q else []))
        base = make_pipeline(cols, LogisticRegression(max_iter=2000, C=4))
        Xtr, Xte = frame(tr), frame(te)
        _, fit_t = timed(lambda: base.fit(Xtr, tr["y"]))
        pred, pred_t = timed(lambda: base.predict(Xte))
        row("baseline TF-IDF + LR" + (" + question one-hot" if q else ""), inputs, pred, fit_t, pred_t)
        Xtr, Xte = (frame(tr), frame(te)) if q else (tr["feedback"].tolist(), te["feedback"].tolist())
        for name, method in (("ours: trained (TF-IDF + MiniLM + VADER)", "trained"),
                             ("ours: fine-tuned MiniLM + trained, averaged", "finetuned")):
            model = SentimentClassifier(method=method, epochs=2)
            _, fit_t = timed(lambda: model.fit(Xtr, tr["y"]))
            pred, pred_t = timed(lambda: model.predict(Xte)["sentiment"])
            row(name, inputs, pred, fit_t, pred_t)
    return rows


def frame(d: pd.DataFrame) -> pd.DataFrame:
    """The comment and the question it answers, in our column names."""
    return pd.DataFrame({"text": d["feedback"].to_numpy(), "question_id": d["question"].to_numpy()})


def main() -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    d = load()
    print(f"{len(d):,} comments; {d['criticality_num'].isna().sum()} with unreadable criticality left out of sentiment")
    texts = d["feedback"].tolist()
    _, t_minilm = timed(lambda: embed(texts, "minilm", cache=False))
    _, t_static = timed(lambda: embed(texts, "static", cache=False))
    print(f"embedding {len(texts):,} comments: MiniLM {t_minilm:.1f} s ({len(texts) / t_minilm:,.0f}/s), "
          f"static {t_static:.2f} s ({len(texts) / t_static:,.0f}/s)")
    embed(texts, "minilm")  # fill the cache so fit times below exclude embedding
    embed(texts, "static")
    rows = themes(d, "label") + themes(d, "code") + sentiment(d)
    out = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(out.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
