"""The spaCy pipeline: a trained English model when installed, else a blank one that works.

Without a trained model, ``spacy.blank("en")`` gets a sentencizer and the *lookup*
lemmatizer from spacy-lookups-data (English defaults to rule lemmatization, which needs
POS tags and silently does nothing on a blank pipeline).
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Iterable, Iterator

log = logging.getLogger(__name__)

TRAINED_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")


def load_nlp(model: str | None = None, *, prefer_trained: bool = True):
    """A spaCy ``Language`` of your own for English feedback text (see :func:`build_nlp` for the choice).

    Each call builds a new pipeline (about half a second), so a component you add to it (the theme
    ruler, the de-identifier) never changes a pipeline someone else holds; keep it if you need it
    several times. (It used to hand out one cached, shared pipeline.)
    """
    return build_nlp(model, prefer_trained=prefer_trained)


@lru_cache(maxsize=1)
def _reader():
    """The blank pipeline :func:`sentences` splits with when given none: private, never handed out or
    changed (nothing here adds a component to it)."""
    return build_nlp(prefer_trained=False)


@lru_cache(maxsize=1)
def tokenizer_only():
    """A bare English tokenizer pipeline (``spacy.blank("en")``, no components), built once per process and
    private to the package's batch passes (:func:`pledge_analysis.text.deidentify.redact_frame`): nothing
    adds a component to it and it is never handed out."""
    import spacy

    return spacy.blank("en")


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


#: Longest piece of text given to spaCy at once. spaCy refuses texts over ``nlp.max_length``
#: (1,000,000 characters, error E088) and a parser needs about 1 GB per 100,000 characters;
#: longer texts are cut at sentence ends into pieces of at most this length (:func:`chunks`).
CHUNK_CHARS = 50_000
_BREAK = re.compile(r"(?<=[.!?:;\n])\s+|\n")


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """``text`` cut into ``(offset, piece)`` pieces of at most ``limit`` characters, each cut at the last
    sentence end (else whitespace, else anywhere) before the limit; pieces joined give ``text`` back.

    >>> chunks("One. Two. Three.", limit=10)
    [(0, 'One. Two. '), (10, 'Three.')]
    >>> "".join(p for _o, p in chunks("x" * 25, limit=10)) == "x" * 25
    True
    """
    if len(text) <= limit:
        return [(0, text)]
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max((m.end() for m in _BREAK.finditer(window, limit // 2)), default=0)
        if not cut:
            cut = window.rfind(" ", limit // 2) + 1
        if cut <= 0:
            cut = limit
        out.append((start, text[start:start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def pipe_chunked(nlp, texts: Iterable[str], *, batch_size: int = 256, limit: int | None = None
                 ) -> Iterator[tuple[int, int, object]]:
    """``nlp.pipe`` over texts of any length: yields ``(text_index, offset, doc)`` for each piece
    (:func:`chunks`), in order; character offsets in a doc plus ``offset`` are offsets in the text."""
    limit = min(limit or CHUNK_CHARS, nlp.max_length)
    keys: list[tuple[int, int]] = []

    def pieces():
        for i, text in enumerate(texts):
            for offset, piece in chunks(text or "", limit):
                keys.append((i, offset))
                yield piece

    for n, doc in enumerate(nlp.pipe(pieces(), batch_size=batch_size)):
        i, offset = keys[n]
        yield i, offset, doc


def pipe(nlp, texts: Iterable[str], *, batch_size: int = 256, n_process: int = 1) -> Iterator:
    """``nlp.pipe`` with sensible batching; ``n_process > 1`` pays only for tens of thousands of texts."""
    return nlp.pipe((t or "" for t in texts), batch_size=batch_size, n_process=n_process)


def sentences(texts: Iterable[str], nlp=None) -> "list[tuple[int, int, int, str]]":
    """Split texts into sentences: ``(text_index, start, end, sentence)`` with character offsets.

    >>> sentences(["Lovely staff. Parking was awful!"])
    [(0, 0, 13, 'Lovely staff.'), (0, 14, 32, 'Parking was awful!')]
    """
    nlp = nlp or _reader()
    out = []
    for i, offset, doc in pipe_chunked(nlp, texts):  # texts of any length (cut at sentence ends)
        for s in doc.sents:
            out.append((i, offset + s.start_char, offset + s.end_char, s.text))
    return out
