"""Reading ``project.yaml``: what a project's inputs are and how their columns map.

A project folder holds a ``project.yaml`` naming the survey files, transcripts, questions,
codebook and benchmark, with paths relative to the YAML file. It is parsed with the typed
schema of :mod:`pledge_analysis.project_schema` (unknown keys, wrong types and missing files
are errors naming the file, line and key) and every path must exist inside the project folder
unless ``allow_paths_outside: true``. See ``data_samples/project.yaml`` for a complete,
commented example and ``docs/project-files.md`` for every key.

Identity does not depend on how the project is named on the command line: ``root`` is the
resolved folder, and :meth:`ProjectConfig.source_id` is a file's path relative to it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import MissingFileError, Problem, ProjectFileError
from .io.yamlfile import load_yaml_located


@dataclass(frozen=True)
class SurveySpec:
    """One survey export (one or more files with the same layout)."""

    name: str
    files: tuple[Path, ...]
    columns: dict[str, str]
    comments: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    group: str | None = None  # a fixed group for every row (e.g. "staff")
    sheet: str | None = None  # the sheet to read from XLSX files
    key: str = ""  # where it is in project.yaml, e.g. "surveys[0]"
    questions: tuple[str, ...] | None = None  # the question ids it asks (None: all of its respondents')

    @property
    def respondents(self) -> str:
        return "staff" if self.group == "staff" else "patient"


@dataclass(frozen=True)
class TranscriptSpec:
    path: Path
    site: str
    group: str
    source_type: str = "focus_group"
    key: str = ""


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
    groups: tuple[str, ...] = ("primary", "secondary", "staff")
    store: Path | None = None
    #: which national rows are the benchmark: ``year``, ``cancer_type``, ``adjustment``, ``fallback``
    benchmark_select: dict[str, Any] = field(default_factory=dict)
    suppress_below: int = 21  # the suppression rule's threshold (survey.suppression)
    file: Path | None = None  # the project.yaml itself
    lines: Any = field(default=None, repr=False, compare=False)  # a Locator into project.yaml
    #: the ``booklet:`` block (title, contact, logo as a resolved path, round); see project_schema.Booklet
    booklet: dict[str, Any] = field(default_factory=dict)
    #: the ``priorities:`` block (resamples, min_comments, min_concerns); see project_schema.Priorities
    priorities: dict[str, Any] = field(default_factory=lambda: {"resamples": 100, "min_comments": 10,
                                                                 "min_concerns": 3})
    #: the standards file to audit each hospital against (``standards:``; see pledge_analysis.standards), or None
    standards: Path | None = None
    #: the ``machine_coding:`` block (enabled, min_accepted, min_per_code, level, embedding, folds);
    #: see project_schema.MachineCoding (``{}``: its defaults)
    machine_coding: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> "ProjectConfig":
        """Read ``project.yaml`` (or a folder holding one); check its keys, types and files."""
        from .project_schema import ProjectFile, key_path, parse

        path = Path(path).expanduser()
        if path.is_dir():
            path = path / "project.yaml"
        if not path.exists():
            raise MissingFileError("project.yaml not found", path=path,
                                   hint="Pass a project folder that holds a project.yaml (see data_samples/), "
                                        "or create one with `pledge-analysis init`.")
        path = path.resolve()
        root = path.parent
        data, where = load_yaml_located(path)
        model = parse(ProjectFile, data, where, path)
        problems: list[Problem] = []

        def file(key: tuple, value: str | None) -> Path | None:
            if value in (None, ""):
                return None
            p = (root / value).resolve()
            line, dotted = where.line(key), key_path(key)
            if not p.exists():
                problems.append(Problem(path, line, dotted, f"file {value!r} does not exist (looked for {p}). "
                                        "Fix the path (relative to project.yaml) or add the file.", code="PA214"))
            elif not model.allow_paths_outside and not p.is_relative_to(root):
                problems.append(Problem(path, line, dotted, f"{value!r} is outside the project folder {root}. "
                                        "Copy it into the folder, or set allow_paths_outside: true.", code="PA214"))
            return p

        surveys = tuple(
            SurveySpec(name=s.name or f"survey {i + 1}",
                       files=tuple(file(("surveys", i, "files", j), f) for j, f in enumerate(s.files)),
                       columns=s.columns.mapping(), comments=dict(s.comments), values=dict(s.values),
                       group=s.group, sheet=s.sheet, key=f"surveys[{i}]",
                       questions=None if s.questions is None else tuple(s.questions))
            for i, s in enumerate(model.surveys))
        transcripts = tuple(
            TranscriptSpec(file(("transcripts", i, "path"), t.path), t.site, t.group, t.source_type,
                           key=f"transcripts[{i}]")
            for i, t in enumerate(model.transcripts))
        questions = file(("questions",), model.questions)
        codebook = file(("codebook",), model.codebook)
        benchmark = file(("benchmark", "file"), model.benchmark.file) if model.benchmark else None
        standards = file(("standards",), model.standards)
        benchmark_select = (model.benchmark.model_dump(exclude={"file"}) if model.benchmark
                            else {"fallback": "all_respondents"})
        store = (root / model.store).resolve()
        booklet = model.booklet.model_dump(exclude_none=True)
        if model.booklet.logo:
            booklet["logo"] = file(("booklet", "logo"), model.booklet.logo)
        if not model.allow_paths_outside and not store.is_relative_to(root):
            problems.append(Problem(path, where.line(("store",)), "store",
                                    "the project store must be inside the project folder (or set "
                                    "allow_paths_outside: true)"))
        if problems:
            raise ProjectFileError(problems)
        return cls(
            root=root, name=model.name or root.name, round=model.round, random_state=model.random_state,
            sites={k: v.model_dump(exclude_none=True) for k, v in model.sites.items()},
            surveys=surveys, transcripts=transcripts, questions=questions, codebook=codebook,
            benchmark=benchmark, deidentify=model.deidentify.model_dump(), groups=tuple(model.groups),
            store=store, file=path, lines=where, benchmark_select=benchmark_select,
            suppress_below=model.suppress_below, booklet=booklet, priorities=model.priorities.model_dump(),
            standards=standards,
            machine_coding=model.machine_coding.model_dump(),
        )

    def source_id(self, path: str | Path) -> str:
        """A file's stable id: its path relative to the project folder, with ``/`` separators.

        The same whatever the working directory or the way the folder was named
        (``run p`` or ``run /abs/p``); two files of the same name in different folders differ.
        """
        return Path(os.path.relpath(Path(path).resolve(), self.root)).as_posix()

    def line(self, *key) -> int | None:
        """The line of ``key`` (e.g. ``"surveys", 0, "columns"``) in project.yaml, if known."""
        return self.lines.line(key) if self.lines is not None else None

    def site_lookup(self) -> dict[str, str]:
        """Map both site codes and site names (case-insensitive) to the site code."""
        out = {}
        for code, info in self.sites.items():
            out[code.lower()] = code
            if isinstance(info, dict) and info.get("name"):
                out[str(info["name"]).lower()] = code
        return out

