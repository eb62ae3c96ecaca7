"""Checking a whole project before any work: its files, how they fit together, and its data.

:func:`validate_project` (the ``pledge-analysis validate`` command) runs every check and a dry
read of every input, and returns a :class:`ValidationReport`: the problems (each with file,
line or row, key or column, and what to do), what each file holds, and which rows a run
would set aside and why. :func:`pledge_analysis.pipeline.run_project` runs the same checks
and stops with a :class:`~pledge_analysis.errors.ProjectFileError` before de-identifying,
coding or writing anything.

Checks beyond the typed schema of :mod:`pledge_analysis.project_schema`:

- every site value in the data is a code or name under ``sites:``; every group value (after
  ``values:`` recoding) is one of ``groups:``; so are the transcripts' sites and groups;
- every codebook ``survey_items`` entry names a question in ``questions.yaml``;
- the standards file (``standards:``) parses, and its codes, questions and groups exist;
- ``values:`` recodes a column that the survey maps;
- every survey file can be read and has the mapped columns; every transcript parses;
- a respondent id is kept once per survey: a repeat in a later file of the same survey is set aside;
- every source is accounted for: rows (or turns) read = kept + set aside;
- a rating of 1 to at most 7 whose numbers may be a Likert scale's answer codes is asked about
  (:func:`check_scales`): the file gives a legend, or the header does not say rating or score.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import ProjectConfig
from .errors import InputError, PledgeError, Problem, ProjectFileError
from .io import Ingested, accounting, load_questions, read_survey, read_transcript

log = logging.getLogger(__name__)


def read_inputs(cfg: ProjectConfig, questions: pd.DataFrame | None,
                problems: list[Problem] | None = None) -> Ingested:
    """Read every survey file and transcript named by the project.

    With ``problems`` (a list), a file that cannot be read adds a :class:`Problem` and the
    reading goes on with the next file; without it the first such error is raised.

    The files of one survey share their respondent ids: an id already kept from an earlier file
    of the same survey is set aside in the later one as ``duplicate respondent id (first seen in
    FILE row N)``, so each source's accounting (rows read = kept + set aside) still holds.
    A problem that is fixed in project.yaml (a workbook with several sheets and no ``sheet:``)
    is located there, by line and key, and names the data file.
    """
    sites = cfg.site_lookup() or None
    parts = []
    yaml_file = cfg.file or cfg.root / "project.yaml"

    def attempt(read, path: Path, spec_key: str | None = None, index: int | None = None):
        try:
            parts.append(read())
        except InputError as exc:
            if problems is None:
                raise
            source = cfg.source_id(path)
            message = exc.what + (". " + exc.hint if exc.hint else "")
            key = getattr(exc, "key", None)
            if key and spec_key:
                line = cfg.line("surveys", index, key) or cfg.line("surveys", index)
                problems.append(Problem(yaml_file, line, f"{spec_key}.{key}", f"{source}: {message}", code=exc.code))
            else:
                problems.append(Problem(source, None, None, message, row=exc.row, column=exc.column, code=exc.code))
        except Exception as exc:  # a reader's bug must not end the dry read with a traceback
            if problems is None:
                raise
            log.debug("reading %s failed", path, exc_info=True)
            problems.append(Problem(cfg.source_id(path), None, None,
                                    f"could not be read ({type(exc).__name__}: {exc}). Check the file opens in the "
                                    "program that made it; if it does, please report this."))

    taken: dict[str, str] = {}  # respondent id -> the survey that read it first
    for i, spec in enumerate(cfg.surveys):
        seen: dict[str, tuple[str, int]] = {}
        start = len(parts)
        for path in spec.files:
            asked = questions
            if questions is not None and spec.questions is not None:
                asked = questions[questions["question_id"].isin(spec.questions)]
            attempt(lambda path=path, spec=spec, seen=seen, asked=asked: read_survey(
                path, columns=spec.columns, questions=asked, comments=spec.comments, values=spec.values,
                group=spec.group, sites=sites, source_id=cfg.source_id(path), groups=cfg.groups, sheet=spec.sheet,
                seen_ids=seen), path, spec.key or f"surveys[{i}]", i)
        _apart_from_earlier_surveys(parts[start:], spec.name or f"survey {i + 1}", taken)
    for t in cfg.transcripts:
        attempt(lambda t=t: read_transcript(t.path, site=t.site, group=t.group, source_id=cfg.source_id(t.path),
                                            source_type=t.source_type), t.path)
    return Ingested.concat(parts)


def _apart_from_earlier_surveys(parts: list[Ingested], name: str, taken: dict[str, str]) -> None:
    """Two surveys are different people even when their exports number respondents alike (each tool starts at 1):
    when some of this survey's ids were read by an earlier survey, every id of this survey is read as
    ``"<name>: <id>"`` (its respondents, answers and comments), and its sources say so (``respondent_ids``)."""
    ids = {str(r) for p in parts for r in p.respondents["respondent_id"]}
    clash = sorted(ids & set(taken))
    if clash:
        prefix = f"{name}: "
        for p in parts:
            for table in (p.respondents, p.responses, p.segments):
                if len(table) and "respondent_id" in table.columns:
                    table["respondent_id"] = table["respondent_id"].map(
                        lambda r: prefix + str(r) if isinstance(r, str) and r else r)
            for s in p.sources:
                s["respondent_ids"] = (f"{len(clash)} of survey {name!r}'s respondent ids (e.g. {clash[0]!r}) are also "
                                       f"ids of survey {taken[clash[0]]!r}: they are different people, so each id of "
                                       f"{name!r} is read as {prefix + clash[0]!r}")
        ids = {prefix + r for r in ids}
    for r in ids:
        taken.setdefault(r, name)


def no_text_notes(data: Ingested, codebook: pd.DataFrame | None) -> list[str]:
    """A project whose inputs hold no comment or turn to code (every comment cell empty or a placeholder such as
    ``N/A``): its priorities can rest only on survey questions linked to themes (``survey_items:``)."""
    if len(data.segments) or not len(data.respondents):
        return []
    linked = codebook is not None and "survey_items" in codebook.columns and any(
        list(v or []) for v in codebook["survey_items"])
    return [f"no comment or transcript turn holds text to code ({len(data.respondents):,} respondents read; every "
            "comment cell is empty or a placeholder such as 'N/A', see set_aside.csv): priorities can rest only on "
            "the survey questions linked to themes under survey_items: in the codebook"
            + ("." if linked else ", and none is linked, so no area will be ranked and the plan will have no goal. "
               "Link questions to themes (survey_items:), or add the comments' columns under comments:.")]


def respondent_id_notes(data: Ingested) -> list[str]:
    """What :func:`read_inputs` did with respondent ids that two surveys share (one note per survey)."""
    return list(dict.fromkeys(s["respondent_ids"] for s in data.sources if s.get("respondent_ids")))


def check_files(cfg: ProjectConfig, questions: pd.DataFrame | None, codebook: pd.DataFrame) -> list[Problem]:
    """Problems in how project.yaml, questions.yaml and the codebook fit together."""
    problems = []
    yaml_file = cfg.file or cfg.root / "project.yaml"
    site_names = cfg.site_lookup()
    for i, t in enumerate(cfg.transcripts):
        if not t.site.strip():
            problems.append(Problem(yaml_file, cfg.line("transcripts", i, "site"), f"transcripts[{i}].site",
                                    "the site is empty; give the site code of the hospital (a key of sites:)"))
        elif cfg.sites and t.site.lower() not in site_names:
            problems.append(Problem(yaml_file, cfg.line("transcripts", i, "site"), f"transcripts[{i}].site",
                                    f"site {t.site!r} is not under sites: ({', '.join(cfg.sites)})"))
        if t.group not in cfg.groups:
            problems.append(Problem(yaml_file, cfg.line("transcripts", i, "group"), f"transcripts[{i}].group",
                                    f"group {t.group!r} is not one of groups: {list(cfg.groups)}"))
    for i, s in enumerate(cfg.surveys):
        if s.group is not None and s.group not in cfg.groups:
            problems.append(Problem(yaml_file, cfg.line("surveys", i, "group"), f"surveys[{i}].group",
                                    f"group {s.group!r} is not one of groups: {list(cfg.groups)}"))
        for col in s.values:
            if col not in s.columns:
                problems.append(Problem(yaml_file, cfg.line("surveys", i, "values", col), f"surveys[{i}].values.{col}",
                                        f"recodes {col!r}, which columns: does not map; mapped: "
                                        f"{', '.join(s.columns)}"))
    known = set(questions["question_id"]) if questions is not None else set()
    for i, s in enumerate(cfg.surveys):
        if s.questions is None:
            continue
        theirs = set() if questions is None else set(
            questions.loc[questions["respondents"].isin([s.respondents, "all"]), "question_id"])
        wrong = [q for q in s.questions if q not in theirs]
        if wrong:
            other = [q for q in wrong if q in known]
            problems.append(Problem(yaml_file, cfg.line("surveys", i, "questions"), f"surveys[{i}].questions",
                                    f"names question(s) {wrong} that questions.yaml does not define for "
                                    f"{s.respondents} respondents"
                                    + (f" ({other} are asked of other respondents: check their `respondents:`)"
                                       if other else "")
                                    + f"; defined: {', '.join(sorted(theirs)) or 'none'}. Fix the ids.", code="PA213"))
    line = _codebook_lines(cfg.codebook)
    for i, (code, items) in enumerate(zip(codebook["code_id"], codebook["survey_items"])):
        missing = [q for q in items or [] if q not in known]
        if missing and questions is None:
            problems.append(Problem(cfg.codebook, line(i), f"{code}.survey_items",
                                    f"names question(s) {missing}, but project.yaml names no questions: file. "
                                    "Add one, or remove the survey_items."))
        elif missing:
            problems.append(Problem(cfg.codebook, line(i), f"{code}.survey_items",
                                    f"names question(s) {missing} that questions.yaml does not define (defined: "
                                    f"{', '.join(sorted(known))}). Fix the ids or remove them, or the theme has "
                                    "no survey evidence."))
    problems += _benchmark_problems(cfg, yaml_file)
    if getattr(cfg, "standards", None):
        from .standards import check_standards

        problems += check_standards(cfg.standards, codebook=codebook, questions=questions, groups=cfg.groups)[1]
    if questions is not None:
        problems += _free_text_problems(cfg)
    return problems


def _free_text_problems(cfg: ProjectConfig) -> list[Problem]:
    """Each ``free_text:`` entry of questions.yaml names a free-text question of a survey (a ``comments:`` id
    in project.yaml), so that its ``polarity:`` applies to real answers, not to a misspelt id."""
    from .io.yamlfile import load_yaml_located

    data, where = load_yaml_located(cfg.questions)
    entries = (data or {}).get("free_text") or [] if isinstance(data, dict) else []
    declared = sorted({qid for s in cfg.surveys for qid in s.comments})
    problems = []
    for i, entry in enumerate(entries):
        qid = entry.get("id") if isinstance(entry, dict) else None
        if qid is not None and str(qid) not in declared:
            problems.append(Problem(cfg.questions, where.line(("free_text", i, "id")), f"free_text[{i}].id",
                                    f"{qid!r} is not a free-text question of any survey in project.yaml "
                                    f"(comments: ids: {', '.join(declared) or 'none'}); fix the id, or add the "
                                    "question under the survey's comments:"))
    return problems


def _benchmark_problems(cfg: ProjectConfig, yaml_file) -> list[Problem]:
    """The national benchmark rows named by ``benchmark:`` exist and are one per question."""
    if not cfg.benchmark:
        return []
    from .survey import benchmark_rows, read_national

    select = {k: v for k, v in cfg.benchmark_select.items() if k != "fallback"}
    try:
        benchmark_rows(read_national(cfg.benchmark), path=cfg.benchmark, **select)
    except PledgeError as e:
        what = getattr(e, "what", str(e)) + (f". {e.hint}" if getattr(e, "hint", "") else "")
        return [Problem(yaml_file, cfg.line("benchmark"), "benchmark", what, code=e.code)]
    return []


def _codebook_lines(path: Path | None):
    """``line(i)``: the line of the i-th code's ``survey_items`` in a YAML codebook (None for Excel)."""
    from .io.yamlfile import load_yaml_located

    if path is None or path.suffix.lower() not in (".yaml", ".yml"):
        return lambda i: None
    data, where = load_yaml_located(path)
    return lambda i: where.line(("codes", i, "survey_items")) if isinstance(data, dict) else None


def check_data(cfg: ProjectConfig, data: Ingested) -> list[Problem]:
    """Site and group values in the data that the project does not declare (one problem per value), and
    any source whose rows are not all kept or set aside (:func:`check_accounting`)."""
    out = check_accounting(data) + check_repeated_ids(data)
    groups = Counter((u["kind"], u["value"], u["source_id"], u["column"]) for u in data.unknown)
    first = {}
    for u in data.unknown:
        first.setdefault((u["kind"], u["value"], u["source_id"], u["column"]), u["row"])
    for (kind, value, source, column), n in groups.items():
        declared = (", ".join(f"{c} ({v.get('name')})" if v.get("name") else c for c, v in cfg.sites.items())
                    if kind == "site" else ", ".join(cfg.groups))
        fix = (f"map it to a declared hospital under this survey's values: site: {{{value!r}: CODE}} if it is another "
               "spelling of one, add it under sites: (a code, with its name as it appears in the data) if it is a "
               "hospital of its own, or correct the data"
               if kind == "site" else "map it to a declared group under values: group:, or add it to groups:")
        out.append(Problem(source, None, None, row=first[(kind, value, source, column)], column=column,
                           message=f"{kind} {value!r} ({n} row{'s' if n != 1 else ''}, first shown) is not declared; "
                           f"declared: {declared}. To fix, {fix}."))
    return out


def check_scales(cfg: ProjectConfig, questions: pd.DataFrame | None) -> list[Problem]:
    """A ``rating`` question of 1 to at most 7 whose numbers may be a Likert scale's answer codes: the file
    states a legend (``1 = Strongly disagree`` in the header, a title row above it or another sheet), or the
    header does not say rating or score. Read as a rating, "Strongly agree" would be averaged as 5 out of 5,
    so this is asked, not guessed: the problem names the file and column and the questions.yaml lines that
    read the numbers as words (``labels:``), or ``likert: false`` to keep the rating."""
    from .io.detect import file_legend, legend_in, likert_labels, likert_unsettled, reading_of
    from .io.files import read_table
    from .io.surveys import header_key
    from .io.yamlfile import load_yaml_located

    if questions is None or "likert" not in questions.columns:
        return []
    rated = questions[(questions["kind"] == "rating") & questions["min"].notna() & questions["max"].notna()]
    rated = rated[(rated["min"] >= 1) & (rated["max"] <= 7) & (rated["likert"].map(lambda v: v is not False))]
    if rated.empty:
        return []
    _, where = load_yaml_located(cfg.questions)
    index = {q: i for i, q in enumerate(questions["question_id"])}
    problems, asked_done = [], set()
    for spec in cfg.surveys:
        mine = rated[rated["respondents"].isin([spec.respondents, "all"])]
        if spec.questions is not None:
            mine = mine[mine["question_id"].isin(spec.questions)]
        for path in spec.files if len(mine) else []:
            try:
                table = read_table(path, sheet=spec.sheet)
            except PledgeError:
                continue  # read_inputs reports the file
            headers = {header_key(h): h for h in table.header}
            legend, found_in = file_legend(path, table.title_rows, table.sheet)
            for q in mine.itertuples(index=False):
                header = next((h if h in table.header else headers.get(header_key(h))
                               for h in [q.column, *(q.other_columns or [])]
                               if h in table.header or header_key(h) in headers), None)
                if header is None or q.question_id in asked_done:
                    continue
                lo, hi = int(q.min), int(q.max)
                own = legend_in(header)
                if not likert_unsettled(header, lo, hi, own or legend):
                    continue
                asked_done.add(q.question_id)
                stated = own or legend
                labels, _ = likert_labels(stated, lo, hi) if stated else (None, "")
                lines = ["kind: categorical"]
                if labels:
                    r = reading_of([labels[c] for c in sorted(labels, reverse=True)])
                    lines += ["labels: {" + ", ".join(f"{c}: {v}" for c, v in labels.items()) + "}",
                              f"options: {r['options']}", f"positive: {r['positive'] or ['...']}",
                              f"negative: {r['negative'] or ['...']}"]
                else:
                    words = {c: stated.get(c, "WORDS") for c in range(lo, hi + 1)}
                    lines += ["labels: {" + ", ".join(f"{c}: {v}" for c, v in words.items()) + "}",
                              "options: [the words, best first]", "positive: [...]", "negative: [...]"]
                why = (f"the file gives a legend ({', '.join(f'{c} = {v}' for c, v in stated.items())}, in "
                       f"{'the header' if own else found_in})" if stated else
                       "its header does not say it is a rating or a score, and nothing in the file says what the "
                       "numbers stand for")
                i = index[q.question_id]
                problems.append(Problem(
                    cfg.questions, where.line(("questions", i, "kind")) or where.line(("questions", i)),
                    f"questions[{i}].kind",
                    f"{q.question_id} is read as a rating from {lo} to {hi} (averaged as a score) but "
                    f"{cfg.source_id(path)}, column {header!r}: {why}. Its numbers may be a Likert scale's answers "
                    "(1 = Strongly disagree ...), which would make the score wrong. If they are, replace "
                    f"kind/min/max of {q.question_id} in questions.yaml by: " + "; ".join(lines)
                    + ". If they really are a score, add: likert: false", code="PA216"))
    return problems


def check_repeated_ids(data: Ingested) -> list[Problem]:
    """A problem for a survey file most of whose rows (at least 3, at least half) repeat respondent ids of another
    file: a new round's export numbering its respondents again (survey tools start each export at 1), or one
    file listed twice. Read on, the whole file would be set aside row by row as duplicates."""
    import re

    if not len(data.set_aside):
        return []
    dup = data.set_aside[data.set_aside["reason"].astype(str).str.startswith("duplicate respondent id (first seen in ")]
    out = []
    rows = {s["source_id"]: s.get("rows_read", 0) for s in data.sources}
    for source, sub in dup.groupby("source_id", sort=True):
        n, total = len(sub), int(rows.get(source, 0) or 0)
        if n < 3 or n < 0.5 * total:
            continue
        others = sorted({m.group(1) for r in sub["reason"] if (m := re.match(r"duplicate respondent id \(first seen "
                                                                         r"in (.+) row \d+\)", str(r)))})
        out.append(Problem(source, None, None, row=int(sub["row"].min()), column=str(sub["column"].iloc[0]),
                           message=f"{n} of its {total} rows have respondent ids already used in "
                           f"{', '.join(others)}: a new round's export that numbers its respondents again? Read on, "
                           "they would all be set aside as duplicates. To fix, give this file a survey of its own "
                           "under surveys: (e.g. `- name: patient survey, September`, the same columns), or, if it "
                           "repeats the other file, take it out of files:."))
    return out


def check_accounting(data: Ingested) -> list[Problem]:
    """A problem for any source whose rows read are not all kept or set aside (a reader's bug, never the
    user's: the promise is that nothing is lost silently)."""
    acc = accounting(data)
    return [Problem(r.source_id, None, None, f"{r.rows_read:,} rows read but {r.rows_kept:,} kept and "
                    f"{r.rows_set_aside:,} set aside: some rows are unaccounted for. Please report this.")
            for r in acc.itertuples(index=False) if not r.balanced]


@dataclass
class ValidationReport:
    """What :func:`validate_project` found."""

    project: Path
    problems: list[Problem] = field(default_factory=list)
    files: pd.DataFrame = field(default_factory=pd.DataFrame)
    set_aside: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)  # worth knowing, not blocking (see codebook_notes)

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        if self.problems:
            raise ProjectFileError(self.problems)

    def format(self) -> str:
        lines = [f"Project {self.project}"]
        if len(self.files):
            lines.append(f"  {len(self.files)} input file(s):")
            for r in self.files.to_dict("records"):
                unit = "rows" if r["kind"] == "survey" else "turns"
                line = f"    {r['source_id']}: {r['kind']}, {r['rows_read']:,} {unit} read"
                if r.get("rows_set_aside"):
                    line += f" = {r['rows_kept']:,} kept + {r['rows_set_aside']:,} set aside"
                if isinstance(r.get("sheet"), str):
                    line += f" (sheet {r['sheet']!r})"
                lines.append(line)
        if len(self.set_aside):
            lines.append(f"  a run would set aside {int(self.set_aside['rows'].sum()):,} row(s) or answer(s):")
            for r in self.set_aside.itertuples(index=False):
                lines.append(f"    {r.rows:>6,}  {r.reason} ({r.source_id})")
        lines += [f"  note: {n}" for n in self.notes]
        if self.problems:
            lines.append(f"  {len(self.problems)} problem(s):")
            lines += [f"    - {p}" for p in self.problems]
        else:
            lines.append("  no problems: `pledge-analysis run` will read this project.")
        return "\n".join(lines)


def codebook_notes(codebook: pd.DataFrame, path=None) -> list[str]:
    """What a user should know before coding with ``codebook``: codes the rule coder cannot suggest.

    The rule coder suggests a code only from its ``keywords``; an imported framework (e.g. the NHS
    framework, ``init --codebook nhs-framework``) has none, so a run would code no text at all.

    >>> from pledge_analysis.coding.codebook import codebook_from_records
    >>> codebook_notes(codebook_from_records([{"id": "a", "name": "A"}, {"id": "b", "name": "B", "keywords": ["b"]}]))
    ['1 of 2 codes have no keywords (a): the rule coder cannot suggest them. Add keywords: to those codes, or code them by hand or with a trained model.']
    """
    if codebook is None or "keywords" not in codebook.columns:  # unreadable: its problems are reported
        return []
    empty = [c for c, k in zip(codebook["code_id"], codebook["keywords"]) if not list(k or [])]
    if not empty:
        return []
    where = f" in {path}" if path else ""
    names = ", ".join(map(str, empty[:5])) + (", ..." if len(empty) > 5 else "")
    if len(empty) == len(codebook):
        return [f"no code{where} has keywords: the rule coder will code no text. Add keywords: to the codes "
                "(a few words or phrases each), or code by hand or with a trained model."]
    return [f"{len(empty)} of {len(codebook)} codes{where} have no keywords ({names}): the rule coder cannot "
            "suggest them. Add keywords: to those codes, or code them by hand or with a trained model."]


def sites_notes(cfg: ProjectConfig, data: Ingested) -> list[str]:
    """A project declaring no ``sites:`` whose data names hospitals (a site column filled in after ``init`` found
    none): each spelling is then read as written, so two spellings of one hospital are two scopes, and no
    hospital's booklet or co-design pack is written. Worth saying before a run, not an error (one service may
    not need sites)."""
    if cfg.sites or not len(data.respondents) or "site" not in data.respondents.columns:
        return []
    counts = data.respondents["site"].astype(str).value_counts()
    counts = counts[counts.index.str.strip() != ""]
    if counts.empty:
        return []
    shown = ", ".join(f"{v!r} ({n} respondent{'s' if n != 1 else ''})" for v, n in counts.head(6).items())
    return [f"project.yaml declares no sites: but the data names {len(counts)} hospital(s) ({shown}"
            + (", ..." if len(counts) > 6 else "") + "), each read as written: two spellings of one hospital are "
            "two, and no hospital booklet or co-design pack is written. Declare each under sites: (a code, with its "
            "name as in the data, and its alliance) to compare hospitals and write their booklets."]


def load_and_check(project: str | Path | ProjectConfig):
    """``(cfg, questions, codebook, problems)``: the three files parsed and checked together.

    Problems in one file do not hide problems in another: each file is parsed, and every
    problem found is returned (raised as one :class:`ProjectFileError` by callers).
    """
    from .coding.codebook import read_codebook

    cfg = project if isinstance(project, ProjectConfig) else ProjectConfig.load(project)
    problems: list[Problem] = []
    questions = codebook = None
    try:
        questions = load_questions(cfg.questions) if cfg.questions else None
    except ProjectFileError as exc:
        problems += exc.problems
    try:
        codebook = read_codebook(cfg.codebook)
    except ProjectFileError as exc:
        problems += exc.problems
    except PledgeError as exc:
        problems.append(Problem(cfg.codebook, None, None, exc.message, code=exc.code))
    if codebook is not None and (questions is not None or not cfg.questions):
        problems += check_files(cfg, questions, codebook)
    return cfg, questions, codebook, problems


def validate_project(project: str | Path) -> ValidationReport:
    """Every check and a dry read of every input; nothing is written.

    >>> from pathlib import Path
    >>> report = validate_project(Path(__file__).parents[1] / "data_samples")
    >>> report.ok, len(report.files)
    (True, 19)
    """
    try:
        cfg, questions, codebook, problems = load_and_check(project)
    except ProjectFileError as exc:
        return ValidationReport(Path(project), list(exc.problems))
    data = read_inputs(cfg, questions, problems)
    problems += check_data(cfg, data) + check_scales(cfg, questions)
    files = pd.DataFrame(data.sources, columns=["source_id", "path", "kind", "rows_read", "respondents_kept",
                                                "rows_kept", "rows_set_aside", "sheet"])
    aside = (data.set_aside.groupby(["source_id", "reason"]).size().rename("rows").reset_index()
             if len(data.set_aside) else pd.DataFrame(columns=["source_id", "reason", "rows"]))
    return ValidationReport(cfg.root, problems, files, aside,
                            codebook_notes(codebook, cfg.source_id(cfg.codebook)) + sites_notes(cfg, data)
                            + respondent_id_notes(data) + no_text_notes(data, codebook))
