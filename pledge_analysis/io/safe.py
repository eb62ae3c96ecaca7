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


_TAG_NAMES = r"p|br|div|span|b|i|u|em|strong|li|ul|ol|font|a|h[1-6]|table|tr|td|th|tbody|thead|sup|sub|small|big|hr"
_BREAK = re.compile(r"<\s*(?:br|hr|/p|/div|/li|/h[1-6]|/tr)\s*/?\s*>", re.I)
_TAG = re.compile(rf"<\s*/?\s*(?:{_TAG_NAMES})(?:\s[^<>]*)?/?\s*>", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def markup_removed(text: str) -> str:
    r"""``text`` as the respondent typed it when a web form exported it as HTML: the tags of rich text (``<p>``,
    ``<b>``, ``<br/>`` ...) taken off (a line break where a paragraph or line ended) and character references
    (``&amp;``, ``&nbsp;``, ``&#39;``) read. Text without such markup is returned unchanged, so a patient's own
    ``<3`` or ``8 to <5`` stays.

    >>> markup_removed("<p>Too cold &amp; cramped</p><p>Kind staff</p>"), markup_removed("I <3 you & them")
    ('Too cold & cramped\nKind staff', 'I <3 you & them')
    """
    if not isinstance(text, str) or ("<" not in text and "&" not in text):
        return text
    import html

    out = _TAG.sub("", _BREAK.sub("\n", text))
    out = _ENTITY.sub(lambda m: html.unescape(m.group(0)), out)
    if out == text:
        return text
    lines = (" ".join(line.replace("\xa0", " ").split()) for line in out.split("\n"))
    return "\n".join(line for line in lines if line)


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


#: Rows in one worksheet of Excel (and LibreOffice): 1,048,576, the header included.
EXCEL_MAX_ROWS = 1_048_576
#: Characters in one Excel cell; a longer text is cut there with :data:`CUT_MARK` (the CSV has it whole).
EXCEL_MAX_CHARS = 32_767
CUT_MARK = " [... cut here: Excel holds at most 32,767 characters in a cell; the CSV has the whole text]"


def _sheet_names(name: str, parts: int) -> list[str]:
    """Worksheet names for ``parts`` sheets: ``name``, then ``name (2)``, ... (Excel's 31-character limit)."""
    name = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet1"
    if parts == 1:
        return [name]
    return [f"{name[:31 - len(f' ({k})')]} ({k})" if k > 1 else name[:31] for k in range(1, parts + 1)]


def safe_to_excel(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "Sheet1",
                  max_rows: int = EXCEL_MAX_ROWS) -> list[str]:
    """Write ``df`` (no index) to a workbook: a bold, frozen header row, every string cell text
    (neutralised, never a formula), numbers as numbers, dates as dates; written atomically.

    Written with xlsxwriter in ``constant_memory`` mode (row by row: 333,000 rows in seconds, not
    minutes, and little memory); no string is ever turned into a formula, number or link. A table
    with more rows than a worksheet holds (``max_rows``, header included; Excel's limit by default) is
    split over several sheets, ``sheet_name``, ``sheet_name (2)``, ..., each with the header, and a
    warning says so: no row is dropped. A text longer than a cell holds is cut with :data:`CUT_MARK`
    (and a warning). Returns the names of the sheets written.

    >>> import tempfile
    >>> book = Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> safe_to_excel(pd.DataFrame({"text": ["=1+2", "ok", "fine"]}), book, sheet_name="T", max_rows=3)
    ['T', 'T (2)']
    >>> pd.read_excel(book, sheet_name=None)["T (2)"]["text"].tolist()
    ['fine']
    """
    import logging

    import xlsxwriter

    log = logging.getLogger(__name__)
    per_sheet = max(1, int(max_rows) - 1)
    parts = max(1, -(-len(df) // per_sheet))
    names = _sheet_names(sheet_name, parts)
    if parts > 1:
        log.warning("%s: %s rows are more than one worksheet holds (%s with the header): written over %d sheets, "
                    "%s", Path(path).name, f"{len(df):,}", f"{max_rows:,}", parts, ", ".join(repr(n) for n in names))
    columns = [_excel_column(df.iloc[:, j]) for j in range(df.shape[1])]
    cut = 0
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False})
        bold = wb.add_format({"bold": True})
        when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        for k, name in enumerate(names):
            ws = wb.add_worksheet(name)
            ws.freeze_panes(1, 0)
            for j, c in enumerate(df.columns):
                ws.write_string(0, j, _fit(neutralise(clean_text(str(c))))[0], bold)
            lo, hi = k * per_sheet, min(len(df), (k + 1) * per_sheet)
            for r in range(lo, hi):
                row = r - lo + 1
                for j, values in enumerate(columns):
                    v = values[r]
                    if v is None:
                        continue
                    if isinstance(v, str):
                        v, was_cut = _fit(v)
                        cut += was_cut
                        ws.write_string(row, j, v)
                    elif isinstance(v, bool):
                        ws.write_boolean(row, j, v)
                    elif isinstance(v, (int, float)):
                        if v != v or v in (float("inf"), float("-inf")):
                            continue  # NaN or infinite: a blank cell, as missing values are
                        ws.write_number(row, j, v)
                    else:
                        ws.write_datetime(row, j, v, when)
        try:
            wb.close()
        except xlsxwriter.exceptions.FileCreateError as exc:
            err = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            raise output_error(err, path) from None
    if cut:
        log.warning("%s: %d text(s) longer than an Excel cell holds (%s characters) were cut there, marked; "
                    "the CSV output has them whole", Path(path).name, cut, f"{EXCEL_MAX_CHARS:,}")
    return names


def _fit(text: str) -> tuple[str, int]:
    if len(text) <= EXCEL_MAX_CHARS:
        return text, 0
    return text[:EXCEL_MAX_CHARS - len(CUT_MARK)] + CUT_MARK, 1


def _excel_column(s: pd.Series) -> list:
    """A column's cells as :func:`excel_value` gives them (numbers columns converted in one go)."""
    if pd.api.types.is_bool_dtype(s.dtype) and not s.isna().any():
        return [bool(v) for v in s.tolist()]
    if pd.api.types.is_integer_dtype(s.dtype) and not s.isna().any():
        return s.astype("int64").tolist()
    if pd.api.types.is_float_dtype(s.dtype) and s.dtype != object:
        return [None if v != v else v for v in s.astype("float64").tolist()]
    return [excel_value(v) for v in s.tolist()]
