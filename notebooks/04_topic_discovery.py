# %% [markdown]
# # 04 · Topic discovery
#
# BERTopic behind a small adapter (`TopicExplorer`) that returns tidy tables: seeded UMAP (same input,
# same topics), cluster sizes that suit the corpus, outliers reassigned, and the codebook as a guide.
# Embeddings are computed offline from the installed all-MiniLM-L6-v2 and cached on disk, so a re-run
# costs nothing. Topics are then mapped to codebook codes; topics that match no code become proposals.

# %%
import pandas as pd
import pledge_analysis as pa
from pledge_analysis import plots
from pledge_analysis.coding import TopicExplorer, accept_proposals

pd.set_option("display.max_colwidth", 80)
result = pa.run_project("../data_samples")
comments = result.segments.query("source_type == 'survey'")
len(comments)

# %%
explorer = TopicExplorer(random_state=0, codebook=result.codebook).fit(comments)
info = explorer.topic_info_
len(info) >= 10, int(info["n"].sum()) == len(explorer.segment_topics_)

# %% [markdown]
# The topics (the exact split can differ slightly between machines, so this output is not compared):

# %%
# NBVAL_IGNORE_OUTPUT
info[["topic_id", "label", "n", "representative"]].head(12)

# %%
# NBVAL_IGNORE_OUTPUT
plots.topic_bars(info)

# %% [markdown]
# ## Same input, same topics

# %%
again = TopicExplorer(random_state=0, codebook=result.codebook).fit(comments)
(again.topics_ == explorer.topics_).all()

# %% [markdown]
# ## Topics by group, and a map

# %%
# NBVAL_IGNORE_OUTPUT
plots.topic_group_heatmap(explorer.by("group"))

# %%
# NBVAL_IGNORE_OUTPUT
plots.topic_map(explorer.coordinates())

# %% [markdown]
# ## Topics over time
# Each survey comment carries its completion date (`timestamp`, mapped as `completed` in project.yaml),
# so topics can be followed month by month, for example to see whether talk of waiting falls after a change.
# Comments with no date, or a date that cannot be read, are left out of the counts: a warning says how many,
# and `over.attrs["left_out"]` lists each with its reason (below: how many, and from which groups: the staff survey's comments, which carry no completion date).

# %%
over = explorer.over_time(freq="M")
left_out = comments.set_index("segment_id").loc[[r["segment_id"] for r in over.attrs["left_out"]]]
bool((over.groupby("period")["share"].sum().round(6) == 1).all()), over.attrs["n_left_out"], left_out["group"].value_counts().to_dict()

# %%
# NBVAL_IGNORE_OUTPUT
plots.topic_trends(over, top=5)

# %% [markdown]
# ## Topics against the codebook
# Each topic's most similar code; topics below the similarity threshold are proposed as new codes,
# which a researcher can accept into the codebook in one call:

# %%
mapping = explorer.map_to_codebook(result.codebook, min_similarity=0.4)
mapping["code_id"].isin(result.codebook["code_id"]).all()

# %%
# NBVAL_IGNORE_OUTPUT
mapping.sort_values("similarity")[["topic_id", "label", "code_id", "similarity", "proposed_new"]].head(8)

# %%
proposals = mapping[mapping["proposed_new"]].head(2)["topic_id"].tolist()
codebook2 = accept_proposals(result.codebook, mapping, proposals)
len(codebook2) - len(result.codebook) == len(proposals)

# %% [markdown]
# ## One hospital
# The same call works on the few hundred comments of one hospital:

# %%
one = TopicExplorer(random_state=0).fit(comments.query("site == 'RGH'"))
len(one.topic_info_) >= 3
