"""Throughput of `pledge-analysis code`: the local engine against Dask with 1 and 2 worker processes.

    python benchmarks/dask_benchmark.py                      # 100,000 synthetic comments
    python benchmarks/dask_benchmark.py --comments 10000     # a quicker look
    python benchmarks/dask_benchmark.py --real               # the real pxtextmining comments, replicated
    python benchmarks/dask_benchmark.py --configs local dask:2

Input: N comments written as Parquet parts of at most 10,000 rows (at least 8 parts) in a temporary folder, either synthetic (the
sample's generator, ``data_samples/generate.py``: sentences from its text bank, placeholders, planted
identifiers, lower-cased and unpunctuated variants; nothing real) or, with ``--real``, the 10,334 real
NHS comments of ``../shared/external/pxtextmining/phase1_text_data.csv`` repeated to N (skipped when
that folder is absent; nothing from it is written outside the temporary folder). Each configuration
runs in its own Python process (``code_comments`` end to end: read, de-identify, rule-code, sentiment,
write Parquet, themes by site, group and month); the benchmark reports wall time, comments per second
and per hour, peak memory of the process (and of each Dask worker), and checks that every Dask output
equals the local one row for row.

No design choice was tuned on these inputs: the partition sizes (20,000 rows locally, 10,000-row Parquet parts, 4 MB CSV blocks
or Parquet row groups on Dask) were set before the first run.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
EXTERNAL = ROOT.parent / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"
PART_ROWS = 10_000


def synthetic(n: int, seed: int = 0):
    """``n`` synthetic comments as a DataFrame (comment_id, site, group, question_id, respondent_id, date, text)."""
    import pandas as pd

    sys.path.insert(0, str(SAMPLES))
    import generate  # noqa: E402  (data_samples/generate.py)

    gen, rng = generate.Generator(seed), random.Random(seed)
    sites = [f"S{i:03d}" for i in range(40)]
    rows = []
    for i in range(n):
        site, group, kind = rng.choice(sites), rng.choice(["primary", "secondary"]), rng.choice(["good", "improve", "other"])
        rows.append((f"c{i:08d}", site, group, kind, f"r{i // 2}",
                     f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", gen.comment(kind, "MDH", group, {})))
    return pd.DataFrame(rows, columns=["comment_id", "site", "group", "question_id", "respondent_id", "date", "text"])


def real(n: int):
    """The real pxtextmining comments repeated to ``n`` rows (ids made unique), or None when absent."""
    import pandas as pd

    if not EXTERNAL.exists():
        return None
    src = pd.read_csv(EXTERNAL, dtype=str, keep_default_na=False)
    reps = -(-n // len(src))
    df = pd.concat([src] * reps, ignore_index=True).iloc[:n]
    return pd.DataFrame({"comment_id": [f"c{i:08d}" for i in range(n)], "site": df["organization"].to_numpy(),
                         "question_id": df["question"].to_numpy(), "text": df["feedback"].to_numpy()})


def write_parts(df, folder: Path) -> None:
    """Parquet parts of at most :data:`PART_ROWS` rows, and at least 8 parts (so two workers share the work)."""
    folder.mkdir(parents=True)
    rows = max(1, min(PART_ROWS, -(-len(df) // 8)))
    for i, start in enumerate(range(0, len(df), rows)):
        df.iloc[start:start + rows].to_parquet(folder / f"part.{i:05d}.parquet", index=False)


def one(args) -> None:
    """Run one configuration in this process and print its figures as JSON."""
    from pledge_analysis.engine import code_comments

    engine, _, workers = args.one.partition(":")
    client = None
    kw = {}
    if engine == "dask":
        from pledge_analysis.engine import connect

        client = connect(None, int(workers or 2))
        kw = {"client": client}
    start = time.perf_counter()
    result = code_comments(args.input, SAMPLES / "codebook.yaml", args.out, engine=engine, **kw)
    seconds = time.perf_counter() - start
    figures = {"config": args.one, "rows": result.rows, "seconds": round(seconds, 1),
               "per_second": round(result.rows / seconds, 1), "per_hour": round(3600 * result.rows / seconds),
               "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
               "status": result.status}
    if client is not None:
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        figures["worker_peak_mb"] = sorted(round(v) for v in peaks.values())
        client.close()
        client.cluster.close() if client.cluster else None
    print(json.dumps(figures))


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--comments", type=int, default=100_000)
    p.add_argument("--real", action="store_true", help="the real pxtextmining comments, replicated")
    p.add_argument("--configs", nargs="+", default=["local", "dask:1", "dask:2"])
    p.add_argument("--one", help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        return one(args)
    import pandas as pd

    df = real(args.comments) if args.real else synthetic(args.comments)
    if df is None:
        print(f"skipped: {EXTERNAL} is absent")
        return
    tmp = Path(tempfile.mkdtemp(prefix="dask_benchmark_"))
    try:
        write_parts(df, tmp / "input")
        print(f"{len(df):,} {'real (replicated)' if args.real else 'synthetic'} comments, "
              f"{len(list((tmp / 'input').iterdir()))} Parquet parts")
        outputs = {}
        for config in args.configs:
            out = tmp / f"out_{config.replace(':', '_')}.parquet"
            proc = subprocess.run([sys.executable, __file__, "--one", config, "--input", str(tmp / "input"),
                                   "--out", str(out)], capture_output=True, text=True)
            if proc.returncode:
                print(f"{config}: failed\n{proc.stderr[-2000:]}")
                continue
            print(proc.stdout.strip().splitlines()[-1])
            outputs[config] = out
        if "local" in outputs:
            base = pd.read_parquet(outputs["local"])
            for config, out in outputs.items():
                if config != "local":
                    same = base.equals(pd.read_parquet(out))
                    print(f"{config} output identical to local: {same}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
