"""Survey statistics: pure functions, long data in, one tidy row per estimate out.

Proportions are fractions in [0, 1]; percentages appear only in displays and CPES-layout files.
One suppression rule (:mod:`.suppression`, fewer than 21 respondents by default) applies to
every estimate shown or used.
"""
from .adjust import casemix_adjust, key_drivers, relative_weights, respondent_matrix
from .comparisons import benjamini_hochberg, compare, holm, two_proportions
from .cpes import cpes_flags, unrounded_from_wilson
from .funnels import dispersion, expected_range, funnel, funnel_limits
from .national import benchmark_rows, select, trust_funnel
from .scoring import compare_to_benchmark, read_national, score_questions, score_responses, wilson_ci
from .spc import CollapsedLimitsWarning, ShortSeriesWarning, xmr
from .suppression import MIN_N, is_suppressed

__all__ = ["MIN_N", "CollapsedLimitsWarning", "ShortSeriesWarning", "benchmark_rows", "benjamini_hochberg", "casemix_adjust", "compare",
           "compare_to_benchmark", "cpes_flags", "dispersion", "expected_range", "funnel", "funnel_limits", "holm",
           "is_suppressed", "key_drivers", "read_national", "relative_weights", "respondent_matrix", "score_questions",
           "score_responses", "select", "trust_funnel", "two_proportions", "unrounded_from_wilson", "wilson_ci", "xmr"]
