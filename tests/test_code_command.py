"""`pledge-analysis code`: the same coding in this process and on a real Dask LocalCluster (processes).

One generated input of 3,000 comments (the sample's text bank, with planted identifiers, placeholders,
a blank id, an empty text and a date that is not a date) is coded once by each engine (module fixture);
the dask engine runs on one module-scoped LocalCluster of 2 worker processes x 1 thread, shared by the
tests that need it (its start-up is paid once). The tests compare what the engines wrote row for row,
check the themes table against the in-process functions, run a saved static-embedding classifier on
both engines, and run the command's error paths (which fail before any coding).
"""
from __future__ import annotations

import random
import sys

import pandas as pd
import pytest

from pledge_analysis.cli import main
from pledge_analysis.coding.codebook import read_codebook

from .conftest import SAMPLES

N = 3000
CODEBOOK = SAMPLES / "codebook.yaml"


def _comments(n: int, seed: int = 7) -> pd.DataFrame:
    sys.path.insert(0, str(SAMPLES))
    try:
        import generate  # data_samples/generate.py: the sample's synthetic comment generator
    finally:
        sys.path.remove(str(SAMPLES))
    gen, rng = generate.Generator(seed), random.Random(seed)
    rows = []
    for i in range(n):
        site, group = rng.choice(["MDH", "NGU", "RGH", "SAH"]), rng.choice(["primary", "secondary"])
        kind = rng.choice(["good", "improve", "other"])
        rows.append({"comment_id": f"c{i:05d}", "Hospital": site, "group": group, "question_id": kind,
                     "respondent_id": f"r{i // 2}", "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "Text": gen.comment(kind, site, group, {})})
    df = pd.DataFrame(rows)
    df.loc[3, "Text"] = ""
    df.loc[4, "comment_id"] = ""
    df.loc[5, "date"] = "last spring"
    df.loc[6, "Text"] = "Ring Sister Jane Okafor on 07700 900461, she was wonderful."
    return df


def _worker_builds() -> dict:
    """Run on a worker (``client.run``): how many times that process built each job's state. The import
    is inside so that the worker's own dict is read (a closure would ship the caller's copy)."""
    from pledge_analysis.coding_job import BUILDS

    return dict(BUILDS)


def _worker_embedding_models() -> int:
    """Run on a worker: how many embedding models that process loaded (or distilled)."""
    from pledge_analysis.coding.embeddings import _load_model

    return _load_model.cache_info().currsize


@pytest.fixture(scope="module")
def client():
    """A real LocalCluster of 2 worker processes (not threads), 1 thread each, for this module's tests."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def coded(tmp_path_factory, client):
    """The input coded by both engines: (input frame, tmp folder, local result, dask result, worker builds)."""
    from pledge_analysis.engine import code_comments

    tmp = tmp_path_factory.mktemp("code")
    df = _comments(N)
    df.to_csv(tmp / "comments.csv", index=False)
    kw = dict(text_column="Text", columns={"site": "Hospital"})
    # the local engine with a distributed Client open in this process (as in a notebook): its themes
    # step once failed there (dask chose its p2p shuffle, which needs a worker)
    local = code_comments(tmp / "comments.csv", CODEBOOK, tmp / "local.parquet", codings=tmp / "local_codings.parquet",
                          chunk_rows=1000, **kw)
    dask = code_comments(tmp / "comments.csv", CODEBOOK, tmp / "dask.parquet", engine="dask", client=client,
                         codings=tmp / "dask_codings.parquet", **kw)
    builds = client.run(_worker_builds)
    return df, tmp, local, dask, builds


def test_dask_engine_gives_the_local_result_row_for_row(coded):
    df, tmp, local, dask, builds = coded
    a, b = pd.read_parquet(tmp / "local.parquet"), pd.read_parquet(tmp / "dask.parquet")
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp / "local_codings.parquet"),
                                  pd.read_parquet(tmp / "dask_codings.parquet"))
    pd.testing.assert_frame_equal(local.themes, dask.themes)
    assert len(a) == N and dask.rows == N
    parts = {e: [p for p in (tmp / f"{e}.parquet").iterdir() if p.suffix == ".parquet"] for e in ("local", "dask")}
    assert len(parts["local"]) == 3  # chunks of 1,000 rows
    assert len(parts["dask"]) > 2  # more partitions than workers
    # beside the parts, each engine's run log (skipped by Parquet readers: "_" first)
    for e in ("local", "dask"):
        names = {p.name for p in (tmp / f"{e}.parquet").iterdir()} - {p.name for p in parts[e]}
        assert names == {"_run_log.json"}, names
    # every worker built its pipeline once, however many partitions it coded
    assert len(builds) == 2 and all(list(v.values()) == [1] for v in builds.values())


def test_every_row_comes_back_once_with_a_reason_when_not_coded(coded):
    df, tmp, local, _dask, _builds = coded
    out = pd.read_parquet(tmp / "local.parquet")
    assert out["comment_id"].tolist() == df["comment_id"].tolist()  # once each, in input order
    assert local.rows == N and sum(local.status.values()) == N
    by_id = out.set_index("comment_id")
    assert by_id.loc["c00003", ["status", "reason"]].tolist() == ["not coded", "empty text"]
    blank = out.iloc[4]
    assert blank["status"] == "not coded" and "blank comment_id" in blank["reason"]
    assert pd.isna(by_id.loc["c00005", "month"]) and "'last spring' not read as a date" in by_id.loc["c00005", "reason"]
    placeholders = out[out["reason"] == "placeholder answer with no content to code"]
    assert len(placeholders) > 20 and (placeholders["status"] == "not coded").all()
    # de-identified text only: the planted name and phone never reach the output
    assert by_id.loc["c00006", "text"].startswith("Ring Sister [PERSON] on [PHONE]")
    assert by_id.loc["c00006", "n_redactions"] == 2
    assert not out["text"].str.contains("07700 900461|Okafor", regex=True).any()
    coded_rows = out[out["status"] == "coded"]
    assert (coded_rows["codes"].map(len) == coded_rows["confidence"].map(len)).all()
    assert set(out["sentiment"].dropna()) <= {"negative", "neutral", "positive"}
    assert out.loc[out["status"] == "not coded", "sentiment"].isna().all()


def test_themes_on_the_engine_match_the_in_process_summary(coded):
    """The themes table equals summarise_themes(coded_units(...)) of the rule coder run on the same texts."""
    from pledge_analysis.coding import code_segments, coded_units, summarise_themes
    from pledge_analysis.priorities import score_components

    df, tmp, local, _dask, _builds = coded
    cb = read_codebook(CODEBOOK)
    out = pd.read_parquet(tmp / "local.parquet")
    kept = out[out["status"] != "not coded"]
    segments = pd.DataFrame({"segment_id": kept["comment_id"], "source_id": "s", "site": kept["site"],
                             "group": kept["group"], "source_type": "survey", "question_id": kept["question_id"],
                             "respondent_id": kept["respondent_id"], "speaker": None, "role": "participant",
                             "text": kept["text"]})
    codings = code_segments(segments, cb)
    from pledge_analysis.coding.sentiment import SentimentClassifier

    text_only = SentimentClassifier(prompt_polarity={}).fit()  # `code` without --questions: no question lean
    expected = summarise_themes(segments, coded_units(segments, codings, cb, model=text_only), cb)
    got = local.themes[local.themes["scope_type"].isin(["all", "group", "site"])]
    key = ["scope_type", "scope", "theme"]
    pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True),
                                  expected.sort_values(key).reset_index(drop=True), check_dtype=False)
    ranked = score_components(local.themes, cb)  # ready for the priority functions as it is
    assert set(ranked["scope_type"]) == {"all", "group", "site", "month"} and (ranked["rank"] >= 1).all()
    months = local.themes[local.themes["scope_type"] == "month"]
    assert sorted(months["scope"].unique()) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert months.drop_duplicates("scope")["n_scope_segments"].sum() == kept["month"].notna().sum() < len(kept)


def test_missing_column_names_the_closest_header(tmp_path, capsys):
    pd.DataFrame({"comment_id": ["a"], "Comment text": ["Lovely staff"]}).to_csv(tmp_path / "in.csv", index=False)
    code = main(["code", str(tmp_path / "in.csv"), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "o.parquet"),
                 "--text-column", "comment_text"])
    err = capsys.readouterr().err
    assert code == 2 and "no text column 'comment_text'" in err and "Did you mean 'Comment text'?" in err
    assert "Traceback" not in err and not (tmp_path / "o.parquet").exists()


def test_empty_input_and_unreachable_scheduler_are_named(tmp_path, capsys, monkeypatch):
    from pledge_analysis import engine

    pd.DataFrame({"comment_id": [], "text": []}).to_csv(tmp_path / "empty.csv", index=False)
    args = ["--codebook", str(CODEBOOK), "--out", str(tmp_path / "o.parquet")]
    assert main(["code", str(tmp_path / "empty.csv")] + args) == 2
    assert "the input has no rows" in capsys.readouterr().err
    assert main(["code", str(tmp_path / "nothing_*.csv")] + args) == 2
    assert "no such file, folder or matching files" in capsys.readouterr().err

    pd.DataFrame({"comment_id": ["a"], "text": ["Lovely staff"]}).to_csv(tmp_path / "in.csv", index=False)
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", "1s")
    code = main(["code", str(tmp_path / "in.csv"), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"] + args)
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in err and "Traceback" not in err
    assert not (tmp_path / "o.parquet").exists() and not list(tmp_path.glob(".o.parquet*"))


def test_an_output_in_the_way_is_refused_before_any_work(tmp_path, capsys):
    pd.DataFrame({"comment_id": ["a"], "text": ["Lovely staff"]}).to_csv(tmp_path / "in.csv", index=False)
    (tmp_path / "o.parquet").mkdir()
    (tmp_path / "o.parquet" / "notes.txt").write_text("mine", encoding="utf-8")
    code = main(["code", str(tmp_path / "in.csv"), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "o.parquet")])
    assert code == 2 and "is in the way" in capsys.readouterr().err
    assert (tmp_path / "o.parquet" / "notes.txt").read_text(encoding="utf-8") == "mine"


def _small_static_model(folder, texts):
    """A real model2vec StaticModel (word-level tokenizer over ``texts``' words, 32 seeded random dimensions)
    saved where ``embeddings.load_model("static", folder)`` finds a distilled one: distilling the real one
    from MiniLM takes over 2 minutes of CPU, too long for the suite."""
    import numpy as np
    from model2vec import StaticModel
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    words = sorted({w for t in texts for w in t.lower().split()})
    vocab = {"[UNK]": 0, "[PAD]": 1, **{w: i + 2 for i, w in enumerate(words)}}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer, tok.pre_tokenizer = normalizers.Lowercase(), pre_tokenizers.Whitespace()
    vectors = np.random.default_rng(0).standard_normal((len(vocab), 32)).astype(np.float32)
    StaticModel(vectors, tok).save_pretrained(str(folder / "static-minilm-256"))


def test_a_saved_static_theme_classifier_codes_the_same_on_both_engines(coded, client, tmp_path, capsys):
    """--model with a ThemeClassifier fitted in static-embedding mode: the saved file carries its static
    model, so each worker loads the file once (one state build for the job, however many partitions)
    and never loads or distils an embedding model; local and dask agree row for row."""
    from pledge_analysis.coding.classifier import ThemeClassifier
    from pledge_analysis.engine import code_comments

    df, tmp, _local, _dask, _builds = coded
    cb = read_codebook(CODEBOOK)
    out = pd.read_parquet(tmp / "local.parquet")
    train = out[out["status"] == "coded"].iloc[:400]
    themes = sorted({t for ts in train["themes"] for t in ts})
    Y = pd.DataFrame({t: [int(t in ts) for ts in train["themes"]] for t in themes})
    _small_static_model(tmp_path, train["text"])
    model = ThemeClassifier(embedding_model="static", cv=0, cache_dir=tmp_path).fit(train["text"].tolist(), Y)
    assert model.features_.static_model_.embedding.shape[1] == 32
    model.save(tmp_path / "themes.joblib", codebook=cb)
    df.iloc[400:800].to_csv(tmp_path / "new.csv", index=False)
    kw = dict(model=tmp_path / "themes.joblib", text_column="Text", columns={"site": "Hospital"})
    result = code_comments(tmp_path / "new.csv", CODEBOOK, tmp_path / "o.parquet", codings=tmp_path / "c.parquet", **kw)
    before = client.run(_worker_builds)
    on_dask = code_comments(tmp_path / "new.csv", CODEBOOK, tmp_path / "d.parquet", codings=tmp_path / "dc.parquet",
                            engine="dask", client=client, **kw)
    codings = pd.read_parquet(tmp_path / "c.parquet")
    pd.testing.assert_frame_equal(codings, pd.read_parquet(tmp_path / "dc.parquet"))
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "o.parquet"), pd.read_parquet(tmp_path / "d.parquet"))
    assert len(list((tmp_path / "d.parquet").iterdir())) > 2  # several partitions on 2 workers
    by_model = codings[codings["method"] == "model"]
    assert len(by_model) > 0 and set(by_model["code_id"]) <= set(themes) and by_model["start"].isna().all()
    comments = pd.read_parquet(tmp_path / "o.parquet").set_index("comment_id")
    for cid, code in zip(by_model["segment_id"], by_model["code_id"]):
        assert code in comments.loc[cid, "codes"]
    assert result.rows == on_dask.rows == 400
    after = client.run(_worker_builds)
    new_keys = {w: set(b) - set(before[w]) for w, b in after.items()}
    assert all(len(k) <= 1 for k in new_keys.values()) and sum(map(len, new_keys.values())) >= 1
    assert all(after[w][k] == 1 for w, keys in new_keys.items() for k in keys)  # once per worker
    assert set(client.run(_worker_embedding_models).values()) == {0}  # no worker loaded or distilled one

    # a model that predicts a code the codebook lacks is refused before any work
    bad = ThemeClassifier(embedding_model=None, cv=0).fit(["long wait", "kind staff"] * 5, ["delays", "kindness"] * 5)
    bad.save(tmp_path / "bad.joblib")
    code = main(["code", str(tmp_path / "new.csv"), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "b.parquet"),
                 "--text-column", "Text", "--model", str(tmp_path / "bad.joblib")])
    err = capsys.readouterr().err
    assert code == 2 and "predicts codes this codebook lacks" in err and not (tmp_path / "b.parquet").exists()


def test_question_polarity_comes_from_questions_yaml_never_from_the_sample_ids(tmp_path, capsys):
    """`code` scored answers with the sample's id-keyed prior (and a FutureWarning) whatever the input."""
    import warnings

    text = "The parking"  # neutral on its own: only the question's lean moves it
    pd.DataFrame({"comment_id": ["a", "b"], "text": [text, text], "question_id": ["zz", "improve"]}).to_csv(
        tmp_path / "in.csv", index=False)  # the sample's questions.yaml declares `improve` negative_prompt
    scores = {}
    for name, extra in (("plain", []), ("polar", ["--questions", str(SAMPLES / "questions.yaml")])):
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)
            assert main(["code", str(tmp_path / "in.csv"), "--codebook", str(CODEBOOK), "--quiet",
                         "--out", str(tmp_path / name)] + extra) == 0
        scores[name] = pd.read_parquet(tmp_path / name).set_index("comment_id")["sentiment_score"]
    assert scores["plain"]["a"] == scores["plain"]["b"] == scores["polar"]["a"]  # no lean from an id's name
    assert scores["polar"]["b"] < scores["polar"]["a"]                           # the declared lean applies


def test_code_reads_the_projects_deidentify_settings_as_run_does(tmp_path, capsys):
    """`code` ignored project.yaml: `deidentify: {name_model: false}` and `deny:` held for `run` only."""
    from .userlike import edit, write_project

    project = write_project(tmp_path / "proj")
    text = "Honestly without Bongani I would have walked out. The parking at pemberton was awful."
    pd.DataFrame({"comment_id": ["a"], "text": [text]}).to_csv(tmp_path / "in.csv", index=False)

    def coded(name, *extra):
        assert main(["code", str(tmp_path / "in.csv"), "--quiet", "--out", str(tmp_path / name), *extra]) == 0
        return pd.read_parquet(tmp_path / name)["text"].iloc[0]

    # with --project the codebook and questions come from project.yaml too
    default = coded("default", "--project", str(project))
    assert "Bongani" not in default and "pemberton" not in default.lower()  # the name model and `deny:` apply
    edit(project / "project.yaml", "  pseudonyms: false\n", "  pseudonyms: false\n  name_model: false\n")
    rules = coded("rules", "--project", str(project))
    assert "Bongani" in rules and "pemberton" not in rules.lower()          # name_model: false is honoured, deny still
    plain = coded("plain", "--codebook", str(project / "codebook.yaml"))
    assert "Bongani" not in plain and "pemberton" in plain          # without a project: the defaults only


def test_code_without_a_codebook_or_project_says_what_to_pass(tmp_path, capsys):
    pd.DataFrame({"comment_id": ["a"], "text": ["fine"]}).to_csv(tmp_path / "in.csv", index=False)
    assert main(["code", str(tmp_path / "in.csv"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--codebook" in err and "--project" in err


def _dated(path, dates):
    pd.DataFrame({"comment_id": [f"c{i}" for i in range(len(dates))], "date": dates,
                  "text": ["The wait in clinic was far too long."] * len(dates)}).to_csv(path, index=False)
    return path


US = ["03/04/2025", "1/5/2025", "12/25/2025", "04/13/2025"]  # two dates only make sense month first
UK = ["03/04/2025", "13/04/2025", "25/12/2025", "1/5/2025"]


def test_code_reads_a_us_export_month_first_as_run_does_and_says_so(tmp_path, capsys):
    """`code` refused 04/13/2025 row by row and read 03/04/2025 as 3 April in a US export; `run` and `init`
    read such a file month first. Now `code` applies the same whole-file rule, and its summary says so."""
    us = _dated(tmp_path / "us.csv", US)
    assert main(["code", str(us), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "us_out")]) == 0
    said = capsys.readouterr().out
    got = pd.read_parquet(tmp_path / "us_out")
    assert got["month"].tolist() == ["2025-03", "2025-01", "2025-12", "2025-04"]
    assert not got["reason"].str.contains("not read as a date").any()
    assert f"dates in {us} read month first" in said
    uk = _dated(tmp_path / "uk.csv", UK)
    assert main(["code", str(uk), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "uk_out")]) == 0
    assert "month first" not in capsys.readouterr().out
    assert pd.read_parquet(tmp_path / "uk_out")["month"].tolist() == ["2025-04", "2025-04", "2025-12", "2025-05"]


def test_the_date_rule_is_decided_per_file_on_all_its_parts_on_both_engines(tmp_path, client):
    """A file read in parts is decided on its whole date column: a first part holding only ambiguous dates
    (03/04/2025) is read month first when a later part shows the file is a US export. In a folder of a US
    and a UK export each file keeps its own reading, on the local and on the dask engine."""
    from pledge_analysis.engine import code_comments

    folder = tmp_path / "in"
    folder.mkdir()
    _dated(folder / "a_us.csv", ["03/04/2025", "02/03/2025"] + US[1:])
    _dated(folder / "b_uk.csv", UK)
    local = code_comments(folder, CODEBOOK, tmp_path / "local", chunk_rows=2)
    want = ["2025-03", "2025-02", "2025-01", "2025-12", "2025-04"] + ["2025-04", "2025-04", "2025-12", "2025-05"]
    assert pd.read_parquet(tmp_path / "local")["month"].tolist() == want
    assert local.month_first == [str(folder / "a_us.csv")]
    dask = code_comments(folder, CODEBOOK, tmp_path / "dask", engine="dask", client=client)
    assert pd.read_parquet(tmp_path / "dask")["month"].tolist() == want and dask.month_first == local.month_first
    # one date alone that reads only month first is a typo as likely as a US export: refused, as before
    _dated(tmp_path / "typo.csv", ["03/04/2025", "13/05/2025", "04/13/2025"])
    code_comments(tmp_path / "typo.csv", CODEBOOK, tmp_path / "typo")
    typo = pd.read_parquet(tmp_path / "typo")
    assert typo["month"].tolist()[:2] == ["2025-04", "2025-05"] and typo["month"].isna().tolist()[2]
    assert "not read as a date" in typo["reason"].iloc[2]
