"""Case-note summaries for ordinary contacts, in the register practitioners write in.

Most routine notes name no finding at all. Some carry a finding that does not count, on purpose:
a negation ("no marks or bruising seen"), a hypothetical ("if parents have been drinking they
should not co-sleep"), or history ("history of postnatal depression, currently well"). A text
reader that misses the negation or the hypothetical will raise alerts on ordinary families; that
is the test. Nothing here may state a present finding of harm, neglect, abuse, substance misuse
or mental ill-health.
"""

from __future__ import annotations

HV_NEW_BIRTH = (
    "New birth visit. Baby feeding well, weight {weight} g. Mum recovering well. Safe sleep "
    "advice given.",
    "New birth visit at home. Baby settled, feeding 3-hourly. Cord healed. Parents coping well.",
    "New birth contact. Baby alert and feeding well. Safe sleep discussed: advised not to "
    "co-sleep if parents have been drinking alcohol or are very tired.",
    "New birth visit completed, baby seen with mum. Jaundice resolved. No concerns.",
    "New birth visit. Skin check: no marks or bruising seen. Family settled.",
)
HV_SIX_WEEK = (
    "6-8 week review: baby smiling, feeding well, growth on 50th centile. Mum's mood good.",
    "6-8 week review. Baby seen, weight gain good. Skin check: no bruising or marks seen.",
    "6-8 week contact. Growth on track. Discussed what to do if baby has a bump to the head "
    "or a fall.",
    "6-8 week review completed. Mum reports history of postnatal depression after her first "
    "baby; currently well, EPDS score 4.",
    "Universal HV contact at 6 weeks, growth on track. No concerns raised.",
)
HV_FOUR_MONTH = (
    "3-4 month contact: baby rolling, laughing, growth on track.",
    "Weight check at clinic, growth on 25th centile, following curve.",
    "Universal HV contact, growth on track. Weaning advice given.",
)
HV_YEAR = (
    "9-12 month review: {mobility_text}. Babbling, waving. Growth on track.",
    "One-year review completed with mum: {mobility_text}. ASQ all areas within range.",
    "Universal HV 1-year review: {mobility_text}, finger feeding, sleeping through.",
)
HV_TWO_YEAR = (
    "2-2.5 year review: ASQ within normal range. Speech 50+ words, walking and climbing well.",
    "2-year review completed at home. Child chatty and playing well. Toilet training started.",
    "2-year integrated review with nursery: development on track, no concerns.",
)
HV_CLINIC = (
    "Attended baby clinic for weight check, growth on track.",
    "Universal HV contact, growth on track.",
    "Telephone contact with mum re sleep routine; advice given.",
    "Drop-in clinic: weight and length recorded, following centiles.",
)
MOBILITY_TEXT = {
    "not_mobile": "not yet mobile",
    "rolling": "rolling both ways",
    "crawling": "crawling and pulling to stand",
    "cruising": "cruising round furniture",
    "walking": "walking independently",
}

GP_CHILD_DIAGNOSES = (
    ("J06.9", "Acute upper respiratory infection, unspecified",
     "Cough and cold for 3 days, chest clear. Viral URTI, fluids and paracetamol."),
    ("H66.9", "Otitis media, unspecified",
     "Earache and temperature. Right TM red and bulging. Amoxicillin prescribed."),
    ("L20.9", "Atopic dermatitis, unspecified",
     "Dry itchy skin on arms, eczema. Emollients prescribed."),
    ("B01.9", "Varicella without complication",
     "Chickenpox spots, well in self. Advice given."),
    ("J02.9", "Acute pharyngitis, unspecified",
     "Sore throat, no exudate. Viral, supportive advice."),
    ("H10.9", "Conjunctivitis, unspecified",
     "Sticky eye both sides. Chloramphenicol drops."),
    ("J45.9", "Asthma, unspecified",
     "Asthma review: well controlled on preventer, inhaler technique good."),
    ("R50.9", "Fever, unspecified",
     "Temperature overnight, now settled, eating and drinking. Safety-netting advice given."),
)  # fmt: skip
GP_CHILD_NOTES = (
    "Seen with mum: constipation, dietary advice given.",
    "Telephone consultation: rash now fading, no further action.",
    "Repeat prescription of emollients issued.",
    "Seen with dad: cough, chest clear, reassured.",
    "Review of eczema, improving.",
)
GP_IMMUNISATIONS = (
    (56, "Immunisations given: 6-in-1 (1st dose), rotavirus, MenB. No reaction."),
    (84, "Immunisations given: 6-in-1 (2nd dose), pneumococcal, rotavirus. No reaction."),
    (112, "Immunisations given: 6-in-1 (3rd dose), MenB. No reaction."),
    (372, "1-year immunisations given: Hib/MenC, MMR, pneumococcal booster, MenB booster."),
    (1230, "Pre-school booster and MMR 2nd dose given."),
)
GP_BABY_CHECK = (
    "6-8 week baby check: hips, eyes, heart and testes normal. Feeding well.",
    "Baby check at 8 weeks: examination normal. Skin: no marks seen. Growth on track.",
)
GP_ADULT = (
    "Repeat prescription reviewed.",
    "Back pain after lifting; advised ibuprofen and physiotherapy self-referral.",
    "Asthma review, well controlled.",
    "Contraception review, continues current method.",
    "Flu vaccination given.",
    "Chest infection, amoxicillin prescribed.",
    "Blood pressure check, normal.",
    "Sprained wrist at work; rest and analgesia advised.",
    "Mood good, sleeping well, no concerns raised.",
    "Smoking cessation advice given; would like to cut down.",
)
GP_POSTNATAL = (
    "Postnatal check at 6 weeks: recovering well, mood good, contraception discussed.",
    "Postnatal review: well, breastfeeding established. No concerns.",
)
GP_REGISTRATION = ("New patient registration.", "Registered with practice.")

NURSERY_START = (
    "Started at nursery today; separated from mum well.",
    "First settling-in session, settled well with key person.",
    "Induction visit with mum; child explored the room happily.",
)
NURSERY = (
    "Attended nursery, settled well.",
    "Two-year progress check completed; speech and language developing well.",
    "Enjoyed messy play and painting with friends.",
    "Learning journal updated: counting to 10 and naming colours.",
    "Lovely morning in the garden, playing on the bikes.",
    "Parents' consultation with mum; child happy and confident.",
    "Settled well after the holiday. No concerns.",
    "Joined in at story time and sang songs.",
    "Key person observation: shares toys well, growing in confidence.",
    "Nappy change: skin fine, no marks noted.",
)

SCHOOL = (
    "Reading age assessment: reading age {reading} (chronological {age}).",
    "Attendance {attendance}% this term.",
    "Parents' evening attended by {parent}: good progress in maths and English.",
    "Settled well into {year}.",
    "School trip consent received.",
    "Certificate for 100% attendance this half-term.",
    "Joined the school football team, very enthusiastic.",
    "Homework club attended every week this term.",
    "Good effort in class; working at the expected standard.",
    "Seemed tired in class today; spoke with {parent} at pick-up, had a late night, no concerns.",
    "Took part in the school play.",
    "Termly report sent home: positive about effort and behaviour.",
)
SCHOOL_PHONICS = "Year 1 phonics screening check: passed ({score}/40)."
SCHOOL_SATS = "KS2 SATs: working at the expected standard in reading, writing and maths."
SCHOOL_TRANSITION = "Transition meeting held for move to secondary school; information shared."
SCHOOL_FIRST_AID = (
    "Fell in the playground and grazed knee; first aid given, parent informed.",
    "Bumped elbow in PE, ice pack given, returned to class.",
)

BOOKING = (
    "Antenatal booking at {weeks}+{days} weeks. EDD {edd}. No safeguarding concerns "
    "identified at booking.",
    "Booking appointment with community midwife at {weeks} weeks. Routine bloods taken. EDD {edd}.",
    "Antenatal booking completed. EDD {edd}. Routine care.",
)
BOOKING_MULTIPLE = (
    "Antenatal booking at {weeks} weeks. Dating scan confirms twin pregnancy (DCDA). EDD {edd}. "
    "Consultant-led care.",
)
SCAN = (
    "Anomaly scan at 20 weeks: normal growth, no anomalies detected.",
    "20-week scan: placenta anterior, growth appropriate.",
    "Antenatal appointment: BP normal, fundal height appropriate.",
)
BIRTH = (
    "Normal vaginal delivery at {weeks}+{days} weeks, {weight} g. Mother and baby well.",
    "Born by elective caesarean section at {weeks} weeks, {weight} g. Apgars 9 and 10.",
    "Assisted delivery at {weeks}+{days} weeks, {weight} g. Baby well, breastfeeding.",
)
BIRTH_TWINS = (
    "Twin delivery by caesarean section at {weeks} weeks. Twin {order}: {weight} g. Admitted "
    "to the neonatal unit for feeding support.",
)
DISCHARGE = (
    "Discharged home with mother. Community midwife to visit.",
    "Discharged home, feeding well. Follow-up with community midwife.",
)
ED_CHILD = (
    ("High temperature, viral illness diagnosed, discharged with advice.", "fever"),
    ("Wheezy, asthma exacerbation, nebulised and discharged.", "asthma"),
    ("Vomiting and diarrhoea, rehydrated, discharged.", "gastroenteritis"),
    ("Croup, dexamethasone given, discharged.", "croup"),
)
ED_OLDER_CHILD = (
    ("Sprained ankle playing football; X-ray normal, discharged.", "sprained ankle"),
    ("Cut finger on a tin at home, steri-strips applied.", "laceration"),
)

POLICE_ORDINARY = (
    "Report of theft of a bicycle from the rear garden; no suspects identified.",
    "Concern for welfare call; officers attended, all well, no further action.",
    "Road traffic collision, minor damage, no injuries.",
    "Report of anti-social behaviour in the street; family are witnesses.",
    "Reported lost wallet; later found.",
)

CSC_ORDINARY_REFERRAL = (
    ("School request for support: child anxious about the move to high school.", "emotional",
     "education"),
    ("Mum requests help with child's behaviour at home; asks about parenting courses.", "other",
     "health"),
    ("Housing issues: family in temporary accommodation, asking for support.", "other",
     "health"),
    ("GP referral: mum struggling with sleep and a new baby, requesting family support.",
     "other", "health"),
)  # fmt: skip
CSC_ORDINARY_VISIT = (
    "Home visit: children seen and spoken with. Home warm and tidy. Parents engaged.",
    "Home visit, children seen. Family welcoming; discussed support options.",
)
CSC_ORDINARY_ASSESSMENT_DONE = (
    "Child and family assessment completed: needs can be met by universal services and early "
    "help. No safeguarding concerns.",
    "Assessment completed. No further social care role; family signposted to early help.",
)
CSC_CLOSED = (
    "Case closed: needs met through universal services; family signposted to early help.",
    "Case closed following assessment. Step down to early help offered and accepted.",
)

MENTAL_HEALTH_ORDINARY = (
    "Self-referral to talking therapies for mild anxiety; assessment booked.",
    "Attended guided self-help session 3 of 6; progressing well.",
    "Discharged from talking therapies; goals achieved.",
)
PROBATION_ORDINARY = (
    "Induction appointment for community order (driving offence); unpaid work allocated.",
    "Supervision appointment attended; unpaid work hours progressing.",
    "Order completed; case closed.",
)

NEW_PARTNER_SCHOOL = (
    "Mum informed school that her partner {name} has moved in; added as a contact.",
    "Change of household: mum's partner {name} now living at the family home.",
)
SEPARATION = (
    "Mum informed us that she and {name} have separated; he has moved out and sees the "
    "children at weekends.",
)
