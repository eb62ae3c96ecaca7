"""De-identification: the frozen eighth held-out set, written and committed before it was scored
(``benchmarks/data/make_deid_heldout_v8.py``; issue 14). No recognizer is run here: this file only checks
that the set is unchanged, reproducible and well formed."""
import hashlib
import importlib.util
import json
from collections import Counter

from conftest import ROOT

DATA = ROOT / "benchmarks" / "data"
#: SHA-256 of the eighth held-out set (committed before it was scored).
HELDOUT_V8_SHA256 = "39fe688ad9f00216de3ad1fcaf4273ac9c6f7fb979e60827cca730710a69a582"


def _generator():
    spec = importlib.util.spec_from_file_location("make_v8", DATA / "make_deid_heldout_v8.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def _rows():
    return [json.loads(line) for line in (DATA / "deid_heldout_v8.jsonl").open(encoding="utf-8") if line.strip()]


def test_frozen_heldout_v8_is_unchanged_and_its_generator_reproduces_it_byte_identical():
    path = DATA / "deid_heldout_v8.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == HELDOUT_V8_SHA256
    gen = _generator()
    assert gen.dumps(gen.build()).encode("utf-8") == path.read_bytes()


def test_v8_spans_are_trimmed_non_overlapping_pieces_of_their_text_and_every_kind_is_present():
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
            assert not text[s:e].endswith(("'s", ":"))  # no possessive 's, no chat sender's colon
            assert nxt is None or e <= nxt[0]  # spans do not overlap
            labels[label] += 1
    assert labels["PERSON"] >= 1500 and labels["PHONE"] >= 150
    gen = _generator()
    kinds = Counter(r["kind"] for r in rows)
    assert set(kinds) == set(gen.KINDS)
    assert 140 <= kinds["negative"] <= 160
    assert all(not r["spans"] for r in rows if r["kind"] == "negative")
    assert all(r["spans"] and {sp[2] for sp in r["spans"]} == {"PHONE"}
               for r in rows if r["kind"].startswith("phone_"))
    # a name split across a line break is one span with the break inside it
    assert all(any("\n" in r["text"][s:e] for s, e, lab in r["spans"] if lab == "PERSON")
               for r in rows if r["kind"] == "line_break")
    # dictated speech-to-text has no capitals
    assert all(r["text"] == r["text"].lower() for r in rows if r["kind"] in ("dictated", "lowercase"))


def test_v8_phone_spans_are_valid_numbers_and_its_name_words_are_new():
    import phonenumbers

    gen = _generator()
    in_words = 0
    for r in _rows():
        for s, e, label in r["spans"]:
            if label == "PHONE":
                written = r["text"][s:e]
                if not any(ch.isdigit() for ch in written):  # a number in words: "oh seven seven double oh ..."
                    in_words += 1
                    written = gen.words_to_digits(written)
                    assert phonenumbers.is_valid_number(phonenumbers.parse(written, "GB")), r["text"][s:e]
                    continue
                # national forms of foreign numbers need their region: some region must call it valid
                regions = ["GB"] if written.startswith(("+", "00", "0")) else []
                regions += sorted(phonenumbers.SUPPORTED_REGIONS)
                assert any(phonenumbers.is_valid_number(phonenumbers.parse(written, reg)) for reg in regions
                           if _parses(written, reg)), written
    assert in_words >= 30
    assert gen.v8_name_words() & gen.earlier_name_words() <= {"ap"}  # only the Welsh particle is shared


def test_v8_nhs_numbers_in_its_text_are_not_phone_numbers():
    """The NHS numbers written in PALS records and handover notes (unlabelled: neither PERSON nor PHONE) pass
    the mod-11 check and no UK phone number reads the same."""
    import re

    import phonenumbers

    found = 0
    for r in _rows():
        for m in re.finditer(r"NHS(?: number| no)?:? (\d{3} \d{3} \d{4})", r["text"]):
            digits = [int(c) for c in m.group(1).replace(" ", "")]
            check = (11 - sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11) % 11
            assert check == digits[9]
            assert not phonenumbers.is_valid_number(phonenumbers.parse("0" + m.group(1).replace(" ", ""), "GB"))
            assert not any(s < m.end(1) and m.start(1) < e for s, e, _ in r["spans"])
            found += 1
    assert found >= 30


def _parses(text, region):
    import phonenumbers

    try:
        phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False
    return True


def test_v8_is_scored_only_by_its_own_flag_of_the_benchmark():
    """``deidentify_benchmark.py --v8`` scores it (per kind, each way); the full run's ``sets()`` does not."""
    import ast

    src = (ROOT / "benchmarks" / "deidentify_benchmark.py").read_text(encoding="utf-8")
    tree = ast.parse(src)
    funcs = {n.name: ast.get_source_segment(src, n) for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert "per_kind(V8, nlp)" in funcs["v8_per_kind"]
    assert "V8" not in funcs["sets"] and "v8" not in funcs["sets"]
    assert '("--v8", v8_per_kind)' in src
    assert 'V8 = DATA / "deid_heldout_v8.jsonl"' in src
