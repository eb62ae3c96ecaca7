"""The Service Pledge action plan: "You said / We plan to / By", drafted from the priorities.

A plan is a tidy table (columns :data:`pledge_analysis.schema.ACTION_PLAN`). The draft fills
``you_said`` in patients' own (de-identified) words from the evidence; the co-design group
fills ``we_plan_to``, ``by`` and ``owner``. ``status`` is one of :data:`STATUSES`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schema

STATUSES = ("not started", "ongoing", "achieved")
WHO = {"all": "Patients and staff", "primary": "Primary breast cancer patients",
       "secondary": "Secondary breast cancer patients", "staff": "Staff"}


def draft_action_plan(priorities: pd.DataFrame, *, top: int = 3, scope_types=("all", "group")) -> pd.DataFrame:
    """One goal per top-ranked area in each scope (everyone, and each group, so that secondary
    breast cancer patients' priorities are drafted in their own words even when a theme is also
    a priority for everyone). The co-design group then merges and chooses.

    >>> pr = pd.DataFrame({"scope_type": ["all"], "scope": ["all"], "rank": [1], "theme": ["waiting"],
    ...     "name": ["Waiting"], "reason": ["r"], "quotes": ["“I waited three hours.” (primary, NGU)"]})
    >>> draft_action_plan(pr)["you_said"].tolist()
    ['Patients and staff told us: “I waited three hours.”']
    """
    rows = []
    for scope_type in scope_types:
        sub = priorities[(priorities["scope_type"] == scope_type) & (priorities["rank"] <= top)]
        for r in sub.sort_values(["scope", "rank"]).itertuples(index=False):
            quote = str(r.quotes).split(" | ")[0] if isinstance(r.quotes, str) and r.quotes else ""
            quote = quote.rsplit(" (", 1)[0] if quote else f"{r.name} needs to improve."
            who = WHO.get(r.scope, f"People at {r.scope}" if scope_type == "site" else str(r.scope))
            rows.append({
                "goal_id": f"G{len(rows) + 1:02d}", "scope": r.scope if scope_type != "all" else "all",
                "theme": r.theme, "you_said": f"{who} told us: {quote}", "we_plan_to": "", "by": "",
                "owner": "", "status": "not started", "evidence": r.reason,
            })
    return schema.conform(pd.DataFrame(rows), "action_plan") if rows else schema.empty("action_plan")


def write_action_plan_xlsx(plan: pd.DataFrame, path: str | Path) -> None:
    """Write the plan to Excel for the co-design group: readable columns, a status drop-down."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = {"goal_id": "Goal", "scope": "Who", "theme": "Theme", "you_said": "You said",
               "we_plan_to": "We plan to", "by": "By", "owner": "Owner", "status": "Status", "evidence": "Evidence"}
    widths = {"you_said": 60, "we_plan_to": 45, "evidence": 70, "theme": 16, "scope": 12}
    wb = Workbook()
    ws = wb.active
    ws.title = "Action plan"
    cols = list(headers)
    ws.append([headers[c] for c in cols])
    for rec in plan[cols].fillna("").to_dict("records"):
        ws.append([rec[c] for c in cols])
    for i, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="005EB8")  # NHS blue
        ws.column_dimensions[cell.column_letter].width = widths.get(c, 12)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    status_col = ws.cell(row=1, column=cols.index("status") + 1).column_letter
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
    dv.add(f"{status_col}2:{status_col}{max(2, len(plan) + 1)}")
    ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    wb.save(path)
