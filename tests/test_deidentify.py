"""De-identification: each recognizer, hard negatives, malformed input, tables and review."""
import html
import re
import sqlite3
import zipfile

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
    assert review.to_dict("records") == [{"row": "a", "source": "s", "label": "PERSON", "placeholder": "[PERSON]",
                                          "start": 7, "end": 18, "confidence": 0.95, "context": "Sister [PERSON] was lovely",
                                          "recognizer": "rules"}]
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


def _everything_written(out):
    """Every text in the run's output folder (zip members of xlsx/docx/qdpx apart, XML entities decoded)
    and in its project store (an SQL dump)."""
    texts = {}
    for f in sorted(p for p in out.iterdir() if p.is_file()):
        if f.suffix == ".sqlite":
            con = sqlite3.connect(f)
            texts[f.name] = "\n".join(con.iterdump())
            con.close()
        elif zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                for m in z.namelist():
                    texts[f"{f.name}/{m}"] = html.unescape(z.read(m).decode("utf-8", "replace"))
        elif f.suffix in (".csv", ".md", ".json", ".html", ".qdc"):
            texts[f.name] = f.read_text(encoding="utf-8")
    # the report, without the plotly.js library embedded in it (which has a Mayan month "Chen")
    # (one <script> block at a time: a pattern spanning blocks would also drop the tables between them)
    texts["report.html"] = re.sub(r"<script[^>]*>.*?</script>", lambda m: "" if len(m.group(0)) > 100_000 else m.group(0),
                                  texts["report.html"], flags=re.S)
    return texts


def test_sample_run_removes_every_planted_identifier(sample_run, truth):
    from pledge_analysis.text.speakers import is_anonymous, is_facilitator

    result, out = sample_run
    texts = _everything_written(out)
    assert {"segments.csv", "quotes.xlsx/xl/worksheets/sheet1.xml", "project.qdpx/project.qde", "project.sqlite",
            "action_plan.docx/word/document.xml", "set_aside.csv", "redactions.csv"} <= set(texts)
    leaked = [(i["value"], name) for i in truth["identifiers"] for name, t in texts.items() if i["value"] in t]
    assert leaked == []  # 0 of 172 planted identifiers in any output, the store included
    assert result.run_log["redactions_by_label"]["PERSON"] >= 50
    assert result.run_log["original_text_written"] is False
    # speaker labels name no one; set-aside values hold no identifiers
    assert all(is_anonymous(s) or is_facilitator(s) for s in result.segments["speaker"].dropna())
    assert [v for v in result.set_aside["value"].dropna() if redact(v).spans] == []


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


def test_deidentify_tables_covers_speakers_mentions_and_set_aside_values():
    from pledge_analysis.text.deidentify import deidentify_tables

    segs = pd.DataFrame({
        "segment_id": ["a", "b", "c", "d"], "source_id": ["fg.txt"] * 3 + ["s.csv"], "position": [0, 1, 2, 0],
        "source_type": ["focus_group"] * 3 + ["survey"], "speaker": ["Facilitator", "Margaret Okafor", "P2", None],
        "role": ["facilitator", "participant", "participant", "participant"],
        "respondent_id": [None, "fg.txt:Margaret Okafor", "fg.txt:P2", "R1"],
        "text": ["Welcome.", "The wait\x0b was long.", "I agree with Margaret; Okafor's right.", "Fine."]})
    aside = pd.DataFrame({"source_id": ["s.csv", "fg.txt"], "path": ["s.csv", "fg.txt"], "row": [3, 9],
                          "column": ["Q1", None], "reason": ["answer to Q1 is not one of its options",
                                                             "speaker turn with no text"],
                          "value": ["ring me 07700 900461", "Margaret Okafor"]})
    out, aside_out, review = deidentify_tables(segs, aside)
    assert out["speaker"].fillna("-").tolist() == ["Facilitator", "Participant 1", "P2", "-"]
    assert out["respondent_id"].fillna("-").tolist() == ["-", "fg.txt:Participant 1", "fg.txt:P2", "R1"]
    assert out["text"].tolist()[1:3] == ["The wait  was long.", "I agree with Participant 1; Participant 1's right."]
    assert aside_out["value"].tolist() == ["ring me [PHONE]", "Participant 1"]
    assert review.groupby("table")["label"].apply(list).to_dict() == {
        "segments": ["PERSON", "PERSON"], "set_aside": ["PHONE"], "speakers": ["PERSON"]}
    assert review.loc[review["table"] == "set_aside", "row"].item() == "s.csv, row 3, column 'Q1'"
    assert "Okafor" not in review.to_csv() and "07700" not in review.to_csv()
