"""The rule coder's spaCy contract: PhraseMatcher hits identical to spaCy's Matcher on the same token
patterns, registered versioned factories, and a pipeline saved with ``nlp.to_disk`` that codes the same
after ``spacy.load`` in a fresh Python process."""
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, SAMPLES
from userlike import write_project
from pledge_analysis.coding import code_segments, read_codebook
from pledge_analysis.coding.rules import ThemeRuler, add_theme_ruler
from pledge_analysis.text import build_nlp
from pledge_analysis.validate import load_and_check, read_inputs


def _segments(project):
    cfg, questions, codebook, problems = load_and_check(project)
    assert not problems
    return read_inputs(cfg, questions).segments, codebook


def _matcher_add_patterns(self, patterns):
    """The rule coder before the PhraseMatcher: spaCy's token Matcher on the LOWER-IN patterns."""
    from spacy.matcher import Matcher

    if not isinstance(self.matcher, Matcher):
        self.matcher = Matcher(self.nlp.vocab)
    for p in patterns:
        self.matcher.add(p["code_id"], [p["pattern"]])
        self.patterns.append(p)


@pytest.mark.parametrize("which", ["sample", "userlike"])
def test_phrase_matcher_codes_exactly_as_the_token_matcher(which, tmp_path, monkeypatch):
    segments, codebook = _segments(SAMPLES if which == "sample" else write_project(tmp_path / "p"))
    if len(segments) > 400:  # the token Matcher is the slow reference: a seeded sample of the segments
        segments = segments.sample(400, random_state=0)
    # plus the cases a phrase matcher could get wrong: case, contractions, punctuation inside keywords
    extra = pd.DataFrame({"segment_id": ["x1", "x2"], "role": ["participant", "participant"],
                          "text": ["WAITED and Waiting-room; the wait... didn't wait. Can't wait!",
                                   "No leaflet, no information; nobody EXPLAINED a thing.\n\nWeeks."]})
    segments = pd.concat([segments, extra], ignore_index=True)
    new = code_segments(segments, codebook, nlp=build_nlp())
    monkeypatch.setattr(ThemeRuler, "add_patterns", _matcher_add_patterns)
    old = code_segments(segments, codebook, nlp=build_nlp())
    assert len(new) > (100 if which == "sample" else 10)
    key = ["segment_id", "code_id", "start", "end"]
    pd.testing.assert_frame_equal(new.sort_values(key).reset_index(drop=True),
                                  old.sort_values(key).reset_index(drop=True))


def test_ruler_is_a_versioned_factory_with_settings_in_config():
    import spacy

    cb = read_codebook(SAMPLES / "codebook.yaml")
    nlp = build_nlp()
    add_theme_ruler(nlp, cb)
    assert nlp.pipe_factories["pledge_theme_ruler"] == "pledge_theme_ruler_v1"
    assert nlp.config["components"]["pledge_theme_ruler"]["negation_window"] == 3
    assert spacy.Language.get_factory_meta("pledge_theme_ruler_v1").assigns == ["doc._.pledge_codes"]
    blank = spacy.blank("en")
    old_name = blank.add_pipe("pledge_theme_ruler", config={"negation_window": 0})  # the alias of v1
    assert isinstance(old_name, ThemeRuler) and old_name.negation_window == 0


def test_saved_pipeline_loads_and_codes_the_same_in_a_fresh_process(tmp_path):
    cb = read_codebook(SAMPLES / "codebook.yaml")
    nlp = build_nlp(prefer_trained=False)
    add_theme_ruler(nlp, cb)
    nlp.add_pipe("pledge_deidentify_v1")
    texts = ["I waited weeks and the staff never explained anything.", "Ring Sister Okafor, parking was awful."]
    want = [[list(c) for c in doc._.pledge_codes] for doc in nlp.pipe(texts)]
    assert all(want)
    nlp.to_disk(tmp_path / "pipeline")
    script = ("import json, sys, spacy\n"  # no import of pledge_analysis: spaCy finds it by its entry points
              "nlp = spacy.load(sys.argv[1])\n"
              "docs = list(nlp.pipe(json.loads(sys.argv[2])))\n"
              "print(json.dumps({'codes': [[list(c) for c in d._.pledge_codes] for d in docs],"
              " 'pii': [[s.text for s in d.spans['pledge_pii']] for d in docs],"
              " 'loaded': 'pledge_analysis' in sys.modules}))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "pipeline"), json.dumps(texts)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout)
    assert got["codes"] == want
    assert "Okafor" in got["pii"][1]


def test_the_ruler_is_compiled_once_per_pipeline_and_codebook():
    """The partitioned coder calls code_segments per partition on one pipeline: the same codebook keeps the
    compiled ruler; a changed codebook replaces it."""
    codebook = read_codebook(SAMPLES / "codebook.yaml")
    nlp = build_nlp()
    first = add_theme_ruler(nlp, codebook)
    assert add_theme_ruler(nlp, codebook.copy()) is first
    changed = codebook.copy()
    changed.loc[0, "name"] = changed.loc[0, "name"] + " (renamed)"
    assert add_theme_ruler(nlp, changed) is not first and nlp.pipe_names.count("pledge_theme_ruler") == 1
