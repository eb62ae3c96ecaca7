"""Readers and writers: survey exports, transcripts, codebooks and office files."""
from .files import read_text_file
from .surveys import Ingested, load_questions, read_survey
from .transcripts import read_transcript

__all__ = ["Ingested", "load_questions", "read_survey", "read_transcript", "read_text_file"]
