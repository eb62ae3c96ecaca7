"""Reading focus-group and interview transcripts (.txt, .docx, WebVTT .vtt, SubRip .srt) into segments.

Each speaker turn becomes one segment. A turn is a line ``Speaker: text`` where the speaker
is a label such as ``Facilitator``, ``Interviewer``, ``P1``, ``Participant 3`` or a first name,
optionally with a note in brackets (``Jane (patient): ...``); ``[P1] text`` and a role label with a
dash (``Patient A - text``, ``MODERATOR – text``, ``P2 - text``) are turns too, and a clock before the
label (``[00:01:23] P1: text``) is skipped. Facilitator turns (a facilitator word in the label, e.g.
``Moderator`` or ``Sue (facilitator)``) get ``role="facilitator"`` and are not coded; everyone else
``role="participant"``.
An unlabelled line right after a turn continues that turn (wrapped text), except one that reads
like another speaker's turn (``Linda - I think ...``) after a facilitator's turn: that is an error,
since joining it would hide a participant's words in a turn that is not coded. Up to
:data:`MAX_PREAMBLE` lines before the first turn (a title, a date) are set aside with the reason
:data:`PREAMBLE` (a Word document's first paragraph, its title, is skipped); more is an error. With ``strict=True`` any unlabelled line is an error.
A Word document's paragraphs and table rows are read in order (a table row ``Speaker | text``
is a turn).

Captions (WebVTT, and SubRip, whose timestamps use a comma: ``00:00:12,200``) give the speaker
as ``<v Name>`` or ``Name:`` and the cue start as ``timestamp`` (always ``HH:MM:SS.mmm``). A cue
with two voices gives two turns. Every cue is kept or set aside with its line and the reason:
a malformed timing line, text with no timing line, a cue without a speaker. ``NOTE``, ``STYLE``
and ``REGION`` blocks are not cues. A ``.txt`` file that holds WebVTT or SubRip is read as such.

``sources[0]`` counts ``rows_read`` (turns and unreadable cues), ``rows_kept`` (segments) and
``rows_set_aside``; ``rows_read == rows_kept + rows_set_aside``.
"""
from __future__ import annotations

import html
import re
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd

from .. import schema
from ..errors import EmptyInputError, InputError, MissingFileError, TranscriptFormatError
from .files import _read_bytes, binary_kind, decode_bytes, read_text_file
from .surveys import Ingested, segment_id

#: The set-aside reason of a turn with a speaker label and no text (its ``value`` is the label); the speaker
#: pseudonyms (:mod:`pledge_analysis.text.speakers`) find these rows by it.
EMPTY_TURN = "speaker turn with no text"
FACILITATOR_LABELS = frozenset({"facilitator", "interviewer", "moderator", "researcher", "chair", "host"})
_LABEL = r"(?:[A-Z][A-Za-z'.-]*)(?: [A-Z0-9][A-Za-z0-9'.-]*){0,2}|P\d+"
_NOTE = r"(?:\s*\([^()\n]{1,40}\))?"  # "Jane (patient)", "Patient C (carer)"
SPEAKER = re.compile(rf"^\s*(?P<speaker>(?:{_LABEL}){_NOTE})\s*:\s*(?P<text>.*)$")
#: ``[P1] text`` / ``[Facilitator]: text``
BRACKET_SPEAKER = re.compile(rf"^\s*\[(?P<speaker>(?:{_LABEL}){_NOTE})\]\s*:?\s*(?P<text>\S.*)$")
#: bracketed sound notes, never speakers: ``[Laughter] yes``
_SOUND_NOTES = frozenset({"laughter", "laughs", "inaudible", "crosstalk", "pause", "silence", "overlapping",
                          "unclear", "sighs", "coughs", "applause", "noise", "music", "indistinct", "redacted"})
#: a role label (never a bare name) then a spaced dash: ``Patient A - text``, ``P2 – text``, ``MODERATOR - text``
_ROLE_LABEL = (r"(?:[PR]\d+|(?i:facilitator|interviewer|moderator|researcher|note ?taker|participant|patient"
               r"|respondent|speaker|interviewee|person|carer)(?:\s+(?:[A-Z]|\d+))?)")
DASH_SPEAKER = re.compile(rf"^\s*(?P<speaker>{_ROLE_LABEL}{_NOTE})\s+[-\u2013\u2014]\s+(?P<text>.*)$")
#: what a wrapped line after a facilitator's turn must not look like: ``Linda - ...``, ``Mary Jones – ...``
_NAME_DASH = re.compile(rf"^\s*(?:{_LABEL}){_NOTE}\s+[-\u2013\u2014]\s+\S")
_CLOCK_PREFIX = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s+(?=\S)")
#: the set-aside reason of a line before the first speaker turn (a title, a date, a note)
PREAMBLE = "text before the first speaker turn (a title or note?)"
MAX_PREAMBLE = 3
LABEL_HINT = ("Start each turn with the speaker's label, e.g. 'Facilitator: ', 'P1: ', '[P1] ' or "
              "'Patient A - '.")
_TS = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
CUE_TIMING = re.compile(rf"^\s*(?P<start>{_TS})\s+-->\s+(?P<end>{_TS})(?:\s+\S.*)?\s*$")
#: a line meant as a cue timing, even a malformed one ("00:00:05.000 -> 00:00:09", "00:05 --> ...")
TIMING_LIKE = re.compile(r"-->|^\s*\d{1,2}:\d{2}\S*\s*-+>?\s*\d")
VTT_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<speaker>[^>]+)>")
TIMING_EXAMPLE = "00:00:05.000 --> 00:00:09.500"
SUFFIXES = (".txt", ".docx", ".vtt", ".srt")


def _role(speaker: str) -> str:
    """``facilitator`` when the label or its note is a facilitator's (``Moderator 2``, ``Sue (facilitator)``)."""
    low = speaker.lower()
    if low.rstrip("0123456789 ") in FACILITATOR_LABELS:
        return "facilitator"
    note = re.search(r"\(([^()]*)\)\s*$", low)
    words = set(re.findall(r"[a-z]+", note.group(1) if note else low.split(" ")[0]))
    return "facilitator" if words & FACILITATOR_LABELS else "participant"


def speaker_turn(line: str) -> re.Match | None:
    """The ``speaker`` and ``text`` of a line that starts a turn, in any of the label shapes the reader knows.

    >>> [speaker_turn(x)["speaker"] for x in ("P1: yes", "[P2] no", "Patient A - it was", "[00:01:02] Jane (patient): ok")]
    ['P1', 'P2', 'Patient A', 'Jane (patient)']
    >>> speaker_turn("Quick - seen in a week.") is None, speaker_turn("[Laughter] yes") is None
    (True, True)
    """
    line = _CLOCK_PREFIX.sub("", line, count=1)
    for pattern in (SPEAKER, BRACKET_SPEAKER, DASH_SPEAKER):
        m = pattern.match(line)
        if m and not _CLOCK.match(m["speaker"]) and m["speaker"].strip().lower() not in _SOUND_NOTES:
            return m
    return None


def _timestamp(ts: str) -> str:
    """A cue time as ``HH:MM:SS.mmm``.

    >>> _timestamp("00:00:12,2"), _timestamp("01:02.500"), _timestamp("1:00:00.000")
    ('00:00:12.200', '00:01:02.500', '01:00:00.000')
    """
    clock, frac = re.split(r"[.,]", ts)
    parts = [int(p) for p in clock.split(":")]
    h, m, s = ([0] * (3 - len(parts)) + parts)[-3:]
    return f"{h:02d}:{m:02d}:{s:02d}.{frac.ljust(3, '0')[:3]}"


# ------------------------------------------------------------------------------------------ Word
_TABLE_HEADER_WORDS = {"speaker", "name", "who", "text", "transcript", "time", "timestamp", "comment", "said"}
_CLOCK = re.compile(r"^\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?$")


def _docx_lines(path: Path) -> list[str]:
    """Paragraphs and table rows of a .docx, in document order; a damaged or fake file is a clear error."""
    head = _read_bytes(path, "transcript", limit=4096)
    if head[:2] != b"PK":
        kind = binary_kind(head)
        if kind == "ole":
            raise InputError("this file is not a .docx: it is an old Word 97-2003 (.doc) file or a "
                             "password-protected document", path=path,
                             hint="Open it in Word and save it as 'Word Document (.docx)' without a password, "
                                  "or as plain text (.txt).", code="PA110")
        try:
            decode_bytes(head, path)
        except InputError:
            raise InputError("this file is not a Word document (.docx)", path=path,
                             hint="Save the transcript from Word as .docx or plain text (.txt).", code="PA110") from None
        raise InputError("this file is not a Word document: it holds plain text with a .docx name", path=path,
                         hint="Rename it to .txt (and name it so in project.yaml).", code="PA110")
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"cannot open the Word document: it is truncated or corrupt ({exc})", path=path,
                         hint="Copy it again, or open it in Word and save it again.", code="PA110") from None
    if "word/document.xml" not in names:
        what = "an Excel workbook" if any(n.startswith("xl/") for n in names) else "a zip archive"
        raise InputError(f"this file is not a Word document: it is {what} with a .docx name", path=path,
                         hint="Name the real transcript in project.yaml.", code="PA110")
    try:
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        doc = Document(str(path))
        lines = []
        for child in doc.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, doc).text)
            elif tag == "tbl":
                lines += _table_lines(Table(child, doc))
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged file
        raise InputError(f"cannot read the Word document: it is truncated or corrupt ({type(exc).__name__}: {exc})",
                         path=path, hint="Copy it again, or open it in Word and save it again.", code="PA110") from None
    return lines


def _table_lines(table) -> list[str]:
    """A transcript kept in a Word table: ``Speaker | text`` (a time column is dropped) -> ``Speaker: text``."""
    out = []
    for r in table.rows:
        cells, seen = [], set()
        for c in r.cells:
            if id(c._tc) in seen:  # a merged cell is listed once per grid column
                continue
            seen.add(id(c._tc))
            text = " ".join(c.text.split())
            if text and not _CLOCK.match(text):
                cells.append(text)
        if not cells:
            out.append("")
        elif all(c.lower().rstrip(":") in _TABLE_HEADER_WORDS for c in cells):
            out.append("")  # the table's header row, not a turn
        elif len(cells) >= 2 and speaker_turn(cells[0].rstrip(":") + ": x"):
            out.append(f"{cells[0].rstrip(':')}: {' '.join(cells[1:])}")
        else:
            out.append(" ".join(cells))
    return out


def _lines(path: Path) -> list[str]:
    if path.suffix.lower() == ".docx":
        return _docx_lines(path)
    return read_text_file(path)[0].split("\n")


# ------------------------------------------------------------------------------------------ plain text
def _parse_plain(lines: list[str], path: Path, strict: bool) -> tuple[list[dict], list[dict]]:
    """``(turns, lines set aside)``: lines before the first turn are set aside (a title), at most MAX_PREAMBLE."""
    turns: list[dict] = []
    preamble: list[dict] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        m = speaker_turn(line)
        if m:
            turns.append({"speaker": " ".join(m["speaker"].split()), "text": m["text"].strip(), "line": n,
                          "timestamp": None})
        elif turns and not strict:
            if _role(turns[-1]["speaker"]) == "facilitator" and _NAME_DASH.match(line):
                raise TranscriptFormatError(
                    f"line reads like another speaker's turn but has no label the reader knows: "
                    f"{line.strip()[:60]!r}; it would be joined to the facilitator's turn above, which is not coded",
                    path=path, row=n, hint="Write the label with a colon (e.g. 'Linda: ...' or 'P3: ...'). "
                    + LABEL_HINT)
            turns[-1]["text"] = (turns[-1]["text"] + " " + line.strip()).strip()
        elif not turns and n == 1 and path.suffix.lower() == ".docx":
            continue  # a Word document's title paragraph
        elif not turns and not strict and len(preamble) < MAX_PREAMBLE:
            preamble.append({"line": n, "reason": PREAMBLE, "value": line.strip()})
        else:
            where = "before the first speaker turn" if not turns else "that continues no turn"
            raise TranscriptFormatError(
                f"line has no speaker label: {line.strip()[:60]!r}" + (
                    f" ({len(preamble) + 1} lines {where}: only a title of up to {MAX_PREAMBLE} lines is "
                    "set aside)" if preamble else ""), path=path, row=n,
                hint=LABEL_HINT)
    if preamble and not turns:
        raise TranscriptFormatError(f"line has no speaker label: {preamble[0]['value'][:60]!r}", path=path,
                                    row=preamble[0]["line"], hint=LABEL_HINT)
    return turns, preamble


# ------------------------------------------------------------------------------------------ captions
def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the number of its first line."""
    out, cur, start = [], [], 0
    for n, line in enumerate(lines, start=1):
        if line.strip():
            if not cur:
                start = n
            cur.append(line.strip())
        elif cur:
            out.append((start, cur))
            cur = []
    if cur:
        out.append((start, cur))
    return out


def _clean_caption(text: str) -> str:
    text = re.sub(r"\{\\[^}]*\}", "", text)  # SubRip positioning such as {\an8}
    return html.unescape(re.sub(r"</?[^>]+>", "", text)).strip()


def _voices(payload: list[str], first_line: int) -> list[tuple[str | None, str, int]]:
    """``(speaker, text, line)`` of each voice in a cue payload; speaker None if the cue names none."""
    joined = " ".join(payload)
    tags = list(VTT_VOICE.finditer(joined))
    if tags:
        out = []
        lead = _clean_caption(joined[:tags[0].start()])
        for i, t in enumerate(tags):
            end = tags[i + 1].start() if i + 1 < len(tags) else len(joined)
            body = _clean_caption(joined[t.end():end])
            if i == 0 and lead:
                body = (lead + " " + body).strip()
            offset = next((k for k, line in enumerate(payload) if t["speaker"] in line and "<v" in line), 0)
            out.append((t["speaker"].strip(), body, first_line + offset))
        return out
    text = _clean_caption(joined)
    s = speaker_turn(text)
    if not s:
        return [(None, text, first_line)]
    return [(s["speaker"].strip(), s["text"].strip(), first_line)]


def _parse_captions(lines: list[str], path: Path, *, srt: bool) -> tuple[list[dict], list[dict]]:
    """``(turns, cues set aside)`` of a WebVTT (``srt=False``) or SubRip file."""
    lines = [line.lstrip("\ufeff") if i == 0 else line for i, line in enumerate(lines)]
    blocks = _blocks(lines)
    if not srt:
        if not blocks or not blocks[0][1][0].startswith("WEBVTT"):
            raise TranscriptFormatError("WebVTT file does not start with 'WEBVTT'", path=path, row=1,
                                        hint="Export the captions again as WebVTT; a SubRip file (cues numbered "
                                             "1, 2, ... with times like 00:00:12,200) should be named .srt.")
        blocks = blocks[1:]  # the header block
    turns, aside = [], []

    def set_aside(line: int, reason: str, value: str = "") -> None:
        aside.append({"line": line, "reason": reason, "value": value})

    for start, block in blocks:
        if not srt and re.match(r"^(NOTE|STYLE|REGION)(\s|$)", block[0]):
            continue  # comments and styling, not cues
        at = next((i for i, line in enumerate(block[:2]) if TIMING_LIKE.search(line)), None)
        if at is None:
            set_aside(start, f"text with no cue timing line above it (expected e.g. {TIMING_EXAMPLE})")
            continue
        timing = block[at]
        m = CUE_TIMING.match(timing)
        if not m:
            set_aside(start + at, f"malformed cue timing {timing[:60]!r} (expected e.g. {TIMING_EXAMPLE})", timing[:60])
            continue
        payload = block[at + 1:]
        stamp = _timestamp(m["start"])
        if not payload:
            set_aside(start + at, "cue with no text", stamp)
            continue
        for speaker, text, line in _voices(payload, start + at + 1):
            if speaker is None:
                set_aside(line, "cue has no speaker (give it as '<v Name>' or 'Name: ')", stamp)
            else:
                turns.append({"speaker": speaker, "text": text, "line": line, "timestamp": stamp})
    return turns, aside


def _caption_kind(lines: list[str]) -> str | None:
    """``"vtt"`` or ``"srt"`` when a plain-text file holds captions, else None."""
    first = [line.strip().lstrip("\ufeff") for line in lines if line.strip()][:2]
    if first and first[0].startswith("WEBVTT"):
        return "vtt"
    if len(first) == 2 and first[0].isdigit() and CUE_TIMING.match(first[1]):
        return "srt"
    return None


def read_transcript(path: str | Path, *, site: str, group: str, source_id: str | None = None,
                    source_type: str = "focus_group", strict: bool = False) -> Ingested:
    """Read one transcript into ``segments`` (one row per speaker turn) and ``set_aside``.

    ``respondent_id`` of a participant turn is ``"<source_id>:<speaker>"`` so that counts of
    people raising a theme treat each focus-group participant as one person.
    """
    path = Path(path)
    if not path.exists():
        raise MissingFileError("transcript not found", path=path, hint="Check the path in project.yaml.")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported transcript type {path.suffix!r}", path=path,
                         hint="Use .txt, .docx, .vtt (WebVTT) or .srt (SubRip).")
    source_id = source_id or path.name
    lines = _lines(path)
    kind = {".vtt": "vtt", ".srt": "srt"}.get(suffix) or (_caption_kind(lines) if suffix == ".txt" else None)
    cue_aside: list[dict] = []
    if kind:
        turns, cue_aside = _parse_captions(lines, path, srt=kind == "srt")
    else:
        turns, cue_aside = _parse_plain(lines, path, strict)
    if not turns:
        if cue_aside:
            why = Counter(a["reason"].split(" (")[0] for a in cue_aside)
            raise EmptyInputError(
                f"transcript has no speaker turns: all {len(cue_aside)} cues were set aside ("
                + "; ".join(f"{n} {r.replace('cue has ', 'with ')}" for r, n in why.items()) + ")", path=path,
                hint="Give each cue a speaker as '<v Name>' or 'Name: ' and a timing line such as "
                     f"{TIMING_EXAMPLE}.")
        raise EmptyInputError("transcript has no speaker turns", path=path,
                              hint="Start each turn with 'Speaker: ' (e.g. 'Facilitator: ' or 'P1: ').")
    rows = []
    aside = [{"source_id": source_id, "path": source_id, "row": a["line"], "column": None, "reason": a["reason"],
              "value": a["value"]} for a in cue_aside]
    for pos, t in enumerate(turns):
        if not t["text"]:
            aside.append({"source_id": source_id, "path": source_id, "row": t["line"], "column": None,
                          "reason": EMPTY_TURN, "value": t["speaker"]})
            continue
        role = _role(t["speaker"])
        rows.append({"segment_id": segment_id(source_id, pos), "source_id": source_id, "site": site,
                     "group": group, "source_type": source_type, "question_id": None,
                     "respondent_id": f"{source_id}:{t['speaker']}" if role == "participant" else None,
                     "speaker": t["speaker"], "role": role, "position": pos, "timestamp": t["timestamp"],
                     "text": t["text"]})
    aside.sort(key=lambda a: a["row"])
    return Ingested(
        segments=schema.conform(pd.DataFrame(rows), "segments") if rows else schema.empty("segments"),
        set_aside=schema.conform(pd.DataFrame(aside), "set_aside") if aside else schema.empty("set_aside"),
        sources=[{"source_id": source_id, "path": source_id, "kind": source_type,
                  "rows_read": len(turns) + len(cue_aside), "respondents_kept": None, "rows_kept": len(rows),
                  "rows_set_aside": len(aside)}],
    )
