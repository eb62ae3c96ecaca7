"""Exception hierarchy of pledge_analysis.

Every error says what was wrong, where (file, row, column) and what to do::

    PledgeError                      base class: catch this to catch everything we raise
    ├── InputError                   a user-supplied file or table is unusable
    │   ├── MissingFileError         a named file does not exist
    │   ├── MissingColumnError       a required column is absent
    │   │   └── TableContractError   a tidy table lacks a column of its contract (schema.conform)
    │   ├── EmptyInputError          a file or table has no usable rows
    │   ├── TranscriptFormatError    a transcript line cannot be read as a speaker turn
    │   └── UnsafeInputError         a hostile file refused: past a cap, a DTD or entities, a path outside
    ├── ConfigError                  project.yaml or an option is invalid
    │   └── ProjectFileError         project files fail validation: a list of located problems
    ├── CodebookError                the codebook is inconsistent (ids, parents, cycles)
    ├── ProjectStoreError            the SQLite project store cannot be used
    ├── OutputError                  an output file cannot be written (permission, disk full, a file in the way)
    ├── NotFittedError               a model was used before fit (also a ValueError and AttributeError)
    └── ModelUnavailableError        an optional model or package is not installed

Errors are raised, never asserted. Rows that are merely bad (a duplicate id, an
out-of-range answer) are *not* errors: they are set aside with a reason in a
``set_aside`` table so that every input row is accounted for.
"""
from __future__ import annotations

from pathlib import Path


class PledgeError(Exception):
    """Base class of every error raised by pledge_analysis."""


def _where(path: str | Path | None = None, row: int | None = None, column: str | None = None) -> str:
    parts = []
    if path is not None:
        parts.append(f"file {str(path)!r}")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return (" (" + ", ".join(parts) + ")") if parts else ""


class InputError(PledgeError):
    """A user-supplied file or table cannot be used as it is.

    >>> str(InputError("answer out of range", path="a.csv", row=3, column="Q2", hint="fix it"))
    "answer out of range (file 'a.csv', row 3, column 'Q2'). fix it"
    """

    def __init__(self, what: str, *, path=None, row=None, column=None, hint: str = ""):
        self.what, self.path, self.row, self.column, self.hint = what, path, row, column, hint
        message = what + _where(path, row, column) + "."
        if hint:
            message += " " + hint
        super().__init__(message)


class MissingFileError(InputError, FileNotFoundError):
    """A file named by the user or by project.yaml does not exist."""


class MissingColumnError(InputError, KeyError):
    """A required column is absent from a table or file."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0]


class TableContractError(MissingColumnError):
    """A tidy table handed to a stage lacks columns of its contract (:mod:`pledge_analysis.schema`).

    ``table`` names the contract and ``missing`` the absent columns. Raised by
    :func:`pledge_analysis.schema.conform` instead of filling the gap with empty values, so that a
    column that was never computed cannot pass for one computed as empty.

    >>> str(TableContractError("codings", ["status"]))
    "the codings table is missing column(s) ['status'] of its contract (schema.CODINGS). Add them (an empty column if there is nothing to put in it), or start from schema.empty('codings')."
    """

    def __init__(self, table: str, missing, *, path=None):
        self.table, self.missing = table, list(missing)
        super().__init__(f"the {table} table is missing column(s) {self.missing} of its contract "
                         f"(schema.{table.upper()})", path=path,
                         hint="Add them (an empty column if there is nothing to put in it), or start from "
                              f"schema.empty({table!r}).")


class EmptyInputError(InputError):
    """A file or table has no usable rows."""


class TranscriptFormatError(InputError):
    """A transcript line cannot be read as a speaker turn."""


class UnsafeInputError(InputError):
    """A file is refused because reading it would be unsafe: a zip member that inflates beyond a cap, a
    DTD or entity declarations in XML, a member or document path that points outside the archive.

    ``member`` names the part of an archive at fault and ``line`` the XML line, when known.

    >>> str(UnsafeInputError("inflates beyond 200 MB", path="p.qdpx", member="project.qde", hint="Export again."))
    "member 'project.qde': inflates beyond 200 MB (file 'p.qdpx'). Export again."
    """

    def __init__(self, what: str, *, path=None, member: str | None = None, line: int | None = None, hint: str = ""):
        self.member, self.line = member, line
        where = ", ".join(([f"member {member!r}"] if member is not None else []) + ([f"line {line}"] if line else []))
        super().__init__((where + ": " if where else "") + what, path=path, hint=hint)


class ConfigError(PledgeError):
    """project.yaml, or an option passed to a function, is invalid."""


class Problem:
    """One located problem: in a project file (file, line, key path) or in a data file (file, row, column),
    what is wrong and what to do.

    >>> str(Problem("project.yaml", 4, "surveys", "unknown key 'survey'. Did you mean 'surveys'?"))
    "project.yaml, line 4, key 'surveys': unknown key 'survey'. Did you mean 'surveys'?"
    >>> str(Problem("exports/a.csv", None, None, "site 'X' is not declared", row=31, column="Trust site"))
    "exports/a.csv, row 31, column 'Trust site': site 'X' is not declared"
    """

    def __init__(self, file, line: int | None, key: str | None, message: str, *, row: int | None = None,
                 column: str | None = None):
        self.file, self.line, self.key, self.message = str(file), line, key, message
        self.row, self.column = row, column

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "") + (f", key {self.key!r}" if self.key else "")
        where += (f", row {self.row}" if self.row else "") + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


class ProjectFileError(ConfigError):
    """The project's files (project.yaml, questions.yaml, the codebook, the data) fail validation.

    ``problems`` lists every :class:`Problem` found, not only the first.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the project files"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)
                         + "\nFix them and run `pledge-analysis validate PROJECT_DIR` again.")


class CodebookError(PledgeError):
    """The codebook is inconsistent: duplicate ids, unknown parents or cycles."""


class ProjectStoreError(PledgeError):
    """The SQLite project store cannot be opened or written."""


class OutputError(PledgeError, OSError):
    """An output file cannot be written (no permission, disk full, a file in the way)."""

    def __init__(self, message: str, path=None, err: int | None = None):
        self.path = path
        PledgeError.__init__(self, message)
        if err is not None:
            self.errno = err


class ModelUnavailableError(PledgeError):
    """An optional model or package is not installed on this machine."""


class NotFittedError(PledgeError, ValueError, AttributeError):
    """A model was asked to predict or transform (or to be saved) before it was fitted.

    Also a ``ValueError`` and an ``AttributeError``, as scikit-learn's own ``NotFittedError`` is,
    so code written for scikit-learn (``except (ValueError, AttributeError)``) catches it too.

    >>> str(NotFittedError("ThemeClassifier"))
    'ThemeClassifier is not fitted yet. Call fit(X, y) first, or load a saved model with ThemeClassifier.load(path).'
    """

    def __init__(self, estimator: str):
        self.estimator = estimator
        super().__init__(f"{estimator} is not fitted yet. Call fit(X, y) first, or load a saved model with "
                         f"{estimator}.load(path).")
