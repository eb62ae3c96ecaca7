"""The fixed data of de-identification: the labels, which wins an overlap, each recognizer's score,
the default allow-list and the word lists that the PERSON rules (:mod:`.name_rules`) read.

Held as data, apart from the code, so a reader can review and extend the lists in one place; every name is
re-exported by :mod:`pledge_analysis.text.deidentify`.
"""
from __future__ import annotations

LABELS = ("PERSON", "PHONE", "EMAIL", "NHS_NUMBER", "POSTCODE", "ADDRESS", "DATE", "URL", "ID")
#: Higher wins when two recognizers claim overlapping text.
PRIORITY = {"EMAIL": 9, "URL": 8, "NHS_NUMBER": 7, "PHONE": 6, "POSTCODE": 5, "ADDRESS": 4, "ID": 3, "DATE": 2, "PERSON": 1}

#: Confidence of each recognizer (0-1): a reviewer lists the least certain redactions first
#: (:func:`least_certain`). PHONE scores come from :mod:`.phones`; a known name passed as
#: ``names=`` or ``deny=`` scores 1.
SCORE = {
    "EMAIL": 0.99, "URL": 0.9, "NHS_NUMBER": 0.99, "NHS_NUMBER_NO_CUE": 0.85, "POSTCODE": 0.9, "ADDRESS": 0.8,
    "ID_CUE": 0.9, "ID": 0.7, "DATE": 0.85,
    "deny": 1.0, "title": 0.95, "first_surname": 0.9, "initials_surname": 0.85, "middle_initial": 0.85,
    "first_name": 0.8, "speech": 0.75, "cue": 0.7, "capitalised_pair": 0.65, "apposition": 0.6,
    "lower_case_pair": 0.55, "ner": 0.7,
}

#: Words and services that must never be redacted (extend with ``allow=``).
DEFAULT_ALLOW = (
    "Breast Care Nurse", "Clinical Nurse Specialist", "Macmillan", "Maggie's", "Maggies", "Open Access",
    "Breast Cancer Now", "Breast Cancer Care", "Cancer Research UK", "Marie Curie", "NHS", "GP", "CNS",
    # services and places named after people
    "Sue Ryder", "Linda McCartney", "Royal Marsden", "The Christie", "Penny Brohn", "Haven", "Mount Vernon",
    "Addenbrooke's", "Guy's", "St Thomas'", "Bart's", "Barts", "Clatterbridge", "Velindre", "Weston Park",
    "Herceptin", "Tamoxifen", "Letrozole", "Anastrozole", "Exemestane", "Zoladex", "Trastuzumab",
    "Pertuzumab", "Docetaxel", "Paclitaxel", "Capecitabine", "Palbociclib", "Ribociclib", "Abemaciclib",
    "Denosumab", "Zoledronic", "Kadcyla", "Phesgo", "Enhertu", "Covid", "Christmas", "Easter",
    "Marie Currie", "Red Cross", "Admiral Nurse", "Tai Chi", "Thai Chi", "Pilates", "Zumba", "Reiki",
    "Ramadan", "Eid", "Diwali", "Hanukkah", "Passover", "Vaisakhi", "Holi", "Lent", "Advent", "Yom Kippur",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    # months, but not April, May, June and August: first names too ("nurse June"), left to the rules (a month
    # alone is no name: WORD_NAMES, MONTH_WORDS)
    "January", "February", "March", "July", "September", "October",
    "November", "December", "God", "Lord", "Corona", "Coronavirus",
    # medicines from the chemist that are also names ("Senna")
    "Senna", "Movicol", "Lactulose", "Gaviscon", "Calpol", "Piriton", "Oramorph", "Zomorph", "Paracetamol",
    "Ibuprofen", "Codeine", "Co-codamol", "Imodium", "Buscopan", "Fybogel", "Difflam",
    # brand names of breast-cancer medicines (fifth round: "Kisqali made me very tired")
    "Kisqali", "Ibrance", "Verzenios", "Faslodex", "Arimidex", "Femara", "Aromasin", "Nolvadex", "Xeloda",
    "Perjeta", "Tykerb", "Nerlynx", "Piqray", "Lynparza", "Talzenna", "Halaven", "Abraxane", "Taxotere", "Taxol",
    "Prolia", "Xgeva", "Zometa", "Neulasta", "Afinitor", "Trodelvy", "Tukysa", "Keytruda", "Ogivri", "Kanjinti",
    # ninth round: injections, devices and charities of breast-cancer care ("what the Fragmin would do", "my
    # Portacath", "the Magseed marker", "Tenovus helped me")
    "Fragmin", "Clexane", "Fulvestrant", "Zarzio", "Accofil", "Nivestim", "Emend", "Portacath", "Port-a-cath",
    "Magseed", "Sentimag", "Mammotome", "Paxman", "DigniCap", "Fitbit", "Tenovus", "Future Dreams", "Walk the Walk",
    "Prevent Breast Cancer", "CoppaFeel", "Look Good Feel Better", "Willow Foundation", "Trekstock", "Shine Cancer Support",
    # prayers and blessings, never whom a comment names ("Gouranga. Hare Krishna", "alhamdulillah the operation went well")
    "Hare Krishna", "Harre Krishna", "Gouranga", "Waheguru", "Alhamdulillah", "Inshallah", "Insha'Allah", "Mashallah",
    "Masha'Allah", "Subhanallah", "Hallelujah", "Amen",
)
TITLES = frozenset({"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "nurse", "sister", "matron", "prof",
                    "professor", "sr", "dame", "sir"})
ROLE_WORDS = ("nurse", "doctor", "surgeon", "consultant", "oncologist", "radiographer", "radiologist",
              "physio", "physiotherapist", "counsellor", "receptionist", "cns", "specialist nurse",
              "breast care nurse", "registrar", "secretary", "volunteer", "therapist", "key worker")
PRAISE = ("lovely", "wonderful", "amazing", "brilliant", "fantastic", "great", "fab", "fabulous", "kind",
          "so kind", "helpful", "excellent", "superb", "outstanding", "rude", "dismissive", "unhelpful",
          "an angel", "a star", "a godsend", "incredible", "marvellous", "caring", "fantastic",
          # ninth round: "X was a pure gem", "an absolute star"
          "a gem", "a pure gem", "a real gem", "an absolute gem", "a diamond", "a legend", "a saint", "a treasure",
          "an absolute star", "a real star", "an absolute angel", "a real angel", "an absolute legend")
#: Verbs of speech before or after a name ("says Becker", "Becker explained").
SPEECH_VERBS = ("says", "said", "explains", "explained", "adds", "added", "wrote", "writes", "asked", "asks",
                "replied", "replies", "commented", "insists", "insisted", "recalls", "recalled", "admits",
                "admitted", "told us", "told me", "tells us", "tells me", "according to", "mentioned",
                "mentions", "reckons", "reckoned", "promised", "suggested", "warned", "reassured", "confirmed",
                "kept saying", "keeps saying")
#: Family and friends: "my mother, X" and "my friend ruairidh" name a person.
FAMILY = ("mother", "mum", "mam", "father", "dad", "husband", "wife", "partner", "son", "daughter", "sister",
          "brother", "friend", "aunt", "uncle", "niece", "nephew", "gran", "grandma", "grandad", "granddaughter",
          "grandson", "grandmother", "grandfather", "stepdad", "stepmum", "stepmother", "stepfather", "stepson",
          "stepdaughter", "cousin", "fiance", "fiancee", "sister-in-law", "brother-in-law", "mother-in-law",
          "father-in-law", "neighbour", "carer")
#: Before a capitalised pair, these make it a place ("from Milton Keynes", "in Stoke Mandeville").
PLACE_PREPOSITIONS = frozenset({"from", "in", "at", "near", "via", "outside", "into", "towards", "around"})
#: Words that are never (part of) a person's name: job titles, services and the nouns of places
#: named after people ("Cherry Ward", "Park House", "George Eliot Hospital").
NOT_NAMES = frozenset(
    {w for r in ROLE_WORDS for w in r.split()} | {
        "cpn", "hca", "gp", "physio", "physiotherapy", "pharmacy", "pharmacist", "psychologist", "psychiatrist",
        "podiatrist", "podiatric", "podiatry", "visitor", "caller", "lady", "gentleman", "co-ordinator",
        "coordinator", "manager", "worker", "consultation", "hospitality", "reception", "chemo", "radiotherapy",
        "oncology", "staff", "team", "matron", "sister", "nurse", "dr", "drs", "my", "the", "our", "rehab",
        "aftercare", "palliative", "hca", "hcas", "x-ray", "xray",
        # NHS job titles (third round): "The Specialty Registrar", "an Advanced Nurse Practitioner"
        "specialty", "associate", "practitioner", "physician", "phlebotomist", "phlebotomy", "mammographer",
        "sonographer", "dietitian", "dietician", "healthcare", "assistant", "advanced", "consultants", "sho",
        # exclamations and prayers ("Thank you Jesus"), never whom a comment names
        "jesus", "christ", "allah"})
#: Nouns after which a capitalised word names a team, service, award or role, not a person ("the Hart Team",
#: "Daisy award", "Admiral Nurse" is allow-listed); only a title ("Dr Hart") overrides them.
SERVICE_NOUNS = frozenset({"team", "teams", "award", "awards", "service", "services", "support", "community",
                           "visitor", "visitors", "programme", "program", "project", "network", "partnership", "pts",
                           "appeal", "fund", "scheme", "initiative",
                           # shops, apps and businesses ("Lloyds pharmacy", "the Hollie Guard app")
                           "pharmacy", "pharmacies", "chemist", "chemists", "app", "apps", "website", "shop", "shops",
                           "store", "stores", "cafe", "café", "restaurant", "supermarket", "bank", "hotel", "pub",
                           "statue", "memorial", "lecture"})  # "the Florence Nightingale statue"
#: First names that are also ordinary English words, devices or brands ("Holly and ivy", "A Frank discussion",
#: "Alexa reminded me", "Sandy soil", "Hunter wellies"): a capitalised one is a name only with other evidence
#: (a title, a surname, a cue such as "Holly on the ward was kind", "thanks Dawn", "Dawn took my bloods").
WORD_NAMES = frozenset(
    "holly heather jasmine dawn sandy frank summer autumn winter bill hunter alexa siri cortana ivy iris hazel "
    "rosemary poppy daisy lily violet ruby amber pearl jade crystal coral ginger honey candy misty sky river storm "
    "april may june august faith hope grace joy patience charity prudence mercy constance felicity harmony melody "
    "destiny trinity serenity chance will mark pat rob sue bob ray jack guy rich dean earl duke prince king major "
    "sterling lino lovey moe penny sunny rusty brandy sherry olive saffron willow rowan basil sage clay cliff "
    "glen heath dale forest brook marsh chase hardy win di mo ash".split())
#: Words that may open a span by accident and are dropped from its edge ("Love Claire", "An X-ray").
EDGE_WORDS = frozenset({"love", "dear", "hi", "hello", "thanks", "cheers", "an", "a", "the", "from", "with"})
#: Virtue and word names (common in Southern and East African, Caribbean and Puritan naming) that are ordinary
#: English words: a name only in a name's slot ("Nurse Gift", "the nurse, Faith,", "Memory Hernández-Ríos").
VIRTUE_NAMES = frozenset("faith hope grace joy patience charity mercy prudence constance felicity gift memory precious "
                         "comfort divine blessing blessed goodluck loveness happiness innocent given fortune sunday honor honour "
                         "marvellous beauty princess lovemore godknows knowledge justice".split())
PLACE_NOUNS = frozenset({
    "ward", "hospital", "house", "centre", "center", "clinic", "unit", "grange", "lodge", "court", "surgery",
    "practice", "road", "street", "lane", "avenue", "palace", "city", "trust", "group", "hall", "park", "school",
    "college", "hospice", "infirmary", "suite", "wing", "building", "campus", "site", "village", "town",
    "county", "university", "foundation", "charity", "society"})
#: One-word names of UK hospitals and cancer centres that are no town in :func:`~.names.uk_places` ("the letter from
#: Raigmore", "referred to Ninewells"): a place, unless a first name too ("Freeman": only after "the").
HOSPITAL_NAMES = frozenset(
    "raigmore morriston ninewells beatson wythenshawe altnagelvin derriford treliske musgrove pinderfields airedale "
    "hairmyres monklands crosshouse glangwili withybush bronglais velindre clatterbridge papworth addenbrookes "
    "frenchay southmead freeman christie marsden royal-marsden broomfield basildon frimley pilgrim lister "
    "stoke-mandeville wexham heatherwood northwick rvi jimmys weston-park tenovus gartnavel wishaw craigavon "
    "antrim daisy-hill ulster belvoir".split())
MONTH_WORDS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                          "january", "february", "march", "april", "june", "july", "august", "september", "october",
                          "november", "december"})
