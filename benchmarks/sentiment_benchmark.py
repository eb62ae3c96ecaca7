"""Text-only 3-class sentiment on real NHS feedback: can the ensemble reach 0.86 within 10 CPU minutes?

    nice python benchmarks/sentiment_benchmark.py [--epochs 2] [--max-length 128]

Reads ../shared/external/pxtextmining/phase1_text_data.csv (skips when absent). Labels as in
``machine_coding_benchmark.py``: criticality < 0 negative, 0 neutral, > 0 positive; the same 80/20
split (seed 42, stratified), so the test rows are that benchmark's. Text alone (no question).

Protocol (fixed before any test figure was seen): a validation split (20% of the training rows, seed 0,
stratified) is carved out; the fine-tuned MiniLM (:class:`~pledge_analysis.coding.finetune.FineTunedClassifier`)
and the trained linear model (``SentimentClassifier(method="trained")``) are fitted on the remaining
64% only. On the validation rows we choose (1) the weight ``w`` of the fine-tuned probabilities in the
average ``w * F + (1 - w) * L`` (0, 0.1, ..., 1; the package's default is 0.5) and (2) a log-shift per
class added to the averaged log-probabilities (a class-balance / decision calibration; grid -1..1 in
steps of 0.25 for two classes, the third fixed at 0), maximising accuracy. The chosen ensemble is then
scored on the test rows once, next to the default (w = 0.5, no shift) trained on the same 64%.
Prints accuracy and macro-F1, and the process CPU time of each fit (``time.process_time``; the
machine is shared, so wall time is inflated). Probabilities are kept in ``$TMPDIR/sentiment_probs_*.npz``
so other ensembles can be compared without re-fitting (never on the test rows).
"""
from __future__ import annotations

import argparse
import itertools
import os
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


def load() -> pd.DataFrame:
    d = pd.read_csv(DATA).dropna(subset=["feedback"])
    d = d[d["feedback"].str.strip() != ""]
    crit = pd.to_numeric(d["criticality"], errors="coerce")
    d = d.assign(c=crit).dropna(subset=["c"])
    return d.assign(y=np.where(d["c"] < 0, "negative", np.where(d["c"] > 0, "positive", "neutral")))


def cpu(fn):
    c = time.process_time()
    out = fn()
    return out, time.process_time() - c


def ensemble(F: np.ndarray, L: np.ndarray, w: float, shift=(0.0, 0.0, 0.0)) -> np.ndarray:
    return LABELS[(np.log(np.clip(w * F + (1 - w) * L, 1e-9, None)) + np.asarray(shift)).argmax(axis=1)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--max-length", type=int, default=128)
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    from pledge_analysis.coding.finetune import FineTunedClassifier
    from pledge_analysis.coding.sentiment import SentimentClassifier

    d = load()
    tr, te = train_test_split(d, test_size=0.2, random_state=42, stratify=d["y"])
    fit, val = train_test_split(tr, test_size=0.2, random_state=0, stratify=tr["y"])
    print(f"{len(fit):,} fit / {len(val):,} validation / {len(te):,} test comments; text only", flush=True)
    lin = SentimentClassifier(method="trained")
    _, lin_cpu = cpu(lambda: lin.fit(fit["feedback"].tolist(), fit["y"].tolist()))
    ft = FineTunedClassifier(epochs=args.epochs, max_length=args.max_length)
    _, ft_cpu = cpu(lambda: ft.fit(fit["feedback"].tolist(), fit["y"].to_numpy()))
    probs = {}
    for name, part in (("val", val), ("test", te)):
        probs[f"L_{name}"] = lin.predict_proba(part["feedback"].tolist())[list(LABELS)].to_numpy()
        probs[f"F_{name}"] = ft.predict_proba(part["feedback"].tolist())[list(LABELS)].to_numpy()
    out = Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / f"sentiment_probs_e{args.epochs}_l{args.max_length}.npz"
    np.savez(out, y_val=val["y"].to_numpy(), y_test=te["y"].to_numpy(), **probs)
    print(f"fit CPU: linear {lin_cpu:.0f} s, fine-tuned ({args.epochs} epochs, max_length {args.max_length}) "
          f"{ft_cpu:.0f} s; probabilities in {out}", flush=True)
    yv, yt = val["y"].to_numpy(), te["y"].to_numpy()
    best = (-1.0, 0.5, (0.0, 0.0, 0.0))
    steps = np.arange(-1.0, 1.001, 0.25)
    for w in np.round(np.arange(0, 1.001, 0.1), 1):
        for a, b in itertools.product(steps, steps):
            acc = accuracy_score(yv, ensemble(probs["F_val"], probs["L_val"], w, (a, b, 0.0)))
            if acc > best[0] + 1e-12:
                best = (acc, float(w), (float(a), float(b), 0.0))
    rows = []
    for name, w, shift in (("linear only", 0.0, (0, 0, 0)), ("fine-tuned only", 1.0, (0, 0, 0)),
                           ("default ensemble (w=0.5)", 0.5, (0, 0, 0)),
                           (f"chosen on validation (w={best[1]}, shift={best[2][:2]})", best[1], best[2])):
        pv = ensemble(probs["F_val"], probs["L_val"], w, shift)
        pt = ensemble(probs["F_test"], probs["L_test"], w, shift)
        rows.append({"model": name, "val_accuracy": accuracy_score(yv, pv), "test_accuracy": accuracy_score(yt, pt),
                     "test_macro_f1": f1_score(yt, pt, average="macro")})
    pd.set_option("display.width", 200)
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
