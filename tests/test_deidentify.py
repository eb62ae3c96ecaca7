"""De-identification: each recognizer, hard negatives, malformed input, tables and review."""
import re

import pandas as pd
import pytest

from pledge_analysis.errors import ConfigError
from pledge_analysis.text import load_nlp, redact, redact_frame, sentences
from pledge_analysis.text.deidentify import nhs_number_valid


def labels(text, **kw):
    r = redact(text, **kw)
    return [(text[s:e], label) for s, e, label in r.spans]


@pytest.mark.parametrize("text,expected", [
    ("Sister Jane Okafor was wonderful", [("Jane Okafor", "PERSON")]),
    ("dr chen explained everything", [("chen", "PERSON")]),
    ("My nurse Fiona was lovely", [("Fiona", "PERSON")]),
    ("Please thank Mei Chen from the unit", [("Mei Chen", "PERSON")]),
    ("Aisha McAllister was amazing", [("Aisha McAllister", "PERSON")]),
    ("Mr Whitfield did my reconstruction", [("Whitfield", "PERSON")]),
])
def test_person(text, expected):
    assert labels(text) == expected


@pytest.mark.parametrize("phone", ["07700 900461", "+44 7700 900 982", "(01632) 960-555", "020 7946 0018",
                                   "0113 496 0731", "+44 (0)20 7946 0018", "07700-900-461"])
def test_uk_phone_formats(phone):
    assert labels(f"Ring me on {phone} please.") == [(phone, "PHONE")]


def test_other_identifiers():
    got = labels("NHS number 943 476 5919, email jo.b@example.com, www.example.nhs.uk/page, NE1 4LP, "
                 "12 Acacia Avenue, DOB 12/03/1961, seen 3rd March 2024, MRN 1234567")
    assert got == [("943 476 5919", "NHS_NUMBER"), ("jo.b@example.com", "EMAIL"), ("www.example.nhs.uk/page", "URL"),
                   ("NE1 4LP", "POSTCODE"), ("12 Acacia Avenue", "ADDRESS"), ("12/03/1961", "DATE"),
                   ("3rd March 2024", "DATE"), ("1234567", "ID")]


def test_nhs_number_check_digit():
    assert nhs_number_valid("9434765919") and not nhs_number_valid("9434765918")
    assert labels("ref 943 476 5918 here") != [("943 476 5918", "NHS_NUMBER")]


@pytest.mark.parametrize("text", [
    "The Breast Care Nurse at Macmillan was great and Open Access helps.",
    "Breast Cancer Now were helpful. I take Tamoxifen and Letrozole.",
    "In May it got better; on Monday I saw the consultant.",
    "Will the parking improve? Hope so. Grace and kindness from everyone.",
    "The nurse specialist was great. Everyone was lovely. She was brilliant.",
    "Thank you for everything. Please thank the staff.",
])
def test_hard_negatives_are_not_identifiers(text):
    assert redact(text).spans == []


def test_allow_and_deny_lists():
    assert labels("Priya ward was clean", allow=["Priya ward"]) == []
    assert labels("ask for Bob at the desk", deny=["Bob"]) == [("Bob", "PERSON")]
    assert labels("Ring 07700 900461, Dr Hughes", labels=["PHONE"]) == [("07700 900461", "PHONE")]
    with pytest.raises(ConfigError, match="NAME"):
        redact("x", labels=["NAME"])


def test_pseudonyms_are_consistent_within_a_text():
    r = redact("Dr Hughes and Nurse Okafor; later Dr Hughes again", pseudonyms=True)
    assert r.text == "Dr [PERSON_1] and Nurse [PERSON_2]; later Dr [PERSON_1] again"


@pytest.mark.parametrize("text", ["", None, float("nan"), "😀 lovely staff 👍", "<p>Dr <b>Hughes</b></p>",
                                  "caf\u00e9 \u00a312 \ufffd", "x" * 200_000])
def test_malformed_input_never_crashes(text):
    r = redact(text)
    assert isinstance(r.text, str)
    assert all(0 <= s < e <= len(r.text) + sum(e - s for s, e, _ in r.spans) for s, e, _ in r.spans)


def test_redact_frame_review_never_shows_values_unless_asked():
    df = pd.DataFrame({"segment_id": ["a", "b"], "source_id": ["s", "s"],
                       "text": ["Sister Jane Okafor was lovely", "No names here"]})
    out, review = redact_frame(df)
    assert out["text"].tolist() == ["Sister [PERSON] was lovely", "No names here"]
    assert review.to_dict("records") == [{"row": "a", "label": "PERSON", "placeholder": "[PERSON]", "start": 7,
                                          "end": 18, "context": "Sister [PERSON] was lovely"}]
    assert "Okafor" not in review.to_csv()
    _, review = redact_frame(df, show_values=True)
    assert review["value"].tolist() == ["Jane Okafor"]


def test_pseudonyms_consistent_within_a_source():
    df = pd.DataFrame({"segment_id": ["a", "b", "c"], "source_id": ["s1", "s1", "s2"],
                       "text": ["Dr Hughes was kind", "I saw Dr Hughes", "Dr Patel and Dr Hughes"]})
    out, _ = redact_frame(df, pseudonyms=True)
    assert out["text"].tolist() == ["Dr [PERSON_1] was kind", "I saw Dr [PERSON_1]", "Dr [PERSON_1] and Dr [PERSON_2]"]


def test_spacy_pipeline_without_trained_model():
    nlp = load_nlp(prefer_trained=False)
    assert nlp.pipe_names == ["sentencizer", "lemmatizer"]
    assert [t.lemma_ for t in nlp("waited waiting waits")] == ["wait", "wait", "wait"]
    assert sentences(["Lovely staff. Parking was awful!"]) == [(0, 0, 13, "Lovely staff."), (0, 14, 32, "Parking was awful!")]


def test_sample_run_removes_every_planted_identifier(sample_run, truth):
    result, out = sample_run
    written = "\n".join((out / name).read_text(encoding="utf-8") for name in
                        ("segments.csv", "codings.csv", "priorities.csv", "redactions.csv", "themes.csv"))
    # the report, without the plotly.js library embedded in it (which has a Mayan month "Chen")
    written += re.sub(r"<script[^>]*>.{100000,}?</script>", "", (out / "report.html").read_text(encoding="utf-8"),
                      flags=re.S)
    leaked = [i for i in truth["identifiers"] if i["value"] in written]
    assert leaked == []
    assert result.run_log["redactions_by_label"]["PERSON"] >= 50
    assert result.run_log["original_text_written"] is False


def test_held_out_evaluation_meets_the_targets():
    """Quality gate (not timed) on the held-out set; benchmarks/deidentify_benchmark.py prints the full table."""
    from pledge_analysis.text.evaluation import evaluate, make_heldout_set

    scores = evaluate(make_heldout_set(1000, seed=1)).set_index("label")
    for label in ("PHONE", "EMAIL", "NHS_NUMBER", "POSTCODE"):
        assert scores.at[label, "recall"] >= 0.98, label
    assert scores.at["PERSON", "recall"] >= 0.90
    assert scores.at["ALL", "precision"] >= 0.90


def test_deidentify_component_in_spacy():
    from pledge_analysis.text import build_nlp
    from pledge_analysis.text.deidentify import add_deidentifier

    nlp = build_nlp(prefer_trained=False)
    add_deidentifier(nlp, allow=["Rosewood Ward"])
    assert "pledge_deidentify" in nlp.pipe_names
    docs = list(nlp.pipe(["Dr Hughes on Rosewood Ward", "Call 07700 900461"]))
    assert [[(s.text, s.label_) for s in d.spans["pledge_pii"]] for d in docs] == [[("Hughes", "PERSON")],
                                                                                  [("07700 900461", "PHONE")]]
