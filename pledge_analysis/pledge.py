"""The Service Pledge action plan: "You said / We plan to / By", drafted, edited, tracked, published.

A plan is a tidy table (columns :data:`pledge_analysis.schema.ACTION_PLAN`). The draft fills
``you_said`` in patients' own (de-identified) words from the evidence; the co-design group fills
``we_plan_to``, ``by`` (a date, or a status such as "Ongoing") and ``owner``. ``status`` is one of
:data:`STATUSES`; :func:`effective_status` adds ``overdue`` for goals past their date. Status
changes are kept in a history table (``goal_id, date, status, note``).

Exports: Excel for the group to edit (:func:`write_action_plan_xlsx`, read back with
:func:`read_action_plan_xlsx`, which validates and reports what changed), a patient-facing
booklet as DOCX and HTML, and Markdown for staff.
"""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from . import schema
from .errors import InputError, MissingColumnError

STATUSES = ("not started", "ongoing", "achieved")
MARKS = {"achieved": "✓ Achieved", "ongoing": "◐ Ongoing", "not started": "○ Not started", "overdue": "! Overdue"}
WHO = {"all": "Patients and staff", "primary": "Primary breast cancer patients",
       "secondary": "Secondary breast cancer patients", "staff": "Staff"}
HEADERS = {"goal_id": "Goal", "scope": "Who", "theme": "Theme", "you_said": "You said", "we_plan_to": "We plan to",
           "by": "By", "owner": "Owner", "status": "Status", "evidence": "Evidence"}
HISTORY = ("goal_id", "date", "status", "note")
#: the fields people edit: compared by the change report and by the stale-workbook check
EDITABLE = ("you_said", "we_plan_to", "by", "owner", "status")
#: custom document property of action_plan.xlsx: when it was exported (ISO 8601, UTC, microseconds)
EXPORTED_AT = "pledge_exported_at"


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


# ------------------------------------------------------------------------------ tracking
def parse_by(value) -> date | None:
    """The date in a "By" cell (a date, ``2026-09-30``, ``30/09/2026`` or ``September 2026``), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%B %Y", "%b %Y", "%d %B %Y"):
        try:
            d = datetime.strptime(text, fmt)
            if fmt in ("%B %Y", "%b %Y"):  # end of that month
                d = (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).to_pydatetime()
            return d.date()
        except ValueError:
            continue
    return None


def effective_status(plan: pd.DataFrame, today: date | None = None) -> pd.Series:
    """``status``, or ``overdue`` when the goal has a past "By" date and is not achieved."""
    today = today or date.today()
    out = []
    for status, by in zip(plan["status"], plan["by"]):
        d = parse_by(by)
        out.append("overdue" if d is not None and d < today and status != "achieved" else status)
    return pd.Series(out, index=plan.index, name="effective_status")


def record_status(plan: pd.DataFrame, history: pd.DataFrame | None, goal_id: str, status: str, *,
                  on: date | str | None = None, note: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set a goal's status and append it to the history; returns new ``(plan, history)`` tables."""
    status = status.strip().lower()
    if status not in STATUSES:
        raise InputError(f"status {status!r} is not one of {list(STATUSES)}", column="status")
    if goal_id not in set(plan["goal_id"]):
        raise InputError(f"no goal {goal_id!r} in the plan", column="goal_id",
                         hint=f"Goals are {sorted(plan['goal_id'])}.")
    plan = plan.copy()
    plan.loc[plan["goal_id"] == goal_id, "status"] = status
    entry = pd.DataFrame([{"goal_id": goal_id, "date": str(on or date.today()), "status": status, "note": note}])
    history = entry if history is None or history.empty else pd.concat([history, entry], ignore_index=True)
    return plan, history


# ------------------------------------------------------------------------------ Excel round trip
def write_action_plan_xlsx(plan: pd.DataFrame, path: str | Path) -> None:
    """Write the plan to Excel for the co-design group: readable columns, a status drop-down.

    Every text cell is text, never a formula: a cell that a spreadsheet would run (``=...``,
    ``+...``, ``-...``, ``@...``) gets a protective ``'``, which :func:`read_action_plan_xlsx`
    takes off again. The file is written atomically (complete, or not at all).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from .io.safe import atomic_path, text_cell

    from openpyxl.packaging.custom import StringProperty

    widths = {"you_said": 60, "we_plan_to": 45, "evidence": 70, "theme": 16, "scope": 12}
    wb = Workbook()
    # when it was exported, to the microsecond (Excel keeps custom properties on save): an import can then
    # tell edits made in the store after this export (see plan_conflicts)
    wb.custom_doc_props.append(StringProperty(name=EXPORTED_AT, value=datetime.now(timezone.utc).isoformat()))
    ws = wb.active
    ws.title = "Action plan"
    cols = list(HEADERS)
    ws.append([HEADERS[c] for c in cols])
    for r, rec in enumerate(plan[cols].fillna("").to_dict("records"), start=2):
        for i, c in enumerate(cols, start=1):
            text_cell(ws.cell(row=r, column=i), rec[c])
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
    with atomic_path(path) as tmp:
        wb.save(tmp)


def read_action_plan_xlsx(path: str | Path, previous: pd.DataFrame | None = None
                          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read an edited plan back; return ``(plan, changes)``.

    Every problem (unknown status, unreadable "By", missing goal id) is reported together with
    its spreadsheet row and column in one :class:`InputError`. ``changes`` lists
    ``goal_id, field, before, after`` against ``previous`` (new goals have field ``"(new goal)"``).
    """
    from .io.safe import unneutralise_frame

    path = Path(path)
    if not path.exists():
        raise InputError("action plan workbook not found", path=path)
    raw = unneutralise_frame(_read_workbook(path)).fillna("")
    inverse = {v.lower(): k for k, v in HEADERS.items()}
    raw.columns = [inverse.get(str(c).strip().lower(), str(c).strip()) for c in raw.columns]
    missing = [HEADERS[c] for c in ("goal_id", "you_said", "we_plan_to", "by", "status") if c not in raw.columns]
    if missing:
        raise MissingColumnError(f"action plan {str(path)!r} is missing column(s) {missing}",
                                 hint="Keep the header row as exported (Goal, You said, We plan to, By, Status).")
    problems = []
    rows = []
    for i, rec in enumerate(raw.to_dict("records")):
        row = i + 2
        if not any(str(v).strip() for v in rec.values()):
            continue
        goal = str(rec["goal_id"]).strip()
        if not goal:
            problems.append(f"row {row}, column 'Goal': empty goal id")
        status = str(rec["status"]).strip().lower() or "not started"
        if status not in STATUSES:
            problems.append(f"row {row}, column 'Status': {rec['status']!r} is not one of {list(STATUSES)}")
        by = rec["by"]
        if isinstance(by, (datetime, pd.Timestamp)):
            by = by.date().isoformat()
        by = str(by).strip()
        if by and parse_by(by) is None and by.lower() not in STATUSES + ("tbc", "ongoing"):
            problems.append(f"row {row}, column 'By': {by!r} is not a date (e.g. 2026-09-30 or September 2026) "
                            "or a status")
        rows.append({c: (str(rec.get(c, "")).strip() if c not in ("by", "status") else None) for c in HEADERS}
                    | {"by": by, "status": status, "goal_id": goal})
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {path.name}: " + "; ".join(problems),
                         hint="Fix these cells and import again; nothing was imported.")
    plan = schema.conform(pd.DataFrame(rows), "action_plan")
    changes = []
    if previous is not None:
        before = previous.set_index("goal_id")
        for rec in plan.to_dict("records"):
            g = rec["goal_id"]
            if g not in before.index:
                changes.append({"goal_id": g, "field": "(new goal)", "before": "", "after": rec["you_said"]})
                continue
            for field in EDITABLE:
                old, new = str(before.at[g, field] or ""), str(rec[field] or "")
                if old != new:
                    changes.append({"goal_id": g, "field": field, "before": old, "after": new})
        for g in sorted(set(before.index) - set(plan["goal_id"])):
            changes.append({"goal_id": g, "field": "(removed)", "before": before.at[g, "you_said"], "after": ""})
    return plan, pd.DataFrame(changes, columns=["goal_id", "field", "before", "after"])


def _read_workbook(path: Path) -> pd.DataFrame:
    """The first sheet of an .xlsx as text cells; a damaged or non-Excel file is a clear InputError."""
    import zipfile

    hint = ("Open it in Excel and save it again as an Excel workbook (.xlsx), or export a fresh "
            "action_plan.xlsx with `pledge-analysis run`.")
    try:
        with zipfile.ZipFile(path) as z:
            if "xl/workbook.xml" not in z.namelist():
                raise InputError("this file is not an Excel workbook (.xlsx)", path=path, hint=hint)
        return pd.read_excel(path, dtype=object, engine="openpyxl")
    except InputError:
        raise
    except zipfile.BadZipFile:
        raise InputError("cannot read the workbook: it is not an .xlsx file, or it is truncated or damaged",
                         path=path, hint=hint) from None
    except OSError as exc:
        raise InputError(f"cannot read the workbook ({exc.strerror or exc})", path=path, hint=hint) from None
    except (KeyError, ValueError, TypeError, EOFError) as exc:
        raise InputError(f"cannot read the workbook: it is damaged ({exc})", path=path, hint=hint) from None


def plan_conflicts(plan: pd.DataFrame, stored: pd.DataFrame, workbook: str | Path) -> list[str]:
    """Goals that ``plan`` (read from ``workbook``) would change although the store's copy was edited
    after the workbook was exported: the export time written by :func:`write_action_plan_xlsx` (to the
    microsecond), else the workbook's creation time (to the second; an edit in that same second counts
    as later, so an ambiguous case is refused rather than an edit lost)."""
    from openpyxl import load_workbook

    book = load_workbook(workbook, read_only=True)
    mark = next((p.value for p in book.custom_doc_props.props if p.name == EXPORTED_AT), None)
    created = pd.Timestamp(mark) if mark else (pd.Timestamp(book.properties.created)
                                               if book.properties.created else None)
    if created is None or stored.empty or "updated_at" not in stored.columns:
        return []
    exported = created.tz_localize("UTC") if created.tzinfo is None else created
    before = stored.set_index("goal_id")
    out = []
    for rec in plan.to_dict("records"):
        g = rec["goal_id"]
        if g not in before.index or before.at[g, "origin"] != "edited":
            continue
        edited = pd.Timestamp(before.at[g, "updated_at"])
        newer = edited > exported if mark else edited >= exported.floor("s")
        differs = any(str(before.at[g, f] or "") != str(rec.get(f) or "")
                      for f in EDITABLE)
        if newer and differs:
            out.append(g)
    return out


# ------------------------------------------------------------------------------ publishing
def _by_text(rec, today: date | None) -> str:
    status = effective_status(pd.DataFrame([rec]), today).iloc[0]
    d = parse_by(rec.get("by"))
    when = d.strftime("%B %Y") if d else (str(rec.get("by") or "").strip() or "To be agreed")
    return f"{when} · {MARKS.get(status, status)}" if status != "not started" else when


def write_booklet_docx(plan: pd.DataFrame, path: str | Path, *, title: str = "You said, we plan to",
                       hospital: str = "", today: date | None = None) -> None:
    """A patient-facing booklet: large readable type and the "You said / We plan to / By" table."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    from .io.safe import atomic_path, clean_text

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(14)
    heading = doc.add_heading(title, level=0)
    for run in heading.runs:
        run.font.size = Pt(28)
        run.font.color.rgb = RGBColor(0x00, 0x5E, 0xB8)
    intro = clean_text(f"{hospital + ': ' if hospital else ''}Patients and staff told us what matters. Together "
                       "we agreed these goals. We will tell you how we are getting on.")
    doc.add_paragraph(intro)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("You said", "We plan to", "By")):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(16)
    for rec in plan.fillna("").to_dict("records"):
        cells = table.add_row().cells
        cells[0].text = clean_text(str(rec["you_said"]))
        cells[1].text = clean_text(str(rec["we_plan_to"] or "To be agreed with patients and staff"))
        cells[2].text = clean_text(_by_text(rec, today))
    doc.add_paragraph("✓ Achieved   ◐ Ongoing   ! Overdue", style=None)
    doc.core_properties.title = clean_text(title)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))


def booklet_html(plan: pd.DataFrame, *, title: str = "You said, we plan to", hospital: str = "",
                 today: date | None = None) -> str:
    """The booklet as a standalone, accessible HTML page (large type, NHS colours)."""
    rows = "".join(
        f"<tr><td>{html.escape(str(r['you_said']))}</td>"
        f"<td>{html.escape(str(r['we_plan_to'] or 'To be agreed with patients and staff'))}</td>"
        f"<td>{html.escape(_by_text(r, today))}</td></tr>" for r in plan.fillna("").to_dict("records"))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>body{font-family:Arial,sans-serif;font-size:1.25rem;max-width:60rem;margin:2rem auto;color:#212b32}"
            "h1{color:#005eb8;font-size:2.4rem}table{border-collapse:collapse;width:100%}"
            "th,td{border:2px solid #005eb8;padding:.8rem;vertical-align:top;text-align:left}"
            "th{background:#005eb8;color:#fff}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(hospital + ': ' if hospital else '')}Patients and staff told "
            "us what matters. Together we agreed these goals.</p>"
            f"<table><thead><tr><th>You said</th><th>We plan to</th><th>By</th></tr></thead><tbody>{rows}</tbody>"
            "</table></body></html>")


_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LEADING = re.compile(r"^(#{1,6}|[-+]|\d+[.)])(?=\s|$)")  # ">" is already the entity "&gt;"


def md_cell(value) -> str:
    r"""User text made safe for one cell of a Markdown table: HTML (``<``, ``>``, ``&``) as entities,
    Markdown's inline syntax (backslash, backticks, ``*``, ``_``, brackets, ``|``, ``~``) escaped, a
    leading heading, list, quote or numbering mark escaped, line breaks as spaces.

    >>> md_cell("<script>alert(1)</script> | `x` # not a heading")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\| \\`x\\` # not a heading'
    >>> md_cell("# Heading"), md_cell("- item"), md_cell("1. first")
    ('\\# Heading', '\\- item', '1\\. first')
    """
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    m = _MD_LEADING.match(text)
    if m:
        mark = m.group(1)
        text = ("\\" + mark if not mark[0].isdigit() else mark[:-1] + "\\" + mark[-1]) + text[m.end():]
    return text


def plan_markdown(plan: pd.DataFrame, *, today: date | None = None) -> str:
    """The plan for staff as a Markdown table (with owner, status and evidence); user text is
    escaped (:func:`md_cell`), so a comment can neither break the table nor carry markup."""
    eff = effective_status(plan, today)
    lines = ["| Goal | Who | You said | We plan to | By | Owner | Status | Evidence |", "|---|---|---|---|---|---|---|---|"]
    for (_, r), st in zip(plan.fillna("").iterrows(), eff):
        cells = [r["goal_id"], r["scope"], r["you_said"], r["we_plan_to"], r["by"], r["owner"], MARKS.get(st, st),
                 r["evidence"]]
        lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
