"""Guessing the layout of a user's survey export: which column is what, and each scale's reading.

Used by ``pledge-analysis init`` (:mod:`pledge_analysis.scaffold`). Everything here is a guess
for a person to confirm: a column's role from its header and values, a tick-box question's
answer options in scale order and which answers count as positive or negative (the CPES way:
"Don't know" and "Not applicable" are neither, i.e. excluded from the percentage).

>>> reading_of(["Agree", "Disagree", "Strongly agree", "Agree"])["positive"]
['Strongly agree', 'Agree']
>>> reading_of(["Yes", "No", "Don't know"])["options"]
['Yes', 'No', "Don't know"]
>>> reading_of(["Letter", "Email"])["positive"] is None
True
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .dates import month_first_dates, parse_date
from .surveys import NO_ANSWER_MARKS, _read_table, header_key, iso_date

#: Known answer scales, in scale order; "+" positive, "-" negative, "0" neither (excluded).
SCALES: dict[str, list[tuple[str, str]]] = {
    "yes/no": [("Yes", "+"), ("No", "-")],
    "agree/disagree": [("Strongly agree", "+"), ("Agree", "+"), ("Neither agree nor disagree", "0"),
                       ("Disagree", "-"), ("Strongly disagree", "-")],
    "tend to agree": [("Strongly agree", "+"), ("Tend to agree", "+"), ("Neither agree nor disagree", "0"),
                      ("Tend to disagree", "-"), ("Strongly disagree", "-")],
    "yes, definitely": [("Yes, definitely", "+"), ("Yes, to some extent", "-"), ("No", "-")],
    "yes, completely": [("Yes, completely", "+"), ("Yes, to some extent", "-"), ("No", "-")],
    "understood": [("Yes, I completely understood it", "+"), ("Yes, I understood some of it", "-"),
                   ("No, I did not understand it", "-")],
    "written information": [("Yes, and it was easy to understand", "+"),
                            ("Yes, but it was difficult to understand", "-"), ("No", "-")],
    "involved": [("Yes, definitely", "+"), ("Yes, to some extent", "-"), ("No, but I would have liked to be", "-")],
    "information offered": [("Yes", "+"), ("No, but I would have liked information", "-")],
    "yes, always": [("Yes, always", "+"), ("Yes, most of the time", "+"), ("No, only some of the time", "-"),
                    ("No, never", "-")],
    # CPES (e.g. 2018 Q37 "treated with respect and dignity"): only "Yes, always" is positive
    "yes, sometimes": [("Yes, always", "+"), ("Yes, sometimes", "-"), ("No", "-")],
    "always/never": [("Always", "+"), ("Most of the time", "+"), ("Sometimes", "-"), ("Rarely", "-"),
                     ("Never", "-")],
    "very good/very poor": [("Very good", "+"), ("Good", "+"), ("Neither good nor poor", "0"), ("Poor", "-"),
                            ("Very poor", "-")],
    "excellent/poor": [("Excellent", "+"), ("Very good", "+"), ("Good", "+"), ("Fair", "-"), ("Poor", "-")],
    "waiting time": [("It was about right", "+"), ("It was a little too long", "-"), ("It was much too long", "-")],
    "easy/difficult": [("Very easy", "+"), ("Quite easy", "+"), ("Quite difficult", "-"), ("Very difficult", "-")],
    "satisfied": [("Very satisfied", "+"), ("Satisfied", "+"), ("Neither satisfied nor dissatisfied", "0"),
                  ("Dissatisfied", "-"), ("Very dissatisfied", "-")],
    "likely": [("Extremely likely", "+"), ("Likely", "+"), ("Neither likely nor unlikely", "0"),
               ("Unlikely", "-"), ("Extremely unlikely", "-")],
}
#: Answers that are neither positive nor negative (excluded from the percentage, as in CPES).
EXCLUDED = re.compile(r"don'?t know|do not know|can'?t (say|remember)|cannot (say|remember)|not applicable|^n/?a$"
                      r"|did not need|didn'?t need|not necessary|no need|have not tried|haven'?t tried|prefer not"
                      r"|not sure|no opinion|^neither\b|not relevant|does not apply")
NEGATIVE = re.compile(r"^no\b|disagree|dissatisf|unlikely|poor|never|too long|too short|difficult|rarely|bad"
                      r"|worse|unhelpful|not at all|some of the time|to some extent|sometimes")
POSITIVE = re.compile(r"^yes\b|agree|satisf|likely|excellent|good|easy|always|about right|helpful|better")
_KNOWN = {}
for _options in SCALES.values():
    for _answer, _r in _options:
        _KNOWN.setdefault(_answer.lower(), _r)
_READING = {"+": "positive", "-": "negative", "0": "neither"}


def norm(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, no trailing full stop: ``"Don’t know."`` -> ``"don't know"``."""
    return re.sub(r"\s+", " ", str(text).replace("\u2019", "'").replace("\u2018", "'")).strip().rstrip(".").lower()


def answer_reading(answer: str) -> str | None:
    """``"+"``, ``"-"``, ``"0"`` (neither) or None (unknown) for one answer, from the lexicon."""
    a = norm(answer)
    if a in _KNOWN:
        return _KNOWN[a]
    if EXCLUDED.search(a):
        return "0"
    if NEGATIVE.search(a):
        return "-"
    if POSITIVE.search(a):
        return "+"
    return None


def reading_of(values: list[str]) -> dict:
    """Guess a tick-box question's scale from its answers (one item per answer given).

    Returns ``{"scale", "options", "positive", "negative", "dropped"}``; ``positive``/``negative``
    are None when some answer is not a known scale word (the user must fill them in). Unknown
    answers given by at most 1% (``"Yess"``) are ``dropped`` from the options when the rest is a
    known scale: the reader then sets them aside as answers that are not an option.
    """
    counts = Counter(v for v in values if v)
    out = _reading(counts)
    rare = [v for v in counts if answer_reading(v) is None and counts[v] <= 0.01 * sum(counts.values())]
    if out["positive"] is None and rare:
        retry = _reading(Counter({v: n for v, n in counts.items() if v not in rare}))
        if retry["positive"] is not None:
            return {**retry, "dropped": rare}
    return {**out, "dropped": []}


def _reading(counts: Counter) -> dict:
    by_freq = sorted(counts, key=lambda v: -counts[v])  # stable: ties keep first appearance
    seen = {norm(v): v for v in by_freq}
    core = {k for k in seen if answer_reading(k) != "0" or k in _KNOWN}
    covering = [(name, opts) for name, opts in SCALES.items() if core <= {norm(o) for o, _ in opts}]
    if covering:
        name, opts = min(covering, key=lambda s: len(s[1]))
        options = [seen.get(norm(o), o) for o, _ in opts]
        options += [v for v in by_freq if v not in options]
    else:
        name, order = None, {"+": 0, "-": 1, "0": 2, None: 3}
        options = sorted(by_freq, key=lambda v: order[answer_reading(v)])
    scale = {norm(a): r for a, r in SCALES[name]} if name else {}
    readings = {o: scale.get(norm(o)) or answer_reading(o) for o in options}
    if None in readings.values() or "+" not in readings.values() or "-" not in readings.values():
        return {"scale": name, "options": options, "positive": None, "negative": None}
    return {"scale": name or "known scale words", "options": options,
            "positive": [o for o in options if readings[o] == "+"],
            "negative": [o for o in options if readings[o] == "-"]}


def _words(header: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", header.lower())


#: Header words of the columns that are not questions, checked in this order (a short header only).
ROLE_WORDS: list[tuple[str, set[str]]] = [
    ("personal", {"name", "email", "phone", "telephone", "mobile", "postcode", "address", "dob", "birth", "nhs"}),
    ("respondent_id", {"id", "ref", "reference", "respondent", "number", "no", "urn", "identifier", "record"}),
    ("age_band", {"age"}),
    ("ethnicity", {"ethnicity", "ethnic"}),
    ("imd_quintile", {"imd", "deprivation", "quintile", "decile"}),
    ("sex", {"sex", "gender"}),
    ("role", {"role", "job", "profession", "occupation", "position"}),
    ("site", {"hospital", "site", "trust", "location", "centre", "center", "unit", "organisation", "provider"}),
    ("group", {"group", "cohort", "diagnosis", "stage", "type"}),
    ("completed", {"date", "completed", "submitted", "timestamp", "time"}),
]


def header_role(header: str) -> str | None:
    """The column role a short header's words name (:data:`ROLE_WORDS`, first match), or None. "name" is a
    person's only when nothing else in the header is a place: "Hospital name" and "Name of trust" are the site.

    >>> header_role("Patient name"), header_role("Hospital name"), header_role("Trust"), header_role("Feedback")
    ('personal', 'site', 'site', None)
    """
    words = set(_words(header))
    personal = dict(ROLE_WORDS)["personal"]
    if words & personal == {"name"} and words & dict(ROLE_WORDS)["site"]:
        words = words - {"name"}
    return next((r for r, ws in ROLE_WORDS if words & ws), None)


GROUP_WORDS = {"secondary": re.compile(r"secondary|metasta|advanced|stage (4|iv)|\bmbc\b|\bsbc\b"),
               "primary": re.compile(r"primary|early|\bpbc\b|\bebc\b"), "staff": re.compile(r"staff")}
#: what a date-shaped value may be refused for and still be a date (so the column is the completion date)
_DATE_KINDS = ("month_first", "no_such_day", "month_not_day", "ambiguous")
_INT = re.compile(r"^-?\d+(?:\.0+)?$")
_RANGE = re.compile(r"\(?\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\b|\b(\d{1,2})\s*=.*?\b(\d{1,2})\s*=")
_STOP = {"the", "a", "an", "of", "to", "was", "were", "you", "your", "my", "i", "me", "did", "do", "how", "what",
         "is", "are", "and", "in", "on", "for", "about", "with", "we", "our", "it", "be", "would", "has", "have"}
MAX_OPTIONS = 12
#: Answers this long on average (characters) that are not a known scale are comments, however often
#: they repeat: the longest CPES option ("Neither satisfied nor dissatisfied") has 34 characters.
COMMENT_LENGTH = 40
#: A header that asks for the respondent's own words ("Anything else you would like to tell us?", "Any other
#: comments?"): its answers are comments when they are sentences (15 characters or more on average) and no
#: known scale, even when a small export repeats a few of them.
OPEN_PROMPT = re.compile(r"\b(anything else|tell us|comments?|in your own words|please (explain|describe|give details)"
                         r"|what (could|would|went|was good|else)|how could we|suggestions?)\b", re.I)
#: Words that make a long header ("Which hospital are you treated at?") a site column when its answers are few.
SITE_QUESTION_WORDS = {"hospital", "site", "trust", "clinic"}


#: header words of a date column that is when the form was sent (preferred), or not (used last)
_SENT_WORDS = {"completion", "completed", "submitted", "submission", "finished", "end", "timestamp"}
_NOT_SENT_WORDS = {"start", "started", "begin", "began", "modified", "opened", "created"}


def _completion_rank(header: str) -> int:
    """How a date column ranks as the completion date: 0 when sent (``Completion time``), 2 when it is not
    (``Start time``, ``Last modified time``), else 1 (the first of a rank is used).

    >>> sorted(["Start time", "Completion time", "Last modified time"], key=_completion_rank)[0]
    'Completion time'
    """
    words = set(_words(header))
    return 0 if words & _SENT_WORDS else 2 if words & _NOT_SENT_WORDS else 1


def _date_like(value: str) -> bool:
    """A value that is a date, or is shaped like one but refused (month first, 31/02, ``Apr-25`` ...)."""
    if len(value) > 40 or not any(c.isdigit() for c in value):
        return False
    got = parse_date(value)
    return got.date is not None or got.kind in _DATE_KINDS


def group_of(value: str) -> str | None:
    """``primary``/``secondary``/``staff`` for a group label such as ``"Metastatic"``, else None."""
    v = norm(value)
    return next((g for g, rx in GROUP_WORDS.items() if rx.search(v)), None)


def slug(text: str, *, words: int = 3) -> str:
    """A short identifier from a header: ``"What was good about your care?"`` -> ``"good_care"``."""
    ws = [w for w in _words(text) if w not in _STOP][:words] or _words(text)[:words] or ["item"]
    s = "_".join(ws)
    return s if s[0].isalpha() else "q_" + s


def question_id(header: str) -> tuple[str, str]:
    """``(id, text)`` from a header: ``"Q1 Overall, how ... care?"`` -> ``("Q1", "Overall, how ... care?")``."""
    m = re.match(r"^\s*(Q\s?\d+[a-z]?)(?![A-Za-z0-9])[\s.:)\-–]*", header, re.I)
    if m:
        return m[1].upper().replace(" ", ""), header[m.end():].strip() or header
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,11}", header.strip()):  # already an id, e.g. "HNA"
        return header.strip(), header
    return slug(header), header


@dataclass
class QuestionGuess:
    """A tick-box question as it will be written to questions.yaml, with why it was guessed."""

    id: str
    column: str
    text: str
    kind: str
    respondents: str
    options: list[str] = field(default_factory=list)
    positive: list[str] | None = None
    negative: list[str] | None = None
    min: int | None = None
    max: int | None = None
    note: str = ""
    #: answer code -> label, for answers exported as numbers with a legend (``1 = Strongly disagree``)
    labels: dict[int, str] | None = None
    #: the question's header in other surveys' files (the same wording, another tool or numbering)
    other_columns: list[str] = field(default_factory=list)

    def as_yaml(self) -> dict:
        d = {"id": self.id, "column": self.column, "text": self.text, "kind": self.kind}
        if self.other_columns:
            d["other_columns"] = list(self.other_columns)
        if self.kind == "rating":
            d.update(min=self.min, max=self.max)
        else:
            if self.labels:
                d["labels"] = dict(self.labels)
            d.update(options=self.options, positive=self.positive or [], negative=self.negative or [])
        d["respondents"] = self.respondents
        return d


@dataclass
class SurveyGuess:
    """One survey layout (files with the same columns) and what each column was taken to be."""

    name: str
    files: list[Path]
    rows: int
    columns: dict[str, str]
    comments: dict[str, str]
    values: dict[str, dict[str, str]]
    group: str | None
    questions: list[QuestionGuess]
    site_values: list[str]
    ignored: dict[str, str]
    notes: list[str]
    #: the sheet read from the workbooks (None: a CSV, or a workbook with one sheet holding rows)
    sheet: str | None = None


#: "1 = Strongly disagree", "5 - Strongly agree", "3: Neither": a number and the words it stands for
_LEGEND = re.compile(r"(?<![\w.])(\d{1,2})\s*(?:=|:|-|–)\s*([A-Za-z][A-Za-z' ]*[A-Za-z])")
#: Headers that say their numbers are a rating or score (not answer codes of a Likert scale)
RATING_WORDS = re.compile(r"\brat(?:e|ing|ed)\b|\bscore\b|\bout of\b|how likely|recommend", re.I)
#: The most points a Likert scale coded as numbers has (1-7); 0-10 is the NHS surveys' rating
LIKERT_MAX = 7


def legend_in(text: str) -> dict[int, str]:
    """Answer codes and their words in a legend: ``"(1 = Strongly disagree, 5 = Strongly agree)"`` ->
    ``{1: "Strongly disagree", 5: "Strongly agree"}``. ``"Q1 Staff"`` and ``"1-5"`` are no legend.

    >>> legend_in("Your care (1 = Strongly disagree, 5 = Strongly agree)")
    {1: 'Strongly disagree', 5: 'Strongly agree'}
    >>> legend_in("Q1: Staff explained things (1-5)")
    {}
    """
    return {int(m[1]): m[2].strip() for m in _LEGEND.finditer(str(text))}


def file_legend(path: Path, title_rows: list[list[str]] | None = None, sheet: str | None = None) -> tuple[dict, str]:
    """``(legend, where)``: answer codes and their words that a survey file states outside its header: the
    title rows above the header and, in a workbook, its other sheets (a "Key" sheet of code and meaning,
    or a cell such as ``1 = Strongly disagree``). ``({}, "")`` when it states none."""
    legend, where = {}, []
    for r in title_rows or []:
        for cell in r:
            found = legend_in(cell)
            if found:
                legend.update(found)
                where.append("the title row above the header")
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # the reader reports a damaged workbook; no legend from it
            return legend, ", ".join(dict.fromkeys(where))
        try:
            for ws in wb.worksheets:
                if ws.title == sheet:  # the sheet read: its title rows are above
                    continue
                found = {}
                for row in ws.iter_rows(values_only=True):
                    cells = [c for c in row if c is not None and str(c).strip()]
                    if len(cells) >= 2 and _INT.match(str(cells[0]).strip()) and re.search(r"[A-Za-z]", str(cells[1])):
                        found[int(float(str(cells[0])))] = str(cells[1]).strip()
                    else:
                        for c in cells:
                            found.update(legend_in(c))
                if found:
                    legend.update(found)
                    where.append(f"sheet {ws.title!r}")
        finally:
            wb.close()
    return legend, ", ".join(dict.fromkeys(where))


def likert_labels(legend: dict[int, str], lo: int, hi: int) -> tuple[dict[int, str] | None, str]:
    """``(labels, how)``: every answer code ``lo..hi`` with its words, from a legend that names them all or
    names some of a known scale (``SCALES``) with as many points, in either direction; ``(None, why)`` when
    the legend does not settle it (two known scales that would score the codes differently, or none)."""
    codes = list(range(lo, hi + 1))
    named = {c: v for c, v in legend.items() if c in codes}
    if len(named) == len(codes):
        return dict(sorted(named.items())), "every code is named"
    if len(named) < 2:
        return None, "the legend names fewer than two of the codes"
    fits = []
    for opts in SCALES.values():
        if len(opts) != len(codes):
            continue
        for order in (opts, opts[::-1]):
            full = dict(zip(codes, order))
            if all(norm(full[c][0]) == norm(v) for c, v in named.items()):
                fits.append(full)
    readings = {tuple(r for _, r in f.values()) for f in fits}
    if len(readings) != 1:
        return None, ("no known scale has these words at these codes" if not fits else
                      "known scales with these words would score the codes differently")
    full = fits[0]
    return {c: named.get(c, full[c][0]) for c in codes}, (
        f"codes {sorted(set(codes) - set(named))} named from the {len(codes)}-point scale with those end words")


def _rating(header: str, numbers: list[float]) -> tuple[int, int, str]:
    m = _RANGE.search(header)
    if m:
        lo, hi = (int(x) for x in (m.groups()[:2] if m[1] else m.groups()[2:]))
        if lo < hi and lo <= min(numbers) and max(numbers) <= hi:
            return lo, hi, f"range {lo}-{hi} read from the header"
    hi = 10 if max(numbers) > 5 else 5
    lo = 0 if hi == 10 or min(numbers) == 0 else 1  # 0-10 is the NHS surveys' rating
    return lo, hi, f"range {lo}-{hi} guessed from the answers (lowest {min(numbers):g}, highest {max(numbers):g})"


def wording_key(text: str) -> str:
    """A question's wording with case, punctuation and spacing ignored: the same question in two surveys.

    >>> wording_key("Q3. Did staff  listen to you?") == wording_key("did staff listen to you") == "did staff listen to you"
    True
    """
    return " ".join(re.sub(r"[^\w\s]", " ", norm(question_id(text)[1])).split())


def detect_survey(files: list[Path], *, name: str, taken: set[str], sheet: str | None = None,
                  wordings: dict[str, "QuestionGuess | str"] | None = None) -> SurveyGuess:
    """Guess the columns, tick-box questions and comment columns of files sharing one layout.

    ``taken`` holds question ids already used in the project; new ids are added to it. ``sheet``: the sheet
    of the workbooks to read (see :func:`choose_sheet`). ``wordings`` (:func:`wording_key` -> the question
    guessed in an earlier survey, or a comment's id): a question worded the same (ignoring case, punctuation
    and spacing) gets the same id, when it is scored the same way (same kind, same positive answers).
    """
    wordings = {} if wordings is None else wordings
    import pandas as pd

    from .files import read_table

    tables = [read_table(Path(f), sheet=sheet) for f in files]
    frames = [t.frame for t in tables]
    layout_notes = []
    for f, t in zip(files, tables):
        if t.title_rows:
            titles = [c for r in t.title_rows for c in r if str(c).strip()]
            layout_notes.append(f"CHECK: {Path(f).name}: the header is row {t.rows[0] - 1 - bool(t.subheader_row)}; "
                                f"the row(s) above it hold titles ({', '.join(map(repr, titles[:4]))}) and are not read")
        if t.subheader_row:
            layout_notes.append(f"CHECK: {Path(f).name}: row {t.subheader_row} is a second header row (SurveyMonkey's "
                                "'Response' row or Qualtrics' import ids): merged into the header ('question - "
                                "option' for tick-all options), not read as a respondent")
    spelling = {header_key(c): c for c in frames[0].columns}  # the first file's headers name the columns
    df = pd.concat([t.rename(columns=lambda c: spelling.get(header_key(c), c)) for t in frames], ignore_index=True)
    df = df.fillna("")
    columns, ignored, notes, candidates = {}, {}, layout_notes, {}
    for col in df.columns:
        vals = [v.strip() for v in df[col] if v.strip()]
        words = set(_words(col))
        short = len(_words(col)) <= 4 and not re.match(r"^\s*Q\s?\d", col, re.I)  # "Q7 Hospital food" is a question
        role = header_role(col) if short else None
        if role is None and not re.match(r"^\s*Q\s?\d", col, re.I) and words & SITE_QUESTION_WORDS and vals \
                and len(set(vals)) <= MAX_OPTIONS and not any(answer_reading(v) for v in vals):
            role = "site"  # "Which hospital are you treated at?" (SurveyMonkey asks it as a question)
        if role not in (None, "personal", "respondent_id", "completed") and vals and \
                sum(answer_reading(v) is not None for v in vals) >= 0.8 * len(vals):
            role = None  # scale answers ("Very good", "Yes"): a question, whatever its header says
        dates = sum(_date_like(v) for v in vals)
        if role == "completed" and dates < 0.5 * len(vals):
            role = None  # "Waiting time" is not a date
        if role is None and vals and len(set(vals)) <= MAX_OPTIONS and \
                sum(bool(group_of(v)) for v in vals) >= 0.5 * len(vals):
            role = "group"
        if role is None and vals and dates >= 0.9 * len(vals):
            role = "completed"
        if role == "respondent_id" and len(set(vals)) < 0.95 * max(len(vals), 1):
            role = None  # not unique enough to be an id
        if role is not None:
            candidates.setdefault(role, []).append(col)
    if "respondent_id" not in candidates:  # no id-like header: the first column of unique, short values
        for col in [c for c in df.columns if not any(c in cols for cols in candidates.values())]:
            vals = [v.strip() for v in df[col]]
            if all(vals) and len(set(vals)) == len(vals) and sum(map(len, vals)) / len(vals) < 20:
                candidates["respondent_id"] = [col]
                notes.append(f"respondent id: {col!r} guessed from its unique values (its header is not id-like)")
                break
    if len(candidates.get("completed", [])) > 1:  # Microsoft Forms: Start time, Completion time, Last modified time
        candidates["completed"].sort(key=_completion_rank)
    for role, cols in candidates.items():
        if role == "personal":
            for col in cols:
                ignored[col] = "looks like personal data: not read"
            continue
        columns[role] = cols[0]
        for col in cols[1:]:
            ignored[col] = f"also looks like a {role.replace('_', ' ')} column; {cols[0]!r} was used"
    staff = any("staff" in Path(f).name.lower() for f in files) or ("role" in columns and "group" not in columns)
    values, group = {}, None
    if staff:
        group = "staff"
        if "group" in columns:
            ignored[columns.pop("group")] = "a staff survey: every row is group staff"
    elif "group" in columns:
        mapping, unknown = {}, []
        for v in sorted({v.strip() for v in df[columns["group"]] if v.strip()}):
            g = group_of(v)
            if g is None:
                unknown.append(v)
            elif g != v:
                mapping[v] = g
        if mapping:
            values["group"] = mapping
        if unknown:
            notes.append(f"MUST FILL IN: group values {unknown} of column {columns['group']!r} are not primary, "
                         "secondary or staff: map them under values: group:")
    else:
        notes.append("MUST FILL IN: no patient group column found; add columns: group: (a column saying primary or "
                     "secondary) or a fixed group:")
    if "completed" in columns:  # read as io.surveys reads it: the one date grammar (io.dates)
        dates = [v.strip() for v in df[columns["completed"]] if v.strip()]
        us = month_first_dates(dates)
        read = [parse_date(v, month_first=us) for v in dates]
        iso = sum(bool(re.match(r"^\d{4}-\d{2}-\d{2}", v)) for v in dates)
        readable = sum(r.date is not None or r.missing for r in read)
        refused = next((r.problem for r in read if r.problem), "")
        one_us = next((r.problem for r in read if r.kind == "month_first"), "")
        if us and readable >= 0.9 * len(dates):
            example = next(v for v in dates if iso_date(v) is None and iso_date(v, month_first=True))
            notes.append(f"CHECK: dates in {columns['completed']!r} are month first, as US exports (and Google or "
                         f"Microsoft Forms in a US locale) write them: {example!r} is "
                         f"{iso_date(example, month_first=True)}, so every date of the file is read month first")
        elif one_us:
            notes.append(f"CHECK: dates in {columns['completed']!r} look month first (US): {one_us}. Re-export them "
                         "as 2026-03-31 (or day first), or leave columns: completed: out")
        elif readable < 0.9 * len(dates):
            notes.append(f"CHECK: dates in {columns['completed']!r} are not dates the reader knows ({refused}): "
                         "re-export them or leave columns: completed: out")
        if not us and readable >= 0.9 * len(dates) and iso < 0.9 * len(dates):
            example = next(v for v, r in zip(dates, read) if not re.match(r"^\d{4}-", v) and r.date is not None)
            notes.append(f"CHECK: dates in {columns['completed']!r} are read day first, as in the UK: {example!r} is "
                         f"{iso_date(example)}; a month-first (US) export would be misread, so re-export it as 2026-03-31")
    if "respondent_id" not in columns and "completed" in columns:  # Google Forms: a Timestamp, no id
        from .surveys import ROW_ID

        columns["respondent_id"] = ROW_ID
        notes.append(f"CHECK: no respondent id column (Google Forms writes none): respondent_id: {ROW_ID} names each "
                     "respondent by its file and row; a respondent who sent the form twice is then counted twice")
    for role in ("respondent_id", "site"):
        if role not in columns:
            notes.append(f"MUST FILL IN: no {role.replace('_', ' ')} column found: add columns: {role}:")
            columns[role] = "CHANGE_ME"
    used = set(columns.values()) | set(ignored)
    comments, questions = {}, []
    legends = [file_legend(f, t.title_rows, t.sheet) for f, t in zip(files, tables)]
    legends = ({k: v for lg, _ in legends for k, v in lg.items()},
               "; ".join(f"{Path(f).name}: {w}" for f, (_, w) in zip(files, legends) if w))
    for col in df.columns:
        if col in used:
            continue
        vals = [v.strip() for v in df[col] if v.strip() and v.strip() not in NO_ANSWER_MARKS]  # "-": skipped
        distinct = set(vals)
        if not vals:
            ignored[col] = "empty column"
            continue
        mean_len = sum(map(len, vals)) / len(vals)
        if len(distinct) == 1 and len(vals) >= 5 and answer_reading(vals[0]) is None:
            ignored[col] = f"the same value ({vals[0]!r}) in every row (a survey tool's collector or batch?): not read"
            continue
        no_scale = reading_of(vals)["positive"] is None
        long_text = no_scale and (mean_len >= COMMENT_LENGTH or (mean_len >= 15 and bool(OPEN_PROMPT.search(col))))
        if len(distinct) > MAX_OPTIONS or (len(distinct) > 0.5 * len(vals) and mean_len >= 15) or long_text:
            if mean_len < 15:
                ignored[col] = "many different short values (a code or an id?): not read"
                continue
            qid, _ = question_id(col)
            same = wordings.get(wording_key(col))
            comments[same if isinstance(same, str) and same not in comments else _unique(qid, taken)] = col
            continue
        sep = joined_choices(vals)
        if sep:
            ignored[col] = (f"a tick-all question (several answers joined by {sep!r} in one cell, e.g. "
                            f"{max(vals, key=len)!r}): it has no positive or negative answer to score, so it is "
                            "not read")
            continue
        qid, text = question_id(col)
        respondents = "staff" if staff else "patient"
        earlier = wordings.get(wording_key(col))
        qid = earlier.id if isinstance(earlier, QuestionGuess) and earlier.id not in {q.id for q in questions} \
            else _unique(qid, taken)
        numbers = [float(v) for v in vals if _INT.match(v)]
        in_range = [x for x in numbers if 0 <= x <= 10]
        if len(in_range) >= 0.98 * len(vals) and len(set(in_range)) >= 3:
            lo, hi, why = _rating(col, in_range)
            likert = _likert_guess(qid, col, text, respondents, vals, legends, lo, hi)
            if likert is not None:
                questions.append(likert)
                continue
            if likert_unsettled(col, lo, hi, legends[0]):
                why += (f"; MUST CHECK: numbers {lo}-{hi} may be a Likert scale's answer codes (1 = Strongly "
                        "disagree ...), not a score: add labels: (see `pledge-analysis validate`) or likert: false")
            odd = sorted(set(vals) - {v for v in vals if _INT.match(v) and lo <= float(v) <= hi})
            if odd:
                why += f"; answers {odd} are outside it and will be set aside"
            questions.append(QuestionGuess(qid, col, text, "rating", respondents, min=lo, max=hi, note=why))
            continue
        vals = one_spelling(vals)
        distinct = set(vals)
        r = reading_of(vals)
        if r["positive"] is None:
            why = (f"MUST FILL IN positive/negative: answers {sorted(distinct)} are not a scale init knows"
                   + (f" (looks like the {r['scale']!r} scale)" if r["scale"] else ""))
        else:
            neither = [o for o in r["options"] if o not in r["positive"] + r["negative"]]
            why = (f"{r['scale']!r} scale: positive {r['positive']}, negative {r['negative']}"
                   + (f"; neither (excluded from the percentage): {neither}" if neither else ""))
            if r["dropped"]:
                why += f"; rare answers {r['dropped']} left out of the options (they will be set aside)"
            if re.search(r"\b(not|problems?|worse|too long|pain|worr\w*)\b", col.lower()):
                why += "; CHECK: the question may be worded negatively (then swap positive and negative)"
        questions.append(QuestionGuess(qid, col, text, "categorical", respondents, options=r["options"],
                                       positive=r["positive"], negative=r["negative"], note=why))
    for q in questions:  # worded as an earlier survey's question but scored otherwise: not the same question
        earlier = wordings.get(wording_key(q.column))
        if isinstance(earlier, QuestionGuess) and earlier.id == q.id and earlier is not q and (
                earlier.kind != q.kind or set(earlier.positive or []) != set(q.positive or [])
                or (earlier.min, earlier.max) != (q.min, q.max)):
            q.id = _unique(question_id(q.column)[0], taken)
            q.note += (f"; CHECK: worded as {earlier.id} ({earlier.column!r}) of another survey but its answers are "
                       f"scored otherwise, so it has its own id: give it the id {earlier.id} if it is the same question")
    counts = Counter(v.strip() for v in df[columns["site"]] if v.strip()) if columns["site"] in df.columns else Counter()
    sites = sorted(counts, key=lambda v: (-counts[v], v))  # the most common spelling first
    return SurveyGuess(name=name, files=[Path(f) for f in files], rows=len(df), columns=columns, comments=comments,
                       values=values, group=group, questions=questions, site_values=sites, ignored=ignored,
                       notes=notes, sheet=sheet)


def one_spelling(values: list[str]) -> list[str]:
    """``values`` with each answer spelt one way when an export varies only its capitals or spaces ("agree",
    "AGREE", "Agree"): the spelling in mixed case if there is one (the most common), else the most common
    one in sentence case (a lone all-capitals answer such as "N/A" keeps its capitals). The survey reader reads every such variant as the option (``io.surveys.as_option``),
    so questions.yaml lists each option once, in scale order.

    >>> one_spelling(["agree", "AGREE", "agree", "Strongly agree", "Yes, by my CNS", "yes, by my cns", "N/A", "no"])
    ['Agree', 'Agree', 'Agree', 'Strongly agree', 'Yes, by my CNS', 'Yes, by my CNS', 'N/A', 'No']
    """
    groups: dict[str, Counter] = {}
    for v in values:
        groups.setdefault(header_key(v), Counter())[" ".join(v.split())] += 1
    best = {}
    for key, spellings in groups.items():
        ranked = sorted(spellings, key=lambda v: (-spellings[v], v))
        mixed = [v for v in ranked if not v.isupper() and not v.islower()]
        lower = len(ranked) > 1 or ranked[0].islower()  # a lone "N/A" or "A&E" keeps its capitals
        best[key] = mixed[0] if mixed else (ranked[0][:1].upper() + ranked[0][1:].lower() if lower else ranked[0])
    return [best[header_key(v)] for v in values]


def joined_choices(values: list[str]) -> str | None:
    """The separator of a tick-all question exported one cell per respondent: ``", "`` (Google Forms:
    ``"Helpline, Support group"``) or ``";"`` (Microsoft Forms: ``"Surgery;Chemotherapy;"``), when some cell
    holds several choices that also occur in other cells; None for a scale (``"Yes, always"``) or a single choice.

    >>> joined_choices(["Helpline, Support group", "Helpline", "Counselling, Helpline"]), joined_choices(["Yes, always", "No"])
    (', ', None)
    >>> joined_choices(["Surgery;Chemotherapy;", "Surgery;"])
    ';'
    """
    distinct = {v.strip() for v in values if v.strip()}
    if not distinct or reading_of(list(values))["positive"] is not None:
        return None
    for sep in (";", ","):
        split = {v: [p.strip() for p in v.strip().rstrip(sep).split(sep) if p.strip()] for v in distinct}
        if sep == ";" and all(v.endswith(";") for v in distinct):
            return ";"
        if not any(len(p) >= 2 for p in split.values()):
            continue
        seen = Counter(p for parts in split.values() for p in set(parts))
        if any(n >= 2 for n in seen.values()):
            return "; " if sep == ";" and any("; " in v for v in distinct) else (", " if sep == "," else ";")
    return None


def likert_unsettled(header: str, lo: float, hi: float, legend: dict) -> bool:
    """Whether numbers ``lo..hi`` of a question read as a rating may be a Likert scale's answer codes: at
    most 7 points from 1, and a legend naming some codes, or a header that does not say rating or score."""
    if lo < 1 or hi > LIKERT_MAX:
        return False
    return bool(legend_in(header) or legend) or not RATING_WORDS.search(header)


def _likert_guess(qid, col, text, respondents, vals, legends, lo, hi) -> QuestionGuess | None:
    """A question whose answers are numbers 1..k (k <= 7) that a legend names (in its header, the title rows
    above the header or another sheet): categorical, with ``labels:`` mapping each number to its words.
    None when the numbers are a rating (no legend, or a header that says rating or score) or the legend does
    not settle the scale (then the note says so and validate asks)."""
    if lo < 1 or hi > LIKERT_MAX:
        return None
    legend, where = legend_in(col), "the header"
    if not legend:
        legend, where = legends
    if not legend:
        return None
    labels, how = likert_labels(legend, lo, hi)
    if labels is None:
        return None
    options = [labels[c] for c in sorted(labels, reverse=True)]  # scale order of questions.yaml: best first
    r = reading_of(options)
    if r["positive"] is None:
        return None
    stated = ", ".join(f"{c} = {v}" for c, v in legend.items())
    note = (f"answers are numbers {lo}-{hi} with a legend ({stated}, in {where}): read as a Likert scale, "
            f"{how}; CHECK the labels: positive {r['positive']}, negative {r['negative']}")
    return QuestionGuess(qid, col, text, "categorical", respondents, options=r["options"], positive=r["positive"],
                         negative=r["negative"], note=note, labels=labels)


def _unique(qid: str, taken: set[str]) -> str:
    out, k = qid, 2
    while out.lower() in {t.lower() for t in taken}:
        out, k = f"{qid}_{k}", k + 1
    taken.add(out)
    return out


def layouts(paths: list[Path], sheets: dict[Path, str | None] | None = None) -> list[list[Path]]:
    """Group survey files by layout (same column names, ignoring case and spaces; staff or not; same sheet), in
    the order given: ``RESPONDENT ID`` in one export and ``Respondent ID`` in another are one survey."""
    sheets = sheets or {}
    groups: dict[tuple, list[Path]] = {}
    for p in paths:
        sheet = sheets.get(Path(p))
        key = (frozenset(map(header_key, _read_table(Path(p), sheet=sheet).columns)), "staff" in Path(p).name.lower(),
               sheet)
        groups.setdefault(key, []).append(Path(p))
    return list(groups.values())


def survey_likeness(df) -> int:
    """How much a table looks like a survey export: 2 for each id, site or group column (by its header),
    1 for each column of scale answers and each column of free text.

    >>> import pandas as pd
    >>> survey_likeness(pd.DataFrame({"Ref": ["R1", "R2"], "Trust site": ["A", "B"], "Q1": ["Agree", "Disagree"]}))
    5
    >>> survey_likeness(pd.DataFrame({"Note": ["Exported 2027-03-01", "v2"]}))
    0
    """
    score = 0
    for col in df.columns:
        words = set(_words(str(col)))
        role = header_role(str(col)) if len(words) <= 4 else None
        vals = [str(v).strip() for v in df[col] if str(v).strip()]
        if role in ("respondent_id", "site", "group"):
            score += 2
        elif vals and sum(answer_reading(v) is not None for v in vals) >= 0.8 * len(vals):
            score += 1
        elif vals and len(vals) >= 2 and sum(map(len, vals)) / len(vals) >= 15 and len(set(vals)) > 1:
            score += 1
    return score


def choose_sheet(path: Path, sheet: str | None = None) -> tuple[str | None, str | None]:
    """The sheet of a survey workbook to read, and a note saying why: ``(None, None)`` for a CSV or a workbook
    with one sheet holding rows; ``(sheet, None)`` when ``sheet`` is given. With several sheets holding rows,
    the one that clearly looks most like a survey (:func:`survey_likeness`: at least twice the score of the
    next) is chosen and the note says so; when none clearly does, :class:`ConfigError` lists the sheets and
    says how to choose (``--sheet``)."""
    from ..errors import ConfigError, EmptyInputError, InputError
    from .files import read_table

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None, None
    if sheet is not None:
        read_table(path, sheet=sheet)  # a missing sheet: InputError listing the sheets
        return sheet, None
    try:
        read_table(path)
        return None, None
    except InputError as exc:
        if getattr(exc, "key", None) != "sheet":
            raise
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        names = list(wb.sheetnames)
        hidden = {ws.title for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") != "visible"}
    finally:
        wb.close()
    found = []
    for name in names:
        try:
            frame = read_table(path, sheet=name, formulas=False).frame  # only ranked here
        except EmptyInputError:
            continue
        found.append((survey_likeness(frame), name, len(frame), len(frame.columns)))
    listed = ", ".join(f"{n!r}" + (" (hidden)" if n in hidden else "") + f" ({r:,} rows, {c} columns)"
                       for _s, n, r, c in found)
    # a sheet hidden in the workbook (an old copy, a lookup) is read only when named: the visible ones are ranked
    shown = [f for f in found if f[1] not in hidden] or found
    ranked = sorted(shown, key=lambda f: -f[0])
    best = ranked[0]
    if best[0] >= 3 and (len(ranked) == 1 or best[0] >= 2 * ranked[1][0]):
        others = ", ".join(repr(n) for _s, n, _r, _c in found if n != best[1])
        return best[1], (f"CHECK: {path.name} has {len(found)} sheets with rows ({listed}); sheet {best[1]!r} was "
                         f"read as the survey (it looks most like one: id, site, group, answer and comment "
                         f"columns) and written as `sheet:`; not read: {others}")
    raise ConfigError(f"{path.name} has {len(found)} sheets with rows ({listed}) and init cannot tell which one "
                      f"holds the survey. Run init again naming it, e.g. `--sheet {found[0][1]!r}`, or save the "
                      "survey's sheet as a file of its own.")


def site_codes(names: list[str]) -> dict[str, str]:
    """A short upper-case code for each site name: ``"St Aidan's Hospital"`` -> ``"SAH"``, ``"RGH"`` -> ``"RGH"``."""
    out: dict[str, str] = {}
    for name in names:
        ws = [w for w in re.findall(r"[A-Za-z0-9]+", name.replace("'s", ""))
              if w.lower() not in {"the", "of", "and", "nhs", "foundation", "ft"}]
        if len(name) <= 6 and re.fullmatch(r"[A-Za-z0-9_-]+", name):
            code = name.upper()
        elif len(ws) >= 2:
            code = "".join(w if w.isdigit() else w[0] for w in ws).upper()
        else:
            code = (ws[0] if ws else "SITE")[:3].upper()
        base, k = code, 2
        while code in out.values():
            code, k = f"{base}{k}", k + 1
        out[name] = code
    return out
