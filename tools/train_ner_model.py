"""Train a small spaCy NER pipeline (tok2vec + ner, PERSON only) on the de-identification DEVELOPMENT data.

    python tools/train_ner_model.py                      # train to /tmp/ner_model/train, package a wheel
    python tools/train_ner_model.py --out DIR --epochs 5 --no-package
    python tools/train_ner_model.py --tune-report /tmp/ner_model/train/model-best   # choose the NER's rule

Why: spaCy's trained English pipelines (``en_core_web_sm`` ...) cannot be downloaded on the project machine,
so to measure "rules + a trained NER" (issue 14) one is trained here with spaCy's own ``spacy train``.

Training data, development data only (``benchmarks/data/README.md``):

- the first development set (``make_eval_set(2000, seed=0)``);
- the dev halves of the synthetic sets, ``deid_dev_v2.jsonl`` ... ``deid_dev_v5.jsonl``;
- the 329 hand-labelled real *development* comments (``pxtextmining_deid_dev_labels.csv``; their text is read
  from ``../shared/external/pxtextmining``; skipped when absent).

Never the held-out halves (``deid_heldout_v*.jsonl``) nor the 411 labelled real comments. Each source is
shuffled with a fixed seed and cut 85 / 15: the 85 % trains, the 15 % ("tune" split) is spaCy's dev set for
choosing the best checkpoint and the only data the acceptance rule of NER spans is chosen on. Only PERSON
spans are annotated; the other identifiers are left to the rules.

The result (``model-best``) is packaged with ``spacy package`` as a pip-installable wheel
``en_pledge_ner-<version>-py3-none-any.whl`` in ``<out>/dist`` (outside the repository; model binaries are
not committed). Install it with ``pip install <wheel>`` and set ``deidentify: {ner_model: en_pledge_ner}``
in project.yaml, or point ``ner_model`` at the ``model-best`` folder.

Seeded (``--seed``, spaCy's ``system.seed``); CPU seconds and wall time are printed at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
REAL = ROOT.parent / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"
NAME, VERSION = "pledge_ner", "0.1.0"
TUNE_SHARE = 0.15


def development_items() -> dict[str, list[tuple[str, list[tuple[int, int, str]]]]]:
    """The development data by source: ``{source: [(text, gold_spans), ...]}`` (no held-out item)."""
    from pledge_analysis.text.evaluation import load_jsonl_set, load_labelled_comments, make_eval_set

    out = {"first_dev": make_eval_set(2000, seed=0)}
    for v in (2, 3, 4, 5):
        out[f"dev_v{v}"] = load_jsonl_set(DATA / f"deid_dev_v{v}.jsonl")
    if REAL.exists():
        out["real_dev"] = load_labelled_comments(DATA / "pxtextmining_deid_dev_labels.csv", REAL)
    else:
        print(f"(no real development comments: {REAL} is absent)")
    return out


def split(items_by_source: dict, seed: int = 0, tune_share: float = TUNE_SHARE) -> tuple[list, list]:
    """``(train, tune)``: each source shuffled with ``seed`` and cut, ``tune_share`` of it to ``tune``."""
    train, tune = [], []
    for source in sorted(items_by_source):
        items = list(items_by_source[source])
        random.Random(f"{seed}-{source}").shuffle(items)
        k = round(len(items) * tune_share)
        tune += items[:k]
        train += items[k:]
    return train, tune


def to_docbin(items, nlp, labels=("PERSON",)):
    """A spaCy ``DocBin`` of ``items`` with their ``labels`` spans as entities (cut to whole tokens)."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    db = DocBin()
    for text, gold in items:
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=label, alignment_mode="contract") for s, e, label in gold if label in labels]
        doc.ents = filter_spans([sp for sp in ents if sp is not None])
        db.add(doc)
    return db


def write_corpora(folder: Path, seed: int = 0) -> dict[str, int]:
    """``train.spacy`` and ``tune.spacy`` in ``folder``; returns how many items went to each."""
    import spacy

    nlp = spacy.blank("en")
    train, tune = split(development_items(), seed)
    folder.mkdir(parents=True, exist_ok=True)
    to_docbin(train, nlp).to_disk(folder / "train.spacy")
    to_docbin(tune, nlp).to_disk(folder / "tune.spacy")
    return {"train": len(train), "tune": len(tune)}


def _spacy(*args: str) -> None:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    subprocess.run([sys.executable, "-m", "spacy", *args], check=True, env=env)


def train(out: Path, *, epochs: int = 5, seed: int = 0) -> Path:
    """Write the corpora, a CPU "efficiency" ``tok2vec + ner`` config and train; returns ``model-best``."""
    n = write_corpora(out / "corpus", seed)
    print(f"training items: {n['train']:,}; tune items: {n['tune']:,}")
    cfg = out / "config.cfg"
    _spacy("init", "config", str(cfg), "--lang", "en", "--pipeline", "ner", "--optimize", "efficiency", "--force")
    _spacy("train", str(cfg), "--output", str(out / "train"), "--paths.train", str(out / "corpus" / "train.spacy"),
           "--paths.dev", str(out / "corpus" / "tune.spacy"), "--system.seed", str(seed),
           "--training.max_epochs", str(epochs), "--training.max_steps", "0", "--training.patience", "2000",
           "--training.eval_frequency", "250", "--nlp.batch_size", "256")
    return out / "train" / "model-best"


def package(model: Path, out: Path) -> Path:
    """``spacy package`` ``model`` as ``en_pledge_ner`` (sdist), then a wheel built offline; returns the wheel."""
    pkg = out / "package"
    pkg.mkdir(parents=True, exist_ok=True)
    _spacy("package", str(model), str(pkg), "--name", NAME, "--version", VERSION, "--build", "sdist", "--force")
    sdist = next((pkg / f"en_{NAME}-{VERSION}").glob("dist/*.tar.gz"))
    dist = out / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist),
                    str(sdist)], check=True)
    return next(dist.glob(f"en_{NAME}-{VERSION}-*.whl"))


def tune_report(model: str | Path, seed: int = 0) -> "pd.DataFrame":
    """PERSON recall and precision on the tune split (development data the NER did not train on), each way,
    with and without the checks on NER names (:data:`~pledge_analysis.text.deidentify.NER_CHECKS`):
    the only data the acceptance rule of NER spans was chosen on."""
    import pandas as pd

    from pledge_analysis.text import deidentify
    from pledge_analysis.text.evaluation import evaluate
    from pledge_analysis.text.ner_model import load_ner_model

    nlp = load_ner_model(model)
    by_source = development_items()
    tune = {src: split({src: items}, seed)[1] for src, items in by_source.items()}
    rows, default = [], deidentify.NER_CHECKS
    try:
        for src, items in [("all", [i for v in tune.values() for i in v])] + sorted(tune.items()):
            for how, kw, plausible in (("rules only", {"name_model": False}, default),
                                       ("rules + name model", {}, default),
                                       ("rules + NER, all entities", {"name_model": False, "nlp": nlp}, False),
                                       ("rules + NER, checked", {"name_model": False, "nlp": nlp}, True),
                                       ("rules + name model + NER, all", {"nlp": nlp}, False),
                                       ("rules + name model + NER, checked", {"nlp": nlp}, True)):
                deidentify.NER_CHECKS = plausible
                s = evaluate(items, **kw).set_index("label")
                rows.append({"tune split": src, "way": how, "support": s.at["PERSON", "support"],
                             "recall": s.at["PERSON", "recall"], "precision": s.at["PERSON", "precision"]})
    finally:
        deidentify.NER_CHECKS = default
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/ner_model"))
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-package", action="store_true")
    ap.add_argument("--tune-report", type=Path, default=None, metavar="MODEL",
                    help="only score MODEL on the tune split, each way (no training)")
    args = ap.parse_args(argv)
    if args.tune_report:
        print(tune_report(args.tune_report, args.seed).to_string(index=False))
        return 0
    t, c = time.perf_counter(), time.process_time()
    c_children = os.times().children_user + os.times().children_system
    model = train(args.out, epochs=args.epochs, seed=args.seed)
    print(f"model: {model}")
    if not args.no_package:
        print(f"wheel: {package(model, args.out)}")
    times = os.times()
    cpu = time.process_time() - c + times.children_user + times.children_system - c_children
    info = {"wall_s": round(time.perf_counter() - t, 1), "cpu_s": round(cpu, 1), "load": os.getloadavg(),
            "epochs": args.epochs, "seed": args.seed}
    (args.out / "train_info.json").write_text(json.dumps(info, indent=1))
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
