"""Coding at scale: the same partition function in this process (``local``) or on Dask (``dask``).

:func:`code_comments` reads CSV or Parquet (one file, a glob, or a folder of partitions), runs
:func:`pledge_analysis.coding_job.code_partition` on every chunk, writes the comments table (and,
when asked, the long codings table) as a Parquet dataset, and computes theme prevalence and
negativity by scope (:func:`pledge_analysis.aggregates.theme_aggregates`) on the same engine.

- ``engine="local"`` streams the input in chunks of ``chunk_rows`` rows through this process, and
  computes the themes from the written parts with dask's synchronous scheduler (part by part, in
  this process): memory stays bounded by a chunk, whatever the input's size.
- ``engine="dask"`` reads the input as a dask DataFrame and runs ``map_partitions(code_partition)``
  on a ``distributed`` cluster: the one at ``scheduler`` (an address such as ``tcp://host:8786``;
  its workers need pledge_analysis installed), else a ``LocalCluster`` of ``workers`` processes with
  one thread each. Each worker builds its spaCy pipeline once (:func:`~pledge_analysis.coding_job.worker_state`).

Both engines write the same files: ``OUT/part.00000.parquet``, ``part.00001.parquet`` ... (read the
folder with ``pandas.read_parquet(OUT)``; the parts in name order are the input's rows in order), with
one fixed Parquet schema; the results are identical row for row. Outputs are written into a temporary
folder next to ``OUT`` and moved into place at the end: an interrupted run leaves an earlier output as it was.
"""
from __future__ import annotations

import difflib
import glob as globlib
import logging
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .coding_job import CODINGS_FIELD, CodingJob, code_partition, codings_table, comments_table, empty_comments
from .errors import ConfigError, EmptyInputError, InputError, MissingColumnError, MissingFileError

log = logging.getLogger(__name__)

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Optional input columns and the names tried when not given: (role, default column name).
OPTIONAL_ROLES = (("site", "site"), ("group", "group"), ("date", "date"), ("question_id", "question_id"),
                  ("respondent_id", "respondent_id"))
CHUNK_ROWS = 20_000
#: Largest CSV block per dask partition (about 20,000 short comments); smaller inputs are cut into
#: two partitions per worker, so that every worker has work.
CSV_BLOCKSIZE = 4_000_000
#: How long to try reaching a ``--scheduler`` before giving up.
CONNECT_TIMEOUT = "10s"


@dataclass
class Inputs:
    """The files to read and how to read them."""

    paths: list[Path]
    kind: str  # "csv" or "parquet"
    encoding: str | None = None
    sep: str = ","
    columns: list[str] = field(default_factory=list)  # the input columns to read (as the job names them)
    rows: int | None = None  # known for Parquet (from the metadata)
    #: per file, its own spelling of a column -> the job's name, where they differ (``RESPONDENT ID`` in one
    #: export, ``Respondent ID`` in another: compared as ``run`` compares them, with :func:`header_key`)
    renames: dict = field(default_factory=dict)
    #: per CSV file, its own ``(encoding, delimiter)`` where it differs from the first file's (one export in
    #: Windows-1252 with semicolons, a later one in UTF-8 with commas: ``run`` reads each file as it is)
    formats: dict = field(default_factory=dict)

    def format_of(self, path: Path) -> tuple[str | None, str]:
        """``(encoding, delimiter)`` of one file."""
        return self.formats.get(path, (self.encoding, self.sep))

    def one(self, path: Path, columns: list[str] | None = None) -> "Inputs":
        """The inputs restricted to one file, read in its own encoding, delimiter and spelling of the headers
        (``columns``: the job's names, default all the columns read)."""
        encoding, sep = self.format_of(path)
        renames = {path: self.renames[path]} if path in self.renames else {}
        return Inputs([path], self.kind, encoding, sep, list(columns or self.columns), renames=renames)

    def file_columns(self, path: Path) -> list[str]:
        """The columns to read from ``path``, in its own spelling."""
        back = {v: k for k, v in self.renames.get(path, {}).items()}
        return [back.get(c, c) for c in self.columns]


@dataclass
class CodeResult:
    """What :func:`code_comments` did: where it wrote, how many rows by status, the themes table."""

    out: Path
    engine: str
    rows: int
    status: dict
    reasons: dict
    themes: pd.DataFrame
    codings: Path | None = None
    seconds: float = 0.0
    workers: int = 1
    #: other spellings of a site -> the one used (:func:`site_spellings`)
    site_spellings: dict = field(default_factory=dict)
    #: the input files whose dates were read month first (US exports: :func:`month_first_files`)
    month_first: list = field(default_factory=list)
    #: what was written to ``out / RUN_LOG`` (:func:`code_run_log`)
    run_log: dict = field(default_factory=dict)

    def summary(self) -> str:
        by = ", ".join(f"{v:,} {k}" for k, v in self.status.items())
        lines = [f"Coded {self.rows:,} comments ({by}) in {self.seconds:.1f} s with the {self.engine} engine"
                 + (f" ({self.workers} workers)" if self.engine == "dask" else "") + f": wrote {self.out}"]
        if self.codings:
            lines.append(f"  codings: {self.codings}")
        if self.run_log:
            lines.append(f"  run log: {self.out / RUN_LOG}")
        for reason, n in list(self.reasons.items())[:8]:
            lines.append(f"  not coded: {n:,} x {reason}")
        used: dict = {}
        for other, one in self.site_spellings.items():
            used.setdefault(one, []).append(other)
        for one, others in used.items():
            lines.append(f"  site {one!r} also written {', '.join(repr(o) for o in others)}: read as one site")
        for path in self.month_first:
            lines.append(f"  dates in {path} read month first (a US export: some of its dates, such as 04/13/2025, "
                         "make sense only that way, none only day first), so 03/04/2025 is March")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------- inputs
def find_inputs(spec: str | Path) -> Inputs:
    """The CSV or Parquet files named by ``spec``: a file, a folder (every CSV or Parquet file under it,
    hidden and ``_``-prefixed files excepted) or a glob pattern; in sorted order."""
    p = Path(spec)
    if p.is_dir():
        paths = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in CSV_SUFFIXES + PARQUET_SUFFIXES
                       and not any(part.startswith((".", "_")) for part in f.relative_to(p).parts))
        if not paths:
            raise MissingFileError("the folder holds no CSV or Parquet files", path=p,
                                   hint="Name a .csv or .parquet file, a folder of them, or a glob such as "
                                        "'data/*.csv'.")
    elif p.exists():
        paths = [p]
    else:
        paths = sorted(Path(f) for f in globlib.glob(str(spec), recursive=True) if Path(f).is_file())
        if not paths:
            raise MissingFileError("no such file, folder or matching files", path=spec,
                                   hint="Check the path, or quote a glob such as 'data/*.csv'.")
    kinds = {"parquet" if f.suffix.lower() in PARQUET_SUFFIXES else "csv" if f.suffix.lower() in CSV_SUFFIXES
             else None for f in paths}
    if None in kinds:
        bad = next(f for f in paths if f.suffix.lower() not in CSV_SUFFIXES + PARQUET_SUFFIXES)
        raise InputError("not a CSV or Parquet file", path=bad, hint="Export the comments as .csv or .parquet.")
    if len(kinds) > 1:
        raise InputError(f"the input mixes CSV and Parquet files ({len(paths)} files)", path=spec,
                         hint="Convert them to one format, or code each format separately.")
    inputs = Inputs(paths, kinds.pop())
    if inputs.kind == "csv":
        inputs.encoding, inputs.sep = _sniff_csv(paths[0])
        for p in paths[1:]:
            fmt = _sniff_csv(p)
            if fmt != (inputs.encoding, inputs.sep):
                inputs.formats[p] = fmt
    return inputs


def _sniff_csv(path: Path) -> tuple[str, str]:
    """Encoding and delimiter of a CSV from its first 64 KB (the project's own decoder and sniffer)."""
    from .io.files import decode_bytes, sniff_delimiter

    with open(path, "rb") as fh:
        data = fh.read(65536)
    cut = data.rfind(b"\n") if len(data) == 65536 else len(data)
    text, encoding = decode_bytes(data[:cut + 1 if cut > 0 else len(data)], path)
    encoding = {"utf-8": "utf-8-sig"}.get(encoding, encoding)
    return encoding, sniff_delimiter(text)


def _header(path: Path, inputs: Inputs) -> tuple[list[str], bool]:
    """A file's column names and whether it has at least one data row."""
    if inputs.kind == "parquet":
        import pyarrow.parquet as pq

        try:
            f = pq.ParquetFile(path)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a damaged file
            raise InputError(f"cannot read the file as Parquet ({exc})", path=path,
                             hint="Write it again with pandas.DataFrame.to_parquet or pyarrow.", code="PA110") from None
        return list(f.schema_arrow.names), f.metadata.num_rows > 0
    try:
        encoding, sep = inputs.format_of(path)
        head = pd.read_csv(path, sep=sep, encoding=encoding, dtype=str, nrows=1,
                           keep_default_na=False)
    except pd.errors.EmptyDataError:
        return [], False
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file as CSV ({exc})", path=path,
                         hint="Export it again as CSV UTF-8.", code="PA110") from None
    return list(head.columns), len(head) > 0


def resolve_columns(inputs: Inputs, *, id_column: str, text_column: str, optional: dict | None = None) -> dict:
    """Check every file's header; return the role -> column map for :class:`CodingJob`.

    ``optional`` maps a role (``site``, ``group``, ``date``, ``question_id``, ``respondent_id``) to a
    column name the user asked for (then required) or ``None`` (then the default name, if present).
    Raises :class:`MissingColumnError` naming the closest header, :class:`EmptyInputError` when no file
    has a data row.
    """
    optional = optional or {}
    columns = {"id": id_column, "text": text_column}
    required = {"id": (id_column, "--id-column"), "text": (text_column, "--text-column")}
    for role, default in OPTIONAL_ROLES:
        if optional.get(role):
            required[role] = (optional[role], f"--{role.replace('_', '-')}-column")
    from .io.surveys import header_key

    any_rows, headers = False, {}
    for path in inputs.paths:
        header, has_rows = _header(path, inputs)
        any_rows = any_rows or has_rows
        headers[path] = header
    first = headers[inputs.paths[0]]

    def spelling(name: str, header: list[str]) -> str | None:
        """``name`` as ``header`` spells it: exactly, else the one header equal to it as ``run`` compares
        headers (case, runs of spaces, curly apostrophes ignored)."""
        if name in header:
            return name
        same = [h for h in header if header_key(h) == header_key(name)]
        return same[0] if len(same) == 1 else None

    for role, (name, flag) in required.items():
        for path, header in headers.items():
            if spelling(name, header) is None:
                close = difflib.get_close_matches(name, header, n=1, cutoff=0.5)
                hint = f"Did you mean {close[0]!r}? Pass {flag} {close[0]!r}." if close else \
                    f"Pass {flag} naming the column."
                raise MissingColumnError(f"the input has no {role} column {name!r} (columns: {header[:20]}) "
                                         f"in file {str(path)!r}", hint=hint)
        columns[role] = name if any(name in h for h in headers.values()) else spelling(name, first)
    for role, default in OPTIONAL_ROLES:
        if role not in columns and all(spelling(default, h) for h in headers.values()):
            columns[role] = spelling(default, first)
    for path, header in headers.items():
        renames = {spelling(c, header): c for c in columns.values() if spelling(c, header) != c}
        if renames:
            inputs.renames[path] = renames
    if not any_rows:
        raise EmptyInputError(f"the input has no rows ({len(inputs.paths)} file(s), e.g. {str(inputs.paths[0])!r})",
                              hint="Check that the export holds comments.")
    inputs.columns = list(dict.fromkeys(columns.values()))
    if inputs.kind == "parquet":
        import pyarrow.parquet as pq

        inputs.rows = sum(pq.ParquetFile(p).metadata.num_rows for p in inputs.paths)
    return columns


def site_spellings(inputs: Inputs, column: str | None) -> dict[str, str]:
    """One spelling per hospital, as ``run`` reads sites (:func:`pledge_analysis.io.surveys.site_key`: letters
    and digits, any case): every other spelling of the ``column`` values -> the most frequent one of its
    key (on a tie, the first met). ``St Mary’s`` and ``st marys`` become ``St Mary's`` when that is the usual
    spelling. Reads that one column once; empty without a site column or when every site has one spelling."""
    from collections import Counter

    from .io.surveys import site_key

    if not column:
        return {}
    counts: Counter = Counter()
    for chunk in local_chunks(Inputs(inputs.paths, inputs.kind, inputs.encoding, inputs.sep, [column],
                                     renames=inputs.renames, formats=inputs.formats)):
        counts.update(str(v) for v in chunk[column].tolist() if v is not None and str(v).strip())
    best: dict[str, str] = {}
    for value, n in counts.items():  # Counter keeps first-met order: max() keeps the first of equals
        key = site_key(value)
        if key and (key not in best or n > counts[best[key]]):
            best[key] = value
    return {v: best[site_key(v)] for v in counts if site_key(v) and best[site_key(v)] != v}


def month_first_files(inputs: Inputs, column: str | None) -> list[Path]:
    """The input files whose dates are written month first, decided per file on its whole ``column`` (every
    part of it) with the rule ``run`` and ``init`` apply to a survey file
    (:func:`pledge_analysis.io.dates.month_first_dates`: at least two dates only month first, none only day
    first). Reads that one column once; empty without a date column."""
    from .io.dates import month_first_dates

    if not column:
        return []
    found = []
    for path in inputs.paths:
        values = [v for chunk in local_chunks(inputs.one(path, [column])) for v in chunk[column].tolist()
                  if isinstance(v, str) and v.strip()]  # Parquet dates (not text) have no order to decide
        if month_first_dates(values):
            found.append(path)
    return found


def local_chunks(inputs: Inputs, chunk_rows: int = CHUNK_ROWS):
    """The input as pandas DataFrames of at most ``chunk_rows`` rows, file by file, in order."""
    for path in inputs.paths:
        if inputs.kind == "parquet":
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows, columns=inputs.file_columns(path)):
                yield batch.to_pandas().rename(columns=inputs.renames.get(path, {}))
            continue
        try:
            encoding, sep = inputs.format_of(path)
            reader = pd.read_csv(path, sep=sep, encoding=encoding, dtype=str, keep_default_na=False,
                                 na_filter=False, usecols=inputs.file_columns(path), chunksize=chunk_rows)
            for chunk in reader:
                yield chunk.rename(columns=inputs.renames.get(path, {}))
        except pd.errors.EmptyDataError:
            continue
        except pd.errors.ParserError as exc:
            raise InputError(f"cannot read the file as CSV ({exc})", path=path,
                             hint="Fix that line (an unclosed quote or a stray delimiter) or export the file "
                                  "again.", code="PA110") from None


def dask_frame(inputs: Inputs, workers: int = 1):
    """The input as a dask DataFrame: CSV in blocks of at most :data:`CSV_BLOCKSIZE` bytes (at least two
    partitions per worker; whole files for UTF-16, which cannot be cut at a byte offset), Parquet by row group."""
    import dask.dataframe as dd

    if inputs.renames or inputs.formats:  # exports that differ in headers, encoding or delimiter: each read as it
        parts = []                        # is (its own spelling, encoding, delimiter), then one frame
        for p in inputs.paths:
            one = inputs.one(p)
            one.columns, one.renames = one.file_columns(p), {}
            parts.append(dask_frame(one, workers).rename(columns=inputs.renames.get(p, {})))
        return dd.concat(parts) if len(parts) > 1 else parts[0]
    files = [str(p) for p in inputs.paths]
    if inputs.kind == "parquet":
        return dd.read_parquet(files, columns=inputs.columns)
    total = sum(p.stat().st_size for p in inputs.paths)
    blocksize = min(CSV_BLOCKSIZE, max(16384, -(-total // (2 * max(1, workers)))))
    if inputs.encoding not in ("utf-8-sig", "utf-8", "cp1252") or _quoted_line_breaks(inputs):
        blocksize = None  # whole files: a block cut inside a quoted cell would split one comment in two
    return dd.read_csv(files, sep=inputs.sep, encoding=inputs.encoding, dtype=str, keep_default_na=False,
                       na_filter=False, usecols=inputs.columns, blocksize=blocksize)


def _quoted_line_breaks(inputs: Inputs, chunk: int = 1 << 23) -> bool:
    """Whether a CSV input holds a line break inside a quoted cell (a comment typed over several lines, as
    Excel exports it): a newline with an odd number of quote characters before it in its file (doubled
    quotes inside a cell keep the count even). Reads each file once, in ``chunk``-byte pieces, vectorised."""
    for p in inputs.paths:
        odd = 0
        with open(p, "rb") as fh:
            while data := fh.read(chunk):
                a = np.frombuffer(data, dtype=np.uint8)
                quotes = (np.cumsum(a == 34) + odd) % 2
                if quotes[a == 10].any():
                    return True
                odd = int(quotes[-1])
    return False


# ------------------------------------------------------------------------------------------ outputs
def comments_schema():
    """The fixed Parquet schema of the comments table (the same for every part and both engines)."""
    import pyarrow as pa

    s, lst = pa.string(), pa.list_(pa.string())
    return pa.schema([("comment_id", s), ("text", s), ("status", s), ("reason", s), ("codes", lst),
                      ("confidence", pa.list_(pa.float64())), ("themes", lst), ("negative_themes", lst),
                      ("sentiment", s), ("sentiment_score", pa.float64()), ("n_redactions", pa.int64()),
                      ("site", s), ("group", s), ("month", s), ("question_id", s), ("respondent_id", s)])


def codings_schema():
    """The fixed Parquet schema of the codings table."""
    import pyarrow as pa

    s = pa.string()
    return pa.schema([("segment_id", s), ("code_id", s), ("coder", s), ("method", s), ("confidence", pa.float64()),
                      ("start", pa.int64()), ("end", pa.int64()), ("status", s), ("created_at", s), ("memo", s),
                      ("evidence", s), ("negated", pa.bool_()), ("theme", s), ("sentiment", s),
                      ("sentiment_score", pa.float64())])


def part_name(i: int) -> str:
    """File name of part ``i``: zero-padded so that name order is row order."""
    return f"part.{i:05d}.parquet"


def _temporary(out: Path) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")


def _check_target(out: Path) -> None:
    """Fail before any work when ``out`` cannot take a Parquet dataset."""
    from .errors import OutputError

    if out.exists() and not (out.is_dir() and all(f.name.startswith("part.") and f.suffix == ".parquet"
                                                  for f in out.iterdir())):
        raise OutputError(f"{str(out)!r} is in the way: it is a file or a folder that holds more than an earlier "
                          "output of `pledge-analysis code`. Remove it or choose another output path.", path=out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"the folder {str(parent)!r} for {str(out)!r} does not exist. Create it or choose "
                          "another output path.", path=parent)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"the folder {str(parent)!r} is not writable. Check its permissions or choose another "
                          "output path.", path=parent)


def _check_file_target(path: Path) -> None:
    from .errors import OutputError

    if path.suffix.lower() not in (".csv", ".parquet"):
        raise ConfigError(f"--themes {str(path)!r}: name a .csv or .parquet file.")
    if path.is_dir():
        raise OutputError(f"{str(path)!r} is a folder; name a file for the themes table.", path=path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"the folder {str(parent)!r} for {str(path)!r} does not exist. Create it or choose "
                          "another path.", path=parent)


def write_table(df: pd.DataFrame, path: Path) -> None:
    """A small table written atomically: CSV with risky cells neutralised, or Parquet."""
    from .io.safe import atomic_path, safe_to_csv

    if path.suffix.lower() == ".csv":
        safe_to_csv(df, path)
        return
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)


def _move_into_place(tmp: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = _temporary(out)
        os.replace(out, old)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_part(df: pd.DataFrame, path: Path, schema) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(df, schema=schema, preserve_index=False), path)


# ------------------------------------------------------------------------------------------ engines
def _file_chunks(inputs: Inputs, job: CodingJob, month_first: list, chunk_rows: int):
    """``(chunk, job)`` file by file, in order: a month-first file's chunks with ``job.month_first`` set."""
    import dataclasses

    if not month_first:
        yield from ((chunk, job) for chunk in local_chunks(inputs, chunk_rows))
        return
    for path in inputs.paths:
        own = dataclasses.replace(job, month_first=path in month_first)
        yield from ((chunk, own) for chunk in local_chunks(inputs.one(path), chunk_rows))


def _run_local(inputs: Inputs, job: CodingJob, out_tmp: Path, codings_tmp: Path | None, *, chunk_rows: int,
               progress: bool, month_first: list = ()) -> None:
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=inputs.rows, desc="coding", unit="comment")
    for i, (chunk, file_job) in enumerate(_file_chunks(inputs, job, list(month_first), chunk_rows)):
        coded = code_partition(chunk.reset_index(drop=True), file_job)
        _write_part(comments_table(coded), out_tmp / part_name(i), comments_schema())
        if codings_tmp is not None:
            _write_part(codings_table(coded), codings_tmp / part_name(i), codings_schema())
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()


def connect(scheduler: str | None, workers: int | None):
    """A ``distributed.Client``: to ``scheduler`` if given, else to a new ``LocalCluster`` of ``workers``
    processes (default: one per core) with one thread each. Raises :class:`ConfigError` when the
    scheduler cannot be reached."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler!r} within {CONNECT_TIMEOUT} ({exc}). "
                              "Check the address (e.g. tcp://host:8786) and that `dask scheduler` is running there, "
                              "or leave out --scheduler to start a local cluster.") from None
    n = workers or os.cpu_count() or 1
    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.core"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster)


def _run_dask(inputs: Inputs, job: CodingJob, out_tmp: Path, codings_tmp: Path | None, *, progress: bool,
              client, workers: int, month_first: list = ()) -> None:
    import dataclasses

    meta = empty_comments()
    if month_first:  # each file coded with its own reading of dates, then one frame in file order
        import dask.dataframe as dd

        parts = [dask_frame(inputs.one(p), workers).map_partitions(
            code_partition, dataclasses.replace(job, month_first=p in month_first), meta=meta) for p in inputs.paths]
        coded = dd.concat(parts) if len(parts) > 1 else parts[0]
    else:
        coded = dask_frame(inputs, workers).map_partitions(code_partition, job, meta=meta)
    writes = [coded.map_partitions(comments_table, meta=meta.drop(columns=[CODINGS_FIELD])).to_parquet(
        str(out_tmp), schema=comments_schema(), write_index=False, name_function=part_name,
        write_metadata_file=False, compute=False)]
    if codings_tmp is not None:
        from .coding_job import empty_codings

        writes.append(coded.map_partitions(codings_table, meta=empty_codings()).to_parquet(
            str(codings_tmp), schema=codings_schema(), write_index=False, name_function=part_name,
            write_metadata_file=False, compute=False))
    futures = client.compute(writes)
    if progress and sys.stdout.isatty():  # a text bar redrawn in place: only on a terminal
        from distributed import progress as show

        show(futures)
        print()
    client.gather(futures)


def _translate(exc: BaseException, inputs: Inputs) -> BaseException:
    """A reading error raised inside a dask task as the named error the local engine raises."""
    if isinstance(exc, pd.errors.ParserError):
        return InputError(f"cannot read the input as CSV ({exc})", path=str(inputs.paths[0].parent),
                          hint="Fix that line (an unclosed quote or a stray delimiter) or export the file again.", code="PA110")
    if isinstance(exc, UnicodeDecodeError):
        return InputError(f"cannot decode the input as {inputs.encoding} ({exc})", path=str(inputs.paths[0].parent),
                          hint="Export every file with the same encoding, as CSV UTF-8.", code="PA111")
    return exc


def code_comments(input: str | Path, codebook: pd.DataFrame | str | Path, out: str | Path, *,
                  engine: str = "local", workers: int | None = None, scheduler: str | None = None,
                  text_column: str = "text", id_column: str = "comment_id", columns: dict | None = None,
                  codings: str | Path | None = None, themes: str | Path | None = None,
                  model: str | Path | None = None, prompt_polarity: dict | None = None,
                  chunk_rows: int = CHUNK_ROWS, progress: bool = False, client=None,
                  min_negative: int = 3, deidentify: dict | None = None) -> CodeResult:
    """Code every comment of ``input`` and write the comments table to the Parquet dataset ``out``.

    ``columns`` names optional input columns by role (``site``, ``group``, ``date``, ``question_id``,
    ``respondent_id``); roles not named are taken from columns of those names when present.
    ``codings`` also writes the long codings table, ``themes`` the themes table (``.csv`` or ``.parquet``);
    ``model`` adds the codes of a saved theme model (``ThemeClassifier`` or ``FineTunedThemeClassifier``,
    :func:`pledge_analysis.coding_job.load_theme_model`). ``prompt_polarity`` (``{question_id: polarity}``,
    e.g. from :func:`pledge_analysis.io.load_prompt_polarity` on a questions.yaml) says how each question
    leans its answers for the sentiment score; without it, comments are scored from their text alone.
    ``deidentify`` takes project.yaml's ``deidentify:`` block (``allow``, ``deny``, ``labels``,
    ``pseudonyms``, ``name_model``, ``ner_model``; :attr:`pledge_analysis.config.ProjectConfig.deidentify`), as
    ``run`` does (a relative ``ner_model`` folder is read from the current folder); without it, the defaults.
    ``client`` reuses a ``distributed.Client`` (dask engine; else one is made from ``scheduler`` /
    ``workers`` and closed at the end). Returns a :class:`CodeResult` with the themes table.
    """
    from .coding.codebook import read_codebook

    if engine not in ("local", "dask"):
        raise ConfigError(f"engine must be 'local' or 'dask', not {engine!r}.")
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers}.")
    started = time.perf_counter()
    cb = codebook if isinstance(codebook, pd.DataFrame) else read_codebook(codebook)
    inputs = find_inputs(input)
    roles = resolve_columns(inputs, id_column=id_column, text_column=text_column, optional=columns)
    if model is not None:
        from .coding_job import load_theme_model

        if not Path(model).exists():
            raise MissingFileError("model file not found", path=model, hint="Save one with model.save(path, codebook=...), or pass the model_file "
                                   "that run_log.json names (machine_coding).")
        load_theme_model(str(model), cb)  # fails here, before any work, if it cannot be used with this codebook
    from .coding.sentiment import _check_polarity

    polarity = tuple(sorted(_check_polarity(prompt_polarity).items()))
    spellings = site_spellings(inputs, roles.get("site"))
    month_first = month_first_files(inputs, roles.get("date"))
    d = deidentify or {}
    from .text.deidentify import Options

    Options.make(d.get("labels"), d.get("allow") or (), d.get("deny") or ())  # unknown labels: say so now
    ner_model = None
    if d.get("ner_model"):
        from .text.ner_model import load_ner_model, location

        ner_model = location(d["ner_model"])
        load_ner_model(ner_model)  # a missing or broken model: say so before any work
    job = CodingJob(cb, roles, model_path=str(model) if model else None, polarity=polarity,
                    sites=tuple(sorted(spellings.items())),
                    labels=tuple(d["labels"]) if d.get("labels") else None, allow=tuple(d.get("allow") or ()),
                    deny=tuple(d.get("deny") or ()), pseudonyms=bool(d.get("pseudonyms")),
                    name_model=d.get("name_model"), ner_model=ner_model)
    out = Path(out)
    targets = [out] + ([Path(codings)] if codings else [])
    for t in targets:
        _check_target(t)
    if themes is not None:
        _check_file_target(Path(themes))
    temps = [_temporary(t) for t in targets]
    own_client = None
    try:
        for t in temps:
            t.mkdir()
        import dask
        import dask.dataframe as dd

        if engine == "local":
            _run_local(inputs, job, temps[0], temps[1] if codings else None, chunk_rows=chunk_rows, progress=progress,
                       month_first=month_first)
            # the themes from the written parts, part by part in this process (memory bounded by a part);
            # shuffles as tasks: with a distributed Client open in this process (a notebook's, say) dask
            # would otherwise pick its p2p shuffle, which fails outside a worker
            with dask.config.set({"scheduler": "synchronous", "dataframe.shuffle.method": "tasks"}):
                table, status, reasons, rows = _summaries(dd.read_parquet(str(temps[0]), columns=list(_needed())),
                                                          cb, min_negative)
            n_workers = 1
        else:
            if client is None:
                client = own_client = connect(scheduler, workers)
            n_workers = len(client.scheduler_info().get("workers", {})) or (workers or 1)
            try:
                _run_dask(inputs, job, temps[0], temps[1] if codings else None, progress=progress, client=client,
                          workers=n_workers, month_first=month_first)
            except Exception as exc:  # noqa: BLE001 - re-raised, named when we can
                raise _translate(exc, inputs) from exc
            table, status, reasons, rows = _summaries(dd.read_parquet(str(temps[0]), columns=list(_needed())),
                                                      cb, min_negative)
        run_log = code_run_log(inputs, roles, job=job, engine=engine, workers=n_workers, status=status,
                               reasons=reasons, rows=rows, codebook=codebook, model=model, codings=codings,
                               themes=themes, deidentify=d, spellings=spellings, month_first=month_first,
                               seconds=time.perf_counter() - started)
        _write_run_log(temps[0] / RUN_LOG, run_log)  # inside the dataset, before it is moved into place
        for t, tmp in zip(targets, temps):
            _move_into_place(tmp, t)
        if themes is not None:
            write_table(table, Path(themes))
    finally:
        for tmp in temps:
            shutil.rmtree(tmp, ignore_errors=True)
        if own_client is not None:
            cluster = own_client.cluster
            own_client.close()
            if cluster is not None:
                cluster.close()
    return CodeResult(out, engine, rows, status, reasons, table, Path(codings) if codings else None,
                      time.perf_counter() - started, n_workers, spellings, [str(p) for p in month_first], run_log)


#: the run log of ``pledge-analysis code``, inside the output dataset folder: ``_``-prefixed, so Parquet
#: readers (pyarrow, Dask, pandas) and :func:`find_inputs` skip it
RUN_LOG = "_run_log.json"


def code_run_log(inputs: Inputs, roles: dict, *, job, engine: str, workers: int, status: dict, reasons: dict,
                 rows: int, codebook, model, codings, themes, deidentify: dict, spellings: dict, month_first,
                 seconds: float) -> dict:
    """What ``pledge-analysis code`` did, as ``run``'s ``run_log.json`` says what a run did: the command,
    versions, inputs (how many files: their names can hold a person's), the columns used, the codebook and model, the de-identification settings
    (the number of allow and deny entries, never the names on them), the engine, and ``rows``: ``read``,
    ``by_outcome`` (``coded``, ``no codes``, ``not coded``: every input row is in one) and
    ``not_coded_by_reason``; the outputs and the seconds taken."""
    import platform
    from datetime import datetime, timezone
    from importlib import metadata

    from . import __version__

    def version(pkg):
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return None

    return {
        "command": "code", "pledge_analysis": __version__, "python": platform.python_version(),
        "packages": {p: version(p) for p in ("pandas", "numpy", "pyarrow", "dask", "distributed", "spacy",
                                              "scikit-learn", "vaderSentiment")},
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        # how many files, not their names: a file name can hold a person's name (``run`` de-identifies them)
        "inputs": {"files": len(inputs.paths), "kind": inputs.kind},
        "columns": {k: v for k, v in roles.items() if v is not None},
        "codebook": Path(codebook).name if not isinstance(codebook, pd.DataFrame) else "(a table passed from Python)",
        "codebook_codes": int(len(job.codebook)),
        "model": Path(model).name if model else None,
        "deidentify": {"labels": list(deidentify.get("labels") or []) or "default",
                       "allow_entries": len(deidentify.get("allow") or ()),
                       "deny_entries": len(deidentify.get("deny") or ()),
                       "pseudonyms": bool(deidentify.get("pseudonyms")), "name_model": deidentify.get("name_model"),
                       "ner_model": bool(deidentify.get("ner_model"))},
        "engine": engine, "workers": int(workers),
        "rows": {"read": int(rows), "by_outcome": dict(status), "not_coded_by_reason": dict(reasons)},
        "site_spellings": dict(spellings), "files_with_dates_month_first": len(month_first),
        "outputs": {"codings": Path(codings).name if codings else None, "themes": Path(themes).name if themes else None},
        "seconds": round(float(seconds), 3),
    }


def _write_run_log(path: Path, log: dict) -> None:
    import json

    from .io.safe import write_text

    write_text(path, json.dumps(log, indent=2, default=str))


def _needed():
    from .aggregates import NEEDED

    return dict.fromkeys(NEEDED + ("reason",))


def _summaries(frame, codebook: pd.DataFrame, min_negative: int):
    """Themes table, rows by status and not-coded rows by reason: computed on the frame's engine."""
    from .aggregates import theme_aggregates

    themes = theme_aggregates(frame, codebook, min_negative=min_negative)
    status = frame["status"].value_counts()
    reasons = frame[frame["status"] == "not coded"]["reason"].value_counts()
    if hasattr(status, "compute"):
        import dask

        status, reasons = dask.compute(status, reasons)
    status = {k: int(status.get(k, 0)) for k in ("coded", "no codes", "not coded") if status.get(k, 0)}
    reasons = {str(k): int(v) for k, v in sorted(reasons.items(), key=lambda kv: (-kv[1], str(kv[0])))}
    return themes, status, reasons, int(sum(status.values()))
