"""A real browser on the read-only view: ``pledge-analysis serve OUT`` (Voilà on 127.0.0.1) and headless
Chromium via Playwright, over the sample run's output folder.

Checks what a patient representative sees (a hospital's priority names and plan goals, a hospital
picker and nothing else to click or type into, no code), that nothing is fetched from outside this
computer, and that Ctrl-C stops the server with exit code 130. Needs Debian's chromium and Playwright
(as tests/test_review_browser.py); skips with the reason when either is missing.
"""
import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

import pytest

from pledge_analysis.booklet import patient_goals

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(sample_run):
    """``pledge-analysis serve OUT --no-browser`` on a free port; yields (process, url)."""
    _, out = sample_run
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pledge_analysis.cli", "serve", str(out), "--port", str(port),
                             "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=dict(os.environ, HF_HUB_OFFLINE="1"),
                            # started with SIGINT ignored, as a background job of a script is (and as the
                            # clean-clone run's test worker was): Ctrl-C must still stop it (it was ignored)
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    first = proc.stdout.readline()  # printed once Voilà answers
    url = re.search(r"http://\S+", first)
    assert url, first + proc.stdout.read() if proc.poll() is not None else first
    yield proc, url.group(0)
    if proc.poll() is None:  # the test failed before its Ctrl-C: stop serve so that it stops Voila too
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_hospital_read_only_in_the_browser(sample_run, served, tmp_path):
    result, out = sample_run
    proc, url = served
    assert urlparse(url).hostname == "127.0.0.1" and "token=" in url
    pr = result.priorities
    top = lambda site: pr[(pr["scope_type"] == "site") & (pr["scope"] == site)].sort_values("rank")["name"].head(5)  # noqa: E731
    outside = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("request", lambda r: None if urlparse(r.url).hostname in ("127.0.0.1", None)
                or r.url.startswith(("data:", "blob:")) else outside.append(r.url))
        page.goto(url + "&site=RGH")  # ?site= in the address picks the hospital shown first (NGU otherwise)
        page.wait_for_selector(".pledge-view h1", timeout=120_000)
        assert page.inner_text(".pledge-view h1") == "Riverside General Hospital"
        text = page.inner_text(".pledge-view")
        assert all(name in text for name in top("RGH"))
        goals = patient_goals(result.action_plan, site="RGH")
        assert len(goals) and all(g in text for g in goals["you_said"])
        page.screenshot(path=str(tmp_path / "view_RGH.png"), full_page=True)
        # nothing to edit and no code: one drop-down, no inputs, buttons, editors or code cells
        assert page.locator("select").count() == 1
        assert page.locator("input, textarea, button, [contenteditable='true']").count() == 0
        assert page.locator(".jp-InputArea, .jp-InputArea-editor, .cm-editor, .CodeMirror").count() == 0
        assert "HospitalView" not in page.content()  # the notebook's source is not in the page
        page.select_option("select", label="Valeview Hospital (VVH)")
        page.wait_for_selector(".pledge-view h1:has-text('Valeview Hospital')", timeout=30_000)
        assert all(html.unescape(n) in page.inner_text(".pledge-view") for n in top("VVH"))
        browser.close()
    assert outside == []  # offline: every page, script and stylesheet came from 127.0.0.1
    if (out / "standards_audit.csv").exists():
        assert "Standards of care" in text
    # Ctrl-C stops the server and Voilà with it
    port = urlparse(url).port
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    assert "Stopping the view" in proc.stdout.read()
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            time.sleep(0.5)
        except OSError:
            break
    else:
        pytest.fail("Voilà still answers after Ctrl-C")
