"""Human review of suggested codings in JupyterLab: ``ReviewWidget(project, coder="alice")``.

One suggestion at a time: the segment with the coded span highlighted, its context (speaker,
group, site, the turns before and after), the suggested code with its confidence and evidence.
Accept, Reject, Skip, add another code, or write a memo; each decision goes to the SQLite store
at once (a crash or a closed tab loses nothing). Keyboard: type ``a`` (accept), ``r`` (reject),
``s`` (skip) or ``n`` (next) in the command box and press Enter. Filter the queue by code, site,
group or method, or put the least certain suggestions first. Each coder sees only their own
decisions, so two coders can code the same segments blind to each other.
"""
from __future__ import annotations

import html

import pandas as pd

from ..project import Project


def highlight(text: str, start, end) -> str:
    """HTML of ``text`` with ``[start, end)`` marked.

    >>> highlight("Lovely staff. Long wait.", 14, 24)
    'Lovely staff. <mark>Long wait.</mark>'
    """
    if pd.isna(start) or pd.isna(end):
        return html.escape(text)
    s, e = int(start), int(end)
    return html.escape(text[:s]) + "<mark>" + html.escape(text[s:e]) + "</mark>" + html.escape(text[e:])


class ReviewWidget:
    """The review app; display it as the last line of a cell. ``decide("accepted")`` etc. also work in code."""

    def __init__(self, project: Project | str, coder: str, *, code: str | None = None, site: str | None = None,
                 group: str | None = None, method: str | None = None, uncertain_first: bool = False):
        import ipywidgets as w

        self.project = project if isinstance(project, Project) else Project.open(project)
        self.coder = coder
        codebook = self.project.read_table("codebook")
        segments = self.project.read_table("segments")
        self._names = dict(zip(codebook["code_id"], codebook["name"]))
        self._segments = segments
        opts = lambda col: [("(any)", None)] + [(str(v), v) for v in sorted(segments[col].dropna().unique())]  # noqa: E731
        self.f_code = w.Dropdown(options=[("(any)", None)] + [(f"{c} · {n}", c) for c, n in self._names.items()],
                                 value=code, description="Code")
        self.f_site = w.Dropdown(options=opts("site"), value=site, description="Site")
        self.f_group = w.Dropdown(options=opts("group"), value=group, description="Group")
        self.f_method = w.Dropdown(options=[("(any)", None), ("rules", "rules"), ("model", "model"), ("topic", "topic")],
                                   value=method, description="Method")
        self.f_uncertain = w.Checkbox(value=uncertain_first, description="least certain first")
        for f in (self.f_code, self.f_site, self.f_group, self.f_method, self.f_uncertain):
            f.observe(lambda _c: self.reload(), names="value")
        self.progress = w.IntProgress(min=0, max=1, description="Reviewed")
        self.progress_text = w.HTML()
        self.context = w.HTML()
        self.segment = w.HTML()
        self.suggestion = w.HTML()
        self.accept = w.Button(description="Accept", button_style="success", icon="check")
        self.reject = w.Button(description="Reject", button_style="danger", icon="times")
        self.skip = w.Button(description="Skip", icon="forward")
        self.accept.on_click(lambda _b: self.decide("accepted"))
        self.reject.on_click(lambda _b: self.decide("rejected"))
        self.skip.on_click(lambda _b: self.next())
        self.add_code = w.Dropdown(options=[(f"{c} · {n}", c) for c, n in self._names.items()], description="Add code")
        self.add_button = w.Button(description="Add", icon="plus")
        self.add_button.on_click(lambda _b: self.add(self.add_code.value))
        self.memo = w.Textarea(placeholder="memo on this segment", layout=w.Layout(width="60%"))
        self.memo_button = w.Button(description="Save memo", icon="sticky-note")
        self.memo_button.on_click(lambda _b: self.save_memo(self.memo.value))
        self.command = w.Text(placeholder="a = accept, r = reject, s = skip; Enter", description="Keys")
        self.command.on_submit(self._on_command)
        self.status = w.HTML()
        self.widget = w.VBox([
            w.HBox([self.f_code, self.f_site]), w.HBox([self.f_group, self.f_method, self.f_uncertain]),
            w.HBox([self.progress, self.progress_text]), self.context, self.segment, self.suggestion,
            w.HBox([self.accept, self.reject, self.skip, self.command]), w.HBox([self.add_code, self.add_button]),
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
        self.project.record_decision(int(r["coding_id"]), status, coder=self.coder,
                                     memo=self.memo.value or None)
        self.status.value = f"{status} {html.escape(r['code_id'])} (saved)"
        self.memo.value = ""
        self.queue = self.queue.drop(self.queue.index[self.i]).reset_index(drop=True)
        self._show()

    def next(self) -> None:
        self.i = min(self.i + 1, len(self.queue))
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

    def _on_command(self, box) -> None:
        key = box.value.strip().lower()[:1]
        box.value = ""
        {"a": lambda: self.decide("accepted"), "r": lambda: self.decide("rejected"),
         "s": self.next, "n": self.next}.get(key, lambda: None)()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
