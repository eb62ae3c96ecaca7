# %% [markdown]
# # 05 · Machine coding and active learning
#
# A `ThemeClassifier` (a scikit-learn estimator: TF-IDF word and character n-grams with MiniLM sentence
# embeddings, one logistic regression per theme, a decision threshold per theme tuned by
# cross-validation) learns from coded segments, predicts themes for new ones, and proposes the segments
# a researcher should review next. `SentimentClassifier` works with no training data (VADER with a
# domain lexicon) and learns from labels when you have them. On real NHS feedback the benchmark in
# `benchmarks/machine_coding_benchmark.py` measures both (figures in the README).

# %%
import tempfile
from pathlib import Path
import numpy as np
import pandas as pd
import pledge_analysis as pa
from pledge_analysis.coding import (SentimentClassifier, ThemeClassifier, suggest_for_review, theme_of,
                                    training_data)
from pledge_analysis.coding.review import ReviewWidget

pd.set_option("display.max_colwidth", 90)
folder = Path(tempfile.mkdtemp())
result = pa.run_project("../data_samples", store=folder / "project.sqlite")
project = pa.Project.open(folder / "project.sqlite")
segments = result.segments.query("role != 'facilitator'").reset_index(drop=True)
len(segments)

# %% [markdown]
# ## Learning from a researcher's accepted codings
# Here a reviewer's decisions are *simulated*: the first 800 segments' rule codings, rolled up to
# themes, are taken as reviewed. The classifier learns from the accepted ones:

# %%
first = set(segments["segment_id"].head(800))
reviewed = result.codings[result.codings["segment_id"].isin(first)].assign(method="manual", status="accepted")
texts, Y = training_data(reviewed, result.segments, result.codebook, level="theme")
Y = Y[[c for c in Y.columns if Y[c].sum() >= 15]]
model = ThemeClassifier(cv=3, random_state=0).fit(texts, Y)
sorted(Y.columns)

# %%
# NBVAL_IGNORE_OUTPUT
model.cv_report_.round(2)

# %%
rest = segments[~segments["segment_id"].isin(first)].reset_index(drop=True)
pred = model.predict(rest[["text"]])
truth = (pd.crosstab(result.codings["segment_id"], result.codings["code_id"].map(theme_of(result.codebook)))
         .clip(upper=1).reindex(rest["segment_id"], fill_value=0)[pred.columns].to_numpy())
tp = (pred.to_numpy() & truth).sum()
micro_f1 = 2 * tp / (pred.to_numpy().sum() + truth.sum())
micro_f1 > 0.8

# %% [markdown]
# A fitted model can be kept and reused. `save` writes it with the package version and a hash of the
# codebook its labels came from; `load` warns when the version differs and refuses a codebook that
# lacks a theme the model predicts (a model file is a pickle: load only your own):

# %%
path = model.save(folder / "themes.joblib", codebook=result.codebook)
again = ThemeClassifier.load(path, codebook=result.codebook)
again.predict(rest[["text"]]).equals(pred)

# %% [markdown]
# ## Active learning: what to review next
# The model's least certain decisions, rare themes first, go into the review queue as suggestions
# (`method="model"`), where the `ReviewWidget` shows them:

# %%
suggestions = suggest_for_review(model, segments, n=30, exclude=first)
project.add_codings(suggestions)
queue = project.review_queue("alice", method="model", uncertain_first=True)
len(queue), set(queue["method"])

# %%
# NBVAL_IGNORE_OUTPUT
ReviewWidget(project, coder="alice", method="model", uncertain_first=True)

# %% [markdown]
# ## Sentiment
# The default needs no training; the trained mode learns from labels (here the question each comment
# answered, as weak labels: "What was good?" positive, "What could be improved?" negative):

# %%
default = SentimentClassifier().fit()
default.predict(["Every nurse was kind", "I waited weeks for results, the delay was awful",
                 "The appointment was on Tuesday"])

# %%
survey = result.segments[result.segments["question_id"].isin(["good", "improve"])].reset_index(drop=True)
weak = np.where(survey["question_id"] == "good", "positive", "negative")
half = np.random.default_rng(0).random(len(survey)) < 0.5
trained = SentimentClassifier(method="trained").fit(survey.loc[half, ["text"]], weak[half])
accuracy = (trained.predict(survey.loc[~half, ["text"]])["sentiment"].to_numpy() == weak[~half]).mean()
accuracy > 0.9

# %%
SentimentClassifier(scale=5).fit().predict(["Absolutely wonderful, amazing staff", "Rude and dismissive"])
