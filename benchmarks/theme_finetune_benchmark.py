"""Fine-tuned MiniLM theme head, alone and averaged with the linear model, on real NHS feedback.

    python benchmarks/theme_finetune_benchmark.py [--reuse] [--cache DIR]

pxtextmining phase 1 (``../shared/external/pxtextmining/phase1_text_data.csv``), 9 themes, the same
80/20 split (seed 42, stratified) as ``machine_coding_benchmark.py``. Every choice is made on a
validation slice of the 80% training rows (15%, :func:`pledge_analysis.coding.finetune.holdout_split`
with seed 0, which is also the slice the multi-label head holds out for its thresholds): the ensemble
weight and the ensemble's multi-label thresholds. Epochs (2), max_length (128), learning rate and
batch size are the package defaults, not tuned. The fine-tuned networks are trained on the 85%
left after the slice (so the weight can be chosen on rows they never saw); the linear models that
score the test rows are fitted on the whole 80% (as ``FineTunedThemeClassifier`` does).

Rows, each single-label (top class) and multi-label (label sets, at per-code thresholds; the gold
set is the one phase-1 theme of the comment): the in-run TF-IDF + LinearSVC baseline (one-vs-rest,
decision > 0, for label sets), ``ThemeClassifier``, the fine-tuned head alone, and the ensemble at
the weight chosen on validation and at the default 0.5. Accuracy is exact match (single-label: top
class = gold); micro- and macro-F1 over the 9 themes.

Fine-tuning runs with 1 torch thread under whatever ``nice`` the caller gives; its fit CPU seconds
(``time.process_time``) and wall time are printed with the load average. The fine-tuned probabilities
on the validation and test rows are cached in ``--cache`` (default ``benchmarks/.cache/theme_finetune``):
``--reuse`` reads them instead of fitting again. The test rows have been scored by earlier models of
``machine_coding_benchmark.py``; no choice of the models here looked at them.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine_coding_benchmark import DATA, load  # noqa: E402

from pledge_analysis.coding.classifier import ThemeClassifier  # noqa: E402
from pledge_analysis.coding.ensemble import blend  # noqa: E402
from pledge_analysis.coding.finetune import FineTunedClassifier, holdout_split, tune_thresholds  # noqa: E402

WEIGHTS = np.round(np.arange(0, 1.01, 0.1), 2)
FRACTION, SEED = 0.15, 0


def split(target: str = "label"):
    d = load()
    counts = d[target].value_counts()
    d = d[d[target].isin(counts[counts >= 10].index)]
    tr, te = train_test_split(d, test_size=0.2, random_state=42, stratify=d[target])
    tr, te = tr.reset_index(drop=True), te.reset_index(drop=True)
    rest, val = holdout_split(len(tr), FRACTION, SEED)
    return tr, te, rest, val


def onehot(labels, classes) -> pd.DataFrame:
    labels = np.asarray(labels)
    return pd.DataFrame((labels[:, None] == np.asarray(classes)[None, :]).astype(int), columns=list(classes))


def scores(Y: pd.DataFrame, pred: pd.DataFrame) -> dict:
    y, p = Y.to_numpy(), pred[list(Y.columns)].to_numpy()
    return {"accuracy": float((y == p).all(axis=1).mean()),
            "micro_f1": float(f1_score(y, p, average="micro", zero_division=0)),
            "macro_f1": float(f1_score(y, p, average="macro", zero_division=0))}


def top(P: pd.DataFrame) -> pd.DataFrame:
    """The most probable column of each row as a 0/1 table."""
    return onehot(P.columns[P.to_numpy().argmax(axis=1)], P.columns)


def at(P: pd.DataFrame, thresholds: pd.Series) -> pd.DataFrame:
    return (P >= thresholds[P.columns]).astype(int).reset_index(drop=True)


def load_avg() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def finetuned(tr, te, rest, val, classes, cache: Path, reuse: bool) -> dict:
    """Probabilities of the single-label and the multi-label head on the validation and test rows (cached)."""
    import torch

    torch.set_num_threads(1)
    out = {}
    for kind in ("multi", "single"):
        meta_path = cache / f"{kind}.json"
        if reuse and meta_path.exists():
            meta = json.loads(meta_path.read_text())
            out[kind] = {"val": pd.read_csv(cache / f"{kind}_val.csv"), "test": pd.read_csv(cache / f"{kind}_test.csv"),
                         **meta}
            print(f"{kind}: reusing {cache} (fitted with {meta['cpu_s']:.0f} s CPU, {meta['wall_s']:.0f} s wall)")
            continue
        before, cpu, wall = load_avg(), time.process_time(), time.perf_counter()
        if kind == "multi":  # holds out the same validation slice itself (holdout_split(n, FRACTION, SEED))
            model = FineTunedClassifier(progress=True, threshold_fraction=FRACTION, random_state=SEED)
            model.fit(tr["feedback"].tolist(), onehot(tr["label"], classes))
            assert np.array_equal(model.validation_index_, val)
        else:
            model = FineTunedClassifier(progress=True, random_state=SEED)
            model.fit(tr["feedback"].iloc[rest].tolist(), tr["label"].iloc[rest].tolist())
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        meta = {"cpu_s": cpu, "wall_s": wall, "load_before": before, "load_after": load_avg(), "rows": int(len(rest)),
                "thresholds": dict(model.thresholds_) if kind == "multi" else None}
        P_val = model.predict_proba(tr["feedback"].iloc[val].tolist())[list(classes)]
        P_test = model.predict_proba(te["feedback"].tolist())[list(classes)]
        _save(cache, kind, P_val, P_test, meta)
        print(f"{kind}: fine-tuned on {len(rest):,} comments in {cpu:.0f} s CPU, {wall:.0f} s wall "
              f"(load {before} -> {meta['load_after']})")
        out[kind] = {"val": P_val, "test": P_test, **meta}
    return out


def _save(cache: Path, prefix: str, val: pd.DataFrame, test: pd.DataFrame, meta: dict) -> None:
    """Cache one model's validation and test probabilities and its fit figures (read back by ``--reuse``)."""
    cache.mkdir(parents=True, exist_ok=True)
    val.to_csv(cache / f"{prefix}_val.csv", index=False)
    test.to_csv(cache / f"{prefix}_test.csv", index=False)
    (cache / f"{prefix}.json").write_text(json.dumps(meta, indent=1))


def linear_scores(tr, te, rest, val, classes, mode: str, cache: Path, reuse: bool):
    """ThemeClassifier's probabilities: on the test rows fitted on the whole 80% (with its own out-of-fold
    thresholds, multi-label), on the validation rows fitted on the rest (cached like the fine-tuned ones)."""
    meta_path = cache / f"linear_{mode}.json"
    if reuse and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        print(f"ThemeClassifier ({mode}): reusing {cache} (fit {meta['cpu_s']:.0f} s CPU, {meta['wall_s']:.0f} s wall)")
        return (pd.read_csv(cache / f"linear_{mode}_val.csv"), pd.read_csv(cache / f"linear_{mode}_test.csv"),
                pd.Series(meta["thresholds"]), meta["note"])

    def make():
        return ThemeClassifier(multi_label=mode == "multi", cache_dir=cache / "embeddings")

    def labels(d):
        return onehot(d["label"], classes) if mode == "multi" else d["label"].tolist()

    before, cpu, wall = load_avg(), time.process_time(), time.perf_counter()
    full = make().fit(tr["feedback"].tolist(), labels(tr))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    L_test = full.predict_proba(te["feedback"].tolist())[classes].reset_index(drop=True)
    part = make().fit(tr["feedback"].iloc[rest].tolist(), labels(tr.iloc[rest]))
    L_val = part.predict_proba(tr["feedback"].iloc[val].tolist())[classes].reset_index(drop=True)
    note = "thresholds: 3-fold out-of-fold on the 80%" if mode == "multi" else ""
    meta = {"cpu_s": cpu, "wall_s": wall, "load_before": before, "load_after": load_avg(),
            "thresholds": {str(k): float(v) for k, v in full.thresholds_.items()}, "note": note}
    _save(cache, f"linear_{mode}", L_val, L_test, meta)
    print(f"ThemeClassifier ({mode}) fit on {len(tr):,}: {cpu:.0f} s CPU, {wall:.0f} s wall (load {before} -> "
          f"{meta['load_after']}; embeddings from the disk cache once computed)")
    return L_val, L_test, pd.Series(meta["thresholds"]), note


def choose_weight(Y_val: pd.DataFrame, F: pd.DataFrame, L: pd.DataFrame, multi: bool) -> tuple[float, pd.Series | None]:
    """The weight (and, multi-label, the thresholds) with the best mean of micro- and macro-F1 on validation."""
    best = (-1.0, 0.5, None)
    for w in WEIGHTS:
        P = blend(F, L, w)
        th = tune_thresholds(Y_val, P, 3) if multi else None
        s = scores(Y_val, at(P, th) if multi else top(P))
        if (s["micro_f1"] + s["macro_f1"]) / 2 > best[0] + 1e-12:
            best = ((s["micro_f1"] + s["macro_f1"]) / 2, float(w), th)
    return best[1], best[2]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reuse", action="store_true", help="read the cached fine-tuned probabilities")
    ap.add_argument("--cache", type=Path, default=Path(__file__).resolve().parent / ".cache" / "theme_finetune")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    tr, te, rest, val = split()
    classes = sorted(tr["label"].unique())
    print(f"{len(tr):,} training comments ({len(rest):,} fit + {len(val):,} validation), {len(te):,} test; "
          f"{len(classes)} themes; load {load_avg()}")
    ft = finetuned(tr, te, rest, val, classes, args.cache, args.reuse)
    Y_val, Y_test = onehot(tr["label"].iloc[val], classes), onehot(te["label"], classes)
    X_tr, X_te = tr["feedback"].tolist(), te["feedback"].tolist()
    rows = []

    def row(model: str, mode: str, pred: pd.DataFrame, note: str = "") -> None:
        rows.append({"model": model, "labels": mode, **scores(Y_test, pred), "note": note})

    base = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), LinearSVC(C=0.5))
    base.fit(X_tr, tr["label"])
    row("baseline TF-IDF + LinearSVC", "single", onehot(base.predict(X_te), classes))
    ovr = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                        OneVsRestClassifier(LinearSVC(C=0.5)))
    ovr.fit(X_tr, onehot(tr["label"], classes).to_numpy())
    row("baseline TF-IDF + LinearSVC, one-vs-rest", "multi", pd.DataFrame(ovr.predict(X_te), columns=classes))

    linear = {}
    for mode in ("single", "multi"):
        L_val, L_test, th, note = linear_scores(tr, te, rest, val, classes, mode, args.cache, args.reuse)
        linear[mode] = (L_val, L_test)
        row("ThemeClassifier (TF-IDF + MiniLM, LR)", mode, at(L_test, th) if mode == "multi" else top(L_test), note)

    for mode in ("single", "multi"):
        F_val, F_test = ft[mode]["val"], ft[mode]["test"]
        L_val, L_test = linear[mode]
        multi = mode == "multi"
        if multi:
            th = tune_thresholds(Y_val, F_val, 3)  # = the model's thresholds_ (same slice, same rule)
            row("fine-tuned MiniLM head alone", mode, at(F_test, th), "thresholds on the validation slice")
            row("fine-tuned MiniLM head alone, top code", "single", top(F_test), "multi-label head, argmax")
        else:
            row("fine-tuned MiniLM head alone", mode, top(F_test))
        th_default = tune_thresholds(Y_val, blend(F_val, L_val, 0.5), 3) if multi else None
        P = blend(F_test, L_test, 0.5)
        row("ensemble, default weight 0.5", mode, at(P, th_default) if multi else top(P),
            "thresholds on the validation slice" if multi else "")
        w, th = choose_weight(Y_val, F_val, L_val, multi)
        P = blend(F_test, L_test, w)
        row(f"ensemble, weight {w:.1f} chosen on validation", mode, at(P, th) if multi else top(P),
            "weight and thresholds on the validation slice" if multi else "weight on the validation slice")
    out = pd.DataFrame(rows)
    pd.set_option("display.width", 220)
    pd.set_option("display.max_colwidth", 60)
    print(out.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    for kind in ("multi", "single"):
        m = ft[kind]
        print(f"fine-tuning ({kind}-label head, {m['rows']:,} comments, 2 epochs, 1 torch thread): "
              f"{m['cpu_s']:.0f} s CPU, {m['wall_s']:.0f} s wall, load {m['load_before']} -> {m['load_after']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
