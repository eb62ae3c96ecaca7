"""The commented YAML files that ``pledge-analysis init`` writes (see :mod:`pledge_analysis.scaffold`).

The text is built by hand so that every key carries a comment; every value goes through
``yaml.safe_dump`` so that it is quoted where YAML needs it, and each file is read back with
the package's own reader (:func:`pledge_analysis.io.yamlfile.load_yaml_text`, where only
``true``/``false`` are booleans) and compared with what was meant.

>>> print(_s("Yes"), _s("Trust site"), _s(["No", "Don't know", "a: b, c"]))
'Yes' Trust site ['No', Don't know, 'a: b, c']
"""
from __future__ import annotations

import re
import textwrap

import yaml

from .errors import ConfigError
from .io.detect import QuestionGuess, SurveyGuess
from .io.yamlfile import load_yaml_text

PLACEHOLDER = "CHANGE_ME"
GROUPS = ["primary", "secondary", "staff"]
ALLOW = ["Breast Care Nurse", "Macmillan", "Maggie's", "Open Access"]


def _s(value) -> str:
    """One YAML value, quoted where needed, on one line."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...")


def _comment(text: str, indent: str = "") -> list[str]:
    return [indent + "# " + line for line in textwrap.wrap(text, 100 - len(indent), break_on_hyphens=False)]


def _checked(text: str, data: dict, what: str) -> str:
    if load_yaml_text(text) != data:  # pragma: no cover (a bug here, not the user's input)
        raise ConfigError(f"internal error: the {what} that init wrote does not read back as intended; "
                          "please report this with your file's column headers.")
    return text


def project_yaml(*, name: str, sites: dict[str, str], surveys: list[SurveyGuess], survey_paths: dict[int, list[str]],
                 transcripts: list[dict], has_questions: bool, outside: bool, codebook: str) -> str:
    """The text of a commented ``project.yaml`` (checked to read back as the data it describes)."""
    data = {"name": name, "round": "R1", "random_state": 0, "store": "project.sqlite",
            "allow_paths_outside": outside, "sites": {c: {"name": n, "alliance": ""} for c, n in sites.items()},
            "groups": GROUPS}
    lines = ["# project.yaml written by `pledge-analysis init` from your own files.",
             "# Everything here was GUESSED: read each comment and fix what is wrong before you run.",
             "# Paths are relative to this file, with forward slashes.", "",
             "# name: the project's name in reports; round: which round of the Service Pledge (e.g. 2026-R1).",
             f"name: {_s(name)}", "round: R1",
             "# random_state: the seed of every random step, so that a re-run gives the same results.",
             "random_state: 0",
             "# store: the project store (SQLite) that keeps review decisions, memos and the action plan.",
             "store: project.sqlite",
             "# allow_paths_outside: true lets paths point outside this folder.",
             f"allow_paths_outside: {_s(outside)}", ""]
    lines += _comment("sites: one entry per hospital, CODE: {name, alliance}. name is the site as written in the "
                      "survey's site column; alliance is its Cancer Alliance or region (buddy pairing prefers the "
                      "same region): CHECK the codes (made up from the names) and FILL IN each alliance.")
    lines += ["sites:" + ("" if sites else " {}")]
    lines += [f"  {_s(code)}: {_s(info)}" for code, info in data["sites"].items()]
    lines += ["# groups: the groups that survey rows and transcripts may belong to.", f"groups: {_s(GROUPS)}", ""]
    if has_questions:
        data["questions"] = "questions.yaml"
        lines += ["# questions: the tick-box questions and how each answer is scored (all to be confirmed).",
                  "questions: questions.yaml"]
    else:
        lines += ["# questions: none found in the surveys; name a questions.yaml here if you write one."]
    data["codebook"] = "codebook.yaml"
    lines += _comment(f"codebook: the themes free text is coded into; this one is {codebook}.")
    lines += ["codebook: codebook.yaml",
              "# benchmark: national results in the CPES layout, to compare each question with (none yet), e.g.",
              "# benchmark: national_benchmark.csv", ""]
    data["surveys"] = []
    lines += ["# surveys: each survey export; files with the same columns form one survey.",
              "surveys:" + ("" if surveys else " []")]
    # patient surveys asking different questions each list theirs (else every file must hold every question)
    differ = len({frozenset(q.column for q in g.questions) for g in surveys if g.group != "staff"}) > 1
    for g in surveys:
        s = {"name": g.name, "files": survey_paths[id(g)], "columns": dict(g.columns)}
        lines += [f"  - name: {_s(g.name)}", "    # files: the export files with these columns (add more later).",
                  f"    files: {_s(s['files'])}",
                  "    # columns: canonical name: the column's header in the file. CHECK each guess.",
                  "    columns:"]
        lines += [f"      {k}: {_s(v)}" for k, v in g.columns.items()]
        if g.sheet:
            s["sheet"] = g.sheet
            lines += ["    # sheet: the sheet of the workbook that holds the survey (its other sheets are not read).",
                      f"    sheet: {_s(g.sheet)}"]
        if g.comments:
            s["comments"] = dict(g.comments)
            lines += ["    # comments: free-text answers, question id: column header (ids are yours to rename).",
                      "    comments:"] + [f"      {k}: {_s(v)}" for k, v in g.comments.items()]
        if g.values:
            s["values"] = {k: dict(v) for k, v in g.values.items()}
            lines += ["    # values: recoding, canonical column: {value in the file: value used}. CHECK it.",
                      "    values:"] + [f"      {k}: {_s(v)}" for k, v in g.values.items()]
        if g.group:
            s["group"] = g.group
            lines += ["    # group: every row of this survey belongs to this group.", f"    group: {_s(g.group)}"]
        if differ and g.group != "staff":
            s["questions"] = [q.id for q in g.questions]
            lines += ["    # questions: the tick-box questions (ids in questions.yaml) this survey asks; the other "
                      "patient survey(s) ask others.", f"    questions: {_s(s['questions'])}"]
        data["surveys"].append(s)
    lines += [""]
    data["transcripts"] = [{k: t[k] for k in ("path", "site", "group")} for t in transcripts]
    lines += _comment("transcripts: one entry per focus group or interview: path, site (a code from sites:), group "
                      f"(primary, secondary or staff). Site and group were guessed from the file names; {PLACEHOLDER} "
                      "means init could not tell.")
    lines += ["transcripts:" + ("" if transcripts else " []")]
    lines += [f"  - {_s(t)}" for t in data["transcripts"]]
    data["deidentify"] = {"allow": ALLOW, "deny": [], "pseudonyms": False}
    lines += [""] + _comment("deidentify: allow lists words never redacted (service names); deny lists words always "
                             "redacted (e.g. staff surnames); pseudonyms: true gives consistent made-up names "
                             "instead of [PERSON].")
    lines += ["deidentify:", f"  allow: {_s(ALLOW)}", "  deny: []", "  pseudonyms: false", ""]
    return _checked("\n".join(lines), data, "project.yaml")


_LEANS_NEGATIVE = re.compile(r"\b(?:improve\w*|better|change\w*|worse|wrong|problems?|disappoint\w*|"
                             r"dissatisf\w*|unhappy|complain\w*|difficult\w*)\b", re.I)
_LEANS_POSITIVE = re.compile(r"\b(?:good|well|best|liked?(?! to\b)|enjoy\w*|great|positive|pleased|happy|praise)\b",
                             re.I)  # "would you like to tell us" is not praise


def guess_polarity(header: str) -> str:
    """How a free-text question's wording leans its answers, guessed from the wording (to be confirmed).

    >>> [guess_polarity(h) for h in ("What could we do better?", "What went well?", "Any other comments?",
    ...                              "What was good, and what could be improved?",
    ...                              "Is there anything else you would like to tell us?", "What did you like?")]
    ['negative_prompt', 'positive_prompt', 'neutral', 'neutral', 'neutral', 'positive_prompt']
    """
    negative, positive = bool(_LEANS_NEGATIVE.search(header)), bool(_LEANS_POSITIVE.search(header))
    return "negative_prompt" if negative and not positive else "positive_prompt" if positive and not negative \
        else "neutral"


def questions_yaml(questions: list[QuestionGuess], comments: dict[str, str] | None = None) -> str:
    """The text of a commented ``questions.yaml``: every question marked to be confirmed, and under
    ``free_text:`` each free-text question (``comments``: id -> column header) with a guessed ``polarity:``."""
    lines = ["# questions.yaml written by `pledge-analysis init`: one entry per tick-box question.",
             "#   id          short id used in reports and in the codebook's survey_items",
             "#   column      the question's column header in the survey file, exactly",
             "#   text        the wording shown in reports",
             "#   kind        categorical (answer options) or rating (a number from min to max)",
             "#   options     every answer a respondent can give, in scale order; other answers are set aside",
             "#   positive    answers counted as positive; negative: answers counted as negative. Any other",
             "#               option (\"Don't know\", \"Not applicable\", a neutral middle) is excluded, as in CPES",
             "#   labels      (answers exported as numbers) each number and the option it stands for",
             "#   other_columns the question's header in other surveys' files (the same question, one id)",
             "#   respondents patient, staff or all (a patient and a staff survey both ask it): who is asked",
             "#   likert      (a rating of 1 to 7) false: the numbers really are a score, not Likert answers",
             "#   same_question_as  earlier wordings of a reworded question (another round), for goal progress",
             "#   national    (optional) the CPES question number, to compare with a national benchmark",
             "# EVERY question is TO BE CONFIRMED: init guessed each scale from the answers it saw.",
             "questions:"]
    data = []
    for q in questions:
        d = q.as_yaml()
        data.append(d)
        lines += _comment(f"{q.id}, to be confirmed: {q.note}", "  ")
        for i, (k, v) in enumerate(d.items()):
            todo = "  # MUST FILL IN" if k in ("positive", "negative") and q.positive is None else ""
            lines.append(("  - " if i == 0 else "    ") + f"{k}: {_s(v)}{todo}")
    taken = {d["id"] for d in data}
    free = [{"id": k, "text": v, "polarity": guess_polarity(v)} for k, v in (comments or {}).items() if k not in taken]
    doc = {"questions": data}
    if free:
        doc["free_text"] = free
        lines += ["# free_text: how each free-text question leans its answers, read by the sentiment model:",
                  "#   negative_prompt (\"What could be improved?\"), positive_prompt (\"What went well?\") or neutral.",
                  "free_text:"]
        for d in free:
            lines += _comment(f"{d['id']}, to be confirmed: polarity guessed from the wording", "  ")
            lines += [f"  - id: {_s(d['id'])}", f"    text: {_s(d['text'])}", f"    polarity: {d['polarity']}"]
    return _checked("\n".join(lines) + "\n", doc, "questions.yaml")


def codebook_header(source: str) -> str:
    """The comment block put on top of the codebook that init writes."""
    return "\n".join(
        ["# codebook.yaml written by `pledge-analysis init` from " + source + "."]
        + _comment("Each code: id, name, parent (a code id, for sub-codes), description, include / exclude "
                   "criteria, keywords (single words match on their lemma, phrases on lower-cased text), example "
                   "quotes, colour, and survey_items: the question ids in questions.yaml that measure the same theme "
                   "(they give a theme its survey evidence). Edit freely: it is a starting point.")) + "\n"


def suggest_links(cb, questions: list[QuestionGuess]) -> list[str]:
    """Themes whose keywords appear in a question's wording, as hints for ``survey_items``."""
    themes = cb[cb["parent_id"].isna()]
    out = []
    for q in questions:
        if q.kind != "categorical":
            continue
        text = q.text.lower()
        words = re.findall(r"[a-z]+", text)
        best = max(((sum((" " in k and k in text) or any(w == k or (len(k) >= 4 and w.startswith(k)) for w in words)
                         for k in t.keywords), t.code_id) for t in themes.itertuples()), default=(0, None))
        if best[0]:
            out.append(f"  hint: {q.id} ({q.text[:60]!r}) may measure theme {best[1]!r}")
    return out
