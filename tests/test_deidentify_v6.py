"""De-identification: the frozen sixth held-out set, written and committed before it was scored
(``benchmarks/data/make_deid_heldout_v6.py``; issue 14)."""
import hashlib
import importlib.util
from collections import Counter

from conftest import ROOT
from pledge_analysis.text.evaluation import load_jsonl_set

DATA = ROOT / "benchmarks" / "data"
#: SHA-256 of the sixth held-out set (committed before it was scored).
HELDOUT_V6_SHA256 = "53e3043bfa77ffce11c7be96f173750cbf263f884e56c5a73352c4dddeb3dbc1"


def _generator():
    spec = importlib.util.spec_from_file_location("make_v6", DATA / "make_deid_heldout_v6.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def test_frozen_heldout_v6_is_unchanged_and_its_generator_reproduces_it_byte_identical():
    path = DATA / "deid_heldout_v6.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == HELDOUT_V6_SHA256
    gen = _generator()
    assert gen.dumps(gen.build()).encode("utf-8") == path.read_bytes()


def test_v6_spans_are_trimmed_pieces_of_their_text_and_every_kind_is_present():
    items = load_jsonl_set(DATA / "deid_heldout_v6.jsonl")
    assert len(items) == 1100
    for text, spans in items:
        ordered = sorted(spans)
        for (s, e, label), nxt in zip(ordered, ordered[1:] + [None]):
            assert label in ("PERSON", "PHONE")
            assert text[s:e] and text[s:e] == text[s:e].strip()
            assert nxt is None or e <= nxt[0]  # spans do not overlap
    gen = _generator()
    kinds = Counter(it["kind"] for it in gen.build())
    assert set(kinds) == set(gen.KINDS) | set(gen.PHONE_KINDS) | {"negative"}
    assert all(not it["spans"] for it in gen.build() if it["kind"] == "negative")
