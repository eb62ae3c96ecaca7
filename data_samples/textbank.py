"""Phrase banks for the synthetic Service Pledge sample (used by generate.py only).

Every sentence here was written for this sample; none comes from a real patient.
Each theme has positive and negative sentences; ``{staff}`` and ``{phone}`` slots are
filled by the generator (planted identifiers, recorded in truth.json).
"""

POSITIVE = {
    "support.hna": [
        "My nurse sat down with me for a holistic needs assessment and it really helped.",
        "I was offered a needs assessment early on, which made me feel looked after.",
        "The concerns checklist helped me talk about things I would never have raised.",
    ],
    "support.referral": [
        "I was referred to the Macmillan centre and the support there was fantastic.",
        "The support group for women with breast cancer was a lifeline for me.",
        "I was offered counselling quickly when I was struggling.",
        "They put me in touch with a psychologist and a support group straight away.",
    ],
    "support.financial": [
        "The benefits advisor helped me claim what I was entitled to.",
        "Someone explained free prescriptions and financial help, which took a weight off.",
    ],
    "information.written": [
        "The information leaflets were clear and easy to understand.",
        "Everything was explained clearly and I was given written information to take home.",
        "I was given a folder with all the information I needed about my treatment.",
    ],
    "information.open_access": [
        "Open Access follow-up was explained well and I know exactly who to call.",
        "I like the open access system, I can get straight back in if I am worried.",
    ],
    "communication.phone": [
        "The phone appointments saved me a long journey and were on time.",
        "The telephone clinic worked well for me.",
    ],
    "communication.contact_cns": [
        "My breast care nurse always rang me back the same day.",
        "I could always get hold of the specialist nurse when I needed to.",
        "The nurses listened and answered every question I had.",
    ],
    "communication": [
        "The consultant explained my results clearly and gave me time to ask questions.",
        "Communication between the team and me was excellent.",
        "They always listened to me and kept me informed.",
    ],
    "waiting.diagnosis": [
        "I was seen within two weeks and had my results the same day.",
        "Everything happened quickly from referral to surgery.",
    ],
    "waiting.clinic": [
        "Clinics ran on time and I never waited long.",
    ],
    "surgery": [
        "My surgeon talked me through reconstruction options and let me decide.",
        "The operation went smoothly and the surgical team were brilliant.",
        "I felt involved in the decision about mastectomy or lumpectomy.",
    ],
    "aftercare": [
        "The aftercare for my wound was excellent and the dressing clinic was great.",
        "I was well looked after when I went home after surgery.",
    ],
    "palliative": [
        "The palliative care team helped me manage my pain and plan ahead.",
        "The hospice team have been wonderful with me and my family.",
    ],
    "coordination": [
        "The different teams worked well together and I never had to repeat myself.",
        "My care felt joined up between the hospital and my GP.",
    ],
    "coordination.portal": [
        "The patient portal let me see my letters and appointments easily.",
    ],
    "staffing": [
        "I saw the same nurse every time, which meant a lot.",
        "Having the same consultant throughout gave me confidence.",
    ],
    "parity": [
        "As a secondary patient I get the same support as everyone else, which I value.",
    ],
    "environment": [
        "The unit was clean and calm.",
        "The chemotherapy suite was comfortable and welcoming.",
        "The café volunteers knew me by name and made the waits easier.",
    ],
    "kindness": [
        "Every member of staff was kind and caring.",
        "The staff treated me with dignity and compassion.",
        "Everyone was so kind, it made a frightening time easier.",
        "The nurses were caring and always had a smile.",
    ],
}

NEGATIVE = {
    "support.hna": [
        "Nobody ever asked about my needs or offered a holistic needs assessment.",
        "I was never offered an assessment of my support needs.",
        "No one checked how I was coping at home.",
    ],
    "support.referral": [
        "I was not referred to any support services and had to find Macmillan myself.",
        "There was no counselling or psychological support offered.",
        "I didn't know there was a support group until months later.",
        "I wasn't consistently referred to support services.",
    ],
    "support.financial": [
        "Nobody told me about financial help or benefits, I had to give up work.",
        "I had no advice about money worries or free prescriptions.",
    ],
    "information.written": [
        "I wasn't given enough information about side effects.",
        "The information was confusing and I had to look things up online.",
        "I was not told what the treatment would do to me in the long term.",
        "Nobody explained my diagnosis properly, the leaflets didn't cover my situation.",
    ],
    "information.open_access": [
        "Open Access follow-up was never explained and I don't know who to call.",
        "After treatment I felt cut adrift, I didn't understand how open access worked.",
        "I was discharged to open access without any information about what to look out for.",
    ],
    "communication.phone": [
        "Phone appointments were often late and sometimes nobody called at all.",
        "The telephone consultation felt rushed and impersonal.",
        "I would rather have had face to face appointments than phone calls.",
    ],
    "communication.contact_cns": [
        "It was impossible to get through to the breast care nurse on the phone.",
        "I left messages for the specialist nurse and nobody rang me back.",
        "Calls to the nurse line went unanswered for days.",
    ],
    "communication": [
        "Nobody listened to me when I said something was wrong.",
        "Results were given to me in a cold way with no time for questions.",
        "I was told about my scan results by letter before anyone spoke to me.",
    ],
    "waiting.diagnosis": [
        "I waited weeks for my results and the delay was very stressful.",
        "The wait between diagnosis and surgery was far too long.",
        "My scan was delayed twice and nobody explained why.",
        "Waiting for the biopsy results was awful.",
    ],
    "waiting.clinic": [
        "I waited over two hours in clinic every time.",
        "Appointments always ran late and the waiting room was packed.",
        "The clinic delays were terrible, I waited three hours to be seen.",
    ],
    "surgery": [
        "I was not offered reconstruction and felt rushed into a mastectomy.",
        "My operation was cancelled on the day.",
    ],
    "aftercare": [
        "My wound became infected and it took too long to get it seen.",
        "There was no aftercare once I went home with my drain.",
        "Getting my dressing changed was a struggle.",
    ],
    "palliative": [
        "The referral to palliative care came far too late.",
        "Nobody talked to me about planning ahead or pain control.",
    ],
    "coordination": [
        "The hospital and my GP didn't talk to each other.",
        "I had to chase my own appointments and repeat my story every time.",
        "Letters arrived after the appointment they were about.",
    ],
    "coordination.portal": [
        "The patient portal never worked and my results were missing.",
        "The IT systems couldn't share my notes between hospitals.",
    ],
    "staffing": [
        "I saw a different doctor every time and had to explain everything again.",
        "The ward was clearly short staffed.",
        "There are not enough breast care nurses for the number of patients.",
    ],
    "parity": [
        "Secondary patients don't get the same support as primary patients.",
        "Once I was told it was secondary breast cancer, the support just stopped.",
        "There is no specialist nurse for secondary breast cancer here.",
        "We are treated as an afterthought compared with primary patients.",
    ],
    "environment": [
        "Parking was a nightmare and very expensive.",
        "Parking cost £12 a day which adds up over weeks of radiotherapy.",
        "There wasn’t anywhere quiet to sit after bad news.",
        "The waiting area was cramped with nowhere private to talk.",
    ],
    "kindness": [
        "One receptionist was rude and dismissive.",
        "Some staff were abrupt and uncaring.",
    ],
}

# Sentences that carry planted identifiers. {name} is a staff name, {phone}, {email}, {nhs},
# {postcode} are filled by the generator.
IDENTIFIER_SENTENCES = {
    "title_name": [
        ("Sister {name} was wonderful throughout.", "kindness"),
        ("Dr {surname} explained everything so clearly.", "communication"),
        ("Nurse {first} always rang me back.", "communication.contact_cns"),
        ("Mr {surname} did a brilliant job of my reconstruction.", "surgery"),
        ("Mrs {surname} on reception was so helpful.", "kindness"),
    ],
    "context_name": [
        ("My nurse {first} was lovely and kept me calm.", "kindness"),
        ("{name} was amazing and answered all my questions.", "communication"),
        ("Please thank {name} from the breast unit.", "kindness"),
    ],
    "phone": [
        ("I had to ring {phone} five times before anyone answered.", "communication.contact_cns"),
        ("Call me on {phone} if you want to talk about my experience.", None),
    ],
    "email": [
        ("You can email me at {email} about this.", None),
    ],
    "nhs": [
        ("My NHS number is {nhs} if you need to look at my records.", None),
    ],
    "postcode": [
        ("I live at {postcode} and the travel was too far.", "environment"),
    ],
}

PLACEHOLDERS = ["Nothing", "N/A", "No", "Nothing to add.", "None", "-", "Not applicable"]

STAFF_NEGATIVE = [
    ("We need more breast care nurses, the caseload is unmanageable.", "staffing"),
    ("Secondary breast cancer patients need a dedicated nurse.", "parity"),
    ("The IT systems do not talk to each other which delays everything.", "coordination.portal"),
    ("Clinic capacity is the biggest problem, waits are getting longer.", "waiting.clinic"),
    ("We don't have time to do holistic needs assessments properly.", "support.hna"),
    ("Better coordination between oncology and surgery would help patients.", "coordination"),
    ("Patients need clearer written information about Open Access follow-up.", "information.open_access"),
    ("Phone clinics are overbooked and patients wait for calls.", "communication.phone"),
]

FACILITATOR_PROMPTS = [
    "Can you tell me about the information you were given?",
    "How did you find getting support when you needed it?",
    "What was it like contacting the team between appointments?",
    "How did you feel about the waiting times?",
    "Is there anything the hospital could do better?",
    "What went well for you?",
]

AGREEMENTS = ["Yes, I agree with that.", "Same for me.", "I had a similar experience.",
              "That's exactly how I felt.", "Mm, yes."]
