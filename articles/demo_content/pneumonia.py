# Demonstration material written for Vetted; it is not medical advice for any patient.
# ruff: noqa: E501 — Markdown table rows cannot be wrapped.

from ._text import _md

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
