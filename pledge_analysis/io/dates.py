"""One way of reading the dates users give us: survey completion dates, comment dates for ``code``, the
"By" of an action-plan goal, topic trends. Every reader of a user's date goes through here, so one
export is read the same way by every command.

Read (the grammar):

* ISO dates and datetimes, year first: ``2025-04-13``, ``2025/04/13``, ``2025-04-13 14:05``,
  ``2025-04-13T14:05:09.5``, with a zone ``Z``, ``+01:00``, ``+0100`` or ``+01``. **Zones**: a value
  with a zone is normalised to UTC and its date is then the calendar date in the UK
  (``Europe/London``, where these programmes run): ``2025-03-31T23:30:00Z`` is 1 April 2025 (00:30
  BST), and ``...T10:00+01:00`` and ``...T09:00Z`` are the same moment and the same day. A value
  without a zone is taken as UK local time already: its date is the one written.
* UK numeric dates, **day first**: ``13/04/2025``, ``13-04-25``, ``13.04.2025``, ``3/4/25``,
  optionally with a time (``13/04/2025 14:05``). ``03/04/2025`` is 3 April, never 4 March.
* Month names: ``13 April 2025``, ``13 Apr 2025``, ``13-Apr-25`` (Excel's ``dd-mmm-yy``),
  ``Tue 13 April 2025``, ``13th April 2025``, ``April 13, 2025``.
* Months, where a month is what is wanted (``want="month"``: a goal's "By", a comment's month):
  ``April 2025``, ``Apr 2025``, ``Apr-2025``, ``2025-04``, ``04/2025``. A month read where a day is
  wanted is refused ("a month, not a day"); in ``want="month"`` a whole date is read to its month.
* Two-digit years are 2000-2099: patients' feedback and goals are not from the 1900s
  (``31/12/69`` is 31 December 2069).
* A time of day after a date may be written with AM/PM and a named zone, as Google Forms writes its
  Timestamp: ``3/4/2025 2:05:07 PM GMT``, ``13/04/2025 11:30:00 PM GMT+1``, ``2025-04-13 23:30 UTC``.
  With a zone the moment is normalised to UTC and given its UK date, as the ISO zones above.
* Values that already are dates (``datetime``, ``date``, ``pandas.Timestamp``, a datetime64 column,
  which is what an Excel date cell becomes) are taken as they are (zones as above).

Missing, not an error: empty cells, ``NaN``/``None``/``NaT`` and the missing-value markers of
:data:`pledge_analysis.io.surveys.MISSING_MARKERS` (``n/a``, ``NA``, ``#N/A``, ``null`` ...) and ``-``.

Refused, with a reason that says what to write instead (:attr:`ParsedDate.problem`):

* month-first (US) dates, which only read month first (``04/13/2025``: there is no 13th month; we
  read dates day first). A numeric date whose both parts could be the month (``03/04/2025``) is read
  day first, as UK exports write it; :func:`pledge_analysis.io.detect` warns about a column of them.
  The one exception is a survey file written month first throughout (a US export, recognised by
  :func:`month_first_dates`): its dates are read with ``month_first=True``.
* ``Apr-25``, ``April 25``, ``04/25``: April 2025 or 25 April? Ambiguous, so refused.
* Excel serial day numbers (``45760``), in text or as numbers: a CSV saved from a sheet whose date
  column was not formatted as dates. They are refused unless the caller says that the column is
  numbers from Excel (``excel_serial=True``; no reader of a user's file does so today, because an
  Excel date cell reaches us as a date). Decided so because a column of numbers is far more often
  a count, a rating or an id than a date, and reading ``7`` as 6 January 1900 is a silent wrong result.
* impossible days (``31/02/2025``), and anything else (``last spring``), with the forms we read.

:func:`parse_date` reads one value (never raises), :func:`read_date` raises a located
:class:`~pledge_analysis.errors.InputError` (``PA112``), and :func:`parse_dates` reads a whole
column at pandas speed (the ``code`` command reads millions of rows): ISO dates go through one
``pandas.to_datetime`` call, ISO datetimes through a second, and only the other values through the
per-value grammar, once per distinct value.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

#: the forms that are read, as a hint in messages
DATE_HINT = ("dates are read as ISO (2025-04-13) or day first as in the UK (13/04/2025, 13-04-25, 13 April 2025)")
MONTH_HINT = "a month such as April 2025, Apr 2025 or 2025-04"
#: where a date with a zone is given its calendar date
LOCAL_ZONE = "Europe/London"
WANTS = ("day", "month")
#: the years a date may have (a 4-digit year outside them is refused as a typing slip)
YEARS = (1900, 2199)
#: reasons a value is refused, as :attr:`ParsedDate.kind`
KINDS = ("month_first", "day_first", "ambiguous", "excel_serial", "no_such_day", "month_not_day", "unknown")

_EXCEL_EPOCH = date(1899, 12, 30)
_MONTHS = {m: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for m in names}
_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_TIME = r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)"
_ZONE = r"(Z|[+-]\d{2}(?::?\d{2})?)"
_ISO = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}})(?:{_TIME}\s*{_ZONE}?)?$", re.I)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_NUMERIC = re.compile(rf"^(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})(?:{_TIME})?$", re.I)
_NUM_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_NUM_SHORT = re.compile(r"^(\d{1,2})[/.-](\d{2})$")
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY_NAME = re.compile(rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[\s/-]+([a-z]+)\.?,?[\s/-]+(\d{{4}}|\d{{2}})(?:{_TIME})?$",
                       re.I)
_NAME_DAY = re.compile(rf"^{_WEEKDAY}([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,\s*(\d{{4}})$", re.I)
_NAME_MONTH = re.compile(r"^([a-z]+)\.?[\s/-]+(\d{4})$", re.I)
_NAME_SHORT = re.compile(r"^([a-z]+)\.?[\s/-]+(\d{1,2})$", re.I)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
#: from this length on, a value is first tried as an ISO datetime, as pandas' ISO 8601 reader reads it (zones
#: included), by parse_date and parse_dates alike; a date alone (2025-04-13) is at most 10 characters, with a
#: time (2025-04-13T14:05) at least 16. Shorter ISO datetimes (2025-4-1T9:05) are read by the regex below.
_LONG = 16
#: a date followed by a 12-hour time and/or a named zone, as Google Forms writes its Timestamp
#: (``3/4/2025 2:05:07 PM GMT``, ``13/04/2025 23:30:00 GMT+1``): the date part is read by the rest of the grammar
_CLOCK = re.compile(r"^(.*?\d)[T ,]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
                    r"(?:([ap])\.?m\.?)?\s*(?:(?:GMT|UTC)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?)?$", re.I)
_NAMED_ZONE = re.compile(r"(?:GMT|UTC)\s*(?:[+-]\d{1,2}(?::?\d{2})?)?$", re.I)
_ZONE_END = re.compile(r"(?:[Zz]|\d[+-]\d{2}(?::?\d{2})?|[+-]\d{2}:?\d{2})$")


class ParsedDate(NamedTuple):
    """One value read: ``date`` (None when missing or refused), ``precision`` (``"day"``, ``"month"``
    (the date is then the 1st) or None), and, when refused, ``problem`` (a sentence naming the
    value, why, and what to write) and ``kind`` (one of :data:`KINDS`)."""

    date: date | None
    precision: str | None = None
    problem: str = ""
    kind: str = ""

    @property
    def missing(self) -> bool:
        """True for an empty cell or a missing-value marker (not an error)."""
        return self.date is None and not self.problem


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if len(text) == 2 else y


def _month(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


def _refuse(kind: str, problem: str) -> ParsedDate:
    return ParsedDate(None, None, problem, kind)


def _day(text: str, y: int, m: int, d: int) -> ParsedDate:
    if not YEARS[0] <= y <= YEARS[1]:
        return _refuse("unknown", f"{text!r} is not a plausible date: year {y} is not in {YEARS[0]}-{YEARS[1]}")
    try:
        return ParsedDate(date(y, m, d), "day")
    except ValueError:
        return _refuse("no_such_day", f"{text!r} is not a real day (there is no day {d} in month {m} of {y})")


@lru_cache(maxsize=1)
def _missing_markers() -> frozenset:
    from .surveys import MISSING_MARKERS  # here, not at the top: io.surveys imports this module

    return MISSING_MARKERS | {"", "-", "--"}


def _local(ts: pd.Timestamp) -> date:
    """The calendar date of a timestamp: as written when naive, in the UK when it has a zone."""
    if ts.tzinfo is not None:
        ts = ts.tz_convert(LOCAL_ZONE)
    return ts.date()


def _uk_day(d: date, h: int, mi: int, sec: int, offset_minutes: int) -> ParsedDate:
    """The UK calendar date of the moment ``d h:mi:sec`` written at ``offset_minutes`` east of UTC."""
    utc = datetime(d.year, d.month, d.day, h, mi, sec) - timedelta(minutes=offset_minutes)
    return ParsedDate(_local(pd.Timestamp(utc, tz="UTC")), "day")


@lru_cache(maxsize=65536)
def _parse_text(text: str, want: str, excel_serial: bool, month_first: bool = False) -> ParsedDate:
    text = text.strip()
    if text.lower() in _missing_markers():
        return ParsedDate(None)
    m = _CLOCK.match(text)
    if m and (m.group(5) or _NAMED_ZONE.search(text)):
        return _clock(text, m, want, excel_serial, month_first)
    if len(text) >= _LONG:  # perhaps an ISO datetime: read as pandas' ISO 8601 reader reads it
        try:
            ts = pd.to_datetime(text, format="ISO8601", utc=True)
        except (ValueError, OverflowError):
            ts = pd.NaT
        if ts is not pd.NaT and YEARS[0] <= ts.year <= YEARS[1]:
            return ParsedDate((ts.tz_convert(LOCAL_ZONE) if _zoned(text) else ts).date(), "day")
    m = _ISO.match(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
        got = _day(text, y, mo, d)
        if got.date is None or m.group(5) is None:
            return got
        h, mi, sec = int(m.group(5)), int(m.group(6)), int(m.group(7) or 0)
        if h > 23 or mi > 59 or sec > 59:
            return _refuse("unknown", f"{text!r} has a time that is not a time of day ({DATE_HINT})")
        zone = m.group(8)
        if not zone:  # no zone: UK local time already, its date is the one written
            return got
        offset = 0
        if zone.upper() != "Z":
            digits = zone[1:].replace(":", "")
            offset = (int(digits[:2]) * 60 + int(digits[2:] or 0)) * (1 if zone[0] == "+" else -1)
        return _uk_day(got.date, h, mi, sec, offset)  # normalise to UTC, then the UK date
    m = _NUMERIC.match(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        if month_first:  # the whole file is written month first (a US export: month_first_dates)
            if a > 12 and 1 <= b <= 12:
                return _refuse("day_first", f"{text!r} reads only day first, but this file's other dates are month "
                               f"first (US): write {y}-{b:02d}-{a:02d}")
            return _day(text, y, a, b)
        if b > 12 and 1 <= a <= 12:
            return _refuse("month_first", f"{text!r} reads only month first (US style: month {a}, day {b}); dates "
                           f"are read day first, as in the UK: write {b:02d}/{a:02d}/{y} or {y}-{a:02d}-{b:02d}")
        return _day(text, y, b, a)
    m = _DAY_NAME.match(text)
    if m and _month(m.group(2)):
        return _day(text, _year(m.group(3)), _month(m.group(2)), int(m.group(1)))
    m = _NAME_DAY.match(text)
    if m and _month(m.group(1)):
        return _day(text, int(m.group(3)), _month(m.group(1)), int(m.group(2)))
    month = None
    m = _ISO_MONTH.match(text) or _NUM_MONTH.match(text)
    if m:
        y, mo = (int(m.group(1)), int(m.group(2))) if len(m.group(1)) == 4 else (int(m.group(2)), int(m.group(1)))
        month = (y, mo) if 1 <= mo <= 12 else None
    m = _NAME_MONTH.match(text)
    if m and _month(m.group(1)):
        month = (int(m.group(2)), _month(m.group(1)))
    if month and not YEARS[0] <= month[0] <= YEARS[1]:
        return _refuse("unknown", f"{text!r} is not a plausible month: year {month[0]} is not in {YEARS[0]}-{YEARS[1]}")
    if month:
        if want == "day":
            return _refuse("month_not_day", f"{text!r} is a month, not a day: write the day, e.g. "
                           f"01/{month[1]:02d}/{month[0]} or {month[0]}-{month[1]:02d}-01")
        return ParsedDate(date(month[0], month[1], 1), "month")
    m = _NAME_SHORT.match(text)
    if m and _month(m.group(1)):
        name, n = _NAMES[_month(m.group(1)) - 1], int(m.group(2))
        return _refuse("ambiguous", f"{text!r} is ambiguous ({name} 20{n:02d} or {n} {name}?): write "
                       f"{name} 20{n:02d}, or the whole date such as {n} {name} 2025")
    m = _NUM_SHORT.match(text)
    if m and 1 <= int(m.group(1)) <= 12:
        a, n = int(m.group(1)), int(m.group(2))
        return _refuse("ambiguous", f"{text!r} is ambiguous (month {a} of 20{n:02d}, or a day and month with no "
                       f"year?): write {a:02d}/20{n:02d} for a month or the whole date, e.g. 2025-04-13")
    if _NUMBER.match(text):
        return _serial(text, float(text), excel_serial)
    return _refuse("unknown", f"{text!r} is not a date ({DATE_HINT}"
                   + (f", or {MONTH_HINT})" if want == "month" else ")"))


def _clock(text: str, m: re.Match, want: str, excel_serial: bool, month_first: bool) -> ParsedDate:
    """A date with a 12-hour time (``2:05:07 PM``) and/or a named zone (``GMT``, ``GMT+1``, ``UTC-05:00``),
    as Google Forms writes them: the date part read by the grammar, the time checked, and with a zone the
    moment normalised to UTC and given its UK calendar date (as the ISO zones above)."""
    got = _parse_text(m.group(1), want, excel_serial, month_first)
    if got.date is None or got.precision != "day":
        if got.problem:
            return got._replace(problem=got.problem.replace(repr(m.group(1)), repr(text), 1))
        return _refuse("unknown", f"{text!r} is not a date ({DATE_HINT})")
    h, mi, sec = int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
    half = (m.group(5) or "").lower()
    if (half and not 1 <= h <= 12) or h > 23 or mi > 59 or sec > 59:
        return _refuse("unknown", f"{text!r} has a time that is not a time of day ({DATE_HINT})")
    if half:
        h = h % 12 + (12 if half == "p" else 0)
    if not _NAMED_ZONE.search(text):  # no zone: UK local time already, its date is the one written
        return got
    offset = 0
    if m.group(6):
        oh, om = int(m.group(7)), int(m.group(8) or 0)
        if oh > 14 or om > 59:
            return _refuse("unknown", f"{text!r} has a zone that is not a time zone ({DATE_HINT})")
        offset = (oh * 60 + om) * (1 if m.group(6) == "+" else -1)
    return _uk_day(got.date, h, mi, sec, offset)


def _serial(text: str, number: float, excel_serial: bool) -> ParsedDate:
    if not np.isfinite(number) or not 1 <= number < 2958466:
        return _refuse("unknown", f"{text!r} is a number, not a date ({DATE_HINT})")
    as_excel = _EXCEL_EPOCH + timedelta(days=int(number))
    if excel_serial:
        return ParsedDate(as_excel, "day")
    return _refuse("excel_serial", f"{text!r} is a number, not a date (as an Excel serial day number it would be "
                   f"{as_excel.isoformat()}): format the column as dates in the spreadsheet and export it again")


def parse_date(value, *, want: str = "day", excel_serial: bool = False, month_first: bool = False) -> ParsedDate:
    """Read one value with the grammar of this module; never raises.

    ``want="day"`` (a completion date) refuses a bare month; ``want="month"`` (a goal's "By", a
    comment's month) reads it, with ``precision="month"`` and the 1st of that month as ``date``.
    ``month_first=True`` reads numeric dates month first: only for a file known to be written so (a US
    export, which :func:`month_first_dates` recognises from two or more dates
    possible only month first and none only day first); a date possible only day first is then refused.

    >>> parse_date("13/04/25").date, parse_date("31/12/69").date, parse_date("April 2026", want="month")
    (datetime.date(2025, 4, 13), datetime.date(2069, 12, 31), ParsedDate(date=datetime.date(2026, 4, 1), \
precision='month', problem='', kind=''))
    >>> parse_date("2025-03-31T23:30:00Z").date  # UTC, then the UK calendar date (BST)
    datetime.date(2025, 4, 1)
    >>> parse_date("04/13/2025").kind, parse_date("Apr-25").kind, parse_date("45760").kind, parse_date("n/a")
    ('month_first', 'ambiguous', 'excel_serial', ParsedDate(date=None, precision=None, problem='', kind=''))
    """
    if want not in WANTS:
        raise ValueError(f"want must be one of {WANTS}, not {want!r}")
    if value is None:
        return ParsedDate(None)
    if isinstance(value, str):
        return _parse_text(value, want, bool(excel_serial), bool(month_first))
    if isinstance(value, datetime):  # pd.Timestamp too
        if value is pd.NaT:
            return ParsedDate(None)
        return ParsedDate(_local(pd.Timestamp(value)), "day")
    if isinstance(value, date):
        return ParsedDate(value, "day")
    if isinstance(value, np.datetime64):
        return ParsedDate(None) if np.isnat(value) else ParsedDate(pd.Timestamp(value).date(), "day")
    if isinstance(value, (bool, np.bool_)):
        return _refuse("unknown", f"{value!r} is not a date ({DATE_HINT})")
    if isinstance(value, (int, float, np.integer, np.floating)):
        if pd.isna(value):
            return ParsedDate(None)
        return _serial(repr(value) if isinstance(value, float) and not float(value).is_integer() else str(int(value)),
                       float(value), bool(excel_serial))
    try:
        if pd.isna(value):
            return ParsedDate(None)
    except (TypeError, ValueError):
        pass
    return _parse_text(str(value), want, bool(excel_serial), bool(month_first))


_ISO_START = re.compile(r"\d{4}-")
#: the date of a numeric date with a time after it (``1/13/2025`` of ``1/13/2025 14:00:05``)
#: digits as 0: the shape of a time (``14:00:05`` -> ``00:00:00``)
_ZEROS = str.maketrans("123456789", "000000000")
_NUMERIC_DATE = re.compile(r"\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?=$|[T ,])")


def month_first_dates(values) -> bool:
    """Whether a file's dates are written month first (US, e.g. a Google Forms or Microsoft Forms export in a
    US locale): at least two are real dates only month first (``1/13/2025``) and none only day first
    (``13/1/2025``). Then every date of the column is read month first: read day first, ``1/5/2025`` would
    silently be 1 May. One such date alone is a typo as likely as a US export: it is set aside, as before.

    >>> month_first_dates(["1/13/2025 14:00:05", "1/5/2025 09:12:00", "2/14/2025"]), month_first_dates(["04/13/2025"])
    (True, False)
    >>> month_first_dates(["13/01/2025", "05/01/2025", "1/13/2025", "1/14/2025"])
    False
    """
    day = month = 0
    # each distinct date once, weighted by how often it occurs: a numeric date by its date part and the
    # shape of what follows it (digits as 0: a Forms export's timestamps are all different, their dates and
    # time shapes are not; the time's digits do not say which order the date is in, but its shape decides
    # whether the reader reads the value at all, as "1/13/2025, 10:00" it does not), parsed once as the
    # first value of that key; ISO values read the same either way and are not parsed at all
    dates, first = {}, {}
    for v in values:
        v = str(v).strip()
        m = _NUMERIC_DATE.match(v)
        key = v[:m.end()] + v[m.end():].translate(_ZEROS) if m else v
        k = dates.get(key)
        if k is None:
            dates[key], first[key] = 1, v
        else:
            dates[key] = k + 1
    for key, k in dates.items():
        v = first[key]
        if not v or _ISO_START.match(v):
            continue
        a, b = parse_date(v).date is not None, parse_date(v, month_first=True).date is not None
        day += k * (a and not b)
        month += k * (b and not a)
    return month >= 2 and not day


def read_date(value, *, want: str = "day", excel_serial: bool = False, path=None, row=None, column=None) -> date | None:
    """The date of ``value`` (None when missing); a refused value raises :class:`~pledge_analysis.errors.InputError`
    ``PA112`` naming the file, row and column given, the value and what to write instead.

    >>> read_date("13.04.2025")
    datetime.date(2025, 4, 13)
    >>> read_date("04/13/2025", path="plan.xlsx", row=3, column="By")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pledge_analysis.errors.InputError: PA112 '04/13/2025' reads only month first ... (file 'plan.xlsx', row 3, column 'By')...
    """
    got = parse_date(value, want=want, excel_serial=excel_serial)
    if got.problem:
        from ..errors import InputError

        raise InputError(got.problem, path=path, row=row, column=column, code="PA112",
                         hint="Correct the value, or leave the cell empty if the date is not known.")
    return got.date


def _zoned(text: str) -> bool:
    """Whether an ISO datetime ends in a zone: ``Z``, ``+01:00``, ``-0500``, ``+01``."""
    return bool(_ZONE_END.search(text.rstrip()[-6:]))


def _plausible(d: np.ndarray) -> np.ndarray:
    lo, hi = np.datetime64(f"{YEARS[0]}-01-01", "ns"), np.datetime64(f"{YEARS[1] + 1}-01-01", "ns")
    return ~np.isnat(d) & (d >= lo) & (d < hi)


def _iso_datetimes(t: pd.Series) -> np.ndarray:
    """ISO datetimes to calendar dates (as :func:`parse_date`): UK dates of zoned values, wall dates of the rest."""
    if t.empty:
        return np.array([], dtype="datetime64[ns]")
    sample = {_ZONE_END.search(v.rstrip()[-6:]).group(0) if _zoned(v) else "" for v in t.iloc[:500]}
    if len(sample) == 1:
        try:  # one zone (or none) throughout, as far as the sample shows: one call, no per-value look at the zone
            p = pd.to_datetime(t, format="ISO8601", errors="coerce")
            if p.dt.tz is not None:
                p = p.dt.tz_convert(LOCAL_ZONE).dt.tz_localize(None)
            return p.dt.normalize().to_numpy(dtype="datetime64[ns]")
        except (ValueError, TypeError):
            pass
    # mixed zones, or zoned and unzoned together: UTC, then UK dates where zoned
    utc = pd.to_datetime(t, format="ISO8601", utc=True, errors="coerce")
    ends, tails = pd.factorize(np.array([v[-6:] for v in t.to_numpy(dtype=object)], dtype=object))  # few distinct
    zoned = np.array([bool(_ZONE_END.search(e)) for e in tails] + [False])[ends]
    spaced = np.array([e[-1:].isspace() for e in tails] + [False])[ends]
    if spaced.any():  # trailing blanks (pandas reads them): look at those values whole
        zoned[spaced] = [_zoned(v) for v in t.to_numpy(dtype=object)[spaced]]
    wall = utc.dt.tz_localize(None).dt.normalize().to_numpy(dtype="datetime64[ns]")
    uk = utc.dt.tz_convert(LOCAL_ZONE).dt.tz_localize(None).dt.normalize().to_numpy(dtype="datetime64[ns]")
    return np.where(zoned, uk, wall)


def parse_dates(values, *, want: str = "day", excel_serial: bool = False, month_first: bool = False) -> pd.DataFrame:
    """A column of values read with the grammar of this module, vectorised: a DataFrame with the
    index of ``values`` (a Series; a list gets 0..n-1) and the columns

    * ``date`` (``datetime64``, midnight; ``NaT`` when missing or refused; a month is its 1st),
    * ``problem`` (``""`` when read or missing, else the reason, as :attr:`ParsedDate.problem`).

    Row for row the same as :func:`parse_date` (tests/test_dates.py checks it). ISO dates are read by
    one ``pandas.to_datetime`` call, ISO datetimes by a second (zones to UTC, then UK dates); every
    other value by the per-value grammar once per distinct value.
    """
    if want not in WANTS:
        raise ValueError(f"want must be one of {WANTS}, not {want!r}")
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    n = len(s)
    problem = np.full(n, "", dtype=object)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        t = s
        if getattr(s.dt, "tz", None) is not None:
            t = s.dt.tz_convert(LOCAL_ZONE).dt.tz_localize(None)
        return pd.DataFrame({"date": t.dt.normalize().to_numpy(),
                             "problem": pd.Series(problem, index=s.index, dtype=object)}, index=s.index)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    arr = s.to_numpy(dtype=object)
    rest = np.ones(n, dtype=bool)
    if n and pd.api.types.infer_dtype(arr, skipna=True) == "string":
        sample = [v for v in arr[:500] if isinstance(v, str)]
        if sum(len(v) == 10 and v[4:5] == "-" for v in sample) >= 0.5 * len(sample):  # mostly ISO dates
            fast = pd.to_datetime(pd.Series(arr, dtype=object), format="%Y-%m-%d", errors="coerce").to_numpy(
                dtype="datetime64[ns]")
            ok = _plausible(fast)
            out[ok] = fast[ok]
            rest = ~ok
        if rest.any() and sum(len(v) >= _LONG and v[:4].isdigit() for v in sample) >= 0.5 * len(sample):
            where = np.flatnonzero(rest)
            r = pd.Series(arr[where], dtype=object)
            timed = np.fromiter((isinstance(v, str) and len(v) >= _LONG for v in arr[where]), dtype=bool,
                                count=len(where))
            got = _iso_datetimes(r[timed])
            good = _plausible(got)
            where = where[np.flatnonzero(timed)[good]]
            out[where] = got[good]
            rest[where] = False
    idx = np.flatnonzero(rest)
    if len(idx):
        codes, uniques = pd.factorize(pd.Series(arr[idx], dtype=object), use_na_sentinel=True)
        parsed = [parse_date(u, want=want, excel_serial=excel_serial, month_first=month_first) for u in uniques]
        u_date = np.array([np.datetime64(p.date, "ns") if p.date is not None else np.datetime64("NaT")
                           for p in parsed] + [np.datetime64("NaT")], dtype="datetime64[ns]")
        u_prob = np.array([p.problem for p in parsed] + [""], dtype=object)
        out[idx] = u_date[codes]  # codes == -1 (missing) picks the trailing NaT / ""
        problem[idx] = u_prob[codes]
    return pd.DataFrame({"date": out, "problem": pd.Series(problem, index=s.index, dtype=object)}, index=s.index)


def months(values, *, month_first: bool = False) -> tuple[list, list[str]]:
    """``YYYY-MM`` of each value (``None`` when missing or refused) and the reason of each refused one
    (``""`` otherwise), with ``want="month"`` (a month is a month). ``month_first``: the values come from a
    file written month first (:func:`month_first_dates` on its whole date column).

    >>> months(["13/04/2025", "April 2025", "", "04/13/2025"])[0]
    ['2025-04', '2025-04', None, None]
    >>> months(["04/13/2025", "03/04/2025"], month_first=True)[0]
    ['2025-04', '2025-03']
    """
    read = parse_dates(values, want="month", month_first=month_first)
    d = read["date"].to_numpy()
    ym = np.where(np.isnat(d), -1, d.astype("datetime64[M]").astype("int64"))
    codes, uniques = pd.factorize(ym)
    names = np.array([None if u < 0 else f"{1970 + u // 12:04d}-{u % 12 + 1:02d}" for u in uniques], dtype=object)
    return names[codes].tolist(), read["problem"].tolist()
