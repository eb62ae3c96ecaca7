"""Small contracts a new engineer relies on: tables that raise instead of filling, nothing dropped in
silence, logging and spaCy pipelines left as the caller had them, de-identification through nlp.pipe."""
import pandas as pd
import pytest

from conftest import SAMPLES

from pledge_analysis import schema
from pledge_analysis.errors import CodebookError, MissingColumnError, PledgeError, TableContractError


def test_conform_raises_naming_the_table_and_its_missing_columns():
    with pytest.raises(TableContractError) as err:
        schema.conform(pd.DataFrame({"segment_id": ["s1"], "code_id": ["waiting"]}), "codings")
    assert isinstance(err.value, MissingColumnError) and isinstance(err.value, PledgeError)
    assert err.value.table == "codings" and err.value.missing == list(schema.CODINGS[2:])
    assert "codings table is missing column(s) ['coder'" in str(err.value) and "schema.empty('codings')" in str(err.value)
    # a caller that takes tables from outside (a user's own codings) names what may be left out
    out = schema.conform(pd.DataFrame({"segment_id": ["s1"], "code_id": ["waiting"], "x": [1]}), "codings",
                         optional=schema.OPTIONAL["codings"])
    assert list(out.columns) == list(schema.CODINGS) + ["x"] and out["status"].isna().all()


def test_survey_respondents_carry_unmapped_attributes_as_empty_columns(tmp_path):
    from pledge_analysis.io import read_survey

    path = tmp_path / "s.csv"
    path.write_text("id,site,group,Q1\nr1,NGU,primary,Yes\n", encoding="utf-8")
    got = read_survey(path, columns={"respondent_id": "id", "site": "site", "group": "group"})
    assert list(got.respondents.columns) == list(schema.RESPONDENTS)
    assert got.respondents[["age_band", "ethnicity", "imd_quintile", "role"]].isna().all().all()


def test_coded_units_refuses_codings_with_codes_outside_the_codebook():
    from pledge_analysis.coding.codebook import codebook_from_records
    from pledge_analysis.coding.themes import coded_units

    cb = codebook_from_records([{"id": "waiting", "name": "Waiting", "keywords": ["wait"]}])
    segs = pd.DataFrame({"segment_id": ["s1", "s2"], "site": "NGU", "group": "primary", "source_type": "survey",
                         "source_id": "a.csv", "question_id": "q1", "respondent_id": ["r1", "r2"],
                         "speaker": None, "text": ["I waited.", "Parking was hard."]})
    codings = pd.DataFrame({"segment_id": ["s1", "s2", "s2"], "code_id": ["waiting", "parking", "parking"],
                            "status": "suggested", "start": None, "end": None})
    with pytest.raises(CodebookError, match=r"2 coding\(s\) use code\(s\) that are not in the codebook: 'parking' \(2\)"):
        coded_units(segs, codings, cb)
    units = coded_units(segs, codings.iloc[:1], cb)
    assert units["theme"].tolist() == ["waiting"]


def test_load_nlp_gives_each_caller_its_own_pipeline():
    from pledge_analysis.coding.codebook import codebook_from_records
    from pledge_analysis.coding.rules import add_theme_ruler
    from pledge_analysis.text.nlp import load_nlp, sentences

    a = load_nlp(prefer_trained=False)
    add_theme_ruler(a, codebook_from_records([{"id": "waiting", "name": "Waiting", "keywords": ["wait"]}]))
    b = load_nlp(prefer_trained=False)
    assert a is not b and "pledge_theme_ruler" in a.pipe_names and "pledge_theme_ruler" not in b.pipe_names
    assert [t.lemma_ for t in b("waited")] == ["wait"]
    assert sentences(["One. Two."]) == [(0, 0, 4, "One."), (0, 5, 9, "Two.")]  # its own private pipeline


def test_deidentification_goes_through_nlp_pipe_with_the_same_output():
    """redact_frame de-identifies in one batched nlp.pipe pass through the pledge_deidentify component.
    On the sample's comments (as read, before any redaction) it gives what redact() gives each text,
    text by text; a pipeline with an entity recogniser adds its PERSON entities through the same pass."""
    import spacy

    from pledge_analysis.config import ProjectConfig
    from pledge_analysis.io import read_survey
    from pledge_analysis.text.deidentify import Options, redact, redact_frame

    cfg = ProjectConfig.load(SAMPLES)
    survey = cfg.surveys[0]  # the patients' comments, as read from their CSV files (in three encodings)
    segs = pd.concat([read_survey(f, columns=survey.columns, comments=survey.comments, values=survey.values,
                                  source_id=cfg.source_id(f)).segments for f in survey.files if f.suffix == ".csv"],
                     ignore_index=True)
    allow = cfg.deidentify["allow"]
    out, review = redact_frame(segs, "text", allow=allow, pseudonyms=True)
    opts, registries = Options.make(allow=allow, pseudonyms=True), {}
    one_by_one = [redact(t, options=opts, _registry=registries.setdefault(s, {}))
                  for t, s in zip(segs["text"], segs["source_id"])]
    assert out["text"].tolist() == [r.text for r in one_by_one]
    assert review["placeholder"].tolist() == [p for r in one_by_one for p in r.placeholders]
    assert review["confidence"].tolist() == [sc for r in one_by_one for sc in r.scores] and len(review) > 50

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Rainbow"}])
    frame = pd.DataFrame({"segment_id": ["a", "b"], "text": ["I thank Rainbow for everything.", "All fine."]})
    assert redact_frame(frame, "text")[0]["text"].tolist() == ["I thank Rainbow for everything.", "All fine."]
    assert redact_frame(frame, "text", nlp=nlp)[0]["text"].tolist() == ["I thank [PERSON] for everything.", "All fine."]
    assert nlp.pipe_names == ["entity_ruler"]  # used, not changed
