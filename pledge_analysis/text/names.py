"""Name gazetteers and a common-word filter, built from installed packages' data.

First names and surnames come from Faker's person providers (a well-kept package): every
person locale it ships (about 80, from Yoruba, Igbo, Hausa, Twi, Swahili and Zulu to Tamil,
Bengali, Vietnamese and Icelandic), in Latin script, plus the romanised Chinese and Japanese
lists and the Cyrillic lists (Russian, Ukrainian, Bulgarian ...) transliterated to Latin. Whether a
word is *also* a common English word ("Grace", "Hope", "Will") comes from the word
probabilities in spacy-lookups-data: such words need stronger evidence (a title or a
context such as "my nurse ...") before they are treated as names.
"""
from __future__ import annotations

import gzip
import importlib
import json
from functools import lru_cache
from pathlib import Path

def _locales() -> list[str]:
    """Every person locale Faker ships (Latin-script names are kept from each)."""
    import pkgutil

    import faker.providers.person as person

    return sorted(m.name for m in pkgutil.iter_modules(person.__path__))
#: Log-probability above which a lower-cased word counts as common English.
COMMON_LOGPROB = -12.5


def _words(values) -> set[str]:
    if isinstance(values, dict):
        values = values.keys()
    if not isinstance(values, (list, tuple, set, frozenset, type({}.keys()))):
        return set()  # some locales compute names in a property
    return {v.lower() for v in values if isinstance(v, str) and v.replace("-", "").replace("'", "").isalpha()
            and all(ord(c) < 0x250 for c in v)}  # Latin script only


_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g"]))


def _latin(values) -> list[str]:
    """Cyrillic names transliterated to Latin ("Крылова" -> "krylova"); other scripts give nothing."""
    if isinstance(values, dict):
        values = values.keys()
    if not isinstance(values, (list, tuple, set, frozenset, type({}.keys()))):
        return []
    out = []
    for v in values:
        if isinstance(v, str) and v and all(c.lower() in _CYRILLIC or c in "-'" for c in v):
            out.append("".join(_CYRILLIC.get(c.lower(), c) for c in v))
    return out


#: British short forms of given names that Faker's lists lack ("a letter from Win", "Mags on reception").
SHORT_FORMS = frozenset("win wyn viv mags jen steph kath babs gill debs nic tash di mo bev".split())


@lru_cache(maxsize=1)
def gazetteers() -> tuple[frozenset[str], frozenset[str]]:
    """``(first_names, surnames)``, lower-cased."""
    first, last = set(), set()
    for loc in _locales():
        try:
            provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:  # a locale missing from an older Faker
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_romanized_names"):
            first |= _words(getattr(provider, attr, ())) | _words(_latin(getattr(provider, attr, ())))
        for attr in ("last_names", "last_romanized_names", "last_names_male", "last_names_female"):
            last |= _words(getattr(provider, attr, ())) | _words(_latin(getattr(provider, attr, ())))
    return frozenset(first | SHORT_FORMS), frozenset(last)


@lru_cache(maxsize=1)
def _probabilities() -> dict[str, float]:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-cased English words more frequent than :data:`COMMON_LOGPROB`."""
    return frozenset(w for w, p in _probabilities().items() if p > COMMON_LOGPROB and w.isalpha())


def known_word(word: str) -> bool:
    """Whether ``word`` (lower case) is in spaCy's English lexicon at all, however rare."""
    return word in _probabilities()


#: Log-probability below which a word is rare enough in English to be a name in a name slot.
RARE_LOGPROB = -16.5
#: Endings of English and medical words: a rare word ending so is a term or a misspelling, not a name.
#: (Not "-ing", "-ed", "-er" or "-al": Xiaoling, Ahmed, Brandauer and Kajal end so.)
ENGLISH_ENDINGS = ("ly", "tion", "sion", "ment", "ness", "ised", "ized", "ising", "izing", "ated", "ating", "ful",
                   "able", "ible", "ous", "ive", "ship", "ologist", "ologists", "ology", "ectomy", "otomy", "ostomy",
                   "scopy", "gram", "graphy", "itis", "oma", "therapy", "ician", "iatrist", "ness", "less")


def rare_word(word: str) -> bool:
    """Whether ``word`` (lower case) is unknown to English or rarer than :data:`RARE_LOGPROB`, and does not
    end like an English or medical word ("lumpectomy", "catheterised"): evidence, in a name slot, of a name.

    >>> rare_word("boateng"), rare_word("mastectomy"), rare_word("wing")
    (True, False, False)
    """
    return _probabilities().get(word, -99.0) < RARE_LOGPROB and not word.endswith(ENGLISH_ENDINGS)


@lru_cache(maxsize=1)
def uk_places() -> frozenset[str]:
    """Lower-cased names of UK towns and cities: the areas of UK telephone exchanges in libphonenumber's
    geocoding data (``phonenumbers``, already a dependency), split at "/" and without their "(...)" notes
    ("Louth/Alford (Lincs)" -> "louth", "alford"); about 660 names such as "nottingham", "kings lynn".

    >>> "chelmsford" in uk_places(), "melton mowbray" in uk_places(), "natasha" in uk_places()
    (True, True, False)
    """
    import re

    from phonenumbers.geodata import GEOCODE_DATA

    out = set()
    for prefix, names in GEOCODE_DATA.items():
        if not prefix.startswith("44") or "en" not in names:
            continue
        for part in re.sub(r"\([^)]*\)", "/", names["en"]).split("/"):
            part = " ".join(part.replace("’", "'").split()).lower()
            if part:
                out.add(part)
                out.add(part.replace("'", ""))
    return frozenset(out)
