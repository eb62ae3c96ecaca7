"""Rule coder on real NHS feedback: per-theme precision / recall of ``code_segments`` (issue 17).

    python benchmarks/rule_coder_benchmark.py            # all three codebooks
    python benchmarks/rule_coder_benchmark.py --limit 2000   # a quicker look (first N comments)

**Data.** ``../shared/external/pxtextmining/phase1_text_data.csv``: 10,334 real, anonymised NHS
Friends-and-Family-style comments from three trusts, each hand-coded with ONE phase-1 theme
(``code``, e.g. ``sa`` "Attitude Of Staff"). Skipped cleanly (exit 0, a message) when the folder is
absent: it is not part of the repository and nothing from it is copied into it.

**Codebooks scored** (none changed, none tuned on this data; the rule coder is used as shipped):

1. ``framework``: the NHS framework v7 (``framework_v7_details.csv``) imported exactly as
   ``pledge-analysis init --codebook nhs-framework`` does (:func:`read_nhs_framework`). The framework
   has descriptions and examples but **no keywords**, so the rule coder cannot code anything with it:
   this row measures what a user who picks that codebook gets from ``run`` today.
2. ``framework-names``: the same codebook given keywords by one fixed mechanical recipe written before
   any score was seen (:func:`name_keywords`): the content words of each sub-category name (spaCy's
   English stop words removed); the two non-topic sub-categories "Labelling not possible" and
   "Not assigned" get none. A floor for "keywords from the framework itself", not a tuned codebook.
3. ``sample``: the sample project's ``data_samples/codebook.yaml`` (breast-cancer Service Pledge
   themes whose keywords were written with the synthetic sample's text bank). It covers only some of
   the framework categories; its figures show how sample-specific those keywords are.

**Scoring level.** Gold and predictions are compared at the level of the framework's 10 top-level
categories. Each phase-1 code is mapped to one category (:data:`PHASE1_TO_FRAMEWORK`) by reading the
phase-1 names (``datasets_phase_1_README.md``) against the v7 sub-category descriptions; codes with
no counterpart are left out of the scores (counted and printed). Predicted sub-codes roll up to their
top-level category; a sample-codebook code rolls up through :data:`SAMPLE_TO_FRAMEWORK` (unmapped
sample codes are ignored). The mappings were written before running the script and were not changed
after seeing any figure. Because each comment carries one gold theme while many comments touch
several, precision here is a lower bound (a correct second theme counts as a false positive).

Printed: per category n (gold), predicted, precision, recall, F1; micro and macro figures (macro over
the categories the codebook can predict, and over all gold categories); comments with no code at all;
for each phase-1 theme, the share of its comments whose mapped category the coder found.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = ROOT.parent / "shared" / "external" / "pxtextmining"
COMMENTS = EXTERNAL / "phase1_text_data.csv"
FRAMEWORK = EXTERNAL / "framework_v7_details.csv"
SAMPLE_CODEBOOK = ROOT / "data_samples" / "codebook.yaml"

# phase-1 code -> framework v7 top-level category id (slug of "Category", as read_nhs_framework makes it).
# Reasons in brackets refer to the v7 sub-category whose description covers the phase-1 theme.
GENERAL = "general"
STAFF = "staff"
ACCESS = "access_to_medical_care_support"
COMMS = "communication_involvement"
MENTAL = "mental_health_specifics"
JOURNEY = "patient_journey_service_coordination"
MEDS = "medication_pain"
ACTIVITIES = "activities"
ENVIRONMENT = "environment_equipment_catering"
LOCATION = "service_location_travel_transport"
PHASE1_TO_FRAMEWORK: dict[str, str | None] = {
    "aa": ACCESS,        # Access: General
    "al": LOCATION,      # Location (Service location)
    "ap": ACCESS,        # Provision of services (Timeliness of care: "availability and existence of services")
    "wa": ACCESS,        # waiting for first appt/referral (Timeliness of care: waiting times)
    "wb": ACCESS,        # waiting between appointments (Appointment arrangements: how frequently)
    "ca": ACTIVITIES,    # Activities
    "cc": GENERAL,       # Care received (Positive experience & gratitude: "Care was fantastic!")
    "ce": None,          # Emotional care: no v7 counterpart
    "cf": COMMS,         # Carer support (Interaction with family/ carers)
    "cl": GENERAL,       # Made a difference to my life (Positive experience & gratitude)
    "cm": MEDS,          # Medication (Supplying & understanding medication)
    "co": None,          # 1-2-1 care / time spent with service user: no clear counterpart
    "cp": None,          # Physical care: no v7 counterpart
    "cr": None,          # Rules/approach to care: no v7 counterpart
    "cs": COMMS,         # Advice and support (Information provision & guidance)
    "ct": None,          # Therapies: no v7 counterpart
    "mi": COMMS,         # Amount/clarity of information (Being kept informed, clarity ...)
    "ml": COMMS,         # Listening (Staff listening, understanding & involving patients)
    "mm": COMMS,         # Communication (Unspecified communication)
    "xn": GENERAL,       # Nothing to improve (Positive experience: "comments that no improvements are needed")
    "da": STAFF,         # Respect for diversity/person-centredness (Staff manner: "dignity, respect and empathy")
    "dc": COMMS,         # Involvement of family and carers (Interaction with family/ carers)
    "dd": STAFF,         # Dignity: general (Staff manner: "treated with dignity")
    "dp": COMMS,         # Involvement of service users (Staff listening ... & involving patients)
    "ds": GENERAL,       # Feeling safe including bullying (Feeling safe)
    "ec": ENVIRONMENT,   # Cleanliness (Cleanliness, tidiness & infection control)
    "ee": ENVIRONMENT,   # Environment/ facilities
    "ef": ENVIRONMENT,   # Food (Food & drink provision)
    "eq": ENVIRONMENT,   # Facilities/equipment
    "ep": LOCATION,      # Parking/transport (Parking; Transport to/ from services)
    "xe": GENERAL,       # Everything was good/bad (Positive experience & gratitude, "thin" data)
    "xf": GENERAL,       # Funding (Funding & use of financial resources)
    "xg": GENERAL,       # Nothing was good ("thin" overall sentiment)
    "xl": MENTAL,        # Leave (under MHA) (Mental Health Act)
    "xm": GENERAL,       # Miscellaneous (Not assigned)
    "xs": None,          # Surveying: no v7 counterpart
    "sa": STAFF,         # Attitude of staff (Staff manner & personal attributes)
    "sl": STAFF,         # Staffing levels (Staffing levels & responsiveness)
    "sp": STAFF,         # Professionalism/competence (Competence & training)
    "ss": STAFF,         # Staff: general
    "tc": JOURNEY,       # Consistency/continuity of care (Continuity of care)
    "ti": JOURNEY,       # Coordination/integration of care
    "tt": JOURNEY,       # Transition/ coordination: general
    "tx": JOURNEY,       # Transition and discharge (Discharge)
}

# sample codebook code (data_samples/codebook.yaml) -> framework category; None: no counterpart (ignored)
SAMPLE_TO_FRAMEWORK: dict[str, str | None] = {
    "support": COMMS, "support.hna": COMMS, "support.referral": COMMS,  # Information provision & guidance
    "support.financial": None,                                           # patients' money, not service funding
    "information": COMMS, "information.written": COMMS,
    "information.open_access": ACCESS,          # who to call / getting back in (Contacting services)
    "communication": COMMS,
    "communication.phone": ACCESS,              # Appointment method
    "communication.contact_cns": ACCESS,        # Contacting services
    "waiting": ACCESS, "waiting.clinic": ACCESS, "waiting.diagnosis": ACCESS,  # Timeliness / appointments
    "surgery": None, "aftercare": None, "palliative": None,  # clinical treatment: no v7 category
    "coordination": JOURNEY, "coordination.portal": JOURNEY,
    "staffing": STAFF,                          # Staffing levels & responsiveness
    "parity": None,                             # secondary breast cancer parity: no v7 category
    "environment": ENVIRONMENT,
    "kindness": STAFF,                          # Staff manner & personal attributes
}
NON_TOPIC = {"general.labelling_not_possible", "general.not_assigned"}


def name_keywords(codebook: pd.DataFrame) -> pd.DataFrame:
    """The codebook with each sub-category's keywords = the content words of its name (fixed recipe)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    out = codebook.copy()
    kws = []
    for code, parent, name in zip(out["code_id"], out["parent_id"], out["name"]):
        if not isinstance(parent, str) or code in NON_TOPIC:
            kws.append([])
            continue
        words = [w for w in re.findall(r"[a-z]+", str(name).lower()) if w not in STOP_WORDS and len(w) > 2]
        kws.append(list(dict.fromkeys(words)))
    out["keywords"] = kws
    return out


def top_level(codebook: pd.DataFrame) -> dict[str, str]:
    """code_id -> its top-level ancestor's code_id."""
    parent = dict(zip(codebook["code_id"], codebook["parent_id"]))
    out = {}
    for code in parent:
        c = code
        while isinstance(parent.get(c), str) and parent[c]:
            c = parent[c]
        out[code] = c
    return out


def score(gold: pd.Series, predicted: dict[int, set[str]], categories: list[str], can_predict: set[str]) -> dict:
    """Per-category and micro / macro precision, recall, F1 (gold: one category per comment)."""
    rows = []
    tp_all = fp_all = fn_all = 0
    for cat in categories:
        is_gold = gold == cat
        is_pred = pd.Series([cat in predicted.get(i, set()) for i in gold.index], index=gold.index)
        tp, fp, fn = int((is_gold & is_pred).sum()), int((~is_gold & is_pred).sum()), int((is_gold & ~is_pred).sum())
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"category": cat, "n_gold": int(is_gold.sum()), "n_predicted": tp + fp,
                     "precision": p, "recall": r, "f1": f, "can_predict": cat in can_predict})
    table = pd.DataFrame(rows)
    mp = tp_all / (tp_all + fp_all) if tp_all + fp_all else 0.0
    mr = tp_all / (tp_all + fn_all) if tp_all + fn_all else 0.0
    covered = table[table["can_predict"]]
    return {"table": table, "micro_p": mp, "micro_r": mr, "micro_f1": 2 * mp * mr / (mp + mr) if mp + mr else 0.0,
            "macro_f1_covered": float(covered["f1"].mean()) if len(covered) else 0.0,
            "macro_f1_all": float(table["f1"].mean()), "macro_p_covered": float(covered["precision"].mean())
            if len(covered) else 0.0, "macro_r_covered": float(covered["recall"].mean()) if len(covered) else 0.0}


def run_one(label: str, codebook: pd.DataFrame, to_category, segments: pd.DataFrame, gold: pd.Series,
            categories: list[str], phase1: pd.Series) -> dict:
    from pledge_analysis.coding import code_segments

    n_keywords = int(codebook["keywords"].map(lambda k: len(k or [])).sum())
    t0 = time.perf_counter()
    codings = code_segments(segments, codebook)
    seconds = time.perf_counter() - t0
    coded = codings  # negated matches ("no parking") still say what the comment is about, as in the run
    predicted: dict[int, set[str]] = {}
    any_code: set[int] = set()
    for seg, code in zip(coded["segment_id"], coded["code_id"]):
        any_code.add(int(seg))
        cat = to_category(code)
        if cat:
            predicted.setdefault(int(seg), set()).add(cat)
    can_predict = {to_category(c) for c in codebook["code_id"] if to_category(c)}
    if n_keywords == 0:
        can_predict = set()
    res = score(gold, predicted, categories, can_predict)
    hit = pd.Series([gold[i] in predicted.get(i, set()) for i in gold.index], index=gold.index)
    res["recall_by_phase1"] = hit.groupby(phase1.values).agg(["size", "mean"]).sort_values("size", ascending=False)
    res.update(label=label, n_keywords=n_keywords, seconds=seconds, n_codings=len(codings),
               no_code=len(segments) - len(any_code), n=len(segments),
               no_mapped_code=int(sum(1 for i in gold.index if not predicted.get(i))))
    return res


def report(res: dict) -> None:
    print(f"\n== {res['label']}: {res['n_keywords']} keywords, {res['n_codings']:,} codings in {res['seconds']:.0f} s")
    t = res["table"].copy()
    for c in ("precision", "recall", "f1"):
        t[c] = t[c].map(lambda v: f"{v:.3f}")
    print(t.to_string(index=False))
    print(f"micro P/R/F1 {res['micro_p']:.3f} / {res['micro_r']:.3f} / {res['micro_f1']:.3f}; "
          f"macro F1 {res['macro_f1_covered']:.3f} over the categories it can predict "
          f"(macro P {res['macro_p_covered']:.3f}, R {res['macro_r_covered']:.3f}), "
          f"{res['macro_f1_all']:.3f} over all {len(t)}")
    print(f"comments with no code at all: {res['no_code']:,} of {res['n']:,} ({res['no_code'] / res['n']:.1%}); "
          f"with no code mapped to a category: {res['no_mapped_code']:,}")
    if res["n_keywords"]:
        by = res["recall_by_phase1"]
        print("recall by phase-1 theme (its category found): "
              + ", ".join(f"{c} {m:.2f} (n={int(n)})" for c, (n, m) in by.iterrows()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="score only the first N scored comments")
    args = ap.parse_args(argv)
    if not COMMENTS.exists() or not FRAMEWORK.exists():
        print(f"skipped: the pxtextmining reference data is not at {EXTERNAL} (not part of the repository).")
        return 0
    from pledge_analysis.coding.codebook import read_codebook
    from pledge_analysis.coding.codebook_ops import read_nhs_framework

    raw = pd.read_csv(COMMENTS)
    unknown = sorted(set(raw["code"].dropna()) - set(PHASE1_TO_FRAMEWORK))
    if unknown:
        raise SystemExit(f"phase-1 codes missing from PHASE1_TO_FRAMEWORK: {unknown}; add them to the mapping.")
    raw["category"] = raw["code"].map(PHASE1_TO_FRAMEWORK)
    left_out = raw[raw["category"].isna()]
    scored = raw[raw["category"].notna()].reset_index(drop=True)
    if args.limit:
        scored = scored.head(args.limit)
    print(f"{len(raw):,} phase-1 comments; {len(left_out):,} left out (theme with no v7 counterpart: "
          + ", ".join(f"{c} {n}" for c, n in left_out["code"].value_counts().items())
          + f"); {len(scored):,} scored ({int(scored['feedback'].isna().sum())} of them empty)")
    segments = pd.DataFrame({"segment_id": scored.index, "text": scored["feedback"].fillna("").astype(str)})
    gold, phase1 = scored["category"], scored["code"]
    framework = read_nhs_framework(FRAMEWORK)
    categories = [c for c in framework.loc[~framework["parent_id"].map(lambda p: isinstance(p, str)), "code_id"]
                  if (gold == c).any()]
    fw_top = top_level(framework)
    sample = read_codebook(SAMPLE_CODEBOOK)
    missing = sorted(set(sample["code_id"]) - set(SAMPLE_TO_FRAMEWORK))
    if missing:
        raise SystemExit(f"sample codebook codes missing from SAMPLE_TO_FRAMEWORK: {missing}")
    print("gold categories: " + ", ".join(f"{c} {int((gold == c).sum())}" for c in categories))
    results = [
        run_one("framework (as imported by init --codebook nhs-framework)", framework, fw_top.get,
                segments, gold, categories, phase1),
        run_one("framework-names (keywords = content words of sub-category names)", name_keywords(framework),
                fw_top.get, segments, gold, categories, phase1),
        run_one("sample (data_samples/codebook.yaml, mapped to v7 categories)", sample, SAMPLE_TO_FRAMEWORK.get,
                segments, gold, categories, phase1),
    ]
    for res in results:
        report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
