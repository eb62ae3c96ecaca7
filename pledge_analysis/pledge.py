"""The Service Pledge action plan: "You said / We plan to / By", drafted, edited, tracked, published.

A plan is a tidy table (columns :data:`pledge_analysis.schema.ACTION_PLAN`). The draft fills
``you_said`` with the plain-English concern of the code the evidence points to (the codebook's
``concern:``), with de-identified quotes beside it as evidence; the co-design group fills
``we_plan_to``, ``by`` (a date, or a status such as "Ongoing") and ``owner``. ``status`` is one of
:data:`STATUSES`; :func:`effective_status` adds ``overdue`` for goals past their date. Status
changes are kept in a history table (``goal_id, date, status, note``).

Exports: Excel for the group to edit (:func:`write_action_plan_xlsx`, read back with
:func:`read_action_plan_xlsx`, which validates and reports what changed) and Markdown for staff
(:func:`plan_markdown`); the patient booklets (DOCX, HTML, PDF; one per hospital) are written by
:mod:`pledge_analysis.booklet`.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from . import schema
from .errors import InputError, MissingColumnError
from .schema import AUDIENCES, STATUSES  # noqa: F401  (a goal's values, defined with the plan's columns)

MARKS = {"achieved": "✓ Achieved", "ongoing": "◐ Ongoing", "not started": "○ Not started", "overdue": "! Overdue"}
#: How many goals the draft plan holds for each scope (the programme, each group, each hospital) at most
GOALS_PER_SCOPE = 3
WHO = {"all": "Patients and staff", "primary": "Primary breast cancer patients",
       "secondary": "Secondary breast cancer patients", "staff": "Staff"}
HEADERS = {"goal_id": "Goal", "scope": "Who", "theme": "Theme", "you_said": "You said", "we_plan_to": "We plan to",
           "by": "By", "owner": "Owner", "status": "Status", "evidence": "Evidence", "quotes": "Quotes",
           "audience": "For", "code_id": "Code", "wording": "Wording"}
#: blank rows below the plan that the workbook's drop-downs also cover, for goals the group adds
EXTRA_ROWS = 200
HISTORY = ("goal_id", "date", "status", "note")
#: the fields people edit: compared by the change report and by the stale-workbook check
EDITABLE = ("you_said", "we_plan_to", "by", "owner", "status")
#: custom document property of action_plan.xlsx: when it was exported (ISO 8601, UTC, microseconds)
EXPORTED_AT = "pledge_exported_at"


def concern_statement(code) -> tuple[str, str]:
    """The "You said" statement of a codebook row (a dict or a row of the codebook table) and where it
    came from: ``(concern, "codebook")`` when the codebook has one, else a draft made from the code's
    name and description, ``(draft, "draft")``, for a researcher to rewrite in the codebook.

    >>> concern_statement({"code_id": "wait", "name": "Waiting", "concern": "Clinics ran late."})
    ('Clinics ran late.', 'codebook')
    >>> concern_statement({"code_id": "wait", "name": "Waiting in clinic", "description": "Time in the waiting room."})
    ('People raised concerns about waiting in clinic: time in the waiting room.', 'draft')
    """
    get = code.get if hasattr(code, "get") else (lambda k, d=None: getattr(code, k, d))
    concern = get("concern")
    if schema.present(concern) and str(concern).strip():
        return str(concern).strip(), "codebook"
    name = str(get("name") or get("code_id") or "this").strip()
    desc = str(get("description") or "").strip().rstrip(".") if schema.present(get("description")) else ""
    text = f"People raised concerns about {_lower_first(name)}" + (f": {_lower_first(desc)}" if desc else "")
    return text + ".", "draft"


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (``IT``, ``HNA``)."""
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def _shown_reason(r) -> str:
    """A priority's reason as written for showing (``reason_shown``); a table of an earlier release: its
    ``reason``."""
    shown = getattr(r, "reason_shown", None)
    return shown if isinstance(shown, str) else r.reason


#: the least evidence a draft goal rests on (``priorities: min_concerns`` in project.yaml): this many negative
#: comments about the area in its scope, or its survey questions below the benchmark. 3, as the reasons'
#: "3 or more negative comments at N hospitals": one or two complaints among many comments are a quote for
#: the co-design group to weigh, not a "You said" in a patient booklet.
MIN_CONCERNS = 3


def draft_action_plan(priorities: pd.DataFrame, *, units: pd.DataFrame | None = None,
                      codebook: pd.DataFrame | None = None, top: int = GOALS_PER_SCOPE, scope_types=("all", "group"),
                      staff_groups=("staff",), n_quotes: int = 3, min_concerns: int = MIN_CONCERNS) -> pd.DataFrame:
    """Draft the plan: up to ``top`` goals for each scope (everyone, each group, and each hospital when
    ``scope_types`` holds ``"site"``), from its top-ranked areas. The co-design group then merges,
    rewrites and chooses.

    "You said" is a **concern statement** in plain English, never a quote: the ``concern`` of the code
    that the scope's negative evidence points to most often (the theme's sub-codes first, then the
    theme itself), from ``codebook``; a code without one gets a draft made from its definition
    (``wording="draft"``, see :func:`concern_statement`). A statement is used once per plan (the
    programme's goals, and each hospital's own), so rows never repeat: when a group's top area points
    to a code already used, the next code of that area is taken, else the next area. Quotes stay
    beside the statement as evidence (``quotes``): the most negative ones, each used once in its part
    of the plan (the programme's goals for patients, for staff, each hospital's goals), from different
    sites and groups when possible. An area gets a goal only on enough evidence (:func:`no_goal_reason`):
    at least ``min_concerns`` (:data:`MIN_CONCERNS`) negative comments about it in its scope, or its survey
    questions below the benchmark, and not an area the evidence says is not a priority; otherwise the next
    area is taken, and :func:`areas_without_goal` lists the ones passed over with the reason. Goals whose
    evidence comes only from staff (or the scope is a staff group) have ``audience="staff"``: they go to the
    staff plan, not the patient booklet.

    ``units`` are the coded units (:func:`pledge_analysis.coding.coded_units`); without them (or
    without ``codebook``) the theme's own statement is used and quotes come from ``priorities``.

    >>> pr = pd.DataFrame({"scope_type": ["all"], "scope": ["all"], "rank": [1], "theme": ["waiting"],
    ...     "name": ["Waiting"], "reason": ["r"], "quotes": ["“I waited three hours.” (primary, NGU)"]})
    >>> plan = draft_action_plan(pr)
    >>> plan[["you_said", "wording", "audience", "quotes"]].values.tolist()
    [['People raised concerns about waiting.', 'draft', 'patients', '“I waited three hours.” (primary, NGU)']]
    """
    rows, _ = _draft(priorities, units=units, codebook=codebook, top=top, scope_types=scope_types,
                     staff_groups=staff_groups, n_quotes=n_quotes, min_concerns=min_concerns)
    return schema.conform(pd.DataFrame(rows), "action_plan") if rows else schema.empty("action_plan")


def areas_without_goal(priorities: pd.DataFrame, *, units: pd.DataFrame | None = None,
                       codebook: pd.DataFrame | None = None, top: int = GOALS_PER_SCOPE, scope_types=("all", "group"),
                       staff_groups=("staff",), min_concerns: int = MIN_CONCERNS) -> pd.DataFrame:
    """The areas :func:`draft_action_plan` (same arguments) passed over on its way down each scope's ranking
    for want of evidence, one row each (columns :data:`pledge_analysis.schema.NO_GOAL`), with ``why`` in
    words (:func:`no_goal_reason`): what the report and the staff plan say beside the draft.

    >>> pr = pd.DataFrame({"scope_type": ["all"] * 2, "scope": ["all"] * 2, "rank": [1, 2], "theme": ["a", "b"],
    ...     "name": ["Kindness", "Waiting"], "reason": ["r", "r"], "quotes": ["", ""], "n_negative": [1, 9]})
    >>> areas_without_goal(pr)[["rank", "name", "why"]].values.tolist()
    [[1, 'Kindness', 'too few negative comments about it here to draft a goal from (at least 3 are needed, or its survey questions below the benchmark)']]
    """
    _, skipped = _draft(priorities, units=units, codebook=codebook, top=top, scope_types=scope_types,
                        staff_groups=staff_groups, n_quotes=0, min_concerns=min_concerns)
    return pd.DataFrame(skipped, columns=list(schema.NO_GOAL))


def _draft(priorities, *, units, codebook, top, scope_types, staff_groups, n_quotes, min_concerns):
    """``(goals, passed over)``: the rows of :func:`draft_action_plan` and of :func:`areas_without_goal`."""
    codes = codebook.set_index("code_id") if codebook is not None and len(codebook) else None
    order = {c: i for i, c in enumerate(codes.index)} if codes is not None else {}
    parents = codes["parent_id"].to_dict() if codes is not None else {}
    negative = None
    if units is not None and len(units):
        units = schema.rename_legacy(units, "units")
        negative = units[units["sentiment"] == "negative"].sort_values(["sentiment_score", "segment_id"], kind="stable")
        negative = {th: u for th, u in negative.groupby("theme", sort=False)}
    used_codes: dict[str, set] = {}  # plan part ("" = the programme, else a site) -> codes used
    used_texts: dict[str, set] = {}
    used_quotes: dict[str, set] = {}
    rows, skipped = [], []
    for scope_type in scope_types:
        sub = priorities[priorities["scope_type"] == scope_type]
        for scope in sorted(sub["scope"].astype(str).unique()):
            # a part of the plan: the programme's or a hospital's goals, for patients or (a staff group) for staff
            part = (scope if scope_type == "site" else "") + (
                "/staff" if scope_type == "group" and scope in staff_groups else "")
            codes_used, texts_used = used_codes.setdefault(part, set()), used_texts.setdefault(part, set())
            n = 0
            for r in sub[sub["scope"].astype(str) == scope].sort_values("rank", kind="stable").itertuples(index=False):
                if n >= top:
                    break
                evidence = None
                if negative is not None and codes is not None:
                    evidence = negative.get(r.theme, units.iloc[:0])
                    if scope_type in ("group", "site"):
                        evidence = evidence[evidence[scope_type].astype(str) == scope]
                why = no_goal_reason(r, evidence, min_concerns)
                if why:  # not enough here to improve: praise, one or two complaints, or "not a priority"
                    skipped.append({"scope_type": scope_type, "scope": scope, "rank": int(r.rank), "theme": r.theme,
                                    "name": str(r.name), "why": why})
                    continue
                picked = _pick_code(r, evidence, codes, order, parents, codes_used, texts_used)
                if picked is None:
                    continue  # every statement of this area is already in this part of the plan
                code, text, wording, ev = picked
                codes_used.add(code)
                texts_used.add(text.lower())
                if ev is not None:
                    staff_scope = scope_type == "group" and scope in staff_groups
                    quotes = _pick_quotes(ev, scope_type, n_quotes, used_quotes.setdefault(part, set()),
                                          avoid=() if staff_scope else tuple(staff_groups))
                    groups = set(ev["group"].astype(str))
                else:
                    quotes = _quotes_from_priorities(r, n_quotes, used_quotes.setdefault(part, set()))
                    groups = set()
                staff = (scope_type == "group" and scope in staff_groups) or (
                    bool(groups) and groups <= set(staff_groups))
                rows.append({
                    "goal_id": f"G{len(rows) + 1:02d}", "scope": scope if scope_type != "all" else "all",
                    "theme": r.theme, "you_said": text, "we_plan_to": "", "by": "", "owner": "",
                    "status": "not started", "evidence": _shown_reason(r), "code_id": code,
                    "audience": "staff" if staff else "patients", "wording": wording, "quotes": " | ".join(quotes),
                })
                n += 1
    return rows, skipped


def no_goal_reason(r, evidence, min_concerns: int = MIN_CONCERNS) -> str:
    """Why a ranked area gets no draft goal in its scope, in words; ``""`` when it gets one. It gets one when
    its survey questions score below their benchmark (``survey_gap`` > 0) or at least ``min_concerns``
    comments about it in the scope are negative (``evidence``, the scope's negative units of the theme,
    counted by comment; without units the row's ``n_negative``; neither known: a goal, as before), unless its
    evidence as a whole says it is not a priority (``priority_score`` below 0.5 by more than
    :data:`pledge_analysis.priorities.VERDICT_MARGIN`: its reason says "not a priority on this evidence").
    An area raised only in praise ("the nurses were kind"), or with one complaint among many thanks, must
    not become "You said: some staff were abrupt or dismissive" in a patient booklet."""
    from .priorities import VERDICT_MARGIN

    score = getattr(r, "priority_score", None)
    if score is not None and pd.notna(score) and score < 0.5 - VERDICT_MARGIN:
        return "its evidence as a whole says it is not a priority"
    gap = getattr(r, "survey_gap", None)
    if gap is not None and pd.notna(gap) and gap > 0:
        return ""
    if evidence is not None:
        k = evidence["segment_id"].nunique() if "segment_id" in evidence.columns else len(evidence)
    else:
        k = getattr(r, "n_negative", None)
        if k is None or pd.isna(k):
            return ""
    if int(k) >= max(int(min_concerns), 1):
        return ""
    if int(k) == 0:
        return ("no negative comment about it here and no survey question below the benchmark: raised in praise "
                "or in passing")
    return (f"too few negative comments about it here to draft a goal from (at least {min_concerns} are needed, "
            "or its survey questions below the benchmark)")


def _pick_code(r, evidence, codes, order, parents, codes_used, texts_used):
    """The code (and its statement) that ``evidence`` points to, not yet used in this part of the plan."""
    theme = r.theme
    if codes is None or theme not in codes.index:
        text, wording = concern_statement({"code_id": theme, "name": getattr(r, "name", theme)})
        if theme in codes_used or text.lower() in texts_used:
            return None
        return theme, text, wording, None
    counts: dict[str, int] = {}
    if evidence is not None:
        for cell in evidence["codes"]:
            for c in str(cell).split(";"):
                if c and c != theme and c in order:
                    counts[c] = counts.get(c, 0) + 1
    children = sorted(counts, key=lambda c: (-counts[c], order[c]))
    in_theme = {c for c in codes_used if c == theme or _ancestor(c, parents) == theme}
    candidates = children + ([theme] if not in_theme else [])
    for code in candidates:
        if code in codes_used:
            continue
        text, wording = concern_statement(codes.loc[code].to_dict() | {"code_id": code})
        if text.lower() in texts_used:
            continue
        ev = None
        if evidence is not None:
            ev = evidence if code == theme else evidence[evidence["codes"].astype(str).str.split(";").map(
                lambda cs, code=code: code in cs)]
            if ev.empty and code != theme:  # nobody here raised this sub-code negatively
                continue
        return code, text, wording, ev
    return None


def _ancestor(code, parents) -> str:
    cur = code
    while schema.present(parents.get(cur)):
        cur = parents[cur]
    return cur


def _quote_key(text: str) -> str:
    """Quotes that differ only in case, spacing or punctuation are the same quote (as in the priorities)."""
    from .priorities import quote_key

    return quote_key(text)


def _clean_quote(text: str) -> str:
    """A quote without a dangling half of a placeholder (a span cut inside ``[PERSON]``)."""
    text = str(text).strip()
    if text.count("[") > text.count("]"):
        text = text[:text.rfind("[")].rstrip()
    return text


def _pick_quotes(ev: pd.DataFrame, scope_type: str, n: int, used: set, avoid=()) -> list[str]:
    """Up to ``n`` of the most negative quotes of ``ev`` not used elsewhere in the plan, from different
    sites and groups (within a hospital: different groups and sources) when possible; quotes of the
    ``avoid`` groups (staff, for a patients' goal) only when no other is left, so that staff goals
    keep their own. One quote per comment (``segment_id``): sentences of one long comment are one voice."""
    from .priorities import quote_who

    where = "source_id" if scope_type == "site" else "site"
    segments = ev["segment_id"].astype(str) if "segment_id" in ev else pd.Series(range(len(ev))).astype(str)
    rows = list(zip(ev["text"].astype(str), ev["group"].astype(str), ev["site"].astype(str),
                    ev[where].astype(str), ev["source_type"].astype(str), segments))
    picked: list[str] = []
    seen_where, seen_group, voices = set(), set(), set()
    for need, skip in ((2, True), (1, True), (0, True), (0, False)):  # new site and group; either; any
        for text, group, site, place, source_type, segment in rows:
            if len(picked) >= n:
                return picked
            text = _clean_quote(text)
            key = _quote_key(text)
            if key in used or segment in voices or len(key) < 12 \
                    or (int(place not in seen_where) + int(group not in seen_group)) < need or (skip and group in avoid):
                continue
            used.add(key)
            voices.add(segment)
            seen_where.add(place)
            seen_group.add(group)
            who = quote_who(group, site, source_type, scope_type)
            picked.append(f"“{text}” ({who})")
    return picked


def _quotes_from_priorities(r, n: int, used: set) -> list[str]:
    out = []
    for q in str(r.quotes).split(" | ") if isinstance(getattr(r, "quotes", None), str) else []:
        key = _quote_key(q.rsplit(" (", 1)[0])
        if q and key not in used and len(out) < n:
            used.add(key)
            out.append(q)
    return out


# ------------------------------------------------------------------------------ tracking
def parse_by(value) -> date | None:
    """The date in a "By" cell, else None: a date (``2026-09-30``, ``30/09/2026``, ``30/09/26``, ``30 Sept
    2026``) or a month (``September 2026``, ``Sep 2026``, ``2026-09``: the end of that month), read by the
    package's one date grammar (:mod:`pledge_analysis.io.dates`: day first, two-digit years 2000-2099).
    A refused value (``04/13/2026``, ``Apr-26``) is None; :func:`by_reason` says why.

    >>> parse_by("31/12/69"), parse_by("September 2026"), parse_by("04/13/2026")
    (datetime.date(2069, 12, 31), datetime.date(2026, 9, 30), None)
    """
    from .io.dates import parse_date

    got = parse_date(value, want="month")
    if got.date is None:
        return None
    if got.precision == "month":  # end of that month
        return (pd.Timestamp(got.date) + pd.offsets.MonthEnd(0)).date()
    return got.date


def by_reason(value) -> str:
    """Why a "By" cell is not a date (the date grammar's reason), or "" when it is one or is empty."""
    from .io.dates import parse_date

    return parse_date(value, want="month").problem


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
    """Write the plan to Excel for the co-design group: readable columns, drop-downs for the status and
    for who a goal is for ("For": patients / staff) that also cover :data:`EXTRA_ROWS` new rows and
    refuse any other entry.

    Every text cell is text, never a formula: a cell that a spreadsheet would run (``=...``,
    ``+...``, ``-...``, ``@...``) gets a protective ``'``, which :func:`read_action_plan_xlsx`
    takes off again. The file is written atomically (complete, or not at all).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from .io.safe import atomic_path, text_cell

    from openpyxl.packaging.custom import StringProperty

    widths = {"you_said": 60, "we_plan_to": 45, "evidence": 70, "quotes": 80, "theme": 16, "scope": 12,
              "code_id": 22}
    wb = Workbook()
    # when it was exported, to the microsecond (Excel keeps custom properties on save): an import can then
    # tell edits made in the store after this export (see plan_conflicts)
    wb.custom_doc_props.append(StringProperty(name=EXPORTED_AT, value=datetime.now(timezone.utc).isoformat()))
    ws = wb.active
    ws.title = "Action plan"
    cols = list(HEADERS)
    ws.append([HEADERS[c] for c in cols])
    plan = schema.conform(plan.copy(), "action_plan", optional=schema.OPTIONAL["action_plan"])  # a plan from before the evidence columns exports too
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
    # drop-downs that also cover rows the group adds (up to EXTRA_ROWS below the plan) and refuse other entries
    last = len(plan) + 1 + EXTRA_ROWS
    for col, values, what in (("status", STATUSES, "a status"), ("audience", AUDIENCES, "who the goal is for")):
        letter = ws.cell(row=1, column=cols.index(col) + 1).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            showErrorMessage=True, errorStyle="stop", errorTitle=f"Not {what}",
                            error=f"Choose one of: {', '.join(values)}.")
        dv.add(f"{letter}2:{letter}{last}")
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
    raw = unneutralise_frame(_read_workbook(path)).astype(object).fillna("")
    inverse = {v.lower(): k for k, v in HEADERS.items()}
    header = [str(c).strip() for c in raw.columns]
    raw.columns = [inverse.get(c.lower(), c) for c in header]
    from .io.xlsx_formulas import refuse_unsaved_formulas

    refuse_unsaved_formulas(path, header)  # a formula saved without its value would be read as a blank edit
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
            why = by_reason(by)
            problems.append(f"row {row}, column 'By': {by!r} is not a date (e.g. 2026-09-30 or September 2026) "
                            "or a status" + (f" ({why})" if why and "is not a date" not in why else ""))
        audience = str(rec.get("audience", "")).strip().lower()
        if audience and audience not in AUDIENCES:
            problems.append(f"row {row}, column 'For': {rec['audience']!r} is not one of {list(AUDIENCES)}")
        # a column the workbook does not have (an older export) stays empty (None): the store keeps its value
        rows.append({c: (str(rec[c]).strip() if c in rec else None) for c in HEADERS if c not in ("by", "status")}
                    | {"by": by, "status": status, "goal_id": goal, "audience": audience or None})
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {path.name}: " + "; ".join(problems),
                         hint="Fix these cells and import again; nothing was imported.")
    plan = schema.conform(pd.DataFrame(rows), "action_plan", optional=schema.OPTIONAL["action_plan"])
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
                raise InputError("this file is not an Excel workbook (.xlsx)", path=path, hint=hint, code="PA110")
        return pd.read_excel(path, dtype=object, engine="openpyxl")
    except InputError:
        raise
    except zipfile.BadZipFile:
        raise InputError("cannot read the workbook: it is not an .xlsx file, or it is truncated or damaged",
                         path=path, hint=hint, code="PA110") from None
    except OSError as exc:
        raise InputError(f"cannot read the workbook ({exc.strerror or exc})", path=path, hint=hint) from None
    except (KeyError, ValueError, TypeError, EOFError) as exc:
        raise InputError(f"cannot read the workbook: it is damaged ({exc})", path=path, hint=hint, code="PA110") from None


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
def write_booklet_docx(plan: pd.DataFrame, path: str | Path, **kwargs) -> None:
    """The patient booklet as DOCX: see :func:`pledge_analysis.booklet.write_booklet_docx`."""
    from .booklet import write_booklet_docx as write

    write(plan, path, **kwargs)


def booklet_html(plan: pd.DataFrame, **kwargs) -> str:
    """The patient booklet as HTML: see :func:`pledge_analysis.booklet.booklet_html`."""
    from .booklet import booklet_html as render

    return render(plan, **kwargs)


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
    """The plan for staff as a Markdown table: every goal, patients' and staff-only ("(staff plan)"),
    with owner, status, evidence and its quotes, draft wording marked; user text is escaped
    (:func:`md_cell`), so a comment can neither break the table nor carry markup."""
    eff = effective_status(plan, today)
    lines = ["| Goal | Who | You said | We plan to | By | Owner | Status | Evidence |", "|---|---|---|---|---|---|---|---|"]
    for (_, r), st in zip(schema.conform(plan.copy(), "action_plan", optional=schema.OPTIONAL["action_plan"]).fillna("").iterrows(), eff):
        who = r["scope"] + (" (staff plan)" if r["audience"] == "staff" and r["scope"] != "staff" else "")
        said = r["you_said"] + (" (draft wording)" if r["wording"] == "draft" else "")
        evidence = " ".join(filter(None, [str(r["evidence"]), f"Quotes: {r['quotes']}" if r["quotes"] else ""]))
        cells = [r["goal_id"], who, said, r["we_plan_to"], r["by"], r["owner"], MARKS.get(st, st), evidence]
        lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
