"""Exception hierarchy of pledge_analysis.

Every error says what was wrong, where (file, row, column, key) and what to do, in one format::

    PA102 the survey is missing column(s) ['site'] (file 'a.csv'). Check the column mapping in project.yaml.
    ^code ^what                                     ^where         ^hint: what to do

and carries the same facts as data: ``err.code`` (stable, listed with its cause and remedy in
:mod:`pledge_analysis.error_catalogue` and ``docs/errors.md``), ``err.what``, ``err.hint`` and
``err.context`` (a dict: ``path``, ``row``, ``column``, ``key``, ``member``, ``line`` and whatever
else applies, e.g. ``table``, ``missing``, ``estimator``). ``err.message`` is ``str(err)`` without
the code. The tree, with each class's code::

    PledgeError                      PA000  base class: catch this to catch everything we raise
    ├── InputError                   PA100  a user-supplied file or table is unusable
    │   ├── MissingFileError         PA101  a named file does not exist
    │   ├── MissingColumnError       PA102  a required column is absent
    │   │   └── TableContractError   PA103  a tidy table lacks a column of its contract (schema.conform)
    │   ├── EmptyInputError          PA104  a file or table has no usable rows
    │   ├── TranscriptFormatError    PA105  a transcript line cannot be read as a speaker turn
    │   └── UnsafeInputError         PA106  a hostile file refused: past a cap, a DTD or entities, a path outside
    ├── ConfigError                  PA200  project.yaml or an option is invalid
    │   └── ProjectFileError         PA201  project files fail validation: a list of located problems
    ├── CodebookError                PA300  the codebook is inconsistent (ids, parents, cycles)
    ├── ProjectStoreError            PA400  the SQLite project store cannot be used
    ├── OutputError                  PA500  an output file cannot be written (permission, disk full, a file in the way)
    ├── NotFittedError               PA600  a model was used before fit (also a ValueError and AttributeError)
    └── ModelUnavailableError        PA700  an optional model or package is not installed

Common situations have finer codes of their own (an encoding that cannot be read, a file that is
not what its name says, an unknown key in project.yaml ...): a raise site passes ``code="PA111"``;
the catalogue says which class each code belongs to, and the tests check that every code used in
the package is catalogued and documented. A :class:`Problem` (one entry of a
:class:`ProjectFileError`) may carry a code too.

Errors are raised, never asserted. Rows that are merely bad (a duplicate id, an
out-of-range answer) are *not* errors: they are set aside with a reason in a
``set_aside`` table so that every input row is accounted for.
"""
from __future__ import annotations

from pathlib import Path

#: context keys shown in the "(file 'x', row 3, column 'Q2')" part of a message, in this order
LOCATION = ("path", "member", "line", "row", "column", "key")
_LABELS = {"path": "file"}


def _where(path: str | Path | None = None, row: int | None = None, column: str | None = None, **rest) -> str:
    """`` (file 'a.csv', row 3, column 'Q2')`` for the location keys given (an empty string for none)."""
    found = dict(rest, path=path, row=row, column=column)
    parts = []
    for key in LOCATION:
        value = found.get(key)
        if value is None or (key == "line" and not value):
            continue
        shown = repr(str(value)) if key in ("path", "member", "column", "key") else str(value)
        parts.append(f"{_LABELS.get(key, key)} {shown}")
    return (" (" + ", ".join(parts) + ")") if parts else ""


def _compose(what: str, where: str, hint: str) -> str:
    """``what`` + ``where`` + "." (unless it already ends a sentence) + " " + ``hint``."""
    message = what + where
    if message and not message.endswith((".", "?", "!")):
        message += "."
    return message + (" " + hint if hint else "")


class _Context:
    """An attribute that reads and writes one key of ``err.context`` (``err.path``, ``err.row`` ...)."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        return self if obj is None else obj.__dict__.get("context", {}).get(self.name)

    def __set__(self, obj, value):
        obj.__dict__.setdefault("context", {})[self.name] = value


def _rebuild(cls, args, state):
    """Unpickle an error without calling its ``__init__`` (whose signature differs from class to class)."""
    err = cls.__new__(cls, *args)
    err.args = args
    for name, value in state.items():
        setattr(err, name, value)
    return err


class PledgeError(Exception):
    """Base class of every error raised by pledge_analysis.

    ``PledgeError(what, hint="what to do", code=None, **context)``; the location keys of ``context``
    (:data:`LOCATION`) are shown in the message, the others are only kept as data.

    >>> err = PledgeError("cannot use the thing", hint="Try another.", key="thing", value=3)
    >>> str(err), err.code, err.context
    ("PA000 cannot use the thing (key 'thing'). Try another.", 'PA000', {'key': 'thing', 'value': 3})
    """

    code = "PA000"
    path, row, column, key, member, line = _Context(), _Context(), _Context(), _Context(), _Context(), _Context()

    def __init__(self, what: str = "", *, hint: str = "", code: str | None = None, **context):
        self.what, self.hint = what, hint or ""
        self.code = code or type(self).code
        self.context = {k: v for k, v in context.items() if v is not None}
        super().__init__(_compose(what, _where(**self.context), self.hint))

    @property
    def message(self) -> str:
        """The message without the code (to quote inside another message)."""
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return f"{self.code} {self.message}"

    def __reduce__(self):
        state = dict(self.__dict__)
        if isinstance(self, OSError) and self.errno is not None:
            state["errno"] = self.errno
        return _rebuild, (type(self), self.args, state)


class InputError(PledgeError):
    """A user-supplied file or table cannot be used as it is.

    >>> err = InputError("answer out of range", path="a.csv", row=3, column="Q2", hint="Fix it.")
    >>> str(err)
    "PA100 answer out of range (file 'a.csv', row 3, column 'Q2'). Fix it."
    >>> err.context, err.row
    ({'path': 'a.csv', 'row': 3, 'column': 'Q2'}, 3)
    """

    code = "PA100"

    def __init__(self, what: str, *, path=None, row=None, column=None, hint: str = "", code: str | None = None,
                 **context):
        super().__init__(what, hint=hint, code=code, path=path, row=row, column=column, **context)


class MissingFileError(InputError, FileNotFoundError):
    """A file named by the user or by project.yaml does not exist."""

    code = "PA101"


class MissingColumnError(InputError, KeyError):
    """A required column is absent from a table or file."""

    code = "PA102"


class TableContractError(MissingColumnError):
    """A tidy table handed to a stage lacks columns of its contract (:mod:`pledge_analysis.schema`).

    ``table`` names the contract and ``missing`` the absent columns. Raised by
    :func:`pledge_analysis.schema.conform` instead of filling the gap with empty values, so that a
    column that was never computed cannot pass for one computed as empty.

    >>> str(TableContractError("codings", ["status"]))
    "PA103 the codings table is missing column(s) ['status'] of its contract (schema.CODINGS). Add them (an empty column if there is nothing to put in it), or start from schema.empty('codings')."
    """

    code = "PA103"

    def __init__(self, table: str, missing, *, path=None):
        self.table, self.missing = table, list(missing)
        super().__init__(f"the {table} table is missing column(s) {self.missing} of its contract "
                         f"(schema.{table.upper()})", path=path, table=table, missing=self.missing,
                         hint="Add them (an empty column if there is nothing to put in it), or start from "
                              f"schema.empty({table!r}).")


class EmptyInputError(InputError):
    """A file or table has no usable rows."""

    code = "PA104"


class TranscriptFormatError(InputError):
    """A transcript line cannot be read as a speaker turn."""

    code = "PA105"


class UnsafeInputError(InputError):
    """A file is refused because reading it would be unsafe: a zip member that inflates beyond a cap, a
    DTD or entity declarations in XML, a member or document path that points outside the archive.

    ``member`` names the part of an archive at fault and ``line`` the XML line, when known.

    >>> str(UnsafeInputError("inflates beyond 200 MB", path="p.qdpx", member="project.qde", hint="Export again."))
    "PA106 inflates beyond 200 MB (file 'p.qdpx', member 'project.qde'). Export again."
    """

    code = "PA106"

    def __init__(self, what: str, *, path=None, member: str | None = None, line: int | None = None, hint: str = "",
                 code: str | None = None):
        super().__init__(what, path=path, member=member, line=line or None, hint=hint, code=code)


class ConfigError(PledgeError):
    """project.yaml, or an option passed to a function, is invalid."""

    code = "PA200"


class Problem:
    """One located problem: in a project file (file, line, key path) or in a data file (file, row, column),
    what is wrong and what to do; ``code`` (when given) names the situation in the error catalogue.

    >>> str(Problem("project.yaml", 4, "surveys", "unknown key 'survey'. Did you mean 'surveys'?", code="PA211"))
    "PA211 project.yaml, line 4, key 'surveys': unknown key 'survey'. Did you mean 'surveys'?"
    >>> str(Problem("exports/a.csv", None, None, "site 'X' is not declared", row=31, column="Trust site"))
    "exports/a.csv, row 31, column 'Trust site': site 'X' is not declared"
    """

    def __init__(self, file, line: int | None, key: str | None, message: str, *, row: int | None = None,
                 column: str | None = None, code: str | None = None):
        self.file, self.line, self.key, self.message = str(file), line, key, message
        self.row, self.column, self.code = row, column, code

    @property
    def context(self) -> dict:
        """The location as data, like :attr:`PledgeError.context` (``path`` is the file)."""
        found = {"path": self.file, "line": self.line, "key": self.key, "row": self.row, "column": self.column}
        return {k: v for k, v in found.items() if v is not None}

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "") + (f", key {self.key!r}" if self.key else "")
        where += (f", row {self.row}" if self.row else "") + (f", column {self.column!r}" if self.column else "")
        return (f"{self.code} " if self.code else "") + f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


class ProjectFileError(ConfigError):
    """The project's files (project.yaml, questions.yaml, the codebook, the data) fail validation.

    ``problems`` lists every :class:`Problem` found, not only the first; ``context["problems"]`` their
    number and ``context["files"]`` the files they are in.

    >>> print(ProjectFileError([Problem("project.yaml", 4, "survey", "unknown key", code="PA211")]))
    PA201 1 problem in the project files:
      - PA211 project.yaml, line 4, key 'survey': unknown key
    Fix them and run `pledge-analysis validate PROJECT_DIR` again.
    """

    code = "PA201"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the project files:\n" + "\n".join(
            f"  - {p}" for p in self.problems)
        files = list(dict.fromkeys(p.file for p in self.problems))
        super().__init__(head, problems=n, files=files)
        self.hint = "Fix them and run `pledge-analysis validate PROJECT_DIR` again."
        self.args = (head + "\n" + self.hint,)


class CodebookError(PledgeError):
    """The codebook is inconsistent: duplicate ids, unknown parents or cycles."""

    code = "PA300"


class ProjectStoreError(PledgeError):
    """The SQLite project store cannot be opened or written."""

    code = "PA400"


class OutputError(PledgeError, OSError):
    """An output file cannot be written (no permission, disk full, a file in the way).

    >>> err = OutputError("could not write 'out/a.csv': the disk is full. Free some space.", path="out/a.csv", err=28)
    >>> str(err), err.errno, err.context
    ("PA500 could not write 'out/a.csv': the disk is full. Free some space.", 28, {'errno': 28, 'path': 'out/a.csv'})
    """

    code = "PA500"

    def __init__(self, message: str, path=None, err: int | None = None, *, hint: str = "", code: str | None = None):
        PledgeError.__init__(self, message, hint=hint, code=code, errno=err)
        self.path = path  # not in the message: the messages name the file themselves
        if err is not None:
            self.errno = err


class NotFittedError(PledgeError, ValueError, AttributeError):
    """A model was asked to predict or transform (or to be saved) before it was fitted.

    Also a ``ValueError`` and an ``AttributeError``, as scikit-learn's own ``NotFittedError`` is,
    so code written for scikit-learn (``except (ValueError, AttributeError)``) catches it too.

    >>> str(NotFittedError("ThemeClassifier"))
    'PA600 ThemeClassifier is not fitted yet. Call fit(X, y) first, or load a saved model with ThemeClassifier.load(path).'
    """

    code = "PA600"

    def __init__(self, estimator: str, *, hint: str | None = None):
        self.estimator = estimator
        super().__init__(f"{estimator} is not fitted yet", estimator=estimator,
                         hint=f"Call fit(X, y) first, or load a saved model with {estimator}.load(path)."
                         if hint is None else hint)


class ModelUnavailableError(PledgeError):
    """An optional model or package is not installed on this machine."""

    code = "PA700"
