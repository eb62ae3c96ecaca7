"""The documents of a REFI-QDA archive: which member holds a source's or a note's text, and that text.

Only archive members are ever read (a path to a file on this machine or the network is refused, or for a rich text
listed as unread); ``plainTextPath`` is decoded as UTF-8 (a byte-order mark allowed); a ``.docx`` (``richTextPath``)
is read with python-docx when there is no readable plain text, after its own parts are inflated within the caps of
:mod:`pledge_analysis.io.safe_archive` (a zip bomb inside is refused). Used by :mod:`pledge_analysis.io.refi_import`.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..errors import UnsafeInputError
from . import safe_archive
from .safe_archive import _AGAIN, _HOSTILE, Archive, Where, outside


class Documents:
    """Finds and reads the documents of text sources and notes: only archive members, within the caps."""

    def __init__(self, archive: Archive, where: Where, *, atlas: bool, ns: str):
        self.archive, self.where, self.atlas = archive, where, atlas
        self.content = f"{{{ns}}}PlainTextContent"

    def member(self, el, attr: str, *, refuse_outside: bool) -> str | None:
        """The archive member an ``internal://`` path attribute names (None: no such attribute, or — when
        ``refuse_outside`` is False — a path outside the archive, which is never read)."""
        name, text_path = el.get("name"), el.get(attr)
        tag = etree.QName(el).localname
        if text_path is None:
            return None
        if not text_path.startswith("internal://"):
            if not refuse_outside:
                return None
            self.where.fail(f"<{tag}> {name!r} points to a document outside the archive ({text_path!r})", el,
                            hint="pledge_analysis reads only documents inside the .qdpx, never other files on this "
                                 "machine or the network: export the project again with its documents embedded "
                                 "(internal:// paths).")
        rel = text_path[len("internal://"):]
        if not rel or outside(rel):
            raise UnsafeInputError(f"<{tag}> {name!r} has {attr} {text_path!r}, which climbs out of the "
                                   "archive's sources/ folder", path=self.where.path, member=self.where.member,
                                   line=el.sourceline, hint=_HOSTILE + _AGAIN)
        member = self.archive.source_member(rel)
        if member is None:
            self.where.fail(f"the document of <{tag}> {name!r} ({text_path!r}) is missing: no member "
                            f"{'sources/' + rel!r} in the archive", el)
        return member

    def plan(self, el) -> tuple[str | None, str | None]:
        """``(plain member, rich member)``: what will be read for this element (the rich text only when there is
        no plain text)."""
        plain = self.member(el, "plainTextPath", refuse_outside=True)
        if plain is not None or el.find(self.content) is not None:
            return plain, None
        return None, self.member(el, "richTextPath", refuse_outside=False)

    def text(self, el, plain: str | None, rich: str | None) -> tuple[str | None, str | None]:
        """``(text, None)`` or ``(None, why it cannot be read)``."""
        if plain is not None:
            data = self.archive.read(plain)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                why = f"its document {plain!r} is not UTF-8 text (byte {exc.start:,} is not valid UTF-8)"
                rich = self.member(el, "richTextPath", refuse_outside=False)
                if rich is None or not rich.lower().endswith(".docx"):
                    return None, why + " and it has no .docx text instead"
                text, problem = docx_text(self.archive.read(rich), rich, self.where)
                if text is None:
                    return None, f"{why}, and {problem}"
        elif (content := el.find(self.content)) is not None:
            text = content.text or ""
        elif rich is not None:
            if not rich.lower().endswith(".docx"):
                return None, (f"it has only rich text {rich!r}, which is not a .docx (pledge_analysis reads plain "
                              "text and .docx): export it again with plain text")
            text, problem = docx_text(self.archive.read(rich), rich, self.where)
            if text is None:
                return None, problem
        elif el.get("richTextPath"):
            return None, (f"its only document {el.get('richTextPath')!r} is outside the archive and is never "
                          "read: export the project again with its documents embedded")
        else:
            return None, "it has no text: neither a plainTextPath, a <PlainTextContent> nor a .docx richTextPath"
        if self.atlas:
            text = text.replace("\r\n", "\n")
        return text, None


def docx_text(data: bytes, member: str, where: Where) -> tuple[str | None, str | None]:
    """The paragraphs of a ``.docx`` (python-docx) joined by newlines; ``(None, why)`` when it is not a readable
    ``.docx``. A ``.docx`` is itself a zip: its parts are first inflated in bounded chunks, and one past the caps
    (a zip bomb inside the archive) refuses the project with :class:`UnsafeInputError`, as any other bomb."""
    def bomb(what: str):
        return UnsafeInputError(f"the .docx {what}", path=where.path, member=member,
                                hint=_HOSTILE + safe_archive._CAP_HINT)

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        return None, f"its .docx {member!r} cannot be read (not a zip archive: {exc})"
    with z:
        infos = z.infolist()
        if len(infos) > safe_archive.MAX_MEMBERS:
            raise bomb(f"lists {len(infos):,} parts, more than the cap of {safe_archive.MAX_MEMBERS:,}")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                return None, f"its .docx {member!r} cannot be read (encrypted: password protected)"
            try:
                with z.open(info) as f:
                    while chunk := f.read(2 ** 20):
                        total += len(chunk)
                        if total > safe_archive.MAX_MEMBER_BYTES:
                            raise bomb(f"inflates to more than the cap of {safe_archive.MAX_MEMBER_BYTES:,} "
                                       "bytes (a zip bomb?)")
            except safe_archive._INFLATE_ERRORS as exc:
                return None, f"its .docx {member!r} cannot be read (damaged: {exc})"
    try:
        import docx  # python-docx, lazily: only projects with .docx-only sources need it

        document = docx.Document(io.BytesIO(data))
        return "\n".join(p.text for p in document.paragraphs), None
    except Exception as exc:  # noqa: BLE001 - any failure of a third-party parser on these bytes is "unreadable"
        return None, f"its .docx {member!r} cannot be read ({type(exc).__name__}: {exc})"
