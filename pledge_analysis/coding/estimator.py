"""What every estimator of the package shares: declared parameters, the not-fitted check, saving.

:class:`ModelContract` is a mixin for scikit-learn estimators (put it first in the bases):

- ``_parameter_constraints`` (scikit-learn's declaration format) is checked when ``fit`` starts
  (decorate ``fit`` with ``sklearn.base._fit_context``); a value that breaks it raises
  :class:`~pledge_analysis.errors.ConfigError` naming the parameter, the allowed values and the
  value given.
- ``_check_fitted()`` raises :class:`~pledge_analysis.errors.NotFittedError` (also a ``ValueError``
  and an ``AttributeError``, as scikit-learn's is) with what to do.
- ``save(path, codebook=None)`` writes the fitted model with joblib, together with the versions
  of pledge_analysis and scikit-learn and, when given, a hash of the codebook it was trained
  against; ``Class.load(path, codebook=None)`` reads it back, warns when the package version
  differs, and refuses a file of another class or a codebook that lacks a code the model predicts.
- :func:`read_model_file` reads the record of any such file; a file that is not one (another program's
  pickle, a CSV renamed, a truncated copy, a model needing a package this machine lacks) raises
  :class:`~pledge_analysis.errors.ModelUnavailableError` (``PA701``) saying what to do, never a raw
  unpickling error; a codebook lacking a code the model predicts is ``PA702``.

A model file is a pickle: loading one runs code from it. Load only files you or your team saved.
"""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pandas as pd

FORMAT = "pledge_analysis.model/1"


def codebook_hash(codebook: pd.DataFrame) -> str:
    """SHA-256 of what a model depends on in a codebook: its code ids, names and hierarchy.

    Order does not matter; descriptions, keywords and colours do not count.

    >>> from pledge_analysis.coding.codebook import codebook_from_records
    >>> a = codebook_from_records([{"id": "wait", "name": "Waiting"}, {"id": "kind", "name": "Kindness"}])
    >>> codebook_hash(a) == codebook_hash(a.iloc[::-1])
    True
    """
    parent = codebook["parent_id"] if "parent_id" in codebook.columns else pd.Series(None, index=codebook.index)
    rows = sorted(f"{c}\t{n}\t{'' if pd.isna(p) else p}"
                  for c, n, p in zip(codebook["code_id"], codebook["name"], parent))
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


class ModelContract:
    """Mixin: parameter validation as :class:`ConfigError`, :class:`NotFittedError`, save/load."""

    #: the fitted attribute whose presence means "fitted"
    _fitted_attribute = "classes_"
    #: whether ``classes_`` are codebook codes (checked against a codebook on load)
    _classes_are_codes = False

    def _validate_params(self):
        from sklearn.utils._param_validation import InvalidParameterError

        from ..errors import ConfigError

        try:
            super()._validate_params()
        except InvalidParameterError as e:
            raise ConfigError(f"{e} Set it in {type(self).__name__}(...) or with set_params().") from e

    def _check_fitted(self) -> None:
        if not hasattr(self, self._fitted_attribute):
            from ..errors import NotFittedError

            raise NotFittedError(type(self).__name__)

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, self._fitted_attribute)

    def save(self, path, *, codebook: pd.DataFrame | None = None, metadata: dict | None = None) -> Path:
        """Write this fitted model to ``path`` (joblib); returns the path.

        With ``codebook`` (the one the labels came from; for models whose classes are codes), its :func:`codebook_hash` is stored so that
        :meth:`load` can tell whether a later codebook still has every code the model predicts.
        ``metadata``: a small dict kept beside the model in the file (the run keeps its cache key there).
        The file is written whole or not at all (a temporary file, then renamed).
        """
        import os

        import joblib
        import sklearn

        from .. import __version__
        from ..errors import OutputError

        self._check_fitted()
        path = Path(path)
        record = {"format": FORMAT, "class": type(self).__name__, "pledge_analysis": __version__,
                  "sklearn": sklearn.__version__, "codebook_hash": None if codebook is None else codebook_hash(codebook),
                  "metadata": dict(metadata or {}), "estimator": self}
        tmp = path.with_name(path.name + ".partial")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            joblib.dump(record, tmp)
            os.replace(tmp, path)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise OutputError(f"cannot write the model file {str(path)!r}: {e.strerror or e}. Choose another folder "
                              "or free some space.", path=path, err=e.errno) from e
        return path

    @classmethod
    def load(cls, path, *, codebook: pd.DataFrame | None = None):
        """Read a model written by :meth:`save`.

        Warns (``UserWarning``) when it was saved by another version of pledge_analysis: refit it if
        its predictions look wrong. Raises :class:`ModelUnavailableError` for a file that is not a model
        file (:func:`read_model_file`) or holds another class, and when ``codebook`` lacks a code the model
        predicts; warns when the codebook otherwise changed.
        """
        from .. import __version__
        from ..errors import ModelUnavailableError

        path = Path(path)
        record = read_model_file(path, hint=f"Save one with {cls.__name__}.save(path).")
        est = record["estimator"]
        if not isinstance(est, cls):
            raise ModelUnavailableError(f"the file holds a {record['class']}, not a {cls.__name__}", path=path,
                                        code="PA701", hint=f"Load it with {record['class']}.load(path), or pass a "
                                        f"file saved by {cls.__name__}.save().")
        if record["pledge_analysis"] != __version__:
            warnings.warn(f"{str(path)!r} was saved by pledge_analysis {record['pledge_analysis']}; this is "
                          f"{__version__}. Check its predictions, or fit and save it again.", UserWarning, stacklevel=2)
        if codebook is not None and cls._classes_are_codes:
            _check_codebook(est, record, codebook, path)
        return est


def read_model_file(path, *, hint: str = "Fit the model and save it again with model.save(path).") -> dict:
    """The record :meth:`ModelContract.save` wrote to ``path``: ``format``, ``class``, ``pledge_analysis``,
    ``sklearn``, ``codebook_hash``, ``metadata`` (``{}`` in files of earlier releases) and ``estimator``.

    A missing file is :class:`~pledge_analysis.errors.MissingFileError`; a file that cannot be read as a model
    file (not a pickle, truncated, another program's, one whose classes this installation lacks) is
    :class:`~pledge_analysis.errors.ModelUnavailableError` ``PA701``, saying why and what to do (``hint``).
    A model file is a pickle: reading one runs code from it; read only files you or your team saved.
    """
    import joblib

    from ..errors import MissingFileError, ModelUnavailableError

    path = Path(path)
    if not path.exists():
        raise MissingFileError("model file not found", path=path, hint=hint)
    if path.is_dir():
        raise ModelUnavailableError("a folder, not a model file", path=path, code="PA701",
                                    hint="Pass the .joblib file written by model.save(path).")
    try:
        record = joblib.load(path)
    except ImportError as e:  # a class from a package that is not installed here (torch for a fine-tuned model)
        missing = getattr(e, "name", None) or ""
        if not missing or not all(part.isidentifier() for part in missing.split(".")):  # a text file read as a pickle
            raise ModelUnavailableError(f"the file is not a model file, or it is damaged ({type(e).__name__}: {e})",
                                        path=path, code="PA701", hint=hint) from e
        raise ModelUnavailableError(f"the model in this file needs {missing!r}, which cannot be imported here "
                                    f"({type(e).__name__}: {e})", path=path, code="PA701",
                                    hint="Install the package it names (a fine-tuned model needs torch and "
                                    "transformers), or use the pledge_analysis version that saved it.") from e
    except AttributeError as e:  # a class or function this version of the package does not have
        raise ModelUnavailableError(f"the file was saved by another version of pledge_analysis and names what this "
                                    f"one lacks ({e})", path=path, code="PA701", hint=hint) from e
    except Exception as e:  # noqa: BLE001 - whatever a damaged or foreign pickle raises, say so plainly
        raise ModelUnavailableError(f"the file is not a model file, or it is damaged or incomplete "
                                    f"({type(e).__name__}: {e})", path=path, code="PA701", hint=hint) from e
    if not isinstance(record, dict) or record.get("format") != FORMAT or "estimator" not in record:
        raise ModelUnavailableError("the file is not a model file written by a pledge_analysis model's save()",
                                    path=path, code="PA701", hint=hint)
    record.setdefault("metadata", {})
    return record


def _check_codebook(est, record: dict, codebook: pd.DataFrame, path: Path) -> None:
    from ..errors import ModelUnavailableError

    if record["codebook_hash"] == codebook_hash(codebook):
        return
    codes = set(codebook["code_id"])
    missing = [str(c) for c in getattr(est, "classes_", []) if c not in codes]
    if missing:
        raise ModelUnavailableError(f"the model predicts codes this codebook lacks: {', '.join(missing)}", path=path,
                                    code="PA702", hint="Pass the codebook it was trained with, or fit the model "
                                    "again on this one.")
    why = "was saved without a codebook" if record["codebook_hash"] is None else "was trained with another codebook"
    warnings.warn(f"the model in {str(path)!r} {why}; every code it predicts is in this one, but their meaning may "
                  "have changed. Fit it again if the codebook changed.", UserWarning, stacklevel=3)
