"""An independent text bank: paraphrases of the sample's themes that avoid the codebook's own words.

Written for the tests, separately from ``data_samples/textbank.py`` (which the sample generator
copies sentences from, each containing a keyword of its own code). Every sentence here says what a
patient might say about one code of ``data_samples/codebook.yaml`` *without* any keyword of that
code (checked with the rule coder's own matching, so no inflection of a keyword either:
``tests/test_paraphrase_bank.py``) and without any word of ``sentiment.DOMAIN_LEXICON``. So the
rule coder cannot find a sentence's code from its keywords, and the sentiment model cannot lean on
the words its domain lexicon was written from: what the tests measure on this bank is how the
tools do on phrasing they were not built around.

None of it comes from a real patient or from any data set; it is not used by the sample generator
and no threshold or keyword was tuned on it.

``BANK``: ``(code_id, sentiment, text)``, sentiment ``positive`` or ``negative``.
"""

BANK = [
    # support
    ("support", "positive", "Someone sat with me after the diagnosis and helped me make sense of my feelings."),
    ("support", "positive", "The charity drop-in centre gave me somewhere to talk when everything felt too much."),
    ("support", "negative", "No one asked how I was managing emotionally at home."),
    ("support", "negative", "I was left to deal with the fear on my own once treatment finished."),
    ("support", "negative", "My mental health went downhill and there was no one to turn to."),
    # support.hna
    ("support.hna", "positive", "Early on a nurse went through a form about everything worrying me, from sleep to family."),
    ("support.hna", "positive", "We made a plan together covering my worries about work, children and sleep."),
    ("support.hna", "negative", "No one ever sat down to ask what was worrying me beyond the cancer itself."),
    ("support.hna", "negative", "I was never given the chance to talk through my wider worries in a structured way."),
    ("support.hna", "negative", "The questionnaire about my concerns was handed over but never discussed."),
    # support.referral
    ("support.referral", "positive", "They arranged for me to see a therapist within a fortnight."),
    ("support.referral", "positive", "The nurse gave me the number of a local charity for women like me, and I went along."),
    ("support.referral", "negative", "I asked to see someone about my anxiety and heard nothing for months."),
    ("support.referral", "negative", "I had to find the local groups myself; no one mentioned them."),
    ("support.referral", "negative", "I would have liked to be sent on to a specialist for my swollen arm much sooner."),
    # support.financial
    ("support.financial", "positive", "An adviser sorted out my sick pay and the grants I could apply for."),
    ("support.financial", "positive", "I had no idea my medicines would cost nothing until a nurse told me, which was a relief."),
    ("support.financial", "negative", "Travelling in for treatment every day cost a fortune in petrol and no one mentioned help with it."),
    ("support.financial", "negative", "I had to leave my job and had no idea what I could claim."),
    ("support.financial", "negative", "The bills piled up while I was off sick and I got no advice about it."),
    # information
    ("information", "positive", "The doctor went through what the treatment would do to my body in plain words."),
    ("information", "positive", "I knew what to expect at every stage because they took the time to tell me."),
    ("information", "negative", "I had no idea my hair would fall out until it happened."),
    ("information", "negative", "The words they used went over my head and I left more worried than before."),
    ("information", "negative", "I ended up searching the internet at night because I was told so little."),
    # information.written
    ("information.written", "positive", "The booklet I was given covered everything and I read it again at home."),
    ("information.written", "positive", "A printed sheet about looking after my arm after treatment was really useful."),
    ("information.written", "negative", "The booklets were out of date and mentioned a ward that no longer exists."),
    ("information.written", "negative", "I was handed a pile of paperwork full of jargon."),
    ("information.written", "negative", "There was nothing in print about what the tablets might do to me over the years."),
    # information.open_access
    ("information.open_access", "positive", "Now my treatment is over I can ring the team myself if something worries me."),
    ("information.open_access", "positive", "Knowing I can book myself back in if a symptom appears gives me peace of mind."),
    ("information.open_access", "negative", "After my last treatment I felt abandoned, with no routine check-ups and no number to ring."),
    ("information.open_access", "negative", "No one told me how the new patient-led system works once the routine appointments end."),
    ("information.open_access", "negative", "I was let go from the hospital with no plan for what happens if it comes back."),
    # communication
    ("communication", "positive", "The consultant looked at me, not the screen, and took every worry seriously."),
    ("communication", "positive", "I always felt I could be honest with the team and they were honest with me."),
    ("communication", "negative", "The doctor talked to my husband as if I wasn't in the room."),
    ("communication", "negative", "Bad news was given to me in a corridor with people walking past."),
    ("communication", "negative", "Every time I tried to raise a worry I was talked over."),
    # communication.phone
    ("communication.phone", "positive", "The video consultation from my kitchen saved me a two-hour round trip."),
    ("communication.phone", "positive", "Being rung at home for my check-up suited me better than the journey in."),
    ("communication.phone", "negative", "My remote appointment came hours after the time I was given, so I sat by the phone all morning."),
    ("communication.phone", "negative", "Being given bad news over the phone, alone at home, was awful."),
    ("communication.phone", "negative", "The video link kept freezing and in the end the doctor gave up."),
    # communication.contact_cns
    ("communication.contact_cns", "positive", "My key worker always answered, or returned my message within the hour."),
    ("communication.contact_cns", "positive", "Having one named nurse I could text with worries made all the difference."),
    ("communication.contact_cns", "negative", "I tried for three days to reach my named nurse and the voicemail was always full."),
    ("communication.contact_cns", "negative", "The advice number just rang out every time I tried it."),
    ("communication.contact_cns", "negative", "My nurse was so overstretched that my messages sat for a week with no reply."),
    # waiting
    ("waiting", "positive", "From the first appointment to starting treatment everything moved at speed."),
    ("waiting", "positive", "I was seen the very next day after my family doctor sent me."),
    ("waiting", "negative", "It took almost two months to get my first appointment."),
    ("waiting", "negative", "Treatment kept being pushed back and each postponement made me more anxious."),
    ("waiting", "negative", "I sat in limbo for a month not knowing if I had cancer."),
    # waiting.clinic
    ("waiting.clinic", "positive", "I was seen at exactly my appointment time every visit."),
    ("waiting.clinic", "positive", "Appointments in outpatients kept to schedule, which mattered because I had childcare."),
    ("waiting.clinic", "negative", "I sat in outpatients for most of the afternoon before anyone saw me."),
    ("waiting.clinic", "negative", "My appointment slot meant nothing; the list was always running behind."),
    ("waiting.clinic", "negative", "We were sat on plastic chairs for half a day before my name was read out."),
    # waiting.diagnosis
    ("waiting.diagnosis", "positive", "I had the mammogram and was told the outcome on the same afternoon."),
    ("waiting.diagnosis", "positive", "My tests were all done in one morning, in a single visit."),
    ("waiting.diagnosis", "negative", "I had to go a whole month before I found out whether the lump was cancer."),
    ("waiting.diagnosis", "negative", "The gap between being told it was cancer and my operation felt endless."),
    ("waiting.diagnosis", "negative", "My MRI report got lost and I had to have the imaging done again."),
    # surgery
    ("surgery", "positive", "The consultant who removed the lump drew diagrams and let me choose what to have done."),
    ("surgery", "positive", "The team in theatre were reassuring and I woke up feeling looked after."),
    ("surgery", "negative", "I was not offered the chance to have a new breast made at the same time."),
    ("surgery", "negative", "I felt pushed into having the whole breast removed without hearing the alternatives."),
    ("surgery", "negative", "My procedure was postponed on the morning itself after I had fasted all night."),
    # aftercare
    ("aftercare", "positive", "The nurses who came to the house to check my scar were excellent."),
    ("aftercare", "positive", "I was shown how to look after the tube and bottle before leaving the ward."),
    ("aftercare", "negative", "My scar became red and hot and I didn't know who should look at it."),
    ("aftercare", "negative", "Back at my house with a tube still in, I felt completely on my own."),
    ("aftercare", "negative", "No one told me how to look after the stitches once I left."),
    # palliative
    ("palliative", "positive", "The comfort team helped me write down my wishes for my last months."),
    ("palliative", "positive", "My symptoms are managed so well that I can still enjoy time with my grandchildren."),
    ("palliative", "negative", "My bone pain was ignored for a month until I ended up in A&E."),
    ("palliative", "negative", "No one wanted to talk about what happens when treatment no longer works."),
    ("palliative", "negative", "I wanted to die in my own bed and no arrangements were made for it."),
    # coordination
    ("coordination", "positive", "The oncology and radiotherapy teams obviously talked to each other about me."),
    ("coordination", "positive", "My family doctor knew about every change to my treatment before I told her."),
    ("coordination", "negative", "I had to tell my whole history again to every new department."),
    ("coordination", "negative", "Two hospitals were involved and neither seemed to know what the other was doing."),
    ("coordination", "negative", "I kept ringing round to find out whether my appointment had even been booked."),
    # coordination.portal
    ("coordination.portal", "positive", "Seeing my blood counts in the hospital app before appointments helped me prepare."),
    ("coordination.portal", "positive", "The online record let me check my upcoming appointments any time."),
    ("coordination.portal", "negative", "The app showed appointments that had been moved a month earlier."),
    ("coordination.portal", "negative", "My records on the computer did not follow me between hospitals, so tests were repeated."),
    ("coordination.portal", "negative", "I could never log in to the online account and the password reset never arrived."),
    # staffing
    ("staffing", "positive", "I saw one consultant from start to finish, who knew my history."),
    ("staffing", "positive", "There were plenty of nurses on the ward, so help came whenever I pressed the buzzer."),
    ("staffing", "negative", "Each visit I met a new face and had to start from scratch."),
    ("staffing", "negative", "The ward was so thinly covered at night that the nurses were running from bed to bed."),
    ("staffing", "negative", "There are too few nurses for the number of patients they look after."),
    # parity
    ("parity", "positive", "Since my cancer spread I have had a dedicated nurse who knows about living with incurable illness."),
    ("parity", "positive", "The group for women living with advanced breast cancer made me feel I belonged."),
    ("parity", "negative", "Once it came back in my bones I felt forgotten compared with women newly diagnosed."),
    ("parity", "negative", "All the courses seem to be for people who have finished treatment, not for those of us with stage four."),
    ("parity", "negative", "With incurable cancer you are treated as a lost cause."),
    # environment
    ("environment", "positive", "The new building is bright and calm, with a garden to sit in."),
    ("environment", "positive", "There was a little room set aside where I could cry without being seen."),
    ("environment", "negative", "Finding a space for the car took longer than the appointment itself."),
    ("environment", "negative", "The toilets were dirty and the chairs were torn."),
    ("environment", "negative", "I was told my diagnosis behind a curtain where everyone could hear."),
    # kindness
    ("kindness", "positive", "The nurse held my hand while I cried and stayed with me."),
    ("kindness", "positive", "Everyone treated me gently and with real warmth."),
    ("kindness", "negative", "The receptionist snapped at me when I asked where to go."),
    ("kindness", "negative", "One doctor rolled his eyes when I mentioned my fears."),
    ("kindness", "negative", "I was treated like a number rather than a person."),
]
