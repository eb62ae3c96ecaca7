"""Issue 17: a fitted theme coder is saved and reused by `pledge-analysis code --model`.

A real FineTunedThemeClassifier (MiniLM fine-tuned for one short epoch, averaged with a TF-IDF
ThemeClassifier) is fitted on comments built from the sample's text bank, whose themes are known,
saved with the sample codebook and passed to `code --model`; the codes it adds are the model's own
predictions on the de-identified comments. Files that are not such a model (a CSV renamed, a
truncated copy, another program's pickle, a sentiment model, a file of another version, one whose
classes need a package that is absent, one whose codes the codebook lacks) stop the command before any
work with one `error: PA70x ...` line saying what to do, never a traceback."""
from __future__ import annotations

import random
import sys
import types

import joblib
import pandas as pd
import pytest

from pledge_analysis.cli import main
from pledge_analysis.coding.codebook import read_codebook
from pledge_analysis.errors import ModelUnavailableError

from .conftest import SAMPLES

CODEBOOK = SAMPLES / "codebook.yaml"
THEMES = ("waiting", "communication", "environment", "kindness", "support")


def bank_comments(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` comments of one or two sentences from the sample's text bank, and their themes as 0/1 columns."""
    sys.path.insert(0, str(SAMPLES))
    try:
        import textbank as tb
    finally:
        sys.path.remove(str(SAMPLES))
    rng = random.Random(seed)
    keys = {t: sorted(k for k in tb.POSITIVE if k.split(".")[0] == t) for t in THEMES}
    texts, labels = [], []
    for _ in range(n):
        chosen = rng.sample(THEMES, 1 if rng.random() < 0.6 else 2)
        bank = tb.POSITIVE if rng.random() < 0.5 else tb.NEGATIVE
        texts.append(" ".join(rng.choice(bank[rng.choice(keys[t])]) for t in chosen))
        labels.append([int(t in chosen) for t in THEMES])
    return pd.DataFrame({"text": texts}), pd.DataFrame(labels, columns=list(THEMES))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A fine-tuned theme ensemble fitted on 160 comments and saved with the sample codebook (a few seconds)."""
    from pledge_analysis.coding.classifier import ThemeClassifier
    from pledge_analysis.coding.ensemble import FineTunedThemeClassifier
    from pledge_analysis.coding.finetune import FineTunedClassifier

    X, Y = bank_comments(160, seed=1)
    model = FineTunedThemeClassifier(finetuned=FineTunedClassifier(epochs=1, batch_size=16, max_length=32,
                                                                   learning_rate=2e-4),
                                     linear=ThemeClassifier(embedding_model=None, cv=2)).fit(X, Y)
    folder = tmp_path_factory.mktemp("saved")
    path = model.save(folder / "themes.joblib", codebook=read_codebook(CODEBOOK))
    small = ThemeClassifier(embedding_model=None, cv=0).fit(X, Y)
    small_path = small.save(folder / "small.joblib", codebook=read_codebook(CODEBOOK))
    return model, path, small_path, folder


def _code(tmp_path, model_path, capsys, name="out"):
    X, _ = bank_comments(40, seed=2)
    X.insert(0, "comment_id", [f"n{i:03d}" for i in range(len(X))])
    X.to_csv(tmp_path / "new.csv", index=False)
    rc = main(["code", str(tmp_path / "new.csv"), "--codebook", str(CODEBOOK), "--out", str(tmp_path / f"{name}.parquet"),
               "--codings", str(tmp_path / f"{name}-codings.parquet"), "--model", str(model_path), "--quiet"])
    return rc, capsys.readouterr().err


def test_a_saved_fine_tuned_ensemble_codes_new_comments_with_code_model(saved, tmp_path, capsys):
    from pledge_analysis.coding.ensemble import FineTunedThemeClassifier

    model, path, _small, _folder = saved
    rc, err = _code(tmp_path, path, capsys)
    assert rc == 0, err
    comments = pd.read_parquet(tmp_path / "out.parquet")
    codings = pd.read_parquet(tmp_path / "out-codings.parquet")
    by_model = codings[codings["method"] == "model"]
    assert len(by_model) > 0 and set(by_model["code_id"]) <= set(THEMES) and by_model["start"].isna().all()
    # exactly the model's own predictions on the (de-identified) comments, at its tuned thresholds
    pred = model.predict(comments[["text"]])
    expected = {(cid, c) for cid, row in zip(comments["comment_id"], pred.to_dict("records")) for c, v in row.items() if v}
    assert set(zip(by_model["segment_id"], by_model["code_id"])) == expected
    # the file is the model: loading it again gives the same probabilities
    again = FineTunedThemeClassifier.load(path, codebook=read_codebook(CODEBOOK))
    pd.testing.assert_frame_equal(again.predict_proba(comments[["text"]]), model.predict_proba(comments[["text"]]))


class Foreign:  # a class of "another program": gone from this process before the file is read
    pass


def _bad_files(saved, folder):
    from pledge_analysis.coding.sentiment import SentimentClassifier

    _model, _path, small, _ = saved
    files = {}
    folder.mkdir()
    (folder / "export.joblib").write_text("comment_id,text\na,hello\n", encoding="utf-8")
    files["not a pickle"] = (folder / "export.joblib", "PA701", "not a model file")
    data = small.read_bytes()
    (folder / "truncated.joblib").write_bytes(data[: len(data) // 2])
    files["truncated"] = (folder / "truncated.joblib", "PA701", "damaged or incomplete")
    joblib.dump({"weights": [1, 2, 3]}, folder / "other.joblib")
    files["another program's pickle"] = (folder / "other.joblib", "PA701", "not a model file written")
    SentimentClassifier().fit().save(folder / "sentiment.joblib")
    files["a sentiment model"] = (folder / "sentiment.joblib", "PA701", "does not predict codebook codes")
    record = joblib.load(small)
    record["pledge_analysis"] = "0.0.1"
    joblib.dump(record, folder / "old.joblib")
    files["another version"] = (folder / "old.joblib", "PA701", "saved by pledge_analysis 0.0.1")
    module = types.ModuleType("pledge_fake_torch")
    module.Foreign = Foreign
    Foreign.__module__ = "pledge_fake_torch"
    sys.modules["pledge_fake_torch"] = module
    try:
        joblib.dump(record | {"pledge_analysis": record["pledge_analysis"], "estimator": Foreign()},
                    folder / "needs.joblib")
    finally:
        del sys.modules["pledge_fake_torch"]
        Foreign.__module__ = __name__
    files["a package this machine lacks"] = (folder / "needs.joblib", "PA701", "needs 'pledge_fake_torch'")
    files["a folder"] = (folder, "PA701", "a folder, not a model file")
    from pledge_analysis.coding.classifier import ThemeClassifier

    Xo = pd.DataFrame({"text": ["long wait", "kind staff"] * 5})
    ThemeClassifier(embedding_model=None, cv=0).fit(Xo, pd.DataFrame({"delays": [1, 0] * 5, "kindness": [0, 1] * 5})).save(
        folder / "other-codebook.joblib")
    files["another codebook"] = (folder / "other-codebook.joblib", "PA702", "predicts codes this codebook lacks: delays")
    return files


def test_files_that_are_not_a_usable_theme_model_stop_code_with_what_to_do(saved, tmp_path, capsys):
    files = _bad_files(saved, tmp_path / "bad")
    assert len(files) == 8
    for i, (what, (path, code, words)) in enumerate(files.items()):
        rc, err = _code(tmp_path, path, capsys, name=f"o{i}")
        assert rc == 2, (what, err)
        assert err.startswith(f"error: {code} ") and words in err, (what, err)
        assert "Traceback" not in err and "docs/errors.md#" + code.lower() in err, (what, err)
        assert not (tmp_path / f"o{i}.parquet").exists(), what


def test_load_refuses_the_same_files_with_model_unavailable_error(saved, tmp_path):
    from pledge_analysis.coding.classifier import ThemeClassifier
    from pledge_analysis.coding.ensemble import FineTunedThemeClassifier

    files = _bad_files(saved, tmp_path / "bad")
    for what in ("not a pickle", "truncated", "another program's pickle", "a package this machine lacks", "a folder"):
        path, code, words = files[what]
        with pytest.raises(ModelUnavailableError, match=words) as e:
            ThemeClassifier.load(path)
        assert e.value.code == code and e.value.path is not None, what
    _model, fine_tuned, small, _ = saved
    with pytest.raises(ModelUnavailableError, match="holds a ThemeClassifier, not a FineTunedThemeClassifier"):
        FineTunedThemeClassifier.load(small)
    with pytest.raises(ModelUnavailableError, match="holds a FineTunedThemeClassifier") as e:
        ThemeClassifier.load(fine_tuned)
    assert e.value.code == "PA701"
