"""De-identification, seventh round (issue 14): precision and known misses found on development data only.

Sentences written for these tests (not taken from any labelled set): month names that are first names after a
title or cue ("nurse June"), a name after "a letter from", suburbs written as two capitalised words ("Beaumont
Leys"), shops and apps named after people or brands ("Lloyds pharmacy"), religious exclamations.
"""
from __future__ import annotations

import pytest

from pledge_analysis.text import redact


@pytest.mark.parametrize("text, expected", [
    ("nurse June was lovely", "nurse [PERSON] was lovely"),
    ("Dr June Patel explained everything", "Dr [PERSON] explained everything"),
    ("Sister May was kind to me", "Sister [PERSON] was kind to me"),
    ("thanks to nurse April on the ward", "thanks to nurse [PERSON] on the ward"),
    ("I got a letter from Win about the scan.", "I got a letter from [PERSON] about the scan."),
    ("We had a phone call from Grace at the hospice.", "We had a phone call from [PERSON] at the hospice."),
    ("I had to tell my story to Nalubega, then to the registrar.", "I had to tell my story to [PERSON], then to the "
                                                                    "registrar."),
    ("Nobody told my dad's carer, Ekundayo, where I was.", "Nobody told my dad's carer, [PERSON], where I was."),
])
def test_month_and_word_names_after_a_title_or_a_message_cue_are_redacted(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text", [
    "In June I had my surgery and in August the radiotherapy.",
    "May I say thank you to everyone.",
    "My appointment was moved to June 2024.",
    "April was the worst month, chemo every week.",
    "I got a letter from Macmillan about the support group.",
    "I had a call from Glenfield about the results.",
    "The receptionist at Beaumont Leys was rude.",
    "Receptionist Beaumont Leys was rude.",
    "I live in Golders Green and the journey is long.",
    "I picked up the tablets from Lloyds pharmacy.",
    "The Hollie Guard app was recommended to me.",
    "Thank you Jesus for the care I got.",
    "I told my story to Leicester and nobody listened.",
])
def test_months_places_shops_and_exclamations_are_not_names(text):
    assert redact(text).spans == []


def test_a_surname_that_is_also_a_place_word_stays_a_name_with_a_first_name():
    assert redact("Thanks to Jane Green on reception").text == "Thanks to [PERSON] on reception"
    assert redact("Dr Hill was lovely").text == "Dr [PERSON] was lovely"
