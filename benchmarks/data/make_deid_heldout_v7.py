"""Write the seventh de-identification evaluation set: ``deid_heldout_v7.jsonl`` (held-out only, no dev half).

    python benchmarks/data/make_deid_heldout_v7.py            # rewrites the file (seeded, deterministic)
    python benchmarks/data/make_deid_heldout_v7.py --overlap  # its name words vs the v2-v6 name lists

Written on 2026-12-04 by a helper who ran **no recognizer** on it and looked at no recognizer output while
writing it; committed (file, generator and the SHA-256 in ``tests/test_deidentify_v7.py``) *before* it was
scored. It is meant to be scored once, by the lead, after the recognizer round that was under way when it was
written. Built differently from v2-v6 (read from their generators, not from their items):

- **other voices and layouts**, one per item ``kind``: a patient's long letter with paragraphs, opening
  "Dear ..." and signed off (``letter``); a carer or relative writing on behalf of the patient (``carer``);
  staff focus-group transcript turns, one per line, with speaker labels that are sometimes names and
  sometimes codes ("P3:", "Facilitator:") (``focus_group``); feedback-form answers under their headings
  (``form``); email-like comments with greetings, sign-offs and "Sent from my iPhone" (``email``); comments
  that quote a text message (``quoted_text``); English with a few words of another language around the name
  (Tagalog, Turkish, Polish, Urdu / Punjabi, Arabic, Romanian, Irish, Scots, Yoruba, Igbo, Somali,
  Vietnamese, Hungarian, Greek) (``mixed_language``); names written in the forms people really use:
  first name only, title + surname, initials ("A. O'Sullivan", "T.K. Nguyen", "MJ Reyes", "F.Okafor"), whole comments in
  lower case, possessives ("Abisola's"), nicknames and diminutives ("Kasia", "Boyet", "Shug", "Dima"),
  names that are also words ("Joy", "Dawn", "Pearl", "Hill", "Fox") (``lowercase``, ``initials``,
  ``possessive``, ``nickname``, ``word_names``); Sikh names with Kaur / Singh and double-barrelled British
  surnames (``sikh_double``); phones alone (``phone_uk``, ``phone_foreign``); and ``negative`` comments with
  no name but many capitalised non-names (wards, hospitals, towns, drugs, charities, devices, eponyms,
  brands) and numbers that are not phones;
- **names** hand-composed for this file from 14 groups: Irish (anglicised, O' and Mc), Scottish (Highland
  and Lowland, Mac surnames), Yoruba, Igbo, Filipino, Vietnamese, Somali, Turkish, Hungarian, Greek,
  Arabic transliterations (Egyptian, Iraqi, Sudanese, Yemeni), Sikh Punjabi, double-barrelled British and
  Polish / Romanian; no word of them is in the name lists of v2-v6 (``--overlap`` prints the check), and
  about a quarter of full names mix two groups (mixed families);
- **phones**: random digits kept only when ``phonenumbers`` calls the number valid, written in
  ``phonenumbers`` formats and in hand shapes (odd spacing, "(+44)", "+44 (0)", "0044", dots, slashes,
  dashes, no spaces; an extension after a number is not in its span), and each written form is checked to parse back to the same number; UK mobiles and
  landlines and 22 other countries (Ireland, Philippines, Nigeria, Somalia, Turkey, Hungary, Greece, Egypt,
  Iraq, India, Poland, Romania, Vietnam, Australia, ...).

Gold PERSON spans cover the name only (no title, no role, no possessive ``'s``, no speaker-label colon); PHONE
spans the number as written. Offsets are computed by the generator while it writes the text. Synthetic text
only; seeded; rewriting must give the committed file byte-identical.
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = "deid_heldout_v7.jsonl"
SEED = 7007

# (first names, surnames) per naming group, composed by hand for this file.
NAMES = {
    "irish_anglicised": (["Aisling", "Orla", "Cathal", "Fionnuala", "Dervla", "Colm", "Grainne", "Donal",
                          "Sorcha", "Ronan"],
                         ["O'Sullivan", "McGillicuddy", "O'Callaghan", "Mulcahy", "Fitzgerald", "O'Riordan",
                          "Keohane", "McSweeney", "Dineen", "O'Mahony"]),
    "scottish": (["Morag", "Hamish", "Kirsty", "Alasdair", "Catriona", "Fraser", "Iona", "Murdo", "Ailsa",
                  "Lachlan"],
                 ["MacAskill", "McCrindle", "Urquhart", "MacGillivray", "Drummond", "Menzies", "Sutherland",
                  "Farquharson", "Lamont", "Buchanan"]),
    "yoruba": (["Abisola", "Adebayo", "Ibukunoluwa", "Oluwaseun", "Bolanle", "Kehinde", "Funmilayo", "Babatunde",
                "Omolara", "Damilola"],
               ["Adeyemi", "Ogunleye", "Oyelaran", "Adebisi", "Fashola", "Akinwande", "Odukoya", "Oyinlola",
                "Babalola", "Adesanya"]),
    "igbo": (["Ngozi", "Chizoba", "Chidinma", "Somtochukwu", "Uchenna", "Chinonso", "Amarachi", "Ebuka", "Nkechi",
              "Kelechi"],
             ["Okafor", "Nwankwo", "Chukwu", "Okeke", "Anozie", "Igwe", "Nnadi", "Ezeokoli", "Obiora", "Onwuachi"]),
    "filipino": (["Rowena", "Jericho", "Marivic", "Ferdinand", "Analyn", "Rommel", "Jocelyn", "Danilo",
                  "Rhealyn", "Nestor"],
                 ["Dimaculangan", "Pangilinan", "Macapagal", "Sumulong", "Tolentino", "Reyes", "Agbayani",
                  "De Guzman", "Lacson", "Evangelista"]),
    "vietnamese": (["Lan Anh", "Thanh", "Ngoc", "Bao", "Hanh", "Tuan", "Mai Linh", "Khanh", "Dung", "Trang"],
                   ["Nguyen", "Le", "Do", "Ngo", "Duong", "Ly", "Trinh", "Vo", "Lam", "Phan"]),
    "somali": (["Ifrah", "Abdiqadir", "Hamdi", "Farhiya", "Mohamud", "Sagal", "Zamzam", "Guled", "Ubaah",
                "Ayanle"],
               ["Cabdulle", "Dualeh", "Gurey", "Aden", "Yusuf", "Gedi", "Osman", "Ismail", "Nur", "Mohamed"]),
    "turkish": (["Ayşe", "Mustafa", "Gülşen", "Emre", "Zeynep", "Hüseyin", "Serpil", "Özlem", "Burak",
                 "Fatma"],
                ["Öztürk", "Kaya", "Çelik", "Şahin", "Aydın", "Koç", "Erdoğan", "Kılıç", "Arslan", "Doğan"]),
    "hungarian": (["Ildikó", "László", "Krisztina", "Tamás", "Zsófia", "Balázs", "Enikő", "Csaba", "Réka",
                   "Attila"],
                  ["Boros", "Lakatos", "Pintér", "Fekete", "Juhász", "Varga", "Farkas", "Balogh", "Mészáros",
                   "Szűcs"]),
    "greek": (["Vasiliki", "Dimitrios", "Konstantina", "Theodoros", "Paraskevi", "Nikolaos", "Athena",
               "Spyros", "Evangelia", "Christos"],
              ["Tsakalidis", "Mavridis", "Karagiannis", "Vlachos", "Papanikolaou", "Oikonomou", "Alexiou",
               "Makris", "Konstantinidis", "Stavrou"]),
    "arabic_transliterated": (["Abdel-Rahman", "Mahmoud", "Nadia", "Hussein", "Amal", "Ibtisam", "Mostafa",
                               "Rasha", "Walid", "Huda"],
                              ["El-Shafei", "Al-Jaburi", "Abdelaziz", "Al-Hashimi", "Mansour", "El-Masri",
                               "Ibrahim", "Abu-Bakr", "Al-Amoudi", "Hassan"]),
    "sikh_punjabi": (["Gurpreet", "Harpreet", "Amarjit", "Kuldip", "Jaswinder", "Ravinder", "Satnam",
                      "Balwinder", "Inderjit", "Tejinder"],
                     ["Sandhu", "Gill", "Chahal", "Sohal", "Kalsi", "Panesar", "Hundal", "Bhamra", "Virdi",
                      "Gakhal"]),
    "double_barrelled_british": (["Arabella", "Hugo", "Felicity", "Toby", "Henrietta", "Giles", "Annabel",
                                  "Jolyon", "Octavia", "Piers"],
                                 ["Twisleton-Wykeham", "Smyth-Osbourne", "Heathcote-Amory", "Cholmondeley",
                                  "Ashley-Cooper", "Bowes-Lyon", "Featherstonehaugh", "Vane-Tempest",
                                  "Fiennes", "Montagu-Douglas"]),
    "polish_romanian": (["Agnieszka", "Krzysztof", "Dorota", "Przemysław", "Bożena", "Florin", "Mădălina",
                         "Cosmin", "Loredana", "Bogdan"],
                        ["Kowalczyk", "Wiśniewska", "Jankowski", "Szczepański", "Grabowska", "Ionescu",
                         "Constantinescu", "Radu", "Munteanu", "Stănescu"]),
}
#: Sikh women often write Kaur, men Singh, as the middle or last name.
SIKH_MIDDLE = ["Kaur", "Singh"]
#: nicknames and diminutives, in the groups above.
NICKNAMES = ["Kasia", "Gosia", "Tomek", "Boyet", "Bing", "Len-Len", "Weng", "Shug", "Wullie", "Dima",
             "Sasha", "Nuala", "Fliss", "Bunmi", "Tunde", "Emeka", "Zsuzsi", "Takis", "Lefteris", "Sully"]
#: names that are also English words (first names) and surnames that are words.
WORD_FIRST = ["Joy", "Dawn", "Pearl", "Ruby", "Coral", "Summer", "Honor", "Sandy", "Rich", "Iris"]
WORD_SUR = ["Hill", "Wood", "Green", "Fox", "Little", "Young", "Cook", "Marsh", "Booth", "Bell"]

TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Prof.", "Sister", "Nurse", "Doctor", "Mr.", "dr"]
WARDS = ["Ward 5", "Linden Ward", "Ellen Badger Unit", "the Primrose Unit", "Garrod Ward", "Ward C3",
         "the Robert Ogden Centre", "Cedar Ward", "Hamilton Ward", "the Sir Bobby Robson Unit"]
HOSPITALS = ["Ninewells", "the Beatson", "Freeman Hospital", "St Bartholomew's", "Raigmore", "the Christie",
             "Wythenshawe", "Musgrove Park", "James Cook University Hospital", "Queen Elizabeth Hospital",
             "the Princess Royal", "Royal Victoria Infirmary", "Altnagelvin", "Morriston"]
TOWNS = ["Inverness", "Dundee", "Ballymena", "Kilmarnock", "Middlesbrough", "Taunton", "Kendal", "Oldham",
         "Scunthorpe", "Stornoway", "Galashiels", "Hexham", "Bridgend", "Lisburn"]
DRUGS = ["Ribociclib", "Palbociclib", "Abemaciclib", "Capecitabine", "Paclitaxel", "Epirubicin", "Goserelin",
         "Zoladex", "Pertuzumab", "Enhertu", "Olaparib", "Fulvestrant", "Buscopan", "Oramorph", "Fragmin"]
CHARITIES = ["Macmillan", "Maggie's", "Breast Cancer Now", "Future Dreams", "Tenovus", "Marie Curie",
             "Look Good Feel Better", "Walk the Walk", "Penny Brohn", "Prevent Breast Cancer"]
DEVICES = ["PICC line", "Portacath", "Paxman cold cap", "Mammotome", "Magseed marker", "Sentimag probe",
           "Hickman line", "Jackson-Pratt drain", "Fitbit", "Apple Watch", "TENS machine"]

_EARLIER = ("make_deid_sets_v2.py", "make_deid_sets_v3.py", "make_deid_sets_v4.py", "make_deid_sets_v5.py",
            "make_deid_heldout_v6.py")


# ---------------------------------------------------------------- phones
COUNTRIES = ["IE", "PH", "NG", "SO", "TR", "HU", "GR", "EG", "IQ", "IN", "PL", "RO", "VN", "AU", "NZ", "ZA",
             "KE", "GH", "PK", "BD", "ES", "FR"]
UK_AREAS = ["1382", "1463", "1224", "1642", "1823", "1539", "161", "1724", "1851", "1896", "1434", "1656",
            "28", "118", "1603", "24", "23", "1904", "1225", "1244"]


def _digits(rng, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _random_valid(rng: random.Random, region: str, mobile: bool):
    import phonenumbers as pn

    if region == "GB":
        for _ in range(500):
            if mobile:
                nsn = "7" + rng.choice("3456789") + _digits(rng, 8)
            else:
                area = rng.choice(UK_AREAS)
                nsn = area + _digits(rng, 10 - len(area))
            num = pn.parse("+44" + nsn)
            if pn.is_valid_number(num) and pn.region_code_for_number(num) == "GB":
                return num
        raise RuntimeError("no valid UK number")
    kind = pn.PhoneNumberType.MOBILE if mobile else pn.PhoneNumberType.FIXED_LINE
    ex = pn.example_number_for_type(region, kind) or pn.example_number(region)
    nat = str(ex.national_number)
    keep = max(1, len(nat) - 6)
    for _ in range(500):
        cand = nat[:keep] + _digits(rng, len(nat) - keep)
        num = pn.parse(f"+{ex.country_code}{cand}")
        if pn.is_valid_number(num) and pn.region_code_for_number(num) == region:
            return num
    raise RuntimeError(f"no valid number for {region}")


def _shape(rng, num, region: str) -> str:
    import phonenumbers as pn

    F = pn.PhoneNumberFormat
    nsn, cc = pn.national_significant_number(num), str(num.country_code)
    if region == "GB":
        nat = "0" + nsn
        style = rng.choice(["national", "national", "international", "e164", "compact", "odd", "plus44br",
                            "plus0", "0044", "dots", "slash", "pairs"])
        if style == "national":
            return pn.format_number(num, F.NATIONAL)
        if style == "international":
            return pn.format_number(num, F.INTERNATIONAL)
        if style == "e164":
            return pn.format_number(num, F.E164)
        if style == "compact":
            return nat
        if style == "odd":  # spaces where people put them, not where the plan does
            return f"{nat[:3]} {nat[3:7]} {nat[7:]}"
        if style == "plus44br":
            return f"(+44) {nsn[:4]} {nsn[4:]}"
        if style == "plus0":
            return f"+44 (0) {nsn[:4]} {nsn[4:7]} {nsn[7:]}"
        if style == "0044":
            return f"0044{nsn}"
        if style == "dots":
            return f"{nat[:5]}.{nat[5:8]}.{nat[8:]}"
        if style == "slash":
            return f"{nat[:5]}/{nat[5:]}"
        if style == "pairs":
            return f"{nat[:5]} {nat[5:7]} {nat[7:9]} {nat[9:]}"
        return pn.format_number(num, F.NATIONAL)
    style = rng.choice(["international", "international", "e164", "national", "00", "00compact", "dashes"])
    if style == "international":
        return pn.format_number(num, F.INTERNATIONAL)
    if style == "e164":
        return pn.format_number(num, F.E164)
    if style == "national":
        return pn.format_number(num, F.NATIONAL)
    if style == "00":
        return "00" + pn.format_number(num, F.INTERNATIONAL)[1:]
    if style == "00compact":
        return f"00{cc}{nsn}"
    return "+" + cc + "-" + "-".join(pn.format_number(num, F.INTERNATIONAL).split(" ")[1:])


def phone(rng: random.Random, foreign: bool | None = None) -> str:
    """A valid phone number written in one of many shapes; the written form parses back to the same number."""
    import phonenumbers as pn

    if foreign is None:
        foreign = rng.random() < 0.4
    region = rng.choice(COUNTRIES) if foreign else "GB"
    num = _random_valid(rng, region, mobile=rng.random() < 0.6)
    text = _shape(rng, num, region)
    # as dialled from the UK: "+..." and "00..." are international, anything else is national to its region
    back = pn.parse(text, "GB" if region == "GB" or text.startswith(("+", "00")) else region)
    if back.country_code != num.country_code or back.national_number != num.national_number:
        raise AssertionError(f"{text!r} does not parse back to {num}")
    return text


# ---------------------------------------------------------------- comments, per item kind
# Slots: <F> first name, <S> surname, <N> full name, <TS> title + surname, <TN> title + full name,
# <TF> title + first name, <I> a name with initials, <K> nickname, <W> word first name, <WN> full name with a
# word surname, <TW> title + word surname, <SK> Sikh name with Kaur / Singh, <DB> a double-barrelled name,
# <P> phone (any), <UK> UK phone, <FP> foreign phone; non-names: <WARD>, <HOSP>, <TOWN>, <DRUG>, <CHARITY>,
# <DEVICE>. "@" before a slot writes a possessive 's after the name (not in the span).
LETTER_OPEN = ["Dear <TS>,", "Dear Sir or Madam,", "To whom it may concern,", "Dear <F>,",
               "Dear Patient Experience Team,", "Dear <TN>,"]
LETTER_PARAS = [
    "I was diagnosed with breast cancer in the autumn and I have put off writing this letter for a long time. "
    "I wanted to wait until I was through the worst of it, so that I could say what I mean.",
    "From the first appointment at <HOSP>, <TS> was honest with me. She drew the tumour on a piece of paper and "
    "told me exactly what the <DRUG> would do. I kept that piece of paper on my fridge.",
    "The breast care nurse, <N>, rang me the night before my surgery. I do not think she knows how much that "
    "call meant. My husband had gone to bed and I was sitting in the kitchen in the dark.",
    "I have to be honest about the waiting. The letter for my scan went to my old address in <TOWN> and "
    "nobody at the booking office could tell me why. In the end <F> in the clinic office sorted it.",
    "On <WARD> the night staff were run off their feet, but <F> still found time to help me wash my hair "
    "around the drain. These small things are what I remember.",
    "My only real complaint is about <@TS> registrar, who told me in the corridor that the margins were not "
    "clear. I understand it was busy but that is not the place.",
    "My <DEVICE> appointment was with <TN>, who talked me through every step, which I am told is unusual.",
    "<CHARITY> helped me with a grant for my heating bill, and a volunteer called <F> drove me to "
    "radiotherapy when my daughter <F> could not.",
    "I would like <@N> kindness to be passed on to whoever decides these things. She deserves recognition.",
    "I am now on <DRUG> and back at work three days a week. I still see <TS> every six months.",
]
LETTER_CLOSE = ["Yours sincerely,\n<N>", "Yours faithfully,\n<TN>", "With thanks,\n<F> <S>",
                "Kind regards,\n<N> (patient)", "Best wishes,\n<F>", "Yours,\n<I>"]

KINDS: dict[str, tuple[int, list[str]]] = {
    "carer": (80, [
        "I am writing on behalf of my mother, <N>, who does not use email. She asked me to thank <TS> and <F>.",
        "I care for my wife <F> and I am filling this in for her. Nobody told us that <TS> had left the trust.",
        "My dad <N> is 84 and I am his carer. <TF> on the day unit was the only one who spoke to him, not to me.",
        "On behalf of my sister <F>, who is too tired to write: the team at <HOSP> were wonderful, especially "
        "<N>.",
        "I'm <@F> daughter and her main carer. Please can <TS> ring me on <P> as Mum cannot hear on the phone.",
        "My partner <F> has dementia so I answer for her. <N> the specialist nurse was patient with us both.",
        "Writing for my aunt <N>. She wants everyone to know that <F> on <WARD> treated her like family.",
        "As <@N> son I would like to complain. <TS> discharged her without telling me, her next of kin.",
        "My neighbour <F> asked me to write this. She says <TN> saved her life and she means it.",
        "I help my mum <F> with her forms. She says thank you to <F>, <F> and the lady with the tea trolley.",
    ]),
    "focus_group": (80, [
        "Facilitator: What was the first contact like?\nP3: Honestly, I didn't know who <TS> was until the third "
        "visit.\nP1: Same. <F> was the one who explained things.",
        "<F>: I think the clinic letters are the problem.\n<F>: Yeah, and the phone line. I rang for two days.\n"
        "Facilitator: Thank you, <F>.",
        "Moderator: Anyone else?\nP7: I want to say <N> in the chemo unit was brilliant.\nP2: Agreed.",
        "[P4] When I saw <TS> she was rushed.\n[P5] Mine was <TN> and he was lovely, but the wait was awful.",
        "Facilitator: <F>, you mentioned the wig service?\n<F>: Yes, the lady, I think <F>, was so kind.",
        "Staff member 2: We rely on <F> to chase results.\nStaff member 1: And when <F> is on leave nobody does.",
        "<N> (nurse): The MDT slots are too short.\n<N> (consultant): I'd agree with <F> on that.",
        "Facilitator: What would you change?\nP6: Nothing about the staff. <TS> and <TS> were great.",
        "P1: My CNS was <F>.\nP2: Oh, I had <F> too! She's lovely.\nP3: I never had a named nurse at all.",
        "INT: Can you say more?\nR: Well, <TS> kept saying it was nothing. It was <F> who pushed for the biopsy.",
        "<F> (ward manager): We lost two band 5s last year.\nFacilitator: Thanks <F>. <F>, same on your side?",
        "Carer 1: My mum liked <TN>.\nCarer 2: <@F> mum too. He always sat down to talk.",
        "Facilitator: Any names you want to mention?\nP8: <N>, definitely, and the porter, <K>.",
    ]),
    "form": (90, [
        "What was good about your care?\n<F> on reception and <TS>.\n\nWhat could we do better?\nParking.",
        "Q1. Name of staff member you want to thank (optional): <N>\nQ2. Why? She stayed with me after my "
        "biopsy.",
        "What went well:\n- <TS> explained the <DRUG>\n- <F> rang with results on time\n\nEven better if:\n"
        "- letters arrived before the appointment",
        "Anything else you would like to tell us?\nPlease thank <TN>. My name is <N> if you need to follow up.",
        "Was there a member of staff who made a difference? Yes - <F> (HCA), <F> (nurse).",
        "Comments about the ward: <WARD> was clean. <F> was kind.\nComments about the clinic: <TS> was late.",
        "How did we make you feel?\nSafe. <N> held my hand in the <DEVICE> appointment.",
        "Contact details (if you want a reply): <N>, <P>",
        "Who did you see? <TS>\nWhat did they explain? The side effects of <DRUG>.\nRating: 5/5",
        "Your comments: Thank you <F> and <F>!\nCan we contact you? Yes, <P>",
    ]),
    "email": (90, [
        "Hi <F>,\n\nJust to let you know the appointment on Tuesday is fine.\n\nThanks,\n<F>\n\nSent from my "
        "iPhone",
        "Hello,\n\nI am emailing to complain about <TS>.\n\nRegards,\n<N>",
        "Dear <TS>\n\nThank you for seeing me at short notice. I have attached the letter from <HOSP>.\n\nBest,\n"
        "<N>\nMob: <P>",
        "Hi all - can someone let <F> know I've cancelled? Cheers, <F>",
        "To: PALS\nFrom: <N>\nSubject: my mum's care on <WARD>\n\nPlease call me on <P>.",
        "Morning <F>,\nCould you pass this to <TN>? Many thanks\n<F> x",
        "Hi,\nI'm <@N> partner. <F> from the breast unit said to email this address.\nThanks\n<F>",
        "Dear team, a huge thank you to <F>. Warm regards, <N> (and <F>, my husband)",
        "Re: appointment 3 June\n\n<F>, sorry to chase again. Who is my named consultant now that <TS> has gone?\n\n"
        "<N>\nSent from Outlook for Android",
        "Good afternoon <TN>,\nPlease find my form attached.\nMany thanks,\n<F> <S> on behalf of <N>",
        "FAO <TS> - re my results. Please ring <P> after 4pm. Kind regards, <I>",
        "Thanks <F>!! See you next week.\n\n-- \n<N>\n<P>",
    ]),
    "quoted_text": (80, [
        "The text from the hospital said \"Hi <F>, your appt with <TS> is cancelled\" and that was all.",
        "My daughter texted me: \"mum ask for <F> shes the nice one\". She was right.",
        "I got a message saying 'Please call <P> to rebook', but nobody ever answers that number.",
        "The reminder read: \"Dear <N>, you are booked at <HOSP> on 14/03 at 09:40\". Wrong name, wrong day.",
        "<F> sent me a text - \"thinking of u today, <F> x\" - on the morning of my surgery.",
        "Screenshot of the text: \"From <TS>'s secretary: results ready, ring <P>\".",
        "My husband's text said \"<F> says the scan is clear!!!\" and I cried in the car park.",
        "They texted \"Hi <F> its <F> from the breast unit, can u ring me\" and I panicked for hours.",
        "Text from my son: 'Mum <F> from the hospital rang the house, call her back on <P>'.",
        "I still have the message >> <TS> would like to see you on Friday, reply YES to confirm <<",
        "The text said 'Your appointment with Dr <S> has been moved' but I had never heard of Dr <S>.",
        "My friend <F> forwarded me this: \"ask for <N> at the Macmillan desk, she is amazing\".",
    ]),
    "mixed_language": (80, [
        "Salamat po kay <TF>, very kind sa akin during the chemo.",
        "Çok teşekkürler <F> Hemşire, you were like a sister to me.",
        "Dziękuję bardzo <F>, you helped my mama so much on <WARD>.",
        "Shukriya <TS>, bahut acha doctor, very patient with my mother.",
        "Alhamdulillah the operation went well. Shukran to <TS> and nurse <F>.",
        "Mulțumesc <F>! The radiotherapy team were very good.",
        "Go raibh míle maith agat <F>, you were brilliant.",
        "Och, <F> was a pure gem, so she was. Cannae fault her.",
        "E se gan ni <F>, God bless you for the care.",
        "Daalụ <F>, you are a good nurse and a kind woman.",
        "Mahadsanid <F>, you explained everything to my hooyo.",
        "Cảm ơn <F> rất nhiều, thank you for translating for my mẹ.",
        "Köszönöm <TS>, köszönöm szépen for everything.",
        "Efharisto poli <F>, my yiayia says you are an angel.",
        "Sat sri akal <F> ji, thank you for looking after my bibi.",
    ]),
    "lowercase": (70, [
        "thank u <F> for everything x",
        "<N> on the unit was amazing, please tell her",
        "saw <TS> today and she was really rude tbh",
        "<@F> hugs got me through the worst days",
        "me and <F> want to say thanks to <F> and <F>",
        "big up <F> the porter lol",
        "cant believe <TS> remembered my name after 2 years",
        "<F> rang me back within an hour, legend",
        "dr <S> and sister <S> were both lovely to my nan",
        "ask for <N> shes the best x",
    ]),
    "initials": (60, [
        "Seen by <I>, Consultant Breast Surgeon.",
        "Many thanks to <I> for the reconstruction.",
        "cc: <I>, Macmillan CNS",
        "Letter dictated by <I> but not signed.",
        "<I> and <I> ran the clinic that day.",
        "Please forward to <I> on <WARD>.",
        "Your ref: <I>/<DRUG>. Clinic letter from <I>.",
        "I think it was <I> who did the scan, the badge was hard to read.",
    ]),
    "possessive": (60, [
        "<@TS> clinic was running two hours late again.",
        "It was <@F> idea to try the <DEVICE> and it worked.",
        "I trusted <@N> judgement completely.",
        "<@F> and <@F> teamwork on <WARD> was a joy to watch.",
        "My mum still has <@TS> card on her mantelpiece.",
        "I waited for <@F> shift so she could do my bloods, nobody else could find a vein.",
        "My daughter <@F> birthday was the day of my surgery and <TS> remembered.",
        "I didn't like <@TN> attitude one bit.",
    ]),
    "nickname": (50, [
        "<K> on the ward was a star.",
        "Thanks <K>, couldn't have done it without you.",
        "Everyone calls her <K>, she's the heart of the unit.",
        "My brother <K> drove me every day.",
        "<K> and <K> from the chemo suite sent me a card!",
        "Big thanks to <K> (<F> really, but nobody calls her that).",
        "Say hi to <K> for me!!",
    ]),
    "word_names": (60, [
        "<W> on <WARD> made the best cup of tea.",
        "Thank you <W>, you were so gentle.",
        "I saw <TW> for my follow-up.",
        "<WN> was the radiographer and she put me at ease.",
        "Please thank nurse <W> for the chat at 3am.",
        "<TW> explained the results but rushed.",
        "The CNS, <W>, gave me her direct number.",
        "My key worker <WN> was brilliant.",
    ]),
    "sikh_double": (60, [
        "Many thanks to <SK> who translated for my mother.",
        "<SK> in the pharmacy sorted my <DRUG> in ten minutes.",
        "My husband <SK> came to every appointment.",
        "Please thank <DB> for her patience.",
        "<TS> and <DB> did my surgery at <HOSP>.",
        "I was seen by <DB>, who was charming.",
        "Bibi <SK> and her daughter <F> came in together.",
        "Complaint about <TS> and about <DB> in the office.",
    ]),
}
PHONE_KINDS: dict[str, tuple[int, bool, list[str]]] = {
    "phone_uk": (45, False, [
        "Best number for me is <PH>, after 5 please.", "mob <PH>", "Tel: <PH> (landline, I'm deaf in one ear)",
        "I called <PH> and it rang out.", "New mobile: <PH>. Old one lost.", "ring my husband on <PH> if no answer",
        "The clinic number <PH> is never answered.", "Switchboard <PH> ext 4417, ask for the breast unit.",
    ]),
    "phone_foreign": (45, True, [
        "I'm back home for a month, my number there is <PH>.", "Please call my son on <PH>, he lives abroad.",
        "whatsapp <PH>", "My daughter's number is <PH>, she speaks better English than me.",
        "Reach me on <PH> until the 20th.", "The interpreter's number: <PH>.",
        "They kept calling my old number <PH> from before I moved.",
    ]),
}
NEGATIVES = [
    "Linden Ward was spotless and the Primrose Unit staff were kind.", "The Robert Ogden Centre has free parking.",
    "Ninewells sent my scans to Raigmore in a day.", "The Beatson radiotherapy team in Glasgow were fantastic.",
    "Travelled from Stornoway to Inverness for every appointment.", "The Freeman and the RVI share one system.",
    "Ribociclib and Letrozole together gave me bad fatigue.", "Paclitaxel weekly for 12 weeks, then Epirubicin.",
    "Zoladex injections in the stomach every 28 days.", "Enhertu was approved by NICE in the end.",
    "Maggie's at the Christie has a lovely garden.", "Future Dreams House in King's Cross is wonderful.",
    "Tenovus ran a bus out to Bridgend.", "Walk the Walk funded the Paxman cold cap.",
    "My Portacath was flushed every 4 weeks.", "The Magseed marker was placed under ultrasound.",
    "A Jackson-Pratt drain for 10 days.", "My Apple Watch showed my heart rate at 120.",
    "The Sentimag probe found the node.", "PICC line clinic on Wednesday mornings.",
    "Garrod Ward and Cedar Ward were merged in June.", "Ward C3 had no hot water over Easter.",
    "Queen Elizabeth Hospital in Birmingham did my genetics.", "The Princess Royal in Telford is closer.",
    "Wythenshawe lymphoedema clinic was excellent.", "Musgrove Park to Taunton station is a short walk.",
    "James Cook University Hospital in Middlesbrough, Ward 5.", "Altnagelvin to Belfast is a long drive.",
    "Morriston has a Costa and a Greggs now.", "The WRVS shop closes at 4.",
    "Oncotype DX, Ki-67 and the Nottingham Prognostic Index were all explained.", "Paget's disease was ruled out.",
    "Herceptin SC every 3 weeks, 18 cycles.", "BRCA1 negative, PALB2 negative.",
    "Appointments at 09:40 and 14:15 on Thursdays.", "Paid £6.20 for 4 hours of parking.",
    "Room 2.14, Level 3, Lift B.", "Cycle 4 of 6 delayed 7 days (neutropenia 0.8).",
    "Ref 2024/11/0387 on the letter.", "T2 N1 M0, grade 2, ER 8/8, HER2 1+.",
    "Buscopan and Oramorph in the cupboard, Fragmin in the fridge.", "The Fitbit counted 2,300 steps.",
    "Kendal to Lancaster by train then the 555 bus.", "Hexham Community Hospital did the bloods.",
    "Oldham, Rochdale and Bury share the breast screening unit.", "Dundee and Perth clinics alternate.",
    "Ballymena to Antrim Area Hospital takes 25 minutes.", "Kilmarnock to Crosshouse is walkable.",
    "Christmas Day on Hamilton Ward was lovely.", "Breast Cancer Now's Moving Forward course helped.",
    "Marie Curie nurses came at night.", "Penny Brohn in Bristol runs retreats.",
    "Prevent Breast Cancer funded the new Mammotome.", "The Sir Bobby Robson Unit is brand new.",
    "A TENS machine for the nerve pain.", "Look Good Feel Better gave us a make-up bag.",
    "Fulvestrant injections, two at once, one in each buttock.", "Capecitabine tablets twice a day for 14 days.",
    "Galashiels to the Borders General, 20 minutes.", "Lisburn to the City Hospital, 30 minutes.",
    "The Ellen Badger Unit in Shipston is tiny.", "St Bartholomew's has a chapel.",
    "NHS 111 told me to go to A&E.", "The 2WW referral came through on Monday.",
    "Scunthorpe General has no breast surgeon on Fridays.", "Olaparib for a year after chemo.",
]

_SLOT = re.compile(r"<(@?)([A-Z]+)>")


class _Writer:
    """Builds one text and its spans, piece by piece."""

    def __init__(self):
        self.parts: list[str] = []
        self.spans: list[list] = []
        self.pos = 0

    def add(self, text: str, label: str | None = None) -> None:
        if label:
            self.spans.append([self.pos, self.pos + len(text), label])
        self.parts.append(text)
        self.pos += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def _group(rng):
    return NAMES[rng.choice(sorted(NAMES))]


def _first(rng) -> str:
    return rng.choice(_group(rng)[0])


def _sur(rng, first_group=None) -> str:
    g = first_group if first_group is not None and rng.random() < 0.75 else _group(rng)  # a quarter mix groups
    return rng.choice(g[1])


def _full(rng) -> str:
    g = _group(rng)
    return f"{rng.choice(g[0])} {_sur(rng, g)}"


def _initials(rng) -> str:
    g = _group(rng)
    f, s = rng.choice(g[0]), _sur(rng, g)
    mid = rng.choice("ABCDEFGHJKLMNOPRST")
    form = rng.choice(["i_s", "i_s", "ii_s_nodots", "f_m_s", "ii_s", "i_s_nospace", "i_m_s"])
    if form == "i_s":
        return f"{f[0]}. {s}"
    if form == "ii_s_nodots":
        return f"{f[0]}{mid} {s}"
    if form == "f_m_s":
        return f"{f} {mid}. {s}"
    if form == "ii_s":
        return f"{f[0]}.{mid}. {s}"
    if form == "i_s_nospace":
        return f"{f[0]}.{s}"
    return f"{f[0]}. {mid}. {s}"


def _sikh(rng) -> str:
    f = rng.choice(NAMES["sikh_punjabi"][0])
    mid = rng.choice(SIKH_MIDDLE)
    if rng.random() < 0.5:
        return f"{f} {mid}"
    return f"{f} {mid} {rng.choice(NAMES['sikh_punjabi'][1])}"


def _double(rng) -> str:
    g = NAMES["double_barrelled_british"]
    if rng.random() < 0.6:
        return f"{rng.choice(g[0])} {rng.choice(g[1])}"
    # a married name joining two groups
    return f"{_first(rng)} {rng.choice(_group(rng)[1])}-{rng.choice(g[1]).split('-')[0]}"


def _slot(w: _Writer, rng, slot: str, possessive: bool) -> None:
    title = None
    if slot == "F":
        name = _first(rng)
    elif slot == "S":
        name = _sur(rng)
    elif slot == "N":
        name = _full(rng)
    elif slot == "TS":
        title, name = rng.choice(TITLES), _sur(rng)
    elif slot == "TN":
        title, name = rng.choice(TITLES), _full(rng)
    elif slot == "TF":
        title, name = rng.choice(["Nurse", "Sister", "Dr", "Ate", "Auntie"]), _first(rng)
    elif slot == "I":
        name = _initials(rng)
    elif slot == "K":
        name = rng.choice(NICKNAMES)
    elif slot == "W":
        name = rng.choice(WORD_FIRST)
    elif slot == "WN":
        name = f"{rng.choice(WORD_FIRST + [_first(rng)])} {rng.choice(WORD_SUR)}"
    elif slot == "TW":
        title, name = rng.choice(TITLES), rng.choice(WORD_SUR)
    elif slot == "SK":
        name = _sikh(rng)
    elif slot == "DB":
        name = _double(rng)
    elif slot in ("P", "PH", "FP", "UK"):
        w.add(phone(rng, {"FP": True, "UK": False}.get(slot)), "PHONE")
        return
    elif slot in ("WARD", "HOSP", "TOWN", "DRUG", "CHARITY", "DEVICE"):
        pool = {"WARD": WARDS, "HOSP": HOSPITALS, "TOWN": TOWNS, "DRUG": DRUGS, "CHARITY": CHARITIES,
                "DEVICE": DEVICES}[slot]
        w.add(rng.choice(pool))
        return
    else:
        raise ValueError(slot)
    if title:
        w.add(title + " ")
    w.add(name, "PERSON")
    if possessive:
        w.add("'s")


def _fill(rng, template: str, phone_foreign: bool | None = None, w: _Writer | None = None) -> _Writer:
    w, last = w or _Writer(), 0
    for m in _SLOT.finditer(template):
        w.add(template[last:m.start()])
        if m.group(2) == "PH":
            w.add(phone(rng, phone_foreign), "PHONE")
        else:
            _slot(w, rng, m.group(2), bool(m.group(1)))
        last = m.end()
    w.add(template[last:])
    return w


def _letter(rng) -> _Writer:
    """A long letter: greeting, 3-5 paragraphs, sign-off, paragraphs separated by a blank line."""
    w = _fill(rng, rng.choice(LETTER_OPEN))
    for para in rng.sample(LETTER_PARAS, rng.randint(3, 5)):
        w.add("\n\n")
        _fill(rng, para, w=w)
    if rng.random() < 0.2:
        _fill(rng, "\n\nIf you need to reach me my number is <P>.", w=w)
    w.add("\n\n")
    _fill(rng, rng.choice(LETTER_CLOSE), w=w)
    return w


def _lower(text: str) -> str:
    low = text.lower()
    assert len(low) == len(text), text  # offsets stay valid
    return low


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for _ in range(70):
        w = _letter(rng)
        items.append({"kind": "letter", "text": w.text(), "spans": w.spans})
    for kind, (n, templates) in KINDS.items():
        for i in range(n):
            w = _fill(rng, rng.choice(templates))
            if kind in ("carer", "form") and i % 8 == 3:  # a phone number too
                _fill(rng, rng.choice([" Phone: <P>", " (my number: <P>)", " Tel <P>."]), w=w)
            if kind in ("carer", "email", "possessive") and rng.random() < 0.25:  # a capitalised non-name too
                prefix = rng.choice(NEGATIVES) + " "
                w.spans = [[s + len(prefix), e + len(prefix), lab] for s, e, lab in w.spans]
                w.parts.insert(0, prefix)
            text = w.text()
            if kind == "lowercase" or (kind in ("quoted_text", "email", "mixed_language") and rng.random() < 0.2):
                text = _lower(text)
            items.append({"kind": kind, "text": text, "spans": w.spans})
    for kind, (n, foreign, templates) in PHONE_KINDS.items():
        for _ in range(n):
            w = _fill(rng, rng.choice(templates), phone_foreign=foreign)
            items.append({"kind": kind, "text": w.text(), "spans": w.spans})
    for _ in range(130):
        text = " ".join(rng.sample(NEGATIVES, rng.choice([1, 2, 2, 3, 4])))
        if rng.random() < 0.1:
            text = text.lower()
        items.append({"kind": "negative", "text": text, "spans": []})
    rng.shuffle(items)
    return [{"id": f"v7-{k:04d}", "kind": it["kind"], "text": it["text"], "spans": it["spans"]}
            for k, it in enumerate(items)]


def _words(names) -> set[str]:
    return {w.lower() for n in names for w in n.replace("-", " ").split()}


def earlier_name_words() -> set[str]:
    """Every word of the v2-v6 generators' name lists (and nickname lists)."""
    import importlib.util

    words: set[str] = set()
    for fname in _EARLIER:
        spec = importlib.util.spec_from_file_location(fname[:-3], HERE / fname)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for fs in mod.NAMES.values():
            for names in fs:
                words |= _words(names)
        nick = getattr(mod, "NICKNAMES", None) or []
        words |= _words([n for n in nick if isinstance(n, str)])
    return words


def v7_name_words() -> set[str]:
    return (_words(n for f, s in NAMES.values() for n in f + s) | _words(NICKNAMES) | _words(WORD_FIRST)
            | _words(WORD_SUR) | _words(SIKH_MIDDLE))


def overlap() -> None:
    shared = sorted(v7_name_words() & earlier_name_words())
    print(f"v7 name words: {len(v7_name_words())}; in the v2-v6 name lists: {len(shared)} ({', '.join(shared)})")


def dumps(items: list[dict]) -> str:
    return "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items)


def main() -> None:
    if "--overlap" in sys.argv:
        overlap()
        return
    items = build()
    (HERE / OUT).write_text(dumps(items), encoding="utf-8", newline="\n")
    n_person = sum(sp[2] == "PERSON" for it in items for sp in it["spans"])
    n_phone = sum(sp[2] == "PHONE" for it in items for sp in it["spans"])
    print(f"{OUT}: {len(items)} items, {n_person} PERSON spans, {n_phone} PHONE spans")


if __name__ == "__main__":
    main()
