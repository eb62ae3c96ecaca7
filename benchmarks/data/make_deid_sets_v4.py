"""Write the fourth de-identification evaluation sets: ``deid_dev_v4.jsonl`` and ``deid_heldout_v4.jsonl``.

    python benchmarks/data/make_deid_sets_v4.py      # rewrites both files (seeded, deterministic)
    python benchmarks/data/make_deid_sets_v4.py --overlap   # how many of its names the gazetteers know

Written on 2026-12-02, *before* any recognizer change of the third issue-14 round, by a helper who
had not read the items of the v2 or v3 held-out sets nor of the labelled real sample. v3 had been
scored several times by then, so it was no longer a clean test; v4 is. Built differently from v1
(``pledge_analysis.text.evaluation``), v2 (``make_deid_sets_v2.py``) and v3 (``make_deid_sets_v3.py``):

- **registers** not used before: NHS Friends-and-Family style feedback ("the nurse, X, was ..."),
  clinical ward notes in shorthand ("D/w Dr X, plan ..."), formal complaints with titles and
  surnames, names after prepositions and commas ("sat next to X,"), names opening a sentence,
  quoted speech with the speaker after it ("'..,' said X"), surnames alone after titles and speech
  verbs, possessives, initials ("J. Smith", "Dr J", "cc: KM Dhillon"), families and carers,
  chat in all lower case and complaints in ALL CAPITALS (the whole text, names included);
- **names** from lists composed by hand for this file, from naming cultures neither v3 nor Faker's
  Latin-script lists centre on where that was practical (Somali, Ethiopian and Eritrean, Tamil,
  Punjabi, Pashto and Dari, Persian, Welsh, Maori / Samoan / Tongan, Vietnamese and Korean written
  without diacritics, Georgian and Armenian romanised, Basque and Catalan, Caribbean British, Igbo and
  Yoruba), with hyphenated first names (Ji-woo, Lily-Mae), apostrophes (Ma'afu, D'Souza), particles
  (ap Gruffydd, Te Whata, Dela Cruz) and nicknames. ``--overlap`` prints how many are in the
  recognizers' gazetteers (``pledge_analysis.text.names.gazetteers``, drawn from Faker);
- **phones**: built from random digits and kept only when ``phonenumbers`` calls them *valid* (v3
  varied the library's example numbers), UK-heavy (mobiles and landlines written as people write
  them: odd grouping, ``+44 (0)``, ``0044``, brackets, dashes, dots), plus 24 other countries, a share
  of them in the *national* form without a country code ("my brother in Lagos: 0803 ...");
- **hard negatives**: wards and units named after people (Nightingale, Seacole, Cavell, Lister), drug
  names (brand and generic) not in the allow-list, UK places that look like names (St Helens, Bishop
  Auckland, Melton Mowbray), months, words that are also names (Will, Hope, Grace, Frank, Dawn, Sue,
  Pat, Bill, Mark, Rose, Holly, Robin, Ruby), NHS job titles (Staff Nurse, Physician Associate,
  Ward Manager, Band 6), numbers that are no phone (NHS 111, 999, doses, money, bay numbers).

Every list (names per culture, templates per register, phone countries, negatives) is split in two
disjoint halves: the **dev** half may be used to tune the recognizers; the **held-out** half is
frozen (``tests/test_deidentify_v4.py`` checks its SHA-256) and must never be read item by item.
Gold PERSON spans cover the name only (no title, no possessive ``'s``); PHONE spans the number.
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (first names, surnames) per naming culture, composed by hand; even positions -> dev, odd -> held-out.
NAMES = {
    "somali": (["Hodan", "Ayaan", "Faadumo", "Abdirahman", "Sahra", "Ilhaan", "Mahad", "Nimco", "Deeqa", "Khadar"],
               ["Guleed", "Samatar", "Egal", "Duale", "Hirsi", "Jimcaale", "Warsame", "Dirie", "Xasan", "Cawil"]),
    "ethiopian_eritrean": (["Selamawit", "Tsehay", "Mekdes", "Yonas", "Berhane", "Abeba", "Senait", "Kidane",
                            "Tsega", "Eyerusalem"],
                           ["Gebremedhin", "Tekle", "Haileselassie", "Negash", "Asfaw", "Berhe", "Kahsay",
                            "Ghebreyesus", "Mengistu", "Woldegiorgis"]),
    "tamil": (["Kavitha", "Thenmozhi", "Murugan", "Selvi", "Karthik", "Yazhini", "Ilango", "Vaishnavi",
               "Tharshini", "Kumaran"],
              ["Subramaniam", "Ramalingam", "Thangarajah", "Sivapalan", "Balasingham", "Kanagaratnam",
               "Velupillai", "Nadarajah", "Ponnambalam", "Jeyakumar"]),
    "punjabi": (["Jasvinder", "Harjit", "Manpreet", "Kulwant", "Baljit", "Sukhdeep", "Navjot", "Parminder",
                 "Rajvir", "Simranjit"],
                ["Dhillon", "Grewal", "Sidhu", "Bains", "Johal", "Atwal", "Khaira", "Basra", "Sahota", "Virdee"]),
    "pashto_dari_persian": (["Gulalai", "Zarghuna", "Mirwais", "Hamidullah", "Wazhma", "Shirin", "Farnaz", "Behrouz",
                             "Golnar", "Dariush"],
                            ["Popalzai", "Durrani", "Stanikzai", "Wardak", "Ahmadzai", "Noorzai", "Tehrani",
                             "Ghorbani", "Rahimzadeh", "Esfandiari"]),
    "welsh": (["Gwenllian", "Dafydd", "Cerys", "Iestyn", "Elin", "Rhodri", "Nia", "Gethin", "Bethan", "Owain"],
              ["ap Gruffydd", "Pritchard", "Prosser", "Llywelyn", "Cadwaladr", "Gwilym", "Pugh", "ap Rhys",
               "Meredydd", "Vaughan-Thomas"]),
    "maori_samoan_tongan": (["Aroha", "Wiremu", "Mere", "Tamati", "Losaline", "Sione", "Mele", "Manaia", "Hinewai",
                             "Tevita"],
                            ["Tuilagi", "Ma'afu", "Fifita", "Tupou", "Te Whata", "Ngata", "Paewai", "Leota",
                             "Fonoti", "Taufa"]),
    "vietnamese_korean": (["Thuy", "Huong", "Minh", "Quang", "Phuong", "Ji-woo", "Seo-yeon", "Min-jun", "Hye-jin",
                           "Eun-ji"],
                          ["Tran", "Pham", "Hoang", "Dang", "Bui", "Jeong", "Yoon", "Choi", "Kang", "Seo"]),
    "georgian_armenian": (["Nino", "Giorgi", "Levan", "Ketevan", "Anahit", "Lusine", "Tamaz", "Gayane", "Eka",
                           "Vardan"],
                          ["Beridze", "Kapanadze", "Gelashvili", "Tsiklauri", "Hakobyan", "Sargsyan", "Grigoryan",
                           "Petrosyan", "Javakhishvili", "Mkrtchyan"]),
    "basque_catalan": (["Iñaki", "Maialen", "Jordi", "Montserrat", "Nerea", "Xabier", "Ainhoa", "Oriol", "Itziar",
                        "Pau"],
                       ["Etxeberria", "Goikoetxea", "Urrutia", "Vilaró", "Arrizabalaga", "Puigventós", "Zubizarreta",
                        "Casals", "Agirre", "Soler i Vila"]),
    "caribbean_british": (["Delroy", "Marcia", "Winston", "Paulette", "Errol", "Claudette", "Lennox", "Hyacinth",
                           "Clifton", "Lorna"],
                          ["Brathwaite", "Blackwood", "Bygrave", "McKenzie", "Gayle", "Greaves", "Forbes-Bailey",
                           "Ellington", "Thwaites", "Crichlow"]),
    "igbo_yoruba": (["Chiamaka", "Obinna", "Ifeoma", "Chukwuemeka", "Adaeze", "Folasade", "Olumide", "Yetunde",
                     "Nnamdi", "Titilayo"],
                    ["Okonkwo", "Nwosu", "Ezeani", "Ogundipe", "Akinola", "Oyelowo", "Nwachukwu", "Adebanjo",
                     "Onwuegbuzie", "Olaniyan"]),
    "english_hyphens_apostrophes": (["Lily-Mae", "Ellie-Jo", "Mary-Kate", "Leigh-Ann", "Jo-Anne", "Tia-Rose",
                                     "Kacey-Leigh", "Amber-Lee", "Sophie-Ann", "Demi-Jo"],
                                    ["D'Souza", "D'Arcy", "O'Hare", "Da Costa", "De'Ath", "Fitzwilliam",
                                     "Bradshaw-Kerr", "O'Rourke", "St John", "Smith-Pearce"]),
}
NICKNAMES = ["Jas", "Baz", "Fi", "Nads", "Sanj", "Del", "Ros", "Liv", "Kaz", "Mo", "Bev", "Jax", "Tez", "Nell"]
TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Sister", "Nurse", "Professor", "Doctor", "Matron", "Mr."]
SPEECH_AFTER = ["said", "told me", "explained", "insisted", "admitted", "replied", "whispered", "added", "warned"]
SPEECH_BEFORE = ["said", "says", "according to", "replied", "added", "asked"]

# Slots: {P} any name form; {F} first name (or nickname); {T} title + surname (title outside the span);
# {S} surname alone; {Q} possessive of a name; {I} initial(s) + surname; {D} title + initial ("Dr J");
# {PH} a phone number; {VA} a speech verb after a name; {VB} a speech verb before a name.
# The flag says how the whole text is cased: "" as written, "lower" or "upper".
REGISTERS = {
    "fft_feedback": ("", [
        "The nurse, {F}, was so reassuring when I came round from the anaesthetic.",
        "{F} on the day unit deserves recognition for her patience.",
        "Everyone was good but especially {P}, who went above and beyond.",
        "I was seen quickly and {T} explained the results in plain English.",
        "Nothing to improve; {F} and {F} made it easy.",
        "Would recommend. {Q} care was excellent from start to finish.",
        "The receptionist, {P}, found me a wheelchair without being asked.",
        "Please recognise {P} in the mammography team, a credit to the NHS.",
        "Only thing: I never got to see {T} again after the first visit.",
        "Very good. The phlebotomist {F} got the vein first time!",
        "Staff were kind, in particular {F} from radiotherapy.",
        "Lovely team, shout out to {F} who made me laugh every morning.",
    ]),
    "ward_notes": ("", [
        "Obs stable. Reviewed by {T} at 14:00, plan to continue.",
        "Pt asked to speak to {F} re discharge meds.",
        "Handover given to {P} (SN) at 19:30.",
        "Family informed of plan; son {F} to collect tomorrow.",
        "D/w {T}, for repeat bloods in the morning.",
        "Seen by {D} on ward round, for CT chest.",
        "Wound check done by {P}, no concerns.",
        "Pt anxious, {F} from the CNS team aware.",
        "Discharge letter to be signed by {I}.",
        "Bleep {T} if temp above 38.",
        "Husband {F} visited, updated at bedside.",
        "Referral faxed to {I}, awaiting reply.",
    ]),
    "complaint_titles": ("", [
        "I am writing regarding the treatment my wife received under {T}.",
        "{T} and {T} gave me contradictory advice about the drain.",
        "The consultant, {T}, did not introduce himself or explain anything.",
        "I asked twice to speak with {Q} secretary and was ignored.",
        "At the meeting {T} accepted that the letter should have been sent.",
        "I hold {T} personally responsible for the delay in my diagnosis.",
        "My complaint concerns {P}, the ward manager on the night of my admission.",
        "I expect a written response from {T} within twenty working days.",
        "Despite assurances from {T}, my surgery was cancelled on the day.",
        "I was handed over to {P} without any explanation of why.",
        "It was {T}, not the registrar, who told me the biopsy was clear.",
        "Copy to: {T}, Clinical Director.",
    ]),
    "prepositions_commas": ("", [
        "I went in with {F}, my neighbour, because my husband was working.",
        "Sat for three hours next to {P}, who kept me company.",
        "We drove over with {F} and the kids on the Saturday.",
        "It was all arranged by {P}, thankfully, so I didn't have to chase.",
        "Finally, a call from {P}, on the Friday afternoon.",
        "I left a message for {F} but heard nothing back.",
        "Between {P} and {T}, nothing fell through the cracks.",
        "After talking to {P}, I felt ready for the operation.",
        "Without {F}, I would have given up on the whole thing.",
        "My appointment was with {T}, but I saw someone else.",
        "Thanks again, {F}, for the lift home.",
        "All my questions went to {P}, who answered every one.",
    ]),
    "sentence_start": ("", [
        "{P} rang the next morning to check on me.",
        "{F} is the reason I came back for the second cycle.",
        "{Q} phone manner needs work, to be honest.",
        "{S} {VA} it looked benign but they would biopsy anyway.",
        "{P} should be promoted. Simple as that.",
        "{F} noticed I was struggling and got me a cup of tea.",
        "{T} took the time to draw me a diagram.",
        "{Q} husband had the same operation last year.",
        "{F} was off sick, so nobody knew my history.",
        "{S} {VA} that I should not worry.",
        "{P} and I still message each other.",
        "{F} explained the cold cap properly.",
    ]),
    "speech_verbs": ("", [
        "'It's nothing sinister,' {VB} {S}, and it wasn't.",
        "According to {T}, the wait is normal at this time of year.",
        "{S} {VA} to come back in six months.",
        "As {S} put it, we caught it early.",
        "'Keep going,' {F} whispered as they wheeled me in.",
        "{T} insisted the lump was a cyst.",
        "'You're doing brilliantly,' {VB} {F}.",
        "Then {S} {VA} the scan was booked, which it wasn't.",
        "'We'll get you sorted,' {VB} {T}.",
        "When I asked, {S} {VA} there was no other option.",
        "I remember {F} saying, 'one day at a time'.",
        "In the words of {T}, 'this is very treatable'.",
    ]),
    "chat_lower": ("lower", [
        "thanks {F} for sorting my meds today",
        "{F} n me had a good chat in the waiting room",
        "spoke 2 {P} earlier she says its fine",
        "{T} is the best doctor ive had",
        "with {F} again tomorrow for the port flush",
        "cant get hold of {P} been trying all week",
        "{Q} leaflet was rubbish tbh",
        "{S} {VA} wait 2 weeks",
        "big thank u to {P} xx",
        "just seen {T} all good",
        "is {F} on today?",
        "shout out {F} at the unit",
    ]),
    "complaint_caps": ("upper", [
        "{T} WAS RUDE AND DID NOT LISTEN TO A WORD I SAID",
        "THANK YOU {F} FOR EVERYTHING YOU DID",
        "WHY DID {T} CANCEL MY SURGERY WITH NO WARNING",
        "ASKED FOR {P} THREE TIMES AND NOBODY CAME",
        "{P} IS THE ONLY ONE WHO EVER RANG ME BACK",
        "NO THANKS TO {T}, I HAD TO GO PRIVATE",
        "{F} DESERVES A MEDAL",
        "I WANT {Q} MANAGER TO CALL ME",
    ]),
    "initials": ("", [
        "Letter from {I} (consultant) arrived two weeks late.",
        "Signed, {I}, Breast Care Nurse.",
        "{D} did my biopsy and was very gentle.",
        "cc: {I}, GP",
        "The report was written by {I} and checked by {I}.",
        "Ask for {D} on the unit, she knows my case.",
        "My results came back via {I}'s team.",
        "{I} was the surgeon on the day.",
    ]),
    "family_carers": ("", [
        "My husband {F} sat with me through every session.",
        "Our daughter {F} came to all the appointments and took notes.",
        "I stayed at {Q} house after the operation.",
        "My carer, {P}, was not allowed in, which upset me.",
        "Mum ({F}) was diagnosed at the same hospital in the nineties.",
        "My partner {P} had to take unpaid leave to drive me.",
        "The kindness shown to my mother, {P}, will stay with us.",
        "My son {F} is 12 and nobody explained anything to him.",
    ]),
}

# Countries for phones; even positions -> dev, odd -> held-out. GB is in both halves and weighted up.
COUNTRIES = ["IE", "US", "FR", "DE", "ES", "IT", "PL", "RO", "NG", "GH", "SO", "ET", "IN", "PK", "BD", "LK",
             "AF", "IR", "KR", "VN", "PH", "JM", "AU", "NZ", "BR", "TR", "AE", "ZA"]
PLACES = {"IE": "Cork", "US": "Boston", "FR": "Lyon", "DE": "Hamburg", "ES": "Valencia", "IT": "Naples",
          "PL": "Gdansk", "RO": "Cluj", "NG": "Lagos", "GH": "Kumasi", "SO": "Hargeisa", "ET": "Addis",
          "IN": "Chennai", "PK": "Lahore", "BD": "Sylhet", "LK": "Jaffna", "AF": "Kabul", "IR": "Shiraz",
          "KR": "Busan", "VN": "Hanoi", "PH": "Cebu", "JM": "Kingston", "AU": "Perth", "NZ": "Auckland",
          "BR": "Recife", "TR": "Izmir", "AE": "Dubai", "ZA": "Durban"}
PHONE_TEMPLATES = [
    "Best to text me on {PH}, I don't always hear it ring.",
    "Could someone from the breast team call {PH} please.",
    "My new number: {PH}",
    "Tried the helpline {PH} but it went to voicemail.",
    "If I'm out, my husband is on {PH}.",
    "Mobile {PH}, evenings only.",
    "The letter gave {PH} which doesn't connect.",
    "I've been calling {PH} since Monday with no reply.",
    "Home {PH} / mobile {PH}",
    "You can reach me at {PH} after 5pm.",
    "Ring me back on {PH} when you have the results.",
    "Tel. {PH}",
    "Please update my records, number is now {PH}.",
    "Call {PH} for the wig service, the receptionist said.",
]
#: Phone sentences naming a place abroad, for a number written in that country's national form.
ABROAD_TEMPLATES = [
    "While I'm staying with my sister in {PLACE}, call {PH}.",
    "My brother in {PLACE} is next of kin: {PH}.",
    "I'll be in {PLACE} until the scan, number there is {PH}.",
    "Our family in {PLACE} can be reached on {PH} if needed.",
]

#: Hard negatives, no identifier in any: halves as above.
NEGATIVES = [
    "Nightingale Ward was clean and calm.", "I was transferred to Seacole Ward after surgery.",
    "The staff on Cavell Ward were run off their feet.", "Lister Unit is hard to find from the car park.",
    "Fleming Ward had no free beds so I waited in Recovery.", "We were sent to the Florence Suite for the results.",
    "Victoria Wing reception was unmanned at lunch.", "Harrison Ward nurses came to check on me.",
    "Kisqali and Faslodex together made me very tired.", "Verzenios gave me diarrhoea for weeks.",
    "I was on Epirubicin and Cyclophosphamide, then weekly Paclitaxel.", "Pegfilgrastim injections made my bones ache.",
    "Lansoprazole and Senna were added to my list.", "Carboplatin was added for the triple negative.",
    "Eribulin was my third line.", "Metoclopramide did nothing; Cyclizine worked.",
    "Movicol and Difflam mouthwash from the pharmacy.", "Ibrance with Letrozole for two years now.",
    "I live near St Helens so the drive is long.", "Bishop Auckland to Darlington is two buses.",
    "Melton Mowbray has no breast clinic any more.", "We came down from Hebden Bridge every week.",
    "Newton Abbot hospital did my bloods.", "Tunbridge Wells was where I had radiotherapy.",
    "Kings Lynn to Norwich is an hour each way.", "The service in Sutton Coldfield was excellent.",
    "In April I started chemo and by August it was done.", "June and July were a blur of appointments.",
    "Will I be able to drive after the operation?", "Hope was in short supply that winter.",
    "Grace and humour from the whole team.", "Frank conversations were what I needed.",
    "Dawn appointments are hard when you rely on buses.", "I will not sue, but I want answers.",
    "Pat on the back for the volunteers.", "The bill for the wig was over £200.",
    "Mark my words, someone will get hurt on that ramp.", "Rose petals on my bed after the operation, so sweet.",
    "Holly and ivy decorations on the ward cheered us up.", "A robin sat outside the window every morning.",
    "Our ruby anniversary was spent in hospital.", "Joy and relief when the margins were clear.",
    "The Staff Nurse and the Healthcare Support Worker were both lovely.",
    "An Advanced Nurse Practitioner did the review.", "The Physician Associate was thorough.",
    "A Band 6 nurse told me to wait for the Ward Manager.", "The Specialty Registrar and the Foundation Doctor came.",
    "Our Head of Nursing replied to the complaint.", "The Mammographer was gentle and quick.",
    "The Dietitian gave me a diet sheet.", "Phlebotomy was busy so I saw the Phlebotomist at ten.",
    "The Patient Experience Lead rang about my survey.", "I rang NHS 111 twice and then 999.",
    "Bay 6, bed 14, no curtains.", "Dose was 150 mg/m2 every 21 days.",
    "Paid £4.20 for two hours of parking.", "Waited 45 minutes, then 2 hours, then 20 minutes.",
    "I scored the pain 6 out of 10.", "Between 2018 and 2023 I had 11 scans.",
    "Tuesday clinic moved to Thursday in March.", "Summer holidays were cancelled because of chemo.",
    "The Chemotherapy Day Unit is open till six.", "Look Good Feel Better and the Haven helped.",
    "Penny Brohn was recommended by the CNS.", "The Macmillan Support Worker had a leaflet for everything.",
    "Breast Cancer Now's helpline was a lifeline.", "The Oncotype DX test came back low.",
    "Christmas Eve on the ward was lovely.", "Easter Sunday and still no discharge.",
    "Ginger biscuits helped with the nausea.", "Jasmine tea and a biscuit in the lounge.",
    "Daisy chains from my granddaughter on the bedside table.", "Heather plants in the hospital garden.",
]


def _split(xs):
    return xs[0::2], xs[1::2]


def _phone(rng: random.Random, countries: list[str], national: bool = False) -> tuple[str, str]:
    """A valid phone number ``(text, country)``: random digits after a prefix of the country's example numbers,
    kept only when ``phonenumbers`` calls the result valid."""
    import phonenumbers as pn

    F = pn.PhoneNumberFormat
    while True:
        region = "GB" if (not national and rng.random() < 0.55) else rng.choice(countries)
        kind = rng.choice([pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE])
        ex = pn.example_number_for_type(region, kind) or pn.example_number(region)
        if ex is None:
            continue
        nat = str(ex.national_number)
        keep = max(2, len(nat) // 3)
        for _ in range(50):
            if region == "GB":  # mobiles, geographic (01) and London-style (02) numbers
                cand = rng.choice("7712") + "".join(rng.choice("0123456789") for _ in range(9))
            else:
                cand = nat[:keep] + "".join(rng.choice("0123456789") for _ in range(len(nat) - keep))
            num = pn.parse(f"+{ex.country_code}{cand}")
            if pn.is_valid_number(num):
                break
        else:
            continue
        if region == "GB":
            d = "0" + str(num.national_number)
            style = rng.choice(["plain", "4-6", "5-6", "5-3-3", "3-4-4", "dash", "dots", "brackets", "plus44",
                                "plus44_0", "0044", "nospace_plus"])
            if style == "plain":
                s = d
            elif style == "4-6":
                s = f"{d[:4]} {d[4:]}"
            elif style == "5-6":
                s = f"{d[:5]} {d[5:]}"
            elif style == "5-3-3":
                s = f"{d[:5]} {d[5:8]} {d[8:]}"
            elif style == "3-4-4":
                s = f"{d[:3]} {d[3:7]} {d[7:]}"
            elif style == "dash":
                s = f"{d[:5]}-{d[5:]}"
            elif style == "dots":
                s = f"{d[:5]}.{d[5:8]}.{d[8:]}"
            elif style == "brackets":
                s = f"({d[:5]}) {d[5:]}"
            elif style == "plus44":
                s = f"+44 {d[1:5]} {d[5:]}"
            elif style == "plus44_0":
                s = f"+44 (0){d[1:5]} {d[5:]}"
            elif style == "0044":
                s = f"0044 {d[1:5]} {d[5:8]} {d[8:]}"
            else:
                s = f"+44{d[1:]}"
            return s, "GB"
        if national:
            return pn.format_number(num, F.NATIONAL), region
        style = rng.choice(["international", "e164", "dashes", "double_zero", "slashes", "nospace"])
        intl = pn.format_number(num, F.INTERNATIONAL)
        if style == "international":
            s = intl
        elif style == "e164":
            s = pn.format_number(num, F.E164)
        elif style == "dashes":
            s = intl.replace(" ", "-").replace("+-", "+")
        elif style == "double_zero":
            s = "00" + intl[1:]
        elif style == "slashes":
            cc, rest = intl.split(" ", 1)
            s = f"{cc} {rest.replace(' ', '/', 1)}"
        else:
            cc, rest = intl.split(" ", 1)
            s = cc + " " + re.sub(r"[\s-]", "", rest)
        return s, region


def _name(rng: random.Random, first: list[str], sur: list[str], nick: list[str], slot: str):
    """Pieces ``[(text, is_name)]`` for one mention in ``slot``."""
    f, s = rng.choice(first), rng.choice(sur)
    if slot == "F":
        return [(rng.choice(nick) if rng.random() < 0.12 else f, True)]
    if slot == "T":
        title = rng.choice(TITLES)
        return [(title + " ", False), (s if rng.random() < 0.85 else f"{f} {s}", True)]
    if slot == "S":
        return [(s, True)]
    if slot == "I":
        init = rng.choice(["{a}. ", "{a} ", "{a}{b} ", "{a}.{b}. ", "{a}. {b}. "]).format(a=f[0], b=rng.choice("ABDEHJKMNRST"))
        return [(f"{init}{s}", True)]
    if slot == "D":
        return [(rng.choice(["Dr ", "Dr. ", "Nurse ", "Sister "]), False), (f[0], True)]
    form = rng.choices(["full", "first", "mid", "init", "title"], weights=[35, 30, 10, 10, 15])[0]
    if form == "full":
        return [(f"{f} {s}", True)]
    if form == "first":
        return [(f, True)]
    if form == "mid":
        return [(f"{f} {rng.choice('ABDEGHJKLMNRSTV')}. {s}", True)]
    if form == "init":
        return [(f"{f[0]}. {s}", True)]
    return [(rng.choice(TITLES) + " ", False), (s, True)]


def _fill(template: str, case: str, rng, first, sur, nick, phones) -> tuple[str, list[list]]:
    """Fill ``template``'s slots; returns the text and its gold spans (offsets computed while building)."""
    out, spans, pos = [], [], 0
    for part in re.split(r"(\{[A-Z]+\})", template):
        if not part:
            continue
        if part[0] == "{" and part[-1] == "}":
            slot = part[1:-1]
            if slot == "PH":
                pieces = [(phones(), "PHONE")]
            elif slot == "VA":
                pieces = [(rng.choice(SPEECH_AFTER), None)]
            elif slot == "VB":
                pieces = [(rng.choice(SPEECH_BEFORE), None)]
            else:
                q = slot == "Q"
                pieces = [(t, "PERSON" if is_name else None)
                          for t, is_name in _name(rng, first, sur, nick, "P" if q else slot)]
                if q:
                    pieces.append(("'s" if not pieces[-1][0].endswith("s") or rng.random() < 0.5 else "'", None))
        else:
            pieces = [(part, None)]
        for t, label in pieces:
            t = t.lower() if case == "lower" else t.upper() if case == "upper" else t
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
    countries = _split(COUNTRIES)[half]
    person_templates = [(case, t) for case, ts in REGISTERS.values() for t in _split(ts)[half]]
    phone_templates = _split(PHONE_TEMPLATES)[half]
    abroad_templates = _split(ABROAD_TEMPLATES)[half]
    negatives = _split(NEGATIVES)[half]

    def any_phone():
        return _phone(rng, countries)[0]

    items = []
    prefix = "d" if half == 0 else "h"
    for i in range(n_person):
        case, t = person_templates[i % len(person_templates)]
        if i % 9 == 4 and case == "":  # a phone number in some person items too
            t += " " + rng.choice(["Contact me on {PH}.", "My number is {PH}.", "({PH})"])
        text, spans = _fill(t, case, rng, first, sur, nick, any_phone)
        items.append({"kind": "PERSON" if not any(sp[2] == "PHONE" for sp in spans) else "MIXED",
                      "text": text, "spans": spans})
    for i in range(n_phone):
        if i % 5 == 4:  # a foreign number in its national form, after the place it is in
            number, region = _phone(rng, countries, national=True)
            t = abroad_templates[i % len(abroad_templates)].replace("{PLACE}", PLACES[region])
            text, spans = _fill(t, "", rng, first, sur, nick, lambda: number)
        else:
            text, spans = _fill(phone_templates[i % len(phone_templates)], "", rng, first, sur, nick, any_phone)
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


SIZES = {"deid_dev_v4.jsonl": (0, (400, 120, 100), 40), "deid_heldout_v4.jsonl": (1, (620, 220, 160), 41)}


def overlap() -> None:
    """How many of the names (each word, lower-cased) the recognizers' gazetteers or common words hold."""
    from pledge_analysis.text.names import common_words, gazetteers

    first_g, last_g = gazetteers()
    common = common_words()
    for what, idx in (("first names", 0), ("surnames", 1)):
        words = sorted({w.lower() for f_s in NAMES.values() for n in f_s[idx] for w in n.split()})
        in_g = [w for w in words if w in first_g or w in last_g]
        in_c = [w for w in words if w in common]
        print(f"{what}: {len(words)} words, {len(in_g)} in the gazetteers ({', '.join(in_g)}), "
              f"{len(in_c)} common English words ({', '.join(in_c)})")


def main() -> None:
    if "--overlap" in sys.argv:
        overlap()
        return
    for name, (half, sizes, seed) in SIZES.items():
        items = build(half, *sizes, seed=seed)
        with open(HERE / name, "w", encoding="utf-8", newline="\n") as fh:
            for it in items:
                fh.write(json.dumps(it, ensure_ascii=False) + "\n")
        print(f"{name}: {len(items)} items, {sum(len(it['spans']) for it in items)} spans")


if __name__ == "__main__":
    main()
