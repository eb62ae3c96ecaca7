"""Typed schemas of the project files: ``project.yaml``, ``questions.yaml``, the codebook, a standards file.

Each file is parsed into a pydantic model that forbids unknown keys (with a "did you mean"
hint), checks types (text where a list is wanted is an error, not a list of letters; a yes/no
switch reads ``no``/``off``/``false`` as false) and reports *every* problem with its file,
line and key path as a :class:`~pledge_analysis.errors.ProjectFileError`.

The reference documentation (``docs/project-files.md``) is generated from these models by
:func:`reference_markdown`, and a test checks that the committed file matches, so the
documentation cannot drift from what the code accepts.

>>> from pledge_analysis.io.yamlfile import load_yaml_located_text
>>> data, where = load_yaml_located_text("name: demo\\ncodebook: codebook.yaml\\nsurvey: []\\n")
>>> try:
...     parse(ProjectFile, data, where, "project.yaml")
... except ProjectFileError as exc:
...     print(exc.problems[0])
PA211 project.yaml, line 3, key 'survey': unknown key. Did you mean 'surveys'?
"""
from __future__ import annotations

import difflib
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import Problem, ProjectFileError

DEFAULT_GROUPS = ("primary", "secondary", "staff")
REDACTION_LABELS = ("PERSON", "PHONE", "EMAIL", "NHS_NUMBER", "POSTCODE", "ADDRESS", "DATE", "URL", "ID")


class _Strict(BaseModel):
    """Unknown keys are errors; numbers are accepted where text is wanted (a site code ``101``)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


# ---------------------------------------------------------------------------------- project.yaml
class Site(_Strict):
    """One hospital (site) taking part. Its key under ``sites:`` is the short site code."""

    name: Optional[str] = Field(None, description="Full name, as it may appear in the survey's site column "
                                                  "(matched case-insensitively, like the code).")
    alliance: Optional[str] = Field(None, description="Cancer Alliance (or region) it belongs to, for roll-ups "
                                                      "and same-region buddy pairing.")
    region: Optional[str] = Field(None, description="Optional region, if different from the alliance.")
    contact: Optional[str] = Field(None, description="Optional contact for the booklet (a team or a role, not "
                                                     "a patient).")


class SurveyColumns(_Strict):
    """Which column of the export holds what (canonical name: column header in the file)."""

    respondent_id: str = Field(description="Column with each respondent's id (unique within the survey); "
                               "`(row)` when the export has none (Google Forms): each respondent is then named "
                               "by its file and spreadsheet row.")
    site: str = Field(description="Column with the hospital: a site code or name listed under `sites:`.")
    group: Optional[str] = Field(None, description="Column with the patient group (mapped to the names in "
                                                   "`groups:` through `values: group:`). Leave out when the "
                                                   "survey has a fixed `group:`.")
    completed: Optional[str] = Field(None, description="Column with the date the survey was completed "
                                                       "(used for trends over time).")
    age_band: Optional[str] = Field(None, description="Column with the age band.")
    ethnicity: Optional[str] = Field(None, description="Column with ethnicity.")
    imd_quintile: Optional[str] = Field(None, description="Column with the deprivation (IMD) quintile.")
    sex: Optional[str] = Field(None, description="Column with sex or gender.")
    role: Optional[str] = Field(None, description="Column with the staff role (staff surveys).")
    attributes: dict[str, str] = Field(default_factory=dict, description="Any other respondent attribute to "
                                       "keep: attribute name: column header.")

    def mapping(self) -> dict[str, str]:
        """canonical name -> file column, for :func:`pledge_analysis.io.read_survey`."""
        fixed = {k: v for k, v in self.model_dump(exclude={"attributes"}).items() if v}
        return fixed | dict(self.attributes)


class Survey(_Strict):
    """One survey export: one or more files with the same columns."""

    name: Optional[str] = Field(None, description="A name for messages and the report, e.g. `patient survey`.")
    files: list[str] = Field(min_length=1, description="CSV or TSV (UTF-8, UTF-8 with BOM, UTF-16 or "
                             "Windows-1252; comma, tab or semicolon) or XLSX files, relative to project.yaml.")
    columns: SurveyColumns = Field(description="Which column holds what; see below.")
    comments: dict[str, str] = Field(default_factory=dict, description="Free-text questions: question id: "
                                     "column header. Each non-empty answer becomes a segment to code.")
    values: dict[str, dict[str, str]] = Field(default_factory=dict, description="Recoding of values: canonical "
                                              "column: {value in the file: value to use}, e.g. `group: "
                                              "{Metastatic: secondary}`.")
    group: Optional[str] = Field(None, description="A fixed group for every row (e.g. `staff`), instead of "
                                                   "`columns.group`.")
    sheet: Optional[str] = Field(None, description="The sheet to read from each XLSX file (its name as on the "
                                 "tab). Needed when a workbook has several sheets holding rows; without it such a "
                                 "workbook is an error, so rows on another sheet are never silently left out. "
                                 "Empty and header-only sheets are ignored.")
    questions: Optional[list[str]] = Field(None, description="The ids (in questions.yaml) of the tick-box "
                                           "questions this survey asks, when surveys of the same respondents ask "
                                           "different ones (a main survey and a shorter one for secondary "
                                           "patients); by default every question of its respondents (patient or "
                                           "staff), each of which must be a column of every file.")

    @model_validator(mode="after")
    def _group_given(self):
        if self.group is None and self.columns.group is None:
            raise ValueError("give columns.group (the column with the patient group) or a fixed group: "
                             "(e.g. group: staff)")
        return self


class Transcript(_Strict):
    """One focus-group or interview transcript (.txt with `Speaker:` turns, .docx, WebVTT .vtt, SubRip .srt)."""

    path: str = Field(description="The transcript file, relative to project.yaml.")
    site: str = Field(description="Site code (a key of `sites:`).")
    group: str = Field(description="Group of the participants (one of `groups:`).")
    source_type: Literal["focus_group", "interview"] = Field("focus_group", description="`focus_group` or "
                                                                                        "`interview`.")


class Deidentify(_Strict):
    """De-identification options (every text is de-identified right after it is read)."""

    allow: list[str] = Field(default_factory=list, description="Words and names never to redact (services such "
                             "as `Macmillan`, `Open Access`), added to the built-in allow-list.")
    deny: list[str] = Field(default_factory=list, description="Names always to redact wherever they appear "
                            "(e.g. staff surnames).")
    pseudonyms: bool = Field(False, description="`true`: numbered placeholders ([PERSON 1], [PERSON 2]) "
                                                "consistent within a source; `false`: plain [PERSON].")
    labels: Optional[list[Literal[REDACTION_LABELS]]] = Field(  # type: ignore[valid-type]
        None, description="Which kinds of identifier to redact (default: all of " + ", ".join(REDACTION_LABELS)
        + ").")
    name_model: Optional[bool] = Field(None, description="`true` (the default): after the name rules, a small "
                                       "statistical name recognizer marks further names the rules missed; "
                                       "`false`: names from the rules (and `deny:`) only.")
    ner_model: Optional[str] = Field(None, description="A trained spaCy pipeline whose `ner` predicts PERSON, "
                                     "to add its names to the rules': an installed package name "
                                     "(`en_core_web_sm`) or a folder (`spacy train`'s `model-best`, relative to "
                                     "project.yaml). Not installed or not loadable: the run stops with "
                                     "ModelUnavailableError before reading any text. Default: none.")


class Booklet(_Strict):
    """The per-hospital booklets ("You said / We plan to / By") that the run writes to ``booklets/``."""

    title: str = Field("You said, we plan to", description="Title on the cover of each booklet.")
    contact: Optional[str] = Field(None, description="Contact line printed in every booklet (a team, phone or "
                                   "email of the service, never a patient), unless the site gives its own "
                                   "`contact:`.")
    logo: Optional[str] = Field(None, description="An image (PNG, JPEG or SVG) shown at the top of each booklet, "
                                "relative to project.yaml.")
    round: Optional[str] = Field(None, description="How the round is named to patients and staff (booklets, "
                                 "co-design packs, the view), e.g. `Spring 2027` (default: the months of the "
                                 "survey's completion dates, e.g. `April 2025 to March 2026`; the project's own "
                                 "`round:` id is never shown to them).")
    codesign_pdf: bool = Field(False, description="`true`: also print each hospital's co-design pack "
                               "(`codesign/<SITE>.html`, always written) to PDF (a few seconds per hospital).")
    alliance_booklets: bool = Field(False, description="`true`: also write one booklet per Cancer Alliance "
                                    "(`booklets/alliance_<NAME>.docx`, `.html`, `.pdf`) with the goals of its "
                                    "hospitals (each site's `alliance:`), each row saying which hospital it is for.")


class Priorities(_Strict):
    """How the improvement areas are ranked (see the report's methods paragraph)."""

    resamples: int = Field(100, ge=0, le=10_000, description="Bootstrap resamples behind each theme's rank "
                           "interval (`rank_low`, `rank_high`, `p_top3` in priorities.csv); `0` leaves the "
                           "intervals out. Each costs about 0.1 s of CPU on a 3,000-comment round.")
    min_comments: int = Field(10, ge=1, description="A theme's percentage of negative comments is given in the "
                              "reasons only when it rests on at least this many comments (fewer: the counts).")
    min_concerns: int = Field(3, ge=1, description="A draft goal needs at least this many negative comments "
                              "about the area in its scope, or its survey questions below the benchmark; an area "
                              "with less gets none, and the report says why (`pledge.areas_without_goal`).")


class MachineCoding(_Strict):
    """Model suggestions in the run: once the project store holds enough codings that people accepted, the run
    trains a theme classifier on them and adds its codes (`method: model`, status `suggested`) to the segments
    nobody has reviewed yet. Its cross-validated quality is in `machine_coding_quality.csv` and the report."""

    enabled: Literal["auto", "always", "never"] = Field(
        "auto", description="`auto`: train when the store holds at least `min_accepted` accepted codings; "
        "`always`: train whenever at least one code has `min_per_code` of them; `never`: rules only.")
    min_accepted: int = Field(200, ge=1, description="Accepted (human-reviewed) codings needed before `auto` "
                              "trains a model. Around 200 reviewed comments is where a classifier starts to add "
                              "to keyword rules on real NHS feedback (micro-F1 ~0.55 across 24 themes).")
    min_per_code: int = Field(10, ge=2, description="A code (or theme, see `level`) is learnt only when at "
                              "least this many reviewed segments were accepted for it; rarer ones are left "
                              "to the rules and listed in the report.")
    level: Literal["theme", "code"] = Field(
        "theme", description="What the model learns and suggests: `theme` (top-level codes: accepted "
        "sub-codes count for their theme) or `code` (the codes as accepted).")
    embedding: Literal["none", "minilm", "static"] = Field(
        "none", description="Features besides TF-IDF words and characters: `none` (fast: seconds), `minilm` "
        "(sentence embeddings of the installed all-MiniLM-L6-v2; better on rare codes on real feedback, but about "
        "40 CPU-seconds per 3,000 segments against 1.5 for `none`) or `static` (a distilled static model, "
        "fast). Kept in memory only.")
    folds: int = Field(3, ge=2, le=10, description="Cross-validation folds behind the per-code thresholds and "
                       "the quality figures.")
    class_weight: Literal["none", "balanced"] = Field(
        "none", description="`balanced`: each theme's rare yes-answers weigh as much as its many no-answers in "
        "training. On real NHS feedback, trained on two trusts and applied to a third, it cut the macro-F1 drop "
        "from 7.0 to 2.1 points for 1.5 points of accuracy (README, transfer across trusts): worth trying when the "
        "reviewed segments come from other sites or rounds than the ones being coded.")
    finetune: bool = Field(False, description="`true`: also fine-tune the installed all-MiniLM-L6-v2 on the "
                           "reviewed segments (a multi-label head, 2 epochs) and average it with the classifier "
                           "(`FineTunedThemeClassifier`); its thresholds and quality figures come from 15% of the "
                           "reviewed segments held out. Costly: about 65 CPU-seconds per 1,000 reviewed segments "
                           "(2 epochs; measured with 1 torch thread: 448 s for 7,005 real comments), against seconds without it, "
                           "hence off by default.")


class Benchmark(_Strict):
    """The national benchmark: the file, and which of its rows each question is compared with."""

    file: str = Field(description="National results in the CPES layout (CSV, optionally gzipped), relative to "
                                  "project.yaml.")
    year: Optional[int] = Field(None, description="Survey year of the benchmark rows, e.g. `2018`.")
    cancer_type: Optional[str] = Field(None, description="Cancer type of the benchmark rows as the file spells it, "
                                       "e.g. `Breast` or `All Cancers` (case-insensitive).")
    adjustment: Optional[Literal["adjusted", "unadjusted", "yearonyear"]] = Field(
        None, description="Which published series: `adjusted` (case-mix adjusted), `unadjusted` or `yearonyear`.")
    fallback: Literal["all_respondents", "none"] = Field(
        "all_respondents", description="For a question with no national row: `all_respondents` compares each "
        "site and group with the programme's mean over all respondents (the all-respondents row itself gets no "
        "benchmark); `none` gives no benchmark. Either way the output says which (`benchmark_source`).")


class ProjectFile(_Strict):
    """``project.yaml``: what a project's inputs are and how their columns map."""

    name: Optional[str] = Field(None, description="Project name shown in the report and booklets (default: the "
                                                  "folder name).")
    round: str = Field("", description="The round of the programme, e.g. `2026-R1` (an internal id: in the "
                       "run log and report; patients read `booklet: round:` or the months of the feedback).")
    random_state: int = Field(0, description="Seed of every random step (a whole number), so a re-run gives "
                                             "the same tables.")
    store: str = Field("project.sqlite", description="The project store (SQLite) holding every human decision, "
                       "relative to project.yaml. A re-run updates it and never replaces it.")
    allow_paths_outside: bool = Field(False, description="`true` lets files named here lie outside the project "
                                      "folder (otherwise an error, so the folder is self-contained).")
    sites: dict[str, Site] = Field(default_factory=dict, description="The hospitals: site code: {name, "
                                   "alliance}. Every site value in the data must be one of these codes or names.")
    groups: list[str] = Field(list(DEFAULT_GROUPS), description="The groups that feedback comes from; every "
                              "group value in the data (after `values:` recoding) must be one of these.")
    questions: Optional[str] = Field(None, description="questions.yaml: the tick-box questions and how each "
                                     "answer is scored.")
    codebook: str = Field(description="The codebook (YAML or XLSX): the themes to code free text into.")
    benchmark: Optional[Benchmark] = Field(None, description="National results in the CPES layout and which "
                                           "rows to use. A published CPES file holds many national rows per "
                                           "question (years, all cancers and each tumour group, adjusted / "
                                           "unadjusted / year-on-year): name the one with `year`, `cancer_type` "
                                           "and `adjustment`. A choice that leaves several rows for a question, or "
                                           "matches none, stops the run with the years, types and adjustments the "
                                           "file has. `benchmark: national.csv` is short for `{file: "
                                           "national.csv}` (enough for a file with one national row per "
                                           "question). See below.")
    suppress_below: int = Field(21, ge=1, description="Survey results from fewer respondents than this are "
                                "suppressed everywhere (estimate blanked in survey_scores.csv, left out of "
                                "z-scores, buddy pairing and comparisons), as CPES does with 21; in the texts "
                                "the report, the view and the booklets print (the priorities' and the standards "
                                "audit's `reason_shown`), a count of comments, people or answers under it reads "
                                "\"fewer than N\".")
    surveys: list[Survey] = Field(default_factory=list, description="Survey exports; see below.")
    transcripts: list[Transcript] = Field(default_factory=list, description="Focus-group and interview "
                                          "transcripts; see below.")
    deidentify: Deidentify = Field(default_factory=Deidentify, description="De-identification options; see below.")
    booklet: Booklet = Field(default_factory=Booklet, description="Title, contact line, logo and round name of "
                             "the per-hospital booklets; see below.")
    priorities: Priorities = Field(default_factory=Priorities, description="Rank intervals and the minimum "
                                   "count behind a percentage; see below.")
    machine_coding: MachineCoding = Field(default_factory=MachineCoding, description="When the run adds a "
                                          "theme classifier's suggestions to the rules; see below.")
    standards: Optional[str] = Field(None, description="A standards file (YAML; see `standards file` below) to "
                                     "audit each hospital against: `standards_audit.csv`, a report section and a "
                                     "page of each co-design pack. Left out: no audit.")

    @field_validator("benchmark", mode="before")
    @classmethod
    def _benchmark_shorthand(cls, value):
        """``benchmark: national.csv`` is short for ``benchmark: {file: national.csv}``."""
        return {"file": value} if isinstance(value, (str, int, float)) and not isinstance(value, bool) else value

    @field_validator("sites", mode="before")
    @classmethod
    def _site_shorthand(cls, value):
        """``NGU: Northgate University Hospital`` is short for ``NGU: {name: ...}``."""
        if isinstance(value, dict):
            return {k: ({"name": v} if isinstance(v, str) else ({} if v is None else v)) for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _something_to_read(self):
        if not self.surveys and not self.transcripts:
            raise ValueError("no inputs: list at least one survey under surveys: or one transcript under "
                             "transcripts:")
        return self


# ---------------------------------------------------------------------------------- questions.yaml
class Question(_Strict):
    """One tick-box question and how its answers are scored (as CPES: neutral answers are excluded)."""

    id: str = Field(description="Question id used everywhere else (codebook `survey_items`, reports).")
    column: Optional[str] = Field(None, description="Column header in the survey file (default: the id).")
    text: str = Field("", description="The question as respondents saw it (shown in reports).")
    kind: Literal["categorical", "rating"] = Field("categorical", description="`categorical` (answer options) "
                                                   "or `rating` (a number between `min` and `max`).")
    options: list[str] = Field(default_factory=list, description="Every answer option, exactly as in the file; "
                               "any other answer is set aside.")
    positive: list[str] = Field(default_factory=list, description="Options that count as positive.")
    negative: list[str] = Field(default_factory=list, description="Options that count as negative; options in "
                                "neither list are excluded from the percentage (e.g. `Don't know`).")
    min: Optional[float] = Field(None, description="Lowest valid rating (rating questions).")
    max: Optional[float] = Field(None, description="Highest valid rating (rating questions).")
    national: Optional[str] = Field(None, description="The matching question number in the national benchmark.")
    respondents: Literal["patient", "staff", "all"] = Field("patient", description="Who is asked: `patient`, "
                                                            "`staff` or `all` (the same question in a patient "
                                                            "and a staff survey, so that they are compared).")
    other_columns: list[str] = Field(default_factory=list, description="The question's header in other surveys' "
                                     "files, where it differs from `column` (another tool, another numbering); "
                                     "each file is read from the first of these it has.")
    labels: Optional[dict[str, str]] = Field(None, description="Answers exported as numbers with a legend (a "
                                             "Likert scale coded 1-5): `{1: Strongly disagree, ..., 5: Strongly "
                                             "agree}`; each number is read as its words, which are the `options`.")
    likert: Optional[bool] = Field(None, description="`false`: this `rating` of 1 to at most 7 really is a score, "
                                   "not a Likert scale's answer codes (`validate` stops asking).")
    same_question_as: list[str] = Field(default_factory=list, description="Earlier wordings of this question (its "
                                        "`text:` in another round's questions.yaml) that ask the same thing, so "
                                        "that goal progress compares the rounds although the wording changed.")

    @field_validator("same_question_as", mode="before")
    @classmethod
    def _one_wording(cls, value):
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _readings_are_options(self):
        if self.labels is not None:
            if self.kind != "categorical":
                raise ValueError("labels: (numbers read as words) is for a categorical question; remove it or "
                                 "set kind: categorical")
            bad = [k for k in self.labels if not k.strip().lstrip("-").isdigit()]
            if bad:
                raise ValueError(f"labels keys must be the whole numbers in the file, found {bad}")
            unknown = [v for v in self.labels.values() if self.options and v not in self.options]
            if unknown:
                raise ValueError(f"labels words {unknown} are not among the options {self.options}")
        for key in ("positive", "negative"):
            unknown = [o for o in getattr(self, key) if o not in self.options]
            if unknown and self.options:
                raise ValueError(f"{key} answers {unknown} are not among the options {self.options}")
        both = set(self.positive) & set(self.negative)
        if both:
            raise ValueError(f"answers {sorted(both)} are both positive and negative")
        if self.kind == "rating" and self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        return self


#: How a free-text question's wording leans the answers it gets (``polarity:`` in questions.yaml).
POLARITIES = ("negative_prompt", "positive_prompt", "neutral")


class FreeTextQuestion(_Strict):
    """One free-text question (a `comments:` id of a survey in project.yaml) and how its wording leans."""

    id: str = Field(description="The question id, as under a survey's `comments:` in project.yaml.")
    text: str = Field("", description="The question as respondents saw it.")
    polarity: Literal["negative_prompt", "positive_prompt", "neutral"] = Field(
        "neutral", description="How the question leans the answers: `negative_prompt` (\"What could be improved?\": "
        "answers lean critical), `positive_prompt` (\"What was good about your care?\") or `neutral` (\"Anything "
        "else?\"). The lexicon sentiment model shifts a comment's score by the question's lean; nothing is keyed "
        "on the question's id.")


class QuestionsFile(_Strict):
    """``questions.yaml``: the survey's tick-box questions, and how its free-text questions lean."""

    questions: list[Question] = Field(min_length=1, description="The questions; see below.")
    free_text: list[FreeTextQuestion] = Field(default_factory=list, description="The free-text questions "
                                              "(`comments:` in project.yaml) with their `polarity:`; see below. "
                                              "A free-text question not listed is neutral.")

    @model_validator(mode="after")
    def _unique_ids(self):
        ids = [q.id for q in self.questions] + [q.id for q in self.free_text]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate question id(s) {dup}: each question needs a unique id")
        return self


# ---------------------------------------------------------------------------------- codebook
class Code(_Strict):
    """One code of the codebook. A code without a parent is a *theme*, the unit priorities rank."""

    id: str = Field(description="Unique id; children are usually written `parent.child`.")
    name: Optional[str] = Field(None, description="Label shown to coders and in reports (default: the id).")
    parent: Optional[str] = Field(None, description="Id of the parent code (leave out for a theme).")
    description: str = Field("", description="What the code means.")
    include: str = Field("", description="What to code here.")
    exclude: str = Field("", description="What not to code here (and where it goes instead).")
    keywords: list[str] = Field(default_factory=list, description="Words (matched on their lemma) and phrases "
                                "(matched on lower-cased text) that suggest the code.")
    examples: list[str] = Field(default_factory=list, description="Example quotes.")
    colour: Optional[str] = Field(None, description="Colour in charts, e.g. `\"#1b9e77\"` (quote it).")
    survey_items: list[str] = Field(default_factory=list, description="Ids of questions in questions.yaml that "
                                    "measure the same theme (its survey evidence).")
    retired: bool = Field(False, description="`true`: kept for old codings, no longer applied.")
    formerly: list[str] = Field(default_factory=list, description="Ids this code had before (renamed) or of codes "
                                "merged into it, no longer in the codebook: people's codings, memos and edited goals of "
                                "those ids move to this code at the next run (the run says how many).")
    concern: str = Field("", description="The concern in plain English, as the booklet's \"You said\" "
                         "(e.g. `Patients weren't consistently referred to support services`). Left out, the draft "
                         "plan makes one from the name and description and marks it as a draft.")


class CodebookFile(_Strict):
    """The codebook file (YAML): a list of codes under ``codes:``."""

    codes: list[Code] = Field(min_length=1, description="The codes; see below.")


# ---------------------------------------------------------------------------------- standards
class AuditRule(_Strict):
    """When a piece of evidence falls short of a standard (the whole rule: `pledge_analysis/standards.py`)."""

    negative_share: float = Field(0.5, gt=0, lt=1, description="The comments fall short when the 95% interval "
                                  "of their share negative lies wholly above this share (`0.5`: clearly most of "
                                  "them are negative).")
    min_comments: int = Field(10, ge=1, description="Fewer comments than this at a hospital: the comments cannot "
                              "say (they are listed but not used for the verdict).")


class Standard(_Strict):
    """One standard: what a service should do, and the evidence of the run that shows whether it does."""

    id: str = Field(description="Short unique id, e.g. `CNS`.")
    statement: str = Field(min_length=1, description="The standard in plain English, as the audit table and "
                           "the report print it.")
    group: str = Field("all", description="Whose experience evidences it: `all`, or one of `groups:` (e.g. "
                       "`secondary` for a standard about secondary breast cancer care).")
    codes: list[str] = Field(default_factory=list, description="Codebook codes whose comments evidence it (a "
                             "code includes its sub-codes).")
    survey_items: list[str] = Field(default_factory=list, description="Ids of questions in questions.yaml that "
                                    "measure it.")
    targets: dict[str, float] = Field(default_factory=dict, description="Optional fixed targets per survey item "
                                      "(share positive 0-1, or a 0-10 mean), used instead of the item's "
                                      "benchmark, e.g. `{HNA: 0.8}`.")
    rule: Optional[AuditRule] = Field(None, description="This standard's own rule (default: the file's `rule:`).")

    @model_validator(mode="after")
    def _some_evidence(self):
        if not self.codes and not self.survey_items:
            raise ValueError("give the codes: or survey_items: (or both) that evidence this standard")
        unknown = sorted(set(self.targets) - set(self.survey_items))
        if unknown:
            raise ValueError(f"targets {unknown} are not among this standard's survey_items {self.survey_items}")
        return self


class StandardsFile(_Strict):
    """The file `standards:` names: standards to audit each hospital against (`standards_audit.csv`)."""

    name: str = Field("Standards", description="The framework's name, as the report prints it.")
    note: str = Field("", description="A note printed with the audit, e.g. where the standards come from or "
                      "that they are an example.")
    rule: AuditRule = Field(default_factory=AuditRule, description="The rule for every standard; see below.")
    standards: list[Standard] = Field(min_length=1, description="The standards; see below.")

    @model_validator(mode="after")
    def _unique_ids(self):
        ids = [s.id for s in self.standards]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate standard id(s) {dup}: each standard needs a unique id")
        return self


# ---------------------------------------------------------------------------------- parsing
_TYPE_WORDS = {"list_type": "a list", "dict_type": "a mapping of `key: value` lines",
               "int_parsing": "a whole number", "int_type": "a whole number", "int_from_float": "a whole number",
               "bool_parsing": "true or false (yes/no)", "bool_type": "true or false (yes/no)",
               "string_type": "text", "float_parsing": "a number", "float_type": "a number",
               "model_type": "a mapping of `key: value` lines", "model_attributes_type": "a mapping of `key: value` lines"}


def _found(value) -> str:
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names allowed at ``loc`` (the container of an unknown key), for 'did you mean'."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(str(part)) if current else None
        if field is None:
            return []
        ann = field.annotation
        inner = getattr(ann, "__args__", None)
        candidates = [ann] + list(inner or [])
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if current is None:  # dict[str, Site] or list[Survey]
            for c in candidates:
                for a in getattr(c, "__args__", ()) or ():
                    if isinstance(a, type) and issubclass(a, BaseModel):
                        current = a
            if current is None:
                return []
    return list(current.model_fields) if current else []


#: the error catalogue's code of a pydantic error type (any other: PA213, a value of the wrong type or range)
_PROBLEM_CODES = {"extra_forbidden": "PA211", "missing": "PA212"}


def _message(err: dict, model: type[BaseModel]) -> str:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        allowed = _fields_at(model, err["loc"][:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            return f"unknown key. Did you mean {close[0]!r}?"
        return "unknown key" + (f"; allowed here: {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        return "required key is missing"
    if kind in _TYPE_WORDS:
        msg = f"expected {_TYPE_WORDS[kind]}, found {_found(value)}"
        if kind == "list_type" and isinstance(value, str):
            msg += f". Write a list, e.g. [{value}]"
        return msg
    if kind == "literal_error":
        return f"{_found(value)} is not allowed; {err['msg'].replace('Input should be', 'use')}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = (err.get("ctx") or {}).get("ge", (err.get("ctx") or {}).get("gt"))
        return f"must be {'at least' if kind == 'greater_than_equal' else 'more than'} {bound}, found {_found(value)}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "value_error":
        return err["msg"].removeprefix("Value error, ")
    return err["msg"] + (f" (found {_found(value)})" if value is not None else "")


def key_path(loc: tuple) -> str:
    """``('surveys', 0, 'files')`` -> ``'surveys[0].files'``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


def parse(model: type[BaseModel], data, locator, file) -> BaseModel:
    """Validate ``data`` (from YAML) as ``model``; raise :class:`ProjectFileError` listing every problem."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProjectFileError([Problem(file, 1, None, f"expected a mapping of `key: value` lines at the top "
                                                       f"level, found {_found(data)}", code="PA213")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            problems.append(Problem(file, locator.line(loc) if locator else None, key_path(loc) or None,
                                    _message(err, model), code=_PROBLEM_CODES.get(err["type"], "PA213")))
        raise ProjectFileError(problems) from None


# ---------------------------------------------------------------------------------- documentation
def _type_name(ann) -> str:
    """A reader's name for a type annotation: ``list[str]`` -> "list of text"."""
    import types
    import typing

    origin, args = typing.get_origin(ann), typing.get_args(ann)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args if a is not type(None))
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return "list of " + _type_name(args[0])
    if origin is dict:
        return f"mapping of text to {_type_name(args[1])}"
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "mapping (keys below)"
    return {str: "text", int: "whole number", float: "number", bool: "true/false"}.get(ann, str(ann))


def _default(field) -> str:
    value = field.get_default(call_default_factory=True)
    if value is None or value == "" or isinstance(value, BaseModel):
        return ""
    if isinstance(value, bool):
        return "`" + str(value).lower() + "`"
    return f"`{value}`" if not isinstance(value, (list, dict)) else f"`{value!r}`".replace("'", "")


def _table(model: type[BaseModel]) -> list[str]:
    lines = ["| key | type | required | default | meaning |", "|---|---|---|---|---|"]
    for name, field in model.model_fields.items():
        required = field.is_required()
        default = "" if required else _default(field)
        lines.append(f"| `{name}` | {_type_name(field.annotation)} | {'yes' if required else 'no'} | "
                     f"{default} | {field.description or ''} |")
    return lines


DOC_SECTIONS = (
    ("project.yaml", ProjectFile, ("sites: CODE", Site), ("surveys[]", Survey), ("surveys[].columns", SurveyColumns),
     ("transcripts[]", Transcript), ("benchmark", Benchmark), ("deidentify", Deidentify),
     ("booklet", Booklet), ("priorities", Priorities), ("machine_coding", MachineCoding)),
    ("questions.yaml", QuestionsFile, ("questions[]", Question), ("free_text[]", FreeTextQuestion)),
    ("codebook (YAML)", CodebookFile, ("codes[]", Code)),
    ("standards file (YAML)", StandardsFile, ("rule", AuditRule), ("standards[]", Standard)),
)


def reference_markdown() -> str:
    """The reference of every key of the project files, generated from the schema."""
    out = ["# Project files: reference", "",
           "Generated from `pledge_analysis/project_schema.py` by "
           "`python -m pledge_analysis.project_schema > docs/project-files.md`; a test checks it is current.",
           "Unknown keys are errors (with a \"did you mean\" hint); a key that wants a list needs a list "
           "(`deny: [Smith]`, not `deny: Smith`); yes/no switches accept `true/false`, `yes/no`, `on/off`. "
           "Paths are relative to project.yaml. See [the worked example](new-project.md) for a project built "
           "from a user's own CSV.", ""]
    for title, model, *parts in DOC_SECTIONS:
        out += [f"## {title}", "", (model.__doc__ or "").strip(), ""] + _table(model) + [""]
        for sub, submodel in parts:
            out += [f"### `{sub}`", "", (submodel.__doc__ or "").strip(), ""] + _table(submodel) + [""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(reference_markdown(), end="")
