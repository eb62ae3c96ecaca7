"""The error catalogue: every error code, the class that raises it, its typical cause and what to do.

Each class of :mod:`pledge_analysis.errors` has a code of its own (``PA100`` for
:class:`~pledge_analysis.errors.InputError` ...); the situations users meet most often have finer
codes (``PA111`` a text encoding that cannot be read ...), given at the raise site
(``InputError(..., code="PA111")``) or on a :class:`~pledge_analysis.errors.Problem` of
``validate``. The hundreds: 0xx any, 1xx input files and tables, 2xx project files and options,
3xx codebook, 4xx project store, 5xx outputs, 6xx models, 7xx optional packages.

``docs/errors.md`` is generated from this list (``python -m pledge_analysis.error_catalogue
docs/errors.md``; a test checks that the committed file is current), and the command line ends each
error with ``(see docs/errors.md#pa111)``.

>>> entry("PA111").error, entry("PA111").title
('InputError', 'a text file is in an encoding that cannot be read')
>>> docs_anchor("PA111")
'docs/errors.md#pa111'
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """One code: ``error`` (the class name in :mod:`pledge_analysis.errors`), ``title`` (the situation),
    ``cause`` (how it typically happens) and ``action`` (what to do)."""

    code: str
    error: str
    title: str
    cause: str
    action: str
    problem: bool = False  # a code of one Problem listed by a ProjectFileError (validate), not of an error


def _problem(code: str, title: str, cause: str, action: str) -> Entry:
    return Entry(code, "ProjectFileError", title, cause, action, problem=True)


CATALOGUE: tuple[Entry, ...] = (
    Entry("PA000", "PledgeError", "an error of pledge_analysis without a more specific code",
          "Raised directly only where no other class fits.",
          "Read the message: it says what was wrong and where."),
    # ------------------------------------------------------------------ 1xx input files and tables
    Entry("PA100", "InputError", "a user-supplied file or table cannot be used as it is",
          "A value, row or table that a function or reader cannot work with: the message names the file, row "
          "and column (as the spreadsheet numbers them) when it knows them.",
          "Fix the named cell, row or file and run again; the message's last sentence says how."),
    Entry("PA101", "MissingFileError", "a named file or folder does not exist",
          "A path in project.yaml or on the command line has a typo, is relative to another folder, or the file "
          "was moved.",
          "Check the path; paths in project.yaml are relative to the project folder."),
    Entry("PA102", "MissingColumnError", "a required column is absent",
          "The export's header differs from what project.yaml or questions.yaml maps (a renamed question, an "
          "extra space, another export template), or a table passed in Python lacks a column.",
          "Map the column under `columns:` in project.yaml (or `column:` in questions.yaml), or rename it in "
          "the file; the message lists the columns found."),
    Entry("PA103", "TableContractError", "a tidy table lacks a column of its contract",
          "A table built by hand (or by an older version) is handed to a stage that needs the columns "
          "listed in pledge_analysis.schema.",
          "Add the missing columns, or start from schema.empty(NAME) and fill it."),
    Entry("PA104", "EmptyInputError", "a file or table has no usable rows",
          "An export with a header only, an empty sheet, a transcript with no turns, or a filter that "
          "removed every row.",
          "Check that the export holds data (and, for a workbook, that the right sheet is named)."),
    Entry("PA105", "TranscriptFormatError", "a transcript line cannot be read as a speaker turn",
          "A transcript whose lines are not `Speaker: text` (or WebVTT/SubRip cues) where a turn was expected.",
          "Put each turn on its own line as `Speaker: text`, or export the transcript as .vtt or .srt."),
    Entry("PA106", "UnsafeInputError", "a file was refused because reading it would be unsafe",
          "A REFI-QDA or Office file past a size cap (a zip bomb), XML with a DTD or entity declarations, or "
          "a member path that climbs out of the archive (zip slip).",
          "Export the file again from the program that made it; do not open files of unknown origin."),
    Entry("PA110", "InputError", "a file is not what its name says, or is truncated or damaged",
          "A CSV renamed to .xlsx, an old .xls, a text file named .docx, a download that stopped half-way, "
          "a CSV with an unclosed quote.",
          "Open the file in the program that made it and save it again in the format its name says "
          "(Excel Workbook .xlsx, CSV UTF-8)."),
    Entry("PA111", "InputError", "a text file is in an encoding that cannot be read",
          "A CSV or transcript saved in an encoding other than UTF-8, UTF-16 or Windows-1252, or with bytes "
          "that are invalid in the encoding its byte-order mark declares.",
          "Save it again as 'CSV UTF-8' (or UTF-8 text)."),
    Entry("PA112", "InputError", "a date cannot be read",
          "A date the one date grammar refuses (pledge_analysis/io/dates.py: a date that only reads month first "
          "such as 04/13/2025, an ambiguous Apr-25, an Excel serial number such as 45760, an impossible day), "
          "or a date column mapped to the wrong column.",
          "Write dates as YYYY-MM-DD or day first (13/04/2025), or map the date column (`completed:`) in "
          "project.yaml."),
    Entry("PA113", "InputError", "a workbook sheet is missing or ambiguous",
          "`sheet:` names a sheet the workbook lacks, or no `sheet:` is given and several sheets hold rows.",
          "Name the sheet to read with `sheet:` on the survey in project.yaml; the message lists the sheets."),
    Entry("PA114", "InputError", "a file is not a REFI-QDA project or codebook",
          "A .qdpx that is not a zip archive or has no project.qde inside, a .qdc that is a zip, a damaged "
          "or password-protected export.",
          "Export the project again from the QDA program as a REFI-QDA 1.0 project (.qdpx) or codebook (.qdc)."),
    Entry("PA115", "InputError", "a formula cell of a workbook has no saved value",
          "The workbook was saved by a script (openpyxl) or a macro that does not compute formulas: a cell holds "
          "a formula but not its result, so reading it would give an empty cell and lose what was typed.",
          "Open the workbook in Excel or LibreOffice and save it (that stores each result), or type the value "
          "itself in place of the formula; the message names each sheet, cell, row and column."),
    Entry("PA116", "InputError", "an output folder of an earlier release would show a count that is now withheld",
          "The folder was written before secondary suppression (a count or survey figure that is not small but "
          "would give a hidden one back by subtraction is withheld): its shown texts still print such counts.",
          "Run the analysis again with the same --out (`pledge-analysis run PROJECT --out OUT`), then serve it; "
          "the message names the hospitals and figures concerned."),
    # ------------------------------------------------------------------ 2xx project files and options
    Entry("PA200", "ConfigError", "an option or setting is invalid",
          "A value outside its allowed set (a method name, a weight, a level) passed in Python or on the "
          "command line, or set in project.yaml.",
          "Use one of the values the message lists."),
    Entry("PA201", "ProjectFileError", "the project files fail validation",
          "project.yaml, questions.yaml, the codebook, standards or the data have problems; every problem is "
          "listed with its file, line and key (or row and column), each with its own code.",
          "Fix them and run `pledge-analysis validate PROJECT_DIR` until it reports no problems."),
    _problem("PA211", "an unknown key in a project file",
          "A typo in a key of project.yaml, questions.yaml or standards.yaml (`survey:` for `surveys:`), or a "
          "key at the wrong indentation.",
          "Use the key the message suggests; docs/project-files.md lists every key."),
    _problem("PA212", "a required key is missing from a project file",
          "An entry without one of the keys it needs (a question without `id:`, a survey without `files:`).",
          "Add the key; docs/project-files.md says what each entry needs."),
    _problem("PA213", "a key of a project file has a value of the wrong type or out of range",
          "Text where a list is expected (`files: a.csv` for `files: [a.csv]`), a number out of range, a value "
          "not among the allowed ones.",
          "Write the value as the message says (it shows an example when it can)."),
    _problem("PA214", "a file named in project.yaml does not exist or is outside the project",
          "A path under `surveys:`, `transcripts:`, `questions:` or `codebook:` with a typo, or one that leaves "
          "the project folder.",
          "Fix the path (relative to the project folder), or set `allow_paths_outside: true` to use a file "
          "elsewhere on purpose."),
    _problem("PA215", "a project file cannot be read as YAML",
          "A tab for indentation, a missing colon, an unclosed quote or bracket, or a file that is not UTF-8.",
          "Fix the line the message names (YAML indents with spaces) and save the file as UTF-8."),
    _problem("PA216", "numbers read as a rating may be a Likert scale's answer codes",
          "questions.yaml reads a question answered 1 to 5 (up to 7) as a rating, averaged as a score, but the "
          "survey file gives the numbers a legend (`1 = Strongly disagree` in the header, a title row or another "
          "sheet), or the header does not say it is a rating or a score: `init` cannot tell, so validate asks.",
          "If the numbers are answer codes, replace the question's `kind/min/max` in questions.yaml by the "
          "`kind: categorical` and `labels:` lines the message gives; if they really are a score, add "
          "`likert: false` to the question."),
    # ------------------------------------------------------------------ 3xx codebook
    Entry("PA300", "CodebookError", "the codebook is inconsistent",
          "Codes with duplicate ids, a parent that is not in the codebook, or a cycle of parents.",
          "Fix the codebook entries the message names."),
    Entry("PA301", "CodebookError", "a code is not in the codebook",
          "Codings (imported, or from a model trained on another codebook) name codes the codebook lacks, or "
          "a code id has a typo.",
          "Add the code to the codebook, or correct the code id; the message lists some that exist."),
    Entry("PA302", "CodebookError", "duplicate code ids in the codebook",
          "Two codes share an id (often after merging two codebooks).",
          "Give each code a unique id."),
    # ------------------------------------------------------------------ 4xx project store
    Entry("PA400", "ProjectStoreError", "the project store (SQLite) cannot be used",
          "The store file is not a pledge_analysis store, was made by a newer version, cannot be created in "
          "its folder, or a decision names a coding the store lacks.",
          "Point `store:` (or --store) at another file, upgrade pledge_analysis, or check the id the message "
          "names."),
    # ------------------------------------------------------------------ 5xx outputs
    Entry("PA500", "OutputError", "an output file cannot be written",
          "No permission, a full disk, a file where a folder should be (or the reverse), an output folder that "
          "does not exist.",
          "Free space, fix the permissions or choose another --out folder; files already written are complete."),
    # ------------------------------------------------------------------ 6xx models
    Entry("PA600", "NotFittedError", "a model was used before it was fitted",
          "predict, transform, score or save called on a ThemeClassifier, SentimentClassifier, TextFeatures, "
          "FineTunedClassifier or TopicExplorer before fit.",
          "Call fit(X, y) first, or load a saved model with CLASS.load(path)."),
    # ------------------------------------------------------------------ 7xx optional packages
    Entry("PA700", "ModelUnavailableError", "an optional model or package is not installed",
          "A trained spaCy model, the sentence-embedding package or BERTopic asked for but absent.",
          "Install the package the message names, or leave out the option that needs it."),
    Entry("PA701", "ModelUnavailableError", "a saved model file cannot be used",
          "The file passed as a model (`code --model`, CLASS.load) is not one written by a model's save(): another "
          "program's pickle, a CSV or folder, a truncated copy, a model of another kind (a sentiment model as a "
          "theme model), one saved by another version of pledge_analysis, or one that needs a package this machine "
          "lacks (torch for a fine-tuned model).",
          "Pass the .joblib file your model's save(path, codebook=...) wrote, or the one `pledge-analysis run` keeps "
          "beside the project store (run_log.json, machine_coding.model_file); fit and save it again with this "
          "version if the message says another version saved it."),
    Entry("PA702", "ModelUnavailableError", "a saved model predicts codes the codebook lacks",
          "The model was trained with another codebook (or one since edited): some code it would write is not in "
          "the codebook given now.",
          "Pass the codebook the model was trained with, or fit the model again on this codebook."),
)

CODES: dict[str, Entry] = {e.code: e for e in CATALOGUE}


def entry(code: str) -> Entry:
    """The catalogue entry of ``code`` (``KeyError`` if it is not catalogued)."""
    return CODES[code]


def docs_anchor(code: str) -> str:
    """Where ``code`` is documented: ``docs/errors.md#pa101``."""
    return f"docs/errors.md#{code.lower()}"


def class_codes() -> dict[str, str]:
    """``{class name: code}`` for every class of :mod:`pledge_analysis.errors`."""
    from . import errors

    return {name: cls.code for name, cls in vars(errors).items()
            if isinstance(cls, type) and issubclass(cls, errors.PledgeError)}


def markdown() -> str:
    """The text of ``docs/errors.md``: the tree of classes, then one section per code."""
    from . import errors

    tree = errors.__doc__.split("The tree, with each class's code::", 1)[1].split("\n\n")[1]
    lines = ["# Error codes", "",
             "<!-- generated by `python -m pledge_analysis.error_catalogue docs/errors.md`; do not edit by hand -->",
             "",
             "Every error pledge_analysis raises starts with a code, says what was wrong, where (file, row, "
             "column, key) and what to do, e.g.", "",
             "```",
             "error: PA102 the survey is missing column(s) ['site'] (file 'a.csv'). Check the column mapping "
             "in project.yaml. (see docs/errors.md#pa102)",
             "```", "",
             "In Python, catch `pledge_analysis.PledgeError` (or a class below) and read `err.code`, "
             "`err.what`, `err.hint` and `err.context` (a dict: `path`, `row`, `column`, `key` ...). "
             "The classes and their own codes:", "",
             "```", *[t[4:] for t in tree.splitlines()], "```", "",
             "| code | class | situation |", "|---|---|---|"]
    lines += [f"| [{e.code}](#{e.code.lower()}) | `{e.error}` | {e.title} |" for e in CATALOGUE]
    for e in CATALOGUE:
        lines += ["", f'<a id="{e.code.lower()}"></a>', "", f"## {e.code}: {e.title}", "",
                  (f"A problem listed by `{e.error}` (and by `pledge-analysis validate`)." if e.problem
                   else f"Raised as `{e.error}`."), "", f"**Typical cause.** {e.cause}", "", f"**What to do.** {e.action}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m pledge_analysis.error_catalogue [FILE]``: write the docs to FILE (or print them)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        Path(argv[0]).write_text(markdown(), encoding="utf-8")
    else:
        sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
