"""Rule coding: the ``pledge_theme_ruler`` spaCy component built from the codebook.

Each codebook keyword becomes a token pattern that matches any inflection of each word
(from the lemma lookup table, so "waited", "waiting" and "wait" all match ``wait``) on
lower-cased text; multi-word keywords match as sequences. Matches are grouped by code
and sentence into span-level codings, with the matched words as ``evidence`` and
``negated=True`` when a negation cue ("no", "not", "never", "n't" ...) comes shortly before. A keyword
inside a longer keyword of another code gives way to it ("waiting room" under environment takes "waiting"
from the waiting code).

>>> import pandas as pd
>>> from pledge_analysis.coding.codebook import codebook_from_records
>>> cb = codebook_from_records([{"id": "waiting", "name": "Waiting", "keywords": ["wait", "delay"]}])
>>> segs = pd.DataFrame({"segment_id": ["s1"], "text": ["Lovely staff. I waited three hours!"], "role": ["participant"]})
>>> code_segments(segs, cb)[["segment_id", "code_id", "start", "end", "evidence"]].values.tolist()
[['s1', 'waiting', 14, 35, 'waited']]
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import schema

COMPONENT = "pledge_theme_ruler"
COMPONENT_VERSION = 1
NEGATIONS = frozenset({"no", "not", "never", "n't", "without", "nothing", "none", "nobody", "neither", "nor",
                       "cannot", "hardly", "wasn't", "didn't", "don't", "isn't"})
NEGATION_WINDOW = 3


@lru_cache(maxsize=1)
def _reverse_lemmas() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    import gzip
    import json
    from pathlib import Path

    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    forward = {k.lower(): v.lower() for k, v in table.items()}
    reverse: dict[str, set[str]] = defaultdict(set)
    for form, lemma in forward.items():
        reverse[lemma].add(form)
    return forward, {k: frozenset(v) for k, v in reverse.items()}


def word_forms(word: str) -> list[str]:
    """All lower-cased forms sharing ``word``'s lemma.

    >>> word_forms("wait")
    ['wait', 'waited', 'waiting', 'waits']
    >>> "assessments" in word_forms("assessment")
    True
    """
    forward, reverse = _reverse_lemmas()
    w = word.lower()
    lemma = forward.get(w, w)
    forms = {w, lemma} | reverse.get(lemma, frozenset())
    if len(w) > 3 and w.isalpha() and not w.endswith("s"):
        forms.add(w + "s")  # plurals the lookup table lacks ("assessments")
    return sorted(forms)


def patterns_from_codebook(codebook: pd.DataFrame, nlp) -> list[dict]:
    """Token patterns (as data) for every keyword: ``{"code_id", "keyword", "pattern"}``."""
    out = []
    for code, keywords in zip(codebook["code_id"], codebook["keywords"]):
        for kw in keywords or []:
            words = [t.text for t in nlp.make_doc(str(kw)) if not t.is_space]
            if not words:
                continue
            pattern = [{"LOWER": {"IN": word_forms(w)}} if w.isalpha() else {"LOWER": w.lower()} for w in words]
            out.append({"code_id": code, "keyword": str(kw), "pattern": pattern})
    return out


def phrases(pattern: list[dict]) -> list[tuple[str, ...]]:
    """Every sequence of lower-cased words a token pattern of :func:`patterns_from_codebook` accepts.

    A pattern token is ``{"LOWER": word}`` or ``{"LOWER": {"IN": [forms]}}``; the phrases are the product
    of the forms, which the :class:`ThemeRuler` matches with one spaCy ``PhraseMatcher`` (``attr="LOWER"``):
    the same hits as spaCy's ``Matcher`` on the token patterns, about ten times faster.

    >>> phrases([{"LOWER": {"IN": ["wait", "waited"]}}, {"LOWER": "list"}])
    [('wait', 'list'), ('waited', 'list')]
    """
    from itertools import product

    choices = []
    for token in pattern:
        value = token["LOWER"]
        choices.append(sorted(value["IN"]) if isinstance(value, dict) else [value])
    return list(product(*choices))


def _longest_win(matches):
    """The matches without those lying inside a longer match of another code: "waiting room" (environment)
    takes the word "waiting" from the waiting code, as the longest keyword wins in any tagger; matches of one
    code, and matches that only partly overlap, are all kept.

    >>> _longest_win([(1, 2, 3), (2, 2, 4), (1, 5, 6)])
    [(2, 2, 4), (1, 5, 6)]
    """
    out = []
    for m in matches:
        code, start, end = m
        if not any(c != code and s <= start and end <= e and e - s > end - start for c, s, e in matches):
            out.append(m)
    return out


class ThemeRuler:
    """spaCy component: finds codebook keywords; results in ``doc._.pledge_codes``.

    Each entry is ``(start_char, end_char, code_id, matched_text, negated)``: a keyword is negated
    when one of ``negations`` comes in the ``negation_window`` tokens before it, in its sentence.
    Registered as the ``pledge_theme_ruler_v1`` factory (:mod:`pledge_analysis.text.components`); the
    patterns are data (:func:`patterns_from_codebook`), saved with the pipeline by ``nlp.to_disk``.
    """

    def __init__(self, nlp, name: str = COMPONENT, *, negations=NEGATIONS, negation_window: int = NEGATION_WINDOW):
        from spacy.matcher import PhraseMatcher

        self.nlp, self.name = nlp, name
        self.negations = frozenset(str(w).lower() for w in negations)
        self.negation_window = int(negation_window)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.patterns: list[dict] = []

    def add_patterns(self, patterns: list[dict]) -> None:
        """Add token patterns ``{"code_id", "keyword", "pattern"}`` (see :func:`patterns_from_codebook`)."""
        from spacy.tokens import Doc

        vocab = self.nlp.vocab
        for p in patterns:
            # one token per word, exactly as the Matcher sees them (no re-tokenising of "n't" forms)
            self.matcher.add(p["code_id"], [Doc(vocab, words=list(words)) for words in phrases(p["pattern"])])
            self.patterns.append(p)

    def clear(self) -> None:
        """Remove every pattern."""
        from spacy.matcher import PhraseMatcher

        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.patterns = []

    def __len__(self) -> int:
        return len(self.patterns)

    def __call__(self, doc):
        matches = self.matcher(doc)
        if not matches:
            doc._.pledge_codes = []
            return doc
        starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        strings, window, negations = self.nlp.vocab.strings, self.negation_window, self.negations
        found = set()
        for match_id, start, end in _longest_win(matches):
            sent_start = starts[bisect_right(starts, start) - 1]
            negated = any(t.lower_ in negations for t in doc[max(sent_start, start - window):start])
            span = doc[start:end]
            found.add((span.start_char, span.end_char, strings[match_id], span.text, negated))
        doc._.pledge_codes = sorted(found)
        return doc

    # serialisation: nlp.to_disk / spacy.load keep the patterns (settings are in the pipeline's config)
    def to_bytes(self, *, exclude=()) -> bytes:
        import srsly

        return srsly.json_dumps(self.patterns).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude=()):
        import srsly

        self.clear()
        self.add_patterns(srsly.json_loads(data))
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        import srsly

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.patterns)

    def from_disk(self, path, *, exclude=()):
        import srsly

        file = Path(path) / "patterns.jsonl"
        self.clear()
        if file.exists():
            self.add_patterns(list(srsly.read_jsonl(file)))
        return self


def add_theme_ruler(nlp, codebook: pd.DataFrame) -> ThemeRuler:
    """Add (or refresh) the ``pledge_theme_ruler`` on ``nlp`` with the codebook's keywords.

    The component comes from the versioned factory ``pledge_theme_ruler_v1`` and is named
    ``pledge_theme_ruler`` in ``nlp.pipe_names``.
    A pipeline that already carries the ruler for the same codebook keeps it (patterns are
    compiled once per pipeline, not once per call: the partitioned coder calls this per partition).
    """
    import hashlib

    from ..text import components  # noqa: F401  (registers the factories and doc._.pledge_codes)

    key = hashlib.sha256(codebook.to_json(orient="records", default_handler=str).encode()).hexdigest()
    if COMPONENT in nlp.pipe_names:
        current = nlp.get_pipe(COMPONENT)
        if getattr(current, "codebook_key", None) == key:
            return current
        nlp.remove_pipe(COMPONENT)
    ruler = nlp.add_pipe(components.THEME_RULER_FACTORY, name=COMPONENT, last=True)
    ruler.add_patterns(patterns_from_codebook(codebook, nlp))
    ruler.codebook_key = key
    return ruler


def code_segments(segments: pd.DataFrame, codebook: pd.DataFrame, *, nlp=None, coder: str = "rules",
                  batch_size: int = 256, progress: bool = False) -> pd.DataFrame:
    """Rule-code segments into the ``codings`` table (``method="rules"``, ``status="suggested"``).

    One coding per segment, code and sentence: ``start``/``end`` give the sentence, ``evidence``
    the matched words, ``confidence`` grows with the number of distinct keywords matched.
    Facilitator turns are not coded. Texts of any length are coded whole: those longer than spaCy
    takes at once are cut at sentence ends (:func:`pledge_analysis.text.nlp.chunks`).
    """
    from ..text.nlp import build_nlp, pipe_chunked

    schema.require_columns(segments, ["segment_id", "text"], table="segments")
    if nlp is None:
        nlp = build_nlp()  # a private pipeline: adding the ruler never changes a shared one
    add_theme_ruler(nlp, codebook)
    segs = segments
    if "role" in segs.columns:
        segs = segs[segs["role"].fillna("participant") != "facilitator"]
    rows = []
    texts = segs["text"].fillna("").astype(str).tolist()
    seg_ids = segs["segment_id"].tolist()
    # texts longer than spaCy takes at once (E088) are coded piece by piece, cut at sentence ends
    docs = pipe_chunked(nlp, texts, batch_size=batch_size)
    if progress:
        from tqdm.auto import tqdm

        docs = tqdm(docs, total=len(texts), desc="rule coding", unit="segment")
    by_key: dict[tuple, list] = defaultdict(list)
    current = None
    for i, offset, doc in docs:
        if i != current:
            if current is not None:
                rows += _codings(seg_ids[current], by_key, coder)
            current, by_key = i, defaultdict(list)
        found = doc._.pledge_codes
        if not found:
            continue
        if doc.has_annotation("SENT_START"):
            bounds = [(sent.start_char, sent.end_char) for sent in doc.sents]
        else:
            bounds = [(doc[:].start_char, doc[:].end_char)]
        firsts = [b[0] for b in bounds]
        for s, _e, code, matched, negated in found:
            sent_start, sent_end = bounds[bisect_right(firsts, s) - 1]  # the sentence the keyword starts in
            by_key[(code, offset + sent_start, offset + sent_end)].append((matched.lower(), negated))
    if current is not None:
        rows += _codings(seg_ids[current], by_key, coder)
    if not rows:
        return schema.empty("codings")
    return schema.conform(pd.DataFrame(rows), "codings")


def _codings(seg_id, by_key: dict, coder: str) -> list[dict]:
    """One coding per (code, sentence) of a segment, from the keyword hits grouped in ``by_key``."""
    rows = []
    for (code, s, e), hits in by_key.items():
        words = sorted({m for m, _n in hits})
        rows.append({"segment_id": seg_id, "code_id": code, "coder": coder, "method": "rules",
                     "confidence": round(min(1.0, 0.5 + 0.25 * len(words)), 2), "start": s, "end": e,
                     "status": "suggested", "created_at": None, "memo": None,
                     "evidence": "; ".join(words), "negated": any(n for _m, n in hits)})
    return rows
