"""Speed of the date grammar's column reader (pledge_analysis.io.dates.parse_dates) on generated strings.

    PYTHONPATH=. nice python tools/bench_dates.py [N]      # N strings per input (default 1,000,000)

Measured on the shared 2-core machine (best of 3, 1M strings): ISO dates 1.6x pandas' CPU, ISO datetimes in
one zone 3.1-3.4x, in two zones 4.5-5.3x (pandas then leaves them in UTC; we give UK dates), UK day first 0.12x.

Prints, per input, CPU (``time.process_time``) and wall seconds, best of 3, of ``parse_dates`` and of the
plain ``pandas.to_datetime(format=...)`` call that reads the same strings (with no checks, no UK
dates, no reasons), and their ratio. The inputs are synthetic: uniformly drawn days of 2015-2034
(times and zones drawn too); no user data is read.
"""
from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from pledge_analysis.io.dates import parse_dates


def _best(f, repeat: int = 3) -> tuple[float, float]:
    cpu, wall = float("inf"), float("inf")
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        f()
        cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - w)
    return cpu, wall


def inputs(n: int, seed: int = 1) -> dict[str, tuple[pd.Series, dict]]:
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 7300, n), unit="D")
    stamps = days + pd.to_timedelta(rng.integers(0, 86400, n), unit="s")
    zones = np.where(rng.random(n) < 0.5, "+01:00", "+00:00")
    return {
        "ISO dates (2025-04-13)": (pd.Series(days.strftime("%Y-%m-%d"), dtype=object), {"format": "%Y-%m-%d"}),
        "ISO datetimes, two zones": (pd.Series(np.char.add(stamps.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(dtype=str),
                                                          zones), dtype=object),
                                     {"format": "ISO8601", "utc": True}),
        "ISO datetimes, one zone": (pd.Series(stamps.strftime("%Y-%m-%dT%H:%M:%S+01:00"), dtype=object),
                                    {"format": "ISO8601"}),
        "UK day first (13/04/2025)": (pd.Series(days.strftime("%d/%m/%Y"), dtype=object), {"format": "%d/%m/%Y"}),
    }


def main(n: int = 1_000_000) -> None:
    for name, (s, kw) in inputs(n).items():
        base = _best(lambda: pd.to_datetime(s, **kw))
        ours = _best(lambda: parse_dates(s))
        print(f"{name:28s} n={n:,}  pandas {base[0]:.2f}s CPU / {base[1]:.2f}s wall   parse_dates {ours[0]:.2f}s CPU / "
              f"{ours[1]:.2f}s wall   ratio {ours[0] / base[0]:.2f}x CPU")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
