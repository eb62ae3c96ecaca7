"""Codebook validation, the pledge_theme_ruler component, sentiment and theme summaries."""
import pandas as pd
import pytest

from conftest import SAMPLES
from pledge_analysis.coding import (SentimentClassifier, add_theme_ruler, code_segments, codebook_from_records,
                                    read_codebook, theme_of, write_codebook)
from pledge_analysis.errors import CodebookError
from pledge_analysis.text import build_nlp


@pytest.fixture(scope="module")
def codebook():
    return read_codebook(SAMPLES / "codebook.yaml")


def test_sample_codebook_is_hierarchical_and_round_trips(codebook, tmp_path):
    assert len(codebook) >= 20 and codebook["colour"].notna().all()
    assert theme_of(codebook)["support.hna"] == "support"
    write_codebook(codebook, tmp_path / "cb.yaml")
    again = read_codebook(tmp_path / "cb.yaml")
    pd.testing.assert_frame_equal(again, codebook)


@pytest.mark.parametrize("records,match", [
    ([{"id": "a"}, {"id": "a"}], "duplicate code id"),
    ([{"id": "a", "parent": "zzz"}], "parent 'zzz'"),
    ([{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}], "cycle"),
    ([{"name": "no id"}], "no 'id'"),
])
def test_codebook_validation_errors(records, match):
    with pytest.raises(CodebookError, match=match):
        codebook_from_records(records)


def test_ruler_matches_inflections_phrases_and_negation():
    cb = codebook_from_records([{"id": "waiting", "name": "Waiting", "keywords": ["wait"]},
                                {"id": "env", "name": "Environment", "keywords": ["parking", "waiting room"]}])
    nlp = build_nlp()
    add_theme_ruler(nlp, cb)
    assert "pledge_theme_ruler" in nlp.pipe_names
    found = nlp("I Waited ages. No problems with parking. The waiting room was full.")._.pledge_codes
    assert ("waiting", "Waited", False) in {(c, t, n) for _s, _e, c, t, n in found}
    assert ("env", "parking", True) in {(c, t, n) for _s, _e, c, t, n in found}
    assert ("env", "waiting room", False) in {(c, t, n) for _s, _e, c, t, n in found}


def test_code_segments_gives_sentence_spans_and_skips_facilitators(codebook):
    segs = pd.DataFrame({"segment_id": ["s1", "s2"], "role": ["participant", "facilitator"],
                         "text": ["Staff were kind. The clinic delays were terrible.", "How did you find waiting?"]})
    c = code_segments(segs, codebook)
    assert set(c["segment_id"]) == {"s1"}
    wait = c[c["code_id"] == "waiting"].iloc[0]
    assert segs.text[0][wait.start:wait.end] == "The clinic delays were terrible."
    assert "delay" in wait.evidence
    assert set(c["method"]) == {"rules"} and set(c["status"]) == {"suggested"}
    assert "kindness" in set(c["code_id"])


def test_sentiment_default_and_prompt_prior():
    model = SentimentClassifier().fit()
    got = model.predict(pd.DataFrame({"text": ["Everyone was so kind", "Parking was a nightmare",
                                                "The clinic", "The clinic"],
                                      "question_id": ["good", "improve", "improve", "good"]}))
    assert got["sentiment"].tolist() == ["positive", "negative", "negative", "positive"]
    assert got["sentiment_score"].between(-1, 1).all()


def test_sample_themes_recover_planted_negativity(sample_run):
    result, _ = sample_run
    t = result.themes.set_index(["scope", "theme"])
    def negative_share(scope, theme):  # share of the scope's comments that raise the theme negatively
        return t.loc[(scope, theme), "n_negative"] / t.loc[(scope, theme), "n_scope_segments"]

    for theme in ("information", "support"):
        assert negative_share("secondary", theme) > 1.5 * negative_share("primary", theme)
        assert t.loc[("secondary", theme), "negativity"] > t.loc[("primary", theme), "negativity"]
    assert t.loc[("RGH", "waiting"), "prevalence"] > max(t.loc[(s, "waiting"), "prevalence"]
                                                         for s in ("NGU", "SAH", "MDH", "VVH", "WRI"))
    assert t.loc[("VVH", "communication"), "negativity"] < min(t.loc[(s, "communication"), "negativity"]
                                                               for s in ("NGU", "RGH", "SAH", "MDH", "WRI"))


def test_a_longer_keyword_of_another_code_wins_the_words_it_covers():
    """'The waiting room was cramped' is about the room, not a delay: when a user's codebook has 'waiting room'
    under environment and 'waiting' under waiting, the longer keyword takes the words it covers; a keyword that
    stands on its own elsewhere in the sentence still codes, and overlapping keywords of one code stay one coding."""
    cb = codebook_from_records([
        {"id": "waiting", "name": "Waiting", "keywords": ["waiting", "waited"]},
        {"id": "environment", "name": "Environment", "keywords": ["waiting room", "cramped"]},
    ])
    segs = pd.DataFrame({"segment_id": ["s1", "s2", "s3"],
                         "text": ["The waiting room was cramped and noisy.",
                                  "We waited two hours in the waiting room.",
                                  "Waiting for results was awful."]})
    got = code_segments(segs, cb)
    codes = got.groupby("segment_id")["code_id"].apply(set).to_dict()
    assert codes == {"s1": {"environment"}, "s2": {"waiting", "environment"}, "s3": {"waiting"}}, got
    assert got.loc[got.segment_id.eq("s2") & got.code_id.eq("waiting"), "evidence"].item() == "waited"
