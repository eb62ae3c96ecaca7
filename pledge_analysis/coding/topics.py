"""Topic discovery: a small adapter over BERTopic that returns tidy tables.

``TopicExplorer(random_state=0).fit(segments)`` embeds the texts (cached, offline), reduces them
with a seeded UMAP on centred embeddings (same input, same topics; see :func:`_umap`), clusters with HDBSCAN at a size that suits the
corpus (``min_topic_size`` defaults to about n / 150, at least 5: sensible for one hospital's few
hundred comments and for tens of thousands), reassigns outliers to their nearest topic by
embedding, and describes topics with c-TF-IDF terms. The codebook can guide it: its code
names and keywords become seed words (BERTopic's ``seed_topic_list``) and, with
``zeroshot=True``, zero-shot topics that comments join when similar enough.

Outputs (DataFrames): :attr:`topic_info_` (``topic_id, label, n, top_terms, representative``),
:attr:`segment_topics_` (``segment_id, topic_id, label``), :meth:`by` (topics by group or site),
:meth:`over_time` (by month from the segments' dates), :meth:`map_to_codebook` (each topic's most similar code, and proposals for new
codes where none is similar), and :meth:`coordinates` for a 2-D map. :func:`accept_proposals`
adds chosen proposals to the codebook in one call.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager

import numpy as np
import pandas as pd

from ..errors import InputError, NotFittedError

log = logging.getLogger(__name__)


@contextmanager
def _quiet(name: str, level: int = logging.ERROR):
    """Within the block, the logger ``name`` shows only records at ``level`` or above; its previous level
    comes back afterwards. Only that logger: the process-wide setting (``logging.disable``) and every other
    logger are left as the user set them.

    >>> log = logging.getLogger("demo.quiet"); log.setLevel(logging.INFO)
    >>> with _quiet("demo.quiet"):
    ...     log.isEnabledFor(logging.WARNING)
    False
    >>> log.level == logging.INFO
    True
    """
    logger = logging.getLogger(name)
    previous = logger.level
    # a filter as well as the level: BERTopic sets its logger's level again inside fit
    drop = logging.Filter()
    drop.filter = lambda record: record.levelno >= level
    logger.setLevel(level)
    logger.addFilter(drop)
    try:
        yield logger
    finally:
        logger.removeFilter(drop)
        logger.setLevel(previous)


#: UMAP's notices about our own deliberate choices: a precomputed distance matrix (small corpora) and a seed
#: (reproducible topics, hence one thread). Nothing else is hidden.
_UMAP_NOTICES = ("using precomputed metric; inverse_transform will be unavailable",
                 "n_jobs value .* overridden to 1 by setting random_state")


@contextmanager
def _umap_notices_hidden():
    """Within the block, only UMAP's notices in :data:`_UMAP_NOTICES` are not shown; the warning filters come
    back as they were afterwards.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     with _umap_notices_hidden():
    ...         warnings.warn("using precomputed metric; inverse_transform will be unavailable")
    ...         warnings.warn("something else")
    >>> [str(w.message) for w in seen]
    ['something else']
    """
    import warnings

    with warnings.catch_warnings():
        for message in _UMAP_NOTICES:
            warnings.filterwarnings("ignore", message=message, category=UserWarning)
        yield

def import_bertopic():
    """``bertopic.BERTopic``, imported without its side effect on the whole process.

    ``bertopic/_bertopic.py`` runs ``warnings.filterwarnings("ignore", category=UserWarning)`` when it is first
    imported, which would hide every later UserWarning of this package (a reworded question left out of goal
    progress, a short SPC series ...) for the rest of a notebook or script. The import is made inside
    ``warnings.catch_warnings()``, which puts the warning filters back as they were.
    """
    import warnings

    with warnings.catch_warnings():
        from bertopic import BERTopic
    return BERTopic

class TopicExplorer:
    """BERTopic behind tidy tables; see the module docstring."""

    def __init__(self, *, random_state: int = 0, min_topic_size: int | None = None, n_neighbors: int = 15,
                 n_components: int = 5, embedding_model: str = "minilm", reduce_outliers: bool = True,
                 codebook: pd.DataFrame | None = None, zeroshot: bool = False, zeroshot_min_similarity: float = 0.45,
                 min_chars: int = 12):
        self.random_state = random_state
        self.min_topic_size = min_topic_size
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.embedding_model = embedding_model
        self.reduce_outliers = reduce_outliers
        self.codebook = codebook
        self.zeroshot = zeroshot
        self.zeroshot_min_similarity = zeroshot_min_similarity
        self.min_chars = min_chars

    def _codebook_themes(self):
        cb = self.codebook
        top = cb[cb["parent_id"].map(lambda p: p is None or p != p or p == "")]
        seeds = [[w.lower() for w in (kw or []) if " " not in w][:8] for kw in top["keywords"]]
        labels = [f"{n}: {d}"[:120] for n, d in zip(top["name"], top["description"])]
        return [s for s in seeds if s], labels

    def fit(self, segments: pd.DataFrame | list[str], embeddings: np.ndarray | None = None) -> "TopicExplorer":
        BERTopic = import_bertopic()
        from hdbscan import HDBSCAN
        from sklearn.feature_extraction.text import CountVectorizer

        from .embeddings import embed, load_model

        if not isinstance(segments, pd.DataFrame):
            segments = pd.DataFrame({"segment_id": [f"t{i}" for i in range(len(segments))], "text": list(segments)})
        segs = segments
        if "role" in segs.columns:
            segs = segs[segs["role"].fillna("participant") != "facilitator"]
        segs = segs[segs["text"].fillna("").str.len() >= self.min_chars].reset_index(drop=True)
        if len(segs) < 20:
            raise InputError(f"topic discovery needs at least 20 texts of {self.min_chars}+ characters; got {len(segs)}",
                             hint="Use more comments (or all hospitals together).")
        docs = segs["text"].tolist()
        emb = embed(docs, self.embedding_model) if embeddings is None else embeddings
        size = self.min_topic_size or max(5, round(len(docs) / 150))
        umap = _umap(len(docs), n_neighbors=min(self.n_neighbors, len(docs) - 1), n_components=self.n_components,
                     min_dist=0.0, random_state=self.random_state)
        hdb = HDBSCAN(min_cluster_size=size, metric="euclidean", cluster_selection_method="eom", prediction_data=True)
        vec = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2 if len(docs) >= 100 else 1)
        kwargs = {}
        if self.codebook is not None:
            seeds, labels = self._codebook_themes()
            kwargs["seed_topic_list"] = seeds or None
            if self.zeroshot:
                kwargs.update(zeroshot_topic_list=labels, zeroshot_min_similarity=self.zeroshot_min_similarity)
        self.model_ = BERTopic(embedding_model=load_model(self.embedding_model), umap_model=umap, hdbscan_model=hdb,
                               vectorizer_model=vec, min_topic_size=size, calculate_probabilities=False, **kwargs)
        with _quiet("BERTopic"), _umap_notices_hidden():  # advice and notices about our own choices
            topics, _ = self.model_.fit_transform(docs, embeddings=emb)
            if self.reduce_outliers and -1 in set(topics) and len(set(topics)) > 1:
                topics = self.model_.reduce_outliers(docs, topics, strategy="embeddings", embeddings=emb)
                self.model_.update_topics(docs, topics=topics, vectorizer_model=vec)
        self.docs_, self.embeddings_, self.segments_ = docs, emb, segs
        self.topics_ = np.asarray(self.model_.topics_)
        self._build_tables()
        return self

    def _build_tables(self) -> None:
        info = self.model_.get_topic_info()
        rows = []
        for tid in info["Topic"]:
            terms = [w for w, _s in (self.model_.get_topic(tid) or [])][:8]
            members = np.flatnonzero(self.topics_ == tid)
            rep = ""
            if len(members):
                centre = self.embeddings_[members].mean(axis=0)
                best = members[np.argmax(self.embeddings_[members] @ centre)]
                rep = self.docs_[best]
            label = "outliers" if tid == -1 else ", ".join(terms[:3])
            rows.append({"topic_id": int(tid), "label": label, "n": int(len(members)), "top_terms": ", ".join(terms),
                         "representative": rep})
        self.topic_info_ = pd.DataFrame(rows).query("n > 0").sort_values(["topic_id"]).reset_index(drop=True)
        labels = dict(zip(self.topic_info_["topic_id"], self.topic_info_["label"]))
        self.segment_topics_ = pd.DataFrame({"segment_id": self.segments_["segment_id"].to_numpy(),
                                             "topic_id": self.topics_, "label": [labels.get(t) for t in self.topics_]})

    def _check_fitted(self) -> None:
        if not hasattr(self, "segment_topics_"):
            raise NotFittedError(type(self).__name__, hint="Call fit(segments) first.")

    def by(self, column: str) -> pd.DataFrame:
        """Counts and shares of each topic within each value of ``column`` (e.g. ``group`` or ``site``)."""
        self._check_fitted()
        d = self.segment_topics_.merge(self.segments_[["segment_id", column]], on="segment_id")
        out = d.groupby([column, "topic_id", "label"]).size().rename("n").reset_index()
        out["share"] = out["n"] / out.groupby(column)["n"].transform("sum")
        return out

    def over_time(self, dates: pd.Series | None = None, freq: str = "M") -> pd.DataFrame:
        """Topic counts and shares per period (``period, topic_id, label, n, share``).

        ``dates`` is indexed by ``segment_id``; by default the segments' ``timestamp`` (a survey's
        completion date), read by :mod:`pledge_analysis.io.dates` (ISO, or day first as in the UK). Segments
        with no date, or a date that grammar refuses, are left out of the counts and listed, each with
        its reason, in ``attrs["left_out"]`` (records ``{segment_id, date, reason}``: ``pd.DataFrame(...)``
        makes them a table; ``attrs["n_left_out"]`` how many), with a warning that says how many.
        """
        self._check_fitted()
        if dates is None:
            if "timestamp" not in self.segments_.columns:
                raise InputError("over_time() needs dates: the segments have no 'timestamp' column.",
                                 hint="Pass dates=pd.Series(dates, index=segment_ids), or map 'completed' in project.yaml.")
            dates = pd.Series(self.segments_["timestamp"].to_numpy(), index=self.segments_["segment_id"])
        from ..io.dates import parse_dates  # the one date grammar: ISO, UK day first, zones to UK dates

        raw = self.segment_topics_["segment_id"].map(dates)
        parsed = parse_dates(raw)
        when = parsed["date"]
        missing = when.isna().to_numpy()
        no_date = missing & ~(parsed["problem"].astype(bool).to_numpy())
        left_out = pd.DataFrame({
            "segment_id": self.segment_topics_["segment_id"].to_numpy()[missing],
            "date": raw.to_numpy(dtype=object)[missing],
            "reason": np.where(no_date[missing], "no date",
                               ["date not read: " + str(p) for p in parsed["problem"].to_numpy()[missing]]),
        })
        if len(left_out):
            n_none = int(no_date.sum())
            # a logged warning, not warnings.warn: a dependency of BERTopic ignores every UserWarning process-wide
            log.warning("over_time(): %s of %s segments left out of the counts: %s with no date, %s whose date was "
                        "not read; they are listed with their reason in .attrs['left_out'] of the table.",
                        f"{len(left_out):,}", f"{len(raw):,}", f"{n_none:,}", f"{len(left_out) - n_none:,}")
        d = self.segment_topics_.assign(date=when).dropna(subset=["date"])
        if d.empty:
            raise InputError("over_time(): none of the segments has a readable date.",
                             hint="Dates must be ISO (2025-04-30) or day first (30/04/2025); check the 'completed' column "
                                      "mapping.", code="PA112")
        d["period"] = d["date"].dt.to_period(freq).astype(str)
        out = d.groupby(["period", "topic_id", "label"]).size().rename("n").reset_index()
        out["share"] = out["n"] / out.groupby("period")["n"].transform("sum")
        # records, not a DataFrame: pandas compares attrs when it combines tables (a frame there breaks concat)
        out.attrs["left_out"] = left_out.to_dict("records")
        out.attrs["n_left_out"] = len(left_out)
        return out

    def map_to_codebook(self, codebook: pd.DataFrame, *, min_similarity: float = 0.35) -> pd.DataFrame:
        """Each topic's most similar code (cosine similarity of embeddings of the topic's centroid and
        the code's name, description and keywords); ``proposed_new`` marks topics that match no code."""
        self._check_fitted()
        from .embeddings import embed

        C = embed(code_texts(codebook), self.embedding_model)
        rows = []
        for r in self.topic_info_.itertuples(index=False):
            if r.topic_id == -1:
                continue
            members = np.flatnonzero(self.topics_ == r.topic_id)
            centre = self.embeddings_[members].mean(axis=0)
            centre /= max(np.linalg.norm(centre), 1e-12)
            sims = C @ centre
            j = int(np.argmax(sims))
            rows.append({"topic_id": r.topic_id, "label": r.label, "n": r.n, "code_id": codebook["code_id"].iloc[j],
                         "code_name": codebook["name"].iloc[j], "similarity": float(sims[j]),
                         "proposed_new": bool(sims[j] < min_similarity), "top_terms": r.top_terms,
                         "representative": r.representative})
        return pd.DataFrame(rows)

    def coordinates(self) -> pd.DataFrame:
        """2-D coordinates of every segment (a seeded UMAP of the embeddings) with its topic."""
        self._check_fitted()
        with _umap_notices_hidden():
            xy = _umap(len(self.docs_), n_components=2, n_neighbors=min(15, len(self.docs_) - 1), min_dist=0.1,
                       random_state=self.random_state).fit_transform(self.embeddings_)
        return self.segment_topics_.assign(x=xy[:, 0], y=xy[:, 1], text=self.docs_)


def code_texts(codebook: pd.DataFrame) -> list[str]:
    """What a code means, as one text to embed: name, description and keywords."""
    return [f"{n}. {d or ''} {' '.join(k or [])}" for n, d, k in
            zip(codebook["name"], codebook["description"], codebook["keywords"])]


def _umap(n_rows: int, **kwargs):
    """UMAP on centred, unit-length embeddings (euclidean there ranks neighbours as cosine does).

    Centred: static embeddings share a large common direction (mean cosine 0.42 on real feedback)
    that otherwise melts every comment into one cluster. Under 4,096 rows UMAP finds exact
    neighbours, and with a metric of its own that is a Python call per pair (14 s for 2,900
    comments), so there we hand it the distance matrix (about 0.1 s); above, it uses NN-descent.
    """
    from sklearn.metrics import pairwise_distances
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, Normalizer, StandardScaler
    from umap import UMAP

    steps = [StandardScaler(with_std=False), Normalizer()]
    if n_rows < 4096:
        steps.append(FunctionTransformer(pairwise_distances))
        return make_pipeline(*steps, UMAP(metric="precomputed", **kwargs))
    return make_pipeline(*steps, UMAP(metric="euclidean", **kwargs))


def accept_proposals(codebook: pd.DataFrame, mapping: pd.DataFrame, topic_ids, *, parent: str | None = None
                     ) -> pd.DataFrame:
    """Add the chosen topics (``topic_ids`` from :meth:`TopicExplorer.map_to_codebook`) as new codes."""
    from .codebook_ops import add_code

    cb = codebook
    for r in mapping[mapping["topic_id"].isin(list(topic_ids))].itertuples(index=False):
        terms = [t.strip() for t in r.top_terms.split(",") if t.strip()][:6]
        code_id = "topic_" + "_".join(terms[:2]).replace(" ", "_")
        cb = add_code(cb, code_id, r.label.capitalize(), parent=parent, keywords=terms,
                      description=f"Proposed from topic discovery: {r.representative[:160]}", examples=[r.representative])
    return cb
