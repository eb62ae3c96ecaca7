"""Command line: ``pledge-analysis run PROJECT_DIR --out OUT_DIR``."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__
from .errors import PledgeError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pledge-analysis",
                                description="Service Pledge research workbench: from feedback to an action plan.")
    p.add_argument("--version", action="version", version=f"pledge-analysis {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the whole analysis on a project folder",
                         description="Read the surveys and transcripts named in PROJECT_DIR/project.yaml, "
                                     "de-identify, code, score, prioritise and draft an action plan.")
    run.add_argument("project_dir", type=Path, help="folder holding project.yaml")
    run.add_argument("--out", type=Path, required=True, help="output folder (created if needed)")
    run.add_argument("--keep-original-text", action="store_true",
                     help="also write the original, NOT de-identified text (text_original column); "
                          "only for secure environments")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.command == "run":
        from .pipeline import run_project, write_outputs

        try:
            args.out.mkdir(parents=True, exist_ok=True)
            result = run_project(args.project_dir, keep_original_text=args.keep_original_text,
                                 progress=not args.quiet, store=args.out / "project.sqlite")
            paths = write_outputs(result, args.out)
        except PledgeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if not args.quiet:
            rows = result.run_log["rows"]
            print(f"Read {rows['respondents_kept']:,} respondents and {rows['segments_kept']:,} segments "
                  f"({rows['set_aside']:,} set aside, see set_aside.csv).")
            top = result.priorities[result.priorities["scope_type"].isin(["all", "group"])
                                    & (result.priorities["rank"] == 1)]
            for r in top.itertuples(index=False):
                print(f"  top priority ({r.scope}): {r.name}")
            print(f"Wrote {len(paths)} files to {args.out}: " + ", ".join(p.name for p in paths))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
