# Demonstration material written for Vetted; it is not medical advice for any patient.
# ruff: noqa: E501 — Markdown table rows cannot be wrapped.

from ._text import _md

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
    # Written for readers who chose "Patient or caregiver". Sections are keyed by position.
    "variants": {
        "patient": {
            "bottom_line": _md(
                """
                If you have type 2 diabetes and your heart or kidneys are already affected, the
                next medicine after metformin should be chosen to protect them, not only to
                lower your blood sugar [@ada-soc-2025-pharm; @ada-easd-2022]. Two kinds of
                medicine do this: SGLT2 inhibitors, which are tablets, and GLP-1 receptor
                agonists, which are mostly injections [@ada-soc-2025-pharm]. When the kidneys
                are affected, as for the woman in this question, an SGLT2 inhibitor usually
                comes first, because it also slows kidney damage
                [@kdigo-dm-ckd-2022; @credence-2019]. A GLP-1 receptor agonist can be added if
                blood sugar is still too high [@leader-2016; @ada-soc-2025-pharm]. Metformin
                can carry on at her level of kidney function, and treating blood pressure,
                protein in the urine and cholesterol matters just as much
                [@kdigo-dm-ckd-2022; @ada-soc-2025-cvd].
                """
            ),
            "sections": {
                1: {
                    "heading": "Why the choice is about your heart and kidneys",
                    "body": _md(
                        """
                        Many medicines lower blood sugar, but only some also protect the
                        heart and kidneys. For people with type 2 diabetes who already have
                        heart disease, heart failure or chronic kidney disease, guidelines
                        recommend an SGLT2 inhibitor or a GLP-1 receptor agonist that has been
                        shown to help, whatever their HbA1c [@ada-soc-2025-pharm; @ada-easd-2022].

                        Metformin is still a good base. On its own it does not make blood
                        sugar drop too low, and in a long UK study it reduced the
                        complications of diabetes in people who were overweight
                        [@ukpds34-1998].

                        ### What the large studies found

                        - **Empagliflozin, an SGLT2 inhibitor**, in people with heart
                          disease: fewer serious heart problems counted together, fewer deaths
                          from heart disease and fewer hospital stays for heart failure
                          [@empa-reg-2015].
                        - **Liraglutide, a GLP-1 receptor agonist**, in people at high risk:
                          fewer serious heart problems and fewer deaths from heart disease
                          [@leader-2016].
                        - **Canagliflozin, an SGLT2 inhibitor**, in people whose kidneys leak
                          protein: fewer people had their kidney disease get much worse,
                          needed dialysis, or died of kidney or heart disease
                          [@credence-2019].
                        - When the SGLT2 inhibitor studies were pooled, fewer heart attacks
                          and strokes were seen only in people who already had narrowed
                          arteries, but fewer hospital stays for heart failure and slower
                          kidney damage were seen whether or not they had them
                          [@zelniker-2019].

                        | | SGLT2 inhibitor | GLP-1 receptor agonist |
                        |---|---|---|
                        | How you take it | A tablet once a day | An injection once a day or once a week; one kind is a tablet |
                        | Heart attacks and strokes | Fewer, in people who already have narrowed arteries | Fewer, with the medicines shown to help |
                        | Hospital stays for heart failure | Fewer | Little or no effect |
                        | Kidneys | Slows kidney damage | Less protein in the urine; less proof that it protects the kidneys |
                        | Blood sugar | Lowers it a little; less when the kidneys are weak | Lowers it a fair amount to a lot |
                        | Weight | Some weight loss | More weight loss |
                        | Common side effects | Thrush in the genital area, losing too much fluid; rarely ketoacidosis | Feeling sick, vomiting, diarrhoea; gallbladder problems |
                        """
                    ),
                },
                2: {
                    "heading": "Step by step: what your care team will do",
                    "body": _md(
                        """
                        1. **Check the basics:** whether the medicines are being taken, help
                           with food and activity, and the right metformin dose for your
                           kidney function: the full dose if your eGFR is 45 or more, half the
                           dose at 30 to 44, and none below 30 [@kdigo-dm-ckd-2022].
                        2. **Add an SGLT2 inhibitor**, such as empagliflozin, dapagliflozin or
                           canagliflozin, one tablet a day [@kdigo-dm-ckd-2022; @ada-soc-2025-pharm]:
                           - it can be started if your eGFR is 20 or more, and is usually
                             kept going even if your eGFR falls lower later, until dialysis or
                             a kidney transplant;
                           - if you also take insulin or a sulfonylurea, their dose may be
                             lowered so that your blood sugar does not drop too low;
                           - you will be told when to pause it (the sick-day rules), and that
                             a small early drop in your kidney test is expected.
                        3. **Protect your heart and kidneys in other ways at the same visit:**
                           - an ACE inhibitor or ARB at the highest dose you can take, if
                             your kidneys leak protein [@kdigo-dm-ckd-2022];
                           - a blood pressure below 130/80 mmHg if this can be reached safely
                             [@ada-soc-2025-cvd; @aha-acc-htn-2025];
                           - a strong statin if you have had a heart attack or stroke or have
                             narrowed arteries [@ada-soc-2025-cvd].
                        4. **Check your HbA1c again after about 3 months**, against a target
                           you agree with your team, often below 7% (53 mmol/mol).
                        5. **If your HbA1c is still too high, add a GLP-1 receptor agonist**
                           shown to protect the heart, such as liraglutide, dulaglutide or
                           semaglutide injections. The dose goes up slowly so you are less
                           likely to feel sick [@leader-2016; @ada-soc-2025-pharm].
                        6. **If your urine still has too much protein**, another
                           kidney-protecting tablet, finerenone, may be added if the potassium
                           in your blood is normal and your eGFR is 25 or more
                           [@kdigo-dm-ckd-2022].
                        7. **If your blood sugar is still too high**, other medicines such as
                           insulin can be added. Some are avoided: pioglitazone if you have
                           heart failure, and a DPP-4 inhibitor together with a GLP-1 receptor
                           agonist [@ada-soc-2025-pharm].
                        """
                    ),
                },
                3: {
                    "heading": "Your kidneys: what to expect and which tests",
                    "body": _md(
                        """
                        ### A small early dip is expected

                        In the first few weeks on an SGLT2 inhibitor, your eGFR often falls a
                        little. This happens because the medicine lowers the pressure inside
                        the kidneys' tiny filters, which protects them over time; it is not a
                        reason to stop [@kdigo-dm-ckd-2022]. If you are likely to get
                        dehydrated, your doctor may lower the dose of a water tablet before
                        you start.

                        ### The effect on sugar fades, the protection stays

                        As kidney function falls, SGLT2 inhibitors lower blood sugar less,
                        but they keep protecting the heart and kidneys [@kdigo-dm-ckd-2022].
                        So the medicine is kept, and another one is used for blood sugar if
                        needed.

                        ### Regular tests

                        | Test | How often |
                        |---|---|
                        | eGFR and urine albumin-to-creatinine ratio | At least once a year; up to 4 times a year with chronic kidney disease |
                        | Potassium and creatinine | 2 to 4 weeks after starting or raising an ACE inhibitor or ARB; about 4 weeks after starting finerenone |
                        | HbA1c | Every 3 months while treatment is changing; at least twice a year once steady at target |
                        | Vitamin B12 | From time to time on metformin for many years, as it can lower vitamin B12 |
                        """
                    ),
                },
                4: {
                    "heading": "Looking after yourself on these medicines",
                    "body": _md(
                        """
                        - **SGLT2 inhibitors:** stop them for a while if you are being sick,
                          have diarrhoea or can't eat and drink normally, and before an
                          operation or test that needs you to fast (usually at least 3 days
                          before). Start again once you are eating and drinking normally.
                          Ketoacidosis is rare but serious and can happen even when your blood
                          sugar is not very high: get help quickly if you feel very unwell,
                          are being sick or are breathless. Washing the genital area every
                          day helps prevent thrush.
                        - **GLP-1 receptor agonists:** feeling sick is common at first and
                          usually settles. Eat smaller meals and stop when you feel full. Get
                          medical help for bad tummy pain that does not go away. These
                          medicines are not used if you or a close relative has had a rare
                          thyroid cancer called medullary thyroid cancer, or the inherited
                          condition MEN 2.
                        - **Metformin:** pause it during an illness that dries you out and, if
                          your kidneys are weaker, around scans that use a dye injection.
                        - **Insulin and sulfonylureas:** learn the signs of a hypo, such as
                          shaking, sweating and confusion, and how to treat it. Your dose may
                          need to come down when a new medicine lowers your HbA1c.
                        """
                    ),
                },
                5: {
                    "heading": "Things to watch out for",
                    "body": _md(
                        """
                        - **Choosing only by how much a medicine lowers HbA1c.** Some, such as
                          sulfonylureas and DPP-4 inhibitors, lower blood sugar without the
                          heart and kidney protection needed here [@ada-soc-2025-pharm].
                        - **Stopping an SGLT2 inhibitor** because of the early dip in eGFR,
                          or because it lowers blood sugar less when the kidneys are weak: the
                          protection goes on [@kdigo-dm-ckd-2022].
                        - **Assuming every medicine of a kind works the same.** Ask whether
                          yours is one that has been shown to protect the heart or kidneys
                          [@ada-soc-2025-pharm].
                        - **Hypos** when a new medicine is added without lowering insulin or
                          a sulfonylurea.
                        - **Missing ketoacidosis** because blood sugar is only a little
                          raised: if you feel very unwell on an SGLT2 inhibitor, ask for a
                          ketone test.
                        - **The full metformin dose when kidney function falls:** the dose is
                          halved when eGFR is below 45, and metformin is stopped below 30
                          [@kdigo-dm-ckd-2022].
                        - **Forgetting the rest of the plan:** a statin, blood pressure
                          control, kidney-protecting medicines and stopping smoking matter as
                          much as blood sugar [@ada-soc-2025-cvd].
                        """
                    ),
                },
            },
        },
    },
}
