"""Measuring de-identification: a labelled synthetic evaluation set and span-level scores.

:func:`make_eval_set` writes sentences in the voice of patient feedback and focus groups, with
identifiers planted in many formats (and their exact character spans), plus hard negatives
that must *not* be redacted (drug names, days and months used as words, services such as
"Breast Cancer Now" and "Open Access", job titles, numbers that are not identifiers). Names
come from a list written for this evaluation, including many that are in no gazetteer, so
the figures do not flatter the gazetteer-based recognizer.

:func:`evaluate` scores :func:`redact` on such a set: a predicted span is a true positive
when it overlaps a gold span with the same label.

>>> items = make_eval_set(50, seed=1)
>>> scores = evaluate(items)
>>> list(scores.columns)
['label', 'support', 'predicted', 'tp', 'precision', 'recall', 'f1']
"""
from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from .deidentify import LABELS, redact

FIRST = ["Jane", "Priya", "Zainab", "Oluwaseun", "Nkechi", "Bartosz", "Saoirse", "Eilidh", "Anwen", "Tariq",
         "Hamza", "Yusuf", "Chidi", "Ngozi", "Siobhan", "Margaret", "Fatima", "Agnieszka", "Deepa", "Rhiannon",
         "Kerry-Ann", "Mohammed", "Ioana", "Catriona", "Temitope", "Gurpreet", "Lowri", "Aoife", "Shabnam", "Beverley"]
LAST = ["Okafor", "Adeyemi", "Kowalczyk", "O'Sullivan", "MacLeod", "Hussain", "Begum", "Patel", "Nguyen",
        "Ferreira", "Williams", "Smith", "Evans", "Campbell", "Achterberg", "Oyelaran", "Szymanski", "Ní Bhriain",
        "Chaudhry", "Thompson", "Rahman", "Lewandowska", "Mensah", "Fraser", "Doyle", "Khan", "Jones", "Bevan"]
TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Sister", "Nurse", "Professor", "dr", "Doctor"]
STREETS = ["Acacia Avenue", "Mill Lane", "Station Road", "Church Street", "Beech Close", "Victoria Terrace",
           "Kingsway Drive", "Orchard Way", "Harbour View", "Elm Grove"]
POSTCODES = ["NE1 4LP", "LS2 9JT", "M13 9WL", "SW1A 1AA", "B15 2TT", "CF10 3AT", "EH3 9YY", "BT9 7BL",
             "ne1 4lp", "G12 8QQ", "PL6 8DH", "S10 2JF"]
MONTHS = ["January", "March", "May", "June", "August", "October", "December"]

PERSON_TEMPLATES = [
    "{title} {last} was wonderful throughout my treatment.",
    "I want to thank {title} {last} for explaining everything.",
    "My breast care nurse {first} was a lifeline.",
    "{first} {last} in the chemo suite was so kind to me.",
    "Please pass my thanks to {first}.",
    "{first} was lovely and explained everything clearly.",
    "The surgeon, {title} {last}, talked me through reconstruction.",
    "my nurse {first_lower} was amazing",
    "We were looked after by {first} {last} on the ward.",
    "Sister {first} {last} always had time for us.",
    "I asked for {first} but she was off that week.",
    "Thanks to {first} and {first2} in the breast unit.",
]
NEGATIVES = [
    "The Breast Care Nurse at Macmillan was brilliant.",
    "Open Access follow-up was never explained to me.",
    "Breast Cancer Now and Maggie's were a huge help.",
    "I was on Tamoxifen for five years and then Letrozole.",
    "Herceptin every three weeks was hard going.",
    "May I say how grateful I am to everyone.",
    "Will there be more phone clinics next year?",
    "In March I started radiotherapy and by June it was over.",
    "Every Monday I had to ring to chase my results.",
    "The consultant and the registrar were both kind.",
    "Hope is what the nurses gave me.",
    "I waited 3 hours in clinic on 2 occasions.",
    "I rated my care 10/10 overall.",
    "One in 8 women get breast cancer, the leaflet said.",
    "Parking cost £12 a day for 15 days.",
    "Stage 4 diagnosis in 2019, still here.",
    "Appointments at 10:30 always ran late.",
    "The oncologist explained my grade 3 tumour.",
    "Staff on Ward 4 were kind.",
    "Everyone was lovely and the care was excellent.",
    "The GP and the hospital didn't talk to each other.",
    "Grace and dignity were shown to me throughout.",
    "My husband Bill of rights joke aside, the care was great.",
    "Zoladex injections every month were painful.",
    "The Haven support centre was a godsend.",
    "Christmas on the ward was hard.",
    "I had 6 cycles of chemo and 15 sessions of radiotherapy.",
    "The physio was fantastic.",
    "Thank you for everything you did.",
    "The CNS rang me back within the hour.",
]


# Held out: written after the recognizers were tuned on the templates above and never tuned on.
HELDOUT_FIRST = ["Olamide", "Krystyna", "Mairead", "Harpreet", "Jolene", "Esther", "Dawit", "Ffion", "Ruqayyah",
                 "Sinéad", "Lakshmi", "Tomasz", "Winifred", "Abdul", "Morag", "Precious", "Ileana", "Graham"]
HELDOUT_LAST = ["Babatunde", "Wiśniewska", "Gallagher", "Sandhu", "Pilkington", "Tesfaye", "Llewellyn",
                "Siddiqui", "Quinn", "Ramaswamy", "Nowicki", "Ashworth", "Mahmood", "Ogunleye", "Crowther"]
HELDOUT_PERSON = [
    "Huge thanks to {first} who held my hand during the biopsy.",
    "{title} {last} never made me feel rushed.",
    "When {first} phoned with my results she took her time.",
    "I'd like {first} {last} to know how much she helped.",
    "The radiographer ({first}) was brilliant.",
    "Me and {first} from the support group still talk every week.",
    "honestly {first_lower} on reception deserves a medal",
    "Dr {last}'s team were great but the wait was long.",
    "It was {first} who finally sorted out my appointments.",
    "{first}, the specialist nurse, rang me every Friday.",
]
HELDOUT_NEGATIVES = [
    "April was the worst month, chemo every week.",
    "I found the Look Good Feel Better session uplifting.",
    "Royal Marsden guidance was mentioned by my oncologist.",
    "Macmillan Cancer Support helped with my benefits claim.",
    "Friday clinics were always packed.",
    "Mark my words, the parking will put people off.",
    "Sue Ryder hospice care came up but I am not there yet.",
    "Dense breast tissue meant an extra scan.",
    "Nurse led clinics were better than the consultant ones.",
    "Faith in the system was restored by the team.",
    "Capecitabine tablets gave me sore hands.",
    "Bay 3 was noisy at night.",
    "The Linda McCartney centre is lovely.",
    "Zoom support groups helped during lockdown.",
]


def make_heldout_set(n: int = 1000, *, seed: int = 1) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """A held-out set: new person templates, new names and new hard negatives (structured
    identifiers as in :func:`make_eval_set`). Its figures are the honest ones."""
    rng = random.Random(seed)
    items = []
    for item in make_eval_set(n, seed=seed):
        text, gold = item
        if gold and gold[0][2] == "PERSON":
            first, last = rng.choice(HELDOUT_FIRST), rng.choice(HELDOUT_LAST)
            vals = {"title": (rng.choice(TITLES), None), "last": (last, "PERSON"), "first": (first, "PERSON"),
                    "first_lower": (first.lower(), "PERSON")}
            t = rng.choice(HELDOUT_PERSON)
            if "{first} {last}" in t:
                t = t.replace("{first} {last}", "{full}")
                vals["full"] = (f"{first} {last}", "PERSON")
            items.append(_fill(t, vals))
        elif not gold:
            items.append((rng.choice(HELDOUT_NEGATIVES), []))
        else:
            items.append(item)
    return items


def _phone(rng: random.Random) -> str:
    mob = "7" + "".join(str(rng.randrange(10)) for _ in range(9))
    land = rng.choice(["1632", "113", "161", "117", "1865"])
    rest = "".join(str(rng.randrange(10)) for _ in range(10 - len(land)))
    formats = [
        f"0{mob[:4]} {mob[4:]}", f"0{mob[:4]}-{mob[4:7]}-{mob[7:]}", f"+44 {mob[:4]} {mob[4:]}", f"+44{mob}",
        f"0{mob}", f"(0{land}) {rest}", f"0{land} {rest}", f"020 {rest[:4]} {rest[4:]}" if len(rest) >= 8 else f"020 7946 {rest[:4]}",
        f"+44 (0)20 7946 {rest[:4]}", f"0{land}-{rest}",
    ]
    return rng.choice(formats)


def _nhs(rng: random.Random) -> str:
    while True:
        d = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(x * w for x, w in zip(d, range(10, 1, -1))) % 11
        check = 0 if check == 11 else check
        if check != 10:
            s = "".join(map(str, d)) + str(check)
            return rng.choice([f"{s[:3]} {s[3:6]} {s[6:]}", s, f"{s[:3]}-{s[3:6]}-{s[6:]}"])


def _fill(template: str, values: dict[str, tuple[str, str | None]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Fill ``{slot}`` markers, recording the spans of slots that carry a label."""
    out, spans, pos = [], [], 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[pos:m.start()])
        start = sum(len(x) for x in out)
        value, label = values[m.group(1)]
        out.append(value)
        if label:
            spans.append((start, start + len(value), label))
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def make_eval_set(n: int = 2000, *, seed: int = 0) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """``n`` labelled items ``(text, gold_spans)``; about a quarter are hard negatives."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        kind = rng.choices(["PERSON", "PHONE", "EMAIL", "NHS_NUMBER", "POSTCODE", "ADDRESS", "DATE", "URL", "ID",
                            "NEG"], [30, 12, 6, 6, 6, 5, 6, 4, 4, 25])[0]
        first, first2, last = rng.choice(FIRST), rng.choice(FIRST), rng.choice(LAST)
        if kind == "NEG":
            items.append((rng.choice(NEGATIVES), []))
            continue
        if kind == "PERSON":
            t = rng.choice(PERSON_TEMPLATES)
            title = rng.choice(TITLES)
            vals = {"title": (title, None), "last": (last, "PERSON"), "first": (first, "PERSON"),
                    "first2": (first2, "PERSON"), "first_lower": (first.lower(), "PERSON")}
            if "{first} {last}" in t:
                t = t.replace("{first} {last}", "{full}")
                vals["full"] = (f"{first} {last}", "PERSON")
            items.append(_fill(t, vals))
            continue
        value = {
            "PHONE": lambda: _phone(rng), "NHS_NUMBER": lambda: _nhs(rng),
            "EMAIL": lambda: f"{first.lower()}.{last.lower().replace(chr(39), '').replace(' ', '')}{rng.randrange(100)}@example.co.uk",
            "POSTCODE": lambda: rng.choice(POSTCODES),
            "ADDRESS": lambda: f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
            "DATE": lambda: rng.choice([f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/19{rng.randrange(40, 99)}",
                                        f"{rng.randrange(1, 29)} {rng.choice(MONTHS)} 19{rng.randrange(40, 99)}",
                                        f"{rng.randrange(1, 29)}th {rng.choice(MONTHS)} 2024"]),
            "URL": lambda: rng.choice(["https://www.example.org/my-story", "www.example-trust.nhs.uk/breast",
                                       "http://bit.ly/abc123"]),
            "ID": lambda: rng.choice([str(rng.randrange(1_000_000, 9_999_999)), f"RX{rng.randrange(1_000_000, 9_999_999)}"]),
        }[kind]()
        template = {
            "PHONE": ["Please ring me on {v} to talk about my care.", "I rang {v} five times and nobody answered.",
                      "my number is {v} if you need me"],
            "NHS_NUMBER": ["My NHS number is {v} for your records.", "NHS no {v}"],
            "EMAIL": ["You can email me at {v} about this.", "Contact: {v}"],
            "POSTCODE": ["I live at {v} and the travel was a struggle.", "Postcode {v}, two buses each way."],
            "ADDRESS": ["Send the letter to {v} please.", "I moved to {v} during treatment."],
            "DATE": ["DOB {v}, diagnosed last year.", "I was born on {v} and this was my first cancer."],
            "URL": ["I wrote about it at {v} if that helps.", "See {v} for my blog."],
            "ID": ["My hospital number is {v}.", "MRN {v} if you need to check."],
        }[kind]
        items.append(_fill(rng.choice(template), {"v": (value, kind)}))
    return items


def evaluate(items: Iterable[tuple[str, list[tuple[int, int, str]]]], **redact_options) -> pd.DataFrame:
    """Precision, recall and F1 per label (and ``ALL``) of :func:`redact` on labelled items."""
    counts = {label: {"support": 0, "predicted": 0, "tp_gold": 0, "tp_pred": 0} for label in LABELS}
    for text, gold in items:
        pred = redact(text, **redact_options).spans
        for s, e, label in gold:
            counts[label]["support"] += 1
            if any(ps < e and s < pe and pl == label for ps, pe, pl in pred):
                counts[label]["tp_gold"] += 1
        for s, e, label in pred:
            counts[label]["predicted"] += 1
            if any(gs < e and s < ge and gl == label for gs, ge, gl in gold):
                counts[label]["tp_pred"] += 1
    rows = []
    total = {"support": 0, "predicted": 0, "tp_gold": 0, "tp_pred": 0}
    for label, c in counts.items():
        for k in total:
            total[k] += c[k]
        rows.append((label, c))
    rows.append(("ALL", total))
    out = []
    for label, c in rows:
        p = c["tp_pred"] / c["predicted"] if c["predicted"] else float("nan")
        r = c["tp_gold"] / c["support"] if c["support"] else float("nan")
        f = 2 * p * r / (p + r) if p == p and r == r and p + r else float("nan")
        out.append({"label": label, "support": c["support"], "predicted": c["predicted"], "tp": c["tp_gold"],
                    "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)})
    return pd.DataFrame(out)


# ---------------------------------------------------------------- the second, independent evaluation (issue 14)
def load_jsonl_set(path: str | Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Items ``(text, gold_spans)`` from a JSONL evaluation file such as ``benchmarks/data/deid_heldout_v2.jsonl``
    (one ``{"text": ..., "spans": [[start, end, label], ...]}`` per line)."""
    items = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                items.append((d["text"], [tuple(sp) for sp in d["spans"]]))
    return items


def load_labelled_comments(labels_csv: str | Path, comments_csv: str | Path
                           ) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Items ``(text, gold_spans)`` for hand-labelled real comments whose text lives outside the repository.

    ``labels_csv`` has ``row_index, sha1, stratum, start, end, label`` (see
    ``benchmarks/data/make_pxtextmining_labels.py``); ``comments_csv`` is the pxtextmining file with
    ``row_index`` and ``feedback``. Raises :class:`~pledge_analysis.errors.InputError` when a comment's
    text no longer matches its recorded hash (the labels would be misplaced).
    """
    import pandas as pd

    from ..errors import InputError

    text = pd.read_csv(comments_csv).set_index("row_index")["feedback"]
    gold: dict[int, list[tuple[int, int, str]]] = {}
    sums: dict[int, str] = {}
    with open(labels_csv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            r = int(row["row_index"])
            sums[r] = row["sha1"]
            gold.setdefault(r, [])
            if row["label"]:
                gold[r].append((int(row["start"]), int(row["end"]), row["label"]))
    items = []
    for r, spans in gold.items():
        t = str(text.get(r, ""))
        if hashlib.sha1(t.encode("utf-8")).hexdigest()[:12] != sums[r]:
            raise InputError(f"comment {r} of {comments_csv} does not match the hash recorded in {labels_csv}",
                             hint="The external file changed; re-label the sample or use the original file.")
        items.append((t, sorted(spans)))
    return items
