"""The package's spaCy components, registered once, at import, under versioned names.

spaCy finds a component in a saved pipeline by its factory name. This module registers:

- ``pledge_theme_ruler_v1`` (:class:`~pledge_analysis.coding.rules.ThemeRuler`): codebook keywords
  as ``doc._.pledge_codes``; settings ``negations`` and ``negation_window`` in the pipeline's config,
  patterns saved with the pipeline (``patterns.jsonl`` in its folder);
- ``pledge_deidentify_v1`` (:class:`~pledge_analysis.text.deidentify.DeidentifyComponent`): identifiers
  as ``doc.spans["pledge_pii"]`` (and exactly, with scores, as ``doc._.pledge_pii``; the recognizer of each
  as ``doc._.pledge_pii_recognizers``); settings ``labels``, ``allow``, ``deny``, ``use_entities`` in the config.

The unversioned names ``pledge_theme_ruler`` and ``pledge_deidentify`` stay registered as aliases of
version 1 (older code and notebooks use them). The package declares this module under the
``spacy_factories`` entry point (pyproject.toml), so ``spacy.load()`` of a pipeline saved with
these components works in a fresh Python process without importing ``pledge_analysis`` first.

>>> import spacy
>>> from pledge_analysis.coding.codebook import codebook_from_records
>>> from pledge_analysis.coding.rules import patterns_from_codebook
>>> nlp = spacy.blank("en")
>>> ruler = nlp.add_pipe("pledge_theme_ruler_v1", config={"negation_window": 2})
>>> cb = codebook_from_records([{"id": "waiting", "name": "Waiting", "keywords": ["wait"]}])
>>> ruler.add_patterns(patterns_from_codebook(cb, nlp))
>>> nlp("We never waited long")._.pledge_codes
[(9, 15, 'waiting', 'waited', True)]
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..coding.rules import NEGATION_WINDOW, NEGATIONS, ThemeRuler

THEME_RULER_FACTORY = "pledge_theme_ruler_v1"
DEIDENTIFY_FACTORY = "pledge_deidentify_v1"

if not Doc.has_extension("pledge_codes"):
    Doc.set_extension("pledge_codes", default=None)
if not Doc.has_extension("pledge_pii"):
    Doc.set_extension("pledge_pii", default=None)
if not Doc.has_extension("pledge_pii_recognizers"):
    Doc.set_extension("pledge_pii_recognizers", default=None)


@Language.factory(THEME_RULER_FACTORY, assigns=["doc._.pledge_codes"],
                  default_config={"negations": sorted(NEGATIONS), "negation_window": NEGATION_WINDOW})
def make_theme_ruler(nlp: Language, name: str, negations: list[str], negation_window: int) -> ThemeRuler:
    """Factory of ``pledge_theme_ruler_v1``: an empty ruler; add patterns with ``add_patterns``."""
    return ThemeRuler(nlp, name, negations=negations, negation_window=negation_window)


@Language.factory(DEIDENTIFY_FACTORY, assigns=["doc.spans", "doc._.pledge_pii", "doc._.pledge_pii_recognizers"],
                  default_config={"labels": None, "allow": [], "deny": [], "use_entities": True})
def make_deidentifier(nlp: Language, name: str, labels, allow: list[str], deny: list[str], use_entities: bool):
    """Factory of ``pledge_deidentify_v1`` (the de-identifier's recognisers as a spaCy component)."""
    from .deidentify import DeidentifyComponent

    return DeidentifyComponent(nlp, name, labels, allow, deny, use_entities)


# the unversioned names of earlier releases: aliases of version 1 (same function, same settings)
Language.factory("pledge_theme_ruler", func=make_theme_ruler, assigns=["doc._.pledge_codes"],
                 default_config={"negations": sorted(NEGATIONS), "negation_window": NEGATION_WINDOW})
Language.factory("pledge_deidentify", func=make_deidentifier,
                 assigns=["doc.spans", "doc._.pledge_pii", "doc._.pledge_pii_recognizers"],
                 default_config={"labels": None, "allow": [], "deny": [], "use_entities": True})
