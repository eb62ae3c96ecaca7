# %% [markdown]
# # 08 · The action plan: "You said / We plan to / By"
#
# Drafted from the priorities: for everyone, each group and each hospital, "You said" is the plain-English
# **concern** of the code the evidence points to (the codebook's `concern:`), with de-identified quotes
# beside it as evidence. The co-design group completes it in the notebook or in Excel; it is tracked
# (Achieved / Ongoing / a date, overdue flagged), published as **one booklet per hospital** for newly
# diagnosed patients, and checked at the next review round.

# %%
import tempfile, subprocess, sys
from datetime import date
from pathlib import Path
import pandas as pd
import pledge_analysis as pa
from pledge_analysis import pledge
from pledge_analysis.rounds import goal_progress, plan_summary
from pledge_analysis.widgets import PlanEditor

pd.set_option("display.max_colwidth", 110)
result = pa.run_project("../data_samples")
plan = result.action_plan
plan.loc[plan["scope"].isin(["all", "secondary", "staff"]), ["goal_id", "scope", "code_id", "audience", "you_said"]]

# %% [markdown]
# Each statement is used once in its part of the plan (the programme's goals, each hospital's own), so a
# group's top area that points to a code already used takes the next code of that area. The quotes stay
# beside it as evidence, from different hospitals and groups; goals raised only by staff
# (`audience == "staff"`) go to the staff plan, not the patient booklet:

# %%
plan.loc[plan["scope"] == "secondary", ["goal_id", "code_id", "quotes"]]

# %% [markdown]
# ## Edit in the notebook
# A small form: choose a goal, fill "We plan to", "By", owner and status, press Save.

# %%
# NBVAL_IGNORE_OUTPUT
editor = PlanEditor(plan)
editor

# %%
editor.goal.value = "G01"
editor.we_plan_to.value = "Run a nurse-led results clinic so that nobody waits more than 7 days"
editor.by.value = "September 2026"
editor.owner.value = "Breast unit manager"
editor.status.value = "ongoing"
editor.commit(today=date(2026, 3, 1))
editor.plan.query("goal_id == 'G01'")[["goal_id", "we_plan_to", "by", "owner", "status"]]

# %%
editor.history

# %% [markdown]
# ## Edit in Excel and import back
# The workbook has a status drop-down; importing validates every cell and reports what changed:

# %%
folder = Path(tempfile.mkdtemp())
pledge.write_action_plan_xlsx(editor.plan, folder / "plan.xlsx")
from openpyxl import load_workbook
wb = load_workbook(folder / "plan.xlsx"); ws = wb.active
ws["E3"] = "Give every patient an Open Access guide and a named contact"; ws["F3"] = "December 2026"
wb.save(folder / "plan.xlsx")
plan2, changes = pledge.read_action_plan_xlsx(folder / "plan.xlsx", previous=editor.plan)
changes

# %%
ws["H4"] = "finished"; wb.save(folder / "plan.xlsx")
try:
    pledge.read_action_plan_xlsx(folder / "plan.xlsx", previous=editor.plan)
except pa.InputError as e:
    print(e)

# %% [markdown]
# ## Track and publish
# Status updates are dated; a goal past its date and not achieved is *overdue*:

# %%
plan3, history = pledge.record_status(plan2, editor.history, "G01", "achieved", on="2026-08-15")
plan_summary(plan3, today=date(2027, 1, 10))

# %%
from pledge_analysis import booklet

sites = result.config.sites
paths = booklet.write_booklets(plan3, folder / "booklets", sites={"RGH": sites["RGH"]}, round=result,
                               today=date(2027, 1, 10))
print([p.name for p in paths])
content = booklet.booklet_content(plan3, hospital=sites["RGH"]["name"], site="RGH", sites=tuple(sites),
                                  round=result, took_part=["primary", "secondary", "staff"],
                                  today=date(2027, 1, 10))
print(content["state"], "|", content["dated"])
print("\n".join(content["intro"]))
pd.DataFrame(content["rows"])

# %% [markdown]
# Riverside's booklet (`OUT/booklets/RGH.docx`, `.html`, `.pdf`: A4, large type, the header row repeated on
# every page) shows its own goals. Nothing is agreed yet for them, so it says so, rather than "together
# we agreed". The staff version carries every goal, with owner, status and evidence:

# %%
print(pledge.plan_markdown(plan3.head(3), today=date(2027, 1, 10)))

# %% [markdown]
# ## The booklet and the co-design pack, as people see them
# Riverside's booklet, the same HTML page the PDF is printed from:

# %%
# NBVAL_IGNORE_OUTPUT
import html
from IPython.display import HTML

page = (folder / "booklets" / "RGH.html").read_text(encoding="utf-8")
HTML(f"<div><iframe srcdoc='{html.escape(page, quote=True)}' style='width:100%;height:480px;border:1px solid #ccc'></iframe></div>")

# %% [markdown]
# The facilitator's co-design pack (`OUT/codesign/RGH.html`): a printed page per prioritised area with
# what people said, the survey figures, **how sure the ranking is** and boxes for the group to fill in;
# its last page is the hospital's standards audit. The first two areas:

# %%
from pledge_analysis import codesign

pages = codesign.area_pages("RGH", priorities=result.priorities, units=result.units, codebook=result.codebook,
                            plan=result.action_plan, scores=result.scores, questions=result.questions, top=2,
                            n_boot=result.run_log["priorities"]["rank_intervals"]["n_boot"])
for p in pages:
    print(f"{p['rank']}. {p['name']}: {p['comments']} comments from {p['people']} people, {p['negative']} negative")
    print("  ", p["certainty"])
    for s in p["survey"]:
        print("   -", s["question_id"], s["result"], "| benchmark", s["benchmark"])
paths = codesign.write_codesign(result, folder / "codesign", formats=("html",), today=date(2027, 1, 10))
print([p.name for p in paths])

# %% [markdown]
# ## The next round: did things improve?
# A second review round (generated: Riverside acted on waiting). For each goal, the change in its
# survey items and comment negativity (`estimate` = after − before), with 95% intervals:

# %%
round2 = Path(tempfile.mkdtemp())
subprocess.run([sys.executable, "../data_samples/generate.py", "--round2", "--out", str(round2)], check=True, capture_output=True)
result2 = pa.run_project(round2)
goal = pd.DataFrame([{"goal_id": "R1", "scope": "RGH", "theme": "waiting", "by": "2026-12-31", "status": "achieved"}])
goal_progress(goal, result.codebook, result, result2)
