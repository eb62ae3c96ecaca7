"""ipywidgets apps for JupyterLab: editing the action plan in the notebook."""
from __future__ import annotations

import html
from datetime import date

import pandas as pd

from . import schema
from .kernel_thread import KernelThread
from .pledge import STATUSES, by_reason, parse_by, record_status

#: what a "By" cell may hold besides a date
BY_WORDS = STATUSES + ("tbc",)


def by_problem(value) -> str | None:
    """Why ``value`` cannot be a "By" (None when it can: empty, a date, or a status such as "Ongoing").

    >>> by_problem("September 2026") is None, by_problem("Ongoing") is None, by_problem("")
    (True, True, None)
    >>> by_problem("soon-ish")
    "'soon-ish' is not a date (e.g. 2026-09-30, 30/09/2026 or September 2026) or a status (Ongoing, TBC)"
    """
    text = str(value or "").strip()
    if not text or parse_by(text) is not None or text.lower() in BY_WORDS:
        return None
    why = by_reason(text)
    return (f"{text!r} is not a date (e.g. 2026-09-30, 30/09/2026 or September 2026) or a status (Ongoing, TBC)"
            + (f": {why}" if why and "is not a date" not in why else ""))


def goal_choices(plan: pd.DataFrame, width: int = 70) -> list[tuple[str, str]]:
    """The plan editor's goal picker: ``(label, goal_id)`` for each goal, the label saying whose goal it is and
    what it says ("G04 · Primary breast cancer patients · Patients waited too long for tests, ...").

    >>> goal_choices(pd.DataFrame({"goal_id": ["G01", "G13"], "scope": ["all", "NGU"],
    ...                            "you_said": ["Patients waited a long time in clinic to be seen.", ""]}))
    [('G01 · Patients and staff · Patients waited a long time in clinic to be seen.', 'G01'), ('G13 · NGU', 'G13')]
    """
    from .pledge import WHO

    out = []
    for goal, scope, said in zip(plan["goal_id"], plan["scope"], plan.get("you_said", pd.Series("", index=plan.index))):
        said = str(said) if schema.present(said) else ""
        said = said if len(said) <= width else said[:width - 1].rstrip() + "…"
        out.append((" · ".join(x for x in (str(goal), WHO.get(str(scope), str(scope)), said) if x), str(goal)))
    return out


class PlanEditor:
    """A small form over the action plan: pick a goal, edit "You said", "We plan to", "By", owner and
    status. The goal's evidence (its quotes) is shown under the form. Save checks the form first: an
    empty "You said" or a "By" that is neither a date nor a status (e.g. "soon-ish") is refused with a
    message and nothing is saved. An edited "You said" is marked ``wording="edited"``.

    ``editor.plan`` and ``editor.history`` always hold the current tables; display the editor
    with ``editor.widget`` (or just ``editor`` as the last line of a cell).

    With ``project`` (a :class:`~pledge_analysis.project.Project` or the path of its store) the
    plan is read from the project store when ``plan`` is not given, and every Save writes it
    back at once (``origin="edited"``, so later runs keep it; status changes go to the store's
    ``plan_history``), recorded in the audit log under ``editor``.
    """

    def __init__(self, plan: pd.DataFrame | None = None, history: pd.DataFrame | None = None, *,
                 project=None, editor: str = "notebook"):
        import ipywidgets as w

        from .project import Project

        self.project = project if project is None or isinstance(project, Project) else Project.open(project)
        self.editor = editor
        if plan is None:
            if self.project is None:
                raise TypeError("PlanEditor needs a plan or a project to read it from")
            plan = self.project.action_plan()
        self.plan = schema.conform(plan.copy(), "action_plan", optional=schema.OPTIONAL["action_plan"])
        self.history = history if history is not None else pd.DataFrame(columns=["goal_id", "date", "status", "note"])
        # each goal is picked by what it says, not by its id alone (the value stays the goal_id)
        self.goal = w.Dropdown(options=goal_choices(self.plan), description="Goal", layout=w.Layout(width="95%"))
        self.you_said = w.Textarea(description="You said", layout=w.Layout(width="95%", height="60px"))
        self.evidence = w.HTML()
        self.we_plan_to = w.Textarea(description="We plan to", layout=w.Layout(width="95%", height="70px"))
        self.by = w.Text(description="By", placeholder="e.g. September 2026")
        self.owner = w.Text(description="Owner")
        self.status = w.Dropdown(options=list(STATUSES), description="Status")
        self.save = w.Button(description="Save", button_style="primary", icon="save")
        self.message = w.HTML()
        # JupyterLab delivers widget events on another thread: save on the kernel's, and show any failure
        kernel = KernelThread(on_error=self._show_error)
        self.goal.observe(kernel.wrap(lambda _change: self._load()), names="value")
        self.save.on_click(kernel.wrap(lambda _b: self.commit()))
        self.widget = w.VBox([self.goal, self.you_said, self.we_plan_to, w.HBox([self.by, self.owner]),
                              w.HBox([self.status, self.save]), self.message, self.evidence])
        self._load()

    def _row(self):
        return self.plan.index[self.plan["goal_id"] == self.goal.value][0]

    def _load(self) -> None:
        r = self.plan.loc[self._row()]

        def text(key: str) -> str:
            return str(r[key]) if key in r.index and schema.present(r[key]) else ""

        self.you_said.value, self.we_plan_to.value, self.by.value = text("you_said"), text("we_plan_to"), text("by")
        self.owner.value = text("owner")
        self.status.value = text("status") if text("status") in STATUSES else "not started"
        quotes = [q for q in text("quotes").split(" | ") if q]
        draft = " <i>(draft wording: rewrite it here or in the codebook's <code>concern:</code>)</i>" if text(
            "wording") == "draft" else ""
        self.evidence.value = (f"<b>Evidence</b>{draft}<ul>" + "".join(f"<li>{html.escape(q)}</li>" for q in quotes)
                               + "</ul>" if quotes or draft else "")  # patients' text, escaped: never markup

    def commit(self, today: date | None = None) -> bool:
        """Check the form, then save it into ``plan`` (and ``history`` when the status changed) and, with
        a project, into its store. Returns False (and says why in ``message``) when nothing was saved."""
        said = self.you_said.value.strip()
        problems = ([] if said else ['"You said" is empty: write the concern people raised']) + (
            [f'"By": {by_problem(self.by.value)}'] if by_problem(self.by.value) else [])
        if self.status.value not in STATUSES:
            problems.append(f"status {self.status.value!r} is not one of {list(STATUSES)}")
        if problems:
            self.message.value = ("<span style='color:#d5281b'>Not saved: " + html.escape("; ".join(problems))
                                  + ".</span>")
            return False
        i = self._row()
        if said != str(self.plan.at[i, "you_said"] or ""):
            self.plan.at[i, "you_said"] = said
            self.plan.at[i, "wording"] = "edited"
        for field in ("we_plan_to", "by", "owner"):
            self.plan.at[i, field] = getattr(self, field).value.strip()
        if self.plan.at[i, "status"] != self.status.value:
            self.plan, self.history = record_status(self.plan, self.history, self.goal.value, self.status.value,
                                                    on=today)
        if self.project is not None:
            self.project.save_action_plan(self.plan, actor=self.editor)
        self.message.value = f"Saved {html.escape(str(self.goal.value))}" + (" to the project store." if self.project
                                                                            else ".")
        return True

    def _show_error(self, exc: BaseException) -> None:
        import sqlite3

        if isinstance(exc, sqlite3.Error) and self.project is not None:
            from .project import store_error

            exc = store_error(exc, self.project.path, "write to", self.project.timeout)
        self.message.value = (f"<span style='color:#d5281b'>Not saved: {html.escape(str(exc))} "
                              f"({type(exc).__name__})</span>")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
