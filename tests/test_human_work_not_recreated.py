"""A code a person added by hand is not suggested again by a later run, counted twice, or asked about again.

Before, a run's rule suggestion for a (segment, code) that a coder had already coded by hand (manual coding,
whole segment or another span) was inserted into the store as a new suggestion, sat in the coder's review
queue ("is this about waiting?" about a comment they had coded as waiting themselves), and the counts took
both the manual coding and the suggestion (two codings rows for one segment and code)."""
from __future__ import annotations

import pandas as pd

from pledge_analysis import schema
from pledge_analysis.machine_coding import effective_codings
from pledge_analysis.project import Project

CODEBOOK = pd.DataFrame({"code_id": ["waiting", "information"], "name": ["Waiting", "Information"],
                         "parent_id": [None, None]})


def _tables(texts):
    segs = pd.DataFrame({"segment_id": list(texts), "text": list(texts.values()), "site": "S", "group": "primary",
                         "source_id": "src", "position": range(len(texts)), "source_type": "survey",
                         "question_id": "Q1", "role": "participant"})
    empty = {n: schema.empty(n) if n in ("respondents", "responses", "set_aside") else None
             for n in ("respondents", "responses", "set_aside")}
    return dict(sources=pd.DataFrame({"source_id": ["src"], "path": ["a.csv"]}), segments=segs,
                codebook=CODEBOOK, **empty)


def _codings(records):
    return pd.DataFrame(records, columns=list(schema.CODINGS)).astype({"start": "Int64", "end": "Int64"})


def _rules(rows):
    return _codings([{"segment_id": s, "code_id": c, "coder": "rules", "method": "rules", "confidence": 0.8,
                      "start": a, "end": b, "status": "suggested"} for s, c, a, b in rows])


def test_a_run_does_not_suggest_again_what_a_person_coded_by_hand(tmp_path):
    texts = {"a": "I waited three hours for my results", "b": "The wait was long", "c": "No leaflet given"}
    with Project.open(tmp_path / "p.sqlite") as p:
        p.sync_run(**_tables(texts), codings=_rules([("b", "waiting", 8, 12)]))
        # alice codes segment a as waiting by hand (the whole segment): no rule matched it yet
        manual = p.add_manual_coding("a", "waiting", coder="alice")
        # the codebook gains a keyword: the next run's rules now match segment a too (a span of it)
        summary = p.sync_run(**_tables(texts), codings=_rules([("a", "waiting", 2, 8), ("b", "waiting", 8, 12)]))
        c = p.codings()
        on_a = c[(c["segment_id"] == "a") & (c["code_id"] == "waiting")]
        assert on_a["coding_id"].tolist() == [manual], on_a  # no second row for alice's own code
        assert summary["suggestions"]["already_coded_by_people"] == 1
        assert summary["suggestions"]["new"] == 0
        assert p.review_queue("alice")["segment_id"].tolist() == ["b"]
        # a suggestion of another code on the same segment is new work and is made
        p.sync_run(**_tables(texts), codings=_rules([("a", "waiting", 2, 8), ("a", "information", 0, 1)]))
        assert set(p.review_queue("alice")["code_id"]) == {"information"}


def test_a_store_holding_both_asks_no_coder_again_about_their_own_manual_code(tmp_path):
    """A store written by an earlier release may hold the suggestion next to the manual coding already."""
    texts = {"a": "I waited three hours for my results"}
    with Project.open(tmp_path / "p.sqlite") as p:
        p.sync_run(**_tables(texts), codings=_rules([]))
        p.add_codings(_rules([("a", "waiting", 2, 8)]))
        p.add_manual_coding("a", "waiting", coder="alice")
        assert p.review_queue("alice").empty  # alice coded it herself (whole segment)
        assert len(p.review_queue("bob")) == 1  # bob codes blind: his queue still asks him
        # alice rejected one span of the code but accepts another: the other one is still hers to decide
        p.add_codings(_rules([("a", "information", 0, 1), ("a", "information", 10, 12)]))
        first = p.review_queue("alice")["coding_id"].iloc[0]
        p.record_decision(first, "rejected", coder="alice")
        assert len(p.review_queue("alice")) == 1


def test_the_counts_take_one_coding_per_segment_and_code_the_persons():
    machine = _rules([("a", "waiting", 2, 8), ("b", "waiting", 8, 12)])
    human = _codings([{"segment_id": "a", "code_id": "waiting", "coder": "alice", "method": "manual",
                           "confidence": 1.0, "start": None, "end": None, "status": "accepted"}])
    counted = effective_codings(machine, human)
    assert len(counted) == 2 and counted.groupby(["segment_id", "code_id"]).size().max() == 1
    on_a = counted[counted["segment_id"] == "a"]
    assert on_a["method"].tolist() == ["manual"]
