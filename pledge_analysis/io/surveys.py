"""Reading survey exports (CSV or XLSX) into the tidy tables of DESIGN.md.

A survey export has one row per respondent: an id, the hospital, the patient group,
attributes (age band, ethnicity, deprivation quintile or staff role), tick-box answers
and free-text answers. :func:`read_survey` turns one file into

- ``respondents``: one row per respondent kept,
- ``responses``: tick-box answers in long form (``respondent_id, site, group, question_id, value``),
- ``segments``: one row per non-empty free-text answer,
- ``set_aside``: every row, answer or comment that was not kept, with the reason.

Row numbers in messages are spreadsheet rows: the header is row 1, the first answer row 2.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from .. import schema
from ..errors import EmptyInputError, InputError, MissingColumnError, MissingFileError
from .files import read_text_file

#: Answers that carry no content to code ("N/A", "Nothing"): kept out of segments, listed in set_aside.
PLACEHOLDERS = frozenset({
    "", "-", "--", ".", "n/a", "na", "n.a.", "none", "nothing", "no", "nil", "not applicable",
    "nothing to add", "nothing to add.", "nothing.", "no comment", "no comments", "did not answer",
})


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

    Columns: ``question_id, column, text, kind`` (``categorical`` or ``rating``), ``options``,
    ``positive``, ``negative`` (lists of answer options; any other option is *excluded*
    from scoring, as in CPES), ``min``, ``max`` (ratings), ``national`` (the CPES question
    number, or None) and ``respondents`` (``patient`` or ``staff``).
    """
    from ..project_schema import QuestionsFile, parse
    from .yamlfile import load_yaml_located

    path = Path(path)
    if not path.exists():
        raise MissingFileError("questions file not found", path=path)
    data, where = load_yaml_located(path)
    model = parse(QuestionsFile, data, where, path)
    rows = [{
        "question_id": q.id, "column": q.column or q.id, "text": q.text, "kind": q.kind,
        "options": list(q.options), "positive": list(q.positive), "negative": list(q.negative),
        "min": q.min, "max": q.max, "national": q.national, "respondents": q.respondents,
    } for q in model.questions]
    return pd.DataFrame(rows)


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise MissingFileError("survey file not found", path=path, hint="Check the path in project.yaml.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        df = pd.read_excel(path, dtype=str, keep_default_na=False)
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        text, _enc = read_text_file(path)
        if not text.strip():
            raise EmptyInputError("survey file is empty", path=path, hint="Export the survey again.")
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                         sep="\t" if path.suffix.lower() == ".tsv" else ",")
    else:
        raise InputError(f"unsupported survey file type {path.suffix!r}", path=path,
                         hint="Use CSV (.csv) or Excel (.xlsx).")
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise EmptyInputError("survey file has a header but no rows", path=path)
    return df.fillna("").astype(str)


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
    sites : lower-cased site name or code -> site code; when given, any other site value is
        listed in ``unknown`` (the project's validation turns these into errors).
    groups : the declared groups; any other group value (after ``values`` recoding) is listed in ``unknown``.
    source_id : the file's id (its path relative to the project folder); also used as ``path`` in
        ``set_aside`` and ``sources`` so that outputs do not depend on where the project lies.

    A row with no site, or no group (and no fixed ``group``), is set aside with that reason.
    """
    path = Path(path)
    source_id = source_id or path.name
    df = _read_table(path)
    known_groups = set(groups) if groups is not None else None
    unknown: list[dict] = []
    comments = dict(comments or {})
    values = {k: dict(v) for k, v in (values or {}).items()}
    needed = [c for c in columns.values()] + list(comments.values())
    respondents_kind = "staff" if group == "staff" else "patient"
    qs = questions[questions["respondents"] == respondents_kind] if questions is not None else None
    if qs is not None:
        needed += list(qs["column"])
    missing = [c for c in needed if c not in df.columns]
    if missing:
        import difflib

        close = {m: difflib.get_close_matches(m, list(df.columns), n=1, cutoff=0.6) for m in missing}
        guesses = "; ".join(f"For {m!r}, did you mean {c[0]!r}?" for m, c in close.items() if c)
        raise MissingColumnError(
            f"survey file {source_id!r} is missing column(s) {missing}",
            hint=(guesses + " " if guesses else "") + f"Its columns are {list(df.columns)}. "
                 "Fix the column mapping in project.yaml (or the column in questions.yaml).")

    attrs = {k: v for k, v in columns.items() if k not in ("respondent_id", "site", "group")}
    set_aside, resp_rows, answer_rows, seg_rows = [], [], [], []
    first_seen: dict[str, int] = {}

    def aside(row: int, column: str | None, reason: str, value="") -> None:
        set_aside.append({"source_id": source_id, "path": source_id, "row": row, "column": column,
                          "reason": reason, "value": value})

    for i, rec in enumerate(df.to_dict("records")):
        row = i + 2
        if not any(str(v).strip() for v in rec.values()):
            aside(row, None, "empty row")
            continue
        rid = rec[columns["respondent_id"]].strip()
        if not rid:
            aside(row, columns["respondent_id"], "no respondent id")
            continue
        if rid in first_seen:
            aside(row, columns["respondent_id"], f"duplicate respondent id (first seen at row {first_seen[rid]})", rid)
            continue
        site_raw = rec[columns["site"]].strip()
        site_raw = values.get("site", {}).get(site_raw, site_raw)
        if not site_raw:
            aside(row, columns["site"], "no site")
            continue
        grp_raw = group if group is not None else rec[columns["group"]].strip()
        if not grp_raw:
            aside(row, columns["group"], "no group")
            continue
        first_seen[rid] = row
        site = (sites or {}).get(site_raw.lower(), site_raw)
        if sites and site_raw.lower() not in sites:
            unknown.append({"source_id": source_id, "row": row, "column": columns["site"], "value": site_raw,
                            "kind": "site"})
        grp = values.get("group", {}).get(grp_raw, grp_raw)
        if known_groups is not None and grp not in known_groups:
            unknown.append({"source_id": source_id, "row": row, "column": columns.get("group", "group"),
                            "value": grp, "kind": "group"})
        person = {"respondent_id": rid, "source_id": source_id, "site": site, "group": grp,
                  "source_type": "survey"}
        for name, col in attrs.items():
            raw = rec[col].strip()
            person[name] = values.get(name, {}).get(raw, raw) or None
        resp_rows.append(person)
        if qs is not None:
            for q in qs.itertuples(index=False):
                raw = rec[q.column].strip()
                if not raw:
                    continue  # item non-response: not an answer, nothing to keep
                ok, why = _valid_answer(raw, q)
                if not ok:
                    aside(row, q.column, why, raw)
                    continue
                answer_rows.append({"respondent_id": rid, "site": site, "group": grp,
                                    "question_id": q.question_id, "value": raw})
        for pos, (qid, col) in enumerate(comments.items()):
            text = rec[col].strip()
            if not text:
                continue
            if text.lower().strip(" .!") in PLACEHOLDERS or text.lower() in PLACEHOLDERS:
                aside(row, col, "placeholder answer with no content to code", text)
                continue
            seg_rows.append({"segment_id": segment_id(source_id, rid, qid, pos), "source_id": source_id,
                             "site": site, "group": grp, "source_type": "survey", "question_id": qid,
                             "respondent_id": rid, "speaker": None, "role": "participant",
                             "position": pos, "timestamp": person.get("completed"), "text": text})
    out = Ingested(
        respondents=schema.conform(pd.DataFrame(resp_rows), "respondents") if resp_rows else schema.empty("respondents"),
        responses=schema.conform(pd.DataFrame(answer_rows), "responses") if answer_rows else schema.empty("responses"),
        segments=schema.conform(pd.DataFrame(seg_rows), "segments") if seg_rows else schema.empty("segments"),
        set_aside=schema.conform(pd.DataFrame(set_aside), "set_aside") if set_aside else schema.empty("set_aside"),
        sources=[{"source_id": source_id, "path": source_id, "kind": "survey", "rows_read": len(df),
                  "respondents_kept": len(resp_rows)}],
        unknown=unknown,
    )
    return out


def _valid_answer(raw: str, q) -> tuple[bool, str]:
    if q.kind == "rating":
        try:
            value = float(raw)
        except ValueError:
            return False, f"answer to {q.question_id} is not a number"
        lo, hi = q.min, q.max
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            return False, f"answer to {q.question_id} out of range {lo:g} to {hi:g}"
        return True, ""
    if q.options and raw not in q.options:
        return False, f"answer to {q.question_id} is not one of its options"
    return True, ""
