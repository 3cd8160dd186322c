"""Every install starts with an editorial policy and a disclaimer that staff then adapt."""

from django.db import migrations

EDITORIAL_POLICY = """\
Every answer on this site starts as a clinical question and ends as a short, cited article.
This page explains how an article gets from one to the other, and what its labels mean.

## How an article is written

An editor drafts the answer from current clinical practice guidelines, systematic reviews
and primary research. Each claim that a clinician might want to check carries a numbered
citation to the source it rests on, and the full reference list sits at the foot of the page.

## How an article is reviewed

Articles are checked by a member of our Medical Advisory Board: a practising clinician who
did not write the article. The review status at the top of every article tells you where it
stands:

1. **Submitted**: the editor has finished a draft and sent it for review.
2. **Under review**: a clinician is checking it against the cited evidence.
3. **Approved**: the clinician has signed off this exact text.

Until an article is approved it carries a caution banner. Treat it as educational material
only.

## Keeping articles current

Approved articles are reviewed again on a schedule, and sooner when important new evidence
appears. "Last updated" shows when the text last changed.

## Corrections

If you find an error, use "Have a follow-up question?" at the foot of the article. An editor
reads every message.
"""

DISCLAIMER = """\
This article is general information for education. It is not medical advice for any
individual and does not replace an assessment by a qualified health professional who knows the
patient. Clinicians should check recommendations against the cited sources, current local
guidelines and product information, and use their own clinical judgement. In an emergency,
call your local emergency number.
"""


def create_pages(apps, schema_editor):
    Page = apps.get_model("articles", "Page")
    Page.objects.get_or_create(
        slug="editorial-policy",
        defaults={"title": "Editorial policy", "body": EDITORIAL_POLICY},
    )
    Page.objects.get_or_create(
        slug="disclaimer", defaults={"title": "Disclaimer", "body": DISCLAIMER}
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
