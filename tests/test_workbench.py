"""Codebook files and edits, reliability, queries, blind review decisions, REFI-QDA exchange."""
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from conftest import EXTERNAL
from pledge_analysis.coding import codebook_from_records
from pledge_analysis.coding.agreement import (agreed_codings, coding_agreement, cohen_kappa, disagreements,
                                              krippendorff_alpha)
from pledge_analysis.coding.codebook_ops import (add_code, merge_codes, move_code, read_codebook_xlsx,
                                                 read_nhs_framework, rename_code, retire_code, write_codebook_xlsx)
from pledge_analysis.coding.queries import code_frequencies, cooccurrence, matrix_coding, quotes_table, retrieve
from pledge_analysis.coding.review import ReviewWidget
from pledge_analysis.errors import CodebookError
from pledge_analysis.io.refi import read_codebook_qdc, read_project_qdpx, validate, write_codebook_qdc, write_project_qdpx
from pledge_analysis.project import Project

REFI = EXTERNAL / "refi-qda"
FRAMEWORK = EXTERNAL / "pxtextmining" / "framework_v7_details.csv"
needs_refi = pytest.mark.skipif(not (REFI / "Project.xsd").exists(), reason="REFI-QDA schemas not available")

KRIPPENDORFF_2011 = [[1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
                     [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan]]


def test_krippendorff_published_example_and_package():
    krippendorff = pytest.importorskip("krippendorff")
    assert round(krippendorff_alpha(KRIPPENDORFF_2011), 3) == 0.743  # Krippendorff (2011), nominal
    rng = np.random.default_rng(3)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(
            krippendorff.alpha(reliability_data=KRIPPENDORFF_2011, level_of_measurement=level))
        m = rng.integers(1, 5, (3, 40)).astype(float)
        m[rng.random(m.shape) < 0.15] = np.nan
        assert krippendorff_alpha(m, level) == pytest.approx(krippendorff.alpha(reliability_data=m, level_of_measurement=level))


def test_cohen_kappa_matches_sklearn():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, 200)
    b = np.where(rng.random(200) < 0.7, a, rng.integers(0, 3, 200))
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_coding_agreement_segment_and_character_level():
    segs = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "s4"], "text": ["0123456789"] * 4})
    rows = [("s1", "w", "alice", 0, 10), ("s1", "w", "bob", 0, 5), ("s2", "w", "alice", 0, 10),
            ("s3", "w", "bob", 0, 10), ("s4", "k", "alice", 0, 10), ("s4", "k", "bob", 0, 10)]
    c = pd.DataFrame(rows, columns=["segment_id", "code_id", "coder", "start", "end"]).assign(status="accepted")
    ag = coding_agreement(c, segs, coders=["alice", "bob"]).set_index(["code_id", "level"])
    # segment level, code w: alice [1,1,0,0], bob [1,0,1,0]
    assert ag.at[("w", "segment"), "percent_agreement"] == 0.5
    assert ag.at[("w", "segment"), "kappa"] == pytest.approx(cohen_kappa_score([1, 1, 0, 0], [1, 0, 1, 0]))
    # character level: alice s1 0-10, s2 0-10; bob s1 0-5, s3 0-10 -> 5 of 40 chars differ in s1, 10 in s2, 10 in s3
    assert ag.at[("w", "character"), "percent_agreement"] == pytest.approx(15 / 40)
    assert ag.at[("k", "segment"), "alpha"] == pytest.approx(1.0)
    d = disagreements(c, segs, coders=["alice", "bob"])
    assert set(map(tuple, d[["segment_id", "code_id"]].values)) == {("s2", "w"), ("s3", "w")}  # s1: both applied w
    agreed = agreed_codings(c, coders=["alice", "bob"])
    assert set(map(tuple, agreed[["segment_id", "code_id"]].values)) == {("s1", "w"), ("s4", "k")}


def test_codebook_edits_and_xlsx(tmp_path):
    cb = codebook_from_records([{"id": "wait", "name": "Waiting", "keywords": ["wait"]},
                                {"id": "wait.clinic", "name": "Clinic", "parent": "wait"},
                                {"id": "delay", "name": "Delays", "keywords": ["delay"]}])
    cb = add_code(cb, "env", "Environment", keywords=["parking"])
    cb = rename_code(cb, "env", "Environment and facilities")
    cb = move_code(cb, "wait.clinic", "env")
    with pytest.raises(CodebookError, match="cycle"):
        move_code(cb, "env", "wait.clinic")
    codings = pd.DataFrame({"segment_id": ["a", "b"], "code_id": ["delay", "wait"]})
    cb2, codings2 = merge_codes(cb, codings, "delay", into="wait")
    assert "delay" not in set(cb2["code_id"]) and set(codings2["code_id"]) == {"wait"}
    assert cb2.set_index("code_id").at["wait", "keywords"] == ["wait", "delay"]
    retired = retire_code(cb2, "env")
    assert retired.set_index("code_id").at["env", "retired"]
    write_codebook_xlsx(cb2, tmp_path / "cb.xlsx")
    pd.testing.assert_frame_equal(read_codebook_xlsx(tmp_path / "cb.xlsx"), cb2)
    with pytest.raises(CodebookError, match="already exists"):
        add_code(cb2, "wait", "again")


@pytest.mark.skipif(not FRAMEWORK.exists(), reason="NHS framework file not available")
def test_nhs_framework_import():
    cb = read_nhs_framework(FRAMEWORK)
    assert cb["parent_id"].isna().sum() == 10 and cb["parent_id"].notna().sum() == 33
    sub = cb.set_index("name").loc["Positive experience & gratitude"]
    assert sub["parent_id"] == "general" and "Very good" in sub["examples"] and sub["description"]


def test_queries(sample_run):
    r = sample_run[0]
    f = code_frequencies(r.codings, r.segments, by=["group"], codebook=r.codebook, level="theme")
    assert f.set_index(["code_id", "group"]).at[("parity", "secondary"), "n_segments"] > 10
    co = cooccurrence(r.codings, r.segments, codebook=r.codebook, level="theme")
    assert (co.values == co.values.T).all() and co.at["waiting", "waiting"] >= co.at["waiting", "information"]
    m = matrix_coding(r.codings, r.segments, "site")
    assert {"n_segments", "example"} <= set(m.columns)
    got = retrieve(r.codings, r.segments, "waiting", codebook=r.codebook)
    assert got["code_id"].str.startswith("waiting").all() and (got["before"] != "").any()
    q = quotes_table(r.codings, r.segments, r.codebook)
    assert list(q.columns[:6]) == ["code_id", "code", "quote", "site", "group", "speaker"]


def test_blind_double_coding_in_the_store(sample_run, tmp_path):
    from pledge_analysis.pipeline import write_store
    from pledge_analysis.pipeline import ingest  # noqa: F401  (documents where the data comes from)

    r = sample_run[0]
    db = tmp_path / "p.sqlite"
    with Project.open(db) as p:
        p.write_table("segments", r.segments)
        p.write_table("codebook", r.codebook)
        p.add_codings(r.codings.head(50))
        alice = ReviewWidget(p, "alice")
        bob = ReviewWidget(p, "bob")
        first = alice.current["coding_id"]
        alice.decide("accepted")
        alice.decide("rejected")
        alice.add("kindness")
        assert len(alice.queue) == 48 and len(bob.queue) == 50  # bob does not see alice's decisions
        assert bob.current["coding_id"] == first
        bob.decide("rejected")
        manual = p.codings(method="manual")
        assert sorted(manual["coder"]) == ["alice", "alice", "alice", "bob"]
        assert p.codings(method="rules")["status"].eq("suggested").all()  # suggestions untouched
        uncertain = ReviewWidget(p, "carol", uncertain_first=True)
        assert uncertain.queue["confidence"].is_monotonic_increasing
        only = ReviewWidget(p, "dave", site="RGH")
        assert set(only.queue["site"]) <= {"RGH"}


@needs_refi
def test_refi_qda_export_validates_and_round_trips(sample_run, tmp_path):
    r, out = sample_run
    assert validate(out / "project.qdpx", REFI / "Project.xsd") == []
    assert validate(out / "codebook.qdc", REFI / "Codebook.xsd") == []
    codings = r.codings.assign(coder=["rules"] * (len(r.codings) - 1) + ["alice"])
    memos = pd.DataFrame([{"memo_id": 1, "segment_id": r.segments["segment_id"].iloc[0], "code_id": None,
                           "coder": "alice", "text": "ask the group", "created_at": "2026-03-01T10:00:00+00:00"}])
    write_project_qdpx(tmp_path / "x.qdpx", segments=r.segments, codebook=r.codebook, codings=codings,
                       respondents=r.respondents, memos=memos)
    assert validate(tmp_path / "x.qdpx", REFI / "Project.xsd") == []
    back = read_project_qdpx(tmp_path / "x.qdpx")
    pd.testing.assert_frame_equal(back["codebook"], r.codebook)
    a = r.segments.set_index("segment_id").sort_index()
    b = back["segments"].set_index("segment_id").sort_index()
    assert (a["text"] == b["text"]).all() and (a["site"] == b["site"]).all()
    assert (a["speaker"].fillna("") == b["speaker"].fillna("")).all()
    cols = ["segment_id", "code_id", "coder", "method", "status", "start", "end", "evidence"]
    key = lambda d: d[cols].astype(str).sort_values(cols).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(back["codings"]), key(codings))
    assert back["memos"]["text"].tolist() == ["ask the group"]
    people = back["respondents"].set_index("respondent_id")
    assert people.at["NGU-0001", "site"] == "NGU" and "age_band" in people.columns
    write_codebook_qdc(r.codebook, tmp_path / "c.qdc")
    pd.testing.assert_frame_equal(read_codebook_qdc(tmp_path / "c.qdc"), r.codebook)


@needs_refi
def test_unicode_offsets_are_code_points(tmp_path):
    segs = pd.DataFrame({"segment_id": ["s1"], "source_id": ["t.txt"], "site": ["A"], "group": ["primary"],
                         "source_type": ["focus_group"], "respondent_id": ["t.txt:P1"], "speaker": ["P1"],
                         "position": [0], "text": ["Café 😀 staff were kind"]})
    cb = codebook_from_records([{"id": "kind", "name": "Kindness"}])
    c = pd.DataFrame([{"segment_id": "s1", "code_id": "kind", "coder": "alice", "method": "manual",
                       "status": "accepted", "start": 7, "end": 22}])
    write_project_qdpx(tmp_path / "u.qdpx", segments=segs, codebook=cb, codings=c)
    assert validate(tmp_path / "u.qdpx", REFI / "Project.xsd") == []
    back = read_project_qdpx(tmp_path / "u.qdpx")
    row = back["codings"].iloc[0]
    assert segs["text"].iloc[0][int(row["start"]):int(row["end"])] == "staff were kind"
