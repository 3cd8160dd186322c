"""`python manage.py load_demo`: demo topics, references, glossary, articles with their
reader-type variants, staff accounts and the Medical Advisory Board's profiles, as written in
the YAML files of `demo/content/` (read and checked by `demo.data`; a malformed file stops the
command before anything is written, naming the file and the field).

Idempotent: every row is found by a natural key (topic slug, reference key, glossary term,
article slug, username; an article's question through its article; a section by its position
in the article; a variant by its article, section position or bottom line, and reader type
slug; a reviewer profile by its user) and saved only when a field differs, so a second run
writes nothing: no new rows, no new history rows and no new `updated_at`.

Articles reach their demo status through the real review workflow (`reviews.services`), never
by setting `status`: a new article's working copy is written, then submitted by `editor`
(which records it as a revision, with the demo's `change_summary` for readers, if any) and
reviewed by `reviewer`; a draft's is recorded as a revision. An article that already has
review events keeps its workflow state; if its working copy differs from the demo content, it
is rewritten and recorded as an edit, as the admin would (an edit to an approved article makes
a new draft while the approved revision stays public). Variants are part of the working copy: a new
article's are written before its first revision, so the revision reviewers approve carries
them. Readers see only glossary definitions the board approved: a demo term never approved
is approved by `reviewer` through `reviews.services`, once (approvals, like review events,
are not in the counts). Glossary terms staff add themselves are kept. The site settings row,
the reader types and the site pages (both disclaimers among them) are left as the migrations
made them.
"""

from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from articles.models import (
    Article,
    GlossaryTerm,
    Question,
    ReaderType,
    ReviewerProfile,
    Section,
    Specialty,
    Topic,
    Variant,
)
from articles.rendering import malformed_citations, unknown_citations
from demo import data as demo_content
from references.models import Reference
from reviews import roles, services

CHANGE_REASON = "Demo content (load_demo)"
Status = Article.Status
# Who plays which part in the demo workflow.
EDITOR, REVIEWER = "editor", "reviewer"
# The workflow's e-mails would go to the demo accounts' example.org addresses: not sent.
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def _named(specialties: dict, slug: str, where: str):
    """The demo specialty `slug`, as `where` names it; an unknown one is an error."""
    try:
        return specialties[slug]
    except KeyError:
        raise CommandError(
            f"Demo content: {where} names the specialty “{slug}”, which is not in specialties.yaml."
        ) from None


class Command(BaseCommand):
    help = (
        "Load the demo topics, references, articles, staff accounts (editor, reviewer, "
        "reviewer2, chief) and reviewer profiles, taking new articles through the review "
        "workflow. Safe to run again: only what differs from the demo content is written. "
        "Refuses unless settings.DEMO_CONTENT_ALLOWED is True."
    )

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            raise CommandError(
                "Demo content is not allowed here: load_demo creates staff accounts with a "
                "published password. Set DEMO_CONTENT_ALLOWED=True (the local and test "
                "settings do) only on a development machine."
            )
        try:
            demo_content.loaded()
        except demo_content.DemoContentError as error:
            raise CommandError(f"Demo content cannot be loaded: {error}") from error
        self.counts = Counter()
        self.report = []
        with override_settings(EMAIL_BACKEND=NO_MAIL), transaction.atomic():
            users = self._load_users()
            specialties = self._load_specialties()
            self._load_reviewer_profiles(users, specialties)
            topics = self._load_topics(specialties)
            self._load_references()
            self._load_glossary(users)
            articles = [self._load_article(data, topics, users) for data in demo_content.ARTICLES]
        if options["verbosity"] >= 1:
            for line in self.report:
                self.stdout.write(line)
        c = self.counts
        self.stdout.write(
            f"Demo content loaded: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['deleted']} deleted "
            f"({len(users)} users, {len(topics)} topics, {len(demo_content.REFERENCES)} "
            f"references, {len(demo_content.GLOSSARY)} glossary terms, {len(articles)} "
            "articles)."
        )

    # -- helpers ---------------------------------------------------------------------------

    def _sync(self, obj, values: dict, *, created: bool = False, by=None):
        """Set `values` on `obj` and save it only if it is new or a value differs. An existing
        row saves only the changed fields, so workflow fields changed meanwhile by
        `reviews.services` are never written back from a stale instance."""
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not created and not changed:
            self.counts["unchanged"] += 1
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        if hasattr(obj, "history"):
            obj._change_reason = CHANGE_REASON
            if by is not None:
                obj._history_user = by
        try:
            obj.full_clean()
        except ValidationError as error:
            raise CommandError(f"Demo {obj._meta.verbose_name} “{obj}”: {error}") from error
        if created:
            obj.save()
        else:
            auto_now = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
            obj.save(update_fields=[*changed, *auto_now])
        self.counts["created" if created else "updated"] += 1
        return obj

    def _upsert(self, model, lookup: dict, values: dict):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            return self._sync(model(**lookup), values, created=True)
        return self._sync(obj, values)

    def _writes(self) -> int:
        return self.counts["created"] + self.counts["updated"] + self.counts["deleted"]

    # -- people ----------------------------------------------------------------------------

    def _load_users(self) -> dict:
        User = get_user_model()
        groups = {g.name: g for g in Group.objects.filter(name__in=roles.PERMISSIONS)}
        missing = sorted(set(roles.PERMISSIONS) - set(groups))
        if missing:
            raise CommandError(
                f"Group(s) {', '.join(missing)} do not exist: run `python manage.py migrate` first."
            )
        for data in demo_content.USERS:
            user = User.objects.filter(username=data["username"]).first()
            created = user is None
            if created:
                user = User(username=data["username"])
            values = {
                "first_name": data["first_name"],
                "last_name": data["last_name"],
                "email": data["email"],
                "is_staff": True,
                "is_active": True,
                "is_superuser": False,
            }
            changed = created or any(getattr(user, k) != v for k, v in values.items())
            # check_password may rehash in place (a newer hasher); that is not our change.
            if created or not user.check_password(demo_content.DEMO_PASSWORD):
                user.set_password(demo_content.DEMO_PASSWORD)
                changed = True
            if changed:
                for name, value in values.items():
                    setattr(user, name, value)
                user.save()
            # The role comes from the group alone; permissions given directly by an earlier
            # version of this command are taken away.
            wanted = {groups[name].pk for name in data["groups"]}
            if set(user.groups.values_list("pk", flat=True)) != wanted:
                user.groups.set(wanted)
                changed = True
            if user.user_permissions.exists():
                user.user_permissions.clear()
                changed = True
            self.counts["created" if created else "updated" if changed else "unchanged"] += 1
        # Fresh instances: no permission cache from before the groups were set.
        usernames = [data["username"] for data in demo_content.USERS]
        return {u.username: u for u in User.objects.filter(username__in=usernames)}

    def _load_reviewer_profiles(self, users: dict, specialties: dict) -> None:
        for data in demo_content.REVIEWER_PROFILES:
            values = {k: data[k] for k in ("slug", "display_name", "credentials", "bio",
                                           "disclosures")}  # fmt: skip
            user = users[data["username"]]
            existed = ReviewerProfile.objects.filter(user=user).exists()
            profile = self._upsert(ReviewerProfile, {"user": user}, values)
            declared = {
                _named(specialties, slug, f"profile {data['slug']}") for slug in data["specialties"]
            }
            if set(profile.specialties.all()) != declared:
                profile.specialties.set(declared)
                if existed:  # a new profile's specialties are part of creating it
                    self.counts["updated"] += 1

    def _load_specialties(self) -> dict:
        return {
            data["slug"]: self._upsert(
                Specialty,
                {"slug": data["slug"]},
                {"name": data["name"], "schema_org": data.get("schema_org") or ""},
            )
            for data in demo_content.SPECIALTIES
        }

    # -- library ---------------------------------------------------------------------------

    def _load_topics(self, specialties: dict) -> dict:
        return {
            data["slug"]: self._upsert(
                Topic,
                {"slug": data["slug"]},
                {
                    "name": data["name"],
                    "description": data["description"],
                    "specialty_id": _named(
                        specialties, data["specialty"], f"topic {data['slug']}"
                    ).pk,
                    "requires_specialty_match": bool(data.get("requires_specialty_match")),
                },
            )
            for data in demo_content.TOPICS
        }

    def _load_references(self) -> None:
        for data in demo_content.REFERENCES:
            values = {
                "kind": data["kind"],
                "title": data["title"],
                "authors": data.get("authors", ""),
                "source": data.get("source", ""),
                "year": data.get("year"),
                "doi": data.get("doi", ""),
                "pmid": data.get("pmid", ""),
                "url": data.get("url", ""),
            }
            self._upsert(Reference, {"key": data["key"]}, values)

    def _load_glossary(self, users: dict) -> None:
        """Readers only see definitions a board member approved: a demo term that has never
        been approved is approved by `reviewer` through `reviews.services`, once, as an
        article's workflow is driven once. A term approved before keeps its approval; if the
        demo text differs from the approved one, the difference waits for the board."""
        never_approved = []
        for data in demo_content.GLOSSARY:
            values = {"synonyms": ", ".join(data["synonyms"]), "definition": data["definition"]}
            term = self._upsert(GlossaryTerm, {"term": data["term"]}, values)
            if term.approval_id is None:
                never_approved.append(term)
        reviewer = users[REVIEWER]
        for term in never_approved:
            try:
                services.approve_glossary_term(term, by=reviewer)
            except services.TransitionError as error:
                raise CommandError(
                    f"Demo glossary term “{term}”: approval by {reviewer} failed: {error}"
                ) from error
        if never_approved:
            n = len(never_approved)
            self.report.append(
                f"  glossary: {n} definition{'s' * (n != 1)} approved by {reviewer}."
            )

    # -- articles --------------------------------------------------------------------------

    def _load_article(self, data: dict, topics: dict, users: dict) -> Article:
        editor = users[EDITOR]
        article = Article.objects.filter(slug=data["slug"]).select_related("question").first()
        # The workflow is only driven for an article with no review history: a second run,
        # or an article someone has since reviewed, keeps its state.
        drive = article is None or not article.review_events.exists()
        history = data.get("changes_requested")
        if drive and history:
            # The first submission, sent back by a board member; then the working copy below
            # is the revision that answers the comment. Its rows are counted once, as created.
            earlier = [
                {**section, **history["earlier_sections"].get(position, {})}
                for position, section in enumerate(data["sections"], start=1)
            ]
            article, _ = self._write_working_copy(article, data, earlier, topics, users)
            services.record_edit(article, by=editor)
            self._transition(article, services.submit, by=editor)
            # Decisions follow the claim: the board member takes the review, then sends it back.
            self._transition(article, services.start_review, by=users[history["by"]])
            self._transition(
                article, services.request_changes, by=users[history["by"]],
                comment=history["comment"],
            )  # fmt: skip
            counts, self.counts = self.counts, Counter()
            article.refresh_from_db()
            article, edited = self._write_working_copy(
                article, data, data["sections"], topics, users
            )
            counts.update(created=self.counts["created"], deleted=self.counts["deleted"])
            self.counts = counts
        else:
            article, edited = self._write_working_copy(
                article, data, data["sections"], topics, users
            )
        # A submission records the working copy as its revision itself: no separate edit.
        submits = drive and data["status"] != Status.DRAFT
        if (edited or not article.revisions.exists()) and not submits:
            services.record_edit(article, by=editor)
        if drive:
            self._drive_workflow(article, data, users)
        article.refresh_from_db()
        self._report(article, data, driven=drive)
        return article

    def _write_working_copy(
        self, article, data: dict, sections: list, topics: dict, users: dict
    ) -> tuple[Article, bool]:
        """Question, article and sections as in `data`, with `sections`; returns the article
        and whether anything was written. An edit bumps `version`, as the admin does, so a
        form opened before it is refused rather than saved over it."""
        editor = users[EDITOR]
        question_values = {
            "text": data["question"],
            "source": Question.Source.EDITORIAL,
            "status": data["question_status"],
        }
        article_values = {
            "headline": data["headline"],
            "topic_id": topics[data["topic"]].pk,
            "bottom_line": data["bottom_line"],
        }
        wanted_authors = {users[name].pk for name in data["authors"]}
        before = self._writes()
        if article is None:
            question = self._sync(Question(), question_values, created=True)
            article = Article(slug=data["slug"], question=question)
            article = self._sync(article, article_values, created=True, by=editor)
            article.authors.set(wanted_authors)
            self._load_sections(article, sections, editor)
            self._load_variants(article, data.get("variants", {}), editor)
        else:
            self._sync(article.question, question_values)
            self._load_sections(article, sections, editor)
            self._load_variants(article, data.get("variants", {}), editor)
            if set(article.authors.values_list("pk", flat=True)) != wanted_authors:
                article.authors.set(wanted_authors)
            if self._writes() > before or any(
                getattr(article, name) != value for name, value in article_values.items()
            ):
                article_values["version"] = article.version + 1
            self._sync(article, article_values, by=editor)
        self._check_citations(article)
        return article, self._writes() > before

    def _load_sections(self, article, sections: list, editor) -> None:
        existing = {s.position: s for s in article.sections.all()}
        for position, data in enumerate(sections, start=1):
            values = {"heading": data["heading"], "body": data["body"], "kind": data["kind"]}
            section = existing.pop(position, None)
            if section is None:
                section = Section(article=article, position=position)
                self._sync(section, values, created=True, by=editor)
            else:
                self._sync(section, values, by=editor)
        for extra in existing.values():  # left over from an earlier, longer version
            self._delete(list(extra.variants.all()), editor)
            self._delete([extra], editor)

    def _load_variants(self, article, variants: dict, editor) -> None:
        """The article's variants as in `variants` ({reader type slug: {"bottom_line": text,
        "sections": {position: {"heading", "body"}}}}); any other variant of the article is
        removed, as an extra section is."""
        reader_types = {t.slug: t for t in ReaderType.objects.filter(slug__in=variants)}
        missing = sorted(set(variants) - set(reader_types))
        if missing:
            raise CommandError(
                f"Demo article {article.slug} has variants for reader type(s) "
                f"{', '.join(missing)}, which do not exist: run `python manage.py migrate`, "
                "or add them again in the admin."
            )
        sections = {s.position: s for s in article.sections.all()}
        existing = {
            (v.section.position if v.section_id else None, v.reader_type.slug): v
            for v in article.variants.select_related("section", "reader_type")
        }
        for slug, data in variants.items():
            wanted = [(None, "", data["bottom_line"])] if "bottom_line" in data else []
            wanted += [
                (position, section.get("heading", ""), section["body"])
                for position, section in data.get("sections", {}).items()
            ]
            for position, heading, text in wanted:
                if position is not None and position not in sections:
                    raise CommandError(
                        f"Demo article {article.slug}: the {slug} variant of section "
                        f"{position} has no section {position} to belong to."
                    )
                values = {"heading": heading, "text": text}
                variant = existing.pop((position, slug), None)
                if variant is None:
                    variant = Variant(
                        article=article,
                        section=sections.get(position),
                        reader_type=reader_types[slug],
                    )
                    self._sync(variant, values, created=True, by=editor)
                else:
                    self._sync(variant, values, by=editor)
        self._delete(list(existing.values()), editor)

    def _delete(self, objs: list, editor) -> None:
        for obj in objs:
            obj._change_reason = CHANGE_REASON
            obj._history_user = editor
            obj.delete()
            self.counts["deleted"] += 1

    def _check_citations(self, article) -> None:
        texts = (
            [("bottom line", article.bottom_line)]
            + [(f"section {s.position} “{s.heading}”", s.body) for s in article.sections.all()]
            + [
                (f"variant “{v}”", v.text)
                for v in article.variants.select_related("section", "reader_type")
            ]
        )
        problems = []
        for where, text in texts:
            problems += [
                f"{article.slug}, {where}, line {line}: unknown key @{key}"
                for key, line in unknown_citations(text)
            ] + [
                f"{article.slug}, {where}, line {line}: malformed citation {bad}"
                for bad, line in malformed_citations(text)
            ]
        if problems:
            raise CommandError("Demo articles have citation errors: " + "; ".join(problems))

    # -- workflow --------------------------------------------------------------------------

    def _drive_workflow(self, article, data: dict, users: dict) -> None:
        """From draft to `data["status"]` through the services, as the people would."""
        editor, reviewer = users[EDITOR], users[REVIEWER]
        target = Status(data["status"])
        if target == Status.DRAFT:
            return
        self._transition(
            article, services.submit, by=editor, change_summary=data.get("change_summary", "")
        )
        if target in (Status.UNDER_REVIEW, Status.APPROVED):
            self._transition(article, services.start_review, by=reviewer)
        if target == Status.APPROVED:
            self._transition(
                article, services.approve, by=reviewer, comment=data.get("approval_comment", "")
            )

    def _transition(self, article, step, **kwargs) -> None:
        try:
            step(article, **kwargs)
        except services.TransitionError as error:
            raise CommandError(
                f"Demo article {article.slug}: {step.__name__} by {kwargs['by']} failed: {error}"
            ) from error

    def _report(self, article, data: dict, *, driven: bool) -> None:
        revisions = article.revisions.count()
        events = article.review_events.count()
        line = (
            f"  {article.slug}: {article.get_status_display().lower()} "
            f"({revisions} revision{'s' * (revisions != 1)}, "
            f"{events} review event{'s' * (events != 1)})"
        )
        if not driven:
            line += ", review workflow unchanged"
            if article.status != data["status"]:
                line += f" (the demo content has it {Status(data['status']).label.lower()})"
        self.report.append(line + ".")
