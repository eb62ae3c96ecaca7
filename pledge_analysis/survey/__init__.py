"""Survey statistics: pure functions, long data in, one tidy row per estimate out.

Proportions are fractions in [0, 1]; percentages appear only in displays and CPES-layout files.
"""
from .adjust import casemix_adjust, key_drivers, relative_weights, respondent_matrix
from .compare import benjamini_hochberg, compare, holm, two_proportions
from .funnel import dispersion, expected_range, funnel
from .national import select, trust_funnel
from .scoring import MIN_N, compare_to_benchmark, read_national, score_questions, score_responses, wilson_ci
from .spc import ShortSeriesWarning, xmr

__all__ = ["MIN_N", "ShortSeriesWarning", "benjamini_hochberg", "casemix_adjust", "compare", "compare_to_benchmark", "dispersion",
           "expected_range", "funnel", "holm", "key_drivers", "read_national", "relative_weights",
           "respondent_matrix", "score_questions", "score_responses", "select", "trust_funnel", "two_proportions",
           "wilson_ci", "xmr"]
