"""Write the third de-identification evaluation sets: ``deid_dev_v3.jsonl`` and ``deid_heldout_v3.jsonl``.

    python benchmarks/data/make_deid_sets_v3.py      # rewrites both files (seeded, deterministic)

Written on 2026-12-02, *before* any recognizer change of this round (issue 14, second pass), by a
helper who had not read the items of the v2 held-out set nor of the labelled real sample. Built
differently from v1 (``pledge_analysis.text.evaluation``) and v2 (``make_deid_sets_v2.py``):

- **sentence sources**: registers paraphrased from how patient feedback arrives: complaint
  letters, thank-you cards and letters, focus-group speech (fillers, false starts, interruptions),
  text messages and chat (lower case, no punctuation, abbreviations), voicemail and phone-call
  notes, social-media posts, interpreter-mediated answers, survey free text in note form;
- **names** from lists composed by hand for this file (not taken from Faker, which
  ``pledge_analysis/text/names.py`` draws on): West African (Ewe, Fula, Wolof, Mandinka, Hausa),
  Southern and Central African (Shona, Lingala, Zulu), South Asian (Gujarati, Sinhala, Nepali,
  Malayalam, Marathi, Sindhi), Eastern European (Czech, Slovak, Hungarian, Serbian, Croatian,
  Albanian, Lithuanian), East and South-East Asian (Cantonese, Hokkien, Mongolian, Thai, Hmong),
  Arabic (Levantine, Gulf, Maghrebi), Kurdish, Hebrew, Irish and Scottish Gaelic, Brazilian and
  Portuguese, Traveller and English nicknames; forms: double-barrelled and hyphenated surnames,
  apostrophes (O'Donoghue, N'Diaye), particles (de Souza, bin Rashid), nicknames (Bex, Gaz);
  written as first name, first + surname, first + initial + surname, initial(s) + surname,
  title + surname, surname alone after a speech verb, possessives, lower case and capitals;
- **phones** generated from ``phonenumbers``' example numbers of 40 regions (last digits
  varied, kept only when still a possible number), formatted national, international and E.164,
  and rewritten with dots, dashes, brackets, ``00`` for ``+`` and spaces in other places;
- **hard negatives**: drug names, places, months and days, hospital wards and units, staff roles
  and job titles, charities and services, "Dr Google"-style words, common words that are also names
  (Will, Grace, Hope, Bill, Mark), and numbers that are not phone numbers (doses, money, times,
  scores, years, room and bay numbers).

Every list (names per culture, templates per register, phone regions, negatives) is split in two
disjoint halves: the **dev** half may be used to tune the recognizers; the **held-out** half is
frozen (``tests/test_deidentify_v2.py`` checks its SHA-256) and must never be read while tuning.
Gold PERSON spans cover the name only (no title, no possessive ``'s``); PHONE spans the number.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (first names, surnames) per naming culture, composed by hand; even positions -> dev, odd -> held-out.
NAMES = {
    "ewe_akan_ga": (["Edem", "Elikem", "Dzifa", "Senam", "Mawuli", "Nii", "Korkor", "Esinam"],
                    ["Agbeko", "Kpodo", "Dzokoto", "Amegashie", "Tetteh", "Quaye", "Lartey", "Adjei-Brenya"]),
    "fula_wolof_mandinka": (["Mariama", "Ousmane", "Fatou", "Lamine", "Awa", "Modou", "Binta", "Cheikh"],
                            ["Diallo", "Ndiaye", "Sow", "Bah", "Jallow", "Ceesay", "N'Diaye", "Touray"]),
    "hausa": (["Aisha", "Abubakar", "Hauwa", "Sani", "Zainab", "Garba", "Halima", "Nasiru"],
              ["Danjuma", "Bello", "Yakubu", "Abdullahi", "Umaru", "Lawal", "Shehu", "Tanko"]),
    "shona_zulu_lingala": (["Tendai", "Rufaro", "Tatenda", "Nokuthula", "Sipho", "Thandeka", "Mbuyi", "Kabongo"],
                           ["Moyo", "Chikwanha", "Mutasa", "Dlamini", "Khumalo", "Zungu", "Lukusa", "Mbemba"]),
    "gujarati_marathi_sindhi": (["Hetal", "Bhavesh", "Falguni", "Jignesh", "Pooja", "Rohan", "Kajal", "Sunil"],
                                ["Mistry", "Parmar", "Solanki", "Deshpande", "Kulkarni", "Lalwani", "Bhatia",
                                 "Joshi-Thakkar"]),
    "sinhala_malayalam_nepali": (["Dilani", "Chaminda", "Anusha", "Nuwan", "Bindu", "Sajeev", "Sabina", "Prakash"],
                                 ["Wickramasinghe", "Jayasuriya", "Perera", "Nair", "Menon", "Thapa", "Gurung",
                                  "Shrestha"]),
    "czech_slovak_hungarian": (["Zuzana", "Miroslav", "Jana", "Ondřej", "Erzsébet", "Zoltán", "Kateřina", "Gábor"],
                               ["Dvořáková", "Horváth", "Novotný", "Kovács", "Procházka", "Szabó", "Veselá",
                                "Nagy-Tóth"]),
    "serbian_croatian_albanian": (["Milica", "Dragan", "Jelena", "Goran", "Arbër", "Drita", "Besnik", "Vesna"],
                                  ["Jovanović", "Petrović", "Horvat", "Kovačević", "Hoxha", "Krasniqi", "Berisha",
                                   "Marković"]),
    "lithuanian_latvian": (["Aušra", "Mindaugas", "Ieva", "Jānis", "Dace", "Gintaras", "Inga", "Raimonds"],
                           ["Petrauskas", "Jankauskaitė", "Bērziņš", "Ozola", "Vaitkus", "Kalniņa", "Balodis",
                            "Stankevičius"]),
    "cantonese_hokkien": (["Wing", "Siu", "Ka-Yan", "Chun", "Mei-Ling", "Kwok", "Hui", "Boon"],
                          ["Cheung", "Leung", "Wong", "Chan", "Tan", "Lim", "Ng", "Yeung"]),
    "mongolian_thai_hmong": (["Bolormaa", "Ganbaatar", "Narantsetseg", "Somchai", "Siriporn", "Kanya", "Pa", "Txawj"],
                             ["Batbayar", "Dorj", "Suksawat", "Chaiyaporn", "Srisuk", "Vang", "Xiong", "Thao"]),
    "levantine_gulf_maghrebi": (["Rania", "Omar", "Lina", "Tariq", "Samira", "Yousef", "Nour", "Karim"],
                                ["Khoury", "Nassar", "Al-Mansoori", "bin Rashid", "Benali", "El Amrani", "Haddadi",
                                 "Bouzid"]),
    "kurdish_hebrew": (["Rojda", "Shilan", "Avraham", "Yael", "Dilan", "Noam", "Berivan", "Tamar"],
                       ["Barzani", "Zebari", "Cohen", "Mizrahi", "Talabani", "Friedman", "Amedi", "Rosenblatt"]),
    "irish_scottish_gaelic": (["Siobhán", "Pádraig", "Aoife", "Eoghan", "Caoimhe", "Seonaidh", "Eilidh", "Tadhg"],
                              ["O'Donoghue", "Mac Giolla Phádraig", "Ní Mhurchú", "MacLeod", "Ó Súilleabháin",
                               "McGillivray", "Ní Bhriain", "MacKinnon"]),
    "brazilian_portuguese": (["Thiago", "Luana", "João", "Gisele", "Rodrigo", "Conceição", "Vinícius", "Rafaela"],
                             ["de Souza", "Carvalho", "dos Santos", "Figueiredo", "Magalhães", "Gonçalves",
                              "Albuquerque", "Sá Pereira"]),
    "english_double_barrelled": (["Philippa", "Rupert", "Harriet", "Crispin", "Jocasta", "Barnaby", "Clementine",
                                  "Tarquin"],
                                 ["Fforde-Hamilton", "Ashworth-Pryce", "Lloyd Webber", "Carrington-Smythe",
                                  "Haverstock", "Fairweather", "Montague-Jones", "Pennington"]),
}
#: Nicknames and short forms patients use; halves as above.
NICKNAMES = ["Bex", "Gaz", "Shaz", "Jonno", "Mags", "Debs", "Tash", "Kezza", "Babs", "Robbo", "Lozza", "Stevo",
             "Jules", "Ants", "Chels", "Dougie"]
TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Sister", "Nurse", "Prof.", "Doctor", "Mr.", "Mrs."]
SPEECH = ["says", "said", "told me", "explained", "kept saying", "reckons", "mentioned", "promised"]

# Templates per register; slots: {P} any name form, {F} first name or nickname, {T} title + surname
# (title not in the gold span), {S} surname alone, {Q} possessive of any name form, {PH} a phone number.
# A register flagged lower=True is written all lower case (text messages, chat).
REGISTERS = {
    "complaint": (False, [
        "I wish to make a formal complaint about the conduct of {T} during my appointment on the Tuesday.",
        "Despite three letters to the PALS office, nobody, least of all {P}, has answered my questions.",
        "My daughter {F} was left waiting in the corridor for four hours before {T} saw her.",
        "I was told by {P} that the scan had been booked; it had not.",
        "The manner of {T} was dismissive and I felt I was wasting his time.",
        "Please pass this letter to {P}, the service manager, as a matter of urgency.",
        "{Q} refusal to look at my notes caused a delay of six weeks.",
        "When I asked for a second opinion {T} laughed and walked off.",
        "I have copied this complaint to my MP and to {P} at the Trust.",
        "At no point did {P} explain the side effects of the tablets.",
        "I would like an apology from {T} and from the ward manager.",
        "The letter signed by {P} contained another patient's results.",
    ]),
    "thank_you": (False, [
        "Dear all, a huge thank you to {P} for holding my hand through every treatment.",
        "To {F} on the day unit, you made a frightening time bearable. With love.",
        "Words cannot say how grateful we are to {T} and her team.",
        "We will never forget the kindness of {P}, who sat with Mum at the end.",
        "{F}, you always remembered how I took my tea. Thank you!",
        "With heartfelt thanks to {T}, who caught it early and saved my life.",
        "A special mention for {P} in the chemo suite, always smiling.",
        "Thank you {F} and {F} for the laughs on the long days.",
        "From all of us, thanks to {Q} team for everything this year.",
        "I cannot thank {P} enough for the care and the honesty.",
        "Please tell {F} that I am back at work now. Forever grateful.",
        "Our family sends its thanks to {T}, the best surgeon we could have asked for.",
    ]),
    "focus_group": (False, [
        "Yeah, so, um, {F} was the one who actually, like, listened to me.",
        "I mean, {T} was fine, it was more the waiting, you know?",
        "Can I just say, sorry, can I just say {P} was brilliant. Brilliant.",
        "It's like, {F} rang me, and I was, I was in the car park crying.",
        "No but what {S} {V} was, you don't need to worry yet.",
        "Me and {F} were, we were in the same bay, weren't we.",
        "Honestly? {Q} the only reason I kept going with it.",
        "I'd, er, I'd seen {T} twice and then, then someone else.",
        "She, {F}, she came round with the leaflets after.",
        "And {S} {V}, right, it's nothing to worry about. And it was something.",
        "{P}, yeah, from the support group, she got me through it.",
        "So I rang, um, I rang {F} back and nobody picked up.",
    ]),
    "text_message": (True, [
        "hi its {F} can u ring me back on {PH} thx",
        "just seen {P} at clinic she says results r fine x",
        "{F} said the scan is moved to thurs",
        "tell {F} i cant make it today sorry",
        "omg {Q} husband drove me home again so kind",
        "appt with {T} cancelled again not happy",
        "my number changed its {PH} now",
        "{F} n {F} were on today both lovely",
        "wanted to say ta to {P} for earlier",
        "msg from {F}: bloods back, all ok",
        "ring {PH} if ur running late",
        "was gonna ask {F} but she was off",
    ]),
    "voicemail": (False, [
        "Message left by {P} asking for a call back on {PH}.",
        "Hello, it's {F}, I'm calling about my mum's appointment, my number is {PH}.",
        "Patient's son rang, wants {T} to call him on {PH} after four.",
        "Voicemail: {F} from the pharmacy, the prescription is ready, call {PH}.",
        "Caller gave her name as {P}; no number left.",
        "{T}'s secretary phoned back; please ring {PH} to rebook.",
        "Call back requested on {PH} regarding the wig voucher.",
        "Missed call from {PH}, no message.",
        "It's {F} again, can someone ring me on {PH}, thanks.",
        "Rang {PH} twice, no answer; letter sent instead.",
    ]),
    "social_media": (False, [
        "Shout out to the amazing {P} at the breast unit!! #NHSheroes",
        "Can't believe {T} remembered me after two years",
        "Huge love to {F} who did my cold cap every session",
        "Anyone else seen {T}? Thoughts?",
        "Massive thanks {F} and the whole radiotherapy crew",
        "Finished rads today, {F} let me ring the bell",
        "So angry. {T} cancelled AGAIN.",
        "Big up {P}, legend",
        "Ask for {F} on reception, she will sort you out",
        "{Q} leaflet was the only thing that made sense",
    ]),
    "interpreter": (False, [
        "She says that {P} explained everything through the interpreter.",
        "He says the lady, {F}, was very patient with him.",
        "Through the interpreter: {T} did not look at her when speaking.",
        "Her son, {F}, translated for her at every appointment.",
        "The interpreter, {P}, was late to two appointments.",
        "She would like to thank {T} in her own language.",
        "He says {S} {V} the lump was nothing, then it was cancer.",
        "Interpreter {F} booked by the ward but did not come.",
    ]),
    "survey_note": (False, [
        "Staff: {P} - excellent. Waiting times: poor.",
        "Best part: {F}. Worst part: parking.",
        "Communication from {T} could be better.",
        "Named nurse {P}, very good, always available.",
        "Saw {T} then {T}; different advice each time.",
        "CNS {F} gave me her direct line.",
        "Seen by {P} (registrar), felt rushed.",
        "Key worker: {F}. Very supportive.",
        "Consultant {T} - no complaints.",
        "{P} on reception was rude, otherwise fine.",
    ]),
    "letter_lower": (True, [
        "i was looked after by {P} who was great",
        "thank you to {F} and all the staff",
        "{T} was lovely and explained everything",
        "not impressed with {P} at all",
        "{F} from the helpline rang me every week",
        "my surgeon {T} was amazing",
        "the nurse {F} was kind but rushed off her feet",
        "big thanks to {Q} team",
    ]),
}

# Phone regions; even positions -> dev, odd -> held-out (the UK in both: patients mostly give UK numbers).
REGIONS = ["GB", "IE", "US", "CA", "FR", "DE", "ES", "IT", "PT", "NL", "BE", "CH", "AT", "PL", "RO", "BG", "HU",
           "CZ", "LT", "UA", "TR", "GR", "NG", "GH", "KE", "ZA", "ZW", "SN", "EG", "MA", "IN", "PK", "BD", "LK",
           "NP", "CN", "HK", "JP", "KR", "PH", "VN", "TH", "AU", "NZ", "BR", "MX", "JM", "AE", "SA", "IL"]
PHONE_TEMPLATES = [
    "Please call me on {PH}.", "My mobile is {PH} if anything changes.", "Contact number: {PH}",
    "I'm abroad until June, reach me on {PH}", "They gave me {PH} but it just rings out.",
    "Ring {PH} and ask for the breast clinic.", "My sister's number in case I'm not in: {PH}.",
    "tel {PH} (evenings)", "WhatsApp me on {PH} please", "I have tried {PH} six times this week.",
    "Best number is {PH}, or email.", "Number on the letter was {PH} which is wrong.",
    "call {PH} or {PH}", "Daughter ({PH}) is my next of kin.",
]

#: Hard negatives, no identifier in any: halves as above.
NEGATIVES = [
    "Arimidex gave me hot flushes, Femara was worse.", "Ondansetron helped with the sickness by day three.",
    "They put me on Filgrastim injections after the second cycle.", "Dexamethasone kept me awake all night.",
    "The Emla cream before the cannula made a real difference.", "Oramorph and Co-codamol, then Gabapentin.",
    "We came from Kettering to Basingstoke for the reconstruction.", "Parking at Harrogate was a nightmare.",
    "I moved from Milton Keynes to Stoke Mandeville for radiotherapy.", "Bury St Edmunds is a long way to drive.",
    "Rowan Ward was spotless.", "The Daisy Unit is lovely but cramped.", "Bluebell Ward staff were kind.",
    "I was moved to Ward 7B overnight.", "The Jasmine Centre had no free chairs.",
    "Nightingale Suite needs more fans in summer.", "Bay 4 was noisy; Room 12 was better.",
    "I googled everything, Dr Google is not your friend.", "Watching Doctor Who on my phone in the waiting room.",
    "The Healthcare Assistant and the Ward Clerk were both helpful.", "The Lead Nurse and the Clinical Lead met us.",
    "The Macmillan Information Officer had all the leaflets.", "Our Patient Advice and Liaison Service never replied.",
    "Look Good Feel Better was the best afternoon in months.", "We did the Race for Life in Hyde Park.",
    "Tenovus and Maggie's both offered counselling.", "Will I need more surgery? Nobody could say.",
    "Grace under pressure from everyone on the unit.", "Hope is what kept me going.",
    "The bill for parking came to £14.40.", "Mark the date in your diary, they said.",
    "Pat yourself on the back, the nurse said.", "Faith in the NHS restored.", "Joy when the scan was clear!",
    "Rose from my chair and fainted.", "Amber light on the pump kept beeping.",
    "I take 20mg twice a day and 500 mg at night.", "Waited from 08:30 until 13:15.", "Pain was 8 out of 10.",
    "Between 2019 and 2022 I had 14 appointments.", "Cycle 3 of 6, dose reduced by 25%.",
    "Tuesday, Wednesday and Friday clinics only.", "In March and again in October.",
    "We paid £3.50 an hour for 6 hours.", "The Hickman line, then a PICC line, then a port.",
    "Paget's disease of the nipple was ruled out.", "Hodgkin's was in the family history.",
    "Boots had run out of the cream; Tesco had it.", "The Costa in the foyer shuts at four.",
    "Marks and Spencer bras fitted the prosthesis best.", "Royal Free and St Bart's both offered the trial.",
    "Queen Elizabeth Hospital car park was full.", "King's College Hospital did the genetics.",
    "The Physio and the OT came on day two.", "Oncotype score was 18 so no chemo.",
    "The Radiographer was gentle; the Sonographer was quick.", "Ward Sister and Staff Nurse were on their break.",
    "Breast Care Nurse phoned after the MDT.", "Sunny day, cold clinic.",
    "My Mum and my Nan both had it.", "Dad drove; Grandma knitted me a hat.",
    "The Chaplain came round on Sunday.", "Spring and Summer were lost to chemo.",
    "Christmas on the ward was surprisingly nice.", "Ramadan made the fasting bloods tricky.",
    "Diwali was the week after surgery.", "Easter Monday clinic was cancelled.",
    "Herceptin every three weeks for a year.", "Zoladex implant in the tummy each month.",
    "Letrozole joint pain is real.", "Tamoxifen and the menopause together.",
]


def _split(xs):
    return xs[0::2], xs[1::2]


def _phone_pool(regions: list[str], rng: random.Random, n: int) -> list[str]:
    import phonenumbers as pn

    F = pn.PhoneNumberFormat
    out = []
    while len(out) < n:
        region = rng.choice(regions)
        kind = rng.choice([pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE])
        ex = pn.example_number_for_type(region, kind) or pn.example_number(region)
        if ex is None:
            continue
        nat = str(ex.national_number)
        for _ in range(20):  # vary the last three digits, keep a still-possible number
            cand = nat[:-3] + "".join(rng.choice("0123456789") for _ in range(3))
            num = pn.parse(f"+{ex.country_code}{cand}")
            if pn.is_possible_number(num):
                break
        else:
            num = ex
        style = rng.choice(["national", "international", "e164", "dots", "dashes", "double_zero", "brackets",
                            "spaced"])
        if style == "national":
            s = pn.format_number(num, F.NATIONAL)
        elif style == "international":
            s = pn.format_number(num, F.INTERNATIONAL)
        elif style == "e164":
            s = pn.format_number(num, F.E164)
        elif style == "dots":
            s = pn.format_number(num, F.INTERNATIONAL).replace(" ", ".").replace("-", ".").replace("+.", "+")
        elif style == "dashes":
            s = pn.format_number(num, F.INTERNATIONAL).replace(" ", "-").replace("+-", "+")
        elif style == "double_zero":
            s = "00" + pn.format_number(num, F.INTERNATIONAL)[1:]
        elif style == "brackets":
            intl = pn.format_number(num, F.INTERNATIONAL)
            cc, rest = intl.split(" ", 1)
            s = f"({cc}) {rest}"
        else:  # digits regrouped in pairs / fours
            d = str(num.national_number)
            step = rng.choice([2, 3, 4])
            s = f"+{num.country_code} " + " ".join(d[i:i + step] for i in range(0, len(d), step))
        if sum(c.isdigit() for c in s) >= 7:
            out.append(s)
    return out


def _name(rng: random.Random, first: list[str], sur: list[str], nick: list[str], slot: str):
    """Pieces ``[(text, is_name)]`` for one mention in ``slot``."""
    f, s = rng.choice(first), rng.choice(sur)
    if slot == "F":
        return [(rng.choice(nick) if rng.random() < 0.2 else f, True)]
    if slot == "T":
        return [(rng.choice(TITLES) + " ", False), (s if rng.random() < 0.8 else f"{f} {s}", True)]
    if slot == "S":
        return [(s, True)]
    form = rng.choices(["full", "first", "mid", "init", "title", "caps", "nick"],
                       weights=[30, 20, 12, 10, 15, 5, 8])[0]
    if form == "full":
        return [(f"{f} {s}", True)]
    if form == "first":
        return [(f, True)]
    if form == "mid":
        return [(f"{f} {rng.choice('BCDEFGHJKLMNPRSTW')}{rng.choice(['.', ''])} {s}", True)]
    if form == "init":
        init = rng.choice(["{a}.", "{a}. {b}.", "{a}{b}", "{a}.{b}."]).format(a=f[0], b=rng.choice("ABCDEJKLMRS"))
        return [(f"{init} {s}", True)]
    if form == "title":
        return [(rng.choice(TITLES) + " ", False), (s, True)]
    if form == "caps":
        return [(f"{f} {s}".upper(), True)]
    return [(rng.choice(nick), True)]


def _fill(template: str, lower: bool, rng, first, sur, nick, phones) -> tuple[str, list[list]]:
    """Fill ``template``'s slots; returns the text and its gold spans (offsets computed while building)."""
    import re

    out, spans, pos = [], [], 0
    for part in re.split(r"(\{[A-Z]+\})", template):
        if not part:
            continue
        if part[0] == "{" and part[-1] == "}":
            slot = part[1:-1]
            if slot == "PH":
                pieces = [(rng.choice(phones), "PHONE")]
            elif slot == "V":
                pieces = [(rng.choice(SPEECH), None)]
            else:
                q = slot == "Q"
                pieces = [(t, "PERSON" if is_name else None)
                          for t, is_name in _name(rng, first, sur, nick, "P" if q else slot)]
                if q:
                    pieces.append(("'s" if not pieces[-1][0].endswith("s") or rng.random() < 0.5 else "'", None))
        else:
            pieces = [(part, None)]
        for t, label in pieces:
            if lower:
                t = t.lower()
            if label:
                spans.append([pos, pos + len(t), label])
            out.append(t)
            pos += len(t)
    return "".join(out), spans


def build(half: int, n_person: int, n_phone: int, n_neg: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    first = [x for f, _s in NAMES.values() for x in _split(f)[half]]
    sur = [x for _f, s in NAMES.values() for x in _split(s)[half]]
    nick = _split(NICKNAMES)[half]
    regions = ["GB"] + [r for r in _split(REGIONS)[half] if r != "GB"]
    phones = _phone_pool(regions, rng, 400)
    person_templates = [(lower, t) for lower, ts in REGISTERS.values() for t in _split(ts)[half]]
    phone_templates = _split(PHONE_TEMPLATES)[half]
    negatives = _split(NEGATIVES)[half]
    items = []
    prefix = "d" if half == 0 else "h"
    for i in range(n_person):
        lower, t = person_templates[i % len(person_templates)]
        text, spans = _fill(t, lower, rng, first, sur, nick, phones)
        items.append({"kind": "PERSON" if not any(sp[2] == "PHONE" for sp in spans) else "MIXED",
                      "text": text, "spans": spans})
    for i in range(n_phone):
        t = phone_templates[i % len(phone_templates)]
        text, spans = _fill(t, False, rng, first, sur, nick, phones)
        items.append({"kind": "PHONE", "text": text, "spans": spans})
    for i in range(n_neg):  # one or two hard-negative sentences
        text = negatives[i % len(negatives)]
        if rng.random() < 0.5:
            text += " " + rng.choice(negatives)
        items.append({"kind": "NEGATIVE", "text": text, "spans": []})
    rng.shuffle(items)
    for k, it in enumerate(items):
        it["id"] = f"{prefix}{k:04d}"
    return [{"id": it["id"], "kind": it["kind"], "text": it["text"], "spans": it["spans"]} for it in items]


def main() -> None:
    for name, half, sizes, seed in (("deid_dev_v3.jsonl", 0, (360, 140, 100), 30),
                                    ("deid_heldout_v3.jsonl", 1, (600, 250, 150), 31)):
        items = build(half, *sizes, seed=seed)
        with open(HERE / name, "w", encoding="utf-8", newline="\n") as fh:
            for it in items:
                fh.write(json.dumps(it, ensure_ascii=False) + "\n")
        print(f"{name}: {len(items)} items, {sum(len(it['spans']) for it in items)} spans")


if __name__ == "__main__":
    main()
