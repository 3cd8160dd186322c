from django import forms
from django.contrib import admin
from django.db import models
from django.utils.text import capfirst

from config.admin_base import ReadOnlyHistoryAdmin

from .models import Reference

# How many of the rows protecting a reference are named; the rest are counted.
NAMED = 20


def protected_by(reference: Reference, named: int = NAMED) -> tuple[int, list]:
    """What keeps `reference` from being deleted: whatever refers to it with PROTECT (the
    articles app's citations, from every revision, the working copy's included). Asked
    generically, so this app needs to know nothing about the apps above it. Returns how many
    rows there are and the latest `named` of them (with what their names show, in the same
    query): a much-cited reference has tens of thousands."""
    total, first = 0, []
    for relation in Reference._meta.related_objects:
        if relation.on_delete is not models.PROTECT:
            continue
        rows = relation.related_model._base_manager.filter(**{relation.field.name: reference})
        total += rows.count()
        if len(first) < named:
            first += rows.select_related().order_by("-pk")[: named - len(first)]
    return total, sorted(first, key=str)


class ReferenceForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Reference
        fields = ["key", "kind", "title", "authors", "source", "year", "doi", "pmid", "url"]

    def clean_key(self):
        key = self.cleaned_data["key"]
        old = self.instance.key if self.instance.pk else None
        if old and key != old:
            count, protected = protected_by(self.instance, named=5)
            if count:
                names = "; ".join(str(obj) for obj in protected)
                more = f" and {count - len(protected)} more" if count > len(protected) else ""
                raise forms.ValidationError(
                    f"[@{old}] is cited by {count} revision(s) of articles: {names}{more}. "
                    "Keep the key, so no citation is left pointing nowhere."
                )
        return key


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyHistoryAdmin):
    """Editing a reference never changes an approved page (revisions freeze what readers see);
    the articles citing it show "Reference updated since approval" until they are reviewed
    again. A cited reference can't be deleted: the admin lists the citations that protect it."""

    form = ReferenceForm
    list_display = ["key", "kind", "title", "source", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["key", "title", "authors", "source", "doi", "pmid"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["key", "kind", "title", "authors", "source", "year"]}),
        ("Identifiers", {"fields": ["doi", "pmid", "url"]}),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    def get_deleted_objects(self, objs, request):
        """A cited reference is never deleted, so its page lists what protects it: the first
        NAMED citations and how many more, not each of them (Django's collector names every
        one, a query each)."""
        count, protected = 0, []
        for reference in objs:
            found, first = protected_by(reference, named=max(0, NAMED - len(protected)))
            count += found
            protected += [f"{capfirst(row._meta.verbose_name)}: {row}" for row in first]
        if not count:
            return super().get_deleted_objects(objs, request)
        if count > len(protected):
            protected.append(f"… and {count - len(protected):,} more")
        return [], {}, set(), protected
