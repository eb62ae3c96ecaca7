"""Old module names kept importable for one release after a rename.

A renamed module leaves a two-line shim under its old name::

    from ._renamed import alias
    __getattr__, __dir__ = alias(__name__, "pledge_analysis.cross_site")

Importing the old name warns once (``DeprecationWarning`` naming the new module, attributed
to the line that imported it, so Python shows it by default in ``__main__`` and notebooks)
and every attribute, public or private, is the new module's own object.
"""
from __future__ import annotations

import importlib
import sys
import warnings


def _importer_stacklevel() -> int:
    """Stack level (as ``warnings.warn`` counts it from :func:`alias`) of the importing line.

    ``warnings.warn`` already steps over importlib's own frames, so only the shim's are counted.
    """
    frame, level = sys._getframe(1), 1
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith("<frozen importlib"):
            frame = frame.f_back
            continue
        if not (name == __file__ or frame.f_globals.get("_RENAMED_SHIM")):
            return level
        frame, level = frame.f_back, level + 1
    return 2


def alias(old: str, new: str):
    """Warn that ``old`` is now ``new`` and return the ``__getattr__``/``__dir__`` pair forwarding to it."""
    sys._getframe(1).f_globals["_RENAMED_SHIM"] = True
    warnings.warn(f"{old} was renamed {new}; import {new} instead (the old name will be removed in the "
                  f"next release)", DeprecationWarning, stacklevel=_importer_stacklevel())
    module = importlib.import_module(new)

    def __getattr__(name: str):
        try:
            return getattr(module, name)
        except AttributeError:
            raise AttributeError(f"module {old!r} (now {new!r}) has no attribute {name!r}") from None

    def __dir__():
        return dir(module)

    return __getattr__, __dir__
