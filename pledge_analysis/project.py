"""The project store: one SQLite file holding a project's tables and an audit log.

Tables: ``sources``, ``segments``, ``respondents``, ``responses``, ``set_aside``, ``codebook``,
``codings``, ``memos``, ``audit_log`` and ``meta`` (with ``schema_version``). Every write runs
in a transaction, so a crash never leaves half a table; each review decision is its own
transaction, so a closed notebook tab loses nothing.

>>> import tempfile, os, pandas as pd
>>> p = Project.open(os.path.join(tempfile.mkdtemp(), "demo.sqlite"))
>>> p.schema_version
1
>>> p.write_table("segments", pd.DataFrame({"segment_id": ["a"], "text": ["Lovely staff"]}))
>>> p.read_table("segments")[["segment_id", "text"]].values.tolist()
[['a', 'Lovely staff']]
>>> p.close()
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import schema
from .errors import ProjectStoreError

SCHEMA_VERSION = 1
_JSON_COLUMNS = {"keywords", "examples", "survey_items", "include", "exclude"}
_TABLE_COLUMNS = {
    "sources": ("source_id", "path", "kind", "rows_read", "respondents_kept"),
    "segments": schema.SEGMENTS,
    "respondents": schema.RESPONDENTS,
    "responses": schema.RESPONSES,
    "set_aside": schema.SET_ASIDE,
    "codebook": schema.CODEBOOK,
}
_CODING_COLUMNS = tuple(c for c in schema.CODINGS)


def now() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Project:
    """A project's SQLite store. Open with :meth:`open`; use as a context manager or call :meth:`close`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn, self.path = conn, path

    @classmethod
    def open(cls, path: str | Path) -> "Project":
        """Open (or create) the store at ``path``."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path))
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise ProjectStoreError(f"cannot open project store {str(path)!r}: {exc}. "
                                    "Check that the folder exists and is writable.") from None
        project = cls(conn, path)
        project._migrate()
        return project

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ schema
    def _migrate(self) -> None:
        with self.conn:
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row and int(row[0]) > SCHEMA_VERSION:
                raise ProjectStoreError(
                    f"project store {str(self.path)!r} has schema version {row[0]}, newer than this "
                    f"pledge_analysis ({SCHEMA_VERSION}). Upgrade pledge_analysis to open it.")
            for table, cols in _TABLE_COLUMNS.items():
                pk = {"sources": "source_id", "segments": "segment_id", "codebook": "code_id"}.get(table)
                defs = ", ".join(f'"{c}"' + (" PRIMARY KEY" if c == pk else "") for c in cols)
                self.conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({defs})")
            coding_defs = ", ".join(f'"{c}"' for c in _CODING_COLUMNS)
            self.conn.execute(f"CREATE TABLE IF NOT EXISTS codings (coding_id INTEGER PRIMARY KEY AUTOINCREMENT, {coding_defs})")
            self.conn.execute("CREATE INDEX IF NOT EXISTS codings_segment ON codings(segment_id)")
            self.conn.execute("CREATE TABLE IF NOT EXISTS memos (memo_id INTEGER PRIMARY KEY AUTOINCREMENT, "
                              "segment_id, code_id, coder, text, created_at)")
            self.conn.execute("CREATE TABLE IF NOT EXISTS audit_log (entry_id INTEGER PRIMARY KEY AUTOINCREMENT, "
                              "at, actor, action, detail)")
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

    # ------------------------------------------------------------------ tables
    def write_table(self, name: str, df: pd.DataFrame, *, replace: bool = True) -> None:
        """Write a tidy table (one of sources, segments, respondents, responses, set_aside, codebook)."""
        if name not in _TABLE_COLUMNS:
            raise ProjectStoreError(f"unknown table {name!r}; choose from {sorted(_TABLE_COLUMNS)}.")
        cols = _TABLE_COLUMNS[name]
        rows = [tuple(_encode(c, rec.get(c)) for c in cols) for rec in df.to_dict("records")]
        with self.conn:
            if replace:
                self.conn.execute(f"DELETE FROM {name}")
            self.conn.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(cols))})", rows)
            self._log("store", f"write {name}", {"rows": len(rows), "replace": replace})

    def read_table(self, name: str) -> pd.DataFrame:
        if name not in _TABLE_COLUMNS:
            raise ProjectStoreError(f"unknown table {name!r}; choose from {sorted(_TABLE_COLUMNS)}.")
        df = pd.read_sql_query(f"SELECT * FROM {name}", self.conn)
        for c in df.columns:
            if c in _JSON_COLUMNS:
                df[c] = [_decode(v) for v in df[c]]
        return df

    # ------------------------------------------------------------------ codings
    def add_codings(self, codings: pd.DataFrame) -> list[int]:
        """Append codings (columns of :data:`schema.CODINGS`); return their ``coding_id``."""
        codings = schema.conform(codings, "codings")
        ids = []
        with self.conn:
            for rec in codings.to_dict("records"):
                rec["created_at"] = rec.get("created_at") or now()
                cur = self.conn.execute(
                    f"INSERT INTO codings ({', '.join(_CODING_COLUMNS)}) VALUES ({', '.join('?' * len(_CODING_COLUMNS))})",
                    tuple(_encode(c, rec.get(c)) for c in _CODING_COLUMNS))
                ids.append(cur.lastrowid)
            self._log("store", "add codings", {"rows": len(ids)})
        return ids

    def codings(self, *, status: str | None = None, coder: str | None = None, method: str | None = None) -> pd.DataFrame:
        """Codings, optionally filtered; ``coding_id`` first, then the contract columns."""
        where, args = [], []
        for col, val in (("status", status), ("coder", coder), ("method", method)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(val)
        sql = "SELECT * FROM codings" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY coding_id"
        return pd.read_sql_query(sql, self.conn, params=args)

    def decide(self, coding_id: int, status: str, *, coder: str, memo: str | None = None) -> None:
        """Record a reviewer's decision (``accepted`` / ``rejected``) on one coding, at once."""
        if status not in ("accepted", "rejected", "suggested"):
            raise ProjectStoreError(f"status must be accepted, rejected or suggested, not {status!r}.")
        with self.conn:
            cur = self.conn.execute("UPDATE codings SET status=?, coder=?, memo=COALESCE(?, memo) WHERE coding_id=?",
                                    (status, coder, memo, int(coding_id)))
            if cur.rowcount != 1:
                raise ProjectStoreError(f"no coding with coding_id={coding_id} in {str(self.path)!r}.")
            self._log(coder, f"coding {status}", {"coding_id": int(coding_id)})

    def record_decision(self, coding_id: int, status: str, *, coder: str, memo: str | None = None) -> int:
        """A coder's own decision on a suggestion, kept apart from other coders' (blind double coding).

        Inserts a ``method="manual"`` coding by ``coder`` with the suggestion's segment, code and span and
        ``status`` ``accepted`` or ``rejected``; the suggestion itself is left as it is. Returns the new id.
        """
        if status not in ("accepted", "rejected"):
            raise ProjectStoreError(f"a decision is accepted or rejected, not {status!r}.")
        row = self.conn.execute("SELECT segment_id, code_id, start, end, confidence, evidence FROM codings "
                                "WHERE coding_id=?", (int(coding_id),)).fetchone()
        if row is None:
            raise ProjectStoreError(f"no coding with coding_id={coding_id} in {str(self.path)!r}.")
        with self.conn:
            self.conn.execute("DELETE FROM codings WHERE method='manual' AND coder=? AND segment_id=? AND code_id=? "
                              "AND start IS ? AND end IS ?", (coder, row[0], row[1], row[2], row[3]))
            cur = self.conn.execute(
                "INSERT INTO codings (segment_id, code_id, coder, method, confidence, start, end, status, created_at, "
                "memo, evidence, negated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (row[0], row[1], coder, "manual", row[4], row[2], row[3], status, now(), memo, row[5], None))
            self._log(coder, f"decision {status}", {"suggestion": int(coding_id), "coding_id": cur.lastrowid})
        return cur.lastrowid

    def add_manual_coding(self, segment_id: str, code_id: str, *, coder: str, start: int | None = None,
                          end: int | None = None, memo: str | None = None) -> int:
        """A code the coder adds by hand (``method="manual"``, ``status="accepted"``)."""
        return self.add_codings(pd.DataFrame([{"segment_id": segment_id, "code_id": code_id, "coder": coder,
                                               "method": "manual", "confidence": 1.0, "start": start, "end": end,
                                               "status": "accepted", "memo": memo}]))[0]

    def review_queue(self, coder: str, *, code: str | None = None, site: str | None = None, group: str | None = None,
                     method: str | None = None, uncertain_first: bool = False) -> pd.DataFrame:
        """Suggestions (rules, model or topic) that ``coder`` has not yet decided, with their segments.

        Other coders' decisions are never shown, so two coders can code the same segments blind.
        """
        sugg = pd.read_sql_query(
            "SELECT c.coding_id, c.segment_id, c.code_id, c.method, c.confidence, c.start, c.end, c.evidence, "
            "c.negated, s.text, s.site, s.\"group\", s.speaker, s.source_id, s.position, s.source_type, s.question_id "
            "FROM codings c JOIN segments s ON s.segment_id = c.segment_id "
            "WHERE c.status = 'suggested' AND c.method IN ('rules', 'model', 'topic')", self.conn)
        mine = pd.read_sql_query("SELECT segment_id, code_id, start, end FROM codings WHERE method='manual' AND coder=?",
                                 self.conn, params=(coder,))
        if len(mine):
            done = set(zip(mine["segment_id"], mine["code_id"], mine["start"].astype("Int64"), mine["end"].astype("Int64")))
            keys = zip(sugg["segment_id"], sugg["code_id"], sugg["start"].astype("Int64"), sugg["end"].astype("Int64"))
            sugg = sugg[[k not in done for k in keys]]
        for col, val in (("code_id", code), ("site", site), ("group", group), ("method", method)):
            if val is not None:
                sugg = sugg[sugg[col] == val] if col != "code_id" else sugg[(sugg[col] == val) | sugg[col].str.startswith(val + ".")]
        order = ["confidence", "coding_id"] if uncertain_first else ["source_id", "position", "coding_id"]
        return sugg.sort_values(order).reset_index(drop=True)

    def add_memo(self, text: str, *, coder: str, segment_id: str | None = None, code_id: str | None = None) -> None:
        with self.conn:
            self.conn.execute("INSERT INTO memos (segment_id, code_id, coder, text, created_at) VALUES (?,?,?,?,?)",
                              (segment_id, code_id, coder, text, now()))

    def memos(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM memos ORDER BY memo_id", self.conn)

    # ------------------------------------------------------------------ audit
    def _log(self, actor: str, action: str, detail: dict) -> None:
        self.conn.execute("INSERT INTO audit_log (at, actor, action, detail) VALUES (?,?,?,?)",
                          (now(), actor, action, json.dumps(detail, default=str)))

    def log(self, action: str, *, actor: str = "pledge-analysis", **detail) -> None:
        """Add an entry to the audit log."""
        with self.conn:
            self._log(actor, action, detail)

    def audit_log(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM audit_log ORDER BY entry_id", self.conn)


def _encode(column: str, value):
    if column in _JSON_COLUMNS or isinstance(value, (list, dict, tuple)):
        return None if value is None else json.dumps(value)
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _decode(value):
    if value is None:
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value
