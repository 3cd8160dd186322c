"""Every install starts with the four reader types and a plain-language disclaimer."""

from django.db import migrations

READER_TYPES = [
    ("patient", "Patient or caregiver", "Living with a condition, or caring for someone who is.", False),
    ("student", "Student", "Studying medicine, nursing or another health profession.", False),
    ("nurse", "Nurse or allied health professional", "Nursing, pharmacy, physiotherapy and other health professions.", True),
    ("physician", "Physician or other prescriber", "Doctors, nurse practitioners and others who prescribe.", True),
]  # fmt: skip

PLAIN_DISCLAIMER = """\
This page explains a health topic in general terms. It cannot tell you what is right for you
or the person you care for, because it does not know your history, your other conditions or
your medicines. Talk to your doctor, nurse or pharmacist before you start, stop or change any
treatment. If you think it is an emergency, call your local emergency number now.
"""


def create(apps, schema_editor):
    ReaderType = apps.get_model("articles", "ReaderType")
    for order, (slug, label, description, professional) in enumerate(READER_TYPES, start=1):
        ReaderType.objects.get_or_create(
            slug=slug,
            defaults={
                "label": label,
                "description": description,
                "order": order,
                "is_professional": professional,
            },
        )
    Page = apps.get_model("articles", "Page")
    Page.objects.get_or_create(
        slug="disclaimer-plain",
        defaults={"title": "About this information", "body": PLAIN_DISCLAIMER},
    )
    Page.objects.filter(slug="disclaimer", title="Disclaimer").update(
        title="Professional disclaimer"
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_reader_types_variants_glossary")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
