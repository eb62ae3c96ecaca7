"""The project store: one SQLite file holding a project's tables, its human work and an audit log.

The store is the project's source of truth for human work: manual codings, review decisions,
memos, the action plan and its status history. It lives in the project folder
(``store:`` in project.yaml, default ``project.sqlite``); ``--out`` only receives exports.

Tables: ``sources``, ``segments``, ``respondents``, ``responses``, ``set_aside``, ``codebook``
(refreshed from the inputs by every run), ``codings``, ``memos``, ``orphans``, ``action_plan``,
``plan_history``, ``audit_log`` and ``meta`` (with ``schema_version``).

A re-run *updates* the store (:meth:`Project.sync_run`), in one transaction: input tables are
refreshed; machine suggestions are refreshed (a suggestion still produced keeps its
``coding_id``, a suggestion no longer produced is removed only if nobody decided on it or wrote
a memo); human codings are never removed, and those whose segment vanished or changed, or whose
code left the codebook, are listed in ``orphans``; edited goals of the action plan are kept and
only untouched drafts are replaced. Every write is a transaction, so a crash or ``kill -9``
leaves the previous store intact; each review decision is its own transaction, so a closed
notebook tab loses nothing. Opening a store of an older schema version migrates it after
copying it to ``<name>.v<old>-backup-<time>.sqlite``.

>>> import tempfile, os, pandas as pd
>>> p = Project.open(os.path.join(tempfile.mkdtemp(), "demo.sqlite"))
>>> p.schema_version
3
>>> p.write_table("segments", pd.DataFrame({"segment_id": ["a"], "text": ["Lovely staff"]}))
>>> p.read_table("segments")[["segment_id", "text"]].values.tolist()
[['a', 'Lovely staff']]
>>> p.close()
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from . import schema
from .errors import InputError, ProjectStoreError

SCHEMA_VERSION = 3
#: Seconds to wait for another program (a run, a notebook, the review app) to finish writing the store.
LOCK_TIMEOUT = 5.0
#: Methods whose codings are machine suggestions, refreshed by the process that made them.
MACHINE_METHODS = ("rules", "model", "topic")
_JSON_COLUMNS = {"keywords", "examples", "survey_items", "include", "exclude"}
_TABLE_COLUMNS = {
    "sources": ("source_id", "path", "kind", "rows_read", "respondents_kept"),
    "segments": schema.SEGMENTS,
    "respondents": schema.RESPONDENTS,
    "responses": schema.RESPONSES,
    "set_aside": schema.SET_ASIDE,
    "codebook": schema.CODEBOOK,
    "action_plan": schema.ACTION_PLAN + ("origin", "updated_at", "updated_by"),
}
_CODING_COLUMNS = tuple(c for c in schema.CODINGS)


def now_precise() -> str:
    """The current UTC time as ISO 8601 with microseconds (orders plan edits against workbook exports)."""
    return datetime.now(timezone.utc).isoformat()


def now() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _checked_plan(plan: pd.DataFrame) -> pd.DataFrame:
    """``plan`` with each status and audience spelt as stored (``"Ongoing "`` is ``ongoing``, an empty status
    ``not started``); any other value is refused, naming the goals, before anything is stored: a status the
    store took would otherwise come back in ``action_plan.xlsx`` and be refused by ``import-plan``."""
    plan = plan.copy()
    problems = []
    for col, allowed, blank in (("status", schema.STATUSES, "not started"), ("audience", schema.AUDIENCES, None)):
        if col not in plan.columns:
            continue
        values = []
        for goal, v in zip(plan["goal_id"], plan[col]):
            text = str(v).strip().lower() if schema.present(v) else ""
            if text and text not in allowed:
                problems.append(f"goal {goal}: {col} {v!r} is not one of {list(allowed)}")
            values.append(text or blank)
        plan[col] = values
    if problems:
        raise InputError(f"{len(problems)} problem(s) in the action plan: " + "; ".join(problems),
                         hint="Use one of the listed values (a goal past its date shows as overdue by itself); "
                              "nothing was saved.", column="status")
    return plan


class Project:
    """A project's SQLite store. Open with :meth:`open`; use as a context manager or call :meth:`close`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn, self.path = conn, path
        self.backup: Path | None = None  # set when opening migrated an older store
        self.timeout = LOCK_TIMEOUT

    @classmethod
    def open(cls, path: str | Path, *, timeout: float | None = None) -> "Project":
        """Open (or create) the store at ``path``.

        While another program writes to the store, waits up to ``timeout`` seconds (default
        :data:`LOCK_TIMEOUT`), then raises :class:`ProjectStoreError` ("in use by another program");
        a store that cannot be created, read or written is a :class:`ProjectStoreError` too.
        """
        path = Path(path)
        timeout = LOCK_TIMEOUT if timeout is None else float(timeout)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from .io.safe import reason

            raise ProjectStoreError(f"cannot create the folder of the project store {str(path)!r}: {reason(exc)}. "
                                    "Point store: (or --store) at a file in a folder you can write to.") from None
        try:
            # widget callbacks may run off the kernel's main thread; each call is its own transaction
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=timeout)
        except sqlite3.Error as exc:
            raise store_error(exc, path, "open", timeout) from None
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            project = cls(conn, path)
            project.timeout = timeout
            project._migrate()
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                raise store_error(exc, path, "open", timeout) from None
            raise
        return project

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ schema
    def _migrate(self) -> None:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            if "no such table" not in str(exc):
                raise ProjectStoreError(f"{str(self.path)!r} is not a pledge_analysis project store ({exc}). "
                                        "Point store: at another file, or move this one away.") from None
            row = None
        if row and int(row[0]) > SCHEMA_VERSION:
            raise ProjectStoreError(
                f"project store {str(self.path)!r} has schema version {row[0]}, newer than this "
                f"pledge_analysis ({SCHEMA_VERSION}). Upgrade pledge_analysis to open it.")
        if row and int(row[0]) < SCHEMA_VERSION:
            self.backup = self._backup(int(row[0]))
        with self.conn:
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            for table, cols in _TABLE_COLUMNS.items():
                pk = {"sources": "source_id", "segments": "segment_id", "codebook": "code_id",
                      "action_plan": "goal_id"}.get(table)
                defs = ", ".join(f'"{c}"' + (" PRIMARY KEY" if c == pk else "") for c in cols)
                self.conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({defs})")
                # schema 3 (and any later column): columns a table of an older store lacks are added, empty
                # (codebook.concern; action_plan.code_id, audience, wording, quotes)
                have = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
                for c in cols:
                    if c not in have:
                        self.conn.execute(f'ALTER TABLE {table} ADD COLUMN "{c}"')
            coding_defs = ", ".join(f'"{c}"' for c in _CODING_COLUMNS)
            self.conn.execute(f"CREATE TABLE IF NOT EXISTS codings (coding_id INTEGER PRIMARY KEY AUTOINCREMENT, {coding_defs})")
            self.conn.execute("CREATE INDEX IF NOT EXISTS codings_segment ON codings(segment_id)")
            self.conn.execute("CREATE TABLE IF NOT EXISTS memos (memo_id INTEGER PRIMARY KEY AUTOINCREMENT, "
                              "segment_id, code_id, coder, text, created_at)")
            self.conn.execute("CREATE TABLE IF NOT EXISTS audit_log (entry_id INTEGER PRIMARY KEY AUTOINCREMENT, "
                              "at, actor, action, detail)")
            # schema 2: orphaned human work, the action plan and its history
            self.conn.execute("CREATE TABLE IF NOT EXISTS orphans (kind, item_id INTEGER, segment_id, code_id, coder, "
                              "reason, old_text, detected_at, PRIMARY KEY (kind, item_id))")
            self.conn.execute("CREATE TABLE IF NOT EXISTS plan_history (entry_id INTEGER PRIMARY KEY AUTOINCREMENT, "
                              "goal_id, date, status, note, actor, at)")
            if row and int(row[0]) < SCHEMA_VERSION:
                self._log("pledge-analysis", "migrate store", {"from": int(row[0]), "to": SCHEMA_VERSION,
                                                               "backup": str(self.backup)})
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _backup(self, version: int) -> Path:
        """Copy the whole store (SQLite's online backup) before a migration changes it."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.v{version}-backup-{stamp}{self.path.suffix}")
        dst = sqlite3.connect(str(target))
        try:
            self.conn.backup(dst)
        finally:
            dst.close()
        return target

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

    # ------------------------------------------------------------------ tables
    @contextmanager
    def transaction(self):
        """One write transaction (``BEGIN IMMEDIATE``): all of it is stored, or none of it."""
        try:
            if self.conn.in_transaction:
                self.conn.commit()
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, "write to", self.timeout) from None
        try:
            yield self.conn
            self.conn.commit()
        except BaseException as exc:
            try:
                self.conn.rollback()
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.OperationalError):  # locked, full, read-only: not a bug in the data
                raise store_error(exc, self.path, "write to", self.timeout) from None
            raise

    @staticmethod
    def table_columns(name: str) -> tuple[str, ...]:
        if name not in _TABLE_COLUMNS:
            raise ProjectStoreError(f"unknown table {name!r}; choose from {sorted(_TABLE_COLUMNS)}.")
        return _TABLE_COLUMNS[name]

    def _insert_rows(self, name: str, df: pd.DataFrame) -> int:
        cols = self.table_columns(name)
        rows = [tuple(_encode(c, rec.get(c)) for c in cols) for rec in df.to_dict("records")]
        self.conn.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(cols))})", rows)
        return len(rows)

    def _replace_rows(self, name: str, df: pd.DataFrame) -> int:
        self.conn.execute(f"DELETE FROM {name}")
        return self._insert_rows(name, df)

    def write_table(self, name: str, df: pd.DataFrame, *, replace: bool = True) -> None:
        """Write a tidy table (one of sources, segments, respondents, responses, set_aside, codebook)."""
        self.table_columns(name)
        with self.transaction():
            n = self._replace_rows(name, df) if replace else self._insert_rows(name, df)
            self._log("store", f"write {name}", {"rows": n, "replace": replace})

    def sync_run(self, *, sources: pd.DataFrame, segments: pd.DataFrame, respondents: pd.DataFrame,
                 responses: pd.DataFrame, set_aside: pd.DataFrame, codebook: pd.DataFrame, codings: pd.DataFrame,
                 plan: pd.DataFrame | None = None, methods: tuple[str, ...] = ("rules",),
                 owners: dict[str, str] | None = None, renames: dict[str, str] | None = None) -> dict:
        """Update the store with a run, keeping all human work (see :mod:`pledge_analysis.project_sync`)."""
        from .project_sync import sync_run

        tables = {"sources": sources, "segments": segments, "respondents": respondents, "responses": responses,
                  "set_aside": set_aside, "codebook": codebook}
        try:
            return sync_run(self, tables=tables, codings=codings, plan=plan, methods=methods, owners=owners,
                            renames=renames)
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, "update", self.timeout) from None

    def orphans(self) -> pd.DataFrame:
        """Human codings and memos that need a look: their segment vanished or changed, or their code left
        the codebook (``kind``, ``item_id`` = coding_id or memo_id, ``reason``, ``old_text``)."""
        return pd.read_sql_query("SELECT * FROM orphans ORDER BY kind, item_id", self.conn)

    def resolve_orphan(self, kind: str, item_id: int, *, coder: str, note: str = "") -> None:
        """Mark an orphan as looked at (the coding or memo itself is left as it is)."""
        with self.transaction():
            cur = self.conn.execute("DELETE FROM orphans WHERE kind=? AND item_id=?", (kind, int(item_id)))
            if cur.rowcount != 1:
                raise ProjectStoreError(f"no orphaned {kind} {item_id} in {str(self.path)!r}.")
            self._log(coder, "orphan resolved", {"kind": kind, "item_id": int(item_id), "note": note})

    # ------------------------------------------------------------------ action plan
    def action_plan(self) -> pd.DataFrame:
        """The stored plan (contract columns of :data:`schema.ACTION_PLAN`, then ``origin``, ``updated_*``)."""
        df = pd.read_sql_query("SELECT * FROM action_plan", self.conn)
        if len(df):
            df = df.iloc[sorted(range(len(df)), key=lambda i: _goal_order(df["goal_id"].iloc[i]))]
        return df.reset_index(drop=True)

    def plan_history(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT goal_id, date, status, note, actor, at FROM plan_history ORDER BY entry_id",
                                 self.conn)

    def save_action_plan(self, plan: pd.DataFrame, *, actor: str, note: str = "") -> pd.DataFrame:
        """Store a plan edited by people (the notebook editor or :func:`pledge.read_action_plan_xlsx`).

        Goals that differ from the stored ones become ``origin="edited"`` (a later run keeps them);
        goals missing from ``plan`` are removed; a status change adds a dated ``plan_history`` row.
        Returns the changes (``goal_id, field, before, after``).
        """
        fields = ("scope", "theme", "you_said", "we_plan_to", "by", "owner", "status", "evidence", "audience",
                  "code_id")  # a goal given a code again (its own left the codebook) is an edit too
        before = self.action_plan().set_index("goal_id")
        plan = schema.conform(plan.copy(), "action_plan", optional=schema.OPTIONAL["action_plan"])
        plan = _checked_plan(plan)
        changes = []
        with self.transaction():
            for rec in plan.to_dict("records"):
                g = str(rec["goal_id"])
                old = before.loc[g] if g in before.index else None
                if old is not None:  # columns the edit does not carry (an older workbook) keep the stored value
                    for f in ("code_id", "audience", "wording", "quotes"):
                        if not schema.present(rec.get(f)):
                            rec[f] = old[f]
                diff = [f for f in fields if old is None or str(old[f] or "") != str(rec.get(f) or "")]
                if not diff:
                    continue
                changes += [{"goal_id": g, "field": f, "before": "" if old is None else str(old[f] or ""),
                             "after": str(rec.get(f) or "")} for f in diff]
                if "you_said" in diff and old is not None:  # people's own wording, no longer the codebook's
                    rec["wording"] = "edited"
                self.conn.execute("DELETE FROM action_plan WHERE goal_id=?", (g,))
                self._insert_rows("action_plan", pd.DataFrame([rec | {"origin": "edited", "updated_at": now_precise(),
                                                                      "updated_by": actor}]))
                if "status" in diff:
                    self.conn.execute("INSERT INTO plan_history (goal_id, date, status, note, actor, at) "
                                      "VALUES (?,?,?,?,?,?)", (g, date.today().isoformat(), rec["status"], note,
                                                                actor, now()))
            for g in sorted(set(before.index) - set(plan["goal_id"].astype(str))):
                self.conn.execute("DELETE FROM action_plan WHERE goal_id=?", (g,))
                changes.append({"goal_id": g, "field": "(removed)", "before": str(before.at[g, "you_said"]),
                                "after": ""})
            self._log(actor, "action plan saved", {"changes": len(changes)})
        return pd.DataFrame(changes, columns=["goal_id", "field", "before", "after"])

    def read_table(self, name: str) -> pd.DataFrame:
        self.table_columns(name)
        df = pd.read_sql_query(f"SELECT * FROM {name}", self.conn)
        for c in df.columns:
            if c in _JSON_COLUMNS:
                df[c] = [_decode(v) for v in df[c]]
        return df

    # ------------------------------------------------------------------ codings
    def add_codings(self, codings: pd.DataFrame) -> list[int]:
        """Append codings (columns of :data:`schema.CODINGS`); return their ``coding_id``."""
        codings = schema.conform(codings, "codings", optional=schema.OPTIONAL["codings"])  # a user's own codings
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

    def withdraw_decision(self, coding_id: int, *, coder: str) -> None:
        """Undo a decision made with :meth:`record_decision`: delete ``coder``'s manual coding ``coding_id``
        (the suggestion it answered is untouched, so it is back in the coder's review queue); logged."""
        with self.conn:
            cur = self.conn.execute("DELETE FROM codings WHERE coding_id=? AND method='manual' AND coder=?",
                                    (int(coding_id), coder))
            if cur.rowcount != 1:
                raise ProjectStoreError(f"no decision {coding_id} by {coder!r} in {str(self.path)!r} to undo.")
            self._log(coder, "decision withdrawn", {"coding_id": int(coding_id)})

    def add_manual_coding(self, segment_id: str, code_id: str, *, coder: str, start: int | None = None,
                          end: int | None = None, memo: str | None = None) -> int:
        """A code the coder adds by hand (``method="manual"``, ``status="accepted"``)."""
        return self.add_codings(pd.DataFrame([{"segment_id": segment_id, "code_id": code_id, "coder": coder,
                                               "method": "manual", "confidence": 1.0, "start": start, "end": end,
                                               "status": "accepted", "memo": memo}]))[0]

    def review_queue(self, coder: str, *, code: str | None = None, site: str | None = None, group: str | None = None,
                     method: str | None = None, uncertain_first: bool = False) -> pd.DataFrame:
        """Suggestions (rules, model or topic) that ``coder`` has not yet decided, with their segments.

        Other coders' decisions are never shown, so two coders can code the same segments blind. A suggestion
        of a code that ``coder`` already accepted or added by hand on the same segment (any span) is not asked
        again; one that ``coder`` rejected is left out by its span.
        """
        sugg = pd.read_sql_query(
            "SELECT c.coding_id, c.segment_id, c.code_id, c.method, c.confidence, c.start, c.end, c.evidence, "
            "c.negated, s.text, s.site, s.\"group\", s.speaker, s.source_id, s.position, s.source_type, s.question_id "
            "FROM codings c JOIN segments s ON s.segment_id = c.segment_id "
            "WHERE c.status = 'suggested' AND c.method IN ('rules', 'model', 'topic')", self.conn)
        mine = pd.read_sql_query("SELECT segment_id, code_id, start, end, status FROM codings "
                                 "WHERE method='manual' AND coder=?", self.conn, params=(coder,))
        if len(mine):
            done = set(zip(mine["segment_id"], mine["code_id"], mine["start"].astype("Int64"), mine["end"].astype("Int64")))
            coded = set(zip(mine.loc[mine["status"] == "accepted", "segment_id"],
                            mine.loc[mine["status"] == "accepted", "code_id"]))
            keys = zip(sugg["segment_id"], sugg["code_id"], sugg["start"].astype("Int64"), sugg["end"].astype("Int64"))
            sugg = sugg[[k not in done and k[:2] not in coded for k in keys]]
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

    def review_times(self) -> dict[int, str]:
        """When each coding was last decided in place (:meth:`decide`), from the audit log: ``{coding_id: at}``.
        (A decision recorded with :meth:`record_decision` is a new coding: its ``created_at`` is the decision.)"""
        out: dict[int, str] = {}
        for at, detail in self.conn.execute("SELECT at, detail FROM audit_log WHERE action IN "
                                            "('coding accepted', 'coding rejected', 'coding suggested') "
                                            "ORDER BY entry_id"):
            try:
                out[int(json.loads(detail)["coding_id"])] = at
            except (ValueError, KeyError, TypeError):
                continue
        return out


def store_error(exc: sqlite3.Error, path, doing: str = "use", timeout: float | None = None) -> ProjectStoreError:
    """A :class:`ProjectStoreError` for an SQLite error: what happened to which store, and what to do.

    >>> err = store_error(sqlite3.OperationalError("database is locked"), "p/project.sqlite", "open", 5)
    >>> err.code, err.message[:78]
    ('PA400', "the project store 'p/project.sqlite' is in use by another program (waited 5 s)")
    """
    text = str(exc)
    low = text.lower()
    where = f"the project store {str(path)!r}"
    if "locked" in low or "busy" in low:
        waited = f" (waited {timeout:g} s)" if timeout is not None else ""
        return ProjectStoreError(f"{where} is in use by another program{waited}: another run, a notebook or the "
                                 "review app is writing to it. Let it finish (or close it) and try again.")
    if "full" in low:
        return ProjectStoreError(f"could not {doing} {where}: {text}. Nothing was changed; free some disk space "
                                 "and try again.")
    if "readonly" in low or "read-only" in low:
        return ProjectStoreError(f"could not {doing} {where}: the file or its folder is read-only. Make it "
                                 "writable, or point store: (or --store) elsewhere. Nothing was changed.")
    if "unable to open" in low:
        return ProjectStoreError(f"cannot open {where}: {text}. Check that its folder exists and is writable.")
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return ProjectStoreError(f"{where} is damaged or not a pledge_analysis project store ({text}). Restore it "
                                 "from a backup, or point store: at another file.")
    if "disk i/o" in low:
        return ProjectStoreError(f"could not {doing} {where}: {text}. Check the disk (space, connection) and "
                                 "try again; nothing was changed.")
    return ProjectStoreError(f"could not {doing} {where}: {text}. Nothing was changed; check the disk has space "
                             "and the file is writable.")


def _goal_order(goal_id) -> tuple:
    text = str(goal_id)
    digits = "".join(ch for ch in text if ch.isdigit())
    return (text.rstrip("0123456789"), int(digits) if digits else 0, text)


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
