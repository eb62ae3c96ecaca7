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
  cues ("my nurse X", "X was lovely", "thanks to X"); and the user's deny-list; more shapes in
  :mod:`.name_shapes` (lower case, particles, capitals, initials) and :mod:`.name_cues` ("Dr M",
  "F Grigoryan", an unknown word in a slot only a person fills, text written in capitals).

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

from ..errors import ConfigError
from .name_cues import ACRONYMS, DRUG_STEMS, cue_person_spans, truecase
from .name_shapes import _CONTRACTION, LOOK, extra_person_spans
from .names import common_words, gazetteers

LABELS = ("PERSON", "PHONE", "EMAIL", "NHS_NUMBER", "POSTCODE", "ADDRESS", "DATE", "URL", "ID")
#: Higher wins when two recognizers claim overlapping text.
PRIORITY = {"EMAIL": 9, "URL": 8, "NHS_NUMBER": 7, "PHONE": 6, "POSTCODE": 5, "ADDRESS": 4, "ID": 3, "DATE": 2, "PERSON": 1}

#: Confidence of each recognizer (0-1): a reviewer lists the least certain redactions first
#: (:func:`least_certain`). PHONE scores come from :mod:`.phones`; a known name passed as
#: ``names=`` or ``deny=`` scores 1.
SCORE = {
    "EMAIL": 0.99, "URL": 0.9, "NHS_NUMBER": 0.99, "NHS_NUMBER_NO_CUE": 0.85, "POSTCODE": 0.9, "ADDRESS": 0.8,
    "ID_CUE": 0.9, "ID": 0.7, "DATE": 0.85,
    "deny": 1.0, "title": 0.95, "first_surname": 0.9, "initials_surname": 0.85, "middle_initial": 0.85,
    "first_name": 0.8, "speech": 0.75, "cue": 0.7, "capitalised_pair": 0.65, "apposition": 0.6,
    "lower_case_pair": 0.55, "ner": 0.7,
}

#: Words and services that must never be redacted (extend with ``allow=``).
DEFAULT_ALLOW = (
    "Breast Care Nurse", "Clinical Nurse Specialist", "Macmillan", "Maggie's", "Maggies", "Open Access",
    "Breast Cancer Now", "Breast Cancer Care", "Cancer Research UK", "Marie Curie", "NHS", "GP", "CNS",
    # services and places named after people
    "Sue Ryder", "Linda McCartney", "Royal Marsden", "The Christie", "Penny Brohn", "Haven", "Mount Vernon",
    "Addenbrooke's", "Guy's", "St Thomas'", "Bart's", "Barts", "Clatterbridge", "Velindre", "Weston Park",
    "Herceptin", "Tamoxifen", "Letrozole", "Anastrozole", "Exemestane", "Zoladex", "Trastuzumab",
    "Pertuzumab", "Docetaxel", "Paclitaxel", "Capecitabine", "Palbociclib", "Ribociclib", "Abemaciclib",
    "Denosumab", "Zoledronic", "Kadcyla", "Phesgo", "Enhertu", "Covid", "Christmas", "Easter",
    "Marie Currie", "Red Cross", "Admiral Nurse", "Tai Chi", "Thai Chi", "Pilates", "Zumba", "Reiki",
    "Ramadan", "Eid", "Diwali", "Hanukkah", "Passover", "Vaisakhi", "Holi", "Lent", "Advent", "Yom Kippur",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "God", "Lord", "Corona", "Coronavirus",
    # medicines from the chemist that are also names ("Senna")
    "Senna", "Movicol", "Lactulose", "Gaviscon", "Calpol", "Piriton", "Oramorph", "Zomorph", "Paracetamol",
    "Ibuprofen", "Codeine", "Co-codamol", "Imodium", "Buscopan", "Fybogel", "Difflam",
)
TITLES = frozenset({"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "nurse", "sister", "matron", "prof",
                    "professor", "sr", "dame", "sir"})
ROLE_WORDS = ("nurse", "doctor", "surgeon", "consultant", "oncologist", "radiographer", "radiologist",
              "physio", "physiotherapist", "counsellor", "receptionist", "cns", "specialist nurse",
              "breast care nurse", "registrar", "secretary", "volunteer", "therapist", "key worker")
PRAISE = ("lovely", "wonderful", "amazing", "brilliant", "fantastic", "great", "fab", "fabulous", "kind",
          "so kind", "helpful", "excellent", "superb", "outstanding", "rude", "dismissive", "unhelpful",
          "an angel", "a star", "a godsend", "incredible", "marvellous", "caring", "fantastic")

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
#: A word of letters (any script), with inner apostrophes or hyphens; never part of "CF10" or "x2".
_TOKEN = re.compile(r"(?<![\w'’-])[^\W\d_](?:(?:[^\W\d_]|['’-])*[^\W\d_])?(?!\w)")
#: A journey before "from X" / "to X" makes X a place ("moved from Milton Keynes to Stoke Mandeville").
_MOVEMENT = re.compile(r"\b(?:moved?|came|come|drove|drive|driven|travell?ed|travel|transferred|went|go|going|"
                       r"journey|trip|commute|relocated|visits?|visited|visiting)\b(?:\s+[^\W\d_]+){0,3}\s+(?:from|to)\s+$"
                       r"|\bfrom\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+to\s+$", re.I)
_PLACE_PREPOSITIONS = frozenset({"from", "in", "at", "near", "via", "outside", "into", "towards", "around"})
_DOB = re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|born on)\b", re.I)


@dataclass
class Redaction:
    """The result of :func:`redact`: the redacted text and the spans found in the original."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    #: one confidence per span (:data:`SCORE`), for reviewing the least certain redactions
    scores: list[float] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(Counter(label for _s, _e, label in self.spans))


@dataclass(frozen=True)
class Options:
    labels: frozenset[str] = frozenset(LABELS)
    allow: tuple[str, ...] = DEFAULT_ALLOW
    deny: tuple[str, ...] = ()
    pseudonyms: bool = False

    @classmethod
    def make(cls, labels=None, allow=(), deny=(), pseudonyms=False, replace_default_allow=False) -> "Options":
        labels = frozenset(labels or LABELS)
        unknown = labels - set(LABELS)
        if unknown:
            raise ConfigError(f"unknown redaction label(s) {sorted(unknown)}; choose from {list(LABELS)}.")
        allow = tuple(allow or ()) if replace_default_allow else DEFAULT_ALLOW + tuple(allow or ())
        return cls(labels, allow, tuple(d for d in deny or () if d and d.strip()), bool(pseudonyms))


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


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def _is_cap(word: str) -> bool:
    """Capitalised like a name: "Jane", "McAllister" or "O'Neil", not an acronym ("CPN", "TIWs"), "I" or "I've"."""
    return word[0].isupper() and not (len(word) > 1 and (word.isupper() or word[1].isupper())) \
        and word != "I" and not word.lower().startswith(("i'", "i’"))


def _gap_ok(text: str, a_end: int, b_start: int, allow_dot: bool = False) -> bool:
    gap = text[a_end:b_start]
    return gap.strip() == "" or (allow_dot and gap.strip() == ".")


@lru_cache(maxsize=1)
def _cues():
    """The context-cue patterns of :func:`_person_spans`, compiled once."""
    role = "|".join(re.escape(r) for r in ROLE_WORDS)
    praise = "|".join(re.escape(p) for p in PRAISE)
    cue_before = re.compile(
        rf"\b(?:(?:my|our|the|a|her|his)\s+(?:{role})(?:\s+(?:called|named))?|(?:called|named)|thanks?\s+(?:you\s+)?to"
        rf"|thank(?:\s+you)?|ask(?:ed)?\s+for|spoke\s+to|(?:{role})\s+(?:called|named))\s+(?P<name>[^\W\d_][\w'’-]*)", re.I)
    cue_after = re.compile(rf"\b(?P<name>[A-ZÀ-Þ][\w'’-]+)\s+(?:was|is|has\s+been|were)\s+(?:so\s+|very\s+|really\s+|just\s+)?(?:{praise})\b")
    verbs = ("phoned|rang|called|said|told|explained|sorted|helped|came|took|held|made|listened|visited|"
             "arranged|organised|organized|who|has|had|will|would|always|never|did|went|gave|showed|looked")
    cue_verb = re.compile(rf"\b(?P<name>[A-ZÀ-Þ][\w'’-]+)\s+(?:{verbs})\b")
    cue_apposition = re.compile(rf"\b(?P<name>[A-ZÀ-Þ][\w'’-]+),\s+(?:the|my|our|a)\s+(?:{role})\b"
                                rf"|\b(?:{role})\s+\((?P<name2>[A-ZÀ-Þ][\w'’-]+)\)"
                                rf"|\b[Ii]t\s+was\s+(?P<name3>[A-ZÀ-Þ][\w'’-]+)\s+who\b")
    cue_place = re.compile(r"\b(?P<name>[A-ZÀ-Þ][\w'’-]+)\s+(?:from|on|at|in)\s+(?:the\s+)?(?:support\s+group|"
                           r"breast\s+unit|ward|clinic|team|reception|hospice|unit|chemo\s+suite|helpline|shift|duty|nights)\b")
    return cue_before, cue_after, cue_verb, cue_apposition, cue_place


def _person_spans(text: str, opts: Options) -> list[tuple[int, int, str]]:
    first, last = gazetteers()
    common = common_words()
    toks = _tokens(text)
    spans: list[tuple[int, int, str]] = []
    lower = [w.lower().replace("’", "'") for _s, _e, w in toks]

    def namelike(i: int, *, strict_case: bool = True) -> bool:
        w, lw = toks[i][2], lower[i]
        if lw in TITLES:
            return False
        if _is_cap(w):
            return lw not in common or lw in first or lw in last
        if strict_case:
            return False
        return (lw in first or lw in last) and lw not in common

    n = len(toks)
    i = 0
    while i < n:
        s, e, w = toks[i]
        lw = lower[i]
        # 1. title + name(s)
        if lw in TITLES and i + 1 < n and _gap_ok(text, e, toks[i + 1][0], allow_dot=True):
            title_cap = _is_cap(w)
            j = i + 1
            if namelike(j, strict_case=title_cap or lw in ("nurse", "sister", "doctor")) or (
                    not title_cap and lower[j] in last and lower[j] not in common):
                k = j
                while k + 1 < n and k - j < 2 and _gap_ok(text, toks[k][1], toks[k + 1][0]) and \
                        _is_cap(toks[k + 1][2]) and namelike(k + 1):
                    k += 1
                spans.append((toks[j][0], toks[k][1], "PERSON", SCORE["title"]))
                i = k + 1
                continue
        # 2. known first name + capitalised surname
        if _is_cap(w) and lw in first and i + 1 < n and _gap_ok(text, e, toks[i + 1][0]) and \
                _is_cap(toks[i + 1][2]) and lower[i + 1] not in TITLES and \
                (lower[i + 1] in last or lower[i + 1] not in common):
            spans.append((s, toks[i + 1][1], "PERSON", SCORE["first_surname"]))
            i += 2
            continue
        # 2b. an unknown capitalised word followed by a known surname ("Mei Chen")
        if _is_cap(w) and lw not in common and lw not in TITLES and i + 1 < n and \
                _gap_ok(text, e, toks[i + 1][0]) and _is_cap(toks[i + 1][2]) and \
                lower[i + 1] in last and lower[i + 1] not in common:
            spans.append((s, toks[i + 1][1], "PERSON", SCORE["first_surname"]))
            i += 2
            continue
        # 2c. two adjacent capitalised words that are neither common words nor titles ("Bartosz Oyelaran"),
        # unless a preposition of place comes before ("from Milton Keynes", "in Stoke Mandeville")
        if _is_cap(w) and lw not in common and lw not in TITLES and i + 1 < n and \
                not (i and lower[i - 1] in _PLACE_PREPOSITIONS) and \
                _gap_ok(text, e, toks[i + 1][0]) and _is_cap(toks[i + 1][2]) and \
                lower[i + 1] not in common and lower[i + 1] not in TITLES:
            spans.append((s, toks[i + 1][1], "PERSON", SCORE["capitalised_pair"]))
            i += 2
            continue
        # 3. a known first name that is not also a common word (possessive or not: "Oksana's house")
        lw_bare = lw[:-2] if lw.endswith("'s") else lw
        if _is_cap(w) and lw_bare in first and lw_bare not in common:
            spans.append((s, e, "PERSON", SCORE["first_name"]))
        i += 1
    # 4. context cues: "my nurse X", "called X", "thanks to X", "X was lovely" (patterns in _cues())
    cue_before, cue_after, cue_verb, cue_apposition, cue_place = _cues()
    matches = list(cue_before.finditer(text)) + list(cue_after.finditer(text)) + list(cue_place.finditer(text))
    for m in cue_verb.finditer(text):  # "When Winifred phoned": not at the start of a sentence
        ln = m.group("name").lower()
        if not _sentence_initial(text, m.start("name")) or (ln in first and ln not in common):
            matches.append(m)
    for m in cue_apposition.finditer(text):
        matches.append(m)
    for m in matches:
        group = next(g for g in ("name", "name2", "name3") if g in m.re.groupindex and m.group(g))
        name = m.group(group)
        ln = name.lower()
        if (ln in common and ln not in first) or ln.endswith(DRUG_STEMS):  # "Olaparib made me sick"
            continue
        if ln in TITLES or ln in ("you", "them", "him", "her", "me", "us", "everyone", "all") \
                or (name.isupper() and len(name) > 1) or ln.startswith(("i'", "i’")):
            continue
        if not _is_cap(name) and (ln in common or "'" in ln or "’" in ln or not m.group(0).lower().startswith(
                ("my ", "our ", "her ", "his "))):
            continue  # lower-case words count as names only after "my nurse ..." style cues, never common words
        s, e = m.span(group)
        # extend over a following capitalised surname
        nxt = re.match(r"\s+([A-ZÀ-Þ][\w'’-]+)", text[e:e + LOOK])
        if nxt and (nxt.group(1).lower() in last or nxt.group(1).lower() not in common):
            e += nxt.end()
        base = max(0, s - LOOK)
        prev = re.search(r"([A-ZÀ-Þ][\w'’-]+)\s+$", text[base:s])
        if prev and prev.group(1).lower() not in common and prev.group(1).lower() not in TITLES:
            s = base + prev.start(1)
        spans.append((s, e, "PERSON", SCORE["cue"]))
    spans += _more_person_spans(text, toks, lower, first, last, common)
    spans += extra_person_spans(text, spans, first, last, common, NOT_NAMES, TITLES)
    spans += cue_person_spans(text, spans, first, last, common, NOT_NAMES, TITLES)
    # names joined by "and" to a name found above: "Thanks to Ngozi and Temitope"
    for s0, e0, _lab, sc in list(spans):
        m = re.match(r"\s+(?:and|&)\s+([A-ZÀ-Þ][\w'’-]+)", text[e0:e0 + LOOK])
        if m and m.group(1).lower() not in common and m.group(1).lower() not in TITLES and \
                not (len(m.group(1)) > 1 and m.group(1).isupper()):  # "Lisa and TTI Tina": an acronym
            spans.append((e0 + m.start(1), e0 + m.end(1), "PERSON", min(sc, SCORE["cue"])))
    # a possessive is not part of the name: "Dr Hughes's team" -> "Hughes"
    return [(s, e - 2, lab, sc) if text[s:e].lower().endswith(("'s", "’s")) and e - s > 3 else (s, e, lab, sc)
            for s, e, lab, sc in spans]


_NAME = r"[A-ZÀ-ÞĀ-Ž][\w'’-]*[^\W\d_]"
#: "H. Bamgbose", "L.J. Zhang", "S.C. Woldemariam": initials, then a surname.
_INITIALS = re.compile(rf"(?<![\w.])(?:[A-Z]\.\s?){{1,3}}(?P<sur>{_NAME}(?:-{_NAME})?)")
#: "Tom I. Holzman", "Xiaoling M Nwachukwu": a name, a middle initial, a surname.
_MIDDLE = re.compile(rf"(?<![\w'’-])(?P<first>{_NAME})\s+(?P<mid>[A-Z])(?P<dot>\.?)\s+(?P<sur>{_NAME})")
SPEECH_VERBS = ("says", "said", "explains", "explained", "adds", "added", "wrote", "writes", "asked", "asks",
                "replied", "replies", "commented", "insists", "insisted", "recalls", "recalled", "admits",
                "admitted", "told us", "told me", "tells us", "tells me", "according to", "mentioned",
                "mentions", "reckons", "reckoned", "promised", "suggested", "warned", "reassured", "confirmed",
                "kept saying", "keeps saying")
_SPEECH_ANY = "|".join(v.replace(" ", r"\s+") for v in SPEECH_VERBS)
_SPEECH_ONE = "|".join(v for v in SPEECH_VERBS if " " not in v)
_SPEECH_BEFORE = re.compile(rf"\b(?:{_SPEECH_ANY})\s+(?P<name>{_NAME})")
_SPEECH_AFTER = re.compile(rf"(?<![\w'’-])(?P<name>{_NAME})\s+(?:{_SPEECH_ONE})\b")
#: Object cues: "I cannot praise X", "meeting X", "on behalf of my mother, X", "shout out to X".
FAMILY = ("mother", "mum", "mam", "father", "dad", "husband", "wife", "partner", "son", "daughter", "sister",
          "brother", "friend", "aunt", "uncle", "niece", "nephew", "gran", "grandma", "grandad", "sister-in-law",
          "brother-in-law", "mother-in-law", "father-in-law", "neighbour", "carer")
_FAMILY = "|".join(FAMILY)
_OBJECT_CUE = re.compile(
    rf"\b(?i:praise|praised|meet|meeting|met|shout\s*out\s+to|seen\s+by|looked\s+after\s+by|treated\s+by|"
    rf"cared\s+for\s+by|speak\s+to|speaking\s+to|talk\s+to|talked\s+to|(?:my|our|her|his)\s+(?:{_FAMILY}),?|"
    rf"thanks|cheers|ta|tell|told|ask\s+for|big\s+up|love\s+to|said\s+to|(?:gave|give)\s+(?:her|his)\s+name\s+as)"
    rf"\s+(?P<name>{_NAME})")
#: "my friend ruairidh": a lower-case word after a family or friend cue.
_FAMILY_LOWER = re.compile(rf"\b(?:my|our|her|his)\s+(?:{_FAMILY}),?\s+(?P<name>[^\W\d_][\w'’-]*[^\W\d_])", re.I)
#: ", Haruki, was": a single unknown capitalised word between commas.
_APPOSITION = re.compile(rf",\s+(?P<name>{_NAME}),\s")


def _more_person_spans(text, toks, lower, first, last, common) -> list[tuple[int, int, str, float]]:
    """Names in shapes the first rules miss: initials, middle initials, speech verbs, object cues,
    appositions, and lower-case first name + surname pairs ("olga krylova's")."""
    from .names import known_word, rare_word

    out = []

    def namelike(word: str) -> bool:
        lw = word.lower().replace("’", "'")
        lw = lw[:-2] if lw.endswith("'s") else lw
        return _is_cap(word) and lw not in TITLES and (lw not in common or lw in last or lw in first) \
            and not _CONTRACTION.search(lw)

    def strict(word: str) -> bool:  # a single word on weak evidence: not a common English word at all
        lw = word.lower().replace("’", "'")
        lw = lw[:-2] if lw.endswith("'s") else lw
        return lw not in TITLES and lw not in common and not lw.startswith("i'") and not (
            len(word) > 1 and (word.isupper() or word[1].isupper())) and not _CONTRACTION.search(lw)

    for m in _INITIALS.finditer(text):
        if namelike(m.group("sur")) and m.group(0)[:2] not in ("I.",):
            out.append((m.start(), m.end(), "PERSON", SCORE["initials_surname"]))
    for m in _MIDDLE.finditer(text):
        f, sur = m.group("first"), m.group("sur")
        if (m.group("mid") != "I" or m.group("dot")) and m.group("mid") != "A" and namelike(f) and namelike(sur) \
                and not (_sentence_initial(text, m.start()) and not strict(f)):
            out.append((m.start(), m.end(), "PERSON", SCORE["middle_initial"]))
    for m in _FAMILY_LOWER.finditer(text):
        nm = m.group("name")
        if nm.islower() and strict(nm) and (nm in first or rare_word(nm)) and "'" not in nm and "’" not in nm:
            a, b = m.span("name")
            nxt = re.match(r"\s+([^\W\d_][\w'’-]*[^\W\d_])", text[b:b + LOOK])  # "my friend jaspreet sivakumar"
            if nxt and nxt.group(1).islower() and strict(nxt.group(1)) and (nxt.group(1) in last or rare_word(nxt.group(1))):
                b += nxt.end()
            out.append((a, b, "PERSON", SCORE["cue"]))
    for rx, key in ((_SPEECH_BEFORE, "speech"), (_SPEECH_AFTER, "speech"), (_OBJECT_CUE, "cue"),
                    (_APPOSITION, "apposition")):
        for m in rx.finditer(text):
            name = m.group("name")
            if rx is _SPEECH_AFTER and _sentence_initial(text, m.start("name")) and not strict(name):
                continue
            if (strict(name) if key == "apposition" else namelike(name)) and name.lower() not in TITLES:
                a, b = m.span("name")
                nxt = re.match(rf"\s+({_NAME})", text[b:b + LOOK])
                if nxt and key != "apposition" and namelike(nxt.group(1)) and strict(nxt.group(1)):
                    b += nxt.end()
                out.append((a, b, "PERSON", SCORE[key]))
    # lower case: a known first name that is not a common word, then a word that is not common
    for i in range(len(toks) - 1):
        w, nw = toks[i][2], toks[i + 1][2]
        if not (w.islower() and nw.islower()) or text[toks[i][1]:toks[i + 1][0]] != " ":
            continue
        lw, ln = lower[i], lower[i + 1]
        ln = ln[:-2] if ln.endswith("'s") else ln
        if lw not in common and ln not in common and lw not in TITLES and "'" not in lw \
                and lw not in NOT_NAMES and ln not in NOT_NAMES \
                and (lw in first or not known_word(lw) or (rare_word(lw) and ln in last)) \
                and (ln in last or not known_word(ln) or (rare_word(ln) and lw in first)):
            out.append((toks[i][0], toks[i + 1][1], "PERSON", SCORE["lower_case_pair"]))
    return out


#: Words that are never (part of) a person's name: job titles, services and the nouns of places
#: named after people ("Cherry Ward", "Park House", "George Eliot Hospital").
NOT_NAMES = frozenset(
    {w for r in ROLE_WORDS for w in r.split()} | {
        "cpn", "hca", "gp", "physio", "physiotherapy", "pharmacy", "pharmacist", "psychologist", "psychiatrist",
        "podiatrist", "podiatric", "podiatry", "visitor", "caller", "lady", "gentleman", "co-ordinator",
        "coordinator", "manager", "worker", "consultation", "hospitality", "reception", "chemo", "radiotherapy",
        "oncology", "staff", "team", "matron", "sister", "nurse", "dr", "drs", "my", "the", "our", "rehab",
        "aftercare", "palliative", "hca", "hcas", "x-ray", "xray",
        # NHS job titles (third round): "The Specialty Registrar", "an Advanced Nurse Practitioner"
        "specialty", "associate", "practitioner", "physician", "phlebotomist", "phlebotomy", "mammographer",
        "sonographer", "dietitian", "dietician", "healthcare", "assistant", "advanced", "consultants", "sho"})
#: Nouns after which a capitalised word names a team, service, award or role, not a person ("the Hart Team",
#: "Daisy award", "Admiral Nurse" is allow-listed); only a title ("Dr Hart") overrides them.
SERVICE_NOUNS = frozenset({"team", "teams", "award", "awards", "service", "services", "support", "community",
                           "visitor", "visitors", "programme", "program", "project", "network", "partnership", "pts",
                           "appeal", "fund", "scheme", "initiative"})
#: Words that may open a span by accident and are dropped from its edge ("Love Claire", "An X-ray").
_EDGE_WORDS = frozenset({"love", "dear", "hi", "hello", "thanks", "cheers", "an", "a", "the", "from", "with"})
PLACE_NOUNS = frozenset({
    "ward", "hospital", "house", "centre", "center", "clinic", "unit", "grange", "lodge", "court", "surgery",
    "practice", "road", "street", "lane", "avenue", "palace", "city", "trust", "group", "hall", "park", "school",
    "college", "hospice", "infirmary", "suite", "wing", "building", "campus", "site", "village", "town",
    "county", "university", "foundation", "charity", "society"})
_MONTH_WORDS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                          "january", "february", "march", "april", "june", "july", "august", "september", "october",
                          "november", "december"})
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _plausible(text: str, sp):
    """A PERSON span without role words at its edges ("CPN Matt" -> "Matt"), or None when it names a
    place ("Cherry Ward", "St Lukes", "Melton hospital"), a month before a number ("Jan 2021"), or nothing."""
    s, e, label, sc = sp
    words = [(m.start() + s, m.end() + s) for m in _WORD.finditer(text[s:e])]

    def norm(a, b):
        w = text[a:b].lower().replace("’", "'").rstrip(".")
        return w[:-2] if w.endswith("'s") else w

    def role(a, b):  # a role or service word, singular or plural, or the pronoun I
        w = norm(a, b)
        return w in NOT_NAMES or (w.endswith("s") and w[:-1] in NOT_NAMES) or text[a:b] == "I"

    if words and norm(*words[0]) in ("st", "saint", "royal"):  # St Luke's, Royal Papworth
        return None
    while words and (role(*words[0]) or (len(words) > 1 and norm(*words[0]) in _EDGE_WORDS)):
        words.pop(0)
    while words and role(*words[-1]):
        words.pop()
    if not words or (len(words) > 1 and norm(*words[-1]) in PLACE_NOUNS):  # "Cherry Ward"; "Dr Ward" stays
        return None
    if len(words) == 1 and sc <= SCORE["cue"] and norm(*words[0]) in PLACE_NOUNS:  # "Ward is lovely"
        return None
    s2, e2 = words[0][0], words[-1][1]
    after = re.match(r"(?P<pos>['’]s?)?\s+([^\W\d_]+)", text[e2:e2 + LOOK])
    if after and after.group(2).lower() in PLACE_NOUNS and not (after.group("pos") and after.group(2).islower()):
        return None  # "Cherry Ward", "Melton hospital"; "Minh's house" stays a person's
    if sc < SCORE["title"] and after and after.group(2).lower() in SERVICE_NOUNS \
            and not re.match(r"['’]", text[e2:e2 + 1]):  # "the Hart Team", "Daisy award"; "Katie's team" stays
        return None
    before = re.search(r"\b(st|st\.|saint|royal)\s+$", text[max(0, s2 - LOOK):s2], re.I)
    if before:
        return None
    # a place or a ward: "in Preston", "at West Bridgeford", "on Winifred 2", "to Harvey 1"
    prep = re.search(r"\b([^\W\d_]+)\s+$", text[max(0, s2 - LOOK):s2])
    if after and after.group("pos") and after.group(2).islower():
        prep = None  # "at Minh's house", "via W Hirsi's team": a person's, whatever comes before
    if sc < SCORE["title"] and prep and (prep.group(1).lower() in _PLACE_PREPOSITIONS - {"from"} or (
            prep.group(1).lower() in ("on", "to", "from", "onto") and re.match(r"\s+\d{1,2}[A-Za-z]?\b", text[e2:e2 + LOOK]))
            or (prep.group(1).lower() in ("from", "to") and _MOVEMENT.search(text[max(0, s2 - 60):s2]))):
        return None
    if len(words) == 1 and norm(*words[0]) in _MONTH_WORDS and re.match(r"\s+\d", text[e2:e2 + LOOK]):
        return None
    return (s2, e2, label, sc)


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - LOOK):pos].rstrip() or text[:pos].rstrip()
    return not before or before[-1] in ".!?\n:;\"“("


def _deny_spans(text: str, deny: Sequence[str]) -> list[tuple[int, int, str]]:
    spans = []
    for entry in deny:
        parts = [entry] + [p for p in entry.split() if len(p) > 2 and p[0].isupper()] if " " in entry else [entry]
        for p in parts:
            for m in re.finditer(rf"(?<!\w){re.escape(p)}(?!\w)", text, re.I):
                spans.append((m.start(), m.end(), "PERSON", SCORE["deny"]))
    return spans


def _allowed_ranges(text: str, allow: Sequence[str]) -> list[tuple[int, int]]:
    """Where the allow-list's phrases occur in ``text`` (any case, whole words)."""
    return [m.span() for m in _allow_pattern(tuple(allow)).finditer(text)]


@lru_cache(maxsize=32)
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


def find_scored(text: str, opts: Options | None = None, nlp=None, *, doc=None) -> list[tuple[int, int, str, float]]:
    """Like :func:`find_identifiers`, with each span's score (:data:`SCORE`): ``(start, end, label, score)``.

    ``nlp``: a spaCy pipeline with a trained ``ner`` (e.g. ``en_core_web_sm``); its PERSON entities
    are added (score ``SCORE["ner"]``) unless they fall in the allow-list. ``doc``: the same, from a
    ``Doc`` of ``text`` that such a pipeline already made (as ``nlp.pipe`` does in batches).
    """
    opts = opts or Options()
    if not text:
        return []
    if doc is None and nlp is not None:
        doc = nlp(text)
    spans = _regex_spans(text, opts.labels)
    if "PERSON" in opts.labels:
        allowed = _allowed_ranges(text, opts.allow)
        # a text written in capitals is read with its common words in lower case ("THANK YOU NNAMDI")
        first, _last = gazetteers()
        cased = truecase(text, common_words(), ACRONYMS, first) or text
        person = [sp for sp in (_plausible(cased, sp) for sp in _person_spans(cased, opts))
                  if sp and not any(a < sp[1] and sp[0] < b for a, b in allowed)]
        spans += person + _deny_spans(text, opts.deny)
        if doc is not None:
            spans += _ner_spans(doc, allowed)
    spans = [sp for sp in spans if sp[2] in opts.labels]
    return _resolve(spans)


def _ner_spans(doc, allowed) -> list[tuple[int, int, str, float]]:
    return [(e.start_char, e.end_char, "PERSON", SCORE["ner"]) for e in doc.ents if e.label_ == "PERSON"
            and not any(a < e.end_char and e.start_char < b for a, b in allowed)]


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
           names: Mapping[str, str | None] | None = None, nlp=None, _registry: dict | None = None) -> Redaction:
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

    ``None`` and non-strings are treated as empty text.

    >>> redact("Thanks to Dr Hughes and Dr Hughes's team", pseudonyms=True).text
    "Thanks to Dr [PERSON_1] and Dr [PERSON_1]'s team"
    >>> redact("I agree with Margaret, and okafor's point.", names={"Margaret": "Participant 1",
    ...                                                             "Okafor": "Participant 1"}).text
    "I agree with Participant 1, and Participant 1's point."
    """
    opts = options or Options.make(labels, allow, deny, pseudonyms)
    text = _as_text(text)
    return _redaction(text, find_scored(text, opts, nlp), opts, names, {} if _registry is None else _registry)


def _as_text(value) -> str:
    """``None`` and NaN as empty text, other non-strings as their ``str``."""
    if isinstance(value, str):
        return value
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _redaction(text: str, spans, opts: Options, names, registry: dict) -> Redaction:
    """The :class:`Redaction` of ``text`` from its scored spans (known ``names`` first, then placeholders)."""
    fixed = None
    if names and "PERSON" in opts.labels and text:
        spans, fixed = _with_names(text, spans, names)
    return _apply(text, spans, opts.pseudonyms, registry, fixed)


def scored_spans(texts: Sequence, opts: Options | None = None, nlp=None, *, batch_size: int = 256
                 ) -> list[list[tuple[int, int, str, float]]]:
    """:func:`find_scored` for every text, in one batched ``nlp.pipe`` pass through the de-identifier
    component (:class:`DeidentifyComponent`, whose exact character spans are ``doc._.pledge_pii``).

    ``nlp``: a pipeline with a trained ``ner`` adds its PERSON entities (texts cut at sentence ends into
    pieces of :data:`~pledge_analysis.text.nlp.CHUNK_CHARS`); by default a bare tokenizer, private to
    the package, so a text is only cut beyond spaCy's ``max_length``. Either way the result for each text
    equals ``find_scored(text, opts, nlp)``; the pipeline given is used, never changed.
    """
    from .nlp import pipe_chunked, tokenizer_only

    opts = opts or Options()
    pipeline = nlp if nlp is not None else tokenizer_only()
    component = DeidentifyComponent(pipeline, options=opts)
    out: list[list] = [[] for _ in texts]
    limit = None if nlp is not None else pipeline.max_length
    for i, offset, doc in pipe_chunked(pipeline, [_as_text(t) for t in texts], batch_size=batch_size, limit=limit):
        out[i].extend((s + offset, e + offset, label, sc) for s, e, label, sc in component(doc)._.pledge_pii)
    return out


def _masked_context(redacted: str, placeholder_pos: int, placeholder: str, width: int = 30) -> str:
    a = max(0, placeholder_pos - width)
    b = min(len(redacted), placeholder_pos + len(placeholder) + width)
    return ("…" if a else "") + redacted[a:b] + ("…" if b < len(redacted) else "")


def redact_frame(df: pd.DataFrame, column: str = "text", *, id_column: str | None = "segment_id",
                 source_column: str | None = "source_id", show_values: bool = False,
                 labels=None, allow=(), deny=(), pseudonyms: bool = False,
                 progress: bool = False, names: Mapping[str, Mapping[str, str | None]] | None = None,
                 registries: dict | None = None, nlp=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Redact a whole column; return ``(redacted_df, review)``.

    ``review`` has one row per redaction (:data:`REVIEW_COLUMNS`): ``row`` (the id column, or the
    index), ``source`` (the source column's value, or None), ``label``, ``placeholder``, ``start``,
    ``end`` (in the original text), ``score`` (the recognizer's confidence, :data:`SCORE`; list the
    least certain with :func:`least_certain`) and ``context`` (a snippet of the *redacted* text
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
    opts = Options.make(labels, allow, deny, pseudonyms)
    ids = df[id_column].tolist() if id_column and id_column in df.columns else df.index.tolist()
    sources = df[source_column].tolist() if source_column and source_column in df.columns else [None] * len(df)
    registries = {} if registries is None else registries
    names = names or {}
    new_texts, review = [], []
    texts = df[column].tolist()
    found = scored_spans(texts, opts, nlp)
    iterator = zip(ids, sources, texts, found)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=len(df), desc="de-identifying", unit="text")
    for rid, src, text, spans in iterator:
        r = _redaction(_as_text(text), spans, opts, names.get(src), registries.setdefault(src, {}))
        new_texts.append(r.text if isinstance(text, str) else text)
        if r.spans:
            # placeholder positions in the redacted text
            offset = 0
            for (s, e, label), ph, sc in zip(r.spans, r.placeholders, r.scores):
                pos = s + offset
                row = {"row": rid, "source": src, "label": label, "placeholder": ph, "start": s, "end": e,
                       "score": sc, "context": _masked_context(r.text, pos, ph)}
                if show_values:
                    row["value"] = text[s:e]
                review.append(row)
                offset += len(ph) - (e - s)
    out = df.copy()
    out[column] = new_texts
    cols = list(REVIEW_COLUMNS) + (["value"] if show_values else [])
    return out, pd.DataFrame(review, columns=cols)


#: Columns of the review table of :func:`redact_frame` (``deidentify_tables`` adds ``table``).
REVIEW_COLUMNS = ("row", "source", "label", "placeholder", "start", "end", "score", "context")


def least_certain(review: pd.DataFrame, n: int = 20, *, below: float | None = None) -> pd.DataFrame:
    """The ``n`` redactions a reviewer should check first: lowest ``score`` first (ties in table order).

    ``below``: keep only scores under this value (e.g. ``0.7``: names found by weak context alone).

    >>> _, review = redact_frame(pd.DataFrame({"text": ["Dr Hughes rang 07700 900461", "honestly olga krylova"]}))
    >>> least_certain(review, 2)[["row", "label", "score"]].to_dict("records")
    [{'row': 1, 'label': 'PERSON', 'score': 0.55}, {'row': 0, 'label': 'PHONE', 'score': 0.8}]
    """
    from ..errors import MissingColumnError

    if "score" not in review.columns:
        raise MissingColumnError("the review table has no 'score' column",
                                 hint="Pass the review table returned by redact_frame or deidentify_tables.")
    out = review if below is None else review[review["score"] < below]
    return out.sort_values("score", kind="stable").head(n)


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
                      deny=(), pseudonyms: bool = False, progress: bool = False, nlp=None
                      ) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame]:
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

    opts = Options.make(labels, allow, deny, pseudonyms)
    segments = segments.copy()
    for col in ("text", "speaker"):
        if col in segments.columns:
            segments[col] = segments[col].map(clean_text)
    mapping = speaker_pseudonyms(segments, set_aside) if "PERSON" in opts.labels else {}
    segments, set_aside = apply_speaker_pseudonyms(segments, set_aside, mapping)
    registries: dict = {}
    kw = dict(labels=sorted(opts.labels), allow=allow, deny=deny, pseudonyms=pseudonyms)
    segments, review = redact_frame(segments, "text", progress=progress, registries=registries,
                                    names=mention_names(mapping, titles=TITLES), nlp=nlp, **kw)
    parts = [review.assign(table="segments")]
    parts.append(pd.DataFrame([{"row": src, "source": src, "label": "PERSON", "placeholder": ph, "start": None,
                                "end": None, "score": 1.0, "context": "speaker label", "table": "speakers"}
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

    def __call__(self, doc):
        # a trained NER model's PERSON entities are added (find_scored reads them from the doc)
        spans = find_scored(doc.text, self.options, doc=doc if self.use_entities else None)
        doc._.pledge_pii = spans
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
