# %% [markdown]
# # 02 · Codebook and rule coding
#
# A hierarchical codebook (themes and sub-codes, with definitions, include/exclude criteria, keywords,
# colours and the survey items that measure the same theme), the edits a researcher needs, rule coding
# with the `pledge_theme_ruler` spaCy component, the queries CAQDAS tools offer, and exchange with
# NVivo, ATLAS.ti, MAXQDA and QualCoder through REFI-QDA.

# %%
import tempfile
from pathlib import Path
import pandas as pd
import pledge_analysis as pa
from pledge_analysis import plots
from pledge_analysis.coding import add_theme_ruler, code_segments, theme_of
from pledge_analysis.coding import codebook_ops as ops
from pledge_analysis.coding import queries
from pledge_analysis.io import refi
from pledge_analysis.text import build_nlp

pd.set_option("display.max_colwidth", 90)
codebook = pa.read_codebook("../data_samples/codebook.yaml")
codebook[["code_id", "name", "parent_id", "keywords", "survey_items"]].head(8)

# %% [markdown]
# ## Validation and edits
# Duplicate ids, unknown parents and cycles are refused with a clear message. Edits return new tables;
# merging moves the merged code's codings too:

# %%
try:
    ops.move_code(codebook, "support", "support.hna")
except pa.CodebookError as e:
    print(e)

# %%
cb = ops.add_code(codebook, "transport", "Transport to appointments", keywords=["bus", "taxi", "travel"])
cb = ops.rename_code(cb, "transport", "Travel and transport")
cb, _ = ops.merge_codes(cb, None, "communication.phone", into="communication")
cb[cb.code_id.isin(["transport", "communication"])][["code_id", "name", "keywords"]]

# %% [markdown]
# ## The rule coder inside spaCy
# Keywords match any inflection ("waited", "waiting" and "wait") on lower-cased text, phrases match
# as sequences, and a negation cue shortly before is recorded:

# %%
nlp = build_nlp()
add_theme_ruler(nlp, codebook)
doc = nlp("I waited hours for my results. There were no problems with parking.")
[(code, text, negated) for _s, _e, code, text, negated in doc._.pledge_codes]

# %%
result = pa.run_project("../data_samples")
codings = result.codings
codings[["segment_id", "code_id", "method", "status", "confidence", "start", "end", "evidence", "negated"]].head()

# %% [markdown]
# ## Queries
# Frequencies by group, co-occurrence, matrix coding with an example quote, and retrieval with context:

# %%
freq = queries.code_frequencies(codings, result.segments, by=["group"], codebook=codebook, level="theme")
freq.pivot(index="code_id", columns="group", values="n_segments")

# %%
# NBVAL_IGNORE_OUTPUT
plots.cooccurrence_heatmap(queries.cooccurrence(codings, result.segments, codebook=codebook, level="theme"))

# %%
queries.matrix_coding(codings, result.segments, "group", codebook=codebook, level="theme").query("code_id == 'parity'")

# %%
queries.retrieve(codings, result.segments, "support.hna", codebook=codebook)[["coded_text", "speaker", "site", "before"]].head(4)

# %% [markdown]
# ## Exchange with NVivo, ATLAS.ti, MAXQDA, QualCoder
# A `.qdpx` project (sources, codes with hierarchy, colours and definitions, reviewed codings with their coders
# and dates, respondents and participants as cases linked to their text, memos as notes) and a `.qdc` codebook;
# both validate against the REFI-QDA 1.0 schemas (see the tests). Unreviewed suggestions travel only when asked
# (`include_suggestions=True`), as codings of separate "(suggested)" codes under "Suggested by pledge_analysis
# (not reviewed)", never as codings of the codes themselves. Our own importer reads the project back without loss
# (its companion file `pledge_analysis.json` carries what the standard has no place for):

# %%
folder = Path(tempfile.mkdtemp())
refi.write_project_qdpx(folder / "sample.qdpx", segments=result.segments, codebook=codebook, codings=codings,
                        respondents=result.respondents, name="Service Pledge sample",
                        include_suggestions=True)  # none is reviewed yet: the suggestions go in their own codes
refi.write_codebook_qdc(codebook, folder / "codebook.qdc")
back = refi.read_project_qdpx(folder / "sample.qdpx")
{name: len(table) for name, table in back.items()}

# %%
queries.quotes_table(codings, result.segments, codebook).head(3)
