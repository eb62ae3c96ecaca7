"""De-identification: find and replace names, phone numbers, NHS numbers and other identifiers.

:func:`redact` works on one string; :func:`redact_frame` on a whole table (and returns a
review table of what was redacted that never shows the original value unless asked).
The same recognizers run inside spaCy as the ``pledge_deidentify`` component.

Recognizers (no trained NER model needed):

- ``EMAIL``, ``URL``: standard patterns.
- ``PHONE``: UK landlines and mobiles, ``+44`` and ``(0)`` forms, spaces, dashes, brackets;
  the digits must form a 10 or 11 digit UK number starting 01, 02, 03, 05, 07, 08 or 09.
- ``NHS_NUMBER``: 10 digits (``3 3 4`` grouping allowed) that pass the mod-11 check digit.
- ``POSTCODE``: UK postcodes, either case.
- ``DATE``: numeric dates and day + month (+ year) forms; a month or weekday alone is not an identifier.
- ``ADDRESS``: a house number and a street name ending in a street word (Road, Lane, Close ...).
- ``ID``: hospital / MRN / reference numbers after a cue word, and letter+digit record numbers.
- ``PERSON``: a title (Dr, Mrs, Sister, Nurse ...) before a name; a known first name followed by
  a capitalised surname; a known first name that is not also a common English word; context
  cues ("my nurse X", "X was lovely", "thanks to X"); and the user's deny-list; these rules are in
  :mod:`.name_rules`, more shapes in :mod:`.name_shapes` (lower case, particles, capitals, initials)
  and :mod:`.name_cues` ("Dr M", "F Grigoryan", an unknown word in a slot only a person fills, text
  written in capitals); never a UK town (:func:`.names.uk_places`), a ward, or a first name that is also an
  ordinary word ("Holly and ivy", :data:`.deidentify_data.WORD_NAMES`) without a cue; then, where the rules
  found no name, a statistical name recognizer
  (:mod:`.name_model`, logistic regression over word and context features; ``name_model=False`` or
  project.yaml ``deidentify: {name_model: false}`` for the rules alone).

The labels, scores, default allow-list and word lists are data, in :mod:`.deidentify_data` (their
names are importable from here too).

>>> r = redact("Sister Jane Okafor was wonderful, ring 07700 900461.")
>>> r.text
'Sister [PERSON] was wonderful, ring [PHONE].'
>>> r.spans
[(7, 18, 'PERSON'), (39, 51, 'PHONE')]
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

import pandas as pd

from .. import schema
from ..errors import ConfigError
from .deidentify_data import DEFAULT_ALLOW, LABELS, PRIORITY, SCORE, TITLES
from .deidentify_data import (FAMILY, NOT_NAMES, PLACE_NOUNS, PRAISE, ROLE_WORDS, SERVICE_NOUNS,  # noqa: F401
                              SPEECH_VERBS)  # re-exported: the word lists of the PERSON rules
from .name_cues import ACRONYMS, foreign_language, foreign_person_spans, truecase
from .name_rules import _person_spans, _plausible, _sentence_initial
from .names import common_words, gazetteers

_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_PATTERNS = {
    "EMAIL": re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    "URL": re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|co\.uk|org\.uk|nhs\.uk|gov\.uk|ac\.uk|uk|io)(?:/[^\s<>\"']*)?\b", re.I),
    "NHS_NUMBER": re.compile(r"(?<![\w-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w-])"),
    "POSTCODE": re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b", re.I),
    "DATE": re.compile(
        r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"
        r"|\b\d{4}-\d{2}-\d{2}\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}\.?(?:,?\s+\d{{4}})?\b"
        rf"|\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b",
        re.I),
    "ADDRESS": re.compile(
        r"\b(?:flat\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+(?:[A-Za-z][a-z'-]+\s+){1,3}"
        r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|way|crescent|court|place|gardens|grove|terrace|"
        r"park|view|walk|row|square|mews|rise|parade)\b", re.I),
    "ID": re.compile(
        r"(?:\b(?:mrn|hospital\s+(?:number|no\.?)|patient\s+(?:number|no\.?|id)|unit\s+number|ref(?:erence)?"
        r"(?:\s+(?:number|no\.?))?|case\s+number)\s*(?:is\s+|was\s+)?[:#]?\s*)(?P<id>[A-Z]{0,3}\d[\dA-Z-]{3,}\d?)"
        r"|\b(?P<id2>[A-Z]{1,3}\d{6,9})\b", re.I),
}
@dataclass
class Redaction:
    """The result of :func:`redact`: the redacted text and the spans found in the original."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    #: one confidence per span (:data:`SCORE`), for reviewing the least certain redactions
    scores: list[float] = field(default_factory=list)
    #: one recognizer per span (:data:`RECOGNIZERS`, or ``names`` for a known name such as a speaker's)
    recognizers: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(Counter(label for _s, _e, label in self.spans))


#: Whether a trained NER's PERSON entities are checked before they are kept: the rules' plausibility check
#: (:func:`.name_rules._plausible`: not a town, ward, role or month) and written like a name (:func:`_name_like`);
#: chosen on the tune split of the development data (``tools/train_ner_model.py --tune-report``) and on the
#: NER-only spans found in the 9,562 real comments in neither labelled sample (README "Figures"). With the checks
#: on, the NER reads only the sentences that hold a word a kept name needs (:func:`.ner_model.ner_pieces`).
NER_CHECKS = True

#: Whether the statistical name recognizer runs by default (``deidentify: {name_model: ...}`` overrides it).
NAME_MODEL_DEFAULT = True


@dataclass(frozen=True)
class Options:
    labels: frozenset[str] = frozenset(LABELS)
    allow: tuple[str, ...] = DEFAULT_ALLOW
    deny: tuple[str, ...] = ()
    pseudonyms: bool = False
    #: add the statistical name recognizer's names (:mod:`.name_model`) where the rules found none
    name_model: bool = NAME_MODEL_DEFAULT

    @classmethod
    def make(cls, labels=None, allow=(), deny=(), pseudonyms=False, replace_default_allow=False,
             name_model: bool | None = None) -> "Options":
        labels = frozenset(labels or LABELS)
        unknown = labels - set(LABELS)
        if unknown:
            raise ConfigError(f"unknown redaction label(s) {sorted(unknown)}; choose from {list(LABELS)}.")
        allow = tuple(allow or ()) if replace_default_allow else DEFAULT_ALLOW + tuple(allow or ())
        return cls(labels, allow, tuple(d for d in deny or () if d and d.strip()), bool(pseudonyms),
                   NAME_MODEL_DEFAULT if name_model is None else bool(name_model))


def nhs_number_valid(digits: str) -> bool:
    """The NHS number mod-11 check.

    >>> nhs_number_valid("9434765919"), nhs_number_valid("9434765918")
    (True, False)
    """
    digits = re.sub(r"\D", "", digits)
    if len(digits) != 10:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _regex_spans(text: str, labels: frozenset[str]) -> list[tuple[int, int, str, float]]:
    """Structured identifiers ``(start, end, label, score)``; phone numbers from :mod:`.phones`.

    Where a phone number and another reading of the same digits meet: an NHS number wins only
    with "NHS" in the 40 characters before it, an ID only after its cue word ("MRN", "hospital
    number" ...), a date only when the digits are not a valid phone number.
    """
    from .phones import SCORE_VALID, phone_spans

    spans: list[tuple[int, int, str, float]] = []
    for label, pattern in _PATTERNS.items():
        if label not in labels and not (label == "NHS_NUMBER" and "ID" in labels):
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            raw = m.group(0)
            if label == "NHS_NUMBER":
                if not nhs_number_valid(raw):
                    continue
                if "nhs" not in text[max(0, s - 40):s].lower():
                    label_out = "NHS?"  # settled against phone numbers below
                    spans.append((s, e, label_out, SCORE["NHS_NUMBER_NO_CUE"]))
                    continue
                if "NHS_NUMBER" not in labels:
                    spans.append((s, e, "ID", SCORE["NHS_NUMBER"]))
                    continue
            elif label == "URL":
                if s > 0 and text[s - 1] == "@":
                    continue
                e = s + len(raw.rstrip(".,;:!?)'\""))
            elif label == "ID":
                g = "id" if m.group("id") else "id2"
                s, e = m.span(g)
                if not any(c.isdigit() for c in m.group(g)):
                    continue
                spans.append((s, e, label, SCORE["ID_CUE"] if g == "id" else SCORE["ID"]))
                continue
            spans.append((s, e, label, SCORE[label]))
    phones = phone_spans(text) if "PHONE" in labels else []
    kept = []
    for s, e, sc in phones:
        over = [sp for sp in spans if sp[0] < e and s < sp[1]]
        if any(sp[2] == "NHS_NUMBER" or (sp[2] == "ID" and sp[3] == SCORE["ID_CUE"]) for sp in over):
            continue
        if sc < SCORE_VALID and any(sp[2] == "DATE" for sp in over):
            continue
        kept.append((s, e, "PHONE", sc))
        spans = [sp for sp in spans if not (sp[0] < e and s < sp[1] and sp[2] in ("NHS?", "DATE", "ID"))]
    out = []
    for s, e, label, sc in spans + kept:
        if label == "NHS?":  # an NHS-valid number without the cue and not a phone number
            label = "NHS_NUMBER" if "NHS_NUMBER" in labels else "ID"
        out.append((s, e, label, sc))
    return out


def _deny_spans(text: str, deny: Sequence[str]) -> list[tuple[int, int, str]]:
    spans = []
    for entry in deny:
        parts = [entry] + [p for p in entry.split() if len(p) > 2 and p[0].isupper()] if " " in entry else [entry]
        for p in parts:
            for m in re.finditer(rf"(?<!\w){re.escape(p)}(?!\w)", text, re.I):
                spans.append((m.start(), m.end(), "PERSON", SCORE["deny"]))
    return spans


def _allowed_ranges(text: str, allow: Sequence[str]) -> list[tuple[int, int]]:
    """Where the allow-list's phrases occur in ``text`` (any case, whole words). Only the phrases whose first word
    is a word of the text go into the pattern (a set lookup, much faster than the whole alternation)."""
    index = _allow_index(tuple(allow))
    hits = set(_ALNUM.findall(text.lower())) & index.keys()
    if not hits:
        return []
    present = tuple(sorted({p for w in hits for p in index[w]}))
    return [m.span() for m in _allow_pattern(present).finditer(text)]


_ALNUM = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8)
def _allow_index(allow: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The allow-list's phrases by their first word, lower-cased."""
    out: dict[str, list[str]] = {}
    for p in allow:
        m = _ALNUM.search(p.lower()) if p else None
        if m:
            out.setdefault(m.group(0), []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1024)
def _allow_pattern(allow: tuple[str, ...]) -> re.Pattern:
    phrases = sorted({p for p in allow if p}, key=len, reverse=True) or ["(?!x)x"]
    body = "|".join(re.escape(p) if p != "(?!x)x" else p for p in phrases)
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.I)


def _resolve(spans: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Drop overlaps: the higher-priority label wins (structured identifiers before names), then the longer
    span, then the higher score."""
    ranked = sorted(set(spans), key=lambda sp: (-PRIORITY[sp[2]], -(sp[1] - sp[0]), -sp[3], sp[0]))
    kept: list[tuple[int, int, str, float]] = []
    for sp in ranked:
        if all(sp[1] <= k[0] or sp[0] >= k[1] for k in kept):
            kept.append(sp)
    return sorted(kept)


def find_identifiers(text: str, opts: Options | None = None) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, label)`` of identifiers in ``text`` (end exclusive), without replacing."""
    return [sp[:3] for sp in find_scored(text, opts)]


#: The recognizers a span can come from (the review table's ``recognizer`` column): the rules (patterns,
#: phone validation, name rules), the user's deny-list, the statistical name recognizer and a trained NER.
RECOGNIZERS = ("rules", "deny", "name_model", "ner")


def _trained_ner(nlp) -> bool:
    """Whether ``nlp`` has a trained ``ner`` (not only patterns, such as an ``entity_ruler`` of the user's)."""
    return nlp is None or any(nlp.get_pipe_meta(n).factory == "ner" for n in nlp.pipe_names)


def find_scored(text: str, opts: Options | None = None, nlp=None, *, doc=None,
                recognizers: list | None = None, checks: bool | None = None,
                entities: list | None = None) -> list[tuple[int, int, str, float]]:
    """Like :func:`find_identifiers`, with each span's score (:data:`SCORE`): ``(start, end, label, score)``.

    ``nlp``: a spaCy pipeline with a trained ``ner`` (e.g. ``en_core_web_sm``, or one loaded with
    :func:`~pledge_analysis.text.ner_model.load_ner_model`); its PERSON entities are added (score
    ``SCORE["ner"]``) unless they fall in the allow-list or the rules' plausibility check rejects them (a
    pipeline with no trained ``ner``, e.g. only an ``entity_ruler`` of the user's patterns, is taken as it is).
    ``doc``: the same, from a ``Doc`` of ``text`` that such a pipeline already made (as ``nlp.pipe`` does
    in batches). ``recognizers``: a list to fill, one entry per span returned, with the recognizer that
    found it (:data:`RECOGNIZERS`). ``checks``: whether the NER's names are checked (default: when ``nlp``
    has a trained ``ner``); with them, the NER reads only the sentences that hold a word its kept names need
    (:func:`~pledge_analysis.text.ner_model.ner_pieces`). ``entities``: the ``(start, end)`` PERSON spans such a
    pipeline found in ``text`` (:func:`~pledge_analysis.text.ner_model.person_entities`), instead of ``nlp``.
    """
    opts = opts or Options()
    if not text:
        return []
    # a pipeline of patterns only (an entity_ruler, no trained ner) says deliberately what is a name: no checks
    checks = _trained_ner(nlp) if checks is None else checks
    if doc is not None:
        entities = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    spans = _regex_spans(text, opts.labels)
    source = dict.fromkeys(spans, "rules")
    if "PERSON" in opts.labels:
        allowed = _allowed_ranges(text, opts.allow)
        # a weekday right after a title is a name ("Nurse Sunday stayed late"), not the day the allow-list means
        allowed = [(a, b) for a, b in allowed if not (text[a:b].lower() in _WEEKDAYS and _TITLE_BEFORE.search(
            text, max(0, a - 12), a))]
        # a text written in capitals is read with its common words in lower case ("THANK YOU NNAMDI")
        first, _last = gazetteers()
        cased = truecase(text, common_words(), ACRONYMS, first) or text
        if entities is None and nlp is not None and "PERSON" in opts.labels:
            from .ner_model import person_entities

            entities = person_entities(nlp, [text], checks=checks and NER_CHECKS, cased=[cased])[0]
        person = [sp for sp in (_outside(cased, _plausible(cased, sp), allowed) for sp in _person_spans(cased)) if sp]
        lang = foreign_language(text)
        if lang:  # a comment in Welsh or Polish: its capitalised nouns are not names ("ac yn siarad Cymraeg")
            person = foreign_person_spans(cased, person, lang, SCORE["title"])
        deny = _deny_spans(text, opts.deny)
        for group, name in ((person, "rules"), (deny, "deny")):
            for sp in group:
                source.setdefault(sp, name)
        spans += person + deny
        if entities is not None:
            ner = _ner_spans(entities, allowed, cased if checks else None)
            for sp in ner:
                source.setdefault(sp, "ner")
            spans += ner
        if opts.name_model and not lang:
            from .name_model import model_spans

            found = model_spans(cased, allowed + [sp[:2] for sp in spans], person)
            for sp in found:
                source.setdefault(sp, "name_model")
            spans += found
    if "PERSON" in opts.labels and not lang:  # the rest of a list of names: "Bojan, Yuliia, Hope and Svitlana"
        from .name_edges import list_names

        found = [sp for sp in (_plausible(cased, sp) for sp in list_names(cased, spans, first, SCORE["cue"])) if sp
                 and not any(a < sp[1] and sp[0] < b for a, b in allowed)]
        for sp in found:
            source.setdefault(sp, "rules")
        spans += found
    spans = _resolve([sp for sp in spans if sp[2] in opts.labels])
    if "PERSON" in opts.labels:  # the whole name: "M S Schachter", "Jean-Paul Montoya Gil", "Memory Hernández-Ríos"
        from .name_edges import whole_names

        widened = whole_names(cased, spans, first, allowed)
        for old, new in zip(_pieces(spans, widened), widened):
            source.setdefault(new, source.get(old, "rules"))
        spans = widened
    if recognizers is not None:
        recognizers.extend(source[sp] for sp in spans)
    return spans


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_TITLE_BEFORE = re.compile(r"(?<![\w'’-])(?i:dr|doctor|mr|mrs|ms|miss|mx|prof|professor|sister|nurse|matron)\.?\s+$")


def _outside(text: str, sp, allowed):
    """``sp`` without an allow-list phrase that opens it ("Dr Sunday Hernández-Ríos" -> "Hernández-Ríos": weekdays
    are in :data:`DEFAULT_ALLOW`), or None when it holds an allowed phrase anywhere else ("Long Covid")."""
    if not sp or not any(a < sp[1] and sp[0] < b for a, b in allowed):
        return sp
    s = sp[0]
    for a, b in allowed:
        if a <= s < b:
            s = b
    while s < sp[1] and not text[s].isalpha():
        s += 1
    if s == sp[0] or sp[1] - s < 2 or any(a < sp[1] and s < b for a, b in allowed):
        return None
    return (s,) + tuple(sp[1:])


def _pieces(old: list, new: list) -> list:
    """For each span of ``new`` (``old`` widened and joined), the first span of ``old`` inside it."""
    return [next(o for o in old if n[0] <= o[0] and o[1] <= n[1]) for n in new]


def _ner_spans(entities, allowed, cased: str | None = None) -> list[tuple[int, int, str, float]]:
    """A trained NER's PERSON entities (``(start, end)``) outside the allow-list (``allowed``); with ``cased``
    (the text as the rules read it) and :data:`NER_CHECKS`, only those that pass the checks described there."""
    out = []
    for start, end in entities:
        if any(a < end and start < b for a, b in allowed):
            continue
        sp = (start, end, "PERSON", SCORE["ner"])
        if cased is not None and NER_CHECKS:
            sp = _plausible(cased, sp)
            if sp and not _name_like(cased, sp[0], sp[1]):
                sp = None
        if sp:
            out.append(sp)
    return out


def _name_like(text: str, s: int, e: int) -> bool:
    """Whether a trained NER's PERSON span ``text[s:e]`` is written like a name (:data:`NER_CHECKS`): at most four
    words on one line, one of them capitalised as names are and not an ordinary English word in no name list
    (:func:`~pledge_analysis.text.ner_model.name_word`: not "T.V.", "CAMHS", "bullies", "Though", "Travesty"), and
    not a lone word opening a sentence that no name list holds ("Punctual, reliable", "Stuffy room")."""
    from .ner_model import name_word

    span = text[s:e]
    words = span.split()
    if not words or len(words) > 4 or "\n" in span or "\r" in span or not any(name_word(w) for w in words):
        return False
    if len(words) == 1 and _sentence_initial(text, s):
        first, last = gazetteers()
        w = words[0].lower().removesuffix("'s").removesuffix("’s")
        return w in first or w in last
    return True


def _name_spans(text: str, names: Mapping[str, str | None]) -> list[tuple[int, int, str | None]]:
    """Where the known ``names`` (e.g. speakers' names, with their pseudonyms) occur in ``text``.

    A name of several words, or one that is not a common English word, matches in any case; a
    single common word ("Grace", "Hope") only capitalised and not at the start of a sentence.
    """
    common = common_words()
    found = []
    for name, pseudonym in names.items():
        name = str(name).strip()
        if not name:
            continue
        loose = " " in name or name.lower() not in common
        body = r"\s+".join(re.escape(w) for w in name.split())
        for m in re.finditer(rf"(?<![\w'’-]){body}(?![\w-])", text, re.I if loose else 0):
            if not loose and _sentence_initial(text, m.start()):
                continue
            found.append((m.start(), m.end(), pseudonym))
    chosen: list[tuple[int, int, str | None]] = []
    for sp in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0])):  # the longest name wins an overlap
        if all(sp[1] <= c[0] or sp[0] >= c[1] for c in chosen):
            chosen.append(sp)
    return chosen


def _with_names(text: str, spans: list[tuple[int, int, str, float]], names: Mapping[str, str | None]
                ) -> tuple[list[tuple[int, int, str, float]], dict[tuple[int, int], str]]:
    """Merge known-name spans into ``spans``; return the spans and the fixed placeholders of the named ones.

    A named span replaces the PERSON spans it covers; a structured identifier (phone, email ...)
    or a wider PERSON span that overlaps it wins, with its ordinary placeholder.
    """
    named = _name_spans(text, names)
    if not named:
        return spans, {}
    kept = []
    for sp in spans:
        over = [c for c in named if c[0] < sp[1] and sp[0] < c[1]]
        if sp[2] == "PERSON" and len(over) == 1 and over[0][0] <= sp[0] and sp[1] <= over[0][1]:
            continue  # the known name covers this one
        if over:
            named = [c for c in named if c not in over]
        kept.append(sp)
    fixed = {(s, e): ph for s, e, ph in named if ph}
    return sorted(kept + [(s, e, "PERSON", SCORE["deny"]) for s, e, _ph in named]), fixed


def _apply(text: str, spans, pseudonyms: bool, registry: dict, fixed: dict | None = None) -> Redaction:
    out, placeholders, pos = [], [], 0
    for s, e, label, _sc in spans:
        if fixed and (s, e) in fixed:
            ph = fixed[(s, e)]
        elif pseudonyms:
            key = (label, re.sub(r"\s+", " ", text[s:e].lower()))
            if key not in registry:
                registry[key] = f"[{label}_{1 + sum(1 for k in registry if k[0] == label)}]"
            ph = registry[key]
        else:
            ph = f"[{label}]"
        out.append(text[pos:s])
        out.append(ph)
        placeholders.append(ph)
        pos = e
    out.append(text[pos:])
    return Redaction("".join(out), [sp[:3] for sp in spans], placeholders, [sp[3] for sp in spans])


def redact(text: str | None, *, labels: Iterable[str] | None = None, allow: Iterable[str] = (),
           deny: Iterable[str] = (), pseudonyms: bool = False, options: Options | None = None,
           names: Mapping[str, str | None] | None = None, nlp=None, _registry: dict | None = None,
           name_model: bool | None = None) -> Redaction:
    """Redact identifiers from one text.

    Parameters
    ----------
    labels : which labels to redact (default: all of :data:`LABELS`).
    allow : extra words and phrases that must stay (added to :data:`DEFAULT_ALLOW`).
    deny : names that are always redacted (e.g. the hospital's staff list).
    pseudonyms : ``[PERSON_1]``, ``[PERSON_2]`` ... consistent within the call instead of ``[PERSON]``.
    names : known names and what replaces them, e.g. a transcript's speakers and their pseudonyms
        (``{"Margaret Okafor": "Participant 1", "Okafor": "Participant 1"}``); ``None`` as a
        replacement means an ordinary ``[PERSON]``. Used when ``PERSON`` is among the labels.
    nlp : optional spaCy pipeline with a trained NER (see :func:`find_scored`).
    name_model : add the statistical name recognizer's names (:mod:`.name_model`) where the rules found
        none (default :data:`NAME_MODEL_DEFAULT`; project.yaml ``deidentify: {name_model: false}``).

    ``None`` and non-strings are treated as empty text.

    >>> redact("Thanks to Dr Hughes and Dr Hughes's team", pseudonyms=True).text
    "Thanks to Dr [PERSON_1] and Dr [PERSON_1]'s team"
    >>> redact("I agree with Margaret, and okafor's point.", names={"Margaret": "Participant 1",
    ...                                                             "Okafor": "Participant 1"}).text
    "I agree with Participant 1, and Participant 1's point."
    """
    opts = options or Options.make(labels, allow, deny, pseudonyms, name_model=name_model)
    text = _as_text(text)
    found: list[str] = []
    spans = find_scored(text, opts, nlp, recognizers=found)
    return _redaction(text, spans, opts, names, {} if _registry is None else _registry, found)


def _as_text(value) -> str:
    """``None`` and NaN as empty text, other non-strings as their ``str``."""
    if isinstance(value, str):
        return value
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _redaction(text: str, spans, opts: Options, names, registry: dict, recognizers: Sequence[str] = ()) -> Redaction:
    """The :class:`Redaction` of ``text`` from its scored spans (known ``names`` first, then placeholders);
    ``recognizers``: the recognizer of each span (as :func:`find_scored` fills them)."""
    source = dict(zip(spans, recognizers))
    fixed = None
    if names and "PERSON" in opts.labels and text:
        spans, fixed = _with_names(text, spans, names)
    r = _apply(text, spans, opts.pseudonyms, registry, fixed)
    r.recognizers = [source.get(sp, "names") for sp in spans]
    return r


def scored_spans(texts: Sequence, opts: Options | None = None, nlp=None, *, batch_size: int = 256,
                 recognizers: list | None = None) -> list[list[tuple[int, int, str, float]]]:
    """:func:`find_scored` for every text, in one batched ``nlp.pipe`` pass through the de-identifier
    component (:class:`DeidentifyComponent`, whose exact character spans are ``doc._.pledge_pii``).

    ``nlp``: a pipeline with a trained ``ner`` adds its PERSON entities; it reads, in blocks of
    :data:`NER_BLOCK` texts, only the sentences that can hold a name its checks keep
    (:func:`~pledge_analysis.text.ner_model.person_entities`; a pipeline of patterns only reads whole texts, cut
    at sentence ends into pieces of :data:`~pledge_analysis.text.nlp.CHUNK_CHARS`), and the rules run on the
    text alone. Without ``nlp``, a bare tokenizer, private to the package, feeds the de-identifier component,
    so a text is only cut beyond spaCy's ``max_length``. Either way the result for each text
    equals ``find_scored(text, opts, nlp)``; the pipeline given is used, never changed. ``recognizers``: a
    list to fill with one list per text, the recognizer of each of its spans (``doc._.pledge_pii_recognizers``).
    """
    from .nlp import pipe_chunked, tokenizer_only

    opts = opts or Options()
    if nlp is not None and "PERSON" in opts.labels:
        return _scored_with_ner(texts, opts, nlp, batch_size, recognizers)
    pipeline = tokenizer_only()  # no NER, or no PERSON to find (the NER would read for nothing)
    component = DeidentifyComponent(pipeline, options=opts)
    out: list[list] = [[] for _ in texts]
    found: list[list] = [[] for _ in texts]
    limit = pipeline.max_length
    for i, offset, doc in pipe_chunked(pipeline, [_as_text(t) for t in texts], batch_size=batch_size, limit=limit):
        doc = component(doc)
        out[i].extend((s + offset, e + offset, label, sc) for s, e, label, sc in doc._.pledge_pii)
        found[i].extend(doc._.pledge_pii_recognizers)
    if recognizers is not None:
        recognizers.extend(found)
    return out


#: Texts read by a trained NER at a time in :func:`scored_spans` (its pieces are held in memory together).
NER_BLOCK = 4096


def _scored_with_ner(texts: Sequence, opts: Options, nlp, batch_size: int, recognizers: list | None):
    """:func:`scored_spans` with a pipeline that finds PERSON entities: blocks of :data:`NER_BLOCK` texts, each
    read by the NER in one ``nlp.pipe`` (only the sentences that can hold a name it keeps, for a trained ``ner``:
    :func:`~pledge_analysis.text.ner_model.person_entities`), then :func:`find_scored` with those entities."""
    from .ner_model import person_entities

    checks = _trained_ner(nlp)
    first, _last = gazetteers()
    texts = [_as_text(t) for t in texts]
    out: list[list] = []
    for b in range(0, len(texts), NER_BLOCK):
        block = texts[b:b + NER_BLOCK]
        cased = [truecase(t, common_words(), ACRONYMS, first) or t for t in block]
        entities = person_entities(nlp, block, checks=checks and NER_CHECKS, cased=cased, batch_size=batch_size)
        for text, ents in zip(block, entities):
            found: list[str] = []
            out.append(find_scored(text, opts, entities=ents, checks=checks, recognizers=found))
            if recognizers is not None:
                recognizers.append(found)
    return out


def _masked_context(redacted: str, placeholder_pos: int, placeholder: str, width: int = 30) -> str:
    a = max(0, placeholder_pos - width)
    b = min(len(redacted), placeholder_pos + len(placeholder) + width)
    return ("…" if a else "") + redacted[a:b] + ("…" if b < len(redacted) else "")


def redact_frame(df: pd.DataFrame, column: str = "text", *, id_column: str | None = "segment_id",
                 source_column: str | None = "source_id", show_values: bool = False,
                 labels=None, allow=(), deny=(), pseudonyms: bool = False,
                 progress: bool = False, names: Mapping[str, Mapping[str, str | None]] | None = None,
                 registries: dict | None = None, nlp=None, name_model: bool | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Redact a whole column; return ``(redacted_df, review)``.

    ``review`` has one row per redaction (:data:`REVIEW_COLUMNS`): ``row`` (the id column, or the
    index), ``source`` (the source column's value, or None), ``label``, ``placeholder``, ``start``,
    ``end`` (in the original text), ``confidence`` (the recognizer's, 0-1, :data:`SCORE`; ``score`` in
    earlier releases; list the least certain with :func:`least_certain`) and ``context`` (a snippet of the *redacted* text
    around the placeholder). The original value is included as ``value`` only with ``show_values=True``. With ``pseudonyms=True`` numbering is consistent within each
    source (``source_column``); pass the same ``registries`` dict to several calls to keep it
    consistent across tables. ``names`` gives, per source, known names and their replacements
    (see :func:`redact`). The texts go through spaCy in batches (:func:`scored_spans`: ``nlp.pipe`` and
    the ``pledge_deidentify`` component); ``nlp``, a pipeline with a trained ``ner``, adds its PERSON
    entities. Each text's result is what :func:`redact` gives it.
    """
    from ..errors import MissingColumnError

    if column not in df.columns:
        raise MissingColumnError(f"table has no column {column!r} to redact (columns: {list(df.columns)})",
                                 hint="Pass column= naming the text column.")
    opts = Options.make(labels, allow, deny, pseudonyms, name_model=name_model)
    ids = df[id_column].tolist() if id_column and id_column in df.columns else df.index.tolist()
    sources = df[source_column].tolist() if source_column and source_column in df.columns else [None] * len(df)
    registries = {} if registries is None else registries
    names = names or {}
    new_texts, review = [], []
    texts = df[column].tolist()
    by_text: list[list[str]] = []
    found = scored_spans(texts, opts, nlp, recognizers=by_text)
    iterator = zip(ids, sources, texts, found, by_text)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=len(df), desc="de-identifying", unit="text")
    for rid, src, text, spans, recognizers in iterator:
        r = _redaction(_as_text(text), spans, opts, names.get(src), registries.setdefault(src, {}), recognizers)
        new_texts.append(r.text if isinstance(text, str) else text)
        if r.spans:
            # placeholder positions in the redacted text
            offset = 0
            for (s, e, label), ph, sc, how in zip(r.spans, r.placeholders, r.scores, r.recognizers):
                pos = s + offset
                row = {"row": rid, "source": src, "label": label, "placeholder": ph, "start": s, "end": e,
                       "confidence": sc, "context": _masked_context(r.text, pos, ph), "recognizer": how}
                if show_values:
                    row["value"] = text[s:e]
                review.append(row)
                offset += len(ph) - (e - s)
    out = df.copy()
    out[column] = new_texts
    cols = list(REVIEW_COLUMNS) + (["value"] if show_values else [])
    return out, pd.DataFrame(review, columns=cols)


#: Columns of the review table of :func:`redact_frame` (``deidentify_tables`` adds ``table``): the
#: ``redactions`` contract, :data:`pledge_analysis.schema.REDACTIONS`.
REVIEW_COLUMNS = schema.REDACTIONS


def least_certain(review: pd.DataFrame, n: int = 20, *, below: float | None = None) -> pd.DataFrame:
    """The ``n`` redactions a reviewer should check first: lowest ``confidence`` first (ties in table order).

    ``below``: keep only confidences under this value (e.g. ``0.7``: names found by weak context alone).
    A ``redactions.csv`` of an earlier release (``score`` for ``confidence``) is read with a FutureWarning.

    >>> _, review = redact_frame(pd.DataFrame({"text": ["Dr Hughes rang 07700 900461", "honestly olga krylova"]}))
    >>> least_certain(review, 2)[["row", "label", "confidence"]].to_dict("records")
    [{'row': 1, 'label': 'PERSON', 'confidence': 0.55}, {'row': 0, 'label': 'PHONE', 'confidence': 0.8}]
    """
    from ..errors import MissingColumnError

    review = schema.rename_legacy(review, "redactions")
    if "confidence" not in review.columns:
        raise MissingColumnError("the review table has no 'confidence' column", table="redactions",
                                 missing=["confidence"],
                                 hint="Pass the review table returned by redact_frame or deidentify_tables.")
    out = review if below is None else review[review["confidence"] < below]
    return out.sort_values("confidence", kind="stable").head(n)


def counts_by_source(review: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Redactions per source and label, ``{source: {label: n}}`` (for the run log and the review)."""
    if not len(review):
        return {}
    src = review["source"].fillna("(none)").astype(str) if "source" in review.columns else \
        pd.Series("(none)", index=review.index)
    grouped = review.assign(_src=src).groupby(["_src", "label"]).size()
    out: dict[str, dict[str, int]] = {}
    for (s, label), k in grouped.items():
        out.setdefault(s, {})[label] = int(k)
    return out


def deidentify_tables(segments: pd.DataFrame, set_aside: pd.DataFrame | None = None, *, labels=None, allow=(),
                      deny=(), pseudonyms: bool = False, progress: bool = False, nlp=None,
                      name_model: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame]:
    """De-identify everything text-like that a run has read, before anything is stored or written.

    1. control characters that XML (so XLSX, DOCX, REFI-QDA) cannot hold become spaces;
    2. transcript speaker labels become a consistent pseudonym per speaker within its source
       (:mod:`pledge_analysis.text.speakers`), in ``speaker``, ``respondent_id`` and set-aside rows;
    3. segment ``text`` is redacted, the speakers' names in it becoming their pseudonyms;
    4. every set-aside ``value`` (an out-of-range answer can hold a phone number) is redacted.

    Returns ``(segments, set_aside, review)``; ``review`` is :func:`redact_frame`'s table for all of
    it, with ``table`` saying where each redaction was (``segments``, ``speakers``, ``set_aside``).
    Speaker rows give the source in ``row`` and the pseudonym as ``placeholder``. Texts go through spaCy
    in batches (:func:`redact_frame`); ``nlp``, a pipeline with a trained ``ner``, adds its PERSON entities.
    """
    from ..io.safe import clean_text
    from .speakers import apply_speaker_pseudonyms, mention_names, speaker_pseudonyms

    opts = Options.make(labels, allow, deny, pseudonyms, name_model=name_model)
    segments = segments.copy()
    for col in ("text", "speaker"):
        if col in segments.columns:
            segments[col] = segments[col].map(clean_text)
    mapping = speaker_pseudonyms(segments, set_aside) if "PERSON" in opts.labels else {}
    segments, set_aside = apply_speaker_pseudonyms(segments, set_aside, mapping)
    registries: dict = {}
    kw = dict(labels=sorted(opts.labels), allow=allow, deny=deny, pseudonyms=pseudonyms, name_model=opts.name_model)
    segments, review = redact_frame(segments, "text", progress=progress, registries=registries,
                                    names=mention_names(mapping, titles=TITLES), nlp=nlp, **kw)
    parts = [review.assign(table="segments")]
    parts.append(pd.DataFrame([{"row": src, "source": src, "label": "PERSON", "placeholder": ph, "start": None,
                                "end": None, "confidence": 1.0, "context": "speaker label", "recognizer": "names",
                                "table": "speakers"}
                               for src, labels_ in mapping.items() for ph in labels_.values()],
                              columns=list(review.columns) + ["table"]))
    if set_aside is not None and len(set_aside) and "value" in set_aside.columns:
        aside = set_aside.copy()
        aside["value"] = aside["value"].map(clean_text)
        where = [f"{src}, row {r}" + (f", column {c!r}" if isinstance(c, str) and c else "")
                 for src, r, c in zip(aside["source_id"], aside.get("row", [None] * len(aside)),
                                      aside.get("column", [None] * len(aside)))]
        redacted, aside_review = redact_frame(aside.assign(_where=where), "value", id_column="_where",
                                              registries=registries, nlp=nlp, **kw)
        set_aside = redacted.drop(columns="_where")
        parts.append(aside_review.assign(table="set_aside"))
    review = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else parts[0]
    for col in ("start", "end"):
        review[col] = review[col].astype("Int64")
    return segments, set_aside, review


# ---------------------------------------------------------------------------- spaCy component
COMPONENT = "pledge_deidentify"
COMPONENT_VERSION = 1


class DeidentifyComponent:
    """spaCy component: identifiers as ``doc.spans["pledge_pii"]`` (labels as span labels, widened to whole
    tokens) and, exactly as found, as ``doc._.pledge_pii``: ``(start_char, end_char, label, score)``.

    >>> from pledge_analysis.text.nlp import build_nlp
    >>> nlp = build_nlp(prefer_trained=False)
    >>> _ = add_deidentifier(nlp)
    >>> doc = nlp("Ring Sister Okafor on 07700 900461")
    >>> [(s.text, s.label_) for s in doc.spans["pledge_pii"]]
    [('Okafor', 'PERSON'), ('07700 900461', 'PHONE')]
    """

    def __init__(self, nlp, name: str = COMPONENT, labels=None, allow=(), deny=(), use_entities: bool = True, *,
                 options: Options | None = None):
        from . import components  # noqa: F401  (registers doc._.pledge_pii)

        self.name = name
        self.options = options or Options.make(labels, allow, deny)
        self.use_entities = use_entities
        self.checks = _trained_ner(nlp)

    def __call__(self, doc):
        # a trained NER model's PERSON entities are added (find_scored reads them from the doc)
        found: list[str] = []
        spans = find_scored(doc.text, self.options, doc=doc if self.use_entities else None, recognizers=found,
                            checks=self.checks)
        doc._.pledge_pii = spans
        doc._.pledge_pii_recognizers = found
        out, scores = [], []
        for s, e, label, sc in spans:
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is not None:
                out.append(span)
                scores.append(sc)
        doc.spans["pledge_pii"] = out
        doc.spans["pledge_pii"].attrs["scores"] = scores
        return doc


def add_deidentifier(nlp, **options):
    """Add the ``pledge_deidentify`` component to ``nlp`` (factory ``pledge_deidentify_v1``, registered in
    :mod:`pledge_analysis.text.components`)."""
    from . import components

    return nlp.add_pipe(components.DEIDENTIFY_FACTORY, name=COMPONENT,
                        config={k: list(v) if isinstance(v, tuple) else v for k, v in options.items()})
