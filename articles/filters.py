"""The article list's search box, filters and sort order, as one django-filter FilterSet over
the public catalogue (`Listing`). Every state of the list is a plain GET address, so it can be
shared and works without JavaScript."""

import django_filters
from django import forms

from references.models import Reference

from .models import Listing, ReaderType, Topic
from .querysets import without_phrases

RELEVANCE, NEWEST, REVIEWED = "relevance", "newest", "reviewed"
APPROVED, PENDING = "approved", "pending"


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. metformin kidney"}),
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(), to_field_name="slug", empty_label="All topics"
    )
    status = django_filters.ChoiceFilter(
        label="Review status",
        choices=[(APPROVED, "Approved"), (PENDING, "Pending review")],
        empty_label="Any status",
        method="with_status",
    )
    cites = django_filters.ChoiceFilter(
        label="Cites a",
        choices=Reference.Kind.choices,
        empty_label="Any type of reference",
        method="citing",
    )
    reader = django_filters.ModelChoiceFilter(
        label="Has a version for",
        queryset=ReaderType.objects.all(),
        to_field_name="slug",
        empty_label="Any reader",
        method="with_version_for",
    )
    since = django_filters.DateFilter(
        label="Updated since",
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(RELEVANCE, "Relevance"), (NEWEST, "Newest"), (REVIEWED, "Recently reviewed")],
        empty_label=None,
        method="sorted_by",
    )

    class Meta:
        model = Listing
        fields = ["q", "topic", "status", "cites", "reader", "since", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def with_status(self, queryset, name, value):
        return queryset.approved() if value == APPROVED else queryset.pending()

    def citing(self, queryset, name, value):
        return queryset.with_facet(f"reference:{value}")

    def with_version_for(self, queryset, name, value):
        return queryset.with_facet(f"reader:{value.slug}")

    def sorted_by(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, once the search has ranked

    @property
    def terms(self) -> str:
        return (self.form.cleaned_data.get("q") or "").strip() if self.is_bound else ""

    @property
    def candidates(self):
        """For a search by relevance with a quoted phrase: the same list searched for the
        phrase's words alone (every match, and more), for `catalogue.ranked` to test in
        order; else None."""
        if not self.is_valid():
            return None
        loosened = without_phrases(self.terms)
        if loosened is None or self.sort_order != RELEVANCE:
            return None
        data = self.data.copy()
        data["q"] = loosened
        return type(self)(data, queryset=self.queryset).qs.for_cards()

    @property
    def sort_order(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.is_bound else ""
        if chosen == RELEVANCE and not self.terms:
            return NEWEST  # nothing to be relevant to
        return chosen or (RELEVANCE if self.terms else NEWEST)

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).sorted(self.sort_order)
