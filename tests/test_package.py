"""Packaging: the public API, lazy imports, and environment.yml in step with pyproject.toml."""
import subprocess
import sys
import tomllib

import yaml

from conftest import ROOT

import pledge_analysis


def test_public_api_is_pinned():
    assert pledge_analysis.__all__ == sorted(pledge_analysis.__all__[:-1]) + ["__version__"]
    for name in pledge_analysis.__all__:
        assert getattr(pledge_analysis, name) is not None, name
    assert {"run_project", "redact", "prioritise", "wilson_ci", "draft_action_plan", "Project"} <= set(pledge_analysis.__all__)


def test_import_is_light():
    code = "import sys, pledge_analysis; print(sorted(m for m in ('spacy', 'torch', 'bertopic', 'sklearn') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def _name(req: str) -> str:
    for sep in ("==", ">=", "<=", "<", ">", "[", " ", ";"):
        req = req.split(sep)[0]
    return req.strip().lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    have = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            have |= {_name(r) for r in dep["pip"] if not r.startswith("-")}
        elif _name(dep) not in ("python", "pip"):
            have.add(_name(dep))
    assert have == wanted


def test_constraints_pin_cpu_torch():
    assert "torch==2.13.0" in (ROOT / "constraints.txt").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "-c constraints.txt" in readme
    assert "pytest" in (ROOT / ".ci" / "run").read_text()
