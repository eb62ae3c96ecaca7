"""De-identification, third issue-14 round: the frozen fourth held-out set (written before this round's
recognizer changes) and the name shapes this round added (on sentences written here, not from any set)."""
import hashlib
import importlib.util
import json

import pytest

from conftest import ROOT
from pledge_analysis.text.evaluation import evaluate, load_jsonl_set

DATA = ROOT / "benchmarks" / "data"
#: SHA-256 of the fourth held-out set (``make_deid_sets_v4.py``, committed before the third round's changes).
HELDOUT_V4_SHA256 = "e94e3aa916cb4caa33b5176fb70dd59be8dc122f8ca4c8dac303948d0dc2bff7"


def test_frozen_heldout_v4_is_unchanged_and_its_generator_reproduces_it():
    path = DATA / "deid_heldout_v4.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == HELDOUT_V4_SHA256
    spec = importlib.util.spec_from_file_location("make_v4", DATA / "make_deid_sets_v4.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    half, sizes, seed = gen.SIZES["deid_heldout_v4.jsonl"]
    text = "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in gen.build(half, *sizes, seed=seed))
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == HELDOUT_V4_SHA256
    items = load_jsonl_set(path)
    assert len(items) == 1000 and sum(label == "PERSON" for _t, g in items for *_se, label in g) == 632
    # floors a little below the figures measured at the end of the third round (README: PERSON 0.812,
    # PHONE 1.00, precision 0.947), so a regression fails here
    scores = evaluate(items).set_index("label")
    assert scores.at["PHONE", "recall"] >= 0.98
    assert scores.at["PERSON", "recall"] >= 0.79
    assert scores.at["ALL", "precision"] >= 0.93


def found(text):
    from pledge_analysis.text import redact

    return [(text[s:e], label) for s, e, label in redact(text).spans if label == "PERSON"]


@pytest.mark.parametrize("text,expected", [
    # a title and one initial; never the data's own mask "Mr X"
    ("Dr K explained it all and Sister T. stayed late", ["K", "T"]),
    ("Mr X was rude at reception", []),
    # initials without dots, or starting with I.
    ("Reviewed by HT Obuya-Kamau on the Tuesday", ["HT Obuya-Kamau"]),
    ("The letter was signed R Nkemdirim and sent late", ["R Nkemdirim"]),
    ("cc: I.T. Wairimu, practice manager", ["I.T. Wairimu"]),
    ("They gave me Vitamin D Tablets, then a CT Scan and a GP Letter", []),
    # one unknown capitalised word in a person's slot
    ("'Nearly there,' Obuya whispered, and she was right.", ["Obuya"]),
    ("The group is run by volunteers, especially Nkemdirim, who never misses a week.", ["Nkemdirim"]),
    ("Mum (Wairimu) came to every appointment.", ["Wairimu"]),
    ("Without Obuya, I would have missed the scan.", ["Obuya"]),
    ("Wairimu rang the next morning with the results.", ["Wairimu"]),
    ("In particular Pembrolizumab gave me a rash, and Olaparib made me sick.", []),
    ("Lisa and TTI Tina got me walking again.", ["Lisa", "Tina"]),
    ("Both the visits to Ramsbottom have been helpful.", []),
    # a possessive before a lower-case noun of place is a person's, not a place
    ("After surgery I stayed at Oksana's house for a week.", ["Oksana"]),
    ("We met at Nkemdirim's house on Sundays.", ["Nkemdirim"]),
    ("Lactulose and Senna from the chemist helped.", []),
    ("We were sent to St Luke's hospice and then Cherry Ward.", []),
])
def test_name_shapes_of_the_third_round(text, expected):
    assert [t for t, _label in found(text)] == expected


@pytest.mark.parametrize("text,expected", [
    ("PLEASE THANK WAIRIMU ON THE DAY UNIT, SHE WAS AMAZING", ["WAIRIMU"]),
    ("WHY DID DR OBUYA CANCEL MY OPERATION", ["OBUYA"]),
    ("I'M APPALLED BY THE WAIT AND THE PARKING AT THE HOSPITAL", []),
])
def test_text_in_capitals_is_read_with_its_common_words_in_lower_case(text, expected):
    assert [t for t, _label in found(text)] == expected


def test_truecase_keeps_length_and_acronyms():
    from pledge_analysis.text.name_cues import ACRONYMS, truecase
    from pledge_analysis.text.names import common_words

    text = "MY GP AND NURSE OBUYA WERE GREAT"
    out = truecase(text, common_words(), ACRONYMS)
    assert out == "my GP and nurse Obuya were great" and len(out) == len(text)
    assert truecase("Thank you Obuya, you were great", common_words(), ACRONYMS) is None


@pytest.mark.parametrize("text,expected", [
    ("Reach me on +61 412/731 278 while I'm away", ["+61 412/731 278"]),
    ("Office 0049 30/12345678, ask for the ward", ["0049 30/12345678"]),
    ("Pain 7/10 on 12/03/2024, dose 2/3 of 150 mg", []),
])
def test_international_numbers_with_slashes(text, expected):
    from pledge_analysis.text import redact

    assert [text[s:e] for s, e, label in redact(text).spans if label == "PHONE"] == expected
