"""``pledge-analysis init``: a new project folder from a user's own surveys, transcripts and codebook.

:func:`init_project` reads the survey exports (CSV in UTF-8, UTF-8 with BOM or Windows-1252;
XLSX) and a folder of transcripts, guesses which column is what and how each tick-box scale
is scored (:mod:`pledge_analysis.io.detect`), and writes three commented files:

- ``project.yaml``: sites, surveys (files, column mapping, comment columns, group values),
  transcripts (site and group guessed from the file names) and de-identification lists;
- ``questions.yaml``: every tick-box question with its options and positive / negative
  reading, each marked *to be confirmed*;
- ``codebook.yaml``: the starter Service Pledge codebook, the NHS feedback framework or the
  user's own codebook, with survey items that name no question removed.

It never overwrites an existing project file (unless ``force=True``) and by default copies
input files from outside the folder into ``survey/`` and ``transcripts/`` so that the folder is
self-contained. :func:`format_report` says what was guessed and what the user must check.

>>> guess_transcript(Path("hospA_primary.txt"), {"HA": "Hospital A", "HB": "Hospital B"})[:2]
('HA', 'primary')
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, InputError, MissingFileError, PledgeError
from .io.detect import QuestionGuess, SurveyGuess, choose_sheet, detect_survey, layouts, site_codes, wording_key
from .io.surveys import site_key
from .io.transcripts import SUFFIXES as TRANSCRIPT_TYPES  # .txt, .docx, .vtt, .srt
from .io.transcripts import read_transcript
from .scaffold_yaml import PLACEHOLDER, codebook_header, project_yaml, questions_yaml, suggest_links

PROJECT_FILES = ("project.yaml", "questions.yaml", "codebook.yaml")
FRAMEWORK_ENV = "PLEDGE_NHS_FRAMEWORK"
FRAMEWORK_SOURCE = ("github.com/CDU-data-science-team/pxtextmining (the NHS patient feedback framework v7, "
                    "framework_v7_details.csv)")
GROUP_TOKENS = {"primary": "primary", "early": "primary", "pbc": "primary", "ebc": "primary", "prim": "primary",
                "secondary": "secondary", "metastatic": "secondary", "mets": "secondary", "mbc": "secondary",
                "sbc": "secondary", "advanced": "secondary", "sec": "secondary", "staff": "staff"}


@dataclass
class InitReport:
    """What :func:`init_project` wrote and guessed."""

    project_dir: Path
    written: list[Path] = field(default_factory=list)
    copied: list[tuple[Path, Path]] = field(default_factory=list)
    surveys: list[SurveyGuess] = field(default_factory=list)
    transcripts: list[dict] = field(default_factory=list)  # path, site, group, note
    sites: dict[str, str] = field(default_factory=dict)  # code -> name
    site_spellings: dict[str, list[str]] = field(default_factory=dict)  # code -> other spellings in the data
    codebook: str = ""
    to_check: list[str] = field(default_factory=list)


def _abbreviates(token: str, words: list[str]) -> bool:
    """Whether ``token`` is a prefix of each word in turn: ``"hospa"`` for ``["hospital", "a"]``."""
    if not words or not token:
        return not words and not token
    w = words[0]
    return any(token.startswith(w[:k]) and _abbreviates(token[k:], words[1:]) for k in range(1, len(w) + 1))


def _subsequence(token: str, name: str) -> bool:
    """Whether ``token`` spells an abbreviation of ``name`` letter by letter: ``"ngu"`` in Northgate University."""
    it = iter(name)
    return len(token) >= 3 and token[0] == name[:1] and all(ch in it for ch in token)


def _site_hits(tokens: list[str], sites: dict[str, str]) -> list[tuple[str, str]]:
    """``(code, token)`` of the sites the tokens name: codes, names, abbreviations, then looser spellings."""
    for loose in (False, True):
        hits = []
        for code, name in sites.items():
            words = re.findall(r"[a-z0-9]+", name.lower())
            keys = {code.lower(), "".join(words)} | ({words[0]} if words and len(words[0]) >= 4 else set())
            tok = next((c for c in tokens if c in keys or (len(c) >= 2 and _abbreviates(c, words))
                        or (loose and _subsequence(c, "".join(words)))), None)
            if tok:
                hits.append((code, tok))
        if hits:
            return hits
    return []


def _tokens(path: Path) -> list[str]:
    tokens = [t.lower() for t in re.split(r"[^A-Za-z0-9]+", path.stem) if t and t.lower() not in GROUP_TOKENS]
    return tokens + [a + b for a, b in zip(tokens, tokens[1:])]


def guess_transcript(path: Path, sites: dict[str, str]) -> tuple[str, str, str]:
    """``(site code, group, note)`` from a transcript's file name tokens (``NGU_primary.txt``)."""
    words = [t.lower() for t in re.split(r"[^A-Za-z0-9]+", path.stem)]
    group = next((GROUP_TOKENS[t] for t in words if t in GROUP_TOKENS), None)
    hits = [code for code, _ in _site_hits(_tokens(path), sites)]
    notes = []
    if len(hits) == 1:
        site = hits[0]
    elif hits:
        site = hits[0]
        notes.append(f"site is ambiguous ({hits}); {site} was taken")
    elif len(sites) == 1:
        site = next(iter(sites))
        notes.append(f"site {site} assumed (the only site)")
    else:
        site = PLACEHOLDER
        notes.append("MUST FILL IN the site code: the file name names no known site")
    if group is None:
        group = PLACEHOLDER
        notes.append("MUST FILL IN the group (primary, secondary or staff): the file name does not say")
    return site, group, "; ".join(notes)


def _codes_from_names(sites: dict[str, str], files: list[Path]) -> dict[str, str]:
    """Take the user's own site codes where transcript names spell them in capitals (``NGU_primary.txt``)."""
    rename = {}
    for f in files:
        hits = _site_hits(_tokens(f), sites)
        if len(hits) == 1 and hits[0][1].upper() in re.split(r"[^A-Za-z0-9]+", f.stem) and len(hits[0][1]) <= 6:
            rename.setdefault(hits[0][0], hits[0][1].upper())
    if len(set(rename.values())) < len(rename) or set(rename.values()) & (set(sites) - set(rename)):
        return sites  # the names' codes would clash: keep the made-up ones
    return {rename.get(code, code): name for code, name in sites.items()}


class _Placer:
    """Where each input goes: kept in place inside the project, copied in, or referred to outside."""

    def __init__(self, root: Path, copy: bool):
        self.root, self.copy = root, copy
        self.copies: dict[Path, Path] = {}  # destination -> source
        self.outside = False

    def place(self, src: Path, sub: str, rel: Path) -> str:
        src = src.resolve()
        if src.is_relative_to(self.root):
            return src.relative_to(self.root).as_posix()
        if not self.copy:
            self.outside = True
            return Path(os.path.relpath(src, self.root)).as_posix()
        dst, k = self.root / sub / rel, 2
        while dst in self.copies and self.copies[dst] != src:
            dst, k = dst.with_name(f"{(self.root / sub / rel).stem}_{k}{rel.suffix}"), k + 1
        self.copies[dst] = src
        return dst.relative_to(self.root).as_posix()


def _codebook(spec: str | Path, framework_csv: str | Path | None):
    """``(codebook table, description, file to copy verbatim or None)`` for ``--codebook``."""
    from .coding.codebook import read_codebook
    from .coding.codebook_ops import read_codebook_xlsx, read_nhs_framework

    if str(spec) == "service-pledge":
        from importlib.resources import as_file, files

        with as_file(files("pledge_analysis") / "resources" / "service_pledge_codebook.yaml") as p:
            return read_codebook(p), "the starter Service Pledge codebook shipped with pledge_analysis", None
    if str(spec) == "nhs-framework":
        csv = framework_csv or os.environ.get(FRAMEWORK_ENV)
        if not csv:
            raise ConfigError("--codebook nhs-framework needs the NHS framework v7 CSV, which cannot be shipped with "
                              f"pledge_analysis. Download it from {FRAMEWORK_SOURCE} and pass --framework-csv FILE "
                              f"or set {FRAMEWORK_ENV}=FILE.")
        return read_nhs_framework(csv), f"the NHS patient feedback framework v7 ({Path(csv).name})", None
    path = Path(spec)
    if not path.exists():
        raise ConfigError(f"--codebook {str(spec)!r}: not service-pledge or nhs-framework, and no such file. "
                          "Pass one of those two names or a codebook .yaml / .xlsx file.")
    if path.suffix.lower() in (".yaml", ".yml"):
        return read_codebook(path), f"your codebook {path.name}", path
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_codebook_xlsx(path), f"your codebook workbook {path.name}", None
    raise InputError(f"unsupported codebook file type {path.suffix!r}", path=path,
                     hint="Use a YAML codebook (.yaml) or a workbook (.xlsx) with code_id and name columns.")


def _transcript_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise MissingFileError("transcripts folder not found", path=folder,
                               hint="Pass --transcripts a folder of .txt, .docx or .vtt files.")
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TRANSCRIPT_TYPES
                   and not p.name.startswith(("~$", ".")))
    if not found:
        raise InputError("no transcripts (.txt, .docx, .vtt) in the transcripts folder", path=folder)
    return found



def _free_text_with_identifiers(guess: SurveyGuess) -> None:
    """Read as comments, in place, any tick-box question guessed from a column whose few answers hold a name,
    phone number or other identifier (a small survey's comments repeated word for word look like answer
    options): written to questions.yaml as options, they would copy the identifiers into a project file."""
    from .text.deidentify import redact

    for q in list(guess.questions):
        if q.kind != "categorical" or not any(redact(o).spans for o in q.options or []):
            continue
        guess.questions.remove(q)
        guess.comments[q.id] = q.column
        guess.notes.append(f"CHECK: {q.column!r} is read as comments, not as a tick-box question: its answers "
                           "hold names or numbers (de-identified like every comment)")


def init_project(project_dir: str | Path, *, surveys: list[str | Path], transcripts: str | Path | None = None,
                 codebook: str | Path = "service-pledge", force: bool = False, copy: bool = True,
                 framework_csv: str | Path | None = None, name: str | None = None,
                 sheet: str | None = None) -> InitReport:
    """Write ``project.yaml``, ``questions.yaml`` and ``codebook.yaml`` into ``project_dir``.

    ``surveys`` are survey export files (files with the same columns become one survey);
    ``transcripts`` a folder of focus-group transcripts; ``codebook`` ``"service-pledge"``,
    ``"nhs-framework"`` (with ``framework_csv`` or the ``PLEDGE_NHS_FRAMEWORK`` variable) or a
    codebook file. Inputs outside the folder are copied in unless ``copy=False`` (then paths
    point outside and ``allow_paths_outside: true`` is written). A workbook with several sheets holding
    rows: ``sheet`` names the one to read, else the one that looks like the survey is read and written as
    ``sheet:`` (the report says so), else :class:`ConfigError` lists the sheets
    (:func:`pledge_analysis.io.detect.choose_sheet`). Raises :class:`ConfigError`
    if a project file exists and ``force`` is false; nothing is written before every input
    has been read.
    """
    root = Path(project_dir).resolve()
    if root.exists() and not root.is_dir():
        raise ConfigError(f"{root} is a file, not a project folder. Choose a folder name.")
    named_codebook = str(codebook) in ("service-pledge", "nhs-framework")
    in_place = not named_codebook and Path(codebook).resolve() == root / "codebook.yaml"  # the user's own, kept
    existing = [n for n in PROJECT_FILES if (root / n).exists() and not (n == "codebook.yaml" and in_place)]
    if existing and not force:
        raise ConfigError(f"{root} already holds {', '.join(existing)}: init never overwrites a project's files. "
                          "Choose a new folder, or pass --force to overwrite them.")
    surveys = [Path(s) for s in surveys]
    for s in surveys:
        if not s.is_file():
            raise MissingFileError("survey file not found", path=s, hint="Pass --survey the export files.")
    if not surveys and transcripts is None:
        raise ConfigError("init needs survey files (--survey FILE ...) or a transcripts folder (--transcripts DIR).")
    report = InitReport(project_dir=root)
    taken: set[str] = set()
    named: dict[str, int] = {}
    chosen = {s: choose_sheet(s, sheet) for s in surveys}  # several sheets with rows: which one is the survey
    wordings: dict = {}  # the same wording in two surveys (a patient and a staff survey, two rounds): one id
    for files in layouts(surveys, {s: c[0] for s, c in chosen.items()}):
        guess = detect_survey(files, name="survey", taken=taken, sheet=chosen[files[0]][0], wordings=wordings)
        _free_text_with_identifiers(guess)
        for q in guess.questions:
            wordings.setdefault(wording_key(q.column), q)
        for qid, header in guess.comments.items():
            wordings.setdefault(wording_key(header), qid)
        guess.notes[:0] = [note for f in files if (note := chosen[f][1])]
        base = "staff survey" if guess.group == "staff" else "patient survey"
        named[base] = named.get(base, 0) + 1
        guess.name = base if named[base] == 1 else f"{base} {named[base]}"
        report.surveys.append(guess)
    spellings: dict[str, list[str]] = {}  # one hospital written several ways ("St Mary's", "st marys"): one site
    for v in dict.fromkeys(v for g in report.surveys for v in g.site_values):  # most common spelling first
        spellings.setdefault(site_key(v), []).append(v)
    site_names = sorted(vs[0] for vs in spellings.values())
    report.sites = {code: site for site, code in site_codes(site_names).items()}
    folder = Path(transcripts) if transcripts is not None else None
    found = _transcript_files(folder) if folder is not None else []
    report.sites = _codes_from_names(report.sites, found)
    report.site_spellings = {code: spellings[site_key(name)][1:] for code, name in report.sites.items()
                             if len(spellings[site_key(name)]) > 1}
    placer = _Placer(root, copy)
    paths = {id(g): [placer.place(f, "survey", Path(f.name)) for f in g.files] for g in report.surveys}
    if folder is not None:
        for f in found:
            site, group, note = guess_transcript(f, report.sites)
            path = placer.place(f, "transcripts", f.relative_to(folder))
            try:
                turns = len(read_transcript(f, site=site, group=group).segments)
            except PledgeError as exc:
                turns, note = 0, "; ".join(filter(None, [note, f"cannot be read: {exc.message}"]))
            report.transcripts.append({"path": path, "site": site, "group": group, "note": note, "turns": turns})
    questions = _one_entry_per_id(report.surveys)
    cb, report.codebook, verbatim = _codebook(codebook, framework_csv)
    qids = {q.id for q in questions}
    removed = sorted({i for items in cb["survey_items"] for i in items if i not in qids})
    if removed and not in_place:
        cb["survey_items"] = [[i for i in items if i in qids] for items in cb["survey_items"]]
        verbatim = None
    for dst, src in placer.copies.items():
        if dst.exists() and not force and dst.read_bytes() != src.read_bytes():
            raise ConfigError(f"{dst} already exists and differs from {src}: init does not overwrite it. "
                              "Move it away, or pass --force.")
    texts = {"project.yaml": project_yaml(
        name=name or root.name, sites=report.sites, surveys=report.surveys, survey_paths=paths,
        transcripts=report.transcripts, has_questions=bool(questions), outside=placer.outside,
        codebook=report.codebook)}
    if questions:
        comments: dict[str, str] = {}
        for g in report.surveys:  # the same id in two surveys is one question: its first wording
            for qid, header in g.comments.items():
                comments.setdefault(qid, header)
        texts["questions.yaml"] = questions_yaml(questions, comments)
    _write(report, root, placer, texts, cb, verbatim, in_place)
    _checks(report, questions, cb, removed, in_place, placer)
    return report


def _one_entry_per_id(surveys: list[SurveyGuess]) -> list[QuestionGuess]:
    """The questions.yaml entries: a question asked in several surveys (one id, see
    :func:`pledge_analysis.io.detect.detect_survey`) is one entry, asked of ``all`` when a patient and a staff
    survey ask it, with the other surveys' headers under ``other_columns``."""
    import copy

    out: dict[str, QuestionGuess] = {}
    for g in surveys:
        for q in g.questions:
            first = out.get(q.id)
            if first is None:
                out[q.id] = copy.copy(q)
                out[q.id].other_columns = []
                continue
            if q.respondents != first.respondents:
                first.respondents = "all"
            if q.column != first.column and q.column not in first.other_columns:
                first.other_columns.append(q.column)
            first.options += [o for o in q.options if o not in first.options]
            if q.labels and not first.labels:
                first.labels = q.labels
            first.note += f"; the same question in {g.name} ({q.column!r})"
    return list(out.values())


def near_wordings(surveys: list[SurveyGuess], cutoff: float = 0.8) -> list[tuple[QuestionGuess, str, QuestionGuess, str]]:
    """Pairs of questions of different surveys with different ids whose wordings are nearly the same
    (:class:`difflib.SequenceMatcher` ratio at least ``cutoff`` after :func:`wording_key`): listed for the
    user to confirm, never merged."""
    import difflib

    out, seen = [], []
    for g in surveys:
        mine = []
        for q in g.questions:
            key = wording_key(q.column)
            for other, name, k in seen:
                if other.id != q.id and key != k and difflib.SequenceMatcher(None, k, key).ratio() >= cutoff:
                    out.append((other, name, q, g.name))
            mine.append((q, g.name, key))
        seen += mine
    return out


def _write(report: InitReport, root: Path, placer: _Placer, texts: dict[str, str], cb, verbatim, in_place) -> None:
    from .coding.codebook import read_codebook, write_codebook

    root.mkdir(parents=True, exist_ok=True)
    for dst, src in placer.copies.items():
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not (dst.exists() and dst.read_bytes() == src.read_bytes()):
            shutil.copyfile(src, dst)
        report.copied.append((src, dst))
    target = root / "codebook.yaml"
    if not in_place:
        if verbatim is not None:
            shutil.copyfile(verbatim, target)
        else:
            write_codebook(cb, target)
            target.write_text(codebook_header(report.codebook) + target.read_text(encoding="utf-8"), encoding="utf-8")
        read_codebook(target)  # it must read back
        report.written.append(target)
    for fname in ("questions.yaml", "project.yaml"):  # project.yaml last: a half-written project has none
        if fname in texts:
            (root / fname).write_text(texts[fname], encoding="utf-8")
            report.written.append(root / fname)


def _checks(report: InitReport, questions, cb, removed, in_place, placer: _Placer) -> None:
    todo = report.to_check
    if report.sites:
        todo.append(f"sites: check the codes {list(report.sites)} (made up from the site names, or taken from "
                    "transcript file names) and fill in each alliance")
    for g in report.surveys:
        todo += [f"{g.name}: {n}" for n in g.notes]
    if any(q.positive is None and q.kind == "categorical" for q in questions):
        todo.append("questions.yaml: fill in positive/negative where it says MUST FILL IN (or delete the question)")
    if questions:
        todo.append(f"questions.yaml: confirm every question ({len(questions)}): scale, options, positive/negative")
        if any(g.comments for g in report.surveys):
            todo.append("questions.yaml: confirm each free_text polarity (how the question leans its answers: "
                        "negative_prompt, positive_prompt or neutral; the sentiment model uses it)")
    for a, sa, b, sb in near_wordings(report.surveys):
        todo.append(f"questions {a.id} ({sa}: {a.text!r}) and {b.id} ({sb}: {b.text!r}) are worded nearly the same: "
                    f"if they ask the same thing, keep one entry in questions.yaml (id {a.id}, {b.column!r} under its "
                    f"other_columns:, respondents: all if a staff survey asks one) and name {a.id} in the surveys' "
                    "questions:; else leave them apart (they are not compared)")
    patient_cols = {frozenset(q.column for q in g.questions) for g in report.surveys if g.group != "staff"}
    if len(patient_cols) > 1:
        todo.append("patient surveys ask different questions: each lists the ones it asks under `questions:` in "
                    "project.yaml: check them")
    todo += [f"transcript {t['path']}: {t['note']}" for t in report.transcripts if t["note"]]
    if removed:
        todo.append(f"codebook.yaml: survey_items {removed} name no question in questions.yaml"
                    + (" (fix them)" if in_place else " and were removed")
                    + "; link your questions to themes under survey_items")
        todo += suggest_links(cb, questions)
    if not any(cb["keywords"].map(len)):
        todo.append("codebook.yaml has no keywords: rule coding will find nothing until you add keywords "
                    "(or train the theme classifier on reviewed codings)")
    if placer.outside:
        todo.append("paths point outside the project folder (--no-copy): keep those files where they are")


def format_report(report: InitReport) -> str:
    """The text ``pledge-analysis init`` prints: what was written, guessed and must be checked."""
    root = report.project_dir
    out = [f"Wrote {', '.join(p.name for p in report.written)} in {root}"]
    if report.copied:
        out.append(f"Copied {len(report.copied)} input file(s) into the project: "
                   + ", ".join(d.relative_to(root).as_posix() for _, d in report.copied))
    out.append("\nWhat init guessed (every guess is marked in the files):")
    for code, site in report.sites.items():
        also = report.site_spellings.get(code)
        out.append(f"  site {code} = {site!r}" + (f" (also written {', '.join(map(repr, also))} in the data: "
                                                  "read as the same hospital)" if also else ""))
    for g in report.surveys:
        out.append(f"  {g.name}: {', '.join(f.name for f in g.files)} ({g.rows} rows)")
        out += [f"    {k:<14} <- {v!r}" for k, v in g.columns.items()]
        if g.group:
            out.append(f"    {'group':<14} =  {g.group} (every row)")
        for k, mapping in g.values.items():
            out.append(f"    values of {k}: " + ", ".join(f"{a!r} -> {b}" for a, b in mapping.items()))
        out += [f"    comment {k} <- {v!r}" for k, v in g.comments.items()]
        for q in g.questions:
            out.append(f"    question {q.id} ({q.kind}, to be confirmed): {q.note}")
        out += [f"    not read: {c!r} ({why})" for c, why in g.ignored.items()]
    for t in report.transcripts:
        out.append(f"  transcript {t['path']}: site {t['site']}, group {t['group']} ({t['turns']} speaker turns)")
    out.append(f"  codebook: {report.codebook}")
    out.append("\nYou must check:")
    n = 0
    for line in report.to_check:  # hints ("  hint: ...") go under the check above them
        n += not line.startswith(" ")
        out.append(f"     {line.strip()}" if line.startswith(" ") else f"  {n}. {line}")
    out.append(f"\nThen: pledge-analysis validate {root}  and  pledge-analysis run {root} --out {root / 'out'}")
    return "\n".join(out)


__all__ = ["InitReport", "init_project", "format_report", "guess_transcript"]
