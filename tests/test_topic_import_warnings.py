"""Importing BERTopic must not silence this package's warnings for the rest of the process.

bertopic/_bertopic.py calls ``warnings.filterwarnings("ignore", category=UserWarning)`` on import. Each check runs
in a fresh interpreter, because pytest resets warning filters around every test and an earlier test may already
have imported bertopic in this one.
"""
from __future__ import annotations

import subprocess
import sys

SHOW = "import warnings; warnings.warn('pledge check: still shown', UserWarning)"


def _stderr(code: str) -> str:
    done = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, timeout=300,
                          env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


def test_a_plain_bertopic_import_hides_later_user_warnings():
    # the dependency's behaviour that the package works around (if this fails, bertopic stopped doing it)
    assert "pledge check" not in _stderr("from bertopic import BERTopic; " + SHOW)


def test_the_topic_explorer_import_leaves_user_warnings_shown():
    err = _stderr("from pledge_analysis.coding.topics import import_bertopic; B = import_bertopic(); "
                  "assert B.__name__ == 'BERTopic'; " + SHOW)
    assert "pledge check: still shown" in err
