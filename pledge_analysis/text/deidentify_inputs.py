"""De-identifying what a run reads besides the text: free-text respondent attributes and file names.

Two kinds of input carry identifiers past the text de-identifier (:mod:`pledge_analysis.text.deidentify`):

- **free-text attributes**: a staff ``role`` ("Sister Okafor's deputy") or any column declared under
  ``attributes:`` in project.yaml ("Carer: Margaret Okafor 07700 900461"). :func:`deidentify_attributes`
  redacts them through the same engine. The fixed categorical columns (age band, ethnicity, deprivation
  quintile, sex, completion date) are left alone: they hold categories, and categories such as
  "Asian or Asian British - Indian" look like names to the recognisers.
- **file names**: a transcript saved as ``focus_group_Margaret_Okafor.vtt`` gives its name to the source id
  (the file's path in the project), which every table, the store and the exports carry.
  :func:`deidentify_source_ids` replaces each identifier found in a source id by a numbered placeholder,
  ``groups/focus_group_[PERSON_1].vtt``, the same placeholder for the same name in every file; the number
  follows the order of the files in project.yaml. The mapping is not kept anywhere (the run log counts the
  renamed sources), so the same file gets the same id on every run while the list of files is unchanged.

>>> import pandas as pd
>>> people = pd.DataFrame({"respondent_id": ["R1", "R2"], "source_id": ["s.csv", "s.csv"],
...                        "role": ["Nurse", "Deputy to Sister Jane Okafor"]})
>>> redacted, review = deidentify_attributes(people)
>>> redacted["role"].tolist(), review["label"].tolist()
(['Nurse', 'Deputy to Sister [PERSON]'], ['PERSON'])
>>> deidentified_id("groups/focus_group_Margaret_Okafor.vtt", {})
'groups/focus_group_[PERSON_1].vtt'
"""
from __future__ import annotations

import re
from typing import Iterable

import pandas as pd

from .deidentify import REVIEW_COLUMNS, Options, find_identifiers, redact_frame

#: Respondent columns that are not free text (identifiers, structure, categories): never redacted.
NOT_FREE_TEXT = ("respondent_id", "source_id", "site", "group", "source_type", "completed", "age_band",
                 "ethnicity", "imd_quintile", "sex")
#: Characters that separate words in file names; read as spaces when looking for names.
_SEPARATORS = re.compile(r"[_\-.+]")


def attribute_columns(respondents: pd.DataFrame) -> list[str]:
    """The respondent columns that can hold free text: ``role`` and the ``attributes:`` of project.yaml."""
    return [c for c in respondents.columns if c not in NOT_FREE_TEXT]


def deidentify_attributes(respondents: pd.DataFrame, *, labels=None, allow: Iterable[str] = (),
                          deny: Iterable[str] = (), pseudonyms: bool = False, registries: dict | None = None,
                          name_model: bool | None = None, nlp=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Redact every free-text attribute of ``respondents`` (:func:`attribute_columns`); ``nlp``: a trained NER
    pipeline, as in :func:`~pledge_analysis.text.deidentify.redact_frame`.

    Returns ``(respondents, review)``; ``review`` is :func:`~pledge_analysis.text.deidentify.redact_frame`'s
    table with ``table="respondents"`` and ``row`` saying where (source, respondent and column).
    """
    out = respondents.copy()
    parts = []
    for col in attribute_columns(out):
        texts = out[col]
        has_text = texts.map(lambda v: isinstance(v, str) and bool(v.strip()))
        if not has_text.any():
            continue
        part = out.loc[has_text, ["respondent_id", "source_id", col]].copy()
        part["_where"] = [f"{src}, respondent {rid}, column {col!r}"
                          for src, rid in zip(part["source_id"], part["respondent_id"])]
        redacted, review = redact_frame(part, col, id_column="_where", labels=labels, allow=allow, deny=deny,
                                        pseudonyms=pseudonyms, registries=registries, name_model=name_model,
                                        nlp=nlp)
        out.loc[has_text, col] = redacted[col].values
        parts.append(review)
    if not parts:
        return out, pd.DataFrame(columns=[*REVIEW_COLUMNS, "table"])  # the review's columns, also when empty
    review = pd.concat(parts, ignore_index=True)
    return out, review.assign(table="respondents")


def deidentified_id(source_id: str, registry: dict, opts: Options | None = None) -> str:
    """``source_id`` with each identifier in it replaced by ``[LABEL_n]``; ``registry`` (shared by all the
    sources of a run) numbers each distinct identifier once, so a name gets the same placeholder everywhere."""
    spaced = _SEPARATORS.sub(" ", source_id.replace("/", " "))  # same length: offsets are the id's own
    spans = find_identifiers(spaced, opts or Options.make())
    out, pos = [], 0
    for s, e, label in spans:
        key = (label, re.sub(r"\s+", " ", spaced[s:e].lower()))
        if key not in registry:
            registry[key] = f"[{label}_{1 + sum(1 for k in registry if k[0] == label)}]"
        out += [source_id[pos:s], registry[key]]
        pos = e
    return "".join(out) + source_id[pos:]


def deidentify_source_ids(data, *, labels=None, allow: Iterable[str] = (), deny: Iterable[str] = (),
                          name_model: bool | None = None):
    """Replace identifiers in the source ids of ``data`` (an :class:`~pledge_analysis.io.Ingested`), in place,
    in every table that carries them: ``sources`` (``source_id`` and ``path``), ``segments`` (``source_id``,
    and ``respondent_id`` of transcript turns, which starts with it), ``respondents``, ``set_aside`` (ids and
    reasons that name another file) and ``unknown``. Returns the number of source ids changed."""
    opts = Options.make(labels, allow, deny, name_model=name_model)
    registry: dict = {}
    mapping = {}
    for s in data.sources:
        new = deidentified_id(str(s["source_id"]), registry, opts)
        if new != s["source_id"]:
            mapping[s["source_id"]] = new
    if not mapping:
        return 0
    for s in data.sources:
        for key in ("source_id", "path"):
            if s.get(key) in mapping:
                s[key] = mapping[s[key]]
    for u in data.unknown:
        if u.get("source_id") in mapping:
            u["source_id"] = mapping[u["source_id"]]
    for name in ("segments", "respondents", "set_aside", "responses"):
        table = getattr(data, name)
        if not len(table):
            continue
        table = table.copy()
        for col in ("source_id", "path"):
            if col in table.columns:
                table[col] = table[col].map(lambda v: mapping.get(v, v))
        if "respondent_id" in table.columns and "source_id" in table.columns:
            table["respondent_id"] = [_renamed_prefix(r, mapping) for r in table["respondent_id"]]
        if "reason" in table.columns:
            table["reason"] = table["reason"].map(lambda r: _replace_all(r, mapping))
        setattr(data, name, table)
    return len(mapping)


def _renamed_prefix(value, mapping: dict):
    """A transcript participant's id is ``source_id:speaker``: rename its source part."""
    if isinstance(value, str):
        for src, new in mapping.items():
            if value.startswith(src + ":"):
                return new + value[len(src):]
    return value


def _replace_all(text, mapping: dict):
    if not isinstance(text, str):
        return text
    for old, new in mapping.items():
        text = text.replace(old, new)
    return text
