"""The second hand-labelled sample of real comments (issue 14, fourth round): the *development* sample for
precision on real text. The first sample (``make_pxtextmining_labels.py``, 411 comments) is only scored.

    python benchmarks/data/make_pxtextmining_dev_labels.py PRIVATE_DEV_LABELS.txt

Same storage as the first sample (offsets and hashes only, never the text, which stays in
``../shared/external/pxtextmining/phase1_text_data.csv``): ``pxtextmining_deid_dev_labels.csv`` has
``row_index, sha1, stratum, start, end, label``, read by
:func:`pledge_analysis.text.evaluation.load_labelled_comments`.

Sampling rule (fixed before any labelling, seed 15), over the 9,891 non-empty comments *not* in the first
sample, chosen to be rich in names and in capitalised words that are not names:

1. ``title``: every comment with a title and a capitalised word (:data:`TITLE`: Dr, Mr, Mrs, Ms, Miss,
   Sister, Sr, Nurse, Matron, Doctor, Prof) - 49 comments;
2. ``midcap``: 190 drawn at random from those with a capitalised word of 3+ letters in mid-sentence
   (:data:`MID`; not "I", "NHS", "A&E", "GP");
3. ``thank``: 60 drawn at random from the remaining ones containing "thank";
4. ``random``: 30 drawn at random from the rest.

329 comments. Each was read in full by the labeller (a helper engineer, 2026-12-02, before the fourth
round's recognizer changes) and every personal name marked PERSON under the first sample's conventions:
first names, surnames, initials standing for a name; not wards, hospitals, places, organisations,
eponymous units, nor the data's own masks (``XXXX``, ``*``). ``PRIVATE_DEV_LABELS.txt`` (outside the
repository) has one ``row_index|surface`` line per name, and one ``row_index|`` line per comment read
that holds none (the labeller's record; not needed to write the file).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_pxtextmining_labels import REAL, write_labels  # noqa: E402
from make_pxtextmining_labels import sample as first_sample  # noqa: E402

OUT = HERE / "pxtextmining_deid_dev_labels.csv"
SEED = 15
TITLE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Sister|Sr|Nurse|Matron|Doctor|Prof)\.?\s+[A-Z][a-z]")
MID = re.compile(r"[a-z,]\s+(?!I\b|NHS|A&E|GP)[A-Z][a-z]{2,}")


def sample(path: Path = REAL):
    """The 329 sampled comments as a DataFrame (row_index, feedback, stratum), by the rule above."""
    import pandas as pd

    d = pd.read_csv(path).dropna(subset=["feedback"])
    d = d[d["feedback"].str.strip() != ""]
    d = d[~d["row_index"].isin(first_sample(path)["row_index"])]
    title = d["feedback"].str.contains(TITLE)
    a = d[title]
    rest = d[~title]
    b = rest[rest["feedback"].str.contains(MID)].sample(190, random_state=SEED)
    rest = rest[~rest["row_index"].isin(b["row_index"])]
    c = rest[rest["feedback"].str.contains("thank", case=False)].sample(60, random_state=SEED)
    rest = rest[~rest["row_index"].isin(c["row_index"])]
    e = rest.sample(30, random_state=SEED)
    out = pd.concat([a.assign(stratum="title"), b.assign(stratum="midcap"), c.assign(stratum="thank"),
                     e.assign(stratum="random")])
    return out.sort_values("row_index")[["row_index", "feedback", "stratum"]].reset_index(drop=True)


def main(private: str) -> None:
    write_labels(private, sample(), OUT, skip_empty=True)

if __name__ == "__main__":
    main(sys.argv[1])
