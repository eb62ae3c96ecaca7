"""The starter codebook (``pledge-analysis init`` copies it) gives each keyword to one code.

A keyword in two codes codes every comment holding it twice: "results" in both communication and
waiting.diagnosis made "the consultant gave me my results kindly" a waiting comment and "I waited weeks for my
results" a communication one. Single words are compared in every form the rule coder matches
(:func:`pledge_analysis.coding.rules.word_forms`: "result" and "results" are one keyword), phrases as
lower-cased text. A keyword inside a longer one of another code ("results" in "explained my results") is no
clash: the longer match wins (:mod:`pledge_analysis.coding.rules`)."""
from __future__ import annotations

import itertools
from importlib.resources import files

import pandas as pd
import yaml

from pledge_analysis.coding import code_segments
from pledge_analysis.coding.rules import word_forms
from pledge_analysis.project_schema import CodebookFile

#: keywords that may stand in two codes, with the reason (none in the starter codebook today)
DECLARED: dict[str, str] = {}


def _codes():
    text = (files("pledge_analysis") / "resources" / "service_pledge_codebook.yaml").read_text(encoding="utf-8")
    CodebookFile.model_validate(yaml.safe_load(text))  # it still is a valid codebook file
    return yaml.safe_load(text)["codes"]


def _forms(keyword: str) -> set[str]:
    k = " ".join(keyword.lower().split())
    return {k} if " " in k else set(word_forms(k))


def test_no_keyword_is_in_two_codes_of_the_starter_codebook():
    clashes = []
    for a, b in itertools.combinations(_codes(), 2):
        for ka, kb in itertools.product(a.get("keywords", []), b.get("keywords", [])):
            if _forms(ka) & _forms(kb) and ka not in DECLARED:
                clashes.append((a["id"], ka, b["id"], kb))
    assert not clashes, clashes


def test_results_is_coded_by_meaning():
    from pledge_analysis.coding.codebook import codebook_from_records

    codebook = codebook_from_records(_codes())
    segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "source_id": "s", "site": "S", "group": "primary",
                         "source_type": "survey", "question_id": "Q1", "speaker": None, "role": "participant",
                         "position": [0, 1, 2],
                         "text": ["The consultant explained my results clearly.",
                                  "I waited weeks for my results.",
                                  "The surgeon gave me the results on the phone."]})
    got = code_segments(segs, codebook).groupby("segment_id")["code_id"].apply(set).to_dict()
    assert "communication" in got["a"] and "waiting.diagnosis" not in got["a"], got
    assert "waiting.diagnosis" in got["b"] and "communication" not in got["b"], got
    assert "communication" in got["c"] and "waiting.diagnosis" not in got["c"], got


def test_a_waiting_room_is_a_place_not_a_wait():
    """A new-user trial: "Waiting room was too cold" was coded waiting.clinic, and a three-respondent hospital
    got the goal "Patients waited a long time in clinic". The waiting room is the environment; a wait is
    still a wait when the comment says how long."""
    from pledge_analysis.coding.codebook import codebook_from_records

    codebook = codebook_from_records(_codes())
    texts = ["Waiting room was too cold.",
             "The waiting rooms were freezing and there was nowhere to sit.",
             "The waiting area was cramped.",
             "I waited two hours in clinic.",
             "I sat in the waiting room for three hours."]
    segs = pd.DataFrame({"segment_id": list("abcde"), "source_id": "s", "site": "S", "group": "primary",
                         "source_type": "survey", "question_id": "Q1", "speaker": None, "role": "participant",
                         "position": range(5), "text": texts})
    got = code_segments(segs, codebook).groupby("segment_id")["code_id"].apply(set).to_dict()
    for seg in "abc":
        assert got.get(seg) == {"environment"}, (texts["abc".index(seg)], got)
    assert "waiting.clinic" in got["d"] and "environment" not in got["d"], got
    assert {"waiting.clinic", "environment"} <= got["e"], got  # a long wait, in a place
