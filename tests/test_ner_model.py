"""A trained spaCy NER as the de-identifier's extra recognizer (issue 14): the user path and its errors.

One tiny NER (blank English + ``ner``, PERSON only) is trained here with spaCy's own training loop on a few
hundred sentences of one shape the rules miss ("Our tea was made by Zorbek every morning."), saved to a
temporary folder and loaded the ways a user would: ``load_ner_model`` / ``redact(nlp=...)``, project.yaml
``deidentify: {ner_model: <folder>}`` through ``pledge-analysis code --project``, and ``code --ner-model``.
"""
from __future__ import annotations

import random

import pandas as pd
import pytest

from pledge_analysis.cli import main
from pledge_analysis.errors import ModelUnavailableError
from pledge_analysis.text.deidentify import redact, redact_frame
from pledge_analysis.text.ner_model import load_ner_model, location, recognizers

SYLLABLES = ["zor", "bek", "quil", "fant", "vex", "tro", "mi", "lan", "dru", "sko", "pel", "nar", "ush", "kai"]
TEMPLATE = "Our tea was made by {} every morning."
UNSEEN = "Drusko"  # a made-up name the training sentences never hold


def _names(rng, n):
    out = set()
    while len(out) < n:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if name != UNSEEN:
            out.add(name)
    return sorted(out)


@pytest.fixture(scope="module")
def ner_folder(tmp_path_factory):
    """A PERSON-only spaCy NER trained for a few epochs on 240 sentences (a few seconds), saved to disk."""
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(0)
    rng = random.Random(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("PERSON")
    examples = []
    for name in _names(rng, 120):
        text = TEMPLATE.format(name)
        start = TEMPLATE.index("{}")
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": [(start, start + len(name), "PERSON")]}))
        other = "Our tea was made by the kitchen every morning."
        examples.append(Example.from_dict(nlp.make_doc(other), {"entities": []}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(8):
        rng.shuffle(examples)
        for i in range(0, len(examples), 16):
            nlp.update(examples[i:i + 16], sgd=optimizer, drop=0.1)
    folder = tmp_path_factory.mktemp("ner") / "model"
    nlp.to_disk(folder)
    return folder


def test_the_rules_miss_the_shape_the_ner_is_trained_on():
    assert redact(TEMPLATE.format(UNSEEN)).spans == []  # else this file would test nothing


def test_a_trained_ner_adds_its_names_and_the_rules_still_run(ner_folder):
    nlp = load_ner_model(ner_folder)
    assert nlp.pipe_names == ["ner"] and "PERSON" in nlp.get_pipe("ner").labels
    text = TEMPLATE.format(UNSEEN) + " Ring Sister Okafor on 07700 900461."
    r = redact(text, nlp=nlp)
    assert r.text == "Our tea was made by [PERSON] every morning. Ring Sister [PERSON] on [PHONE]."
    assert r.recognizers == ["ner", "rules", "rules"]
    _, review = redact_frame(pd.DataFrame({"segment_id": ["a"], "text": [text]}), nlp=nlp)
    assert review["recognizer"].tolist() == ["ner", "rules", "rules"]
    assert review["label"].tolist() == ["PERSON", "PERSON", "PHONE"]
    assert recognizers(True, nlp)[:2] == ["rules", "name_model"] and str(ner_folder) in recognizers(True, nlp)[2]


def test_ner_names_in_the_allow_list_or_made_of_ordinary_words_are_not_kept(ner_folder):
    nlp = load_ner_model(ner_folder)
    assert redact(TEMPLATE.format(UNSEEN), nlp=nlp, allow=[UNSEEN]).spans == []
    # an ordinary English word in the name's place: the NER may call it a name, the check drops it
    r = redact(TEMPLATE.format("Someone"), nlp=nlp)
    assert "ner" not in r.recognizers


def test_project_yaml_names_the_model_and_code_uses_it(ner_folder, tmp_path, capsys):
    import shutil

    from .userlike import edit, write_project

    project = write_project(tmp_path / "proj")
    shutil.copytree(ner_folder, project / "ner_model")
    pd.DataFrame({"comment_id": ["a"], "text": [TEMPLATE.format(UNSEEN)]}).to_csv(tmp_path / "in.csv", index=False)

    def coded(name, *extra):
        assert main(["code", str(tmp_path / "in.csv"), "--quiet", "--out", str(tmp_path / name), *extra]) == 0
        return pd.read_parquet(tmp_path / name)["text"].iloc[0]

    assert UNSEEN in coded("without", "--project", str(project))
    edit(project / "project.yaml", "  pseudonyms: false\n", "  pseudonyms: false\n  ner_model: ner_model\n")
    # the folder is relative to project.yaml
    assert coded("with", "--project", str(project)).startswith("Our tea was made by [PERSON] every")
    assert coded("flag", "--codebook", str(project / "codebook.yaml"), "--ner-model",
                 str(ner_folder)).startswith("Our tea was made by [PERSON] every")


def test_a_missing_model_is_a_clear_error_before_any_work(tmp_path, capsys):
    with pytest.raises(ModelUnavailableError, match="en_no_such_pipeline.*not an installed package") as err:
        load_ner_model("en_no_such_pipeline")
    assert err.value.key == "deidentify.ner_model" and "pip install" in str(err.value)
    with pytest.raises(ModelUnavailableError, match="does not exist"):
        load_ner_model(tmp_path / "nowhere")
    pd.DataFrame({"comment_id": ["a"], "text": ["fine"]}).to_csv(tmp_path / "in.csv", index=False)
    from .conftest import SAMPLES

    assert main(["code", str(tmp_path / "in.csv"), "--codebook", str(SAMPLES / "codebook.yaml"), "--quiet",
                 "--out", str(tmp_path / "o"), "--ner-model", "en_no_such_pipeline"]) == 2
    assert "PA700" in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_a_pipeline_without_a_person_ner_is_refused(tmp_path):
    import spacy

    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(ModelUnavailableError, match="no `ner` component that predicts PERSON"):
        load_ner_model(tmp_path / "blank")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.cfg").write_text("not a config", encoding="utf-8")
    with pytest.raises(ModelUnavailableError, match="could not be loaded"):
        load_ner_model(tmp_path / "broken")


def test_a_relative_folder_is_read_from_the_project_and_a_name_stays_a_name(tmp_path):
    (tmp_path / "model").mkdir()
    assert location("model", tmp_path) == str((tmp_path / "model").resolve())
    assert location("./elsewhere", tmp_path) == str((tmp_path / "elsewhere").resolve())
    assert location("en_core_web_sm", tmp_path) == "en_core_web_sm"


def test_a_run_uses_the_projects_ner_and_its_log_names_the_recognizers(ner_folder, tmp_path):
    import shutil

    from pledge_analysis.pipeline import run_project

    from .userlike import edit, write_project

    project = write_project(tmp_path / "proj", n=6, good=[TEMPLATE.format(UNSEEN)])
    shutil.copytree(ner_folder, project / "ner_model")
    edit(project / "project.yaml", "  pseudonyms: false\n", "  pseudonyms: false\n  ner_model: ner_model\n")
    result = run_project(project)
    assert UNSEEN not in " ".join(result.segments["text"])
    assert result.run_log["deidentify_recognizers"][:2] == ["rules", "name_model"]
    assert result.run_log["deidentify_recognizers"][2].startswith("ner: ")
    assert result.run_log["redactions_by_recognizer"]["ner"] >= 1
    assert set(result.redactions.loc[result.redactions["recognizer"] == "ner", "label"]) == {"PERSON"}
    edit(project / "project.yaml", "  ner_model: ner_model\n", "  ner_model: en_no_such_pipeline\n")
    with pytest.raises(ModelUnavailableError, match="en_no_such_pipeline"):
        run_project(project)


def _recording_pipeline(folder, seen: list):
    """The trained NER of ``folder`` with a component that records each text spaCy is given (a real pipeline)."""
    import spacy
    from spacy.language import Language

    name = "test_record_texts"
    if name not in Language.factories:
        @Language.factory(name)
        def _make(nlp, name):
            def record(doc):
                nlp.meta.setdefault("seen", []).append(doc.text)
                return doc
            return record
    nlp = spacy.load(folder)
    nlp.add_pipe(name, first=True)
    nlp.meta["seen"] = seen
    return nlp


def test_the_ner_reads_only_the_sentences_that_can_hold_a_name_it_keeps(ner_folder):
    """Speed without a changed result: a trained NER's names are kept only with a capitalised word that may be a
    name (``name_word``), so it is given only the sentences holding one; the redactions are those of the whole
    text, offsets included."""
    from pledge_analysis.text.ner_model import name_word, ner_pieces, person_entities

    seen: list = []
    nlp = _recording_pipeline(ner_folder, seen)
    name_sentence = TEMPLATE.format(UNSEEN)
    texts = ["The ward was clean. " + name_sentence + " The food was cold.",
             "All fine, thank you. Staff were kind.", "", name_sentence]
    found = person_entities(nlp, texts)
    assert seen == [name_sentence, name_sentence]  # nothing else was read
    start = texts[0].index(UNSEEN)
    assert found == [[(start, start + len(UNSEEN))], [], [], [(20, 20 + len(UNSEEN))]]
    # the same as reading each whole text, once the names are checked as the de-identifier checks them
    whole = [[(e.start_char, e.end_char) for e in doc.ents] for doc in nlp.pipe(texts)]
    assert whole[0] == found[0] and whole[3] == found[3]
    _, review = redact_frame(pd.DataFrame({"segment_id": list("abcd"), "text": texts}), nlp=nlp)
    assert review.loc[review["recognizer"] == "ner", ["row", "start"]].values.tolist() == [["a", start], ["d", 20]]
    # a pipeline of patterns only is taken as it is: whole texts, no checks
    assert ner_pieces("all fine. staff were kind.") == [] and not name_word("Staff")
    seen.clear()
    person_entities(nlp, texts[:2], checks=False)
    assert seen == texts[:2]


def test_a_lone_ordinary_capitalised_word_beside_a_name_does_not_make_a_ner_name():
    """The check on a trained NER's names: one word of the name must be capitalised as names are *and* possibly
    a name; "Nurse jane" is the rules' business (a title before a lower-case name)."""
    from pledge_analysis.text.deidentify import _name_like

    assert _name_like("Thanks to Adeyemi-Brown today", 10, 23)
    assert not _name_like("I saw Nurse jane today", 6, 16)
    assert not _name_like("I saw the CAMHS team", 10, 15)
