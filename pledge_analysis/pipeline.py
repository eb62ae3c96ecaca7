"""The end-to-end run: project.yaml in, tables, a report and an action plan out.

:func:`run_project` chains the stages of DESIGN.md (ingest -> de-identify -> code ->
survey -> prioritise -> action plan) and :func:`write_outputs` writes what a run produces.
Both the command line and the quickstart notebook call these.
"""
from __future__ import annotations

import json
import logging
import platform
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from . import __version__
from .config import ProjectConfig
from .errors import ProjectFileError
from .io import Ingested
from .coding.codebook import former_ids
from .validate import (check_data, check_scales, codebook_notes, load_and_check, no_text_notes, read_inputs,
                       respondent_id_notes, sites_notes)

log = logging.getLogger(__name__)

OUTPUTS = ("report.html", "segments.csv", "codings.csv", "themes.csv", "survey_scores.csv", "priorities.csv",
           "machine_coding_quality.csv",
           "action_plan.xlsx", "action_plan.docx", "action_plan.md", "cross_site.csv", "buddy_pairs.csv",
           "project.qdpx", "codebook.qdc", "codings.xlsx", "quotes.xlsx",
           "redactions.csv", "set_aside.csv", "standards_audit.csv", "run_log.json")
#: written only when project.yaml names a standards file (``standards:``)
OPTIONAL_OUTPUTS = ("standards_audit.csv",)


@dataclass
class RunResult:
    """Everything a run computed: tidy tables plus the run log."""

    config: ProjectConfig
    segments: pd.DataFrame
    respondents: pd.DataFrame
    responses: pd.DataFrame
    set_aside: pd.DataFrame
    redactions: pd.DataFrame
    codebook: pd.DataFrame
    codings: pd.DataFrame
    units: pd.DataFrame
    themes: pd.DataFrame
    scores: pd.DataFrame
    priorities: pd.DataFrame
    action_plan: pd.DataFrame
    questions: pd.DataFrame
    scored: pd.DataFrame | None = None
    drivers: pd.DataFrame | None = None
    cross_site: pd.DataFrame | None = None
    buddies: pd.DataFrame | None = None
    run_log: dict = field(default_factory=dict)
    #: with a store: every coding in it (this run's suggestions and all human work, with ``coding_id``),
    #: which the exports (codings.csv/.xlsx, quotes.xlsx, project.qdpx) carry; else None
    store_codings: pd.DataFrame | None = None
    #: with a store: its memos (written into project.qdpx as notes); else None
    store_memos: pd.DataFrame | None = None
    #: with a store: when each coding was accepted or rejected in place (``Project.review_times``); else None
    store_reviews: dict | None = None
    #: with ``standards:`` in project.yaml: the standards (:func:`pledge_analysis.standards.read_standards`)
    #: and the audit of each hospital against them (:func:`pledge_analysis.standards.standards_audit`); else None
    standards: pd.DataFrame | None = None
    standards_audit: pd.DataFrame | None = None
    #: what the run's model coding did (:class:`pledge_analysis.machine_coding.MachineCoding`)
    machine_coding: object | None = None
    #: per theme, which coder its counted segments come from (:func:`machine_coding.coder_counts`)
    coder_counts: pd.DataFrame | None = None
    #: the ranked areas the draft plan passed over for want of evidence, and why
    #: (:func:`pledge_analysis.pledge.areas_without_goal`, columns ``schema.NO_GOAL``); None: not computed
    no_goal: pd.DataFrame | None = None


class _Steps:
    def __init__(self, total: int, show: bool):
        self.total, self.show, self.n, self.timings, self.cpu = total, show, 0, {}, {}

    @contextmanager
    def step(self, name: str):
        self.n += 1
        if self.show:
            print(f"[{self.n}/{self.total}] {name}", file=sys.stderr, flush=True)
        t, c = time.perf_counter(), time.process_time()
        yield
        self.timings[name] = round(time.perf_counter() - t, 3)
        self.cpu[name] = round(time.process_time() - c, 3)  # CPU seconds: what a busy machine does not inflate
        if self.show:
            print(f"      done in {self.timings[name]:.1f} s", file=sys.stderr, flush=True)


def ingest(cfg: ProjectConfig, questions: pd.DataFrame | None) -> Ingested:
    """Read every survey file and transcript named by the project (see :func:`validate.read_inputs`)."""
    return read_inputs(cfg, questions)


def run_project(project: str | Path | ProjectConfig, *, keep_original_text: bool = False,
                progress: bool = False, store: str | Path | bool | None = None) -> RunResult:
    """Run the whole analysis on a project folder (one holding ``project.yaml``).

    The project is validated first (:mod:`pledge_analysis.validate`): any problem in its files
    or data raises :class:`~pledge_analysis.errors.ProjectFileError` before anything is
    de-identified, coded or written. Text is de-identified right after it is read.
    With ``keep_original_text=True`` the original is kept in a ``text_original`` column of
    ``segments`` (and the run log carries a warning).

    ``store``: ``True`` updates the project's own store (``store:`` in project.yaml, by default
    ``project.sqlite`` in the project folder); a path updates that store; ``None`` writes none.
    Updating never loses human work: see :meth:`pledge_analysis.project.Project.sync_run`. The
    action plan of the result is then the store's plan (human edits kept, new drafts added).
    """
    from .coding.rules import code_segments
    from .machine_coding import RUN_CODER, coder_counts, effective_codings, no_theme, run_model_coding
    from .coding.sentiment import SentimentClassifier
    from .coding.themes import coded_units, summarise_themes
    from .io import load_prompt_polarity
    from .cross_site import buddy_pairs, site_theme_matrix
    from .pledge import MIN_CONCERNS, areas_without_goal, draft_action_plan
    from .priorities import method, prioritise
    from .booklet import round_in_words, survey_dates
    from .uncertainty import N_BOOT, rank_intervals, with_rank_intervals
    from .survey import compare_to_benchmark, key_drivers, read_national, score_questions, score_responses
    from .survey.suppression import held_back_scores
    from .text.deidentify import deidentify_tables
    from .text.deidentify_inputs import deidentify_attributes, deidentify_source_ids
    from .text.deidentify import Options
    from .text.ner_model import recognizers
    from .text.nlp import build_nlp

    cfg, questions, codebook, problems = load_and_check(project)
    if problems:
        raise ProjectFileError(problems)
    notes = codebook_notes(codebook, cfg.source_id(cfg.codebook))
    for note in notes:
        log.warning(note)
    store_path = cfg.store if store is True else (Path(store) if store else None)
    if store_path and Path(store_path).exists():
        from .project import Project

        with Project.open(store_path):  # in use by another program, damaged, newer: say so before any work
            pass
    d = cfg.deidentify
    opts = dict(allow=d.get("allow") or (), deny=d.get("deny") or (), labels=d.get("labels"),
                name_model=d.get("name_model"))
    ner = _ner_model(cfg)  # a named NER model that cannot be loaded stops the run here, before any reading
    steps = _Steps(9 if store_path else 8, progress)
    with steps.step("reading surveys and transcripts"):
        problems = []
        data = read_inputs(cfg, questions, problems)
        problems += check_data(cfg, data) + check_scales(cfg, questions)
        if problems:
            raise ProjectFileError(problems)
        for note in sites_notes(cfg, data) + respondent_id_notes(data) + no_text_notes(data, codebook):
            log.warning(note)
            notes.append(note)
    with steps.step(f"de-identifying {len(data.segments):,} segments"):
        # names in file names, text, speaker labels, set-aside values and free-text respondent attributes:
        # nothing identifying is stored or written after this
        renamed_sources = deidentify_source_ids(data, **opts)
        original = data.segments["text"].copy()
        segments, set_aside, redactions = deidentify_tables(
            data.segments, data.set_aside, pseudonyms=bool(d.get("pseudonyms")), progress=progress, nlp=ner,
            **opts)
        respondents, attribute_review = deidentify_attributes(data.respondents, pseudonyms=bool(d.get("pseudonyms")),
                                                              nlp=ner, **opts)
        if len(attribute_review):
            redactions = pd.concat([redactions, attribute_review], ignore_index=True)
        data.segments, data.set_aside, data.respondents = segments, set_aside, respondents
        if keep_original_text:
            segments["text_original"] = original.values
            log.warning("original (not de-identified) text is kept in segments.text_original at the user's request")
    with steps.step("rule coding with the codebook"):
        nlp = build_nlp()  # one private pipeline: the ruler is added to it, and the run log names it
        codings = code_segments(segments, codebook, nlp=nlp, progress=progress)
    with steps.step("model coding from the store's reviewed codings"):
        # the best coder available: rules always; a theme classifier trained on what people accepted once
        # the store holds enough of it (machine_coding: in project.yaml); the counts honour people's decisions
        from .model_cache import model_file

        # the model fitted from the same reviews and settings is kept beside the store: a re-run reuses it
        machine = run_model_coding(cfg.machine_coding, _stored_codings(store_path, former_ids(codebook)), segments,
                                   codebook, codings, random_state=cfg.random_state,
                                   model_path=model_file(store_path) if store_path else None)
        log.info(machine.message)
        if len(machine.codings):
            codings = pd.concat([codings, machine.codings], ignore_index=True)
        counted = effective_codings(codings, machine.human)
        gone = ~counted["code_id"].isin(set(codebook["code_id"]))
        if gone.any():  # accepted in the store under a code since removed: listed by Project.orphans()
            log.warning("%d accepted coding(s) of code(s) no longer in the codebook (%s) are not counted; "
                        "Project.orphans() lists them", int(gone.sum()), ", ".join(sorted(set(counted.loc[gone, "code_id"]))))
            counted = counted[~gone]
    with steps.step("sentiment and theme summary"):
        # how each free-text question leans its answers: polarity: in questions.yaml, not its id
        polarity = load_prompt_polarity(cfg.questions) if cfg.questions else {}
        units = coded_units(segments, counted, codebook, model=SentimentClassifier(prompt_polarity=polarity).fit())
        themes = summarise_themes(segments, units, codebook)
        by_coder = coder_counts(units, codings, machine.human, codebook, segments)
        themeless = no_theme(segments, units)
    with steps.step("scoring the survey"):
        if questions is not None and len(data.responses):
            scored = score_responses(data.responses, questions)
            scores = pd.concat([score_questions(scored, questions, by=b, min_n=cfg.suppress_below)
                                for b in ([], ["group"], ["site"], ["site", "group"])], ignore_index=True)
            national = read_national(cfg.benchmark) if cfg.benchmark else None
            scores = compare_to_benchmark(scores, questions, national, path=cfg.benchmark, **cfg.benchmark_select)
            # secondary suppression: cells that would give a suppressed one back by subtraction, never shown
            scores["held_back"] = held_back_scores(scores, cfg.suppress_below)
        else:
            scores = scored = None
    n_boot = cfg.priorities.get("resamples", N_BOOT)
    min_concerns = cfg.priorities.get("min_concerns", MIN_CONCERNS)  # evidence a draft goal needs
    with steps.step(f"prioritising improvement areas (rank intervals: {n_boot} resamples)"):
        drivers = None
        if questions is not None and scores is not None and (questions["kind"] == "rating").any():
            outcome = questions.loc[questions["kind"] == "rating", "question_id"].iloc[0]
            items = [q for q in questions.loc[(questions["kind"] == "categorical")
                                              & (questions["respondents"] == "patient"), "question_id"]]
            drivers = key_drivers(scored, items=items, outcome=outcome, n_boot=100, random_state=cfg.random_state)
        priorities = prioritise(themes, units, codebook, scores, drivers,
                                min_comments=cfg.priorities.get("min_comments", 10),
                                suppress_below=getattr(cfg, "suppress_below", None))
        # rank intervals: a stratified cluster bootstrap (respondents and sessions within each site)
        if len(priorities) and n_boot:
            intervals = rank_intervals(segments, units, codebook, scored, scores, drivers, themes=themes,
                                       n_boot=n_boot, min_n=getattr(cfg, "suppress_below", None),
                                       random_state=cfg.random_state)
            priorities = with_rank_intervals(priorities, intervals)
        priority_method = dict(method(min_comments=cfg.priorities.get("min_comments", 10)), rank_intervals={
            "n_boot": n_boot, "confidence": 0.95, "top": 3, "random_state": cfg.random_state,
            "strata": "site", "units": "survey respondents; focus-group and interview sessions (all their speakers)",
            "held_fixed": "key-driver importance"})
    standards = audit = None
    if cfg.standards:  # checked by load_and_check above
        from .standards import read_standards, standards_audit

        standards = read_standards(cfg.standards)
        audit = standards_audit(standards, sites=cfg.sites or {"all": {"name": cfg.name}}, units=units,
                                scores=scores, codebook=codebook, questions=questions,
                                suppress_below=getattr(cfg, "suppress_below", None))
    with steps.step("drafting the action plan and cross-site learning"):
        # the programme's goals, each group's and each hospital's own (for its booklet)
        drafting = dict(units=units, codebook=codebook, min_concerns=min_concerns,
                        scope_types=("all", "group", "site") if cfg.sites else ("all", "group"))
        plan = draft_action_plan(priorities, **drafting)
        no_goal = areas_without_goal(priorities, **drafting)
        cross_site = site_theme_matrix(priorities, themes, codebook, scores, cfg.sites)
        buddies = (buddy_pairs(cross_site, min_comments=cfg.priorities.get("min_comments", 10))
                   if cfg.sites else None)
    sync = store_codings = store_memos = store_reviews = None
    if store_path:
        with steps.step("updating the project store"):
            sync, plan, store_codings, store_memos, store_reviews = write_store(
                store_path, data, segments, codebook, codings, plan, methods=("rules", "model"),
                owners={"model": RUN_CODER})
    run_log = {
        "project": cfg.name, "round": cfg.round, "pledge_analysis": __version__,
        # the round as patients read it (the view): the booklet's label or the months of the feedback
        "round_label": round_in_words((cfg.booklet or {}).get("round"), survey_dates(data.respondents, segments)),
        "python": platform.python_version(), "packages": _versions(),
        # hospital names for readers of the output folder alone (the read-only view, pledge-analysis serve)
        "sites": {str(code): {k: str(v) for k, v in info.items() if k in ("name", "alliance")}
                  for code, info in cfg.sites.items()},
        # who gave feedback at each hospital, for the view's wording ("patients", "patients and staff", none)
        "feedback_by_site": _feedback_by_site(cfg.sites, data.respondents, segments),
        "nlp_pipeline": nlp.meta.get("pledge_pipeline"), "random_state": cfg.random_state,
        "sources": data.sources,
        "rows": {"respondents_kept": len(data.respondents), "answers_kept": len(data.responses),
                 "segments_kept": len(segments), "set_aside": len(data.set_aside)},
        "set_aside_by_reason": _reasons(data.set_aside),
        "source_ids_deidentified": renamed_sources,
        "redactions_by_label": redactions["label"].value_counts().sort_index().to_dict() if len(redactions) else {},
        "redactions_by_source": _redaction_counts(redactions),
        "redactions_by_recognizer": (redactions["recognizer"].value_counts().sort_index().to_dict()
                                     if len(redactions) and "recognizer" in redactions.columns else {}),
        "deidentify_recognizers": recognizers(Options.make(name_model=d.get("name_model")).name_model, ner),
        "original_text_written": bool(keep_original_text),
        "warnings": (["original (not de-identified) text is included in segments.csv as text_original"]
                     if keep_original_text else []) + notes,
        "codings": len(codings), "codings_by_method": {str(k): int(v) for k, v in
                                                          codings["method"].value_counts().sort_index().items()},
        "machine_coding": machine.log() | {"themes_by_coder": by_coder.to_dict("records")},
        # comments and turns behind no theme (extend the codebook's keywords, or review them)
        "no_theme": {"segments": len(themeless), "of": int((segments["role"].fillna("participant") != "facilitator")
                                                          .sum()) if len(segments) else 0},
        "priorities": priority_method, "timings_s": steps.timings, "cpu_s": steps.cpu,
        "plan": {"goals": len(plan), "min_concerns": min_concerns,
                 "areas_without_goal": len(no_goal)},  # goals: the plan as exported (a store's: human edits kept)
        "store": str(store_path) if store_path else None, "store_update": sync,
        "standards": ({"file": cfg.source_id(cfg.standards), "name": standards.attrs.get("name"),
                       "verdicts": {str(k): int(v) for k, v in audit["verdict"].value_counts().sort_index().items()}}
                      if standards is not None else None),
        # which disclosure rules the shown texts of this folder were written with (the view refuses a folder
        # written before secondary suppression when the rule would hide something there: view.DISCLOSURE)
        "disclosure": {"secondary_suppression": True},
        "survey": {"suppress_below": cfg.suppress_below,
                   # the questions' wording, for what the read-only view shows beside each code
                   "questions": ({str(q): str(t) for q, t in zip(questions["question_id"], questions["text"])
                                  if pd.notna(t) and str(t).strip()}
                                 if questions is not None and "text" in questions.columns else {}),
                   "benchmark_file": cfg.source_id(cfg.benchmark) if cfg.benchmark else None,
                   "benchmark_select": dict(cfg.benchmark_select),
                   "benchmark_rows": (
                       sorted(set(scores.loc[scores["benchmark_kind"] == "national", "benchmark_source"]))
                       if scores is not None and "benchmark_kind" in scores.columns else [])},
    }
    return RunResult(cfg, segments, data.respondents, data.responses, data.set_aside, redactions, codebook,
                     codings, units, themes, scores if scores is not None else pd.DataFrame(), priorities, plan,
                     questions if questions is not None else pd.DataFrame(), scored, drivers, cross_site,
                     buddies, run_log, store_codings, store_memos, store_reviews, standards=standards,
                     standards_audit=audit, machine_coding=machine, coder_counts=by_coder, no_goal=no_goal)


def _stored_codings(path, renames: dict[str, str] | None = None) -> pd.DataFrame | None:
    """The codings already in the store at ``path`` (human decisions among them), or None without a store; a code
    renamed or merged (``renames``, the codebook's ``formerly:``) under its new id, as the store will hold it."""
    if not path:
        return None
    if not Path(path).exists():
        from .schema import empty

        return empty("codings")
    from .project import Project

    with Project.open(path) as p:
        stored = p.codings()
    if renames and len(stored):
        stored["code_id"] = stored["code_id"].map(lambda c: renames.get(c, c))
    return stored


def write_store(path, data: Ingested, segments, codebook, codings, plan, *, methods=("rules",), owners=None):
    """Update the project store at ``path`` with this run; return ``(summary, plan, codings, memos, review times)``.

    The plan, codings, memos and review times (``Project.review_times``) returned are the store's (human work kept,
    this run's drafts and suggestions added). ``methods`` and ``owners``: which machine suggestions are this
    run's (:func:`project_sync.sync_run`).
    """
    from .project import Project

    with Project.open(path) as p:
        summary = p.sync_run(sources=pd.DataFrame(data.sources), segments=segments, respondents=data.respondents,
                             responses=data.responses, set_aside=data.set_aside, codebook=codebook,
                             codings=codings, plan=plan, methods=methods, owners=owners,
                             renames=former_ids(codebook))
        return summary, p.action_plan(), p.codings(), p.memos(), p.review_times()


def _ner_model(cfg):
    """The trained NER of ``deidentify: {ner_model:}`` (:func:`pledge_analysis.text.ner_model.load_ner_model`),
    or None when none is named."""
    name = cfg.deidentify.get("ner_model")
    if not name:
        return None
    from .text.ner_model import load_ner_model

    return load_ner_model(name, base=cfg.root)


def _redaction_counts(redactions) -> dict:
    """``{source: {label: n}}`` for the run log (see ``text.deidentify.counts_by_source``)."""
    from .text.deidentify import counts_by_source

    return counts_by_source(redactions)


def _reasons(set_aside: pd.DataFrame) -> dict:
    if set_aside.empty:
        return {}
    return {str(k): int(v) for k, v in set_aside["reason"].value_counts().sort_index().items()}


def _versions() -> dict:
    out = {}
    for pkg in ("pandas", "numpy", "scipy", "spacy", "scikit-learn", "plotly", "openpyxl", "vaderSentiment"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def _feedback_by_site(sites: dict, respondents: pd.DataFrame | None, segments: pd.DataFrame | None) -> dict:
    """``{site: {"groups": [...], "respondents": n, "comments": n}}`` for every site of project.yaml (zeros
    where no feedback came from it): the groups that gave feedback there, its survey respondents and its
    segments (survey comments and transcript turns)."""
    out = {str(code): {"groups": set(), "respondents": 0, "comments": 0} for code in sites}
    for table, key in ((respondents, "respondents"), (segments, "comments")):
        if table is None or not len(table) or "site" not in table.columns:
            continue
        for site, n in table["site"].dropna().astype(str).value_counts().items():
            out.setdefault(site, {"groups": set(), "respondents": 0, "comments": 0})[key] = int(n)
        if "group" in table.columns:
            for site, group in table[["site", "group"]].dropna().drop_duplicates().itertuples(index=False):
                out[str(site)]["groups"].add(str(group))
    return {site: {**v, "groups": sorted(v["groups"])} for site, v in out.items()}


def write_all_booklets(result: RunResult, out: Path) -> list[str]:
    """The programme's booklet (``action_plan.docx``), one per hospital in ``booklets/`` (DOCX, HTML,
    PDF; :mod:`pledge_analysis.booklet`; one per Cancer Alliance too, ``alliance_<NAME>``, with
    ``booklet: {alliance_booklets: true}``), worded for the groups that took part, and each hospital's
    co-design pack in ``codesign/`` (HTML; PDF too with ``booklet: {codesign_pdf: true}``;
    :mod:`pledge_analysis.codesign`); their paths, relative to ``out``."""
    from .booklet import round_of, write_booklet_docx, write_booklets

    cfg, opts = result.config, dict(result.config.booklet or {})
    took_part: dict = {}
    for table in (result.respondents, result.segments):
        if table is not None and len(table) and {"site", "group"} <= set(table.columns):
            for site, group in table[["site", "group"]].dropna().drop_duplicates().itertuples(index=False):
                took_part.setdefault(str(site), set()).add(str(group))
    common = dict(title=opts.get("title") or "You said, we plan to", round=round_of(result),
                  contact=opts.get("contact"), logo=opts.get("logo"))
    write_booklet_docx(result.action_plan, out / "action_plan.docx", hospital=cfg.name, sites=tuple(cfg.sites),
                       took_part=set().union(*took_part.values()) if took_part else None, **common)
    paths = write_booklets(result.action_plan, out / "booklets", sites=cfg.sites, took_part=took_part,
                           programme=cfg.name, **common)
    if opts.get("alliance_booklets"):  # one per Cancer Alliance: its hospitals' goals
        from .booklet import write_alliance_booklets

        paths += write_alliance_booklets(result.action_plan, out / "booklets", sites=cfg.sites, took_part=took_part,
                                         programme=cfg.name, **common)
    if cfg.sites and len(result.priorities):  # the facilitator's pack: one page per prioritised area
        from .codesign import write_codesign

        paths += write_codesign(result, out / "codesign", took_part=took_part,
                                formats=("html", "pdf") if opts.get("codesign_pdf") else ("html",))
    return ["action_plan.docx"] + [p.relative_to(out).as_posix() for p in paths]


#: The note in an output folder while a run writes it (removed when the run's log is written).
INCOMPLETE = "RUN_NOT_FINISHED.txt"


def write_outputs(result: RunResult, out_dir: str | Path, *, progress: bool = False) -> list[Path]:
    """Write a run's tables, report and action plan into ``out_dir``; return the paths.

    Every file is written to a temporary name in ``out_dir`` and moved into place when complete,
    so a failure (full disk, no permission) leaves the previous file or none, never a half-written
    one; :data:`INCOMPLETE` is written first and removed after ``run_log.json``, so a folder whose writing was cut
    short (a killed run, a full disk) says so and is not taken for one run's outputs
    (:func:`pledge_analysis.view.read_outputs`); it raises :class:`~pledge_analysis.io.safe.OutputError` naming the file. Spreadsheet
    cells that a spreadsheet would run as a formula are neutralised (:mod:`pledge_analysis.io.safe`).
    """
    from .coding.queries import quotes_table
    from .io.safe import atomic_path, output_error, remove_stale_temporaries, safe_to_csv, safe_to_excel, write_text
    from .io.refi import write_codebook_qdc, write_project_qdpx
    from .pledge import plan_markdown, write_action_plan_xlsx
    from .report import write_report

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, out, "could not create the output folder") from None
    remove_stale_temporaries(out)  # left by a run that was killed while writing
    # until this run's log is written, a note says the folder is being written: a folder left by a run killed (or
    # stopped by a full disk) half way holds files of two runs, and is not read as one run (view.read_outputs)
    write_text(out / INCOMPLETE, "pledge-analysis run started writing this folder and has not finished: its files "
               "may come from two runs. Run the analysis again; this note goes when a run completes.\n")
    t, c = time.perf_counter(), time.process_time()
    codings = result.store_codings if result.store_codings is not None else result.codings
    tables = {"segments.csv": result.segments, "codings.csv": codings, "themes.csv": result.themes,
              "survey_scores.csv": result.scores, "priorities.csv": result.priorities,
              "redactions.csv": result.redactions, "set_aside.csv": result.set_aside,
              "cross_site.csv": result.cross_site, "buddy_pairs.csv": result.buddies,
              "standards_audit.csv": result.standards_audit}
    if result.machine_coding is not None:
        from .machine_coding import quality_table

        tables["machine_coding_quality.csv"] = quality_table(result.machine_coding)
    for name, table in tables.items():
        if table is not None:
            safe_to_csv(table, out / name)
    write_action_plan_xlsx(result.action_plan, out / "action_plan.xlsx")
    result.run_log["booklets"] = write_all_booklets(result, out)
    write_text(out / "action_plan.md", plan_markdown(result.action_plan))
    write_report(result, out / "report.html")
    # exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA), and spreadsheets
    # reviewed codings as codings, and this run's unreviewed suggestions in their own clearly named codes (a
    # fresh project has no reviewed coding yet: the file would be empty); the run log and the screen say which
    with atomic_path(out / "project.qdpx") as tmp:
        result.run_log["refi_qda"] = write_project_qdpx(
            tmp, segments=result.segments, codebook=result.codebook, codings=codings,
            respondents=result.respondents, memos=result.store_memos, name=result.config.name,
            include_suggestions=True, reviewed_at=result.store_reviews)
    with atomic_path(out / "codebook.qdc") as tmp:
        write_codebook_qdc(result.codebook, tmp)
    safe_to_excel(codings, out / "codings.xlsx", sheet_name="Codings")
    safe_to_excel(quotes_table(codings, result.segments, result.codebook), out / "quotes.xlsx", sheet_name="Quotes")
    result.run_log["timings_s"]["writing outputs"] = round(time.perf_counter() - t, 3)
    result.run_log.setdefault("cpu_s", {})["writing outputs"] = round(time.process_time() - c, 3)
    result.run_log["outputs"] = sorted(p.name for p in out.iterdir() if not p.name.startswith(".") and p.name != INCOMPLETE)
    write_text(out / "run_log.json", json.dumps(result.run_log, indent=2, default=str))
    try:
        (out / INCOMPLETE).unlink()
    except OSError as exc:
        raise output_error(exc, out / INCOMPLETE, "could not remove the note of an unfinished run") from None
    booklets = [out / p for p in result.run_log.get("booklets", []) if p not in OUTPUTS]
    return [out / name for name in OUTPUTS if (out / name).exists()] + booklets
