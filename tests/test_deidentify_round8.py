"""De-identification, eighth round (issue 14): the kinds of miss and false name the v6 set showed.

Sentences written for these tests (not taken from v6 or any labelled set): lower-case names next to a cue, virtue
and word names after a role or a title, nicknames, text-message cues, whole names and numbers (no initial, first
name or country code left in place), and eponyms and royal hospital names that are no person.
"""
from __future__ import annotations

import pytest

from pledge_analysis.text import redact
from pledge_analysis.text.phones import phone_spans


@pytest.mark.parametrize("text, expected", [
    ("ilse on the day unit was so patient with me", "[PERSON] on the day unit was so patient with me"),
    ("i asked professor lindqvist about the trial", "i asked professor [PERSON] about the trial"),
    ("big thanks to oyelowo and ilse for staying late", "big thanks to [PERSON] and [PERSON] for staying late"),
    ("can someone let wanjiru know i called", "can someone let [PERSON] know i called"),
    ("hi its Tomasz here, running late", "hi its [PERSON] here, running late"),
    ("Amaru from the lymphoedema clinic phoned me", "[PERSON] from the lymphoedema clinic phoned me"),
])
def test_lower_case_names_and_names_next_to_a_cue_are_redacted(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text, expected", [
    ("My nurse, Blessing, sat with me for an hour.", "My nurse, [PERSON], sat with me for an hour."),
    ("Sister Mercy made the ward feel calm.", "Sister [PERSON] made the ward feel calm."),
    ("Nurse Memory rang me after the scan.", "Nurse [PERSON] rang me after the scan."),
    ("Thanks to Ayodele and Comfort for everything.", "Thanks to [PERSON] and [PERSON] for everything."),
    ("It was a comfort to have my sister there.", "It was a comfort to have my sister there."),
])
def test_virtue_names_in_a_name_slot_are_redacted_and_the_words_elsewhere_are_not(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text, expected", [
    ("The lads call him Spud and he made me laugh on every visit.",
     "The lads call him [PERSON] and he made me laugh on every visit."),
    ("She is known as Tilly on the ward.", "She is known as [PERSON] on the ward."),
    ("Moggy the porter was a star.", "[PERSON] the porter was a star."),
    ("msg from Ilse Vandermeer: can't come today", "msg from [PERSON]: can't come today"),
    ("Handover from Oyelowo said I could go home.", "Handover from [PERSON] said I could go home."),
])
def test_nicknames_and_message_cues_are_redacted(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text, expected", [
    ("The form was signed by R T Oyelaran on the day.", "The form was signed by [PERSON] on the day."),
    ("Please thank K-L. Andersson for me.", "Please thank [PERSON] for me."),
    ("My consultant was Tomasz A. Wiśniewski.", "My consultant was [PERSON]."),
    ("Thanks to A K Mwangi for the scan.", "Thanks to [PERSON] for the scan."),
    ("Dr Joaquín Alvarado Ruiz was brilliant.", "Dr [PERSON] was brilliant."),
])
def test_the_whole_name_is_redacted_with_its_initials_and_parts(text, expected):
    assert redact(text).text == expected


def test_a_weekday_before_a_name_is_not_taken_into_it():
    assert redact("On Sunday Jane Okafor came to see me.").text == "On Sunday [PERSON] came to see me."


@pytest.mark.parametrize("text, number", [
    ("My sister abroad is on +351 (0)21 234 5678 most evenings.", "+351 (0)21 234 5678"),
    ("Ring tel:+44-7700-900123 to rebook.", "tel:+44-7700-900123"),
    ("My son in Berlin is on 01577 1234567 if I am out.", "01577 1234567"),
    ("The number on the card (07700900456) never answers.", "07700900456"),
])
def test_the_whole_phone_number_is_found_as_written(text, number):
    assert [text[s:e] for s, e, _ in phone_spans(text)] == [number]


def test_a_long_number_keeps_its_own_edges():
    text = "Bed 012 then call 7700900461 please"
    assert [text[s:e] for s, e, _ in phone_spans(text)] == ["7700900461"]


@pytest.mark.parametrize("text", [
    "My Becker implant was replaced last year.",
    "Raynaud's makes my fingers go white in the cold.",
    "I had a Hickman line put in before chemo.",
    "The Queen Elizabeth lost my referral twice.",
    "I was moved to King George for the surgery.",
    "Crohn's and the chemo together were hard.",
])
def test_eponyms_and_royal_hospital_names_are_not_names(text):
    assert redact(text).spans == []


def test_a_surname_stays_a_name_after_a_title_even_before_its_eponym():
    assert redact("Mr Paget explained Paget's disease to me.").text == "Mr [PERSON] explained Paget's disease to me."
    assert redact("Dr Becker's clinic was lovely.").text == "Dr [PERSON]'s clinic was lovely."


@pytest.mark.parametrize("text, expected", [
    ("Please thank Anselm, Wanjiru, Patience, Ilse and the whole team.",
     "Please thank [PERSON], [PERSON], [PERSON], [PERSON] and the whole team."),
    ("Love to Ilse / Mercy / Tomasz on the ward!", "Love to [PERSON] / [PERSON] / [PERSON] on the ward!"),
    ("Nurses Oyelowo, Wanjiru and Blessing on days were kind.",
     "Nurses [PERSON], [PERSON] and [PERSON] on days were kind."),
    ("So grateful to Anselm and Wanjiru in outpatients.", "So grateful to [PERSON] and [PERSON] in outpatients."),
    ("thx Tomasz 4 the lift!!", "thx [PERSON] 4 the lift!!"),
    ("Mercy, thank you for holding my hand.", "[PERSON], thank you for holding my hand."),
    ("Why was Wanjiru on the phone line so short with me?", "Why was [PERSON] on the phone line so short with me?"),
    ("Oyelowo on Lister Ward gave me my injection.", "[PERSON] on Lister Ward gave me my injection."),
])
def test_names_in_lists_after_plural_roles_and_in_text_speak_are_redacted(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text", [
    "I came in on Monday, Tuesday and Friday.",
    "Macmillan, Maggie's and the NHS all helped.",
    "Christmas on Lister Ward was quiet.",
])
def test_lists_of_days_and_charities_are_not_names(text):
    assert redact(text).spans == []


def test_an_allowed_weekday_opening_a_name_leaves_the_rest_of_the_name_redacted():
    assert redact("My aunt, Sunday Okafor Mensah, came with me.").text == "My aunt, Sunday [PERSON], came with me."
    assert redact("I was referred as part of Long Covid recovery.").spans == []


@pytest.mark.parametrize("text, expected", [
    ("please thank ingrid zu solms for me", "please thank [PERSON] for me"),
    ("Mrs zu Solms rang me back.", "Mrs [PERSON] rang me back."),
])
def test_surname_particles_in_any_case_stay_inside_the_name(text, expected):
    assert redact(text).text == expected
