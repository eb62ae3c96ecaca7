"""How long a REFI-QDA ``.qdpx`` import takes: our own export of synthetic transcripts, read back.

    PYTHONPATH=. .venv/bin/python benchmarks/refi_import_benchmark.py [--segments 100000] [--sources 20]

The tables are synthetic (random words, no patient text): ``--segments`` transcript turns spread over
``--sources`` sources, 1.5 codings per turn on a 12-code codebook, a memo per 100 turns. They are exported with
:func:`pledge_analysis.io.refi.project_qdpx_bytes` and read with :func:`read_project_qdpx`; the figure is the
import alone (wall and CPU seconds, since the machine may be shared). No design choice was tuned on it.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path


def tables(n_segments: int, n_sources: int, seed: int = 0) -> dict:
    import pandas as pd

    from pledge_analysis.coding.codebook import codebook_from_records

    rng = random.Random(seed)
    words = "nurse clinic wait results kind parking letter phone scan worry support team day week".split()
    segs = [{"segment_id": f"s{i}", "source_id": f"t{i % n_sources:03d}.txt", "site": "NGU", "group": "primary",
             "source_type": "interview", "question_id": None, "respondent_id": f"t{i % n_sources:03d}:P{i % 7}",
             "speaker": f"P{i % 7}", "role": "participant", "position": i // n_sources, "timestamp": None,
             "text": " ".join(rng.choice(words) for _ in range(rng.randint(6, 30)))} for i in range(n_segments)]
    cb = codebook_from_records([{"id": f"c{k}", "name": f"Code {k}"} for k in range(12)])
    codings = []
    for s in segs:
        for _ in range(rng.choice((1, 1, 2))):
            a = rng.randint(0, len(s["text"]) // 2)
            codings.append({"segment_id": s["segment_id"], "code_id": f"c{rng.randrange(12)}", "coder": "rules",
                            "method": "rules", "confidence": None, "start": a, "end": a + 5, "status": "accepted",
                            "created_at": "2026-01-01T00:00:00Z", "memo": None, "evidence": None, "negated": None})
    memos = pd.DataFrame([{"memo_id": k, "segment_id": f"s{k * 100}", "code_id": None, "coder": "alice",
                           "text": "check this", "created_at": "2026-01-02T00:00:00Z"}
                          for k in range(n_segments // 100)])
    return {"segments": pd.DataFrame(segs), "codebook": cb, "codings": pd.DataFrame(codings), "memos": memos}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--segments", type=int, default=20_000)
    ap.add_argument("--sources", type=int, default=20)
    args = ap.parse_args()
    from pledge_analysis.io.refi import project_qdpx_bytes, read_project_qdpx

    t = tables(args.segments, args.sources)
    path = Path(tempfile.mkdtemp(prefix="refi_import_")) / "p.qdpx"
    path.write_bytes(project_qdpx_bytes(**t))
    wall, cpu = time.perf_counter(), time.process_time()
    back = read_project_qdpx(path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert len(back["segments"]) == args.segments and len(back["codings"]) == len(t["codings"])
    print(f".qdpx import: {args.segments:,} segments in {args.sources} sources, {len(t['codings']):,} codings, "
          f"{len(t['memos']):,} memos ({path.stat().st_size / 2 ** 20:.1f} MB zipped): {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
