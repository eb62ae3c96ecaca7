"""Packaging: the public API, lazy imports, and the lock file (requirements.lock) that every install uses."""
import re
import subprocess
import sys
import tomllib

import yaml

from conftest import ROOT

import pledge_analysis


#: The public API, written out: adding or removing a name is a decision made here, in review, not a side effect.
PUBLIC_API = [
    "CodebookError", "ConfigError", "EmptyInputError", "InputError", "MissingColumnError", "MissingFileError",
    "ModelUnavailableError", "NotFittedError", "OutputError", "PledgeError", "Problem", "Project", "ProjectConfig",
    "ProjectFileError", "ProjectStoreError", "ReviewWidget", "SentimentClassifier", "TableContractError",
    "ThemeClassifier", "TopicExplorer", "TranscriptFormatError", "UnsafeInputError", "build_nlp", "code_comments",
    "code_segments", "coded_units", "compare_to_benchmark", "draft_action_plan", "embed", "init_project",
    "krippendorff_alpha", "least_certain", "load_nlp", "load_questions", "prioritise", "read_codebook",
    "read_national", "read_survey", "read_transcript", "redact", "redact_frame", "run_project", "score_questions",
    "score_responses", "summarise_themes", "validate_project", "wilson_ci", "write_action_plan_xlsx",
    "write_codebook", "write_outputs", "write_report", "__version__",
]


def test_public_api_is_pinned():
    assert pledge_analysis.__all__ == PUBLIC_API
    assert sorted(dir(pledge_analysis)) == sorted(PUBLIC_API)
    for name in PUBLIC_API:
        assert getattr(pledge_analysis, name) is not None, name
    from pledge_analysis.engine import code_comments

    assert pledge_analysis.code_comments is code_comments  # the `pledge-analysis code` command's function


def test_import_is_light():
    code = "import sys, pledge_analysis; print(sorted(m for m in ('spacy', 'torch', 'bertopic', 'sklearn') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def _name(req: str) -> str:
    for sep in ("==", ">=", "<=", "<", ">", "[", " ", ";"):
        req = req.split(sep)[0]
    return re.sub(r"[-_.]+", "-", req.strip()).lower()  # PEP 503


def _lock() -> dict[str, str]:
    """requirements.lock as {normalised name: version}; every line a comment or ``name==version``."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!-]+", line), line
        name, version = line.split("==")
        assert _name(name) not in pins, f"{name} pinned twice"
        pins[_name(name)] = version
    return pins


def test_lock_pins_every_dependency():
    lines = [l for l in (ROOT / "requirements.lock").read_text().splitlines() if l and not l.startswith("#")]
    assert lines == sorted(lines, key=lambda l: _name(l)), "requirements.lock is sorted by name"
    pins = _lock()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    assert wanted - set(pins) == set(), "run tools/update_lock.py after changing dependencies"
    assert pins["torch"] == "2.13.0"  # the CPU build; anything else pulls several GB of CUDA packages
    assert not [n for n in pins if n.startswith(("nvidia-", "cuda", "triton"))]
    assert "pledge-analysis" not in pins


def test_installed_versions_are_the_locked_ones():
    from importlib.metadata import distributions

    from packaging.specifiers import SpecifierSet

    pins = _lock()
    wrong = {}
    for dist in distributions():
        name = _name(dist.metadata["Name"])
        if name in pins and dist.version not in SpecifierSet(f"=={pins[name]}"):
            wrong[name] = (dist.version, pins[name])
    assert wrong == {}, "installed without -c requirements.lock? (installed, locked): " + repr(wrong)


def test_environment_yml_installs_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert conda == ["python=3.11", "pip"]  # conda gives only Python and pip: no second set of versions
    assert pip == [["-c requirements.lock", "-e .[test]"]]
    assert env["channels"] == ["conda-forge"]


def test_install_commands_use_the_lock():
    readme = (ROOT / "README.md").read_text()
    installs = re.findall(r"pip install [^&\n]*", readme)
    assert installs and all("-c requirements.lock" in i for i in installs), installs
    ci = (ROOT / ".ci" / "run").read_text()
    assert "-c requirements.lock" in ci and "pytest" in ci
    assert "tools/update_lock.py" in (ROOT / "requirements.lock").read_text()
    assert (ROOT / "tools" / "update_lock.py").exists()


def test_python_dash_m_runs_the_command_line():
    """New-user trial (session 9): ``python -m pledge_analysis`` had no ``__main__``; it is the same CLI, errors and all."""
    import subprocess
    import sys

    import pledge_analysis

    ok = subprocess.run([sys.executable, "-m", "pledge_analysis", "--version"], capture_output=True, text=True)
    assert ok.returncode == 0 and pledge_analysis.__version__ in ok.stdout + ok.stderr, ok
    bad = subprocess.run([sys.executable, "-m", "pledge_analysis", "validate", "/no/such/project"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "PA101" in bad.stderr and "Traceback" not in bad.stderr, bad
