"""Phone numbers: found by shape, checked against real numbering plans (``phonenumbers``, Google's libphonenumber).

:func:`phone_spans` returns ``(start, end, score)`` for every phone number in a text:

1. ``phonenumbers.PhoneNumberMatcher`` with leniency ``POSSIBLE`` and the UK as the default region:
   national UK forms (``07700 900461``, ``(01632) 960-555``), any country written with ``+`` or ``00``
   (``+41 (0)85 806 98 67``, ``0044 7700 900461``) and, because the check is on length only,
   foreign national forms too (``780-999-2181``, ``(64) 3591-3246``). A number the plan calls
   *valid* scores :data:`SCORE_VALID`, a merely *possible* one :data:`SCORE_POSSIBLE`.
2. A safety net: any remaining run of 9 to 15 digits in phone-like groups (spaces, dashes, dots,
   brackets, and slashes after ``+`` or ``00``: ``+61 412/731 278``) is still a phone number
   (:data:`SCORE_SHAPE`), so no phone-like digit run stays in place.

Not phone numbers: fewer than 7 digits, year ranges (``2019-2021``), times, money, doses, scores
(``7/10``, ``12/03/2024``): the matcher never sees ``:``, ``£``, ``,`` or ``/`` as part of a number (a
slash only inside a number that starts with ``+`` or ``00``).

>>> [(s, e) for s, e, _ in phone_spans("They're not answering at 780-999-2181")]
[(25, 37)]
>>> phone_spans("From 2019-2021 I had 3-4 scans at 10:45")
[]
"""
from __future__ import annotations

import re

#: Scores (confidence) of the three kinds of phone span.
SCORE_VALID, SCORE_POSSIBLE, SCORE_SHAPE = 0.95, 0.8, 0.5
MIN_DIGITS = 7
#: Cheap prefilter: seven or more digits with at most short separators between them.
_PREFILTER = re.compile(r"\d(?:[ \t().\-/]{0,3}\d){6,}")
#: The safety net's shape: an optional + / 00 prefix, then digits in groups.
_SHAPE = re.compile(r"(?<![\w+])(?:\+\s?)?\(?\d[\d \t().\-]{7,22}\d(?![\w])")
#: An international number written with a slash between groups ("+61 412/731 278", "+49 30/1234567").
_SLASHED = re.compile(r"(?<![\w+])(?:\+|00)\s?\d[\d \t().\-/]{6,22}\d(?![\w/])")
_YEARS = re.compile(r"^(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d$")


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def phone_spans(text: str) -> list[tuple[int, int, float]]:
    """``(start, end, score)`` of the phone numbers in ``text`` (end exclusive), in text order."""
    if not text or not _PREFILTER.search(text):
        return []
    import phonenumbers

    out: list[tuple[int, int, float]] = []
    for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        raw = m.raw_string
        if _digits(raw) < MIN_DIGITS or _YEARS.match(raw):
            continue
        out.append((m.start, m.end, SCORE_VALID if phonenumbers.is_valid_number(m.number) else SCORE_POSSIBLE))
    for m in _SLASHED.finditer(text):
        s, e = m.span()
        if "/" in m.group(0) and 9 <= _digits(m.group(0)) <= 15 and not any(a < e and s < b for a, b, _ in out):
            out.append((s, e, SCORE_SHAPE))
    for m in _SHAPE.finditer(text):
        raw = m.group(0).rstrip(" \t-.(")
        s, e = m.start(), m.start() + len(raw)
        if raw.count("(") != raw.count(")") and raw.startswith("("):
            s, raw = s + 1, raw[1:]
        if not 9 <= _digits(raw) <= 15 or any(a < e and s < b for a, b, _ in out):
            continue
        out.append((s, e, SCORE_SHAPE))
    return sorted(_whole(text, s, e, sc) for s, e, sc in out)


#: What may stand just before a found number and still belong to it: the RFC 3966 "tel:", a country code before a
#: number written with its trunk "(0)" ("+258 (0)82 164 3098"), an area code of 3-5 digits starting with 0 before a
#: subscriber number of fewer than 9 digits
#: ("01512 3657344").
_TEL_BEFORE = re.compile(r"(?i:tel:)$")
_CODE_BEFORE = re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}[ \t-]?$")
_AREA_BEFORE = re.compile(r"(?<![\w+(])0\d{2,4} $")


def _whole(text: str, s: int, e: int, sc: float) -> tuple[int, int, float]:
    """The whole number as written around a found span ``text[s:e]``: no unbalanced bracket at either edge
    ("(07537518819)" -> "07537518819"), with the pieces before it that belong to it (:data:`_CODE_BEFORE` ...)."""
    raw = text[s:e]
    if raw.startswith("(") and raw.count("(") > raw.count(")"):
        s += 1
    if raw.endswith(")") and raw.count(")") > raw.count("("):
        e -= 1
    if text.startswith("(0)", s):
        m = _CODE_BEFORE.search(text, 0, s)
        if m:
            s = m.start()
    elif text[s].isdigit() and text[s] != "0" and _digits(text[s:e]) < 9:  # a subscriber number alone
        m = _AREA_BEFORE.search(text, max(0, s - 6), s)
        if m and 9 <= _digits(text[m.start():e]) <= 15:
            s = m.start()
    m = _TEL_BEFORE.search(text, max(0, s - 4), s)
    if m:
        s = m.start()
    return s, e, sc
