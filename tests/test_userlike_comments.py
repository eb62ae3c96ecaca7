"""Comments as patients really write them (session 7): one very long comment, answers that say nothing
("not really", "N/A", "-"), comments in Welsh and Polish. Each test reproduces a problem a new user met on
their own files (tests/userlike.py builds the project)."""
from __future__ import annotations

import csv

import pytest

from userlike import write_project

LONG = " ".join(f"On visit {i} I waited a long time in clinic and nobody told us why, so I sat there worrying."
                for i in range(1, 40))


def _add_rows(root, rows):
    """Append rows (Ref, site, cohort, listened, overall, went well, could be better) to the project's export."""
    path = root / "exports" / "feedback_2027.csv"
    text = path.read_bytes().decode("cp1252")
    extra = "".join(",".join(f'"{c}"' for c in r) + "\r\n" for r in rows)
    path.write_bytes((text + extra).encode("cp1252"))


@pytest.fixture(scope="module")
def long_comment_run(tmp_path_factory):
    from pledge_analysis.pipeline import run_project

    root = write_project(tmp_path_factory.mktemp("long") / "proj", n=30)
    _add_rows(root, [["R900", "LWC", "Metastatic", "Disagree", "3", "Staff were kind.", LONG]])
    return run_project(root)


def _quoted_segments(quotes: str, segments) -> list[str]:
    """The segment each quote of a ``" | "``-joined cell was taken from."""
    out = []
    for q in str(quotes).split(" | "):
        body = q.rsplit(" (", 1)[0].strip("“”")
        out += [s for s, t in zip(segments["segment_id"], segments["text"]) if body and body in t][:1]
    return out


def test_one_long_comment_is_one_voice_among_the_quotes(long_comment_run):
    """Three of an area's three quotes were sentences of one patient's long comment ('On visit 1 ...',
    'On visit 2 ...'), shown in the plan and the co-design pack as three voices."""
    r = long_comment_run
    long_seg = r.segments.loc[r.segments["text"].str.len() > 2000, "segment_id"]
    assert len(long_seg) == 1  # kept whole
    checked = 0
    for table in (r.priorities, r.action_plan):
        for quotes in table["quotes"].dropna():
            quoted = _quoted_segments(quotes, r.segments)
            assert len(quoted) == len(set(quoted)), quotes
            checked += len(quoted) > 1
    assert checked  # some rows had several quotes to compare
