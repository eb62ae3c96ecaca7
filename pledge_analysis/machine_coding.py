"""Model coding in the run: the best coder the project's own reviewed codings allow.

``pledge-analysis run`` always codes with the codebook's keyword rules. When the project store
already holds enough codings that people accepted (review decisions, manual codes: see
``machine_coding:`` in project.yaml, :class:`pledge_analysis.project_schema.MachineCoding`), it also
trains a :class:`~pledge_analysis.coding.classifier.ThemeClassifier` on the reviewed segments and adds
its codes to the segments nobody has reviewed yet:

- **what counts**: a *reviewed segment* is one with a human decision in the store (a ``manual``
  coding, accepted or rejected, or a suggestion whose status someone changed). Its labels are the
  codes (or their themes, ``level: theme``, the default) that anyone accepted on it; every other
  learnt code counts as 0 for it. A code is learnt only with at least ``min_per_code`` accepted
  segments. ``enabled: auto`` trains once the accepted (segment, code) pairs reach
  ``min_accepted``; ``always`` whenever a code can be learnt; ``never`` not at all.
- **what it writes**: model codings (``method="model"``, ``coder`` = :data:`RUN_CODER`, status
  ``suggested``, ``confidence`` = the model's probability, the whole segment as the span) for
  unreviewed segments, and only for a (segment, theme) the rules did not already suggest. They go
  into the store like rule suggestions (:mod:`pledge_analysis.project_sync`): a re-run with the same
  reviews refreshes them in place; when the reviews changed, suggestions no longer made are removed
  (if still undecided) and new ones added; a decided one is human work and stays. Other
  ``method="model"`` suggestions (active learning, coder ``model``) are left alone.
- **no refit for nothing**: with a store, the fitted model is kept beside it
  (:mod:`pledge_analysis.model_cache`, ``<store name>-models/run_theme_model.joblib``) under a key
  hashing the reviewed examples, the settings and the package versions; a re-run with the same key
  reuses it (the message and the run log's ``reused``, ``model_file``, ``fit_cpu_s`` say so), any change
  that alters what the model would learn refits it. The file can be passed to ``pledge-analysis code
  --model``. It is a cache only: human decisions live in the store, which model coding never rewrites.
- **what the counts use**: :func:`effective_codings` combines the three coders for the theme
  summary and everything after it: human acceptances, then rule and model suggestions, minus what a
  person rejected. :func:`coder_counts` says, per theme, which coder each counted segment comes from.
- **how good it is**: :data:`QUALITY` columns (``machine_coding_quality.csv``): per learnt code the
  cross-validated precision, recall and F1 on the project's reviewed segments, then ``micro avg``
  and ``macro avg`` rows. The per-code thresholds are tuned on the same out-of-fold scores, so the
  figures are slightly optimistic. With ``finetune: true`` the model is a
  :class:`~pledge_analysis.coding.ensemble.FineTunedThemeClassifier` (the classifier averaged with a
  fine-tuned MiniLM head): thresholds and figures then come from the 15% of reviewed segments the
  fine-tuned network held out (tuned on the same rows: slightly optimistic too).

>>> settings({"enabled": "auto"})["min_accepted"]
200
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import schema

#: The coder name of the run's model suggestions (sync refreshes only these ``method="model"`` rows).
RUN_CODER = "pledge-analysis run"
#: Columns of ``machine_coding_quality.csv``.
QUALITY = ("code_id", "name", "precision", "recall", "f1", "support", "suggested")
#: Columns of :func:`coder_counts`.
CODER_COUNTS = ("theme", "name", "n_segments", "human", "rules", "model", "rejected_by_people")
DEFAULTS = {"enabled": "auto", "min_accepted": 200, "min_per_code": 10, "level": "theme", "embedding": "none",
            "folds": 3, "class_weight": "none", "finetune": False}


def settings(given: dict | None) -> dict:
    """The ``machine_coding:`` settings with the documented defaults filled in."""
    return DEFAULTS | {k: v for k, v in (given or {}).items() if v is not None}


@dataclass
class MachineCoding:
    """What the run's model coding did (``status``: ``used``, ``below threshold``, ``disabled``, ``no store``)."""

    status: str
    message: str
    settings: dict
    n_reviewed_segments: int = 0
    n_accepted: int = 0
    accepted_per_label: dict = field(default_factory=dict)
    learnt: list = field(default_factory=list)
    needed: int = 0
    quality: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(QUALITY)))
    codings: pd.DataFrame = field(default_factory=lambda: schema.empty("codings"))
    human: pd.DataFrame = field(default_factory=lambda: schema.empty("codings"))
    cpu_s: float = 0.0
    #: the fitted ThemeClassifier (FineTunedThemeClassifier with ``finetune: true``) when status is ``used`` (save it with ``.save(path, codebook=...)`` to reuse it
    #: in ``pledge-analysis code --model``), else None
    model: object = None
    #: where the model is kept beside the store (:func:`pledge_analysis.model_cache.model_file`; None without one,
    #: or when it could not be written), whether this run reused it rather than fitting, and its key
    model_file: str | None = None
    reused: bool = False
    key: str | None = None
    #: CPU seconds the fit took when it was made (this run's, or the reused model's original fit)
    fit_cpu_s: float = 0.0

    def log(self) -> dict:
        """The run log's ``machine_coding`` entry."""
        q = self.quality.set_index("code_id") if len(self.quality) else None
        avg = {k: {m: round(float(q.at[k, m]), 3) for m in ("precision", "recall", "f1")}
               for k in ("micro avg", "macro avg")} if q is not None else {}
        return {"status": self.status, "message": self.message, "settings": self.settings,
                "reviewed_segments": self.n_reviewed_segments, "accepted": self.n_accepted,
                "accepted_per_label": self.accepted_per_label, "learnt": self.learnt, "more_needed": self.needed,
                "suggestions": int(len(self.codings)), "cross_validated": avg, "cpu_s": round(self.cpu_s, 2),
                "fit_cpu_s": round(self.fit_cpu_s, 2), "reused": self.reused, "model_file": self.model_file,
                "key": self.key}


def human_codings(store_codings: pd.DataFrame | None) -> pd.DataFrame:
    """The human decisions of a store: ``manual`` codings, and suggestions whose status someone changed."""
    if store_codings is None or not len(store_codings):
        return schema.empty("codings")
    c = store_codings
    return c[(c["method"] == "manual") | (c["status"].fillna("suggested") != "suggested")].reset_index(drop=True)


def reviewed_examples(human: pd.DataFrame, segments: pd.DataFrame, codebook: pd.DataFrame, *,
                      level: str = "theme") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reviewed segments still in the data (``segment_id``, ``text``) and their 0/1 labels (one
    column per code or theme that someone accepted), aligned row for row."""
    from .coding.codebook import theme_of

    segs = segments
    if "role" in segs.columns:
        segs = segs[segs["role"].fillna("participant") != "facilitator"]
    h = human[human["segment_id"].isin(set(segs["segment_id"]))]
    known = set(codebook["code_id"])
    h = h[h["code_id"].isin(known)]
    if level == "theme":
        h = h.assign(code_id=h["code_id"].map(theme_of(codebook)))
    ids = sorted(set(h["segment_id"]))
    acc = h[h["status"] == "accepted"]
    Y = pd.crosstab(acc["segment_id"], acc["code_id"]).clip(upper=1).reindex(ids, fill_value=0)
    Y = Y.reindex(columns=sorted(Y.columns)).astype(int)
    X = segs.drop_duplicates("segment_id").set_index("segment_id").loc[ids, ["text"]].reset_index()
    return X, Y.reset_index(drop=True)


def run_model_coding(given: dict | None, store_codings: pd.DataFrame | None, segments: pd.DataFrame,
                     codebook: pd.DataFrame, rule_codings: pd.DataFrame, *, random_state: int = 0,
                     model_path: str | Path | None = None) -> MachineCoding:
    """Decide whether the run trains a model, and if so train it and make its suggestions (module docstring).

    ``model_path``: where the fitted model is kept between runs (:mod:`pledge_analysis.model_cache`; the run
    passes the file beside its store): a model kept there under the same key is reused instead of refitted."""
    from .coding.codebook import theme_of

    opts = settings(given)
    if store_codings is None:
        return MachineCoding("no store", "No project store, so no reviewed codings to learn from: rules only "
                             "(run with the store to use them).", opts)
    human = human_codings(store_codings)
    X, Y = reviewed_examples(human, segments, codebook, level=opts["level"])
    per_label = {str(k): int(v) for k, v in Y.sum().items()}
    n_acc = int(sum(per_label.values()))
    learnt = sorted(k for k, v in per_label.items() if v >= opts["min_per_code"] and v < len(Y))
    base = dict(settings=opts, n_reviewed_segments=len(Y), n_accepted=n_acc, accepted_per_label=per_label,
                learnt=learnt, human=human)
    what = "themes" if opts["level"] == "theme" else "codes"
    if opts["enabled"] == "never":
        return MachineCoding("disabled", "Model coding is switched off (machine_coding: enabled: never): rules "
                             "and people's decisions only.", **base)
    short = max(0, opts["min_accepted"] - n_acc) if opts["enabled"] == "auto" else 0
    if short or not learnt:
        reason = (f"The store holds {n_acc} accepted codings on {len(Y)} reviewed segments; the model needs "
                  f"{opts['min_accepted']} (machine_coding: min_accepted), so {short} more accepted codings are "
                  "needed" if short else
                  f"No {what[:-1]} has {opts['min_per_code']} accepted segments yet (machine_coding: min_per_code)")
        per = ", ".join(f"{k} {v}" for k, v in sorted(per_label.items(), key=lambda kv: -kv[1])) or "none"
        return MachineCoding("below threshold", f"{reason}, with at least {opts['min_per_code']} for each "
                             f"{what[:-1]} to learn (accepted so far: {per}). Until then the counts come from the "
                             "rules and people's decisions only.", needed=short, **base)
    from .coding.classifier import model_codings
    from .model_cache import fit_key, keep_model, kept_model

    c0 = time.process_time()
    key = fit_key(X, Y[learnt], opts, random_state)
    model, meta, note = kept_model(Path(model_path), key, learnt) if model_path else (None, {}, "")
    reused = model is not None
    if reused:
        fit_cpu = float(meta.get("fit_cpu_s") or 0.0)
    else:
        model = _fit(opts, X, Y[learnt], random_state)
        fit_cpu = time.process_time() - c0
        if model_path:
            failed = keep_model(model, Path(model_path), key, codebook, fit_cpu_s=round(fit_cpu, 2),
                                reviewed_segments=len(Y))
            note = " ".join(n for n in (note, failed) if n)
            model_path = None if failed else model_path
    reviewed = set(X["segment_id"])
    todo = segments[~segments["segment_id"].isin(reviewed)]
    sugg = model_codings(model, todo, coder=RUN_CODER) if len(todo) else schema.empty("codings")
    top = theme_of(codebook)
    if len(sugg) and len(rule_codings):  # the rules already suggested this theme here: no second suggestion
        ruled = set(zip(rule_codings["segment_id"], rule_codings["code_id"].map(top)))
        sugg = sugg[[(s, top.get(c, c)) not in ruled for s, c in zip(sugg["segment_id"], sugg["code_id"])]]
    thresholds = model.thresholds_
    sugg = sugg.assign(evidence=[f"p={p:.2f} >= threshold {thresholds[c]:.2f} (model trained on {len(Y)} reviewed "
                                 f"segments)" for p, c in zip(sugg["confidence"], sugg["code_id"])])
    sugg = schema.conform(sugg.reset_index(drop=True), "codings")
    names = dict(zip(codebook["code_id"], codebook["name"]))
    rep = model.cv_report_.rename(columns={"label": "code_id"})
    rep["name"] = rep["code_id"].map(names)
    rep["suggested"] = rep["code_id"].map(sugg["code_id"].value_counts()).fillna(0).astype(int)
    micro = model.cv_micro_
    rows = [{"code_id": "micro avg", "name": "", **{k: micro[k] for k in ("precision", "recall", "f1", "support")},
             "suggested": int(len(sugg))},
            {"code_id": "macro avg", "name": "", **{k: float(rep[k].mean()) for k in ("precision", "recall", "f1")},
             "support": int(rep["support"].sum()), "suggested": int(len(sugg))}]
    quality = pd.concat([rep, pd.DataFrame(rows)], ignore_index=True)[list(QUALITY)]
    for k in ("precision", "recall", "f1"):
        quality[k] = quality[k].astype(float).round(4)
    left = sorted(set(per_label) - set(learnt))
    balanced = ", class-balanced" if opts["class_weight"] == "balanced" else ""
    tuned = " averaged with a fine-tuned MiniLM head" if opts["finetune"] else ""
    judged = ("On the 15% of reviewed segments the fine-tuned head held out" if opts["finetune"] else
              "Cross-validated on the reviewed segments")
    msg = (f"A theme classifier (TF-IDF{'' if opts['embedding'] == 'none' else ' + ' + opts['embedding']}{balanced})"
           f"{tuned} was trained on {len(Y)} reviewed segments ({n_acc} accepted codings) and suggested {len(sugg)} "
           f"codes for {sugg['segment_id'].nunique()} of the {len(todo)} segments nobody has reviewed. {judged}: micro-F1 {micro['f1']:.2f} (precision {micro['precision']:.2f}, recall "
           f"{micro['recall']:.2f}), macro-F1 {rep['f1'].mean():.2f} over {len(learnt)} {what}.")
    if left:
        msg += f" Too few accepted segments to learn (fewer than {opts['min_per_code']}): {', '.join(left)}."
    if reused:
        msg += (f" The reviewed codings and settings are unchanged since the model was fitted, so it was reused "
                f"from {str(model_path)!r}, not refitted (its fit took {fit_cpu:.1f} CPU-s).")
    elif model_path:
        msg += f" Fitted in {fit_cpu:.1f} CPU-s and kept in {str(model_path)!r} for the next run."
    if note:
        msg += " " + note[0].upper() + note[1:] + ("" if note.endswith(".") else ".")
    return MachineCoding("used", msg, needed=0, quality=quality, codings=sugg,
                         cpu_s=time.process_time() - c0, model=model, model_file=str(model_path) if model_path else None,
                         reused=reused, key=key, fit_cpu_s=fit_cpu, **base)


def _fit(opts: dict, X: pd.DataFrame, Y: pd.DataFrame, random_state: int):
    """A theme model fitted as ``machine_coding:`` says (``finetune: true``: averaged with a fine-tuned head)."""
    from .coding.classifier import ThemeClassifier

    model = ThemeClassifier(embedding_model=None if opts["embedding"] == "none" else opts["embedding"],
                            cv=opts["folds"], multi_label=True, random_state=random_state,
                            class_weight=None if opts["class_weight"] == "none" else opts["class_weight"])
    if opts["finetune"]:
        from .coding.ensemble import FineTunedThemeClassifier

        model = FineTunedThemeClassifier(linear=model, random_state=random_state)
    return model.fit(X[["text"]], Y)


def _rejected_keys(human: pd.DataFrame) -> tuple[set, set]:
    """(segment, code, start, end) people rejected, and (segment, code) of rejections with no span."""
    rej = human[human["status"] == "rejected"]
    spans = {(s, c, _i(a), _i(b)) for s, c, a, b in zip(rej["segment_id"], rej["code_id"], rej["start"], rej["end"])}
    whole = {(s, c) for s, c, a in zip(rej["segment_id"], rej["code_id"], rej["start"]) if _i(a) is None}
    return spans, whole


def _i(v):
    return None if v is None or v != v else int(v)


def effective_codings(machine: pd.DataFrame, human: pd.DataFrame) -> pd.DataFrame:
    """The codings the theme counts rest on: every human acceptance, and every rule or model suggestion
    of this run that no person rejected (the same segment and code, and span when the rejection has one)
    and no person already accepted or coded by hand (the same segment and code, any span: the person's coding
    is the one counted, not a second row beside it). When coders disagree (one accepted, another rejected),
    the acceptance counts."""
    accepted = human[human["status"] == "accepted"]
    spans, whole = _rejected_keys(human)
    acc_keys = {(s, c) for s, c in zip(accepted["segment_id"], accepted["code_id"])}
    keep = [(s, c) not in acc_keys and not ((s, c, _i(a), _i(b)) in spans or (s, c) in whole)
            for s, c, a, b in zip(machine["segment_id"], machine["code_id"], machine["start"], machine["end"])]
    keep = pd.Series(keep, index=machine.index, dtype=bool)  # a row mask even when empty (machine[[]] picks columns)
    parts = [schema.conform(machine[keep].copy(), "codings"), schema.conform(accepted.copy(), "codings")]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else schema.empty("codings")


def coder_counts(units: pd.DataFrame, machine: pd.DataFrame, human: pd.DataFrame, codebook: pd.DataFrame,
                 segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per theme (columns :data:`CODER_COUNTS`): the segments counted for it (``n_segments``, as in the
    ``themes`` table for everyone) and which coder each comes from, in this order: ``human`` (someone
    accepted the theme there), ``rules``, ``model``; ``rejected_by_people``: rule or model suggestions
    of the theme left out because a person rejected them."""
    from .coding.codebook import theme_of

    top = theme_of(codebook)
    names = dict(zip(codebook["code_id"], codebook["name"]))

    def pairs(c):
        return set(zip(c["segment_id"], c["code_id"].map(top))) if len(c) else set()

    by_human = pairs(human[human["status"] == "accepted"])
    by_rules = pairs(machine[machine["method"] == "rules"])
    by_model = pairs(machine[machine["method"] == "model"])
    counted = set(zip(units["segment_id"], units["theme"])) if len(units) else set()
    if segments is not None and "role" in segments.columns:  # the themes table counts participants only
        people = set(segments.loc[segments["role"].fillna("participant") != "facilitator", "segment_id"])
        counted = {(s, t) for s, t in counted if s in people}
        by_rules, by_model = ({(s, t) for s, t in x if s in people} for x in (by_rules, by_model))
    rejected = (by_rules | by_model) - counted
    rows = []
    for theme in [c for c in codebook["code_id"] if top[c] == c]:
        mine = {s for s, t in counted if t == theme}
        h = {s for s in mine if (s, theme) in by_human}
        r = {s for s in mine - h if (s, theme) in by_rules}
        m = {s for s in mine - h - r if (s, theme) in by_model}
        rows.append({"theme": theme, "name": names.get(theme, theme), "n_segments": len(mine), "human": len(h),
                     "rules": len(r), "model": len(m), "rejected_by_people": sum(1 for _, t in rejected if t == theme)})
    return pd.DataFrame(rows, columns=list(CODER_COUNTS))


def no_theme(segments: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The comments and transcript turns (participants' only, as the themes table counts) that count under
    no theme: no rule, model or person coded them (or a person rejected every suggestion). They are in
    segments.csv but behind no priority, so a starter codebook that misses a service's words would silently
    rank on part of the feedback; the run counts them and the report lists them. Columns: ``segment_id,
    source_id, site, group, question_id, text`` (the de-identified text)."""
    cols = ["segment_id", "source_id", "site", "group", "question_id", "text"]
    if segments is None or not len(segments):
        return pd.DataFrame(columns=cols)
    people = segments[segments["role"].fillna("participant") != "facilitator"] if "role" in segments.columns \
        else segments
    coded = set(units["segment_id"]) if units is not None and len(units) else set()
    out = people[~people["segment_id"].isin(coded)]
    return out.reindex(columns=cols).reset_index(drop=True)


def quality_table(mc: MachineCoding) -> pd.DataFrame:
    """``machine_coding_quality.csv``: the quality rows (header only when no model was trained)."""
    return mc.quality if len(mc.quality) else pd.DataFrame(columns=list(QUALITY))
