# Demonstration material written for Vetted; it is not medical advice for any patient.
"""Demo content for `python manage.py load_demo`: plain data, loaded idempotently.

The clinical text below was written for Vetted's demo by its editors and summarises widely
published guidance; it is sample content for trying the CMS, not a clinical resource. Every
reference is a real publication; a DOI or PMID is given only where it was checked.

Markdown bodies cite the references by key, Pandoc style: [@key] or [@key1; @key2].
"""
# ruff: noqa: E501 — Markdown table rows cannot be wrapped.

from textwrap import dedent

from reviews.roles import CHIEF_EDITORS, EDITORS, MEDICAL_ADVISORY_BOARD

DEMO_PASSWORD = "vetted-demo"  # noqa: S105 — demo accounts on a developer's machine only


def _md(text: str) -> str:
    """Markdown written indented inside this module, stored without the indentation."""
    return dedent(text).strip() + "\n"


# -- Staff accounts (local demo only) --------------------------------------------------------
# Each account gets its role from a group (reviews.roles, created by a migration), never from
# permissions of its own. Two board members, so the four-eyes rule can be shown: nobody
# reviews what they wrote or edited, and a second member can take over.

USERS = [
    {
        "username": "editor",
        "first_name": "Maya",
        "last_name": "Okafor",
        "email": "editor@example.org",
        "groups": [EDITORS],
    },
    {
        "username": "reviewer",
        "first_name": "Daniel",
        "last_name": "Reyes",
        "email": "reviewer@example.org",
        "groups": [MEDICAL_ADVISORY_BOARD],
    },
    {
        "username": "reviewer2",
        "first_name": "Priya",
        "last_name": "Nandakumar",
        "email": "reviewer2@example.org",
        "groups": [MEDICAL_ADVISORY_BOARD],
    },
    {
        "username": "chief",
        "first_name": "Helen",
        "last_name": "Marsh",
        "email": "chief@example.org",
        "groups": [CHIEF_EDITORS],
    },
]

# Public profiles of the two board members. Fictional people, written for the demo: the
# "(fictional)" in the name and the first sentence of the bio say so wherever they are shown.
REVIEWER_PROFILES = [
    {
        "username": "reviewer",
        "slug": "daniel-reyes",
        "display_name": "Daniel Reyes (fictional)",
        "credentials": "MD, FACP",
        "specialty": "General internal medicine",
        "bio": (
            "A fictional board member, invented for Vetted's demo content. Dr Reyes is "
            "described as a general internist who divides his week between a hospital "
            "medicine service and a teaching clinic, and who reviews articles on "
            "hypertension, diabetes and common acute presentations in adults."
        ),
        "disclosures": "None declared.",
    },
    {
        "username": "reviewer2",
        "slug": "priya-nandakumar",
        "display_name": "Priya Nandakumar (fictional)",
        "credentials": "MD, MSc",
        "specialty": "Infectious diseases",
        "bio": (
            "A fictional board member, invented for Vetted's demo content. Dr Nandakumar is "
            "described as an infectious diseases physician who leads a hospital antimicrobial "
            "stewardship programme and reviews articles on infections and antimicrobial "
            "prescribing."
        ),
        "disclosures": (
            "Chairs her hospital's antimicrobial stewardship committee (unpaid). Holds a "
            "public research grant on the duration of antibiotic treatment, paid to her "
            "institution. No payments from pharmaceutical or diagnostics companies."
        ),
    },
]


# -- Topics ----------------------------------------------------------------------------------

TOPICS = [
    {
        "slug": "hypertension",
        "name": "Hypertension",
        "description": "High blood pressure in adults: diagnosis, treatment targets and drug choices.",
    },
    {
        "slug": "infectious-diseases",
        "name": "Infectious diseases",
        "description": "Common infections in adults: recognising severity and choosing antimicrobials.",
    },
    {
        "slug": "diabetes",
        "name": "Diabetes",
        "description": "Type 2 diabetes: glucose-lowering treatment and protecting the heart and kidneys.",
    },
    {
        "slug": "cardiac-arrhythmias",
        "name": "Cardiac arrhythmias",
        "description": "Atrial fibrillation and other rhythm disorders: stroke prevention and rhythm care.",
    },
]


# -- References ------------------------------------------------------------------------------
# Real publications. DOI and PMID only where checked; otherwise left blank.

REFERENCES = [
    # Hypertension
    {
        "key": "aha-acc-htn-2025",
        "kind": "guideline",
        "title": "2025 AHA/ACC/AANP/AAPA/ABC/ACCP/ACPM/AGS/AMA/ASPC/NMA/PCNA/SGIM Guideline for the Prevention, Detection, Evaluation and Management of High Blood Pressure in Adults",
        "authors": "Jones DW, Ferdinand KC, Taler SJ, et al.",
        "source": "Hypertension",
        "year": 2025,
        "doi": "10.1161/HYP.0000000000000249",
    },
    {
        "key": "acc-aha-htn-2017",
        "kind": "guideline",
        "title": "2017 ACC/AHA/AAPA/ABC/ACPM/AGS/APhA/ASH/ASPC/NMA/PCNA Guideline for the Prevention, Detection, Evaluation, and Management of High Blood Pressure in Adults",
        "authors": "Whelton PK, Carey RM, Aronow WS, et al.",
        "source": "Hypertension",
        "year": 2018,
        "doi": "10.1161/HYP.0000000000000065",
        "pmid": "29133356",
    },
    {
        "key": "esc-htn-2024",
        "kind": "guideline",
        "title": "2024 ESC Guidelines for the management of elevated blood pressure and hypertension",
        "authors": "McEvoy JW, McCarthy CP, Bruno RM, et al.",
        "source": "European Heart Journal",
        "year": 2024,
        "doi": "10.1093/eurheartj/ehae178",
        "pmid": "39210715",
    },
    {
        "key": "sprint-2015",
        "kind": "research",
        "title": "A Randomized Trial of Intensive versus Standard Blood-Pressure Control",
        "authors": "SPRINT Research Group; Wright JT Jr, Williamson JD, Whelton PK, et al.",
        "source": "New England Journal of Medicine",
        "year": 2015,
        "doi": "10.1056/NEJMoa1511939",
        "pmid": "26551272",
    },
    {
        "key": "step-2021",
        "kind": "research",
        "title": "Trial of Intensive Blood-Pressure Control in Older Patients with Hypertension",
        "authors": "Zhang W, Zhang S, Deng Y, et al.; STEP Study Group",
        "source": "New England Journal of Medicine",
        "year": 2021,
        "doi": "10.1056/NEJMoa2111437",
        "pmid": "34491661",
    },
    {
        "key": "allhat-2002",
        "kind": "research",
        "title": "Major outcomes in high-risk hypertensive patients randomized to angiotensin-converting enzyme inhibitor or calcium channel blocker vs diuretic: the Antihypertensive and Lipid-Lowering Treatment to Prevent Heart Attack Trial (ALLHAT)",
        "authors": "ALLHAT Officers and Coordinators for the ALLHAT Collaborative Research Group",
        "source": "JAMA",
        "year": 2002,
        "doi": "10.1001/jama.288.23.2981",
        "pmid": "12479763",
    },
    {
        "key": "ettehad-2016",
        "kind": "systematic_review",
        "title": "Blood pressure lowering for prevention of cardiovascular disease and death: a systematic review and meta-analysis",
        "authors": "Ettehad D, Emdin CA, Kiran A, et al.",
        "source": "The Lancet",
        "year": 2016,
        "doi": "10.1016/S0140-6736(15)01225-8",
        "pmid": "26724178",
    },
    {
        "key": "pathway2-2015",
        "kind": "research",
        "title": "Spironolactone versus placebo, bisoprolol, and doxazosin to determine the optimal treatment for drug-resistant hypertension (PATHWAY-2): a randomised, double-blind, crossover trial",
        "authors": "Williams B, MacDonald TM, Morant S, et al.",
        "source": "The Lancet",
        "year": 2015,
        "doi": "10.1016/S0140-6736(15)00257-3",
        "pmid": "26414968",
    },
    {
        "key": "accord-bp-2010",
        "kind": "research",
        "title": "Effects of Intensive Blood-Pressure Control in Type 2 Diabetes Mellitus",
        "authors": "ACCORD Study Group; Cushman WC, Evans GW, Byington RP, et al.",
        "source": "New England Journal of Medicine",
        "year": 2010,
        "doi": "10.1056/NEJMoa1001286",
        "pmid": "20228401",
    },
    # Community-acquired pneumonia
    {
        "key": "ats-idsa-cap-2019",
        "kind": "guideline",
        "title": "Diagnosis and Treatment of Adults with Community-acquired Pneumonia. An Official Clinical Practice Guideline of the American Thoracic Society and Infectious Diseases Society of America",
        "authors": "Metlay JP, Waterer GW, Long AC, et al.",
        "source": "American Journal of Respiratory and Critical Care Medicine",
        "year": 2019,
        "doi": "10.1164/rccm.201908-1581ST",
        "pmid": "31573350",
    },
    {
        "key": "bts-cap-2009",
        "kind": "guideline",
        "title": "BTS guidelines for the management of community acquired pneumonia in adults: update 2009",
        "authors": "Lim WS, Baudouin SV, George RC, et al.",
        "source": "Thorax",
        "year": 2009,
        "doi": "10.1136/thx.2009.121434",
        "pmid": "19783532",
    },
    {
        "key": "nice-ng138-2019",
        "kind": "guideline",
        "title": "Pneumonia (community-acquired): antimicrobial prescribing (NICE guideline NG138)",
        "authors": "National Institute for Health and Care Excellence",
        "source": "National Institute for Health and Care Excellence (NICE)",
        "year": 2019,
        "url": "https://www.nice.org.uk/guidance/ng138",
    },
    {
        "key": "lim-curb65-2003",
        "kind": "research",
        "title": "Defining community acquired pneumonia severity on presentation to hospital: an international derivation and validation study",
        "authors": "Lim WS, van der Eerden MM, Laing R, et al.",
        "source": "Thorax",
        "year": 2003,
        "doi": "10.1136/thorax.58.5.377",
        "pmid": "12728155",
    },
    {
        "key": "fine-psi-1997",
        "kind": "research",
        "title": "A prediction rule to identify low-risk patients with community-acquired pneumonia",
        "authors": "Fine MJ, Auble TE, Yealy DM, et al.",
        "source": "New England Journal of Medicine",
        "year": 1997,
        "doi": "10.1056/NEJM199701233360402",
        "pmid": "8995086",
    },
    {
        "key": "dinh-ptc-2021",
        "kind": "research",
        "title": "Discontinuing β-lactam treatment after 3 days for patients with community-acquired pneumonia in non-critical care wards (PTC): a double-blind, randomised, placebo-controlled, non-inferiority trial",
        "authors": "Dinh A, Ropers J, Duran C, et al.",
        "source": "The Lancet",
        "year": 2021,
        "pmid": "33773631",
    },
    {
        "key": "dequin-capecod-2023",
        "kind": "research",
        "title": "Hydrocortisone in Severe Community-Acquired Pneumonia",
        "authors": "Dequin PF, Meziani F, Quenot JP, et al.",
        "source": "New England Journal of Medicine",
        "year": 2023,
        "doi": "10.1056/NEJMoa2215145",
        "pmid": "36942789",
    },
    {
        "key": "ssc-2021",
        "kind": "guideline",
        "title": "Surviving Sepsis Campaign: International Guidelines for Management of Sepsis and Septic Shock 2021",
        "authors": "Evans L, Rhodes A, Alhazzani W, et al.",
        "source": "Critical Care Medicine",
        "year": 2021,
        "doi": "10.1097/CCM.0000000000005337",
        "pmid": "34605781",
    },
    # Type 2 diabetes
    {
        "key": "ada-soc-2025-pharm",
        "kind": "guideline",
        "title": "9. Pharmacologic Approaches to Glycemic Treatment: Standards of Care in Diabetes—2025",
        "authors": "American Diabetes Association Professional Practice Committee",
        "source": "Diabetes Care",
        "year": 2025,
        "doi": "10.2337/dc25-S009",
    },
    {
        "key": "ada-soc-2025-cvd",
        "kind": "guideline",
        "title": "10. Cardiovascular Disease and Risk Management: Standards of Care in Diabetes—2025",
        "authors": "American Diabetes Association Professional Practice Committee",
        "source": "Diabetes Care",
        "year": 2025,
        "doi": "10.2337/dc25-S010",
    },
    {
        "key": "ada-easd-2022",
        "kind": "guideline",
        "title": "Management of Hyperglycemia in Type 2 Diabetes, 2022. A Consensus Report by the American Diabetes Association (ADA) and the European Association for the Study of Diabetes (EASD)",
        "authors": "Davies MJ, Aroda VR, Collins BS, et al.",
        "source": "Diabetes Care",
        "year": 2022,
        "doi": "10.2337/dci22-0034",
        "pmid": "36148880",
    },
    {
        "key": "kdigo-dm-ckd-2022",
        "kind": "guideline",
        "title": "KDIGO 2022 Clinical Practice Guideline for Diabetes Management in Chronic Kidney Disease",
        "authors": "Kidney Disease: Improving Global Outcomes (KDIGO) Diabetes Work Group",
        "source": "Kidney International",
        "year": 2022,
        "doi": "10.1016/j.kint.2022.06.008",
        "pmid": "36272764",
    },
    {
        "key": "empa-reg-2015",
        "kind": "research",
        "title": "Empagliflozin, Cardiovascular Outcomes, and Mortality in Type 2 Diabetes",
        "authors": "Zinman B, Wanner C, Lachin JM, et al.",
        "source": "New England Journal of Medicine",
        "year": 2015,
        "doi": "10.1056/NEJMoa1504720",
        "pmid": "26378978",
    },
    {
        "key": "leader-2016",
        "kind": "research",
        "title": "Liraglutide and Cardiovascular Outcomes in Type 2 Diabetes",
        "authors": "Marso SP, Daniels GH, Brown-Frandsen K, et al.",
        "source": "New England Journal of Medicine",
        "year": 2016,
        "doi": "10.1056/NEJMoa1603827",
        "pmid": "27295427",
    },
    {
        "key": "credence-2019",
        "kind": "research",
        "title": "Canagliflozin and Renal Outcomes in Type 2 Diabetes and Nephropathy",
        "authors": "Perkovic V, Jardine MJ, Neal B, et al.",
        "source": "New England Journal of Medicine",
        "year": 2019,
        "doi": "10.1056/NEJMoa1811744",
        "pmid": "30990260",
    },
    {
        "key": "zelniker-2019",
        "kind": "systematic_review",
        "title": "SGLT2 inhibitors for primary and secondary prevention of cardiovascular and renal outcomes in type 2 diabetes: a systematic review and meta-analysis of cardiovascular outcome trials",
        "authors": "Zelniker TA, Wiviott SD, Raz I, et al.",
        "source": "The Lancet",
        "year": 2019,
        "doi": "10.1016/S0140-6736(18)32590-X",
        "pmid": "30424892",
    },
    {
        "key": "ukpds34-1998",
        "kind": "research",
        "title": "Effect of intensive blood-glucose control with metformin on complications in overweight patients with type 2 diabetes (UKPDS 34)",
        "authors": "UK Prospective Diabetes Study (UKPDS) Group",
        "source": "The Lancet",
        "year": 1998,
        "doi": "10.1016/S0140-6736(98)07037-8",
        "pmid": "9742977",
    },
    # Atrial fibrillation
    {
        "key": "acc-aha-af-2023",
        "kind": "guideline",
        "title": "2023 ACC/AHA/ACCP/HRS Guideline for the Diagnosis and Management of Atrial Fibrillation",
        "authors": "Joglar JA, Chung MK, Armbruster AL, et al.",
        "source": "Circulation",
        "year": 2024,
        "doi": "10.1161/CIR.0000000000001193",
        "pmid": "38033089",
    },
    {
        "key": "esc-af-2024",
        "kind": "guideline",
        "title": "2024 ESC Guidelines for the management of atrial fibrillation developed in collaboration with the European Association for Cardio-Thoracic Surgery (EACTS)",
        "authors": "Van Gelder IC, Rienstra M, Bunting KV, et al.",
        "source": "European Heart Journal",
        "year": 2024,
        "doi": "10.1093/eurheartj/ehae176",
        "pmid": "39210723",
    },
    {
        "key": "lip-cha2ds2vasc-2010",
        "kind": "research",
        "title": "Refining clinical risk stratification for predicting stroke and thromboembolism in atrial fibrillation using a novel risk factor-based approach: the Euro Heart Survey on Atrial Fibrillation",
        "authors": "Lip GYH, Nieuwlaat R, Pisters R, Lane DA, Crijns HJGM",
        "source": "Chest",
        "year": 2010,
        "doi": "10.1378/chest.09-1584",
        "pmid": "19762550",
    },
    {
        "key": "pisters-hasbled-2010",
        "kind": "research",
        "title": "A novel user-friendly score (HAS-BLED) to assess 1-year risk of major bleeding in patients with atrial fibrillation: the Euro Heart Survey",
        "authors": "Pisters R, Lane DA, Nieuwlaat R, et al.",
        "source": "Chest",
        "year": 2010,
        "doi": "10.1378/chest.10-0134",
        "pmid": "20299623",
    },
    {
        "key": "ruff-2014",
        "kind": "systematic_review",
        "title": "Comparison of the efficacy and safety of new oral anticoagulants with warfarin in patients with atrial fibrillation: a meta-analysis of randomised trials",
        "authors": "Ruff CT, Giugliano RP, Braunwald E, et al.",
        "source": "The Lancet",
        "year": 2014,
        "doi": "10.1016/S0140-6736(13)62343-0",
        "pmid": "24315724",
    },
    {
        "key": "rely-2009",
        "kind": "research",
        "title": "Dabigatran versus Warfarin in Patients with Atrial Fibrillation",
        "authors": "Connolly SJ, Ezekowitz MD, Yusuf S, et al.",
        "source": "New England Journal of Medicine",
        "year": 2009,
        "doi": "10.1056/NEJMoa0905561",
        "pmid": "19717844",
    },
    {
        "key": "rocket-af-2011",
        "kind": "research",
        "title": "Rivaroxaban versus Warfarin in Nonvalvular Atrial Fibrillation",
        "authors": "Patel MR, Mahaffey KW, Garg J, et al.",
        "source": "New England Journal of Medicine",
        "year": 2011,
        "doi": "10.1056/NEJMoa1009638",
        "pmid": "21830957",
    },
    {
        "key": "aristotle-2011",
        "kind": "research",
        "title": "Apixaban versus Warfarin in Patients with Atrial Fibrillation",
        "authors": "Granger CB, Alexander JH, McMurray JJV, et al.",
        "source": "New England Journal of Medicine",
        "year": 2011,
        "doi": "10.1056/NEJMoa1107039",
        "pmid": "21870978",
    },
    {
        "key": "engage-2013",
        "kind": "research",
        "title": "Edoxaban versus Warfarin in Patients with Atrial Fibrillation",
        "authors": "Giugliano RP, Ruff CT, Braunwald E, et al.",
        "source": "New England Journal of Medicine",
        "year": 2013,
        "doi": "10.1056/NEJMoa1310907",
        "pmid": "24251359",
    },
]


# -- Articles --------------------------------------------------------------------------------
# "status" is where the demo takes a new article through the real review workflow
# (reviews.services): submitted by `editor`, reviewed and approved by `reviewer`. An article
# that already has review events is left where its workflow is.

HYPERTENSION = {
    "slug": "hypertension-adults-starting-treatment",
    "topic": "hypertension",
    "status": "approved",
    "approval_comment": (
        "Checked the thresholds, targets and first-line choices against the 2025 AHA/ACC and "
        "2024 ESC guidelines cited; the pathway and the pitfalls agree with the table. "
        "Approved as written."
    ),
    "question_status": "answered",
    "authors": ["editor", "chief"],
    "question": (
        "A 56-year-old man has clinic blood pressure readings averaging 148/94 mmHg over three "
        "visits and a home average of 142/90 mmHg. He has no diabetes, kidney disease or "
        "cardiovascular disease. Does he need medication now, what blood pressure should we "
        "aim for, and which drugs should we start with?"
    ),
    "headline": "Newly confirmed hypertension in adults: when to start drugs, which target, which drugs first",
    "bottom_line": _md(
        """
        Confirm the diagnosis with home or ambulatory readings, then aim for a blood pressure
        below 130/80 mmHg in most adults, going lower (systolic 120–129 mmHg) when treatment is
        well tolerated [@aha-acc-htn-2025; @esc-htn-2024]. When confirmed blood pressure is
        140/90 mmHg or more, as in this patient, start two first-line drugs from different
        classes, preferably in a single pill [@aha-acc-htn-2025; @esc-htn-2024]. How far the
        pressure falls matters more than which first-line class lowers it
        [@ettehad-2016; @allhat-2002].
        """
    ),
    "sections": [
        {
            "heading": "Confirm the diagnosis first",
            "kind": "standard",
            "body": _md(
                """
                A single raised clinic reading is not a diagnosis. Base it on the average of
                two or more readings taken on two or more occasions with careful technique,
                and confirm it outside the clinic [@acc-aha-htn-2017; @esc-htn-2024].

                - **Technique:** seated for 5 minutes with the back supported, feet flat and
                  the arm resting at heart level; no caffeine, exercise or smoking in the 30
                  minutes before; no talking during the measurement.
                - **Cuff:** chosen from the measured arm circumference. A cuff that is too
                  small reads falsely high.
                - **Out-of-office readings:** home monitoring with a validated upper-arm
                  device (two readings morning and evening for about a week) or 24-hour
                  ambulatory monitoring. Both detect white-coat hypertension (raised in the
                  clinic only) and masked hypertension (normal in the clinic, raised
                  elsewhere).

                Out-of-office readings run lower than clinic readings at the same level of
                risk, so they have their own thresholds [@acc-aha-htn-2017]:

                | Clinic | Home | Daytime ambulatory | Night-time ambulatory | 24-hour ambulatory |
                |---|---|---|---|---|
                | 130/80 | 130/80 | 130/80 | 110/65 | 125/75 |
                | 140/90 | 135/85 | 135/85 | 120/70 | 130/80 |

                At diagnosis, check sodium, potassium, calcium, creatinine with eGFR, fasting
                glucose or HbA1c, a lipid profile, a full blood count, thyroid-stimulating
                hormone, urinalysis and a 12-lead ECG [@acc-aha-htn-2017]; a urine
                albumin-to-creatinine ratio adds information about kidney damage and
                cardiovascular risk [@esc-htn-2024]. Together they look for organ damage,
                other risk factors and clues to a secondary cause.
                """
            ),
        },
        {
            "heading": "Who needs drugs, and what target",
            "kind": "standard",
            "body": _md(
                """
                ### Thresholds for starting drugs

                - **Confirmed 140/90 mmHg or more:** lifestyle changes and drug treatment
                  together, from the start [@aha-acc-htn-2025; @esc-htn-2024].
                - **130–139/80–89 mmHg:** start drugs when there is clinical cardiovascular
                  disease, diabetes, chronic kidney disease or a high estimated 10-year
                  cardiovascular risk. Otherwise try lifestyle changes for 3–6 months and add
                  a drug if blood pressure stays at 130/80 mmHg or more [@aha-acc-htn-2025].
                  The ESC similarly reserves drugs in this range for people at high
                  cardiovascular risk whose pressure stays at or above 130/80 mmHg after about
                  three months of lifestyle measures [@esc-htn-2024].

                ### Targets

                - Aim for below 130/80 mmHg in most adults [@aha-acc-htn-2025]. The ESC
                  recommends a systolic target of 120–129 mmHg when treatment is well
                  tolerated [@esc-htn-2024].
                - In people aged 85 or over, frail people and those with symptomatic
                  orthostatic hypotension, lower the pressure as far as is reasonably
                  achievable without harm rather than chasing a number [@esc-htn-2024].
                - In diabetes, the ADA also recommends below 130/80 mmHg where it can be
                  reached safely [@ada-soc-2025-cvd].

                ### What the target trials showed

                - **SPRINT** enrolled 9,361 adults aged 50 or over with a systolic pressure of
                  130–180 mmHg and raised cardiovascular risk, excluding people with diabetes
                  or previous stroke. A systolic target below 120 mmHg, compared with below
                  140 mmHg, reduced major cardiovascular events and death from any cause, at
                  the cost of more hypotension, syncope, electrolyte disturbance and acute
                  kidney injury [@sprint-2015].
                - **STEP** randomised 8,511 Chinese adults aged 60 to 80 to a systolic target
                  of 110 to under 130 mmHg or 130 to under 150 mmHg; the lower target reduced
                  cardiovascular events [@step-2021].
                - **ACCORD BP**, in type 2 diabetes, found that a systolic target below 120
                  mmHg did not significantly reduce its primary composite outcome, although
                  there were fewer strokes [@accord-bp-2010].
                - Across 123 trials, each 10 mmHg fall in systolic pressure cut major
                  cardiovascular events by about a fifth, with a similar relative benefit
                  whatever the starting pressure [@ettehad-2016].
                """
            ),
        },
        {
            "heading": "Choosing the first drugs",
            "kind": "standard",
            "body": _md(
                """
                Four classes have outcome evidence as first-line treatment: thiazide or
                thiazide-like diuretics, ACE inhibitors, angiotensin-receptor blockers (ARBs)
                and dihydropyridine calcium-channel blockers [@aha-acc-htn-2025; @esc-htn-2024].
                In ALLHAT, chlorthalidone, amlodipine and lisinopril protected equally against
                coronary events, and chlorthalidone prevented heart failure best
                [@allhat-2002].

                - For confirmed blood pressure of 140/90 mmHg or more, combine a
                  renin–angiotensin system blocker (ACE inhibitor or ARB) with a
                  calcium-channel blocker or a thiazide-like diuretic, at low or moderate
                  doses, ideally in a single pill [@esc-htn-2024].
                - Start with one drug in people who are frail or very old, who have
                  symptomatic orthostatic hypotension, or whose pressure is 130–139/80–89
                  mmHg [@esc-htn-2024].
                - Do not combine an ACE inhibitor with an ARB: more hyperkalaemia and kidney
                  injury, no added protection [@aha-acc-htn-2025; @esc-htn-2024].
                - Add a beta-blocker for a specific reason — heart failure with reduced
                  ejection fraction, angina, a recent myocardial infarction or heart-rate
                  control — rather than as the default first drug [@esc-htn-2024].

                | Situation | Preferred starting choice |
                |---|---|
                | Albuminuria, with or without diabetes | ACE inhibitor or ARB, titrated to the highest tolerated dose |
                | Heart failure with reduced ejection fraction | Guideline-directed heart-failure drugs; avoid verapamil and diltiazem |
                | Black adults without heart failure or chronic kidney disease | A thiazide-type diuretic or a calcium-channel blocker in the first regimen [@acc-aha-htn-2017] |
                | Pregnancy possible or planned | No ACE inhibitor or ARB; agree contraception, or switch drug before conception |
                """
            ),
        },
        {
            "heading": "Step by step: from diagnosis to control",
            "kind": "algorithm",
            "body": _md(
                """
                1. **Confirm the diagnosis** with home or ambulatory readings and complete the
                   baseline tests.
                2. **Start lifestyle measures in everyone** [@aha-acc-htn-2025; @esc-htn-2024]:
                   - less dietary sodium and, unless kidney disease or potassium-retaining drugs
                     make it unsafe, more potassium from fruit and vegetables;
                   - a DASH-style diet, weight loss if overweight, regular physical activity
                     and less alcohol.
                3. **Start drugs** when the thresholds are met:
                   - 140/90 mmHg or more: a two-drug single pill (renin–angiotensin system
                     blocker plus calcium-channel blocker or thiazide-like diuretic);
                   - frail, very old, orthostatic hypotension, or 130–139/80–89 mmHg: one drug
                     at a low dose.
                4. **Check potassium and creatinine** 2–4 weeks after starting or increasing an
                   ACE inhibitor, ARB or diuretic.
                5. **Review about monthly and titrate** until the target is reached: raise the
                   doses, then move to the three-drug combination of renin–angiotensin system
                   blocker, calcium-channel blocker and thiazide-like diuretic.
                6. **If blood pressure stays above target on three drugs at full doses**, one of
                   them a diuretic (resistant hypertension):
                   - check adherence, measurement technique and interfering substances (NSAIDs,
                     decongestants, stimulants, alcohol, liquorice, oral oestrogens);
                   - confirm with ambulatory monitoring and screen for primary aldosteronism
                     and other secondary causes;
                   - add spironolactone if potassium and eGFR allow: in PATHWAY-2 it lowered
                     blood pressure more than bisoprolol or doxazosin [@pathway2-2015];
                   - refer to a hypertension specialist if it is still uncontrolled.
                7. **Once at target**, review every 3–6 months at first and at least yearly
                   once stable, with home readings in between.
                """
            ),
        },
        {
            "heading": "Critical pitfalls",
            "kind": "pitfalls",
            "body": _md(
                """
                - **Diagnosing on one clinic visit.** White-coat hypertension leads to
                  overtreatment and masked hypertension is missed; confirm outside the clinic
                  [@esc-htn-2024].
                - **Reading trial targets against a different measurement.** SPRINT averaged
                  three automated readings after five minutes' rest, often with no staff in
                  the room [@sprint-2015]; routine clinic readings usually run higher.
                - **Dual renin–angiotensin blockade.** An ACE inhibitor with an ARB adds
                  hyperkalaemia and kidney injury without benefit [@esc-htn-2024].
                - **Stopping an ACE inhibitor or ARB for a small creatinine rise.** A rise of
                  up to about 30% after starting is expected; recheck rather than stop, and
                  look for volume depletion, NSAIDs or renal artery stenosis if it is larger.
                - **ACE inhibitors or ARBs without contraception advice** in a woman who could
                  become pregnant: both harm the fetus.
                - **Missing orthostatic hypotension** in older or diabetic patients: measure
                  standing blood pressure after 1 and 3 minutes before intensifying
                  treatment.
                - **Clinical inertia.** Leaving treatment unchanged while blood pressure stays
                  above target is a common reason it is never controlled; intensify at each
                  visit until the target is met.
                """
            ),
        },
    ],
}

PNEUMONIA = {
    "slug": "community-acquired-pneumonia-adults",
    "topic": "infectious-diseases",
    "status": "under_review",
    # The first submission was sent back: it followed the 2019 guideline on corticosteroids
    # alone. The sections below are the resubmitted revision, now under review.
    "changes_requested": {
        "by": "reviewer2",
        "comment": (
            "Section 5 advises against corticosteroids in severe pneumonia on the strength "
            "of the 2019 ATS/IDSA guideline alone. CAPE COD (Dequin et al., NEJM 2023) found "
            "lower 28-day mortality with early hydrocortisone in severe community-acquired "
            "pneumonia in intensive care. Please add it, with the patients it excluded "
            "(influenza, septic shock at enrolment), and say that the guideline predates it."
        ),
        "earlier_sections": {
            5: {
                "body": _md(
                    """
                    - **Non-severe pneumonia:** do not give corticosteroids routinely
                      [@ats-idsa-cap-2019].
                    - **Severe pneumonia:** the ATS/IDSA guideline advises against routine
                      corticosteroids [@ats-idsa-cap-2019].
                    - **Septic shock:** intravenous corticosteroids are suggested when
                      vasopressors are still needed [@ssc-2021].
                    - **Prevention at follow-up:** offer influenza and pneumococcal vaccination
                      and help to stop smoking.
                    """
                ),
            },
        },
    },
    "question_status": "accepted",
    "authors": ["editor"],
    "question": (
        "When an adult presents with community-acquired pneumonia, how do we decide whether "
        "they can be treated at home, and which empirical antibiotics should we start?"
    ),
    "headline": "Community-acquired pneumonia in adults: where to treat and which antibiotics to start",
    "bottom_line": _md(
        """
        Decide where to treat with a validated severity score — the Pneumonia Severity Index
        or CURB-65 — together with oxygen saturation, comorbidities and support at home
        [@ats-idsa-cap-2019; @lim-curb65-2003]. Treat low-severity pneumonia with oral
        amoxicillin (doxycycline or a macrolide are alternatives) and patients admitted to
        hospital with a β-lactam plus a macrolide, covering MRSA or *Pseudomonas aeruginosa*
        only when specific risk factors are present [@ats-idsa-cap-2019; @nice-ng138-2019].
        Five days of antibiotics is enough for most patients who have become clinically
        stable [@ats-idsa-cap-2019; @dinh-ptc-2021].
        """
    ),
    "sections": [
        {
            "heading": "Confirm pneumonia and judge its severity",
            "kind": "standard",
            "body": _md(
                """
                Suspect pneumonia in an acute lower respiratory illness — cough, fever,
                breathlessness or pleuritic pain — with new focal chest signs, and confirm it
                with a chest radiograph when one can be obtained
                [@ats-idsa-cap-2019; @bts-cap-2009].

                ### Severity scores

                CURB-65 gives one point for each of five features [@lim-curb65-2003]:

                | Feature | Points |
                |---|---|
                | **C**onfusion, new | 1 |
                | **U**rea above 7 mmol/L (blood urea nitrogen above 19 mg/dL) | 1 |
                | **R**espiratory rate 30/min or more | 1 |
                | **B**lood pressure: systolic below 90 or diastolic 60 mmHg or less | 1 |
                | Age **65** or over | 1 |

                - **0–1:** low risk; usually suitable for treatment at home.
                - **2:** moderate risk; consider a short admission or hospital-supervised
                  treatment at home.
                - **3–5:** high risk; admit, and assess for intensive care at 4–5
                  [@bts-cap-2009].

                Without a urea result, as in most primary care settings, CRB-65 uses the other
                four features [@bts-cap-2009]. The Pneumonia Severity Index is longer but
                identifies more patients at low risk, and the ATS/IDSA guideline prefers it
                for deciding on treatment at home [@fine-psi-1997; @ats-idsa-cap-2019].

                ### When to overrule a low score

                The scores predict death; they do not replace judgement. Admit whatever the
                score when there is hypoxaemia, inability to take oral treatment, an unstable
                comorbidity or no one to help at home. Involve critical care for septic shock
                needing vasopressors, respiratory failure needing ventilation, or three or
                more minor criteria of severe pneumonia: respiratory rate 30/min or more,
                PaO₂/FiO₂ 250 or less, multilobar infiltrates, confusion, blood urea nitrogen
                20 mg/dL or more, white cell count below 4 × 10⁹/L, platelets below
                100 × 10⁹/L, temperature below 36 °C, or hypotension needing aggressive fluid
                resuscitation [@ats-idsa-cap-2019].
                """
            ),
        },
        {
            "heading": "Tests that change management",
            "kind": "standard",
            "body": _md(
                """
                - **Treated at home:** no routine sputum culture, blood culture or urinary
                  antigen tests [@ats-idsa-cap-2019].
                - **Admitted with severe pneumonia, or with risk factors for MRSA or
                  *Pseudomonas*:** blood cultures and sputum Gram stain and culture before the
                  first dose, without delaying it; pneumococcal and *Legionella* urinary
                  antigens in severe disease [@ats-idsa-cap-2019].
                - **Influenza circulating:** test with a rapid molecular assay, and give
                  oseltamivir to admitted patients who test positive, whatever the duration of
                  symptoms [@ats-idsa-cap-2019].
                - **Procalcitonin:** do not use it to decide whether to start antibiotics when
                  the clinical and radiographic picture fits pneumonia [@ats-idsa-cap-2019].
                - **Sepsis or septic shock:** give antibiotics immediately, ideally within one
                  hour of recognition, and manage shock as for sepsis [@ssc-2021].
                """
            ),
        },
        {
            "heading": "Empirical antibiotics",
            "kind": "standard",
            "body": _md(
                """
                Choose by severity and place of care, then adjust to culture results, local
                resistance patterns and allergy [@ats-idsa-cap-2019; @nice-ng138-2019]. Doses
                are in the cited guidelines and local formularies.

                | Setting | First choice | Alternatives |
                |---|---|---|
                | Home, no major comorbidity | Amoxicillin | Doxycycline; a macrolide where pneumococcal macrolide resistance is low |
                | Home, with comorbidity\\* | Amoxicillin–clavulanate or a cephalosporin, plus a macrolide or doxycycline | A respiratory fluoroquinolone alone |
                | Hospital, not severe | A β-lactam (such as ceftriaxone, cefotaxime or ampicillin–sulbactam) plus a macrolide | A respiratory fluoroquinolone alone |
                | Hospital, severe | A β-lactam plus a macrolide | A β-lactam plus a respiratory fluoroquinolone |

                \\* Chronic heart, lung, liver or kidney disease, diabetes, alcohol use
                disorder, cancer or asplenia [@ats-idsa-cap-2019].

                UK practice, following NICE, keeps amoxicillin for moderate severity (adding a
                macrolide if atypical infection is suspected) and uses amoxicillin–clavulanate
                with a macrolide for high severity [@nice-ng138-2019].

                ### Covering MRSA or *Pseudomonas aeruginosa*

                Add this cover only for a reason [@ats-idsa-cap-2019]:

                - **The organism was isolated from the respiratory tract before:** add cover
                  and send cultures, whatever the severity.
                - **Admission with intravenous antibiotics in the last 90 days, plus locally
                  validated risk factors:** in severe pneumonia, add cover and send cultures;
                  in non-severe pneumonia, send cultures and add cover only if they grow the
                  organism.
                - A negative MRSA nasal PCR supports stopping anti-MRSA treatment.
                """
            ),
        },
        {
            "heading": "Management pathway",
            "kind": "algorithm",
            "body": _md(
                """
                1. **Confirm the diagnosis** clinically and, where possible, with a chest
                   radiograph.
                2. **Assess severity** with CURB-65 (CRB-65 in the community) or the Pneumonia
                   Severity Index, plus oxygen saturation, comorbidity and home circumstances.
                   - Low severity and able to take oral treatment: treat at home.
                   - Moderate or high severity, hypoxaemia or no support at home: admit.
                   - Shock, respiratory failure or three or more minor criteria: involve
                     critical care.
                3. **Start antibiotics promptly** from the table above; within one hour when
                   sepsis or septic shock is suspected [@ssc-2021].
                4. **Send the tests that change management** in admitted patients: cultures
                   when severe or when MRSA or *Pseudomonas* risk factors are present;
                   influenza testing when it is circulating.
                5. **Reassess at 48–72 hours:** temperature, heart rate, respiratory rate,
                   blood pressure, oxygen saturation, mental state and ability to eat.
                   - Improving: switch from intravenous to oral treatment once stable and able
                     to swallow.
                   - Not improving: review the diagnosis, cultures and imaging; look for
                     empyema, abscess, a resistant or unusual organism, or a non-infective
                     cause.
                6. **Stop at 5 days** once the patient is clinically stable
                   [@ats-idsa-cap-2019]; in stable ward patients, stopping a β-lactam after 3
                   days was non-inferior to 8 days [@dinh-ptc-2021]. Treat longer for MRSA or
                   *Pseudomonas* (7 days), empyema, lung abscess or infection elsewhere
                   [@ats-idsa-cap-2019].
                7. **Follow up** symptoms after a few weeks. A routine follow-up chest
                   radiograph is not needed once symptoms have resolved [@ats-idsa-cap-2019];
                   arrange one for persisting symptoms or signs, or when an underlying lung
                   cancer is more likely, as in smokers and older adults [@bts-cap-2009].
                """
            ),
        },
        {
            "heading": "Corticosteroids and other adjuncts",
            "kind": "standard",
            "body": _md(
                """
                - **Non-severe pneumonia:** do not give corticosteroids routinely
                  [@ats-idsa-cap-2019].
                - **Severe pneumonia in intensive care:** in CAPE COD, early intravenous
                  hydrocortisone lowered 28-day mortality compared with placebo
                  [@dequin-capecod-2023]. The trial excluded patients with influenza and those
                  in septic shock at enrolment, so apply it to patients like those it
                  studied. The ATS/IDSA guideline, written before the trial, advised against
                  routine use in severe pneumonia [@ats-idsa-cap-2019].
                - **Septic shock:** intravenous corticosteroids are suggested when vasopressors
                  are still needed [@ssc-2021].
                - **Prevention at follow-up:** offer influenza and pneumococcal vaccination
                  and help to stop smoking.
                """
            ),
        },
        {
            "heading": "Critical pitfalls",
            "kind": "pitfalls",
            "body": _md(
                """
                - **Treating the score, not the patient.** A CURB-65 of 0–1 with a low oxygen
                  saturation, an unstable comorbidity or no support at home still needs
                  admission.
                - **Delaying antibiotics for tests** when sepsis is suspected: cultures must
                  not hold up the first dose [@ssc-2021].
                - **Reflex broad-spectrum cover.** Anti-MRSA or anti-pseudomonal drugs given
                  without the risk factors above add harm — *Clostridioides difficile*, kidney
                  injury, resistance — with no evidence of benefit [@ats-idsa-cap-2019].
                - **Fluoroquinolones for convenience.** Keep them for when they are needed:
                  tendinopathy, aortic aneurysm, QT prolongation, dysglycaemia and
                  *C. difficile* infection, and they can mask tuberculosis.
                - **Macrolides and the QT interval.** Check for interacting drugs and look at
                  the ECG in patients at risk.
                - **Long courses by habit.** Most stable patients need 5 days
                  [@ats-idsa-cap-2019; @dinh-ptc-2021].
                - **Missing influenza or COVID-19**, which change isolation and antiviral
                  treatment.
                - **No follow-up for persisting symptoms**, which may reveal an obstructing
                  cancer, an empyema or another diagnosis [@bts-cap-2009].
                """
            ),
        },
    ],
}

DIABETES = {
    "slug": "type-2-diabetes-add-on-to-metformin-cardiorenal",
    "topic": "diabetes",
    "status": "submitted",
    "question_status": "accepted",
    "authors": ["editor"],
    "question": (
        "A 63-year-old woman with type 2 diabetes had a myocardial infarction two years ago. "
        "Her HbA1c is 8.1% on metformin 1 g twice daily, her eGFR is 52 mL/min/1.73 m² and "
        "her urine albumin-to-creatinine ratio is 45 mg/g. What should be added to metformin?"
    ),
    "headline": "Type 2 diabetes with heart and kidney disease: what to add to metformin",
    "bottom_line": _md(
        """
        Add a medicine chosen for its proven protection of the heart and kidneys, not only for
        its effect on HbA1c: an SGLT2 inhibitor, a GLP-1 receptor agonist, or both
        [@ada-soc-2025-pharm; @ada-easd-2022]. With an eGFR of 52 and albuminuria, start with
        an SGLT2 inhibitor, which also slows kidney disease [@kdigo-dm-ckd-2022; @credence-2019],
        and add a GLP-1 receptor agonist with proven cardiovascular benefit if HbA1c stays
        above target [@leader-2016; @ada-soc-2025-pharm]. Keep metformin at this eGFR, and
        treat blood pressure, albuminuria and lipids alongside
        [@kdigo-dm-ckd-2022; @ada-soc-2025-cvd].
        """
    ),
    "sections": [
        {
            "heading": "Choose for the heart and kidneys",
            "kind": "standard",
            "body": _md(
                """
                In type 2 diabetes with atherosclerotic cardiovascular disease, heart failure
                or chronic kidney disease, guidelines recommend an SGLT2 inhibitor or a GLP-1
                receptor agonist with proven benefit, whatever the HbA1c and whether or not
                metformin is taken [@ada-soc-2025-pharm; @ada-easd-2022]. Metformin remains a
                reasonable foundation: it lowers glucose without causing hypoglycaemia on its
                own, and in overweight patients in UKPDS 34 it reduced diabetes-related
                complications [@ukpds34-1998].

                ### The outcome trials

                - **EMPA-REG OUTCOME:** in 7,020 patients with established cardiovascular
                  disease, empagliflozin reduced major cardiovascular events, cardiovascular
                  death and hospitalisation for heart failure [@empa-reg-2015].
                - **LEADER:** in 9,340 patients at high cardiovascular risk, liraglutide
                  reduced major cardiovascular events and cardiovascular death
                  [@leader-2016].
                - **CREDENCE:** in 4,401 patients with albuminuric chronic kidney disease,
                  canagliflozin reduced the composite of kidney failure, doubling of
                  creatinine, and renal or cardiovascular death [@credence-2019].
                - A meta-analysis of the SGLT2 inhibitor outcome trials found the reduction in
                  major cardiovascular events confined to people with established
                  atherosclerotic disease, whereas fewer hospitalisations for heart failure
                  and slower kidney disease progression were seen with or without it
                  [@zelniker-2019].

                | | SGLT2 inhibitor | GLP-1 receptor agonist |
                |---|---|---|
                | Major cardiovascular events | Reduced in established atherosclerotic disease | Reduced (agents with proven benefit) |
                | Hospitalisation for heart failure | Reduced | Small effect at most |
                | Kidney disease progression | Reduced | Less albuminuria; kidney outcome evidence less extensive |
                | HbA1c lowering | Modest; smaller at low eGFR | Moderate to large |
                | Weight | Modest loss | Moderate to large loss |
                | Main adverse effects | Genital fungal infection, volume depletion, rare ketoacidosis | Nausea, vomiting, diarrhoea; gallbladder disease |
                | How it is taken | Tablet once daily | Injection daily or weekly; one oral form |
                """
            ),
        },
        {
            "heading": "Step by step: adding to metformin",
            "kind": "algorithm",
            "body": _md(
                """
                1. **Check the foundations:** adherence, lifestyle support, and the metformin
                   dose for the current eGFR — full dose at 45 or above, half dose at 30–44,
                   stop below 30 [@kdigo-dm-ckd-2022].
                2. **Add an SGLT2 inhibitor with proven benefit**, such as empagliflozin 10 mg,
                   dapagliflozin 10 mg or canagliflozin 100 mg once daily
                   [@kdigo-dm-ckd-2022; @ada-soc-2025-pharm]:
                   - start it at an eGFR of 20 or more, and continue it below 20 if tolerated
                     until dialysis or transplantation;
                   - if HbA1c is near target and the patient takes insulin or a sulfonylurea,
                     lower that dose to avoid hypoglycaemia;
                   - explain the sick-day rules and the small early fall in eGFR.
                3. **Strengthen cardiorenal protection at the same visit:**
                   - an ACE inhibitor or ARB titrated to the highest tolerated dose for
                     albuminuria [@kdigo-dm-ckd-2022];
                   - blood pressure below 130/80 mmHg where safely achievable
                     [@ada-soc-2025-cvd; @aha-acc-htn-2025];
                   - a high-intensity statin for established atherosclerotic disease
                     [@ada-soc-2025-cvd].
                4. **Recheck HbA1c after about 3 months** against the individual target agreed
                   with the patient (often below 7%, 53 mmol/mol).
                5. **If HbA1c is still above target, add a GLP-1 receptor agonist with proven
                   cardiovascular benefit** (liraglutide, dulaglutide or injectable
                   semaglutide), increasing the dose slowly to limit nausea
                   [@leader-2016; @ada-soc-2025-pharm].
                6. **If albuminuria persists** on the highest tolerated ACE inhibitor or ARB
                   dose, consider finerenone when potassium is normal and eGFR is 25 or more
                   [@kdigo-dm-ckd-2022].
                7. **If glucose is still above target**, add basal insulin or another drug
                   suited to the patient; avoid pioglitazone in heart failure, and do not
                   combine a DPP-4 inhibitor with a GLP-1 receptor agonist
                   [@ada-soc-2025-pharm].
                """
            ),
        },
        {
            "heading": "Kidney function: what to expect and what to monitor",
            "kind": "standard",
            "body": _md(
                """
                ### The early eGFR dip

                A modest fall in eGFR in the first weeks of an SGLT2 inhibitor reflects lower
                pressure inside the glomerulus and is not a reason to stop
                [@kdigo-dm-ckd-2022]. In patients at risk of volume depletion, consider
                reducing a thiazide or loop diuretic before starting.

                ### The glucose effect fades, the protection does not

                As eGFR falls, SGLT2 inhibitors lower glucose less, but their kidney and heart
                benefits persist [@kdigo-dm-ckd-2022]. Keep the drug for protection and use
                another agent for HbA1c if needed.

                ### Monitoring

                | What | When |
                |---|---|
                | eGFR and urine albumin-to-creatinine ratio | At least yearly; 1–4 times a year in chronic kidney disease, by risk |
                | Potassium and creatinine | 2–4 weeks after starting or increasing an ACE inhibitor or ARB; about 4 weeks after starting finerenone |
                | HbA1c | Every 3 months while treatment is changing; at least twice a year when stable at target |
                | Vitamin B12 | Periodically on long-term metformin, especially with anaemia or neuropathy |
                """
            ),
        },
        {
            "heading": "Counselling and sick-day rules",
            "kind": "key_points",
            "body": _md(
                """
                - **SGLT2 inhibitors:** pause during illness with vomiting, diarrhoea or poor
                  intake, and before surgery or procedures that need fasting (at least 3 days
                  before for most agents); restart once eating and drinking normally. Ketoacidosis can occur
                  with near-normal glucose, so check ketones in an unwell patient. Genital
                  hygiene reduces fungal infection.
                - **GLP-1 receptor agonists:** nausea usually settles; eat smaller meals and
                  stop eating when full. Seek help for severe persistent abdominal pain. Do
                  not use with a personal or family history of medullary thyroid carcinoma or
                  multiple endocrine neoplasia type 2.
                - **Metformin:** pause during dehydrating illness and, when kidney function is
                  reduced, around iodinated contrast.
                - **Insulin and sulfonylureas:** teach how to recognise and treat
                  hypoglycaemia, and reduce the dose when a new agent brings HbA1c down.
                """
            ),
        },
        {
            "heading": "Critical pitfalls",
            "kind": "pitfalls",
            "body": _md(
                """
                - **Choosing the add-on by HbA1c alone.** A sulfonylurea or DPP-4 inhibitor
                  lowers HbA1c without the heart and kidney protection this patient needs
                  [@ada-soc-2025-pharm].
                - **Stopping an SGLT2 inhibitor for the early eGFR dip**, or because its
                  glucose effect is small at low eGFR [@kdigo-dm-ckd-2022].
                - **Assuming every drug in a class has proven benefit.** Choose agents with
                  positive outcome trials [@ada-soc-2025-pharm].
                - **Hypoglycaemia** when an add-on starts without lowering insulin or a
                  sulfonylurea.
                - **Missing euglycaemic ketoacidosis** because glucose is only mildly raised.
                - **A DPP-4 inhibitor with a GLP-1 receptor agonist:** no added benefit.
                - **Full-dose metformin as eGFR falls:** halve it below 45 and stop it below 30
                  [@kdigo-dm-ckd-2022].
                - **Forgetting the rest of risk reduction:** statin, blood pressure control,
                  renin–angiotensin blockade and stopping smoking belong to the same plan
                  [@ada-soc-2025-cvd].
                """
            ),
        },
    ],
}

ATRIAL_FIBRILLATION = {
    "slug": "atrial-fibrillation-stroke-prevention-anticoagulation",
    "topic": "cardiac-arrhythmias",
    "status": "draft",
    "question_status": "accepted",
    "authors": ["editor"],
    "question": (
        "In an adult with atrial fibrillation and no mechanical heart valve or "
        "moderate-to-severe mitral stenosis, how do we decide who needs oral anticoagulation, "
        "and which anticoagulant should we use?"
    ),
    "headline": "Stroke prevention in atrial fibrillation: who to anticoagulate and with which drug",
    "bottom_line": _md(
        """
        Offer oral anticoagulation when the stroke risk is high — CHA₂DS₂-VASc 2 or more in men
        or 3 or more in women, or CHA₂DS₂-VA 2 or more in the ESC's sex-neutral version — and
        consider it when the score is one point lower [@acc-aha-af-2023; @esc-af-2024]. Prefer
        a direct oral anticoagulant to warfarin, at full dose unless the patient meets the
        dose-reduction criteria, and keep warfarin for a mechanical heart valve or
        moderate-to-severe mitral stenosis [@acc-aha-af-2023; @ruff-2014]. Use bleeding-risk
        scores to find and correct modifiable risks, not as a reason on their own to withhold
        anticoagulation [@esc-af-2024; @pisters-hasbled-2010].
        """
    ),
    "sections": [
        {
            "heading": "Estimate the stroke risk",
            "kind": "standard",
            "body": _md(
                """
                The decision rests on stroke risk, not on the pattern of the arrhythmia:
                paroxysmal, persistent and permanent atrial fibrillation are treated alike
                [@acc-aha-af-2023; @esc-af-2024].

                | Risk factor | CHA₂DS₂-VASc points |
                |---|---|
                | **C**ongestive heart failure or left ventricular dysfunction | 1 |
                | **H**ypertension | 1 |
                | **A**ge 75 or over | 2 |
                | **D**iabetes | 1 |
                | Previous **s**troke, TIA or thromboembolism | 2 |
                | **V**ascular disease: myocardial infarction, peripheral artery disease, aortic plaque | 1 |
                | **A**ge 65–74 | 1 |
                | **S**ex **c**ategory: female | 1 |

                The score was derived in the Euro Heart Survey to pick out patients at truly
                low risk [@lip-cha2ds2vasc-2010]. The 2024 ESC guideline drops the point for
                female sex (CHA₂DS₂-VA), treating sex as a modifier of risk rather than a risk
                factor on its own [@esc-af-2024].

                - **Anticoagulate:** CHA₂DS₂-VASc 2 or more in men, 3 or more in women;
                  CHA₂DS₂-VA 2 or more [@acc-aha-af-2023; @esc-af-2024].
                - **Consider anticoagulation:** one point lower, weighing the patient's
                  preferences and bleeding risk.
                - **Anticoagulate whatever the score** in hypertrophic cardiomyopathy or
                  cardiac amyloidosis [@esc-af-2024].
                - Recalculate at every review: age and new diagnoses change the score.
                """
            ),
        },
        {
            "heading": "Choosing the anticoagulant",
            "kind": "standard",
            "body": _md(
                """
                ### Direct oral anticoagulants first

                Four large trials compared a direct oral anticoagulant (DOAC) with warfarin:
                RE-LY with dabigatran [@rely-2009], ROCKET AF with rivaroxaban
                [@rocket-af-2011], ARISTOTLE with apixaban [@aristotle-2011] and ENGAGE AF-TIMI
                48 with edoxaban [@engage-2013]. Pooled, the DOACs reduced stroke or systemic
                embolism by about a fifth, halved intracranial haemorrhage and lowered
                mortality from any cause, at the cost of more gastrointestinal bleeding
                [@ruff-2014]. Both major guidelines therefore prefer a DOAC for eligible
                patients [@acc-aha-af-2023; @esc-af-2024].

                ### When warfarin is still the drug

                - A mechanical heart valve, or moderate-to-severe mitral stenosis: DOACs are
                  not used [@acc-aha-af-2023].
                - On warfarin, aim for an INR of 2.0–3.0 and switch eligible patients to a
                  DOAC when time in the therapeutic range stays below 70% [@esc-af-2024].

                ### Doses

                | Drug | Usual dose | Reduced dose, and when |
                |---|---|---|
                | Apixaban | 5 mg twice daily | 2.5 mg twice daily with two of: age 80 or over, weight 60 kg or less, serum creatinine 1.5 mg/dL (133 µmol/L) or more |
                | Rivaroxaban | 20 mg once daily with food | 15 mg once daily with creatinine clearance 15–50 mL/min |
                | Edoxaban | 60 mg once daily | 30 mg once daily with creatinine clearance 15–50 mL/min, weight 60 kg or less, or certain P-glycoprotein inhibitors |
                | Dabigatran | 150 mg twice daily | 110 mg twice daily, where licensed, for older age, higher bleeding risk or interacting drugs |

                Dose-reduction criteria differ between national labels: check local product
                information. Calculate creatinine clearance with the Cockcroft–Gault equation,
                as the trials did.
                """
            ),
        },
        {
            "heading": "Bleeding risk: find it and fix it",
            "kind": "standard",
            "body": _md(
                """
                HAS-BLED gives a point each for uncontrolled hypertension, abnormal kidney
                function, abnormal liver function, previous stroke, bleeding history or
                predisposition, labile INR, age over 65, drugs that promote bleeding
                (antiplatelets or NSAIDs) and alcohol excess [@pisters-hasbled-2010]. A high
                score calls for closer follow-up and correction of what can be corrected; the
                ESC advises against using bleeding scores to decide whether to start or stop
                anticoagulation [@esc-af-2024].

                - Control blood pressure.
                - Stop antiplatelet drugs and NSAIDs that have no current indication.
                - Address alcohol excess, anaemia and the cause of any bleeding.
                - Aspirin is not an alternative to anticoagulation: it protects less and still
                  causes bleeding [@esc-af-2024].
                - When long-term anticoagulation is impossible for a lasting reason, left
                  atrial appendage occlusion is an option to discuss [@acc-aha-af-2023].
                """
            ),
        },
        {
            "heading": "Step by step: deciding and starting",
            "kind": "algorithm",
            "body": _md(
                """
                1. **Confirm atrial fibrillation** on an ECG (a 12-lead ECG, or a single-lead
                   tracing of at least 30 seconds), and exclude a mechanical valve and
                   moderate-to-severe mitral stenosis.
                2. **Score the stroke risk** with CHA₂DS₂-VASc or CHA₂DS₂-VA
                   [@acc-aha-af-2023; @esc-af-2024]:
                   - high (men 2 or more, women 3 or more; CHA₂DS₂-VA 2 or more):
                     anticoagulate;
                   - one point lower: discuss and usually offer anticoagulation;
                   - low (men 0, women 1; CHA₂DS₂-VA 0): no anticoagulation, and rescore at
                     each review.
                3. **Assess bleeding risk** and correct what can be corrected: blood pressure,
                   unneeded antiplatelets or NSAIDs, alcohol, anaemia.
                4. **Check baseline tests:** full blood count, creatinine with Cockcroft–Gault
                   creatinine clearance, liver function and a coagulation screen.
                5. **Choose a DOAC at the right dose** from the table; use warfarin only when a
                   DOAC is contraindicated [@acc-aha-af-2023].
                6. **Counsel the patient:** take every dose (missed doses matter with
                   short-acting drugs), recognise bleeding, avoid over-the-counter NSAIDs, and
                   tell other clinicians before procedures.
                7. **Review at least yearly**, and more often in older people or with reduced
                   kidney function: adherence, bleeding, weight, kidney and liver function,
                   full blood count and a fresh stroke-risk score.
                """
            ),
        },
        {
            "heading": "Critical pitfalls",
            "kind": "pitfalls",
            "body": _md(
                """
                - **Underdosing a DOAC.** A reduced dose without the label criteria leaves the
                  patient less protected against stroke [@esc-af-2024].
                - **Dosing by eGFR instead of Cockcroft–Gault creatinine clearance**, which can
                  overestimate kidney function in small, older patients.
                - **Aspirin "instead of" anticoagulation** [@esc-af-2024].
                - **Withholding anticoagulation for falls or a high HAS-BLED score alone.**
                  Correct the modifiable risks instead.
                - **Stopping anticoagulation after cardioversion or ablation** because the
                  rhythm looks normal: continue according to stroke risk
                  [@acc-aha-af-2023; @esc-af-2024].
                - **A DOAC with a mechanical heart valve.**
                - **Interacting drugs:** strong inhibitors or inducers of CYP3A4 and
                  P-glycoprotein (for example rifampicin, carbamazepine, phenytoin and some
                  azole antifungals and HIV protease inhibitors), and added antiplatelet drugs
                  or NSAIDs.
                - **Extremes of weight or creatinine clearance below 15 mL/min:** trial data
                  are limited; seek specialist advice.
                """
            ),
        },
    ],
}

ARTICLES = [HYPERTENSION, PNEUMONIA, DIABETES, ATRIAL_FIBRILLATION]
