"""Reading ``project.yaml``: what a project's inputs are and how their columns map.

A project folder holds a ``project.yaml`` naming the survey files, transcripts,
questions, codebook and benchmark, with paths relative to the YAML file. See
``data_samples/project.yaml`` for a complete, commented example.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, MissingFileError
from .io.yamlfile import load_yaml


@dataclass(frozen=True)
class SurveySpec:
    """One survey export (one or more files with the same layout)."""

    name: str
    files: tuple[Path, ...]
    columns: dict[str, str]
    comments: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    group: str | None = None  # a fixed group for every row (e.g. "staff")

    @property
    def respondents(self) -> str:
        return "staff" if self.group == "staff" else "patient"


@dataclass(frozen=True)
class TranscriptSpec:
    path: Path
    site: str
    group: str


@dataclass(frozen=True)
class ProjectConfig:
    """A parsed ``project.yaml``; build it with :meth:`load`."""

    root: Path
    name: str
    round: str
    random_state: int
    sites: dict[str, dict[str, str]]
    surveys: tuple[SurveySpec, ...]
    transcripts: tuple[TranscriptSpec, ...]
    questions: Path | None
    codebook: Path | None
    benchmark: Path | None
    deidentify: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path) -> "ProjectConfig":
        """Read ``project.yaml`` (or a folder holding one) and check that its files exist."""
        path = Path(path)
        if path.is_dir():
            path = path / "project.yaml"
        if not path.exists():
            raise MissingFileError("project.yaml not found", path=path,
                                   hint="Pass a project folder that holds a project.yaml (see data_samples/).")
        try:
            raw = load_yaml(path) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"project.yaml is not valid YAML ({path}): {exc}") from None
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: expected a mapping at the top level, found {type(raw).__name__}.")
        root = path.parent

        def file(key: str, value) -> Path | None:
            if value in (None, ""):
                return None
            p = (root / value).resolve()
            if not p.exists():
                raise MissingFileError(f"file named by '{key}' in project.yaml does not exist", path=p,
                                       hint="Fix the path (relative to project.yaml) or add the file.")
            return p

        surveys = []
        for i, s in enumerate(raw.get("surveys") or []):
            where = f"surveys[{i}]"
            if "files" not in s or "columns" not in s:
                raise ConfigError(f"{path}: {where} needs 'files' and 'columns'.")
            for key in ("respondent_id", "site"):
                if key not in s["columns"]:
                    raise ConfigError(f"{path}: {where}.columns must map '{key}' to a column of the file.")
            if s.get("group") is None and "group" not in s["columns"]:
                raise ConfigError(f"{path}: {where} needs columns.group or a fixed 'group' (e.g. staff).")
            surveys.append(SurveySpec(
                name=s.get("name", f"survey {i + 1}"),
                files=tuple(file(f"{where}.files", f) for f in s["files"]),
                columns=dict(s["columns"]), comments=dict(s.get("comments") or {}),
                values={k: dict(v) for k, v in (s.get("values") or {}).items()}, group=s.get("group"),
            ))
        transcripts = []
        for i, t in enumerate(raw.get("transcripts") or []):
            if not {"path", "site", "group"} <= set(t):
                raise ConfigError(f"{path}: transcripts[{i}] needs path, site and group.")
            transcripts.append(TranscriptSpec(file(f"transcripts[{i}]", t["path"]), str(t["site"]), str(t["group"])))
        return cls(
            root=root, name=str(raw.get("name", root.name)), round=str(raw.get("round", "")),
            random_state=int(raw.get("random_state", 0)), sites=dict(raw.get("sites") or {}),
            surveys=tuple(surveys), transcripts=tuple(transcripts),
            questions=file("questions", raw.get("questions")), codebook=file("codebook", raw.get("codebook")),
            benchmark=file("benchmark", raw.get("benchmark")), deidentify=dict(raw.get("deidentify") or {}),
        )

    def site_lookup(self) -> dict[str, str]:
        """Map both site codes and site names (case-insensitive) to the site code."""
        out = {}
        for code, info in self.sites.items():
            out[code.lower()] = code
            if isinstance(info, dict) and info.get("name"):
                out[str(info["name"]).lower()] = code
        return out
