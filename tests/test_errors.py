"""The error catalogue (issue 19): every error is coded, located and formatted one way.

The catalogue side is checked statically (every class has a unique code, every code used at a raise
site belongs to that site's class and is documented, docs/errors.md is current); the user side by
making the mistakes users make (a CSV missing a column, a project.yaml typo, an unfitted model, a bad
.qdpx, a wrongly encoded export) and reading the code, the location in ``.context`` and the message.
"""
from __future__ import annotations

import ast
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pledge_analysis import error_catalogue, errors
from pledge_analysis.errors import (InputError, MissingColumnError, NotFittedError, PledgeError, Problem,
                                    ProjectFileError)

from userlike import write_project

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pledge_analysis"
CLASSES = {name: cls for name, cls in vars(errors).items() if isinstance(cls, type) and issubclass(cls, PledgeError)}
FORMAT = re.compile(r"^PA\d{3} \S")  # "PA101 what (file 'x', row 3). what to do"


# ------------------------------------------------------------------------------ the catalogue
def test_every_class_has_its_own_catalogued_code():
    codes = {name: cls.__dict__.get("code") for name, cls in CLASSES.items()}
    assert all(codes.values()), f"classes without a code of their own: {[n for n, c in codes.items() if not c]}"
    assert len(set(codes.values())) == len(codes), codes
    for name, code in codes.items():
        assert error_catalogue.entry(code).error == name, (name, code)
        assert not error_catalogue.entry(code).problem


def test_catalogue_entries_are_unique_complete_and_name_real_classes():
    codes = [e.code for e in error_catalogue.CATALOGUE]
    assert len(codes) == len(set(codes)) and codes == sorted(codes)
    for e in error_catalogue.CATALOGUE:
        assert re.fullmatch(r"PA\d{3}", e.code), e
        assert e.error in CLASSES, e
        assert e.title and e.cause.endswith(".") and e.action.endswith("."), e
        # a finer code lives in the hundred of its class (PA11x are InputErrors, PA21x ProjectFileError's ...)
        assert e.code[:3] == CLASSES[e.error].code[:3], e


def _coded_calls():
    """(file, line, called name, code) of every ``code="PA..."`` given in the package's source."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                for kw in node.keywords:
                    if kw.arg == "code" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                        yield path.relative_to(ROOT), node.lineno, node.func.id, kw.value.value


def test_every_code_given_at_a_raise_site_is_catalogued_for_that_class():
    calls = list(_coded_calls())
    assert len(calls) > 40  # the common situations have their codes (a floor, not a target)
    for path, line, name, code in calls:
        assert code in error_catalogue.CODES, f"{path}:{line}: {code} is not in the catalogue"
        e = error_catalogue.entry(code)
        if name == "Problem":
            assert e.problem, f"{path}:{line}: {code} is not a Problem code"
        else:
            assert issubclass(CLASSES[name], CLASSES[e.error]), f"{path}:{line}: {name} given {code} ({e.error})"
    mapped = {node.value for path in PACKAGE.rglob("*.py") if path.name != "error_catalogue.py"
              for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"PA\d{3}", node.value)}
    assert mapped <= set(error_catalogue.CODES), mapped - set(error_catalogue.CODES)
    used = mapped | {cls.code for cls in CLASSES.values()}
    assert used >= set(error_catalogue.CODES), f"catalogued but never used: {set(error_catalogue.CODES) - used}"


def test_docs_errors_md_is_generated_from_the_catalogue_and_documents_every_code():
    committed = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert committed == error_catalogue.markdown(), (
        "docs/errors.md is out of date: run `python -m pledge_analysis.error_catalogue docs/errors.md`")
    for e in error_catalogue.CATALOGUE:
        anchor = error_catalogue.docs_anchor(e.code).split("#")[1]
        assert f'<a id="{anchor}"></a>' in committed and f"## {e.code}: {e.title}" in committed
    for name in CLASSES:
        assert name in committed


def test_every_class_keeps_its_context_through_pickle():
    """Errors raised in a Dask worker travel back pickled: code, context and message survive."""
    samples = [InputError("bad", path="a.csv", row=3, column="Q2", hint="Fix it."),
               errors.MissingFileError("gone", path="b.csv"), MissingColumnError("no col", column="Q", missing=["Q"]),
               errors.TableContractError("codings", ["status"]), errors.EmptyInputError("empty", path="c.csv"),
               errors.TranscriptFormatError("bad turn", path="t.txt", row=2),
               errors.UnsafeInputError("too big", path="p.qdpx", member="project.qde", line=4),
               errors.ConfigError("bad option"), ProjectFileError([Problem("project.yaml", 3, "survey", "x", code="PA211")]),
               errors.CodebookError("dup", code="PA302"), errors.ProjectStoreError("locked"),
               errors.OutputError("could not write 'o.csv'.", path="o.csv", err=28), NotFittedError("ThemeClassifier"),
               errors.ModelUnavailableError("no model"), PledgeError("base", key="k")]
    assert {type(s) for s in samples} == set(CLASSES.values())
    for err in samples:
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and str(back) == str(err) and back.context == err.context
        assert back.code == err.code and back.hint == err.hint and FORMAT.match(str(err)), str(err)
    assert pickle.loads(pickle.dumps(samples[11])).errno == 28


def test_one_format_what_where_and_what_to_do():
    err = InputError("answer out of range", path="a.csv", row=3, column="Q2", hint="Use 1 to 5.")
    assert str(err) == "PA100 answer out of range (file 'a.csv', row 3, column 'Q2'). Use 1 to 5."
    assert err.message == str(err)[len("PA100 "):] and err.what == "answer out of range"
    assert err.context == {"path": "a.csv", "row": 3, "column": "Q2"} and (err.path, err.row) == ("a.csv", 3)
    coded = InputError("cannot decode the file", path="a.csv", code="PA111")
    assert coded.code == "PA111" and isinstance(coded, InputError) and str(coded).startswith("PA111 ")
    later = InputError("no sheet 'x'", path="a.xlsx")
    later.key = "sheet"  # readers add the project.yaml key once they know it
    assert later.context["key"] == "sheet"


# ------------------------------------------------------------------------------ users' mistakes
def test_a_csv_missing_a_column(tmp_path):
    from pledge_analysis.io.surveys import read_survey

    f = tmp_path / "export.csv"
    f.write_text("Ref,Trust site,Cohort\n1,HSH,primary\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as info:
        read_survey(f, columns={"respondent_id": "Ref", "site": "Trust site", "group": "Cohort"},
                    comments={"better": "What could be better"})
    err = info.value
    assert err.code == "PA102" and isinstance(err, KeyError)
    assert err.context["path"] == f and err.context["column"] == "What could be better"
    assert err.context["missing"] == ["What could be better"]
    assert str(err).startswith("PA102 survey file 'export.csv' is missing column(s) ['What could be better'] "
                               f"(file {str(f)!r}, column 'What could be better'). ")
    assert "Fix the column mapping in project.yaml" in err.hint


def test_a_project_yaml_typo(tmp_path):
    from pledge_analysis.config import ProjectConfig

    project = write_project(tmp_path / "p")
    yaml = project / "project.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("surveys:", "survey:"), encoding="utf-8")
    with pytest.raises(ProjectFileError) as info:
        ProjectConfig.load(project)
    err = info.value
    typo = next(p for p in err.problems if p.key == "survey")
    line = 1 + yaml.read_text(encoding="utf-8").splitlines().index("survey:")
    assert err.code == "PA201" and typo.code == "PA211"
    assert typo.context == {"path": str(yaml), "line": line, "key": "survey"}
    assert "Did you mean 'surveys'?" in typo.message
    assert str(err).startswith("PA201 ") and f"  - PA211 {yaml}, line {line}, key 'survey': unknown key" in str(err)
    assert err.context["files"] == [str(yaml)] and err.context["problems"] == len(err.problems)
    assert err.hint == "Fix them and run `pledge-analysis validate PROJECT_DIR` again."


@pytest.mark.parametrize("make, use", [
    ("pledge_analysis.coding.classifier:ThemeClassifier", lambda m: m.predict(["The wait was long."])),
    ("pledge_analysis.coding.classifier:ThemeClassifier", lambda m: m.save("never.joblib")),
    ("pledge_analysis.coding.classifier:TextFeatures", lambda m: m.transform(["The wait was long."])),
    ("pledge_analysis.coding.sentiment:SentimentClassifier", lambda m: m.predict(["The wait was long."])),
    ("pledge_analysis.coding.topics:TopicExplorer", lambda m: m.by("site")),
    ("pledge_analysis.coding.topics:TopicExplorer", lambda m: m.over_time()),
], ids=["ThemeClassifier.predict", "ThemeClassifier.save", "TextFeatures.transform", "SentimentClassifier.predict",
        "TopicExplorer.by", "TopicExplorer.over_time"])
def test_an_unfitted_model(make, use, tmp_path, monkeypatch):
    import importlib

    module, name = make.split(":")
    model = getattr(importlib.import_module(module), name)()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NotFittedError) as info:
        use(model)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, AttributeError)  # as scikit-learn's NotFittedError
    assert err.code == "PA600" and err.context == {"estimator": name}
    assert str(err).startswith(f"PA600 {name} is not fitted yet. Call fit(")
    assert not list(tmp_path.iterdir())  # nothing saved


def test_an_unfitted_model_matches_sklearn_check_is_fitted():
    from sklearn.utils.validation import check_is_fitted

    from pledge_analysis.coding.classifier import ThemeClassifier

    with pytest.raises(Exception) as theirs:
        check_is_fitted(ThemeClassifier())
    with pytest.raises(NotFittedError) as ours:
        ThemeClassifier().predict_proba(["a"])
    assert isinstance(ours.value, (ValueError, AttributeError)) and isinstance(theirs.value, (ValueError, AttributeError))


def test_a_bad_qdpx(tmp_path):
    from pledge_analysis.io.refi import read_project_qdpx

    bad = tmp_path / "project.qdpx"
    bad.write_bytes(b"P1: not a zip at all\n")
    with pytest.raises(InputError) as info:
        read_project_qdpx(bad)
    err = info.value
    assert err.code == "PA114" and err.context["path"] == bad
    assert str(err).startswith("PA114 not a REFI-QDA project: the file is not a zip archive")
    assert f"(file {str(bad)!r})" in str(err) and "Export" in err.hint


def test_an_export_in_an_unreadable_encoding_and_a_csv_named_xlsx(tmp_path):
    from pledge_analysis.io.files import read_table

    utf16 = tmp_path / "a.csv"
    utf16.write_bytes(b"\xff\xfeR\x00e\x00\x00\xd8")  # a UTF-16 BOM, then a lone surrogate
    with pytest.raises(InputError) as info:
        read_table(utf16)
    assert info.value.code == "PA111" and info.value.context["path"] == utf16
    csv_named_xlsx = tmp_path / "b.xlsx"
    csv_named_xlsx.write_text("Ref,Site\n1,HSH\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_table(csv_named_xlsx)
    assert info.value.code == "PA110" and info.value.context["path"] == csv_named_xlsx


def test_cli_prints_the_code_the_hint_and_the_docs_section_without_a_traceback(tmp_path):
    bad = tmp_path / "project.qdpx"
    bad.write_bytes(b"not a zip")
    proc = subprocess.run([sys.executable, "-m", "pledge_analysis.cli", "import-qdpx", str(bad)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr and len(err.splitlines()) == 1, proc.stderr
    assert err.startswith("error: PA114 not a REFI-QDA project"), err
    assert "A .qdpx is a zip of project.qde" in err and err.endswith("(see docs/errors.md#pa114)"), err
