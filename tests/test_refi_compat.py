"""REFI-QDA import compatibility: small projects shaped like the exports of MAXQDA 24, ATLAS.ti 23, NVivo and QualCoder.

The fixtures are written here, from the REFI-QDA 1.0 schema and from what those programs are documented (and, for
QualCoder, coded: its ``refi.py`` exporter) to emit; no file of theirs is copied. Each is imported, and what is
kept (texts, codings, sets, notes and their targets, users, cases, colours) and what is listed as not imported
(PDF, pictures, media, unreadable documents) is asserted; then it is exported with our writer and read back, and
the content (not the bytes: the export side changes on its own) is asserted again.

What each fixture carries that the others do not:

- MAXQDA 24: a ``.docx`` ``richTextPath`` beside each plain text, one source with *only* a ``.docx``, document and
  code sets, a coding comment in the selection's ``Description``, a coded picture.
- ATLAS.ti 23: Windows line ends counted as one character, memos (``Notes``) linked by ``NoteRef`` from a
  quotation, a coding and a code, a quotation with two codes, an uncoded commented quotation, a code without a
  colour, users with ids, an external audio file.
- NVivo 14: the ``Sources/`` folder capitalised, a UTF-8 byte-order mark, cases with site/group variables linked to
  whole interviews by ``SourceRef``, a ``Link`` from an annotation note to a selection, a coded PDF, a graph.
- QualCoder 3.x: categories as ``isCodable="false"`` codes, a journal note in a ``plainTextPath`` file, an
  annotation note with its own ``PlainTextSelection`` referenced from its source, source variables, a PDF with a
  plain-text ``Representation`` and codings on it, a case linked by ``SourceRef``.
"""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from pledge_analysis.io.refi import project_qdpx_bytes, read_project_qdpx, validate
from tests.conftest import EXTERNAL

P = "urn:QDA-XML:project:1.0"
XSD = EXTERNAL / "refi-qda" / "Project.xsd"


def G(n: int) -> str:
    """A GUID for object ``n`` of a fixture (upper case, as MAXQDA and NVivo write them, for odd ``n``)."""
    g = f"{n:08x}-0000-4000-8000-{n:012x}"
    return g.upper() if n % 2 else g


def span(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    """The code-point offsets of ``part`` in ``text`` (its ``nth`` occurrence)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(part, at + 1)
    return at, at + len(part)


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write(path, qde: str, members: dict) -> object:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        for name, data in members.items():
            z.writestr(name, data)
    if XSD.exists():  # the fixtures themselves are valid REFI-QDA 1.0
        assert validate(path, XSD) == []
    return path


def sel(guid: int, text: str, part: str, codes=(), user: int | None = None, desc: str | None = None,
        notes=(), coding_notes=(), nth: int = 0, when: str = "2025-05-04T10:00:00Z") -> str:
    a, b = span(text, part, nth)
    who = f' creatingUser="{G(user)}"' if user else ""
    out = (f'<PlainTextSelection guid="{G(guid)}" name="{part[:20]}" startPosition="{a}" endPosition="{b}"{who} '
           f'creationDateTime="{when}">')
    if desc is not None:
        out += f"<Description>{desc}</Description>"
    for k, c in enumerate(codes):
        out += f'<Coding guid="{G(guid * 100 + k)}"{who}><CodeRef targetGUID="{G(c)}"/>'
        out += "".join(f'<NoteRef targetGUID="{G(n)}"/>' for n in (coding_notes if k == 0 else ()))
        out += "</Coding>"
    out += "".join(f'<NoteRef targetGUID="{G(n)}"/>' for n in notes)
    return out + "</PlainTextSelection>"


def coded(tables: dict) -> list[tuple]:
    """(source, quoted text, code name, coder) of every coding, sorted: what a researcher sees."""
    seg = tables["segments"].set_index("segment_id")
    names = dict(zip(tables["codebook"]["code_id"], tables["codebook"]["name"]))
    out = []
    for c in tables["codings"].to_dict("records"):
        text = seg.at[c["segment_id"], "text"]
        quote = text if pd.isna(c["start"]) else text[int(c["start"]):int(c["end"])]
        out.append((seg.at[c["segment_id"], "source_id"], quote, names[c["code_id"]], c["coder"]))
    return sorted(out)


def round_trip(tables: dict, tmp_path) -> dict:
    """Export the imported tables with our writer and read them back."""
    data = project_qdpx_bytes(segments=tables["segments"], codebook=tables["codebook"], codings=tables["codings"],
                              respondents=tables["respondents"], memos=tables["memos"], name="round trip")
    (tmp_path / "back.qdpx").write_bytes(data)
    if XSD.exists():
        assert validate(tmp_path / "back.qdpx", XSD) == []
    return read_project_qdpx(tmp_path / "back.qdpx")


def assert_round_trip(tables: dict, back: dict) -> None:
    assert sorted(back["segments"]["text"]) == sorted(tables["segments"]["text"])
    assert coded(back) == coded(tables)
    cols = ["code_id", "name", "parent_id", "colour"]
    key = lambda cb: cb[cols].astype(str).sort_values("code_id").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(back["codebook"]), key(tables["codebook"]))
    assert sorted(back["memos"]["text"]) == sorted(tables["memos"]["text"])


def not_imported(tables: dict) -> dict:
    return {r["source"]: (r["kind"], r["reason"]) for r in tables["not_imported"].to_dict("records")}


# ------------------------------------------------------------------------------ MAXQDA 24
MAXQDA_A = "Interview A\nThe breast care nurse rang me back the same day.\nParking was a nightmare."
MAXQDA_B = ["Interview B", "Nobody explained the side effects.", "The nurse was lovely."]


@pytest.fixture
def maxqda(tmp_path):
    t = MAXQDA_A
    b = "\n".join(MAXQDA_B)
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{P}" name="Pledge interviews" '
           f'origin="MAXQDA 24 (Release 24.5.0)" creationDateTime="2025-05-01T09:00:00Z">'
           f'<Users><User guid="{G(1)}" name="Jo Smith"/></Users>'
           f'<CodeBook><Codes>'
           f'<Code guid="{G(10)}" name="Communication" isCodable="true" color="#ff0000">'
           f'<Code guid="{G(11)}" name="Information about treatment" isCodable="true" color="#ff8080"/></Code>'
           f'<Code guid="{G(12)}" name="Access" isCodable="true" color="#0000ff"/>'
           f'</Codes></CodeBook><Sources>'
           f'<TextSource guid="{G(20)}" name="Interview A" richTextPath="internal://{G(20)}.docx" '
           f'plainTextPath="internal://{G(20)}.txt" creatingUser="{G(1)}" creationDateTime="2025-05-01T09:05:00Z">'
           + sel(21, t, "rang me back the same day", [10], 1, desc="Good example for the booklet")
           + sel(22, t, "Parking was a nightmare.", [12], 1) +
           f'</TextSource>'
           f'<TextSource guid="{G(30)}" name="Interview B" richTextPath="internal://{G(30)}.docx" '
           f'creatingUser="{G(1)}">'
           + sel(31, b, "Nobody explained the side effects.", [11], 1) +
           f'</TextSource>'
           f'<PictureSource guid="{G(40)}" name="Clinic signage" path="internal://{G(40)}.png">'
           f'<PictureSelection guid="{G(41)}" firstX="0" firstY="0" secondX="10" secondY="10">'
           f'<Coding guid="{G(42)}"><CodeRef targetGUID="{G(12)}"/></Coding></PictureSelection></PictureSource>'
           f'</Sources><Sets>'
           f'<Set guid="{G(50)}" name="Site A interviews"><Description>Document set</Description>'
           f'<MemberSource targetGUID="{G(20)}"/><MemberSource targetGUID="{G(30)}"/></Set>'
           f'<Set guid="{G(51)}" name="Pledge themes"><MemberCode targetGUID="{G(11)}"/>'
           f'<MemberCode targetGUID="{G(12)}"/></Set>'
           f'<Set guid="{G(52)}" name="Empty set"/>'
           f'</Sets></Project>')
    return write(tmp_path / "maxqda.qdpx", qde, {
        f"sources/{G(20)}.txt": t.encode(), f"sources/{G(20)}.docx": docx_bytes(*t.split("\n")),
        f"sources/{G(30)}.docx": docx_bytes(*MAXQDA_B), f"sources/{G(40)}.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64})


def test_maxqda_docx_sources_sets_and_a_picture(maxqda, tmp_path):
    with pytest.warns(UserWarning, match="1 PictureSource not imported"):
        t = read_project_qdpx(maxqda)
    seg = t["segments"].set_index("source_id")
    assert seg.at["Interview A", "text"] == MAXQDA_A  # the plain text, not the .docx
    assert seg.at["Interview B", "text"] == "\n".join(MAXQDA_B)  # only a .docx: its paragraphs
    assert coded(t) == [("Interview A", "Parking was a nightmare.", "Access", "Jo Smith"),
                        ("Interview A", "rang me back the same day", "Communication", "Jo Smith"),
                        ("Interview B", "Nobody explained the side effects.", "Information about treatment",
                         "Jo Smith")]
    memo = t["codings"].set_index("code_id").at[G(10), "memo"]
    assert memo == "Good example for the booklet"
    assert (t["codings"]["created_at"] == "2025-05-04T10:00:00Z").all()
    sets = t["sets"]
    docs = sets[sets["set"] == "Site A interviews"]
    assert docs["member_type"].tolist() == ["source", "source"]
    assert docs["member"].tolist() == ["Interview A", "Interview B"] and docs["description"].iloc[0] == "Document set"
    assert sets[sets["set"] == "Pledge themes"]["member"].tolist() == [G(11), G(12)]
    assert sets[sets["set"] == "Empty set"]["member_type"].isna().all()
    kind, reason = not_imported(t)["Clinic signage"]
    assert kind == "PictureSource" and "picture" in reason and "1 coding on it is not imported" in reason
    assert t["users"].to_dict("records") == [{"user_guid": G(1), "name": "Jo Smith", "user_id": None}]
    assert dict(zip(t["codebook"]["name"], t["codebook"]["colour"]))["Access"] == "#0000ff"
    assert_round_trip(t, round_trip(t, tmp_path))


# ------------------------------------------------------------------------------ ATLAS.ti 23
ATLAS = "Q1 What was the wait like?\r\nP: Three weeks for results, it felt endless.\r\nP: The staff were kind."


@pytest.fixture
def atlas(tmp_path):
    # ATLAS.ti positions count "\r\n" as one character (QualCoder's importer documents this): the offsets
    # below are computed on the text as ATLAS.ti counts it
    t = ATLAS.replace("\r\n", "\n")
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{P}" name="Pledge focus groups" '
           f'origin="ATLAS.ti 23.2.1 (Windows)" creatingUserGUID="{G(1)}">'
           f'<Users><User guid="{G(1)}" name="Sam" id="S1"/><User guid="{G(3)}" name="Ali" id="A2"/></Users>'
           f'<CodeBook><Codes>'
           f'<Code guid="{G(10)}" name="Waiting times" isCodable="true" color="#ffaa00">'
           f'<NoteRef targetGUID="{G(62)}"/></Code>'
           f'<Code guid="{G(12)}" name="Kindness" isCodable="true"/>'
           f'<Code guid="{G(14)}" name="Emotional impact" isCodable="true" color="#336699"/>'
           f'</Codes></CodeBook><Sources>'
           f'<TextSource guid="{G(20)}" name="Focus group 1" plainTextPath="internal://{G(20)}.txt" '
           f'creatingUser="{G(1)}">'
           + sel(21, t, "Three weeks for results, it felt endless.", [10, 14], 1, notes=[60])
           + sel(22, t, "The staff were kind.", [12], 3, coding_notes=[61])
           + sel(23, t, "What was the wait like?", [], 1, notes=[63]) +
           f'</TextSource>'
           f'<AudioSource guid="{G(40)}" name="Focus group 1 recording" path="absolute://C:/Audio/fg1.m4a">'
           f'<AudioSelection guid="{G(41)}" begin="0" end="1000"><Coding guid="{G(42)}">'
           f'<CodeRef targetGUID="{G(10)}"/></Coding></AudioSelection></AudioSource>'
           f'</Sources><Notes>'
           f'<Note guid="{G(60)}" name="Comment on quotation" creatingUser="{G(1)}" '
           f'creationDateTime="2025-06-01T12:00:00Z"><PlainTextContent>Compare with the CPES item</PlainTextContent>'
           f'</Note>'
           f'<Note guid="{G(61)}" name="Coding memo" creatingUser="{G(3)}"><PlainTextContent>Staff, not '
           f'volunteers</PlainTextContent></Note>'
           f'<Note guid="{G(62)}" name="Code memo"><PlainTextContent>Days from referral to result</PlainTextContent>'
           f'</Note>'
           f'<Note guid="{G(63)}" name="Moderator question"><PlainTextContent>Prompt from the topic guide'
           f'</PlainTextContent></Note>'
           f'<Note guid="{G(64)}" name="Project memo"><PlainTextContent>Coded by two analysts</PlainTextContent>'
           f'</Note></Notes><NoteRef targetGUID="{G(64)}"/></Project>')
    return write(tmp_path / "atlas.qdpx", qde, {f"sources/{G(20)}.txt": ATLAS.encode()})


def test_atlas_notes_and_their_targets_users_and_line_ends(atlas, tmp_path):
    with pytest.warns(UserWarning, match="1 AudioSource not imported"):
        t = read_project_qdpx(atlas)
    assert t["segments"]["text"].tolist() == [ATLAS.replace("\r\n", "\n")]
    assert coded(t) == [("Focus group 1", "The staff were kind.", "Kindness", "Ali"),
                        ("Focus group 1", "Three weeks for results, it felt endless.", "Emotional impact", "Sam"),
                        ("Focus group 1", "Three weeks for results, it felt endless.", "Waiting times", "Sam")]
    links = t["note_links"].set_index("memo_guid")
    seg = t["segments"]["segment_id"].iloc[0]
    text = t["segments"]["text"].iloc[0]
    assert links.at[G(60), "target_type"] == "selection" and links.at[G(60), "segment_id"] == seg
    assert text[links.at[G(60), "start"]:links.at[G(60), "end"]] == "Three weeks for results, it felt endless."
    assert links.at[G(61), "target_type"] == "coding" and links.at[G(61), "code_id"] == G(12)
    assert links.at[G(62), "target_type"] == "code" and links.at[G(62), "code_id"] == G(10)
    assert text[links.at[G(63), "start"]:links.at[G(63), "end"]] == "What was the wait like?"  # uncoded quotation
    assert links.at[G(64), "target_type"] == "project"
    memos = t["memos"].set_index("memo_guid")
    assert memos.at[G(61), "text"] == "Staff, not volunteers" and memos.at[G(61), "coder"] == "Ali"
    assert memos.at[G(61), "code_id"] == G(12) and memos.at[G(60), "segment_id"] == seg
    assert memos.at[G(60), "created_at"] == "2025-06-01T12:00:00Z"
    assert t["users"].set_index("name")["user_id"].to_dict() == {"Sam": "S1", "Ali": "A2"}
    colours = dict(zip(t["codebook"]["name"], t["codebook"]["colour"]))
    assert colours == {"Waiting times": "#ffaa00", "Kindness": None, "Emotional impact": "#336699"}
    kind, reason = not_imported(t)["Focus group 1 recording"]
    assert kind == "AudioSource" and "audio" in reason and "1 coding" in reason
    assert t["not_imported"].set_index("source").at["Focus group 1 recording", "path"].startswith("absolute://")
    back = round_trip(t, tmp_path)
    assert_round_trip(t, back)
    assert dict(zip(back["codebook"]["name"], back["codebook"]["colour"]))["Kindness"] is None  # none invented


# ------------------------------------------------------------------------------ NVivo 14
NVIVO = {"Interview 01": "I was seen at the one-stop clinic within two weeks.",
         "Interview 02": "Nobody told me about the support group."}


@pytest.fixture
def nvivo(tmp_path):
    a, b = NVIVO["Interview 01"], NVIVO["Interview 02"]
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{P}" name="Pledge" origin="NVivo 14.23.0 '
           f'(Windows)"><Users><User guid="{G(1)}" name="PATIENT EXPERIENCE LEAD" id="PEL"/></Users>'
           f'<CodeBook><Codes><Code guid="{G(10)}" name="Timeliness" isCodable="true" color="#00aa00"/>'
           f'<Code guid="{G(12)}" name="Support" isCodable="true" color="#aa00aa"/></Codes></CodeBook>'
           f'<Variables><Variable guid="{G(70)}" name="site" typeOfVariable="Text"/>'
           f'<Variable guid="{G(71)}" name="group" typeOfVariable="Text"/>'
           f'<Variable guid="{G(72)}" name="age" typeOfVariable="Integer"/></Variables>'
           f'<Cases>'
           f'<Case guid="{G(80)}" name="Patient 01"><VariableValue><VariableRef targetGUID="{G(70)}"/>'
           f'<TextValue>Northgate</TextValue></VariableValue><VariableValue><VariableRef targetGUID="{G(71)}"/>'
           f'<TextValue>primary</TextValue></VariableValue><VariableValue><VariableRef targetGUID="{G(72)}"/>'
           f'<IntegerValue>54</IntegerValue></VariableValue><SourceRef targetGUID="{G(20)}"/></Case>'
           f'<Case guid="{G(81)}" name="Patient 02"><VariableValue><VariableRef targetGUID="{G(70)}"/>'
           f'<TextValue>Southfield</TextValue></VariableValue><SourceRef targetGUID="{G(30)}"/></Case>'
           f'</Cases><Sources>'
           f'<TextSource guid="{G(20)}" name="Interview 01" plainTextPath="internal://{G(20)}.txt" '
           f'richTextPath="internal://{G(20)}.docx">'
           + sel(21, a, "within two weeks", [10], 1) +
           f'</TextSource>'
           f'<TextSource guid="{G(30)}" name="Interview 02" plainTextPath="internal://{G(30)}.txt">'
           + sel(31, b, "Nobody told me about the support group.", [12], 1) +
           f'<Coding guid="{G(35)}" creatingUser="{G(1)}"><CodeRef targetGUID="{G(12)}"/></Coding>'
           f'</TextSource>'
           f'<PDFSource guid="{G(40)}" name="Patient leaflet" path="internal://{G(40)}.pdf">'
           f'<PDFSelection guid="{G(41)}" page="1" firstX="0" firstY="0" secondX="5" secondY="5">'
           f'<Coding guid="{G(42)}"><CodeRef targetGUID="{G(12)}"/></Coding></PDFSelection>'
           f'<PDFSelection guid="{G(43)}" page="2" firstX="0" firstY="0" secondX="5" secondY="5">'
           f'<Coding guid="{G(44)}"><CodeRef targetGUID="{G(10)}"/></Coding></PDFSelection></PDFSource>'
           f'</Sources><Notes><Note guid="{G(60)}" name="Annotation" plainTextPath="internal://{G(60)}.txt"/>'
           f'</Notes><Links><Link guid="{G(90)}" name="annotation" originGUID="{G(60)}" targetGUID="{G(21)}"/>'
           f'<Link guid="{G(91)}" name="see also" originGUID="{G(20)}" targetGUID="{G(30)}"/></Links>'
           f'<Graphs><Graph guid="{G(95)}" name="Concept map"/></Graphs></Project>')
    bom = b"\xef\xbb\xbf"
    return write(tmp_path / "nvivo.qdpx", qde, {
        f"Sources/{G(20)}.txt": bom + a.encode(), f"Sources/{G(20)}.docx": docx_bytes(a),
        f"Sources/{G(30)}.txt": bom + b.encode(), f"Sources/{G(40)}.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        f"Sources/{G(60)}.txt": bom + "Check the wait against the 2-week standard".encode()})


def test_nvivo_cases_by_source_pdf_links_and_a_bom(nvivo, tmp_path):
    with pytest.warns(UserWarning, match="1 Graph, 1 Link, 1 PDFSource not imported"):
        t = read_project_qdpx(nvivo)
    seg = t["segments"].set_index("source_id")
    assert seg["text"].to_dict() == NVIVO  # no byte-order mark in the text, so offsets hold
    assert seg.loc["Interview 01", ["respondent_id", "site", "group"]].tolist() == ["Patient 01", "Northgate",
                                                                                    "primary"]
    assert seg.at["Interview 02", "respondent_id"] == "Patient 02" and seg.at["Interview 02", "site"] == "Southfield"
    links = t["case_links"]
    assert links[["respondent_id", "target_type", "source_id"]].values.tolist() == [
        ["Patient 01", "source", "Interview 01"], ["Patient 02", "source", "Interview 02"]]
    people = t["respondents"].set_index("respondent_id")
    assert people.at["Patient 01", "age"] == "54" and people.at["Patient 01", "case_guid"] == G(80)
    assert coded(t) == [("Interview 01", "within two weeks", "Timeliness", "PATIENT EXPERIENCE LEAD"),
                        ("Interview 02", NVIVO["Interview 02"], "Support", "PATIENT EXPERIENCE LEAD"),
                        ("Interview 02", "Nobody told me about the support group.", "Support",
                         "PATIENT EXPERIENCE LEAD")]
    kind, reason = not_imported(t)["Patient leaflet"]
    assert kind == "PDFSource" and "PDF" in reason and "2 codings on it are not imported" in reason
    note = t["note_links"].set_index("memo_guid").loc[G(60)]
    assert note["target_type"] == "link" and note["source_id"] == "Interview 01"
    assert NVIVO["Interview 01"][note["start"]:note["end"]] == "within two weeks"
    assert t["memos"]["text"].tolist() == ["Check the wait against the 2-week standard"]
    assert not_imported(t)["see also"][0] == "Link" and not_imported(t)["Concept map"][0] == "Graph"
    back = round_trip(t, tmp_path)
    assert_round_trip(t, back)
    assert back["respondents"].set_index("respondent_id").at["Patient 01", "site"] == "Northgate"


# ------------------------------------------------------------------------------ QualCoder 3.x
QC_TEXT = "Respondent 7: The chemo unit phoned me every week. Parking costs add up."
QC_PDF = "Leaflet text: call the breast care nurse on weekdays."


@pytest.fixture
def qualcoder(tmp_path):
    """As QualCoder's exporter (``src/qualcoder/refi.py``, ``RefiExport``) writes: categories are codes with
    isCodable="false" and no colour; a coding's memo is its selection's Description and the selection is named
    by its text; journals are notes with a plainTextPath; an annotation is a note holding a PlainTextSelection,
    referenced by a NoteRef of its source; a PDF is a PDFSource with a plain-text Representation."""
    t, pdf = QC_TEXT, QC_PDF
    qde = (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
           f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="pledge.qda" origin="QualCoder 3.6" '
           f'creatingUserGUID="{G(2)}" creationDateTime="2025-04-01T08:00:00Z" xmlns="{P}">\n'
           f'<Users>\n<User guid="{G(1)}" name="default" />\n</Users>\n'
           f'<CodeBook>\n<Codes>\n<Code guid="{G(12)}" name="Costs" isCodable="true" color="#F781F3" />\n'
           f'<Code guid="{G(13)}" name="Care" isCodable="false">\n<Description>A category</Description>\n'
           f'<Code guid="{G(10)}" name="Contact" isCodable="true" color="#81BEF7">\n'
           f'<Description>Staff keep in touch</Description>\n</Code>\n</Code>\n</Codes>\n</CodeBook>\n'
           f'<Variables>\n<Variable guid="{G(70)}" name="Site" typeOfVariable="Text" >\n<Description />\n'
           f'</Variable>\n<Variable guid="{G(71)}" name="pages" typeOfVariable="Float" >\n<Description />\n'
           f'</Variable>\n</Variables>\n'
           f'<Cases>\n<Case guid="{G(80)}" name="Respondent 7">\n<Description />\n<VariableValue>\n'
           f'<VariableRef targetGUID="{G(70)}" />\n<TextValue>Westmoor</TextValue>\n</VariableValue>\n'
           f'<SourceRef targetGUID="{G(20)}"/>\n<SourceRef targetGUID="{G(40)}"/>\n</Case>\n</Cases>\n'
           f'<Sources>\n<TextSource plainTextPath="internal://{G(20)}.txt" creatingUser="{G(1)}" '
           f'creationDateTime="2025-04-01T08:10:00Z" guid="{G(20)}" name="survey_free_text.txt">\n'
           + sel(21, t, "The chemo unit phoned me every week.", [10], 1, desc="Proactive contact") + "\n"
           + sel(22, t, "Parking costs add up.", [12], 1) + "\n" +
           f'<NoteRef targetGUID="{G(61)}" />\n<VariableValue>\n<VariableRef targetGUID="{G(70)}" />\n'
           f'<TextValue>Westmoor</TextValue>\n</VariableValue>\n</TextSource>\n'
           f'<PDFSource path="internal://{G(40)}.pdf" creatingUser="{G(1)}" '
           f'creationDateTime="2025-04-01T08:20:00Z" guid="{G(40)}" name="leaflet.pdf">\n'
           f'<Representation guid="{G(41)}" plainTextPath="internal://{G(41)}.txt" creatingUser="{G(1)}" '
           f'name="leaflet.pdf">\n' + sel(42, pdf, "call the breast care nurse", [10], 1) + "\n"
           f'</Representation><VariableValue>\n<VariableRef targetGUID="{G(71)}" />\n<FloatValue>2</FloatValue>\n'
           f'</VariableValue>\n</PDFSource>\n</Sources>\n'
           f'<Notes>\n<Note guid="{G(60)}" creatingUser="{G(1)}" creationDateTime="2025-04-02T09:00:00Z" '
           f'name="Reflexive journal"  plainTextPath="internal://{G(60)}.txt" >\n<Description /></Note>\n'
           f'<Note guid="{G(61)}" creatingUser="{G(1)}" creationDateTime="2025-04-02T09:30:00Z" >\n'
           f'<PlainTextContent>Ask about the parking permit scheme</PlainTextContent>\n'
           f'<PlainTextSelection guid="{G(62)}" startPosition="{span(t, "Parking costs")[0]}" '
           f'endPosition="{span(t, "Parking costs")[1]}" />\n</Note>\n</Notes>\n</Project>')
    return write(tmp_path / "qualcoder.qdpx", qde, {
        f"sources/{G(20)}.txt": t.encode(), f"sources/{G(40)}.pdf": b"%PDF-1.4\n",
        f"sources/{G(41)}.txt": pdf.encode(), f"sources/{G(60)}.txt": "Day 1: started coding".encode()})


def test_qualcoder_categories_journals_annotations_and_pdf_text(qualcoder, tmp_path):
    with pytest.warns(UserWarning, match="1 PDFSource not imported"):
        t = read_project_qdpx(qualcoder)
    codes = t["codes"].set_index("name")
    assert codes["is_codable"].to_dict() == {"Costs": True, "Care": False, "Contact": True}
    cb = t["codebook"].set_index("name")
    assert cb.at["Contact", "parent_id"] == G(13) and cb.at["Contact", "description"] == "Staff keep in touch"
    assert cb.at["Care", "colour"] is None and cb.at["Contact", "colour"] == "#81BEF7"
    assert coded(t) == [("leaflet.pdf", "call the breast care nurse", "Contact", "default"),
                        ("survey_free_text.txt", "Parking costs add up.", "Costs", "default"),
                        ("survey_free_text.txt", "The chemo unit phoned me every week.", "Contact", "default")]
    assert pd.isna(t["codings"].set_index("code_id").at[G(12), "memo"])
    assert "Proactive contact" in t["codings"]["memo"].tolist()
    kind, reason = not_imported(t)["leaflet.pdf"]
    assert kind == "PDFSource" and "representation was imported" in reason and "coding" not in reason
    memos = t["memos"].set_index("memo_guid")
    assert memos.at[G(60), "text"] == "Day 1: started coding" and memos.at[G(60), "name"] == "Reflexive journal"
    ann = t["note_links"].set_index("memo_guid").loc[G(61)]
    assert ann["target_type"] == "source" and ann["source_id"] == "survey_free_text.txt"
    assert QC_TEXT[ann["start"]:ann["end"]] == "Parking costs"
    sv = t["source_variables"]
    assert sv.values.tolist() == [["survey_free_text.txt", "Site", "Westmoor"], ["leaflet.pdf", "pages", "2"]]
    seg = t["segments"].set_index("source_id")
    assert seg.at["survey_free_text.txt", "site"] == "Westmoor"  # a variable named Site (any case) is the site
    assert seg["respondent_id"].to_dict() == {"survey_free_text.txt": "Respondent 7", "leaflet.pdf": "Respondent 7"}
    assert t["case_links"]["source_id"].tolist() == ["survey_free_text.txt", "leaflet.pdf"]  # the PDF by its name
    assert_round_trip(t, round_trip(t, tmp_path))


# ------------------------------------------------------------------------------ documents that cannot be read
def test_unreadable_documents_are_listed_never_a_crash(tmp_path):
    """A source whose only document is an .rtf, a damaged .docx, no document at all, or a non-UTF-8 plain text is
    listed with why; a non-UTF-8 plain text with a .docx beside it is read from the .docx."""
    qde = (f'<Project xmlns="{P}" name="t" origin="test"><Sources>'
           f'<TextSource guid="{G(1)}" name="rtf only" richTextPath="internal://{G(1)}.rtf"/>'
           f'<TextSource guid="{G(2)}" name="broken docx" richTextPath="internal://{G(2)}.docx"/>'
           f'<TextSource guid="{G(3)}" name="no text"/>'
           f'<TextSource guid="{G(4)}" name="cp1252" plainTextPath="internal://{G(4)}.txt"/>'
           f'<TextSource guid="{G(5)}" name="cp1252 with docx" plainTextPath="internal://{G(5)}.txt" '
           f'richTextPath="internal://{G(5)}.docx"/>'
           f'</Sources></Project>')
    write(tmp_path / "p.qdpx", qde, {
        f"sources/{G(1)}.rtf": b"{\\rtf1 hello}", f"sources/{G(2)}.docx": b"PK\x03\x04x",
        f"sources/{G(4)}.txt": "Café".encode("cp1252"), f"sources/{G(5)}.txt": "Café".encode("cp1252"),
        f"sources/{G(5)}.docx": docx_bytes("Café staff")})
    with pytest.warns(UserWarning, match="4 TextSource not imported"):
        t = read_project_qdpx(tmp_path / "p.qdpx")
    reasons = {k: v[1] for k, v in not_imported(t).items()}
    assert "not a .docx" in reasons["rtf only"] and "cannot be read" in reasons["broken docx"]
    assert "no text" in reasons["no text"] and "not UTF-8" in reasons["cp1252"]
    assert t["segments"][["source_id", "text"]].values.tolist() == [["cp1252 with docx", "Café staff"]]


def test_command_line_lists_what_was_not_imported_and_writes_the_tables(nvivo, tmp_path, capsys):
    from pledge_analysis.cli import main
    from pledge_analysis.coding import read_codebook

    assert main(["import-qdpx", str(nvivo), "--out", str(tmp_path / "tables")]) == 0
    out = capsys.readouterr().out
    assert "Imported: 2 segments from 2 sources, 2 codes, 3 codings, 1 memo, 0 sets, 1 user, 2 cases." in out
    assert "Not imported (3):" in out
    assert f"  PDFSource 'Patient leaflet' (internal://{G(40)}.pdf): a PDF" in out and "2 codings" in out
    assert read_codebook(tmp_path / "tables" / "codebook.yaml")["name"].tolist() == ["Timeliness", "Support"]
    gone = pd.read_csv(tmp_path / "tables" / "not_imported.csv")
    assert sorted(gone["kind"]) == ["Graph", "Link", "PDFSource"]
    assert pd.read_csv(tmp_path / "tables" / "segments.csv")["respondent_id"].tolist() == ["Patient 01", "Patient 02"]


def test_our_export_after_another_program_dropped_the_companion_file(tmp_path):
    """A program that re-exports our project keeps the REFI-QDA XML but not our companion file: the generic reader
    still finds each source's site and group (``site (source)``), its one person (``SourceRef``) and the codings."""
    from pledge_analysis.coding.codebook import codebook_from_records

    rows = [("a.txt", "NGU", "The nurse was kind."), ("a.txt", "NGU", "Parking was bad."),
            ("b.txt", "SGH", "Results took weeks.")]
    segs = pd.DataFrame([{"segment_id": f"s{i}", "source_id": src, "site": site, "group": "primary",
                          "source_type": "interview", "respondent_id": f"{src}:P1", "speaker": "P1",
                          "role": "participant", "position": i, "text": text} for i, (src, site, text) in enumerate(rows)])
    cb = codebook_from_records([{"id": "kind", "name": "Kindness"}, {"id": "wait", "name": "Waiting"}])
    codings = pd.DataFrame([{"segment_id": "s0", "code_id": "kind", "coder": "alice", "method": "manual",
                             "status": "accepted", "start": 4, "end": 9},
                            {"segment_id": "s2", "code_id": "wait", "coder": "alice", "method": "manual",
                             "status": "accepted", "start": None, "end": None}])
    ours = zipfile.ZipFile(io.BytesIO(project_qdpx_bytes(segments=segs, codebook=cb, codings=codings)))
    kept = {n: ours.read(n) for n in ours.namelist() if not n.endswith(".json")}
    assert len(kept) < len(ours.namelist())  # the companion file is gone
    t = read_project_qdpx(write(tmp_path / "reexported.qdpx", kept.pop("project.qde").decode(), kept))
    seg = t["segments"].set_index("source_id")
    assert seg[["site", "group", "respondent_id"]].values.tolist() == [["NGU", "primary", "a.txt:P1"],
                                                                       ["SGH", "primary", "b.txt:P1"]]
    quotes = {q for _, q, name, _ in coded(t) if name in ("Kindness", "Waiting")}
    assert quotes == {"nurse", "Results took weeks."}
