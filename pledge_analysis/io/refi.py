"""REFI-QDA exchange: projects (``.qdpx``) and codebooks (``.qdc``) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

A ``.qdpx`` is a zip of ``project.qde`` (XML in the ``urn:QDA-XML:project:1.0`` namespace) and a
``sources/`` folder of documents. The writing side is :mod:`pledge_analysis.io.refi_export` (what goes
where: reviewed codings as codings, suggestions apart, cases linked to their text the ways NVivo and
QualCoder read, the companion file ``pledge_analysis.json``); the reading side is
:mod:`pledge_analysis.io.refi_import`. Both are re-exported here, with :func:`validate`, which checks a
document against the REFI-QDA XSDs.

Both readers treat every file as hostile: see the *Safety* section of
:mod:`pledge_analysis.io.refi_import` (bounded inflation, no DTDs or network, located refusals).
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from .safe_archive import Archive as _Archive, existing_file as _existing_file, read_xml_file as _read_xml_file
# the reading side lives in refi_import.py, the writing side in refi_export.py; re-exported here so that
# ``from pledge_analysis.io.refi import read_project_qdpx, write_project_qdpx`` keeps working
from .refi_import import NS_CODEBOOK, NS_PROJECT, read_codebook_qdc, read_project_qdpx  # noqa: F401
from .refi_import import _parse_xml
from .refi_export import (CASES, COMPANION, NEGATED, SUGGESTED, codebook_qdc_bytes, export_summary,  # noqa: F401
                          guid, project_qdpx_bytes, read_companion, tables_from_companion, write_codebook_qdc,
                          write_project_qdpx)


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
