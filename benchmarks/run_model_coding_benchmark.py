"""What the run's model coding costs on ~3,000 segments (the sample), TF-IDF only vs with MiniLM.

    nice python benchmarks/run_model_coding_benchmark.py [--reviewed 400] [--from OUT]

Takes the sample's segments and rule codings (from a run's ``segments.csv`` and ``codings.csv`` in
``--from OUT``, else from a run of data_samples/ without a store), makes a reviewer accept every rule
suggestion on the first ``--reviewed`` survey comments (``method="manual"``, ``status="accepted"``: what
``Project.record_decision`` writes), and times the run's model-coding step
(:func:`pledge_analysis.machine_coding.run_model_coding`: training with cross-validation, then
predicting every unreviewed segment) with ``embedding: none`` (the default) and ``embedding: minilm``,
in CPU seconds (``time.process_time``; the machine is shared) and wall seconds. The labels are the
sample's own rule codings accepted wholesale, so the printed F1 says only that the path works, not how
good a model is on real reviews (see machine_coding_benchmark.py and transfer_benchmark.py). Synthetic
data; no design choice looked at it.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reviewed", type=int, default=400)
    ap.add_argument("--from", dest="source", type=Path, default=None)
    args = ap.parse_args(argv)
    from pledge_analysis.coding.codebook import read_codebook
    from pledge_analysis.machine_coding import run_model_coding

    if args.source:
        segments = pd.read_csv(args.source / "segments.csv", dtype={"question_id": str})
        codings = pd.read_csv(args.source / "codings.csv")
        codings = codings[codings["method"] == "rules"]
        codebook = read_codebook(ROOT / "data_samples" / "codebook.yaml")
    else:
        from pledge_analysis.pipeline import run_project

        r = run_project(ROOT / "data_samples", store=None)
        segments, codings, codebook = r.segments, r.codings, r.codebook
    first = segments[segments["source_type"] == "survey"].sort_values(["source_id", "position"]).head(args.reviewed)
    reviewed = codings[codings["segment_id"].isin(set(first["segment_id"]))]
    store = reviewed.assign(method="manual", status="accepted", coder="reviewer")
    print(f"{len(segments):,} segments; {len(first)} reviewed with {len(store)} accepted codings", flush=True)
    for emb in ("none", "minilm"):
        c, t = time.process_time(), time.perf_counter()
        mc = run_model_coding({"embedding": emb}, store, segments, codebook, codings)
        cpu, wall = time.process_time() - c, time.perf_counter() - t
        log = mc.log()
        print(f"embedding {emb:6s}: {mc.status}; CPU {cpu:.1f} s, wall {wall:.1f} s; {log['suggestions']} model "
              f"suggestions; cross-validated {log['cross_validated']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
