"""The edges of a found name (issue 14, eighth round): redact the whole name, and nothing that is not one.

:func:`whole_names` runs on the PERSON spans :func:`pledge_analysis.text.deidentify.find_scored` has settled, so
that no piece of a name is left in place:

1. **neighbouring pieces** of one name found as two spans are joined: "Jean-Paul Montoya" + "Gil",
   "C Rodrigues" + "da Silva", "Nyakim" + "A." + "Thon" (only spaces, a surname particle or one initial between);
2. **initials before a name**: "M S Schachter", "W-N. Cárdenas", "I. Habimana" (a lone "A" or "I" with no full
   stop counts only before another initial: "A K Oberhuber", never "A Smith" or "I Smith");
3. **a first name before a found surname**: a first name that is not a common word, or a word or virtue name
   (:data:`~pledge_analysis.text.deidentify_data.WORD_NAMES`, ``VIRTUE_NAMES``): "Memory Hernández-Ríos",
   "Sunday Montoya Gil", "Grace Okafor" (a weekday only when no "on", "last", "every" ... comes before it; never a
   title, a role or a verb: "Sister Okafor", "Love Claire", "Hope Jane is well");
4. **a lower-case particle and surname after a lower-case name**: "gisela zu eltz", "joao da silva" (the surname a
   word English does not know).

:func:`eponym` says when a candidate is a disease, device or procedure named after a person ("Becker implant",
"Raynaud's", the second "Paget" of "Mr Paget explained Paget's disease"), and :func:`royal_place` when it is a
hospital named after a royal ("The Queen Alexandra", "King George").
"""
from __future__ import annotations

import re

from .deidentify_data import NOT_NAMES, TITLES, VIRTUE_NAMES, WORD_NAMES
from .name_cues import DRUG_STEMS
from .name_shapes import PARTICLES
from .names import common_words, rare_word

#: Medical words after an eponym ("Becker implant", "Paget's disease", "Hickman line"): the word before is no person.
EPONYM_NOUNS = ("disease", "diseases", "syndrome", "lymphoma", "palsy", "phenomenon", "procedure", "operation",
                "solution", "line", "implant", "implants", "expander", "expanders", "catheter", "sign", "test",
                "flap", "reconstruction", "classification", "score", "criteria", "sarcoma", "tumour", "tumor",
                "node", "nodes", "cyst", "cysts", "ulcer", "contracture", "fascia", "duct", "gland", "glands",
                "needle", "drain", "port", "stain", "scale", "manoeuvre", "maneuver", "technique")
_EPONYM_AFTER = re.compile(rf"(?:['’]s?)?\s+(?i:{'|'.join(EPONYM_NOUNS)})\b")
#: Eponyms whose possessive alone names a condition ("Raynaud's makes the cold cap hard", "my Crohn's").
CONDITION_EPONYMS = frozenset("raynaud crohn hodgkin parkinson alzheimer addison cushing paget sjogren sjögren "
                              "hashimoto meniere ménière dupuytren tietze mondor asperger tourette".split())
_TITLE_BEFORE = re.compile(r"(?i:\b(?:dr|doctor|mr|mrs|ms|miss|mx|prof|professor|sister|nurse|sir|dame)\.?\s+)$")
#: Royal words that open the name of a hospital ("Queen Alexandra", "King George", "Princess Royal").
ROYAL_WORDS = frozenset({"queen", "king", "prince", "princess"})
_ROYAL_BEFORE = re.compile(r"(?<![\w'’-])(?i:queen|king|prince|princess)\s+$")
#: Word names that are also verbs opening a wish or a question ("Hope Jane is well", "Will Ama ring me?").
_VERBS = frozenset("hope wish trust pray may will bless let ask tell call thank pity mark".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_DAY_BEFORE = re.compile(r"(?i:\b(?:on|last|next|this|every|each|by|until|till|since|from|of|a|the|that|one)\s+)$")
_INITIAL_BEFORE = re.compile(r"(?<![\w'’.-])(?P<i>[A-Z](?:-[A-Z])?)(?P<dot>\.?)\s+$")
_HYPHEN_INITIAL = re.compile(r"(?<![\w'’.-])[A-Z]-$")
_WORD_BEFORE = re.compile(r"(?<![\w'’.-])(?P<w>[A-ZÀ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’-]+) $")
_PARTICLE_GAP = re.compile(rf"^ (?i:{'|'.join(sorted(PARTICLES, key=len, reverse=True))})(?: (?i:{'|'.join(PARTICLES)}))? $")
_INITIAL_GAP = re.compile(r"^ (?:[A-Z]\.|[B-HJ-Z]) $")
_LOWER_PARTICLE = re.compile(rf"(?: (?:{'|'.join(PARTICLES)})){{1,2}} (?P<w>[a-zß-öø-ÿā-ž][a-zß-öø-ÿā-ž'’-]*[a-zß-öø-ÿā-ž])\b")
LOOK = 60


def eponym(text: str, s: int, e: int) -> bool:
    """Whether the candidate PERSON ``text[s:e]`` names a disease, device or procedure, not a person: a medical
    word after it (:data:`EPONYM_NOUNS`), or a one-word :data:`CONDITION_EPONYMS` in the possessive; never after a
    title ("Dr Becker's clinic", "Mr Paget explained")."""
    if _TITLE_BEFORE.search(text, max(0, s - 12), s):
        return False
    if _EPONYM_AFTER.match(text, e):
        return True
    word = text[s:e].lower().replace("’", "'")
    word = word[:-2] if word.endswith("'s") else word
    return " " not in word and word in CONDITION_EPONYMS and re.match(r"['’]s\b", text[e:e + 3]) is not None


def royal_place(text: str, s: int, e: int) -> bool:
    """Whether ``text[s:e]`` opens with or follows a royal word (:data:`ROYAL_WORDS`): a hospital ("The Queen
    Alexandra", "King George")."""
    first = re.match(r"[^\W\d_]+", text[s:e])
    return bool(first and first.group(0).lower() in ROYAL_WORDS) or bool(_ROYAL_BEFORE.search(text, max(0, s - 10), s))


def _first_before(text: str, s: int, first) -> int | None:
    """Where a first name just before ``s`` starts ("Memory" before "Hernández-Ríos"), or None."""
    m = _WORD_BEFORE.search(text, max(0, s - LOOK), s)
    if not m:
        return None
    w = m.group("w").lower().replace("’", "'")
    if not ((w in first and w not in common_words()) or w in WORD_NAMES or w in VIRTUE_NAMES) or w in TITLES \
            or w in NOT_NAMES or w in _VERBS:  # not "Love Claire", "Hope Jane is well", "Sister Okafor"
        return None
    if w in _WEEKDAYS and _DAY_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        return None
    return m.start()


_SEP = r"(?:\s*,\s*|\s+(?:and|&|n)\s+|\s*/\s*)"
#: A capitalised word between two list separators: "Bojan, Yuliia, Hope, Svitlana", "Blessing / Faith / Morwenna".
_LIST_ITEM = re.compile(rf"{_SEP}(?P<w>[A-ZÀ-ÞĀ-Ž][\w'’-]*[^\W\d_])(?={_SEP}|\s+(?:on|from|at|in)\b|\s*[.!)])")
#: A plural role before a list of names: "Nurses Rivka, Akech and Memory on nights".
_PLURAL_ROLE = re.compile(r"\b(?:Nurses|Sisters|Doctors|Drs|Surgeons|Radiographers|Porters|HCAs|Physios)\s+"
                          rf"(?P<w>[A-ZÀ-ÞĀ-Ž][\w'’-]*[^\W\d_])(?={_SEP})")


def _list_word(w: str, first, common) -> bool:
    lw = w.lower().replace("’", "'")
    lw = lw[:-2] if lw.endswith("'s") else lw
    return not (len(w) > 1 and w.isupper()) and lw not in TITLES and lw not in NOT_NAMES and lw not in _WEEKDAYS and (
        lw in VIRTUE_NAMES or lw in first or lw not in common) and not (lw not in first and lw.endswith(DRUG_STEMS))


def list_names(text: str, spans: list[tuple[int, int, str, float]], first, score: float
               ) -> list[tuple[int, int, str, float]]:
    """Names in a list that already holds a found PERSON span (``spans``): a capitalised first name, virtue name
    or unknown word between list separators right after one ("Thank you to Gaëlle, Björn, Hope and Dr X"), and the
    items after a plural role ("Nurses Rivka, Akech and Memory"); each scored ``score``."""
    common = common_words()
    out: list[tuple[int, int, str, float]] = []
    for m in _PLURAL_ROLE.finditer(text):
        pos = m.start("w")
        while True:
            w = re.match(r"[A-ZÀ-ÞĀ-Ž][\w'’-]*[^\W\d_]", text[pos:])
            if not w or not _list_word(w.group(0), first, common):
                break
            out.append((pos, pos + len(w.group(0)), "PERSON", score))
            sep = re.match(_SEP, text[pos + len(w.group(0)):])
            if not sep:
                break
            pos += len(w.group(0)) + sep.end()
    found = sorted({sp[:2] for sp in spans if sp[2] == "PERSON"} | {sp[:2] for sp in out})
    changed = True
    while changed:
        changed = False
        for _a, b in list(found):
            m = _LIST_ITEM.match(text, b)
            if m and _list_word(m.group("w"), first, common) and not any(x < m.end("w") and m.start("w") < y
                                                                         for x, y in found):
                found.append(m.span("w"))
                out.append((m.start("w"), m.end("w"), "PERSON", score))
                changed = True
    return out


def whole_names(text: str, spans: list[tuple[int, int, str, float]], first,
                allowed=()) -> list[tuple[int, int, str, float]]:
    """``spans`` (settled, in text order) with each PERSON span widened to the whole name (rules 1-3 of the module
    docstring); never into another span or into the allow-list's ranges (``allowed``: ``(start, end)`` pairs)."""
    def free(a: int, b: int, own: tuple) -> bool:
        return not any(x < b and a < y for x, y in allowed) and \
            not any(sp is not own and sp[0] < b and a < sp[1] for sp in out)

    out: list[tuple[int, int, str, float]] = []
    for sp in spans:  # 1. join neighbouring pieces
        if out and sp[2] == "PERSON" and out[-1][2] == "PERSON":
            gap = text[out[-1][1]:sp[0]]
            if gap == " " or _PARTICLE_GAP.match(gap) or _INITIAL_GAP.match(gap):
                prev = out.pop()
                out.append((prev[0], sp[1], "PERSON", max(prev[3], sp[3])))
                continue
        out.append(sp)
    for k, sp in enumerate(out):
        if sp[2] != "PERSON":
            continue
        s, e = sp[0], sp[1]
        h = _HYPHEN_INITIAL.search(text, max(0, s - 2), s)  # 2. "W-" before "N. Cárdenas"
        if h and re.match(r"[A-Z]\.", text[s:s + 2]):
            s = h.start()
        while True:
            m = _INITIAL_BEFORE.search(text, max(0, s - 6), s)
            if not m or (m.group("i") in ("A", "I") and not m.group("dot") and not re.match(r"[A-Z](?:-[A-Z])?\.?\s",
                                                                                             text[s:s + 4])):
                break
            if not free(m.start(), s, sp):
                break
            s = m.start()
        if s == sp[0]:  # 3. a first name before a surname found alone
            a = _first_before(text, s, first)
            if a is not None and free(a, s, sp):
                s = a
        tail = _LOWER_PARTICLE.match(text, e)  # 4. "gisela zu eltz": a lower-case particle and surname
        if tail and text[s:e].islower() and rare_word(tail.group("w")) and free(e, tail.end(), sp):
            e = tail.end()
        out[k] = (s, e, "PERSON", sp[3])
    return out
