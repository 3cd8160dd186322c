"""Word lists and sentence patterns for the generated catalogue, written for this benchmark.

Everything here is our own writing: fifty topics with their conditions, tests and symptoms,
general clinical words, invented drug names built from syllables (a long tail of rare words,
like the drug, gene and trial names of a real medical library) and sentence patterns that
combine them into plain English. The text reads like a clinical answer without saying
anything true: it exists so that full-text search meets a realistic spread of common, topical
and rare words. Nothing here needs Django.
"""

import random
from bisect import bisect
from itertools import accumulate

# -- topics ------------------------------------------------------------------------------------
# (name, conditions, tests, symptoms), items separated by "; ". The review interval of a topic
# is 12 months unless it is named in REVIEW_INTERVALS.

_TOPICS = [
    (
        "Cardiology",
        "atrial fibrillation; heart failure; stable angina; aortic stenosis; pericarditis",
        "echocardiogram; troponin; ambulatory ECG",
        "palpitations; chest tightness; ankle swelling",
    ),
    (
        "Hypertension",
        "resistant hypertension; white coat hypertension; hypertensive urgency; "
        "secondary hypertension; isolated systolic hypertension",
        "home blood pressure readings; renin level; renal artery imaging",
        "morning headache; nosebleeds; blurred vision",
    ),
    (
        "Diabetes",
        "type 2 diabetes; type 1 diabetes; diabetic ketoacidosis; hypoglycaemia; "
        "gestational diabetes",
        "HbA1c; fasting glucose; urine albumin",
        "thirst; frequent urination; tiredness",
    ),
    (
        "Thyroid and adrenal",
        "hypothyroidism; hyperthyroidism; thyroid nodules; adrenal insufficiency; "
        "hyperparathyroidism",
        "TSH; free T4; serum calcium",
        "weight gain; tremor; cold intolerance",
    ),
    (
        "Respiratory medicine",
        "asthma; COPD; bronchiectasis; pulmonary fibrosis; pleural effusion",
        "spirometry; peak flow; chest CT",
        "wheeze; breathlessness; chronic cough",
    ),
    (
        "Infectious diseases",
        "community-acquired pneumonia; cellulitis; urinary tract infection; Lyme disease; sepsis",
        "blood cultures; C-reactive protein; procalcitonin",
        "fever; rigors; new confusion",
    ),
    (
        "Gastroenterology",
        "gastro-oesophageal reflux; peptic ulcer; irritable bowel syndrome; coeliac disease; "
        "Crohn disease",
        "endoscopy; faecal calprotectin; tissue transglutaminase antibodies",
        "heartburn; abdominal pain; diarrhoea",
    ),
    (
        "Liver disease",
        "fatty liver disease; hepatitis C; hepatitis B; cirrhosis; gallstones",
        "liver function tests; elastography; abdominal ultrasound",
        "jaundice; itching; abdominal swelling",
    ),
    (
        "Kidney medicine",
        "chronic kidney disease; acute kidney injury; kidney stones; nephrotic syndrome; "
        "polycystic kidney disease",
        "eGFR; urine protein; kidney ultrasound",
        "flank pain; foamy urine; leg swelling",
    ),
    (
        "Neurology",
        "migraine; epilepsy; Parkinson disease; multiple sclerosis; peripheral neuropathy",
        "MRI brain; EEG; nerve conduction studies",
        "recurrent headache; numbness; unsteady gait",
    ),
    (
        "Stroke",
        "ischaemic stroke; transient ischaemic attack; intracerebral haemorrhage; "
        "carotid stenosis; post-stroke spasticity",
        "CT angiography; carotid doppler; swallow assessment",
        "facial droop; slurred speech; arm weakness",
    ),
    (
        "Mental health",
        "depression; generalised anxiety disorder; bipolar disorder; schizophrenia; panic disorder",
        "PHQ-9 questionnaire; GAD-7 questionnaire; lithium level",
        "low mood; poor sleep; poor concentration",
    ),
    (
        "Addiction medicine",
        "alcohol use disorder; opioid use disorder; tobacco dependence; cannabis use disorder; "
        "alcohol withdrawal",
        "AUDIT questionnaire; urine drug screen; gamma-GT",
        "cravings; sweating; agitation",
    ),
    (
        "Cancer care",
        "lung cancer; colorectal cancer; pancreatic cancer; ovarian cancer; lymphoma",
        "staging CT; tumour markers; PET scan",
        "unexplained weight loss; night sweats; persistent fatigue",
    ),
    (
        "Breast health",
        "breast cancer; ductal carcinoma in situ; benign breast lumps; mastitis; "
        "inherited breast cancer risk",
        "mammography; breast ultrasound; core biopsy",
        "breast lump; nipple discharge; breast pain",
    ),
    (
        "Urology",
        "benign prostatic enlargement; prostate cancer; overactive bladder; erectile dysfunction; "
        "urinary retention",
        "PSA; urine flow rate; bladder diary",
        "urgency; weak stream; waking at night to pass urine",
    ),
    (
        "Blood disorders",
        "iron deficiency anaemia; vitamin B12 deficiency; deep vein thrombosis; "
        "sickle cell disease; low platelet count",
        "full blood count; ferritin; D-dimer",
        "pallor; easy bruising; breathlessness on exertion",
    ),
    (
        "Vascular medicine",
        "peripheral arterial disease; varicose veins; abdominal aortic aneurysm; "
        "venous leg ulcers; Raynaud phenomenon",
        "ankle-brachial index; duplex ultrasound; aortic screening scan",
        "calf pain on walking; cold feet; skin discolouration",
    ),
    (
        "Rheumatology",
        "rheumatoid arthritis; gout; polymyalgia rheumatica; lupus; axial spondyloarthritis",
        "rheumatoid factor; serum urate; ESR",
        "joint swelling; morning stiffness; hip and shoulder pain",
    ),
    (
        "Orthopaedics",
        "knee osteoarthritis; hip fracture; rotator cuff tear; carpal tunnel syndrome; "
        "low back pain",
        "plain X-ray; MRI spine; nerve studies of the wrist",
        "joint pain; reduced movement; pain at night",
    ),
    (
        "Sports medicine",
        "ankle sprain; anterior cruciate ligament injury; tennis elbow; stress fracture; "
        "sports concussion",
        "ultrasound of the tendon; hop test; symptom checklist",
        "swelling after injury; giving way; pain with loading",
    ),
    (
        "Dermatology",
        "atopic eczema; psoriasis; acne; rosacea; chronic urticaria",
        "patch testing; skin biopsy; dermoscopy",
        "itch; scaly rash; facial flushing",
    ),
    (
        "Skin cancer",
        "melanoma; basal cell carcinoma; squamous cell carcinoma; actinic keratosis; "
        "atypical moles",
        "dermoscopy of the lesion; excision biopsy; sentinel node biopsy",
        "changing mole; bleeding spot; sore that does not heal",
    ),
    (
        "Eye health",
        "glaucoma; cataract; macular degeneration; diabetic retinopathy; dry eye disease",
        "visual acuity; eye pressure measurement; retinal photography",
        "blurred vision; eye pain; red eye",
    ),
    (
        "Ear, nose and throat",
        "otitis media; chronic sinusitis; recurrent tonsillitis; tinnitus; "
        "age-related hearing loss",
        "audiometry; tympanometry; nasal endoscopy",
        "earache; blocked nose; sore throat",
    ),
    (
        "Oral health",
        "gum disease; dental caries; mouth ulcers; dry mouth; jaw joint disorder",
        "dental X-ray; periodontal charting; saliva flow test",
        "bleeding gums; toothache; jaw clicking",
    ),
    (
        "Pregnancy care",
        "pre-eclampsia; severe pregnancy sickness; preterm labour; postpartum haemorrhage; "
        "ectopic pregnancy",
        "pregnancy ultrasound; urine protein to creatinine ratio; blood group antibodies",
        "bleeding in pregnancy; reduced fetal movements; pelvic pain",
    ),
    (
        "Gynaecology",
        "endometriosis; polycystic ovary syndrome; heavy menstrual bleeding; uterine fibroids; "
        "menopause symptoms",
        "pelvic ultrasound; hormone profile; cervical screening",
        "period pain; irregular periods; hot flushes",
    ),
    (
        "Sexual health",
        "chlamydia; gonorrhoea; genital herpes; syphilis; HIV exposure",
        "NAAT swab; HIV antigen test; syphilis serology",
        "discharge; genital sores; pain passing urine",
    ),
    (
        "Child health",
        "bronchiolitis; croup; febrile seizures; constipation in children; childhood eczema",
        "growth chart review; urine dipstick; oxygen saturation",
        "fever in a child; poor feeding; barking cough",
    ),
    (
        "Newborn care",
        "newborn jaundice; tongue tie; reflux in infants; developmental hip dysplasia; "
        "neonatal sepsis",
        "serum bilirubin; hip ultrasound; newborn blood spot",
        "yellow skin; feeding difficulty; excessive crying",
    ),
    (
        "Older people",
        "frailty; recurrent falls; delirium; dementia; too many medicines",
        "cognitive screening; gait speed; structured medication review",
        "confusion; unsteadiness; memory loss",
    ),
    (
        "Palliative care",
        "cancer pain; breathlessness in advanced illness; nausea in advanced illness; "
        "care in the last days of life; opioid constipation",
        "symptom score; renal function before opioids; swallow review",
        "pain at rest; loss of appetite; drowsiness",
    ),
    (
        "Pain medicine",
        "chronic widespread pain; neuropathic pain; fibromyalgia; pain after surgery; "
        "chronic pelvic pain",
        "pain diary; quantitative sensory testing; opioid risk screening",
        "burning pain; poor sleep from pain; pain flares",
    ),
    (
        "Surgery and anaesthesia",
        "preoperative risk; postoperative nausea; stopping anticoagulants before surgery; "
        "surgical site infection; postoperative delirium",
        "preoperative ECG; haemoglobin before surgery; airway assessment",
        "wound redness; nausea after surgery; confusion after surgery",
    ),
    (
        "Emergency medicine",
        "anaphylaxis; minor head injury; fainting; minor burns; acute chest pain",
        "12-lead ECG; CT head; serum lactate",
        "collapse; facial swelling; sudden severe pain",
    ),
    (
        "Allergy",
        "peanut allergy; allergic rhinitis; penicillin allergy label; angioedema; food intolerance",
        "skin prick test; specific IgE; supervised food challenge",
        "hives; sneezing; lip swelling",
    ),
    (
        "Travel medicine",
        "malaria prevention; traveller diarrhoea; altitude sickness; dengue; rabies exposure",
        "malaria blood film; stool culture; travel risk assessment",
        "fever after travel; loose stools abroad; headache at altitude",
    ),
    (
        "Vaccination",
        "influenza vaccination; pneumococcal vaccination; shingles vaccination; HPV vaccination; "
        "measles catch-up",
        "vaccination record check; antibody titre; egg allergy screening",
        "sore arm; mild fever after vaccination; vaccine hesitancy",
    ),
    (
        "Nutrition",
        "obesity; malnutrition; vitamin D deficiency; iron-poor diets; refeeding risk",
        "body mass index; waist measurement; vitamin D level",
        "weight change; poor appetite; muscle weakness",
    ),
    (
        "Sleep medicine",
        "insomnia; restless legs syndrome; narcolepsy; obstructive sleep apnoea; "
        "shift work sleep disorder",
        "sleep diary; overnight oximetry; polysomnography",
        "daytime sleepiness; loud snoring; early waking",
    ),
    (
        "Bone health",
        "osteoporosis; vertebral fracture; Paget disease of bone; osteomalacia; "
        "fracture after a fall",
        "DXA scan; vitamin D and calcium; bone turnover markers",
        "height loss; back pain; fracture after minor injury",
    ),
    (
        "HIV medicine",
        "HIV infection; pre-exposure prophylaxis; post-exposure prophylaxis; HIV and pregnancy; "
        "ageing with HIV",
        "viral load; CD4 count; resistance testing",
        "weight loss; recurrent infections; swollen glands",
    ),
    (
        "Preventive care",
        "cardiovascular risk; bowel cancer screening; lung cancer screening; "
        "aspirin for prevention; physical inactivity",
        "risk calculator; faecal immunochemical test; low-dose CT",
        "no symptoms; family history; worry about risk",
    ),
    (
        "Genetic conditions",
        "familial hypercholesterolaemia; haemochromatosis; cystic fibrosis; Lynch syndrome; "
        "hereditary angioedema",
        "genetic testing; cascade testing; transferrin saturation",
        "family history of early disease; joint pain; recurrent swelling",
    ),
    (
        "Lipids",
        "high LDL cholesterol; high triglycerides; statin intolerance; low HDL cholesterol; "
        "raised lipoprotein(a)",
        "lipid profile; non-HDL cholesterol; creatine kinase",
        "muscle aches; skin deposits; no symptoms at all",
    ),
    (
        "Occupational health",
        "occupational asthma; back pain at work; noise-induced hearing loss; needlestick injury; "
        "work-related stress",
        "workplace exposure history; serial peak flow at work; hearing screening",
        "symptoms better on days off; ringing ears; exhaustion",
    ),
    (
        "Child and adolescent mental health",
        "ADHD; autism; eating disorders; self-harm; school refusal",
        "structured developmental assessment; eating disorder screening; risk assessment",
        "restlessness; weight loss in a teenager; withdrawal from friends",
    ),
    (
        "Medicines safety",
        "drug interactions; medicines in kidney impairment; deprescribing; anticholinergic burden; "
        "medicines in breastfeeding",
        "drug level monitoring; medicines reconciliation; interaction checker",
        "new side effects; dizziness on standing; dry mouth",
    ),
    (
        "Critical illness",
        "septic shock; acute respiratory distress; diabetic emergencies; severe asthma attack; "
        "cardiac arrest",
        "arterial blood gas; serum lactate trend; early warning score",
        "rapid breathing; low blood pressure; reduced consciousness",
    ),
]

REVIEW_INTERVALS = {"Cancer care": 6, "Critical illness": 6, "Oral health": 24, "Nutrition": 24}


def topics() -> list[dict]:
    """The fifty topics: name, conditions, tests, symptoms."""
    found = []
    for name, conditions, tests, symptoms in _TOPICS:
        found.append(
            {
                "name": name,
                "conditions": conditions.split("; "),
                "tests": tests.split("; "),
                "symptoms": symptoms.split("; "),
                "review_interval_months": REVIEW_INTERVALS.get(name, 12),
            }
        )
    return found


# -- general clinical words -------------------------------------------------------------------

POPULATIONS = [
    "adults", "older adults", "children", "teenagers", "pregnant women", "people with kidney "
    "disease", "people with diabetes", "frail older people", "people over 75", "young adults",
    "people with heart failure", "people who smoke", "people with liver disease", "athletes",
    "shift workers", "people living with obesity", "breastfeeding mothers", "care home residents",
    "people on many medicines", "people after a recent operation",
]  # fmt: skip
OUTCOMES = [
    "death", "hospital admission", "symptom relief", "quality of life", "relapse", "stroke",
    "heart attack", "readmission", "time to recovery", "the need for surgery", "disability",
    "pain scores", "flare-ups", "falls", "loss of kidney function", "serious bleeding",
    "days off work", "emergency visits", "fracture", "return to normal activity",
]  # fmt: skip
SETTINGS = [
    "primary care", "the emergency department", "a specialist clinic", "hospital",
    "the community", "a day unit", "a telephone follow-up", "a nurse-led clinic", "the ward",
]  # fmt: skip
DURATIONS = [
    "two weeks", "four weeks", "six weeks", "three months", "six months", "one year",
    "two years", "five years", "ten days", "eight weeks",
]  # fmt: skip
TREATMENTS = [
    "physiotherapy", "weight loss", "regular exercise", "cognitive behavioural therapy",
    "dietary advice", "surgery", "watchful waiting", "compression", "structured education",
    "a supervised programme", "home monitoring", "stopping smoking", "sleep hygiene advice",
    "a written action plan", "occupational therapy", "a short course of rest",
]  # fmt: skip
ADVERSE = [
    "nausea", "dizziness", "headache", "a rash", "diarrhoea", "low blood pressure",
    "kidney injury", "bleeding", "low potassium", "muscle aches", "fatigue", "poor sleep",
    "weight gain", "raised liver enzymes", "a dry cough", "ankle swelling", "constipation",
    "low sodium", "a fast heart rate", "mood changes",
]  # fmt: skip
EVIDENCE = [
    "randomised trials", "a large cohort study", "observational data", "a meta-analysis",
    "a pragmatic trial", "registry data", "expert consensus", "small pilot studies",
    "national guidance", "case series", "a cluster trial in general practice",
    "long-term follow-up studies",
]  # fmt: skip
FREQUENCIES = ["once daily", "twice daily", "at night", "weekly", "every morning", "as needed"]
DOSES = ["5 mg", "10 mg", "20 mg", "25 mg", "40 mg", "50 mg", "100 mg", "250 mg", "500 mg"]

# -- invented drug names -----------------------------------------------------------------------
# Prefix + linking syllable + class ending: some 14,000 names, each topic drawing its own
# pool. They stand for the long tail of a real library: words only a few articles contain.

_PREFIXES = [
    "ab",
    "al",
    "am",
    "ar",
    "bel",
    "bri",
    "cal",
    "cor",
    "dal",
    "dor",
    "el",
    "ep",
    "fen",
    "fil",
    "gal",
    "gor",
    "hal",
    "ism",
    "ix",
    "jor",
    "kel",
    "lor",
    "mar",
    "mer",
    "nor",
    "oz",
    "pel",
    "pra",
    "quin",
    "ral",
    "ros",
    "sor",
    "tel",
    "ter",
    "ul",
    "ven",
    "vor",
    "xan",
    "zel",
    "zol",
]
_LINKS = ["a", "e", "i", "o", "u", "ava", "eto", "ino", "ora", "uti", "ami", "ela", "ivo"]
_ENDINGS = [
    "olol",
    "pril",
    "sartan",
    "statin",
    "mab",
    "tinib",
    "cillin",
    "floxacin",
    "azole",
    "prazole",
    "gliptin",
    "gliflozin",
    "vir",
    "parin",
    "triptan",
    "setron",
    "dronate",
    "semide",
    "tidine",
    "zepam",
    "oxetine",
    "caine",
    "cort",
    "lukast",
    "terol",
    "dipine",
    "glutide",
]


def drug_pool(rng: random.Random, size: int) -> list[str]:
    """`size` different invented drug names, from three or four drug classes."""
    endings = rng.sample(_ENDINGS, rng.randint(3, 4))
    names: set[str] = set()
    while len(names) < size:
        names.add(rng.choice(_PREFIXES) + rng.choice(_LINKS) + rng.choice(endings))
    return sorted(names)


# -- names of people and places of publication ---------------------------------------------------

SURNAMES = [
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Moreau",
    "Haddad",
    "Novak",
    "Brennan",
    "Castillo",
    "Mensah",
    "Ivanova",
    "Kowalski",
    "Fischer",
    "Osei",
    "Nakamura",
    "Duarte",
    "Petrov",
    "Quinn",
    "Abebe",
    "Larsen",
    "Rossi",
    "Murphy",
    "Chen",
    "Patel",
    "Silva",
    "Adeyemi",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Farouk",
    "Gallagher",
    "Horvath",
    "Ibrahim",
    "Jansen",
    "Kaur",
    "Lopez",
    "Mbeki",
    "Nilsen",
    "Ortega",
    "Park",
    "Rahman",
    "Sato",
    "Torres",
    "Ueda",
    "Varga",
    "Walsh",
    "Yilmaz",
    "Zhou",
    "Achterberg",
    "Bianchi",
    "Cruz",
    "Dlamini",
    "Engel",
    "Fontaine",
    "Grant",
    "Hoang",
]
GIVEN_NAMES = [
    "Ada",
    "Bram",
    "Chioma",
    "Dara",
    "Elin",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Keiko",
    "Lars",
    "Mira",
    "Nadia",
    "Omar",
    "Priya",
    "Rafael",
    "Sana",
    "Tomas",
    "Uma",
    "Vera",
    "Wen",
    "Yusuf",
    "Zofia",
    "Amara",
    "Bo",
    "Celia",
    "Dev",
    "Emil",
    "Freya",
]
JOURNALS = [
    "Journal of Clinical Practice", "Clinical Evidence Review", "Annals of Applied Medicine",
    "International Journal of Primary Care", "Quarterly Review of Therapeutics",
    "Journal of Hospital Medicine Studies", "European Clinical Reports", "Pragmatic Trials",
    "Archives of Community Health", "Clinical Outcomes Research", "The Medical Evidence Letter",
    "Journal of Care Pathways", "Bulletin of Clinical Pharmacology", "Open Medicine Reports",
]  # fmt: skip
GUIDELINE_BODIES = [
    "National Clinical Guidelines Board", "Joint Specialist Societies Working Group",
    "Primary Care Guidance Panel", "Clinical Standards Council", "Expert Consensus Group",
]  # fmt: skip
PUBLISHERS = ["Harbour Medical Press", "Northfield Academic", "Meridian Health Books"]

# -- sentence patterns ---------------------------------------------------------------------------
# Slots: {cond} {cond2} {test} {symptom} {drug} {drug2} {pop} {outcome} {dur} {setting} {treat}
# {adverse} {evidence} {pct} {num} {dose} {freq}. A sentence is written without its full stop,
# so a citation can go before it.

SECTIONS = {
    "evidence": (
        ["What the evidence shows", "The evidence in brief", "What trials found",
         "How strong the evidence is"],
        [
            "In {pop} with {cond}, {drug} lowered the risk of {outcome} by about {pct} percent "
            "over {dur}",
            "The best evidence comes from {evidence}, most of it in {setting}",
            "{evidence} suggest a modest benefit of {treat} on {outcome}",
            "Trials of {drug} enrolled few {pop}, so the effect in that group is less certain",
            "Compared with {drug2}, {drug} gave similar control of {cond} with fewer reports of "
            "{adverse}",
            "The benefit on {outcome} appeared within {dur} and lasted for as long as treatment "
            "continued",
            "No trial has compared {drug} directly with {treat} for {cond}",
            "Follow-up in most studies was short, so effects beyond {dur} are not known",
            "About {num} in 100 people treated with {drug} avoided {outcome} compared with "
            "placebo",
            "Results were consistent across age groups, but the trials excluded people with "
            "{cond2}",
        ],
    ),
    "who": (
        ["Who benefits most", "Choosing the right patients", "Who should be offered treatment",
         "Selecting treatment"],
        [
            "People with {cond} and a raised {test} gain the most from {drug}",
            "Offer {treat} first to {pop} whose {symptom} is mild",
            "The absolute benefit is small when the baseline risk of {outcome} is low",
            "{pop} with {cond2} were underrepresented in the trials and need an individual "
            "decision",
            "A normal {test} makes {cond} unlikely and treatment is rarely needed",
            "Those who value avoiding {adverse} may reasonably prefer {treat}",
            "Consider {drug} when {symptom} persists after {dur} of {treat}",
        ],
    ),
    "dosing": (
        ["Dosing and monitoring", "Starting and adjusting treatment", "Practical prescribing",
         "How to start {drug}"],
        [
            "Start {drug} at {dose} {freq} and review after {dur}",
            "Check {test} before starting and again after {dur}",
            "Halve the dose of {drug} in {pop} and recheck {test} sooner",
            "Increase the dose only if {symptom} has not improved after {dur}",
            "Take {drug} {freq}; a missed dose can be taken the same day",
            "Stop {drug} if {adverse} develops and arrange a review within a week",
            "Most people reach a steady dose within {dur}",
            "Share a written plan that says when to repeat {test} and who will act on the result",
        ],
    ),
    "risks": (
        ["Risks and side effects", "Harms to weigh", "Safety", "What can go wrong"],
        [
            "The most common side effect of {drug} is {adverse}, usually mild and short-lived",
            "{adverse} occurs in about {pct} percent of people taking {drug}",
            "Serious harm is rare but includes {adverse} in {pop}",
            "Avoid combining {drug} with {drug2}, because the risk of {adverse} rises",
            "Stopping {drug} suddenly can bring back {symptom} within days",
            "Ask about {adverse} at each review, since people seldom mention it unprompted",
            "The risks of {treat} are small, but it takes time and effort to keep up",
        ],
    ),
    "referral": (
        ["When to refer", "Red flags", "When to escalate care", "Urgent warning signs"],
        [
            "Refer to {setting} if {symptom} persists despite {dur} of treatment",
            "New {symptom} with an abnormal {test} needs same-day assessment",
            "Seek urgent help for {symptom} together with signs of {cond2}",
            "A specialist opinion is worth asking for when the diagnosis of {cond} is uncertain",
            "Admit to {setting} if {adverse} is severe or the person cannot manage at home",
            "Refer {pop} early, as {cond} progresses faster in this group",
        ],
    ),
    "special": (
        ["Special populations", "Pregnancy, older age and kidney disease", "Particular groups",
         "Adjusting the approach"],
        [
            "In pregnancy, {drug} is avoided and {treat} is preferred",
            "{pop} often need a lower dose because {adverse} is more common",
            "With reduced kidney function, check {test} more often while taking {drug}",
            "For {pop}, the balance between {outcome} and {adverse} needs more care",
            "Little is known about {drug} in {pop}; use it only with specialist advice",
            "Children need weight-based dosing and a plan agreed with their carers",
        ],
    ),
    "background": (
        ["Background", "How {cond} develops", "Why this question matters", "Understanding {cond}"],
        [
            "{cond} affects many {pop} and often goes unrecognised for years",
            "{cond} usually presents with {symptom}, sometimes with {symptom2}",
            "Left untreated, {cond} raises the risk of {outcome}",
            "The diagnosis rests on the history, examination and {test}",
            "{cond} and {cond2} often occur together and share risk factors",
            "Many people with {cond} are first seen in {setting}",
            "Symptoms tend to fluctuate, which makes the effect of any single change hard to judge",
        ],
    ),
    "patients": (
        ["What to tell patients", "Talking it through", "Questions patients ask",
         "Shared decisions"],
        [
            "Explain that {drug} works gradually and the full effect takes {dur}",
            "Encourage people to report {adverse} rather than stopping treatment on their own",
            "Offer written information about {cond} and where to find support",
            "Agree on what a good result would look like before starting {treat}",
            "Many people worry about taking a medicine long term; discuss the option of {treat}",
            "Make sure people know how to get help out of hours if {symptom} gets worse",
        ],
    ),
    "alternatives": (
        ["Alternatives", "How this compares with other options", "Other choices",
         "When {drug} is not suitable"],
        [
            "{drug2} is an alternative when {drug} is not tolerated",
            "{treat} helps some people and can be combined with medicines",
            "Where {drug} is unavailable, {drug2} at {dose} {freq} is a reasonable substitute",
            "{treat} has fewer side effects but a smaller effect on {outcome}",
            "Switching from {drug} to {drug2} is usually done without a gap",
        ],
    ),
    "followup": (
        ["Follow-up", "Monitoring over time", "Review and stopping", "Long-term care"],
        [
            "Review after {dur} to check {symptom} and repeat {test}",
            "If {cond} is stable for {dur}, the interval between reviews can be lengthened",
            "Consider stopping {drug} after {dur} if the original reason no longer applies",
            "Record {test} results in one place so trends are easy to see",
            "Annual review is enough for most {pop} once treatment is settled",
        ],
    ),
}  # fmt: skip

LIST_SECTIONS = {
    "algorithm": (
        ["Step-by-step approach", "A practical pathway", "Assessment in order"],
        [
            "Confirm {cond} with {test}",
            "Look for {symptom} and signs of {cond2}",
            "Start {treat} and explain what to expect",
            "Add {drug} at {dose} {freq} if symptoms continue",
            "Review after {dur} and repeat {test}",
            "Refer to {setting} if there is no improvement",
            "Agree a long-term plan and a date for the next review",
        ],
    ),
    "pitfalls": (
        ["Critical pitfalls", "Common mistakes", "Pitfalls to avoid"],
        [
            "Missing {cond2}, which can look like {cond}",
            "Relying on a single {test} result",
            "Starting {drug} without checking for {adverse} risk",
            "Forgetting to review {drug} after {dur}",
            "Attributing {symptom} to age alone in {pop}",
            "Combining {drug} and {drug2} without monitoring",
        ],
    ),
    "key_points": (
        ["Key points", "In short", "Summary for practice"],
        [
            "{cond} is common and often underdiagnosed",
            "{test} is the most useful first test",
            "{drug} reduces {outcome} in {pop}",
            "{treat} helps and carries little risk",
            "Review after {dur}",
            "Refer early when {symptom} is severe",
        ],
    ),
}  # fmt: skip

HEADLINES = [
    "{Drug} for {cond} in {pop}",
    "When to test for {cond} with {test}",
    "Managing {symptom} in {pop} with {cond}",
    "How long to continue {drug} after {cond}",
    "{Cond}: first steps in {setting}",
    "Is {drug} safe for {pop} with {cond}?",
    "{Treat} or {drug} for {cond}?",
    "Stopping {drug} in {pop}",
    "What a raised {test} means in {cond}",
    "{Cond} and {cond2}: treating both",
    "Choosing between {drug} and {drug2} for {cond}",
    "Preventing {outcome} in {pop} with {cond}",
]
QUESTIONS = [
    "A {age}-year-old with {cond} asks whether {drug} is worth starting. What does the "
    "evidence say for {pop}?",
    "For {pop} with {cond} and {symptom}, which test should come first, and when is {test} "
    "enough to decide?",
    "Someone with {cond} has been taking {drug} for {dur}. When is it safe to stop, and what "
    "should be checked before stopping?",
    "In {setting}, what is the best first step for {pop} who present with {symptom} and a "
    "history of {cond2}?",
    "How should {cond} be managed in {pop} who also have {cond2}, and which medicines are best "
    "avoided?",
    "Does {treat} reduce {outcome} in {pop} with {cond}, compared with starting {drug}?",
]
BOTTOM_LINES = [
    "**{Drug}** is a reasonable first choice for {pop} with {cond}",
    "Check {test} before treating {cond}",
    "{Treat} should come first; add {drug} if {symptom} continues after {dur}",
    "The benefit on {outcome} is real but modest, and {adverse} is the main harm to discuss",
    "Review after {dur} and stop {drug} if it has not helped",
    "Refer to {setting} when {symptom} is severe or {test} is abnormal",
]
PATIENT_LINES = [
    "If you have {cond}, {drug} can lower your chance of {outcome}",
    "Your doctor may suggest a {test} first to be sure what is going on",
    "Tell your doctor or nurse if you notice {adverse}",
    "It can take {dur} to feel the full benefit, so keep going unless you have side effects",
    "{Treat} also helps and is worth trying alongside any medicine",
    "Get help quickly if {symptom} suddenly gets worse",
    "You can ask for a review at any time if the plan is not working for you",
]
STUDENT_LINES = [
    "The key idea: {cond} is confirmed with {test} and treated in steps",
    "Remember the main harm of {drug}: {adverse}",
    "Exam tip: {symptom} with an abnormal {test} points towards {cond}",
    "Think of {treat} as the foundation and {drug} as the add-on",
]
NURSE_LINES = [
    "Check {test} before each dose change of {drug}",
    "Ask about {adverse} at every contact and record the answer",
    "Teach people how to recognise {symptom} getting worse and whom to call",
    "Give {drug} {freq} and document any missed doses",
]
READER_LINES = {"patient": PATIENT_LINES, "student": STUDENT_LINES, "nurse": NURSE_LINES}
READER_HEADINGS = {
    "patient": ["What this means for you", "In plain words", "For you and your family"],
    "student": ["For students", "Learning points"],
    "nurse": ["For nurses", "Nursing practice points"],
}
CHANGE_SUMMARIES = [
    "Updated the dosing advice for {pop}.",
    "Added newer evidence on {outcome}.",
    "Clarified when to refer to {setting}.",
    "Rewrote the section on side effects of {drug}.",
    "Added advice on {test} before treatment.",
    "Reflected new guidance on {cond}.",
]
REVIEW_COMMENTS = [
    "Checked against the cited sources; the dosing matches.",
    "The evidence summary is fair and the references support it.",
    "Accurate and clearly written. Approved.",
    "Consistent with current guidance.",
    "",
]
CHANGE_REQUESTS = [
    "Please add the dose adjustment for reduced kidney function.",
    "The referral criteria need a source.",
    "The bottom line overstates the benefit; please soften it.",
    "Section {section} repeats the background; please shorten it.",
]
SECTION_COMMENTS = [
    "Is there a newer trial for this section?",
    "Consider a table for the doses here.",
    "This paragraph could be clearer for non-specialists.",
]


# -- sampling -------------------------------------------------------------------------------------


class Weighted:
    """Draws from `items` with Zipf-like weights (the first most often), as words of a real
    corpus are: a few very common, a long tail of rare ones."""

    def __init__(self, items: list, exponent: float = 1.0):
        self.items = items
        self.cumulative = list(
            accumulate(1 / (rank**exponent) for rank in range(1, len(items) + 1))
        )
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Slots(dict):
    """Fills a sentence pattern's slots, drawing each word as it is asked for; a slot written
    with a capital ({Drug}) gets a capitalised word."""

    def __init__(self, rng: random.Random, words: dict):
        super().__init__()
        self.rng, self.words = rng, words

    def __missing__(self, key: str) -> str:
        lower = key.lower()
        value = self.words[lower](self.rng)
        self[key] = value = capitalised(value) if key[0].isupper() else value
        return value


def fill(pattern: str, rng: random.Random, words: dict) -> str:
    return capitalised(pattern.format_map(Slots(rng, words)))
