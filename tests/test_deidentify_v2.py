"""De-identification on text it was not built against (issue 14): the issue's misses, phones from many
countries, hard negatives, scores for review, and floors on the frozen held-out set and real comments."""
import hashlib

import pandas as pd
import pytest

from conftest import EXTERNAL, ROOT
from pledge_analysis.text import least_certain, redact, redact_frame
from pledge_analysis.text.deidentify import counts_by_source
from pledge_analysis.text.evaluation import evaluate, load_jsonl_set, load_labelled_comments

DATA = ROOT / "benchmarks" / "data"
REAL = EXTERNAL / "pxtextmining" / "phase1_text_data.csv"
#: SHA-256 of the frozen held-out file: it must never change (regenerating it would hide a regression).
HELDOUT_SHA256 = "6b5f5b285c2cc21ee67e026e25b3cf2360a5a5672518d09df2d1cb3b3da84738"
#: SHA-256 of the third held-out set (``make_deid_sets_v3.py``, committed before this round's recognizer changes).
HELDOUT_V3_SHA256 = "940b69adba994caa415a78c44338ab97ea2d75efd69021ad77e7bd217f734c97"


def found(text):
    return [(text[s:e], label) for s, e, label in redact(text).spans]


@pytest.mark.parametrize("text,expected", [
    ("Tom I. Holzman from Predilytics", [("Tom I. Holzman", "PERSON")]),
    ("as Becker says, says Clara R. Dickson", [("Becker", "PERSON"), ("Clara R. Dickson", "PERSON")]),
    ("Stefanía K. Oddgeirsdóttir will be talking", [("Stefanía K. Oddgeirsdóttir", "PERSON")]),
    ("honestly olga krylova's nurse was great", [("olga krylova", "PERSON")]),
    ("They're not answering at 780-999-2181", [("780-999-2181", "PHONE")]),
    ("ring +41 (0)85 806 98 67 or (64) 3591-3246", [("+41 (0)85 806 98 67", "PHONE"), ("(64) 3591-3246", "PHONE")]),
])
def test_the_issues_missed_examples(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("phone", [
    "07700 900461", "+44 (0) 7700 900 461", "0044 7700 900461", "(0161) 496 0000", "01632.960.555",
    "+1 (415) 555-0132", "+1-212-555-0187", "+353 87 123 4567", "+33 6 12 34 56 78", "+49 151 2345678",
    "+91 98765 43210", "+234 803 123 4567", "+61 412 345 678", "+55 11 91234-5678", "+92 300 1234567",
    "+48 512 345 678", "+34 612 34 56 78"])
def test_phone_formats_from_several_countries(phone):
    assert found(f"Text me on {phone} please") == [(phone, "PHONE")]


@pytest.mark.parametrize("text", [
    "Fulvestrant and Olaparib, then Abemaciclib with Goserelin.",
    "We drove from Whitby to Leeds in November for the scan.",
    "Paget's disease, a Hickman line and an Oncotype DX score.",
    "The healthcare assistant, the porter and the ward sister were kind.",
    "From 2019-2021 I paid £1,250; 12.5 mg for 3-4 weeks; pain 7/10 at 10:45.",
    "Patience and kindness in August; Spring came at last.",
])
def test_hard_negatives_stay(text):
    assert found(text) == []


@pytest.mark.parametrize("text,expected", [
    ("mr okonjo was lovely and explained everything", ["okonjo"]),
    ("dr. wojcik said it was fine", ["wojcik"]),
    ("Thanks to Mrs van der Berg and Pieter de la Cruz", ["van der Berg", "Pieter de la Cruz"]),
    ("The consultant, PRIYA RAGHAVAN, explained the MRI and the CNS results.", ["PRIYA RAGHAVAN"]),
    ("hi its dorota, can u call me back", ["dorota"]),
    ("i was looked after by zanele who was great", ["zanele"]),
    ("my sister tolulope adeyemi came with me", ["tolulope adeyemi"]),
    ("mei k adeyemi rang back", ["mei k adeyemi"]),
    ("Seen by JR Menon today", ["JR Menon"]),
    ("Nkechinyere, you were wonderful.", ["Nkechinyere"]),
    ("If Roger hadn't phoned me I'd be lost", ["Roger"]),
    ("Love Claire and Travis xxx", ["Claire", "Travis"]),
    ("From all of us, thanks to Katie's team", ["Katie"]),
])
def test_name_shapes_of_the_second_round(text, expected):
    """Shapes written for this test (not taken from any evaluation set): lower-case titles and cues,
    particles, capitals, initials, vocatives; contractions and sign-off words are not part of a name."""
    assert [v for v, label in found(text)] == expected


@pytest.mark.parametrize("text", [
    "The Hart Team visited weekly and I was nominated for a Daisy award.",
    "I moved from Milton Keynes to Stoke Mandeville for radiotherapy.",
    "There was no room on Winifred 2 that night; a clinic in Preston took me.",
    "Hodgkin's was in the family. Paget's disease was ruled out.",
    "Dr XXXX was kind and Mrs xxxx rang.",
    "the nurse catheterised him and the doctor examined me",
    "An X-ray, then Tai Chi with the Red Cross volunteers during Ramadan.",
])
def test_hard_negatives_of_the_second_round(text):
    assert found(text) == []


def test_scores_let_a_reviewer_list_the_least_certain():
    df = pd.DataFrame({"segment_id": ["a", "b", "c"], "source_id": ["s1", "s1", "s2"],
                       "text": ["Dr Hughes rang 07700 900461", "honestly olga krylova", "Email jo@example.com"]})
    _, review = redact_frame(df)
    assert list(review.columns) == ["row", "source", "label", "placeholder", "start", "end", "confidence", "context",
                                    "recognizer"]
    assert set(review["recognizer"]) <= {"rules", "name_model"}
    assert review["confidence"].between(0, 1).all()
    assert least_certain(review, 2)[["row", "label"]].values.tolist() == [["b", "PERSON"], ["a", "PHONE"]]
    assert least_certain(review, below=0.6)["row"].tolist() == ["b"]
    assert counts_by_source(review) == {"s1": {"PERSON": 2, "PHONE": 1}, "s2": {"EMAIL": 1}}


def test_run_log_counts_redactions_per_source(sample_run):
    result, _out = sample_run
    by_source = result.run_log["redactions_by_source"]
    totals = {}
    for labels in by_source.values():
        for label, n in labels.items():
            totals[label] = totals.get(label, 0) + n
    assert totals == result.run_log["redactions_by_label"] and len(by_source) > 1


def test_frozen_heldout_set_is_unchanged_and_recall_holds():
    """The held-out set was written before the recognizers were changed and is never tuned on;
    floors sit a little below the measured figures (README), so a regression fails here."""
    path = DATA / "deid_heldout_v2.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == HELDOUT_SHA256
    scores = evaluate(load_jsonl_set(path)).set_index("label")
    assert scores.at["PHONE", "recall"] >= 0.98
    assert scores.at["PERSON", "recall"] >= 0.84
    assert scores.at["ALL", "precision"] >= 0.90


def test_frozen_heldout_v3_is_unchanged_and_its_generator_reproduces_it():
    """v3 was written (names composed by hand, phones from phonenumbers' example numbers of 40 regions)
    before this round's recognizer changes; the generator is seeded, so it must give the same bytes;
    recall and precision floors catch a regression."""
    import importlib.util
    import json

    path = DATA / "deid_heldout_v3.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == HELDOUT_V3_SHA256
    spec = importlib.util.spec_from_file_location("make_v3", DATA / "make_deid_sets_v3.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    items = gen.build(1, 600, 250, 150, seed=31)
    text = "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == HELDOUT_V3_SHA256
    # floors a little below the measured figures (README: PERSON 0.802, PHONE 1.00, precision 0.954)
    scores = evaluate(load_jsonl_set(path)).set_index("label")
    assert scores.at["PHONE", "recall"] >= 0.98
    assert scores.at["PERSON", "recall"] >= 0.77
    assert scores.at["ALL", "precision"] >= 0.93


@pytest.mark.skipif(not REAL.exists(), reason="../shared/external (real comments) is absent")
def test_real_comments_recall_and_precision():
    scores = evaluate(load_labelled_comments(DATA / "pxtextmining_deid_labels.csv", REAL)).set_index("label")
    assert scores.at["PERSON", "support"] == 57
    assert scores.at["PERSON", "recall"] >= 0.90
    assert scores.at["ALL", "precision"] >= 0.85


def test_ner_entities_are_added_when_a_pipeline_is_given():
    """The NER path, exercised with spaCy's own entity ruler (tests/test_ner_model.py trains a real NER): its
    PERSON entities are redacted, unless allow-listed."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Bramble"}])
    text = "Then Bramble was on the ward with me"  # not opening the sentence: a lone word there is checked
    assert redact(text).spans == []
    r = redact(text, nlp=nlp)
    assert [(text[s:e], label) for s, e, label in r.spans] == [("Bramble", "PERSON")] and r.scores == [0.7]
    assert r.recognizers == ["ner"]
    # patterns only (no trained ner): the user's own patterns are taken as they are ...
    assert redact("Bramble was on the ward with me", nlp=nlp).spans == [(0, 7, "PERSON")]
    # ... while a trained ner's lone sentence-opening word in no name list is dropped (the checks, asked for here)
    from pledge_analysis.text.deidentify import find_scored

    assert find_scored("Bramble was on the ward with me", nlp=nlp, checks=True) == []
    assert redact(text, nlp=nlp, allow=["Bramble"]).spans == []
    # the spaCy component takes the entities of a pipeline's earlier NER the same way
    from pledge_analysis.text.deidentify import add_deidentifier

    add_deidentifier(nlp)
    doc = nlp(text + ", ring 07700 900461")
    assert [(sp.text, sp.label_) for sp in doc.spans["pledge_pii"]] == [("Bramble", "PERSON"),
                                                                       ("07700 900461", "PHONE")]
