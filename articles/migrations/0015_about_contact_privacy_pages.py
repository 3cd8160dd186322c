"""Every install starts with About, Contact and Privacy pages that staff then adapt. A page
that already exists (edited by staff) is left as it is."""

from django.db import migrations

ABOUT = """\
Vetted answers clinical questions in short articles. Each article starts from a question
that a clinician, a student or a patient might ask, gives the answer first in a few
sentences (the bottom line), and then explains it, citing the evidence it rests on.

## Who writes and who checks

Our editors write the articles from clinical practice guidelines, systematic reviews and
primary research. A member of our [Medical Advisory Board](/board/), a practising clinician,
then checks each article against its sources. Nobody reviews an article they wrote or
edited, and an approval covers one exact text: any later change is reviewed again before it
carries the Approved label.

## Reading an article

At the top of every article you can see where it stands in review: submitted, under review
or approved, who approved it and when. The numbered references at the foot of the page link
to the sources, so you can read them yourself.

Many articles also come in plain language. Choose what describes you best ("Which best
describes you?") and the article uses words and explanations that fit, with a disclaimer
written for you.

## What Vetted is not

Vetted is general information for education. It does not know you or the person you care
for, and it cannot replace an assessment by a health professional. In an emergency, call
your local emergency number.

Read how we work in our [editorial policy](/pages/editorial-policy/).
"""

CONTACT = """\
## A question about an article, or a mistake in one

Every article ends with "Have a follow-up question?". Use it to ask what the article leaves
open, or to tell us about an error: say what you think is wrong and, if you can, where you
read otherwise. An editor reads every message. If you give your e-mail address, we write to
you when an article answers your question.

## Anything else

For anything that is not about one article, write to the editorial office at the address
the site's owner gives here. *(Site owners: replace this paragraph with your editorial
office's e-mail or postal address in the admin, under Site pages → Contact.)*

## What we cannot do

We cannot give advice about your own health or anyone else's, and we do not answer urgent
questions. Please talk to your doctor, nurse or pharmacist. In an emergency, call your
local emergency number.
"""

PRIVACY = """\
We collect as little about you as we can. You do not need an account to read Vetted, and
our pages show no advertising and load nothing from other companies.

## The reader-type cookie

When you answer "Which best describes you?", your browser keeps a cookie called
`vetted_reader`. It holds only your choice, as a short word such as `patient`, and nothing
else about you. It lasts one year, so articles keep showing the version for you on your
next visit. We use it for nothing else: it is not a tracking cookie, and we do not share it.
"Clear my choice" on any article deletes it, and so does clearing your browser's cookies.

Pages with a form also set `csrftoken`, a random value that protects the form from being
sent by another site in your name. It holds nothing about you.

## Follow-up questions and your e-mail address

When you send a follow-up question we keep its text, the article you were reading and the
time. While you type, the page may send what you have written so far to our server to find
articles that already answer it; that text is not kept.

The e-mail address is optional. If you give it, we use it for one thing only: to send you a
link to the article that answers your question. It is never published and never shared, and
we send you nothing else.

Your question and your address are seen by our editors, who sort and answer questions. The
members of our Medical Advisory Board, who review articles, do not see your address. A
question may lead to a new article; the article never names the person who asked. If you
want your address or your question removed, [tell us](/pages/contact/) and an editor will
remove it.

To stop abuse, the site counts how many questions arrive from one network address in a short
time. The count is kept for a few minutes and then forgotten.

## Server logs

Like any website, our servers record each request they answer: the address it came from,
the page asked for, the time and what the browser says about itself. We use these logs only
to keep the site working and secure, keep them only as long as that needs, and do not use
them to follow what any reader reads.

## No third-party trackers

Vetted uses no analytics service, no advertising network, no social-media buttons and no
content embedded from other sites; our pages load their scripts, styles and images from
Vetted alone. When you follow a link to a source, such as a journal or PubMed, you leave
Vetted, and that site's own privacy policy applies. Your browser does not tell it which of
our pages you came from.

## Changes

When this page changes, the date at the top of it changes too.
"""

PAGES = [
    ("about", "About Vetted", ABOUT),
    ("contact", "Contact", CONTACT),
    ("privacy", "Privacy", PRIVACY),
]


def create_pages(apps, schema_editor):
    Page = apps.get_model("articles", "Page")
    for slug, title, body in PAGES:
        Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_listing_search_index")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
