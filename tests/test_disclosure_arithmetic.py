"""A count hidden as "fewer than N" must not come back by arithmetic from what the same output shows.

The outputs a person sees (report, view, co-design pack, heatmaps) hide a count of comments, people or
negative comments under the project's ``suppress_below``. Before, the same reason printed the theme's share
of the scope's comments beside it ("raised in 6% of comments (fewer than 21 comments ...)"), and the report
prints the scope's total ("2,000 comments kept"): 6% of 200 gives 12 back. A negativity shown exactly over a
shown number of comments gave a hidden number of negative ones back ("fewer than 21 of 40" beside "about 5% of
them negative"); the prevalence heatmap's cell is a hidden count over the site's total; and the co-design
pack's per-group table gave a single hidden group back as the total minus the others.
"""
from __future__ import annotations

import re
from types import SimpleNamespace as R

import lxml.html
import numpy as np
import pandas as pd

from pledge_analysis import plots, schema
from pledge_analysis.calibration import simulate_programme
from pledge_analysis.codesign import codesign_html, group_counts_shown
from pledge_analysis.priorities import CountWords, _reason, prioritise

PERCENT = re.compile(r"\d+%")


def _row(**kw):
    base = dict(name="Waiting", quotes="", priority_score=0.7, n_respondents=40, n_segments=40, n_negative=2,
                negativity=0.05, negativity_low=0.01, negativity_high=0.17, negativity_ref=0.3, prevalence_raw=0.06,
                prevalence_norm=0.5, survey_gap=float("nan"), survey_gap_low=float("nan"),
                survey_gap_high=float("nan"), survey_evidence="", n_sites=1, n_sites_negative=1, driver=float("nan"))
    base.update(kw)
    return R(**base)


def test_a_reason_gives_no_share_of_comments_beside_a_hidden_number_of_them():
    """12 comments of a scope's 200 (threshold 21, min_comments 10): "raised in 6% of comments" beside the
    scope's total would give the 12 back; the shown reason says only "fewer than 21 comments"."""
    r = _row(n_segments=12, n_respondents=12, n_negative=8, negativity=0.66, prevalence_raw=0.06)
    assert "6% of comments" in _reason(r, 10)  # the analysts' text keeps it (the test can fail)
    shown = _reason(r, 10, counts=CountWords(21))
    assert "fewer than 21 comments" in shown and "6%" not in shown and "% of comments" not in shown, shown


def test_a_reason_gives_no_exact_negativity_beside_a_hidden_number_of_negative_comments():
    """40 comments (shown), 2 negative (hidden): "about 5% of them negative (95% interval 1% to 17%)" over the
    40 would give the 2 back; the shown reason writes "fewer than 21 of them negative" and no interval."""
    r = _row()
    assert "about 5% of them negative" in _reason(r, 10)
    shown = _reason(r, 10, counts=CountWords(21))
    assert "40 comments" in shown and "fewer than 21 of them negative" in shown, shown
    assert "5%" not in shown and "17%" not in shown and "interval 1%" not in shown, shown
    assert "30% for all areas together" in shown  # the scope's reference is no count of this area
    # 30 negative of 40: both shown, the share and its interval stay
    big = _reason(_row(n_negative=30, negativity=0.75, negativity_low=0.6, negativity_high=0.86), 10,
                  counts=CountWords(21))
    assert "about 75% of them negative (95% interval 60% to 86%)" in big, big


def test_no_shown_reason_of_a_simulated_programme_gives_a_hidden_count_back():
    """On a simulated programme (every scope, every area), wherever a reason hides the number of comments no
    percentage of comments is printed, and wherever it hides the negative ones no exact negativity is."""
    themes, codebook, scores, drivers = simulate_programme(np.random.default_rng(3), n_respondents=60)
    p = prioritise(themes, schema.empty("units"), codebook, scores, drivers, suppress_below=21)
    hidden_n = p[p["n_segments"].between(1, 20)]
    hidden_neg = p[p["n_segments"].ge(21) & p["n_negative"].between(1, 20)]
    assert len(hidden_n) > 10 and len(hidden_neg) > 10
    assert hidden_n["reason"].str.contains("% of comments").any()  # the counts are there to give away
    assert not hidden_n["reason_shown"].str.contains("% of comments").any()
    assert not hidden_neg["reason_shown"].str.contains(r"about \d+% of them negative").any()
    assert hidden_neg["reason_shown"].str.contains("fewer than 21 of them negative").all()


def _themes():
    return pd.DataFrame({"scope_type": "site", "scope": ["A", "A", "A", "B"], "theme": ["w", "i", "s", "w"],
                         "name": ["Waiting", "Info", "Support", "Waiting"], "n_segments": [12, 60, 128, 40],
                         "n_scope_segments": [200, 200, 200, 40], "prevalence": [0.06, 0.3, 0.64, 1.0],
                         "n_negative": [6, 3, 40, 25], "negativity": [0.5, 0.05, 0.31, 0.625]})


def _cells(fig):
    (hm,) = fig.data
    text = hm.text if hm.text is not None else [[""] * len(hm.x)] * len(hm.y)
    return {(y, x): (z, t) for y, zrow, trow in zip(hm.y, hm.z, text) for x, z, t in zip(hm.x, zrow, trow)}


def test_the_prevalence_heatmap_draws_no_share_of_a_hidden_number_of_comments():
    """Site A: 12 of its 200 comments are about waiting; the cell's 6% over the site's total gives 12 back.
    With the suppression rule the cell is not drawn and says "fewer than 21 comments"."""
    t = _themes()
    assert _cells(plots.theme_heatmap(t, scope_type="site", value="prevalence"))[("Waiting", "A")][0] == 0.06
    cells = _cells(plots.theme_heatmap(t, scope_type="site", value="prevalence", suppress_below=21))
    assert pd.isna(cells[("Waiting", "A")][0]) and cells[("Waiting", "A")][1] == "fewer than 21 comments"
    assert cells[("Info", "A")][0] == 0.3 and cells[("Waiting", "B")][0] == 1.0


def test_the_negativity_heatmap_draws_no_share_of_a_hidden_number_of_negative_comments():
    t = _themes()
    cells = _cells(plots.theme_heatmap(t, scope_type="site", value="negativity", suppress_below=21))
    assert pd.isna(cells[("Info", "A")][0]) and cells[("Info", "A")][1] == "fewer than 21 negative comments"
    assert pd.isna(cells[("Waiting", "A")][0])  # 6 of 12: both hidden
    assert cells[("Support", "A")][0] == 0.31 and cells[("Waiting", "B")][0] == 0.625
    fig = plots.theme_heatmap(t, scope_type="site", value="negativity", suppress_below=21)
    assert "suppression rule" in fig.layout.annotations[0].text


def test_the_codesign_groups_table_gives_no_single_hidden_group_back_by_subtraction():
    """30 comments in all (shown), 25 from primary patients (shown) and 5 from staff (hidden): 30 - 25 = 5.
    A second group is then not shown either, so that no hidden count is the total minus the shown ones."""
    groups = [{"group": "primary", "comments": 25, "negative": 22}, {"group": "staff", "comments": 5, "negative": 1}]
    shown = group_counts_shown(groups, total={"comments": 30, "negative": 23}, suppress_below=21)
    assert [g["comments"] for g in shown] == ["not shown", "fewer than 21"]
    assert [g["negative"] for g in shown] == ["not shown", "fewer than 21"]
    # two hidden groups: nothing more to hide; a shown total of one group: that group is the total
    three = [{"group": "primary", "comments": 40, "negative": 0}, {"group": "secondary", "comments": 6, "negative": 0},
             {"group": "staff", "comments": 5, "negative": 0}]
    assert [g["comments"] for g in group_counts_shown(three, total={"comments": 51, "negative": 0},
                                                      suppress_below=21)] == ["40", "fewer than 21", "fewer than 21"]
    page = {"rank": 1, "theme": "w", "name": "Waiting", "concerns": [], "comments": 30, "people": 30, "negative": 23,
            "by_group": groups, "quotes": [], "survey": [], "certainty": ""}
    text = lxml.html.fromstring(codesign_html([page], hospital="A", suppress_below=21)).text_content()
    assert "30 comments" in text and "25" not in text, text
    assert "not shown" in text and "so that a small group cannot be worked out" in text


def test_the_reports_coding_table_hides_a_theme_count_the_reasons_hide():
    """The "How the comments were coded" table gave every theme's count for everyone: 12 palliative comments
    printed exactly, where the priorities' reason writes "fewer than 21 comments". A count under the rule,
    and the coder counts that add up to it, read "fewer than 21"; counts at or above it stay exact."""
    from pledge_analysis.report import coding_section

    counts = pd.DataFrame({"theme": ["waiting", "palliative"], "name": ["Waiting", "Palliative care"],
                           "n_segments": [140, 12], "human": [5, 0], "rules": [130, 12], "model": [5, 0],
                           "rejected_by_people": [2, 1]})
    result = R(machine_coding=R(message="No model.", quality=pd.DataFrame(), settings={}), coder_counts=counts,
               segments=schema.empty("segments"), units=schema.empty("units"))
    page = "".join(coding_section(result, suppress_below=21))
    rows = {tuple(tr.xpath("./td//text()"))[0]: [t.strip() for t in tr.xpath("./td//text()")]
            for tr in lxml.html.fromstring(page).xpath("//table")[0].xpath(".//tbody/tr")}
    assert rows["palliative"][2:6] == ["fewer than 21", "0", "fewer than 21", "0"], rows
    assert rows["waiting"][2:6] == ["140", "5", "130", "5"], rows
    plain = "".join(coding_section(result))
    assert ">12<" in plain.replace(" ", "")


def test_a_hidden_hospital_count_is_not_the_total_minus_the_other_hospitals():
    """Everyone: 112 comments about waiting (shown); hospital A 12 (hidden), B 40, C 60: 112 - 40 - 60 = 12.
    The smallest other hospital (B) is withheld too, in the reasons and in the heatmap."""
    from pledge_analysis.priorities import HELD_WORDS, held_back

    t = pd.DataFrame({"scope_type": ["all", "site", "site", "site"], "scope": ["all", "A", "B", "C"],
                      "theme": "w", "name": "Waiting", "n_segments": [112, 12, 40, 60], "n_respondents": [100, 11, 35, 54],
                      "n_negative": [60, 6, 24, 30], "prevalence": [0.3, 0.1, 0.3, 0.4],
                      "negativity": [0.54, 0.5, 0.6, 0.5]})
    held = held_back(t, 21)
    assert held["n_segments"].tolist() == [False, False, True, False]
    assert held["n_respondents"].tolist() == [False, False, True, False]
    assert held["n_negative"].tolist() == [False, False, True, False]  # A's 6 of 60 negative: B's 24 held
    assert not held_back(t, None).any().any()
    cells = _cells(plots.theme_heatmap(t, scope_type="site", value="prevalence", suppress_below=21))
    assert pd.isna(cells[("Waiting", "A")][0]) and pd.isna(cells[("Waiting", "B")][0])
    assert cells[("Waiting", "B")][1] == plots.WITHHELD_CELL and cells[("Waiting", "C")][0] == 0.4
    # the reasons of a simulated programme: a held row gives no count at all
    themes, codebook, scores, drivers = simulate_programme(np.random.default_rng(3), n_respondents=60)
    p = prioritise(themes, schema.empty("units"), codebook, scores, drivers, suppress_below=21)
    held = held_back(p, 21)
    assert held.any().any()
    for i, r in p[held["n_segments"]].iterrows():
        assert f"{HELD_WORDS} of comments" in r["reason_shown"], r["reason_shown"]
        assert f"{r['n_segments']} comments" not in r["reason_shown"], r["reason_shown"]
    for i, r in p[held["n_negative"] & ~held["n_segments"]].iterrows():
        assert f"{HELD_WORDS} of them negative" in r["reason_shown"] or r["n_segments"] < 21, r["reason_shown"]
        assert not re.search(r"about \d+% of them negative", r["reason_shown"]), r["reason_shown"]
    # and no small count is the total minus the shown ones, for any theme, partition and count (a held
    # row's own count may come back that way: it is not small)
    checked = 0
    for (theme, kind), rows in p[p["scope_type"] != "all"].groupby(["theme", "scope_type"]):
        total = p[(p["theme"] == theme) & (p["scope_type"] == "all")]
        for c in ("n_segments", "n_negative", "n_respondents"):
            if total[c].iloc[0] < 21:
                continue
            small = rows[c].between(1, 20)
            withheld = small | held.loc[rows.index, c]
            checked += int(small.sum() == 1)
            assert not (small.sum() == 1 and withheld.sum() == 1), (theme, kind, c)
    assert checked > 5  # there were single small counts to protect


def test_an_earlier_releases_reasons_lose_the_share_beside_a_hidden_count_when_shown():
    """A priorities.csv of an earlier release has no reason_shown: the view and the report write it from
    ``reason`` (codesign.small_counts_in_text), which kept "raised in 6% of comments" beside the hidden count
    and "about 5% of them negative" over 40 shown comments."""
    from pledge_analysis.codesign import shown_texts

    old = pd.DataFrame({"reason": [_reason(_row(n_segments=12, n_respondents=12, n_negative=8, negativity=0.66), 10),
                                   _reason(_row(), 10)], "survey_evidence": ["", ""]})
    assert "6% of comments" in old["reason"][0] and "about 5% of them negative" in old["reason"][1]
    shown = shown_texts(old, 21)["reason_shown"].tolist()
    assert "% of comments" not in shown[0] and "fewer than 21 comments" in shown[0], shown[0]
    assert "5%" not in shown[1] and "17%" not in shown[1] and "fewer than 21 of them negative" in shown[1], shown[1]


def test_the_codesign_pack_withholds_the_counts_the_reasons_withhold():
    """Hospital B's 40 comments are withheld in the reasons (A's 12 is hidden, so 112 - 40 - 60 would give it
    back); B's co-design pack printing "40 comments" would undo that."""
    from pledge_analysis.codesign import WITHHELD, area_pages

    t = pd.DataFrame({"scope_type": ["all", "site", "site", "site"], "scope": ["all", "A", "B", "C"],
                      "theme": "waiting", "name": "Waiting", "n_segments": [112, 12, 40, 60],
                      "n_respondents": [112, 12, 40, 60], "n_negative": [60, 6, 24, 30],
                      "prevalence": [0.3, 0.1, 0.3, 0.4], "negativity": [0.54, 0.5, 0.6, 0.5]})
    units = pd.DataFrame([{"segment_id": f"{s}{i}", "theme": "waiting", "codes": "waiting", "site": s,
                           "group": "primary", "sentiment": "negative" if i < k else "positive", "sentiment_score": -0.5,
                           "respondent_id": f"{s}r{i}", "text": "I waited.", "source_id": "x", "source_type": "survey",
                           "question_id": "Q9", "speaker": None, "start": 0, "end": 9}
                          for s, n, k in (("A", 12, 6), ("B", 40, 24), ("C", 60, 30)) for i in range(n)])
    codebook = pd.DataFrame({"code_id": ["waiting"], "name": ["Waiting"], "parent_id": [None], "survey_items": [[]]})
    priorities = t.assign(rank=1, priority_score=0.7)
    pages = area_pages("B", priorities=priorities, units=units, codebook=codebook, suppress_below=21)
    assert pages[0]["comments"] == 40 and set(pages[0]["withheld"]) == {"comments", "people", "negative"}
    text = lxml.html.fromstring(codesign_html(pages, hospital="B", suppress_below=21)).xpath(
        "//section")[0].text_content()
    assert "40" not in text and f"{WITHHELD.capitalize()} of comments from {WITHHELD} of people" in text, text
    assert f"{WITHHELD} of the comments are negative" in text and "24" not in text  # A's 6 negative: B's 24 held
