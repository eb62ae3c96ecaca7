"""Rebuild the statistical name recognizer's weights, ``pledge_analysis/resources/name_model.npz``.

    python tools/build_name_model.py [--out PATH]

Training text: the real comments of ``../shared/external/pxtextmining/phase1_text_data.csv`` that are in
**neither** hand-labelled sample (``benchmarks/data/pxtextmining_deid_labels.csv`` and
``pxtextmining_deid_dev_labels.csv``: their rows are excluded), never any evaluation set. Examples, one per
candidate word (:func:`pledge_analysis.text.name_model.candidates`):

- each real comment as it is: the words the PERSON rules mark are names (staff first names in real
  comments *are* names), every other candidate is a realistic hard negative (ward and clinic names,
  drugs, places, job titles, sentence-initial words);
- the same comments with the names the rules found swapped for Faker names (real contexts of names);
- real comments with a Faker name (first names and surnames of every Faker person locale, ~80) put in
  place of "the nurse", "she", "the doctor" ... or in a clause added at a sentence end, in many shapes
  (first name, full name, initial and surname, surname after a role or title, lists, lower case,
  possessives);
- hard negatives put into real comments: UK towns that are also surnames, drugs and brands, wards
  named after people or plants, and Welsh and Polish comments (hand-written here; the tests use others).

Half of the Faker name words (by a hash) are hidden from the gazetteer features while training, so the
model learns what a name *unknown* to the gazetteers looks like. Deterministic (seed 14); about 20-30 s CPU.
The script prints the file's SHA-256: put it in ``name_model.MODEL_SHA256``.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL = ROOT.parent / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"
LABELS = [ROOT / "benchmarks" / "data" / "pxtextmining_deid_labels.csv",
          ROOT / "benchmarks" / "data" / "pxtextmining_deid_dev_labels.csv"]
SEED = 14

WELSH = [
    "Diolch yn fawr iawn i bawb yn yr ysbyty.", "Roedd y staff yn garedig iawn ac yn siarad Cymraeg.",
    "Gwasanaeth ardderchog, diolch o galon.", "Hoffwn gael gwybodaeth yn Gymraeg os gwelwch yn dda.",
    "Mae'r nyrsys yn wych ac yn gefnogol.", "Roedd yr aros yn hir ond roedd y gofal yn dda.",
    "Dim byd i'w wella, roedd popeth yn berffaith.", "Cefais fy nhrin gyda pharch ac urddas.",
    "Byddai'n braf cael mwy o le parcio.", "Roedd y meddyg yn esbonio popeth yn glir.",
    "Siaradodd y nyrs â fi yn Gymraeg a gwnaeth hynny wahaniaeth mawr.", "Bwyd da, ward lân, staff hyfryd.",
    "Ni chefais lythyr am fy apwyntiad.", "Roedd Canolfan y Fron yn groesawgar.",
    "Gofal gwych o'r dechrau i'r diwedd.", "Mae angen mwy o Feddygon Teulu yn yr ardal.",
    "Roedd Uned y Fron ym Mangor yn lân ac yn dawel.", "Cefais Wasanaeth Cymraeg ar y ffôn.",
]
POLISH = [
    "Bardzo dziękuję całemu personelowi za opiekę.", "Pielęgniarki były bardzo miłe i pomocne.",
    "Lekarz wszystko dokładnie wyjaśnił.", "Czekałam bardzo długo na wyniki badań.",
    "Potrzebowałam tłumacza, ale nikt nie przyszedł.", "Jedzenie było zimne, a parking za drogi.",
    "Opieka była wspaniała, polecam ten szpital.", "Nie dostałam listu o wizycie.",
    "Dziękuję za cierpliwość i życzliwość.", "Wszystko było w porządku, nic bym nie zmieniła.",
    "Proszę o informacje po polsku.", "Rejestracja była nieuprzejma, ale Pielęgniarka pomogła.",
    "Po operacji czułam się bezpiecznie.", "Chemioterapia była ciężka, ale Zespół bardzo wspierał.",
    "Moja córka tłumaczyła za mnie.", "Szpital był Czysty, a Personel Życzliwy.",
]
TOWNS = ["Chester", "Chelmsford", "Lancaster", "Bradford", "Wigan", "Swindon", "Luton", "Preston", "Carlisle",
         "Durham", "Bangor", "Wrexham", "Aberystwyth", "Llanelli", "Harrogate", "Tamworth", "Stafford", "Kendal",
         "Barnsley", "Rotherham", "Doncaster", "Halifax", "Huddersfield", "Bolton", "Oldham", "Stockport",
         "Warrington", "Crewe", "Shrewsbury", "Telford", "Hereford", "Worcester", "Gloucester", "Cheltenham",
         "Taunton", "Exeter", "Truro", "Plymouth", "Salisbury", "Basingstoke", "Reading", "Watford", "Stevenage",
         "Colchester", "Ipswich", "Norwich", "Lincoln", "Grimsby", "Darlington", "Hartlepool", "Sunderland",
         "Gateshead", "Morpeth", "Hexham", "Kirkcaldy", "Dundee", "Inverness", "Paisley", "Kingston", "Bury"]
DRUGS = ["Zoladex", "Arimidex", "Femara", "Aromasin", "Nolvadex", "Kisqali", "Ibrance", "Verzenios", "Neulasta",
         "Filgrastim", "Fragmin", "Clexane", "Ondansetron", "Metoclopramide", "Dexamethasone", "Omeprazole",
         "Lansoprazole", "Sertraline", "Citalopram", "Amitriptyline", "Gabapentin", "Pregabalin", "Tramadol",
         "Morphine", "Epirubicin", "Cyclophosphamide", "Carboplatin", "Eribulin", "Fulvestrant", "Goserelin",
         "Tamoxifen", "Letrozole", "Herceptin", "Oramorph", "Piriton", "Senna", "Emla", "Ametop", "Betadine"]
WARDS = ["Nightingale", "Seacole", "Cavell", "Victoria", "Albert", "Rowan", "Willow", "Cedar", "Maple",
         "Lavender", "Primrose", "Bluebell", "Holly", "Jasmine", "Kingfisher", "Robin", "Wren", "Harvey",
         "Jenner", "Lister", "Fleming", "Osler", "Curie", "Windsor", "Beatrice", "Churchill", "Pankhurst"]
NEG_CLAUSES = ["I was put on {D} after surgery.", "{D} made me feel sick.", "We moved to {T} last year.",
               "{T} hospital was much closer for us.", "The {W} Ward was clean and quiet.",
               "I was on {W} ward for three nights.", "Parking at {T} is a nightmare.",
               "They switched me from {D} to {D2}.", "{W} Unit staff were kind.", "The drive from {T} took an hour.",
               "Travelling to {T} and {T2} for scans was hard.", "The {W} Suite needs new chairs.",
               "I drove down from {T} every day.", "We came in from {T} on the bus.", "Out of {T} at last.",
               "My mum had {E}'s disease.", "{E}'s syndrome runs in the family.", "It was like {E}'s palsy.",
               "The Duchess of {T} unit is old.", "{T} and {T2} both offered me dates.",
               "Registrar and Sonographer were both kind.", "The Porter took me down."]
EPONYMS = ["Paget", "Hodgkin", "Crohn", "Parkinson", "Alzheimer", "Addison", "Cushing", "Raynaud", "Bell",
           "Graves", "Hashimoto", "Cowden", "Lynch", "Mondor", "Poland", "Tietze", "Sjogren", "Huntington"]
ROLES = ["nurse", "Nurse", "Dr", "Dr.", "Sister", "CNS", "physio", "HCA", "radiographer", "consultant",
         "Mr", "Mrs", "Ms", "receptionist", "surgeon", "Prof", "matron", "dietitian", "porter", "my nurse"]
FAMILY = ["my daughter", "my husband", "my son", "my sister", "my partner", "my mum", "my friend", "my wife"]
CLAUSES = ["Thanks to {N}.", "Special thanks to {N} and {N2}.", "{N} was brilliant.", "{N} was so kind to me.",
           "Please pass on my thanks to {N}.", "I was seen by {N}.", "{N} rang me back the same day.",
           "Ask for {N}, she is great.", "{N} from the breast unit sorted it.", "Shout out to {N}!",
           "cheers {n}", "big thanks {n} x", "{F} on reception was lovely.", "{R} {L} explained everything.",
           "{N}'s team were great.", "According to {N} it would be quick.", "As {L} said, it takes time.",
           "\"It will be fine\", said {L}.", "{F}, {F2} and {F3} all helped.", "Nobody told {N} I was here.",
           "I asked {N} about it.", "{FAM} {F} came with me.", "{R} {F} held my hand.", "thank you {n}!",
           "{N} and {R} {L} were amazing.", "I spoke to {N} twice.", "{N} - what a star.", "love to {n} xx",
           "Without {N} I would have given up.", "{L} is the best.", "Later {N} came to see me."]
SUBST = re.compile(r"\b(?:the|my|a|one|this|that) (?:nurse|doctor|consultant|surgeon|receptionist|lady|gentleman|"
                   r"man|woman|radiographer|staff member|member of staff|girl|chap|person|physio)\b"
                   r"|\b(?:she|he|She|He)\b(?! (?:is|was) (?:a|an|the)\b)")


def _faker_names() -> tuple[list[str], list[str]]:
    """First names and surnames (Latin script, as written) of every Faker person locale."""
    import importlib

    from pledge_analysis.text.names import _latin, _locales

    first, last = set(), set()
    for loc in _locales():
        try:
            provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:
            continue
        for attrs, into in ((("first_names", "first_names_male", "first_names_female", "first_romanized_names"), first),
                            (("last_names", "last_romanized_names", "last_names_male", "last_names_female"), last)):
            for attr in attrs:
                values = getattr(provider, attr, ())
                if isinstance(values, dict):
                    values = list(values.keys())
                if not isinstance(values, (list, tuple, set, frozenset)):
                    continue
                values = list(values) + [v.capitalize() for v in _latin(values)]
                into |= {v for v in values if isinstance(v, str) and v.replace("-", "").replace("'", "").isalpha()
                         and all(ord(c) < 0x250 for c in v) and len(v) > 1}
    return sorted(first), sorted(last)


def _hidden(word: str) -> bool:
    return zlib.crc32(word.lower().encode()) % 2 == 1


def training_comments(real=REAL, labels=LABELS) -> list[str]:
    """The real comments the model is built from: every distinct one of 4+ characters whose row is in neither
    labelled sample (the texts of those rows are left out even where another row repeats them)."""
    import pandas as pd

    df = pd.read_csv(real).dropna(subset=["feedback"])
    exclude = set()
    for path in labels:
        exclude |= set(pd.read_csv(path)["row_index"].astype(int))
    held = set(df.loc[df["row_index"].isin(exclude), "feedback"].astype(str))
    return sorted({str(t) for t in df.loc[~df["row_index"].isin(exclude), "feedback"]
                   if len(str(t)) > 3 and str(t) not in held})


def _write_npz(path: Path, **arrays) -> None:
    """``numpy.savez_compressed`` with fixed timestamps, so the same weights give the same bytes (and hash)."""
    import io
    import zipfile

    import numpy as np

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(arr), allow_pickle=False)
            zf.writestr(zipfile.ZipInfo(name + ".npy", date_time=(2026, 1, 1, 0, 0, 0)), buf.getvalue(),
                        compress_type=zipfile.ZIP_DEFLATED)


def main(argv=None) -> int:
    import numpy as np
    import pandas as pd
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from pledge_analysis.text import name_model as nm
    from pledge_analysis.text.deidentify import Options, _allowed_ranges, find_scored
    from pledge_analysis.text.names import _probabilities, common_words, gazetteers

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(nm.MODEL_FILE))
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength (chosen on the dev sets)")
    args = ap.parse_args(argv)
    if not REAL.exists():
        print(f"{REAL} is absent: the name model is built from those real comments", file=sys.stderr)
        return 2
    t0, c0 = time.perf_counter(), time.process_time()
    rng = random.Random(SEED)
    comments = training_comments()
    rng.shuffle(comments)
    first_all, last_all = _faker_names()
    gfirst, glast = gazetteers()
    lex = (frozenset(w for w in gfirst if not _hidden(w)), frozenset(w for w in glast if not _hidden(w)),
           common_words(), _probabilities())
    opts = Options.make(name_model=False)
    rows, cols, ys = [], [], []

    def pick_first():
        return rng.choice(first_all)

    def pick_last():
        return rng.choice(last_all)

    def a_name() -> str:
        f, l = pick_first(), pick_last()
        shape = rng.random()
        if shape < 0.3:
            return f
        if shape < 0.55:
            return f"{f} {l}"
        if shape < 0.65:
            return f"{f} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {l}"
        if shape < 0.72:
            return f"{rng.choice('ABCDEFGHJKLMNPRSTW')}{rng.choice(['.', ''])} {l}"
        if shape < 0.85:
            return f"{rng.choice(ROLES)} {rng.choice([f, l])}"
        return l

    def add(text: str, names: list[tuple[int, int]]):
        """One example per candidate word of ``text``; ``names``: where the planted (or known) names are."""
        found = find_scored(text, opts)
        rule = [(s, e) for s, e, label, _sc in found if label == "PERSON"]
        taken = [(s, e) for s, e, label, _sc in found if label != "PERSON"] + _allowed_ranges(text, opts.allow)
        toks, cand = nm.candidates(text, taken, lex)
        near = {i for i, (s, e, _w) in enumerate(toks) if any(a < e and s < b for a, b in rule)}
        for i, (s, e, _w) in enumerate(toks):
            in_name = any(a < e and s < b for a, b in names)
            in_rule = i in near
            if i not in cand and not (in_rule and nm._is_cap(_w)):
                continue
            y = 1 if (in_name or (in_rule and not names)) else 0
            if in_rule and names and not in_name:
                continue  # a rule hit in a planted text: not known either way
            feats = nm.token_features(text, toks, i, near - {i}, lex)
            idx = sorted({nm._index(f) for f in feats})
            rows.extend([len(ys)] * len(idx))
            cols.extend(idx)
            ys.append(y)

    def plant(text: str, template: str) -> tuple[str, list[tuple[int, int]]]:
        spans, out, pos = [], [], 0
        low = rng.random() < 0.15
        for m in re.finditer(r"\{(\w+)\}", template):
            out.append(template[pos:m.start()])
            key = m.group(1)
            if key in ("N", "N2"):
                v = a_name()
            elif key in ("n",):
                v = a_name().lower()
            elif key.startswith("F"):
                v = pick_first()
            elif key == "L":
                v = pick_last()
            elif key == "R":
                v = rng.choice(ROLES)
            elif key == "FAM":
                v = rng.choice(FAMILY)
            else:
                v = key
            if low and key not in ("R", "FAM"):
                v = v.lower()
            start = len(text) + sum(len(x) for x in out)
            out.append(v)
            if key not in ("R", "FAM"):
                # the name words, without a role or title inside a_name's "Dr Okafor"
                for w in re.finditer(r"[^\W\d_][\w'’-]*", v):
                    if w.group(0).strip(".").lower() not in {r.lower().strip(".") for r in ROLES} | {"my"}:
                        spans.append((start + w.start(), start + w.end()))
            pos = m.end()
        out.append(template[pos:])
        return text + "".join(out), spans

    n_real = len(comments)
    for text in comments:  # 1. real comments as they are
        add(text, [])
    for k, text in enumerate(comments):  # 2. names planted in real comments
        m = SUBST.search(text) if k % 3 else None
        if m:
            name = a_name()
            if rng.random() < 0.15:
                name = name.lower()
            new = text[:m.start()] + name + text[m.end():]
            spans = [(m.start() + w.start(), m.start() + w.end()) for w in re.finditer(r"[^\W\d_][\w'’-]*", name)
                     if w.group(0).strip(".").lower() not in {r.lower().strip(".") for r in ROLES}]
            add(new, spans)
        else:
            sep = "" if text.endswith((" ", "\n")) else rng.choice([" ", ". ", " - ", "\n"])
            add(*plant(text + sep, rng.choice(CLAUSES)))
    for text in comments:  # 2b. the real names the rules found, swapped for Faker names (real contexts)
        found = [sp for sp in find_scored(text, opts) if sp[2] == "PERSON"]
        if not found:
            continue
        out, spans, pos = [], [], 0
        for s, e, _label, _sc in found:
            words = text[s:e].split()
            new = " ".join([pick_first()] + [pick_last() for _ in words[1:]]) if words[0][0].isupper() else \
                " ".join([pick_first().lower()] + [pick_last().lower() for _ in words[1:]])
            out.append(text[pos:s])
            start = sum(len(x) for x in out)
            out.append(new)
            spans.append((start, start + len(new)))
            pos = e
        out.append(text[pos:])
        add("".join(out), spans)
    for k in range(n_real // 3):  # 3. hard negatives in real comments, Welsh and Polish comments
        text = comments[k]
        clause = rng.choice(NEG_CLAUSES).format(D=rng.choice(DRUGS), D2=rng.choice(DRUGS), T=rng.choice(TOWNS),
                                                T2=rng.choice(TOWNS), W=rng.choice(WARDS), E=rng.choice(EPONYMS))
        add(text + " " + clause, [])
    for k in range(600):
        lang = WELSH if k % 2 else POLISH
        text = " ".join(rng.sample(lang, rng.randint(1, 3)))
        add(text if k % 3 else comments[k] + " " + text, [])
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(ys), nm.N_FEATURES))
    y = np.asarray(ys)
    clf = LogisticRegression(C=args.C, max_iter=2000, solver="liblinear")
    clf.fit(x, y)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_npz(out, weights=clf.coef_[0].astype(np.float16), bias=np.float64(clf.intercept_[0]),
               version=np.int64(nm.MODEL_VERSION), n_features=np.int64(nm.N_FEATURES))
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{len(ys):,} candidate words ({int(y.sum()):,} names) from {n_real:,} real comments outside both "
          f"labelled samples; {out} ({out.stat().st_size / 1024:.0f} KB) in {time.perf_counter() - t0:.1f} s wall, "
          f"{time.process_time() - c0:.1f} s CPU\nSHA-256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
