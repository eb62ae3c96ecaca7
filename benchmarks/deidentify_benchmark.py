"""De-identification benchmark: quality per label and throughput.

    python benchmarks/deidentify_benchmark.py

Prints precision / recall / F1 per label on the development evaluation set (templates the
recognizers were built against) and on the held-out set (new templates, names and hard
negatives), the throughput of ``redact_frame``, and, when ../shared/external is present,
how many redactions it makes on 10,334 real, already-anonymised NHS patient comments
(a false-positive probe: those comments should contain almost no identifiers).
"""
from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from pledge_analysis.text import redact_frame
from pledge_analysis.text.evaluation import evaluate, make_eval_set, make_heldout_set

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"
TARGETS = {"PHONE": 0.98, "EMAIL": 0.98, "NHS_NUMBER": 0.98, "POSTCODE": 0.98, "PERSON": 0.90}


def quality() -> None:
    for name, items in (("development set (2,000 items)", make_eval_set(2000, seed=0)),
                        ("held-out set (1,000 items)", make_heldout_set(1000, seed=1))):
        scores = evaluate(items)
        print(f"\n{name}")
        print(scores.to_string(index=False))
        for label, target in TARGETS.items():
            r = scores.set_index("label").at[label, "recall"]
            print(f"  recall {label:<10} {r:.3f}  target >= {target}  {'ok' if r >= target else 'MISSED'}")
        p = scores.set_index("label").at["ALL", "precision"]
        print(f"  precision overall {p:.3f}  target >= 0.90  {'ok' if p >= 0.9 else 'MISSED'}")


def throughput() -> None:
    from pledge_analysis.pipeline import ingest
    from pledge_analysis.config import ProjectConfig
    from pledge_analysis.io import load_questions

    cfg = ProjectConfig.load(ROOT / "data_samples")
    segs = ingest(cfg, load_questions(cfg.questions)).segments
    big = pd.concat([segs] * 7, ignore_index=True)  # ~22,000 comments and turns
    redact_frame(big.head(50))  # warm the gazetteers
    t = time.perf_counter()
    redact_frame(big)
    dt = time.perf_counter() - t
    print(f"\nthroughput on the sample's comments x7: {len(big):,} texts in {dt:.1f} s = {len(big) / dt:,.0f} texts/s "
          f"(target >= 1,000/s)")
    if REAL.exists():
        real = pd.read_csv(REAL).rename(columns={"feedback": "text"}).dropna(subset=["text"])
        t = time.perf_counter()
        _, review = redact_frame(real, id_column=None, source_column=None)
        dt = time.perf_counter() - t
        print(f"real NHS feedback: {len(real):,} comments in {dt:.1f} s = {len(real) / dt:,.0f} comments/s")
        counts = review["label"].value_counts()
        print("redactions on real anonymised comments (false-positive probe), per 1,000 comments:")
        for label, n in counts.items():
            print(f"  {label:<10} {1000 * n / len(real):5.1f}")


if __name__ == "__main__":
    quality()
    throughput()
