"""A self-contained HTML report of a run (plotly.js is embedded once; no network needed).

The page explains itself: a contents list at the top links to each section; every survey question
code is shown beside its wording ("wording (Q2)"); a cell with no benchmark says "No benchmark"
(never a gap of 0); proportions read as whole percentages ("51%") and 0-10 means as "7.8 / 10";
no machine path appears (files are named relative to the output folder); and under each table a
"Download this table (CSV)" link carries the same table as a ``data:`` URI, so the file stays one
self-contained page that opens offline. Tables can be sorted (click a header) and filtered (the
search box above each): DataTables from the pinned itables package, embedded once (its offline
bundle, base64 inside the page) and applied to the plain escaped tables, which stay readable
without JavaScript.

All user text is escaped: tables through ``DataFrame.to_html(escape=True)``, titles and notes
through :func:`html.escape`; plotly writes its figures' text as JSON with ``<`` as ``\\u003c``.
"""
from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pandas as pd

from . import plots
from .io.safe import write_text

CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:1100px;margin:2em auto;color:#212b32;line-height:1.45}
h1{color:#005eb8}h2{border-bottom:3px solid #005eb8;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.9em;margin:1em 0}th,td{border:1px solid #d8dde0;padding:.35em .6em;vertical-align:top}
th{background:#f0f4f5;text-align:left}.note{color:#4c6272;font-size:.9em}.warn{background:#fff9c4;padding:.6em}
nav.contents{background:#f0f4f5;padding:.6em 1.2em;margin:1em 0}nav.contents ol{margin:.3em 0}
a.csv{font-size:.85em}.nobench{color:#4c6272;font-style:italic}
"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


#: How a machine column name is shown as a table header (:func:`display_name`); the CSV downloads keep
#: the machine names, as the output files have them.
DISPLAY_NAMES = {
    "source_id": "source", "rows_read": "rows read", "respondents_kept": "respondents kept",
    "rows_kept": "rows kept", "rows_set_aside": "rows set aside", "scope_type": "level",
    "goal_id": "goal", "you_said": "you said", "we_plan_to": "we plan to", "same_region": "same region",
    "code_id": "code", "f1": "F1 score", "ci_low": "95% interval from", "ci_high": "95% interval to",
    "negative_share": "share negative", "site_name": "hospital", "standard_id": "standard",
    "n_segments": "comments", "n_respondents": "people", "n_negative": "negative comments",
    "priority_score": "priority score", "survey_evidence": "survey evidence",
}
#: Machine values a table cell shows in words (the CSV download keeps the machine value): a source's ``kind``,
#: a redaction's ``table`` (where the text was read).
VALUE_WORDS = {"focus_group": "focus group", "segments": "comments", "speakers": "speaker names",
               "responses": "survey answers"}
#: The sentence the report prints once about the two kinds of column names.
DOWNLOAD_NOTE = ("Table headers are shown in words; each “Download this table (CSV)” file and the output files "
                 "(priorities.csv, survey_scores.csv, ...) keep the machine column names (for example "
                 "<code>scope_type</code>, <code>ci_low</code>), so they can be read by a program.")


def display_name(column) -> str:
    """A column's header in the report: :data:`DISPLAY_NAMES`, else the name with ``_`` as spaces; a
    redaction label (``NHS_NUMBER``) stays as its placeholder ``[NHS_NUMBER]`` reads in the comments.

    >>> display_name("scope_type"), display_name("negative_share"), display_name("95% interval")
    ('level', 'share negative', '95% interval')
    >>> display_name("NHS_NUMBER")
    'NHS_NUMBER'
    """
    column = str(column)
    if column.isupper():
        return column
    return DISPLAY_NAMES.get(column, column.replace("_", " "))


def _table(df: pd.DataFrame, columns: list[str] | None = None, max_rows: int = 50, name: str = "table") -> str:
    """An HTML table and, under it, a link that downloads the same rows as ``<name>.csv``.

    The CSV is built from the very DataFrame shown (same columns, same rows) and embedded as a
    base64 ``data:`` URI, so it works from a file opened offline. The headers shown are display
    names (:func:`display_name`); the CSV keeps the machine names."""
    df = df[columns] if columns else df
    shown = df.head(max_rows)
    words = shown.copy()  # what the page shows: yes/no, not True/False (the CSV keeps the machine values)
    for c in words.columns:
        if words[c].dtype == bool:
            words[c] = words[c].map({True: "yes", False: "no"})
        elif words[c].dtype == object or pd.api.types.is_string_dtype(words[c]):
            words[c] = [VALUE_WORDS.get(x, x) if isinstance(x, str) else x for x in words[c]]
    table = words.rename(columns=display_name).to_html(index=False, escape=True, border=0, na_rep="", classes="data",
                          float_format=lambda x: f"{x:.3g}")  # a blank cell, not "NaN"
    data = base64.b64encode(shown.to_csv(index=False).encode("utf-8")).decode("ascii")
    more = f" (first {max_rows:,} of {len(df):,} rows)" if len(df) > max_rows else ""
    return (table + f"<p><a class='csv' download='{_slug(name)}.csv' href='data:text/csv;charset=utf-8;base64,{data}'>"
            f"Download this table (CSV){more}</a></p>")


def interactive_tables_script() -> str:
    """The DataTables bundle shipped with itables, embedded offline (no network), and a script that
    makes every ``table.data`` sortable and filterable; empty if itables cannot be imported."""
    try:
        from itables import options
        from itables.javascript import _itables_underscore_version, generate_init_offline_itables_html
    except ImportError:  # the tables stay plain, readable tables
        return ""
    init = generate_init_offline_itables_html(options.dt_bundle).split("<div", 1)[0].rstrip()  # not its notice
    assert init.endswith("</script>")
    # one <script> in <head>, bundle and activation together (so no small script sits after the content)
    go = ("function () {document.querySelectorAll('table.data').forEach(function (t) {"
          "var n = t.tBodies.length ? t.tBodies[0].rows.length : 0;"
          "new m.default(t, {order: [], autoWidth: false, paging: n > 25, pageLength: 25,"
          "info: n > 25, language: {search: 'Filter:'}});});}")
    return init[:-len("</script>")] + (
        "\n(window.%s || Promise.reject()).then(function (m) {var go = %s;"
        "if (document.readyState === 'loading') {document.addEventListener('DOMContentLoaded', go);} else {go();}"
        "}).catch(function () {});\n</script>" % (_itables_underscore_version(), go))


def percent(x) -> str:
    """A proportion as a whole percentage (``0.514`` -> ``"51%"``); blank when missing."""
    return "" if pd.isna(x) else f"{100 * float(x):.0f}%"


def _value(x, kind: str) -> str:
    """One survey figure in the report's single format: proportions as "51%", 0-10 means as "7.8 / 10"."""
    if pd.isna(x):
        return ""
    return f"{float(x):.1f} / 10" if kind == "mean" else percent(x)


def _gap(gap, kind: str) -> str:
    """The gap to benchmark (benchmark minus result: positive means below benchmark) in words."""
    if pd.isna(gap):
        return ""
    size = abs(float(gap)) * (1 if kind == "mean" else 100)
    unit = "" if kind == "mean" else " points"
    text = f"{size:.1f}" if kind == "mean" else f"{size:.0f}"
    if text in ("0", "0.0"):
        return "at benchmark"
    if text == "1" and unit:
        unit = " point"
    return f"{text}{unit} {'below' if gap > 0 else 'above'}"


def rank_columns(priorities: pd.DataFrame, unranked: set | None = None) -> pd.DataFrame:
    """``priorities`` with the report's ``rank (95% interval)`` ("2 (1-4)") and ``in top 3`` ("71%") columns
    (when the run resampled, i.e. has ``rank_low``); in a scope where no area stands out
    (:func:`pledge_analysis.priorities.unranked_scopes`, of ``priorities`` unless ``unranked`` gives them, as
    found on all of a scope's areas) they read "not ranked" and nothing; in a scope of 3 areas or fewer, where
    every area is in the top three, ``in top 3`` reads "only 3 areas", not "100%"."""
    from .priorities import unranked_scopes

    top = priorities.copy()
    if "rank_low" not in top.columns or not top["rank_low"].notna().any():
        return top
    unranked = unranked_scopes(top) if unranked is None else unranked
    off = [(str(a), str(b)) in unranked for a, b in zip(top["scope_type"], top["scope"])]
    top["rank (95% interval)"] = ["not ranked" if o else f"{r} ({lo:.0f}-{hi:.0f})" if pd.notna(lo) else str(r)
                                  for o, r, lo, hi in zip(off, top["rank"], top["rank_low"], top["rank_high"])]
    # a scope of 3 areas or fewer has every area in its top three: "100%" would read as a finding
    areas = top.groupby([top["scope_type"].astype(str), top["scope"].astype(str)])["rank"].transform("size")
    top["in top 3"] = ["" if o or pd.isna(p) else f"only {k} areas" if k <= 3 else f"{p:.0%}"
                       for o, p, k in zip(off, top["p_top3"], areas)]
    return top


def unranked_sites_note(priorities: pd.DataFrame, names: dict) -> str:
    """Under the cross-site heatmap, the hospitals where no area stands out
    (:func:`pledge_analysis.priorities.unranked_scopes`), so that their cells near 0.5 are not read as "all is
    well"; empty when there are none. ``names``: site code -> hospital name."""
    from .priorities import unranked_scopes

    sites = sorted(s for t, s in unranked_scopes(priorities) if t == "site")
    if not sites:
        return ""
    who = "; ".join(f"{names[s]} ({s})" if names.get(s, s) != s else s for s in sites)
    return (f"Too little feedback to rank areas at {who}: no area stands out from the others there, so its "
            "scores sit near 0.5 for want of evidence, not because nothing needs improving.")


def _theme_names(result) -> list[str]:
    """Every theme's name in the run's themes table (the rows of its theme heatmaps), so that the cross-site
    heatmap keeps a theme no comment raised as a row too."""
    t = getattr(result, "themes", None)
    return [] if t is None or "name" not in getattr(t, "columns", ()) else sorted(set(t["name"].dropna().astype(str)))


def question_wording(result) -> dict[str, str]:
    """``question_id -> wording`` from the run's questions table (empty when there is none)."""
    q = getattr(result, "questions", None)
    if q is None or not len(q) or "text" not in q.columns:
        return {}
    return {str(k): str(v) for k, v in zip(q["question_id"], q["text"]) if pd.notna(v) and str(v).strip()}


def question_label(qid, wording: dict[str, str]) -> str:
    """``"wording (Q2)"``, as the co-design pack shows it; the bare code when no wording is known."""
    text = wording.get(str(qid), "")
    return f"{text} ({qid})" if text else str(qid)


def survey_table(scores: pd.DataFrame, wording: dict[str, str], suppress_below: int | None = None) -> pd.DataFrame:
    """The survey section's table: question wording with its code, the result and its 95% interval
    in one format per row, and the benchmark, gap and source, or "No benchmark" where none exists.

    Columns: ``question``, ``respondents``, ``result``, ``95% interval``, ``benchmark``,
    ``gap to benchmark``, ``benchmark source``, ``suppressed``. With ``suppress_below`` (the project's
    suppression rule) a suppressed row's respondents read "fewer than N", never the small number itself; a row
    held back (``held_back``: secondary suppression) shows neither its respondents nor its result."""
    from .codesign import small_count
    from .survey.suppression import HELD_BACK_WORDS

    rows = []
    for r in scores.itertuples(index=False):
        kind = getattr(r, "kind", "proportion")
        supp = bool(getattr(r, "suppressed", False))
        held = bool(getattr(r, "held_back", False)) and not supp  # secondary suppression: nothing of it shown
        bkind = str(getattr(r, "benchmark_kind", "") or "")
        bench = getattr(r, "benchmark", float("nan"))
        has_bench = pd.notna(bench) and bkind != "none"
        src = str(getattr(r, "benchmark_source", "") or "")
        if has_bench:
            source = src
        else:
            reason = src.split(": ", 1)[1] if src.startswith("none: ") else ""
            reason = "" if reason.startswith("nan ") else reason
            source = "No benchmark" + (f" ({reason})" if reason else "")
        rows.append({
            "question": question_label(r.question_id, wording),
            "respondents": ("not shown" if held else small_count(int(r.n), suppress_below) if supp and suppress_below
                            else int(r.n)) if pd.notna(r.n) else None,
            "result": "" if supp or held else _value(r.estimate, kind),
            "95% interval": "" if supp or held or pd.isna(r.ci_low)
            else f"{_value(r.ci_low, kind)} to {_value(r.ci_high, kind)}",
            "benchmark": _value(bench, kind) if has_bench else "No benchmark",
            "gap to benchmark": ("" if supp or held else _gap(getattr(r, "gap", float("nan")), kind)) if has_bench
            else "No benchmark",
            "benchmark source": source,
            "suppressed": "yes (too few respondents)" if supp else f"yes ({HELD_BACK_WORDS})" if held else "",
        })
    return pd.DataFrame(rows, columns=["question", "respondents", "result", "95% interval", "benchmark",
                                       "gap to benchmark", "benchmark source", "suppressed"])


_CODE = re.compile(r"(?<![\w(])([A-Z]{1,4}\d{0,3})(?= \d+%| not used| not shown| \d+\.\d / 10)")


def _words_for_codes(text: str, wording: dict[str, str]) -> str:
    """Put the wording beside each question code in a survey-evidence string ("Q2 84% ..." ->
    "How do you feel ... (Q2) 84% ...")."""
    text = _CODE.sub(lambda m: question_label(m.group(1), wording) if m.group(1) in wording else m.group(1), text)
    items = text.split("; ")  # a project's own ids ("listened") lead their item: "listened not used: ..."
    for i, item in enumerate(items):
        qid = item.split(" ", 1)[0]
        if qid in wording and not _CODE.fullmatch(qid) and not item.startswith(question_label(qid, wording)):
            items[i] = question_label(qid, wording) + item[len(qid):]
    return "; ".join(items)


def _relative(text: str, roots: list[str]) -> str:
    """Machine paths under the output or project folder written relative to it; any other absolute
    path reduced to its file name (the page must not reveal where it was made)."""
    for root in sorted({r.rstrip("/") for r in roots if r and len(r) > 1}, key=len, reverse=True):
        text = text.replace(root + "/", "").replace(root, ".")
    return re.sub(r"(?<![\w.:/])(?:/[^\s/'\"<>]+)+/([^\s/'\"<>]+)", r"\1", text)


def priority_methods(run_log: dict) -> str:
    """The methods paragraph of the priorities, generated from the parameters the run used
    (``run_log["priorities"]``, written by :func:`pledge_analysis.pipeline.run_project`)."""
    m = run_log.get("priorities") or {}
    if not m:
        return ""
    w = {k: v for k, v in m["weights"].items()}
    total = sum(w.values()) or 1
    used = [f"{k.replace('_', ' ')} {v / total:.0%}" for k, v in w.items() if v > 0]
    unused = [k.replace("_", " ") for k, v in w.items() if v == 0]
    missing = {"calibrated": "its comments stand in for it with the share of the survey's weight that makes its "
                             "score vary as much as a theme's with both kinds of evidence (so neither kind is "
                             "favoured by construction)",
               "reweight": "the weights of the components present are re-normalised",
               "neutral": "it counts as at benchmark (0.5)"}.get(m.get("missing_evidence"), "")
    text = (f"Each theme's score is the weighted mean of {len(used)} components, each on a fixed 0-1 scale on which "
            f"0.5 means no different from the reference (so scores compare across scopes and sites): "
            f"{', '.join(used)}" + (f" ({', '.join(unused)}: weight 0, shown but not scored)" if unused else "") + ". "
            "Prevalence and negativity are compared with the scope's average theme on the odds scale; negativity is "
            f"shrunk towards the scope's pooled share by a beta prior ({m.get('negativity_prior')}); the survey gap "
            f"is each usable item's log-odds gap to its benchmark shrunk towards 0 ({m.get('survey_gap_shrinkage')}); "
            "driver importance weights the survey gap by the items' share of what explains the overall rating. "
            f"A theme without usable survey items is not scored as at benchmark: {missing}. ")
    ri = m.get("rank_intervals")
    if ri:
        text += (f"Rank intervals ({ri['confidence']:.0%}) and the probability of being in the top {ri['top']} come from "
                 f"{ri['n_boot']} bootstrap resamples of {ri['units']}, stratified by {ri['strata']} "
                 f"(random state {ri['random_state']}; {ri['held_fixed']} held fixed). ")
    text += (f"Percentages negative resting on fewer than {m.get('min_comments')} comments are not given; the others "
             "carry a 95% interval.")
    return text


def _survey_note(result) -> str:
    """The suppression rule and the benchmark rows used, in words."""
    sc, cfg = result.scores, result.config
    min_n = getattr(cfg, "suppress_below", 21)
    n_sup = int(sc["suppressed"].astype(bool).sum()) if "suppressed" in sc.columns else 0
    note = (f"Results from fewer than {min_n} respondents are suppressed: shown blank and not used in gaps, "
            f"z-scores, buddy pairing or comparisons ({n_sup:,} of {len(sc):,} cells in this run).")
    if "benchmark_source" in sc.columns:
        src = sc["benchmark_source"].dropna().astype(str)
        national = sorted({x.split(": ", 1)[1].rsplit(" (n", 1)[0] for x in src if x.startswith("national ") and ": " in x})
        sel = {k: v for k, v in (getattr(cfg, "benchmark_select", None) or {}).items() if v and k != "fallback"}
        if national:
            note += (" Benchmark: national rows " + "; ".join(national)
                     + (" (selected by " + ", ".join(f"{k} {v}" for k, v in sel.items()) + ")" if sel else "") + ".")
        other = src[~src.str.startswith("national ")]
        other = other.where(~other.str.startswith("none"), "no benchmark").value_counts()
        if len(other):
            from .survey.scoring import ALL_RESPONDENTS_SOURCE

            def counted(k, v):
                if k == ALL_RESPONDENTS_SOURCE:
                    return f"{v:,} compared with all respondents in this programme (there is no national figure)"
                return f"{v:,} with no benchmark" if k == "no benchmark" else f"{v:,} against {k}"
            note += " Other results: " + "; ".join(counted(k, v) for k, v in other.items()) + "."
    return note


#: the counts of the "What was read" tables: each source's rows read = rows kept + rows set aside, and each column
#: adds up over the sources to the run's totals
SOURCE_COUNTS = ("rows_read", "respondents_kept", "rows_kept", "rows_set_aside")
#: how a count of the "What was read" tables held back by secondary suppression reads
NOT_SHOWN = "not shown"


def counts_shown(table: pd.DataFrame, suppress_below: int | None, columns=SOURCE_COUNTS,
                 parts_of: dict | None = None, exact=(), totals=None) -> pd.DataFrame:
    """A table of counts (the sources read) as the report prints it: a count under ``suppress_below`` (and above
    0) reads "fewer than N", and a count that would give such a one back by arithmetic reads :data:`NOT_SHOWN`
    (:func:`pledge_analysis.survey.suppression.hold_lines`): a column in ``totals`` (None: every column) adds
    up over the rows to a total the page prints, and ``parts_of`` (``{total_column: [part columns]}``) names
    columns that add up within a row (rows read = rows kept + rows set aside); ``exact`` columns are printed
    as they are even when small (rows set aside: a count of the data's faults, not of people), unless one
    would give a hidden count back. Without a rule, the table as it is.

    >>> t = pd.DataFrame({"source_id": ["a.csv", "b.csv", "c.csv"], "rows_read": [70, 45, 4]})
    >>> counts_shown(t, 21, ["rows_read"])["rows_read"].tolist()
    ['70', 'not shown', 'fewer than 21']
    """
    from .codesign import small_count
    from .survey.suppression import hold_lines

    cols = [c for c in columns if c in table.columns]
    if not suppress_below or suppress_below <= 1 or not len(table) or not cols:
        return table
    num = {c: pd.to_numeric(table[c], errors="coerce") for c in cols}
    values = {(i, c): num[c][i] for c in cols for i in table.index if pd.notna(num[c][i])}
    summed = [c for c in cols if totals is None or c in totals]
    values.update({("total", c): max(int(num[c].fillna(0).sum()), suppress_below) for c in summed})  # shown
    lines = [(("total", c), [(i, c) for i in table.index if (i, c) in values]) for c in summed]
    lines += [((i, t), [(i, p) for p in parts if (i, p) in values]) for t, parts in (parts_of or {}).items()
              for i in table.index if (i, t) in values]
    small = {k for k, v in values.items() if k[0] != "total" and k[1] not in exact and 0 < int(v) < suppress_below}
    held = hold_lines(values, lines, suppress_below, hidden=small)
    out = table.copy()
    for c in cols:
        out[c] = [None if pd.isna(num[c][i]) else NOT_SHOWN if (i, c) in held else f"{int(num[c][i]):,}"
                  if c in exact else small_count(int(num[c][i]), suppress_below) for i in table.index]
    return out


#: How many of the least certain redactions the report lists (``least_certain`` lists more).
LEAST_CERTAIN_SHOWN = 15


def redaction_counts(review: pd.DataFrame) -> pd.DataFrame:
    """Redactions per source (rows) and label (columns), with a ``total`` column and an ``all sources``
    first row; from the review table (``redactions.csv``), so the two always agree."""
    from .text.deidentify import LABELS, counts_by_source

    by_source = counts_by_source(review)
    labels = [lab for lab in LABELS if any(lab in c for c in by_source.values())]
    rows = [{"source": src, **{lab: c.get(lab, 0) for lab in labels}} for src, c in sorted(by_source.items())]
    table = pd.DataFrame(rows, columns=["source", *labels])
    total = {"source": "all sources", **{lab: int(table[lab].sum()) for lab in labels}}
    table = pd.concat([pd.DataFrame([total]), table], ignore_index=True)
    table["total"] = table[labels].sum(axis=1).astype(int)
    return table


def deidentification_section(result, rel=lambda t: t) -> list[str]:
    """"De-identification": redactions per label and source, and the least certain ones (lowest confidence
    first) as a reviewer sees them in ``redactions.csv``: label, confidence, placeholder and the masked context,
    never the original value. ``rel`` writes a source's machine path relative (see :func:`write_report`)."""
    from .text.deidentify import least_certain

    review = getattr(result, "redactions", None)
    if review is None or not len(review):
        return ["<h2>De-identification</h2><p>Every comment, turn, speaker label and set-aside value was "
                "checked; no identifier was found to replace.</p>"]
    review = review.assign(source=[rel(s) if isinstance(s, str) else s for s in review["source"]])
    out = ["<h2>De-identification</h2><p>Identifiers were replaced before coding or export "
           "(review them in <code>redactions.csv</code>, which never shows the original values).</p>",
           "<h3>Redactions per source and label</h3>",
           _table(redaction_counts(review), max_rows=100, name="redactions_by_source")]
    weakest = least_certain(review, LEAST_CERTAIN_SHOWN).copy()
    weakest["confidence"] = [f"{x:.2f}" if pd.notna(x) else "" for x in weakest["confidence"]]
    weakest = weakest.rename(columns={"context": "masked context"})
    cols = [c for c in ("confidence", "label", "placeholder", "masked context", "source", "table")
            if c in weakest.columns]
    out += [f"<h3>The {len(weakest)} least certain redactions</h3><p class='note'>Lowest recognizer confidence "
            "first (names found by context alone have the lowest): check that each placeholder hides an identifier, and "
            "add words wrongly redacted to <code>deidentify: allow:</code> in project.yaml. The context is the "
            "de-identified text around the placeholder. To list more, in Python: <code>from pledge_analysis "
            "import least_certain; least_certain(pandas.read_csv(\"redactions.csv\"), n=100)</code> (or "
            "<code>below=0.7</code> for every weak one).</p>",
            _table(weakest, cols, name="least_certain_redactions")]
    return out


def _no_theme_part(result, shown: int = 30) -> list[str]:
    """How many comments and turns count under no theme, and the first ``shown`` of them (de-identified)."""
    from .machine_coding import no_theme

    lost = no_theme(result.segments, result.units)
    if not len(lost):
        return []
    total = (result.run_log.get("no_theme") or {}).get("of") or len(lost)
    return ["<h3>Comments that matched no theme</h3>",
            f"<p><strong>{len(lost):,} of {total:,} comments and turns ({len(lost) / total:.0%}) matched no theme "
            "of the codebook</strong>, so no priority rests on them. Add the words they use to the keywords of a "
            "theme in codebook.yaml (or a new theme) and run again, or code them in review. "
            + (f"The first {shown} are shown." if len(lost) > shown else "") + "</p>",
            _table(lost, ["source_id", "site", "group", "question_id", "text"], shown, name="no_theme")]


def coding_section(result, suppress_below: int | None = None) -> list[str]:
    """"How the comments were coded": which coder produced each theme count (people, rules, model) and,
    when the run trained a model, how good it is on the project's own reviewed codings (cross-validated).
    With ``suppress_below`` (the project's rule) a theme whose count is under it has that count, and the
    coder counts that add up to it, written "fewer than N", as the priorities' reasons write it."""
    mc, counts = getattr(result, "machine_coding", None), getattr(result, "coder_counts", None)
    if mc is None or counts is None:
        return []
    out = ["<h2>How the comments were coded</h2>",
           "<p class='note'>Each theme count below is the number of comments and turns coded with the theme "
           "(everyone): <em>people</em> = a reviewer accepted or added the code; <em>rules</em> = the codebook's "
           "keywords; <em>model</em> = a theme classifier trained on this project's reviewed codings (only where "
           "no person has reviewed the comment and the rules did not find the theme). Suggestions a reviewer "
           "rejected are not counted."
           + (f" A theme with fewer than {suppress_below} comments has its counts written “fewer than "
              f"{suppress_below}”, as in the reasons." if suppress_below and suppress_below > 1 else "") + "</p>",
           f"<p>{html.escape(mc.message)}</p>"]
    table = counts.rename(columns={"name": "theme name", "n_segments": "comments and turns", "human": "people",
                                   "rejected_by_people": "rejected by people"})
    if suppress_below and suppress_below > 1:
        from .codesign import small_count

        table = table.astype({c: object for c in ("comments and turns", "people", "rules", "model",
                                                  "rejected by people")})
        hidden = [0 < int(n) < suppress_below for n in counts["n_segments"]]
        for c in ("comments and turns", "people", "rules", "model", "rejected by people"):
            table[c] = [small_count(int(v), suppress_below) if h else int(v) for v, h in zip(table[c], hidden)]
    out.append(_table(table, ["theme", "theme name", "comments and turns", "people", "rules", "model",
                              "rejected by people"], 80, name="themes_by_coder"))
    out += _no_theme_part(result)
    if len(mc.quality):
        q = mc.quality.copy()
        for c in ("precision", "recall", "f1"):
            q[c] = [f"{x:.2f}" for x in q[c]]
        if mc.settings.get("finetune"):
            out.append("<h3>Model quality on the reviewed codings (held-out 15%)</h3><p class='note'>"
                       "The classifier averaged with a fine-tuned MiniLM head, scored on the 15% of reviewed comments "
                       "the fine-tuned head was not trained on; support = accepted comments among them; suggested = "
                       "model codes added in this run. Each code's threshold is tuned on the same comments, so these "
                       "are slightly optimistic. Also in <code>machine_coding_quality.csv</code>.</p>")
        else:
            out.append("<h3>Model quality on the reviewed codings (cross-validated)</h3><p class='note'>"
                       f"{mc.settings['folds']}-fold cross-validation on the reviewed comments: the model is scored on "
                       "comments it was not trained on; support = accepted comments; suggested = model codes added "
                       "in this run. Each code's threshold is tuned on the same folds, so these are slightly "
                       "optimistic. Also in <code>machine_coding_quality.csv</code>.</p>")
        out.append(_table(q, ["code_id", "name", "precision", "recall", "f1", "support", "suggested"], 80,
                          name="machine_coding_quality"))
    return out


def standards_verdicts_table(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit's verdicts, hospitals by standards (:func:`pledge_analysis.standards.verdict_matrix`), with the
    hospital's name beside its code and each standard's column headed by its statement, cut short, and its id
    ("Every patient has a named clinical… (CNS)"), not the id alone."""
    from .plots import question_label
    from .standards import verdict_matrix

    m = verdict_matrix(audit).reset_index()
    m.insert(1, "hospital", m["site"].map(dict(zip(audit["site"], audit["site_name"]))))
    statements = dict(zip(audit["standard_id"].astype(str), audit["statement"]))
    return m.rename(columns={c: question_label(c, statements, 40) for c in m.columns[2:]})


def priority_chart_title(group: str) -> str:
    """The heading of a group's priority chart: ``"Priorities: Primary breast cancer patients"``; the whole
    round's is ``"Priorities: everyone"``."""
    from .pledge import WHO

    return "Priorities: everyone" if group == "all" else f"Priorities: {WHO.get(str(group), str(group))}"


def standards_section(result, suppress_below: int | None = None) -> list[str]:
    """The "Standards audit" section: the framework's name and note, the rule, a table of verdicts (hospitals
    by standards) and the evidence behind each verdict; nothing when the run audited no standards."""
    audit = getattr(result, "standards_audit", None)
    if audit is None:
        return []
    std = getattr(result, "standards", None)
    attrs = dict(std.attrs) if std is not None else {}
    name, note = attrs.get("name") or "Standards", attrs.get("note") or ""
    out = [f"<h2>Standards audit</h2><p><b>{html.escape(name)}</b>" + (f": {html.escape(note)}" if note else "")
           + "</p><p class='note'>Each hospital against each standard, from the evidence the run already has. A survey "
             "question falls short when its whole 95% interval is below the standard's target or its benchmark "
             "(national, or the programme average where no national figure exists); the comments coded to the "
             "standard's codes fall short when the 95% interval of their share negative lies wholly above the "
             "standard's threshold. <b>Not met</b>: all the usable evidence falls short; <b>partly met</b>: some of "
             "it; <b>met</b>: none of it (no shortfall shown, not proof); <b>insufficient evidence</b>: nothing "
             "usable (results suppressed, too few comments). The table is <code>standards_audit.csv</code>.</p>"]
    if not len(audit):
        return out + ["<p>No hospital to audit.</p>"]
    out.append(_table(standards_verdicts_table(audit), name="standards_verdicts"))
    from .codesign import small_count

    # the texts as the audit wrote them for showing (standards.standards_audit: small counts "fewer than N")
    shown = audit.drop(columns=["reason", "survey_figures"]).rename(
        columns={"standard_id": "standard", "n_comments": "comments", "n_negative": "negative",
                 "survey_figures_shown": "survey figures", "reason_shown": "reason"})
    held = shown["counts_held_back"].fillna("").astype(str) if "counts_held_back" in shown.columns else \
        pd.Series("", index=shown.index)
    for c, col in (("comments", "n_comments"), ("negative", "n_negative")):  # the suppression rule, as in the reasons
        if c in shown.columns:
            shown[c] = [NOT_SHOWN if col in h.split("; ") else small_count(int(x), suppress_below) if pd.notna(x)
                        else "" for x, h in zip(shown[c], held)]
    out.append(_table(shown, ["site", "standard", "statement", "group", "verdict", "reason", "comments", "negative",
                              "survey figures"], max_rows=500, name="standards_audit"))
    return out


def priorities_table_html(top: pd.DataFrame, suppress_below: int | None, wording: dict,
                          cols: list[str] | None = None) -> str:
    """The report's priorities table: the reasons and survey evidence as written for showing
    (``reason_shown``, ``survey_evidence_shown``: small counts read "fewer than N"; a table without them,
    of an earlier release, has them written from ``reason`` by :func:`pledge_analysis.codesign.shown_texts`)."""
    from .codesign import shown_texts

    top = shown_texts(top, suppress_below)
    cols = list(cols or ["scope_type", "scope", "rank", "name", "priority score", "reason", "quotes"])
    top["priority score"] = [f"{x:.2f}" if pd.notna(x) else "" for x in top["priority_score"]]
    top["reason"] = top["reason_shown"]
    top["survey evidence"] = [_words_for_codes(x, wording) if isinstance(x, str) else ""
                              for x in top["survey_evidence_shown"]]
    cols.insert(cols.index("reason") + 1, "survey evidence")
    return _table(top, cols, 80, name="priorities")


def plan_table_html(plan: pd.DataFrame, codebook: pd.DataFrame | None = None) -> str:
    """The report's draft action plan: each goal's area by its name (the codebook's ``name`` of its ``theme``;
    the code where the codebook does not name it), not its theme code. ``action_plan.xlsx`` keeps ``theme``."""
    names = ({} if codebook is None or not {"code_id", "name"} <= set(codebook.columns)
             else dict(zip(codebook["code_id"].astype(str), codebook["name"].astype(str))))
    shown = plan.assign(area=[names.get(str(t), t) for t in plan["theme"]]) if "theme" in plan.columns else plan
    cols = [c for c in ["goal_id", "scope", "area", "you_said", "we_plan_to", "by", "status"] if c in shown.columns]
    return _table(shown, cols, name="action_plan")


def no_goal_note(at_least: int) -> str:
    """The note above "Top-ranked areas with no draft goal": the two reasons an area gets none (its column
    ``why`` says which), so that one ruled out on its evidence as a whole is not read as "too few concerns"."""
    return (f"A draft goal needs at least {at_least} negative comments about the area in its scope, or its survey "
            "questions below the benchmark (<code>priorities: min_concerns</code> in project.yaml), and evidence "
            "that does not, as a whole, say the area is not a priority; each area below missed one of these (its "
            "“why” says which), so the next area was taken. The co-design group may still choose them.")


def write_report(result, path: str | Path) -> None:
    """Write ``report.html`` for a :class:`pledge_analysis.pipeline.RunResult`.

    Sections (each an ``<h2 id=...>`` linked from the contents list at the top): what was read,
    de-identification, how the comments were coded (:func:`coding_section`), prioritised improvement
    areas, the standards audit (when project.yaml names a standards file), draft action plan, learning
    across hospitals (when there is more than one site) and survey scores. The priorities' reasons and
    survey evidence are printed as the run wrote them for showing (``reason_shown``,
    ``survey_evidence_shown``: small counts read "fewer than N")."""
    path = Path(path)
    wording = question_wording(result)
    min_n = getattr(result.config, "suppress_below", 21) or None  # the privacy rule, for every small count
    roots = [str(path.resolve().parent), str(path.parent), str(Path.home())]
    project_dir = getattr(result.config, "root", None) or getattr(result.config, "project_dir", None)
    if project_dir:
        roots += [str(project_dir), str(Path(project_dir).resolve())]
    rel = lambda t: _relative(str(t), roots)  # noqa: E731
    figs = []
    pr = result.priorities
    if len(pr):
        figs.append((priority_chart_title("all"), plots.priority_bars(pr, scope="all")))
        for g in sorted(pr.loc[pr["scope_type"] == "group", "scope"].unique()):
            figs.append((priority_chart_title(g), plots.priority_bars(pr, scope=g)))
    theme_figs = []  # after the priorities table: the themes behind it
    if len(result.themes):
        theme_figs.append(("Negativity by theme and group", plots.theme_heatmap(result.themes, scope_type="group",
                                              min_comments=(result.run_log.get("priorities") or {}).get("min_comments"),
                                              suppress_below=min_n, units=result.units)))
        theme_figs.append(("Prevalence by theme and site",  # no share of a hidden count (it and the total give it)
                           plots.theme_heatmap(result.themes, scope_type="site", value="prevalence",
                                               suppress_below=min_n, units=result.units)))
    survey_fig = None  # in the survey section, above the table it draws
    if len(result.scores):
        labelled = result.scores.copy()
        short = {k: (v if len(v) <= 70 else v[:67].rstrip() + "...") for k, v in wording.items()}
        labelled["question_id"] = [question_label(q, short) for q in labelled["question_id"]]
        survey_fig = plots.survey_forest(labelled)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(result.config.name)}</title>"
             f"<style>{CSS}</style>{interactive_tables_script()}</head><body>",
             f"<h1>{html.escape(result.config.name)}</h1>",
             f"<p class='note'>Round {html.escape(result.config.round)} · pledge_analysis "
             f"{result.run_log.get('pledge_analysis')} · text pipeline: {html.escape(str(result.run_log.get('nlp_pipeline')))}</p>"]
    contents_at = len(parts)
    for w in result.run_log.get("warnings", []):
        parts.append(f"<p class='warn'>Warning: {html.escape(rel(w))}</p>")
    rows = result.run_log["rows"]
    parts.append("<h2>What was read</h2><p>"
                 f"{rows['respondents_kept']:,} respondents, {rows['answers_kept']:,} survey answers and "
                 f"{rows['segments_kept']:,} comments and transcript turns kept; {rows['set_aside']:,} rows or answers "
                 "set aside (listed in <code>set_aside.csv</code>).</p>"
                 f"<p class='note'>{DOWNLOAD_NOTE} Counts of comments, people and answers under the project's "
                 f"suppression rule ({min_n or 0}) read “fewer than {min_n or 0}” in the reasons, survey figures, "
                 "standards audit and the tables below; a count that would give such a one back by subtraction "
                 f"reads “{NOT_SHOWN}” (the output files keep every count).</p>")
    sources = pd.DataFrame(result.run_log["sources"])
    for c in ("source_id", "path"):
        if c in sources.columns:
            sources[c] = [rel(x) if isinstance(x, str) else x for x in sources[c]]
    # no exact small count of a source (often one hospital's export), nor one worked out from the others
    # (a survey's rows kept are its respondents kept, one row each; the page prints the respondents' total)
    parts.append(_table(counts_shown(sources, min_n, parts_of={"rows_read": ["rows_kept", "rows_set_aside"],
                                                               "respondents_kept": ["rows_kept"]},
                                     exact=("rows_set_aside",), totals=("respondents_kept",)), name="sources"))
    if result.run_log.get("set_aside_by_reason"):
        parts.append(_table(pd.Series(result.run_log["set_aside_by_reason"], name="rows").rename_axis("reason").reset_index(),
                            name="set_aside_by_reason"))
    parts += deidentification_section(result, rel)
    parts += coding_section(result, min_n)
    parts.append("<h2>Prioritised improvement areas</h2>"
                 f"<p class='note'>{html.escape(priority_methods(result.run_log))}</p>")
    plotly_js = [True]  # plotly.js goes into the page once, with the first figure

    def figure(title: str, fig) -> None:
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(fig.to_html(full_html=False, include_plotlyjs=plotly_js[0], config={"displaylogo": False},
                                 div_id=f"fig{len(parts)}"))
        plotly_js[0] = False

    for title, fig in figs:
        figure(title, fig)
    if len(pr):
        from .priorities import NOT_RANKED, unranked_scopes

        unranked = unranked_scopes(pr)
        top = rank_columns(pr[pr["rank"] <= 5], unranked)
        if unranked:
            parts.append(f"<p class='note'>Not ranked ({html.escape(', '.join(s for _, s in sorted(unranked)))}): "
                         f"{html.escape(NOT_RANKED)}</p>")
        if "rank_low" in top.columns and top["rank_low"].notna().any():
            cols = ["scope_type", "scope", "rank (95% interval)", "in top 3", "name", "priority score", "reason",
                    "quotes"]
        else:
            cols = ["scope_type", "scope", "rank", "name", "priority score", "reason", "quotes"]
        parts.append(priorities_table_html(top, min_n, wording, cols))
    names = {str(c): str((i or {}).get("name") or c) if isinstance(i, dict) else str(c)
             for c, i in (result.config.sites or {}).items()}
    sites_note = ("<p class='note'>Sites: " + "; ".join(f"<b>{html.escape(c)}</b> {html.escape(n)}"
                                                       for c, n in names.items()) + ".</p>"
                  if any(n != c for c, n in names.items()) else "")  # a chart labelled with codes says who each is
    for title, fig in theme_figs:
        figure(title, fig)
        if "site" in title:
            parts.append(sites_note)
    parts += standards_section(result, min_n)
    parts.append("<h2>Draft action plan</h2><p class='note'>“You said” is drawn from de-identified comments; "
                 "the co-design group fills “We plan to” and “By” (edit <code>action_plan.xlsx</code>).</p>")
    if len(result.action_plan):
        parts.append(plan_table_html(result.action_plan, getattr(result, "codebook", None)))
    no_goal = getattr(result, "no_goal", None)
    if no_goal is not None and len(no_goal):
        from .pledge import MIN_CONCERNS

        at_least = (getattr(result.config, "priorities", None) or {}).get("min_concerns", MIN_CONCERNS)
        parts.append(f"<h3>Top-ranked areas with no draft goal</h3><p class='note'>{no_goal_note(at_least)}</p>")
        parts.append(_table(no_goal, ["scope_type", "scope", "rank", "name", "why"], name="no_goal"))
    if result.cross_site is not None and len(result.cross_site):
        parts.append("<h2>Learning across hospitals</h2><p class='note'>Priority score of each theme at each "
                     "site (fixed scale: 0.5 = unremarkable, the same meaning at every site); "
                     "buddy pairs match a site's weakest themes with a service strong on them "
                     "(optimal assignment, each mentor helps at most two others, same region preferred). A buddy "
                     "reason's strength is the mean of the theme's survey z-score against the benchmark at that site "
                     "and how far its negativity there is below the sites' average (in standard deviations); higher "
                     "is stronger.</p>")
        parts.append(sites_note)
        few = unranked_sites_note(pr, names)
        if few:
            parts.append(f"<p class='note'>{html.escape(few)}</p>")
        parts.append(plots.site_priority_heatmap(result.cross_site, sites=list(result.config.sites or ()),
                                               themes=_theme_names(result)).to_html(full_html=False,
                                                                           include_plotlyjs=plotly_js[0],
                                                                           div_id="cross_site"))
        plotly_js[0] = False
        if result.buddies is not None and len(result.buddies):
            buddies = result.buddies.copy()  # "same region" says nothing about a need left unpaired
            buddies["same_region"] = [("yes" if same else "no") if b else ""
                                      for b, same in zip(buddies["buddy"], buddies["same_region"])]
            parts.append(_table(buddies, ["site", "name", "buddy", "same_region", "reason"], name="buddy_pairs"))
    if len(result.scores):
        parts.append("<h2>Survey scores (all respondents)</h2>")
        s = result.scores[(result.scores["site"] == "all") & (result.scores["group"] == "all")]
        parts.append(f"<p class='note'>{html.escape(rel(_survey_note(result)))} Gaps are in percentage points "
                     "for proportions and in points on the 0-10 scale for means; \"No benchmark\" means no national "
                     "figure exists for that question, so no gap is claimed.</p>")
        if survey_fig is not None:
            figure("Percentage positive by question, with the benchmark", survey_fig)
        parts.append(_table(survey_table(s, wording, min_n), name="survey_scores"))
    parts.append("</body></html>")
    parts = _with_ids(parts)
    heads = [(m.group(1), html.unescape(m.group(2))) for p in parts for m in re.finditer(r"<h2 id='([^']+)'>(.*?)</h2>", p)]
    parts.insert(contents_at, "<nav class='contents'><strong>Contents</strong><ol>"
                 + "".join(f"<li><a href='#{i}'>{html.escape(t)}</a></li>" for i, t in heads) + "</ol></nav>")
    write_text(path, "\n".join(parts))  # complete, or not at all


def _with_ids(parts: list[str]) -> list[str]:
    """Give every ``<h2>`` an ``id`` (from its text) for the contents list."""
    seen: set[str] = set()

    def one(m: re.Match) -> str:
        base = _slug(html.unescape(m.group(1)))
        i, n = base, 2
        while i in seen:
            i, n = f"{base}-{n}", n + 1
        seen.add(i)
        return f"<h2 id='{i}'>{m.group(1)}</h2>"
    return [re.sub(r"<h2>(.*?)</h2>", one, p) if "<h2>" in p else p for p in parts]
