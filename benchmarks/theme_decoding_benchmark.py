"""Rare-theme keyword rules as features, and label co-occurrence, on top of the multi-label ensemble.

    python benchmarks/theme_decoding_benchmark.py [--reuse] [--cache DIR] [--score-test]

Data, split and models are those of ``theme_finetune_benchmark.py`` (pxtextmining phase 1, 9 themes,
seed-42 stratified 80/20; a 15% validation slice of the 80%, :func:`holdout_split` seed 0; the
multi-label fine-tuned head trained on the other 85%, ``ThemeClassifier`` (TF-IDF + MiniLM) on the
85% for the validation rows and on the whole 80% for the test rows). Its cache is shared
(``benchmarks/.cache/theme_finetune``): ``--reuse`` reads the probabilities either script wrote.

On the ensemble's averaged probabilities (weight ``w`` chosen on validation, as there) this adds two
things the issue names, each one a choice made on the **validation rows only**:

- **rare-theme keyword rules as features**: for each theme with fewer than :data:`RARE_SHARE` of the
  training rows, the words most associated with it in the 85% fit rows (chi-squared on binary word
  presence, top :data:`N_WORDS`); a comment containing one of a rare theme's words gets ``+ b`` on that
  theme's probability, ``b`` chosen on validation from :data:`BOOSTS` (0 = off);
- **label co-occurrence**: the number of labels a comment gets follows the training label sets: with
  ``max_labels = k`` only the ``k`` most probable labels above their thresholds are kept, and with
  ``at_least_one`` the most probable label is given when none passes its threshold; ``k`` and the
  fallback chosen on validation (k from 1 to 3, or no cap).

Thresholds are re-tuned on validation for each candidate (per theme, as the package does). Without
``--score-test`` only validation figures are printed; ``--score-test`` scores the test rows once with the
chosen settings and prints them beside the existing ensemble (weight and thresholds on validation) and
the in-run TF-IDF + LinearSVC one-vs-rest baseline. Phase 1 gives each comment one gold theme, so the
co-occurrence part learns "one theme per comment" from the training labels: it measures label sets
against a single true theme, and would need re-checking on a truly multi-label framework.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine_coding_benchmark import DATA  # noqa: E402
from theme_finetune_benchmark import (FRACTION, SEED, _save, at, choose_weight, linear_scores, load_avg,  # noqa: E402
                                      onehot, scores, split)

from pledge_analysis.coding.ensemble import blend  # noqa: E402
from pledge_analysis.coding.finetune import FineTunedClassifier, tune_thresholds  # noqa: E402

RARE_SHARE = 0.08
N_WORDS = 15
BOOSTS = (0.0, 0.05, 0.1, 0.2, 0.3)
CAPS = (None, 1, 2, 3)
STACK_C = (0.1, 1.0, 10.0)


def multi_head(tr, te, val, classes, cache: Path, reuse: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The multi-label fine-tuned head's validation and test probabilities (the cache theme_finetune_benchmark uses)."""
    import json

    if reuse and (cache / "multi.json").exists():
        meta = json.loads((cache / "multi.json").read_text())
        print(f"multi: reusing {cache} (fitted with {meta['cpu_s']:.0f} s CPU, {meta['wall_s']:.0f} s wall)")
        return pd.read_csv(cache / "multi_val.csv"), pd.read_csv(cache / "multi_test.csv")
    import torch

    torch.set_num_threads(1)
    before, cpu, wall = load_avg(), time.process_time(), time.perf_counter()
    model = FineTunedClassifier(progress=True, threshold_fraction=FRACTION, random_state=SEED)
    model.fit(tr["feedback"].tolist(), onehot(tr["label"], classes))
    assert np.array_equal(model.validation_index_, val)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    meta = {"cpu_s": cpu, "wall_s": wall, "load_before": before, "load_after": load_avg(),
            "rows": int(len(tr) - len(val)), "thresholds": dict(model.thresholds_)}
    P_val = model.predict_proba(tr["feedback"].iloc[val].tolist())[list(classes)]
    P_test = model.predict_proba(te["feedback"].tolist())[list(classes)]
    _save(cache, "multi", P_val, P_test, meta)
    print(f"multi: fine-tuned in {cpu:.0f} s CPU, {wall:.0f} s wall (load {before} -> {meta['load_after']})")
    return P_val, P_test


def rare_words(texts: list[str], Y: pd.DataFrame) -> dict[str, list[str]]:
    """For each rare theme (share < RARE_SHARE), its N_WORDS words of highest chi-squared against it."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.feature_selection import chi2

    vec = CountVectorizer(binary=True, min_df=3, stop_words="english")
    W = vec.fit_transform(texts)
    vocab = np.asarray(vec.get_feature_names_out())
    out = {}
    for c in Y.columns:
        y = Y[c].to_numpy()
        if y.mean() >= RARE_SHARE:
            continue
        score, _ = chi2(W, y)
        score = np.nan_to_num(score)
        pos = np.asarray(W[y == 1].mean(axis=0)).ravel() > np.asarray(W[y == 0].mean(axis=0)).ravel()
        order = [i for i in np.argsort(-score) if pos[i]][:N_WORDS]
        out[c] = vocab[order].tolist()
    return out


def keyword_hits(texts: list[str], words: dict[str, list[str]], columns) -> pd.DataFrame:
    """1 where a comment contains one of a rare theme's words (word-level, lower case), else 0."""
    import re

    tokens = [set(re.findall(r"[a-z']+", t.lower())) for t in texts]
    return pd.DataFrame({c: [int(bool(tok & set(words.get(c, ())))) for tok in tokens] for c in columns})


def decode(P: pd.DataFrame, th: pd.Series, cap: int | None, at_least_one: bool) -> pd.DataFrame:
    """Label sets: each theme at its threshold, then at most ``cap`` (the most probable), and the top theme
    when none passes and ``at_least_one``."""
    p = P.to_numpy()
    hit = p >= th[P.columns].to_numpy()[None, :]
    if cap is not None:
        rank = np.argsort(np.argsort(-p, axis=1), axis=1)
        hit &= rank < cap
    if at_least_one:
        none = ~hit.any(axis=1)
        hit[none, p[none].argmax(axis=1)] = True
    return pd.DataFrame(hit.astype(int), columns=P.columns)


def stack_features(P: pd.DataFrame, K: pd.DataFrame) -> np.ndarray:
    """Every theme's ensemble log-odds (how the themes compete and co-occur) and the rare-theme keyword hits."""
    p = np.clip(P.to_numpy(), 1e-4, 1 - 1e-4)
    return np.hstack([np.log(p / (1 - p)), K.to_numpy()])


def stacked(Z_fit: np.ndarray, Y_fit: pd.DataFrame, Z_apply: np.ndarray, C: float) -> pd.DataFrame:
    """Per theme, a logistic regression on :func:`stack_features` fitted on ``Z_fit`` and applied to ``Z_apply``."""
    from sklearn.linear_model import LogisticRegression

    out = {}
    for j, c in enumerate(Y_fit.columns):
        out[c] = LogisticRegression(C=C, max_iter=2000).fit(Z_fit, Y_fit[c].to_numpy()).predict_proba(Z_apply)[:, 1]
    return pd.DataFrame(out)


def stacked_oof(Z: np.ndarray, Y: pd.DataFrame, C: float, folds: int = 5) -> pd.DataFrame:
    """Out-of-fold stacked probabilities on the validation rows (the stacker never scores rows it learnt)."""
    from sklearn.model_selection import KFold

    out = pd.DataFrame(0.0, index=range(len(Y)), columns=Y.columns)
    for a, b in KFold(folds, shuffle=True, random_state=0).split(Z):
        out.iloc[b] = stacked(Z[a], Y.iloc[a].reset_index(drop=True), Z[b], C).to_numpy()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reuse", action="store_true", help="read the cached probabilities")
    ap.add_argument("--cache", type=Path, default=Path(__file__).resolve().parent / ".cache" / "theme_finetune")
    ap.add_argument("--fit-only", action="store_true", help="fit and cache the models, print nothing else")
    ap.add_argument("--score-test", action="store_true", help="score the test rows (once) with the chosen settings")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    tr, te, rest, val = split()
    classes = sorted(tr["label"].unique())
    print(f"{len(tr):,} training comments ({len(rest):,} fit + {len(val):,} validation), {len(te):,} test; "
          f"{len(classes)} themes; load {load_avg()}")
    F_val, F_test = multi_head(tr, te, val, classes, args.cache, args.reuse)
    L_val, L_test, _th, _note = linear_scores(tr, te, rest, val, classes, "multi", args.cache, args.reuse)
    if args.fit_only:
        return 0
    Y_val, Y_test = onehot(tr["label"].iloc[val], classes), onehot(te["label"], classes)
    w, th_ens = choose_weight(Y_val, F_val, L_val, True)
    P_val, P_test = blend(F_val, L_val, w), blend(F_test, L_test, w)
    print(f"ensemble weight chosen on validation: {w:.1f}")

    c0 = time.process_time()
    fit_texts = tr["feedback"].iloc[rest].tolist()
    words = rare_words(fit_texts, onehot(tr["label"].iloc[rest], classes))
    print(f"rare themes (< {RARE_SHARE:.0%} of the fit rows) and their words ({time.process_time() - c0:.1f} s CPU):")
    for c, ws in words.items():
        print(f"  {c}: {', '.join(ws)}")
    K_val = keyword_hits(tr["feedback"].iloc[val].tolist(), words, classes)
    K_test = keyword_hits(te["feedback"].tolist(), words, classes)
    sets = onehot(tr["label"].iloc[rest], classes).sum(axis=1)
    print(f"labels per training comment: {sets.value_counts().sort_index().to_dict()} (phase 1: one theme each)")

    rows = []
    for b in BOOSTS:
        Pb = (P_val + b * K_val.set_axis(P_val.index)).clip(upper=1.0)
        th = tune_thresholds(Y_val, Pb, 3)
        for cap in CAPS:
            for one in (False, True):
                s = scores(Y_val, decode(Pb, th, cap, one))
                rows.append({"boost": b, "max_labels": cap, "at_least_one": one, **s,
                             "mean_f1": (s["micro_f1"] + s["macro_f1"]) / 2})
    Z_val = stack_features(P_val, K_val)
    Y_v = Y_val.reset_index(drop=True)
    for C in STACK_C:  # stacking: label co-occurrence and keyword hits learnt, out-of-fold on validation
        S = stacked_oof(Z_val, Y_v, C)
        th = tune_thresholds(Y_v, S, 3)
        for cap in CAPS:
            for one in (False, True):
                s = scores(Y_v, decode(S, th, cap, one))
                rows.append({"boost": f"stack C={C}", "max_labels": cap, "at_least_one": one, **s,
                             "mean_f1": (s["micro_f1"] + s["macro_f1"]) / 2})
    grid = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print("validation (choices only):")
    print(grid.sort_values("mean_f1", ascending=False).head(12).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    ref = grid[(grid["boost"] == 0) & grid["max_labels"].isna() & ~grid["at_least_one"]].iloc[0]
    best = grid.sort_values("mean_f1", ascending=False, kind="stable").iloc[0]  # ties: the earlier (simpler) row
    cap = None if pd.isna(best["max_labels"]) else int(best["max_labels"])
    print(f"chosen: boost {best['boost']}, max_labels {cap}, at_least_one {bool(best['at_least_one'])} "
          f"(validation micro {best['micro_f1']:.3f} / macro {best['macro_f1']:.3f}; the ensemble as it is: "
          f"micro {ref['micro_f1']:.3f} / macro {ref['macro_f1']:.3f})")
    if not args.score_test:
        print("test rows not scored (pass --score-test once, after the choices are made)")
        return 0

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    b = float(best["boost"])
    th = tune_thresholds(Y_val, (P_val + b * K_val.set_axis(P_val.index)).clip(upper=1.0), 3)
    Pt = (P_test + b * K_test.set_axis(P_test.index)).clip(upper=1.0)
    out = []
    ovr = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                        OneVsRestClassifier(LinearSVC(C=0.5)))
    ovr.fit(tr["feedback"].tolist(), onehot(tr["label"], classes).to_numpy())
    out.append({"model": "baseline TF-IDF + LinearSVC, one-vs-rest",
                **scores(Y_test, pd.DataFrame(ovr.predict(te["feedback"].tolist()), columns=classes))})
    out.append({"model": f"ensemble, weight {w:.1f} (as theme_finetune_benchmark)", **scores(Y_test, at(P_test, th_ens))})
    if b:
        out.append({"model": f"+ rare-theme keywords (boost {b})",
                    **scores(Y_test, decode(Pt, th, None, False))})
    out.append({"model": f"+ keywords (boost {b}), max_labels {cap}, at_least_one {bool(best['at_least_one'])}",
                **scores(Y_test, decode(Pt, th, cap, bool(best["at_least_one"])))})
    print("test rows (scored once):")
    print(pd.DataFrame(out).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
