"""Write the sixth de-identification evaluation set: ``deid_heldout_v6.jsonl`` (held-out only, no dev half).

    python benchmarks/data/make_deid_heldout_v6.py            # rewrites the file (seeded, deterministic)
    python benchmarks/data/make_deid_heldout_v6.py --overlap  # its name words vs the gazetteers and v2-v5

Written on 2026-12-04 by a helper who had not read the items of v2-v5 nor of the labelled real samples and
who looked at **no recognizer output** while writing it; committed (file, generator and the SHA-256 in
``tests/test_deidentify_v6.py``) *before* it was scored, and scored once with the code on main as it was
(no recognizer changed after). v2-v5 were each scored in several rounds while the recognizers changed, so
they are re-used sets; v6 is the clean estimate. Built differently from v2-v5:

- **whole comments, one voice per item**, not clauses or one-line templates: each item kind has its own
  hand-written comments in the voice of patients, relatives or staff writing about breast cancer care
  (``kind`` in the JSONL says which; the benchmark reports per kind): thank-you notes, complaints, text
  messages, long rambling comments, lists of staff, whole comments in lower case, names with initials
  ("A.J. Habimana", "Tenzin D. Lhamo"), hyphenated and multi-part surnames ("Quispe Mamani", "von Bülow",
  "Rodrigues da Silva"), nicknames ("Chalky", "Jonno", "Debs"), names that are words ("Blessing",
  "Patience", "Sunday", "Hope", "Baker", "Ward"), names next to ward, place and drug words
  ("Sister Rowan on Rowan Ward", "Mr Paget explained Paget's disease"), staff notes about colleagues;
- **names** hand-composed from naming cultures none of v2-v5 centres on: Spanish / Latin American (two
  surnames), Ukrainian / Bulgarian / Macedonian, Kinyarwanda / Kirundi / Congolese, Dinka / Nuer (South
  Sudan), Tibetan / Sherpa, German / Austrian / Swiss (umlauts, "von"), French / Belgian / Quebec,
  Portuguese / Goan / Cape Verdean, Ashkenazi Jewish, Cornish / Manx, Zimbabwean and Nigerian virtue names
  and English word surnames, British nicknames other than v5's; first name and surname are sometimes drawn
  from different cultures (mixed families);
- **phones** of random digits kept only when ``phonenumbers`` calls them valid, written in the formats of
  ``phonenumbers`` itself (national, international, E.164, RFC 3966) and in hand shapes (NANP dashes and
  dots, "+41 (0)...", "0044 ...", no spaces at all, dashes), UK mobiles and landlines and 20 countries
  mostly absent from v3-v5 (Rwanda, South Sudan, Colombia, Peru, Cape Verde, Sweden, Iceland, Taiwan ...);
- **negatives**: comments with no name but capitalised non-names: wards and hospitals named after people
  ("Lister Ward", "Queen Alexandra", "St James's"), towns, drugs and brands, charities ("Macmillan",
  "Breast Cancer Now", "CoppaFeel!"), months and days, eponyms ("Hickman line", "Becker implant",
  "Nottingham Prognostic Index"), job titles, and numbers that are not phones.

Gold PERSON spans cover the name only (no title, no role, no possessive ``'s``); PHONE spans the number.
Offsets are computed by the generator while it writes the text. Synthetic text only; seeded.
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = "deid_heldout_v6.jsonl"
SEED = 6006

# (first names, surnames) per naming culture, composed by hand for this file.
NAMES = {
    "spanish_latin_american": (["María José", "Guadalupe", "Xiomara", "Yesenia", "Juan Carlos", "Inmaculada",
                                "Rocío", "Eduardo", "Maricruz", "Wilmer"],
                               ["Quispe Mamani", "Hernández-Ríos", "Cárdenas", "Villalobos", "Sáenz de Ugarte",
                                "Ocampo", "Huamán", "Zúñiga", "Echeverría", "Montoya Gil"]),
    "ukrainian_bulgarian_macedonian": (["Yuliia", "Bohdan", "Oksana", "Desislava", "Todor", "Svitlana",
                                        "Mykola", "Radostina", "Bojan", "Halyna"],
                                       ["Shevchenko", "Kovalenko", "Stoyanova", "Bondarenko", "Hrytsenko",
                                        "Dimitrovska", "Tkachuk", "Petkov", "Melnyk", "Trajkovski"]),
    "kinyarwanda_kirundi_congolese": (["Claudine", "Jean-Paul", "Uwase", "Aimée", "Olivier", "Mugisha",
                                       "Divine", "Ishimwe", "Kalala", "Grâce"],
                                      ["Uwimana", "Habimana", "Niyonzima", "Mukamana", "Ndayishimiye",
                                       "Nshimiyimana", "Mbuyi", "Kabongo", "Ingabire", "Tshisekedi"]),
    "dinka_nuer": (["Achol", "Nyandeng", "Majok", "Akech", "Garang", "Ayen", "Deng", "Nyakim", "Chol", "Abuk"],
                   ["Mabior", "Kuol", "Lual", "Bol", "Machar", "Deng Ajak", "Gatluak", "Malual", "Akol", "Thon"]),
    "tibetan_sherpa": (["Tenzin", "Pema", "Dolma", "Sonam", "Lhakpa", "Dawa", "Tashi", "Yangchen", "Ngawang",
                        "Kunsang"],
                       ["Lhamo", "Sherpa", "Norbu", "Dorje", "Tsering", "Gyatso", "Wangmo", "Choden", "Namgyal",
                        "Phuntsok"]),
    "german_austrian_swiss": (["Jürgen", "Anneliese", "Wolfgang", "Hannelore", "Björn", "Friederike", "Ulrich",
                               "Gisela", "Lukas", "Renate"],
                              ["von Bülow", "Schäfer", "Großmann", "Müller-Lüdenscheidt", "Oberhuber",
                               "Brändli", "Kießling", "zu Eltz", "Hüttenrauch", "Weißenborn"]),
    "french_belgian_quebec": (["Marie-Claude", "Thérèse", "Jean-Baptiste", "Gaëlle", "Anaïs", "Rémi",
                               "Geneviève", "Ludovic", "Solène", "Hervé"],
                              ["Lefèvre", "Dubois-Martin", "de la Fontaine", "Gauthier", "Tremblay",
                               "Vanderhaegen", "Leclercq", "Bélanger", "Desrosiers", "Rousseau"]),
    "portuguese_goan_cape_verdean": (["Conceição", "João Pedro", "Filomena", "Lurdes", "Agnelo", "Benedita",
                                      "Crisóstomo", "Natércia", "Edmundo", "Antónia"],
                                     ["Rodrigues da Silva", "D'Souza", "Gonçalves", "Fernandes", "Mascarenhas",
                                      "Tavares", "Carvalho", "Pereira Lopes", "Semedo", "Rebelo"]),
    "ashkenazi_jewish": (["Moishe", "Rivka", "Shmuel", "Chaya", "Yitzchak", "Faigy", "Mendel", "Esther",
                          "Zalman", "Bracha"],
                         ["Finkelstein", "Rosenthal", "Katz", "Goldberg", "Halberstam", "Teitelbaum", "Perlman",
                          "Eisenberg", "Schachter", "Lowenthal"]),
    "cornish_manx": (["Morwenna", "Jago", "Tamsin", "Kerensa", "Piran", "Demelza", "Loveday", "Cador", "Jenna",
                      "Tristan"],
                     ["Trelawny", "Penrose", "Pascoe", "Quayle", "Kinvig", "Tregenza", "Nancarrow", "Trevithick",
                      "Kermode", "Polglase"]),
    # names that are also English words: virtue names and word surnames
    "virtue_and_word_names": (["Blessing", "Patience", "Precious", "Comfort", "Goodluck", "Sunday", "Memory",
                               "Hope", "Faith", "Gift"],
                              ["Baker", "Ward", "Bishop", "Church", "Savage", "Moody", "Swift", "Love", "Wise",
                               "Sharp"]),
}
#: British nicknames (none of them in v5's list) and what the name is a nickname of (not used in labels).
NICKNAMES = ["Chalky", "Nobby", "Jonno", "Macca", "Debs", "Bex", "Tash", "Jules", "Smudge", "Fozzy", "Lofty",
             "Ginge", "Sparky", "Kaz", "Ronnie", "Deano", "Gaz", "Titch", "Babs", "Lou"]

TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Professor", "Sister", "dr", "Mx"]
WARDS = ["Rowan Ward", "Lister Ward", "Nightingale Ward", "Florence Ward", "Victoria Ward", "Jasmine Ward",
         "Ward 22", "the Kensington Wing", "Churchill Suite", "Cavell Ward", "Percival Ward", "Ward 7B"]
TOWNS = ["Bradford", "Wigan", "Hull", "Derby", "Luton", "Hastings", "Sidmouth", "Whitby", "Warrington",
         "Milton Keynes", "Newton Abbot", "Chester-le-Street", "Ashby-de-la-Zouch", "Penzance", "Truro", "Camborne"]
DRUGS = ["Tamoxifen", "Letrozole", "Anastrozole", "Exemestane", "Docetaxel", "Phesgo", "Zometa", "Denosumab",
         "Filgrastim", "Ondansetron", "Dexamethasone", "Movicol", "Lorazepam", "Kadcyla", "Trodelvy"]


# ---------------------------------------------------------------- phones
#: Countries other than the UK; most are absent from v3-v5's lists.
COUNTRIES = ["RW", "SS", "CD", "CO", "PE", "AR", "CL", "CV", "AO", "MZ", "MK", "AL", "SE", "NO", "DK", "IS",
             "LU", "TW", "SG", "US", "CA", "CH", "DE", "UA"]
UK_LANDLINE_AREAS = ["20", "121", "161", "113", "114", "117", "1223", "1865", "191", "28", "29", "131", "141",
                     "1872", "1392", "1752", "1482", "1942"]


def _random_valid(rng: random.Random, region: str, mobile: bool):
    import phonenumbers as pn

    if region == "GB":
        for _ in range(200):
            nsn = ("7" + rng.choice("45789") + "".join(rng.choice("0123456789") for _ in range(8)) if mobile else
                   (lambda a: a + "".join(rng.choice("0123456789") for _ in range(10 - len(a))))(
                       rng.choice(UK_LANDLINE_AREAS)))
            num = pn.parse("+44" + nsn)
            if pn.is_valid_number(num):
                return num
        raise RuntimeError("no valid UK number")
    kind = pn.PhoneNumberType.MOBILE if mobile else pn.PhoneNumberType.FIXED_LINE
    ex = pn.example_number_for_type(region, kind) or pn.example_number(region)
    nat = str(ex.national_number)
    keep = max(1, len(nat) - 6)
    for _ in range(200):
        cand = nat[:keep] + "".join(rng.choice("0123456789") for _ in range(len(nat) - keep))
        num = pn.parse(f"+{ex.country_code}{cand}")
        if pn.is_valid_number(num) and pn.region_code_for_number(num) == region:
            return num
    return ex


def phone(rng: random.Random, foreign: bool | None = None) -> str:
    """A valid phone number written in one of many shapes."""
    import phonenumbers as pn

    F = pn.PhoneNumberFormat
    if foreign is None:
        foreign = rng.random() < 0.4
    region = rng.choice(COUNTRIES) if foreign else "GB"
    num = _random_valid(rng, region, mobile=rng.random() < 0.65)
    nsn, cc = pn.national_significant_number(num), str(num.country_code)
    if region == "GB":
        nat = "0" + nsn
        style = rng.choice(["national", "national", "international", "e164", "compact", "brackets", "plus0",
                            "0044", "dashes", "threes", "rfc"])
        if style == "national":
            return pn.format_number(num, F.NATIONAL)
        if style == "international":
            return pn.format_number(num, F.INTERNATIONAL)
        if style == "e164":
            return pn.format_number(num, F.E164)
        if style == "compact":
            return nat
        if style == "brackets":
            a = 5 if nsn[0] != "2" else 3
            return f"({nat[:a]}) {nat[a:a + 3]} {nat[a + 3:]}"
        if style == "plus0":
            return f"+44 (0){nsn[:4]} {nsn[4:]}"
        if style == "0044":
            return f"0044 {nsn[:4]} {nsn[4:]}"
        if style == "dashes":
            return f"{nat[:5]}-{nat[5:8]}-{nat[8:]}"
        if style == "threes":
            return f"{nat[:5]} {nat[5:8]} {nat[8:]}"
        return pn.format_number(num, F.RFC3966)
    if region in ("US", "CA"):
        return rng.choice([f"{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}", f"({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}",
                           f"{nsn[:3]}.{nsn[3:6]}.{nsn[6:]}", f"+1 {nsn[:3]} {nsn[3:6]} {nsn[6:]}",
                           f"1-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}"])
    style = rng.choice(["international", "international", "e164", "national", "00", "plus0", "rfc"])
    if style == "international":
        return pn.format_number(num, F.INTERNATIONAL)
    if style == "e164":
        return pn.format_number(num, F.E164)
    if style == "national":
        return pn.format_number(num, F.NATIONAL)
    if style == "00":
        return "00" + pn.format_number(num, F.INTERNATIONAL)[1:]
    if style == "plus0":
        return f"+{cc} (0){nsn[:2]} {nsn[2:5]} {nsn[5:]}"
    return pn.format_number(num, F.RFC3966)


# ---------------------------------------------------------------- comments, per item kind
# Slots: <F> first name, <S> surname, <N> full name, <TS> title + surname, <TN> title + full name,
# <I> name with initials, <M> multi-part surname (full name), <K> nickname, <W> word name (first),
# <WS> full name whose surname is a word, <P> phone, <FP> foreign phone, <UK> UK phone.
# "@" before a slot writes its possessive 's after the name.
KINDS: dict[str, tuple[int, list[str]]] = {
    "thanks": (110, [
        "I just want to say a massive thank you to <N> and all the team on the breast unit, you got me through it.",
        "Thank you <F>. You held my hand at every scan and never once made me feel silly for crying.",
        "Please pass on my thanks to <TS>, who explained my results so clearly that even my husband understood.",
        "Words can't say how grateful we are to <F> and <F> in chemo day unit. Mum talks about you every day.",
        "<TN> and her secretary <F> went above and beyond to get my surgery date moved for my daughter's wedding.",
        "Special thanks to the breast care nurse <F>, who rang me at home the night before my mastectomy.",
        "My heartfelt thanks to <N>. <@F> kindness on the worst day of my life will stay with me.",
        "Thanks so much to <TS> for the reconstruction, I can look in the mirror again.",
        "A big thank you to the radiographers, especially <F>, who made me laugh every single morning.",
        "Huge thanks to <N> at the Macmillan information centre for sorting my blue badge and grant forms.",
        "We would like to thank <TS> and the whole team for caring for our mother <N> in her last weeks.",
        "<F>, thank you for being there when I woke up from surgery. You are an angel.",
    ]),
    "complaint": (100, [
        "I am writing to complain about the way I was spoken to by <TS> on the day of my biopsy results.",
        "Nobody told me the clinic was cancelled. When I rang, a woman called <F> said it was my fault for not checking the letter.",
        "<TN> did not examine me and dismissed my concerns about the lump in under five minutes.",
        "I asked three times for the breast care nurse. I was told <F> was busy and no one else could help.",
        "The receptionist, I believe her name was <N>, was rude and shouted my diagnosis across the waiting room.",
        "My formal complaint concerns <TS>, who told my wife she was overreacting about her lymphoedema.",
        "We waited seven hours for a bed. When we raised it with the nurse in charge, <F>, she rolled her eyes.",
        "I have emailed <N> in PALS four times and still have no reply. This is unacceptable.",
        "I was promised a call back from <TS> about my Oncotype result and it never came.",
        "Please can someone look into why <F> on the phone line kept putting me on hold for 40 minutes.",
    ]),
    "sms": (90, [
        "hi its <F> here, my scan is moved to thurs, can u let <F> know? ta",
        "appt ok. <F> was lovely x. pls ring me <P>",
        "thx <F> 4 everything!! xx",
        "cant make tmrw, mum in hosp. txt me on <P> or ask for <F> on the ward",
        "<F> said 2 come at 10 but no1 there. wot now??",
        "msg from <N>: running late, parking is a nightmare",
        "ty <F> n <F>, best nurses ever <3",
        "pls call <P> asap re my results, ask <TS> to ring if poss",
        "omg <F> from the breast clinic just rang, all clear!!!",
        "can <TS> ring me back on <P> pls, been waiting 2 wks",
    ]),
    "rambling": (70, [
        "Well where do I start. I was diagnosed in the spring and honestly it has been a whirlwind, the first lady I saw, "
        "<TS>, was very kind but I could not take anything in, then I saw <N> the nurse who gave me a folder, and "
        "then there was the wait for the scan which felt like forever, my sister came with me, and then <F> rang me "
        "with the date, anyway all in all I cannot fault them.",
        "I have been coming here for years now with one thing and another and I have to say the staff on the unit are "
        "the best, I mean <F> on reception always remembers my name and asks after my dog, and <TS> who did my "
        "lumpectomy was brilliant, the only thing I would say is the car park, which is a disgrace, and the coffee "
        "machine never works, but that is not the nurses' fault is it.",
        "So my appointment was at half nine and I got there early because the bus is unreliable and I sat and sat and "
        "nobody said anything, then a nurse called <F> came and said sorry the doctor is in theatre, which fair enough "
        "but a bit of warning would have been nice, then <TN> saw me at twelve and was lovely, but my husband had to "
        "go back to work by then so I was on my own.",
        "Honestly I do not know what I would have done without <F>. I had so many questions and I kept ringing and "
        "ringing and she always picked up or rang back the same day, and when I was really low after the second "
        "cycle she sat with me for an hour. And <N>, the other specialist nurse, was just as good.",
        "The treatment itself was fine, the radiotherapy was fine, it is the admin that let it down, letters sent to "
        "my old address, a phone number that nobody answered, <N> in the booking office did try to help but said "
        "the system would not let her change it, and in the end my GP had to chase <TS> for me.",
    ]),
    "staff_list": (70, [
        "Thank you to <F>, <F>, <F> and <TS>.",
        "The team: <N>, <N>, <F> and <F> (HCA). All brilliant.",
        "Nurses <F>, <F> and <F> on nights were amazing.",
        "<TS>, <TS> and <F> the specialist nurse explained everything.",
        "Shout out to <F> / <F> / <F> on the day unit!",
        "Staff who helped me: <N> (radiographer), <N> (nurse), <F> (porter), <TS> (consultant).",
        "Please thank <F>, <F>, <F>, <F> and everyone on the unit.",
        "Radiotherapy team - <F>, <F> & <N> - made it bearable.",
    ]),
    "lowercase": (60, [
        "thank you to <N> for looking after me, could not have done it without you",
        "<F> on the chemo unit is a star, always smiling",
        "i saw <TS> who was very abrupt and did not listen",
        "big thanks to <F> and <F> for sitting with me while i waited for my results",
        "the nurse <F> rang me every week to check on me",
        "please tell <N> that her kindness meant the world",
    ]),
    "initials": (60, [
        "Seen by <I> in the breast clinic, who was very thorough.",
        "Many thanks to <I> and the theatre team.",
        "Letter signed by <I>, Consultant Oncologist, arrived two weeks late.",
        "<I> explained the side effects of <DRUG> very well.",
        "Please pass my thanks to <I> and <I> for the care I received.",
        "The clinic letter says I saw <I>, but I actually saw a registrar.",
    ]),
    "multipart": (60, [
        "<TM> was the most caring surgeon I have ever met.",
        "My mother, <M>, was treated with dignity from start to finish.",
        "Thank you <M> for translating for my father at every appointment.",
        "I would like to complain about <TM>, who refused to answer my questions.",
        "<M> and <M> made the day unit feel like home.",
        "The letter was addressed to <M> but my name was spelled wrong again.",
    ]),
    "nickname": (50, [
        "<K> the porter had me in stitches all the way down to theatre.",
        "Cheers <K>, you are a legend.",
        "My husband <K> came to every appointment and the staff always made him a cuppa.",
        "<K> on reception is wonderful, please give her a pay rise.",
        "Everyone calls him <K> but he is the best healthcare assistant on the ward.",
        "Big thank you to <K> and <K> in the scanning room.",
    ]),
    "word_names": (60, [
        "<W> on reception was so welcoming.",
        "Thank you <W>, you made the waiting bearable.",
        "I hope <W> knows how much she helped me.",
        "The nurse, <W>, took time to explain my new medication.",
        "<WS> was my key worker and nothing was too much trouble.",
        "Please thank <TWS> for her patience with all my questions.",
        "Nurse <W> stayed late to make sure I got my results.",
        "I saw <TWS> who was kind but rushed.",
    ]),
    "name_near_place": (60, [
        "Sister <PF:Rowan> on Rowan Ward was lovely.",
        "<TS> in <TOWN> did my first operation and <TS> in <TOWN> did the reconstruction.",
        "Mr <PS:Paget> explained Paget's disease of the nipple to me in plain English.",
        "<F> on <WARD> gave me my <DRUG> and stayed while I took it.",
        "Nurse <PF:Florence> on Florence Ward deserves a medal.",
        "I travelled from <TOWN> to see <TS> and it was worth every mile.",
        "Dr <PS:Hastings> from <TOWN> referred me quickly.",
        "<F> from <WARD> rang about my <DRUG> prescription.",
        "Staff nurse <PS:Ward> on Ward 22 was the best of them all.",
        "Mrs <PS:Penrose> at the Penrose clinic was very reassuring.",
        "Nurse <PF:Jasmine> on Jasmine Ward sat with me all night.",
        "<PF:Victoria> from Victoria Ward brought my Lorazepam late.",
        "Dr <PS:Lister> on Lister Ward never introduced himself.",
        "My CNS <F> met me at the <TOWN> clinic after my <DRUG> review.",
        "<PS:Derby> the HCA drove in from Derby in the snow.",
    ]),
    "staff_voice": (60, [
        "Discussed with <TS> at MDT; plan for wide local excision. <F> (CNS) to phone patient.",
        "Handover from <F>: patient anxious about drain, reviewed by <TS>.",
        "Cover arranged: <N> on leave, <F> will run Tuesday's clinic.",
        "Thanks to <F> and <F> for staying late with the lists last night.",
        "Per <TS>, the patient's daughter <F> is next of kin, call <P>.",
        "Rota query to <N>, band 6, please.",
    ]),
}
PHONE_KINDS: dict[str, tuple[int, bool, list[str]]] = {
    "phone_uk": (50, False, [
        "Please ring me on <PH>.", "My mobile is <PH> if the clinic needs me.", "Contact number: <PH>",
        "I rang <PH> six times and nobody answered.", "call me back on <PH> thanks",
        "The number on the letter (<PH>) goes to a fax machine.", "my new number is <PH>",
        "Daughter's number for emergencies: <PH>.",
    ]),
    "phone_foreign": (50, True, [
        "I live abroad half the year, please use <PH>.", "My son in Canada asked to be called on <PH>.",
        "They're not answering at <PH>.", "Whatsapp me on <PH> while I am away.",
        "My sister's number is <PH>, she speaks English.", "If I am home with family you can reach me at <PH>.",
        "The translator gave her number as <PH>.", "Tried calling from my holiday on <PH> but no reply.",
    ]),
}
NEGATIVES = [
    "Lister Ward was clean and the food was hot.", "I was moved to Nightingale Ward after midnight.",
    "The Queen Alexandra always loses my notes.", "St James's has better parking than here.",
    "Parking at the Churchill is a nightmare.", "I had my Hickman line removed in March.",
    "The PICC line got infected twice.", "My Becker implant was swapped for a silicone one.",
    "My Nottingham Prognostic Index was explained to me.", "Herceptin every three weeks until June.",
    "Tamoxifen gives me hot flushes and aching joints.", "Letrozole and Zometa started in August.",
    "Macmillan helped with the grant forms.", "Breast Cancer Now forum was a lifeline.",
    "CoppaFeel! talked at my daughter's school.", "Maggie's centre has the best tea.",
    "Look Good Feel Better workshop was fun.", "Cancer Research UK leaflets were out of date.",
    "Travelled from Wigan every day for radiotherapy.", "We drove from Newton Abbot in the snow.",
    "The clinic in Milton Keynes was quicker.", "Chester-le-Street to Newcastle is a long trip.",
    "Sunday appointments would help working people.", "May and June were the hardest months.",
    "The Consultant Radiologist and the Staff Nurse were kind.", "The Breast Care Nurse rang on Monday.",
    "Paget's disease was ruled out.", "I had a DIEP flap and a Wise pattern reduction.",
    "Oncotype DX score was low so no chemo.", "Filgrastim injections at home, done by me.",
    "Dexamethasone kept me up all night.", "The Royal Marsden gave a second opinion.",
    "Addenbrooke's did my genetic test.", "Guy's and St Thomas' shared my scans.",
    "Bed 14 on Ward 22 had a broken light.", "Cycle 3 of 6 was delayed by 2 weeks.",
    "Paid £4.50 for parking, 3 hours.", "Took 2.5mg Letrozole daily for 5 years.",
    "Appointments at 10:30-11:45 every Tuesday.", "HER2+ grade 3, T2N0, treated 2019-2021.",
    "The Friends of the Hospital shop sells good cake.", "Radiotherapy in the Jubilee Building.",
    "Bupa paid for my scan at the Spire.", "The Nuffield was quicker than the NHS.",
    "Cavell Ward has no wifi.", "Rowan Ward and Jasmine Ward share one bathroom.",
    "Good Friday clinic was cancelled.", "The Prince Charles Hospital sent me home.",
    "A Bell's palsy scare in April turned out to be nothing.", "Raynaud's makes the cold cap hard.",
    "Room 0.12, level 2, near the Costa.", "My BRCA2 result took 16 weeks.",
    "The Mammotome biopsy was painless.", "Lymphoedema clinic in Truro was brilliant.",
    "Hope and patience are needed in this place.", "We had faith in the team from day one.",
    "Penzance to Plymouth for every scan.", "Cornwall needs its own reconstruction service.",
    "Christmas on the ward was surprisingly nice.", "Ward round at 8 am, nobody explained anything.",
]

_SLOT = re.compile(r"<(@?)([A-Z]+)(?::([^>]*))?>")


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


def _culture(rng):
    return NAMES[rng.choice(list(NAMES))]


def _first(rng) -> str:
    return rng.choice(_culture(rng)[0])


def _sur(rng, first_culture=None) -> str:
    # a quarter of families mix cultures
    c = first_culture if first_culture is not None and rng.random() < 0.75 else _culture(rng)
    return rng.choice(c[1])


def _full(rng) -> str:
    c = _culture(rng)
    return f"{rng.choice(c[0])} {_sur(rng, c)}"


def _initials(rng) -> str:
    c = _culture(rng)
    f, s = rng.choice(c[0]), _sur(rng, c)
    mid = rng.choice("ABCDEGHJKLMNPRSTW")
    form = rng.choice(["f_m_s", "i_s", "ii_s", "i_m_s", "f_m_s", "hyph"])
    if form == "f_m_s":
        return f"{f} {mid}. {s}"
    if form == "i_s":
        return f"{f[0]}. {s}"
    if form == "ii_s":
        return f"{f[0]}.{mid}. {s}"
    if form == "i_m_s":
        return f"{f[0]} {mid} {s}"
    return f"{f[0]}-{mid}. {s}"


def _multipart(rng) -> str:
    c = _culture(rng)
    multi = [s for cc in NAMES.values() for s in cc[1] if " " in s or "-" in s or "'" in s]
    f = rng.choice(c[0])
    if rng.random() < 0.3:
        return f"{f} {rng.choice(c[1])}-{rng.choice(_culture(rng)[1])}"  # a double-barrelled married name
    return f"{f} {rng.choice(multi)}"


def _slot(w: _Writer, rng, slot: str, arg: str | None, possessive: bool) -> None:
    words = NAMES["virtue_and_word_names"]
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
    elif slot == "I":
        name = _initials(rng)
    elif slot == "M":
        name = _multipart(rng)
    elif slot == "TM":
        title, name = rng.choice(TITLES), _multipart(rng)
    elif slot == "K":
        name = rng.choice(NICKNAMES)
    elif slot == "W":
        name = rng.choice(words[0])
    elif slot == "WS":
        name = f"{_first(rng)} {rng.choice(words[1])}" if rng.random() < 0.6 else \
            f"{rng.choice(words[0])} {rng.choice(words[1])}"
    elif slot == "TWS":
        title, name = rng.choice(TITLES), rng.choice(words[1])
    elif slot == "PF":  # a first name that is also the ward / place next to it
        name = arg
    elif slot == "PS":
        name = arg
    elif slot in ("P", "PH", "FP", "UK"):
        foreign = {"FP": True, "UK": False}.get(slot)
        w.add(phone(rng, foreign), "PHONE")
        return
    elif slot == "DRUG":
        w.add(rng.choice(DRUGS))
        return
    elif slot == "TOWN":
        w.add(rng.choice(TOWNS))
        return
    elif slot == "WARD":
        w.add(rng.choice(WARDS))
        return
    else:
        raise ValueError(slot)
    if title:
        w.add(title + " ")
    w.add(name, "PERSON")
    if possessive:
        w.add("'s")


def _fill(rng, template: str, phone_foreign: bool | None = None) -> tuple[str, list[list]]:
    w, last = _Writer(), 0
    for m in _SLOT.finditer(template):
        w.add(template[last:m.start()])
        slot = m.group(2)
        if slot == "PH":
            w.add(phone(rng, phone_foreign), "PHONE")
        else:
            _slot(w, rng, slot, m.group(3), bool(m.group(1)))
        last = m.end()
    w.add(template[last:])
    return w.text(), w.spans


def _lower(text: str, spans: list[list]) -> tuple[str, list[list]]:
    low = text.lower()
    assert len(low) == len(text)
    return low, spans


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for kind, (n, templates) in KINDS.items():
        for i in range(n):
            text, spans = _fill(rng, rng.choice(templates))
            if kind == "lowercase" or (kind == "sms" and rng.random() < 0.5):
                text, spans = _lower(text, spans)
            if kind in ("thanks", "complaint", "rambling") and i % 9 == 4:  # a phone number too
                extra, sp = _fill(rng, rng.choice([" You can reach me on <P>.", " My number is <P>.",
                                                   " (Tel <P>)"]))
                spans += [[s + len(text), e + len(text), lab] for s, e, lab in sp]
                text += extra
            if kind in ("thanks", "complaint", "staff_list") and rng.random() < 0.25:  # a capitalised non-name too
                prefix = rng.choice(NEGATIVES) + " "
                text, spans = prefix + text, [[s + len(prefix), e + len(prefix), lab] for s, e, lab in spans]
            items.append({"kind": kind, "text": text, "spans": spans})
    for kind, (n, foreign, templates) in PHONE_KINDS.items():
        for _ in range(n):
            text, spans = _fill(rng, rng.choice(templates), phone_foreign=foreign)
            items.append({"kind": kind, "text": text, "spans": spans})
    for _ in range(150):
        k = rng.choice([1, 2, 2, 3])
        text = " ".join(rng.sample(NEGATIVES, k))
        if rng.random() < 0.15:
            text = text.lower()
        items.append({"kind": "negative", "text": text, "spans": []})
    rng.shuffle(items)
    return [{"id": f"v6-{k:04d}", "kind": it["kind"], "text": it["text"], "spans": it["spans"]}
            for k, it in enumerate(items)]


def overlap() -> None:
    """How many of v6's name words the recognizers' gazetteers, common English words and the v2-v5 lists hold."""
    import importlib.util

    from pledge_analysis.text.names import common_words, gazetteers

    first_g, last_g = gazetteers()
    common = common_words()
    earlier: set[str] = set()
    for v in ("v2", "v3", "v4", "v5"):
        spec = importlib.util.spec_from_file_location(f"make_{v}", HERE / f"make_deid_sets_{v}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        earlier |= {w.lower() for fs in mod.NAMES.values() for names in fs for n in names for w in n.split()}
    for what, words in (("first names", {w.lower() for f, _s in NAMES.values() for n in f for w in n.split()}),
                        ("surnames", {w.lower() for _f, s in NAMES.values() for n in s for w in n.split()}),
                        ("nicknames", {n.lower() for n in NICKNAMES})):
        words = sorted(words)
        in_g = [w for w in words if w in first_g or w in last_g]
        in_c = [w for w in words if w in common]
        in_e = [w for w in words if w in earlier]
        print(f"{what}: {len(words)} words; {len(in_g)} in the gazetteers; {len(in_c)} common English words "
              f"({', '.join(in_c)}); {len(in_e)} in the v2-v5 name lists ({', '.join(in_e)})")


def dumps(items: list[dict]) -> str:
    return "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items)


def main() -> None:
    if "--overlap" in sys.argv:
        overlap()
        return
    items = build()
    (HERE / OUT).write_text(dumps(items), encoding="utf-8", newline="\n")
    print(f"{OUT}: {len(items)} items, {sum(len(it['spans']) for it in items)} spans")


if __name__ == "__main__":
    main()
