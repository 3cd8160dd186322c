# Demonstration material written for Vetted; it is not medical advice for any patient.

from reviews.roles import CHIEF_EDITORS, EDITORS, MEDICAL_ADVISORY_BOARD

DEMO_PASSWORD = "vetted-demo"  # noqa: S105 — demo accounts on a developer's machine only


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
