"""The statistical name recognizer (``pledge_analysis/text/name_model.py``, issue 14, fourth round): it adds
names the rules miss, leaves Welsh and Polish comments and hard negatives alone, falls back to the rules
when its file is missing, refuses a changed or foreign file, and can be switched off in project.yaml."""
import hashlib
import io
import logging
import zipfile

import numpy as np
import pytest

from conftest import ROOT
from pledge_analysis.errors import ModelUnavailableError, ProjectFileError
from pledge_analysis.text import name_model as nm
from pledge_analysis.text import redact
from pledge_analysis.text.deidentify import Options, find_scored

RULES = Options.make(name_model=False)

#: Written for this test (not in the training script or any evaluation set); the rules alone miss each name.
MISSED_BY_RULES = [
    ("Honestly without Bongani I would have walked out.", "Bongani"),
    ("We were told by Ingibjorg that the scan was clear.", "Ingibjorg"),
    ("Ask Yerlan about the parking permit, he sorted mine.", "Yerlan"),
    ("Went back for Tumelo after the biopsy.", "Tumelo"),  # "to see Tumelo": a rule since the fifth round
    ("Could Ravshan ring me about the letter?", "Ravshan"),
    ("Apparently Zoltanne is leaving, which is a shame.", "Zoltanne"),
    ("For Ikaika and the team, thanks.", "Ikaika"),
]

#: Comments in Welsh and Polish (other sentences than the training script's): no word is a name.
WELSH_POLISH = [
    "Roedd y gofal yn wych ac yn Gymraeg bob tro.", "Diolch i'r tîm am fod mor amyneddgar gyda Mam.",
    "Hoffwn i'r llythyrau ddod yn Gymraeg ac yn Saesneg.", "Mae Ysbyty Gwynedd yn bell o'n tŷ ni.",
    "Roedd Nyrs y Fron yn egluro popeth, ac yn gwrando.", "Cefais ofal da ond roedd yr Adran Argyfwng yn brysur iawn.",
    "Ni siaradodd neb Gymraeg â fi yn y Clinig.", "Personel był bardzo uprzejmy i pomocny.",
    "Dziękuję Pani Doktor za wszystko.", "Czekałam trzy godziny w Poczekalni.",
    "Brakowało tłumacza, a Lekarz mówił za szybko.", "Jestem wdzięczna całemu Zespołowi Onkologii.",
    "Parking był drogi, ale Obsługa Miła.", "Chciałabym dostawać Listy po polsku.",
    "Operacja przebiegła dobrze, Dziękuję.", "Nie rozumiałam, co mówi Chirurg.",
]

#: Capitalised words that are not names, in sentences the model has not seen.
HARD_NEGATIVES = [
    "Kisqali made me very tired for the first month.", "We came over from Lancaster for every scan.",
    "My aunt had Paget's disease years ago.", "The Ward Manager was helpful.", "Holly and ivy on the ward at Christmas.",
    "Registrar and Sonographer both explained it well.", "Handover: bay 6 anxious overnight.",
    "As a Christian I found the chaplain a comfort.", "Fragmin injections were sore.",
    "The Duchess of Kent wing is being rebuilt.", "Summer was wasted on appointments.",
]


def _names(text, opts=None):
    return [text[s:e] for s, e, label, _sc in find_scored(text, opts) if label == "PERSON"]


@pytest.mark.parametrize("text,name", MISSED_BY_RULES)
def test_it_finds_names_the_rules_miss(text, name):
    assert not any(name in n for n in _names(text, RULES))  # the rules alone leave it
    assert name in _names(text)                             # with the model (the default) it is redacted
    assert name not in redact(text).text


def test_its_spans_are_scored_below_the_rules_cues_for_review():
    text, name = MISSED_BY_RULES[0]
    (sc,) = [sc for s, e, label, sc in find_scored(text) if text[s:e] == name]
    assert 0.6 <= sc <= 0.7


@pytest.mark.parametrize("text", WELSH_POLISH)
def test_welsh_and_polish_comments_keep_their_words(text):
    assert redact(text).text == text


def test_a_name_after_a_title_in_a_polish_comment_is_still_redacted():
    assert redact("Pielęgniarka Kasia była wspaniała.").text == "Pielęgniarka [PERSON] była wspaniała."


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_the_model_leaves_hard_negatives_alone(text):
    assert _names(text) == _names(text, RULES)  # nothing added by the model (what the rules do is theirs)


@pytest.fixture()
def fresh_model(monkeypatch):
    """The package's model cache emptied before and after (the tests below change which file it reads)."""
    nm._default_model.cache_clear()
    monkeypatch.setattr(nm, "_missing_noted", False)
    yield
    nm._default_model.cache_clear()


def test_a_missing_model_file_means_rules_only_with_one_logged_note(tmp_path, monkeypatch, caplog, fresh_model):
    monkeypatch.setattr(nm, "MODEL_FILE", tmp_path / "absent.npz")
    text, name = MISSED_BY_RULES[0]
    with caplog.at_level(logging.WARNING, logger="pledge_analysis.text.name_model"):
        assert redact(text).text == redact(text, name_model=False).text
        assert name in redact(text).text
    notes = [r for r in caplog.records if "name model" in r.getMessage()]
    assert len(notes) == 1 and "rules only" in notes[0].getMessage()
    assert "build_name_model.py" in notes[0].getMessage()


def test_the_committed_model_file_is_the_one_the_code_expects():
    assert hashlib.sha256(nm.MODEL_FILE.read_bytes()).hexdigest() == nm.MODEL_SHA256
    model = nm.NameModel.load()
    assert model.weights.shape == (nm.N_FEATURES,) and model.threshold == nm.THRESHOLD


def test_a_changed_model_file_is_refused_with_what_to_do(tmp_path, monkeypatch, fresh_model):
    data = bytearray(nm.MODEL_FILE.read_bytes())
    data[-30] ^= 0xFF
    bad = tmp_path / "name_model.npz"
    bad.write_bytes(bytes(data))
    with pytest.raises(ModelUnavailableError) as err:
        nm.NameModel.load(bad)
    assert "SHA-256" in str(err.value) and "name_model: false" in str(err.value)
    monkeypatch.setattr(nm, "MODEL_FILE", bad)
    with pytest.raises(ModelUnavailableError):  # a run does not silently fall back on a damaged file
        redact(MISSED_BY_RULES[0][0])


def test_a_model_file_of_another_version_is_refused(tmp_path):
    with np.load(nm.MODEL_FILE) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["version"] = np.int64(nm.MODEL_VERSION + 1)
    path = tmp_path / "other.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for k, v in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(v))
            zf.writestr(k + ".npy", buf.getvalue())
    with pytest.raises(ModelUnavailableError) as err:
        nm.NameModel.load(path, check_hash=False)
    assert f"version {nm.MODEL_VERSION + 1}" in str(err.value)


def test_project_yaml_switches_the_model_off_and_rejects_a_wrong_value(tmp_path):
    from userlike import PROJECT_YAML, write_project

    from pledge_analysis.config import ProjectConfig

    assert "name_model" not in PROJECT_YAML
    root = write_project(tmp_path / "p", project_yaml=PROJECT_YAML.replace("deidentify:\n",
                                                                            "deidentify:\n  name_model: false\n"))
    assert ProjectConfig.load(root).deidentify["name_model"] is False
    bad = write_project(tmp_path / "q", project_yaml=PROJECT_YAML.replace("deidentify:\n",
                                                                          "deidentify:\n  name_model: sometimes\n"))
    with pytest.raises(ProjectFileError) as err:
        ProjectConfig.load(bad)
    assert "name_model" in str(err.value)


def test_deidentify_tables_passes_the_setting_through():
    import pandas as pd

    from pledge_analysis.text.deidentify import deidentify_tables

    segs = pd.DataFrame({"segment_id": ["s1"], "source_id": ["a.csv"], "text": [MISSED_BY_RULES[1][0]]})
    on, _, review_on = deidentify_tables(segs)
    off, _, review_off = deidentify_tables(segs, name_model=False)
    assert "Ingibjorg" not in on["text"][0] and "Ingibjorg" in off["text"][0]
    assert len(review_on) == len(review_off) + 1


@pytest.mark.skipif(not (ROOT.parent / "shared" / "external" / "pxtextmining" / "phase1_text_data.csv").exists(),
                    reason="the real comments the model is built from are absent")
def test_the_model_is_built_from_real_comments_outside_both_labelled_samples():
    import importlib.util

    import pandas as pd

    spec = importlib.util.spec_from_file_location("build_name_model", ROOT / "tools" / "build_name_model.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    train = set(tool.training_comments())
    real = pd.read_csv(tool.REAL).set_index("row_index")["feedback"]
    assert len(train) > 5000
    for path in tool.LABELS:
        rows = pd.read_csv(path)["row_index"].unique()
        assert len(rows) > 300
        assert not train & {str(real[r]) for r in rows if r in real.index}  # no labelled comment's text
