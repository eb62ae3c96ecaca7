"""Safe writers: spreadsheet cells that cannot run, files that are never half-written.

**Formula (CSV) injection.** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, in some, a tab, carriage return or NUL first) as a formula, whether the file is CSV
or XLSX: a patient comment ``=cmd|' /C calc'!A0`` would run on the researcher's machine.
Following OWASP's CSV-injection guidance (and ASVS 1.2.10), :func:`neutralise` prefixes such a
string with a single quote, so that it shows as the text it is; a string that is just a number
(``-1.5``, ``+44``) cannot be a formula and is left alone, and numbers stay numbers.
:func:`unneutralise` takes the quote off again (reading our own workbooks back is lossless: a
string that itself starts with a quote before such a character gets a second one). CSV fields
are quoted as RFC 4180 says (records end in CRLF, so a field holding a line break is quoted).
XLSX cells holding strings are always written as text (``data_type "s"``): openpyxl would
otherwise store any string starting with ``=`` as a formula. Control characters that XML cannot
hold become spaces (:func:`clean_text`).

**Atomic files.** :func:`atomic_path` gives a temporary name in the same folder; the file is
moved over the real name (``os.replace``) only once it is complete, so a failed or killed write
(full disk, no permission, ``kill -9``) leaves the previous file or none, never an empty or
half-written one; :func:`remove_stale_temporaries` clears what a killed process left behind.
A write that fails raises :class:`OutputError` naming the file and what to do.

>>> neutralise("=1+2"), neutralise("-1.5"), neutralise(-3), neutralise("Lovely staff")
("'=1+2", '-1.5', -3, 'Lovely staff')
>>> unneutralise(neutralise("=1+2"))
'=1+2'
"""
from __future__ import annotations

import errno
import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..errors import OutputError, PledgeError

#: First characters that make a spreadsheet read a cell as a formula (OWASP; NUL from ASVS 1.2.10).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: Characters XML (and so XLSX and DOCX) cannot hold: C0 controls other than tab, newline, return.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _risky(text: str) -> bool:
    return text[:1] in TRIGGERS and not _NUMBER.fullmatch(text)


def neutralise(value):
    """``value`` as a spreadsheet will show it, never run it: strings that a spreadsheet would read as a
    formula get a leading ``'``; anything else (numbers, ``None``, plain text) is returned as it is."""
    if not isinstance(value, str) or not value:
        return value
    if _risky(value) or (value[0] == "'" and _risky(value.lstrip("'"))):
        return "'" + value
    return value


def unneutralise(value):
    """The inverse of :func:`neutralise` (for reading our own exports back)."""
    if isinstance(value, str) and value[:1] == "'" and _risky(value.lstrip("'")):
        return value[1:]
    return value


def clean_text(value):
    """``value`` without the control characters that XML cannot hold (each becomes a space)."""
    return ILLEGAL_XML.sub(" ", value) if isinstance(value, str) else value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every string cell and column name passed through :func:`neutralise`."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            out[col] = s.astype(object).map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def unneutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` (read from one of our CSV or XLSX exports) with the protective quotes taken off."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].astype(object).map(unneutralise)
    out.columns = [unneutralise(c) for c in out.columns]
    return out


# ---------------------------------------------------------------------------------- atomic files
def advice(err: OSError) -> str:
    """What to do about a failed write, by its errno."""
    code = getattr(err, "errno", None)
    if code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return "Free some disk space (or choose another folder) and run again."
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "Check that you may write to that folder, or choose another one."
    if code in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return "Move the file that is in the way, or choose another folder."
    return "Check that the folder exists, is writable and has space, then run again."


def reason(err: OSError) -> str:
    """What an ``OSError`` means, in words (a file in the way is named)."""
    if isinstance(err, (FileExistsError, NotADirectoryError)) and err.filename:
        return f"{os.fsdecode(err.filename)!r} is a file, not a folder"
    return err.strerror or str(err)


def output_error(err: OSError, path, what: str = "could not write") -> OutputError:
    """An :class:`OutputError` for ``err``, naming ``path`` and what to do."""
    return OutputError(f"{what} {str(path)!r}: {reason(err)}. {advice(err)}", path=path, err=err.errno)


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path`` (same suffix); when the block ends without error the
    temporary file replaces ``path`` at once, otherwise it is removed and ``path`` is left as it was.
    An ``OSError`` on the way becomes an :class:`OutputError` naming ``path``.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("complete")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('complete', ['a.txt'])
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, PledgeError):
            raise output_error(exc, path) from exc
        raise


_TEMP_NAME = re.compile(r"^\..+\.(?P<pid>\d+)-[0-9a-f]{8}\.tmp(?:\.[^.]*)?$")


def remove_stale_temporaries(folder: str | Path) -> list[str]:
    """Remove temporary files that :func:`atomic_path` left in ``folder`` when its process was killed
    (``kill -9``, a power cut) and that no running process is still writing; return their names."""
    removed = []
    for p in Path(folder).iterdir() if Path(folder).is_dir() else ():
        m = _TEMP_NAME.match(p.name)
        if not m or not p.is_file() or _running(int(m.group("pid"))):
            continue
        try:
            p.unlink()
            removed.append(p.name)
        except OSError:
            pass
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process (or not ours to judge): leave its file alone
    return True


def write_text(path: str | Path, text: str) -> None:
    """Write a UTF-8 text file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write a binary file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


# ---------------------------------------------------------------------------------- tables
def safe_to_csv(df: pd.DataFrame, path: str | Path, **kwargs) -> None:
    """``df.to_csv(path, index=False)`` with every risky cell neutralised, written atomically.

    Records end in CRLF as RFC 4180 says, so that a field holding a carriage return is quoted
    (with a bare ``\\n`` ending, pandas would leave it unquoted and a spreadsheet would start a new
    row there, whose first cell could be a formula).
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\r\n")
    frame = neutralise_frame(df)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, **kwargs)


def excel_value(value):
    """A cell value openpyxl can store: neutralised, XML-safe text; plain Python numbers; None for missing."""
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, dict)):
        value = str(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, str):
        return neutralise(clean_text(value))
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        value = value.replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, (int, float, bool)):
        value = value.item()  # numpy scalars
    if isinstance(value, (int, float, bool)) or hasattr(value, "isoformat"):
        return value
    return neutralise(clean_text(str(value)))


def text_cell(cell, value) -> None:
    """Set an openpyxl ``cell`` to :func:`excel_value` of ``value``; strings are always text, never formulas."""
    cell.value = excel_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


def safe_to_excel(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "Sheet1") -> None:
    """Write ``df`` (no index) to a one-sheet workbook: a bold header row, every string cell text
    (neutralised, never a formula), numbers as numbers; written atomically."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value, font=None):
        c = WriteOnlyCell(ws)
        text_cell(c, value)
        if font is not None:
            c.font = font
        return c

    ws.append([cell(str(c), bold) for c in df.columns])
    # Plain values are much faster than a cell object each (333k rows: ~200 s -> a fraction). They are
    # safe: excel_value neutralises every string, and openpyxl makes a formula only of a leading "=".
    for rec in df.itertuples(index=False, name=None):
        ws.append([excel_value(v) for v in rec])
    with atomic_path(path) as tmp:
        wb.save(tmp)
