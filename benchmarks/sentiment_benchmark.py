"""Text-only 3-class sentiment on real NHS feedback: can an ensemble reach 0.86 within a 10-minute fit?

    nice python benchmarks/sentiment_benchmark.py [--epochs 2] [--max-length 64] [--reuse-finetuned]
                                                  [--validation-only] [--refit]
    nice python benchmarks/sentiment_benchmark.py --cv K [--cv-jobs J] [--cv-report]

Reads ../shared/external/pxtextmining/phase1_text_data.csv (skips when absent). Labels as in
``machine_coding_benchmark.py``: criticality < 0 negative, 0 neutral, > 0 positive; the same 80/20
split (seed 42, stratified), so the test rows are that benchmark's. Text alone is the headline; the
question a comment answers is an input only in its own, separate line.

Protocol: a validation split (20% of the training rows, seed 0, stratified) is carved out. The members
are fitted on the remaining 64% only: F, the fine-tuned MiniLM
(:class:`~pledge_analysis.coding.finetune.FineTunedClassifier`, texts cut at ``--max-length`` tokens);
L, the trained linear model (``SentimentClassifier(method="trained", raw_chars=True)``: word TF-IDF,
character n-grams of the raw text with case kept, MiniLM embedding, VADER); L0, the same with
lower-cased character n-grams (the package default); E, the MiniLM sentence embedding + LR; W, word
TF-IDF (1-2 grams) + LR (``C`` of E and W in {1, 4, 16} by 5-fold CV inside the fit rows).

The ensembles of :data:`CANDIDATES` are compared on the validation rows by 5-fold x 3 cross-validated
accuracy, each candidate making its own choices inside the folds (so no candidate is favoured by
choosing and scoring on the same rows): the average ``0.5 * F + 0.5 * L`` (the package default); the
average with the weight ``w`` (0, 0.1, ..., 1) and a per-class log-shift (-1..1 in steps of 0.25 for two
classes, a class-balance / decision calibration) chosen for accuracy; and stacking, a multinomial LR
over the members' log-probabilities (``C`` by 5-fold CV) for several member sets. The candidate with
the best cross-validated accuracy is fitted on all validation rows and scored on the test rows once,
next to the single members and the default average. ``--validation-only`` stops before the test rows.

With the question (its own line, not the headline): Lq is L with ``question_id`` as an input, and the
stack of :data:`QUESTION_CANDIDATES` adds the question one-hot; chosen the same way.

Robustness: L refitted with Trust B's transcription mark (a capital ``I`` for ``i``) undone in every
text, scored on the validation rows only.

How the fixed settings were chosen (validation rows only, never the test rows): ``raw_chars`` and ``C = 4``
from a comparison of character n-gram kinds and ``C`` in {2, 4, 8}; ``--max-length 64`` (was 128) for the
CPU budget, before its validation score was known; 2 epochs and the learning rate 5e-5 were not
compared (each fine-tuning run costs about 8 minutes of CPU on the shared machine).

Prints accuracy and macro-F1 and the process CPU time of each fit (``time.process_time``, both cores
counted) next to its wall time. The machine is shared, so wall time is inflated; CPU / 2 is the
estimate of the wall time of the fit on an idle 2-core machine (an estimate: it assumes both cores
busy throughout; with ``OMP_NUM_THREADS=1`` the fine-tuning uses one core, and its CPU is its wall
time on an idle machine). L's CPU includes embedding the fit rows with MiniLM unless the embeddings are
already on disk (``$PLEDGE_CACHE_DIR``); E reuses them. The fine-tuned model's probabilities and CPU
time are kept in ``$TMPDIR/sentiment_finetuned_e{epochs}_l{max_length}.npz`` (the refitted one's in
``..._refit_...``); ``--reuse-finetuned`` reads them instead of fitting again (the same seed, rows and
settings give the same model on the same machine).

``--refit`` then refits the members on every training row (fit + validation), keeps the ensemble as
chosen and fitted on validation, and scores the test rows with it: nothing is chosen in that step. The
stacker then sees members fitted on 25% more rows than those it learned from (a little more confident).

``--cv K`` (instead of all the above) estimates the **package default** by stratified K-fold
cross-validation over every labelled row (the 80/20 split is not used; folds: ``StratifiedKFold(K,
shuffle=True, random_state=42)``): per fold, ``SentimentClassifier(method="finetuned", raw_chars=True,
max_length=--max-length, epochs=--epochs)`` (the equal average ``0.5 * F + 0.5 * L`` with the package's
other defaults; the settings of the README's "default average") is fitted on the other folds and
scores the held-out fold once. Nothing is chosen: no weight, shift, member or setting. Prints each
fold's accuracy, macro-F1 and fit CPU / wall seconds as it finishes, then the mean, the fold-to-fold
sd and a 95% interval of the mean (``mean +/- t(K-1) * sd / sqrt(K)``; approximate, since the folds'
training rows overlap). ``--cv-jobs`` folds run side by side, one process each with one torch / OMP
thread (process CPU per fold is then the fit's own CPU). Each finished fold is also written to
``$TMPDIR/sentiment_cv{K}_fold{i}.json``, so a run stopped early still reports the folds it finished
(``--cv-report`` prints the summary of those files without fitting).
"""
from __future__ import annotations

import argparse
import itertools
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

DATA = Path(__file__).resolve().parents[2] / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"
LABELS = np.array(["negative", "neutral", "positive"])
BUDGET_S = 600  # the fit budget: 10 minutes of wall time on 2 cores


def load() -> pd.DataFrame:
    d = pd.read_csv(DATA).dropna(subset=["feedback"])
    d = d[d["feedback"].str.strip() != ""]
    crit = pd.to_numeric(d["criticality"], errors="coerce")
    d = d.assign(c=crit).dropna(subset=["c"])
    return d.assign(y=np.where(d["c"] < 0, "negative", np.where(d["c"] > 0, "positive", "neutral")))


def splits(d: pd.DataFrame):
    """(fit, validation, test): the 80/20 split of machine_coding_benchmark.py, then 20% of its training rows."""
    tr, te = train_test_split(d, test_size=0.2, random_state=42, stratify=d["y"])
    fit, val = train_test_split(tr, test_size=0.2, random_state=0, stratify=tr["y"])
    return fit, val, te


def timed(fn):
    """``fn()``, its process CPU seconds and its wall seconds."""
    c, w = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - c, time.perf_counter() - w


def ensemble(F: np.ndarray, L: np.ndarray, w: float, shift=(0.0, 0.0, 0.0)) -> np.ndarray:
    return LABELS[(np.log(np.clip(w * F + (1 - w) * L, 1e-9, None)) + np.asarray(shift)).argmax(axis=1)]


def choose(F: np.ndarray, L: np.ndarray, y: np.ndarray) -> tuple[float, float, tuple]:
    """(validation accuracy, w, shift) maximising accuracy on the rows given (the validation rows)."""
    best = (-1.0, 0.5, (0.0, 0.0, 0.0))
    steps = np.arange(-1.0, 1.001, 0.25)
    y = np.asarray(y)
    for w in np.round(np.arange(0, 1.001, 0.1), 1):
        logp = np.log(np.clip(w * F + (1 - w) * L, 1e-9, None))
        for a, b in itertools.product(steps, steps):
            acc = float(np.mean(LABELS[(logp + np.array([a, b, 0.0])).argmax(axis=1)] == y))
            if acc > best[0] + 1e-12:
                best = (acc, float(w), (float(a), float(b), 0.0))
    return best


def finetuned_probs(fit, parts, epochs: int, max_length: int, reuse: bool) -> tuple[dict, float, float]:
    from pledge_analysis.coding.finetune import FineTunedClassifier

    path = Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / f"sentiment_finetuned_e{epochs}_l{max_length}.npz"
    if reuse and path.exists():
        z = np.load(path)
        print(f"fine-tuned probabilities read from {path} (fitted earlier: {float(z['cpu']):.0f} s CPU)", flush=True)
        return {k: z[k] for k in parts}, float(z["cpu"]), float(z["wall"])
    ft = FineTunedClassifier(epochs=epochs, max_length=max_length)
    _, cpu, wall = timed(lambda: ft.fit(fit["feedback"].tolist(), fit["y"].to_numpy()))
    probs = {k: ft.predict_proba(p["feedback"].tolist())[list(LABELS)].to_numpy() for k, p in parts.items()}
    np.savez(path, cpu=cpu, wall=wall, **probs)
    return probs, cpu, wall




# --- third and fourth members, stacking, and the choice among ensembles (validation rows only) -------------

CANDIDATE_CS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def demark(text: str) -> str:
    """Trust B's transcription mark undone: a capital ``I`` inside or at the start of a lower-case word
    ("wIth", "Inform" -> "with", "inform"); the pronoun "I" stays."""
    return MARK.sub("i", text)


MARK = re.compile(r"(?<=[a-z])I|I(?=[a-z])")


def word_member():
    """Word TF-IDF (1-2 grams) + multinomial LR: a member that sees neither case nor characters."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode"),
                         LogisticRegression(max_iter=3000))


def stack_features(P: dict, names) -> np.ndarray:
    return np.hstack([np.log(np.clip(P[n], 1e-6, None)) for n in names])


def fit_stacker(Z: np.ndarray, y: np.ndarray, seed: int = 0):
    """A multinomial LR over the members' log-probabilities, ``C`` chosen by 5-fold CV on the rows given."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    grid = GridSearchCV(LogisticRegression(max_iter=3000), {"C": list(CANDIDATE_CS)},
                        cv=StratifiedKFold(5, shuffle=True, random_state=seed)).fit(Z, y)
    return grid.best_estimator_


class Average:
    """``w * F + (1 - w) * L`` and a per-class log-shift; ``fixed`` keeps w = 0.5, no shift (no choice)."""

    names = ("F", "L")

    def __init__(self, fixed: bool = False):
        self.fixed = fixed

    def fit(self, P: dict, y):
        self.w_, self.shift_ = (0.5, (0.0, 0.0, 0.0)) if self.fixed else choose(P["F"], P["L"], y)[1:]
        return self

    def predict(self, P: dict):
        return ensemble(P["F"], P["L"], self.w_, self.shift_)

    def describe(self) -> str:
        return f"w={self.w_}, shift={self.shift_[:2]}"


class Stack:
    """The stacker over the named members (and the question one-hot when ``question``)."""

    def __init__(self, names, question: bool = False):
        self.names, self.question = tuple(names), question

    def _z(self, P):
        Z = stack_features(P, self.names)
        return np.hstack([Z, P["Q"]]) if self.question else Z

    def fit(self, P: dict, y):
        self.model_ = fit_stacker(self._z(P), y)
        return self

    def predict(self, P: dict):
        return self.model_.predict(self._z(P))

    def describe(self) -> str:
        return f"C={self.model_.C}"


def cv_accuracy(make, P: dict, y: np.ndarray, repeats: int = 3) -> tuple[float, float]:
    """Mean and standard deviation of the accuracy of ``make()`` fitted on 4/5 of the rows given and
    scored on the other fifth (5-fold, ``repeats`` shuffles): every choice the candidate makes is made
    inside the fold, so the figure is not the optimistic one of choosing and scoring on the same rows."""
    from sklearn.model_selection import RepeatedStratifiedKFold

    accs = []
    for a, b in RepeatedStratifiedKFold(n_splits=5, n_repeats=repeats, random_state=0).split(y, y):
        model = make().fit({k: v[a] for k, v in P.items()}, y[a])
        accs.append(accuracy_score(y[b], model.predict({k: v[b] for k, v in P.items()})))
    return float(np.mean(accs)), float(np.std(accs))


#: The ensembles compared on the validation rows; the one with the best cross-validated accuracy is chosen.
CANDIDATES = {
    "average F+L, w = 0.5 (package default)": lambda: Average(fixed=True),
    "average F+L, w and shift chosen": lambda: Average(),
    "stack F+L": lambda: Stack("FL"),
    "stack F+L+E": lambda: Stack("FLE"),
    "stack F+L+W": lambda: Stack("FLW"),
    "stack F+L+E+W": lambda: Stack("FLEW"),
    "stack F+L+L0+E+W": lambda: Stack(("F", "L", "L0", "E", "W")),
}


def members(fit: pd.DataFrame, parts: dict, question: bool = True) -> tuple[dict, dict]:
    """The linear members fitted on ``fit``: their probabilities on each part (``{part: {member: array}}``)
    and the process CPU seconds of each fit. L: raw-char linear (the embedding of the rows counted here),
    L0: the lower-cased package default, E: MiniLM embedding + LR, W: word TF-IDF + LR (``C`` of E and W
    by 5-fold CV inside the fit rows), Lq: L with the question as an input; Q: the question one-hot."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    from pledge_analysis.coding.classifier import question_onehot
    from pledge_analysis.coding.embeddings import embed
    from pledge_analysis.coding.sentiment import SentimentClassifier

    X, y = fit["feedback"].tolist(), fit["y"].to_numpy()
    cpu, models = {}, {}
    models["L"], cpu["L"], _ = timed(lambda: SentimentClassifier(method="trained", raw_chars=True).fit(X, y))
    models["L0"], cpu["L0"], _ = timed(lambda: SentimentClassifier(method="trained").fit(X, y))
    grid = {"C": [1.0, 4.0, 16.0]}
    models["E"], cpu["E"], _ = timed(lambda: GridSearchCV(LogisticRegression(max_iter=3000), grid, cv=5).fit(
        embed(X), y).best_estimator_)
    models["W"], cpu["W"], _ = timed(lambda: GridSearchCV(word_member(), {"logisticregression__C": grid["C"]},
                                                          cv=5).fit(X, y).best_estimator_)
    if question:
        Xq = pd.DataFrame({"text": X, "question_id": fit["question"].to_numpy()})
        models["Lq"], cpu["Lq"], _ = timed(lambda: SentimentClassifier(method="trained", raw_chars=True).fit(Xq, y))
    questions = sorted(fit["question"].unique())
    out = {}
    for k, p in parts.items():
        T = p["feedback"].tolist()
        out[k] = {"L": models["L"].predict_proba(T)[list(LABELS)].to_numpy(),
                  "L0": models["L0"].predict_proba(T)[list(LABELS)].to_numpy(),
                  "E": models["E"].predict_proba(embed(T)), "W": models["W"].predict_proba(T),
                  "Q": question_onehot(p["question"].tolist(), questions)}
        if question:
            Tq = pd.DataFrame({"text": T, "question_id": p["question"].to_numpy()})
            out[k]["Lq"] = models["Lq"].predict_proba(Tq)[list(LABELS)].to_numpy()
    return out, cpu


QUESTION_CANDIDATES = {
    "stack F+Lq + question": lambda: Stack(("F", "Lq"), question=True),
    "stack F+Lq+E+W + question": lambda: Stack(("F", "Lq", "E", "W"), question=True),
}


# --- K-fold estimate of the package default (--cv K) --------------------------------------------------------

CV_SEED = 42


def cv_path(k: int, i: int) -> Path:
    return Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / f"sentiment_cv{k}_fold{i}.json"


def cv_fold(k: int, i: int, epochs: int, max_length: int) -> dict:
    """Fit the package default on every fold but ``i`` of the K-fold split and score fold ``i`` once."""
    os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = "1"
    import json

    import torch
    from sklearn.model_selection import StratifiedKFold

    from pledge_analysis.coding.sentiment import SentimentClassifier

    torch.set_num_threads(1)
    d = load()
    a, b = list(StratifiedKFold(k, shuffle=True, random_state=CV_SEED).split(d, d["y"]))[i]
    tr, te = d.iloc[a], d.iloc[b]
    model = SentimentClassifier(method="finetuned", raw_chars=True, max_length=max_length, epochs=epochs)
    _, cpu, wall = timed(lambda: model.fit(tr["feedback"].tolist(), tr["y"].to_numpy()))
    pred = model.predict(te["feedback"].tolist())["sentiment"].to_numpy()
    yt = te["y"].to_numpy()
    out = {"fold": i, "k": k, "fit_rows": len(tr), "test_rows": len(te), "correct": int((pred == yt).sum()),
           "accuracy": float(accuracy_score(yt, pred)), "macro_f1": float(f1_score(yt, pred, average="macro")),
           "fit_cpu_s": cpu, "fit_wall_s": wall, "epochs": epochs, "max_length": max_length}
    cv_path(k, i).write_text(json.dumps(out))
    return out


def cv_summary(folds: list[dict], k: int) -> pd.DataFrame:
    """Per-fold rows, then mean, sd (ddof 1) and the 95% interval of the mean (t with K-1 df) of accuracy and macro-F1."""
    from scipy import stats

    t = pd.DataFrame(folds).sort_values("fold")
    n = len(t)
    lines = [f"{n} of {k} folds finished" + ("" if n == k else " (the run did not finish: the others are missing)")]
    for col in ("accuracy", "macro_f1"):
        m, sd = t[col].mean(), (t[col].std(ddof=1) if n > 1 else float("nan"))
        half = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n) if n > 1 else float("nan")
        lines.append(f"{col}: mean {m:.4f}, sd {sd:.4f}, 95% interval of the mean {m - half:.4f} .. {m + half:.4f}")
    print(t[["fold", "fit_rows", "test_rows", "correct", "accuracy", "macro_f1", "fit_cpu_s", "fit_wall_s"]]
          .to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    print("\n".join(lines))
    print(f"pooled: {int(t['correct'].sum()):,} of {int(t['test_rows'].sum()):,} held-out rows correct "
          f"({t['correct'].sum() / t['test_rows'].sum():.4f}); fit CPU per fold {t['fit_cpu_s'].min():.0f}-"
          f"{t['fit_cpu_s'].max():.0f} s (one thread), wall {t['fit_wall_s'].min():.0f}-{t['fit_wall_s'].max():.0f} s "
          "(shared machine)", flush=True)
    return t


def run_cv(k: int, jobs: int, epochs: int, max_length: int) -> int:
    import json
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # inherited by the spawned fold processes
        os.environ[var] = "1"
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    d = load()
    print(f"{k}-fold CV of the package default over {len(d):,} labelled comments (seed {CV_SEED}), "
          f"{jobs} folds side by side, epochs {epochs}, max_length {max_length}", flush=True)
    folds = []
    with ProcessPoolExecutor(jobs, mp_context=mp.get_context("spawn")) as pool:
        futs = [pool.submit(cv_fold, k, i, epochs, max_length) for i in range(k)]
        for f in as_completed(futs):
            r = f.result()
            folds.append(r)
            print("fold finished: " + json.dumps(r), flush=True)
    cv_summary(folds, k)
    return 0


def cv_report(k: int) -> int:
    import json

    folds = [json.loads(cv_path(k, i).read_text()) for i in range(k) if cv_path(k, i).exists()]
    if not folds:
        print(f"no finished folds in {cv_path(k, 0).parent}")
        return 0
    cv_summary(folds, k)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--reuse-finetuned", action="store_true")
    ap.add_argument("--validation-only", action="store_true",
                    help="compare and choose on the validation rows; do not score the test rows")
    ap.add_argument("--refit", action="store_true",
                    help="also refit the members on all training rows (fit + validation), keep the ensemble "
                         "chosen on validation, and score the test rows with it")
    ap.add_argument("--cv", type=int, default=0, metavar="K",
                    help="instead: stratified K-fold estimate of the package default over all labelled rows")
    ap.add_argument("--cv-jobs", type=int, default=2, help="folds fitted side by side (one thread each)")
    ap.add_argument("--cv-report", action="store_true", help="summarise the folds of --cv K already finished")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    if args.cv:
        return cv_report(args.cv) if args.cv_report else run_cv(args.cv, args.cv_jobs, args.epochs, args.max_length)
    fit, val, te = splits(load())
    print(f"{len(fit):,} fit / {len(val):,} validation / {len(te):,} test comments", flush=True)
    parts = {"val": val, "test": te}
    (P, cpu), _, lin_wall = timed(lambda: members(fit, parts))
    F, cpu["F"], ft_wall = finetuned_probs(fit, parts, args.epochs, args.max_length, args.reuse_finetuned)
    for k in parts:
        P[k]["F"] = F[k]
    yv, yt = val["y"].to_numpy(), te["y"].to_numpy()

    rows = []
    for name, make in CANDIDATES.items():
        (m, s), c, _ = timed(lambda: cv_accuracy(make, P["val"], yv))
        rows.append({"ensemble (text only)": name, "val_cv_accuracy": m, "sd": s})
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print("Validation rows, 5-fold x 3 cross-validated accuracy (each candidate's own choices made inside the "
          "folds):")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    best = table.loc[table["val_cv_accuracy"].idxmax(), "ensemble (text only)"]
    (chosen, cpu["stack"], _) = timed(lambda: CANDIDATES[best]().fit(P["val"], yv))
    budget = sum(cpu[m] for m in chosen.names) + cpu["stack"]
    print(f"chosen: {best} ({chosen.describe()}), fitted on all {len(val):,} validation rows", flush=True)
    print("fit CPU (s): " + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items()) +
          f"; the chosen ensemble's members + stacker {budget:.0f} s CPU, estimated wall on an idle 2-core "
          f"machine {budget / 2:.0f} s ({'within' if budget / 2 < BUDGET_S else 'over'} the {BUDGET_S} s budget); "
          f"wall here: linear members {lin_wall:.0f} s, fine-tuning {ft_wall:.0f} s (shared machine)", flush=True)
    qrows = []
    for name, make in QUESTION_CANDIDATES.items():
        m, s = cv_accuracy(make, P["val"], yv)
        qrows.append({"ensemble (text + question)": name, "val_cv_accuracy": m, "sd": s})
    qtable = pd.DataFrame(qrows)
    print(qtable.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    qbest = qtable.loc[qtable["val_cv_accuracy"].idxmax(), "ensemble (text + question)"]
    qchosen = QUESTION_CANDIDATES[qbest]().fit(P["val"], yv)
    robustness(fit, val)
    if args.validation_only:
        print("--validation-only: the test rows were not scored")
        return 0

    rows = []
    singles = {"linear, lower-cased chars (package default)": "L0", "linear, raw chars": "L",
               "fine-tuned only": "F", "MiniLM embedding + LR": "E", "word TF-IDF + LR": "W"}
    for name, m in singles.items():
        rows.append((name, LABELS[P["val"][m].argmax(1)], LABELS[P["test"][m].argmax(1)]))
    default = Average(fixed=True).fit(P["val"], yv)
    rows.append(("default ensemble (w=0.5)", default.predict(P["val"]), default.predict(P["test"])))
    rows.append((f"chosen on validation: {best} ({chosen.describe()})", None, chosen.predict(P["test"])))
    rows.append((f"with the question: {qbest} ({qchosen.describe()})", None, qchosen.predict(P["test"])))
    out = pd.DataFrame([{"model": n, "val_accuracy": np.nan if pv is None else accuracy_score(yv, pv),
                         "test_accuracy": accuracy_score(yt, pt), "test_macro_f1": f1_score(yt, pt, average="macro")}
                        for n, pv, pt in rows])
    print("Test rows, scored once (val_accuracy of a fitted ensemble would be in-sample: left blank):")
    print(out.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if args.refit:
        refit(pd.concat([fit, val]), te, args, chosen, best)
    return 0


def robustness(fit: pd.DataFrame, val: pd.DataFrame) -> None:
    """The raw-char linear model with Trust B's capital-I mark undone in every text (validation rows only)."""
    from pledge_analysis.coding.sentiment import SentimentClassifier

    X, V = [demark(t) for t in fit["feedback"]], [demark(t) for t in val["feedback"]]
    m = SentimentClassifier(method="trained", raw_chars=True).fit(X, fit["y"].to_numpy())
    changed = np.mean([a != b for a, b in zip(X, fit["feedback"])])
    print(f"robustness: linear raw chars with the capital-I mark undone ({changed:.1%} of the fit texts changed): "
          f"validation accuracy {m.score(V, val['y']):.3f}", flush=True)


def refit(train: pd.DataFrame, te: pd.DataFrame, args, chosen, best: str) -> None:
    """The deployable model: the members refitted on every training row, the ensemble chosen and fitted on
    the validation rows kept as it is (nothing is chosen here), the test rows scored once."""
    from pledge_analysis.coding.finetune import FineTunedClassifier

    (P, cpu), _, lin_wall = timed(lambda: members(train, {"test": te}, question=False))
    path = Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / \
        f"sentiment_finetuned_refit_e{args.epochs}_l{args.max_length}.npz"
    if args.reuse_finetuned and path.exists():
        z = np.load(path)
        P["test"]["F"], cpu["F"], ft_wall = z["test"], float(z["cpu"]), float(z["wall"])
        print(f"refitted fine-tuned probabilities read from {path}", flush=True)
    else:
        ft = FineTunedClassifier(epochs=args.epochs, max_length=args.max_length)
        _, cpu["F"], ft_wall = timed(lambda: ft.fit(train["feedback"].tolist(), train["y"].to_numpy()))
        P["test"]["F"] = ft.predict_proba(te["feedback"].tolist())[list(LABELS)].to_numpy()
        np.savez(path, cpu=cpu["F"], wall=ft_wall, test=P["test"]["F"])
    pt = chosen.predict(P["test"])
    p0 = Average(fixed=True).fit(P["test"], None).predict(P["test"])  # for reference: nothing is fitted in it
    print(f"refitted, default average (w=0.5) for reference: test accuracy {accuracy_score(te['y'], p0):.4f}",
          flush=True)
    print(f"refitted on {len(train):,} training rows ({best}, {chosen.describe()} as fitted on validation): "
          f"test accuracy {accuracy_score(te['y'], pt):.4f} ({int((pt == te['y'].to_numpy()).sum()):,} of {len(te):,}), macro-F1 {f1_score(te['y'], pt, average='macro'):.3f}; "
          "fit CPU (s): " + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items()) +
          f"; wall here: linear members {lin_wall:.0f} s, fine-tuning {ft_wall:.0f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
