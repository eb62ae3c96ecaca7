"""Names in the slots of letters, emails, forms and transcripts, and after thanks said in another language
(issue 14, ninth round).

:func:`slot_person_spans` returns ``(start, end, "PERSON", score)`` for:

1. **greetings**: ``Dear Rosalind,``, ``Hi Tuyet,``, ``Good morning Oluchi,``, ``hi chidera its ...`` at the start
   of a line, a sentence or a quotation (never "Dear Sir or Madam", "Hi all", "Dear Patient Advice Team");
2. **sign-offs**: ``Kind regards, I. Oyebanji``, ``best wishes, k.mensah``, ``Thanks,\nTuyet``: the rest of the line
   after a closing, a name before closing kisses (``today, Thanh x``) and a name opening a line of an e-mail
   (``Ibukunoluwa, sorry to chase again``);
3. **speaker labels and fields**: ``Nkiruka: the parking ...``, ``Obinna (staff nurse): ...`` at the start of a
   line, ``Dung (porter)`` anywhere, ``From: Ottoline Fiennes-Clinton``, ``Name of the nurse: Thuy Pham``; never a
   heading ("Overall:", "Parking:", "Re:", "To: PALS");
4. **lower-case virtue names and "miss"**: ``nurse mercy``, ``sister gift``, ``called blessing`` (an abstract noun
   such as "hope" only after a title), ``miss penrose`` (a surname or a word English does not know);
5. **thanks and greetings in other languages** (:data:`FOREIGN_THANKS`: "merci", "asante sana", "teşekkürler",
   "dziękuję", "cảm ơn", "go raibh maith agat" ...) before a name, and the honorific "ji" after one
   (``Harjit ji``); "it's X from the clinic" in a quoted message.

A name word in these slots is any word that is not a common English word, or a first name or word name
(:data:`~.deidentify_data.VIRTUE_NAMES`, ``WORD_NAMES``) when capitalised; never a role, a title, a service
noun or a greeting word (:data:`NOT_IN_SLOT`). :func:`not_a_person` is the other side: words in a name's
place that are no person here (an e-mail footer's "Sent", family words of other languages: "my bibi").
"""
from __future__ import annotations

import re

from .deidentify_data import NOT_NAMES, PLACE_NOUNS, SERVICE_NOUNS, TITLES, VIRTUE_NAMES, WORD_NAMES

#: Words that fill a greeting, a sign-off or a label without being a name.
NOT_IN_SLOT = frozenset(
    "sir sirs madam madame all everyone everybody there both you guys folks friends colleagues ladies gentlemen "
    "team staff patient patients experience advice liaison pals complaints department doctor doctors nurse nurses "
    "god lord jesus again again, once future reader whom concern it this that facilitator moderator interviewer "
    "interviewee participant member members note notes re to from cc bcc subject date phone mob mobile tel email "
    "e-mail name address ref reference answer comment comments response question yes no overall positive negative "
    "ps nb update edit summary q a p speaker unknown inaudible crosstalk laughter other others mum dad".split())
#: Thanks and greetings of other languages that open a sentence before a name (lower case, no accents needed).
FOREIGN_THANKS = (
    r"merci(?:\s+beaucoup)?", r"(?:muchas\s+)?gracias", r"danke(?:\s+sch(?:ö|oe?)n)?", r"grazie(?:\s+mille)?",
    r"obrigad[oa]", r"dank\s+(?:je|u)(?:\s+wel)?", r"bedankt", r"tack(?:\s+så\s+mycket)?", r"spasibo", r"спасибо",
    r"asante(?:\s+sana)?", r"te[şs]ekk[üu]r(?:ler|\s+ederim)", r"sa[ğg]\s*ol", r"efharist[oó]", r"ευχαριστώ",
    r"ngiyabonga", r"medaase", r"mahalo", r"arigat[oō](?:\s+gozaimasu)?", r"xie\s*xie", r"xièxie",
    r"[kg]amsahamnida", r"dhanyavaa?d", r"dhanyawaa?d", r"shukriya", r"shukria", r"shukran",
    r"jazak\s*allah(?:\s+khair)?", r"dzi[eę]kuj[eę](?:\s+bardzo)?", r"c[ảa]m\s+[ơo]n", r"k[öo]sz[öo]n[öo]m(?:\s+sz[ée]pen)?",
    r"mul[țţt]umesc(?:\s+frumos)?", r"daa?l[ụu]", r"e\s+(?:se|ṣe|ṣé|sé)(?:\s+gan)?(?:\s+ni)?",
    r"go\s+raibh\s+(?:m[íi]le\s+)?maith\s+agat", r"salamat(?:\s+po)?(?:\s+kay)?", r"sat\s+sri\s+akal", r"namaste",
    r"namaskar", r"vanakkam", r"nandri", r"hvala", r"d[ěe]kuji", r"[dď]akujem", r"kiitos", r"takk", r"dankie",
    r"enkosi", r"ndatenda", r"webale", r"murakoze", r"na\s+gode", r"nagode", r"imela", r"as-?salaam?u?\s+alaykum",
    r"salaam", r"shalom", r"toda(?:\s+raba)?", r"terima\s+kasih", r"khob\s*khun(?:\s+(?:ka|krab))?", r"obrigado")
_W = r"[^\W\d_](?:[\w'’-]*[^\W\d_])?"
_CAPW = r"[A-ZÀ-ÞĀ-Ž](?:[\w'’-]*[^\W\d_])?"
_START = r"(?:^|(?<=[\n\"“‘(])|(?<=[.!?]\s)|(?<=[.!?]\s\s))[ \t]*"
_GREETING = re.compile(
    _START + r"(?i:dear|hi|hello|hiya|hey|good\s+(?:morning|afternoon|evening)|morning|afternoon|evening)[ \t]+"
    rf"(?P<name>{_W}(?:[ \t]+{_W})?)(?=[ \t]*(?:,|!|\n|$|[ \t]+(?i:its|it's|it’s|this\s+is)\b))", re.M)
_CLOSING = (r"(?:kind|best|warm|warmest|many)\s+(?:regards|wishes|thanks)|regards|yours\s+(?:sincerely|faithfully|"
            r"truly)|love\s+from")
_SIGN_OFF = re.compile(
    rf"(?:(?i:\b(?:{_CLOSING}))[ \t]*,[ \t]*|(?i:(?:^|(?<=\n))[ \t]*(?:{_CLOSING}|thanks|thank\s+you|best|love|cheers|"
    rf"thanks\s+again|ta)[ \t]*[,!.]?[ \t]*\n[ \t]*))"
    rf"(?P<name>(?:[A-Za-z]\.[ \t]?){{0,3}}{_W}(?:[ \t]+{_W})?)[ \t]*(?:x+)?[ \t]*$", re.M)
_ROLE = (r"(?:staff\s+nurse|ward\s+manager|ward\s+sister|nurse|sister|matron|doctor|surgeon|consultant|registrar|"
         r"oncologist|radiographer|radiologist|physio|physiotherapist|hca|cns|porter|receptionist|secretary|volunteer|"
         r"manager|therapist|counsellor|phlebotomist|housekeeper|healthcare\s+assistant|support\s+worker|"
         r"key\s+worker|dietitian|pharmacist|sonographer|mammographer|cleaner|chaplain|interpreter|carer|sn|rn)")
_SPEAKER = re.compile(rf"^[ \t]*(?P<name>{_CAPW}(?:[ \t]+{_CAPW})?)[ \t]*(?P<role>\([^()\n]{{1,40}}\))?[ \t]*:[ \t]+\S",
                      re.M)
_WITH_ROLE = re.compile(rf"(?<![\w'’-])(?P<name>{_CAPW})[ \t]+\((?i:(?:the|a|our|my)\s+)?(?i:[a-z]+\s+)?(?i:{_ROLE})\)")
#: "Ibukunoluwa, sorry to chase again": a name alone opening a line, then a comma and a request or an apology.
_VOCATIVE_LINE = re.compile(rf"^[ \t]*(?P<name>{_CAPW}),[ \t]+(?i:sorry|please|just|hope|can|could|would|i|i'm|"
                            r"apologies|quick|thank|thanks|any)\b", re.M)
#: "thinking of u today, Thanh x": a name before the kisses that close a message.
_KISSES = re.compile(rf"(?:,|\n)[ \t]*(?P<name>{_W})[ \t]+x{{1,4}}(?=[ \t]*(?:[\"”]|$))", re.M)
#: "me and obiageli want to say": a lower-case name joined to "me" before what the two of them did.
_ME_AND = re.compile(r"(?<![\w'’-])(?i:me)\s+(?:and|&|n)\s+(?P<name>[^\W\d_A-Z][\w'’-]*[^\W\d_])\s+(?:want|wanted|would|"
                     r"will|are|were|have|had|went|both|say|said|just|came|love|thank|thanks|would)\b")
#: Lower-case virtue names in a name's slot ("nurse mercy", "sister gift", "she was called blessing").
_LOWER_VIRTUE = re.compile(r"(?<![\w'’-])(?P<cue>nurse|sister|matron|staff\s+nurse|called|named|known\s+as)\s+"
                           r"(?P<name>[a-z]+)(?![\w'’-])")
#: Virtue names that are also abstract nouns after "called" ("a group called hope"): only after a title.
_ABSTRACT = frozenset("hope faith grace joy patience charity justice knowledge happiness comfort memory given fortune "
                      "divine innocent beauty sunday honor honour".split())
#: "miss penrose": a lower-case "miss" before a surname or a word English does not know (not "I miss chemo").
_LOWER_MISS = re.compile(r"(?<![\w'’-])miss\s+(?P<name>[a-z][a-z'’-]*[a-z])(?![\w'’-])")
_FIELD = re.compile(r"^[ \t]*(?:(?i:from|signed|sender|signature)|[^\n:]{0,60}\b(?i:name)\b[^\n:]{0,60})[ \t]*:[ \t]*"
                    rf"(?P<name>{_W}(?:[ \t]+{_W}){{0,3}})[ \t]*$", re.M)
_THANKS = re.compile(
    rf"(?<![\w'’-])(?i:{'|'.join(FOREIGN_THANKS)})[ \t]*,?[ \t]+(?:(?i:po|kay|ate|kuya|ya|doctor|doktor|dr|miss|mrs|ms|"
    rf"mr|sister|nurse|pani|pan|bibi|didi)[ \t]+){{0,2}}(?P<name>{_W})(?![\w'’-])")
_HONORIFIC = re.compile(rf"(?<![\w'’-])(?P<name>{_W})[ \t]+ji\b(?![\w'’-])")
_ITS_FROM = re.compile(rf"(?i:\bit'?s|\bit’s|\bthis\s+is)[ \t]+(?P<name>{_W})[ \t]+(?i:from|at|on)[ \t]+(?:the[ \t]+)?"
                       r"(?i:breast|ward|clinic|hospital|unit|team|reception|surgery|gp|chemo|oncology|radiotherapy|"
                       r"helpline|hospice|centre)")
#: Family words of other languages, in a name's place after "my" ("my bibi", "my nani", "my mẹ"): no person's name.
FOREIGN_FAMILY = frozenset(
    "bibi nani nanaji nanima dadi dadima dada dadaji amma ammi ammiji ammu abba abbu abbaji appa baba babcia babunia "
    "dziadek dziadzia mama mamá mamma papa mẹ má bố ba bà ông abuela abuelo abuelita nonna nonno oma opa omi yiayia "
    "yaya giagia lola lolo nanay tatay inay itay ate kuya bhabhi didi bhaiya bhai chacha chachi mausi masi bua phupho "
    "khala khalu mami mamu babushka dedushka anneanne babaanne anne teyze hala mamie papi mutti vati ouma oupa gogo "
    "iya nne nna ammachi paati thatha bubbe zayde savta saba teta jiddo sitti avó avô mãe pai beta beti".split())
_FOOTER = re.compile(r"\s+from\s+(?:my\s+)?(?i:i?phone|ipad|android|samsung|galaxy|outlook|mobile|huawei|blackberry|"
                     r"mail|yahoo|gmail|tablet|pixel)\b")
_FAMILY_BEFORE = re.compile(r"(?i:\b(?:my|our|her|his|their|your|the)\s+)$")


#: First words of :data:`FOREIGN_THANKS`: the thanks pattern runs only on a text holding one (speed).
_THANKS_FIRST = frozenset(
    "merci gracias muchas danke grazie obrigado obrigada dank bedankt tack spasibo спасибо asante teşekkürler teşekkür "
    "tesekkurler tesekkur sağ sag sagol sağol efharisto efharistó ευχαριστώ ngiyabonga medaase mahalo arigato arigatō "
    "xie xiexie xièxie kamsahamnida gamsahamnida dhanyavad dhanyavaad dhanyawad dhanyawaad shukriya shukria shukran "
    "jazakallah jazak dziękuję dziekuje dziękuje dziekuję cảm cam köszönöm koszonom mulțumesc mulţumesc multumesc "
    "daalụ dalụ daalu dalu e go salamat sat namaste namaskar vanakkam nandri hvala děkuji dekuji ďakujem dakujem kiitos "
    "takk dankie enkosi ndatenda webale murakoze na nagode imela as-salaam as-salamu assalamu salaam shalom toda terima "
    "khob khobkhun".split())
_VIRTUE_CUES = frozenset("nurse sister matron called named known".split())
_GREETING_WORDS = frozenset("dear hi hello hiya hey morning afternoon evening".split())
_CLOSING_WORDS = frozenset("regards wishes thanks sincerely faithfully truly love".split())


def slot_person_spans(text: str, first, last, common, words=None) -> list[tuple[int, int, str, float]]:
    """Rules 1-5 of the module docstring. ``words``: the set of the text's words in lower case (apostrophes as
    "'"), if the caller has it; each pattern runs only on a text holding the words it needs."""
    from .names import rare_word

    if words is None:
        words = {w.lower().replace("’", "'") for w in re.findall(r"[^\W\d_][\w'’-]*", text)}

    def word_ok(w: str, strong: bool = False) -> bool:
        lw = w.lower().replace("’", "'")
        lw = lw[:-2] if lw.endswith("'s") else lw
        if w[0].isupper() and lw in VIRTUE_NAMES:  # "Dear Charity,"
            return True
        if lw in NOT_IN_SLOT or lw in NOT_NAMES or lw in TITLES or lw in SERVICE_NOUNS or lw in PLACE_NOUNS \
                or lw in FOREIGN_FAMILY or (len(w) > 1 and w.isupper()):
            return False
        if w[0].isupper():  # a first name or word name, or a word English does not know ("Handover" is known)
            return lw in first or lw in VIRTUE_NAMES or lw in WORD_NAMES or (lw not in common and (
                strong or rare_word(lw) or lw in last))
        return lw not in common and (strong or lw in first or rare_word(lw))

    def name_ok(name: str) -> bool:
        words = [w for w in re.split(r"[ \t]+", name.strip()) if w]
        return bool(words) and all(word_ok(w) for w in words)

    out: list[tuple[int, int, str, float]] = []

    def add(m: re.Match, group: str, score: float) -> None:
        a, b = m.span(group)
        out.append((a, b, "PERSON", score))

    for m in (_GREETING.finditer(text) if words & _GREETING_WORDS else ()):
        parts = m.group("name").split()
        if parts[0].lower() in TITLES:  # "Dear Nurse Ibrahim": the title rule's
            continue
        if name_ok(m.group("name")):
            add(m, "name", 0.75)
        elif len(parts) == 2 and word_ok(parts[0]) and not m.group("name").endswith(("'s", "’s")):
            out.append((m.start("name"), m.start("name") + len(parts[0]), "PERSON", 0.7))
    for m in (_SIGN_OFF.finditer(text) if "\n" in text or words & _CLOSING_WORDS else ()):
        name = m.group("name")
        core = re.sub(r"^(?:[A-Za-z]\.[ \t]?)+", "", name)
        if core and (name_ok(core) or (core != name and core.lower() not in NOT_IN_SLOT and core.islower())):
            add(m, "name", 0.7)
    colon = ":" in text
    for m in (_SPEAKER.finditer(text) if colon else ()):
        name, role = m.group("name"), m.group("role")
        if name_ok(name) or (role and re.search(_ROLE, role, re.I) and " " not in name
                             and name.lower() not in NOT_IN_SLOT | NOT_NAMES | TITLES | SERVICE_NOUNS):
            add(m, "name", 0.7)
    for m in (_WITH_ROLE.finditer(text) if "(" in text else ()):
        name = m.group("name")
        if name.lower() not in NOT_IN_SLOT | NOT_NAMES | TITLES | SERVICE_NOUNS | PLACE_NOUNS and not name.isupper():
            add(m, "name", 0.7)
    for rx, need in ((_VOCATIVE_LINE, ","), (_KISSES, "x"), (_ME_AND, "me")):
        for m in (rx.finditer(text) if (need in text if need == "," else need in words or need.upper() in words) else ()):
            if word_ok(m.group("name")):
                add(m, "name", 0.65)
    for m in (_LOWER_VIRTUE.finditer(text) if words & _VIRTUE_CUES else ()):
        name = m.group("name")
        after_title = m.group("cue") not in ("called", "named") and not m.group("cue").startswith("known")
        if name in VIRTUE_NAMES and (after_title or name not in _ABSTRACT):
            add(m, "name", 0.6)
    for m in (_LOWER_MISS.finditer(text) if "miss" in words else ()):
        name = m.group("name")
        if name not in common and name not in NOT_NAMES and name not in FOREIGN_FAMILY and (
                name in last or name in first or rare_word(name)):
            add(m, "name", 0.6)
    for m in (_FIELD.finditer(text) if colon else ()):
        if name_ok(m.group("name")):
            add(m, "name", 0.75)
    for rx, run in ((_THANKS, bool(words & _THANKS_FIRST)), (_HONORIFIC, "ji" in words),
                    (_ITS_FROM, bool(words & {"it's", "its", "this"}))):
        for m in (rx.finditer(text) if run else ()):
            if word_ok(m.group("name"), strong=rx is not _HONORIFIC):
                add(m, "name", 0.65)
    return out


_THANKS_WORD = re.compile(rf"(?i:{'|'.join(FOREIGN_THANKS)})")


def thanks_word(word: str) -> bool:
    """Whether ``word`` is one of :data:`FOREIGN_THANKS` ("Teşekkürler", "Merci"), which opens no name."""
    return bool(_THANKS_WORD.fullmatch(word))


def not_a_person(text: str, s: int, e: int) -> bool:
    """Whether the one-word candidate ``text[s:e]`` is no person here: an e-mail footer's "Sent" ("Sent from my
    iPhone") or a family word of another language after "my" (:data:`FOREIGN_FAMILY`: "my bibi", "my nani")."""
    w = text[s:e].lower().replace("’", "'")
    w = w[:-2] if w.endswith("'s") else w
    if w == "sent" and _FOOTER.match(text, e):
        return True
    return w in FOREIGN_FAMILY and bool(_FAMILY_BEFORE.search(text, max(0, s - 8), s))
