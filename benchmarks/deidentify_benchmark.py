"""De-identification benchmark: quality per label on four sets, and throughput.

    python benchmarks/deidentify_benchmark.py            # everything
    python benchmarks/deidentify_benchmark.py --quick    # quality only
    python benchmarks/deidentify_benchmark.py --speed    # throughput only
    python benchmarks/deidentify_benchmark.py --ner-model /tmp/ner_model/train/model-best   # + a trained NER
    python benchmarks/deidentify_benchmark.py --v6 [--ner-model ...]   # the sixth held-out set only, per kind
    python benchmarks/deidentify_benchmark.py --v7 [--ner-model ...]   # the seventh held-out set only, per kind
    python benchmarks/deidentify_benchmark.py --v8 [--ner-model ...]   # the eighth held-out set only, per kind

Sets, from least to most honest:

1. first development set (``make_eval_set``): the templates the first recognizers were built against;
2. first held-out set (``make_heldout_set``): new templates, but each with a matching cue (issue 19);
3. **second held-out set** ``benchmarks/data/deid_heldout_v2.jsonl`` (1,000 items): written before the
   issue-14 changes, in other registers, with names from many cultures and international phones;
   frozen and never used for tuning (``deid_dev_v2.jsonl`` is its tuning half);
3b. **third held-out set** ``benchmarks/data/deid_heldout_v3.jsonl`` (1,000 items): written before the
   second round of issue-14 changes, from other registers, hand-composed name lists (not Faker) and
   phones generated from ``phonenumbers`` example numbers of 40 regions; ``deid_dev_v3.jsonl`` is its
   tuning half;
3d. **fifth held-out set** ``benchmarks/data/deid_heldout_v5.jsonl`` (1,000 items): written before the
   fourth round (the statistical name recognizer, :mod:`pledge_analysis.text.name_model`): clauses joined as
   people write, names of 12 other naming-culture groups; ``deid_dev_v5.jsonl`` is its tuning half;
3c. **fourth held-out set** ``benchmarks/data/deid_heldout_v4.jsonl`` (1,000 items): written before the
   third round (v3 had been scored several times by then): other registers (Friends-and-Family feedback,
   ward notes, complaints with titles, all-lower chat and ALL-CAPS complaints, initials), hand-composed
   names of 13 other naming-culture groups, valid random phones of the UK and 14 countries (some in
   national form); ``deid_dev_v4.jsonl`` is its tuning half;
3e. **sixth held-out set** ``benchmarks/data/deid_heldout_v6.jsonl`` (1,100 items, held-out only): written
   and committed before it was scored, by a helper who read no recognizer output
   (``make_deid_heldout_v6.py``): whole comments in one voice each, in 15 item kinds (thanks, complaints,
   text messages, rambling, staff lists, lower case, initials, multi-part surnames, nicknames, names that
   are words, names next to ward/place/drug words, staff notes, UK and foreign phones, negatives with
   capitalised non-names), names of 11 naming-culture groups none of v2-v5 centres on; scored per kind
   too (:func:`v6_per_kind`). Scored once with the recognizers as they were; then read item by item as the
   **development data of the eighth round** (issue 14), so its figures after that round are re-used-set figures;
3f. **seventh held-out set** ``benchmarks/data/deid_heldout_v7.jsonl`` (1,150 items, held-out only): written
   and frozen (SHA-256 in ``tests/test_deidentify_v7.py``) before anything scored it, by a helper who ran no
   recognizer on it (``make_deid_heldout_v7.py``): long letters with paragraphs, carers writing on behalf,
   focus-group transcripts with speaker labels, feedback-form answers under headings, emails with sign-offs,
   quoted text messages, English mixed with a few words of another language, lower case, initials,
   possessives, nicknames, word names, Kaur/Singh and double-barrelled names, UK and foreign phones,
   negatives with many capitalised non-names; names of 14 groups with no word shared with the v2-v6 lists.
   Scored once, with ``--v7`` (overall and per kind, :func:`v7_per_kind`), at the end of the round it was
   written for; then read item by item as the **development data of the ninth round**, and since then scored in
   the full run too, as a development set;
3g. **eighth held-out set** ``benchmarks/data/deid_heldout_v8.jsonl`` (1,135 items, held-out only): written
   and frozen (SHA-256 in ``tests/test_deidentify_v8.py``) before anything scored it, by a helper who ran no
   recognizer on it (``make_deid_heldout_v8.py``): online reviews with star ratings and headings, PALS
   complaint records, WhatsApp group-chat exports (some senders shown as numbers), compliments-book entries,
   survey "any other comments" fragments, staff handover notes with NHS numbers, dictated speech-to-text in
   lower case without punctuation, English as a second language, initials, lower case, possessives,
   nicknames, word names, misspelt names, names split across a line break, UK and foreign phones, phones
   written in words, negatives with many capitalised non-names; names of 13 groups with no word shared with
   the v2-v7 lists but "ap". Scored **only** with ``--v8`` (overall and per kind, :func:`v8_per_kind`), once, by the lead;
4. **real comments**: 329 hand-labelled *development* comments (``pxtextmining_deid_dev_labels.csv``; the
   name model's threshold was chosen on them) and 411 hand-labelled comments of pxtextmining phase 1 (``../shared/external``; skipped
   when absent), labels in ``benchmarks/data/pxtextmining_deid_labels.csv``: PERSON recall *and*
   precision on real text (over-redaction ruins analysis).

Each set is scored with the rules only (``name_model=False``) and with the default (rules + name model).
``--ner-model NAME_OR_PATH`` (an installed spaCy package or a folder, loaded as project.yaml's
``deidentify: {ner_model:}`` is, :func:`pledge_analysis.text.ner_model.load_ner_model`) adds two more ways:
rules + NER (``name_model=False``) and rules + name model + NER. The NER ways are scored only on the sets
the NER was not trained on (``tools/train_ner_model.py`` trains on the first development set, the v2-v5 dev
halves and the 329 real dev comments). A PERSON summary table (recall, precision per set and way) ends the
quality part. Throughput: ``redact_frame`` on the sample project's comments and on the 10,302 real comments,
each way; CPU comments/s (``time.process_time``) as well as wall, with the load average.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd

from pledge_analysis.text import redact_frame
from pledge_analysis.text.evaluation import (evaluate, load_jsonl_set, load_labelled_comments, make_eval_set,
                                             make_heldout_set)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
REAL = ROOT.parent / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"
TARGETS = {"PHONE": 0.98, "PERSON": 0.90}
V6 = DATA / "deid_heldout_v6.jsonl"
V6_NAME = "v6 set (1,100 items; frozen before it was scored once, then development data of the eighth round)"
#: The seventh held-out set: scored once by the lead at the end of session 10, then released as development data
#: of the ninth round (read item by item), so the full run scores it too, as a development set.
V7 = DATA / "deid_heldout_v7.jsonl"
V7_NAME = "v7 set (1,150 items; frozen before it was scored once, then development data of the ninth round)"
#: The eighth held-out set; scored only by ``--v8`` (never by the full run), once, by the lead.
V8 = DATA / "deid_heldout_v8.jsonl"


def sets() -> list[tuple[str, list]]:
    out = [("first development set (2,000 items; built against)", make_eval_set(2000, seed=0)),
           ("first held-out set (1,000 items; cues match its templates)", make_heldout_set(1000, seed=1)),
           ("v2 dev set (600 items; tuned on)", load_jsonl_set(DATA / "deid_dev_v2.jsonl")),
           ("v2 HELD-OUT set (1,000 items; frozen, never tuned on)", load_jsonl_set(DATA / "deid_heldout_v2.jsonl")),
           ("v3 dev set (600 items; tuned on)", load_jsonl_set(DATA / "deid_dev_v3.jsonl")),
           ("v3 HELD-OUT set (1,000 items; frozen, never tuned on, but scored in several rounds)",
            load_jsonl_set(DATA / "deid_heldout_v3.jsonl")),
           ("v4 dev set (620 items; tuned on)", load_jsonl_set(DATA / "deid_dev_v4.jsonl")),
           ("v4 HELD-OUT set (1,000 items; frozen, never tuned on)", load_jsonl_set(DATA / "deid_heldout_v4.jsonl")),
           ("v5 dev set (600 items; tuned on)", load_jsonl_set(DATA / "deid_dev_v5.jsonl")),
           ("v5 HELD-OUT set (1,000 items; frozen before the name model, never tuned on)",
            load_jsonl_set(DATA / "deid_heldout_v5.jsonl")),
           (V6_NAME, load_jsonl_set(V6)),
           (V7_NAME, load_jsonl_set(V7))]
    if REAL.exists():
        out.append(("REAL dev comments (329 hand-labelled pxtextmining comments; thresholds chosen on them)",
                    load_labelled_comments(DATA / "pxtextmining_deid_dev_labels.csv", REAL)))
        out.append(("REAL comments (411 hand-labelled pxtextmining comments; never tuned on)",
                    load_labelled_comments(DATA / "pxtextmining_deid_labels.csv", REAL)))
    else:
        print(f"(skipping the real-comment evaluation: {REAL} is absent)")
    return out


#: Sets the NER of tools/train_ner_model.py is trained on (its ways are not scored there).
NER_TRAINED_ON = ("first development set", "v2 dev set", "v3 dev set", "v4 dev set", "v5 dev set", "REAL dev comments")


def ways(nlp=None) -> list[tuple[str, dict]]:
    """The ways de-identification is scored: ``(name, redact options)``."""
    out = [("rules only", {"name_model": False}), ("rules + name model (default)", {})]
    if nlp is not None:
        out += [("rules + NER", {"name_model": False, "nlp": nlp}), ("rules + name model + NER", {"nlp": nlp})]
    return out


def _ner(argv) -> object | None:
    if "--ner-model" not in argv:
        return None
    from pledge_analysis.text.ner_model import load_ner_model

    nlp = load_ner_model(argv[argv.index("--ner-model") + 1], key="--ner-model")
    print(f"trained NER: {nlp.meta['pledge_ner_model']}")
    return nlp


def quality(nlp=None) -> None:
    summary = []
    for name, items in sets():
        for how, kw in ways(nlp):
            if "nlp" in kw and name.startswith(NER_TRAINED_ON):
                continue
            scores = evaluate(items, **kw)
            scores = scores[(scores["support"] > 0) | (scores["predicted"] > 0)]
            print(f"\n{name} [{how}]")
            print(scores.to_string(index=False))
            s = scores.set_index("label")
            for label, target in TARGETS.items():
                if label in s.index and s.at[label, "support"]:
                    r = s.at[label, "recall"]
                    print(f"  recall {label:<7} {r:.3f}  target >= {target}  {'ok' if r >= target else 'MISSED'}")
            p = s.at["ALL", "precision"]
            print(f"  precision overall {p:.3f}  target >= 0.90  {'ok' if p >= 0.9 else 'MISSED'}")
            if "PERSON" in s.index:
                summary.append({"set": name.split(" (")[0], "way": how, "support": s.at["PERSON", "support"],
                                "recall": s.at["PERSON", "recall"], "precision": s.at["PERSON", "precision"]})
    if nlp is None:
        print("\n(no --ner-model given: NER-assisted figures not measured)")
    print("\nPERSON, per set and way:")
    print(pd.DataFrame(summary).to_string(index=False))


def v6_per_kind(nlp=None) -> pd.DataFrame:
    """PERSON and PHONE recall / precision on the sixth held-out set, overall and per item ``kind``, each way
    (the columns of :func:`per_kind`)."""
    return per_kind(V6, nlp)


def v7_per_kind(nlp=None) -> pd.DataFrame:
    """The same table as :func:`v6_per_kind` for the seventh held-out set (``--v7``)."""
    return per_kind(V7, nlp)


def v8_per_kind(nlp=None) -> pd.DataFrame:
    """The same table as :func:`v6_per_kind` for the eighth held-out set (``--v8``)."""
    return per_kind(V8, nlp)


def per_kind(path: Path, nlp=None) -> pd.DataFrame:
    """PERSON and PHONE recall / precision on a JSONL set with item ``kind``s, overall and per kind, each way.

    Columns: ``way, kind, items, PERSON_support, PERSON_recall, PERSON_predicted, PERSON_precision,
    PHONE_support, PHONE_recall, PHONE_predicted, PHONE_precision`` (precision counts every predicted span of
    the label, so a PERSON found in a negative item lowers PERSON precision of the ``negative`` kind).
    """
    import json

    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    groups = {"ALL": rows}
    for r in rows:
        groups.setdefault(r["kind"], []).append(r)
    out = []
    for how, kw in ways(nlp):
        for kind, rs in groups.items():
            scores = evaluate([(r["text"], [tuple(sp) for sp in r["spans"]]) for r in rs], **kw).set_index("label")
            row = {"way": how, "kind": kind, "items": len(rs)}
            for label in ("PERSON", "PHONE"):
                row[f"{label}_support"] = int(scores.at[label, "support"])
                row[f"{label}_recall"] = scores.at[label, "recall"]
                row[f"{label}_predicted"] = int(scores.at[label, "predicted"])
                row[f"{label}_precision"] = scores.at[label, "precision"]
            out.append(row)
    return pd.DataFrame(out)


def throughput(nlp=None) -> None:
    from pledge_analysis.config import ProjectConfig
    from pledge_analysis.io import load_questions
    from pledge_analysis.pipeline import ingest

    cfg = ProjectConfig.load(ROOT / "data_samples")
    segs = ingest(cfg, load_questions(cfg.questions)).segments
    big = pd.concat([segs] * 7, ignore_index=True)  # ~22,000 comments and turns
    redact_frame(big.head(50))  # warm the gazetteers
    t, c = time.perf_counter(), time.process_time()
    redact_frame(big)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f"\nthroughput on the sample's comments x7: {len(big):,} texts in {dt:.1f} s = {len(big) / dt:,.0f} texts/s "
          f"wall, {len(big) / dc:,.0f} texts/s CPU (target >= 1,000/s)")
    if REAL.exists():
        real = pd.read_csv(REAL).rename(columns={"feedback": "text"}).dropna(subset=["text"])
        for how, kw in ways(nlp):
            redact_frame(real.head(50), id_column=None, source_column=None, **kw)  # warm up
            t, c = time.perf_counter(), time.process_time()
            _, review = redact_frame(real, id_column=None, source_column=None, **kw)
            dt, dc = time.perf_counter() - t, time.process_time() - c
            print(f"real NHS feedback [{how}]: {len(real):,} comments in {dt:.1f} s = {len(real) / dt:,.0f} "
                  f"comments/s wall, {len(real) / dc:,.0f} comments/s CPU (load {os.getloadavg()[0]:.1f}); "
                  f"recognizers: {review['recognizer'].value_counts().to_dict()}")
            if how.startswith("rules + name model (default)"):
                counts = review["label"].value_counts()
        print("redactions on all real comments (default way), per 1,000 comments:")
        for label, n in counts.items():
            print(f"  {label:<10} {1000 * n / len(real):5.1f}")


if __name__ == "__main__":
    ner = _ner(sys.argv)
    for flag, table in (("--v6", v6_per_kind), ("--v7", v7_per_kind), ("--v8", v8_per_kind)):
        if flag in sys.argv:
            if ner is None:
                print("(no --ner-model given: the NER ways are not measured)")
            with pd.option_context("display.width", 250, "display.max_columns", 20):
                print(table(ner).to_string(index=False))
            sys.exit(0)
    if "--speed" not in sys.argv:
        quality(ner)
    if "--quick" not in sys.argv:
        throughput(ner)
