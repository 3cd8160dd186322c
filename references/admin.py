from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import router

from config.admin_base import ReadOnlyHistoryAdmin

from .models import Reference


def protected_by(reference: Reference) -> list:
    """What keeps `reference` from being deleted: whatever refers to it with PROTECT (the
    articles app's citations, from every revision, the working copy's included). Asked
    generically, so this app needs to know nothing about the apps above it."""
    collector = NestedObjects(using=router.db_for_write(Reference))
    collector.collect([reference])
    return sorted(collector.protected, key=str)


class ReferenceForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Reference
        fields = ["key", "kind", "title", "authors", "source", "year", "doi", "pmid", "url"]

    def clean_key(self):
        key = self.cleaned_data["key"]
        old = self.instance.key if self.instance.pk else None
        if old and key != old:
            protected = protected_by(self.instance)
            if protected:
                names = "; ".join(str(obj) for obj in protected[:5])
                raise forms.ValidationError(
                    f"[@{old}] is cited by {len(protected)} revision(s) of articles: {names}. "
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
