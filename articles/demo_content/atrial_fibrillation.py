# Demonstration material written for Vetted; it is not medical advice for any patient.
# ruff: noqa: E501 — Markdown table rows cannot be wrapped.

from ._text import _md

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
