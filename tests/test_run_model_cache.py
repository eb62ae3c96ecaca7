"""Issue 17: the run does not refit its theme model for nothing, and never loses a human decision.

The run keeps the model it fitted beside the store (``project-models/run_theme_model.joblib``) under a
key of the reviewed examples, settings and versions. Real runs on a small project with a real store:
a re-run with the same reviews reuses the kept model (and says so), a changed review or setting refits,
a damaged kept file is fitted over with a note; after every run each human decision is still in the
store as it was made; the kept file codes new comments with ``pledge-analysis code --model``."""
from __future__ import annotations

import json

import joblib
import pandas as pd
import pytest

from userlike import PROJECT_YAML, write_project
from pledge_analysis.machine_coding import RUN_CODER
from pledge_analysis.model_cache import model_file
from pledge_analysis.pipeline import run_project, write_outputs
from pledge_analysis.project import Project

from .test_model_coding_in_run import CODEBOOK, SETTINGS, review


def human_work(store) -> pd.DataFrame:
    """Every human decision in the store: manual codings, and suggestions whose status someone changed."""
    with Project.open(store) as p:
        c = p.codings()
    c = c[(c["method"] == "manual") | (c["status"] != "suggested")]
    cols = ["coding_id", "segment_id", "code_id", "coder", "method", "status", "start", "end", "memo"]
    return c[cols].sort_values("coding_id").reset_index(drop=True)


def run_suggestions(store) -> pd.DataFrame:
    with Project.open(store) as p:
        c = p.codings()
    return c[(c["coder"] == RUN_CODER) & (c["status"] == "suggested")].sort_values("coding_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("cache") / "hillside", n=100, codebook_yaml=CODEBOOK,
                         project_yaml=PROJECT_YAML + SETTINGS)
    run_project(root, store=True)  # rule suggestions into the store, to review
    store = root / "project.sqlite"
    review(store, 80)
    return root, store


def test_a_rerun_with_the_same_reviews_reuses_the_kept_model_and_a_changed_review_refits(project, tmp_path):
    root, store = project
    kept = model_file(store)
    assert kept == root / "project-models" / "run_theme_model.joblib" and not kept.exists()
    first = run_project(root, store=True)
    mc = first.machine_coding
    assert mc.status == "used" and not mc.reused and mc.model_file == str(kept) and kept.exists()
    assert f"kept in {str(kept)!r} for the next run" in mc.message
    assert joblib.load(kept)["metadata"]["key"] == mc.key
    work, suggested, stamp = human_work(store), run_suggestions(store), kept.stat().st_mtime_ns
    assert len(work) > 60 and len(suggested) > 0

    # the same reviews and settings: the kept model, not a new fit, and the run log says so
    second = run_project(root, store=True)
    again = second.machine_coding
    assert again.reused and again.key == mc.key and "reused from" in again.message and "not refitted" in again.message
    assert kept.stat().st_mtime_ns == stamp  # not rewritten
    assert again.fit_cpu_s == pytest.approx(mc.fit_cpu_s, abs=0.01)
    write_outputs(second, tmp_path / "out")
    log = json.loads((tmp_path / "out" / "run_log.json").read_text(encoding="utf-8"))["machine_coding"]
    assert log["reused"] is True and log["model_file"] == str(kept) and log["key"] == mc.key
    pd.testing.assert_frame_equal(again.quality, mc.quality)
    pd.testing.assert_frame_equal(run_suggestions(store), suggested)  # the same suggestions, same ids
    pd.testing.assert_frame_equal(human_work(store), work)  # no human decision lost or changed

    # a setting that only decides whether to fit does not refit; one that shapes the fit does
    (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS.replace("min_accepted: 60", "min_accepted: 61"),
                                       encoding="utf-8")
    assert run_project(root, store=True).machine_coding.reused
    (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS.replace("embedding: none", "embedding: none, "
                                       "class_weight: balanced"), encoding="utf-8")
    balanced = run_project(root, store=True).machine_coding
    assert not balanced.reused and balanced.key != mc.key and joblib.load(kept)["metadata"]["key"] == balanced.key
    (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS, encoding="utf-8")
    back = run_project(root, store=True).machine_coding
    assert not back.reused and back.key == mc.key  # only the latest model is kept: the first one is fitted again
    pd.testing.assert_frame_equal(human_work(store), work)

    # a changed review (bob rejects one of the run's suggestions, accepts another): the model is fitted again
    rejected, accepted = suggested["coding_id"].iloc[0], suggested["coding_id"].iloc[1]
    with Project.open(store) as p:
        p.decide(rejected, "rejected", coder="bob")
        p.decide(accepted, "accepted", coder="bob")
    work = human_work(store)
    changed = run_project(root, store=True).machine_coding
    assert not changed.reused and changed.key != mc.key and "kept in" in changed.message
    after = human_work(store).set_index("coding_id")
    for rec in work.itertuples():  # every decision is still there, as it was made (bob's two included)
        assert after.at[rec.coding_id, "status"] == rec.status and after.at[rec.coding_id, "coder"] == rec.coder
    assert after.at[rejected, "status"] == "rejected" and after.at[accepted, "status"] == "accepted"
    assert run_project(root, store=True).machine_coding.reused  # and that model is then reused


def test_a_damaged_kept_model_is_fitted_over_with_a_note_and_codes_with_code_model(project, tmp_path, capsys):
    from pledge_analysis.cli import main

    root, store = project
    run_project(root, store=True)
    kept = model_file(store)
    data = kept.read_bytes()
    kept.write_bytes(data[: len(data) // 3])  # a copy cut short (a full disk, a sync tool)
    work = human_work(store)
    mc = run_project(root, store=True).machine_coding
    assert mc.status == "used" and not mc.reused and "could not be read" in mc.message and "fitted again" in mc.message
    assert joblib.load(kept)["metadata"]["key"] == mc.key
    pd.testing.assert_frame_equal(human_work(store), work)

    # the kept file is a theme model `code --model` takes
    pd.DataFrame({"comment_id": ["a", "b", "c"], "text": ["The nurses were so kind and listened to every worry.",
                                                          "Parking was a nightmare.", "Very helpful staff, so kind."]}
                 ).to_csv(tmp_path / "new.csv", index=False)
    rc = main(["code", str(tmp_path / "new.csv"), "--codebook", str(root / "codebook.yaml"), "--quiet",
               "--out", str(tmp_path / "o.parquet"), "--codings", str(tmp_path / "c.parquet"), "--model", str(kept)])
    assert rc == 0, capsys.readouterr().err
    codings = pd.read_parquet(tmp_path / "c.parquet")
    by_model = codings[codings["method"] == "model"]
    pred = mc.model.predict(pd.read_parquet(tmp_path / "o.parquet")[["text"]])
    assert len(by_model) == int(pred.to_numpy().sum()) and set(by_model["code_id"]) <= set(mc.learnt)


def test_a_fine_tuned_run_model_is_reused_not_fine_tuned_again(project):
    """The expensive case: ``finetune: true`` (~65 CPU-s per 1,000 reviewed segments on real data)."""
    from pledge_analysis.coding.ensemble import FineTunedThemeClassifier

    root, store = project
    (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS.replace("embedding: none", "embedding: none, "
                                       "finetune: true"), encoding="utf-8")
    try:
        first = run_project(root, store=True).machine_coding
        assert isinstance(first.model, FineTunedThemeClassifier) and not first.reused
        work, suggested = human_work(store), run_suggestions(store)
        second = run_project(root, store=True).machine_coding
        assert second.reused and isinstance(second.model, FineTunedThemeClassifier) and second.key == first.key
        pd.testing.assert_frame_equal(run_suggestions(store), suggested)
        pd.testing.assert_frame_equal(human_work(store), work)
        assert second.model.thresholds_.equals(first.model.thresholds_)
    finally:
        (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS, encoding="utf-8")


def test_code_with_project_uses_the_projects_kept_model_unless_told_not_to(project, tmp_path, capsys):
    """`code --project` applies the project's settings as `run` does: the model `run` keeps codes too (and
    says so); --no-model codes with the rules alone."""
    from pledge_analysis.cli import main

    root, store = project
    mc = run_project(root, store=True).machine_coding
    assert model_file(store).exists()
    pd.DataFrame({"comment_id": ["a", "b"], "text": ["The nurses were so kind and listened to every worry.",
                                                     "Very helpful staff, so kind."]}).to_csv(tmp_path / "new.csv",
                                                                                               index=False)
    counts = {}
    for extra in ([], ["--no-model"]):
        out = tmp_path / f"o{len(extra)}.parquet"
        rc = main(["code", str(tmp_path / "new.csv"), "--project", str(root), "--out", str(out),
                   "--codings", str(tmp_path / f"c{len(extra)}.parquet")] + extra)
        printed = capsys.readouterr()
        assert rc == 0, printed.err
        counts[bool(extra)] = int((pd.read_parquet(tmp_path / f"c{len(extra)}.parquet")["method"] == "model").sum())
        assert ("project's kept theme model" in printed.out) is (not extra)
    pred = mc.model.predict(pd.read_parquet(tmp_path / "o0.parquet")[["text"]])
    assert counts[False] == int(pred.to_numpy().sum()) > 0 and counts[True] == 0
