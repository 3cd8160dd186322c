"""The product's central invariant, as a property: whatever editors, reviewers and chief
editors do, in whatever order,

    an Approved badge / "Medically reviewed by" appears on the public page only over content
    equal to an approved revision and approved glossary definitions; every citation number
    resolves, numbered 1..n by first appearance.

A hypothesis state machine drives random sequences of real operations by users of every role
(two editors, two board members, a chief editor, an editor who is also on the board, an
inactive account): working-copy edits saved the way the admin saves them (the edit and
`services.record_edit` in one transaction), section and reader-type variant changes, question
edits, library reference edits (shared: they must never change an approved page), glossary
edits, approvals and withdrawals, restoring old revisions, the site switch for pending
articles, every review transition, a cache eviction, and (rarely) the approved revision's
row changed behind the app's back, which must cost it the badge on every fresh render (a
page stored in the page cache before holds the signed text, badge and all). A refused transition
(`TransitionError`, `ConflictError`) is expected; any other exception is a failure.

The machine keeps its own model of the working copy, the library, the glossary and the review
state, so the expectation never comes from the code under test. After every step it reads the
public page anonymously for every reader type (every other step from a cold cache) and checks
it against the model and against the approved revision in the database: the badge only
over the text the reviewer signed, always over an intact approval, and on a fresh render
never over an altered row; the question, headline, bottom line and sections of that
revision for that reader; only current glossary approvals; citations numbered 1..n by first
use, each resolving to the reference as the revision froze it.

Runs VETTED_HYPOTHESIS_EXAMPLES (default 30) sequences of up to VETTED_HYPOTHESIS_STEPS
(default 15) steps: about 15 s on SQLite, 20 s on PostgreSQL. A failure is shrunk to its
shortest sequence, which can take Hypothesis's limit of five minutes (worth it in CI, where
a rare sequence is hard to find again); VETTED_HYPOTHESIS_SHRINK=0 reports it as found.
Failing examples are kept in .hypothesis/ (it ignores itself in git) and replayed first.
"""

import os
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from articles.models import (
    Article,
    GlossaryApproval,
    GlossaryTerm,
    Listing,
    PublishedPage,
    Question,
    ReaderType,
    ReviewEvent,
    Section,
    SiteSettings,
    Variant,
)
from articles.revisions import Revision, hash_of
from references.models import Reference
from reviews import roles, services
from tests.factories import ArticleFactory, ReferenceFactory, StaffUserFactory, declare
from tests.tampering import tamper

Status = Article.Status

EXAMPLES = int(os.environ.get("VETTED_HYPOTHESIS_EXAMPLES", "30"))
STEPS = int(os.environ.get("VETTED_HYPOTHESIS_STEPS", "15"))
SHRINK = os.environ.get("VETTED_HYPOTHESIS_SHRINK", "1") != "0"

# -- the vocabulary -------------------------------------------------------------------------
# Plain words survive Markdown verbatim, so a page's text can be compared with the source.

WORDS = ("alpha", "beta", "gamma", "delta", "kappa", "sigma", "omega")
# Glossary forms in several spellings: "stent" matches any case (unless set to match case),
# the acronyms eGFR and EGFR only as written (and never each other).
GLOSSARY_WORDS = ("stent", "Stent", "STENT", "stents", "eGFR", "eGFRs", "EGFR", "egfr", "Egfr")
TERMS = ("stent", "eGFR", "EGFR")
SYNONYMS = {"stent": ("", "stents"), "eGFR": ("", "eGFRs"), "EGFR": ("",)}
KEYS = ("ref-a", "ref-b", "ref-c", "ref-d")
VARIANT_SLUGS = ("patient", "student", "nurse")
READERS = (None, "patient", "student", "nurse", "physician")
LAY = {"patient", "student"}
KINDS = tuple(Section.Kind.values)
TITLES = ("Trial of alpha", "Review of beta", "Guideline on gamma", "Cohort of delta")
AUTHORS = ("Doe J", "Roe R, Poe P", "Lee K et al.")
# Where an example starts: the riskiest states first (an approval with a newer draft, or a
# newer revision in review), then never-approved ones.
GOALS = (
    ("approved", "edited"),
    ("approved", "edited", Status.SUBMITTED),
    ("approved", "edited", Status.SUBMITTED, Status.UNDER_REVIEW),
    ("approved",),
    (Status.DRAFT,),
    (Status.SUBMITTED,),
    (Status.SUBMITTED, Status.UNDER_REVIEW),
)
USERS = ("editor", "editor2", "board1", "board2", "chief", "editor_board", "inactive")
WRITERS = ("editor", "editor2", "chief", "editor_board")  # may edit articles
BOARD = ("board1", "board2", "editor_board")  # may review

CITATION_GROUP = re.compile(r"\[@[^\]]*\]")
CITED_KEY = re.compile(r"@([\w-]+)")

citations = st.lists(st.sampled_from(KEYS), min_size=1, max_size=3).map(
    lambda keys: "[@" + "; @".join(keys) + "]"
)
texts = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(GLOSSARY_WORDS), citations),
    min_size=1,
    max_size=6,
).map(" ".join)
plain_words = st.lists(st.sampled_from(WORDS + GLOSSARY_WORDS), min_size=1, max_size=3)
headings = plain_words.map(" ".join)
questions = plain_words.map(lambda words: "What do we know about " + " ".join(words) + "?")


def users(*likely):
    """Anyone at all, or as often someone whose role may do it."""
    anyone = st.sampled_from(USERS)
    return anyone | st.sampled_from(likely) if likely else anyone


comments = st.sampled_from(("Please check the dose.", "Looks right.", ""))
definitions = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(
    lambda words: "A plain " + " ".join(words) + " thing."
)


# -- reading the page -----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []
        self.classes = set((self.attrs.get("class") or "").split())

    def walk(self):
        """The elements under this one, in document order."""
        stack = self.children[::-1]
        while stack:
            node = stack.pop()
            if isinstance(node, Node):
                yield node
                stack.extend(node.children[::-1])

    def all(self, tag, cls=None) -> list["Node"]:
        return [n for n in self.walk() if n.tag == tag and (cls is None or cls in n.classes)]

    def one(self, tag, cls=None) -> "Node | None":
        found = self.all(tag, cls)
        assert len(found) <= 1, f"more than one <{tag} class={cls}>"
        return found[0] if found else None

    def text(self, skip=()) -> str:
        """The text, whitespace collapsed, leaving out elements matching (tag, class); a
        class of None matches any."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not any(child.tag == t and (c is None or c in child.classes) for t, c in skip):
                parts.append(" " + child.text(skip) + " ")
        return " ".join("".join(parts).split())


class Tree(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {})
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


SKIP_CITATIONS = (("sup", "citation"), ("h2", "visually-hidden"))


def read_page(html: str) -> dict:
    """What the article page shows, part by part (only the <article> is parsed)."""
    start, end = html.index('<article class="article"'), html.rindex("</article>")
    root = Tree(html[start : end + len("</article>")]).root
    nodes = list(root.walk())

    def find(tag, cls=None):
        return [n for n in nodes if n.tag == tag and (cls is None or cls in n.classes)]

    def one(tag, cls=None):
        found = find(tag, cls)
        assert len(found) <= 1, f"more than one <{tag} class={cls}>"
        return found[0] if found else None

    assert len(find("article", "article")) == 1
    reviewed_by, glossary = one("span", "reviewed-by"), one("section", "glossary")
    return {
        "reviewed_by": reviewed_by.text() if reviewed_by else None,
        "question": one("p", "question").text(skip=(("span", "question__label"),)),
        "headline": one("h1", "headline").text(),
        "bottom_line": one("div", "bottom-line").text(skip=SKIP_CITATIONS),
        "sections": [
            (
                s.attrs["aria-labelledby"],
                s.one("h2").text(),
                s.text(skip=(*SKIP_CITATIONS, ("h2", None))),
            )
            for s in find("section")
            if s.attrs.get("aria-labelledby", "").startswith("section-")
        ],
        "glossary": (
            list(
                zip(
                    [n.text() for n in glossary.all("dt")],
                    [
                        n.text()
                        for n in glossary.all("dd")
                        if "glossary__return" not in n.classes  # the way back up
                    ],
                    strict=True,
                )
            )
            if glossary
            else []
        ),
        "references": [
            {
                "id": li.attrs.get("id"),
                "value": li.attrs.get("value"),
                "title": li.one("cite", "reference__title").text(),
                "text": li.one("span", "reference__text").text(),
            }
            for li in find("li", "reference")
        ],
        "groups": [
            "".join(sup.text(skip=(("span", "visually-hidden"),)).split())
            for sup in find("sup", "citation")
        ],
        "links": [
            (a.attrs.get("href"), a.text(), a.attrs.get("aria-label"))
            for a in find("a", "citation-link")
        ],
    }


# -- the expectation, computed from plain data ------------------------------------------------


def plain(text: str) -> str:
    """A Markdown text of our vocabulary as a reader sees it, citations left out."""
    return " ".join(CITATION_GROUP.sub(" ", text).split())


def format_numbers(numbers) -> str:
    """Sorted runs, as journals print them: 1,2 / 1-3 / 1,3-5."""
    out, numbers = [], sorted(set(numbers))
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        start, end = numbers[i], numbers[j]
        out.append(
            str(start)
            if start == end
            else f"{start},{end}"
            if end == start + 1
            else f"{start}-{end}"
        )
        i = j + 1
    return ",".join(out)


def expand(group: str) -> list[int]:
    numbers = []
    for part in group.split(","):
        start, _, end = part.partition("-")
        numbers += range(int(start), int(end or start) + 1)
    return numbers


def squeezed(text: str) -> str:
    return "".join(text.split())


def reference_text(key: str, ref: dict) -> str:
    """The reference as the page prints it (AMA style). The titles are compared on their
    own, so the style can't hide a reference shown under the wrong number."""
    from references.formatting import ama_text, work
    from references.models import FrozenReference

    return ama_text(work(FrozenReference(key=key, **ref)))


def as_reader(content: dict, slug: str | None) -> tuple[str, list[dict]]:
    """The bottom line and sections of a revision's content for reader type `slug`."""
    bottom_line = content.get("bottom_line_variants", {}).get(slug) or content["bottom_line"]
    sections = []
    for s in content["sections"]:
        variant = s.get("variants", {}).get(slug) if slug else None
        sections.append(
            {
                "position": s["position"],
                "heading": (variant["heading"] or s["heading"]) if variant else s["heading"],
                "body": variant["body"] if variant else s["body"],
            }
        )
    return bottom_line, sections


def expected_glossary(texts_in_order: list[str], approved: dict) -> list[tuple[str, str]]:
    """(term, definition) of approved glossary texts, by first use in the texts."""
    exact, folded = {}, {}
    for entry in approved.values():
        forms = [entry["term"], *(s.strip() for s in entry["synonyms"].split(",") if s.strip())]
        for form in forms:
            if entry["match_case"] or form != form.lower():
                exact[form] = entry
            else:
                folded[form.lower()] = entry
    shown = {}
    for text in texts_in_order:
        for word in CITATION_GROUP.sub(" ", text).split():
            word = word.strip(".")
            entry = exact.get(word) or folded.get(word.lower())
            if entry is not None and entry["term"] not in shown:
                shown[entry["term"]] = (entry["term"], entry["definition"])
    return list(shown.values())


# -- the machine ------------------------------------------------------------------------------


class BadgeMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # One savepoint per example, rolled back in teardown: every example starts from the
        # migrated database, on SQLite and PostgreSQL alike.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        try:
            cache.clear()  # rendered pages are cached by revision id, and ids come back
            self.client = Client()
            self._setup()
        except BaseException:
            self._rollback()
            raise

    def _rollback(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        cache.clear()

    def teardown(self):
        self._rollback()

    def _setup(self):
        board = [roles.MEDICAL_ADVISORY_BOARD]
        groups = {
            "editor": [roles.EDITORS],
            "editor2": [roles.EDITORS],
            "board1": board,
            "board2": board,
            "chief": [roles.CHIEF_EDITORS],
            "editor_board": [roles.EDITORS, *board],
            "inactive": [roles.EDITORS, *board, roles.CHIEF_EDITORS],
        }
        self.users = {
            name: StaffUserFactory(
                username=f"badge-{name}",
                first_name=name.capitalize(),
                is_active=name != "inactive",
                roles=groups[name],
            )
            for name in USERS
        }
        # The model of the shared library, as `Reference.displayed()` has it.
        self.library = {}
        for i, key in enumerate(KEYS):
            ref = ReferenceFactory(key=key, title=TITLES[i], authors=AUTHORS[i % 3], year=2020 + i)
            self.library[key] = ref.displayed()
        self.article = ArticleFactory(
            slug="badge-article", question__text="What do we know about alpha?"
        )
        self.article.authors.add(self.users["editor"])
        # Everyone who may review declares the article's specialty: approvals are ordinary
        # ones, never refused for want of the outside-specialty confirmation.
        for name in BOARD:
            declare(self.users[name], self.article.topic.specialty)
        self.url = reverse("articles:detail", args=[self.article.slug])
        self.reader_types = set(ReaderType.objects.values_list("slug", flat=True))
        # The model: the working copy, the review state, the glossary.
        self.working = {
            "question": "What do we know about alpha?",
            "headline": self.article.headline,
            "bottom_line": self.article.bottom_line,
            "bottom_line_variants": {},
            "sections": {},  # position -> {heading, kind, body, variants: {slug: {...}}}
        }
        self.status = Status.DRAFT
        self.submitted = None  # the content frozen by the last successful submit
        self.approved = None  # the content readers should see under the badge
        self.approver = None
        self.approved_revision_id = self.submitted_revision_id = None
        self.tampered = {}  # revision id -> its content as changed behind the app's back
        self.show_unapproved = True  # the site setting
        self.checks = 0
        self.terms = {}  # term -> its working text
        self.terms_approved = {}  # term -> the text last approved

    # -- the model's snapshot ----------------------------------------------------------------

    def expected_content(self) -> dict:
        w = self.working
        data = {
            "question": w["question"],
            "headline": w["headline"],
            "bottom_line": w["bottom_line"],
            "sections": [],
        }
        cited = [w["bottom_line"], *w["bottom_line_variants"].values()]
        if w["bottom_line_variants"]:
            data["bottom_line_variants"] = dict(w["bottom_line_variants"])
        for position in sorted(w["sections"]):
            s = w["sections"][position]
            section = {
                "position": position,
                "heading": s["heading"],
                "kind": s["kind"],
                "body": s["body"],
            }
            cited += [s["body"], *(v["body"] for v in s["variants"].values())]
            if s["variants"]:
                section["variants"] = {slug: dict(v) for slug, v in s["variants"].items()}
            data["sections"].append(section)
        keys = {key for text in cited for key in CITED_KEY.findall(" ".join(_groups(text)))}
        if keys:
            data["references"] = {key: dict(self.library[key]) for key in sorted(keys)}
        return data

    def public(self) -> tuple[list[dict], bool] | None:
        """What readers should see: (the content, or the contents any one of which will do;
        under the badge?), or None for no public page."""
        if self.approved is not None:
            tampered = self.tampered.get(self.approved_revision_id)
            if tampered is not None:
                # Not what the reviewer signed: no badge. The text may still come from the
                # cache (the signed one) or from the row (the tampered one).
                return [self.approved, tampered], False
            return [self.approved], True
        if self.status in Status.in_review() and self.show_unapproved:
            tampered = self.tampered.get(self.submitted_revision_id)
            return [self.submitted, *([tampered] if tampered else [])], False
        return None

    # -- doing things ------------------------------------------------------------------------

    def fresh(self) -> Article:
        return Article.objects.get(pk=self.article.pk)

    def edit(self, by: str, change, model_change) -> bool:
        """Save a working-copy change as the admin does: the change and `record_edit` in one
        transaction, all or nothing. Updates the model only if it went through."""
        user = self.users[by]
        try:
            with transaction.atomic():
                article = self.fresh()
                change(article, user)
                services.record_edit(article, by=user)
        except services.TransitionError:
            return False
        model_change()
        pinned = {
            Status.SUBMITTED: self.submitted,
            Status.UNDER_REVIEW: self.submitted,
            Status.APPROVED: self.approved,
        }.get(self.status)
        if self.status != Status.DRAFT and self.expected_content() != pinned:
            self.status = Status.DRAFT
        return True

    def transition(self, name: str, *args, **kwargs):
        """A review service; None when it refused (which is fine)."""
        try:
            return getattr(services, name)(self.fresh(), *args, **kwargs)
        except services.TransitionError:
            return None

    def section_at(self, index: int) -> int:
        positions = sorted(self.working["sections"])
        return positions[index % len(positions)]

    # -- setting out ---------------------------------------------------------------------------

    @initialize(
        headline=headings,
        bottom_line=texts,
        bodies=st.lists(st.tuples(headings, texts), min_size=1, max_size=3),
        variant=st.none() | st.tuples(st.sampled_from(VARIANT_SLUGS), texts),
        co_author=st.booleans(),
        goal=st.sampled_from(GOALS),
        revised=texts,
        glossary=st.lists(
            st.sampled_from(["absent", "pending", "approved", "edited"]), min_size=3, max_size=3
        ),
    )
    def start(self, headline, bottom_line, bodies, variant, co_author, goal, revised, glossary):
        """An article written and taken some way through review (the riskiest states are an
        approval with a newer draft or a newer revision in review); some glossary terms."""
        if co_author:
            self.article.authors.add(self.users["editor_board"])

        def change(article, user):
            article.headline, article.bottom_line = headline, bottom_line
            article.save(update_fields=["headline", "bottom_line", "updated_at"])
            for position, (heading, body) in enumerate(bodies, start=1):
                Section.objects.create(
                    article=article, position=position, heading=heading, body=body
                )
            if variant:
                Variant.objects.create(
                    article=article,
                    reader_type=ReaderType.objects.get(slug=variant[0]),
                    text=variant[1],
                )

        def model_change():
            self.working.update(headline=headline, bottom_line=bottom_line)
            for position, (heading, body) in enumerate(bodies, start=1):
                self.working["sections"][position] = {
                    "heading": heading,
                    "kind": Section.Kind.STANDARD,
                    "body": body,
                    "variants": {},
                }
            if variant:
                self.working["bottom_line_variants"][variant[0]] = variant[1]

        assert self.edit("editor", change, model_change)
        for step in goal:
            if step == "approved":
                self.submit("editor")
                self.start_review("board1")
                self.approve("board1", "current")
            elif step == "edited":
                self.edit_article("editor", None, revised + (" omega" * (revised == bottom_line)))
            elif step == Status.SUBMITTED:
                self.submit("editor")
            elif step == Status.UNDER_REVIEW:
                self.start_review("board2")
        assert self.status == {"approved": Status.APPROVED, "edited": Status.DRAFT}.get(
            goal[-1], goal[-1]
        )
        for term, state in zip(TERMS, glossary, strict=True):
            if state == "absent":
                continue
            self.edit_glossary("editor", term, f"About {term}.", 0, False)
            if state in ("approved", "edited"):
                self.approve_glossary("board2", term)
                assert term in self.terms_approved
            if state == "edited":
                self.edit_glossary("editor", term, f"Changed {term}.", 1, False)

    # -- the working copy ------------------------------------------------------------------

    @rule(by=users(*WRITERS), headline=st.none() | headings, bottom_line=st.none() | texts)
    def edit_article(self, by, headline, bottom_line):
        """Save the article form (a save without changes too: after a library edit that
        alone makes a new revision)."""

        def change(article, user):
            if headline is not None:
                article.headline = headline
            if bottom_line is not None:
                article.bottom_line = bottom_line
            article.version += 1
            article._history_user = user
            article.save(update_fields=["headline", "bottom_line", "version", "updated_at"])

        def model_change():
            if headline is not None:
                self.working["headline"] = headline
            if bottom_line is not None:
                self.working["bottom_line"] = bottom_line

        self.edit(by, change, model_change)

    @rule(by=users(*WRITERS), text=questions)
    def edit_question(self, by, text):
        def change(article, user):
            question = Question.objects.get(pk=article.question_id)
            question.text = text
            question._history_user = user
            question.save()

        self.edit(by, change, lambda: self.working.update(question=text))

    @rule(
        by=users(*WRITERS),
        position=st.integers(1, 6),
        heading=headings,
        kind=st.sampled_from(KINDS),
        body=texts,
    )
    def add_section(self, by, position, heading, kind, body):
        if position in self.working["sections"]:
            position = max(self.working["sections"]) + 1

        def change(article, user):
            section = Section(
                article=article, position=position, heading=heading, kind=kind, body=body
            )
            section._history_user = user
            section.save()

        def model_change():
            self.working["sections"][position] = {
                "heading": heading,
                "kind": kind,
                "body": body,
                "variants": {},
            }

        self.edit(by, change, model_change)

    @precondition(lambda self: self.working["sections"])
    @rule(
        by=users(*WRITERS),
        index=st.integers(0, 5),
        heading=st.none() | headings,
        kind=st.none() | st.sampled_from(KINDS),
        body=st.none() | texts,
    )
    def change_section(self, by, index, heading, kind, body):
        position = self.section_at(index)
        fields = {
            k: v for k, v in (("heading", heading), ("kind", kind), ("body", body)) if v is not None
        }

        def change(article, user):
            section = article.sections.get(position=position)
            for name, value in fields.items():
                setattr(section, name, value)
            section._history_user = user
            section.save()

        self.edit(by, change, lambda: self.working["sections"][position].update(fields))

    @precondition(lambda self: self.working["sections"])
    @rule(by=users(*WRITERS), index=st.integers(0, 5))
    def remove_section(self, by, index):
        position = self.section_at(index)

        def change(article, user):
            section = article.sections.get(position=position)
            section._history_user = user
            section.delete()  # its variants go with it

        self.edit(by, change, lambda: self.working["sections"].pop(position))

    @rule(
        by=users(*WRITERS),
        slug=st.sampled_from(VARIANT_SLUGS),
        where=st.none() | st.integers(0, 5),
        heading=st.just("") | headings,
        text=texts,
    )
    def set_variant(self, by, slug, where, heading, text):
        """Add or change a reader-type variant of the bottom line or of a section."""
        position = (
            self.section_at(where) if where is not None and self.working["sections"] else None
        )

        def change(article, user):
            section = article.sections.get(position=position) if position else None
            variant = Variant.objects.filter(
                article=article, section=section, reader_type__slug=slug
            ).first() or Variant(
                article=article, section=section, reader_type=ReaderType.objects.get(slug=slug)
            )
            variant.heading = heading if section else ""
            variant.text = text
            variant._history_user = user
            variant.save()

        def model_change():
            if position is None:
                self.working["bottom_line_variants"][slug] = text
            else:
                self.working["sections"][position]["variants"][slug] = {
                    "heading": heading,
                    "body": text,
                }

        self.edit(by, change, model_change)

    @precondition(
        lambda self: (
            self.working["bottom_line_variants"]
            or any(s["variants"] for s in self.working["sections"].values())
        )
    )
    @rule(by=users(*WRITERS), pick=st.integers(0, 20))
    def remove_variant(self, by, pick):
        found = [(None, slug) for slug in sorted(self.working["bottom_line_variants"])] + [
            (position, slug)
            for position, s in sorted(self.working["sections"].items())
            for slug in sorted(s["variants"])
        ]
        position, slug = found[pick % len(found)]

        def change(article, user):
            variant = (
                Variant.objects.get(
                    article=article, section__position=position, reader_type__slug=slug
                )
                if position
                else Variant.objects.get(article=article, section=None, reader_type__slug=slug)
            )
            variant._history_user = user
            variant.delete()

        def model_change():
            if position is None:
                del self.working["bottom_line_variants"][slug]
            else:
                del self.working["sections"][position]["variants"][slug]

        self.edit(by, change, model_change)

    # -- the shared library and the glossary -------------------------------------------------

    @rule(
        by=users(*WRITERS),
        key=st.sampled_from(KEYS),
        shown=st.booleans(),
        title=st.none() | st.sampled_from(TITLES),
        authors=st.none() | st.sampled_from(AUTHORS),
        year=st.integers(2000, 2030),
    )
    def edit_reference(self, by, key, shown, title, authors, year):
        """A library edit, saved plainly (often of a reference the public page cites): no
        article's approved page may change with it."""
        public = self.public()
        cited = sorted(public[0][0].get("references", {})) if public else []
        if shown and cited:
            key = cited[KEYS.index(key) % len(cited)]
        reference = Reference.objects.get(key=key)
        for name, value in (("title", title), ("authors", authors), ("year", year)):
            if value is not None:
                setattr(reference, name, value)
                self.library[key][name] = value
        reference._history_user = self.users[by]
        reference.save()

    @rule(
        by=users(*WRITERS),
        term=st.sampled_from(TERMS),
        definition=definitions,
        synonym=st.integers(0, 1),
        match_case=st.booleans(),
        then_approved_by=st.none() | st.sampled_from(BOARD),
    )
    def edit_glossary(self, by, term, definition, synonym, match_case, then_approved_by=None):
        """Write or change a definition (saved plainly, as the admin does), and perhaps have
        a board member approve it right away."""
        synonyms = SYNONYMS[term][synonym % len(SYNONYMS[term])]
        glossary_term = GlossaryTerm.objects.filter(term=term).first() or GlossaryTerm(term=term)
        glossary_term.definition, glossary_term.synonyms = definition, synonyms
        glossary_term.match_case = match_case
        glossary_term._history_user = self.users[by]
        glossary_term.save()
        self.terms[term] = {
            "term": term,
            "synonyms": synonyms,
            "definition": definition,
            "match_case": match_case,
        }
        if then_approved_by:
            self.approve_glossary(then_approved_by, term)

    @precondition(lambda self: self.terms)
    @rule(term=st.sampled_from(TERMS))
    def delete_glossary(self, term):
        """A chief editor withdraws a term: readers must stop seeing its approved text."""
        GlossaryTerm.objects.filter(term=term).delete()
        self.terms.pop(term, None)
        self.terms_approved.pop(term, None)

    @precondition(lambda self: self.terms)
    @rule(by=users(*BOARD), term=st.sampled_from(TERMS))
    def approve_glossary(self, by, term):
        if term not in self.terms:
            return
        try:
            approval = services.approve_glossary_term(
                GlossaryTerm.objects.get(term=term), by=self.users[by]
            )
        except services.TransitionError:
            return
        assert approval.frozen() == self.terms[term]
        self.terms_approved[term] = dict(self.terms[term])

    @precondition(lambda self: self.approved_revision_id and not self.tampered)
    @rule(word=st.sampled_from(WORDS), chance=st.integers(0, 3))
    def tamper_with_the_approved_revision(self, word, chance):
        """The approved revision's stored text changes behind the app's back (a manual SQL
        fix, a bad migration): it is no longer what the reviewer signed. Rarely: the rest of
        the sequence can then never show the badge for this revision."""
        if chance:
            return
        revision = Revision.objects.get(pk=self.approved_revision_id)
        content = {**revision.content, "bottom_line": revision.content["bottom_line"] + " " + word}
        tamper(revision, content)
        self.tampered[revision.pk] = content

    @rule()
    def cache_evicted(self):
        """The cache forgets (a restart, memory pressure): a page published in the database, or
        else a fresh render, must say the same."""
        cache.clear()

    @rule(show=st.booleans())
    def switch_pending_articles(self, show):
        """A chief editor's site switch: never-approved articles in review public or not."""
        site = SiteSettings.load()
        site.show_unapproved_articles = show
        site.save()
        self.show_unapproved = show

    # -- review ------------------------------------------------------------------------------

    @rule(by=users(*WRITERS))
    def submit(self, by):
        revision = self.transition("submit", by=self.users[by])
        if revision is not None:
            self.submitted, self.submitted_revision_id = self.expected_content(), revision.pk
            assert revision.content in (self.submitted, self.tampered.get(revision.pk))
            self.status = Status.SUBMITTED

    @rule(reviewer=st.sampled_from(BOARD), text=texts)
    def advance(self, reviewer, text):
        """The next step of a review as it usually goes, so that sequences reach approval
        (and approval again) often."""
        if self.status == Status.DRAFT:
            self.submit("editor")
        elif self.status == Status.APPROVED:
            self.submit("editor")  # refused unless a cited reference changed in the library
            if self.status == Status.APPROVED:  # then revise it, as editors do
                current = self.working["bottom_line"]
                self.edit_article("editor", None, text + (" omega" * (text == current)))
        elif self.status == Status.SUBMITTED:
            self.start_review(reviewer)
        else:
            assigned = self.fresh().assigned_reviewer
            self.approve(
                assigned.username.removeprefix("badge-") if assigned else reviewer, "current"
            )

    @rule(by=users("chief"), reviewer=users(*BOARD))
    def assign(self, by, reviewer):
        if self.transition("assign", self.users[reviewer], by=self.users[by]) is not None:
            self.status = Status.UNDER_REVIEW

    @rule(by=users(*BOARD))
    def start_review(self, by):
        if self.transition("start_review", by=self.users[by]) is not None:
            self.status = Status.UNDER_REVIEW

    @rule(by=users(*BOARD), seen=st.sampled_from(["none", "current", "stale"]), comment=comments)
    def approve(self, by, seen, comment=""):
        article = self.fresh()
        seen_id = {
            "none": None,
            "current": article.submitted_revision_id,
            "stale": article.revisions.exclude(pk=article.submitted_revision_id)
            .values_list("pk", flat=True)
            .first(),
        }[seen]
        approval = self.transition(
            "approve", by=self.users[by], comment=comment, seen_revision_id=seen_id
        )
        if approval is not None:
            assert approval.revision_id == self.submitted_revision_id
            self.approved, self.approver = self.submitted, self.users[by]
            self.approved_revision_id = approval.revision_id
            self.status = Status.APPROVED

    @rule(by=users(*BOARD), comment=comments)
    def request_changes(self, by, comment):
        if self.transition("request_changes", by=self.users[by], comment=comment) is not None:
            self.status = Status.DRAFT

    @rule(by=users(), comment=comments, section=st.none() | st.integers(1, 4))
    def add_comment(self, by, comment, section):
        self.transition("add_comment", by=self.users[by], comment=comment, section_position=section)

    @rule(by=users("chief"), comment=comments)
    def unpublish(self, by, comment):
        if self.transition("unpublish", by=self.users[by], comment=comment) is not None:
            self.approved = self.submitted = self.approver = None
            self.approved_revision_id = self.submitted_revision_id = None
            self.status = Status.DRAFT

    @precondition(lambda self: Revision.objects.filter(article=self.article).exists())
    @rule(by=users(*WRITERS), pick=st.integers(0, 20))
    def restore(self, by, pick):
        """Copy an older revision back into the working copy (the revisions screen)."""
        revisions = list(Revision.objects.filter(article=self.article).order_by("number"))
        revision = revisions[pick % len(revisions)]
        content = revision.content
        if self.transition("restore", revision, by=self.users[by]) is None:
            return
        self.working = {
            "question": content["question"],
            "headline": content["headline"],
            "bottom_line": content["bottom_line"],
            "bottom_line_variants": {
                slug: text
                for slug, text in content.get("bottom_line_variants", {}).items()
                if slug in self.reader_types
            },
            "sections": {
                s["position"]: {
                    "heading": s["heading"],
                    "kind": s["kind"],
                    "body": s["body"],
                    "variants": {
                        slug: dict(v)
                        for slug, v in s.get("variants", {}).items()
                        if slug in self.reader_types
                    },
                }
                for s in content["sections"]
            },
        }
        self.status = Status.DRAFT

    # -- the invariant -----------------------------------------------------------------------

    @invariant()
    def workflow_state_matches_the_model(self):
        article = self.fresh()
        assert article.status == self.status
        assert bool(article.approval_id) == (self.approved is not None)

    @invariant()
    def catalogue_lists_only_what_readers_may_see(self):
        """The list, search and home pages read `Listing`: it must carry the public revision's
        text, "approved" only over the approved revision, and nothing for a draft."""
        listing = Listing.objects.filter(article=self.article.pk).first()
        if self.approved is not None:
            assert listing is not None, "an approved article missing from the catalogue"
            assert listing.revision_id == self.approved_revision_id
            signed = self.tampered.get(self.approved_revision_id) is None
            assert listing.headline in (self.approved["headline"], *self._tampered_headlines())
            assert listing.is_approved or not signed
        elif self.status in Status.in_review():
            assert listing is not None, "a submitted article missing from the catalogue"
            assert (listing.revision_id, listing.status) == (
                self.submitted_revision_id,
                self.status,
            )
            assert not listing.is_approved
            assert listing.headline in (self.submitted["headline"], *self._tampered_headlines())
        else:
            assert listing is None, "a draft in the catalogue"

    def _tampered_headlines(self) -> list[str]:
        return [content["headline"] for content in self.tampered.values()]

    @invariant()
    def public_page_shows_only_approved_content_under_the_badge(self):
        # Every other step the pages are rendered afresh (nothing in the cache nor published
        # in the database): a stale stored page shows on the steps between, a wrong fresh
        # render on these.
        self.checks += 1
        cold = self.checks % 2 == 0
        if cold:
            cache.clear()
            PublishedPage.objects.all().delete()
        article = Article.objects.select_related("approval__revision", "submitted_revision").get(
            pk=self.article.pk
        )
        for slug in READERS:
            self.check_page(slug, article, cold=cold)

    def check_page(self, slug: str | None, article: Article, *, cold: bool):
        response = self.client.get(self.url + (f"?reader={slug}" if slug else ""))
        expected = self.public()
        html = response.content.decode()
        if expected is None:
            assert response.status_code == 404, "a draft that was never approved is not public"
            assert "Medically reviewed by" not in html
            return
        assert response.status_code == 200
        assert response["X-Cache"] == "MISS" or not cold
        fresh = response["X-Cache"] == "MISS"  # else stored: the page as it was rendered
        contents, approved = expected
        badge = "Medically reviewed by" in html
        page = read_page(html)

        if badge:
            # 1. The badge sits over exactly the text the reviewer signed. A page rendered
            # from the intact revision may still be in the page cache, or published in the
            # database, after the row was altered behind the app's back (it holds the signed
            # text); a fresh render never puts the badge over an altered row.
            assert article.approval_id, "badge without an approval"
            approval = article.approval
            assert approval.action == ReviewEvent.Action.APPROVED
            revision = approval.revision
            assert revision.article_id == article.pk
            assert self.approved is not None, "badge over a revision the model never saw approved"
            intact = hash_of(revision.content) == revision.content_hash
            assert intact or not fresh, "a fresh render put the badge over altered text"
            assert approved or not intact
            contents = [self.approved]
            assert self.approver.get_full_name() in page["reviewed_by"]
            assert "pending human review" not in html
        else:
            # 2. No approval: no badge, and the caution banner.
            assert not approved, "the approved revision is shown without its badge"
            assert "pending human review" in html
            if article.approval_id:  # only when its revision fails the hash check
                revision = article.approval.revision
                assert hash_of(revision.content) != revision.content_hash
            else:
                assert article.submitted_revision.content in contents

        assert "[unknown reference:" not in html
        failures = []
        for content in contents:
            try:
                self.check_content(page, content, slug)
            except AssertionError as failure:
                failures.append(failure)
        if len(failures) == len(contents):
            raise failures[0]

    def check_content(self, page: dict, content: dict, slug: str | None):
        assert page["question"] == content["question"]
        assert page["headline"] == content["headline"]
        bottom_line, sections = as_reader(content, slug)
        assert page["bottom_line"] == plain(bottom_line)
        assert page["sections"] == [
            (f"section-{s['position']}", s["heading"], plain(s["body"])) for s in sections
        ]

        # 3. Glossary: lay readers only, approved texts only (never a pending edit).
        in_order = [bottom_line, *(s["body"] for s in sections)]
        if slug in LAY:
            assert page["glossary"] == expected_glossary(in_order, self.terms_approved)
        else:
            assert page["glossary"] == []
        for term, definition in page["glossary"]:
            assert GlossaryTerm.objects.filter(
                approval__term=term, approval__definition=definition
            ).exists(), f"“{definition}” is not the current approved definition of {term}"
            assert GlossaryApproval.objects.filter(term=term, definition=definition).exists()

        # 4. Citations: numbered 1..n by first appearance; every number resolves to the
        # reference as the revision froze it, never as the library has it now.
        frozen = content.get("references", {})
        numbers = {}
        for text in in_order:
            for group in _groups(text):
                for key in CITED_KEY.findall(group):
                    numbers.setdefault(key, len(numbers) + 1)
        assert set(numbers) <= set(frozen)
        n = len(numbers)
        assert [r["id"] for r in page["references"]] == [f"ref-{i}" for i in range(1, n + 1)]
        assert [r["value"] for r in page["references"]] == [str(i) for i in range(1, n + 1)]
        by_number = sorted(numbers, key=numbers.get)
        # The page parser joins an element's text pieces with spaces: compared without any.
        assert [(r["title"], squeezed(r["text"])) for r in page["references"]] == [
            (frozen[key]["title"], squeezed(reference_text(key, frozen[key]))) for key in by_number
        ]
        assert page["groups"] == [
            format_numbers(numbers[key] for key in CITED_KEY.findall(group))
            for text in in_order
            for group in _groups(text)
        ]
        first_seen = list(dict.fromkeys(i for group in page["groups"] for i in expand(group)))
        assert first_seen == list(range(1, n + 1))
        for href, label, name in page["links"]:
            assert href == f"#ref-{label}", (href, label)
            assert name == f"Reference {label}", (name, label)
            assert 1 <= int(label) <= n, (href, label)


def _groups(text: str) -> list[str]:
    return CITATION_GROUP.findall(text)


@pytest.mark.django_db
def test_badge_only_over_approved_content():
    run_state_machine_as_test(
        BadgeMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            phases=[phase for phase in Phase if SHRINK or phase != Phase.shrink],
            report_multiple_bugs=False,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
