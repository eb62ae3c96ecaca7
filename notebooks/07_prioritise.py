# %% [markdown]
# # 07 · Prioritised improvement areas
#
# What the workbench exists for: a short, defensible list of improvement areas, for everyone and
# for each group (so that secondary breast cancer patients are never averaged away), each with its
# evidence. Every component of the score is a column on a fixed 0-1 scale (0.5 = no different from
# the reference, so scores mean the same in every scope and at every site); the weights are
# parameters; small counts are shrunk towards the pooled rate; the ranks come with bootstrap
# intervals and a sensitivity check.

# %%
import pandas as pd
import pledge_analysis as pa
from pledge_analysis import plots
from pledge_analysis.priorities import DEFAULT_WEIGHTS
from pledge_analysis.uncertainty import weight_sensitivity

pd.set_option("display.max_colwidth", 120)
result = pa.run_project("../data_samples")
DEFAULT_WEIGHTS

# %% [markdown]
# ## The components, for secondary breast cancer patients
# Negativity is shrunk towards the group's pooled share (with its 95% interval); the survey gap is
# shrunk towards the benchmark by how much NHS trusts really differ; a theme with no survey items has
# no gap (NaN) rather than a gap of 0:

# %%
pr = result.priorities
cols = ["rank", "name", "priority_score", "prevalence", "negativity", "negativity_low", "negativity_high",
        "survey_gap", "survey_gap_low", "survey_gap_high", "driver"]
pr.query("scope == 'secondary'")[cols].head(6).round(3)

# %%
# NBVAL_IGNORE_OUTPUT
plots.priority_bars(pr, scope="secondary")

# %% [markdown]
# ## The evidence to put in front of patients and staff
# Counts, survey figures against the benchmark, and de-identified quotes from different hospitals, as the
# report and the booklets print them (`reason_shown`, `survey_evidence_shown`: a count under the project's
# `suppress_below` reads "fewer than N"; `reason` and `survey_evidence` keep every count):

# %%
top = pr.query("scope == 'secondary' and rank == 1").iloc[0]
print(top.reason_shown)
print(top.survey_evidence_shown)
for q in top.quotes.split(" | "):
    print(" -", q)

# %% [markdown]
# ## How sure are the ranks?
# The run resampled survey respondents and focus-group sessions (each session whole: its speakers
# are not independent) within each hospital, and recomputed every scope's ranks; `priorities.csv`
# carries each rank's 95% interval and how often the theme was in the top three:

# %%
pr.query("scope == 'secondary' and rank <= 5")[["rank", "rank_low", "rank_high", "p_top3", "name", "priority_score"]]

# %%
# NBVAL_IGNORE_OUTPUT
plots.ranks_with_intervals(pr, scope="secondary")

# %% [markdown]
# ## Are the priorities stable when the weights change?
# Each component dropped, each doubled (breadth, which has weight 0 by default, is added instead), and
# equal weights:

# %%
weight_sensitivity(result.themes, result.codebook, result.scores, result.drivers, scope="secondary").head(6)

# %% [markdown]
# ## Importance and performance; themes by group

# %%
# NBVAL_IGNORE_OUTPUT
plots.importance_performance(result.drivers)

# %%
# NBVAL_IGNORE_OUTPUT
plots.theme_heatmap(result.themes, scope_type="group")

# %% [markdown]
# ## Per hospital
# The top priorities at each hospital, on the same scale everywhere: waiting is criticised at every
# hospital in this sample, and the hospital weak on waiting stands out with the highest `priority_score`:

# %%
pr.query("scope_type == 'site' and rank <= 2")[["scope", "rank", "rank_low", "rank_high", "name", "priority_score"]]

# %% [markdown]
# ## How sure, in words
# The co-design pack prints each area's rank interval as a sentence a patient representative can
# follow. Riverside General Hospital's top three:

# %%
from pledge_analysis.codesign import rank_certainty

n_boot = result.run_log["priorities"]["rank_intervals"]["n_boot"]
here = pr.query("scope == 'RGH'")
for r in here.head(3).itertuples():
    print(rank_certainty(r.rank, r.rank_low, r.rank_high, r.p_top3, n_boot=n_boot, n_areas=len(here)))

# %% [markdown]
# ## Audited against a standards framework
# The sample's `project.yaml` names `standards.yaml`: an **illustrative** framework written in our own
# words (not the official Breast Cancer Care / Breast Cancer Now text). Each hospital gets a verdict per
# standard from the evidence above (the rule is in `pledge_analysis/standards.py`): a survey question
# falls short when its whole 95% interval is below its target or benchmark, the comments when clearly
# most of them are negative; *not met* when all the usable evidence falls short, *partly met* when some
# does, *insufficient evidence* when nothing is usable. Riverside:

# %%
audit = result.standards_audit
audit.query("site == 'RGH'")[["standard_id", "verdict", "n_comments", "n_negative", "items_used", "items_short",
                              "reason"]]
