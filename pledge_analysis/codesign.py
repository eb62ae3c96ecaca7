"""The co-design pack: what a facilitator puts on the table at a hospital's co-design meeting.

One printable A4 page per prioritised area of the hospital (its top ``top`` areas), with

- the concern statement(s) the draft plan holds for it ("You said"),
- what people said: how many comments and people raised it, how many negatively, per group,
  and a few de-identified quotes from different groups and sources (the most negative first),
- the survey figures of the area's questions at this hospital, with the question's wording, the
  95% interval, the number answering and the benchmark (or "no benchmark"),
- empty boxes for the group's "We plan to", "By", owner and how they will know it worked.

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
               questions: pd.DataFrame | None = None, top: int = 5, n_quotes: int = 3) -> list[dict]:
    """The content of each page of ``site``'s pack, in rank order (plain data; :func:`codesign_html`
    lays it out)."""
    from .pledge import _pick_quotes

    pr = priorities[(priorities["scope_type"] == "site") & (priorities["scope"].astype(str) == str(site))]
    pr = pr.sort_values("rank", kind="stable").head(top)
    cb = codebook.set_index("code_id")
    wording = dict(zip(questions["question_id"], questions["text"])) if questions is not None and len(questions) else {}
    here = units[units["site"].astype(str) == str(site)] if len(units) else units
    pages = []
    for r in pr.itertuples(index=False):
        u = here[here["theme"] == r.theme]
        neg = u[u["sentiment"] == "negative"].sort_values(["score", "segment_id"], kind="stable")
        comments: dict[str, set] = {}
        negative: dict[str, set] = {}
        for seg, group, sentiment in zip(u["segment_id"], u["group"].astype(str), u["sentiment"]):
            comments.setdefault(group, set()).add(seg)
            if sentiment == "negative":
                negative.setdefault(group, set()).add(seg)
        by_group = [{"group": g, "comments": len(comments[g]), "negative": len(negative.get(g, ()))}
                    for g in sorted(comments)]
        concerns = []
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
                survey.append(_survey_line(q, wording.get(q, ""), row.iloc[0]))
        pages.append({
            "rank": int(r.rank), "theme": r.theme, "name": str(r.name), "concerns": concerns,
            "comments": int(u["segment_id"].nunique()), "people": int(u["respondent_id"].dropna().nunique()),
            "negative": int(neg["segment_id"].nunique()), "by_group": by_group,
            "quotes": _pick_quotes(neg, "site", n_quotes, set()) if len(neg) else [], "survey": survey,
        })
    return pages


def _pct(x) -> str:
    return f"{100 * float(x):.0f}%"


def _survey_line(qid: str, text: str, s) -> dict:
    """One survey figure in words: result, interval, number answering, benchmark."""
    mean = str(s.get("kind")) == "mean"
    fmt = (lambda v: f"{float(v):.1f}") if mean else _pct
    if bool(s.get("suppressed")) or not schema.present(s.get("estimate")):
        result = f"not shown: fewer than 21 answers ({int(s['n'])})" if schema.present(s.get("n")) else "not shown"
    else:
        result = f"{fmt(s['estimate'])} (95% interval {fmt(s['ci_low'])} to {fmt(s['ci_high'])}; {int(s['n'])} answers)"
        if not mean:
            result = f"{fmt(s['estimate'])} positive" + result[len(fmt(s['estimate'])):]
    bench = s.get("benchmark")
    source = str(s.get("benchmark_source") or "").strip() if schema.present(s.get("benchmark_source")) else ""
    benchmark = (f"{fmt(bench)}" + (f" ({source})" if source else "")) if schema.present(bench) else "no benchmark"
    return {"question_id": qid, "text": text or qid, "result": result, "benchmark": benchmark}


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
.concern { font-size: 14pt; font-weight: bold; margin: 4pt 0; }
.staff { font-weight: normal; font-size: 11pt; color: #4c6272; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #aeb7bd; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #e8edee; }
tr { break-inside: avoid; }
blockquote { margin: 3pt 0 3pt 10pt; padding-left: 8pt; border-left: 4px solid #41b6e6; }
.box { border: 2px solid #005eb8; height: 24mm; margin: 2pt 0 4pt; }
.small { height: 10mm; }
.row { display: flex; gap: 8pt; } .row > div { flex: 1; }
"""


def codesign_html(pages: list[dict], *, hospital: str, round: str = "", today: date | None = None,
                  took_part=None) -> str:
    """The pack as one self-contained HTML page (one printed page per area); ``took_part``: the groups
    that gave feedback at this hospital (for the wording)."""
    from .booklet import who_took_part

    e = html.escape
    today = today or date.today()
    who = who_took_part(took_part if took_part is not None else {g["group"] for p in pages for g in p["by_group"]})
    cover = (f"<h1>Co-design pack</h1><p><b>{e(hospital)}</b>{' · ' + e(round) if round else ''} · "
             f"{today.day} {today:%B %Y}</p><p>For each area that feedback from {who} put first at this "
             "hospital: what people said, the survey figures, and space for what the group agrees to do. The quotes "
             "are de-identified; please do not copy them outside the meeting.</p><ol>"
             + "".join(f"<li>{e(p['name'])}</li>" for p in pages) + "</ol>")
    parts = [cover]
    for p in pages:
        groups = "".join(f"<tr><td>{e(str(g['group']))}</td><td>{g['comments']}</td><td>{g['negative']}</td></tr>"
                         for g in p["by_group"])
        survey = "".join(f"<tr><td>{e(s['text'])} <span class='staff'>({e(s['question_id'])})</span></td>"
                         f"<td>{e(s['result'])}</td><td>{e(s['benchmark'])}</td></tr>" for s in p["survey"])
        parts.append(
            f"<section class='area'><h2>{p['rank']}. {e(p['name'])}</h2>"
            + "".join(f"<p class='concern'>You said: {e(s)}"
                      + (" <span class='staff'>(staff plan)</span>" if a == "staff" else "") + "</p>"
                      for s, a in p["concerns"])
            + f"<h3>What people said</h3><p>{p['comments']} comments from {p['people']} people mention it; "
              f"{p['negative']} of the comments are negative.</p>"
            + (f"<table><thead><tr><th>Group</th><th>Comments</th><th>Negative</th></tr></thead><tbody>{groups}"
               "</tbody></table>" if groups else "")
            + "".join(f"<blockquote>{e(q)}</blockquote>" for q in p["quotes"])
            + ("<h3>Survey figures at this hospital</h3><table><thead><tr><th>Question</th><th>Result</th>"
               f"<th>Benchmark</th></tr></thead><tbody>{survey}</tbody></table>" if survey
               else "<h3>Survey figures</h3><p>No survey question measures this area.</p>")
            + "<h3>We plan to</h3><div class='box'></div><div class='row'><div><h3>By</h3><div class='box small'>"
              "</div></div><div><h3>Owner</h3><div class='box small'></div></div><div><h3>How we will know it "
              "worked</h3><div class='box small'></div></div></div></section>")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Co-design pack · {e(hospital)}"
            f"</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>")


def write_codesign(result, out_dir: str | Path, *, top: int = 5, today: date | None = None,
                   took_part: dict | None = None, formats=("html", "pdf")) -> list[Path]:
    """Write ``<out_dir>/<SITE>.html`` and ``.pdf`` for every hospital of a run (a
    :class:`~pledge_analysis.pipeline.RunResult`); return the paths. ``took_part``: site code -> the
    groups that gave feedback there (default: the groups in its coded comments)."""
    from .booklet import output_folder, site_file_name, write_page

    out = output_folder(out_dir)
    cfg = result.config
    paths = []
    for code, info in cfg.sites.items():
        info = info if isinstance(info, dict) else {}
        pages = area_pages(code, priorities=result.priorities, units=result.units, codebook=result.codebook,
                           plan=result.action_plan, scores=result.scores, questions=result.questions, top=top)
        page = codesign_html(pages, hospital=str(info.get("name") or code),
                             round=(cfg.booklet or {}).get("round") or cfg.round, today=today,
                             took_part=(took_part or {}).get(code))
        paths += write_page(page, out, site_file_name(code), formats)
    return paths
