"""Scale: one 100,000-line focus-group transcript, end to end, and the REFI-QDA export of 100k segments.

(Comment tables at national scale, ``pledge-analysis code`` on the local and Dask engines at 10k, 100k
and 1M comments with 1 and 2 workers, are measured by ``benchmarks/dask_benchmark.py``.)

    python benchmarks/scale_benchmark.py                 # 100,000 lines
    python benchmarks/scale_benchmark.py --lines 20000   # a quicker look
    python benchmarks/scale_benchmark.py --profile       # also profile the run in-process (cProfile, top 25)

Builds a tiny project in a temporary folder: the sample's codebook and questions, no survey, and one
synthetic transcript (sentences from ``data_samples/textbank.py``, speakers P1..P12 and a Facilitator;
no identifiers, nothing real). Runs the installed ``pledge-analysis run`` on it, prints the wall time of
the whole command and of each step (the run log's ``timings_s``), then times the ``.qdpx`` export alone
on the run's segments and codings (``write_outputs`` times all the exports together as "writing outputs").

Target (issue 12): a 100k-line transcript runs end to end in under a few minutes on a 2-core machine.

Measured 2026-12-02 00:44 here, on a nearly idle 2-core machine (wall ~ CPU). 100,000 lines give
100,000 segments and 335,003 codings:

                                      wall     CPU
    end to end                       215 s   207 s   (peak memory 3.5 GB)
      de-identifying                  28 s    28 s   text/deidentify.py
      rule coding with the codebook   27 s    27 s   one spaCy PhraseMatcher (coding/rules.py); the token Matcher
                                                     with LOWER-IN patterns took 299 s (side by side on 10,000
                                                     lines: 44 s -> 4.6 s)
      sentiment and theme summary      6 s     6 s
      prioritising (100 resamples)     5 s     5 s
      updating the project store      18 s    17 s
      writing outputs                124 s   119 s   of which, timed alone:
    codings.xlsx alone                44 s    43 s   335,003 rows x 13 columns (xlsxwriter, constant_memory)
    quotes.xlsx alone                 42 s    41 s   335,003 rows x 10 columns
    .qdpx export alone                25 s            (linear)

(An earlier measurement, 2026-12-01 23:55, on the same cores shared with six busy processes: 1,115 s wall,
203 s CPU.)

The XLSX exports are now the bottleneck: xlsxwriter costs about 10 us a cell here (openpyxl write-only
about 13 us); a hand-written streaming sheet writer measured 9x faster on the same cells, but the
project uses the library. Before this work: 617 s end to end (wall, rule coding 299 s, the XLSX exports
~200 s with openpyxl).
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
sys.path.insert(0, str(SAMPLES))

import textbank  # noqa: E402  (data_samples/textbank.py: synthetic phrase banks)


def transcript(lines: int, seed: int = 0) -> str:
    """``lines`` speaker turns: a facilitator prompt every 8 to 14 turns, participants P1..P12 answering with one
    to three theme sentences, sometimes after an agreement."""
    rng = random.Random(seed)
    sentences = [s for bank in (textbank.POSITIVE, textbank.NEGATIVE) for group in bank.values() for s in group
                 if "{" not in s]
    out, next_prompt = [], 0
    for i in range(lines):
        if i == next_prompt:
            out.append("Facilitator: " + rng.choice(textbank.FACILITATOR_PROMPTS))
            next_prompt = i + rng.randint(8, 14)
            continue
        turn = rng.sample(sentences, rng.randint(1, 3))
        if rng.random() < 0.2:
            turn.insert(0, rng.choice(textbank.AGREEMENTS))
        out.append(f"P{rng.randint(1, 12)}: " + " ".join(turn))
    return "\n".join(out) + "\n"


def make_project(folder: Path, lines: int) -> Path:
    (folder / "transcripts").mkdir(parents=True)
    shutil.copy(SAMPLES / "codebook.yaml", folder / "codebook.yaml")
    shutil.copy(SAMPLES / "questions.yaml", folder / "questions.yaml")
    (folder / "transcripts" / "NGU_primary.txt").write_text(transcript(lines), encoding="utf-8")
    (folder / "project.yaml").write_text(
        "# Scale benchmark: one synthetic focus-group transcript (benchmarks/scale_benchmark.py)\n"
        "name: Scale benchmark (synthetic)\nround: bench\nrandom_state: 0\n"
        "sites:\n  NGU: {name: Northgate University Hospital, alliance: North Coast Cancer Alliance}\n"
        "questions: questions.yaml\ncodebook: codebook.yaml\n"
        "transcripts:\n  - {path: transcripts/NGU_primary.txt, site: NGU, group: primary}\n", encoding="utf-8")
    return folder


def run_cli(project: Path, out: Path) -> tuple[float, dict]:
    exe = Path(sys.executable).with_name("pledge-analysis")
    cmd = [str(exe) if exe.exists() else "pledge-analysis", "run", str(project), "--out", str(out)]
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        raise SystemExit(f"pledge-analysis run exited {done.returncode}")
    return wall, json.loads((out / "run_log.json").read_text(encoding="utf-8"))


def time_qdpx_export(project: Path, out: Path) -> None:
    import pandas as pd

    from pledge_analysis.coding.codebook import read_codebook
    from pledge_analysis.io.refi import project_qdpx_bytes

    segments = pd.read_csv(out / "segments.csv", dtype=object, keep_default_na=False, na_values=[""])
    codings = pd.read_csv(out / "codings.csv", keep_default_na=False, na_values=[""])
    segments["position"] = segments["position"].astype(int)
    codebook = read_codebook(project / "codebook.yaml")
    per_source = segments.groupby("source_id").size().max()
    t = time.perf_counter()
    data = project_qdpx_bytes(segments=segments, codebook=codebook, codings=codings, include_suggestions=True)
    dt = time.perf_counter() - t
    print(f"\n.qdpx export alone: {len(segments):,} segments ({per_source:,} in one source), {len(codings):,} codings:"
          f" {dt:.1f} s, {len(data) / 2 ** 20:.1f} MB zipped")


def time_xlsx_exports(project: Path, out: Path) -> None:
    """codings.xlsx and quotes.xlsx written again from the run's tables (io/safe.py, xlsxwriter)."""
    import pandas as pd

    from pledge_analysis.coding.codebook import read_codebook
    from pledge_analysis.coding.queries import quotes_table
    from pledge_analysis.io.safe import safe_to_excel

    segments = pd.read_csv(out / "segments.csv", dtype=object, keep_default_na=False, na_values=[""])
    codings = pd.read_csv(out / "codings.csv", keep_default_na=False, na_values=[""])
    segments["position"] = segments["position"].astype(int)
    quotes = quotes_table(codings, segments, read_codebook(project / "codebook.yaml"))
    for name, table in (("codings.xlsx", codings), ("quotes.xlsx", quotes)):
        t, c = time.perf_counter(), time.process_time()
        safe_to_excel(table, out / f"again-{name}", sheet_name="Sheet")
        print(f"{name} alone: {len(table):,} rows x {table.shape[1]} columns: {time.perf_counter() - t:.1f} s wall, "
              f"{time.process_time() - c:.1f} s CPU")


def profile(project: Path, out: Path) -> None:
    import cProfile
    import pstats

    from pledge_analysis.pipeline import run_project, write_outputs

    prof = cProfile.Profile()
    prof.enable()
    result = run_project(project, store=out / "project.sqlite")
    write_outputs(result, out)
    prof.disable()
    print("\nprofile of run_project + write_outputs (cumulative, top 25):")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="build the project here and keep it (default: a temporary folder)")
    ap.add_argument("--profile", action="store_true", help="also run in-process under cProfile")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="pledge-scale-"))
    project = make_project(base / "project", args.lines)
    size = (project / "transcripts" / "NGU_primary.txt").stat().st_size
    print(f"transcript: {args.lines:,} lines, {size / 2 ** 20:.1f} MB")
    wall, log = run_cli(project, base / "out")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"\npledge-analysis run, end to end: {wall:.1f} s wall, {usage.ru_utime + usage.ru_stime:.1f} s CPU "
          f"(peak memory {usage.ru_maxrss / 1024:,.0f} MB)")
    cpu = log.get("cpu_s", {})
    for step, seconds in log.get("timings_s", {}).items():
        print(f"  {seconds:8.1f} s wall {cpu.get(step, float('nan')):8.1f} s CPU  {step}")
    rows = log.get("rows", {})
    print(f"  {rows.get('segments_kept', '?'):,} segments kept, {rows.get('set_aside', '?')} set aside, "
          f"{log.get('codings', 0):,} codings")
    time_qdpx_export(project, base / "out")
    time_xlsx_exports(project, base / "out")
    if args.profile:
        profile(project, base / "out-profile")
    if not args.keep:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
