"""The coding of one partition of comments: de-identify, rule-code, score sentiment, model-code.

:func:`code_partition` is the one function both engines run (:mod:`pledge_analysis.engine`): the
local engine calls it on chunks of the input in this process, the dask engine maps it over the
partitions of a dask DataFrame (``map_partitions``). It looks at one row at a time only through
batched calls (``nlp.pipe`` inside the rule coder, one sentiment call per partition), so the result
of a row never depends on which partition it is in: the engines agree row for row.

What a worker process builds once, not once per partition (:func:`worker_state`, a per-process
cache keyed by the job's :attr:`CodingJob.key`, a hash of the codebook and the settings): the
sentiment model, the code-to-theme map, the de-identification options and the saved theme
classifier, if any; the spaCy pipeline is built once per process whatever the job.

The comments table (columns :data:`COMMENT_COLUMNS`, one row per input row, in input order):

==================  ===============================================================================
``comment_id``      the input's id column, as text
``text``            the de-identified comment (never the original)
``status``          ``coded`` (at least one code), ``no codes`` (coded, nothing found) or
                    ``not coded`` (see ``reason``)
``reason``          why a row was not coded (empty text, a placeholder such as "N/A", a blank id,
                    an error while coding), or a note (a date that could not be read); else empty
``codes``           the codes found (distinct, sorted): a list of code ids
``confidence``      the confidence of each code in ``codes`` (same order; the highest of its codings)
``themes``          the top-level themes of ``codes`` (distinct, sorted)
``negative_themes`` the themes whose most negative coded sentence is negative
``sentiment``       the comment's sentiment (``negative``, ``neutral``, ``positive``); empty when not coded
``sentiment_score`` its score, -1 .. 1
``n_redactions``    how many identifiers were replaced in ``text``
``site``, ``group``, ``question_id``, ``respondent_id``
                    copied from the input when it has those columns (else empty)
``month``           ``YYYY-MM`` of the input's date column (else empty); a file whose dates only make
                    sense month first (a US export: ``04/13/2025``) is read month first, whole
                    (``03/04/2025`` is then March), as ``run`` reads surveys
==================  ===============================================================================

The codings table (columns :data:`CODING_COLUMNS`): the ``codings`` contract
(:data:`pledge_analysis.schema.CODINGS`, ``segment_id`` holding the comment id) plus ``theme`` and
the ``sentiment`` and ``sentiment_score`` of the coded sentence (of the whole comment for a model coding;
``score`` in earlier releases), as the comments table names the comment's.
"""
from __future__ import annotations

import hashlib
import json
import threading
from functools import cached_property, lru_cache
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema

STATUSES = ("coded", "no codes", "not coded")
CONTEXT_COLUMNS = ("site", "group", "question_id", "respondent_id")
COMMENT_COLUMNS = ("comment_id", "text", "status", "reason", "codes", "confidence", "themes", "negative_themes",
                   "sentiment", "sentiment_score", "n_redactions", "site", "group", "month", "question_id",
                   "respondent_id")
_LISTS = ("codes", "confidence", "themes", "negative_themes")
CODING_COLUMNS = tuple(schema.CODINGS) + ("theme", "sentiment", "sentiment_score")
#: The hidden column of :func:`code_partition`'s result that carries each comment's codings
#: (dropped from the comments table; exploded into the codings table by :func:`codings_table`).
CODINGS_FIELD = "_codings"
_CODING_FIELDS = ("code_id", "method", "confidence", "start", "end", "evidence", "negated", "theme",
                  "sentiment", "sentiment_score")


@dataclass(frozen=True, eq=False)
class CodingJob:
    """Everything a worker needs to code a partition: the codebook, the input's column names, settings.

    It is small and picklable (dask sends it to every worker). ``columns`` maps each role
    (``id``, ``text``, ``site``, ``group``, ``date``, ``question_id``, ``respondent_id``) to the
    input's column name; roles other than ``id`` and ``text`` are optional.
    """

    codebook: pd.DataFrame
    columns: dict = field(default_factory=lambda: {"id": "comment_id", "text": "text"})
    model_path: str | None = None
    labels: tuple[str, ...] | None = None
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    batch_size: int = 256
    #: How each free-text question leans its answers, ``((question_id, polarity), ...)`` (questions.yaml's
    #: ``polarity:``); without it, comments are scored from their text alone.
    polarity: tuple[tuple[str, str], ...] = ()
    #: Other spellings of a site and the one to use, ``((spelling, site), ...)``
    #: (:func:`pledge_analysis.engine.site_spellings`: one hospital spelt three ways is one site, as in ``run``).
    sites: tuple[tuple[str, str], ...] = ()
    #: project.yaml ``deidentify: {pseudonyms:, name_model:}`` (None: the statistical name recognizer's
    #: default, :data:`pledge_analysis.text.deidentify.NAME_MODEL_DEFAULT`), as ``run`` reads them
    pseudonyms: bool = False
    name_model: bool | None = None
    #: the partition comes from a file whose dates are written month first (a US export: decided on the
    #: whole file's date column by :func:`pledge_analysis.io.dates.month_first_dates`, as ``run`` and
    #: ``init`` decide it; :func:`pledge_analysis.engine.month_first_files`); not part of :attr:`key`
    month_first: bool = False
    #: ``deidentify: {ner_model:}``: a trained spaCy NER (package name or absolute folder) whose PERSON
    #: entities join the rules' (:func:`pledge_analysis.text.ner_model.load_ner_model`); None: none
    ner_model: str | None = None

    @cached_property
    def key(self) -> str:
        """A hash of what the per-worker state depends on: the codebook's content, the model file
        (path, size and time) and the de-identification and coding settings."""
        h = hashlib.sha256(self.codebook.to_json(orient="records", default_handler=str).encode("utf-8"))
        model = None
        if self.model_path:
            p = Path(self.model_path)
            model = [str(p.resolve())] + ([p.stat().st_size, p.stat().st_mtime_ns] if p.exists() else [])
        h.update(json.dumps([model, self.labels, list(self.allow), list(self.deny), self.batch_size,
                             [list(p) for p in self.polarity], self.pseudonyms, self.name_model, self.ner_model],
                            default=str).encode("utf-8"))
        return h.hexdigest()

    def column(self, role: str) -> str | None:
        return self.columns.get(role)


class _State:
    """What one process builds once per job: pipeline, sentiment model, theme map, classifier."""

    def __init__(self, job: CodingJob):
        from .coding.codebook import theme_of
        from .coding.sentiment import SentimentClassifier
        from .text.deidentify import Options

        self.nlp = _pipeline()
        self.sentiment = SentimentClassifier(prompt_polarity=dict(job.polarity)).fit()
        self.theme = theme_of(job.codebook)
        self.options = Options.make(job.labels, job.allow, job.deny, pseudonyms=job.pseudonyms,
                                    name_model=job.name_model)
        self.model = load_theme_model(job.model_path, job.codebook) if job.model_path else None
        from .text.ner_model import load_ner_model

        self.ner = load_ner_model(job.ner_model) if job.ner_model else None
        self.lock = _NLP_LOCK  # a threaded worker runs partitions concurrently: one pipeline user at a time


_NLP_LOCK = threading.RLock()


@lru_cache(maxsize=1)
def _pipeline():
    """This process's spaCy pipeline, private to the coding jobs (the rule coder sets its codebook's
    component on it for each partition), built once whatever the jobs."""
    from .text.nlp import build_nlp

    return build_nlp()


_STATES: dict[str, _State] = {}
_STATES_LOCK = threading.Lock()
#: How many times this process built the state of each job key (1 however many partitions it codes).
BUILDS: dict[str, int] = {}


def worker_state(job: CodingJob) -> _State:
    """This process's state for ``job`` (built on first use, then reused for every partition)."""
    key = job.key
    with _STATES_LOCK:
        state = _STATES.get(key)
        if state is None:
            state = _STATES[key] = _State(job)
            BUILDS[key] = BUILDS.get(key, 0) + 1
        return state


def load_theme_model(path: str, codebook: pd.DataFrame):
    """The theme model saved at ``path`` for coding comments with ``codebook``: a
    :class:`~pledge_analysis.coding.classifier.ThemeClassifier` or a
    :class:`~pledge_analysis.coding.ensemble.FineTunedThemeClassifier` saved with ``.save(path, codebook=...)``
    (in a notebook, or by ``pledge-analysis run``, which keeps its model beside the project store).

    Stricter than ``CLASS.load``, since its codes go into a whole table unseen: a file saved by another
    version of pledge_analysis is refused rather than warned about, as are files that are not model files,
    models of another kind (a sentiment model, a fine-tuned head on its own) and models whose codes the
    codebook lacks: :class:`~pledge_analysis.errors.ModelUnavailableError` (``PA701``, ``PA702``) with what to do.
    """
    from . import __version__
    from .coding.estimator import _check_codebook, read_model_file
    from .errors import ModelUnavailableError

    hint = "Fit the model and save it again with model.save(path, codebook=...), or run without --model."
    record = read_model_file(path, hint=hint)
    est = record["estimator"]
    if not (getattr(est, "_classes_are_codes", False) and hasattr(est, "predict_proba")):
        raise ModelUnavailableError(f"the file holds a {record.get('class')}, which does not predict codebook codes",
                                    path=path, code="PA701", hint="Pass a ThemeClassifier or FineTunedThemeClassifier "
                                    "saved with .save(path, codebook=...); a fine-tuned head on its own "
                                    "(FineTunedClassifier) codes through FineTunedThemeClassifier.")
    if record.get("pledge_analysis") != __version__:
        raise ModelUnavailableError(f"the model was saved by pledge_analysis {record.get('pledge_analysis')}; this is "
                                    f"{__version__}, and a model's inner workings may differ between versions",
                                    path=path, code="PA701", hint="Fit it again with this version and save it (a "
                                    "re-run of `pledge-analysis run` refits and keeps the run's model), or install "
                                    f"pledge_analysis {record.get('pledge_analysis')} to use this file.")
    if not hasattr(est, "__sklearn_is_fitted__") or not est.__sklearn_is_fitted__():
        raise ModelUnavailableError("the model in the file is not fitted", path=path, code="PA701", hint=hint)
    _check_codebook(est, record, codebook, Path(path))
    return est


def empty_comments(with_codings: bool = True) -> pd.DataFrame:
    """The comments table with no rows and its fixed dtypes (dask's ``meta``)."""
    cols = {c: pd.Series(dtype=object) for c in COMMENT_COLUMNS}
    cols["sentiment_score"] = pd.Series(dtype="float64")
    cols["n_redactions"] = pd.Series(dtype="int64")
    if with_codings:
        cols[CODINGS_FIELD] = pd.Series(dtype=object)
    return pd.DataFrame(cols)


def empty_codings() -> pd.DataFrame:
    """The codings table with no rows and its fixed dtypes."""
    cols = {c: pd.Series(dtype=object) for c in CODING_COLUMNS}
    for c in ("confidence", "sentiment_score"):
        cols[c] = pd.Series(dtype="float64")
    for c in ("start", "end"):
        cols[c] = pd.Series(dtype="Int64")
    return pd.DataFrame(cols)


def _text_values(series: pd.Series) -> list[str]:
    """Cells as text: missing values (None, NaN, NA) become ''; numbers their usual text."""
    return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in series.tolist()]


def code_partition(df: pd.DataFrame, job: CodingJob) -> pd.DataFrame:
    """Code one partition: one row per input row, in order (columns :data:`COMMENT_COLUMNS` and
    :data:`CODINGS_FIELD`). Rows that cannot be coded are kept with ``status="not coded"`` and a reason.

    >>> from pledge_analysis.coding.codebook import codebook_from_records
    >>> cb = codebook_from_records([{"id": "waiting", "name": "Waiting", "keywords": ["wait"]}])
    >>> job = CodingJob(cb)
    >>> part = pd.DataFrame({"comment_id": ["a", "b"], "text": ["I waited for hours, awful.", "N/A"]})
    >>> code_partition(part, job)[["comment_id", "status", "reason", "codes", "negative_themes"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['a', 'coded', '', ['waiting'], ['waiting']],
     ['b', 'not coded', 'placeholder answer with no content to code', [], []]]
    """
    if len(df) == 0:
        return empty_comments()
    from .io.safe import clean_text, markup_removed
    from .io.surveys import PLACEHOLDERS

    n = len(df)
    ids = _text_values(df[job.column("id")])
    # line breaks as ``run`` reads them (io.files.decode_bytes): an Excel export's "\r\n" inside a cell is one "\n"
    raw = [markup_removed(clean_text(t.replace("\r\n", "\n").replace("\r", "\n")))
           for t in _text_values(df[job.column("text")])]  # a web form's HTML read as run reads it
    reasons = [""] * n
    codable = np.ones(n, dtype=bool)
    for i, (rid, text) in enumerate(zip(ids, raw)):
        low = text.strip().lower()
        if not rid.strip():
            reasons[i], codable[i] = f"blank {job.column('id')}: every row needs an id to be coded", False
        elif not low:
            reasons[i], codable[i] = "empty text", False
        elif low in PLACEHOLDERS or low.strip(" .!") in PLACEHOLDERS:
            reasons[i], codable[i] = "placeholder answer with no content to code", False
    context = {}
    for role in CONTEXT_COLUMNS:
        col = job.column(role)
        context[role] = _text_values(df[col]) if col and col in df.columns else [""] * n
    if job.sites:
        one = dict(job.sites)
        context["site"] = [one.get(v, v) for v in context["site"]]
    months = [None] * n
    date_col = job.column("date")
    if date_col and date_col in df.columns:
        from .io.dates import months as read_months  # the one date grammar (ISO, UK day first, months)

        months, problems = read_months(df[date_col], month_first=job.month_first)
        raw_dates = df[date_col].tolist()
        for i, why in enumerate(problems):
            if why:
                shown = repr(str(raw_dates[i]).strip())
                why = why[len(shown):].strip() if why.startswith(shown) else why
                note = f"date {shown} not read as a date ({why}): month left blank"
                reasons[i] = f"{reasons[i]}; {note}" if reasons[i] else note

    state = worker_state(job)
    with state.lock:
        texts, n_red = _deidentify(raw, state)
        per_row, sentiment, scores = _code(texts, codable, context["question_id"], reasons, job, state)

    out = pd.DataFrame({
        "comment_id": ids, "text": texts, "status": None, "reason": reasons,
        "codes": None, "confidence": None, "themes": None, "negative_themes": None,
        "sentiment": sentiment, "sentiment_score": np.asarray(scores, dtype="float64"),
        "n_redactions": np.asarray(n_red, dtype="int64"),
        "site": context["site"], "group": context["group"], "month": months,
        "question_id": context["question_id"], "respondent_id": context["respondent_id"],
    }, index=df.index)
    codes, conf, themes, negative, status = [], [], [], [], []
    for i, rows in enumerate(per_row):
        best: dict[str, float] = {}
        worst: dict[str, tuple[float, str]] = {}
        for r in rows:
            best[r[0]] = max(best.get(r[0], -1.0), r[2])
            if r[7] not in worst or r[9] < worst[r[7]][0]:
                worst[r[7]] = (r[9], r[8])
        keys = sorted(best)
        codes.append(keys)
        conf.append([float(best[k]) for k in keys])
        themes.append(sorted(worst))
        negative.append(sorted(t for t, (_s, lab) in worst.items() if lab == "negative"))
        status.append("not coded" if not codable[i] else ("coded" if keys else "no codes"))
    out["codes"], out["confidence"], out["themes"], out["negative_themes"] = codes, conf, themes, negative
    out["status"] = status
    out["reason"] = reasons
    out[CODINGS_FIELD] = per_row
    return out


def _deidentify(raw: list[str], state: _State) -> tuple[list[str], list[int]]:
    """Every text de-identified (also those not coded: no original text ever leaves this function)."""
    from .text.deidentify import redact

    texts, counts = [], []
    for text in raw:  # the de-identifier works one text at a time (no batched form)
        r = redact(text, options=state.options, nlp=state.ner)
        texts.append(r.text)
        counts.append(len(r.spans))
    return texts, counts


def _code(texts: list[str], codable: np.ndarray, questions: list[str], reasons: list[str], job: CodingJob,
          state: _State) -> tuple[list[list[tuple]], list, list[float]]:
    """Rule codes, model codes and sentiment for the codable rows (batched); per row a list of codings
    ``(code_id, method, confidence, start, end, evidence, negated, theme, sentiment, sentiment_score)``."""
    n = len(texts)
    per_row: list[list[tuple]] = [[] for _ in range(n)]
    sentiment, scores = [None] * n, [np.nan] * n
    rows = np.flatnonzero(codable)
    if not len(rows):
        return per_row, sentiment, scores
    segs = pd.DataFrame({"segment_id": rows, "text": [texts[i] for i in rows],
                         "question_id": [questions[i] or None for i in rows]})
    try:
        codings = _codings(segs, job, state)
    except Exception:  # noqa: BLE001 - find the rows at fault, code the others
        parts = []
        for i in rows:
            try:
                parts.append(_codings(segs[segs["segment_id"] == i], job, state))
            except Exception as exc:  # noqa: BLE001 - the row is kept, with the reason
                codable[i] = False
                reasons[i] = f"coding failed ({type(exc).__name__}: {exc})"
        codings = pd.concat(parts, ignore_index=True) if parts else empty_codings()
        segs = segs[codable[segs["segment_id"].to_numpy()]]
    if len(segs):
        pred = state.sentiment.predict(segs[["text", "question_id"]].reset_index(drop=True))
        for i, lab, sc in zip(segs["segment_id"], pred["sentiment"], pred["sentiment_score"]):
            sentiment[i], scores[i] = lab, float(sc)
    if len(codings):
        codings = _unit_sentiment(codings, texts, questions, state)
        for rec in zip(codings["segment_id"], codings["code_id"], codings["method"], codings["confidence"],
                       codings["start"], codings["end"], codings["evidence"], codings["negated"],
                       codings["theme"], codings["sentiment"], codings["sentiment_score"]):
            per_row[int(rec[0])].append(tuple(rec[1:]))
    return per_row, sentiment, scores


def _codings(segs: pd.DataFrame, job: CodingJob, state: _State) -> pd.DataFrame:
    from .coding.rules import code_segments

    codings = code_segments(segs[["segment_id", "text"]], job.codebook, nlp=state.nlp, batch_size=job.batch_size)
    if state.model is not None:
        from .coding.classifier import model_codings

        codings = pd.concat([codings, model_codings(state.model, segs[["segment_id", "text"]])], ignore_index=True)
    codings = codings.assign(theme=codings["code_id"].map(state.theme))
    return codings.dropna(subset=["theme"])


def _unit_sentiment(codings: pd.DataFrame, texts: list[str], questions: list[str], state: _State) -> pd.DataFrame:
    """The sentiment of each coding's sentence (the whole text without a span), as
    :func:`pledge_analysis.coding.themes.coded_units` scores it: each distinct (sentence, question) once."""
    rows = codings["segment_id"].astype(int).to_numpy()
    units = [texts[i][int(s):int(e)] if pd.notna(s) and pd.notna(e) else texts[i]
             for i, s, e in zip(rows, codings["start"], codings["end"])]
    keys = [(u, questions[i] or None) for u, i in zip(units, rows)]
    first: dict = {}
    inverse = np.array([first.setdefault(k, j) for j, k in enumerate(keys)], dtype=np.int64)
    distinct = np.unique(inverse)
    pred = state.sentiment.predict(pd.DataFrame({"text": [keys[j][0] for j in distinct],
                                                 "question_id": [keys[j][1] for j in distinct]}))
    at = np.searchsorted(distinct, inverse)
    return codings.assign(sentiment=pred["sentiment"].to_numpy()[at],
                          sentiment_score=pred["sentiment_score"].to_numpy()[at])


def comments_table(coded: pd.DataFrame) -> pd.DataFrame:
    """The comments table of a coded partition (its :data:`CODINGS_FIELD` dropped)."""
    return coded.drop(columns=[CODINGS_FIELD])


def codings_table(coded: pd.DataFrame) -> pd.DataFrame:
    """The long codings table of a coded partition (columns :data:`CODING_COLUMNS`), one row per coding."""
    ids = coded["comment_id"].tolist()
    recs = [(cid, *rec) for cid, rows in zip(ids, coded[CODINGS_FIELD].tolist()) for rec in rows]
    if not recs:
        return empty_codings()
    df = pd.DataFrame(recs, columns=("segment_id",) + _CODING_FIELDS)
    df = df.assign(coder=df["method"], status="suggested", created_at=None, memo=None)
    out = empty_codings()
    out = pd.DataFrame({c: df[c] if c in df.columns else None for c in CODING_COLUMNS})
    out["confidence"] = out["confidence"].astype("float64")
    out["sentiment_score"] = out["sentiment_score"].astype("float64")
    for c in ("start", "end"):
        out[c] = pd.array(out[c], dtype="Int64")
    for c in ("coder", "created_at", "memo"):
        out[c] = out[c].astype(object)
    return out
