"""Coding: codebook, rule coder, sentiment and theme summaries."""
from .codebook import codebook_from_records, read_codebook, theme_of, validate_codebook, write_codebook
from .rules import add_theme_ruler, code_segments
from .sentiment import SentimentClassifier, score_segments
from .themes import coded_units, summarise_themes

__all__ = ["SentimentClassifier", "add_theme_ruler", "code_segments", "codebook_from_records", "coded_units",
           "read_codebook", "score_segments", "summarise_themes", "theme_of", "validate_codebook", "write_codebook"]
