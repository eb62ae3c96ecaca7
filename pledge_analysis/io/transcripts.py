"""Reading focus-group and interview transcripts (.txt, .docx, WebVTT .vtt) into segments.

Each speaker turn becomes one segment. A turn is a line ``Speaker: text`` where the speaker
is a label such as ``Facilitator``, ``Interviewer``, ``P1``, ``Participant 3`` or a first name.
Facilitator turns get ``role="facilitator"``, everyone else ``role="participant"``.
An unlabelled line right after a turn continues that turn (wrapped text); an unlabelled line
before the first turn is an error (or, with ``strict=True``, any unlabelled line is).
WebVTT cues give the speaker as ``<v Name>`` or ``Name:`` and the cue start as ``timestamp``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import schema
from ..errors import EmptyInputError, InputError, MissingFileError, TranscriptFormatError
from .files import read_text_file
from .surveys import Ingested, segment_id

FACILITATOR_LABELS = frozenset({"facilitator", "interviewer", "moderator", "researcher", "chair", "host"})
SPEAKER = re.compile(r"^\s*(?P<speaker>(?:[A-Z][A-Za-z'.-]*)(?: [A-Z0-9][A-Za-z0-9'.-]*){0,2}|P\d+)\s*:\s*(?P<text>.*)$")
VTT_TIME = re.compile(r"^(?P<start>(?:\d+:)?\d{2}:\d{2}\.\d{3})\s+-->\s+(?P<end>(?:\d+:)?\d{2}:\d{2}\.\d{3})")
VTT_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+(?P<speaker>[^>]+)>(?P<text>.*?)(?:</v>)?$")


def _role(speaker: str) -> str:
    return "facilitator" if speaker.lower().rstrip("0123456789 ") in FACILITATOR_LABELS else "participant"


def _lines(path: Path) -> list[str]:
    if path.suffix.lower() == ".docx":
        from docx import Document

        return [p.text for p in Document(str(path)).paragraphs]
    return read_text_file(path)[0].split("\n")


def _parse_plain(lines: list[str], path: Path, strict: bool) -> list[dict]:
    turns: list[dict] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        m = SPEAKER.match(line)
        if m:
            turns.append({"speaker": m["speaker"].strip(), "text": m["text"].strip(), "line": n, "timestamp": None})
        elif turns and not strict:
            turns[-1]["text"] = (turns[-1]["text"] + " " + line.strip()).strip()
        elif not turns and path.suffix.lower() == ".docx" and n == 1:
            continue  # a docx title paragraph
        else:
            raise TranscriptFormatError(
                f"line has no speaker label: {line.strip()[:60]!r}", path=path, row=n,
                hint="Start each turn with 'Speaker: ' (e.g. 'Facilitator: ' or 'P1: '), "
                     "or pass strict=False to join wrapped lines to the turn above.")
    return turns


def _parse_vtt(lines: list[str], path: Path) -> list[dict]:
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptFormatError("WebVTT file does not start with 'WEBVTT'", path=path, row=1,
                                    hint="Export the captions again as WebVTT.")
    turns, start, n = [], None, 0
    while n < len(lines):
        line = lines[n].strip()
        n += 1
        m = VTT_TIME.match(line)
        if not m:
            continue
        start = m["start"]
        text_lines = []
        while n < len(lines) and lines[n].strip():
            text_lines.append(lines[n].strip())
            n += 1
        text = " ".join(text_lines)
        v = VTT_VOICE.match(text)
        if v:
            speaker, body = v["speaker"].strip(), v["text"].strip()
        else:
            s = SPEAKER.match(text)
            if not s:
                raise TranscriptFormatError(f"caption has no speaker: {text[:60]!r}", path=path, row=n,
                                            hint="Give each cue a speaker as '<v Name>' or 'Name: '.")
            speaker, body = s["speaker"].strip(), s["text"].strip()
        turns.append({"speaker": speaker, "text": re.sub(r"</?[^>]+>", "", body), "line": n, "timestamp": start})
    return turns


def read_transcript(path: str | Path, *, site: str, group: str, source_id: str | None = None,
                    source_type: str = "focus_group", strict: bool = False) -> Ingested:
    """Read one transcript into ``segments`` (one row per speaker turn).

    ``respondent_id`` of a participant turn is ``"<source_id>:<speaker>"`` so that counts of
    people raising a theme treat each focus-group participant as one person.
    """
    path = Path(path)
    if not path.exists():
        raise MissingFileError("transcript not found", path=path, hint="Check the path in project.yaml.")
    if path.suffix.lower() not in (".txt", ".docx", ".vtt"):
        raise InputError(f"unsupported transcript type {path.suffix!r}", path=path,
                         hint="Use .txt, .docx or .vtt (WebVTT).")
    source_id = source_id or path.name
    lines = _lines(path)
    turns = _parse_vtt(lines, path) if path.suffix.lower() == ".vtt" else _parse_plain(lines, path, strict)
    if not turns:
        raise EmptyInputError("transcript has no speaker turns", path=path)
    rows, aside = [], []
    for pos, t in enumerate(turns):
        if not t["text"]:
            aside.append({"source_id": source_id, "path": source_id, "row": t["line"], "column": None,
                          "reason": "speaker turn with no text", "value": t["speaker"]})
            continue
        role = _role(t["speaker"])
        rows.append({"segment_id": segment_id(source_id, pos), "source_id": source_id, "site": site,
                     "group": group, "source_type": source_type, "question_id": None,
                     "respondent_id": f"{source_id}:{t['speaker']}" if role == "participant" else None,
                     "speaker": t["speaker"], "role": role, "position": pos, "timestamp": t["timestamp"],
                     "text": t["text"]})
    return Ingested(
        segments=schema.conform(pd.DataFrame(rows), "segments"),
        set_aside=schema.conform(pd.DataFrame(aside), "set_aside") if aside else schema.empty("set_aside"),
        sources=[{"source_id": source_id, "path": source_id, "kind": source_type, "rows_read": len(turns),
                  "respondents_kept": None}],
    )
