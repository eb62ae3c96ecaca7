"""Speaker labels of transcripts, de-identified: a consistent pseudonym per speaker within a source.

A transcript turn ``Margaret Okafor: I waited weeks`` names its speaker in the label. Labels are
replaced right after ingest, before anything is coded, stored or written:

- a participant's label becomes ``Participant 1``, ``Participant 2`` ... in order of first
  appearance in its source (numbers already used by a kept ``Participant N`` label are skipped);
- labels that are already anonymous are kept: ``P1``, ``Participant 3``, ``Speaker 2``,
  ``Respondent 4``, ``R2``, role words such as ``Nurse`` or ``Patient``;
- facilitator labels (``Facilitator``, ``Interviewer``, ``Moderator`` ...) are kept as their role; one
  that also names the person (``Interviewer Jane Smith``, ``Jane Smith (facilitator)``) becomes the role.

The same mapping is applied to ``respondent_id`` of the turns (``"<source_id>:<speaker>"``), to
set-aside rows that carry a label (a turn with no text), and, through :func:`mention_names`, to
the speakers' names inside the turns' text (see :func:`pledge_analysis.text.deidentify.redact`).

>>> segs = pd.DataFrame({"source_id": ["fg.txt"] * 4, "position": [0, 1, 2, 3],
...     "speaker": ["Facilitator", "Margaret Okafor", "P2", "Tomasz"],
...     "role": ["facilitator", "participant", "participant", "participant"],
...     "respondent_id": [None, "fg.txt:Margaret Okafor", "fg.txt:P2", "fg.txt:Tomasz"]})
>>> speaker_pseudonyms(segs)
{'fg.txt': {'Margaret Okafor': 'Participant 1', 'Tomasz': 'Participant 2'}}
"""
from __future__ import annotations

import re
from typing import Mapping

import pandas as pd

from ..io.transcripts import EMPTY_TURN  # set-aside reason of an empty speaker turn, shared with the reader

#: Facilitator role names (as in :mod:`pledge_analysis.io.transcripts`), kept as they are.
FACILITATOR_LABELS = frozenset({"facilitator", "interviewer", "moderator", "researcher", "chair", "host",
                                "note taker", "notetaker", "observer"})
#: Words that describe a role, not a person: a label made of these (and numbers) is anonymous.
ROLE_WORDS = frozenset({
    "participant", "speaker", "respondent", "patient", "person", "interviewee", "member", "voice", "attendee",
    "delegate", "guest", "unknown", "unidentified", "inaudible", "group", "all", "everyone", "several", "many",
    "others", "other", "multiple", "various", "crosstalk", "audience", "staff", "nurse", "doctor", "consultant",
    "surgeon", "oncologist", "radiographer", "clinician", "cns", "gp", "carer", "partner", "husband", "wife",
    "daughter", "son", "mum", "mother", "father", "dad", "friend", "relative", "family", "volunteer", "manager",
    "male", "female", "man", "woman", "young", "older", "new", "another", "secondary", "primary", "team",
    "facilitator", "interviewer", "moderator", "researcher", "chair", "host", "observer", "q", "a",
})
_ANON_CODE = re.compile(r"^(?:[A-Za-z] ?\d*|[A-Z]{2,3}[_-]?\d+|\d+|#\d+)$")  # P, P1, P 1, PT03, R-2, 7
_PSEUDONYM = re.compile(r"^participant\s*(\d+)$", re.I)


def is_facilitator(label: str) -> bool:
    return label.strip().lower().rstrip("0123456789 ") in FACILITATOR_LABELS


def is_anonymous(label: str) -> bool:
    """True for labels that name no one (``P1``, ``Participant 3``, ``Speaker 2``, ``Nurse``).

    >>> [is_anonymous(x) for x in ("P1", "Participant 3", "Speaker 2", "Margaret", "Dr Patel", "MO")]
    [True, True, True, False, False, False]
    """
    text = str(label).strip()
    if not text:
        return True
    if _ANON_CODE.match(text):
        return True
    words = [w for w in re.split(r"[\s_()\[\]/.,-]+", text.lower()) if w]
    return bool(words) and all(w in ROLE_WORDS or len(w) == 1 or re.fullmatch(r"#?\d+[a-z]?", w) for w in words)


def speaker_pseudonyms(segments: pd.DataFrame, set_aside: pd.DataFrame | None = None
                       ) -> dict[str, dict[str, str]]:
    """``{source_id: {label: pseudonym}}`` for every participant label that may name someone.

    Order of first appearance is the turns' ``position``; labels found only in ``set_aside``
    (a speaker whose only turn was empty) come after them.
    """
    out: dict[str, dict[str, str]] = {}
    if segments is None or "speaker" not in segments.columns:
        return out
    turns = segments[segments["speaker"].notna()]
    if "source_type" in turns.columns:
        turns = turns[turns["source_type"].fillna("") != "survey"]
    order = ["source_id", "position"] if "position" in turns.columns else ["source_id"]
    labels: dict[str, list[str]] = {}
    for src, label in turns.sort_values(order, kind="stable")[["source_id", "speaker"]].itertuples(index=False):
        labels.setdefault(src, [])
        if label not in labels[src]:
            labels[src].append(label)
    if set_aside is not None and len(set_aside) and "value" in set_aside.columns:
        for src, value, reason in set_aside[["source_id", "value", "reason"]].itertuples(index=False):
            if src in labels and isinstance(value, str) and str(reason).startswith(EMPTY_TURN) \
                    and value not in labels[src]:
                labels[src].append(value)
    for src, names in labels.items():
        taken = {int(m.group(1)) for n in names if (m := _PSEUDONYM.match(str(n).strip()))}
        number, mapping, roles = 0, {}, set(names)
        for label in names:
            label_s = str(label)
            if is_facilitator(label_s) or is_anonymous(label_s):
                continue
            role = _named_role(label_s)
            if role:  # "Interviewer Jane Smith": the role, without the name
                k = 1
                while (f"{role} {k}" if k > 1 else role) in roles:
                    k += 1
                mapping[label] = f"{role} {k}" if k > 1 else role
                roles.add(mapping[label])
                continue
            number += 1
            while number in taken:
                number += 1
            mapping[label] = f"Participant {number}"
        if mapping:
            out[src] = mapping
    return out


def _named_role(label: str) -> str | None:
    """``"Facilitator"`` for a label such as ``Facilitator Jane Smith`` or ``Jane Smith (interviewer)``."""
    words = [w for w in re.split(r"[\s()\[\],:;-]+", label.lower()) if w]
    for w in (words[:1] + words[-1:]) if words else []:
        if w in FACILITATOR_LABELS:
            return w.capitalize()
    return None


def apply_speaker_pseudonyms(segments: pd.DataFrame, set_aside: pd.DataFrame | None,
                             mapping: Mapping[str, Mapping[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """``segments`` and ``set_aside`` with each mapped label replaced in ``speaker``, ``respondent_id``
    (``"<source_id>:<speaker>"``) and set-aside ``value``."""
    if not mapping:
        return segments, set_aside
    segs = segments.copy()

    def new_label(src, label):
        return mapping.get(src, {}).get(label, label) if isinstance(label, str) else label

    segs["speaker"] = [new_label(s, lab) for s, lab in zip(segs["source_id"], segs["speaker"])]
    if "respondent_id" in segs.columns:
        ids = []
        for src, rid in zip(segs["source_id"], segs["respondent_id"]):
            if isinstance(rid, str) and src in mapping and rid.startswith(f"{src}:"):
                rid = f"{src}:{new_label(src, rid[len(src) + 1:])}"
            ids.append(rid)
        segs["respondent_id"] = ids
    aside = set_aside
    if set_aside is not None and len(set_aside) and "value" in set_aside.columns:
        aside = set_aside.copy()
        aside["value"] = [new_label(s, v) for s, v in zip(aside["source_id"], aside["value"])]
    return segs, aside


def mention_names(mapping: Mapping[str, Mapping[str, str]], *, titles=()) -> dict[str, dict[str, str | None]]:
    """Per source, the names to look for in the turns' text: each label as a whole and each of its
    words (not titles), with the speaker's pseudonym; a word two speakers share maps to ``None``
    (redacted as an ordinary name, since it cannot say which speaker is meant).

    >>> mention_names({"fg": {"Margaret Okafor": "Participant 1", "Margaret Hale": "Participant 2"}})["fg"]
    {'Margaret Okafor': 'Participant 1', 'Margaret Hale': 'Participant 2', 'Margaret': None, 'Okafor': 'Participant 1', 'Hale': 'Participant 2'}
    """
    titles = {t.lower() for t in titles} | {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sister", "nurse"}
    out: dict[str, dict[str, str | None]] = {}
    for src, labels in mapping.items():
        names: dict[str, str | None] = {}
        parts: dict[str, set[str]] = {}
        for label, pseudonym in labels.items():
            label = re.sub(r"\s+", " ", str(label)).strip()
            words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", label) if len(w) > 1
                     and w.lower() not in titles and w.lower() not in ROLE_WORDS]
            if " " in label:
                names[label] = pseudonym
            if len(words) > 1:  # the name without its title or role: "Interviewer Jane Smith" -> "Jane Smith"
                names.setdefault(" ".join(words), pseudonym)
            for w in words:
                parts.setdefault(w, set()).add(pseudonym)
        for w, who in parts.items():
            if w not in names:
                names[w] = next(iter(who)) if len(who) == 1 else None
        out[src] = names
    return out
