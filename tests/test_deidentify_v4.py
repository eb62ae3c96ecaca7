"""De-identification, third issue-14 round: the frozen fourth held-out set (written before this round's
recognizer changes) and the name shapes this round added (on sentences written here, not from any set)."""
import hashlib
import importlib.util
import json

from conftest import ROOT
from pledge_analysis.text.evaluation import load_jsonl_set

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
