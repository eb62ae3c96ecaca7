"""Reading survey exports (CSV or XLSX) into the tidy tables of DESIGN.md.

A survey export has one row per respondent: an id, the hospital, the patient group,
attributes (age band, ethnicity, deprivation quintile or staff role), tick-box answers
and free-text answers. :func:`read_survey` turns one file into

- ``respondents``: one row per respondent kept,
- ``responses``: tick-box answers in long form (``respondent_id, site, group, question_id, value``),
- ``segments``: one row per non-empty free-text answer,
- ``set_aside``: every row, answer or comment that was not kept, with the reason.

Row numbers in messages are spreadsheet rows: the header is row 1, the first answer row 2.
Every row read is either a kept respondent or set aside as a whole (:func:`is_row_set_aside`
tells these reasons from those of a single answer), so for each source
``rows_read == rows_kept + rows_set_aside`` (see :func:`accounting`).

Cells are read as text and stay text: an empty cell is ``""``, and the text ``nan``, ``NULL``,
``None`` or ``#N/A`` is not mistaken for an answer (it is set aside as a missing-value marker).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from .. import schema
from ..errors import InputError, MissingColumnError, MissingFileError
from .dates import month_first_dates, parse_date  # noqa: F401  (month_first_dates: importable from here too)
from .files import read_table
from .safe import markup_removed

#: ``columns: respondent_id: (row)``: the export has no respondent id (Google Forms writes none), so each
#: respondent is named by its file and spreadsheet row: ``r<6 hex digits of the file's id>-<row>``.
ROW_ID = "(row)"
#: Text that spreadsheets, databases and pandas write for "no value": never an answer, id, site or group.
MISSING_MARKERS = frozenset({"nan", "nat", "none", "null", "nil", "na", "n/a", "#n/a", "<na>", "missing"})
#: What an export writes in the cell of a question the respondent skipped: a dash or a dot, never an answer.
NO_ANSWER_MARKS = frozenset({"-", "--", "---", "\u2013", "\u2014", "."})
#: Excel's error values, as a workbook or a CSV saved from one holds them.
EXCEL_ERRORS = frozenset({"#null!", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#n/a", "#getting_data",
                          "#spill!", "#calc!"})
#: Reasons for which a whole row (a respondent) is set aside, as opposed to one answer of a kept respondent.
ROW_REASONS = ("empty row", "no respondent id", "duplicate respondent id", "no site", "no group")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def is_row_set_aside(reason: str) -> bool:
    """True for a reason that sets a whole survey row aside (the respondent is not kept).

    >>> is_row_set_aside("duplicate respondent id (first seen at row 3)"), is_row_set_aside("answer to Q2 is not a number")
    (True, False)
    """
    return str(reason).startswith(ROW_REASONS)


def _marker(value: str) -> str | None:
    """Why ``value`` is not a value (a missing-value marker or an Excel error), or None.

    >>> _marker("NaN"), _marker("#DIV/0!"), _marker("-"), _marker("Yes")
    ("'NaN' is a missing-value marker", "'#DIV/0!' is an Excel error value", "'-' marks no answer", None)
    """
    low = value.strip().lower()
    if low in NO_ANSWER_MARKS:
        return f"{value!r} marks no answer"
    if low in EXCEL_ERRORS and low != "#n/a":
        return f"{value!r} is an Excel error value"
    if low in MISSING_MARKERS:
        return f"{value!r} is a missing-value marker"
    return None


DATE_HINT = "a date such as 2025-04-03 or, day first as in the UK, 03/04/2025"


def iso_date(text: str, *, month_first: bool = False) -> str | None:
    """A completion date as ISO ``YYYY-MM-DD``, read by the package's one date grammar
    (:mod:`pledge_analysis.io.dates`: ISO with or without a time and zone, or day first as UK exports write
    it, ``03/04/2025``, ``3.4.25``, ``03-04-2025 14:05``, ``3 April 2025``); None when it is not a real date
    or is refused (:func:`~pledge_analysis.io.dates.parse_date` says why). ``month_first``: the file writes
    dates month first, as US exports do (see :func:`month_first_dates`).

    >>> iso_date("03/04/2025"), iso_date("2025-04-03 00:00:00"), iso_date("31/12/24"), iso_date("04/13/2025")
    ('2025-04-03', '2025-04-03', '2024-12-31', None)
    >>> iso_date("04/13/2025", month_first=True), iso_date("3/4/2025 14:02:05", month_first=True)
    ('2025-04-13', '2025-03-04')
    """
    got = parse_date(text, month_first=month_first)
    return got.date.isoformat() if got.date is not None else None


def header_key(text) -> str:
    """A column header as compared across exports: case, runs of spaces and curly apostrophes ignored.

    >>> header_key("  RESPONDENT  ID ") == header_key("Respondent ID"), header_key("Don’t") == header_key("don't")
    (True, True)
    """
    return " ".join(str(text).replace("\u2019", "'").replace("\u2018", "'").split()).casefold()


def site_key(text) -> str:
    """A site name as compared with the names under ``sites:``: letters and digits only, any case, so that
    ``St Mary's``, ``St Mary’s``, ``ST. MARYS`` and ``st marys`` are one hospital.

    >>> {site_key(x) for x in ("St Mary's", "St Mary’s", "ST. MARYS", " st  marys")}
    {'stmarys'}
    """
    import unicodedata

    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", str(text)).casefold())


def site_matcher(sites: Mapping[str, str]):
    """``match(value) -> code or None`` for a lookup of lower-cased codes and names (``ProjectConfig.site_lookup``):
    the exact (case-insensitive) name or code first, then the one site whose :func:`site_key` is the value's."""
    by_key: dict[str, set[str]] = {}
    for name, code in sites.items():
        by_key.setdefault(site_key(name), set()).add(code)

    def match(value: str) -> str | None:
        if value.lower() in sites:
            return sites[value.lower()]
        codes = by_key.get(site_key(value), set())
        return next(iter(codes)) if len(codes) == 1 else None

    return match


def _clean(value) -> str:
    """A cell without surrounding spaces, no-break spaces or invisible zero-width characters."""
    return str(value).strip().strip(_INVISIBLE).strip()

#: Answers that carry no content to code ("N/A", "Nothing"): kept out of segments, listed in set_aside.
PLACEHOLDERS = frozenset({
    "", "-", "--", ".", "n/a", "na", "n.a.", "none", "nothing", "no", "nil", "not applicable",
    "nothing to add", "nothing to add.", "nothing.", "no comment", "no comments", "did not answer",
}) | MISSING_MARKERS


@dataclass
class Ingested:
    """The tidy tables read from one or more input files."""

    respondents: pd.DataFrame = field(default_factory=lambda: schema.empty("respondents"))
    responses: pd.DataFrame = field(default_factory=lambda: schema.empty("responses"))
    segments: pd.DataFrame = field(default_factory=lambda: schema.empty("segments"))
    set_aside: pd.DataFrame = field(default_factory=lambda: schema.empty("set_aside"))
    sources: list[dict] = field(default_factory=list)
    #: values that do not match the project's declared sites or groups:
    #: ``{"source_id", "row", "column", "value", "kind"}`` (kind ``site`` or ``group``)
    unknown: list[dict] = field(default_factory=list)

    @classmethod
    def concat(cls, parts: Iterable["Ingested"]) -> "Ingested":
        parts = list(parts)

        def cat(name: str) -> pd.DataFrame:
            frames = [getattr(p, name) for p in parts if len(getattr(p, name))]
            if not frames:
                return schema.empty(name)
            return schema.conform(pd.concat(frames, ignore_index=True), name)

        return cls(cat("respondents"), cat("responses"), cat("segments"), cat("set_aside"),
                   [s for p in parts for s in p.sources], [u for p in parts for u in p.unknown])


def segment_id(*parts) -> str:
    """A stable id from a segment's source and position (not its text, which redaction changes).

    >>> segment_id("patients_NGU.csv", "NGU-0001", "good", 0)
    '03201297d9438439'
    """
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def load_questions(path: str | Path) -> pd.DataFrame:
    """Read a ``questions.yaml`` into a table: one row per question with its scoring map.

    Columns: ``question_id, column, text`` (its `text:`, else its column header), ``kind`` (``categorical`` or
    ``rating``), ``options``, ``positive``, ``negative`` (lists of answer options; any other option is *excluded*
    from scoring, as in CPES), ``min``, ``max`` (ratings), ``national`` (the CPES question
    number, or None), ``respondents`` (``patient``, ``staff`` or ``all``), ``other_columns`` (its header in other
    surveys' files), ``labels`` (``{"1": "Strongly disagree",
    ...}``: numbers in the file read as these options, or None), ``likert`` (False: a 1-7 rating confirmed a
    score) and ``same_question_as`` (earlier wordings declared the same question, for goal progress).
    """
    from ..project_schema import QuestionsFile, parse
    from .yamlfile import load_yaml_located

    path = Path(path)
    if not path.exists():
        raise MissingFileError("questions file not found", path=path)
    data, where = load_yaml_located(path)
    model = parse(QuestionsFile, data, where, path)
    rows = [{
        "question_id": q.id, "column": q.column or q.id, "text": q.text or q.column or "", "kind": q.kind,
        "options": list(q.options), "positive": list(q.positive), "negative": list(q.negative),
        "min": q.min, "max": q.max, "national": q.national, "respondents": q.respondents,
        "other_columns": list(q.other_columns),
        "labels": ({str(int(k)): v for k, v in q.labels.items()} if q.labels else None),
        "likert": q.likert, "same_question_as": list(q.same_question_as),
    } for q in model.questions]
    return pd.DataFrame(rows)


def load_prompt_polarity(path: str | Path) -> dict[str, str]:
    """How each free-text question of a ``questions.yaml`` leans its answers: ``{question_id: polarity}``
    from its ``free_text:`` section (``negative_prompt``, ``positive_prompt`` or ``neutral``; see
    :data:`pledge_analysis.project_schema.POLARITIES`). A file without the section gives ``{}``.
    The sentiment model takes it as ``SentimentClassifier(prompt_polarity=...)``.
    """
    from ..project_schema import QuestionsFile, parse
    from .yamlfile import load_yaml_located

    path = Path(path)
    if not path.exists():
        raise MissingFileError("questions file not found", path=path)
    data, where = load_yaml_located(path)
    return {q.id: q.polarity for q in parse(QuestionsFile, data, where, path).free_text}


def _read_table(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """The export as a DataFrame of text cells (see :func:`pledge_analysis.io.files.read_table`)."""
    return read_table(path, sheet=sheet).frame


def read_survey(
    path: str | Path,
    *,
    columns: Mapping[str, str],
    questions: pd.DataFrame | None = None,
    comments: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    group: str | None = None,
    sites: Mapping[str, str] | None = None,
    source_id: str | None = None,
    groups: Iterable[str] | None = None,
    sheet: str | None = None,
    seen_ids: dict[str, tuple[str, int]] | None = None,
) -> Ingested:
    """Read one survey export into respondents, responses, segments and set_aside.

    Parameters
    ----------
    columns : canonical name -> file column, e.g. ``{"respondent_id": "Respondent ID",
        "site": "Hospital", "group": "Patient group", "age_band": "Age band"}``.
    questions : the table from :func:`load_questions`; questions for other respondents
        (``respondents`` = patient/staff) are ignored.
    comments : question id -> file column for free-text answers.
    values : canonical column -> {file value: canonical value}, e.g. group labels.
    group : a fixed group for every row (e.g. ``"staff"``) instead of a group column.
    sites : lower-cased site name or code -> site code; a value matches a name or code ignoring case,
        spaces and punctuation (:func:`site_key`: ``st marys`` is ``St Mary's``); when given, any other
        site value is listed in ``unknown`` (the project's validation turns these into errors).
        Headers in ``columns``, ``comments`` and the questions' ``column`` match the file's headers
        ignoring case and runs of spaces when exactly one header matches (:func:`header_key`).
    groups : the declared groups; any other group value (after ``values`` recoding) is listed in ``unknown``.
    source_id : the file's id (its path relative to the project folder); also used as ``path`` in
        ``set_aside`` and ``sources`` so that outputs do not depend on where the project lies.
    sheet : the sheet to read from a workbook (required when several sheets hold rows).
    seen_ids : respondent id -> ``(source_id, row)`` of the files of the same survey read before this
        one; filled in as respondents are kept, so an id seen in an earlier file is set aside here as
        ``duplicate respondent id (first seen in FILE row N)``.

    ``completed`` dates are kept as ISO ``YYYY-MM-DD`` (:func:`iso_date`: ISO or day first, as UK exports
    write them); one that is not a date is set aside as an answer and the respondent kept without it.

    A row with no site, or no group (and no fixed ``group``), is set aside with that reason (a blank
    cell inside merged cells says so). ``sources[0]`` counts ``rows_read``, ``rows_kept`` and
    ``rows_set_aside``; ``rows_read == rows_kept + rows_set_aside``.
    """
    path = Path(path)
    source_id = source_id or path.name
    if not path.exists():
        raise MissingFileError("survey file not found", path=path, hint="Check the path in project.yaml.")
    table = read_table(path, sheet=sheet)
    df = table.frame
    known_groups = set(groups) if groups is not None else None
    unknown: list[dict] = []
    comments = dict(comments or {})
    values = {k: dict(v) for k, v in (values or {}).items()}
    respondents_kind = "staff" if group == "staff" else "patient"
    qs = questions[questions["respondents"].isin([respondents_kind, "all"])] if questions is not None else None
    # a header that differs only in case or spaces ('RESPONDENT ID', 'Hospital ') is the same column when
    # exactly one header of the file matches: exports of one survey from different tools differ so
    in_file = {}
    for h in table.header:
        in_file.setdefault(header_key(h), []).append(h)

    def resolve(name: str) -> str:
        if name in df.columns:
            return name
        found = in_file.get(header_key(name), [])
        return found[0] if len(found) == 1 and found[0] in df.columns else name

    columns = {k: (v if k == "respondent_id" and v == ROW_ID else resolve(v)) for k, v in columns.items()}
    by_row = columns.get("respondent_id") == ROW_ID
    row_prefix = "r" + hashlib.sha1(source_id.encode("utf-8")).hexdigest()[:6] + "-"
    comments = {k: resolve(v) for k, v in comments.items()}
    if qs is not None:  # a question named differently in another survey's files: its header in this one
        others = qs["other_columns"] if "other_columns" in qs.columns else [[]] * len(qs)
        qs = qs.assign(column=[next((resolve(h) for h in [c, *(o or [])] if resolve(h) in df.columns), resolve(c))
                               for c, o in zip(qs["column"], others)])
    needed = [c for c in columns.values() if c != ROW_ID] + list(comments.values())
    if qs is not None:
        needed += list(qs["column"])
    missing = [c for c in needed if c not in df.columns]
    if missing:
        import difflib

        close = {m: difflib.get_close_matches(m, list(df.columns), n=1, cutoff=0.6) for m in missing}
        guesses = "; ".join(f"For {m!r}, did you mean {c[0]!r}?" for m, c in close.items() if c)
        raise MissingColumnError(
            f"survey file {source_id!r}{f' (sheet {table.sheet!r})' if table.sheet else ''} is missing column(s) "
            f"{missing}",
            path=path, column=missing[0] if len(missing) == 1 else None, missing=missing,
            hint=(guesses + " " if guesses else "") + f"Its columns are {list(df.columns)}. "
                 "Fix the column mapping in project.yaml (or the column in questions.yaml).")
    for c in dict.fromkeys(needed):
        n = table.repeated(c)
        if n > 1:
            raise InputError(f"column {c!r} appears {'twice' if n == 2 else f'{n} times'} in the header, so which "
                             "one holds the answers is unclear", path=path, column=c,
                             hint="Rename the other columns in the file so that every header is unique.")

    attrs = {k: v for k, v in columns.items() if k not in ("respondent_id", "site", "group")}
    month_first = "completed" in attrs and month_first_dates(df[attrs["completed"]])  # a US export (1/13/2025)
    match_site = site_matcher(sites) if sites else None
    set_aside, resp_rows, answer_rows, seg_rows = [], [], [], []
    first_seen: dict[str, int] = {}
    rows_aside = 0

    def aside(row: int, column: str | None, reason: str, value="") -> None:
        nonlocal rows_aside
        rows_aside += is_row_set_aside(reason)
        set_aside.append({"source_id": source_id, "path": source_id, "row": row, "column": column,
                          "reason": reason, "value": value})

    def blank_reason(what: str, row: int, column: str, raw: str) -> str:
        if raw:
            return f"no {what} ({_marker(raw)})"
        merged = table.merged_range(row, column) if column else None
        if merged:
            return f"no {what} (the cell is inside merged cells {merged}: unmerge them and fill in every row)"
        return f"no {what}"

    for row, rec in zip(table.rows, df.to_dict("records")):
        if not any(_clean(v) for v in rec.values()):
            aside(row, None, "empty row")
            continue
        rid_raw = row_prefix + str(row) if by_row else _clean(rec[columns["respondent_id"]])
        rid = "" if _marker(rid_raw) else rid_raw
        if not rid:
            aside(row, columns["respondent_id"], blank_reason("respondent id", row, columns["respondent_id"], rid_raw),
                  rid_raw)
            continue
        if rid in first_seen:
            aside(row, columns["respondent_id"], f"duplicate respondent id (first seen at row {first_seen[rid]})", rid)
            continue
        if seen_ids is not None and rid in seen_ids:
            other, other_row = seen_ids[rid]
            aside(row, columns["respondent_id"], f"duplicate respondent id (first seen in {other} row {other_row})", rid)
            continue
        site_cell = _clean(rec[columns["site"]])
        site_raw = values.get("site", {}).get(site_cell, site_cell)
        if not site_raw or _marker(site_raw):
            aside(row, columns["site"], blank_reason("site", row, columns["site"], site_raw), site_cell)
            continue
        grp_cell = group if group is not None else _clean(rec[columns["group"]])
        grp = values.get("group", {}).get(grp_cell, grp_cell)
        if not grp or _marker(grp):
            aside(row, columns.get("group"), blank_reason("group", row, columns.get("group", ""), grp), grp_cell)
            continue
        first_seen[rid] = row
        if seen_ids is not None:
            seen_ids[rid] = (source_id, row)
        code = match_site(site_raw) if sites else None
        site = code or site_raw
        if sites and code is None:
            unknown.append({"source_id": source_id, "row": row, "column": columns["site"], "value": site_raw,
                            "kind": "site"})
        if known_groups is not None and grp not in known_groups:
            unknown.append({"source_id": source_id, "row": row, "column": columns.get("group", "group"),
                            "value": grp, "kind": "group"})
        person = {c: None for c in schema.RESPONDENTS} | {  # attributes not mapped: empty, not absent
            "respondent_id": rid, "source_id": source_id, "site": site, "group": grp, "source_type": "survey"}
        for name, col in attrs.items():
            raw = _clean(rec[col])
            person[name] = values.get(name, {}).get(raw, raw) or None
        if person.get("completed"):  # one form for trends over time: ISO, by the one date grammar (io.dates)
            when = parse_date(person["completed"], month_first=month_first)
            if when.problem:
                aside(row, columns["completed"], f"completion date not read: {when.problem}; "
                      "the respondent is kept without it", person["completed"])
            person["completed"] = when.date.isoformat() if when.date is not None else None
        resp_rows.append(person)
        if qs is not None:
            for q in qs.itertuples(index=False):
                raw = _clean(rec[q.column])
                if not raw:
                    continue  # item non-response: not an answer, nothing to keep
                labels = getattr(q, "labels", None)
                if labels and _NUMBER.match(raw) and float(raw).is_integer():
                    raw = labels.get(str(int(float(raw))), raw)  # "5" (or Excel's "5.0") -> "Strongly agree"
                raw = as_option(raw, q)  # "AGREE", "agree " -> "Agree", as questions.yaml spells it
                ok, why = _valid_answer(raw, q)
                if not ok:
                    aside(row, q.column, why, raw)
                    continue
                answer_rows.append({"respondent_id": rid, "site": site, "group": grp,
                                    "question_id": q.question_id, "value": raw})
        for pos, (qid, col) in enumerate(comments.items()):
            text = markup_removed(_clean(rec[col]))  # a web form's "<p>Too cold &amp; cramped</p>"
            if not text:
                continue
            if text.lower().strip(" .!") in PLACEHOLDERS or text.lower() in PLACEHOLDERS:
                aside(row, col, "placeholder answer with no content to code", text)
                continue
            seg_rows.append({"segment_id": segment_id(source_id, rid, qid, pos), "source_id": source_id,
                             "site": site, "group": grp, "source_type": "survey", "question_id": qid,
                             "respondent_id": rid, "speaker": None, "role": "participant",
                             "position": pos, "timestamp": person.get("completed"), "text": text})
    source = {"source_id": source_id, "path": source_id, "kind": "survey", "rows_read": len(df),
              "respondents_kept": len(resp_rows), "rows_kept": len(resp_rows), "rows_set_aside": rows_aside}
    if table.sheet is not None:
        source["sheet"] = table.sheet
    if month_first:
        source["dates"] = "month first"
    out = Ingested(
        respondents=schema.conform(pd.DataFrame(resp_rows), "respondents") if resp_rows else schema.empty("respondents"),
        responses=schema.conform(pd.DataFrame(answer_rows), "responses") if answer_rows else schema.empty("responses"),
        segments=schema.conform(pd.DataFrame(seg_rows), "segments") if seg_rows else schema.empty("segments"),
        set_aside=schema.conform(pd.DataFrame(set_aside), "set_aside") if set_aside else schema.empty("set_aside"),
        sources=[source],
        unknown=unknown,
    )
    return out


def accounting(data: Ingested) -> pd.DataFrame:
    """Per source: ``rows_read``, ``rows_kept``, ``rows_set_aside`` and whether they balance.

    Surveys count rows (a kept row is a respondent; a row set aside has a reason for which
    :func:`is_row_set_aside` is true); transcripts count speaker turns (a kept turn is a segment).
    The counts are recomputed from the tables, so ``balanced`` is a real check of the reader.
    """
    rows = []
    aside = data.set_aside
    for s in data.sources:
        mine = aside[aside["source_id"] == s["source_id"]]
        if s["kind"] == "survey":
            kept = int((data.respondents["source_id"] == s["source_id"]).sum())
            n_aside = sum(map(is_row_set_aside, mine["reason"]))
        else:
            kept = int((data.segments["source_id"] == s["source_id"]).sum())
            n_aside = len(mine)
        rows.append({"source_id": s["source_id"], "kind": s["kind"], "rows_read": s["rows_read"],
                     "rows_kept": kept, "rows_set_aside": n_aside,
                     "balanced": s["rows_read"] == kept + n_aside})
    return pd.DataFrame(rows, columns=["source_id", "kind", "rows_read", "rows_kept", "rows_set_aside", "balanced"])


def as_option(raw: str, q) -> str:
    """``raw`` as the option of ``q`` it spells with other capitals, spaces or apostrophes ("AGREE",
    "strongly  agree", "Don’t know"), else unchanged. Survey tools and hand-typed exports vary the case
    and leave trailing spaces; an answer that is plainly an option must not be set aside as "not one of
    its options". When several options differ only so (init listed "agree" and "AGREE"), the answer reads
    as the first of them only if they all score alike (all positive, all negative or all neither).

    >>> from types import SimpleNamespace as Q
    >>> q = Q(kind="categorical", options=["Strongly agree", "Agree", "Disagree"], positive=["Strongly agree", "Agree"],
    ...       negative=["Disagree"])
    >>> as_option("AGREE", q), as_option("strongly  agree", q), as_option("Agreed", q), as_option("Agree", q)
    ('Agree', 'Strongly agree', 'Agreed', 'Agree')
    """
    options = getattr(q, "options", None)
    if getattr(q, "kind", None) == "rating" or not isinstance(options, (list, tuple)) or not options or raw in options:
        return raw
    same = [o for o in options if header_key(o) == header_key(raw)]
    if not same:
        return raw
    pos, neg = set(getattr(q, "positive", None) or []), set(getattr(q, "negative", None) or [])
    if len({(o in pos, o in neg) for o in same}) == 1:
        return same[0]
    return raw


def _valid_answer(raw: str, q) -> tuple[bool, str]:
    """``(ok, reason)``: a rating is a plain number within range; an option one of the options.

    Text such as ``nan``, ``NULL`` or ``#N/A`` is not an answer (unless it is one of the options),
    and ``float()``'s extras (``inf``, ``1_0``, non-ASCII digits) are not numbers here.
    """
    if q.kind != "rating" and q.options and raw in q.options:
        return True, ""
    why = _marker(raw)
    if why:
        return False, f"answer to {q.question_id} is not an answer ({why})"
    if q.kind == "rating":
        if not _NUMBER.match(raw):
            return False, f"answer to {q.question_id} is not a number"
        value = float(raw)
        lo, hi = q.min, q.max
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            span = f"{lo:g} to {hi:g}" if lo is not None and hi is not None else (
                f"at least {lo:g}" if lo is not None else f"at most {hi:g}")
            return False, f"answer to {q.question_id} out of range {span}"
        return True, ""
    if q.options and raw not in q.options:
        return False, f"answer to {q.question_id} is not one of its options"
    return True, ""
