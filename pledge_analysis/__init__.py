"""pledge_analysis: from Service Pledge feedback to prioritised improvement areas.

The public API is re-exported here and loaded lazily, so ``import pledge_analysis`` stays
fast (no spaCy, torch or BERTopic at import time)::

    import pledge_analysis as pa
    pa.validate_project("data_samples").ok           # True: files, cross-checks and a dry read
    result = pa.run_project("data_samples")          # ingest, de-identify, code, score, prioritise
    result.priorities.query("scope == 'secondary'")  # ranked improvement areas for one group
    pa.redact("Sister Jane Okafor was lovely").text  # 'Sister [PERSON] was lovely'
    pa.write_outputs(result, "out")                   # report.html, CSVs, action_plan.xlsx ...
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    # errors
    "PledgeError": "errors", "InputError": "errors", "ConfigError": "errors", "CodebookError": "errors",
    "ProjectStoreError": "errors", "MissingFileError": "errors", "MissingColumnError": "errors",
    "EmptyInputError": "errors", "TranscriptFormatError": "errors", "ModelUnavailableError": "errors",
    "ProjectFileError": "errors", "Problem": "errors", "OutputError": "errors", "UnsafeInputError": "errors",
    "NotFittedError": "errors", "TableContractError": "errors",
    # project files, ingest and store
    "ProjectConfig": "config", "read_survey": "io", "read_transcript": "io", "load_questions": "io",
    "Project": "project", "validate_project": "validate", "init_project": "scaffold",
    # text
    "load_nlp": "text.nlp", "build_nlp": "text.nlp", "redact": "text.deidentify", "redact_frame": "text.deidentify",
    "least_certain": "text.deidentify",
    # coding
    "read_codebook": "coding.codebook", "write_codebook": "coding.codebook", "code_segments": "coding.rules",
    "SentimentClassifier": "coding.sentiment", "coded_units": "coding.themes", "summarise_themes": "coding.themes",
    "ThemeClassifier": "coding.classifier", "TopicExplorer": "coding.topics", "embed": "coding.embeddings",
    "krippendorff_alpha": "coding.agreement", "ReviewWidget": "coding.review",
    # survey
    "wilson_ci": "survey.scoring", "score_responses": "survey.scoring", "score_questions": "survey.scoring",
    "read_national": "survey.scoring", "compare_to_benchmark": "survey.scoring",
    # evidence to action
    "prioritise": "priorities", "draft_action_plan": "pledge", "write_action_plan_xlsx": "pledge",
    "run_project": "pipeline", "write_outputs": "pipeline", "write_report": "report",
    # national scale (`pledge-analysis code`)
    "code_comments": "engine",
}
__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pledge_analysis' has no attribute {name!r}")


def __dir__():
    return __all__
