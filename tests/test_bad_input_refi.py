"""Bad-input corpus, REFI-QDA imports: malformed and hostile ``.qdpx`` / ``.qdc`` files.

Every case is generated here, in ``tmp_path``, from synthetic text. Each asserts that the reader
raises a :class:`~pledge_analysis.errors.PledgeError` subclass (never a raw lxml, zipfile or
MemoryError), that the message names the file (and the zip member and XML line where they apply)
and says what to do, that nothing is written anywhere, and that the refusal is quick and cheap in
memory (a member declaring 4 GB is refused before a byte is inflated).
"""
from __future__ import annotations

import io
import os
import resource
import socket
import struct
import threading
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pledge_analysis.coding import codebook_from_records
from pledge_analysis.errors import CodebookError, InputError, MissingFileError, PledgeError, UnsafeInputError
from pledge_analysis.io import refi, safe_archive
from pledge_analysis.io.refi import read_codebook_qdc, read_project_qdpx, write_codebook_qdc, write_project_qdpx

P = refi.NS_PROJECT
C = refi.NS_CODEBOOK
G1, G2, G3, G4 = ("11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222",
                  "33333333-3333-4333-8333-333333333333", "44444444-4444-4444-8444-444444444444")
TEXT = "P1: The nurses were kind.\nP2: The wait was long."


# ------------------------------------------------------------------------------ builders
def qde(sources: str = "", codebook: str = "", prolog: str = "", root: str = "Project", ns: str = P) -> str:
    cb = codebook or f'<CodeBook><Codes><Code guid="{G1}" name="Kindness" isCodable="true"/></Codes></CodeBook>'
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<{root} xmlns="{ns}" name="t" origin="test">\n'
            f'{cb}\n<Sources>{sources}</Sources>\n</{root}>\n')


def text_source(path: str = f"internal://{G2}.txt", selections: str = "") -> str:
    return f'<TextSource guid="{G2}" name="t.txt" plainTextPath="{path}">{selections}</TextSource>'


def coding(start="4", end="25", code=G1) -> str:
    return (f'<PlainTextSelection guid="{G3}" name="kind" startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="{G4}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def qdpx(path: Path, members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return path


def project(path: Path, document: str, text: bytes | str = TEXT, extra: dict | None = None) -> Path:
    return qdpx(path, {"project.qde": document, f"sources/{G2}.txt": text, **(extra or {})})


def patch_headers(path: Path, member: str, *, size: int | None = None, flags: int | None = None,
                  method: int | None = None) -> Path:
    """Rewrite a member's declared uncompressed size, flag bits or method in its local and central headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        local = z.getinfo(member).header_offset
    eocd = data.rfind(b"PK\x05\x06")
    pos = struct.unpack_from("<I", data, eocd + 16)[0]
    while data[pos:pos + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46:pos + 46 + n].decode() == member:
            for base, (f_flags, f_method, f_size) in ((pos, (8, 10, 24)), (local, (6, 8, 22))):
                if size is not None:
                    struct.pack_into("<I", data, base + f_size, size)
                if flags is not None:
                    struct.pack_into("<H", data, base + f_flags, flags)
                if method is not None:
                    struct.pack_into("<H", data, base + f_method, method)
        pos += 46 + n + m + k
    path.write_bytes(bytes(data))
    return path


def valid_project(path: Path) -> Path:
    segs = pd.DataFrame({"segment_id": ["s1"], "source_id": ["t.txt"], "site": ["A"], "group": ["primary"],
                         "source_type": ["focus_group"], "respondent_id": ["t.txt:P1"], "speaker": ["P1"],
                         "position": [0], "text": ["The nurses were kind."]})
    cb = codebook_from_records([{"id": "kind", "name": "Kindness"}])
    c = pd.DataFrame([{"segment_id": "s1", "code_id": "kind", "coder": "alice", "method": "manual",
                       "status": "accepted", "start": 4, "end": 20}])
    write_project_qdpx(path, segments=segs, codebook=cb, codings=c)
    return path


LAUGHS = ('<!DOCTYPE Project [\n<!ENTITY lol "lol">\n'
          + "".join(f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">\n' for i in range(1, 10))
          + "]>\n")


# ------------------------------------------------------------------------------ the check
def _listing(folder: Path) -> set:
    return {(str(p), p.stat().st_size) for p in folder.rglob("*")} if folder.exists() else set()


def refused(read, path: Path, cls: type = InputError, *, where: tuple = (), seconds: float = 2.0,
            traced_mb: float = 64) -> PledgeError:
    """Call ``read(path)``, check the refusal and return the exception."""
    watched = [path.parent.parent, Path.cwd()]
    before = [_listing(f) for f in watched[:1]] + [set(os.listdir(watched[1]))]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    t = time.perf_counter()
    try:
        with pytest.raises(cls) as info:
            read(path)
        elapsed = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    finally:
        tracemalloc.stop()
    err = info.value
    assert isinstance(err, PledgeError) and type(err).__module__ == "pledge_analysis.errors"
    message = str(err)
    assert str(path) in message, message
    for fragment in where:
        assert fragment in message, (fragment, message)
    assert isinstance(err, InputError) and err.hint, "the message must say what to do"
    assert "Traceback" not in message and "lxml" not in message
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert peak < traced_mb, f"{peak:.0f} MB traced"
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024 < 300  # kB on Linux
    assert [_listing(f) for f in watched[:1]] + [set(os.listdir(watched[1]))] == before, "something was written"
    return err


# ------------------------------------------------------------------------------ sanity
def test_a_valid_export_still_reads(tmp_path):
    back = read_project_qdpx(valid_project(tmp_path / "ok.qdpx"))
    assert back["segments"]["text"].tolist() == ["The nurses were kind."]
    assert back["codings"][["start", "end"]].values.tolist() == [[4, 20]]


# ------------------------------------------------------------------------------ not a project at all
def test_missing_file(tmp_path):
    refused(read_project_qdpx, tmp_path / "nowhere.qdpx", MissingFileError)
    refused(read_codebook_qdc, tmp_path / "nowhere.qdc", MissingFileError)


def test_a_folder_not_a_file(tmp_path):
    (tmp_path / "folder.qdpx").mkdir()
    refused(read_project_qdpx, tmp_path / "folder.qdpx", where=("folder",))


@pytest.mark.parametrize("content", [b"", b"Facilitator: hello\nP1: hi\n", b"PK\x03\x04garbage"],
                         ids=["empty", "renamed-text", "zip-signature-only"])
def test_not_a_zip(tmp_path, content):
    (tmp_path / "p.qdpx").write_bytes(content)
    err = refused(read_project_qdpx, tmp_path / "p.qdpx")
    assert "zip" in str(err)


def test_truncated_zip(tmp_path):
    whole = valid_project(tmp_path / "whole.qdpx").read_bytes()
    (tmp_path / "cut.qdpx").write_bytes(whole[: len(whole) * 2 // 3])
    refused(read_project_qdpx, tmp_path / "cut.qdpx")


def test_zip_without_project_qde(tmp_path):
    qdpx(tmp_path / "p.qdpx", {f"sources/{G2}.txt": TEXT, "notes.txt": "x"})
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("project.qde",))


def test_project_qde_twice(tmp_path):
    project(tmp_path / "p.qdpx", qde())
    with zipfile.ZipFile(tmp_path / "p.qdpx", "a") as z, pytest.warns(UserWarning, match="Duplicate"):
        z.writestr("project.qde", qde())
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'",))


# ------------------------------------------------------------------------------ XML that is not ours
def test_project_xml_not_well_formed(tmp_path):
    project(tmp_path / "p.qdpx", qde().replace("</Sources>", "</Source>"))
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", "line 4"))


def test_project_xml_empty(tmp_path):
    project(tmp_path / "p.qdpx", "")
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'",))


@pytest.mark.parametrize("root, ns, expected", [("Project", "urn:QDA-XML:project:0.9", P),
                                                ("Project", "", P), ("CodeBook", C, "codebook"),
                                                ("html", "http://www.w3.org/1999/xhtml", P)],
                         ids=["old-namespace", "no-namespace", "a-codebook", "xhtml"])
def test_project_wrong_root_or_namespace(tmp_path, root, ns, expected):
    doc = qde(root=root, ns=ns) if ns else qde(root=root).replace(f' xmlns="{P}"', "")
    project(tmp_path / "p.qdpx", doc)
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", expected))


def test_codebook_not_well_formed(tmp_path):
    (tmp_path / "c.qdc").write_text(f'<?xml version="1.0"?>\n<CodeBook xmlns="{C}">\n<Codes>\n</CodeBook>\n')
    refused(read_codebook_qdc, tmp_path / "c.qdc", where=("line 4",))


def test_codebook_that_is_a_project_or_an_archive(tmp_path):
    (tmp_path / "c.qdc").write_text(qde())
    refused(read_codebook_qdc, tmp_path / "c.qdc", where=("CodeBook", "read_project_qdpx"))
    refused(read_codebook_qdc, valid_project(tmp_path / "p.qdc"), where=("zip",))


def test_codebook_with_duplicate_ids(tmp_path):
    code = f'<Code guid="{G1}" name="A" isCodable="true"><Description>Code id: a</Description></Code>'
    (tmp_path / "c.qdc").write_text(f'<CodeBook xmlns="{C}"><Codes>{code}{code.replace(G1, G2)}</Codes></CodeBook>')
    with pytest.raises(CodebookError, match="c.qdc"):
        read_codebook_qdc(tmp_path / "c.qdc")


# ------------------------------------------------------------------------------ inflation: caps and bombs
def test_member_declaring_4_gb_is_refused_at_once(tmp_path):
    project(tmp_path / "bomb.qdpx", qde(text_source()), text="x" * 1000)
    patch_headers(tmp_path / "bomb.qdpx", f"sources/{G2}.txt", size=0xFFFFFFF0)
    err = refused(read_project_qdpx, tmp_path / "bomb.qdpx", UnsafeInputError,
                  where=(f"'sources/{G2}.txt'", "MB"), seconds=0.5, traced_mb=8)
    assert err.member == f"sources/{G2}.txt"


def test_member_that_lies_about_its_size(tmp_path):
    # declares 100 bytes, inflates to 20 MB: never more than the declared size is inflated
    project(tmp_path / "liar.qdpx", qde(text_source()), text=b"A" * (20 * 2 ** 20))
    patch_headers(tmp_path / "liar.qdpx", f"sources/{G2}.txt", size=100)
    refused(read_project_qdpx, tmp_path / "liar.qdpx", where=(f"'sources/{G2}.txt'",), seconds=1.0, traced_mb=8)


def test_real_deflate_bomb_over_the_member_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_archive, "MAX_MEMBER_BYTES", 8 * 2 ** 20)
    project(tmp_path / "bomb.qdpx", qde(text_source()), text=bytes(64 * 2 ** 20))  # 64 MB of zeros, ~64 kB zipped
    assert (tmp_path / "bomb.qdpx").stat().st_size < 2 ** 20
    refused(read_project_qdpx, tmp_path / "bomb.qdpx", UnsafeInputError, where=(f"'sources/{G2}.txt'",),
            seconds=0.5, traced_mb=8)


def test_many_members_over_the_total_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_archive, "MAX_MEMBER_BYTES", 4 * 2 ** 20)
    monkeypatch.setattr(safe_archive, "MAX_TOTAL_BYTES", 16 * 2 ** 20)
    sources = "".join(text_source().replace(G2, f"{i:08d}-2222-4222-8222-222222222222") for i in range(8))
    members = {f"sources/{i:08d}-2222-4222-8222-222222222222.txt": bytes(3 * 2 ** 20) for i in range(8)}
    qdpx(tmp_path / "bomb.qdpx", {"project.qde": qde(sources), **members})
    err = refused(read_project_qdpx, tmp_path / "bomb.qdpx", UnsafeInputError, seconds=1.0, traced_mb=24)
    assert "total" in str(err)


def test_too_many_members(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_archive, "MAX_MEMBERS", 50)
    qdpx(tmp_path / "many.qdpx", {"project.qde": qde(), **{f"sources/{i}.txt": "" for i in range(60)}})
    refused(read_project_qdpx, tmp_path / "many.qdpx", UnsafeInputError, where=("61 members",))


def test_too_many_xml_elements(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_archive, "MAX_XML_ELEMENTS", 1000)
    project(tmp_path / "p.qdpx", qde(text_source(selections="<Description/>" * 5000)))
    refused(read_project_qdpx, tmp_path / "p.qdpx", UnsafeInputError, where=("'project.qde'", "1,000"))


def test_codebook_file_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_archive, "MAX_MEMBER_BYTES", 2 ** 20)
    (tmp_path / "c.qdc").write_text(f'<CodeBook xmlns="{C}"><Codes/>' + " " * 2 ** 21 + "</CodeBook>")
    refused(read_codebook_qdc, tmp_path / "c.qdc", UnsafeInputError, where=("MB",), seconds=0.5)


def test_deeply_nested_xml(tmp_path):
    project(tmp_path / "p.qdpx", qde(text_source(selections="<Description>" * 20000 + "</Description>" * 20000)))
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", "line"))


def _docx_only(path: Path, members: dict) -> Path:
    """A project whose one source is only a .docx (as MAXQDA can export), its parts given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    doc = f'<TextSource guid="{G2}" name="t.docx" richTextPath="internal://{G2}.docx"/>'
    return qdpx(path, {"project.qde": qde(doc), f"sources/{G2}.docx": buf.getvalue()})


def test_deflate_bomb_inside_a_docx_source(tmp_path, monkeypatch):
    """A .docx is a zip inside the zip: its parts are inflated within the same caps before python-docx sees it."""
    monkeypatch.setattr(safe_archive, "MAX_MEMBER_BYTES", 8 * 2 ** 20)
    _docx_only(tmp_path / "bomb.qdpx", {"[Content_Types].xml": "<Types/>", "word/document.xml": bytes(64 * 2 ** 20)})
    assert (tmp_path / "bomb.qdpx").stat().st_size < 2 ** 20
    refused(read_project_qdpx, tmp_path / "bomb.qdpx", UnsafeInputError, where=(f"'sources/{G2}.docx'", "zip bomb"),
            seconds=1.0, traced_mb=24)


def test_external_entity_in_a_docx_source_is_never_resolved(tmp_path):
    (tmp_path / "secret.txt").write_text("SECRET-CONTENT")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "{(tmp_path / "secret.txt").as_uri()}">]>'
            f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>x &xxe; y</w:t></w:r></w:p></w:body></w:document>')
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
             'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'wordprocessingml.document.main+xml"/></Types>')
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>')
    _docx_only(tmp_path / "xxe.qdpx", {"[Content_Types].xml": types, "_rels/.rels": rels, "word/document.xml": body})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = read_project_qdpx(tmp_path / "xxe.qdpx")
    seen = " ".join(back["segments"]["text"].astype(str)) + " ".join(back["not_imported"]["reason"].astype(str))
    assert "SECRET" not in seen


# ------------------------------------------------------------------------------ entities, DTDs, network
def test_billion_laughs(tmp_path):
    project(tmp_path / "lol.qdpx", qde(text_source(), prolog=LAUGHS).replace('name="t"', 'name="&lol9;"'))
    err = refused(read_project_qdpx, tmp_path / "lol.qdpx", UnsafeInputError, where=("'project.qde'", "DTD"),
                  seconds=0.5, traced_mb=8)
    assert "lollol" not in str(err)


def test_billion_laughs_in_a_codebook(tmp_path):
    (tmp_path / "lol.qdc").write_text(f'<?xml version="1.0"?>\n{LAUGHS}<CodeBook xmlns="{C}"><Codes>'
                                      f'<Code guid="{G1}" name="&lol9;" isCodable="true"/></Codes></CodeBook>')
    refused(read_codebook_qdc, tmp_path / "lol.qdc", UnsafeInputError, where=("DTD",), seconds=0.5, traced_mb=8)


def test_external_entity_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-CONTENT")
    prolog = f'<!DOCTYPE Project [<!ENTITY x SYSTEM "file://{secret}">]>\n'
    project(tmp_path / "xxe.qdpx", qde(text_source(), prolog=prolog).replace('name="t"', 'name="&x;"'))
    err = refused(read_project_qdpx, tmp_path / "xxe.qdpx", UnsafeInputError, where=("'project.qde'",))
    assert "SECRET" not in str(err)
    (tmp_path / "xxe.qdc").write_text(f'<?xml version="1.0"?>\n{prolog.replace("Project", "CodeBook")}'
                                      f'<CodeBook xmlns="{C}"><Codes><Code guid="{G1}" name="&x;" '
                                      'isCodable="true"/></Codes></CodeBook>')
    assert "SECRET" not in str(refused(read_codebook_qdc, tmp_path / "xxe.qdc", UnsafeInputError))


@pytest.fixture
def listener():
    """A loopback TCP server that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                seen.append(conn.recv(1024))
                conn.close()
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", seen
    stop.set()
    thread.join(2)
    server.close()


@pytest.mark.parametrize("prolog", ['<!DOCTYPE Project SYSTEM "{url}/project.dtd">\n',
                                    '<!DOCTYPE Project [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>\n',
                                    '<!DOCTYPE Project [<!ENTITY x SYSTEM "{url}/x">]>\n'],
                         ids=["external-dtd", "parameter-entity", "external-entity"])
def test_no_network_or_dtd_loading(tmp_path, listener, prolog):
    url, seen = listener
    doc = qde(text_source(), prolog=prolog.format(url=url))
    project(tmp_path / "net.qdpx", doc.replace('name="t"', 'name="&x;"') if "ENTITY x" in prolog else doc)
    refused(read_project_qdpx, tmp_path / "net.qdpx", UnsafeInputError, where=("'project.qde'", "DTD"))
    time.sleep(0.3)
    assert seen == []


# ------------------------------------------------------------------------------ paths: zip slip and outside files
@pytest.mark.parametrize("member", ["../evil.txt", "sources/../../evil.txt", "/tmp/pledge-evil.txt",
                                    "C:/pledge-evil.txt", "..\\evil.txt"],
                         ids=["dotdot", "nested-dotdot", "absolute", "drive", "backslash"])
def test_zip_slip_member_names(tmp_path, member):
    (tmp_path / "work").mkdir()
    qdpx(tmp_path / "work" / "slip.qdpx", {"project.qde": qde(text_source()), f"sources/{G2}.txt": TEXT,
                                           member: "owned"})
    names = zipfile.ZipFile(tmp_path / "work" / "slip.qdpx").namelist()
    err = refused(read_project_qdpx, tmp_path / "work" / "slip.qdpx", UnsafeInputError)
    assert err.member in names and err.member != "project.qde"
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/pledge-evil.txt").exists()


@pytest.mark.parametrize("text_path, cls", [("file:///etc/passwd", InputError), ("absolute:///etc/passwd", InputError),
                                            ("/etc/passwd", InputError), ("relative://../secret.txt", InputError),
                                            ("internal://../../secret.txt", UnsafeInputError)],
                         ids=["file-url", "absolute", "bare-absolute", "relative", "internal-dotdot"])
def test_sources_outside_the_archive_are_never_read(tmp_path, text_path, cls):
    (tmp_path / "secret.txt").write_text("SECRET-CONTENT")
    project(tmp_path / "p.qdpx", qde(text_source(text_path)))
    err = refused(read_project_qdpx, tmp_path / "p.qdpx", cls, where=(text_path,))
    assert "SECRET" not in str(err) and "root:" not in str(err)


# ------------------------------------------------------------------------------ broken members and structure
def test_source_document_missing_from_the_archive(tmp_path):
    qdpx(tmp_path / "p.qdpx", {"project.qde": qde(text_source())})
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=(f"'sources/{G2}.txt'",))


def test_source_document_not_utf8_is_listed_not_imported(tmp_path):
    """One unreadable document does not block the rest of a project: it is listed (and warned about) with why."""
    project(tmp_path / "p.qdpx", qde(text_source()), text="Café staff".encode("utf-16"))
    with pytest.warns(UserWarning, match="1 TextSource not imported"):
        back = read_project_qdpx(tmp_path / "p.qdpx")
    (row,) = back["not_imported"].to_dict("records")
    assert (row["source"], row["kind"], row["guid"]) == ("t.txt", "TextSource", G2)
    assert f"'sources/{G2}.txt'" in row["reason"] and "not UTF-8" in row["reason"]
    assert back["segments"].empty


def test_encrypted_member(tmp_path):
    project(tmp_path / "p.qdpx", qde(text_source()))
    patch_headers(tmp_path / "p.qdpx", "project.qde", flags=0x1)
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", "encrypt"))


def test_unsupported_compression(tmp_path):
    project(tmp_path / "p.qdpx", qde(text_source()))
    patch_headers(tmp_path / "p.qdpx", "project.qde", method=99)
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", "compress"))


@pytest.mark.parametrize("start, end", [("abc", "25"), ("4", ""), ("-1", "10"), ("20", "10"), ("4", "9999")],
                         ids=["not-a-number", "empty", "negative", "reversed", "past-the-end"])
def test_selection_positions(tmp_path, start, end):
    project(tmp_path / "p.qdpx", qde(text_source(selections=coding(start, end))))
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", "line 4", "Position"))


def test_coding_of_a_code_not_in_the_codebook(tmp_path):
    project(tmp_path / "p.qdpx", qde(text_source(selections=coding(code="99999999-9999-4999-8999-999999999999"))))
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", "line 4", "99999999"))


def test_coding_without_code_ref(tmp_path):
    sel = coding().replace(f'<CodeRef targetGUID="{G1}"/>', "")
    project(tmp_path / "p.qdpx", qde(text_source(selections=sel)))
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", "line 4", "CodeRef"))


def test_case_variable_without_reference(tmp_path):
    cases = (f'<Cases><Case guid="{G3}" name="P1"><VariableValue><TextValue>A</TextValue></VariableValue>'
             "</Case></Cases>")
    project(tmp_path / "p.qdpx", qde(text_source()).replace("<Sources>", cases + "\n<Sources>"))
    refused(read_project_qdpx, tmp_path / "p.qdpx", where=("'project.qde'", "line 4", "VariableRef"))


def test_written_codebook_round_trips_after_hardening(tmp_path):
    cb = codebook_from_records([{"id": "kind", "name": "Kindness", "keywords": ["kind", "caring"]},
                                {"id": "kind.nurse", "name": "Nurses", "parent": "kind"}])
    write_codebook_qdc(cb, tmp_path / "c.qdc")
    back = read_codebook_qdc(tmp_path / "c.qdc")  # a .qdc carries names, hierarchy, colours and definitions only
    cols = ["name", "description", "include", "exclude", "colour"]
    pd.testing.assert_frame_equal(back[cols], cb[cols])
    assert back["parent_id"].tolist() == [None, back["code_id"][0]]
