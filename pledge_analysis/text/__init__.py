"""Text: the spaCy pipeline, de-identification and segmentation helpers."""
from .deidentify import LABELS, Redaction, find_identifiers, least_certain, redact, redact_frame
from .nlp import build_nlp, load_nlp, sentences

__all__ = ["LABELS", "Redaction", "build_nlp", "find_identifiers", "least_certain", "load_nlp", "redact", "redact_frame",
           "sentences"]
