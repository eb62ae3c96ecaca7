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
in no name list, more than four words); the checks were chosen on development data (README "Figures"). As a
kept name needs a capitalised word that may be a name (:func:`name_word`), the NER reads only the sentences
that hold one (:func:`ner_pieces`, :func:`person_entities`): under a third of the text of real comments.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_left
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


# ------------------------------------------------------------------ which text the NER reads
#: A word written as names are: a capital, then lower-case letters ("Jen", "O'Neill"); :func:`name_word`.
TITLE_WORD = re.compile(r"[A-Z][a-zß-ÿĀ-ſ'’-]+")
#: A capitalised run of letters anywhere in a text: where :func:`name_word` can hold (:func:`ner_pieces`).
_CAPITALISED = TITLE_WORD
#: Sentence ends (and line breaks) where :func:`ner_pieces` may cut a text.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")


def _bare(word: str) -> str:
    """``word`` lower-cased, without a trailing full stop or possessive: "Jane's" -> "jane"."""
    w = word.lower().rstrip(".")
    return w.removesuffix("'s").removesuffix("’s")


def name_word(word: str) -> bool:
    """Whether ``word`` (one word of a trained NER's PERSON span) is written as a name is and could be one:
    capitalised with lower-case letters after (:data:`TITLE_WORD`; a possessive allowed) and not an ordinary
    English word that no name list holds ("Jane", "Okafor's", "Grace"; not "Travesty", "CAMHS", "bullies").
    A trained NER's name is kept only with such a word (:data:`~pledge_analysis.text.deidentify.NER_CHECKS`),
    so the NER need only read the sentences that hold one (:func:`ner_pieces`).

    >>> [name_word(w) for w in ("Jane", "Okafor's", "Adeyemi-Brown", "Though", "CAMHS", "jane")]
    [True, True, True, False, False, False]
    """
    from .names import common_words, gazetteers

    w = word.rstrip(".,;:")
    if not (TITLE_WORD.fullmatch(w) or TITLE_WORD.fullmatch(w[:-2])
            or all(TITLE_WORD.fullmatch(p) for p in w.removesuffix("'s").removesuffix("’s").split("-"))):
        return False
    first, last = gazetteers()
    bare = _bare(w)
    return bare not in common_words() or bare in first or bare in last


def ner_pieces(text: str, cased: str | None = None) -> list[tuple[int, str]]:
    """The parts of ``text`` a trained NER reads, as ``(offset, piece)``: its sentences that hold a word
    that :func:`name_word` accepts (in ``cased``, the text as the rules read it, same length; default
    ``text``), consecutive ones joined; none when no sentence does. The checks on NER names
    (:data:`~pledge_analysis.text.deidentify.NER_CHECKS`) keep a name only with such a word, so on the other
    sentences the NER's work would be thrown away (README "Figures": throughput with and without).

    >>> ner_pieces("The staff were kind. Thanks to Jane and Bo. We left.")
    [(21, 'Thanks to Jane and Bo.')]
    >>> ner_pieces("All fine, thank you.")
    []
    """
    cased = text if cased is None else cased
    words = [m.start() for m in _CAPITALISED.finditer(cased) if _candidate(m.group(0))]
    if not words:
        return []
    sentences, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        sentences.append((start, m.start()))
        start = m.end()
    sentences.append((start, len(text)))
    out: list[list[int]] = []
    for k, (a, b) in enumerate(sentences):
        i = bisect_left(words, a)
        if i < len(words) and words[i] < b:
            if out and out[-1][2] == k - 1:
                out[-1][1:] = [b, k]  # joined to the sentence before
            else:
                out.append([a, b, k])
    return [(a, text[a:b]) for a, b, _k in out if text[a:b].strip()]


def _candidate(run: str) -> bool:
    """Whether a capitalised run of letters, or its part before an apostrophe or hyphen (a spaCy token), is a
    :func:`name_word`."""
    return name_word(run) or name_word(re.split(r"['’-]", run)[0])


def person_entities(nlp, texts, *, checks: bool = True, cased=None, batch_size: int = 256
                    ) -> list[list[tuple[int, int]]]:
    """The ``(start, end)`` character spans of ``nlp``'s PERSON entities in each of ``texts``, read in one
    batched ``nlp.pipe``. With ``checks`` (a trained ``ner`` whose names are checked), only the
    :func:`ner_pieces` of each text are read; without (a pipeline of patterns only, taken as it is), whole
    texts, cut only when longer than :data:`~pledge_analysis.text.nlp.CHUNK_CHARS`. ``cased``: each text as
    the rules read it (:func:`~pledge_analysis.text.name_cues.truecase`), default the texts themselves."""
    from .nlp import CHUNK_CHARS, chunks

    texts = list(texts)
    cased = texts if cased is None else list(cased)
    keys: list[tuple[int, int]] = []
    pieces: list[str] = []
    for i, (text, seen) in enumerate(zip(texts, cased)):
        parts = ner_pieces(text, seen) if checks else [(0, text)]
        for offset, part in parts:
            for sub, piece in chunks(part, min(CHUNK_CHARS, nlp.max_length)):
                keys.append((i, offset + sub))
                pieces.append(piece)
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    for (i, offset), doc in zip(keys, nlp.pipe(pieces, batch_size=batch_size)):
        out[i].extend((offset + e.start_char, offset + e.end_char) for e in doc.ents if e.label_ == "PERSON")
    return out
