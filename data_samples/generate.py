"""Generate the synthetic Service Pledge sample in this folder, byte for byte reproducibly.

    python data_samples/generate.py            # rewrite the sample in data_samples/
    python data_samples/generate.py --out DIR  # write it elsewhere (the tests compare bytes)

One Service Pledge round across 6 hospitals in 2 Cancer Alliances: a patient survey (one
CSV per hospital, one hospital as XLSX, mixed encodings as real exports have), a staff
survey, 12 focus-group transcripts (.txt, one .docx, one .vtt), a national benchmark in the
published CPES layout, and ``truth.json``: the signal planted in the data, which the tests
check the pipeline recovers. Every sentence is synthetic; no real patient data is used.
Only the standard library, openpyxl, python-docx and PyYAML are needed.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import re
import sys
import zipfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import textbank as tb  # noqa: E402

SEED = 20261121
N_PER_SITE = 250
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
FIXED_ISO = "2026-01-01T00:00:00Z"

SITES = [
    # code, name, alliance, export format, encoding
    ("NGU", "Northgate University Hospital", "North Coast Cancer Alliance", "csv", "utf-8"),
    ("RGH", "Riverside General Hospital", "North Coast Cancer Alliance", "csv", "cp1252"),
    ("SAH", "St Aidan's Hospital", "North Coast Cancer Alliance", "csv", "utf-8-sig"),
    ("MDH", "Moorfield District Hospital", "Vale and Moor Cancer Alliance", "csv", "utf-8"),
    ("VVH", "Valeview Hospital", "Vale and Moor Cancer Alliance", "csv", "utf-8-sig"),
    ("WRI", "Westbrook Royal Infirmary", "Vale and Moor Cancer Alliance", "xlsx", None),
]
WEAK_WAITING_SITE = "RGH"
STRONG_COMMUNICATION_SITE = "VVH"
#: Size of the planted waiting problem at RGH; round 2 (``--round2``) models it largely fixed.
WAITING_EFFECT = {"survey": -0.30, "comments": 4.0}

YES3 = ["Yes, definitely", "Yes, to some extent", "No", "Don't know / can't say"]
QUESTIONS = [
    # id, national CPES number, text, options, positive, negative, national % positive
    ("Q2", "Q2", "How do you feel about the length of time you had to wait before your first appointment with a hospital doctor?",
     ["It was about right", "It was a little too long", "It was much too long"], [0], [1, 2], 0.90),
    ("Q10", "Q10", "Did you understand the explanation of what was wrong with you?",
     ["Yes, I completely understood it", "Yes, I understood some of it", "No, I did not understand it", "I did not need an explanation"], [0], [1, 2], 0.78),
    ("Q11", "Q11", "When you were told you had cancer, were you given written information about the type of cancer you had?",
     ["Yes, and it was easy to understand", "Yes, but it was difficult to understand", "No", "I did not need written information"], [0], [1, 2], 0.78),
    ("Q13", "Q13", "Were the possible side effects of treatment(s) explained in a way you could understand?",
     ["Yes, definitely", "Yes, to some extent", "No", "I did not need an explanation"], [0], [1, 2], 0.75),
    ("Q15", "Q15", "Before you started your treatment(s), were you also told about any side effects of the treatment that could affect you in the future rather than straight away?",
     YES3, [0], [1, 2], 0.56),
    ("Q16", "Q16", "Were you involved as much as you wanted to be in decisions about your care and treatment?",
     ["Yes, definitely", "Yes, to some extent", "No, but I would have liked to be", "Don't know / can't say"], [0], [1, 2], 0.79),
    ("Q17", "Q17", "Were you given the name of a Clinical Nurse Specialist who would support you through your treatment?",
     ["Yes", "No", "Don't know / can't remember"], [0], [1], 0.95),
    ("Q18", "Q18", "How easy or difficult has it been for you to contact your Clinical Nurse Specialist?",
     ["Very easy", "Quite easy", "Quite difficult", "Very difficult", "I have not tried to contact"], [0, 1], [2, 3], 0.85),
    ("Q20", "Q20", "Did hospital staff give you information about support or self-help groups for people with cancer?",
     ["Yes", "No, but I would have liked information", "It was not necessary", "Don't know / can't remember"], [0], [1], 0.91),
    ("Q22", "Q22", "Did hospital staff give you information about how to get financial help or any benefits you might be entitled to?",
     ["Yes", "No, but I would have liked information", "It was not necessary", "Don't know / can't remember"], [0], [1], 0.65),
    ("HNA", None, "Were you offered a Holistic Needs Assessment to talk about your needs and concerns?",
     ["Yes", "No", "Don't know / can't remember"], [0], [1], 0.62),
    ("OAF", None, "Do you understand how to get back in touch with the team under Open Access follow-up?",
     ["Yes, completely", "Yes, to some extent", "No", "Not applicable to me"], [0], [1, 2], 0.70),
    ("Q54", "Q54", "Did the different people treating and caring for you work well together to give you the best possible care?",
     ["Yes, always", "Yes, most of the time", "No, only some of the time", "No, never", "Don't know / can't say"], [0, 1], [2, 3], 0.61),
    ("Q56", "Q56", "Overall, how would you rate the administration of your care (getting letters at the right time, doctors having the right notes/tests results, etc.)?",
     ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"], [0, 1], [3, 4], 0.90),
    ("Q57", "Q57", "Overall, how do you feel about the length of time you had to wait when attending clinics and appointments for your cancer treatment?",
     ["It was about right", "It was a little too long", "It was much too long"], [0], [1, 2], 0.68),
]
RATING = ("Q59", "Q59", "Overall, how would you rate your care? (0 = very poor, 10 = very good)", 8.87)
STAFF_QUESTIONS = [
    ("S1", "My workload allows me to give patients the time they need."),
    ("S2", "We have enough resources (staff, clinic space, equipment) for the service."),
    ("S3", "Care is well coordinated between the teams involved."),
    ("S4", "Secondary breast cancer patients get the same level of support as primary patients."),
]
LIKERT = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
STAFF_ROLES = ["Breast care nurse", "Consultant surgeon", "Oncologist", "Radiographer",
               "Cancer support worker", "MDT coordinator", "Ward nurse"]
COMMENT_COLUMNS = {
    "good": "What was good about your care?",
    "improve": "What could be improved?",
    "other": "Anything else you would like to tell us?",
}
STAFF_COMMENT = "What would most improve care for patients?"
#: How each free-text question leans its answers (questions.yaml ``free_text:``, read by the sentiment model).
COMMENT_POLARITY = {"good": "positive_prompt", "improve": "negative_prompt", "other": "neutral",
                    "staff_improve": "negative_prompt"}

# Which questions measure which theme (mirrors survey_items in codebook.yaml).
THEME_ITEMS = {
    "information": ["Q10", "Q11", "Q13", "Q15", "OAF"],
    "support": ["Q20", "Q22", "HNA"],
    "waiting": ["Q2", "Q57"],
    "communication": ["Q16", "Q18"],
    "coordination": ["Q54", "Q56"],
}
ITEM_THEME = {q: t for t, qs in THEME_ITEMS.items() for q in qs}

# How often each theme is raised (relative weights) in "good" and "improve" answers.
GOOD_W = {"kindness": 6, "communication": 3, "communication.contact_cns": 2, "information.written": 2,
          "surgery": 2, "staffing": 1, "support.referral": 1.5, "waiting.diagnosis": 1.5,
          "aftercare": 1, "environment": 1, "coordination": 1, "information.open_access": 0.5,
          "support.hna": 0.5, "communication.phone": 0.7, "waiting.clinic": 0.5,
          "coordination.portal": 0.3, "support.financial": 0.3}
IMPROVE_W = {"waiting.clinic": 3, "waiting.diagnosis": 2, "environment": 2.5, "communication.phone": 1.5,
             "communication.contact_cns": 1.5, "communication": 1, "coordination": 1.5,
             "coordination.portal": 1, "information.written": 1.2, "information.open_access": 0.8,
             "support.referral": 0.8, "support.hna": 0.6, "support.financial": 0.5, "staffing": 1.5,
             "aftercare": 1, "surgery": 0.5, "kindness": 0.5}
SECONDARY_ONLY = {"palliative": (1.0, 1.5), "parity": (0.3, 3.0)}  # (good, improve) weights


def top(theme: str) -> str:
    return theme.split(".")[0]


def theme_weights(kind: str, site: str, group: str) -> dict[str, float]:
    """Relative weights of themes in one kind of answer, with the planted signal."""
    w = dict(GOOD_W if kind == "good" else IMPROVE_W)
    if group == "secondary":
        for t, (g, i) in SECONDARY_ONLY.items():
            w[t] = g if kind == "good" else i
        for t in list(w):  # planted: secondary patients raise information and support far more
            if top(t) in ("information", "support") and kind == "improve":
                w[t] *= 4.0
            if top(t) in ("information", "support") and kind == "good":
                w[t] *= 0.4
    if site == WEAK_WAITING_SITE and kind == "improve":
        for t in list(w):
            if top(t) == "waiting":
                w[t] *= WAITING_EFFECT["comments"]
    if site == STRONG_COMMUNICATION_SITE:
        for t in list(w):
            if top(t) == "communication":
                w[t] *= 2.5 if kind == "good" else 0.15
    return w


def p_positive(qid: str, base: float, site: str, group: str, imd: int, age: str) -> float:
    """Probability of a positive answer, with the planted signal and a small case-mix effect."""
    p = base
    theme = ITEM_THEME.get(qid)
    if group == "secondary" and theme in ("information", "support"):
        p -= 0.28
    if site == WEAK_WAITING_SITE and theme == "waiting":
        p += WAITING_EFFECT["survey"]
    if site == STRONG_COMMUNICATION_SITE and theme == "communication":
        p += 0.12
    p += {1: -0.05, 2: -0.02, 3: 0.0, 4: 0.02, 5: 0.03}[imd]
    p += {"16-34": -0.04, "35-54": 0.0, "55-74": 0.02, "75+": 0.01}[age]
    return min(0.98, max(0.03, p))


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1)))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, digits)) + str(check)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


STAFF_FIRST = ["Jane", "Priya", "Grace", "Tomasz", "Aisha", "Fiona", "Kwame", "Siobhan", "Mei", "Rhys"]
STAFF_LAST = ["Okafor", "Raman", "Whitfield", "Nowak", "Bello", "McAllister", "Mensah", "Doherty", "Chen", "Pritchard"]
PHONES = ["01632 960 123", "07700 900461", "+44 7700 900 982", "(01632) 960-555", "020 7946 0018", "0113 496 0731"]


class Generator:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.dates = random.Random(seed + 1)  # a separate stream, so dates leave the rest unchanged
        self.identifiers: list[dict] = []
        self.anomalies: list[dict] = []

    # ---------------------------------------------------------------- free text
    def sentence(self, theme: str, positive: bool) -> str:
        bank = tb.POSITIVE if positive else tb.NEGATIVE
        return self.rng.choice(bank[theme])

    def pick_theme(self, weights: dict[str, float]) -> str:
        themes = sorted(weights)
        return self.rng.choices(themes, [weights[t] for t in themes])[0]

    def comment(self, kind: str, site: str, group: str, where: dict) -> str:
        rng = self.rng
        if rng.random() < 0.07:
            return rng.choice(tb.PLACEHOLDERS)
        positive = kind == "good" or (kind == "other" and rng.random() < 0.5)
        weights = theme_weights("good" if positive else "improve", site, group)
        n = 1 if rng.random() < 0.6 else 2
        sentences = []
        for _ in range(n):
            sentences.append(self.sentence(self.pick_theme(weights), positive))
        if rng.random() < 0.06:
            sentences.insert(rng.randrange(len(sentences) + 1), self.identifier_sentence(positive, where))
        text = " ".join(dict.fromkeys(sentences))
        if rng.random() < 0.15:
            text = text.lower()
        if rng.random() < 0.05:
            text = text.rstrip(".")
        return text

    def identifier_sentence(self, positive: bool, where: dict) -> str:
        rng = self.rng
        kind = rng.choices(["title_name", "context_name", "phone", "email", "nhs", "postcode"],
                           [4, 3, 2, 0.5, 0.5, 0.7])[0]
        template, _theme = rng.choice(tb.IDENTIFIER_SENTENCES[kind])
        first, last = rng.choice(STAFF_FIRST), rng.choice(STAFF_LAST)
        values = {
            "first": first, "surname": last, "name": f"{first} {last}",
            "phone": rng.choice(PHONES), "nhs": nhs_number(rng),
            "email": f"{first.lower()}.{last.lower()}{rng.randrange(10, 99)}@example.com",
            "postcode": rng.choice(["NE1 4LP", "LS2 9JT", "M13 9WL", "SW1A 1AA", "B15 2TT"]),
        }
        slot = re.search(r"\{(\w+)\}", template).group(1)
        label = {"first": "PERSON", "surname": "PERSON", "name": "PERSON", "phone": "PHONE",
                 "email": "EMAIL", "nhs": "NHS_NUMBER", "postcode": "POSTCODE"}[slot]
        self.identifiers.append(dict(where, label=label, value=values[slot]))
        return template.format(**values)

    # ---------------------------------------------------------------- surveys
    def patient_rows(self, site: str, name: str) -> list[dict]:
        rng = self.rng
        rows = []
        for i in range(N_PER_SITE):
            rid = f"{site}-{i + 1:04d}"
            group = "secondary" if rng.random() < 0.3 else "primary"
            age = rng.choices(["16-34", "35-54", "55-74", "75+"], [5, 35, 45, 15])[0]
            eth = rng.choices(["White", "Asian or Asian British", "Black or Black British", "Mixed", "Other", "Prefer not to say"],
                              [80, 8, 5, 3, 2, 2])[0]
            imd = rng.choice([1, 2, 3, 4, 5])
            row = {"Respondent ID": rid, "Hospital": name,
                   "Patient group": "Secondary breast cancer" if group == "secondary" else "Primary breast cancer",
                   "Age band": age, "Ethnicity": eth, "IMD quintile": imd,
                   "Date completed": f"{2025 + (m := self.dates.randrange(4, 16)) // 13}-{(m - 1) % 12 + 1:02d}-"
                                     f"{self.dates.randrange(1, 29):02d}"}
            n_pos = n_scored = 0
            for qid, _nat, _text, options, pos, neg, base in QUESTIONS:
                if rng.random() < 0.04:
                    row[qid] = ""  # item non-response
                    continue
                p = p_positive(qid, base, site, group, imd, age)
                r = rng.random()
                if r < 0.08 and len(options) > max(pos + neg) + 1:
                    idx = rng.choice([k for k in range(len(options)) if k not in pos + neg])
                elif rng.random() < p:
                    idx = rng.choice(pos)
                    n_pos += 1
                    n_scored += 1
                else:
                    idx = rng.choice(neg)
                    n_scored += 1
                row[qid] = options[idx]
            frac = n_pos / n_scored if n_scored else 0.8
            rating = round(4.2 + 5.6 * frac + rng.gauss(0, 0.8) - (0.4 if group == "secondary" else 0))
            row[RATING[0]] = max(0, min(10, rating))
            for key, header in COMMENT_COLUMNS.items():
                p_answer = {"good": 0.85, "improve": 0.75, "other": 0.35}[key]
                row[header] = (self.comment(key, site, group, {"file": None, "respondent_id": rid, "column": header})
                               if rng.random() < p_answer else "")
            rows.append(row)
        return rows

    def plant_bad_rows(self, site: str, rows: list[dict]) -> None:
        """Real exports carry a few bad rows; the pipeline must account for each one."""
        if site == "RGH":
            dup = dict(rows[10])
            rows.insert(40, dup)
            self.anomalies.append({"site": site, "respondent_id": dup["Respondent ID"], "kind": "duplicate respondent id"})
        if site == "SAH":
            rows[5]["Q59"] = 12
            self.anomalies.append({"site": site, "respondent_id": rows[5]["Respondent ID"], "kind": "answer out of range", "column": "Q59"})
            rows[6]["Q17"] = "Yess"
            self.anomalies.append({"site": site, "respondent_id": rows[6]["Respondent ID"], "kind": "answer not an allowed option", "column": "Q17"})
        if site == "MDH":
            blank = {k: "" for k in rows[0]}
            rows.insert(100, blank)
            self.anomalies.append({"site": site, "respondent_id": None, "kind": "empty row"})

    def staff_rows(self) -> list[dict]:
        rng = self.rng
        rows = []
        for i in range(150):
            code, name = SITES[i % len(SITES)][:2]
            row = {"Staff ID": f"S{i + 1:03d}", "Hospital": name, "Role": rng.choice(STAFF_ROLES)}
            for qid, _text in STAFF_QUESTIONS:
                p = 0.35 if qid in ("S1", "S2") else (0.3 if qid == "S4" else 0.55)
                row[qid] = rng.choice(LIKERT[:2]) if rng.random() < p else rng.choice(LIKERT[2:])
            if rng.random() < 0.8:
                text, _theme = rng.choice(tb.STAFF_NEGATIVE)
                if rng.random() < 0.4:
                    text += " " + rng.choice(tb.STAFF_NEGATIVE)[0]
                row[STAFF_COMMENT] = text
            else:
                row[STAFF_COMMENT] = ""
            rows.append(row)
        return rows

    # ---------------------------------------------------------------- transcripts
    def transcript_turns(self, site: str, group: str, fname: str) -> list[tuple[str, str]]:
        rng = self.rng
        n_people = rng.randint(4, 7)
        turns = [("Facilitator", "Thank you all for coming today. Everything you say is confidential. "
                                 "Let's start with your experience of care at the hospital.")]
        prompts = tb.FACILITATOR_PROMPTS[:]
        rng.shuffle(prompts)
        for prompt in prompts:
            turns.append(("Facilitator", prompt))
            for _ in range(rng.randint(2, 4)):
                speaker = f"P{rng.randint(1, n_people)}"
                positive = rng.random() < (0.45 if group == "primary" else 0.3)
                weights = theme_weights("good" if positive else "improve", site, group)
                parts = [self.sentence(self.pick_theme(weights), positive)]
                if rng.random() < 0.5:
                    parts.append(self.sentence(self.pick_theme(weights), positive))
                if rng.random() < 0.08:
                    parts.append(self.identifier_sentence(positive, {"file": fname, "respondent_id": speaker, "column": "text"}))
                text = " ".join(dict.fromkeys(parts))
                if rng.random() < 0.2:
                    text = rng.choice(tb.AGREEMENTS) + " " + text
                turns.append((speaker, text))
        turns.append(("Facilitator", "Thank you, that is really helpful."))
        return turns


# -------------------------------------------------------------------- writers
def write_csv(path: Path, rows: list[dict], encoding: str) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def normalise_zip(path: Path) -> None:
    """Fix timestamps inside an Office file so that it is reproducible byte for byte."""
    with zipfile.ZipFile(path) as zin:
        items = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + FIXED_ISO.encode() + rb"\3", data)
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    path.write_bytes(out.getvalue())


def write_xlsx(path: Path, rows: list[dict]) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    header = list(rows[0])
    ws.append(header)
    for r in rows:
        ws.append([r[h] for h in header])
    wb.save(path)
    normalise_zip(path)


def write_txt(path: Path, turns) -> None:
    path.write_text("".join(f"{s}: {t}\n" for s, t in turns), encoding="utf-8")


def write_docx(path: Path, turns, title: str) -> None:
    from docx import Document
    doc = Document()
    doc.add_heading(title, level=1)
    for speaker, text in turns:
        p = doc.add_paragraph()
        p.add_run(f"{speaker}: ").bold = True
        p.add_run(text)
    doc.save(path)
    normalise_zip(path)


def write_vtt(path: Path, turns) -> None:
    lines, t = ["WEBVTT", ""], 2.0
    for speaker, text in turns:
        dur = 2.0 + 0.06 * len(text)
        lines += [f"{_ts(t)} --> {_ts(t + dur)}", f"<v {speaker}>{text}", ""]
        t += dur + 0.7
    path.write_text("\n".join(lines), encoding="utf-8")


def _ts(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def benchmark_rows(rng: random.Random) -> list[dict]:
    """National and trust rows in the published CPES results layout (synthetic values)."""
    rows = []
    trusts = [(c, n) for c, n, *_ in SITES] + [(f"R{c:02d}", f"Synthetic Trust {c}") for c in range(1, 31)]
    for qid, nat, text, _o, _p, _n, base in QUESTIONS:
        if nat is None:
            continue
        n_nat = rng.randint(9000, 15000)
        k_nat = round(base * n_nat)
        lo, hi = wilson(k_nat, n_nat)
        rows.append({"Geog": "National", "Trust.Code": "", "Trust.Name": "England", "Year": 2024, "Cancer.Type": "Breast",
                     "Question.Number": nat, "Question.Text": text, "Number.of.responses": n_nat,
                     "scored.percentage": round(100 * k_nat / n_nat), "Lower.95..confidence.interval": round(100 * lo, 1),
                     "Upper.95..confidence.interval": round(100 * hi, 1), "Expected.Range..lower.": "", "Expected.Range..upper.": ""})
        for code, name in trusts:
            n = rng.randint(60, 400)
            shift = 0.0
            if code in {c for c, *_ in SITES}:  # the sample's own hospitals carry the planted signal
                shift = p_positive(qid, base, code, "primary", 3, "35-54") - base
                if ITEM_THEME.get(qid) in ("information", "support"):
                    shift -= 0.3 * 0.28  # about 30% of respondents are secondary patients
            p = min(0.99, max(0.05, rng.gauss(base + shift, 0.04 if not shift else 0.01)))
            k = sum(rng.random() < p for _ in range(n))
            lo, hi = wilson(k, n)
            half = 1.96 * math.sqrt(base * (1 - base) / n)
            rows.append({"Geog": "Trust", "Trust.Code": code, "Trust.Name": name, "Year": 2024, "Cancer.Type": "Breast",
                         "Question.Number": nat, "Question.Text": text, "Number.of.responses": n,
                         "scored.percentage": round(100 * k / n), "Lower.95..confidence.interval": round(100 * lo, 1),
                         "Upper.95..confidence.interval": round(100 * hi, 1),
                         "Expected.Range..lower.": round(max(0, 100 * (base - half)), 1),
                         "Expected.Range..upper.": round(min(100, 100 * (base + half)), 1)})
    qid, nat, text, base = RATING
    rows.append({"Geog": "National", "Trust.Code": "", "Trust.Name": "England", "Year": 2024, "Cancer.Type": "Breast",
                 "Question.Number": nat, "Question.Text": text, "Number.of.responses": 14911, "scored.percentage": base,
                 "Lower.95..confidence.interval": "", "Upper.95..confidence.interval": "",
                 "Expected.Range..lower.": "", "Expected.Range..upper.": ""})
    return rows


def questions_yaml() -> dict:
    items = []
    for qid, nat, text, options, pos, neg, _base in QUESTIONS:
        items.append({"id": qid, "column": qid, "text": text, "kind": "categorical", "options": options,
                      "positive": [options[i] for i in pos], "negative": [options[i] for i in neg],
                      "national": nat, "respondents": "patient"})
    items.append({"id": RATING[0], "column": RATING[0], "text": RATING[2], "kind": "rating", "min": 0, "max": 10,
                  "national": RATING[1], "respondents": "patient"})
    for qid, text in STAFF_QUESTIONS:
        items.append({"id": qid, "column": qid, "text": text, "kind": "categorical", "options": LIKERT,
                      "positive": LIKERT[:2], "negative": LIKERT[3:], "national": None, "respondents": "staff"})
    free_text = [{"id": qid, "text": text, "polarity": COMMENT_POLARITY[qid]}
                 for qid, text in list(COMMENT_COLUMNS.items()) + [("staff_improve", STAFF_COMMENT)]]
    return {"questions": items, "free_text": free_text}


def generate(out: Path, seed: int = SEED) -> None:
    g = Generator(seed)
    (out / "survey").mkdir(parents=True, exist_ok=True)
    (out / "transcripts").mkdir(parents=True, exist_ok=True)
    for code, name, _alliance, fmt, enc in SITES:
        rows = g.patient_rows(code, name)
        g.plant_bad_rows(code, rows)
        fname = f"survey/patients_{code}.{fmt}"
        for ident in g.identifiers:
            if ident["file"] is None:
                ident["file"] = fname
        if fmt == "xlsx":
            write_xlsx(out / fname, rows)
        else:
            write_csv(out / fname, rows, enc)
    write_csv(out / "survey/staff_survey.csv", g.staff_rows(), "utf-8")
    formats = {("SAH", "secondary"): "docx", ("MDH", "primary"): "vtt"}
    for code, name, *_ in SITES:
        for group in ("primary", "secondary"):
            fmt = formats.get((code, group), "txt")
            fname = f"transcripts/{code}_{group}.{fmt}"
            turns = g.transcript_turns(code, group, fname)
            if fmt == "docx":
                write_docx(out / fname, turns, f"Focus group: {name}, {group} breast cancer patients")
            elif fmt == "vtt":
                write_vtt(out / fname, turns)
            else:
                write_txt(out / fname, turns)
    write_csv(out / "national_benchmark.csv", benchmark_rows(g.rng), "utf-8")
    (out / "questions.yaml").write_text(yaml.safe_dump(questions_yaml(), sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    truth = {
        "seed": seed,
        "sites": [{"site": c, "name": n, "alliance": a} for c, n, a, *_ in SITES],
        "planted": [
            {"effect": "secondary patients much more negative about information and support",
             "scope_type": "group", "scope": "secondary", "themes": ["information", "support"],
             "survey_items": THEME_ITEMS["information"] + THEME_ITEMS["support"], "delta": -0.28},
            {"effect": "one hospital weak on waiting", "scope_type": "site", "scope": WEAK_WAITING_SITE,
             "themes": ["waiting"], "survey_items": THEME_ITEMS["waiting"], "delta": -0.30},
            {"effect": "one hospital strong on communication", "scope_type": "site", "scope": STRONG_COMMUNICATION_SITE,
             "themes": ["communication"], "survey_items": THEME_ITEMS["communication"], "delta": 0.12},
        ],
        "anomalies": g.anomalies,
        "identifiers": g.identifiers,
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def generate_round2(out: Path, seed: int = SEED + 2) -> None:
    """A second review round (patient survey only) after RGH acted on waiting: the planted
    waiting problem shrinks from -30 to -8 points. Its project.yaml uses copies of the round-1
    questions, codebook, benchmark and standards, so the round's folder is a self-contained project."""
    WAITING_EFFECT.update(survey=-0.08, comments=1.5)
    g = Generator(seed)
    (out / "survey").mkdir(parents=True, exist_ok=True)
    files = []
    for code, name, *_ in SITES:
        rows = g.patient_rows(code, name)
        write_csv(out / f"survey/patients_{code}.csv", rows, "utf-8")
        files.append(f"survey/patients_{code}.csv")
    shared = Path(__file__).resolve().parent
    project = yaml.safe_load((shared / "project.yaml").read_text(encoding="utf-8"))
    project["round"] = "2027-R2"
    project["surveys"] = [dict(project["surveys"][0], files=files)]
    project["transcripts"] = []
    for key in ("codebook", "benchmark", "standards"):
        (out / project[key]).write_bytes((shared / project[key]).read_bytes())
    # no staff survey this round: only the patients' free-text questions keep their polarity entries
    questions = yaml.safe_load((shared / project["questions"]).read_text(encoding="utf-8"))
    questions["free_text"] = [q for q in questions.get("free_text", []) if q["id"] in COMMENT_COLUMNS]
    (out / project["questions"]).write_text(yaml.safe_dump(questions, sort_keys=False, allow_unicode=True),
                                            encoding="utf-8")
    (out / "project.yaml").write_text(yaml.safe_dump(project, sort_keys=False, allow_unicode=True), encoding="utf-8")
    WAITING_EFFECT.update(survey=-0.30, comments=4.0)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: data_samples/)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--round2", action="store_true", help="write a second review round instead (to --out)")
    args = parser.parse_args(argv)
    if args.round2:
        generate_round2(args.out)
        print(f"wrote round 2 to {args.out}")
        return
    generate(args.out, args.seed)
    print(f"wrote the synthetic sample to {args.out}")


if __name__ == "__main__":
    main()
