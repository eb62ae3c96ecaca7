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

import hashlib
import io
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from lxml import etree

from .. import schema
from ..schema import present as _present
from .safe_archive import Archive as _Archive, existing_file as _existing_file, read_xml_file as _read_xml_file
# the reading side lives in refi_import.py; re-exported here so that ``from pledge_analysis.io.refi import
# read_project_qdpx`` keeps working
from .refi_import import NS_CODEBOOK, NS_PROJECT, read_codebook_qdc, read_project_qdpx  # noqa: F401
from .refi_import import _parse_xml

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


# ------------------------------------------------------------------------------ project
def _meta(pairs: dict) -> str:
    """``key=value`` lines; a missing value (None, NaN, "") gives ``key=``."""
    return "\n".join([f"{k}={v}" if v is not None and v == v and v != "" else f"{k}=" for k, v in pairs.items()])


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
