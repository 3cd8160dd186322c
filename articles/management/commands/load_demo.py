"""`python manage.py load_demo`: demo topics, references, articles and staff accounts.

Idempotent: every row is found by a natural key (topic slug, reference key, article slug,
username; an article's question through its article; a section by its position in the
article) and saved only when a field differs, so a second run writes nothing: no new rows, no
new history rows and no new `updated_at`.
"""

from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import demo_content
from articles.models import Article, Question, Section, Topic
from articles.rendering import malformed_citations, unknown_citations
from references.models import Reference

CHANGE_REASON = "Demo content (load_demo)"


class Command(BaseCommand):
    help = (
        "Load the demo topics, references, articles and staff accounts (editor, reviewer, "
        "chief). Safe to run again: only what differs from the demo content is written. "
        "Refuses unless settings.DEMO_CONTENT_ALLOWED is True."
    )

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            raise CommandError(
                "Demo content is not allowed here: load_demo creates staff accounts with a "
                "published password. Set DEMO_CONTENT_ALLOWED=True (the local and test "
                "settings do) only on a development machine."
            )
        self.counts = Counter()
        with transaction.atomic():
            users = self._load_users()
            topics = self._load_topics()
            self._load_references()
            articles = self._load_articles(topics, users)
            self._check_citations(articles)
        c = self.counts
        self.stdout.write(
            f"Demo content loaded: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['deleted']} deleted "
            f"({len(users)} users, {len(topics)} topics, {len(demo_content.REFERENCES)} "
            f"references, {len(articles)} articles)."
        )

    # -- helpers ---------------------------------------------------------------------------

    def _sync(self, obj, values: dict, *, created: bool = False):
        """Set `values` on `obj` and save it only if it is new or a value differs."""
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not created and not changed:
            self.counts["unchanged"] += 1
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        if hasattr(obj, "history"):
            obj._change_reason = CHANGE_REASON
        try:
            obj.full_clean()
        except ValidationError as error:
            raise CommandError(f"Demo {obj._meta.verbose_name} “{obj}”: {error}") from error
        obj.save()
        self.counts["created" if created else "updated"] += 1
        return obj

    def _upsert(self, model, lookup: dict, values: dict):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            return self._sync(model(**lookup), values, created=True)
        return self._sync(obj, values)

    # -- loaders ---------------------------------------------------------------------------

    def _load_users(self) -> dict:
        User = get_user_model()
        users = {}
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
                self.counts["created" if created else "updated"] += 1
            else:
                self.counts["unchanged"] += 1
            self._sync_permissions(user, data["permissions"])
            users[user.username] = user
        return users

    def _sync_permissions(self, user, names: list[str]) -> None:
        wanted = set()
        for name in names:
            app_label, codename = name.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise CommandError(
                    f"Permission {name} does not exist: run `python manage.py migrate` first."
                )
            wanted.add(permission.pk)
        current = set(user.user_permissions.values_list("pk", flat=True))
        if current != wanted:
            user.user_permissions.set(wanted)

    def _load_topics(self) -> dict:
        return {
            data["slug"]: self._upsert(
                Topic,
                {"slug": data["slug"]},
                {"name": data["name"], "description": data["description"]},
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

    def _load_articles(self, topics: dict, users: dict) -> list:
        articles = []
        for data in demo_content.ARTICLES:
            article = Article.objects.filter(slug=data["slug"]).select_related("question").first()
            question_values = {
                "text": data["question"],
                "source": Question.Source.EDITORIAL,
                "status": data["question_status"],
            }
            if article is None:
                question = self._sync(Question(), question_values, created=True)
                article = Article(slug=data["slug"], question=question)
                created = True
            else:
                self._sync(article.question, question_values)
                created = False
            article = self._sync(
                article,
                {
                    "headline": data["headline"],
                    "topic_id": topics[data["topic"]].pk,
                    "bottom_line": data["bottom_line"],
                    "status": data["status"],
                },
                created=created,
            )
            wanted_authors = {users[name].pk for name in data["authors"]}
            if set(article.authors.values_list("pk", flat=True)) != wanted_authors:
                article.authors.set(wanted_authors)
            self._load_sections(article, data["sections"])
            articles.append(article)
        return articles

    def _load_sections(self, article, sections: list) -> None:
        existing = {s.position: s for s in article.sections.all()}
        for position, data in enumerate(sections, start=1):
            values = {"heading": data["heading"], "body": data["body"], "kind": data["kind"]}
            section = existing.pop(position, None)
            if section is None:
                self._sync(Section(article=article, position=position), values, created=True)
            else:
                self._sync(section, values)
        for extra in existing.values():  # left over from an earlier, longer version
            extra._change_reason = CHANGE_REASON
            extra.delete()
            self.counts["deleted"] += 1

    def _check_citations(self, articles: list) -> None:
        problems = []
        for article in articles:
            texts = [("bottom line", article.bottom_line)] + [
                (f"section {s.position} “{s.heading}”", s.body) for s in article.sections.all()
            ]
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
