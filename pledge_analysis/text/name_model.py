"""A statistical name recognizer: logistic regression over hashed word and context features.

It runs after the PERSON rules (:mod:`.name_rules`), only on words the rules did not mark (and not on a
comment written in Welsh or Polish, :func:`.name_cues.foreign_language`): a capitalised word that is not a
title, role, family word, month or label ("Handover:"), nor a first name that is also an ordinary word
(:data:`~.deidentify_data.WORD_NAMES`) unless a cue such as "saw" or "thanks" comes right before it, or a lower-case word rarer in English than
:data:`LOWER_LOGPROB` that is a known first name (or a surname or unknown word) next to a name or a cue
("me and lucy", "ty haziq"). Each
candidate gets features (:func:`token_features`: the word, its shape, casing, affixes, how common it is in
English, gazetteer hits, the neighbouring words and their shapes, whether a title, role, family word,
speech verb, praise word or a rule-found name is next to it), hashed into :data:`N_FEATURES` buckets; the
weights are in ``pledge_analysis/resources/name_model.npz`` (written by ``tools/build_name_model.py`` from
Faker names of ~80 locales put into real pxtextmining comments outside both labelled samples, with the
real comments' other capitalised words, Welsh and Polish comments and lists of places, drugs and wards
as negatives). A candidate is a name when its probability is at least :data:`THRESHOLD` (chosen on the
development sets only); neighbouring names join into one span.

The file is checked against :data:`MODEL_SHA256` and :data:`MODEL_VERSION`; a missing file means rules
only, with one logged note; a changed or foreign file raises :class:`~pledge_analysis.errors.ModelUnavailableError`.

>>> [sp[:3] for sp in model_spans("We saw Wanjiru Otieno on Monday", [])]
[(7, 21, 'PERSON')]
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
import zlib
from functools import lru_cache
from pathlib import Path

from .deidentify_data import (EDGE_WORDS, FAMILY, MONTH_WORDS, NOT_NAMES, PRAISE, ROLE_WORDS, SPEECH_VERBS, TITLES,
                              WORD_NAMES)

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).resolve().parents[1] / "resources" / "name_model.npz"
#: The feature set's version: a file written for other features is refused.
MODEL_VERSION = 1
#: Hash buckets of the features.
N_FEATURES = 2 ** 17
#: SHA-256 of the committed model file (``tools/build_name_model.py`` prints it).
MODEL_SHA256 = "ff0e05f4a3e8ad0ad6ba5c63b67de517fc8ee9bce11f011abc4da8c9012f9c04"
#: Probability from which a candidate word is a name (decided on the development sets only).
THRESHOLD = 0.94

_WORD = re.compile(r"(?<![\w'’-])[^\W\d_](?:(?:[^\W\d_]|['’-])*[^\W\d_])?(?!\w)")
_ROLES = frozenset(w for r in ROLE_WORDS for w in r.split()) | frozenset(
    {"hca", "physio", "dietitian", "dietician", "phlebotomist", "sonographer", "radiographer", "ot", "cns",
     "housekeeper", "porter", "receptionist", "midwife", "registrar", "volunteer", "chaplain", "pharmacist"})
#: Never a candidate: titles, roles, family words, greetings, months.
_NEVER = TITLES | NOT_NAMES | _ROLES | EDGE_WORDS | MONTH_WORDS | frozenset(FAMILY) | frozenset(
    {"christian", "muslim", "jewish", "hindu", "sikh", "catholic", "buddhist", "english", "welsh", "scottish",
     "irish", "british", "polish", "asian", "african", "caribbean", "european", "indian", "pakistani", "chinese"})
#: An eponymous disease, device, score or place after the word: "Paget's disease", "a Hickman line".
_EPONYM = re.compile(r"(?:['’]s?)?\s+(?:disease|syndrome|palsy|lymphoma|sarcoma|phenomenon|test|sign|wing|line|"
                     r"catheter|port|score|flap|procedure|drain|classification|scale|criteria|"
                     r"ward|unit|centre|center|building|suite|house|lodge|hospital|clinic)\b", re.I)
#: A lower-case word is a candidate only when rarer in English than this (log-probability): "lucy", not "ruby".
LOWER_LOGPROB = -15.0
_GREETINGS = frozenset({"ty", "thx", "thanks", "thank", "cheers", "luv", "love", "hi", "hiya", "dear", "hello"})
#: The words after which a lower-case word may be a name ("ty haziq", "me and lucy", "nurse kamau").
_LOWER_CUES = _GREETINGS | _ROLES | TITLES | frozenset({"and", "&", "to", "with", "by", "ask", "asked", "see", "saw",
                                                         "called", "named", "is", "was"})
#: The words after which a first name that is also an ordinary word (:data:`WORD_NAMES`: "Holly", "Frank", "Alexa")
#: is a candidate at all ("I saw Mark and James", "especially Mark"; not "with Holly and ivy", "A Frank discussion").
_WORD_NAME_CUES = frozenset({"saw", "see", "seen", "thanks", "thank", "ty", "thx", "cheers", "especially",
                             "particularly", "by", "called", "named", "ask", "asked", "meet", "met"})
#: Nationality endings, and the words before which such a word describes a person rather than naming one.
_DEMONYM = ("ian", "ese", "ish", "ean", "iote")
_DESCRIBING = frozenset({"was", "is", "are", "were", "a", "an", "very", "so", "being", "as"})
_CUES = frozenset({"thanks", "thank", "ty", "cheers", "luv", "love", "dear", "hi", "hello", "to", "by", "with",
                   "and", "&", "from", "called", "named", "ask", "asked", "see", "saw", "for"})


def _shape(w: str) -> str:
    s = re.sub(r"[A-ZÀ-Þ]", "X", w)
    s = re.sub(r"[a-zß-ÿ]", "x", s)
    s = re.sub(r"[^Xx'’-]", "o", s)
    return re.sub(r"(.)\1{2,}", r"\1\1", s)


def _bare(w: str) -> str:
    lw = w.lower().replace("’", "'")
    return lw[:-2] if lw.endswith("'s") else lw.rstrip("'")


def _is_cap(w: str) -> bool:
    return w[0].isupper() and not (len(w) > 1 and (w.isupper() or w[1].isupper())) and w != "I"


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 4):pos].rstrip()
    return not before or before[-1] in ".!?\n:;\"“(-"


@lru_cache(maxsize=1)
def _lexicon():
    from .names import _probabilities, common_words, gazetteers

    first, last = gazetteers()
    return first, last, common_words(), _probabilities()


def candidates(text: str, taken, lex=None) -> tuple[list[tuple[int, int, str]], list[int]]:
    """The ``_WORD`` tokens of ``text`` and the indices of those the model scores: not inside ``taken`` (spans already
    found or allowed), a capitalised word, or a lower-case known name word that is not common English."""
    first, last, common, prob = lex or _lexicon()
    toks = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    out = []
    for i, (s, e, w) in enumerate(toks):
        if len(w) < 2 or any(a < e and s < b for a, b in taken):
            continue
        b = _bare(w)
        if b in _NEVER or len(b) < 2:
            continue
        if _is_cap(w):
            if i and b.endswith(_DEMONYM) and b not in first and _bare(toks[i - 1][2]) in _DESCRIBING:
                continue  # "was Ghanaian", "a Togolese": a nationality
            if b in WORD_NAMES and not (i and _bare(toks[i - 1][2]) in _WORD_NAME_CUES) and not (
                    i > 1 and toks[i - 1][2] in ("and", "&") and _is_cap(toks[i - 2][2])):  # "James and Mark"
                continue
            if not (text[e:e + 1] == ":" and _sentence_start(text, s)):  # "Handover: H. Bamgbose" is a label
                out.append(i)
        elif w.islower() and b not in common and prob.get(b, -99.0) < LOWER_LOGPROB and (
                b in first or (b in last and _next_to_first(toks, i, first))
                or b not in prob) and (_next_to_first(toks, i, first) or (i and _bare(toks[i - 1][2]) in _LOWER_CUES)):
            out.append(i)  # "me and lucy", "olga krylova's", "ty haziq"; not "walker", "ivy", "have benn"
    return toks, out


def _next_to_first(toks, i: int, first) -> bool:
    return any(0 <= j < len(toks) and _bare(toks[j][2]) in first for j in (i - 1, i + 1))


def token_features(text: str, toks, i: int, near_rule: set[int], lex) -> list[str]:
    """The features of token ``i`` (strings, hashed by :func:`_index`)."""
    first, last, common, prob = lex
    s, e, w = toks[i]
    b = _bare(w)
    lp = prob.get(b, -25.0)
    f = ["bias", "w=" + b, "shape=" + _shape(w), "suf3=" + b[-3:], "suf2=" + b[-2:], "pre3=" + b[:3],
         "len=" + str(min(len(b), 12)), "lp=" + str(max(-25, int(lp) // 2 * 2))]
    if b in common:
        f.append("common")
    if b in first:
        f.append("gfirst")
    if b in last:
        f.append("glast")
    if b in first and b in common:
        f.append("gfirst&common")
    if w[0].isupper():
        f.append("cap")
    else:
        f.append("lower")
    start = _sentence_start(text, s)
    if start:
        f.append("sentstart")
        f.append("sentstart&" + ("common" if b in common else "rare"))
    kind = "unk" if b not in prob else ("rare" if lp < -15 else ("mid" if b not in common else "common"))
    f.append(f"{kind}&{'cap' if w[0].isupper() else 'low'}&{'start' if start else 'inside'}")
    if i:
        f.append(f"-1w={_bare(toks[i - 1][2])}&{kind}")
    if w.lower().endswith(("'s", "’s")):
        f.append("poss")
    if i in near_rule:
        f.append("near_rule")
    for off in (-2, -1, 1, 2):
        j = i + off
        if 0 <= j < len(toks):
            pw = toks[j][2]
            pb = _bare(pw)
            gap = text[toks[j][1]:s] if off < 0 else text[e:toks[j][0]]
            f.append(f"{off}w={pb}")
            if abs(off) == 1:
                f.append(f"{off}shape={_shape(pw)}")
                f.append(f"{off}gap={gap.strip()[:2]}")
                f.extend(f"{off}{name}" for name, words in _NEIGHBOUR_WORDS if pb in words)
                if _is_cap(pw) and pb not in common:
                    f.append(f"{off}caprare")
                if pb in first or pb in last:
                    f.append(f"{off}gaz")
                if j in near_rule or toks[j][2] == "[PERSON]":
                    f.append(f"{off}rule")
        else:
            f.append(f"{off}w=<none>")
    return f


#: The word lists whose presence next to a candidate is a feature (``-1title``, ``1speech``, ...), in feature order.
_NEIGHBOUR_WORDS = (("title", TITLES), ("role", _ROLES), ("family", FAMILY), ("speech", SPEECH_VERBS),
                    ("praise", PRAISE), ("cue", _CUES))

def _index(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (N_FEATURES - 1)


class NameModel:
    """The weights of the model file and the scoring of candidate words."""

    def __init__(self, weights, bias: float, threshold: float = THRESHOLD):
        self.weights = weights
        self.bias = float(bias)
        self.threshold = threshold

    @classmethod
    def load(cls, path: str | Path = MODEL_FILE, *, check_hash: bool = True) -> "NameModel":
        import numpy as np

        from ..errors import ModelUnavailableError

        path = Path(path)
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if check_hash and digest != MODEL_SHA256:
            raise ModelUnavailableError(
                f"the name model {path} is not the file this release was built with (SHA-256 {digest[:12]}..., "
                f"expected {MODEL_SHA256[:12]}...)",
                hint="Reinstall the package, rebuild it with tools/build_name_model.py, or set "
                     "deidentify: {name_model: false} in project.yaml to use the rules only.")
        with np.load(path) as z:
            version = int(z["version"]) if "version" in z.files else -1
            n = int(z["n_features"]) if "n_features" in z.files else -1
            if version != MODEL_VERSION or n != N_FEATURES:
                raise ModelUnavailableError(
                    f"the name model {path} is version {version} with {n} features; this release reads version "
                    f"{MODEL_VERSION} with {N_FEATURES}",
                    hint="Rebuild it with tools/build_name_model.py, or set deidentify: {name_model: false}.")
            return cls(z["weights"].astype("float32"), float(z["bias"]))

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(float(self.weights[_index(f)]) for f in set(features))
        return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0


_missing_noted = False


@lru_cache(maxsize=1)
def _default_model() -> NameModel | None:
    global _missing_noted
    if not MODEL_FILE.exists():
        if not _missing_noted:
            log.warning("name model %s is missing: PERSON names are found by the rules only "
                        "(rebuild it with tools/build_name_model.py)", MODEL_FILE)
            _missing_noted = True
        return None
    return NameModel.load(MODEL_FILE)


def model_spans(text: str, taken, rule_spans=(), model: NameModel | None = None
                ) -> list[tuple[int, int, str, float]]:
    """PERSON spans ``(start, end, "PERSON", score)`` (score: 0.7 x the probability, below the rules' cues) the model finds in ``text`` outside ``taken``
    (``(start, end)`` ranges already found or allowed); ``rule_spans``: the rules' PERSON spans, whose
    neighbours get the ``near_rule`` feature. ``model``: default, the package's file (none: ``[]``)."""
    model = model or _default_model()
    if model is None or not text:
        return []
    lex = _lexicon()
    toks, cand = candidates(text, taken, lex)
    if not cand:
        return []
    near = set()
    for i, (s, e, _w) in enumerate(toks):
        if any(a < e and s < b for a, b, *_ in rule_spans):
            near.add(i)
    hits = []
    for i in cand:
        p = model.probability(token_features(text, toks, i, near, lex))
        if p >= model.threshold:
            hits.append((i, p))
    out: list[tuple[int, int, str, float, int]] = []  # (start, end, label, probability, last token)
    for i, p in hits:
        s, e, w = toks[i]
        if w.lower().endswith(("'s", "’s")):
            e -= 2
        if out and out[-1][4] == i - 1 and text[out[-1][1]:s].strip() in ("", "."):
            ps, _pe, _l, pp, _j = out[-1]
            out[-1] = (ps, e, "PERSON", min(pp, p), i)
        else:
            out.append((s, e, "PERSON", p, i))
    from .name_rules import _plausible

    kept = []
    for s, e, label, p, _i in out:
        sp = _plausible(text, (s, e, label, round(0.7 * p, 2)))  # below the rules' cue score
        if sp and not _EPONYM.match(text, sp[1]):  # not a place, ward, team or role; not "Paget's disease"
            kept.append(sp)
    return kept
