"""Topic discovery on real NHS patient feedback (pxtextmining phase 1): do topics find the themes?

    python benchmarks/topics_benchmark.py

Reads ../shared/external/pxtextmining/phase1_text_data.csv (skips when absent): 10,334 real,
anonymised comments, each given one of 9 themes by NHS coders. Topic discovery never sees those
labels; we measure how well its topics agree with them, as a researcher would hope:

* NMI and ARI between topics and the coders' themes (0 = unrelated, 1 = identical partition);
* purity: the share of comments whose topic's most common theme is their own (the accuracy of the
  best possible topic-to-theme mapping, an upper bound for the next figure);
* mapped accuracy: each topic is mapped to its most similar code of a codebook built from the
  published taxonomy only (the 9 theme names, their sub-category names as description and
  keywords; no comment text), and every comment takes its topic's code;
* nearest code, no topics: every comment takes its own most similar code (a zero-shot reference);
* majority class: the share of the largest theme (what a constant guess scores).

Variants: unguided; guided by the codebook's seed words; guided with zero-shot topics; and the
same unguided run on the fast static embeddings. Fit times exclude embedding (cached first) and
numba's one-off compilation (a warm-up fit on 5,000 comments runs first, and its time is printed).
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from pledge_analysis.coding.codebook import codebook_from_records
from pledge_analysis.coding.embeddings import embed
from pledge_analysis.coding.topics import TopicExplorer, code_texts

DATA = Path(__file__).resolve().parents[2] / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"
STOP = {"of", "and", "the", "for", "with", "to", "in", "on", "was", "general", "user", "service", "services"}


def taxonomy_codebook(d: pd.DataFrame) -> pd.DataFrame:
    """One code per theme: name, sub-category names as description, their words as keywords."""
    records = []
    for label, sub in d.groupby("label")["subcategory"]:
        names = [s.strip() for s in sub.dropna().unique()]
        words = sorted({w for s in names for w in re.findall(r"[a-z]+", s.lower()) if len(w) > 2 and w not in STOP})
        records.append({"id": re.sub(r"[^a-z]+", "_", label.lower()).strip("_"), "name": label,
                        "description": "; ".join(names), "keywords": words})
    return codebook_from_records(records, source="pxtextmining taxonomy")


def score(name: str, explorer: TopicExplorer, fit_s: float, truth: pd.Series, cb: pd.DataFrame) -> dict:
    seg = explorer.segment_topics_.set_index("segment_id")
    y = truth.loc[seg.index]
    mapping = explorer.map_to_codebook(cb, min_similarity=0.0)
    code = seg["topic_id"].map(dict(zip(mapping["topic_id"], mapping["code_name"])))
    purity = pd.crosstab(seg["topic_id"], y).max(axis=1).sum() / len(y)
    return {"variant": name, "topics": int((explorer.topic_info_["topic_id"] >= 0).sum()),
            "NMI": normalized_mutual_info_score(y, seg["topic_id"]), "ARI": adjusted_rand_score(y, seg["topic_id"]),
            "purity": purity, "mapped_accuracy": float((code == y).mean()), "fit_s": fit_s}


def main() -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    d = pd.read_csv(DATA).dropna(subset=["feedback"])
    d = d[d["feedback"].str.strip().str.len() >= 12].reset_index(drop=True)
    segs = pd.DataFrame({"segment_id": [f"c{i}" for i in range(len(d))], "text": d["feedback"].tolist()})
    truth = pd.Series(d["label"].to_numpy(), index=segs["segment_id"])
    cb = taxonomy_codebook(d)
    for model in ("minilm", "static"):
        embed(segs["text"].tolist(), model)
    print(f"{len(segs):,} comments of 12+ characters, {truth.nunique()} themes; majority class "
          f"{truth.value_counts(normalize=True).iloc[0]:.3f}")

    C = embed(code_texts(cb))
    E = embed(segs["text"].tolist())
    nearest = cb["name"].to_numpy()[np.argmax(E @ C.T, axis=1)]
    print(f"nearest code, no topics: accuracy {(nearest == truth.to_numpy()).mean():.3f}")

    t = time.perf_counter()
    TopicExplorer(random_state=0).fit(segs.head(5000))  # warm-up: numba compiles UMAP/HDBSCAN once per process
    print(f"first fit in a fresh process (5,000 comments, numba compiling): {time.perf_counter() - t:.1f} s")
    rows = []
    variants = [("unguided (MiniLM)", {}), ("seed words from codebook", {"codebook": cb}),
                ("zero-shot topics from codebook", {"codebook": cb, "zeroshot": True}),
                ("unguided (static embeddings)", {"embedding_model": "static"})]
    for name, kwargs in variants:
        t = time.perf_counter()
        explorer = TopicExplorer(random_state=0, **kwargs).fit(segs)
        rows.append(score(name, explorer, time.perf_counter() - t, truth, cb))
        print(f"  {name}: done", flush=True)
    pd.set_option("display.width", 200)
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
