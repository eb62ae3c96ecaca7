# %% [markdown]
# # 03 · Human review and reliability
#
# Researchers review the machine's suggestions in JupyterLab: the `ReviewWidget` shows one suggestion
# at a time with its context and the evidence highlighted; Accept / Reject / add a code / memo go to the
# project store at once. Two coders can review the same segments blind to each other. Then: agreement
# per code and overall (Cohen's kappa, Krippendorff's alpha, percent agreement) at segment and
# character level, the disagreements to discuss, and a merged "agreed" coding.

# %%
import tempfile
from pathlib import Path
import numpy as np
import pandas as pd
import pledge_analysis as pa
from pledge_analysis.coding import agreement
from pledge_analysis.coding.review import ReviewWidget

pd.set_option("display.max_colwidth", 90)
folder = Path(tempfile.mkdtemp())
result = pa.run_project("../data_samples", store=folder / "project.sqlite")
project = pa.Project.open(folder / "project.sqlite")
len(project.codings()), project.schema_version

# %% [markdown]
# ## The review app
# Run this cell in JupyterLab to review. Keys: hold the pointer over the comment box and press `a` (accept), `r` (reject), `n`/`j` (next), `p`/`k` (previous) or `u` (undo the last decision); the same letters typed in the Keys box and Enter work too. A decision that cannot be saved says so in red under the widget.

# %%
# NBVAL_IGNORE_OUTPUT
alice = ReviewWidget(project, coder="alice", group="secondary")
alice

# %% [markdown]
# ## Two coders, blind
# Here the two coders' decisions are *simulated* (seeded) so the notebook runs unattended: both review
# the first 60 suggestions for secondary patients; Alice accepts keyword matches unless a negation cue
# is near, Bob does the same but disagrees on a random fifth. Each sees only their own decisions.

# %%
bob = ReviewWidget(project, coder="bob", group="secondary")
rng = np.random.default_rng(0)
for _ in range(60):
    r = alice.current
    alice.decide("rejected" if r["negated"] in (1, True) else "accepted")
    flip = rng.random() < 0.2
    r = bob.current
    ok = not (r["negated"] in (1, True))
    bob.decide("accepted" if ok != flip else "rejected")
decisions = project.codings(method="manual")
decisions.groupby(["coder", "status"]).size()

# %% [markdown]
# ## Agreement per code and overall
# Segment level (did the coder apply the code to the segment?) and character level (to this character?):

# %%
reviewed = sorted(set(decisions.segment_id))
agree = agreement.coding_agreement(decisions, result.segments, coders=["alice", "bob"], segment_ids=reviewed)
agree.query("code_id == '(overall)' or code_id in ['information', 'support.referral']").round(3)

# %% [markdown]
# ## Disagreements to discuss, and the agreed coding

# %%
agreement.disagreements(decisions, result.segments, coders=["alice", "bob"], segment_ids=reviewed).head(5)

# %%
agreed = agreement.agreed_codings(decisions, coders=["alice", "bob"], min_coders=2)
len(agreed), agreed[["segment_id", "code_id", "coder", "confidence"]].head(3)

# %% [markdown]
# ## Checked against the literature
# Krippendorff's own worked example (4 observers × 12 units) gives nominal alpha = 0.743:

# %%
nan = np.nan
example = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
           [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
{level: round(agreement.krippendorff_alpha(example, level), 3) for level in agreement.LEVELS}
