"""Updating a project store with a new run without losing human work.

Called through :meth:`pledge_analysis.project.Project.sync_run`. All of it runs in one SQLite
transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``): if the process dies half way, even by
``kill -9``, SQLite rolls the store back to the state before the run.

What a run does to each kind of row:

============================  ===============================================================
input tables                  ``sources``, ``segments``, ``respondents``, ``responses``,
                              ``set_aside``, ``codebook``: replaced by this run's
machine suggestions           of the methods the run produced (``rules``; ``model`` by the run's
                              coder when it trained a model, see :mod:`pledge_analysis.machine_coding`): a suggestion
                              produced again keeps its ``coding_id`` (confidence and evidence
                              refreshed); one no longer produced is deleted only if it is still
                              ``suggested`` with no memo, else kept; a new one for a segment and
                              code a person already accepted or coded by hand (any span) is not
                              made (``already_coded_by_people`` in the summary)
human codings                 (``manual``, or any decided suggestion): never deleted
renamed or merged codes       (the codebook's ``formerly:``) people's codings, memos and edited goals of
                              an old id move to the code that holds it now, before anything else
orphans                       human codings and memos whose segment vanished or whose text
                              changed since, or whose code left the codebook, are listed with
                              the reason and the segment's old text; an entry stays until its
                              coding is deleted or its cause is gone
action plan                   goals edited by people (``origin="edited"``) are kept; untouched
                              drafts are replaced by this run's drafts, except for a scope and
                              code (``code_id``) that an edited goal already covers (its whole
                              theme when the edited goal names no code, or a code that left the
                              codebook: such goals are listed in ``edited_goals_without_code``)
============================  ===============================================================
"""
from __future__ import annotations

import pandas as pd

from . import schema
from .schema import present as _present

_INPUT_TABLES = ("sources", "segments", "respondents", "responses", "set_aside", "codebook")


def _int(v):
    return None if v is None or v != v else int(v)


def _key(rec) -> tuple:
    return (rec["segment_id"], rec["code_id"], rec["method"], _int(rec.get("start")), _int(rec.get("end")))


def sync_run(project, *, tables: dict[str, pd.DataFrame], codings: pd.DataFrame, plan: pd.DataFrame | None,
             methods: tuple[str, ...] = ("rules",), actor: str = "pledge-analysis run",
             owners: dict[str, str] | None = None, renames: dict[str, str] | None = None) -> dict:
    """Apply one run to ``project`` (a :class:`~pledge_analysis.project.Project`); return a summary.

    ``methods``: the machine methods this run produced (their suggestions are refreshed). ``owners``
    (method -> coder): for those methods only the suggestions of that coder are the run's, e.g.
    ``{"model": "pledge-analysis run"}`` leaves the active-learning suggestions (coder ``model``) alone.
    ``renames`` (old code id -> code, the codebook's ``formerly:``): people's codings (decided or manual),
    memos and edited goals of an old id move to its code first, counted in ``summary["codebook"]["moved"]``.
    """
    from .project import MACHINE_METHODS, _encode, now

    conn = project.conn
    codings = schema.conform(codings.copy(), "codings")
    cols = [c for c in schema.CODINGS]
    summary: dict = {}
    with project.transaction():
        old_text = dict(conn.execute("SELECT segment_id, text FROM segments").fetchall())
        old_codes = {r[0] for r in conn.execute("SELECT code_id FROM codebook")}
        for name in _INPUT_TABLES:
            project._replace_rows(name, tables[name])
        new_codes = set(tables["codebook"]["code_id"])
        summary["codebook"] = {"added": sorted(new_codes - old_codes), "removed": sorted(old_codes - new_codes)}
        summary["codebook"]["moved"] = _move_work(conn, renames or {}, tables["codebook"], MACHINE_METHODS)

        # ---------------------------------------------------------------- machine suggestions
        owners = {m: c for m, c in (owners or {}).items() if m in methods}
        free = [m for m in methods if m not in owners]
        where = [f"method IN ({','.join('?' * len(free))})"] if free else []
        where += ["(method = ? AND coder = ?)"] * len(owners)
        args = tuple(free) + tuple(x for mc in owners.items() for x in mc)
        existing = {}
        for row in conn.execute(f"SELECT coding_id, segment_id, code_id, method, start, end, status, memo "
                                f"FROM codings WHERE {' OR '.join(where) or '0'}", args):
            rec = dict(zip(("coding_id", "segment_id", "code_id", "method", "start", "end", "status", "memo"), row))
            existing.setdefault(_key(rec), rec)
        # a (segment, code) a person already accepted or coded by hand gets no new suggestion: asking again
        # about their own code, and counting it twice, would undo human work (a suggestion already in the
        # store is refreshed as before, so another coder coding blind is still asked)
        by_people = set(conn.execute("SELECT segment_id, code_id FROM codings WHERE status = 'accepted'").fetchall())
        produced, inserted, refreshed, skipped = set(), [], 0, 0
        stamp = now()
        for rec in codings.to_dict("records"):
            k = _key(rec)
            if k in produced:
                continue
            produced.add(k)
            if k not in existing and (rec["segment_id"], rec["code_id"]) in by_people:
                skipped += 1
                continue
            if k in existing:
                conn.execute("UPDATE codings SET confidence=?, evidence=?, negated=? WHERE coding_id=?",
                             (_encode("confidence", rec.get("confidence")), _encode("evidence", rec.get("evidence")),
                              _encode("negated", rec.get("negated")), existing[k]["coding_id"]))
                refreshed += 1
            else:
                rec["created_at"] = rec.get("created_at") or stamp
                inserted.append(tuple(_encode(c, rec.get(c)) for c in cols))
        conn.executemany(f"INSERT INTO codings ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", inserted)
        removed = kept = 0
        for k, rec in existing.items():
            if k in produced:
                continue
            if rec["status"] == "suggested" and not rec["memo"]:
                conn.execute("DELETE FROM codings WHERE coding_id=?", (rec["coding_id"],))
                removed += 1
            else:
                kept += 1
        summary["suggestions"] = {"new": len(inserted), "refreshed": refreshed, "removed": removed,
                                  "kept_because_decided": kept, "already_coded_by_people": skipped}

        # ---------------------------------------------------------------- human work and orphans
        new_text = dict(zip(tables["segments"]["segment_id"], tables["segments"]["text"]))
        machine = ",".join("?" * len(MACHINE_METHODS))
        human = conn.execute(
            f"SELECT coding_id, segment_id, code_id, coder, end FROM codings WHERE method NOT IN ({machine}) "
            f"OR status != 'suggested' OR (memo IS NOT NULL AND memo != '')", MACHINE_METHODS).fetchall()
        memos = conn.execute("SELECT memo_id, segment_id, code_id, coder FROM memos").fetchall()
        found = []
        for kind, rows in (("coding", [(r[0], r[1], r[2], r[3], r[4]) for r in human]),
                           ("memo", [(r[0], r[1], r[2], r[3], None) for r in memos])):
            for item, seg, code, coder, end in rows:
                reason = None
                if seg is not None and seg not in new_text:
                    reason = "its segment is no longer in the data"
                elif seg is not None and seg in old_text and old_text[seg] != new_text[seg]:
                    reason = "its segment's text changed since the last run"
                elif end is not None and seg is not None and int(end) > len(str(new_text[seg])):
                    reason = "its span runs past the end of the segment's text"
                elif code is not None and code not in new_codes:
                    reason = "its code is no longer in the codebook"
                if reason:
                    found.append((kind, item, seg, code, coder, reason, old_text.get(seg, new_text.get(seg)), stamp))
        conn.executemany("INSERT OR IGNORE INTO orphans VALUES (?,?,?,?,?,?,?,?)", found)
        # an entry goes when its item is gone or its cause is (segment back, code back); changed text stays
        conn.execute("DELETE FROM orphans WHERE kind='coding' AND item_id NOT IN (SELECT coding_id FROM codings)")
        conn.execute("DELETE FROM orphans WHERE kind='memo' AND item_id NOT IN (SELECT memo_id FROM memos)")
        for kind, item, seg, code, reason in conn.execute(
                "SELECT kind, item_id, segment_id, code_id, reason FROM orphans").fetchall():
            gone = ((reason.startswith("its segment is no longer") and seg in new_text)
                    or (reason.startswith("its code is no longer") and code in new_codes))
            if gone:
                conn.execute("DELETE FROM orphans WHERE kind=? AND item_id=?", (kind, item))
        summary["human_codings"] = len(human)
        summary["memos"] = len(memos)
        summary["orphans"] = conn.execute("SELECT count(*) FROM orphans").fetchone()[0]

        # ---------------------------------------------------------------- action plan
        if plan is not None:
            summary["plan"] = _merge_plan(project, plan, stamp, new_codes)
        project._log(actor, "run", summary)
    return summary


def _move_work(conn, renames: dict[str, str], codebook: pd.DataFrame, machine_methods) -> dict:
    """Move people's work of each old code id to the code that now holds it (a rename or a merge, ``formerly:``):
    decided or manual codings and memos on it, and edited goals naming it as their code or theme. Machine
    suggestions nobody decided stay under the old id (this run's suggestions replace them)."""
    parents = dict(zip(codebook["code_id"], codebook["parent_id"]))

    def theme(code):
        while _present(parents.get(code)):
            code = parents[code]
        return code

    marks = ",".join("?" * len(machine_methods))
    human = f"(method NOT IN ({marks}) OR status != 'suggested' OR (memo IS NOT NULL AND memo != ''))"
    moved = {}
    for old, new in renames.items():
        if new not in parents:
            continue
        n_codings = conn.execute(f"UPDATE codings SET code_id=? WHERE code_id=? AND {human}",
                                 (new, old, *machine_methods)).rowcount
        n_memos = conn.execute("UPDATE memos SET code_id=? WHERE code_id=?", (new, old)).rowcount
        n_goals = conn.execute("UPDATE action_plan SET code_id=?, theme=? WHERE code_id=? AND origin='edited'",
                               (new, theme(new), old)).rowcount
        n_goals += conn.execute("UPDATE action_plan SET theme=? WHERE theme=? AND origin='edited'",
                                (theme(new), old)).rowcount
        conn.execute("UPDATE orphans SET code_id=? WHERE code_id=?", (new, old))  # listed then; their cause is gone
        if n_codings or n_memos or n_goals:
            moved[old] = {"to": new, "codings": n_codings, "memos": n_memos, "goals": n_goals}
    return moved


def _merge_plan(project, draft: pd.DataFrame, stamp: str, codes: set | None = None) -> dict:
    conn = project.conn
    stored = project.action_plan()
    edited = stored[stored["origin"] == "edited"]
    # an edited goal whose code left the codebook (merged, renamed, deleted) is listed for a person to give it a
    # code again, and covers its whole theme meanwhile: no second goal is drafted beside it from the merged code
    gone = [{"goal_id": str(g), "scope": str(sc), "code_id": str(code)}
            for g, sc, code in zip(edited["goal_id"], edited["scope"], edited["code_id"])
            if codes is not None and _present(code) and code not in codes]
    lost = {(d["goal_id"]) for d in gone}
    # an edited goal covers its scope and code (or its whole theme when it names no code: an older store)
    covered = {(sc, th, code if _present(code) and g not in lost else None)
               for g, sc, th, code in zip(edited["goal_id"], edited["scope"], edited["theme"], edited["code_id"])}
    conn.execute("DELETE FROM action_plan WHERE origin != 'edited' OR origin IS NULL")
    taken = set(edited["goal_id"])
    number = 0
    rows = []
    for rec in schema.conform(draft.copy(), "action_plan").to_dict("records"):
        if (rec["scope"], rec["theme"], None) in covered or (
                rec["scope"], rec["theme"], rec.get("code_id") if _present(rec.get("code_id")) else None) in covered:
            continue
        goal = rec["goal_id"]
        if goal in taken:  # a human goal holds this id: take the next free G-number
            while f"G{number + 1:02d}" in taken or any(r["goal_id"] == f"G{number + 1:02d}" for r in rows):
                number += 1
            goal = f"G{number + 1:02d}"
        taken.add(goal)
        rows.append(rec | {"goal_id": goal, "origin": "draft", "updated_at": stamp, "updated_by": "pledge-analysis run"})
    project._insert_rows("action_plan", pd.DataFrame(rows, columns=list(project.table_columns("action_plan"))))
    return {"kept_edited": len(edited), "drafts": len(rows), "skipped_drafts_covered_by_edits":
            len(draft) - len(rows), "edited_goals_without_code": gone}
