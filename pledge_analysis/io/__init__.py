"""Readers and writers: survey exports, transcripts, codebooks and office files."""
from .files import Table, read_table, read_text_file
from .surveys import Ingested, accounting, is_row_set_aside, load_prompt_polarity, load_questions, read_survey
from .transcripts import read_transcript

__all__ = ["Ingested", "Table", "accounting", "is_row_set_aside", "load_prompt_polarity", "load_questions",
           "read_survey", "read_table", "read_transcript", "read_text_file"]
