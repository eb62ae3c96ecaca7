# %% [markdown]
# # 01 · Ingest and de-identify
#
# Patient text must be safe before anything else touches it. This notebook reads the sample
# project, shows what was set aside, de-identifies every comment and transcript turn, reviews
# what was redacted (without revealing it), and shows how to tune the allow and deny lists.
# It ends by *measuring* the de-identifier on a labelled evaluation set.

# %%
import pandas as pd
import pledge_analysis as pa
from pledge_analysis.pipeline import ingest
from pledge_analysis.text.deidentify import counts_by_source, least_certain
from pledge_analysis.text.evaluation import evaluate, load_jsonl_set

pd.set_option("display.max_colwidth", 100)
cfg = pa.ProjectConfig.load("../data_samples")
data = ingest(cfg, pa.load_questions(cfg.questions))
len(data.respondents), len(data.responses), len(data.segments)

# %% [markdown]
# ## Every row is accounted for
# Survey files in three encodings and one Excel workbook, 12 transcripts in `.txt`, `.docx` and WebVTT:

# %%
pd.DataFrame(data.sources)[["source_id", "kind", "rows_read", "respondents_kept"]]

# %%
data.set_aside.reason.value_counts()

# %% [markdown]
# Transcripts keep speakers, roles and (for WebVTT) timestamps:

# %%
data.segments.query("source_type == 'focus_group'")[["source_id", "speaker", "role", "timestamp", "text"]].head(4)

# %% [markdown]
# ## Redact one text
# `redact` returns the redacted text and the spans it found, in the original text's offsets:

# %%
r = pa.redact("Sister Jane Okafor was wonderful. Ring me on 07700 900461, NHS number 943 476 5919.")
r.text, r.spans

# %%
pa.redact("Dr Hughes and Nurse Okafor; later Dr Hughes again", pseudonyms=True).text

# %% [markdown]
# ## Redact the whole project
# The review table shows each redaction in a snippet of the *redacted* text, never the original value:

# %%
allow = cfg.deidentify.get("allow", [])
segments, review = pa.redact_frame(data.segments, allow=allow)
review.label.value_counts()

# %%
review[["label", "placeholder", "context"]].head(8)

# %% [markdown]
# ## The least certain first
# Every redaction has the recognizer's `confidence` (0-1). A reviewer checks the lowest first:
# names found only by weak context (a lower-case pair, a word between commas) before a title + surname
# or a valid phone number. Counts per source show where the identifiers are.

# %%
least_certain(review, 8)[["source", "label", "placeholder", "confidence", "context"]]

# %%
pd.DataFrame(counts_by_source(review)).T.fillna(0).astype(int).head(8)

# %% [markdown]
# ## Tuning: allow and deny lists
# Role words and services stay by default (Breast Care Nurse, Macmillan, Open Access, drug names,
# days and months), and so do places named like people when a place word follows ("Cherry Ward",
# "Park House"). Add other ward or service names to `allow`, and the hospital's staff list to `deny`:

# %%
text = "Lavender Hill was calm. Okonjo checked my wound every day."
pd.DataFrame({
    "default": [pa.redact(text).text],
    "allow Lavender Hill": [pa.redact(text, allow=["Lavender Hill"]).text],
    "+ deny Okonjo": [pa.redact(text, allow=["Lavender Hill"], deny=["Okonjo"]).text],
}).T

# %% [markdown]
# ## Measured, not assumed
# Precision and recall per label on the frozen held-out set v5 (`benchmarks/data/deid_heldout_v5.jsonl`:
# 1,000 synthetic items written and committed before the recognizers were last changed (the statistical
# name recognizer), never used for tuning; comments of 1-4 clauses from text messages, rambling comments,
# lists of names, carers and relatives, formal letters, names from 12 naming-culture groups, phone numbers
# of 17 countries, hard negatives), with the default recognizers (rules + name model). Names still missed
# are why a reviewer reads the least certain redactions. `benchmarks/deidentify_benchmark.py` prints every
# set with and without the name model, the hand-labelled real comments and the throughput; the README has
# the figures.

# %%
evaluate(load_jsonl_set("../benchmarks/data/deid_heldout_v5.jsonl")).query("support > 0")
