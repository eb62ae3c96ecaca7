"""Column names of every tidy table that passes between stages.

These names are contracts: a later stage, a notebook or a researcher's own script may
rely on them, so they are renamed only with a deprecation path (:data:`LEGACY_COLUMNS`,
:func:`rename_legacy`). Each table is a pandas DataFrame, and a public function returning
one returns these columns even when it has no rows.

Statistical columns follow one rule. A table with one estimate per row calls it
``estimate`` (a proportion, a mean, or a difference ``a - b`` / ``after - before``), with its
confidence interval ``ci_low`` / ``ci_high`` (95% unless the function says otherwise). A row
holding several measures names each ``<measure>`` with ``<measure>_low`` / ``<measure>_high``
(``rank_low``, ``negativity_low``, ``survey_gap_low``). Control limits and expected ranges (where
a unit on target, of that size, would fall) are not intervals of the row's estimate: they are
``limit_low`` / ``limit_high`` with their ``level`` (0.95, 0.998), one row per unit and level
(:data:`FUNNEL_LIMITS`). Every column name is a Python identifier and means one thing in every
table that has it: there is no bare ``score`` (a theme's ``priority_score``, a text's
``sentiment_score``, an answer ``scored_as`` positive or negative, a recognizer's ``confidence`` as a
coder's in codings).

>>> SEGMENTS[:4]
('segment_id', 'source_id', 'site', 'group')
>>> empty("codings").columns.tolist() == list(CODINGS)
True
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from .errors import MissingColumnError

#: One row per unit of text that can be coded (a survey comment or a transcript turn). ``timestamp``
#: is when it was said: a survey's completion date (mapped as ``completed``) or a turn's time in a recording.
SEGMENTS = (
    "segment_id", "source_id", "site", "group", "source_type", "question_id",
    "respondent_id", "speaker", "role", "position", "timestamp", "text",
)
#: One row per respondent (patients and staff) with their attributes.
RESPONDENTS = (
    "respondent_id", "source_id", "site", "group", "source_type",
    "age_band", "ethnicity", "imd_quintile", "role",
)
#: Survey answers in long form.
RESPONSES = ("respondent_id", "site", "group", "question_id", "value")
#: Scored survey answers (:func:`pledge_analysis.survey.score_responses`): the answers with ``scored_as``
#: (``positive``, ``negative`` or ``excluded`` for a tick-box item, as CPES scores it; ``rating`` for a
#: 0-10 item) and ``rating`` (the 0-10 value, else empty). Not ``outcome``: that names the overall-rating
#: question whose drivers :func:`pledge_analysis.survey.key_drivers` looks for.
SCORED_RESPONSES = RESPONSES + ("scored_as", "rating")
#: Rows of an input that were not kept, with the reason (nothing is lost silently).
SET_ASIDE = ("source_id", "path", "row", "column", "reason", "value")
#: The codebook: hierarchical codes. ``concern`` is the plain-English "You said" statement of the
#: code ("Patients weren't consistently referred to support services"), edited by researchers.
CODEBOOK = (
    "code_id", "name", "parent_id", "description", "include", "exclude",
    "keywords", "examples", "colour", "survey_items", "concern",
)
#: Codings: a code applied to a span of a segment.
CODINGS = (
    "segment_id", "code_id", "coder", "method", "confidence", "start", "end",
    "status", "created_at", "memo", "evidence", "negated",
)
#: Sentiment of each segment: its label and ``sentiment_score`` (-1 .. 1, negative to positive).
SENTIMENT = ("segment_id", "sentiment", "sentiment_score")
#: Coded units (:func:`pledge_analysis.coding.themes.coded_units`): one coded sentence of a segment, rolled
#: up to its theme, with the sentence's ``sentiment`` and ``sentiment_score`` and the segment's context.
UNITS = (
    "segment_id", "theme", "codes", "start", "end", "text", "sentiment", "sentiment_score", "site", "group",
    "source_type", "source_id", "question_id", "respondent_id", "speaker",
)
#: De-identification review (:func:`pledge_analysis.text.deidentify.redact_frame`, ``redactions.csv``): one
#: row per redaction; ``confidence`` is the recognizer's (0-1, as in codings), lowest checked first;
#: ``recognizer`` says which found it (``rules``, ``deny``, ``name_model``, ``ner``, or ``names`` for a known
#: speaker's name).
#: :func:`~pledge_analysis.text.deidentify.deidentify_tables` adds ``table``.
REDACTIONS = ("row", "source", "label", "placeholder", "start", "end", "confidence", "context", "recognizer")
#: One row per theme (and scope) summarising its codings.
THEMES = (
    "scope_type", "scope", "theme", "name", "n_segments", "n_respondents", "prevalence",
    "n_negative", "negativity", "n_sites", "n_groups", "n_sites_negative", "n_groups_negative",
    "n_scope_segments",
)
#: Survey scores: one row per estimate.
SCORES = (
    "site", "group", "question_id", "n", "positives", "estimate", "ci_low", "ci_high",
    "suppressed", "kind",
)
#: Added to the scores table by the run (``survey_scores.csv``), after the benchmark columns: ``held_back``, true
#: where a cell is not suppressed itself but is not shown to a person either, because with it a suppressed cell's
#: number of answers would come back by subtraction (secondary suppression,
#: :func:`pledge_analysis.survey.suppression.held_back_scores`; its ``n`` and estimate stay in the file).
SCORES_SHOWN = ("held_back",)
#: Prioritised improvement areas (meaning of each column: :mod:`pledge_analysis.priorities`). ``rank_low``,
#: ``rank_high`` (95% bootstrap interval of the rank) and ``p_top3`` (share of resamples with the theme in
#: the top 3) come from :func:`pledge_analysis.uncertainty.rank_intervals`; ``n_items`` is the number of
#: usable survey items (0: the survey gap is missing, never 0). ``reason`` and ``survey_evidence`` give every
#: count as it is; ``reason_shown`` and ``survey_evidence_shown`` are the same texts as the report, the view
#: and the action plan print them: a count of comments, people or answers under the project's
#: ``suppress_below`` reads "fewer than N", with no share or interval it could be worked back from
#: (:class:`pledge_analysis.priorities.CountWords`; priorities.csv of earlier releases has no shown columns,
#: and the view writes them from ``reason`` itself).
PRIORITIES = (
    "scope_type", "scope", "rank", "theme", "name", "priority_score", "prevalence", "negativity",
    "survey_gap", "breadth", "driver", "prevalence_norm", "negativity_norm", "survey_gap_norm",
    "breadth_norm", "driver_norm", "n_segments", "n_respondents", "reason", "survey_evidence", "quotes",
    "rank_low", "rank_high", "p_top3", "n_negative", "negativity_low", "negativity_high", "negativity_ref",
    "survey_gap_low", "survey_gap_high", "n_items", "reason_shown", "survey_evidence_shown",
)
#: Every site's priorities side by side (:func:`pledge_analysis.cross_site.site_theme_matrix`, ``cross_site.csv``).
CROSS_SITE = (
    "site", "alliance", "theme", "name", "rank", "priority_score", "negativity", "n_segments", "survey_estimate",
    "survey_z",
)
#: The standards audit (:func:`pledge_analysis.standards.standards_audit`, ``standards_audit.csv``): one row
#: per hospital and standard; ``negative_share`` (of the hospital's comments on the standard's codes) with
#: its 95% Wilson interval ``negative_share_low`` / ``negative_share_high`` (meaning of each column:
#: :data:`pledge_analysis.standards.AUDIT_COLUMNS`). ``counts_held_back``: which of the row's counts
#: (``n_comments``, ``n_negative``, joined by "; ") the shown texts withhold although they are not small, because
#: with the other hospitals' they would give a hidden one back (secondary suppression).
STANDARDS_AUDIT = (
    "site", "site_name", "standard_id", "statement", "group", "verdict", "codes", "survey_items", "n_comments",
    "n_negative", "negative_share", "negative_share_low", "negative_share_high", "comments_finding", "n_answers",
    "items_used", "items_short", "survey_figures", "reason", "survey_figures_shown", "reason_shown",
    "counts_held_back",
)
#: The action plan ("You said / We plan to / By"). ``code_id``: the code whose concern statement is
#: ``you_said``; ``audience``: ``patients`` (the patient booklet) or ``staff`` (the staff plan only);
#: ``wording``: where ``you_said`` came from (``codebook``, ``draft`` made from the code's definition,
#: or ``edited``); ``quotes``: de-identified quotes kept as evidence beside it (`` | `` between them).
ACTION_PLAN = (
    "goal_id", "scope", "theme", "you_said", "we_plan_to", "by", "owner", "status",
    "evidence", "code_id", "audience", "wording", "quotes",
)
#: A goal's ``status`` (``overdue`` is worked out from "By", never stored) and its ``audience``.
STATUSES = ("not started", "ongoing", "achieved")
AUDIENCES = ("patients", "staff")
#: Ranked areas the draft plan passed over for want of evidence (:func:`pledge_analysis.pledge.areas_without_goal`):
#: the area's ``scope_type``, ``scope``, ``rank``, ``theme`` and ``name`` as in :data:`PRIORITIES`, and ``why``
#: in words (too few negative comments, praise only, or "not a priority").
NO_GOAL = ("scope_type", "scope", "rank", "theme", "name", "why")

#: Funnel position of each unit (:func:`pledge_analysis.survey.funnel`), after the input's own columns:
#: the unit's ``estimate`` (a fraction) with its 95% interval (the input's ``ci_low``/``ci_high`` when it
#: has them, else Wilson), the funnel's ``target``, ``phi``, ``tau2`` and ``tau2_source``, the unit's ``z``,
#: and its flag at each level (``flag95``, ``flag998``: ``above``, ``within``, ``below``); ``flag`` repeats
#: the ``headline`` level (``"95%"``). The limits themselves are :data:`FUNNEL_LIMITS`.
FUNNEL = (
    "n", "estimate", "ci_low", "ci_high", "target", "phi", "tau2", "tau2_source", "z",
    "flag95", "flag998", "flag", "headline",
)
#: Funnel control limits in long form (:func:`pledge_analysis.survey.funnel_limits`): one row per unit
#: (or point of a grid of sizes) and ``level``; ``limit_low``/``limit_high`` are where a unit of size ``n``
#: on ``target`` falls with probability ``level``.
FUNNEL_LIMITS = ("unit", "n", "level", "target", "tau2", "limit_low", "limit_high")
#: Pairwise comparisons of % positive (:func:`pledge_analysis.survey.compare`): ``estimate`` is the
#: difference ``estimate_a - estimate_b`` with its Newcombe interval; ``effect_size`` is Cohen's h.
COMPARISONS = (
    "question_id", "a", "b", "n_a", "n_b", "estimate_a", "estimate_b", "estimate", "ci_low", "ci_high",
    "z", "p_val", "effect_size", "p_adj", "p_adj_method", "suppressed",
)
#: Progress of each goal between two rounds (:func:`pledge_analysis.rounds.goal_progress`): one row per
#: goal and measure; ``estimate`` is ``after - before`` with its Newcombe interval.
GOAL_PROGRESS = (
    "goal_id", "theme", "scope", "status", "measure", "before", "after", "estimate", "ci_low", "ci_high",
    "improved",
)
#: CPES ratings rebuilt from a published table (:func:`pledge_analysis.survey.cpes_flags`): the expected
#: range (95%) is ``limit_low``/``limit_high`` around ``centre``.
CPES_FLAGS = (
    "year", "trust_code", "trust_name", "question_id", "kind", "n", "suppressed", "estimate",
    "published_score", "centre", "tau2", "limit_low", "limit_high", "flag", "published_flag",
)
#: National results in the published CPES layout (:func:`pledge_analysis.survey.read_national`):
#: ``ci_low``/``ci_high`` the published 95% interval, ``limit_low``/``limit_high`` the published expected range.
NATIONAL = (
    "geog", "trust_code", "trust_name", "year", "cancer_type", "question_id", "n", "estimate",
    "ci_low", "ci_high", "limit_low", "limit_high", "adjustment", "sex", "imd",
)
#: Key drivers of the overall rating (:func:`pledge_analysis.survey.key_drivers`): one row per item with
#: several measures (``r``, ``weight``, ``share`` of R-squared, ``performance``); ``share_low``/``share_high``
#: is the bootstrap interval of ``share``.
DRIVERS = (
    "question_id", "n", "r", "weight", "share", "share_low", "share_high", "performance", "r2", "quadrant",
    "n_respondents", "n_complete", "missing",
)
#: Case-mix adjusted scores (:func:`pledge_analysis.survey.casemix_adjust`; ``site`` is the ``by=`` column):
#: ``estimate`` the crude share positive, ``adjusted`` with its interval ``adjusted_low``/``adjusted_high``.
CASEMIX = (
    "question_id", "site", "n", "observed", "expected", "ratio", "estimate", "adjusted", "adjusted_low",
    "adjusted_high",
)

TABLES = {
    "segments": SEGMENTS, "respondents": RESPONDENTS, "responses": RESPONSES,
    "scored_responses": SCORED_RESPONSES, "set_aside": SET_ASIDE, "codebook": CODEBOOK, "codings": CODINGS,
    "sentiment": SENTIMENT, "units": UNITS, "redactions": REDACTIONS, "themes": THEMES, "scores": SCORES,
    "priorities": PRIORITIES, "cross_site": CROSS_SITE, "standards_audit": STANDARDS_AUDIT,
    "action_plan": ACTION_PLAN, "no_goal": NO_GOAL,
    "funnel": FUNNEL, "funnel_limits": FUNNEL_LIMITS, "comparisons": COMPARISONS,
    "goal_progress": GOAL_PROGRESS, "cpes_flags": CPES_FLAGS, "national": NATIONAL,
    "drivers": DRIVERS, "casemix": CASEMIX,
}

#: Column names of earlier releases, by table: old name -> new name. A name with no one-to-one
#: successor maps to ``None`` with the way to get it in :data:`LEGACY_NOTES`. :func:`rename_legacy`
#: applies this to a table saved with the old names (with a ``FutureWarning``); the mapping will be
#: kept for one release.
LEGACY_COLUMNS = {
    "scored_responses": {"score": "scored_as"},
    "sentiment": {"score": "sentiment_score"},
    "units": {"score": "sentiment_score"},
    "redactions": {"score": "confidence"},
    "priorities": {"score": "priority_score"},
    "cross_site": {"score": "priority_score"},
    "standards_audit": {"negative_low": "negative_share_low", "negative_high": "negative_share_high"},
    "comparisons": {"diff": "estimate"},
    "goal_progress": {"change": "estimate"},
    "cpes_flags": {"expected_low": "limit_low", "expected_high": "limit_high"},
    "national": {"expected_low": "limit_low", "expected_high": "limit_high"},
    "funnel": {"lower95": None, "upper95": None, "lower998": None, "upper998": None},
    "drivers": {"ci_low": "share_low", "ci_high": "share_high"},
    "casemix": {"ci_low": "adjusted_low", "ci_high": "adjusted_high"},
}
#: How to get a legacy column that has no one-to-one successor.
LEGACY_NOTES = {
    "funnel": "the funnel's limits are now a long table: survey.funnel_limits(f) gives limit_low and "
              "limit_high for each unit and level (lower95 is limit_low where level == 0.95)",
}


def present(value) -> bool:
    """True unless ``value`` is None, NaN or an empty string.

    >>> [present(v) for v in (None, float("nan"), "", "x", 0)]
    [False, False, False, True, True]
    """
    return value is not None and value == value and value != ""


def empty(table: str) -> pd.DataFrame:
    """An empty DataFrame with the columns of ``table``."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in TABLES[table]})


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, table: str, path=None) -> None:
    """Raise :class:`MissingColumnError` naming every absent column.

    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], table="demo")
    Traceback (most recent call last):
    ...
    pledge_analysis.errors.MissingColumnError: PA102 demo is missing column(s) ['b'] (found ['a']). Check the column mapping in project.yaml or rename the columns.
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MissingColumnError(
            f"{table} is missing column(s) {missing} (found {list(df.columns)[:20]})"
            + (f" in file {str(path)!r}" if path else ""),
            hint="Check the column mapping in project.yaml or rename the columns.", table=table, missing=missing,
        ) from None


#: Columns that a table handed in from outside a run may leave out, by table: a user's own codings
#: (``Project.add_codings``) need only ``segment_id`` and ``code_id``; a plan from an older store or
#: export, or written by hand, needs ``goal_id``, ``scope``, ``theme`` and ``you_said``. The functions that
#: take such tables pass these to :func:`conform` as ``optional``; a stage's own output never does.
OPTIONAL = {
    "codings": ("coder", "method", "confidence", "start", "end", "status", "created_at", "memo", "evidence",
                "negated"),
    "action_plan": ("we_plan_to", "by", "owner", "status", "evidence", "code_id", "audience", "wording", "quotes"),
}


def rename_legacy(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` with the old column names of ``table`` (:data:`LEGACY_COLUMNS`) renamed to the new ones.

    Warns (``FutureWarning``) naming each rename; a legacy column with no one-to-one successor is
    left as it is and the warning says how to get it. A table with no legacy names is returned
    unchanged, without a warning.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     rename_legacy(pd.DataFrame({"question_id": ["Q1"], "diff": [0.2]}), "comparisons").columns.tolist()
    ['question_id', 'estimate']
    >>> str(w[0].message)
    "comparisons: old column name(s) renamed: 'diff' -> 'estimate' (see schema.LEGACY_COLUMNS; the old names will not be accepted after the next release)"
    """
    import warnings

    legacy = LEGACY_COLUMNS.get(table, {})
    renames = {old: new for old, new in legacy.items() if old in df.columns and new is not None}
    kept = [old for old, new in legacy.items() if old in df.columns and new is None]
    clash = [new for new in renames.values() if new in df.columns]
    if clash:
        from .errors import InputError

        raise InputError(f"{table} has both old and new column names ({clash} and their old names)",
                         hint="Keep one of each pair (schema.LEGACY_COLUMNS maps old names to new).")
    notes = []
    if renames:
        notes.append("old column name(s) renamed: " + ", ".join(f"{o!r} -> {n!r}" for o, n in renames.items()))
    if kept:
        notes.append(f"old column(s) {kept} have no one-to-one successor: {LEGACY_NOTES.get(table, '')}")
    if notes:
        warnings.warn(f"{table}: " + "; ".join(notes) + " (see schema.LEGACY_COLUMNS; the old names will not "
                      "be accepted after the next release)", FutureWarning, stacklevel=2)
    return df.rename(columns=renames)


def conform(df: pd.DataFrame, table: str, *, optional: Iterable[str] = ()) -> pd.DataFrame:
    """Return ``df`` with exactly the contract columns of ``table`` first (extra columns kept after).

    A contract column that ``df`` lacks raises :class:`~pledge_analysis.errors.TableContractError`
    naming the table and every missing column, unless it is in ``optional`` (then it is added,
    empty: ``None``): a column that was never computed must not pass for one computed as empty.

    >>> conform(pd.DataFrame({"segment_id": ["s1"], "code_id": ["waiting"]}), "codings",
    ...         optional=OPTIONAL["codings"]).columns.tolist() == list(CODINGS)
    True
    >>> conform(pd.DataFrame({"segment_id": ["s1"]}), "codings")
    Traceback (most recent call last):
    ...
    pledge_analysis.errors.TableContractError: PA103 the codings table is missing column(s) ['code_id', 'coder', 'method', 'confidence', 'start', 'end', 'status', 'created_at', 'memo', 'evidence', 'negated'] of its contract (schema.CODINGS). Add them (an empty column if there is nothing to put in it), or start from schema.empty('codings').
    """
    from .errors import TableContractError

    cols = list(TABLES[table])
    absent = [c for c in cols if c not in df.columns]
    optional = set(optional)
    missing = [c for c in absent if c not in optional]
    if missing:
        raise TableContractError(table, missing)
    if absent:
        df = df.assign(**{c: None for c in absent})
    extra = [c for c in df.columns if c not in cols]
    return df[cols + extra]
