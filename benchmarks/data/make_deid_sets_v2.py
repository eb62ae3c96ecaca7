"""Write the second de-identification evaluation sets: ``deid_dev_v2.jsonl`` and ``deid_heldout_v2.jsonl``.

    python benchmarks/data/make_deid_sets_v2.py      # rewrites both files (seeded, deterministic)

Written on 2026-12-01 *before* the recognizers were changed for issue 14, by someone who had
not looked at which templates the old recognizers' cues match. Built differently from
``pledge_analysis.text.evaluation`` (the first sets):

- sentence shapes written fresh, in several registers: patient feedback, focus-group talk,
  staff notes, text messages, complaint letters, survey free text;
- names written by hand for this file from many naming cultures (West and East African,
  South and East Asian, Middle Eastern, Eastern European, Nordic, Celtic, Caribbean, Pacific),
  in forms patients write: first name, first + surname, first + initial + surname, initial +
  surname, surname only after a title or a speech verb ("says Becker"), possessives, lower case;
- phone numbers in UK and international shapes written by hand (not drawn from the
  numbering-plan library the recognizer uses);
- hard negatives: drug names, places, months, eponymous medical terms, staff roles, services
  and numbers that are not phone numbers.

Templates, names and negatives are split in two disjoint halves (the names and sentences quoted in issue
14 as missed are in neither: they are the regression test's): the **dev** half may be used
to tune the recognizers; the **held-out** half is frozen (``tests/test_deidentify_v2.py`` checks
its hash) and must never be looked at while tuning. Gold PERSON spans cover the name only (no
title, no possessive ``'s``); scoring counts overlap with the same label.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (first names, surnames) per naming culture; the two halves of each list go to dev / held-out.
NAMES = {
    "yoruba": (["Adebola", "Folake", "Olumide", "Temilade", "Ayodeji", "Morenike"],
               ["Adeyinka", "Ogundipe", "Akinwale", "Olaniyan", "Bamgbose", "Oyebanji"]),
    "igbo": (["Chiamaka", "Ikenna", "Obiageli", "Chukwuemeka", "Nneka", "Ifeanyi"],
             ["Nwachukwu", "Okonkwo", "Eze", "Obi", "Onyekachi", "Nwosu"]),
    "akan": (["Kwame", "Akosua", "Yaw", "Abena", "Kofi", "Efua"],
             ["Boateng", "Asante", "Owusu", "Mensah-Bonsu", "Appiah", "Darko"]),
    "somali": (["Hodan", "Abdirahman", "Faadumo", "Warsame", "Ubah", "Liban"],
               ["Warsame", "Abdillahi", "Farah", "Hirsi", "Jama", "Egal"]),
    "amhara_tigrinya": (["Selam", "Tsegaye", "Meron", "Haile", "Eyerusalem", "Yonas"],
                        ["Gebremedhin", "Tesfamariam", "Alemu", "Bekele", "Woldemariam", "Kidane"]),
    "tamil": (["Thenmozhi", "Senthil", "Kavitha", "Murugan", "Vaishnavi", "Karthik"],
              ["Subramaniam", "Ramasamy", "Pillai", "Nadarajah", "Sivakumar", "Thirunavukkarasu"]),
    "punjabi_urdu": (["Jaspreet", "Navdeep", "Sukhwinder", "Rukhsana", "Imran", "Nusrat"],
                     ["Dhaliwal", "Grewal", "Sidhu", "Qureshi", "Bhatti", "Chaudhary"]),
    "bengali": (["Rezaul", "Shirin", "Tanvir", "Nasrin", "Monirul", "Sultana"],
                ["Miah", "Uddin", "Chowdhury", "Ahmed", "Talukder", "Hossain"]),
    "chinese": (["Xiaoling", "Jianhua", "Meiying", "Zhiwei", "Ling", "Haoran"],
                ["Zhang", "Liu", "Huang", "Zhou", "Xu", "Guo"]),
    "vietnamese": (["Thuy", "Quang", "Huong", "Minh", "Phuong", "Duc"],
                   ["Tran", "Pham", "Hoang", "Vu", "Dang", "Bui"]),
    "korean_japanese": (["Ji-woo", "Seo-yeon", "Haruki", "Yumiko", "Min-jun", "Sakura"],
                        ["Kim", "Park", "Choi", "Takahashi", "Watanabe", "Yamamoto"]),
    "filipino": (["Marites", "Rodel", "Maricel", "Jerome", "Lourdes", "Arnel"],
                 ["Dela Cruz", "Bautista", "Macaraeg", "Villanueva", "Santos", "Manalo"]),
    "arabic_persian_turkish": (["Yasmin", "Khalid", "Shirin", "Dariush", "Elif", "Mehmet"],
                               ["Al-Sayed", "Haddad", "Karimi", "Tehrani", "Yilmaz", "Demir"]),
    "polish_romanian_baltic": (["Grzegorz", "Małgorzata", "Wojciech", "Ionela", "Mihai", "Rūta"],
                               ["Wróblewski", "Zielińska", "Brzęczyszczykiewicz", "Popescu", "Dumitrescu",
                                "Kazlauskienė"]),
    "nordic_icelandic": (["Guðrún", "Sigrún", "Bjarni", "Astrid", "Henrik", "Solveig"],
                         ["Þórhallsdóttir", "Guðmundsson", "Haraldsen", "Lindqvist", "Bergström", "Jóhannsdóttir"]),
    "celtic": (["Gwenllian", "Dafydd", "Ciarán", "Niamh", "Ruairidh", "Mhairi"],
               ["ap Rhys", "Ó Briain", "MacAulay", "Uí Néill", "Pritchard", "Mac an t-Saoir"]),
    "caribbean_english": (["Delroy", "Marcia", "Winston", "Paulette", "Everton", "Charmaine"],
                          ["Clarke-Forbes", "Ramdhanie", "Whyte", "Gayle", "Henriques", "Braithwaite"]),
    "pacific_maori": (["Aroha", "Tama", "Mere", "Sione", "Losa", "Wiremu"],
                      ["Ngata", "Tuilagi", "Fa'amausili", "Te Whata", "Taufa", "Parata"]),
    "english_german_russian": (["Imogen", "Lorcan", "Tatiana", "Ruprecht", "Hester", "Svetlana"],
                               ["Pemberton-Hale", "Ormerod", "Fothergill", "Kuznetsova", "Brandauer", "Wexler"]),
}
TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Prof", "Sister", "Nurse", "Doctor", "Mx", "dr", "Mr."]
SPEECH = ["says", "said", "explains", "told us", "wrote", "adds", "according to", "asked"]

# Person templates, in several registers. {full}: any full-name form; {first}: a first name;
# {sur}: a surname (only where a title or a verb makes it a name); {lfull}: lower-case full name;
# {poss}: a full name followed by 's; {title}: a title (not part of the span); {speech}: a speech verb.
TEMPLATES = [
    # patient feedback
    "Big shout out to {full} for sorting my scan letters.",
    "{full} sat with me for an hour when I got my diagnosis.",
    "I cannot praise {first} enough, she made me laugh on the worst day.",
    "Without {full} I would have given up on the tablets.",
    "The lady who did my mammogram, {first}, was gentle and quick.",
    "{poss} explanation of the drains was the clearest I had.",
    "Honestly {lfull} deserves a pay rise",
    "Seen by {title} {sur} who drew me a diagram of the lump.",
    # focus group turn
    "Yeah, like {first} said, the car park is a nightmare.",
    "I'm with {first} on that, nobody told us about the wig service.",
    "Sorry, can I come back to what {full} was saying about the letters?",
    "My sister-in-law {full} had the same surgeon and loved her.",
    # staff notes / emails
    "Spoke to {full} re: transport, she will confirm by Friday.",
    "Pt asked for {title} {sur} to call her back after 4pm.",
    "Handover: {full} (bay 6) anxious about tomorrow's theatre slot.",
    "As {sur} {speech}, the clinic letter went to the wrong GP.",
    # text message / chat
    "hi its {lfull} again sorry to bother u about the appt",
    "{first} here, running 10 mins late, save my slot x",
    "is {first} on shift today? she knows my history",
    "tell {title} {sur} thanks from me and the kids",
    # complaint letter
    "I am writing on behalf of my mother, {full}, about her discharge.",
    "On two occasions {title} {sur} failed to return my calls.",
    "I was told by a {role} called {first} that the results were lost.",
    "{full}, the ward manager, has not replied to my letter of complaint.",
    # survey free text / quotes
    "\"It's not as bad as you think,\" {speech} {sur}, and she was right.",
    "{sur} {speech} the waiting times will improve next year.",
    "The best part was meeting {full} at the support evening.",
    "Could you pass this to {poss} team please, they were brilliant.",
    "my friend {lfull} drove me to every session",
    "Having {first} and {first2} on the phone line made all the difference.",
]
ROLES = ["receptionist", "nurse", "healthcare assistant", "porter", "radiographer", "registrar"]

PHONE_TEMPLATES = [
    "They're not answering at {p}, please sort it.",
    "Call me back on {p} any time after six.",
    "mobile {p} (text is better)",
    "I've left three messages on {p} and nothing.",
    "You can reach my daughter abroad on {p}.",
    "Contact number: {p}",
    "ring {p} if the appointment changes",
    "The helpline {p} kept cutting out.",
    "I live in Spain half the year, my number there is {p}.",
    "pls call {p} ta",
]

NEGATIVES = [
    "Fulvestrant injections in both buttocks were sore but fine.",
    "Olaparib gave me nausea for the first month.",
    "Neratinib side effects were explained well by the pharmacist.",
    "Goserelin implants every 28 days, no problems.",
    "Eribulin was my third line treatment.",
    "Filgrastim jabs at home were easy once I got the hang of it.",
    "The drive from Whitby to Scarborough takes over an hour.",
    "We moved from Aberystwyth to Leeds during my treatment.",
    "Parking at Glenfield is a disgrace.",
    "Truro clinic was quieter than the main hospital.",
    "By August my hair was growing back.",
    "I started radiotherapy in November and finished before Christmas.",
    "Paget's disease of the nipple was the diagnosis in the end.",
    "My Hickman line got infected twice.",
    "The Oncotype DX score came back low.",
    "They found DCIS and a small HER2 positive tumour.",
    "The healthcare assistant and the porter were both patient with me.",
    "Our ward sister and the matron always had time for families.",
    "The mammographer explained why they needed extra views.",
    "Race for Life raised money for the unit.",
    "Look Good Feel Better was a lovely afternoon.",
    "The Citizens Advice adviser helped with my PIP form.",
    "I paid £1,250 for a wig and £45 for parking.",
    "Dose went down to 12.5 mg after week 3.",
    "Results took 3-4 weeks, which felt like forever.",
    "I scored the pain 7/10 most mornings.",
    "From 2019 to 2021 I had scans every 6 months.",
    "Bay 12 had no working call bell.",
    "One in 8 women will get it, the poster says.",
    "The clinic at 10:45 started at 12:20.",
    "Spring came and I finally felt like myself.",
    "Reading the leaflet in bed helped me sleep.",
    "Patience and kindness from everyone in the team.",
    "Brook ward is lovely but noisy.",
    "Tuesday and Thursday clinics are always overbooked.",
    "Marsden guidelines were mentioned in my letter.",
    "Herceptin and Phesgo are given in the day unit.",
    "Hodgkin lymphoma in my twenties, breast cancer in my fifties.",
    "We met at Maggie's every Wednesday.",
    "The NHS app never shows my appointments.",
]


def _split(seq, half):
    """Alternate items into two disjoint halves (0 = dev, 1 = held-out)."""
    return [x for i, x in enumerate(seq) if i % 2 == half]


def _initial(name):
    return name[0] + "."


def _full(rng, first, last):
    """A full name in one of the shapes patients write; returns the text."""
    mid = rng.choice("ABCDEFGHJKLMNPRSTW")
    return rng.choice([
        f"{first} {last}", f"{first} {last}", f"{first} {mid}. {last}", f"{first} {mid} {last}",
        f"{_initial(first)} {last}", f"{first[0]}.{mid}. {last}", f"{first} {last}",
    ])


def _phone(rng):
    d = lambda k: "".join(str(rng.randrange(10)) for _ in range(k))  # noqa: E731
    n = lambda k: str(rng.randrange(2, 10)) + d(k - 1)  # noqa: E731  (no leading 0/1)
    shapes = [
        lambda: f"07{d(3)} {d(6)}", lambda: f"07{d(3)}{d(6)}", lambda: f"+44 (0) 7{d(3)} {d(3)} {d(3)}",
        lambda: f"0044 7{d(3)} {d(6)}", lambda: f"01{n(3)} {d(6)}", lambda: f"(02{d(1)}) {n(4)} {d(4)}",
        lambda: f"0{n(3)}.{d(3)}.{d(3)}",
        lambda: f"{n(3)}-{n(3)}-{d(4)}", lambda: f"({n(3)}) {n(3)}-{d(4)}", lambda: f"+1 {n(3)} {n(3)} {d(4)}",
        lambda: f"+41 (0){n(2)} {d(3)} {d(2)} {d(2)}", lambda: f"+353 8{rng.choice('3579')} {d(3)} {d(4)}",
        lambda: f"+48 {n(3)} {d(3)} {d(3)}", lambda: f"+91 9{d(4)} {d(5)}", lambda: f"+234 80{d(1)} {d(3)} {d(4)}",
        lambda: f"+61 4{d(2)} {d(3)} {d(3)}", lambda: f"+34 6{d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"+49 15{d(1)} {d(7)}",
        lambda: f"(6{d(1)}) 3{d(3)}-{d(4)}", lambda: f"+55 11 9{d(4)}-{d(4)}", lambda: f"+92 300 {d(7)}",
        lambda: f"+353 (0)1 {n(3)} {d(4)}", lambda: f"+1-{n(3)}-{n(3)}-{d(4)}",
    ]
    return rng.choice(shapes)()


def _fill(template, values):
    out, spans, pos = [], [], 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[pos:m.start()])
        start = sum(len(x) for x in out)
        value, label, keep = values[m.group(1)]
        out.append(value)
        if label:
            spans.append([start, start + keep, label])
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def make(half: int, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    firsts = [f for fs, _ls in NAMES.values() for f in _split(fs, half)]
    lasts = [s for _fs, ls in NAMES.values() for s in _split(ls, half)]
    templates, phones, negatives = _split(TEMPLATES, half), _split(PHONE_TEMPLATES, half), _split(NEGATIVES, half)
    items = []
    for i in range(n):
        kind = rng.choices(["PERSON", "PHONE", "NEG"], [50, 25, 25])[0]
        if kind == "NEG":
            text, spans = rng.choice(negatives), []
        elif kind == "PHONE":
            p = _phone(rng)
            text, spans = _fill(rng.choice(phones), {"p": (p, "PHONE", len(p))})
        else:
            first, first2, last = rng.choice(firsts), rng.choice(firsts), rng.choice(lasts)
            full = _full(rng, first, last)
            vals = {"full": (full, "PERSON", len(full)), "first": (first, "PERSON", len(first)),
                    "first2": (first2, "PERSON", len(first2)), "sur": (last, "PERSON", len(last)),
                    "lfull": (f"{first} {last}".lower(), "PERSON", len(first) + 1 + len(last)),
                    "poss": (f"{full}'s", "PERSON", len(full)), "title": (rng.choice(TITLES), None, 0),
                    "speech": (rng.choice(SPEECH), None, 0), "role": (rng.choice(ROLES), None, 0)}
            text, spans = _fill(rng.choice(templates), vals)
        items.append({"id": f"{'dh'[half]}{i:04d}", "kind": kind, "text": text, "spans": spans})
    return items


def main() -> None:
    for half, name, n, seed in ((0, "deid_dev_v2.jsonl", 600, 20261201), (1, "deid_heldout_v2.jsonl", 1000, 14)):
        with open(HERE / name, "w", encoding="utf-8", newline="\n") as fh:
            for item in make(half, n, seed):
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
