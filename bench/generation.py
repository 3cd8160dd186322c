"""A realistic catalogue for benchmarks: staff, topics, a shared reference library, and
articles with their whole history — revisions, citations, review events and
django-simple-history rows — in the shapes the application itself writes.

Each article follows a *story* (`plan`): written by an editor, submitted, reviewed, approved,
perhaps edited and approved again, sent back, left in review or as a draft, or unpublished.
The story of article *n* depends only on the seed and *n*, so any run of the same seed gives
the same catalogue. A story is played one of two ways:

- `ServicePlayer` plays it the way people do: the model saves the admin makes and the
  review workflow's services (`reviews.services`). A few hundred articles go this way.
- `BulkPlayer` writes the rows those calls would write, with dates spread over the past
  years, in batches: COPY on PostgreSQL (`bulk_create` spent a quarter of a millisecond per
  row, too slow for millions). Everything else goes this way. Revision content is built
  like `articles.revisions.snapshot` builds it and hashed with `hash_of`; every batch checks
  a sample against `snapshot` itself, and the tests compare both players row by row.

Listings (the public catalogue) are then built by `articles.catalogue.rebuild`.
"""

import datetime
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from articles import catalogue
from articles.models import (
    Article,
    Question,
    ReaderType,
    ReviewerProfile,
    ReviewEvent,
    Section,
    SiteSettings,
    Specialty,
    Topic,
    Variant,
)
from articles.revisions import Citation, Revision, hash_of, snapshot
from references.citations import keys_in_line
from references.models import Reference, digest, displayed_data
from reviews import roles, services, specialties

from . import vocabulary as words

Status = Article.Status
Action = ReviewEvent.Action
User = get_user_model()
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"
USERNAME_PREFIX = "bench-"

# -- the plan ------------------------------------------------------------------------------------

# How articles end up, in percent. Each name is a sequence of steps (see `_steps`).
STORIES = {
    "approved": 51,
    "withdrawn_then_approved": 1,
    "approved_twice": 12,
    "approved_three_times": 4,
    "changes_then_approved": 4,
    "approved_then_edited": 4,
    "approved_then_resubmitted": 2,
    "approved_then_in_review": 1,
    "submitted": 7,
    "under_review": 5,
    "changes_requested": 4,
    "draft": 4,
    "unpublished": 1,
}
_STORY_NAMES = list(STORIES)
_STORY_WEIGHTS = list(STORIES.values())
YEARS_OF_HISTORY = 4


@dataclass
class Step:
    """One thing someone does to the article: `action` is create, submit, start_review,
    assign, comment, approve, request_changes, edit or unpublish."""

    action: str
    actor: object  # a User
    at: datetime.datetime
    summary: str = ""  # submit
    comment: str = ""  # approve, request_changes, comment, unpublish
    reviewer: object = None  # assign
    section: int | None = None  # comment
    bottom_line: str | None = None  # edit: new text, or None
    sections: dict = field(default_factory=dict)  # edit: {position: new body}


@dataclass
class Story:
    index: int
    name: str
    topic: Topic
    question: str
    headline: str
    slug: str
    bottom_line: str
    sections: list  # [{"position", "heading", "kind", "body"}]
    variants: list  # [(reader slug, section position or None, heading, text)]
    authors: list
    steps: list


@dataclass
class Cast:
    editors: list
    reviewers: list
    chiefs: list
    reviewers_by_topic: dict  # topic pk -> [User]


@dataclass
class Library:
    """The reference library as articles cite it: pools of keys and the displayed fields."""

    by_topic: dict  # topic pk -> [key], most cited first
    general: list  # [key], cited across topics
    displayed: dict  # key -> displayed fields (what a revision freezes)
    digests: dict  # key -> digest of the displayed fields
    ids: dict  # key -> pk
    weighted: dict = field(default_factory=dict)  # topic pk (None: general) -> Weighted keys

    def __post_init__(self):
        self.weighted = {pk: words.Weighted(keys, 0.8) for pk, keys in self.by_topic.items()}
        self.weighted[None] = words.Weighted(self.general, 0.8)


class Vocabulary:
    """The words one run draws from: per topic its own conditions, tests, symptoms and a pool
    of invented drug names; general clinical words for all."""

    def __init__(self, seed: int):
        rng = seeded(f"{seed}:vocabulary")
        self.topics = words.topics()
        self.drugs = [
            words.Weighted(words.drug_pool(rng, rng.randint(90, 160)), 0.9) for _ in self.topics
        ]
        self.general = {
            name: words.Weighted(items, 0.6)
            for name, items in (
                ("pop", words.POPULATIONS),
                ("outcome", words.OUTCOMES),
                ("setting", words.SETTINGS),
                ("dur", words.DURATIONS),
                ("treat", words.TREATMENTS),
                ("adverse", words.ADVERSE),
                ("evidence", words.EVIDENCE),
                ("freq", words.FREQUENCIES),
                ("dose", words.DOSES),
            )
        }

    def slots(self, topic_number: int) -> dict:
        """The slot fillers for an article of topic number `topic_number`."""
        topic = self.topics[topic_number]
        conditions = words.Weighted(topic["conditions"], 0.8)
        tests = words.Weighted(topic["tests"], 0.8)
        symptoms = words.Weighted(topic["symptoms"], 0.8)
        drugs = self.drugs[topic_number]
        fillers = {name: weighted.draw for name, weighted in self.general.items()}
        fillers.update(
            cond=conditions.draw,
            cond2=lambda rng: self.topics[rng.randrange(len(self.topics))]["conditions"][
                rng.randrange(5)
            ],
            test=tests.draw,
            symptom=symptoms.draw,
            symptom2=symptoms.draw,
            drug=drugs.draw,
            drug2=drugs.draw,
            pct=lambda rng: str(rng.randint(5, 45)),
            num=lambda rng: str(rng.randint(2, 15)),
            age=lambda rng: str(rng.randint(19, 88)),
        )
        return fillers


class Writer:
    """Writes an article's texts: sentences from the vocabulary, with citations to the
    article's references, each of them cited at least once where possible."""

    def __init__(self, rng: random.Random, slots: dict, keys: list[str]):
        self.rng, self.slots = rng, slots
        self.keys = keys
        self.uncited = list(keys)

    def sentence(self, pattern: str, cite: float = 0.35) -> tuple[str, set[str]]:
        text = words.fill(pattern, self.rng, self.slots)
        cited = set()
        if self.keys and self.rng.random() < cite:
            count = self.rng.choice((1, 1, 1, 2, 2, 3))
            group = []
            while self.uncited and len(group) < count:
                group.append(self.uncited.pop(self.rng.randrange(len(self.uncited))))
            while len(group) < count:
                key = self.rng.choice(self.keys)
                if key not in group:
                    group.append(key)
                elif len(group) >= len(self.keys):
                    break
            text += " [" + "; ".join(f"@{key}" for key in group) + "]"
            cited = set(group)
        end = "?" if text.endswith("?") else "."
        return text.rstrip("?") + end, cited

    def paragraph(self, patterns: list[str], sentences: int) -> tuple[str, set[str]]:
        parts, keys = [], set()
        for _ in range(sentences):
            text, cited = self.sentence(self.rng.choice(patterns))
            parts.append(text)
            keys |= cited
        return " ".join(parts), keys

    def section_body(self, archetype: str, kind: str) -> tuple[str, set[str]]:
        rng = self.rng
        if kind in words.LIST_SECTIONS:
            patterns = words.LIST_SECTIONS[kind][1]
            items, keys = [], set()
            count = rng.randint(4, len(patterns))
            for number, pattern in enumerate(rng.sample(patterns, count), start=1):
                text, cited = self.sentence(pattern, cite=0.3)
                items.append(f"{number}. {text}" if kind == "algorithm" else f"- {text}")
                keys |= cited
            intro, cited = self.sentence(rng.choice(words.SECTIONS["background"][1]), cite=0.2)
            return intro + "\n\n" + "\n".join(items), keys | cited
        patterns = words.SECTIONS[archetype][1]
        blocks, keys = [], set()
        for number in range(rng.choice((1, 2, 2, 2, 3, 3))):
            if number and rng.random() < 0.1:
                blocks.append("### " + words.fill(rng.choice(words.HEADLINES), rng, self.slots))
            text, cited = self.paragraph(patterns, rng.randint(2, 5))
            blocks.append(text)
            keys |= cited
        if rng.random() < 0.2:
            items = []
            for pattern in rng.sample(patterns, min(len(patterns), rng.randint(3, 4))):
                text, cited = self.sentence(pattern, cite=0.2)
                items.append(f"- {text}")
                keys |= cited
            blocks.insert(rng.randint(1, len(blocks)), "\n".join(items))
        if archetype == "dosing" and rng.random() < 0.3:
            rows = ["| Situation | Suggested approach |", "|---|---|"]
            for _ in range(rng.randint(2, 4)):
                situation = words.fill("{cond} with {symptom}", rng, self.slots)
                approach = words.fill("{drug} {dose} {freq}", rng, self.slots)
                rows.append(f"| {situation} | {approach} |")
            blocks.append("\n".join(rows))
        return "\n\n".join(blocks), keys

    def bottom_line(self) -> tuple[str, set[str]]:
        patterns = self.rng.sample(words.BOTTOM_LINES, self.rng.randint(2, 3))
        parts, keys = [], set()
        for pattern in patterns:
            text, cited = self.sentence(pattern, cite=0.6)
            parts.append(text)
            keys |= cited
        return " ".join(parts), keys

    def reader_text(self, slug: str) -> str:
        patterns = words.READER_LINES[slug]
        chosen = self.rng.sample(patterns, min(len(patterns), self.rng.randint(2, 4)))
        return " ".join(words.fill(p, self.rng, self.slots) + "." for p in chosen)

    def leftover(self) -> tuple[str, set[str]]:
        """A closing sentence citing what is still uncited (rarely needed)."""
        keys = set(self.uncited)
        self.uncited = []
        cited = "; ".join(f"@{key}" for key in sorted(keys))
        return f"Further sources for this answer are listed below [{cited}].", keys


def seeded(name: str) -> random.Random:
    """A random stream of its own for each part of the run, so a part's draws never depend on
    how many another made."""
    return random.Random(name)  # noqa: S311 — reproducible benchmark data, not secrets


def _pick(rng: random.Random, weighted: words.Weighted, count: int) -> list:
    chosen: list = []
    for _ in range(count * 20):
        if len(chosen) >= min(count, len(weighted.items)):
            break
        item = weighted.draw(rng)
        if item not in chosen:
            chosen.append(item)
    return chosen


def _when(start: datetime.datetime, days: float) -> datetime.datetime:
    return start + datetime.timedelta(days=days)


def plan(
    index: int,
    seed: int,
    *,
    vocabulary: Vocabulary,
    topics: list[Topic],
    topic_weights: words.Weighted,
    cast: Cast,
    library: Library,
    reader_slugs: set[str],
    now: datetime.datetime,
) -> Story:
    """The story of article number `index`: its texts, people and steps, from the seed."""
    rng = seeded(f"{seed}:article:{index}")
    topic_number = topic_weights.draw(rng)
    topic = topics[topic_number]
    slots = vocabulary.slots(topic_number)
    keys = _pick(rng, library.weighted[topic.pk], rng.randint(7, 10))
    keys += _pick(rng, library.weighted[None], rng.randint(1, 2))
    writer = Writer(rng, slots, keys)

    headline = words.fill(rng.choice(words.HEADLINES), rng, slots)[:190]
    question = words.fill(rng.choice(words.QUESTIONS), rng, slots)
    slug = f"{slugify(headline)[:180].strip('-')}-{index + 1}"
    bottom_line, _ = writer.bottom_line()

    count = rng.choice((4, 5, 5, 6, 6, 6, 7, 7, 8, 9))
    archetypes = ["background"] + rng.sample(
        [name for name in words.SECTIONS if name != "background"], count - 1
    )
    if rng.random() < 0.2:  # most answers start with the background, some end with it
        archetypes = archetypes[1:] + archetypes[:1]
    list_kind = rng.choice(["algorithm", "pitfalls", "key_points"]) if rng.random() < 0.5 else None
    list_at = rng.randrange(1, count) if list_kind else None
    sections = []
    for position, archetype in enumerate(archetypes, start=1):
        kind = list_kind if position - 1 == list_at else Section.Kind.STANDARD.value
        patterns = words.LIST_SECTIONS.get(kind) or words.SECTIONS[archetype]
        headings = patterns[0]
        heading = words.fill(rng.choice(headings), rng, slots)
        body, _ = writer.section_body(archetype, kind)
        sections.append(
            {"position": position, "heading": heading[:200], "kind": kind, "body": body}
        )
    if writer.uncited:
        extra, _ = writer.leftover()
        sections[-1]["body"] += "\n\n" + extra

    variants = []
    for slug_, share in (("patient", 0.25), ("student", 0.08), ("nurse", 0.05)):
        if slug_ not in reader_slugs or rng.random() >= share:
            continue
        if rng.random() < 0.9:
            variants.append((slug_, None, "", writer.reader_text(slug_)))
        if rng.random() < 0.6:
            for position in sorted(rng.sample(range(1, count + 1), rng.randint(1, 2))):
                heading = rng.choice(words.READER_HEADINGS[slug_]) if rng.random() < 0.5 else ""
                variants.append((slug_, position, heading, writer.reader_text(slug_)))
        if not any(v[0] == slug_ for v in variants):
            variants.append((slug_, None, "", writer.reader_text(slug_)))

    authors = [rng.choice(cast.editors)]
    if rng.random() < 0.15:
        second = rng.choice(cast.editors)
        if second != authors[0]:
            authors.append(second)
    name = rng.choices(_STORY_NAMES, _STORY_WEIGHTS)[0]
    steps = _steps(name, rng, writer, sections, topic, authors, cast, now)
    return Story(
        index=index,
        name=name,
        topic=topic,
        question=question,
        headline=headline,
        slug=slug,
        bottom_line=bottom_line,
        sections=sections,
        variants=variants,
        authors=authors,
        steps=steps,
    )


def _steps(name, rng, writer, sections, topic, authors, cast, now) -> list[Step]:
    """The steps of the story `name`, dated over the past years (more of them recent)."""
    editor = authors[0]
    reviewers = cast.reviewers_by_topic[topic.pk]
    slots = writer.slots
    age = YEARS_OF_HISTORY * 365 * (1 - rng.random() ** 0.7)
    clock = [now - datetime.timedelta(days=age)]
    steps: list[Step] = []

    def later(low: float, high: float) -> datetime.datetime:
        clock[0] = _when(clock[0], rng.uniform(low, high))
        return clock[0]

    def add(action, actor, **fields):
        gap = {"submit": (0.5, 6), "start_review": (0.2, 8), "assign": (0.1, 3),
               "comment": (0.05, 2), "approve": (0.5, 10), "request_changes": (0.5, 10),
               "edit": (20, 400), "unpublish": (5, 200)}.get(action, (0, 0))  # fmt: skip
        steps.append(Step(action, actor, later(*gap), **fields))

    def review(reviewer, decision: str):
        if rng.random() < 0.15 and cast.chiefs:
            add("assign", rng.choice(cast.chiefs), reviewer=reviewer)
        else:
            add("start_review", reviewer)
        if rng.random() < 0.1:
            add("comment", reviewer, section=rng.randint(1, len(sections)),
                comment=rng.choice(words.SECTION_COMMENTS))  # fmt: skip
        if decision == "approve":
            add("approve", reviewer, comment=rng.choice(words.REVIEW_COMMENTS))
        elif decision == "request_changes":
            comment = rng.choice(words.CHANGE_REQUESTS).format(
                section=rng.randint(1, len(sections))
            )
            add("request_changes", reviewer, comment=comment)

    def edit():
        changed = {}
        for position in rng.sample(range(1, len(sections) + 1), rng.randint(1, 2)):
            section = sections[position - 1]
            archetype = rng.choice([n for n in words.SECTIONS if n != "background"])
            changed[position] = writer.section_body(archetype, section["kind"])[0]
        bottom_line = writer.bottom_line()[0] if rng.random() < 0.2 else None
        add("edit", editor, sections=changed, bottom_line=bottom_line)

    def summary() -> str:
        if rng.random() < 0.3:
            return ""
        return words.fill(rng.choice(words.CHANGE_SUMMARIES), rng, slots)

    steps.append(Step("create", editor, clock[0]))
    reviewer = rng.choice(reviewers)
    approvals = {"approved_twice": 2, "approved_three_times": 3}.get(name, 1)
    if name == "draft":
        return steps
    if name == "changes_then_approved":
        add("submit", editor)
        review(reviewer, "request_changes")
        edit()
        add("submit", editor, summary=summary())
        review(rng.choice(reviewers), "approve")
    elif name == "withdrawn_then_approved":  # edited while in review, then submitted again
        add("submit", editor)
        review(reviewer, "none")
        edit()
        add("submit", editor, summary=summary())
        review(reviewer, "approve")
    elif name in ("submitted", "under_review", "changes_requested"):
        add("submit", editor)
        if name != "submitted":
            review(reviewer, "request_changes" if name == "changes_requested" else "none")
    else:
        add("submit", editor)
        review(reviewer, "approve")
        for _ in range(approvals - 1):
            edit()
            add("submit", editor, summary=summary())
            review(rng.choice(reviewers), "approve")
        if name == "approved_then_edited":
            edit()
        elif name in ("approved_then_resubmitted", "approved_then_in_review"):
            edit()
            add("submit", editor, summary=summary())
            if name == "approved_then_in_review":
                review(rng.choice(reviewers), "none")
        elif name == "unpublished":
            add("unpublish", rng.choice(cast.chiefs),
                comment="Withdrawn while the advice is checked against new guidance.")  # fmt: skip
    # Squeeze a story that would run into the future into the time that is left.
    start, end = steps[0].at, steps[-1].at
    limit = now - datetime.timedelta(hours=1)
    if end > limit:
        span = max((limit - start).total_seconds(), 60.0)
        scale = span / max((end - start).total_seconds(), 1.0)
        for step in steps:
            step.at = start + (step.at - start) * scale
    return steps


# -- the content a revision freezes --------------------------------------------------------------


class WorkingCopy:
    """An article's working copy, in memory: what `snapshot` would read from its rows."""

    def __init__(self, story: Story):
        self.question = story.question
        self.headline = story.headline
        self.bottom_line = story.bottom_line
        self.sections = {s["position"]: dict(s) for s in story.sections}
        self.variants = list(story.variants)

    def frozen(self, library: Library) -> dict:
        """The revision content, as `articles.revisions.snapshot` builds it."""
        data = {
            "question": self.question,
            "headline": self.headline,
            "bottom_line": self.bottom_line,
            "sections": [],
        }
        lines = {slug: text for slug, position, _, text in self.variants if position is None}
        if lines:
            data["bottom_line_variants"] = lines
        for position in sorted(self.sections):
            section = dict(self.sections[position])
            own = {
                slug: {"heading": heading, "body": text}
                for slug, where, heading, text in self.variants
                if where == position
            }
            if own:
                section["variants"] = own
            data["sections"].append(section)
        keys = _cited(data)
        references = {
            key: library.displayed[key] for key in sorted(keys) if key in library.displayed
        }
        if references:
            data["references"] = references
        return data


def _cited(data: dict) -> set[str]:
    """The keys cited anywhere in the content. The generated texts hold citation groups only in
    plain sentences, so reading the groups is enough; `_check_sample` compares the result with
    the application's own `snapshot` (which parses the Markdown) batch after batch."""
    texts = [data["bottom_line"], *data.get("bottom_line_variants", {}).values()]
    for section in data["sections"]:
        texts.append(section["body"])
        texts += [variant["body"] for variant in section.get("variants", {}).values()]
    return {key for text in texts for line in text.splitlines() for key in keys_in_line(line)}


# -- playing a story through the services ---------------------------------------------------------


class ServicePlayer:
    """Plays stories as people do: the admin's saves, then `reviews.services`."""

    def __init__(self, reader_types: dict):
        self.reader_types = reader_types

    def play(self, story: Story) -> Article:
        editor = story.authors[0]
        question = Question(
            text=story.question, source=Question.Source.EDITORIAL, status=Question.Status.ACCEPTED
        )
        question._history_user = editor
        question.save()
        article = Article(
            question=question,
            headline=story.headline,
            slug=story.slug,
            topic=story.topic,
            bottom_line=story.bottom_line,
        )
        article._history_user = editor
        article.save()
        article.authors.add(*story.authors)
        sections = {}
        for data in story.sections:
            section = Section(article=article, **data)
            section._history_user = editor
            section.save()
            sections[section.position] = section
        for slug, position, heading, text in story.variants:
            variant = Variant(
                article=article,
                section=sections.get(position),
                reader_type=self.reader_types[slug],
                heading=heading,
                text=text,
            )
            variant._history_user = editor
            variant.save()
        services.record_edit(article, by=editor)
        for step in story.steps[1:]:
            self._step(article, step, sections)
        article.refresh_from_db()
        return article

    def _step(self, article: Article, step: Step, sections: dict) -> None:
        by = step.actor
        match step.action:
            case "submit":
                services.submit(article, by=by, change_summary=step.summary)
            case "start_review":
                services.start_review(article, by=by)
            case "assign":
                services.assign(article, step.reviewer, by=by)
            case "comment":
                services.add_comment(
                    article, by=by, comment=step.comment, section_position=step.section
                )
            case "approve":
                # A reviewer outside the topic's specialty confirms so, as the screen asks.
                outside = not specialties.within(article, by)
                services.approve(article, by=by, comment=step.comment, outside_specialty=outside)
            case "request_changes":
                services.request_changes(article, by=by, comment=step.comment)
            case "unpublish":
                services.unpublish(article, by=by, comment=step.comment)
            case "edit":
                # The admin's save: the article form (version bumped), the sections, then the
                # edit is recorded.
                article.refresh_from_db()
                article.version += 1
                if step.bottom_line is not None:
                    article.bottom_line = step.bottom_line
                article._history_user = by
                article.save()
                for position, body in step.sections.items():
                    section = sections[position]
                    section.body = body
                    section._history_user = by
                    section.save()
                services.record_edit(article, by=by)
            case _:
                raise ValueError(f"Unknown step {step.action}")


# -- playing stories in bulk ----------------------------------------------------------------------

_HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
}


class Ids:
    """The next primary key of each table, handed out here so that rows can point at each
    other before any is written (the foreign keys are checked when the batch ends)."""

    def __init__(self):
        self.next: dict = {}

    def __call__(self, model) -> int:
        if model not in self.next:
            self.next[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        value = self.next[model]
        self.next[model] += 1
        return value


def _history_model(model):
    return model.history.model


def _copied_fields(history_model) -> list[str]:
    return [f.attname for f in history_model._meta.fields if f.attname not in _HISTORY_FIELDS]


class Table:
    """How rows of one model are written: its columns in order, each field's default for a
    column a row leaves out, and what must be adapted on the way in."""

    def __init__(self, model):
        fields = model._meta.concrete_fields
        self.model = model
        self.attnames = [f.attname for f in fields]
        self.defaults = [f.get_default() for f in fields]
        self.fields = fields
        self.json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        marks = ", ".join(["%s"] * len(fields))
        # Table and column names come from the models, values go as parameters.
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608

    def complete(self, row: dict) -> dict:
        """`row` with every column it leaves out set to the field's default, as a model
        instance would have it."""
        for name, default in zip(self.attnames, self.defaults, strict=True):
            if name not in row:
                row[name] = default
        return row

    def write(self, rows: list[dict]) -> None:
        """COPY on PostgreSQL; elsewhere one INSERT per row, the values prepared by their
        fields as `bulk_create` would (dates, JSON). Either way, no model instances: at
        millions of rows their cost would dominate."""
        pairs = list(zip(self.attnames, self.defaults, strict=True))
        db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy, per value
        with db.cursor() as cursor:
            if db.vendor == "postgresql":
                from psycopg.types.json import Jsonb

                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        values = [row.get(name, default) for name, default in pairs]
                        for i in self.json:
                            values[i] = Jsonb(values[i])
                        copy.write_row(values)
                return
            prepared = [
                [
                    f.get_db_prep_save(row.get(name, default), db)
                    for f, (name, default) in zip(self.fields, pairs, strict=True)
                ]
                for row in rows
            ]
            cursor.executemany(self.insert_sql, prepared)


_TABLES: dict = {}


def table(model) -> Table:
    if model not in _TABLES:
        _TABLES[model] = Table(model)
    return _TABLES[model]


class Batch:
    """Rows of many articles, as dicts by model, written together."""

    def __init__(self):
        self.rows = defaultdict(list)

    def add(self, model, row: dict) -> dict:
        self.rows[model].append(table(model).complete(row))
        return row

    def write(self) -> dict:
        counts = {}
        for model, rows in self.rows.items():
            table(model).write(rows)
            counts[model._meta.label] = len(rows)
        return counts


class BulkPlayer:
    """Writes the rows `ServicePlayer` would write for a story, with the story's dates. Rows
    are dicts of column values (attribute names); a history row copies its row as it is at
    that step."""

    def __init__(self, ids: Ids, library: Library, reader_types: dict):
        self.ids, self.library = ids, library
        self.reader_types = {slug: rt.pk for slug, rt in reader_types.items()}
        self.authors_model = Article.authors.through
        self.authors_history = apps.get_model("articles", "HistoricalArticle_authors")
        self.history_models = {
            model: _history_model(model)
            for model in (Question, Article, Section, Variant, ReviewEvent)
        }
        self.copied = {
            model: _copied_fields(history_model)
            for model, history_model in self.history_models.items()
        }
        self.declared: dict[int, set[int]] = {}  # reviewer → the specialties they declared

    # Each of these mirrors a save or service call; see ServicePlayer.

    def play(self, story: Story, batch: Batch) -> None:
        self.batch = batch
        self.tick = 0
        self.story = story
        step = story.steps[0]
        editor, at = step.actor, step.at
        question = batch.add(
            Question,
            {
                "id": self.ids(Question),
                "text": story.question,
                "source": Question.Source.EDITORIAL.value,
                "status": Question.Status.ACCEPTED.value,
                "created_at": at,
            },
        )
        self.history(Question, question, "+", editor, at)
        article = self.article = {
            "id": self.ids(Article),
            "question_id": question["id"],
            "headline": story.headline,
            "slug": story.slug,
            "topic_id": story.topic.pk,
            "bottom_line": story.bottom_line,
            "status": Status.DRAFT.value,
            "version": 1,
            "created_at": at,
            "updated_at": at,
            "submitted_revision_id": None,
            "approval_id": None,
            "assigned_reviewer_id": None,
            "next_review_due": None,
        }
        self.authors = []
        self.history(Article, article, "+", editor, at)
        for user in story.authors:
            through = {
                "id": self.ids(self.authors_model),
                "article_id": article["id"],
                "user_id": user.pk,
            }
            batch.add(self.authors_model, through)
            self.authors.append(through)
        self.history(Article, article, "~", editor, at)  # the authors' m2m_changed
        self.sections = {}
        for data in story.sections:
            section = batch.add(
                Section, {"id": self.ids(Section), "article_id": article["id"], **data}
            )
            self.history(Section, section, "+", editor, at)
            self.sections[section["position"]] = section
        for slug, position, heading, text in story.variants:
            variant = batch.add(
                Variant,
                {
                    "id": self.ids(Variant),
                    "article_id": article["id"],
                    "section_id": self.sections[position]["id"] if position else None,
                    "reader_type_id": self.reader_types[slug],
                    "heading": heading,
                    "text": text,
                },
            )
            self.history(Variant, variant, "+", editor, at)
        self.copy = WorkingCopy(story)
        self.revisions = []
        self.approval = None
        self.record_edit(editor, at)
        for step in story.steps[1:]:
            getattr(self, step.action)(step)
        batch.add(Article, article)

    def moment(self, at: datetime.datetime) -> datetime.datetime:
        """`at`, a microsecond later for each row of the story, so rows keep their order."""
        self.tick += 1
        return at + datetime.timedelta(microseconds=self.tick)

    def history(self, model, row: dict, kind: str, user, at, reason=None) -> None:
        history_model = self.history_models[model]
        entry = {name: row[name] for name in self.copied[model]}
        entry.update(
            history_id=self.ids(history_model),
            history_date=self.moment(at),
            history_type=kind,
            history_user_id=user.pk if user else None,
            history_change_reason=reason,
        )
        self.batch.add(history_model, entry)
        if model is Article:
            for through in self.authors:
                self.batch.add(
                    self.authors_history,
                    {
                        "m2m_history_id": self.ids(self.authors_history),
                        "history_id": entry["history_id"],
                        **through,
                    },
                )

    def save(self, by, at, reason) -> None:
        """`services._save`: the article row changes, with a history row."""
        self.article["updated_at"] = at
        self.history(Article, self.article, "~", by, at, reason)

    def event(self, action, by, at, **fields) -> dict:
        event = {
            "id": self.ids(ReviewEvent),
            "article_id": self.article["id"],
            "action": action.value,
            "actor_id": by.pk,
            "created_at": self.moment(at),
            "revision_id": None,
            "assignee_id": None,
            "section_position": None,
            "comment": "",
            "change_summary": "",
            "outside_specialty": False,
            **fields,
        }
        self.batch.add(ReviewEvent, event)
        self.history(ReviewEvent, event, "+", by, at)
        return event

    def record(self, by, at) -> dict:
        """`revisions.record`: the latest revision when unchanged, else a new one with its
        citations."""
        data = self.copy.frozen(self.library)
        content_hash = hash_of(data)
        latest = self.revisions[-1] if self.revisions else None
        if latest and latest["content_hash"] == content_hash:
            return latest
        revision = {
            "id": self.ids(Revision),
            "article_id": self.article["id"],
            "number": latest["number"] + 1 if latest else 1,
            "content": data,
            "content_hash": content_hash,
            "created_by_id": by.pk,
            "created_at": self.moment(at),
        }
        self.batch.add(Revision, revision)
        self.revisions.append(revision)
        for key in data.get("references", {}):
            self.batch.add(
                Citation,
                {
                    "id": self.ids(Citation),
                    "revision_id": revision["id"],
                    "reference_id": self.library.ids[key],
                    "displayed_hash": self.library.digests[key],
                },
            )
        return revision

    def record_edit(self, by, at) -> None:
        article = self.article
        revision = self.record(by, at)
        pinned = {
            Status.SUBMITTED: article["submitted_revision_id"],
            Status.UNDER_REVIEW: article["submitted_revision_id"],
            Status.APPROVED: self.approval["revision_id"] if article["approval_id"] else None,
        }.get(article["status"])
        if article["status"] != Status.DRAFT and revision["id"] != pinned:
            was = Status(article["status"])
            article["status"] = Status.DRAFT.value
            if was in Status.in_review():
                reason = (
                    f"Edited while {was.label.lower()}: withdrawn from review as revision "
                    f"{revision['number']}"
                )
            else:
                reason = f"Edited after approval: revision {revision['number']} is a new draft"
            self.save(by, at, reason)
            if was in Status.in_review():
                self.event(Action.WITHDRAWN, by, at, revision_id=revision["id"])

    def submit(self, step: Step) -> None:
        article = self.article
        revision = self.record(step.actor, step.at)
        article["submitted_revision_id"] = revision["id"]
        article["status"] = Status.SUBMITTED.value
        self.save(step.actor, step.at, f"Submitted revision {revision['number']} for review")
        self.event(
            Action.SUBMITTED,
            step.actor,
            step.at,
            revision_id=revision["id"],
            change_summary=step.summary,
        )

    def assign(self, step: Step) -> None:
        article = self.article
        reviewer = step.reviewer
        previous = article["assigned_reviewer_id"]
        article["assigned_reviewer_id"] = reviewer.pk
        article["status"] = Status.UNDER_REVIEW.value
        reason = f"Assigned to {reviewer} for review"
        if previous is not None and previous != reviewer.pk:
            reason += f", instead of {User.objects.get(pk=previous)}"
        self.save(step.actor, step.at, reason)
        self.event(
            Action.ASSIGNED,
            step.actor,
            step.at,
            assignee_id=reviewer.pk,
            revision_id=article["submitted_revision_id"],
        )

    def start_review(self, step: Step) -> None:
        self.article["assigned_reviewer_id"] = step.actor.pk
        self.article["status"] = Status.UNDER_REVIEW.value
        self.save(step.actor, step.at, "Review started")
        self.event(
            Action.REVIEW_STARTED,
            step.actor,
            step.at,
            revision_id=self.article["submitted_revision_id"],
        )

    def comment(self, step: Step) -> None:
        article = self.article
        in_review = article["status"] in Status.in_review()
        revision_id = article["submitted_revision_id"] if in_review else self.revisions[-1]["id"]
        self.event(
            Action.COMMENTED,
            step.actor,
            step.at,
            revision_id=revision_id,
            comment=step.comment.strip(),
            section_position=step.section,
        )

    def approve(self, step: Step) -> None:
        article = self.article
        revision = next(r for r in self.revisions if r["id"] == article["submitted_revision_id"])
        if step.actor.pk not in self.declared:
            self.declared[step.actor.pk] = set(
                specialties.declared_by(step.actor).values_list("pk", flat=True)
            )
        self.approval = self.event(
            Action.APPROVED,
            step.actor,
            step.at,
            revision_id=revision["id"],
            comment=step.comment.strip(),
            # As the services record it: the approver confirmed approving outside their own.
            outside_specialty=self.story.topic.specialty_id not in self.declared[step.actor.pk],
        )
        article["approval_id"] = self.approval["id"]
        article["status"] = Status.APPROVED.value
        article["assigned_reviewer_id"] = None
        article["next_review_due"] = add_months(
            timezone.localtime(step.at).date(), self.story.topic.review_interval_months
        )
        self.save(step.actor, step.at, f"Approved revision {revision['number']}")

    def request_changes(self, step: Step) -> None:
        article = self.article
        article["status"] = Status.DRAFT.value
        article["assigned_reviewer_id"] = None
        self.save(step.actor, step.at, "Changes requested")
        self.event(
            Action.CHANGES_REQUESTED,
            step.actor,
            step.at,
            revision_id=article["submitted_revision_id"],
            comment=step.comment.strip(),
        )

    def unpublish(self, step: Step) -> None:
        article = self.article
        approved = self.approval["revision_id"] if article["approval_id"] else None
        comment = step.comment.strip()
        self.event(
            Action.UNPUBLISHED,
            step.actor,
            step.at,
            revision_id=approved or article["submitted_revision_id"],
            comment=comment,
        )
        article.update(
            approval_id=None,
            submitted_revision_id=None,
            assigned_reviewer_id=None,
            next_review_due=None,
            status=Status.DRAFT.value,
        )
        self.save(step.actor, step.at, f"Unpublished: {comment}")

    def edit(self, step: Step) -> None:
        article = self.article
        article["version"] += 1
        if step.bottom_line is not None:
            article["bottom_line"] = self.copy.bottom_line = step.bottom_line
        self.save(step.actor, step.at, None)  # the admin's save_model
        for position, body in step.sections.items():
            section = self.sections[position]
            section["body"] = self.copy.sections[position]["body"] = body
            self.history(Section, section, "~", step.actor, step.at)
        self.record_edit(step.actor, step.at)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The review services' due date: `months` after `day`, clamped to the month's end."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# -- the catalogue ---------------------------------------------------------------------------------


@dataclass
class Options:
    articles: int = 100_000
    seed: int = 1
    through_services: int = 300
    references: int | None = None  # default: articles / 25, between 60 and 4,000
    batch_size: int = 1000
    password: str | None = None  # staff can sign in with it; default: nobody can
    check_every: int = 50  # compare one article in this many with `snapshot`
    rebuild: bool = True


@dataclass
class Report:
    seconds: dict = field(default_factory=dict)  # step -> (wall-clock, this process's CPU)
    rows: dict = field(default_factory=lambda: defaultdict(int))
    stories: dict = field(default_factory=lambda: defaultdict(int))
    checked: int = 0
    listings: int = 0


class Clock:
    """Wall-clock and CPU seconds of each step: on a shared machine the two differ a lot."""

    def __init__(self, report: Report):
        self.report = report
        self.wall, self.cpu = time.monotonic(), time.process_time()

    def lap(self, step: str) -> None:
        wall, cpu = time.monotonic(), time.process_time()
        self.report.seconds[step] = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu


def _say(progress, text: str) -> None:
    if progress:
        progress(text)


@dataclass
class Context:
    """What every story of a run draws on: the staff, topics, library and words."""

    seed: int
    cast: Cast
    topics: list
    topic_weights: words.Weighted
    library: Library
    reader_types: dict  # slug -> ReaderType
    vocabulary: Vocabulary
    now: datetime.datetime

    def story(self, index: int) -> Story:
        return plan(
            index,
            self.seed,
            vocabulary=self.vocabulary,
            topics=self.topics,
            topic_weights=self.topic_weights,
            cast=self.cast,
            library=self.library,
            reader_slugs=set(self.reader_types),
            now=self.now,
        )


def prepare(options: Options, progress=None) -> Context:
    """Write the staff, topics and reference library; return what the stories need."""
    now = timezone.now()
    cast = _cast(options, progress)
    topics, topic_weights = _topics(options.seed)
    for number, topic in enumerate(topics):  # two or three board members per topic
        cast.reviewers_by_topic[topic.pk] = [
            cast.reviewers[(number + offset * 7) % len(cast.reviewers)]
            for offset in range(min(3, len(cast.reviewers)))
        ]
    library = _library(options, topics, cast, now)
    SiteSettings.load()
    _say(progress, f"{len(library.ids)} references, {len(topics)} topics.")
    return Context(
        seed=options.seed,
        cast=cast,
        topics=topics,
        topic_weights=topic_weights,
        library=library,
        reader_types={rt.slug: rt for rt in ReaderType.objects.all()},
        vocabulary=Vocabulary(options.seed),
        now=now,
    )


def generate(options: Options, progress=None) -> Report:
    """Write the whole catalogue into the default database, which must hold no articles."""
    held = [
        name
        for name, rows in (
            ("articles", Article.objects.all()),
            ("topics", Topic.objects.all()),
            ("references", Reference.objects.all()),
            ("generated staff", User.objects.filter(username__startswith=USERNAME_PREFIX)),
        )
        if rows.exists()
    ]
    if held:
        raise GenerationError(
            f"This database already holds {', '.join(held)}. Generate into an empty database "
            "(e.g. `dropdb vetted_bench && createdb vetted_bench`): the catalogue is written "
            "once, in full, and revisions and history can't be removed afterwards."
        )
    report = Report()
    with override_settings(EMAIL_BACKEND=NO_MAIL):
        clock = Clock(report)
        context = prepare(options, progress)
        clock.lap("staff, topics and references")
        through_services = min(options.through_services, options.articles)
        in_bulk = options.articles - through_services
        _bulk(range(in_bulk), context, options, report, progress)
        clock.lap("articles in bulk")
        player = ServicePlayer(context.reader_types)
        for number, index in enumerate(range(in_bulk, options.articles), start=1):
            story = context.story(index)
            with transaction.atomic():
                player.play(story)
            report.stories[story.name] += 1
            if number % 100 == 0:
                _say(progress, f"{number} articles through the services…")
        clock.lap("articles through the services")
        if options.rebuild:
            report.listings = catalogue.rebuild(
                progress=lambda n: (
                    _say(progress, f"catalogue: {n} listings…") if n % 10_000 == 0 else None
                )
            )
            clock.lap("catalogue rebuild")
    return report


class GenerationError(Exception):
    """The catalogue can't be generated here; the message says why."""


def _bulk(indexes, context: Context, options: Options, report: Report, progress) -> None:
    ids = Ids()
    player = BulkPlayer(ids, context.library, context.reader_types)
    written = 0
    batch, stories = Batch(), []
    total = len(indexes)
    started = time.monotonic()
    for index in indexes:
        story = context.story(index)
        player.play(story, batch)
        stories.append(story)
        report.stories[story.name] += 1
        if len(stories) >= options.batch_size or index == indexes[-1]:
            with transaction.atomic():
                for label, count in batch.write().items():
                    report.rows[label] += count
                connection.check_constraints()
                report.checked += _check_sample(stories, options.check_every)
            written += len(stories)
            batch, stories = Batch(), []
            rate = written / max(time.monotonic() - started, 1e-6)
            _say(progress, f"{written}/{total} articles in bulk ({rate:.0f}/s)…")
    if total:
        _reset_sequences()


def _check_sample(stories: list[Story], every: int) -> int:
    """Compare the latest revision of some articles with what `snapshot` makes of their rows:
    the bulk rows must be exactly what the application would have frozen."""
    if not every:
        return 0
    checked = 0
    for story in stories[::every]:
        article = Article.objects.select_related("question").get(slug=story.slug)
        latest = article.revisions.order_by("-number").first()
        frozen = snapshot(article)
        if frozen != latest.content or hash_of(frozen) != latest.content_hash:
            raise GenerationError(
                f"Article {article.slug}: the bulk revision differs from what "
                "articles.revisions.snapshot makes of its rows. The generator no longer "
                "matches the application: update bench/generation.py."
            )
        checked += 1
    return checked


def _reset_sequences() -> None:
    """After rows were written with their own primary keys, PostgreSQL's sequences must be
    moved past them (SQLite follows by itself)."""
    models_ = [
        Question,
        Article,
        Article.authors.through,
        Section,
        Variant,
        Revision,
        Citation,
        ReviewEvent,
        apps.get_model("articles", "HistoricalArticle_authors"),
        *(m.history.model for m in (Question, Article, Section, Variant, ReviewEvent)),
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _cast(options: Options, progress) -> Cast:
    """The staff: editors, board members (with public profiles, two to three per topic)
    and chief editors, in the role groups the migrations create."""
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.PERMISSIONS)}
    missing = {roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS} - set(groups)
    if missing:
        raise GenerationError(f"Role groups missing ({', '.join(sorted(missing))}): run migrate.")
    rng = seeded(f"{options.seed}:people")
    size = max(1, min(40, options.articles // 2500))
    password = make_password(options.password) if options.password else make_password(None)
    people = {"editor": size + 2, "reviewer": size * 2 + 4, "chief": 2}
    role = {
        "editor": roles.EDITORS,
        "reviewer": roles.MEDICAL_ADVISORY_BOARD,
        "chief": roles.CHIEF_EDITORS,
    }
    made: dict = defaultdict(list)
    for kind, count in people.items():
        for number in range(1, count + 1):
            first, last = rng.choice(words.GIVEN_NAMES), rng.choice(words.SURNAMES)
            username = f"{USERNAME_PREFIX}{kind}-{number:02d}"
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                is_staff=True,
                password=password,
            )
            user.groups.add(groups[role[kind]])
            made[kind].append(user)
    topics = words.topics()
    for number, user in enumerate(made["reviewer"]):
        specialty = topics[number % len(topics)]["name"]
        profile = ReviewerProfile.objects.create(
            user=user,
            slug=slugify(f"{user.first_name} {user.last_name} {number + 1}"),
            display_name=f"{user.first_name} {user.last_name}",
            credentials=rng.choice(["MD", "MD, PhD", "MBBS", "DO", "MD, MPH", "PharmD"]),
            bio=f"{user.first_name} {user.last_name} is a clinician working in "
            f"{specialty.lower()} who reviews articles for the board.",
            disclosures=rng.choice(
                [
                    "None declared.",
                    "Has received speaker fees from a device maker (2024).",
                    "None declared.",
                ]
            ),  # fmt: skip
        )
        profile.specialties.add(_specialty(specialty))
    _say(progress, f"staff: {sum(len(v) for v in made.values())} accounts.")
    return Cast(
        editors=made["editor"],
        reviewers=made["reviewer"],
        chiefs=made["chief"],
        reviewers_by_topic={},
    )


def _specialty(name: str) -> Specialty:
    """The specialty of a topic's name: one per topic, as the board members declare them."""
    return Specialty.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def _topics(seed: int) -> tuple[list[Topic], words.Weighted]:
    topics = []
    for data in words.topics():
        topics.append(
            Topic.objects.create(
                name=data["name"],
                slug=slugify(data["name"]),
                specialty=_specialty(data["name"]),
                description=f"Questions about {', '.join(data['conditions'][:3])} and related "
                "conditions.",
                review_interval_months=data["review_interval_months"],
            )
        )
    rng = seeded(f"{seed}:topics")
    order = list(range(len(topics)))
    rng.shuffle(order)
    return topics, words.Weighted(order, 0.6)


def _library(options: Options, topics: list[Topic], cast: Cast, now) -> Library:
    """The shared reference library: most references belong to a topic's pool, some are cited
    across topics. Written in bulk, each with its history row, like an editor's saves."""
    rng = seeded(f"{options.seed}:library")
    count = options.references or max(60, min(4000, options.articles // 25))
    vocabulary = Vocabulary(options.seed)
    general_count = max(10, count // 7)
    per_topic = max(8, (count - general_count) // len(topics))
    ids = Ids()
    history_model = _history_model(Reference)
    copied = _copied_fields(history_model)
    rows, history, by_topic, general = [], [], defaultdict(list), []
    displayed, digests, pks = {}, {}, {}
    kinds = [
        (Reference.Kind.RESEARCH, 38),
        (Reference.Kind.REVIEW, 18),
        (Reference.Kind.SYSTEMATIC_REVIEW, 15),
        (Reference.Kind.GUIDELINE, 17),
        (Reference.Kind.TEXTBOOK, 6),
        (Reference.Kind.OTHER, 6),
    ]
    owners = [(topic_number, topic) for topic_number, topic in enumerate(topics)]
    plan_ = [owner for owner in owners for _ in range(per_topic)] + [(None, None)] * general_count
    for number, (topic_number, topic) in enumerate(plan_, start=1):
        slots = vocabulary.slots(topic_number if topic_number is not None else rng.randrange(50))
        kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        year = rng.randint(1998, now.year)
        surname = rng.choice(words.SURNAMES)
        authors = ", ".join(
            f"{rng.choice(words.SURNAMES)} {rng.choice('ABCDEFGHJKLMNPRSTW')}"
            for _ in range(rng.randint(1, 4))
        ) + (", et al." if rng.random() < 0.4 else "")
        title, source, url = _reference_text(kind, rng, slots, topic)
        key = f"{slugify(surname)}-{year}-{number:04d}"
        shown = {
            "kind": kind.value,
            "title": title[:500],
            "authors": authors if kind != Reference.Kind.GUIDELINE else "",
            "source": source,
            "year": year,
            "doi": f"10.5555/bench.{options.seed}.{number}" if rng.random() < 0.8 else "",
            "pmid": str(rng.randint(10_000_000, 39_999_999))
            if kind in (Reference.Kind.RESEARCH, Reference.Kind.SYSTEMATIC_REVIEW)
            else "",
            "url": url,
            "volume": "",
            "issue": "",
            "pages": "",
        }
        displayed[key] = displayed_data(shown)
        digests[key] = digest(displayed[key])  # as `Reference.save` keeps it
        created = now - datetime.timedelta(days=YEARS_OF_HISTORY * 365 + rng.uniform(1, 300))
        reference = {
            "id": ids(Reference),
            "key": key,
            **shown,
            "displayed_hash": digests[key],
            "created_at": created,
            "updated_at": created,
        }
        rows.append(reference)
        history.append(
            {
                **{name: reference.get(name) for name in copied},
                "history_id": ids(history_model),
                "history_date": created,
                "history_type": "+",
                "history_user_id": rng.choice(cast.editors).pk,
                "history_change_reason": None,
            }
        )
        pks[key] = reference["id"]
        (by_topic[topic.pk] if topic else general).append(key)
    with transaction.atomic():
        table(Reference).write(rows)
        table(history_model).write(history)
        statements = connection.ops.sequence_reset_sql(no_style(), [Reference, history_model])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    for pool in by_topic.values():
        rng.shuffle(pool)  # the first of a pool is its most cited reference
    return Library(by_topic=dict(by_topic), general=general, displayed=displayed,
                   digests=digests, ids=pks)  # fmt: skip


def _reference_text(kind, rng, slots, topic) -> tuple[str, str, str]:
    name = topic.name if topic else "General practice"
    patterns = {
        Reference.Kind.RESEARCH: "{Drug} versus {drug2} for {cond} in {pop}: a randomised trial",
        Reference.Kind.REVIEW: "{Cond} in {setting}: a narrative review",
        Reference.Kind.SYSTEMATIC_REVIEW: "{Treat} for {cond}: a systematic review and "
        "meta-analysis",
        Reference.Kind.GUIDELINE: "{Cond}: assessment and management",
        Reference.Kind.TEXTBOOK: f"Handbook of {name.lower()}",
        Reference.Kind.OTHER: "An audit of {test} use in {setting}",
    }
    title = words.fill(patterns[kind], rng, slots)
    if kind == Reference.Kind.GUIDELINE:
        source = rng.choice(words.GUIDELINE_BODIES)
        url = f"https://guidelines.example.org/{slugify(title)[:80]}"
    elif kind == Reference.Kind.TEXTBOOK:
        source = rng.choice(words.PUBLISHERS)
        url = ""
    else:
        source = rng.choice(words.JOURNALS)
        url = f"https://journals.example.org/{slugify(title)[:60]}" if rng.random() < 0.3 else ""
    return title, source, url


def database_size() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


def row_counts() -> dict[str, int]:
    """Rows in the tables the catalogue fills."""
    names = [
        "articles.Article", "articles.Section", "articles.Variant", "articles.Question",
        "articles.Revision", "articles.Citation", "articles.ReviewEvent", "articles.Listing",
        "articles.ListingFacet", "references.Reference", "articles.HistoricalArticle",
        "articles.HistoricalArticle_authors", "articles.HistoricalSection",
        "articles.HistoricalVariant", "articles.HistoricalQuestion",
        "articles.HistoricalReviewEvent", "references.HistoricalReference",
    ]  # fmt: skip
    return {name: apps.get_model(name).objects.count() for name in names}


def public_status_counts() -> dict[str, int]:
    return dict(
        Article.objects.values_list("status").annotate(n=models.Count("pk")).order_by("status")
    )
