"""The run's fitted theme model, kept beside the project store so that a re-run does not refit for nothing.

Fitting the run's model takes seconds with TF-IDF, but fine-tuning (``machine_coding: {finetune: true}``)
costs about 65 CPU-seconds per 1,000 reviewed segments. :mod:`pledge_analysis.machine_coding` therefore
keeps the model it fitted in one file beside the store, ``<store name>-models/run_theme_model.joblib``
(:func:`model_file`; ``project-models/`` for ``project.sqlite``), written with the model's ``save``
(the package version and the codebook's hash in it, a whole file or none), with the model's **key** in
the file's metadata. The key (:func:`fit_key`) is a SHA-256 of everything the fit depends on:

- the training examples: each reviewed segment's id and (de-identified) text, and its 0/1 labels for
  the learnt codes, in order: a new, changed or withdrawn human decision that changes what the
  model learns changes the key; one that does not (a second person accepting the same code) does not;
- the settings that shape the fit (``machine_coding:`` except ``enabled`` and ``min_accepted``, which
  only decide whether to fit) and the run's ``random_state``;
- the versions of pledge_analysis and scikit-learn (and torch when fine-tuning).

A re-run whose key matches the kept file's reuses that model (:func:`kept_model`; the run log says so,
with the file and the CPU time the fit had taken); any other key refits and replaces the file. A file
that cannot be read or is not what the key says is refitted over, with a note, never an error: the
file is a cache, and the store, not it, holds the human decisions (the model never writes to them).
The file is a pickle written by this package; it is read only from the folder beside the store.

>>> from pathlib import Path
>>> model_file(Path("/data/hillside/project.sqlite")).as_posix()
'/data/hillside/project-models/run_theme_model.joblib'
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

#: The name of the kept model file inside the folder beside the store.
MODEL_NAME = "run_theme_model.joblib"
#: ``machine_coding:`` settings that decide only whether to fit, not what is fitted (left out of the key).
NOT_IN_KEY = ("enabled", "min_accepted")


def model_file(store: str | Path) -> Path:
    """Where the run keeps the theme model it fitted from the store at ``store``."""
    store = Path(store)
    return store.with_name(f"{store.stem}-models") / MODEL_NAME


def fit_key(X: pd.DataFrame, Y: pd.DataFrame, settings: dict, random_state) -> str:
    """SHA-256 of what a fit on reviewed segments ``X`` (``segment_id``, ``text``) with 0/1 labels ``Y``
    (one column per learnt code, aligned row for row) depends on (see the module docstring)."""
    import sklearn

    from . import __version__

    versions = {"pledge_analysis": __version__, "sklearn": sklearn.__version__}
    if settings.get("finetune"):
        try:
            import torch
        except ImportError:  # the fit itself says what is missing
            torch = None
        versions["torch"] = getattr(torch, "__version__", None)
    head = {"settings": {k: v for k, v in sorted(settings.items()) if k not in NOT_IN_KEY},
            "random_state": random_state, "versions": versions, "codes": [str(c) for c in Y.columns]}
    h = hashlib.sha256(json.dumps(head, sort_keys=True, default=str).encode("utf-8"))
    for sid, text, labels in zip(X["segment_id"], X["text"], Y.to_numpy().tolist()):
        h.update(json.dumps([str(sid), str(text), labels]).encode("utf-8"))
    return h.hexdigest()


def kept_model(path: Path, key: str, classes: list[str]) -> tuple[object | None, dict, str]:
    """The model kept at ``path`` if it was fitted under ``key`` for these ``classes``: ``(model,
    metadata, "")``; else ``(None, {}, why)`` (``why`` empty when there is simply no file yet)."""
    from .coding.estimator import read_model_file
    from .errors import PledgeError

    if not path.exists():
        return None, {}, ""
    try:
        record = read_model_file(path)
    except PledgeError as e:
        return None, {}, f"the kept model {str(path)!r} could not be read ({e.message}), so it was fitted again"
    meta = record.get("metadata") or {}
    if meta.get("key") != key:
        return None, {}, ""  # fitted on other reviews or settings: the usual reason to refit, no note needed
    model = record["estimator"]
    if [str(c) for c in getattr(model, "classes_", [])] != [str(c) for c in classes]:
        return None, {}, f"the kept model {str(path)!r} does not predict the codes its key names, so it was fitted again"
    return model, meta, ""


def keep_model(model, path: Path, key: str, codebook: pd.DataFrame, **metadata) -> str:
    """Write ``model`` to ``path`` under ``key`` (replacing what was there); returns a note when it could
    not be written (the run goes on: the next run fits again), else ``""``."""
    from .errors import OutputError

    try:
        model.save(path, codebook=codebook, metadata={"key": key, **metadata})
    except OutputError as e:
        return f"The fitted model could not be kept for the next run ({e.message})."
    return ""
