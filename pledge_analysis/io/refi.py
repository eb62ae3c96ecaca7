"""REFI-QDA exchange: projects (``.qdpx``) and codebooks (``.qdc``) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

A ``.qdpx`` is a zip of ``project.qde`` (XML in the ``urn:QDA-XML:project:1.0`` namespace) and a
``sources/`` folder of plain-text documents. Our mapping:

- each source file (a survey export or a transcript) is a ``TextSource``: one line per segment,
  ``"<speaker or respondent [question]>: <text>"``;
- each segment is a ``PlainTextSelection`` named ``segment <id>`` (its metadata in the description);
- each coding is a ``PlainTextSelection`` with a ``Coding`` of its code (offsets are Unicode code
  points, end exclusive), made by its coder as a ``User``; method, status and confidence travel in
  the selection's description;
- respondents and focus-group participants are ``Cases`` with ``Variables`` (site, group,
  demographics) and references to their segments; memos are ``Notes``.
- codes keep hierarchy, colour and description; our id, keywords, criteria, survey items and concern are
  appended to the description as labelled lines, so that a round trip loses nothing.

Writers use lxml; :func:`validate` checks a document against the REFI-QDA XSDs. The export is linear in
the number of segments and codings (100,000 transcript turns in seconds).

The readers treat every file as hostile (the safe zip and XML layer is :mod:`pledge_analysis.io.safe_archive`):
archive members are inflated in bounded chunks within caps (``MAX_MEMBER_BYTES``, ``MAX_TOTAL_BYTES``,
``MAX_MEMBERS``, ``MAX_XML_ELEMENTS`` there), XML is
parsed without DTDs, entity expansion or network access, member and document paths that leave the archive
are refused, nothing is extracted to disk, and every refusal is an :class:`~pledge_analysis.errors.InputError`
(:class:`~pledge_analysis.errors.UnsafeInputError` for a hostile file) naming the file, the member and the line.
"""
from __future__ import annotations

import bisect
import hashlib
import io
import uuid
import warnings
import zipfile
from collections import Counter
from datetime import datetime, timezone
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
_GUID_NS = uuid.UUID("6b1c7f3e-8d0a-4c55-9b57-2f4f0c1e7a10")
_GUID_NS_BYTES = _GUID_NS.bytes
_CODE_LABELS = (("include", "Include"), ("exclude", "Exclude"), ("keywords", "Keywords"), ("examples", "Examples"),
                ("survey_items", "Survey items"), ("concern", "Concern"), ("code_id", "Code id"))
_SEP = " | "


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


def _records(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")`` with plain Python values, several times faster on large tables."""
    cols = list(df.columns)
    return [dict(zip(cols, row)) for row in zip(*(df[c].tolist() for c in cols))] if len(cols) else [{}] * len(df)


def _colour(c) -> str | None:
    if isinstance(c, str) and len(c) in (4, 7) and c.startswith("#"):
        return c
    return None


# ------------------------------------------------------------------------------ codes
def _code_description(r) -> str:
    lines = [str(r["description"] or "")]
    for col, label in _CODE_LABELS:
        v = r[col] if col in r else None
        if isinstance(v, list):
            v = _SEP.join(v)
        if _present(v):
            lines.append(f"{label}: {v}")
    return "\n".join(lines)


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


def _codes_element(parent, cb: pd.DataFrame, ns: str) -> None:
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    children: dict = {}
    for r in cb.to_dict("records"):
        children.setdefault(r["parent_id"] if _present(r["parent_id"]) else None, []).append(r)

    def add(el, r):
        attrs = {"guid": guid("code", r["code_id"]), "name": str(r["name"]), "isCodable": "true"}
        if _colour(r.get("colour")):
            attrs["color"] = _colour(r["colour"])
        code = etree.SubElement(el, f"{{{ns}}}Code", attrs)
        etree.SubElement(code, f"{{{ns}}}Description").text = _code_description(r)
        for child in children.get(r["code_id"], []):
            add(code, child)

    for r in children.get(None, []):
        add(codes, r)


def codebook_qdc_bytes(cb: pd.DataFrame, *, origin: str = "pledge_analysis") -> bytes:
    root = etree.Element(f"{{{NS_CODEBOOK}}}CodeBook", {"origin": origin}, nsmap={None: NS_CODEBOOK})
    _codes_element(root, cb, NS_CODEBOOK)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_codebook_qdc(cb: pd.DataFrame, path: str | Path) -> None:
    """Write a REFI-QDA codebook (``.qdc``)."""
    Path(path).write_bytes(codebook_qdc_bytes(cb))


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


# ------------------------------------------------------------------------------ project
def _meta(pairs: dict) -> str:
    """``key=value`` lines; a missing value (None, NaN, "") gives ``key=``."""
    return "\n".join([f"{k}={v}" if v is not None and v == v and v != "" else f"{k}=" for k, v in pairs.items()])


def _parse_meta(text: str | None) -> dict:
    out = {}
    for line in (text or "").split("\n"):
        k, sep, v = line.partition("=")
        if sep:
            out[k.strip()] = v if v != "" else None
    return out


def _iso(ts) -> str:
    if _present(ts):
        try:
            return pd.Timestamp(ts).tz_localize(None).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (ValueError, TypeError):
            pass
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def project_qdpx_bytes(*, segments: pd.DataFrame, codebook: pd.DataFrame, codings: pd.DataFrame,
                       respondents: pd.DataFrame | None = None, memos: pd.DataFrame | None = None,
                       name: str = "Service Pledge project") -> bytes:
    """The ``.qdpx`` archive (zip bytes) for these tables."""
    P = NS_PROJECT
    q = lambda tag: f"{{{P}}}{tag}"  # noqa: E731
    now = _iso(None)
    root = etree.Element(q("Project"), {"name": name, "origin": "pledge_analysis", "creationDateTime": now},
                         nsmap={None: P})
    coders = sorted(set(codings["coder"].dropna().astype(str)) | set((memos["coder"].dropna().astype(str))
                                                                      if memos is not None and len(memos) else set()))
    if coders:
        users = etree.SubElement(root, q("Users"))
        for c in coders:
            etree.SubElement(users, q("User"), {"guid": guid("user", c), "name": c})
    cb_el = etree.SubElement(root, q("CodeBook"))
    _codes_element(cb_el, codebook, P)
    people = respondents if respondents is not None else pd.DataFrame(columns=["respondent_id"])
    attr_cols = [c for c in ("site", "group", "source_type", "age_band", "ethnicity", "imd_quintile", "role")
                 if c in people.columns]
    segs = segments.copy()
    segs["_order"] = segs["respondent_id"].fillna("").astype(str)
    segs = segs.sort_values(["source_id", "_order", "position"], kind="stable")
    # participants of focus groups become cases too
    extra = segs[segs["source_type"] != "survey"].dropna(subset=["respondent_id"]).drop_duplicates("respondent_id")
    case_rows = pd.concat([people, extra[["respondent_id", "site", "group", "source_type"]]], ignore_index=True) \
        .drop_duplicates("respondent_id")
    if len(case_rows):
        variables = etree.SubElement(root, q("Variables"))
        for col in attr_cols or ["site", "group"]:
            etree.SubElement(variables, q("Variable"), {"guid": guid("variable", col), "name": col,
                                                        "typeOfVariable": "Text"})
    selection_guid = {s: guid("segment", s) for s in segs["segment_id"]}
    by_person = segs.dropna(subset=["respondent_id"]).groupby("respondent_id")["segment_id"].apply(list).to_dict()
    if len(case_rows):
        cases = etree.SubElement(root, q("Cases"))
        for r in case_rows.to_dict("records"):
            case = etree.SubElement(cases, q("Case"), {"guid": guid("case", r["respondent_id"]),
                                                       "name": str(r["respondent_id"])})
            for col in attr_cols or ["site", "group"]:
                if _present(r.get(col)):
                    vv = etree.SubElement(case, q("VariableValue"))
                    etree.SubElement(vv, q("VariableRef"), {"targetGUID": guid("variable", col)})
                    etree.SubElement(vv, q("TextValue")).text = str(r[col])
            for s in by_person.get(r["respondent_id"], []):
                etree.SubElement(case, q("SelectionRef"), {"targetGUID": selection_guid[s]})
    memo_by_segment: dict = {}
    if memos is not None and len(memos):
        for m in memos.to_dict("records"):
            memo_by_segment.setdefault(m.get("segment_id"), []).append(m)
    files = {}
    sources = etree.SubElement(root, q("Sources"))
    code_guid = {c: guid("code", c) for c in codebook["code_id"]}
    user_guid: dict = {}
    iso: dict = {}

    def user(c):
        if c not in user_guid:
            user_guid[c] = guid("user", c)
        return user_guid[c]

    def stamp(ts):
        key = ts if _present(ts) else None
        if key not in iso:
            iso[key] = _iso(key)
        return iso[key]

    # each source's codings in table order, found through a dict (no scan of the table per source or segment)
    sources_of: dict = {}
    for source_id, seg_id in zip(segs["source_id"], segs["segment_id"]):
        sources_of.setdefault(seg_id, set()).add(source_id)
    codings_of: dict = {}
    for c in _records(codings):
        for source_id in sources_of.get(c["segment_id"], ()):
            codings_of.setdefault(source_id, []).append(c)
    seg_meta = [k for k in schema.SEGMENTS if k != "text"]
    for source_id, g in segs.groupby("source_id", sort=True):
        records = _records(g)
        text, offsets = _source_layout(records)
        seg_len: dict = {}
        sg = guid("source", source_id)
        files[f"sources/{sg}.txt"] = text.encode("utf-8")
        src = etree.SubElement(sources, q("TextSource"), {"guid": sg, "name": str(source_id),
                                                          "plainTextPath": f"internal://{sg}.txt"})
        for r in records:
            start = offsets[r["segment_id"]]
            length = len(str(r["text"]))
            seg_len.setdefault(r["segment_id"], length)
            sel = etree.SubElement(src, q("PlainTextSelection"), {
                "guid": selection_guid[r["segment_id"]], "name": f"segment {r['segment_id']}",
                "startPosition": str(start), "endPosition": str(start + length)})
            etree.SubElement(sel, q("Description")).text = _meta({k: r.get(k) for k in seg_meta})
            for m in memo_by_segment.get(r["segment_id"], []):
                etree.SubElement(sel, q("NoteRef"), {"targetGUID": guid("memo", m["memo_id"])})
        for k, c in enumerate(codings_of.get(source_id, [])):
            if c["code_id"] not in code_guid:
                continue
            base = offsets[c["segment_id"]]
            s = base + (int(c["start"]) if _present(c["start"]) else 0)
            e = base + (int(c["end"]) if _present(c["end"]) else seg_len[c["segment_id"]])
            key = (c.get("coding_id"), c["segment_id"], c["code_id"], c["coder"], c["start"], c["end"], k)
            when = stamp(c.get("created_at"))
            sel = etree.SubElement(src, q("PlainTextSelection"), {
                "guid": guid("selection", key), "name": str(c["code_id"]), "startPosition": str(s),
                "endPosition": str(e), "creatingUser": user(c["coder"]), "creationDateTime": when})
            etree.SubElement(sel, q("Description")).text = _meta(
                {"segment_id": c["segment_id"], "method": c.get("method"), "status": c.get("status"),
                 "confidence": c.get("confidence"), "evidence": c.get("evidence"),
                 "negated": bool(float(c["negated"])) if _present(c.get("negated")) else None,
                 "memo": c.get("memo"), "created_at": c.get("created_at"), "has_span": _present(c["start"])})
            coding = etree.SubElement(sel, q("Coding"), {"guid": guid("coding", key), "creatingUser": user(c["coder"]),
                                                         "creationDateTime": when})
            etree.SubElement(coding, q("CodeRef"), {"targetGUID": code_guid[c["code_id"]]})
    if memos is not None and len(memos):
        notes = etree.SubElement(root, q("Notes"))
        for m in memos.to_dict("records"):
            note = etree.SubElement(notes, q("Note"), {"guid": guid("memo", m["memo_id"]), "name": f"memo {m['memo_id']}",
                                                       "creatingUser": guid("user", m["coder"]),
                                                       "creationDateTime": _iso(m.get("created_at"))})
            etree.SubElement(note, q("Description")).text = _meta(
                {"segment_id": m.get("segment_id"), "code_id": m.get("code_id"), "coder": m.get("coder"),
                 "created_at": m.get("created_at")})
            etree.SubElement(note, q("PlainTextContent")).text = str(m["text"])
    qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        for name_, data in files.items():
            z.writestr(name_, data)
    return buf.getvalue()


def write_project_qdpx(path: str | Path, **tables) -> None:
    """Write a ``.qdpx`` project (keyword tables as in :func:`project_qdpx_bytes`)."""
    Path(path).write_bytes(project_qdpx_bytes(**tables))


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
            segments.append({k: None for k in schema.SEGMENTS} | {  # nothing known of sites or speakers
                "segment_id": sid, "source_id": src.get("name") or sid, "source_type": "document", "position": 0,
                "text": text})
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


def validate(document: bytes | str | Path, xsd: str | Path) -> list[str]:
    """Validate an XML document (bytes, or a path; for a ``.qdpx`` its ``project.qde``) against an XSD.

    Returns the schema's error messages (empty when valid). The document is read as the readers read.
    """
    path, member = None, None
    if isinstance(document, (str, Path)):
        path = _existing_file(document, "REFI-QDA file")
        if path.suffix.lower() == ".qdpx":
            with _Archive(path) as archive:
                member = archive.project_member()
                document = archive.read(member)
        else:
            document = _read_xml_file(path)
    schema_ = etree.XMLSchema(etree.parse(str(xsd)))
    doc = _parse_xml(document, path=path or "<bytes>", member=member, root=None)
    return [] if schema_.validate(doc) else [f"line {e.line}: {e.message}" for e in schema_.error_log]


# ------------------------------------------------------------------------------ safe reading
# the caps, zip and XML checks live in io/safe_archive.py; here, what is REFI-QDA about them
_PROJECT_ROOT = f"{{{NS_PROJECT}}}Project"
_CODEBOOK_ROOT = f"{{{NS_CODEBOOK}}}CodeBook"


def _parse_xml(data: bytes, *, path, member: str | None, root: str | None):
    """:func:`~pledge_analysis.io.safe_archive.parse_xml`, saying which REFI-QDA document a wrong root is."""
    return parse_xml(data, path=path, member=member, root=root, wrong_root=_wrong_root)


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
