from django import forms
from django.contrib import admin

from articles.admin import ReadOnlyHistoryAdmin
from articles.models import Article

from .models import Reference


class ReferenceForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Reference
        fields = ["key", "kind", "title", "authors", "source", "year", "doi", "pmid", "url"]

    def clean_key(self):
        key = self.cleaned_data["key"]
        old = self.instance.key if self.instance.pk else None
        if old and key != old:
            citing = Article.objects.citing(old)
            if citing:
                names = ", ".join(f"“{a.headline}”" for a in citing[:5])
                raise forms.ValidationError(
                    f"[@{old}] is cited by {len(citing)} article(s): {names}. Change those "
                    "citations first, or keep the key, so no citation is left pointing nowhere."
                )
        return key


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyHistoryAdmin):
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
        """A cited reference is protected: the admin lists the articles citing it and refuses,
        as it does for any protected relation."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for reference in objs:
            protected += [
                f"Article “{article.headline}” cites [@{reference.key}]"
                for article in Article.objects.citing(reference.key)
            ]
        return deleted, model_count, perms_needed, protected
