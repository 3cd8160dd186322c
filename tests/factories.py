import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from articles.models import Article, Page, Question, ReviewerProfile, Section, Specialty, Topic
from references.models import Reference


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty
        django_get_or_create = ["name"]

    name = "General medicine"
    slug = factory.LazyAttribute(lambda s: slugify(s.name))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    specialty = factory.SubFactory(SpecialtyFactory)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    text = factory.Sequence(lambda n: f"What is the best first step for clinical problem {n}?")


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    key = factory.Sequence(lambda n: f"ref-{n}")
    kind = Reference.Kind.RESEARCH
    title = factory.Sequence(lambda n: f"A randomized trial of approach {n}")
    authors = "Doe J, Roe R"
    source = "Journal of Examples"
    year = 2024


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    question = factory.SubFactory(QuestionFactory)
    headline = factory.Sequence(lambda n: f"Managing clinical problem {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    topic = factory.SubFactory(TopicFactory)
    bottom_line = "Start with the simplest effective option."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Section {n}")
    body = "A paragraph of plain text."


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"page-{n}")
    title = factory.Sequence(lambda n: f"Page {n}")
    body = "Some *text*."


def role_group(name: str):
    """The editorial role's group. The roles migration creates them, but a transactional test
    flushes the database afterwards, so re-create one (from reviews.roles) when it is gone."""
    from django.contrib.auth.models import Group, Permission

    from reviews import roles

    group, created = Group.objects.get_or_create(name=name)
    if created:
        for code in roles.PERMISSIONS[name]:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def user_with_role(role: str, **kwargs):
    """A staff user in one of the editorial groups (reviews.roles), e.g. EDITORS."""
    kwargs.setdefault("is_staff", True)
    user = UserFactory(**kwargs)
    user.groups.add(role_group(role))
    return user


def declare(user, *specialties):
    """`user`'s board profile (made if they have none) declares `specialties` too (Specialty
    objects or names). Factory topics are all in `SpecialtyFactory`'s "General medicine"."""
    profile, _ = ReviewerProfile.objects.get_or_create(
        user=user,
        defaults={
            "slug": slugify(user.username),
            "display_name": user.get_full_name() or user.username,
            "credentials": "MD",
            "disclosures": "None declared.",
        },
    )
    profile.specialties.add(
        *(s if isinstance(s, Specialty) else SpecialtyFactory(name=s) for s in specialties)
    )
    return profile


def board_member(*, specialties=(), **kwargs):
    """An active board member (staff, in the board's group) with a public profile declaring
    `specialties` (Specialty objects or names)."""
    from reviews import roles

    user = user_with_role(roles.MEDICAL_ADVISORY_BOARD, **kwargs)
    declare(user, *specialties)
    return user


def workflow_to(article, status: str, *, editor=None, reviewer=None):
    """Drive `article` through the real review workflow to `status` (draft, submitted,
    under_review or approved), the way editors and reviewers would; a reviewer outside the
    topic's specialty confirms so, as the review screen asks. Adds a section first if the
    article has none (submitting needs one). Returns the article, reloaded."""
    from reviews import roles, services, specialties

    if status == Article.Status.DRAFT:
        return article
    editor = editor or user_with_role(roles.EDITORS)
    article.authors.add(editor)
    if not article.sections.exists():
        SectionFactory(article=article)
    services.submit(article, by=editor)
    if status in (Article.Status.UNDER_REVIEW, Article.Status.APPROVED):
        reviewer = reviewer or user_with_role(roles.MEDICAL_ADVISORY_BOARD)
        services.start_review(article, by=reviewer)
        if status == Article.Status.APPROVED:
            services.approve(
                article,
                by=reviewer,
                comment="Checked against the sources.",
                outside_specialty=not specialties.within(article, reviewer),
            )
    article.refresh_from_db()
    return article


class StaffUserFactory(UserFactory):
    """A user holding editorial roles, the Django groups the roles migration creates:
    `StaffUserFactory(roles=[roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD])`."""

    class Meta:
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Member"

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(role_group(name) for name in extracted))

    @factory.post_generation
    def specialties(self, create, extracted, **kwargs):
        """`specialties=[...]`: a board profile declaring them (`declare`)."""
        if create and extracted:
            declare(self, *extracted)


def approved_term(term: str, definition: str = "A plain definition.", **fields):
    """A glossary term written by an editor and approved by a board member, through the
    service, so readers see it."""
    from articles.models import GlossaryTerm
    from reviews import roles, services

    glossary_term = GlossaryTerm.objects.create(term=term, definition=definition, **fields)
    services.approve_glossary_term(glossary_term, by=user_with_role(roles.MEDICAL_ADVISORY_BOARD))
    glossary_term.refresh_from_db()
    return glossary_term


def library() -> dict:
    """The whole reference library by key, as `render_article` takes citable references."""
    return {reference.key: reference for reference in Reference.objects.all()}


def staff(*roles, **fields):
    """A staff user (may use the admin) holding the editorial `roles`: `staff(EDITORS)`."""
    return StaffUserFactory(roles=roles, is_staff=True, **fields)


def logged_in(user):
    """A test client signed in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
