"""The spaCy pipeline: a trained English model when installed, else a blank one that works.

Without a trained model, ``spacy.blank("en")`` gets a sentencizer and the *lookup*
lemmatizer from spacy-lookups-data (English defaults to rule lemmatization, which needs
POS tags and silently does nothing on a blank pipeline).
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Iterable, Iterator

log = logging.getLogger(__name__)

TRAINED_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None, *, prefer_trained: bool = True):
    """Return a shared spaCy ``Language`` for English feedback text (cached per arguments).

    See :func:`build_nlp` for the choice of pipeline; use ``build_nlp`` for a private
    pipeline that you will add components to.
    """
    return build_nlp(model, prefer_trained=prefer_trained)


def build_nlp(model: str | None = None, *, prefer_trained: bool = True):
    """Build a new spaCy ``Language``: a trained English model if installed, else a blank one.

    ``nlp.meta["pledge_pipeline"]`` says which pipeline was chosen (also logged).

    >>> nlp = load_nlp(prefer_trained=False)
    >>> [t.lemma_ for t in nlp("waited waiting")]
    ['wait', 'wait']
    >>> nlp.meta["pledge_pipeline"]
    'blank en + sentencizer + lookup lemmatizer'
    """
    import spacy

    candidates = [model] if model else (TRAINED_MODELS if prefer_trained else ())
    for name in candidates:
        if name and spacy.util.is_package(name):
            nlp = spacy.load(name)
            nlp.meta["pledge_pipeline"] = f"trained model {name}"
            log.info("spaCy pipeline: trained model %s", name)
            return nlp
    if model:
        from ..errors import ModelUnavailableError

        raise ModelUnavailableError(f"spaCy model {model!r} is not installed; install it or call load_nlp() "
                                    "without a model to use the blank English pipeline.")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["pledge_pipeline"] = "blank en + sentencizer + lookup lemmatizer"
    log.info("spaCy pipeline: %s (no trained English model installed)", nlp.meta["pledge_pipeline"])
    return nlp


def pipe(nlp, texts: Iterable[str], *, batch_size: int = 256, n_process: int = 1) -> Iterator:
    """``nlp.pipe`` with sensible batching; ``n_process > 1`` pays only for tens of thousands of texts."""
    return nlp.pipe((t or "" for t in texts), batch_size=batch_size, n_process=n_process)


def sentences(texts: Iterable[str], nlp=None) -> "list[tuple[int, int, int, str]]":
    """Split texts into sentences: ``(text_index, start, end, sentence)`` with character offsets.

    >>> sentences(["Lovely staff. Parking was awful!"])
    [(0, 0, 13, 'Lovely staff.'), (0, 14, 32, 'Parking was awful!')]
    """
    nlp = nlp or load_nlp(prefer_trained=False)
    out = []
    for i, doc in enumerate(pipe(nlp, texts)):
        for s in doc.sents:
            out.append((i, s.start_char, s.end_char, s.text))
    return out
