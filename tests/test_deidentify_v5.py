"""De-identification, fourth issue-14 round: the frozen fifth held-out set, written and committed before any
recognizer change of this round (``benchmarks/data/make_deid_sets_v5.py``)."""
import hashlib
import importlib.util
import json

from conftest import ROOT
from pledge_analysis.text.evaluation import load_jsonl_set

DATA = ROOT / "benchmarks" / "data"
#: SHA-256 of the fifth held-out set (committed before the fourth round's changes).
HELDOUT_V5_SHA256 = "f276458ecfe007534e54286bdfcbbed457ed4919105a84ce1f6c340ecff04291"


def _generator():
    spec = importlib.util.spec_from_file_location("make_v5", DATA / "make_deid_sets_v5.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def test_frozen_heldout_v5_is_unchanged_and_its_generator_reproduces_both_halves():
    path = DATA / "deid_heldout_v5.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == HELDOUT_V5_SHA256
    gen = _generator()
    for name, (half, sizes, seed) in gen.SIZES.items():
        text = "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in gen.build(half, *sizes, seed=seed))
        assert text == (DATA / name).read_text(encoding="utf-8"), name
    items = load_jsonl_set(path)
    assert len(items) == 1000
    for text, spans in items:  # every gold span is a trimmed, non-empty piece of its text
        for s, e, _label in spans:
            assert text[s:e] and text[s:e] == text[s:e].strip()


def test_v5_halves_share_no_name_clause_or_negative():
    gen = _generator()
    for f_s in gen.NAMES.values():
        for names in f_s:
            dev, held = gen._split(names)
            assert not set(dev) & set(held)
    dev = {json.loads(line)["text"] for line in (DATA / "deid_dev_v5.jsonl").open(encoding="utf-8")}
    held = {json.loads(line)["text"] for line in (DATA / "deid_heldout_v5.jsonl").open(encoding="utf-8")}
    assert not dev & held
