"""The hand-labelled sample of real comments: which comments, and how the labels file was written.

    python benchmarks/data/make_pxtextmining_labels.py PRIVATE_LABELS.txt

The comments are real NHS patient feedback from ``../shared/external/pxtextmining/phase1_text_data.csv``
(pxtextmining phase 1, MIT). That text must not be copied into this repository, so
``pxtextmining_deid_labels.csv`` holds only, per sampled comment: ``row_index``, ``sha1`` (the first
12 hex digits of the SHA-1 of the comment's UTF-8 text, to notice if the external file changes),
``stratum`` (why it was chosen) and, per identifier, ``start``/``end`` character offsets and
``label`` (a comment with none has one row with those three empty).

Sampling rule (fixed before any labelling, seed 14), over the 10,302 non-empty comments:

1. ``cue``: every comment where a capitalised word follows a staff or thanks cue
   (:data:`CUE`: nurse, Dr, staff, sister, Mr/Mrs/Ms/Miss, thank(s) (to), called, named,
   especially, particularly) - 111 comments;
2. ``random``: 220 comments drawn at random from the rest (``DataFrame.sample(220, random_state=14)``);
3. ``thank``: 80 comments drawn at random (``random_state=14``) from the remaining ones that contain
   "thank" in any case (thanked people are often named).

411 comments in all. Every one was read in full by the labeller (a helper engineer, 2026-12-01,
before the recognizers were changed) and every personal name marked PERSON: first names,
surnames, initials standing for a surname ("Mr P"), "Paul X". Not marked: ward, hospital and
place names (Kingsley ward, Glenfield), organisations (Marie Curie), the data set's own masks
(``XXXX``, ``*``). No comment in the sample (nor in the whole file) holds a phone number, email
or postcode: this sample measures PERSON recall and, above all, precision on real text.

``PRIVATE_LABELS.txt`` (kept outside the repository) has one ``row_index|surface`` line per name;
every whole-word occurrence of ``surface`` in that comment is a PERSON span (longest first).
"""
from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parents[2] / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv"
OUT = HERE / "pxtextmining_deid_labels.csv"
SEED = 14
CUE = re.compile(r"\b(?:nurse|nurses|dr|doctor|staff|sister|sr|mr|mrs|ms|miss|thanks? to|thank you to|thank|"
                 r"called|named|especially|particularly)\.?\s+[A-Z][a-z]+")


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def sample(path: Path = REAL):
    """The 411 sampled comments as a DataFrame (row_index, feedback, stratum), by the rule above."""
    import pandas as pd

    d = pd.read_csv(path).dropna(subset=["feedback"])
    d = d[d["feedback"].str.strip() != ""]
    cue = d["feedback"].str.contains(CUE)
    a = d[cue]
    b = d[~cue].sample(220, random_state=SEED)
    rest = d[~cue & ~d["row_index"].isin(b["row_index"]) & d["feedback"].str.contains("thank", case=False)]
    c = rest.sample(80, random_state=SEED)
    out = pd.concat([a.assign(stratum="cue"), b.assign(stratum="random"), c.assign(stratum="thank")])
    return out.sort_values("row_index")[["row_index", "feedback", "stratum"]].reset_index(drop=True)


def write_labels(private: str, s: pd.DataFrame, out: Path, *, skip_empty: bool = False) -> None:
    """Span labels of the sample ``s`` (row_index, feedback, stratum) into ``out``: each surface form listed
    in the private ``row|surface`` file is located in its comment (longest first, whole words, no overlap);
    only offsets and a hash of the text are written. ``skip_empty``: a ``row|`` line marks a row as read
    and holding no name."""
    names: dict[int, list[str]] = {}
    for line in Path(private).read_text(encoding="utf-8").splitlines():
        if line.strip():
            r, surface = line.split("|", 1)
            if surface or not skip_empty:
                names.setdefault(int(r), []).append(surface)
    missing = set(names) - set(s["row_index"])
    if missing:
        raise SystemExit(f"labelled rows not in the sample: {sorted(missing)}")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["row_index", "sha1", "stratum", "start", "end", "label"])
        for r, text, stratum in s.itertuples(index=False):
            spans: list[tuple[int, int]] = []
            for surface in sorted(names.get(r, []), key=len, reverse=True):
                found = False
                for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
                    found = True
                    if all(m.end() <= a or m.start() >= b for a, b in spans):
                        spans.append(m.span())
                if not found:
                    raise SystemExit(f"row {r}: {surface!r} not found")
            if not spans:
                w.writerow([r, sha1(text), stratum, "", "", ""])
            for a, b in sorted(spans):
                w.writerow([r, sha1(text), stratum, a, b, "PERSON"])


def main(private: str) -> None:
    write_labels(private, sample(), OUT)

if __name__ == "__main__":
    main(sys.argv[1])
