"""Survey statistics: scoring, intervals and benchmarks (pure functions, tidy tables)."""
from .scoring import MIN_N, compare_to_benchmark, read_national, score_questions, score_responses, wilson_ci

__all__ = ["MIN_N", "compare_to_benchmark", "read_national", "score_questions", "score_responses", "wilson_ci"]
