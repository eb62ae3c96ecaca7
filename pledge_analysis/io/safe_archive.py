"""Safe reading of zipped XML (REFI-QDA ``.qdpx`` projects and ``.qdc`` codebooks): every file is hostile.

- Archive members are inflated in bounded chunks within caps (:data:`MAX_MEMBER_BYTES` per member,
  :data:`MAX_TOTAL_BYTES` in all, :data:`MAX_MEMBERS` entries), counting what is really inflated (a
  declared size can lie), and nothing is ever extracted to disk.
- Member paths that are absolute or climb out of the archive (zip slip) are refused.
- XML is parsed without DTDs, entity expansion or network access, with at most :data:`MAX_XML_ELEMENTS`
  elements and its root element checked as soon as it is read.
- Every refusal is an :class:`~pledge_analysis.errors.InputError` (:class:`~pledge_analysis.errors.UnsafeInputError`
  for a hostile file) naming the file, the member and the line.

:mod:`pledge_analysis.io.refi` maps the documents read here to our tables.
"""
from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ..errors import InputError, MissingFileError, UnsafeInputError
from ..schema import present as _present

#: Caps on a REFI-QDA import. A file past one is refused with :class:`UnsafeInputError` before more is inflated:
#: bytes inflated from one zip member (and the largest ``.qdc``), bytes inflated from all the members one read
#: needs, entries listed in the archive, and elements in one XML document. For scale: our own export of a
#: 100,000-turn transcript with 150,000 codings has a 150 MB ``project.qde`` of 0.9 million elements.
MAX_MEMBER_BYTES = 512 * 2 ** 20
MAX_TOTAL_BYTES = 2 ** 30
MAX_MEMBERS = 100_000
MAX_XML_ELEMENTS = 10_000_000
_CHUNK = 2 ** 20
_INFLATE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError,
                   lzma.LZMAError)
_AGAIN = "Export the project again from your QDA software as a REFI-QDA 1.0 project (.qdpx) and read that file."
_HOSTILE = "The file may have been made to attack the program that opens it; it was not read further. "
_CAP_HINT = ("If this really is your project it is larger than pledge_analysis reads (the caps are MAX_MEMBER_BYTES "
             "and MAX_TOTAL_BYTES in pledge_analysis.io.refi); otherwise do not open it in other software either.")
#: a DOCTYPE after the XML declaration, comments and processing instructions (each alternative unambiguous, so
#: the match is linear in the length of the head it scans)
_DOCTYPE = re.compile(r"\A\ufeff?(?:\s|<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->)*<!DOCTYPE")


def _located(what: str, member: str | None, line: int | None) -> str:
    """``member 'project.qde', line 4: what`` (as :class:`UnsafeInputError` writes it).

    >>> _located("not well formed", None, 3)
    'line 3: not well formed'
    """
    where = ", ".join(([f"member {member!r}"] if member else []) + ([f"line {line}"] if line else []))
    return (where + ": " if where else "") + what


def _mb(n: int) -> str:
    return f"{n / 2 ** 20:,.0f} MB" if n >= 2 ** 20 else f"{n:,} bytes"


def outside(name: str) -> bool:
    """Whether a member or document path is absolute or climbs out of its folder (zip slip).

    >>> [outside(n) for n in ("sources/a.txt", "../a", "a/../../b", "/etc/passwd", "C:/x", "..\\\\x")]
    [False, True, True, True, True, True]
    """
    return (name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) is not None
            or ".." in name.replace("\\", "/").split("/") or any(ord(ch) < 32 for ch in name))


def existing_file(path, what: str) -> Path:
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{what} not found", path=path,
                               hint="Check the path (a REFI-QDA project ends in .qdpx, a codebook in .qdc).")
    if not path.is_file():
        raise InputError(f"not a {what}: this is a folder, not a file", path=path,
                         hint="Name the .qdpx or .qdc file itself.")
    return path


def read_xml_file(path: Path) -> bytes:
    size = path.stat().st_size
    with open(path, "rb") as f:
        data = f.read(min(size, MAX_MEMBER_BYTES) + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise UnsafeInputError(f"the file is {_mb(max(size, len(data)))}, more than the cap of "
                               f"{_mb(MAX_MEMBER_BYTES)} for one XML document", path=path, hint=_CAP_HINT)
    return data


class Where:
    """Raises located errors about one XML document (a file, or a member of an archive)."""

    def __init__(self, path, member: str | None):
        self.path, self.member = path, member

    def fail(self, what: str, el=None, hint: str = _AGAIN, *, line: int | None = None):
        raise InputError(_located(what, self.member, line or getattr(el, "sourceline", None)), path=self.path,
                         hint=hint)

    def number(self, el, name: str, value, kind=int):
        if not _present(value):
            return None
        try:
            return kind(value)
        except (TypeError, ValueError):
            self.fail(f"<{etree.QName(el).localname}> has {name}={value!r} in its description, not a number", el)

    def span(self, el, length: int) -> tuple[int, int]:
        tag = etree.QName(el).localname
        a, b = (el.get(k) for k in ("startPosition", "endPosition"))
        try:
            a, b = int(a), int(b)
        except (TypeError, ValueError):
            self.fail(f"<{tag}> has startPosition={a!r} and endPosition={b!r}: each must be a whole number", el)
        if a < 0 or b < 0:
            self.fail(f"<{tag}> has a negative position (startPosition {a}, endPosition {b})", el)
        if a > b:
            self.fail(f"<{tag}> has startPosition {a} after its endPosition {b}", el)
        if b > length:
            self.fail(f"<{tag}> has endPosition {b}, past the end of its document ({length:,} characters)", el)
        return a, b


class Archive:
    """A ``.qdpx`` opened within the caps: member names checked, members inflated in bounded chunks, never
    extracted to disk."""

    def __init__(self, path: Path):
        self.path, self.read_total = path, 0
        if path.stat().st_size > MAX_TOTAL_BYTES:
            raise UnsafeInputError(f"the file is {_mb(path.stat().st_size)}, more than the cap of "
                                   f"{_mb(MAX_TOTAL_BYTES)}", path=path, hint=_CAP_HINT)
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
            raise InputError(f"not a REFI-QDA project: the file is not a zip archive, or it is truncated or damaged "
                             f"({exc})", path=path,
                             hint="A .qdpx is a zip of project.qde and a sources/ folder. " + _AGAIN, code="PA114") from None
        try:
            self.members = self._members()
        except BaseException:
            self.zip.close()
            raise

    def _members(self) -> dict:
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeInputError(f"the archive lists {len(infos):,} members, more than the cap of {MAX_MEMBERS:,}",
                                   path=self.path, hint=_HOSTILE + _AGAIN)
        members: dict = {}
        for info in infos:
            if outside(info.filename):
                raise UnsafeInputError("a member's path is absolute or climbs out of the archive (zip slip)",
                                       path=self.path, member=info.filename,
                                       hint=_HOSTILE + "Nothing was extracted. " + _AGAIN)
            if info.filename in members:
                raise InputError(f"member {info.filename!r} appears twice in the archive", path=self.path, hint=_AGAIN)
            members[info.filename] = info
        return members

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.zip.close()

    def project_member(self) -> str:
        if "project.qde" in self.members:
            return "project.qde"
        found = [n for n in self.members if n.lower().endswith(".qde") and "/" not in n]
        if len(found) == 1:
            return found[0]
        listed = ", ".join(repr(n) for n in list(self.members)[:5]) + (", ..." if len(self.members) > 5 else "")
        raise InputError(f"not a REFI-QDA project: no project.qde inside (members: {listed or 'none'})",
                         path=self.path, hint=_AGAIN, code="PA114")

    def source_member(self, rel: str) -> str | None:
        name = "sources/" + rel
        if name in self.members:
            return name
        if not hasattr(self, "_lower"):
            self._lower = {}
            for n in self.members:
                self._lower.setdefault(n.lower(), n)
        return self._lower.get(name.lower())

    def reserve(self, names) -> None:
        """Refuse at once when the declared sizes of the members still to read pass a cap."""
        for name in sorted(names):
            self._cap(name, self.members[name].file_size, declared=True)
        total = self.read_total + sum(self.members[n].file_size for n in names)
        if total > MAX_TOTAL_BYTES:
            raise UnsafeInputError(f"its {len(names):,} documents declare {_mb(total)} in total when inflated, "
                                   f"more than the cap of {_mb(MAX_TOTAL_BYTES)} in total (a zip bomb?)",
                                   path=self.path, hint=_CAP_HINT)

    def _cap(self, name: str, n: int, declared: bool) -> None:
        verb = "declares an inflated size of" if declared else "inflates to more than"
        if n > MAX_MEMBER_BYTES:
            raise UnsafeInputError(f"{verb} {_mb(n)}, more than the cap of {_mb(MAX_MEMBER_BYTES)} per member "
                                   "(a zip bomb?)", path=self.path, member=name, hint=_CAP_HINT)
        if self.read_total + n > MAX_TOTAL_BYTES:
            raise UnsafeInputError(f"would take the archive past the cap of {_mb(MAX_TOTAL_BYTES)} inflated in total "
                                   "(a zip bomb?)", path=self.path, member=name, hint=_CAP_HINT)

    def read(self, name: str) -> bytes:
        info = self.members[name]
        self._cap(name, info.file_size, declared=True)
        if info.flag_bits & 0x1:
            raise InputError(f"member {name!r} is encrypted (password protected)", path=self.path,
                             hint="Export the project again without a password, as a REFI-QDA 1.0 .qdpx.", code="PA114")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
            raise InputError(f"member {name!r} uses compression method {info.compress_type}, which this reader "
                             "cannot inflate (stored, deflate, bzip2 and lzma are read)", path=self.path, hint=_AGAIN, code="PA114")
        chunks, n = [], 0
        try:
            with self.zip.open(info) as f:
                while chunk := f.read(_CHUNK):
                    n += len(chunk)
                    self._cap(name, n, declared=False)  # the declared size can lie: count what is inflated
                    chunks.append(chunk)
        except _INFLATE_ERRORS as exc:
            raise InputError(f"member {name!r} is damaged and cannot be inflated ({exc})", path=self.path,
                             hint=_AGAIN, code="PA114") from None
        self.read_total += n
        return b"".join(chunks)

    def text(self, name: str) -> str:
        data = self.read(name)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"member {name!r} is not UTF-8 text (byte {exc.start:,} is not valid UTF-8)",
                             path=self.path, hint="REFI-QDA documents are plain UTF-8 text. " + _AGAIN, code="PA111") from None


def _dtd_refused(path, member, line) -> UnsafeInputError:
    return UnsafeInputError("the XML declares a DTD (<!DOCTYPE>): entity declarations, external entities and "
                            "DTD or network loading are refused", path=path, member=member, line=line,
                            hint="REFI-QDA files never need a DTD. " + _HOSTILE + _AGAIN)


def parse_xml(data: bytes, *, path, member: str | None, root: str | None, wrong_root=None):
    """Parse XML without DTDs, entity expansion, network access or huge nodes, at most MAX_XML_ELEMENTS elements,
    and check its root element (``root``, a Clark name) as soon as it is read: a different root calls
    ``wrong_root(element, root, where)``, which raises (by default a located :class:`InputError`)."""
    head = data[:65536]
    head = head.decode("utf-16", "replace") if head.startswith((b"\xff\xfe", b"\xfe\xff")) else head.decode("latin-1")
    found = _DOCTYPE.match(head)
    if found:
        raise _dtd_refused(path, member, head[:found.end()].count("\n") + 1)
    where, count = Where(path, member), 0
    try:
        events = etree.iterparse(io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True,
                                 load_dtd=False, dtd_validation=False, huge_tree=False)
        for _, el in events:
            if count == 0:
                info = el.getroottree().docinfo
                if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
                    raise _dtd_refused(path, member, el.sourceline)
                if root is not None and el.tag != root:
                    (wrong_root or _wrong_root)(el, root, where)
            count += 1
            if count > MAX_XML_ELEMENTS:
                raise UnsafeInputError(f"the XML has more elements than the cap of {MAX_XML_ELEMENTS:,}",
                                       path=path, member=member, line=el.sourceline, hint=_CAP_HINT)
        return events.root
    except etree.XMLSyntaxError as exc:
        message = re.sub(r",? line \d+, column \d+$", "", exc.msg or "").strip()
        if "amplification" in message or "entity reference loop" in message.lower():
            raise _dtd_refused(path, member, exc.lineno) from None
        if count == 0 and not data.strip():
            where.fail("the XML document is empty", hint=_AGAIN)
        if "Excessive depth" in message:
            message = "elements are nested more than 256 deep"
        raise InputError(_located(f"the XML is not well formed: {message}", member, exc.lineno), path=path,
                         hint=_AGAIN, code="PA114") from None


def _wrong_root(el, expected: str, where: "Where") -> None:
    found, want = etree.QName(el), etree.QName(expected)
    where.fail(f"the root element is <{found.localname}> in namespace {found.namespace or '(none)'!r}, not "
               f"<{want.localname}> in namespace {want.namespace!r}", el)
