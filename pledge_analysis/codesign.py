"""The co-design pack: what a facilitator puts on the table at a hospital's co-design meeting.

One printable A4 page per prioritised area of the hospital (its top ``top`` areas), with

- the concern statement(s) the draft plan holds for it ("You said"),
- what people said: how many comments and people raised it, how many negatively, per group,
  and a few de-identified quotes from different groups and sources (the most negative first),
- the survey figures of the area's questions at this hospital, with the question's wording, the
  95% interval, the number answering and the benchmark (or "no benchmark"),
- how sure the ranking is, in words (:func:`rank_certainty`: the rank interval and how often the area
  was in the top three when the data were resampled),
- empty boxes for the group's "We plan to", "By", owner and how they will know it worked;

and, when the project names a standards file, a last page with the hospital's audit against it
(:mod:`pledge_analysis.standards`: each standard, its verdict and the evidence behind it).

Written as a self-contained HTML page and a PDF of it (:func:`write_codesign`).
"""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pandas as pd

from . import schema


def area_pages(site: str, *, priorities: pd.DataFrame, units: pd.DataFrame, codebook: pd.DataFrame,
               plan: pd.DataFrame | None = None, scores: pd.DataFrame | None = None,
               questions: pd.DataFrame | None = None, top: int = 5, n_quotes: int = 3,
               n_boot: int | None = None, suppress_below: int = 21, min_concerns: int | None = None) -> list[dict]:
    """The content of each page of ``site``'s pack, in rank order (plain data; :func:`codesign_html`
    lays it out). ``n_boot``: the resamples behind the rank intervals (for the wording);
    ``suppress_below``: the run's suppression rule (``suppress_below:`` in project.yaml), named when a
    survey result is not shown; ``min_concerns`` (``priorities: min_concerns``): what a draft goal needs, said
    on the page of an area the draft plan has no goal for (``no_goal``: why, in words)."""
    from .pledge import GOALS_PER_SCOPE, MIN_CONCERNS, _pick_quotes, no_goal_reason

    from .priorities import held_back, held_cells

    units = schema.rename_legacy(units, "units")
    # the counts the reasons withhold, withheld here too, and the hospital's counts by group held by the same rule
    held = held_back(priorities, suppress_below, units=units)
    cells = held_cells(priorities, suppress_below, units) if suppress_below and suppress_below > 1 and len(priorities) \
        else {}
    from .survey.suppression import with_held_back

    scores = with_held_back(scores, suppress_below)  # and the survey figures the rule holds back
    pr = priorities[(priorities["scope_type"] == "site") & (priorities["scope"].astype(str) == str(site))]
    n_areas = len(pr)
    from .priorities import NOT_RANKED, unranked_scopes

    ranked = ("site", str(site)) not in unranked_scopes(pr)  # no area stands out: no rank, no "top three"
    pr = pr.sort_values("rank", kind="stable").head(top)
    cb = codebook.set_index("code_id")
    wording = dict(zip(questions["question_id"], questions["text"])) if questions is not None and len(questions) else {}
    here = units[units["site"].astype(str) == str(site)] if len(units) else units
    pages = []
    for i, r in zip(pr.index, pr.itertuples(index=False)):
        u = here[here["theme"] == r.theme]
        neg = u[u["sentiment"] == "negative"].sort_values(["sentiment_score", "segment_id"], kind="stable")
        comments: dict[str, set] = {}
        negative: dict[str, set] = {}
        for seg, group, sentiment in zip(u["segment_id"], u["group"].astype(str), u["sentiment"]):
            comments.setdefault(group, set()).add(seg)
            if sentiment == "negative":
                negative.setdefault(group, set()).add(seg)
        by_group = [{"group": g, "comments": len(comments[g]), "negative": len(negative.get(g, ())),
                     "held": [k for k, c in (("comments", "n_segments"), ("negative", "n_negative"))
                              if (str(site), g) in cells.get((r.theme, c), ())]} for g in sorted(comments)]
        concerns, no_goal = [], None
        if plan is not None:
            no_goal = no_goal_reason(r, neg if len(u) else None, MIN_CONCERNS if min_concerns is None else min_concerns)
            full = len(plan) and (plan["scope"].astype(str) == str(site)).sum() >= GOALS_PER_SCOPE
            if not no_goal and full:  # evidence enough, but the hospital's goals went to areas ranked above
                no_goal = (f"the draft plan holds {GOALS_PER_SCOPE} goals for each hospital, taken from the areas "
                           "ranked above it")
        if plan is not None and len(plan):
            mine = plan[(plan["scope"].astype(str) == str(site)) & (plan["theme"] == r.theme)]
            concerns = [(str(s), str(a or "patients")) for s, a in zip(mine["you_said"], mine["audience"])]
        items = cb.at[r.theme, "survey_items"] if r.theme in cb.index else []
        survey = []
        if scores is not None and len(scores) and isinstance(items, list):
            sc = scores[(scores["site"].astype(str) == str(site)) & (scores["group"].astype(str) == "all")]
            for q in items:
                row = sc[sc["question_id"] == q]
                if row.empty:
                    continue
                survey.append(_survey_line(q, wording.get(q, ""), row.iloc[0], suppress_below=suppress_below))
        survey, more = _fit_survey_lines(survey)
        pages.append({
            "rank": int(r.rank), "theme": r.theme, "name": str(r.name), "concerns": concerns,
            "no_goal": None if concerns or no_goal is None else no_goal,
            "comments": int(u["segment_id"].nunique()), "people": int(u["respondent_id"].dropna().nunique()),
            "negative": int(neg["segment_id"].nunique()), "by_group": by_group,
            "quotes": _pick_quotes(neg, "site", n_quotes, set()) if len(neg) else [], "survey": survey,
            "survey_more": more,
            "certainty": rank_certainty(int(r.rank), getattr(r, "rank_low", None), getattr(r, "rank_high", None),
                                        getattr(r, "p_top3", None), n_boot=n_boot, n_areas=n_areas)
            if ranked else NOT_RANKED,
            "ranked": ranked,
            "withheld": [k for k, c in (("comments", "n_segments"), ("negative", "n_negative"),
                                        ("people", "n_respondents")) if c in held.columns and held.at[i, c]],
        })
    return pages


def ordinal(n: int) -> str:
    """``1`` -> ``"1st"``, ``2`` -> ``"2nd"``, ``11`` -> ``"11th"``, ``22`` -> ``"22nd"``.

    >>> [ordinal(i) for i in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '103rd']
    """
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


#: How sure the rank is of a hospital's only area (the view and the pack: never "ranked 1st of 1 areas")
ONLY_AREA = "The only area raised here, so it has no rank among others."


def rank_certainty(rank: int, low=None, high=None, p_top3=None, *, n_boot: int | None = None,
                   n_areas: int | None = None) -> str:
    """How sure a ranking is, in plain words, from the rank interval (``rank_low``-``rank_high``, the middle
    95% of the resampled ranks) and ``p_top3`` (share of resamples with the area in the top three).

    >>> rank_certainty(2, 1, 4, 0.71, n_boot=100, n_areas=12)
    'Ranked 2nd of 12 areas. In 100 resamples of the data it ranked between 1st and 4th (95 times in 100), and in the top three 71 times in 100: it is probably among the top three.'
    >>> rank_certainty(3, 1, 3, 1.0, n_boot=100, n_areas=3)
    'Ranked 3rd of 3 areas. In 100 resamples of the data it ranked between 1st and 3rd (95 times in 100). With only 3 areas here, every area is in the top three, so that says nothing about this one.'
    >>> rank_certainty(3)
    'Ranked 3rd. How sure this is was not measured (priorities: resamples is 0).'
    >>> rank_certainty(1, n_boot=100)
    'Ranked 1st. How sure this is cannot be measured: the comments here come from one person or one focus group, so resampling them changes nothing.'
    """
    if n_areas == 1:
        return ONLY_AREA
    head = f"Ranked {ordinal(rank)}" + (f" of {n_areas} areas" if n_areas else "") + "."
    if not (schema.present(low) and schema.present(high) and schema.present(p_top3)):
        if n_boot:  # resamples ran, but not here: the comments come from one unit
            from .uncertainty import ONE_UNIT

            return f"{head} {ONE_UNIT}"
        return head + " How sure this is was not measured (priorities: resamples is 0)."
    lo, hi, p = int(low), int(high), float(p_top3)
    times = f"In {n_boot} resamples of the data" if n_boot else "When the data were resampled"
    where = (f"it ranked {ordinal(lo)} at least 95 times in 100" if lo == hi
             else f"it ranked between {ordinal(lo)} and {ordinal(hi)} (95 times in 100)")
    if n_areas and n_areas <= 3:  # every area is in the top three: saying so would read as a finding
        return (f"{head} {times} {where}. With only {n_areas} areas here, every area is in the top three, so "
                "that says nothing about this one.")
    k = int(round(100 * p))
    top = ("every time" if k == 100 else "never" if k == 0 else f"{k} {'time' if k == 1 else 'times'} in 100")
    sure = ("almost certainly among the top three" if p >= 0.9 else "probably among the top three" if p >= 0.5
            else "possibly among the top three" if p >= 0.1 else "unlikely to be among the top three")
    return f"{head} {times} {where}, and in the top three {top}: it is {sure}."


def _pct(x) -> str:
    return f"{100 * float(x):.0f}%"


def _benchmark_words(source: str) -> str:
    """A benchmark's source in words: ``"national Q2: 2024, Breast (n 10,533)"`` -> ``"national, 2024, Breast;
    10,533 answers"``; other sources as they are.

    >>> _benchmark_words("national Q2: 2024, Breast (n 10,533)")
    'national, 2024, Breast; 10,533 answers'
    >>> _benchmark_words("all respondents (no national benchmark)")
    'all respondents in this programme; there is no national figure'
    """
    import re

    from .survey.scoring import ALL_RESPONDENTS_SOURCE  # (scipy: imported when a pack is written)

    if source == ALL_RESPONDENTS_SOURCE:
        return "all respondents in this programme; there is no national figure"

    m = re.fullmatch(r"national [^:]+: (.*?)(?: \(n ([\d,]+)\))?", source)
    if not m:
        return source
    return "national, " + m.group(1) + (f"; {m.group(2)} answers" if m.group(2) else "")


MAX_SURVEY_LINES = 3  # an area's page is one printed A4 form: more questions than this push it onto two pages


def _fit_survey_lines(lines: list[dict], most: int = MAX_SURVEY_LINES) -> tuple[list[dict], list[str]]:
    """The survey lines an area's page prints, and the ids of those left for the report.

    At most ``most`` lines: the questions furthest below their benchmark first, then the rest (no
    benchmark, or not shown), printed in the codebook's order; the page names the others (:func:`codesign_html`).

    >>> lines = [{"question_id": q, "gap": g} for q, g in [("A", -1), ("B", -9), ("C", None), ("D", 2), ("E", -3)]]
    >>> [l["question_id"] for l in _fit_survey_lines(lines, 3)[0]], _fit_survey_lines(lines, 3)[1]
    (['A', 'B', 'E'], ['C', 'D'])
    """
    if len(lines) <= most:
        return lines, []
    order = sorted(range(len(lines)), key=lambda i: (lines[i].get("gap") is None, lines[i].get("gap") or 0, i))
    keep = sorted(order[:most])
    return [lines[i] for i in keep], [lines[i]["question_id"] for i in sorted(order[most:])]


def _and(words: list[str]) -> str:
    """``["Q13", "Q15", "OAF"]`` -> ``"Q13, Q15 and OAF"``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _survey_line(qid: str, text: str, s, *, suppress_below: int = 21) -> dict:
    """One survey figure in words: result, interval, number answering, benchmark."""
    mean = str(s.get("kind")) == "mean"
    fmt = (lambda v: f"{float(v):.1f}") if mean else _pct
    if bool(s.get("suppressed")) or not schema.present(s.get("estimate")):
        result = f"not shown: fewer than {suppress_below} answers"  # the small number itself is not printed
    elif bool(s.get("held_back")):  # secondary suppression (survey.suppression.held_back_scores)
        from .survey.suppression import HELD_BACK_WORDS

        result = HELD_BACK_WORDS
    else:
        result = f"{fmt(s['estimate'])} (95% interval {fmt(s['ci_low'])} to {fmt(s['ci_high'])}; {int(s['n'])} answers)"
        if not mean:
            result = f"{fmt(s['estimate'])} positive" + result[len(fmt(s['estimate'])):]
    bench = s.get("benchmark")
    source = str(s.get("benchmark_source") or "").strip() if schema.present(s.get("benchmark_source")) else ""
    benchmark = (f"{fmt(bench)}" + (f" ({_benchmark_words(source)})" if source else "")) if schema.present(bench) \
        else "no benchmark"
    shown = not (bool(s.get("suppressed")) or bool(s.get("held_back"))) and schema.present(s.get("estimate"))
    gap = float(s["estimate"]) - float(bench) if shown and schema.present(bench) else None
    return {"question_id": qid, "text": text or qid, "result": result, "benchmark": benchmark, "gap": gap}


_CSS = """
@page { size: A4; margin: 15mm 14mm 16mm;
        @bottom-center { content: "Co-design pack · page " counter(page) " of " counter(pages); font-size: 10pt;
                         color: #4c6272; } }
html { font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.3;
       color: #212b32; }
body { max-width: 60rem; margin: 0 auto; }
h1 { color: #005eb8; font-size: 24pt; margin: 0 0 4pt; }
h2 { color: #005eb8; font-size: 18pt; margin: 0 0 6pt; border-bottom: 3px solid #005eb8; }
h3 { font-size: 13pt; margin: 10pt 0 3pt; }
section.area { break-before: page; page-break-before: always; }
@media screen { section.area { margin-top: 24pt; } }  /* on screen, space between one area's form and the next */
.concern { font-size: 14pt; font-weight: bold; margin: 4pt 0; }
.staff { font-weight: normal; font-size: 11pt; color: #4c6272; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #aeb7bd; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #e8edee; }
tr { break-inside: avoid; }
blockquote { margin: 3pt 0 3pt 10pt; padding-left: 8pt; border-left: 4px solid #41b6e6; font-size: 10pt; }
.box { border: 2px solid #005eb8; height: 20mm; margin: 2pt 0 4pt; }
.row h3 { font-size: 11pt; margin-top: 6pt; }
.small { height: 10mm; }
.row { display: flex; gap: 8pt; } .row > div { flex: 1; }
.sure { background: #e8edee; padding: 3pt 6pt; margin: 3pt 0; font-size: 10pt; }
table.audit td { font-size: 10pt; } .figures { margin: 2pt 0 0 12pt; padding: 0; font-size: 9pt; color: #4c6272; }
.verdict { font-weight: bold; }
table.audit th:nth-child(1) { width: 30%; } table.audit th:nth-child(2) { width: 13%; } .v-met { color: #007f3b; } .v-partly-met { color: #8a5a00; }
.v-not-met { color: #d5281b; } .v-insufficient-evidence { color: #4c6272; }
"""


VERDICT_MARKS = {"met": "✓ Met", "partly met": "◐ Partly met", "not met": "✗ Not met",
                 "insufficient evidence": "? Insufficient evidence"}


def standards_page(audit: pd.DataFrame | None, *, name: str = "", note: str = "") -> str:
    """The pack's last page: the hospital's rows of the standards audit (verdict, why, the survey figures);
    empty without an audit."""
    if audit is None or not len(audit):
        return ""
    e = html.escape
    rows = []
    for r in audit.itertuples(index=False):
        # the texts written for showing (small counts "fewer than N"; an earlier release's audit: as it is)
        reason, figures = getattr(r, "reason_shown", r.reason), getattr(r, "survey_figures_shown", r.survey_figures)
        figures = [f for f in str(figures or "").split(" | ") if f.strip()]
        rows.append(f"<tr><td><b>{e(str(r.standard_id))}</b> {e(str(r.statement))}"
                    + (f"<span class='staff'> (for {e(str(r.group))} patients)</span>" if r.group != "all" else "")
                    + f"</td><td class='verdict v-{e(str(r.verdict).replace(' ', '-'))}'>"
                      f"{e(VERDICT_MARKS.get(r.verdict, str(r.verdict)))}</td><td>{e(str(reason))}"
                    + ("<ul class='figures'>" + "".join(f"<li>{e(f)}</li>" for f in figures) + "</ul>" if figures else "")
                    + "</td></tr>")
    return ("<section class='area standards'><h2>Standards: how this hospital measures up</h2>"
            f"<p>{e(name or 'Standards')}{': ' + e(note) if note else ''}</p>"
            "<p class='staff'>Rule: a survey question falls short when its whole 95% interval is below its target or "
            "benchmark; the comments fall short when clearly most of them are negative. Not met: all the usable "
            "evidence falls short; partly met: some of it; met: none of it; insufficient evidence: nothing usable "
            "(too few answers or comments).</p>"
            "<table class='audit'><thead><tr><th>Standard</th><th>Verdict</th><th>Evidence</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></section>")


def small_count(n: int, suppress_below: int | None) -> str:
    """A count as the pack prints it: under the project's ``suppress_below`` (and above 0) it is "fewer than
    N", as survey results are, so that a handful of people (two staff, say) cannot be recognised.

    >>> small_count(5, 21), small_count(0, 21), small_count(21, 21), small_count(5, None)
    ('fewer than 21', '0', '21', '5')
    """
    n = int(n)
    return f"fewer than {suppress_below}" if suppress_below and 0 < n < suppress_below else f"{n:,}"


#: how the pack writes a group's count hidden so that a small one cannot be worked out from the total
NOT_SHOWN = "not shown"
#: how the pack writes a count the reasons withhold (:func:`pledge_analysis.priorities.held_back`)
WITHHELD = "a withheld number"


def group_counts_shown(by_group: list[dict], *, total: dict, suppress_below: int | None,
                       columns: tuple[str, ...] = ("comments", "negative")) -> list[dict]:
    """The pack's per-group table as printed: each count written by :func:`small_count`, and, in a column
    whose total the page prints (``total``, not itself hidden), where exactly one group's count is hidden
    the smallest other one is written :data:`NOT_SHOWN` too: otherwise the total minus the shown groups gives
    the hidden one back (30 comments, 25 of them from patients: 5 from staff). A total of None is withheld
    (:func:`pledge_analysis.priorities.held_back`): then the groups, all shown, would add up to it, and the
    smallest is written :data:`NOT_SHOWN`. Groups that carry ``held`` (the columns held back by
    :func:`pledge_analysis.priorities.held_cells`, as :func:`area_pages` gives them, which also counts the lines a
    group's hospitals make) are written by that alone.

    >>> groups = [{"group": "primary", "comments": 25}, {"group": "staff", "comments": 5}]
    >>> [g["comments"] for g in group_counts_shown(groups, total={"comments": 30}, suppress_below=21,
    ...                                             columns=("comments",))]
    ['not shown', 'fewer than 21']
    """
    from .survey.suppression import second_to_hold

    out = [dict(g) for g in by_group]
    for col in columns:
        values = [int(g.get(col) or 0) for g in by_group]
        shown = [small_count(v, suppress_below) for v in values]
        if any("held" in g for g in by_group):  # held by the programme-wide rule (priorities.held_cells)
            for g, text in zip(out, shown):
                g[col] = NOT_SHOWN if col in (g.get("held") or ()) else text
            continue
        t = total.get(col)  # None: the total is withheld, so the groups must not add up to it either
        total_shown = t is not None and not (suppress_below and 0 < int(t) < suppress_below)
        if t is None and not (suppress_below and any(0 < v < suppress_below for v in values)):
            nonzero = [i for i, v in enumerate(values) if v > 0]  # all shown: they would add up to the total
            pos = min(nonzero, key=lambda i: (values[i], i)) if nonzero else None
        else:
            pos = second_to_hold(values, suppress_below) if total_shown and suppress_below else None
        if pos is not None:
            shown[pos] = NOT_SHOWN
        for g, text in zip(out, shown):
            g[col] = text
    return out


_NUM = r"(\d[\d,]*)"


def shown_texts(priorities: pd.DataFrame, suppress_below: int | None) -> pd.DataFrame:
    """``priorities`` with ``reason_shown`` and ``survey_evidence_shown`` filled in where they are empty or
    absent (a priorities table of an earlier release, or one joined to rank intervals by
    :func:`pledge_analysis.uncertainty.with_rank_intervals` from a notebook): written from ``reason`` and
    ``survey_evidence`` with the small counts rewritten (:func:`small_counts_in_text`); texts the run wrote
    are kept as they are. ``reason`` and ``survey_evidence`` are not changed.

    >>> old = pd.DataFrame({"reason": ["raised in only 7 comments (7 people)"], "survey_evidence": [""]})
    >>> shown_texts(old, 21)["reason_shown"].tolist()
    ['raised in fewer than 21 comments (fewer than 21 people)']
    """
    out = priorities.copy()
    for shown, raw in (("reason_shown", "reason"), ("survey_evidence_shown", "survey_evidence")):
        have = out[shown] if shown in out.columns else pd.Series(None, index=out.index, dtype=object)
        from_raw = out[raw] if raw in out.columns else pd.Series(None, index=out.index, dtype=object)
        out[shown] = [s if isinstance(s, str) else small_counts_in_text(r, suppress_below) if isinstance(r, str)
                      else None for s, r in zip(have, from_raw)]
    return out


def small_counts_in_text(text, suppress_below: int | None):
    """A priority's ``reason`` or ``survey_evidence`` (:mod:`pledge_analysis.priorities`) with every count of
    comments, people or answers under ``suppress_below`` written as :func:`small_count` writes it ("raised
    in only 7 comments (7 people)" -> "raised in fewer than 21 comments (fewer than 21 people)"); thresholds
    ("3 or more") and percentages stay as they are, but a rewritten count's "too few (under 10)" loses its
    "(under 10)" (one threshold per sentence, and nothing told about a hidden count). Not a string (a missing value) or no rule:
    returned unchanged. Only for output folders of earlier releases, which have no ``reason_shown``: a run
    now writes the shown texts itself (:class:`pledge_analysis.priorities.CountWords`), and a wording this
    rewrite does not know would keep its count.

    >>> small_counts_in_text("Waits: a priority: 4 of its 4 comments are criticisms. Raised in only 4 comments "
    ...                      "(1 person), 4 of them negative: too few (under 10) for a reliable percentage; 3 or more "
    ...                      "negative comments at 1 of the 2 hospitals.", 21)
    'Waits: a priority: at least half of its comments (fewer than 21) are criticisms. Raised in fewer than 21 comments (fewer than 21 people), fewer than 21 of them negative: too few for a reliable percentage; 3 or more negative comments at 1 of the 2 hospitals.'
    >>> small_counts_in_text("listened not used: fewer answers than the suppression threshold (n 10)", 21)
    'listened not used: fewer answers than the suppression threshold (fewer than 21 answers)'
    >>> small_counts_in_text("raised in 40% of comments (1,105 comments from 896 people)", 21)
    'raised in 40% of comments (1,105 comments from 896 people)'
    >>> small_counts_in_text("Raised in 6% of comments (12 comments from 12 people); at least half of them negative", 21)
    'Raised in fewer than 21 comments (from fewer than 21 people); at least half of them negative'
    >>> small_counts_in_text("Raised in 6% of comments (40 comments from 40 people); about 5% of them negative "
    ...                      "(95% interval 1% to 17%), against 30% for all areas together", 21)
    'Raised in 6% of comments (40 comments from 40 people); fewer than 21 of them negative (fewer than half), against 30% for all areas together'
    """
    import re

    if not isinstance(text, str) or not suppress_below or suppress_below <= 1:
        return text
    limit = f"fewer than {suppress_below}"

    def small(s: str) -> bool:
        return 0 < int(s.replace(",", "")) < suppress_below

    text = re.sub(_NUM + r" of its " + _NUM + r" comments are criticisms",
                  lambda m: f"at least half of its comments ({limit}) are criticisms" if small(m[2]) else m[0], text)
    text = text.replace("its one comment is a criticism", f"at least half of its comments ({limit}) are criticisms")
    text = re.sub(r"\(" + _NUM + " of " + _NUM + r"\)",  # "praise or passing mentions (2 of 40)"
                  lambda m: (f"({limit} comments in all)" if small(m[2]) else
                             f"({small_count(int(m[1].replace(',', '')), suppress_below)} of {m[2]})"), text)
    text = text.replace(", it was negative", ", all of them negative").replace(", it was not negative",
                                                                               ", none of them negative")
    text = re.sub(r"(?<!\d)" + _NUM + r" of them negative",
                  lambda m: f"{limit} of them negative" if small(m[1]) else m[0], text)
    text = re.sub(r"(?<![\d,.])" + _NUM + r" (comments?|people|person)\b",
                  lambda m: (f"{limit} {'people' if m[2] in ('person', 'people') else 'comments'}" if small(m[1])
                             else m[0]), text)
    text = re.sub(r"\bn " + _NUM + r"\)", lambda m: f"{limit} answers)" if small(m[1]) else m[0], text)
    text = re.sub(r"\(" + limit + r" answers\)", f"({limit} answers)", text)
    # no exact share beside a hidden count: "raised in 6% of comments (fewer than 21 comments from ...)" with
    # the scope's total gives the count back, and so does "about 5% of them negative" over 40 shown comments
    text = re.sub(r"([Rr])aised in \d+% of comments \((" + limit + r" comments) from ([^)]*)\)",
                  lambda m: f"{m[1]}aised in {m[2]} (from {m[3]})", text)

    def negative_share(m):
        n, pct = int(m[1].replace(",", "")), int(m[3])
        neg = round(pct / 100 * n)
        if not 0 < neg < suppress_below:
            return m[0]
        side = "at least" if pct >= 50 else "fewer than"
        return f"{m[1]} comments from {m[2]}); {limit} of them negative ({side} half)"

    text = re.sub(_NUM + r" comments from ([^)]*)\); about (\d+)% of them negative \(95% interval \d+% to \d+%\)",
                  negative_share, text)
    # a rewritten count names one threshold: "fewer than 21 comments ...: too few (under 10) for a reliable
    # percentage" would read as two rules and tell that the count is under 10
    text = re.sub(r"(" + limit + r" comments[^.;]*?: too few) \(under \d+\) (for a reliable percentage)",
                  r"\1 \2", text)
    return text.replace(f"in only {limit}", f"in {limit}")


def codesign_html(pages: list[dict], *, hospital: str, round: str = "", today: date | None = None,
                  took_part=None, standards: str = "", suppress_below: int | None = None) -> str:
    """The pack as one self-contained HTML page (one printed page per area); ``took_part``: the groups
    that gave feedback at this hospital (for the wording); ``standards``: the audit page
    (:func:`standards_page`), printed last; ``suppress_below``: the project's suppression rule, applied to
    every count of comments and people printed (:func:`small_count`; None prints them all)."""
    from .booklet import who_took_part
    from .pledge import WHO

    e = html.escape
    today = today or date.today()
    who = who_took_part(took_part if took_part is not None else {g["group"] for p in pages for g in p["by_group"]})
    ranked = all(p.get("ranked", True) for p in pages)  # no area stands out: listed, not numbered
    lst = "ol" if ranked else "ul"
    which = (f"For each area that feedback from {who} put first at this hospital" if ranked else
             f"There was too little feedback here to rank areas, so these are areas that feedback from {who} "
             "raised at this hospital, in no order of importance. For each")
    cover = (f"<h1>Co-design pack</h1><p><b>{e(hospital)}</b>{' · ' + e(round) if round else ''} · "
             f"{today.day} {today:%B %Y}</p><p>{which}: what people said, the survey figures, and space for what "
             "the group agrees to do. The quotes are de-identified; please do not copy them outside the meeting.</p>"
             f"<{lst}>" + "".join(f"<li>{e(p['name'])}</li>" for p in pages)
             + ("<li class='staff'>Standards: how this hospital measures up</li>" if standards else "") + f"</{lst}>")
    parts = [cover]
    for p in pages:
        def c(n, key=None):
            if key in p.get("withheld", ()):  # held back so that another hospital's small count stays hidden
                return WITHHELD if key == "negative" else WITHHELD + " of"
            return small_count(n, suppress_below)

        total = {k: (None if k in p.get("withheld", ()) else p[k]) for k in ("comments", "negative")}
        by_group = group_counts_shown(p["by_group"], total=total, suppress_below=suppress_below)
        groups = "".join(f"<tr><td>{e(WHO.get(str(g['group']), str(g['group'])))}</td><td>{e(g['comments'])}</td>"
                         f"<td>{e(g['negative'])}</td></tr>"
                         for g in by_group)
        held = any(NOT_SHOWN in (g["comments"], g["negative"]) for g in by_group)
        survey = "".join(f"<tr><td>{e(s['text'])} <span class='staff'>({e(s['question_id'])})</span></td>"
                         f"<td>{e(s['result'])}</td><td>{e(s['benchmark'])}</td></tr>" for s in p["survey"])
        parts.append(
            f"<section class='area'><h2>{str(p['rank']) + '. ' if p.get('ranked', True) else ''}{e(p['name'])}</h2>"
            + (f"<p class='sure'><b>{'How sure is this ranking?' if p.get('ranked', True) else 'Not ranked.'}</b> "
               f"{e(p['certainty'])}</p>" if p.get("certainty")
               else "")
            + "".join(f"<p class='concern'>You said: {e(s)}"
                      + (" <span class='staff'>(staff plan)</span>" if a == "staff" else "") + "</p>"
                      for s, a in p["concerns"])
            + ("" if p["concerns"] or p.get("no_goal") is None else  # an area the draft plan left without a goal
               f"<p class='staff'>No draft goal for this area{': ' + e(p['no_goal']) if p['no_goal'] else ''}. "
               "The group may still agree one.</p>")
            + f"<h3>What people said</h3><p>{c(p['comments'], 'comments').capitalize()} comments from "
              f"{c(p['people'], 'people')} people mention it; {c(p['negative'], 'negative')} of the comments are "
              "negative.</p>"
            + (f"<table><thead><tr><th>Group</th><th>Comments</th><th>Negative</th></tr></thead><tbody>{groups}"
               "</tbody></table>" if groups else "")
            + (f"<p class='staff'>“{NOT_SHOWN}”: a count held back as well, so that a small group cannot be worked "
               "out from the total.</p>" if held else "")
            + "".join(f"<blockquote>{e(q)}</blockquote>" for q in p["quotes"])
            + ("<h3>Survey figures at this hospital</h3><table><thead><tr><th>Question</th><th>Result</th>"
               f"<th>Benchmark</th></tr></thead><tbody>{survey}</tbody></table>"
               + (f"<p class='staff'>Also measured by {e(_and(p['survey_more']))}: these are in the report "
                  "(one printed page has room for the questions furthest below their benchmark).</p>"
                  if p.get("survey_more") else "") if survey
               else "<h3>Survey figures</h3><p>No survey question measures this area.</p>")
            + "<h3>We plan to</h3><div class='box'></div><div class='row'><div><h3>By</h3><div class='box small'>"
              "</div></div><div><h3>Owner</h3><div class='box small'></div></div><div><h3>How we will know it "
              "worked</h3><div class='box small'></div></div></div></section>")
    parts.append(standards)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Co-design pack · {e(hospital)}"
            f"</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>")


def write_codesign(result, out_dir: str | Path, *, top: int = 5, today: date | None = None,
                   took_part: dict | None = None, formats=("html", "pdf")) -> list[Path]:
    """Write ``<out_dir>/<SITE>.html`` and ``.pdf`` for every hospital of a run (a
    :class:`~pledge_analysis.pipeline.RunResult`); return the paths. ``took_part``: site code -> the
    groups that gave feedback there (default: the groups in its coded comments). Each area's page says
    how sure its rank is (:func:`rank_certainty`); with a standards audit in the result
    (``standards:`` in project.yaml) the last page is the hospital's audit (:func:`standards_page`)."""
    from .booklet import output_folder, round_of, site_file_name, write_page

    out = output_folder(out_dir)
    cfg = result.config
    n_boot = ((result.run_log or {}).get("priorities") or {}).get("rank_intervals", {}).get("n_boot")
    std = getattr(result, "standards", None)
    attrs = dict(std.attrs) if std is not None else {}
    paths = []
    for code, info in cfg.sites.items():
        info = info if isinstance(info, dict) else {}
        pages = area_pages(code, priorities=result.priorities, units=result.units, codebook=result.codebook,
                           plan=result.action_plan, scores=result.scores, questions=result.questions, top=top,
                           n_boot=n_boot, suppress_below=int(getattr(cfg, "suppress_below", 21) or 21),
                           min_concerns=(getattr(cfg, "priorities", None) or {}).get("min_concerns"))
        audit = getattr(result, "standards_audit", None)
        mine = audit[audit["site"].astype(str) == str(code)] if audit is not None and len(audit) else None
        page = codesign_html(pages, hospital=str(info.get("name") or code),
                             round=round_of(result), today=today,
                             took_part=(took_part or {}).get(code),
                             standards=standards_page(mine, name=attrs.get("name", ""), note=attrs.get("note", "")),
                             suppress_below=int(getattr(cfg, "suppress_below", 21) or 21))
        paths += write_page(page, out, site_file_name(code), formats)
    return paths
