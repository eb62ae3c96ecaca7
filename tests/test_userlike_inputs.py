"""Problems a new user met with their own files (session 6, a hospital researcher's exports written by
hand: semicolon CSV in Windows-1252, header case and spaces that differ between exports, a site spelt
three ways, focus-group transcripts with the labels people really type). Each test reproduces one."""
from __future__ import annotations

import pytest

from pledge_analysis.errors import TranscriptFormatError
from pledge_analysis.io import accounting, read_transcript


def _docx(path, paragraphs):
    from docx import Document

    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(path)
    return path


# ------------------------------------------------------------------------------ transcripts
def test_dash_labels_in_a_docx_are_turns_not_the_moderators_words(tmp_path):
    """'Patient A - text' lines were joined to the MODERATOR's turn above: facilitator turns are not coded, so
    every patient's words in the focus group were silently lost from the analysis."""
    path = _docx(tmp_path / "StMarys_secondary_FG.docx", [
        "St Mary's secondary breast cancer focus group, 14 May 2025",
        "MODERATOR: What has your experience been since your diagnosis?",
        "Patient A - I feel like I fell off a cliff after primary treatment ended.",
        "Patient B – The CNS is lovely but she's stretched thin.",
        "MODERATOR: What would make the biggest difference?",
        "Patient C (Linda) - Being able to get through on the phone.",
    ])
    got = read_transcript(path, site="SM", group="secondary")
    segs = got.segments
    assert segs["speaker"].tolist() == ["MODERATOR", "Patient A", "Patient B", "MODERATOR", "Patient C (Linda)"]
    assert segs["role"].tolist() == ["facilitator", "participant", "participant", "facilitator", "participant"]
    assert not segs.loc[segs["role"] == "facilitator", "text"].str.contains("cliff|CNS|phone").any()
    assert got.set_aside.empty and accounting(got)["balanced"].all()  # the title paragraph is not a turn


def test_bracket_labels_and_a_title_line_in_a_txt(tmp_path):
    """'[Facilitator] ...' / '[P1] ...' with a title line made the whole transcript unreadable, and the hint
    told a command-line user to 'pass strict=False' (which was already the default)."""
    path = tmp_path / "riverside_primary_fg.txt"
    path.write_text("Riverside primary focus group - 20/05/2025\n[Facilitator] Can you tell us about your diagnosis?\n"
                    "[P1] It was quick, seen in a week.\n[00:04:10] [P2] I came out with no idea what grade 2 meant.\n"
                    "Sue (facilitator): And information afterwards?\n", encoding="utf-8")
    got = read_transcript(path, site="RG", group="primary")
    assert got.segments[["speaker", "role"]].values.tolist() == [
        ["Facilitator", "facilitator"], ["P1", "participant"], ["P2", "participant"],
        ["Sue (facilitator)", "facilitator"]]
    assert got.segments["text"].iloc[2] == "I came out with no idea what grade 2 meant."
    assert got.set_aside["value"].tolist() == ["Riverside primary focus group - 20/05/2025"]


def test_unknown_label_after_the_facilitator_is_an_error_not_a_silent_join(tmp_path):
    path = tmp_path / "fg.txt"
    path.write_text("Facilitator: What stood out?\nLinda - the wait for results.\nP2: The parking.\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError) as e:
        read_transcript(path, site="RG", group="primary")
    msg = str(e.value)
    assert "row 2" in msg and "facilitator" in msg and "strict" not in msg
    # a wrapped line after a participant's turn still continues it
    path.write_text("P1: What stood out was\nthe wait - weeks of it.\n", encoding="utf-8")
    assert read_transcript(path, site="RG", group="primary").segments["text"].tolist() == [
        "What stood out was the wait - weeks of it."]


def test_no_label_at_all_is_still_an_error_with_a_cli_hint(tmp_path):
    path = tmp_path / "fg.txt"
    path.write_text("Focus group\nWe talked about waiting.\nAnd parking.\nAnd phones.\nFacilitator: ok\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError) as e:
        read_transcript(path, site="RG", group="primary")
    assert "row 4" in str(e.value) and "strict" not in str(e.value) and "'P1: '" in str(e.value)
    path.write_text("Focus group notes\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError, match="row 1"):
        read_transcript(path, site="RG", group="primary")
