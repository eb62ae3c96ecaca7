# %% [markdown]
# # 09 · Learning across hospitals
#
# A sites × themes picture of priorities and survey scores, rolled up to Cancer Alliances; a
# library of goals achieved elsewhere; and buddy pairing: each service's weakest themes matched with
# a service that is strong on them, as an optimal assignment (each mentor helps at most two others,
# the same region preferred).

# %%
import pandas as pd
import pledge_analysis as pa
from pledge_analysis import cross_site, plots

pd.set_option("display.max_colwidth", 120)
result = pa.run_project("../data_samples")
matrix = cross_site.site_theme_matrix(result.priorities, result.themes, result.codebook, result.scores,
                                     result.config.sites)
matrix.pivot(index="name", columns="site", values="priority_score").round(2)

# %%
# NBVAL_IGNORE_OUTPUT
plots.site_priority_heatmap(matrix)

# %% [markdown]
# Survey position on each theme (mean funnel z-score of its items against the national benchmark):

# %%
matrix.dropna(subset=["survey_z"]).pivot(index="name", columns="site", values="survey_z").round(2)

# %% [markdown]
# ## Rolled up to Cancer Alliances

# %%
cross_site.alliance_rollup(matrix).query("theme in ['waiting', 'information', 'communication']").round(3)

# %% [markdown]
# ## A library of goals achieved elsewhere
# Plans from several services (here two illustrative ones) become a library of "we plan to" ideas:

# %%
plans = pd.DataFrame([
    {"site": "VVH", "theme": "communication", "you_said": "Patients could not get through to the nurses.",
     "we_plan_to": "A nurse call-back promise within one working day, with a shared inbox", "by": "2025-12-31",
     "status": "achieved"},
    {"site": "NGU", "theme": "waiting", "you_said": "Results took weeks.",
     "we_plan_to": "One-stop clinic with same-day results", "by": "2026-03-31", "status": "achieved"},
    {"site": "MDH", "theme": "waiting", "you_said": "Clinics ran late.", "we_plan_to": "Staggered clinic slots",
     "by": "2026-06-30", "status": "ongoing"},
])
library = cross_site.goal_library(plans)
cross_site.suggest_actions("waiting", library, exclude_site="RGH")

# %% [markdown]
# ## Buddy pairing
# Where several assignments are equally good (RGH and SAH both need help on waiting and
# could swap NGU and MDH), the weakest service on the theme chooses first, so the pairs are
# the same on every machine.

# %%
pairs = cross_site.buddy_pairs(matrix, weakest=2, capacity=2)
pairs[["site", "name", "buddy", "same_region", "reason"]]

# %% [markdown]
# ## Standards across hospitals
# The illustrative framework of the sample (`data_samples/standards.yaml`, our own words, not the
# official text): one verdict per hospital and standard, each with its evidence in
# `standards_audit.csv`. Parity of support for secondary patients is met nowhere (the sample plants
# less support for them); palliative care referral has too few comments at most hospitals to say:

# %%
from pledge_analysis import standards

standards.verdict_matrix(result.standards_audit)

# %% [markdown]
# ## A booklet per Cancer Alliance
# With `booklet: {alliance_booklets: true}` in project.yaml the run also writes
# `booklets/alliance_<NAME>.docx`, `.html` and `.pdf`: the goals of the alliance's hospitals, each row
# saying which hospital it is for.

# %%
import tempfile
from pathlib import Path
from pledge_analysis import booklet

sites = result.config.sites
paths = booklet.write_alliance_booklets(result.action_plan, Path(tempfile.mkdtemp()), sites=sites,
                                        round=result.config.round, formats=("html",))
print([p.name for p in paths])
codes = booklet.alliances(sites)["North Coast Cancer Alliance"]
content = booklet.booklet_content(result.action_plan, hospital="North Coast Cancer Alliance", site=codes,
                                  sites=tuple(sites), site_names={c: sites[c]["name"] for c in codes},
                                  round=result.config.round)
print(content["note"])
pd.DataFrame(content["rows"]).head(6)
