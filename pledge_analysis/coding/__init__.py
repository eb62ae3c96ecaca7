"""Coding: codebook, rule coder, review, reliability, queries, embeddings, topics, classifiers, sentiment."""
from .agreement import agreed_codings, coding_agreement, cohen_kappa, disagreements, krippendorff_alpha
from .classifier import ThemeClassifier, model_codings, suggest_for_review, training_data
from .codebook import codebook_from_records, read_codebook, theme_of, validate_codebook, write_codebook
from .embeddings import embed
from .rules import add_theme_ruler, code_segments
from .sentiment import SentimentClassifier, score_segments
from .themes import coded_units, summarise_themes
from .topics import TopicExplorer, accept_proposals

__all__ = ["SentimentClassifier", "ThemeClassifier", "TopicExplorer", "accept_proposals", "add_theme_ruler",
           "agreed_codings", "code_segments", "codebook_from_records", "coded_units", "coding_agreement", "cohen_kappa",
           "disagreements", "embed", "krippendorff_alpha", "model_codings", "read_codebook", "score_segments",
           "suggest_for_review", "summarise_themes", "theme_of", "training_data", "validate_codebook", "write_codebook"]
