"""A real browser: JupyterLab on localhost, headless Chromium via Playwright, click Accept, check SQLite.

Needs Debian's chromium (``apt-get install chromium``; ``.ci/run`` installs it) and the Playwright
Python package (test extra); skips with the reason when either is missing.
"""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)")

NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": ["from pledge_analysis.coding.review import ReviewWidget\n",
                          "ReviewWidget('project.sqlite', coder='alice')"]}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    from pledge_analysis.project import Project

    with Project.open(tmp_path / "project.sqlite") as p:
        p.write_table("segments", pd.DataFrame({
            "segment_id": ["s1", "s2"], "source_id": ["a.csv", "a.csv"], "site": ["RGH", "RGH"],
            "group": ["secondary", "secondary"], "source_type": ["survey", "survey"], "position": [0, 1],
            "text": ["I waited three hours in clinic.", "Nobody told me about Open Access."]}))
        p.write_table("codebook", pd.DataFrame({"code_id": ["waiting"], "name": ["Waiting"], "keywords": [["wait"]]}))
        p.add_codings(pd.DataFrame({"segment_id": ["s1"], "code_id": ["waiting"], "coder": ["rules"],
                                    "method": ["rules"], "confidence": [0.75], "start": [0], "end": [31],
                                    "status": ["suggested"], "evidence": ["waited"]}))
    (tmp_path / "review.ipynb").write_text(json.dumps(NOTEBOOK))
    port, token = free_port(), "pledgetest"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", f"--ServerApp.token={token}",
         f"--ServerApp.root_dir={tmp_path}", "--ServerApp.ip=127.0.0.1", "--allow-root",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / ".jupyter"), HF_HUB_OFFLINE="1"))
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    yield f"http://127.0.0.1:{port}/lab/tree/review.ipynb?token={token}", tmp_path / "project.sqlite"
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_click_accept_in_jupyterlab_writes_the_decision(lab):
    url, db = lab
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator, .jp-Toolbar-kernelStatus", timeout=60_000)
        page.click(".jp-Notebook .jp-Cell .jp-InputArea-editor")
        deadline = time.time() + 90
        accept = page.locator("button.jupyter-button:has-text('Accept')")
        while time.time() < deadline and accept.count() == 0:
            page.keyboard.press("Shift+Enter")  # run the cell (retries until the kernel is ready)
            try:
                accept.first.wait_for(timeout=15_000)
            except Exception:  # noqa: BLE001 - the kernel may still be starting
                page.click(".jp-Notebook .jp-Cell .jp-InputArea-editor")
        assert "I waited three hours" in page.inner_text(".jp-OutputArea")
        accept.first.click()
        page.wait_for_selector("text=accepted waiting (saved)", timeout=30_000)
        browser.close()
    rows = sqlite3.connect(db).execute(
        "SELECT segment_id, code_id, coder, method, status FROM codings WHERE method='manual'").fetchall()
    assert rows == [("s1", "waiting", "alice", "manual", "accepted")]
