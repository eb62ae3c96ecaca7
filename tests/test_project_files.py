"""Issue 11: a user's mistakes in project.yaml, questions.yaml or the codebook are located errors
(file, line, key), `validate` and `run` exit non-zero, and `run` stops before doing any work."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from userlike import edit, write_project
from pledge_analysis.cli import main
from pledge_analysis.config import ProjectConfig
from pledge_analysis.errors import ProjectFileError
from pledge_analysis.project_schema import reference_markdown
from pledge_analysis.validate import validate_project


def line_of(path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# (file, old, new, key in the message, words in the message, text on the reported line)
MISTAKES = [
    ("project.yaml", "surveys:", "survey:", "survey", "Did you mean 'surveys'?", "survey:"),
    ("project.yaml", "transcripts:", "transcript:", "transcript", "Did you mean 'transcripts'?", "transcript:"),
    ("project.yaml", "    comments:", "    comment:", "surveys[0].comment", "Did you mean 'comments'?", "comment:"),
    ("project.yaml", "deidentify:", "deidentfy:", "deidentfy", "Did you mean 'deidentify'?", "deidentfy:"),
    ("project.yaml", "deny: [Pemberton]", "deny: Pemberton", "deidentify.deny",
     "expected a list, found text 'Pemberton'. Write a list, e.g. [Pemberton]", "deny:"),
    ("project.yaml", "random_state: 7", "random_state: abc", "random_state", "expected a whole number", "random_state"),
    ("project.yaml", "round: 2027-R1", "round: 2027-R1\ncolour: blue", "colour", "unknown key", "colour"),
    ("project.yaml", "sites:\n  HSH: {name: Hillside Hospital, alliance: Upland Cancer Alliance}\n"
     "  LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}\n", "sites: [HSH, LWC]\n", "sites",
     "expected a mapping", "sites:"),
    ("project.yaml", "codebook: codebook.yaml\n", "", "codebook", "required key is missing", None),
    ("project.yaml", "questions: questions.yaml", "questions: question.yaml", "questions",
     "file 'question.yaml' does not exist", "questions:"),
    ("project.yaml", "questions: questions.yaml", "questions: ../elsewhere.yaml", "questions", "does not exist",
     "questions:"),
    ("questions.yaml", "kind: rating", "kind: score", "questions[1].kind", "'score' is not allowed", "kind: score"),
    ("questions.yaml", "positive: [Strongly agree, Agree]", "positive: [Strongly agree, Agreed]", "questions[0]",
     "positive answers ['Agreed'] are not among the options", "- id: listened"),
    ("codebook.yaml", "survey_items: [listened]", "survey_items: [listend]", "listening.survey_items",
     "names question(s) ['listend'] that questions.yaml does not define", "survey_items: [listend]"),
    ("codebook.yaml", "    keywords: [leaflet", "    keyword: [leaflet", "codes[2].keyword",
     "Did you mean 'keywords'?", "keyword:"),
]


@pytest.mark.parametrize("file,old,new,key,words,on_line", MISTAKES, ids=[m[2].strip()[:24] for m in MISTAKES])
def test_each_mistake_is_a_located_error_and_run_stops_first(tmp_path, capsys, file, old, new, key, words, on_line):
    project = write_project(tmp_path / "p")
    edit(project / file, old, new)
    report = validate_project(project)
    assert not report.ok
    assert [p for p in report.problems if p.key == key and words in p.message], report.problems
    problem = next(p for p in report.problems if p.key == key)
    assert problem.file.endswith(file)
    if on_line:
        assert problem.line == line_of(project / file, on_line)
        assert f"line {problem.line}" in str(problem)
    # both commands exit 2 with the located message and no traceback; run does no work at all
    assert main(["validate", str(project)]) == 2
    assert main(["run", str(project), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and re.search(r"key '" + re.escape(key) + "'", err)
    assert not (project / "project.sqlite").exists() and not (tmp_path / "out" / "segments.csv").exists()


def test_values_in_the_data_must_be_declared(tmp_path):
    project = write_project(tmp_path / "p")
    edit(project / "project.yaml", "  LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}\n", "")
    edit(project / "project.yaml", "Metastatic: secondary", "Metastatic disease: secondary")
    report = validate_project(project)
    by_kind = {p.message.split()[0]: p for p in report.problems}
    site, group = by_kind["site"], by_kind["group"]
    assert site.file == "exports/feedback_2027.csv" and site.column == "Trust site" and "'LWC'" in site.message
    rows = (project / "exports/feedback_2027.csv").read_bytes().decode("cp1252").splitlines()
    assert rows[site.row - 1].split(",")[1] == "LWC"  # the first row really holds it (spreadsheet numbering)
    assert str(site).startswith(f"exports/feedback_2027.csv, row {site.row}, column 'Trust site': site 'LWC'")
    assert "'Metastatic'" in group.message and group.column == "Cohort" and "values: group:" in group.message
    with pytest.raises(ProjectFileError) as exc:
        from pledge_analysis.pipeline import run_project
        run_project(project)
    assert len(exc.value.problems) == 2


def test_yes_no_switches_and_site_shorthand(tmp_path):
    project = write_project(tmp_path / "p")
    edit(project / "project.yaml", "pseudonyms: false", "pseudonyms: no")
    assert ProjectConfig.load(project).deidentify["pseudonyms"] is False
    edit(project / "project.yaml", "pseudonyms: no", "pseudonyms: yes")
    assert ProjectConfig.load(project).deidentify["pseudonyms"] is True
    edit(project / "project.yaml", "  HSH: {name: Hillside Hospital, alliance: Upland Cancer Alliance}",
         "  HSH: Hillside Hospital")
    assert ProjectConfig.load(project).sites["HSH"] == {"name": "Hillside Hospital"}


def test_a_yaml_syntax_error_names_its_line(tmp_path, capsys):
    project = write_project(tmp_path / "p")
    edit(project / "project.yaml", "round: 2027-R1", "round: [2027")
    assert main(["validate", str(project)]) == 2
    err = capsys.readouterr().err
    assert "project.yaml, line" in err and "not valid YAML" in err and "Traceback" not in err


def test_paths_outside_the_project_need_permission(tmp_path):
    project = write_project(tmp_path / "p")
    (tmp_path / "shared_codebook.yaml").write_text((project / "codebook.yaml").read_text())
    edit(project / "project.yaml", "codebook: codebook.yaml", "codebook: ../shared_codebook.yaml")
    with pytest.raises(ProjectFileError, match="outside the project folder"):
        ProjectConfig.load(project)
    edit(project / "project.yaml", "random_state: 7", "random_state: 7\nallow_paths_outside: true")
    assert ProjectConfig.load(project).codebook == (tmp_path / "shared_codebook.yaml").resolve()


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    project = write_project(tmp_path / "p")
    edit(project / "project.yaml", "surveys:", "survey:")
    edit(project / "project.yaml", "deny: [Pemberton]", "deny: Pemberton")
    report = validate_project(project)
    assert {p.key for p in report.problems} >= {"survey", "deidentify.deny"}


def test_the_sample_validates(tmp_path, capsys):
    assert main(["validate", str(ROOT / "data_samples")]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out and "duplicate respondent id" in out and "survey/patients_WRI.xlsx" in out


def test_reference_documentation_is_generated_from_the_schema():
    """docs/project-files.md cannot drift: it is what the schema generates."""
    doc = (ROOT / "docs" / "project-files.md").read_text(encoding="utf-8")
    assert doc == reference_markdown(), "run: python -m pledge_analysis.project_schema > docs/project-files.md"
    for key in ("allow_paths_outside", "survey_items", "pseudonyms", "respondent_id", "positive"):
        assert f"`{key}`" in doc


def test_a_codebook_without_keywords_is_said_before_a_run_codes_nothing(tmp_path):
    """An imported framework (e.g. ``init --codebook nhs-framework``) has no keywords: the rule coder would code
    no text, silently. ``validate`` and ``run`` say so (a note, not a blocking problem: hand coding is legitimate)."""
    from userlike import CODEBOOK_YAML, write_project
    from pledge_analysis.pipeline import run_project
    from pledge_analysis.validate import validate_project

    bare = "\n".join(line for line in CODEBOOK_YAML.splitlines() if "keywords" not in line) + "\n"
    project = write_project(tmp_path / "bare", codebook_yaml=bare)
    report = validate_project(project)
    assert report.ok and report.notes and "no code in codebook.yaml has keywords" in report.notes[0]
    assert "note: no code in codebook.yaml has keywords" in report.format()
    result = run_project(project, store=None)
    assert len(result.codings) == 0 and any("no code in codebook.yaml" in w for w in result.run_log["warnings"])
    partial = CODEBOOK_YAML.replace("    keywords: [leaflet, explained, information]\n", "")
    notes = validate_project(write_project(tmp_path / "partial", codebook_yaml=partial)).notes
    assert notes == ["1 of 3 codes in codebook.yaml have no keywords (information): the rule coder cannot suggest "
                     "them. Add keywords: to those codes, or code them by hand or with a trained model."]
