# %% [markdown]
# # 06 · Survey statistics the NHS way
#
# The quantitative half, as the national Cancer Patient Experience Survey (CPES) and NHS-R's
# FunnelPlotR and NHSRplotthedots do it: percentage positive with Wilson intervals, comparisons
# with stated multiplicity control, funnel plots with overdispersion, case-mix adjustment, key
# drivers of the overall rating and SPC charts. Every function takes long data and returns one
# tidy row per estimate; proportions are fractions in [0, 1].

# %%
import pandas as pd
import pledge_analysis as pa
from pledge_analysis import plots, survey
from pledge_analysis.pipeline import ingest

pd.set_option("display.precision", 3)
cfg = pa.ProjectConfig.load("../data_samples")
questions = pa.load_questions(cfg.questions)
data = ingest(cfg, questions)
scored = survey.score_responses(data.responses, questions)
scored.scored_as.value_counts()

# %% [markdown]
# ## Percentage positive, with Wilson intervals and CPES suppression
# Neutral and "don't know" answers are excluded from the denominator; cells with fewer than 21
# respondents (`suppress_below:` in project.yaml) keep their row and `n` but are marked `suppressed`,
# with the estimate and interval blank, and nothing downstream (gaps, z-scores, buddies, comparisons)
# uses them.

# %%
by_site_group = survey.score_questions(scored, questions, by=["site", "group"])
by_site_group.query("question_id == 'Q18'")

# %%
# NBVAL_IGNORE_OUTPUT
scores = survey.score_questions(scored, questions, by=["site"])
plots.sites_heatmap(scores, wording=dict(zip(questions["question_id"], questions["text"])))

# %% [markdown]
# ## Primary vs secondary, with the adjustment named
# Differences (`estimate` = `estimate_a` − `estimate_b`) with Newcombe intervals, z tests, Cohen's h, and
# Holm-adjusted p-values:

# %%
cmp = survey.compare(scored, by="group", pairs=[("primary", "secondary")], adjust="holm")
cmp[["question_id", "estimate_a", "estimate_b", "estimate", "ci_low", "ci_high", "effect_size", "p_adj", "p_adj_method"]]

# %% [markdown]
# ## Funnel plot: which hospital stands out?
# Limits around the national score. With six hospitals there are too few units to estimate
# overdispersion (FunnelPlotR's DerSimonian-Laird τ²) from the hospitals themselves: against an
# external target a shortfall they all share would be absorbed as τ² and nobody flagged. So the limits
# are binomial unless a τ² is supplied (for example from the national distribution of trusts, as
# `trust_funnel` estimates it below); `tau2_source` says which. One row per hospital, with its own 95%
# interval (`ci_low`, `ci_high`); both 95% and 99.8% flags are columns; `flag` is the headline level,
# named in `headline`:

# %%
national = survey.read_national(cfg.benchmark)
q2 = scores.query("question_id == 'Q2'")
nat_q2 = survey.select(national, geog="National", question_id="Q2")["estimate"].item()
f = survey.funnel(q2, target=nat_q2)
f[["site", "n", "estimate", "ci_low", "ci_high", "tau2_source", "flag95", "flag998", "headline"]]

# %% [markdown]
# The control limits behind the flags are a long table, one row per hospital and `level`:

# %%
survey.funnel_limits(f, unit="site").round(4)

# %%
# NBVAL_IGNORE_OUTPUT
plots.funnel_plot(f, title="Q2: waiting for the first appointment")

# %% [markdown]
# The CPES *expected range* form, `p0 ± 1.96 √(p0(1−p0)/n + τ²)`:

# %%
lo, hi = survey.expected_range(nat_q2, q2["n"].to_numpy())
q2.assign(limit_low=lo, limit_high=hi)[["site", "n", "estimate", "limit_low", "limit_high"]]

# %% [markdown]
# ## Case-mix adjustment
# Indirect standardisation by logistic regression on age band, ethnicity and deprivation:

# %%
survey.casemix_adjust(scored, data.respondents, questions=["Q2"])

# %% [markdown]
# ## What drives the overall rating?
# Johnson's relative weights (shares of R², with bootstrap intervals) and importance-performance quadrants.
# A respondent who skipped a question still counts: each correlation uses everyone who answered both questions
# (pairwise), and `n` says how many that was for each item:

# %%
items = [q for q in questions.query("respondents == 'patient' and kind == 'categorical'").question_id]
drivers = survey.key_drivers(scored, items=items, outcome="Q59", n_boot=200, random_state=0)
print(f"{drivers['n_respondents'].iloc[0]:,} respondents used, {drivers['n_complete'].iloc[0]:,} of them answered every item")
drivers[["question_id", "n", "r", "share", "share_low", "share_high", "performance", "quadrant"]].head(8)

# %%
# NBVAL_IGNORE_OUTPUT
plots.importance_performance(drivers)

# %% [markdown]
# ## Over time: an XmR chart with NHSRplotthedots' rules
# Monthly % positive for contacting the clinical nurse specialist (Q18), all hospitals. The rules are those of
# NHS-R's `ptd_spc` (points beyond the limits, 7-point trends, two in three close to a limit, runs of 7), with its
# point types; `rebase=` starts a new baseline, and a series of fewer than 13 months warns that its limits are trial limits:

# %%
import warnings

monthly = scored.merge(data.respondents[["respondent_id", "completed"]], on="respondent_id")
monthly["month"] = monthly["completed"].str[:7]
m = survey.score_questions(monthly, questions, by=["month"]).query("question_id == 'Q18'").set_index("month")
with warnings.catch_warnings(record=True) as caught:  # fewer than 13 months: trial limits, said below
    warnings.simplefilter("always", survey.ShortSeriesWarning)
    spc = survey.xmr(m["estimate"], index=m.index)
for w in caught:
    print(w.message)
spc[["x", "mean", "lcl", "ucl", "special_cause_type", "point_type"]]

# %%
# NBVAL_IGNORE_OUTPUT
plots.spc_chart(spc, title="Q18 % positive by month", y_title="% positive", percent=True)

# %% [markdown]
# ## National benchmark: one trust among all trusts
# The benchmark file has the published CPES layout; place Riverside (RGH) among all trusts:

# %%
tf = survey.trust_funnel(national, "Q2", cancer_type="Breast", focus="RGH")
focus = tf.query("is_focus")
focus[["trust_name", "n", "estimate", "ci_low", "ci_high", "flag"]]

# %%
survey.funnel_limits(focus, unit="trust_name").round(4)
