"""`pledge-analysis code` writes a run log, as `run` does: what was read, what came out of each row (counts
per outcome and per reason), the settings and versions, so that a coded national table can be traced.

It is ``_run_log.json`` inside the output dataset folder: Parquet readers (pyarrow, Dask, pandas) and
``find_inputs`` skip ``_``-prefixed files, so the dataset still reads as before."""
from __future__ import annotations

import json

import pandas as pd

from pledge_analysis.cli import main

from .conftest import SAMPLES


def test_code_writes_a_run_log_with_counts_per_outcome(tmp_path, capsys):
    rows = pd.DataFrame({"comment_id": [f"c{i}" for i in range(6)], "site": ["A", "A", "B", "B", "B", "A"],
                         "text": ["I waited three hours in clinic.", "", "Nothing to add", "The nurse was kind.",
                                  "Parking was impossible.", "zzzz qqqq"]})
    rows.loc[5, "comment_id"] = ""  # no id: kept, not coded, with its reason
    src = tmp_path / "comments.csv"
    rows.to_csv(src, index=False)
    out = tmp_path / "coded"
    assert main(["code", str(src), "--codebook", str(SAMPLES / "codebook.yaml"), "--out", str(out)]) == 0
    log_path = out / "_run_log.json"
    assert log_path.exists(), sorted(p.name for p in out.iterdir())
    log = json.loads(log_path.read_text(encoding="utf-8"))
    assert log["command"] == "code" and log["engine"] == "local"
    assert log["rows"]["read"] == 6 == sum(log["rows"]["by_outcome"].values())
    coded = pd.read_parquet(out)  # the dataset still reads, the log is not a part
    assert len(coded) == 6
    assert log["rows"]["by_outcome"] == {k: int(v) for k, v in coded["status"].value_counts().items()}
    assert sum(log["rows"]["not_coded_by_reason"].values()) == log["rows"]["by_outcome"].get("not coded", 0) > 0
    assert log["inputs"] == {"files": 1, "kind": "csv"} and log["codebook"].endswith("codebook.yaml")
    assert "comments.csv" not in log_path.read_text(encoding="utf-8")  # no file name: it can hold a person's
    assert log["pledge_analysis"] and log["packages"]["pandas"] == pd.__version__
    assert "run log" in capsys.readouterr().out
