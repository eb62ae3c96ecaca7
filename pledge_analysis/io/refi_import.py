"""REFI-QDA import: read ``.qdpx`` projects and ``.qdc`` codebooks made by us or by NVivo, ATLAS.ti, MAXQDA, QualCoder.

The writing side (and the mapping of our tables to REFI-QDA) is :mod:`pledge_analysis.io.refi`, which re-exports
:func:`read_project_qdpx` and :func:`read_codebook_qdc` from here.

The readers treat every file as hostile (the safe zip and XML layer is :mod:`pledge_analysis.io.safe_archive`):
archive members are inflated in bounded chunks within caps (``MAX_MEMBER_BYTES``, ``MAX_TOTAL_BYTES``,
``MAX_MEMBERS``, ``MAX_XML_ELEMENTS`` there), XML is
parsed without DTDs, entity expansion or network access, member and document paths that leave the archive
are refused, nothing is extracted to disk, and every refusal is an :class:`~pledge_analysis.errors.InputError`
(:class:`~pledge_analysis.errors.UnsafeInputError` for a hostile file) naming the file, the member and the line.
"""
from __future__ import annotations

import bisect
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
from lxml import etree

from .. import schema
from ..errors import InputError, UnsafeInputError
from ..schema import present as _present
from .safe_archive import _AGAIN, _HOSTILE, Archive as _Archive, Where as _Where, existing_file as _existing_file
from .safe_archive import outside as _outside, parse_xml, read_xml_file as _read_xml_file

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
_PROJECT_ROOT = f"{{{NS_PROJECT}}}Project"
_CODEBOOK_ROOT = f"{{{NS_CODEBOOK}}}CodeBook"
# the labelled lines that pledge_analysis exports append to a code's description (read back whatever the
# current export writes, so that files written by earlier versions still round-trip)
_CODE_LABELS = (("include", "Include"), ("exclude", "Exclude"), ("keywords", "Keywords"), ("examples", "Examples"),
                ("survey_items", "Survey items"), ("concern", "Concern"), ("code_id", "Code id"))
_SEP = " | "


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
    from ..coding.codebook import codebook_from_records

    records = []

    def walk(el, parent):
        for code in el.findall(f"{{{ns}}}Code"):
            d = code.find(f"{{{ns}}}Description")
            meta = _parse_code_description(d.text if d is not None else "")
            code_id = meta.pop("code_id", None) or code.get("guid")
            records.append({"id": code_id, "name": code.get("name"), "parent": parent,
                            "colour": code.get("color"), **meta, "_guid": code.get("guid")})
            walk(code, code_id)

    walk(codes_el, None)
    cb = codebook_from_records([{k: v for k, v in r.items() if k != "_guid"} for r in records], source=source)
    cb.attrs["guids"] = {r["_guid"]: r["id"] for r in records}
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
                         hint="Read a .qdpx project with read_project_qdpx; a .qdc codebook is one XML file.")
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


def read_project_qdpx(path: str | Path) -> dict[str, pd.DataFrame]:
    """Read a ``.qdpx`` into ``segments``, ``codebook``, ``codings``, ``respondents`` and ``memos`` tables.

    Projects made by other tools (without our segment selections) become one segment per source.
    The archive is read safely (see :data:`MAX_MEMBER_BYTES` and the other caps): a malformed file is
    refused with a located :class:`InputError`, a hostile one (a zip bomb, a DTD or entities, a path
    outside the archive) with :class:`UnsafeInputError`; nothing is extracted to disk and no file or
    network address named inside is ever opened.
    """
    path = _existing_file(path, "REFI-QDA project")
    with _Archive(path) as archive:
        member = archive.project_member()
        root = _parse_xml(archive.read(member), path=path, member=member, root=_PROJECT_ROOT)
        where = _Where(path, member)
        documents = {src: _document_member(src, archive, where) for src in root.iter(f"{{{NS_PROJECT}}}TextSource")}
        archive.reserve({m for m in documents.values() if m})
        texts = {m: archive.text(m) for m in sorted({m for m in documents.values() if m})}
    return _project_tables(root, {src: texts.get(m) for src, m in documents.items()}, where)


def _project_tables(root, texts: dict, where: "_Where") -> dict[str, pd.DataFrame]:
    q = lambda tag: f"{{{NS_PROJECT}}}{tag}"  # noqa: E731

    def description(el) -> dict:
        d = el.find(q("Description"))
        return _parse_meta(d.text if d is not None else "")

    users = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    cb_el = root.find(q("CodeBook"))
    if cb_el is not None and cb_el.find(q("Codes")) is None:
        where.fail("<CodeBook> has no <Codes> element", cb_el)
    codebook = (_read_codes(cb_el.find(q("Codes")), NS_PROJECT, source=f"the <CodeBook> of {str(where.path)!r}")
                if cb_el is not None else schema.empty("codebook"))
    code_of = codebook.attrs.get("guids", {})
    variables = {v.get("guid"): v.get("name") for v in root.iter(q("Variable"))}
    people = []
    for case in root.iter(q("Case")):
        rec = {"respondent_id": case.get("name")}
        for vv in case.findall(q("VariableValue")):
            ref_el = vv.find(q("VariableRef"))
            if ref_el is None:
                where.fail(f"a <VariableValue> of case {case.get('name')!r} has no <VariableRef>", vv)
            ref = ref_el.get("targetGUID")
            rec[variables.get(ref, ref)] = next((c.text for c in vv if c.tag != q("VariableRef")), None)
        people.append(rec)
    segments, codings = [], []
    for src, text in texts.items():
        if text is None:
            content = src.find(q("PlainTextContent"))
            text = (content.text if content is not None else "") or ""
        sels = src.findall(q("PlainTextSelection"))
        seg_sels = [s for s in sels if (s.get("name") or "").startswith("segment ") and s.find(q("Coding")) is None]
        spans: dict = {}
        for s in seg_sels:
            meta = description(s)
            a, b = where.span(s, len(text))
            rec = {k: meta.get(k) for k in schema.SEGMENTS if k != "text"}
            rec["position"] = where.number(s, "position", rec.get("position"), int)
            rec["text"] = text[a:b]
            if not _present(rec.get("segment_id")):
                where.fail("a segment's <PlainTextSelection> has no segment_id in its <Description>", s)
            segments.append(rec)
            spans[rec["segment_id"]] = a
        if not seg_sels:  # a source from another tool: the whole document is one segment
            sid = src.get("guid")
            segments.append({"segment_id": sid, "source_id": src.get("name") or sid, "source_type": "document",
                             "position": 0, "text": text})
            spans[sid] = 0
        by_offset: dict = {}
        for seg, off in spans.items():
            by_offset.setdefault(off, seg)
        offsets = sorted(by_offset)
        for el in src.findall(q("Coding")):  # a coding of the whole document
            sels.append(el)
        for s in sels:
            coding = s if s.tag == q("Coding") else s.find(q("Coding"))
            if coding is None:
                continue
            if coding is s:
                if seg_sels:
                    where.fail("a <Coding> of a whole <TextSource> that is split into segments is not supported", s,
                               hint="Code the segments (selections) instead, and export again.")
                meta, a, b = {"has_span": "False"}, 0, len(text)
            else:
                meta = description(s)
                a, b = where.span(s, len(text))
            seg = meta.get("segment_id")
            if seg is None:  # the segment the selection starts in
                seg = by_offset[offsets[max(bisect.bisect_right(offsets, a) - 1, 0)]]
            elif seg not in spans:
                where.fail(f"a coding names segment {seg!r}, which is not a segment of this source", s)
            ref = coding.find(q("CodeRef"))
            if ref is None:
                where.fail("a <Coding> has no <CodeRef> to say which code it applies", coding)
            code = code_of.get(ref.get("targetGUID"))
            if code is None:
                where.fail(f"a <CodeRef> points to code {ref.get('targetGUID')!r}, which is not in the project's "
                           "<CodeBook>", ref)
            has_span = meta.get("has_span", "True") != "False"
            codings.append({
                "segment_id": seg, "code_id": code,
                "coder": users.get(coding.get("creatingUser") or s.get("creatingUser"), "unknown"),
                "method": meta.get("method") or "manual",
                "confidence": where.number(s, "confidence", meta.get("confidence"), float),
                "start": a - spans[seg] if has_span else None, "end": b - spans[seg] if has_span else None,
                "status": meta.get("status") or "accepted", "created_at": meta.get("created_at"),
                "memo": meta.get("memo"), "evidence": meta.get("evidence"),
                "negated": {"True": True, "False": False, "1": True, "0": False}.get(meta.get("negated")),
            })
    others = Counter(etree.QName(el).localname for el in root.iterfind(q("Sources") + "/*")
                     if el.tag != q("TextSource"))
    if others:
        warnings.warn(f"{where.path}: {', '.join(f'{n} {k}' for k, n in sorted(others.items()))} not imported "
                      "(only text sources are read)", stacklevel=3)
    memos = []
    for note in root.iter(q("Note")):
        meta = description(note)
        content = note.find(q("PlainTextContent"))
        memos.append({"segment_id": meta.get("segment_id"), "code_id": meta.get("code_id"),
                      "coder": meta.get("coder") or users.get(note.get("creatingUser")),
                      "text": content.text if content is not None else "", "created_at": meta.get("created_at")})
    return {"segments": schema.conform(pd.DataFrame(segments), "segments"), "codebook": codebook,
            "codings": schema.conform(pd.DataFrame(codings), "codings") if codings else schema.empty("codings"),
            "respondents": pd.DataFrame(people), "memos": pd.DataFrame(memos)}


def _document_member(src, archive: _Archive, where: _Where) -> str | None:
    """The archive member holding a TextSource's document (None when its text is inline). Only members of the
    archive are ever read: a path to a file on this machine or on the network is refused."""
    name, text_path = src.get("name"), src.get("plainTextPath")
    if text_path is None:
        if src.find(f"{{{NS_PROJECT}}}PlainTextContent") is None:
            where.fail(f"<TextSource> {name!r} has neither a plainTextPath nor a <PlainTextContent>", src)
        return None
    if not text_path.startswith("internal://"):
        where.fail(f"<TextSource> {name!r} points to a document outside the archive ({text_path!r})", src,
                   hint="pledge_analysis reads only documents inside the .qdpx, never other files on this machine "
                        "or the network: export the project again with its documents embedded (internal:// paths).")
    rel = text_path[len("internal://"):]
    if not rel or _outside(rel):
        raise UnsafeInputError(f"<TextSource> {name!r} has plainTextPath {text_path!r}, which climbs out of the "
                               "archive's sources/ folder", path=where.path, member=where.member,
                               line=src.sourceline, hint=_HOSTILE + _AGAIN)
    member = archive.source_member(rel)
    if member is None:
        where.fail(f"the document of <TextSource> {name!r} ({text_path!r}) is missing: no member "
                   f"{'sources/' + rel!r} in the archive", src)
    return member


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
