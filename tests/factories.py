import factory
from django.contrib.auth import get_user_model

from articles.models import Article, Page, Question, Section, Topic
from references.models import Reference


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


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
    status = Article.Status.SUBMITTED


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
