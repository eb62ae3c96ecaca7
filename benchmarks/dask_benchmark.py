"""Throughput and memory of `pledge-analysis code`: the local engine against Dask with 1 and 2 workers.

    python benchmarks/dask_benchmark.py                                    # 100,000 synthetic comments
    python benchmarks/dask_benchmark.py --comments 10000 100000 1000000    # the grid (sizes x configs)
    python benchmarks/dask_benchmark.py --comments 1000000 --configs dask:2 --work /tmp/bench \\
        --results benchmarks/results/dask_grid.json                        # keep inputs/outputs, log JSON
    python benchmarks/dask_benchmark.py --real                             # real pxtextmining comments, replicated
    python benchmarks/dask_benchmark.py --model static --configs local dask:2   # + a static-embedding ThemeClassifier

Input: N comments written as Parquet parts of :data:`PART_ROWS` rows (at least 8 parts), generated part
by part (:func:`write_synthetic_parts`: no process ever holds all N), either synthetic (the sample's
generator, ``data_samples/generate.py``: sentences from its text bank, placeholders, planted
identifiers, lower-cased and unpunctuated variants; nothing real) or, with ``--real``, the 10,334 real
NHS comments of ``../shared/external/pxtextmining/phase1_text_data.csv`` repeated to N (skipped when that
folder is absent; nothing from it is written outside the work folder).

Each (size, configuration) runs in its own Python process (``code_comments`` end to end: read,
de-identify, rule-code, sentiment, optionally the model's codes, write Parquet, themes by site, group
and month). Reported for each: wall time (of the coding; the cluster's start-up apart), comments per
second and per hour, CPU seconds of the client process and of each worker, peak memory (max RSS) of
the client process (which, for Dask, also hosts the scheduler) and of each worker, and the load
average before and after (the machine is shared: where load > cores, wall time is distorted and CPU
time is the better figure). Every Dask output is compared with the local one on the same input, part
by part (never loading a whole output at once). ``--results FILE`` appends one JSON record per run.

``--model static`` fits a ``ThemeClassifier(embedding_model="static")`` on 2,000 other synthetic
comments labelled by the rule coder's themes, saves it, and passes it as ``--model`` to every run.

What looked at these figures: the first 10,000-comment run wrote a single Parquet part, so Dask had one
partition and one busy worker; the input is now cut into at least 8 parts. Nothing in the coding itself
was tuned on these inputs.
"""
from __future__ import annotations

import argparse
import json
import os
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
COLUMNS = ["comment_id", "site", "group", "question_id", "respondent_id", "date", "text"]


def _generator_module():
    sys.path.insert(0, str(SAMPLES))
    try:
        import generate  # noqa: E402  (data_samples/generate.py)
    finally:
        sys.path.remove(str(SAMPLES))
    return generate


def synthetic(n: int, seed: int = 0, start: int = 0):
    """``n`` synthetic comments (ids from ``start``) as a DataFrame with :data:`COLUMNS`."""
    import pandas as pd

    generate = _generator_module()
    gen, rng = generate.Generator(seed), random.Random(seed)
    sites = [f"S{i:03d}" for i in range(40)]
    rows = []
    for i in range(start, start + n):
        site, group = rng.choice(sites), rng.choice(["primary", "secondary"])
        kind = rng.choice(["good", "improve", "other"])
        rows.append((f"c{i:08d}", site, group, kind, f"r{i // 2}",
                     f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", gen.comment(kind, "MDH", group, {})))
    return pd.DataFrame(rows, columns=COLUMNS)


def _part_rows(n: int) -> int:
    return max(1, min(PART_ROWS, -(-n // 8)))


def write_synthetic_parts(n: int, folder: Path, seed: int = 0) -> int:
    """``n`` synthetic comments as Parquet parts, generated and written one part at a time (part ``i``
    from seed ``seed + i``): memory is one part's, whatever ``n``. Returns the number of parts."""
    folder.mkdir(parents=True)
    rows = _part_rows(n)
    for i, start in enumerate(range(0, n, rows)):
        synthetic(min(rows, n - start), seed=seed + i, start=start).to_parquet(folder / f"part.{i:05d}.parquet",
                                                                              index=False)
    return len(list(folder.iterdir()))


def write_real_parts(n: int, folder: Path) -> int | None:
    """The real pxtextmining comments repeated to ``n`` rows (ids made unique) as Parquet parts, or None
    when absent. The source (10,334 rows) is held once; each part is built from it on its own."""
    import pandas as pd

    if not EXTERNAL.exists():
        return None
    src = pd.read_csv(EXTERNAL, dtype=str, keep_default_na=False)
    folder.mkdir(parents=True)
    rows = _part_rows(n)
    for i, start in enumerate(range(0, n, rows)):
        at = [j % len(src) for j in range(start, min(n, start + rows))]
        part = src.iloc[at]
        pd.DataFrame({"comment_id": [f"c{j:08d}" for j in range(start, start + len(at))],
                      "site": part["organization"].to_numpy(), "question_id": part["question"].to_numpy(),
                      "text": part["feedback"].to_numpy()}).to_parquet(folder / f"part.{i:05d}.parquet", index=False)
    return len(list(folder.iterdir()))


def fit_static_model(path: Path) -> Path:
    """A ThemeClassifier in static-embedding mode, fitted on 2,000 synthetic comments (ids and seed apart
    from every benchmark input) labelled with the rule coder's themes, saved to ``path``."""
    import pandas as pd

    from pledge_analysis.coding.classifier import ThemeClassifier
    from pledge_analysis.coding.codebook import read_codebook
    from pledge_analysis.engine import code_comments

    cb = read_codebook(SAMPLES / "codebook.yaml")
    tmp = Path(tempfile.mkdtemp(prefix="static_fit_"))
    try:
        synthetic(2000, seed=10_000).to_parquet(tmp / "train.parquet", index=False)
        code_comments(tmp / "train.parquet", cb, tmp / "coded.parquet")
        coded = pd.read_parquet(tmp / "coded.parquet")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    coded = coded[coded["status"] == "coded"]
    themes = sorted({t for ts in coded["themes"] for t in ts})
    Y = pd.DataFrame({t: [int(t in ts) for ts in coded["themes"]] for t in themes})
    model = ThemeClassifier(embedding_model="static", cv=0).fit(coded["text"].tolist(), Y)
    return model.save(path, codebook=cb)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(args) -> None:
    """Run one configuration in this process and print its figures as JSON (the last line)."""
    from pledge_analysis.engine import code_comments

    engine, _, workers = args.one.partition(":")
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    client, kw = None, {}
    if engine == "dask":
        from pledge_analysis.engine import connect

        client = connect(None, int(workers or 2))
        kw = {"client": client}
    startup = time.perf_counter() - t0
    cpu0 = _cpu()
    start = time.perf_counter()
    result = code_comments(args.input, SAMPLES / "codebook.yaml", args.out, engine=engine, model=args.model, **kw)
    seconds = time.perf_counter() - start
    figures = {"config": args.one, "model": Path(args.model).name if args.model else None, "rows": result.rows,
               "startup_s": round(startup, 1), "seconds": round(seconds, 1),
               "per_second": round(result.rows / seconds, 1), "per_hour": round(3600 * result.rows / seconds),
               "client_cpu_s": round(_cpu() - cpu0, 1), "client_peak_mb": round(_peak_mb()),
               "status": result.status, "load_before": [round(x, 2) for x in load_before]}
    if client is not None:
        info = client.run(lambda: (_peak_mb(), _cpu()))
        figures["worker_peak_mb"] = sorted(round(v[0]) for v in info.values())
        figures["worker_cpu_s"] = sorted(round(v[1], 1) for v in info.values())
        client.close()
        client.cluster.close() if client.cluster else None
    figures["load_after"] = [round(x, 2) for x in os.getloadavg()]
    cpu = figures["client_cpu_s"] + sum(figures.get("worker_cpu_s", []))
    figures["cpu_s_total"] = round(cpu, 1)
    figures["per_cpu_second"] = round(result.rows / cpu, 1) if cpu else None
    print(json.dumps(figures))


def _windows(files: list[Path], rows: int):
    """The rows of Parquet files (in order) as DataFrames of ``rows`` rows (the last may be shorter)."""
    import pandas as pd

    buf = []
    have = 0
    for f in files:
        buf.append(pd.read_parquet(f))
        have += len(buf[-1])
        while have >= rows:
            df = pd.concat(buf, ignore_index=True)
            yield df.iloc[:rows].reset_index(drop=True)
            buf, have = [df.iloc[rows:]], len(df) - rows
    if have:
        yield pd.concat(buf, ignore_index=True).reset_index(drop=True)


def same_output(a: Path, b: Path) -> bool:
    """Whether two Parquet datasets written by `code` hold the same rows in the same order, compared
    :data:`PART_ROWS` rows at a time (never a whole output in memory)."""
    from itertools import zip_longest

    for x, y in zip_longest(_windows(sorted(a.iterdir()), PART_ROWS), _windows(sorted(b.iterdir()), PART_ROWS)):
        if x is None or y is None or not x.equals(y):
            return False
    return True


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--comments", type=int, nargs="+", default=[100_000], help="input sizes (the grid's rows)")
    p.add_argument("--real", action="store_true", help="the real pxtextmining comments, replicated")
    p.add_argument("--configs", nargs="+", default=["local", "dask:1", "dask:2"])
    p.add_argument("--model", help="'static': fit and use a static-embedding ThemeClassifier; or a saved model file")
    p.add_argument("--work", help="a folder to keep inputs and outputs in (reused by later runs; default temporary)")
    p.add_argument("--results", help="append one JSON record per run to this file")
    p.add_argument("--one", help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        return one(args)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dask_benchmark_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        model = args.model
        if model == "static":
            model = str(work / "static_themes.joblib")
            if not Path(model).exists():
                fit_static_model(Path(model))
        tag = "_real" if args.real else ""
        suffix = f"_{Path(model).stem}" if model else ""
        for n in args.comments:
            folder = work / f"input{tag}_{n}"
            if not folder.exists():
                parts = write_real_parts(n, folder) if args.real else write_synthetic_parts(n, folder)
                if parts is None:
                    print(f"skipped: {EXTERNAL} is absent")
                    return
            parts = len(list(folder.iterdir()))
            print(f"{n:,} {'real (replicated)' if args.real else 'synthetic'} comments, {parts} Parquet parts",
                  flush=True)
            for config in args.configs:
                out = work / f"out{tag}_{n}_{config.replace(':', '_')}{suffix}.parquet"
                shutil.rmtree(out, ignore_errors=True)
                cmd = [sys.executable, __file__, "--one", config, "--input", str(folder), "--out", str(out)]
                proc = subprocess.run(cmd + (["--model", model] if model else []), capture_output=True, text=True)
                if proc.returncode:
                    print(f"{config}: failed\n{proc.stderr[-2000:]}", flush=True)
                    continue
                record = json.loads(proc.stdout.strip().splitlines()[-1])
                record.update(comments=n, input="real" if args.real else "synthetic", parts=parts,
                              when=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
                local = work / f"out{tag}_{n}_local{suffix}.parquet"
                if config != "local" and local.exists():
                    record["identical_to_local"] = same_output(local, out)
                print(json.dumps(record), flush=True)
                if args.results:
                    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
                    with open(args.results, "a", encoding="utf-8") as f:
                        f.write(json.dumps(record) + "\n")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
