"""``pledge-analysis serve OUT``: the read-only view for patient representatives, in the browser, offline.

Starts `Voilà <https://voila.readthedocs.io>`_ on this computer only (``127.0.0.1``, never the
network) over the notebook shipped in the package (``pledge_analysis/resources/view.ipynb``), which
shows :class:`pledge_analysis.view.HospitalView` for the run's output folder ``OUT``: one hospital at
a time, chosen with a drop-down or ``?site=CODE`` in the address. Voilà shows the notebook's outputs
only (no code, no cells to edit) and serves its pages and scripts itself, so nothing is fetched from the
internet. The address carries a random token, so other users of the same computer cannot open it.

What it runs, if you prefer to start Voilà yourself::

    cd "$(python -c 'import pledge_analysis.serve as s; print(s.TEMPLATES)')"
    PLEDGE_VIEW_OUT=/path/to/OUT JUPYTER_PATH="$PWD" voila view.ipynb --template=pledge_view \\
        --Voila.ip=127.0.0.1 --no-browser

Ctrl-C stops the server (exit code 130, as for every command).
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from pathlib import Path

from .errors import ConfigError, PledgeError
from .view import ENV_OUT, ENV_SITE, read_outputs, site_from_query

#: the notebook Voilà renders
NOTEBOOK = Path(__file__).parent / "resources" / "view.ipynb"
#: a Jupyter data folder holding the page template ``voila/templates/pledge_view``: Voilà's lab template
#: without the icon stylesheets it would fetch from a CDN (found by the real-browser test)
TEMPLATES = Path(__file__).parent / "resources"
TEMPLATE = "pledge_view"
#: where the server listens: this computer only
HOST = "127.0.0.1"
DEFAULT_PORT = 8866
#: seconds to wait for Voilà to answer
START_TIMEOUT = 120.0


def free_port(preferred: int = DEFAULT_PORT) -> int:
    """``preferred`` if nothing listens there on 127.0.0.1, else any free port."""
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise ConfigError("no free port on 127.0.0.1 for the view. Name one with --port.")  # pragma: no cover


def voila_command(port: int, token: str) -> list[str]:
    """The Voilà command line (run with the view's environment: see :func:`serve`)."""
    return [sys.executable, "-m", "voila", str(NOTEBOOK), "--no-browser", f"--port={port}", f"--Voila.ip={HOST}",
            "--Voila.port_retries=0", f"--token={token}", "--strip_sources=True", "--show_tracebacks=False",
            "--theme=light", f"--template={TEMPLATE}"]


def view_environment(out: str | Path) -> dict:
    """The environment of the Voilà process: where OUT is, and where the page template is."""
    paths = [str(TEMPLATES)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    return dict(os.environ, **{ENV_OUT: str(Path(out).resolve()), "JUPYTER_PATH": os.pathsep.join(paths)})


def view_url(port: int, token: str, site: str | None = None) -> str:
    query = f"?token={token}" + (f"&site={site}" if site else "")
    return f"http://{HOST}:{port}/{query}"


def serve(out: str | Path, *, port: int | None = None, site: str | None = None, open_browser: bool = True,
          echo=print, timeout: float = START_TIMEOUT) -> int:
    """Serve the view of ``out`` until Ctrl-C (returns 130) or until Voilà stops (returns its exit code).

    Checks first that ``out`` is a run's output folder and that ``site`` is one of its hospitals
    (:class:`~pledge_analysis.errors.InputError` otherwise) and that ``port`` is free.
    """
    outputs = read_outputs(out)
    if site is not None:
        code = site_from_query(f"site={site}", outputs.sites)
        if code is None:
            raise ConfigError(f"--site {site!r} is not a hospital of this run. Choose one of: "
                              + ", ".join(f"{c} ({n})" for c, n in outputs.sites.items()) + ".")
        site = code
    if port is None:
        port = free_port()
    elif free_port(port) != port:
        raise ConfigError(f"port {port} on {HOST} is already in use. Choose another with --port, or leave --port "
                          "out to take a free one.")
    token = secrets.token_urlsafe(16)
    env = view_environment(out)
    if site:
        env[ENV_SITE] = site
    url = view_url(port, token, site)
    previous = signal.signal(signal.SIGTERM, _terminated) if _main_thread() else None
    # "press Ctrl-C to stop" holds even when we were started with SIGINT ignored (a background job of a
    # script, some test runners and supervisors): Ctrl-C / SIGINT then still stops the view and Voila
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler) if _main_thread() else None
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(voila_command(port, token), env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, cwd=str(NOTEBOOK.parent))
        try:
            _wait_until_listening(proc, port, timeout, log)
            echo(f"The read-only view of {out} is at {url}\n(this computer only; press Ctrl-C to stop)")
            if open_browser:
                webbrowser.open(url)
            return proc.wait()
        except KeyboardInterrupt:
            echo("Stopping the view.")
            return 130
        finally:
            _stop(proc)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            if previous_int is not None:
                signal.signal(signal.SIGINT, previous_int)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _terminated(signum, frame):
    """SIGTERM (e.g. ``kill PID``): leave through the ``finally`` that stops Voilà too."""
    raise SystemExit(128 + signum)


def _wait_until_listening(proc: subprocess.Popen, port: int, timeout: float, log) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            tail = " | ".join(line.strip() for line in log.read().splitlines()[-5:] if line.strip())
            raise PledgeError(f"the view's server (Voilà) stopped at start with exit code {proc.returncode}: {tail}. "
                              "Run again with --debug, or start it yourself as the serve module's docstring shows.")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.25)
    raise PledgeError(f"the view's server (Voilà) did not answer on port {port} within {timeout:.0f} s. The "
                      "computer may be busy: try again.")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
