"""Low-level file reading: the encodings, delimiters and workbook quirks of real exports.

- :func:`read_text_file`: text in UTF-8, UTF-8 with a BOM, UTF-16 or UTF-32 (with a BOM, or UTF-16
  without one), or Windows-1252 (Excel's legacy "CSV"). A file that is really a workbook, a Word
  document, a PDF or other binary data is refused with a message saying what it is.
- :func:`sniff_delimiter`: comma, tab (Excel's "Unicode text") or semicolon (Excel in a locale
  with a decimal comma), whatever the file is called.
- :func:`read_table`: a CSV/TSV/TXT export or an XLSX workbook as a :class:`Table` of text cells
  (never NaN: an empty cell is ``""`` and the text ``"nan"`` stays ``"nan"``), with each row's
  spreadsheet row number. A workbook with several sheets holding rows needs ``sheet=``.
- :func:`header_layout`: where the header is when an export does not start with it: title rows above it
  (a workbook's merged section titles such as "About you" over several columns, a "Survey export, March
  2027" line) and SurveyMonkey's second header row ("Response", "Open-Ended Response", the options of a
  tick-all question) or Qualtrics' import-id row (``{"ImportId":"QID4"}`` under each question, with or without
  its row of short names such as ``Q4`` above the question text) under it, which would otherwise be read as a
  respondent.

Every failure is an :class:`~pledge_analysis.errors.InputError` naming the file and, where it
applies, the line, the sheet and what to do; never a raw pandas, csv, zipfile or openpyxl error.

>>> import tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
>>> _ = open(p, "wb").write("\\ufeffid\\tsite\\n1\\tCaf\\u00e9\\n".encode("utf-16-le"))
>>> t = read_table(p)
>>> t.encoding, repr(t.delimiter), t.frame.to_dict("records"), t.rows
('utf-16-le', "'\\\\t'", [{'id': '1', 'site': 'Café'}], [2])
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import EmptyInputError, InputError, MissingFileError

#: Tried in order when there is no byte-order mark: UTF-8, then Windows-1252, which decodes
#: almost any byte (the five bytes it leaves undefined make a file undecodable).
ENCODINGS = ("utf-8", "cp1252")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
DELIMITERS = (",", "\t", ";")
_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_bytes(path: Path, what: str = "file", limit: int | None = None) -> bytes:
    if not path.exists():
        raise MissingFileError(f"{what} not found", path=path, hint="Check the path in project.yaml.")
    if path.is_dir():
        raise InputError(f"{what} is a folder, not a file", path=path, hint="Name a file in project.yaml.")
    try:
        if limit is None:
            return path.read_bytes()
        with open(path, "rb") as f:
            return f.read(limit)
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror or exc}", path=path,
                         hint="Check that the file is not open elsewhere and that you may read it.") from None


def binary_kind(data: bytes) -> str | None:
    """What a file is when it is not text: ``"xlsx"``, ``"docx"``, ``"zip"``, ``"ole"`` (an old .xls or .doc,
    or a password-protected Office file), ``"pdf"``, ``"rtf"``; None for anything else.

    >>> binary_kind(b"%PDF-1.7"), binary_kind(b"Ref,Site"), binary_kind(b"{\\\\rtf1\\\\ansi")
    ('pdf', None, 'rtf')
    """
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        return "zip"
    if data[:8] == _OLE:
        return "ole"
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:5] == b"{\\rtf":
        return "rtf"
    return None


_NOT_TEXT = {
    "xlsx": ("is an Excel workbook, not a text (CSV) file", "Rename it to .xlsx (and name it so in project.yaml), "
             "or save it from Excel as 'CSV UTF-8'."),
    "docx": ("is a Word document, not a text file", "Rename it to .docx (and name it so in project.yaml), "
             "or save it from Word as plain text (.txt)."),
    "zip": ("is a zip archive, not a text file", "Unpack it and name the files inside in project.yaml."),
    "ole": ("is an old Office file (Excel 97-2003 .xls or Word .doc) or a password-protected one, not text",
            "Open it and save it as 'CSV UTF-8' (.csv) or plain text (.txt), without a password."),
    "pdf": ("is a PDF, not a text file", "Export the text from the program that made it (CSV or .txt)."),
    "rtf": ("is a Rich Text (RTF) document, not plain text", "Open it in Word and save it as .docx or plain "
            "text (.txt)."),
}


#: what :func:`binary_kind` found, for messages
KIND_NAMES = {"xlsx": "an Excel workbook", "docx": "a Word document", "zip": "a zip archive",
              "ole": "an old Office file (.xls or .doc) or a password-protected one", "pdf": "a PDF",
              "rtf": "a Rich Text (RTF) document"}


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NUL bytes sit in every other place, as in UTF-16 text."""
    sample = data[:8192]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """``(text, encoding)`` of a file's bytes, newlines normalised to ``\\n``; see :func:`read_text_file`.

    >>> decode_bytes("caf\\u00e9".encode("utf-16-be"))  # UTF-16 without a byte-order mark
    ('café', 'utf-16-be')
    >>> decode_bytes(b"caf\\x81")
    Traceback (most recent call last):
    ...
    pledge_analysis.errors.InputError: PA111 cannot decode the file as text: byte 0x81 on line 1 is neither UTF-8 nor Windows-1252 (file '<bytes>'). Open it and save it as 'CSV UTF-8' (or UTF-8 text), or export it again.
    """
    kind = binary_kind(data)
    if kind:
        what, hint = _NOT_TEXT[kind]
        raise InputError(f"this file {what}", path=path, hint=hint, code="PA110")
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    body = data
    if encoding:
        body = data[len(next(b for b, e in _BOMS if e == encoding)):]
        encoding_read = "utf-8" if encoding == "utf-8-sig" else encoding
    else:
        encoding_read = encoding = _utf16_without_bom(data)
    if encoding:
        try:
            text = body.decode(encoding_read)
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot decode the file as {encoding}: bytes at offset {exc.start} are not valid",
                             path=path, hint="Export it again, as 'CSV UTF-8' or 'Unicode text'.", code="PA111") from None
    else:
        if b"\x00" in data:
            raise InputError("this file holds binary data (NUL bytes), not text", path=path,
                             hint="Export the survey or transcript again as CSV or plain text.", code="PA110")
        text = None
        for encoding in ENCODINGS:
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError as exc:
                failure = exc
        if text is None:
            line = data[:failure.start].count(b"\n") + 1
            raise InputError(f"cannot decode the file as text: byte 0x{data[failure.start]:02x} on line {line} is "
                             "neither UTF-8 nor Windows-1252", path=path,
                             hint="Open it and save it as 'CSV UTF-8' (or UTF-8 text), or export it again.", code="PA111")
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_text_file(path: str | Path) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a text file, newlines normalised to ``\\n``.

    Encodings: a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32); UTF-16 without one is
    recognised by its NUL bytes; otherwise UTF-8, then Windows-1252.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(p, "wb").write("caf\\u00e9 \\u00a312".encode("cp1252"))
    >>> read_text_file(p)
    ('café £12', 'cp1252')
    >>> _ = open(p, "wb").write("caf\\u00e9".encode("utf-16"))  # with a byte-order mark
    >>> read_text_file(p)[0]
    'café'
    """
    path = Path(path)
    return decode_bytes(_read_bytes(path), path)


# ------------------------------------------------------------------------------------------ tables
@dataclass
class Table:
    """One survey export read as text: ``frame`` has a column per header (a repeated header gets
    ``.1``, ``.2`` as in pandas) and only ``str`` cells; ``rows[i]`` is the spreadsheet row of
    ``frame`` row ``i`` (the header is row 1 unless blank rows come before it)."""

    frame: pd.DataFrame
    rows: list[int]
    header: list[str]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    #: sheets of the workbook that were not read (they hold no rows, or ``sheet=`` named another)
    other_sheets: list[str] = field(default_factory=list)
    #: rows above the header that were read as titles, not as the header or as answers (see :func:`header_layout`)
    title_rows: list[list[str]] = field(default_factory=list)
    #: the spreadsheet row of a second header row (SurveyMonkey's "Response" row) merged into the header, if any
    subheader_row: int | None = None
    _merged: object = field(default=None, repr=False)

    def repeated(self, column: str) -> int:
        """How many times a header appears in the file (2 or more: it is ambiguous)."""
        return self.header.count(column)

    def merged_range(self, row: int, column: str) -> str | None:
        """The merged range (e.g. ``"B3:B5"``) that hides the cell at ``row``, ``column``, if any."""
        if self._merged is None:
            return None
        if callable(self._merged):
            self._merged = self._merged()
        try:
            col = self.header.index(column) + 1
        except ValueError:
            return None
        return self._merged.get((row, col))


def _records(text: str, delimiter: str, path, *, limit: int | None = None):
    """``(first line, fields)`` of each CSV record, strictly parsed; errors become located InputErrors."""
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    while limit is None or limit > 0:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if limit is not None:  # sniffing: a partial sample may end inside a quote
                return
            if "end of data" in str(exc):
                raise InputError(f"line {start}: a quote (\") opens an answer that never closes, so the rest of "
                                 "the file would be read as one answer", path=path,
                                 hint="Close the quote (or double a quote inside an answer: \"\"), or export "
                                      "the file again.", code="PA110") from None
            raise InputError(f"line {start}: a quote (\") opens an answer that never closes properly (the text "
                             f"after it runs on to line {reader.line_num}: {exc})", path=path,
                             hint="Quote whole answers (\"...\") and double any quote inside them (\"\"), or "
                                  "export the file again.", code="PA110") from None
        yield start, fields
        start = reader.line_num + 1
        if limit is not None:
            limit -= 1


def sniff_delimiter(text: str) -> str:
    """The delimiter (comma, tab or semicolon) that splits the header and the first rows alike.

    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n"), sniff_delimiter("a\\tb, c\\n1\\t2\\n"), sniff_delimiter("a\\n1\\n")
    (';', '\\t', ',')
    """
    sample = text[:65536]
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        recs = [f for _, f in _records(sample, d, None, limit=50) if any(x.strip() for x in f)]
        if not recs or len(recs[0]) < 2:
            continue
        body = recs[1:-1] if len(recs) > 2 else recs[1:]  # the last one may be cut off by the sample
        width = len(recs[0])
        same = sum(1 for r in body if len(r) == width or (len(r) > width and not any(x.strip() for x in r[width:])))
        score = (same / len(body) if body else 1.0, width)
        if score > best_score:
            best, best_score = d, score
    return best


def _unique(header: list[str]) -> list[str]:
    """pandas' renaming of repeated headers: ``a, a`` -> ``a, a.1``; a blank header -> ``Unnamed: i``."""
    out, seen = [], {}
    for i, h in enumerate(header):
        h = h or f"Unnamed: {i}"
        if h in seen:
            seen[h] += 1
            h = f"{h}.{seen[h]}"
        seen.setdefault(h, 0)
        out.append(h)
    return out


def _blank(cells) -> bool:
    return not any(str(c).strip() for c in cells)


#: What SurveyMonkey writes in its second header row under a question with one answer.
_SUBHEADER_WORDS = frozenset({"response", "open-ended response"})
_NUMERIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
#: What Qualtrics writes in its import-id row: ``{"ImportId":"QID4"}``, ``{"ImportId":"startDate","timeZone":"Z"}``.
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:.*\}$', re.I)


def _import_ids(row) -> bool:
    """Every filled cell of ``row`` is a Qualtrics import id (and at least one is)."""
    cells = _filled(row)
    return bool(cells) and all(_IMPORT_ID.match(c) for c in cells)


def _filled(row) -> list[str]:
    return [str(c).strip() for c in row if str(c).strip()]


def header_layout(records: list[list[str]]) -> tuple[int, bool]:
    """``(h, sub)``: the header is ``records[h]`` and, when ``sub``, ``records[h + 1]`` is a second header row.

    A row is a title above the header when the row under it has at least twice as many cells filled, at least
    three, all different and none a number (a header's look): merged section titles ("About you" over five
    columns) or a one-line title. The row under the header is SurveyMonkey's second header row when it
    leaves the first column blank and says "Response" or "Open-Ended Response" somewhere, or Qualtrics'
    import-id row when every cell filled is an import id (``{"ImportId":"QID4"}``); when that row is two
    below the first, Qualtrics' row of short names (``Q4``) is above the question text, and is read as a title.

    >>> header_layout([["About you", "", "", "Your care", ""], ["ID", "Site", "Group", "Q1", "Q2"], ["1", "A", "p", "4", "5"]])
    (1, False)
    >>> header_layout([["Respondent ID", "Hospital", "Q1", ""], ["", "Response", "Yes", "No"], ["11", "A", "Yes", ""]])
    (0, True)
    >>> header_layout([["ID", "Site", "Comment"], ["1", "A", "Fine"]])
    (0, False)
    >>> header_layout([["ResponseId", "Q1"], ["Response ID", "Staff were kind"], ['{"ImportId":"_recordId"}',
    ...                '{"ImportId":"QID1"}'], ["R_1", "Agree"]])
    (1, True)
    """
    h = 0
    while h < min(3, len(records) - 2):
        below = _filled(records[h + 1])
        if (len(below) >= 3 and 2 * len(_filled(records[h])) <= len(below) and len(set(below)) == len(below)
                and not any(_NUMERIC.match(c) for c in below)):
            h += 1
        else:
            break
    if h + 2 < len(records) and _import_ids(records[h + 2]) and not _import_ids(records[h + 1]):
        h += 1  # Qualtrics: short names (Q4), question text, import ids; the question text is the header
    nxt = records[h + 1] if h + 1 < len(records) else []
    sub = bool(nxt) and (_import_ids(nxt) or (not str(nxt[0]).strip()
                                              and any(str(c).strip().lower() in _SUBHEADER_WORDS for c in nxt)))
    return h, sub


def merge_subheader(top: list[str], sub: list[str]) -> list[str]:
    """One header from SurveyMonkey's two: the question where the second row says "Response" (or nothing),
    else "question - option" (a tick-all question's options, "Other (please specify)"), the question
    carried over the blank cells after it.

    >>> merge_subheader(["ID", "Which hospital?", "Which apply?", "", "Comment"], ["", "Response", "Pain", "Fatigue", "Open-Ended Response"])
    ['ID', 'Which hospital?', 'Which apply? - Pain', 'Which apply? - Fatigue', 'Comment']
    """
    out, last = [], ""
    sub = list(sub) + [""] * (len(top) - len(sub))
    top = list(top) + [""] * (len(sub) - len(top))
    for t, s in zip(top, sub):
        t, s = str(t).strip(), str(s).strip()
        last = t or last
        if s.lower() in _SUBHEADER_WORDS or not s or _IMPORT_ID.match(s):
            out.append(t)
        else:
            out.append(f"{last} - {s}" if last else s)
    return out


def _frame(records: list[list[str]], header_row: int, path, *, extra_ok: bool, lines: list[int] | None = None,
           data_row: int | None = None):
    """Header + rows -> (frame, row numbers, raw header); trailing blank rows dropped. ``data_row``: the
    spreadsheet row of ``records[1]`` (default: the row after the header)."""
    data_row = header_row + 1 if data_row is None else data_row
    header = [h.strip() for h in records[0]]
    while header and not header[-1] and all(len(r) < len(header) or not str(r[len(header) - 1]).strip()
                                            for r in records[1:]):
        header.pop()  # trailing empty header cells with nothing under them
    width = len(header)
    body = records[1:]
    while body and _blank(body[-1]):
        body.pop()
    out, numbers = [], []
    for i, r in enumerate(body):
        r = list(r)
        if len(r) > width:
            if not _blank(r[width:]):
                if not extra_ok:
                    line = lines[i + 1] if lines else data_row + i
                    raise InputError(f"line {line} has {len(r)} values but the header has {width} columns", path=path,
                                     hint="An answer probably holds a delimiter without quotes around it. Quote that "
                                          "answer, or export the file again from the survey tool.", code="PA110")
                header += [""] * (len(r) - width)
                width = len(r)
            r = r[:width]
        out.append(r + [""] * (width - len(r)))
        numbers.append(data_row + i)
    if extra_ok:  # a workbook: every row as wide as the widest
        out = [r + [""] * (width - len(r)) for r in out]
    frame = pd.DataFrame(out, columns=_unique(header), dtype=object) if out else pd.DataFrame(columns=_unique(header))
    return frame, numbers, header


def read_delimited(path: str | Path, *, delimiter: str | None = None) -> Table:
    """A CSV, TSV or TXT export as a :class:`Table`; ``delimiter=None`` sniffs comma, tab or semicolon."""
    path = Path(path)
    text, encoding = read_text_file(path)
    if not text.strip():
        raise EmptyInputError("the file is empty", path=path, hint="Export the survey again.")
    delimiter = delimiter or sniff_delimiter(text)
    parsed = list(_records(text, delimiter, path))
    first = next((i for i, (_, f) in enumerate(parsed) if not _blank(f)), None)
    if first is None:
        raise EmptyInputError("the file holds no values", path=path, hint="Export the survey again.")
    lines = [ln for ln, _ in parsed[first:]]
    records = [f for _, f in parsed[first:]]
    h, sub = header_layout(records)
    titles, top = records[:h], records[h]
    header = merge_subheader(top, records[h + 1]) if sub else top
    skip = h + (2 if sub else 1)
    frame, numbers, header = _frame([header] + records[skip:], first + h + 1, path, extra_ok=False,
                                    lines=[lines[h]] + lines[skip:], data_row=first + skip + 1)
    return Table(frame, numbers, header, encoding=encoding, delimiter=delimiter, title_rows=titles,
                 subheader_row=first + h + 2 if sub else None)


def _cell(v) -> str:
    """A workbook cell as the text a user sees (a whole number without ``.0``, a date as ISO)."""
    import datetime as dt

    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v)


def _merged_cells(path: Path, member: str | None):
    """``{(row, col): "B3:B5"}`` for every merged cell but the top-left one, read from the sheet's XML."""
    from openpyxl.utils import range_boundaries

    out: dict = {}
    if not member:
        return out
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read(member.lstrip("/")).decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return out
    for ref in re.findall(r'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"', xml):
        c0, r0, c1, r1 = range_boundaries(ref)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = ref
    return out


def _check_workbook_bytes(path: Path) -> None:
    """Refuse, with what it really is, a file named .xlsx that is not a readable workbook."""
    head = _read_bytes(path, "workbook", limit=4096)
    corrupt_hint = "Copy or download it again, or open it in Excel and save it again."
    if head[:2] == b"PK":
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(f"cannot open the workbook: it is truncated or corrupt ({exc})", path=path,
                             hint=corrupt_hint, code="PA110") from None
        if not any(n.startswith("xl/") for n in names):
            what = "a Word document" if any(n.startswith("word/") for n in names) else "a zip archive"
            raise InputError(f"this file is not an Excel workbook: it is {what} with an .xlsx name", path=path,
                             hint="Name the real workbook in project.yaml, or give the file its own extension.", code="PA110")
        return
    kind = binary_kind(head)
    if kind == "ole":
        raise InputError("this file is not an .xlsx workbook: it is an old Excel 97-2003 (.xls) file or a "
                         "password-protected workbook", path=path,
                         hint="Open it in Excel and save it as 'Excel Workbook (.xlsx)' without a password, "
                              "or as 'CSV UTF-8'.", code="PA110")
    if kind:
        raise InputError(f"this file is not an Excel workbook: it is {KIND_NAMES[kind]}", path=path,
                         hint="Name the real workbook in project.yaml, or give the file its own extension.", code="PA110")
    if not head.strip():
        raise EmptyInputError("the workbook file is empty (0 bytes)", path=path, hint=corrupt_hint)
    try:
        decode_bytes(head, path)
    except InputError:
        raise InputError("this file is not an Excel workbook (it is neither a workbook nor text)", path=path,
                         hint="Export the survey again as .xlsx or CSV.", code="PA110") from None
    raise InputError("this file is a text (CSV) file with an .xlsx name, not an Excel workbook", path=path,
                     hint="Rename it to .csv (and name it so in project.yaml).", code="PA110")


def read_workbook(path: str | Path, *, sheet: str | None = None, formulas: bool = True) -> Table:
    """An XLSX workbook as a :class:`Table`.

    With ``sheet=None`` the workbook must have exactly one sheet that holds rows (empty and
    header-only sheets are ignored); with several, an :class:`InputError` lists them and asks for
    ``sheet:`` (its ``key`` attribute is ``"sheet"``), so rows on another sheet never vanish unseen.
    A formula cell of the sheet read that has no saved value is refused (PA115) unless ``formulas=False``
    (``init`` looking over every sheet to find the survey: the sheet it picks is then read with the check).
    """
    path = Path(path)
    _check_workbook_bytes(path)
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl and zipfile raise many kinds on a damaged file
        raise InputError(f"cannot open the workbook: it is truncated or corrupt ({type(exc).__name__}: {exc})",
                         path=path, hint="Copy or download it again, or open it in Excel and save it again.", code="PA110") from None
    try:
        names = [ws.title for ws in wb.worksheets]
        if sheet is not None and sheet not in names:
            err = InputError(f"the workbook has no sheet {sheet!r}; its sheets are "
                             + ", ".join(repr(n) for n in names), path=path,
                             hint="Fix `sheet:` of this survey in project.yaml.", code="PA113")
            err.key = "sheet"
            raise err
        sheets = {}
        for ws in wb.worksheets:
            if sheet is not None and ws.title != sheet:
                continue
            try:
                ws.reset_dimensions()
                cells = [[_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
            except Exception as exc:
                raise InputError(f"cannot read sheet {ws.title!r}: the workbook is truncated or corrupt "
                                 f"({type(exc).__name__}: {exc})", path=path,
                                 hint="Copy or download it again, or open it in Excel and save it again.", code="PA110") from None
            sheets[ws.title] = (cells, getattr(ws, "_worksheet_path", None), getattr(ws, "sheet_state", "visible"))
    finally:
        wb.close()

    def has_rows(cells) -> bool:
        first = next((i for i, r in enumerate(cells) if not _blank(r)), None)
        return first is not None and any(not _blank(r) for r in cells[first + 1:])

    if sheet is None:
        full = [n for n, (cells, _, _) in sheets.items() if has_rows(cells)]
        if len(full) > 1:
            listed = ", ".join(repr(n) + (f" ({state})" if state != "visible" else "")
                               for n, (_, _, state) in sheets.items() if n in full)
            err = InputError(f"the workbook has {len(full)} sheets with rows ({listed}); only one can be read as "
                             "this survey", path=path,
                             hint=f"Name the sheet to read with `sheet:` on this survey in project.yaml, e.g. "
                                  f"`sheet: {full[0]}`; put the rows of the other sheets in a file of their own, "
                                  "or move them onto that sheet.", code="PA113")
            err.key = "sheet"
            raise err
        if not full:
            headed = [n for n, (cells, _, _) in sheets.items() if not all(_blank(r) for r in cells)]
            if headed:
                raise EmptyInputError(f"the workbook has a header but no rows (sheet {headed[0]!r})", path=path,
                                      hint="Export the survey again with its answers.")
            raise EmptyInputError("the workbook is empty: no sheet holds any cells", path=path,
                                  hint="Export the survey again, or name the right file in project.yaml.")
        sheet = full[0]
    cells, member, _ = sheets[sheet]
    if all(_blank(r) for r in cells):
        raise EmptyInputError(f"sheet {sheet!r} of the workbook is empty", path=path,
                              hint="Name the sheet that holds the answers with `sheet:` in project.yaml.")
    first = next(i for i, r in enumerate(cells) if not _blank(r))
    records = cells[first:]
    h, sub = header_layout(records)
    header = merge_subheader(records[h], records[h + 1]) if sub else records[h]
    if member and formulas:  # a formula saved without its value (a script wrote the file) would be read as a blank answer
        from .xlsx_formulas import refuse_unsaved_formulas

        refuse_unsaved_formulas(path, [str(c or "") for c in header], member=member, sheet=sheet,
                                nothing="nothing was read from this file")
    skip = h + (2 if sub else 1)
    frame, numbers, header = _frame([header] + records[skip:], first + h + 1, path, extra_ok=True,
                                    data_row=first + skip + 1)
    others = [n for n in names if n != sheet]
    return Table(frame, numbers, header, sheet=sheet, other_sheets=others, title_rows=records[:h],
                 subheader_row=first + h + 2 if sub else None, _merged=lambda: _merged_cells(path, member))


def read_table(path: str | Path, *, sheet: str | None = None, formulas: bool = True) -> Table:
    """A survey export (``.csv``, ``.tsv``, ``.txt``, ``.xlsx``, ``.xlsm``) as a :class:`Table`.

    ``.tsv`` is tab-separated; ``.csv`` and ``.txt`` are sniffed (comma, tab or semicolon), so Excel's
    "Unicode text" (UTF-16, tabs) reads correctly whatever its name. ``sheet`` applies to workbooks.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = read_workbook(path, sheet=sheet, formulas=formulas)
    elif suffix in (".csv", ".txt", ".tsv"):
        table = read_delimited(path, delimiter="\t" if suffix == ".tsv" else None)
    elif suffix == ".xls":
        raise InputError("old Excel 97-2003 workbooks (.xls) cannot be read", path=path,
                         hint="Open it in Excel and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'.", code="PA110")
    else:
        raise InputError(f"unsupported survey file type {path.suffix!r}", path=path,
                         hint="Use CSV (.csv, .tsv, .txt) or Excel (.xlsx).")
    if table.frame.empty:
        raise EmptyInputError("the file has a header but no rows" + (f" (sheet {table.sheet!r})" if table.sheet else ""),
                              path=path, hint="Export the survey again with its answers.")
    return table
