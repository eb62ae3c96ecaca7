# %% [markdown]
# # 00 · Quickstart: from raw feedback to a first action plan
#
# This notebook walks the whole Service Pledge journey on the synthetic sample in `data_samples/`
# (6 hospitals, 2 Cancer Alliances, ~1,500 patients, 150 staff, 12 focus groups):
#
# 1. **read** the survey exports and transcripts named in `project.yaml`,
# 2. **de-identify** every comment and transcript turn *before* anything else touches it,
# 3. **code** the text into the codebook's themes, with sentiment,
# 4. **score** the survey (percentage positive with Wilson intervals, against the national benchmark),
# 5. **prioritise** improvement areas for everyone, for each patient group and for each hospital,
# 6. **draft** the "You said / We plan to / By" action plan.
#
# Every step is one package call; the later notebooks open each step up.

# %%
import pandas as pd
import pledge_analysis as pa
from pledge_analysis import plots

pd.set_option("display.max_colwidth", 90)
PROJECT = "../data_samples"   # a folder holding project.yaml

# %% [markdown]
# ## Run the whole analysis
# `run_project` reads `project.yaml` and returns every intermediate table (all tidy DataFrames).

# %%
result = pa.run_project(PROJECT)
result.run_log["rows"]

# %% [markdown]
# ## Nothing is lost
# Rows and answers that could not be used are *set aside with a reason*, never dropped silently.
# Placeholder comments ("N/A", "Nothing") are set aside too; here are the other reasons:

# %%
aside = result.set_aside
aside[~aside.reason.str.startswith("placeholder")][["source_id", "row", "column", "reason", "value"]]

# %% [markdown]
# ## De-identification
# Names, phone numbers, NHS numbers, emails and postcodes were replaced before coding. The review
# table shows each redaction in context without revealing the original value:

# %%
result.redactions.label.value_counts()

# %%
result.redactions[["label", "placeholder", "context"]].head(5)

# %% [markdown]
# ## Themes
# Negativity (share of coded comments that are negative) by theme and patient group:

# %%
(result.themes.query("scope_type == 'group'")
 .pivot(index="name", columns="scope", values="negativity").round(2))

# %% [markdown]
# ## Prioritised improvement areas
# Each area's `priority_score` combines prevalence, negativity and the survey gap to the national benchmark,
# each scaled within the scope. Secondary breast cancer patients are ranked on their own:

# %%
pr = result.priorities
pr[(pr.scope_type == "group") & (pr["rank"] <= 3)][["scope", "rank", "name", "priority_score", "reason"]]

# %%
# NBVAL_IGNORE_OUTPUT
plots.priority_bars(pr, scope="secondary")

# %%
pr.query("scope == 'secondary' and rank == 1").quotes.iloc[0].split(" | ")

# %% [markdown]
# The hospital view finds where one site stands out (here: which site's top priority is what):

# %%
pr.query("scope_type == 'site' and rank == 1")[["scope", "name", "priority_score"]]

# %% [markdown]
# ## The draft action plan
# For everyone, each group and each hospital, "You said" is the plain-English concern of the code the
# evidence points to (the codebook's `concern:`), with de-identified quotes beside it as evidence
# (column `quotes`); goals raised only by staff are marked `audience == "staff"` and stay out of the
# patient booklets. The co-design group fills "We plan to" and "By" in `action_plan.xlsx`; each hospital
# gets its own booklet in `booklets/`.

# %%
result.action_plan[["goal_id", "scope", "theme", "you_said", "status"]]

# %% [markdown]
# ## Write everything out
# The same outputs as `pledge-analysis run data_samples --out out`: a self-contained HTML report,
# tidy CSVs, the action plan workbook and a run log.

# %%
import tempfile
paths = pa.write_outputs(result, tempfile.mkdtemp())
sorted(p.name for p in paths)
