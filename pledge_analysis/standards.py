"""Auditing each hospital against a standards framework: met, partly met, not met, or insufficient evidence.

A *standards file* (YAML, schema :class:`pledge_analysis.project_schema.StandardsFile`, named by
``standards:`` in project.yaml) lists standards: an id, a plain-English statement, whose experience
evidences it (``group``: ``all`` or e.g. ``secondary``), the codebook ``codes`` whose comments
evidence it (a code includes its sub-codes) and the ``survey_items`` that measure it, with optional
fixed ``targets`` per item. ``data_samples/standards.yaml`` is an illustrative example.

The rule (explicit, and the same for every hospital). At a hospital, for the standard's group, each
piece of evidence the run already has is looked at:

- **each survey item**: its percentage positive (or 0-10 mean) and 95% interval is compared with
  the item's target, if the standard gives one, else with the run's benchmark (national, or the
  programme's average where no national figure exists: ``benchmark_source`` says which). It
  **falls short** when the whole interval lies below that value. It is *not usable* when the result
  is suppressed (fewer than ``suppress_below`` answers), missing, or has nothing to compare with.
- **the comments**: the hospital's comments (from the group) coded to any of the standard's codes.
  They **fall short** when the 95% Wilson interval of their share negative lies wholly above the
  rule's ``negative_share`` (default 0.5: clearly most of them are negative). Fewer than the rule's
  ``min_comments`` (default 10): *not usable* (too few to say).

The verdict: **insufficient evidence** when no piece is usable; **not met** when every usable piece
falls short; **partly met** when some do; **met** when none does. "Met" means the run's evidence
shows no shortfall, not that the standard is proven: the ``reason`` says what it rests on.

:func:`standards_audit` is a pure function of the run's tables; its output has the fixed columns
:data:`AUDIT_COLUMNS` (also when empty), one row per hospital and standard.

>>> import pandas as pd
>>> std = standards_table({"standards": [{"id": "CNS", "statement": "A named nurse.", "survey_items": ["Q17"]}]})
>>> scores = pd.DataFrame({"site": ["A"], "group": ["all"], "question_id": ["Q17"], "n": [200], "estimate": [0.70],
...                        "ci_low": [0.63], "ci_high": [0.76], "suppressed": [False], "kind": ["proportion"],
...                        "benchmark": [0.9], "benchmark_source": ["national Q17"]})
>>> audit = standards_audit(std, sites={"A": {"name": "Hospital A"}}, scores=scores)
>>> audit.loc[0, ["site", "standard_id", "verdict"]].tolist(), int(audit.loc[0, "items_short"])
(['A', 'CNS', 'not met'], 1)
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import Problem
from .priorities import CountWords
from .schema import STANDARDS_AUDIT

VERDICTS = ("met", "partly met", "not met", "insufficient evidence")
#: Columns of the audit table (``standards_audit.csv``): ``site``, ``site_name``, ``standard_id``,
#: ``statement``, ``group`` (whose experience), ``verdict`` (one of :data:`VERDICTS`), ``codes`` and
#: ``survey_items`` (the evidence named by the standard, ``; ``-joined), ``n_comments`` /
#: ``n_negative`` (the hospital's comments from the group coded to those codes, and how many are
#: negative), ``negative_share`` with its 95% Wilson interval ``negative_share_low`` / ``negative_share_high``
#: (``negative_low`` / ``negative_high`` in earlier releases),
#: ``comments_finding`` (``falls short``, ``no shortfall``, ``too few``, ``none``), ``n_answers`` (answers
#: behind the usable survey items), ``items_used`` / ``items_short`` (usable items, and how many fall
#: short), ``survey_figures`` (every item in words: result, interval, answers, what it is compared
#: with, finding) and ``reason`` (the verdict in plain English); ``survey_figures_shown`` and ``reason_shown``
#: are the same texts as the report and the view print them: every count of comments or answers under the
#: project's ``suppress_below`` reads "fewer than N" (absent from ``standards_audit.csv`` of earlier releases).
AUDIT_COLUMNS = STANDARDS_AUDIT
#: Columns of :func:`standards_table`: the standards as rows.
STANDARD_COLUMNS = ("standard_id", "statement", "group", "codes", "survey_items", "targets", "negative_share",
                    "min_comments")


# ------------------------------------------------------------------------------ reading and checking
def standards_table(data: dict, *, where=None, file="standards file") -> pd.DataFrame:
    """The standards of a parsed YAML mapping as a table (columns :data:`STANDARD_COLUMNS`; the framework's
    ``name`` and ``note`` in ``.attrs``); problems raise :class:`~pledge_analysis.errors.ProjectFileError`
    with file, line and key."""
    from .project_schema import StandardsFile, parse

    model = parse(StandardsFile, data, where, file)
    rows = []
    for s in model.standards:
        # a standard's own rule: the keys it sets, over the file's rule
        rule = model.rule.model_copy(update=s.rule.model_dump(exclude_unset=True)) if s.rule else model.rule
        rows.append({"standard_id": s.id, "statement": s.statement, "group": s.group, "codes": list(s.codes),
                     "survey_items": list(s.survey_items), "targets": dict(s.targets),
                     "negative_share": rule.negative_share, "min_comments": rule.min_comments})
    table = pd.DataFrame(rows, columns=list(STANDARD_COLUMNS))
    table.attrs.update(name=model.name, note=model.note)
    return table


def read_standards(path: str | Path) -> pd.DataFrame:
    """Read a standards file (YAML) into :func:`standards_table`'s table."""
    from .io.yamlfile import load_yaml_located

    data, where = load_yaml_located(path)
    return standards_table(data, where=where, file=Path(path))


def check_standards(path: str | Path, *, codebook: pd.DataFrame | None, questions: pd.DataFrame | None,
                    groups=()) -> tuple[pd.DataFrame | None, list[Problem]]:
    """``(standards, problems)``: the file read, and every standard that names a code the codebook lacks, a
    survey item questions.yaml lacks or a group the project does not declare (located by line and key)."""
    from .errors import ProjectFileError
    from .io.yamlfile import load_yaml_located

    path = Path(path)
    try:
        data, where = load_yaml_located(path)
        table = standards_table(data, where=where, file=path)
    except ProjectFileError as exc:
        return None, list(exc.problems)
    problems = []
    codes = set(codebook["code_id"]) if codebook is not None and len(codebook) else None
    items = set(questions["question_id"]) if questions is not None and len(questions) else set()
    for i, s in enumerate(table.itertuples(index=False)):
        missing = sorted(set(s.codes) - codes) if codes is not None else []
        if missing:
            problems.append(Problem(path, where.line(("standards", i, "codes")), f"standards[{i}].codes",
                                    f"standard {s.standard_id!r} names code(s) {missing} that the codebook does not "
                                    "have. Use code ids from the codebook (e.g. "
                                    f"{', '.join(sorted(codes)[:4])}) or remove them."))
        missing = sorted(set(s.survey_items) - items)
        if missing:
            problems.append(Problem(path, where.line(("standards", i, "survey_items")), f"standards[{i}].survey_items",
                                    f"standard {s.standard_id!r} names question(s) {missing} that questions.yaml does "
                                    "not define" + (f" (defined: {', '.join(sorted(items))})" if items else
                                                    " (the project names no questions: file)")
                                    + ". Fix the ids or remove them."))
        if groups and s.group != "all" and s.group not in groups:
            problems.append(Problem(path, where.line(("standards", i, "group")), f"standards[{i}].group",
                                    f"group {s.group!r} is not one of the project's groups {list(groups)} or 'all'"))
    return table, problems


# ------------------------------------------------------------------------------ the audit
def _descendants(codebook: pd.DataFrame | None) -> dict[str, set[str]]:
    """code -> itself and every code below it."""
    if codebook is None or not len(codebook) or "parent_id" not in codebook.columns:
        return {}
    children: dict[str, list[str]] = {}
    for code, parent in zip(codebook["code_id"], codebook["parent_id"]):
        if isinstance(parent, str) and parent:
            children.setdefault(parent, []).append(code)
    out = {}
    for code in codebook["code_id"]:
        seen, todo = set(), [code]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo += children.get(c, [])
        out[code] = seen
    return out


def _fmt(x, kind: str) -> str:
    return f"{float(x):.1f} / 10" if kind == "mean" else f"{100 * float(x):.0f}%"


def _item(qid: str, row, wording: dict, target, counts: CountWords = CountWords()) -> dict:
    """One survey item at a hospital: usable?, falls short?, and the sentence describing it (answers
    counted by ``counts``, :class:`~pledge_analysis.priorities.CountWords`)."""
    label = f"{wording[qid]} ({qid})" if wording.get(qid) else qid
    if row is None:
        return {"used": False, "short": False, "n": 0, "text": f"{label}: no answers here"}
    kind = str(row.get("kind") or "proportion")
    n = int(row["n"]) if pd.notna(row.get("n")) else 0
    if bool(row.get("suppressed")) or pd.isna(row.get("estimate")):
        return {"used": False, "short": False, "n": 0,
                "text": f"{label}: not shown, too few answers ({counts.number(n)}) to use"}
    from .survey.suppression import HELD_BACK_WORDS

    held = bool(row.get("held_back")) and bool(counts.suppress_below)  # the shown text of a held-back figure
    if target is not None:
        against, what = float(target), f"the standard's target {_fmt(target, kind)}"
    elif pd.notna(row.get("benchmark")) and str(row.get("benchmark_kind") or "") != "none":
        against = float(row["benchmark"])
        national = str(row.get("benchmark_source") or "").startswith("national")
        what = f"{'the national figure' if national else 'the programme average'} {_fmt(against, kind)}"
    else:
        return {"used": False, "short": False, "n": 0,
                "text": f"{label}: " + (HELD_BACK_WORDS if held else f"{_fmt(row['estimate'], kind)} "
                                        f"({counts.of(n, 'answer')}), nothing to compare it with")}
    short = float(row["ci_high"]) < against
    above = float(row["ci_low"]) > against
    finding = "below it" if short else ("above it" if above else "not clearly different")
    result = (f"{_fmt(row['estimate'], kind)}{' positive' if kind != 'mean' else ''} (95% interval "
              f"{_fmt(row['ci_low'], kind)} to {_fmt(row['ci_high'], kind)}; {counts.of(n, 'answer')}) against {what}: {finding}")
    if held:
        result = HELD_BACK_WORDS  # still evidence for the verdict; its figures are not printed
    return {"used": True, "short": short, "n": n, "text": f"{label}: {result}"}


def _reason(verdict: str, comments: dict, items: list[dict], group: str, threshold: float,
            counts: CountWords = CountWords()) -> str:
    """The verdict in plain English; counts of comments written by ``counts`` (with a suppression rule, a
    small number of comments reads "fewer than N" and its negative ones only which side of the rule's share they
    are, since an exact share of a hidden count would give the count away)."""
    whose = "" if group == "all" else " from staff" if group == "staff" else f" from {group} patients"
    short = [i for i in items if i["used"] and i["short"]]
    used = [i for i in items if i["used"]]
    n, neg = comments["n"], comments["n_negative"]
    bits = []
    clearly = {"falls short": "clearly", "no shortfall": "not clearly"}.get(comments["finding"])
    if clearly and counts.hides(n):
        # no exact share: with the count hidden, "93% of them" would give it away (13 of 14)
        bits.append(f"{counts.of(n, 'comment')}{whose} mention it, and {clearly} more than {threshold:.0%} of them "
                    "are negative")
    elif clearly:
        bits.append(f"{counts.number(neg)} of {n} comments{whose} about it are negative ({clearly} more than "
                    f"{threshold:.0%})")
    elif comments["finding"] == "too few" and counts.hides(n):
        bits.append(f"{counts.of(n, 'comment')}{whose} mention it, too few to say")
    elif comments["finding"] == "too few":
        bits.append(f"only {n} comment{'s' if n != 1 else ''}{whose} mention{'s' if n == 1 else ''} it, too few "
                    "to say")
    elif comments["expected"]:
        bits.append(f"no comments{whose} mention it")
    if used:
        bits.append(f"{len(short)} of {len(used)} survey question{'s' if len(used) != 1 else ''} clearly below "
                    f"{'its' if len(used) == 1 else 'their'} benchmark or target")
    elif items:
        bits.append("no survey result can be used here (too few answers, or nothing to compare with)")
    lead = {"met": "Met: the evidence shows no shortfall", "partly met": "Partly met: some of the evidence falls short",
            "not met": "Not met: all the usable evidence falls short",
            "insufficient evidence": "Insufficient evidence: the data cannot say"}[verdict]
    return lead + ("; " + "; ".join(bits) if bits else "") + "."


def standards_audit(standards: pd.DataFrame, *, sites: dict, units: pd.DataFrame | None = None,
                    scores: pd.DataFrame | None = None, codebook: pd.DataFrame | None = None,
                    questions: pd.DataFrame | None = None, suppress_below: int | None = None) -> pd.DataFrame:
    """The audit table: one row per hospital (``sites``: code -> ``{name, ...}`` as in project.yaml; the
    code ``all`` audits the whole programme) and standard (:func:`read_standards`), with its verdict and evidence (columns :data:`AUDIT_COLUMNS`).

    ``units``: coded units (:func:`pledge_analysis.coding.coded_units`; ``codes``, ``theme``, ``site``,
    ``group``, ``segment_id``, ``sentiment``); ``scores``: survey scores by site and group with the
    benchmark (:func:`pledge_analysis.survey.compare_to_benchmark`); ``codebook`` for sub-codes;
    ``questions`` for the wording; ``suppress_below``: the project's suppression rule, for
    ``survey_figures_shown`` and ``reason_shown`` (the same texts with every count of comments or answers
    under it written "fewer than N"; ``survey_figures`` and ``reason`` keep the counts). The rule is in the
    module docstring."""
    counts = CountWords(suppress_below)
    from .survey.scoring import wilson_ci

    rows = []
    if standards is None or not len(standards) or not sites:
        return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    below = _descendants(codebook)
    wording = ({str(k): str(v) for k, v in zip(questions["question_id"], questions["text"]) if pd.notna(v) and str(v)}
               if questions is not None and len(questions) and "text" in questions.columns else {})
    u = units if units is not None and len(units) else pd.DataFrame(columns=["segment_id", "theme", "codes", "site",
                                                                              "group", "sentiment"])
    unit_codes = [set(str(c).split(";")) | {str(t)} for c, t in zip(u["codes"].fillna(""), u["theme"].astype(str))]
    from .survey.suppression import with_held_back

    sc = with_held_back(scores, suppress_below)  # secondary suppression, for the shown figures
    sc = sc if sc is not None and len(sc) else pd.DataFrame(columns=["site", "group", "question_id"])
    score_at = {(str(s), str(g), str(q)): r for s, g, q, r in
                zip(sc["site"], sc["group"], sc["question_id"], sc.to_dict("records"))}
    # per standard, the units coded to one of its codes (or a sub-code) and from its group: found once
    evidence = {}
    for s in standards.itertuples(index=False):
        wanted = set().union(*(below.get(c, {c}) for c in s.codes)) if s.codes else set()
        hit = np.fromiter((bool(codes & wanted) for codes in unit_codes), bool, len(unit_codes))
        if s.group != "all":
            hit &= (u["group"].astype(str) == s.group).to_numpy()
        evidence[s.standard_id] = hit
    site_col = u["site"].astype(str).to_numpy()
    for code, info in sites.items():
        info = info if isinstance(info, dict) else {}
        # a project without sites is audited as a whole (site "all")
        here = site_col == str(code) if str(code) != "all" else np.ones(len(u), bool)
        for s in standards.itertuples(index=False):
            seg = u.loc[here & evidence[s.standard_id]]
            n = int(seg["segment_id"].nunique())
            n_neg = int(seg.loc[seg["sentiment"] == "negative", "segment_id"].nunique())
            share = lo = hi = float("nan")
            finding = "none"
            if n:
                share = n_neg / n
                lo, hi = (float(x) for x in wilson_ci(n_neg, n))
                finding = ("too few" if n < s.min_comments else
                           "falls short" if lo > s.negative_share else "no shortfall")
            comments = {"n": n, "n_negative": n_neg, "finding": finding, "expected": bool(s.codes)}
            items = [_item(q, score_at.get((str(code), s.group, q)), wording, s.targets.get(q)) for q in s.survey_items]
            shown = [_item(q, score_at.get((str(code), s.group, q)), wording, s.targets.get(q), counts)
                     for q in s.survey_items]
            usable = [finding in ("falls short", "no shortfall")] + [i["used"] for i in items]
            shorts = [finding == "falls short"] + [i["used"] and i["short"] for i in items]
            n_usable, n_short = sum(usable), sum(shorts)
            verdict = ("insufficient evidence" if not n_usable else "not met" if n_short == n_usable
                       else "partly met" if n_short else "met")
            rows.append({
                "site": str(code), "site_name": str(info.get("name") or code), "standard_id": s.standard_id,
                "statement": s.statement, "group": s.group, "verdict": verdict, "codes": "; ".join(s.codes),
                "survey_items": "; ".join(s.survey_items), "n_comments": n, "n_negative": n_neg,
                "negative_share": share, "negative_share_low": lo, "negative_share_high": hi,
                "comments_finding": finding if s.codes else "",
                "n_answers": sum(i["n"] for i in items if i["used"]),
                "items_used": sum(i["used"] for i in items), "items_short": sum(i["used"] and i["short"] for i in items),
                "survey_figures": " | ".join(i["text"] for i in items),
                "reason": _reason(verdict, comments, items, s.group, s.negative_share),
                "survey_figures_shown": " | ".join(i["text"] for i in shown),
                "reason_shown": _reason(verdict, comments, items, s.group, s.negative_share, counts),
                "counts_held_back": "", "_comments": comments, "_items": items, "_threshold": s.negative_share,
            })
    _hold_back_counts(rows, suppress_below)
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))


def _hold_back_counts(rows: list[dict], suppress_below: int | None) -> None:
    """Secondary suppression of the audit's comment counts (in place): a standard's hospitals add up to its
    programme-wide count (which the reasons print when the standard's codes are a theme's), so where exactly
    one hospital's count is hidden the smallest other is withheld too (:func:`hold_lines`): named in
    ``counts_held_back`` and written "a withheld number" in ``reason_shown``."""
    from .survey.suppression import hold_lines

    extra = ("_comments", "_items", "_threshold")
    if suppress_below and suppress_below > 1:
        for sid in dict.fromkeys(r["standard_id"] for r in rows):
            mine = [i for i, r in enumerate(rows) if r["standard_id"] == sid and r["site"] != "all"]
            held: dict = {}
            for c in ("n_comments", "n_negative"):
                values = {("total",): max(sum(rows[i][c] for i in mine), suppress_below), **{i: rows[i][c] for i in mine}}
                for i in hold_lines(values, [(("total",), mine)], suppress_below) - {("total",)}:
                    held.setdefault(i, []).append(c)
            for i, cols in held.items():
                r = rows[i]
                r["counts_held_back"] = "; ".join(cols)
                counts = CountWords(suppress_below, held=tuple(int(r[c]) for c in cols))
                r["reason_shown"] = _reason(r["verdict"], r["_comments"], r["_items"], r["group"], r["_threshold"],
                                            counts)
    for r in rows:
        for k in extra:
            r.pop(k, None)


def verdict_matrix(audit: pd.DataFrame) -> pd.DataFrame:
    """Hospitals as rows, standards as columns, verdicts in the cells (for the report and notebook 09)."""
    if audit is None or not len(audit):
        return pd.DataFrame()
    m = audit.pivot(index="site", columns="standard_id", values="verdict")
    return m[list(dict.fromkeys(audit["standard_id"]))].rename_axis(columns=None)
