# Demonstration material written for Vetted; it is not medical advice for any patient.
# ruff: noqa: E501 — Markdown table rows cannot be wrapped.


# -- Glossary ---------------------------------------------------------------------------------
# Shown to lay readers (patients, caregivers, students) at a term's first use in an article.
# Synonyms are the other spellings the articles use for the same thing: plurals, hyphenated
# and US/UK forms, abbreviations. Each definition is one sentence in everyday words, written
# for a patient; loaded by `term`.

GLOSSARY = [
    # Blood pressure
    {
        "term": "hypertension",
        "synonyms": ["hypertensive"],
        "definition": "Blood pressure that stays too high over time, which strains the heart, blood vessels and kidneys even when you feel well.",
    },
    {
        "term": "mmHg",
        "synonyms": ["millimetres of mercury", "millimeters of mercury"],
        "definition": "Short for millimetres of mercury, the unit used to measure blood pressure.",
    },
    {
        "term": "systolic",
        "synonyms": [],
        "definition": "The top number in a blood pressure reading: the pressure in your blood vessels when your heart beats.",
    },
    {
        "term": "diastolic",
        "synonyms": [],
        "definition": "The bottom number in a blood pressure reading: the pressure in your blood vessels while your heart rests between beats.",
    },
    {
        "term": "ambulatory blood pressure monitoring",
        "synonyms": ["ambulatory monitoring", "ambulatory readings", "ambulatory"],
        "definition": "Wearing a cuff and a small recorder that measures your blood pressure automatically over a whole day and night of normal life.",
    },
    {
        "term": "white-coat hypertension",
        "synonyms": ["white coat hypertension"],
        "definition": "Blood pressure that is high when a doctor or nurse measures it but normal at home, often because of nerves.",
    },
    {
        "term": "masked hypertension",
        "synonyms": [],
        "definition": "Blood pressure that looks normal at the clinic but is high at other times, such as at home or at work.",
    },
    {
        "term": "resistant hypertension",
        "synonyms": [],
        "definition": "Blood pressure that stays above target even with three medicines at full doses, one of them a water tablet.",
    },
    {
        "term": "hypotension",
        "synonyms": [],
        "definition": "Blood pressure that is too low, which can make you feel dizzy, weak or faint.",
    },
    {
        "term": "orthostatic hypotension",
        "synonyms": ["postural hypotension"],
        "definition": "A fall in blood pressure when you stand up, which can make you feel dizzy or faint.",
    },
    {
        "term": "diuretic",
        "synonyms": ["diuretics"],
        "definition": "A medicine that helps your kidneys remove extra salt and water from your body, often called a water tablet.",
    },
    {
        "term": "thiazide diuretic",
        "synonyms": [
            "thiazide diuretics",
            "thiazide-like diuretic",
            "thiazide-like diuretics",
            "thiazide-type diuretic",
            "thiazide-type diuretics",
            "thiazide",
        ],
        "definition": "A kind of water tablet, such as chlorthalidone or indapamide, that lowers blood pressure and is one of the usual first choices.",
    },
    {
        "term": "ACE inhibitor",
        "synonyms": ["ACE inhibitors"],
        "definition": "A blood pressure medicine that relaxes blood vessels and protects the kidneys; most names end in -pril, such as ramipril.",
    },
    {
        "term": "angiotensin receptor blocker",
        "synonyms": [
            "angiotensin receptor blockers",
            "angiotensin-receptor blocker",
            "angiotensin-receptor blockers",
            "ARB",
            "ARBs",
        ],
        "definition": "A blood pressure medicine that works much like an ACE inhibitor; most names end in -sartan, such as losartan.",
    },
    {
        "term": "calcium channel blocker",
        "synonyms": [
            "calcium channel blockers",
            "calcium-channel blocker",
            "calcium-channel blockers",
        ],
        "definition": "A blood pressure medicine, such as amlodipine, that relaxes the muscle in the walls of blood vessels so they widen.",
    },
    {
        "term": "beta-blocker",
        "synonyms": ["beta-blockers", "beta blocker", "beta blockers"],
        "definition": "A medicine that slows the heartbeat and makes each beat less forceful, used for angina, heart failure and some rhythm problems.",
    },
    {
        "term": "spironolactone",
        "synonyms": [],
        "definition": "A tablet that makes the kidneys pass extra salt and water, often added when blood pressure stays high on three medicines.",
    },
    {
        "term": "primary aldosteronism",
        "synonyms": [],
        "definition": "A condition in which glands above the kidneys make too much of a hormone that holds on to salt and raises blood pressure.",
    },
    {
        "term": "DASH diet",
        "synonyms": ["DASH-style diet", "DASH"],
        "definition": "An eating plan rich in vegetables, fruit, whole grains and low-fat dairy, and low in salt, that lowers blood pressure.",
    },
    {
        "term": "first-line",
        "synonyms": ["first line"],
        "definition": "Describes the treatment usually tried first, because research shows it works well and is safe for most people.",
    },
    {
        "term": "titrate",
        "synonyms": ["titrated", "titrating", "titration"],
        "definition": "To change a medicine's dose step by step until it works well with as few side effects as possible.",
    },
    {
        "term": "adherence",
        "synonyms": [],
        "definition": "Taking a medicine the way it was prescribed: the right dose, at the right times, for as long as advised.",
    },
    # Tests, kidneys and blood
    {
        "term": "potassium",
        "synonyms": [],
        "definition": "A mineral in the blood that nerves and muscles, including the heart, need; levels that are too high or too low are dangerous.",
    },
    {
        "term": "hyperkalaemia",
        "synonyms": ["hyperkalemia"],
        "definition": "Too much potassium in the blood, which can upset the rhythm of the heart.",
    },
    {
        "term": "creatinine",
        "synonyms": [],
        "definition": "A waste product from your muscles; the level in your blood shows how well your kidneys are filtering.",
    },
    {
        "term": "eGFR",
        "synonyms": ["estimated glomerular filtration rate"],
        "definition": "A number worked out from a blood test that shows how well your kidneys filter the blood; lower numbers mean weaker kidneys.",
    },
    {
        "term": "creatinine clearance",
        "synonyms": [],
        "definition": "An estimate, from a blood test, your age and your weight, of how well your kidneys clear medicines from the body.",
    },
    {
        "term": "albuminuria",
        "synonyms": ["albuminuric"],
        "definition": "Protein leaking into the urine, an early sign that the kidneys or small blood vessels are being damaged.",
    },
    {
        "term": "urine albumin-to-creatinine ratio",
        "synonyms": ["albumin-to-creatinine ratio", "UACR"],
        "definition": "A urine test that measures how much protein is leaking into the urine.",
    },
    {
        "term": "chronic kidney disease",
        "synonyms": ["CKD"],
        "definition": "Kidneys that have been damaged for three months or more and no longer filter the blood as well as they should.",
    },
    {
        "term": "renal",
        "synonyms": ["renal function"],
        "definition": "To do with the kidneys; renal function means how well the kidneys are cleaning the blood.",
    },
    {
        "term": "dialysis",
        "synonyms": [],
        "definition": "Treatment that cleans the blood, usually with a machine, when the kidneys have almost stopped working.",
    },
    {
        "term": "ECG",
        "synonyms": ["ECGs", "electrocardiogram", "12-lead ECG"],
        "definition": "A quick, painless test that records the heart's electrical signals through stickers placed on the chest, arms and legs.",
    },
    {
        "term": "lipid profile",
        "synonyms": ["lipids"],
        "definition": "A blood test that measures cholesterol and other fats in the blood.",
    },
    # Heart and blood vessels
    {
        "term": "cardiovascular",
        "synonyms": ["cardiovascular disease"],
        "definition": "To do with the heart and blood vessels; cardiovascular disease includes heart attacks, strokes and narrowed arteries.",
    },
    {
        "term": "atherosclerotic cardiovascular disease",
        "synonyms": ["atherosclerotic disease", "atherosclerosis"],
        "definition": "Arteries narrowed by fatty deposits, which can cause heart attacks, strokes, or pain in the legs when walking.",
    },
    {
        "term": "myocardial infarction",
        "synonyms": ["myocardial infarctions"],
        "definition": "A heart attack: part of the heart muscle is damaged because the blood vessel supplying it suddenly becomes blocked.",
    },
    {
        "term": "heart failure",
        "synonyms": [],
        "definition": "A condition in which the heart does not pump as well as it should, causing breathlessness, tiredness and swollen ankles.",
    },
    {
        "term": "stroke",
        "synonyms": ["strokes"],
        "definition": "Damage to part of the brain when its blood supply is blocked or a blood vessel in the brain bursts.",
    },
    {
        "term": "transient ischaemic attack",
        "synonyms": ["transient ischemic attack", "TIA"],
        "definition": "A short stroke-like attack whose symptoms go away within a day; it is a warning that a stroke may follow.",
    },
    {
        "term": "statin",
        "synonyms": ["statins", "high-intensity statin"],
        "definition": "A tablet that lowers cholesterol and the chance of a heart attack or stroke.",
    },
    {
        "term": "NSAID",
        "synonyms": ["NSAIDs", "anti-inflammatory painkiller", "anti-inflammatory painkillers"],
        "definition": "A painkiller such as ibuprofen or naproxen, which can raise blood pressure, strain the kidneys and make bleeding more likely.",
    },
    {
        "term": "atrial fibrillation",
        "synonyms": [],
        "definition": "An irregular, often fast heartbeat that lets blood clots form in the heart, which can travel to the brain and cause a stroke.",
    },
    {
        "term": "anticoagulant",
        "synonyms": [
            "anticoagulants",
            "anticoagulation",
            "oral anticoagulant",
            "oral anticoagulants",
            "oral anticoagulation",
            "blood thinner",
            "blood thinners",
        ],
        "definition": "A medicine that makes the blood slower to clot, to prevent the clots that cause strokes; often called a blood thinner.",
    },
    {
        "term": "DOAC",
        "synonyms": ["DOACs", "direct oral anticoagulant", "direct oral anticoagulants"],
        "definition": "A newer blood thinner tablet, such as apixaban or rivaroxaban, that does not need regular blood tests to set the dose.",
    },
    {
        "term": "warfarin",
        "synonyms": [],
        "definition": "An older blood thinner tablet that needs regular blood tests to keep the dose right.",
    },
    {
        "term": "INR",
        "synonyms": ["international normalised ratio", "international normalized ratio"],
        "definition": "A blood test showing how long the blood takes to clot, used to set the dose of warfarin.",
    },
    {
        "term": "antiplatelet",
        "synonyms": ["antiplatelets", "antiplatelet drug", "antiplatelet drugs"],
        "definition": "A medicine, such as aspirin or clopidogrel, that stops tiny blood cells called platelets clumping together to form clots.",
    },
    {
        "term": "bleeding risk",
        "synonyms": ["bleeding-risk", "risk of bleeding"],
        "definition": "The chance of serious bleeding, which blood thinners raise; some of its causes, such as high blood pressure, can be reduced.",
    },
    {
        "term": "CHA₂DS₂-VASc",
        "synonyms": ["CHA₂DS₂-VA", "CHA2DS2-VASc", "CHA2DS2-VA"],
        "definition": "A score that adds points for things like age, high blood pressure and diabetes to estimate the chance of a stroke.",
    },
    {
        "term": "HAS-BLED",
        "synonyms": [],
        "definition": "A score that adds points for things like high blood pressure, age and some medicines to estimate the chance of serious bleeding.",
    },
    {
        "term": "intracranial haemorrhage",
        "synonyms": ["intracranial hemorrhage"],
        "definition": "Bleeding inside the skull, the most serious kind of bleeding that blood thinners can cause.",
    },
    {
        "term": "mechanical heart valve",
        "synonyms": ["mechanical valve"],
        "definition": "An artificial heart valve made of metal or carbon; people who have one need warfarin rather than a newer blood thinner.",
    },
    {
        "term": "mitral stenosis",
        "synonyms": [],
        "definition": "A narrowed valve between the two chambers on the left side of the heart, which holds back the flow of blood.",
    },
    {
        "term": "cardioversion",
        "synonyms": [],
        "definition": "A treatment, usually a brief electric shock given under sedation, that resets an irregular heartbeat to a normal rhythm.",
    },
    # Diabetes
    {
        "term": "type 2 diabetes",
        "synonyms": [],
        "definition": "A long-term condition in which the body does not respond well to insulin, so the level of sugar in the blood runs too high.",
    },
    {
        "term": "HbA1c",
        "synonyms": ["A1c", "haemoglobin A1c", "hemoglobin A1c"],
        "definition": "A blood test that shows your average blood sugar level over the past two to three months.",
    },
    {
        "term": "insulin",
        "synonyms": [],
        "definition": "A hormone that lets the body's cells take up sugar from the blood; people with diabetes may need it as injections.",
    },
    {
        "term": "metformin",
        "synonyms": [],
        "definition": "The usual first tablet for type 2 diabetes, which lowers blood sugar and does not make it drop too low on its own.",
    },
    {
        "term": "SGLT2 inhibitor",
        "synonyms": ["SGLT2 inhibitors"],
        "definition": "A diabetes tablet, such as empagliflozin, that makes you pass extra sugar in your urine and also protects the heart and kidneys.",
    },
    {
        "term": "GLP-1 receptor agonist",
        "synonyms": ["GLP-1 receptor agonists"],
        "definition": "A diabetes medicine, usually an injection, that lowers blood sugar and appetite; some also protect the heart.",
    },
    {
        "term": "sulfonylurea",
        "synonyms": ["sulfonylureas", "sulphonylurea", "sulphonylureas"],
        "definition": "An older diabetes tablet, such as gliclazide, that makes the body release more insulin and can make blood sugar drop too low.",
    },
    {
        "term": "DPP-4 inhibitor",
        "synonyms": ["DPP-4 inhibitors"],
        "definition": "A diabetes tablet, such as sitagliptin, that lowers blood sugar gently but has not been shown to protect the heart or kidneys.",
    },
    {
        "term": "finerenone",
        "synonyms": [],
        "definition": "A tablet that protects the kidneys and heart in people with type 2 diabetes whose kidneys leak protein.",
    },
    {
        "term": "hypoglycaemia",
        "synonyms": ["hypoglycemia", "hypo", "hypos"],
        "definition": "Blood sugar that has dropped too low, causing shaking, sweating or confusion; it needs sugar straight away.",
    },
    {
        "term": "ketoacidosis",
        "synonyms": [
            "diabetic ketoacidosis",
            "euglycaemic ketoacidosis",
            "euglycemic ketoacidosis",
        ],
        "definition": "A dangerous build-up of acids called ketones in the blood, which makes you very unwell and needs urgent hospital care.",
    },
    {
        "term": "ketones",
        "synonyms": ["ketone"],
        "definition": "Acids the body makes when it burns fat for energy instead of sugar; high levels in diabetes are dangerous.",
    },
    {
        "term": "sick-day rules",
        "synonyms": ["sick day rules"],
        "definition": "Advice on which medicines to pause when you are ill and cannot eat or drink normally, and when to start them again.",
    },
    # Infections
    {
        "term": "pneumonia",
        "synonyms": [],
        "definition": "An infection of the lungs that fills the small air sacs with fluid, causing cough, fever and breathlessness.",
    },
    {
        "term": "Pneumonia Severity Index",
        "synonyms": [],
        "definition": "A scoring system that uses age, other illnesses, examination findings and test results to judge how serious a pneumonia is.",
    },
    {
        "term": "CURB-65",
        "synonyms": ["CRB-65"],
        "definition": "A quick score from five checks, such as confusion, breathing rate and age, that helps judge how serious a pneumonia is.",
    },
    {
        "term": "sepsis",
        "synonyms": [],
        "definition": "A life-threatening reaction to an infection, in which the body's own response starts to damage its organs.",
    },
    {
        "term": "septic shock",
        "synonyms": [],
        "definition": "The most severe form of sepsis, in which blood pressure falls dangerously low and needs drugs in intensive care to support it.",
    },
    {
        "term": "antibiotic",
        "synonyms": ["antibiotics"],
        "definition": "A medicine that kills bacteria or stops them growing; antibiotics do not work against viruses such as flu or colds.",
    },
    {
        "term": "beta-lactam",
        "synonyms": ["beta-lactams", "β-lactam", "β-lactams"],
        "definition": "A large family of antibiotics that includes penicillins, such as amoxicillin, and cephalosporins, such as ceftriaxone.",
    },
    {
        "term": "macrolide",
        "synonyms": ["macrolides"],
        "definition": "A family of antibiotics, such as clarithromycin and azithromycin, that also kill some germs penicillins cannot reach.",
    },
    {
        "term": "fluoroquinolone",
        "synonyms": ["fluoroquinolones"],
        "definition": "A strong family of antibiotics kept for particular cases, because of rare but serious side effects on tendons, nerves and blood vessels.",
    },
    {
        "term": "MRSA",
        "synonyms": [],
        "definition": "A germ often carried on the skin that many common antibiotics cannot kill, so infections with it need special antibiotics.",
    },
    {
        "term": "chest radiograph",
        "synonyms": ["chest radiographs", "chest X-ray", "chest X-rays"],
        "definition": "An X-ray picture of the chest that shows the lungs and heart.",
    },
    {
        "term": "oxygen saturation",
        "synonyms": ["oxygen saturations"],
        "definition": "How much oxygen your blood is carrying, shown as a percentage and usually measured with a small clip on a finger.",
    },
    {
        "term": "hypoxaemia",
        "synonyms": ["hypoxemia"],
        "definition": "Too little oxygen in the blood.",
    },
    {
        "term": "corticosteroid",
        "synonyms": ["corticosteroids"],
        "definition": "A medicine that calms inflammation, such as hydrocortisone or prednisolone; it is not the same as a muscle-building steroid.",
    },
    {
        "term": "intensive care",
        "synonyms": ["intensive care unit", "critical care", "ICU"],
        "definition": "A hospital unit where very ill people are watched closely and machines can support their breathing and blood pressure.",
    },
    {
        "term": "vasopressor",
        "synonyms": ["vasopressors"],
        "definition": "A drug given into a vein in intensive care to raise dangerously low blood pressure.",
    },
    {
        "term": "intravenous",
        "synonyms": ["intravenously"],
        "definition": "Given straight into a vein, through a drip or an injection.",
    },
    # Evidence
    {
        "term": "guideline",
        "synonyms": ["guidelines"],
        "definition": "Advice written by a panel of experts after weighing the research, about which tests and treatments work best.",
    },
    {
        "term": "clinical trial",
        "synonyms": ["clinical trials", "outcome trial", "outcome trials", "trial", "trials"],
        "definition": "A research study that tests a treatment in people, usually by comparing it with another treatment or a dummy one.",
    },
    {
        "term": "randomised controlled trial",
        "synonyms": [
            "randomized controlled trial",
            "randomised trial",
            "randomized trial",
            "randomised",
            "randomized",
        ],
        "definition": "A trial in which chance decides who gets which treatment, so the groups are alike and differences come from the treatment.",
    },
    {
        "term": "meta-analysis",
        "synonyms": ["meta-analyses"],
        "definition": "A study that combines the results of many trials to give a clearer answer than any single trial can.",
    },
    {
        "term": "placebo",
        "synonyms": ["placebo-controlled"],
        "definition": "A dummy treatment with no active medicine in it, used in trials to see whether the real treatment works better.",
    },
    {
        "term": "mortality",
        "synonyms": [],
        "definition": "The share of people in a group who die over a certain time; lower mortality means fewer deaths.",
    },
    {
        "term": "hospitalisation",
        "synonyms": ["hospitalisations", "hospitalization", "hospitalizations"],
        "definition": "Being admitted to stay in hospital for care.",
    },
    {
        "term": "comorbidity",
        "synonyms": ["comorbidities"],
        "definition": "Another long-term illness that a person has at the same time, such as diabetes, heart disease or lung disease.",
    },
]
