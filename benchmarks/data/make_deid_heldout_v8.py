"""Write the eighth de-identification evaluation set: ``deid_heldout_v8.jsonl`` (held-out only, no dev half).

    python benchmarks/data/make_deid_heldout_v8.py            # rewrites the file (seeded, deterministic)
    python benchmarks/data/make_deid_heldout_v8.py --overlap  # its name words vs the v2-v7 name lists

Written on 2026-12-04 by a helper who ran **no recognizer** on it and looked at no recognizer output while
writing it (nor at the branch of the recognizer round under way at the time); committed (file, generator and
the SHA-256 in ``tests/test_deidentify_v8.py``) *before* anything scored it. It is meant to be scored once, by
the lead, with ``benchmarks/deidentify_benchmark.py --v8``. Built differently from v2-v7 (read from their
generators, not from their items):

- **other voices and layouts**, one per item ``kind``: an online review site's page (headline, star rating,
  "Reviewed by ...", "Was this helpful?", sometimes the trust's reply) (``review``); a PALS complaint record
  with its fields (reference, patient, raised by, contact, summary, outcome sought) (``pals``); a WhatsApp
  group chat export, one "[12/03/2026, 09:14] Name: message" line per turn, some senders shown as phone
  numbers (``group_chat``); entries in a ward's compliments book (``compliments_book``); a survey "any other
  comments" box answered in fragments (``survey_fragments``); a staff handover note full of abbreviations,
  bed numbers and NHS numbers (``handover``); dictated speech-to-text with no capitals and no punctuation
  (``dictated``); comments by patients writing English as a second language (``esl``); and names in the ways
  people write them: initials in several orders ("K. Arumugam", "Arumugam, K.", "KA Arumugam"), whole
  comments in lower case, possessives, nicknames, names that are English words ("Grace", "Will", "Frank",
  "Mark", "Sister Frost", "Mr Lamb"), misspelt names ("Rhianon", "Yousafzia"), names split across a line
  break ("Rhiannon\\nParry", "Balasu-\\nbramanian") (``initials``, ``lowercase``, ``possessive``,
  ``nickname``, ``word_names``, ``misspelt``, ``line_break``); phones alone (``phone_uk``,
  ``phone_foreign``) and phones **written in words** ("oh seven seven double oh ...", ``phone_words``); and
  ``negative`` comments with no name but many capitalised non-names (wards named after people and saints,
  hospitals, towns that are surnames, drugs, charities, devices, eponyms, brands, days and months, words that
  are also names used as words) and numbers that are not phones (dates, times, references, NHS numbers);
- **names** hand-composed for this file from 13 groups: Tamil, Bengali, Pashto, Ukrainian, Romanian, Ghanaian
  Akan (day-names), Caribbean, Chinese (pinyin surnames with English first names), Japanese, Brazilian
  Portuguese, Welsh (with "ap" / "ab" patronymics), Scottish Mac / Mc, Irish O' and hyphenated surnames; 20
  nicknames; 20 first names and 20 surnames that are English words; no word of them is in the name lists of
  v2-v7 except the particle "ap" (``--overlap`` prints the check); about a quarter of full names mix groups;
- **phones**: random digits kept only when ``phonenumbers`` calls the number valid, UK mobiles and landlines
  and 20 other countries none of v7's list holds but two (Sri Lanka, Afghanistan, Ukraine, Moldova, Jamaica,
  Trinidad, Barbados, Guyana, China, Hong Kong, Taiwan, Japan, Brazil, Portugal, the US, Canada, Singapore,
  the UAE, Saudi Arabia, Mauritius), in ``phonenumbers`` formats and hand shapes (dashes, dots, brackets,
  "+44 (0)", "0044", groups of three), each checked to parse back to the same number; an extension written
  after a number ("ext. 2231", "x 40", "extension 7") is not in its span; numbers in words are valid UK
  numbers spelt with "oh" / "zero", "double", "treble".

Gold PERSON spans cover the name only (no title, role, possessive ``'s`` or the colon after a chat sender);
a name split across a line break is one span, the break inside it. PHONE spans cover the number as written.
Offsets are computed by the generator while it writes the text. Synthetic text only; seeded; rewriting must
give the committed file byte-identical.
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = "deid_heldout_v8.jsonl"
SEED = 8008

# (first names, surnames) per naming group, composed by hand for this file.
NAMES = {
    "tamil": (["Abirami", "Janani", "Kumaresan", "Mythili", "Saravanan", "Vasanthi", "Elango", "Revathi",
               "Arulmozhi", "Tamilselvan"],
              ["Arumugam", "Balasubramanian", "Yogarajah", "Thambiah", "Rajendran", "Shanmugam",
               "Ganeshalingam", "Kandiah", "Sellathurai", "Ratnasingam"]),
    "bengali": (["Rumana", "Shahana", "Fahmida", "Jahanara", "Anwar", "Mizanur", "Rokeya", "Shamim", "Habibur",
                 "Tahmina"],
                ["Khatun", "Majumder", "Sarkar", "Bhuiyan", "Siddique", "Mondal", "Akhter", "Haque", "Begum",
                 "Mazumdar"]),
    "pashto": (["Malalai", "Spozhmai", "Wahidullah", "Naqibullah", "Zmarai", "Palwasha", "Bibi Gul", "Shabnam",
                "Asadullah", "Nazaneen"],
               ["Yousafzai", "Afridi", "Mohmand", "Khattak", "Achakzai", "Safi", "Niazi", "Zadran", "Shinwari",
                "Kakar"]),
    "ukrainian": (["Lesia", "Taras", "Iryna", "Oleksandr", "Nataliia", "Vasyl", "Zoriana", "Myroslava",
                   "Ostap", "Khrystyna"],
                  ["Hnatiuk", "Savchuk", "Lysenko", "Yaremchuk", "Boichuk", "Pavlenko", "Kravets", "Didenko",
                   "Zhuravel", "Onyshchenko"]),
    "romanian": (["Ioana", "Andreea", "Răzvan", "Gheorghița", "Corina", "Sorin", "Viorica", "Ovidiu", "Anca",
                  "Marius"],
                 ["Vasilescu", "Ungureanu", "Dobre", "Enache", "Preda", "Zamfir", "Nistor", "Țurcanu", "Moldovan",
                  "Bălan"]),
    "akan": (["Kwabena", "Adwoa", "Kwaku", "Akua", "Kwesi", "Ama", "Kojo", "Afua", "Yaa", "Ekow"],
             ["Amoako", "Ofori-Atta", "Gyamfi", "Acheampong", "Frimpong", "Osei-Tutu", "Agyeman", "Antwi", "Sarpong",
              "Nkansah"]),
    "caribbean": (["Desmond", "Merlene", "Leroy", "Beverley", "Clinton", "Yvonne", "Carlton", "Sonia", "Neville",
                   "Joycelyn"],
                  ["Beckford", "Lindo", "Ebanks", "Rattray", "Facey", "Wedderburn", "Bogle", "Hylton", "Gooden",
                   "Pinnock"]),
    "chinese_english": (["Vivian", "Winnie", "Alvin", "Candy", "Kelvin", "Bonnie", "Dennis", "Yuxuan", "Shuang",
                         "Jiayi"],
                        ["Zhao", "Wang", "Chen", "Lin", "Wu", "Sun", "Ma", "Gao", "Zheng", "Feng"]),
    "japanese": (["Keiko", "Hiroshi", "Naoko", "Kenji", "Emiko", "Satoshi", "Michiko", "Takeshi", "Ayaka",
                  "Daisuke"],
                 ["Suzuki", "Tanaka", "Nakamura", "Kobayashi", "Yoshida", "Inoue", "Matsumoto", "Fujita",
                  "Ishikawa", "Ogawa"]),
    "brazilian": (["Thaís", "Washington", "Luciana", "Wellington", "Jussara", "Cleide", "Adriano", "Leandro",
                   "Francisca", "Rayane"],
                  ["Oliveira", "Nascimento", "Barbosa", "Ribeiro", "Cavalcanti", "Moura", "Bezerra", "Teixeira",
                   "Sousa", "Araújo"]),
    "welsh": (["Rhiannon", "Iolo", "Eirlys", "Emyr", "Carys", "Meirion", "Heledd", "Llinos", "Ieuan", "Sioned"],
              ["ap Iorwerth", "ab Einion", "Prydderch", "Probert", "Bevan", "Parry", "Bowen", "Maddocks",
               "ap Hywel", "Llewellyn"]),
    "scottish_mac": (["Morven", "Calum", "Rhona", "Struan", "Innes", "Seonag", "Torquil", "Fergus", "Kenna",
                      "Mairi"],
                     ["MacNeil", "McIntyre", "MacPhail", "McConnachie", "MacInnes", "McAllister", "MacRae",
                      "McKechnie", "MacLennan", "McGlashan"]),
    "irish_o_hyphen": (["Siobhan", "Padraig", "Roisin", "Declan", "Blathnaid", "Eamon", "Clodagh", "Oisin", "Mairead",
                        "Cormac"],
                       ["O'Shaughnessy", "O'Flaherty", "O'Keeffe", "O'Halloran", "O'Dwyer", "O'Loughlin",
                        "Kearney-Walsh", "Addo-Reid", "Penn-Okonjo", "Hart-Davies"]),
}
#: nicknames and short forms, of names in the groups above and British ones.
NICKNAMES = ["Saro", "Rumi", "Lesya", "Sashko", "Kwabs", "Dezzy", "Merl", "Bunty", "Hiro", "Rhi",
             "Ffion-fach", "Cal", "Shiv", "Dec", "Shay", "Nana Ama", "Taz", "Oli", "Nat", "Jussi"]
#: first names and surnames that are also English words.
WORD_FIRST = ["Grace", "Star", "Frank", "Will", "Mark", "Bill", "Robin", "Sunny", "Holly", "Hazel", "Olive",
              "Carol", "Heather", "Daisy", "Penny", "Faye", "Autumn", "Misty", "Sky", "Jewel"]
WORD_SUR = ["Stone", "Rice", "Lamb", "Moss", "Pope", "Cross", "Steele", "Fish", "Lord", "Hunt", "King", "Rivers",
            "Banks", "Field", "Waters", "Frost", "Sparrow", "Gold", "Mann", "Pike"]

TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Prof", "Sister", "Sr", "Nurse", "Matron", "SN", "dr", "Mrs."]
WARDS = ["Mary Seacole Ward", "Edith Cavell Ward", "St Luke's Ward", "St Bride's Unit", "Nye Bevan Ward",
         "the Jenny Lind Unit", "Elizabeth Garrett Anderson Wing", "St Margaret's Day Unit", "Lavender Ward",
         "Ward 4B", "the Cicely Saunders Suite", "Florence Desprez Ward", "Bluebell Ward", "Ward 31",
         "the Grace Kelly Ward", "St Columba's Ward"]
HOSPITALS = ["Guy's", "St Thomas'", "the Royal Marsden", "Addenbrooke's", "the John Radcliffe", "the Lister",
             "the Whittington", "Frimley Park", "Pinderfields", "Stepping Hill", "the Royal Gwent", "Glan Clwyd",
             "Ysbyty Gwynedd", "the Ulster Hospital", "Derriford", "Treliske", "Queen Alexandra", "the Churchill",
             "Charing Cross", "King George Hospital"]
TOWNS = ["Preston", "Blackburn", "Harrow", "Ashford", "Crewe", "Kingston", "Stafford", "Chester", "Bolton",
         "Darlington", "Wrexham", "Carmarthen", "Oban", "Newry", "Washington", "Clifton", "Lewisham", "Tooting"]
DRUGS = ["Kadcyla", "Neulasta", "Filgrastim", "Ondansetron", "Dexamethasone", "Emla cream", "Movicol",
         "Lansoprazole", "Tucatinib", "Verzenios", "Kisqali", "Ibrance", "Herceptin", "Gaviscon", "Sertraline",
         "Co-codamol"]
CHARITIES = ["Sue Ryder", "CoppaFeel!", "Keeping Abreast", "Against Breast Cancer", "the Pink Ribbon Foundation",
             "Teenage Cancer Trust", "the Willow Foundation", "Trekstock", "Cancer Research UK", "Maggie's Cardiff",
             "Age UK", "the Samaritans"]
DEVICES = ["DigniCap", "Amoena bra", "Vacora biopsy", "Faxitron", "Savi Scout reflector", "Bard port",
           "Libre sensor", "Softee prosthesis", "Alexa", "Kindle", "iPad", "Dyson fan"]
BRANDS = ["Boots", "Marks & Spencer", "Tesco", "Waitrose", "Lidl", "Amazon", "Netflix", "Uber", "WhatsApp",
          "Zoom", "Specsavers", "Primark", "Costa", "Pret", "Asda", "Ocado"]
EPONYMS = ["Mondor's disease", "Cowden syndrome", "Li-Fraumeni syndrome", "Poland syndrome", "Cooper's ligaments",
           "a Baker's cyst", "Raynaud's", "Addison's", "the Van Nuys index", "a Halsted mastectomy",
           "Montgomery's glands", "Hodgkin lymphoma", "the Bloom-Richardson grade", "Tanner staging"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Good Friday",
        "Boxing Day", "Christmas Eve", "Easter Monday"]
MONTHS = ["January", "March", "April", "May", "June", "July", "August", "September", "November"]
RELATIVES = ["my daughter", "my son", "my husband", "my wife", "my partner", "my sister", "my mum", "my brother",
             "my niece", "my friend", "our neighbour"]


# ---------------------------------------------------------------- phones
COUNTRIES = ["LK", "AF", "UA", "MD", "JM", "TT", "BB", "GY", "CN", "HK", "TW", "JP", "BR", "PT", "US", "CA", "SG",
             "AE", "SA", "MU"]
UK_AREAS = ["20", "121", "1772", "1254", "1233", "1270", "1785", "1244", "1204", "1325", "1978", "1267", "1631",
            "28", "1865", "1223", "29", "1633", "1745", "1248", "1752", "1872", "23", "1737"]
EXTENSIONS = [" ext. <X>", " ext <X>", " x<X>", " extension <X>", " (ext <X>)", " Ext: <X>"]


def _digits(rng, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _random_valid(rng: random.Random, region: str, mobile: bool):
    import phonenumbers as pn

    if region == "GB":
        for _ in range(500):
            if mobile:
                nsn = "7" + rng.choice("4578") + _digits(rng, 8)  # mobiles, not 076 pagers
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


def _uk_shape(rng, num) -> str:
    import phonenumbers as pn

    F = pn.PhoneNumberFormat
    nsn = pn.national_significant_number(num)
    nat = "0" + nsn
    style = rng.choice(["national", "national", "national", "international", "e164", "dashes", "brackets",
                        "plus0", "plus_dashes", "threes", "dots", "0044sp", "compact"])
    if style == "national":
        return pn.format_number(num, F.NATIONAL)
    if style == "international":
        return pn.format_number(num, F.INTERNATIONAL)
    if style == "e164":
        return pn.format_number(num, F.E164)
    if style == "dashes":
        return f"{nat[:5]}-{nat[5:8]}-{nat[8:]}"
    if style == "brackets":
        return f"({nat[:5]}) {nat[5:]}"
    if style == "plus0":
        return "+44 (0)" + pn.format_number(num, F.NATIONAL)[1:]
    if style == "plus_dashes":
        return "+44-" + "-".join(pn.format_number(num, F.INTERNATIONAL).split(" ")[1:])
    if style == "threes":
        return " ".join(nat[i:i + 3] for i in range(0, len(nat), 3))
    if style == "dots":
        return f"{nat[:5]}.{nat[5:8]}.{nat[8:]}"
    if style == "0044sp":
        return "0044 " + pn.format_number(num, F.INTERNATIONAL).split(" ", 1)[1]
    return nat


def _foreign_shape(rng, num) -> str:
    import phonenumbers as pn

    F = pn.PhoneNumberFormat
    nsn, cc = pn.national_significant_number(num), str(num.country_code)
    intl = pn.format_number(num, F.INTERNATIONAL)
    style = rng.choice(["international", "international", "e164", "national", "00", "bracket_cc", "dots",
                        "compact_spaced"])
    if style == "international":
        return intl
    if style == "e164":
        return pn.format_number(num, F.E164)
    if style == "national":
        return pn.format_number(num, F.NATIONAL)
    if style == "00":
        return "00" + intl[1:]
    if style == "bracket_cc":
        return f"(+{cc}) " + intl.split(" ", 1)[1]
    if style == "dots":
        return f"+{cc}." + ".".join(re.split(r"[\s-]+", intl.split(" ", 1)[1]))
    return f"+{cc} {nsn}"


def _parses_back(text: str, num, region: str) -> bool:
    import phonenumbers as pn

    try:
        back = pn.parse(text, "GB" if region == "GB" or text.startswith(("+", "00")) else region)
    except pn.NumberParseException:
        return False
    return back.country_code == num.country_code and back.national_number == num.national_number


def phone(rng: random.Random, foreign: bool | None = None) -> str:
    """A valid phone number written in one of many shapes; the written form parses back to the same number
    (national forms of foreign numbers with their own region, as the writer would dial them there)."""
    import phonenumbers as pn

    if foreign is None:
        foreign = rng.random() < 0.35
    region = rng.choice(COUNTRIES) if foreign else "GB"
    num = _random_valid(rng, region, mobile=rng.random() < 0.6)
    for _ in range(20):
        text = (_foreign_shape if foreign else _uk_shape)(rng, num)
        if _parses_back(text, num, region):
            return text
    return pn.format_number(num, pn.PhoneNumberFormat.INTERNATIONAL)


def chat_phone(rng: random.Random) -> str:
    """A sender not in the contacts, as a chat export shows it: the number in international format."""
    import phonenumbers as pn

    region = rng.choice(COUNTRIES) if rng.random() < 0.3 else "GB"
    return pn.format_number(_random_valid(rng, region, mobile=True), pn.PhoneNumberFormat.INTERNATIONAL)


DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def phone_in_words(rng: random.Random) -> str:
    """A valid UK number spelt out as people say it: "oh seven seven double oh nine ..."."""
    import phonenumbers as pn

    num = _random_valid(rng, "GB", mobile=rng.random() < 0.7)
    digits = "0" + pn.national_significant_number(num)
    zero = rng.choice(["oh", "oh", "zero", "o"])
    say = lambda d: zero if d == "0" else DIGIT_WORDS[int(d)]  # noqa: E731
    groups = [digits[:5], digits[5:8], digits[8:]] if rng.random() < 0.5 else [digits]
    out = []
    for g in groups:
        words, i = [], 0
        while i < len(g):
            run = len(g[i:]) - len(g[i:].lstrip(g[i]))
            if run >= 3 and rng.random() < 0.5:
                words.append(f"{rng.choice(['treble', 'triple'])} {say(g[i])}")
                i += 3
            elif run >= 2 and rng.random() < 0.8:
                words.append(f"double {say(g[i])}")
                i += 2
            else:
                words.append(say(g[i]))
                i += 1
        out.append(" ".join(words))
    text = rng.choice([" ", ", ", " - "]).join(out)
    assert words_to_digits(text) == digits, (text, digits)
    return text


def words_to_digits(text: str) -> str:
    """The digits a number written in words spells ("oh seven double seven" -> "0777")."""
    out, repeat = [], 1
    for tok in re.split(r"[\s,\-]+", text.lower()):
        if not tok:
            continue
        if tok == "double":
            repeat = 2
        elif tok in ("treble", "triple"):
            repeat = 3
        else:
            d = "0" if tok in ("oh", "o", "zero") else str(DIGIT_WORDS.index(tok))
            out.append(d * repeat)
            repeat = 1
    return "".join(out)


def nhs_number(rng: random.Random) -> str:
    """A 10-digit number passing the NHS mod-11 check, written "485 777 3456" (not a phone: no UK phone number
    reads the same)."""
    import phonenumbers as pn

    while True:
        d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
        check = 0 if check == 11 else check
        if check == 10:
            continue
        s = "".join(map(str, d)) + str(check)
        if any(pn.is_valid_number(pn.parse(p, "GB")) for p in (s, "0" + s, "+44" + s)):
            continue
        return f"{s[:3]} {s[3:6]} {s[6:]}"


# ---------------------------------------------------------------- comments, per item kind
# Name slots: <F> first name, <S> surname, <N> full name, <TS> title + surname, <TN> title + full name, <TF>
# title + first name, <I> a name with initials, <SI> first name + surname initial ("Merlene B."), <K>
# nickname, <W> first name that is a word, <WN> full name with a word in it, <TW> title + surname that is a
# word, <M> misspelt first or full name, <TM> title + misspelt surname, <LB> name split across a line break.
# Phones: <P> any, <UK> UK, <FP> foreign, <PW> UK number in words, <CP> a chat sender's number; <EXT> an
# extension (not in the span). Not names: <WARD> <HOSP> <TOWN> <DRUG> <CHARITY> <DEVICE> <BRAND> <EPONYM>
# <DAY> <MONTH> <REL> <DATE> <TIME> <NHS> <REF>. "@" before a name slot writes a possessive after the name.
REVIEW_HEADLINES = ["Brilliant from start to finish", "Never again", "Sister <S> is a credit to the NHS",
                    "Lost my referral twice", "Kindness on <WARD>", "Five stars for <F> and the team",
                    "Good surgeons, awful admin", "Thank you <TS>", "Long wait but worth it", "Don't go on a Friday",
                    "Treated with dignity", "Parking is a joke", "<F> on reception deserves a medal",
                    "Rude consultant, lovely nurses"]
REVIEW_STARS = ["★★★★★", "★★★★☆", "★★★☆☆", "★★☆☆☆", "★☆☆☆☆", "Rated 5 out of 5", "Rated 2 out of 5",
                "5/5 stars", "1/5", "★★★★☆ (4)", "Overall: 4 stars"]
REVIEW_BY = ["Reviewed <DATE> by <SI>", "Posted by <SI>, <TOWN>", "By <F> from <TOWN> | Visited <MONTH> 2026",
             "Reviewer: <N>", "Posted <DATE> by a patient", "<SI> wrote this review on <DATE>",
             "Review by <N> (patient)", "Submitted by <F> (relative)"]
REVIEW_BODY = [
    "I was referred by my GP in <TOWN> and seen within the two weeks. <TS> explained everything clearly.",
    "The breast care nurse <N> gave me her direct line and actually answered it.",
    "My mum was on <WARD> for four nights. <F> on nights was gentle and funny and made her feel human.",
    "Waited three hours in the corridor. When I finally saw <TN> he did not look up from the screen.",
    "The radiographer, <F>, talked me through the mammogram and held my hand.",
    "Admin is shocking. I rang <P> for a week and got nowhere until <F> in the booking office picked up.",
    "<TS> did my lumpectomy and the scar is tiny. I cannot thank her enough.",
    "The chemo suite at <HOSP> is calm and <F> and <F> always remembered my name.",
    "Food was cold, the bay was noisy, but <F> the HCA could not have done more.",
    "I was told by <TS> in front of other patients. That is not how you give bad news.",
    "If you get <N> as your nurse you are lucky. She phoned me on <DAY> just to check.",
    "<CHARITY> volunteers ran the wig service and <F> matched my old colour perfectly.",
]
REVIEW_FOOT = ["Was this review helpful? Yes (3) No (0)", "Helpful (12)", "Report this review",
               "42 people found this helpful", "Was this helpful? 👍 7"]
REVIEW_REPLY = [
    "Response from the Patient Experience Team:\nDear <F>, thank you for taking the time to write. I have "
    "shared your comments with <TS> and the ward team.\n<N>, Patient Experience Manager",
    "Reply from <HOSP>: Hi <F>, we're sorry to read this. Please contact PALS on <UK> so we can look into it. "
    "- <F>",
    "Trust response: Thank you, <F>. <TN> and the team were delighted to read this.",
]

PALS_CONCERNS = [
    "<@TN> letter said the biopsy was benign but the phone call from <TS> said otherwise.",
    "My mother was discharged from <WARD> without her <DRUG> and nobody told the district nurse.",
    "The family were not told when <TS> changed the plan. <F> on the ward said it was not her job.",
    "Three appointments were cancelled by text with no reason. The last text was signed <F>.",
    "<TS> spoke to the patient without an interpreter although one was booked.",
    "The patient waited 9 hours for a bed. Staff nurse <F> was kind but could not find one.",
    "A letter meant for another patient, <N>, was sent to our address in <TOWN>.",
    "The surgeon, <TS>, did not attend the follow-up and the registrar did not know the case.",
    "When we asked for the CNS, <F>, we were told she was on leave and no one was covering.",
    "The patient's husband, <N>, was asked to leave the bay during visiting hours by <TS>.",
]
PALS_OUTCOMES = ["An apology and an explanation.", "A meeting with <TS>.", "To be called back by <F>.",
                 "Assurance that this will not happen to anyone else.", "A written response within 25 days.",
                 "For <F> to be thanked as well - she was the only one who helped."]
PALS_RELATIONS = ["daughter", "son", "husband", "wife", "partner", "sister", "niece", "carer", "friend", "self"]

CHAT_MESSAGES = [
    "anyone heard from the hospital?", "<F> said the results are back on <DAY>",
    "Just out of clinic. <TS> says the margins are clear 🙏", "can someone pick mum up from <HOSP> at 3",
    "The ward number is <UK><EXT>", "ok", "👍", "ask for <F> she's the breast care nurse",
    "She's on <WARD>, bed 12", "<F> can you bring her <DRUG> from home?", "thanks <F> ❤️",
    "Dr <S> wants to see her again in <MONTH>", "call me when you can <P>", "<Media omitted>",
    "This message was deleted", "on my way, stuck on the M6", "<F> you're a star x",
    "Nurse <F> said visiting is 2-8", "did <TS> say anything about radiotherapy?",
    "<F> and <F> are going tomorrow, I'll do <DAY>", "Love you mum xx", "omg that's brilliant news",
    "The consultant is <TN>, she seems nice", "I've told <F>", "Parking at <HOSP> is £4 an hour 🙄",
    "ring the breast unit on <UK> they're helpful", "<@F> lift fell through, can anyone drive?",
]

COMPLIMENTS = [
    "To all the staff on <WARD>,\nThank you for looking after my mum <F> in her last days. You are angels.\n"
    "Love, <N> and family xxx",
    "<DATE>\nDear Sister <S> and team, words cannot say how grateful we are. <F> (bed 7)",
    "Thank you <F>, <F> and <F> on nights. You made me laugh when I wanted to cry. <F> x",
    "With love and thanks to <TS> who did my operation on <DAY>. From <N>, <TOWN>",
    "Special thanks to <K> for all the cups of tea!! <F>",
    "To the girls on <WARD> - you're all stars! <N> 🌟",
    "God bless you all. <TN> and husband <F>",
    "<DAY> <DATE> - Home at last! Thank you <TS>, thank you <F>, thank you everyone. <SI>",
    "Dear <F>, you held my hand before theatre and I will never forget it. <N>",
    "Thank you to the team on <WARD> and especially <N> for the care given to our dad, <N>.",
    "For <F> - the best nurse in <HOSP>. Love from the lady in bay 3 (<F>)",
    "We were treated with such kindness. <TS>, <F> the HCA and <F> on reception - thank you. <N> & <F>",
]

SURVEY_FRAGMENTS = [
    "parking", "n/a", "no", "see above", "-", "<F> on reception - v helpful", "<TS> rushed", "food cold",
    "2hr wait", "nurse <F> 10/10", "thanks <F>!!", "car park £££", "<F> + <F> lovely", "tell <TS> thank u",
    "waiting room too hot", "letters late", "ring me <P>", "wig service (<F>) excellent", "none",
    "<@F> hugs", "more info on <DRUG> please", "<N>", "ask <F>", "clinic 4 chairs broken", "<TN> - fab",
    "N/A", "nothing else", "better signs to <WARD>", "<F>!!!", "as before", "loved <F>",
]
SURVEY_PROMPTS = ["Any other comments?\n", "Q14. Is there anything else you would like to tell us?\n",
                  "Other comments: ", "Anything else? ", "", "", "Comments (optional): "]

HANDOVER_HEAD = ["Handover <DAY> nights - <WARD>\nNIC: <F>", "HANDOVER <DATE> <TIME>\nNurse in charge: <N>",
                 "<WARD> handover (late -> night)\nIn charge: <TF>", "Day unit handover <DATE>"]
HANDOVER_BEDS = [
    "Bed <BED>: <TP>, <AGE>, D1 post L mastectomy + ALNC (<TS>). Obs stable NEWS 0. Drain 60ml serous.",
    "Bed <BED>: <TP> (NHS no <NHS>), D2 WLE + SLNB. Pain ok with <DRUG> PRN. Husband <F> to ring for update.",
    "SR <BED>: <N>, <AGE>, neutropenic sepsis, IV abx until 14:00. Seen by CNS <F> - aware.",
    "Bed <BED>: <TS> - for r/v by SpR <F> in am. NBM from 00:00 for theatre.",
    "Bed <BED>: <N>, TTOs from pharmacy, D/C home tomorrow if <TS> happy. Daughter <F> collecting.",
    "Bed <BED>: <TS>, DIEP flap D1, flap obs hourly, warm. Plastics reg (<F>) aware.",
    "Bed <BED>: <TP>, <AGE>. Falls risk, confused overnight. Son <F> on <UK> if any change.",
    "Bed <BED>: <N>, NHS <NHS>, awaiting bed in <HOSP>. Transport booked for 10:30.",
    "Chair <BED>: <TS>, cycle 3 <DRUG>, bloods ok, for <DRUG> pre-med. Key worker <F>.",
]
HANDOVER_TAIL = ["Bank HCA tonight: <F>. Bleep 2231 for the site team.", "Outstanding: <F> to chase CT report.",
                 "Sickness: <F> off, <F> covering.", "Escalate to <TS> (on call) via switch.", "No other issues."]

ESL = [
    "The doctor <F> he was very kind with me, always he explain slowly.",
    "Thank you very much to sister <S>, she make me feel like in my home.",
    "I am not speak English good but nurse <F> was help me with the translate app.",
    "My husband <F> he bring me every day, the parking is very expensive for us.",
    "Mr <S> is very good doctor, he operate me in <MONTH> and now I am fine thanks God.",
    "Please say to <N> thank you from all my family.",
    "For me was difficult because nobody explain in my language, only <F> from reception help me.",
    "I want complain about <TS>, he not listen when I say about the pain.",
    "Very good hospital. The nurse <F> and the nurse <F> are like my daughters.",
    "When I call to <P> nobody answer, three days I am trying.",
    "Is very long time waiting, 5 hours, but <F> bring me tea and biscuit.",
    "Doctor <S> she say me the cancer is small, and <F> give me the leaflet in my language.",
    "My daughter <F> is translate for me always, but she is working, please book interpreter.",
    "All staff very nice especially <N>. I am from <TOWN> and is long travel for me.",
    "I am thanking to <TN> for her patience with my questions, she is very nice person.",
]

DICTATED = [
    "hi i just wanted to say thank you to <F> on the ward she was amazing and also doctor <S> who explained "
    "everything",
    "yeah so the problem was the letter never came and i rang about five times and in the end <F> sorted it",
    "my name is <N> and i was treated at <HOSP> in <MONTH> and i want to complain about <TS> full stop",
    "can you tell <F> from the breast care team that the dressing is leaking thank you",
    "the nurse called <F> or maybe <F> i cant remember was really kind to my husband <F>",
    "please call me back on <PW> thanks bye",
    "i was seen by <TN> and he was lovely new paragraph the food was cold though",
    "<F> and <F> in the chemo unit made me laugh every time comma even on the bad days",
    "my number is <PW> ask for <F> or leave a message",
    "message for <TS> from <N> the pain is worse since <DAY> please ring",
    "um so basically <F> the radiographer was brilliant and <F> on reception too",
    "this is <N> calling about my mum <N> she is on <WARD> and nobody has rung us",
]

NAME_FORM_KINDS: dict[str, tuple[int, list[str]]] = {
    "initials": (45, [
        "Seen by <I> in clinic.", "<I> (breast surgeon) was excellent.", "Letter signed <I>, Consultant Oncologist.",
        "Thank you to <I> and <I> for the reconstruction.", "Appointment with <I> on <DAY>.", "My CNS is <I>.",
        "Referred by <I>, GP, <TOWN>.", "Surgeon: <I>. Anaesthetist: <I>.", "cc <I>; <I>",
    ]),
    "lowercase": (40, [
        "thank u <F> ur a star", "<N> was amazing with my mum", "dr <S> never even looked at me",
        "ask for <F> on <WARD> shes lovely", "<@F> jokes kept me going", "me n <F> want 2 say thanks 2 <F>",
        "<N> the radiographer was so gentle", "can <F> ring me back pls <P>", "sister <S> is the best x",
    ]),
    "possessive": (35, [
        "<@TS> secretary never rings back.", "It was <@F> idea to use the <DEVICE>.",
        "I still have <@N> card on my fridge.", "<@F> husband drove me to every session.",
        "We all loved <@F> singing on the ward.", "<@TN> bedside manner needs work.",
        "My sister <@F> wedding was the week after my surgery.", "<@F> and <@F> patience was endless.",
    ]),
    "nickname": (35, [
        "<K> on the day unit is a legend.", "Thanks <K> for the chats!", "<K> (that's what we all call her) made "
        "the tea.", "Big shout out to <K> and <K>!", "My cousin <K> came with me.", "Say hi to <K> from bed 9 x",
        "<K> and <F> from the ward visited me at home.",
    ]),
    "word_names": (60, [
        "<W> on reception was so helpful.", "Thanks to <W>, who explained everything.", "<TW> did my operation.",
        "Nurse <W> sat with me all night.", "I saw <TW> and then <W> the CNS.", "<WN> the radiographer was lovely.",
        "<W> said it would be fine, and it was.", "Please thank <W> and <W> on nights.",
        "Can <W> ring me back?", "Ask <W> in the office, she knows.", "<W> and <TW> were both brilliant.",
        "My key worker, <WN>, never gave up.",
    ]),
    "misspelt": (45, [
        "Thank you <M> for everything.", "<TM> was very rude to my mother.", "The nurse, <M>, stayed late.",
        "Please pass on my thanks to <M> (sorry if I've spelt that wrong).", "I saw <TM> but I think I've spelt "
        "it wrong.", "<M> and <M> on <WARD> were lovely.", "Complaint about <TM> and his registrar.",
    ]),
    "line_break": (35, [
        "Thanks to the breast care nurse <LB> for the support.", "I was seen by <LB> in clinic and she was kind.",
        "Please pass this to <LB>,\nthe ward manager.", "Signed,\n<LB>", "The surgeon was Mr <LB> and the "
        "anaesthetist was Dr <S>.", "Many thanks to my key worker <LB> who rang every week.",
    ]),
}
VOICE_KINDS = {"review": 80, "pals": 70, "group_chat": 70, "compliments_book": 70, "survey_fragments": 70,
               "handover": 70, "dictated": 60, "esl": 80}
PHONE_KINDS: dict[str, tuple[int, list[str]]] = {
    "phone_uk": (45, [
        "Best number is <UK>.", "mob: <UK>", "Ring <UK><EXT> and ask for the breast unit.", "Tel. <UK> (daytime)",
        "landline <UK>, mobile <UK>", "I rang <UK> six times.", "Call me on <UK> after 6pm please",
        "contact no. <UK>", "Secretary: <UK><EXT>",
    ]),
    "phone_foreign": (45, [
        "I am away until <MONTH>, call <FP>.", "My son's number abroad is <FP>.", "WhatsApp me on <FP>",
        "Home number (overseas): <FP>", "my number back home is <FP>", "Temporary number while I'm away: <FP>",
        "Interpreter's mobile <FP>", "reach me on <FP> or by email",
    ]),
    "phone_words": (30, [
        "my number is <PW>", "call me on <PW> thanks", "its <PW> if you need me", "Phone: <PW>",
        "you can reach my husband on <PW>", "Ring <PW> and ask for me.", "the number they gave me was <PW>",
    ]),
}
NEGATIVES = [
    "Mary Seacole Ward was spotless.", "Edith Cavell Ward has the best views in the building.",
    "St Luke's Ward moved to the new wing in March.", "Nye Bevan Ward was closed over Christmas.",
    "The Jenny Lind Unit has a playroom for visiting children.", "The Grace Kelly Ward is for day cases.",
    "St Columba's Ward had no hot water on Sunday.", "The Cicely Saunders Suite is quiet and calm.",
    "Guy's and St Thomas' share the records now.", "Addenbrooke's sent the scans to the Royal Marsden.",
    "The John Radcliffe is a long way from Banbury.", "Derriford to Treliske is over an hour.",
    "Ysbyty Gwynedd did my bloods and Glan Clwyd did the surgery.", "The Lister in Stevenage has free parking now.",
    "Frimley Park has a Costa in the main entrance.", "Charing Cross radiotherapy on Tuesdays and Fridays.",
    "Travelled from Preston to Blackburn for every appointment.", "Washington to Newcastle is 20 minutes.",
    "Crewe, Stafford and Chester all refer to the same unit.", "Kingston Hospital is closer than Tooting.",
    "Darlington Memorial does the mammograms.", "The clinic in Oban is once a month.",
    "Kadcyla every three weeks for fourteen cycles.", "Neulasta injections made my bones ache.",
    "Filgrastim for five days after each cycle.", "Ondansetron and Dexamethasone for the sickness.",
    "Emla cream before the port was accessed.", "Movicol and Lansoprazole from Boots.",
    "Verzenios caused diarrhoea, so they switched me to Kisqali.", "Herceptin and Pertuzumab together.",
    "Co-codamol made me drowsy.", "Sertraline for the hot flushes, which helped.",
    "Sue Ryder ran the bereavement group.", "CoppaFeel! stickers in the changing rooms.",
    "Keeping Abreast have a reconstruction support group.", "The Willow Foundation paid for a day out.",
    "Cancer Research UK leaflets were out of date.", "Age UK helped with the blue badge form.",
    "The DigniCap worked for me, I kept most of my hair.", "A Savi Scout reflector was placed the week before.",
    "The Libre sensor fell off in the shower.", "My Softee prosthesis came in the post.",
    "I listened to audiobooks on my Kindle during chemo.", "Alexa reminded me to take my tablets.",
    "The Amoena bra fitting was done by appointment.", "A Vacora biopsy under local anaesthetic.",
    "Mondor's disease after surgery, which I'd never heard of.", "They ruled out Cowden syndrome.",
    "Genetic testing for Li-Fraumeni syndrome came back negative.", "Raynaud's made the cold cap painful.",
    "Cooper's ligaments were explained with a diagram.", "A Baker's cyst was found on the same scan.",
    "The Van Nuys index was mentioned in my letter.", "The Bloom-Richardson grade was 2.",
    "Marks & Spencer do post-surgery bras.", "Tesco delivered my shopping while I was in.",
    "Uber to the hospital cost £18 each way.", "Netflix got me through the long afternoons.",
    "The clinic sends reminders by WhatsApp now.", "Zoom appointments on Monday mornings.",
    "Specsavers spotted the problem with my eyes.", "Waitrose sandwiches in the League of Friends shop.",
    "Will someone please answer the phone in clinic.", "Grace period for the car park is only ten minutes.",
    "Frank and honest conversation with the team.", "Mark the date on your calendar, they said.",
    "Holly and ivy decorations on the ward at Christmas.", "Sunny day, so we sat in the garden.",
    "Hope is what they gave me.", "A rose on every tray on Valentine's Day.",
    "May was the worst month, June was better.", "Started in April, finished in August.",
    "Surgery on Good Friday, home by Easter Monday.", "Boxing Day in hospital was not much fun.",
    "Appointment at 09:40 on 12/03/2026.", "Results on 03/04/2026 at 14:15.",
    "Ref PALS/2026/0412 on the letter.", "Hospital number RX1 204471.", "Bed 14, Bay 3, Ward 31.",
    "Paid £4.50 for two hours.", "1 in 7 women in the UK get breast cancer.", "Hb 118, neutrophils 0.9.",
    "Cycle 4 of 6 delayed by 7 days.", "Room 2.114, Level 2, Zone B.", "Tamoxifen 20mg for 5 years.",
    "Grade 2, ER 8/8, HER2 negative.", "Clinic 7, desk 3, 08:30 start.", "Dose reduced to 80%.",
    "Winter pressures meant the ward was full.", "Sister hospital in Wrexham did the scan.",
    "The Matron's round is at 10.", "Staff Nurse on the day unit was kind.",
    "Bluebell Ward and Lavender Ward merged.", "Ward 4B is on the fourth floor.",
    "The Churchill in Oxford did the radiotherapy.", "The Whittington has a new breast clinic.",
    "Stepping Hill to Manchester by bus takes an hour.", "Pinderfields Hospital in Wakefield.",
    "Queen Alexandra in Portsmouth has a Macmillan centre.", "The Ulster Hospital in Dundonald.",
    "Trekstock and Teenage Cancer Trust helped my daughter.", "A Halsted mastectomy was done on my nan in 1970.",
    "Hodgkin lymphoma as a teenager, breast cancer at 40.", "Montgomery's glands are normal, I was told.",
    "Lidl and Asda both near the hospital.", "Primark leggings were all I could wear after surgery.",
]


_SLOT = re.compile(r"<(@?)([A-Z]+)>")
_TITLE_FIRST = ["Aunty", "Auntie", "Uncle", "Sister", "Nurse", "Dr", "Sr"]
_LOW_LETTERS = "abcdefghijklmnopqrstuvwxyz"


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
    mid = rng.choice("ABCDEFGHJKLMNPRSTW")
    form = rng.choice(["i_s", "i_s", "s_comma_i", "ii_s", "i_nodot_s", "s_i", "ii_dots_s", "f_m_s"])
    if form == "i_s":
        return f"{f[0]}. {s}"
    if form == "s_comma_i":
        return f"{s}, {f[0]}."
    if form == "ii_s":
        return f"{f[0]}{mid} {s}"
    if form == "i_nodot_s":
        return f"{f[0]} {s}"
    if form == "s_i":
        return f"{s} {f[0]}{mid}"
    if form == "ii_dots_s":
        return f"{f[0]}.{mid}. {s}"
    return f"{f} {mid} {s}"


def _typo(rng, word: str) -> str:
    """One slip of the kind people make writing a name they have heard: a letter dropped, doubled, swapped
    or a vowel changed (never the first letter)."""
    for _ in range(50):
        i = rng.randrange(1, len(word) - 1) if len(word) > 3 else 1
        op = rng.choice(["drop", "double", "swap", "vowel"])
        if op == "drop" and word[i].islower():
            out = word[:i] + word[i + 1:]
        elif op == "double" and word[i].islower():
            out = word[:i] + word[i] + word[i:]
        elif op == "swap" and i + 1 < len(word) and word[i].islower() and word[i + 1].islower():
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif op == "vowel" and word[i] in "aeiou":
            out = word[:i] + rng.choice([v for v in "aeiouy" if v != word[i]]) + word[i + 1:]
        else:
            continue
        if out != word and len(out) >= 2:
            return out
    return word + word[-1]


def _line_broken(rng) -> str:
    """A full name split across a line break: between the names, or a long surname hyphenated."""
    g = _group(rng)
    f, s = rng.choice(g[0]), _sur(rng, g)
    if len(s) >= 8 and " " not in s and "-" not in s and "'" not in s and rng.random() < 0.4:
        cut = len(s) // 2
        return f"{f} {s[:cut]}-\n{s[cut:]}"
    return f"{f}\n{s}"


def _name_slot(rng, slot: str) -> tuple[str | None, str]:
    """(title or None, name) for a name slot."""
    if slot == "F":
        return None, _first(rng)
    if slot == "S":
        return None, _sur(rng)
    if slot == "N":
        return None, _full(rng)
    if slot == "TS":
        return rng.choice(TITLES), _sur(rng)
    if slot == "TN":
        return rng.choice(TITLES), _full(rng)
    if slot == "TF":
        return rng.choice(_TITLE_FIRST), _first(rng)
    if slot == "TP":  # a patient: no staff title
        return rng.choice(["Mr", "Mrs", "Ms", "Miss", "Mrs"]), _full(rng)
    if slot == "I":
        return None, _initials(rng)
    if slot == "SI":
        return None, f"{_first(rng)} {rng.choice('ABCDEFGHJKLMNOPRSTW')}."
    if slot == "K":
        return None, rng.choice(NICKNAMES)
    if slot == "W":
        return None, rng.choice(WORD_FIRST)
    if slot == "WN":
        if rng.random() < 0.5:
            return None, f"{rng.choice(WORD_FIRST)} {rng.choice(WORD_SUR + [_sur(rng)])}"
        return None, f"{_first(rng)} {rng.choice(WORD_SUR)}"
    if slot == "TW":
        return rng.choice(TITLES), rng.choice(WORD_SUR)
    if slot == "M":
        if rng.random() < 0.5:
            return None, _typo(rng, _first(rng))
        g = _group(rng)
        f, s = rng.choice(g[0]), _sur(rng, g)
        return None, f"{_typo(rng, f)} {s}" if rng.random() < 0.5 else f"{f} {_typo(rng, s)}"
    if slot == "TM":
        s = _sur(rng)
        return rng.choice(TITLES), " ".join(_typo(rng, w) if len(w) > 3 else w for w in s.split(" "))
    if slot == "LB":
        return None, _line_broken(rng)
    raise ValueError(slot)


def _date(rng) -> str:
    return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.choice([2025, 2026])}"


def _time(rng) -> str:
    return f"{rng.randint(7, 22):02d}:{rng.choice(['00', '05', '14', '20', '30', '41', '45', '58'])}"


def _plain_slot(rng, slot: str) -> str | None:
    """Text for a slot that is not a name or phone (None if ``slot`` is not one)."""
    pools = {"WARD": WARDS, "HOSP": HOSPITALS, "TOWN": TOWNS, "DRUG": DRUGS, "CHARITY": CHARITIES,
             "DEVICE": DEVICES, "BRAND": BRANDS, "EPONYM": EPONYMS, "DAY": DAYS, "MONTH": MONTHS, "REL": RELATIVES}
    if slot in pools:
        return rng.choice(pools[slot])
    if slot == "DATE":
        return _date(rng)
    if slot == "TIME":
        return _time(rng)
    if slot == "DOB":
        return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1935, 1992)}"
    if slot == "NHS":
        return nhs_number(rng)
    if slot == "REF":
        return f"PALS/{rng.choice([2025, 2026])}/{rng.randint(100, 9999):04d}"
    if slot == "BED":
        return str(rng.randint(1, 28))
    if slot == "AGE":
        return str(rng.randint(29, 91))
    if slot == "X":
        return str(rng.choice([rng.randint(1, 99), rng.randint(2000, 7999)]))
    return None


def _slot(w: _Writer, rng, slot: str, possessive: bool) -> None:
    if slot in ("P", "UK", "FP"):
        w.add(phone(rng, {"FP": True, "UK": False}.get(slot)), "PHONE")
        return
    if slot == "PW":
        w.add(phone_in_words(rng), "PHONE")
        return
    if slot == "CP":
        w.add(chat_phone(rng), "PHONE")
        return
    if slot == "EXT":
        if rng.random() < 0.5:
            _fill(rng, rng.choice(EXTENSIONS), w=w)
        return
    plain = _plain_slot(rng, slot)
    if plain is not None:
        w.add(plain)
        return
    title, name = _name_slot(rng, slot)
    if title:
        w.add(title + " ")
    w.add(name, "PERSON")
    if possessive:
        w.add("'" if name.endswith("s") and rng.random() < 0.5 else "'s")


def _fill(rng, template: str, w: _Writer | None = None) -> _Writer:
    w, last = w or _Writer(), 0
    for m in _SLOT.finditer(template):
        w.add(template[last:m.start()])
        _slot(w, rng, m.group(2), bool(m.group(1)))
        last = m.end()
    w.add(template[last:])
    return w


def _lower(text: str) -> str:
    low = text.lower()
    assert len(low) == len(text), text  # offsets stay valid
    return low


# ---------------------------------------------------------------- the voices that need a layout
def _review(rng) -> _Writer:
    w = _fill(rng, rng.choice(REVIEW_HEADLINES))
    _fill(rng, "\n" + rng.choice(REVIEW_STARS) + "\n" + rng.choice(REVIEW_BY) + "\n\n", w=w)
    for k, body in enumerate(rng.sample(REVIEW_BODY, rng.randint(1, 3))):
        _fill(rng, (" " if k else "") + body, w=w)
    _fill(rng, "\n\n" + rng.choice(REVIEW_FOOT), w=w)
    if rng.random() < 0.4:
        _fill(rng, "\n\n" + rng.choice(REVIEW_REPLY), w=w)
    return w


def _pals(rng) -> _Writer:
    w = _fill(rng, "PALS ref: <REF>\nDate received: <DATE>\nPatient: <TP>\n")
    if rng.random() < 0.5:
        _fill(rng, "DOB: <DOB>   NHS number: <NHS>\n", w=w)
    relation = rng.choice(PALS_RELATIONS)
    if relation == "self":
        _fill(rng, "Raised by: patient\n", w=w)
    else:
        _fill(rng, f"Raised by: <N> ({relation})\n", w=w)
    if rng.random() < 0.7:
        _fill(rng, "Contact: <P>" + ("<EXT>" if rng.random() < 0.2 else "") + "\n", w=w)
    _fill(rng, "\nSummary of concern:\n", w=w)
    for k, c in enumerate(rng.sample(PALS_CONCERNS, rng.randint(2, 3))):
        _fill(rng, (" " if k else "") + c, w=w)
    _fill(rng, "\n\nOutcome sought: " + rng.choice(PALS_OUTCOMES), w=w)
    _fill(rng, rng.choice(["\nHandled by: <N>, PALS Officer", "\nLogged by <F> (PALS)", "",
                           "\nAssigned to: <TS>, Divisional Nurse"]), w=w)
    return w


def _chat_sender(rng, w: _Writer) -> None:
    form = rng.choice(["N", "N", "F", "FI", "AUNTY", "REL", "CP", "CP"])
    if form == "N":
        _fill(rng, "<N>", w=w)
    elif form == "F":
        _fill(rng, "<F>", w=w)
    elif form == "FI":
        w.add(f"{_first(rng)} {_sur(rng)[0]}", "PERSON")
    elif form == "AUNTY":
        _fill(rng, "<TF>", w=w)
    elif form == "REL":
        w.add(rng.choice(["Mum", "Dad", "Nan", "Grandad", "Mum 2", "Me"]))
    else:
        _fill(rng, "<CP>", w=w)


def _group_chat(rng) -> _Writer:
    """A WhatsApp export: iOS "[dd/mm/yyyy, hh:mm] Sender: text" or Android "dd/mm/yyyy, hh:mm - Sender: text",
    the times in order."""
    ios = rng.random() < 0.6
    day = _date(rng)
    minute = rng.randint(7 * 60, 20 * 60)

    def stamp() -> str:
        t = f"{minute // 60:02d}:{minute % 60:02d}"
        return f"[{day}, {t}] " if ios else f"{day}, {t} - "

    w = _Writer()
    if rng.random() < 0.3:
        w.add(stamp())
        _fill(rng, "<N> added <F>\n", w=w)
    lines = rng.randint(3, 6)
    for k in range(lines):
        minute = min(minute + rng.choice([0, 1, 2, 5, 11, 38, 90]), 23 * 60 + 59)
        w.add(stamp())
        _chat_sender(rng, w)
        w.add(": ")
        _fill(rng, rng.choice(CHAT_MESSAGES), w=w)
        if k < lines - 1:
            w.add("\n")
    return w


def _compliments(rng) -> _Writer:
    w = _fill(rng, rng.choice(COMPLIMENTS))
    if rng.random() < 0.25:  # the next entry on the page
        _fill(rng, "\n\n" + rng.choice(COMPLIMENTS), w=w)
    return w


def _survey(rng) -> _Writer:
    w = _fill(rng, rng.choice(SURVEY_PROMPTS))
    frags = [f for f in rng.sample(SURVEY_FRAGMENTS, rng.randint(2, 5))]
    for k, frag in enumerate(frags):
        if k:
            w.add(rng.choice([". ", ", ", " / ", "\n", " - ", "  "]))
        _fill(rng, frag, w=w)
    return w


def _handover(rng) -> _Writer:
    w = _fill(rng, rng.choice(HANDOVER_HEAD) + "\n")
    for bed in rng.sample(HANDOVER_BEDS, rng.randint(2, 4)):
        _fill(rng, bed + "\n", w=w)
    _fill(rng, rng.choice(HANDOVER_TAIL), w=w)
    return w


def _simple(pool):
    return lambda rng: _fill(rng, rng.choice(pool))


VOICE_BUILDERS = {"review": _review, "pals": _pals, "group_chat": _group_chat, "compliments_book": _compliments,
                  "survey_fragments": _survey, "handover": _handover, "dictated": _simple(DICTATED),
                  "esl": _simple(ESL)}
#: every item kind, in the order they are written.
KINDS = tuple(VOICE_KINDS) + tuple(NAME_FORM_KINDS) + tuple(PHONE_KINDS) + ("negative",)


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for kind, n in VOICE_KINDS.items():
        for _ in range(n):
            w = VOICE_BUILDERS[kind](rng)
            text = w.text()
            if kind == "dictated" or (kind in ("esl", "survey_fragments", "group_chat") and rng.random() < 0.15):
                text = _lower(text)
            items.append({"kind": kind, "text": text, "spans": w.spans})
    for kind, (n, templates) in NAME_FORM_KINDS.items():
        for _ in range(n):
            w = _fill(rng, rng.choice(templates))
            if rng.random() < 0.2:  # a capitalised non-name next to the name
                prefix = rng.choice(NEGATIVES) + " "
                w.spans = [[s + len(prefix), e + len(prefix), lab] for s, e, lab in w.spans]
                w.parts.insert(0, prefix)
            text = w.text()
            items.append({"kind": kind, "text": _lower(text) if kind == "lowercase" else text, "spans": w.spans})
    for kind, (n, templates) in PHONE_KINDS.items():
        for _ in range(n):
            w = _fill(rng, rng.choice(templates))
            items.append({"kind": kind, "text": w.text(), "spans": w.spans})
    for _ in range(150):
        text = " ".join(rng.sample(NEGATIVES, rng.choice([1, 2, 2, 3])))
        if rng.random() < 0.1:
            text = text.lower()
        items.append({"kind": "negative", "text": text, "spans": []})
    rng.shuffle(items)
    return [{"id": f"v8-{k:04d}", "kind": it["kind"], "text": it["text"], "spans": it["spans"]}
            for k, it in enumerate(items)]


# ---------------------------------------------------------------- checks on the names
_EARLIER = ("make_deid_sets_v2.py", "make_deid_sets_v3.py", "make_deid_sets_v4.py", "make_deid_sets_v5.py",
            "make_deid_heldout_v6.py", "make_deid_heldout_v7.py")


def _words(names) -> set[str]:
    return {w.lower() for n in names for w in n.replace("-", " ").split()}


def earlier_name_words() -> set[str]:
    """Every word of the v2-v7 generators' name lists (names per group, nicknames, word names, Kaur / Singh)."""
    import importlib.util

    words: set[str] = set()
    for fname in _EARLIER:
        spec = importlib.util.spec_from_file_location(fname[:-3], HERE / fname)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for fs in mod.NAMES.values():
            for names in fs:
                words |= _words(names)
        for attr in ("NICKNAMES", "WORD_FIRST", "WORD_SUR", "SIKH_MIDDLE"):
            words |= _words([n for n in getattr(mod, attr, None) or [] if isinstance(n, str)])
    return words


def v8_name_words() -> set[str]:
    return (_words(n for f, s in NAMES.values() for n in f + s) | _words(NICKNAMES) | _words(WORD_FIRST)
            | _words(WORD_SUR))


def overlap() -> None:
    shared = sorted(v8_name_words() & earlier_name_words())
    print(f"v8 name words: {len(v8_name_words())}; in the v2-v7 name lists: {len(shared)} ({', '.join(shared)})")


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
