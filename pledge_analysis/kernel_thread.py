"""Run notebook-widget callbacks on the kernel's own thread, and show their errors in the widget.

JupyterLab 4 (with ipykernel 7 and ipywidgets 8) delivers widget messages (button clicks, text
submitted, ipyevents key presses) on a kernel *subshell* thread, so that widgets answer while a cell
is running. A callback that writes to the project store from there either fails
(``sqlite3.ProgrammingError: SQLite objects created in a thread can only be used in that same
thread``) or, with the connection shared across threads, runs in the middle of the cell's own use of
it. And ipywidgets prints a callback's exception only to the browser's log, so the user sees nothing.

:class:`KernelThread` fixes both for a widget: built on the thread that runs the cell (the kernel's
main thread), its :meth:`~KernelThread.call` runs a callback there (queued on the kernel's event loop
when it arrives from another thread, in arrival order), and any exception is reported through
``on_error`` (the widget's status line) and logged, never swallowed. Outside a kernel (a script, the
tests) there is no running event loop and callbacks simply run where they are called.

>>> seen = []
>>> KernelThread(on_error=seen.append).call(lambda: 1 / 0)
>>> type(seen[0]).__name__
'ZeroDivisionError'
"""
from __future__ import annotations

import asyncio
import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class KernelThread:
    """Calls made through :meth:`call` run on the thread (and event loop) that created this object."""

    def __init__(self, *, on_error: Callable[[BaseException], None] | None = None):
        self.thread = threading.current_thread()
        try:
            self.loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # not inside a running kernel: run callbacks where they are called
            self.loop = None
        self.on_error = on_error

    def call(self, fn: Callable, *args) -> None:
        """Run ``fn(*args)`` on the kernel's thread: now if already there, else queued on its event loop."""
        here = threading.current_thread() is self.thread
        if here or self.loop is None or self.loop.is_closed():
            self._run(fn, *args)
        else:
            self.loop.call_soon_threadsafe(self._run, fn, *args)

    def wrap(self, fn: Callable) -> Callable:
        """``fn`` as a widget callback that runs through :meth:`call`."""
        return lambda *args: self.call(fn, *args)

    def _run(self, fn: Callable, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:  # noqa: BLE001 - reported to the user, not swallowed
            log.exception("widget callback %s failed", getattr(fn, "__name__", fn))
            if self.on_error is None:
                raise
            self.on_error(exc)
