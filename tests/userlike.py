"""A small project that does not look like data_samples/: other column names, other sites,
other question ids, a cp1252 export, a transcript in a sub-folder. Tests build it in tmp_path
and change one thing at a time to see what a user's mistake does."""
from __future__ import annotations

import csv
import io
import random
from pathlib import Path

PROJECT_YAML = """\
# A user's own project (test fixture)
name: Hillside breast service
round: 2027-R1
random_state: 7
sites:
  HSH: {name: Hillside Hospital, alliance: Upland Cancer Alliance}
  LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}
groups: [primary, secondary]
questions: questions.yaml
codebook: codebook.yaml
surveys:
  - name: patient survey
    files: [exports/feedback_2027.csv]
    columns:
      respondent_id: Ref
      site: Trust site
      group: Cohort
    values:
      group: {Early breast cancer: primary, Metastatic: secondary}
    comments:
      liked: What went well
      better: What could be better
transcripts:
  - {path: groups/hillside_primary.txt, site: HSH, group: primary}
deidentify:
  allow: [Macmillan]
  deny: [Pemberton]
  pseudonyms: false
"""

QUESTIONS_YAML = """\
questions:
  - id: listened
    column: Staff listened to me
    text: Staff listened to me
    options: [Strongly agree, Agree, Disagree, Strongly disagree, Not sure]
    positive: [Strongly agree, Agree]
    negative: [Disagree, Strongly disagree]
  - id: overall
    column: Overall rating (0-10)
    kind: rating
    min: 0
    max: 10
"""

CODEBOOK_YAML = """\
codes:
  - id: waiting
    name: Waiting times
    keywords: [wait, waited, delay, weeks]
  - id: listening
    name: Being listened to
    keywords: [listen, listened, ignored]
    survey_items: [listened]
  - id: information
    name: Information
    keywords: [leaflet, explained, information]
"""

GOOD = ["The nurse listened to every worry I had.", "Clear leaflet about the operation, very helpful.",
        "Everything was explained café-style, relaxed and calm, cost me nothing (£0).", "Staff were kind."]
BAD = ["I waited six weeks for my scan results.", "Nobody listened when I said the pain was worse.",
       "The information about side effects came far too late.", "Long delay in clinic, two hours."]
TRANSCRIPT = """\
Facilitator: What stood out for you?
P1: Honestly the wait. I waited weeks and nobody rang.
P2: The leaflet explained nothing about what happens after.
Facilitator: Anything else?
P1: Mr Pemberton listened to me, which helped.
"""


#: Bootstrap resamples behind the rank intervals in the suite's user-like runs. The default (100) cost
#: ~12 of the ~15 CPU seconds of each run of this small project, and no test of it looks at the
#: intervals' width; 20 still runs the whole bootstrap on every bad input. The default itself is run by
#: the sample (tests/conftest.py sample_run) and checked in tests/test_priority_intervals.py.
RESAMPLES = 20


def write_project(root: Path, *, n: int = 40, seed: int = 3, project_yaml: str = PROJECT_YAML,
                  questions_yaml: str = QUESTIONS_YAML, codebook_yaml: str = CODEBOOK_YAML,
                  resamples: int | None = RESAMPLES, good: list[str] = GOOD, bad: list[str] = BAD) -> Path:
    """Write the project into ``root`` and return it. ``resamples`` adds ``priorities: {resamples: N}`` to
    a project.yaml that sets no ``priorities:`` of its own (None: leave project_yaml as it is); each
    respondent's two comments are drawn from ``good`` ("What went well") and ``bad`` ("What could be better")."""
    rnd = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    if resamples is not None and "priorities:" not in project_yaml:
        project_yaml += f"priorities: {{resamples: {resamples}}}\n"
    (root / "project.yaml").write_text(project_yaml, encoding="utf-8")
    (root / "questions.yaml").write_text(questions_yaml, encoding="utf-8")
    (root / "codebook.yaml").write_text(codebook_yaml, encoding="utf-8")
    (root / "exports").mkdir(exist_ok=True)
    (root / "groups").mkdir(exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Ref", "Trust site", "Cohort", "Staff listened to me", "Overall rating (0-10)",
                "What went well", "What could be better"])
    for i in range(n):
        w.writerow([f"R{i + 1:03d}", rnd.choice(["Hillside Hospital", "LWC"]),
                    rnd.choice(["Early breast cancer", "Metastatic"]),
                    rnd.choice(["Strongly agree", "Agree", "Disagree", "Not sure"]), rnd.randint(3, 10),
                    rnd.choice(good), rnd.choice(bad)])
    (root / "exports" / "feedback_2027.csv").write_bytes(buf.getvalue().encode("cp1252"))
    (root / "groups" / "hillside_primary.txt").write_text(TRANSCRIPT, encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
