"""The patient booklets: "You said / We plan to / By", one per hospital, as DOCX, HTML and PDF.

A booklet is what a hospital hands to every newly diagnosed patient. It shows the concerns people
raised (the plan's ``you_said``: plain-English statements, never raw quotes), what the service
plans to do and by when, with a status mark once work has started. Its text follows the state of
the plan: while no goal is agreed it says so ("to be agreed"), and "together we agreed" appears
only when every goal has a "We plan to" and a "By". It names who took part ("patients", or "patients and
staff" only when staff took part), the hospital, the round and the date, and a contact line.

Only goals for patients are printed (``audience`` other than ``staff``): goals whose evidence came
from staff only stay in the staff plan (``action_plan.md`` and the workbook).

Layout: A4, large type (14 pt body, 28 pt title), the table's header row repeats on every page
and no row is split across pages (CSS ``thead {display: table-header-group}`` and
``tr {break-inside: avoid}``; in DOCX a repeated header row and ``cantSplit`` rows). The HTML is
self-contained (the logo is embedded) and is also what the PDF is made from (WeasyPrint, offline).

>>> import pandas as pd
>>> plan = pd.DataFrame({"goal_id": ["G01"], "scope": ["all"], "you_said": ["Clinics ran late."],
...                      "we_plan_to": [""], "by": [""], "status": ["not started"], "audience": ["patients"],
...                      "theme": ["waiting"]})
>>> content = booklet_content(plan, took_part=["primary", "secondary"])
>>> content["state"], "staff" in " ".join(content["intro"]).lower()
('draft', False)
"""
from __future__ import annotations

import base64
import html
import mimetypes
import re
from datetime import date
from pathlib import Path

import pandas as pd

from . import schema
from .pledge import MARKS, WHO, effective_status, parse_by

TITLE = "You said, we plan to"
TO_BE_AGREED = "To be agreed"
STAFF_GROUPS = ("staff",)
DEFAULT_CONTACT = "Questions about this booklet? Ask your breast care nurse or any member of the team."


# ------------------------------------------------------------------------------ what a booklet says
def patient_goals(plan: pd.DataFrame, *, site=None, sites=()) -> pd.DataFrame:
    """The goals a patient booklet shows: not staff-only, and for ``site`` its own goals (``scope ==
    site``; a list of site codes: the goals of each, as an alliance's booklet shows them); without
    ``site`` the programme's goals (scopes that are not one of ``sites``)."""
    plan = schema.conform(plan.copy(), "action_plan", optional=schema.OPTIONAL["action_plan"])
    keep = plan["audience"].fillna("patients").astype(str).str.lower() != "staff"
    scope = plan["scope"].astype(str)
    if site is None:
        keep &= ~scope.isin([str(s) for s in sites])
    else:
        keep &= (scope == str(site)) if isinstance(site, str) else scope.isin([str(s) for s in site])
    return plan[keep].reset_index(drop=True)


def plan_state(goals: pd.DataFrame) -> str:
    """``"agreed"`` when every goal has a "We plan to" and a "By", ``"draft"`` when none has a "We plan
    to", else ``"partly agreed"`` (so "together we agreed" never stands above a "to be agreed")."""
    if goals.empty:
        return "draft"
    filled = {c: goals[c].map(lambda v: schema.present(v) and bool(str(v).strip())) for c in ("we_plan_to", "by")}
    if (filled["we_plan_to"] & filled["by"]).all():
        return "agreed"
    return "draft" if not filled["we_plan_to"].any() else "partly agreed"


def who_took_part(groups) -> str:
    """``"patients and staff"``, ``"patients"`` or ``"staff"``, from the groups that gave feedback.

    >>> who_took_part(["primary", "secondary"]), who_took_part(["primary", "staff"]), who_took_part([])
    ('patients', 'patients and staff', 'patients')
    """
    groups = {str(g) for g in groups or ()}
    staff = bool(groups & set(STAFF_GROUPS))
    patients = bool(groups - set(STAFF_GROUPS)) or not groups
    return "patients and staff" if staff and patients else ("staff" if staff else "patients")


def _long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _by_text(rec, today: date | None) -> str:
    status = effective_status(pd.DataFrame([{"status": rec.get("status"), "by": rec.get("by")}]), today).iloc[0]
    d = parse_by(rec.get("by"))
    by = rec.get("by")
    when = d.strftime("%B %Y") if d else (str(by).strip() if schema.present(by) and str(by).strip() else "")
    if status in ("not started", None) or not schema.present(status):
        return when or TO_BE_AGREED
    mark = MARKS.get(status, str(status))
    return f"{when}\n{mark}" if when and when.lower() != str(status).lower() else mark  # "Ongoing" as a date: once


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def round_in_words(label: str | None = None, dates=()) -> str:
    """How a round is named to patients and staff: the booklet's ``round:`` label from project.yaml when it
    has one, else the months the feedback was given (from ISO dates ``YYYY-MM-DD...``; others are ignored),
    else nothing. The project's own ``round:`` (an internal id such as ``2026-R1``) is never shown.

    >>> round_in_words("Spring 2027", ["2027-03-01"])
    'Spring 2027'
    >>> round_in_words(None, ["2025-04-02", "2026-03-28", "00:00:02.000", None])
    'April 2025 to March 2026'
    >>> round_in_words("", ["2026-04-01", "2026-06-30"]), round_in_words("", ["2026-05-01"]), round_in_words()
    ('April to June 2026', 'May 2026', '')
    """
    if label and str(label).strip():
        return str(label).strip()
    months = sorted({(int(m.group(1)), int(m.group(2))) for d in dates
                     if (m := re.match(r"(\d{4})-(\d{2})-\d{2}", str(d or ""))) and 1 <= int(m.group(2)) <= 12})
    if not months:
        return ""
    (y0, m0), (y1, m1) = months[0], months[-1]
    if (y0, m0) == (y1, m1):
        return f"{_MONTHS[m0 - 1]} {y0}"
    if y0 == y1:
        return f"{_MONTHS[m0 - 1]} to {_MONTHS[m1 - 1]} {y1}"
    return f"{_MONTHS[m0 - 1]} {y0} to {_MONTHS[m1 - 1]} {y1}"


def survey_dates(respondents: pd.DataFrame | None, segments: pd.DataFrame | None = None) -> list:
    """The dates the feedback was given: the respondents' ``completed`` dates, else the survey segments'
    ``timestamp`` (focus-group clock times are not dates)."""
    if respondents is not None and "completed" in respondents.columns and respondents["completed"].notna().any():
        return respondents["completed"].dropna().tolist()
    if segments is not None and "timestamp" in segments.columns:
        if "source_type" in segments.columns:
            segments = segments[segments["source_type"] == "survey"]
        return segments["timestamp"].dropna().tolist()
    return []


def round_of(result) -> str:
    """The round of a run (:class:`pledge_analysis.pipeline.RunResult`) as patients read it: the booklet's
    ``round:`` label, else the months of the feedback (:func:`round_in_words`)."""
    return round_in_words((result.config.booklet or {}).get("round"), survey_dates(result.respondents, result.segments))


def round_text(round) -> str:
    """The ``round=`` of the booklet functions as printed: words as given (``"Spring 2027"``), or a run's
    result (:class:`pledge_analysis.pipeline.RunResult`), named as the run names it (:func:`round_of`: the
    ``booklet: round:`` label, else the months of its feedback), never its internal ``round:`` id."""
    if round is None:
        return ""
    if isinstance(round, str):
        return round
    if hasattr(round, "config") and hasattr(round, "respondents"):
        return round_of(round)
    raise TypeError(f"round must be words such as 'Spring 2027' or a run's result (round=result), not "
                    f"{type(round).__name__}")


def booklet_content(plan: pd.DataFrame, *, hospital: str = "", site=None, sites=(),
                    title: str = TITLE, round="", contact: str | None = None, took_part=None,
                    today: date | None = None, site_names: dict | None = None, programme: str = "") -> dict:
    """Everything a booklet says, as plain text (the DOCX and HTML writers only lay it out).

    ``took_part``: the groups that gave feedback (for the wording); ``round``: how the round is
    named to patients: words, or the run's result (``round=result``: named as the run names it,
    :func:`round_text`; never the project's internal round id); ``contact``: the contact line (default: ask your breast care nurse). ``site``: a site code
    (a hospital's booklet) or a list of them (an alliance's: ``hospital`` is then the alliance's name
    and ``site_names`` maps each code to the hospital named under each row). ``programme``: the project's
    name, for a hospital with no goals of its own (its booklet then shows the programme-wide goals and says so,
    in ``note`` and in ``heading``, the line above the table). A hospital with goals of its own (given ``sites``)
    lists them first, then the programme-wide goals (one whose "You said" is one of its own is left out:
    never the same sentence twice), each marked "For every hospital in ...": they are for its
    patients too (found in the new-user trial: a hospital's booklet had left out a goal agreed for every hospital).
    """
    from .io.safe import clean_text

    round = round_text(round)
    today = today or date.today()
    goals = patient_goals(plan, site=site, sites=sites)
    note = ""
    several = site is not None and not isinstance(site, str)
    programme_wide = site is None
    across = f"every hospital in {programme}" if programme else "every hospital in the programme"
    if site is not None and goals.empty:
        goals = patient_goals(plan, sites=sites)
        programme_wide = True
        who_here = (f"The hospitals of {hospital} have" if several and hospital else "These hospitals have" if several
                    else f"{hospital} has" if hospital else "This hospital has")
        note = (f"{who_here} no goals of {'their' if several else 'its'} own in this plan yet. The goals below are "
                f"programme-wide: they are for {across}, from what people across the programme told us. To raise "
                "something about this hospital, ask your breast care nurse: it can be added at the next round.")
    elif site is not None and sites:  # its own goals first, then the programme's: for every hospital, this one too
        shared = patient_goals(plan, sites=sites)
        said = {" ".join(str(t).lower().split()) for t in goals["you_said"]}
        shared = shared[~shared["you_said"].map(lambda t: " ".join(str(t).lower().split()) in said)]  # never twice
        if len(shared):
            goals = pd.concat([goals.assign(_shared=False), shared.assign(_shared=True)], ignore_index=True)
    if several and site_names and not programme_wide:
        names = [str(site_names.get(c) or c) for c in site]
        note = "This booklet covers " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1
                                         else names[0]) + ": each goal says which hospital it is for."
    state = plan_state(goals)
    who = who_took_part(took_part)
    where = (f" at the hospitals of {hospital}" if several else f" at {hospital}") if hospital else ""
    if site is not None and programme_wide:  # not this hospital's own feedback: never "patients at <hospital>"
        where = f" across {programme}" if programme else " across the programme"
    when = f"In our latest round of feedback ({round}), " if round else ""
    intro = [f"{when}{who if when else who.capitalize()}{where} told us what matters to them. Here is what they "
             "said" + (", and what we are doing about it." if state != "draft" else ".")]
    if state == "draft":
        intro.append("This is a draft: what we plan to do about each concern is still to be agreed, together "
                     "with people who use our service. We will publish the agreed goals.")
    elif state == "partly agreed":
        intro.append("We have agreed what we will do about some of these concerns; the others are still to be "
                     "agreed. We will tell you how we are getting on.")
    else:
        intro.append("Together we agreed what we will do about each one. We will tell you how we are getting on.")
    rows = []
    for rec in goals.to_dict("records"):
        scope = str(rec.get("scope") or "")
        raised_by = (f"Raised by {WHO[scope][0].lower() + WHO[scope][1:]}" if scope in WHO and scope not in
                     ("all", "staff") else "")
        if several and site_names and scope in site_names:
            raised_by = f"At {site_names[scope]}"
        if bool(rec.get("_shared") or False):
            raised_by = f"For {across}" + (f"; {raised_by[0].lower() + raised_by[1:]}" if raised_by else "")
        plan_to = rec.get("we_plan_to")
        rows.append({"you_said": clean_text(str(rec.get("you_said") or "")), "raised_by": raised_by,
                     "we_plan_to": clean_text(str(plan_to).strip()) if schema.present(plan_to) and str(plan_to).strip()
                     else TO_BE_AGREED, "by": clean_text(_by_text(rec, today))})
    if programme_wide:
        heading = f"Programme-wide goals, for {across}"
    else:
        heading = f"Goals for each hospital of {hospital}" if several and hospital else "This hospital's own goals"
        if "_shared" in goals.columns and goals["_shared"].any():
            heading += f", then the goals for {across}"
    if not rows:
        note = (note + " " if note else "") + ("There are no goals in the plan yet: they are agreed with people who "
                                               "use our service and will be published here.")
    statuses = set(effective_status(goals, today)) if len(goals) else set()
    legend = "   ".join(MARKS[s] for s in ("achieved", "ongoing", "overdue") if s in statuses)
    return {"title": clean_text(title), "hospital": clean_text(hospital), "state": state,
            "dated": f"{'Draft, ' if state == 'draft' else ''}{clean_text(round) + ' · ' if round else ''}"
                     f"{_long_date(today)}",
            "intro": [clean_text(p) for p in intro], "note": clean_text(note), "heading": clean_text(heading),
            "programme_wide": programme_wide, "rows": rows, "legend": legend,
            "contact": clean_text(contact) if contact else DEFAULT_CONTACT}


# ------------------------------------------------------------------------------ HTML and PDF
_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 11pt; color: #4c6272; } }
html { font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 14pt; line-height: 1.45;
       color: #212b32; }
body { max-width: 60rem; margin: 0 auto; }
header { border-bottom: 4px solid #005eb8; padding-bottom: 6pt; margin-bottom: 12pt; }
header img { max-height: 22mm; max-width: 60mm; float: right; }
h1 { color: #005eb8; font-size: 28pt; line-height: 1.15; margin: 0 0 4pt; }
.hospital { font-size: 18pt; font-weight: bold; margin: 0; }
.dated { color: #4c6272; margin: 2pt 0 0; }
.draft { border: 3px solid #ffb81c; background: #fff9e6; padding: 6pt 10pt; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin-top: 10pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 2px solid #005eb8; padding: 8pt 9pt; vertical-align: top; text-align: left; }
th { background: #005eb8; color: #fff; font-size: 16pt; }
col.said { width: 42%; } col.plan { width: 38%; } col.by { width: 20%; }
.raised { display: block; font-size: 12pt; color: #4c6272; margin-top: 3pt; }
.tba { color: #4c6272; font-style: italic; }
.legend, .contact { margin-top: 12pt; }
.scope-note { border-left: 6px solid #005eb8; background: #f0f4f5; padding: 6pt 10pt; }
h2.goals { font-size: 16pt; color: #005eb8; margin: 14pt 0 0; }
.contact { border-top: 2px solid #005eb8; padding-top: 6pt; font-weight: bold; }
"""


def _logo_uri(logo) -> str:
    if not logo:
        return ""
    path = Path(logo)
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def booklet_html(plan: pd.DataFrame, *, logo: str | Path | None = None, **kwargs) -> str:
    """The booklet as one self-contained, accessible HTML page (A4 when printed; keyword arguments as
    :func:`booklet_content`; ``logo``: an image file embedded in the page)."""
    c = booklet_content(plan, **kwargs)
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(r['you_said'])}"
        + (f"<span class='raised'>{e(r['raised_by'])}</span>" if r["raised_by"] else "")
        + f"</td><td{' class=tba' if r['we_plan_to'] == TO_BE_AGREED else ''}>{e(r['we_plan_to'])}</td>"
          f"<td>{'<br>'.join(e(x) for x in r['by'].splitlines())}</td></tr>" for r in c["rows"])
    uri = _logo_uri(logo)
    head = f"{c['title']} · {c['hospital']}" if c["hospital"] else c["title"]
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(head)}</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{_CSS}</style></head><body>"
            "<header>" + (f"<img src='{uri}' alt='logo'>" if uri else "")
            + f"<h1>{e(c['title'])}</h1>" + (f"<p class='hospital'>{e(c['hospital'])}</p>" if c["hospital"] else "")
            + f"<p class='dated'>{e(c['dated'])}</p></header>"
            + "".join(f"<p{' class=draft' if i and c['state'] == 'draft' else ''}>{e(p)}</p>"
                      for i, p in enumerate(c["intro"]))
            + (f"<p class='scope-note'>{e(c['note'])}</p>" if c["note"] else "")
            + f"<h2 class='goals'>{e(c['heading'])}</h2>"
            + "<table><colgroup><col class='said'><col class='plan'><col class='by'></colgroup>"
              "<thead><tr><th scope='col'>You said</th><th scope='col'>We plan to</th><th scope='col'>By</th></tr>"
              f"</thead><tbody>{rows}</tbody></table>"
            + (f"<p class='legend'>{e(c['legend'])}</p>" if c["legend"] else "")
            + f"<p class='contact'>{e(c['contact'])}</p></body></html>")


def write_booklet_pdf(page: str, path: str | Path) -> None:
    """Print a booklet's HTML (:func:`booklet_html`) to an A4 PDF with WeasyPrint (offline: the page
    embeds everything it shows); written atomically."""
    import logging

    from weasyprint import HTML

    from .io.safe import atomic_path

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its CSS warnings are not the user's business
    with atomic_path(path) as tmp:
        HTML(string=page).write_pdf(str(tmp))


# ------------------------------------------------------------------------------ DOCX
def write_booklet_docx(plan: pd.DataFrame, path: str | Path, *, logo: str | Path | None = None, **kwargs) -> None:
    """The booklet as DOCX: A4, Arial 14 pt, the "You said / We plan to / By" table with its header row
    repeated on every page and rows that never split (keyword arguments as :func:`booklet_content`)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    from .io.safe import atomic_path

    c = booklet_content(plan, **kwargs)
    blue, grey = RGBColor(0x00, 0x5E, 0xB8), RGBColor(0x4C, 0x62, 0x72)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(16), Mm(18)
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(14)
    if logo and Path(logo).suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
        doc.add_picture(str(logo), height=Mm(20))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    heading = doc.add_heading(c["title"], level=0)
    for run in heading.runs:
        run.font.size = Pt(28)
        run.font.color.rgb = blue
    if c["hospital"]:
        run = doc.add_paragraph().add_run(c["hospital"])
        run.bold, run.font.size = True, Pt(18)
    doc.add_paragraph().add_run(c["dated"]).font.color.rgb = grey
    for i, text in enumerate(c["intro"]):
        run = doc.add_paragraph().add_run(text)
        run.bold = bool(i and c["state"] == "draft")
    if c["note"]:
        doc.add_paragraph().add_run(c["note"]).bold = True
    goals_head = doc.add_heading(c["heading"], level=2)
    for run in goals_head.runs:
        run.font.size = Pt(16)
        run.font.color.rgb = blue
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.autofit = False  # the column widths below hold in Word and LibreOffice alike
    margins = OxmlElement("w:tblCellMar")  # room between the text and the cell borders, as in the HTML
    for side, width in (("top", 80), ("left", 110), ("bottom", 80), ("right", 110)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)
    for cell, text in zip(table.rows[0].cells, ("You said", "We plan to", "By")):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(16)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)  # white on NHS blue, as the HTML header row
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:color"), "auto")
        shade.set(qn("w:fill"), "005EB8")
        cell._tc.get_or_add_tcPr().append(shade)
    for r in c["rows"]:
        cells = table.add_row().cells
        cells[0].text = r["you_said"]
        if r["raised_by"]:
            run = cells[0].add_paragraph().add_run(r["raised_by"])
            run.font.size, run.font.color.rgb = Pt(12), grey
        cells[1].text = r["we_plan_to"]
        cells[2].text = r["by"]
    widths = (Mm(76), Mm(68), Mm(36))
    for column, width in zip(table.columns, widths):
        column.width = width  # the table grid (LibreOffice reads it; Word reads the cells' widths)
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        flags = ("w:cantSplit", "w:tblHeader") if i == 0 else ("w:cantSplit",)
        for flag in flags:  # never split a row across pages; repeat the header row on every page
            el = OxmlElement(flag)
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
        for cell, width in zip(row.cells, widths):
            cell.width = width
    if c["legend"]:
        doc.add_paragraph(c["legend"])
    section.footer.paragraphs[0].add_run(c["contact"]).bold = True  # at the foot of every page, not twice on one
    doc.core_properties.title = f"{c['title']} · {c['hospital']}" if c["hospital"] else c["title"]
    with atomic_path(path) as tmp:
        doc.save(str(tmp))


# ------------------------------------------------------------------------------ one per hospital
def output_folder(path: str | Path) -> Path:
    """Create a sub-folder of the outputs (``booklets/``, ``codesign/``), cleaning temporaries a killed run
    left there; a folder that cannot be made is an :class:`~pledge_analysis.io.safe.OutputError`."""
    from .io.safe import output_error, remove_stale_temporaries

    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, out, "could not create the output folder") from None
    remove_stale_temporaries(out)
    return out


def write_booklets(plan: pd.DataFrame, out_dir: str | Path, *, sites: dict, took_part: dict | None = None,
                   title: str = TITLE, round="", contact: str | None = None, logo: str | Path | None = None,
                   today: date | None = None, formats=("docx", "html", "pdf"), programme: str = "") -> list[Path]:
    """Write ``<out_dir>/<SITE>.docx``, ``.html`` and ``.pdf`` for every hospital in ``sites`` (site code:
    ``{name, contact}`` as in project.yaml); return the paths.

    ``took_part``: site code -> the groups that gave feedback there (the booklet's wording); a site's
    own ``contact`` wins over ``contact``. ``round``: words, or the run's result (``round=result``: the round
    named as the run names it, :func:`round_text`).
    """
    round = round_text(round)
    out = output_folder(out_dir)
    paths = []
    for code, info in sites.items():
        info = info if isinstance(info, dict) else {}
        name = site_file_name(code)
        kwargs = dict(hospital=str(info.get("name") or code), site=str(code), sites=tuple(sites), title=title,
                      round=round, contact=info.get("contact") or contact,
                      took_part=(took_part or {}).get(code), today=today, programme=programme)
        if "docx" in formats:
            write_booklet_docx(plan, out / f"{name}.docx", logo=logo, **kwargs)
            paths.append(out / f"{name}.docx")
        paths += write_page(booklet_html(plan, logo=logo, **kwargs), out, name, formats)
    return paths


def alliances(sites: dict) -> dict[str, list[str]]:
    """Alliance name -> its site codes (each site's ``alliance:`` in project.yaml), in the order of ``sites``."""
    out: dict[str, list[str]] = {}
    for code, info in sites.items():
        name = (info or {}).get("alliance") if isinstance(info, dict) else None
        if name:
            out.setdefault(str(name), []).append(str(code))
    return out


def write_alliance_booklets(plan: pd.DataFrame, out_dir: str | Path, *, sites: dict, took_part: dict | None = None,
                            title: str = TITLE, round="", contact: str | None = None,
                            logo: str | Path | None = None, today: date | None = None,
                            formats=("docx", "html", "pdf"), programme: str = "") -> list[Path]:
    """Write ``<out_dir>/alliance_<NAME>.docx``, ``.html`` and ``.pdf`` for every Cancer Alliance of ``sites``
    (:func:`alliances`): the goals of its hospitals, each row saying which hospital it is for; return the paths.
    ``booklet: {alliance_booklets: true}`` in project.yaml asks the run for them. ``round``: as
    :func:`write_booklets`."""
    round = round_text(round)
    out = output_folder(out_dir)
    paths = []
    for alliance, codes in alliances(sites).items():
        name = "alliance_" + site_file_name(alliance)
        groups = set().union(*[(took_part or {}).get(c, set()) for c in codes]) if took_part else None
        kwargs = dict(hospital=alliance, site=tuple(codes), sites=tuple(sites), title=title, round=round,
                      contact=contact, took_part=groups, today=today,
                      site_names={c: str((sites[c] or {}).get("name") or c) for c in codes}, programme=programme)
        if "docx" in formats:
            write_booklet_docx(plan, out / f"{name}.docx", logo=logo, **kwargs)
            paths.append(out / f"{name}.docx")
        paths += write_page(booklet_html(plan, logo=logo, **kwargs), out, name, formats)
    return paths


def site_file_name(code) -> str:
    """A safe file name for a site code (``booklets/<SITE>.pdf``, ``codesign/<SITE>.html``)."""
    return re.sub(r"[^\w.-]+", "_", str(code)).strip("._") or "site"


def write_page(page: str, out: Path, name: str, formats) -> list[Path]:
    """Write one HTML page as ``out/name.html`` and/or ``out/name.pdf`` (A4, weasyprint), as ``formats`` asks."""
    from .io.safe import write_text

    paths = []
    if "html" in formats:
        write_text(out / f"{name}.html", page)
        paths.append(out / f"{name}.html")
    if "pdf" in formats:
        write_booklet_pdf(page, out / f"{name}.pdf")
        paths.append(out / f"{name}.pdf")
    return paths
