"""Column names of every tidy table that passes between stages.

These names are contracts: a later stage, a notebook or a researcher's own script may
rely on them, so they are never renamed. Each table is a pandas DataFrame.

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
#: Survey answers in long form; ``score`` is added by :func:`pledge_analysis.survey.score_responses`.
RESPONSES = ("respondent_id", "site", "group", "question_id", "value")
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
#: Sentiment of each segment.
SENTIMENT = ("segment_id", "sentiment", "score")
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
#: Prioritised improvement areas (meaning of each column: :mod:`pledge_analysis.prioritise`). ``rank_low``,
#: ``rank_high`` (95% bootstrap interval of the rank) and ``p_top3`` (share of resamples with the theme in
#: the top 3) come from :func:`pledge_analysis.uncertainty.rank_intervals`; ``n_items`` is the number of
#: usable survey items (0: the survey gap is missing, never 0).
PRIORITIES = (
    "scope_type", "scope", "rank", "theme", "name", "score", "prevalence", "negativity",
    "survey_gap", "breadth", "driver", "prevalence_norm", "negativity_norm", "survey_gap_norm",
    "breadth_norm", "driver_norm", "n_segments", "n_respondents", "reason", "survey_evidence", "quotes",
    "rank_low", "rank_high", "p_top3", "n_negative", "negativity_low", "negativity_high", "negativity_ref",
    "survey_gap_low", "survey_gap_high", "n_items",
)
#: The action plan ("You said / We plan to / By"). ``code_id``: the code whose concern statement is
#: ``you_said``; ``audience``: ``patients`` (the patient booklet) or ``staff`` (the staff plan only);
#: ``wording``: where ``you_said`` came from (``codebook``, ``draft`` made from the code's definition,
#: or ``edited``); ``quotes``: de-identified quotes kept as evidence beside it (`` | `` between them).
ACTION_PLAN = (
    "goal_id", "scope", "theme", "you_said", "we_plan_to", "by", "owner", "status",
    "evidence", "code_id", "audience", "wording", "quotes",
)

TABLES = {
    "segments": SEGMENTS, "respondents": RESPONDENTS, "responses": RESPONSES,
    "set_aside": SET_ASIDE, "codebook": CODEBOOK, "codings": CODINGS,
    "sentiment": SENTIMENT, "themes": THEMES, "scores": SCORES,
    "priorities": PRIORITIES, "action_plan": ACTION_PLAN,
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
