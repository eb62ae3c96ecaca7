"""ipywidgets apps for JupyterLab: editing the action plan in the notebook."""
from __future__ import annotations

import html
from datetime import date

import pandas as pd

from .pledge import STATUSES, record_status


class PlanEditor:
    """A small form over the action plan: pick a goal, edit "We plan to", "By", owner and status.

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
        self.plan = plan.copy()
        self.history = history if history is not None else pd.DataFrame(columns=["goal_id", "date", "status", "note"])
        self.goal = w.Dropdown(options=list(self.plan["goal_id"]), description="Goal")
        self.you_said = w.HTML()
        self.we_plan_to = w.Textarea(description="We plan to", layout=w.Layout(width="95%", height="70px"))
        self.by = w.Text(description="By", placeholder="e.g. September 2026")
        self.owner = w.Text(description="Owner")
        self.status = w.Dropdown(options=list(STATUSES), description="Status")
        self.save = w.Button(description="Save", button_style="primary", icon="save")
        self.message = w.HTML()
        self.goal.observe(lambda _change: self._load(), names="value")
        self.save.on_click(lambda _b: self.commit())
        self.widget = w.VBox([self.goal, self.you_said, self.we_plan_to, w.HBox([self.by, self.owner]),
                              w.HBox([self.status, self.save]), self.message])
        self._load()

    def _row(self):
        return self.plan.index[self.plan["goal_id"] == self.goal.value][0]

    def _load(self) -> None:
        r = self.plan.loc[self._row()]
        self.you_said.value = f"<b>You said:</b> {html.escape(str(r['you_said']))}"  # patients' text, not markup
        self.we_plan_to.value, self.by.value = str(r["we_plan_to"] or ""), str(r["by"] or "")
        self.owner.value, self.status.value = str(r["owner"] or ""), r["status"]

    def commit(self, today: date | None = None) -> None:
        """Save the form into ``plan`` (and ``history`` when the status changed)."""
        i = self._row()
        for field in ("we_plan_to", "by", "owner"):
            self.plan.at[i, field] = getattr(self, field).value
        if self.plan.at[i, "status"] != self.status.value:
            self.plan, self.history = record_status(self.plan, self.history, self.goal.value, self.status.value,
                                                    on=today)
        if self.project is not None:
            self.project.save_action_plan(self.plan, actor=self.editor)
        self.message.value = f"Saved {html.escape(str(self.goal.value))}" + (" to the project store." if self.project
                                                                            else ".")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
