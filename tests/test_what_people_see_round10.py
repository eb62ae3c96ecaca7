"""What people see, round 10 (found by rendering a user-like project to PNG and looking: 3 hospitals with long
names, one with 4 respondents): a buddy pair's reason printed "+nan" for a hospital with no usable evidence and
lower-cased "IT" to "it"; the report's buddy table read True/False. Small inputs, no pipeline run."""
from __future__ import annotations

import re

import lxml.html
import pandas as pd

from pledge_analysis import cross_site


def matrix() -> pd.DataFrame:
    """3 sites x 2 themes: SAH (4 respondents) has too few comments and no survey result on either theme."""
    rows = []
    for site, neg, z, n in (("NGU", 0.3, 1.0, 60), ("RGH", 0.7, -1.2, 55), ("SAH", 0.9, float("nan"), 3)):
        for theme, name in (("coordination", "Coordination of care and IT / patient portal"),
                            ("waiting", "Waiting and delays")):
            rows.append({"site": site, "theme": theme, "name": name, "alliance": "North", "rank": 1 if theme == "waiting" else 2,
                         "priority_score": 0.6, "negativity": neg, "n_segments": n, "survey_estimate": float("nan"),
                         "survey_z": z})
    return pd.DataFrame(rows)


def test_buddy_reasons_keep_abbreviations_and_never_print_nan():
    pairs = cross_site.buddy_pairs(matrix(), capacity=4)
    sah = pairs[(pairs["site"] == "SAH") & (pairs["buddy"] != "")]
    assert len(sah), pairs.to_string()
    for reason in pairs["reason"]:
        assert "nan" not in reason, reason
    assert any(re.search(r"\(strength \+\d\.\d\d; SAH has no usable evidence on it", r) for r in sah["reason"]), sah["reason"].tolist()
    coord = pairs[(pairs["theme"] == "coordination") & (pairs["buddy"] != "")]
    assert all("coordination of care and IT / patient portal" in r for r in coord["reason"]), coord["reason"].tolist()


def test_report_buddy_table_reads_yes_no_and_blank_when_unpaired(tmp_path):
    from pledge_analysis.report import _table

    pairs = cross_site.buddy_pairs(matrix())
    doc = lxml.html.fromstring(_table(pairs, ["site", "buddy", "same_region"], name="buddy_pairs"))
    cells = [td.text_content() for td in doc.iter("td")]
    assert "True" not in cells and "False" not in cells and "yes" in cells


def test_quote_attributions_name_the_group_and_source_in_words():
    from pledge_analysis.pledge import _pick_quotes

    ev = pd.DataFrame({"text": ["The clinic always ran two hours late.", "Nobody explained the portal to us at all.",
                                "We never have enough rooms for clinics."],
                       "group": ["primary", "secondary", "staff"], "site": "SAH",
                       "source_id": ["survey/a.csv", "transcripts/b.txt", "survey/staff.csv"],
                       "source_type": ["survey", "focus_group", "survey"], "segment_id": ["a", "b", "c"]})
    within = _pick_quotes(ev, "site", 3, set())  # a hospital's co-design pack and its own goals
    assert any(q.endswith("(primary patient, survey)") for q in within), within
    assert any(q.endswith("(secondary patient, focus group)") for q in within), within
    assert any(q.endswith("(staff member, survey)") for q in within), within
    across = _pick_quotes(ev, "group", 3, set())
    assert any(q.endswith("(primary patient, SAH)") for q in across), across


def test_priority_quotes_shown_in_the_view_and_report_name_the_group_in_words():
    from pledge_analysis.priorities import _quotes

    units = pd.DataFrame({"theme": "waiting", "sentiment": "negative", "sentiment_score": [-0.9, -0.8],
                          "segment_id": ["a", "b"], "site": "SAH", "group": ["primary", "staff"],
                          "source_type": ["survey", "focus_group"], "source_id": ["survey/a.csv", "transcripts/b.txt"],
                          "text": ["Appointments always ran late and the waiting room was packed.",
                                   "Clinic capacity is the biggest problem, waits are getting longer."]})
    here = _quotes(units, "site", "SAH", "waiting", 2)
    assert sorted(q.rsplit("(", 1)[-1] for q in here) == ["primary patient, survey)", "staff member, focus group)"]
    assert sorted(q.rsplit("(", 1)[-1] for q in _quotes(units, "all", "all", "waiting", 2)) == ["primary patient, SAH)", "staff member, SAH)"]


def test_plan_editor_goal_picker_says_what_each_goal_is():
    from pledge_analysis.widgets import PlanEditor

    plan = pd.DataFrame({"goal_id": ["G01", "G04", "G13"], "scope": ["all", "primary", "NGU"],
                         "theme": ["waiting", "waiting", "coordination"],
                         "you_said": ["Patients waited a long time in clinic to be seen.",
                                      "Patients waited too long for tests, results and treatment to start.",
                                      "The patient portal and IT systems didn't work well or share notes."],
                         "we_plan_to": "", "by": "", "status": "not started"})
    editor = PlanEditor(plan)
    labels = [label for label, _ in editor.goal.options]
    assert labels[1] == "G04 · Primary breast cancer patients · Patients waited too long for tests, results and treatment to start."
    assert all(said in label for said, label in zip(plan["you_said"], labels))
    editor.goal.value = "G13"  # the value is still the goal's id
    assert editor.you_said.value.startswith("The patient portal")


def test_codesign_pack_on_screen_leaves_space_between_one_areas_form_and_the_next(tmp_path):
    import shutil

    import pytest

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from pledge_analysis.codesign import codesign_html

    area = {"theme": "waiting", "concerns": [("Patients waited a long time in clinic to be seen.", "patients")],
            "comments": 12, "people": 9, "negative": 7, "by_group": [{"group": "primary", "comments": 12, "negative": 7}],
            "quotes": ["“Appointments always ran late.” (primary patient, survey)"], "survey": [], "certainty": ""}
    pages = [dict(area, rank=i + 1, name=n) for i, n in enumerate(["Waiting and delays", "Coordination of care"])]
    page = codesign_html(pages, hospital="St Aidan's Hospital", suppress_below=21)
    (tmp_path / "pack.html").write_text(page, encoding="utf-8")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        pg = b.new_page(viewport={"width": 1100, "height": 900})
        pg.goto((tmp_path / "pack.html").as_uri())
        gap = pg.evaluate("""() => { const s = [...document.querySelectorAll('section.area')];
            const boxes = s[0].querySelectorAll('.box');
            return s[1].querySelector('h2').getBoundingClientRect().top - boxes[boxes.length - 1].getBoundingClientRect().bottom; }""")
        b.close()
    assert gap >= 20, gap
