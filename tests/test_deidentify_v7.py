"""De-identification: the frozen seventh held-out set, written and committed before it was scored
(``benchmarks/data/make_deid_heldout_v7.py``; issue 14). No recognizer is run here: this file only checks
that the set is unchanged, reproducible and well formed."""
import hashlib
import importlib.util
import json
from collections import Counter

from conftest import ROOT

DATA = ROOT / "benchmarks" / "data"
#: SHA-256 of the seventh held-out set (committed before it was scored).
HELDOUT_V7_SHA256 = "7cd86521a790d4df30a23faf0effc6506a005127753be0217679f5f5d5eccaa1"


def _generator():
    spec = importlib.util.spec_from_file_location("make_v7", DATA / "make_deid_heldout_v7.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def _rows():
    return [json.loads(line) for line in (DATA / "deid_heldout_v7.jsonl").open(encoding="utf-8") if line.strip()]


def test_frozen_heldout_v7_is_unchanged_and_its_generator_reproduces_it_byte_identical():
    path = DATA / "deid_heldout_v7.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == HELDOUT_V7_SHA256
    gen = _generator()
    assert gen.dumps(gen.build()).encode("utf-8") == path.read_bytes()


def test_v7_spans_are_trimmed_non_overlapping_pieces_of_their_text_and_every_kind_is_present():
    rows = _rows()
    assert 1000 <= len(rows) <= 1200
    assert len({r["id"] for r in rows}) == len(rows)
    labels = Counter()
    for r in rows:
        text, ordered = r["text"], sorted(tuple(sp) for sp in r["spans"])
        for (s, e, label), nxt in zip(ordered, ordered[1:] + [None]):
            assert label in ("PERSON", "PHONE")
            assert 0 <= s < e <= len(text)
            assert text[s:e] == text[s:e].strip()
            assert not text[s:e].endswith("'s")  # a possessive 's is not part of the name
            assert nxt is None or e <= nxt[0]  # spans do not overlap
            labels[label] += 1
    assert labels["PERSON"] >= 1000 and labels["PHONE"] >= 150
    gen = _generator()
    kinds = Counter(r["kind"] for r in rows)
    assert set(kinds) == {"letter"} | set(gen.KINDS) | set(gen.PHONE_KINDS) | {"negative"}
    assert all(not r["spans"] for r in rows if r["kind"] == "negative")
    assert all(r["spans"] and {sp[2] for sp in r["spans"]} == {"PHONE"}
               for r in rows if r["kind"].startswith("phone_"))


def test_v7_phone_spans_are_valid_numbers_and_its_name_words_are_new():
    import phonenumbers

    for r in _rows():
        for s, e, label in r["spans"]:
            if label == "PHONE":
                written = r["text"][s:e]
                # national forms of foreign numbers need their region: some region must call it valid
                regions = ["GB"] if written.startswith(("+", "00", "0")) else []
                regions += sorted(phonenumbers.SUPPORTED_REGIONS)
                assert any(phonenumbers.is_valid_number(phonenumbers.parse(written, reg)) for reg in regions
                           if _parses(written, reg)), written
    gen = _generator()
    assert gen.v7_name_words() & gen.earlier_name_words() <= {"al", "el", "de"}  # only particles are shared


def _parses(text, region):
    import phonenumbers

    try:
        phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False
    return True
