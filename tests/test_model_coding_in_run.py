"""Issue 17: the run uses the best coder available. Rules always; once the project store holds enough
accepted codings, a theme classifier trained on them (TF-IDF only here, for speed) adds model suggestions
to the segments nobody reviewed; re-runs do not duplicate them; the report and run log say which coder
produced each theme count and how good the model is on the project's own reviewed codings."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from userlike import CODEBOOK_YAML, PROJECT_YAML, write_project
from pledge_analysis.machine_coding import QUALITY, RUN_CODER, quality_table
from pledge_analysis.pipeline import run_project, write_outputs
from pledge_analysis.project import Project
from pledge_analysis.report import coding_section

# the rules know nothing of kindness (no keywords): only people, then the model, can code it
CODEBOOK = CODEBOOK_YAML + "  - id: kindness\n    name: Kindness of staff\n    keywords: []\n"
SETTINGS = ("priorities: {resamples: 0}\n"
            "machine_coding: {min_accepted: 60, min_per_code: 5, embedding: none}\n")


def model_rows(store):
    with Project.open(store) as p:
        c = p.codings()
    return c[(c["method"] == "model") & (c["coder"] == RUN_CODER)]


def review(store, n_segments: int, *, coder: str = "alice") -> None:
    """``coder`` reviews the first ``n_segments`` survey comments as a person would through the review app:
    accepts the rule suggestions, rejects 'information' on the relaxed praise, and adds 'kindness' by hand."""
    with Project.open(store) as p:
        segs = p.read_table("segments")
        segs = segs[segs["source_type"] == "survey"].sort_values(["source_id", "position"]).head(n_segments)
        queue = p.review_queue(coder)
        for rec in queue[queue["segment_id"].isin(set(segs["segment_id"]))].itertuples():
            relaxed = "café-style" in rec.text
            p.record_decision(rec.coding_id, "rejected" if relaxed and rec.code_id == "information" else "accepted",
                              coder=coder)
        for seg, text in zip(segs["segment_id"], segs["text"]):
            if any(w in text for w in ("kind", "listened to every", "very helpful")):
                p.add_manual_coding(seg, "kindness", coder=coder)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("mc") / "hillside", n=100, codebook_yaml=CODEBOOK,
                         project_yaml=PROJECT_YAML + SETTINGS)
    first = run_project(root, store=True)
    return root, root / "project.sqlite", first


def test_below_the_threshold_the_run_says_why_and_how_many_more(project):
    root, store, first = project
    mc = first.machine_coding
    assert mc.status == "below threshold" and mc.needed == 60 and not len(mc.codings)
    assert "60 more accepted codings are needed" in mc.message and "min_accepted" in mc.message
    assert first.coder_counts["model"].sum() == 0 and (first.coder_counts["rules"] == first.coder_counts["n_segments"]).all()
    assert first.themes.query("scope == 'all' and theme == 'kindness'")["n_segments"].item() == 0
    section = "".join(coding_section(first))  # the report's section
    assert "How the comments were coded" in section and "60 more accepted codings are needed" in section
    assert "Model quality" not in section and first.run_log["machine_coding"]["more_needed"] == 60
    assert list(quality_table(mc).columns) == list(QUALITY) and not len(quality_table(mc))


def test_with_enough_reviews_the_run_adds_model_codes_and_reruns_do_not_duplicate(project, tmp_path):
    root, store, _ = project
    review(store, 80)
    with Project.open(store) as p:
        human = p.codings(method="manual")
    reviewed = set(human["segment_id"])
    second = run_project(root, store=True)
    mc = second.machine_coding
    assert mc.status == "used", mc.message
    assert mc.n_accepted >= 60 and "kindness" in mc.learnt
    rows = model_rows(store)
    assert len(rows) == len(mc.codings) > 0 and set(rows["status"]) == {"suggested"}
    assert not set(rows["segment_id"]) & reviewed  # only segments nobody has reviewed
    # the model finds kindness, which the rules cannot, and never repeats a theme the rules suggested there
    assert (rows["code_id"] == "kindness").sum() > 0
    rules = second.codings[second.codings["method"] == "rules"]
    assert not set(zip(rows["segment_id"], rows["code_id"])) & set(zip(rules["segment_id"], rules["code_id"]))
    # the theme counts use all three coders, and say which produced what
    counts = second.coder_counts.set_index("theme")
    kind = second.themes.query("scope == 'all' and theme == 'kindness'")["n_segments"].item()
    assert kind == counts.at["kindness", "n_segments"] == counts.at["kindness", "human"] + counts.at["kindness", "model"]
    assert counts.at["kindness", "human"] > 0 and counts.at["kindness", "model"] > 0
    assert counts.at["information", "rejected_by_people"] > 0  # the rejected rule codings are not counted
    assert (counts["human"] + counts["rules"] + counts["model"] == counts["n_segments"]).all()
    # quality: cross-validated per learnt code, then micro and macro averages
    q = mc.quality.set_index("code_id")
    assert set(mc.learnt) | {"micro avg", "macro avg"} == set(q.index)
    assert q[["precision", "recall", "f1"]].apply(lambda s: s.between(0, 1)).all().all()
    assert q.at["kindness", "support"] == (human.query("code_id == 'kindness'")["segment_id"].nunique())
    write_outputs(second, tmp_path)
    assert pd.read_csv(tmp_path / "machine_coding_quality.csv")["code_id"].tolist() == q.index.tolist()
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Model quality on the reviewed codings (cross-validated)" in report and "micro-F1" in report
    log = json.loads((tmp_path / "run_log.json").read_text())["machine_coding"]
    assert log["status"] == "used" and log["suggestions"] == len(rows)

    # a re-run with the same reviews: the same suggestions, same ids, nothing duplicated
    third = run_project(root, store=True)
    again = model_rows(store)
    assert again["coding_id"].tolist() == rows["coding_id"].tolist()
    assert third.run_log["store_update"]["suggestions"]["new"] == 0

    # more reviews: suggestions on the newly reviewed segments go (a decided one stays as human work)
    decided = rows["coding_id"].iloc[0]
    with Project.open(store) as p:
        p.decide(decided, "accepted", coder="bob")
    review(store, 110, coder="alice")
    run_project(root, store=True)
    after = model_rows(store)
    with Project.open(store) as p:
        now_reviewed = set(p.codings(method="manual")["segment_id"])
        assert p.codings().set_index("coding_id").at[decided, "status"] == "accepted"
    undecided = after[after["status"] == "suggested"]
    assert not set(undecided["segment_id"]) & now_reviewed
    assert not after.duplicated(["segment_id", "code_id"]).any()


def test_class_weight_balanced_reaches_the_model_and_the_fitted_model_can_be_reused(project, tmp_path):
    """``machine_coding: {class_weight: balanced}`` trains a class-balanced model (the report says so), and the
    run hands back the fitted model, which saves and reloads with the same predictions (for ``code --model``)."""
    from pledge_analysis.coding.classifier import ThemeClassifier
    from pledge_analysis.coding.codebook import read_codebook

    root, store, _ = project
    (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS.replace("embedding: none", "embedding: none, "
                                       "class_weight: balanced"), encoding="utf-8")
    r = run_project(root, store=True)
    mc = r.machine_coding
    assert mc.status == "used" and mc.settings["class_weight"] == "balanced" and "class-balanced" in mc.message
    assert mc.model.class_weight == "balanced" and r.run_log["machine_coding"]["settings"]["class_weight"] == "balanced"
    mc.model.save(tmp_path / "themes.joblib", codebook=read_codebook(root / "codebook.yaml"))
    again = ThemeClassifier.load(tmp_path / "themes.joblib")
    texts = pd.DataFrame({"text": ["The nurses were so kind to me", "Parking was a nightmare"]})
    pd.testing.assert_frame_equal(again.predict_proba(texts), mc.model.predict_proba(texts))


def test_never_means_rules_only_and_removes_the_runs_model_suggestions(project):
    root, store, _ = project
    (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS.replace("min_accepted: 60", "enabled: never"),
                                       encoding="utf-8")
    r = run_project(root, store=True)
    assert r.machine_coding.status == "disabled" and "enabled: never" in r.machine_coding.message
    left = model_rows(store)
    assert (left["status"] != "suggested").all()  # only the decided one is left


def test_finetune_true_averages_a_fine_tuned_head_with_the_classifier(project, tmp_path):
    """``machine_coding: {finetune: true}`` (off by default: minutes of CPU on real data) trains the classifier
    averaged with a fine-tuned MiniLM head; its quality comes from the reviewed segments it held out."""
    from pledge_analysis.coding.ensemble import FineTunedThemeClassifier

    root, store, _ = project
    review(store, 80)
    (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS.replace("embedding: none", "embedding: none, "
                                       "finetune: true"), encoding="utf-8")
    r = run_project(root, store=True)
    mc = r.machine_coding
    assert mc.status == "used" and mc.settings["finetune"] is True and "fine-tuned MiniLM head" in mc.message
    assert isinstance(mc.model, FineTunedThemeClassifier) and mc.model.multi_label_
    assert set(mc.model.classes_) == set(mc.learnt) and mc.model.thresholds_.between(0, 1).all()
    q = mc.quality.set_index("code_id")
    assert set(mc.learnt) | {"micro avg", "macro avg"} == set(q.index)
    assert q.loc[mc.learnt, "support"].sum() <= len(mc.model.finetuned_.validation_index_) * len(mc.learnt)
    assert len(mc.codings) > 0 and set(mc.codings["method"]) == {"model"}
    write_outputs(r, tmp_path)
    assert "held-out 15%" in (tmp_path / "report.html").read_text(encoding="utf-8")
    (root / "project.yaml").write_text(PROJECT_YAML + SETTINGS, encoding="utf-8")  # back to the module's settings
