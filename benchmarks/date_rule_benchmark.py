"""How long `pledge-analysis code`'s whole-file date rule takes: :func:`pledge_analysis.engine.month_first_files`
reads every input file's date column once and asks :func:`pledge_analysis.io.dates.month_first_dates` whether
the file is a US (month-first) export, before any coding.

    PYTHONPATH=. nice -n 10 .venv/bin/python benchmarks/date_rule_benchmark.py [--rows 200000]

Inputs are synthetic CSVs (seeded, no patient text): US Forms-style timestamps (``1/13/2025 14:00:05``, nearly
all distinct), UK dates (``13/04/2025``) and ISO dates. Prints wall and CPU seconds and the load average (the
machine may be shared). No design choice was tuned on it beyond the dedupe it was written to check.
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path


def main() -> None:
    import pandas as pd

    from pledge_analysis.engine import find_inputs, month_first_files, resolve_columns

    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    n = ap.parse_args().rows
    rng = random.Random(0)
    kinds = {
        "US timestamps": lambda: (f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/2025 {rng.randint(0, 23):02d}:"
                                  f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"),
        "UK dates": lambda: f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025",
        "ISO dates": lambda: f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in kinds.items():
            path = Path(tmp) / "in.csv"
            dates = [make() for _ in range(n)]
            frame = pd.DataFrame({"comment_id": range(n), "text": "The wait was long.", "date": dates})
            frame.to_csv(path, index=False)
            inputs = find_inputs(path)
            roles = resolve_columns(inputs, id_column="comment_id", text_column="text")
            cpu, wall = time.process_time(), time.perf_counter()
            got = month_first_files(inputs, roles.get("date"))
            print(f"{name}: {n:,} rows, {len(set(dates)):,} distinct, month first: {bool(got)}; "
                  f"CPU {time.process_time() - cpu:.2f} s, wall {time.perf_counter() - wall:.2f} s, "
                  f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
