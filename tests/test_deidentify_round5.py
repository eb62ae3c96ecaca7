"""Issue 14, fifth round: precision of the PERSON rules on English words that are also names, places and wards;
recall in weak contexts; untitled names in Welsh and Polish comments.

Every sentence here was written for this file (none is copied from the evaluation sets or from real comments).
Each check runs with the rules alone and with the default (rules + name model), so neither can bring a false
positive back nor lose a name.
"""
from __future__ import annotations

import pytest

from pledge_analysis.text.deidentify import redact
from pledge_analysis.text.names import uk_places

WAYS = [pytest.param({"name_model": False}, id="rules"), pytest.param({}, id="rules+model")]

#: Capitalised words that are names elsewhere, used here as words, devices, brands, places or wards.
NOT_NAMES = [
    "The Holly and ivy on the ward made it feel festive.",
    "We had a Frank conversation about surgery.",
    "Siri read the letter out to me.",
    "Alexa plays music while I rest.",
    "Sandy beaches were all I thought about in chemo.",
    "A Hunter umbrella was left by the door.",
    "The clinic in Chelmsford was closed, so I went to Colchester.",
    "Buses from Chester and Wrexham were always late.",
    "Melton Mowbray has no breast clinic now.",
    "The support worker from Ashbridge was really kind.",
    "Aston is the best ward in the hospital.",
    "I was moved to Cedar 3 at midnight.",
    "I was transferred to City Edmund 2 late at night.",
    "Kisqali gave me a rash.",
    "The Florence Nightingale statue in the foyer is lovely.",
    "Luv the new chairs in the waiting room.",
    "We lived in Stanmore, then Wembley, then Harrow.",
    "I went to Boots, then Tesco.",
    "The patients on Rowan Ward Millbrook were looked after well.",
    "Hope the nurse was ok after that.", "Will you ring me back please?", "Mark my words, this needs fixing.",
    "Patience is needed in the waiting room.", "June 2021 was the worst month.", "I use Alexa for reminders.",
    "The doctor was Ghanaian and very kind.", "The nurse was Polish and kind.", "The problem was Tuesday.",
    "is it on today?", "with chemo again tomorrow", "is the ward on nights", "with everyone again today",
]

#: The same words (and names in weak contexts) where they name a person: redacted, the rest of the text kept.
NAMES = [
    ("Holly on the ward was kind.", ["Holly"]),
    ("Frank was brilliant with me.", ["Frank"]),
    ("Thanks Dawn for the tea.", ["Dawn"]),
    ("Dawn took my bloods.", ["Dawn"]),
    ("Holly the healthcare assistant was lovely.", ["Holly"]),
    ("Joy and Priya were fab.", ["Joy", "Priya"]),
    ("I saw Mark and Priya yesterday.", ["Mark", "Priya"]),
    ("Chester on reception was lovely.", ["Chester"]),
    ("I saw Sarah 2 weeks ago.", ["Sarah"]),
    ("Keith helped me a lot.", ["Keith"]),
    ("Bill the porter was kind to me.", ["Bill"]),
    ("Will was my nurse on nights.", ["Will"]),
    ("Ivy was my key worker for a year.", ["Ivy"]),
    # weak contexts
    ("Sat with Oyelaran for an hour.", ["Oyelaran"]),
    ("I owe Kalani so much.", ["Kalani"]),
    ("Please ask 4 Temitope when you ring.", ["Temitope"]),
    ("If it wasn't for Bongani I'd have given up.", ["Bongani"]),
    ("I was seen by Dr Lee and later by Oyelaran.", ["Lee", "Oyelaran"]),
    ("Where is Kalani today?", ["Kalani"]),
    ("It was Oyelaran I saw on Tuesday.", ["Oyelaran"]),
    ("Thanks to receptionist Temitope.", ["Temitope"]),
    ("Nobody told my stepdad Ikenna where I was.", ["Ikenna"]),
    ("My thanks also go to Temitope, who stayed late.", ["Temitope"]),
    ("Hi its Oyelaran from bay 4.", ["Oyelaran"]),
    ("The lady was Jackleen, thank you.", ["Jackleen"]),
    ("Her name is Oyelaran.", ["Oyelaran"]),
    ("By then Oyelaran's shift had finished.", ["Oyelaran"]),
    # lower case, in text-message shapes
    ("is hodan on today?", ["hodan"]),
    ("with tsega again tomorrow for the port flush", ["tsega"]),
    ("spoke 2 amadou earlier she says its fine", ["amadou"]),
    # lists joined by "/" or ", then" to a name
    ("Ngozi / Temitope / Bongani all made me feel safe.", ["Ngozi", "Temitope", "Bongani"]),
    ("I told it all to Dr Okafor, then Temitope, then a student.", ["Okafor", "Temitope"]),
]

#: Welsh and Polish comments: untitled given names inside a sentence are redacted, their other capitalised words
#: (places, the language's name, "Mam") kept.
FOREIGN = [
    ("Roedd Llinos yn garedig iawn.", "Roedd [PERSON] yn garedig iawn."),
    ("Roedd y nyrs, Carys, yn wych.", "Roedd y nyrs, [PERSON], yn wych."),
    ("Diolch yn fawr i Dafydd a Siân am bopeth.", "Diolch yn fawr i [PERSON] a [PERSON] am bopeth."),
    ("Bardzo dziękuję za opiekę, szczególnie Gosia była wspaniała.",
     "Bardzo dziękuję za opiekę, szczególnie [PERSON] była wspaniała."),
    ("Lekarz był miły, a Tomek z recepcji bardzo pomógł.", "Lekarz był miły, a [PERSON] z recepcji bardzo pomógł."),
    ("Mae Ysbyty Gwynedd yn bell o'n tŷ ni.", "Mae Ysbyty Gwynedd yn bell o'n tŷ ni."),
    ("Diolch i'r tîm am fod mor amyneddgar gyda Mam.", "Diolch i'r tîm am fod mor amyneddgar gyda Mam."),
    ("Roedd y gofal yn wych ac yn Gymraeg bob tro.", "Roedd y gofal yn wych ac yn Gymraeg bob tro."),
]


@pytest.mark.parametrize("kw", WAYS)
@pytest.mark.parametrize("text", NOT_NAMES)
def test_words_places_and_wards_are_not_redacted(text, kw):
    r = redact(text, **kw)
    assert r.text == text, r.text


@pytest.mark.parametrize("kw", WAYS)
@pytest.mark.parametrize("text,names", NAMES)
def test_the_same_words_and_weak_contexts_are_redacted_as_names(text, names, kw):
    r = redact(text, **kw)
    found = [text[s:e] for s, e, label in r.spans if label == "PERSON"]
    assert found == names, (found, r.text)


@pytest.mark.parametrize("kw", WAYS)
@pytest.mark.parametrize("text,expected", FOREIGN)
def test_welsh_and_polish_untitled_names(text, expected, kw):
    assert redact(text, **kw).text == expected


def test_uk_places_come_from_the_numbering_plan_data():
    places = uk_places()
    assert len(places) > 500
    assert {"nottingham", "chelmsford", "melton mowbray", "kings lynn", "alford"} <= places
    assert not {"natasha", "ward", "hospital", "alford (lincs)"} & places
