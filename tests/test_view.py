"""The read-only view's content (pledge_analysis.view) and the serve command's checks, without a browser.

The page in a real browser, served by Voilà, is tested in ``tests/test_view_browser.py``.
"""
import html
import json
import re
import shutil

import pandas as pd
import pytest

from pledge_analysis.cli import main
from pledge_analysis.errors import InputError
from pledge_analysis.view import HospitalView, read_outputs, site_from_query, site_page


@pytest.fixture
def out(sample_run, tmp_path):
    """A copy of the sample run's output folder (the files the view reads), safe to edit."""
    _, run_out = sample_run
    folder = tmp_path / "out"
    folder.mkdir()
    for name in ("run_log.json", "priorities.csv", "action_plan.xlsx"):
        shutil.copy(run_out / name, folder / name)
    return folder


def test_a_hospital_page_shows_its_priorities_quotes_and_plan(sample_run, out):
    result, _ = sample_run
    outputs = read_outputs(out)
    assert outputs.sites["RGH"] == "Riverside General Hospital" and list(outputs.sites)[0] == "NGU"
    page = site_page(outputs, "RGH")
    pr = result.priorities
    rgh = pr[(pr["scope_type"] == "site") & (pr["scope"] == "RGH")].sort_values("rank")
    assert "Riverside General Hospital" in page and "2026-R1" not in page  # the round in words, not its id
    assert f"feedback of {result.run_log['round_label']}" in page and result.run_log["round_label"]
    for name in rgh["name"].head(5):
        assert f"{name}</h3>" in page
    assert rgh["name"].iloc[5] not in page.split("What the hospital plans to do")[0]  # top 5 only
    quote = rgh["quotes"].iloc[0].split(" | ")[0]
    assert html.escape(quote) in page
    plan = result.action_plan
    mine = plan[(plan["scope"] == "RGH") & (plan["audience"] != "staff")]
    assert len(mine) and all(html.escape(s) in page for s in mine["you_said"])
    others = plan[(plan["scope"] == "VVH") & ~plan["you_said"].isin(mine["you_said"])]["you_said"]
    assert len(others) and not any(html.escape(s) in page for s in others)          # another hospital's goals are not shown
    assert "to be agreed" in page and "Standards of care" not in page  # draft plan; no audit in this run
    assert "<script" not in page and "<input" not in page


def test_status_escaping_and_the_standards_audit(out):
    plan = pd.read_excel(out / "action_plan.xlsx", dtype=object)
    goal = plan.index[plan["Who"] == "RGH"][0]
    plan.loc[goal, ["We plan to", "By", "Status"]] = ["Open a <b>Saturday</b> clinic", "2020-01-31", "ongoing"]
    from pledge_analysis.pledge import read_action_plan_xlsx, write_action_plan_xlsx

    stored, _ = read_action_plan_xlsx(out / "action_plan.xlsx")
    stored.loc[stored["goal_id"] == plan.at[goal, "Goal"], ["we_plan_to", "by", "status"]] = \
        ["Open a <b>Saturday</b> clinic", "2020-01-31", "ongoing"]
    write_action_plan_xlsx(stored, out / "action_plan.xlsx")
    pd.DataFrame({"site": ["RGH", "VVH"], "standard_id": ["S1", "S1"], "statement": ["A named nurse", "A named nurse"],
                  "group": ["secondary", "secondary"], "verdict": ["partly met", "met"],
                  "reason": ["1 of 2 survey items below", "no shortfall shown"]}).to_csv(out / "standards_audit.csv",
                                                                                           index=False)
    log = json.loads((out / "run_log.json").read_text())
    (out / "run_log.json").write_text(json.dumps(log | {"standards": {"name": "Example standards (not official)"}}))
    page = site_page(read_outputs(out), "RGH")
    assert "Open a &lt;b&gt;Saturday&lt;/b&gt; clinic" in page        # user text is escaped
    assert "status-overdue" in page and "! Overdue" in page           # past its date, not achieved
    audit = page.split("Standards of care")[1]
    assert "A named nurse" in audit and "partly met" in audit and "no shortfall shown" not in audit
    assert "Example standards (not official)" in audit and "Secondary breast cancer patients" in audit


def test_the_site_is_chosen_by_address_option_or_order(out, monkeypatch):
    sites = {"RGH": "Riverside General Hospital", "VVH": "Valeview Hospital"}
    assert site_from_query("token=x&site=vvh", sites) == "VVH"
    assert site_from_query("site=Riverside%20General%20Hospital", sites) == "RGH"
    assert site_from_query("site=XYZ", sites) is None
    monkeypatch.setenv("PLEDGE_VIEW_OUT", str(out))
    monkeypatch.setenv("QUERY_STRING", "token=abc&site=WRI")
    view = HospitalView(site="RGH")                         # the address wins over the option
    assert view.picker.value == "WRI" and "Westbrook Royal Infirmary" in view.page.value
    view.picker.value = "SAH"
    assert "St Aidan" in view.page.value
    monkeypatch.delenv("QUERY_STRING")
    assert HospitalView(site="rgh").picker.value == "RGH"
    assert HospitalView().picker.value == "NGU"             # the project's first hospital
    monkeypatch.setenv("PLEDGE_VIEW_SITE", "VVH")           # what `serve --site VVH` sets
    assert HospitalView().picker.value == "VVH"
    assert [type(c).__name__ for c in HospitalView().widget.children] == ["Dropdown", "HTML"]


def test_serve_refuses_a_folder_that_is_not_a_run_output(tmp_path, out, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["serve", str(tmp_path / "empty"), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "not the output folder of a run: run_log.json, priorities.csv, action_plan.xlsx missing" in err
    assert "pledge-analysis run" in err and "Traceback" not in err
    assert main(["serve", str(tmp_path / "nowhere"), "--no-browser"]) == 2
    assert "folder not found" in capsys.readouterr().err
    assert main(["serve", str(out), "--site", "XYZ", "--no-browser"]) == 2
    assert "'XYZ' is not a hospital of this run" in capsys.readouterr().err
    (out / "run_log.json").write_text("{not json")
    with pytest.raises(InputError, match="cannot read run_log.json"):
        read_outputs(out)


def test_serve_listens_on_this_computer_only():
    from pledge_analysis.serve import HOST, voila_command

    cmd = voila_command(8866, "tok")
    assert HOST == "127.0.0.1" and "--Voila.ip=127.0.0.1" in cmd and not any("0.0.0.0" in c for c in cmd)
    assert "--strip_sources=True" in cmd and "--token=tok" in cmd
    nb = json.loads((__import__("pledge_analysis.serve").serve.NOTEBOOK).read_text())
    assert [c["cell_type"] for c in nb["cells"]] == ["code"]


def test_serve_refuses_a_port_in_use(out):
    import socket

    from pledge_analysis.errors import ConfigError
    from pledge_analysis.serve import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(ConfigError, match=f"port {port} on 127.0.0.1 is already in use"):
            serve(out, port=port, open_browser=False)


def test_a_patients_only_project_and_a_hospital_with_no_feedback(tmp_path, capsys):
    """The page said "patients and staff" when no staff took part, and a hospital with no feedback at all read
    "No prioritised areas..." as if its feedback had raised nothing."""
    from userlike import edit, write_project

    project = write_project(tmp_path / "p")  # groups: primary and secondary only
    edit(project / "project.yaml", "  LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}\n",
         "  LWC: {name: Lakeway Clinic, alliance: Upland Cancer Alliance}\n  OAK: {name: Oakfield Hospital}\n")
    assert main(["run", str(project), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    outputs = read_outputs(tmp_path / "out")
    assert outputs.run_log["feedback_by_site"]["OAK"] == {"groups": [], "respondents": 0, "comments": 0}
    assert set(outputs.run_log["feedback_by_site"]["LWC"]["groups"]) <= {"primary", "secondary"}
    page = html.unescape(site_page(outputs, "HSH"))
    notes = " ".join(re.findall(r"<p class='note'>(.*?)</p>", page.split("What the hospital plans to do")[0]))
    assert notes and "staff" not in notes.lower()  # (the quotes may speak of staff: the patients' own words)
    assert "What patients told this hospital" in page and "patients' comments and the survey" in page
    empty = html.unescape(site_page(outputs, "OAK"))
    assert "No feedback came from Oakfield Hospital in this run" in empty
    assert "no survey answers and no comments" in empty and "No prioritised areas for this hospital" not in empty
    old = dict(outputs.run_log)  # an output folder of an earlier release (no feedback_by_site): no claim of staff
    del old["feedback_by_site"]
    page = html.unescape(site_page(outputs.__class__(**{**outputs.__dict__, "run_log": old}), "HSH"))
    assert "What people told this hospital" in page and "people's comments and the survey" in page
