"""Command line: ``pledge-analysis [--debug] {init,validate,run,import-plan} PROJECT_DIR ...``,
``pledge-analysis code INPUT {--codebook FILE | --project PROJECT_DIR} --out OUTPUT.parquet`` (comments at
scale; ``--project`` applies the project's ``deidentify:``, codebook and questions as ``run`` does),
``pledge-analysis import-qdpx PROJECT.qdpx [--out DIR]`` (what a REFI-QDA project from another program holds)
and ``pledge-analysis serve OUT`` (the read-only view of a run's outputs in the browser).

No raw tracebacks: every failure prints one ``error: ...`` line: for our own errors the code, what,
where, what to do and the section of ``docs/errors.md`` that explains the code, e.g.
``error: PA101 project.yaml not found (file 'p/project.yaml'). Pass a project folder ... (see docs/errors.md#pa101)``.

========  ==================================================================================
exit 0    done
exit 2    bad input or a fault we can name: a project file, a data file, the output folder
          (a file in the way, no permission, disk full), the project store (in use by another
          program, disk full, damaged)
exit 3    an unexpected error (a bug): run again with ``--debug`` and report it
exit 130  interrupted (Ctrl-C)
========  ==================================================================================

``--debug`` (before or after the command) also prints the traceback.
"""
from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import InputError, PledgeError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pledge-analysis",
                                description="Service Pledge research workbench: from feedback to an action plan.")
    p.add_argument("--version", action="version", version=f"pledge-analysis {__version__}")
    p.add_argument("--debug", action="store_true",
                   help="on an error, also print the Python traceback (to report a bug)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True)

    val = sub.add_parser("validate", parents=[common],
                         help="check a project's files and dry-read its data (writes nothing)",
                         description="Check project.yaml, questions.yaml and the codebook against their schemas "
                                     "and each other, read every input file, and list every problem (file, "
                                     "line or row, key or column) and every row a run would set aside. "
                                     "Exits 0 when the project is ready to run, 2 otherwise.")
    val.add_argument("project_dir", type=Path, help="folder holding project.yaml")

    run = sub.add_parser("run", parents=[common], help="run the whole analysis on a project folder",
                         description="Validate the project, read the surveys and transcripts named in "
                                     "PROJECT_DIR/project.yaml, de-identify, code, score, prioritise and draft an "
                                     "action plan. The project store (PROJECT_DIR/project.sqlite by default) is "
                                     "updated, never replaced: review decisions, memos and plan edits are kept.")
    run.add_argument("project_dir", type=Path, help="folder holding project.yaml")
    run.add_argument("--out", type=Path, required=True, help="output folder for exports (created if needed)")
    run.add_argument("--store", type=Path, default=None,
                     help="project store to update (default: `store:` in project.yaml, i.e. "
                          "PROJECT_DIR/project.sqlite)")
    run.add_argument("--keep-original-text", action="store_true",
                     help="also write the original, NOT de-identified text (text_original column); "
                          "only for secure environments")
    run.add_argument("--quiet", action="store_true", help="no progress output")

    imp = sub.add_parser("import-plan", parents=[common], help="store an action plan edited in Excel",
                         description="Read an action_plan.xlsx edited by the co-design group, check every cell, "
                                     "store it in the project store (kept by later runs) and print what changed.")
    imp.add_argument("project_dir", type=Path, help="folder holding project.yaml")
    imp.add_argument("workbook", type=Path, help="the edited action_plan.xlsx")
    imp.add_argument("--by", default="co-design group", help="who made the edits (for the audit log)")
    imp.add_argument("--store", type=Path, default=None, help="project store (default: the project's)")
    imp.add_argument("--force", action="store_true",
                     help="import even where the store holds newer edits of the same goals")

    ini = sub.add_parser("init", parents=[common], help="set up a new project folder from your own files",
                         description="Guess a commented project.yaml, questions.yaml (scales to be confirmed) and "
                                     "a starter codebook from your survey exports and transcripts, and print what "
                                     "was guessed and what you must check. Never overwrites a project's files.")
    ini.add_argument("project_dir", type=Path, help="the new project folder (created if needed)")
    ini.add_argument("--survey", type=Path, nargs="+", default=[], metavar="FILE", help="survey exports (CSV, XLSX)")
    ini.add_argument("--transcripts", type=Path, metavar="DIR", help="folder of transcripts (.txt, .docx, .vtt)")
    ini.add_argument("--sheet", metavar="NAME", help="the sheet to read from survey workbooks with several sheets "
                                                     "(by default the one that looks like a survey)")
    ini.add_argument("--codebook", default="service-pledge", metavar="{service-pledge,nhs-framework,FILE}",
                     help="starter codebook: the Service Pledge themes (default), the NHS feedback framework v7, "
                          "or your own codebook (.yaml, .xlsx)")
    ini.add_argument("--framework-csv", type=Path, metavar="FILE",
                     help="the NHS framework v7 CSV for --codebook nhs-framework (or set PLEDGE_NHS_FRAMEWORK)")
    ini.add_argument("--no-copy", action="store_true",
                     help="refer to input files where they are instead of copying them into the project")
    ini.add_argument("--force", action="store_true", help="overwrite an existing project.yaml, questions.yaml "
                                                          "and codebook.yaml")
    srv = sub.add_parser("serve", parents=[common], help="show a run's results read-only in the browser (Voila)",
                         description="Start the read-only view for patient representatives on this computer only "
                                     "(127.0.0.1): one hospital's prioritised areas with their evidence and "
                                     "de-identified quotes, the plan and its status, and the standards audit when "
                                     "there is one, read from the output folder of `pledge-analysis run`. No code "
                                     "and nothing to edit; works offline. Ctrl-C stops it.")
    srv.add_argument("out", type=Path, help="the output folder of `pledge-analysis run ... --out OUT`")
    srv.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: 8866, or a free one)")
    srv.add_argument("--site", default=None, help="the hospital shown first (site code or name; others stay in "
                                                   "the drop-down)")
    srv.add_argument("--no-browser", action="store_true", help="only print the address; do not open a browser")
    qdp = sub.add_parser("import-qdpx", parents=[common], help="read a REFI-QDA project from NVivo, ATLAS.ti, MAXQDA "
                                                               "or QualCoder and say what it holds",
                         description="Read a REFI-QDA .qdpx project safely (nothing extracted, no file outside it "
                                     "opened), print what was imported and every source or note that was not, "
                                     "with why (PDF, pictures, audio, video, unreadable documents). With --out, "
                                     "write the tables: codebook.yaml and one CSV per table.")
    qdp.add_argument("qdpx", type=Path, help="the .qdpx project file")
    qdp.add_argument("--out", type=Path, default=None, help="folder to write the imported tables to (created if needed)")
    cod = sub.add_parser("code", parents=[common], help="code a large table of comments (local or on Dask)",
                         description="De-identify, rule-code and score the sentiment of every comment in INPUT (a CSV "
                                     "or Parquet file, a glob, or a folder of partitions) and write one row per "
                                     "comment "
                                     "to the Parquet dataset OUTPUT (a folder of part files). Every input row comes "
                                     "back once; rows that cannot be coded are kept with a reason. --engine dask runs "
                                     "the same function on a Dask cluster; the results are identical.")
    cod.add_argument("input", help="a .csv or .parquet file, a folder of them, or a quoted glob ('data/*.csv')")
    cod.add_argument("--codebook", type=Path, default=None,
                     help="the codebook (.yaml or .xlsx); default with --project: the project's `codebook:`")
    cod.add_argument("--project", type=Path, default=None, metavar="PROJECT_DIR",
                     help="a project folder (or its project.yaml) whose settings apply as in `run`: its "
                          "`deidentify:` block (allow, deny, labels, pseudonyms, name_model, ner_model) and, unless "
                          "--codebook / --questions are given, its codebook and questions.yaml")
    cod.add_argument("--out", type=Path, required=True, help="the comments table to write (a Parquet dataset folder)")
    cod.add_argument("--codings", type=Path, default=None, help="also write the long codings table (Parquet dataset)")
    cod.add_argument("--themes", type=Path, default=None,
                     help="also write theme prevalence and negativity by site, group and month (.csv or .parquet)")
    cod.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="local: this process, in chunks (default); dask: a Dask cluster")
    cod.add_argument("--workers", type=int, default=None, help="worker processes of the local Dask cluster "
                                                               "(default: one per core)")
    cod.add_argument("--scheduler", default=None, help="address of a running Dask scheduler (tcp://host:8786) "
                                                       "instead of a local cluster")
    cod.add_argument("--text-column", default="text", help="column holding the comment (default: text)")
    cod.add_argument("--id-column", default="comment_id", help="column holding the comment's id (default: comment_id)")
    for role in ("site", "group", "date", "question-id", "respondent-id"):
        cod.add_argument(f"--{role}-column", default=None,
                         help=f"column holding the {role.replace('-', ' ')} (default: {role.replace('-', '_')}, "
                              "if present)")
    cod.add_argument("--model", type=Path, default=None,
                     help="a theme model (ThemeClassifier or FineTunedThemeClassifier) saved with "
                          ".save(path, codebook=...), or the one `run` keeps beside the project store "
                          "(run_log.json: machine_coding.model_file): adds its codes. Default with --project: "
                          "the model `run` keeps for that project, if there is one")
    cod.add_argument("--no-model", action="store_true",
                     help="code with the rules (and sentiment) alone, even where --project has a kept model")
    cod.add_argument("--questions", type=Path, default=None,
                     help="a questions.yaml whose free_text: entries give each question's polarity: (how it "
                          "leans its answers) to the sentiment score; without it, comments are scored from their "
                          "text alone")
    cod.add_argument("--ner-model", default=None, metavar="NAME_OR_PATH",
                     help="a trained spaCy pipeline (installed package name or folder) whose `ner` adds its PERSON "
                          "names to the de-identifier's (default: the project's `deidentify: {ner_model:}`, if any)")
    cod.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def _code(args) -> int:
    from .engine import code_comments

    columns = {role: getattr(args, f"{role}_column") for role in ("site", "group", "date", "question_id",
                                                                    "respondent_id")}
    codebook, questions, deidentify = args.codebook, args.questions, None
    if args.project is not None:
        from .config import ProjectConfig

        cfg = ProjectConfig.load(args.project)
        deidentify = dict(cfg.deidentify)
        if deidentify.get("ner_model"):  # a folder relative to project.yaml
            from .text.ner_model import location

            deidentify["ner_model"] = location(deidentify["ner_model"], cfg.root)
        codebook = codebook or cfg.codebook
        questions = questions or cfg.questions
        if args.model is None and not args.no_model and cfg.store is not None:
            from .model_cache import model_file

            kept = model_file(cfg.store)
            if kept.is_file():  # the model `run` fitted from the project's reviewed codings
                args.model = kept
                if not args.quiet:
                    print(f"Using the project's kept theme model {kept} (fitted by `run` from the reviewed "
                          "codings; --no-model codes without it).")
    if args.no_model:
        args.model = None
    if args.ner_model:
        deidentify = dict(deidentify or {}, ner_model=args.ner_model)
    if codebook is None:
        from .errors import ConfigError

        raise ConfigError("`code` needs a codebook: pass --codebook FILE, or --project PROJECT_DIR whose "
                          "project.yaml names one (`codebook:`).")
    polarity = None
    if questions is not None:
        from .io import load_prompt_polarity

        polarity = load_prompt_polarity(questions)
    result = code_comments(args.input, codebook, args.out, engine=args.engine, workers=args.workers,
                           scheduler=args.scheduler, text_column=args.text_column, id_column=args.id_column,
                           columns=columns, codings=args.codings, model=args.model, progress=not args.quiet,
                           themes=args.themes, prompt_polarity=polarity, deidentify=deidentify)
    if not args.quiet:
        print(result.summary())
    return 0


def _serve(args) -> int:
    from .serve import serve

    return serve(args.out, port=args.port, site=args.site, open_browser=not args.no_browser)


def _validate(args) -> int:
    from .validate import validate_project

    report = validate_project(args.project_dir)
    print(report.format(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 2


def _check_out(out: Path) -> None:
    """Fail before any work when --out cannot be a folder of exports."""
    from .io.safe import OutputError

    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {str(out)!r} is a file, not a folder. Name a folder for the exports.", path=out)
    parent = out
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"--out {str(out)!r} cannot be created: {str(parent)!r} is a file, not a folder. "
                          "Name another folder for the exports.", path=parent)
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"--out {str(out)!r}: the folder {str(parent)!r} is not writable. Check its permissions, "
                          "or name another folder for the exports.", path=parent)


def _run(args) -> int:
    from .io.safe import OutputError
    from .pipeline import run_project, write_outputs

    _check_out(args.out)
    result = run_project(args.project_dir, keep_original_text=args.keep_original_text,
                         progress=not args.quiet, store=args.store or True)
    try:
        paths = write_outputs(result, args.out)
    except OutputError as exc:
        stored = (f" The project store {result.run_log['store']} was updated; only the exports are missing."
                  if result.run_log.get("store") else "")
        raise OutputError(f"{exc.message}{stored} Files already in {str(args.out)!r} are complete (from this run or an "
                          "earlier one). Fix this and run again, or choose another folder with --out.",
                          path=exc.path) from exc
    if not args.quiet:
        rows = result.run_log["rows"]
        print(f"Read {rows['respondents_kept']:,} respondents and {rows['segments_kept']:,} segments "
              f"({rows['set_aside']:,} set aside, see set_aside.csv).")
        lost = result.run_log.get("no_theme") or {}
        if lost.get("segments"):
            print(f"  {lost['segments']:,} of {lost['of']:,} comments and turns ({lost['segments'] / lost['of']:.0%}) "
                  "matched no theme of the codebook, so no priority rests on them (report.html lists them, "
                  "under \"Comments that matched no theme\"): add the words they use to codebook.yaml's keywords and "
                  "run again, or code them in review.")
        top = result.priorities[result.priorities["scope_type"].isin(["all", "group"])
                                & (result.priorities["rank"] == 1)]
        for r in top.itertuples(index=False):
            print(f"  top priority ({r.scope}): {r.name}")
        sync = result.run_log.get("store_update") or {}
        if sync:
            print(f"Updated the project store {result.run_log['store']}: {sync['human_codings']:,} human "
                  f"codings and {sync['memos']:,} memos kept, {sync['orphans']:,} orphaned (see Project.orphans()).")
            moved = (sync.get("codebook") or {}).get("moved") or {}
            if moved:
                print("  people's work moved with renamed or merged codes (formerly: in the codebook): " + "; ".join(
                    f"{old} -> {m['to']} ({m['codings']} coding(s), {m['memos']} memo(s), {m['goals']} goal(s))"
                    for old, m in moved.items()))
            lost = (sync.get("plan") or {}).get("edited_goals_without_code") or []
            if lost:
                listed = ", ".join(f"{g['goal_id']} ({g['scope']}): {g['code_id']!r}" for g in lost)
                print(f"  {len(lost)} edited goal(s) name a code no longer in the codebook: {listed}. They are kept "
                      "as people wrote them; give each a code of codebook.yaml (code_id in action_plan.xlsx, then "
                      "`pledge-analysis import-plan`).")
        mc = result.run_log.get("machine_coding") or {}
        if mc.get("message"):
            print(f"Model coding: {mc['message']}")
        out = Path(args.out).resolve()
        print(f"Wrote {len(paths)} files to {args.out}: " + ", ".join(
            (p.resolve().relative_to(out).as_posix() if p.resolve().is_relative_to(out) else p.name) for p in paths))
        if result.run_log.get("refi_qda"):
            print(result.run_log["refi_qda"]["message"] + ".")
    return 0


def _import_plan(args) -> int:
    from .config import ProjectConfig
    from .pledge import plan_conflicts, read_action_plan_xlsx
    from .project import Project

    cfg = ProjectConfig.load(args.project_dir)
    store = args.store or cfg.store
    with Project.open(store) as p:
        stored = p.action_plan()
        plan, _ = read_action_plan_xlsx(args.workbook, previous=stored)
        conflicts = plan_conflicts(plan, stored, args.workbook)
        if conflicts and not args.force:
            raise InputError(f"goal(s) {', '.join(conflicts)} were edited in the project store after this workbook "
                             "was exported; importing it would undo those edits", path=args.workbook,
                             hint="Export a fresh action_plan.xlsx with `pledge-analysis run`, make the edits "
                                  "there, or pass --force to overwrite.")
        changes = p.save_action_plan(plan, actor=args.by, note=f"imported from {args.workbook.name}")
    print(f"{len(changes)} change(s) stored in {store}:")
    for r in changes.itertuples(index=False):
        print(f"  {r.goal_id} {r.field}: {r.before!r} -> {r.after!r}")
    return 0


def _import_qdpx(args) -> int:
    import warnings

    from .coding.codebook import write_codebook
    from .io.refi_import import import_summary, log as refi_log, read_project_qdpx
    from .io.safe import safe_to_csv

    level = refi_log.level
    refi_log.setLevel(logging.ERROR)  # the summary below lists what was not imported, once
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            tables = read_project_qdpx(args.qdpx)
    finally:
        refi_log.setLevel(level)
    print(f"{args.qdpx}:")
    print(import_summary(tables))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        write_codebook(tables["codebook"], args.out / "codebook.yaml")
        for name, table in tables.items():
            if name != "codebook":
                safe_to_csv(table, args.out / f"{name}.csv")
        print(f"Tables written to {args.out}: codebook.yaml and {len(tables) - 1} CSV files.")
    return 0


def _init(args) -> int:
    from .scaffold import format_report, init_project

    report = init_project(args.project_dir, surveys=args.survey, transcripts=args.transcripts,
                          codebook=args.codebook, force=args.force, copy=not args.no_copy,
                          framework_csv=args.framework_csv, sheet=args.sheet)
    print(format_report(report))
    return 0


COMMANDS = {"validate": _validate, "run": _run, "import-plan": _import_plan, "init": _init, "code": _code,
            "import-qdpx": _import_qdpx, "serve": _serve}


def _os_message(exc: OSError) -> str:
    from .io.safe import advice, reason

    where = f" {exc.filename!r}" if exc.filename else ""
    if exc.filename2:
        where += f" -> {exc.filename2!r}"
    return f"could not use{where}: {reason(exc)}. {advice(exc)}"


def _error_exit(exc: BaseException, debug: bool = False, args=None) -> int:
    """Print one ``error: ...`` line for ``exc`` (and the traceback with ``--debug``); return the exit code."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, PledgeError):
        from .error_catalogue import docs_anchor

        message, code = f"{exc} (see {docs_anchor(exc.code)})", 2
    elif isinstance(exc, KeyboardInterrupt):
        message, code = ("interrupted. The project store is left as it was before the run, or fully updated; "
                         "run again to finish."), 130
    elif isinstance(exc, OSError):
        message, code = _os_message(exc), 2
    elif isinstance(exc, sqlite3.Error):
        store = getattr(args, "store", None) or "the project store (store: in project.yaml)"
        message, code = (f"the project store {str(store)!r} could not be used ({exc}). Check that no other "
                         "program is writing to it, that the disk has space and the file is writable."), 2
    elif isinstance(exc, MemoryError):
        message, code = ("unexpected: ran out of memory. Close other programs, or split the input files "
                         "(run again with --debug and report it)"), 3
    else:
        message, code = f"unexpected {type(exc).__name__}: {exc} (run again with --debug and report it)", 3
    print(f"error: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - the one place where every failure becomes a message
        return _error_exit(exc, bool(getattr(args, "debug", False)), args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
