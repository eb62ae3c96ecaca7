"""Issue 11: the project store is the source of truth. A re-run updates it and never loses human
work; a run killed while writing leaves the previous store intact; old stores migrate with a
backup; ids do not depend on how the project folder is named."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from lxml import etree

from conftest import ROOT
from userlike import edit, write_project
from pledge_analysis.cli import main
from pledge_analysis.pledge import read_action_plan_xlsx
from pledge_analysis.project import SCHEMA_VERSION, Project


def run(project, out, *extra):
    assert main(["run", str(project), "--out", str(out), "--quiet", *extra]) == 0


def human_work(store):
    """Everything people did, as comparable tuples."""
    with Project.open(store) as p:
        c = p.codings()
        human = c[(c["method"] == "manual") | (c["status"] != "suggested")]
        return (sorted(map(tuple, human[["coding_id", "segment_id", "code_id", "coder", "status", "memo"]]
                           .astype(str).values.tolist())),
                p.memos()[["memo_id", "segment_id", "text"]].values.tolist(),
                p.action_plan()[["goal_id", "we_plan_to", "status", "origin"]].values.tolist(),
                p.plan_history()[["goal_id", "status"]].values.tolist())


@pytest.fixture()
def reviewed(tmp_path):
    """A user-like project, run once by the CLI, then reviewed by two coders through Project."""
    project = write_project(tmp_path / "hillside")
    run(project, tmp_path / "out1")
    store = project / "project.sqlite"
    with Project.open(store) as p:
        queue = p.review_queue("alice")
        assert len(queue) >= 6
        first, second, third = queue["coding_id"].iloc[:3]
        p.decide(first, "accepted", coder="alice", memo="clear example of waiting")
        p.decide(second, "rejected", coder="alice")
        p.record_decision(third, "rejected", coder="bob", memo="not about this")
        seg = queue["segment_id"].iloc[3]
        p.add_manual_coding(seg, "information", coder="alice", start=0, end=4, memo="added by hand")
        p.add_memo("interesting contrast with the focus group", coder="alice", segment_id=seg)
        plan = p.action_plan()
        plan.loc[0, ["we_plan_to", "by", "status"]] = ["Call every patient within 48 hours", "2027-06-30", "ongoing"]
        changes = p.save_action_plan(plan, actor="co-design group")
    assert set(changes["field"]) == {"we_plan_to", "by", "status"}
    return project, store, tmp_path, (first, second, third)


def test_rerun_keeps_every_decision_memo_and_plan_edit(reviewed):
    project, store, tmp, (first, second, third) = reviewed
    before = human_work(store)
    with Project.open(store) as p:
        suggestions = p.codings(status="suggested", method="rules")
    run(project, tmp / "out2")
    after = human_work(store)
    assert after == before  # every decision, memo, plan edit and status history entry, unchanged
    with Project.open(store) as p:
        assert p.codings().set_index("coding_id").loc[first, "memo"] == "clear example of waiting"
        again = p.codings(status="suggested", method="rules")
        # the same suggestions keep their ids, so reviewers' queues do not reshuffle
        assert again["coding_id"].tolist() == suggestions["coding_id"].tolist()
        assert p.orphans().empty
        assert "run" in set(p.audit_log()["action"])
        assert p.review_queue("bob")["coding_id"].isin([third]).sum() == 0  # bob's decision still counts
    # the exports carry the human work: codings.csv and the REFI-QDA project hold the decisions and codes
    exported = pd.read_csv(tmp / "out2" / "codings.csv")
    assert exported.set_index("coding_id").loc[first, "status"] == "accepted"
    assert ((exported["method"] == "manual") & (exported["memo"] == "added by hand")).sum() == 1
    with zipfile.ZipFile(tmp / "out2" / "project.qdpx") as z:
        assert b"added by hand" in z.read("project.qde") or b"clear example of waiting" in z.read("project.qde")
    # the exported plan carries the human edit, and the drafts are still there for other goals
    plan, _ = read_action_plan_xlsx(tmp / "out2" / "action_plan.xlsx")
    assert plan.loc[plan["goal_id"] == "G01", "we_plan_to"].item() == "Call every patient within 48 hours"
    assert len(plan) > 1


def test_changed_or_vanished_segments_are_listed_as_orphans_not_dropped(reviewed):
    project, store, tmp, (first, *_rest) = reviewed
    with Project.open(store) as p:
        codings = p.codings().set_index("coding_id")
        seg = codings.loc[first, "segment_id"]
        segments = p.read_table("segments").set_index("segment_id")
    respondent, text = segments.loc[seg, "respondent_id"], segments.loc[seg, "text"]
    export = project / "exports" / "feedback_2027.csv"
    rows = export.read_bytes().decode("cp1252").splitlines()
    target = next(i for i, r in enumerate(rows) if r.startswith(respondent + ","))
    assert text in rows[target]
    rows[target] = rows[target].replace(text, "Reworded by the trust before the second export.")
    victim = next(i for i, r in enumerate(rows) if i > 1 and i != target)
    gone = rows[victim].split(",")[0]
    with Project.open(store) as p:
        seg_ids = p.read_table("segments").query("respondent_id == @gone")["segment_id"].tolist()
        p.add_manual_coding(seg_ids[0], "waiting", coder="carol")
        p.add_memo("note on a row that will vanish", coder="carol", segment_id=seg_ids[0])
    del rows[victim]
    export.write_bytes(("\n".join(rows) + "\n").encode("cp1252"))
    before = human_work(store)
    run(project, tmp / "out2")
    assert human_work(store)[:2] == before[:2]  # nothing human was dropped
    with Project.open(store) as p:
        orphans = p.orphans().set_index(["kind", "item_id"])
        assert orphans.loc[("coding", first), "reason"] == "its segment's text changed since the last run"
        assert orphans.loc[("coding", first), "old_text"] == text
        vanished = orphans[orphans["segment_id"] == seg_ids[0]]
        assert set(vanished.index.get_level_values("kind")) == {"coding", "memo"}
        assert set(vanished["reason"]) == {"its segment is no longer in the data"}
        # looking at an orphan clears it; a further run does not bring a resolved text change back
        p.resolve_orphan("coding", first, coder="alice", note="still waiting")
    run(project, tmp / "out3")
    with Project.open(store) as p:
        assert ("coding", first) not in set(zip(p.orphans()["kind"], p.orphans()["item_id"]))
        assert len(p.orphans()) == 2


KILLER = r"""
import os, signal, sys
import pledge_analysis.project_sync as sync
original = sync._merge_plan
def die(*a, **k):
    original(*a, **k)          # the input tables, codings and plan are written by now, not committed
    os.kill(os.getpid(), signal.SIGKILL)
sync._merge_plan = die
from pledge_analysis.cli import main
sys.exit(main(["run", sys.argv[1], "--out", sys.argv[2], "--quiet"]))
"""


def test_a_run_killed_while_writing_the_store_leaves_it_intact(reviewed):
    project, store, tmp, _ = reviewed
    before = human_work(store)
    with Project.open(store) as p:
        n_segments, n_codings = len(p.read_table("segments")), len(p.codings())
    export = project / "exports" / "feedback_2027.csv"  # a change, so that the killed run would alter the store
    export.write_bytes(export.read_bytes().replace(b"R001,", b"R001X,"))
    proc = subprocess.run([sys.executable, "-c", KILLER, str(project), str(tmp / "killed")], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == -9, proc.stderr
    con = sqlite3.connect(store)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    assert human_work(store) == before
    with Project.open(store) as p:
        segs = p.read_table("segments")
        assert len(segs) == n_segments and len(p.codings()) == n_codings
        assert not segs["respondent_id"].eq("R001X").any() and segs["respondent_id"].eq("R001").any()


def test_an_old_store_is_backed_up_then_migrated_with_its_data(tmp_path):
    store = tmp_path / "project.sqlite"
    with Project.open(store) as p:
        p.write_table("segments", pd.DataFrame({"segment_id": ["a"], "text": ["Lovely staff"]}))
        p.add_manual_coding("a", "kindness", coder="alice")
        p.add_memo("keep me", coder="alice", segment_id="a")
    con = sqlite3.connect(store)  # make it look like a schema-1 store
    con.execute("DROP TABLE orphans")
    con.execute("DROP TABLE action_plan")
    con.execute("DROP TABLE plan_history")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()
    with Project.open(store) as p:
        assert p.schema_version == SCHEMA_VERSION
        assert p.backup is not None and p.backup.exists() and "v1-backup" in p.backup.name
        assert p.memos()["text"].tolist() == ["keep me"] and len(p.codings()) == 1
        assert p.action_plan().empty and p.orphans().empty
        assert "migrate store" in set(p.audit_log()["action"])
    old = sqlite3.connect(p.backup)
    assert old.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
    assert old.execute("SELECT text FROM memos").fetchall() == [("keep me",)]


def test_not_a_store_is_a_clear_error(tmp_path, capsys):
    project = write_project(tmp_path / "p")
    (project / "project.sqlite").write_text("this is a spreadsheet, really")
    assert main(["run", str(project), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "project.sqlite" in err and "Traceback" not in err
    assert (project / "project.sqlite").read_text() == "this is a spreadsheet, really"


def guids(qdpx):
    with zipfile.ZipFile(qdpx) as z:
        root = etree.fromstring(z.read("project.qde"))
    return sorted(e.get("guid") for e in root.iter() if e.get("guid"))


def test_ids_do_not_depend_on_how_the_folder_is_named(tmp_path):
    project = write_project(tmp_path / "work" / "hillside")
    # a second file of the same name in another folder, as a user's two exports might be
    (project / "exports" / "2026").mkdir()
    second = (project / "exports" / "feedback_2027.csv").read_bytes().decode("cp1252").replace("\nR", "\nS")
    (project / "exports" / "2026" / "feedback_2027.csv").write_bytes(second.encode("cp1252"))
    edit(project / "project.yaml", "files: [exports/feedback_2027.csv]",
         "files: [exports/feedback_2027.csv, exports/2026/feedback_2027.csv]")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outs = []
    for i, (cwd, arg) in enumerate([(tmp_path / "work", "hillside"), (tmp_path, str(project.resolve())),
                                    (project / "exports", "..")]):
        out = tmp_path / f"out{i}"
        shutil.rmtree(project / "project.sqlite", ignore_errors=True)
        proc = subprocess.run([sys.executable, "-m", "pledge_analysis.cli", "run", arg, "--out", str(out), "--quiet",
                               "--store", str(tmp_path / f"store{i}.sqlite")], cwd=cwd, env=env,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    segs = [pd.read_csv(o / "segments.csv") for o in outs]
    assert set(segs[0]["source_id"]) == {"exports/feedback_2027.csv", "exports/2026/feedback_2027.csv",
                                         "groups/hillside_primary.txt"}
    for other in segs[1:]:
        pd.testing.assert_frame_equal(segs[0], other)
    assert guids(outs[0] / "project.qdpx") == guids(outs[1] / "project.qdpx") == guids(outs[2] / "project.qdpx")
    for name in ("priorities.csv", "set_aside.csv", "themes.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes() == (outs[2] / name).read_bytes()
    # codings are the same too, but for the time each run made them
    codings = [pd.read_csv(o / "codings.csv").drop(columns="created_at") for o in outs]
    for other in codings[1:]:
        pd.testing.assert_frame_equal(codings[0], other)
    assert str(tmp_path) not in (outs[0] / "set_aside.csv").read_text()  # no machine paths in outputs


def test_plan_editor_saves_to_the_store_and_a_rerun_keeps_it(reviewed):
    from pledge_analysis.widgets import PlanEditor

    project, store, tmp, _ = reviewed
    editor = PlanEditor(project=store, editor="dana")
    goal = editor.plan["goal_id"].iloc[-1]
    editor.goal.value = goal
    editor.we_plan_to.value, editor.by.value, editor.status.value = "Quiet room by the clinic", "March 2027", "ongoing"
    editor.commit()
    assert "project store" in editor.message.value
    run(project, tmp / "out2")
    with Project.open(store) as p:
        row = p.action_plan().set_index("goal_id").loc[goal]
        assert (row["we_plan_to"], row["status"], row["origin"], row["updated_by"]) == \
            ("Quiet room by the clinic", "ongoing", "edited", "dana")
        assert [goal, "ongoing"] in p.plan_history()[["goal_id", "status"]].values.tolist()


def test_import_plan_command_stores_the_workbook_edits(reviewed, capsys):
    from openpyxl import load_workbook

    project, store, tmp, _ = reviewed
    run(project, tmp / "out2")  # a fresh export that carries the reviewers' G01 edit
    for book in (tmp / "out1" / "action_plan.xlsx", tmp / "out2" / "action_plan.xlsx"):
        wb = load_workbook(book)
        ws = wb.active
        header = [c.value for c in ws[1]]
        ws.cell(row=3, column=header.index("We plan to") + 1, value="Text reminders before every appointment")
        wb.save(book)
    capsys.readouterr()
    # the old workbook predates the G01 edit in the store: importing it would undo that edit
    assert main(["import-plan", str(project), str(tmp / "out1" / "action_plan.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "G01" in err and "edited in the project store after this workbook was exported" in err
    assert main(["import-plan", str(project), str(tmp / "out2" / "action_plan.xlsx"), "--by", "erin"]) == 0
    assert "G02 we_plan_to: '' -> 'Text reminders before every appointment'" in capsys.readouterr().out
    with Project.open(store) as p:
        plan = p.action_plan().set_index("goal_id")
        assert plan.at["G02", "we_plan_to"] == "Text reminders before every appointment"
        assert plan.at["G02", "origin"] == "edited" and plan.at["G02", "updated_by"] == "erin"
        assert plan.at["G01", "we_plan_to"] == "Call every patient within 48 hours"
    book = tmp / "out2" / "action_plan.xlsx"
    wb = load_workbook(book)
    wb.active.cell(row=3, column=header.index("Status") + 1, value="finished")
    wb.save(book)
    assert main(["import-plan", str(project), str(book)]) == 2
    assert "row 3, column 'Status'" in capsys.readouterr().err
