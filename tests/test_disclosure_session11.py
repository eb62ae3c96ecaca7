"""Disclosure control across everything a person sees (session 11): the attacker's view.

A user-like programme of four hospitals, one of them with 4 respondents, and a tiny patient group
(secondary, about 8% of respondents), is run end to end. Then, for what a person is shown (report.html, the
co-design packs, the read-only view), the test does what an attacker would: it collects every count it can
read (a hospital's or a group's number of survey answers to a question, a source's rows, a theme's comments)
and adds and subtracts along every line that adds up (the hospitals to the programme, the groups to the
programme, a hospital's groups to the hospital, a group's hospitals to the group; rows read = kept + set
aside), until nothing new comes out. No count under ``suppress_below`` (21) may come out. Each attack is
first run on the analysts' files (``survey_scores.csv``, ``priorities.csv``, the run log), which keep every
count on purpose, to show that it does recover hidden counts there: the test can fail.

Before: a hospital's survey n was the programme's minus the other hospitals' (the primary rule hid only
the small one); the report's "What was read" table printed each source's exact rows; an output folder of an
earlier release was served with the counts the new rule hides.
"""
from __future__ import annotations

import csv
import io
import json
import random
import re
import sys
from pathlib import Path

import lxml.html
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

MIN_N = 21
SITES = {"HSH": 70, "LWC": 45, "MDW": 40, "TNY": 4}


def _project(root: Path, sizes: dict = SITES, share: float = 0.08) -> Path:
    import userlike

    yaml = userlike.PROJECT_YAML.replace(
        "  LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}\n",
        "  LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}\n"
        "  MDW: {name: Meadow General, alliance: Upland Cancer Alliance}\n"
        "  TNY: {name: Tiny Cottage Hospital, alliance: Upland Cancer Alliance}\n")
    root = userlike.write_project(root, n=4, project_yaml=yaml)
    rnd = random.Random(5)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Ref", "Trust site", "Cohort", "Staff listened to me", "Overall rating (0-10)",
                "What went well", "What could be better"])
    i = 0
    for site, n in sizes.items():
        for _ in range(n):
            i += 1
            w.writerow([f"R{i:03d}", site, "Metastatic" if rnd.random() < share else "Early breast cancer",
                        rnd.choice(["Strongly agree", "Agree", "Disagree", "Not sure"]), rnd.randint(3, 10),
                        rnd.choice(userlike.GOOD), rnd.choice(userlike.BAD)])
    (root / "exports" / "feedback_2027.csv").write_bytes(buf.getvalue().encode("cp1252"))
    return root


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from pledge_analysis.cli import main

    tmp = tmp_path_factory.mktemp("supp11")
    project = _project(tmp / "p")
    out = tmp / "out"
    assert main(["run", str(project), "--out", str(out), "--quiet"]) == 0
    return out


#: a programme whose groups are both large overall and at three hospitals: the tiny hospital's count in one
#: group is then the group's total minus the other hospitals' (each hospital's pack prints its groups)
BIG = {"HSH": 200, "LWC": 150, "MDW": 120, "TNY": 4}


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    from pledge_analysis.cli import main

    tmp = tmp_path_factory.mktemp("supp11big")
    project = _project(tmp / "p", BIG, share=0.4)
    out = tmp / "out"
    assert main(["run", str(project), "--out", str(out), "--quiet"]) == 0
    return out


# ------------------------------------------------------------------ the attacker
def lines_of(cells) -> list[tuple]:
    """Every line that adds up in a table by hospital and group: ``cells`` are ``(site, group)`` keys with
    ``"all"`` for the margins."""
    sites = sorted({s for s, _ in cells if s != "all"})
    groups = sorted({g for _, g in cells if g != "all"})
    out = [(("all", "all"), [(s, "all") for s in sites]), (("all", "all"), [("all", g) for g in groups])]
    out += [((s, "all"), [(s, g) for g in groups]) for s in sites]
    out += [(("all", g), [(s, g) for s in sites]) for g in groups]
    return out


def recover(known: dict, lines, zero=()) -> dict:
    """Everything that comes out of ``known`` by adding and subtracting along ``lines`` (``total = sum of
    parts``; a cell not in any table is 0 when in ``zero``)."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            cells = [total, *parts]
            unknown = [c for c in cells if c not in known and c not in zero]
            if len(unknown) != 1:
                continue
            u = unknown[0]
            got = sum(known.get(p, 0) for p in parts if p != u)
            known[u] = known[total] - got if u != total else got
            changed = True
    return known


def leaked(recovered: dict, truth: dict) -> list:
    """The cells whose true count is hidden (under the rule, above 0) and that the attacker got back."""
    return sorted(k for k, v in truth.items() if 0 < v < MIN_N and recovered.get(k) == v)


# ------------------------------------------------------------------ what a person reads
def _text(path: Path) -> str:
    return lxml.html.parse(str(path)).getroot().text_content()


def _truth(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "survey_scores.csv", dtype={"site": str, "group": str})


def _scope_cell(scope_type: str, scope: str) -> tuple:
    return ("all", "all") if scope_type == "all" else ("all", scope) if scope_type == "group" else (scope, "all")


def shown_survey_n(out: Path) -> dict:
    """``{(question, site, group): n}`` as a person reads them: the report's survey table (everyone), the
    survey evidence the report and the view print for each scope, each hospital's co-design pack and view."""
    from pledge_analysis.view import read_outputs, site_page

    seen: dict = {}
    log = json.loads((out / "run_log.json").read_text(encoding="utf-8"))
    wording = {t: q for q, t in log["survey"]["questions"].items()}
    report = lxml.html.parse(str(out / "report.html")).getroot()
    for table in report.xpath("//h2[contains(., 'Survey scores')]/following::table[1]"):
        heads = [th.text_content().strip() for th in table.xpath(".//thead//th")]
        for tr in table.xpath(".//tbody/tr"):
            cells = dict(zip(heads, (td.text_content().strip() for td in tr.xpath("./td"))))
            m = re.search(r"\((\w+)\)$", cells["question"])  # "wording (code)", or the bare code
            q = m.group(1) if m else cells["question"]
            if cells["respondents"].isdigit():
                seen[(q, "all", "all")] = int(cells["respondents"])
    # the report's priorities table: scope, level and the survey evidence as printed
    pr = report.xpath("//h2[contains(., 'Prioritised')]/following::table[1]")[0]
    heads = [th.text_content().strip() for th in pr.xpath(".//thead//th")]
    for tr in pr.xpath(".//tbody/tr"):
        cells = dict(zip(heads, (td.text_content().strip() for td in tr.xpath("./td"))))
        for m in re.finditer(r"\((\w+)\) \d+% \(benchmark \d+%, n (\d+)\)", cells.get("survey evidence", "")):
            seen[(m[1], *_scope_cell(cells["level"], cells["scope"]))] = int(m[2])
    outputs = read_outputs(out)
    for site in outputs.sites:
        for path, page in ((out / "codesign" / f"{site}.html", None), (None, site_page(outputs, site))):
            text = _text(path) if path else lxml.html.fromstring(page).text_content()
            for label, q in wording.items():
                for m in re.finditer(re.escape(f"{label} ({q})") + r"[^()]*?(?:\([^()]*?;\s*|\()([\d,]+) answers",
                                     text):
                    seen[(q, site, "all")] = int(m[1].replace(",", ""))
    return seen


def test_the_attack_recovers_a_small_hospitals_answers_from_the_analysts_table(run):
    """The attack works: on survey_scores.csv (exact n for every cell, on purpose) the tiny hospital's n of
    each question comes back (it is there, of course) and so does it by subtraction from the others."""
    truth = _truth(run)
    for q, rows in truth.groupby("question_id"):
        cells = {(s, g): int(n) for s, g, n in zip(rows["site"], rows["group"], rows["n"])}
        without = {k: v for k, v in cells.items() if k != ("TNY", "all")}
        assert recover(without, lines_of(cells)).get(("TNY", "all")) == cells[("TNY", "all")] < MIN_N
        # and the primary rule alone (every unsuppressed n shown) still gives it back: the leak of issue 1
        shown = {k: v for k, v in cells.items() if v >= MIN_N}
        assert leaked(recover(shown, lines_of(cells)), cells), q


def test_no_hidden_number_of_survey_answers_comes_back_from_what_a_person_sees(run):
    from pledge_analysis.survey.suppression import held_back_scores

    truth = _truth(run)
    assert held_back_scores(truth, MIN_N).any() and truth["suppressed"].any()  # there is something to protect
    seen = shown_survey_n(run)
    assert seen, "the attacker read no survey figure at all"  # the test reads the pages it attacks
    assert any(k[1] != "all" for k in seen)  # a hospital's figures were read
    for q, rows in truth.groupby("question_id"):
        cells = {(s, g): int(n) for s, g, n in zip(rows["site"], rows["group"], rows["n"])}
        known = {k[1:]: v for k, v in seen.items() if k[0] == q}
        for k, v in known.items():  # the pages print the true figures: the attack's input is right
            assert cells[k] == v, (q, k)
        assert not leaked(recover(known, lines_of(cells)), cells), q


def test_a_held_back_cell_shows_neither_its_answers_nor_its_result_anywhere(run):
    """Each held-back hospital figure: its co-design pack and its view page say why it is not shown, and print
    neither the result nor the number of answers."""
    from pledge_analysis.survey.suppression import HELD_BACK_WORDS
    from pledge_analysis.view import read_outputs, site_page

    truth = _truth(run)
    held = truth[truth["held_back"] & (truth["group"] == "all") & (truth["site"] != "all")
                 & (truth["question_id"] == "listened")]
    assert len(held)
    outputs = read_outputs(run)
    for r in held.itertuples():
        for text in (_text(run / "codesign" / f"{r.site}.html"),
                     lxml.html.fromstring(site_page(outputs, r.site)).text_content()):
            assert HELD_BACK_WORDS in text, r.site
            assert f"{int(r.n)} answers" not in text and f"{100 * r.estimate:.0f}% positive" not in text, r.site


def test_the_what_was_read_table_shows_no_small_count_of_a_source(tmp_path):
    """One export per hospital (a common layout): the sources table printed each hospital's rows, 4 for the
    tiny one, and the others beside the total gave it back. Now: "fewer than 21" and the smallest other
    "not shown", with what would give that one back (its rows kept, its rows read minus rows set aside);
    the run log (an analysts' file) keeps them."""
    from pledge_analysis.cli import main
    import userlike

    project = _project(tmp_path / "p")
    rows = list(csv.reader(io.StringIO((project / "exports" / "feedback_2027.csv").read_bytes().decode("cp1252"))))
    files = []
    for site in SITES:
        mine = [rows[0]] + [r for r in rows[1:] if r[1] == site]
        buf = io.StringIO()
        csv.writer(buf).writerows(mine)
        (project / "exports" / f"{site.lower()}.csv").write_bytes(buf.getvalue().encode("cp1252"))
        files.append(f"exports/{site.lower()}.csv")
    (project / "exports" / "feedback_2027.csv").unlink()
    userlike.edit(project / "project.yaml", "files: [exports/feedback_2027.csv]", f"files: [{', '.join(files)}]")
    out = tmp_path / "out"
    assert main(["run", str(project), "--out", str(out), "--quiet"]) == 0
    log = json.loads((out / "run_log.json").read_text(encoding="utf-8"))
    truth = {s["source_id"]: s for s in log["sources"]}
    assert truth["exports/tny.csv"]["respondents_kept"] == 4  # the analysts' log keeps it
    report = lxml.html.parse(str(out / "report.html")).getroot()
    table = report.xpath("//h2[contains(., 'What was read')]/following::table[1]")[0]
    heads = [th.text_content().strip() for th in table.xpath(".//thead//th")]
    shown = {}
    for tr in table.xpath(".//tbody/tr"):
        cells = dict(zip(heads, (td.text_content().strip() for td in tr.xpath("./td"))))
        shown[cells["source"]] = cells
    assert shown["exports/tny.csv"]["respondents kept"] == f"fewer than {MIN_N}"
    assert shown["exports/mdw.csv"]["respondents kept"] == "not shown"  # the smallest other hospital (40)
    assert shown["exports/hsh.csv"]["respondents kept"] == "70"
    # the attack: the paragraph's total minus the shown sources, per column, and read = kept + set aside
    total = log["rows"]["respondents_kept"]
    assert f"{total:,} respondents" in report.text_content()
    cols = {"rows read": "rows_read", "respondents kept": "respondents_kept", "rows kept": "rows_kept",
            "rows set aside": "rows_set_aside"}
    known = {(src, c): int(v.replace(",", "")) for src, cells in shown.items() for c, v in cells.items()
             if c in cols and v.replace(",", "").isdigit()}
    truth_cells = {(src, c): int(s[cols[c]]) for src, s in truth.items() for c in cols if s.get(cols[c]) is not None}
    surveys = [s for s in truth if s.startswith("exports/")]
    known[("total", "respondents kept")] = total
    lines = [(("total", "respondents kept"), [(s, "respondents kept") for s in surveys])]
    lines += [((s, "rows read"), [(s, "rows kept"), (s, "rows set aside")]) for s in truth]
    lines += [((s, "respondents kept"), [(s, "rows kept")]) for s in surveys]  # one row per respondent
    got = recover(known, lines)
    assert not [k for k, v in truth_cells.items() if 0 < v < MIN_N and got.get(k) == v], got


def test_a_survey_figure_held_back_reads_so_in_the_report_pack_audit_and_funnel():
    """The one rule, applied where survey figures are printed: the report's survey table, a co-design pack's
    survey line, the standards audit's shown figures and a funnel plot's note."""
    from pledge_analysis import plots
    from pledge_analysis.codesign import _survey_line
    from pledge_analysis.report import survey_table
    from pledge_analysis.standards import _item
    from pledge_analysis.priorities import CountWords
    from pledge_analysis.survey.suppression import HELD_BACK_WORDS, held_back_scores

    s = pd.DataFrame({"site": ["all", "A", "B", "C"], "group": "all", "question_id": "Q1", "n": [100, 40, 45, 15],
                      "estimate": [0.7, 0.6, 0.8, None], "ci_low": [0.6, 0.45, 0.66, None],
                      "ci_high": [0.78, 0.74, 0.89, None], "suppressed": [False, False, False, True],
                      "kind": "proportion", "benchmark": 0.75, "benchmark_kind": "national",
                      "benchmark_source": "national Q1: 2024 (n 9,000)", "gap": [0.05, 0.15, -0.05, None]})
    s["held_back"] = held_back_scores(s, MIN_N)
    assert s["held_back"].tolist() == [False, True, False, False]  # A (40), the smallest other
    t = survey_table(s, {}, MIN_N)
    assert t.loc[1, "respondents"] == "not shown" and t.loc[1, "result"] == "" and t.loc[1, "95% interval"] == ""
    assert t.loc[2, "respondents"] == 45 and t.loc[3, "respondents"] == f"fewer than {MIN_N}"
    line = _survey_line("Q1", "", s.iloc[1].to_dict(), suppress_below=MIN_N)
    assert line["result"] == HELD_BACK_WORDS and "40" not in line["result"]
    item = _item("Q1", s.iloc[1].to_dict(), {}, None, CountWords(MIN_N))
    assert HELD_BACK_WORDS in item["text"] and "40 answers" not in item["text"] and item["used"]
    assert "40 answers" in _item("Q1", s.iloc[1].to_dict(), {}, None)["text"]  # the analysts' text keeps it
    f = s[s["site"] != "all"].assign(target=0.7, tau2=0.0, flag="within", z=0.0)
    fig = plots.funnel_plot(f)
    drawn = [x for tr in fig.data if tr.mode == "markers+text" for x in tr.x]
    assert drawn == [45]  # only B: A held back, C suppressed
    note = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    assert "C is not shown: too few respondents" in note and "A is also not shown" in note and "worked out" in note


def test_survey_secondary_suppression_reaches_a_hospitals_groups():
    """A hospital held back in the hospitals' line whose groups are all shown would be their sum: one of them
    is held too (the rule repeats until no line has exactly one hidden cell)."""
    from pledge_analysis.survey.suppression import held_back_scores

    cells = {("all", "all"): 110, ("A", "all"): 50, ("B", "all"): 45, ("C", "all"): 15,
             ("all", "p"): 80, ("all", "s"): 30, ("A", "p"): 30, ("A", "s"): 20, ("B", "p"): 22, ("B", "s"): 23,
             ("C", "p"): 15 + 13, ("C", "s"): 0}
    cells[("all", "p")] = cells[("A", "p")] + cells[("B", "p")] + 13
    cells[("C", "p")] = 13
    cells[("C", "s")] = 2
    cells[("all", "s")] = 20 + 23 + 2
    s = pd.DataFrame([{"site": a, "group": b, "question_id": "Q", "n": n} for (a, b), n in cells.items()])
    held = dict(zip(zip(s["site"], s["group"]), held_back_scores(s, MIN_N)))
    shown = {k: v for k, v in cells.items() if v >= MIN_N and not held[k]}
    assert not leaked(recover(shown, lines_of(cells)), cells)
    plain = {k: v for k, v in cells.items() if v >= MIN_N}
    assert leaked(recover(plain, lines_of(cells)), cells)  # without the rule, something comes back


def test_an_earlier_releases_folder_is_refused_when_the_new_rule_would_hide_something(run, tmp_path):
    """An output folder written before secondary suppression (no ``disclosure`` in its run log) printed the
    counts the rule now withholds; serving it would show them. The view re-derives the rule from the folder's
    own tables: it refuses (PA116, saying what to do) when its pages would print something the rule withholds,
    and serves the folder when they would not (its shown texts already withhold it, or nothing is held)."""
    import shutil

    from pledge_analysis.errors import InputError
    from pledge_analysis.view import read_outputs

    old = tmp_path / "old"
    shutil.copytree(run, old)
    log = json.loads((old / "run_log.json").read_text(encoding="utf-8"))
    assert log["disclosure"] == {"secondary_suppression": True}
    read_outputs(old)  # as written by this release: served
    del log["disclosure"]
    (old / "run_log.json").write_text(json.dumps(log), encoding="utf-8")
    read_outputs(old)  # its shown texts withhold what the rule withholds: served
    # an earlier release's priorities.csv: no shown texts (the view writes them from the analysts' ones)
    p = pd.read_csv(old / "priorities.csv", dtype={"scope": str})
    p.drop(columns=["reason_shown", "survey_evidence_shown"]).to_csv(old / "priorities.csv", index=False)
    with pytest.raises(InputError) as e:
        read_outputs(old)
    msg = str(e.value)
    assert e.value.code == "PA116" and "earlier release" in msg and "--out" in msg, msg
    assert re.search(r"(HSH|LWC|MDW): the (comments|survey result)", msg), msg
    # an earlier release's folder in which nothing would be withheld is served as it is
    p = pd.read_csv(old / "priorities.csv", dtype={"scope": str})
    p = p[p["scope_type"] == "all"]
    p.to_csv(old / "priorities.csv", index=False)
    (old / "survey_scores.csv").unlink()
    assert read_outputs(old).run_log["project"]


@pytest.mark.parametrize("which", ["run", "big_run"])
def test_no_hidden_number_of_comments_comes_back_from_the_reasons_and_the_packs(which, request):
    """The same attack on comments about each theme: the reasons the report and the view print for every scope
    (everyone, each group, each hospital) and each hospital's co-design pack (its total and its table by group,
    a hospital's cells by group that add up both to the hospital and to the group's scope). Whatever comes out
    by arithmetic and was not printed must not be a count under the rule (arithmetic on true counts gives
    true counts, so what comes out is what was hidden). In ``big_run`` both groups are large overall and at
    three hospitals: the tiny hospital's primary patients' comments were the group's total minus the three
    packs' primary rows (session 10's rule looked at the programme's lines, not at a group's hospitals)."""
    run = request.getfixturevalue(which)
    p = pd.read_csv(run / "priorities.csv", dtype={"scope": str})
    seen: dict = {}
    for r in p.itertuples():
        m = re.search(r"\((?<!than )([\d,]+) comments? from", str(r.reason_shown))
        if m:
            seen[(r.theme, *_scope_cell(r.scope_type, r.scope))] = int(m[1].replace(",", ""))
    names = dict(zip(p["name"], p["theme"]))
    groups = {"Primary breast cancer patients": "primary", "Secondary breast cancer patients": "secondary"}
    packs = 0
    for f in sorted((run / "codesign").glob("*.html")):
        for sec in lxml.html.parse(str(f)).getroot().xpath("//section[contains(@class,'area')]"):
            theme = names.get(re.sub(r"^\d+\.\s*", "", sec.xpath(".//h2")[0].text_content()).strip())
            if not theme:
                continue
            packs += 1
            m = re.search(r"(?<![\w ]than )\b([\d,]+) comments? from", sec.text_content())
            if m:
                seen[(theme, f.stem, "all")] = int(m[1].replace(",", ""))
            for tr in sec.xpath(".//table//tr"):
                tds = [td.text_content().strip() for td in tr.xpath("./td")]
                if len(tds) >= 2 and tds[0] in groups and tds[1].replace(",", "").isdigit():
                    seen[(theme, f.stem, groups[tds[0]])] = int(tds[1].replace(",", ""))
    assert packs and any(k[2] != "all" for k in seen)  # the attacker read the packs' group tables
    truth = {(r.theme, *_scope_cell(r.scope_type, r.scope)): int(r.n_segments) for r in p.itertuples()}
    for k, v in seen.items():
        assert k not in truth or truth[k] == v, k  # what was read is what the run counted
    for theme in sorted(set(p["theme"])):
        known = {k[1:]: v for k, v in seen.items() if k[0] == theme}
        cells = {k[1:] for k in truth if k[0] == theme} | {(s, g) for s in SITES for g in ("primary", "secondary")}
        got = recover(known, lines_of(cells))
        assert not {k: v for k, v in got.items() if k not in known and 0 < v < MIN_N}, theme
        # the attack works on the analysts' priorities.csv: the tiny hospital's count, by subtraction
        plain = {k[1:]: v for k, v in truth.items() if k[0] == theme and k[1:] != ("TNY", "all")}
        assert recover(plain, lines_of(cells)).get(("TNY", "all")) == truth[(theme, "TNY", "all")]


def test_scores_made_in_python_without_held_back_get_the_rule_in_the_shown_texts():
    """A scores table built in Python (no ``held_back`` column) passed to prioritise, the co-design pack or the
    standards audit: the shown texts apply secondary suppression all the same (survey.suppression.with_held_back);
    the analysts' texts keep every figure."""
    import numpy as np

    from pledge_analysis import schema
    from pledge_analysis.calibration import simulate_programme
    from pledge_analysis.priorities import prioritise
    from pledge_analysis.survey.suppression import HELD_BACK_WORDS, held_back_scores

    themes, codebook, scores, drivers = simulate_programme(np.random.default_rng(3), n_respondents=60)
    q = scores["question_id"].iloc[0]
    at = (scores["question_id"] == q) & (scores["group"] == "all") & (scores["site"] != "all")
    small = scores.index[at][0]  # one hospital made small: suppressed
    scores.loc[small, ["n", "suppressed", "estimate", "ci_low", "ci_high", "gap"]] = [8, True, None, None, None, None]
    scores.loc[(scores["question_id"] == q) & (scores["site"] == "all") & (scores["group"] == "all"), "n"] = \
        scores.loc[at, "n"].sum()
    assert "held_back" not in scores.columns
    held = held_back_scores(scores, MIN_N)
    assert held.sum() == 1
    site = scores.loc[held, "site"].iloc[0]
    p = prioritise(themes, schema.empty("units"), codebook, scores, drivers, suppress_below=MIN_N)
    mine = p[(p["scope_type"] == "site") & (p["scope"] == site) & p["survey_evidence"].str.contains(q, na=False)]
    assert len(mine)
    n = int(scores.loc[held, "n"].iloc[0])
    for r in mine.itertuples():
        assert f"{q} {HELD_BACK_WORDS}" in r.survey_evidence_shown, r.survey_evidence_shown
        assert f"{q} " in r.survey_evidence and f"n {n})" in r.survey_evidence  # the analysts' text keeps it


def _people_and_negative_seen(run: Path) -> dict:
    """``{(count column, theme, site, group): n}`` for people and negative comments as a person can read them:
    the reasons' "(N comments from M people)" and "all of them negative" beside a shown number of comments, each
    pack's "N comments from M people", "K of the comments are
    negative" and its table's negative column by group."""
    p = pd.read_csv(run / "priorities.csv", dtype={"scope": str})
    seen: dict = {}
    for r in p.itertuples():
        cell = _scope_cell(r.scope_type, r.scope)
        text = str(r.reason_shown)
        m = re.search(r"\((?<!than )([\d,]+) comments? from ([\d,]+) (?:people|person)\)", text)
        if m:
            n = int(m[1].replace(",", ""))
            seen[("n_respondents", r.theme, *cell)] = int(m[2].replace(",", ""))
            # ("about 99% of them negative" is the shrunk negativity, not the share: no whole number from it)
            if "all of them negative" in text:
                seen[("n_negative", r.theme, *cell)] = n
    names = dict(zip(p["name"], p["theme"]))
    groups = {"Primary breast cancer patients": "primary", "Secondary breast cancer patients": "secondary"}
    for f in sorted((run / "codesign").glob("*.html")):
        for sec in lxml.html.parse(str(f)).getroot().xpath("//section[contains(@class,'area')]"):
            theme = names.get(re.sub(r"^\d+\.\s*", "", sec.xpath(".//h2")[0].text_content()).strip())
            if not theme:
                continue
            text = sec.text_content()
            m = re.search(r"comments? from (?<!than )([\d,]+) (?:people|person) mention", text)
            if m and not re.search(r"than [\d,]+ (?:people|person) mention", text):
                seen[("n_respondents", theme, f.stem, "all")] = int(m[1].replace(",", ""))
            m = re.search(r"(?<![\w ]than )\b([\d,]+) of the comments (?:is|are) negative", text)
            if m:
                seen[("n_negative", theme, f.stem, "all")] = int(m[1].replace(",", ""))
            for tr in sec.xpath(".//table//tr"):
                tds = [td.text_content().strip() for td in tr.xpath("./td")]
                if len(tds) >= 3 and tds[0] in groups and tds[2].replace(",", "").isdigit():
                    seen[("n_negative", theme, f.stem, groups[tds[0]])] = int(tds[2].replace(",", ""))
    return seen


@pytest.mark.parametrize("which", ["run", "big_run"])
def test_no_hidden_number_of_people_or_negative_comments_comes_back(which, request):
    """The attack on the people who raised a theme and on its negative comments: what the reasons and the packs
    print, added and subtracted along every line; no count under the rule may come out that was not printed."""
    run = request.getfixturevalue(which)
    p = pd.read_csv(run / "priorities.csv", dtype={"scope": str})
    seen = _people_and_negative_seen(run)
    assert any(k[0] == "n_negative" and k[3] != "all" for k in seen)  # the packs' group tables were read
    for col in ("n_respondents", "n_negative"):
        truth = {(r.theme, *_scope_cell(r.scope_type, r.scope)): int(getattr(r, col)) for r in p.itertuples()}
        for k, v in seen.items():
            assert k[0] != col or k[1:] not in truth or truth[k[1:]] == v, k  # read right
        for theme in sorted(set(p["theme"])):
            known = {k[2:]: v for k, v in seen.items() if k[0] == col and k[1] == theme}
            cells = {k[1:] for k in truth if k[0] == theme} | {(s, g) for s in SITES for g in ("primary", "secondary")}
            got = recover(known, lines_of(cells))
            assert not {k: v for k, v in got.items() if k not in known and 0 < v < MIN_N}, (col, theme)


def test_the_view_reads_the_survey_evidence_written_for_showing():
    """The view printed a priority's survey evidence from the analysts' text (``survey_evidence``, exact n of
    every item): a held-back hospital figure was printed with its answers. It now reads
    ``survey_evidence_shown`` (an earlier release's folder without it: the analysts' text, as before)."""
    from pledge_analysis.survey.suppression import HELD_BACK_WORDS
    from pledge_analysis.view import survey_lines

    log = {"survey": {"suppress_below": 21, "questions": {"Q2": "Did you wait long?"}}}
    shown = (f"Q2 {HELD_BACK_WORDS}; Q57 not used: fewer answers than the suppression threshold "
             "(fewer than 21 answers); Q9 not used: no benchmark (n 40)")
    assert survey_lines(shown, log) == [f"Did you wait long? (Q2): {HELD_BACK_WORDS}",
                                        "Q57: not shown, because fewer than 21 people answered it here",
                                        "Q9: not used (no benchmark)"]


def test_the_sites_heatmap_draws_no_held_back_result():
    """A held-back hospital's % positive beside the others' and the programme's narrows down the suppressed
    hospital's answers (its n must make a whole number of positives at the rounded %): not drawn, "withheld"."""
    from pledge_analysis import plots
    from pledge_analysis.survey.suppression import held_back_scores

    s = pd.DataFrame({"site": ["all", "A", "B", "C"], "group": "all", "question_id": "Q1", "n": [100, 40, 45, 15],
                      "estimate": [0.7, 0.6, 0.8, None], "suppressed": [False, False, False, True],
                      "kind": "proportion"})
    s["held_back"] = held_back_scores(s, MIN_N)
    fig = plots.sites_heatmap(s)
    z = dict(zip(fig.data[0].x, fig.data[0].z[0]))
    text = dict(zip(fig.data[0].x, fig.data[0].text[0]))
    assert pd.isna(z["A"]) and text["A"] == plots.WITHHELD_CELL, (z, text)
    assert z["B"] == 80 and text["C"] == plots.SUPPRESSED_CELL
    assert pd.notna(plots.sites_heatmap(s.drop(columns="held_back")).data[0].z[0][1])  # without the column: drawn


STANDARDS_YAML = """\
name: Test standards
rule: {negative_share: 0.5, min_comments: 10}
standards:
  - id: WAIT
    statement: Nobody waits long.
    codes: [waiting]
  - id: LISTEN
    statement: Staff listen.
    codes: [listening]
    survey_items: [listened]
"""


def test_the_standards_audit_gives_no_hidden_hospital_count_back(tmp_path):
    """A standard whose codes are a theme's counts that theme's comments at each hospital: the report's audit
    table printed them all but the tiny hospital's, and the reasons print the programme's total, so the total
    minus the others gave the tiny one back. The audit now holds the smallest other back too
    (``counts_held_back``; "not shown" in the table, "a withheld number" in the reason)."""
    from pledge_analysis.cli import main
    import userlike

    project = _project(tmp_path / "p")
    (project / "standards.yaml").write_text(STANDARDS_YAML, encoding="utf-8")
    userlike.edit(project / "project.yaml", "questions: questions.yaml", "questions: questions.yaml\nstandards: standards.yaml")
    out = tmp_path / "out"
    assert main(["run", str(project), "--out", str(out), "--quiet"]) == 0
    audit = pd.read_csv(out / "standards_audit.csv", dtype={"site": str})
    p = pd.read_csv(out / "priorities.csv", dtype={"scope": str})
    report = lxml.html.parse(str(out / "report.html")).getroot()
    table = report.xpath("//h2[contains(., 'Standards audit')]/following::table[2]")[0]
    heads = [th.text_content().strip() for th in table.xpath(".//thead//th")]
    rows = [dict(zip(heads, (td.text_content().strip() for td in tr.xpath("./td")))) for tr in table.xpath(".//tbody/tr")]
    assert rows and "comments" in heads
    for sid, theme in (("WAIT", "waiting"), ("LISTEN", "listening")):
        total = p[(p["theme"] == theme) & (p["scope_type"] == "all")]
        n_total = int(total["n_segments"].iloc[0])
        assert f"({n_total} comments from" in total["reason_shown"].iloc[0]  # the total a person reads
        mine = audit[audit["standard_id"] == sid]
        assert mine["n_comments"].sum() == n_total  # the audit's hospitals add up to it
        known = {(r["site"], "all"): int(r["comments"]) for r in rows if r["standard"] == sid and r["comments"].isdigit()}
        known[("all", "all")] = n_total
        cells = {(s, "all") for s in SITES} | {("all", "all")}
        got = recover(known, lines_of(cells))
        truth = dict(zip(zip(mine["site"], ["all"] * len(mine)), mine["n_comments"]))
        assert not {k: v for k, v in got.items() if k not in known and 0 < v < MIN_N}, (sid, got)
        for r in mine[mine["counts_held_back"].fillna("").str.contains("n_comments")].itertuples():
            assert f"{r.n_comments} " not in r.reason_shown and "withheld" in r.reason_shown, r.reason_shown
        assert truth[("TNY", "all")] < MIN_N
    assert (audit["counts_held_back"].fillna("") != "").any()  # something needed holding back (LISTEN)
