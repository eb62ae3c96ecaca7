"""The SQLite project store: tables, codings, decisions, audit log, schema version."""
import sqlite3

import pandas as pd
import pytest

from pledge_analysis.errors import ProjectStoreError
from pledge_analysis.project import SCHEMA_VERSION, Project


def test_round_trip_and_decisions(tmp_path):
    path = tmp_path / "p.sqlite"
    with Project.open(path) as p:
        p.write_table("segments", pd.DataFrame({"segment_id": ["a", "b"], "text": ["x", "y"], "site": ["S", "S"]}))
        ids = p.add_codings(pd.DataFrame({"segment_id": ["a"], "code_id": ["waiting"], "method": ["rules"],
                                          "status": ["suggested"], "start": [0], "end": [1]}))
        p.decide(ids[0], "accepted", coder="alice")
        p.add_memo("check this", coder="alice", segment_id="a")
    # a separate, plain sqlite3 connection sees everything: nothing was held in memory
    con = sqlite3.connect(path)
    assert con.execute("SELECT status, coder FROM codings").fetchall() == [("accepted", "alice")]
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    assert con.execute("SELECT count(*) FROM audit_log WHERE action='coding accepted'").fetchone() == (1,)
    with Project.open(path) as p:
        assert p.read_table("segments")["segment_id"].tolist() == ["a", "b"]
        assert p.memos()["text"].tolist() == ["check this"]


def test_errors_are_clear(tmp_path):
    with Project.open(tmp_path / "p.sqlite") as p:
        with pytest.raises(ProjectStoreError, match="no coding with coding_id=99"):
            p.decide(99, "accepted", coder="bob")
        with pytest.raises(ProjectStoreError, match="unknown table"):
            p.write_table("nope", pd.DataFrame())
    con = sqlite3.connect(tmp_path / "p.sqlite")
    con.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    con.commit()
    with pytest.raises(ProjectStoreError, match="newer"):
        Project.open(tmp_path / "p.sqlite")


def test_write_is_transactional(tmp_path):
    with Project.open(tmp_path / "p.sqlite") as p:
        p.write_table("segments", pd.DataFrame({"segment_id": ["a"], "text": ["x"]}))
        with pytest.raises(sqlite3.IntegrityError):
            p.write_table("segments", pd.DataFrame({"segment_id": ["b", "b"], "text": ["1", "2"]}))
        assert p.read_table("segments")["segment_id"].tolist() == ["a"]  # the failed write left nothing behind


def test_sample_run_store_holds_all_tables(sample_run):
    result, out = sample_run
    with Project.open(out / "project.sqlite") as p:
        assert len(p.read_table("segments")) == len(result.segments)
        assert len(p.codings()) == len(result.codings)
        assert set(p.codings()["method"]) == {"rules"} and set(p.codings()["status"]) == {"suggested"}
        assert len(p.read_table("set_aside")) == len(result.set_aside)
        assert p.read_table("codebook")["keywords"].map(type).eq(list).all()
