"""REFI-QDA import: read ``.qdpx`` projects and ``.qdc`` codebooks made by us or by NVivo, ATLAS.ti, MAXQDA, QualCoder.

The writing side (and the mapping of our tables to REFI-QDA) is :mod:`pledge_analysis.io.refi`, which re-exports
:func:`read_project_qdpx` and :func:`read_codebook_qdc` from here.

What a project becomes
----------------------------------------------------------------
:func:`read_project_qdpx` returns a dict of tidy tables (every table is present, possibly empty, with these columns):

``segments``, ``codings``, ``codebook``
    as :data:`pledge_analysis.schema.SEGMENTS`, ``CODINGS`` and ``CODEBOOK``. A source we exported keeps its
    segments; a source from another program is one segment (``source_type`` ``"document"``, ``segment_id`` its
    GUID, ``source_id`` its name), whose ``respondent_id`` is the one case that links the whole source
    (``Case/SourceRef``) and whose ``site`` and ``group`` come from the source's (or that case's) variables of
    those names (any case; ``site (source)`` / ``group (source)`` as our export writes them). Every ``Coding`` of a
    selection is kept (a selection may carry several); a selection's plain
    ``Description`` is the coding's ``memo``; the coder is the ``User`` name. Codes keep the author's colour as
    given: a code without ``color`` has ``colour`` None (no palette colour is invented). ``codings`` has two
    columns more, ``coding_guid`` and ``selection_guid``: the GUIDs of each ``Coding`` and of its
    ``PlainTextSelection`` (None for a coding of a whole document), which a re-export writes again (as memos keep
    theirs in ``memo_guid``), so that another program sees the same codings, not new ones.
``codes``
    ``code_id, code_guid, name, is_codable``: the REFI-QDA identity of each code and its ``isCodable`` flag
    (``False`` for a category that only groups codes, as QualCoder writes its categories).
``respondents``
    ``respondent_id`` (the case name, else its GUID), ``case_guid`` and one column per case variable.
``case_links``
    ``respondent_id, case_guid, target_type, target_guid, source_id, segment_id, code_id``: what each case points
    to, ``target_type`` ``"source"`` (``SourceRef``), ``"selection"`` (``SelectionRef``) or ``"code"``
    (``CodeRef``, as QualCoder links a case to its text through a code).
``source_variables``
    ``source_id, variable, value``: ``VariableValue``s given on sources.
``memos``
    ``memo_id, segment_id, code_id, coder, text, created_at, name, memo_guid``: one row per ``Note``; its text is
    its ``PlainTextContent``, else its ``plainTextPath`` document, else its ``.docx`` ``richTextPath``;
    ``segment_id`` and ``code_id`` are its first target of that kind (all targets are in ``note_links``).
``note_links``
    ``memo_id, memo_guid, target_type, target_guid, source_id, segment_id, code_id, start, end``: every
    ``NoteRef`` (from the project, a source, a selection, a coding or a code) and every ``Link`` from or to a note;
    ``target_type`` is ``"project"``, ``"source"``, ``"selection"``, ``"coding"``, ``"code"`` or ``"link"``;
    ``start``/``end`` are offsets in the segment (a selection's span, or the span that a QualCoder annotation
    note carries in its own ``PlainTextSelection``).
``sets``
    ``set_guid, set, description, member_type, member_guid, member``: one row per member of each ``Set``
    (document groups: ``member_type`` ``"source"``, ``member`` the source id; code groups: ``"code"`` and the
    code id; ``"note"`` and the memo id); a set with no members is one row with ``member_type`` None.
``users``
    ``user_guid, name, user_id``: the ``Users`` (``id`` is the program's own user id, when given).
``not_imported``
    ``source, kind, path, reason, guid``: everything in the project that did not become a table row: PDF, picture,
    audio and video sources (with how many codings on them are lost), text sources whose document cannot be read
    (not UTF-8 text and no ``.docx``; a rich text that is not ``.docx``), notes whose text cannot be read,
    graphs and links between other objects. The same list is given as a ``UserWarning`` and in the log.

Which document is read (:mod:`pledge_analysis.io.refi_documents`)
----------------------------------------------------------------
Only what ``plainTextPath`` points to is decoded, as UTF-8 (a byte-order mark is allowed). When a text source
has no plain text (no ``plainTextPath`` and no ``PlainTextContent``) and its ``richTextPath`` is a ``.docx`` in
the archive, its paragraphs are read with python-docx (the ``.docx`` is inflated within the same caps first);
positions then count in its paragraphs joined by newlines. ATLAS.ti counts a Windows line end as one character
(as QualCoder's importer notes): in a project whose ``origin`` names ATLAS.ti, ``\\r\\n`` is read as ``\\n``.
A PDF's plain-text ``Representation`` (as QualCoder writes it) is read as a text source named after the PDF.

Safety
------
The readers treat every file as hostile (the safe zip and XML layer is :mod:`pledge_analysis.io.safe_archive`):
archive members are inflated in bounded chunks within caps (``MAX_MEMBER_BYTES``, ``MAX_TOTAL_BYTES``,
``MAX_MEMBERS``, ``MAX_XML_ELEMENTS`` there), XML is
parsed without DTDs, entity expansion or network access, member and document paths that leave the archive
are refused, nothing is extracted to disk, and every refusal is an :class:`~pledge_analysis.errors.InputError`
(:class:`~pledge_analysis.errors.UnsafeInputError` for a hostile file) naming the file, the member and the line.
Documents of other sources (PDFs, media, external files) are never opened: they are only listed.
"""
from __future__ import annotations

import bisect
import logging
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
from lxml import etree

from .. import schema
from ..errors import InputError
from ..schema import present as _present
from .refi_documents import Documents as _Documents
from .safe_archive import _AGAIN, Archive as _Archive, Where as _Where, existing_file as _existing_file
from .safe_archive import parse_xml, read_xml_file as _read_xml_file
from .refi_export import read_companion, tables_from_companion

log = logging.getLogger(__name__)

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
_PROJECT_ROOT = f"{{{NS_PROJECT}}}Project"
_CODEBOOK_ROOT = f"{{{NS_CODEBOOK}}}CodeBook"
# the labelled lines that pledge_analysis exports append to a code's description (read back whatever the
# current export writes, so that files written by earlier versions still round-trip)
_CODE_LABELS = (("include", "Include"), ("exclude", "Exclude"), ("keywords", "Keywords"), ("examples", "Examples"),
                ("survey_items", "Survey items"), ("concern", "Concern"), ("code_id", "Code id"))
_SEP = " | "

#: the fixed columns of the tables :func:`read_project_qdpx` returns besides segments, codings and codebook
TABLES = {
    "codes": ("code_id", "code_guid", "name", "is_codable"),
    "respondents": ("respondent_id", "case_guid"),
    "case_links": ("respondent_id", "case_guid", "target_type", "target_guid", "source_id", "segment_id", "code_id"),
    "source_variables": ("source_id", "variable", "value"),
    "memos": ("memo_id", "segment_id", "code_id", "coder", "text", "created_at", "name", "memo_guid"),
    "note_links": ("memo_id", "memo_guid", "target_type", "target_guid", "source_id", "segment_id", "code_id",
                   "start", "end"),
    "sets": ("set_guid", "set", "description", "member_type", "member_guid", "member"),
    "users": ("user_guid", "name", "user_id"),
    "not_imported": ("source", "kind", "path", "reason", "guid"),
}
_MEDIA = {"PDFSource": "a PDF", "PictureSource": "a picture", "AudioSource": "an audio recording",
          "VideoSource": "a video"}
_OUR_SELECTION_KEYS = ("segment_id",)  # a selection Description of ours is key=value lines naming its segment


def _table(rows: list[dict], name: str) -> pd.DataFrame:
    """Rows as a table with the fixed columns of ``name`` first (extra columns, e.g. case variables, after)."""
    cols = list(TABLES[name])
    df = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(columns=cols, dtype=object)
    for c in cols:
        if c not in df.columns:
            df[c] = None
    return df[cols + [c for c in df.columns if c not in cols]].astype(object)


# ------------------------------------------------------------------------------ codes
def _parse_code_description(text: str) -> dict:
    out = {"description": ""}
    desc = []
    labels = {label: col for col, label in _CODE_LABELS}
    for line in (text or "").split("\n"):
        head, _, rest = line.partition(": ")
        if head in labels and rest:
            col = labels[head]
            out[col] = rest.split(_SEP) if col in ("keywords", "examples", "survey_items") else rest
        else:
            desc.append(line)
    out["description"] = "\n".join(desc).strip()
    return out


def _read_codes(codes_el, ns: str, *, source: str = "REFI-QDA") -> pd.DataFrame:
    """The codebook of a ``<Codes>`` element. ``attrs["guids"]`` maps each code's GUID to its id and
    ``attrs["codable"]`` each id to its ``isCodable``. Colours are the author's: none where none is given."""
    from ..coding.codebook import codebook_from_records

    records = []

    def walk(el, parent):
        for code in el.findall(f"{{{ns}}}Code"):
            d = code.find(f"{{{ns}}}Description")
            meta = _parse_code_description(d.text if d is not None else "")
            code_id = meta.pop("code_id", None) or code.get("guid")
            records.append({"id": code_id, "name": code.get("name"), "parent": parent,
                            "colour": code.get("color"), **meta, "_guid": code.get("guid"),
                            "_codable": (code.get("isCodable") or "true").strip().lower() in ("true", "1")})
            walk(code, code_id)

    walk(codes_el, None)
    cb = codebook_from_records([{k: v for k, v in r.items() if not k.startswith("_")} for r in records],
                               source=source)
    # codebook_from_records gives a code without a colour a palette (or its theme's) colour: an imported code
    # keeps exactly what its author chose, so that an export does not present our colour as theirs
    cb["colour"] = pd.Series([r["colour"] if _present(r["colour"]) else None for r in records], index=cb.index,
                             dtype=object)
    cb.attrs["guids"] = {r["_guid"]: r["id"] for r in records}
    cb.attrs["codable"] = {r["id"]: r["_codable"] for r in records}
    return cb


def read_codebook_qdc(path: str | Path) -> pd.DataFrame:
    """Read a REFI-QDA codebook (``.qdc``) into a codebook table.

    Read as :func:`read_project_qdpx` reads: a file past the caps, with a DTD or entities, or not a
    ``<CodeBook>`` in the REFI-QDA 1.0 namespace is refused with a located :class:`InputError`.
    """
    path = _existing_file(path, "REFI-QDA codebook")
    data = _read_xml_file(path)
    if data[:4] == b"PK\x03\x04":
        raise InputError("not a REFI-QDA codebook: this file is a zip archive (a .qdpx project?)", path=path,
                         hint="Read a .qdpx project with read_project_qdpx; a .qdc codebook is one XML file.", code="PA114")
    root = _parse_xml(data, path=path, member=None, root=_CODEBOOK_ROOT)
    codes = root.find(f"{{{NS_CODEBOOK}}}Codes")
    if codes is None:
        _Where(path, None).fail("<CodeBook> has no <Codes> element", root)
    return _read_codes(codes, NS_CODEBOOK, source=f"REFI-QDA codebook {str(path)!r}")


def _parse_meta(text: str | None) -> dict:
    out = {}
    for line in (text or "").split("\n"):
        k, sep, v = line.partition("=")
        if sep:
            out[k.strip()] = v if v != "" else None
    return out


# ------------------------------------------------------------------------------ project
def read_project_qdpx(path: str | Path) -> dict[str, pd.DataFrame]:
    """Read a ``.qdpx`` into the tables described in this module's docstring (``segments``, ``codebook``,
    ``codings``, ``codes``, ``respondents``, ``case_links``, ``source_variables``, ``memos``, ``note_links``,
    ``sets``, ``users`` and ``not_imported``).

    Projects made by other tools (without our segment selections) become one segment per source. What cannot be
    imported (PDF and media sources, unreadable documents) is listed in ``not_imported`` and warned about, never
    dropped silently. The archive is read safely (see :data:`~pledge_analysis.io.safe_archive.MAX_MEMBER_BYTES`
    and the other caps): a malformed file is refused with a located :class:`InputError`, a hostile one (a zip
    bomb, a DTD or entities, a path outside the archive) with :class:`UnsafeInputError`; nothing is extracted to
    disk and no file or network address named inside is ever opened.
    """
    path = _existing_file(path, "REFI-QDA project")
    with _Archive(path) as archive:
        member = archive.project_member()
        root = _parse_xml(archive.read(member), path=path, member=member, root=_PROJECT_ROOT)
        where = _Where(path, member)
        docs = _Documents(archive, where, ns=NS_PROJECT, atlas="atlas" in (root.get("origin") or "").lower())
        elements = _text_elements(root)
        plans = {el: docs.plan(el) for el in elements}
        archive.reserve({m for pair in plans.values() for m in pair if m})
        texts, problems, cache = {}, {}, {}
        for el, (plain, rich) in plans.items():
            key = (plain, rich) if plain or rich else el
            if key not in cache:
                cache[key] = docs.text(el, plain, rich)
            texts[el], problems[el] = cache[key]
        companion = read_companion(archive)
    tables = _project_tables(root, texts, problems, where)
    if companion is not None:  # our own export: its companion file gives back exactly what was written
        tables = tables_from_companion(root, texts, companion, where, tables)
    tables = with_every_table(tables)
    _report(tables["not_imported"], path)
    return tables


def with_every_table(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``tables`` with every table of :data:`TABLES` (and segments, codings, codebook) present: a missing one
    empty with its fixed columns, so that callers can rely on the full set whichever reader made them."""
    out = dict(tables)
    for name in ("segments", "codings", "codebook"):
        out.setdefault(name, schema.empty(name))
    if "coding_guid" not in out["codings"].columns:  # codings keep their REFI-QDA identity (see the docstring)
        out["codings"] = out["codings"].assign(coding_guid=None, selection_guid=None)
    for name in TABLES:
        out.setdefault(name, _table([], name))
    return out


def _text_elements(root) -> list:
    """The elements whose text is read: text sources, PDF representations and notes."""
    q = lambda tag: f"{{{NS_PROJECT}}}{tag}"  # noqa: E731
    out = []
    for sources in root.findall(q("Sources")):
        for src in sources:
            if src.tag == q("TextSource"):
                out.append(src)
            elif src.tag == q("PDFSource") and src.find(q("Representation")) is not None:
                out.append(src.find(q("Representation")))
    for notes in root.findall(q("Notes")):
        out.extend(notes.findall(q("Note")))
    return out


def import_summary(tables: dict[str, pd.DataFrame]) -> str:
    """What a :func:`read_project_qdpx` brought in, and each thing it did not with why (the import log that the
    ``pledge-analysis import-qdpx`` command prints).

    >>> t = {name: pd.DataFrame() for name in ("segments", "codings", "memos", "sets", "users", "respondents")}
    >>> t["codebook"] = pd.DataFrame({"code_id": ["a"]})
    >>> t["not_imported"] = pd.DataFrame([{"source": "leaflet.pdf", "kind": "PDFSource", "path": "internal://1.pdf",
    ...                                    "reason": "a PDF: pledge_analysis reads text only"}])
    >>> print(import_summary(t))
    Imported: 0 segments from 0 sources, 1 code, 0 codings, 0 memos, 0 sets, 0 users, 0 cases.
    Not imported (1):
      PDFSource 'leaflet.pdf' (internal://1.pdf): a PDF: pledge_analysis reads text only
    """
    def n(name: str, what: str, count: int | None = None) -> str:
        k = len(tables[name]) if count is None else count
        return f"{k:,} {what}{'' if k == 1 else 's'}"

    tables = with_every_table(tables)
    seg = tables["segments"]
    sources = seg["source_id"].nunique() if "source_id" in seg.columns else 0
    sets = tables["sets"]["set_guid"].nunique() if "set_guid" in tables["sets"].columns else 0
    lines = [f"Imported: {n('segments', 'segment')} from {n('segments', 'source', sources)}, {n('codebook', 'code')}, "
             f"{n('codings', 'coding')}, {n('memos', 'memo')}, {n('sets', 'set', sets)}, {n('users', 'user')}, "
             f"{n('respondents', 'case')}."]
    gone = tables["not_imported"]
    if len(gone):
        lines.append(f"Not imported ({len(gone):,}):")
        for r in gone.to_dict("records"):
            where = f" ({r['path']})" if _present(r.get("path")) else ""
            lines.append(f"  {r['kind']} {r['source']!r}{where}: {r['reason']}")
    else:
        lines.append("Nothing was left out.")
    return "\n".join(lines)


def _report(not_imported: pd.DataFrame, path) -> None:
    if not len(not_imported):
        return
    kinds = Counter(not_imported["kind"])
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    warnings.warn(f"{path}: {summary} not imported (see the 'not_imported' table: "
                  + "; ".join(f"{r['source']!s}: {r['reason']}" for r in not_imported.head(5).to_dict("records"))
                  + ("; ..." if len(not_imported) > 5 else "") + ")", stacklevel=3)
    for r in not_imported.to_dict("records"):
        log.warning("%s: %s %r not imported: %s", path, r["kind"], r["source"], r["reason"])


def _project_tables(root, texts: dict, problems: dict, where: _Where) -> dict[str, pd.DataFrame]:
    q = lambda tag: f"{{{NS_PROJECT}}}{tag}"  # noqa: E731

    def description_text(el) -> str:
        d = el.find(q("Description"))
        return (d.text if d is not None else "") or ""

    users_rows = [{"user_guid": u.get("guid"), "name": u.get("name"), "user_id": u.get("id")}
                  for u in root.iter(q("User"))]
    users = {u["user_guid"]: u["name"] for u in users_rows}
    cb_el = root.find(q("CodeBook"))
    if cb_el is not None and cb_el.find(q("Codes")) is None:
        where.fail("<CodeBook> has no <Codes> element", cb_el)
    codebook = (_read_codes(cb_el.find(q("Codes")), NS_PROJECT, source=f"the <CodeBook> of {str(where.path)!r}")
                if cb_el is not None else schema.empty("codebook"))
    code_of = codebook.attrs.get("guids", {})
    names = dict(zip(codebook["code_id"], codebook["name"]))
    codes = [{"code_id": c, "code_guid": g, "name": names[c], "is_codable": codebook.attrs["codable"][c]}
             for g, c in code_of.items()]
    variables = {v.get("guid"): v.get("name") for v in root.iter(q("Variable"))}

    def variable_values(el, owner: str) -> dict:
        out = {}
        for vv in el.findall(q("VariableValue")):
            ref_el = vv.find(q("VariableRef"))
            if ref_el is None:
                where.fail(f"a <VariableValue> of {owner} has no <VariableRef>", vv)
            ref = ref_el.get("targetGUID")
            out[variables.get(ref, ref)] = next((c.text for c in vv if c.tag != q("VariableRef")), None)
        return out

    not_imported: list[dict] = []
    source_name: dict = {}     # source guid -> source id
    selection_at: dict = {}    # selection guid -> (source id, segment id, start, end) in the segment
    coding_at: dict = {}       # coding guid -> (source id, segment id, code id)
    note_targets: list[dict] = []  # (note guid, target type, target guid)
    source_vars: list[dict] = []
    segments, codings = [], []
    seg_of_source: dict = {}   # source id -> its segments' (offset, segment id), for the span of an annotation

    def read_text_source(src, name: str, guid: str):
        text = texts.get(src)
        if text is None:
            not_imported.append({"source": name, "kind": etree.QName(src).localname,
                                 "path": src.get("plainTextPath") or src.get("richTextPath"),
                                 "reason": problems.get(src) + _lost(src), "guid": guid})
            return
        source_name[guid] = name
        sels = src.findall(q("PlainTextSelection"))
        ours = {}
        for s in sels:
            if (s.get("name") or "").startswith("segment ") and s.find(q("Coding")) is None:
                meta = _parse_meta(description_text(s))
                if _present(meta.get("segment_id")):
                    ours[s] = meta
        spans: dict = {}
        for s, meta in ours.items():
            a, b = where.span(s, len(text))
            rec = {k: meta.get(k) for k in schema.SEGMENTS if k != "text"}
            rec["position"] = where.number(s, "position", rec.get("position"), int)
            rec["text"] = text[a:b]
            segments.append(rec)
            spans[rec["segment_id"]] = a
            selection_at[s.get("guid")] = (name, rec["segment_id"], 0, b - a)
        if not ours:  # a source from another tool: the whole document is one segment
            own = {str(k).lower(): v for k, v in variable_values(src, f"source {name!r}").items()}
            segments.append({k: None for k in schema.SEGMENTS} | {  # nothing known of speakers or questions
                "segment_id": guid, "source_id": name, "source_type": "document", "position": 0, "text": text,
                "site": own.get("site", own.get("site (source)")), "group": own.get("group", own.get("group (source)"))})
            spans[guid] = 0
        for var, value in variable_values(src, f"source {name!r}").items():
            source_vars.append({"source_id": name, "variable": var, "value": value})
        by_offset: dict = {}
        for seg, off in spans.items():
            by_offset.setdefault(off, seg)
        offsets = sorted(by_offset)
        seg_of_source[name] = (offsets, by_offset, spans, len(text))

        def segment_at(a: int) -> str:
            return by_offset[offsets[max(bisect.bisect_right(offsets, a) - 1, 0)]]

        for ref in src.findall(q("NoteRef")):
            note_targets.append({"note": ref.get("targetGUID"), "target_type": "source", "target_guid": guid,
                                 "source_id": name})
        for s in sels:
            if s in ours:
                for ref in s.findall(q("NoteRef")):
                    note_targets.append({"note": ref.get("targetGUID"), "target_type": "selection",
                                         "target_guid": s.get("guid"), "source_id": name,
                                         "segment_id": ours[s]["segment_id"], "start": 0,
                                         "end": selection_at[s.get("guid")][3]})
                continue
            text_desc = description_text(s)
            meta = _parse_meta(text_desc)
            mine = any(_present(meta.get(k)) for k in _OUR_SELECTION_KEYS)
            a, b = where.span(s, len(text))
            seg = meta.get("segment_id") if mine else None
            if seg is None:  # the segment the selection starts in
                seg = segment_at(a)
            elif seg not in spans:
                where.fail(f"a coding names segment {seg!r}, which is not a segment of this source", s)
            has_span = meta.get("has_span", "True") != "False" if mine else True
            rel = (a - spans[seg], b - spans[seg])
            selection_at[s.get("guid")] = (name, seg) + rel
            for ref in s.findall(q("NoteRef")):
                note_targets.append({"note": ref.get("targetGUID"), "target_type": "selection",
                                     "target_guid": s.get("guid"), "source_id": name, "segment_id": seg,
                                     "start": rel[0], "end": rel[1]})
            for coding in s.findall(q("Coding")):
                code = _code_ref(coding, code_of, where)
                coding_at[coding.get("guid")] = (name, seg, code)
                for ref in coding.findall(q("NoteRef")):
                    note_targets.append({"note": ref.get("targetGUID"), "target_type": "coding",
                                         "target_guid": coding.get("guid"), "source_id": name, "segment_id": seg,
                                         "code_id": code, "start": rel[0], "end": rel[1]})
                codings.append(_coding_row(
                    seg, code, meta if mine else {"memo": text_desc.strip() or None},
                    users.get(coding.get("creatingUser") or s.get("creatingUser"), "unknown"),
                    rel if has_span else (None, None),
                    None if mine else coding.get("creationDateTime") or s.get("creationDateTime"), where, s)
                    | {"coding_guid": coding.get("guid"), "selection_guid": s.get("guid")})
        for coding in src.findall(q("Coding")):  # a coding of the whole document
            if ours:
                where.fail("a <Coding> of a whole <TextSource> that is split into segments is not supported",
                           coding, hint="Code the segments (selections) instead, and export again.")
            code = _code_ref(coding, code_of, where)
            coding_at[coding.get("guid")] = (name, guid, code)
            codings.append(_coding_row(guid, code, {}, users.get(coding.get("creatingUser"), "unknown"),
                                       (None, None), coding.get("creationDateTime"), where, coding)
                           | {"coding_guid": coding.get("guid"), "selection_guid": None})

    for sources in root.findall(q("Sources")):
        for src in sources:
            kind = etree.QName(src).localname
            guid, name = src.get("guid"), src.get("name")
            if kind == "TextSource":
                read_text_source(src, name or guid, guid)
                continue
            rep = src.find(q("Representation")) if kind == "PDFSource" else None
            reason = f"{_MEDIA.get(kind, 'a ' + kind)}: pledge_analysis reads text only" + _lost(src, rep)
            if rep is not None:
                if texts.get(rep) is not None:
                    reason += "; its plain-text representation was imported as a text source of this name"
                else:
                    reason += f"; its plain-text representation cannot be read either: {problems.get(rep)}"
                if texts.get(rep) is not None:
                    read_text_source(rep, name or guid, rep.get("guid") or guid)
                    source_name[guid] = name or guid  # sets and cases name the PDF, not its representation
            elif kind in ("AudioSource", "VideoSource") and src.find(q("Transcript")) is not None:
                reason += "; its transcript is not read either"
            not_imported.append({"source": name or guid, "kind": kind, "path": src.get("path"), "reason": reason,
                                 "guid": guid})
            for var, value in variable_values(src, f"source {name!r}").items():
                source_vars.append({"source_id": name or guid, "variable": var, "value": value})

    # cases
    people, case_links = [], []
    for case in root.iter(q("Case")):
        cid = case.get("name") or case.get("guid")
        people.append({"respondent_id": cid, "case_guid": case.get("guid"),
                       **variable_values(case, f"case {case.get('name')!r}")})
        for ref in case.findall(q("SourceRef")):
            t = ref.get("targetGUID")
            case_links.append({"respondent_id": cid, "case_guid": case.get("guid"), "target_type": "source",
                               "target_guid": t, "source_id": source_name.get(t)})
        for ref in case.findall(q("SelectionRef")):
            t = ref.get("targetGUID")
            at = selection_at.get(t, (None, None, None, None))
            case_links.append({"respondent_id": cid, "case_guid": case.get("guid"), "target_type": "selection",
                               "target_guid": t, "source_id": at[0], "segment_id": at[1]})
        for ref in case.findall(q("CodeRef")):
            t = ref.get("targetGUID")
            case_links.append({"respondent_id": cid, "case_guid": case.get("guid"), "target_type": "code",
                               "target_guid": t, "code_id": code_of.get(t)})
    _cases_to_documents(segments, people, case_links)

    # notes, their targets, sets, and what else is not imported
    notes = {n.get("guid"): n for n in root.iter(q("Note"))}
    memo_id_of = {g: _memo_id(n, description_text(n)) for g, n in notes.items()}
    on_source: dict = {}
    for t in note_targets:
        if t["target_type"] == "source":
            on_source.setdefault(t["note"], []).append(t)
    for g, n in notes.items():
        for s in n.findall(q("PlainTextSelection")):  # a QualCoder annotation: the span is in the note
            for t in on_source.get(g, ()):
                if t.get("start") is None:
                    found = _segment_span(seg_of_source.get(t["source_id"]), s, where)
                    if found:
                        t["segment_id"], t["start"], t["end"] = found
    for ref in root.findall(q("NoteRef")):
        note_targets.append({"note": ref.get("targetGUID"), "target_type": "project", "target_guid": None})
    if cb_el is not None:
        for code_el in cb_el.iter(q("Code")):
            for ref in code_el.findall(q("NoteRef")):
                note_targets.append({"note": ref.get("targetGUID"), "target_type": "code",
                                     "target_guid": code_el.get("guid"), "code_id": code_of.get(code_el.get("guid"))})
    for links in root.findall(q("Links")):
        for link in links.findall(q("Link")):
            ends = (link.get("originGUID"), link.get("targetGUID"))
            if not any(e in notes for e in ends):
                not_imported.append({"source": link.get("name") or link.get("guid"), "kind": "Link",
                                     "path": None, "guid": link.get("guid"),
                                     "reason": "a link between two objects that are not notes is not imported"})
                continue
            note, other = ends if ends[0] in notes else ends[::-1]
            note_targets.append(_link_target(note, other, selection_at, coding_at, source_name, code_of))
    memos, targets_of = [], {}
    for t in note_targets:
        targets_of.setdefault(t["note"], []).append(t)
    for g, n in notes.items():
        meta = _parse_meta(description_text(n))
        ours = "coder" in meta or "segment_id" in meta
        mine = targets_of.get(g, [])
        text = texts.get(n)
        if text is None and n.get("plainTextPath") is None and n.get("richTextPath") is None:
            text = description_text(n)  # a note whose only text is its description
        if text is None:
            not_imported.append({"source": n.get("name") or g, "kind": "Note", "guid": g,
                                 "path": n.get("plainTextPath") or n.get("richTextPath"),
                                 "reason": f"the note's text cannot be read: {problems.get(n)}"})
            continue
        first = lambda col: next((t.get(col) for t in mine if _present(t.get(col))), None)  # noqa: E731
        memos.append({"memo_id": memo_id_of[g], "memo_guid": g, "name": n.get("name"),
                      "segment_id": meta.get("segment_id") if ours else first("segment_id"),
                      "code_id": meta.get("code_id") if ours else first("code_id"),
                      "coder": (meta.get("coder") if ours else None) or users.get(n.get("creatingUser")),
                      "text": text,
                      "created_at": (meta.get("created_at") if ours else None) or n.get("creationDateTime")})
    note_links = [{"memo_id": memo_id_of.get(t["note"]), "memo_guid": t["note"],
                   **{k: v for k, v in t.items() if k != "note"}} for t in note_targets]
    sets = []
    memo_of_guid = {g: memo_id_of[g] for g in notes}
    for st in root.iter(q("Set")):
        base = {"set_guid": st.get("guid"), "set": st.get("name"), "description": description_text(st) or None}
        members = [(kind, ref.get("targetGUID"), lookup.get(ref.get("targetGUID")))
                   for tag, kind, lookup in (("MemberCode", "code", code_of), ("MemberSource", "source", source_name),
                                             ("MemberNote", "note", memo_of_guid))
                   for ref in st.findall(q(tag))]
        sets.extend([{**base, "member_type": k, "member_guid": t, "member": m} for k, t, m in members] or [base])
    for graphs in root.findall(q("Graphs")):
        for graph in graphs.findall(q("Graph")):
            not_imported.append({"source": graph.get("name") or graph.get("guid"), "kind": "Graph", "path": None,
                                 "guid": graph.get("guid"), "reason": "graphs (network views) are not imported"})
    return {"segments": schema.conform(pd.DataFrame(segments), "segments") if segments else schema.empty("segments"),
            "codebook": codebook,
            "codings": (schema.conform(pd.DataFrame(codings), "codings") if codings else
                        schema.empty("codings").assign(coding_guid=None, selection_guid=None)),
            "codes": _table(codes, "codes"), "respondents": _table(people, "respondents"),
            "case_links": _table(case_links, "case_links"), "source_variables": _table(source_vars, "source_variables"),
            "memos": _table(memos, "memos"), "note_links": _table(note_links, "note_links"),
            "sets": _table(sets, "sets"), "users": _table(users_rows, "users"),
            "not_imported": _table(not_imported, "not_imported")}


def _lost(src, *skip) -> str:
    """``"; 3 codings on it are not imported"`` for the codings of a source that is not imported (those of
    an imported representation excepted)."""
    tag = f"{{{NS_PROJECT}}}Coding"
    n = sum(1 for _ in src.iter(tag)) - sum(1 for s in skip if s is not None for _ in s.iter(tag))
    return f"; {n} coding{'s' if n != 1 else ''} on it {'are' if n != 1 else 'is'} not imported" if n else ""


def _code_ref(coding, code_of: dict, where: _Where) -> str:
    ref = coding.find(f"{{{NS_PROJECT}}}CodeRef")
    if ref is None:
        where.fail("a <Coding> has no <CodeRef> to say which code it applies", coding)
    code = code_of.get(ref.get("targetGUID"))
    if code is None:
        where.fail(f"a <CodeRef> points to code {ref.get('targetGUID')!r}, which is not in the project's "
                   "<CodeBook>", ref)
    return code


def _coding_row(seg, code, meta: dict, coder, span, when, where: _Where, el) -> dict:
    return {"segment_id": seg, "code_id": code, "coder": coder, "method": meta.get("method") or "manual",
            "confidence": where.number(el, "confidence", meta.get("confidence"), float),
            "start": span[0], "end": span[1], "status": meta.get("status") or "accepted",
            "created_at": meta.get("created_at") or when, "memo": meta.get("memo"), "evidence": meta.get("evidence"),
            "negated": {"True": True, "False": False, "1": True, "0": False}.get(meta.get("negated"))}


def _memo_id(note, description: str):
    """Our exports name a note ``memo <id>`` and describe it with key=value lines; another program's note is
    known by its GUID."""
    name = note.get("name") or ""
    meta = _parse_meta(description)
    if name.startswith("memo ") and ("coder" in meta or "segment_id" in meta):
        return name[len("memo "):]
    return note.get("guid")


def _segment_span(layout, sel, where: _Where):
    """``(segment id, start, end)`` of a span given in a source's document (None when the source was not read)."""
    if layout is None:
        return None
    offsets, by_offset, spans, length = layout
    a, b = where.span(sel, length)
    seg = by_offset[offsets[max(bisect.bisect_right(offsets, a) - 1, 0)]]
    return seg, a - spans[seg], b - spans[seg]


def _link_target(note, other, selection_at, coding_at, source_name, code_of) -> dict:
    row = {"note": note, "target_type": "link", "target_guid": other}
    if other in selection_at:
        row.update(zip(("source_id", "segment_id", "start", "end"), selection_at[other]))
    elif other in coding_at:
        row.update(zip(("source_id", "segment_id", "code_id"), coding_at[other]))
    elif other in source_name:
        row["source_id"] = source_name[other]
    elif other in code_of:
        row["code_id"] = code_of[other]
    return row


def _cases_to_documents(segments: list[dict], people: list[dict], case_links: list[dict]) -> None:
    """A document from another program that exactly one case links as a whole (``SourceRef``) is that case's
    text: its segment takes the case as ``respondent_id``, and the case's ``site``/``group`` where the source
    gives none. Our own segments already name their respondent."""
    owners: dict = {}
    for link in case_links:
        if link["target_type"] == "source" and link.get("source_id") is not None:
            owners.setdefault(link["source_id"], set()).add(link["respondent_id"])
    attrs = {p["respondent_id"]: {str(k).lower(): v for k, v in p.items()} for p in people}
    for seg in segments:
        if seg.get("source_type") != "document":
            continue
        who = owners.get(seg["source_id"], set())
        if len(who) == 1:
            (rid,) = who
            seg["respondent_id"] = rid
            for col in ("site", "group"):
                if not _present(seg.get(col)) and _present(attrs[rid].get(col)):
                    seg[col] = attrs[rid][col]


def _parse_xml(data: bytes, *, path, member: str | None, root: str | None):
    """:func:`~pledge_analysis.io.safe_archive.parse_xml`, saying which REFI-QDA document a wrong root is."""
    return parse_xml(data, path=path, member=member, root=root, wrong_root=_wrong_root)


def _wrong_root(el, expected: str, where: _Where) -> None:
    found = etree.QName(el)
    if el.tag == _CODEBOOK_ROOT:
        where.fail("this is a REFI-QDA codebook (<CodeBook>), not a project", el,
                   hint="Read a .qdc codebook with read_codebook_qdc, or export the whole project as a .qdpx.")
    if el.tag == _PROJECT_ROOT:
        where.fail("this is a REFI-QDA project (<Project>), not a codebook (<CodeBook>)", el,
                   hint="Read a .qdpx project with read_project_qdpx, or export the codebook alone as a .qdc.")
    want = etree.QName(expected)
    where.fail(f"the root element is <{found.localname}> in namespace {found.namespace or '(none)'!r}, not "
               f"<{want.localname}> in the REFI-QDA 1.0 namespace {want.namespace!r}", el,
               hint="This is not a REFI-QDA 1.0 file. " + _AGAIN)
