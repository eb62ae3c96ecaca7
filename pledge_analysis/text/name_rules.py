"""The PERSON recognizer's rules: a title before a name, a known first name and a surname, context cues
("my nurse X", "X was lovely", "thanks to X"), initials and middle initials, speech verbs ("says Becker"),
object cues, lower-case name pairs; then :func:`_plausible`, which drops places, wards, teams and role
words. More shapes come from :mod:`.name_shapes` and :mod:`.name_cues`, called from :func:`_person_spans`.

:func:`pledge_analysis.text.deidentify.find_scored` runs these beside the structured-identifier patterns;
the word lists and scores are in :mod:`.deidentify_data`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .deidentify_data import (EDGE_WORDS, FAMILY, HOSPITAL_NAMES, MONTH_WORDS, NOT_NAMES, PLACE_NOUNS, PLACE_PREPOSITIONS, PRAISE,
                              ROLE_WORDS, SCORE, SERVICE_NOUNS, SPEECH_VERBS, TITLES, VIRTUE_NAMES, WORD_NAMES)
from .name_cues import DRUG_STEMS, cue_person_spans
from .name_edges import eponym, royal_place
from .name_shapes import _CONTRACTION, LOOK, extra_person_spans
from .name_slots import not_a_person, slot_person_spans, thanks_word
from .names import common_words, gazetteers

#: A word of letters (any script), with inner apostrophes or hyphens; never part of "CF10" or "x2".
_TOKEN = re.compile(r"(?<![\w'’-])[^\W\d_](?:(?:[^\W\d_]|['’-])*[^\W\d_])?(?!\w)")
#: A journey before "from X" / "to X" makes X a place ("moved from Milton Keynes to Stoke Mandeville").
_MOVEMENT = re.compile(r"\b(?:moved?|came|come|drove|drive|driven|travell?ed|travel|transferred|went|go|going|"
                       r"journey|trip|commute|relocated|visits?|visited|visiting)\b(?:\s+[^\W\d_]+){0,3}\s+(?:from|to)\s+$"
                       r"|\bfrom\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+to\s+$", re.I)


#: Thanks that "go to" someone: no journey ("My thanks also go to Riaan, who ...").
_THANKS_GO = re.compile(r"\b(?:thanks|thank\s+you|gratitude|praise|credit|love|appreciation)\b[^.!?]*\b(?:go|goes|went|going)"
                        r"\s+(?:out\s+)?to\s+$", re.I)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def _is_cap(word: str) -> bool:
    """Capitalised like a name: "Jane", "McAllister" or "O'Neil", not an acronym ("CPN", "TIWs"), "I" or "I've"."""
    return word[0].isupper() and not (len(word) > 1 and (word.isupper() or word[1].isupper())) \
        and word != "I" and not word.lower().startswith(("i'", "i’"))


#: First names that are also ordinary or virtue words ("Grace", "Faith"): joined by "and" only before a name's context.
_WORD_OR_VIRTUE = WORD_NAMES | VIRTUE_NAMES
#: What may follow a first name that is also a word, joined by "and" to a name: "James and Mark last week".
_AFTER_JOINED = re.compile(r"\s*(?:$|[^\w\s]|(?:were|are|was|is|have|had|has|did|do|both|all|who|from|at|on|in|for|"
                           r"to|last|this|today|yesterday|helped|made|took|came|gave|said|told|always|also|and|or|"
                           r"who|really|so|very|the)\b)")


def lower_in(word: str, words) -> bool:
    """Whether ``word``, lower-cased and without a possessive, is in ``words``."""
    lw = word.lower().replace("’", "'")
    return (lw[:-2] if lw.endswith("'s") else lw) in words


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
        rf"|thank(?:\s+you)?|ask(?:ed)?\s+for|spoke\s+to|grateful\s+(?:we\s+are\s+|i\s+am\s+|I\s+am\s+)?to|(?:{role})\s+(?:called|named)"
        rf"|(?:letter|call|phone\s*call|message|msg|text|txt|e-?mail|card|voicemail|handover)\s+from"
        rf"|(?:call|calls|called)\s+(?:him|her|me|them)|known\s+as|goes\s+by)\s+(?P<name>[^\W\d_][\w'’-]*)", re.I)
    cue_after = re.compile(rf"\b(?P<name>[A-ZÀ-Þ][\w'’-]+)\s+(?:was|is|h?as\s+been|were)\s+(?:so\s+|very\s+|really\s+|just\s+)?(?:{praise})\b")
    verbs = ("phoned|rang|called|said|told|explained|sorted|helped|came|took|held|made|listened|visited|"
             "arranged|organised|organized|who|has|had|will|would|always|never|did|went|gave|showed|looked")
    # ninth round: an adverb between ("Oyinkan still found time")
    cue_verb = re.compile(rf"\b(?P<name>[A-ZÀ-Þ][\w'’-]+)\s+(?:{verbs}|(?:still|also|even|kindly|personally)\s+"
                          rf"(?:{verbs}|found|brought|stayed|sat|came))\b")
    cue_apposition = re.compile(rf"\b(?P<name>[A-ZÀ-Þ][\w'’-]+),\s+(?:the|my|our|a)\s+(?:{role})\b"
                                rf"|\b(?:{role})\s+\((?P<name2>[A-ZÀ-Þ][\w'’-]+)\)"
                                rf"|\b[Ii]t\s+was\s+(?P<name3>[A-ZÀ-Þ][\w'’-]+)\s+who\b"
                                rf"|\b[Ii]t\s+was\s+(?P<name5>[A-ZÀ-Þ][\w-]+)['’]s\s+(?:idea|suggestion|decision|advice|doing)\b"
                                rf"|\b(?i:the|my|our|a|her|his)\s+(?i:{role}),\s+(?P<name4>[A-ZÀ-Þ][\w'’-]+),")
    cue_place = re.compile(r"\b(?!(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)(?P<name>[A-ZÀ-Þ][\w'’-]+)"
                           r"\s+(?:from|on|at|in)\s+(?:the\s+)?(?:[a-z]+\s+)?(?:support\s+group|"
                           r"breast\s+unit|ward|clinic|team|reception|hospice|unit|chemo\s+suite|helpline|shift|duty|nights|phones?(?:\s+line)?|"
                           r"switchboard|desk)\b"
                           r"|\b(?!(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)(?P<name2>[A-ZÀ-Þ][\w'’-]+)"
                           r"\s+(?:from|on)\s+(?:(?:the\s+)?(?:[A-Z][\w'’-]+\s+){1,3}(?:Ward|Unit|Centre|Suite)|"
                           r"(?:Ward|Bay|Unit)\s+[A-Z]?\d{1,2}[A-Za-z]?)\s+"
                           r"(?:gave|rang|phoned|called|came|was|is|has|had|did|made|took|helped|sorted|explained|looked|"
                           r"brought|always|never|who)\b")  # "Dolma on Percival Ward gave"
    return cue_before, cue_after, cue_verb, cue_apposition, cue_place


def _person_spans(text: str) -> list[tuple[int, int, str]]:
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
            return lw not in common or lw in first or lw in last or (i and lower[i - 1] in TITLES and lw in VIRTUE_NAMES)
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
        if _is_cap(w) and lw in first and lw not in NOT_NAMES and i + 1 < n and _gap_ok(text, e, toks[i + 1][0]) and \
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
                not (i and lower[i - 1] in PLACE_PREPOSITIONS) and \
                _gap_ok(text, e, toks[i + 1][0]) and _is_cap(toks[i + 1][2]) and \
                lower[i + 1] not in common and lower[i + 1] not in TITLES:
            spans.append((s, toks[i + 1][1], "PERSON", SCORE["capitalised_pair"]))
            i += 2
            continue
        # 3. a known first name that is not also a common word (possessive or not: "Oksana's house"), nor an
        # ordinary word, device or brand ("Holly and ivy", "Alexa reminded me"): those need a cue below
        lw_bare = lw[:-2] if lw.endswith("'s") else lw
        if _is_cap(w) and lw_bare in first and lw_bare not in common and (
                lw_bare not in WORD_NAMES or _ROLE_AFTER.match(text, e)):
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
        group = next(g for g in ("name", "name2", "name3", "name4", "name5") if g in m.re.groupindex and m.group(g))
        name = m.group(group)
        ln = name.lower()
        virtue = ln in VIRTUE_NAMES and _is_cap(name) and (group != "name" or m.re is cue_before)  # "the nurse, Faith,"
        if (ln in common and ln not in first and not virtue) or ln.endswith(DRUG_STEMS):  # "Olaparib made me sick"
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
    # a first name, even one that is a word, that a role names: "Bill the porter was kind", "Will was my nurse"
    for m in _NAME_ROLE.finditer(text):
        if (lower_in(m.group("name"), first) or not lower_in(m.group("name"), common)) \
                and m.group("name").lower() not in _VERB_NAMES:  # "Ginge the porter was ..."
            spans.append((m.start("name"), m.end("name"), "PERSON", SCORE["cue"]))
    spans += slot_person_spans(text, first, last, common, set(lower))
    spans += _more_person_spans(text, toks, lower, first, last, common)
    spans += extra_person_spans(text, spans, first, last, common, NOT_NAMES, TITLES)
    spans += cue_person_spans(text, spans, first, last, common, NOT_NAMES, TITLES)
    # names joined by "and" to a name found above: "Thanks to Ngozi and Temitope", "James and Mark", and
    # a first name that is also a word before one: "Grace and Sandra were fab" (not "Holly and ivy")
    def joinable(word: str) -> bool:
        lw = word.lower().replace("’", "'")
        lw = lw[:-2] if lw.endswith("'s") else lw
        return (lw not in common or (lw in first and lw in WORD_NAMES) or lw in VIRTUE_NAMES) and lw not in TITLES and \
            not (len(word) > 1 and word.isupper())  # "Lisa and TTI Tina": an acronym
    for s0, e0, _lab, sc in list(spans):
        m = re.match(r"\s+(?:and|&|n)\s+([A-ZÀ-Þ][\w'’-]+)", text[e0:e0 + LOOK])
        if m and joinable(m.group(1)) and not (lower_in(m.group(1), _WORD_OR_VIRTUE) and not _AFTER_JOINED.match(
                text, e0 + m.end(1))):  # "... and Grace period for the parking fine"
            spans.append((e0 + m.start(1), e0 + m.end(1), "PERSON", min(sc, SCORE["cue"])))
        b = re.search(r"(?<![\w'’-])([A-ZÀ-Þ][\w'’-]+)\s+(?:and|&)\s+$", text[max(0, s0 - 40):s0])
        if b and sc >= SCORE["cue"] and lower_in(b.group(1), WORD_NAMES):  # "Ash and Priya have been"
            a = max(0, s0 - 40) + b.start(1)
            spans.append((a, a + len(b.group(1)), "PERSON", min(sc, SCORE["cue"])))
    # a possessive is not part of the name: "Dr Hughes's team" -> "Hughes"
    return [(s, e - 2, lab, sc) if text[s:e].lower().endswith(("'s", "’s")) and e - s > 3 else (s, e, lab, sc)
            for s, e, lab, sc in spans]


_NAME = r"[A-ZÀ-ÞĀ-Ž][\w'’-]*[^\W\d_]"
#: "H. Bamgbose", "L.J. Zhang", "S.C. Woldemariam": initials, then a surname.
_INITIALS = re.compile(rf"(?<![\w.&/])(?:[A-Z]\.\s?){{1,3}}(?P<sur>{_NAME}(?:-{_NAME})?)")
#: "Tom I. Holzman", "Xiaoling M Nwachukwu": a name, a middle initial, a surname.
_MIDDLE = re.compile(rf"(?<![\w'’-])(?P<first>{_NAME})\s+(?P<mid>[A-Z])(?P<dot>\.?)\s+(?P<sur>{_NAME})")
_SPEECH_ANY = "|".join(v.replace(" ", r"\s+") for v in SPEECH_VERBS)
_SPEECH_ONE = "|".join(v for v in SPEECH_VERBS if " " not in v)
_SPEECH_BEFORE = re.compile(rf"\b(?:{_SPEECH_ANY})\s+(?P<name>{_NAME})")
_SPEECH_AFTER = re.compile(rf"(?<![\w'’-])(?P<name>{_NAME})\s+(?:{_SPEECH_ONE})\b")
_FAMILY = "|".join(FAMILY)
#: Object cues: "I cannot praise X", "meeting X", "on behalf of my mother, X", "shout out to X".
_OBJECT_CUE = re.compile(
    rf"\b(?i:praise|praised|meet|meeting|met|shout\s*out\s+to|seen\s+by|looked\s+after\s+by|treated\s+by|"
    rf"cared\s+for\s+by|speak\s+to|speaking\s+to|talk\s+to|talked\s+to|(?:my|our|her|his)\s+(?:{_FAMILY}),?|"
    rf"thanks|cheers|ta|thx|thnx|ty|tell|told|ask\s+for|big\s+up|love\s+to|said\s+to|(?:gave|give)\s+(?:her|his)\s+name\s+as|"
    rf"say\s+(?:hi|hello)\s+to|rely\s+on|relied\s+on|depend\s+on)"
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
        if namelike(m.group("sur")) and not (m.group(0)[:2] == "I." and m.group(0)[2:3].isspace()):  # "I.El-Masri"
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
    n_words = len(words)
    while words and (role(*words[0]) or (len(words) > 1 and (norm(*words[0]) in EDGE_WORDS
                                                             or thanks_word(text[words[0][0]:words[0][1]])))):
        words.pop(0)
    while words and role(*words[-1]):
        words.pop()
    if not words or (len(words) > 1 and norm(*words[-1]) in PLACE_NOUNS):  # "Cherry Ward"; "Dr Ward" stays
        return None
    if len(words) > 1 and sc < SCORE["title"] and norm(*words[0]) in _WARD_WORDS:  # "Orchid Ward Millbrook"
        return None
    if len(words) == 1 and norm(*words[0]) in _TEXTSPEAK:  # "Luv babirye at reception", "Ty nansubuga"
        return None
    if len(words) == 1 and sc <= SCORE["cue"] and norm(*words[0]) in PLACE_NOUNS:  # "Ward is lovely"
        return None
    s2, e2 = words[0][0], words[-1][1]
    if len(words) < n_words and sc < SCORE["title"] and all(re.fullmatch(r"[A-Z]\.?", text[a:b]) for a, b in words):
        # "Lift B. My husband": an initial left when the role or "my" after it is dropped; "Dr M" stays
        return None
    if len(words) == 1 and not_a_person(text, s2, e2):  # "Sent from my iPhone", "my bibi"
        return None
    if sc < SCORE["title"] and (_THE_BEFORE.search(text, max(0, s2 - 8), s2) and not _THE_FAMILY.match(text, e2)
                                or _NAMED_PLACE_AFTER.match(text, e2)):  # "the Freeman", "Sir Bobby Robson Unit"
        return None
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
    if sc < SCORE["title"] and prep and (prep.group(1).lower() in PLACE_PREPOSITIONS - {"from"} or (
            prep.group(1).lower() in ("on", "to", "from", "onto") and re.match(r"\s+\d{1,2}[A-Za-z]?\b", text[e2:e2 + LOOK]))
            or (prep.group(1).lower() in ("from", "to") and _MOVEMENT.search(text[max(0, s2 - 60):s2])
                and not _THANKS_GO.search(text[max(0, s2 - 60):s2]))):  # "my thanks also go to Riaan"
        return None
    if len(words) == 1 and norm(*words[0]) in MONTH_WORDS and re.match(r"\s+\d", text[e2:e2 + LOOK]):
        return None
    if sc < SCORE["title"] and _place(text, s2, e2, " ".join(norm(*w) for w in words), sc):
        return None
    if royal_place(text, s2, e2) or eponym(text, s2, e2):  # "The Queen Alexandra", "Becker implant", "Raynaud's"
        return None
    return (s2, e2, label, sc)


#: "the" right before a candidate makes it a hospital or a place ("the Freeman", "the Beatson"), unless a family
#: or a possessive follows ("the Okafor family", "the Okafors' visit").
_THE_BEFORE = re.compile(r"(?<![\w'’-])(?i:the)\s+$")
_THE_FAMILY = re.compile(r"(?:['’]s?|s['’]?)?\s+(?i:family|families|household|twins|brothers|sisters|boys|girls|kids)\b"
                         r"|['’]")
#: A place noun after one or two more capitalised words: "Bobby" in "Sir Bobby Robson Unit", "Ellen Badger Unit".
_NAMED_PLACE_AFTER = re.compile(r"(?:\s+[A-Z][\w'’-]+){1,2}\s+(?:Unit|Ward|Centre|Center|Hospital|Hospice|Suite|Wing|"
                                r"Building|Clinic|Infirmary)\b")
#: Nouns of hospital places that never start a person's name ("Ward Millbrook"; "Park", "Hall", "Wing" may: names).
_WARD_WORDS = frozenset({"ward", "unit", "clinic", "hospital", "centre", "center", "suite", "hospice"})  # not "Wing"
#: Greetings and text-speak that open a clause capitalised, never a name.
_TEXTSPEAK = frozenset({"luv", "ty", "thx", "thnx", "tq", "wer", "hiya", "hey", "pls", "plz", "xx", "xxx", "lol"})
#: Endings of English place names ("Stonebridge", "Highbury", "Loughborough"): an unknown word ending so, found
#: by a weak cue alone, names a place.
TOPONYM_ENDINGS = ("bridge", "bury", "borough", "brough", "chester", "caster", "cester", "minster", "mouth", "ford",
                   "field", "wick", "thorpe", "stead", "combe", "hampton", "shire")
#: Second words of English suburbs and districts ("Beaumont Leys", "Golders Green", "Mile End"): after a word that is
#: no first name, the pair names a place.
SUBURB_WORDS = frozenset("leys ley lea green end heath hill hills cross vale common parks fields gate wood moor "
                         "heights town".split())
#: Second words of a hospital's name after its town ("Scunthorpe General", "Salford Royal").
_HOSPITAL_SECOND = frozenset({"general", "royal", "infirmary", "district", "community", "county", "university"})
_NEXT_TO = r"\s*(?:,|and|&|or|to|-|/)\s*"
_WARD_AFTER = re.compile(r"\s+(?i:is|was)\s+(?:the|a|an|my|our)\s+(?:[a-z]+\s+)?(?i:ward|hospital|unit|clinic|hospice)\b"
                         r"(?!\s+(?i:manager|sister|clerk|nurse|staff|team))")
_WARD_NUMBER = re.compile(r"\s+\d{1,2}[A-Za-z]?\b(?!\s*(?i:x\b|times|days?|weeks?|months?|years?|hours?|hrs?|mins?|"
                          r"minutes?|am\b|pm\b|o'?clock|and|or|[-/.:]))")
_PLACE_NOUN_PAREN = re.compile(rf"\b(?i:{'|'.join(sorted(PLACE_NOUNS))})\s*\(\s*$")
#: A role after a first name that is also an ordinary word makes it a name: "Dawn mental health worker".
_ROLE_AFTER = re.compile(r"\s*,?\s+(?:(?:the|my|our|a|an)\s+)?(?:[a-z]+\s+){0,2}(?:nurse|doctor|surgeon|consultant|"
                         r"oncologist|radiographer|physio|physiotherapist|counsellor|receptionist|registrar|secretary|"
                         r"volunteer|therapist|worker|manager|co-?ordinator|cpn|hca|assistant|practitioner|specialist|"
                         r"midwife|porter|carer|psychologist|psychiatrist|housekeeper|cns)s?\b")
_ROLES_RX = (r"(?:nurse|doctor|surgeon|consultant|oncologist|radiographer|physio|physiotherapist|counsellor|receptionist|"
             r"registrar|secretary|volunteer|therapist|support\s+worker|key\s*worker|manager|co-?ordinator|cpn|hca|"
             r"healthcare\s+assistant|specialist|midwife|porter|psychologist|housekeeper|cns|matron|sister|phlebotomist)")
#: Names that are also verbs opening a wish or a request: "Hope the nurse was ok", "Pray the doctor ..."
_VERB_NAMES = frozenset({"hope", "wish", "trust", "pray", "bless", "let", "ask", "tell", "call", "thank", "pity", "may"})
_NAME_ROLE = re.compile(rf"(?<![\w'’-])(?P<name>[A-Z][a-z'’-]+)(?:\s+the\s+(?:[a-z]+\s+)?{_ROLES_RX}\s+(?:was|is|has|had|were|"
                        rf"did|came|helped|made|took|always|never)\b|\s+(?:was|is|has\s+been)\s+(?:my|our|the|her|his)\s+"
                        rf"(?:[a-z]+\s+)?{_ROLES_RX}\b)")
_WARD_BEFORE = re.compile(r"\b(?i:on|to|from|onto|at|in)\s+(?:[A-Z][\w'’-]*\s+)?$")


def _toponym(word: str, first, last) -> bool:
    w = word.lower().replace("’", "'")
    return len(w) > 5 and word[0].isupper() and w.endswith(TOPONYM_ENDINGS) and w not in first and w not in last


def _place(text: str, s: int, e: int, name: str, sc: float) -> bool:
    """Whether the candidate PERSON ``text[s:e]`` (lower-cased ``name``, score ``sc``) names a place or a ward:
    a UK town ("Chelmsford", "Melton Mowbray", "Kings Lynn"; one that is also a first name, "Chester", only
    next to another place or after "in", "at", "from" ...), an unknown word ending like an English place name
    after a weak cue ("from Stonebridge"), "(Carlton)" after a clinic, "Aston is the best ward", "City Edward 2"."""
    from .names import uk_places

    places = uk_places()
    first, last = gazetteers()
    before, after = text[max(0, s - LOOK):s], text[e:e + LOOK]
    prev = re.search(r"([^\W\d_][\w'’]*)\s+$", before)
    if prev and f"{prev.group(1).lower()} {name}".replace("’", "'") in places:  # "Kings Lynn"
        return True

    def placelike(word: str) -> bool:
        w = word.lower().replace("’", "'")
        return (w in places and w not in first) or _toponym(word, first, last)

    near = re.search(rf"([^\W\d_][\w'’-]*){_NEXT_TO}$", before)
    nxt = re.match(rf"{_NEXT_TO}([^\W\d_][\w'’-]*)", after)
    near_place, next_place = bool(near and placelike(near.group(1))), bool(nxt and placelike(nxt.group(1)))
    if name in HOSPITAL_NAMES and name not in first:  # "the letter from Raigmore"
        return True
    if name in places:
        if " " in name or not any(w in first for w in name.split()):  # "Melton Mowbray", "Nottingham"
            return True
        if near_place or next_place or (prev and prev.group(1).lower() in PLACE_PREPOSITIONS | {"to"}):
            return True
    if near_place and next_place:  # "Stonebridge, Carlton, Nottingham"
        return True
    words = name.split()
    if len(words) == 2 and words[0] in places and words[0] not in first and (
            sc <= SCORE["capitalised_pair"] or words[1] in _HOSPITAL_SECOND):
        return True  # "Nottingham Prognostic (Index)", "Scunthorpe General"
    if len(words) == 2 and words[1] in SUBURB_WORDS and words[0] not in first:  # "Beaumont Leys"; "Jane Green" stays
        return True
    suburb = re.match(r"\s+([A-Z][a-z]+)\b", after)
    if len(words) == 1 and suburb and suburb.group(1).lower() in SUBURB_WORDS and name not in first:  # "Beaumont" Leys
        return True
    if " " not in name and sc <= SCORE["cue"] and _toponym(text[s:e], first, last):
        return True
    if _PLACE_NOUN_PAREN.search(before):  # "Park House clinic (Carlton)"
        return True
    if _WARD_AFTER.match(after):  # "Aston is the best ward"
        return True
    return bool(_WARD_NUMBER.match(after) and _WARD_BEFORE.search(before))  # "to City Edward 2"


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - LOOK):pos].rstrip() or text[:pos].rstrip()
    return not before or before[-1] in ".!?\n:;\"“("
