"""More shapes of personal names, for text the first rules were not written against (issue 14, second round).

:func:`extra_person_spans` returns ``(start, end, "PERSON", score)`` for names that
:func:`pledge_analysis.text.name_rules._person_spans` misses. Each rule needs *evidence* beyond
"a word we do not know", because an unknown capitalised word in real feedback is as often a
place ("Millbrook"), a drug or a misspelling as a name:

1. **lower-case titles**: ``mr hoxha``, ``dr. hui lukusa``: after an unambiguous title (mr, mrs,
   ms, mx, dr, prof) the next word is a name unless it is a common English word;
2. **surname particles**: ``Mrs de Souza``, ``Thiago dos Santos``, ``Omar bin Rashid``, ``Ní Bhriain``:
   a particle (:data:`PARTICLES`) and a capitalised word after a title or a found name;
3. **capitals**: ``SABINA ALBUQUERQUE`` in a text that is not itself all capitals: two words in
   capitals, each a gazetteer name or a word English does not know (never a role or an acronym
   of the NHS such as ``CNS``);
4. **lower-case names after a cue**: ``the nurse rojda``, ``looked after by besnik``, ``hi its
   aisha``, ``halima said``, ``inga from the helpline``: a lower-case word that English does not
   know, or a first name that is not a common word, in the slot a cue opens;
5. **lower-case initials**: ``hui h dzokoto``, ``a.a. gurung``, ``JR Menon``;
6. **vocatives and possessives at the start**: ``Tendai, you always ...``, ``Samira's refusal``: a
   capitalised word English does not know, opening a sentence and followed by ``, you`` or ``'s`` + a
   lower-case word.

Scores (:data:`pledge_analysis.text.deidentify.SCORE`) are low for the weakest of these, so a reviewer
sees them first in :func:`~pledge_analysis.text.deidentify.least_certain`.
"""
from __future__ import annotations

import re
from functools import lru_cache

#: Words that join a surname to what comes before ("de Souza", "bin Rashid", "Ní Bhriain", "ap Rhys").
PARTICLES = ("de", "da", "das", "do", "dos", "del", "della", "di", "du", "van", "von", "zu", "der", "den", "ter", "bin",
             "binti", "bint", "ibn", "al", "el", "ap", "ab", "ní", "nic", "mac", "ó", "ua", "uí", "le", "la")
#: Titles that are never an ordinary word, so a lower-case one still announces a name.
STRICT_TITLES = ("mr", "mrs", "ms", "mx", "dr", "prof", "professor")
#: How far (characters) the rules look before or after a candidate name: the next or previous word, never the
#: whole rest of the text (slicing or searching that per match made a 1M-character comment quadratic).
LOOK = 200
#: Words that can follow "it's" / "said" and the like without being a name.
_FUNCTION = frozenset(
    "me you him her us them it this that there here about just only not no yes so the a an my your our his "
    "their its ok okay fine good sorry again now today tomorrow all everyone someone nobody".split())
_SPEECH = r"(?:said|says|told\s+me|told\s+us|explained|mentioned|reckons|reckoned|promised|suggested|warned|" \
          r"reassured|confirmed|kept\s+saying|keeps\s+saying|asked|replied|insisted|rang|phoned|called)"
#: Cue phrases after which a lower-case word may be a name (rule 4).
_LOWER_BEFORE = re.compile(
    r"(?i:\b(?:(?:the|my|our|a|her|his)\s+(?:nurse|doctor|surgeon|consultant|oncologist|radiographer|physio|"
    r"counsellor|receptionist|registrar|cns|key\s+worker|midwife|carer)|looked\s+after\s+by|seen\s+by|"
    r"cared\s+for\s+by|treated\s+by|(?:thanks?|ta|cheers)(?:\s+(?:you|u))?\s+to|thanks|cheers|ta|ty|thx|thnx|luv|tell|"
    r"ask\s+for|ask\s+4|"
    r"asked\s+for|(?:spoke|speak|talk|talked|chat|chatted|thanks|message|msg)\s+(?:to|2|4)|(?:hi|hello|hiya|hey)\s*,?\s+"
    r"(?:it'?s|this\s+is)|(?:where|wer)\s+is|is|with|"
    r"message\s+from|msg\s+from|call\s+from|text\s+from|love\s+to|love\s+from|called|named|"
    # ninth round: "thank u ifeoma", "big up chukwuemeka", "say hi to gosia", "and sister trinh"
    r"thank\s+(?:you|u)|big\s+up|shout\s*out(?:\s+to)?|say\s+(?:hi|hello)\s+(?:to|2)|(?:nurse|sister|matron)))"
    r"\s+(?P<name>[^\W\d_][\w'’-]*[^\W\d_])")
#: After "is X" or "with X" in lower case, what makes X a person: "is wazhma on today?", "with nerea again tomorrow".
_WEAK_SLOT = re.compile(r"\s+(?:(?:on|in|working|about|around)\s+(?:today|tonight|tomorrow|now|shift|duty|nights|days)|"
                        r"again\s+(?:today|tomorrow|tonight|later|next|on)|(?:today|tomorrow|tonight)\s+(?:at|for|2|to))\b")
_LOWER_AFTER = re.compile(rf"(?<![\w'’-])(?P<name>[^\W\d_][\w'’-]*[^\W\d_])\s+(?:{_SPEECH}|from\s+the|from\s+"
                          r"reception|on\s+reception|was\s+lovely|was\s+great|was\s+amazing|was\s+kind|is\s+lovely|"
                          r"on\s+the\s+(?:[a-z]+\s+)?(?:unit|ward|suite|clinic|desk|team|helpline))\b")
#: Slots any-case: "can u let faigy know", "hi its Cador here" (rule 4b).
_LET_KNOW = re.compile(r"(?i:\blet)\s+(?P<name>[^\W\d_][\w'’-]*[^\W\d_])\s+(?i:know)\b"
                       r"|(?i:\b(?:it'?s|it’s|this\s+is))\s+(?P<name2>[^\W\d_][\w'’-]*[^\W\d_])\s+(?i:here)\b")
#: A lower-case name joined to one found: "thanks to chol and radostina", "ty bracha n claudine".
_LOWER_JOIN = re.compile(r"\s+(?:and|&|n)\s+(?P<name>[^\W\d_A-Z][\w'’-]*[^\W\d_])")
_CAPS = re.compile(r"(?<![\w'’-])(?P<a>[A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž'’-]+)\s+(?P<b>[A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž'’-]+)(?![\w'’-])")
_LOWER_MIDDLE = re.compile(r"(?<![\w'’.-])(?P<first>[^\W\d_A-Z][\w'’-]*)\s+(?P<mid>[a-z])\.?\s+"
                           r"(?P<sur>[^\W\d_A-Z][\w'’-]*[^\W\d_])")
_INITIALS = re.compile(r"(?<![\w'’.-])(?P<init>(?:[a-z]\.){1,3}|[A-Z]{2,3})\s?(?P<sur>[^\W\d_][\w'’-]*[^\W\d_])")
#: What follows an eponym's possessive ("Paget's disease", "Hartmann's solution"): not a person here.
_EPONYM = re.compile(r"['’]s?\s+(?:disease|syndrome|lymphoma|palsy|phenomenon|procedure|operation|solution|line|"
                     r"sign|test|law|ward|unit|centre|house|hospital|clinic|hospice)\b")
_VOCATIVE = re.compile(r"(?P<name>[A-ZÀ-ÞĀ-Ž][\w-]*[^\W\d_])(?:,\s+(?:you|thank|thanks)\b|"
                       r"['’]s?\s+(?!(?:was|is|has|had|were|are|and|or|but)\b)[a-z])")


_LOWER_POSSESSIVE = re.compile(r"\s*(?P<name>[^\W\d_A-Z][\w-]*[^\W\d_])['’]s\s+(?!(?:was|is|has|had|were|are|and|or|but)\b)[a-z]")
_CONTRACTION = re.compile(r"(?:n't|'re|'ve|'ll|'d|'m)$")
_MASK = re.compile(r"^x+$")
#: Words a lower-case name cannot follow in rule 4's "X said" shape.
_DETERMINERS = frozenset("the a an this that these those my your our his her their its some any every each no "
                         "another other which what whose".split())
#: A cue so strong that any word that is not a common word fills the name slot ("hi its bex").
_STRONG = re.compile(r"(?i:(?:hi|hello|hiya|hey)\s*,?\s+(?:it'?s|this\s+is))$")


@lru_cache(maxsize=1)
def _particles() -> re.Pattern:
    body = "|".join(sorted(PARTICLES, key=len, reverse=True))
    return re.compile(rf"(?:\s+(?i:(?:{body})))+(?:\s+|['’])(?P<sur>[A-ZÀ-ÞĀ-Ž][\w'’-]*[^\W\d_])")


def _is_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - LOOK):pos].rstrip() or text[:pos].rstrip()
    return not before or before[-1] in ".!?\n:;\"“("


def bare(w: str) -> str:
    """A word lower-cased without its possessive: ``bare("Becker's") == "becker"``."""
    lw = w.lower().replace("’", "'")
    return lw[:-2] if lw.endswith("'s") else lw.rstrip("'")


def extra_person_spans(text: str, found, first, last, common, not_names, titles) -> list[tuple[int, int, str, float]]:
    """Rules 1-6 of the module docstring; ``found`` are the PERSON spans found so far (rule 2 extends them)."""
    from .deidentify_data import VIRTUE_NAMES, WORD_NAMES
    from .names import rare_word

    out: list[tuple[int, int, str, float]] = []

    def plain(w: str) -> bool:
        """Not a common or function word, role, title, contraction ("hadn't") or mask ("XXXX")."""
        lw = bare(w)
        return lw not in common and lw not in not_names and lw not in titles and lw not in _FUNCTION \
            and not _CONTRACTION.search(lw) and not _MASK.match(lw)

    def unknown_or_first(w: str) -> bool:
        """A word in a name slot: a first name that is not common, or a word English does not know that
        does not look like an English verb or noun ("catheterised", "stratergies")."""
        lw = bare(w)
        return plain(w) and (lw in first or rare_word(lw))

    # 1. lower-case (or any-case) strict titles: "mr hoxha", "dr. hui lukusa"
    for m in re.finditer(rf"(?<![\w'’-])(?:{'|'.join(STRICT_TITLES)})\.?\s+(?P<n>[^\W\d_][\w'’-]*[^\W\d_])"
                         rf"(?:\s+(?P<m>[^\W\d_][\w'’-]*[^\W\d_]))?", text, re.I):
        n = m.group("n")
        surname = n.islower() and bare(n) in last and bare(n) not in _FUNCTION and bare(n) not in not_names \
            and bare(n) not in titles  # "dr. white", "mrs brown": a common word that is a surname
        if not (plain(n) or surname) or bare(n) in PARTICLES or n == "I":
            continue
        a, b = m.span("n")
        nxt = m.group("m")
        if nxt and nxt[0].isupper() == n[0].isupper() and unknown_or_first(nxt) and \
                (bare(nxt) in last or rare_word(bare(nxt))):
            b = m.end("m")
        out.append((a, b, "PERSON", 0.9))
    # 2. particles after a title or a name found so far
    part = _particles()
    for m in re.finditer(r"(?<![\w'’-])(?i:mr|mrs|ms|mx|miss|dr|doctor|prof|professor|sister|nurse)\.?(?=\s)", text):
        p = part.match(text, m.end())
        if p:
            out.append((m.end() + len(p.group(0)) - len(p.group(0).lstrip()), p.end(), "PERSON", 0.9))
    for s, e, _lab, sc in found:
        p = part.match(text, e)
        if p:
            out.append((s, p.end(), "PERSON", sc))
    # 3. two words in capitals in a text that is not shouting throughout
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) < 0.6 * len(letters):
        for m in _CAPS.finditer(text):
            a, b = bare(m.group("a")), bare(m.group("b"))
            if all(len(w) > 2 and w not in common and w not in not_names and (w in first or w in last or
                   rare_word(w)) for w in (a, b)):
                out.append((m.start(), m.end(), "PERSON", 0.7))
    # 4. lower-case names in the slot a cue opens
    for rx in (_LOWER_BEFORE, _LOWER_AFTER):
        for m in rx.finditer(text):
            name = m.group("name")
            if not name.islower():
                continue
            if rx is _LOWER_BEFORE:
                cue = m.group(0)[:m.start("name") - m.start()].rstrip()
                if cue.lower() in ("is", "with") and not _WEAK_SLOT.match(text, m.end("name")):
                    continue  # "is X" / "with X" only before "on today", "again tomorrow" ...
                if not (unknown_or_first(name) or (_STRONG.search(cue) and plain(name))):
                    continue
            else:
                prev = re.search(r"([^\W\d_]+)\s+$", text[max(0, m.start("name") - LOOK):m.start("name")])
                if not unknown_or_first(name) or (prev and prev.group(1).lower() in _DETERMINERS):
                    continue
                if " on the " in m.group(0) and bare(name) in WORD_NAMES:  # "holly and ivy on the ward"
                    continue
            a, b = m.span("name")
            if bare(name) != name.lower():
                b = a + len(bare(name))
            nxt = re.match(r"\s+([^\W\d_][\w'’-]*[^\W\d_])", text[b:b + LOOK])
            if rx is _LOWER_BEFORE and nxt and nxt.group(1).islower() and unknown_or_first(nxt.group(1)) \
                    and (bare(nxt.group(1)) in last or rare_word(bare(nxt.group(1)))):
                b += nxt.end()
            out.append((a, b, "PERSON", 0.6))
            j = _LOWER_JOIN.match(text, b)
            if j and unknown_or_first(j.group("name")):
                out.append((j.start("name"), j.start("name") + len(bare(j.group("name"))), "PERSON", 0.6))
    # 4b. "let X know", "it's X here": a name in any case, not a common word unless a virtue name ("Divine")
    for m in _LET_KNOW.finditer(text):
        g = "name" if m.group("name") else "name2"
        name = m.group(g)
        if unknown_or_first(name) or (name[0].isupper() and (plain(name) or bare(name) in VIRTUE_NAMES)):
            out.append((m.start(g), m.end(g), "PERSON", 0.6))
    # 5. lower-case initials and middle initials; capital initials before a known surname
    for m in _LOWER_MIDDLE.finditer(text):
        f, sur = m.group("first"), m.group("sur")
        if f.islower() and sur.islower() and plain(f) and plain(sur) and (unknown_or_first(f) or unknown_or_first(sur)) \
                and m.group("mid") not in "aiou":
            out.append((m.start(), m.end(), "PERSON", 0.55))
    for m in _INITIALS.finditer(text):
        init, sur = m.group("init"), m.group("sur")
        lw = bare(sur)
        if init.isupper():
            if not (sur[0].isupper() and not sur.isupper() and lw in last and lw not in common
                    and init.lower() not in not_names and init not in ("GP", "NHS", "CT", "MRI", "PET", "OT", "ITU")):
                continue
        elif not (sur.islower() and unknown_or_first(sur) and (lw in last or rare_word(lw))):
            continue
        b = m.start("sur") + len(lw)
        out.append((m.start(), b, "PERSON", 0.6))
    # 6a. a lower-case text opening with a possessive: "tunde's jokes kept me going"
    m = _LOWER_POSSESSIVE.match(text)
    if m and not any(c.isupper() for c in text) and unknown_or_first(m.group("name")) \
            and bare(m.group("name")) not in VIRTUE_NAMES | WORD_NAMES:
        out.append((m.start("name"), m.end("name"), "PERSON", 0.55))
    # 6. "Tendai, you ..." / "Samira's refusal": an unknown word opening a sentence
    for m in _VOCATIVE.finditer(text):
        name = m.group("name")
        lw = name.lower()
        after = text[m.end("name"):m.end("name") + 40].lower()
        if _is_sentence_start(text, m.start()) and (rare_word(lw) or bare(name) in VIRTUE_NAMES) and lw not in not_names \
                and not any(c.isupper() for c in name[1:]) and not _EPONYM.match(after):
            out.append((m.start(), m.end("name"), "PERSON", 0.55))
    return out
