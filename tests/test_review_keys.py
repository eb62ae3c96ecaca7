"""The review widget's keys, undo and error reporting, and widget callbacks on the kernel's thread.

The same keys pressed in a real JupyterLab are exercised in ``tests/test_review_browser.py``.
"""
import asyncio
import sqlite3
import threading

import pandas as pd
import pytest

from pledge_analysis.coding.review import KEYS, ReviewWidget
from pledge_analysis.kernel_thread import KernelThread
from pledge_analysis.project import Project


def small_store(path, n=3):
    with Project.open(path) as p:
        p.write_table("segments", pd.DataFrame({
            "segment_id": [f"s{i}" for i in range(1, n + 1)], "source_id": ["a.csv"] * n, "site": ["RGH"] * n,
            "group": ["secondary"] * n, "source_type": ["survey"] * n, "position": list(range(n)),
            "text": [f"I waited {i} hours in clinic." for i in range(1, n + 1)]}))
        p.write_table("codebook", pd.DataFrame({"code_id": ["waiting"], "name": ["Waiting"], "keywords": [["wait"]]}))
        p.add_codings(pd.DataFrame({"segment_id": [f"s{i}" for i in range(1, n + 1)], "code_id": ["waiting"] * n,
                                    "coder": ["rules"] * n, "method": ["rules"] * n, "confidence": [0.75] * n,
                                    "start": [2] * n, "end": [8] * n, "status": ["suggested"] * n,
                                    "evidence": ["waited"] * n}))
    return path


def decisions(db):
    return sqlite3.connect(db).execute("SELECT segment_id, status FROM codings WHERE method='manual' "
                                       "ORDER BY segment_id").fetchall()


def test_keys_accept_reject_move_and_undo(tmp_path):
    db = small_store(tmp_path / "p.sqlite")
    with Project.open(db) as p:
        w = ReviewWidget(p, "alice")
        for key in "a", "r":            # s1 accepted, s2 rejected; s3 is current
            w.press(key)
        w.press("u")                    # s2's rejection withdrawn, s2 shown again
        assert w.current["segment_id"] == "s2" and "undone" in w.status.value
        w.press("A")                    # keys are not case-sensitive
        w.press("j")                    # past s3 to the end
        assert w.current is None
        w.press("k")                    # back to s3
        w.press("r")
        w.press("x")                    # not a key: ignored
        assert decisions(db) == [("s1", "accepted"), ("s2", "accepted"), ("s3", "rejected")]
        log = p.audit_log()
        assert (log["action"] == "decision withdrawn").sum() == 1
    assert {KEYS[k] for k in "anjpku"} == {"accept", "next", "previous", "undo"}


def test_the_keys_box_and_key_events_use_the_same_keys(tmp_path):
    db = small_store(tmp_path / "p.sqlite", n=2)
    with Project.open(db) as p:
        w = ReviewWidget(p, "alice")
        w.command.value = "a"           # typed in the Keys box, Enter
        w._on_key({"type": "keydown", "key": "r"})
        w._on_key({"type": "keydown", "key": "a", "ctrlKey": True})  # Ctrl+A is not "accept"
        assert w.command.value == ""
        assert decisions(db) == [("s1", "accepted"), ("s2", "rejected")]
        assert w.keys.watched_events == ["keydown"] and w.keys.source is w.reading


def test_a_failed_save_is_shown_in_the_widget_not_swallowed(tmp_path):
    db = small_store(tmp_path / "p.sqlite", n=1)
    with Project.open(db, timeout=0.05) as p:
        w = ReviewWidget(p, "alice")
        other = sqlite3.connect(db)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the store
        try:
            w.accept.click()
        finally:
            other.rollback()
            other.close()
        assert "Not saved" in w.status.value and "in use by another program" in w.status.value
        assert w.current["segment_id"] == "s1"   # still to decide
        w.accept.click()
        assert decisions(db) == [("s1", "accepted")] and "saved" in w.status.value


def test_callbacks_from_another_thread_run_on_the_kernel_thread():
    ran, errors = [], []

    async def kernel():
        loop_thread = KernelThread(on_error=errors.append)   # built where the cell runs
        worker = threading.Thread(target=lambda: [loop_thread.call(lambda i=i: ran.append(
            (i, threading.current_thread() is threading.main_thread()))) for i in range(3)]
            + [loop_thread.call(lambda: 1 / 0)])
        worker.start()
        worker.join()
        for _ in range(10):
            await asyncio.sleep(0)
    asyncio.run(kernel())
    assert ran == [(0, True), (1, True), (2, True)]
    assert [type(e) for e in errors] == [ZeroDivisionError]


def test_without_an_error_handler_the_exception_propagates():
    with pytest.raises(ZeroDivisionError):
        KernelThread().call(lambda: 1 / 0)


def test_the_plan_editor_shows_a_failed_save_too(tmp_path):
    from pledge_analysis.widgets import PlanEditor

    db = tmp_path / "p.sqlite"
    plan = pd.DataFrame({"goal_id": ["G01"], "scope": ["RGH"], "theme": ["waiting"], "you_said": ["Clinics ran late."],
                         "we_plan_to": [""], "by": [""], "owner": [""], "status": ["not started"]})
    with Project.open(db, timeout=0.05) as p:
        p.save_action_plan(plan, actor="test")
        editor = PlanEditor(project=p)
        editor.we_plan_to.value = "A text when the clinic runs late"
        other = sqlite3.connect(db)
        other.execute("BEGIN EXCLUSIVE")
        try:
            editor.save.click()
        finally:
            other.rollback()
            other.close()
        assert "Not saved" in editor.message.value and "in use by another program" in editor.message.value
        editor.save.click()
        assert p.action_plan().at[0, "we_plan_to"] == "A text when the clinic runs late"
