"""REFI-QDA codings keep their GUIDs through import and re-export, as memos keep theirs.

A project exported, imported and exported again used to give every ``Coding`` (and its selection) a new
GUID: the imported ``codings`` table had no GUID column, so another program reading the re-export saw
every coding as a new one. Now ``read_project_qdpx`` gives ``coding_guid`` and ``selection_guid`` and the
writer writes them again. The projects here are real archives: one as ATLAS.ti writes it (a selection
with two codings: its GUID can be written once only), one from our own exporter; each re-export is
validated against the REFI-QDA 1.0 schema when ``../shared/external/refi-qda`` is present.
"""
from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from lxml import etree

from pledge_analysis.coding import codebook_from_records
from pledge_analysis.io.refi import project_qdpx_bytes, read_project_qdpx, validate
from tests.test_refi_compat import G, P, XSD, atlas  # noqa: F401  (atlas is a fixture)


def _guids(path, tag: str) -> list[str]:
    """GUIDs of every ``tag`` element of the project's ``project.qde``, in document order, lower case."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
    return [el.get("guid").lower() for el in root.iter(f"{{{P}}}{tag}")]


def _re_export(tables: dict, path) -> None:
    path.write_bytes(project_qdpx_bytes(segments=tables["segments"], codebook=tables["codebook"],
                                        codings=tables["codings"], respondents=tables["respondents"],
                                        memos=tables["memos"], name="round trip"))
    if XSD.exists():
        assert validate(path, XSD) == []


def test_codings_of_another_program_keep_their_guids(atlas, tmp_path):  # noqa: F811
    with pytest.warns(UserWarning):
        t = read_project_qdpx(atlas)
    text_codings = {G(2100).lower(), G(2101).lower(), G(2200).lower()}  # the audio coding is not imported
    assert set(t["codings"]["coding_guid"].str.lower()) == text_codings
    assert t["codings"].set_index(t["codings"]["coding_guid"].str.lower())["selection_guid"].str.lower().to_dict() \
        == {G(2100).lower(): G(21).lower(), G(2101).lower(): G(21).lower(), G(2200).lower(): G(22).lower()}
    out = tmp_path / "again.qdpx"
    _re_export(t, out)
    assert text_codings <= set(_guids(out, "Coding"))
    selections = _guids(out, "PlainTextSelection")
    assert len(selections) == len(set(selections))              # every GUID written once
    assert {G(21).lower(), G(22).lower()} <= set(selections)     # the shared selection keeps it on its first coding
    back = read_project_qdpx(out)
    assert set(back["codings"]["coding_guid"].str.lower()) == text_codings
    key = ["coding_guid", "code_id", "start", "end", "coder"]
    a = t["codings"].assign(coding_guid=t["codings"]["coding_guid"].str.lower())[key].astype(str)
    b = back["codings"].assign(coding_guid=back["codings"]["coding_guid"].str.lower())[key].astype(str)
    pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True))


def test_our_export_imported_and_exported_again_has_the_same_coding_guids(tmp_path):
    segments = pd.DataFrame({
        "segment_id": ["s1", "s2"], "source_id": "survey.csv", "site": "Westmoor", "group": "primary",
        "source_type": "survey", "question_id": "Q1", "respondent_id": ["r1", "r2"], "speaker": None,
        "role": "participant", "position": [0, 1], "timestamp": None,
        "text": ["The waiting room was cold.", "Nobody rang me back with my results."]})
    codebook = codebook_from_records([{"id": "environment", "name": "Environment", "keywords": ["waiting room"]},
                                      {"id": "communication", "name": "Communication", "keywords": ["rang"]}])
    codings = pd.DataFrame({
        "coding_id": [1, 2, 3], "segment_id": ["s1", "s2", "s2"], "code_id": ["environment", "communication",
                                                                              "environment"],
        "coder": ["alice", "alice", "bob"], "method": "manual", "confidence": None, "start": [0, 0, None],
        "end": [16, 14, None], "status": "accepted", "created_at": "2026-03-01T10:00:00+00:00", "memo": None,
        "evidence": None, "negated": None})
    first = tmp_path / "first.qdpx"
    first.write_bytes(project_qdpx_bytes(segments=segments, codebook=codebook, codings=codings))
    if XSD.exists():
        assert validate(first, XSD) == []
    t = read_project_qdpx(first)
    assert len(t["codings"]) == 3 and t["codings"]["coding_guid"].notna().all()
    again = tmp_path / "again.qdpx"
    _re_export(t, again)
    assert _guids(again, "Coding") == _guids(first, "Coding")
    assert _guids(again, "PlainTextSelection") == _guids(first, "PlainTextSelection")
