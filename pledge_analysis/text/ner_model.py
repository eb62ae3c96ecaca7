"""A trained spaCy NER pipeline for the de-identifier: found, loaded once, checked, and named in the run log.

The de-identifier's own recognizers (rules and the statistical name recognizer) need no trained model. A user
who has a trained spaCy pipeline with an ``ner`` component that predicts ``PERSON`` (``en_core_web_sm``, or one
trained with ``tools/train_ner_model.py``) can add its names:

- project.yaml ``deidentify: {ner_model: en_core_web_sm}``: an installed package name, or a folder that
  ``spacy.load`` reads (``model-best`` of ``spacy train``; relative to project.yaml); used by ``run`` and by
  ``pledge-analysis code --project``; ``pledge-analysis code --ner-model NAME_OR_PATH`` sets it too;
- from Python, ``redact(text, nlp=load_ner_model("en_core_web_sm"))`` (or any pipeline of your own).

A model that is named but not installed, cannot be loaded, or predicts no ``PERSON`` raises
:class:`~pledge_analysis.errors.ModelUnavailableError` (what, the key, what to do) before any text is
read: a run that was asked for the NER never quietly goes without it. Only the components the ``ner``
needs run (its ``tok2vec`` or ``transformer``); the tagger, parser and lemmatizer are switched off.

NER ``PERSON`` entities join the rules' spans with confidence ``SCORE["ner"]`` and recognizer ``ner`` in the
review table (``redactions.csv``). An entity in the allow-list is dropped, and so (while
:data:`~pledge_analysis.text.deidentify.NER_CHECKS` is on) is one the rules' plausibility check rejects (a UK
town, a ward, a role) or one not written like a name (lower case only, an acronym, a lone sentence-opening word
in no name list, more than four words); the checks were chosen on development data (README "Figures").
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

#: The config key that names the model (in messages).
KEY = "deidentify.ner_model"
#: Components a ``ner`` may listen to; every other component of the pipeline is switched off.
_FEATURE_PIPES = ("tok2vec", "transformer")


def load_ner_model(name_or_path: str | Path, *, base: str | Path | None = None, key: str = KEY):
    """The spaCy pipeline ``name_or_path`` (an installed package name or a folder), with only its ``ner``
    (and the ``tok2vec`` / ``transformer`` it listens to) enabled; loaded once per process.

    ``base``: the folder a relative path is read from (project.yaml's folder). Raises
    :class:`~pledge_analysis.errors.ModelUnavailableError` naming ``key`` when the model is missing, cannot be
    loaded, or has no ``ner`` that predicts ``PERSON``.
    """
    where = location(name_or_path, base)
    return _load(where, key)


def location(name: str | Path, base=None) -> str:
    """Where ``name`` is: a folder (absolute, or relative to ``base``) when it looks like a path or exists;
    else a package name."""
    name = str(name)
    p = Path(name).expanduser()
    looks_like_path = p.is_absolute() or "/" in name or "\\" in name or name.startswith(".")
    if not p.is_absolute() and base is not None and (looks_like_path or (Path(base) / p).exists()):
        p = Path(base) / p
    return str(p.resolve()) if looks_like_path or p.exists() else name


@lru_cache(maxsize=4)
def _load(where: str, key: str):
    import spacy

    from ..errors import ModelUnavailableError

    hint = (f"Install the model (`pip install <its wheel>`; a spaCy pipeline can be trained with "
            f"tools/train_ner_model.py), point `{key}` at its folder, or remove `{key}` to use the rules and "
            "the name model only.")
    is_path = Path(where).is_absolute()
    if is_path and not Path(where).exists():
        raise ModelUnavailableError(f"the NER model folder {where} does not exist", key=key, hint=hint)
    if not is_path and not spacy.util.is_package(where):
        raise ModelUnavailableError(f"the NER model {where!r} is not an installed package", key=key,
                                    hint=hint)
    try:
        nlp = spacy.load(where)
    except Exception as exc:  # a damaged folder, a package of another spaCy version, a missing factory
        raise ModelUnavailableError(f"the NER model {where!r} could not be loaded: "
                                    f"{type(exc).__name__}: {exc}", key=key, hint=hint) from exc
    if "ner" not in nlp.pipe_names or "PERSON" not in nlp.get_pipe("ner").labels:
        raise ModelUnavailableError(f"the spaCy pipeline {where!r} has no `ner` component that predicts "
                                    f"PERSON (components: {nlp.pipe_names})", key=key, hint=hint)
    keep = {"ner", *(p for p in _FEATURE_PIPES if p in nlp.pipe_names)}
    nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in keep])
    nlp.meta["pledge_ner_model"] = describe(nlp, where)
    log.info("de-identification: trained NER %s", nlp.meta["pledge_ner_model"])
    return nlp


def describe(nlp, where: str | None = None) -> str:
    """``"en_pledge_ner 0.1.0 (/path)"``: the pipeline's name and version and where it came from."""
    meta = nlp.meta
    name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}"
    return f"{name} {meta.get('version', '')}".strip() + (f" ({where})" if where else "")


def recognizers(name_model: bool, nlp=None) -> list[str]:
    """The recognizers a de-identification ran, for the run log: ``["rules", "name_model", "ner: ..."]``."""
    out = ["rules"] + (["name_model"] if name_model else [])
    if nlp is not None:
        out.append("ner: " + nlp.meta.get("pledge_ner_model", describe(nlp)))
    return out
