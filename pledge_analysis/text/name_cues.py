"""Names in shapes the first two rounds miss (issue 14, third round), and text written in capitals.

:func:`cue_person_spans` returns ``(start, end, "PERSON", score)`` for:

1. **a title and one initial**: ``Dr M``, ``Sister N.``, ``Mr P`` (never the data's own mask ``Mr X``);
2. **initials without dots, or starting with I.**: ``F Grigoryan``, ``MN Guleed``, ``I.B. Tehrani``: the
   surname must be a gazetteer surname or a word English does not know, and the initials no acronym
   (``GP``, ``CT``, ``MRI`` ...) nor after a word such as "vitamin", "ward" or "bay";
3. **one capitalised word that English does not know, in a slot only a person fills**: after
   "especially", "in particular", "concerns", "signed by", "a call from", "Mum (" ...; before ", who",
   " and I", " saying", a verb people do ("whispered", "apologised", "noticed" ...), "was off sick",
   "should be promoted", ``(SN)``, ``, my neighbour`` or ``'s house`` / ``'s husband``; or joined by "and"
   to a name already found.
   Drug names are kept out by their international non-proprietary name stems (:data:`DRUG_STEMS`,
   "-zole", "-taxel", "-mab" ...) and places by the prepositions before them.

:func:`truecase` rewrites a text written (almost) all in capitals so the name rules can read it:
``THANK YOU NNAMDI`` -> ``thank you Nnamdi`` (same length, so spans map back unchanged).

Every rule needs evidence beyond "a word we do not know", as in :mod:`.name_shapes`; scores are low
(0.5-0.6) for the weakest, so :func:`~pledge_analysis.text.deidentify.least_certain` lists them first.
"""
from __future__ import annotations

import re

#: Endings of international non-proprietary drug names (WHO INN stems): a capitalised word ending so is a drug.
DRUG_STEMS = ("mab", "tinib", "ciclib", "lisib", "azole", "trozole", "prazole", "taxel", "rubicin", "platin", "stane",
              "relin", "parin", "pril", "sartan", "olol", "statin", "cillin", "mycin", "floxacin", "cycline",
              "tidine", "setron", "azine", "azepam", "zolam", "semide", "thiazide", "gliptin", "formin", "profen",
              "codeine", "caine", "grastim", "poetin", "xaban", "gatran", "dronate", "tecan", "citabine", "fungin",
              "lukast", "tropium", "terol", "methasone", "nisone", "olone", "oxifen", "mustine", "limus", "parib")
#: Initials that are acronyms of the health service, not a person's ("GP Smith" is a practice).
ACRONYMS = frozenset({"GP", "NHS", "CT", "MRI", "PET", "OT", "ITU", "ICU", "ED", "UK", "US", "EU", "TV", "IV", "BP",
                      "PA", "DR", "MR", "MS", "ST", "NO", "OK", "RE", "CC", "BCC", "CNS", "HCA", "SN", "RN", "A", "I",
                      "X", "XX", "XXX", "PALS", "ENT", "ECG", "DVT", "PE", "HRT", "IVF", "BMI", "STI", "OBS", "DNA",
                      "OP", "OPD", "DOB", "NB", "PS", "PM", "AM", "ID", "MP", "PC", "UTI"})
_TITLE = r"(?:Dr|Doctor|Nurse|Sister|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Matron)"
_WORDNAME = r"[A-ZÀ-ÞĀ-Ž][\w'’-]*[^\W\d_]"
_TITLE_INITIAL = re.compile(rf"(?<![\w'’-]){_TITLE}\.?\s+(?P<i>[A-HJ-WYZ])(?![\w'’-])(?!\.?\s?[A-Z][\w'’-])")
_INITIALS = re.compile(rf"(?<![\w'’.&/-])(?P<init>[A-Z]{{1,2}}|I\.\s?(?:[A-Z]\.\s?){{0,2}})\s?(?P<sur>{_WORDNAME})")
_NOT_BEFORE_INITIAL = frozenset({"vitamin", "ward", "bay", "room", "type", "grade", "stage", "level", "plan", "block",
                                 "wing", "zone", "floor", "hepatitis", "area", "entrance", "unit", "bed", "side",
                                 "phase", "option", "section", "part", "form", "gate", "door", "suite", "team"})
_FAMILY = r"(?:mum|mom|mam|mother|dad|father|son|daughter|husband|wife|partner|sister|brother|nan|nana|gran|granny|" \
          r"grandma|grandad|aunt|auntie|uncle|friend|neighbour|carer|stepdad|stepmum|niece|nephew|cousin|" \
          r"granddaughter|grandson)"
_ROLE = r"(?:volunteer|receptionist|porter|phlebotomist|housekeeper|physio|radiographer|consultant|registrar|hca|" \
        r"healthcare\s+assistant|staff\s+nurse|cns|cpn|therapist|counsellor|dietitian|surgeon|oncologist|midwife|" \
        r"psychologist|pharmacist|sonographer|mammographer)"
#: A single unknown capitalised word in one of these slots is a person's name.
_BEFORE = re.compile(
    rf"(?i:\b(?:especially|particularly|in\s+particular|notably|concerns|"
    rf"signed\s+by|written\s+by|checked\s+by|done\s+by|arranged\s+by|organised\s+by|organized\s+by|handed\s+over\s+to|"
    rf"handover\s+(?:given\s+)?to|given\s+to|referred\s+to|(?:a\s+)?(?:call|message|phone\s+call|text|letter|visit)\s+"
    rf"(?:from|to|for)|message\s+for|thanks\s+again,|thank\s+you\s+again,|{_FAMILY}\s*\(|"
    # fifth round, weak contexts: "sat with Oyelaran", "I owe Kalani", "asked to see Bhat", "ask 4 Nakato",
    # "if it wasn't for Koos", "later by Swathi", "where is Shaz", "receptionist Chanthou"
    rf"(?:hi|hello|hiya|hey)\s*,?\s+(?:it'?s|this\s+is)|(?:lady|man|gentleman|guy|girl|person|name|{_ROLE}|nurse|doctor)"
    rf"\s+(?:was|is)(?:\s+called)?|with|owe(?:\s+(?:so\s+much|a\s+lot|everything|it\s+all|my\s+life))?(?:\s+to)?|see|saw|seeing|"
    rf"ask\s+(?:4|for)|wasn'?t\s+for|were\s+it\s+not\s+for|if\s+not\s+for|later\s+by|wh?ere?\s+is|where'?s|"
    rf"{_ROLE}|"
    # seventh round: "told the same story to Swathi", "nobody told mum's carer, Chrysanthi"
    rf"(?:story|history|details)\s+(?:again\s+|all\s+over\s+again\s+)?to|"
    rf"{_FAMILY}['’]s\s+(?:carer|nurse|friend|neighbour|partner|husband|wife|boyfriend|girlfriend),?))\s*(?P<name>{_WORDNAME})"
    rf"|\b(?i:without)\s+(?P<name2>{_WORDNAME})(?=,)|\b(?i:between)\s+(?P<name3>{_WORDNAME})(?=\s+and\b)"
    rf"|\b(?i:it\s+was)\s+(?P<name4>{_WORDNAME})(?=\s+(?:I|who|that)\b)")
_AFTER = re.compile(
    rf"(?<![\w'’-])(?P<name>{_WORDNAME})(?=,\s+who\b|\s+and\s+(?:I|me|myself)\b|\s+saying\b|,?\s+(?:whispered|smiled|"
    rf"laughed|hugged|apologised|apologized|noticed|texted|messaged|reassured|comforted|introduced|remembered|rang|"
    rf"deserves|squeezed|waved|winked|chatted|popped|sent\s+(?:me|us|my|mum|dad))\b|\s+(?:is|was)\s+(?:off\s+sick|on\s+leave|off\s+today|"
    rf"on\s+today|the\s+reason|the\s+only\s+one|the\s+one\s+who|off\s+work|the\s+best\s+{_ROLE}|the\s+best\s+"
    rf"(?:nurse|doctor))|\s+I\s+saw\b|\s+should\s+be\s+(?:promoted|thanked|praised|recognised|"
    rf"recognized|commended|proud)|\s+\((?i:sn|rn|hca|cns|staff\s+nurse|nurse|sister|registrar|consultant|"
    rf"physio|matron|sho|f1|f2|fy1|fy2)\)|,\s+(?:the|my|our|her|his)\s+(?i:ward\s+manager|manager|neighbour|"
    rf"friend|carer|colleague|daughter|son|husband|wife|partner|sister|brother|mum|dad|cousin|interpreter|"
    rf"lodger|flatmate)\b|['’]s\s+(?:house|flat|home|bedside|funeral|wedding|birthday|husband|wife|partner|mum|"
    rf"dad|son|daughter|kids|children|family|grandchildren|shift|rota|clinic|list|patients|secretary|office)\b)")
_AND_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{_WORDNAME})\s+(?:and|&)\s+$")
_PLACE_PREP = re.compile(r"(?i:\b(?:in|at|near|from|to|into|towards|around|outside|via|on)\s+)$")
#: Endings of nationality words ("Ghanaian", "Togolese", "Cornish"): after "was" they describe, not name.
_DEMONYM = ("ian", "ese", "ish", "ean", "iote")
#: Words that may be capitalised in a slot yet are not names.
_NOT = frozenset({"covid", "christmas", "easter", "zoom", "teams", "whatsapp", "facebook", "google", "youtube",
                  "amazon", "tesco", "asda", "boots", "costa", "sainsbury", "sainsburys", "morrisons", "lidl", "aldi"})

#: Contractions written without their apostrophe, as shouting text often is ("IM APPALLED").
_NO_APOSTROPHE = frozenset("im ive id ill dont cant wont didnt isnt wasnt doesnt couldnt wouldnt shouldnt youre "
                           "theyre thats whats hes shes weve theyve arent werent havent hasnt".split())


def truecase(text: str, common, keep_upper=frozenset(), names=frozenset()) -> str | None:
    """A text written in capitals (at least 60% of at least 12 letters), with its words in lower case except
    those that may be names (in ``names``, or rare in English: :func:`~.names.rare_word`), which are
    capitalised, and ``keep_upper`` (acronyms); ``None`` when the text is not written in capitals. Same length
    as ``text``.

    >>> from pledge_analysis.text.names import common_words
    >>> truecase("THANK YOU NNAMDI, IM APPALLED BY THE GP", common_words(), {"GP"})
    'thank you Nnamdi, im appalled by the GP'
    """
    from .names import rare_word

    letters = [c for c in text if c.isalpha()]
    if len(letters) < 12 or sum(c.isupper() for c in letters) < 0.6 * len(letters):
        return None

    def word(m: re.Match) -> str:
        w = m.group(0)
        lw = w.lower()
        if w == "I" or w.upper() in keep_upper:
            return w
        stem = lw.replace("’", "'").split("'")[0]
        name = stem not in common and stem not in _NO_APOSTROPHE and (stem in names or rare_word(stem))
        new = w[0] + w[1:].lower() if name else lw
        return new if len(new) == len(w) else w

    out = re.sub(r"[^\W\d_][\w'’-]*", word, text)
    return out if len(out) == len(text) else None


def cue_person_spans(text: str, found, first, last, common, not_names, titles) -> list[tuple[int, int, str, float]]:
    """Rules 1-3 of the module docstring; ``found`` are the PERSON spans so far (rule 3's "and" join)."""
    from .name_shapes import bare
    from .names import rare_word

    out: list[tuple[int, int, str, float]] = []

    def unknown(w: str) -> bool:
        """A capitalised word (not in capitals) English does not know, no role, title, month or drug name."""
        lw = bare(w)
        return not (len(w) > 1 and w[1:].isupper()) and lw not in common and lw not in not_names and \
            lw not in titles and lw not in _NOT and (lw in first or (rare_word(lw) and not lw.endswith(_DEMONYM))) \
            and not lw.endswith(DRUG_STEMS) and len(lw) > 1

    def end_of(m: re.Match, group: str) -> int:
        name = m.group(group)
        return m.start(group) + len(bare(name)) if bare(name) != name.lower() else m.end(group)

    # 1. a title and one initial
    for m in _TITLE_INITIAL.finditer(text):
        out.append((m.start("i"), m.end("i"), "PERSON", 0.85))
    # 2. initials without dots, or starting with "I."
    for m in _INITIALS.finditer(text):
        init, sur = m.group("init"), m.group("sur")
        letters = init.replace(".", "").replace(" ", "")
        if letters in ACRONYMS and not init.startswith("I."):
            continue
        if init.startswith("I.") and not (len(letters) > 1 or bare(sur) in last):
            continue
        if not init.endswith((".", " ")) and not text[m.end("init"):m.start("sur")]:
            continue  # "MNGuleed" is no initial
        lw = bare(sur)
        if sur.isupper() or lw in common or lw in not_names or lw in titles or not (lw in last or rare_word(lw)):
            continue
        prev = re.search(r"([^\W\d_]+)\W*$", text[max(0, m.start() - 40):m.start()])
        if prev and prev.group(1).lower() in _NOT_BEFORE_INITIAL:
            continue
        out.append((m.start(), end_of(m, "sur"), "PERSON", 0.6))
    # 3. one unknown capitalised word in a person's slot
    for rx in (_BEFORE, _AFTER):
        for m in rx.finditer(text):
            group = next(g for g in ("name", "name2", "name3", "name4") if g in rx.groupindex and m.group(g))
            name = m.group(group)
            if not unknown(name):
                continue
            if rx is _AFTER and _PLACE_PREP.search(text[max(0, m.start() - 20):m.start()]) and \
                    not text[m.end():m.end() + 6].startswith((",", " saying", " and", "'s", "’s")):
                continue
            out.append((m.start(group), end_of(m, group), "PERSON", 0.55))
    for s, _e, _lab, sc in found:
        m = _AND_BEFORE.search(text[max(0, s - 60):s])
        if m and unknown(m.group("name")):
            a = max(0, s - 60) + m.start("name")
            if not _PLACE_PREP.search(text[max(0, a - 20):a]):
                out.append((a, a + len(bare(m.group("name"))) if bare(m.group("name")) != m.group("name").lower()
                            else a + len(m.group("name")), "PERSON", min(sc, 0.6)))
    # 4. lists: an unknown word after or before a name found so far, joined by ",", "/" or ", then"
    #    ("Padmaja / Bazza Kyeyune / Puspita", "to Nalubega, then Sopheap Pretorius"); each new one extends the list
    todo = [sp for sp in list(found) + out if sp[2] == "PERSON"]
    seen = {(a, b) for a, b, *_ in todo}
    while todo:
        s, e, _lab, sc = todo.pop()
        hits = []
        m = _LIST_AFTER.match(text, e)
        if m and unknown(m.group("name")):
            hits.append((m.start("name"), end_of(m, "name")))
        b = _LIST_BEFORE.search(text[max(0, s - 60):s])
        if b and unknown(b.group("name")) and not _sentence_verb_before(text, max(0, s - 60) + b.start("name")):
            a = max(0, s - 60) + b.start("name")
            hits.append((a, a + len(b.group("name"))))
        for a, z in hits:
            if (a, z) not in seen and len(seen) < 50:
                seen.add((a, z))
                sp = (a, z, "PERSON", min(sc, 0.6))
                out.append(sp)
                todo.append(sp)
    return out


_LIST_AFTER = re.compile(rf"\s*(?:,|/)\s*(?:then\s+)?(?P<name>{_WORDNAME})(?![\w'’-])")
_LIST_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{_WORDNAME})\s*(?:,|/)\s*(?:then\s+)?$")


def _sentence_verb_before(text: str, pos: int) -> bool:
    """Whether ``text[pos:]`` is preceded by a place preposition ("in Harrow, Temitope ..."): not a list of people."""
    return bool(_PLACE_PREP.search(text[max(0, pos - 20):pos]))


# ------------------------------------------------------------------ comments written in Welsh or Polish
#: Frequent words of Welsh and of Polish that English does not use: a comment written mostly in them is not
#: read with the English name rules (their capitalised nouns and mutated words are not names).
FOREIGN_WORDS = {
    "cy": frozenset("yn yr ac roedd mae iawn diolch gyda ond fy oedd dda wych gofal ysbyty cymraeg gymraeg saesneg "
                    "hoffwn cefais hefyd wedi bod fod mor neb nhw ein eu i'r o'r a'r rwy'n dw ddim yma yno ble "
                    "sut pam chi ei nyrs nyrsys meddyg meddygon tîm popeth bob tro clinig adran uned canolfan "
                    "fron llawer gwasanaeth ardderchog".split()),
    "pl": frozenset("się nie że był była było byli bardzo za jest jestem ale dziękuję dziekuje pani mnie mój moja "
                    "moje przez dla czy już tylko oraz który która także też wszystko szpital szpitala lekarz "
                    "lekarza lekarze pielęgniarka pielęgniarki siostra doktor personel zespół opieka opieki wizyta "
                    "wizyty polsku".split()),
}
#: Words before a name in those languages ("Pielęgniarka Kasia", "Nyrs Llinos"); two together are a title.
FOREIGN_TITLES = frozenset({"nyrs", "meddyg", "doctor", "dr", "pielęgniarka", "pielęgniarz", "siostra", "doktor",
                            "pani", "pan", "lekarz", "chirurg", "dr.", "mr", "mrs"})


def foreign_language(text: str) -> str | None:
    """``"cy"`` or ``"pl"`` when at least 2 and 30% of the words of ``text`` (3 or more) are frequent Welsh
    (or Polish) words or spelt as only Welsh (Polish) words are, else ``None``.

    >>> foreign_language("Roedd y staff yn garedig iawn ac yn siarad Cymraeg."), foreign_language("I was seen in Ward 4.")
    ('cy', None)
    """
    words = [w.lower().replace("’", "'") for w in re.findall(r"[^\W\d_][\w'’]*", text)]
    if len(words) < 3:
        return None
    for lang, vocab in FOREIGN_WORDS.items():
        hits = sum(w in vocab or bool(_FOREIGN_SPELLING[lang].search(w)) for w in words)
        if hits >= 2 and hits >= 0.3 * len(words):
            return lang
    return None


#: Spellings English words do not have: Polish letters; Welsh circumflexes, initial "ll", "wy" after a consonant.
_FOREIGN_SPELLING = {"pl": re.compile(r"[ąćęłńśźż]|^(?:prz|szcz|chc)|rz[aeouy]"),
                     "cy": re.compile(r"[ŵŷâêîôû]|^ll[^a]|[^aeiou]wy[^a-z]|[^aeiou]wy$|chw")}


#: Welsh and Polish given names (and Polish diminutives) that Faker's lists lack: with those lists, the names a
#: Welsh or Polish comment may hold without a title ("Roedd Llinos yn garedig").
FOREIGN_FIRST_NAMES = frozenset(
    "llinos siân carys ceri cerys dafydd emyr eleri elin ffion geraint gethin gwenllian huw ieuan lowri meinir "
    "osian owain rhodri sioned siôn menna aled alun angharad delyth eirlys hywel ifan nerys tomos heledd elen "
    "gwenno mererid nest non eurig iolo llŷr llyr math meilyr bryn gruffydd gwilym idris islwyn emrys "
    "kasia basia gosia asia ania ola kuba tomek bartek wojtek franek staś jaś zosia hania małgosia agnieszka "
    "grażyna jadwiga bożena krystyna halina wiesław zbigniew grzegorz mirosław bogdan".split())


def foreign_person_spans(text: str, spans, lang: str, score_title: float) -> list:
    """The PERSON ``spans`` (``(start, end, label, score)``) to keep in a Welsh or Polish text: those found with a
    title or deny-list (``score >= score_title``), the word after one of :data:`FOREIGN_TITLES` that is not
    itself a title or a frequent word of the language ("Pielęgniarka [Kasia]"; not "Dziękuję Pani Doktor"), and
    a capitalised word inside a sentence that is a known first name (Faker's lists or
    :data:`FOREIGN_FIRST_NAMES`) and no frequent word of the language ("Roedd [Llinos] yn garedig"; not
    "Ysbyty Gwynedd", "yn Gymraeg")."""
    from .name_shapes import _is_sentence_start
    from .names import gazetteers

    vocab = FOREIGN_WORDS[lang]
    kept = [sp for sp in spans if sp[3] >= score_title]
    for m in re.finditer(r"(?<![\w'’])([^\W\d_]+)\s+([A-ZÀ-ÞĄĆĘŁŃÓŚŹŻŴŶ][^\W\d_'’-]+)", text):
        title, word = m.group(1).lower(), m.group(2)
        if title in FOREIGN_TITLES and word.lower() not in FOREIGN_TITLES and word.lower() not in vocab \
                and not any(a < m.end(2) and m.start(2) < b for a, b, *_ in kept):
            kept.append((m.start(2), m.end(2), "PERSON", score_title - 0.1))
    first = gazetteers()[0]
    for m in re.finditer(r"(?<![\w'’-])[A-ZÀ-ÞĄĆĘŁŃÓŚŹŻŴŶ][^\W\d_A-Z'’-]+(?![\w'’-])", text):
        w = m.group(0).lower()
        if (w in first or w in FOREIGN_FIRST_NAMES) and w not in vocab and w not in FOREIGN_TITLES \
                and not _is_sentence_start(text, m.start()) \
                and not any(a < m.end() and m.start() < b for a, b, *_ in kept):
            kept.append((m.start(), m.end(), "PERSON", score_title - 0.2))
    return kept
