"""Human review of suggested codings in JupyterLab: ``ReviewWidget(project, coder="alice")``.

One suggestion at a time: the segment with the coded span highlighted, its context (speaker,
group, site, the turns before and after), the suggested code with its confidence and evidence.
Accept, Reject, Skip, add another code, or write a memo; each decision goes to the SQLite store
at once (a crash or a closed tab loses nothing). Filter the queue by code, site, group or method, or
put the least certain suggestions first. Each coder sees only their own decisions, so two coders can
code the same segments blind to each other.

The "Site" filter lists hospitals as "Name (CODE)" (the value is still the code) with the names from the
project's ``sites:`` (``sites=`` or, by default, the ``project.yaml`` in the store's folder or the one above
it, :func:`project_sites`); a code with no known name is listed as the code.

Keyboard (:data:`KEYS`): hold the mouse pointer over the comment box and press ``a`` (accept), ``r``
(reject), ``n`` or ``j`` (next, leaving this one undecided; ``s`` too), ``p`` or ``k`` (previous) or
``u`` (undo the last decision: it is withdrawn from the store and shown again). The keys are read
with ipyevents while the pointer is over the box (so JupyterLab's own shortcuts do not fire, and
typing in the memo box is not taken for a key); the same letters typed in the "Keys" box and
Enter work too.

Every action runs on the kernel's own thread (:class:`~pledge_analysis.kernel_thread.KernelThread`:
JupyterLab delivers widget events on another thread) and a failure, e.g. a store that another program
has locked, is shown in red in the widget's status line ("Not saved: ...") instead of being lost in the
browser's log.
"""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..kernel_thread import KernelThread
from ..project import Project

#: keyboard shortcuts: key -> action (see the module docstring)
KEYS = {"a": "accept", "r": "reject", "n": "next", "j": "next", "s": "next", "p": "previous", "k": "previous",
        "u": "undo"}
KEY_HELP = "a accept · r reject · n/j next · p/k previous · u undo"


def highlight(text: str, start, end) -> str:
    """HTML of ``text`` with ``[start, end)`` marked.

    >>> highlight("Lovely staff. Long wait.", 14, 24)
    'Lovely staff. <mark>Long wait.</mark>'
    """
    if pd.isna(start) or pd.isna(end):
        return html.escape(text)
    s, e = int(start), int(end)
    return html.escape(text[:s]) + "<mark>" + html.escape(text[s:e]) + "</mark>" + html.escape(text[e:])


def site_options(codes, names: dict) -> list[tuple[str, str]]:
    """Drop-down entries ``(label, code)`` for site codes: "Name (CODE)" when ``names`` (code -> hospital name)
    knows the code, else the code itself.

    >>> site_options(["RGH", "XYZ"], {"RGH": "Riverside General Hospital"})
    [('Riverside General Hospital (RGH)', 'RGH'), ('XYZ', 'XYZ')]
    """
    out = []
    for code in codes:
        name = str(names.get(str(code)) or "").strip()
        out.append((f"{name} ({code})" if name and name != str(code) else str(code), code))
    return out


def _names(sites) -> dict[str, str]:
    """code -> hospital name from a ``sites:`` mapping (``{code: {name: ...}}`` or ``{code: name}``)."""
    if not isinstance(sites, dict):
        return {}
    return {str(k): str(v.get("name") or "") if isinstance(v, dict) else str(v or "") for k, v in sites.items()}


def project_sites(store: str | Path) -> dict[str, str]:
    """code -> hospital name from the ``sites:`` of the ``project.yaml`` beside the project store (in its folder
    or the one above, as ``store:`` in project.yaml puts it); empty when there is none or it cannot be read
    (the widget then lists codes: a label is a convenience, never a reason to refuse to open)."""
    import yaml

    folder = Path(store).resolve().parent
    for candidate in (folder / "project.yaml", folder.parent / "project.yaml"):
        if candidate.is_file():
            try:
                data = yaml.safe_load(candidate.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                return {}
            return _names((data or {}).get("sites") if isinstance(data, dict) else None)
    return {}


class ReviewWidget:
    """The review app; display it as the last line of a cell. ``decide("accepted")`` etc. also work in code.
    ``sites``: the project's ``sites:`` (code -> ``{name: ...}`` or a name), for the "Site" filter's labels;
    default: read from the project.yaml beside the store (:func:`project_sites`)."""

    def __init__(self, project: Project | str, coder: str, *, code: str | None = None, site: str | None = None,
                 group: str | None = None, method: str | None = None, uncertain_first: bool = False,
                 sites: dict | None = None):
        import ipywidgets as w

        self.project = project if isinstance(project, Project) else Project.open(project)
        self.coder = coder
        self.status = w.HTML()
        self._kernel = KernelThread(on_error=self._show_error)
        on_kernel = self._kernel.wrap
        self._done: list[tuple[int, pd.Series, int]] = []  # (manual coding id, queue row, its place): for undo
        codebook = self.project.read_table("codebook")
        segments = self.project.read_table("segments")
        self._names = dict(zip(codebook["code_id"], codebook["name"]))
        self._segments = segments
        opts = lambda col: [("(any)", None)] + [(str(v), v) for v in sorted(segments[col].dropna().unique())]  # noqa: E731
        # wide enough for the longest entry (long hospital and code names are not cut short), the label whole
        wide = dict(layout=w.Layout(width="auto", max_width="100%"), style={"description_width": "initial"})

        def picker(options, value, description):
            # "(any)" is shown, never a blank entry: ipywidgets selects nothing for value=None, so pick index 0
            selected = dict(value=value) if value is not None else dict(index=0)
            return w.Dropdown(options=options, description=description, **selected, **wide)

        self.f_code = picker([("(any)", None)] + [(f"{c} · {n}", c) for c, n in self._names.items()], code, "Code")
        names = _names(sites) if sites is not None else project_sites(self.project.path)
        self.f_site = picker([("(any)", None)] + site_options(sorted(segments["site"].dropna().unique()), names),
                             site, "Site")
        self.f_group = picker(opts("group"), group, "Group")
        self.f_method = picker([("(any)", None), ("rules", "rules"), ("model", "model"), ("topic", "topic")], method,
                               "Method")
        self.f_uncertain = w.Checkbox(value=uncertain_first, description="least certain first")
        for f in (self.f_code, self.f_site, self.f_group, self.f_method, self.f_uncertain):
            f.observe(on_kernel(lambda _c: self.reload()), names="value")
        self.progress = w.IntProgress(min=0, max=1, description="Reviewed")
        self.progress_text = w.HTML()
        self.context = w.HTML()
        self.segment = w.HTML()
        self.suggestion = w.HTML()
        self.accept = w.Button(description="Accept", button_style="success", icon="check")
        self.reject = w.Button(description="Reject", button_style="danger", icon="times")
        self.skip = w.Button(description="Skip", icon="forward")
        self.accept.on_click(on_kernel(lambda _b: self.decide("accepted")))
        self.reject.on_click(on_kernel(lambda _b: self.decide("rejected")))
        self.skip.on_click(on_kernel(lambda _b: self.next()))
        self.add_code = w.Dropdown(options=[(f"{c} · {n}", c) for c, n in self._names.items()], description="Add code",
                                   **wide)
        self.add_button = w.Button(description="Add this code", icon="plus", layout=w.Layout(width="auto"))
        self.add_button.on_click(on_kernel(lambda _b: self.add(self.add_code.value)))
        self.memo = w.Textarea(placeholder="memo on this comment", layout=w.Layout(width="60%"))
        self.memo_button = w.Button(description="Save memo", icon="sticky-note")
        self.memo_button.on_click(on_kernel(lambda _b: self.save_memo(self.memo.value)))
        self.command = w.Text(placeholder="a, r, n, p or u; Enter", description="Keys",
                              continuous_update=False)
        self.command.observe(on_kernel(self._on_command), names="value")
        # the comment box reads single keys while the pointer is over it (ipyevents)
        self.key_help = w.HTML(f"<span style='color:#768692'>Keys, with the pointer over this box: {KEY_HELP}</span>")
        self.reading = w.VBox([self.context, self.segment, self.suggestion, self.key_help],
                              layout=w.Layout(border="1px solid #d8dde0", padding="4px"))
        self.reading.add_class("pledge-review-keys")
        self.keys = _key_events(self.reading)
        if self.keys is not None:
            self.keys.on_dom_event(on_kernel(self._on_key))
        rows = w.Layout(flex_flow="row wrap", grid_gap="4px 12px")  # a long entry wraps to the next line
        self.widget = w.VBox([
            w.HBox([self.f_code, self.f_site], layout=rows),
            w.HBox([self.f_group, self.f_method, self.f_uncertain], layout=rows),
            w.HBox([self.progress, self.progress_text]), self.reading,
            w.HBox([self.accept, self.reject, self.skip, self.command], layout=rows),
            w.HBox([self.add_code, self.add_button], layout=rows),
            w.HBox([self.memo, self.memo_button]), self.status])
        self.reload()

    # ---------------------------------------------------------------- queue
    def reload(self) -> None:
        self.queue = self.project.review_queue(self.coder, code=self.f_code.value, site=self.f_site.value,
                                               group=self.f_group.value, method=self.f_method.value,
                                               uncertain_first=self.f_uncertain.value)
        self.total = len(self.queue) + self._decided()
        self.i = 0
        self._show()

    def _decided(self) -> int:
        return int(self.project.conn.execute("SELECT count(*) FROM codings WHERE method='manual' AND coder=?",
                                             (self.coder,)).fetchone()[0])

    @property
    def current(self) -> pd.Series | None:
        return self.queue.iloc[self.i] if self.i < len(self.queue) else None

    def _show(self) -> None:
        done = self._decided()
        self.progress.max, self.progress.value = max(1, self.total), min(done, max(1, self.total))
        self.progress_text.value = f"{done} of {self.total} decided by <b>{html.escape(self.coder)}</b>"
        r = self.current
        if r is None:
            self.context.value, self.segment.value = "", "<p><b>Nothing left to review with these filters.</b></p>"
            self.suggestion.value = ""
            return
        where = f"{html.escape(str(r['group']))} · {html.escape(str(r['site']))} · {html.escape(str(r['source_id']))}"
        who = f" · speaker {html.escape(str(r['speaker']))}" if isinstance(r["speaker"], str) else ""
        self.context.value = f"<div style='color:#4c6272'>{where}{who}</div>" + self._neighbours(r)
        self.segment.value = f"<div style='font-size:1.1em;padding:.4em;border-left:4px solid #005eb8'>" \
                             f"{highlight(r['text'], r['start'], r['end'])}</div>"
        neg = " · <i>negation cue nearby</i>" if r["negated"] in (1, True) else ""
        self.suggestion.value = (f"Suggested: <b>{html.escape(self._names.get(r['code_id'], r['code_id']))}</b> "
                                 f"({html.escape(r['code_id'])}) · {r['method']} · confidence {r['confidence']:.2f}"
                                 f" · evidence: <i>{html.escape(str(r['evidence'] or ''))}</i>{neg}")

    def _neighbours(self, r) -> str:
        if r["source_type"] == "survey":
            return ""
        s = self._segments[self._segments["source_id"] == r["source_id"]].set_index("position")
        out = []
        for pos in (r["position"] - 1, r["position"] + 1):
            if pos in s.index:
                out.append(f"<div style='color:#768692'>{html.escape(str(s.at[pos, 'speaker']))}: "
                           f"{html.escape(str(s.at[pos, 'text']))}</div>")
        return "".join(out)

    # ---------------------------------------------------------------- actions
    def decide(self, status: str) -> None:
        r = self.current
        if r is None:
            return
        new_id = self.project.record_decision(int(r["coding_id"]), status, coder=self.coder,
                                              memo=self.memo.value or None)
        self._done.append((int(new_id), r, self.i))
        self.status.value = f"{status} {html.escape(r['code_id'])} (saved)"
        self.memo.value = ""
        self.queue = self.queue.drop(self.queue.index[self.i]).reset_index(drop=True)
        self._show()

    def undo(self) -> None:
        """Withdraw this session's last decision from the store and show its suggestion again."""
        if not self._done:
            self.status.value = "nothing to undo"
            return
        coding_id, row, place = self._done[-1]
        self.project.withdraw_decision(coding_id, coder=self.coder)
        self._done.pop()
        place = min(place, len(self.queue))
        self.queue = pd.concat([self.queue.iloc[:place], row.to_frame().T, self.queue.iloc[place:]],
                               ignore_index=True).astype(self.queue.dtypes.to_dict())
        self.i = place
        self.status.value = f"undone: {html.escape(str(row['code_id']))} is undecided again (saved)"
        self._show()

    def next(self) -> None:
        self.i = min(self.i + 1, len(self.queue))
        self._show()

    def previous(self) -> None:
        self.i = max(self.i - 1, 0)
        self._show()

    def add(self, code_id: str) -> None:
        r = self.current
        if r is None or not code_id:
            return
        self.project.add_manual_coding(r["segment_id"], code_id, coder=self.coder)
        self.status.value = f"added {html.escape(code_id)} (saved)"
        self._show()

    def save_memo(self, text: str) -> None:
        r = self.current
        if r is not None and text.strip():
            self.project.add_memo(text.strip(), coder=self.coder, segment_id=r["segment_id"], code_id=r["code_id"])
            self.status.value = "memo saved"
            self.memo.value = ""

    def press(self, key: str) -> None:
        """Do what ``key`` stands for in :data:`KEYS` (other keys are ignored)."""
        action = KEYS.get(str(key).strip().lower()[:1])
        {"accept": lambda: self.decide("accepted"), "reject": lambda: self.decide("rejected"),
         "next": self.next, "previous": self.previous, "undo": self.undo, None: lambda: None}[action]()

    def _on_key(self, event: dict) -> None:
        if event.get("type") == "keydown" and not (event.get("ctrlKey") or event.get("altKey") or event.get("metaKey")):
            self.press(event.get("key", ""))

    def _on_command(self, change) -> None:
        key = str(change["new"] or "")
        if key:
            self.command.value = ""
            self.press(key)

    def _show_error(self, exc: BaseException) -> None:
        import sqlite3

        from ..project import store_error

        if isinstance(exc, sqlite3.Error):  # locked, read-only, full: say what to do
            exc = store_error(exc, self.project.path, "write to", self.project.timeout)
        self.status.value = (f"<span style='color:#d5281b'><b>Not saved</b>: {html.escape(str(exc))} "
                             f"({type(exc).__name__})</span>")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def _key_events(box):
    """An ipyevents listener for single keys on ``box`` (None without ipyevents: the Keys box still works)."""
    try:
        from ipyevents import Event
    except ImportError:  # pragma: no cover - ipyevents is a dependency
        return None
    return Event(source=box, watched_events=["keydown"], prevent_default_action=True,
                 ignore_modifier_key_events=True)
