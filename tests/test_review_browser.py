"""A real browser: JupyterLab on localhost, headless Chromium via Playwright: click Accept, press review
keys over the comment, check SQLite. One JupyterLab server and one browser serve the module.

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


#: a hospital and a code whose names are long, as real ones are
LONG_SITE = "Hillside and Upper Valley University Hospitals NHS Foundation Trust"
LONG_CODE = "Information and Open Access follow-up after treatment"


def review_store(path, texts, sites=None, names=("Waiting",)):
    from pledge_analysis.project import Project

    n = len(texts)
    with Project.open(path) as p:
        p.write_table("segments", pd.DataFrame({
            "segment_id": [f"s{i}" for i in range(1, n + 1)], "source_id": ["a.csv"] * n,
            "site": list(sites) if sites else ["RGH"] * n,
            "group": ["secondary"] * n, "source_type": ["survey"] * n, "position": list(range(n)), "text": texts}))
        p.write_table("codebook", pd.DataFrame({"code_id": ["waiting", "open_access"][:len(names)], "name": list(names),
                                                "keywords": [["wait"], ["open access"]][:len(names)]}))
        p.add_codings(pd.DataFrame({"segment_id": [f"s{i}" for i in range(1, n)], "code_id": ["waiting"] * (n - 1),
                                    "coder": ["rules"] * (n - 1), "method": ["rules"] * (n - 1),
                                    "confidence": [0.75] * (n - 1), "start": [0] * (n - 1),
                                    "end": [len(t) for t in texts[:-1]], "status": ["suggested"] * (n - 1),
                                    "evidence": ["waited"] * (n - 1)}))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab server for the module: review.ipynb over project.sqlite, keys.ipynb over keys.sqlite."""
    tmp_path = tmp_path_factory.mktemp("lab")
    review_store(tmp_path / "project.sqlite", ["I waited three hours in clinic.", "Nobody told me about Open Access."])
    review_store(tmp_path / "keys.sqlite", ["I waited three hours.", "Waited weeks for results.",
                                            "The wait was long.", "Nothing else."])
    (tmp_path / "review.ipynb").write_text(json.dumps(NOTEBOOK))
    keys = json.loads(json.dumps(NOTEBOOK))
    keys["cells"][0]["source"][1] = "ReviewWidget('keys.sqlite', coder='alice')"
    (tmp_path / "keys.ipynb").write_text(json.dumps(keys))
    review_store(tmp_path / "long.sqlite", ["I waited three hours.", "Nobody told me about Open Access."],
                 sites=[LONG_SITE, "LWC"], names=("Waiting", LONG_CODE))
    long = json.loads(json.dumps(NOTEBOOK))
    long["cells"][0]["source"][1] = "ReviewWidget('long.sqlite', coder='alice')"
    (tmp_path / "long.ipynb").write_text(json.dumps(long))
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
    yield (lambda nb: f"http://127.0.0.1:{port}/lab/workspaces/{nb}/tree/{nb}.ipynb?token={token}&reset"), tmp_path
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


def open_review(browser, url):
    """Open the notebook, run its cell until the widget shows (the kernel may still be starting)."""
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
    return page


def test_click_accept_in_jupyterlab_writes_the_decision(lab, browser):
    url, folder = lab
    page = open_review(browser, url("review"))
    assert "I waited three hours" in page.inner_text(".jp-OutputArea")
    page.locator("button.jupyter-button:has-text('Accept')").first.click()
    page.wait_for_selector("text=accepted waiting (saved)", timeout=30_000)
    page.close()
    rows = sqlite3.connect(folder / "project.sqlite").execute(
        "SELECT segment_id, code_id, coder, method, status FROM codings WHERE method='manual'").fetchall()
    assert rows == [("s1", "waiting", "alice", "manual", "accepted")]


def test_keys_over_the_comment_review_in_jupyterlab(lab, browser):
    """Keys pressed with the pointer over the comment (ipyevents) reach the store, in order, with undo;
    JupyterLab's own shortcuts (``a`` = insert a cell, ``j``/``k`` = move between cells) do not fire."""
    url, folder = lab
    page = open_review(browser, url("keys"))
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    page.keyboard.press("Escape")  # command mode: where JupyterLab's single-key shortcuts would fire
    for key, shown in [("a", "accepted waiting (saved)"), ("r", "rejected waiting (saved)"),
                       ("u", "undone: waiting is undecided again (saved)"), ("a", "2 of 3 decided"),
                       ("j", "Nothing left to review"), ("k", "The wait was long."),
                       ("r", "3 of 3 decided")]:
        page.hover(".pledge-review-keys")  # the box changes size as comments change
        page.keyboard.press(key)
        page.wait_for_selector(f".jp-OutputArea >> text={shown}", timeout=30_000)
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells
    page.close()
    rows = sqlite3.connect(folder / "keys.sqlite").execute(
        "SELECT segment_id, status FROM codings WHERE method='manual' ORDER BY segment_id").fetchall()
    assert rows == [("s1", "accepted"), ("s2", "accepted"), ("s3", "rejected")]


#: for every drop-down, label and button of the widget: the text it shows and whether the box is too small for
#: it (a <select> shows its selected entry; the width it needs is measured with the element's own font)
_FITS = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const need = (el, text) => { canvas.font = getComputedStyle(el).font; return canvas.measureText(text).width; };
  const out = [];
  for (const s of document.querySelectorAll('.jp-OutputArea select')) {
    const shown = s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : '';
    const longest = Math.max(...[...s.options].map(o => need(s, o.text)));
    out.push({kind: 'select', text: shown, cut: longest + 24 > s.clientWidth});  // 24 px: the arrow
  }
  for (const el of document.querySelectorAll('.jp-OutputArea .widget-label, .jp-OutputArea button')) {
    const text = el.innerText.trim();
    if (text) out.push({kind: el.tagName.toLowerCase(), text: text, cut: el.scrollWidth > el.clientWidth + 1});
  }
  return out;
}"""


def test_no_blank_or_cut_entries_with_long_hospital_and_code_names(lab, browser):
    """Every drop-down shows an entry ("(any)", not a blank), and no drop-down, label or button (the "Add this
    code" button, the hospital picker) is too narrow for its text, with long hospital and code names."""
    url, _ = lab
    page = open_review(browser, url("long"))
    page.set_viewport_size({"width": 1280, "height": 900})
    seen = page.evaluate(_FITS)
    page.close()
    selects = [x for x in seen if x["kind"] == "select"]
    assert len(selects) == 5 and all(x["text"].strip() for x in selects), selects
    assert [x["text"] for x in selects][:4] == ["(any)"] * 4
    assert not [x for x in seen if x["cut"]], [x for x in seen if x["cut"]]
    assert any(x["kind"] == "button" and x["text"] == "Add this code" for x in seen)
