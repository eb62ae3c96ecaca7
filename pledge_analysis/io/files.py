"""Low-level file reading: encodings that real exports use."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, MissingFileError

#: Tried in order. UTF-8 with a BOM first (Excel's "CSV UTF-8"), then plain UTF-8,
#: then Windows-1252 (Excel's legacy "CSV"), which can decode almost any byte.
ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")


def read_text_file(path: str | Path) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a text file in UTF-8, UTF-8 with BOM or cp1252.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(p, "wb").write("caf\\u00e9 \\u00a312".encode("cp1252"))
    >>> read_text_file(p)
    ('café £12', 'cp1252')
    """
    path = Path(path)
    if not path.exists():
        raise MissingFileError("file not found", path=path, hint="Check the path and the working folder.")
    data = path.read_bytes()
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), ("utf-8" if enc == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf") else enc)
    raise InputError("cannot decode file as UTF-8 or Windows-1252", path=path,
                     hint="Re-save it as 'CSV UTF-8' from Excel.")  # pragma: no cover (cp1252 decodes nearly all)
