"""What model coding costs a `pledge-analysis run`: the sample (3,165 segments) with a reviewed store.

    nice python benchmarks/run_model_coding_benchmark.py [--reviewed 400]

Copies data_samples/ to a temporary folder, runs it once with its store, then has a reviewer accept
every rule suggestion on the first ``--reviewed`` survey comments (``Project.record_decision``, as the
review app does) so the store passes ``machine_coding: min_accepted``. Then runs the project again with
``embedding: none`` (the default: TF-IDF only) and ``embedding: minilm`` and prints, for each, the CPU
and wall seconds of the run's model-coding step, the number of model suggestions and the cross-validated
micro/macro F1 on the reviewed segments. The labels are the sample's own rule codings accepted
wholesale, so the quality figures say only that the path works, not how good a model is on real
reviews (for that see machine_coding_benchmark.py and transfer_benchmark.py on real feedback).
Synthetic data; no design choice looked at it. CPU time is the honest figure on a shared machine.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reviewed", type=int, default=400)
    args = ap.parse_args(argv)
    from pledge_analysis.pipeline import run_project
    from pledge_analysis.project import Project

    tmp = Path(tempfile.mkdtemp()) / "sample"
    shutil.copytree(ROOT / "data_samples", tmp, ignore=shutil.ignore_patterns("project*.sqlite"))
    yaml = (tmp / "project.yaml").read_text(encoding="utf-8")
    run_project(tmp, store=True)
    with Project.open(tmp / "project.sqlite") as p:
        segs = p.read_table("segments")
        segs = segs[segs["source_type"] == "survey"].sort_values(["source_id", "position"]).head(args.reviewed)
        queue = p.review_queue("reviewer")
        for cid in queue.loc[queue["segment_id"].isin(set(segs["segment_id"])), "coding_id"]:
            p.record_decision(int(cid), "accepted", coder="reviewer")
    step = "model coding from the store's reviewed codings"
    for emb in ("none", "minilm"):
        (tmp / "project.yaml").write_text(yaml + f"\nmachine_coding: {{embedding: {emb}}}\n", encoding="utf-8")
        r = run_project(tmp, store=True)
        log = r.run_log["machine_coding"]
        print(f"embedding {emb:6s}: {r.run_log['rows']['segments_kept']:,} segments, {log['reviewed_segments']} "
              f"reviewed ({log['accepted']} accepted codings), step CPU {r.run_log['cpu_s'][step]:.1f} s, wall "
              f"{r.run_log['timings_s'][step]:.1f} s; {log['suggestions']} model suggestions; cross-validated "
              f"{log['cross_validated']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
