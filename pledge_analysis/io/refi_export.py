"""Writing REFI-QDA 1.0 projects (``.qdpx``) and codebooks (``.qdc``) that NVivo, ATLAS.ti, MAXQDA and QualCoder read.

What goes where (checked against the REFI-QDA 1.0 schemas, and against QualCoder's importer,
``src/qualcoder/refi.py`` in github.com/ccbogel/QualCoder, which is the only importer we could read):

- **Sources.** Each source file (a survey export or a transcript) is one ``TextSource`` whose document
  (``sources/<guid>.txt``) has one line per segment: ``"<respondent [question] or speaker>: <text>"``.
  A source whose segments all share one site (one group) carries ``site (source)`` (``group (source)``)
  as a ``VariableValue``: QualCoder and MAXQDA read these as document (file) variables; a mixed source
  (a staff survey of every hospital) has none, its respondents' cases carry the site.
- **Codings.** Only *reviewed* codings travel as ordinary codings: ``status="accepted"`` (or a manual
  coding with no status). A ``PlainTextSelection`` with one ``Coding`` of its code, made by its coder
  (a ``User``), dated with the coding's own ``created_at`` from the store (never the export time; the
  ``Coding`` of a suggestion accepted in place is dated when it was accepted, ``reviewed_at``); the
  selection's ``Description`` is the coder's memo, nothing else (QualCoder shows it as the coding memo).
  Rejected codings are never written.
- **Suggestions** (rule or model codings still ``suggested``), only with ``include_suggestions=True``.
  REFI-QDA ``Set`` elements hold codes, sources and notes, not codings, so a suggestion is a coding of a
  separate code, ``"<code> (suggested)"``, under the non-codable parent code
  :data:`SUGGESTED` (``"Suggested by pledge_analysis (not reviewed)"``); a *negated* rule match ("no
  wait at all") is a coding of ``"<code> (negated mention)"`` under :data:`NEGATED`. The same names are
  ``Set`` s of those codes (NVivo sets, ATLAS.ti code groups, MAXQDA code sets); QualCoder reads a
  non-codable code as a category, so there too they stay apart from the reviewed codes and never count
  as them. ``pledge-analysis run`` asks for them (a fresh project has no reviewed codings yet, and an
  empty file would puzzle), and says in the run log and on screen how many of each it wrote.
- **Cases.** Respondents and focus-group participants are ``Case`` s with their site, group and
  demographics as ``VariableValue`` s (the standard's case attributes; QualCoder reads them). Each case is
  linked to its text in three ways, so that each program finds one it reads:
  a *case code* (a codable ``Code`` with the case's GUID, under the non-codable parent :data:`CASES`)
  coding each of its segments: QualCoder turns exactly this into case text (``clean_up_case_codes_and_
  case_text``: a code sharing a case's GUID; its comment says other programs' exports do this, NVivo's we
  understand, not verified in NVivo);
  a ``SelectionRef`` to each of those selections and a ``CodeRef`` to the case code (the standard's
  link, for NVivo and our importer; NVivo was not available to check); and a ``SourceRef`` when a whole source belongs to the one
  case (an interview with one participant). QualCoder ignores ``SourceRef`` and ``SelectionRef`` of a
  named case. In ATLAS.ti and MAXQDA, which have no cases, the case codes appear as codes in the
  :data:`CASES` folder (``case_codes=False`` leaves them out).
- **Memos** are ``Note`` s (``PlainTextContent``): on a segment, with a ``PlainTextSelection`` of the
  segment inside the note and a ``NoteRef`` from its source (QualCoder's annotation); on a code, a
  ``NoteRef`` from the code (its memo); otherwise a ``NoteRef`` from the project.
- **Codes** keep hierarchy, colour and their definition: the description, then ``Include:`` and
  ``Exclude:`` lines (the criteria a coder applies). Our code ids, keywords, examples, survey items and
  "You said" concern are not coding definitions and go in the companion file.
- **Companion file** ``pledge_analysis.json`` inside the archive (other programs ignore unknown members):
  what the standard has no element for, so that our own importer gets back exactly what was written
  (segments and their offsets, each coding's method, status, confidence, evidence, negation and
  span flag, code ids and keywords, memo targets); :func:`tables_from_companion` reads it back.

Identical tables give identical bytes (fixed GUIDs, the tables' own dates, fixed zip member dates), so a
re-export of an unchanged store is byte for byte the same file. Linear in the number of segments and
codings (100,000 transcript turns in seconds).
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile
from pathlib import Path

import pandas as pd
from lxml import etree

from .. import schema
from ..schema import present as _present

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
#: the archive member our own importer reads back (see :func:`tables_from_companion`)
COMPANION = "pledge_analysis.json"
COMPANION_FORMAT = "pledge_analysis REFI-QDA companion"
#: names of the parent codes (and sets) that keep machine suggestions apart from reviewed codings
SUGGESTED = "Suggested by pledge_analysis (not reviewed)"
NEGATED = "Negated mentions found by pledge_analysis (not reviewed)"
CASES = "Cases (respondents and participants)"
_GUID_NS = uuid.UUID("6b1c7f3e-8d0a-4c55-9b57-2f4f0c1e7a10")
_GUID_NS_BYTES = _GUID_NS.bytes
_CASE_ATTRS = ("site", "group", "source_type", "age_band", "ethnicity", "imd_quintile", "role")
_SOURCE_ATTRS = (("site", "site (source)"), ("group", "group (source)"))
#: the zip members' date when the tables know no date at all (zip cannot store dates before 1980)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def guid(kind: str, key) -> str:
    """A stable GUID for an object, so that re-exports keep identities: ``uuid5`` of ``"kind:key"``, computed
    without building a UUID object (an export makes several per segment).

    >>> guid("code", "kind") == str(uuid.uuid5(_GUID_NS, "code:kind"))
    True
    """
    h = bytearray(hashlib.sha1(_GUID_NS_BYTES + f"{kind}:{key}".encode("utf-8")).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50  # version 5
    h[8] = (h[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _memo_guid(m: dict) -> str:
    """A memo's ``Note`` GUID: the one it came with (a memo imported from a ``.qdpx``, ``memo_guid``), so that a
    project imported and exported again keeps its notes' identities; else made from the store's ``memo_id``."""
    g = m.get("memo_guid")
    return str(g) if isinstance(g, str) and _GUID.match(g) else guid("memo", m["memo_id"])


def _kept_guid(value, used: set) -> str | None:
    """``value`` when it is a GUID not yet written in this export (a coding or selection imported from a
    ``.qdpx`` keeps its identity), else None (the caller makes one): a GUID is written once, even when a table
    holds it twice (several codings of one selection of another program share that selection's GUID)."""
    if isinstance(value, str) and _GUID.match(value) and value.lower() not in used:
        used.add(value.lower())
        return value
    return None


def _records(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")`` with plain Python values, several times faster on large tables."""
    cols = list(df.columns)
    return [dict(zip(cols, row)) for row in zip(*(df[c].tolist() for c in cols))] if len(cols) else [{}] * len(df)


def _colour(c) -> str | None:
    if isinstance(c, str) and len(c) in (4, 7) and c.startswith("#"):
        return c
    return None


def _plain(v):
    """A JSON-ready value: None for missing, Python scalars for numpy ones, lists kept."""
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if not _present(v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _iso(ts) -> str | None:
    """``xsd:dateTime`` in UTC (``2026-03-01T10:00:00Z``) of a stored time; None when there is none or it does not
    parse (the attribute is then left out: the export never invents a time).

    >>> _iso("2026-03-01T11:00:00+01:00"), _iso("2026-03-02 09:30:00"), _iso(None)
    ('2026-03-01T10:00:00Z', '2026-03-02T09:30:00Z', None)
    """
    if not _present(ts):
        return None
    try:
        t = pd.Timestamp(ts)
    except (ValueError, TypeError):
        return None
    if t is pd.NaT:
        return None
    if t.tzinfo is not None:
        t = t.tz_convert("UTC").tz_localize(None)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------------------ codes
def _code_description(r) -> str:
    """A code's definition as a coder reads it: the description, then the inclusion and exclusion criteria."""
    lines = [str(r.get("description") or "").strip()]
    for col, label in (("include", "Include"), ("exclude", "Exclude")):
        if _present(r.get(col)):
            lines.append(f"{label}: {r[col]}")
    return "\n".join(x for x in lines if x)


def _code_extras(r) -> dict:
    """What a code has beyond its REFI-QDA definition (for the companion file)."""
    return {"id": str(r["code_id"]), "name": str(r["name"]), "parent": r["parent_id"] if _present(r.get("parent_id")) else None,
            **{k: _plain(r.get(k)) for k in ("description", "include", "exclude", "keywords", "examples",
                                             "colour", "survey_items", "concern")}}


def _codes_element(parent, cb: pd.DataFrame, ns: str, extra: list | None = None) -> dict:
    """``<Codes>`` of the codebook (hierarchy, colour, definition), then the ``extra`` folders: ``(name, guid,
    [(code name, guid, colour, description)])``, each a non-codable parent of codable codes. Returns the
    ``<Code>`` element of each code id (to hang memos' ``NoteRef`` on)."""
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    children: dict = {}
    for r in cb.to_dict("records"):
        children.setdefault(r["parent_id"] if _present(r["parent_id"]) else None, []).append(r)
    elements: dict = {}

    def add(el, r):
        attrs = {"guid": guid("code", r["code_id"]), "name": str(r["name"]), "isCodable": "true"}
        if _colour(r.get("colour")):
            attrs["color"] = _colour(r["colour"])
        code = etree.SubElement(el, f"{{{ns}}}Code", attrs)
        description = _code_description(r)
        if description:
            etree.SubElement(code, f"{{{ns}}}Description").text = description
        elements[r["code_id"]] = code
        for child in children.get(r["code_id"], []):
            add(code, child)

    for r in children.get(None, []):
        add(codes, r)
    for name, folder_guid, description, members in extra or []:
        folder = etree.SubElement(codes, f"{{{ns}}}Code", {"guid": folder_guid, "name": name, "isCodable": "false"})
        etree.SubElement(folder, f"{{{ns}}}Description").text = description
        for m_name, m_guid, m_colour, m_description in members:
            attrs = {"guid": m_guid, "name": m_name, "isCodable": "true"}
            if _colour(m_colour):
                attrs["color"] = _colour(m_colour)
            code = etree.SubElement(folder, f"{{{ns}}}Code", attrs)
            if m_description:
                etree.SubElement(code, f"{{{ns}}}Description").text = m_description
    return elements


def codebook_qdc_bytes(cb: pd.DataFrame, *, origin: str = "pledge_analysis") -> bytes:
    """A REFI-QDA codebook (``.qdc``): names, hierarchy, colours and definitions. Code ids, keywords, examples,
    survey items and concerns have no place in the standard: they travel in a ``.qdpx`` (its companion file)
    and in the project's own codebook file."""
    root = etree.Element(f"{{{NS_CODEBOOK}}}CodeBook", {"origin": origin}, nsmap={None: NS_CODEBOOK})
    _codes_element(root, cb, NS_CODEBOOK)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_codebook_qdc(cb: pd.DataFrame, path: str | Path) -> None:
    """Write a REFI-QDA codebook (``.qdc``)."""
    Path(path).write_bytes(codebook_qdc_bytes(cb))


# ------------------------------------------------------------------------------ project
def _source_layout(records: list[dict]) -> tuple[str, dict[str, int]]:
    """The document text of one source and each segment's offset in it, in one pass over its segments."""
    lines, offsets, pos = [], {}, 0
    for r in records:
        if r["source_type"] == "survey":
            label = f"{r['respondent_id']} [{r['question_id']}]"
        else:
            label = str(r["speaker"] or "")
        prefix = f"{label}: "
        offsets[r["segment_id"]] = pos + len(prefix)
        line = prefix + str(r["text"])
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines), offsets


def coding_kind(status, method, negated) -> str:
    """How a coding travels: ``"reviewed"`` (accepted, or a manual coding with no status), ``"suggested"``,
    ``"negated"`` (a suggestion from a negated rule match) or ``"rejected"`` (never exported).

    >>> [coding_kind(*a) for a in [("accepted", "rules", True), (None, "manual", None), ("suggested", "rules", False),
    ...                            ("suggested", "rules", 1.0), ("rejected", "manual", None)]]
    ['reviewed', 'reviewed', 'suggested', 'negated', 'rejected']
    """
    if status == "accepted" or (not _present(status) and method == "manual"):
        return "reviewed"
    if status == "rejected":
        return "rejected"
    return "negated" if _truthy(negated) else "suggested"


def _truthy(v) -> bool:
    """A stored flag: True, 1, 1.0, "True", "1" (a CSV's or SQLite's spelling) are true; None, NaN, "" are not."""
    if not _present(v):
        return False
    if isinstance(v, str):
        return v.strip().lower() in ("true", "1", "1.0", "yes")
    return bool(v)


def export_summary(codings: pd.DataFrame, codebook: pd.DataFrame, *, include_suggestions: bool = False) -> dict:
    """What :func:`project_qdpx_bytes` writes of ``codings``: counts by kind (see :func:`coding_kind`) and a
    sentence for the run log and the screen."""
    known = set(codebook["code_id"])
    counts = {"reviewed": 0, "suggested": 0, "negated": 0, "rejected": 0}
    missing = 0
    for code, status, method, negated in zip(codings["code_id"], _col(codings, "status"), _col(codings, "method"),
                                             _col(codings, "negated")):
        if code not in known:
            missing += 1
            continue
        counts[coding_kind(status, method, negated)] += 1
    written_s = counts["suggested"] + counts["negated"] if include_suggestions else 0
    parts = [f"{counts['reviewed']:,} reviewed codings as codings"]
    if include_suggestions:
        parts.append(f"{counts['suggested']:,} unreviewed suggestions under '{SUGGESTED}'")
        parts.append(f"{counts['negated']:,} negated mentions under '{NEGATED}'")
    else:
        parts.append(f"{counts['suggested'] + counts['negated']:,} unreviewed suggestions left out")
    message = "project.qdpx: " + ", ".join(parts) + (f"; {counts['rejected']:,} rejected codings not written"
                                                      if counts["rejected"] else "")
    if missing:
        message += f"; {missing:,} codings of codes no longer in the codebook not written"
    if not counts["reviewed"] and written_s:
        message += " (no coding is reviewed yet: review suggestions in pledge_analysis, or recode them in your program)"
    return {"reviewed": counts["reviewed"], "suggestions": counts["suggested"] if include_suggestions else 0,
            "negated_suggestions": counts["negated"] if include_suggestions else 0,
            "suggestions_left_out": 0 if include_suggestions else counts["suggested"] + counts["negated"],
            "rejected_not_written": counts["rejected"], "code_not_in_codebook": missing,
            "include_suggestions": include_suggestions, "message": message}


def _col(df: pd.DataFrame, name: str) -> list:
    return df[name].tolist() if name in df.columns else [None] * len(df)


def project_qdpx_bytes(*, segments: pd.DataFrame, codebook: pd.DataFrame, codings: pd.DataFrame,
                       respondents: pd.DataFrame | None = None, memos: pd.DataFrame | None = None,
                       name: str = "Service Pledge project", include_suggestions: bool = False,
                       case_codes: bool = True, reviewed_at: dict | None = None) -> bytes:
    """The ``.qdpx`` archive (zip bytes) for these tables (see the module docstring for what goes where).

    ``codings`` as in :data:`pledge_analysis.schema.CODINGS` (with ``coding_id`` when they come from the store:
    it keeps each coding's GUID across re-exports; ``coding_guid`` and ``selection_guid``, as
    :func:`~pledge_analysis.io.refi_import.read_project_qdpx` gives them, are written again as they came);
    reviewed codings are written as codings, suggestions only with
    ``include_suggestions`` (in their own clearly named codes), rejected ones never. ``case_codes=False`` leaves
    out the case codes (the link QualCoder reads) for programs without cases. ``reviewed_at`` maps a ``coding_id``
    to when a reviewer accepted it (:meth:`~pledge_analysis.project.Project.review_times`): its ``Coding`` is dated
    then, its selection when the text was first coded (``created_at``).
    """
    reviewed_at = reviewed_at or {}
    P = NS_PROJECT
    q = lambda tag: f"{{{P}}}{tag}"  # noqa: E731
    memos = memos if memos is not None and len(memos) else None
    people = respondents if respondents is not None else pd.DataFrame(columns=["respondent_id"])
    segs = segments.copy()
    segs["_order"] = segs["respondent_id"].fillna("").astype(str)
    segs = segs.sort_values(["source_id", "_order", "position"], kind="stable")
    known = set(codebook["code_id"])
    names = dict(zip(codebook["code_id"], codebook["name"]))
    colours = dict(zip(codebook["code_id"], codebook["colour"]))
    # which codings travel, and as what
    chosen = []
    for c in _records(codings):
        if c["code_id"] not in known:
            continue
        kind = coding_kind(c.get("status"), c.get("method"), c.get("negated"))
        if kind == "reviewed" or (include_suggestions and kind in ("suggested", "negated")):
            chosen.append((kind, c))
    decided = {int(c["coding_id"]): reviewed_at[int(c["coding_id"])] for k, c in chosen
               if k == "reviewed" and _present(c.get("coding_id")) and int(c["coding_id"]) in reviewed_at}
    stamps = sorted({t for t in (_iso(c.get("created_at")) for _, c in chosen) if t}
                    | {t for t in (_iso(v) for v in decided.values()) if t}
                    | ({t for t in (_iso(m) for m in memos["created_at"]) if t} if memos is not None else set()))
    latest = stamps[-1] if stamps else None
    attrs = {"name": name, "origin": "pledge_analysis"}
    if stamps:
        attrs["creationDateTime"], attrs["modifiedDateTime"] = stamps[0], latest
    root = etree.Element(q("Project"), attrs, nsmap={None: P})
    coders = sorted({str(c["coder"]) for _, c in chosen if _present(c.get("coder"))}
                    | ({str(x) for x in memos["coder"] if _present(x)} if memos is not None else set()))
    if coders:
        users = etree.SubElement(root, q("Users"))
        for c in coders:
            etree.SubElement(users, q("User"), {"guid": guid("user", c), "name": c})

    # cases: respondents, then focus-group participants
    attr_cols = [c for c in _CASE_ATTRS if c in people.columns]
    extra = segs[segs["source_type"] != "survey"].dropna(subset=["respondent_id"]).drop_duplicates("respondent_id")
    case_rows = _records(pd.concat([people, extra[["respondent_id", "site", "group", "source_type"]]],
                                   ignore_index=True).drop_duplicates("respondent_id"))
    case_rows = [r for r in case_rows if _present(r.get("respondent_id"))]
    case_guid = {r["respondent_id"]: guid("case", r["respondent_id"]) for r in case_rows}
    by_person: dict = {}
    for seg, person in zip(segs["segment_id"], segs["respondent_id"]):
        if person in case_guid:
            by_person.setdefault(person, []).append(seg)

    # the code folders that keep suggestions and case codes apart
    folders = []
    mirror: dict = {}
    for kind, folder, suffix, what in (
            ("suggested", SUGGESTED, "suggested", "Codings that pledge_analysis's rules or model suggested and no one "
             "has reviewed: evidence to check, not findings. Review them in pledge_analysis (or recode the text "
             "with the code itself)."),
            ("negated", NEGATED, "negated mention", "Places where a code's keywords occur in a negated phrase "
             "(\"no wait at all\"), found by pledge_analysis's rules and not reviewed: usually not evidence for the "
             "code.")):
        wanted = sorted({c["code_id"] for k, c in chosen if k == kind}, key=list(codebook["code_id"]).index)
        if wanted:
            members = []
            for code in wanted:
                mirror[(kind, code)] = guid(kind, code)
                members.append((f"{names[code]} ({suffix})", mirror[(kind, code)], colours.get(code),
                                f"Not reviewed: '{names[code]}' {'suggested' if kind == 'suggested' else 'in a negated phrase'}"
                                " by pledge_analysis."))
            folders.append((folder, guid("folder", kind), what, members))
    if case_codes and by_person:
        folders.append((CASES, guid("folder", "cases"), "One code per respondent or participant, coding their text: "
                        "the link from a case to its text that QualCoder reads (and NVivo writes). Not themes.",
                        [(str(p), case_guid[p], None, None) for p in case_guid if p in by_person]))
    cb_el = etree.SubElement(root, q("CodeBook"))
    code_el = _codes_element(cb_el, codebook, P, folders)

    src_present = {a: a in segs.columns for a, _ in _SOURCE_ATTRS}
    source_values: dict = {}
    for source_id, g in segs.groupby("source_id", sort=True):
        vals = {}
        for col, var in _SOURCE_ATTRS:
            if src_present[col]:
                v = g[col].dropna().astype(str).unique()
                if len(v) == 1:
                    vals[var] = v[0]
        source_values[source_id] = vals
    source_vars = [var for _, var in _SOURCE_ATTRS if any(var in v for v in source_values.values())]
    case_vars = attr_cols or (["site", "group"] if case_rows else [])
    if case_vars or source_vars:
        variables = etree.SubElement(root, q("Variables"))
        for col in case_vars + source_vars:
            etree.SubElement(variables, q("Variable"), {"guid": guid("variable", col), "name": col,
                                                        "typeOfVariable": "Text"})

    def variable_value(parent, var, value):
        vv = etree.SubElement(parent, q("VariableValue"))
        etree.SubElement(vv, q("VariableRef"), {"targetGUID": guid("variable", var)})
        etree.SubElement(vv, q("TextValue")).text = str(value)

    sources_of_person: dict = {}
    for source_id, person in zip(segs["source_id"], segs["respondent_id"]):
        sources_of_person.setdefault(source_id, set()).add(person if _present(person) else None)
    whole_source = {next(iter(p)): s for s, p in sources_of_person.items() if len(p) == 1 and None not in p}
    if case_rows:
        cases = etree.SubElement(root, q("Cases"))
        for r in case_rows:
            person = r["respondent_id"]
            case = etree.SubElement(cases, q("Case"), {"guid": case_guid[person], "name": str(person)})
            if case_codes and person in by_person:
                etree.SubElement(case, q("CodeRef"), {"targetGUID": case_guid[person]})
            for col in case_vars:
                if _present(r.get(col)):
                    variable_value(case, col, r[col])
            if person in whole_source:
                etree.SubElement(case, q("SourceRef"), {"targetGUID": guid("source", whole_source[person])})
            if case_codes:
                for s in by_person.get(person, []):
                    etree.SubElement(case, q("SelectionRef"), {"targetGUID": guid("case-selection", s)})

    memo_rows = _records(memos) if memos is not None else []
    memo_by_segment: dict = {}
    for m in memo_rows:
        memo_by_segment.setdefault(m.get("segment_id"), []).append(m)
    sources = etree.SubElement(root, q("Sources"))
    code_guid = {c: guid("code", c) for c in codebook["code_id"]}
    user_guid: dict = {}
    iso: dict = {}

    def user(c):
        if not _present(c):
            return None
        if c not in user_guid:
            user_guid[c] = guid("user", c)
        return user_guid[c]

    def stamp(ts):
        key = ts if _present(ts) else None
        if key not in iso:
            iso[key] = _iso(key)
        return iso[key]

    sources_of: dict = {}
    for source_id, seg_id in zip(segs["source_id"], segs["segment_id"]):
        sources_of.setdefault(seg_id, set()).add(source_id)
    codings_of: dict = {}
    for kind, c in chosen:
        for source_id in sources_of.get(c["segment_id"], ()):
            codings_of.setdefault(source_id, []).append((kind, c))
    seg_meta = [k for k in schema.SEGMENTS if k != "text"]
    companion = {"format": COMPANION_FORMAT, "version": 1,
                 "about": "Written by pledge_analysis beside project.qde: what REFI-QDA has no element for, read back "
                          "by pledge_analysis's importer. Other programs ignore this file.",
                 "codes": [{"guid": code_guid[r["code_id"]], **_code_extras(r)} for r in codebook.to_dict("records")],
                 "suggestion_codes": {g: code for (_, code), g in mirror.items()},
                 "case_codes": sorted(g for p, g in case_guid.items() if case_codes and p in by_person),
                 "segments": [], "codings": {}, "memos": {}}
    files: dict = {}
    segment_span: dict = {}
    seen_keys: dict = {}
    kept: set = set()  # imported coding and selection GUIDs written so far
    for source_id, g in segs.groupby("source_id", sort=True):
        records = _records(g)
        text, offsets = _source_layout(records)
        sg = guid("source", source_id)
        files[f"sources/{sg}.txt"] = text.encode("utf-8")
        src = etree.SubElement(sources, q("TextSource"), {"guid": sg, "name": str(source_id),
                                                          "plainTextPath": f"internal://{sg}.txt"})
        seg_len: dict = {}
        for r in records:
            start = offsets[r["segment_id"]]
            length = len(str(r["text"]))
            seg_len.setdefault(r["segment_id"], length)
            segment_span.setdefault(r["segment_id"], (sg, start, start + length))
            companion["segments"].append({"source": sg, "start": start, "end": start + length,
                                          **{k: _plain(r.get(k)) for k in seg_meta}})
            if case_codes and r["respondent_id"] in by_person:
                sel = etree.SubElement(src, q("PlainTextSelection"), {
                    "guid": guid("case-selection", r["segment_id"]), "startPosition": str(start),
                    "endPosition": str(start + length)})
                etree.SubElement(sel, q("Coding"), {"guid": guid("case-coding", r["segment_id"])}).append(
                    etree.Element(q("CodeRef"), {"targetGUID": case_guid[r["respondent_id"]]}))
        for kind, c in codings_of.get(source_id, []):
            base = offsets[c["segment_id"]]
            has_span = _present(c.get("start"))
            s = base + (int(c["start"]) if has_span else 0)
            e = base + (int(c["end"]) if _present(c.get("end")) else seg_len[c["segment_id"]])
            if _present(c.get("coding_id")):
                key = ("coding", int(c["coding_id"]))
            else:
                key = (c["segment_id"], c["code_id"], c.get("coder"), c.get("method"), c.get("start"), c.get("end"))
                n = seen_keys[key] = seen_keys.get(key, -1) + 1
                key = key + (n,)
            when, who = stamp(c.get("created_at")), user(c.get("coder"))
            sel_guid = _kept_guid(c.get("selection_guid"), kept) or guid("selection", key)
            sel_attrs = {"guid": sel_guid, "startPosition": str(s), "endPosition": str(e)}
            if who:
                sel_attrs["creatingUser"] = who
            if when:
                sel_attrs["creationDateTime"] = when
            sel = etree.SubElement(src, q("PlainTextSelection"), sel_attrs)
            if _present(c.get("memo")):
                etree.SubElement(sel, q("Description")).text = str(c["memo"])
            coding_attrs = {"guid": _kept_guid(c.get("coding_guid"), kept) or guid("coding", key)}
            coding_attrs.update({k: v for k, v in sel_attrs.items() if k in ("creatingUser", "creationDateTime")})
            if key[0] == "coding" and key[1] in decided and _iso(decided[key[1]]):
                coding_attrs["creationDateTime"] = _iso(decided[key[1]])  # when the reviewer accepted it
            coding = etree.SubElement(sel, q("Coding"), coding_attrs)
            target = code_guid[c["code_id"]] if kind == "reviewed" else mirror[(kind, c["code_id"])]
            etree.SubElement(coding, q("CodeRef"), {"targetGUID": target})
            companion["codings"][sel_attrs["guid"]] = {
                "segment_id": c["segment_id"], "code_id": c["code_id"], "method": _plain(c.get("method")),
                "status": _plain(c.get("status")), "confidence": _plain(c.get("confidence")),
                "evidence": _plain(c.get("evidence")),
                "negated": _truthy(c["negated"]) if _present(c.get("negated")) else None,
                "created_at": _plain(c.get("created_at")), "has_span": has_span}
        for r in records:
            for m in memo_by_segment.get(r["segment_id"], []):
                etree.SubElement(src, q("NoteRef"), {"targetGUID": _memo_guid(m)})
        for var, value in source_values[source_id].items():
            variable_value(src, var, value)

    project_notes = []
    if memo_rows:
        notes = etree.SubElement(root, q("Notes"))
        for m in memo_rows:
            ng = _memo_guid(m)
            attrs = {"guid": ng, "name": f"Memo by {m['coder']}" if _present(m.get("coder")) else "Memo"}
            if user(m.get("coder")):
                attrs["creatingUser"] = user(m.get("coder"))
            # QualCoder needs a date on every note; a memo with none gets the latest date the tables know
            when = _iso(m.get("created_at")) or latest
            if when:
                attrs["creationDateTime"] = attrs["modifiedDateTime"] = when
            note = etree.SubElement(notes, q("Note"), attrs)
            etree.SubElement(note, q("PlainTextContent")).text = str(m["text"])
            span = segment_span.get(m.get("segment_id"))
            if span:
                etree.SubElement(note, q("PlainTextSelection"), {"guid": guid("memo-selection", m["memo_id"]),
                                                                 "startPosition": str(span[1]),
                                                                 "endPosition": str(span[2])})
            elif _present(m.get("code_id")) and m["code_id"] in code_el:
                el = code_el[m["code_id"]]
                ref = etree.Element(q("NoteRef"), {"targetGUID": ng})
                after = [i for i, ch in enumerate(el) if ch.tag in (q("Description"), q("NoteRef"))]
                el.insert(after[-1] + 1 if after else 0, ref)
            else:
                project_notes.append(ng)
            companion["memos"][ng] = {k: _plain(m.get(k)) for k in ("memo_id", "segment_id", "code_id", "created_at")}
    sets = [(folder, members) for folder, _, _, members in folders if folder in (SUGGESTED, NEGATED)]
    if sets:
        sets_el = etree.SubElement(root, q("Sets"))
        for folder, members in sets:
            st = etree.SubElement(sets_el, q("Set"), {"guid": guid("set", folder), "name": folder})
            etree.SubElement(st, q("Description")).text = "Codes of codings that no one has reviewed."
            for _, m_guid, _, _ in members:
                etree.SubElement(st, q("MemberCode"), {"targetGUID": m_guid})
    summary = export_summary(codings, codebook, include_suggestions=include_suggestions)
    etree.SubElement(root, q("Description")).text = (
        f"Exported by pledge_analysis. {summary['message'].removeprefix('project.qdpx: ')}. Codes under "
        f"'{SUGGESTED}' and '{NEGATED}' hold machine suggestions, not findings; codes under '{CASES}' link each "
        "respondent or participant to their text.")
    for ng in project_notes:
        etree.SubElement(root, q("NoteRef"), {"targetGUID": ng})
    qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    when = tuple(int(x) for x in (latest[:4], latest[5:7], latest[8:10], latest[11:13], latest[14:16],
                                  latest[17:19])) if latest else _ZIP_EPOCH
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        members = {"project.qde": qde, **files,
                   COMPANION: json.dumps(companion, ensure_ascii=False, sort_keys=True).encode("utf-8")}
        for name_, data in members.items():
            info = zipfile.ZipInfo(name_, date_time=max(when, _ZIP_EPOCH))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def write_project_qdpx(path: str | Path, **tables) -> dict:
    """Write a ``.qdpx`` project (keyword arguments as in :func:`project_qdpx_bytes`); return what it holds
    (:func:`export_summary`)."""
    Path(path).write_bytes(project_qdpx_bytes(**tables))
    return export_summary(tables["codings"], tables["codebook"],
                          include_suggestions=tables.get("include_suggestions", False))


# ------------------------------------------------------------------------------ reading our companion back
def _text(el) -> str | None:
    return el.text if el is not None and el.text else None


def read_companion(archive) -> dict | None:
    """The companion file of an archive (a :class:`~pledge_analysis.io.safe_archive.Archive`) we wrote, or None
    (a project from another program, or ours after another program re-exported it)."""
    if COMPANION not in archive.members:
        return None
    try:
        data = json.loads(archive.read(COMPANION).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == COMPANION_FORMAT else None


def tables_from_companion(root, texts: dict, companion: dict, where,
                          tables: dict | None = None) -> dict[str, pd.DataFrame]:
    """Our own project back, exactly: ``segments``, ``codebook``, ``codings``, ``respondents`` and ``memos``.

    ``root`` is the parsed ``project.qde``, ``texts`` maps each ``<TextSource>`` element to its document text and
    ``where`` locates errors (:class:`~pledge_analysis.io.safe_archive.Where`). Codings come from the XML (their
    selections, codes, coders); the companion adds what REFI-QDA cannot say (status, method, confidence...), the
    segments' metadata and offsets, and the codes' ids and keywords. Case-code selections are links, not codings.
    ``tables``, when given, are what the generic reader made of the same file: they are returned with
    ``segments``, ``codebook`` and ``codings`` replaced, and the memos' segment, code and date set from the
    companion (the other tables, such as the cases and their links, are the generic reader's).
    """
    from ..coding.codebook import codebook_from_records

    q = lambda tag: f"{{{NS_PROJECT}}}{tag}"  # noqa: E731
    codes = companion.get("codes") or []
    cb = codebook_from_records([{k: v for k, v in r.items() if k != "guid"} for r in codes],
                               source=f"the companion file of {str(where.path)!r}")
    # as written: no palette colour for a code that had none (object dtype keeps None, not NaN)
    cb["colour"] = pd.Series([r.get("colour") for r in codes], dtype=object, index=cb.index)
    code_of = {r["guid"]: r["id"] for r in codes}
    code_of.update(companion.get("suggestion_codes") or {})
    users = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    text_of = {src.get("guid"): text for src, text in texts.items()}
    segments, seg_start = [], {}
    for s in companion.get("segments") or []:
        text = text_of.get(s["source"])
        if text is None:
            where.fail(f"the companion file names a source {s['source']!r} that is not in the project", root)
        a, b = int(s["start"]), int(s["end"])
        if not 0 <= a <= b <= len(text):
            where.fail(f"segment {s.get('segment_id')!r} of the companion file lies outside its document", root)
        segments.append({**{k: s.get(k) for k in schema.SEGMENTS if k != "text"}, "text": text[a:b]})
        seg_start[s["segment_id"]] = a
    meta = companion.get("codings") or {}
    codings = []
    for src in texts:
        for sel in src.findall(q("PlainTextSelection")):
            m = meta.get(sel.get("guid"))
            coding = sel.find(q("Coding"))
            if m is None or coding is None:
                continue  # a case-code selection (a link), or a selection another program added
            ref = coding.find(q("CodeRef"))
            code = code_of.get(ref.get("targetGUID") if ref is not None else None)
            if code is None or m["segment_id"] not in seg_start:
                where.fail("a coding of the companion file points to a code or segment that is not in the project", sel)
            a, b = where.span(sel, len(text_of[src.get("guid")]))
            base = seg_start[m["segment_id"]]
            codings.append({
                "segment_id": m["segment_id"], "code_id": code,
                "coder": users.get(sel.get("creatingUser"), "unknown"), "method": m.get("method"),
                "confidence": m.get("confidence"), "start": a - base if m.get("has_span") else None,
                "end": b - base if m.get("has_span") else None, "status": m.get("status"),
                "created_at": m.get("created_at"), "memo": _text(sel.find(q("Description"))), "evidence": m.get("evidence"),
                "negated": m.get("negated"), "coding_guid": coding.get("guid"), "selection_guid": sel.get("guid")})
    variables = {v.get("guid"): v.get("name") for v in root.iter(q("Variable"))}
    people = []
    for case in root.iter(q("Case")):
        rec = {"respondent_id": case.get("name")}
        for vv in case.findall(q("VariableValue")):
            ref = vv.find(q("VariableRef"))
            if ref is not None:
                rec[variables.get(ref.get("targetGUID"), ref.get("targetGUID"))] = next(
                    (c.text for c in vv if c.tag != q("VariableRef")), None)
        people.append(rec)
    memos = []
    memo_meta = companion.get("memos") or {}
    for note in root.iter(q("Note")):
        m = memo_meta.get(note.get("guid"), {})
        content = note.find(q("PlainTextContent"))
        memos.append({"segment_id": m.get("segment_id"), "code_id": m.get("code_id"),
                      "coder": users.get(note.get("creatingUser")),
                      "text": content.text if content is not None else "", "created_at": m.get("created_at")})
    out = {"segments": schema.conform(pd.DataFrame(segments, columns=list(schema.SEGMENTS)), "segments"), "codebook": cb,
           "codings": (schema.conform(pd.DataFrame(codings), "codings") if codings else
                       schema.empty("codings").assign(coding_guid=None, selection_guid=None)),
           "respondents": pd.DataFrame(people), "memos": pd.DataFrame(memos)}
    if tables is None:
        return out
    merged = _relinked(tables, root, texts, companion)
    merged.update({k: out[k] for k in ("segments", "codebook", "codings")})
    old = tables.get("memos")
    if old is not None and "memo_guid" in old.columns and len(old) == len(memos):
        fixed = old.copy()
        for col in ("segment_id", "code_id", "created_at"):
            fixed[col] = [memo_meta.get(g, {}).get(col, v) for g, v in zip(fixed["memo_guid"], fixed[col])]
        merged["memos"] = fixed
    else:
        merged["memos"] = out["memos"]
    if tables.get("respondents") is None or not len(tables["respondents"]):
        merged["respondents"] = out["respondents"]
    return merged


def _relinked(tables: dict, root, texts: dict, companion: dict) -> dict:
    """The generic reader's link tables (``case_links``, ``note_links``...) pointed at the whole-document segment it
    made of each of our sources (``segment_id`` = the source's GUID, offsets in the document): point them at our
    segments instead, the one holding the offset (a row's ``start``, else its target selection's start)."""
    import bisect

    q = lambda tag: f"{{{NS_PROJECT}}}{tag}"  # noqa: E731
    starts: dict = {}
    for s in companion.get("segments") or []:
        starts.setdefault(s["source"], []).append((int(s["start"]), s["segment_id"]))
    for v in starts.values():
        v.sort()
    sel_at = {}
    for src in texts:
        if src.tag == q("TextSource") and src.get("guid") in starts:
            for sel in src.findall(q("PlainTextSelection")):
                sel_at[sel.get("guid")] = (src.get("guid"), int(sel.get("startPosition")))

    def locate(source, a):
        seq = starts[source]
        i = max(bisect.bisect_right(seq, (a, "\uffff")) - 1, 0)
        return seq[i]

    out = dict(tables)
    for name, df in tables.items():
        if name in ("segments", "codebook", "codings") or df is None or "segment_id" not in df.columns:
            continue
        if not df["segment_id"].isin(list(starts)).any():
            continue
        df = df.copy()
        has_span = "start" in df.columns and "end" in df.columns
        for i, seg in zip(df.index, df["segment_id"]):
            if seg not in starts:
                continue
            a = df.at[i, "start"] if has_span else None
            if _present(a):
                base, new = locate(seg, int(a))
                df.at[i, "start"] = int(a) - base
                if _present(df.at[i, "end"]):
                    df.at[i, "end"] = int(df.at[i, "end"]) - base
            elif "target_guid" in df.columns and df.at[i, "target_guid"] in sel_at:
                base, new = locate(*sel_at[df.at[i, "target_guid"]])
            else:
                new = None  # a link to the whole source
            df.at[i, "segment_id"] = new
        out[name] = df
    return out
