# Demonstration material written for Vetted; it is not medical advice for any patient.
# ruff: noqa: E501 — Markdown table rows cannot be wrapped.

from ._text import _md

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
    # Written for readers who chose "Patient or caregiver" (plain words, short sentences) and
    # "Student" (the reasoning behind each step). Sections are keyed by position.
    "variants": {
        "patient": {
            "bottom_line": _md(
                """
                High blood pressure (hypertension) should be confirmed with readings taken at
                home or with a monitor you wear for a day, not from one reading at the clinic
                [@acc-aha-htn-2017; @esc-htn-2024]. For most adults the aim is a blood pressure
                below 130/80 mmHg, and a little lower if your medicines suit you
                [@aha-acc-htn-2025; @esc-htn-2024]. If your confirmed blood pressure is 140/90
                mmHg or more, doctors now usually start two medicines at once, often in a
                single tablet [@aha-acc-htn-2025; @esc-htn-2024]. How far your blood pressure
                comes down matters more than which of the main medicines brings it down
                [@ettehad-2016; @allhat-2002].
                """
            ),
            "sections": {
                1: {
                    "heading": "Making sure it really is high blood pressure",
                    "body": _md(
                        """
                        One high reading at the clinic is not enough to say you have
                        hypertension. Blood pressure goes up and down through the day, and
                        for many people it rises just from being at the clinic. So the
                        diagnosis rests on the average of several readings on different days,
                        checked outside the clinic too [@acc-aha-htn-2017; @esc-htn-2024].

                        - **At home:** use an upper-arm monitor that has passed accuracy
                          tests. Take two readings in the morning and two in the evening for
                          about a week.
                        - **Ambulatory blood pressure monitoring:** you wear a cuff and a
                          small recorder for 24 hours, and it takes readings by itself, even
                          while you sleep.

                        These checks pick up white-coat hypertension (high only at the
                        clinic) and masked hypertension (normal at the clinic but high at
                        other times).

                        **For a true reading:** sit quietly for 5 minutes with your back
                        supported and your feet flat on the floor, rest your arm at the level
                        of your heart, and don't talk. Avoid coffee, exercise and smoking for
                        30 minutes before. The cuff must fit your arm: one that is too small
                        gives readings that are too high.

                        Readings at home are normally a little lower than at the clinic, so
                        a home average of 135/85 mmHg counts the same as a clinic reading of
                        140/90 mmHg [@acc-aha-htn-2017].

                        You will also have blood and urine tests and an ECG. They look for
                        effects of blood pressure on your heart and kidneys, for other risks
                        such as diabetes or high cholesterol, and for rare causes of high
                        blood pressure that need different treatment
                        [@acc-aha-htn-2017; @esc-htn-2024].
                        """
                    ),
                },
                2: {
                    "heading": "Do I need medicines, and what am I aiming for?",
                    "body": _md(
                        """
                        ### When medicines are started

                        - **140/90 mmHg or more**, once confirmed: medicines from the start,
                          together with healthier habits [@aha-acc-htn-2025; @esc-htn-2024].
                        - **Between 130/80 and 139/89 mmHg:** it depends on your other risks.
                          If you already have heart disease, diabetes or chronic kidney
                          disease, or a high chance of a heart attack or stroke in the next 10
                          years, medicines are started. If not, you change your daily habits
                          first for 3 to 6 months, and add a medicine if your blood pressure
                          is still 130/80 mmHg or more [@aha-acc-htn-2025].

                        ### The target

                        - For most adults, below 130/80 mmHg [@aha-acc-htn-2025]. If your
                          medicines suit you, your doctor may aim for a top (systolic) number
                          between 120 and 129 [@esc-htn-2024].
                        - For people aged 85 or over, people who are frail and people who
                          feel dizzy when they stand up, the aim is as low as is safe, rather
                          than a fixed number [@esc-htn-2024].

                        ### Why lower is better

                        In large trials, people whose blood pressure was brought down further
                        had fewer serious heart and circulation problems
                        [@sprint-2015; @step-2021]. Across many studies, every 10 mmHg fall in
                        the top number cut the chance of a heart attack, stroke or heart
                        failure by about a fifth [@ettehad-2016]. Aiming lower also brought
                        more side effects, such as low blood pressure, fainting and changes in
                        kidney tests, so tell your doctor if you feel unwell [@sprint-2015].
                        """
                    ),
                },
                3: {
                    "heading": "Which medicines?",
                    "body": _md(
                        """
                        Four kinds of medicine are used first, because studies show they
                        prevent heart attacks and strokes, not just lower the numbers
                        [@aha-acc-htn-2025; @esc-htn-2024]:

                        - **ACE inhibitors**, such as ramipril or lisinopril;
                        - **angiotensin receptor blockers** (ARBs), such as losartan;
                        - **calcium channel blockers**, such as amlodipine;
                        - **thiazide diuretics** (water tablets), such as chlorthalidone or
                          indapamide.

                        In a large trial that compared three of them, they protected the heart
                        about equally well [@allhat-2002].

                        - If your blood pressure is 140/90 mmHg or more, you will usually
                          start with two of these at low doses, ideally in one tablet: an ACE
                          inhibitor or an ARB, plus a calcium channel blocker or a water
                          tablet [@esc-htn-2024].
                        - People who are frail or very old, who feel dizzy when they stand
                          up, or whose blood pressure is only a little raised start with one
                          medicine [@esc-htn-2024].
                        - An ACE inhibitor and an ARB should not be taken together: it raises
                          the potassium in your blood and can harm the kidneys, with no extra
                          benefit [@aha-acc-htn-2025; @esc-htn-2024].
                        - Beta-blockers are not usually the first choice for blood pressure
                          alone. They are added for another reason, such as angina, a past
                          heart attack or heart failure [@esc-htn-2024].

                        **If you could become pregnant:** ACE inhibitors and ARBs can harm an
                        unborn baby. Use reliable contraception, and talk to your doctor
                        before trying for a baby so your medicine can be changed first.
                        """
                    ),
                },
                4: {
                    "heading": "Step by step: what happens next",
                    "body": _md(
                        """
                        1. **Confirming the diagnosis** with home or 24-hour readings, and the
                           first blood and urine tests.
                        2. **Healthier habits, for everyone** [@aha-acc-htn-2025; @esc-htn-2024]:
                           - less salt in your food;
                           - more fruit and vegetables, which contain potassium (ask first if
                             you have kidney disease or take medicines that raise
                             potassium);
                           - an eating plan like the DASH diet, losing weight if you are
                             overweight, being active most days and drinking less alcohol.
                        3. **Starting medicines** if your blood pressure is high enough:
                           usually two in one tablet, or one at a low dose if you are frail or
                           your blood pressure is only a little raised.
                        4. **A blood test 2 to 4 weeks later** to check your potassium and
                           creatinine after starting or raising an ACE inhibitor, ARB or
                           diuretic.
                        5. **Check-ups about once a month**, raising the doses or adding a
                           third medicine until you reach your target. Keep measuring at home
                           and bring your readings with you.
                        6. **If your blood pressure stays high on three medicines**, your
                           doctor will check how you take them and how the readings are done,
                           and look for things that raise blood pressure, such as
                           anti-inflammatory painkillers, decongestants, liquorice and alcohol.
                           They may test for a hormone cause such as primary aldosteronism, and
                           may add spironolactone, which lowered blood pressure more than the
                           other medicines tried in a trial of people in this situation
                           [@pathway2-2015].
                        7. **Once you are at target**, check-ups every 3 to 6 months at first,
                           then at least once a year, with home readings in between.
                        """
                    ),
                },
                5: {
                    "heading": "Things to watch out for",
                    "body": _md(
                        """
                        - **One reading is not a diagnosis.** A high clinic reading can be a
                          false alarm, and a normal one can miss high blood pressure at home;
                          readings outside the clinic sort this out [@esc-htn-2024].
                        - **Keep taking your medicines when you feel well.** High blood
                          pressure rarely causes symptoms; the medicines work by preventing
                          heart attacks and strokes years from now.
                        - **A small rise in creatinine is expected** after starting an ACE
                          inhibitor or ARB. Your doctor will usually repeat the test rather
                          than stop the medicine.
                        - **Ask a pharmacist before buying painkillers or cold remedies.**
                          Anti-inflammatory painkillers such as ibuprofen, and decongestants,
                          can raise blood pressure.
                        - **Tell your doctor if you feel dizzy when you stand up**, especially
                          if you are older or have diabetes: your treatment may need to change.
                        - **Pregnancy:** ACE inhibitors and ARBs can harm an unborn baby, so
                          plan contraception and talk to your doctor before trying for a baby.
                        - **If your readings stay above target, ask about the next step.**
                          Leaving treatment unchanged is one of the most common reasons blood
                          pressure never comes under control.
                        """
                    ),
                },
            },
        },
        "student": {
            "bottom_line": _md(
                """
                Diagnose hypertension on out-of-office readings, because clinic readings alone
                misclassify people with white-coat or masked hypertension
                [@acc-aha-htn-2017; @esc-htn-2024]. Guidelines now aim for below 130/80 mmHg in
                most adults, and a systolic pressure of 120–129 mmHg when treatment is well
                tolerated, because trials of intensive control showed fewer cardiovascular
                events at lower pressures
                [@aha-acc-htn-2025; @esc-htn-2024; @sprint-2015; @step-2021]. At a confirmed 140/90 mmHg or more, start two first-line drugs
                from different classes, ideally in a single pill: the benefit follows the fall
                in pressure rather than the class that produces it, and a combination lowers
                pressure further than one drug [@esc-htn-2024; @ettehad-2016; @allhat-2002].
                """
            ),
            "sections": {
                2: {
                    "heading": "Who needs drugs, and what target: the reasoning",
                    "body": _md(
                        """
                        ### Why the threshold depends on overall risk

                        The absolute benefit of treatment is the relative risk reduction
                        multiplied by the baseline risk. The relative benefit is similar
                        whatever the starting pressure: about a fifth fewer major
                        cardiovascular events for each 10 mmHg fall in systolic pressure
                        [@ettehad-2016]. So the same fall gains more for a person at high
                        baseline risk. That is why, at 130–139/80–89 mmHg, drugs are started
                        for people with cardiovascular disease, diabetes, chronic kidney
                        disease or a high estimated 10-year risk, while others try lifestyle
                        measures for a few months first [@aha-acc-htn-2025; @esc-htn-2024]. At
                        140/90 mmHg or more, nearly everyone gains enough to start drugs
                        straight away [@aha-acc-htn-2025].

                        ### Reading the target trials critically

                        - **SPRINT** compared systolic targets below 120 and below 140 mmHg in
                          9,361 adults at raised cardiovascular risk; the lower target reduced
                          major events and death from any cause [@sprint-2015]. Note whom it
                          excluded (diabetes, previous stroke) and how it measured: an average
                          of automated readings after five minutes' rest, often with no one in
                          the room, which runs lower than a routine clinic reading.
                        - **STEP** found the same direction of benefit in Chinese adults aged
                          60 to 80, with a target of 110 to under 130 mmHg [@step-2021].
                        - **ACCORD BP**, in type 2 diabetes, did not significantly reduce its
                          primary composite outcome with a target below 120 mmHg, although
                          strokes were fewer [@accord-bp-2010]. Its event rate was lower than
                          planned, which limits how firmly a negative result can be read; the
                          ADA still recommends below 130/80 mmHg in diabetes where it can be
                          reached safely [@ada-soc-2025-cvd].

                        ### Why not lower for everyone

                        Intensive control brought more hypotension, syncope, electrolyte
                        disturbance and acute kidney injury [@sprint-2015]. In people aged 85
                        or over, frail people and those with symptomatic orthostatic
                        hypotension, the trials say less about the balance of benefit and
                        harm, so the aim becomes the lowest pressure reasonably achievable
                        without harm [@esc-htn-2024].
                        """
                    ),
                },
                3: {
                    "heading": "Choosing the first drugs: the reasoning",
                    "body": _md(
                        """
                        ### Four classes, judged on outcomes

                        Thiazide or thiazide-like diuretics, ACE inhibitors, ARBs and
                        dihydropyridine calcium-channel blockers are first-line because each
                        has trials showing fewer cardiovascular events, not just lower
                        readings [@aha-acc-htn-2025; @esc-htn-2024]. ALLHAT compared
                        chlorthalidone, amlodipine and lisinopril head to head: protection
                        against coronary events was similar, and chlorthalidone prevented
                        heart failure best [@allhat-2002]. With a meta-analysis showing benefit
                        in proportion to the fall in pressure [@ettehad-2016], this supports
                        the principle that the size of the fall matters more than the class.

                        ### Why combine from the start

                        Most people at 140/90 mmHg or more need at least two drugs to reach
                        the target. Drugs from different classes act on different mechanisms
                        — the renin–angiotensin system, vascular tone and sodium balance — so
                        their effects add up, while low doses of each keep dose-related side
                        effects down. One pill instead of two also helps adherence
                        [@esc-htn-2024].

                        ### Why some choices are preferred and others avoided

                        - An ACE inhibitor with an ARB blocks the same system twice: more
                          hyperkalaemia and kidney injury, with no added protection
                          [@aha-acc-htn-2025; @esc-htn-2024].
                        - With albuminuria, a renin–angiotensin system blocker is preferred:
                          it lowers the pressure inside the glomerulus and reduces protein
                          leak, beyond its effect on blood pressure.
                        - Beta-blockers are kept for a specific indication (heart failure with
                          reduced ejection fraction, angina, recent myocardial infarction,
                          rate control) because, as a default, they prevented strokes less
                          well than other classes in meta-analysis [@ettehad-2016; @esc-htn-2024].
                        - In Black adults without heart failure or chronic kidney disease, a
                          thiazide-type diuretic or calcium-channel blocker belongs in the
                          first regimen, as these lowered pressure and prevented events more
                          reliably than a renin–angiotensin system blocker alone
                          [@acc-aha-htn-2017].
                        """
                    ),
                },
            },
        },
    },
}
