"""The read-only view for patient representatives: one hospital's page, read from a run's output folder.

``pledge-analysis serve OUT`` (:mod:`pledge_analysis.serve`) shows it in the browser with Voilà; this
module decides what the page says, so it can be read and tested without a browser:

1. :func:`read_outputs` reads what ``pledge-analysis run PROJECT --out OUT`` wrote: ``run_log.json``
   (project, round, hospitals), ``priorities.csv``, ``action_plan.xlsx`` and, when the project audits
   standards, ``standards_audit.csv``. A folder that is not a run's output is an :class:`InputError`
   saying what is missing and what to do.
2. :func:`site_page` is the HTML for one hospital: its prioritised areas with how sure the ranking is,
   the plain-English reason, the survey evidence and the de-identified quotes behind each; the
   patients' plan ("You said / We plan to / By") with each goal's status (overdue goals say so); and
   the standards audit (verdict and why) when there is one. Every value from the data is escaped.
3. :class:`HospitalView` is the app: a hospital drop-down (the only control; ``?site=CODE`` in the
   address or ``site=`` chooses the first one shown) above that page. It changes nothing anywhere:
   no store is opened and no file is written.

Only de-identified text reaches the page: the quotes come from ``priorities.csv``, which the run
writes after de-identification.

>>> print(ordinal(1), ordinal(2), ordinal(3), ordinal(11), ordinal(22))
1st 2nd 3rd 11th 22nd
>>> site_from_query("site=rgh&x=1", {"RGH": "Riverside"}), site_from_query("", {"RGH": "Riverside"})
('RGH', None)
"""
from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd

from .errors import InputError
from .schema import rename_legacy

#: the files a run's output folder must hold for the view
REQUIRED = ("run_log.json", "priorities.csv", "action_plan.xlsx")
#: optional: the standards audit (written when project.yaml names a standards file)
AUDIT_FILE = "standards_audit.csv"
#: the environment variable through which ``pledge-analysis serve`` tells the notebook where OUT is
ENV_OUT = "PLEDGE_VIEW_OUT"
#: ... and which hospital to show first (the address's ``?site=`` wins)
ENV_SITE = "PLEDGE_VIEW_SITE"
#: prioritised areas shown per hospital
TOP = 5
#: who a standard is for, in words
AUDIT_GROUPS = {"all": "All patients", "primary": "Primary breast cancer patients",
                "secondary": "Secondary breast cancer patients", "staff": "Staff"}

STYLE = """<style>
.pledge-view {font-family: Arial, Helvetica, sans-serif; font-size: 18px; line-height: 1.5; color: #212b32;
  max-width: 60em}
.pledge-view h1 {font-size: 1.8em; margin: .2em 0} .pledge-view h2 {font-size: 1.35em; margin-top: 1.4em;
  border-bottom: 2px solid #005eb8} .pledge-view h3 {font-size: 1.1em; margin: 1em 0 .2em}
.pledge-view .sub {color: #4c6272} .pledge-view .note {color: #4c6272; font-size: .9em}
.pledge-view blockquote {margin: .3em 0 .3em 1em; padding-left: .6em; border-left: 4px solid #005eb8}
.pledge-view table {border-collapse: collapse; width: 100%} .pledge-view th, .pledge-view td {
  border: 1px solid #d8dde0; padding: .4em; text-align: left; vertical-align: top}
.pledge-view th {background: #f0f4f5} .pledge-view .status-overdue {color: #d5281b; font-weight: bold}
.pledge-view .status-achieved {color: #007f3b; font-weight: bold}
</style>"""


@dataclass
class RunOutputs:
    """What the view reads from a run's output folder."""

    folder: Path
    run_log: dict
    priorities: pd.DataFrame
    plan: pd.DataFrame
    audit: pd.DataFrame | None
    #: site code -> hospital name, in the project's order
    sites: dict[str, str]


def read_outputs(out: str | Path) -> RunOutputs:
    """Read the output folder ``out`` of ``pledge-analysis run``; InputError if it is not one."""
    from .pledge import read_action_plan_xlsx

    folder = Path(out)
    hint = ("Name the folder that `pledge-analysis run PROJECT --out OUT` wrote (it holds report.html, "
            "priorities.csv and run_log.json), or run the analysis first.")
    if not folder.is_dir():
        raise InputError("this is not a folder of a run's outputs" if folder.exists() else "folder not found",
                         path=folder, hint=hint)
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if missing:
        raise InputError(f"not the output folder of a run: {', '.join(missing)} missing", path=folder, hint=hint)
    if (folder / "RUN_NOT_FINISHED.txt").exists():  # pipeline.INCOMPLETE: a run was stopped while writing here
        raise InputError("a run was stopped while writing this folder (RUN_NOT_FINISHED.txt): its files may come from "
                         "two runs", path=folder, hint="Run the analysis again with this --out; then serve it.")
    try:
        run_log = json.loads((folder / "run_log.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read run_log.json ({exc})", path=folder / "run_log.json", hint=hint) from None
    if not isinstance(run_log, dict):
        raise InputError("run_log.json is not a run's log", path=folder / "run_log.json", hint=hint)
    # an output folder of an earlier release keeps working (its old column names renamed, with a FutureWarning)
    priorities = rename_legacy(_read_csv(folder / "priorities.csv", hint), "priorities")
    for col in ("scope_type", "scope", "rank", "name"):
        if col not in priorities.columns:
            raise InputError(f"priorities.csv has no {col!r} column", path=folder / "priorities.csv", hint=hint)
    plan, _ = read_action_plan_xlsx(folder / "action_plan.xlsx")
    audit = (rename_legacy(_read_csv(folder / AUDIT_FILE, hint), "standards_audit") if (folder / AUDIT_FILE).is_file()
             else None)
    outputs = RunOutputs(folder, run_log, priorities, plan, audit, _sites(run_log, priorities))
    leaks = earlier_release_leaks(outputs)
    if leaks:
        raise InputError(f"this output folder was written by an earlier release, before a count or survey figure that "
                         "would give a hidden one back by subtraction was withheld, and its pages would print "
                         f"{len(leaks)} such figure(s): {'; '.join(leaks[:5])}{' ...' if len(leaks) > 5 else ''}",
                         path=folder, code="PA116",
                         hint="Run the analysis again with this --out (`pledge-analysis run PROJECT --out OUT`); "
                              "then serve it.")
    return outputs


#: the run log's key saying which disclosure rules its folder's shown texts were written with
DISCLOSURE = "disclosure"


def earlier_release_leaks(outputs: RunOutputs) -> list[str]:
    """What the pages of an output folder written before secondary suppression (its run log has no
    :data:`DISCLOSURE` entry) would print that the rule now withholds: a hospital's count of comments, people
    or negative comments that, with the programme's and the other hospitals', gives a hidden one back
    (:func:`pledge_analysis.priorities.held_back` on ``priorities.csv``), and a survey figure in a hospital's
    evidence held back by :func:`pledge_analysis.survey.suppression.held_back_scores` (on ``survey_scores.csv``).
    Re-derived from the folder's own tables; empty for a folder of this release, or when nothing would be
    withheld (then the folder is served as it is)."""
    log = outputs.run_log or {}
    if (log.get(DISCLOSURE) or {}).get("secondary_suppression"):
        return []
    threshold = (log.get("survey") or {}).get("suppress_below") or 21
    p, out = outputs.priorities, []
    from .priorities import HIDDEN_COUNTS, held_back

    if {"theme", "scope_type", "n_segments"} <= set(p.columns):
        counted = p.assign(**{c: pd.to_numeric(p[c], errors="coerce").fillna(0).astype(int) for c in HIDDEN_COUNTS
                              if c in p.columns})
        held = held_back(counted, threshold)
        words = {"n_segments": "comments", "n_negative": "negative comments", "n_respondents": "people"}
        for i in held.index[held.any(axis=1)]:
            text = p.at[i, "reason_shown"] if "reason_shown" in p.columns else None
            text = text if isinstance(text, str) else shown_reason(p.loc[i].to_dict(), threshold) or ""
            # printed, not already withheld (a folder of session 10 withheld these and is fine)
            printed = [c for c in held.columns
                       if held.at[i, c] and re.search(rf"(?<![\d,]){counted.at[i, c]:,}(?![\d,])", text)]
            if printed and p.at[i, "scope_type"] == "site":
                out.append(f"{p.at[i, 'scope']}: the {', '.join(words[c] for c in printed)} about {p.at[i, 'name']}")
    scores_file = outputs.folder / "survey_scores.csv"
    if scores_file.is_file() and "survey_evidence" in p.columns:
        from .survey.suppression import held_back_scores

        sc = _read_csv(scores_file, "Run the analysis again.")
        if {"site", "group", "question_id", "n"} <= set(sc.columns):
            held = held_back_scores(sc.assign(n=pd.to_numeric(sc["n"], errors="coerce").fillna(0)), threshold)
            here = p[p["scope_type"] == "site"]
            # what the page prints: the shown text where the folder has one, else the analysts' (survey_lines)
            printed = here["survey_evidence"]
            if "survey_evidence_shown" in here.columns:
                shown = here["survey_evidence_shown"]
                printed = shown.where(shown.map(lambda x: isinstance(x, str)), printed)
            for s, g, q in zip(sc["site"][held], sc["group"][held], sc["question_id"][held]):
                ev = printed[here["scope"].astype(str) == str(s)].dropna().astype(str)
                if g == "all" and any(re.search(rf"(?<!\S){re.escape(str(q))} \d+%", e) for e in ev):
                    out.append(f"{s}: the survey result of {q}")
    return out


def _read_csv(path: Path, hint: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype={"scope": str, "site": str}, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read {path.name} ({exc})", path=path, hint="Run the analysis again.") from None


def _sites(run_log: dict, priorities: pd.DataFrame) -> dict[str, str]:
    """Hospitals from the run log (code -> name); a log without names falls back to the site scopes."""
    named = run_log.get("sites") or {}
    sites = {str(code): str((info or {}).get("name") or code) for code, info in named.items()}
    scoped = priorities.loc[priorities["scope_type"] == "site", "scope"].dropna().astype(str)
    for code in dict.fromkeys(scoped):
        sites.setdefault(code, code)
    return sites


def site_from_query(query: str | None, sites) -> str | None:
    """The site code asked for by ``site=`` in an address's query string (code or name, any case), else None."""
    wanted = (parse_qs(query or "").get("site") or [""])[0].strip().lower()
    if not wanted:
        return None
    for code, name in dict(sites).items():
        if wanted in (str(code).lower(), str(name).lower()):
            return code
    return None


def ordinal(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _e(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else html.escape(str(value))


def _rank_text(r, n_areas: int | None = None, resampled: bool = False) -> str:
    """The rank and how sure it is; ``resampled``: the run's resamples gave other scopes an interval."""
    rank = int(r["rank"])
    if n_areas == 1:
        from .codesign import ONLY_AREA

        return ONLY_AREA
    ranked = f"Ranked {ordinal(rank)}" + (f" of {n_areas} areas" if n_areas else "") + " here"  # out of how many
    low, high = r.get("rank_low"), r.get("rank_high")
    if pd.notna(low) and pd.notna(high) and (int(low), int(high)) != (rank, rank):
        return (f"{ranked}; with other samples of the same people it could have been "
                f"anywhere from {ordinal(int(low))} to {ordinal(int(high))}.")
    if pd.notna(low):
        return f"{ranked}, and {ordinal(rank)} with every resample of the same people."
    if resampled:
        from .uncertainty import ONE_UNIT

        return f"{ranked}. {ONE_UNIT}"
    return f"{ranked}."


def _quotes(value) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [q.strip() for q in str(value).split(" | ") if q.strip()]


_USED = re.compile(r"(?P<q>\S+) (?P<est>\d+)% \(benchmark (?P<bench>\d+)%, n (?P<n>\d+)\)")
# the analysts' text says "(n 13)", the shown one "(fewer than 21 answers)"
_NOT_USED = re.compile(r"(?P<q>\S+) not used: (?P<why>.+) \((?:n (?P<n>\d+)|[^()]*answers?)\)")


def survey_lines(evidence, run_log: dict) -> list[str]:
    """A priority's ``survey_evidence`` ("Q2 84% (benchmark 90%, n 1438); Q57 not used: fewer answers than
    the suppression threshold (n 13)") in words, one line per question, named by its wording (its code only
    without one: a patient representative reads no question codes) from
    ``run_log["survey"]["questions"]`` and the run's suppression rule; an item in another shape as it is.

    >>> log = {"survey": {"suppress_below": 21, "questions": {"Q2": "Did you wait long?"}}}
    >>> survey_lines("Q2 84% (benchmark 90%, n 1438); Q57 not used: fewer answers than the suppression "
    ...              "threshold (n 13)", log)
    ['“Did you wait long?”: 84% positive, against a benchmark of 90% (1,438 answers)', 'Q57: not shown, because fewer than 21 people answered it here']
    """
    if not isinstance(evidence, str) or not evidence.strip():
        return []
    survey = (run_log or {}).get("survey") or {}
    wording, threshold = survey.get("questions") or {}, survey.get("suppress_below") or 21
    out = []
    from .survey.suppression import HELD_BACK_WORDS

    for item in (x.strip() for x in evidence.split("; ") if x.strip()):
        if item.endswith(" " + HELD_BACK_WORDS) and " " not in item[:-len(HELD_BACK_WORDS) - 1]:
            q = item.split(" ", 1)[0]  # held back (secondary suppression): neither its result nor its answers
            out.append(f"{wording[q]} ({q}): {HELD_BACK_WORDS}" if wording.get(q) else f"{q}: {HELD_BACK_WORDS}")
            continue
        m = _USED.fullmatch(item) or _NOT_USED.fullmatch(item)
        if not m:
            out.append(item)
            continue
        q = m["q"]
        label = f"“{wording[q]}”" if wording.get(q) else q  # the question's wording; its code only without one
        if "est" in m.groupdict():
            out.append(f"{label}: {m['est']}% positive, against a benchmark of {m['bench']}% ({int(m['n']):,} answers)")
        elif "suppression threshold" in m["why"]:
            out.append(f"{label}: not shown, because fewer than {threshold} people answered it here")  # no small n
        else:
            out.append(f"{label}: not used ({m['why']})")
    return out


def feedback_here(outputs: RunOutputs, site: str) -> dict | None:
    """``{"groups", "respondents", "comments"}`` of one hospital from the run log (``feedback_by_site``), or
    None for an output folder of an earlier release, whose log does not say."""
    by_site = (outputs.run_log or {}).get("feedback_by_site")
    if not isinstance(by_site, dict):
        return None
    got = by_site.get(site) or {}
    return {"groups": list(got.get("groups") or []), "respondents": int(got.get("respondents") or 0),
            "comments": int(got.get("comments") or 0)}


def who_here(outputs: RunOutputs, site: str) -> str:
    """Who gave feedback at ``site``, in words: "patients", "patients and staff", "staff", or "people" when the
    run log does not say (an earlier release's output folder)."""
    from .booklet import who_took_part

    got = feedback_here(outputs, site)
    return who_took_part(got["groups"]) if got and got["groups"] else "people"


def shown_reason(record: dict, threshold: int) -> str | None:
    """A priority's (or a standard's) reason as the page prints it: ``reason_shown`` as the run wrote it (small
    counts read "fewer than N"); for a ``priorities.csv`` or ``standards_audit.csv`` of an earlier release,
    which has no such column, its ``reason`` with the small counts rewritten
    (:func:`pledge_analysis.codesign.small_counts_in_text`)."""
    shown = record.get("reason_shown")
    if isinstance(shown, str):
        return shown
    reason = record.get("reason")
    if not isinstance(reason, str):
        return None
    from .codesign import small_counts_in_text

    return small_counts_in_text(reason, threshold)


def priorities_html(outputs: RunOutputs, site: str, *, top: int = TOP) -> str:
    threshold = ((outputs.run_log or {}).get("survey") or {}).get("suppress_below") or 21
    p = outputs.priorities
    here = p[(p["scope_type"] == "site") & (p["scope"].astype(str) == site)]
    rows = here.sort_values("rank").head(top)
    who = who_here(outputs, site)
    whose = {"patients": "patients'", "staff": "staff", "patients and staff": "patients' and staff"}.get(who,
                                                                                                      "people's")
    out = ["<h2>What matters most here</h2>",
           f"<p class='note'>The areas that {whose} comments and the survey point to most strongly at "
           "this hospital, most important first. The quotes are from the comments, with names and other details "
           "taken out.</p>"]
    got = feedback_here(outputs, site)
    if rows.empty and got is not None and not got["respondents"] and not got["comments"]:
        name = outputs.sites.get(site, site)
        return "".join(out + [f"<p>No feedback came from {_e(name)} in this run: no survey answers and no comments "
                              "were from this hospital, so there is nothing to prioritise here yet.</p>"])
    if rows.empty:
        return "".join(out + ["<p>No prioritised areas for this hospital in this run.</p>"])
    resampled = "rank_low" in p.columns and bool(pd.to_numeric(p["rank_low"], errors="coerce").notna().any())
    from .priorities import NOT_RANKED, unranked_scopes

    if ("site", str(site)) in unranked_scopes(here):  # no area stands out: a rank would read as a finding
        out[1] = (f"<p class='note'>{_e(NOT_RANKED)} The quotes are from the comments, with names and other "
                  "details taken out.</p>")
    for r in rows.to_dict("records"):
        if ("site", str(site)) in unranked_scopes(here):
            out.append(f"<section class='priority'><h3>{_e(r['name'])}</h3>")
        else:
            out.append(f"<section class='priority'><h3>{int(r['rank'])}. {_e(r['name'])}</h3>"
                       f"<p class='sub'>{_e(_rank_text(r, len(here), resampled))}</p>")
        reason = shown_reason(r, threshold)  # small counts as "fewer than N"
        if reason and reason.startswith(f"{r['name']}: ") and len(reason) > len(r["name"]) + 2:
            reason = reason[len(r["name"]) + 2:]  # the heading above names the area
            reason = reason[0].upper() + reason[1:]
        if reason:
            out.append(f"<p>{_e(reason)}</p>")
        # the text written for showing (held-back figures not printed); an earlier release's: the analysts' one
        shown = r.get("survey_evidence_shown")
        lines = survey_lines(shown if isinstance(shown, str) else r.get("survey_evidence"), outputs.run_log)
        if lines:
            out.append("<p><b>Survey questions:</b></p><ul class='survey'>"
                       + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>")
        quotes = _quotes(r.get("quotes"))
        if quotes:
            out.append("<p><b>What people said:</b></p>" + "".join(f"<blockquote>{_e(q)}</blockquote>" for q in quotes))
        out.append("</section>")
    return "".join(out)


def plan_html(outputs: RunOutputs, site: str, *, today: date | None = None) -> str:
    from .booklet import patient_goals, plan_state
    from .pledge import MARKS, effective_status, parse_by

    goals = patient_goals(outputs.plan, site=site)
    out = ["<h2>What the hospital plans to do</h2>"]
    if goals.empty:
        return "".join(out + ["<p>This hospital has no goals of its own in the plan yet. Until it has, its "
                              "booklet shows the programme-wide goals, for every hospital.</p>"])
    state = plan_state(goals)
    if state != "agreed":
        out.append("<p class='note'>Goals without a \"We plan to\" are still <b>to be agreed</b> by patients and "
                   "staff at the co-design meeting.</p>")
    status = effective_status(goals, today=today)
    out.append("<table class='plan'><thead><tr><th>You said</th><th>We plan to</th><th>By</th><th>Status</th>"
               "</tr></thead><tbody>")
    for rec, st in zip(goals.to_dict("records"), status):
        plan_to = _e(rec.get("we_plan_to")) or "<i>To be agreed</i>"
        when = parse_by(rec.get("by"))  # a date in words ("March 2027"), as the booklet says it
        by = _e(when.strftime("%B %Y") if when else rec.get("by")) or "<i>To be agreed</i>"
        out.append(f"<tr><td>{_e(rec.get('you_said'))}</td><td>{plan_to}</td><td>{by}</td>"
                   f"<td class='status-{_e(st).replace(' ', '-')}'>{_e(MARKS.get(st, st))}</td></tr>")
    return "".join(out + ["</tbody></table>"])


def audit_html(outputs: RunOutputs, site: str) -> str:
    a = outputs.audit
    if a is None:
        return ""
    framework = (outputs.run_log.get("standards") or {}).get("name") if isinstance(
        outputs.run_log.get("standards"), dict) else None
    against = f" (<b>{_e(framework)}</b>)" if framework else ""
    out = ["<h2>Standards of care</h2>",
           f"<p class='note'>This hospital against each standard of the programme's framework{against}, from the "
           "same evidence.</p>"]
    rows = a[a["site"].astype(str) == site] if "site" in a.columns else a.iloc[0:0]
    if rows.empty:
        return "".join(out + ["<p>No standards audited for this hospital.</p>"])
    threshold = ((outputs.run_log or {}).get("survey") or {}).get("suppress_below") or 21
    cols = [(c, label) for c, label in (("statement", "Standard"), ("group", "For"), ("verdict", "Verdict"),
                                        ("reason", "Why")) if c in rows.columns]
    out.append("<table class='audit'><thead><tr>" + "".join(f"<th>{label}</th>" for _, label in cols)
               + "</tr></thead><tbody>")
    for rec in rows.to_dict("records"):
        rec["group"] = AUDIT_GROUPS.get(str(rec.get("group")), rec.get("group"))
        rec["reason"] = shown_reason(rec, threshold)  # small counts "fewer than N"
        out.append("<tr>" + "".join(f"<td>{_e(rec.get(c))}</td>" for c, _ in cols) + "</tr>")
    return "".join(out + ["</tbody></table>"])


def site_page(outputs: RunOutputs, site: str, *, top: int = TOP, today: date | None = None) -> str:
    """The whole page for one hospital (HTML fragment with its own style)."""
    if site not in outputs.sites:
        raise InputError(f"no hospital {site!r} in this run", path=outputs.folder,
                         hint=f"Choose one of {', '.join(outputs.sites) or '(none)'}.")
    log = outputs.run_log
    head = (f"<h1>{_e(outputs.sites[site])}</h1><p class='sub'>{_e(log.get('project') or 'Service Pledge')}"
            # the round in words (booklet label or months of the feedback), never the internal id such as 2026-R1
            + (f" · feedback of {_e(log['round_label'])}" if log.get("round_label") else "") + "</p>"
            f"<p class='note'>What {_e(who_here(outputs, site))} told this hospital, and what it plans to do about it. "
            "This page only shows results: nothing here can be changed.</p>")
    return (STYLE + "<div class='pledge-view'>" + head + priorities_html(outputs, site, top=top)
            + plan_html(outputs, site, today=today) + audit_html(outputs, site) + "</div>")


class HospitalView:
    """The app: a hospital drop-down over :func:`site_page`. Display it as the last line of a cell.

    ``out`` defaults to ``$PLEDGE_VIEW_OUT``; the first hospital shown is the address's ``?site=``
    (Voilà passes it to the kernel as ``$QUERY_STRING``), else ``site`` / ``$PLEDGE_VIEW_SITE``, else
    the first in the project.
    """

    def __init__(self, out: str | Path | None = None, *, site: str | None = None, top: int = TOP):
        import ipywidgets as w

        out = out or os.environ.get(ENV_OUT)
        if not out:
            raise InputError(f"no output folder: set {ENV_OUT}, or start the view with `pledge-analysis serve OUT`")
        self.outputs = read_outputs(out)
        self.top = top
        sites = self.outputs.sites
        if not sites:
            raise InputError("this run has no hospitals (no `sites:` in project.yaml)", path=self.outputs.folder)
        first = (site_from_query(os.environ.get("QUERY_STRING"), sites)
                 or site_from_query(f"site={site or os.environ.get(ENV_SITE) or ''}", sites) or next(iter(sites)))
        self.picker = w.Dropdown(options=[(f"{name} ({code})" if name != code else code, code)
                                          for code, name in sites.items()],
                                 value=first, description="Hospital", style={"description_width": "initial"},
                                 layout=w.Layout(width="100%", max_width="60em"))  # long names not cut short
        self.picker.add_class("pledge-site-picker")
        self.page = w.HTML(site_page(self.outputs, first, top=top))
        self.picker.observe(lambda change: self.show(change["new"]), names="value")
        self.widget = w.VBox([self.picker, self.page])

    def show(self, site: str) -> None:
        self.page.value = site_page(self.outputs, site, top=self.top)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
